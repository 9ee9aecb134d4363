package io.headway.bench;

import java.util.concurrent.atomic.LongAdder;

/**
 * Record counts of one benchmark run, shared between the MiniCluster tasks and the driver through
 * static fields: the benchmark runs Flink in its own JVM, so the tasks see the same classes.
 */
public final class BenchmarkCounters {

    /** Records parsed by the source; the monitor's progress signal. */
    public static final LongAdder SOURCE_RECORDS = new LongAdder();
    /** Touchpoints that reached the keyed no-op of the bare pipeline. */
    public static final LongAdder BARE_KEYED = new LongAdder();
    /** Activity summaries that reached the (discarding) activity sink of the full pipeline. */
    public static final LongAdder ACTIVITY = new LongAdder();
    /** Activity summaries that reached the (discarding) database sink of the full pipeline. */
    public static final LongAdder ACTIVITY_DATABASE = new LongAdder();
    public static final LongAdder DEAD_LETTERS = new LongAdder();
    public static final LongAdder LATE = new LongAdder();
    /** Journey changelog records of the full pipeline. */
    public static final LongAdder JOURNEYS = new LongAdder();
    /** Touchpoints a journey or goal could not apply (milestone without a journey, journey closed, unknown goal, ...). */
    public static final LongAdder JOURNEY_UNAPPLIED = new LongAdder();
    /** Score records that reached the (discarding) score sink of the full pipeline. */
    public static final LongAdder SCORES = new LongAdder();
    /** Goal records of the full pipeline. */
    public static final LongAdder GOALS = new LongAdder();
    /** Alert records (transitions and wins) that reached the (discarding) alert sink of the full pipeline. */
    public static final LongAdder ALERTS = new LongAdder();

    private BenchmarkCounters() {}

    public static void reset() {
        SOURCE_RECORDS.reset();
        BARE_KEYED.reset();
        ACTIVITY.reset();
        ACTIVITY_DATABASE.reset();
        DEAD_LETTERS.reset();
        LATE.reset();
        JOURNEYS.reset();
        JOURNEY_UNAPPLIED.reset();
        SCORES.reset();
        GOALS.reset();
        ALERTS.reset();
    }

    /** The counts right now, for a run's result. */
    public static Snapshot snapshot() {
        return new Snapshot(
                SOURCE_RECORDS.sum(),
                BARE_KEYED.sum(),
                ACTIVITY.sum(),
                ACTIVITY_DATABASE.sum(),
                DEAD_LETTERS.sum(),
                LATE.sum(),
                JOURNEYS.sum(),
                JOURNEY_UNAPPLIED.sum(),
                SCORES.sum(),
                GOALS.sum(),
                ALERTS.sum());
    }

    /** Counts at the end of a run. */
    public static final class Snapshot {
        public final long sourceRecords;
        public final long bareKeyed;
        public final long activity;
        public final long activityDatabase;
        public final long deadLetters;
        public final long late;
        public final long journeys;
        public final long journeyUnapplied;
        public final long scores;
        public final long goals;
        public final long alerts;

        Snapshot(
                long sourceRecords,
                long bareKeyed,
                long activity,
                long activityDatabase,
                long deadLetters,
                long late,
                long journeys,
                long journeyUnapplied,
                long scores,
                long goals,
                long alerts) {
            this.sourceRecords = sourceRecords;
            this.bareKeyed = bareKeyed;
            this.activity = activity;
            this.activityDatabase = activityDatabase;
            this.deadLetters = deadLetters;
            this.late = late;
            this.journeys = journeys;
            this.journeyUnapplied = journeyUnapplied;
            this.scores = scores;
            this.goals = goals;
            this.alerts = alerts;
        }

        @Override
        public String toString() {
            return "source=" + sourceRecords
                    + " bareKeyed=" + bareKeyed
                    + " activity=" + activity
                    + " activityDatabase=" + activityDatabase
                    + " deadLetters=" + deadLetters
                    + " late=" + late
                    + " journeys=" + journeys
                    + " journeyUnapplied=" + journeyUnapplied
                    + " scores=" + scores
                    + " goals=" + goals
                    + " alerts=" + alerts;
        }
    }
}
