package io.headway.backtest.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * Writes the report's HTML: every string from the data escaped, every figure taken from the
 * scorecard once and marked with where it came from.
 *
 * <p>A figure is a {@code <span data-field="/json/pointer" data-value="...">} whose
 * {@code data-field} is the RFC 6901 JSON Pointer of the number in scorecard.json and whose
 * {@code data-value} is that number as written in the JSON ({@code null} when the figure is
 * undefined or absent). A JSON Pointer rather than a dotted path because keys are data too: a
 * configuration key or a dead-letter reason may hold dots or slashes.
 */
final class Html {

    /** What the page shows for an undefined figure (0/0, no lead time): never NaN. */
    static final String UNDEFINED = "—";

    /** How a number reads on the page. */
    enum Format {
        /** A whole number: 1,234. */
        COUNT,
        /** A share in [0,1] shown as a percentage: 33.3%. */
        SHARE,
        /** Days, one decimal: 12.5. */
        DAYS,
        /** A small rate, two decimals: 0.42. */
        RATE,
        /** A measurement with one decimal and thousands separators: 12,345.6. */
        DECIMAL
    }

    private Html() {}

    /** Escapes text for an element's content or a double-quoted attribute value. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The text of a JSON string (or any scalar) escaped; {@link #UNDEFINED} when absent or null. */
    static String text(JsonNode node) {
        return isAbsent(node) ? UNDEFINED : escape(node.asText());
    }

    /** A pointer one level below {@code parent}, the key escaped as RFC 6901 requires. */
    static String pointer(String parent, String key) {
        return parent + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    static String pointer(String parent, int index) {
        return parent + "/" + index;
    }

    /** The figure {@code parent[key]}, where {@code parent} sits at {@code parentPointer}. */
    static String figure(JsonNode parent, String parentPointer, String key, Format format) {
        return figure(parent.path(key), pointer(parentPointer, key), format);
    }

    /** The figure {@code node}, found at {@code pointer} in scorecard.json. */
    static String figure(JsonNode node, String pointer, Format format) {
        String value = isUndefined(node) ? "null" : node.asText();
        return "<span class=\"fig\" data-field=\"" + escape(pointer) + "\" data-value=\"" + escape(value) + "\">"
                + format(node, format) + "</span>";
    }

    /** How {@code node} reads on the page in {@code format}; {@link #UNDEFINED} when undefined. */
    static String format(JsonNode node, Format format) {
        if (isUndefined(node)) {
            return UNDEFINED;
        }
        double v = node.asDouble();
        return switch (format) {
            case COUNT -> node.isIntegralNumber() ? String.format(Locale.ROOT, "%,d", node.asLong()) : String.format(Locale.ROOT, "%,.1f", v);
            case SHARE -> String.format(Locale.ROOT, "%.1f%%", v * 100);
            case DAYS -> String.format(Locale.ROOT, "%.1f", v);
            case RATE -> String.format(Locale.ROOT, "%.2f", v);
            case DECIMAL -> String.format(Locale.ROOT, "%,.1f", v);
        };
    }

    /** Missing, null, or not a finite number: the page shows {@link #UNDEFINED}. */
    static boolean isUndefined(JsonNode node) {
        if (isAbsent(node) || !node.isNumber()) {
            return true;
        }
        double v = node.asDouble();
        return Double.isNaN(v) || Double.isInfinite(v);
    }

    static boolean isAbsent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }
}
