package io.headway.model;

import io.headway.config.Suggestions;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.util.TimeUtils;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of a customer model file and where it is: a reader over the parsed YAML tree that names
 * the exact key path ({@code journeys[0].milestones[2].due}) in every error. Sections that later
 * modules add to the model ({@code scores}, {@code rules}) are read with it too, through
 * {@link CustomerModel#section(String)}, so their errors look the same.
 *
 * <p>A key that is absent, or present without a value ({@code key:} or {@code key: ~}), is
 * <em>missing</em>: optional readers return their default, required ones fail with "is required".
 * Asking a scalar for a key, or a mapping for an element, fails naming the path, so a value of the
 * wrong shape never reads as "missing".
 */
public final class ModelNode implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String DURATION_HINT = "(use e.g. 5 d, 12 h, 30 min)";

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private final String origin;
    private final String path;
    /** Null when the key is absent. */
    private final JsonNode node;

    private ModelNode(String origin, String path, JsonNode node) {
        this.origin = origin;
        this.path = path;
        this.node = node;
    }

    /** The whole document of a model file. */
    static ModelNode root(String origin, JsonNode document) {
        return new ModelNode(origin, "", document);
    }

    /** The file (or resource) this entry was read from. */
    public String origin() {
        return origin;
    }

    /** The key path inside the file, e.g. {@code journeys[0].entry}; empty for the document itself. */
    public String path() {
        return path;
    }

    public boolean isMissing() {
        return node == null || node.isNull() || node.isMissingNode();
    }

    public boolean isMapping() {
        return !isMissing() && node.isObject();
    }

    public boolean isList() {
        return !isMissing() && node.isArray();
    }

    public boolean isScalar() {
        return !isMissing() && node.isValueNode();
    }

    /** The entry under {@code key}, possibly missing; fails if this entry is present but not a mapping. */
    public ModelNode get(String key) {
        String segment = keySegment(key);
        String childPath = path.isEmpty() || segment.startsWith("[") ? path + segment : path + "." + segment;
        if (isMissing()) {
            return new ModelNode(origin, childPath, null);
        }
        if (!node.isObject()) {
            throw error("must be a mapping (key: value entries), was " + shape());
        }
        return new ModelNode(origin, childPath, node.get(key));
    }

    /** Element {@code index} of a list, possibly missing; fails if this entry is present but not a list. */
    public ModelNode at(int index) {
        String childPath = path + "[" + index + "]";
        if (isMissing()) {
            return new ModelNode(origin, childPath, null);
        }
        if (!node.isArray()) {
            throw error("must be a list, was " + shape());
        }
        return new ModelNode(origin, childPath, node.get(index));
    }

    /** The elements of a list in file order; none when missing; fails if present but not a list. */
    public List<ModelNode> elements() {
        if (isMissing()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error("must be a list, was " + shape());
        }
        List<ModelNode> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new ModelNode(origin, path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    /** The keys of a mapping in file order; none when missing; fails if present but not a mapping. */
    public Set<String> keys() {
        if (isMissing()) {
            return Set.of();
        }
        if (!node.isObject()) {
            throw error("must be a mapping (key: value entries), was " + shape());
        }
        Set<String> out = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * Fails on the first key of this mapping that is not {@code allowed}, suggesting the nearest
     * allowed one (a typo in an optional key would otherwise be silently ignored). Nothing to check
     * when missing.
     */
    public void checkKeys(Set<String> allowed) {
        for (String key : keys()) {
            if (!allowed.contains(key)) {
                Optional<String> near = Suggestions.closest(key, allowed);
                throw get(key).error(
                        near.map(k -> "unknown key (did you mean " + k + "?)")
                                .orElse("unknown key; allowed here: " + String.join(", ", allowed)));
            }
        }
    }

    // ---------------------------------------------------------------- this entry's value

    /** This entry as non-blank text. */
    public String asString() {
        requirePresent();
        if (node.isBoolean()) {
            // YAML 1.1 reads yes, no, on and off as booleans too, so say why a word is not text.
            throw error("must be text, but YAML reads this value as the boolean " + node.asText() + " (put it in quotes)");
        }
        if (!node.isTextual()) {
            throw error("must be text, was " + shape() + (node.isValueNode() ? " (put it in quotes)" : ""));
        }
        String text = node.textValue();
        if (text.isBlank()) {
            throw error("must not be blank");
        }
        return text;
    }

    /**
     * This entry as the text a touchpoint attribute would carry: text, a whole number or a boolean.
     * Fractional numbers must be quoted, because YAML would turn {@code 2.50} into {@code 2.5} and
     * the comparison is on text.
     */
    public String asScalarText() {
        requirePresent();
        if (node.isTextual()) {
            if (node.textValue().isBlank()) {
                throw error("must not be blank");
            }
            return node.textValue();
        }
        if (node.isIntegralNumber() || node.isBoolean()) {
            return node.asText();
        }
        if (node.isNumber()) {
            throw error("must be written as text in quotes (\"" + node.asText()
                    + "\"): values are compared as text, and YAML reads numbers like 2.50 as 2.5");
        }
        throw error("must be a single value (text), was " + shape());
    }

    /** This entry as a duration with a unit, such as {@code 5 d}, {@code 12h} or {@code 30 min}. */
    public Duration asDuration() {
        requirePresent();
        if (node.isNumber()) {
            throw error(node.asText() + " has no unit " + DURATION_HINT);
        }
        if (!node.isTextual()) {
            throw error("must be a duration " + DURATION_HINT + ", was " + shape());
        }
        String text = node.textValue().trim();
        // Flink reads a bare number as milliseconds; in a model measured in days that is always a mistake.
        if (!text.isEmpty() && Character.isDigit(text.charAt(text.length() - 1))) {
            throw error("\"" + node.textValue() + "\" has no unit " + DURATION_HINT);
        }
        try {
            return TimeUtils.parseDuration(text);
        } catch (RuntimeException e) {
            throw error("\"" + node.textValue() + "\" is not a duration " + DURATION_HINT);
        }
    }

    public double asDouble() {
        requirePresent();
        if (!node.isNumber()) {
            throw error("must be a number, was " + shape());
        }
        return node.doubleValue();
    }

    public int asInt() {
        requirePresent();
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw error("must be a whole number, was " + shape());
        }
        return node.intValue();
    }

    public boolean asBoolean() {
        requirePresent();
        if (!node.isBoolean()) {
            throw error("must be true or false, was " + shape());
        }
        return node.booleanValue();
    }

    /**
     * This entry as plain data for logging and documentation, not for decisions: text, a whole number
     * (Long), a number (Double) or a boolean as such; a list or mapping as its JSON text.
     */
    public Object asPlainValue() {
        requirePresent();
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.toString();
    }

    // ---------------------------------------------------------------- values under a key

    public String requireString(String key) {
        return get(key).asString();
    }

    public String optionalString(String key, String defaultValue) {
        ModelNode child = get(key);
        return child.isMissing() ? defaultValue : child.asString();
    }

    public Duration requireDuration(String key) {
        return get(key).asDuration();
    }

    public Duration optionalDuration(String key, Duration defaultValue) {
        ModelNode child = get(key);
        return child.isMissing() ? defaultValue : child.asDuration();
    }

    public double optionalDouble(String key, double defaultValue) {
        ModelNode child = get(key);
        return child.isMissing() ? defaultValue : child.asDouble();
    }

    public int optionalInt(String key, int defaultValue) {
        ModelNode child = get(key);
        return child.isMissing() ? defaultValue : child.asInt();
    }

    public boolean optionalBoolean(String key, boolean defaultValue) {
        ModelNode child = get(key);
        return child.isMissing() ? defaultValue : child.asBoolean();
    }

    /** The elements of the list under {@code key}, which must be present (it may be empty). */
    public List<ModelNode> requireList(String key) {
        ModelNode child = get(key);
        child.requirePresent();
        return child.elements();
    }

    /** An error at this entry's path. */
    public ModelException error(String problem) {
        return new ModelException(origin, path, problem);
    }

    @Override
    public String toString() {
        return origin + (path.isEmpty() ? "" : " " + path) + " = " + (isMissing() ? "(missing)" : node.toString());
    }

    private void requirePresent() {
        if (node == null || node.isMissingNode()) {
            throw error("is required");
        }
        if (node.isNull()) {
            throw error("has no value");
        }
    }

    /** What the entry is, for messages: a quoted scalar, or the kind of collection. */
    private String shape() {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        return node.isTextual() ? "\"" + node.textValue() + "\"" : node.asText();
    }

    private static String keySegment(String key) {
        return PLAIN_KEY.matcher(key).matches() ? key : "[\"" + key + "\"]";
    }
}
