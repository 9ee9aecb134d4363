-- Rows the database refused (issue 17): a sink that cannot write a record parks it in dead_letters and
-- the job goes on. Such a row has no Kafka position: source says where a dead letter comes from, and
-- for a sink the primary key is (source, -1, hash of the record's JSON), so a replay adds nothing.
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS source TEXT NOT NULL DEFAULT 'input';
ALTER TABLE dead_letters ALTER COLUMN kafka_timestamp DROP NOT NULL;
COMMENT ON COLUMN dead_letters.source IS '''input'' for an input record the job rejected; ''sink:<table>'' for an output row the database refused (reason_code SINK_CONSTRAINT, SINK_ENCODING, SINK_TOO_LARGE, SINK_VALUE or SINK_REJECTED).';
COMMENT ON COLUMN dead_letters.topic IS 'Input topic of the rejected record; for a sink row the same as source.';
COMMENT ON COLUMN dead_letters.kafka_partition IS 'Input partition; -1 for a sink row.';
COMMENT ON COLUMN dead_letters.kafka_offset IS 'Input offset; for a sink row a 64-bit hash of the record''s JSON (payload).';
COMMENT ON COLUMN dead_letters.kafka_timestamp IS 'Timestamp of the rejected Kafka record; NULL for a sink row.';
COMMENT ON COLUMN dead_letters.reason IS 'Human-readable detail naming the field or the parse error; for a sink row the SQLState class and the database message (at most 1000 characters, control characters escaped).';
COMMENT ON COLUMN dead_letters.payload IS 'The record value as UTF-8 text (invalid bytes replaced, NUL removed), at most the first 4096 bytes; for a sink row the record as JSON.';
CREATE INDEX IF NOT EXISTS dead_letters_source_idx ON dead_letters (source);
