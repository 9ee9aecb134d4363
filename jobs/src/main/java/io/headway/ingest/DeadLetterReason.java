package io.headway.ingest;

/**
 * Why a record went to the dead-letter output. The names are a stable contract: they appear in the
 * {@code headway.dlq.reason.code} header, in metrics and in the database.
 */
public enum DeadLetterReason {
    EMPTY_PAYLOAD,
    PAYLOAD_TOO_LARGE,
    INVALID_ENCODING,
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
