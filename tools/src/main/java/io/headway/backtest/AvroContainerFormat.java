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
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Avro container files of {@link Touchpoint} (any writer schema Avro can resolve to it). Each datum
 * is re-encoded in single-object encoding and parsed by the production {@link TouchpointParser}
 * as an Avro Kafka record value is, so validation is the job's own. A file that is not a container,
 * or a block that cannot be decoded, ends that file with one {@code AVRO_DECODE_ERROR} dead letter
 * (the container format cannot resynchronise inside a broken block).
 */
final class AvroContainerFormat implements StreamFormat<IngestedRecord> {

    private static final long serialVersionUID = 1L;

    private final TouchpointParser parser;
    private final String file;
    private final String runId;

    AvroContainerFormat(TouchpointParser parser, String file, String runId) {
        this.parser = parser;
        this.file = file;
        this.runId = runId;
    }

    @Override
    public Reader<IngestedRecord> createReader(Configuration config, FSDataInputStream stream, long fileLen, long splitEnd) {
        return new ContainerReader(stream);
    }

    @Override
    public Reader<IngestedRecord> restoreReader(
            Configuration config, FSDataInputStream stream, long restoredOffset, long fileLen, long splitEnd) {
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

    private final class ContainerReader implements Reader<IngestedRecord> {
        private final InputStream in;
        private final ReaderTally tally = new ReaderTally(runId);
        private DataFileStream<Touchpoint> container;
        private long index;
        private boolean done;

        ContainerReader(InputStream in) {
            this.in = in;
        }

        @Override
        public IngestedRecord read() throws IOException {
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
                return tally.count(parser.parse(InputFormat.AVRO, file, 0, index, 0L, null, value));
            } catch (IOException | AvroRuntimeException e) {
                done = true;
                index++;
                String detail = "the rest of the Avro container file cannot be read: " + e;
                return tally.count(new IngestedRecord(null, new DeadLetter(
                        DeadLetterReason.AVRO_DECODE_ERROR.name(), detail, file, 0, index, 0L, null, ByteBuffer.allocate(0), 0)));
            }
        }

        @Override
        public void close() throws IOException {
            tally.close();
            if (container != null) {
                container.close();
            } else {
                in.close();
            }
        }
    }
}
