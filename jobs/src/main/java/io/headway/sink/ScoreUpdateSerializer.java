package io.headway.sink;

import io.headway.schema.ScoreUpdate;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/** Score records as JSON keyed by account, so a compacted topic keeps each account's latest score. */
public final class ScoreUpdateSerializer implements KafkaRecordSerializationSchema<ScoreUpdate> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public ScoreUpdateSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ScoreUpdate u, KafkaSinkContext context, Long timestamp) {
        // Wall-clock record timestamp, like the activity topic: as_of in the payload is the event time.
        return new ProducerRecord<>(
                topic, null, null, u.getAccountId().getBytes(StandardCharsets.UTF_8), ScoreUpdateJson.toJson(u));
    }
}
