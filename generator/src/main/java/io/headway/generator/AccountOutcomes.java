package io.headway.generator;

import io.headway.schema.Touchpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives an account's ground truth from the touchpoints it actually emitted, not from the plan the
 * simulation drew. Whatever the window cuts off or churn suppresses is therefore absent here too,
 * and a consumer that reads the same events can reproduce every line exactly.
 */
final class AccountOutcomes {

    private static final long NONE = Long.MIN_VALUE;

    private final String accountId;
    private String plan;
    private long journeyStartedAt = NONE;
    private final EnumMap<Milestone, Long> milestones = new EnumMap<>(Milestone.class);
    private final Map<String, Goal> goals = new LinkedHashMap<>();
    private long cancelledAt = NONE;
    private long renewalPaidAt = NONE;
    private List<String> behaviours = List.of();

    AccountOutcomes(String accountId) {
        this.accountId = accountId;
    }

    void observe(Touchpoint t) {
        switch (t.getType()) {
            case "subscription_started":
                if (plan == null) {
                    plan = t.getAttributes().get("plan");
                }
                break;
            case "journey_started":
                if (journeyStartedAt == NONE) {
                    journeyStartedAt = t.getOccurredAt();
                }
                break;
            case "milestone_reached":
                Milestone.fromWireName(t.getAttributes().get("milestone"))
                        .ifPresent(m -> milestones.putIfAbsent(m, t.getOccurredAt()));
                break;
            case "goal_set":
                Map<String, String> a = t.getAttributes();
                goals.put(
                        a.get("goal_id"),
                        new Goal(
                                "increase".equals(a.get("direction")),
                                Double.parseDouble(a.get("target")),
                                Instant.parse(a.get("deadline")).toEpochMilli()));
                break;
            case "outcome_measured":
                Goal g = goals.get(t.getAttributes().get("goal_id"));
                if (g != null && g.achievedAt == NONE && t.getOccurredAt() <= g.deadline && g.met(t.getValue())) {
                    g.achievedAt = t.getOccurredAt();
                }
                break;
            case "subscription_cancelled":
                if (cancelledAt == NONE) {
                    cancelledAt = t.getOccurredAt();
                }
                break;
            case "invoice_paid":
                // The first renewal is paying for the second billing period.
                if (renewalPaidAt == NONE && "2".equals(t.getAttributes().get("period"))) {
                    renewalPaidAt = t.getOccurredAt();
                }
                break;
            default:
                // Other touchpoints do not decide a result.
        }
    }

    List<AccountResult> results(long windowEnd, Segment segment, Instant onset, List<String> behaviours) {
        this.behaviours = behaviours;
        List<AccountResult> out = new ArrayList<>(3);
        if (journeyStartedAt != NONE) {
            out.add(firstValue(windowEnd, segment, onset));
        }
        for (Map.Entry<String, Goal> e : goals.entrySet()) {
            Goal g = e.getValue();
            ResultStatus status;
            long at;
            if (g.achievedAt != NONE) {
                status = ResultStatus.ACHIEVED;
                at = g.achievedAt;
            } else if (cancelledAt != NONE && cancelledAt < g.deadline) {
                status = ResultStatus.CHURNED;
                at = cancelledAt;
            } else if (g.deadline < windowEnd) {
                status = ResultStatus.MISSED;
                at = g.deadline;
            } else {
                status = ResultStatus.OPEN;
                at = NONE;
            }
            out.add(line(segment, onset, AccountResult.GOAL_PREFIX + e.getKey(), status, at, null, NONE, null));
        }
        if (cancelledAt != NONE) {
            out.add(line(segment, onset, AccountResult.RENEWAL, ResultStatus.CHURNED, cancelledAt, null, NONE, null));
        } else if (renewalPaidAt != NONE) {
            out.add(line(segment, onset, AccountResult.RENEWAL, ResultStatus.ACHIEVED, renewalPaidAt, null, NONE, null));
        } else {
            out.add(line(segment, onset, AccountResult.RENEWAL, ResultStatus.OPEN, NONE, null, NONE, null));
        }
        return out;
    }

    private AccountResult firstValue(long windowEnd, Segment segment, Instant onset) {
        Milestone stalled = null;
        long stalledDue = NONE;
        for (Milestone m : Milestone.values()) {
            if (!milestones.containsKey(m)) {
                long due = journeyStartedAt + m.dueAfterJourneyStart().toMillis();
                // A milestone that was not due yet, or that the account left before it was due, is not a stall.
                if (due < windowEnd && (cancelledAt == NONE || cancelledAt >= due)) {
                    stalled = m;
                    stalledDue = due;
                }
                break;
            }
        }
        Long reached = milestones.get(Milestone.FIRST_VALUE);
        long due = journeyStartedAt + Milestone.FIRST_VALUE.dueAfterJourneyStart().toMillis();
        if (reached != null) {
            return line(
                    segment, onset, AccountResult.FIRST_VALUE, ResultStatus.ACHIEVED, reached,
                    null, NONE, reached - journeyStartedAt);
        }
        if (cancelledAt != NONE && cancelledAt < due) {
            return line(segment, onset, AccountResult.FIRST_VALUE, ResultStatus.CHURNED, cancelledAt, stalled, stalledDue, null);
        }
        if (due < windowEnd) {
            return line(segment, onset, AccountResult.FIRST_VALUE, ResultStatus.MISSED, due, stalled, stalledDue, null);
        }
        return line(segment, onset, AccountResult.FIRST_VALUE, ResultStatus.OPEN, NONE, stalled, stalledDue, null);
    }

    private AccountResult line(
            Segment segment,
            Instant onset,
            String result,
            ResultStatus status,
            long at,
            Milestone stalled,
            long stalledDue,
            Long timeToValue) {
        return new AccountResult(
                accountId,
                segment,
                plan,
                result,
                status,
                at == NONE ? null : Instant.ofEpochMilli(at),
                onset,
                stalled == null ? null : stalled.wireName(),
                stalled == null ? null : Instant.ofEpochMilli(stalledDue),
                stalled == null ? null : stalled.dueDays(),
                timeToValue,
                behaviours);
    }

    private static final class Goal {
        final boolean increase;
        final double target;
        final long deadline;
        long achievedAt = NONE;

        Goal(boolean increase, double target, long deadline) {
            this.increase = increase;
            this.target = target;
            this.deadline = deadline;
        }

        boolean met(Double value) {
            return value != null && (increase ? value >= target : value <= target);
        }
    }
}
