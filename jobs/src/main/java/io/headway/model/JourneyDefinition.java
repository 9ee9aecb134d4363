package io.headway.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One customer journey: the touchpoint that starts it, its milestones in the order they are due, what
 * completes it and what abandons it. Validated as a whole when read, so a journey that exists is
 * consistent (names unique, due offsets non-decreasing, references resolved).
 */
public final class JourneyDefinition implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Reached milestones fit one {@code int} bit set per instance, which keeps journey state small. */
    public static final int MAX_MILESTONES = 32;

    public static final double DEFAULT_BEHIND_SHARE = 0.8;

    /** The {@code completion} value meaning "every milestone reached". */
    public static final String ALL_MILESTONES = "all_milestones";

    static final Set<String> KEYS =
            CustomerModel.orderedSet(
                    "name", "entry", "behind_share", "behind_before", "milestones", "time_to_value", "completion", "abandonment",
                    "re_entry");
    static final Set<String> ABANDONMENT_KEYS = CustomerModel.orderedSet("inactivity", "on");

    private final String name;
    private final Matcher entry;
    private final List<MilestoneDefinition> milestones;
    private final int timeToValueMilestone;
    private final int completionMilestone;
    private final Duration abandonAfterInactivity;
    private final List<Matcher> abandonOn;
    private final ReEntryPolicy reEntry;
    private final double behindShare;
    /** When set, a milestone is behind this long before it is due, instead of after {@link #behindShare}. */
    private final Duration behindBefore;

    private JourneyDefinition(
            String name,
            Matcher entry,
            List<MilestoneDefinition> milestones,
            int timeToValueMilestone,
            int completionMilestone,
            Duration abandonAfterInactivity,
            List<Matcher> abandonOn,
            ReEntryPolicy reEntry,
            double behindShare,
            Duration behindBefore) {
        this.name = name;
        this.entry = entry;
        this.milestones = List.copyOf(milestones);
        this.timeToValueMilestone = timeToValueMilestone;
        this.completionMilestone = completionMilestone;
        this.abandonAfterInactivity = abandonAfterInactivity;
        this.abandonOn = List.copyOf(abandonOn);
        this.reEntry = reEntry;
        this.behindShare = behindShare;
        this.behindBefore = behindBefore;
    }

    static JourneyDefinition read(ModelNode node) {
        if (!node.isMapping()) {
            throw node.error("must be a mapping with name, entry, milestones and abandonment");
        }
        node.checkKeys(KEYS);
        String name = node.requireString("name");
        Matcher entry = Matcher.read(node.get("entry"));

        double behindShare = node.optionalDouble("behind_share", DEFAULT_BEHIND_SHARE);
        if (!(behindShare > 0 && behindShare < 1)) {
            throw node.get("behind_share").error(
                    "must be between 0 and 1, both excluded (the share of a milestone's due offset after which it is behind), was "
                            + behindShare);
        }

        List<MilestoneDefinition> milestones = readMilestones(node);
        Duration behindBefore = readBehindBefore(node, milestones);
        int timeToValue = milestoneReference(node.get("time_to_value"), milestones, false);
        int completion = milestoneReference(node.get("completion"), milestones, true);

        ModelNode abandonment = node.get("abandonment");
        abandonment.checkKeys(ABANDONMENT_KEYS);
        Duration inactivity = abandonment.requireDuration("inactivity");
        if (inactivity.isZero() || inactivity.isNegative()) {
            throw abandonment.get("inactivity").error("must be positive, was " + CustomerModel.format(inactivity));
        }
        List<Matcher> abandonOn = new ArrayList<>();
        for (ModelNode m : abandonment.get("on").elements()) {
            abandonOn.add(Matcher.read(m));
        }

        ModelNode reEntryNode = node.get("re_entry");
        ReEntryPolicy reEntry = ReEntryPolicy.NEW_INSTANCE;
        if (!reEntryNode.isMissing()) {
            String text = reEntryNode.asString();
            reEntry = ReEntryPolicy.fromWireName(text)
                    .orElseThrow(() -> reEntryNode.error(
                            "\"" + text + "\" is not a re-entry policy; use one of " + ReEntryPolicy.allowed()));
        }
        return new JourneyDefinition(
                name, entry, milestones, timeToValue, completion, inactivity, abandonOn, reEntry, behindShare, behindBefore);
    }

    /**
     * {@code behind_before}: a fixed warning time before each deadline. A share of the due offset
     * warns weeks ahead on a long journey (80 % of 200 days is 40 days early), where every customer
     * who works to the deadline would be "behind".
     */
    private static Duration readBehindBefore(ModelNode node, List<MilestoneDefinition> milestones) {
        ModelNode before = node.get("behind_before");
        if (before.isMissing()) {
            return null;
        }
        if (!node.get("behind_share").isMissing()) {
            throw before.error("give behind_share or behind_before, not both");
        }
        Duration d = node.requireDuration("behind_before");
        if (d.isZero() || d.isNegative()) {
            throw before.error("must be positive, was " + CustomerModel.format(d));
        }
        for (MilestoneDefinition m : milestones) {
            if (m.due().compareTo(d) <= 0) {
                throw before.error("must be shorter than every milestone's due offset; " + m.name() + " is due at "
                        + CustomerModel.format(m.due()) + ", was " + CustomerModel.format(d));
            }
        }
        return d;
    }

    private static List<MilestoneDefinition> readMilestones(ModelNode journey) {
        ModelNode list = journey.get("milestones");
        List<ModelNode> nodes = journey.requireList("milestones");
        if (nodes.isEmpty()) {
            throw list.error("lists no milestone; a journey needs at least one");
        }
        if (nodes.size() > MAX_MILESTONES) {
            throw list.error("lists " + nodes.size() + " milestones; at most " + MAX_MILESTONES + " are allowed");
        }
        List<MilestoneDefinition> out = new ArrayList<>(nodes.size());
        for (ModelNode node : nodes) {
            MilestoneDefinition m = MilestoneDefinition.read(node);
            if (m.name().equals(ALL_MILESTONES)) {
                throw node.get("name").error("\"" + ALL_MILESTONES + "\" is reserved (completion: " + ALL_MILESTONES + ")");
            }
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).name().equals(m.name())) {
                    throw node.get("name").error("\"" + m.name() + "\" is already the name of milestones[" + i + "]");
                }
            }
            // Listed in due order, a milestone's predecessors are the ones that should be reached
            // first; an out-of-order list is almost always a typo in a due offset.
            if (!out.isEmpty()) {
                MilestoneDefinition previous = out.get(out.size() - 1);
                if (m.due().compareTo(previous.due()) < 0) {
                    throw node.get("due").error(
                            CustomerModel.format(m.due()) + " is earlier than the " + CustomerModel.format(previous.due())
                                    + " of " + previous.name() + " before it; list milestones in the order they are due");
                }
            }
            out.add(m);
        }
        return out;
    }

    /** The index of the milestone named by {@code node}; -1 when missing (or all_milestones, if allowed). */
    private static int milestoneReference(ModelNode node, List<MilestoneDefinition> milestones, boolean allowAll) {
        if (node.isMissing()) {
            return -1;
        }
        String name = node.asString();
        if (allowAll && name.equals(ALL_MILESTONES)) {
            return -1;
        }
        for (int i = 0; i < milestones.size(); i++) {
            if (milestones.get(i).name().equals(name)) {
                return i;
            }
        }
        String names = milestones.stream().map(MilestoneDefinition::name).collect(Collectors.joining(", "));
        throw node.error("\"" + name + "\" is not a milestone of this journey; use one of " + names
                + (allowAll ? " or " + ALL_MILESTONES : ""));
    }

    public String name() {
        return name;
    }

    /** The touchpoint that starts an instance. */
    public Matcher entry() {
        return entry;
    }

    /** In the file's order, which is the order they are due; 1 to {@link #MAX_MILESTONES}. */
    public List<MilestoneDefinition> milestones() {
        return milestones;
    }

    /** Index into {@link #milestones()} of the milestone that marks time to value, or -1 if not declared. */
    public int timeToValueMilestone() {
        return timeToValueMilestone;
    }

    /** Index of the milestone that completes the journey, or -1 meaning "all milestones reached". */
    public int completionMilestone() {
        return completionMilestone;
    }

    /** An open instance with no touchpoint at all from the account for this long is abandoned; positive. */
    public Duration abandonAfterInactivity() {
        return abandonAfterInactivity;
    }

    /** Touchpoints that abandon an open instance at once (e.g. subscription_cancelled); may be empty. */
    public List<Matcher> abandonOn() {
        return abandonOn;
    }

    public ReEntryPolicy reEntry() {
        return reEntry;
    }

    /**
     * A milestone is behind when this share (0 &lt; x &lt; 1) of its due offset has elapsed without it,
     * unless {@link #behindBefore()} is set.
     */
    public double behindShare() {
        return behindShare;
    }

    /** How long before its due offset a milestone is behind, or null: then {@link #behindShare()} applies. */
    public Duration behindBefore() {
        return behindBefore;
    }

    /** The offset from the journey's start at which milestone {@code k} is behind if not reached. */
    public long behindOffsetMillis(int k) {
        long due = milestones.get(k).due().toMillis();
        return behindBefore != null ? due - behindBefore.toMillis() : (long) Math.floor(behindShare * due);
    }

    /** The index of the milestone called {@code name}, or -1. */
    public int milestoneIndex(String name) {
        for (int i = 0; i < milestones.size(); i++) {
            if (milestones.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return name + " " + entry.describe() + " -> " + milestones;
    }
}
