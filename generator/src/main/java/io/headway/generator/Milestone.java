package io.headway.generator;

import java.time.Duration;
import java.util.Optional;

/**
 * The onboarding milestones, in the order every account reaches them, with the due offset after
 * {@code journey_started}. The due offsets are the contract the ground truth uses: a milestone not
 * reached by its due time is "stalled", and {@code first_value} not reached by its due time is a
 * missed result. Healthy accounts always reach each milestone well before it is due.
 */
public enum Milestone {
    KICKOFF("kickoff", 5),
    INTEGRATION_CONNECTED("integration_connected", 12),
    DATA_IMPORTED("data_imported", 18),
    FIRST_REPORT("first_report", 24),
    TEAM_INVITED("team_invited", 30),
    FIRST_VALUE("first_value", 40);

    private final String wireName;
    private final int dueDays;

    Milestone(String wireName, int dueDays) {
        this.wireName = wireName;
        this.dueDays = dueDays;
    }

    /** The value of the {@code milestone} attribute. */
    public String wireName() {
        return wireName;
    }

    /** Whole days after {@code journey_started} by which the milestone is due. */
    public int dueDays() {
        return dueDays;
    }

    public Duration dueAfterJourneyStart() {
        return Duration.ofDays(dueDays);
    }

    public static Optional<Milestone> fromWireName(String name) {
        for (Milestone m : values()) {
            if (m.wireName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
