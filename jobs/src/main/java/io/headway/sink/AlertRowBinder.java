package io.headway.sink;

import io.headway.schema.Alert;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One alert record into {@code alert_transitions} (append-only; its natural key makes a replay insert
 * nothing) and {@code alerts} (one row per alert), in one statement.
 *
 * <p>The {@code alerts} row takes its latest-state columns from the newest transition by (event time,
 * state rank), whatever order the records arrive in, and its lifecycle timestamps as the earliest
 * seen ({@code LEAST} ignores nulls): both are order-independent, so replays and restores converge on
 * the row a clean run writes. A {@code WHERE} guard on the whole update would not do here: an older
 * escalation replayed after the resolution must still set {@code escalated_at}.
 */
public final class AlertRowBinder implements JdbcStatementBuilder<Alert> {

    private static final long serialVersionUID = 1L;

    /** Columns that follow the newest transition. */
    private static final List<String> LATEST =
            List.of(
                    "severity", "owner_team", "state", "last_reason", "headline", "recommended_action",
                    "explanation", "fire_count", "updated_at", "acknowledged_at", "snoozed_until", "due_at", "lead_time_ms");

    private static final String NEWER =
            "(EXCLUDED.updated_at, headway_alert_state_rank(EXCLUDED.state))"
                    + " >= (a.updated_at, headway_alert_state_rank(a.state))";

    public static final String UPSERT =
            "WITH transition AS ("
                    + " INSERT INTO alert_transitions (alert_id, updated_at, state, reason, alert_key, account_id, kind,"
                    + " rule, severity, fire_count, acknowledged_at, snoozed_until, headline, explanation, detected_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)"
                    + " ON CONFLICT (alert_id, updated_at, state, reason) DO NOTHING)"
                    + " INSERT INTO alerts AS a (alert_id, alert_key, account_id, kind, rule, rule_version, severity,"
                    + " subject, owner_team, state, last_reason, headline, recommended_action, explanation, fire_count,"
                    + " opened_at, updated_at, escalated_at, acknowledged_at, snoozed_until, resolved_at, due_at,"
                    + " lead_time_ms, first_detected_at, written_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                    + " ON CONFLICT (alert_id) DO UPDATE SET "
                    + LATEST.stream()
                            .map(c -> c + " = CASE WHEN " + NEWER + " THEN EXCLUDED." + c + " ELSE a." + c + " END")
                            .collect(Collectors.joining(", "))
                    + ", escalated_at = LEAST(a.escalated_at, EXCLUDED.escalated_at)"
                    + ", resolved_at = LEAST(a.resolved_at, EXCLUDED.resolved_at)"
                    + ", first_detected_at = LEAST(a.first_detected_at, EXCLUDED.first_detected_at)"
                    + ", written_at = EXCLUDED.written_at";

    @Override
    public void accept(PreparedStatement ps, Alert a) throws SQLException {
        String explanation = new String(AvroJson.toJson(a.getExplanation()), StandardCharsets.UTF_8);
        int i = 1;
        ps.setString(i++, a.getAlertId());
        ps.setObject(i++, Rows.utc(a.getUpdatedAt()));
        ps.setString(i++, a.getState());
        ps.setString(i++, a.getReason());
        ps.setString(i++, a.getAlertKey());
        ps.setString(i++, a.getAccountId());
        ps.setString(i++, a.getKind());
        ps.setString(i++, a.getRule());
        ps.setString(i++, a.getSeverity());
        ps.setInt(i++, a.getFireCount());
        Rows.setTime(ps, i++, a.getAcknowledgedAt());
        Rows.setTime(ps, i++, a.getSnoozedUntil());
        ps.setString(i++, a.getHeadline());
        ps.setString(i++, explanation);
        ps.setObject(i++, Rows.utc(a.getDetectedAt()));

        ps.setString(i++, a.getAlertId());
        ps.setString(i++, a.getAlertKey());
        ps.setString(i++, a.getAccountId());
        ps.setString(i++, a.getKind());
        ps.setString(i++, a.getRule());
        ps.setInt(i++, a.getRuleVersion());
        ps.setString(i++, a.getSeverity());
        ps.setString(i++, a.getSubject());
        ps.setString(i++, a.getOwnerTeam());
        ps.setString(i++, a.getState());
        ps.setString(i++, a.getReason());
        ps.setString(i++, a.getHeadline());
        ps.setString(i++, a.getRecommendedAction());
        ps.setString(i++, explanation);
        ps.setInt(i++, a.getFireCount());
        ps.setObject(i++, Rows.utc(a.getOpenedAt()));
        ps.setObject(i++, Rows.utc(a.getUpdatedAt()));
        Rows.setTime(ps, i++, "escalated".equals(a.getState()) ? a.getUpdatedAt() : null);
        Rows.setTime(ps, i++, a.getAcknowledgedAt());
        Rows.setTime(ps, i++, a.getSnoozedUntil());
        Rows.setTime(ps, i++, "resolved".equals(a.getState()) ? a.getUpdatedAt() : null);
        Rows.setTime(ps, i++, a.getDueAt());
        Rows.setLong(ps, i++, a.getLeadTimeMs());
        ps.setObject(i++, Rows.utc(a.getDetectedAt()));
    }
}
