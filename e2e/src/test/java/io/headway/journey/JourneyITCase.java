package io.headway.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.HeadwayJob;
import io.headway.config.HeadwayConfig;
import io.headway.generator.AccountResult;
import io.headway.generator.GeneratorMain;
import io.headway.generator.GeneratorReport;
import io.headway.generator.ResultStatus;
import io.headway.generator.Segment;
import io.headway.testing.GeneratorPipeline;
import io.headway.testing.KafkaTestBroker;
import io.headway.testing.MiniClusters;
import io.headway.testing.TestJobConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Generator data through the real broker and the production pipeline on MiniCluster (parallelism 2),
 * journeys checked against the generator's ground truth: time to value per account, and a warning
 * before every stalled milestone falls due. The input is disordered by up to 4 minutes, within the
 * 5-minute watermark bound, and carries duplicates and malformed records.
 */
class JourneyITCase {

    @Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    @Order(2)
    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldReportTimeToValueAsTheGroundTruthAndWarnBeforeEveryStalledMilestoneIsDue() throws Exception {
        GeneratorPipeline.Run run = GeneratorPipeline.run(KAFKA, "output.journey-topic", 150, 75, 23, "journeys-it");
        GeneratorReport report = run.report();
        String journeyTopic = run.outputTopic();

        Map<String, List<JsonNode>> onboarding = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : GeneratorPipeline.readAll(KAFKA, journeyTopic, Duration.ofSeconds(3), TIMEOUT)) {
            JsonNode u = JSON.readTree(r.value());
            if (u.get("journey").asText().equals("onboarding")) {
                onboarding.computeIfAbsent(u.get("account_id").asText(), a -> new ArrayList<>()).add(u);
            }
        }

        int achieved = 0;
        int stalled = 0;
        int healthy = 0;
        Set<String> healthyEverBehind = new HashSet<>();
        for (AccountResult result : report.groundTruth().results()) {
            if (!result.result().equals(AccountResult.FIRST_VALUE)) {
                continue;
            }
            String account = result.accountId();
            List<JsonNode> records = onboarding.getOrDefault(account, List.of());
            assertThat(records).as(account + " entered onboarding").isNotEmpty();
            if (result.status() == ResultStatus.ACHIEVED) {
                achieved++;
                JsonNode done = last(records);
                assertThat(done.get("transition").asText()).as(account).isEqualTo("completed");
                assertThat(done.get("time_to_value_ms").asLong()).as(account + " time to value").isEqualTo(result.timeToValueMs());
            }
            if (result.stalledMilestone() != null) {
                stalled++;
                long due = result.stalledMilestoneDueAt().toEpochMilli();
                JsonNode behind = find(records, "milestone_behind", result.stalledMilestone());
                JsonNode overdue = find(records, "milestone_overdue", result.stalledMilestone());
                assertThat(behind).as(account + " behind on " + result.stalledMilestone()).isNotNull();
                assertThat(instant(behind, "as_of")).as(account + " warned before the deadline").isLessThan(due);
                assertThat(overdue).as(account + " overdue on " + result.stalledMilestone()).isNotNull();
                assertThat(instant(overdue, "as_of")).as(account + " overdue exactly at the deadline").isEqualTo(due);
            }
            if (result.segment() == Segment.HEALTHY) {
                healthy++;
                assertThat(records).as(account + " (healthy) is never overdue")
                        .noneMatch(u -> u.get("transition").asText().equals("milestone_overdue"));
                if (records.stream().anyMatch(u -> u.get("transition").asText().equals("milestone_behind"))) {
                    healthyEverBehind.add(account);
                }
            }
        }
        assertThat(achieved).as("accounts reaching first value").isGreaterThan(50);
        assertThat(stalled).as("accounts stalled inside the window").isGreaterThan(10);
        System.out.printf(
                "JourneyITCase: %d accounts, %d reached first value (time to value exact), %d stalled (all warned before due);"
                        + " healthy accounts ever behind: %d of %d (%.1f %%)%n",
                report.accounts(), achieved, stalled, healthyEverBehind.size(), healthy,
                100.0 * healthyEverBehind.size() / Math.max(1, healthy));
    }

    private static JsonNode find(List<JsonNode> records, String transition, String subject) {
        for (JsonNode u : records) {
            if (u.get("transition").asText().equals(transition) && subject.equals(u.get("subject").asText())) {
                return u;
            }
        }
        return null;
    }

    private static JsonNode last(List<JsonNode> records) {
        JsonNode latest = records.get(0);
        for (JsonNode u : records) {
            if (u.get("sequence").asInt() > latest.get("sequence").asInt()) {
                latest = u;
            }
        }
        return latest;
    }

    private static long instant(JsonNode u, String field) {
        return Instant.parse(u.get(field).asText()).toEpochMilli();
    }
}
