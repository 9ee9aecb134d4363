package io.headway.alert;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One rule of the customer model's {@code rules:} section: what fires, how bad it is, who owns it and
 * what to do. Thresholds are read and checked per type by {@link AlertRules}; absent ones take the
 * defaults documented in {@code docs/customer-model.md}.
 */
public final class AlertRule implements Serializable {

    private static final long serialVersionUID = 1L;

    /** {@code owner_team: milestone} on a journey rule: the milestone's own owner team. */
    public static final String MILESTONE_OWNER = "milestone";

    public final String id;
    public final RuleType type;
    public final int version;
    public final String severity;
    public final String ownerTeam;
    public final String action;
    /** Numbers and durations (as milliseconds) by threshold name. */
    public final Map<String, Double> thresholds;
    /** adoption_decay: the score components averaged; renewal_low_health: the grades that count as low. */
    public final List<String> names;
    /**
     * {@code standalone: true}: with the risk's alert budget on, this rule still opens alerts of its
     * own; otherwise its conditions become signals of the account_risk alert.
     */
    public final boolean standalone;

    AlertRule(String id, RuleType type, int version, String severity, String ownerTeam, String action,
            Map<String, Double> thresholds, List<String> names, boolean standalone) {
        this.id = id;
        this.type = type;
        this.version = version;
        this.severity = severity;
        this.ownerTeam = ownerTeam;
        this.action = action;
        this.thresholds = Map.copyOf(thresholds);
        this.names = List.copyOf(names);
        this.standalone = standalone;
    }

    public double threshold(String name) {
        Double v = thresholds.get(name);
        if (v == null) {
            throw new IllegalStateException("rule " + id + " has no threshold " + name);
        }
        return v;
    }

    public long millis(String name) {
        return (long) threshold(name);
    }

    public Duration duration(String name) {
        return Duration.ofMillis(millis(name));
    }

    @Override
    public String toString() {
        return id + "(" + type.wireName() + " v" + version + ", " + severity + ", " + ownerTeam + ", " + thresholds
                + (standalone ? ", standalone" : "") + ")";
    }
}
