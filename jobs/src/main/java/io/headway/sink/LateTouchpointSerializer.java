package io.headway.sink;

import io.headway.ingest.TouchpointJson;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.Touchpoint;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * Late touchpoints in the input JSON contract, keyed by account, so they can be replayed as they are;
 * why each was not applied travels in the headers {@value #REASON_HEADER} and {@value #DETAIL_HEADER}.
 */
public final class LateTouchpointSerializer implements KafkaRecordSerializationSchema<LateTouchpoint> {

    public static final String REASON_HEADER = "headway.late.reason";
    public static final String DETAIL_HEADER = "headway.late.detail";

    private static final long serialVersionUID = 1L;

    private final String topic;

    public LateTouchpointSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(LateTouchpoint late, KafkaSinkContext context, Long timestamp) {
        Touchpoint t = late.getTouchpoint();
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, late.getReason().getBytes(StandardCharsets.UTF_8));
        if (late.getDetail() != null) {
            headers.add(DETAIL_HEADER, late.getDetail().getBytes(StandardCharsets.UTF_8));
        }
        // Stamped now, not with occurred_at: an old timestamp would let retention delete the record at once.
        return new ProducerRecord<>(
                topic, null, null, t.getAccountId().getBytes(StandardCharsets.UTF_8), TouchpointJson.toJson(t), headers);
    }
}
