package io.headway.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * How customer goals are tracked: the {@code goals:} section of the customer model (optional; every
 * key has a default). Read and validated with the rest of the model, so a bad value stops the job
 * at start-up with the file and key path.
 *
 * @param window how many of a goal's latest measurements its trend is fitted to (2 to 32)
 * @param atRiskTolerance a goal is at risk when its projection at the deadline misses the target by
 *     more than this share of the distance the goal asked for (|target − baseline|); 0 to 1
 * @param minMeasurements the trend judges a goal (at risk or on track) only from this many
 *     measurements in its window (2 to {@code window}); before, the goal has insufficient data
 * @param minSpanMillis ... and only once those measurements span at least this long
 */
public record GoalSettings(int window, double atRiskTolerance, int minMeasurements, long minSpanMillis) implements Serializable {

    public static final int DEFAULT_WINDOW = 8;
    public static final double DEFAULT_AT_RISK_TOLERANCE = 0.1;
    public static final int MAX_WINDOW = 32;
    /** Two weekly measurements made a straight line through noise and raised most at-risk flags on healthy accounts. */
    public static final int DEFAULT_MIN_MEASUREMENTS = 3;
    public static final Duration DEFAULT_MIN_SPAN = Duration.ofDays(14);

    static final Set<String> KEYS = CustomerModel.orderedSet("window", "at_risk_tolerance", "min_measurements", "min_span");

    public static GoalSettings defaults() {
        return new GoalSettings(DEFAULT_WINDOW, DEFAULT_AT_RISK_TOLERANCE, DEFAULT_MIN_MEASUREMENTS, DEFAULT_MIN_SPAN.toMillis());
    }

    /** Whether measurements {@code size} in number, spanning {@code spanMillis}, are enough to judge a trend. */
    public boolean enoughEvidence(int size, long spanMillis) {
        return size >= Math.max(2, minMeasurements) && spanMillis >= minSpanMillis;
    }

    /** The {@code goals:} section; the defaults when the model has none. */
    static GoalSettings read(ModelNode node) {
        if (node.isMissing()) {
            return defaults();
        }
        if (!node.isMapping()) {
            throw node.error("must be a mapping with window, at_risk_tolerance, min_measurements and min_span");
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
        int minMeasurements = node.optionalInt("min_measurements", Math.min(window, DEFAULT_MIN_MEASUREMENTS));
        if (minMeasurements < 2 || minMeasurements > window) {
            throw node.get("min_measurements").error("must be between 2 (a trend needs two) and window (" + window
                    + "), was " + minMeasurements);
        }
        ModelNode span = node.get("min_span");
        Duration minSpan = span.isMissing() ? DEFAULT_MIN_SPAN : span.asDuration();
        if (minSpan.isNegative()) {
            throw span.error("must not be negative, was " + minSpan);
        }
        return new GoalSettings(window, tolerance, minMeasurements, minSpan.toMillis());
    }
}
