package io.headway.generator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads back the files {@link FileRecordSink} writes, record by record, as raw bytes. */
public final class RecordFiles {

    private RecordFiles() {}

    /** One entry per line, without the newline; bytes are returned as written, valid UTF-8 or not. */
    public static List<byte[]> readJsonLines(Path path) throws IOException {
        byte[] all = Files.readAllBytes(path);
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(Arrays.copyOfRange(all, from, i));
                from = i + 1;
            }
        }
        if (from < all.length) {
            out.add(Arrays.copyOfRange(all, from, all.length));
        }
        return out;
    }

    /** Records of a length-prefixed file (4-byte big-endian length, then the bytes). */
    public static List<byte[]> readLengthPrefixed(Path path) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path));
        List<byte[]> out = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < 4) {
                throw new IOException(path + ": truncated length prefix at byte " + in.position());
            }
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IOException(path + ": record length " + length + " at byte " + (in.position() - 4)
                        + " runs past the end of the file");
            }
            byte[] record = new byte[length];
            in.get(record);
            out.add(record);
        }
        return out;
    }
}
