package io.headway.sink;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * An output record as {@link AvroJson}, keyed by its {@code account_id} field, so each account's
 * records stay in order on one partition and a consumer can key its own state by account.
 */
public final class AccountJsonSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public AccountJsonSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
        Object account = record.get(record.getSchema().getField("account_id").pos());
        // No record timestamp, for the reason given in ActivitySummarySerializer.
        return new ProducerRecord<>(
                topic, null, null, account.toString().getBytes(StandardCharsets.UTF_8), AvroJson.toJson(record));
    }
}
