package io.headway.score;

import io.headway.eventtime.KeyedFunctionWithHorizon;
import io.headway.schema.ScoreComponent;
import io.headway.schema.ScoreDriver;
import io.headway.schema.ScoreUpdate;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 *   <li>At each UTC midnight (one event-time timer per account and day, its time cached in state):
 *       the {@code daily} snapshot as of that midnight, in which silence lowers recency, depth,
 *       frequency, breadth and seat utilization.
 *   <li>Lifecycle: the snapshot after {@code billing/subscription_cancelled}, or after the model's
 *       silence horizon without any touchpoint, is the {@code final} record; the state goes with it,
 *       and a later touchpoint starts the account afresh.
 * </ul>
 *
 * <p><b>Order.</b> Touchpoints wait in state until the watermark has passed them (a timer just after
 * each, none when an earlier one is due), then apply in event-time order (ties by event id),
 * interleaved with the midnights: a midnight's record before the touchpoints of that instant. So every
 * record, change and daily alike, is the same whatever order the touchpoints arrived in within the
 * watermark bound, and the same after a restore from a checkpoint; the alerts downstream depend on
 * that. Touchpoints the gate lets through behind the watermark (allowed lateness) apply at once.
 * At the end of a bounded input, each account ends with the snapshot of the first midnight after its
 * last touchpoint.
 */
public final class ScoreFunction extends KeyedFunctionWithHorizon<String, Touchpoint, ScoreUpdate> {

    private static final long serialVersionUID = 1L;

    public static final String FINAL_CHURNED = "churned";
    public static final String FINAL_SILENT = "silent";
    public static final String REASON_CHANGE = "change";
    public static final String REASON_GRADE_CHANGE = "grade_change";
    public static final String REASON_DAILY = "daily";
    public static final String REASON_FINAL = "final";
    /** The driver that sums up the components not listed, so a record's drivers add up to its change. */
    public static final String OTHER_COMPONENTS = "other_components";
    /** Metric: survey touchpoints whose {@code survey} is in neither of the model's survey lists. */
    public static final String SURVEYS_NOT_READ = "surveyAnswersNotRead";

    public static final ValueStateDescriptor<ScoreState> STATE =
            new ValueStateDescriptor<>("score", TypeInformation.of(ScoreState.class));

    private final ScoreModel model;

    /** Event time, then event id: one order whatever the arrival order. */
    private static final Comparator<Touchpoint> IN_EVENT_TIME =
            Comparator.comparingLong(Touchpoint::getOccurredAt).thenComparing(Touchpoint::getEventId);

    private transient ValueState<ScoreState> state;
    private transient Counter surveysNotRead;

    public ScoreFunction(ScoreModel model) {
        super("health-score-end-of-input-horizon");
        this.model = model;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(STATE);
        surveysNotRead = getRuntimeContext().getMetricGroup().counter(SURVEYS_NOT_READ);
    }

    @Override
    public void processElement(Touchpoint t, Context ctx, Collector<ScoreUpdate> out) throws Exception {
        ScoreState s = state.value();
        if (s == null) {
            s = new ScoreState();
        }
        long at = t.getOccurredAt();
        horizon.see(at);
        long watermark = ctx.timerService().currentWatermark();
        if (at < watermark) {
            // Late but allowed: event time has passed it, so it counts at once, as of now.
            if (s.timerAt == Long.MIN_VALUE) {
                s.timerAt = nextMidnight(watermark);
                ctx.timerService().registerEventTimeTimer(s.timerAt);
            }
            apply(t, s, ctx.getCurrentKey(), out);
        } else {
            s.addPending(t);
            // A timer just after the touchpoint: it fires once the watermark has passed it, when every
            // touchpoint up to its instant is here (one at the watermark itself may still come).
            // None if an earlier timer fires first anyway.
            long wake = at + 1;
            if ((s.wakeAt == Long.MIN_VALUE || wake < s.wakeAt) && (s.timerAt == Long.MIN_VALUE || wake < s.timerAt)) {
                s.wakeAt = wake;
                ctx.timerService().registerEventTimeTimer(wake);
            }
        }
        state.update(s);
    }

    /**
     * Applies, in event-time order, every pending touchpoint and UTC midnight the watermark has passed:
     * a midnight's record before the touchpoints of that very instant.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoreUpdate> out) throws Exception {
        ScoreState s = state.value();
        if (s == null) {
            return;
        }
        if (timestamp == s.wakeAt) {
            s.wakeAt = Long.MIN_VALUE;
        }
        long watermark = ctx.timerService().currentWatermark();
        boolean endOfInput = watermark == Long.MAX_VALUE;
        String account = ctx.getCurrentKey();
        Touchpoint[] pending = s.pending;
        if (pending.length > 1) {
            Arrays.sort(pending, IN_EVENT_TIME);
        }
        long registeredMidnight = s.timerAt;
        int next = 0;
        while (true) {
            long touchpointAt = next < pending.length ? pending[next].getOccurredAt() : Long.MAX_VALUE;
            long midnight = s.timerAt;
            if (midnight != Long.MIN_VALUE && midnight <= watermark && midnight <= touchpointAt) {
                if (endOfInput && midnight > horizon.get() && !s.changed && next == pending.length) {
                    // End of a bounded input: midnights up to the horizon (the input's data reached them),
                    // then the one after the account's last touchpoint; no fast-forward to the end of time.
                    break;
                }
                if (midnightRecord(s, account, midnight, out)) {
                    // The account ended; touchpoints after its end start it afresh.
                    Touchpoint[] rest = Arrays.copyOfRange(pending, next, pending.length);
                    s = new ScoreState();
                    s.pending = rest;
                    pending = rest;
                    next = 0;
                    registeredMidnight = Long.MIN_VALUE;
                }
            } else if (touchpointAt < watermark) {
                if (s.timerAt == Long.MIN_VALUE) {
                    s.timerAt = nextMidnight(touchpointAt);
                }
                apply(pending[next++], s, account, out);
            } else {
                break;
            }
        }
        s.pending = next == 0 ? pending : Arrays.copyOfRange(pending, next, pending.length);
        if (s.pending.length == 0 && s.timerAt == Long.MIN_VALUE) {
            state.clear();
            return;
        }
        if (!endOfInput) {
            if (s.timerAt != registeredMidnight && s.timerAt != Long.MIN_VALUE) {
                ctx.timerService().registerEventTimeTimer(s.timerAt);
            }
            if (s.pending.length > 0) {
                long wake = s.pending[0].getOccurredAt() + 1;
                if ((s.timerAt == Long.MIN_VALUE || wake < s.timerAt) && (s.wakeAt == Long.MIN_VALUE || wake < s.wakeAt)) {
                    s.wakeAt = wake;
                    ctx.timerService().registerEventTimeTimer(wake);
                }
            }
        }
        state.update(s);
    }

    /** Folds one touchpoint; emits a record when the score or the grade moved enough. */
    private void apply(Touchpoint t, ScoreState s, String account, Collector<ScoreUpdate> out) {
        if (isSurveyNotRead(t)) {
            // Accepted and counted elsewhere, but not sentiment: a survey name the model does not map.
            surveysNotRead.inc();
        }
        s.fold(t, model);
        Evaluation e = Evaluation.of(s, model, s.lastSeenAt + 1);
        Grade previous = s.emittedGrade < 0 ? null : Grade.of(s.emittedGrade);
        Grade grade = model.grade(e.score, previous);
        if (previous == null) {
            out.collect(record(account, s, e, grade, s.lastSeenAt, REASON_CHANGE, null));
        } else if (grade != previous) {
            out.collect(record(account, s, e, grade, s.lastSeenAt, REASON_GRADE_CHANGE, null));
        } else if (Math.abs(e.score - s.emittedScore) >= model.changeDelta) {
            out.collect(record(account, s, e, grade, s.lastSeenAt, REASON_CHANGE, null));
        }
    }

    /**
     * The record as of {@code midnight}: {@code daily}, {@code grade_change} or {@code final}; moves the
     * next midnight on. Returns true when it was the account's final record.
     */
    private boolean midnightRecord(ScoreState s, String account, long midnight, Collector<ScoreUpdate> out) {
        Evaluation e = Evaluation.of(s, model, midnight);
        Grade previous = s.emittedGrade < 0 ? null : Grade.of(s.emittedGrade);
        Grade grade = model.grade(e.score, previous);
        String end =
                s.churned ? FINAL_CHURNED
                        : midnight - s.lastSeenAt >= model.silenceHorizonMillis ? FINAL_SILENT
                        : null;
        String reason = end != null ? REASON_FINAL : grade != previous && previous != null ? REASON_GRADE_CHANGE : REASON_DAILY;
        out.collect(record(account, s, e, grade, midnight, reason, end));
        if (end != null) {
            return true;
        }
        s.prune(midnight);
        s.changed = false;
        s.timerAt = midnight + ScoreState.DAY;
        return false;
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
        // The drivers add up to the change: whatever the listed ones leave (smaller components, and
        // the rounding of the record's numbers) is one more entry.
        double change = round(e.score) - (Double.isNaN(s.emittedScore) ? 0 : round(s.emittedScore));
        double listed = 0;
        for (ScoreDriver d : drivers) {
            listed += d.getDelta();
        }
        double rest = round(change - listed);
        if (Math.abs(rest) >= 0.05) {
            drivers.add(new ScoreDriver(OTHER_COMPONENTS, rest, new ArrayList<>(), 0, "the other components together, and rounding"));
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

    private boolean isSurveyNotRead(Touchpoint t) {
        return "survey".equals(t.getSource()) && model.surveyKind(t.getAttributes().get("survey")) == null;
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
