package io.headway.score;

import io.headway.schema.ScoreComponent;
import io.headway.schema.ScoreDriver;
import io.headway.schema.ScoreUpdate;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Per account, a health score updated by every touchpoint and by the passing of time, each record
 * explaining what moved it (see the README, "Scores").
 *
 * <ul>
 *   <li>Per touchpoint: fold it into {@link ScoreState} (O(1), no re-scan), evaluate the score
 *       ({@link Evaluation}); emit a {@code change} record when it moved by at least the model's delta
 *       since the previous record, a {@code grade_change} record when the grade (with hysteresis)
 *       changed. The first touchpoint of an account emits its first record.
 *   <li>One event-time timer per account, at the next UTC midnight (its time cached in state, so no
 *       timer-service lookup per touchpoint): the {@code daily} snapshot as of that midnight, in which
 *       silence lowers recency, depth, frequency, breadth and seat utilization.
 *   <li>Lifecycle: the snapshot after {@code billing/subscription_cancelled}, or after the model's
 *       silence horizon without any touchpoint, is the {@code final} record; state and timer are then gone.
 * </ul>
 *
 * <p>The daily records are exact whatever the arrival order within the watermark bound: a touchpoint
 * at or after the pending midnight is held until that midnight's record is out (as in the activity
 * summary), and folding is order-independent. Change records follow arrival order. At the end of a
 * bounded input, each account ends with the snapshot of the first midnight after its last touchpoint.
 */
public final class ScoreFunction extends KeyedProcessFunction<String, Touchpoint, ScoreUpdate> {

    private static final long serialVersionUID = 1L;

    public static final String FINAL_CHURNED = "churned";
    public static final String FINAL_SILENT = "silent";
    public static final String REASON_CHANGE = "change";
    public static final String REASON_GRADE_CHANGE = "grade_change";
    public static final String REASON_DAILY = "daily";
    public static final String REASON_FINAL = "final";

    public static final ValueStateDescriptor<ScoreState> STATE =
            new ValueStateDescriptor<>("score", TypeInformation.of(ScoreState.class));

    private final ScoreModel model;

    private transient ValueState<ScoreState> state;

    public ScoreFunction(ScoreModel model) {
        this.model = model;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(STATE);
    }

    @Override
    public void processElement(Touchpoint t, Context ctx, Collector<ScoreUpdate> out) throws Exception {
        ScoreState s = state.value();
        if (s == null) {
            s = new ScoreState();
        }
        long at = t.getOccurredAt();
        if (s.timerAt == Long.MIN_VALUE) {
            long watermark = ctx.timerService().currentWatermark();
            s.timerAt = nextMidnight(Math.max(at, watermark));
            ctx.timerService().registerEventTimeTimer(s.timerAt);
        }
        if (at < s.timerAt) {
            s.fold(t, model);
            Evaluation e = Evaluation.of(s, model, s.lastSeenAt + 1);
            Grade previous = s.emittedGrade < 0 ? null : Grade.of(s.emittedGrade);
            Grade grade = model.grade(e.score, previous);
            if (previous == null) {
                out.collect(record(ctx.getCurrentKey(), s, e, grade, s.lastSeenAt, REASON_CHANGE, null));
            } else if (grade != previous) {
                out.collect(record(ctx.getCurrentKey(), s, e, grade, s.lastSeenAt, REASON_GRADE_CHANGE, null));
            } else if (Math.abs(e.score - s.emittedScore) >= model.changeDelta) {
                out.collect(record(ctx.getCurrentKey(), s, e, grade, s.lastSeenAt, REASON_CHANGE, null));
            }
        } else {
            s.addAhead(t);
        }
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoreUpdate> out) throws Exception {
        ScoreState s = state.value();
        if (s == null) {
            return;
        }
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        if (endOfInput && !s.changed && s.ahead.length == 0) {
            // End of a bounded input: do not fast-forward silent accounts to the end of time.
            return;
        }
        Touchpoint[] later = foldAheadBefore(s, timestamp);
        Evaluation e = Evaluation.of(s, model, timestamp);
        Grade previous = s.emittedGrade < 0 ? null : Grade.of(s.emittedGrade);
        Grade grade = model.grade(e.score, previous);
        String end =
                s.churned ? FINAL_CHURNED
                        : later.length == 0 && timestamp - s.lastSeenAt >= model.silenceHorizonMillis ? FINAL_SILENT
                        : null;
        String reason = end != null ? REASON_FINAL : grade != previous && previous != null ? REASON_GRADE_CHANGE : REASON_DAILY;
        out.collect(record(ctx.getCurrentKey(), s, e, grade, timestamp, reason, end));
        if (end != null) {
            state.clear();
            return;
        }
        s.prune(timestamp);
        s.changed = false;
        if (!endOfInput || later.length > 0) {
            s.timerAt = timestamp + ScoreState.DAY;
            ctx.timerService().registerEventTimeTimer(s.timerAt);
        }
        state.update(s);
    }

    /** Folds the held touchpoints before {@code midnight}; returns those still held. */
    private Touchpoint[] foldAheadBefore(ScoreState s, long midnight) {
        if (s.ahead.length == 0) {
            return s.ahead;
        }
        // In place: a replay faster than the watermark interval holds many touchpoints here.
        Touchpoint[] ahead = s.ahead;
        int kept = 0;
        for (int i = 0; i < ahead.length; i++) {
            Touchpoint t = ahead[i];
            if (t.getOccurredAt() < midnight) {
                s.fold(t, model);
            } else {
                ahead[kept++] = t;
            }
        }
        if (kept != ahead.length) {
            s.ahead = java.util.Arrays.copyOf(ahead, kept);
        }
        return s.ahead;
    }

    /** Builds the record, then makes it the new baseline of the account's explanations. */
    private ScoreUpdate record(String account, ScoreState s, Evaluation e, Grade grade, long asOf, String reason, String end) {
        List<ScoreComponent> components = new ArrayList<>(Component.COUNT);
        // Inputs in words on the records that report a change; a daily snapshot (one per account and
        // day, most of them of quiet accounts) carries the numbers only, which keeps it cheap.
        boolean words = !reason.equals(REASON_DAILY);
        for (int c = 0; c < Component.COUNT; c++) {
            Component k = Component.of(c);
            double v = e.value[c];
            components.add(
                    new ScoreComponent(
                            k.wireName(),
                            Double.isNaN(v) ? null : round(v),
                            round4(e.weight[c]),
                            round(e.contribution[c]),
                            words ? e.input(k, s, model) : null));
        }
        ScoreUpdate u =
                new ScoreUpdate(
                        account,
                        asOf,
                        round(e.score),
                        grade.wireName(),
                        e.stage.wireName(),
                        reason,
                        end,
                        Double.isNaN(s.emittedScore) ? null : round(s.emittedScore),
                        s.emittedGrade < 0 ? null : Grade.of(s.emittedGrade).wireName(),
                        components,
                        drivers(s, e),
                        s.lastProductAt == Long.MIN_VALUE ? null : s.lastProductAt);
        s.emittedScore = e.score;
        s.emittedGrade = grade.ordinal();
        s.emittedStage = e.stage.ordinal();
        if (s.emittedContribution.length != Component.COUNT) {
            s.emittedContribution = new float[Component.COUNT];
        }
        for (int c = 0; c < Component.COUNT; c++) {
            s.emittedContribution[c] = (float) e.contribution[c];
        }
        s.clearCauses();
        return u;
    }

    /** The components whose contribution moved most since the previous record, with what moved them. */
    private List<ScoreDriver> drivers(ScoreState s, Evaluation e) {
        List<ScoreDriver> drivers = new ArrayList<>(model.drivers + 1);
        if (s.emittedStage >= 0 && s.emittedStage != e.stage.ordinal()) {
            List<String> ids = s.stageCauseId == null ? new ArrayList<>() : new ArrayList<>(List.of(s.stageCauseId));
            drivers.add(
                    new ScoreDriver(
                            "profile",
                            0.0,
                            ids,
                            0,
                            "stage " + Stage.values()[s.emittedStage].wireName() + " -> " + e.stage.wireName() + ": weights changed"));
        }
        boolean first = s.emittedContribution.length != Component.COUNT;
        double[] delta = new double[Component.COUNT];
        for (int c = 0; c < Component.COUNT; c++) {
            delta[c] = e.contribution[c] - (first ? 0 : s.emittedContribution[c]);
        }
        boolean[] taken = new boolean[Component.COUNT];
        String silence = null;
        for (int n = 0; n < model.drivers; n++) {
            int best = -1;
            for (int c = 0; c < Component.COUNT; c++) {
                if (!taken[c] && Math.abs(delta[c]) >= 0.05 && (best < 0 || Math.abs(delta[c]) > Math.abs(delta[best]))) {
                    best = c;
                }
            }
            if (best < 0) {
                break;
            }
            taken[best] = true;
            Component c = Component.of(best);
            if (silence == null && c.product) {
                silence = s.lastProductAt == Long.MIN_VALUE ? "no product activity yet" : "no product activity since " + date(s.lastProductAt);
            }
            drivers.add(driver(s, c, delta[best], silence));
        }
        return drivers;
    }

    private ScoreDriver driver(ScoreState s, Component c, double delta, String silence) {
        int ring = model.eventIdsPerDriver;
        int count = s.causeCount.length == Component.COUNT ? s.causeCount[c.ordinal()] : 0;
        List<String> ids = new ArrayList<>(Math.min(count, ring));
        for (int k = 0; k < Math.min(count, ring); k++) {
            ids.add(s.causeIds[c.ordinal() * ring + Math.floorMod(count - 1 - k, ring)]);
        }
        String detail;
        if (count > 0) {
            detail = delta >= 0 ? "raised by " + count + " touchpoint(s)" : "lowered by " + count + " touchpoint(s)";
        } else if (c.product) {
            detail = silence;
        } else if (c == Component.SUPPORT_FRICTION) {
            detail = s.lastSupportAt == Long.MIN_VALUE ? "weights re-normalized" : "no support activity since " + date(s.lastSupportAt) + "; open tickets age, older ones weigh less";
        } else {
            detail = "weights re-normalized";
        }
        return new ScoreDriver(c.wireName(), round(delta), ids, Math.max(0, count - ids.size()), detail);
    }

    static long nextMidnight(long t) {
        return Math.floorDiv(t, ScoreState.DAY) * ScoreState.DAY + ScoreState.DAY;
    }

    private static LocalDate date(long millis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
