package io.headway.model;

import static io.headway.testing.Fixtures.DAY_0;
import static io.headway.testing.Fixtures.touchpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.schema.Touchpoint;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class MatcherTest {

    private static final String ACCOUNT = "acc-1";

    @Test
    void shouldMatchOnSourceAlone() {
        Matcher billing = Matcher.of("billing", List.of(), Map.of());

        assertThat(billing.matches(event("billing", "invoice_paid"))).isTrue();
        assertThat(billing.matches(event("billing", "subscription_cancelled"))).isTrue();
        assertThat(billing.matches(event("product", "invoice_paid"))).isFalse();
    }

    @Test
    void shouldMatchOnTypeFromAnySource() {
        Matcher login = Matcher.of(null, List.of("login"), Map.of());

        assertThat(login.matches(event("product", "login"))).isTrue();
        assertThat(login.matches(event("mobile", "login"))).isTrue();
        assertThat(login.matches(event("product", "feature_used"))).isFalse();
    }

    @Test
    void shouldMatchAnyTypeOfAList() {
        Matcher invoice = Matcher.of("billing", List.of("invoice_issued", "invoice_paid"), Map.of());

        assertThat(invoice.matches(event("billing", "invoice_issued"))).isTrue();
        assertThat(invoice.matches(event("billing", "invoice_paid"))).isTrue();
        assertThat(invoice.matches(event("billing", "invoice_overdue"))).isFalse();
        assertThat(invoice.matches(event("support", "invoice_paid"))).isFalse();
    }

    @Test
    void shouldRequireEveryListedAttributeToBeEqual() {
        Matcher renewalPaid = Matcher.of("billing", List.of("invoice_paid"), Map.of("period", "2", "currency", "EUR"));

        assertThat(renewalPaid.matches(event("billing", "invoice_paid", Map.of("period", "2", "currency", "EUR", "x", "y"))))
                .isTrue();
        assertThat(renewalPaid.matches(event("billing", "invoice_paid", Map.of("period", "2")))).isFalse();
        assertThat(renewalPaid.matches(event("billing", "invoice_paid", Map.of("period", "3", "currency", "EUR"))))
                .isFalse();
        assertThat(renewalPaid.matches(event("billing", "invoice_paid", Map.of("period", "02", "currency", "EUR"))))
                .as("values are compared as text, exactly")
                .isFalse();
    }

    @Test
    void shouldNotMatchAttributesOfATouchpointWithoutAnAttributeMap() {
        Matcher kickoff = Matcher.of(null, List.of("milestone_reached"), Map.of("milestone", "kickoff"));
        Touchpoint noMap = event("onboarding", "milestone_reached");
        noMap.setAttributes(null);
        Matcher anyMilestone = Matcher.of(null, List.of("milestone_reached"), Map.of());

        assertThat(kickoff.matches(event("onboarding", "milestone_reached", Map.of("milestone", "kickoff")))).isTrue();
        assertThat(kickoff.matches(noMap)).isFalse();
        assertThat(kickoff.matches(event("onboarding", "milestone_reached"))).isFalse();
        assertThat(anyMilestone.matches(noMap)).isTrue();
    }

    @Test
    void shouldReadTypeAsOneOrAListAndAttributeNumbersAsText() {
        ModelNode scores =
                CustomerModel.parse(
                                ModelYaml.VALID.replace(
                                        "scores:\n",
                                        "scores:\n  one: {type: login}\n  many: {type: [login, feature_used]}\n"
                                                + "  numbered: {source: billing, attributes: {period: 2, trial: false}}\n"),
                                ModelYaml.ORIGIN)
                        .section("scores");

        assertThat(Matcher.read(scores.get("one"))).isEqualTo(Matcher.of(null, List.of("login"), Map.of()));
        assertThat(Matcher.read(scores.get("many")).types()).containsExactly("login", "feature_used");
        Matcher numbered = Matcher.read(scores.get("numbered"));
        assertThat(numbered.attributes()).containsExactly(Map.entry("period", "2"), Map.entry("trial", "false"));
        assertThat(numbered.matches(event("billing", "invoice_paid", Map.of("period", "2", "trial", "false")))).isTrue();
    }

    @Test
    void shouldDescribeItselfForExplanations() {
        assertThat(Matcher.of("onboarding", List.of("milestone_reached"), Map.of("milestone", "kickoff")).describe())
                .isEqualTo("onboarding/milestone_reached{milestone=kickoff}");
        assertThat(Matcher.of("billing", List.of("invoice_issued", "invoice_paid"), Map.of()).describe())
                .isEqualTo("billing/invoice_issued|invoice_paid");
        assertThat(Matcher.of(null, List.of(), Map.of("plan", "team")).describe()).isEqualTo("*/*{plan=team}");
    }

    @Test
    void shouldRefuseAMatcherWithoutCondition() {
        assertThatThrownBy(() -> Matcher.of(null, List.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a source, a type or an attribute");
        assertThatThrownBy(() -> Matcher.of(" ", List.of(), Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static Touchpoint event(String source, String type) {
        return touchpoint(ACCOUNT, DAY_0, source, type);
    }

    private static Touchpoint event(String source, String type, Map<String, String> attributes) {
        return touchpoint("e-1", ACCOUNT, DAY_0, source, type, attributes);
    }
}
