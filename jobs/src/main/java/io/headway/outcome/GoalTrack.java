package io.headway.outcome;

import java.util.Arrays;

/**
 * One goal of one account: its definition (from the latest {@code goal_set}), its status, and the
 * window of latest measurements its trend is fitted to, in event-time order (ties by event id). Once
 * achieved or missed only the identity and outcome stay. A Flink POJO of arrays: no Kryo, well under
 * a kilobyte with the default window of 8.
 */
public class GoalTrack {

    public String goalId;
    public String metric;
    public boolean increase;
    public double baseline;
    public double target;
    public long deadline;
    /** The event id of the goal_set that declared the current definition. */
    public String declaredBy;

    public boolean open;
    /** on_track | at_risk while open; achieved | missed once ended. */
    public String status;
    /** Records emitted for this goal so far. */
    public int sequence;

    /** Measurements in the window: the first {@code size} entries, oldest first. */
    public int size;
    public long[] measuredAt = new long[0];
    public double[] values = new double[0];
    public String[] eventIds = new String[0];

    /** The earliest measurement since the goal was (re-)declared, kept beyond the window: the trend's evidence spans from it. */
    public long firstMeasuredAt = Long.MIN_VALUE;

    /** Trend and projection of the last record (NaN when it had none), to tell whether a measurement changed them. */
    public double lastTrend = Double.NaN;
    public double lastProjection = Double.NaN;

    public GoalTrack() {}

    boolean meets(double value) {
        return increase ? value >= target : value <= target;
    }

    /**
     * Adds a measurement at its place in event-time order (ties by event id); when the window is
     * full the oldest one leaves it. A measurement older than a full window is not kept.
     */
    void add(long at, double value, String eventId, int window) {
        firstMeasuredAt = firstMeasuredAt == Long.MIN_VALUE ? at : Math.min(firstMeasuredAt, at);
        int pos = size;
        while (pos > 0 && after(measuredAt[pos - 1], eventIds[pos - 1], at, eventId)) {
            pos--;
        }
        if (size == window) {
            if (pos == 0) {
                return;
            }
            // Drop the oldest: shift [1, pos) one to the left, the new one goes to pos - 1.
            System.arraycopy(measuredAt, 1, measuredAt, 0, pos - 1);
            System.arraycopy(values, 1, values, 0, pos - 1);
            System.arraycopy(eventIds, 1, eventIds, 0, pos - 1);
            pos--;
        } else {
            if (size == measuredAt.length) {
                int capacity = Math.min(window, Math.max(4, size * 2));
                measuredAt = Arrays.copyOf(measuredAt, capacity);
                values = Arrays.copyOf(values, capacity);
                eventIds = Arrays.copyOf(eventIds, capacity);
            }
            System.arraycopy(measuredAt, pos, measuredAt, pos + 1, size - pos);
            System.arraycopy(values, pos, values, pos + 1, size - pos);
            System.arraycopy(eventIds, pos, eventIds, pos + 1, size - pos);
            size++;
        }
        measuredAt[pos] = at;
        values[pos] = value;
        eventIds[pos] = eventId;
    }

    private static boolean after(long aAt, String aId, long bAt, String bId) {
        return aAt != bAt ? aAt > bAt : aId.compareTo(bId) > 0;
    }

    /** Ends the goal: only identity, outcome and the record count stay. */
    void close(String outcome) {
        open = false;
        status = outcome;
        metric = null;
        declaredBy = null;
        clearWindow();
    }

    void clearWindow() {
        size = 0;
        firstMeasuredAt = Long.MIN_VALUE;
        measuredAt = new long[0];
        values = new double[0];
        eventIds = new String[0];
        lastTrend = Double.NaN;
        lastProjection = Double.NaN;
    }
}
