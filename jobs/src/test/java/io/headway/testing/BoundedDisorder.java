package io.headway.testing;

import io.headway.schema.Touchpoint;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * Replays touchpoints (or other timestamped records) through a keyed harness as a bounded-out-of-orderness source delivers them:
 * each may overtake others by less than the bound, and the watermark trails the newest by it. For
 * the tests that show an operator's output does not depend on the arrival order.
 */
public final class BoundedDisorder {

    private BoundedDisorder() {}

    /** A random arrival order of {@code sorted} in which no touchpoint overtakes another by the bound. */
    public static List<Touchpoint> shuffle(List<Touchpoint> sorted, Duration bound, Random random) {
        return shuffle(sorted, Touchpoint::getOccurredAt, bound, random);
    }

    /** A random arrival order of {@code sorted} in which no record overtakes another by the bound. */
    public static <T> List<T> shuffle(List<T> sorted, ToLongFunction<T> time, Duration bound, Random random) {
        List<T> arrival = new ArrayList<>(sorted);
        // Swap neighbours closer than half the bound, many times.
        for (int round = 0; round < arrival.size() * 4; round++) {
            int i = random.nextInt(arrival.size() - 1);
            if (Math.abs(time.applyAsLong(arrival.get(i)) - time.applyAsLong(arrival.get(i + 1))) < bound.toMillis() / 2) {
                Collections.swap(arrival, i, i + 1);
            }
        }
        return arrival;
    }

    /** Feeds {@code arrival} with trailing watermarks, then one a day past the newest; closes the harness. */
    public static <O> List<O> replay(
            KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, O> h, List<Touchpoint> arrival, Duration bound)
            throws Exception {
        return replay(h, arrival, Touchpoint::getOccurredAt, bound);
    }

    /** Feeds {@code arrival} with trailing watermarks, then one a day past the newest; closes the harness. */
    public static <I, O> List<O> replay(
            KeyedOneInputStreamOperatorTestHarness<String, I, O> h, List<I> arrival, ToLongFunction<I> time, Duration bound)
            throws Exception {
        try {
            long maxSeen = Long.MIN_VALUE;
            for (I record : arrival) {
                long at = time.applyAsLong(record);
                h.processElement(new StreamRecord<>(record, at));
                maxSeen = Math.max(maxSeen, at);
                h.processWatermark(maxSeen - bound.toMillis() - 1);
            }
            h.processWatermark(maxSeen + Duration.ofDays(1).toMillis());
            return h.extractOutputValues();
        } finally {
            h.close();
        }
    }
}
