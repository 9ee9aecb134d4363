package io.headway.generator;

import io.headway.ingest.InputFormat;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JSON lines (value, then a newline) or length-prefixed Avro (4-byte big-endian length, then the
 * value). Avro needs the prefix because its bytes may contain any byte, newlines included.
 */
public final class FileRecordSink implements RecordSink {

    private final DataOutputStream out;
    private final InputFormat format;
    private final boolean closeTarget;

    public FileRecordSink(OutputStream target, InputFormat format, boolean closeTarget) {
        this.out = new DataOutputStream(new BufferedOutputStream(target, 1 << 20));
        this.format = format;
        this.closeTarget = closeTarget;
    }

    public static FileRecordSink create(Path path, InputFormat format) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new FileRecordSink(Files.newOutputStream(path), format, true);
    }

    @Override
    public void write(GeneratedRecord record) throws IOException {
        byte[] value = record.value();
        if (format == InputFormat.AVRO) {
            out.writeInt(value.length);
            out.write(value);
        } else {
            out.write(value);
            out.write('\n');
        }
    }

    @Override
    public void close() throws IOException {
        out.flush();
        if (closeTarget) {
            out.close();
        }
    }
}
