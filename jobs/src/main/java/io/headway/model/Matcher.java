package io.headway.model;

import io.headway.schema.Touchpoint;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which touchpoints a model entry means: a source (or any), one of some types (or any), and exact
 * values of some attributes. At least one condition is required, so a typo cannot turn into "every
 * touchpoint".
 *
 * <p>{@link #matches} runs for every touchpoint and every matcher of every journey, so it only
 * compares strings it already holds: no allocation, cheapest test first.
 */
public final class Matcher implements Serializable {

    private static final long serialVersionUID = 1L;

    static final Set<String> KEYS = CustomerModel.orderedSet("source", "type", "attributes");

    /** Null = any source. */
    private final String source;
    /** Empty = any type. */
    private final String[] types;
    /** Parallel arrays, in the file's order: arrays keep the hot path free of iterators. */
    private final String[] attributeKeys;
    private final String[] attributeValues;

    private Matcher(String source, String[] types, String[] attributeKeys, String[] attributeValues) {
        this.source = source;
        this.types = types;
        this.attributeKeys = attributeKeys;
        this.attributeValues = attributeValues;
    }

    /**
     * A matcher built in code (tests, tools); the model file's matchers come from {@link #read}.
     *
     * @param source null for any source
     * @param types empty for any type
     * @throws IllegalArgumentException when there is no condition at all, or a blank one
     */
    public static Matcher of(String source, List<String> types, Map<String, String> attributes) {
        if (source != null && source.isBlank()) {
            throw new IllegalArgumentException("blank source; use null for any source");
        }
        for (String type : types) {
            if (type == null || type.isBlank()) {
                throw new IllegalArgumentException("blank type in " + types);
            }
        }
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || e.getValue().isBlank()) {
                throw new IllegalArgumentException("attribute without a name or value in " + attributes);
            }
        }
        if (source == null && types.isEmpty() && attributes.isEmpty()) {
            throw new IllegalArgumentException("a matcher needs a source, a type or an attribute");
        }
        return new Matcher(
                source,
                types.toArray(new String[0]),
                attributes.keySet().toArray(new String[0]),
                attributes.values().toArray(new String[0]));
    }

    /**
     * Reads a matcher such as {@code {source: billing, type: [invoice_issued, invoice_paid],
     * attributes: {period: 2}}}; {@code type} is one type or a list of them.
     */
    public static Matcher read(ModelNode node) {
        if (node.isMissing()) {
            throw node.error("is required (a mapping of source, type and/or attributes)");
        }
        if (!node.isMapping()) {
            throw node.error("must be a mapping of source, type and/or attributes, e.g. {source: billing, type: invoice_paid}");
        }
        node.checkKeys(KEYS);
        ModelNode sourceNode = node.get("source");
        String source = sourceNode.isMissing() ? null : sourceNode.asString();

        ModelNode typeNode = node.get("type");
        List<String> types = new ArrayList<>();
        if (typeNode.isList()) {
            for (ModelNode t : typeNode.elements()) {
                String type = t.asString();
                if (types.contains(type)) {
                    throw t.error("\"" + type + "\" is listed twice");
                }
                types.add(type);
            }
            if (types.isEmpty()) {
                throw typeNode.error("lists no type; leave type out to match any type");
            }
        } else if (!typeNode.isMissing()) {
            types.add(typeNode.asString());
        }

        ModelNode attributesNode = node.get("attributes");
        if (!attributesNode.isMissing() && !attributesNode.isMapping()) {
            throw attributesNode.error("must be a mapping of attribute to value, e.g. {milestone: kickoff}");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String key : attributesNode.keys()) {
            attributes.put(key, attributesNode.get(key).asScalarText());
        }

        if (source == null && types.isEmpty() && attributes.isEmpty()) {
            throw node.error("has no condition and would match every touchpoint; give a source, a type or attributes");
        }
        return of(source, types, attributes);
    }

    public boolean matches(Touchpoint t) {
        if (source != null && !source.equals(t.getSource())) {
            return false;
        }
        if (types.length > 0) {
            String type = t.getType();
            boolean any = false;
            for (String candidate : types) {
                if (candidate.equals(type)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        if (attributeKeys.length > 0) {
            Map<String, String> attributes = t.getAttributes();
            if (attributes == null) {
                return false;
            }
            for (int i = 0; i < attributeKeys.length; i++) {
                if (!attributeValues[i].equals(attributes.get(attributeKeys[i]))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Null = any source. */
    public String source() {
        return source;
    }

    /** Empty = any type. */
    public List<String> types() {
        return List.of(types);
    }

    /** Required attribute values, in the file's order. */
    public Map<String, String> attributes() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < attributeKeys.length; i++) {
            out.put(attributeKeys[i], attributeValues[i]);
        }
        return out;
    }

    /**
     * For explanations and logs: {@code source/type{key=value, ...}}, with {@code *} for any source
     * or type and {@code |} between alternative types, e.g.
     * {@code onboarding/milestone_reached{milestone=kickoff}} or {@code billing/invoice_issued|invoice_paid}.
     */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(source == null ? "*" : source).append('/');
        b.append(types.length == 0 ? "*" : String.join("|", types));
        if (attributeKeys.length > 0) {
            b.append('{');
            for (int i = 0; i < attributeKeys.length; i++) {
                b.append(i == 0 ? "" : ", ").append(attributeKeys[i]).append('=').append(attributeValues[i]);
            }
            b.append('}');
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Matcher)) {
            return false;
        }
        Matcher m = (Matcher) o;
        return Objects.equals(source, m.source)
                && Arrays.equals(types, m.types)
                && attributes().equals(m.attributes());
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, Arrays.hashCode(types), attributes());
    }

    @Override
    public String toString() {
        return describe();
    }
}
