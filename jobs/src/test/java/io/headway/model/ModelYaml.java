package io.headway.model;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A valid model to break one entry at a time: each validation test changes exactly what it is about,
 * so a failure can only come from that change.
 */
final class ModelYaml {

    static final String ORIGIN = "test.yaml";

    /** Two journeys, each with every key, so that removing any one key leaves the rest valid. */
    static final String VALID =
            """
            journeys:
              - name: onboarding
                entry: {source: onboarding, type: journey_started, attributes: {journey: onboarding}}
                behind_share: 0.8
                milestones:
                  - name: kickoff
                    match: {source: onboarding, type: milestone_reached, attributes: {milestone: kickoff}}
                    due: 5 d
                    owner_team: onboarding
                    success: The customer's team knows the plan and who to call.
                  - name: first_value
                    match: {source: onboarding, type: milestone_reached, attributes: {milestone: first_value}}
                    due: 40 d
                    owner_team: success
                    success: The customer got the result they bought Headway for.
                time_to_value: first_value
                completion: first_value
                abandonment:
                  inactivity: 21 d
                  on: [{source: billing, type: subscription_cancelled}]
                re_entry: new_instance
              - name: renewal
                entry: {source: billing, type: invoice_issued, attributes: {period: 2}}
                milestones:
                  - name: renewal_paid
                    match: {source: billing, type: [invoice_paid], attributes: {period: 2}}
                    due: 14 d
                    owner_team: billing
                    success: The customer chose to keep paying for Headway.
                abandonment:
                  inactivity: 30 d
                re_entry: never
            scores:
              weights: {product: 0.4, support: 0.6}
            """;

    private static final YAMLMapper MAPPER = new YAMLMapper();

    private final ObjectNode root;

    private ModelYaml(ObjectNode root) {
        this.root = root;
    }

    static ModelYaml valid() {
        try {
            return new ModelYaml((ObjectNode) MAPPER.readTree(VALID));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets (or appends, for index = size) the entry at a JSON pointer such as {@code /journeys/0/name}. */
    ModelYaml set(String pointer, Object value) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = root.at(p.head());
        JsonNode v = MAPPER.valueToTree(value);
        if (parent instanceof ArrayNode list) {
            int i = p.last().getMatchingIndex();
            if (i == list.size()) {
                list.add(v);
            } else {
                list.set(i, v);
            }
        } else {
            ((ObjectNode) parent).set(p.last().getMatchingProperty(), v);
        }
        return this;
    }

    ModelYaml remove(String pointer) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = root.at(p.head());
        if (parent instanceof ArrayNode list) {
            list.remove(p.last().getMatchingIndex());
        } else {
            ((ObjectNode) parent).remove(p.last().getMatchingProperty());
        }
        return this;
    }

    /** A deep copy of the entry at {@code pointer}, as plain data to {@link #set} elsewhere. */
    Object copyOf(String pointer) {
        return root.at(pointer).deepCopy();
    }

    String yaml() {
        try {
            return MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CustomerModel parse() {
        return CustomerModel.parse(yaml(), ORIGIN);
    }
}
