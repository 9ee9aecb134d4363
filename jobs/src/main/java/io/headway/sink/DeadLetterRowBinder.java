package io.headway.sink;

import io.headway.schema.DeadLetter;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One row per rejected input record, keyed by its source position: a replay of the same input
 * rejects the same records at the same positions and inserts nothing new. The payload is cut to
 * {@link #MAX_PAYLOAD_BYTES} for the table (enough to see what was wrong); the topic keeps the bytes.
 */
public final class DeadLetterRowBinder implements JdbcStatementBuilder<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final int MAX_PAYLOAD_BYTES = 4096;
    public static final int MAX_KEY_BYTES = 256;

    public static final String INSERT =
            "INSERT INTO dead_letters (topic, kafka_partition, kafka_offset, reason_code, reason, kafka_timestamp,"
                    + " record_key, payload, payload_size, payload_truncated, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                    + " ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING";

    @Override
    public void accept(PreparedStatement ps, DeadLetter d) throws SQLException {
        ByteBuffer payload = d.getPayload();
        int stored = Math.min(payload.remaining(), MAX_PAYLOAD_BYTES);
        int i = 1;
        ps.setString(i++, d.getTopic());
        ps.setInt(i++, d.getPartition());
        ps.setLong(i++, d.getOffset());
        ps.setString(i++, d.getReasonCode());
        ps.setString(i++, d.getReason());
        ps.setObject(i++, Rows.utc(d.getKafkaTimestamp()));
        Rows.setText(ps, i++, d.getKey() == null ? null : Rows.lossyText(d.getKey(), MAX_KEY_BYTES));
        ps.setString(i++, Rows.lossyText(payload, MAX_PAYLOAD_BYTES));
        ps.setInt(i++, d.getPayloadSize());
        ps.setBoolean(i++, stored < d.getPayloadSize());
    }
}
