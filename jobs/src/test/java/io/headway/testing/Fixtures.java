package io.headway.testing;

import io.headway.ingest.TouchpointJson;
import io.headway.ingest.TouchpointParser;
import io.headway.ingest.TouchpointVocabulary;
import io.headway.schema.Touchpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Named instants and touchpoint factories that read like the domain. */
public final class Fixtures {

    /** A Monday, midnight UTC; recent enough for the default validation window. */
    public static final Instant DAY_0 = Instant.parse("2026-10-05T00:00:00Z");

    public static final Instant DAY_1 = day(1);
    public static final Instant DAY_2 = day(2);
    public static final Instant DAY_3 = day(3);
    public static final Instant DAY_7 = day(7);
    public static final Instant DAY_28 = day(28);

    /** Wall clock pinned a month after DAY_0, so validation windows are reproducible. */
    public static final Clock CLOCK = Clock.fixed(DAY_0.plus(Duration.ofDays(30)), ZoneOffset.UTC);

    private static long sequence;

    private Fixtures() {}

    public static Instant day(int n) {
        return DAY_0.plus(Duration.ofDays(n));
    }

    public static long millis(Instant i) {
        return i.toEpochMilli();
    }

    public static TouchpointParser parser() {
        return new TouchpointParser(
                TouchpointVocabulary.standard(),
                1 << 20,
                1 << 19,
                Duration.ofDays(1825),
                Duration.ofDays(1),
                CLOCK);
    }

    public static Touchpoint touchpoint(String eventId, String account, Instant at, String source, String type) {
        return new Touchpoint(eventId, account, null, at.toEpochMilli(), source, type, null, new HashMap<>());
    }

    public static Touchpoint featureUsed(String account, Instant at) {
        return touchpoint(nextId(account), account, at, "product", "feature_used", Map.of("feature", "reports"));
    }

    public static Touchpoint login(String account, Instant at) {
        return touchpoint(nextId(account), account, at, "product", "login");
    }

    public static Touchpoint ticketOpened(String account, Instant at) {
        return touchpoint(nextId(account), account, at, "support", "ticket_opened", Map.of("ticket_id", "T-1"));
    }

    /** The account enters the journey (the default model's entry: {@code journey_started} with the journey's name). */
    public static Touchpoint journeyStarted(String account, String journey, Instant at) {
        return touchpoint(nextId(account), account, at, "onboarding", "journey_started", Map.of("journey", journey));
    }

    public static Touchpoint milestoneReached(String account, String milestone, Instant at) {
        return touchpoint(nextId(account), account, at, "onboarding", "milestone_reached", Map.of("milestone", milestone));
    }

    /** A goal on {@code metric}, increasing from {@code baseline} to {@code target} by {@code deadline}. */
    public static Touchpoint goalSet(
            String account, String goalId, String metric, double baseline, double target, Instant deadline, Instant at) {
        return touchpoint(nextId(account), account, at, "outcome", "goal_set", Map.of(
                "goal_id", goalId, "metric", metric, "direction", "increase",
                "baseline", Double.toString(baseline), "target", Double.toString(target), "deadline", deadline.toString()));
    }

    public static Touchpoint outcomeMeasured(String account, String goalId, String metric, double value, Instant at) {
        return withValue(touchpoint(nextId(account), account, at, "outcome", "outcome_measured",
                Map.of("goal_id", goalId, "metric", metric)), value);
    }

    public static Touchpoint withValue(Touchpoint t, Double value) {
        t.setValue(value);
        return t;
    }

    public static Touchpoint withUser(Touchpoint t, String userId) {
        t.setUserId(userId);
        return t;
    }

    public static Touchpoint touchpoint(
            String eventId, String account, Instant at, String source, String type, Map<String, String> attributes) {
        return new Touchpoint(eventId, account, null, at.toEpochMilli(), source, type, null, new HashMap<>(attributes));
    }

    public static Touchpoint touchpoint(String account, Instant at, String source, String type) {
        return touchpoint(nextId(account), account, at, source, type);
    }

    public static Touchpoint withId(Touchpoint t, String eventId) {
        Touchpoint copy = Touchpoint.newBuilder(t).build();
        copy.setEventId(eventId);
        return copy;
    }

    public static byte[] json(Touchpoint t) {
        return TouchpointJson.toJson(t);
    }

    private static synchronized String nextId(String account) {
        return account + "-e" + (++sequence);
    }
}
