package io.headway.risk;

import io.headway.config.Suggestions;
import io.headway.model.ModelNode;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The account risk of a customer model: its {@code risk:} section, read and validated with the rest
 * of the model (errors name the file and key path, e.g. {@code risk.terms[2].feature}).
 *
 * <pre>
 * risk:
 *   threshold: 0.72          # account_risk opens at or above (default 1.01 = never)
 *   resolve_below: 0.6       # default threshold - 0.1
 *   min_age_days: 14         # no account_risk before the account is this old
 *   emit_min_change: 0.02    # RiskUpdate when p moved this much since the last; 0 = whenever a feature changed
 *   budget: false
 *   owner_team: customer-success
 *   intercept: -1.31
 *   terms:
 *     - {feature: silence_days, weight: 0.84, mean: 3.1, scale: 4.2}
 *   fitted: {at: "2026-12-02", accounts: 491, ...}
 * </pre>
 *
 * @param model the fitted logistic model; its version is {@code fitted.at}, or {@link #UNFITTED}
 * @param threshold the account_risk alert opens at or above this probability; above 1 it never does
 * @param resolveBelow ... and resolves below this one (the hysteresis)
 * @param minAgeDays no account_risk alert before the account is this many days old
 * @param emitMinChange a RiskUpdate is emitted when the probability moved at least this much since
 *     the last one emitted; 0: whenever a feature value changed
 * @param budget whether the other rules become signals of the account_risk alert (unless standalone)
 * @param ownerTeam the team that owns account_risk alerts
 * @param fitted what the fit recorded (date, data size, cross-validated scores), in file order, for
 *     logs and documentation only: text, Long, Double or Boolean values (a nested entry as its JSON)
 */
public record RiskSettings(RiskModel model, double threshold, double resolveBelow, double minAgeDays, double emitMinChange,
        boolean budget, String ownerTeam, Map<String, Object> fitted) implements Serializable {

    /** The default threshold: no probability reaches it, so a model without one never opens account_risk. */
    public static final double NEVER = 1.01;
    public static final double DEFAULT_HYSTERESIS = 0.1;
    public static final double DEFAULT_MIN_AGE_DAYS = 14;
    public static final double DEFAULT_EMIT_MIN_CHANGE = 0.02;
    public static final String DEFAULT_OWNER_TEAM = "customer-success";
    public static final String UNFITTED = "unfitted";

    static final Set<String> KEYS = ordered("threshold", "resolve_below", "min_age_days", "emit_min_change", "budget",
            "owner_team", "intercept", "terms", "fitted");
    static final Set<String> TERM_KEYS = ordered("feature", "weight", "mean", "scale");

    public RiskSettings {
        fitted = Collections.unmodifiableMap(new LinkedHashMap<>(fitted));
    }

    /** {@code fitted.at}, or {@link #UNFITTED}: what RiskUpdate.model_version says. */
    public String version() {
        return model.version();
    }

    /** The {@code risk:} section; null when the model has none (no risk is kept, emitted or alerted). */
    public static RiskSettings read(ModelNode node) {
        if (node.isMissing()) {
            return null;
        }
        if (!node.isMapping()) {
            throw node.error("must be a mapping with threshold, intercept, terms and the other risk settings");
        }
        node.checkKeys(KEYS);
        double threshold = node.optionalDouble("threshold", NEVER);
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw node.get("threshold").error("must be a probability above 0 (above 1: never open), was " + threshold);
        }
        double resolveBelow = node.optionalDouble("resolve_below", Math.max(0, threshold - DEFAULT_HYSTERESIS));
        if (!(resolveBelow >= 0 && resolveBelow <= threshold)) {
            throw node.get("resolve_below").error("must be from 0 to threshold (" + threshold + "): it is the hysteresis, was "
                    + resolveBelow);
        }
        double minAge = node.optionalDouble("min_age_days", DEFAULT_MIN_AGE_DAYS);
        if (!(minAge >= 0) || Double.isInfinite(minAge)) {
            throw node.get("min_age_days").error("must be a number of days, 0 or more, was " + minAge);
        }
        double emit = node.optionalDouble("emit_min_change", DEFAULT_EMIT_MIN_CHANGE);
        if (!(emit >= 0 && emit < 1)) {
            throw node.get("emit_min_change").error("must be from 0 (every change) to below 1 (a change of probability), was " + emit);
        }
        boolean budget = node.optionalBoolean("budget", false);
        String owner = node.optionalString("owner_team", DEFAULT_OWNER_TEAM);
        double intercept = node.optionalDouble("intercept", 0);
        if (Double.isInfinite(intercept)) {
            throw node.get("intercept").error("must be finite, was " + intercept);
        }
        List<RiskModel.Term> terms = terms(node.get("terms"));
        Map<String, Object> fitted = new LinkedHashMap<>();
        ModelNode f = node.get("fitted");
        if (!f.isMissing() && !f.isMapping()) {
            throw f.error("must be a mapping (at, accounts, samples, cv_auc, ...)");
        }
        for (String key : f.keys()) {
            ModelNode v = f.get(key);
            if (!v.isMissing()) {
                fitted.put(key, v.asPlainValue());
            }
        }
        String version = fitted.containsKey("at") ? String.valueOf(fitted.get("at")) : UNFITTED;
        return new RiskSettings(new RiskModel(intercept, terms, version), threshold, resolveBelow, minAge, emit, budget, owner, fitted);
    }

    private static List<RiskModel.Term> terms(ModelNode list) {
        List<RiskModel.Term> terms = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ModelNode t : list.elements()) {
            if (!t.isMapping()) {
                throw t.error("must be a mapping {feature, weight, mean, scale}");
            }
            t.checkKeys(TERM_KEYS);
            String feature = t.requireString("feature");
            if (!RiskFeatures.NAMES.contains(feature)) {
                throw t.get("feature").error("unknown risk feature \"" + feature + "\""
                        + Suggestions.closest(feature, RiskFeatures.NAMES).map(n -> " (did you mean " + n + "?)").orElse("")
                        + "; known: " + String.join(", ", RiskFeatures.NAMES));
            }
            if (!seen.add(feature)) {
                throw t.get("feature").error("\"" + feature + "\" already has a term; one term per feature");
            }
            double weight = t.get("weight").asDouble();
            double mean = t.optionalDouble("mean", 0);
            double scale = t.optionalDouble("scale", 1);
            if (Double.isInfinite(weight) || Double.isNaN(weight)) {
                throw t.get("weight").error("must be finite, was " + weight);
            }
            if (Double.isInfinite(mean) || Double.isNaN(mean)) {
                throw t.get("mean").error("must be finite, was " + mean);
            }
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw t.get("scale").error("must be above 0 (the feature's spread in the fitted data), was " + scale);
            }
            terms.add(new RiskModel.Term(feature, weight, mean, scale));
        }
        return terms;
    }

    private static Set<String> ordered(String... keys) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }
}
