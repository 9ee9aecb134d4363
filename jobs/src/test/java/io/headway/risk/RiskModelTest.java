package io.headway.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

class RiskModelTest {

    private final RiskModel model = new RiskModel(-1.0, List.of(
            new RiskModel.Term("silence_days", 0.8, 3.0, 4.0),
            new RiskModel.Term("milestones_overdue", 1.5, 0.2, 0.5),
            new RiskModel.Term("health", -1.2, 0.7, 0.15)), "2026-12-02");

    private static double[] features(String... pairs) {
        double[] v = new double[RiskFeatures.NAMES.size()];
        Arrays.fill(v, Double.NaN);
        for (int i = 0; i < pairs.length; i += 2) {
            v[RiskFeatures.NAMES.indexOf(pairs[i])] = Double.parseDouble(pairs[i + 1]);
        }
        return v;
    }

    @Test
    void shouldExplainItselfWithContributionsThatSumToTheLogit() {
        RiskModel.Assessment a = model.assess(features("silence_days", "11", "milestones_overdue", "1", "health", "0.4"));
        // 0.8 × (11 − 3) / 4 = 1.6; 1.5 × (1 − 0.2) / 0.5 = 2.4; −1.2 × (0.4 − 0.7) / 0.15 = 2.4
        assertThat(a.contributions()[RiskFeatures.NAMES.indexOf("silence_days")]).isCloseTo(1.6, within(1e-9));
        assertThat(a.logit()).isCloseTo(-1.0 + 1.6 + 2.4 + 2.4, within(1e-9));
        assertThat(a.intercept() + Arrays.stream(a.contributions()).sum()).isCloseTo(a.logit(), within(1e-12));
        assertThat(a.probability()).isCloseTo(1 / (1 + Math.exp(-5.4)), within(1e-12));
        assertThat(a.topDrivers(2)).containsExactlyInAnyOrder("milestones_overdue", "health");
    }

    @Test
    void shouldTakeAnUnknownValueAsTheMeanSoItContributesNothing() {
        RiskModel.Assessment a = model.assess(features("silence_days", "3"));
        assertThat(a.logit()).isEqualTo(-1.0);
        assertThat(a.topDrivers(5)).isEmpty();
    }

    @Test
    void shouldRefuseUnknownFeaturesAndDegenerateScales() {
        assertThatThrownBy(() -> new RiskModel.Term("nps", 1, 0, 1)).hasMessageContaining("unknown risk feature 'nps'");
        assertThatThrownBy(() -> new RiskModel.Term("health", 1, 0, 0)).hasMessageContaining("scale > 0");
    }
}
