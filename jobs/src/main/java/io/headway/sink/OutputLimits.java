package io.headway.sink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bounds on the records the job writes back in full-size form (late touchpoints, dead letters), so
 * that each fits the producer's {@code max.request.size} by construction: a record the producer
 * refuses would fail the job, and the restart would replay into the same failure.
 *
 * <p>Of {@code max.request.size}, {@link #RESERVED_BYTES} (64 KiB) are held back for what is not the
 * payload: the key (cut at {@link #MAX_KEY_BYTES}), at most a dozen headers (each value cut at
 * {@link #MAX_HEADER_VALUE_BYTES}) and Kafka's record and batch framing (under 100 bytes). A payload
 * beyond the rest is cut, and the headers {@value DeadLetterSerializer#HEADER_TRUNCATED} and
 * {@value DeadLetterSerializer#HEADER_PAYLOAD_SIZE} say so.
 */
public final class OutputLimits {

    /** Kafka's default {@code max.request.size}, used when {@code kafka.producer.max.request.size} is not set. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    public static final int RESERVED_BYTES = 64 * 1024;
    public static final int MAX_KEY_BYTES = 16 * 1024;
    public static final int MAX_HEADER_VALUE_BYTES = 1024;

    private OutputLimits() {}

    /** The largest payload an output record carries whole for this {@code max.request.size}. */
    public static int payloadLimit(int maxRequestSize) {
        return maxRequestSize - RESERVED_BYTES;
    }

    static byte[] cut(byte[] bytes, int max) {
        return bytes == null || bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }

    /** UTF-8 of {@code s}, cut at {@link #MAX_HEADER_VALUE_BYTES} on a character boundary. */
    static byte[] headerValue(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_HEADER_VALUE_BYTES) {
            return b;
        }
        int end = MAX_HEADER_VALUE_BYTES;
        // Back up over continuation bytes (10xxxxxx) so the cut value is still UTF-8.
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(b, end);
    }
}
