package io.headway.outcome;

import io.headway.schema.Touchpoint;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The attributes of a {@code goal_set} touchpoint, read and checked: {@code goal_id}, {@code metric},
 * {@code direction} ({@code increase} or {@code decrease}), {@code baseline} and {@code target}
 * (numbers; the target on the direction's side of the baseline), {@code deadline} (an ISO-8601
 * instant after the touchpoint). {@link #problem} says what is wrong with one that is not valid.
 */
final class GoalDeclaration {

    final String goalId;
    final String metric;
    final boolean increase;
    final double baseline;
    final double target;
    final long deadline;
    /** Null when valid; otherwise what is wrong, for the side output's detail. */
    final String problem;

    private GoalDeclaration(
            String goalId, String metric, boolean increase, double baseline, double target, long deadline, String problem) {
        this.goalId = goalId;
        this.metric = metric;
        this.increase = increase;
        this.baseline = baseline;
        this.target = target;
        this.deadline = deadline;
        this.problem = problem;
    }

    private static GoalDeclaration invalid(String goalId, String problem) {
        return new GoalDeclaration(goalId, null, false, Double.NaN, Double.NaN, Long.MIN_VALUE, problem);
    }

    static GoalDeclaration read(Touchpoint t) {
        Map<String, String> a = t.getAttributes();
        String goalId = text(a, "goal_id");
        if (goalId == null) {
            return invalid(null, "goal_id is missing");
        }
        String metric = text(a, "metric");
        if (metric == null) {
            return invalid(goalId, goalId + ": metric is missing");
        }
        String direction = text(a, "direction");
        if (!"increase".equals(direction) && !"decrease".equals(direction)) {
            return invalid(goalId, goalId + ": direction must be increase or decrease, was " + quoted(direction));
        }
        boolean increase = direction.equals("increase");
        double baseline = number(a, "baseline");
        if (Double.isNaN(baseline)) {
            return invalid(goalId, goalId + ": baseline must be a number, was " + quoted(text(a, "baseline")));
        }
        double target = number(a, "target");
        if (Double.isNaN(target)) {
            return invalid(goalId, goalId + ": target must be a number, was " + quoted(text(a, "target")));
        }
        if (increase ? target <= baseline : target >= baseline) {
            return invalid(goalId, goalId + ": target " + text(a, "target") + " must be " + (increase ? "above" : "below")
                    + " baseline " + text(a, "baseline") + " for direction " + direction);
        }
        String deadlineText = text(a, "deadline");
        long deadline;
        try {
            deadline = Instant.parse(deadlineText == null ? "" : deadlineText).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return invalid(goalId, goalId + ": deadline must be an ISO-8601 instant such as 2026-11-30T00:00:00Z, was "
                    + quoted(deadlineText));
        }
        if (deadline <= t.getOccurredAt()) {
            return invalid(goalId, goalId + ": deadline " + deadlineText + " is not after the goal_set itself");
        }
        return new GoalDeclaration(goalId, metric, increase, baseline, target, deadline, null);
    }

    private static String text(Map<String, String> a, String key) {
        String v = a == null ? null : a.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** A finite number, or NaN. */
    private static double number(Map<String, String> a, String key) {
        String v = text(a, key);
        if (v == null) {
            return Double.NaN;
        }
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String quoted(String v) {
        return v == null ? "missing" : "\"" + v + "\"";
    }
}
