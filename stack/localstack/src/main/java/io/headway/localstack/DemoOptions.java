package io.headway.localstack;

import java.nio.file.Path;
import java.util.Map;

/**
 * Command-line options of {@link LocalDemo}. {@code scripts/demo.sh} passes the ports and paths from
 * {@code scripts/common.sh}; the defaults here match it so that running the class from an IDE behaves
 * the same.
 */
public final class DemoOptions {

    public static final String USAGE =
            String.join(
                    "\n",
                    "usage: LocalDemo [--accounts N] [--days D] [--seed S] [--parallelism P] [--malformed-rate R] [--duplicate-rate R]",
                    "                 [--exit] [--run-dir DIR] [--kafka-port P] [--kafka-controller-port P]",
                    "                 [--pg-port P] [--ui-port P] [--kafka-classpath-file FILE] [--pg-binaries-dir DIR]",
                    "  --accounts N        accounts to generate (default 300)",
                    "  --days D            days of history to generate (default 60)",
                    "  --seed S            generator seed (default 42)",
                    "  --parallelism P     parallelism of the job (default 2, at most " + DemoOptions.MAX_PARALLELISM + ": each of the job's",
                    "                      " + DemoOptions.JDBC_SINKS + " database sinks holds one connection per subtask, PostgreSQL allows "
                            + LocalPostgres.MAX_CONNECTIONS + ")",
                    "  --malformed-rate R  share of malformed records, 0..1 (default 0.01)",
                    "  --duplicate-rate R  share of re-sent records, 0..1 (default 0.01)",
                    "  --exit              stop Kafka and PostgreSQL when the job is done (default: keep them",
                    "                      running for psql and the console consumer until Ctrl-C)",
                    "  --keep-running      the default, accepted for clarity");

    /** The job's JDBC sinks (activity, scores, journeys, goals, alerts, account risk, dead letters): one connection per subtask each. */
    static final int JDBC_SINKS = 7;
    /**
     * Connections the demo needs besides the sinks: its progress and first-row watchers, the job's schema
     * migration at start and the score_history retention call, and PostgreSQL's superuser_reserved_connections (3).
     */
    static final int OTHER_CONNECTIONS = 8;
    /** The largest parallelism whose connections fit into the embedded PostgreSQL's max_connections. */
    static final int MAX_PARALLELISM = (LocalPostgres.MAX_CONNECTIONS - OTHER_CONNECTIONS) / JDBC_SINKS;

    int accounts = 300;
    /** Two, not the number of cores: RECIPES.md measured no gain beyond it on a small machine, and it fits any PostgreSQL. */
    int parallelism = 2;
    int days = 60;
    long seed = 42;
    double malformedRate = 0.01;
    double duplicateRate = 0.01;
    boolean exit;
    boolean help;
    Path runDir = Path.of(".run");
    int kafkaPort = 19092;
    int kafkaControllerPort = 19093;
    int pgPort = 15432;
    int uiPort = 8081;
    /** Where PostgreSQL's binaries are unpacked; null = {@code <run dir>/postgres/work}. */
    Path pgBinariesDir;
    Path kafkaClasspathFile =
            Path.of(System.getProperty("headway.kafka.classpath-file", "stack/kafka-broker/target/classpath.txt"));
    /** Epoch millis the timings count from: the script's start when it says so, else this JVM's. */
    long startedAtMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();

    /** Thrown for arguments that do not parse; the message says which. */
    public static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    public static DemoOptions parse(String[] args, Map<String, String> environment) {
        DemoOptions o = new DemoOptions();
        String started = environment.get("HEADWAY_DEMO_STARTED_AT_MS");
        if (started != null && !started.isBlank()) {
            o.startedAtMillis = Long.parseLong(started.trim());
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help":
                case "-h":
                    o.help = true;
                    break;
                case "--exit":
                    o.exit = true;
                    break;
                case "--keep-running":
                    o.exit = false;
                    break;
                default:
                    if (i + 1 >= args.length) {
                        throw new UsageException(a.startsWith("--") ? a + " needs a value" : "unexpected argument " + a);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--accounts":
                            o.accounts = positiveInt(a, v);
                            break;
                        case "--days":
                            o.days = positiveInt(a, v);
                            break;
                        case "--seed":
                            o.seed = parseLong(a, v);
                            break;
                        case "--parallelism":
                            o.parallelism = positiveInt(a, v);
                            break;
                        case "--malformed-rate":
                            o.malformedRate = rate(a, v);
                            break;
                        case "--duplicate-rate":
                            o.duplicateRate = rate(a, v);
                            break;
                        case "--run-dir":
                            o.runDir = Path.of(v);
                            break;
                        case "--kafka-port":
                            o.kafkaPort = port(a, v);
                            break;
                        case "--kafka-controller-port":
                            o.kafkaControllerPort = port(a, v);
                            break;
                        case "--pg-port":
                            o.pgPort = port(a, v);
                            break;
                        case "--ui-port":
                            o.uiPort = port(a, v);
                            break;
                        case "--pg-binaries-dir":
                            o.pgBinariesDir = Path.of(v);
                            break;
                        case "--kafka-classpath-file":
                            o.kafkaClasspathFile = Path.of(v);
                            break;
                        default:
                            throw new UsageException("unknown option " + a);
                    }
            }
        }
        if (o.parallelism > MAX_PARALLELISM) {
            throw new UsageException(
                    "--parallelism " + o.parallelism + " needs " + (o.parallelism * JDBC_SINKS + OTHER_CONNECTIONS)
                            + " database connections (" + JDBC_SINKS + " JDBC sinks x " + o.parallelism + " subtasks + "
                            + OTHER_CONNECTIONS + "), more than the local PostgreSQL's max_connections of "
                            + LocalPostgres.MAX_CONNECTIONS + "; use at most " + MAX_PARALLELISM);
        }
        if (o.kafkaPort == o.kafkaControllerPort) {
            throw new UsageException("--kafka-port and --kafka-controller-port must differ");
        }
        return o;
    }

    private static int positiveInt(String name, String v) {
        long n = parseLong(name, v);
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw new UsageException(name + " must be a positive integer, was " + v);
        }
        return (int) n;
    }

    private static int port(String name, String v) {
        int p = positiveInt(name, v);
        if (p > 65535) {
            throw new UsageException(name + " must be a TCP port, was " + v);
        }
        return p;
    }

    private static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be an integer, was " + v);
        }
    }

    private static double rate(String name, String v) {
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number between 0 and 1, was " + v);
        }
        if (!(d >= 0 && d <= 1)) {
            throw new UsageException(name + " must be between 0 and 1, was " + v);
        }
        return d;
    }
}
