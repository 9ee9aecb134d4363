package io.headway.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.generator.GeneratorMain;
import io.headway.model.CustomerModel;
import io.headway.risk.RiskSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code backtest --fit} end to end on a small generated history: the real MiniCluster and
 * production workflow collect risk updates, the fit writes a model the job reads and fit.json.
 */
class FitITCase {

    @TempDir
    static Path dir;

    static Path fitted;
    static JsonNode fitJson;
    static String stdout;

    @BeforeAll
    static void fit() throws Exception {
        Path history = dir.resolve("history.jsonl");
        Path outcomes = dir.resolve("outcomes.csv");
        GeneratorMain.run(new String[] {"--accounts", "80", "--days", "70", "--seed", "5", "--deteriorating-share", "0.35",
            "--start", "2025-01-06T00:00:00Z", "--file", history.toString(), "--outcomes", outcomes.toString()});
        fitted = dir.resolve("models/fitted.yaml");
        Path out = dir.resolve("out");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = BacktestMain.run(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                "--events", history.toString(), "--outcomes", outcomes.toString(), "--fit", fitted.toString(), "--out", out.toString(),
                "--folds", "3", "--sample-days", "28,14,7", "--quiet");
        stdout = o.toString(StandardCharsets.UTF_8);
        assertThat(status).as("stderr: %s", e.toString(StandardCharsets.UTF_8)).isZero();
        fitJson = new ObjectMapper().readTree(out.resolve("fit.json").toFile());
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("the collection model is removed").containsExactlyInAnyOrder("fit.json", "samples.csv");
        }
    }

    @Test
    void shouldWriteAModelTheJobReads() {
        RiskSettings risk = CustomerModel.load(fitted).risk().orElseThrow();
        assertThat(risk.model().terms()).isNotEmpty();
        assertThat(risk.emitMinChange()).isEqualTo(0.02);
        assertThat(risk.threshold()).isBetween(0.0, 1.0);
        assertThat(risk.fitted().get("samples")).isEqualTo(fitJson.get("samples").asLong());
        assertThat(risk.fitted().get("folds")).isEqualTo(3L);
        assertThat(risk.model().intercept()).isEqualTo(fitJson.get("intercept").asDouble());
    }

    @Test
    void shouldSampleBeforeEachOutcomeAndReportTheCrossValidation() {
        assertThat(fitJson.get("risk_updates").asLong()).isGreaterThan(fitJson.get("samples").asLong());
        assertThat(fitJson.get("samples").asInt()).isGreaterThan(50).isLessThanOrEqualTo(3 * fitJson.get("outcome_rows").asInt());
        assertThat(fitJson.get("positives").asInt()).isPositive().isLessThan(fitJson.get("samples").asInt());
        assertThat(fitJson.get("samples_by_days_before").size()).isEqualTo(3);
        assertThat(fitJson.get("c_grid")).hasSize(4);
        assertThat(fitJson.get("c").asDouble()).isIn(0.01, 0.1, 1.0, 10.0);
        assertThat(fitJson.get("cv_auc").asDouble()).isBetween(0.5, 1.0);
        assertThat(fitJson.get("threshold").get("cv_recall").asDouble()).isBetween(0.0, 1.0);
        assertThat(stdout).contains("Fit: ").contains("Cross-validated: AUC").contains("Weights (per standard deviation");
    }

    @Test
    void shouldFitTheSameFromTheSavedSamples() throws Exception {
        Path again = dir.resolve("again");
        Path samples = dir.resolve("out/samples.csv");
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = BacktestMain.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), "--fit-from-samples", samples.toString(), "--fit",
                again.resolve("fitted.yaml").toString(), "--out", again.toString(), "--folds", "3");
        assertThat(status).as("stderr: %s", e.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode json = new ObjectMapper().readTree(again.resolve("fit.json").toFile());
        assertThat(json.get("samples")).isEqualTo(fitJson.get("samples"));
        assertThat(json.get("intercept")).isEqualTo(fitJson.get("intercept"));
        assertThat(json.get("terms")).isEqualTo(fitJson.get("terms"));
        assertThat(json.get("threshold")).isEqualTo(fitJson.get("threshold"));
        assertThat(json.get("risk_updates").isNull()).isTrue();
        // Two files: every sample twice, the same accounts.
        Path twice = dir.resolve("twice");
        assertThat(BacktestMain.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err, "--fit-from-samples",
                samples + "," + samples, "--fit", twice.resolve("f.yaml").toString(), "--out", twice.toString(), "--folds", "3")).isZero();
        JsonNode two = new ObjectMapper().readTree(twice.resolve("fit.json").toFile());
        assertThat(two.get("samples").asInt()).isEqualTo(2 * fitJson.get("samples").asInt());
        assertThat(two.get("accounts")).isEqualTo(fitJson.get("accounts"));
    }

    @Test
    void shouldScoreWithTheRiskSectionOfAnotherModel() throws Exception {
        // The fitted file is the bundled model with a fitted risk: --risk-from it on the bundled model is the same model.
        Path viaModel = dir.resolve("via-model");
        Path viaRiskFrom = dir.resolve("via-risk-from");
        String[] common = {"--events", dir.resolve("history.jsonl").toString(), "--outcomes", dir.resolve("outcomes.csv").toString(), "--quiet"};
        PrintStream none = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(BacktestMain.run(none, System.err, concat(common, "--model", fitted.toString(), "--out", viaModel.toString()))).isZero();
        assertThat(BacktestMain.run(none, System.err, concat(common, "--risk-from", fitted.toString(), "--out", viaRiskFrom.toString()))).isZero();
        assertThat(Files.readString(viaRiskFrom.resolve("alerts.jsonl"))).isEqualTo(Files.readString(viaModel.resolve("alerts.jsonl")))
                .contains("account-risk");
        JsonNode model = new ObjectMapper().readTree(viaRiskFrom.resolve("scorecard.json").toFile()).get("models").get(0);
        assertThat(model.get("model_path").asText()).isEqualTo("(bundled) with the risk: section of " + fitted);

        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8);
        assertThat(BacktestMain.run(none, err, concat(common, "--risk-from", dir.resolve("outcomes.csv").toString(), "--out",
                dir.resolve("bad").toString()))).isEqualTo(2);
        assertThat(e.toString(StandardCharsets.UTF_8)).contains("no top-level risk: section");
    }

    @Test
    void shouldMarkTheRulesTheRiskBudgetTakes() throws Exception {
        String text = Files.readString(fitted);
        assertThat(text).contains("  budget: false\n");
        Path budget = dir.resolve("budget.yaml");
        Files.writeString(budget, text.replace("  budget: false\n", "  budget: true\n"));
        Path out = dir.resolve("budget");
        assertThat(BacktestMain.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err, "--events",
                dir.resolve("history.jsonl").toString(), "--outcomes", dir.resolve("outcomes.csv").toString(), "--model", budget.toString(),
                "--out", out.toString(), "--quiet")).isZero();
        JsonNode rules = new ObjectMapper().readTree(out.resolve("scorecard.json").toFile()).get("models").get(0).get("rules");
        java.util.Map<String, Boolean> alone = new java.util.TreeMap<>();
        rules.forEach(r -> alone.put(r.get("rule").asText(), r.get("alerts_alone").asBoolean()));
        assertThat(alone).containsEntry("account-risk", true).containsEntry("milestone-overdue", false);
        assertThat(Files.readString(out.resolve("report.html"))).contains("a signal of account_risk (risk.budget)");
    }

    @Test
    void shouldSampleLandmarksByDefault() throws Exception {
        Path out = dir.resolve("landmarks");
        int status = BacktestMain.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err,
                "--events", dir.resolve("history.jsonl").toString(), "--outcomes", dir.resolve("outcomes.csv").toString(),
                "--fit", out.resolve("fitted.yaml").toString(), "--out", out.toString(), "--folds", "3", "--quiet");
        assertThat(status).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("fit.json").toFile());
        assertThat(json.get("sample_every_days").asInt()).isEqualTo(7);
        assertThat(json.get("sample_days").isNull()).isTrue();
        // 70-day journeys, a sample a week of each account's life: several per outcome row.
        assertThat(json.get("samples").asInt()).isGreaterThan(3 * json.get("outcome_rows").asInt());
        assertThat(json.get("samples_by_days_before").size()).isGreaterThan(10);
    }

    @Test
    void shouldRefuseFitOptionsThatDoNotCombine() {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8);
        PrintStream none = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String[] base = {"--events", dir.toString(), "--outcomes", dir.resolve("outcomes.csv").toString(), "--fit", dir.resolve("x.yaml").toString(),
            "--out", dir.resolve("bad").toString()};
        assertThat(BacktestMain.run(none, err, concat(base, "--compare", fitted.toString()))).isEqualTo(2);
        assertThat(BacktestMain.run(none, err, concat(base, "--folds", "1"))).isEqualTo(2);
        assertThat(BacktestMain.run(none, err, concat(base, "--target-precision", "1.5"))).isEqualTo(2);
        assertThat(BacktestMain.run(none, err, concat(base, "--sample-days", "14,x"))).isEqualTo(2);
        assertThat(BacktestMain.run(none, err, concat(base, "--sample-days", "14", "--sample-every", "7"))).isEqualTo(2);
        assertThat(BacktestMain.run(none, err, concat(base, "--sample-every", "0"))).isEqualTo(2);
        assertThat(BacktestMain.run(none, err, concat(base, "--fit-from-samples", dir.resolve("out/samples.csv").toString()))).isEqualTo(2);
        assertThat(BacktestMain.run(none, err, "--fit-from-samples", dir.resolve("outcomes.csv").toString(), "--fit", dir.resolve("x.yaml").toString(),
                "--out", dir.resolve("bad").toString())).isEqualTo(2);
        assertThat(e.toString(StandardCharsets.UTF_8)).contains("--compare and --throughput are for scoring runs")
                .contains("--folds must be at least 2").contains("--target-precision").contains("'x' is not a whole number of days")
                .contains("give one").contains("--sample-every must be at least 1 day")
                .contains("fits saved samples without running the job").contains("outcomes.csv:1: the header must be");
        assertThat(dir.resolve("x.yaml")).doesNotExist();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
