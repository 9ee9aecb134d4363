package io.headway.testing;

import io.headway.schema.Touchpoint;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Replays touchpoints through a keyed harness as a bounded-out-of-orderness source delivers them:
 * each may overtake others by less than the bound, and the watermark trails the newest by it. For
 * the tests that show an operator's output does not depend on the arrival order.
 */
public final class BoundedDisorder {

    private BoundedDisorder() {}

    /** A random arrival order of {@code sorted} in which no touchpoint overtakes another by the bound. */
    public static List<Touchpoint> shuffle(List<Touchpoint> sorted, Duration bound, Random random) {
        List<Touchpoint> arrival = new ArrayList<>(sorted);
        // Swap neighbours closer than half the bound, many times.
        for (int round = 0; round < arrival.size() * 4; round++) {
            int i = random.nextInt(arrival.size() - 1);
            Touchpoint a = arrival.get(i);
            Touchpoint b = arrival.get(i + 1);
            if (Math.abs(a.getOccurredAt() - b.getOccurredAt()) < bound.toMillis() / 2) {
                Collections.swap(arrival, i, i + 1);
            }
        }
        return arrival;
    }

    /** Feeds {@code arrival} with trailing watermarks, then one a day past the newest; closes the harness. */
    public static <O> List<O> replay(
            KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, O> h, List<Touchpoint> arrival, Duration bound)
            throws Exception {
        try {
            long maxSeen = Long.MIN_VALUE;
            for (Touchpoint t : arrival) {
                h.processElement(new StreamRecord<>(t, t.getOccurredAt()));
                maxSeen = Math.max(maxSeen, t.getOccurredAt());
                h.processWatermark(maxSeen - bound.toMillis() - 1);
            }
            h.processWatermark(maxSeen + Duration.ofDays(1).toMillis());
            return h.extractOutputValues();
        } finally {
            h.close();
        }
    }
}
