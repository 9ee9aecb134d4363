package io.headway.alert;

import static io.headway.alert.AlertFixtures.ACCOUNT;
import static io.headway.alert.AlertFixtures.day;
import static io.headway.alert.AlertFixtures.goal;
import static io.headway.alert.AlertFixtures.journey;
import static io.headway.alert.AlertFixtures.ms;
import static io.headway.alert.AlertFixtures.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.headway.model.CustomerModel;
import io.headway.model.ModelException;
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

    /** Only health counts: p = sigmoid((0.5 - health) / 0.1); score 40 gives 0.731, 45 0.622, 47 0.574, 34 0.832. */
    static final String HEALTH_ONLY = """
            risk:
              threshold: 0.72
              resolve_below: 0.6
              min_age_days: 14
              owner_team: cs-west
              intercept: 0
              terms:
                - {feature: health, weight: -1.0, mean: 0.5, scale: 0.1}
            """;

    @Test
    void shouldOpenAccountRiskAtTheThresholdOnceTheAccountIsOldEnoughAndResolveBelowResolveBelow() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h = harness(withRisk(HEALTH_ONLY))) {
            process(h, score(day(1), 60, "green").build());
            process(h, score(day(10), 40, "yellow").build());
            assertThat(accountRisk(h)).as("9 days old: younger than min_age_days").isEmpty();
            process(h, score(day(15), 45, "yellow").build());
            assertThat(accountRisk(h)).as("0.622 < 0.72").isEmpty();
            process(h, score(day(16), 40, "yellow").build());
            process(h, score(day(17), 41, "yellow").build());
            process(h, score(day(18), 34, "red").build());
            process(h, score(day(19), 47, "yellow").build());

            List<Alert> out = accountRisk(h);
            assertThat(out).extracting(Alert::getState, Alert::getReason, Alert::getSeverity, Alert::getUpdatedAt)
                    .containsExactly(
                            tuple("open", "fired", "medium", ms(day(16))),
                            tuple("escalated", "worsened", "high", ms(day(18))),
                            tuple("resolved", "cleared", "high", ms(day(19))));
            Alert open = out.get(0);
            assertThat(open.getAlertKey()).isEqualTo(ACCOUNT + "/account-risk/account");
            assertThat(open.getSubject()).isEqualTo("account");
            assertThat(open.getKind()).isEqualTo("risk");
            assertThat(open.getOwnerTeam()).isEqualTo("cs-west");
            assertThat(open.getDueAt()).isNull();
            assertThat(open.getHeadline()).isEqualTo("Account at risk of missing its result: risk 0.73, mostly health 40");
            assertThat(open.getExplanation().getText()).isEqualTo(
                    "Risk of missing the result 0.73 (threshold 0.72): health 40 (+1.00); other features +0.00; baseline +0.00; "
                            + "log-odds +1.00 (model unfitted).");
            assertThat(open.getRecommendedAction()).contains("health score's weakest components").contains("top driver: health 40");
            assertThat(signal(open, "health")).isEqualTo("0.40 (+1.00)");
            assertThat(signal(open, "risk")).isEqualTo("0.731");
            assertThat(out.get(2).getExplanation().getText()).endsWith("Resolved: risk 0.57 is below 0.60.");
        }
    }

    @Test
    void shouldExplainAccountRiskWithContributionsThatSumToTheLogit() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h = harness(withRisk(RISK))) {
            process(h, score(day(1), 80, "green").lastProduct(day(1)).build());
            process(h, journey("milestone_behind", "kickoff", day(3), day(5), null));
            process(h, goal("at_risk", "on_track", day(4), day(40), 30, 45.0));
            process(h, score(day(16), 55, "yellow").lastProduct(day(2)).build());

            Alert open = accountRisk(h).get(0);
            RiskUpdate u = risk(h).get(risk(h).size() - 1);
            assertThat(u.getAsOf()).isEqualTo(open.getOpenedAt());
            String text = open.getExplanation().getText();
            // behind 1 -> 1.5 x 0.8 / 0.5 = 2.4; silence 14 d -> 0.8 x 11 / 4 = 2.2; health 0.55 -> 1.2; shortfall 0.375 -> 0.825
            assertThat(text).startsWith("Risk of missing the result 1.00 (threshold 0.72): 1 milestone behind (+2.40), "
                    + "no product use for 14 days (+2.20), health 55 (+1.20); other features +0.8").contains("; log-odds +5.63");
            double sum = 0;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(([+-][0-9.]+)\\)|other features ([+-][0-9.]+)|baseline ([+-][0-9.]+)")
                    .matcher(text.substring(0, text.indexOf("; log-odds")));
            while (m.find()) {
                sum += Double.parseDouble(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
            }
            assertThat(sum).as("the explanation adds up to the log-odds").isCloseTo(u.getLogit(), within(0.02));
            double signals = Double.parseDouble(signal(open, "risk_intercept"));
            for (RiskFeature f : u.getFeatures()) {
                if (f.getContribution() != 0) {
                    String v = signal(open, f.getName());
                    signals += Double.parseDouble(v.substring(v.indexOf('(') + 1, v.indexOf(')')));
                }
            }
            assertThat(signals).as("so do the signals").isCloseTo(u.getLogit(), within(0.03));
            assertThat(open.getSeverity()).isEqualTo("critical");
            assertThat(open.getRecommendedAction()).startsWith("Agree new dates for the late milestones")
                    .endsWith("(top driver: 1 milestone behind).");
        }
    }

    @Test
    void shouldForgetAnOpenAccountRiskAndItsTimersWhenTheAccountEnds() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h = harness(withRisk(HEALTH_ONLY))) {
            process(h, score(day(1), 60, "green").build());
            process(h, score(day(16), 40, "yellow").build());
            assertThat(h.numEventTimeTimers()).as("escalation").isOne();
            process(h, score(day(20), 40, "red").reason("final").build());
            assertThat(accountRisk(h)).extracting(Alert::getState, Alert::getReason)
                    .containsExactly(tuple("open", "fired"), tuple("resolved", "ended"));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void shouldKeepAccountRiskOutOfRulesAlerts() {
        assertThatThrownBy(() -> withRisk(HEALTH_ONLY + """
                rules:
                  alerts:
                    - {id: r, type: account_risk, version: 1, severity: high, owner_team: cs, action: Call}
                """)).isInstanceOf(ModelException.class);
        assertThat(AlertRules.from(CustomerModel.defaults()).first(RuleType.ACCOUNT_RISK)).isNull();
        assertThat(AlertRules.from(withRiskOnly(RISK.replace("threshold: 0.72", "threshold: 1.01"))).first(RuleType.ACCOUNT_RISK))
                .as("a threshold no probability reaches").isNull();
    }

    /** The bundled model with a risk: section appended. */
    static CustomerModel withRisk(String risk) throws IOException {
        try (InputStream in = CustomerModel.class.getResourceAsStream(CustomerModel.DEFAULT_RESOURCE)) {
            return CustomerModel.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n" + risk, "test.yaml");
        }
    }

    /** The bundled model's journeys and a risk: section, without its rules. */
    static CustomerModel withRiskOnly(String risk) {
        return CustomerModel.parse(JOURNEY_ONLY + risk, "test.yaml");
    }

    static final String JOURNEY_ONLY = """
            journeys:
              - name: onboarding
                entry: {source: onboarding, type: journey_started}
                milestones:
                  - name: first_value
                    match: {source: onboarding, type: milestone_reached, attributes: {milestone: first_value}}
                    due: 40 d
                    owner_team: success
                    success: The customer got the result they bought Headway for.
                time_to_value: first_value
                completion: first_value
                abandonment: {inactivity: 21 d}
                re_entry: never
            """;

    static List<Alert> accountRisk(KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> h) {
        return h.extractOutputValues().stream().filter(a -> a.getRule().equals("account-risk")).toList();
    }

    static String signal(Alert a, String name) {
        return a.getExplanation().getSignals().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no signal " + name)).getValue();
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
