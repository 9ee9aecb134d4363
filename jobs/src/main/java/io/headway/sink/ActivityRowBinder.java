package io.headway.sink;

import io.headway.schema.ActivitySummary;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Upserts the latest summary per account. The {@code WHERE} guard makes the write idempotent and
 * order-proof: a replay after a restore, or an older summary arriving late, never moves a row back.
 */
public final class ActivityRowBinder implements JdbcStatementBuilder<ActivitySummary> {

    private static final long serialVersionUID = 1L;

    public static final String UPSERT =
            "INSERT INTO account_activity (account_id, as_of, last_seen_at, events_7d, events_28d,"
                    + " events_7d_by_source, events_28d_by_source, active, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, now())"
                    + " ON CONFLICT (account_id) DO UPDATE SET"
                    + " as_of = EXCLUDED.as_of, last_seen_at = EXCLUDED.last_seen_at,"
                    + " events_7d = EXCLUDED.events_7d, events_28d = EXCLUDED.events_28d,"
                    + " events_7d_by_source = EXCLUDED.events_7d_by_source,"
                    + " events_28d_by_source = EXCLUDED.events_28d_by_source,"
                    + " active = EXCLUDED.active, updated_at = EXCLUDED.updated_at"
                    + " WHERE account_activity.as_of <= EXCLUDED.as_of";

    @Override
    public void accept(PreparedStatement ps, ActivitySummary s) throws SQLException {
        ps.setString(1, s.getAccountId());
        ps.setObject(2, utc(s.getAsOf()));
        ps.setObject(3, utc(s.getLastSeenAt()));
        ps.setLong(4, s.getEvents7d());
        ps.setLong(5, s.getEvents28d());
        ps.setString(6, ActivitySummaryJson.countsJson(s.getEvents7dBySource()));
        ps.setString(7, ActivitySummaryJson.countsJson(s.getEvents28dBySource()));
        ps.setBoolean(8, s.getActive());
    }

    private static OffsetDateTime utc(long millis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }
}
