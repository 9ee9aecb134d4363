package io.headway;

import static io.headway.testing.Fixtures.day;
import static io.headway.testing.Fixtures.json;
import static io.headway.testing.Fixtures.touchpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.config.HeadwayConfig;
import io.headway.schema.Touchpoint;
import io.headway.testing.Eventually;
import io.headway.testing.KafkaTestBroker;
import io.headway.testing.MiniClusters;
import io.headway.testing.PostgresTestDatabase;
import io.headway.testing.TestJobConfig;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Savepoints of released versions restore into the current job. Every version has a committed
 * savepoint under {@code src/test/resources/headway-savepoint/<version>/} and a test here that restores
 * it and checks its state shapes the new output; a folder without its test, or a test without its
 * folder, fails (docs/operations.md, "Upgrades and savepoints": every release adds one).
 *
 * <ul>
 *   <li>0.1 (before journeys, scores, goals and alerts): remembered event ids and activity counts.
 *   <li>0.2: every keyed operator holds state (checked in the savepoint's metadata), and after the
 *       restore a journey continues, a duplicate is dropped, an open alert resolves, a goal is achieved
 *       and the first score carries its previous score.
 * </ul>
 *
 * <p>To add the savepoint of the current version before it is released, run
 * {@code mvn -pl jobs -am test -Dtest=HeadwaySavepointITCase -Dheadway.savepoint.write=<version>},
 * commit the directory it writes, and add its restore test (copy the newest one).
 */
class HeadwaySavepointITCase {

    @Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    @Order(2)
    @RegisterExtension
    static final PostgresTestDatabase POSTGRES = new PostgresTestDatabase();

    @Order(3)
    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    private static final Path SAVEPOINTS = Path.of("src", "test", "resources", "headway-savepoint");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> ACCOUNTS = List.of("acme", "globex");

    /** The versions that have a restore test below: one per committed folder. */
    private static final List<String> TESTED_VERSIONS = List.of("0.1", "0.2");

    /** Every operator that keeps keyed state, by uid: each must be restored from the current savepoint. */
    private static final List<String> KEYED_UIDS =
            List.of(HeadwayJob.ACCEPT_UID, HeadwayJob.ACTIVITY_UID, HeadwayJob.JOURNEYS_UID, HeadwayJob.SCORE_UID,
                    HeadwayJob.GOALS_UID, HeadwayJob.ALERTS_UID);

    @Test
    void shouldHaveARestoreTestForEveryCommittedSavepoint() throws Exception {
        try (Stream<Path> folders = Files.list(SAVEPOINTS)) {
            assertThat(folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted())
                    .containsExactlyElementsOf(TESTED_VERSIONS);
        }
    }

    // ------------------------------------------------------------------------------------------ 0.1

    /** 0.1 wrote its input to this topic: topic names are part of a savepoint (the source's splits). */
    private static final String INPUT_0_1 = "savepoint-touchpoints";

    @Test
    void shouldRestoreRememberedIdsAndCountsFromTheSavepointOf0_1() throws Exception {
        Scenario scenario = Scenario.V0_1;
        String jdbcUrl = POSTGRES.newDatabase();
        JobClient job = restore(scenario, "0.1", jdbcUrl);

        List<Map<String, Object>> rows =
                Eventually.await(
                        "summaries as of DAY_1 17:00 after the restore",
                        TIMEOUT,
                        () -> PostgresTestDatabase.query(jdbcUrl, "SELECT account_id, events_28d FROM account_activity WHERE as_of >= '" + day(1).plus(Duration.ofHours(17)) + "' ORDER BY account_id"),
                        r -> r.size() == ACCOUNTS.size());
        job.cancel().get();

        long before = scenario.before.apply("acme").size();
        long after = scenario.after.apply("acme").size() - 1 /* the repeat */ - 1 /* DAY_2, not yet in the window */;
        assertThat(rows)
                .extracting(r -> r.get("events_28d"))
                .as("counts before the savepoint carry over; the repeated event id is dropped")
                .containsExactly(before + after, before + after);
    }

    /** DAY_0 and DAY_1 until noon, every two hours, and one touchpoint at 14:00 that moves event time past 13:00. */
    private static List<Touchpoint> beforeSavepoint0_1(String account) {
        List<Touchpoint> out = new ArrayList<>();
        for (int h = 8; h <= 36; h += 2) {
            Instant at = day(0).plus(Duration.ofHours(h));
            out.add(touchpoint(account + "-" + h, account, at, h % 6 == 0 ? "support" : "product", h % 6 == 0 ? "ticket_opened" : "login"));
        }
        out.add(touchpoint(account + "-38", account, day(1).plus(Duration.ofHours(14)), "product", "feature_used"));
        return out;
    }

    /** A repeat of the last id before the savepoint, two new touchpoints, and one on DAY_2 that closes DAY_1. */
    private static List<Touchpoint> afterSavepoint0_1(String account) {
        List<Touchpoint> out = new ArrayList<>();
        out.add(touchpoint(account + "-38", account, day(1).plus(Duration.ofHours(14)), "product", "feature_used"));
        out.add(touchpoint(account + "-39", account, day(1).plus(Duration.ofHours(15)), "education", "course_completed"));
        out.add(touchpoint(account + "-40", account, day(1).plus(Duration.ofHours(16)), "product", "login"));
        out.add(touchpoint(account + "-49", account, day(2).plus(Duration.ofHours(1)), "product", "login"));
        return out;
    }

    // ------------------------------------------------------------------------------------------ 0.2

    private static final String INPUT_0_2 = "savepoint-0.2-touchpoints";
    private static final Instant STARTED = day(0).plus(Duration.ofHours(8));
    /** onboarding's kickoff is due 5 days after the start and behind (milestone-at-risk) after 4. */
    private static final Instant KICKOFF_BEHIND = STARTED.plus(Duration.ofDays(4));
    private static final Instant LAST_BEFORE = day(4).plus(Duration.ofHours(14));
    private static final Instant KICKOFF_REACHED = day(4).plus(Duration.ofHours(15));

    @Test
    void shouldKeepStateOfEveryKeyedOperatorInTheSavepointOf0_2() throws Exception {
        Path metadata = SAVEPOINTS.resolve("0.2").resolve("savepoint").resolve("_metadata");
        assertThat(metadata).as("the committed savepoint of 0.2").exists();
        CheckpointMetadata checkpoint;
        try (InputStream in = Files.newInputStream(metadata)) {
            checkpoint = Checkpoints.loadCheckpointMetadata(
                    new DataInputStream(in), getClass().getClassLoader(), metadata.getParent().toUri().toString());
        }
        Map<OperatorID, OperatorState> byId =
                checkpoint.getOperatorStates().stream().collect(Collectors.toMap(OperatorState::getOperatorID, s -> s));
        for (String uid : KEYED_UIDS) {
            OperatorState state = byId.get(new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid)));
            assertThat(state).as("operator " + uid + " in the savepoint").isNotNull();
            assertThat(state.getMaxParallelism()).as(uid + ": job.max-parallelism").isEqualTo(128);
            long keyedBytes = state.getStates().stream()
                    .flatMap(s -> s.getManagedKeyedState().stream())
                    .mapToLong(h -> h.getStateSize())
                    .sum();
            assertThat(keyedBytes).as(uid + ": bytes of keyed state").isPositive();
        }
    }

    @Test
    void shouldContinueJourneysScoresGoalsAlertsAndDeduplicationFromTheSavepointOf0_2() throws Exception {
        Scenario scenario = Scenario.V0_2;
        String jdbcUrl = POSTGRES.newDatabase();
        JobClient job = restore(scenario, "0.2", jdbcUrl);

        Instant lastSummary = day(4).plus(Duration.ofHours(19));
        Eventually.await(
                "activity as of DAY_4 19:00, resolved alerts, achieved goals and DAY_5's scores after the restore",
                TIMEOUT,
                () -> PostgresTestDatabase.query(jdbcUrl,
                        "SELECT (SELECT count(*) FROM account_activity WHERE as_of >= '" + lastSummary + "') AS activity,"
                                + " (SELECT count(*) FROM alerts WHERE rule = 'milestone-at-risk' AND state = 'resolved') AS alerts,"
                                + " (SELECT count(*) FROM goals WHERE status = 'achieved') AS goals,"
                                + " (SELECT count(*) FROM score_history WHERE reason = 'daily' AND as_of = '" + day(5) + "') AS scores"),
                r -> r.get(0).values().stream().allMatch(v -> ((Number) v).intValue() == ACCOUNTS.size()));
        List<Map<String, Object>> activity = PostgresTestDatabase.query(jdbcUrl,
                "SELECT account_id, events_28d FROM account_activity ORDER BY account_id");
        List<Map<String, Object>> milestones = PostgresTestDatabase.query(jdbcUrl,
                "SELECT m.account_id, m.status, m.reached_at, j.instance, j.started_at FROM journey_milestones m"
                        + " JOIN journeys j USING (instance_id) WHERE m.milestone = 'kickoff' ORDER BY m.account_id");
        List<Map<String, Object>> alerts = PostgresTestDatabase.query(jdbcUrl,
                "SELECT account_id, state, last_reason, opened_at FROM alerts WHERE rule = 'milestone-at-risk' ORDER BY account_id");
        List<Map<String, Object>> goals = PostgresTestDatabase.query(jdbcUrl,
                "SELECT account_id, status, previous_status, measurements_used FROM goals WHERE goal_id = 'close' ORDER BY account_id");
        List<Map<String, Object>> scores = PostgresTestDatabase.query(jdbcUrl,
                "SELECT account_id, previous_score FROM score_history WHERE as_of > '" + LAST_BEFORE + "' ORDER BY account_id, as_of");
        job.cancel().get();

        long before = scenario.before.apply("acme").size();
        long after = scenario.after.apply("acme").size() - 1 /* the repeat */ - 1 /* DAY_5, not yet in a summary */;
        assertThat(activity).extracting(r -> r.get("events_28d"))
                .as("activity counts carry over and the repeated event id is dropped (accept-touchpoints' remembered ids)")
                .containsExactly(before + after, before + after);
        assertThat(milestones)
                .extracting(r -> r.get("account_id"), r -> r.get("status"), r -> r.get("reached_at"), r -> r.get("instance"), r -> r.get("started_at"))
                .as("the journey started before the savepoint reaches its milestone: no new instance")
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("acme", "reached", ts(KICKOFF_REACHED), 1, ts(STARTED)),
                        org.assertj.core.groups.Tuple.tuple("globex", "reached", ts(KICKOFF_REACHED), 1, ts(STARTED)));
        assertThat(alerts).extracting(r -> r.get("state"), r -> r.get("last_reason"), r -> r.get("opened_at"))
                .as("the alert opened before the savepoint is resolved by the milestone after it")
                .containsOnly(org.assertj.core.groups.Tuple.tuple("resolved", "cleared", ts(KICKOFF_BEHIND)))
                .hasSize(ACCOUNTS.size());
        assertThat(goals).extracting(r -> r.get("status"), r -> r.get("measurements_used"))
                .as("the goal declared before the savepoint is achieved by the measurement after it, with all three measurements")
                .containsOnly(org.assertj.core.groups.Tuple.tuple("achieved", 3))
                .hasSize(ACCOUNTS.size());
        assertThat(scores).isNotEmpty()
                .as("every score after the restore continues a score from before it")
                .allSatisfy(r -> assertThat(r.get("previous_score")).isNotNull());
    }

    /** Per account: an onboarding journey, a goal with two measurements, logins; event time ends past the kickoff's behind date. */
    private static List<Touchpoint> beforeSavepoint0_2(String account) {
        List<Touchpoint> out = new ArrayList<>();
        out.add(touchpoint(account + "-start", account, STARTED, "onboarding", "journey_started", Map.of("journey", "onboarding")));
        out.add(touchpoint(account + "-goal", account, STARTED.plus(Duration.ofHours(1)), "outcome", "goal_set", Map.of(
                "goal_id", "close", "metric", "time_to_close_days", "direction", "decrease",
                "baseline", "20", "target", "8", "deadline", day(28).toString())));
        out.add(measured(account + "-m1", account, day(1).plus(Duration.ofHours(10)), 17.0));
        for (int d = 0; d <= 4; d++) {
            out.add(touchpoint(account + "-login-" + d, account, day(d).plus(Duration.ofHours(11)), "product", "login"));
        }
        out.add(measured(account + "-m2", account, day(3).plus(Duration.ofHours(10)), 15.0));
        out.sort((a, b) -> Long.compare(a.getOccurredAt(), b.getOccurredAt()));
        out.add(touchpoint(account + "-last", account, LAST_BEFORE, "product", "feature_used", Map.of("feature", "reports")));
        return out;
    }

    /** A repeat of the last id, the kickoff, the goal's target reached, a login, and one on DAY_5 that moves event time past midnight. */
    private static List<Touchpoint> afterSavepoint0_2(String account) {
        List<Touchpoint> out = new ArrayList<>();
        out.add(touchpoint(account + "-last", account, LAST_BEFORE, "product", "feature_used", Map.of("feature", "reports")));
        out.add(touchpoint(account + "-kickoff", account, KICKOFF_REACHED, "onboarding", "milestone_reached", Map.of("milestone", "kickoff")));
        out.add(measured(account + "-m3", account, day(4).plus(Duration.ofHours(16)), 8.0));
        out.add(touchpoint(account + "-login-4b", account, day(4).plus(Duration.ofHours(18)), "product", "login"));
        out.add(touchpoint(account + "-login-5", account, day(5).plus(Duration.ofHours(2)), "product", "login"));
        return out;
    }

    private static Touchpoint measured(String id, String account, Instant at, double value) {
        Touchpoint t = touchpoint(id, account, at, "outcome", "outcome_measured", Map.of("goal_id", "close"));
        t.setValue(value);
        return t;
    }

    private static java.sql.Timestamp ts(Instant at) {
        return java.sql.Timestamp.from(at);
    }

    // ---------------------------------------------------------------------------------- the writer

    /** The input each version's savepoint was made from, and what follows it in its restore test. */
    private enum Scenario {
        V0_1(INPUT_0_1, HeadwaySavepointITCase::beforeSavepoint0_1, HeadwaySavepointITCase::afterSavepoint0_1),
        V0_2(INPUT_0_2, HeadwaySavepointITCase::beforeSavepoint0_2, HeadwaySavepointITCase::afterSavepoint0_2);

        /** The scenario {@link #writeSavepointOfThisVersion} writes: the newest. */
        static final Scenario CURRENT = V0_2;

        final String input;
        final Function<String, List<Touchpoint>> before;
        final Function<String, List<Touchpoint>> after;

        Scenario(String input, Function<String, List<Touchpoint>> before, Function<String, List<Touchpoint>> after) {
            this.input = input;
            this.before = before;
            this.after = after;
        }

        /** Output topics are per scenario too: the tests share one broker. */
        String topic(String output) {
            return input.replace("touchpoints", output);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "headway.savepoint.write", matches = ".+", disabledReason = "writes a savepoint for a new version only when asked")
    void writeSavepointOfThisVersion(@TempDir Path tmp) throws Exception {
        Scenario scenario = Scenario.CURRENT;
        createTopics(scenario);
        String jdbcUrl = POSTGRES.newDatabase();
        HeadwayConfig config = config(scenario, jdbcUrl);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(HeadwayJob.engineConfiguration(config));
        env.setParallelism(2);
        HeadwayJob.buildPipeline(env, config);
        JobClient job = env.executeAsync("headway-savepoint-write");
        Properties offsets = new Properties();
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            for (int p = 0; p < ACCOUNTS.size(); p++) {
                String account = ACCOUNTS.get(p);
                List<Touchpoint> input = scenario.before.apply(account);
                for (Touchpoint t : input) {
                    producer.send(new ProducerRecord<>(scenario.input, p, account.getBytes(StandardCharsets.UTF_8), json(t)));
                }
                offsets.setProperty(Integer.toString(p), Integer.toString(input.size()));
            }
        }
        // Every keyed operator has seen its input: summaries, journeys, goals and the open alerts are written.
        Eventually.await(
                "an open milestone-at-risk alert, a journey and a goal per account",
                TIMEOUT,
                () -> PostgresTestDatabase.query(jdbcUrl,
                        "SELECT (SELECT count(*) FROM alerts WHERE rule = 'milestone-at-risk' AND state = 'open') AS alerts,"
                                + " (SELECT count(*) FROM journeys) AS journeys, (SELECT count(*) FROM goals) AS goals,"
                                + " (SELECT count(*) FROM account_activity) AS activity, (SELECT count(DISTINCT account_id) FROM score_history) AS scores"),
                r -> r.get(0).values().stream().allMatch(v -> ((Number) v).intValue() == ACCOUNTS.size()));
        // The alerts are committed to their exactly-once topic by a checkpoint before the savepoint, so the
        // savepoint's own transaction is empty and it holds no Kafka transaction to commit again: a
        // test broker is new at every run and would not know the producer id (InvalidPidMappingException).
        assertThat(KAFKA.readUntil(scenario.topic("alerts"), r -> r.size() >= ACCOUNTS.size(), TIMEOUT))
                .as("committed alert records").hasSize(ACCOUNTS.size());
        String written = job.stopWithSavepoint(false, tmp.toUri().toString(), SavepointFormatType.CANONICAL).get();

        Path target = SAVEPOINTS.resolve(System.getProperty("headway.savepoint.write"));
        Files.createDirectories(target.resolve("savepoint"));
        try (Stream<Path> files = Files.list(Path.of(URI.create(written)))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve("savepoint").resolve(f.getFileName()));
            }
        }
        try (Writer w = Files.newBufferedWriter(target.resolve("input-offsets.properties"))) {
            offsets.store(w, "records per input partition consumed before the savepoint");
        }
    }

    // ----------------------------------------------------------------------------------- restoring

    /**
     * Starts the current job from the committed savepoint of {@code version}, with the input topic
     * continuing where the savepoint left it, and sends the scenario's input after the savepoint.
     * Fails when the folder is missing: a release's savepoint is part of the release.
     */
    private static JobClient restore(Scenario scenario, String version, String jdbcUrl) throws Exception {
        Path savepoint = SAVEPOINTS.resolve(version);
        assertThat(savepoint.resolve("savepoint").resolve("_metadata")).as("the committed savepoint of " + version).exists();
        createTopics(scenario);
        Properties offsets = new Properties();
        try (Reader r = Files.newBufferedReader(savepoint.resolve("input-offsets.properties"))) {
            offsets.load(r);
        }
        HeadwayConfig config = config(scenario, jdbcUrl);
        Configuration conf = HeadwayJob.engineConfiguration(config);
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.resolve("savepoint").toAbsolutePath().toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        HeadwayJob.buildPipeline(env, config);

        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            // The restored source resumes at these offsets: fill the topic up to them first.
            for (int p = 0; p < ACCOUNTS.size(); p++) {
                int consumed = Integer.parseInt(offsets.getProperty(Integer.toString(p)));
                for (int i = 0; i < consumed; i++) {
                    producer.send(new ProducerRecord<>(scenario.input, p, null, "already consumed".getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
            JobClient job = env.executeAsync("headway-savepoint-restore-" + version);
            for (int p = 0; p < ACCOUNTS.size(); p++) {
                String account = ACCOUNTS.get(p);
                for (Touchpoint t : scenario.after.apply(account)) {
                    producer.send(new ProducerRecord<>(scenario.input, p, account.getBytes(StandardCharsets.UTF_8), json(t)));
                }
            }
            producer.flush();
            return job;
        }
    }

    private static void createTopics(Scenario scenario) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(scenario.input, 2, (short) 1));
            for (String output : List.of("activity", "dead-letters", "late", "scores", "alerts", "journeys", "goals")) {
                topics.add(new NewTopic(scenario.topic(output), 2, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    private static HeadwayConfig config(Scenario scenario, String jdbcUrl) {
        Map<String, String> settings =
                TestJobConfig.settings(
                        KAFKA.bootstrapServers(), scenario.input, scenario.topic("activity"), scenario.topic("dead-letters"),
                        scenario.topic("late"), jdbcUrl);
        settings.put("output.score-topic", scenario.topic("scores"));
        settings.put("output.alert-topic", scenario.topic("alerts"));
        settings.put("output.journey-topic", scenario.topic("journeys"));
        settings.put("output.goal-topic", scenario.topic("goals"));
        // The input's dates are fixed; the committed savepoints must restore in any year.
        settings.put("validation.max-past", "36500 d");
        return HeadwayConfig.of(settings, Map.of());
    }
}
