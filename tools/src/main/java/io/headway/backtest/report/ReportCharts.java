package io.headway.backtest.report;

import com.fasterxml.jackson.databind.JsonNode;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.SimpleTimePeriod;
import org.jfree.data.time.TimeTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;

/**
 * The report's plots, drawn by JFreeChart into PNG images. Each rule keeps one colour in every plot;
 * "all rules" is drawn in near-black.
 */
final class ReportCharts {

    static {
        // Before any AWT class loads: a report is made on servers and in CI, with no display.
        System.setProperty("java.awt.headless", "true");
    }

    /** Logical size of a plot in CSS pixels; images are drawn at twice that for sharp text on dense screens. */
    static final int WIDTH = 960;
    static final int HEIGHT = 480;
    private static final int SCALE = 2;

    static final String OVERALL = "all rules";
    private static final Color OVERALL_COLOUR = new Color(0x22, 0x22, 0x22);
    /** Tableau 10: distinct for up to ten rules, then repeated. */
    private static final Color[] PALETTE = {
        new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x76b7b2), new Color(0x59a14f),
        new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7), new Color(0x9c755f), new Color(0xbab0ac)
    };
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final double DAY_MS = 86_400_000.0;

    /** A rendered plot and the series it had to leave out (undefined figures), for the caption. */
    record Plot(byte[] png, List<String> leftOut) {}

    private final Map<String, Color> colours = new LinkedHashMap<>();

    /** Rules in the order their colours are given: the first model's rules, then any others met. */
    ReportCharts(Iterable<String> ruleIds) {
        for (String rule : ruleIds) {
            colourOf(rule);
        }
    }

    Color colourOf(String rule) {
        return colours.computeIfAbsent(rule, r -> PALETTE[colours.size() % PALETTE.length]);
    }

    /**
     * Precision (y) against recall (x), one labelled point per rule plus all rules together, and the
     * base rate as a horizontal line: a rule under that line is right less often than alerting everyone.
     */
    Plot precisionRecall(JsonNode model) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        List<String> leftOut = new ArrayList<>();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        // Rules on the same spot share one label, else the names print over each other.
        Map<List<Double>, List<String>> namesAt = new LinkedHashMap<>();
        List<JsonNode> points = new ArrayList<>();
        model.path("rules").forEach(points::add);
        points.add(model.path("overall"));
        for (JsonNode figures : points) {
            boolean overall = figures == model.path("overall");
            String name = overall ? OVERALL : figures.path("rule").asText();
            if (Html.isUndefined(figures.path("recall")) || Html.isUndefined(figures.path("precision"))) {
                leftOut.add(name);
                continue;
            }
            double x = figures.path("recall").asDouble();
            double y = figures.path("precision").asDouble();
            XYSeries s = new XYSeries(name);
            s.add(x, y);
            data.addSeries(s);
            int series = data.getSeriesCount() - 1;
            renderer.setSeriesPaint(series, overall ? OVERALL_COLOUR : colourOf(name));
            double size = overall ? 14 : 10;
            renderer.setSeriesShape(series, overall
                    ? new Rectangle2D.Double(-size / 2, -size / 2, size, size)
                    : new Ellipse2D.Double(-size / 2, -size / 2, size, size));
            namesAt.computeIfAbsent(List.of(x, y), k -> new ArrayList<>()).add(name);
        }
        List<XYTextAnnotation> labels = new ArrayList<>();
        for (Map.Entry<List<Double>, List<String>> point : namesAt.entrySet()) {
            double x = point.getKey().get(0);
            XYTextAnnotation label = new XYTextAnnotation("  " + String.join(", ", point.getValue()) + "  ", x, point.getKey().get(1));
            label.setFont(point.getValue().contains(OVERALL) ? LABEL_FONT.deriveFont(Font.BOLD) : LABEL_FONT);
            label.setTextAnchor(x > 0.7 ? TextAnchor.BOTTOM_RIGHT : TextAnchor.BOTTOM_LEFT);
            labels.add(label);
        }
        NumberAxis recall = shareAxis("recall: share of misses warned before they happened");
        NumberAxis precision = shareAxis("precision: share of alerted customers who then missed");
        XYPlot plot = new XYPlot(data, recall, precision, renderer);
        labels.forEach(plot::addAnnotation);
        JsonNode baseRate = model.path("overall").path("base_rate");
        if (!Html.isUndefined(baseRate)) {
            ValueMarker line = new ValueMarker(baseRate.asDouble(), new Color(0x888888),
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            line.setLabel("base rate " + Html.format(baseRate, Html.Format.SHARE) + " (alerting everyone)");
            line.setLabelFont(LABEL_FONT);
            line.setLabelBackgroundColor(new Color(255, 255, 255, 200));
            line.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            line.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(line);
        }
        style(plot);
        JFreeChart chart = new JFreeChart("Precision vs recall per rule", TITLE_FONT, plot, true);
        return new Plot(png(chart), leftOut);
    }

    /** The distribution of how many days ahead the warnings came, all rules and each rule, by histogram bin. */
    Plot leadTimes(JsonNode model) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        BarRenderer renderer = barRenderer();
        int series = 0;
        List<JsonNode> all = new ArrayList<>();
        all.add(model.path("overall"));
        model.path("rules").forEach(all::add);
        for (JsonNode figures : all) {
            boolean overall = figures == model.path("overall");
            String name = overall ? OVERALL : figures.path("rule").asText();
            for (JsonNode bin : figures.path("lead_days_histogram")) {
                data.addValue(bin.path("count").asDouble(), name, binLabel(bin));
            }
            renderer.setSeriesPaint(series++, overall ? OVERALL_COLOUR : colourOf(name));
        }
        NumberAxis count = new NumberAxis("misses warned");
        count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("days between the first warning and the miss"), count, renderer);
        style(plot);
        JFreeChart chart = new JFreeChart("Lead time: how early the warnings came", TITLE_FONT, plot, true);
        return new Plot(png(chart), List.of());
    }

    /** Risk alerts opened per week, stacked by rule. */
    Plot alertsOverTime(JsonNode model) throws IOException {
        TimeTableXYDataset data = new TimeTableXYDataset(TimeZone.getTimeZone(ZoneOffset.UTC));
        Set<String> rules = new LinkedHashSet<>();
        model.path("rules").forEach(r -> rules.add(r.path("rule").asText()));
        for (JsonNode week : model.path("alerts_over_time")) {
            week.path("by_rule").fieldNames().forEachRemaining(rules::add);
        }
        List<String> leftOut = new ArrayList<>();
        for (JsonNode week : model.path("alerts_over_time")) {
            LocalDate start;
            try {
                start = LocalDate.parse(week.path("week_start").asText());
            } catch (RuntimeException e) {
                leftOut.add(week.path("week_start").asText());
                continue;
            }
            long from = start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            SimpleTimePeriod period = new SimpleTimePeriod(new Date(from), new Date(from + 7 * (long) DAY_MS - 1));
            for (String rule : rules) {
                data.add(period, week.path("by_rule").path(rule).asDouble(0), rule, false);
            }
        }
        StackedXYBarRenderer renderer = new StackedXYBarRenderer(0.15);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        int series = 0;
        for (String rule : rules) {
            renderer.setSeriesPaint(series++, colourOf(rule));
        }
        DateAxis weeks = new DateAxis("week (UTC)");
        weeks.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
        NumberAxis count = new NumberAxis("risk alerts opened");
        count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = new XYPlot(data, weeks, count, renderer);
        style(plot);
        JFreeChart chart = new JFreeChart("Risk alerts opened per week, by rule", TITLE_FONT, plot, true);
        return new Plot(png(chart), leftOut);
    }

    /**
     * The A/B comparison: per rule (and all rules), recall and precision of the model beside those of
     * the compared model. Light bars are the compared model.
     */
    Plot comparison(JsonNode comparison) throws IOException {
        DefaultCategoryDataset recall = new DefaultCategoryDataset();
        DefaultCategoryDataset precision = new DefaultCategoryDataset();
        List<String> leftOut = new ArrayList<>();
        List<JsonNode> diffs = new ArrayList<>();
        diffs.add(comparison.path("overall"));
        comparison.path("rules").forEach(diffs::add);
        for (JsonNode diff : diffs) {
            String name = diff == comparison.path("overall") ? OVERALL : diff.path("rule").asText();
            addPair(recall, diff.path("recall"), name, leftOut, "recall");
            addPair(precision, diff.path("precision"), name, leftOut, "precision");
        }
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(new CategoryAxis("rule"));
        CategoryPlot recallPlot = comparisonPlot(recall, "recall");
        plot.add(recallPlot, 1);
        plot.add(comparisonPlot(precision, "precision"), 1);
        // Both subplots have the same two series: one legend entry each, not two.
        plot.setFixedLegendItems(recallPlot.getLegendItems());
        plot.setGap(12);
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        style(plot);
        JFreeChart chart = new JFreeChart("Model vs compared model: recall and precision per rule", TITLE_FONT, plot, true);
        return new Plot(png(chart, WIDTH, HEIGHT + 120), leftOut);
    }

    private static void addPair(DefaultCategoryDataset data, JsonNode pair, String rule, List<String> leftOut, String what) {
        JsonNode a = pair.path(0);
        JsonNode b = pair.path(1);
        // An undefined figure is a gap, not a zero bar: a zero would read as "never right".
        data.addValue(Html.isUndefined(a) ? null : a.asDouble(), "model", rule);
        data.addValue(Html.isUndefined(b) ? null : b.asDouble(), "compare", rule);
        if (Html.isUndefined(a) || Html.isUndefined(b)) {
            leftOut.add(rule + " (" + what + ")");
        }
    }

    private CategoryPlot comparisonPlot(DefaultCategoryDataset data, String what) {
        BarRenderer renderer = barRenderer();
        renderer.setSeriesPaint(0, new Color(0x4e79a7));
        renderer.setSeriesPaint(1, new Color(0xa0cbe8));
        CategoryPlot plot = new CategoryPlot(data, null, shareAxis(what), renderer);
        style(plot);
        return plot;
    }

    private static BarRenderer barRenderer() {
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.02);
        renderer.setDrawBarOutline(false);
        return renderer;
    }

    private static NumberAxis shareAxis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setRange(0, 1.05);
        axis.setTickUnit(new NumberTickUnit(0.1, NumberFormat.getPercentInstance(Locale.ROOT)));
        return axis;
    }

    static String binLabel(JsonNode bin) {
        String from = bin.path("from").asText();
        return Html.isAbsent(bin.path("to")) ? from + "+" : from + "–" + bin.path("to").asText();
    }

    private static void style(org.jfree.chart.plot.Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setNoDataMessage("Nothing to plot");
        plot.setNoDataMessageFont(TITLE_FONT);
        Paint grid = new Color(0xdddddd);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(grid);
            xy.setRangeGridlinePaint(grid);
            xy.setAxisOffset(RectangleInsets.ZERO_INSETS);
        } else if (plot instanceof CategoryPlot category) {
            category.setRangeGridlinePaint(grid);
        }
    }

    private static byte[] png(JFreeChart chart) throws IOException {
        return png(chart, WIDTH, HEIGHT);
    }

    private static byte[] png(JFreeChart chart, int width, int height) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setFrame(BlockBorder.NONE);
        }
        BufferedImage image = chart.createBufferedImage(width * SCALE, height * SCALE, width, height, null);
        return ChartUtils.encodeAsPNG(image);
    }
}
