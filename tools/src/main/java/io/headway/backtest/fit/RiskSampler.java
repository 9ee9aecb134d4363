package io.headway.backtest.fit;

import io.headway.risk.RiskFeatures;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a run's risk re-assessments into training samples without keeping the run: the outcomes
 * are read before the job starts, so the sampler knows which accounts and results it samples, and
 * keeps only what a sample needs. Two ways to choose the sample times: {@link #landmarks} (the
 * default: every D days of an account's life, closer to how the job alerts on any assessment) and
 * {@link #daysBefore} (fixed days before each result). Thread-safe.
 */
public abstract class RiskSampler {

    /** What happened to one account and result: an outcome row. */
    public record Outcome(String accountId, boolean missed, long resultAt) {}

    /**
     * One training sample: the account's features as of {@code at}, {@code daysBefore} whole days
     * before its result; {@code assessedAt} is when that assessment was made (at or before {@code at}).
     */
    public record Sample(String accountId, boolean missed, int daysBefore, long at, long assessedAt, double[] values) {}

    static final long DAY = RiskFeatures.DAY;
    private static final Pattern RANGE = Pattern.compile("(\\d+)\\.\\.(\\d+)/(\\d+)");

    private long offered;

    RiskSampler() {}

    /** Samples each outcome row {@code days} days before its result_at ({@code --sample-days}). */
    public static RiskSampler daysBefore(List<Outcome> outcomes, int[] days) {
        return new DaysBeforeSampler(outcomes, days);
    }

    /**
     * Samples each outcome row every {@code everyDays} days from its account's first assessment +
     * {@code everyDays} until its result_at − {@link LandmarkSampler#LAST_DAYS_BEFORE} days ({@code --sample-every}).
     */
    public static RiskSampler landmarks(List<Outcome> outcomes, int everyDays) {
        return new LandmarkSampler(outcomes, everyDays);
    }

    /**
     * An assessment of {@code accountId} as of {@code asOf} (event time) with its feature values in
     * {@link RiskFeatures#NAMES} order (NaN where unknown). The array is not copied, so do not reuse it.
     */
    public abstract void offer(String accountId, long asOf, double[] values);

    /** The samples, per outcome row in file order, then by sample time. */
    public abstract List<Sample> samples();

    /** Assessments offered so far (of any account). */
    public final synchronized long offered() {
        return offered;
    }

    final synchronized void counted() {
        offered++;
    }

    /**
     * Parses "56,42,28" into days; an item may be a range FROM..TO/STEP ("7..273/14" = 7, 21, ..., 273),
     * so a long journey can be sampled over its whole length.
     */
    public static int[] parseDays(String text) {
        List<Integer> days = new ArrayList<>();
        for (String part : text.split(",")) {
            String item = part.trim();
            Matcher range = RANGE.matcher(item);
            if (range.matches()) {
                int from = Integer.parseInt(range.group(1));
                int to = Integer.parseInt(range.group(2));
                int step = Integer.parseInt(range.group(3));
                if (step < 1 || to < from) {
                    throw new IllegalArgumentException("--sample-days: '" + item + "' needs FROM ≤ TO and a STEP of at least 1");
                }
                for (int d = from; d <= to; d += step) {
                    days.add(d);
                }
                continue;
            }
            try {
                days.add(Integer.parseInt(item));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sample-days: '" + item + "' is not a whole number of days or a range FROM..TO/STEP");
            }
            if (days.get(days.size() - 1) < 0) {
                throw new IllegalArgumentException("--sample-days: " + item + " is negative");
            }
        }
        if (days.stream().distinct().count() != days.size()) {
            throw new IllegalArgumentException("--sample-days: a day count is given twice in '" + text + "'");
        }
        return days.stream().mapToInt(Integer::intValue).toArray();
    }
}
