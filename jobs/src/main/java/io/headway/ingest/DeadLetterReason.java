package io.headway.ingest;

/**
 * Why a record went to the dead-letter output. The names are a stable contract: they appear in the
 * {@code headway.dlq.reason.code} header, in metrics and in the database.
 */
public enum DeadLetterReason {
    EMPTY_PAYLOAD,
    PAYLOAD_TOO_LARGE,
    /** Not valid UTF-8: a malformed, overlong or surrogate byte sequence (decoded strictly, never replaced). */
    INVALID_ENCODING,
    /** UTF-16 or UTF-32 text (a byte-order mark, or NUL bytes between ASCII characters); the contract is UTF-8. */
    UTF16_ENCODING,
    /**
     * A control character no output can carry faithfully: NUL anywhere (PostgreSQL text cannot store
     * it; a JSON escape of U+0000 counts), any other C0/C1 control or DEL in an id, source, type
     * or attribute name; in attribute values everything but tab, line feed and carriage return.
     */
    CONTROL_CHARACTER,
    /** A lone UTF-16 surrogate (e.g. from a JSON escape of U+D800 alone): UTF-8 encoders would turn it into '?'. */
    UNPAIRED_SURROGATE,
    INVALID_JSON,
    NOT_AN_OBJECT,
    MISSING_FIELD,
    WRONG_TYPE,
    INVALID_VALUE,
    UNKNOWN_SOURCE,
    UNKNOWN_TYPE,
    TIMESTAMP_OUT_OF_RANGE,
    AVRO_BAD_HEADER,
    AVRO_UNKNOWN_SCHEMA,
    AVRO_DECODE_ERROR,
    /** A parser bug, not bad input; kept so that it never takes the job down. */
    INTERNAL_ERROR
}
