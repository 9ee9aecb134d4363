package io.headway.backtest.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert threshold chosen at account level, as a CS team sees the alert: an account is flagged
 * if any of its (out-of-fold) samples has a probability at or above t, and it is a miss if any of
 * its outcome rows missed. The threshold is the lowest t whose precision reaches the target — the
 * most misses warned at that precision; if no t reaches it, the t with the best precision (the
 * lowest of equals), and {@link Choice#reached} says so.
 */
public final class Threshold {

    /** The chosen threshold and its account-level figures. */
    public record Choice(double threshold, double precision, double recall, int flagged, int flaggedMissed, int accounts, int missedAccounts,
            boolean reached) {}

    private Threshold() {}

    /** {@code accounts[i]}, {@code missed[i]} and {@code probability[i]} describe sample i. */
    public static Choice choose(String[] accounts, boolean[] missed, double[] probability, double targetPrecision) {
        Map<String, double[]> byAccount = new HashMap<>();
        for (int i = 0; i < accounts.length; i++) {
            double[] a = byAccount.computeIfAbsent(accounts[i], k -> new double[] {Double.NEGATIVE_INFINITY, 0});
            a[0] = Math.max(a[0], probability[i]);
            if (missed[i]) {
                a[1] = 1;
            }
        }
        int missedAccounts = 0;
        // Accounts by their highest probability: a threshold t flags exactly those with max ≥ t.
        TreeMap<Double, int[]> atMax = new TreeMap<>();
        for (double[] a : byAccount.values()) {
            int[] counts = atMax.computeIfAbsent(a[0], k -> new int[2]);
            counts[0]++;
            if (a[1] == 1) {
                counts[1]++;
                missedAccounts++;
            }
        }
        List<Choice> candidates = new ArrayList<>();
        int flagged = 0;
        int flaggedMissed = 0;
        for (Map.Entry<Double, int[]> e : atMax.descendingMap().entrySet()) {
            flagged += e.getValue()[0];
            flaggedMissed += e.getValue()[1];
            double precision = (double) flaggedMissed / flagged;
            double recall = missedAccounts == 0 ? 0 : (double) flaggedMissed / missedAccounts;
            candidates.add(new Choice(e.getKey(), precision, recall, flagged, flaggedMissed, byAccount.size(), missedAccounts,
                    precision >= targetPrecision));
        }
        // candidates run from the highest threshold to the lowest.
        for (int i = candidates.size() - 1; i >= 0; i--) {
            if (candidates.get(i).reached()) {
                return candidates.get(i);
            }
        }
        Choice best = null;
        for (int i = candidates.size() - 1; i >= 0; i--) {
            Choice c = candidates.get(i);
            if (best == null || c.precision() > best.precision()) {
                best = c;
            }
        }
        if (best == null) {
            return new Choice(1.01, Double.NaN, Double.NaN, 0, 0, 0, 0, false);
        }
        return best;
    }

    /** Area under the ROC curve of the samples (the Mann–Whitney statistic, ties counted half). NaN with one class. */
    public static double auc(boolean[] missed, double[] probability) {
        int n = missed.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(probability[a], probability[b]));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && probability[order[j + 1]] == probability[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (missed[order[k]]) {
                    rankSumPositive += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
