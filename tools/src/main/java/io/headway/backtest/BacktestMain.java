package io.headway.backtest;

import io.headway.alert.AlertRule;
import io.headway.alert.AlertRules;
import io.headway.backtest.fit.ModelFile;
import io.headway.backtest.fit.RiskSampler;
import io.headway.backtest.report.HtmlReport;
import io.headway.config.ConfigException;
import io.headway.config.HeadwayConfig;
import io.headway.model.ModelException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * The backtest: replays a history of touchpoints from files through the production workflow on a
 * local MiniCluster, scores every alert rule against the outcomes that really happened, and writes
 * {@code scorecard.json}, {@code alerts.jsonl}, {@code dead-letters.jsonl} and {@code report.html}
 * (docs/backtest.md). Exit status: 0 done, 1 the run failed, 2 bad arguments or input.
 */
@Command(
        name = "backtest.sh",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Replays a history of touchpoints through the Headway job and scores its alert rules against real outcomes.",
            "Any other --key value (or --key=value) is a job setting (docs/configuration keys of HeadwayConfig), e.g. --watermark.max-out-of-orderness 10min."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:the run failed", "2:bad arguments or input (usage, history, outcomes, model, configuration)"})
public final class BacktestMain implements Callable<Integer> {

    /** How far back validation accepts occurred_at unless --validation.max-past is given: a history is old by nature. */
    static final String HISTORY_MAX_PAST = "36500 d";
    static final int SAMPLE_SIZE = 10;

    @Option(names = "--events", paramLabel = "PATH",
            description = "A history file or a directory read recursively: JSON lines (.jsonl, .json, .jsonl.gz, .json.gz) or Avro container files (.avro) of Touchpoint; mixed allowed.")
    Path events;

    @Option(names = "--outcomes", paramLabel = "CSV",
            description = "What really happened: account_id,result,result_at[,goal_id][,slice columns...] (docs/backtest.md).")
    Path outcomes;

    @Option(names = "--model", paramLabel = "YAML", description = "The customer model to test (default: the bundled model).")
    Path model;

    @Option(names = "--risk-from", paramLabel = "YAML",
            description = "Score with --model's journeys and rules but the risk: section of this model (a fitted risk applied to a held-out history whose model has other journeys).")
    Path riskFrom;

    @Option(names = "--compare", paramLabel = "YAML", description = "A second customer model run over the same history (a shadow version), compared with --model.")
    Path compare;

    @Option(names = "--config", paramLabel = "PROPERTIES", description = "Job settings file, as for the job; --key value arguments override it.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where scorecard.json, alerts.jsonl, dead-letters.jsonl and report.html go (created).")
    Path out;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2", description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--throughput", description = "Also measure: the read+parse floor and the whole backtest, interleaved twice each; events/s and CPU ns/event.")
    boolean throughput;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--fit", paramLabel = "OUT.yaml",
            description = "Instead of scoring: fit the account risk's weights to the outcomes and write --model (or the bundled model) with the fitted risk: section to OUT.yaml, and fit.json to --out.")
    Path fitOut;

    @Option(names = "--target-precision", paramLabel = "P", defaultValue = "0.8",
            description = "With --fit: the threshold is the lowest whose cross-validated account precision reaches P (default: ${DEFAULT-VALUE}).")
    double targetPrecision;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "5", description = "With --fit: account-grouped cross-validation folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--fit-from-samples", paramLabel = "CSV,CSV,...", split = ",",
            description = "With --fit, instead of --events and --outcomes: fit from the samples.csv files earlier --fit runs wrote (several runs, one model).")
    List<Path> fitFromSamples;

    @Option(names = "--sample-every", paramLabel = "D",
            description = "With --fit: sample each outcome's account every D days of its life, from its first risk update + D to result_at - 7 days (default: 7).")
    Integer sampleEvery;

    @Option(names = "--sample-days", paramLabel = "D,D,...",
            description = "With --fit, instead of --sample-every: sample each outcome's account this many days before its result_at; ranges FROM..TO/STEP allowed, e.g. 56,42,28,21,14,7 or 7..273/14.")
    String sampleDays;

    @Unmatched
    List<String> settings = new ArrayList<>();

    private final PrintStream stdout;
    private final PrintStream stderr;

    BacktestMain(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command in this JVM and returns its exit status (tests call this). */
    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    static int run(PrintStream stdout, PrintStream stderr, String... args) {
        CommandLine cli = new CommandLine(new BacktestMain(stdout, stderr));
        cli.setUnmatchedArgumentsAllowed(true);
        cli.setUnmatchedOptionsArePositionalParams(false);
        cli.setOut(new java.io.PrintWriter(stdout, true));
        cli.setErr(new java.io.PrintWriter(stderr, true));
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof InputException || e instanceof ConfigException || e instanceof ModelException) {
                stderr.println("error: " + e.getMessage());
                return 2;
            }
            stderr.println("error: the backtest failed: " + e);
            e.printStackTrace(stderr);
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        if (parallelism < 1) {
            throw new InputException("--parallelism must be at least 1, was " + parallelism);
        }
        FitCommand.Sampling days = fitOptions();
        if (fitFromSamples != null) {
            if (events != null || outcomes != null || !settings.isEmpty() || sampleEvery != null || sampleDays != null) {
                throw new InputException("--fit-from-samples fits saved samples without running the job: no --events, --outcomes, --sample-* or job settings");
            }
            new FitCommand(stdout).runFromSamples(new FitCommand.Request(fitOut, out, null, folds, targetPrecision,
                    "samples=" + fitFromSamples.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(","))), ModelFile.read(model),
                    fitFromSamples);
            return 0;
        }
        if (events == null || outcomes == null) {
            throw new InputException("--events and --outcomes are required (but with --fit-from-samples)");
        }
        Map<String, String> pairs = settings();
        HeadwayConfig modelConfig = riskFrom == null ? config(pairs, model) : withRiskFrom(pairs);
        HeadwayConfig compareConfig = compare == null ? null : config(pairs, compare);
        Outcomes outcomeRows = Outcomes.read(outcomes);
        HistoryFiles files = HistoryFiles.find(events);
        Files.createDirectories(out);
        long total = files.countRecords();
        if (!quiet) {
            stderr.printf(Locale.ROOT, "History: %,d records in %,d file(s) under %s%s; outcomes: %,d rows.%n", total, files.files.size(), files.root,
                    files.ignored == 0 ? "" : String.format(Locale.ROOT, " (%,d other files left out)", files.ignored), outcomeRows.rows.size());
        }
        Progress.Factory progress = (label, done) -> Progress.start(label, total, done, quiet);
        if (fitOut != null) {
            fit(pairs, days, outcomeRows, files, progress);
            return 0;
        }

        Throughput throughputResult = null;
        if (throughput) {
            throughputResult = Throughput.measure(modelConfig, files, parallelism, total, progress, stderr);
        }
        long runStarted = System.nanoTime();
        long cpuRunStarted = processCpuNanos();
        RunCollector main = BacktestJob.run(modelConfig, files, parallelism, "model", true, progress);
        long wallNanos = System.nanoTime() - runStarted;
        long cpuNanos = processCpuNanos() - cpuRunStarted;
        RunCollector shadow = compareConfig == null ? null : BacktestJob.run(compareConfig, files, parallelism, "compare", true, progress);

        Scorecard scorecard = new Scorecard(outcomeRows, main.accountSpans());
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("schema_version", 1);
        root.put("generated_at", Instant.now().toString());
        root.set("run", runBlock(main, outcomeRows, scorecard, modelConfig, wallNanos, cpuNanos, throughputResult));
        ArrayNode models = root.putArray("models");
        ObjectNode first = scorecard.model(modelRun("model", modelLabel(), modelConfig, main));
        models.add(first);
        if (shadow != null) {
            ObjectNode second = scorecard.model(modelRun("compare", compare.toString(), compareConfig, shadow));
            models.add(second);
            root.set("comparison", Scorecard.comparison(first, second));
        } else {
            root.putNull("comparison");
        }
        writeLines(out.resolve("alerts.jsonl"), main.alertLines(), shadow == null ? List.of() : shadow.alertLines());
        writeLines(out.resolve("dead-letters.jsonl"), main.deadLetterLines(), List.of());
        Files.writeString(out.resolve("scorecard.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        HtmlReport.write(out);
        stdout.print(Summary.text(root));
        stdout.printf(Locale.ROOT, "Wrote %s (scorecard.json, alerts.jsonl, dead-letters.jsonl, report.html) in %.1f s.%n", out, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** Checks the --fit options; how to sample, or null without --fit. */
    private FitCommand.Sampling fitOptions() {
        if (fitOut == null) {
            if (fitFromSamples != null) {
                throw new InputException("--fit-from-samples needs --fit OUT.yaml");
            }
            return null;
        }
        if (compare != null || throughput) {
            throw new InputException("--fit runs the history once to fit the risk; --compare and --throughput are for scoring runs");
        }
        if (!(targetPrecision > 0 && targetPrecision <= 1)) {
            throw new InputException("--target-precision must be above 0 and at most 1, was " + targetPrecision);
        }
        if (folds < 2) {
            throw new InputException("--folds must be at least 2, was " + folds);
        }
        return sampling(sampleEvery, sampleDays);
    }

    /** --sample-every D (default 7) or --sample-days D,D,..., never both. */
    static FitCommand.Sampling sampling(Integer every, String days) {
        if (every != null && days != null) {
            throw new InputException("--sample-every and --sample-days are two ways to choose the sample times: give one");
        }
        if (days == null) {
            int d = every == null ? FitCommand.Sampling.DEFAULT_EVERY_DAYS : every;
            if (d < 1) {
                throw new InputException("--sample-every must be at least 1 day, was " + d);
            }
            return new FitCommand.Sampling(d, null);
        }
        try {
            return new FitCommand.Sampling(0, RiskSampler.parseDays(days));
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    /**
     * The fit: the model's text with a collection risk section (assess only, a RiskUpdate on every
     * change), run through the job, then {@link FitCommand}. The collection model is a temporary
     * file in --out, removed afterwards.
     */
    private void fit(Map<String, String> pairs, FitCommand.Sampling days, Outcomes rows, HistoryFiles files, Progress.Factory progress) throws Exception {
        String input = ModelFile.read(model);
        Path collect = Files.createTempFile(out, ".fit-collection-", ".yaml");
        try {
            Files.writeString(collect, ModelFile.withRisk(input, ModelFile.collectionSection()),
                    StandardCharsets.UTF_8);
            HeadwayConfig collectConfig = config(pairs, collect);
            String data = "events=" + events + " outcomes=" + outcomes;
            new FitCommand(stdout).run(new FitCommand.Request(fitOut, out, days, folds, targetPrecision, data), input, collectConfig, rows, files,
                    parallelism, progress);
        } finally {
            Files.deleteIfExists(collect);
        }
    }

    /**
     * --model with the risk: section of --risk-from: a temporary model file in the system's temporary
     * directory, read by the configuration (which loads the model at once) and removed.
     */
    private HeadwayConfig withRiskFrom(Map<String, String> pairs) throws IOException {
        if (fitOut != null) {
            throw new InputException("--risk-from is for scoring runs; --fit writes its own risk: section");
        }
        if (!Files.isRegularFile(riskFrom)) {
            throw new InputException("--risk-from " + riskFrom + ": no such file");
        }
        String section = ModelFile.riskSection(Files.readString(riskFrom, StandardCharsets.UTF_8));
        if (section == null) {
            throw new InputException("--risk-from " + riskFrom + ": no top-level risk: section");
        }
        Path combined = Files.createTempFile("headway-risk-from-", ".yaml");
        try {
            Files.writeString(combined, ModelFile.withRisk(ModelFile.read(model), section), StandardCharsets.UTF_8);
            return config(pairs, combined);
        } finally {
            Files.deleteIfExists(combined);
        }
    }

    /** The --key value arguments picocli did not know: job settings. */
    private Map<String, String> settings() {
        Map<String, String> pairs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> p : io.headway.config.CommandLine.pairs(settings.toArray(String[]::new))) {
                pairs.put(p.getKey(), p.getValue());
            }
        } catch (ConfigException e) {
            throw new InputException(e.getMessage());
        }
        if (pairs.containsKey(HeadwayConfig.MODEL_PATH.name())) {
            throw new InputException("--" + HeadwayConfig.MODEL_PATH.name() + ": use --model (and --compare) to choose the customer model");
        }
        return pairs;
    }

    /**
     * The job's configuration as for production, from --config and --key value, with what a backtest
     * needs on top: no checkpoints or restarts, a placeholder broker (nothing connects to it), and
     * validation.max-past opened to a century unless the user set it, so an old history replays.
     */
    private HeadwayConfig config(Map<String, String> pairs, Path modelPath) throws IOException {
        Map<String, String> fromFile = new LinkedHashMap<>();
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new InputException("--config " + config + ": no such file");
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                p.load(in);
            }
            p.stringPropertyNames().forEach(k -> fromFile.put(k, p.getProperty(k).trim()));
        }
        List<String> args = new ArrayList<>();
        if (config != null) {
            args.add("--config");
            args.add(config.toString());
        }
        Map<String, String> backtest = new LinkedHashMap<>();
        backtest.put(HeadwayConfig.KAFKA_BOOTSTRAP_SERVERS.name(), "unused.invalid:9092");
        backtest.put(HeadwayConfig.JOB_NAME.name(), "headway-backtest");
        if (!pairs.containsKey(HeadwayConfig.VALIDATION_MAX_PAST.name()) && !fromFile.containsKey(HeadwayConfig.VALIDATION_MAX_PAST.name())) {
            backtest.put(HeadwayConfig.VALIDATION_MAX_PAST.name(), HISTORY_MAX_PAST);
        }
        backtest.putAll(pairs);
        backtest.put(HeadwayConfig.CHECKPOINT_INTERVAL.name(), "0 s");
        backtest.put(HeadwayConfig.RESTART_ATTEMPTS.name(), "0");
        backtest.put(HeadwayConfig.MODEL_PATH.name(), modelPath == null ? "" : modelPath.toString());
        backtest.forEach((k, v) -> args.add("--" + k + "=" + v));
        return HeadwayConfig.fromArgs(args.toArray(String[]::new), System.getenv());
    }

    private String modelLabel() {
        String m = model == null ? "(bundled)" : model.toString();
        return riskFrom == null ? m : m + " with the risk: section of " + riskFrom;
    }

    private static Scorecard.ModelRun modelRun(String label, String path, HeadwayConfig config, RunCollector run) {
        List<Scorecard.Rule> rules = new ArrayList<>();
        AlertRules all = AlertRules.from(config.customerModel());
        for (AlertRule r : all.rules) {
            rules.add(new Scorecard.Rule(r.id, r.type.wireName(), r.version, r.type.win, !all.attachedToRisk(r)));
        }
        List<RunCollector.Opening> openings = run.openings();
        openings.sort(Comparator.comparing(RunCollector.Opening::accountId).thenComparingLong(RunCollector.Opening::openedAt)
                .thenComparing(RunCollector.Opening::rule).thenComparingInt(RunCollector.Opening::ruleVersion));
        List<Long> wins = run.wins();
        wins.sort(Long::compare);
        return new Scorecard.ModelRun(label, path, rules, openings, wins);
    }

    private ObjectNode runBlock(RunCollector main, Outcomes rows, Scorecard scorecard, HeadwayConfig cfg, long wallNanos, long cpuNanos,
            Throughput throughputResult) {
        ObjectNode r = new ObjectMapper().createObjectNode();
        r.put("events", events.toString());
        r.put("outcomes", outcomes.toString());
        ObjectNode c = r.putObject("config");
        new TreeMap<>(configMap(cfg)).forEach(c::put);
        long read = main.recordsRead.sum();
        Map<String, Long> dead = main.deadLettersByReason();
        long deadTotal = dead.values().stream().mapToLong(Long::longValue).sum();
        r.put("records_read", read);
        r.put("valid", main.valid());
        r.put("dead_letters", deadTotal);
        ObjectNode byReason = r.putObject("dead_letters_by_reason");
        dead.forEach(byReason::put);
        r.put("duplicates", main.duplicates.sum());
        Map<String, Long> late = main.lateByReason();
        r.put("late", late.values().stream().mapToLong(Long::longValue).sum());
        ObjectNode lateByReason = r.putObject("late_by_reason");
        late.forEach(lateByReason::put);
        Map<String, long[]> spans = main.accountSpans();
        TreeSet<String> outcomeAccounts = new TreeSet<>();
        rows.rows.forEach(o -> outcomeAccounts.add(o.accountId()));
        TreeSet<String> withoutEvents = new TreeSet<>(outcomeAccounts);
        withoutEvents.removeAll(spans.keySet());
        TreeSet<String> withoutOutcomes = new TreeSet<>(spans.keySet());
        withoutOutcomes.removeAll(outcomeAccounts);
        r.put("accounts_in_events", spans.size());
        r.put("accounts_in_outcomes", outcomeAccounts.size());
        r.put("outcome_accounts_without_events", withoutEvents.size());
        r.put("event_accounts_without_outcomes", withoutOutcomes.size());
        ArrayNode s1 = r.putArray("outcome_accounts_without_events_sample");
        withoutEvents.stream().limit(SAMPLE_SIZE).forEach(s1::add);
        ArrayNode s2 = r.putArray("event_accounts_without_outcomes_sample");
        withoutOutcomes.stream().limit(SAMPLE_SIZE).forEach(s2::add);
        if (scorecard.firstEventAt() == null) {
            r.putNull("first_event_at");
            r.putNull("last_event_at");
        } else {
            r.put("first_event_at", Instant.ofEpochMilli(scorecard.firstEventAt()).toString());
            r.put("last_event_at", Instant.ofEpochMilli(scorecard.lastEventAt()).toString());
        }
        r.put("wall_seconds", Scorecard.round(wallNanos / 1e9));
        Scorecard.number(r, "events_per_second", read == 0 ? null : read / (wallNanos / 1e9));
        Scorecard.number(r, "cpu_ns_per_event", read == 0 ? null : (double) cpuNanos / read);
        if (throughputResult != null) {
            r.set("throughput", throughputResult.json());
        }
        return r;
    }

    /** Settings of I/O the backtest replaces (Kafka, JDBC, checkpoints): left out of the scorecard. */
    private static final List<String> UNUSED_PREFIXES = List.of("kafka.", "input.", "output.", "jdbc.", "checkpoint.", "restart.", "job.");

    /**
     * The settings that shape the results, with secrets masked (HeadwayConfig's own rendering never
     * holds them; pass-through keys that look secret are masked there).
     */
    private static Map<String, String> configMap(HeadwayConfig cfg) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : cfg.toString().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && UNUSED_PREFIXES.stream().noneMatch(line::startsWith)) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    /** The lines of both runs in one file, in the order of their keys: the same bytes for the same input. */
    private static void writeLines(Path file, List<RunCollector.Line> a, List<RunCollector.Line> b) throws IOException {
        List<RunCollector.Line> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        all.sort(Comparator.comparing(RunCollector.Line::key));
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (RunCollector.Line l : all) {
                w.write(l.json());
                w.write('\n');
            }
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
