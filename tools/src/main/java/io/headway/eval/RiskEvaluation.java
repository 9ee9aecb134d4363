package io.headway.eval;

import io.headway.backtest.BacktestMain;
import io.headway.eval.AlertScorecard.Figures;
import io.headway.eval.AlertScorecard.Opening;
import io.headway.eval.AlertScorecard.Outcome;
import io.headway.eval.OuladData.Enrollment;
import io.headway.generator.GeneratorMain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * The fitted account risk evaluated on data its fit did not see (docs/oulad.md, "Evaluating the
 * fitted risk"). OULAD: leave one module out — the other modules' batches are converted
 * ({@link OuladConvert}), sampled ({@code backtest --fit}, their samples.csv) and fitted once
 * ({@code --fit-from-samples}); the held-out module is scored with its own model and the fitted
 * {@code risk:} section ({@code --risk-from}). Generator mode: fit on one seed's history, score
 * another's. Each held-out set and all of them pooled (over the pooled rows, medians included) get
 * recall, precision, base rate, the share of achieving accounts alerted and the median lead, for
 * account_risk, the model's default rule and (OULAD) the {@link FirstDeadlineBaseline}; written to
 * {@code evaluation.json} and {@code evaluation.md} in {@code --out}. Exit status: 0 done, 1 failed,
 * 2 bad arguments.
 */
@Command(name = "evaluate-risk.sh", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Fits the account risk on some data and scores it on data the fit did not see: OULAD leave-one-module-out, or generated seed A → seed B.")
public final class RiskEvaluation implements Callable<Integer> {

    static final String RISK_RULE = "account-risk";
    static final String DEFAULT_RULE = "milestone-overdue";
    static final String WITHDRAWN = "Withdrawn";

    @Option(names = "--data", paramLabel = "DIR", description = "The OULAD CSV files (default: the scripts' shared data directory).")
    Path data;

    @Option(names = "--modules", paramLabel = "AAA,BBB,...", split = ",", defaultValue = "AAA,BBB,DDD,FFF",
            description = "The modules; each is held out once (default: ${DEFAULT-VALUE}).")
    List<String> modules;

    @Option(names = "--generator-seeds", paramLabel = "A,B", split = ",",
            description = "Instead of OULAD: fit on a generated realistic-mix history of seed A, score on seed B's.")
    List<Long> generatorSeeds;

    @Option(names = "--accounts", paramLabel = "N", defaultValue = "1000", description = "With --generator-seeds: accounts per history (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where everything goes: converted batches, fits, backtests, evaluation.json and evaluation.md.")
    Path out;

    @Option(names = "--target-precision", paramLabel = "P", defaultValue = "0.8", description = "The fit's target precision (default: ${DEFAULT-VALUE}).")
    double targetPrecision;

    @Option(names = "--budget", paramLabel = "true|false", defaultValue = "false", arity = "1",
            description = "Score with risk.budget on (the other rules become signals of account_risk) (default: ${DEFAULT-VALUE}).")
    boolean budget;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "1", description = "Of each backtest (default: ${DEFAULT-VALUE}).")
    int parallelism;

    /** One held-out set scored: its outcome rows, which accounts withdrew, and the openings per rule. */
    record Scored(String name, List<Outcome> rows, Set<String> withdrawn, Map<String, List<Opening>> openings, JsonNode fit) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new RiskEvaluation());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            System.err.println("error: the evaluation failed: " + e);
            e.printStackTrace(System.err);
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        if (!(targetPrecision > 0 && targetPrecision <= 1)) {
            throw new IllegalArgumentException("--target-precision must be above 0 and at most 1, was " + targetPrecision);
        }
        Files.createDirectories(out);
        List<Scored> scored;
        String mode;
        if (generatorSeeds != null) {
            if (generatorSeeds.size() != 2) {
                throw new IllegalArgumentException("--generator-seeds takes two seeds, A,B: fit on A, score on B");
            }
            mode = "generator";
            scored = List.of(generator(generatorSeeds.get(0), generatorSeeds.get(1)));
        } else {
            mode = "oulad";
            scored = oulad();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ObjectNode json = json(mode, scored, seconds);
        Files.writeString(out.resolve("evaluation.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n",
                StandardCharsets.UTF_8);
        String table = markdown(json);
        Files.writeString(out.resolve("evaluation.md"), table, StandardCharsets.UTF_8);
        System.out.print(table);
        System.out.printf(Locale.ROOT, "Wrote %s and %s in %.1f s.%n", out.resolve("evaluation.json"), out.resolve("evaluation.md"), seconds);
        return 0;
    }

    /** Leave one module out: convert and sample every module once, then per held-out module fit on the others and score it. */
    private List<Scored> oulad() throws Exception {
        Path dataDir = data != null ? data : defaultData();
        List<String> names = modules.stream().map(m -> m.trim().toUpperCase(Locale.ROOT)).filter(m -> !m.isEmpty()).distinct().toList();
        if (names.size() < 2) {
            throw new IllegalArgumentException("--modules needs at least two modules: one is held out, the others fit");
        }
        OuladMapping.ModelOptions model = new OuladMapping.ModelOptions(0.8, null, 7, 1, List.of(DEFAULT_RULE));
        Map<String, OuladConvert.Plan> plans = new LinkedHashMap<>();
        Map<String, List<Path>> batches = new LinkedHashMap<>();
        for (String m : names) {
            OuladData d = OuladData.read(dataDir, Set.of(m));
            OuladConvert.Plan plan = OuladConvert.Plan.of(d);
            plans.put(m, plan);
            Path dir = out.resolve("modules").resolve(m);
            List<Path> dirs = OuladConvert.write(plan, new OuladConvert.Options(dataDir, Set.of(m), dir, model), System.out);
            for (Path b : dirs) {
                backtest(batchArgs(b, "--fit", b.resolve("fit").resolve("fitted.yaml").toString(), "--out", b.resolve("fit").toString(),
                        "--target-precision", Double.toString(targetPrecision)));
            }
            batches.put(m, dirs);
        }
        List<Scored> scored = new ArrayList<>();
        for (String heldOut : names) {
            Path dir = out.resolve("held-out-" + heldOut);
            List<String> samples = new ArrayList<>();
            Path trainingModel = null;
            for (String m : names) {
                if (!m.equals(heldOut)) {
                    for (Path b : batches.get(m)) {
                        samples.add(b.resolve("fit").resolve("samples.csv").toString());
                        trainingModel = trainingModel == null ? b.resolve(OuladConvert.MODEL) : trainingModel;
                    }
                }
            }
            Path fitted = fit(dir, "--fit-from-samples", String.join(",", samples), "--model", trainingModel.toString());
            List<Outcome> rows = new ArrayList<>();
            Set<String> withdrawn = new HashSet<>();
            List<Enrollment> enrollments = new ArrayList<>();
            Map<String, List<Opening>> openings = emptyOpenings();
            List<Path> heldOutBatches = batches.get(heldOut);
            for (int i = 0; i < heldOutBatches.size(); i++) {
                Path b = heldOutBatches.get(i);
                OuladConvert.Batch batch = plans.get(heldOut).batches().get(i);
                for (Enrollment e : batch.enrollments()) {
                    rows.add(OuladMapping.outcome(e));
                    enrollments.add(e);
                    if (e.finalResult().equals(WITHDRAWN)) {
                        withdrawn.add(e.accountId());
                    }
                }
                score(openings, dir.resolve("batch-" + (i + 1)), fitted, batchArgs(b));
            }
            openings.get(FirstDeadlineBaseline.RULE).addAll(FirstDeadlineBaseline.openings(enrollments));
            scored.add(new Scored(heldOut, rows, withdrawn, openings, JSON.readTree(dir.resolve("fit").resolve("fit.json").toFile())));
        }
        return scored;
    }

    /** Fit on seed A's realistic-mix history, score on seed B's. */
    private Scored generator(long seedA, long seedB) throws Exception {
        Path a = generate(seedA);
        Path b = generate(seedB);
        Path dir = out.resolve("seed-" + seedA + "-to-" + seedB);
        Path fitted = fit(dir, "--events", a.resolve("history.jsonl").toString(), "--outcomes", a.resolve("outcomes.csv").toString(),
                "--parallelism", Integer.toString(parallelism));
        Map<String, List<Opening>> openings = emptyOpenings();
        openings.remove(FirstDeadlineBaseline.RULE);
        score(openings, dir.resolve("scored"), fitted, List.of("--events", b.resolve("history.jsonl").toString(), "--outcomes",
                b.resolve("outcomes.csv").toString(), "--parallelism", Integer.toString(parallelism)));
        return new Scored("seed " + seedA + " → " + seedB, outcomes(b.resolve("outcomes.csv")), Set.of(), openings,
                JSON.readTree(dir.resolve("fit").resolve("fit.json").toFile()));
    }

    private Path generate(long seed) {
        Path dir = out.resolve("generated-" + seed);
        GeneratorMain.run(new String[] {"--accounts", Integer.toString(accounts), "--seed", Long.toString(seed), "--mix", "realistic",
            "--start", "2025-01-06T00:00:00Z", "--file", dir.resolve("history.jsonl").toString(), "--outcomes", dir.resolve("outcomes.csv").toString()});
        return dir;
    }

    /** backtest --fit with {@code args} into {@code dir}/fit; the fitted model, with risk.budget as asked. */
    private Path fit(Path dir, String... args) throws IOException {
        Path fitted = dir.resolve("fit").resolve("fitted.yaml");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--fit", fitted.toString(), "--out", dir.resolve("fit").toString(), "--target-precision", Double.toString(targetPrecision)));
        backtest(all);
        if (budget) {
            String text = Files.readString(fitted, StandardCharsets.UTF_8);
            if (!text.contains("\n  budget: false\n")) {
                throw new IllegalStateException(fitted + ": no 'budget: false' line to turn on");
            }
            Files.writeString(fitted, text.replace("\n  budget: false\n", "\n  budget: true\n"), StandardCharsets.UTF_8);
        }
        return fitted;
    }

    /**
     * Scores one held-out history with the fitted risk section; the default rule's openings come from
     * that run, or, under the budget (which takes them), from a run of the history's own model.
     */
    private void score(Map<String, List<Opening>> openings, Path dir, Path fitted, List<String> history) throws IOException {
        List<String> withRisk = new ArrayList<>(history);
        withRisk.addAll(List.of("--risk-from", fitted.toString(), "--out", dir.resolve("with-risk").toString()));
        backtest(withRisk);
        List<Opening> found = OuladEvaluation.riskOpenings(dir.resolve("with-risk").resolve("alerts.jsonl"));
        found.stream().filter(o -> o.rule().equals(RISK_RULE)).forEach(openings.get(RISK_RULE)::add);
        if (budget) {
            List<String> plain = new ArrayList<>(history);
            plain.addAll(List.of("--out", dir.resolve("model-only").toString()));
            backtest(plain);
            found = OuladEvaluation.riskOpenings(dir.resolve("model-only").resolve("alerts.jsonl"));
        }
        found.stream().filter(o -> o.rule().equals(DEFAULT_RULE)).forEach(openings.get(DEFAULT_RULE)::add);
    }

    private List<String> batchArgs(Path batch, String... more) {
        List<String> args = new ArrayList<>(List.of("--events", batch.resolve(OuladConvert.EVENTS).toString(), "--outcomes",
                batch.resolve(OuladConvert.OUTCOMES).toString(), "--model", batch.resolve(OuladConvert.MODEL).toString(), "--config",
                batch.resolve(OuladConvert.PROPERTIES).toString(), "--parallelism", Integer.toString(parallelism)));
        args.addAll(List.of(more));
        return args;
    }

    private static void backtest(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.add("--quiet");
        int status = BacktestMain.run(all.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("backtest " + String.join(" ", args) + " failed with exit status " + status);
        }
    }

    private static Map<String, List<Opening>> emptyOpenings() {
        Map<String, List<Opening>> m = new LinkedHashMap<>();
        for (String rule : List.of(RISK_RULE, DEFAULT_RULE, FirstDeadlineBaseline.RULE)) {
            m.put(rule, new ArrayList<>());
        }
        return m;
    }

    private static Path defaultData() {
        String fallback = System.getProperty(OuladArgs.DEFAULT_DATA);
        if (fallback == null) {
            throw new IllegalArgumentException("--data is required: the directory with the OULAD CSV files");
        }
        return Path.of(fallback);
    }

    /** A backtest outcomes file as scorecard rows: missAt is every row's result_at (an achieved row's too: alerts after it do not count). */
    static List<Outcome> outcomes(Path csv) throws IOException {
        List<Outcome> rows = new ArrayList<>();
        CsvMapper mapper = new CsvMapper();
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class).with(CsvSchema.emptySchema().withHeader()).readValues(in)) {
            while (it.hasNextValue()) {
                Map<String, String> r = it.nextValue();
                String at = r.get("result_at");
                long resultAt = at.chars().allMatch(Character::isDigit) ? Long.parseLong(at) : Instant.parse(at).toEpochMilli();
                rows.add(new Outcome(r.get("account_id"), "all", r.get("result").equalsIgnoreCase("missed"), resultAt));
            }
        }
        return rows;
    }

    /** The figures of every held-out set and of all of them pooled (over the pooled rows, not per set). */
    ObjectNode json(String mode, List<Scored> scored, double seconds) {
        ObjectNode j = JSON.createObjectNode();
        j.put("schema_version", 1);
        j.put("generated_at", Instant.now().toString());
        j.put("mode", mode);
        j.put("target_precision", targetPrecision);
        j.put("budget", budget);
        j.put("wall_seconds", Math.round(seconds * 10) / 10.0);
        ArrayNode sets = j.putArray("held_out");
        List<Outcome> allRows = new ArrayList<>();
        Set<String> allWithdrawn = new TreeSet<>();
        Map<String, List<Opening>> allOpenings = new LinkedHashMap<>();
        for (Scored s : scored) {
            ObjectNode set = sets.addObject();
            set.put("name", s.name());
            ObjectNode fit = set.putObject("fit");
            for (String k : List.of("samples", "positives", "accounts", "c", "cv_auc")) {
                fit.set(k, s.fit().get(k));
            }
            fit.set("threshold", s.fit().get("threshold").get("value"));
            fit.set("cv_precision", s.fit().get("threshold").get("cv_precision"));
            fit.set("cv_recall", s.fit().get("threshold").get("cv_recall"));
            set.set("rules", rules(s.rows(), s.withdrawn(), s.openings()));
            allRows.addAll(s.rows());
            allWithdrawn.addAll(s.withdrawn());
            s.openings().forEach((rule, list) -> allOpenings.computeIfAbsent(rule, r -> new ArrayList<>()).addAll(list));
        }
        if (scored.size() > 1) {
            j.set("pooled", rules(allRows, allWithdrawn, allOpenings));
        } else {
            j.putNull("pooled");
        }
        return j;
    }

    static ArrayNode rules(List<Outcome> rows, Set<String> withdrawn, Map<String, List<Opening>> openings) {
        ArrayNode out = JSON.createArrayNode();
        List<Outcome> withdrawnRows = rows.stream().filter(o -> withdrawn.contains(o.accountId())).toList();
        openings.forEach((rule, list) -> {
            Figures f = AlertScorecard.score(rule, rows, list, true);
            ObjectNode r = out.addObject();
            r.put("rule", rule);
            r.put("rows", rows.size());
            r.put("missed", f.missed());
            r.put("warned", f.warned());
            r.put("achieved", f.achieved());
            r.put("achieved_alerted", f.falselyAlerted());
            number(r, "recall", f.warnedShare());
            number(r, "precision", f.precision());
            number(r, "base_rate", f.baseRate());
            number(r, "achieved_alerted_share", f.falseAlertShare());
            number(r, "lead_days_median", f.medianLeadDays());
            number(r, "withdrawn_lead_days_median", withdrawnRows.isEmpty() ? Double.NaN : AlertScorecard.score(rule, withdrawnRows, list, true).medianLeadDays());
        });
        return out;
    }

    private static void number(ObjectNode n, String name, double v) {
        if (Double.isNaN(v)) {
            n.putNull(name);
        } else {
            n.put(name, Math.round(v * 10000) / 10000.0);
        }
    }

    static String markdown(JsonNode j) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Risk evaluation (%s, target precision %s, budget %s), out of sample:%n%n", j.get("mode").asText(),
                j.get("target_precision").asText(), j.get("budget").asText()));
        s.append("| held out | rule | rows | base rate | recall | precision | achieved alerted | median lead (d) | median lead, Withdrawn (d) |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode set : j.get("held_out")) {
            table(s, set.get("name").asText(), set.get("rules"));
        }
        if (!j.get("pooled").isNull()) {
            table(s, "pooled", j.get("pooled"));
        }
        s.append("\nFits (on the data not held out): ");
        List<String> fits = new ArrayList<>();
        for (JsonNode set : j.get("held_out")) {
            JsonNode f = set.get("fit");
            fits.add(String.format(Locale.ROOT, "%s: %d samples, CV AUC %s, threshold %s (CV precision %s, recall %s)", set.get("name").asText(),
                    f.get("samples").asInt(), f.get("cv_auc").asText(), f.get("threshold").asText(), f.get("cv_precision").asText(),
                    f.get("cv_recall").asText()));
        }
        s.append(String.join("; ", fits)).append(".\n");
        return s.toString();
    }

    private static void table(StringBuilder s, String name, JsonNode rules) {
        for (JsonNode r : rules) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s |%n", name, r.get("rule").asText(), r.get("rows").asInt(),
                    percent(r.get("base_rate")), percent(r.get("recall")), percent(r.get("precision")), percent(r.get("achieved_alerted_share")),
                    days(r.get("lead_days_median")), days(r.get("withdrawn_lead_days_median"))));
        }
    }

    private static String percent(JsonNode v) {
        return v == null || v.isNull() ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v.asDouble());
    }

    private static String days(JsonNode v) {
        return v == null || v.isNull() ? "-" : String.format(Locale.ROOT, "%.1f", v.asDouble());
    }
}
