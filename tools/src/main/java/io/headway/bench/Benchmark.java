package io.headway.bench;

import io.headway.HeadwayJob;
import io.headway.PipelineSettings;
import io.headway.config.CommandLine;
import io.headway.config.ConfigException;
import io.headway.config.HeadwayConfig;
import io.headway.ingest.TouchpointParser;
import io.headway.ingest.TouchpointSource;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures what the Headway job costs per event on top of the bare minimum of any keyed job on the
 * same input, on a Flink MiniCluster in this JVM (RECIPES.md section 7).
 *
 * <ul>
 *   <li>FULL: {@link HeadwayJob#defineWorkflow} with {@link PipelineSettings#defaults()}, every output
 *       into a discarding sink;
 *   <li>BARE: the same source, parser and watermark strategy, then {@code keyBy(account)} into a
 *       keyed operator that does nothing ({@link BenchmarkPipelines#bare});
 *   <li>FLOOR: BARE with one value-state read/write and one timer per event, no logic
 *       ({@link StateAndTimerPerEvent}): what per-account state costs at all on this input.
 * </ul>
 *
 * <p>Both replay the same pre-generated JSON records ({@link InputGenerator}) from memory through
 * the production parser. One warm-up round (over a quarter as many events), then {@code --rounds}
 * rounds of FULL, BARE and FLOOR, each a fresh job over the whole input. Per run: process CPU time and wall-clock time over the whole run
 * and over the steady state (10% to 90% of the records read; no start-up, no end-of-input drain).
 * Reported: medians of CPU-ns per input record and records per second, and the ratio of CPU-ns
 * BARE/FULL (the project's target is at least 0.6). CPU time per event is the number to compare: on
 * a shared two-core machine wall-clock throughput varies two- to threefold between runs.
 *
 * <p>Options: {@code --events} (2,000,000), {@code --accounts} (100,000), {@code --rounds} (3),
 * {@code --parallelism} (1), {@code --state-backend} hashmap|rocksdb (hashmap), {@code --seed} (1), and
 * {@code --flink.<key> value}: Flink settings passed through like the job's {@code flink.*} keys, for
 * experiments such as {@code --flink.pipeline.object-reuse true}.
 * Run it with {@code scripts/benchmark.sh}.
 */
public final class Benchmark {

    public static final String USAGE =
            "usage: Benchmark [--events N] [--accounts N] [--rounds N] [--parallelism N]"
                    + " [--state-backend hashmap|rocksdb] [--seed N] [--flink.<option> value ...]";

    static final double STEADY_FROM = 0.10;
    static final double STEADY_TO = 0.90;
    static final long SAMPLE_INTERVAL_MILLIS = 50;

    /** The two compared pipelines. */
    public enum Case {
        FULL,
        BARE,
        /** Bare plus one state read/write and one timer per event: the floor of any per-account logic. */
        FLOOR
    }

    /** Benchmark options, with the defaults of the class documentation. */
    public record Options(
            int events,
            int accounts,
            int rounds,
            int parallelism,
            String stateBackend,
            long seed,
            Map<String, String> flink,
            int days) {

        /** 30 days: 2M events over 100k accounts is then under one touchpoint per account and day,
         * the worst case for per-account timers and summaries; {@code --days 2} is close to the
         * generator's density (about 14 per account and day). */
        public static final int DEFAULT_DAYS = 30;

        public Options(int events, int accounts, int rounds, int parallelism, String stateBackend, long seed, Map<String, String> flink) {
            this(events, accounts, rounds, parallelism, stateBackend, seed, flink, DEFAULT_DAYS);
        }

        public Options(int events, int accounts, int rounds, int parallelism, String stateBackend, long seed) {
            this(events, accounts, rounds, parallelism, stateBackend, seed, Map.of());
        }

        public static Options defaults() {
            return new Options(2_000_000, 100_000, 3, 1, "hashmap", 1);
        }

        /** Parses {@code --name value} or {@code --name=value}; throws IllegalArgumentException on anything else. */
        public static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            try {
                CommandLine.pairs(args).forEach(p -> values.put(p.getKey(), p.getValue()));
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            Options d = defaults();
            Options o =
                    new Options(
                            positive(values, "events", d.events),
                            positive(values, "accounts", d.accounts),
                            positive(values, "rounds", d.rounds),
                            positive(values, "parallelism", d.parallelism),
                            values.getOrDefault("state-backend", d.stateBackend).trim().toLowerCase(Locale.ROOT),
                            Long.parseLong(values.getOrDefault("seed", Long.toString(d.seed)).trim()),
                            flinkOptions(values),
                            positive(values, "days", d.days));
            values.keySet().removeAll(List.of("events", "accounts", "rounds", "parallelism", "state-backend", "seed", "days"));
            values.keySet().removeIf(name -> name.startsWith(HeadwayConfig.FLINK_PREFIX));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown option --" + values.keySet().iterator().next());
            }
            if (!o.stateBackend.equals("hashmap") && !o.stateBackend.equals("rocksdb")) {
                throw new IllegalArgumentException("--state-backend must be hashmap or rocksdb");
            }
            return o;
        }

        private static Map<String, String> flinkOptions(Map<String, String> values) {
            Map<String, String> flink = new LinkedHashMap<>();
            values.forEach((name, value) -> {
                if (name.startsWith(HeadwayConfig.FLINK_PREFIX) && name.length() > HeadwayConfig.FLINK_PREFIX.length()) {
                    flink.put(name, value);
                }
            });
            return Map.copyOf(flink);
        }

        private static int positive(Map<String, String> values, String name, int fallback) {
            String text = values.get(name);
            if (text == null) {
                return fallback;
            }
            int v;
            try {
                v = Integer.parseInt(text.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a positive integer, was " + text);
            }
            if (v < 1) {
                throw new IllegalArgumentException("--" + name + " must be a positive integer, was " + text);
            }
            return v;
        }
    }

    /** One run of one case: whole-run and steady-state costs, and what the sinks counted. */
    public record RunResult(
            Case pipeline,
            int round,
            long records,
            long cpuNanos,
            long wallNanos,
            long gcMillis,
            CpuSampler.Window steady,
            BenchmarkCounters.Snapshot counts) {

        public double cpuNanosPerRecord() {
            return (double) cpuNanos / records;
        }

        public double recordsPerSecond() {
            return records * 1e9 / wallNanos;
        }
    }

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        Options options = CommandLine.parseOrExit(args, USAGE, Options::parse);
        if (options == null) {
            return;
        }
        long started = System.nanoTime();
        Instant anchor = Instant.now().truncatedTo(ChronoUnit.DAYS);
        System.out.printf(
                "Generating %,d events for %,d accounts (seed %d, occurred_at in the %d days before %s)...%n",
                options.events, options.accounts, options.seed, options.days, anchor);
        Duration span = Duration.ofDays(options.days);
        BenchmarkInput input =
                InputGenerator.generate(options.events, options.accounts, options.seed, anchor, span, options.parallelism);
        // The warm-up only has to get the JIT going: a quarter of the events (same accounts) does.
        BenchmarkInput warmUp =
                InputGenerator.generate(
                        Math.max(1, options.events / 4), options.accounts, options.seed + 1, anchor, span, options.parallelism);
        System.out.printf("Input ready in %.1f s: %s%n", seconds(System.nanoTime() - started), input);
        System.out.printf(
                "Setup: parallelism %d, state backend %s%s, %d measured rounds + 1 warm-up, %d cores, max heap %,d MB%n%n",
                options.parallelism,
                options.stateBackend,
                options.flink.isEmpty() ? "" : ", " + options.flink,
                options.rounds,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        List<RunResult> measured = new ArrayList<>();
        for (int round = 0; round <= options.rounds; round++) {
            BenchmarkInput replayed = round == 0 ? warmUp : input;
            for (Case c : Case.values()) {
                RunResult r = run(c, round, replayed, options);
                List<String> problems = check(r, replayed);
                System.out.println(describe(r) + (problems.isEmpty() ? "" : "  CHECK FAILED: " + problems));
                if (round > 0) {
                    measured.add(r);
                }
            }
        }
        System.out.println();
        System.out.println(table(measured, input, options));
        System.out.printf("Total time %.0f s.%n", seconds(System.nanoTime() - started));
        // Tasks of finished MiniClusters may leave non-daemon threads behind; they are not ours to wait for.
        System.exit(0);
    }

    /** Installs {@code input}, runs one case over it as a fresh job, and measures the run. */
    public static RunResult run(Case pipeline, int round, BenchmarkInput input, Options options) throws Exception {
        BenchmarkInput.install(input);
        HeadwayConfig config = config(options);
        TouchpointParser parser = TouchpointSource.parser(config, Clock.systemUTC());
        Configuration engine = HeadwayJob.engineConfiguration(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(options.parallelism, engine);
        var source = BenchmarkPipelines.source(parser, input.size());
        if (pipeline == Case.FULL) {
            BenchmarkPipelines.full(env, source, PipelineSettings.defaults());
        } else if (pipeline == Case.BARE) {
            BenchmarkPipelines.bare(env, source, PipelineSettings.defaults());
        } else {
            BenchmarkPipelines.floor(env, source, PipelineSettings.defaults());
        }

        // Leave the garbage of the previous run (a whole job's state) out of this one.
        System.gc();
        Thread.sleep(300);
        BenchmarkCounters.reset();
        long gcBefore = gcMillis();
        long cpuBefore = CpuSampler.processCpuNanos();
        long wallBefore = System.nanoTime();
        CpuSampler sampler = CpuSampler.start(BenchmarkCounters.SOURCE_RECORDS::sum, SAMPLE_INTERVAL_MILLIS);
        try {
            env.execute("headway-benchmark-" + pipeline.name().toLowerCase(Locale.ROOT));
        } finally {
            sampler.close();
        }
        long wall = System.nanoTime() - wallBefore;
        long cpu = CpuSampler.processCpuNanos() - cpuBefore;
        CpuSampler.Window steady =
                sampler.window((long) (STEADY_FROM * input.size()), (long) (STEADY_TO * input.size()));
        return new RunResult(
                pipeline, round, input.size(), cpu, wall, gcMillis() - gcBefore, steady, BenchmarkCounters.snapshot());
    }

    /** The job configuration of a run: production defaults, no checkpoints or restarts, the chosen Flink settings. */
    static HeadwayConfig config(Options options) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(HeadwayConfig.KAFKA_BOOTSTRAP_SERVERS.name(), "unused.invalid:9092");
        raw.put(HeadwayConfig.JOB_NAME.name(), "headway-benchmark");
        raw.put(HeadwayConfig.CHECKPOINT_INTERVAL.name(), "0 s");
        // A failure is a broken benchmark, not something to retry for minutes.
        raw.put(HeadwayConfig.RESTART_ATTEMPTS.name(), "0");
        raw.put(HeadwayConfig.FLINK_PREFIX + "state.backend.type", options.stateBackend);
        raw.putAll(options.flink);
        return HeadwayConfig.of(raw, Map.of());
    }

    /** What a run must have counted, whatever it cost; empty if all is well. */
    public static List<String> check(RunResult r, BenchmarkInput input) {
        List<String> problems = new ArrayList<>();
        BenchmarkCounters.Snapshot c = r.counts();
        if (c.sourceRecords != input.size()) {
            problems.add("source read " + c.sourceRecords + " of " + input.size() + " records");
        }
        if (r.pipeline() != Case.FULL && c.bareKeyed != input.size() - input.malformed) {
            problems.add("keyed operator saw " + c.bareKeyed + ", expected " + (input.size() - input.malformed));
        }
        if (r.pipeline() == Case.FULL) {
            if (c.deadLetters != input.malformed) {
                problems.add("dead letters " + c.deadLetters + ", expected " + input.malformed);
            }
            if (c.late != 0) {
                problems.add("late " + c.late + ", expected 0");
            }
            if (c.activity == 0) {
                problems.add("no activity summaries");
            }
            if (c.scores == 0) {
                problems.add("no score records");
            }
            if (c.activityDatabase != c.activity) {
                problems.add("database sink saw " + c.activityDatabase + " summaries, activity sink " + c.activity);
            }
        }
        return problems;
    }

    private static String describe(RunResult r) {
        String steady =
                r.steady() == null
                        ? "steady: run too short"
                        : String.format(
                                "steady %,6.0f ns/ev %,9.0f ev/s %.2f cores",
                                r.steady().cpuNanosPerRecord(),
                                r.steady().recordsPerSecond(),
                                (double) r.steady().cpuNanos() / r.steady().wallNanos());
        return String.format(
                "%-8s %-4s whole %,6.0f ns/ev %,9.0f ev/s %5.1f s (gc %,5d ms) | %s | summaries %,d, journeys %,d, scores %,d, alerts %,d, dead letters %,d, late %,d",
                r.round() == 0 ? "warm-up" : "round " + r.round(),
                r.pipeline().name().toLowerCase(Locale.ROOT),
                r.cpuNanosPerRecord(),
                r.recordsPerSecond(),
                seconds(r.wallNanos()),
                r.gcMillis(),
                steady,
                r.counts().activity,
                r.counts().journeys,
                r.counts().scores,
                r.counts().alerts,
                r.counts().deadLetters,
                r.counts().late);
    }

    /** The summary table over the measured runs. */
    static String table(List<RunResult> runs, BenchmarkInput input, Options options) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "Headway benchmark: %,d events, %,d accounts, parallelism %d, %s state, median of %d rounds%s%n",
                input.size(),
                input.accounts(),
                options.parallelism,
                options.stateBackend,
                options.rounds,
                options.flink.isEmpty() ? "" : ", " + options.flink));
        out.append(String.format(
                "%-5s | %-31s | %-12s | %-21s | %-12s | %-6s%n",
                "", "CPU ns/event (steady 10-90%)", "CPU ns/event", "events/s (wall clock)", "wall s", "cores"));
        out.append(String.format(
                "%-5s | %9s %9s %9s | %12s | %10s %10s | %12s | %6s%n",
                "case", "median", "min", "max", "whole run", "steady", "whole run", "whole run", "steady"));
        out.append("-".repeat(98)).append('\n');
        Map<Case, double[]> steadyCpu = new LinkedHashMap<>();
        Map<Case, double[]> wholeCpu = new LinkedHashMap<>();
        for (Case c : Case.values()) {
            List<RunResult> rs = runs.stream().filter(r -> r.pipeline() == c && r.steady() != null).toList();
            List<RunResult> all = runs.stream().filter(r -> r.pipeline() == c).toList();
            double[] cpu = rs.stream().mapToDouble(r -> r.steady().cpuNanosPerRecord()).toArray();
            double[] whole = all.stream().mapToDouble(RunResult::cpuNanosPerRecord).toArray();
            steadyCpu.put(c, cpu);
            wholeCpu.put(c, whole);
            out.append(String.format(
                    "%-5s | %9s %9s %9s | %12s | %10s %10s | %12s | %6s%n",
                    c.name().toLowerCase(Locale.ROOT),
                    num(median(cpu)),
                    num(Arrays.stream(cpu).min().orElse(Double.NaN)),
                    num(Arrays.stream(cpu).max().orElse(Double.NaN)),
                    num(median(whole)),
                    num(median(rs.stream().mapToDouble(r -> r.steady().recordsPerSecond()).toArray())),
                    num(median(all.stream().mapToDouble(RunResult::recordsPerSecond).toArray())),
                    String.format("%.1f", median(all.stream().mapToDouble(r -> seconds(r.wallNanos())).toArray())),
                    String.format(
                            "%.2f",
                            median(rs.stream()
                                    .mapToDouble(r -> (double) r.steady().cpuNanos() / r.steady().wallNanos())
                                    .toArray()))));
        }
        out.append("-".repeat(98)).append('\n');
        double steadyRatio = median(steadyCpu.get(Case.BARE)) / median(steadyCpu.get(Case.FULL));
        double wholeRatio = median(wholeCpu.get(Case.BARE)) / median(wholeCpu.get(Case.FULL));
        StringBuilder paired = new StringBuilder();
        for (int round = 1; round <= options.rounds; round++) {
            RunResult full = find(runs, Case.FULL, round);
            RunResult bare = find(runs, Case.BARE, round);
            if (full != null && bare != null && full.steady() != null && bare.steady() != null) {
                paired.append(String.format(
                        " %.2f", bare.steady().cpuNanosPerRecord() / full.steady().cpuNanosPerRecord()));
            }
        }
        out.append(String.format(
                "ratio bare/full, CPU ns/event (target >= 0.60): steady %.2f (per round:%s), whole run %.2f  -> %s%n",
                steadyRatio,
                paired.length() == 0 ? " n/a" : paired,
                wholeRatio,
                steadyRatio >= 0.6 ? "meets target" : "BELOW target"));
        out.append(String.format(
                "ratio bare/floor (one state read/write + one timer per event, no logic): %.2f%n",
                median(steadyCpu.get(Case.BARE)) / median(steadyCpu.get(Case.FLOOR))));
        out.append(String.format(
                "per event = per input record (incl. %,d malformed and %,d duplicates); whole run = job start to"
                        + " finish incl. MiniCluster start-up and the end-of-input timer drain%n",
                input.malformed, input.duplicates));
        return out.toString();
    }

    private static RunResult find(List<RunResult> runs, Case c, int round) {
        return runs.stream().filter(r -> r.pipeline() == c && r.round() == round).findFirst().orElse(null);
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%,.0f", v);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
