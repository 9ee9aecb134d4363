package io.headway.sink;

import io.headway.schema.DeadLetter;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A dead letter keeps the original key and value byte for byte, so it can be fixed and replayed
 * with any Kafka tool; the reason and the source position travel in headers, as in Kafka Connect's
 * dead-letter queues.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final String HEADER_REASON_CODE = "headway.dlq.reason.code";
    public static final String HEADER_REASON = "headway.dlq.reason";
    public static final String HEADER_TOPIC = "headway.dlq.topic";
    public static final String HEADER_PARTITION = "headway.dlq.partition";
    public static final String HEADER_OFFSET = "headway.dlq.offset";
    public static final String HEADER_TIMESTAMP = "headway.dlq.timestamp";
    public static final String HEADER_PAYLOAD_SIZE = "headway.dlq.payload.size";
    public static final String HEADER_TRUNCATED = "headway.dlq.payload.truncated";

    private final String topic;
    private final int payloadLimit;

    public DeadLetterSerializer(String topic) {
        this(topic, OutputLimits.DEFAULT_MAX_REQUEST_SIZE);
    }

    /** Records stay within {@code maxRequestSize}, the producer's {@code max.request.size} (see {@link OutputLimits}). */
    public DeadLetterSerializer(String topic, int maxRequestSize) {
        this.topic = topic;
        this.payloadLimit = OutputLimits.payloadLimit(maxRequestSize);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_REASON_CODE, utf8(d.getReasonCode()));
        headers.add(HEADER_REASON, utf8(d.getReason()));
        headers.add(HEADER_TOPIC, utf8(d.getTopic()));
        headers.add(HEADER_PARTITION, utf8(Integer.toString(d.getPartition())));
        headers.add(HEADER_OFFSET, utf8(Long.toString(d.getOffset())));
        headers.add(HEADER_TIMESTAMP, utf8(Long.toString(d.getKafkaTimestamp())));
        headers.add(HEADER_PAYLOAD_SIZE, utf8(Integer.toString(d.getPayloadSize())));
        // The parser already cuts to dead-letter.max-payload-bytes; cut here too so that no dead letter,
        // wherever it comes from, can exceed the producer's limit.
        byte[] payload = OutputLimits.cut(bytes(d.getPayload()), payloadLimit);
        if (payload.length < d.getPayloadSize()) {
            headers.add(HEADER_TRUNCATED, utf8("true"));
        }
        // Stamped now; the original timestamp is a header (an old one would let retention delete it at once).
        return new ProducerRecord<>(
                topic, null, null, OutputLimits.cut(bytes(d.getKey()), OutputLimits.MAX_KEY_BYTES), payload, headers);
    }

    private static byte[] utf8(String s) {
        return OutputLimits.headerValue(s);
    }

    static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
