package io.headway.testing;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event-time watermarks that reached the writers of the {@link CollectingSink}s reporting to a
 * probe, per writer, in this JVM. A {@link BoundedInput} pause waits on it, so a record meant to be
 * late is emitted only once the watermark before it has provably reached every subtask downstream;
 * a pause measured in wall-clock time is only likely to be long enough, and on a loaded CI machine
 * it was not.
 */
final class WatermarkProbe {

    private static final Map<String, Map<String, Long>> SEEN = new ConcurrentHashMap<>();

    private WatermarkProbe() {}

    static void register(String probe, String writer) {
        SEEN.computeIfAbsent(probe, p -> new ConcurrentHashMap<>()).putIfAbsent(writer, Long.MIN_VALUE);
    }

    static void advance(String probe, String writer, long watermark) {
        SEEN.computeIfAbsent(probe, p -> new ConcurrentHashMap<>()).merge(writer, watermark, Math::max);
    }

    /** Whether at least {@code writers} writers reported and each has seen a watermark at or after {@code at}. */
    static boolean reached(String probe, int writers, Instant at) {
        Map<String, Long> seen = SEEN.getOrDefault(probe, Map.of());
        return seen.size() >= writers && seen.values().stream().allMatch(w -> w >= at.toEpochMilli());
    }

    static void forget(String probe) {
        SEEN.remove(probe);
    }
}
