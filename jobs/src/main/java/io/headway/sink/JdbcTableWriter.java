package io.headway.sink;

import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/** The writer of {@link JdbcTableSink}: batches, row-by-row fallback, dead letters, retries. */
final class JdbcTableWriter<T extends IndexedRecord> implements CommittingSinkWriter<T, JdbcCommitable> {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcTableWriter.class);

    private final JdbcTableSink<T> sink;
    private final ProcessingTimeService time;
    /** Null unless object reuse is on: then an upstream operator may change a record after handing it on. */
    private final TypeSerializer<T> copier;
    private final Counter rejected;
    private final List<T> buffer = new ArrayList<>();

    private Connection connection;
    private PreparedStatement upsert;
    private PreparedStatement deadLetter;
    private boolean timerPending;

    JdbcTableWriter(JdbcTableSink<T> sink, WriterInitContext context) throws IOException {
        this.sink = sink;
        this.time = context.getProcessingTimeService();
        this.copier = context.isObjectReuseEnabled() ? context.createInputSerializer() : null;
        this.rejected = context.metricGroup().counter(JdbcTableSink.REJECTED_METRIC);
        try {
            connection();
        } catch (SQLException e) {
            // Fail the task now (the job restarts with back-off), not at the first record.
            throw new IOException("cannot connect to PostgreSQL for table " + sink.table + ": " + state(e), e);
        }
    }

    @Override
    public void write(T record, Context context) throws IOException, InterruptedException {
        buffer.add(copier == null ? record : copier.copy(record));
        if (buffer.size() >= sink.batchSize) {
            flushBuffer();
        } else if (!timerPending && sink.batchIntervalMs > 0) {
            timerPending = true;
            time.registerTimer(time.getCurrentProcessingTime() + sink.batchIntervalMs, at -> {
                timerPending = false;
                flushBuffer();
            });
        }
    }

    /** Called before every checkpoint and at the end of input: afterwards every row is in the database. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushBuffer();
    }

    /** Nothing: each batch was committed when it was written (flush runs before this, at every checkpoint). */
    @Override
    public Collection<JdbcCommitable> prepareCommit() {
        return List.of();
    }

    @Override
    public void close() {
        closeConnection();
    }

    private void flushBuffer() throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                List<SinkDeadLetter> refused = writeBatch(buffer);
                buffer.clear();
                for (SinkDeadLetter d : refused) {
                    LOG.warn(
                            "PostgreSQL refused a row of {} (account {}): {} {} [{}]; it is in dead_letters (source {}), the job goes on",
                            sink.table, d.key(), d.code(), d.summary(), d.sqlState(), d.source());
                }
                rejected.inc(refused.size());
                return;
            } catch (SQLException e) {
                closeConnection();
                if (attempt >= sink.maxRetries) {
                    throw new IOException(
                            "writing " + buffer.size() + " rows to " + sink.table + " failed " + (attempt + 1)
                                    + " times (jdbc.max-retries = " + sink.maxRetries + "), last: " + state(e)
                                    + "; the job restarts from its last checkpoint (restart.*)",
                            e);
                }
                LOG.warn(
                        "Writing {} rows to {} failed ({}); retry {} of {} on a new connection",
                        buffer.size(), sink.table, state(e), attempt + 1, sink.maxRetries);
                Thread.sleep(1000L * (attempt + 1));
            }
        }
    }

    /** Writes the rows in one transaction; returns the dead letters written for the rows the database refused. */
    private List<SinkDeadLetter> writeBatch(List<T> rows) throws SQLException {
        Connection c = connection();
        List<SinkDeadLetter> refused = new ArrayList<>();
        List<T> bound = new ArrayList<>(rows.size());
        for (T row : rows) {
            try {
                sink.binder.accept(upsert, row);
                upsert.addBatch();
                bound.add(row);
            } catch (RuntimeException | SQLException e) {
                refused.add(refusedAtBind(row, e));
                upsert.clearParameters();
            }
        }
        try {
            upsert.executeBatch();
        } catch (SQLException e) {
            c.rollback();
            if (SinkRejection.of(e) == null) {
                throw e;
            }
            upsert.clearBatch();
            refused.addAll(oneByOne(c, bound));
        }
        for (SinkDeadLetter d : refused) {
            d.bind(deadLetter);
            deadLetter.addBatch();
        }
        if (!refused.isEmpty()) {
            deadLetter.executeBatch();
        }
        c.commit();
        return refused;
    }

    /** A row the binder (or the driver, checking a parameter) refused before it reached the database. */
    private SinkDeadLetter refusedAtBind(T row, Exception e) throws SQLException {
        if (e instanceof SQLException sql) {
            SinkRejection why = SinkRejection.of(sql);
            if (why == null) {
                throw sql;
            }
            return SinkDeadLetter.of(sink.table, row, why, SinkRejection.sqlState(sql), sql.getMessage());
        }
        return SinkDeadLetter.of(sink.table, row, SinkRejection.SINK_REJECTED, null, e.toString());
    }

    /** Each row under its own savepoint: the ones the database refuses are rolled back alone. */
    private List<SinkDeadLetter> oneByOne(Connection c, List<T> rows) throws SQLException {
        List<SinkDeadLetter> refused = new ArrayList<>();
        for (T row : rows) {
            Savepoint before = c.setSavepoint();
            try {
                sink.binder.accept(upsert, row);
                upsert.executeUpdate();
                c.releaseSavepoint(before);
            } catch (SQLException e) {
                SinkRejection why = SinkRejection.of(e);
                if (why == null) {
                    throw e;
                }
                c.rollback(before);
                refused.add(SinkDeadLetter.of(sink.table, row, why, SinkRejection.sqlState(e), e.getMessage()));
            }
        }
        return refused;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Properties p = new Properties();
            p.setProperty("user", sink.user);
            if (sink.password != null) {
                p.setProperty("password", sink.password);
            }
            // Defaults only: parameters in jdbc.url win. A database that stops answering is an
            // infrastructure failure (restart with back-off), not a task that hangs for ever.
            p.setProperty("connectTimeout", "10");
            p.setProperty("socketTimeout", "300");
            // The driver directly, not DriverManager: under Flink's user-code class loader DriverManager
            // does not see a driver that came in the job jar.
            Connection c = new org.postgresql.Driver().connect(sink.url, p);
            if (c == null) {
                throw new SQLException("jdbc.url is not a PostgreSQL URL (jdbc:postgresql://...)", "08001");
            }
            c.setAutoCommit(false);
            connection = c;
            upsert = c.prepareStatement(sink.sql);
            deadLetter = c.prepareStatement(SinkDeadLetter.INSERT);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the connection for {} failed", sink.table, e);
            }
            connection = null;
            upsert = null;
            deadLetter = null;
        }
    }

    /** SQLState and the first line of the message: what the operator needs, without row values. */
    private static String state(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int eol = message.indexOf('\n');
        return "SQLState " + SinkRejection.sqlState(e) + ": " + Rows.printable(eol < 0 ? message : message.substring(0, eol), 300);
    }
}
