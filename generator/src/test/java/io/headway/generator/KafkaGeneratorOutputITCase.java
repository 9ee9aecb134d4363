package io.headway.generator;

import static io.headway.generator.GeneratorFixtures.jobParser;
import static io.headway.generator.GeneratorFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import io.headway.testing.KafkaTestBroker;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The Kafka output against a real in-process KRaft broker (Kafka's test kit), as the demo uses it:
 * through {@link GeneratorMain#run}. The broker runs with topic auto-creation off, like the local stack.
 */
class KafkaGeneratorOutputITCase {

    private static final String[] RUN = {
        "--accounts", "15", "--days", "30", "--seed", "11", "--start", "2025-02-01T00:00:00Z", "--partitions", "3"
    };

    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    @Test
    void shouldCreateTheTopicAndDeliverEveryRecordKeyedByItsAccountInEventTimeOrder() throws Exception {
        String topic = "touchpoints-" + UUID.randomUUID();

        GeneratorReport report = GeneratorMain.run(with(RUN,
                "--out", "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", topic,
                "--malformed-rate", "0.02", "--duplicate-rate", "0.01"));

        List<ConsumerRecord<byte[], byte[]>> read = readAll(topic, report.records());
        assertThat(read).hasSize((int) report.records());
        assertThat(partitions(topic)).isEqualTo(3);
        TouchpointParser parser = jobParser(report.groundTruth().settings());
        Map<String, Long> lastEventAt = new HashMap<>();
        Set<String> seen = new HashSet<>();
        long malformed = 0;
        long duplicates = 0;
        for (ConsumerRecord<byte[], byte[]> r : read) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            Touchpoint t = parse(parser, InputFormat.JSON, key, r.value(), r.offset()).getTouchpoint();
            if (t == null) {
                malformed++;
                continue;
            }
            assertThat(t.getAccountId()).isEqualTo(key);
            if (!seen.add(t.getEventId())) {
                duplicates++;
                continue;
            }
            // One account, one partition: its first emissions arrive in event-time order.
            assertThat(t.getOccurredAt()).isGreaterThanOrEqualTo(lastEventAt.getOrDefault(key, Long.MIN_VALUE));
            lastEventAt.put(key, t.getOccurredAt());
        }
        assertThat(malformed).isEqualTo(report.malformed()).isPositive();
        assertThat(duplicates).isEqualTo(report.duplicates()).isPositive();
        assertThat((long) seen.size()).isEqualTo(report.valid());
    }

    @Test
    void shouldWriteAvroValuesWhenAsked() throws Exception {
        String topic = "touchpoints-avro-" + UUID.randomUUID();

        GeneratorReport report = GeneratorMain.run(with(RUN,
                "--out", "kafka", "--format", "avro", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--topic", topic));

        List<ConsumerRecord<byte[], byte[]>> read = readAll(topic, report.records());
        TouchpointParser parser = jobParser(report.groundTruth().settings());
        List<Touchpoint> decoded = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : read) {
            IngestedRecord parsed = parse(parser, InputFormat.AVRO, "k", r.value(), r.offset());
            assertThat(parsed.getDeadLetter()).isNull();
            decoded.add(parsed.getTouchpoint());
        }
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(new Generator(report.groundTruth().settings()).events());
    }

    private static int partitions(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, long expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // Assigned, not subscribed: no consumer group to join, which saves seconds per test.
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // One more poll: anything beyond the expected count would be a bug worth seeing.
            consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        }
        return out;
    }

    private static String[] with(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
