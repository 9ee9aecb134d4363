package io.headway.testing;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointVocabulary;
import io.headway.schema.Touchpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Seeded generators of input records over a {@link Random}: valid touchpoints (JSON written here, so
 * that anything can be put into it, or Avro single-object encoding) and mutations of them — bytes,
 * encodings, sizes, nesting, numbers, timestamps, ids. Accounts, event ids and times come from small
 * pools near {@link Fixtures#DAY_0}, so duplicates and late records occur as well as dead letters.
 * The same seed gives the same records: a failure is replayed from its seed (see {@link #seed}).
 */
public final class FuzzedRecords {

    /** System property: the seed a fuzz test starts from instead of its fixed one. */
    public static final String SEED_PROPERTY = "headway.fuzz.seed";

    /** System property: how many records a per-record fuzz test tries instead of its default. */
    public static final String TRIES_PROPERTY = "headway.fuzz.tries";

    /** One Kafka record value and the wire format of the topic it arrives on. */
    public record Input(InputFormat format, byte[] value, String description) {
        @Override
        public String toString() {
            return format + " " + value.length + " bytes: " + description;
        }

        /** The value as text a failure message can carry: printable ASCII as is, a backslash doubled, every other byte as \xNN; long values cut. */
        public String escaped(int maxBytes) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < Math.min(value.length, maxBytes); i++) {
                int c = value[i] & 0xff;
                if (c == '\\') {
                    b.append("\\\\");
                } else {
                    b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
                }
            }
            return value.length > maxBytes ? b + "... (" + (value.length - maxBytes) + " more bytes)" : b.toString();
        }
    }

    /** A generator: the next value from the random source. */
    @FunctionalInterface
    interface Gen<T> {
        T next(Random r);
    }

    /** A generator that picks one of its alternatives with the given weight. */
    private record Weighted<T>(int weight, Gen<? extends T> gen) {}

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

    // ------------------------------------------------------------------ seeds

    /** The seed to run from: {@code -Dheadway.fuzz.seed=} if given, else the test's fixed one. */
    public static long seed(long fixed) {
        String s = System.getProperty(SEED_PROPERTY, "").trim();
        return s.isEmpty() ? fixed : Long.parseLong(s);
    }

    /** The number of tries: {@code -Dheadway.fuzz.tries=} if given, else the test's default. */
    public static int tries(int fixed) {
        String s = System.getProperty(TRIES_PROPERTY, "").trim();
        return s.isEmpty() ? fixed : Integer.parseInt(s);
    }

    /**
     * The random source of try {@code index} of a run from {@code seed}: each try has its own, so one
     * failing try is replayed alone and does not depend on what the tries before it drew.
     */
    public static Random random(long seed, long index) {
        return new Random(seed ^ (index * 0x9E3779B97F4A7C15L));
    }

    // ------------------------------------------------------------------ records

    /** A valid or mutated record; {@code maxPadding} bounds the size mutations. */
    public static Input input(Random r, int maxPadding) {
        return frequency(
                        w(25, FuzzedRecords::validJson),
                        w(10, FuzzedRecords::validAvro),
                        w(15, FuzzedRecords::nastyField),
                        w(15, rr -> byteMutation(rr, validJson(rr))),
                        w(5, rr -> byteMutation(rr, validAvro(rr))),
                        w(8, FuzzedRecords::reencoded),
                        w(8, FuzzedRecords::nastyNumber),
                        w(5, FuzzedRecords::nesting),
                        w(4, rr -> padded(rr, maxPadding)),
                        w(5, FuzzedRecords::nastyAvro))
                .next(r);
    }

    /** Between {@code minSize} and {@code maxSize} records of {@link #input}. */
    public static List<Input> batch(Random r, int minSize, int maxSize, int maxPadding) {
        int size = between(r, minSize, maxSize);
        List<Input> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(input(r, maxPadding));
        }
        return out;
    }

    // ------------------------------------------------------------------ valid touchpoints

    private static final List<String> ACCOUNTS = List.of("acme", "globex", "initech", "umbrella", "hooli");
    private static final List<String> ATTRIBUTE_NAMES = List.of("feature", "ticket_id", "goal_id", "milestone", "note");
    private static final long MAX_MINUTE = Duration.ofDays(28).toMinutes();

    static Touchpoint touchpoint(Random r) {
        String account = pick(r, ACCOUNTS);
        int n = between(r, 1, 60);
        long minute = r.nextInt((int) MAX_MINUTE + 1);
        int kind = r.nextInt(TouchpointVocabulary.TYPES.size());
        // Half without a value; the others with two decimals, as a producer's amounts and ratings have.
        Double value = r.nextBoolean() ? null : Math.round((r.nextDouble() * 2e6 - 1e6) * 100) / 100.0;
        Map<String, String> attributes = new HashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            attributes.put(pick(r, ATTRIBUTE_NAMES), text(r, 12, false));
        }
        return new Touchpoint(
                account + "-e" + n,
                account,
                n % 3 == 0 ? "u" + n : null,
                DAY_0 + Duration.ofMinutes(minute).toMillis(),
                TouchpointVocabulary.SOURCES.get(kind % TouchpointVocabulary.SOURCES.size()),
                TouchpointVocabulary.TYPES.get(kind),
                value,
                attributes);
    }

    static Input validJson(Random r) {
        Touchpoint t = touchpoint(r);
        return new Input(InputFormat.JSON, json(fields(t), r.nextBoolean()), "valid json");
    }

    static Input validAvro(Random r) {
        return new Input(InputFormat.AVRO, avro(touchpoint(r)), "valid avro");
    }

    // ------------------------------------------------------------------ mutations

    private static final List<String> NASTY_FIELDS =
            List.of("event_id", "account_id", "user_id", "source", "type", "attribute name", "attribute value");

    /** One of {@link #NASTY} or a short string of any UTF-16 code units (lone surrogates included), half and half. */
    static String nasty(Random r) {
        return r.nextBoolean() ? pick(r, NASTY) : text(r, 8, true);
    }

    static Input nastyField(Random r) {
        Touchpoint t = touchpoint(r);
        String f = pick(r, NASTY_FIELDS);
        String s = nasty(r);
        Map<String, Object> fields = fields(t);
        if (f.equals("attribute name")) {
            attributes(fields).put(s, "v");
        } else if (f.equals("attribute value")) {
            attributes(fields).put("note", s);
        } else {
            fields.put(f, s);
        }
        return new Input(InputFormat.JSON, json(fields, r.nextBoolean()), f + " = " + printable(s));
    }

    static Input nastyAvro(Random r) {
        Touchpoint copy = Touchpoint.newBuilder(touchpoint(r)).build();
        String s = nasty(r);
        int where = r.nextInt(3);
        if (where == 0) {
            copy.setAccountId(s);
        } else if (where == 1) {
            copy.setEventId(s);
        } else {
            copy.getAttributes().put("note", s);
        }
        return new Input(InputFormat.AVRO, avro(copy), "avro field " + where + " = " + printable(s));
    }

    /** Byte sequences that are wrong in UTF-8 or JSON: NUL, lone continuation, overlong, CESU surrogate, above U+10FFFF, BOMs, syntax, escapes. */
    private static final List<byte[]> INSERTS =
            List.of(
                    new byte[] {0}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0x80},
                    new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                    new byte[] {(byte) 0xFE, (byte) 0xFF}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                    new byte[] {'"'}, new byte[] {'\\'}, new byte[] {'{'}, new byte[] {'}'}, new byte[] {','},
                    new byte[] {'\\', 'u', '0', '0', '0', '0'}, new byte[] {'\\', 'u', 'd', '8', '0', '0'});

    private static final int MAX_POSITION = 1 << 16;

    static UnaryOperator<byte[]> flip(Random r) {
        int pos = r.nextInt(MAX_POSITION + 1);
        byte b = (byte) r.nextInt(256);
        return v -> {
            byte[] c = v.clone();
            if (c.length > 0) {
                c[pos % c.length] = b;
            }
            return c;
        };
    }

    static UnaryOperator<byte[]> insert(Random r) {
        int pos = r.nextInt(MAX_POSITION + 1);
        byte[] ins;
        if (r.nextBoolean()) {
            ins = pick(r, INSERTS);
        } else {
            ins = new byte[between(r, 1, 4)];
            r.nextBytes(ins);
        }
        return v -> {
            int at = v.length == 0 ? 0 : pos % (v.length + 1);
            byte[] c = new byte[v.length + ins.length];
            System.arraycopy(v, 0, c, 0, at);
            System.arraycopy(ins, 0, c, at, ins.length);
            System.arraycopy(v, at, c, at + ins.length, v.length - at);
            return c;
        };
    }

    static UnaryOperator<byte[]> delete(Random r) {
        int pos = r.nextInt(MAX_POSITION + 1);
        int n = between(r, 1, 16);
        return v -> {
            if (v.length == 0) {
                return v;
            }
            int at = pos % v.length;
            int len = Math.min(n, v.length - at);
            byte[] c = new byte[v.length - len];
            System.arraycopy(v, 0, c, 0, at);
            System.arraycopy(v, at + len, c, at, v.length - at - len);
            return c;
        };
    }

    static UnaryOperator<byte[]> truncate(Random r) {
        int pos = r.nextInt(MAX_POSITION + 1);
        return v -> Arrays.copyOf(v, v.length == 0 ? 0 : pos % v.length);
    }

    private static final List<Gen<UnaryOperator<byte[]>>> MUTATIONS =
            List.of(FuzzedRecords::flip, FuzzedRecords::insert, FuzzedRecords::delete, FuzzedRecords::truncate);

    /** One to three flips, inserts, deletions or truncations of a valid record's bytes. */
    static Input byteMutation(Random r, Input valid) {
        int count = between(r, 1, 3);
        byte[] v = valid.value();
        for (int i = 0; i < count; i++) {
            v = pick(r, MUTATIONS).next(r).apply(v);
        }
        return new Input(valid.format(), v, valid.description() + ", " + count + " byte mutations");
    }

    private static final List<Charset> CHARSETS =
            List.of(
                    StandardCharsets.UTF_16, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
                    Charset.forName("UTF-32"), Charset.forName("UTF-32LE"), StandardCharsets.ISO_8859_1,
                    Charset.forName("windows-1252"));

    static Input reencoded(Random r) {
        Touchpoint t = touchpoint(r);
        Charset cs = pick(r, CHARSETS);
        Map<String, Object> fields = fields(t);
        fields.put("account_id", pick(r, List.of("acme", "caf\u00e9", "\u00c5sa")));
        return new Input(InputFormat.JSON, json(fields, false, cs), "encoded as " + cs.name());
    }

    static Input nastyNumber(Random r) {
        Touchpoint t = touchpoint(r);
        String field = r.nextBoolean() ? "value" : "occurred_at";
        String raw = field.equals("value") ? pick(r, NASTY_NUMBERS) : pick(r, NASTY_TIMESTAMPS);
        Map<String, Object> fields = fields(t);
        fields.put(field, new Raw(raw));
        return new Input(InputFormat.JSON, json(fields, false), field + " = " + raw);
    }

    static Input nesting(Random r) {
        Touchpoint t = touchpoint(r);
        // Mostly shallow; one in six deeper than any parser's default nesting limit.
        int d = r.nextInt(6) < 5 ? between(r, 1, 50) : between(r, 900, 3000);
        String field = pick(r, List.of("extra", "attributes", "value", "account_id"));
        Map<String, Object> fields = fields(t);
        fields.put(field, new Raw("[".repeat(d) + "{\"a\":1}" + "]".repeat(d)));
        return new Input(InputFormat.JSON, json(fields, false), field + " nested " + d + " deep");
    }

    /** A valid touchpoint padded to a size around the limits that matter. */
    static Input padded(Random r, int maxPadding) {
        Touchpoint t = touchpoint(r);
        // One in five within 50 bytes below the bound: the payload limit is what it probes.
        int size =
                r.nextInt(5) < 4
                        ? between(r, 0, Math.min(maxPadding, 20_000))
                        : between(r, Math.max(0, maxPadding - 50), maxPadding);
        String unit = pick(r, List.of("x", "\u00e9", "\"", "\\n", "\ud83d\ude00"));
        Map<String, Object> fields = fields(t);
        attributes(fields).put("note", unit.repeat(Math.max(0, size / Math.max(1, unit.getBytes(StandardCharsets.UTF_8).length))));
        return new Input(InputFormat.JSON, json(fields, false), "padded with " + size + " bytes of " + printable(unit));
    }

    // ------------------------------------------------------------------ drawing

    private static <T> Weighted<T> w(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    @SafeVarargs
    private static <T> Gen<T> frequency(Weighted<T>... choices) {
        int total = 0;
        for (Weighted<T> c : choices) {
            total += c.weight();
        }
        int sum = total;
        return r -> {
            int x = r.nextInt(sum);
            for (Weighted<T> c : choices) {
                x -= c.weight();
                if (x < 0) {
                    return c.gen().next(r);
                }
            }
            throw new AssertionError("weights " + sum);
        };
    }

    static <T> T pick(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    /** Uniform in [lo, hi]. */
    static int between(Random r, int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    /**
     * Up to {@code maxLength} characters: any UTF-16 code unit (lone surrogates, controls and
     * noncharacters included) if {@code anyCodeUnit}, else any non-surrogate BMP character.
     */
    static String text(Random r, int maxLength, boolean anyCodeUnit) {
        int length = r.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            char c = (char) r.nextInt(Character.MAX_VALUE + 1);
            if (anyCodeUnit || !Character.isSurrogate(c)) {
                b.append(c);
            }
        }
        return b.toString();
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
