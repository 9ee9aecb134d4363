package io.headway.ingest;

/**
 * Names of the ingestion counters. They reconcile: {@code touchpointsIn = touchpointsValid +
 * touchpointsInvalid + touchpointsDuplicate + touchpointsLate}.
 */
public final class IngestMetrics {

    public static final String IN = "touchpointsIn";
    public static final String VALID = "touchpointsValid";
    public static final String INVALID = "touchpointsInvalid";
    public static final String DUPLICATE = "touchpointsDuplicate";
    public static final String LATE = "touchpointsLate";
    public static final String DEAD_LETTERS = "deadLetters";

    private IngestMetrics() {}
}
