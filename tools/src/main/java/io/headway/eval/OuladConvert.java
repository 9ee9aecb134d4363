package io.headway.eval;

import io.headway.config.CommandLine;
import io.headway.config.HeadwayConfig;
import io.headway.eval.OuladData.Enrollment;
import io.headway.eval.OuladData.Presentation;
import io.headway.model.CustomerModel;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * OULAD as a history any backtest can replay: the dataset's CSV files become, per batch of
 * presentations, the touchpoints of {@link OuladMapping} ({@code events.jsonl.gz}, one JSON object a
 * line in event-time order, exactly what the Kafka topic would carry), the ground truth in the
 * outcomes contract of {@code scripts/backtest.sh} ({@code outcomes.csv}), the customer model
 * ({@code model.yaml}) and the job settings the history needs ({@code headway.properties}).
 *
 * <p>A customer model holds at most {@link CustomerModel#MAX_JOURNEYS} journeys and OULAD has one
 * journey per presentation, so the presentations are cut into batches of at most that many, each a
 * self-contained directory to backtest on its own. Students of different presentations never share
 * an account, so a batch's figures do not depend on which other presentations are in it. With one
 * batch the files go straight into {@code --out}; with more, into {@code --out}/batch-1, batch-2, ...
 *
 * <p>Usage: see {@link #USAGE}. Exit status: 0 done, 1 failed, 2 wrong arguments.
 */
public final class OuladConvert {

    static final String USAGE = "usage: OuladConvert " + OuladArgs.DATASET_USAGE + " --out DIR " + OuladArgs.MODEL_USAGE;

    public static final String EVENTS = "events.jsonl.gz";
    public static final String OUTCOMES = "outcomes.csv";
    public static final String MODEL = "model.yaml";
    public static final String PROPERTIES = "headway.properties";

    /** The slice columns of outcomes.csv after the contract's own, in order. */
    static final List<String> SLICES = List.of(
            "module", "presentation", "final_result", "gender", "region", "highest_education", "imd_band", "age_band",
            "num_of_prev_attempts", "disability");

    public record Options(Path data, Set<String> modules, Path out, OuladMapping.ModelOptions model) {

        public static Options parse(String[] args) {
            OuladArgs a = new OuladArgs(args);
            Path data = a.data();
            Set<String> modules = a.modules();
            OuladMapping.ModelOptions model = a.model();
            String out = a.take("out");
            a.noneLeft();
            if (out == null || out.isBlank()) {
                throw new IllegalArgumentException("--out is required: the directory to write the converted history to");
            }
            return new Options(data, modules, Path.of(out), model);
        }
    }

    /** Presentations that one job (one customer model) runs, and their evaluated enrollments. */
    public record Batch(int number, List<Presentation> presentations, List<Enrollment> enrollments) {

        /** Every touchpoint of the batch, in event-time order (ties by event id: a stable order). */
        public List<OuladMapping.Record> touchpoints() {
            List<OuladMapping.Record> input = new ArrayList<>();
            for (Enrollment e : enrollments) {
                input.addAll(OuladMapping.touchpoints(e));
            }
            input.sort(Comparator.comparingLong(OuladMapping.Record::at).thenComparing(OuladMapping.Record::eventId));
            return input;
        }
    }

    /**
     * How the dataset is cut: the batches, the presentations without dated coursework (no moments of
     * truth, no journey: left out), and how many enrollments were left out (withdrew by day 0, or on
     * such a presentation).
     */
    public record Plan(List<Batch> batches, List<String> presentationsWithoutDeadlines, int leftOut) {

        public static Plan of(OuladData data) {
            List<Presentation> journeys = new ArrayList<>();
            List<String> withoutDeadlines = new ArrayList<>();
            for (Presentation p : data.presentations) {
                if (OuladMapping.milestones(p).isEmpty()) {
                    withoutDeadlines.add(p.id());
                } else {
                    journeys.add(p);
                }
            }
            int leftOut = 0;
            List<Batch> batches = new ArrayList<>();
            for (int from = 0; from < journeys.size(); from += CustomerModel.MAX_JOURNEYS) {
                List<Presentation> chunk = List.copyOf(journeys.subList(from, Math.min(journeys.size(), from + CustomerModel.MAX_JOURNEYS)));
                Set<Presentation> inBatch = Set.copyOf(chunk);
                List<Enrollment> evaluated = new ArrayList<>();
                for (Enrollment e : data.enrollments) {
                    if (!inBatch.contains(e.presentation())) {
                        continue;
                    }
                    if (OuladMapping.evaluated(e)) {
                        evaluated.add(e);
                    } else {
                        leftOut++;
                    }
                }
                batches.add(new Batch(batches.size() + 1, chunk, List.copyOf(evaluated)));
            }
            for (Enrollment e : data.enrollments) {
                if (withoutDeadlines.contains(e.presentation().id())) {
                    leftOut++;
                }
            }
            return new Plan(List.copyOf(batches), List.copyOf(withoutDeadlines), leftOut);
        }
    }

    private OuladConvert() {}

    public static void main(String[] args) {
        Options options = CommandLine.parseOrExit(args, USAGE, Options::parse);
        if (options == null) {
            return;
        }
        try {
            long started = System.nanoTime();
            List<Path> dirs = convert(options);
            System.out.printf(Locale.ROOT, "Converted in %.1f s: %s%n", (System.nanoTime() - started) / 1e9, dirs);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Writes every batch; returns the directories written, one per batch. */
    public static List<Path> convert(Options options) throws IOException {
        OuladData data = OuladData.read(options.data(), options.modules());
        Plan plan = Plan.of(data);
        System.out.printf(Locale.ROOT, "OULAD %s, modules %s: %d presentations in %d batch(es), %,d enrollments left out (withdrew by day 0%s)%n",
                options.data(), options.modules().isEmpty() ? "all" : String.join(",", options.modules()),
                plan.batches().stream().mapToInt(b -> b.presentations().size()).sum(), plan.batches().size(), plan.leftOut(),
                plan.presentationsWithoutDeadlines().isEmpty() ? ""
                        : ", or on a presentation without coursework deadlines " + plan.presentationsWithoutDeadlines());
        return write(plan, options, System.out);
    }

    /**
     * Writes every batch of {@code plan}, reporting each on {@code log}; returns the directories,
     * one per batch: {@code options.out()} itself for one batch, else its {@code batch-N}.
     */
    static List<Path> write(Plan plan, Options options, PrintStream log) throws IOException {
        if (plan.batches().isEmpty()) {
            throw new IllegalArgumentException("no presentations with dated coursework of modules "
                    + (options.modules().isEmpty() ? "(all)" : options.modules()) + " in " + options.data());
        }
        List<Path> dirs = new ArrayList<>();
        for (Batch b : plan.batches()) {
            Path dir = directory(plan, b, options.out());
            int events = write(b, dir, options.model());
            log.printf(Locale.ROOT, "  %s: %s, %,d students, %,d touchpoints%n", dir,
                    b.presentations().stream().map(Presentation::id).toList(), b.enrollments().size(), events);
            dirs.add(dir);
        }
        return dirs;
    }

    static Path directory(Plan plan, Batch batch, Path out) {
        return plan.batches().size() == 1 ? out : out.resolve("batch-" + batch.number());
    }

    /** Writes one batch's four files into {@code dir}; returns the number of touchpoints. */
    static int write(Batch batch, Path dir, OuladMapping.ModelOptions model) throws IOException {
        Files.createDirectories(dir);
        List<OuladMapping.Record> touchpoints = batch.touchpoints();
        try (OutputStream out = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(EVENTS)), 1 << 16))) {
            for (OuladMapping.Record r : touchpoints) {
                out.write(r.json());
                out.write('\n');
            }
        }
        Files.writeString(dir.resolve(OUTCOMES), outcomes(batch.enrollments()), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(MODEL), OuladMapping.customerModel(batch.presentations(), model), StandardCharsets.UTF_8);
        StringBuilder properties = new StringBuilder("# The job settings an OULAD history needs; the customer model is passed as --model "
                + MODEL + ".\n");
        settings().forEach((k, v) -> properties.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve(PROPERTIES), properties.toString(), StandardCharsets.UTF_8);
        return touchpoints.size();
    }

    /**
     * The job settings of an OULAD history apart from the model: the one touchpoint type OULAD adds,
     * event time years before the wall clock accepted, and a run that stops at the first failure.
     */
    static Map<String, String> settings() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(HeadwayConfig.KAFKA_BOOTSTRAP_SERVERS.name(), "unused.invalid:9092");
        raw.put(HeadwayConfig.JOB_NAME.name(), "headway-oulad-evaluation");
        raw.put(HeadwayConfig.VALIDATION_EXTRA_TYPES.name(), OuladMapping.SUBMITTED);
        raw.put(HeadwayConfig.VALIDATION_MAX_PAST.name(), "36500 d");
        raw.put(HeadwayConfig.CHECKPOINT_INTERVAL.name(), "0 s");
        raw.put(HeadwayConfig.RESTART_ATTEMPTS.name(), "0");
        return raw;
    }

    /**
     * The ground truth in the outcomes contract: one row per evaluated student, {@code achieved} for
     * Pass and Distinction at the end of the presentation, {@code missed} for Fail (at the end) and
     * Withdrawn (at the withdrawal), goal {@code pass}, then the slices.
     */
    static String outcomes(List<Enrollment> enrollments) {
        StringBuilder csv = new StringBuilder("account_id,result,result_at,goal_id," + String.join(",", SLICES) + "\n");
        for (Enrollment e : enrollments) {
            List<String> row = new ArrayList<>();
            row.add(e.accountId());
            row.add(e.achieved() ? "achieved" : "missed");
            row.add(Instant.ofEpochMilli(OuladMapping.resultAt(e)).toString());
            row.add(OuladMapping.GOAL_ID);
            row.add(e.presentation().module());
            row.add(e.presentation().id());
            row.add(e.finalResult());
            for (String column : SLICES.subList(3, SLICES.size())) {
                row.add(e.profile().getOrDefault(column, ""));
            }
            csv.append(String.join(",", row.stream().map(OuladConvert::csvField).toList())).append('\n');
        }
        return csv.toString();
    }

    /** RFC 4180: a field with a comma, a quote or a line break goes in quotes, its quotes doubled. */
    static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
