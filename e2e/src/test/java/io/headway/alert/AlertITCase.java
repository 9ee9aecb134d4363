package io.headway.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.HeadwayJob;
import io.headway.config.HeadwayConfig;
import io.headway.eval.AlertScorecard;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Generator data through the real broker and the production pipeline on MiniCluster (parallelism 2),
 * alerts (read_committed: the topic is transactional) against the generator's ground truth: of the
 * accounts that miss a result (first value or a goal missed, or churned before it), how many got a
 * risk alert before the miss and how early; of the healthy accounts, how many got any risk alert.
 */
class AlertITCase {

    @Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    @Order(2)
    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    static final int ACCOUNTS = 150;
    static final int DAYS = 75;
    static final int SEED = 23;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final double DAY_MILLIS = 86_400_000.0;

    @Test
    void shouldAlertMostAccountsBeforeTheyMissAResultAndFewHealthyOnes() throws Exception {
        GeneratorPipeline.Run run = GeneratorPipeline.run(KAFKA, "output.alert-topic", ACCOUNTS, DAYS, SEED, "alerts-it");
        GeneratorReport report = run.report();
        String alertTopic = run.outputTopic();

        Map<String, List<JsonNode>> byAccount = new TreeMap<>();
        Map<String, Integer> byRule = new TreeMap<>();
        Set<String> transitions = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : GeneratorPipeline.readAll(KAFKA, alertTopic, Duration.ofSeconds(3), TIMEOUT)) {
            JsonNode a = JSON.readTree(r.value());
            assertThat(new String(r.key())).isEqualTo(a.get("account_id").asText());
            String transition = a.get("alert_id").asText() + "/" + a.get("state").asText() + "/" + a.get("updated_at").asText()
                    + "/" + a.get("reason").asText();
            assertThat(transitions.add(transition)).as("every transition once: " + transition).isTrue();
            byAccount.computeIfAbsent(a.get("account_id").asText(), k -> new ArrayList<>()).add(a);
            if (a.get("reason").asText().equals("fired") || a.get("reason").asText().equals("won")) {
                byRule.merge(a.get("rule").asText(), 1, Integer::sum);
            }
        }

        // One real record for the README ("Alerts"): the first time-to-value warning.
        byAccount.values().stream().flatMap(List::stream)
                .filter(a -> a.get("rule").asText().equals("time-to-value-at-risk") && a.get("reason").asText().equals("fired"))
                .findFirst()
                .ifPresent(a -> System.out.println("AlertITCase example record: " + a.toPrettyString()));

        // The first miss of each account: first value or a goal missed, or the account churned first.
        Map<String, Long> missAt = new HashMap<>();
        Set<String> healthy = new HashSet<>();
        for (AccountResult result : report.groundTruth().results()) {
            if (result.segment() == Segment.HEALTHY) {
                healthy.add(result.accountId());
            }
            boolean tracked = result.result().equals(AccountResult.FIRST_VALUE) || result.isGoal();
            boolean missed = result.status() == ResultStatus.MISSED || result.status() == ResultStatus.CHURNED;
            if (tracked && missed && result.at() != null) {
                missAt.merge(result.accountId(), result.at().toEpochMilli(), Math::min);
            }
        }
        int warned = 0;
        List<Double> leadDays = new ArrayList<>();
        for (Map.Entry<String, Long> miss : missAt.entrySet()) {
            Long first = firstRiskOpenedAt(byAccount.getOrDefault(miss.getKey(), List.of()));
            if (first != null && first < miss.getValue()) {
                warned++;
                leadDays.add((miss.getValue() - first) / DAY_MILLIS);
            }
        }
        int healthyAlerted = 0;
        Map<String, Integer> healthyByRule = new TreeMap<>();
        for (String account : healthy) {
            List<JsonNode> alerts = byAccount.getOrDefault(account, List.of());
            if (firstRiskOpenedAt(alerts) != null) {
                healthyAlerted++;
            }
            alerts.stream().filter(a -> a.get("kind").asText().equals("risk")).map(a -> a.get("rule").asText()).distinct()
                    .forEach(r -> healthyByRule.merge(r, 1, Integer::sum));
        }
        double warnedShare = (double) warned / Math.max(1, missAt.size());
        double medianLead = AlertScorecard.median(leadDays);
        double falseShare = (double) healthyAlerted / Math.max(1, healthy.size());
        System.out.printf(
                "AlertITCase (seed %d, %d accounts x %d days, deteriorating share 0.3): accounts missing a result alerted"
                        + " before the miss: %d of %d (%.1f %%), median lead %.1f days; healthy accounts with any risk alert:"
                        + " %d of %d (%.1f %%); openings per rule: %s; healthy accounts per risk rule: %s%n",
                SEED, ACCOUNTS, DAYS, warned, missAt.size(), 100 * warnedShare, medianLead, healthyAlerted, healthy.size(),
                100 * falseShare, byRule, healthyByRule);

        assertThat(missAt.size()).as("accounts missing a result").isGreaterThan(10);
        assertThat(warnedShare).as("share of missing accounts alerted before the miss").isGreaterThanOrEqualTo(0.6);
        assertThat(medianLead).as("median lead time, days").isGreaterThanOrEqualTo(3);
        assertThat(falseShare).as("share of healthy accounts with any risk alert").isLessThanOrEqualTo(0.5);
    }

    private static Long firstRiskOpenedAt(List<JsonNode> alerts) {
        Long first = null;
        for (JsonNode a : alerts) {
            if (a.get("kind").asText().equals("risk") && a.get("reason").asText().equals("fired")) {
                long at = Instant.parse(a.get("opened_at").asText()).toEpochMilli();
                first = first == null ? at : Math.min(first, at);
            }
        }
        return first;
    }
}
