package io.headway.risk;

import io.headway.schema.GoalUpdate;
import io.headway.schema.JourneyMilestone;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.ScoreComponent;
import io.headway.schema.ScoreUpdate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the account risk reads, kept up to date from the account's own journey, score and goal
 * records (in event-time order) — the features Headway already computes, not new inputs. Plain
 * Java: the alert operator holds one per account in its state, and the backtest's fit replays the
 * same records through it, so the model is fitted on exactly what production computes.
 *
 * <p>{@link #values(long)} gives {@link #NAMES} in order; NaN where the account has no value yet
 * (a model treats it as its mean: an unknown contributes nothing). A Flink POJO (public fields).
 */
public final class RiskFeatures {

    public static final long DAY = 86_400_000L;

    /** Stable names, in the order of {@link #values(long)}; a model's {@code risk.features} keys. */
    public static final List<String> NAMES = List.of(
            "account_age_days",
            "milestones_behind",
            "milestones_overdue",
            "milestones_reached_late",
            "milestone_lateness_share",
            "health",
            "health_change_14d",
            "adoption_breadth",
            "depth",
            "frequency",
            "recency",
            "support_friction",
            "sentiment",
            "onboarding",
            "silence_days",
            "goal_shortfall_share",
            "goal_measurements",
            "goals_achieved");

    /**
     * Which way each feature may push the risk in a fitted model: +1 only up (more of it, more likely
     * to miss), -1 only down, 0 either. A CS team reads the contributions as reasons ("12 days of
     * silence raised the risk"); a weight against the feature's meaning is an artefact of correlated
     * features (the health score is a weighted sum of its components), not a reason, so the fit drops
     * such a feature and refits rather than ship it.
     */
    public static final Map<String, Integer> DIRECTION = Map.ofEntries(
            Map.entry("account_age_days", 0),
            Map.entry("milestones_behind", 1),
            Map.entry("milestones_overdue", 1),
            // Reached late is worse than on time but better than still overdue: either way.
            Map.entry("milestones_reached_late", 0),
            Map.entry("milestone_lateness_share", 1),
            Map.entry("health", -1),
            Map.entry("health_change_14d", -1),
            Map.entry("adoption_breadth", -1),
            Map.entry("depth", -1),
            Map.entry("frequency", -1),
            Map.entry("recency", -1),
            // Score components are 0..100 with 100 the healthy end: high support_friction means little friction.
            Map.entry("support_friction", -1),
            Map.entry("sentiment", -1),
            Map.entry("onboarding", -1),
            Map.entry("silence_days", 1),
            Map.entry("goal_shortfall_share", 1),
            Map.entry("goal_measurements", 0),
            Map.entry("goals_achieved", -1));

    /** Silence longer than this counts as this: a model should not extrapolate from months of it. */
    static final double MAX_SILENCE_DAYS = 60;

    private static final List<String> COMPONENTS =
            List.of("adoption_breadth", "depth", "frequency", "recency", "support_friction", "sentiment", "onboarding");

    public static final long NONE = Long.MIN_VALUE;

    public long firstSeenAt = NONE;
    public long lastProductAt = NONE;
    /** Per open journey instance id: milestones behind, overdue, reached late, and the worst lateness share. */
    public Map<String, double[]> journeys = new HashMap<>();
    public double health = Double.NaN;
    /** Daily health, the last 15 days (one value per day, newest last) for the 14-day change. */
    public long[] healthAt = new long[0];
    public double[] healthByDay = new double[0];
    /** Last value of each score component, 0..1, NaN when the score had none. */
    public double[] components = nans(COMPONENTS.size());
    /** Per open goal id: projected shortfall share (0 when on track) and measurements used. */
    public Map<String, double[]> goals = new HashMap<>();
    public int goalsAchieved;

    public RiskFeatures() {}

    public void onJourney(JourneyUpdate j) {
        see(j.getAsOf());
        String id = j.getInstanceId();
        if (j.getEndedAt() != null) {
            journeys.remove(id);
            return;
        }
        double behind = 0;
        double overdue = 0;
        double late = 0;
        double worstShare = 0;
        long at = j.getAsOf();
        for (JourneyMilestone m : j.getMilestones()) {
            switch (m.getStatus()) {
                case "behind" -> behind++;
                case "overdue" -> overdue++;
                case "reached_late" -> late++;
                default -> { }
            }
            if (m.getReachedAt() == null) {
                long budget = Math.max(1, m.getDueAt() - j.getStartedAt());
                worstShare = Math.max(worstShare, (double) (at - j.getStartedAt()) / budget);
            }
        }
        journeys.put(id, new double[] {behind, overdue, late, Math.min(worstShare, 3)});
    }

    public void onScore(ScoreUpdate s) {
        see(s.getAsOf());
        health = s.getScore() / 100;
        recordHealth(s.getAsOf(), health);
        Arrays.fill(components, Double.NaN);
        for (ScoreComponent c : s.getComponents()) {
            int i = COMPONENTS.indexOf(c.getName());
            if (i >= 0 && c.getValue() != null) {
                components[i] = c.getValue() / 100;
            }
        }
        if (s.getLastProductActivityAt() != null) {
            lastProductAt = Math.max(lastProductAt, s.getLastProductActivityAt());
        }
    }

    public void onGoal(GoalUpdate g) {
        see(g.getAsOf());
        switch (g.getStatus()) {
            case "achieved" -> {
                goals.remove(g.getGoalId());
                goalsAchieved++;
            }
            case "missed" -> goals.remove(g.getGoalId());
            default -> {
                double shortfall = g.getInsufficientData() || g.getProjectedShortfallShare() == null
                        ? Double.NaN
                        : Math.max(0, Math.min(1, g.getProjectedShortfallShare()));
                goals.put(g.getGoalId(), new double[] {shortfall, g.getMeasurementsUsed()});
            }
        }
    }

    /** The features as of {@code now} (event time), in {@link #NAMES} order. */
    public double[] values(long now) {
        double[] v = new double[NAMES.size()];
        int i = 0;
        v[i++] = firstSeenAt == NONE ? Double.NaN : (double) (now - firstSeenAt) / DAY;
        double behind = 0;
        double overdue = 0;
        double late = 0;
        double share = journeys.isEmpty() ? Double.NaN : 0;
        for (double[] j : journeys.values()) {
            behind += j[0];
            overdue += j[1];
            late += j[2];
            share = Math.max(share, j[3]);
        }
        v[i++] = behind;
        v[i++] = overdue;
        v[i++] = late;
        v[i++] = share;
        v[i++] = health;
        v[i++] = healthChange14d();
        for (double c : components) {
            v[i++] = c;
        }
        v[i++] = lastProductAt == NONE ? Double.NaN : Math.min(MAX_SILENCE_DAYS, Math.max(0, (double) (now - lastProductAt) / DAY));
        double shortfall = Double.NaN;
        double measurements = goals.isEmpty() ? Double.NaN : 0;
        for (double[] g : goals.values()) {
            if (!Double.isNaN(g[0]) && (Double.isNaN(shortfall) || g[0] > shortfall)) {
                shortfall = g[0];
            }
            measurements = Math.max(measurements, g[1]);
        }
        v[i++] = shortfall;
        v[i++] = measurements;
        v[i++] = goalsAchieved;
        return v;
    }

    /** Whether nothing is known about the account (its state can go). */
    public boolean isEmpty() {
        return firstSeenAt == NONE;
    }

    private void see(long at) {
        if (firstSeenAt == NONE || at < firstSeenAt) {
            firstSeenAt = at;
        }
    }

    private void recordHealth(long at, double value) {
        long day = Math.floorDiv(at, DAY);
        int n = healthAt.length;
        if (n > 0 && healthAt[n - 1] == day) {
            healthByDay[n - 1] = value;
            return;
        }
        List<Integer> keep = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (healthAt[k] > day - 15) {
                keep.add(k);
            }
        }
        long[] at2 = new long[keep.size() + 1];
        double[] v2 = new double[keep.size() + 1];
        for (int k = 0; k < keep.size(); k++) {
            at2[k] = healthAt[keep.get(k)];
            v2[k] = healthByDay[keep.get(k)];
        }
        at2[keep.size()] = day;
        v2[keep.size()] = value;
        healthAt = at2;
        healthByDay = v2;
    }

    /** Latest health less the health 14 days before it (or the oldest kept, if the history is shorter but ≥ 7 days). */
    private double healthChange14d() {
        int n = healthAt.length;
        if (n < 2) {
            return Double.NaN;
        }
        long latest = healthAt[n - 1];
        for (int k = 0; k < n - 1; k++) {
            if (latest - healthAt[k] <= 14) {
                return latest - healthAt[k] >= 7 ? healthByDay[n - 1] - healthByDay[k] : Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}
