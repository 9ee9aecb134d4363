package io.headway.sink;

import static io.headway.testing.Fixtures.DAY_1;
import static io.headway.testing.Fixtures.featureUsed;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.ingest.TouchpointJson;
import io.headway.schema.DeadLetter;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.Touchpoint;
import io.headway.testing.ProducerRecordSize;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** Late and dead-letter records always fit the producer's max.request.size, and say when they were cut. */
class BoundedOutputsTest {

    private static final int ONE_MIB = 1 << 20;

    @Test
    void shouldWriteALateTouchpointWholeWhenItFits() {
        Touchpoint t = withAttribute(featureUsed("acme", DAY_1), "x".repeat(900_000));

        ProducerRecord<byte[], byte[]> r = new LateTouchpointSerializer("late", ONE_MIB).serialize(late(t, "why"), null, null);

        assertThat(r.value()).isEqualTo(TouchpointJson.toJson(t));
        assertThat(r.headers().lastHeader(DeadLetterSerializer.HEADER_TRUNCATED)).isNull();
        assertThat(ProducerRecordSize.of(r)).isLessThanOrEqualTo(ONE_MIB);
    }

    @Test
    void shouldCutALateTouchpointWhoseJsonOutgrowsTheProducerLimitAndSaySo() {
        // 600,000 quotes are 600 kB in Avro and 1.2 MB in JSON, where each is escaped.
        Touchpoint t = withAttribute(featureUsed("acme", DAY_1), "\"".repeat(600_000));
        int jsonSize = TouchpointJson.toJson(t).length;

        ProducerRecord<byte[], byte[]> r =
                new LateTouchpointSerializer("late", ONE_MIB).serialize(late(t, "d".repeat(1 << 20)), null, null);

        assertThat(jsonSize).isGreaterThan(ONE_MIB);
        assertThat(r.value()).hasSize(OutputLimits.payloadLimit(ONE_MIB));
        assertThat(header(r, DeadLetterSerializer.HEADER_TRUNCATED)).isEqualTo("true");
        assertThat(header(r, DeadLetterSerializer.HEADER_PAYLOAD_SIZE)).isEqualTo(Integer.toString(jsonSize));
        assertThat(header(r, LateTouchpointSerializer.DETAIL_HEADER)).hasSize(OutputLimits.MAX_HEADER_VALUE_BYTES);
        assertThat(ProducerRecordSize.of(r)).isLessThanOrEqualTo(ONE_MIB);
    }

    @Test
    void shouldKeepTheIssueCaseOfAOneMegabyteLateRecordUnderTheLimit() {
        // The issue's record: 1,048,500 bytes of valid JSON, late, with the producer at its 1 MiB default.
        Touchpoint t = withAttribute(featureUsed("acme", DAY_1), "");
        int padding = 1_048_500 - TouchpointJson.toJson(t).length;
        t = withAttribute(t, "y".repeat(padding));
        assertThat(TouchpointJson.toJson(t)).hasSize(1_048_500);

        ProducerRecord<byte[], byte[]> r = new LateTouchpointSerializer("late", ONE_MIB).serialize(late(t, "behind"), null, null);

        assertThat(ProducerRecordSize.of(r)).isLessThanOrEqualTo(ONE_MIB);
        assertThat(header(r, DeadLetterSerializer.HEADER_TRUNCATED)).isEqualTo("true");
    }

    @Test
    void shouldCutMultiByteHeaderValuesOnACharacterBoundary() {
        byte[] v = OutputLimits.headerValue("\u00e9".repeat(2000));

        assertThat(v.length).isLessThanOrEqualTo(OutputLimits.MAX_HEADER_VALUE_BYTES);
        assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("\u00e9".repeat(v.length / 2));
    }

    @Test
    void shouldBoundADeadLetterWhateverItCarries() {
        byte[] payload = new byte[3 * ONE_MIB];
        Arrays.fill(payload, (byte) 'z');
        DeadLetter d =
                new DeadLetter(
                        "INTERNAL_ERROR", "r".repeat(100_000), "touchpoints", 0, 1L, 2L,
                        ByteBuffer.wrap(new byte[ONE_MIB]), ByteBuffer.wrap(payload), payload.length);

        ProducerRecord<byte[], byte[]> r = new DeadLetterSerializer("dlq", ONE_MIB).serialize(d, null, null);

        assertThat(ProducerRecordSize.of(r)).isLessThanOrEqualTo(ONE_MIB);
        assertThat(r.key()).hasSize(OutputLimits.MAX_KEY_BYTES);
        assertThat(header(r, DeadLetterSerializer.HEADER_TRUNCATED)).isEqualTo("true");
        assertThat(header(r, DeadLetterSerializer.HEADER_PAYLOAD_SIZE)).isEqualTo(Integer.toString(3 * ONE_MIB));
    }

    private static LateTouchpoint late(Touchpoint t, String detail) {
        return new LateTouchpoint("behind_watermark", detail, t);
    }

    private static Touchpoint withAttribute(Touchpoint t, String value) {
        Touchpoint copy = Touchpoint.newBuilder(t).build();
        copy.setAttributes(new java.util.HashMap<>(Map.of("note", value)));
        return copy;
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
