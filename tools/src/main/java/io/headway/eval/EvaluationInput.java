package io.headway.eval;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The records an evaluation replays, held in memory in this JVM (the MiniCluster runs here), and the
 * source function that parses the i-th of them with the production {@link TouchpointParser}, as the
 * Kafka deserializer would.
 */
final class EvaluationInput {

    private static volatile List<OuladMapping.Record> installed;

    private EvaluationInput() {}

    static void install(List<OuladMapping.Record> records) {
        installed = List.copyOf(records);
    }

    static int size() {
        return installed.size();
    }

    /** Parses record {@code index} of the installed input. */
    static final class Replay implements GeneratorFunction<Long, IngestedRecord> {

        private static final long serialVersionUID = 1L;

        private final TouchpointParser parser;
        private transient List<OuladMapping.Record> records;

        Replay(TouchpointParser parser) {
            this.parser = parser;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            records = installed;
        }

        @Override
        public IngestedRecord map(Long index) {
            int i = index.intValue();
            OuladMapping.Record r = records.get(i);
            return parser.parse(
                    InputFormat.JSON, "oulad", 0, i, r.at(), r.accountId().getBytes(StandardCharsets.UTF_8), r.json());
        }
    }
}
