package io.headway.sink;

import io.headway.schema.ScoreUpdate;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Enforces {@code jdbc.score-history-retention}: beside the score table sink, on the same records,
 * subtask 0 calls {@code headway_prune_score_history} (migration V5) when the first score arrives and
 * then at most once a day. It opens a connection only for that call, so it adds nothing to the
 * connections the job holds. A failed call is logged and tried again an hour later: retention is
 * housekeeping and must not restart the job.
 */
public final class ScoreHistoryRetention implements Sink<ScoreUpdate> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScoreHistoryRetention.class);

    static final Duration PERIOD = Duration.ofDays(1);
    static final Duration RETRY = Duration.ofHours(1);
    /** Counter of rows deleted, in the metric group of the retention sink's subtask 0. */
    public static final String ROWS_DELETED_METRIC = "scoreHistoryRowsDeleted";

    private final String url;
    private final String user;
    private final String password;
    private final Duration retention;

    public ScoreHistoryRetention(String url, String user, String password, Duration retention) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.retention = retention;
    }

    @Override
    public SinkWriter<ScoreUpdate> createWriter(WriterInitContext context) {
        boolean active = context.getTaskInfo().getIndexOfThisSubtask() == 0;
        Counter deleted = context.metricGroup().counter(ROWS_DELETED_METRIC);
        return new Writer(active, context.getProcessingTimeService(), deleted);
    }

    /** Deletes the rows older than {@code retention} before the newest {@code as_of}; returns how many. */
    public static long prune(String url, String user, String password, Duration retention) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                // A text interval of milliseconds overflows PostgreSQL's field range beyond 24 days.
                PreparedStatement p = c.prepareStatement("SELECT headway_prune_score_history(? * INTERVAL '1 millisecond')")) {
            p.setLong(1, retention.toMillis());
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private final class Writer implements SinkWriter<ScoreUpdate> {

        private final boolean active;
        private final ProcessingTimeService clock;
        private final Counter deleted;
        private long nextRunAt = Long.MIN_VALUE;

        Writer(boolean active, ProcessingTimeService clock, Counter deleted) {
            this.active = active;
            this.clock = clock;
            this.deleted = deleted;
        }

        @Override
        public void write(ScoreUpdate score, Context context) {
            if (!active) {
                return;
            }
            long now = clock.getCurrentProcessingTime();
            if (now < nextRunAt) {
                return;
            }
            try {
                long rows = prune(url, user, password, retention);
                deleted.inc(rows);
                nextRunAt = now + PERIOD.toMillis();
                LOG.info("score_history retention {}: deleted {} rows; next run in {}", retention, rows, PERIOD);
            } catch (SQLException e) {
                nextRunAt = now + RETRY.toMillis();
                LOG.warn("score_history retention failed; trying again in {}: {}", RETRY, e.getMessage());
            }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }
}
