package io.headway.activity;

import java.util.Arrays;

/**
 * Per-account activity counters: a ring of 28 UTC-day buckets per source, plus the touchpoints that
 * arrived ahead of the next summary boundary (see {@link ActivitySummaryFunction}). A Flink POJO of
 * arrays only: serialized without Kryo, about 120 bytes per source seen, whatever the history length.
 */
public class ActivityState {

    public static final int DAYS = 28;

    /** Sources in the order they were first seen by this account. */
    public String[] sources = new String[0];

    /** counts[s * DAYS + floorMod(day, DAYS)] = touchpoints of source s on that UTC day. */
    public int[] counts = new int[0];

    /** Latest UTC day (days since epoch) folded into the ring; the ring covers (headDay - 28, headDay]. */
    public long headDay = Long.MIN_VALUE;

    /** Latest occurred_at folded into the counts. */
    public long lastSeenAt = Long.MIN_VALUE;

    /** Touchpoints not yet folded because a summary at an earlier boundary is still due. */
    public long[] aheadAt = new long[0];

    public String[] aheadSource = new String[0];

    /** Something was counted since the last emitted summary. */
    public boolean changed;

    /** The interval boundary most recently registered as a timer (a cache, not a promise). */
    public long lastBoundaryTimer = Long.MIN_VALUE;

    /** The pending timer for the next midnight at which a window loses a day, or MIN_VALUE. */
    public long changeTimer = Long.MIN_VALUE;

    public ActivityState() {}

    /** Counts one touchpoint on its UTC day. Days older than the ring are not counted (they cannot be in any window). */
    public void fold(String source, long occurredAt) {
        long day = Math.floorDiv(occurredAt, ActivitySummaryFunction.DAY_MILLIS);
        if (headDay == Long.MIN_VALUE) {
            headDay = day;
        } else if (day > headDay) {
            advanceTo(day);
        } else if (day <= headDay - DAYS) {
            lastSeenAt = Math.max(lastSeenAt, occurredAt);
            changed = true;
            return;
        }
        // Resolve the index first: indexOf may replace the counts array.
        int slot = indexOf(source) * DAYS + (int) Math.floorMod(day, DAYS);
        counts[slot]++;
        lastSeenAt = Math.max(lastSeenAt, occurredAt);
        changed = true;
    }

    private void advanceTo(long day) {
        long clearFrom = Math.max(headDay + 1, day - DAYS + 1);
        for (long d = clearFrom; d <= day; d++) {
            int slot = (int) Math.floorMod(d, DAYS);
            for (int s = 0; s < sources.length; s++) {
                counts[s * DAYS + slot] = 0;
            }
        }
        headDay = day;
    }

    private int indexOf(String source) {
        for (int i = 0; i < sources.length; i++) {
            if (sources[i].equals(source)) {
                return i;
            }
        }
        sources = Arrays.copyOf(sources, sources.length + 1);
        sources[sources.length - 1] = source;
        counts = Arrays.copyOf(counts, counts.length + DAYS);
        return sources.length - 1;
    }

    /** Touchpoints of source index s on the days (lastDay - days, lastDay]. */
    public long count(int s, long lastDay, int days) {
        if (headDay == Long.MIN_VALUE) {
            return 0;
        }
        long from = Math.max(lastDay - days + 1, headDay - DAYS + 1);
        long to = Math.min(lastDay, headDay);
        long sum = 0;
        for (long d = from; d <= to; d++) {
            sum += counts[s * DAYS + (int) Math.floorMod(d, DAYS)];
        }
        return sum;
    }

    /**
     * The first midnight after {@code after} at which a day with touchpoints leaves the 7-day or
     * the 28-day window. A day d is in the windows of a summary as of midnight D while
     * D <= d + 7 (resp. d + 28), so it leaves them at D = d + 8 and D = d + 29.
     */
    public long nextWindowChange(long after) {
        long minDay = Math.floorDiv(after, ActivitySummaryFunction.DAY_MILLIS) + 1;
        long best = Long.MAX_VALUE;
        for (long d = headDay - DAYS + 1; d <= headDay; d++) {
            int slot = (int) Math.floorMod(d, DAYS);
            boolean any = false;
            for (int s = 0; s < sources.length && !any; s++) {
                any = counts[s * DAYS + slot] != 0;
            }
            if (!any) {
                continue;
            }
            if (d + 8 >= minDay) {
                best = Math.min(best, d + 8);
            } else if (d + 29 >= minDay) {
                best = Math.min(best, d + 29);
            }
        }
        return best == Long.MAX_VALUE ? Long.MAX_VALUE : best * ActivitySummaryFunction.DAY_MILLIS;
    }

    public void addAhead(String source, long occurredAt) {
        int n = aheadAt.length;
        aheadAt = Arrays.copyOf(aheadAt, n + 1);
        aheadSource = Arrays.copyOf(aheadSource, n + 1);
        aheadAt[n] = occurredAt;
        aheadSource[n] = source;
    }

    /** Folds the ahead touchpoints that occurred before {@code boundary}; returns the earliest left, or MAX_VALUE. */
    public long foldAheadBefore(long boundary) {
        int kept = 0;
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < aheadAt.length; i++) {
            if (aheadAt[i] < boundary) {
                fold(aheadSource[i], aheadAt[i]);
            } else {
                aheadAt[kept] = aheadAt[i];
                aheadSource[kept] = aheadSource[i];
                earliest = Math.min(earliest, aheadAt[i]);
                kept++;
            }
        }
        if (kept != aheadAt.length) {
            aheadAt = Arrays.copyOf(aheadAt, kept);
            aheadSource = Arrays.copyOf(aheadSource, kept);
        }
        return earliest;
    }

    public boolean hasAhead() {
        return aheadAt.length > 0;
    }
}
