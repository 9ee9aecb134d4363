package io.headway.alert;

import io.headway.schema.AccountSignal;

import java.util.Comparator;

/**
 * The one order alert signals of an account are applied in: event time, then at one instant
 * journeys, goals, scores, alert feedback, then (feedback only) event id. Records of one upstream
 * stream at one instant keep the order that stream emitted them in (the sort is stable, and each
 * stream reaches the alert function in order); that order does not depend on arrival order either.
 */
public final class SignalOrder {

    public static final Comparator<AccountSignal> IN_EVENT_TIME =
            Comparator.comparingLong(SignalOrder::timeOf)
                    .thenComparingInt(SignalOrder::rank)
                    .thenComparing(SignalOrder::eventId);

    private SignalOrder() {}

    /** Event time of the record in the envelope. */
    public static long timeOf(AccountSignal s) {
        if (s.getJourney() != null) {
            return s.getJourney().getAsOf();
        }
        if (s.getGoal() != null) {
            return s.getGoal().getAsOf();
        }
        if (s.getScore() != null) {
            return s.getScore().getAsOf();
        }
        return s.getTouchpoint().getOccurredAt();
    }

    private static int rank(AccountSignal s) {
        return s.getJourney() != null ? 0 : s.getGoal() != null ? 1 : s.getScore() != null ? 2 : 3;
    }

    private static String eventId(AccountSignal s) {
        return s.getTouchpoint() == null ? "" : s.getTouchpoint().getEventId();
    }
}
