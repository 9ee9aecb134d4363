package io.headway.ingest;

import static io.headway.ingest.TouchpointParserTest.accepted;
import static io.headway.ingest.TouchpointParserTest.bytes;
import static io.headway.ingest.TouchpointParserTest.rejected;
import static io.headway.testing.Fixtures.DAY_1;
import static io.headway.testing.Fixtures.featureUsed;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.DeadLetter;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;
import io.headway.testing.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

/** The encoding rules: UTF-8 only, decoded strictly, and no text an output cannot store unchanged. */
class EncodingRulesTest {

    private static final String VALID =
            "{\"event_id\":\"e1\",\"account_id\":\"acme\",\"user_id\":\"u1\",\"occurred_at\":"
                    + Fixtures.millis(DAY_1)
                    + ",\"source\":\"product\",\"type\":\"feature_used\",\"value\":1.5,"
                    + "\"attributes\":{\"feature\":\"reports\"}}";

    private final TouchpointParser parser = Fixtures.parser();

    static Stream<Arguments> badText() {
        return Stream.of(
                Arguments.of("NUL escape in account_id", VALID.replace("\"acme\"", "\"ac\\u0000me\""), DeadLetterReason.CONTROL_CHARACTER, "account_id contains the control character U+0000 at index 2"),
                Arguments.of("NUL escape in event_id", VALID.replace("\"e1\"", "\"e\\u00001\""), DeadLetterReason.CONTROL_CHARACTER, "event_id"),
                Arguments.of("NUL escape in user_id", VALID.replace("\"u1\"", "\"u\\u0000\""), DeadLetterReason.CONTROL_CHARACTER, "user_id"),
                Arguments.of("tab in account_id", VALID.replace("\"acme\"", "\"ac\\tme\""), DeadLetterReason.CONTROL_CHARACTER, "U+0009"),
                Arguments.of("line feed in event_id", VALID.replace("\"e1\"", "\"e1\\n\""), DeadLetterReason.CONTROL_CHARACTER, "U+000A"),
                Arguments.of("escape character in account_id", VALID.replace("\"acme\"", "\"\\u001bacme\""), DeadLetterReason.CONTROL_CHARACTER, "U+001B"),
                Arguments.of("DEL in account_id", VALID.replace("\"acme\"", "\"acme\\u007f\""), DeadLetterReason.CONTROL_CHARACTER, "U+007F"),
                Arguments.of("C1 control in account_id", VALID.replace("\"acme\"", "\"acme\\u0085\""), DeadLetterReason.CONTROL_CHARACTER, "U+0085"),
                Arguments.of("NUL in source", VALID.replace("\"product\"", "\"product\\u0000\""), DeadLetterReason.CONTROL_CHARACTER, "source"),
                Arguments.of("NUL in type", VALID.replace("\"feature_used\"", "\"feature_used\\u0000\""), DeadLetterReason.CONTROL_CHARACTER, "type"),
                Arguments.of("NUL in attribute name", VALID.replace("\"feature\":", "\"feat\\u0000ure\":"), DeadLetterReason.CONTROL_CHARACTER, "an attribute name"),
                Arguments.of("tab in attribute name", VALID.replace("\"feature\":", "\"feat\\ture\":"), DeadLetterReason.CONTROL_CHARACTER, "an attribute name"),
                Arguments.of("NUL in attribute value", VALID.replace("\"reports\"", "\"rep\\u0000orts\""), DeadLetterReason.CONTROL_CHARACTER, "attributes.feature"),
                Arguments.of("bell in attribute value", VALID.replace("\"reports\"", "\"rep\\u0007orts\""), DeadLetterReason.CONTROL_CHARACTER, "U+0007"),
                Arguments.of("lone high surrogate in account_id", VALID.replace("\"acme\"", "\"ac\\ud800me\""), DeadLetterReason.UNPAIRED_SURROGATE, "account_id contains the unpaired surrogate U+D800 at index 2"),
                Arguments.of("lone low surrogate in event_id", VALID.replace("\"e1\"", "\"\\udc00e1\""), DeadLetterReason.UNPAIRED_SURROGATE, "event_id"),
                Arguments.of("high surrogate at the end", VALID.replace("\"acme\"", "\"acme\\ud83d\""), DeadLetterReason.UNPAIRED_SURROGATE, "U+D83D"),
                Arguments.of("reversed pair in attribute value", VALID.replace("\"reports\"", "\"\\ude00\\ud83d\""), DeadLetterReason.UNPAIRED_SURROGATE, "attributes.feature"),
                Arguments.of("lone surrogate in attribute name", VALID.replace("\"feature\":", "\"\\ud800\":"), DeadLetterReason.UNPAIRED_SURROGATE, "an attribute name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badText")
    void shouldDeadLetterTextNoOutputCanStore(String name, String json, DeadLetterReason reason, String detail) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        DeadLetter dl = rejected(json(bytes));

        assertThat(dl.getReasonCode()).isEqualTo(reason.name());
        assertThat(dl.getReason()).contains(detail);
        assertThat(bytes(dl.getPayload())).isEqualTo(bytes);
    }

    @Test
    void shouldAcceptTabsLineBreaksAndSurrogatePairsInAttributeValues() {
        Touchpoint t = accepted(json(VALID.replace("\"reports\"", "\"line 1\\r\\nline\\t2 \\ud83d\\ude00 caf\u00e9\"").getBytes(StandardCharsets.UTF_8)));

        assertThat(t.getAttributes().get("feature")).isEqualTo("line 1\r\nline\t2 \ud83d\ude00 caf\u00e9");
    }

    @Test
    void shouldAcceptNonAsciiUtf8InIds() {
        Touchpoint t = accepted(json(VALID.replace("\"acme\"", "\"caf\u00e9-\u5317\u4eac-\ud83d\ude00\"").getBytes(StandardCharsets.UTF_8)));

        assertThat(t.getAccountId()).isEqualTo("caf\u00e9-\u5317\u4eac-\ud83d\ude00");
    }

    @Test
    void shouldDeadLetterARawNulByte() {
        byte[] bytes = VALID.replace("\"acme\"", "\"ac\u0000me\"").getBytes(StandardCharsets.UTF_8);

        DeadLetter dl = rejected(json(bytes));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.CONTROL_CHARACTER.name());
        assertThat(dl.getReason()).isEqualTo("NUL byte at offset " + (VALID.indexOf("\"acme\"") + 3));
    }

    static Stream<Arguments> wideEncodings() {
        return Stream.of(
                Arguments.of("UTF-16 with BOM", StandardCharsets.UTF_16, "byte-order mark"),
                Arguments.of("UTF-16BE without BOM", StandardCharsets.UTF_16BE, "NUL bytes between characters"),
                Arguments.of("UTF-16LE without BOM", StandardCharsets.UTF_16LE, "NUL bytes between characters"),
                Arguments.of("UTF-32BE without BOM", Charset.forName("UTF-32BE"), "NUL bytes between characters"),
                Arguments.of("UTF-32LE without BOM", Charset.forName("UTF-32LE"), "NUL bytes between characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wideEncodings")
    void shouldDeadLetterUtf16AndUtf32(String name, Charset charset, String detail) {
        byte[] bytes = VALID.getBytes(charset);

        DeadLetter dl = rejected(json(bytes));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.UTF16_ENCODING.name());
        assertThat(dl.getReason()).contains(detail);
        assertThat(bytes(dl.getPayload())).isEqualTo(bytes);
    }

    @Test
    void shouldDeadLetterLittleEndianUtf16WithBom() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xFF);
        b.write(0xFE);
        b.writeBytes(VALID.getBytes(StandardCharsets.UTF_16LE));

        assertThat(rejected(json(b.toByteArray())).getReasonCode()).isEqualTo(DeadLetterReason.UTF16_ENCODING.name());
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of("Latin-1 byte", new byte[] {(byte) 0xE9}),
                Arguments.of("encoded surrogate (CESU-8)", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                Arguments.of("overlong slash", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                Arguments.of("overlong NUL", new byte[] {(byte) 0xC0, (byte) 0x80}),
                Arguments.of("beyond U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
                Arguments.of("lone continuation byte", new byte[] {(byte) 0x80}),
                Arguments.of("truncated sequence", new byte[] {(byte) 0xE2, (byte) 0x82}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void shouldDeadLetterInvalidUtf8InsideAString(String name, byte[] sequence) {
        byte[] bytes = splice(VALID, "\"acme\"", 3, sequence);

        DeadLetter dl = rejected(json(bytes));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_ENCODING.name());
        assertThat(dl.getReason()).startsWith("not UTF-8: invalid byte sequence at offset " + (VALID.indexOf("\"acme\"") + 3));
        assertThat(bytes(dl.getPayload())).isEqualTo(bytes);
    }

    @Test
    void shouldIgnoreAUtf8ByteOrderMark() {
        byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);

        assertThat(accepted(json(bytes)).getAccountId()).isEqualTo("acme");
    }

    @Test
    void shouldDeadLetterAvroWithInvalidUtf8InAString() throws Exception {
        Touchpoint t = featureUsed("acme", DAY_1);
        t.setAccountId("ac\u00e9e");
        byte[] bytes = bytes(t.toByteBuffer());
        // é is C3 A9 in UTF-8; C3 28 is a malformed sequence Avro would decode as U+FFFD silently.
        int at = indexOf(bytes, new byte[] {(byte) 0xC3, (byte) 0xA9});
        bytes[at + 1] = 0x28;

        DeadLetter dl = rejected(parser.parse(InputFormat.AVRO, "t", 0, 1, 1L, null, bytes));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_ENCODING.name());
    }

    @Test
    void shouldAcceptAvroWithAGenuineReplacementCharacter() throws Exception {
        Touchpoint t = featureUsed("acme", DAY_1);
        t.setAttributes(Map.of("feature", "unknown \ufffd glyph"));

        assertThat(accepted(parser.parse(InputFormat.AVRO, "t", 0, 1, 1L, null, bytes(t.toByteBuffer()))).getAttributes())
                .containsEntry("feature", "unknown \ufffd glyph");
    }

    @Test
    void shouldDeadLetterAvroWithNulInAnId() throws Exception {
        Touchpoint t = featureUsed("ac\u0000me", DAY_1);

        DeadLetter dl = rejected(parser.parse(InputFormat.AVRO, "t", 0, 1, 1L, null, bytes(t.toByteBuffer())));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.CONTROL_CHARACTER.name());
        assertThat(dl.getReason()).contains("the control character U+0000");
    }

    @Test
    void shouldKeepTheDeadLetterReasonStorableWhenItQuotesBadInput() {
        // An unreadable occurred_at is quoted in the reason; its NUL and lone surrogate must not be.
        byte[] bytes =
                VALID.replace("\"occurred_at\":" + Fixtures.millis(DAY_1), "\"occurred_at\":\"2026\\u0000\\ud800\"")
                        .getBytes(StandardCharsets.UTF_8);

        DeadLetter dl = rejected(json(bytes));

        assertThat(dl.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_VALUE.name());
        assertThat(dl.getReason()).endsWith("2026\\u0000\\ud800");
        assertThat(StorableText.violationAt(dl.getReason(), false)).isEqualTo(-1);
    }

    @Test
    void shouldWriteControlCharactersAndLoneSurrogatesOfAReasonAsEscapes() {
        assertThat(StorableText.printable("a\u0000b\ud800c\ud83d\ude00")).isEqualTo("a\\u0000b\\ud800c\ud83d\ude00");
    }

    private IngestedRecord json(byte[] bytes) {
        return parser.parse(InputFormat.JSON, "touchpoints", 0, 0L, 0L, null, bytes);
    }

    private static byte[] splice(String text, String marker, int offset, byte[] sequence) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int at = text.indexOf(marker) + offset;
        byte[] out = new byte[utf8.length + sequence.length];
        System.arraycopy(utf8, 0, out, 0, at);
        System.arraycopy(sequence, 0, out, at, sequence.length);
        System.arraycopy(utf8, at, out, at + sequence.length, utf8.length - at);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
