package io.headway.generator;

import java.io.IOException;

/** Where generated records go: a file, standard output, Kafka, or a test's list. */
public interface RecordSink extends AutoCloseable {

    void write(GeneratedRecord record) throws IOException;

    /** Records the destination has confirmed so far (Kafka: acknowledged); -1 if it does not say. */
    default long confirmed() {
        return -1;
    }

    /** Flushes; for Kafka, waits until every record is acknowledged and fails if one was not. */
    @Override
    void close() throws IOException;
}
