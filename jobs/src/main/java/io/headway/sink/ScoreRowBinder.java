package io.headway.sink;

import io.headway.schema.ScoreComponent;
import io.headway.schema.ScoreDriver;
import io.headway.schema.ScoreUpdate;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * One score record into {@code score_history} (every record, keyed by account, as_of and reason) and
 * {@code scores_current} (the latest per account), in one statement so both tables see the same
 * records. The {@code scores_current} guard compares (as_of, reason rank): a replayed or late older
 * record never moves the row back.
 */
public final class ScoreRowBinder implements JdbcStatementBuilder<ScoreUpdate> {

    private static final long serialVersionUID = 1L;

    /** The components that have a column in {@code scores_current}, in column order. */
    static final List<String> COMPONENTS =
            List.of(
                    "adoption_breadth", "depth", "frequency", "seat_utilization", "recency",
                    "support_friction", "sentiment", "onboarding", "outcome");

    public static final String UPSERT =
            "WITH history AS ("
                    + " INSERT INTO score_history (account_id, as_of, reason, score, grade, profile, final_reason,"
                    + " previous_score, previous_grade, last_product_activity_at, explanation, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, now())"
                    + " ON CONFLICT (account_id, as_of, reason) DO UPDATE SET"
                    + " score = EXCLUDED.score, grade = EXCLUDED.grade, profile = EXCLUDED.profile,"
                    + " final_reason = EXCLUDED.final_reason, previous_score = EXCLUDED.previous_score,"
                    + " previous_grade = EXCLUDED.previous_grade,"
                    + " last_product_activity_at = EXCLUDED.last_product_activity_at,"
                    + " explanation = EXCLUDED.explanation, updated_at = EXCLUDED.updated_at)"
                    + " INSERT INTO scores_current AS c (account_id, as_of, reason, score, grade, profile, final_reason,"
                    + " last_product_activity_at, " + String.join(", ", COMPONENTS) + ", updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                    + " ON CONFLICT (account_id) DO UPDATE SET"
                    + " as_of = EXCLUDED.as_of, reason = EXCLUDED.reason, score = EXCLUDED.score,"
                    + " grade = EXCLUDED.grade, profile = EXCLUDED.profile, final_reason = EXCLUDED.final_reason,"
                    + " last_product_activity_at = EXCLUDED.last_product_activity_at, "
                    + String.join(", ", COMPONENTS.stream().map(n -> n + " = EXCLUDED." + n).toList())
                    + ", updated_at = EXCLUDED.updated_at"
                    + " WHERE (c.as_of, headway_score_reason_rank(c.reason))"
                    + " <= (EXCLUDED.as_of, headway_score_reason_rank(EXCLUDED.reason))";

    @Override
    public void accept(PreparedStatement ps, ScoreUpdate s) throws SQLException {
        int i = bindRecord(ps, 1, s);
        Rows.setDouble(ps, i++, s.getPreviousScore());
        Rows.setText(ps, i++, s.getPreviousGrade());
        Rows.setTime(ps, i++, s.getLastProductActivityAt());
        ps.setString(i++, explanation(s));

        i = bindRecord(ps, i, s);
        Rows.setTime(ps, i++, s.getLastProductActivityAt());
        for (String name : COMPONENTS) {
            Rows.setDouble(ps, i++, value(s, name));
        }
    }

    /** The columns both tables start with, from parameter {@code i}; returns the next parameter index. */
    private static int bindRecord(PreparedStatement ps, int i, ScoreUpdate s) throws SQLException {
        ps.setString(i++, s.getAccountId());
        ps.setObject(i++, Rows.utc(s.getAsOf()));
        ps.setString(i++, s.getReason());
        ps.setDouble(i++, s.getScore());
        ps.setString(i++, s.getGrade());
        ps.setString(i++, s.getProfile());
        Rows.setText(ps, i++, s.getFinalReason());
        return i;
    }

    private static Double value(ScoreUpdate s, String name) {
        for (ScoreComponent c : s.getComponents()) {
            if (name.contentEquals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    /** {"components": [...], "drivers": [...]}: the record's own JSON form of both (AvroJson). */
    static String explanation(ScoreUpdate s) {
        StringBuilder sb = new StringBuilder(1024).append("{\"components\":[");
        String sep = "";
        for (ScoreComponent c : s.getComponents()) {
            sb.append(sep).append(new String(AvroJson.toJson(c), StandardCharsets.UTF_8));
            sep = ",";
        }
        sb.append("],\"drivers\":[");
        sep = "";
        for (ScoreDriver d : s.getDrivers()) {
            sb.append(sep).append(new String(AvroJson.toJson(d), StandardCharsets.UTF_8));
            sep = ",";
        }
        return sb.append("]}").toString();
    }
}
