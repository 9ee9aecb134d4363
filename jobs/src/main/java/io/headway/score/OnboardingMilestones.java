package io.headway.score;

import io.headway.model.JourneyDefinition;
import io.headway.model.Matcher;
import io.headway.model.MilestoneDefinition;
import io.headway.schema.Touchpoint;

import java.io.Serializable;
import java.util.List;

/**
 * Which touchpoints reach which milestone of the onboarding journey. The score keeps the reached
 * milestones as a bitset, so at most 32.
 */
public interface OnboardingMilestones extends Serializable {

    /** Number of milestones (1-32). */
    int count();

    /** Index of the milestone this touchpoint reaches, or -1. */
    int milestoneOf(Touchpoint t);

    /** Whether this touchpoint starts the journey (the onboarding component exists from then on). */
    boolean startsJourney(Touchpoint t);

    /** The milestones of a customer-model journey, matched with its matchers; its entry starts it. */
    static OnboardingMilestones of(JourneyDefinition journey) {
        List<MilestoneDefinition> list = journey.milestones();
        Matcher[] matchers = new Matcher[list.size()];
        for (int i = 0; i < matchers.length; i++) {
            matchers[i] = list.get(i).match();
        }
        Matcher entry = journey.entry();
        String name = journey.name();
        return new OnboardingMilestones() {
            private static final long serialVersionUID = 1L;

            @Override
            public int count() {
                return matchers.length;
            }

            @Override
            public int milestoneOf(Touchpoint t) {
                for (int i = 0; i < matchers.length; i++) {
                    if (matchers[i].matches(t)) {
                        return i;
                    }
                }
                return -1;
            }

            @Override
            public boolean startsJourney(Touchpoint t) {
                return entry.matches(t);
            }

            @Override
            public String toString() {
                return "journey " + name;
            }
        };
    }

    /** No onboarding journey: the onboarding component is never present. */
    static OnboardingMilestones none() {
        return new OnboardingMilestones() {
            private static final long serialVersionUID = 1L;

            @Override
            public int count() {
                return 1;
            }

            @Override
            public int milestoneOf(Touchpoint t) {
                return -1;
            }

            @Override
            public boolean startsJourney(Touchpoint t) {
                return false;
            }

            @Override
            public String toString() {
                return "no onboarding journey";
            }
        };
    }

    /**
     * {@code onboarding/milestone_reached} with attribute {@code milestone} = one of the names (the
     * generator's journey: kickoff ... first_value); {@code onboarding/journey_started} starts it.
     */
    static OnboardingMilestones named(List<String> names) {
        if (names.isEmpty() || names.size() > 32) {
            throw new IllegalArgumentException("between 1 and 32 milestones, was " + names.size());
        }
        String[] copy = names.toArray(new String[0]);
        return new OnboardingMilestones() {
            private static final long serialVersionUID = 1L;

            @Override
            public int count() {
                return copy.length;
            }

            @Override
            public int milestoneOf(Touchpoint t) {
                if (!"milestone_reached".equals(t.getType()) || !"onboarding".equals(t.getSource())) {
                    return -1;
                }
                String m = t.getAttributes().get("milestone");
                for (int i = 0; i < copy.length; i++) {
                    if (copy[i].equals(m)) {
                        return i;
                    }
                }
                return -1;
            }

            @Override
            public boolean startsJourney(Touchpoint t) {
                return "journey_started".equals(t.getType()) && "onboarding".equals(t.getSource());
            }

            @Override
            public String toString() {
                return "milestones " + String.join(", ", copy);
            }
        };
    }
}
