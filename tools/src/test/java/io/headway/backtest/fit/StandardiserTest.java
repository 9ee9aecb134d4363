package io.headway.backtest.fit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

class StandardiserTest {

    private static final double NAN = Double.NaN;

    @Test
    void shouldStandardiseImputeTheMeanAndLeaveOutFeaturesWithoutValues() {
        // Feature 0: 1, 3, NaN → mean 2, population sd 1. Feature 1: constant 5 → scale 1. Feature 2: never known → left out.
        List<double[]> rows = List.of(new double[] {1, 5, NAN}, new double[] {3, 5, NAN}, new double[] {NAN, 5, NAN});
        Standardiser s = Standardiser.fit(rows, 3);
        assertThat(s.kept).containsExactly(0, 1);
        assertThat(s.mean).containsExactly(2.0, 5.0);
        assertThat(s.scale).containsExactly(1.0, 1.0);
        assertThat(s.apply(rows.get(0))).containsExactly(-1.0, 0.0);
        assertThat(s.apply(rows.get(2))).containsExactly(0.0, 0.0); // NaN → the mean → 0
        assertThat(s.apply(new double[] {6, 9, 1})).containsExactly(4.0, 4.0);
    }

    @Test
    void shouldUseThePopulationStandardDeviation() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population sd 2.
        List<double[]> rows = List.of(new double[] {2}, new double[] {4}, new double[] {4}, new double[] {4}, new double[] {5},
                new double[] {5}, new double[] {7}, new double[] {9});
        Standardiser s = Standardiser.fit(rows, 1);
        assertThat(s.mean[0]).isEqualTo(5.0);
        assertThat(s.scale[0]).isEqualTo(2.0);
    }
}
