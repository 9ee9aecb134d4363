package io.headway.backtest;

import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;

import org.apache.flink.api.common.io.compression.InflaterInputStreamFactory;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Reads a group of history files side by side and hands on their records merged by event time, as a
 * Kafka reader interleaves its partitions: each file needs to be in event-time order only up to the
 * job's {@code watermark.max-out-of-orderness}, like a partition. Dead letters have no event time and
 * go on as soon as they are read. Ties go to the file listed first, so a reader's order is fixed.
 */
final class MergingReader implements BulkFormat.Reader<IngestedRecord> {

    private static final int BATCH = 512;

    /** A file and its next valid record. */
    private static final class Cursor {
        final int index;
        final RecordReader reader;
        IngestedRecord head;

        Cursor(int index, RecordReader reader) {
            this.index = index;
            this.reader = reader;
        }

        long time() {
            return head.getTouchpoint().getOccurredAt();
        }
    }

    private final List<String> files;
    private final String root;
    private final TouchpointParser parser;
    private final ReaderTally tally;
    private final List<Cursor> open = new ArrayList<>();
    private final PriorityQueue<Cursor> queue =
            new PriorityQueue<>(Comparator.comparingLong(Cursor::time).thenComparingInt(c -> c.index));
    private final List<IngestedRecord> deadLetters = new ArrayList<>();
    private boolean started;
    private long emitted;

    MergingReader(List<String> files, String root, TouchpointParser parser, ReaderTally tally) {
        this.files = files;
        this.root = root;
        this.parser = parser;
        this.tally = tally;
    }

    @Override
    public BulkFormat.RecordIterator<IngestedRecord> readBatch() throws IOException {
        if (!started) {
            started = true;
            for (int i = 0; i < files.size(); i++) {
                Cursor c = new Cursor(i, open(files.get(i)));
                open.add(c);
                advance(c);
            }
        }
        List<IngestedRecord> batch = new ArrayList<>(BATCH);
        while (batch.size() < BATCH) {
            if (!deadLetters.isEmpty()) {
                batch.addAll(deadLetters);
                deadLetters.clear();
                continue;
            }
            Cursor c = queue.poll();
            if (c == null) {
                break;
            }
            batch.add(c.head);
            advance(c);
        }
        if (batch.isEmpty()) {
            return null;
        }
        long skip = emitted;
        emitted += batch.size();
        return new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, skip);
    }

    /** Moves the cursor to its file's next valid record, setting aside the dead letters before it. */
    private void advance(Cursor c) throws IOException {
        while (true) {
            IngestedRecord r = c.reader.next();
            if (r == null) {
                c.head = null;
                return;
            }
            tally.count(r);
            if (r.getTouchpoint() == null) {
                deadLetters.add(r);
            } else {
                c.head = r;
                queue.add(c);
                return;
            }
        }
    }

    private RecordReader open(String file) throws IOException {
        String name = HistoryFiles.relativeName(root, file);
        InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(file)), 1 << 16);
        InflaterInputStreamFactory<?> inflater = StandardDeCompressors.getDecompressorForFileName(file);
        if (inflater != null) {
            in = inflater.create(in);
        }
        return HistoryFiles.isAvro(file) ? new AvroContainerReader(in, parser, name) : new JsonLinesReader(in, parser, name);
    }

    @Override
    public void close() throws IOException {
        tally.close();
        IOException first = null;
        for (Cursor c : open) {
            try {
                c.reader.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw new UncheckedIOException(first);
        }
    }
}
