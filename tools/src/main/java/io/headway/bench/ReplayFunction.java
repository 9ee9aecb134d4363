package io.headway.bench;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The benchmark's stand-in for the Kafka deserializer: looks the i-th pre-generated record up and
 * parses it with the production {@link TouchpointParser}, inside the source like production, so
 * the watermark strategy sees event time. Computes nothing else.
 */
public final class ReplayFunction implements GeneratorFunction<Long, IngestedRecord> {

    private static final long serialVersionUID = 1L;

    public static final String TOPIC = "touchpoints";

    private final TouchpointParser parser;

    private transient BenchmarkInput input;

    public ReplayFunction(TouchpointParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(SourceReaderContext readerContext) {
        input = BenchmarkInput.installed();
    }

    @Override
    public IngestedRecord map(Long index) {
        int i = index.intValue();
        IngestedRecord record =
                parser.parse(
                        InputFormat.JSON, TOPIC, 0, i, input.kafkaTimestamp(i), input.key(i), input.value(i));
        BenchmarkCounters.SOURCE_RECORDS.increment();
        return record;
    }
}
