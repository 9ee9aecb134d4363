package io.headway.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The alert topic counted as a CS team sees it: read_committed (the topic is transactional, so its
 * offsets also count commit markers), risk alerts opened by rule, and wins.
 */
final class AlertTally {

    private static final ObjectMapper JSON = new ObjectMapper();

    long transitions;
    long opened;
    long wins;
    final Map<String, Long> openedByRule = new TreeMap<>();

    static AlertTally read(String bootstrapServers, String topic, Duration timeout) throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        AlertTally tally = new AlertTally();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed, the end offsets are the last stable offsets.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    tally.add(JSON.readTree(r.value()));
                }
            }
        }
        return tally;
    }

    private void add(JsonNode alert) {
        transitions++;
        String state = alert.path("state").asText();
        if (state.equals("won")) {
            wins++;
        } else if (state.equals("open") && alert.path("reason").asText().equals("fired")) {
            opened++;
            openedByRule.merge(alert.path("rule").asText(), 1L, Long::sum);
        }
    }
}
