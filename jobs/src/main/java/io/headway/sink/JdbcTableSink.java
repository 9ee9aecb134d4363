package io.headway.sink;

import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitableSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;

/**
 * At-least-once JDBC sink for idempotent upserts that keeps going when the database refuses a row.
 *
 * <p>Rows are written in batches, one transaction per batch, flushed at {@code batchSize} rows, after
 * {@code batchInterval} (a processing-time timer of the task, so flushes never race the task thread)
 * and before every checkpoint. When a batch fails because of a row's values ({@link SinkRejection}:
 * a constraint, an encoding error such as a NUL in text, a value too large or out of range), the
 * batch is rolled back and written again row by row, each under a savepoint; each row that still
 * fails goes to {@code dead_letters} ({@link SinkDeadLetter}) in the same transaction, is counted in
 * the writer's {@value #REJECTED_METRIC} counter and logged in one WARN line, and the job goes on.
 * Any other failure (connection lost, database down, out of resources, timeout, wrong schema) is
 * retried {@code maxRetries} times on a new connection, then fails the task: the job restarts with
 * back-off ({@code restart.*}) from its last checkpoint, and the upserts make the replay harmless.
 *
 * <p>Why not {@code org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink} (4.0.0-2.0): its
 * writer retries a failed batch whole, keeps the bad row in it for ever, and flushes from a timer thread
 * of its own whose failure only surfaces on a later record; a single row the database refuses then takes
 * the job down on every restart. Statements, binders ({@link JdbcStatementBuilder}) and semantics are
 * the same as with it. It keeps that sink's operator topology (a writer and a committer, which has
 * nothing to commit at least once) so that savepoints taken with it restore: a savepoint holds state
 * for the committer's operator, and a job without that operator refuses it.
 */
public final class JdbcTableSink<T extends IndexedRecord> implements Sink<T>, SupportsCommitter<JdbcCommitable> {

    private static final long serialVersionUID = 1L;

    /** Counter of rows sent to {@code dead_letters} instead of their table, per sink. */
    public static final String REJECTED_METRIC = "sinkRecordsRejected";

    final String table;
    final String sql;
    final JdbcStatementBuilder<T> binder;
    final String url;
    final String user;
    final String password;
    final int batchSize;
    final long batchIntervalMs;
    final int maxRetries;

    /**
     * @param table the table the statement writes (named in dead letters and logs)
     * @param password null for none
     */
    public JdbcTableSink(
            String table, String sql, JdbcStatementBuilder<T> binder, String url, String user, String password,
            int batchSize, Duration batchInterval, int maxRetries) {
        this.table = table;
        this.sql = sql;
        this.binder = binder;
        this.url = url;
        this.user = user;
        this.password = password;
        this.batchSize = batchSize;
        this.batchIntervalMs = batchInterval.toMillis();
        this.maxRetries = maxRetries;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new JdbcTableWriter<>(this, context);
    }

    @Override
    public Committer<JdbcCommitable> createCommitter(CommitterInitContext context) {
        return new NothingToCommit();
    }

    /** The connector's own serializer, so that committer state of savepoints taken with its sink reads back. */
    @Override
    public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
        return new JdbcCommitableSerializer();
    }

    /** Every batch is committed by the writer; at least once there are no transactions left to commit. */
    static final class NothingToCommit implements Committer<JdbcCommitable> {
        @Override
        public void commit(Collection<CommitRequest<JdbcCommitable>> requests) {}

        @Override
        public void close() {}
    }
}
