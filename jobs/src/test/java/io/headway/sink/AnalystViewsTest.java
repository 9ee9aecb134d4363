package io.headway.sink;

import static io.headway.sink.AnalystTablesTest.row;
import static io.headway.testing.PostgresTestDatabase.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.testing.PostgresTestDatabase;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The analyst views over four hand-made accounts, rows inserted directly, expected rows worked out by
 * hand (June 2026; D(n) = day n of June, UTC):
 *
 * <ul>
 *   <li>acme: green 75, sentiment 30, support friction 80; both milestones reached on time; goal g1
 *       missed at D30; its goal alert opened D10 (due D30) and ended at D30. Company green, customer
 *       red: the delivery gap.
 *   <li>globex: red 35, sentiment 70, support friction 50; kickoff overdue since D3, journey overdue;
 *       goal g2 achieved; a health-red alert D5-D8 (cleared) and an open milestone-overdue alert from D3.
 *   <li>initech: green 80, support friction 90, no goals, no survey; nothing due. Fine on both sides.
 *   <li>umbrella: churned at D20 (final score, red 20, sentiment 20); a silence alert D12, ended D20;
 *       its journey was abandoned.
 * </ul>
 */
class AnalystViewsTest {

    @RegisterExtension
    static final PostgresTestDatabase POSTGRES = new PostgresTestDatabase();

    private static String url;

    @BeforeAll
    static void accounts() throws Exception {
        url = POSTGRES.newDatabase();
        SchemaMigrator.migrate(url, "postgres", null);
        exec(
                score("acme", 75, "green", 30, 80, null),
                score("globex", 35, "red", 70, 50, null),
                score("initech", 80, "green", null, 90, null),
                score("umbrella", 20, "red", 20, null, "churned"),

                journey("acme", "2026-06-01", "completed", 10),
                journey("globex", "2026-06-02", "overdue", null),
                journey("initech", "2026-06-09", "completed", 4),
                journey("umbrella", "2026-06-03", "abandoned", null),
                milestone("acme", "kickoff", "2026-06-04", "2026-06-03", "reached"),
                milestone("acme", "first_value", "2026-06-20", "2026-06-11", "reached"),
                milestone("globex", "kickoff", "2026-06-03", null, "overdue"),
                milestone("globex", "first_value", "2026-06-30", null, "pending"),

                goal("acme", "g1", "missed", "2026-06-30"),
                goal("globex", "g2", "achieved", "2026-06-15"),

                alert("acme", "goal-projected-to-miss", "goal/g1", "high", "resolved", "2026-06-10", "2026-06-30", "2026-06-30"),
                alert("globex", "health-red", "account", "medium", "resolved", "2026-06-05", "2026-06-08", null),
                alert("globex", "milestone-overdue", "onboarding/1/kickoff", "high", "open", "2026-06-03", null, "2026-06-03"),
                alert("umbrella", "silence", "account", "medium", "resolved", "2026-06-12", "2026-06-20", "2026-06-22"));
    }

    @Test
    void shouldListLiveAccountsWithASignOfRiskAndSayWhy() throws Exception {
        assertThat(query(url, "SELECT account_id, grade, open_alerts, goals_missed, journeys_behind, top_alert, reasons::text AS reasons"
                        + " FROM at_risk_accounts ORDER BY account_id"))
                .containsExactly(
                        row("account_id", "acme", "grade", "green", "open_alerts", 0L, "goals_missed", 1L, "journeys_behind", 0L,
                                "top_alert", null, "reasons", "{\"1 goal(s) missed\"}"),
                        row("account_id", "globex", "grade", "red", "open_alerts", 1L, "goals_missed", 0L, "journeys_behind", 1L,
                                "top_alert", "milestone-overdue for globex", "reasons",
                                "{\"health red\",\"1 open alert(s)\",\"1 journey(s) behind\"}"));
    }

    @Test
    void shouldSummarizeTimeToValuePerWeeklyStartCohort() throws Exception {
        assertThat(query(url, "SELECT cohort_week::text AS week, started, reached_value, completed, abandoned, still_open,"
                        + " reached_value_share, median_days_to_value, p90_days_to_value FROM time_to_value_by_cohort ORDER BY cohort_week"))
                .containsExactly(
                        row("week", "2026-06-01", "started", 3L, "reached_value", 1L, "completed", 1L, "abandoned", 1L, "still_open", 1L,
                                "reached_value_share", dec("0.333"), "median_days_to_value", dec("10.00"), "p90_days_to_value", dec("10.00")),
                        row("week", "2026-06-08", "started", 1L, "reached_value", 1L, "completed", 1L, "abandoned", 0L, "still_open", 0L,
                                "reached_value_share", dec("1.000"), "median_days_to_value", dec("4.00"), "p90_days_to_value", dec("4.00")));
    }

    @Test
    void shouldJudgeEachRiskAlertByWhatTheCustomerDidNext() throws Exception {
        assertThat(query(url, "SELECT account_id, rule, outcome, miss, lead_time_days, warned_days_before_miss"
                        + " FROM alert_effectiveness ORDER BY account_id, rule"))
                .containsExactly(
                        // The goal alert came 20 days before the goal was missed.
                        row("account_id", "acme", "rule", "goal-projected-to-miss", "outcome", "missed", "miss", "goal_missed",
                                "lead_time_days", dec("20.00"), "warned_days_before_miss", dec("20.00")),
                        // The overdue kickoff (D3) is before this alert opened: not its miss. Resolved: recovered.
                        row("account_id", "globex", "rule", "health-red", "outcome", "recovered", "miss", null,
                                "lead_time_days", null, "warned_days_before_miss", null),
                        // Opened when the kickoff fell due: no warning at all.
                        row("account_id", "globex", "rule", "milestone-overdue", "outcome", "missed", "miss", "milestone_late",
                                "lead_time_days", dec("0.00"), "warned_days_before_miss", dec("0.00")),
                        row("account_id", "umbrella", "rule", "silence", "outcome", "missed", "miss", "churned",
                                "lead_time_days", dec("10.00"), "warned_days_before_miss", dec("8.00")));
    }

    @Test
    void shouldShowWhereTheCompanyIsGreenWhileTheCustomerIsRed() throws Exception {
        assertThat(query(url, "SELECT account_id, milestones_due, milestones_on_time, on_time_share, support_friction, goals_missed,"
                        + " goals_achieved, sentiment, company_green, customer_red, gap, gap_share FROM delivery_gap ORDER BY account_id"))
                .containsExactly(
                        row("account_id", "acme", "milestones_due", 2L, "milestones_on_time", 2L, "on_time_share", dec("1.000"),
                                "support_friction", dec("80.0"), "goals_missed", 1L, "goals_achieved", 0L, "sentiment", dec("30.0"),
                                "company_green", true, "customer_red", true, "gap", true, "gap_share", dec("0.500")),
                        row("account_id", "globex", "milestones_due", 1L, "milestones_on_time", 0L, "on_time_share", dec("0.000"),
                                "support_friction", dec("50.0"), "goals_missed", 0L, "goals_achieved", 1L, "sentiment", dec("70.0"),
                                "company_green", false, "customer_red", false, "gap", false, "gap_share", dec("0.500")),
                        row("account_id", "initech", "milestones_due", 0L, "milestones_on_time", 0L, "on_time_share", null,
                                "support_friction", dec("90.0"), "goals_missed", 0L, "goals_achieved", 0L, "sentiment", null,
                                "company_green", true, "customer_red", false, "gap", false, "gap_share", dec("0.500")),
                        row("account_id", "umbrella", "milestones_due", 0L, "milestones_on_time", 0L, "on_time_share", null,
                                "support_friction", null, "goals_missed", 0L, "goals_achieved", 0L, "sentiment", dec("20.0"),
                                "company_green", true, "customer_red", true, "gap", true, "gap_share", dec("0.500")));
        assertThat(query(url, "SELECT * FROM delivery_gap_summary"))
                .containsExactly(row("accounts", 4L, "company_green", 3L, "customer_red", 2L, "company_green_customer_red", 2L,
                        "gap_share", dec("0.500"), "gap_share_of_green", dec("0.667")));
    }

    // ------------------------------------------------------------------ rows

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    private static void exec(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.addBatch(sql);
            }
            s.executeBatch();
        }
    }

    private static String lit(Object v) {
        return v == null ? "NULL" : v instanceof String ? "'" + v + "'" : v.toString();
    }

    private static String score(String account, double score, String grade, Integer sentiment, Integer supportFriction, String finalReason) {
        return "INSERT INTO scores_current (account_id, as_of, reason, score, grade, profile, final_reason, sentiment, support_friction)"
                + " VALUES (" + lit(account) + ", '2026-06-20', " + lit(finalReason == null ? "daily" : "final") + ", " + score + ", "
                + lit(grade) + ", 'adopted', " + lit(finalReason) + ", " + lit(sentiment) + ", " + lit(supportFriction) + ")";
    }

    private static String journey(String account, String startedOn, String status, Integer ttvDays) {
        boolean ended = status.equals("completed") || status.equals("abandoned");
        return "INSERT INTO journeys (instance_id, account_id, journey, instance, sequence, as_of, last_transition, status,"
                + " started_at, ended_at, last_activity_at, time_to_value_ms, touchpoints, touchpoints_by_source, satisfaction)"
                + " VALUES ('" + account + "/onboarding/1', " + lit(account) + ", 'onboarding', 1, 5, '2026-06-20', 'x', " + lit(status)
                + ", " + lit(startedOn) + ", " + (ended ? "'2026-06-20'" : "NULL") + ", '2026-06-20', "
                + (ttvDays == null ? "NULL" : Long.toString(ttvDays * 86_400_000L)) + ", 10, '{}', '[]')";
    }

    private static String milestone(String account, String name, String dueOn, String reachedOn, String status) {
        return "INSERT INTO journey_milestones (instance_id, milestone, account_id, journey, position, owner_team, success,"
                + " behind_at, due_at, reached_at, status, sequence, as_of)"
                + " VALUES ('" + account + "/onboarding/1', " + lit(name) + ", " + lit(account) + ", 'onboarding', 1, 'onboarding', 'x', "
                + lit(dueOn) + ", " + lit(dueOn) + ", " + lit(reachedOn) + ", " + lit(status) + ", 5, '2026-06-20')";
    }

    private static String goal(String account, String goalId, String status, String asOf) {
        return "INSERT INTO goals (account_id, goal_id, sequence, as_of, metric, direction, baseline, target, deadline_at, status,"
                + " last_change, insufficient_data, days_left, measurements_used)"
                + " VALUES (" + lit(account) + ", " + lit(goalId) + ", 3, " + lit(asOf) + ", 'm', 'increase', 0, 10, '2026-06-30', "
                + lit(status) + ", " + lit(status) + ", false, 0, 4)";
    }

    private static String alert(String account, String rule, String subject, String severity, String state,
            String openedOn, String resolvedOn, String dueOn) {
        return "INSERT INTO alerts (alert_id, alert_key, account_id, kind, rule, rule_version, severity, subject, owner_team, state,"
                + " last_reason, headline, recommended_action, explanation, fire_count, opened_at, updated_at, resolved_at, due_at,"
                + " lead_time_ms, first_detected_at)"
                + " VALUES ('" + account + "-" + rule + "', 'k', " + lit(account) + ", 'risk', " + lit(rule) + ", 1, " + lit(severity)
                + ", " + lit(subject) + ", 'success', " + lit(state) + ", 'x', '" + rule + " for " + account + "', 'x', '{}', 1, "
                + lit(openedOn) + ", " + lit(resolvedOn == null ? openedOn : resolvedOn) + ", " + lit(resolvedOn) + ", " + lit(dueOn)
                + ", " + (dueOn == null ? "NULL" : "extract(epoch FROM " + lit(dueOn) + "::timestamptz - " + lit(openedOn)
                + "::timestamptz)::bigint * 1000") + ", now())";
    }
}
