package io.headway;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.generator.GeneratorMain;
import io.headway.testing.Eventually;
import io.headway.testing.FailoverCluster;
import io.headway.testing.KafkaTestBroker;
import io.headway.testing.TestJobConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Exactly-once outputs across a real failure: the production pipeline ({@link HeadwayJob#buildPipeline},
 * {@code output.delivery-guarantee=exactly-once}, checkpoints every second) reads generator data from
 * a real broker twice. Run A has no failure; in run B one of the two TaskManagers is terminated
 * mid-stream, after a checkpoint has completed and while transactions with output are open, so the
 * job restarts from that checkpoint on the remaining TaskManager. A {@code read_committed} consumer
 * must then see on every output topic of {@link #OUTPUTS} the same multiset of (key, value) in run B
 * as in run A: nothing lost, nothing twice.
 *
 * <p>The outputs compared are named by their configuration keys. Every record is compared whole
 * (alerts without their processing-time {@code detected_at}): journeys, scores, goals and alerts are
 * all applied in event-time order once the watermark passes them, so a re-run, with or without a
 * restore, gives the same records whatever the arrival order.
 */
class ExactlyOnceRecoveryITCase {

    /** Output topics compared between the runs, by configuration key. */
    static final List<String> OUTPUTS =
            List.of("output.journey-topic", "output.score-topic", "output.goal-topic", "output.alert-topic");

    /** What of a record is compared, per output (a missing entry compares the whole value). */
    static final Map<String, Function<ObjectNode, ObjectNode>> COMPARED =
            Map.of("output.alert-topic", ExactlyOnceRecoveryITCase::withoutDetectedAt);

    @Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    /**
     * Two TaskManagers with two slots each, slots spread evenly: the job's two slots land on different
     * TaskManagers, so terminating either one fails running tasks, and the survivor has the two slots
     * the restarted job needs.
     */
    @Order(2)
    @RegisterExtension
    static final MiniClusterExtension FLINK = FailoverCluster.twoTaskManagers();

    /**
     * 80 accounts over 60 days on two partitions, 1 % duplicates, touchpoints up to 2 minutes out of
     * order (the watermark allows 5); fixed seed and start.
     */
    private static final String[] GENERATOR = {
        "--accounts", "80", "--days", "60", "--seed", "5", "--start", "2026-06-01T00:00:00Z", "--partitions", "2",
        "--duplicate-rate", "0.01", "--out-of-order-minutes", "2"
    };

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Short, so the TaskManager dies while the checkpointed output's successors are still uncommitted. */
    private static final Duration FAILURE_POLL = Duration.ofMillis(20);

    /** The first output topic's end offsets, read and read-committed, beside the completed checkpoints. */
    private record OutputOffsets(long completedCheckpoints, long uncommitted, long committed) {
        static final OutputOffsets NONE = new OutputOffsets(0, 0, 0);
    }

    @Test
    void shouldWriteEveryOutputRecordExactlyOnceAfterATaskManagerFailsMidStream(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String input = "touchpoints-" + UUID.randomUUID().toString().substring(0, 8);
        GeneratorMain.run(with(GENERATOR, "--out", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", input));

        // Run A: no failure.
        Run a = start("a", input, Map.of());
        a.job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Map<String, Map<String, Integer>> expected = readCommitted(a.topics);

        // Run B: a TaskManager dies once a checkpoint is complete and output is in open transactions.
        // The input (11 MB on two partitions) is read at 1 MiB/s per subtask, so run B lasts at least
        // 5 s whatever the machine: unthrottled, a fast machine finished it before its first checkpoint.
        Run b = start("b", input, KAFKA.throttledSource("eos-b-" + input, 2, 1 << 20));
        JobID jobId = b.job.getJobID();
        long startedB = System.nanoTime();
        String firstOutput = b.topics.get(OUTPUTS.get(0));
        OutputOffsets atFailure = Eventually.await("a checkpoint and uncommitted output", TIMEOUT, FAILURE_POLL, () -> {
            JobStatus status = b.job.getJobStatus().get();
            assertThat(status.isGloballyTerminalState())
                    .as("run B ended (%s) before the failure was due: input too small to fail mid-stream?", status)
                    .isFalse();
            if (status != JobStatus.RUNNING) {
                return OutputOffsets.NONE;
            }
            return new OutputOffsets(
                    FailoverCluster.checkpoints(cluster, jobId).getCounts().getNumberOfCompletedCheckpoints(),
                    endOffsets(firstOutput, IsolationLevel.READ_UNCOMMITTED),
                    endOffsets(firstOutput, IsolationLevel.READ_COMMITTED));
        }, o -> o.completedCheckpoints() >= 1 && o.uncommitted() > o.committed());
        long uncommittedAtFailure = atFailure.uncommitted();
        long committedAtFailure = atFailure.committed();
        long failedAfterMs = (System.nanoTime() - startedB) / 1_000_000;
        cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
        b.job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long runBMs = (System.nanoTime() - startedB) / 1_000_000;

        CheckpointStatsSnapshot stats = FailoverCluster.checkpoints(cluster, jobId);
        System.out.printf(
                "ExactlyOnceRecoveryITCase: TaskManager terminated %d ms into run B (which took %d ms) at offsets %d on %s"
                        + " (%d committed); checkpoints completed %d, restored %d (checkpoint %s)%n",
                failedAfterMs, runBMs, uncommittedAtFailure, OUTPUTS.get(0), committedAtFailure,
                stats.getCounts().getNumberOfCompletedCheckpoints(), stats.getCounts().getNumberOfRestoredCheckpoints(),
                stats.getLatestRestoredCheckpoint() == null ? "none" : stats.getLatestRestoredCheckpoint().getCheckpointId());
        assertThat(stats.getCounts().getNumberOfRestoredCheckpoints())
                .as("run B restored from a checkpoint after the TaskManager failed")
                .isGreaterThanOrEqualTo(1);

        Map<String, Map<String, Integer>> actual = readCommitted(b.topics);
        for (String output : OUTPUTS) {
            System.out.printf("ExactlyOnceRecoveryITCase: %s: %d records compared%n", output, total(expected.get(output)));
            assertThat(total(expected.get(output))).as(output + " has output to compare").isPositive();
            assertThat(expected.get(output).values()).as(output + " run A: every record once").allMatch(n -> n == 1);
            assertThat(difference(actual.get(output), expected.get(output)))
                    .as(output + ": in run B (with failure), not in run A")
                    .isEmpty();
            assertThat(difference(expected.get(output), actual.get(output)))
                    .as(output + ": in run A, not in run B (with failure)")
                    .isEmpty();
        }
        assertThat(committedAtFailure)
                .as("the failure came mid-stream: committed output was incomplete when it happened")
                .isLessThan(endOffsets(b.topics.get(OUTPUTS.get(0)), IsolationLevel.READ_COMMITTED));
    }

    private record Run(JobClient job, Map<String, String> topics) {}

    private static Run start(String name, String input, Map<String, String> extra) throws Exception {
        Map<String, String> topics = new LinkedHashMap<>();
        Map<String, String> settings = TestJobConfig.exactlyOnceRun(KAFKA, input, "eos-" + name, OUTPUTS, topics);
        settings.put("restart.attempts", "3");
        settings.put("restart.delay", "500 ms");
        settings.putAll(extra);
        return new Run(TestJobConfig.submit(settings, "exactly-once-" + name), topics);
    }

    /**
     * Every committed record of each topic as a multiset of "key \t value", read with
     * {@code read_committed} up to the last stable offset of every partition.
     */
    private static Map<String, Map<String, Integer>> readCommitted(Map<String, String> topics) {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        for (Map.Entry<String, String> t : topics.entrySet()) {
            out.put(t.getKey(), readCommitted(t.getKey(), t.getValue()));
        }
        return out;
    }

    private static Map<String, Integer> readCommitted(String output, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, Integer> records = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed, the end offsets are the last stable offsets.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("reading " + topic + " to its end").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    String value = compared(output, r.value());
                    if (value != null) {
                        records.merge(key + "\t" + value, 1, Integer::sum);
                    }
                }
            }
        }
        return records;
    }

    /** The compared part of a record value as JSON text, or null if the record is not compared. */
    private static String compared(String output, byte[] value) {
        Function<ObjectNode, ObjectNode> part = COMPARED.get(output);
        if (part == null) {
            return new String(value, StandardCharsets.UTF_8);
        }
        try {
            ObjectNode kept = part.apply((ObjectNode) JSON.readTree(value));
            return kept == null ? null : JSON.writeValueAsString(kept);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An alert without {@code detected_at}, the processing time it was detected at. */
    private static ObjectNode withoutDetectedAt(ObjectNode alert) {
        alert.remove("detected_at");
        return alert;
    }

    /** The records of {@code a} more often in {@code a} than in {@code b}, with the surplus (a readable diff). */
    private static Map<String, Integer> difference(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> out = new TreeMap<>();
        a.forEach((record, n) -> {
            int surplus = n - b.getOrDefault(record, 0);
            if (surplus > 0) {
                out.put(record, surplus);
            }
        });
        return out;
    }

    private static int total(Map<String, Integer> multiset) {
        return multiset.values().stream().mapToInt(i -> i).sum();
    }

    /**
     * Sum of the partitions' end offsets: with read_uncommitted the high watermarks (open transactions
     * included), with read_committed the last stable offsets.
     */
    private static long endOffsets(String topic, IsolationLevel isolation) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(specs, new ListOffsetsOptions(isolation)).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    private static String[] with(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
