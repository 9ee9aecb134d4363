package io.headway.sink;

import io.headway.schema.GoalUpdate;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The latest record per (account, goal) into {@code goals}. Guarded by (as_of, sequence), not the
 * sequence alone: a goal id declared again after it ended starts its sequence at 1 again (README Known
 * trade-offs), so only event time first orders its records.
 */
public final class GoalRowBinder implements JdbcStatementBuilder<GoalUpdate> {

    private static final long serialVersionUID = 1L;

    public static final String UPSERT =
            "INSERT INTO goals AS g (account_id, goal_id, sequence, as_of, metric, direction, baseline, target,"
                    + " deadline_at, status, previous_status, last_change, insufficient_data, latest_value,"
                    + " latest_measured_at, trend_per_day, projected_value, projected_shortfall,"
                    + " projected_shortfall_share, days_left, measurements_used, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                    + " ON CONFLICT (account_id, goal_id) DO UPDATE SET"
                    + " sequence = EXCLUDED.sequence, as_of = EXCLUDED.as_of, metric = EXCLUDED.metric,"
                    + " direction = EXCLUDED.direction, baseline = EXCLUDED.baseline, target = EXCLUDED.target,"
                    + " deadline_at = EXCLUDED.deadline_at, status = EXCLUDED.status,"
                    + " previous_status = EXCLUDED.previous_status, last_change = EXCLUDED.last_change,"
                    + " insufficient_data = EXCLUDED.insufficient_data, latest_value = EXCLUDED.latest_value,"
                    + " latest_measured_at = EXCLUDED.latest_measured_at, trend_per_day = EXCLUDED.trend_per_day,"
                    + " projected_value = EXCLUDED.projected_value, projected_shortfall = EXCLUDED.projected_shortfall,"
                    + " projected_shortfall_share = EXCLUDED.projected_shortfall_share,"
                    + " days_left = EXCLUDED.days_left, measurements_used = EXCLUDED.measurements_used,"
                    + " updated_at = EXCLUDED.updated_at"
                    + " WHERE (g.as_of, g.sequence) <= (EXCLUDED.as_of, EXCLUDED.sequence)";

    @Override
    public void accept(PreparedStatement ps, GoalUpdate g) throws SQLException {
        int i = 1;
        ps.setString(i++, g.getAccountId());
        ps.setString(i++, g.getGoalId());
        ps.setInt(i++, g.getSequence());
        ps.setObject(i++, Rows.utc(g.getAsOf()));
        ps.setString(i++, g.getMetric());
        ps.setString(i++, g.getDirection());
        ps.setDouble(i++, g.getBaseline());
        ps.setDouble(i++, g.getTarget());
        ps.setObject(i++, Rows.utc(g.getDeadlineAt()));
        ps.setString(i++, g.getStatus());
        Rows.setText(ps, i++, g.getPreviousStatus());
        ps.setString(i++, g.getChange());
        ps.setBoolean(i++, g.getInsufficientData());
        Rows.setDouble(ps, i++, g.getLatest() == null ? null : g.getLatest().getValue());
        Rows.setTime(ps, i++, g.getLatest() == null ? null : g.getLatest().getMeasuredAt());
        Rows.setDouble(ps, i++, g.getTrendPerDay());
        Rows.setDouble(ps, i++, g.getProjectedValue());
        Rows.setDouble(ps, i++, g.getProjectedShortfall());
        Rows.setDouble(ps, i++, g.getProjectedShortfallShare());
        ps.setDouble(i++, g.getDaysLeft());
        ps.setInt(i++, g.getMeasurementsUsed());
    }
}
