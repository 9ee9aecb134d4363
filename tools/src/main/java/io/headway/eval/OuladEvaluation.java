package io.headway.eval;

import io.headway.HeadwayJob;
import io.headway.PipelineSettings;
import io.headway.WorkflowSinks;
import io.headway.config.CommandLine;
import io.headway.config.ConfigException;
import io.headway.config.HeadwayConfig;
import io.headway.eval.AlertScorecard.Figures;
import io.headway.eval.AlertScorecard.Opening;
import io.headway.eval.AlertScorecard.Outcome;
import io.headway.eval.OuladData.Enrollment;
import io.headway.eval.OuladData.Presentation;
import io.headway.ingest.TouchpointSource;
import io.headway.schema.Alert;
import io.headway.schema.IngestedRecord;
import io.headway.schema.LateTouchpoint;

import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Scores Headway's risk alerts against results that really happened: OULAD students on module
 * presentations ({@link OuladMapping}) run through the production workflow
 * ({@link HeadwayJob#defineWorkflow}, production parser, a customer model generated for the
 * presentations and validated like any other) on a MiniCluster in this JVM; then, of the students
 * who failed or withdrew, the share warned before the miss and how early, and of those who passed,
 * the share alerted anyway ({@link AlertScorecard}).
 *
 * <p>Usage: see {@link #USAGE}; {@code --students FILE} writes one CSV row per student.
 * {@code DIR} holds the dataset's CSV files (the repository never contains them; CI has them at
 * {@code ../shared/data/oulad}). Exit status: 0 done, 1 the run failed, 2 wrong arguments.
 */
public final class OuladEvaluation {

    static final String USAGE = "usage: OuladEvaluation " + OuladArgs.DATASET_USAGE + " " + OuladArgs.MODEL_USAGE
            + " [--parallelism 1] [--students FILE.csv]";

    public record Options(Path data, Set<String> modules, OuladMapping.ModelOptions model, int parallelism, Path students) {

        public static Options parse(String[] args) {
            OuladArgs a = new OuladArgs(args);
            Path data = a.data();
            Set<String> modules = a.modules();
            OuladMapping.ModelOptions model = a.model();
            int parallelism = Integer.parseInt(a.orDefault("parallelism", "1"));
            String students = a.take("students");
            a.noneLeft();
            if (parallelism < 1) {
                throw new IllegalArgumentException("--parallelism must be at least 1");
            }
            return new Options(data, modules, model, parallelism, students == null || students.isBlank() ? null : Path.of(students));
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
            int touchpoints,
            int deadLetters,
            Map<String, Integer> lateByReason,
            Map<String, Integer> openingsByRule,
            int wins,
            Map<String, Long> firstRiskOpening) {}

    private OuladEvaluation() {}

    public static void main(String[] args) throws Exception {
        Options options = CommandLine.parseOrExit(args, USAGE, Options::parse);
        if (options == null) {
            return;
        }
        long started = System.nanoTime();
        Result result = run(options);
        System.out.print(report(result, options));
        System.out.printf("Done in %.1f s.%n", (System.nanoTime() - started) / 1e9);
    }

    public static Result run(Options options) throws Exception {
        OuladData data = OuladData.read(options.data(), options.modules());
        if (data.presentations.isEmpty()) {
            throw new IllegalArgumentException("no presentations of modules " + options.modules() + " in " + options.data());
        }
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, String> results = new HashMap<>();
        List<Opening> openings = new ArrayList<>();
        Map<String, Integer> openingsByRule = new LinkedHashMap<>();
        int touchpoints = 0;
        int deadLetters = 0;
        Map<String, Integer> lateByReason = new TreeMap<>();
        int wins = 0;
        OuladConvert.Plan plan = OuladConvert.Plan.of(data);
        for (OuladConvert.Batch batch : plan.batches()) {
            for (Enrollment e : batch.enrollments()) {
                outcomes.add(OuladMapping.outcome(e));
                results.put(e.accountId(), e.finalResult());
            }
            List<OuladMapping.Record> input = batch.touchpoints();
            touchpoints += input.size();
            List<Alert> alerts = runJob(batch.presentations(), input, options);
            deadLetters += CollectingSink.collected(CollectingSink.Output.DEAD_LETTERS).size();
            for (LateTouchpoint l : CollectingSink.<LateTouchpoint>collected(CollectingSink.Output.LATE)) {
                lateByReason.merge(l.getReason().toString(), 1, Integer::sum);
            }
            for (Alert a : alerts) {
                if (a.getReason().toString().equals("won")) {
                    wins++;
                }
                if (a.getKind().toString().equals("risk") && a.getReason().toString().equals("fired")) {
                    openings.add(new Opening(a.getAccountId().toString(), a.getRule().toString(), a.getOpenedAt()));
                    openingsByRule.merge(a.getRule().toString(), 1, Integer::sum);
                }
            }
        }
        Figures overall = AlertScorecard.score("all", outcomes, openings);
        List<Figures> byModule = new ArrayList<>();
        for (String module : outcomes.stream().map(Outcome::group).collect(Collectors.toCollection(TreeSet::new))) {
            byModule.add(AlertScorecard.score(module, outcomes.stream().filter(o -> o.group().equals(module)).toList(), openings));
        }
        for (String result : List.of("Fail", "Withdrawn")) {
            Set<String> accounts = results.entrySet().stream().filter(e -> e.getValue().equals(result)).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            byModule.add(AlertScorecard.score(result, outcomes.stream().filter(o -> accounts.contains(o.accountId())).toList(), openings));
        }
        List<Figures> byRule = new ArrayList<>();
        for (String rule : new TreeSet<>(openingsByRule.keySet())) {
            byRule.add(AlertScorecard.score(rule, outcomes, openings.stream().filter(o -> o.rule().equals(rule)).toList()));
        }
        if (options.students() != null) {
            writeStudents(options.students(), outcomes, results, openings);
        }
        Map<String, Long> firstRiskOpening = new TreeMap<>();
        openings.forEach(o -> firstRiskOpening.merge(o.accountId(), o.openedAt(), Math::min));
        return new Result(overall, byModule, byRule, outcomes.size(), plan.leftOut(), plan.presentationsWithoutDeadlines(), touchpoints, deadLetters, lateByReason, openingsByRule, wins,
                firstRiskOpening);
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

    /** One job over one batch of presentations; returns every alert record it emitted. */
    static List<Alert> runJob(List<Presentation> batch, List<OuladMapping.Record> input, Options options) throws Exception {
        Path model = Files.createTempFile("oulad-customer-model-", ".yaml");
        try {
            Files.writeString(model, OuladMapping.customerModel(batch, options.model()), StandardCharsets.UTF_8);
            HeadwayConfig config = config(model);
            EvaluationInput.install(input);
            CollectingSink.clear();
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(options.parallelism(), HeadwayJob.engineConfiguration(config));
            DataGeneratorSource<IngestedRecord> source = new DataGeneratorSource<>(
                    new EvaluationInput.Replay(TouchpointSource.parser(config, Clock.systemUTC())),
                    input.size(),
                    RateLimiterStrategy.noOp(),
                    new AvroTypeInfo<>(IngestedRecord.class));
            HeadwayJob.defineWorkflow(
                    env,
                    source,
                    PipelineSettings.from(config),
                    WorkflowSinks.create()
                            .alerts(s -> s.sinkTo(new CollectingSink<>(CollectingSink.Output.ALERTS)).uid("collect-alerts").name("Collect alerts"))
                            .deadLetters(s -> s.sinkTo(new CollectingSink<>(CollectingSink.Output.DEAD_LETTERS))
                                    .uid("collect-dead-letters").name("Collect dead letters"))
                            .late(s -> s.sinkTo(new CollectingSink<>(CollectingSink.Output.LATE)).uid("collect-late").name("Collect late")));
            env.execute("headway-oulad-evaluation");
            return CollectingSink.collected(CollectingSink.Output.ALERTS);
        } finally {
            Files.deleteIfExists(model);
        }
    }

    /** The job configuration: production defaults, the generated model, the one extra type, years-old event time. */
    static HeadwayConfig config(Path model) {
        Map<String, String> raw = new LinkedHashMap<>(OuladConvert.settings());
        raw.put(HeadwayConfig.MODEL_PATH.name(), model.toString());
        return HeadwayConfig.of(raw, Map.of());
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
                r.openingsByRule().values().stream().mapToInt(Integer::intValue).sum(), r.openingsByRule(), r.wins()));
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
