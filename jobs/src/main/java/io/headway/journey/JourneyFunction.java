package io.headway.journey;

import io.headway.eventtime.KeyedFunctionWithHorizon;
import io.headway.model.JourneyDefinition;
import io.headway.model.MilestoneDefinition;
import io.headway.model.ReEntryPolicy;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;

/**
 * Journeys per account, in event time: opens an instance on a journey's entry touchpoint, records
 * each milestone, and moves the instance through on_track, behind (a share of a milestone's budget
 * gone without it), overdue (its deadline passed), to completed or abandoned. Every transition is one
 * {@link JourneyUpdate}.
 *
 * <p><b>Order.</b> Touchpoints are buffered until the watermark passes them and then applied in
 * event-time order, interleaved with the deadlines that fall between them. So a journey's records,
 * their order and their counts are the same whatever order the touchpoints arrived in within the
 * watermark bound. Buffering reads no state: the touchpoint is appended to a list state and asks
 * for a timer. One that matches a journey rule asks for a timer just after its own time, so its
 * transition is emitted as soon as event time passes it; the others only count and ask for the next
 * UTC midnight, a timer shared by all of that day's touchpoints of the account (the timer service
 * keeps one per timestamp).
 *
 * <p><b>Deadlines.</b> Transitions that depend on nothing happening (behind, overdue, abandoned for
 * inactivity) fire from one timer per account, armed at the earliest deadline of its open instances
 * and moved only when that deadline moves (activity pushes abandonment back), which happens when a
 * batch of touchpoints is applied, never per touchpoint. A milestone reached at its deadline is on
 * time: the deadline's timer fires after the touchpoints at that instant.
 *
 * <p><b>Closed journeys.</b> A touchpoint for a journey whose instance has ended re-opens it or starts
 * a new instance as the journey's re-entry policy says; otherwise it goes to {@link #UNAPPLIED} with the
 * reason. A completed or abandoned instance keeps only its identity and outcome; when no instance is
 * open and nothing is pending, no timer is left.
 *
 * <p><b>Lateness.</b> With {@code watermark.allowed-lateness} above zero a touchpoint can arrive after
 * event time passed it; it is applied at once and the records it changes are emitted again, later in
 * sequence (consumers keep the highest {@code sequence} per instance).
 *
 * <p><b>End of input.</b> At the end of a bounded input (watermark +infinity) pending touchpoints are
 * applied, but deadlines after the latest touchpoint this subtask saw do not fire: the end of a replay
 * is not the passage of time.
 */
public final class JourneyFunction extends KeyedFunctionWithHorizon<String, Touchpoint, JourneyUpdate> {

    private static final long serialVersionUID = 1L;

    public static final ValueStateDescriptor<JourneyState> STATE =
            new ValueStateDescriptor<>("journeys", TypeInformation.of(JourneyState.class));

    /** Touchpoints not yet applied because event time has not passed them. */
    public static final ListStateDescriptor<PendingTouchpoint> PENDING =
            new ListStateDescriptor<>("journey-pending", TypeInformation.of(PendingTouchpoint.class));

    /** Touchpoints for a journey instance that has ended and may not re-open, with the reason. */
    public static final OutputTag<LateTouchpoint> UNAPPLIED =
            new OutputTag<>("journey-unapplied", new AvroTypeInfo<>(LateTouchpoint.class));

    public static final String JOURNEY_CLOSED = "journey_closed";
    public static final String NO_OPEN_JOURNEY = "no_open_journey";

    public static final String ON_TRACK = "on_track";
    public static final String BEHIND = "behind";
    public static final String OVERDUE = "overdue";
    public static final String COMPLETED = "completed";
    public static final String ABANDONED = "abandoned";
    /** The outcome of an instance that is still open. */
    static final String ON_THE_WAY = "open";

    public static final String STARTED = "started";
    public static final String REOPENED = "reopened";
    public static final String MILESTONE_REACHED = "milestone_reached";
    public static final String MILESTONE_BEHIND = "milestone_behind";
    public static final String MILESTONE_OVERDUE = "milestone_overdue";
    public static final String INACTIVITY = "inactivity";

    public static final String METRIC_STARTED = "journeysStarted";
    public static final String METRIC_COMPLETED = "journeysCompleted";
    public static final String METRIC_ABANDONED = "journeysAbandoned";
    public static final String METRIC_UNAPPLIED = "journeyTouchpointsUnapplied";

    static final long DAY_MILLIS = 24L * 60 * 60 * 1000;

    private final JourneyModel model;

    private transient ValueState<JourneyState> state;
    private transient ListState<PendingTouchpoint> pending;
    private transient Counter started;
    private transient Counter completed;
    private transient Counter abandoned;
    private transient Counter unapplied;
    private transient Moment moment;

    public JourneyFunction(JourneyModel model) {
        super("journeys-end-of-input-horizon");
        this.model = model;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(STATE);
        pending = getRuntimeContext().getListState(PENDING);
        started = getRuntimeContext().getMetricGroup().counter(METRIC_STARTED);
        completed = getRuntimeContext().getMetricGroup().counter(METRIC_COMPLETED);
        abandoned = getRuntimeContext().getMetricGroup().counter(METRIC_ABANDONED);
        unapplied = getRuntimeContext().getMetricGroup().counter(METRIC_UNAPPLIED);
        moment = new Moment();
    }

    @Override
    public void processElement(Touchpoint t, Context ctx, Collector<JourneyUpdate> out) throws Exception {
        long at = t.getOccurredAt();
        horizon.see(at);
        long match = model.classify(t);
        String survey = surveyOf(t);
        // Copied: with object reuse the record may be reused once this call returns.
        PendingTouchpoint p = new PendingTouchpoint(
                at, match, t.getSource(), survey, survey == null ? Double.NaN : t.getValue(),
                match == 0 ? null : Touchpoint.newBuilder(t).build());
        if (at < ctx.timerService().currentWatermark()) {
            JourneyState s = state.value();
            if (s != null && at <= s.appliedUpTo) {
                // Late but allowed: event time already passed it, so it corrects what was emitted.
                applyGroup(s, at, List.of(p), 0, 1, s.appliedUpTo, ctx, out);
                finish(s, pendingList(), ctx, false);
                return;
            }
        }
        // The common path reads no state: an append and a timer (the timer service drops repeats).
        pending.add(p);
        ctx.timerService().registerEventTimeTimer(p.timer());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<JourneyUpdate> out) throws Exception {
        JourneyState s = state.value();
        List<PendingTouchpoint> all = pendingList();
        if (s == null) {
            if (all.isEmpty()) {
                return;
            }
            s = new JourneyState();
        }
        if (timestamp == s.deadlineTimer) {
            s.deadlineTimer = Long.MIN_VALUE;
        }
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        // At the end of a bounded input every timer fires at once: apply all that waits, and the
        // deadlines up to the horizon, whichever timer comes first.
        long upTo = endOfInput ? Long.MAX_VALUE - 1 : timestamp - 1;
        long deadlinesUpTo = endOfInput ? horizon.get() : upTo;
        List<PendingTouchpoint> due = new ArrayList<>(all.size());
        List<PendingTouchpoint> later = new ArrayList<>(all.size());
        for (PendingTouchpoint p : all) {
            (p.at <= upTo ? due : later).add(p);
        }
        if (upTo > s.appliedUpTo) {
            due.sort(PendingTouchpoint.APPLY_ORDER);
            for (int from = 0; from < due.size(); ) {
                long at = due.get(from).at;
                int to = from;
                while (to < due.size() && due.get(to).at == at) {
                    to++;
                }
                advanceDeadlines(s, Math.min(at - 1, deadlinesUpTo), ctx, out);
                s.appliedUpTo = Math.max(s.appliedUpTo, at - 1);
                applyGroup(s, at, due, from, to, at - 1, ctx, out);
                from = to;
            }
            advanceDeadlines(s, deadlinesUpTo, ctx, out);
            s.appliedUpTo = upTo;
        }
        if (later.size() != all.size()) {
            pending.update(later);
            // The applied touchpoints' own timers (a midnight drain, just after a match) are not
            // needed any more unless a touchpoint still waiting relies on them too.
            for (PendingTouchpoint p : due) {
                long t = p.timer();
                if (t != timestamp && t != s.deadlineTimer && !reliesOn(later, t)) {
                    ctx.timerService().deleteEventTimeTimer(t);
                }
            }
        }
        finish(s, later, ctx, endOfInput);
    }

    private List<PendingTouchpoint> pendingList() throws Exception {
        List<PendingTouchpoint> out = new ArrayList<>();
        Iterable<PendingTouchpoint> stored = pending.get();
        if (stored != null) {
            stored.forEach(out::add);
        }
        return out;
    }

    private static boolean reliesOn(List<PendingTouchpoint> waiting, long timer) {
        for (PendingTouchpoint p : waiting) {
            if (p.timer() == timer) {
                return true;
            }
        }
        return false;
    }

    /** Fires, in order, every deadline of every open instance in (appliedUpTo, to]. */
    private void advanceDeadlines(JourneyState s, long to, Context ctx, Collector<JourneyUpdate> out) {
        for (JourneyInstance inst : s.instances) {
            if (!inst.open) {
                continue;
            }
            JourneyDefinition def = definition(inst);
            if (def == null) {
                continue;
            }
            long cursor = s.appliedUpTo;
            while (inst.open) {
                long next = nextDeadline(inst, def, cursor);
                if (next > to) {
                    break;
                }
                for (int k = 0; k < def.milestones().size(); k++) {
                    if (reached(inst, k)) {
                        continue;
                    }
                    if (behindAt(inst, def, k) == next) {
                        emit(inst, def, ctx.getCurrentKey(), next, next, MILESTONE_BEHIND, milestoneName(def, k), null, out);
                    }
                    if (dueAt(inst, def, k) == next) {
                        emit(inst, def, ctx.getCurrentKey(), next, next, MILESTONE_OVERDUE, milestoneName(def, k), null, out);
                    }
                }
                if (abandonAt(inst, def) == next) {
                    inst.close(ABANDONED, next);
                    abandoned.inc();
                    emit(inst, def, ctx.getCurrentKey(), next, next, ABANDONED, INACTIVITY, null, out);
                    afterClose(inst, def);
                }
                cursor = next;
            }
        }
    }

    /**
     * The touchpoints of one instant being applied ({@code group[from..to)}), the
     * deadlines already fired, and where records go. One object reused for every instant.
     */
    private static final class Moment {
        JourneyState state;
        long at;
        List<PendingTouchpoint> group;
        int from;
        int to;
        /** Deadlines up to here have fired: what a record emitted at this instant counts as passed. */
        long firedUpTo;
        Context ctx;
        Collector<JourneyUpdate> out;

        String account() {
            return (String) ctx.getCurrentKey();
        }
    }

    /**
     * Applies the touchpoints {@code group[from..to)}, all at instant {@code at}: each counts
     * in every instance open at that instant (including one opened by a touchpoint of the same
     * instant), then the matching ones move their journeys. Deadlines up to {@code firedUpTo} have fired.
     */
    private void applyGroup(
            JourneyState s,
            long at,
            List<PendingTouchpoint> group,
            int from,
            int to,
            long firedUpTo,
            Context ctx,
            Collector<JourneyUpdate> out) {
        Moment now = moment;
        now.state = s;
        now.at = at;
        now.group = group;
        now.from = from;
        now.to = to;
        now.firedUpTo = firedUpTo;
        now.ctx = ctx;
        now.out = out;
        for (JourneyInstance inst : s.instances) {
            if (inst.open && inst.startedAt <= at) {
                countGroup(now, inst);
            }
        }
        for (int g = from; g < to; g++) {
            PendingTouchpoint p = group.get(g);
            if (p.match != 0) {
                applyMatch(now, p.match, p.touchpoint);
            }
        }
        now.ctx = null;
        now.out = null;
        now.state = null;
        now.group = null;
    }

    private void applyMatch(Moment now, long match, Touchpoint touchpoint) {
        String account = now.account();
        long at = now.at;
        for (int j = 0; j < model.size(); j++) {
            int bits = JourneyModel.journeyBits(match, j);
            if (bits == 0) {
                continue;
            }
            JourneyDefinition def = model.journey(j);
            JourneyInstance inst = now.state.instance(def.name());
            if ((bits & JourneyModel.ENTRY) != 0) {
                inst = enter(now, def, inst, touchpoint);
            }
            int k = JourneyModel.milestone(bits);
            if (k >= 0 && k < def.milestones().size()) {
                if (inst != null && !inst.open && reopens(def, inst)) {
                    reopen(now, inst, def, touchpoint);
                }
                if (inst == null) {
                    reject(now.ctx, touchpoint, NO_OPEN_JOURNEY, def.name() + " milestone " + milestoneName(def, k));
                } else if (!inst.open) {
                    reject(now.ctx, touchpoint, JOURNEY_CLOSED, inst.instanceId(account) + " " + inst.outcome);
                } else if (!reached(inst, k) || at < inst.reachedAt[k]) {
                    inst.reachedAt[k] = at;
                    emit(inst, def, account, at, now.firedUpTo, MILESTONE_REACHED, milestoneName(def, k), touchpoint.getEventId(), now.out);
                    if (completes(inst, def, k)) {
                        inst.close(COMPLETED, at);
                        completed.inc();
                        emit(inst, def, account, at, now.firedUpTo, COMPLETED, milestoneName(def, k), touchpoint.getEventId(), now.out);
                        afterClose(inst, def);
                    }
                }
            }
            if ((bits & JourneyModel.ABANDON) != 0 && inst != null && inst.open) {
                inst.close(ABANDONED, at);
                abandoned.inc();
                emit(inst, def, account, at, now.firedUpTo, ABANDONED, model.abandonedBy(j, touchpoint), touchpoint.getEventId(), now.out);
                afterClose(inst, def);
            }
        }
    }

    private JourneyInstance enter(Moment now, JourneyDefinition def, JourneyInstance inst, Touchpoint touchpoint) {
        if (inst != null && inst.open) {
            return inst; // already on it: the entry touchpoint just counts
        }
        if (inst != null && def.reEntry() == ReEntryPolicy.NEVER) {
            reject(now.ctx, touchpoint, JOURNEY_CLOSED, inst.instanceId(now.account()) + " " + inst.outcome + ", re_entry never");
            return inst;
        }
        if (inst != null && reopens(def, inst)) {
            reopen(now, inst, def, touchpoint);
            return inst;
        }
        JourneyInstance fresh =
                JourneyInstance.open(def.name(), inst == null ? 1 : inst.number + 1, now.at, def.milestones().size());
        now.state.put(fresh);
        countGroup(now, fresh);
        started.inc();
        emit(fresh, def, now.account(), now.at, now.firedUpTo, STARTED, null, touchpoint.getEventId(), now.out);
        return fresh;
    }

    private static boolean reopens(JourneyDefinition def, JourneyInstance inst) {
        return def.reEntry() == ReEntryPolicy.REOPEN && ABANDONED.equals(inst.outcome);
    }

    private void reopen(Moment now, JourneyInstance inst, JourneyDefinition def, Touchpoint touchpoint) {
        inst.reopen();
        countGroup(now, inst);
        started.inc();
        emit(inst, def, now.account(), now.at, now.firedUpTo, REOPENED, null, touchpoint.getEventId(), now.out);
    }

    private static void countGroup(Moment now, JourneyInstance inst) {
        for (int g = now.from; g < now.to; g++) {
            PendingTouchpoint p = now.group.get(g);
            inst.count(p.source, now.at);
            if (p.survey != null) {
                inst.answer(p.survey, p.value, now.at);
            }
        }
    }

    private void afterClose(JourneyInstance inst, JourneyDefinition def) {
        if (!reopens(def, inst)) {
            inst.compact();
        }
    }

    private void reject(Context ctx, Touchpoint touchpoint, String reason, String detail) {
        unapplied.inc();
        ctx.output(UNAPPLIED, new LateTouchpoint(reason, detail, touchpoint));
    }

    /**
     * Arms the next deadline of the open instances, or, when none is open and nothing waits, clears
     * what the account no longer needs: only closed instances' summaries stay, and no timer.
     */
    private void finish(JourneyState s, List<PendingTouchpoint> waiting, Context ctx, boolean endOfInput) throws Exception {
        long next = Long.MAX_VALUE;
        if (!endOfInput) {
            for (JourneyInstance inst : s.instances) {
                JourneyDefinition def = inst.open ? definition(inst) : null;
                if (def != null) {
                    next = Math.min(next, nextDeadline(inst, def, s.appliedUpTo));
                }
            }
        }
        // One deadline timer per account, moved only when the next deadline moves (activity pushes
        // abandonment back): no timer per touchpoint, and none left stale.
        long wanted = next == Long.MAX_VALUE ? Long.MIN_VALUE : next + 1;
        if (wanted != s.deadlineTimer) {
            if (s.deadlineTimer != Long.MIN_VALUE && !reliesOn(waiting, s.deadlineTimer)) {
                ctx.timerService().deleteEventTimeTimer(s.deadlineTimer);
            }
            if (wanted != Long.MIN_VALUE) {
                ctx.timerService().registerEventTimeTimer(wanted);
            }
            s.deadlineTimer = wanted;
        }
        if (s.instances.length == 0 && waiting.isEmpty() && s.deadlineTimer == Long.MIN_VALUE) {
            state.clear();
        } else {
            state.update(s);
        }
        if (waiting.isEmpty()) {
            pending.clear();
        }
    }

    private JourneyDefinition definition(JourneyInstance inst) {
        int j = model.indexOf(inst.journey);
        return j < 0 ? null : model.journey(j);
    }

    private void emit(
            JourneyInstance inst,
            JourneyDefinition def,
            String account,
            long asOf,
            long firedUpTo,
            String transition,
            String subject,
            String causeEventId,
            Collector<JourneyUpdate> out) {
        inst.sequence++;
        out.collect(JourneyUpdates.of(account, inst, def, asOf, firedUpTo, transition, subject, causeEventId));
    }

    static boolean reached(JourneyInstance inst, int k) {
        return k < inst.reachedAt.length && inst.reachedAt[k] != JourneyInstance.NOT_REACHED;
    }

    private static boolean completes(JourneyInstance inst, JourneyDefinition def, int k) {
        int c = def.completionMilestone();
        if (c >= 0) {
            return c == k;
        }
        for (int m = 0; m < def.milestones().size(); m++) {
            if (!reached(inst, m)) {
                return false;
            }
        }
        return true;
    }

    static long dueAt(JourneyInstance inst, JourneyDefinition def, int k) {
        return inst.startedAt + def.milestones().get(k).due().toMillis();
    }

    static long behindAt(JourneyInstance inst, JourneyDefinition def, int k) {
        return inst.startedAt + def.behindOffsetMillis(k);
    }

    static long abandonAt(JourneyInstance inst, JourneyDefinition def) {
        return inst.lastActivityAt + def.abandonAfterInactivity().toMillis();
    }

    /** The earliest deadline of the instance after {@code after}, or MAX_VALUE. */
    static long nextDeadline(JourneyInstance inst, JourneyDefinition def, long after) {
        long next = abandonAt(inst, def) > after ? abandonAt(inst, def) : Long.MAX_VALUE;
        for (int k = 0; k < def.milestones().size(); k++) {
            if (reached(inst, k)) {
                continue;
            }
            long behind = behindAt(inst, def, k);
            long due = dueAt(inst, def, k);
            if (behind > after) {
                next = Math.min(next, behind);
            } else if (due > after) {
                next = Math.min(next, due);
            }
        }
        return next;
    }

    private static String milestoneName(JourneyDefinition def, int k) {
        MilestoneDefinition m = def.milestones().get(k);
        return m.name();
    }

    /** The survey an answer belongs to (its {@code survey} attribute), or null if it is not an answer. */
    static String surveyOf(Touchpoint t) {
        if (t.getValue() == null || !"survey_answered".equals(t.getType())) {
            return null;
        }
        String survey = t.getAttributes() == null ? null : t.getAttributes().get("survey");
        return survey == null ? "survey" : survey;
    }

    static long nextMidnight(long t) {
        return Math.floorDiv(t, DAY_MILLIS) * DAY_MILLIS + DAY_MILLIS;
    }
}
