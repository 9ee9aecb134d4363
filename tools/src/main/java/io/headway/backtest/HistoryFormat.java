package io.headway.backtest;

import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The history as the file source reads it: the files dealt into one group per source subtask, one
 * split per group, and each group read as one stream merged by event time ({@link MergingReader}).
 *
 * <p>Why not one split per file, the file source's default: a reader reads its splits one after the
 * other, so after a file that reaches the end of the history its watermark is there, and every record
 * of the next file would be late. Kafka has the same shape (a reader holds several partitions) and
 * reads them side by side; so does this.
 */
final class HistoryFormat implements BulkFormat<IngestedRecord, FileSourceSplit> {

    private static final long serialVersionUID = 1L;

    private final TouchpointParser parser;
    private final String root;
    private final String runId;
    /** Absolute paths of the files, per group; a split's id is its group's index. */
    private final ArrayList<ArrayList<String>> groups;

    HistoryFormat(TouchpointParser parser, HistoryFiles files, int readers, String runId) {
        this.parser = parser;
        this.root = files.root.toString();
        this.runId = runId;
        this.groups = files.groups(readers);
    }

    /** One split per group, named by the group's index; the path shown is the group's first file. */
    FileEnumerator.Provider enumerator() {
        List<FileSourceSplit> splits = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            splits.add(new FileSourceSplit(Integer.toString(i), new Path(groups.get(i).get(0)), 0, 0, 0, 0));
        }
        ArrayList<FileSourceSplit> fixed = new ArrayList<>(splits);
        return () -> (paths, minDesiredSplits) -> (Collection<FileSourceSplit>) new ArrayList<>(fixed);
    }

    @Override
    public Reader<IngestedRecord> createReader(Configuration config, FileSourceSplit split) {
        return new MergingReader(groups.get(Integer.parseInt(split.splitId())), root, parser, new ReaderTally(runId));
    }

    @Override
    public Reader<IngestedRecord> restoreReader(Configuration config, FileSourceSplit split) {
        throw new UnsupportedOperationException("the backtest runs without checkpoints");
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<IngestedRecord> getProducedType() {
        return new AvroTypeInfo<>(IngestedRecord.class);
    }
}
