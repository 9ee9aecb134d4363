package io.headway.sink;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * A row the database refused, as a {@code dead_letters} row with {@code source = 'sink:<table>'}.
 *
 * <p>It has no Kafka position, so the primary key is made from the row itself: {@code topic} is the
 * source, {@code kafka_partition} is -1 and {@code kafka_offset} a hash of the record's JSON. A replay
 * after a restore refuses the same record again and inserts nothing new; two different records of one
 * account get two rows. The reason, key and payload are made storable and bounded first, so that the
 * dead letter of a row the database refused is not refused for the same reason.
 */
record SinkDeadLetter(String source, SinkRejection code, String sqlState, String reason, String key, byte[] json) {

    /** Longest database message kept in {@code reason}. */
    static final int MAX_REASON_CHARS = 1000;

    static final String INSERT =
            "INSERT INTO dead_letters (source, topic, kafka_partition, kafka_offset, reason_code, reason,"
                    + " kafka_timestamp, record_key, payload, payload_size, payload_truncated, updated_at)"
                    + " VALUES (?, ?, -1, ?, ?, ?, NULL, ?, ?, ?, ?, now())"
                    + " ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING";

    static SinkDeadLetter of(String table, IndexedRecord record, SinkRejection code, String sqlState, String message) {
        return new SinkDeadLetter(
                "sink:" + table,
                code,
                sqlState,
                Rows.printable(message == null ? code.name() : message, MAX_REASON_CHARS),
                keyOf(record),
                json(record));
    }

    void bind(PreparedStatement ps) throws SQLException {
        int stored = Math.min(json.length, DeadLetterRowBinder.MAX_PAYLOAD_BYTES);
        int i = 1;
        ps.setString(i++, source);
        ps.setString(i++, source);
        ps.setLong(i++, contentHash(json));
        ps.setString(i++, code.name());
        ps.setString(i++, reason);
        if (key == null) {
            ps.setNull(i++, Types.VARCHAR);
        } else {
            ps.setString(i++, key);
        }
        ps.setString(i++, Rows.lossyText(ByteBuffer.wrap(json), DeadLetterRowBinder.MAX_PAYLOAD_BYTES));
        ps.setInt(i++, json.length);
        ps.setBoolean(i++, stored < json.length);
    }

    /** The reason's first line, for a log line: the database's message without row values (Detail, Where). */
    String summary() {
        int eol = reason.indexOf('\n');
        return Rows.printable(eol < 0 ? reason : reason.substring(0, eol), 200);
    }

    /** The account the row is about, or the dead letter's own key: printable, at most 256 characters. */
    static String keyOf(IndexedRecord record) {
        Schema.Field account = record.getSchema().getField("account_id");
        if (account != null && record.get(account.pos()) instanceof CharSequence id) {
            return Rows.printable(id, DeadLetterRowBinder.MAX_KEY_BYTES);
        }
        Schema.Field key = record.getSchema().getField("key");
        if (key != null && record.get(key.pos()) instanceof ByteBuffer bytes) {
            return Rows.printable(Rows.lossyText(bytes, DeadLetterRowBinder.MAX_KEY_BYTES), DeadLetterRowBinder.MAX_KEY_BYTES);
        }
        return null;
    }

    /** The record as plain JSON (control characters escaped by the JSON writer), else its printable text. */
    private static byte[] json(IndexedRecord record) {
        try {
            return AvroJson.toJson(record);
        } catch (RuntimeException e) {
            // A lone surrogate, for instance, stops the JSON writer; the row must still be parked.
            return Rows.printable(String.valueOf(record), Integer.MAX_VALUE).getBytes(StandardCharsets.UTF_8);
        }
    }

    static long contentHash(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            long h = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                h = (h << 8) | (d[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
