package io.headway.journey;

import java.util.Arrays;

/**
 * Per-account journey state: the instances (open, or the closed summary of each journey entered) and
 * the one deadline timer. Touchpoints waiting for event time are kept apart, in a list state
 * ({@link JourneyFunction#PENDING}), so buffering one neither reads nor rewrites this object — on
 * RocksDB an append is a merge, not a read-modify-write.
 */
public class JourneyState {

    /** Instances in the order the account entered their journeys; at most one per journey. */
    public JourneyInstance[] instances = new JourneyInstance[0];

    /** The timer armed for the next deadline of any open instance, or MIN_VALUE. */
    public long deadlineTimer = Long.MIN_VALUE;

    /** Event time up to which (inclusive) touchpoints and deadlines have been applied. */
    public long appliedUpTo = Long.MIN_VALUE;

    public JourneyState() {}

    JourneyInstance instance(String journey) {
        for (JourneyInstance i : instances) {
            if (i.journey.equals(journey)) {
                return i;
            }
        }
        return null;
    }

    void put(JourneyInstance instance) {
        for (int i = 0; i < instances.length; i++) {
            if (instances[i].journey.equals(instance.journey)) {
                instances[i] = instance;
                return;
            }
        }
        instances = Arrays.copyOf(instances, instances.length + 1);
        instances[instances.length - 1] = instance;
    }

    boolean anyOpen() {
        for (JourneyInstance i : instances) {
            if (i.open) {
                return true;
            }
        }
        return false;
    }
}
