package io.headway.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The encoding rules of the touchpoint contract: what text every output (Kafka keys, JSON, Avro,
 * PostgreSQL {@code text}) can carry unchanged. PostgreSQL refuses NUL in text, and a UTF-8 encoder
 * turns a lone surrogate into '?', so a record with either would change on its way out or stop a
 * sink; it is rejected at the door instead.
 *
 * <ul>
 *   <li>Names (ids, source, type, attribute names): no control character at all (Unicode category
 *       Cc: U+0000–U+001F, DEL, U+0080–U+009F). A tab or line break in an id is always a producer bug.
 *   <li>Free text (attribute values): no control character except tab, line feed, carriage return.
 *   <li>Everywhere: no unpaired UTF-16 surrogate.
 * </ul>
 */
public final class StorableText {

    private StorableText() {}

    /** Index of the first character of {@code s} that breaks the rules, or -1. */
    public static int violationAt(String s, boolean freeText) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                continue;
            }
            if (isControl(c)) {
                if (!(freeText && (c == '\t' || c == '\n' || c == '\r'))) {
                    return i;
                }
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The reason code for the violation at {@code i}: control characters and surrogates have their own. */
    static DeadLetterReason reasonAt(String s, int i) {
        return Character.isSurrogate(s.charAt(i)) ? DeadLetterReason.UNPAIRED_SURROGATE : DeadLetterReason.CONTROL_CHARACTER;
    }

    /** E.g. "the control character U+0000 at index 3"; never the character itself. */
    static String describeAt(String s, int i) {
        char c = s.charAt(i);
        return (Character.isSurrogate(c) ? "the unpaired surrogate " : "the control character ")
                + String.format("U+%04X", (int) c)
                + " at index "
                + i;
    }

    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /**
     * {@code s} with every control character and lone surrogate written as {@code \\uXXXX}, so that a
     * dead letter's reason (which quotes the input) is itself storable text.
     */
    public static String printable(String s) {
        if (s == null || violationAt(s, false) < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                b.append(c).append(s.charAt(++i));
            } else if (isControl(c) || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Where {@code bytes} stop being UTF-8, or -1 if they are UTF-8. Decodes strictly (malformed input
     * is reported, never replaced); ASCII, the common case, is recognized without decoding.
     */
    static int invalidUtf8At(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++;
        }
        if (i == bytes.length) {
            return -1;
        }
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.min(bytes.length, 8192));
        while (true) {
            java.nio.charset.CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                return in.position();
            }
            if (r.isUnderflow()) {
                r = decoder.flush(out);
                return r.isError() ? in.position() : -1;
            }
            out.clear();
        }
    }

    /** Strictly decoded UTF-8; throws on anything else. */
    static String decodeStrictly(ByteBuffer bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes)
                .toString();
    }
}
