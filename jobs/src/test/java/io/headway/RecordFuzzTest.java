package io.headway;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.ingest.DeadLetterReason;
import io.headway.ingest.InputFormat;
import io.headway.ingest.StorableText;
import io.headway.ingest.TouchpointJson;
import io.headway.ingest.TouchpointParser;
import io.headway.ingest.TouchpointVocabulary;
import io.headway.schema.DeadLetter;
import io.headway.schema.IngestedRecord;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.Touchpoint;
import io.headway.sink.DeadLetterRowBinder;
import io.headway.sink.DeadLetterSerializer;
import io.headway.sink.LateTouchpointSerializer;
import io.headway.sink.OutputLimits;
import io.headway.testing.Fixtures;
import io.headway.testing.FuzzedRecords;
import io.headway.testing.ProducerRecordSize;
import io.headway.testing.RecordingStatement;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Fuzzes one record at a time through the parser and every serializer its outputs use: mutations of
 * valid touchpoints (bytes, encodings, sizes, nesting, numbers, timestamps, ids). Whatever comes in,
 * nothing throws, the record is either a touchpoint or a dead letter with a reason, and what goes out
 * is what came in: storable text, lossless JSON and Avro, Kafka records within max.request.size.
 */
class RecordFuzzTest {

    private static final int MAX_REQUEST_SIZE = OutputLimits.DEFAULT_MAX_REQUEST_SIZE;
    private static final int MAX_PAYLOAD = OutputLimits.payloadLimit(MAX_REQUEST_SIZE);
    private static final int DEAD_LETTER_CAP = 1 << 19;

    private static final TouchpointParser PARSER =
            new TouchpointParser(
                    TouchpointVocabulary.standard(), MAX_PAYLOAD, DEAD_LETTER_CAP, Duration.ofDays(1825), Duration.ofDays(1), Fixtures.CLOCK);

    /** The fixed seed of a plain run; {@code -Dheadway.fuzz.seed=} runs another. */
    private static final long SEED = 20261202L;

    private static final int TRIES = 2000;

    /** How much of a failing record's value its message carries (the seed and try index replay all of it). */
    private static final int MESSAGE_BYTES = 4096;

    @Test
    void shouldAccountForEveryRecordAndWriteOnlyWhatOutputsCanCarry() {
        long seed = FuzzedRecords.seed(SEED);
        int tries = FuzzedRecords.tries(TRIES);
        System.out.println("RecordFuzzTest: seed " + seed + ", " + tries + " tries (-D" + FuzzedRecords.SEED_PROPERTY + "=, -D"
                + FuzzedRecords.TRIES_PROPERTY + "=)");
        Map<DeadLetterReason, Long> outcomes = new EnumMap<>(DeadLetterReason.class);
        long accepted = 0;
        for (int i = 0; i < tries; i++) {
            FuzzedRecords.Input in = FuzzedRecords.input(FuzzedRecords.random(seed, i), MAX_PAYLOAD + 100);
            try {
                DeadLetter d = check(in);
                if (d == null) {
                    accepted++;
                } else {
                    outcomes.merge(DeadLetterReason.valueOf(d.getReasonCode()), 1L, Long::sum);
                }
            } catch (Throwable e) {
                throw new AssertionError(
                        "fuzzed record failed: -D" + FuzzedRecords.SEED_PROPERTY + "=" + seed + " try " + i + " (-D"
                                + FuzzedRecords.TRIES_PROPERTY + "=" + (i + 1) + " replays it): " + in + "\n  value: "
                                + in.escaped(MESSAGE_BYTES) + "\n  " + firstChars(String.valueOf(e), MESSAGE_BYTES),
                        e);
            }
        }
        System.out.println("RecordFuzzTest: " + tries + " executions, " + accepted + " accepted, dead letters by reason " + outcomes);
    }

    /** Parses one record and checks whatever it became; returns its dead letter, or null if it was accepted. */
    private static DeadLetter check(FuzzedRecords.Input in) throws Exception {
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);

        IngestedRecord r = PARSER.parse(in.format(), "touchpoints", 0, 7L, 1L, key, in.value());

        assertThat(r.getTouchpoint() == null).as("exactly one of touchpoint and dead letter").isNotEqualTo(r.getDeadLetter() == null);
        if (r.getDeadLetter() != null) {
            checkDeadLetter(in, r.getDeadLetter());
        } else {
            checkTouchpoint(in, r.getTouchpoint());
        }
        return r.getDeadLetter();
    }

    private static void checkDeadLetter(FuzzedRecords.Input in, DeadLetter d) throws Exception {
        DeadLetterReason reason = DeadLetterReason.valueOf(d.getReasonCode());
        assertThat(reason).as("a parser bug shows as INTERNAL_ERROR: " + d.getReason()).isNotEqualTo(DeadLetterReason.INTERNAL_ERROR);
        assertThat(d.getReason()).isNotBlank();
        assertThat(StorableText.violationAt(d.getReason(), false)).as("reason is storable: " + d.getReason()).isEqualTo(-1);
        assertThat(d.getPayloadSize()).isEqualTo(in.value().length);
        assertThat(bytes(d.getPayload())).isEqualTo(Arrays.copyOf(in.value(), Math.min(in.value().length, DEAD_LETTER_CAP)));

        ProducerRecord<byte[], byte[]> kafka = new DeadLetterSerializer("dlq", MAX_REQUEST_SIZE).serialize(d, null, null);
        assertThat(ProducerRecordSize.of(kafka)).isLessThanOrEqualTo(MAX_REQUEST_SIZE);
        RecordingStatement row = new RecordingStatement();
        new DeadLetterRowBinder().accept(row.statement(), d);
        assertThat(row.texts()).allSatisfy(s -> assertThat(s).doesNotContain("\u0000"));
        // Flink moves dead letters between operators as Avro: the reason survives it unchanged.
        assertThat(DeadLetter.fromByteBuffer(d.toByteBuffer())).isEqualTo(d);
    }

    private static void checkTouchpoint(FuzzedRecords.Input in, Touchpoint t) throws Exception {
        for (String s : new String[] {t.getEventId(), t.getAccountId(), t.getUserId(), t.getSource(), t.getType()}) {
            if (s != null) {
                assertThat(StorableText.violationAt(s, false)).as("storable: " + s).isEqualTo(-1);
            }
        }
        t.getAttributes().forEach((k, v) -> {
            assertThat(StorableText.violationAt(k, false)).isEqualTo(-1);
            assertThat(StorableText.violationAt(v, true)).isEqualTo(-1);
        });
        // Lossless through both wire formats: what a late record or a replay carries is the same touchpoint.
        byte[] json = TouchpointJson.toJson(t);
        assertThat(PARSER.parse(InputFormat.JSON, "t", 0, 0, 0, null, json).getTouchpoint()).isEqualTo(t);
        assertThat(PARSER.parse(InputFormat.AVRO, "t", 0, 0, 0, null, bytes(t.toByteBuffer())).getTouchpoint()).isEqualTo(t);

        ProducerRecord<byte[], byte[]> late =
                new LateTouchpointSerializer("late", MAX_REQUEST_SIZE).serialize(new LateTouchpoint("behind_watermark", null, t), null, null);
        assertThat(ProducerRecordSize.of(late)).isLessThanOrEqualTo(MAX_REQUEST_SIZE);
        assertThat(new String(late.key(), StandardCharsets.UTF_8)).isEqualTo(t.getAccountId());
        if (late.headers().lastHeader(DeadLetterSerializer.HEADER_TRUNCATED) == null) {
            assertThat(late.value()).isEqualTo(json);
        }
    }

    /** AssertJ prints whole arrays: a padded record's would bury the seed. */
    private static String firstChars(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n) + "...";
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
