package io.headway.backtest.report;

import static io.headway.backtest.report.Html.escape;
import static io.headway.backtest.report.Html.figure;
import static io.headway.backtest.report.Html.pointer;
import static io.headway.backtest.report.Html.text;

import io.headway.backtest.report.Html.Format;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The backtest's report: reads {@code scorecard.json} and {@code alerts.jsonl} from a backtest output
 * directory and writes {@code report.html} beside them, one self-contained file (inline CSS, plots as
 * {@code data:} PNG images, no script, nothing fetched when it opens) for a CS lead to read and an
 * engineer to check.
 *
 * <p>Every number on the page is a figure of scorecard.json rendered once, in a
 * {@code <span data-field="JSON Pointer" data-value="the JSON number">} (see {@link Html}), so a test
 * or a reader can check the page against the JSON; the only numbers that are not are the changes
 * in the A/B table ({@code data-derived}, the compared model's figure minus the model's) and the
 * per-account counts of alerts.jsonl. Undefined figures (0/0, no lead time) read "—". Every string
 * from the data is escaped.
 *
 * <p>Usage: {@code HtmlReport DIR}. Exit status: 0 written, 1 the files could not be read or written,
 * 2 wrong arguments.
 */
public final class HtmlReport {

    static final String USAGE = "usage: HtmlReport DIR  (a backtest output directory with scorecard.json and alerts.jsonl)";
    public static final String SCORECARD = "scorecard.json";
    public static final String ALERTS = "alerts.jsonl";
    public static final String REPORT = "report.html";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Figures of one FIGURES object, in the order of the full table: key, header, format. */
    private static final List<Column> FIGURE_COLUMNS = List.of(
            new Column("rows", "outcome rows", Format.COUNT),
            new Column("missed", "missed", Format.COUNT),
            new Column("achieved", "achieved", Format.COUNT),
            new Column("base_rate", "base rate", Format.SHARE),
            new Column("warned", "warned", Format.COUNT),
            new Column("recall", "recall", Format.SHARE),
            new Column("lead_days_median", "median lead (days)", Format.DAYS),
            new Column("lead_days_p25", "lead p25", Format.DAYS),
            new Column("lead_days_p75", "lead p75", Format.DAYS),
            new Column("warned_14d_ahead", "warned ≥ 14 d ahead", Format.COUNT),
            new Column("warned_14d_ahead_share", "share ≥ 14 d", Format.SHARE),
            new Column("achieved_alerted", "achieved, alerted", Format.COUNT),
            new Column("achieved_alerted_share", "share alerted", Format.SHARE),
            new Column("precision", "precision", Format.SHARE),
            new Column("risk_openings", "risk openings", Format.COUNT),
            new Column("alerts_per_account_per_30d", "alerts / account / 30 d", Format.RATE));

    /** The DIFF fields of the comparison, in table order. */
    private static final List<Column> DIFF_COLUMNS = List.of(
            new Column("recall", "recall", Format.SHARE),
            new Column("precision", "precision", Format.SHARE),
            new Column("achieved_alerted_share", "achieved, alerted anyway", Format.SHARE),
            new Column("lead_days_median", "median lead (days)", Format.DAYS),
            new Column("alerts_per_account_per_30d", "alerts / account / 30 d", Format.RATE));

    /** The run block's figures the page names; any other scalar 12a adds is shown after them as it is. */
    private static final List<Column> RUN_FIGURES = List.of(
            new Column("records_read", "records read", Format.COUNT),
            new Column("valid", "valid records", Format.COUNT),
            new Column("dead_letters", "dead letters", Format.COUNT),
            new Column("duplicates", "duplicates", Format.COUNT),
            new Column("late", "late (behind the watermark)", Format.COUNT),
            new Column("accounts_in_events", "accounts in the events", Format.COUNT),
            new Column("accounts_in_outcomes", "accounts in the outcomes", Format.COUNT),
            new Column("outcome_accounts_without_events", "accounts with an outcome but no events", Format.COUNT),
            new Column("event_accounts_without_outcomes", "accounts with events but no outcome", Format.COUNT),
            new Column("wall_seconds", "wall time (s)", Format.DECIMAL),
            new Column("events_per_second", "events per second", Format.DECIMAL),
            new Column("cpu_ns_per_event", "CPU ns per event", Format.DECIMAL));

    private static final Set<String> RUN_SHOWN_APART = Set.of(
            "events", "outcomes", "config", "dead_letters_by_reason", "first_event_at", "last_event_at",
            "outcome_accounts_without_events_sample", "event_accounts_without_outcomes_sample");

    private record Column(String key, String header, Format format) {}

    private final JsonNode scorecard;
    private final AlertDigest alerts;
    private final ReportCharts charts;
    private final StringBuilder out = new StringBuilder(1 << 20);

    private HtmlReport(JsonNode scorecard, AlertDigest alerts) {
        this.scorecard = scorecard;
        this.alerts = alerts;
        Set<String> rules = new LinkedHashSet<>();
        for (JsonNode model : scorecard.path("models")) {
            model.path("rules").forEach(r -> rules.add(r.path("rule").asText()));
        }
        this.charts = new ReportCharts(rules);
    }

    public static void main(String[] args) {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        try {
            write(dir);
        } catch (IOException | RuntimeException e) {
            System.err.println("could not write " + dir.resolve(REPORT) + ": " + e.getMessage());
            System.exit(1);
        }
        System.out.println("wrote " + dir.resolve(REPORT));
    }

    /** Reads {@code outDir/scorecard.json} and {@code outDir/alerts.jsonl}, writes {@code outDir/report.html}. */
    public static void write(Path outDir) throws IOException {
        ObjectMapper json = reader();
        Path scorecardFile = outDir.resolve(SCORECARD);
        JsonNode scorecard = json.readTree(scorecardFile.toFile());
        if (scorecard == null || !scorecard.isObject() || !scorecard.path("models").isArray()) {
            throw new IOException(scorecardFile + " is not a scorecard: no \"models\" array");
        }
        AlertDigest alerts = AlertDigest.read(outDir.resolve(ALERTS), json);
        HtmlReport report = new HtmlReport(scorecard, alerts);
        Files.writeString(outDir.resolve(REPORT), report.render(), StandardCharsets.UTF_8);
    }

    /**
     * Keeps each JSON number as written (0.50 stays 0.50) so {@code data-value} is the exact JSON text;
     * tolerates NaN, which the page then shows as undefined.
     */
    static ObjectMapper reader() {
        return JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
    }

    private String render() throws IOException {
        JsonNode models = scorecard.path("models");
        JsonNode comparison = scorecard.path("comparison");
        boolean compared = comparison.isObject();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Headway backtest report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header();
        nav(compared);
        for (int m = 0; m < models.size(); m++) {
            summary(models.get(m), pointer("/models", m));
        }
        if (models.size() > 0) {
            plots(models.get(0), pointer("/models", 0));
        }
        if (compared) {
            comparison(comparison);
        }
        slices();
        for (int m = 0; m < models.size(); m++) {
            allFigures(models.get(m), pointer("/models", m));
        }
        exampleAlerts();
        run(scorecard.path("run"));
        definitions();
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private void header() {
        JsonNode run = scorecard.path("run");
        out.append("<header>\n<h1>Backtest report</h1>\n<p class=\"lede\">What Headway's rules would have said, replayed on ")
                .append("<code>").append(text(run.path("events"))).append("</code>, scored against the results in <code>")
                .append(text(run.path("outcomes"))).append("</code>. Events from ").append(text(run.path("first_event_at")))
                .append(" to ").append(text(run.path("last_event_at"))).append(".</p>\n<p class=\"small\">Models: ");
        JsonNode models = scorecard.path("models");
        for (int m = 0; m < models.size(); m++) {
            out.append(m == 0 ? "" : "; ").append("<b>").append(text(models.get(m).path("label"))).append("</b> <code>")
                    .append(text(models.get(m).path("model_path"))).append("</code>");
        }
        out.append(". Generated ").append(text(scorecard.path("generated_at"))).append(", scorecard schema version ")
                .append(figure(scorecard, "", "schema_version", Format.COUNT)).append(".</p>\n</header>\n");
    }

    private void nav(boolean compared) {
        out.append("<nav><a href=\"#summary\">In plain words</a> · <a href=\"#plots\">Plots</a> · ");
        if (compared) {
            out.append("<a href=\"#comparison\">A/B comparison</a> · ");
        }
        out.append("<a href=\"#slices\">Slices</a> · <a href=\"#figures\">All figures</a> · <a href=\"#alerts\">Example alerts</a> · ")
                .append("<a href=\"#run\">The run</a> · <a href=\"#definitions\">Definitions</a></nav>\n");
    }

    // ---------------------------------------------------------------- in plain words

    private void summary(JsonNode model, String at) {
        boolean first = at.equals("/models/0");
        out.append("<section").append(first ? " id=\"summary\"" : "").append(">\n<h2>In plain words: ")
                .append(modelName(model)).append("</h2>\n");
        out.append("<table class=\"summary\">\n<thead><tr><th>Rule</th><th>What it would have done</th>")
                .append("<th>Lead time, middle half (days)</th><th>Warned ≥ 14 days ahead</th><th>Fired first</th></tr></thead>\n<tbody>\n");
        String overallAt = pointer(at, "overall");
        summaryRow(model.path("overall"), overallAt, null, model.path("overall"), overallAt);
        JsonNode rules = model.path("rules");
        for (int r = 0; r < rules.size(); r++) {
            summaryRow(rules.get(r), pointer(pointer(at, "rules"), r), rules.get(r).path("rule").asText(), model.path("overall"), overallAt);
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    /** One row: the plain-words sentence, then the figures a sentence would drown in. {@code rule} null: all rules. */
    private void summaryRow(JsonNode f, String at, String rule, JsonNode overall, String overallAt) {
        out.append("<tr").append(rule == null ? " class=\"overall\"" : "").append("><th scope=\"row\">");
        if (rule == null) {
            out.append("All rules together");
        } else {
            out.append(ruleName(rule)).append("<div class=\"small\">").append(text(f.path("kind")));
            if (f.path("alerts_alone").isBoolean() && !f.path("alerts_alone").asBoolean()) {
                // Its zeros would otherwise read as a rule that never matched.
                out.append("<br>a signal of account_risk (risk.budget), no alerts of its own");
            }
            out.append("</div>");
        }
        out.append("</th><td>").append(sentence(f, at, rule == null)).append("</td><td>")
                .append(Html.isUndefined(f.path("lead_days_p25")) && Html.isUndefined(f.path("lead_days_p75"))
                        ? Html.UNDEFINED
                        : figure(f, at, "lead_days_p25", Format.DAYS) + " – " + figure(f, at, "lead_days_p75", Format.DAYS))
                .append("</td><td>").append(figure(f, at, "warned_14d_ahead", Format.COUNT)).append(" (")
                .append(figure(f, at, "warned_14d_ahead_share", Format.SHARE)).append(")</td><td>");
        String firstAt = pointer(overallAt, "fired_first");
        if (rule == null) {
            Iterator<Map.Entry<String, JsonNode>> fired = overall.path("fired_first").fields();
            List<String> parts = new ArrayList<>();
            while (fired.hasNext()) {
                Map.Entry<String, JsonNode> e = fired.next();
                parts.add(escape(e.getKey()) + ": " + figure(e.getValue(), pointer(firstAt, e.getKey()), Format.COUNT));
            }
            out.append(parts.isEmpty() ? Html.UNDEFINED : String.join("<br>", parts));
        } else {
            out.append(figure(overall.path("fired_first"), firstAt, rule, Format.COUNT)).append(" <span class=\"small\">customers</span>");
        }
        out.append("</td></tr>\n");
    }

    /**
     * "Of the N customers who missed their result, this rule warned M (x %), a median of D days ahead;
     * it also alerted K of the L who succeeded; when it alerts, it is right P % of the time (alerting
     * everyone: B %); it adds A alerts per account per month."
     */
    static String sentence(JsonNode f, String at, boolean overall) {
        String who = overall ? "the rules together" : "this rule";
        String it = overall ? "they" : "it";
        String customers = f.path("missed").asLong(0) == 1 ? " customer" : " customers";
        return "Of the " + figure(f, at, "missed", Format.COUNT) + customers + " who missed their result, " + who + " warned "
                + figure(f, at, "warned", Format.COUNT) + " (" + figure(f, at, "recall", Format.SHARE) + "), a median of "
                + figure(f, at, "lead_days_median", Format.DAYS) + " days ahead; " + it + " also alerted "
                + figure(f, at, "achieved_alerted", Format.COUNT) + " of the " + figure(f, at, "achieved", Format.COUNT)
                + " who succeeded; when " + it + (overall ? " alert, they are" : " alerts, it is") + " right "
                + figure(f, at, "precision", Format.SHARE) + " of the time (alerting everyone: " + figure(f, at, "base_rate", Format.SHARE)
                + "); " + it + (overall ? " add " : " adds ") + figure(f, at, "alerts_per_account_per_30d", Format.RATE)
                + " alerts per account per month.";
    }

    // ---------------------------------------------------------------- plots

    private void plots(JsonNode model, String at) throws IOException {
        out.append("<section id=\"plots\">\n<h2>Plots: ").append(modelName(model)).append("</h2>\n");

        ReportCharts.Plot pr = charts.precisionRecall(model);
        plot("precision-recall", pr, "Precision against recall, one point per rule; the square is all rules together. The dashed "
                + "line is the base rate: a rule below it is right less often than alerting every customer would be. Up and to the "
                + "right is better.");

        ReportCharts.Plot lead = charts.leadTimes(model);
        plot("lead-time", lead, "How many days before the miss the first warning came, for the misses that were warned.");
        leadTimeTable(model, at);

        ReportCharts.Plot weekly = charts.alertsOverTime(model);
        plot("alerts-over-time", weekly, "Risk alerts opened each week (weeks start on the date shown), stacked by rule: "
                + "the load a CS team would have carried.");
        weeklyTable(model, at);
        out.append("</section>\n");
    }

    private void plot(String name, ReportCharts.Plot plot, String caption) {
        out.append("<figure>\n<img data-plot=\"").append(name).append("\" width=\"").append(ReportCharts.WIDTH)
                .append("\" alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(plot.png())).append("\">\n<figcaption>").append(escape(caption));
        if (!plot.leftOut().isEmpty()) {
            out.append(" Not plotted (undefined figures): ");
            out.append(String.join(", ", plot.leftOut().stream().map(Html::escape).toList())).append('.');
        }
        out.append("</figcaption>\n</figure>\n");
    }

    private void leadTimeTable(JsonNode model, String at) {
        out.append("<details><summary>The lead-time counts</summary>\n<table class=\"num\">\n<thead><tr><th>Rule</th>");
        for (JsonNode bin : model.path("overall").path("lead_days_histogram")) {
            out.append("<th>").append(escape(ReportCharts.binLabel(bin))).append(" days</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        histogramRow("All rules together", model.path("overall"), pointer(at, "overall"));
        JsonNode rules = model.path("rules");
        for (int r = 0; r < rules.size(); r++) {
            histogramRow(ruleName(rules.get(r).path("rule").asText()), rules.get(r), pointer(pointer(at, "rules"), r));
        }
        out.append("</tbody>\n</table>\n</details>\n");
    }

    private void histogramRow(String name, JsonNode f, String at) {
        out.append("<tr><th scope=\"row\">").append(name).append("</th>");
        JsonNode bins = f.path("lead_days_histogram");
        String binsAt = pointer(at, "lead_days_histogram");
        for (int b = 0; b < bins.size(); b++) {
            out.append("<td>").append(figure(bins.get(b), pointer(binsAt, b), "count", Format.COUNT)).append("</td>");
        }
        out.append("</tr>\n");
    }

    private void weeklyTable(JsonNode model, String at) {
        JsonNode weeks = model.path("alerts_over_time");
        Set<String> rules = new LinkedHashSet<>();
        model.path("rules").forEach(r -> rules.add(r.path("rule").asText()));
        weeks.forEach(w -> w.path("by_rule").fieldNames().forEachRemaining(rules::add));
        out.append("<details><summary>The weekly counts (").append(weeks.size()).append(" weeks)</summary>\n<table class=\"num\">\n")
                .append("<thead><tr><th>Week from</th><th>risk alerts opened</th><th>wins</th>");
        rules.forEach(r -> out.append("<th>").append(ruleName(r)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        String weeksAt = pointer(at, "alerts_over_time");
        for (int w = 0; w < weeks.size(); w++) {
            JsonNode week = weeks.get(w);
            String weekAt = pointer(weeksAt, w);
            out.append("<tr><th scope=\"row\">").append(text(week.path("week_start"))).append("</th><td>")
                    .append(figure(week, weekAt, "risk_opened", Format.COUNT)).append("</td><td>")
                    .append(figure(week, weekAt, "wins", Format.COUNT)).append("</td>");
            for (String rule : rules) {
                out.append("<td>").append(figure(week.path("by_rule"), pointer(weekAt, "by_rule"), rule, Format.COUNT)).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</details>\n");
    }

    // ---------------------------------------------------------------- A/B

    private void comparison(JsonNode comparison) throws IOException {
        JsonNode models = scorecard.path("models");
        out.append("<section id=\"comparison\">\n<h2>A/B comparison: ").append(modelName(models.path(0))).append(" against ")
                .append(modelName(models.path(1))).append("</h2>\n");
        plot("comparison", charts.comparison(comparison), "Recall (top) and precision (bottom) per rule: dark bars the model, "
                + "light bars the compared model, on the same history.");
        out.append("<div class=\"wide\"><table class=\"num diff\">\n<thead><tr><th>Rule</th><th>Changed</th>");
        DIFF_COLUMNS.forEach(c -> out.append("<th>").append(escape(c.header())).append("<div class=\"small\">model → compare (change)</div></th>"));
        out.append("</tr></thead>\n<tbody>\n");
        diffRow("All rules together", comparison.path("overall"), "/comparison/overall");
        JsonNode rules = comparison.path("rules");
        for (int r = 0; r < rules.size(); r++) {
            diffRow(ruleName(rules.get(r).path("rule").asText()), rules.get(r), pointer("/comparison/rules", r));
        }
        out.append("</tbody>\n</table></div>\n</section>\n");
    }

    private void diffRow(String name, JsonNode diff, String at) {
        boolean changed = diff.path("changed").asBoolean(false);
        out.append("<tr").append(changed ? " class=\"changed\"" : "").append("><th scope=\"row\">").append(name).append("</th><td>")
                .append(changed ? "changed" : "same").append("</td>");
        for (Column c : DIFF_COLUMNS) {
            JsonNode pair = diff.path(c.key());
            String pairAt = pointer(at, c.key());
            if (Html.isUndefined(pair.path(0)) && Html.isUndefined(pair.path(1))) {
                out.append("<td>").append(Html.UNDEFINED).append("</td>");
                continue;
            }
            out.append("<td>").append(figure(pair.path(0), pointer(pairAt, 0), c.format())).append(" → ")
                    .append(figure(pair.path(1), pointer(pairAt, 1), c.format())).append(' ')
                    .append(change(pair.path(0), pair.path(1), c.format())).append("</td>");
        }
        out.append("</tr>\n");
    }

    /** The compared model's figure minus the model's: shares in percentage points. Derived, so marked apart. */
    private static String change(JsonNode a, JsonNode b, Format format) {
        if (Html.isUndefined(a) || Html.isUndefined(b)) {
            return "<span class=\"delta\" data-derived=\"b-a\">(" + Html.UNDEFINED + ")</span>";
        }
        double d = b.decimalValue().subtract(a.decimalValue()).doubleValue();
        if (d == 0) {
            return "<span class=\"delta\" data-derived=\"b-a\">(no change)</span>";
        }
        String text = switch (format) {
            case SHARE -> String.format(Locale.ROOT, "%+.1f pts", d * 100);
            case DAYS -> String.format(Locale.ROOT, "%+.1f", d);
            default -> String.format(Locale.ROOT, "%+.2f", d);
        };
        return "<span class=\"delta\" data-derived=\"b-a\">(" + text + ")</span>";
    }

    // ---------------------------------------------------------------- slices

    private void slices() {
        JsonNode models = scorecard.path("models");
        out.append("<section id=\"slices\">\n<h2>Slices</h2>\n");
        boolean any = false;
        for (int m = 0; m < models.size(); m++) {
            JsonNode slices = models.get(m).path("slices");
            if (slices.isEmpty()) {
                continue;
            }
            any = true;
            String slicesAt = pointer(pointer("/models", m), "slices");
            for (int s = 0; s < slices.size(); s++) {
                JsonNode slice = slices.get(s);
                String sliceAt = pointer(slicesAt, s);
                out.append("<h3>").append(text(slice.path("column"))).append(" = ").append(text(slice.path("value")));
                if (models.size() > 1) {
                    out.append(" <span class=\"small\">(").append(modelName(models.get(m))).append(")</span>");
                }
                out.append("</h3>\n<table class=\"summary\">\n<tbody>\n<tr class=\"overall\"><th scope=\"row\">All rules together</th><td>")
                        .append(sentence(slice.path("overall"), pointer(sliceAt, "overall"), true)).append("</td></tr>\n");
                JsonNode rules = slice.path("rules");
                for (int r = 0; r < rules.size(); r++) {
                    out.append("<tr><th scope=\"row\">").append(ruleName(rules.get(r).path("rule").asText())).append("</th><td>")
                            .append(sentence(rules.get(r), pointer(pointer(sliceAt, "rules"), r), false)).append("</td></tr>\n");
                }
                out.append("</tbody>\n</table>\n");
            }
        }
        if (!any) {
            out.append("<p>No slices: the outcomes file has no column beyond account_id, result, result_at and goal_id.</p>\n");
        }
        out.append("</section>\n");
    }

    // ---------------------------------------------------------------- all figures

    /**
     * Every FIGURES figure of a model in one wide table: the summary's figures again (the same JSON
     * fields, so the same values) beside those the sentences leave out, per rule and per rule version.
     */
    private void allFigures(JsonNode model, String at) {
        boolean first = at.equals("/models/0");
        out.append("<section").append(first ? " id=\"figures\"" : "").append(">\n<h2>All figures: ").append(modelName(model))
                .append("</h2>\n<div class=\"wide\"><table class=\"num\">\n<thead><tr><th>Rule</th><th>version</th>");
        FIGURE_COLUMNS.forEach(c -> out.append("<th>").append(escape(c.header())).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        figuresRow("All rules together", null, model.path("overall"), pointer(at, "overall"));
        JsonNode rules = model.path("rules");
        for (int r = 0; r < rules.size(); r++) {
            figuresRow(ruleName(rules.get(r).path("rule").asText()), null, rules.get(r), pointer(pointer(at, "rules"), r));
        }
        JsonNode versions = model.path("rule_versions");
        for (int v = 0; v < versions.size(); v++) {
            String versionAt = pointer(pointer(at, "rule_versions"), v);
            figuresRow(ruleName(versions.get(v).path("rule").asText()), figure(versions.get(v), versionAt, "rule_version", Format.COUNT),
                    versions.get(v), versionAt);
        }
        out.append("</tbody>\n</table></div>\n</section>\n");
    }

    private void figuresRow(String name, String version, JsonNode f, String at) {
        out.append("<tr><th scope=\"row\">").append(name).append("</th><td>").append(version == null ? "all" : version).append("</td>");
        for (Column c : FIGURE_COLUMNS) {
            out.append("<td>").append(figure(f, at, c.key(), c.format())).append("</td>");
        }
        out.append("</tr>\n");
    }

    // ---------------------------------------------------------------- alerts.jsonl

    private void exampleAlerts() {
        out.append("<section id=\"alerts\">\n<h2>Example alerts</h2>\n");
        if (!alerts.present) {
            out.append("<p>No ").append(ALERTS).append(" beside the scorecard.</p>\n</section>\n");
            return;
        }
        out.append("<p>What a CS team would have seen: the first risk alert of each rule in the model's run, from <code>")
                .append(ALERTS).append("</code>.");
        if (alerts.unreadable > 0) {
            out.append(" <b>").append(alerts.unreadable).append(" of its ").append(alerts.lines).append(" lines could not be read.</b>");
        }
        out.append("</p>\n");
        if (alerts.exampleByRule.isEmpty()) {
            out.append("<p>No risk alert opened.</p>\n</section>\n");
            return;
        }
        out.append("<table>\n<thead><tr><th>Rule</th><th>Account</th><th>Opened</th><th>Severity</th><th>Headline</th><th>Why</th><th>Recommended action</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, JsonNode> e : alerts.exampleByRule.entrySet()) {
            JsonNode a = e.getValue();
            out.append("<tr><th scope=\"row\">").append(ruleName(e.getKey())).append("</th><td><code>").append(text(a.path("account_id")))
                    .append("</code></td><td>").append(time(a.path("opened_at"))).append("</td><td>").append(text(a.path("severity")))
                    .append("</td><td>").append(text(a.path("headline"))).append("</td><td>").append(text(a.path("explanation").path("text")))
                    .append("</td><td>").append(text(a.path("recommended_action"))).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n<h3>The most alerted accounts</h3>\n<p>Risk alerts opened per account in the model's run (")
                .append(alerts.accountsAlerted()).append(" accounts had at least one).</p>\n<table>\n<thead><tr><th>Account</th>")
                .append("<th>risk alerts opened</th><th>rules</th></tr></thead>\n<tbody>\n");
        for (AlertDigest.AccountLoad load : alerts.topAccounts()) {
            out.append("<tr><td><code>").append(escape(load.accountId())).append("</code></td><td class=\"n\">").append(load.openings())
                    .append("</td><td>").append(String.join(", ", load.rules().stream().map(Html::escape).toList())).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    private static String time(JsonNode epochMs) {
        return epochMs.canConvertToLong() ? TIME.format(Instant.ofEpochMilli(epochMs.asLong())) : text(epochMs);
    }

    // ---------------------------------------------------------------- the run

    private void run(JsonNode run) {
        out.append("<section id=\"run\">\n<h2>The run</h2>\n<table class=\"kv\">\n<tbody>\n");
        kv("events", "<code>" + text(run.path("events")) + "</code>");
        kv("outcomes", "<code>" + text(run.path("outcomes")) + "</code>");
        kv("first event", text(run.path("first_event_at")));
        kv("last event", text(run.path("last_event_at")));
        for (Column c : RUN_FIGURES) {
            kv(c.header(), figure(run, "/run", c.key(), c.format()));
            if (c.key().equals("dead_letters")) {
                Iterator<Map.Entry<String, JsonNode>> reasons = run.path("dead_letters_by_reason").fields();
                while (reasons.hasNext()) {
                    Map.Entry<String, JsonNode> e = reasons.next();
                    kv("<span class=\"indent\">" + escape(e.getKey()) + "</span>",
                            figure(e.getValue(), pointer("/run/dead_letters_by_reason", e.getKey()), Format.COUNT));
                }
            } else if (c.key().endsWith("_without_events") || c.key().endsWith("_without_outcomes")) {
                List<String> sample = new ArrayList<>();
                run.path(c.key() + "_sample").forEach(id -> sample.add("<code>" + text(id) + "</code>"));
                if (!sample.isEmpty()) {
                    kv("<span class=\"indent\">for example</span>", String.join(", ", sample));
                }
            }
        }
        Set<String> named = new LinkedHashSet<>(RUN_SHOWN_APART);
        RUN_FIGURES.forEach(c -> named.add(c.key()));
        Iterator<Map.Entry<String, JsonNode>> fields = run.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (named.contains(e.getKey()) || e.getValue().isContainerNode()) {
                continue;
            }
            kv(escape(e.getKey()), e.getValue().isNumber()
                    ? figure(e.getValue(), pointer("/run", e.getKey()), Format.DECIMAL)
                    : text(e.getValue()));
        }
        out.append("</tbody>\n</table>\n<h3>Configuration</h3>\n");
        JsonNode config = run.path("config");
        if (config.isEmpty()) {
            out.append("<p>No settings beyond the defaults.</p>\n");
        } else {
            out.append("<table class=\"kv\">\n<tbody>\n");
            config.fields().forEachRemaining(e -> kv("<code>" + escape(e.getKey()) + "</code>", "<code>" + text(e.getValue()) + "</code>"));
            out.append("</tbody>\n</table>\n");
        }
        out.append("</section>\n");
    }

    private void kv(String keyHtml, String valueHtml) {
        out.append("<tr><th scope=\"row\">").append(keyHtml).append("</th><td>").append(valueHtml).append("</td></tr>\n");
    }

    // ---------------------------------------------------------------- definitions

    private void definitions() {
        out.append("<section id=\"definitions\">\n<h2>Definitions</h2>\n<dl>\n")
                .append("<dt>customer</dt><dd>One row of the outcomes file: an account and its result, achieved or missed, at a time.</dd>\n")
                .append("<dt>warned</dt><dd>A customer who missed, with a risk alert opened for the account strictly before the miss. ")
                .append("The lead time is from the first such alert to the miss.</dd>\n")
                .append("<dt>alerted anyway</dt><dd>A customer who achieved, with a risk alert opened at or before the result.</dd>\n")
                .append("<dt>recall</dt><dd>warned ÷ missed.</dd>\n")
                .append("<dt>precision</dt><dd>warned ÷ (warned + alerted anyway): when the rule alerts, how often it is right.</dd>\n")
                .append("<dt>base rate</dt><dd>missed ÷ all customers: the precision of alerting everyone. A rule is useful above it.</dd>\n")
                .append("<dt>alerts per account per month</dt><dd>Risk alerts opened ÷ account-days observed × 30: the load a CS team carries.</dd>\n")
                .append("<dt>fired first</dt><dd>Among the customers warned or alerted, how many had this rule's alert first.</dd>\n")
                .append("<dt>").append(Html.UNDEFINED).append("</dt><dd>Undefined: nothing to divide by (no misses, no alerts), or no lead time.</dd>\n")
                .append("</dl>\n<p class=\"small\">Every figure on this page is read from <code>").append(SCORECARD)
                .append("</code>; each carries its JSON Pointer in <code>data-field</code>.</p>\n</section>\n");
    }

    private static String modelName(JsonNode model) {
        return text(model.path("label"));
    }

    private static String ruleName(String rule) {
        return "<span class=\"rule\">" + escape(rule) + "</span>";
    }

    private static final String CSS = """
            body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
                   max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
            h1 { margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
            nav { position: sticky; top: 0; background: #fff; padding: .4rem 0; border-bottom: 1px solid #eee; font-size: .9rem; }
            a { color: #2b5d8a; }
            .lede { font-size: 1.05rem; } .small { font-size: .8rem; color: #666; }
            table { border-collapse: collapse; margin: .6rem 0; }
            th, td { border: 1px solid #ddd; padding: .3rem .5rem; vertical-align: top; text-align: left; }
            thead th { background: #f4f4f4; font-weight: 600; }
            table.summary td { max-width: 42rem; }
            tr.overall { background: #f7f9fc; font-weight: 500; }
            table.num td, td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tr.changed { background: #fff6e0; }
            .delta { color: #666; font-size: .85rem; }
            .fig { font-variant-numeric: tabular-nums; }
            .rule { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; }
            .wide { overflow-x: auto; }
            .indent { padding-left: 1.2rem; font-weight: normal; }
            table.kv th { font-weight: normal; color: #444; }
            figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { font-size: .9rem; color: #444; margin-top: .3rem; }
            details { margin: .3rem 0 1.2rem; } summary { cursor: pointer; color: #2b5d8a; }
            code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88em; word-break: break-all; }
            dt { font-weight: 600; margin-top: .4rem; }
            """;
}
