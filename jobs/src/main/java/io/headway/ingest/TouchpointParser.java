package io.headway.ingest;

import io.headway.schema.DeadLetter;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the bytes of one Kafka record into a valid {@link Touchpoint} or a {@link DeadLetter} with a
 * specific reason. It never throws: a record that breaks the parser itself becomes an
 * {@link DeadLetterReason#INTERNAL_ERROR} dead letter instead of a restart loop.
 *
 * <p>JSON is read with Jackson's streaming parser (no tree, no reflection) because this runs once
 * per input record on the hot path. Unknown JSON fields are ignored so that producers can add fields
 * before Headway knows them; duplicate fields and trailing content are rejected.
 */
public final class TouchpointParser implements Serializable {

    private static final long serialVersionUID = 1L;

    static final int MAX_ID_LENGTH = 256;

    /**
     * Kafka keys are short ids; a huge one is cut in the dead letter so that key plus payload stay
     * under the producer's record limit (a dead letter that cannot be written would stop the job).
     */
    static final int MAX_DEAD_LETTER_KEY_BYTES = 16 * 1024;

    /** The reason travels in a Kafka header and a text column; it names the problem, it is no copy of the input. */
    static final int MAX_DETAIL_CHARS = 500;

    private static final JsonFactory JSON =
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final TouchpointVocabulary vocabulary;
    private final int maxPayloadBytes;
    private final int maxDeadLetterPayloadBytes;
    private final long maxPastMillis;
    private final long maxFutureMillis;
    private final Clock clock;

    public TouchpointParser(
            TouchpointVocabulary vocabulary,
            int maxPayloadBytes,
            int maxDeadLetterPayloadBytes,
            Duration maxPast,
            Duration maxFuture,
            Clock clock) {
        this.vocabulary = vocabulary;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxDeadLetterPayloadBytes = maxDeadLetterPayloadBytes;
        this.maxPastMillis = maxPast.toMillis();
        this.maxFutureMillis = maxFuture.toMillis();
        this.clock = clock;
    }

    public IngestedRecord parse(
            InputFormat format,
            String topic,
            int partition,
            long offset,
            long kafkaTimestamp,
            byte[] key,
            byte[] value) {
        Location at = new Location(topic, partition, offset, kafkaTimestamp, key, value);
        try {
            if (value == null || value.length == 0) {
                return reject(at, DeadLetterReason.EMPTY_PAYLOAD, "record value is empty");
            }
            if (value.length > maxPayloadBytes) {
                return reject(
                        at,
                        DeadLetterReason.PAYLOAD_TOO_LARGE,
                        "record value has " + value.length + " bytes, the limit is " + maxPayloadBytes);
            }
            if (format == InputFormat.AVRO) {
                return parseAvro(at);
            }
            checkJsonEncoding(at.value);
            return parseJson(at);
        } catch (Rejection r) {
            return reject(at, r.reason, r.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return reject(at, DeadLetterReason.INTERNAL_ERROR, String.valueOf(e));
        }
    }

    // ---------------------------------------------------------------- JSON

    /**
     * UTF-8 only, decoded strictly: Jackson would detect UTF-16/32 by itself and accept it, and a raw
     * NUL byte can never be valid JSON text, so both are named here before parsing.
     */
    private static void checkJsonEncoding(byte[] v) {
        if (v.length >= 2 && ((v[0] == (byte) 0xFE && v[1] == (byte) 0xFF) || (v[0] == (byte) 0xFF && v[1] == (byte) 0xFE))) {
            throw new Rejection(DeadLetterReason.UTF16_ENCODING, "UTF-16 (or UTF-32) byte-order mark; the contract is UTF-8");
        }
        int nul = indexOfNul(v);
        if (nul >= 0) {
            if (v.length >= 2 && (v[0] == 0 || v[1] == 0)) {
                throw new Rejection(
                        DeadLetterReason.UTF16_ENCODING,
                        "NUL bytes between characters: UTF-16 or UTF-32 without a byte-order mark; the contract is UTF-8");
            }
            throw new Rejection(DeadLetterReason.CONTROL_CHARACTER, "NUL byte at offset " + nul);
        }
        int bad = StorableText.invalidUtf8At(v);
        if (bad >= 0) {
            throw new Rejection(DeadLetterReason.INVALID_ENCODING, "not UTF-8: invalid byte sequence at offset " + bad);
        }
    }

    private static int indexOfNul(byte[] v) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private IngestedRecord parseJson(Location at) {
        String eventId = null;
        String accountId = null;
        String userId = null;
        Long occurredAt = null;
        String source = null;
        String type = null;
        Double value = null;
        Map<String, String> attributes = null;
        try (JsonParser p = JSON.createParser(at.value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Rejection(DeadLetterReason.NOT_AN_OBJECT, "record value is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "event_id":
                        eventId = string(p, v, field);
                        break;
                    case "account_id":
                        accountId = string(p, v, field);
                        break;
                    case "user_id":
                        userId = v == JsonToken.VALUE_NULL ? null : string(p, v, field);
                        break;
                    case "occurred_at":
                        occurredAt = timestamp(p, v);
                        break;
                    case "source":
                        source = string(p, v, field);
                        break;
                    case "type":
                        type = string(p, v, field);
                        break;
                    case "value":
                        value = number(p, v);
                        break;
                    case "attributes":
                        attributes = attributes(p, v);
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new Rejection(DeadLetterReason.INVALID_JSON, "unexpected token " + t);
            }
            if (p.nextToken() != null) {
                throw new Rejection(
                        DeadLetterReason.INVALID_JSON, "trailing content after the JSON object");
            }
        } catch (JsonParseException e) {
            String message = e.getOriginalMessage();
            DeadLetterReason reason =
                    message != null && message.startsWith("Invalid UTF-8")
                            ? DeadLetterReason.INVALID_ENCODING
                            : DeadLetterReason.INVALID_JSON;
            throw new Rejection(reason, firstLine(message));
        } catch (IOException e) {
            throw new Rejection(DeadLetterReason.INVALID_JSON, firstLine(e.getMessage()));
        }
        Touchpoint touchpoint =
                new Touchpoint(
                        required(eventId, "event_id"),
                        required(accountId, "account_id"),
                        userId,
                        required(occurredAt, "occurred_at"),
                        required(source, "source"),
                        required(type, "type"),
                        value,
                        attributes == null ? new HashMap<>(4) : attributes);
        return accept(touchpoint);
    }

    private static String string(JsonParser p, JsonToken v, String field) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            throw new Rejection(
                    DeadLetterReason.WRONG_TYPE, field + " must be a string, was " + describe(v));
        }
        return p.getText();
    }

    private static long timestamp(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() != JsonParser.NumberType.INT
                    && p.getNumberType() != JsonParser.NumberType.LONG) {
                throw new Rejection(
                        DeadLetterReason.INVALID_VALUE, "occurred_at does not fit epoch milliseconds");
            }
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            String text = p.getText();
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new Rejection(
                        DeadLetterReason.INVALID_VALUE,
                        "occurred_at is neither epoch milliseconds nor an ISO-8601 instant: " + clip(text));
            }
        }
        throw new Rejection(
                DeadLetterReason.WRONG_TYPE,
                "occurred_at must be epoch milliseconds (integer) or an ISO-8601 string, was "
                        + describe(v));
    }

    private static Double number(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new Rejection(
                    DeadLetterReason.WRONG_TYPE, "value must be a number, was " + describe(v));
        }
        double d = p.getDoubleValue();
        if (Double.isInfinite(d)) {
            throw new Rejection(DeadLetterReason.INVALID_VALUE, "value is out of range");
        }
        return d;
    }

    private static Map<String, String> attributes(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return new HashMap<>(4);
        }
        if (v != JsonToken.START_OBJECT) {
            throw new Rejection(
                    DeadLetterReason.WRONG_TYPE, "attributes must be an object, was " + describe(v));
        }
        Map<String, String> out = new HashMap<>(8);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken a = p.nextToken();
            if (a != JsonToken.VALUE_STRING) {
                throw new Rejection(
                        DeadLetterReason.WRONG_TYPE,
                        "attributes." + clip(name) + " must be a string, was " + describe(a));
            }
            out.put(name, p.getText());
        }
        return out;
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "missing";
        }
        switch (t) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            default:
                return t.name();
        }
    }

    // ---------------------------------------------------------------- Avro

    private IngestedRecord parseAvro(Location at) {
        Touchpoint t;
        try {
            t = Touchpoint.getDecoder().decode(at.value);
        } catch (MissingSchemaException e) {
            throw new Rejection(
                    DeadLetterReason.AVRO_UNKNOWN_SCHEMA,
                    "Avro schema fingerprint is not the Touchpoint schema: " + firstLine(e.getMessage()));
        } catch (BadHeaderException e) {
            throw new Rejection(
                    DeadLetterReason.AVRO_BAD_HEADER,
                    "not Avro single-object encoding: " + firstLine(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            throw new Rejection(
                    DeadLetterReason.AVRO_DECODE_ERROR, "Avro datum cannot be decoded: " + e);
        }
        if (t.getAttributes() == null) {
            t.setAttributes(new HashMap<>(4));
        }
        // Avro decodes strings leniently (bad UTF-8 becomes U+FFFD); only then are the bytes checked strictly.
        if (hasReplacementCharacter(t) && !StrictAvroStrings.valid(at.value, Touchpoint.getClassSchema())) {
            throw new Rejection(DeadLetterReason.INVALID_ENCODING, "an Avro string is not UTF-8");
        }
        return accept(t);
    }

    private static boolean hasReplacementCharacter(Touchpoint t) {
        if (replaced(t.getEventId()) || replaced(t.getAccountId()) || replaced(t.getUserId())
                || replaced(t.getSource()) || replaced(t.getType())) {
            return true;
        }
        for (Map.Entry<String, String> a : t.getAttributes().entrySet()) {
            if (replaced(a.getKey()) || replaced(a.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static boolean replaced(String s) {
        return s != null && s.indexOf('\uFFFD') >= 0;
    }

    // ---------------------------------------------------------------- validation

    private IngestedRecord accept(Touchpoint t) {
        id(t.getEventId(), "event_id");
        id(t.getAccountId(), "account_id");
        if (t.getUserId() != null) {
            id(t.getUserId(), "user_id");
        }
        name(t.getSource(), "source");
        name(t.getType(), "type");
        attributes(t.getAttributes());
        if (!vocabulary.isKnownSource(t.getSource())) {
            throw new Rejection(
                    DeadLetterReason.UNKNOWN_SOURCE,
                    "source '" + clip(t.getSource()) + "' is not one of " + vocabulary.sources());
        }
        if (!vocabulary.isKnownType(t.getType())) {
            throw new Rejection(
                    DeadLetterReason.UNKNOWN_TYPE, "type '" + clip(t.getType()) + "' is not known");
        }
        if (t.getValue() != null && (t.getValue().isNaN() || t.getValue().isInfinite())) {
            throw new Rejection(DeadLetterReason.INVALID_VALUE, "value must be a finite number");
        }
        long now = clock.millis();
        long occurredAt = t.getOccurredAt();
        if (occurredAt < now - maxPastMillis || occurredAt > now + maxFutureMillis) {
            throw new Rejection(
                    DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                    "occurred_at "
                            + occurredAt
                            + " is outside [now - validation.max-past, now + validation.max-future]");
        }
        return new IngestedRecord(t, null);
    }

    private static void id(String id, String field) {
        name(id, field);
        if (id.isBlank()) {
            throw new Rejection(DeadLetterReason.INVALID_VALUE, field + " is blank");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new Rejection(
                    DeadLetterReason.INVALID_VALUE,
                    field + " is longer than " + MAX_ID_LENGTH + " characters");
        }
    }

    /** Ids, source, type and attribute names: storable text without any control character. */
    private static void name(String s, String field) {
        storable(s, field, false);
    }

    private static void attributes(Map<String, String> attributes) {
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            storable(a.getKey(), "an attribute name", false);
            if (a.getValue() == null) {
                throw new Rejection(DeadLetterReason.WRONG_TYPE, "attributes." + clip(a.getKey()) + " is null");
            }
            storable(a.getValue(), "attributes." + clip(a.getKey()), true);
        }
    }

    private static void storable(String s, String field, boolean freeText) {
        int at = StorableText.violationAt(s, freeText);
        if (at >= 0) {
            throw new Rejection(StorableText.reasonAt(s, at), field + " contains " + StorableText.describeAt(s, at));
        }
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, field + " is missing");
        }
        return value;
    }

    private IngestedRecord reject(Location at, DeadLetterReason reason, String detail) {
        byte[] payload = at.value == null ? new byte[0] : at.value;
        int size = payload.length;
        payload = capped(payload, maxDeadLetterPayloadBytes);
        DeadLetter dl =
                new DeadLetter(
                        reason.name(),
                        detail == null ? reason.name() : StorableText.printable(clip(detail, MAX_DETAIL_CHARS)),
                        at.topic,
                        at.partition,
                        at.offset,
                        at.kafkaTimestamp,
                        at.key == null ? null : ByteBuffer.wrap(capped(at.key, MAX_DEAD_LETTER_KEY_BYTES)),
                        ByteBuffer.wrap(payload),
                        size);
        return new IngestedRecord(null, dl);
    }

    private static byte[] capped(byte[] bytes, int max) {
        return bytes.length > max ? Arrays.copyOf(bytes, max) : bytes;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return clip(nl < 0 ? s : s.substring(0, nl));
    }

    private static String clip(String s) {
        return clip(s, 120);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** Where a record came from; enough to find it again in Kafka. */
    private static final class Location {
        final String topic;
        final int partition;
        final long offset;
        final long kafkaTimestamp;
        final byte[] key;
        final byte[] value;

        Location(String topic, int partition, long offset, long kafkaTimestamp, byte[] key, byte[] value) {
            this.topic = topic;
            this.partition = partition;
            this.offset = offset;
            this.kafkaTimestamp = kafkaTimestamp;
            this.key = key;
            this.value = value;
        }
    }

    /** Control flow for a rejected record; no stack trace, it is not an error of the job. */
    private static final class Rejection extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final DeadLetterReason reason;

        Rejection(DeadLetterReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
