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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Savepoints of released versions restore into the current job: every committed savepoint under
 * {@code src/test/resources/headway-savepoint/<version>/} is restored, and the restored keyed state
 * (remembered event ids, activity counts) must shape the new output.
 *
 * <p>To add the savepoint of a new version before it is released, run
 * {@code mvn -pl jobs -am verify -Dtest=HeadwaySavepointITCase -Dheadway.savepoint.write=<version>}
 * and commit the directory it writes.
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
    /** Topic names are part of the savepoint (the source's splits), so they are fixed here. */
    private static final String INPUT = "savepoint-touchpoints";

    private static final List<String> ACCOUNTS = List.of("acme", "globex");

    static Stream<Path> savepoints() throws Exception {
        if (!Files.isDirectory(SAVEPOINTS)) {
            return Stream.empty();
        }
        return Files.list(SAVEPOINTS).filter(Files::isDirectory).sorted();
    }

    @ParameterizedTest(name = "savepoint of {0}", allowZeroInvocations = true)
    @MethodSource("savepoints")
    void shouldRestoreRememberedIdsAndCountsFromASavepoint(Path savepoint) throws Exception {
        createTopics();
        String jdbcUrl = POSTGRES.newDatabase();
        Properties offsets = new Properties();
        try (Reader r = Files.newBufferedReader(savepoint.resolve("input-offsets.properties"))) {
            offsets.load(r);
        }
        Configuration conf = HeadwayJob.engineConfiguration(config(jdbcUrl));
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.resolve("savepoint").toAbsolutePath().toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        HeadwayJob.buildPipeline(env, config(jdbcUrl));

        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            // The topic continues where the savepoint left it: the restored source resumes at these offsets.
            for (int p = 0; p < ACCOUNTS.size(); p++) {
                int consumed = Integer.parseInt(offsets.getProperty(Integer.toString(p)));
                for (int i = 0; i < consumed; i++) {
                    producer.send(new ProducerRecord<>(INPUT, p, null, "already consumed".getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
            JobClient job = env.executeAsync("headway-savepoint-restore");
            for (int p = 0; p < ACCOUNTS.size(); p++) {
                String account = ACCOUNTS.get(p);
                for (Touchpoint t : afterSavepoint(account)) {
                    producer.send(new ProducerRecord<>(INPUT, p, account.getBytes(StandardCharsets.UTF_8), json(t)));
                }
            }
            producer.flush();

            List<Map<String, Object>> rows =
                    Eventually.await(
                            "summaries as of DAY_1 17:00 after the restore",
                            TIMEOUT,
                            () -> PostgresTestDatabase.query(jdbcUrl, "SELECT account_id, events_28d FROM account_activity WHERE as_of >= '" + day(1).plus(Duration.ofHours(17)) + "' ORDER BY account_id"),
                            r -> r.size() == ACCOUNTS.size());
            job.cancel().get();

            long before = beforeSavepoint("acme").size();
            long after = afterSavepoint("acme").size() - 1 /* the repeat */ - 1 /* DAY_2, not yet in the window */;
            assertThat(rows)
                    .extracting(r -> r.get("events_28d"))
                    .as("counts before the savepoint carry over; the repeated event id is dropped")
                    .containsExactly(before + after, before + after);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "headway.savepoint.write", matches = ".+", disabledReason = "writes a savepoint for a new version only when asked")
    void writeSavepointOfThisVersion(@TempDir Path tmp) throws Exception {
        createTopics();
        String jdbcUrl = POSTGRES.newDatabase();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(HeadwayJob.engineConfiguration(config(jdbcUrl)));
        env.setParallelism(2);
        HeadwayJob.buildPipeline(env, config(jdbcUrl));
        JobClient job = env.executeAsync("headway-savepoint-write");
        Properties offsets = new Properties();
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            for (int p = 0; p < ACCOUNTS.size(); p++) {
                String account = ACCOUNTS.get(p);
                List<Touchpoint> input = beforeSavepoint(account);
                for (Touchpoint t : input) {
                    producer.send(new ProducerRecord<>(INPUT, p, account.getBytes(StandardCharsets.UTF_8), json(t)));
                }
                offsets.setProperty(Integer.toString(p), Integer.toString(input.size()));
            }
        }
        Eventually.await(
                "summaries as of DAY_1 13:00",
                TIMEOUT,
                () -> PostgresTestDatabase.query(jdbcUrl, "SELECT account_id FROM account_activity WHERE as_of >= '" + day(1).plus(Duration.ofHours(13)) + "'"),
                r -> r.size() == ACCOUNTS.size());
        String written = job.stopWithSavepoint(false, tmp.toUri().toString(), SavepointFormatType.CANONICAL).get();

        Path target = SAVEPOINTS.resolve(System.getProperty("headway.savepoint.write"));
        Files.createDirectories(target.resolve("savepoint"));
        try (Stream<Path> files = Files.list(Path.of(java.net.URI.create(written)))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve("savepoint").resolve(f.getFileName()));
            }
        }
        try (Writer w = Files.newBufferedWriter(target.resolve("input-offsets.properties"))) {
            offsets.store(w, "records per input partition consumed before the savepoint");
        }
    }

    /** DAY_0 and DAY_1 until noon, every two hours, and one touchpoint at 14:00 that moves event time past 13:00. */
    private static List<Touchpoint> beforeSavepoint(String account) {
        List<Touchpoint> out = new ArrayList<>();
        for (int h = 8; h <= 36; h += 2) {
            Instant at = day(0).plus(Duration.ofHours(h));
            out.add(touchpoint(account + "-" + h, account, at, h % 6 == 0 ? "support" : "product", h % 6 == 0 ? "ticket_opened" : "login"));
        }
        out.add(touchpoint(account + "-38", account, day(1).plus(Duration.ofHours(14)), "product", "feature_used"));
        return out;
    }

    /** A repeat of the last id before the savepoint, two new touchpoints, and one on DAY_2 that closes DAY_1. */
    private static List<Touchpoint> afterSavepoint(String account) {
        List<Touchpoint> out = new ArrayList<>();
        out.add(touchpoint(account + "-38", account, day(1).plus(Duration.ofHours(14)), "product", "feature_used"));
        out.add(touchpoint(account + "-39", account, day(1).plus(Duration.ofHours(15)), "education", "course_completed"));
        out.add(touchpoint(account + "-40", account, day(1).plus(Duration.ofHours(16)), "product", "login"));
        out.add(touchpoint(account + "-49", account, day(2).plus(Duration.ofHours(1)), "product", "login"));
        return out;
    }

    private static void createTopics() throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin =
                org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
            for (String t : List.of(INPUT, "savepoint-activity", "savepoint-dead-letters", "savepoint-late", "savepoint-scores", "savepoint-alerts")) {
                topics.add(new org.apache.kafka.clients.admin.NewTopic(t, 2, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    private static HeadwayConfig config(String jdbcUrl) {
        Map<String, String> settings =
                TestJobConfig.settings(
                        KAFKA.bootstrapServers(), INPUT, "savepoint-activity", "savepoint-dead-letters", "savepoint-late", jdbcUrl);
        // The broker creates no topics: the score output (new since the 0.1 savepoint) needs its own.
        settings.put("output.score-topic", "savepoint-scores");
        // Alerts are new since the 0.1 savepoint too: the "alerts" operator starts empty on restore.
        settings.put("output.alert-topic", "savepoint-alerts");
        return HeadwayConfig.of(settings, Map.of());
    }
}
