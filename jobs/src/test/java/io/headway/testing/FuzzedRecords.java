package io.headway.testing;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointVocabulary;
import io.headway.schema.Touchpoint;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * jqwik generators of input records: valid touchpoints (JSON written here, so that anything can be
 * put into it, or Avro single-object encoding) and mutations of them — bytes, encodings, sizes,
 * nesting, numbers, timestamps, ids. Accounts, event ids and times come from small pools near
 * {@link Fixtures#DAY_0}, so duplicates and late records occur as well as dead letters.
 */
public final class FuzzedRecords {

    /** One Kafka record value and the wire format of the topic it arrives on. */
    public record Input(InputFormat format, byte[] value, String description) {
        @Override
        public String toString() {
            return format + " " + value.length + " bytes: " + description;
        }
    }

    /** Strings that have broken parsers, encoders or databases somewhere. */
    static final List<String> NASTY =
            List.of(
                    "", " ", "\u0000", "ac\u0000me", "\ud800", "a\udc00b", "\ud83d", "\ude00\ud83d", "\ud83d\ude00",
                    "\t", "line\nbreak", "\r\n", "\u001b[31m", "\u007f", "\u0085", "\u00a0", "\u200b", "\u2028", "\u202e",
                    "\ufeff", "\ufffd", "\uffff", "caf\u00e9", "\u5317\u4eac", "'; DROP TABLE dead_letters; --", "\\", "\"",
                    "%s%n", "null", "x".repeat(256), "x".repeat(257), "\u00e9".repeat(300));

    static final List<String> NASTY_NUMBERS =
            List.of(
                    "0", "-0", "-0.0", "1e309", "-1e309", "1e-400", "4.9e-324", "NaN", "Infinity", "-Infinity",
                    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999",
                    "1.5", "0x10", "01", "1_000", "\"1\"", "true", "null", "[]", "{}", "1".repeat(1200));

    static final List<String> NASTY_TIMESTAMPS =
            List.of(
                    "0", "-1", "1759622400000.5", "\"2026-10-06T00:00:00Z\"", "\"2026-10-06T00:00:00+02:00\"",
                    "\"2026-10-06\"", "\"+1000000000-01-01T00:00:00Z\"", "\"-999999999-01-01T00:00:00Z\"",
                    "\"2026-13-40T99:99:99Z\"", "\"\"", "\"\\u0000\"", "9223372036854775807", "-9223372036854775808",
                    "253402300800000", "null", "{}");

    private static final long DAY_0 = Fixtures.millis(Fixtures.DAY_0);

    private FuzzedRecords() {}

    /** Valid and mutated records; {@code maxPadding} bounds the size mutations. */
    public static Arbitrary<Input> inputs(int maxPadding) {
        return Arbitraries.frequencyOf(
                Tuple.of(25, validJson()),
                Tuple.of(10, validAvro()),
                Tuple.of(15, nastyField()),
                Tuple.of(15, byteMutation(validJson())),
                Tuple.of(5, byteMutation(validAvro())),
                Tuple.of(8, reencoded()),
                Tuple.of(8, nastyNumber()),
                Tuple.of(5, nesting()),
                Tuple.of(4, padded(maxPadding)),
                Tuple.of(5, nastyAvro()));
    }

    // ------------------------------------------------------------------ valid touchpoints

    static Arbitrary<Touchpoint> touchpoints() {
        Arbitrary<String> accounts = Arbitraries.of("acme", "globex", "initech", "umbrella", "hooli");
        Arbitrary<Integer> eventNumbers = Arbitraries.integers().between(1, 60);
        Arbitrary<Long> minutes = Arbitraries.longs().between(0, Duration.ofDays(28).toMinutes());
        Arbitrary<Integer> kinds = Arbitraries.integers().between(0, TouchpointVocabulary.TYPES.size() - 1);
        Arbitrary<Double> values = Arbitraries.doubles().between(-1e6, 1e6).injectNull(0.5);
        Arbitrary<Map<String, String>> attributes =
                Arbitraries.maps(Arbitraries.of("feature", "ticket_id", "goal_id", "milestone", "note"), Arbitraries.strings().ofMaxLength(12))
                        .ofMaxSize(3);
        return Combinators.combine(accounts, eventNumbers, minutes, kinds, values, attributes)
                .as((account, n, minute, kind, value, attrs) ->
                        new Touchpoint(
                                account + "-e" + n,
                                account,
                                n % 3 == 0 ? "u" + n : null,
                                DAY_0 + Duration.ofMinutes(minute).toMillis(),
                                TouchpointVocabulary.SOURCES.get(kind % TouchpointVocabulary.SOURCES.size()),
                                TouchpointVocabulary.TYPES.get(kind),
                                value,
                                new HashMap<>(attrs)));
    }

    static Arbitrary<Input> validJson() {
        return Combinators.combine(touchpoints(), Arbitraries.of(false, true))
                .as((t, escapeAll) -> new Input(InputFormat.JSON, json(fields(t), escapeAll), "valid json"));
    }

    static Arbitrary<Input> validAvro() {
        return touchpoints().map(t -> new Input(InputFormat.AVRO, avro(t), "valid avro"));
    }

    // ------------------------------------------------------------------ mutations

    static Arbitrary<Input> nastyField() {
        Arbitrary<String> field = Arbitraries.of("event_id", "account_id", "user_id", "source", "type", "attribute name", "attribute value");
        Arbitrary<String> nasty = Arbitraries.oneOf(Arbitraries.of(NASTY), Arbitraries.strings().all().ofMaxLength(8));
        return Combinators.combine(touchpoints(), field, nasty, Arbitraries.of(false, true))
                .as((t, f, s, escapeAll) -> {
                    Map<String, Object> fields = fields(t);
                    if (f.equals("attribute name")) {
                        attributes(fields).put(s, "v");
                    } else if (f.equals("attribute value")) {
                        attributes(fields).put("note", s);
                    } else {
                        fields.put(f, s);
                    }
                    return new Input(InputFormat.JSON, json(fields, escapeAll), f + " = " + printable(s));
                });
    }

    static Arbitrary<Input> nastyAvro() {
        Arbitrary<String> nasty = Arbitraries.oneOf(Arbitraries.of(NASTY), Arbitraries.strings().all().ofMaxLength(8));
        return Combinators.combine(touchpoints(), nasty, Arbitraries.integers().between(0, 2))
                .as((t, s, where) -> {
                    Touchpoint copy = Touchpoint.newBuilder(t).build();
                    if (where == 0) {
                        copy.setAccountId(s);
                    } else if (where == 1) {
                        copy.setEventId(s);
                    } else {
                        copy.getAttributes().put("note", s);
                    }
                    return new Input(InputFormat.AVRO, avro(copy), "avro field " + where + " = " + printable(s));
                });
    }

    static Arbitrary<Input> byteMutation(Arbitrary<Input> valid) {
        Arbitrary<UnaryOperator<byte[]>> flip =
                Combinators.combine(Arbitraries.integers().between(0, 1 << 16), Arbitraries.bytes())
                        .as((pos, b) -> v -> {
                            byte[] c = v.clone();
                            if (c.length > 0) {
                                c[pos % c.length] = b;
                            }
                            return c;
                        });
        Arbitrary<byte[]> inserts =
                Arbitraries.oneOf(
                        Arbitraries.of(
                                new byte[] {0}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0x80},
                                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                                new byte[] {(byte) 0xFE, (byte) 0xFF}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                                new byte[] {'"'}, new byte[] {'\\'}, new byte[] {'{'}, new byte[] {'}'}, new byte[] {','},
                                new byte[] {'\\', 'u', '0', '0', '0', '0'}, new byte[] {'\\', 'u', 'd', '8', '0', '0'}),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4));
        Arbitrary<UnaryOperator<byte[]>> insert =
                Combinators.combine(Arbitraries.integers().between(0, 1 << 16), inserts)
                        .as((pos, ins) -> v -> {
                            int at = v.length == 0 ? 0 : pos % (v.length + 1);
                            byte[] c = new byte[v.length + ins.length];
                            System.arraycopy(v, 0, c, 0, at);
                            System.arraycopy(ins, 0, c, at, ins.length);
                            System.arraycopy(v, at, c, at + ins.length, v.length - at);
                            return c;
                        });
        Arbitrary<UnaryOperator<byte[]>> delete =
                Combinators.combine(Arbitraries.integers().between(0, 1 << 16), Arbitraries.integers().between(1, 16))
                        .as((pos, n) -> v -> {
                            if (v.length == 0) {
                                return v;
                            }
                            int at = pos % v.length;
                            int len = Math.min(n, v.length - at);
                            byte[] c = new byte[v.length - len];
                            System.arraycopy(v, 0, c, 0, at);
                            System.arraycopy(v, at + len, c, at, v.length - at - len);
                            return c;
                        });
        Arbitrary<UnaryOperator<byte[]>> truncate =
                Arbitraries.integers().between(0, 1 << 16).map(pos -> v -> java.util.Arrays.copyOf(v, v.length == 0 ? 0 : pos % v.length));
        Arbitrary<List<UnaryOperator<byte[]>>> mutations =
                Arbitraries.oneOf(flip, insert, delete, truncate).list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(valid, mutations)
                .as((in, ms) -> {
                    byte[] v = in.value();
                    for (UnaryOperator<byte[]> m : ms) {
                        v = m.apply(v);
                    }
                    return new Input(in.format(), v, in.description() + ", " + ms.size() + " byte mutations");
                });
    }

    static Arbitrary<Input> reencoded() {
        Arbitrary<Charset> charsets =
                Arbitraries.of(
                        StandardCharsets.UTF_16, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
                        Charset.forName("UTF-32"), Charset.forName("UTF-32LE"), StandardCharsets.ISO_8859_1,
                        Charset.forName("windows-1252"));
        return Combinators.combine(touchpoints(), charsets, Arbitraries.of("acme", "caf\u00e9", "\u00c5sa"))
                .as((t, cs, account) -> {
                    Map<String, Object> fields = fields(t);
                    fields.put("account_id", account);
                    return new Input(InputFormat.JSON, json(fields, false, cs), "encoded as " + cs.name());
                });
    }

    static Arbitrary<Input> nastyNumber() {
        return Combinators.combine(touchpoints(), Arbitraries.of("value", "occurred_at"), Arbitraries.of(NASTY_NUMBERS), Arbitraries.of(NASTY_TIMESTAMPS))
                .as((t, field, number, timestamp) -> {
                    Map<String, Object> fields = fields(t);
                    String raw = field.equals("value") ? number : timestamp;
                    fields.put(field, new Raw(raw));
                    return new Input(InputFormat.JSON, json(fields, false), field + " = " + raw);
                });
    }

    static Arbitrary<Input> nesting() {
        Arbitrary<Integer> depth = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.integers().between(1, 50)), Tuple.of(1, Arbitraries.integers().between(900, 3000)));
        return Combinators.combine(touchpoints(), depth, Arbitraries.of("extra", "attributes", "value", "account_id"))
                .as((t, d, field) -> {
                    Map<String, Object> fields = fields(t);
                    fields.put(field, new Raw("[".repeat(d) + "{\"a\":1}" + "]".repeat(d)));
                    return new Input(InputFormat.JSON, json(fields, false), field + " nested " + d + " deep");
                });
    }

    /** A valid touchpoint padded to a size around the limits that matter. */
    static Arbitrary<Input> padded(int maxPadding) {
        Arbitrary<Integer> sizes =
                Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.integers().between(0, Math.min(maxPadding, 20_000))),
                        Tuple.of(1, Arbitraries.integers().between(Math.max(0, maxPadding - 50), maxPadding)));
        return Combinators.combine(touchpoints(), sizes, Arbitraries.of("x", "\u00e9", "\"", "\\n", "\ud83d\ude00"))
                .as((t, size, unit) -> {
                    Map<String, Object> fields = fields(t);
                    attributes(fields).put("note", unit.repeat(Math.max(0, size / Math.max(1, unit.getBytes(StandardCharsets.UTF_8).length))));
                    return new Input(InputFormat.JSON, json(fields, false), "padded with " + size + " bytes of " + printable(unit));
                });
    }

    // ------------------------------------------------------------------ writing

    /** A JSON value written verbatim. */
    record Raw(String text) {}

    static Map<String, Object> fields(Touchpoint t) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("event_id", t.getEventId());
        f.put("account_id", t.getAccountId());
        if (t.getUserId() != null) {
            f.put("user_id", t.getUserId());
        }
        f.put("occurred_at", new Raw(Long.toString(t.getOccurredAt())));
        f.put("source", t.getSource());
        f.put("type", t.getType());
        if (t.getValue() != null) {
            f.put("value", new Raw(Double.toString(t.getValue())));
        }
        f.put("attributes", new LinkedHashMap<>(t.getAttributes()));
        return f;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> attributes(Map<String, Object> fields) {
        Object a = fields.get("attributes");
        if (a instanceof Map) {
            return (Map<String, String>) a;
        }
        Map<String, String> fresh = new LinkedHashMap<>();
        fields.put("attributes", fresh);
        return fresh;
    }

    static byte[] json(Map<String, Object> fields, boolean escapeAll) {
        return json(fields, escapeAll, StandardCharsets.UTF_8);
    }

    /**
     * JSON written by hand, not by Jackson: a lone surrogate becomes a {@code \\uXXXX} escape (as a
     * producer in another language would write it) instead of an encoder error.
     */
    static byte[] json(Map<String, Object> fields, boolean escapeAll, Charset charset) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            string(b, e.getKey(), escapeAll);
            b.append(':');
            value(b, e.getValue(), escapeAll);
        }
        String text = b.append('}').toString();
        return text.getBytes(charset);
    }

    private static void value(StringBuilder b, Object v, boolean escapeAll) {
        if (v instanceof Raw) {
            b.append(((Raw) v).text());
        } else if (v instanceof Map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(b, (String) e.getKey(), escapeAll);
                b.append(':');
                string(b, (String) e.getValue(), escapeAll);
            }
            b.append('}');
        } else {
            string(b, (String) v, escapeAll);
        }
    }

    private static void string(StringBuilder b, String s, boolean escapeAll) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || (escapeAll && c > 0x7e) || (Character.isSurrogate(c) && !pair)) {
                b.append(String.format("\\u%04x", (int) c));
            } else if (pair && !escapeAll) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    static byte[] avro(Touchpoint t) {
        try {
            ByteBuffer b = t.toByteBuffer();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return b.length() > 40 ? b.substring(0, 40) + "..." : b.toString();
    }
}
