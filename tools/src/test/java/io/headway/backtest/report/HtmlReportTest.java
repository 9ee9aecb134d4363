package io.headway.backtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

/**
 * Renders the hand-written backtest outputs under {@code backtest/report/} and reads the page back as a
 * browser would (jsoup): self-contained, every plot drawn, every figure equal to scorecard.json,
 * nothing undefined shown as NaN, nothing from the data interpreted as HTML.
 *
 * <p>The fixtures: {@code basic} (one model, a rule that never fired), {@code comparison} (a shadow
 * model whose milestone-overdue threshold is lower), {@code slices} (plan and region), {@code undefined}
 * (nobody missed, hostile ids and paths, a NaN, broken alert lines).
 */
class HtmlReportTest {

    private static final String[] FIXTURES = {"basic", "comparison", "slices", "undefined"};
    private static final Set<String> PLOTS = Set.of("precision-recall", "lead-time", "alerts-over-time");
    private static final String PNG_PREFIX = "data:image/png;base64,";

    /**
     * The numbers of scorecard.json the page does not show, on purpose: histogram bin bounds (they are
     * the column headers), the per-rule "fired first" maps (the overall one is shown per rule), the
     * slices' secondary figures (a slice reads as sentences), and the compared model's histograms and
     * weekly counts (its plots are the A/B comparison).
     */
    private static final List<Pattern> NOT_SHOWN = List.of(
            Pattern.compile(".*/lead_days_histogram/\\d+/(from|to)"),
            Pattern.compile("/models/\\d+/(rules|rule_versions)/\\d+/fired_first/.*"),
            Pattern.compile("/models/\\d+/rule_versions/\\d+/lead_days_histogram/.*"),
            Pattern.compile("/models/\\d+/slices/\\d+/(overall|rules/\\d+)/"
                    + "(rows|lead_days_p25|lead_days_p75|warned_14d_ahead|warned_14d_ahead_share|achieved_alerted_share|risk_openings"
                    + "|lead_days_histogram/.*|fired_first/.*)"),
            Pattern.compile("/models/[1-9]\\d*/(overall|rules/\\d+)/lead_days_histogram/.*"),
            Pattern.compile("/models/[1-9]\\d*/alerts_over_time/.*"));

    /** Each fixture is rendered once for all tests: drawing the plots is the slow part. */
    @TempDir
    static Path rendered;

    private static final Map<String, Path> RENDERED = new HashMap<>();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"basic", "comparison", "slices", "undefined"})
    void shouldNeedNothingFromTheNetwork(String fixture) throws Exception {
        Document page = render(fixture);
        String raw = raw(fixture);

        assertThat(page.select("link, script, iframe, object, embed, base, meta[http-equiv]")).isEmpty();
        for (Element e : page.select("[src]")) {
            assertThat(e.attr("src")).startsWith(PNG_PREFIX);
        }
        for (Element e : page.select("[href]")) {
            assertThat(e.attr("href")).startsWith("#");
        }
        assertThat(page.select("style").html()).doesNotContain("url(").doesNotContain("@import");
        assertThat(raw).doesNotContain("http://").doesNotContain("https://");
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "comparison", "slices", "undefined"})
    void shouldDrawEveryPlotAsAnEmbeddedPng(String fixture) throws Exception {
        Document page = render(fixture);
        Set<String> expected = new HashSet<>(PLOTS);
        if (fixture.equals("comparison")) {
            expected.add("comparison");
        }

        Set<String> drawn = new HashSet<>();
        for (Element img : page.select("img[data-plot]")) {
            drawn.add(img.attr("data-plot"));
            assertThat(img.attr("src")).startsWith(PNG_PREFIX);
            byte[] png = Base64.getDecoder().decode(img.attr("src").substring(PNG_PREFIX.length()));
            assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
            assertThat(png.length).as("bytes of plot %s", img.attr("data-plot")).isGreaterThan(20_000);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image.getWidth()).isGreaterThanOrEqualTo(ReportCharts.WIDTH);
            assertThat(image.getHeight()).isGreaterThanOrEqualTo(ReportCharts.HEIGHT);
            assertThat(colours(image)).as("distinct colours in plot %s", img.attr("data-plot")).isGreaterThan(10);
            assertThat(img.attr("alt")).isNotBlank();
        }
        assertThat(drawn).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "comparison", "slices", "undefined"})
    void shouldShowEveryFigureAsInTheJson(String fixture) throws Exception {
        Document page = render(fixture);
        JsonNode exact = HtmlReport.reader().readTree(fixture(fixture).resolve(HtmlReport.SCORECARD).toFile());
        // Read the plain way too (doubles), so the check does not rest on the report's own reader.
        JsonNode plain = new ObjectMapper().readTree(
                Files.readString(fixture(fixture).resolve(HtmlReport.SCORECARD)).replace("\"NaN\"", "null"));

        List<Element> figures = page.select("[data-field]");
        assertThat(figures).hasSizeGreaterThan(20);
        for (Element fig : figures) {
            String field = fig.attr("data-field");
            String value = fig.attr("data-value");
            JsonNode node = exact.at(field);
            if (!node.isNumber()) {
                assertThat(value).as(field).isEqualTo("null");
                assertThat(fig.text()).as(field).isEqualTo(Html.UNDEFINED);
                assertThat(plain.at(field).isMissingNode() || plain.at(field).isNull()).as(field).isTrue();
                continue;
            }
            assertThat(value).as(field).isEqualTo(node.asText());
            assertThat(new BigDecimal(value)).as(field).isEqualByComparingTo(new BigDecimal(plain.at(field).asText()));
            assertThat(fig.text()).as(field).matches("[0-9,]+(\\.[0-9]+)?%?");
            assertThat(shown(fig.text())).as("%s shows %s", field, value)
                    .isCloseTo(new BigDecimal(value), org.assertj.core.data.Offset.offset(roundingOf(fig.text())));
        }

        Set<String> shown = new HashSet<>();
        figures.forEach(f -> shown.add(f.attr("data-field")));
        List<String> missing = new ArrayList<>();
        numbers(exact, "", missing);
        missing.removeIf(p -> shown.contains(p) || NOT_SHOWN.stream().anyMatch(n -> n.matcher(p).matches()));
        assertThat(missing).as("numbers of scorecard.json not on the page").isEmpty();
    }

    @Test
    void shouldSayWhatTheRulesDidInPlainWords() throws Exception {
        Document page = render("basic");

        Element overall = page.selectFirst("#summary tr.overall td");
        assertThat(overall.text()).isEqualTo("Of the 5 customers who missed their result, the rules together warned 4 (80.0%), "
                + "a median of 15.0 days ahead; they also alerted 2 of the 7 who succeeded; when they alert, they are right 66.7% "
                + "of the time (alerting everyone: 41.7%); they add 0.35 alerts per account per month.");
        Element neverFired = page.select("#summary tbody tr").get(3);
        assertThat(neverFired.selectFirst("th").text()).startsWith("goal-at-risk");
        assertThat(neverFired.selectFirst("td").text()).isEqualTo("Of the 5 customers who missed their result, this rule warned 0 "
                + "(0.0%), a median of — days ahead; it also alerted 0 of the 7 who succeeded; when it alerts, it is right — of the "
                + "time (alerting everyone: 41.7%); it adds 0.00 alerts per account per month.");
        assertThat(figureAt(page, "/models/0/overall/warned_14d_ahead_share").attr("data-value")).isEqualTo("0.50");
    }

    @Test
    void shouldSayWhenARuleOpensNoAlertOfItsOwn() throws Exception {
        Path out = Files.createDirectory(rendered.resolve("budget"));
        copy("basic", out);
        ObjectMapper json = new ObjectMapper();
        JsonNode card = json.readTree(out.resolve(HtmlReport.SCORECARD).toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) card.path("models").get(0).path("rules").get(2)).put("alerts_alone", false);
        json.writeValue(out.resolve(HtmlReport.SCORECARD).toFile(), card);
        HtmlReport.write(out);
        Document page = Jsoup.parse(out.resolve(HtmlReport.REPORT).toFile(), "UTF-8");

        List<Element> rows = page.select("#summary tbody tr");
        assertThat(rows.get(3).selectFirst("th").text()).contains("a signal of account_risk (risk.budget), no alerts of its own");
        assertThat(rows.get(2).selectFirst("th").text()).doesNotContain("signal of account_risk");
    }

    @Test
    void shouldShowTheRunBlockAndFieldsItDoesNotKnow() throws Exception {
        String run = render("basic").selectFirst("#run").text();

        assertThat(run).contains("records read 1,250", "dead letters 7", "INVALID_JSON 4", "MISSING_ACCOUNT 3",
                "accounts with an outcome but no events 1", "for example acc-12", "accounts with events but no outcome 2",
                "acc-90, acc-91", "parse_floor_events_per_second 900.5", "engine minicluster",
                "headway.kafka.password ****");
    }

    @Test
    void shouldCompareOnlyWhenAskedAndMarkTheRulesThatChanged() throws Exception {
        assertThat(render("basic").select("#comparison, img[data-plot=comparison]")).isEmpty();

        Document page = render("comparison");
        List<String> changed = page.select("#comparison tr.changed th").eachText();
        assertThat(changed).containsExactly("All rules together", "milestone-overdue");
        Element row = page.select("#comparison tr.changed").get(1);
        assertThat(row.select("td").get(1).text()).isEqualTo("40.0% → 60.0% (+20.0 pts)");
        assertThat(page.select("#comparison h2").text()).isEqualTo("A/B comparison: model against compare");
    }

    @Test
    void shouldReadEverySliceInPlainWords() throws Exception {
        Document page = render("slices");

        assertThat(page.select("#slices h3").eachText()).containsExactly("plan = pro", "plan = starter", "region = eu", "region = us");
        assertThat(page.select("#slices tr.overall td").get(2).text()).startsWith("Of the 4 customers who missed their result, "
                + "the rules together warned 3 (75.0%)");
        assertThat(page.select("#slices tr.overall td").get(3).text()).startsWith("Of the 1 customer who missed their result");
    }

    @Test
    void shouldShowUndefinedFiguresAsADashAndNeverNaN() throws Exception {
        for (String fixture : FIXTURES) {
            String text = render(fixture).text();
            assertThat(text).as(fixture).doesNotContain("NaN").doesNotContain("Infinity");
        }
        Document page = render("undefined");
        assertThat(figureAt(page, "/models/0/overall/recall").text()).isEqualTo("—");
        assertThat(figureAt(page, "/models/0/overall/lead_days_p25").attr("data-value")).isEqualTo("null");
        assertThat(figureAt(page, "/run/events_per_second").text()).isEqualTo("—");
    }

    @Test
    void shouldEscapeEveryStringFromTheData() throws Exception {
        Document page = render("undefined");
        String raw = raw("undefined");

        assertThat(page.select("script")).isEmpty();
        assertThat(page.select("img:not([data-plot])")).isEmpty();
        assertThat(page.select("i")).isEmpty();
        for (Element e : page.getAllElements()) {
            for (Attribute a : e.attributes()) {
                assertThat(a.getKey()).as("attribute of <%s>", e.tagName()).doesNotStartWith("on");
            }
        }
        assertThat(raw).doesNotContain("<script").doesNotContain("<img src=x");
        String text = page.text();
        assertThat(text).contains("<script>alert(1)</script>", "<script>alert(3)</script>.jsonl",
                "\"><img src=x onerror=alert(4)>.csv", "headway.a/b~c", "</code><script>alert(5)</script>", "<b>odd</b>/reason 3",
                "<i>plan</i> = a&b <script>alert(7)</script>", "\"><img src=x onerror=alert(8)>");
        // A key with '/' and '~' still points at its figure.
        assertThat(figureAt(page, "/run/dead_letters_by_reason/<b>odd<~1b>~1reason").attr("data-value")).isEqualTo("3");
    }

    @Test
    void shouldCountAlertLinesItCannotRead() throws Exception {
        assertThat(render("undefined").selectFirst("#alerts").text()).contains("2 of its 3 lines could not be read.");
        assertThat(render("basic").selectFirst("#alerts").text()).doesNotContain("could not be read");
    }

    @Test
    void shouldShowOneExampleAlertPerRuleAndTheMostAlertedAccounts() throws Exception {
        Document page = render("comparison");

        List<Element> tables = page.select("#alerts table");
        assertThat(tables.get(0).select("tbody th").eachText()).containsExactly("silence", "milestone-overdue", "goal-at-risk");
        // The compared model's extra alerts (acc-08, acc-09) are not the model's run.
        assertThat(tables.get(1).select("tbody tr td:eq(0)").eachText())
                .containsExactly("acc-01", "acc-02", "acc-03", "acc-04", "acc-05", "acc-06", "acc-07");
        assertThat(tables.get(1).select("tbody tr").get(0).text()).isEqualTo("acc-01 2 milestone-overdue, silence");
    }

    @Test
    void shouldWriteTheReportWhenRunOnItsOwn() throws Exception {
        copy("basic", dir);
        HtmlReport.main(new String[] {dir.toString()});

        assertThat(Jsoup.parse(dir.resolve(HtmlReport.REPORT).toFile(), "UTF-8").title()).isEqualTo("Headway backtest report");
    }

    private static Document render(String fixture) throws IOException, URISyntaxException {
        return Jsoup.parse(report(fixture).toFile(), StandardCharsets.UTF_8.name());
    }

    private static String raw(String fixture) throws IOException, URISyntaxException {
        return Files.readString(report(fixture));
    }

    private static synchronized Path report(String fixture) throws IOException, URISyntaxException {
        Path out = RENDERED.get(fixture);
        if (out == null) {
            out = Files.createDirectory(rendered.resolve(fixture));
            copy(fixture, out);
            HtmlReport.write(out);
            RENDERED.put(fixture, out);
        }
        return out.resolve(HtmlReport.REPORT);
    }

    private static void copy(String fixture, Path to) throws IOException, URISyntaxException {
        for (String file : new String[] {HtmlReport.SCORECARD, HtmlReport.ALERTS}) {
            Files.copy(fixture(fixture).resolve(file), to.resolve(file));
        }
    }

    /** The figure at {@code pointer}: looked up by attribute value, as a pointer may hold any character. */
    private static Element figureAt(Document page, String pointer) {
        List<Element> found = page.select("[data-field]").stream().filter(e -> e.attr("data-field").equals(pointer)).toList();
        assertThat(found).as(pointer).isNotEmpty();
        return found.get(0);
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(HtmlReportTest.class.getResource("/backtest/report/" + name + "/" + HtmlReport.SCORECARD).toURI()).getParent();
    }

    /** The number a reader sees: "41.7%" is 0.417, "1,250" is 1250. */
    private static BigDecimal shown(String text) {
        String digits = text.replace(",", "").replace("%", "");
        BigDecimal n = new BigDecimal(digits);
        return text.endsWith("%") ? n.movePointLeft(2) : n;
    }

    /** Half a unit of the last digit shown: how far a correctly rounded figure may be from the JSON. */
    private static BigDecimal roundingOf(String text) {
        BigDecimal unit = BigDecimal.ONE.movePointLeft(Math.max(0, new BigDecimal(text.replace(",", "").replace("%", "")).scale()));
        unit = text.endsWith("%") ? unit.movePointLeft(2) : unit;
        return unit.divide(BigDecimal.valueOf(2));
    }

    /** The JSON Pointer of every number under {@code node}. */
    private static void numbers(JsonNode node, String at, List<String> out) {
        if (node.isNumber()) {
            out.add(at);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                numbers(node.get(i), Html.pointer(at, i), out);
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                numbers(e.getValue(), Html.pointer(at, e.getKey()), out);
            }
        }
    }

    /** Distinct colours on a coarse grid: a blank or one-colour image has one or two. */
    private static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
