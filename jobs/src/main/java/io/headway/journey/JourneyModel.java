package io.headway.journey;

import io.headway.model.CustomerModel;
import io.headway.model.JourneyDefinition;
import io.headway.model.Matcher;
import io.headway.model.MilestoneDefinition;
import io.headway.schema.Touchpoint;

import java.io.Serializable;
import java.util.List;

/**
 * The journeys of the customer model, compiled for the hot path: {@link #classify} says in one pass,
 * without allocating, which journey rules a touchpoint matches, as 8 bits per journey.
 */
public final class JourneyModel implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Journeys per model: 8 bits each in a long. */
    public static final int MAX_JOURNEYS = 8;

    static final int ENTRY = 1;
    static final int ABANDON = 2;
    private static final int MILESTONE_SHIFT = 2;

    private final JourneyDefinition[] journeys;

    public JourneyModel(CustomerModel model) {
        List<JourneyDefinition> list = model.journeys();
        if (list.size() > MAX_JOURNEYS) {
            throw new IllegalArgumentException("at most " + MAX_JOURNEYS + " journeys: " + list.size());
        }
        this.journeys = list.toArray(new JourneyDefinition[0]);
    }

    public int size() {
        return journeys.length;
    }

    public JourneyDefinition journey(int index) {
        return journeys[index];
    }

    public int indexOf(String name) {
        for (int j = 0; j < journeys.length; j++) {
            if (journeys[j].name().equals(name)) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Per journey j, bits {@code 8j..8j+7} of the result: {@link #ENTRY}, {@link #ABANDON}, and in the
     * upper six bits the 1-based index of the first milestone the touchpoint reaches (0: none).
     */
    public long classify(Touchpoint t) {
        long bits = 0;
        for (int j = 0; j < journeys.length; j++) {
            JourneyDefinition d = journeys[j];
            int b = 0;
            if (d.entry().matches(t)) {
                b |= ENTRY;
            }
            for (Matcher m : d.abandonOn()) {
                if (m.matches(t)) {
                    b |= ABANDON;
                    break;
                }
            }
            List<MilestoneDefinition> milestones = d.milestones();
            for (int k = 0; k < milestones.size(); k++) {
                if (milestones.get(k).match().matches(t)) {
                    b |= (k + 1) << MILESTONE_SHIFT;
                    break;
                }
            }
            bits |= ((long) b) << (8 * j);
        }
        return bits;
    }

    static int journeyBits(long match, int j) {
        return (int) (match >>> (8 * j)) & 0xFF;
    }

    /** The milestone index in a journey's bits, or -1. */
    static int milestone(int bits) {
        return (bits >>> MILESTONE_SHIFT) - 1;
    }

    /** The abandonment rule that matched, for the record's subject. */
    String abandonedBy(int j, Touchpoint t) {
        for (Matcher m : journeys[j].abandonOn()) {
            if (t != null && m.matches(t)) {
                return m.describe();
            }
        }
        return "abandonment rule";
    }
}
