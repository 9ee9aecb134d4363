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
    private final int payloadLimit;

    public LateTouchpointSerializer(String topic) {
        this(topic, OutputLimits.DEFAULT_MAX_REQUEST_SIZE);
    }

    /**
     * Records stay within {@code maxRequestSize}, the producer's {@code max.request.size}: a touchpoint
     * whose JSON is longer than {@link OutputLimits#payloadLimit} (an Avro input can double in JSON) is
     * cut, with the dead-letter topic's truncation headers, instead of failing the job.
     */
    public LateTouchpointSerializer(String topic, int maxRequestSize) {
        this.topic = topic;
        this.payloadLimit = OutputLimits.payloadLimit(maxRequestSize);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(LateTouchpoint late, KafkaSinkContext context, Long timestamp) {
        Touchpoint t = late.getTouchpoint();
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, OutputLimits.headerValue(late.getReason()));
        if (late.getDetail() != null) {
            headers.add(DETAIL_HEADER, OutputLimits.headerValue(late.getDetail()));
        }
        byte[] json = TouchpointJson.toJson(t);
        if (json.length > payloadLimit) {
            headers.add(DeadLetterSerializer.HEADER_PAYLOAD_SIZE, Integer.toString(json.length).getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterSerializer.HEADER_TRUNCATED, "true".getBytes(StandardCharsets.UTF_8));
            json = OutputLimits.cut(json, payloadLimit);
        }
        byte[] key = OutputLimits.cut(t.getAccountId().getBytes(StandardCharsets.UTF_8), OutputLimits.MAX_KEY_BYTES);
        // Stamped now, not with occurred_at: an old timestamp would let retention delete the record at once.
        return new ProducerRecord<>(topic, null, null, key, json, headers);
    }
}
