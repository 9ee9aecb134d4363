package io.headway.generator;

import io.headway.ingest.DeadLetterReason;
import io.headway.ingest.InputFormat;

import java.util.ArrayList;
import java.util.List;

/**
 * The kinds of broken record the generator mixes in, each with the dead-letter reason the job's
 * parser must give it. Which kinds apply depends on the wire format: JSON producers break JSON,
 * Avro producers send the wrong bytes or a schema the job does not know.
 */
public enum Malformation {
    INVALID_JSON(DeadLetterReason.INVALID_JSON, true, false),
    NOT_AN_OBJECT(DeadLetterReason.NOT_AN_OBJECT, true, false),
    WRONG_TYPE(DeadLetterReason.WRONG_TYPE, true, false),
    MISSING_FIELD(DeadLetterReason.MISSING_FIELD, true, false),
    NOT_UTF8(DeadLetterReason.INVALID_ENCODING, true, false),
    AVRO_BAD_HEADER(DeadLetterReason.AVRO_BAD_HEADER, false, true),
    AVRO_UNKNOWN_SCHEMA(DeadLetterReason.AVRO_UNKNOWN_SCHEMA, false, true),
    AVRO_TRUNCATED(DeadLetterReason.AVRO_DECODE_ERROR, false, true),
    UNKNOWN_SOURCE(DeadLetterReason.UNKNOWN_SOURCE, true, true),
    UNKNOWN_TYPE(DeadLetterReason.UNKNOWN_TYPE, true, true),
    TIMESTAMP_TEN_YEARS_OFF(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, true, true),
    BLANK_ID(DeadLetterReason.INVALID_VALUE, true, true);

    private final DeadLetterReason expectedReason;
    private final boolean json;
    private final boolean avro;

    Malformation(DeadLetterReason expectedReason, boolean json, boolean avro) {
        this.expectedReason = expectedReason;
        this.json = json;
        this.avro = avro;
    }

    /** The reason the job's parser gives such a record (with its default validation limits). */
    public DeadLetterReason expectedReason() {
        return expectedReason;
    }

    public static List<Malformation> forFormat(InputFormat format) {
        List<Malformation> out = new ArrayList<>();
        for (Malformation m : values()) {
            if (format == InputFormat.AVRO ? m.avro : m.json) {
                out.add(m);
            }
        }
        return out;
    }
}
