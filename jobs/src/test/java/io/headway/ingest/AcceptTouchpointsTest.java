package io.headway.ingest;

import static io.headway.testing.Fixtures.DAY_0;
import static io.headway.testing.Fixtures.DAY_1;
import static io.headway.testing.Fixtures.featureUsed;
import static io.headway.testing.Fixtures.withId;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.LateTouchpoint;
import io.headway.schema.Touchpoint;
import io.headway.testing.Harnesses;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

class AcceptTouchpointsTest {

    private static final Instant TEN_AM = DAY_0.plus(Duration.ofHours(10));

    private KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, Touchpoint> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = harness(Duration.ZERO, Duration.ofDays(1));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldPassTheFirstOccurrenceAndDropARepeatedEventId() throws Exception {
        Touchpoint first = featureUsed("acme", TEN_AM);
        Touchpoint other = featureUsed("acme", TEN_AM.plusSeconds(60));

        process(first);
        process(withId(featureUsed("acme", TEN_AM.plusSeconds(30)), first.getEventId()));
        process(other);

        assertThat(harness.extractOutputValues()).containsExactly(first, other);
    }

    @Test
    void shouldDeDuplicatePerAccountOnly() throws Exception {
        Touchpoint acme = featureUsed("acme", TEN_AM);
        Touchpoint globex = withId(featureUsed("globex", TEN_AM), acme.getEventId());

        process(acme);
        process(globex);

        assertThat(harness.extractOutputValues()).containsExactly(acme, globex);
    }

    @Test
    void shouldDivertTouchpointsBehindTheWatermarkToTheLateOutput() throws Exception {
        Touchpoint onTime = featureUsed("acme", TEN_AM);
        Touchpoint late = featureUsed("acme", TEN_AM.minusMillis(1));

        harness.processWatermark(TEN_AM.toEpochMilli());
        process(onTime);
        process(late);

        assertThat(harness.extractOutputValues()).containsExactly(onTime);
        assertThat(harness.getSideOutput(AcceptTouchpoints.LATE))
                .containsExactly(new StreamRecord<>(
                        new LateTouchpoint(AcceptTouchpoints.BEHIND_WATERMARK, null, late), late.getOccurredAt()));
    }

    @Test
    void shouldAcceptTouchpointsWithinTheAllowedLateness() throws Exception {
        harness.close();
        harness = harness(Duration.ofMinutes(10), Duration.ofDays(1));
        Touchpoint tenMinutesBehind = featureUsed("acme", TEN_AM.minus(Duration.ofMinutes(10)));
        Touchpoint elevenMinutesBehind = featureUsed("acme", TEN_AM.minus(Duration.ofMinutes(11)));

        harness.processWatermark(TEN_AM.toEpochMilli());
        process(tenMinutesBehind);
        process(elevenMinutesBehind);

        assertThat(harness.extractOutputValues()).containsExactly(tenMinutesBehind);
        assertThat(harness.getSideOutput(AcceptTouchpoints.LATE)).hasSize(1);
    }

    @Test
    void shouldStillDropARepeatJustBeforeTheHorizonEnds() throws Exception {
        Touchpoint first = featureUsed("acme", TEN_AM);
        process(first);

        harness.processWatermark(TEN_AM.plus(Duration.ofDays(1)).toEpochMilli() - 1);
        process(withId(featureUsed("acme", TEN_AM.plus(Duration.ofDays(1))), first.getEventId()));

        assertThat(harness.extractOutputValues()).containsExactly(first);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void shouldForgetEventIdsAfterTheHorizonAndLeaveNoStateOrTimers() throws Exception {
        process(featureUsed("acme", TEN_AM));
        process(featureUsed("acme", TEN_AM.plus(Duration.ofMinutes(5))));
        process(featureUsed("acme", TEN_AM.plus(Duration.ofHours(3))));
        assertThat(harness.numEventTimeTimers()).as("one purge timer per hour bucket").isEqualTo(2);

        harness.processWatermark(DAY_1.plus(Duration.ofHours(11)).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).as("only the 13:00 id is left").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(DAY_1.plus(Duration.ofHours(14)).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldKeepIdsAtLeastAsLongAsTheAllowedLateness() {
        AcceptTouchpoints f = new AcceptTouchpoints(Duration.ofDays(3), Duration.ofHours(1));

        assertThat(f.purgeTime(0)).isEqualTo(Duration.ofDays(3).plusHours(1).toMillis());
    }

    private void process(Touchpoint t) throws Exception {
        harness.processElement(t, t.getOccurredAt());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, Touchpoint> harness(
            Duration allowedLateness, Duration horizon) throws Exception {
        return Harnesses.byAccount(new AcceptTouchpoints(allowedLateness, horizon));
    }
}
