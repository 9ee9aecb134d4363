package io.headway.ingest;

import static io.headway.testing.Fixtures.DAY_1;
import static io.headway.testing.Fixtures.featureUsed;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.DeadLetter;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;
import io.headway.testing.Fixtures;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

class TouchpointParserTest {

    private static final String VALID =
            "{\"event_id\":\"e1\",\"account_id\":\"acme\",\"user_id\":\"u1\",\"occurred_at\":"
                    + Fixtures.millis(DAY_1)
                    + ",\"source\":\"product\",\"type\":\"feature_used\",\"value\":1.5,"
                    + "\"attributes\":{\"feature\":\"reports\"}}";

    private final TouchpointParser parser = Fixtures.parser();

    @Test
    void shouldAcceptAValidJsonTouchpoint() {
        Touchpoint t = accepted(parseJson(VALID.getBytes(StandardCharsets.UTF_8)));

        assertThat(t.getEventId()).isEqualTo("e1");
        assertThat(t.getAccountId()).isEqualTo("acme");
        assertThat(t.getUserId()).isEqualTo("u1");
        assertThat(t.getOccurredAt()).isEqualTo(Fixtures.millis(DAY_1));
        assertThat(t.getSource()).isEqualTo("product");
        assertThat(t.getType()).isEqualTo("feature_used");
        assertThat(t.getValue()).isEqualTo(1.5);
        assertThat(t.getAttributes()).containsEntry("feature", "reports");
    }

    @Test
    void shouldAcceptAnIsoInstantAndIgnoreUnknownFields() {
        Touchpoint t =
                accepted(
                        parseJson(
                                ("{\"event_id\":\"e1\",\"account_id\":\"acme\",\"occurred_at\":\"" + DAY_1
                                                + "\",\"source\":\"support\",\"type\":\"ticket_opened\","
                                                + "\"schema_version\":3,\"extra\":{\"nested\":[1,2]}}")
                                        .getBytes(StandardCharsets.UTF_8)));

        assertThat(t.getOccurredAt()).isEqualTo(Fixtures.millis(DAY_1));
        assertThat(t.getUserId()).isNull();
        assertThat(t.getValue()).isNull();
        assertThat(t.getAttributes()).isEmpty();
    }

    @Test
    void shouldRoundTripTheJsonItWrites() {
        Touchpoint original = featureUsed("acme", DAY_1);

        assertThat(accepted(parseJson(TouchpointJson.toJson(original)))).isEqualTo(original);
    }

    @Test
    void shouldAcceptAvroSingleObjectEncoding() throws Exception {
        Touchpoint original = featureUsed("acme", DAY_1);
        byte[] bytes = bytes(original.toByteBuffer());

        IngestedRecord r = parser.parse(InputFormat.AVRO, "t", 0, 7, 1L, null, bytes);

        assertThat(accepted(r)).isEqualTo(original);
    }

    static Stream<Arguments> malformedJson() {
        long day1 = Fixtures.millis(DAY_1);
        long tenYearsAgo = day1 - Duration.ofDays(3650).toMillis();
        long tenYearsAhead = day1 + Duration.ofDays(3650).toMillis();
        return Stream.of(
                Arguments.of("empty", "", DeadLetterReason.EMPTY_PAYLOAD, "empty"),
                Arguments.of("truncated", "{\"event_id\":\"e1\",", DeadLetterReason.INVALID_JSON, ""),
                Arguments.of("not json", "hello world", DeadLetterReason.INVALID_JSON, ""),
                Arguments.of("trailing", VALID + " {}", DeadLetterReason.INVALID_JSON, "trailing"),
                Arguments.of(
                        "duplicate field",
                        VALID.replace("{\"event_id\":\"e1\",", "{\"event_id\":\"e1\",\"event_id\":\"e2\","),
                        DeadLetterReason.INVALID_JSON,
                        "Duplicate field"),
                Arguments.of("array", "[1,2,3]", DeadLetterReason.NOT_AN_OBJECT, "not a JSON object"),
                Arguments.of("string", "\"touchpoint\"", DeadLetterReason.NOT_AN_OBJECT, "not a JSON object"),
                Arguments.of(
                        "missing event_id",
                        VALID.replace("\"event_id\":\"e1\",", ""),
                        DeadLetterReason.MISSING_FIELD,
                        "event_id is missing"),
                Arguments.of(
                        "missing account_id",
                        VALID.replace("\"account_id\":\"acme\",", ""),
                        DeadLetterReason.MISSING_FIELD,
                        "account_id is missing"),
                Arguments.of(
                        "missing occurred_at",
                        VALID.replace("\"occurred_at\":" + day1 + ",", ""),
                        DeadLetterReason.MISSING_FIELD,
                        "occurred_at is missing"),
                Arguments.of(
                        "missing type",
                        VALID.replace("\"type\":\"feature_used\",", ""),
                        DeadLetterReason.MISSING_FIELD,
                        "type is missing"),
                Arguments.of(
                        "numeric account",
                        VALID.replace("\"account_id\":\"acme\"", "\"account_id\":42"),
                        DeadLetterReason.WRONG_TYPE,
                        "account_id must be a string, was a number"),
                Arguments.of(
                        "boolean timestamp",
                        VALID.replace("\"occurred_at\":" + day1, "\"occurred_at\":true"),
                        DeadLetterReason.WRONG_TYPE,
                        "occurred_at"),
                Arguments.of(
                        "fractional timestamp",
                        VALID.replace("\"occurred_at\":" + day1, "\"occurred_at\":1.5"),
                        DeadLetterReason.WRONG_TYPE,
                        "occurred_at"),
                Arguments.of(
                        "unparseable date",
                        VALID.replace("\"occurred_at\":" + day1, "\"occurred_at\":\"yesterday\""),
                        DeadLetterReason.INVALID_VALUE,
                        "ISO-8601"),
                Arguments.of(
                        "string value",
                        VALID.replace("\"value\":1.5", "\"value\":\"high\""),
                        DeadLetterReason.WRONG_TYPE,
                        "value must be a number"),
                Arguments.of(
                        "attributes array",
                        VALID.replace("{\"feature\":\"reports\"}", "[\"reports\"]"),
                        DeadLetterReason.WRONG_TYPE,
                        "attributes must be an object"),
                Arguments.of(
                        "numeric attribute",
                        VALID.replace("{\"feature\":\"reports\"}", "{\"seats\":5}"),
                        DeadLetterReason.WRONG_TYPE,
                        "attributes.seats must be a string"),
                Arguments.of(
                        "blank account",
                        VALID.replace("\"account_id\":\"acme\"", "\"account_id\":\"  \""),
                        DeadLetterReason.INVALID_VALUE,
                        "account_id is blank"),
                Arguments.of(
                        "huge id",
                        VALID.replace("\"event_id\":\"e1\"", "\"event_id\":\"" + "x".repeat(300) + "\""),
                        DeadLetterReason.INVALID_VALUE,
                        "event_id is longer than 256"),
                Arguments.of(
                        "unknown source",
                        VALID.replace("\"source\":\"product\"", "\"source\":\"marketing\""),
                        DeadLetterReason.UNKNOWN_SOURCE,
                        "source 'marketing'"),
                Arguments.of(
                        "unknown type",
                        VALID.replace("\"type\":\"feature_used\"", "\"type\":\"clicked_ad\""),
                        DeadLetterReason.UNKNOWN_TYPE,
                        "type 'clicked_ad'"),
                Arguments.of(
                        "ten years in the past",
                        VALID.replace("\"occurred_at\":" + day1, "\"occurred_at\":" + tenYearsAgo),
                        DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                        "outside"),
                Arguments.of(
                        "ten years in the future",
                        VALID.replace("\"occurred_at\":" + day1, "\"occurred_at\":" + tenYearsAhead),
                        DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                        "outside"),
                Arguments.of(
                        "timestamp beyond long",
                        VALID.replace("\"occurred_at\":" + day1, "\"occurred_at\":99999999999999999999999"),
                        DeadLetterReason.INVALID_VALUE,
                        "epoch milliseconds"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedJson")
    void shouldDeadLetterMalformedJsonWithASpecificReason(
            String name, String payload, DeadLetterReason reason, String detail) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);

        DeadLetter dl = rejected(parseJson(bytes));

        assertThat(dl.getReasonCode()).isEqualTo(reason.name());
        assertThat(dl.getReason()).contains(detail);
        assertThat(bytes(dl.getPayload())).isEqualTo(bytes);
        assertThat(dl.getPayloadSize()).isEqualTo(bytes.length);
    }

    @Test
    void shouldDeadLetterNonUtf8Bytes() {
        byte[] bytes = VALID.replace("acme", "ac\u00e9me").getBytes(StandardCharsets.ISO_8859_1);

        DeadLetter dl = rejected(parseJson(bytes));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_ENCODING.name());
        assertThat(bytes(dl.getPayload())).isEqualTo(bytes);
    }

    @Test
    void shouldDeadLetterATwoMegabytePayloadAndKeepItsHeadAndSize() {
        byte[] big = new byte[2 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');

        DeadLetter dl = rejected(parseJson(big));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE.name());
        assertThat(dl.getReason()).contains("2097152 bytes");
        assertThat(dl.getPayloadSize()).isEqualTo(big.length);
        assertThat(dl.getPayload().remaining()).isEqualTo(1 << 19);
    }

    @Test
    void shouldCutAHugeKeyInTheDeadLetter() {
        byte[] key = new byte[1 << 20];

        DeadLetter dl = rejected(parser.parse(InputFormat.JSON, "t", 0, 1, 1L, key, new byte[] {'{'}));

        assertThat(dl.getKey().remaining()).isEqualTo(TouchpointParser.MAX_DEAD_LETTER_KEY_BYTES);
    }

    @Test
    void shouldDeadLetterAvroWithAnotherSchema() {
        Schema other =
                SchemaBuilder.record("Click").namespace("com.example").fields().requiredString("url").endRecord();
        GenericRecord click = new GenericData.Record(other);
        click.put("url", "https://example.com");
        byte[] bytes;
        try {
            bytes = bytes(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), other).encode(click));
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        DeadLetter dl = rejected(parser.parse(InputFormat.AVRO, "t", 0, 1, 1L, null, bytes));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.AVRO_UNKNOWN_SCHEMA.name());
        assertThat(dl.getReason()).contains("fingerprint");
    }

    @Test
    void shouldDeadLetterJsonSentToAnAvroTopic() {
        DeadLetter dl =
                rejected(parser.parse(InputFormat.AVRO, "t", 0, 1, 1L, null, VALID.getBytes(StandardCharsets.UTF_8)));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.AVRO_BAD_HEADER.name());
    }

    @Test
    void shouldDeadLetterTruncatedAvro() {
        byte[] full = bytes(featureUsedBuffer());
        byte[] truncated = Arrays.copyOf(full, full.length - 5);

        DeadLetter dl = rejected(parser.parse(InputFormat.AVRO, "t", 0, 1, 1L, null, truncated));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.AVRO_DECODE_ERROR.name());
    }

    @Test
    void shouldValidateAvroFieldsLikeJson() {
        Touchpoint unknownSource = featureUsed("acme", DAY_1);
        unknownSource.setSource("marketing");

        DeadLetter dl = rejected(parser.parse(InputFormat.AVRO, "t", 0, 1, 1L, null, bytes(buffer(unknownSource))));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.UNKNOWN_SOURCE.name());
    }

    @Test
    void shouldRecordWhereADeadLetterCameFrom() {
        byte[] key = "acme".getBytes(StandardCharsets.UTF_8);

        DeadLetter dl = rejected(parser.parse(InputFormat.JSON, "touchpoints", 3, 42L, 1234L, key, new byte[] {'{'}));

        assertThat(dl.getTopic()).isEqualTo("touchpoints");
        assertThat(dl.getPartition()).isEqualTo(3);
        assertThat(dl.getOffset()).isEqualTo(42L);
        assertThat(dl.getKafkaTimestamp()).isEqualTo(1234L);
        assertThat(bytes(dl.getKey())).isEqualTo(key);
    }

    @Test
    void shouldAcceptExtraSourcesAndTypesFromConfiguration() {
        TouchpointParser extended =
                new TouchpointParser(
                        new TouchpointVocabulary(java.util.List.of("marketing"), java.util.List.of("clicked_ad")),
                        1 << 20,
                        1 << 19,
                        Duration.ofDays(1825),
                        Duration.ofDays(1),
                        Fixtures.CLOCK);
        byte[] bytes =
                VALID.replace("\"source\":\"product\"", "\"source\":\"marketing\"")
                        .replace("\"type\":\"feature_used\"", "\"type\":\"clicked_ad\"")
                        .getBytes(StandardCharsets.UTF_8);

        assertThat(accepted(extended.parse(InputFormat.JSON, "t", 0, 0, 0, null, bytes)).getSource())
                .isEqualTo("marketing");
    }

    private IngestedRecord parseJson(byte[] bytes) {
        return parser.parse(InputFormat.JSON, "touchpoints", 0, 0L, 0L, null, bytes);
    }

    static Touchpoint accepted(IngestedRecord r) {
        assertThat(r.getDeadLetter()).as("dead letter").isNull();
        return r.getTouchpoint();
    }

    static DeadLetter rejected(IngestedRecord r) {
        assertThat(r.getTouchpoint()).as("touchpoint").isNull();
        assertThat(r.getDeadLetter()).isNotNull();
        return r.getDeadLetter();
    }

    private static ByteBuffer featureUsedBuffer() {
        return buffer(featureUsed("acme", DAY_1));
    }

    private static ByteBuffer buffer(Touchpoint t) {
        try {
            return t.toByteBuffer();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
