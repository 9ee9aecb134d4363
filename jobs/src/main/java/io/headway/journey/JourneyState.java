package io.headway.journey;

import io.headway.schema.Touchpoint;

import java.util.Arrays;

/**
 * Per-account journey state: the instances (open, or the closed summary of each journey entered),
 * the touchpoints not yet applied because event time has not passed them, and the timers registered.
 *
 * <p>Pending touchpoints are parallel arrays that grow by doubling, so buffering one is no allocation
 * in the common case. Only a touchpoint that matches a journey rule keeps its full record (it may
 * have to go to the late output); the others keep source, time and, for survey answers, the answer.
 */
public class JourneyState {

    public int pendingSize;
    public long[] pendingAt = new long[0];
    /** {@link JourneyModel#classify} bits; 0 for a touchpoint that only counts. */
    public long[] pendingMatch = new long[0];
    public String[] pendingSource = new String[0];
    /** Survey name for a survey answer, else null. */
    public String[] pendingSurvey = new String[0];
    public double[] pendingValue = new double[0];
    /** The touchpoint itself for matching ones (a copy), else null. */
    public Touchpoint[] pendingTouchpoint = new Touchpoint[0];

    /** Instances in the order the account entered their journeys; at most one per journey. */
    public JourneyInstance[] instances = new JourneyInstance[0];

    /** Event-time timers registered and not yet fired, so none is registered twice or left behind. */
    public long[] timers = new long[0];

    /** The timer armed for the next deadline of any open instance, or MIN_VALUE. */
    public long deadlineTimer = Long.MIN_VALUE;

    /** Event time up to which (inclusive) touchpoints and deadlines have been applied. */
    public long appliedUpTo = Long.MIN_VALUE;

    public JourneyState() {}

    void addPending(long at, long match, String source, String survey, double value, Touchpoint touchpoint) {
        if (pendingSize == pendingAt.length) {
            int capacity = Math.max(4, pendingSize * 2);
            pendingAt = Arrays.copyOf(pendingAt, capacity);
            pendingMatch = Arrays.copyOf(pendingMatch, capacity);
            pendingSource = Arrays.copyOf(pendingSource, capacity);
            pendingSurvey = Arrays.copyOf(pendingSurvey, capacity);
            pendingValue = Arrays.copyOf(pendingValue, capacity);
            pendingTouchpoint = Arrays.copyOf(pendingTouchpoint, capacity);
        }
        int i = pendingSize++;
        pendingAt[i] = at;
        pendingMatch[i] = match;
        pendingSource[i] = source;
        pendingSurvey[i] = survey;
        pendingValue[i] = value;
        pendingTouchpoint[i] = touchpoint;
    }

    /**
     * Indices of the pending touchpoints at or before {@code upTo}, in the order they are applied:
     * by event time; at one instant the ones that only count first, then the matching ones by
     * event id. Arrival order never decides, so neither does the order within the watermark bound.
     */
    int[] pendingUpTo(long upTo) {
        int n = 0;
        for (int i = 0; i < pendingSize; i++) {
            if (pendingAt[i] <= upTo) {
                n++;
            }
        }
        int[] order = new int[n];
        int k = 0;
        for (int i = 0; i < pendingSize; i++) {
            if (pendingAt[i] <= upTo) {
                // Insertion sort: a handful of entries, mostly in order already.
                int j = k++;
                while (j > 0 && appliesAfter(order[j - 1], i)) {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = i;
            }
        }
        return order;
    }

    private boolean appliesAfter(int a, int b) {
        if (pendingAt[a] != pendingAt[b]) {
            return pendingAt[a] > pendingAt[b];
        }
        boolean aMatches = pendingMatch[a] != 0;
        boolean bMatches = pendingMatch[b] != 0;
        if (aMatches != bMatches) {
            return aMatches;
        }
        return aMatches && pendingTouchpoint[a].getEventId().compareTo(pendingTouchpoint[b].getEventId()) > 0;
    }

    /** Forgets the last pending touchpoint (one applied at once instead of buffered). */
    void dropLastPending() {
        pendingSize--;
        pendingSource[pendingSize] = null;
        pendingSurvey[pendingSize] = null;
        pendingTouchpoint[pendingSize] = null;
    }

    /** Drops the pending touchpoints at or before {@code upTo} that {@code keep} does not keep. */
    void removePending(long upTo, boolean keepMatching) {
        int kept = 0;
        for (int i = 0; i < pendingSize; i++) {
            if (pendingAt[i] > upTo || (keepMatching && pendingMatch[i] != 0)) {
                pendingAt[kept] = pendingAt[i];
                pendingMatch[kept] = pendingMatch[i];
                pendingSource[kept] = pendingSource[i];
                pendingSurvey[kept] = pendingSurvey[i];
                pendingValue[kept] = pendingValue[i];
                pendingTouchpoint[kept] = pendingTouchpoint[i];
                kept++;
            }
        }
        for (int i = kept; i < pendingSize; i++) {
            pendingSource[i] = null;
            pendingSurvey[i] = null;
            pendingTouchpoint[i] = null;
        }
        pendingSize = kept;
        if (pendingSize == 0 && pendingAt.length > 16) {
            // A burst grew the buffer; do not keep its capacity in state for ever.
            pendingAt = new long[0];
            pendingMatch = new long[0];
            pendingSource = new String[0];
            pendingSurvey = new String[0];
            pendingValue = new double[0];
            pendingTouchpoint = new Touchpoint[0];
        }
    }

    JourneyInstance instance(String journey) {
        for (JourneyInstance i : instances) {
            if (i.journey.equals(journey)) {
                return i;
            }
        }
        return null;
    }

    void put(JourneyInstance instance) {
        for (int i = 0; i < instances.length; i++) {
            if (instances[i].journey.equals(instance.journey)) {
                instances[i] = instance;
                return;
            }
        }
        instances = Arrays.copyOf(instances, instances.length + 1);
        instances[instances.length - 1] = instance;
    }

    boolean anyOpen() {
        for (JourneyInstance i : instances) {
            if (i.open) {
                return true;
            }
        }
        return false;
    }

    /** Whether a pending touchpoint relies on a timer at {@code t} (its own, or the drain at midnight). */
    boolean pendingNeeds(long t) {
        for (int i = 0; i < pendingSize; i++) {
            if (pendingAt[i] + 1 == t || JourneyFunction.nextMidnight(pendingAt[i]) == t) {
                return true;
            }
        }
        return false;
    }

    boolean hasTimer(long t) {
        for (long x : timers) {
            if (x == t) {
                return true;
            }
        }
        return false;
    }

    void addTimer(long t) {
        timers = Arrays.copyOf(timers, timers.length + 1);
        timers[timers.length - 1] = t;
    }

    void removeTimer(long t) {
        for (int i = 0; i < timers.length; i++) {
            if (timers[i] == t) {
                timers[i] = timers[timers.length - 1];
                timers = Arrays.copyOf(timers, timers.length - 1);
                return;
            }
        }
    }
}
