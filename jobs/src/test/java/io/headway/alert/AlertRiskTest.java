package io.headway.alert;

import static io.headway.alert.AlertFixtures.ACCOUNT;
import static io.headway.alert.AlertFixtures.day;
import static io.headway.alert.AlertFixtures.goal;
import static io.headway.alert.AlertFixtures.journey;
import static io.headway.alert.AlertFixtures.ms;
import static io.headway.alert.AlertFixtures.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headway.model.CustomerModel;
import io.headway.risk.RiskFeatures;
import io.headway.schema.AccountSignal;
import io.headway.schema.Alert;
import io.headway.schema.RiskFeature;
import io.headway.schema.RiskUpdate;
import io.headway.testing.Harnesses;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * The account risk in {@link AlertFunction}: with a risk: section it re-assesses after each journey,
 * score and goal signal and emits {@link RiskUpdate}s that explain themselves; without one it keeps
 * and emits nothing.
 */
class AlertRiskTest {

    static final String RISK = """
            risk:
              threshold: 0.72
              emit_min_change: 0.02
              intercept: -1.0
              terms:
                - {feature: silence_days, weight: 0.8, mean: 3.0, scale: 4.0}
                - {feature: milestones_behind, weight: 1.5, mean: 0.2, scale: 0.5}
                - {feature: health, weight: -1.2, mean: 0.7, scale: 0.15}
                - {feature: goal_shortfall_share, weight: 0.9, mean: 0.1, scale: 0.3}
              fitted: {at: "2026-12-02", accounts: 3}
            """;

    private long watermark = Long.MIN_VALUE;

    @Test
    void shouldEmitRiskUpdatesWhoseContributionsSumToTheLogit() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h = harness(withRisk(RISK))) {
            process(h, score(day(1), 80, "green").lastProduct(day(1)).build());
            process(h, journey("milestone_behind", "kickoff", day(3), day(5), null));
            process(h, goal("at_risk", "on_track", day(4), day(40), 30, 45.0));
            process(h, score(day(9), 55, "yellow").lastProduct(day(1)).build());

            List<RiskUpdate> risk = risk(h);
            assertThat(risk).extracting(RiskUpdate::getAsOf).containsExactly(ms(day(1)), ms(day(3)), ms(day(4)), ms(day(9)));
            for (RiskUpdate u : risk) {
                double sum = u.getIntercept();
                for (RiskFeature f : u.getFeatures()) {
                    sum += f.getContribution();
                }
                assertThat(sum).isCloseTo(u.getLogit(), within(1e-9));
                assertThat(u.getProbability()).isCloseTo(1 / (1 + Math.exp(-u.getLogit())), within(1e-12));
                assertThat(u.getAccountId()).isEqualTo(ACCOUNT);
                assertThat(u.getModelVersion()).isEqualTo("2026-12-02");
                assertThat(u.getFeatures()).extracting(RiskFeature::getName).isEqualTo(RiskFeatures.NAMES);
            }
            // By hand, day 9: silence 8 d -> 0.8 × 5 / 4 = 1.0; one milestone behind -> 1.5 × 0.8 / 0.5 = 2.4;
            // health 0.55 -> -1.2 × -0.15 / 0.15 = 1.2; shortfall (60 - 45) / 40 = 0.375 -> 0.9 × 0.275 / 0.3 = 0.825.
            RiskUpdate last = risk.get(3);
            assertThat(contribution(last, "silence_days")).isCloseTo(1.0, within(1e-9));
            assertThat(contribution(last, "milestones_behind")).isCloseTo(2.4, within(1e-9));
            assertThat(contribution(last, "health")).isCloseTo(1.2, within(1e-9));
            assertThat(contribution(last, "goal_shortfall_share")).isCloseTo(0.825, within(1e-9));
            assertThat(last.getLogit()).isCloseTo(-1.0 + 1.0 + 2.4 + 1.2 + 0.825, within(1e-9));
            assertThat(feature(last, "health").getValue()).isCloseTo(0.55, within(1e-12));
            assertThat(feature(last, "depth").getValue()).as("unknown").isNull();
            assertThat(feature(last, "depth").getContribution()).isZero();
        }
    }

    @Test
    void shouldEmitOnlyWhenTheProbabilityMovedByEmitMinChange() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h = harness(withRisk(RISK))) {
            process(h, score(day(1), 80, "green").lastProduct(day(1)).build());
            // Same health, silence 0.25 d: the probability moves by less than 0.02.
            process(h, score(day(1.25), 80, "green").reason("change").lastProduct(day(1)).build());
            assertThat(risk(h)).hasSize(1);
            process(h, score(day(2), 60, "yellow").lastProduct(day(1)).build());
            assertThat(risk(h)).hasSize(2);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h =
                harness(withRisk(RISK.replace("emit_min_change: 0.02", "emit_min_change: 0")))) {
            watermark = Long.MIN_VALUE;
            process(h, score(day(1), 80, "green").lastProduct(day(1)).build());
            process(h, score(day(1.25), 80, "green").reason("change").lastProduct(day(1)).build());
            assertThat(risk(h)).as("0: every re-assessment whose features changed (the account's age did)").hasSize(2);
        }
    }

    @Test
    void shouldForgetTheRiskWithTheAccountsFinalRecord() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h = harness(withRisk(RISK))) {
            process(h, score(day(1), 80, "green").lastProduct(day(1)).build());
            process(h, journey("milestone_behind", "kickoff", day(3), day(5), null));
            assertThat(h.numKeyedStateEntries()).isPositive();
            process(h, score(day(60), 40, "red").reason("final").build());
            assertThat(risk(h)).hasSize(2);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void shouldEmitNoRiskWithoutARiskSection() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h = harness(CustomerModel.defaults())) {
            process(h, score(day(1), 80, "green").lastProduct(day(1)).build());
            process(h, journey("milestone_behind", "kickoff", day(3), day(5), null));
            process(h, goal("at_risk", "on_track", day(4), day(40), 30, 45.0));
            assertThat(risk(h)).isEmpty();
        }
    }

    /** The bundled model with a risk: section appended. */
    static CustomerModel withRisk(String risk) throws IOException {
        try (InputStream in = CustomerModel.class.getResourceAsStream(CustomerModel.DEFAULT_RESOURCE)) {
            return CustomerModel.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n" + risk, "test.yaml");
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> harness(CustomerModel model) throws Exception {
        return Harnesses.keyed(new AlertFunction(AlertRules.from(model), () -> 42L), new AccountSignalKey(), Types.STRING);
    }

    static List<RiskUpdate> risk(KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h) {
        Queue<StreamRecord<RiskUpdate>> records = h.getSideOutput(AlertFunction.RISK);
        List<RiskUpdate> out = new ArrayList<>();
        if (records != null) {
            records.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    static RiskFeature feature(RiskUpdate u, String name) {
        return u.getFeatures().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
    }

    static double contribution(RiskUpdate u, String name) {
        return feature(u, name).getContribution();
    }

    /** One signal, then event time just past it. */
    private void process(KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h, AccountSignal s) throws Exception {
        long at = SignalOrder.timeOf(s);
        h.processElement(s, at);
        if (at + 1 > watermark) {
            watermark = at + 1;
            h.processWatermark(new Watermark(watermark));
        }
    }
}
