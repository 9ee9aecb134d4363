package io.headway.backtest.fit;

import io.headway.risk.RiskFeatures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a run's risk re-assessments into training samples without keeping the run: the outcomes
 * are read before the job starts, so every sample time (result_at − k days, for each outcome row
 * and each k) is known up front, and for each one only the latest assessment at or before it is
 * kept. Memory is one feature vector per pending sample time, however long the history.
 *
 * <p>Assessments may arrive in any order (several sink subtasks): a slot keeps the one with the
 * greatest {@code as_of} not after its time; of two with the same {@code as_of}, the later arrival
 * (an account's own updates reach one subtask in order, so that is the later re-assessment).
 * Thread-safe. Used with {@code --sample-days}.
 */
final class DaysBeforeSampler extends RiskSampler {


    /** Per account, its distinct sample times ascending, and the latest assessment kept for each. */
    private static final class Slots {
        final long[] times;
        final long[] assessedAt;
        final double[][] values;

        Slots(long[] times) {
            this.times = times;
            this.assessedAt = new long[times.length];
            Arrays.fill(assessedAt, Long.MIN_VALUE);
            this.values = new double[times.length][];
        }
    }

    private final List<Outcome> outcomes;
    private final int[] sampleDays;
    private final Map<String, Slots> slots = new HashMap<>();

    DaysBeforeSampler(List<Outcome> outcomes, int[] sampleDays) {
        if (sampleDays.length == 0) {
            throw new IllegalArgumentException("no sample days");
        }
        for (int k : sampleDays) {
            if (k < 0) {
                throw new IllegalArgumentException("sample days must be ≥ 0, was " + k);
            }
        }
        this.outcomes = List.copyOf(outcomes);
        this.sampleDays = sampleDays.clone();
        Map<String, TreeSet<Long>> times = new HashMap<>();
        for (Outcome o : outcomes) {
            TreeSet<Long> t = times.computeIfAbsent(o.accountId(), a -> new TreeSet<>());
            for (int k : sampleDays) {
                t.add(o.resultAt() - k * DAY);
            }
        }
        times.forEach((account, t) -> slots.put(account, new Slots(t.stream().mapToLong(Long::longValue).toArray())));
    }

    /**
     * An assessment of {@code accountId} as of {@code asOf} (event time) with its feature values in
     * {@link RiskFeatures#NAMES} order (NaN where unknown). Kept only where it is the latest so far
     * for some sample time of the account; the array is not copied, so do not reuse it.
     */
    @Override
    public synchronized void offer(String accountId, long asOf, double[] values) {
        counted();
        Slots s = slots.get(accountId);
        if (s == null) {
            return;
        }
        int from = Arrays.binarySearch(s.times, asOf);
        if (from < 0) {
            from = -from - 1;
        }
        for (int i = from; i < s.times.length; i++) {
            if (asOf >= s.assessedAt[i]) {
                s.assessedAt[i] = asOf;
                s.values[i] = values;
            }
        }
    }

    /**
     * The samples: per outcome row (file order) and k (the order given), the latest assessment at or
     * before result_at − k days; none where the account had no assessment by then.
     */
    @Override
    public synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            Slots s = slots.get(o.accountId());
            for (int k : sampleDays) {
                long at = o.resultAt() - k * DAY;
                int i = Arrays.binarySearch(s.times, at);
                if (s.values[i] != null) {
                    out.add(new Sample(o.accountId(), o.missed(), k, at, s.assessedAt[i], s.values[i]));
                }
            }
        }
        return out;
    }
}
