package io.headway.ingest;

import io.headway.config.HeadwayConfig;
import io.headway.schema.IngestedRecord;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.time.Clock;
import java.util.Properties;

/** The production touchpoint source, built from the typed configuration. */
public final class TouchpointSource {

    private TouchpointSource() {}

    /** The parser with the configured vocabulary and limits; the clock bounds occurred_at. */
    public static TouchpointParser parser(HeadwayConfig c, Clock clock) {
        return new TouchpointParser(
                new TouchpointVocabulary(
                        c.get(HeadwayConfig.VALIDATION_EXTRA_SOURCES), c.get(HeadwayConfig.VALIDATION_EXTRA_TYPES)),
                c.get(HeadwayConfig.VALIDATION_MAX_PAYLOAD_BYTES),
                c.get(HeadwayConfig.DEAD_LETTER_MAX_PAYLOAD_BYTES),
                c.get(HeadwayConfig.VALIDATION_MAX_PAST),
                c.get(HeadwayConfig.VALIDATION_MAX_FUTURE),
                clock);
    }

    public static KafkaSource<IngestedRecord> kafka(HeadwayConfig c) {
        Properties props = new Properties();
        props.putAll(c.withPrefix(HeadwayConfig.KAFKA_CONSUMER_PREFIX));
        KafkaSourceBuilder<IngestedRecord> b =
                KafkaSource.<IngestedRecord>builder()
                        .setBootstrapServers(c.get(HeadwayConfig.KAFKA_BOOTSTRAP_SERVERS))
                        .setTopics(c.get(HeadwayConfig.INPUT_TOPICS))
                        .setGroupId(c.get(HeadwayConfig.INPUT_GROUP_ID))
                        .setDeserializer(
                                new TouchpointDeserializer(
                                        parser(c, Clock.systemUTC()), c.topicFormats(), c.get(HeadwayConfig.INPUT_FORMAT)))
                        .setProperties(props);
        switch (c.get(HeadwayConfig.INPUT_STARTING_OFFSETS)) {
            case EARLIEST:
                b.setStartingOffsets(OffsetsInitializer.earliest());
                break;
            case LATEST:
                b.setStartingOffsets(OffsetsInitializer.latest());
                break;
            default:
                b.setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
        }
        if (c.get(HeadwayConfig.INPUT_BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }
}
