package io.headway.backtest;

import io.headway.backtest.fit.ModelFile;
import io.headway.backtest.fit.RiskFit;
import io.headway.backtest.fit.RiskSampler;
import io.headway.backtest.fit.SamplesCsv;
import io.headway.config.HeadwayConfig;
import io.headway.model.CustomerModel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code backtest.sh --fit OUT.yaml}: one pass of the history with a collection {@code risk:}
 * section (assess only, emit every change), samples before each outcome, the fit, and the model
 * with its fitted section written to OUT.yaml, the figures to {@code fit.json} and the samples to
 * {@code samples.csv} (several runs' samples fit one model with {@code --fit-from-samples})
 * (docs/backtest.md, "Fitting the account risk").
 */
final class FitCommand {

    /** What the fit is asked to do. */
    record Request(Path fitOut, Path out, Sampling sampling, int folds, double targetPrecision, String data) {}

    /** Landmarks every {@code everyDays} days, or (when {@code days} is given) those days before each result. */
    record Sampling(int everyDays, int[] days) {
        static final int DEFAULT_EVERY_DAYS = 7;

        RiskSampler sampler(List<RiskSampler.Outcome> rows) {
            return days == null ? RiskSampler.landmarks(rows, everyDays) : RiskSampler.daysBefore(rows, days);
        }
    }

    static final String SAMPLES_FILE = "samples.csv";

    private final PrintStream stdout;

    FitCommand(PrintStream stdout) {
        this.stdout = stdout;
    }

    /**
     * @param inputYaml the model's text (the user's --model or the bundled one)
     * @param collect the job's configuration with that model and the collection risk section
     */
    void run(Request req, String inputYaml, HeadwayConfig collect, Outcomes outcomes, HistoryFiles files, int parallelism,
            Progress.Factory progress) throws Exception {
        long started = System.nanoTime();
        List<RiskSampler.Outcome> rows = new ArrayList<>();
        outcomes.rows.forEach(r -> rows.add(new RiskSampler.Outcome(r.accountId(), r.missed(), r.resultAt())));
        RiskSampler sampler = req.sampling().sampler(rows);
        BacktestJob.run(collect, files, parallelism, "fit", false, progress, sampler);
        List<RiskSampler.Sample> samples = sampler.samples();
        Files.createDirectories(req.out());
        SamplesCsv.write(req.out().resolve(SAMPLES_FILE), samples);
        fitAndWrite(req, inputYaml, samples, sampler.offered(), rows.size(), started);
    }

    /**
     * {@code --fit-from-samples}: the fit of samples saved by earlier --fit runs (their
     * {@code samples.csv}), without running the job; the same fit and outputs as {@link #run}.
     */
    void runFromSamples(Request req, String inputYaml, List<Path> sampleFiles) throws Exception {
        long started = System.nanoTime();
        List<RiskSampler.Sample> samples = new ArrayList<>();
        for (Path f : sampleFiles) {
            try {
                samples.addAll(SamplesCsv.read(f));
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage());
            }
        }
        Files.createDirectories(req.out());
        fitAndWrite(req, inputYaml, samples, -1, -1, started);
    }

    /** The fit, OUT.yaml (checked to be a model the job reads) and fit.json; riskUpdates and outcomeRows are -1 when unknown. */
    private void fitAndWrite(Request req, String inputYaml, List<RiskSampler.Sample> samples, long riskUpdates, int outcomeRows, long started)
            throws Exception {
        RiskFit.Result fit;
        try {
            fit = RiskFit.fit(samples, req.folds(), req.targetPrecision());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage() + " (" + (riskUpdates < 0 ? "" : riskUpdates + " risk updates, ") + samples.size() + " samples)");
        }
        String at = LocalDate.now(ZoneOffset.UTC).toString();
        String fitted = ModelFile.withRisk(inputYaml, ModelFile.fittedSection(fit, at, req.data()));
        Path name = req.fitOut().getFileName();
        // The job must read what was written: a model it would reject is a bug here, not the user's.
        CustomerModel.parse(fitted, name == null ? req.fitOut().toString() : name.toString());
        Path parent = req.fitOut().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(req.fitOut(), fitted, StandardCharsets.UTF_8);
        ObjectNode json = json(req, fit, samples, riskUpdates, outcomeRows);
        Files.writeString(req.out().resolve("fit.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
        stdout.print(summary(fit, samples.size(), riskUpdates));
        stdout.printf(Locale.ROOT, "Wrote %s and %s in %.1f s. Score it on other data: scripts/backtest.sh --model %s ...%n", req.fitOut(),
                req.out().resolve("fit.json"), (System.nanoTime() - started) / 1e9, req.fitOut());
    }

    static ObjectNode json(Request req, RiskFit.Result fit, List<RiskSampler.Sample> samples, long riskUpdates, int outcomeRows) {
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.put("schema_version", 1);
        j.put("generated_at", Instant.now().toString());
        j.put("model_out", req.fitOut().toString());
        j.put("data", req.data());
        if (req.sampling() == null) {
            j.putNull("sample_every_days");
            j.putNull("sample_days");
        } else if (req.sampling().days() == null) {
            j.put("sample_every_days", req.sampling().everyDays());
            j.putNull("sample_days");
        } else {
            j.putNull("sample_every_days");
            ArrayNode days = j.putArray("sample_days");
            for (int d : req.sampling().days()) {
                days.add(d);
            }
        }
        if (outcomeRows < 0) {
            j.putNull("outcome_rows");
            j.putNull("risk_updates");
        } else {
            j.put("outcome_rows", outcomeRows);
            j.put("risk_updates", riskUpdates);
        }
        j.put("samples", fit.samples());
        j.put("positives", fit.positives());
        j.put("accounts", fit.accounts());
        Map<Integer, Integer> byDays = new TreeMap<>();
        samples.forEach(s -> byDays.merge(s.daysBefore(), 1, Integer::sum));
        ObjectNode bd = j.putObject("samples_by_days_before");
        byDays.forEach((k, v) -> bd.put(String.valueOf(k), v));
        j.put("folds", fit.folds());
        ArrayNode grid = j.putArray("c_grid");
        for (int g = 0; g < RiskFit.C_GRID.length; g++) {
            ObjectNode c = grid.addObject();
            c.put("c", RiskFit.C_GRID[g]);
            Scorecard.number(c, "cv_log_loss", finite(fit.cLogLoss()[g]));
        }
        j.put("c", fit.c());
        Scorecard.number(j, "cv_auc", finite(fit.cvAuc()));
        ObjectNode t = j.putObject("threshold");
        Scorecard.number(t, "value", finite(fit.threshold().threshold()));
        j.put("target_precision", fit.targetPrecision());
        t.put("target_reached", fit.threshold().reached());
        Scorecard.number(t, "cv_precision", finite(fit.threshold().precision()));
        Scorecard.number(t, "cv_recall", finite(fit.threshold().recall()));
        t.put("accounts", fit.threshold().accounts());
        t.put("missed_accounts", fit.threshold().missedAccounts());
        t.put("flagged", fit.threshold().flagged());
        t.put("flagged_missed", fit.threshold().flaggedMissed());
        j.put("intercept", fit.intercept());
        ArrayNode terms = j.putArray("terms");
        for (RiskFit.Term term : fit.terms()) {
            terms.addObject().put("feature", term.feature()).put("weight", term.weight()).put("mean", term.mean()).put("scale", term.scale());
        }
        ArrayNode left = j.putArray("left_out");
        fit.leftOut().forEach(left::add);
        ArrayNode against = j.putArray("against_direction");
        fit.againstDirection().forEach(against::add);
        return j;
    }

    static String summary(RiskFit.Result fit, int samples, long riskUpdates) {
        StringBuilder s = new StringBuilder();
        var t = fit.threshold();
        s.append(String.format(Locale.ROOT, "Fit: %,d samples (%,d missed) of %,d accounts%s; C = %s by %d-fold CV (log-loss).%n",
                samples, fit.positives(), fit.accounts(), riskUpdates < 0 ? "" : String.format(Locale.ROOT, " from %,d risk updates", riskUpdates),
                fit.c(), fit.folds()));
        s.append(String.format(Locale.ROOT, "Cross-validated: AUC %.3f; threshold %.4f flags %d of %d accounts: precision %.3f, recall %.3f.%n",
                fit.cvAuc(), t.threshold(), t.flagged(), t.accounts(), t.precision(), t.recall()));
        if (!t.reached()) {
            s.append(String.format(Locale.ROOT, "No threshold reached the target precision %.2f; the one written has the best precision.%n",
                    fit.targetPrecision()));
        }
        List<RiskFit.Term> byWeight = new ArrayList<>(fit.terms());
        byWeight.sort((a, b) -> Double.compare(Math.abs(b.weight()), Math.abs(a.weight())));
        s.append("Weights (per standard deviation, log-odds of a miss):");
        for (RiskFit.Term term : byWeight) {
            s.append(String.format(Locale.ROOT, " %s %+.2f", term.feature(), term.weight()));
        }
        s.append(String.format(Locale.ROOT, "%n"));
        if (!fit.againstDirection().isEmpty()) {
            s.append("Left out (its weight went against its meaning, an artefact of correlated features): ")
                    .append(String.join(", ", fit.againstDirection())).append(String.format(Locale.ROOT, "%n"));
        }
        if (!fit.leftOut().isEmpty()) {
            s.append("Left out (no value in any sample): ").append(String.join(", ", fit.leftOut())).append(String.format(Locale.ROOT, "%n"));
        }
        return s.toString();
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
