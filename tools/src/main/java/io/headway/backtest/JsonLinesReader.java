package io.headway.backtest;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * One touchpoint per line, each line's bytes parsed by the production {@link TouchpointParser} exactly
 * as the Kafka deserializer parses a record value: the file's name stands for the topic, partition 0,
 * the 1-based line number for the offset, timestamp 0 and no key. Empty lines are skipped (a JSON-lines
 * file may end with one); {@code \r\n} line ends are accepted.
 */
final class JsonLinesReader implements RecordReader {

    private final InputStream in;
    private final TouchpointParser parser;
    private final String file;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private long lineNumber;
    private byte[] line = new byte[1024];

    JsonLinesReader(InputStream in, TouchpointParser parser, String file) {
        this.in = in;
        this.parser = parser;
        this.file = file;
    }

    @Override
    public IngestedRecord next() throws IOException {
        while (true) {
            int length = nextLine();
            if (length < 0) {
                return null;
            }
            lineNumber++;
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            if (length > 0) {
                return parser.parse(InputFormat.JSON, file, 0, lineNumber, 0L, null, Arrays.copyOf(line, length));
            }
        }
    }

    /** Reads up to the next '\n' into {@link #line}; the length without it, or -1 at the end of the file. */
    private int nextLine() throws IOException {
        int length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = Math.max(0, in.read(buffer, 0, buffer.length));
                pos = 0;
                if (limit == 0) {
                    return any ? length : -1;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buffer[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            }
            System.arraycopy(buffer, start, line, length, n);
            length += n;
            if (pos < limit) {
                pos++;
                return length;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
