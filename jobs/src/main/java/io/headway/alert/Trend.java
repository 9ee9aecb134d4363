package io.headway.alert;

import java.util.Arrays;

/** Robust trend of a short daily series: the Theil-Sen slope (median of pairwise slopes), per day. */
public final class Trend {

    private Trend() {}

    /** Median of (v[j] - v[i]) / days between, over all pairs i < j with distinct times; 0 with fewer than 2 points. */
    public static double theilSenPerDay(long[] at, double[] v) {
        int n = at.length;
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (at[j] != at[i]) {
                    slopes[k++] = (v[j] - v[i]) / ((at[j] - at[i]) / (double) AlertFunction.DAY);
                }
            }
        }
        if (k == 0) {
            return 0;
        }
        double[] s = Arrays.copyOf(slopes, k);
        Arrays.sort(s);
        return k % 2 == 1 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
    }
}
