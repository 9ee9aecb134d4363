package io.headway.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/** Which database failures park a row ({@link SinkRejection}) and which restart the job (null). */
class SinkRejectionTest {

    @Test
    void shouldParkRowsForDataConstraintAndLimitErrors() {
        assertThat(SinkRejection.of(new SQLException("nul", "22021"))).isEqualTo(SinkRejection.SINK_ENCODING);
        assertThat(SinkRejection.of(new SQLException("untranslatable", "22P05"))).isEqualTo(SinkRejection.SINK_ENCODING);
        assertThat(SinkRejection.of(new SQLException("too long", "22001"))).isEqualTo(SinkRejection.SINK_TOO_LARGE);
        assertThat(SinkRejection.of(new SQLException("index row too big", "54000"))).isEqualTo(SinkRejection.SINK_TOO_LARGE);
        assertThat(SinkRejection.of(new SQLException("out of range", "22003"))).isEqualTo(SinkRejection.SINK_VALUE);
        assertThat(SinkRejection.of(new SQLException("check", "23514"))).isEqualTo(SinkRejection.SINK_CONSTRAINT);
    }

    @Test
    void shouldRestartForInfrastructureAndSchemaErrors() {
        for (String state : new String[] {"08006", "08001", "53300", "57P01", "57014", "40P01", "42P01", "55000"}) {
            assertThat(SinkRejection.of(new SQLException("x", state))).as(state).isNull();
        }
        assertThat(SinkRejection.of(new SQLException("I/O error, no state"))).isNull();
    }

    @Test
    void shouldFindTheStateOfTheFailingStatementBehindABatchFailure() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));

        assertThat(SinkRejection.of(batch)).isEqualTo(SinkRejection.SINK_ENCODING);
    }

    @Test
    void shouldEscapeWhatNoSinkOrLogCanHold() {
        assertThat(Rows.printable("nul\u0000corp", 100)).isEqualTo("nul\\u0000corp");
        assertThat(Rows.printable("lone\ud800", 100)).isEqualTo("lone\\ud800");
        assertThat(Rows.printable("pair\ud83d\ude00", 100)).isEqualTo("pair\ud83d\ude00");
        assertThat(Rows.printable("abcdef", 3)).isEqualTo("abc…");
    }
}
