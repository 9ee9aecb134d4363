package io.headway.backtest;

import io.headway.ingest.DeadLetterReason;
import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointParser;
import io.headway.schema.DeadLetter;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * An Avro container file of {@link Touchpoint} (any writer schema Avro resolves to it). Each datum is
 * re-encoded in single-object encoding and parsed by the production {@link TouchpointParser} as an
 * Avro Kafka record value is, so validation is the job's own; the offset is the 1-based record number.
 * A file that is not a container, or a block that cannot be decoded, ends the file with one
 * {@code AVRO_DECODE_ERROR} dead letter: the format cannot resynchronise inside a broken block.
 */
final class AvroContainerReader implements RecordReader {

    private final InputStream in;
    private final TouchpointParser parser;
    private final String file;
    private DataFileStream<Touchpoint> container;
    private long index;
    private boolean done;

    AvroContainerReader(InputStream in, TouchpointParser parser, String file) {
        this.in = in;
        this.parser = parser;
        this.file = file;
    }

    @Override
    public IngestedRecord next() {
        if (done) {
            return null;
        }
        try {
            if (container == null) {
                container = new DataFileStream<>(in, new SpecificDatumReader<>(Touchpoint.class));
            }
            if (!container.hasNext()) {
                done = true;
                return null;
            }
            Touchpoint t = container.next();
            index++;
            ByteBuffer encoded = Touchpoint.getEncoder().encode(t);
            byte[] value = new byte[encoded.remaining()];
            encoded.get(value);
            return parser.parse(InputFormat.AVRO, file, 0, index, 0L, null, value);
        } catch (IOException | AvroRuntimeException e) {
            done = true;
            index++;
            String detail = "the rest of the Avro container file cannot be read: " + e;
            return new IngestedRecord(null, new DeadLetter(
                    DeadLetterReason.AVRO_DECODE_ERROR.name(), detail, file, 0, index, 0L, null, ByteBuffer.allocate(0), 0));
        }
    }

    @Override
    public void close() throws IOException {
        if (container != null) {
            container.close();
        } else {
            in.close();
        }
    }
}
