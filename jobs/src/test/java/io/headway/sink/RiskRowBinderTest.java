package io.headway.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.RiskFeature;
import io.headway.schema.RiskUpdate;
import io.headway.testing.RecordingStatement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** The JSON columns of {@code account_risk}, without a database (AnalystTablesTest writes them to one). */
class RiskRowBinderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldListAtMostFiveDriversByAbsoluteContributionAndLeaveOutThoseThatContributeNothing() throws Exception {
        RiskUpdate r = update(
                new RiskFeature("health", 0.55, 1.2),
                new RiskFeature("silence_days", 8.0, 1.0),
                new RiskFeature("account_age_days", 40.0, 0.0),
                new RiskFeature("adoption_breadth", null, 0.0),
                new RiskFeature("milestones_behind", 1.0, 2.4),
                new RiskFeature("goal_shortfall_share", 0.375, -0.825),
                new RiskFeature("support_friction", 40.0, 0.3),
                new RiskFeature("sentiment", 80.0, -0.3),
                new RiskFeature("frequency", 60.0, 0.1));

        JsonNode drivers = JSON.readTree(RiskRowBinder.topDrivers(r));

        assertThat(drivers).hasSize(RiskRowBinder.TOP_DRIVERS);
        List<String> names = new ArrayList<>();
        drivers.forEach(d -> names.add(d.get("feature").asText()));
        // Ties of |contribution| (support_friction 0.3, sentiment -0.3) keep the record's order.
        assertThat(names).containsExactly("milestones_behind", "health", "silence_days", "goal_shortfall_share", "support_friction");
        assertThat(drivers.get(3).get("value").asDouble()).isEqualTo(0.375);
        assertThat(drivers.get(3).get("contribution").asDouble()).isEqualTo(-0.825);
    }

    @Test
    void shouldKeepEveryFeatureWithItsValueOrNullAndItsContribution() throws Exception {
        RiskUpdate r = update(new RiskFeature("health", 0.55, 1.2), new RiskFeature("adoption_breadth", null, 0.0));

        JsonNode features = JSON.readTree(RiskRowBinder.features(r));

        assertThat(features.size()).isEqualTo(2);
        assertThat(features.get("health").get("value").asDouble()).isEqualTo(0.55);
        assertThat(features.get("health").get("contribution").asDouble()).isEqualTo(1.2);
        assertThat(features.get("adoption_breadth").get("value").isNull()).isTrue();
        assertThat(features.get("adoption_breadth").get("contribution").asDouble()).isZero();
        assertThat(JSON.readTree(RiskRowBinder.topDrivers(update(new RiskFeature("health", null, 0.0))))).isEmpty();
    }

    @Test
    void shouldBindEveryParameterOfTheUpsert() throws Exception {
        RecordingStatement row = new RecordingStatement();
        RiskUpdate r = update(new RiskFeature("health", 0.55, 1.2));

        new RiskRowBinder().accept(row.statement(), r);

        assertThat(row.texts()).containsExactly("acme", "2026-12-02", RiskRowBinder.topDrivers(r), RiskRowBinder.features(r));
        assertThat(RiskRowBinder.UPSERT.chars().filter(c -> c == '?').count()).isEqualTo(8);
    }

    private static RiskUpdate update(RiskFeature... features) {
        double logit = -1.0;
        for (RiskFeature f : features) {
            logit += f.getContribution();
        }
        return RiskUpdate.newBuilder()
                .setAccountId("acme")
                .setAsOf(1_780_000_000_000L)
                .setProbability(1 / (1 + Math.exp(-logit)))
                .setLogit(logit)
                .setIntercept(-1.0)
                .setModelVersion("2026-12-02")
                .setFeatures(List.of(features))
                .build();
    }
}
