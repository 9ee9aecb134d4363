package io.headway.sink;

import io.headway.schema.ActivitySummary;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/** Activity summaries keyed by account, so a compacted topic keeps the latest per account. */
public final class ActivitySummarySerializer implements KafkaRecordSerializationSchema<ActivitySummary> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public ActivitySummarySerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ActivitySummary s, KafkaSinkContext context, Long timestamp) {
        // No record timestamp (the producer stamps the wall clock): event time can run ahead of the
        // broker's clock, which Kafka rejects (message.timestamp.after.max.ms) and which would fail
        // the job; as_of in the payload is the event time.
        return new ProducerRecord<>(
                topic,
                null,
                null,
                s.getAccountId().getBytes(StandardCharsets.UTF_8),
                ActivitySummaryJson.toJson(s));
    }
}
