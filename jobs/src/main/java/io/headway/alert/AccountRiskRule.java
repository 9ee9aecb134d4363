package io.headway.alert;

import io.headway.risk.RiskFeatures;
import io.headway.risk.RiskModel;
import io.headway.risk.RiskSettings;
import io.headway.schema.AlertSignalValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * account_risk: one alert per account while the fitted risk (the customer model's {@code risk:}
 * section) is at or above its threshold, explained by the features that push it up. Plain Java: the
 * alert function decides when to call it and keeps the lifecycle; this says whether the condition
 * holds or cleared and what the alert says.
 *
 * <p>It opens when the probability is at least {@code threshold} and the account is at least
 * {@code min_age_days} old (a young account has too little history to judge), worsens when the
 * probability rises {@link #WORSE_BY} above its opening value, and resolves below
 * {@code resolve_below}. Its explanation names the top drivers with their values and contributions
 * (log-odds), then the rest and the intercept, so the numbers add up to the logit.
 */
final class AccountRiskRule {

    /** The rule id of account_risk alerts (alert keys are {@code <account>/account-risk/account}). */
    static final String ID = "account-risk";
    static final int VERSION = 1;
    /** The probability rise above the opening value that escalates an open alert. */
    static final double WORSE_BY = 0.1;
    /** Drivers named in the explanation; the rest are summed up as "other features". */
    static final int DRIVERS = 3;

    static final String DEFAULT_ACTION =
            "Review the account with its sponsor: the combined risk says it is headed for a miss; start with the top driver.";

    /** What to do about each feature when it is the top driver. */
    private static final Map<String, String> ADVICE = Map.ofEntries(
            Map.entry("account_age_days", "Review the account's progress since signup with its sponsor"),
            Map.entry("milestones_behind", "Agree new dates for the late milestones with the customer's project lead"),
            Map.entry("milestones_overdue", "Agree new dates for the overdue milestones with the customer's project lead"),
            Map.entry("milestones_reached_late", "Ask the customer's project lead what slowed the milestones down"),
            Map.entry("milestone_lateness_share", "Agree new dates for the late milestones with the customer's project lead"),
            Map.entry("health", "Go through the health score's weakest components with the customer"),
            Map.entry("health_change_14d", "Ask the customer what changed in the last two weeks"),
            Map.entry("adoption_breadth", "Book a working session to show the users the features they do not use yet"),
            Map.entry("depth", "Book a working session to take the users beyond the basics"),
            Map.entry("frequency", "Find out why the users come back less often"),
            Map.entry("recency", "Reach the users: they have not used the product lately"),
            Map.entry("support_friction", "Get the open support tickets resolved with the support lead"),
            Map.entry("sentiment", "Call the sponsor about their dissatisfaction"),
            Map.entry("onboarding", "Unblock the onboarding plan with the customer's project lead"),
            Map.entry("silence_days", "Reach the users: nobody has used the product for a while"),
            Map.entry("goal_shortfall_share", "Review the declared goal's trajectory with the customer and agree what would close the gap"),
            Map.entry("goal_measurements", "Review the declared goal's measurements with the customer"),
            Map.entry("goals_achieved", "Review the customer's declared goals with them"));

    private AccountRiskRule() {}

    /** The rule that stands for account_risk in the alert records; null when the threshold can never be reached. */
    static AlertRule rule(RiskSettings s) {
        if (s == null || s.threshold() > 1) {
            return null;
        }
        return new AlertRule(ID, RuleType.ACCOUNT_RISK, VERSION, severity(s.threshold()), s.ownerTeam(), DEFAULT_ACTION,
                Map.of("threshold", s.threshold(), "resolve_below", s.resolveBelow(), "min_age_days", s.minAgeDays()),
                List.of());
    }

    static boolean holds(RiskSettings s, RiskModel.Assessment a) {
        double age = a.values()[RiskFeatures.NAMES.indexOf("account_age_days")];
        return a.probability() >= s.threshold() && age >= s.minAgeDays();
    }

    static boolean clears(RiskSettings s, RiskModel.Assessment a) {
        return a.probability() < s.resolveBelow();
    }

    /** From the probability, whatever the threshold: a CS team reads 0.9 as critical in any model. */
    static String severity(double p) {
        return p >= 0.9 ? "critical" : p >= 0.8 ? "high" : p >= 0.6 ? "medium" : "low";
    }

    static String headline(RiskModel.Assessment a) {
        List<Integer> top = drivers(a);
        return "Account at risk of missing its result: risk " + AlertFunction.fixed(a.probability(), 2)
                + (top.isEmpty() ? "" : ", mostly " + phrase(top.get(0), a.values()[top.get(0)]));
    }

    /**
     * "Risk of missing the result 0.81 (threshold 0.72): no product use for 12 days (+1.40), 2
     * milestones overdue (+1.10); other features -0.20; baseline -1.31; log-odds 0.99." The listed
     * contributions, the other features and the baseline add up to the log-odds (within rounding).
     */
    static String explanation(RiskSettings s, RiskModel.Assessment a) {
        List<Integer> top = drivers(a);
        StringBuilder b = new StringBuilder("Risk of missing the result ").append(AlertFunction.fixed(a.probability(), 2))
                .append(" (threshold ").append(AlertFunction.fixed(s.threshold(), 2)).append("): ");
        double rest = a.logit() - a.intercept();
        for (int k = 0; k < top.size(); k++) {
            int i = top.get(k);
            b.append(k == 0 ? "" : ", ").append(phrase(i, a.values()[i])).append(" (").append(signed(a.contributions()[i])).append(')');
            rest -= a.contributions()[i];
        }
        if (top.isEmpty()) {
            b.append("no single feature stands out");
        }
        return b.append("; other features ").append(signed(rest)).append("; baseline ").append(signed(a.intercept()))
                .append("; log-odds ").append(signed(a.logit())).append(" (model ").append(s.version()).append(").").toString();
    }

    /** The probability and, for every feature the model weighs, its value and contribution, e.g. "12.0 (+1.40)". */
    static List<AlertSignalValue> signals(RiskSettings s, RiskModel.Assessment a, long at) {
        List<AlertSignalValue> out = new ArrayList<>();
        out.add(new AlertSignalValue("risk", AlertFunction.fixed(a.probability(), 3), at));
        out.add(new AlertSignalValue("risk_threshold", AlertFunction.fixed(s.threshold(), 2), at));
        out.add(new AlertSignalValue("risk_logit", AlertFunction.fixed(a.logit(), 2), at));
        out.add(new AlertSignalValue("risk_intercept", AlertFunction.fixed(a.intercept(), 2), at));
        for (int i = 0; i < RiskFeatures.NAMES.size(); i++) {
            String name = RiskFeatures.NAMES.get(i);
            if (s.model().terms().containsKey(name)) {
                double v = a.values()[i];
                out.add(new AlertSignalValue(name, (Double.isNaN(v) ? "unknown" : AlertFunction.fixed(v, 2)) + " ("
                        + signed(a.contributions()[i]) + ")", at));
            }
        }
        return out;
    }

    /** What to do, about the top driver. */
    static String action(RiskModel.Assessment a) {
        List<Integer> top = drivers(a);
        if (top.isEmpty()) {
            return DEFAULT_ACTION;
        }
        int i = top.get(0);
        return ADVICE.get(RiskFeatures.NAMES.get(i)) + " (top driver: " + phrase(i, a.values()[i]) + ").";
    }

    /** Features that raise the risk, largest contribution first, at most {@link #DRIVERS}. */
    static List<Integer> drivers(RiskModel.Assessment a) {
        List<Integer> up = new ArrayList<>();
        for (int i = 0; i < a.contributions().length; i++) {
            if (a.contributions()[i] > 0) {
                up.add(i);
            }
        }
        up.sort((x, y) -> Double.compare(a.contributions()[y], a.contributions()[x]));
        return up.subList(0, Math.min(DRIVERS, up.size()));
    }

    /** A feature's value in words: "no product use for 12 days", "2 milestones overdue", "health 55". */
    static String phrase(int feature, double v) {
        String name = RiskFeatures.NAMES.get(feature);
        long n = Math.round(v);
        return switch (name) {
            case "account_age_days" -> "account " + n + " days old";
            case "milestones_behind" -> n + (n == 1 ? " milestone" : " milestones") + " behind";
            case "milestones_overdue" -> n + (n == 1 ? " milestone" : " milestones") + " overdue";
            case "milestones_reached_late" -> n + (n == 1 ? " milestone" : " milestones") + " reached late";
            case "milestone_lateness_share" -> Math.round(100 * v) + " % of a milestone's time used";
            case "health" -> "health " + Math.round(100 * v);
            case "health_change_14d" -> "health " + (v >= 0 ? "+" : "") + Math.round(100 * v) + " points in 14 days";
            case "silence_days" -> "no product use for " + n + (n == 1 ? " day" : " days");
            case "goal_shortfall_share" -> "goal projected " + Math.round(100 * v) + " % short";
            case "goal_measurements" -> n + " goal measurements";
            case "goals_achieved" -> n + (n == 1 ? " goal" : " goals") + " achieved";
            default -> name.replace('_', ' ') + " " + Math.round(100 * v) + " of 100";
        };
    }

    private static String signed(double v) {
        String s = AlertFunction.fixed(v, 2);
        return s.startsWith("-") ? s : "+" + s;
    }
}
