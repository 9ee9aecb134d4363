package io.headway.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How well risk alerts foretold results that really happened. For each account the evaluation knows
 * whether the customer missed their result, and when. A missed account counts as warned when a risk
 * alert opened before the miss; its lead time is from the first such opening to the miss. An account
 * that achieved its result and got any risk alert at all counts as a false alert.
 */
public final class AlertScorecard {

    /** The true result of an account; {@code missAt} (epoch ms) matters only when {@code missed}. */
    public record Outcome(String accountId, String group, boolean missed, long missAt) {}

    /** A risk alert opened for an account (reason {@code fired}), at event time {@code openedAt}. */
    public record Opening(String accountId, String rule, long openedAt) {}

    static final double DAY_MS = 86_400_000.0;

    /**
     * The figures of one slice (all accounts, one group, one rule). {@link OuladEvaluation} fills
     * them from backtest scorecards, whose {@code falselyAlerted} (achieved_alerted) counts only
     * alerts at or before the result; {@link #score} counts any.
     */
    public record Figures(
            String name, int missed, int warned, double medianLeadDays, int warnedTwoWeeksAhead, int achieved, int falselyAlerted) {

        /** Share of missed accounts warned before the miss (recall). */
        public double warnedShare() {
            return share(warned, missed);
        }

        /** Share of achieving accounts with any risk alert. */
        public double falseAlertShare() {
            return share(falselyAlerted, achieved);
        }

        /** Of the accounts alerted (before their miss, or at all if they achieved), the share that missed. */
        public double precision() {
            return share(warned, warned + falselyAlerted);
        }

        /** Share of accounts that missed: the precision of alerting everyone. */
        public double baseRate() {
            return share(missed, missed + achieved);
        }

        private static double share(int part, int whole) {
            return whole == 0 ? Double.NaN : (double) part / whole;
        }
    }

    private AlertScorecard() {}

    public static Figures score(String name, Collection<Outcome> outcomes, Collection<Opening> openings) {
        return score(name, outcomes, openings, false);
    }

    /**
     * As {@link #score(String, Collection, Collection)}; with {@code untilResult}, an achieving
     * account counts as alerted only by an alert at or before its result ({@code missAt} holding the
     * result's time), as the backtest's scorecard counts: an alert after the goal was reached warned
     * of nothing the team could act on.
     */
    public static Figures score(String name, Collection<Outcome> outcomes, Collection<Opening> openings, boolean untilResult) {
        Map<String, Long> firstOpening = new HashMap<>();
        for (Opening o : openings) {
            firstOpening.merge(o.accountId(), o.openedAt(), Math::min);
        }
        int missed = 0;
        int warned = 0;
        int twoWeeks = 0;
        int achieved = 0;
        int falselyAlerted = 0;
        List<Double> leads = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            Long first = firstOpening.get(outcome.accountId());
            if (outcome.missed()) {
                missed++;
                if (first != null && first < outcome.missAt()) {
                    warned++;
                    double lead = (outcome.missAt() - first) / DAY_MS;
                    leads.add(lead);
                    if (lead >= 14) {
                        twoWeeks++;
                    }
                }
            } else {
                achieved++;
                if (first != null && (!untilResult || first <= outcome.missAt())) {
                    falselyAlerted++;
                }
            }
        }
        return new Figures(name, missed, warned, median(leads), twoWeeks, achieved, falselyAlerted);
    }

    /** The median, or NaN for no values. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}
