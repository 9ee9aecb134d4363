package io.headway.testing;

import io.headway.HeadwayJob;
import io.headway.config.ConfigKey;
import io.headway.config.HeadwayConfig;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Job settings the integration tests share: fast checkpoints and JDBC flushes, reading from the start. */
public final class TestJobConfig {

    private TestJobConfig() {}

    /** A mutable map, so a test can add what it varies. */
    public static Map<String, String> settings(
            String bootstrapServers, String input, String activityTopic, String deadLetterTopic, String lateTopic, String jdbcUrl) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap-servers", bootstrapServers);
        s.put("input.topics", input);
        s.put("input.group-id", "it-" + input);
        s.put("input.starting-offsets", "earliest");
        s.put("output.activity-topic", activityTopic);
        s.put("output.dead-letter-topic", deadLetterTopic);
        s.put("output.late-topic", lateTopic);
        s.put("jdbc.url", jdbcUrl);
        s.put("jdbc.batch-interval", "100 ms");
        s.put("checkpoint.interval", "1 s");
        return s;
    }

    /** Creates a topic named after a prefix and returns its name, e.g. {@link KafkaTestBroker#newTopic}. */
    @FunctionalInterface
    public interface TopicFactory {
        String create(String prefix) throws Exception;
    }

    /**
     * Points every {@code output.*-topic} key not set yet at a fresh topic. The test broker creates no
     * topic on first use, so a run whose input makes every output produce (generator data) would
     * otherwise fail on the first output a test did not think of, including ones added later.
     */
    public static void freshOutputTopics(Map<String, String> settings, TopicFactory topics) throws Exception {
        for (ConfigKey<?> key : HeadwayConfig.KEYS) {
            String name = key.name();
            if (name.startsWith("output.") && name.endsWith("-topic") && !settings.containsKey(name)) {
                settings.put(name, topics.create(name.substring("output.".length(), name.length() - "-topic".length())));
            }
        }
    }

    /**
     * Settings of a bounded, exactly-once run over generator input: every output on a fresh two-partition
     * topic, checkpoints every second, ids unique to {@code runId}. The topics of {@code compared}
     * (output keys) are put into {@code topics}, for a test to read them afterwards.
     */
    public static Map<String, String> exactlyOnceRun(
            KafkaTestBroker kafka, String input, String runId, List<String> compared, Map<String, String> topics) throws Exception {
        Map<String, String> settings =
                settings(kafka.bootstrapServers(), input, kafka.newTopic("activity", 2, Map.of()),
                        kafka.newTopic("dead-letters", 2, Map.of()), kafka.newTopic("late", 2, Map.of()), "");
        for (String output : compared) {
            String topic = kafka.newTopic(output.substring("output.".length()), 2, Map.of());
            settings.put(output, topic);
            topics.put(output, topic);
        }
        freshOutputTopics(settings, prefix -> kafka.newTopic(prefix, 2, Map.of()));
        settings.put("input.bounded", "true");
        settings.put("input.group-id", runId + "-" + input);
        settings.put("output.delivery-guarantee", "exactly-once");
        settings.put("output.transactional-id-prefix", runId + "-" + input);
        settings.put("checkpoint.interval", "1 s");
        // The generator's window is pinned; accept it whatever today's date.
        settings.put("validation.max-future", "3650 d");
        return settings;
    }

    /**
     * Submits the production pipeline ({@link HeadwayJob#buildPipeline}) with these settings at
     * parallelism 2, as the ITCases run it, to the MiniCluster of the test; returns without waiting.
     */
    public static JobClient submit(Map<String, String> settings, String jobName) throws Exception {
        HeadwayConfig config = HeadwayConfig.of(settings, Map.of());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(HeadwayJob.engineConfiguration(config));
        env.setParallelism(2);
        HeadwayJob.buildPipeline(env, config);
        return env.executeAsync(jobName);
    }
}
