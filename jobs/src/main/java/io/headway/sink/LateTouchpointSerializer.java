package io.headway.sink;

import io.headway.ingest.TouchpointJson;
import io.headway.schema.Touchpoint;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/** Late touchpoints in the input JSON contract, keyed by account: they can be replayed as they are. */
public final class LateTouchpointSerializer implements KafkaRecordSerializationSchema<Touchpoint> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public LateTouchpointSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Touchpoint t, KafkaSinkContext context, Long timestamp) {
        // Stamped now, not with occurred_at: an old timestamp would let retention delete the record at once.
        return new ProducerRecord<>(
                topic, null, null, t.getAccountId().getBytes(StandardCharsets.UTF_8), TouchpointJson.toJson(t));
    }
}
