package io.headway.journey;

import io.headway.schema.Touchpoint;

import java.util.Comparator;

/**
 * A touchpoint waiting for event time to pass it, reduced to what journeys use: its time, the
 * journey rules it matches, its source and, for a survey answer, the answer. Only a touchpoint that
 * matches a rule keeps its full record (it may have to go to the late output). A Flink POJO.
 */
public class PendingTouchpoint {

    /**
     * The order touchpoints are applied in: by event time; at one instant those that only count
     * first, then the matching ones by event id. Arrival order never decides.
     */
    static final Comparator<PendingTouchpoint> APPLY_ORDER =
            Comparator.comparingLong((PendingTouchpoint p) -> p.at)
                    .thenComparing(p -> p.match != 0)
                    .thenComparing(p -> p.touchpoint == null ? "" : p.touchpoint.getEventId());

    public long at;
    /** {@link JourneyModel#classify} bits; 0 for a touchpoint that only counts. */
    public long match;
    public String source;
    /** Survey name of a survey answer, else null. */
    public String survey;
    public double value;
    /** A copy of the touchpoint if it matches a rule, else null. */
    public Touchpoint touchpoint;

    public PendingTouchpoint() {}

    PendingTouchpoint(long at, long match, String source, String survey, double value, Touchpoint touchpoint) {
        this.at = at;
        this.match = match;
        this.source = source;
        this.survey = survey;
        this.value = value;
        this.touchpoint = touchpoint;
    }

    /** The timer it relies on: just after it if it matches a rule, else the next UTC midnight. */
    long timer() {
        return match != 0 ? at + 1 : JourneyFunction.nextMidnight(at);
    }
}
