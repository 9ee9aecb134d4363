package io.headway.alert;

import io.headway.eventtime.KeyedFunctionWithHorizon;
import io.headway.risk.RiskModel;
import io.headway.risk.RiskSettings;
import io.headway.risk.RiskState;
import io.headway.schema.AccountSignal;
import io.headway.schema.Alert;
import io.headway.schema.AlertExplanation;
import io.headway.schema.AlertSignalValue;
import io.headway.schema.GoalUpdate;
import io.headway.schema.JourneyMilestone;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.RiskUpdate;
import io.headway.schema.ScoreComponent;
import io.headway.schema.ScoreDriver;
import io.headway.schema.ScoreUpdate;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Alert rules over one account's journey, score and alert-feedback records, in event time.
 *
 * <p>Risks have a lifecycle per key (account, rule, subject): {@code open} when the condition
 * appears, {@code escalated} when it worsens or is still open {@code rules.lifecycle.escalate_after}
 * later (from a timer), {@code acknowledged} / {@code snoozed} from CS-tool touchpoints, and
 * {@code resolved} when the condition clears (with the rule's hysteresis) or its journey or account
 * ends. Every transition is one {@link Alert} record; a condition that keeps holding emits nothing
 * more. A key opens at most {@code max_fires} times per {@code refire_window}. Wins are single
 * {@code won} records.
 *
 * <p><b>Order.</b> Signals wait in state until the watermark has passed them, then apply in
 * {@link SignalOrder} (event time; at one instant journeys, goals, scores, feedback), interleaved with
 * the rules' own deadlines, which come after the signals of their instant. Upstream records do not
 * depend on arrival order either, so the same input gives the same alerts, ids and all, in a re-run
 * and after a restore from a checkpoint; only {@code detected_at} (processing time) differs.
 * Signals behind the watermark (allowed lateness upstream) apply at once.
 *
 * <p>Silence comes from a deadline at the first UTC midnight at or after the last product activity +
 * the rule's {@code after}: it is taken after the score's daily record of that midnight, which folds
 * every product touchpoint before it, so a touchpoint that moved the score too little for a change
 * record cannot fake silence.
 *
 * <p>State: the open (or recently resolved) alerts in a map by rule/subject, one
 * {@link AlertContext}, and the pending signals; exactly one timer at a time (just after the earliest
 * of the first pending signal, silence, escalation, snooze end, refire window end). A key's entry goes
 * when its refire window ends after it resolved; the whole account's state goes with its final score
 * record. At the end of a bounded input (watermark at {@code Long.MAX_VALUE}) deadlines after an
 * account's last signal do not fire: a replay does not fast-forward every account into silence.
 */
public class AlertFunction extends KeyedFunctionWithHorizon<String, AccountSignal, Alert> {

    private static final long serialVersionUID = 1L;

    public static final long DAY = 86_400_000L;
    public static final String ACCOUNT_SUBJECT = "account";
    /** Components named in a health_drop explanation before the rest is summed up as other_components. */
    static final int DROP_DRIVERS = 4;

    public static final MapStateDescriptor<String, AlertEntry> ENTRIES =
            new MapStateDescriptor<>("alert-entries", Types.STRING, TypeInformation.of(AlertEntry.class));
    public static final ValueStateDescriptor<AlertContext> CONTEXT =
            new ValueStateDescriptor<>("alert-context", TypeInformation.of(AlertContext.class));
    /** Signals the watermark has not passed yet, in arrival order. */
    public static final ListStateDescriptor<AccountSignal> PENDING =
            new ListStateDescriptor<>("alert-pending", new AvroTypeInfo<>(AccountSignal.class));

    /** The account risk, re-assessed after each journey, score and goal signal (a model with a risk: section only). */
    public static final OutputTag<RiskUpdate> RISK = new OutputTag<>("risk", new AvroTypeInfo<>(RiskUpdate.class));

    /** Processing time for {@code detected_at}; tests pass a fixed one. */
    public interface Clock extends Serializable {
        long now();
    }

    private final AlertRules rules;
    private final Clock clock;

    private transient MapState<String, AlertEntry> entries;
    private transient ValueState<AlertContext> context;
    private transient ListState<AccountSignal> pending;
    private transient Counter opened;
    private transient Counter capped;
    private transient Counter unmatchedFeedback;

    public AlertFunction(AlertRules rules) {
        this(rules, System::currentTimeMillis);
    }

    public AlertFunction(AlertRules rules, Clock clock) {
        super("alerts-end-of-input-horizon");
        this.rules = rules;
        this.clock = clock;
    }

    @Override
    public void open(OpenContext openContext) {
        entries = getRuntimeContext().getMapState(ENTRIES);
        context = getRuntimeContext().getState(CONTEXT);
        pending = getRuntimeContext().getListState(PENDING);
        opened = getRuntimeContext().getMetricGroup().counter("alertsOpened");
        capped = getRuntimeContext().getMetricGroup().counter("alertsCappedByRefireLimit");
        unmatchedFeedback = getRuntimeContext().getMetricGroup().counter("alertFeedbackUnmatched");
    }

    @Override
    public void processElement(AccountSignal s, Context ctx, Collector<Alert> out) throws Exception {
        AlertContext c = context.value();
        if (c == null) {
            c = new AlertContext();
        }
        long at = SignalOrder.timeOf(s);
        horizon.see(at);
        if (at < ctx.timerService().currentWatermark()) {
            // Late but allowed upstream: event time has passed it, so it applies at once.
            c = apply(ctx.getCurrentKey(), s, c, ctx, out);
            reschedule(c, firstPending(), ctx.timerService());
            save(c);
            return;
        }
        pending.add(s);
        // Just after the signal: the watermark passing it means every signal up to its instant is here
        // (one at the watermark itself may still come from upstream's own timers).
        long wake = at + 1;
        if (c.timerAt == AlertContext.NONE || wake < c.timerAt) {
            if (c.timerAt != AlertContext.NONE) {
                ctx.timerService().deleteEventTimeTimer(c.timerAt);
            }
            ctx.timerService().registerEventTimeTimer(wake);
            c.timerAt = wake;
        }
        save(c);
    }

    /**
     * Applies, in {@link SignalOrder}, the pending signals the watermark has passed, interleaved with
     * the rules' own deadlines (silence, escalation, snooze end, refire window end); at one instant the
     * signals first, so the score's daily record of a midnight is read before that midnight's silence.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        AlertContext c = context.value();
        if (c == null) {
            return;
        }
        c.timerAt = AlertContext.NONE;
        long watermark = ctx.timerService().currentWatermark();
        // End of a bounded input: deadlines up to the horizon (the input's data reached them) and
        // between the account's signals; none after: a replay does not fast-forward every account
        // into silence.
        boolean endOfInput = watermark == Long.MAX_VALUE;
        String account = ctx.getCurrentKey();
        List<AccountSignal> signals = toList(pending.get());
        signals.sort(SignalOrder.IN_EVENT_TIME);
        int next = 0;
        long due = nextDeadline(c);
        while (true) {
            long signalAt = next < signals.size() ? SignalOrder.timeOf(signals.get(next)) : Long.MAX_VALUE;
            if (signalAt < watermark && signalAt <= due) {
                c = apply(account, signals.get(next++), c, ctx, out);
                due = nextDeadline(c);
            } else if (due < watermark && (!endOfInput || next < signals.size() || due <= horizon.get())) {
                deadlines(account, due, c, out);
                long after = nextDeadline(c);
                if (after <= due) {
                    throw new IllegalStateException("alert deadline at " + due + " did not move for account " + account);
                }
                due = after;
            } else {
                break;
            }
        }
        List<AccountSignal> rest = signals.subList(next, signals.size());
        if (next > 0) {
            pending.update(new ArrayList<>(rest));
        }
        if (!endOfInput) {
            reschedule(c, rest.isEmpty() ? AlertContext.NONE : SignalOrder.timeOf(rest.get(0)), ctx.timerService());
        }
        save(c);
    }

    /** Applies one signal; returns the account's context, a fresh one if the signal ended the account. */
    private AlertContext apply(String account, AccountSignal s, AlertContext c, Context ctx, Collector<Alert> out) throws Exception {
        boolean ended = false;
        if (s.getJourney() != null) {
            onJourney(account, s.getJourney(), c, out);
        }
        if (s.getScore() != null) {
            ended = onScore(account, s.getScore(), c, out);
        }
        if (s.getGoal() != null) {
            onGoal(account, s.getGoal(), out);
        }
        if (s.getTouchpoint() != null) {
            onFeedback(account, s.getTouchpoint(), out);
        }
        if (!ended) {
            risk(account, s, c, ctx, out);
            return c;
        }
        entries.clear();
        AlertContext fresh = new AlertContext();
        fresh.timerAt = c.timerAt;
        return fresh;
    }

    /**
     * Folds the signal into the account's risk features, emits the re-assessment if it says something
     * new, and opens, escalates or resolves account_risk ({@link AccountRiskRule}) from it.
     */
    private void risk(String account, AccountSignal s, AlertContext c, Context ctx, Collector<Alert> out) throws Exception {
        RiskSettings settings = rules.risk;
        if (settings == null || s.getTouchpoint() != null) {
            return;
        }
        if (c.risk == null) {
            c.risk = new RiskState();
        }
        if (s.getJourney() != null) {
            c.risk.features.onJourney(s.getJourney());
        }
        if (s.getScore() != null) {
            c.risk.features.onScore(s.getScore());
        }
        if (s.getGoal() != null) {
            c.risk.features.onGoal(s.getGoal());
        }
        long at = SignalOrder.timeOf(s);
        RiskModel.Assessment a = c.risk.assess(settings, at);
        RiskUpdate update = c.risk.update(settings, account, at, a);
        if (update != null) {
            ctx.output(RISK, update);
        }
        AlertRule rule = rules.first(RuleType.ACCOUNT_RISK);
        if (rule == null) {
            return;
        }
        if (AccountRiskRule.holds(settings, a)) {
            fire(account, rule, ACCOUNT_SUBJECT, at, AlertEntry.NONE, a.probability(), AccountRiskRule.WORSE_BY, rule.ownerTeam,
                    AccountRiskRule.headline(a), AccountRiskRule.explanation(settings, a), AccountRiskRule.signals(settings, a, at),
                    List.of(), AccountRiskRule.severity(a.probability()), AccountRiskRule.action(a), out);
        } else if (AccountRiskRule.clears(settings, a)) {
            resolve(account, rule, ACCOUNT_SUBJECT, at, "cleared", "risk " + fixed(a.probability(), 2) + " is below "
                    + fixed(settings.resolveBelow(), 2), out);
        }
    }

    /** The rules' own deadlines due at {@code timestamp}. */
    private void deadlines(String account, long timestamp, AlertContext c, Collector<Alert> out) throws Exception {
        AlertRule silence = rules.first(RuleType.SILENCE);
        if (silence != null && silenceArmed(c) && silenceAt(c, silence) <= timestamp) {
            c.silenceFiredFor = c.lastProductAt;
            long days = (timestamp - c.lastProductAt) / DAY;
            fire(account, silence, ACCOUNT_SUBJECT, timestamp, c.lastProductAt + silence.millis("churn_after"), 0, 0,
                    silence.ownerTeam,
                    "No product activity for " + days + " days (since " + date(c.lastProductAt) + "); the account goes silent by "
                            + date(c.lastProductAt + silence.millis("churn_after")),
                    "No login or feature use since " + Instant.ofEpochMilli(c.lastProductAt) + ", " + days
                            + " days; the rule fires after " + silence.millis("after") / DAY + " days",
                    signals(signal("last_product_activity_at", Instant.ofEpochMilli(c.lastProductAt).toString(), c.lastProductAt),
                            signal("days_without_product_activity", Long.toString(days), timestamp)),
                    List.of(), out);
        }
        List<String> drop = new ArrayList<>();
        List<Map.Entry<String, AlertEntry>> due = toList(entries.entries());
        due.sort(Map.Entry.comparingByKey()); // map state iterates in no fixed order; records do
        for (Map.Entry<String, AlertEntry> kv : due) {
            AlertEntry e = kv.getValue();
            AlertRule rule = rules.byId(e.rule);
            if (rule == null) {
                drop.add(kv.getKey());
                continue;
            }
            if (e.open && e.snoozedUntil != AlertEntry.NONE && e.snoozedUntil <= timestamp) {
                e.snoozedUntil = AlertEntry.NONE;
                boolean escalateNow = !e.escalated && e.acknowledgedAt == AlertEntry.NONE && e.escalateAt <= timestamp;
                if (escalateNow) {
                    e.escalated = true;
                }
                e.state = e.escalated ? "escalated" : e.acknowledgedAt != AlertEntry.NONE ? "acknowledged" : "open";
                emit(account, rule, e, timestamp, escalateNow ? "still_open" : "snooze_ended", null, out);
                entries.put(kv.getKey(), e);
            } else if (e.open && !e.escalated && e.snoozedUntil == AlertEntry.NONE && e.acknowledgedAt == AlertEntry.NONE
                    && e.escalateAt <= timestamp) {
                e.escalated = true;
                e.state = "escalated";
                emit(account, rule, e, timestamp, "still_open", null, out);
                entries.put(kv.getKey(), e);
            } else if (!e.open && e.windowStart + rules.refireWindow.toMillis() <= timestamp) {
                drop.add(kv.getKey());
            }
        }
        for (String k : drop) {
            entries.remove(k);
        }
    }

    // ------------------------------------------------------------------ journeys

    /** Milestones of the instance that missed their due date: overdue now, or reached after it. */
    private static int missedMilestones(JourneyUpdate j) {
        int n = 0;
        for (JourneyMilestone m : j.getMilestones()) {
            String status = m.getStatus();
            if (status.equals("overdue") || status.equals("reached_late")) {
                n++;
            }
        }
        return n;
    }

    private void onJourney(String account, JourneyUpdate j, AlertContext c, Collector<Alert> out) throws Exception {
        String journey = j.getJourney();
        String transition = j.getTransition();
        String milestone = j.getSubject();
        long at = j.getAsOf();
        String subjectPrefix = journey + "/" + j.getInstance() + "/";
        JourneyMilestone m = milestone == null ? null : milestone(j, milestone);
        boolean ttv = milestone != null && milestone.equals(rules.timeToValueMilestone.get(journey));
        AlertRule atRisk = ttv && rules.first(RuleType.TIME_TO_VALUE_AT_RISK) != null
                ? rules.first(RuleType.TIME_TO_VALUE_AT_RISK) : rules.first(RuleType.MILESTONE_AT_RISK);
        switch (transition) {
            case "milestone_behind":
                if (atRisk != null && m != null) {
                    fire(account, atRisk, subjectPrefix + milestone, at, m.getDueAt(), 0, 0, owner(atRisk, m),
                            (ttv ? "Time to value at risk: " : "Milestone at risk: ") + journey + " / " + milestone
                                    + " is not reached and falls due " + date(m.getDueAt()),
                            milestoneText(j, m) + " It counted as behind at " + Instant.ofEpochMilli(m.getBehindAt())
                                    + "; success means: " + m.getSuccess(),
                            milestoneSignals(j, m), List.of(), out);
                }
                break;
            case "milestone_overdue":
                if (atRisk != null) {
                    worsen(account, atRisk, subjectPrefix + milestone, at, "now overdue", out);
                }
                AlertRule overdue = rules.first(RuleType.MILESTONE_OVERDUE);
                int missed = missedMilestones(j);
                if (overdue != null && m != null && missed >= overdue.threshold("min_missed")) {
                    fire(account, overdue, subjectPrefix + milestone, at, m.getDueAt(), 0, 0, owner(overdue, m),
                            "Milestone overdue: " + journey + " / " + milestone + " was due " + date(m.getDueAt()) + " and is not reached",
                            milestoneText(j, m) + " Success means: " + m.getSuccess()
                                    + (overdue.threshold("min_missed") > 1 ? " " + missed + " of " + j.getMilestones().size()
                                            + " milestones of this journey missed their due date." : ""),
                            milestoneSignals(j, m), List.of(), out);
                }
                break;
            case "milestone_reached":
                for (RuleType t : List.of(RuleType.MILESTONE_AT_RISK, RuleType.TIME_TO_VALUE_AT_RISK, RuleType.MILESTONE_OVERDUE)) {
                    AlertRule r = rules.first(t);
                    if (r != null) {
                        resolve(account, r, subjectPrefix + milestone, at, "cleared",
                                journey + " / " + milestone + " reached on " + date(at), out);
                    }
                }
                if (m != null && m.getEarlyByMs() != null) {
                    AlertRule win = rules.first(ttv ? RuleType.FIRST_VALUE_EARLY : RuleType.MILESTONE_AHEAD);
                    if (win != null && m.getEarlyByMs() >= win.millis("early_by")) {
                        double days = m.getEarlyByMs() / (double) DAY;
                        win(account, win, subjectPrefix + milestone, at, m.getDueAt(), owner(win, m),
                                (ttv ? "First value reached early: " : "Milestone ahead of plan: ") + journey + " / " + milestone
                                        + " reached " + fmt(days) + " days before its due date " + date(m.getDueAt()),
                                milestoneText(j, m) + (j.getTimeToValueMs() == null ? ""
                                        : " Time to value: " + fmt(j.getTimeToValueMs() / (double) DAY) + " days."),
                                milestoneSignals(j, m), j.getCauseEventId() == null ? List.of() : List.of(j.getCauseEventId()), out);
                    }
                }
                break;
            case "completed":
            case "abandoned":
                String reason = transition.equals("completed") ? "cleared" : "ended";
                List<String> keys = new ArrayList<>();
                for (Map.Entry<String, AlertEntry> kv : entries.entries()) {
                    if (kv.getValue().open && kv.getValue().subject.startsWith(subjectPrefix)) {
                        keys.add(kv.getKey());
                    }
                }
                keys.sort(null); // map state iterates in no fixed order; records do
                for (String k : keys) {
                    AlertEntry e = entries.get(k);
                    resolve(account, rules.byId(e.rule), e.subject, at, reason,
                            "journey " + journey + " " + transition + " on " + date(at)
                                    + (j.getSubject() == null ? "" : " (" + j.getSubject() + ")"), out);
                }
                break;
            default:
                break;
        }
        if (journey.equals(rules.renewalJourney)) {
            c.renewalOpen = !(transition.equals("completed") || transition.equals("abandoned"));
            long due = AlertContext.NONE;
            for (JourneyMilestone jm : j.getMilestones()) {
                due = Math.max(due, jm.getDueAt());
            }
            c.renewalDueAt = due;
            renewal(account, c, at, List.of(), out);
        }
    }

    private static JourneyMilestone milestone(JourneyUpdate j, String name) {
        for (JourneyMilestone m : j.getMilestones()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        return null;
    }

    private static String owner(AlertRule rule, JourneyMilestone m) {
        return rule.ownerTeam.equals(AlertRule.MILESTONE_OWNER) ? m.getOwnerTeam() : rule.ownerTeam;
    }

    private static String milestoneText(JourneyUpdate j, JourneyMilestone m) {
        return "Journey " + j.getJourney() + " (instance " + j.getInstance() + ", started " + date(j.getStartedAt()) + "): milestone "
                + m.getName() + " is " + m.getStatus() + ", due " + Instant.ofEpochMilli(m.getDueAt()) + "; "
                + j.getTouchpoints() + " touchpoints in the journey, the latest at " + Instant.ofEpochMilli(j.getLastActivityAt()) + ".";
    }

    private static List<AlertSignalValue> milestoneSignals(JourneyUpdate j, JourneyMilestone m) {
        List<AlertSignalValue> s = new ArrayList<>();
        s.add(signal("journey_instance", j.getInstanceId(), j.getAsOf()));
        s.add(signal("transition", j.getTransition(), j.getAsOf()));
        s.add(signal("milestone_status", m.getStatus(), j.getAsOf()));
        s.add(signal("milestone_due_at", Instant.ofEpochMilli(m.getDueAt()).toString(), j.getAsOf()));
        if (m.getReachedAt() != null) {
            s.add(signal("milestone_reached_at", Instant.ofEpochMilli(m.getReachedAt()).toString(), j.getAsOf()));
        }
        if (m.getEarlyByMs() != null) {
            s.add(signal("early_by_days", fixed(m.getEarlyByMs() / (double) DAY, 2), j.getAsOf()));
        }
        s.add(signal("journey_last_activity_at", Instant.ofEpochMilli(j.getLastActivityAt()).toString(), j.getAsOf()));
        return s;
    }

    // ------------------------------------------------------------------ scores

    /** Returns true when this was the account's final record. */
    private boolean onScore(String account, ScoreUpdate u, AlertContext c, Collector<Alert> out) throws Exception {
        long at = u.getAsOf();
        if ("final".equals(u.getReason())) {
            List<Map.Entry<String, AlertEntry>> all = toList(entries.entries());
            all.sort(Map.Entry.comparingByKey()); // map state iterates in no fixed order; records do
            for (Map.Entry<String, AlertEntry> kv : all) {
                AlertEntry e = kv.getValue();
                if (e.open) {
                    resolve(account, rules.byId(e.rule), e.subject, at, "ended",
                            "the account's score ended (" + u.getFinalReason() + ") on " + date(at), out);
                }
            }
            return true;
        }
        c.grade = u.getGrade();
        List<String> scoreEvents = driverEvents(u, null);
        Long product = u.getLastProductActivityAt();
        if (product != null && product > c.lastProductAt) {
            c.lastProductAt = product;
            AlertRule silence = rules.first(RuleType.SILENCE);
            if (silence != null) {
                resolve(account, silence, ACCOUNT_SUBJECT, at, "cleared",
                        "product activity again at " + Instant.ofEpochMilli(product), out);
            }
        }

        AlertRule red = rules.first(RuleType.HEALTH_RED);
        if (red != null) {
            if ("red".equals(u.getGrade())) {
                fire(account, red, ACCOUNT_SUBJECT, at, AlertEntry.NONE, 100 - u.getScore(), 10, red.ownerTeam,
                        "Health is red: score " + fmt(u.getScore()) + " on " + date(at),
                        "The health score fell into the red band" + (u.getPreviousGrade() == null ? "" : " from " + u.getPreviousGrade())
                                + "; " + driversText(u),
                        scoreSignals(u), scoreEvents, out);
            } else {
                resolve(account, red, ACCOUNT_SUBJECT, at, "cleared", "grade " + u.getGrade() + ", score " + fmt(u.getScore()), out);
            }
        }

        AlertRule drop = rules.first(RuleType.HEALTH_DROP);
        // Daily snapshots only: change records within a day are noisy.
        if (drop != null && "daily".equals(u.getReason())) {
            healthDrop(account, drop, u, c, scoreEvents, out);
        }

        AlertRule decay = rules.first(RuleType.ADOPTION_DECAY);
        if (decay != null && "daily".equals(u.getReason())) {
            adoption(account, decay, u, c, out);
        }

        AlertRule friction = rules.first(RuleType.SUPPORT_FRICTION_SPIKE);
        ScoreComponent support = component(u, "support_friction");
        if (friction != null && support != null && support.getValue() != null) {
            double v = support.getValue();
            if (v < friction.threshold("below")) {
                fire(account, friction, ACCOUNT_SUBJECT, at, AlertEntry.NONE, 100 - v, 20, friction.ownerTeam,
                        "Support friction spike: support score " + fmt(v) + " (below " + fmt(friction.threshold("below")) + ") on " + date(at),
                        "Support friction component " + fmt(v) + " of 100" + (support.getInput() == null ? "" : ": " + support.getInput()),
                        scoreSignals(u), driverEvents(u, "support_friction"), out);
            } else if (v >= friction.threshold("clear_at")) {
                resolve(account, friction, ACCOUNT_SUBJECT, at, "cleared", "support friction component back at " + fmt(v), out);
            }
        }

        AlertRule detractor = rules.first(RuleType.DETRACTOR_AFTER_TICKET);
        ScoreComponent sentiment = component(u, "sentiment");
        if (detractor != null && sentiment != null && sentiment.getInput() != null) {
            if (sentiment.getInput().contains("detractor after a ticket")) {
                List<String> ids = new ArrayList<>(driverEvents(u, "sentiment"));
                ids.addAll(driverEvents(u, "support_friction"));
                fire(account, detractor, ACCOUNT_SUBJECT, at, AlertEntry.NONE, 0, 0, detractor.ownerTeam,
                        "Detractor after a ticket: " + sentiment.getInput().replace(" (detractor after a ticket)", "") + " on " + date(at),
                        "A detractor survey answer came within the score model's detractor window after a support ticket; sentiment "
                                + fmt(sentiment.getValue() == null ? Double.NaN : sentiment.getValue()) + " of 100",
                        scoreSignals(u), ids, out);
            } else {
                resolve(account, detractor, ACCOUNT_SUBJECT, at, "cleared", "sentiment now: " + sentiment.getInput(), out);
            }
        }
        renewal(account, c, at, scoreEvents, out);
        return false;
    }

    /**
     * health_drop: the score at least {@code drop} below its highest daily record of the last
     * {@code within}, compared like with like: a component's first value (usage appearing, a first
     * survey) changes what the score is made of, not the account's health, so the history restarts
     * whenever the set of components with evidence changes, and the rule waits for {@code min_days}
     * daily records of one set. The drivers are the differences of the components' contributions
     * between the two records compared, so they add up to the drop.
     */
    private void healthDrop(String account, AlertRule drop, ScoreUpdate u, AlertContext c, List<String> scoreEvents,
            Collector<Alert> out) throws Exception {
        long at = u.getAsOf();
        int n = AlertRules.SCORE_COMPONENTS.size();
        float[] now = new float[n];
        int evidence = 0;
        for (ScoreComponent k : u.getComponents()) {
            int i = AlertRules.SCORE_COMPONENTS.indexOf(k.getName());
            if (i >= 0 && k.getValue() != null) {
                evidence |= 1 << i;
                now[i] = (float) k.getContribution();
            }
        }
        String restarted = null;
        if (evidence != c.scoreEvidence) {
            if (c.scoreAt.length > 0) {
                restarted = evidenceChange(c.scoreEvidence, evidence);
            }
            c.scoreAt = new long[0];
            c.scores = new double[0];
            c.scoreContributions = new float[0];
            c.scoreEvidence = evidence;
        }
        long from = at - drop.millis("within");
        int keep = 0;
        for (long t : c.scoreAt) {
            if (t >= from) {
                keep++;
            }
        }
        long[] ts = new long[keep + 1];
        double[] vs = new double[keep + 1];
        float[] cs = new float[(keep + 1) * n];
        int i = 0;
        int maxIndex = keep;
        double max = u.getScore();
        boolean contributions = c.scoreContributions.length == c.scoreAt.length * n;
        for (int k = 0; k < c.scoreAt.length; k++) {
            if (c.scoreAt[k] >= from) {
                ts[i] = c.scoreAt[k];
                vs[i] = c.scores[k];
                if (contributions) {
                    System.arraycopy(c.scoreContributions, k * n, cs, i * n, n);
                }
                if (vs[i] > max) {
                    max = vs[i];
                    maxIndex = i;
                }
                i++;
            }
        }
        ts[keep] = at;
        vs[keep] = u.getScore();
        System.arraycopy(now, 0, cs, keep * n, n);
        c.scoreAt = ts;
        c.scores = vs;
        c.scoreContributions = cs;
        long maxAt = ts[maxIndex];
        double fell = max - u.getScore();
        boolean enoughHistory = ts.length >= drop.threshold("min_days");
        if (fell >= drop.threshold("drop") && enoughHistory) {
            List<AlertSignalValue> signals = scoreSignals(u);
            signals.add(signal("drop", fixed(fell, 2), at));
            signals.add(signal("drop_from", fixed(max, 2), maxAt));
            String drivers = dropDrivers(cs, maxIndex * n, keep * n, -fell, at, signals);
            fire(account, drop, ACCOUNT_SUBJECT, at, AlertEntry.NONE, fell, drop.threshold("drop") / 2, drop.ownerTeam,
                    "Health dropped " + fmt(fell) + " points in " + Math.max(1, (at - maxAt) / DAY) + " days, to " + fmt(u.getScore()),
                    "The score was " + fmt(max) + " on " + date(maxAt) + " and is " + fmt(u.getScore()) + " on " + date(at)
                            + " (rule: a drop of " + fmt(drop.threshold("drop")) + " within " + drop.millis("within") / DAY + " days); "
                            + drivers,
                    signals, scoreEvents, out);
        } else if (fell < drop.threshold("clear_below")) {
            resolve(account, drop, ACCOUNT_SUBJECT, at, "cleared", restarted != null
                    ? "the score's components with evidence changed (" + restarted + "): its reference for drops restarts"
                    : "score " + fmt(u.getScore()) + ", " + fmt(fell) + " below its recent high", out);
        }
    }

    /** Components that gained or lost evidence between two sets, e.g. "+depth, +recency". */
    private static String evidenceChange(int before, int after) {
        List<String> changed = new ArrayList<>();
        for (int k = 0; k < AlertRules.SCORE_COMPONENTS.size(); k++) {
            int bit = 1 << k;
            if ((before & bit) != (after & bit)) {
                changed.add(((after & bit) != 0 ? "+" : "-") + AlertRules.SCORE_COMPONENTS.get(k));
            }
        }
        return String.join(", ", changed);
    }

    /**
     * The components whose contribution changed most between two records ({@code from} and {@code to}
     * index into {@code cs}), and one {@code other_components} entry for the rest, so that the listed
     * deltas sum to {@code change}; each also as a {@code driver.<component>} signal.
     */
    private static String dropDrivers(float[] cs, int from, int to, double change, long at, List<AlertSignalValue> signals) {
        int n = AlertRules.SCORE_COMPONENTS.size();
        double[] delta = new double[n];
        for (int k = 0; k < n; k++) {
            delta[k] = cs[to + k] - cs[from + k];
        }
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(delta[b]), Math.abs(delta[a])));
        StringBuilder b = new StringBuilder("drivers since then: ");
        double listed = 0;
        int shown = 0;
        for (int k : order) {
            if (shown == DROP_DRIVERS || Math.abs(delta[k]) < 0.05) {
                break;
            }
            double d = Math.round(delta[k] * 100) / 100.0;
            b.append(shown == 0 ? "" : "; ").append(AlertRules.SCORE_COMPONENTS.get(k)).append(' ').append(d >= 0 ? "+" : "").append(fixed(d, 2));
            signals.add(signal("driver." + AlertRules.SCORE_COMPONENTS.get(k), fixed(d, 2), at));
            listed += d;
            shown++;
        }
        // The rest (smaller components, rounding of the records) in one entry: the list adds up to the change.
        double rest = Math.round((change - listed) * 100) / 100.0;
        if (Math.abs(rest) >= 0.01 || shown == 0) {
            b.append(shown == 0 ? "" : "; ").append("other components ").append(rest >= 0 ? "+" : "").append(fixed(rest, 2));
            signals.add(signal("driver.other_components", fixed(rest, 2), at));
        }
        return b.toString();
    }

    private void adoption(String account, AlertRule decay, ScoreUpdate u, AlertContext c, Collector<Alert> out) throws Exception {
        double sum = 0;
        int n = 0;
        for (String name : decay.names) {
            ScoreComponent k = component(u, name);
            if (k != null && k.getValue() != null) {
                sum += k.getValue();
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        long at = u.getAsOf();
        long from = at - decay.millis("window");
        int keep = 0;
        for (long t : c.adoptionAt) {
            if (t > from) {
                keep++;
            }
        }
        long[] ts = new long[keep + 1];
        double[] vs = new double[keep + 1];
        int i = 0;
        for (int k = 0; k < c.adoptionAt.length; k++) {
            if (c.adoptionAt[k] > from) {
                ts[i] = c.adoptionAt[k];
                vs[i++] = c.adoption[k];
            }
        }
        ts[keep] = at;
        vs[keep] = sum / n;
        c.adoptionAt = ts;
        c.adoption = vs;
        if (ts.length < decay.threshold("min_days")) {
            return;
        }
        double slope = Trend.theilSenPerDay(ts, vs);
        double fitted = -slope * (ts[ts.length - 1] - ts[0]) / (double) DAY;
        if (slope <= decay.threshold("slope_per_day") && fitted >= decay.threshold("min_drop")) {
            fire(account, decay, ACCOUNT_SUBJECT, at, AlertEntry.NONE, -slope, -decay.threshold("slope_per_day"), decay.ownerTeam,
                    "Adoption decaying: " + String.join("/", decay.names) + " down " + fmt(fitted) + " points over "
                            + ts.length + " days (" + fmt(slope) + " per day)",
                    "Median-slope (Theil-Sen) trend of the mean of " + String.join(", ", decay.names) + " over the daily scores of the last "
                            + decay.millis("window") / DAY + " days: " + fmt(vs[0]) + " on " + date(ts[0]) + " to " + fmt(vs[vs.length - 1])
                            + " on " + date(at) + "; the rule fires at " + fmt(decay.threshold("slope_per_day")) + " per day and a drop of "
                            + fmt(decay.threshold("min_drop")),
                    signals(signal("adoption_slope_per_day", fmt(slope), at), signal("adoption_now", fmt(vs[vs.length - 1]), at),
                            signal("adoption_window_start", fmt(vs[0]), ts[0]), signal("days_in_trend", Integer.toString(ts.length), at)),
                    driverEvents(u, null), out);
        } else if (slope > decay.threshold("slope_per_day") / 2) {
            resolve(account, decay, ACCOUNT_SUBJECT, at, "cleared", "adoption trend " + fmt(slope) + " per day", out);
        }
    }

    private void renewal(String account, AlertContext c, long at, List<String> events, Collector<Alert> out) throws Exception {
        AlertRule rule = rules.first(RuleType.RENEWAL_LOW_HEALTH);
        if (rule == null) {
            return;
        }
        String subject = rules.renewalJourney;
        if (c.renewalOpen && c.grade != null && rule.names.contains(c.grade)) {
            fire(account, rule, subject, at, c.renewalDueAt, 0, 0, rule.ownerTeam,
                    "Renewal approaching with " + c.grade + " health: renewal due " + date(c.renewalDueAt),
                    "The renewal journey is open (its last milestone is due " + Instant.ofEpochMilli(c.renewalDueAt)
                            + ") and the health grade is " + c.grade,
                    signals(signal("grade", c.grade, at), signal("renewal_due_at", Instant.ofEpochMilli(c.renewalDueAt).toString(), at)),
                    events, out);
        } else {
            resolve(account, rule, subject, at, c.renewalOpen ? "cleared" : "ended",
                    c.renewalOpen ? "health grade " + c.grade : "renewal journey closed", out);
        }
    }

    private static ScoreComponent component(ScoreUpdate u, String name) {
        for (ScoreComponent k : u.getComponents()) {
            if (k.getName().equals(name)) {
                return k;
            }
        }
        return null;
    }

    private static List<String> driverEvents(ScoreUpdate u, String component) {
        Set<String> ids = new LinkedHashSet<>();
        for (ScoreDriver d : u.getDrivers()) {
            if (component == null || d.getComponent().equals(component)) {
                ids.addAll(d.getEventIds());
            }
        }
        return new ArrayList<>(ids);
    }

    private static String driversText(ScoreUpdate u) {
        if (u.getDrivers().isEmpty()) {
            return "no driver since the previous record";
        }
        StringBuilder b = new StringBuilder("drivers: ");
        for (int i = 0; i < u.getDrivers().size(); i++) {
            ScoreDriver d = u.getDrivers().get(i);
            b.append(i == 0 ? "" : "; ").append(d.getComponent()).append(' ').append(d.getDelta() >= 0 ? "+" : "").append(fmt(d.getDelta()));
            if (d.getDetail() != null) {
                b.append(" (").append(d.getDetail()).append(')');
            }
        }
        return b.toString();
    }

    private static List<AlertSignalValue> scoreSignals(ScoreUpdate u) {
        List<AlertSignalValue> s = new ArrayList<>();
        s.add(signal("score", fmt(u.getScore()), u.getAsOf()));
        s.add(signal("grade", u.getGrade(), u.getAsOf()));
        if (u.getPreviousScore() != null) {
            s.add(signal("previous_score", fmt(u.getPreviousScore()), u.getAsOf()));
        }
        for (ScoreComponent k : u.getComponents()) {
            if (k.getValue() != null && k.getInput() != null) {
                s.add(signal(k.getName(), fmt(k.getValue()) + " (" + k.getInput() + ")", u.getAsOf()));
            } else if (k.getValue() != null) {
                s.add(signal(k.getName(), fmt(k.getValue()), u.getAsOf()));
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ goals

    private void onGoal(String account, GoalUpdate g, Collector<Alert> out) throws Exception {
        String subject = "goal/" + g.getGoalId();
        long at = g.getAsOf();
        AlertRule risk = rules.first(RuleType.GOAL_AT_RISK);
        String status = g.getStatus();
        if (risk != null) {
            if ("at_risk".equals(status)) {
                double share = g.getProjectedShortfallShare() == null ? 0 : g.getProjectedShortfallShare();
                fire(account, risk, subject, at, g.getDeadlineAt(), share, 0.25, risk.ownerTeam,
                        "Goal projected to miss: " + g.getMetric() + " heads for " + fmt(nz(g.getProjectedValue())) + " against a target of "
                                + fmt(g.getTarget()) + " by " + date(g.getDeadlineAt()),
                        "Goal " + g.getGoalId() + " (" + g.getMetric() + ", " + g.getDirection() + " from " + fmt(g.getBaseline()) + " to "
                                + fmt(g.getTarget()) + " by " + Instant.ofEpochMilli(g.getDeadlineAt()) + "): the trend of its last "
                                + g.getMeasurementsUsed() + " measurements (" + fmt(nz(g.getTrendPerDay())) + " per day) projects "
                                + fmt(nz(g.getProjectedValue())) + ", short by " + fmt(nz(g.getProjectedShortfall())) + " ("
                                + fmt(100 * share) + " % of the distance), " + fmt(g.getDaysLeft()) + " days left",
                        goalSignals(g), g.getCausingEventIds(), out);
            } else if ("on_track".equals(status) || "achieved".equals(status)) {
                resolve(account, risk, subject, at, "cleared", "goal " + status + " on " + date(at), out);
            } else if ("missed".equals(status)) {
                resolve(account, risk, subject, at, "ended", "goal missed at its deadline " + date(at), out);
            }
        }
        AlertRule achieved = rules.first(RuleType.GOAL_ACHIEVED);
        if (achieved != null && "achieved".equals(status) && !"achieved".equals(g.getPreviousStatus())) {
            long early = g.getDeadlineAt() - at;
            win(account, achieved, subject, at, g.getDeadlineAt(), achieved.ownerTeam,
                    "Goal achieved: " + g.getMetric() + " reached " + fmt(g.getLatest() == null ? g.getTarget() : g.getLatest().getValue())
                            + " (target " + fmt(g.getTarget()) + ") " + fmt(early / (double) DAY) + " days before its deadline " + date(g.getDeadlineAt()),
                    "Goal " + g.getGoalId() + " (" + g.getMetric() + ", " + g.getDirection() + " from " + fmt(g.getBaseline()) + " to "
                            + fmt(g.getTarget()) + ") was achieved on " + date(at),
                    goalSignals(g), g.getCausingEventIds(), out);
        }
    }

    private static double nz(Double v) {
        return v == null ? Double.NaN : v;
    }

    private static List<AlertSignalValue> goalSignals(GoalUpdate g) {
        List<AlertSignalValue> s = new ArrayList<>();
        long at = g.getAsOf();
        s.add(signal("goal_status", g.getStatus(), at));
        s.add(signal("metric", g.getMetric(), at));
        s.add(signal("target", fmt(g.getTarget()), at));
        s.add(signal("deadline_at", Instant.ofEpochMilli(g.getDeadlineAt()).toString(), at));
        if (g.getLatest() != null) {
            s.add(signal("latest_value", fmt(g.getLatest().getValue()), g.getLatest().getMeasuredAt()));
        }
        if (g.getTrendPerDay() != null) {
            s.add(signal("trend_per_day", fixed(g.getTrendPerDay(), 3), at));
        }
        if (g.getProjectedValue() != null) {
            s.add(signal("projected_value", fmt(g.getProjectedValue()), at));
        }
        s.add(signal("days_left", fmt(g.getDaysLeft()), at));
        return s;
    }

    // ------------------------------------------------------------------ feedback from CS tools

    private void onFeedback(String account, Touchpoint t, Collector<Alert> out) throws Exception {
        Map<String, String> a = t.getAttributes();
        AlertEntry e = null;
        String key = null;
        String alertKey = a.get("alert_key");
        String alertId = a.get("alert_id");
        if (alertKey != null && alertKey.startsWith(account + "/")) {
            key = alertKey.substring(account.length() + 1);
            e = entries.get(key);
        } else if (alertId != null) {
            for (Map.Entry<String, AlertEntry> kv : entries.entries()) {
                if (alertId.equals(kv.getValue().alertId)) {
                    key = kv.getKey();
                    e = kv.getValue();
                }
            }
        }
        if (e == null || !e.open || (alertId != null && !alertId.equals(e.alertId))) {
            unmatchedFeedback.inc();
            return;
        }
        AlertRule rule = rules.byId(e.rule);
        long at = t.getOccurredAt();
        if (IsAlertFeedback.ACKNOWLEDGED.equals(t.getType())) {
            if (e.acknowledgedAt != AlertEntry.NONE) {
                return;
            }
            e.acknowledgedAt = at;
            if (e.snoozedUntil == AlertEntry.NONE) {
                e.state = e.escalated ? "escalated" : "acknowledged";
            }
            emit(account, rule, e, at, "acknowledged", "acknowledged by " + (t.getUserId() == null ? t.getSource() : t.getUserId())
                    + " (" + t.getEventId() + ")", out);
        } else {
            long until = until(a.get("until"));
            if (until == AlertEntry.NONE || until <= at) {
                unmatchedFeedback.inc();
                return;
            }
            e.snoozedUntil = until;
            e.state = "snoozed";
            emit(account, rule, e, at, "snoozed", "snoozed until " + Instant.ofEpochMilli(until) + " by "
                    + (t.getUserId() == null ? t.getSource() : t.getUserId()) + " (" + t.getEventId() + ")", out);
        }
        entries.put(key, e);
    }

    /** {@code until}: an ISO date (the start of that day, UTC) or an ISO instant; NONE when unreadable. */
    static long until(String text) {
        if (text == null) {
            return AlertEntry.NONE;
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                return AlertEntry.NONE;
            }
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * The rule's condition holds at {@code at}: opens the key's alert if none is open (within the
     * refire cap), escalates an open one if {@code badness} grew by {@code worseBy} (when positive)
     * since it opened, and otherwise emits nothing (de-duplication).
     */
    private void fire(String account, AlertRule rule, String subject, long at, long dueAt, double badness, double worseBy,
            String ownerTeam, String headline, String explanation, List<AlertSignalValue> signals, List<String> eventIds,
            Collector<Alert> out) throws Exception {
        fire(account, rule, subject, at, dueAt, badness, worseBy, ownerTeam, headline, explanation, signals, eventIds, null, null, out);
    }

    /** As above, with the alert's own severity and recommended action (null: the rule's). */
    private void fire(String account, AlertRule rule, String subject, long at, long dueAt, double badness, double worseBy,
            String ownerTeam, String headline, String explanation, List<AlertSignalValue> signals, List<String> eventIds,
            String severity, String action, Collector<Alert> out) throws Exception {
        String key = rule.id + "/" + subject;
        AlertEntry e = entries.get(key);
        if (e != null && e.open) {
            if (worseBy > 0 && badness >= e.worst + worseBy && !e.escalated) {
                e.escalated = true;
                e.worst = badness;
                e.severity = severity;
                e.action = action;
                if (e.snoozedUntil == AlertEntry.NONE) {
                    e.state = "escalated";
                    emit(account, rule, e, at, "worsened", explanation, signals, eventIds, out);
                }
                entries.put(key, e);
            }
            return;
        }
        if (e != null && at < e.windowStart + rules.refireWindow.toMillis()) {
            if (e.fireCount >= rules.maxFires) {
                capped.inc();
                return;
            }
            e.fireCount++;
        } else {
            e = new AlertEntry();
            e.rule = rule.id;
            e.subject = subject;
            e.fireCount = 1;
            e.windowStart = at;
        }
        e.open = true;
        e.escalated = false;
        e.state = "open";
        e.openedAt = at;
        e.alertId = alertId(account, rule.id, subject, at);
        e.dueAt = dueAt;
        e.escalateAt = at + rules.escalateAfter.toMillis();
        e.acknowledgedAt = AlertEntry.NONE;
        e.snoozedUntil = AlertEntry.NONE;
        e.worst = badness;
        e.ownerTeam = ownerTeam;
        e.headline = headline;
        e.explanation = explanation;
        e.eventIds = eventIds.toArray(new String[0]);
        e.severity = severity;
        e.action = action;
        entries.put(key, e);
        opened.inc();
        emit(account, rule, e, at, "fired", explanation, signals, eventIds, out);
    }

    /** A worsening that is not a threshold (a behind milestone became overdue). */
    private void worsen(String account, AlertRule rule, String subject, long at, String what, Collector<Alert> out) throws Exception {
        String key = rule.id + "/" + subject;
        AlertEntry e = entries.get(key);
        if (e == null || !e.open || e.escalated) {
            return;
        }
        e.escalated = true;
        if (e.snoozedUntil == AlertEntry.NONE) {
            e.state = "escalated";
            emit(account, rule, e, at, "worsened", e.explanation + " Worsened: " + what + ".", out);
        }
        entries.put(key, e);
    }

    private void resolve(String account, AlertRule rule, String subject, long at, String reason, String why, Collector<Alert> out)
            throws Exception {
        String key = rule.id + "/" + subject;
        AlertEntry e = entries.get(key);
        if (e == null || !e.open) {
            return;
        }
        e.open = false;
        e.state = "resolved";
        emit(account, rule, e, at, reason, e.explanation + " Resolved: " + why + ".", out);
        if (e.windowStart + rules.refireWindow.toMillis() <= at) {
            entries.remove(key);
        } else {
            entries.put(key, e);
        }
    }

    private void win(String account, AlertRule rule, String subject, long at, long dueAt, String ownerTeam, String headline,
            String explanation, List<AlertSignalValue> signals, Collector<Alert> out) {
        win(account, rule, subject, at, dueAt, ownerTeam, headline, explanation, signals, List.of(), out);
    }

    private void win(String account, AlertRule rule, String subject, long at, long dueAt, String ownerTeam, String headline,
            String explanation, List<AlertSignalValue> signals, List<String> eventIds, Collector<Alert> out) {
        AlertEntry e = new AlertEntry();
        e.rule = rule.id;
        e.subject = subject;
        e.alertId = alertId(account, rule.id, subject, at);
        e.state = "won";
        e.openedAt = at;
        e.dueAt = dueAt;
        e.ownerTeam = ownerTeam;
        e.headline = headline;
        e.explanation = explanation;
        opened.inc();
        emit(account, rule, e, at, "won", explanation, signals, eventIds, out);
    }

    private void emit(String account, AlertRule rule, AlertEntry e, long at, String reason, String explanation, Collector<Alert> out) {
        emit(account, rule, e, at, reason, explanation == null ? e.explanation : explanation,
                signals(signal("state", e.state, at), signal("open_days", fmt((at - e.openedAt) / (double) DAY), at)),
                Arrays.asList(e.eventIds), out);
    }

    private void emit(String account, AlertRule rule, AlertEntry e, long at, String reason, String explanation,
            List<AlertSignalValue> signals, List<String> eventIds, Collector<Alert> out) {
        boolean due = e.dueAt != AlertEntry.NONE;
        out.collect(
                Alert.newBuilder()
                        .setAlertId(e.alertId)
                        .setAlertKey(account + "/" + rule.id + "/" + e.subject)
                        .setAccountId(account)
                        .setKind(rule.type.win ? "win" : "risk")
                        .setRule(rule.id)
                        .setRuleVersion(rule.version)
                        .setSeverity(e.severity != null ? e.severity : rule.severity)
                        .setState(e.state)
                        .setSubject(e.subject)
                        .setOpenedAt(e.openedAt)
                        .setUpdatedAt(at)
                        .setDetectedAt(clock.now())
                        .setDueAt(due ? e.dueAt : null)
                        .setLeadTimeMs(due ? e.dueAt - e.openedAt : null)
                        .setOwnerTeam(e.ownerTeam)
                        .setHeadline(e.headline)
                        .setExplanation(new AlertExplanation(explanation, new ArrayList<>(signals), new ArrayList<>(eventIds)))
                        .setRecommendedAction(e.action != null ? e.action : rule.action)
                        .setReason(reason)
                        .setFireCount(e.fireCount)
                        .setSnoozedUntil(e.snoozedUntil == AlertEntry.NONE ? null : e.snoozedUntil)
                        .setAcknowledgedAt(e.acknowledgedAt == AlertEntry.NONE ? null : e.acknowledgedAt)
                        .build());
    }

    /** Deterministic: the same account, rule, subject and opening instant give the same id on every replay. */
    public static String alertId(String account, String rule, String subject, long openedAt) {
        return UUID.nameUUIDFromBytes((account + "|" + rule + "|" + subject + "|" + openedAt).getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ------------------------------------------------------------------ timers and state

    private static boolean silenceArmed(AlertContext c) {
        return c.lastProductAt != AlertContext.NONE && c.silenceFiredFor != c.lastProductAt;
    }

    /** The first UTC midnight at or after last product activity + after. */
    static long silenceAt(AlertContext c, AlertRule silence) {
        long t = c.lastProductAt + silence.millis("after");
        return Math.floorDiv(t + DAY - 1, DAY) * DAY;
    }

    /** The earliest of the rules' own deadlines (silence, escalation, snooze end, refire window end), or MAX_VALUE. */
    private long nextDeadline(AlertContext c) throws Exception {
        long next = Long.MAX_VALUE;
        AlertRule silence = rules.first(RuleType.SILENCE);
        if (silence != null && silenceArmed(c)) {
            next = Math.min(next, silenceAt(c, silence));
        }
        for (AlertEntry e : entries.values()) {
            if (e.open && e.snoozedUntil != AlertEntry.NONE) {
                next = Math.min(next, e.snoozedUntil);
            } else if (e.open && !e.escalated && e.acknowledgedAt == AlertEntry.NONE) {
                next = Math.min(next, e.escalateAt);
            } else if (!e.open) {
                next = Math.min(next, e.windowStart + rules.refireWindow.toMillis());
            }
        }
        return next;
    }

    /**
     * One timer per account: just after the earlier of the next deadline and the first pending signal
     * (a deadline at an instant is taken once the signals of that instant are in).
     */
    private void reschedule(AlertContext c, long firstPending, org.apache.flink.streaming.api.TimerService timers) throws Exception {
        long next = nextDeadline(c);
        if (firstPending != AlertContext.NONE) {
            next = Math.min(next, firstPending);
        }
        long wanted = next == Long.MAX_VALUE ? AlertContext.NONE : next + 1;
        if (wanted != c.timerAt) {
            if (c.timerAt != AlertContext.NONE) {
                timers.deleteEventTimeTimer(c.timerAt);
            }
            if (wanted != AlertContext.NONE) {
                timers.registerEventTimeTimer(wanted);
            }
            c.timerAt = wanted;
        }
    }

    private long firstPending() throws Exception {
        long first = AlertContext.NONE;
        for (AccountSignal s : pending.get()) {
            long at = SignalOrder.timeOf(s);
            first = first == AlertContext.NONE ? at : Math.min(first, at);
        }
        return first;
    }

    private void save(AlertContext c) throws Exception {
        if (c.isEmpty() && entries.isEmpty()) {
            context.clear();
        } else {
            context.update(c);
        }
    }

    private static <T> List<T> toList(Iterable<T> items) {
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }

    private static List<AlertSignalValue> signals(AlertSignalValue... values) {
        return List.of(values);
    }

    private static AlertSignalValue signal(String name, String value, long at) {
        return new AlertSignalValue(name, value, at);
    }

    static String fmt(double v) {
        return fixed(v, 1);
    }

    /**
     * {@code v} with {@code decimals} decimals, as {@code String.format("%.Nf")} gives it (half up on
     * the shortest decimal form) but without the formatter, which was the alert function's largest cost.
     */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "n/a" : String.valueOf(v);
        }
        return java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    static String date(long at) {
        return Instant.ofEpochMilli(at).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
}
