package io.headway.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The Theil–Sen trend and projection on hand-computed cases. Times are whole days after a day 0;
 * every expected number is worked out in the comment above it.
 */
class GoalTrendTest {

    private static final long DAY = 24L * 60 * 60 * 1000;
    private static final double EXACT = 1e-9;

    @Test
    void shouldFitAnExactLine() {
        // 10, 17, 24, 31 on days 0, 7, 14, 21: every pair rises 1 a day; day 35: 31 + 14 = 45.
        Fit f = fit(new int[] {0, 7, 14, 21}, 10, 17, 24, 31);

        assertThat(f.slope).isCloseTo(1.0, within(EXACT));
        assertThat(f.valueAt(35)).isCloseTo(45.0, within(EXACT));
    }

    @Test
    void shouldIgnoreASingleOutlierWhereLeastSquaresWouldNot() {
        // The line 10 + t with 100 instead of 31 on day 21. Pairwise slopes: seven pairs without day 21
        // give 1; the four with it give 90/21, 83/14, 76/7, -62/7. Median of the ten: (1 + 1) / 2 = 1.
        // Day 35: 10+35, 17+28, 24+21, 100+14, 38+7 -> 45, 45, 45, 114, 45 -> median 45.
        Fit f = fit(new int[] {0, 7, 14, 21, 28}, 10, 17, 24, 100, 38);

        assertThat(f.slope).isCloseTo(1.0, within(EXACT));
        assertThat(f.valueAt(35)).isCloseTo(45.0, within(EXACT));
        // Least squares through the same points: Sxy / Sxx = 973 / 490 = 1.99, nearly double.
        assertThat(leastSquaresSlope(new int[] {0, 7, 14, 21, 28}, 10, 17, 24, 100, 38)).isCloseTo(973.0 / 490, within(EXACT));
    }

    @Test
    void shouldFitTwoPointsExactly() {
        // (0, 20), (10, 25): 0.5 a day; day 30: 20 + 15 = 25 + 10 = 35.
        Fit f = fit(new int[] {0, 10}, 20, 25);

        assertThat(f.slope).isCloseTo(0.5, within(EXACT));
        assertThat(f.valueAt(30)).isCloseTo(35.0, within(EXACT));
    }

    @Test
    void shouldFitADecreasingMetric() {
        // 20, 17, 15, 11 on days 0, 7, 14, 21. Slopes: -3/7, -5/14, -3/7, -2/7, -3/7, -4/7;
        // sorted -4/7, -3/7, -3/7, -3/7, -5/14, -2/7: median -3/7. Day 28: 20-12, 17-9, 15-6, 11-3
        // = 8, 8, 9, 8 -> median 8.
        Fit f = fit(new int[] {0, 7, 14, 21}, 20, 17, 15, 11);

        assertThat(f.slope).isCloseTo(-3.0 / 7, within(EXACT));
        assertThat(f.valueAt(28)).isCloseTo(8.0, within(EXACT));
    }

    @Test
    void shouldGiveNoTrendWithoutTwoMeasurementsAtDifferentTimes() {
        assertThat(fit(new int[] {}).slope).isNaN();
        assertThat(fit(new int[] {}).valueAt(10)).isNaN();
        assertThat(fit(new int[] {3}, 5).slope).isNaN();
        assertThat(fit(new int[] {3}, 5).valueAt(10)).isNaN();
        assertThat(fit(new int[] {3, 3}, 5, 6).slope).as("same instant").isNaN();
    }

    @Test
    void shouldNotDependOnTheOrderOfTheMeasurements() {
        Fit sorted = fit(new int[] {0, 7, 14, 21, 28}, 10, 17, 24, 100, 38);
        Fit shuffled = fit(new int[] {21, 0, 28, 14, 7}, 100, 10, 38, 24, 17);

        assertThat(shuffled.slope).isEqualTo(sorted.slope);
        assertThat(shuffled.valueAt(35)).isEqualTo(sorted.valueAt(35));
    }

    private static final class Fit {
        final long[] at;
        final double[] values;
        final double slope;

        Fit(long[] at, double[] values) {
            this.at = at;
            this.values = values;
            this.slope = GoalTrend.slopePerDay(at, values, at.length, new double[GoalTrend.scratchSize(at.length)]);
        }

        double valueAt(int day) {
            return GoalTrend.valueAt(at, values, at.length, slope, day * DAY, new double[Math.max(1, at.length)]);
        }
    }

    private static Fit fit(int[] days, double... values) {
        long[] at = new long[days.length];
        for (int i = 0; i < days.length; i++) {
            at[i] = days[i] * DAY;
        }
        return new Fit(at, values);
    }

    private static double leastSquaresSlope(int[] days, double... values) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < days.length; i++) {
            mx += days[i];
            my += values[i];
        }
        mx /= days.length;
        my /= days.length;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < days.length; i++) {
            sxy += (days[i] - mx) * (values[i] - my);
            sxx += (days[i] - mx) * (days[i] - mx);
        }
        return sxy / sxx;
    }
}
