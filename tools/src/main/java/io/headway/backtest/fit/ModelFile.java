package io.headway.backtest.fit;

import io.headway.model.CustomerModel;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a customer model's {@code risk:} section. The rest of the file is kept as text, comments
 * and layout included, so a fitted model reads like the model the user gave: the top-level
 * {@code risk:} block (from its key to the next line that starts in the first column) is replaced,
 * or the section is appended when there is none.
 */
public final class ModelFile {

    /** The settings a fitted section carries besides its weights (docs/backtest.md, "Fitting the account risk"). */
    public static final double EMIT_MIN_CHANGE = 0.02;
    public static final int MIN_AGE_DAYS = 14;
    /** Never alert: the collection run only assesses. */
    public static final double NEVER = 1.01;

    private ModelFile() {}

    /** The model's text: the file, or the bundled model when {@code path} is null. */
    public static String read(Path path) {
        try {
            if (path != null) {
                return Files.readString(path, StandardCharsets.UTF_8);
            }
            try (InputStream in = CustomerModel.class.getResourceAsStream(CustomerModel.DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(CustomerModel.DEFAULT_RESOURCE + " is not on the class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + path, e);
        }
    }

    /** {@code yaml} with its top-level risk section replaced by {@code section} (which starts with "risk:"). */
    public static String withRisk(String yaml, String section) {
        List<String> lines = new ArrayList<>(List.of(yaml.split("\n", -1)));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("risk\\s*:.*")) {
                start = i;
                break;
            }
        }
        StringBuilder out = new StringBuilder();
        if (start < 0) {
            out.append(yaml);
            if (!yaml.isEmpty() && !yaml.endsWith("\n")) {
                out.append('\n');
            }
            return out.append('\n').append(section).toString();
        }
        int end = start + 1;
        while (end < lines.size() && (lines.get(end).isEmpty() || Character.isWhitespace(lines.get(end).charAt(0)))) {
            end++;
        }
        // Blank lines before the next section stay with it.
        int keepFrom = end;
        while (keepFrom > start + 1 && lines.get(keepFrom - 1).isBlank()) {
            keepFrom--;
        }
        for (int i = 0; i < start; i++) {
            out.append(lines.get(i)).append('\n');
        }
        out.append(section);
        for (int i = keepFrom; i < lines.size(); i++) {
            out.append(lines.get(i));
            if (i < lines.size() - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The top-level {@code risk:} block of {@code yaml} (from its key to the next line that starts in
     * the first column), or null when there is none.
     */
    public static String riskSection(String yaml) {
        List<String> lines = List.of(yaml.split("\n", -1));
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).matches("risk\\s*:.*")) {
                start = i;
            }
        }
        if (start < 0) {
            return null;
        }
        StringBuilder out = new StringBuilder(lines.get(start)).append('\n');
        for (int i = start + 1; i < lines.size() && (lines.get(i).isEmpty() || Character.isWhitespace(lines.get(i).charAt(0))); i++) {
            out.append(lines.get(i)).append('\n');
        }
        return out.toString().stripTrailing() + "\n";
    }

    /** The section the collection run uses: no terms, never alerts, a RiskUpdate whenever the features change. */
    public static String collectionSection() {
        return "risk:\n"
                + "  # backtest --fit collection run: assess only (no terms, never alert), emit every change.\n"
                + "  threshold: " + NEVER + "\n"
                + "  emit_min_change: 0\n"
                + "  terms: []\n";
    }

    /** The fitted section. {@code fittedAt} is a date (yyyy-mm-dd); {@code data} says what it was fitted on. */
    public static String fittedSection(RiskFit.Result fit, String fittedAt, String data) {
        StringBuilder s = new StringBuilder();
        Threshold.Choice t = fit.threshold();
        double threshold = floor4(t.threshold());
        s.append("risk:\n");
        s.append("  # Fitted by backtest --fit (docs/backtest.md, \"Fitting the account risk\"): the weights apply to (x - mean) / scale.\n");
        if (!t.reached()) {
            s.append("  # No threshold reached the target precision ").append(num(fit.targetPrecision()))
                    .append(" in cross-validation; this one has the best precision, ").append(num(round4(t.precision()))).append(".\n");
        }
        s.append("  threshold: ").append(num(threshold)).append('\n');
        s.append("  resolve_below: ").append(num(round4(Math.max(0, threshold - 0.1)))).append('\n');
        s.append("  min_age_days: ").append(MIN_AGE_DAYS).append('\n');
        s.append("  emit_min_change: ").append(num(EMIT_MIN_CHANGE)).append('\n');
        s.append("  budget: false\n");
        s.append("  intercept: ").append(num(fit.intercept())).append('\n');
        if (fit.terms().isEmpty()) {
            s.append("  terms: []\n");
        } else {
            s.append("  terms:\n");
            for (RiskFit.Term term : fit.terms()) {
                s.append("    - {feature: ").append(term.feature()).append(", weight: ").append(num(term.weight())).append(", mean: ")
                        .append(num(term.mean())).append(", scale: ").append(num(term.scale())).append("}\n");
            }
        }
        s.append("  fitted: {at: \"").append(fittedAt).append("\", accounts: ").append(fit.accounts()).append(", samples: ").append(fit.samples())
                .append(", positives: ").append(fit.positives()).append(", c: ").append(num(fit.c())).append(", folds: ").append(fit.folds())
                .append(",\n           cv_auc: ").append(num(round4(fit.cvAuc()))).append(", cv_precision: ").append(num(round4(t.precision())))
                .append(", cv_recall: ").append(num(round4(t.recall()))).append(", target_precision: ").append(num(fit.targetPrecision()))
                .append(",\n           data: ").append(quoted(data)).append("}\n");
        return s.toString();
    }

    /** Exact (shortest round-trip) form; YAML reads NaN as .nan. */
    static String num(double d) {
        if (Double.isNaN(d)) {
            return ".nan";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return Double.toString(d);
    }

    static double round4(double d) {
        return Double.isFinite(d) ? BigDecimal.valueOf(d).setScale(4, RoundingMode.HALF_EVEN).doubleValue() : d;
    }

    /** Rounded down, so the account at the chosen threshold is still flagged. */
    static double floor4(double d) {
        return Double.isFinite(d) ? BigDecimal.valueOf(d).setScale(4, RoundingMode.FLOOR).doubleValue() : d;
    }

    /** A YAML double-quoted scalar (JSON escapes are YAML escapes). */
    static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
