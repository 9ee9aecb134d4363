package io.headway.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.model.CustomerModel;
import io.headway.model.ModelException;

import org.junit.jupiter.api.Test;

/** The customer model's risk: section: every key read, defaults, and errors that name the key path. */
class RiskSettingsTest {

    private static final String JOURNEY =
            """
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

    @Test
    void shouldReadEveryKeyAndKeepTheFittedMetadataInOrder() {
        RiskSettings r = parse("""
                risk:
                  threshold: 0.72
                  resolve_below: 0.6
                  min_age_days: 21
                  emit_min_change: 0
                  budget: true
                  owner_team: success
                  intercept: -1.31
                  terms:
                    - {feature: silence_days, weight: 0.84, mean: 3.1, scale: 4.2}
                    - {feature: milestones_overdue, weight: 1.1}
                  fitted: {at: "2026-12-02", accounts: 491, cv_auc: 0.83, data: "sim-500"}
                """);
        assertThat(r.threshold()).isEqualTo(0.72);
        assertThat(r.resolveBelow()).isEqualTo(0.6);
        assertThat(r.minAgeDays()).isEqualTo(21);
        assertThat(r.emitMinChange()).isZero();
        assertThat(r.budget()).isTrue();
        assertThat(r.ownerTeam()).isEqualTo("success");
        assertThat(r.model().intercept()).isEqualTo(-1.31);
        assertThat(r.model().terms()).containsOnlyKeys("silence_days", "milestones_overdue");
        assertThat(r.model().terms().get("silence_days")).isEqualTo(new RiskModel.Term("silence_days", 0.84, 3.1, 4.2));
        assertThat(r.model().terms().get("milestones_overdue")).as("mean 0, scale 1 by default")
                .isEqualTo(new RiskModel.Term("milestones_overdue", 1.1, 0, 1));
        assertThat(r.fitted()).containsExactly(
                java.util.Map.entry("at", "2026-12-02"), java.util.Map.entry("accounts", 491L),
                java.util.Map.entry("cv_auc", 0.83), java.util.Map.entry("data", "sim-500"));
        assertThat(r.version()).isEqualTo("2026-12-02");
    }

    @Test
    void shouldDefaultToNeverAlertingAndBeUnfittedWithoutWeights() {
        RiskSettings r = parse("risk: {intercept: -2}\n");
        assertThat(r.threshold()).isEqualTo(RiskSettings.NEVER);
        assertThat(r.resolveBelow()).isEqualTo(RiskSettings.NEVER - 0.1);
        assertThat(r.minAgeDays()).isEqualTo(14);
        assertThat(r.emitMinChange()).isEqualTo(0.02);
        assertThat(r.budget()).isFalse();
        assertThat(r.ownerTeam()).isEqualTo("customer-success");
        assertThat(r.version()).isEqualTo("unfitted");
        assertThat(r.model().terms()).isEmpty();
        assertThat(parse("risk: {threshold: 0.5}\n").resolveBelow()).isEqualTo(0.4);
    }

    @Test
    void shouldHaveNoRiskWithoutTheSection() {
        assertThat(CustomerModel.parse(JOURNEY, "test.yaml").risk()).isEmpty();
        assertThat(CustomerModel.defaults().risk()).as("the bundled model is not fitted").isEmpty();
    }

    @Test
    void shouldNameTheFileAndKeyPathOfEachError() {
        assertError("risk: {terms: [{feature: silence_days, weight: 1}, {feature: silense_days, weight: 1}]}",
                "test.yaml risk.terms[1].feature", "did you mean silence_days?");
        assertError("risk: {terms: [{feature: health, weight: 1}, {feature: health, weight: 2}]}",
                "test.yaml risk.terms[1].feature", "one term per feature");
        assertError("risk: {terms: [{feature: health, weight: 1, scale: 0}]}", "test.yaml risk.terms[0].scale", "above 0");
        assertError("risk: {terms: [{feature: health}]}", "test.yaml risk.terms[0].weight", "is required");
        assertError("risk: {terms: [{feature: health, weight: 1, sd: 2}]}", "test.yaml risk.terms[0].sd", "unknown key");
        assertError("risk: {threshold: 0.5, resolve_below: 0.7}", "test.yaml risk.resolve_below", "hysteresis");
        assertError("risk: {threshold: 0}", "test.yaml risk.threshold", "above 0");
        assertError("risk: {emit_min_change: 1}", "test.yaml risk.emit_min_change", "below 1");
        assertError("risk: {min_age_days: -1}", "test.yaml risk.min_age_days", "0 or more");
        assertError("risk: {budget: yes please}", "test.yaml risk.budget", "true or false");
        assertError("risk: {treshold: 0.5}", "test.yaml risk.treshold", "did you mean threshold?");
        assertError("risk: {fitted: [1, 2]}", "test.yaml risk.fitted", "must be a mapping");
        assertError("risk: 0.7", "test.yaml risk", "must be a mapping");
    }

    private static RiskSettings parse(String risk) {
        return CustomerModel.parse(JOURNEY + risk, "test.yaml").risk().orElseThrow();
    }

    private static void assertError(String risk, String key, String problem) {
        assertThatThrownBy(() -> parse(risk + "\n"))
                .isInstanceOf(ModelException.class)
                .satisfies(e -> assertThat(((ModelException) e).key()).isEqualTo(key))
                .hasMessageContaining(problem);
    }
}
