package io.headway.generator;

import java.time.Instant;
import java.util.List;

/**
 * One line of the ground truth: how one tracked result of one account ended.
 *
 * @param plan the plan the account signed up on ({@code starter}, {@code team}, {@code business});
 *     null if its signup lies outside the window
 * @param result {@code first_value}, {@code goal:<goal_id>} or {@code renewal}
 * @param at when it was achieved, missed (the due time or deadline) or churned; null when open
 * @param deteriorationOnset when the account started to deteriorate; null for healthy accounts
 * @param stalledMilestone on the {@code first_value} line: the milestone the account never reached
 *     although it was due inside the simulated window; null otherwise
 * @param stalledMilestoneDueAt when that milestone was due
 * @param stalledMilestoneDueDay the same, as whole days after {@code journey_started}
 * @param timeToValueMs on an achieved {@code first_value} line: first_value minus journey_started
 * @param behaviours the account's {@link Behaviour}s by wire name, in declaration order; empty in the
 *     classic mix
 */
public record AccountResult(
        String accountId,
        Segment segment,
        String plan,
        String result,
        ResultStatus status,
        Instant at,
        Instant deteriorationOnset,
        String stalledMilestone,
        Instant stalledMilestoneDueAt,
        Integer stalledMilestoneDueDay,
        Long timeToValueMs,
        List<String> behaviours) {

    public AccountResult {
        behaviours = behaviours == null ? List.of() : List.copyOf(behaviours);
    }

    public static final String FIRST_VALUE = "first_value";
    public static final String RENEWAL = "renewal";
    public static final String GOAL_PREFIX = "goal:";

    public boolean isGoal() {
        return result.startsWith(GOAL_PREFIX);
    }
}
