package io.headway.generator;

import io.headway.schema.Touchpoint;

/**
 * One record as it goes on the wire.
 *
 * @param key the account id, the Kafka record key
 * @param value JSON or Avro single-object bytes, or broken bytes for a malformed record
 * @param touchpoint the event behind a valid or duplicate record; null for a malformed one
 * @param malformation what is broken; null unless {@code kind} is {@code MALFORMED}
 */
public record GeneratedRecord(Kind kind, String key, byte[] value, Touchpoint touchpoint, Malformation malformation) {

    public enum Kind {
        /** A touchpoint emitted for the first time. */
        VALID,
        /** A touchpoint emitted again, same event_id and same bytes: the job must drop it. */
        DUPLICATE,
        /** Bytes the job must reject as a dead letter. */
        MALFORMED
    }
}
