package io.headway.testing;

import java.util.HashMap;
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
}
