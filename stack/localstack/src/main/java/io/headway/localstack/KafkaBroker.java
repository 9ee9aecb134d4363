package io.headway.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker (combined broker + controller) in its own JVM, from the classpath
 * that the {@code headway-kafka-broker} module writes (RECIPES section 3).
 *
 * <p>It is a separate process, not an in-process broker, so that the broker's dependencies (Scala,
 * Jetty, Jackson, log4j versions) never meet the job's, and so that it behaves like the real thing
 * to the connector: a network endpoint that can be started, stopped and inspected on its own.
 *
 * <p>Everything lives under one directory: {@code server.properties}, {@code log4j2.properties},
 * the data ({@code data/}), the log ({@code broker.log}) and {@code kafka.pid}. Every start formats
 * fresh storage with a new cluster id, so a run never sees an earlier run's topics. {@link #close()}
 * stops exactly the process this object started, never anything found by name.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final String PID_FILE = "kafka.pid";
    public static final String LOG_FILE = "broker.log";

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path dir;
    private final Path classpathFile;
    private final int port;
    private final int controllerPort;

    private Process process;
    private Thread shutdownHook;

    public KafkaBroker(Path dir, Path classpathFile, int port, int controllerPort) {
        this.dir = dir.toAbsolutePath();
        this.classpathFile = classpathFile.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path directory() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve(LOG_FILE);
    }

    /** The broker's process id, or -1 before {@link #start}. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Formats fresh storage, starts the broker and returns once it answers an admin request. */
    public KafkaBroker start(Duration timeout) throws IOException, InterruptedException {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        refuseIfRunning(dir.resolve(PID_FILE), dir.resolve("server.properties").toString());
        String classpath = readClasspath();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(LOG_FILE), "", StandardCharsets.UTF_8);
        Path data = dir.resolve("data");
        RunDir.deleteRecursively(data);
        Files.createDirectories(data);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path serverProperties = dir.resolve("server.properties");
        Files.writeString(serverProperties, serverProperties(data), StandardCharsets.UTF_8);
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(log4j, LOG4J, StandardCharsets.UTF_8);

        List<String> jvm = new ArrayList<>();
        jvm.add(javaExecutable());
        jvm.add("-Djava.io.tmpdir=" + tmp);
        jvm.add("-Dlog4j2.configurationFile=" + log4j.toUri());
        jvm.add("-cp");
        jvm.add(classpath);

        // The cluster id is just a random base64 UUID; minting it here saves a JVM start.
        List<String> format = new ArrayList<>(jvm);
        format.addAll(
                List.of(
                        "-Xmx256m", "kafka.tools.StorageTool", "format", "--standalone",
                        "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toString()));
        Process formatting = launch(format);
        if (!formatting.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
            formatting.destroyForcibly();
            throw new IOException("formatting Kafka storage timed out; see " + logFile());
        }
        if (formatting.exitValue() != 0) {
            throw new IOException(
                    "formatting Kafka storage failed (exit " + formatting.exitValue() + "); see " + logFile());
        }

        List<String> broker = new ArrayList<>(jvm);
        broker.addAll(List.of("-Xmx512m", "-XX:+UseG1GC", "kafka.Kafka", serverProperties.toString()));
        process = launch(broker);
        Files.writeString(dir.resolve(PID_FILE), Long.toString(process.pid()), StandardCharsets.UTF_8);
        shutdownHook = new Thread(this::stopQuietly, "stop-kafka-broker-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        awaitReady(deadline);
        return this;
    }

    /**
     * Creates topics (name → partitions, replication factor 1, the given topic configs); existing ones
     * are left alone.
     */
    public void createTopics(Map<String, Integer> partitionsByTopic, Map<String, String> configs, Duration timeout)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach(
                (name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1).configs(configs)));
        try (Admin admin = admin()) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Leaves the broker running after this JVM exits ({@code scripts/kafka.sh start}): no shutdown
     * hook; the PID file is what {@code kafka.sh stop} uses.
     */
    public void detach() {
        if (shutdownHook != null) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            shutdownHook = null;
        }
    }

    /** Stops the broker this object started (SIGTERM, then SIGKILL after a grace period). */
    @Override
    public void close() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or about to; stopping twice is harmless.
            }
            shutdownHook = null;
        }
        stopQuietly();
    }

    private synchronized void stopQuietly() {
        if (process == null) {
            return;
        }
        stop(process.toHandle(), STOP_GRACE);
        try {
            Files.deleteIfExists(dir.resolve(PID_FILE));
        } catch (IOException ignored) {
            // A leftover PID file names a dead process; the next start checks liveness, not presence.
        }
    }

    /** Stops one process: graceful first (the broker flushes and closes its logs), forcibly if it hangs. */
    static boolean stop(ProcessHandle handle, Duration grace) {
        if (!handle.isAlive()) {
            return true;
        }
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Reported by the caller's liveness check.
            }
            return !handle.isAlive();
        }
    }

    /**
     * A PID file whose process is still alive (and still the same program) means another run owns the
     * ports and the data directory; taking them over would corrupt both.
     */
    static void refuseIfRunning(Path pidFile, String commandMarker) throws IOException {
        Optional<ProcessHandle> running = livePid(pidFile).filter(h -> commandContains(h, commandMarker));
        if (running.isPresent()) {
            throw new IOException(
                    "a process from an earlier run is still alive (pid " + running.get().pid() + ", " + pidFile
                            + "); stop it first (scripts/kafka.sh stop, or Ctrl-C in its demo), or use another"
                            + " HEADWAY_RUN_DIR and ports");
        }
    }

    /**
     * Whether the process's command line names the marker. A recorded PID can be reused by an unrelated
     * process after a reboot; when the OS does not tell the command line, assume it is ours.
     */
    static boolean commandContains(ProcessHandle h, String marker) {
        Optional<String> commandLine = h.info().commandLine();
        return commandLine.isEmpty() || commandLine.get().contains(marker);
    }

    static Optional<ProcessHandle> livePid(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String text = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    private void awaitReady(long deadline) throws IOException, InterruptedException {
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException(
                            "the Kafka broker exited (code " + process.exitValue() + ") during start-up; last log lines:\n"
                                    + tail(logFile(), 15));
                }
                try {
                    int brokers =
                            admin.describeCluster().nodes().get(Math.max(1, remaining(deadline) / 1_000_000), TimeUnit.MILLISECONDS).size();
                    if (brokers > 0) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                }
                // Bounded polling: the admin call itself waits, so this only spaces out fast failures.
                Thread.sleep(100);
            }
        }
        stopQuietly();
        throw new IOException(
                "the Kafka broker did not become ready in time (" + (last == null ? "no answer" : last.getMessage())
                        + "); last log lines:\n" + tail(logFile(), 15));
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        // Keeps the admin client from logging a stack trace per retry while the broker boots.
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        return Admin.create(p);
    }

    private Process launch(List<String> command) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        b.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        b.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        return b.start();
    }

    private String serverProperties(Path data) {
        String listeners = "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
        return String.join(
                "\n",
                "# Written by io.headway.localstack.KafkaBroker for one run; see RECIPES.md section 3.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=" + listeners,
                "advertised.listeners=" + listeners,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "transaction.max.timeout.ms=900000",
                // Topics are created explicitly with their partition counts; a typo must not create one.
                "auto.create.topics.enable=false",
                "");
    }

    private String readClasspath() throws IOException {
        if (!Files.isRegularFile(classpathFile)) {
            throw new IOException(
                    "no broker classpath at " + classpathFile
                            + "; build it with `mvn -B -q package -DskipTests` from the repository root");
        }
        String cp = Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        if (cp.isEmpty()) {
            throw new IOException("empty broker classpath file " + classpathFile);
        }
        return cp;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static final String LOG4J =
            String.join(
                    "\n",
                    "# Broker log: INFO to stdout, which KafkaBroker appends to broker.log.",
                    "rootLogger.level=INFO",
                    "rootLogger.appenderRef.out.ref=out",
                    "appender.out.type=Console",
                    "appender.out.name=out",
                    "appender.out.layout.type=PatternLayout",
                    "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                    "logger.kafka.name=kafka",
                    "logger.kafka.level=INFO",
                    "logger.request.name=kafka.request.logger",
                    "logger.request.level=WARN",
                    "logger.state.name=state.change.logger",
                    "logger.state.level=WARN",
                    "");
}
