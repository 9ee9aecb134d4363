package io.headway.generator;

import io.headway.ingest.InputFormat;
import io.headway.schema.Touchpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a valid touchpoint into broken bytes of a given {@link Malformation}. The broken record is
 * built from a real upcoming event, so it carries a plausible account and time, the way a buggy
 * producer's output would. No variant contains a newline byte: a JSON-lines file must keep one
 * record per line.
 */
public final class MalformedRecords {

    private static final JsonFactory JSON = new JsonFactory();
    private static final long TEN_YEARS = 3653L * AccountSimulation.DAY;
    private static final String[] UNKNOWN_SOURCES = {"crm", "Product", "billing_v2", "support "};
    private static final String[] UNKNOWN_TYPES = {"page_viewed", "Login", "feature-used", "ticket_closed"};
    private static final String[] REQUIRED = {"event_id", "account_id", "occurred_at", "source", "type"};
    private static final byte[][] NOT_UTF8 = {
        {(byte) 0xFF}, {(byte) 0xC3, (byte) 0x28}, {(byte) 0xE9, 'x', 'y'}
    };

    private MalformedRecords() {}

    public static byte[] create(Malformation kind, Touchpoint valid, InputFormat format, SplittableRandom rnd) {
        Touchpoint t = copy(valid);
        // A distinct id: nothing broken may ever collide with the id of the valid event that follows.
        t.setEventId(valid.getEventId() + "-bad");
        switch (kind) {
            case UNKNOWN_SOURCE:
                t.setSource(UNKNOWN_SOURCES[rnd.nextInt(UNKNOWN_SOURCES.length)]);
                return encode(t, format);
            case UNKNOWN_TYPE:
                t.setType(UNKNOWN_TYPES[rnd.nextInt(UNKNOWN_TYPES.length)]);
                return encode(t, format);
            case BLANK_ID:
                if (rnd.nextBoolean()) {
                    t.setEventId(rnd.nextBoolean() ? "" : "   ");
                } else {
                    t.setAccountId(" ");
                }
                return encode(t, format);
            case TIMESTAMP_TEN_YEARS_OFF:
                t.setOccurredAt(t.getOccurredAt() + (rnd.nextBoolean() ? TEN_YEARS : -TEN_YEARS));
                if (format == InputFormat.JSON && rnd.nextBoolean()) {
                    return json(t, Map.of("occurred_at", Instant.ofEpochMilli(t.getOccurredAt()).toString()), null);
                }
                return encode(t, format);
            case INVALID_JSON:
                return invalidJson(t, rnd);
            case NOT_AN_OBJECT:
                return notAnObject(t, rnd);
            case WRONG_TYPE:
                return wrongType(t, rnd);
            case MISSING_FIELD:
                return json(t, Map.of(), REQUIRED[rnd.nextInt(REQUIRED.length)]);
            case NOT_UTF8:
                return notUtf8(t, rnd);
            case AVRO_BAD_HEADER:
                if (rnd.nextBoolean()) {
                    return json(t, Map.of(), null); // a JSON producer writing to an Avro topic
                }
                byte[] wrongVersion = avro(t);
                wrongVersion[1] = 0x02;
                return wrongVersion;
            case AVRO_UNKNOWN_SCHEMA:
                byte[] otherSchema = avro(t);
                for (int i = 2; i < 10; i++) {
                    otherSchema[i] ^= (byte) 0x5A;
                }
                return otherSchema;
            case AVRO_TRUNCATED:
                byte[] whole = avro(t);
                return Arrays.copyOf(whole, rnd.nextInt(10, whole.length));
            default:
                throw new IllegalArgumentException("no recipe for " + kind);
        }
    }

    private static byte[] invalidJson(Touchpoint t, SplittableRandom rnd) {
        byte[] whole = json(t, Map.of(), null);
        switch (rnd.nextInt(3)) {
            case 0:
                return Arrays.copyOf(whole, rnd.nextInt(1, whole.length - 1));
            case 1:
                return concat(whole, "}".getBytes(StandardCharsets.US_ASCII));
            default:
                String text = new String(whole, StandardCharsets.UTF_8);
                return text.replaceFirst("\"event_id\"", "event_id").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static byte[] notAnObject(Touchpoint t, SplittableRandom rnd) {
        switch (rnd.nextInt(3)) {
            case 0:
                return concat(concat(new byte[] {'['}, json(t, Map.of(), null)), new byte[] {']'});
            case 1:
                return ("\"" + t.getType() + "\"").getBytes(StandardCharsets.UTF_8);
            default:
                return "null".getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static byte[] wrongType(Touchpoint t, SplittableRandom rnd) {
        switch (rnd.nextInt(5)) {
            case 0:
                return json(t, Map.of("occurred_at", Boolean.TRUE), null);
            case 1:
                return json(t, Map.of("value", "12.5"), null);
            case 2:
                return json(t, Map.of("account_id", 42L), null);
            case 3:
                return json(t, Map.of("attributes", List.of("plan", "team")), null);
            default:
                Map<String, Object> attributes = new LinkedHashMap<>(t.getAttributes());
                attributes.put("seats", 12L);
                return json(t, Map.of("attributes", attributes), null);
        }
    }

    private static byte[] notUtf8(Touchpoint t, SplittableRandom rnd) {
        byte[] whole = json(t, Map.of(), null);
        byte[] marker = "\"type\":\"".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(whole, marker) + marker.length;
        byte[] bad = NOT_UTF8[rnd.nextInt(NOT_UTF8.length)];
        return concat(concat(Arrays.copyOf(whole, at), bad), Arrays.copyOfRange(whole, at, whole.length));
    }

    /**
     * The JSON wire form of {@code t} with some fields replaced by values of any JSON type, and one
     * field optionally left out.
     */
    private static byte[] json(Touchpoint t, Map<String, Object> overrides, String omit) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event_id", t.getEventId());
        fields.put("account_id", t.getAccountId());
        if (t.getUserId() != null) {
            fields.put("user_id", t.getUserId());
        }
        fields.put("occurred_at", t.getOccurredAt());
        fields.put("source", t.getSource());
        fields.put("type", t.getType());
        if (t.getValue() != null) {
            fields.put("value", t.getValue());
        }
        fields.put("attributes", new LinkedHashMap<>(t.getAttributes()));
        fields.putAll(overrides);
        if (omit != null) {
            fields.remove(omit);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Long) {
            g.writeNumber((Long) v);
        } else if (v instanceof Double) {
            g.writeNumber((Double) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List) {
            g.writeStartArray();
            for (Object o : (List<?>) v) {
                write(g, o);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass());
        }
    }

    private static byte[] encode(Touchpoint t, InputFormat format) {
        return format == InputFormat.AVRO ? avro(t) : json(t, Map.of(), null);
    }

    static byte[] avro(Touchpoint t) {
        try {
            java.nio.ByteBuffer b = t.toByteBuffer();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Touchpoint copy(Touchpoint t) {
        return new Touchpoint(
                t.getEventId(), t.getAccountId(), t.getUserId(), t.getOccurredAt(), t.getSource(), t.getType(),
                t.getValue(), new HashMap<>(t.getAttributes()));
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
        throw new IllegalStateException("marker not found");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
