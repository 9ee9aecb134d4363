package io.headway.sink;

import io.headway.schema.JourneyUpdate;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import org.apache.avro.generic.IndexedRecord;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One journey record into {@code journeys} (the instance's latest state) and
 * {@code journey_milestones} (one row per milestone), in one statement. Both are guarded by the
 * record's {@code sequence}: a transition replayed after a later one never moves a row back.
 * Milestones travel as one JSON array parameter, expanded by {@code jsonb_to_recordset}, so a record
 * is one statement whatever its number of milestones.
 */
public final class JourneyRowBinder implements JdbcStatementBuilder<JourneyUpdate> {

    private static final long serialVersionUID = 1L;

    public static final String UPSERT =
            "WITH journey AS ("
                    + " INSERT INTO journeys AS j (instance_id, account_id, journey, instance, sequence, as_of,"
                    + " last_transition, last_subject, last_cause_event_id, status, started_at, ended_at, last_activity_at,"
                    + " time_to_value_ms, touchpoints, touchpoints_by_source, satisfaction, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, now())"
                    + " ON CONFLICT (instance_id) DO UPDATE SET"
                    + " sequence = EXCLUDED.sequence, as_of = EXCLUDED.as_of,"
                    + " last_transition = EXCLUDED.last_transition, last_subject = EXCLUDED.last_subject,"
                    + " last_cause_event_id = EXCLUDED.last_cause_event_id,"
                    + " status = EXCLUDED.status, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,"
                    + " last_activity_at = EXCLUDED.last_activity_at, time_to_value_ms = EXCLUDED.time_to_value_ms,"
                    + " touchpoints = EXCLUDED.touchpoints, touchpoints_by_source = EXCLUDED.touchpoints_by_source,"
                    + " satisfaction = EXCLUDED.satisfaction, updated_at = EXCLUDED.updated_at"
                    + " WHERE j.sequence <= EXCLUDED.sequence)"
                    + " INSERT INTO journey_milestones AS m (instance_id, milestone, account_id, journey, position,"
                    + " owner_team, success, behind_at, due_at, reached_at, status, early_by_ms, sequence, as_of, updated_at)"
                    + " SELECT ?, x.name, ?, ?, x.position, x.owner_team, x.success, x.behind_at, x.due_at,"
                    + " x.reached_at, x.status, x.early_by_ms, ?, ?, now()"
                    + " FROM ROWS FROM (jsonb_to_recordset(?::jsonb) AS (name text, owner_team text, success text,"
                    + " behind_at timestamptz, due_at timestamptz, reached_at timestamptz, status text, early_by_ms bigint))"
                    + " WITH ORDINALITY AS x(name, owner_team, success, behind_at, due_at, reached_at, status, early_by_ms,"
                    + " position)"
                    + " ON CONFLICT (instance_id, milestone) DO UPDATE SET"
                    + " position = EXCLUDED.position, owner_team = EXCLUDED.owner_team, success = EXCLUDED.success,"
                    + " behind_at = EXCLUDED.behind_at, due_at = EXCLUDED.due_at, reached_at = EXCLUDED.reached_at,"
                    + " status = EXCLUDED.status, early_by_ms = EXCLUDED.early_by_ms, sequence = EXCLUDED.sequence,"
                    + " as_of = EXCLUDED.as_of, updated_at = EXCLUDED.updated_at"
                    + " WHERE m.sequence <= EXCLUDED.sequence";

    @Override
    public void accept(PreparedStatement ps, JourneyUpdate j) throws SQLException {
        int i = 1;
        ps.setString(i++, j.getInstanceId());
        ps.setString(i++, j.getAccountId());
        ps.setString(i++, j.getJourney());
        ps.setInt(i++, j.getInstance());
        ps.setInt(i++, j.getSequence());
        ps.setObject(i++, Rows.utc(j.getAsOf()));
        ps.setString(i++, j.getTransition());
        Rows.setText(ps, i++, j.getSubject());
        Rows.setText(ps, i++, j.getCauseEventId());
        ps.setString(i++, j.getStatus());
        ps.setObject(i++, Rows.utc(j.getStartedAt()));
        Rows.setTime(ps, i++, j.getEndedAt());
        ps.setObject(i++, Rows.utc(j.getLastActivityAt()));
        Rows.setLong(ps, i++, j.getTimeToValueMs());
        ps.setLong(i++, j.getTouchpoints());
        ps.setString(i++, counts(j.getTouchpointsBySource()));
        ps.setString(i++, array(j.getSatisfaction()));

        ps.setString(i++, j.getInstanceId());
        ps.setString(i++, j.getAccountId());
        ps.setString(i++, j.getJourney());
        ps.setInt(i++, j.getSequence());
        ps.setObject(i++, Rows.utc(j.getAsOf()));
        ps.setString(i++, array(j.getMilestones()));
    }

    /** A JSON array of records in their AvroJson form (event times as ISO-8601 instants). */
    static String array(List<? extends IndexedRecord> records) {
        StringBuilder sb = new StringBuilder(512).append('[');
        String sep = "";
        for (IndexedRecord r : records) {
            sb.append(sep).append(new String(AvroJson.toJson(r), StandardCharsets.UTF_8));
            sep = ",";
        }
        return sb.append(']').toString();
    }

    private static String counts(Map<? extends CharSequence, Long> bySource) {
        Map<String, Long> counts = new TreeMap<>();
        bySource.forEach((k, v) -> counts.put(k.toString(), v));
        return ActivitySummaryJson.countsJson(counts);
    }
}
