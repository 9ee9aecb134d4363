package io.headway.sink;

import static io.headway.testing.AnalystRows.alert;
import static io.headway.testing.AnalystRows.day;
import static io.headway.testing.AnalystRows.deadLetter;
import static io.headway.testing.AnalystRows.goal;
import static io.headway.testing.AnalystRows.journey;
import static io.headway.testing.AnalystRows.milestone;
import static io.headway.testing.AnalystRows.risk;
import static io.headway.testing.AnalystRows.score;
import static io.headway.testing.AnalystRows.write;
import static io.headway.testing.PostgresTestDatabase.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.Alert;
import io.headway.schema.GoalUpdate;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.RiskUpdate;
import io.headway.schema.ScoreUpdate;
import io.headway.testing.PostgresTestDatabase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The analyst tables' upserts on a real PostgreSQL, records made by hand: every table ends as the
 * newest record says, whatever order the records came in and however often (replays, restores).
 */
class AnalystTablesTest {

    @RegisterExtension
    static final PostgresTestDatabase POSTGRES = new PostgresTestDatabase();

    private String url;

    @BeforeEach
    void migrate() throws Exception {
        url = POSTGRES.newDatabase();
        assertThat(SchemaMigrator.migrate(url, "postgres", null)).containsExactly("V1__account_activity.sql", "V2__analyst_tables.sql", "V3__analyst_views.sql", "V4__journey_cause.sql", "V5__score_history_retention.sql", "V6__sink_dead_letters.sql", "V7__account_risk.sql");
    }

    @Test
    void shouldMigrateOnce() throws Exception {
        assertThat(SchemaMigrator.migrate(url, "postgres", null)).isEmpty();
    }

    @Test
    void shouldKeepEveryScoreAndTheLatestPerAccountWhateverTheOrder() throws Exception {
        ScoreUpdate first = score("acme", day(1), "change", 70, "green", 80);
        ScoreUpdate midnight = score("acme", day(2), "daily", 65, "green", 70);
        ScoreUpdate sameInstantChange = score("acme", day(2), "change", 66, "green", 71);
        ScoreUpdate latest = score("acme", day(3), "grade_change", 55, "yellow", 40);

        write(url, ScoreRowBinder.UPSERT, new ScoreRowBinder(), first, midnight, sameInstantChange, latest);
        List<Map<String, Object>> once = history();
        // Replayed, and in another order: an older record after the newest one changes nothing.
        write(url, ScoreRowBinder.UPSERT, new ScoreRowBinder(), latest, first, midnight, sameInstantChange);

        assertThat(history()).isEqualTo(once).hasSize(4);
        assertThat(query(url, "SELECT account_id, reason, score, grade, profile, adoption_breadth, sentiment, seat_utilization FROM scores_current"))
                .containsExactly(row("account_id", "acme", "reason", "grade_change", "score", 55.0, "grade", "yellow",
                        "profile", "adopted", "adoption_breadth", 50.0, "sentiment", 40.0, "seat_utilization", null));
        assertThat(query(url, "SELECT explanation->'drivers'->0->>'component' AS c, explanation->'components'->1->>'value' AS v"
                        + " FROM score_history WHERE as_of = '" + day(3) + "'"))
                .containsExactly(row("c", "sentiment", "v", "40.0"));
    }

    @Test
    void shouldNeverMoveAJourneyOrItsMilestonesBack() throws Exception {
        JourneyUpdate started = journey("acme", 1, day(0), "started", "on_track", day(0), null,
                milestone("kickoff", day(3), null), milestone("first_value", day(20), null));
        JourneyUpdate kickoff = journey("acme", 2, day(2), "milestone_reached", "on_track", day(0), null,
                milestone("kickoff", day(3), day(2)), milestone("first_value", day(20), null));
        JourneyUpdate completed = journey("acme", 3, day(25), "completed", "completed", day(0), 25 * 86_400_000L,
                milestone("kickoff", day(3), day(2)), milestone("first_value", day(20), day(25)));

        write(url, JourneyRowBinder.UPSERT, new JourneyRowBinder(), started, completed, kickoff, started);

        assertThat(query(url, "SELECT instance_id, sequence, status, time_to_value_days, ended_at IS NOT NULL AS ended,"
                        + " touchpoints_by_source->>'product' AS product, last_cause_event_id FROM journeys"))
                .containsExactly(row("instance_id", "acme/onboarding/1", "sequence", 3, "status", "completed",
                        "time_to_value_days", 25.0, "ended", true, "product", "21", "last_cause_event_id", "e-acme-3"));
        assertThat(query(url, "SELECT milestone, position, status, on_time, early_by_ms, sequence FROM journey_milestones ORDER BY position"))
                .containsExactly(
                        row("milestone", "kickoff", "position", 1, "status", "reached", "on_time", true, "early_by_ms", 86_400_000L, "sequence", 3),
                        row("milestone", "first_value", "position", 2, "status", "reached_late", "on_time", false, "early_by_ms", -5 * 86_400_000L, "sequence", 3));
    }

    @Test
    void shouldOrderAGoalsRecordsByEventTimeFirstSoARedeclarationWins() throws Exception {
        GoalUpdate declared = goal("acme", "g1", 1, day(0), "on_track", "declared", day(30));
        GoalUpdate atRisk = goal("acme", "g1", 4, day(10), "at_risk", "measured", day(30));
        // Declared again after it ended: the sequence restarts at 1, event time moves on.
        GoalUpdate redeclared = goal("acme", "g1", 1, day(40), "on_track", "declared", day(70));

        write(url, GoalRowBinder.UPSERT, new GoalRowBinder(), declared, redeclared, atRisk, declared);

        assertThat(query(url, "SELECT goal_id, sequence, status, last_change, latest_value, deadline_at = '" + day(70) + "' AS new_deadline FROM goals"))
                .containsExactly(row("goal_id", "g1", "sequence", 1, "status", "on_track", "last_change", "declared",
                        "latest_value", null, "new_deadline", true));
    }

    @Test
    void shouldKeepEveryTransitionOnceAndTheAlertsLifecycleWhateverTheOrder() throws Exception {
        Alert open = alert("acme", "silence", "open", "fired", day(1), day(1), day(10));
        Alert escalated = alert("acme", "silence", "escalated", "still_open", day(1), day(4), day(10));
        Alert resolved = alert("acme", "silence", "resolved", "cleared", day(1), day(6), day(10));
        Alert other = alert("acme", "health-red", "open", "fired", day(2), day(2), null);

        write(url, AlertRowBinder.UPSERT, new AlertRowBinder(), open, resolved, other);
        // The escalation arrives after the resolution (a replay): it sets escalated_at, not the state.
        write(url, AlertRowBinder.UPSERT, new AlertRowBinder(), escalated, open, resolved);

        assertThat(query(url, "SELECT count(*) AS n FROM alert_transitions")).containsExactly(row("n", 4L));
        assertThat(query(url, "SELECT rule, state, last_reason, severity, opened_at = '" + day(1) + "' AS opened,"
                        + " escalated_at = '" + day(4) + "' AS escalated, resolved_at = '" + day(6) + "' AS resolved,"
                        + " lead_time_ms FROM alerts WHERE rule = 'silence'"))
                .containsExactly(row("rule", "silence", "state", "resolved", "last_reason", "cleared", "severity", "medium",
                        "opened", true, "escalated", true, "resolved", true, "lead_time_ms", 9 * 86_400_000L));
        assertThat(query(url, "SELECT account_id, open_alerts FROM accounts_current"))
                .containsExactly(row("account_id", "acme", "open_alerts", 1L));
    }

    @Test
    void shouldKeepTheLatestRiskPerAccountWhateverTheOrder() throws Exception {
        RiskUpdate first = risk("acme", day(1), 0.5, 0.2);
        RiskUpdate sameInstant = risk("acme", day(2), 1.0, 0.2);
        RiskUpdate latest = risk("acme", day(3), 1.0, 1.2);
        RiskUpdate globex = risk("globex", day(2), -0.5, -0.4);

        write(url, RiskRowBinder.UPSERT, new RiskRowBinder(), first, risk("acme", day(2), 0.8, 0.2), sameInstant, globex);
        // A replay of older records after the newest one changes nothing.
        write(url, RiskRowBinder.UPSERT, new RiskRowBinder(), latest, first, sameInstant);

        assertThat(query(url, "SELECT account_id, as_of = '" + day(3) + "' AS newest, round(logit::numeric, 6) AS logit, model_version,"
                        + " top_drivers->0->>'feature' AS top, jsonb_array_length(top_drivers) AS drivers,"
                        + " features->'goal_shortfall_share'->'value' = 'null'::jsonb AS unknown FROM account_risk ORDER BY account_id"))
                .containsExactly(
                        row("account_id", "acme", "newest", true, "logit", new BigDecimal("1.200000"), "model_version", "2026-12-02",
                                "top", "health", "drivers", 2, "unknown", true),
                        row("account_id", "globex", "newest", false, "logit", new BigDecimal("-1.900000"), "model_version", "2026-12-02",
                                "top", "silence_days", "drivers", 2, "unknown", true));
        // The same instant: the record written last is the one emitted last.
        write(url, RiskRowBinder.UPSERT, new RiskRowBinder(), risk("globex", day(2), -0.1, -0.4));
        assertThat(query(url, "SELECT round(logit::numeric, 6) AS logit FROM account_risk WHERE account_id = 'globex'"))
                .containsExactly(row("logit", new BigDecimal("-1.500000")));
    }

    @Test
    void shouldStoreEachDeadLetterOnceWithAReadableCutPayload() throws Exception {
        byte[] big = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        // Not UTF-8: 0xC3 0x01 and 0xFF become replacement characters, NUL goes; 4 characters remain.
        byte[] binary = {(byte) 0xC3, 0x01, 0x00, (byte) 0xFF, 'a'};
        write(url, DeadLetterRowBinder.INSERT, new DeadLetterRowBinder(),
                deadLetter(0, 7, "PAYLOAD_TOO_LARGE", big, 2_000_000),
                deadLetter(1, 3, "AVRO_BAD_HEADER", binary, binary.length));
        write(url, DeadLetterRowBinder.INSERT, new DeadLetterRowBinder(), deadLetter(1, 3, "AVRO_BAD_HEADER", binary, binary.length));

        assertThat(query(url, "SELECT kafka_partition, kafka_offset, reason_code, length(payload) AS len, payload_size,"
                        + " payload_truncated, record_key FROM dead_letters ORDER BY kafka_partition"))
                .containsExactly(
                        row("kafka_partition", 0, "kafka_offset", 7L, "reason_code", "PAYLOAD_TOO_LARGE", "len", 4096,
                                "payload_size", 2_000_000, "payload_truncated", true, "record_key", "acme"),
                        row("kafka_partition", 1, "kafka_offset", 3L, "reason_code", "AVRO_BAD_HEADER", "len", 4,
                                "payload_size", 5, "payload_truncated", false, "record_key", "acme"));
    }

    private List<Map<String, Object>> history() throws Exception {
        return query(url, "SELECT account_id, as_of, reason, score, grade, explanation::text AS e FROM score_history ORDER BY as_of, reason");
    }

    /** A row as an ordered column map; values in JDBC's types (TEXT String, INTEGER Integer, BIGINT Long, ...). */
    static Map<String, Object> row(Object... pairs) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    static Duration days(long n) {
        return Duration.ofDays(n);
    }
}
