package io.headway.outcome;

import java.util.Arrays;

/**
 * A robust straight line through a goal's recent measurements: the Theil–Sen estimator. The slope
 * is the median of the slopes between every pair of measurements at different times, the intercept
 * the median of {@code value − slope × time}; a single wild measurement moves neither (up to 29 % of
 * the points can be outliers), where a least-squares line would swing towards it.
 *
 * <p>Times are in days relative to an origin the caller picks; {@link #valueAt} projects the line.
 * Both take the measurements as parallel arrays (the first {@code n} entries) and a scratch array of
 * at least {@link #scratchSize(int)} entries, so a fit allocates nothing. The result depends only
 * on the set of (time, value) pairs, never on their order.
 */
public final class GoalTrend {

    static final double DAY_MILLIS = 24.0 * 60 * 60 * 1000;

    private GoalTrend() {}

    /** Scratch entries {@link #slopePerDay} needs for {@code n} measurements: one per pair. */
    public static int scratchSize(int n) {
        return Math.max(n, n * (n - 1) / 2);
    }

    /**
     * The Theil–Sen slope in value units per day, or NaN when fewer than two measurements are at
     * different times (no trend can be told).
     */
    public static double slopePerDay(long[] at, double[] values, int n, double[] scratch) {
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (at[i] != at[j]) {
                    scratch[pairs++] = (values[j] - values[i]) / ((at[j] - at[i]) / DAY_MILLIS);
                }
            }
        }
        return pairs == 0 ? Double.NaN : median(scratch, pairs);
    }

    /**
     * The line's value at {@code when}: the median of {@code value_i + slope × (when − at_i)}, i.e. the
     * median-based intercept with {@code when} as the origin. NaN when {@code slope} is NaN.
     */
    public static double valueAt(long[] at, double[] values, int n, double slopePerDay, long when, double[] scratch) {
        if (Double.isNaN(slopePerDay) || n == 0) {
            return Double.NaN;
        }
        for (int i = 0; i < n; i++) {
            scratch[i] = values[i] + slopePerDay * ((when - at[i]) / DAY_MILLIS);
        }
        return median(scratch, n);
    }

    /** The median of {@code a[0..n)} (the mean of the middle two for even n); sorts that range. */
    static double median(double[] a, int n) {
        Arrays.sort(a, 0, n);
        int mid = n / 2;
        return n % 2 == 1 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
    }
}
