package io.headway.generator;

/**
 * How a tracked result ended. {@code OPEN} means the simulated window ended before the result was
 * decided (for example a goal whose deadline lies after the last simulated day).
 */
public enum ResultStatus {
    ACHIEVED,
    MISSED,
    CHURNED,
    OPEN;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
