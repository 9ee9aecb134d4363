package io.headway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

/** The reader later sections (scores, rules) use: typed values, defaults and errors at exact paths. */
class ModelNodeTest {

    private static final ModelNode SCORES =
            CustomerModel.parse(
                            ModelYaml.VALID.replace(
                                    "scores:\n",
                                    "scores:\n  window: 28 d\n  buckets: 7\n  enabled: true\n  label: health\n"
                                            + "  signals: [{type: login}, {type: ticket_opened}]\n"),
                            ModelYaml.ORIGIN)
                    .section("scores");

    @Test
    void shouldReadTypedValuesOrTheirDefaults() {
        assertThat(SCORES.optionalDuration("window", Duration.ZERO)).isEqualTo(Duration.ofDays(28));
        assertThat(SCORES.optionalDuration("horizon", Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
        assertThat(SCORES.optionalInt("buckets", 0)).isEqualTo(7);
        assertThat(SCORES.optionalInt("missing", 3)).isEqualTo(3);
        assertThat(SCORES.optionalBoolean("enabled", false)).isTrue();
        assertThat(SCORES.optionalBoolean("missing", true)).isTrue();
        assertThat(SCORES.optionalString("label", "x")).isEqualTo("health");
        assertThat(SCORES.requireList("signals")).extracting(ModelNode::path)
                .containsExactly("scores.signals[0]", "scores.signals[1]");
        assertThat(SCORES.get("signals").at(1).requireString("type")).isEqualTo("ticket_opened");
    }

    @Test
    void shouldNameThePathOfAValueOfTheWrongType() {
        assertThatThrownBy(() -> SCORES.optionalInt("label", 0))
                .hasMessage("test.yaml scores.label: must be a whole number, was \"health\"");
        assertThatThrownBy(() -> SCORES.optionalBoolean("buckets", false))
                .hasMessage("test.yaml scores.buckets: must be true or false, was 7");
        assertThatThrownBy(() -> SCORES.requireDuration("buckets"))
                .hasMessage("test.yaml scores.buckets: 7 has no unit (use e.g. 5 d, 12 h, 30 min)");
        assertThatThrownBy(() -> SCORES.get("label").get("x"))
                .hasMessageStartingWith("test.yaml scores.label: must be a mapping");
        assertThatThrownBy(() -> SCORES.requireList("weights"))
                .hasMessageStartingWith("test.yaml scores.weights: must be a list, was a mapping");
        assertThatThrownBy(() -> SCORES.requireList("thresholds"))
                .hasMessage("test.yaml scores.thresholds: is required");
    }

    @Test
    void shouldCheckKeysAgainstWhatTheSectionAllows() {
        assertThatThrownBy(() -> SCORES.checkKeys(Set.of("window", "buckets", "enabled", "labels", "signals", "weights")))
                .hasMessage("test.yaml scores.label: unknown key (did you mean labels?)");
        SCORES.checkKeys(Set.of("window", "buckets", "enabled", "label", "signals", "weights"));
    }

    @Test
    void shouldTreatEverythingUnderAMissingEntryAsMissing() {
        ModelNode rules = ModelYaml.valid().parse().section("rules");

        assertThat(rules.get("alerts").at(0).get("when").isMissing()).isTrue();
        assertThat(rules.get("alerts").at(0).get("when").path()).isEqualTo("rules.alerts[0].when");
        assertThat(rules.elements()).isEmpty();
        assertThat(rules.optionalDouble("threshold", 0.5)).isEqualTo(0.5);
    }
}
