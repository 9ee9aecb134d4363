package io.headway.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.model.CustomerModel;
import io.headway.model.ModelException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/** The rules: section: the bundled defaults, and one test per kind of bad rule, each error naming its key path. */
class AlertRulesTest {

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
    void shouldReadTheBundledRules() {
        AlertRules rules = AlertRules.from(CustomerModel.defaults());
        assertThat(rules.rules).extracting(r -> r.type).contains(RuleType.MILESTONE_AT_RISK, RuleType.SILENCE, RuleType.FIRST_VALUE_EARLY);
        assertThat(rules.escalateAfter).isEqualTo(Duration.ofDays(7));
        assertThat(rules.maxFires).isEqualTo(3);
        assertThat(rules.first(RuleType.SILENCE).duration("after")).isEqualTo(Duration.ofDays(10));
        assertThat(rules.timeToValueMilestone).containsEntry("onboarding", "first_value");
        assertThat(rules.renewalJourney).isEqualTo("renewal");
    }

    @Test
    void shouldHaveNoRulesWithoutARulesSection() {
        assertThat(AlertRules.from(CustomerModel.parse(JOURNEY, "test.yaml")).rules).isEmpty();
    }

    @Test
    void shouldTakeDefaultThresholds() {
        AlertRules rules = read("{id: s, type: silence, version: 2, severity: high, owner_team: success, action: Call}");
        AlertRule s = rules.first(RuleType.SILENCE);
        assertThat(s.version).isEqualTo(2);
        assertThat(s.duration("after")).isEqualTo(Duration.ofDays(10));
        assertThat(s.duration("churn_after")).isEqualTo(Duration.ofDays(45));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unknown rule key     | {id: s, type: silence, version: 1, severity: high, owner_team: success, action: Call, treshold: {}} | test.yaml rules.alerts[0].treshold: unknown key
        unknown type         | {id: s, type: silense, version: 1, severity: high, owner_team: success, action: Call}               | test.yaml rules.alerts[0].type: unknown rule type "silense"; one of milestone_at_risk,
        missing id           | {type: silence, version: 1, severity: high, owner_team: success, action: Call}                      | test.yaml rules.alerts[0].id: is required
        bad id               | {id: Big Rule, type: silence, version: 1, severity: high, owner_team: success, action: Call}        | test.yaml rules.alerts[0].id: must be lower-case letters
        missing version      | {id: s, type: silence, severity: high, owner_team: success, action: Call}                           | test.yaml rules.alerts[0].version: is required
        version zero         | {id: s, type: silence, version: 0, severity: high, owner_team: success, action: Call}               | test.yaml rules.alerts[0].version: must be at least 1, was 0
        bad severity         | {id: s, type: silence, version: 1, severity: urgent, owner_team: success, action: Call}             | test.yaml rules.alerts[0].severity: must be one of info, low, medium, high, critical, was "urgent"
        missing owner        | {id: s, type: silence, version: 1, severity: high, action: Call}                                    | test.yaml rules.alerts[0].owner_team: is required
        milestone owner      | {id: s, type: silence, version: 1, severity: high, owner_team: milestone, action: Call}             | test.yaml rules.alerts[0].owner_team: "milestone" (the milestone's own team) fits journey rules only
        missing action       | {id: s, type: silence, version: 1, severity: high, owner_team: success}                             | test.yaml rules.alerts[0].action: is required
        unknown threshold    | {id: s, type: silence, version: 1, severity: high, owner_team: success, action: Call, thresholds: {afer: 3 d}} | test.yaml rules.alerts[0].thresholds.afer: unknown key (did you mean after?)
        duration no unit     | {id: s, type: silence, version: 1, severity: high, owner_team: success, action: Call, thresholds: {after: 3}}  | test.yaml rules.alerts[0].thresholds.after: 3 has no unit
        negative duration    | {id: s, type: silence, version: 1, severity: high, owner_team: success, action: Call, thresholds: {after: -3 d}} | test.yaml rules.alerts[0].thresholds.after:
        thresholds on none   | {id: r, type: health_red, version: 1, severity: high, owner_team: success, action: Call, thresholds: {x: 1}} | test.yaml rules.alerts[0].thresholds: rule type health_red takes no thresholds
        rising decay         | {id: a, type: adoption_decay, version: 1, severity: high, owner_team: success, action: Call, thresholds: {slope_per_day: 1}} | test.yaml rules.alerts[0].thresholds.slope_per_day: must be negative
        decay min days       | {id: a, type: adoption_decay, version: 1, severity: high, owner_team: success, action: Call, thresholds: {min_days: 20}} | test.yaml rules.alerts[0].thresholds.min_days: must fit in the window (14 d)
        unknown component    | {id: a, type: adoption_decay, version: 1, severity: high, owner_team: success, action: Call, thresholds: {components: [logins]}} | test.yaml rules.alerts[0].thresholds.components[0]: must be one of adoption_breadth
        friction hysteresis  | {id: f, type: support_friction_spike, version: 1, severity: high, owner_team: support, action: Call, thresholds: {below: 50, clear_at: 40}} | test.yaml rules.alerts[0].thresholds.clear_at: must be at least below
        drop hysteresis      | {id: d, type: health_drop, version: 1, severity: high, owner_team: success, action: Call, thresholds: {drop: 10, clear_below: 12}} | test.yaml rules.alerts[0].thresholds.clear_below: must be below drop
        overdue min missed 0 | {id: o, type: milestone_overdue, version: 1, severity: high, owner_team: milestone, action: Call, thresholds: {min_missed: 0}} | test.yaml rules.alerts[0].thresholds.min_missed: must be a whole number of milestones, at least 1, was 0.0
        overdue min missed ½ | {id: o, type: milestone_overdue, version: 1, severity: high, owner_team: milestone, action: Call, thresholds: {min_missed: 1.5}} | test.yaml rules.alerts[0].thresholds.min_missed: must be a whole number of milestones, at least 1, was 1.5
        drop min days 1      | {id: d, type: health_drop, version: 1, severity: high, owner_team: success, action: Call, thresholds: {min_days: 1}} | test.yaml rules.alerts[0].thresholds.min_days: must be a whole number of daily scores from 2 to 15
        drop min days > window | {id: d, type: health_drop, version: 1, severity: high, owner_team: success, action: Call, thresholds: {within: 7 d, min_days: 14}} | test.yaml rules.alerts[0].thresholds.min_days: must be a whole number of daily scores from 2 to 8
        renewal no journey   | {id: n, type: renewal_low_health, version: 1, severity: high, owner_team: success, action: Call}     | test.yaml rules.alerts[0].type: renewal_low_health watches the journey named renewal, and journeys: has none (onboarding); add a renewal journey or remove this rule
        """)
    void shouldRejectABadRuleNamingItsPath(String kind, String rule, String message) {
        assertThatThrownBy(() -> read(rule)).as(kind).isInstanceOf(ModelException.class).hasMessageStartingWith(message);
    }

    @Test
    void shouldRejectADuplicateIdAndASecondRuleOfAType() {
        assertThatThrownBy(() -> read("{id: s, type: silence, version: 1, severity: high, owner_team: success, action: Call}",
                        "{id: s, type: health_red, version: 1, severity: high, owner_team: success, action: Call}"))
                .hasMessage("test.yaml rules.alerts[1].id: \"s\" is already the id of another rule");
        assertThatThrownBy(() -> read("{id: s, type: silence, version: 1, severity: high, owner_team: success, action: Call}",
                        "{id: t, type: silence, version: 1, severity: high, owner_team: success, action: Call}"))
                .hasMessageStartingWith("test.yaml rules.alerts[1].type: rule s is already of type silence");
    }

    @Test
    void shouldRejectBadLifecycleSettings() {
        assertThatThrownBy(() -> parse("rules:\n  lifecycle: {max_fires: 0}\n"))
                .hasMessage("test.yaml rules.lifecycle.max_fires: must be at least 1, was 0");
        assertThatThrownBy(() -> parse("rules:\n  lifecycle: {escalate_afer: 2 d}\n"))
                .hasMessageStartingWith("test.yaml rules.lifecycle.escalate_afer: unknown key (did you mean escalate_after?)");
        assertThatThrownBy(() -> parse("rules:\n  alert: []\n"))
                .hasMessageStartingWith("test.yaml rules.alert: unknown key");
    }

    private static AlertRules read(String... rules) {
        StringBuilder b = new StringBuilder("rules:\n  alerts:\n");
        for (String r : rules) {
            b.append("    - ").append(r).append('\n');
        }
        return parse(b.toString());
    }

    private static AlertRules parse(String rulesYaml) {
        return AlertRules.from(CustomerModel.parse(JOURNEY + rulesYaml, "test.yaml"));
    }
}
