package io.headway.generator;

import java.util.Locale;
import java.util.Optional;

/**
 * Ways a real account departs from the clean story of its segment, each of which makes some alert
 * rule look wrong: an achiever that goes quiet for a while, starts late or uses little, a customer
 * base that takes a holiday, goal measurements that are sparse, noisy or stepwise, and a missing
 * account that is busy in the product. None of them changes whether an account achieves: that is
 * its segment's latent trajectory, so a rule that alerts on them is raising a false alarm.
 */
public enum Behaviour {
    /** Usage drops 60-90 % for 5-12 days once or twice (a project elsewhere, an outage), then recovers. */
    TRANSIENT_DIP(Population.ACHIEVING, 0.25),
    /** First product use 10-25 days after signup; the first milestones are late, first value is not. */
    LATE_STARTER(Population.ACHIEVING, 0.15),
    /** One organisation-wide lull of 1-3 weeks, the same calendar window for every account that has it. */
    HOLIDAY(Population.ALL, 1.0),
    /** Goal measurements every 10-30 days instead of weekly, with a review shortly before the deadline. */
    SPARSE_MEASUREMENTS(Population.ALL, 0.2),
    /** Goal measurements scattered around the trajectory by ±15-30 % of the distance from baseline to target. */
    NOISY_MEASUREMENTS(Population.ALL, 0.2),
    /** The measured value is flat for weeks, then jumps: extrapolating its trend misleads. */
    STEPWISE_METRIC(Population.ALL, 0.15),
    /** A missing account whose product use stays heavy while its result stalls. */
    BUSY_BUT_MISSING(Population.MISSING, 0.3),
    /** Low, steady usage and few touchpoints of any kind, and the result all the same. */
    QUIET_ACHIEVER(Population.ACHIEVING, 0.15);

    /** Which accounts a behaviour's share is a share of. */
    public enum Population {
        /** Healthy accounts: they achieve their results. */
        ACHIEVING,
        /** Deteriorating accounts: they miss or churn. */
        MISSING,
        ALL
    }

    private final Population population;
    private final double realisticShare;

    Behaviour(Population population, double realisticShare) {
        this.population = population;
        this.realisticShare = realisticShare;
    }

    public Population population() {
        return population;
    }

    /** The share of its population that gets the behaviour in the {@code realistic} mix. */
    public double realisticShare() {
        return realisticShare;
    }

    /** The name in settings, the ground truth and the outcomes CSV, e.g. {@code transient_dip}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean appliesTo(Segment segment) {
        return population == Population.ALL
                || (population == Population.ACHIEVING) == (segment == Segment.HEALTHY);
    }

    public static Optional<Behaviour> fromWireName(String name) {
        for (Behaviour b : values()) {
            if (b.wireName().equals(name)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
