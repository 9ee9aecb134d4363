package io.headway.sink;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Small binding helpers the row binders share: event times as UTC TIMESTAMPTZ, nullable numbers, lossy text. */
final class Rows {

    private Rows() {}

    static OffsetDateTime utc(long millis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    static void setTime(PreparedStatement ps, int i, Long millis) throws SQLException {
        if (millis == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, utc(millis));
        }
    }

    static void setDouble(PreparedStatement ps, int i, Double d) throws SQLException {
        if (d == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, d);
        }
    }

    static void setLong(PreparedStatement ps, int i, Long l) throws SQLException {
        if (l == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, l);
        }
    }

    static void setText(PreparedStatement ps, int i, CharSequence s) throws SQLException {
        if (s == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, s.toString());
        }
    }

    /**
     * At most {@code maxBytes} of {@code bytes} as text: invalid UTF-8 replaced, NUL removed (a
     * PostgreSQL text value cannot hold it). Dead letters are often not valid text at all; the table
     * keeps something readable, the dead-letter topic the exact bytes.
     */
    static String lossyText(ByteBuffer bytes, int maxBytes) {
        ByteBuffer b = bytes.duplicate();
        if (b.remaining() > maxBytes) {
            b.limit(b.position() + maxBytes);
        }
        CharsetDecoder decoder =
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer chars;
        try {
            chars = decoder.decode(b);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder threw", e);
        }
        return chars.toString().replace("\u0000", "");
    }

    /**
     * {@code s} as text any sink and log line can hold: control characters (NUL included) and unpaired
     * surrogates written as {@code \\uXXXX}, cut to about {@code maxChars} (never inside a pair).
     */
    static String printable(CharSequence s, int maxChars) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), maxChars));
        int i = 0;
        for (; i < s.length() && b.length() < maxChars; i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isISOControl(c) && c != '\t' && c != '\n' || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (i < s.length()) {
            b.append('…');
        }
        return b.toString();
    }
}
