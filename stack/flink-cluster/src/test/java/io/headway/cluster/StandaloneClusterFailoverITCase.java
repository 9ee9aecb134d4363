package io.headway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.generator.GeneratorMain;
import io.headway.testing.Eventually;
import io.headway.testing.KafkaTestBroker;
import io.headway.testing.TestJobConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Issue 17, item 5: the TaskManager of a standalone cluster dies ({@code kill -9}) mid-stream and
 * {@code scripts/flink-cluster.sh add-taskmanager} replaces it; the job restores from its last
 * checkpoint and the {@code read_committed} outputs equal those of a clean run on the same cluster.
 *
 * <p>Everything is real and separate, as a user runs it: the script starts a JobManager and a
 * TaskManager JVM from the Maven Central jars (this module's target/lib) with a private run
 * directory and free ports, the shaded job jar (jobs/target/*-job.jar) is submitted through the Flink
 * CLI, the broker is a KRaft broker (in this JVM). Run B reads its input throttled so that the kill
 * lands after a checkpoint while output transactions are open. Printed: the timings kill -> new
 * TaskManager registered -> job RUNNING again -> caught up (the bounded job finished).
 *
 * <p>Skipped when the job jar or the cluster lib is not built (they are built at {@code package};
 * failsafe runs this at {@code integration-test}, after both, in {@code mvn verify}).
 */
class StandaloneClusterFailoverITCase {

    /** Output topics compared between the runs, by configuration key (as ExactlyOnceRecoveryITCase). */
    static final List<String> OUTPUTS =
            List.of("output.journey-topic", "output.score-topic", "output.goal-topic", "output.alert-topic");

    /** 50 accounts over 30 days on two partitions (about 3 MB), 1 % duplicates, up to 2 minutes out of order. */
    private static final String[] GENERATOR = {
        "--accounts", "50", "--days", "30", "--seed", "7", "--start", "2026-06-01T00:00:00Z", "--partitions", "2",
        "--duplicate-rate", "0.01", "--out-of-order-minutes", "2"
    };

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    private static Path root;
    private static Path jobJar;
    private static Path runDir;
    private static Map<String, String> env;
    private static String restUrl;
    private static boolean started;

    @BeforeAll
    static void startCluster() throws Exception {
        root = Path.of(System.getProperty("headway.root", "../..")).toAbsolutePath().normalize();
        jobJar = Path.of(System.getProperty("headway.job.jar", "")).toAbsolutePath();
        Path lib = Path.of(System.getProperty("headway.cluster.lib", "target/lib"));
        Assumptions.assumeTrue(Files.isRegularFile(jobJar), "no job jar at " + jobJar + " (built at package)");
        Assumptions.assumeTrue(
                Files.isDirectory(lib) && Files.list(lib).anyMatch(p -> p.getFileName().toString().startsWith("flink-runtime-")),
                "no cluster lib at " + lib + " (copied at package)");
        Assumptions.assumeTrue(onPath("bash") && onPath("curl"), "bash and curl are needed by scripts/flink-cluster.sh");

        runDir = Files.createDirectories(Path.of("target", "cluster-it-" + UUID.randomUUID().toString().substring(0, 8))).toAbsolutePath();
        int restPort = freePort();
        env = new HashMap<>();
        env.put("HEADWAY_RUN_DIR", runDir.toString());
        env.put("HEADWAY_FLINK_CLUSTER_REST_PORT", Integer.toString(restPort));
        env.put("HEADWAY_FLINK_CLUSTER_RPC_PORT", Integer.toString(freePort()));
        env.put("HEADWAY_JOB_JAR", jobJar.toString());
        // Generous: on a shared 2-core machine a JVM may take a minute to start. Nothing waits longer than needed.
        env.put("HEADWAY_FLINK_CLUSTER_START_TIMEOUT_S", Long.toString(TIMEOUT.toSeconds()));
        env.put("HEADWAY_FLINK_CLUSTER_RUNNING_TIMEOUT_S", Long.toString(TIMEOUT.toSeconds()));
        restUrl = "http://127.0.0.1:" + restPort;
        started = true;
        System.out.println("StandaloneClusterFailoverITCase: " + script("start").trim());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (started) {
            System.out.println("StandaloneClusterFailoverITCase: " + script("stop").trim());
        }
    }

    @Test
    void shouldRecoverOnAReplacementTaskManagerWithTheSameCommittedOutput() throws Exception {
        String input = KAFKA.newTopic("touchpoints", 2, Map.of());
        GeneratorMain.run(with(GENERATOR, "--out", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", input));

        // Run A: no failure.
        Run a = submit("a", input, Map.of());
        awaitState(a.jobId, "FINISHED");
        Map<String, Map<String, Integer>> expected = readCommitted(a.topics);

        // Run B: the input read at 128 KiB/s per subtask (at least 12 s), so the job is mid-stream when it is killed.
        Run b = submit("b", input, KAFKA.throttledSource("cluster-b-" + input, 2, 128 << 10));
        String journeys = b.topics.get(OUTPUTS.get(0));
        Eventually.await("a completed checkpoint of run B and open transactions on " + journeys, TIMEOUT,
                () -> checkpoints(b.jobId).path("counts").path("completed").asLong() > 0
                        && endOffsets(journeys, IsolationLevel.READ_UNCOMMITTED) > endOffsets(journeys, IsolationLevel.READ_COMMITTED),
                done -> done);
        assertThat(jobState(b.jobId)).as("run B still running when the TaskManager is killed").isEqualTo("RUNNING");
        long committedAtKill = endOffsets(journeys, IsolationLevel.READ_COMMITTED);

        long pid = Long.parseLong(Files.readString(runDir.resolve("flink-cluster/taskmanager.pid")).trim());
        long killedAt = System.nanoTime();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly)).as("kill -9 of TaskManager pid " + pid).contains(true);
        System.out.println("StandaloneClusterFailoverITCase: " + script("add-taskmanager").trim());
        long registeredAt = System.nanoTime();
        Eventually.await("run B restored from a checkpoint with every task RUNNING", TIMEOUT,
                () -> checkpoints(b.jobId).path("counts").path("restored").asLong() > 0 && allTasksRunning(b.jobId),
                done -> done);
        long runningAt = System.nanoTime();
        String status = script("status");
        awaitState(b.jobId, "FINISHED");
        long caughtUpAt = System.nanoTime();

        System.out.printf(
                "StandaloneClusterFailoverITCase: kill -9 -> new TaskManager registered %d ms -> job RUNNING (restored) %d ms"
                        + " -> caught up (finished) %d ms; %d of the journey records committed at the kill%n",
                ms(registeredAt - killedAt), ms(runningAt - killedAt), ms(caughtUpAt - killedAt), committedAtKill);
        System.out.println("StandaloneClusterFailoverITCase: status after recovery:\n" + status);
        assertThat(status).contains("TaskManager taskmanager (pid " + pid + ") is gone").contains("(taskmanager-2) running, registered");

        Map<String, Map<String, Integer>> actual = readCommitted(b.topics);
        for (String output : OUTPUTS) {
            System.out.printf("StandaloneClusterFailoverITCase: %s: %d records compared%n", output, total(expected.get(output)));
            assertThat(total(expected.get(output))).as(output + " has output to compare").isPositive();
            assertThat(actual.get(output)).as(output + ": run B (TaskManager killed) equals run A").isEqualTo(expected.get(output));
        }
        assertThat(committedAtKill)
                .as("the kill came mid-stream: committed output was incomplete when it happened")
                .isLessThan(endOffsets(journeys, IsolationLevel.READ_COMMITTED));
    }

    // ------------------------------------------------------------------ the run and the cluster

    private record Run(String jobId, Map<String, String> topics) {}

    private static Run submit(String name, String input, Map<String, String> extra) throws Exception {
        Map<String, String> topics = new LinkedHashMap<>();
        Map<String, String> settings = TestJobConfig.exactlyOnceRun(KAFKA, input, "cluster-" + name, OUTPUTS, topics);
        settings.put("restart.delay", "500 ms");
        settings.put("restart.max-delay", "5 s");
        settings.putAll(extra);
        List<String> args = new ArrayList<>(List.of("submit"));
        settings.forEach((k, v) -> {
            if (!v.isEmpty()) { // jdbc.url: no database in this test
                args.add("--" + k);
                args.add(v);
            }
        });
        String out = script(args.toArray(new String[0]));
        String jobId = out.lines().filter(l -> l.contains("submitted with JobID")).map(l -> l.replaceAll(".*JobID ([0-9a-f]+).*", "$1")).findFirst()
                .orElseThrow(() -> new AssertionError("no job id in: " + out));
        return new Run(jobId, topics);
    }

    /** Runs scripts/flink-cluster.sh with the private run directory and ports; fails on a non-zero exit but for status. */
    private static String script(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("scripts/flink-cluster.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(runDir, args[0], ".out");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(2 * TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("flink-cluster.sh " + args[0] + " did not end within " + TIMEOUT + ":\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        if (p.exitValue() != 0 && !args[0].equals("status")) {
            throw new AssertionError("flink-cluster.sh " + args[0] + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    private static JsonNode rest(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(restUrl + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static String jobState(String jobId) throws Exception {
        return rest("/jobs/" + jobId).path("state").asText();
    }

    private static boolean allTasksRunning(String jobId) throws Exception {
        JsonNode job = rest("/jobs/" + jobId);
        if (!job.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            if (!v.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode checkpoints(String jobId) throws Exception {
        return rest("/jobs/" + jobId + "/checkpoints");
    }

    private static void awaitState(String jobId, String state) throws Exception {
        String last = Eventually.await("job " + jobId + " " + state, TIMEOUT, () -> jobState(jobId),
                s -> s.equals(state) || s.equals("FAILED") || s.equals("CANCELED"));
        assertThat(last).as("job " + jobId).isEqualTo(state);
    }

    // ------------------------------------------------------------------ outputs

    /** Every committed record of each output as a multiset of "key \t value" (alerts without detected_at). */
    private static Map<String, Map<String, Integer>> readCommitted(Map<String, String> topics) {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        topics.forEach((output, topic) -> {
            Map<String, Integer> records = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : KAFKA.readToEnd(topic, TIMEOUT)) {
                String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                records.merge(key + "\t" + compared(output, r.value()), 1, Integer::sum);
            }
            out.put(output, records);
        });
        return out;
    }

    /** An alert's {@code detected_at} is the processing time it was detected at: not compared. */
    private static String compared(String output, byte[] value) {
        if (!output.equals("output.alert-topic")) {
            return new String(value, StandardCharsets.UTF_8);
        }
        try {
            ObjectNode alert = (ObjectNode) JSON.readTree(value);
            alert.remove("detected_at");
            return JSON.writeValueAsString(alert);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sum of the end offsets of a topic's partitions at an isolation level (committed: the last stable offsets). */
    private static long endOffsets(String topic, IsolationLevel level) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                            .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            return admin.listOffsets(latest, new ListOffsetsOptions(level)).all().get().values().stream()
                    .mapToLong(i -> i.offset())
                    .sum();
        }
    }

    private static int total(Map<String, Integer> records) {
        return records.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
