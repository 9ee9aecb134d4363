package io.headway;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.generator.GeneratorMain;
import io.headway.sink.DeadLetterSerializer;
import io.headway.testing.Eventually;
import io.headway.testing.FailoverCluster;
import io.headway.testing.KafkaTestBroker;
import io.headway.testing.PostgresTestDatabase;
import io.headway.testing.TestJobConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The analyst tables end to end: generator touchpoints on a real broker, the production
 * {@code buildPipeline} on MiniCluster (parallelism 2), the real PostgreSQL. (1) What the tables hold
 * is what the output topics say. (2) The same input processed again into the same database, and
 * (3) a run where a TaskManager dies and the job restores from a checkpoint, leave every table as the
 * clean run did (full dumps compared, processing-time columns left out).
 *
 * <p>Some outputs are not yet reproducible between two runs over the same input, whatever the sinks
 * do: their tables are compared and the differences printed, but asserted only once their entry in
 * {@link #NOT_YET_REPRODUCIBLE} is removed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalystTablesITCase {

    /**
     * Tables whose comparison between runs is printed but not asserted, and why: empty. (Scores and
     * alerts joined once they were applied in event-time order; the end of a bounded input once it
     * fired what lies before the subtask's latest event time, kept in state across a restore.)
     */
    static final Map<String, String> NOT_YET_REPRODUCIBLE = Map.of();

    /** As {@link #NOT_YET_REPRODUCIBLE}, for the restore run only: empty. */
    static final Map<String, String> NOT_YET_REPRODUCIBLE_AFTER_RESTORE = Map.of();

    /** Every table the job writes, with its primary key (dump order) and its processing-time columns (not compared). */
    private static final Map<String, String> ORDER_BY = new LinkedHashMap<>();
    private static final Map<String, Set<String>> PROCESSING_TIME = new HashMap<>();

    static {
        ORDER_BY.put("account_activity", "account_id");
        ORDER_BY.put("journeys", "instance_id");
        ORDER_BY.put("journey_milestones", "instance_id, milestone");
        ORDER_BY.put("goals", "account_id, goal_id");
        ORDER_BY.put("dead_letters", "topic, kafka_partition, kafka_offset");
        ORDER_BY.put("score_history", "account_id, as_of, reason");
        ORDER_BY.put("scores_current", "account_id");
        ORDER_BY.put("alerts", "alert_id");
        ORDER_BY.put("alert_transitions", "alert_id, updated_at, state, reason");
        for (String table : ORDER_BY.keySet()) {
            PROCESSING_TIME.put(table, Set.of("updated_at"));
        }
        // In the alert tables updated_at is the transition's event time (the Alert field); these are not.
        PROCESSING_TIME.put("alerts", Set.of("first_detected_at", "written_at"));
        PROCESSING_TIME.put("alert_transitions", Set.of("detected_at"));
    }

    @org.junit.jupiter.api.Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    @org.junit.jupiter.api.Order(2)
    @RegisterExtension
    static final PostgresTestDatabase POSTGRES = new PostgresTestDatabase();

    /** Two TaskManagers, slots spread: killing one fails running tasks, the survivor can run the job (as ExactlyOnceRecoveryITCase). */
    @org.junit.jupiter.api.Order(3)
    @RegisterExtension
    static final MiniClusterExtension FLINK = FailoverCluster.twoTaskManagers();

    /** Generator data in event-time order (disorder would test the score function, not the sinks), with duplicates and malformed records. */
    private static final String[] GENERATOR = {
        "--accounts", "60", "--days", "50", "--seed", "23", "--start", "2026-06-01T00:00:00Z", "--partitions", "2",
        "--deteriorating-share", "0.3", "--duplicate-rate", "0.01", "--malformed-rate", "0.005"
    };

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Short, so the TaskManager dies soon after the first checkpoint, while the input is still flowing. */
    private static final Duration FAILURE_POLL = Duration.ofMillis(20);

    private static String input;
    private static String cleanDatabase;
    private static Map<String, String> cleanTopics;
    private static Map<String, List<String>> cleanDump;

    @BeforeAll
    static void cleanRun() throws Exception {
        input = "touchpoints-" + UUID.randomUUID().toString().substring(0, 8);
        GeneratorMain.run(with(GENERATOR, "--out", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", input));
        cleanDatabase = POSTGRES.newDatabase();
        Run clean = start("clean", cleanDatabase, Map.of());
        clean.job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        cleanTopics = clean.topics;
        cleanDump = dump(cleanDatabase);
        printLate("clean", clean);
    }

    @Test
    @Order(1)
    void shouldHoldWhatTheOutputTopicsSay() throws Exception {
        assertTablesHoldWhatTheTopicsSay("clean", cleanDatabase, cleanTopics);
    }

    /** Every table against the topics of the same run: what a sink wrote is what the job emitted. */
    private static void assertTablesHoldWhatTheTopicsSay(String run, String database, Map<String, String> topics) throws Exception {
        // Journeys: the highest sequence per instance; its milestones.
        Map<String, JsonNode> journeys = latest(read(topics, "output.journey-topic"), j -> j.path("instance_id").asText(),
                Comparator.comparingInt(j -> j.path("sequence").asInt()));
        assertThat(rows(database, "SELECT instance_id AS k, sequence || ' ' || status || ' ' || coalesce(" + ms("ended_at") + "::text, '-')"
                        + " || ' ' || coalesce(time_to_value_ms::text, '-') AS v FROM journeys"))
                .isEqualTo(map(journeys, j -> j.path("sequence").asInt() + " " + j.path("status").asText() + " "
                        + orDash(millis(j.path("ended_at"))) + " " + orDash(j.path("time_to_value_ms").isNull() ? null : j.path("time_to_value_ms").asLong())));
        Map<String, String> milestones = new TreeMap<>();
        journeys.values().forEach(j -> j.path("milestones").forEach(m -> milestones.put(
                j.path("instance_id").asText() + "|" + m.path("name").asText(),
                m.path("status").asText() + " " + orDash(millis(m.path("reached_at"))))));
        assertThat(rows(database, "SELECT instance_id || '|' || milestone AS k, status || ' ' || coalesce(" + ms("reached_at") + "::text, '-') AS v"
                        + " FROM journey_milestones"))
                .isEqualTo(milestones);

        // Goals: the latest by (as_of, sequence) per account and goal.
        Map<String, JsonNode> goals = latest(read(topics, "output.goal-topic"), g -> g.path("account_id").asText() + "|" + g.path("goal_id").asText(),
                Comparator.<JsonNode>comparingLong(g -> millis(g.path("as_of"))).thenComparingInt(g -> g.path("sequence").asInt()));
        assertThat(rows(database, "SELECT account_id || '|' || goal_id AS k, status || ' ' || sequence AS v FROM goals"))
                .isEqualTo(map(goals, g -> g.path("status").asText() + " " + g.path("sequence").asInt()));

        // Scores: every (account, as_of, reason) once in the history; the latest per account by (as_of, reason rank).
        List<JsonNode> scores = read(topics, "output.score-topic");
        Map<String, JsonNode> history = latest(scores, s -> s.path("account_id").asText() + "|" + millis(s.path("as_of")) + "|" + s.path("reason").asText(),
                (a, b) -> 0);
        assertThat(rows(database, "SELECT account_id || '|' || " + ms("as_of") + " || '|' || reason AS k, score, grade FROM score_history"))
                .isEqualTo(map(history, s -> s.path("score").asDouble() + " " + s.path("grade").asText()));
        Map<String, JsonNode> current = latest(scores, s -> s.path("account_id").asText(),
                Comparator.<JsonNode>comparingLong(s -> millis(s.path("as_of"))).thenComparingInt(s -> reasonRank(s.path("reason").asText())));
        assertThat(rows(database, "SELECT account_id AS k, score, grade, reason FROM scores_current"))
                .isEqualTo(map(current, s -> s.path("score").asDouble() + " " + s.path("grade").asText() + " " + s.path("reason").asText()));

        // Alerts: one row per alert id in its latest state; every transition once.
        List<JsonNode> alertRecords = read(topics, "output.alert-topic");
        Map<String, JsonNode> alerts = latest(alertRecords, a -> a.path("alert_id").asText(),
                Comparator.<JsonNode>comparingLong(a -> millis(a.path("updated_at"))).thenComparingInt(a -> stateRank(a.path("state").asText())));
        // After a restore the exactly-once alert topic drops what the failed attempt emitted, the tables
        // (upserts, at-least-once) keep it: the same only if the replay emits the same alerts again.
        boolean alertsAsserted = run.equals("clean") || !NOT_YET_REPRODUCIBLE.containsKey("alerts");
        Map<String, String> alertRows = rows(database, "SELECT alert_id AS k, state || ' ' || rule AS v FROM alerts");
        Map<String, String> alertTopic = map(alerts, a -> a.path("state").asText() + " " + a.path("rule").asText());
        if (alertsAsserted) {
            assertThat(alertRows).isEqualTo(alertTopic);
        } else if (!alertRows.equals(alertTopic)) {
            System.out.printf("AnalystTablesITCase [%s]: NOT ASSERTED YET (%s): alerts table %d rows, committed alert topic %d alerts%n",
                    run, NOT_YET_REPRODUCIBLE.get("alerts"), alertRows.size(), alertTopic.size());
        }
        Set<String> transitions = alertRecords.stream()
                .map(a -> a.path("alert_id").asText() + "|" + millis(a.path("updated_at")) + "|" + a.path("state").asText() + "|" + a.path("reason").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> transitionRows = new TreeSet<>(rows(database, "SELECT alert_id || '|' || " + ms("updated_at") + " || '|' || state || '|' || reason AS k,"
                        + " '' AS v FROM alert_transitions").keySet());
        if (alertsAsserted) {
            assertThat(transitionRows).isEqualTo(transitions);
        } else if (!transitionRows.equals(transitions)) {
            System.out.printf("AnalystTablesITCase [%s]: NOT ASSERTED YET: alert_transitions table %d rows, committed alert topic %d%n",
                    run, transitionRows.size(), transitions.size());
        }

        // Dead letters: one row per rejected source position, with its reason.
        Map<String, String> deadLetters = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KAFKA.readToEnd(topics.get("output.dead-letter-topic"), TIMEOUT)) {
            deadLetters.put(header(r, DeadLetterSerializer.HEADER_PARTITION) + "|" + header(r, DeadLetterSerializer.HEADER_OFFSET),
                    header(r, DeadLetterSerializer.HEADER_REASON_CODE));
        }
        assertThat(rows(database, "SELECT kafka_partition || '|' || kafka_offset AS k, reason_code AS v FROM dead_letters")).isEqualTo(deadLetters);

        // Activity: the latest summary per account.
        Map<String, String> activity = new TreeMap<>();
        for (JsonNode a : read(topics, "output.activity-topic")) {
            activity.merge(a.path("account_id").asText(), a.path("as_of").asText(), (x, y) -> x.compareTo(y) >= 0 ? x : y);
        }
        assertThat(rows(database, "SELECT account_id AS k, to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS v"
                        + " FROM account_activity"))
                .isEqualTo(activity);

        System.out.printf(
                "AnalystTablesITCase [" + run + "]: tables equal the topics: %d accounts' activity, %d journeys (%d records), %d milestones, %d goals, %d score records"
                        + " of %d accounts, %d alerts (%d transitions), %d dead letters%n",
                activity.size(), journeys.size(), read(topics, "output.journey-topic").size(), milestones.size(), goals.size(), history.size(), current.size(),
                alerts.size(), transitions.size(), deadLetters.size());
        assertThat(journeys).isNotEmpty();
        assertThat(goals).isNotEmpty();
        assertThat(alerts).isNotEmpty();
        assertThat(deadLetters).isNotEmpty();
    }

    @Test
    @Order(2)
    void shouldLeaveEveryTableAsACleanRunDidWhenTheSameInputIsProcessedAgain() throws Exception {
        Run again = start("again", cleanDatabase, Map.of());
        again.job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        printLate("again", again);

        assertSameTables("same input again, same database", dump(cleanDatabase), Map.of());
    }

    @Test
    @Order(3)
    void shouldLeaveEveryTableAsACleanRunDidAfterARestoreFromCheckpoint(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String database = POSTGRES.newDatabase();
        // Frequent checkpoints, so the first one completes early in the run, and the input (5.5 MB on two
        // partitions) read at 512 KiB/s per subtask, so the run lasts at least 5 s whatever the machine:
        // the failure comes mid-stream.
        Map<String, String> settings = new HashMap<>(KAFKA.throttledSource("tables-restore-" + input, 2, 512 << 10));
        settings.put("checkpoint.interval", "300 ms");
        Run restored = start("restore", database, settings);
        JobID id = restored.job.getJobID();
        long rowsAtFailure = Eventually.await("a checkpoint and some score_history rows", TIMEOUT, FAILURE_POLL, () -> {
            JobStatus status = restored.job.getJobStatus().get();
            assertThat(status.isGloballyTerminalState()).as("the job ended (%s) before the failure was due", status).isFalse();
            boolean checkpointed = status == JobStatus.RUNNING
                    && FailoverCluster.checkpoints(cluster, id).getCounts().getNumberOfCompletedCheckpoints() >= 1;
            return checkpointed ? count(database, "score_history") : 0L;
        }, rows -> rows > 0);
        cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
        restored.job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        CheckpointStatsSnapshot stats = FailoverCluster.checkpoints(cluster, id);
        System.out.printf("AnalystTablesITCase: TaskManager terminated with %d score_history rows written (clean run: %d); restored %d time(s)%n",
                rowsAtFailure, cleanDump.get("score_history").size(), stats.getCounts().getNumberOfRestoredCheckpoints());
        assertThat(stats.getCounts().getNumberOfRestoredCheckpoints()).as("restored from a checkpoint").isGreaterThanOrEqualTo(1);
        assertThat(rowsAtFailure).as("the failure came mid-stream: rows were added after it").isLessThan(count(database, "score_history"));

        // Whatever the job wrote to its topics after the restore, the tables hold: a lost batch would show here.
        assertTablesHoldWhatTheTopicsSay("restore", database, restored.topics);
        assertSameTables("restore from checkpoint, fresh database", dump(database), NOT_YET_REPRODUCIBLE_AFTER_RESTORE);
    }

    // ------------------------------------------------------------------ comparing tables

    private static void assertSameTables(String run, Map<String, List<String>> actual, Map<String, String> alsoNotYet) {
        Map<String, String> notYet = new HashMap<>(NOT_YET_REPRODUCIBLE);
        notYet.putAll(alsoNotYet);
        List<String> failures = new ArrayList<>();
        for (String table : ORDER_BY.keySet()) {
            List<String> expected = cleanDump.get(table);
            List<String> got = actual.get(table);
            if (expected.equals(got)) {
                System.out.printf("AnalystTablesITCase [%s]: %s: %d rows identical to the clean run%n", run, table, expected.size());
                continue;
            }
            Set<String> onlyClean = new TreeSet<>(expected);
            onlyClean.removeAll(got);
            Set<String> onlyOther = new TreeSet<>(got);
            onlyOther.removeAll(expected);
            String diff = String.format("%s: %d rows (clean %d): %d only in the clean run, %d only here; first only in the clean run: %s; first only here: %s",
                    table, got.size(), expected.size(), onlyClean.size(), onlyOther.size(),
                    onlyClean.stream().findFirst().orElse("-"), onlyOther.stream().findFirst().orElse("-"));
            if (notYet.containsKey(table)) {
                System.out.printf("AnalystTablesITCase [%s]: NOT ASSERTED YET (%s): %s%n", run, notYet.get(table), diff);
            } else {
                failures.add(diff);
            }
        }
        assertThat(failures).as(run + ": tables that differ from the clean run").isEmpty();
    }

    /** Every table as rows of "column=value" text in primary-key order, processing-time columns left out. */
    private static Map<String, List<String>> dump(String jdbcUrl) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : ORDER_BY.entrySet()) {
            List<String> rows = new ArrayList<>();
            for (Map<String, Object> row : PostgresTestDatabase.query(jdbcUrl, "SELECT * FROM " + t.getKey() + " ORDER BY " + t.getValue())) {
                row.keySet().removeAll(PROCESSING_TIME.get(t.getKey()));
                rows.add(row.toString());
            }
            out.put(t.getKey(), rows);
        }
        return out;
    }

    private static void printLate(String name, Run run) {
        Map<String, Integer> reasons = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KAFKA.readToEnd(run.topics.get("output.late-topic"), TIMEOUT)) {
            reasons.merge(header(r, "headway.late.reason"), 1, Integer::sum);
        }
        System.out.printf("AnalystTablesITCase [%s]: late touchpoints by reason: %s%n", name, reasons);
    }

    private static long count(String jdbcUrl, String table) throws Exception {
        return (Long) PostgresTestDatabase.query(jdbcUrl, "SELECT count(*) AS n FROM " + table).get(0).get("n");
    }

    // ------------------------------------------------------------------ reading topics and tables

    private static List<JsonNode> read(Map<String, String> topics, String output) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KAFKA.readToEnd(topics.get(output), TIMEOUT)) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    /** The greatest record per key by {@code order}; among equals the last one read (the sink's order per account). */
    private static Map<String, JsonNode> latest(
            List<JsonNode> records, java.util.function.Function<JsonNode, String> key, Comparator<JsonNode> order) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode r : records) {
            out.merge(key.apply(r), r, (old, neu) -> order.compare(neu, old) >= 0 ? neu : old);
        }
        return out;
    }

    private static Map<String, String> map(Map<String, JsonNode> records, java.util.function.Function<JsonNode, String> value) {
        Map<String, String> out = new TreeMap<>();
        records.forEach((k, r) -> out.put(k, value.apply(r)));
        return out;
    }

    /** A query's rows as a sorted map: column k to the other columns joined by spaces (numbers as Java prints them). */
    private static Map<String, String> rows(String database, String sql) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, Object> row : PostgresTestDatabase.query(database, sql)) {
            String key = String.valueOf(row.remove("k"));
            String value = row.values().stream().map(String::valueOf).collect(Collectors.joining(" "));
            assertThat(out.put(key, value)).as("key %s once", key).isNull();
        }
        return out;
    }

    private static String ms(String column) {
        return "(extract(epoch FROM " + column + ") * 1000)::bigint";
    }

    private static Long millis(JsonNode instant) {
        return instant.isNull() || instant.isMissingNode() ? null : Instant.parse(instant.asText()).toEpochMilli();
    }

    private static String orDash(Long v) {
        return v == null ? "-" : v.toString();
    }

    /** As the database's headway_score_reason_rank. */
    private static int reasonRank(String reason) {
        return List.of("change", "grade_change", "daily", "final").indexOf(reason) + 1;
    }

    /** As the database's headway_alert_state_rank. */
    private static int stateRank(String state) {
        return switch (state) {
            case "open" -> 1;
            case "acknowledged" -> 2;
            case "snoozed" -> 3;
            case "escalated" -> 4;
            case "resolved", "won" -> 5;
            default -> 0;
        };
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ running the job

    private record Run(JobClient job, Map<String, String> topics) {}

    private static Run start(String name, String jdbcUrl, Map<String, String> extra) throws Exception {
        Map<String, String> settings =
                TestJobConfig.settings(
                        KAFKA.bootstrapServers(), input, KAFKA.newTopic("activity", 2, Map.of()),
                        KAFKA.newTopic("dead-letters", 2, Map.of()), KAFKA.newTopic("late", 2, Map.of()), jdbcUrl);
        TestJobConfig.freshOutputTopics(settings, prefix -> KAFKA.newTopic(prefix, 2, Map.of()));
        settings.put("input.bounded", "true");
        settings.put("input.group-id", "tables-" + name + "-" + input);
        settings.put("output.transactional-id-prefix", "tables-" + name + "-" + input);
        settings.put("restart.attempts", "3");
        settings.put("restart.delay", "500 ms");
        // validation.max-future stays at its default: the generator's window (June-July 2026) is in the
        // past, and a wide one would accept its records moved ten years ahead (a malformation), whose
        // event time would make everything after them late.
        settings.putAll(extra);
        Map<String, String> topics = new HashMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith("output.") && k.endsWith("-topic")) {
                topics.put(k, v);
            }
        });
        return new Run(TestJobConfig.submit(settings, "analyst-tables-" + name), topics);
    }

    private static String[] with(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
