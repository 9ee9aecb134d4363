package io.headway;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.generator.GeneratorMain;
import io.headway.generator.GeneratorReport;
import io.headway.schema.ScoreUpdate;
import io.headway.score.ScoreShares;
import io.headway.testing.KafkaTestBroker;
import io.headway.testing.MiniClusters;
import io.headway.testing.TestJobConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Health scores of generator accounts through the real job (MiniCluster, parallelism 2, a real Kafka
 * broker in and out): the accounts the generator makes deteriorate fall to yellow or red between
 * their deterioration onset and their first missed or churned result; healthy accounts stay green.
 * Prints the measured shares (quoted in the README, "Scores").
 */
class HealthScoreITCase {

    @Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    @Order(2)
    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 120 accounts over 75 days, a fifth of them deteriorating; fixed seed and start. */
    private static final String[] GENERATOR = {
        "--accounts", "120", "--days", "75", "--seed", "11", "--start", "2026-06-01T00:00:00Z", "--partitions", "2"
    };

    @Test
    void shouldFlagDeterioratingAccountsBeforeTheyMissAndKeepHealthyOnesGreen() throws Exception {
        String input = "touchpoints-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String scoreTopic = KAFKA.newTopic("scores", 2, Map.of());
        GeneratorReport report = GeneratorMain.run(with(GENERATOR,
                "--out", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", input));

        Map<String, String> settings =
                TestJobConfig.settings(
                        KAFKA.bootstrapServers(), input, KAFKA.newTopic("activity", 2, Map.of()),
                        KAFKA.newTopic("dead-letters", 2, Map.of()), KAFKA.newTopic("late", 2, Map.of()), "");
        settings.put("output.score-topic", scoreTopic);
        settings.put("output.journey-topic", KAFKA.newTopic("journeys", 2, Map.of()));
        TestJobConfig.freshOutputTopics(settings, prefix -> KAFKA.newTopic(prefix, 2, Map.of()));
        settings.put("input.bounded", "true");
        // The generator's window is pinned; accept it whatever today's date.
        settings.put("validation.max-future", "3650 d");
        JobClient job = TestJobConfig.submit(settings, "health-scores-it");
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);

        long written = endOffsets(scoreTopic);
        List<ConsumerRecord<byte[], byte[]>> records = KAFKA.readUntil(scoreTopic, r -> r.size() >= written, Duration.ofSeconds(30));
        assertThat(records).hasSize((int) written);
        List<ScoreUpdate> scores = new ArrayList<>();
        Map<String, Integer> finals = new HashMap<>();
        Map<String, Long> onsets = new HashMap<>();
        report.groundTruth().results().stream()
                .filter(res -> res.segment() == io.headway.generator.Segment.DETERIORATING)
                .forEach(res -> onsets.put(res.accountId(), res.deteriorationOnset().toEpochMilli()));
        String example = null;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            ScoreUpdate u = parse(r.value());
            if (example == null && u.getReason().equals("grade_change") && onsets.containsKey(u.getAccountId())
                    && u.getAsOf() >= onsets.get(u.getAccountId())
                    && "green".equals(JSON.readTree(r.value()).path("previous_grade").asText())) {
                example = new String(r.value(), StandardCharsets.UTF_8);
            }
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(u.getAccountId());
            scores.add(u);
            if (u.getReason().equals("final")) {
                finals.merge(u.getFinalReason(), 1, Integer::sum);
            }
        }

        ScoreShares shares = ScoreShares.measure(scores, report.groundTruth());
        System.out.println("HealthScoreITCase: " + shares + "; final records " + finals);
        System.out.println("HealthScoreITCase: a deteriorating account leaving green: " + example);

        assertThat(shares.deterioratingWithMiss).isGreaterThanOrEqualTo(15);
        assertThat(shares.flaggedShare()).as(shares.toString()).isGreaterThanOrEqualTo(0.8);
        assertThat(shares.medianLeadDays).as(shares.toString()).isGreaterThanOrEqualTo(7);
        assertThat(shares.healthy).isGreaterThanOrEqualTo(80);
        assertThat(shares.healthyEverNonGreenShare()).as(shares.toString()).isLessThanOrEqualTo(0.3);
        assertThat(shares.healthyNonGreenAfterSettlingShare()).as(shares.toString()).isLessThanOrEqualTo(0.2);
        // Every cancelled account ended with a final record (half of the deteriorating ones cancel).
        assertThat(finals.getOrDefault("churned", 0)).isPositive();
    }

    private static ScoreUpdate parse(byte[] json) throws Exception {
        JsonNode n = JSON.readTree(json);
        assertThat(n.get("components")).hasSize(9);
        return ScoreUpdate.newBuilder()
                .setAccountId(n.get("account_id").asText())
                .setAsOf(Instant.parse(n.get("as_of").asText()).toEpochMilli())
                .setScore(n.get("score").asDouble())
                .setGrade(n.get("grade").asText())
                .setProfile(n.get("profile").asText())
                .setReason(n.get("reason").asText())
                .setFinalReason(n.get("final_reason").isNull() ? null : n.get("final_reason").asText())
                .setComponents(List.of())
                .setDrivers(List.of())
                .build();
    }

    private static long endOffsets(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(specs).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    private static String[] with(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
