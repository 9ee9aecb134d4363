package io.headway.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.HeadwayJob;
import io.headway.config.HeadwayConfig;
import io.headway.schema.ActivitySummary;
import io.headway.testing.Eventually;
import io.headway.testing.KafkaTestBroker;
import io.headway.testing.PostgresTestDatabase;
import io.headway.testing.TestJobConfig;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Issue 17, item 3, on the real PostgreSQL: a row the database refuses (a NUL character in an
 * account id, a CHECK constraint) goes to {@code dead_letters} with its reason and the job goes on,
 * writing every other row; a database that is down is an infrastructure failure instead: the job
 * restarts with back-off and, once the database is back, writes everything, dead-lettering nothing.
 */
class JdbcTableSinkITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    @Order(2)
    @RegisterExtension
    static final PostgresTestDatabase POSTGRES = new PostgresTestDatabase();

    @Order(3)
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    private static final Instant DAY_0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String NUL_ACCOUNT = "nul\u0000corp";

    @Test
    void shouldParkARowWithANulCharacterAndWriteTheOthers() throws Exception {
        String url = migratedDatabase();
        List<ActivitySummary> rows = List.of(summary("acme", 1), summary(NUL_ACCOUNT, 1), summary("globex", 1), summary("acme", 2));

        JobID first = runIntoActivityTable(url, rows);
        // The same input again, as after a restore: the upserts and the dead letter's key make it a no-op.
        runIntoActivityTable(url, rows);

        assertThat(column(url, "SELECT account_id FROM account_activity ORDER BY account_id")).containsExactly("acme", "globex");
        assertThat(column(url, "SELECT events_7d::text FROM account_activity WHERE account_id = 'acme'")).containsExactly("2");
        List<Map<String, Object>> parked = PostgresTestDatabase.query(url, "SELECT * FROM dead_letters");
        assertThat(parked).hasSize(1);
        Map<String, Object> d = parked.get(0);
        System.out.println("JdbcTableSinkITCase: dead letter of the NUL row: " + d);
        assertThat(d.get("source")).isEqualTo("sink:account_activity");
        assertThat(d.get("topic")).isEqualTo("sink:account_activity");
        assertThat(d.get("kafka_partition")).isEqualTo(-1);
        assertThat(d.get("reason_code")).isEqualTo(SinkRejection.SINK_ENCODING.name());
        assertThat((String) d.get("reason")).contains("0x00");
        assertThat(d.get("record_key")).isEqualTo("nul\\u0000corp");
        assertThat((String) d.get("payload")).contains("\"account_id\":\"nul\\u0000corp\"").contains("\"events_7d\":1");
        assertThat(rejectedCount(first, "Activity to PostgreSQL")).isEqualTo(1);
    }

    @Test
    void shouldParkRowsTheDatabaseRefusesWhileTheWorkflowRunsOn() throws Exception {
        String url = migratedDatabase();
        execute(url, "ALTER TABLE account_activity ADD CONSTRAINT account_activity_not_blocked CHECK (account_id NOT LIKE 'blocked-%')");
        String input = KAFKA.newTopic("touchpoints", 2, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            int n = 0;
            for (String account : List.of("acme", "blocked-1", "globex", NUL_ACCOUNT)) {
                for (int day = 0; day < 3; day++) {
                    String json = "{\"event_id\":\"e" + n++ + "\",\"account_id\":\"" + jsonEscaped(account) + "\",\"occurred_at\":"
                            + DAY_0.plus(Duration.ofDays(day)).toEpochMilli() + ",\"source\":\"product\",\"type\":\"login\"}";
                    producer.send(new ProducerRecord<>(input, account.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8))).get();
                }
            }
        }
        Map<String, String> settings =
                TestJobConfig.settings(
                        KAFKA.bootstrapServers(), input, KAFKA.newTopic("activity", 2, Map.of()),
                        KAFKA.newTopic("dead-letters", 2, Map.of()), KAFKA.newTopic("late", 2, Map.of()), url);
        TestJobConfig.freshOutputTopics(settings, prefix -> KAFKA.newTopic(prefix, 2, Map.of()));
        settings.put("input.bounded", "true");
        settings.put("validation.max-future", "3650 d");
        // No restart allowed: the job finishing at all shows that no refused row failed a task.
        settings.put("restart.attempts", "0");

        JobClient job = TestJobConfig.submit(settings, "sink-rejections");
        job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(column(url, "SELECT DISTINCT account_id FROM account_activity ORDER BY account_id")).containsExactly("acme", "globex");
        assertThat(column(url, "SELECT DISTINCT account_id FROM score_history WHERE account_id IN ('acme', 'blocked-1', 'globex') ORDER BY account_id"))
                .as("the constraint is on account_activity only: the other tables have the account")
                .containsExactly("acme", "blocked-1", "globex");
        List<Map<String, Object>> blocked =
                PostgresTestDatabase.query(url, "SELECT reason_code, reason FROM dead_letters WHERE source = 'sink:account_activity' AND record_key = 'blocked-1'");
        assertThat(blocked).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("reason_code")).isEqualTo(SinkRejection.SINK_CONSTRAINT.name());
            assertThat((String) r.get("reason")).contains("account_activity_not_blocked");
        });
        // The record. Validation may reject a NUL in an id before it reaches a sink (then it is an
        // input dead letter); if it does not, every table that stores the id must park it instead.
        List<Map<String, Object>> nul =
                PostgresTestDatabase.query(url, "SELECT source, reason_code FROM dead_letters WHERE record_key = 'nul\\u0000corp' OR payload LIKE '%nul%corp%'");
        System.out.println("JdbcTableSinkITCase: dead letters of the NUL account: " + nul);
        assertThat(nul).as("the NUL account is in dead_letters with a reason").isNotEmpty();
        if (nul.stream().noneMatch(r -> "input".equals(r.get("source")))) {
            assertThat(nul.stream().map(r -> r.get("source")).collect(Collectors.toSet())).contains("sink:account_activity");
            assertThat(nul).allSatisfy(r -> assertThat(r.get("reason_code")).isEqualTo(SinkRejection.SINK_ENCODING.name()));
        }
        assertThat(rejectedCount(job.getJobID(), "Activity to PostgreSQL")).isPositive();
    }

    @Test
    void shouldRestartWithBackOffWhileTheDatabaseIsDownAndParkNothing() throws Exception {
        String url = migratedDatabase();
        String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        execute(adminUrl(url), "ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
        Map<String, String> settings = new HashMap<>(baseSettings(url));
        settings.put("restart.attempts", "30");
        settings.put("restart.delay", "100 ms");
        settings.put("restart.max-delay", "1 s");
        settings.put("jdbc.max-retries", "0");
        List<ActivitySummary> rows = List.of(summary("acme", 1), summary("globex", 1), summary("initech", 1));

        JobClient job = submitIntoActivityTable(settings, rows);
        long restarts =
                Eventually.await("two restarts while the database refuses connections", TIMEOUT,
                        () -> numRestarts(job.getJobID()), n -> n >= 2);
        assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job waits for the database").isFalse();
        execute(adminUrl(url), "ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
        job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        System.out.printf("JdbcTableSinkITCase: %d restarts while the database was down, %d in all%n", restarts, numRestarts(job.getJobID()));
        assertThat(column(url, "SELECT account_id FROM account_activity ORDER BY account_id")).containsExactly("acme", "globex", "initech");
        assertThat(column(url, "SELECT count(*)::text FROM dead_letters")).containsExactly("0");
    }

    // ------------------------------------------------------------------ helpers

    private static String migratedDatabase() throws Exception {
        String url = POSTGRES.newDatabase();
        SchemaMigrator.migrate(url, "postgres", null);
        return url;
    }

    private static Map<String, String> baseSettings(String url) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap-servers", "127.0.0.1:9");
        s.put("jdbc.url", url);
        s.put("jdbc.batch-interval", "100 ms");
        s.put("checkpoint.interval", "1 s");
        return s;
    }

    private static JobID runIntoActivityTable(String url, List<ActivitySummary> rows) throws Exception {
        Map<String, String> settings = baseSettings(url);
        settings.put("restart.attempts", "0");
        JobClient job = submitIntoActivityTable(settings, rows);
        job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return job.getJobID();
    }

    /** The production activity sink ({@link Sinks#activityDatabase}) over these rows, one batch, parallelism 1. */
    private static JobClient submitIntoActivityTable(Map<String, String> settings, List<ActivitySummary> rows) throws Exception {
        HeadwayConfig config = HeadwayConfig.of(settings, Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(HeadwayJob.engineConfiguration(config));
        env.setParallelism(1);
        Sinks.activityDatabase(config).accept(env.fromData(new AvroTypeInfo<>(ActivitySummary.class), rows.toArray(new ActivitySummary[0])));
        return env.executeAsync("jdbc-table-sink");
    }

    private static ActivitySummary summary(String account, int day) {
        long asOf = DAY_0.plus(Duration.ofDays(day)).toEpochMilli();
        return ActivitySummary.newBuilder()
                .setAccountId(account)
                .setAsOf(asOf)
                .setLastSeenAt(asOf - 1)
                .setEvents7d(day)
                .setEvents28d(day)
                .setEvents7dBySource(Map.of("product", (long) day))
                .setEvents28dBySource(Map.of("product", (long) day))
                .setActive(true)
                .build();
    }

    /** The counter of the sink's writer, summed over its subtasks. */
    private static long rejectedCount(JobID job, String sinkName) {
        long sum = 0;
        for (Map.Entry<String, Metric> m : METRICS.findMetrics(job, JdbcTableSink.REJECTED_METRIC).entrySet()) {
            if (m.getKey().contains(sinkName)) {
                sum += ((Counter) m.getValue()).getCount();
            }
        }
        return sum;
    }

    private static long numRestarts(JobID job) {
        return METRICS.findMetric(job, "numRestarts").map(m -> ((Number) ((Gauge<?>) m).getValue()).longValue()).orElse(0L);
    }

    private static List<String> column(String url, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : PostgresTestDatabase.query(url, sql)) {
            out.add(String.valueOf(row.values().iterator().next()));
        }
        return out;
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The same server's maintenance database: a database cannot be closed from a connection to itself. */
    private static String adminUrl(String url) {
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + "postgres" + (query < 0 ? "" : url.substring(query));
    }

    private static String jsonEscaped(String s) {
        return s.replace("\u0000", "\\u0000");
    }
}
