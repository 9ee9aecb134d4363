package io.headway.generator;

/** Which story an account's events tell; the label the ground truth carries. */
public enum Segment {
    HEALTHY,
    DETERIORATING;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
