package io.headway.outcome;

import io.headway.schema.Touchpoint;

import java.util.Arrays;

/**
 * Per-account goal state: the goals (open, or the closed marker of one that ended while another is
 * open), the goal touchpoints not yet applied because event time has not passed them, and the timers
 * registered. Only {@code goal_set} and {@code outcome_measured} touchpoints are ever buffered here.
 */
public class GoalState {

    public GoalTrack[] goals = new GoalTrack[0];

    public int pendingSize;
    /** Copies of the buffered touchpoints (they may go to the side output with a reason). */
    public Touchpoint[] pending = new Touchpoint[0];

    /** Event-time timers registered and not yet fired, so none is registered twice or left behind. */
    public long[] timers = new long[0];

    /** The timer armed for the earliest deadline of an open goal, or MIN_VALUE. */
    public long deadlineTimer = Long.MIN_VALUE;

    /** Event time up to which (inclusive) touchpoints and deadlines have been applied. */
    public long appliedUpTo = Long.MIN_VALUE;

    public GoalState() {}

    GoalTrack goal(String goalId) {
        for (GoalTrack g : goals) {
            if (g.goalId.equals(goalId)) {
                return g;
            }
        }
        return null;
    }

    void add(GoalTrack goal) {
        goals = Arrays.copyOf(goals, goals.length + 1);
        goals[goals.length - 1] = goal;
    }

    boolean anyOpen() {
        for (GoalTrack g : goals) {
            if (g.open) {
                return true;
            }
        }
        return false;
    }

    /** The open goal with the earliest deadline at or before {@code upTo} (ties by goal id), or null. */
    GoalTrack firstDeadlineUpTo(long upTo) {
        GoalTrack first = null;
        for (GoalTrack g : goals) {
            if (g.open && g.deadline <= upTo
                    && (first == null || g.deadline < first.deadline
                            || (g.deadline == first.deadline && g.goalId.compareTo(first.goalId) < 0))) {
                first = g;
            }
        }
        return first;
    }

    /** The earliest deadline of an open goal, or MAX_VALUE. */
    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (GoalTrack g : goals) {
            if (g.open) {
                next = Math.min(next, g.deadline);
            }
        }
        return next;
    }

    void addPending(Touchpoint t) {
        if (pendingSize == pending.length) {
            pending = Arrays.copyOf(pending, Math.max(4, pendingSize * 2));
        }
        pending[pendingSize++] = t;
    }

    /**
     * The pending touchpoints at or before {@code upTo}, in the order they are applied: by event time;
     * at one instant declarations before measurements, then by event id. Arrival order never decides.
     */
    Touchpoint[] pendingUpTo(long upTo) {
        int n = 0;
        for (int i = 0; i < pendingSize; i++) {
            if (pending[i].getOccurredAt() <= upTo) {
                n++;
            }
        }
        Touchpoint[] order = new Touchpoint[n];
        int k = 0;
        for (int i = 0; i < pendingSize; i++) {
            Touchpoint t = pending[i];
            if (t.getOccurredAt() <= upTo) {
                int j = k++;
                while (j > 0 && appliesAfter(order[j - 1], t)) {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = t;
            }
        }
        return order;
    }

    static boolean appliesAfter(Touchpoint a, Touchpoint b) {
        if (a.getOccurredAt() != b.getOccurredAt()) {
            return a.getOccurredAt() > b.getOccurredAt();
        }
        boolean aDeclares = GoalFunction.GOAL_SET.equals(a.getType());
        boolean bDeclares = GoalFunction.GOAL_SET.equals(b.getType());
        if (aDeclares != bDeclares) {
            return bDeclares;
        }
        return a.getEventId().compareTo(b.getEventId()) > 0;
    }

    void removePendingUpTo(long upTo) {
        int kept = 0;
        for (int i = 0; i < pendingSize; i++) {
            if (pending[i].getOccurredAt() > upTo) {
                pending[kept++] = pending[i];
            }
        }
        Arrays.fill(pending, kept, pendingSize, null);
        pendingSize = kept;
        if (pendingSize == 0 && pending.length > 16) {
            pending = new Touchpoint[0];
        }
    }

    /** Whether a pending touchpoint relies on a timer at {@code t} (the one just after it). */
    boolean pendingNeeds(long t) {
        for (int i = 0; i < pendingSize; i++) {
            if (pending[i].getOccurredAt() + 1 == t) {
                return true;
            }
        }
        return false;
    }

    boolean hasTimer(long t) {
        for (long x : timers) {
            if (x == t) {
                return true;
            }
        }
        return false;
    }

    void addTimer(long t) {
        timers = Arrays.copyOf(timers, timers.length + 1);
        timers[timers.length - 1] = t;
    }

    void removeTimer(long t) {
        for (int i = 0; i < timers.length; i++) {
            if (timers[i] == t) {
                timers[i] = timers[timers.length - 1];
                timers = Arrays.copyOf(timers, timers.length - 1);
                return;
            }
        }
    }
}
