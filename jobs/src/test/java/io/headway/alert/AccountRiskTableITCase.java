package io.headway.alert;

import static io.headway.testing.Fixtures.DAY_1;
import static io.headway.testing.Fixtures.day;
import static io.headway.testing.Fixtures.goalSet;
import static io.headway.testing.Fixtures.journeyStarted;
import static io.headway.testing.Fixtures.login;
import static io.headway.testing.Fixtures.milestoneReached;
import static io.headway.testing.Fixtures.outcomeMeasured;
import static io.headway.testing.PostgresTestDatabase.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headway.PipelineSettings;
import io.headway.config.HeadwayConfig;
import io.headway.schema.RiskUpdate;
import io.headway.schema.Touchpoint;
import io.headway.sink.SchemaMigrator;
import io.headway.sink.Sinks;
import io.headway.testing.BoundedInput;
import io.headway.testing.MiniClusters;
import io.headway.testing.PostgresTestDatabase;
import io.headway.testing.TestWorkflow;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account risk from touchpoints to {@code account_risk}, through the production workflow and the
 * production JDBC sink into a real PostgreSQL: one row per account, the latest assessment the
 * operator emitted, whose contributions add up to its logit in SQL too.
 */
class AccountRiskTableITCase {

    @Order(1)
    @RegisterExtension
    static final PostgresTestDatabase POSTGRES = new PostgresTestDatabase();

    @Order(2)
    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    private static final Instant STARTED = DAY_1.plus(Duration.ofHours(9));

    @Test
    void shouldKeepEachAccountsLatestRiskWhoseContributionsAddUpToTheLogit() throws Exception {
        String url = POSTGRES.newDatabase();
        SchemaMigrator.migrate(url, "postgres", null);
        HeadwayConfig config = HeadwayConfig.of(
                Map.of(HeadwayConfig.KAFKA_BOOTSTRAP_SERVERS.name(), "unused.invalid:9092", HeadwayConfig.JDBC_URL.name(), url),
                Map.of());
        PipelineSettings d = PipelineSettings.defaults();
        PipelineSettings settings = new PipelineSettings(d.maxOutOfOrderness, d.idleness, d.allowedLateness, d.dedupHorizon,
                d.activityEmitInterval, AlertRiskTest.withRisk(AlertRiskTest.RISK));
        List<Touchpoint> touchpoints = List.of(
                goalSet("globex", "globex-g1", "weekly_active_users", 10, 50, day(28), day(0).plus(Duration.ofHours(9))),
                login("globex", day(2)),
                outcomeMeasured("globex", "globex-g1", "weekly_active_users", 12, day(3)),
                journeyStarted("acme", "onboarding", STARTED),
                login("acme", day(2)),
                milestoneReached("acme", "kickoff", STARTED.plus(Duration.ofDays(4))));

        try (TestWorkflow run = TestWorkflow.run(settings, BoundedInput.of(touchpoints), s -> s.riskDatabase(Sinks.riskDatabase(config)).scoresDatabase(Sinks.scoreDatabase(config)))) {
            Map<String, RiskUpdate> latest = new LinkedHashMap<>();
            run.risk().forEach(u -> latest.put(u.getAccountId().toString(), u));
            assertThat(latest).containsOnlyKeys("acme", "globex");

            List<Map<String, Object>> rows = query(url, "SELECT account_id, (extract(epoch FROM as_of) * 1000)::bigint AS as_of_ms, probability, logit, model_version,"
                    + " jsonb_array_length(top_drivers) AS drivers FROM account_risk ORDER BY account_id");
            System.out.println("AccountRiskTableITCase: " + rows);
            assertThat(rows).hasSize(2);
            for (Map<String, Object> row : rows) {
                RiskUpdate u = latest.get((String) row.get("account_id"));
                assertThat(row.get("as_of_ms")).isEqualTo(u.getAsOf());
                assertThat((Double) row.get("probability")).isEqualTo(u.getProbability());
                assertThat((Double) row.get("logit")).isEqualTo(u.getLogit());
                assertThat(row.get("model_version")).isEqualTo("2026-12-02");
                assertThat((Integer) row.get("drivers")).isBetween(1, 5);
            }

            // What an analyst would check: intercept + contributions = logit, and p = sigmoid(logit).
            List<Map<String, Object>> sums = query(url, "SELECT r.account_id, r.intercept + sum((f.value->>'contribution')::float8) - r.logit AS gap,"
                    + " 1 / (1 + exp(-r.logit)) - r.probability AS p_gap"
                    + " FROM account_risk r, jsonb_each(r.features) f GROUP BY r.account_id, r.intercept, r.logit, r.probability");
            assertThat(sums).hasSize(2).allSatisfy(s -> {
                assertThat((Double) s.get("gap")).isCloseTo(0.0, within(1e-9));
                assertThat((Double) s.get("p_gap")).isCloseTo(0.0, within(1e-12));
            });
            // top_drivers is features' largest |contribution| first.
            assertThat(query(url, "SELECT count(*) AS wrong FROM account_risk r"
                            + " WHERE abs((r.top_drivers->0->>'contribution')::float8)"
                            + " <> (SELECT max(abs((f.value->>'contribution')::float8)) FROM jsonb_each(r.features) f)"))
                    .containsExactly(Map.of("wrong", 0L));

            // The sample queries of docs/analysts.md ("The account risk"), on this run's two accounts.
            List<String> documented = documentedQueries();
            assertThat(documented).hasSize(3);
            List<Map<String, Object>> why = query(url, documented.get(0));
            System.out.println("AccountRiskTableITCase: above 0.7 and why: " + why);
            assertThat(why).extracting(r -> r.get("account_id")).containsExactly("globex");
            List<Map<String, Object>> byStage = query(url, documented.get(1));
            System.out.println("AccountRiskTableITCase: risk by stage: " + byStage);
            assertThat(byStage).isNotEmpty().allSatisfy(r -> assertThat(r.get("stage")).isNotEqualTo("unknown"));
            List<Map<String, Object>> drivers = query(url, documented.get(2));
            System.out.println("AccountRiskTableITCase: drivers above 0.7: " + drivers);
            assertThat(drivers).isNotEmpty();
        }
    }

    /** The SQL blocks of docs/analysts.md's "The account risk" section, in order. */
    static List<String> documentedQueries() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "analysts.md"), StandardCharsets.UTF_8);
        String section = doc.substring(doc.indexOf("## The account risk"));
        List<String> queries = new ArrayList<>();
        Matcher m = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            queries.add(m.group(1).trim().replaceAll(";$", ""));
        }
        return queries;
    }
}
