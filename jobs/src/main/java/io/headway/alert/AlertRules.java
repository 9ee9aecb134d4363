package io.headway.alert;

import io.headway.model.CustomerModel;
import io.headway.model.JourneyDefinition;
import io.headway.model.ModelNode;
import io.headway.risk.RiskSettings;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The alert rules and their lifecycle settings, read and validated from the customer model's
 * {@code rules:} section; every error names the key path ({@code rules.alerts[3].thresholds.after}).
 *
 * <pre>
 * rules:
 *   lifecycle: {escalate_after: 7 d, max_fires: 3, refire_window: 30 d}
 *   alerts:
 *     - {id: silence, type: silence, version: 1, severity: high, owner_team: success,
 *        thresholds: {after: 10 d}, action: "Call the sponsor ..."}
 * </pre>
 */
public final class AlertRules implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final List<String> SEVERITIES = List.of("info", "low", "medium", "high", "critical");
    public static final List<String> GRADES = List.of("green", "yellow", "red");
    public static final List<String> SCORE_COMPONENTS =
            List.of("adoption_breadth", "depth", "frequency", "seat_utilization", "recency", "support_friction",
                    "sentiment", "onboarding", "outcome");

    static final Set<String> SECTION_KEYS = ordered("lifecycle", "alerts");
    static final Set<String> LIFECYCLE_KEYS = ordered("escalate_after", "max_fires", "refire_window");
    static final Set<String> RULE_KEYS =
            ordered("id", "type", "version", "severity", "owner_team", "thresholds", "action");

    /** Per type: threshold name → default; a Duration default makes it a duration. */
    static final Map<RuleType, Map<String, Object>> THRESHOLDS = new LinkedHashMap<>();

    static {
        THRESHOLDS.put(RuleType.MILESTONE_AT_RISK, Map.of());
        THRESHOLDS.put(RuleType.MILESTONE_OVERDUE, Map.of("min_missed", 1.0));
        THRESHOLDS.put(RuleType.TIME_TO_VALUE_AT_RISK, Map.of());
        THRESHOLDS.put(RuleType.ADOPTION_DECAY,
                Map.of("window", Duration.ofDays(14), "min_days", 7.0, "slope_per_day", -1.0, "min_drop", 10.0));
        THRESHOLDS.put(RuleType.SILENCE, Map.of("after", Duration.ofDays(10), "churn_after", Duration.ofDays(45)));
        THRESHOLDS.put(RuleType.SUPPORT_FRICTION_SPIKE, Map.of("below", 50.0, "clear_at", 65.0));
        THRESHOLDS.put(RuleType.DETRACTOR_AFTER_TICKET, Map.of());
        THRESHOLDS.put(RuleType.HEALTH_RED, Map.of());
        THRESHOLDS.put(RuleType.HEALTH_DROP,
                Map.of("drop", 15.0, "within", Duration.ofDays(14), "clear_below", 8.0, "min_days", 14.0));
        THRESHOLDS.put(RuleType.RENEWAL_LOW_HEALTH, Map.of());
        THRESHOLDS.put(RuleType.GOAL_AT_RISK, Map.of());
        THRESHOLDS.put(RuleType.GOAL_ACHIEVED, Map.of());
        THRESHOLDS.put(RuleType.FIRST_VALUE_EARLY, Map.of("early_by", Duration.ofDays(3)));
        THRESHOLDS.put(RuleType.MILESTONE_AHEAD, Map.of("early_by", Duration.ofDays(3)));
    }

    public final Duration escalateAfter;
    public final int maxFires;
    public final Duration refireWindow;
    public final List<AlertRule> rules;
    /** journeys: the name of each journey's time-to-value milestone (null when it has none). */
    public final Map<String, String> timeToValueMilestone;
    /** renewal_low_health: the journey that is the renewal ("renewal" in the default model). */
    public final String renewalJourney;
    /** The model's risk: section; null without one (then no risk is kept or emitted). */
    public final RiskSettings risk;

    private AlertRules(Duration escalateAfter, int maxFires, Duration refireWindow, List<AlertRule> rules,
            Map<String, String> timeToValueMilestone, String renewalJourney, RiskSettings risk) {
        this.escalateAfter = escalateAfter;
        this.maxFires = maxFires;
        this.refireWindow = refireWindow;
        this.rules = List.copyOf(rules);
        this.timeToValueMilestone = Collections.unmodifiableMap(new LinkedHashMap<>(timeToValueMilestone));
        this.renewalJourney = renewalJourney;
        this.risk = risk;
    }

    /** The rules of a customer model; none when it has no {@code rules:} section. */
    public static AlertRules from(CustomerModel model) {
        Map<String, String> ttv = new LinkedHashMap<>();
        for (JourneyDefinition j : model.journeys()) {
            int m = j.timeToValueMilestone();
            ttv.put(j.name(), m < 0 ? null : j.milestones().get(m).name());
        }
        return read(model.section("rules"), ttv, model.journey("renewal").isPresent() ? "renewal" : null, model.risk().orElse(null));
    }

    static AlertRules read(ModelNode section, Map<String, String> ttv, String renewalJourney, RiskSettings risk) {
        section.checkKeys(SECTION_KEYS);
        ModelNode lifecycle = section.get("lifecycle");
        lifecycle.checkKeys(LIFECYCLE_KEYS);
        Duration escalateAfter = positive(lifecycle.get("escalate_after"), Duration.ofDays(7));
        int maxFires = lifecycle.optionalInt("max_fires", 3);
        if (maxFires < 1) {
            throw lifecycle.get("max_fires").error("must be at least 1, was " + maxFires);
        }
        Duration refireWindow = positive(lifecycle.get("refire_window"), Duration.ofDays(30));

        List<AlertRule> rules = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        AlertRule accountRisk = AccountRiskRule.rule(risk);
        for (ModelNode r : section.get("alerts").elements()) {
            AlertRule rule = readRule(r);
            if (accountRisk != null && rule.id.equals(accountRisk.id)) {
                throw r.get("id").error("\"" + rule.id + "\" is the id of the account risk's alert (the risk: section); choose another");
            }
            if (!ids.add(rule.id)) {
                throw r.get("id").error("\"" + rule.id + "\" is already the id of another rule");
            }
            for (AlertRule other : rules) {
                if (other.type == rule.type) {
                    throw r.get("type").error("rule " + other.id + " is already of type " + rule.type.wireName()
                            + "; one rule per type (change its thresholds instead)");
                }
            }
            if (rule.type == RuleType.RENEWAL_LOW_HEALTH && renewalJourney == null) {
                throw r.get("type").error("renewal_low_health watches the journey named renewal, and journeys: has none ("
                        + String.join(", ", ttv.keySet()) + "); add a renewal journey or remove this rule");
            }
            if ((rule.type == RuleType.TIME_TO_VALUE_AT_RISK || rule.type == RuleType.FIRST_VALUE_EARLY)
                    && ttv.values().stream().allMatch(Objects::isNull)) {
                throw r.get("type").error(rule.type.wireName() + " watches a journey's time_to_value milestone, and no journey in journeys: ("
                        + String.join(", ", ttv.keySet()) + ") declares one; add time_to_value: <milestone> to a journey or remove this rule");
            }
            rules.add(rule);
        }
        if (accountRisk != null) {
            rules.add(accountRisk);
        }
        return new AlertRules(escalateAfter, maxFires, refireWindow, rules, ttv, renewalJourney, risk);
    }

    private static AlertRule readRule(ModelNode r) {
        if (!r.isMapping()) {
            throw r.error("must be a mapping with id, type, version, severity, owner_team, thresholds and action");
        }
        r.checkKeys(RULE_KEYS);
        String id = r.requireString("id");
        if (!id.matches("[a-z0-9][a-z0-9_-]*")) {
            throw r.get("id").error("must be lower-case letters, digits, - and _ (it is part of alert keys), was \"" + id + "\"");
        }
        String typeName = r.requireString("type");
        RuleType type = RuleType.fromWireName(typeName);
        if (type == RuleType.ACCOUNT_RISK) {
            throw r.get("type").error("account_risk is not a rule of rules.alerts: it opens from the model's risk: section "
                    + "(threshold, resolve_below, min_age_days, owner_team); see docs/customer-model.md");
        }
        if (type == null) {
            List<String> names = new ArrayList<>();
            for (RuleType t : RuleType.values()) {
                if (t != RuleType.ACCOUNT_RISK) {
                    names.add(t.wireName());
                }
            }
            throw r.get("type").error("unknown rule type \"" + typeName + "\"; one of " + String.join(", ", names));
        }
        int version = r.get("version").asInt();
        if (version < 1) {
            throw r.get("version").error("must be at least 1, was " + version);
        }
        String severity = r.requireString("severity");
        if (!SEVERITIES.contains(severity)) {
            throw r.get("severity").error("must be one of " + String.join(", ", SEVERITIES) + ", was \"" + severity + "\"");
        }
        String owner = r.requireString("owner_team");
        if (owner.equals(AlertRule.MILESTONE_OWNER) && !type.input.startsWith("journey")) {
            throw r.get("owner_team").error("\"milestone\" (the milestone's own team) fits journey rules only; name a team");
        }
        String action = r.requireString("action");

        Map<String, Object> spec = THRESHOLDS.get(type);
        ModelNode t = r.get("thresholds");
        Set<String> allowed = new LinkedHashSet<>(spec.keySet());
        if (type == RuleType.ADOPTION_DECAY) {
            allowed.add("components");
        }
        if (type == RuleType.RENEWAL_LOW_HEALTH) {
            allowed.add("grades");
        }
        if (allowed.isEmpty() && !t.isMissing() && !t.keys().isEmpty()) {
            throw t.error("rule type " + type.wireName() + " takes no thresholds");
        }
        t.checkKeys(allowed);
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : spec.entrySet()) {
            ModelNode v = t.get(e.getKey());
            if (e.getValue() instanceof Duration) {
                values.put(e.getKey(), (double) positive(v, (Duration) e.getValue()).toMillis());
            } else {
                values.put(e.getKey(), v.isMissing() ? (Double) e.getValue() : v.asDouble());
            }
        }
        List<String> names = new ArrayList<>();
        if (type == RuleType.ADOPTION_DECAY) {
            names.addAll(names(t.get("components"), SCORE_COMPONENTS, List.of("adoption_breadth", "depth", "frequency")));
            if (values.get("slope_per_day") >= 0) {
                throw t.get("slope_per_day").error("must be negative (score points per day), was " + values.get("slope_per_day"));
            }
            if (values.get("min_days") < 3) {
                throw t.get("min_days").error("must be at least 3 (a trend needs points), was " + values.get("min_days"));
            }
            if (values.get("min_days") * Duration.ofDays(1).toMillis() > values.get("window")) {
                throw t.get("min_days").error("must fit in the window (" + (long) (values.get("window") / Duration.ofDays(1).toMillis()) + " d)");
            }
        }
        if (type == RuleType.RENEWAL_LOW_HEALTH) {
            names.addAll(names(t.get("grades"), GRADES, List.of("yellow", "red")));
        }
        if (type == RuleType.MILESTONE_OVERDUE) {
            double minMissed = values.get("min_missed");
            if (minMissed < 1 || minMissed != Math.rint(minMissed)) {
                throw t.get("min_missed").error("must be a whole number of milestones, at least 1, was " + minMissed);
            }
        }
        if (type == RuleType.SUPPORT_FRICTION_SPIKE && values.get("clear_at") < values.get("below")) {
            throw t.get("clear_at").error("must be at least below (" + values.get("below") + "): it is the hysteresis");
        }
        if (type == RuleType.HEALTH_DROP) {
            if (values.get("drop") <= 0) {
                throw t.get("drop").error("must be positive (score points), was " + values.get("drop"));
            }
            if (values.get("clear_below") >= values.get("drop")) {
                throw t.get("clear_below").error("must be below drop (" + values.get("drop") + "): it is the hysteresis");
            }
            double minDays = values.get("min_days");
            long windowDays = (long) (values.get("within") / Duration.ofDays(1).toMillis());
            if (minDays < 2 || minDays != Math.rint(minDays) || minDays > windowDays + 1) {
                throw t.get("min_days").error("must be a whole number of daily scores from 2 to " + (windowDays + 1)
                        + " (the days in within, plus today), was " + minDays);
            }
        }
        return new AlertRule(id, type, version, severity, owner, action, values, names);
    }

    private static List<String> names(ModelNode list, List<String> allowed, List<String> defaults) {
        if (list.isMissing()) {
            return defaults;
        }
        List<String> out = new ArrayList<>();
        for (ModelNode n : list.elements()) {
            String name = n.asString();
            if (!allowed.contains(name)) {
                throw n.error("must be one of " + String.join(", ", allowed) + ", was \"" + name + "\"");
            }
            out.add(name);
        }
        if (out.isEmpty()) {
            throw list.error("lists nothing; name at least one of " + String.join(", ", allowed));
        }
        return out;
    }

    private static Duration positive(ModelNode node, Duration defaultValue) {
        if (node.isMissing()) {
            return defaultValue;
        }
        Duration d = node.asDuration();
        if (d.isZero() || d.isNegative()) {
            throw node.error("must be positive, was " + d);
        }
        return d;
    }

    private static Set<String> ordered(String... keys) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }

    /** The first rule of a type, or null: one rule per type is what the function evaluates. */
    public AlertRule first(RuleType type) {
        for (AlertRule r : rules) {
            if (r.type == type) {
                return r;
            }
        }
        return null;
    }

    public AlertRule byId(String id) {
        for (AlertRule r : rules) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "AlertRules(escalate_after " + escalateAfter + ", max_fires " + maxFires + ", refire_window "
                + refireWindow + ", " + rules + (risk == null ? "" : ", risk " + risk.version()) + ")";
    }
}
