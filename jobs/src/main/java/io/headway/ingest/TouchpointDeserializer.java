package io.headway.ingest;

import io.headway.schema.IngestedRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses in the source, not after it, so that the watermark strategy sees each touchpoint's
 * occurred_at and Kafka's per-partition watermarks work. Every record yields exactly one output:
 * a touchpoint or a dead letter.
 */
public final class TouchpointDeserializer implements KafkaRecordDeserializationSchema<IngestedRecord> {

    private static final long serialVersionUID = 1L;

    private final TouchpointParser parser;
    private final HashMap<String, InputFormat> formatByTopic;
    private final InputFormat defaultFormat;

    public TouchpointDeserializer(
            TouchpointParser parser, Map<String, InputFormat> formatByTopic, InputFormat defaultFormat) {
        this.parser = parser;
        this.formatByTopic = new HashMap<>(formatByTopic);
        this.defaultFormat = defaultFormat;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestedRecord> out) {
        InputFormat format = formatByTopic.getOrDefault(record.topic(), defaultFormat);
        out.collect(
                parser.parse(
                        format,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value()));
    }

    @Override
    public TypeInformation<IngestedRecord> getProducedType() {
        return new AvroTypeInfo<>(IngestedRecord.class);
    }
}
