package io.headway;

import static io.headway.testing.Fixtures.DAY_0;
import static io.headway.testing.Fixtures.day;
import static io.headway.testing.Fixtures.json;
import static io.headway.testing.Fixtures.touchpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.ingest.DeadLetterReason;
import io.headway.ingest.IngestMetrics;
import io.headway.sink.LateTouchpointSerializer;
import io.headway.ingest.AcceptTouchpoints;
import io.headway.schema.Touchpoint;
import io.headway.sink.DeadLetterSerializer;
import io.headway.testing.Eventually;
import io.headway.testing.IngestCounters;
import io.headway.testing.KafkaTestBroker;
import io.headway.testing.MiniClusters;
import io.headway.testing.PostgresTestDatabase;
import io.headway.testing.TestJobConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The real workflow on MiniCluster (parallelism 2) between a real Kafka broker and a real
 * PostgreSQL: a mixed stream of good, malformed, duplicated and late touchpoints, with exact counts
 * on every output, in the database, and in the metrics.
 *
 * <p>Lateness is made deterministic the way it happens in production: the second batch is written
 * only after the job has shown (in PostgreSQL) that event time has passed DAY_4.
 */
class HeadwayJobITCase {

    @Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    @Order(2)
    @RegisterExtension
    static final PostgresTestDatabase POSTGRES = new PostgresTestDatabase();

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @Order(3)
    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo(METRICS.addToConfiguration(new Configuration()));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant DAY_3_17H = day(3).plus(Duration.ofHours(17));
    private static final Instant FINAL_AS_OF = day(4).plus(Duration.ofHours(4));
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String[] SOURCES = {"product", "product", "support", "education", "billing", "survey"};
    private static final String[] TYPES = {"login", "feature_used", "ticket_opened", "course_completed", "invoice_paid", "survey_answered"};

    /** Accounts per input partition; both partitions carry data so both hold back event time. */
    private static final List<List<String>> ACCOUNTS = List.of(List.of("acme", "initech"), List.of("globex", "umbrella"));

    private final List<Touchpoint> accepted = new ArrayList<>();
    private final List<String> expectedDeadLetterReasons = new ArrayList<>();
    private final Map<Long, String> deadLetterReasonByOffset = new HashMap<>();
    private final List<String> expectedLateIds = new ArrayList<>();
    private int produced;
    private int duplicates;

    @ParameterizedTest(name = "Kafka outputs {0}")
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void shouldRouteEveryRecordToExactlyOneOutputAndUpsertExactSummaries(String delivery) throws Exception {
        String input = KAFKA.newTopic("touchpoints", 2, Map.of("max.message.bytes", Integer.toString(4 << 20)));
        String activityTopic = KAFKA.newTopic("activity", 2, Map.of());
        String deadLetterTopic = KAFKA.newTopic("dead-letters", 2, Map.of("max.message.bytes", Integer.toString(4 << 20)));
        String lateTopic = KAFKA.newTopic("late", 2, Map.of());
        String jdbcUrl = POSTGRES.newDatabase();

        Map<String, String> settings =
                TestJobConfig.settings(KAFKA.bootstrapServers(), input, activityTopic, deadLetterTopic, lateTopic, jdbcUrl);
        settings.put("kafka.producer.max.request.size", Integer.toString(4 << 20));
        settings.put("output.delivery-guarantee", delivery);
        // The broker creates no topic on demand: every output the job writes needs one.
        String scoreTopic = KAFKA.newTopic("scores", 2, Map.of());
        settings.put("output.score-topic", scoreTopic);
        settings.put("output.alert-topic", KAFKA.newTopic("alerts", 2, Map.of()));
        settings.put("output.transactional-id-prefix", "it-" + input);
        JobClient job = TestJobConfig.submit(settings, "headway-it");
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            // Batch 1: four days of activity, adjacent duplicates, malformed records, then one touchpoint
            // per partition early on DAY_4, which moves event time past DAY_4 midnight.
            for (int p = 0; p < 2; p++) {
                List<Touchpoint> days = new ArrayList<>();
                for (String account : ACCOUNTS.get(p)) {
                    days.addAll(activity(account, 0, 4));
                }
                days.sort((a, b) -> Long.compare(a.getOccurredAt(), b.getOccurredAt()));
                for (int i = 0; i < days.size(); i++) {
                    send(producer, input, p, days.get(i));
                    if (i % 9 == 4) {
                        sendDuplicate(producer, input, p, days.get(i));
                    }
                    if (i % 11 == 3) {
                        sendMalformed(producer, input, p, i);
                    }
                }
                for (String account : ACCOUNTS.get(p)) {
                    send(producer, input, p, touchpoint(account + "-clock-4", account, day(4).plus(Duration.ofHours(1)), "product", "login"));
                }
            }
            producer.flush();

            // Every account's last DAY_3 touchpoint is before 17:00; its summary as of 17:00 shows
            // that event time has passed DAY_3 17:00 for every account.
            Eventually.await(
                    "every account summarized as of DAY_3 17:00",
                    TIMEOUT,
                    () -> PostgresTestDatabase.query(jdbcUrl, "SELECT account_id FROM account_activity WHERE as_of >= '" + DAY_3_17H + "'"),
                    rows -> rows.size() == 4);

            // Batch 2: late touchpoints, repeats of the newest ones, more malformed input (incl. 2 MB),
            // new activity on DAY_4, and touchpoints on DAY_5 that move event time past its midnight.
            for (int p = 0; p < 2; p++) {
                // Repeats and late ones first: a newer touchpoint on the partition would make the
                // repeats of DAY_4 01:00 late too.
                for (String account : ACCOUNTS.get(p)) {
                    sendLate(producer, input, p, touchpoint(account + "-late", account, day(2).plus(Duration.ofHours(10)), "support", "ticket_opened"));
                    sendDuplicate(producer, input, p, touchpoint(account + "-clock-4", account, day(4).plus(Duration.ofHours(1)), "product", "login"));
                }
                for (String account : ACCOUNTS.get(p)) {
                    send(producer, input, p, touchpoint(account + "-d4", account, day(4).plus(Duration.ofHours(3)), "services", "session_held"));
                }
                sendMalformed(producer, input, p, 100);
                sendBytes(producer, input, p, new byte[2 << 20], DeadLetterReason.PAYLOAD_TOO_LARGE);
                for (String account : ACCOUNTS.get(p)) {
                    send(producer, input, p, touchpoint(account + "-clock-5", account, day(5).plus(Duration.ofHours(1)), "product", "login"));
                }
            }
            producer.flush();
        }

        // Event time ends at DAY_5 00:55: the last boundary with news is DAY_4 04:00 (after the
        // DAY_4 03:00 touchpoints); no day leaves a window at DAY_5 midnight.
        Map<String, Map<String, Object>> expected = expectedRows(FINAL_AS_OF);
        List<Map<String, Object>> rows =
                Eventually.await(
                        "account_activity as of DAY_4 04:00",
                        TIMEOUT,
                        () -> PostgresTestDatabase.query(jdbcUrl, "SELECT account_id, as_of, last_seen_at, events_7d, events_28d, events_7d_by_source::text AS by7, events_28d_by_source::text AS by28, active FROM account_activity ORDER BY account_id"),
                        r -> r.size() == 4 && r.stream().allMatch(row -> asOf(row).equals(FINAL_AS_OF)));

        assertThat(rows.stream().collect(Collectors.toMap(r -> (String) r.get("account_id"), HeadwayJobITCase::comparable)))
                .isEqualTo(expected);

        List<ConsumerRecord<byte[], byte[]>> deadLetters =
                KAFKA.readUntil(deadLetterTopic, r -> r.size() >= expectedDeadLetterReasons.size(), TIMEOUT);
        assertThat(deadLetters).hasSize(expectedDeadLetterReasons.size());
        assertThat(deadLetters.stream().map(r -> header(r, DeadLetterSerializer.HEADER_REASON_CODE)))
                .containsExactlyInAnyOrderElementsOf(expectedDeadLetterReasons);
        for (ConsumerRecord<byte[], byte[]> dl : deadLetters) {
            assertThat(header(dl, DeadLetterSerializer.HEADER_TOPIC)).isEqualTo(input);
            long offset = Long.parseLong(header(dl, DeadLetterSerializer.HEADER_OFFSET));
            int partition = Integer.parseInt(header(dl, DeadLetterSerializer.HEADER_PARTITION));
            assertThat(deadLetterReasonByOffset.get(partition * 1_000_000L + offset))
                    .isEqualTo(header(dl, DeadLetterSerializer.HEADER_REASON_CODE));
            assertThat(header(dl, DeadLetterSerializer.HEADER_REASON)).isNotBlank();
        }

        List<ConsumerRecord<byte[], byte[]>> late = KAFKA.readUntil(lateTopic, r -> r.size() >= expectedLateIds.size(), TIMEOUT);
        assertThat(late.stream().map(r -> eventId(r.value())))
                .containsExactlyInAnyOrderElementsOf(expectedLateIds);
        assertThat(late)
                .allSatisfy(r -> assertThat(new String(r.headers().lastHeader(LateTouchpointSerializer.REASON_HEADER).value(), StandardCharsets.UTF_8))
                        .isEqualTo(AcceptTouchpoints.BEHIND_WATERMARK));

        List<ConsumerRecord<byte[], byte[]>> activity =
                KAFKA.readUntil(activityTopic, r -> latestAsOf(r).values().stream().filter(FINAL_AS_OF::equals).count() == 4, TIMEOUT);
        assertThat(latestAsOf(activity)).containsOnlyKeys("acme", "globex", "initech", "umbrella");

        // Every account has a health score, keyed by account.
        List<ConsumerRecord<byte[], byte[]>> scores =
                KAFKA.readUntil(scoreTopic, r -> keys(r).size() == 4, TIMEOUT);
        assertThat(keys(scores)).containsExactlyInAnyOrder("acme", "globex", "initech", "umbrella");

        JobID id = job.getJobID();
        Map<String, Long> counts =
                Eventually.await(
                        "ingestion counters to reconcile",
                        TIMEOUT,
                        () -> counters(id),
                        c -> c.get(IngestMetrics.IN) == produced);
        assertThat(counts)
                .containsEntry(IngestMetrics.IN, (long) produced)
                .containsEntry(IngestMetrics.INVALID, (long) expectedDeadLetterReasons.size())
                .containsEntry(IngestMetrics.DUPLICATE, (long) duplicates)
                .containsEntry(IngestMetrics.LATE, (long) expectedLateIds.size())
                .containsEntry(IngestMetrics.VALID, (long) accepted.size());
        assertThat(counts.get(IngestMetrics.VALID) + counts.get(IngestMetrics.INVALID) + counts.get(IngestMetrics.DUPLICATE) + counts.get(IngestMetrics.LATE))
                .isEqualTo(counts.get(IngestMetrics.IN));

        job.cancel().get();
    }

    private static java.util.Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------ input

    private static List<Touchpoint> activity(String account, int fromDay, int toDay) {
        List<Touchpoint> out = new ArrayList<>();
        int n = 0;
        for (int d = fromDay; d < toDay; d++) {
            for (int hour : new int[] {9, 11, 14, 16}) {
                int k = (account.length() + n++) % SOURCES.length;
                Instant at = day(d).plus(Duration.ofHours(hour)).plusSeconds(account.length() * 7L);
                out.add(touchpoint(account + "-" + d + "-" + hour, account, at, SOURCES[k], TYPES[k]));
            }
        }
        return out;
    }

    private void send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, Touchpoint t) throws Exception {
        write(producer, topic, partition, t.getAccountId(), json(t));
        accepted.add(t);
    }

    private void sendDuplicate(KafkaProducer<byte[], byte[]> producer, String topic, int partition, Touchpoint t) throws Exception {
        write(producer, topic, partition, t.getAccountId(), json(t));
        duplicates++;
    }

    private void sendLate(KafkaProducer<byte[], byte[]> producer, String topic, int partition, Touchpoint t) throws Exception {
        write(producer, topic, partition, t.getAccountId(), json(t));
        expectedLateIds.add(t.getEventId());
    }

    private void sendMalformed(KafkaProducer<byte[], byte[]> producer, String topic, int partition, int i) throws Exception {
        long at = day(1).toEpochMilli();
        switch (i % 4) {
            case 0:
                sendBytes(producer, topic, partition, "{\"event_id\":".getBytes(StandardCharsets.UTF_8), DeadLetterReason.INVALID_JSON);
                break;
            case 1:
                sendBytes(producer, topic, partition, ("{\"event_id\":\"x\",\"account_id\":\"acme\",\"occurred_at\":" + at + ",\"source\":\"marketing\",\"type\":\"login\"}").getBytes(StandardCharsets.UTF_8), DeadLetterReason.UNKNOWN_SOURCE);
                break;
            case 2:
                sendBytes(producer, topic, partition, ("{\"event_id\":\"x\",\"occurred_at\":" + at + ",\"source\":\"product\",\"type\":\"login\"}").getBytes(StandardCharsets.UTF_8), DeadLetterReason.MISSING_FIELD);
                break;
            default:
                sendBytes(producer, topic, partition, ("{\"event_id\":\"x\",\"account_id\":\"caf\u00e9\",\"occurred_at\":" + at + ",\"source\":\"product\",\"type\":\"login\"}").getBytes(StandardCharsets.ISO_8859_1), DeadLetterReason.INVALID_ENCODING);
        }
    }

    private void sendBytes(KafkaProducer<byte[], byte[]> producer, String topic, int partition, byte[] value, DeadLetterReason reason) throws Exception {
        RecordMetadata m = write(producer, topic, partition, "bad", value);
        expectedDeadLetterReasons.add(reason.name());
        deadLetterReasonByOffset.put(partition * 1_000_000L + m.offset(), reason.name());
    }

    private RecordMetadata write(KafkaProducer<byte[], byte[]> producer, String topic, int partition, String key, byte[] value) throws Exception {
        produced++;
        return producer.send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    // ------------------------------------------------------------------ expectations

    /** Reference model of the summary: accepted touchpoints before asOf, on the 7 and 28 UTC days up to asOf's day. */
    private Map<String, Map<String, Object>> expectedRows(Instant asOf) {
        long asOfDay = Math.floorDiv(asOf.toEpochMilli() - 1, Duration.ofDays(1).toMillis());
        Map<String, Map<String, Object>> out = new TreeMap<>();
        Map<String, List<Touchpoint>> byAccount =
                accepted.stream().filter(t -> t.getOccurredAt() < asOf.toEpochMilli()).collect(Collectors.groupingBy(Touchpoint::getAccountId));
        byAccount.forEach(
                (account, ts) -> {
                    Map<String, Long> by7 = new TreeMap<>();
                    Map<String, Long> by28 = new TreeMap<>();
                    for (Touchpoint t : ts) {
                        long d = Math.floorDiv(t.getOccurredAt(), Duration.ofDays(1).toMillis());
                        if (d > asOfDay - 7) {
                            by7.merge(t.getSource(), 1L, Long::sum);
                        }
                        if (d > asOfDay - 28) {
                            by28.merge(t.getSource(), 1L, Long::sum);
                        }
                    }
                    Map<String, Object> row = new TreeMap<>();
                    row.put("as_of", asOf);
                    row.put("last_seen_at", Instant.ofEpochMilli(ts.stream().mapToLong(Touchpoint::getOccurredAt).max().orElseThrow()));
                    row.put("events_7d", by7.values().stream().mapToLong(Long::longValue).sum());
                    row.put("events_28d", by28.values().stream().mapToLong(Long::longValue).sum());
                    row.put("by7", by7);
                    row.put("by28", by28);
                    row.put("active", true);
                    out.put(account, row);
                });
        return out;
    }

    private static Map<String, Object> comparable(Map<String, Object> row) {
        Map<String, Object> out = new TreeMap<>();
        out.put("as_of", asOf(row));
        out.put("last_seen_at", instant(row.get("last_seen_at")));
        out.put("events_7d", row.get("events_7d"));
        out.put("events_28d", row.get("events_28d"));
        out.put("by7", counts((String) row.get("by7")));
        out.put("by28", counts((String) row.get("by28")));
        out.put("active", row.get("active"));
        return out;
    }

    private static Instant asOf(Map<String, Object> row) {
        return instant(row.get("as_of"));
    }

    private static Instant instant(Object timestamptz) {
        return timestamptz instanceof OffsetDateTime
                ? ((OffsetDateTime) timestamptz).toInstant()
                : ((java.sql.Timestamp) timestamptz).toInstant();
    }

    private static Map<String, Long> counts(String json) {
        try {
            Map<String, Long> out = new TreeMap<>();
            JSON.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Instant> latestAsOf(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Instant> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                JsonNode n = JSON.readTree(r.value());
                Instant asOf = Instant.parse(n.get("as_of").asText());
                out.merge(n.get("account_id").asText(), asOf, (a, b) -> a.isAfter(b) ? a : b);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private static String eventId(byte[] touchpointJson) {
        try {
            return JSON.readTree(touchpointJson).get("event_id").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Map<String, Long> counters(JobID job) {
        return IngestCounters.of(METRICS, job);
    }
}
