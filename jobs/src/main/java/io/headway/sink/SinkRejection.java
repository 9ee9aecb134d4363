package io.headway.sink;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/**
 * Why the database refused one row, as written to {@code dead_letters.reason_code}; or, from
 * {@link #of(SQLException)}, {@code null} when the failure is not the row's fault (connection lost,
 * database down or shutting down, out of resources, timeouts, a schema that does not match): those
 * fail the task, and the job restarts with back-off instead of parking good rows.
 *
 * <p>Decided by SQLState class (SQL standard, PostgreSQL appendix A): 22 data exception, 23 integrity
 * constraint violation, 54 program limit exceeded are about the values of one row; every other class
 * (08 connection, 53 resources, 57 operator intervention, 40 rollback, 42 schema, none at all) is not.
 */
public enum SinkRejection {
    /** Class 23: a NOT NULL, CHECK, UNIQUE or foreign-key constraint refused the row. */
    SINK_CONSTRAINT,
    /** 22021 / 22P05: text the database encoding cannot hold, e.g. a NUL character in UTF-8 text. */
    SINK_ENCODING,
    /** 22001 and class 54: a value longer than its column, or a row or index entry over a limit. */
    SINK_TOO_LARGE,
    /** Any other class-22 error: a number or date out of range, invalid JSON text, ... */
    SINK_VALUE,
    /** The row could not even be bound to the statement (a field the binder cannot convert). */
    SINK_REJECTED;

    /** The rejection for a failure caused by the row's values, or null for an infrastructure failure. */
    public static SinkRejection of(SQLException e) {
        String state = sqlState(e);
        if (state == null || state.length() < 2) {
            return null;
        }
        switch (state.substring(0, 2)) {
            case "23":
                return SINK_CONSTRAINT;
            case "54":
                return SINK_TOO_LARGE;
            case "22":
                if (state.equals("22021") || state.equals("22P05")) {
                    return SINK_ENCODING;
                }
                return state.equals("22001") ? SINK_TOO_LARGE : SINK_VALUE;
            default:
                return null;
        }
    }

    /**
     * The first SQLState along the chain: a batch failure carries the failing statement's error as
     * its next exception, and drivers differ in whether the batch exception repeats its state.
     */
    static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof BatchUpdateException b && b.getNextException() != null && b.getNextException() != b) {
            return b.getNextException();
        }
        if (t instanceof SQLException s && s.getNextException() != null && s.getNextException() != s) {
            return s.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }
}
