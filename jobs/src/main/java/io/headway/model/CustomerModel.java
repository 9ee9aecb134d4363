package io.headway.model;

import io.headway.config.ConfigException;
import io.headway.risk.RiskSettings;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The customer model: what Headway knows about the customer's path to value, written by the
 * customer-success team as a YAML file (documented in {@code docs/customer-model.md}). It holds the
 * journeys, the goal-tracking settings ({@code goals}) and the account risk ({@code risk}), and keeps other top-level sections
 * ({@code scores}, {@code rules}) as raw entries for the
 * modules that read them.
 *
 * <p>Everything is validated when the file is read, with errors naming the file and key path, so a
 * bad model stops the job at start-up instead of producing silent nonsense. Immutable and
 * serializable: it is shipped inside Flink functions.
 */
public final class CustomerModel implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The bundled model, used when {@code model.path} is empty. */
    public static final String DEFAULT_RESOURCE = "/headway/customer-model.yaml";

    /** Every journey is evaluated for every touchpoint of an account; this bounds that cost and the state. */
    public static final int MAX_JOURNEYS = 8;

    /** The configuration key that names a model file; errors reading the file name it. */
    static final String PATH_KEY = "model.path";

    static final Set<String> TOP_LEVEL_KEYS = orderedSet("journeys", "goals", "scores", "rules", "risk");

    private static final YAMLMapper YAML =
            YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final String origin;
    private final List<JourneyDefinition> journeys;
    private final GoalSettings goals;
    /** Null without a risk: section: then nothing about the account risk is kept or emitted. */
    private final RiskSettings risk;
    private final Map<String, ModelNode> sections;

    private CustomerModel(String origin, List<JourneyDefinition> journeys, GoalSettings goals, RiskSettings risk,
            Map<String, ModelNode> sections) {
        this.origin = origin;
        this.journeys = List.copyOf(journeys);
        this.goals = goals;
        this.risk = risk;
        this.sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }

    /** The bundled default model ({@link #DEFAULT_RESOURCE}), which fits the data generator. */
    public static CustomerModel defaults() {
        try (InputStream in = CustomerModel.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }

    /**
     * Reads and validates a model file; errors in its content name the file by its name.
     *
     * @throws ConfigException with key {@code model.path} when the file cannot be read
     * @throws ModelException when its content is not a valid model
     */
    public static CustomerModel load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(
                    PATH_KEY, "cannot read the customer model file " + file.toAbsolutePath() + " (" + e + ")");
        }
        Path name = file.getFileName();
        return parse(text, name == null ? file.toString() : name.toString());
    }

    /**
     * Parses and validates a model.
     *
     * @param origin where the text came from (a file name), the start of every error message
     * @throws ModelException naming the key path of the first problem
     */
    public static CustomerModel parse(String yaml, String origin) {
        ModelNode root = ModelNode.root(origin, readTree(yaml, origin));
        if (root.isMissing()) {
            throw root.error("is empty; a customer model defines at least one journey under journeys:");
        }
        if (!root.isMapping()) {
            throw root.error("must be a mapping with journeys (and optionally goals, scores, rules, risk) at the top level");
        }
        root.checkKeys(TOP_LEVEL_KEYS);

        ModelNode journeysNode = root.get("journeys");
        if (journeysNode.isMissing()) {
            throw journeysNode.error("is required: a customer model defines at least one journey");
        }
        List<ModelNode> nodes = journeysNode.elements();
        if (nodes.isEmpty()) {
            throw journeysNode.error("lists no journey; define at least one");
        }
        if (nodes.size() > MAX_JOURNEYS) {
            throw journeysNode.error("lists " + nodes.size() + " journeys; at most " + MAX_JOURNEYS + " are allowed");
        }
        List<JourneyDefinition> journeys = new ArrayList<>(nodes.size());
        for (ModelNode node : nodes) {
            JourneyDefinition j = JourneyDefinition.read(node);
            for (int i = 0; i < journeys.size(); i++) {
                if (journeys.get(i).name().equals(j.name())) {
                    throw node.get("name").error("\"" + j.name() + "\" is already the name of journeys[" + i + "]");
                }
            }
            journeys.add(j);
        }

        GoalSettings goals = GoalSettings.read(root.get("goals"));
        RiskSettings risk = RiskSettings.read(root.get("risk"));

        Map<String, ModelNode> sections = new LinkedHashMap<>();
        for (String key : root.keys()) {
            sections.put(key, root.get(key));
        }
        return new CustomerModel(origin, journeys, goals, risk, sections);
    }

    private static JsonNode readTree(String yaml, String origin) {
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonNode document = YAML.readTree(parser);
            // A second document ("---") would otherwise be ignored without a word.
            if (document != null && parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new ModelException(origin, "", "holds a second YAML document at line " + at.getLineNr()
                        + "; a customer model is one document");
            }
            return document;
        } catch (JsonProcessingException e) {
            throw new ModelException(origin, "", syntaxError(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does no I/O
        }
    }

    /** The model's origin: its file name, or the bundled resource. */
    public String origin() {
        return origin;
    }

    /** In the file's order. */
    public List<JourneyDefinition> journeys() {
        return journeys;
    }

    /** How customer goals are tracked (the {@code goals:} section, or its defaults). */
    public GoalSettings goals() {
        return goals;
    }

    /** The account risk (the {@code risk:} section); empty when the model has none. */
    public Optional<RiskSettings> risk() {
        return Optional.ofNullable(risk);
    }

    public Optional<JourneyDefinition> journey(String name) {
        for (JourneyDefinition j : journeys) {
            if (j.name().equals(name)) {
                return Optional.of(j);
            }
        }
        return Optional.empty();
    }

    /**
     * A top-level section as written, for the module that owns it to read and validate (e.g.
     * {@code scores}); a missing entry when the file has no such section.
     */
    public ModelNode section(String name) {
        ModelNode section = sections.get(name);
        return section != null ? section : ModelNode.root(origin, null).get(name);
    }

    @Override
    public String toString() {
        return "CustomerModel(" + origin + ", " + journeys + ")";
    }

    static Set<String> orderedSet(String... keys) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }

    /** A duration the way the model file writes it: {@code 5 d}, {@code 12 h}, {@code 30 min}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % Duration.ofDays(1).toMillis() == 0) {
            return d.toDays() + " d";
        }
        if (ms != 0 && ms % Duration.ofHours(1).toMillis() == 0) {
            return d.toHours() + " h";
        }
        if (ms != 0 && ms % Duration.ofMinutes(1).toMillis() == 0) {
            return d.toMinutes() + " min";
        }
        if (ms % 1000 == 0) {
            return d.getSeconds() + " s";
        }
        return ms + " ms";
    }

    /**
     * "YAML syntax error at line 3, column 27: while parsing a flow mapping, expected ',' or '}'".
     * SnakeYAML's own exception says what it expected and where; Jackson's wrapper keeps only the
     * first line of that, which names the construct but not the problem.
     */
    private static String syntaxError(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException) {
                MarkedYAMLException y = (MarkedYAMLException) t;
                Mark mark = y.getProblemMark() != null ? y.getProblemMark() : y.getContextMark();
                String what = y.getContext() == null ? y.getProblem() : y.getContext() + ", " + y.getProblem();
                return "YAML syntax error" + (mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column "
                        + (mark.getColumn() + 1)) + ": " + firstLine(what);
            }
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return "YAML syntax error" + where + ": " + firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
