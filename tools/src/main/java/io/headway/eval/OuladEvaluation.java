package io.headway.eval;

import io.headway.backtest.BacktestMain;
import io.headway.config.CommandLine;
import io.headway.eval.AlertScorecard.Figures;
import io.headway.eval.AlertScorecard.Opening;
import io.headway.eval.AlertScorecard.Outcome;
import io.headway.eval.OuladData.Enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Scores Headway's risk alerts against results that really happened, OULAD students on module
 * presentations, as any history is scored: {@link OuladConvert} writes the dataset as touchpoints,
 * outcomes and a customer model per batch of presentations, {@link BacktestMain} replays each batch
 * through the production workflow and writes its {@code scorecard.json}, and this class prints the
 * evaluation's table from the scorecards: overall, per module, for Fail and Withdrawn (the
 * {@code final_result} slice) and per rule.
 *
 * <p>Counts over batches add up. A median does not: with more than one batch the median lead is
 * taken over the pooled rows (the batches' outcomes and the risk openings of their
 * {@code alerts.jsonl}, by the scorecard's definition), after checking that the rows give the
 * scorecards' own count of warned rows.
 *
 * <p>Usage: see {@link #USAGE}; {@code --students FILE} writes one CSV row per student;
 * {@code --out DIR} keeps the converted batches and their backtest output (default: a temporary
 * directory, deleted). Exit status: 0 done, 1 the run failed, 2 wrong arguments.
 */
public final class OuladEvaluation {

    static final String USAGE = "usage: OuladEvaluation " + OuladArgs.DATASET_USAGE + " " + OuladArgs.MODEL_USAGE
            + " [--parallelism 1] [--students FILE.csv] [--out DIR]";

    static final String BACKTEST = "backtest";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Options(Path data, Set<String> modules, OuladMapping.ModelOptions model, int parallelism, Path students, Path out) {

        public static Options parse(String[] args) {
            OuladArgs a = new OuladArgs(args);
            Path data = a.data();
            Set<String> modules = a.modules();
            OuladMapping.ModelOptions model = a.model();
            int parallelism = Integer.parseInt(a.orDefault("parallelism", "1"));
            String students = a.take("students");
            String out = a.take("out");
            a.noneLeft();
            if (parallelism < 1) {
                throw new IllegalArgumentException("--parallelism must be at least 1");
            }
            return new Options(data, modules, model, parallelism, students == null || students.isBlank() ? null : Path.of(students),
                    out == null || out.isBlank() ? null : Path.of(out));
        }
    }

    /** What one evaluation found: the figures, and what the job did with the input. */
    public record Result(
            Figures overall,
            List<Figures> byModule,
            List<Figures> byRule,
            int enrollments,
            int leftOut,
            List<String> presentationsWithoutDeadlines,
            long touchpoints,
            long deadLetters,
            Map<String, Long> lateByReason,
            Map<String, Long> openingsByRule,
            long wins,
            Map<String, Long> firstRiskOpening,
            List<Path> batches) {}

    private OuladEvaluation() {}

    public static void main(String[] args) throws Exception {
        Options options = CommandLine.parseOrExit(args, USAGE, Options::parse);
        if (options == null) {
            return;
        }
        long started = System.nanoTime();
        Result result = run(options);
        System.out.print(report(result, options));
        System.out.printf(Locale.ROOT, "Done in %.1f s.%s%n", (System.nanoTime() - started) / 1e9,
                options.out() == null ? "" : " Scorecards: " + result.batches().stream().map(b -> b.resolve(BACKTEST).resolve("scorecard.json")).toList());
    }

    /** Converts, backtests every batch, and reads the figures back from the scorecards. */
    public static Result run(Options options) throws Exception {
        OuladData data = OuladData.read(options.data(), options.modules());
        OuladConvert.Plan plan = OuladConvert.Plan.of(data);
        Path out = options.out() != null ? options.out() : Files.createTempDirectory("oulad-evaluation-");
        try {
            List<Path> dirs = OuladConvert.write(plan, new OuladConvert.Options(options.data(), options.modules(), out, options.model()), System.out);
            List<JsonNode> scorecards = new ArrayList<>();
            List<Opening> openings = new ArrayList<>();
            for (int i = 0; i < dirs.size(); i++) {
                Path dir = dirs.get(i);
                System.out.printf(Locale.ROOT, "Backtest of batch %d of %d (%s):%n", i + 1, dirs.size(), dir);
                int status = BacktestMain.run("--events", dir.resolve(OuladConvert.EVENTS).toString(),
                        "--outcomes", dir.resolve(OuladConvert.OUTCOMES).toString(),
                        "--model", dir.resolve(OuladConvert.MODEL).toString(),
                        "--config", dir.resolve(OuladConvert.PROPERTIES).toString(),
                        "--parallelism", Integer.toString(options.parallelism()),
                        "--out", dir.resolve(BACKTEST).toString());
                if (status != 0) {
                    throw new IllegalStateException("the backtest of " + dir + " failed with exit status " + status);
                }
                scorecards.add(JSON.readTree(dir.resolve(BACKTEST).resolve("scorecard.json").toFile()));
                openings.addAll(riskOpenings(dir.resolve(BACKTEST).resolve("alerts.jsonl")));
            }
            return result(plan, scorecards, openings, dirs, options.students());
        } finally {
            if (options.out() == null) {
                deleteTree(out);
            }
        }
    }

    static Result result(OuladConvert.Plan plan, List<JsonNode> scorecards, List<Opening> openings, List<Path> dirs, Path students)
            throws IOException {
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, String> results = new HashMap<>();
        for (OuladConvert.Batch b : plan.batches()) {
            for (Enrollment e : b.enrollments()) {
                outcomes.add(OuladMapping.outcome(e));
                results.put(e.accountId(), e.finalResult());
            }
        }
        List<JsonNode> models = scorecards.stream().map(s -> s.get("models").get(0)).toList();
        Figures overall = figures("all", models, m -> m.get("overall"), outcomes, openings);
        List<Figures> byModule = new ArrayList<>();
        for (String module : outcomes.stream().map(Outcome::group).collect(java.util.stream.Collectors.toCollection(TreeSet::new))) {
            byModule.add(figures(module, models, m -> slice(m, "module", module), outcomes.stream().filter(o -> o.group().equals(module)).toList(),
                    openings));
        }
        for (String result : List.of("Fail", "Withdrawn")) {
            byModule.add(figures(result, models, m -> slice(m, "final_result", result),
                    outcomes.stream().filter(o -> results.get(o.accountId()).equals(result)).toList(), openings));
        }
        Map<String, Long> openingsByRule = new TreeMap<>();
        for (JsonNode m : models) {
            for (JsonNode r : m.get("rules")) {
                if (r.get("risk_openings").asLong() > 0) {
                    openingsByRule.merge(r.get("rule").asText(), r.get("risk_openings").asLong(), Long::sum);
                }
            }
        }
        List<Figures> byRule = new ArrayList<>();
        for (String rule : openingsByRule.keySet()) {
            byRule.add(figures(rule, models, m -> rule(m, rule), outcomes, openings.stream().filter(o -> o.rule().equals(rule)).toList()));
        }
        long touchpoints = 0;
        long deadLetters = 0;
        long wins = 0;
        Map<String, Long> lateByReason = new TreeMap<>();
        for (JsonNode s : scorecards) {
            JsonNode run = s.get("run");
            touchpoints += run.get("records_read").asLong();
            deadLetters += run.get("dead_letters").asLong();
            run.path("late_by_reason").fields().forEachRemaining(e -> lateByReason.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        for (JsonNode m : models) {
            for (JsonNode week : m.get("alerts_over_time")) {
                wins += week.get("wins").asLong();
            }
        }
        if (students != null) {
            writeStudents(students, outcomes, results, openings);
        }
        Map<String, Long> firstRiskOpening = new TreeMap<>();
        openings.forEach(o -> firstRiskOpening.merge(o.accountId(), o.openedAt(), Math::min));
        return new Result(overall, byModule, byRule, outcomes.size(), plan.leftOut(), plan.presentationsWithoutDeadlines(), touchpoints, deadLetters,
                lateByReason, openingsByRule, wins, firstRiskOpening, dirs);
    }

    /**
     * One row of the table: the counts summed over the batches' scorecards (a batch without such
     * rows contributes nothing); the median lead from the only scorecard that has the rows, else
     * over the pooled rows.
     */
    static Figures figures(String name, List<JsonNode> models, Function<JsonNode, JsonNode> select, List<Outcome> rows, List<Opening> openings) {
        int missed = 0;
        int warned = 0;
        int twoWeeks = 0;
        int achieved = 0;
        int alerted = 0;
        List<JsonNode> present = new ArrayList<>();
        for (JsonNode m : models) {
            JsonNode f = select.apply(m);
            if (f == null || f.get("rows").asInt() == 0) {
                continue;
            }
            present.add(f);
            missed += f.get("missed").asInt();
            warned += f.get("warned").asInt();
            twoWeeks += f.get("warned_14d_ahead").asInt();
            achieved += f.get("achieved").asInt();
            alerted += f.get("achieved_alerted").asInt();
        }
        double median;
        if (present.size() == 1) {
            JsonNode m = present.get(0).get("lead_days_median");
            median = m == null || m.isNull() ? Double.NaN : m.asDouble();
        } else {
            Figures pooled = AlertScorecard.score(name, rows, openings);
            if (pooled.warned() != warned || pooled.missed() != missed) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s: the scorecards count %d missed and %d warned, the pooled rows %d and %d", name, missed, warned, pooled.missed(),
                        pooled.warned()));
            }
            median = pooled.medianLeadDays();
        }
        return new Figures(name, missed, warned, median, twoWeeks, achieved, alerted);
    }

    private static JsonNode slice(JsonNode model, String column, String value) {
        for (JsonNode s : model.get("slices")) {
            if (s.get("column").asText().equals(column) && s.get("value").asText().equals(value)) {
                return s.get("overall");
            }
        }
        return null;
    }

    private static JsonNode rule(JsonNode model, String rule) {
        for (JsonNode r : model.get("rules")) {
            if (r.get("rule").asText().equals(rule)) {
                return r;
            }
        }
        return null;
    }

    /** The risk openings (kind risk, reason fired) of an alerts.jsonl file. */
    static List<Opening> riskOpenings(Path alerts) throws IOException {
        List<Opening> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(alerts, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode a = JSON.readTree(line);
                if (a.get("kind").asText().equals("risk") && a.get("reason").asText().equals("fired")
                        && a.path("model").asText("model").equals("model")) {
                    out.add(new Opening(a.get("account_id").asText(), a.get("rule").asText(), Instant.parse(a.get("opened_at").asText()).toEpochMilli()));
                }
            }
        }
        return out;
    }

    /**
     * One CSV row per evaluated student, to look behind the figures: the result, when it was missed,
     * the first risk alert before or after it (time and rule) and the lead in days.
     */
    static void writeStudents(Path file, List<Outcome> outcomes, Map<String, String> results, List<Opening> openings)
            throws IOException {
        Map<String, Opening> first = new HashMap<>();
        for (Opening o : openings) {
            first.merge(o.accountId(), o, (a, b) -> b.openedAt() < a.openedAt() ? b : a);
        }
        StringBuilder csv = new StringBuilder("account_id,module,final_result,missed,miss_at,first_risk_alert_at,first_risk_rule,lead_days\n");
        List<Outcome> sorted = new ArrayList<>(outcomes);
        sorted.sort(Comparator.comparing(Outcome::accountId));
        for (Outcome o : sorted) {
            Opening f = first.get(o.accountId());
            csv.append(o.accountId()).append(',').append(o.group()).append(',').append(results.get(o.accountId())).append(',')
                    .append(o.missed()).append(',')
                    .append(o.missed() ? Instant.ofEpochMilli(o.missAt()).toString() : "").append(',')
                    .append(f == null ? "" : Instant.ofEpochMilli(f.openedAt()).toString()).append(',')
                    .append(f == null ? "" : f.rule()).append(',')
                    .append(f == null || !o.missed() ? "" : String.format(Locale.ROOT, "%.2f", (o.missAt() - f.openedAt()) / AlertScorecard.DAY_MS))
                    .append('\n');
        }
        Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String report(Result r, Options options) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "OULAD evaluation (%s, modules %s, rules %s, %d days of grace, min_missed %d, %s): %,d enrollments evaluated (%,d left out: withdrew by day 0%s),"
                        + " %,d touchpoints, %,d dead letters, not applied %s; %,d risk alerts opened %s, %,d wins%n",
                options.data(), options.modules().isEmpty() ? "all" : String.join(",", options.modules()),
                String.join(",", options.model().rules()), options.model().graceDays(), options.model().minMissed(),
                options.model().behindBeforeDays() != null ? "behind_before " + options.model().behindBeforeDays() + " d"
                        : "behind_share " + options.model().behindShare(),
                r.enrollments(), r.leftOut(),
                r.presentationsWithoutDeadlines().isEmpty() ? "" : ", or on a presentation without coursework deadlines "
                        + r.presentationsWithoutDeadlines(),
                r.touchpoints(), r.deadLetters(), r.lateByReason(),
                r.openingsByRule().values().stream().mapToLong(Long::longValue).sum(), r.openingsByRule(), r.wins()));
        s.append(String.format(Locale.ROOT, "%-22s %8s %16s %10s %14s %9s %18s %10s %9s%n",
                "slice", "missed", "warned before", "median", "warned >=14 d", "achieved", "alerted anyway", "precision", "base rate"));
        s.append(row(r.overall()));
        for (Figures f : r.byModule()) {
            s.append(row(f));
        }
        for (Figures f : r.byRule()) {
            s.append(row(f));
        }
        return s.toString();
    }

    private static String row(Figures f) {
        return String.format(Locale.ROOT, "%-22s %8d %8d %7s %8.1f d %7d %6s %9d %8d %7s %10s %9s%n",
                f.name(), f.missed(), f.warned(), percent(f.warnedShare()), f.medianLeadDays(), f.warnedTwoWeeksAhead(),
                percent(f.missed() == 0 ? Double.NaN : (double) f.warnedTwoWeeksAhead() / f.missed()), f.achieved(), f.falselyAlerted(),
                percent(f.falseAlertShare()), f.achieved() == 0 ? "-" : percent(f.precision()), f.achieved() == 0 ? "-" : percent(f.baseRate()));
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
