package io.headway.outcome;

import io.headway.eventtime.KeyedFunctionWithHorizon;
import io.headway.model.GoalSettings;
import io.headway.schema.GoalMeasurement;
import io.headway.schema.GoalUpdate;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Customer goals per account, in event time. A {@code goal_set} touchpoint declares a goal (goal id,
 * metric, direction, baseline, target, deadline; re-declaring an id replaces its definition);
 * {@code outcome_measured} touchpoints report its metric. Per goal, a Theil–Sen trend over the
 * latest {@link GoalSettings#window()} measurements is projected to the deadline, and the goal is
 * <b>on_track</b>, <b>at_risk</b> (the projection misses the target by more than
 * {@link GoalSettings#atRiskTolerance()} of |target − baseline|; judged only from
 * {@link GoalSettings#minMeasurements()} measurements spanning {@link GoalSettings#minSpanMillis()},
 * before which the record says {@code insufficient_data} and the goal is on_track), <b>achieved</b> (a measurement at
 * or before the deadline meets the target: {@code >=} for increase, {@code <=} for decrease) or
 * <b>missed</b> (the deadline passed without that, from a timer at exactly the deadline). One
 * {@link GoalUpdate} per declaration, per status change, and per measurement that moves the trend
 * or the projection.
 *
 * <p><b>Order.</b> Goal touchpoints are buffered until the watermark passes them, each with a timer
 * just after its own time, and then applied in event-time order (at one instant declarations first,
 * then by event id), interleaved with the deadlines between them; a measurement at exactly the
 * deadline still counts. So the records are the same whatever order the touchpoints arrived in within
 * the watermark bound. Other touchpoints are not looked at (no state access).
 *
 * <p><b>Rejected.</b> A {@code goal_set} with a missing or unreadable attribute goes to
 * {@link #UNAPPLIED} with reason {@code invalid_goal}; a measurement for a goal the account has not
 * declared (or whose state is gone because it ended) with {@code unknown_goal}; one for an ended goal
 * the account still tracks beside an open one with {@code goal_closed}; one without a value, or for
 * another metric, with {@code invalid_measurement}. All are counted.
 *
 * <p><b>State.</b> An ended goal keeps only its id and outcome, and no timer; when no goal of the
 * account is open and nothing is pending the account's state and timers are gone. One deadline timer
 * per account, at the earliest deadline of its open goals.
 *
 * <p><b>End of input.</b> At the end of a bounded input deadlines after the latest touchpoint this
 * subtask saw do not fire: the end of a replay is not the passage of time.
 */
public final class GoalFunction extends KeyedFunctionWithHorizon<String, Touchpoint, GoalUpdate> {

    private static final long serialVersionUID = 1L;

    public static final ValueStateDescriptor<GoalState> STATE =
            new ValueStateDescriptor<>("goals", TypeInformation.of(GoalState.class));

    /** Goal touchpoints the function could not apply, with the reason. */
    public static final OutputTag<LateTouchpoint> UNAPPLIED =
            new OutputTag<>("goal-unapplied", new AvroTypeInfo<>(LateTouchpoint.class));

    public static final String GOAL_SET = "goal_set";
    public static final String OUTCOME_MEASURED = "outcome_measured";

    public static final String INVALID_GOAL = "invalid_goal";
    public static final String UNKNOWN_GOAL = "unknown_goal";
    public static final String GOAL_CLOSED = "goal_closed";
    public static final String INVALID_MEASUREMENT = "invalid_measurement";

    public static final String ON_TRACK = "on_track";
    public static final String AT_RISK = "at_risk";
    public static final String ACHIEVED = "achieved";
    public static final String MISSED = "missed";

    public static final String DECLARED = "declared";
    public static final String REDECLARED = "redeclared";
    public static final String MEASURED = "measured";

    public static final String METRIC_DECLARED = "goalsDeclared";
    public static final String METRIC_ACHIEVED = "goalsAchieved";
    public static final String METRIC_MISSED = "goalsMissed";
    public static final String METRIC_UNAPPLIED = "goalTouchpointsUnapplied";

    static final long DAY_MILLIS = 24L * 60 * 60 * 1000;

    private final GoalSettings settings;

    private transient ValueState<GoalState> state;
    private transient Counter declared;
    private transient Counter achieved;
    private transient Counter missed;
    private transient Counter unapplied;
    /** Scratch for the trend: one entry per pair of window measurements. */
    private transient double[] scratch;
    private transient Evaluation eval;

    public GoalFunction(GoalSettings settings) {
        super("goals-end-of-input-horizon");
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(STATE);
        declared = getRuntimeContext().getMetricGroup().counter(METRIC_DECLARED);
        achieved = getRuntimeContext().getMetricGroup().counter(METRIC_ACHIEVED);
        missed = getRuntimeContext().getMetricGroup().counter(METRIC_MISSED);
        unapplied = getRuntimeContext().getMetricGroup().counter(METRIC_UNAPPLIED);
        scratch = new double[GoalTrend.scratchSize(settings.window())];
        eval = new Evaluation();
    }

    @Override
    public void processElement(Touchpoint t, Context ctx, Collector<GoalUpdate> out) throws Exception {
        long at = t.getOccurredAt();
        horizon.see(at);
        String type = t.getType();
        if (!GOAL_SET.equals(type) && !OUTCOME_MEASURED.equals(type)) {
            return;
        }
        GoalState s = state.value();
        if (s == null) {
            s = new GoalState();
        }
        // Copied: with object reuse the record may be reused once this call returns.
        Touchpoint copy = Touchpoint.newBuilder(t).build();
        if (at <= s.appliedUpTo) {
            // Late but allowed: event time already passed it, so it is applied at once.
            apply(s, copy, ctx, out);
            fireDeadlines(s, s.appliedUpTo, ctx, out);
            finish(s, ctx, false);
            return;
        }
        s.addPending(copy);
        ensureTimer(s, ctx, at + 1);
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<GoalUpdate> out) throws Exception {
        GoalState s = state.value();
        if (s == null) {
            return;
        }
        s.removeTimer(timestamp);
        if (timestamp == s.deadlineTimer) {
            s.deadlineTimer = Long.MIN_VALUE;
        }
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        // At the end of a bounded input every timer fires at once: apply all that waits, and the
        // deadlines up to the horizon, whichever timer comes first.
        long upTo = endOfInput ? Long.MAX_VALUE - 1 : timestamp - 1;
        long deadlinesUpTo = endOfInput ? horizon.get() : upTo;
        if (upTo > s.appliedUpTo) {
            for (Touchpoint t : s.pendingUpTo(upTo)) {
                long at = t.getOccurredAt();
                // Deadlines before this instant first; one at this instant fires after its touchpoints.
                fireDeadlines(s, Math.min(at - 1, deadlinesUpTo), ctx, out);
                s.appliedUpTo = Math.max(s.appliedUpTo, at - 1);
                apply(s, t, ctx, out);
            }
            fireDeadlines(s, deadlinesUpTo, ctx, out);
            s.appliedUpTo = upTo;
            s.removePendingUpTo(upTo);
        }
        finish(s, ctx, endOfInput);
    }

    private void apply(GoalState s, Touchpoint t, Context ctx, Collector<GoalUpdate> out) {
        if (GOAL_SET.equals(t.getType())) {
            declare(s, t, ctx, out);
        } else {
            measure(s, t, ctx, out);
        }
    }

    private void declare(GoalState s, Touchpoint t, Context ctx, Collector<GoalUpdate> out) {
        GoalDeclaration d = GoalDeclaration.read(t);
        if (d.problem != null) {
            reject(ctx, t, INVALID_GOAL, d.problem);
            return;
        }
        GoalTrack g = s.goal(d.goalId);
        String change = DECLARED;
        if (g == null) {
            g = new GoalTrack();
            g.goalId = d.goalId;
            s.add(g);
        } else {
            change = REDECLARED;
            if (!g.open || !d.metric.equals(g.metric)) {
                // Measurements of another metric, or of an ended goal, say nothing about this one.
                g.clearWindow();
            }
        }
        g.metric = d.metric;
        g.increase = d.increase;
        g.baseline = d.baseline;
        g.target = d.target;
        g.deadline = d.deadline;
        g.declaredBy = t.getEventId();
        g.open = true;
        declared.inc();
        evaluate(g, t.getOccurredAt());
        emit(g, change, t.getOccurredAt(), (String) ctx.getCurrentKey(), out);
    }

    private void measure(GoalState s, Touchpoint t, Context ctx, Collector<GoalUpdate> out) {
        Map<String, String> attributes = t.getAttributes();
        String goalId = attributes == null ? null : attributes.get("goal_id");
        GoalTrack g = goalId == null ? null : s.goal(goalId);
        if (g == null) {
            reject(ctx, t, UNKNOWN_GOAL, goalId == null
                    ? "goal_id is missing"
                    : goalId + " is not an open goal of this account (never declared, or already ended)");
            return;
        }
        if (!g.open) {
            reject(ctx, t, GOAL_CLOSED, goalId + " " + g.status);
            return;
        }
        Double value = t.getValue();
        if (value == null || !Double.isFinite(value)) {
            reject(ctx, t, INVALID_MEASUREMENT, goalId + ": the measurement has no value");
            return;
        }
        String metric = attributes.get("metric");
        if (metric != null && !metric.equals(g.metric)) {
            reject(ctx, t, INVALID_MEASUREMENT, goalId + ": measures " + metric + ", the goal measures " + g.metric);
            return;
        }
        long at = t.getOccurredAt();
        g.add(at, value, t.getEventId(), settings.window());
        evaluate(g, at);
        if (g.meets(value) && at <= g.deadline) {
            eval.status = ACHIEVED;
            emit(g, ACHIEVED, at, (String) ctx.getCurrentKey(), out);
            achieved.inc();
            end(s, g, ACHIEVED);
        } else if (!eval.status.equals(g.status)
                || Double.compare(eval.trend, g.lastTrend) != 0
                || Double.compare(eval.projection, g.lastProjection) != 0) {
            emit(g, MEASURED, at, (String) ctx.getCurrentKey(), out);
        }
    }

    /** Every open goal whose deadline is at or before {@code upTo} is missed, in deadline order. */
    private void fireDeadlines(GoalState s, long upTo, Context ctx, Collector<GoalUpdate> out) {
        for (GoalTrack g = s.firstDeadlineUpTo(upTo); g != null; g = s.firstDeadlineUpTo(upTo)) {
            evaluate(g, g.deadline);
            eval.status = MISSED;
            emit(g, MISSED, g.deadline, (String) ctx.getCurrentKey(), out);
            missed.inc();
            end(s, g, MISSED);
        }
    }

    /**
     * Ends a goal. Its marker stays while another goal of the account is open; once none is, every
     * marker goes, so which markers exist depends on event time only, never on arrival or timers.
     */
    private static void end(GoalState s, GoalTrack g, String outcome) {
        g.close(outcome);
        if (!s.anyOpen()) {
            s.goals = new GoalTrack[0];
        }
    }

    /** The trend, projection and open status of {@code g} as of {@code asOf}, into {@link #eval}. */
    private void evaluate(GoalTrack g, long asOf) {
        Evaluation e = eval;
        e.asOf = asOf;
        e.trend = GoalTrend.slopePerDay(g.measuredAt, g.values, g.size, scratch);
        e.projection = GoalTrend.valueAt(g.measuredAt, g.values, g.size, e.trend, g.deadline, scratch);
        // Too few measurements, or too short a time, make a line through noise: no verdict from it yet.
        e.insufficient = Double.isNaN(e.projection)
                || !settings.enoughEvidence(g.size, g.size == 0 ? 0 : g.measuredAt[g.size - 1] - g.firstMeasuredAt);
        if (e.insufficient) {
            e.shortfall = Double.NaN;
            e.shortfallShare = Double.NaN;
            e.status = ON_TRACK;
            return;
        }
        e.shortfall = Math.max(0, g.increase ? g.target - e.projection : e.projection - g.target);
        e.shortfallShare = e.shortfall / Math.abs(g.target - g.baseline);
        e.status = e.shortfallShare > settings.atRiskTolerance() ? AT_RISK : ON_TRACK;
    }

    private void emit(GoalTrack g, String change, long asOf, String account, Collector<GoalUpdate> out) {
        Evaluation e = eval;
        String previous = g.sequence == 0 ? null : g.status;
        g.sequence++;
        List<String> causes = new ArrayList<>(g.size + 1);
        causes.add(g.declaredBy);
        for (int i = 0; i < g.size; i++) {
            causes.add(g.eventIds[i]);
        }
        int last = g.size - 1;
        out.collect(GoalUpdate.newBuilder()
                .setGoalId(g.goalId)
                .setAccountId(account)
                .setSequence(g.sequence)
                .setMetric(g.metric)
                .setDirection(g.increase ? "increase" : "decrease")
                .setBaseline(g.baseline)
                .setTarget(g.target)
                .setDeadlineAt(g.deadline)
                .setStatus(e.status)
                .setPreviousStatus(previous)
                .setChange(change)
                .setAsOf(asOf)
                .setInsufficientData(e.insufficient)
                .setLatest(last < 0 ? null : new GoalMeasurement(g.values[last], g.measuredAt[last], g.eventIds[last]))
                .setTrendPerDay(nullIfNaN(e.trend))
                .setProjectedValue(nullIfNaN(e.projection))
                .setProjectedShortfall(nullIfNaN(e.shortfall))
                .setProjectedShortfallShare(nullIfNaN(e.shortfallShare))
                .setDaysLeft(Math.max(0, g.deadline - asOf) / (double) DAY_MILLIS)
                .setMeasurementsUsed(g.size)
                .setCausingEventIds(causes)
                .build());
        g.status = e.status;
        g.lastTrend = e.trend;
        g.lastProjection = e.projection;
    }

    private void reject(Context ctx, Touchpoint t, String reason, String detail) {
        unapplied.inc();
        ctx.output(UNAPPLIED, new LateTouchpoint(reason, detail, t));
    }

    /** Clears a finished account, or keeps one timer at the earliest deadline of its open goals. */
    private void finish(GoalState s, Context ctx, boolean endOfInput) throws Exception {
        if (!s.anyOpen() && s.pendingSize == 0) {
            for (long t : s.timers) {
                ctx.timerService().deleteEventTimeTimer(t);
            }
            state.clear();
            return;
        }
        if (!endOfInput) {
            long next = s.nextDeadline();
            // Just after the deadline: a measurement at exactly the deadline is applied first.
            long wanted = next == Long.MAX_VALUE ? Long.MIN_VALUE : next + 1;
            if (wanted != s.deadlineTimer) {
                long old = s.deadlineTimer;
                if (old != Long.MIN_VALUE && s.hasTimer(old) && !s.pendingNeeds(old)) {
                    ctx.timerService().deleteEventTimeTimer(old);
                    s.removeTimer(old);
                }
                if (wanted != Long.MIN_VALUE) {
                    ensureTimer(s, ctx, wanted);
                }
                s.deadlineTimer = wanted;
            }
        }
        state.update(s);
    }

    private static void ensureTimer(GoalState s, Context ctx, long t) {
        if (!s.hasTimer(t)) {
            ctx.timerService().registerEventTimeTimer(t);
            s.addTimer(t);
        }
    }

    private static Double nullIfNaN(double d) {
        return Double.isNaN(d) ? null : d;
    }

    /** The trend, projection and status of one goal as of one instant; one object reused. */
    private static final class Evaluation {
        long asOf;
        double trend;
        double projection;
        double shortfall;
        double shortfallShare;
        boolean insufficient;
        String status;
    }
}
