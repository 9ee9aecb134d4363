package io.headway.score;

import static io.headway.testing.Fixtures.DAY_0;
import static io.headway.testing.Fixtures.DAY_1;
import static io.headway.testing.Fixtures.millis;
import static io.headway.testing.Fixtures.touchpoint;
import static io.headway.testing.Fixtures.withUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.headway.PipelineSettings;
import io.headway.model.CustomerModel;
import io.headway.schema.ScoreUpdate;
import io.headway.schema.Touchpoint;
import io.headway.testing.BoundedInput;
import io.headway.testing.MiniClusters;
import io.headway.testing.TestWorkflow;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Health scores through the production workflow, on the first scenario of {@link ScoreFunctionTest}:
 * each new feature raises adoption breadth, a repeat changes nothing and emits nothing.
 */
class ScoreWorkflowITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    private static final Instant TEN_AM = DAY_0.plus(Duration.ofHours(10));

    @Test
    void shouldRaiseAdoptionBreadthWithEachNewFeatureAndEndWithTheNextMidnightsSnapshot() throws Exception {
        Touchpoint alerts = featureUsed(TEN_AM.plusSeconds(120), "alerts", "u2");
        BoundedInput input = BoundedInput.of(List.of(
                featureUsed(TEN_AM, "reports", "u1"),
                featureUsed(TEN_AM.plusSeconds(60), "reports", "u1"),
                alerts));

        try (TestWorkflow run = TestWorkflow.run(everyChange(), input)) {
            List<ScoreUpdate> scores = run.scores();
            // Unlike the harness test there is no subscription_started before the features, so the
            // account's first record is the first feature's (breadth 1 of 12), not one without breadth.
            // The repeat emits nothing. The end of the bounded input adds the daily snapshot of the
            // first midnight after the last touchpoint (see ScoreFunction): 14 hours later, the same
            // two features in 28 days.
            assertThat(scores)
                    .extracting(ScoreUpdate::getAccountId, ScoreUpdate::getReason, ScoreUpdate::getAsOf, u -> adoptionBreadth(u))
                    .containsExactly(
                            tuple("acme", ScoreFunction.REASON_CHANGE, millis(TEN_AM), 8.33),
                            tuple("acme", ScoreFunction.REASON_CHANGE, alerts.getOccurredAt(), 16.67),
                            tuple("acme", ScoreFunction.REASON_DAILY, millis(DAY_1), 16.67));
            ScoreUpdate second = scores.get(1);
            assertThat(second.getScore()).isGreaterThan(scores.get(0).getScore());
            assertThat(second.getDrivers()).filteredOn(d -> d.getComponent().equals("adoption_breadth"))
                    .singleElement().satisfies(d -> assertThat(d.getEventIds()).containsExactly(alerts.getEventId()));
        }
    }

    private static Double adoptionBreadth(ScoreUpdate u) {
        return u.getComponents().get(Component.ADOPTION_BREADTH.ordinal()).getValue();
    }

    private static Touchpoint featureUsed(Instant at, String feature, String user) {
        return withUser(touchpoint("e-" + feature + "-" + at.toEpochMilli(), "acme", at, "product", "feature_used", Map.of("feature", feature)), user);
    }

    /** The default model, emitting on every change of the score (as the harness test's EVERY_CHANGE). */
    private static PipelineSettings everyChange() throws Exception {
        String yaml;
        try (InputStream in = CustomerModel.class.getResourceAsStream("/headway/customer-model.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(yaml).contains("change_delta: 5,");
        CustomerModel model = CustomerModel.parse(yaml.replace("change_delta: 5,", "change_delta: 0.001,"), "every-change.yaml");
        PipelineSettings d = PipelineSettings.defaults();
        return new PipelineSettings(d.maxOutOfOrderness, d.idleness, d.allowedLateness, d.dedupHorizon, d.activityEmitInterval, model);
    }
}
