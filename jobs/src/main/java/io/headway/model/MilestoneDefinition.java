package io.headway.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/** One step of a journey: the touchpoint that marks it, when it is due, who owns it and why it matters. */
public final class MilestoneDefinition implements Serializable {

    private static final long serialVersionUID = 1L;

    static final Set<String> KEYS = CustomerModel.orderedSet("name", "match", "due", "owner_team", "success");

    private final String name;
    private final Matcher match;
    private final Duration due;
    private final String ownerTeam;
    private final String success;

    private MilestoneDefinition(String name, Matcher match, Duration due, String ownerTeam, String success) {
        this.name = name;
        this.match = match;
        this.due = due;
        this.ownerTeam = ownerTeam;
        this.success = success;
    }

    static MilestoneDefinition read(ModelNode node) {
        if (!node.isMapping()) {
            throw node.error("must be a mapping with name, match, due, owner_team and success");
        }
        node.checkKeys(KEYS);
        String name = node.requireString("name");
        Matcher match = Matcher.read(node.get("match"));
        Duration due = node.requireDuration("due");
        if (due.isZero() || due.isNegative()) {
            throw node.get("due").error("must be positive: it is the offset from the journey's start, was " + CustomerModel.format(due));
        }
        String ownerTeam = node.requireString("owner_team");
        String success = node.requireString("success");
        return new MilestoneDefinition(name, match, due, ownerTeam, success);
    }

    public String name() {
        return name;
    }

    public Matcher match() {
        return match;
    }

    /** Target offset from the journey's start (its entry touchpoint); positive. */
    public Duration due() {
        return due;
    }

    public String ownerTeam() {
        return ownerTeam;
    }

    /** One line, from the customer's point of view: what is true for them once this milestone is reached. */
    public String success() {
        return success;
    }

    @Override
    public String toString() {
        return name + " (" + match.describe() + ", due " + CustomerModel.format(due) + ", " + ownerTeam + ")";
    }
}
