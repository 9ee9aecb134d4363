package io.headway.backtest;

import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import java.io.IOException;

/**
 * Reads one history file per split and chooses the record format by its name: {@code .avro} files
 * are Avro container files of Touchpoint, everything else JSON lines. The file source's adapter
 * decompresses {@code .gz} (and the other suffixes Flink knows) before the records are read.
 */
final class HistoryFormat implements BulkFormat<IngestedRecord, FileSourceSplit> {

    private static final long serialVersionUID = 1L;

    private final TouchpointParser parser;
    private final String root;
    private final String runId;

    HistoryFormat(TouchpointParser parser, String root, String runId) {
        this.parser = parser;
        this.root = root;
        this.runId = runId;
    }

    @Override
    public Reader<IngestedRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return adapter(split).createReader(config, split);
    }

    @Override
    public Reader<IngestedRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return adapter(split).restoreReader(config, split);
    }

    private StreamFormatAdapter<IngestedRecord> adapter(FileSourceSplit split) {
        String name = HistoryFiles.relativeName(root, split.path().toUri().getPath());
        StreamFormat<IngestedRecord> format =
                HistoryFiles.isAvro(name)
                        ? new AvroContainerFormat(parser, name, runId)
                        : new JsonLinesFormat(parser, name, runId);
        return new StreamFormatAdapter<>(format);
    }

    /** One reader per file keeps line numbers exact (they are the dead letters' offsets); parallel reading needs several files. */
    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<IngestedRecord> getProducedType() {
        return new AvroTypeInfo<>(IngestedRecord.class);
    }
}
