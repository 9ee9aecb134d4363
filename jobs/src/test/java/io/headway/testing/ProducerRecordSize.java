package io.headway.testing;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/** The size the Kafka producer checks against {@code max.request.size} before it sends a record. */
public final class ProducerRecordSize {

    private ProducerRecordSize() {}

    /** What {@code KafkaProducer.send} computes and refuses with RecordTooLargeException above the limit. */
    public static int of(ProducerRecord<byte[], byte[]> r) {
        return AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, r.key(), r.value(), r.headers().toArray());
    }
}
