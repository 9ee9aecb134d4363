package io.headway.localstack;

import io.headway.HeadwayJob;
import io.headway.config.ConfigKey;
import io.headway.config.HeadwayConfig;
import io.headway.generator.GeneratorReport;
import io.headway.ingest.IngestMetrics;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.concurrent.TimeoutException;

/**
 * The local demo: Headway end to end on real components, from one command ({@code scripts/demo.sh}).
 *
 * <ol>
 *   <li>starts a standalone Kafka broker process ({@link KafkaBroker}) and an embedded PostgreSQL
 *       ({@link LocalPostgres}), both under the run dir and on fixed loopback ports;
 *   <li>creates the topics and writes generated touchpoints (with malformed records and duplicates)
 *       into {@value #INPUT_TOPIC};
 *   <li>runs the production pipeline ({@link HeadwayJob#buildPipeline}) with a bounded source on a local
 *       MiniCluster with the Flink Web UI, printing live progress every two seconds;
 *   <li>prints a summary and the commands to look at the results, then keeps Kafka and PostgreSQL
 *       running until Ctrl-C ({@code --exit}: stops them at once).
 * </ol>
 *
 * Options: {@link DemoOptions#USAGE}. Every process it starts is stopped by its PID at the end or on
 * Ctrl-C (shutdown hook); nothing is looked up by name.
 */
public final class LocalDemo {

    public static final String INPUT_TOPIC = "touchpoints";
    public static final int INPUT_PARTITIONS = 4;
    public static final int OUTPUT_PARTITIONS = 2;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);
    private static final Duration FIRST_ROW_POLL = Duration.ofMillis(100);

    private final DemoOptions options;
    private final PrintStream out;
    private final RunDir dirs;
    private final KafkaBroker broker;
    private final LocalPostgres postgres;
    private final Thread stopOnExit = new Thread(this::stopOnCtrlC, "stop-local-stack");
    private volatile boolean stopped;

    public LocalDemo(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.dirs = new RunDir(options.runDir);
        this.broker =
                new KafkaBroker(dirs.kafka(), options.kafkaClasspathFile, options.kafkaPort, options.kafkaControllerPort);
        this.postgres =
                new LocalPostgres(
                        dirs.postgres(),
                        options.pgBinariesDir != null ? options.pgBinariesDir : dirs.postgres().resolve("work"),
                        options.pgPort);
    }

    public static void main(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, System.getenv());
        } catch (DemoOptions.UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        // Before anything logs: Flink, Kafka and PostgreSQL log to this file, the console is the demo's.
        if (System.getProperty("headway.log.file") == null) {
            System.setProperty(
                    "headway.log.file", new RunDir(options.runDir).logs().resolve("localdemo.log").toString());
        }
        LocalDemo demo = new LocalDemo(options, System.out);
        int code;
        try {
            demo.run();
            if (!options.exit) {
                demo.awaitCtrlC();
            }
            code = 0;
        } catch (Exception e) {
            System.err.println();
            System.err.println("The demo failed: " + rootMessage(e));
            System.err.println("Logs: " + System.getProperty("headway.log.file") + ", "
                    + demo.broker.logFile() + ", " + demo.dirs.postgres().resolve(LocalPostgres.LOG_FILE));
            code = 1;
        } finally {
            demo.stopQuietly();
        }
        System.exit(code);
    }

    /**
     * Runs the demo to the end of the job and prints the summary. With {@code --exit} everything it
     * started is stopped before it returns; otherwise Kafka and PostgreSQL stay up until {@link #stop}
     * or JVM exit. On failure everything is stopped.
     */
    public DemoResult run() throws Exception {
        DemoResult result = new DemoResult();
        boolean ok = false;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            runStack(result);
            ok = true;
            return result;
        } finally {
            if (!ok || options.exit) {
                stop();
                if (ok) {
                    out.printf("Stopped Kafka (pid %d) and PostgreSQL (pid %d).%n", result.brokerPid, result.postgresPid);
                }
            }
        }
    }

    private void runStack(DemoResult result) throws Exception {
        long t0 = options.startedAtMillis;
        out.println("Headway local demo");
        out.println("  run dir: " + dirs.root());
        Files.createDirectories(dirs.root());

        // Broker and database start in parallel: each is mostly waiting on its own process.
        CompletableFuture<Void> kafka =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                broker.start(START_TIMEOUT);
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
        try {
            postgres.start(START_TIMEOUT);
        } finally {
            // Even when PostgreSQL failed: wait for the broker so that stop() finds its PID.
            join(kafka);
        }
        result.brokerPid = broker.pid();
        result.postgresPid = postgres.pid();
        out.printf(
                "[%6.1fs] Kafka broker ready at %s (pid %d); PostgreSQL ready at 127.0.0.1:%d (pid %d)%n",
                since(t0), broker.bootstrapServers(), broker.pid(), postgres.port(), postgres.pid());

        HeadwayConfig config = jobConfig();
        createTopics(broker, outputTopics(config::get));

        out.printf(
                "[%6.1fs] Generating %d accounts x %d days (malformed %.1f%%, duplicates %.1f%%, seed %d) into '%s' ...%n",
                since(t0), options.accounts, options.days, 100 * options.malformedRate,
                100 * options.duplicateRate, options.seed, INPUT_TOPIC);
        Files.createDirectories(dirs.generator());
        Path groundTruth = dirs.generator().resolve("ground-truth.json");
        Files.deleteIfExists(groundTruth);
        GeneratorReport generated = GeneratorStep.run(broker.bootstrapServers(), INPUT_TOPIC, options, groundTruth);
        result.generatorReport = generated;
        result.generatedAccountIds = GeneratorStep.accounts(generated);
        try (Admin admin = admin()) {
            result.eventsInKafka = records(admin, INPUT_TOPIC);
        }
        out.printf(
                Locale.ROOT,
                "[%6.1fs] Generated %,d records (%,d valid, %,d malformed, %,d duplicates) for %,d accounts,"
                        + " event time %s .. %s%n",
                since(t0), generated.records(), generated.valid(), generated.malformed(), generated.duplicates(),
                generated.accounts(), day(generated.firstEventAt()), day(generated.lastEventAt()));

        runJob(config, result, t0);

        try (Admin admin = admin()) {
            result.activityRecords = records(admin, config.get(HeadwayConfig.OUTPUT_ACTIVITY_TOPIC));
            result.deadLetterRecords = records(admin, config.get(HeadwayConfig.OUTPUT_DEAD_LETTER_TOPIC));
            result.lateRecords = records(admin, config.get(HeadwayConfig.OUTPUT_LATE_TOPIC));
            result.journeyRecords = records(admin, config.get(HeadwayConfig.OUTPUT_JOURNEY_TOPIC));
            result.scoreRecords = records(admin, config.get(HeadwayConfig.OUTPUT_SCORE_TOPIC));
            result.goalRecords = records(admin, config.get(HeadwayConfig.OUTPUT_GOAL_TOPIC));
        }
        result.alerts = AlertTally.read(broker.bootstrapServers(), config.get(HeadwayConfig.OUTPUT_ALERT_TOPIC), Duration.ofSeconds(30));
        try (Connection c = postgres.connect()) {
            result.accountIds = accountIds(c);
            result.sampleRows = sampleRows(c);
            result.tableRows = tableRows(c);
        }
        result.totalSeconds = since(t0);
        printSummary(config, result);
    }

    private void runJob(HeadwayConfig config, DemoResult result, long t0) throws Exception {
        JobCounters counters = JobCounters.register("demo-" + UUID.randomUUID());
        try {
            Configuration conf = HeadwayJob.engineConfiguration(config);
            conf.set(RestOptions.ADDRESS, "127.0.0.1");
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            conf.set(RestOptions.PORT, options.uiPort);
            Path tmp = Files.createDirectories(dirs.flink().resolve("tmp"));
            conf.set(CoreOptions.TMP_DIRS, tmp.toString());
            conf.set(WebOptions.TMP_DIR, tmp.toString());
            conf.setString("metrics.reporter.headway.factory.class", JobCounters.ReporterFactory.class.getName());
            conf.setString("metrics.reporter.headway." + JobCounters.INSTANCE_OPTION, counters.id());

            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            // Never the number of cores: every subtask of every JDBC sink holds a database connection.
            env.setParallelism(options.parallelism);
            HeadwayJob.buildPipeline(env, config);
            JobClient client = env.executeAsync(config.get(HeadwayConfig.JOB_NAME));
            result.secondsToJobStart = since(t0);
            result.webUiUrl = "http://localhost:" + options.uiPort;
            out.printf(
                    "[%6.1fs] Job %s submitted (parallelism %d). Flink Web UI: %s  (while the job runs)%n",
                    since(t0), client.getJobID(), env.getParallelism(), result.webUiUrl);

            FirstRowWatch firstRow = new FirstRowWatch();
            firstRow.start();
            CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
            try (Connection c = postgres.connect()) {
                long lastIn = 0;
                long lastAt = System.nanoTime();
                while (true) {
                    try {
                        done.get(PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException stillRunning) {
                        long in = counters.get(IngestMetrics.IN);
                        long now = System.nanoTime();
                        double rate = (in - lastIn) / ((now - lastAt) / 1e9);
                        lastIn = in;
                        lastAt = now;
                        out.printf(
                                Locale.ROOT,
                                "[%6.1fs] %-10s %,9.0f events/s | read %,10d | accounts in PostgreSQL %,6d | dead letters %,7d | late %,6d | duplicates %,7d%n",
                                since(t0), status(client), rate, in, countAccounts(c),
                                counters.get(IngestMetrics.INVALID), counters.get(IngestMetrics.LATE),
                                counters.get(IngestMetrics.DUPLICATE));
                    }
                }
            } catch (ExecutionException e) {
                result.jobStatus = JobStatus.FAILED.name();
                throw new IOException("the Headway job failed", e.getCause());
            } finally {
                firstRow.stopWatching();
            }
            result.jobStatus = JobStatus.FINISHED.name();
            // The watcher polls every 100 ms, so a row written in the last moments is still caught here.
            long firstRowAt = firstRow.firstRowAtMillis();
            result.secondsToFirstRow = firstRowAt < 0 ? -1 : (firstRowAt - t0) / 1000.0;
            result.counters = new LinkedHashMap<>();
            for (String name :
                    List.of(IngestMetrics.IN, IngestMetrics.VALID, IngestMetrics.INVALID, IngestMetrics.DUPLICATE,
                            IngestMetrics.LATE)) {
                result.counters.put(name, counters.get(name));
            }
            result.deadLettersByReason = counters.deadLettersByReason();
            out.printf(
                    Locale.ROOT,
                    "[%6.1fs] %-10s read %,d touchpoints%n",
                    since(t0), result.jobStatus, result.counter(IngestMetrics.IN));
        } finally {
            counters.unregister();
        }
    }

    /** The job's output topic keys: the broker here does not create topics on first use. */
    static final List<ConfigKey<String>> OUTPUT_TOPIC_KEYS =
            List.of(
                    HeadwayConfig.OUTPUT_ACTIVITY_TOPIC,
                    HeadwayConfig.OUTPUT_DEAD_LETTER_TOPIC,
                    HeadwayConfig.OUTPUT_LATE_TOPIC,
                    HeadwayConfig.OUTPUT_JOURNEY_TOPIC,
                    HeadwayConfig.OUTPUT_SCORE_TOPIC,
                    HeadwayConfig.OUTPUT_GOAL_TOPIC,
                    HeadwayConfig.OUTPUT_ALERT_TOPIC);

    /** The output topic names, read through {@code value} (a configuration, or each key's default). */
    static List<String> outputTopics(Function<ConfigKey<String>, String> value) {
        List<String> topics = new ArrayList<>();
        for (ConfigKey<String> key : OUTPUT_TOPIC_KEYS) {
            topics.add(value.apply(key));
        }
        return topics;
    }

    /** The input topic ({@value #INPUT_PARTITIONS} partitions) and the outputs ({@value #OUTPUT_PARTITIONS} each). */
    static void createTopics(KafkaBroker broker, List<String> outputTopics) throws Exception {
        broker.createTopics(Map.of(INPUT_TOPIC, INPUT_PARTITIONS), Map.of(), Duration.ofSeconds(30));
        Map<String, Integer> outputs = new LinkedHashMap<>();
        for (String topic : outputTopics) {
            outputs.put(topic, OUTPUT_PARTITIONS);
        }
        broker.createTopics(outputs, Map.of(), Duration.ofSeconds(30));
    }

    private HeadwayConfig jobConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(HeadwayConfig.JOB_NAME.name(), "Headway local demo");
        c.put(HeadwayConfig.KAFKA_BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
        c.put(HeadwayConfig.INPUT_TOPICS.name(), INPUT_TOPIC);
        c.put(HeadwayConfig.INPUT_BOUNDED.name(), "true");
        c.put(HeadwayConfig.INPUT_STARTING_OFFSETS.name(), "earliest");
        c.put(HeadwayConfig.INPUT_GROUP_ID.name(), "headway-local-demo");
        c.put(HeadwayConfig.JDBC_URL.name(), postgres.jdbcUrl());
        c.put(HeadwayConfig.JDBC_USER.name(), LocalPostgres.USER);
        c.put(HeadwayConfig.CHECKPOINT_DIR.name(), dirs.flink().resolve("checkpoints").toUri().toString());
        // A bounded job finishes only after one more checkpoint (its sinks commit on it), and that is the
        // next periodic one: with the default 30 s the demo would sit idle for up to 30 s at the end.
        c.put(HeadwayConfig.CHECKPOINT_INTERVAL.name(), "3 s");
        // A bounded demo that fails should say why at once, not retry for minutes; it also keeps the
        // counters exact (a restarted task counts its replayed records again).
        c.put(HeadwayConfig.RESTART_ATTEMPTS.name(), "0");
        // The embedded server trusts local connections: no password, so no environment is consulted.
        return HeadwayConfig.of(c, Map.of());
    }

    private void printSummary(HeadwayConfig config, DemoResult r) {
        long in = r.counter(IngestMetrics.IN);
        long valid = r.counter(IngestMetrics.VALID);
        long invalid = r.counter(IngestMetrics.INVALID);
        long duplicate = r.counter(IngestMetrics.DUPLICATE);
        long late = r.counter(IngestMetrics.LATE);
        out.println();
        out.println("Summary");
        out.printf(Locale.ROOT, "  touchpoints read        %,10d   (records in '%s': %,d)%n", in, INPUT_TOPIC, r.eventsInKafka);
        out.printf(Locale.ROOT, "  generated               %,10d valid, %,d malformed, %,d duplicates%n",
                r.generatorReport.valid(), r.generatorReport.malformed(), r.generatorReport.duplicates());
        out.printf(Locale.ROOT, "    valid                 %,10d%n", valid);
        out.printf(Locale.ROOT, "    invalid (dead letter) %,10d   %s%n", invalid, r.deadLettersByReason);
        out.printf(Locale.ROOT, "    duplicate (dropped)   %,10d%n", duplicate);
        out.printf(Locale.ROOT, "    late                  %,10d%n", late);
        if (valid + invalid + duplicate + late != in) {
            out.printf(Locale.ROOT, "    (counters do not add up: %,d + %,d + %,d + %,d != %,d)%n", valid, invalid,
                    duplicate, late, in);
        }
        out.printf(Locale.ROOT, "  accounts in PostgreSQL  %,10d   (generated: %,d)%n", r.accountIds.size(),
                r.generatedAccountIds.size());
        out.printf(Locale.ROOT, "  Kafka outputs           %,10d activity summaries, %,d journey transitions, %,d scores,"
                        + " %,d goal records, %,d dead letters, %,d late%n",
                r.activityRecords, r.journeyRecords, r.scoreRecords, r.goalRecords, r.deadLetterRecords, r.lateRecords);
        out.printf(Locale.ROOT, "  alerts                  %,10d transitions: %,d risk alerts opened %s, %,d wins%n",
                r.alerts.transitions, r.alerts.opened, r.alerts.openedByRule, r.alerts.wins);
        out.printf(Locale.ROOT, "  first row in PostgreSQL %10s after start (job submitted at %.1f s)%n",
                r.secondsToFirstRow < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", r.secondsToFirstRow),
                r.secondsToJobStart);
        out.printf(Locale.ROOT, "  total                   %8.1f s%n", r.totalSeconds);
        out.println();
        out.println("Sample of account_activity (most events in the last 28 days):");
        r.sampleRows.forEach(row -> out.println("  " + row));
        out.println();
        out.println("Analyst tables and views (rows; what each means: docs/analysts.md):");
        StringBuilder line = new StringBuilder("  ");
        for (Map.Entry<String, Long> t : r.tableRows.entrySet()) {
            String cell = String.format(Locale.ROOT, "%s %,d", t.getKey(), t.getValue());
            if (line.length() + cell.length() > 100) {
                out.println(line.toString().stripTrailing());
                line = new StringBuilder("  ");
            }
            line.append(cell).append("  ");
        }
        out.println(line.toString().stripTrailing());
        out.println();
        out.println("Query the results:");
        out.printf("  psql -h 127.0.0.1 -p %d -U %s %s   (JDBC: %s, user %s, no password)%n",
                postgres.port(), LocalPostgres.USER, LocalPostgres.DATABASE, postgres.jdbcUrl(), LocalPostgres.USER);
        out.printf(
                "  psql -h 127.0.0.1 -p %d -U %s -c 'SELECT * FROM account_activity ORDER BY events_28d DESC LIMIT 10'%n",
                postgres.port(), LocalPostgres.USER);
        out.printf(
                "  psql -h 127.0.0.1 -p %d -U %s -c 'SELECT account_id, health_score, grade, reasons, top_alert FROM at_risk_accounts ORDER BY health_score LIMIT 10'%n",
                postgres.port(), LocalPostgres.USER);
        out.printf("  psql -h 127.0.0.1 -p %d -U %s -c 'SELECT * FROM delivery_gap_summary'%n",
                postgres.port(), LocalPostgres.USER);
        out.println("Read the activity topic:");
        out.printf("  scripts/kafka.sh consume %s 10%n", config.get(HeadwayConfig.OUTPUT_ACTIVITY_TOPIC));
        out.printf(
                "  (= java -cp \"$(cat %s)\" org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server %s"
                        + " --topic %s --from-beginning --max-messages 10)%n",
                options.kafkaClasspathFile.toAbsolutePath(), broker.bootstrapServers(),
                config.get(HeadwayConfig.OUTPUT_ACTIVITY_TOPIC));
        out.println("Read the journeys topic (one record per transition):");
        out.printf("  scripts/kafka.sh consume %s 10%n", config.get(HeadwayConfig.OUTPUT_JOURNEY_TOPIC));
        out.println("Read the health scores (every record explains what moved the score):");
        out.printf("  scripts/kafka.sh consume %s 10%n", config.get(HeadwayConfig.OUTPUT_SCORE_TOPIC));
        out.println("Read the goals topic (one record per status change or moved projection):");
        out.printf("  scripts/kafka.sh consume %s 10%n", config.get(HeadwayConfig.OUTPUT_GOAL_TOPIC));
        out.println("Read the alerts (one record per alert transition and per win; transactional, read committed):");
        out.printf("  scripts/kafka.sh consume %s 10%n", config.get(HeadwayConfig.OUTPUT_ALERT_TOPIC));
        if (options.exit) {
            out.println("(--exit: stopping Kafka and PostgreSQL now, so these commands work only on a run without --exit)");
        }
    }

    /** Blocks until Ctrl-C; the shutdown hook then stops Kafka and PostgreSQL. */
    void awaitCtrlC() throws InterruptedException {
        out.println();
        out.println("Kafka and PostgreSQL keep running so that you can query them. Press Ctrl-C to stop them.");
        new CountDownLatch(1).await();
    }

    /** Stops PostgreSQL and the broker (each by the PID it started). */
    public synchronized void stop() throws IOException {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself.
        }
        try {
            postgres.close();
        } finally {
            broker.close();
        }
    }

    private void stopOnCtrlC() {
        if (!stopped) {
            out.println();
            out.println("Stopping Kafka (pid " + broker.pid() + ") and PostgreSQL (pid " + postgres.pid() + ") ...");
            stopQuietly();
            out.println("Stopped.");
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (Exception e) {
            System.err.println("while stopping the local stack: " + e);
        }
    }

    /**
     * Polls for the first row of {@code account_activity}, which shows end-to-end latency: Kafka read,
     * keyed state, the first event-time boundary and a JDBC batch.
     */
    private final class FirstRowWatch extends Thread {
        private volatile boolean watching = true;
        private volatile long firstRowAt = -1;

        FirstRowWatch() {
            super("first-row-watch");
            setDaemon(true);
        }

        @Override
        public void run() {
            try (Connection c = postgres.connect();
                    Statement s = c.createStatement()) {
                while (watching && firstRowAt < 0) {
                    try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM account_activity)")) {
                        if (rs.next() && rs.getBoolean(1)) {
                            firstRowAt = System.currentTimeMillis();
                            return;
                        }
                    }
                    Thread.sleep(FIRST_ROW_POLL.toMillis());
                }
            } catch (SQLException | InterruptedException e) {
                // The progress loop reports the database; a missing first-row time is shown as "never".
            }
        }

        void stopWatching() throws InterruptedException {
            // One more look after the job: a fast job may have finished between two polls.
            join(FIRST_ROW_POLL.toMillis() * 5);
            watching = false;
            join(5_000);
        }

        long firstRowAtMillis() {
            return firstRowAt;
        }
    }

    private static String status(JobClient client) {
        try {
            return client.getJobStatus().get(1, TimeUnit.SECONDS).name();
        } catch (Exception e) {
            return "?";
        }
    }

    private static long countAccounts(Connection c) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM account_activity")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return -1;
        }
    }

    private static Set<String> accountIds(Connection c) throws SQLException {
        Set<String> ids = new TreeSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT account_id FROM account_activity")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** The analyst tables and views, in the order of docs/analysts.md. */
    static final List<String> ANALYST_TABLES =
            List.of("accounts_current", "at_risk_accounts", "score_history", "journeys", "journey_milestones", "goals",
                    "alerts", "alert_transitions", "dead_letters", "time_to_value_by_cohort", "alert_effectiveness",
                    "delivery_gap");

    private static Map<String, Long> tableRows(Connection c) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : ANALYST_TABLES) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rows.put(table, rs.next() ? rs.getLong(1) : 0);
            }
        }
        return rows;
    }

    private static List<String> sampleRows(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "%-14s %-20s %-20s %9s %10s %-6s %s",
                "account_id", "as_of", "last_seen_at", "events_7d", "events_28d", "active", "events_28d_by_source"));
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT account_id, to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),"
                                + " to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),"
                                + " events_7d, events_28d, active, events_28d_by_source::text"
                                + " FROM account_activity ORDER BY events_28d DESC, last_seen_at DESC, account_id LIMIT 5")) {
            while (rs.next()) {
                rows.add(String.format(Locale.ROOT, "%-14s %-20s %-20s %9d %10d %-6s %s",
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        rs.getBoolean(6), rs.getString(7)));
            }
        }
        return rows;
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return Admin.create(p);
    }

    /** Records in a topic: the sum of its partitions' end offsets (nothing is deleted or compacted here). */
    static long records(Admin admin, String topic) throws ExecutionException, InterruptedException {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        d.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        long sum = 0;
        for (var e : admin.listOffsets(latest).all().get().values()) {
            sum += e.offset();
        }
        return sum;
    }

    private static void join(CompletableFuture<Void> f) throws Exception {
        try {
            f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof RuntimeException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            if (c instanceof Exception) {
                throw (Exception) c;
            }
            throw e;
        }
    }

    private static String day(java.time.Instant t) {
        return t == null ? "-" : t.toString().substring(0, 10);
    }

    private static double since(long t0) {
        return (System.currentTimeMillis() - t0) / 1000.0;
    }

    static String rootMessage(Throwable e) {
        Throwable root = ExceptionUtils.stripExecutionException(e);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? top : top + " (cause: " + root + ")";
    }
}
