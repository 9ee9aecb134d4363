package io.headway.model;

import java.io.Serializable;
import java.util.Set;

/**
 * How customer goals are tracked: the {@code goals:} section of the customer model (optional; every
 * key has a default). Read and validated with the rest of the model, so a bad value stops the job
 * at start-up with the file and key path.
 *
 * @param window how many of a goal's latest measurements its trend is fitted to (2 to 32)
 * @param atRiskTolerance a goal is at risk when its projection at the deadline misses the target by
 *     more than this share of the distance the goal asked for (|target − baseline|); 0 to 1
 */
public record GoalSettings(int window, double atRiskTolerance) implements Serializable {

    public static final int DEFAULT_WINDOW = 8;
    public static final double DEFAULT_AT_RISK_TOLERANCE = 0.1;
    public static final int MAX_WINDOW = 32;

    static final Set<String> KEYS = CustomerModel.orderedSet("window", "at_risk_tolerance");

    public static GoalSettings defaults() {
        return new GoalSettings(DEFAULT_WINDOW, DEFAULT_AT_RISK_TOLERANCE);
    }

    /** The {@code goals:} section; the defaults when the model has none. */
    static GoalSettings read(ModelNode node) {
        if (node.isMissing()) {
            return defaults();
        }
        if (!node.isMapping()) {
            throw node.error("must be a mapping with window and at_risk_tolerance");
        }
        node.checkKeys(KEYS);
        int window = node.optionalInt("window", DEFAULT_WINDOW);
        if (window < 2 || window > MAX_WINDOW) {
            throw node.get("window").error("must be between 2 and " + MAX_WINDOW + " measurements (a trend needs two), was " + window);
        }
        double tolerance = node.optionalDouble("at_risk_tolerance", DEFAULT_AT_RISK_TOLERANCE);
        if (!(tolerance >= 0 && tolerance <= 1)) {
            throw node.get("at_risk_tolerance").error(
                    "must be between 0 and 1 (a share of target - baseline), was " + tolerance);
        }
        return new GoalSettings(window, tolerance);
    }
}
