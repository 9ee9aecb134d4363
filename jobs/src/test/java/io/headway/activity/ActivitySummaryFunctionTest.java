package io.headway.activity;

import static io.headway.testing.Fixtures.DAY_0;
import static io.headway.testing.Fixtures.day;
import static io.headway.testing.Fixtures.featureUsed;
import static io.headway.testing.Fixtures.login;
import static io.headway.testing.Fixtures.ticketOpened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.headway.schema.ActivitySummary;
import io.headway.schema.Touchpoint;
import io.headway.testing.Harnesses;

import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

class ActivitySummaryFunctionTest {

    private static final Instant NINE_AM = DAY_0.plus(Duration.ofHours(9));
    private static final Instant TEN_AM = DAY_0.plus(Duration.ofHours(10));
    private static final Instant ELEVEN_AM = DAY_0.plus(Duration.ofHours(11));

    private KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, ActivitySummary> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = harness();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldEmitCountsPerSourceAtTheNextBoundary() throws Exception {
        process(featureUsed("acme", TEN_AM.plusSeconds(300)));
        process(login("acme", TEN_AM.plusSeconds(600)));
        process(ticketOpened("acme", TEN_AM.plusSeconds(900)));

        harness.processWatermark(ELEVEN_AM.toEpochMilli());

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        summary(
                                "acme",
                                ELEVEN_AM,
                                TEN_AM.plusSeconds(900),
                                Map.of("product", 2L, "support", 1L),
                                Map.of("product", 2L, "support", 1L),
                                true));
    }

    @Test
    void shouldNotCountATouchpointThatArrivedBeforeItsBoundaryWasEmitted() throws Exception {
        harness.processWatermark(TEN_AM.minusSeconds(120).toEpochMilli());
        process(login("acme", TEN_AM.plusSeconds(180)));
        process(login("acme", TEN_AM.minusSeconds(60)));

        harness.processWatermark(TEN_AM.toEpochMilli());
        harness.processWatermark(ELEVEN_AM.toEpochMilli());

        List<ActivitySummary> out = harness.extractOutputValues();
        assertThat(out).extracting(ActivitySummary::getAsOf).containsExactly(TEN_AM.toEpochMilli(), ELEVEN_AM.toEpochMilli());
        assertThat(out).extracting(ActivitySummary::getEvents7d).containsExactly(1L, 2L);
    }

    @Test
    void shouldGiveTheSameSummariesForAnyArrivalOrderWithinTheWatermarkBound() throws Exception {
        List<Touchpoint> sorted = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 400; i++) {
            Instant at = DAY_0.plus(Duration.ofMinutes(i * 7L + random.nextInt(5)));
            sorted.add(random.nextBoolean() ? login("acme", at) : ticketOpened("acme", at));
        }
        sorted.sort((a, b) -> Long.compare(a.getOccurredAt(), b.getOccurredAt()));
        Duration bound = Duration.ofMinutes(30);

        List<ActivitySummary> inOrder = replay(sorted, bound);
        for (int trial = 0; trial < 20; trial++) {
            List<Touchpoint> shuffled = shuffleWithinBound(sorted, bound, new Random(trial));
            assertThat(replay(shuffled, bound)).as("trial %d", trial).isEqualTo(inOrder);
        }
        assertThat(inOrder).hasSizeGreaterThan(40);
    }

    @Test
    void shouldLowerTheCountsAtTheMidnightsWhenADayLeavesAWindow() throws Exception {
        process(login("acme", TEN_AM));

        harness.processWatermark(day(30).toEpochMilli());

        assertThat(harness.extractOutputValues())
                .extracting(ActivitySummary::getAsOf, ActivitySummary::getEvents7d, ActivitySummary::getEvents28d, ActivitySummary::getActive)
                .containsExactly(
                        tuple(ELEVEN_AM.toEpochMilli(), 1L, 1L, true),
                        tuple(day(8).toEpochMilli(), 0L, 1L, true),
                        tuple(day(29).toEpochMilli(), 0L, 0L, false));
    }

    @Test
    void shouldWakeUpOnlyWhenAWindowChanges() throws Exception {
        process(login("acme", TEN_AM));
        process(login("acme", day(2).plus(Duration.ofHours(10))));

        harness.processWatermark(day(9).toEpochMilli());

        assertThat(harness.extractOutputValues())
                .extracting(ActivitySummary::getAsOf, ActivitySummary::getEvents7d)
                .containsExactly(
                        tuple(ELEVEN_AM.toEpochMilli(), 1L),
                        tuple(day(2).plus(Duration.ofHours(11)).toEpochMilli(), 2L),
                        tuple(day(8).toEpochMilli(), 1L));
        assertThat(harness.numEventTimeTimers()).as("DAY_2 leaves the 7-day window at DAY_10").isEqualTo(1);
    }

    @Test
    void shouldEmitAFinalInactiveSummaryAfter28SilentDaysAndLeaveNoStateOrTimers() throws Exception {
        process(login("acme", TEN_AM));
        process(featureUsed("acme", day(3).plus(Duration.ofHours(9))));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(day(40).toEpochMilli());

        ActivitySummary last = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
        assertThat(last.getActive()).isFalse();
        assertThat(last.getAsOf()).isEqualTo(day(32).toEpochMilli());
        assertThat(last.getEvents28d()).isZero();
        assertThat(last.getLastSeenAt()).isEqualTo(day(3).plus(Duration.ofHours(9)).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldEndABoundedInputAtTheFirstBoundaryAfterTheLastTouchpoint() throws Exception {
        process(login("acme", NINE_AM));
        process(login("acme", TEN_AM.plusSeconds(60)));

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues())
                .extracting(ActivitySummary::getAsOf)
                .containsExactly(TEN_AM.toEpochMilli(), ELEVEN_AM.toEpochMilli());
    }

    @Test
    void shouldKeepStateBoundedWhateverTheHistoryLength() throws Exception {
        for (int d = 0; d < 200; d++) {
            process(login("acme", day(d).plus(Duration.ofHours(9))));
            process(ticketOpened("acme", day(d).plus(Duration.ofHours(9))));
            harness.processWatermark(day(d).plus(Duration.ofHours(12)).toEpochMilli());
        }

        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).as("the next window change only").isEqualTo(1);
        ActivitySummary last = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
        assertThat(last.getEvents28d()).isEqualTo(56);
    }

    @Test
    void shouldRejectAnIntervalThatDoesNotDivideADay() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new ActivitySummaryFunction(Duration.ofMinutes(7)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void process(Touchpoint t) throws Exception {
        harness.processElement(t, t.getOccurredAt());
    }

    /** Feeds touchpoints with the watermark a bounded-out-of-orderness generator would emit. */
    private static List<ActivitySummary> replay(List<Touchpoint> arrivals, Duration bound) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, ActivitySummary> h = harness()) {
            long max = Long.MIN_VALUE;
            for (Touchpoint t : arrivals) {
                h.processElement(t, t.getOccurredAt());
                max = Math.max(max, t.getOccurredAt());
                h.processWatermark(max - bound.toMillis() - 1);
            }
            h.processWatermark(Long.MAX_VALUE);
            return h.extractOutputValues();
        }
    }

    /** Moves each touchpoint by less than the bound, so none of them is ever late. */
    private static List<Touchpoint> shuffleWithinBound(List<Touchpoint> sorted, Duration bound, Random random) {
        List<long[]> keyed = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            long jitter = (long) (random.nextDouble() * bound.toMillis() / 2);
            keyed.add(new long[] {sorted.get(i).getOccurredAt() + jitter, i});
        }
        keyed.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Touchpoint> out = new ArrayList<>();
        for (long[] k : keyed) {
            out.add(sorted.get((int) k[1]));
        }
        return Collections.unmodifiableList(out);
    }

    private static ActivitySummary summary(
            String account,
            Instant asOf,
            Instant lastSeen,
            Map<String, Long> by7,
            Map<String, Long> by28,
            boolean active) {
        return new ActivitySummary(
                account,
                asOf.toEpochMilli(),
                lastSeen.toEpochMilli(),
                by7.values().stream().mapToLong(Long::longValue).sum(),
                by28.values().stream().mapToLong(Long::longValue).sum(),
                new java.util.HashMap<>(by7),
                new java.util.HashMap<>(by28),
                active);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, ActivitySummary> harness()
            throws Exception {
        return Harnesses.byAccount(new ActivitySummaryFunction(Duration.ofHours(1)));
    }
}
