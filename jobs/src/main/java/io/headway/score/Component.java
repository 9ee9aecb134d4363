package io.headway.score;

import java.util.Locale;

/**
 * The components of a health score, each normalized to 0-100 from the account's incremental state
 * ({@link ScoreState}). The order is the index into weights, contributions and cause rings: append
 * new components at the end (state written by an older version keeps its meaning).
 */
public enum Component {
    /** Distinct features used in the last 28 days / features entitled. */
    ADOPTION_BREADTH(true),
    /** Usage (logins and feature uses, decayed by the usage half-life) per active user and day / target. */
    DEPTH(true),
    /** UTC days with product activity among the last 28 / target days. */
    FREQUENCY(true),
    /** Users active in the last 28 days / seats of the subscription. */
    SEAT_UTILIZATION(true),
    /** Halves every recency half-life since the last product activity. */
    RECENCY(true),
    /** 100 minus penalties for open, escalated and reopened tickets and slow resolution. */
    SUPPORT_FRICTION(false),
    /** Latest NPS and CSAT; a detractor soon after a ticket costs extra. */
    SENTIMENT(false),
    /** Share of the onboarding journey's milestones reached. */
    ONBOARDING(false),
    /** Latest outcome measurement between the goal's baseline (0) and target (100). */
    OUTCOME(false);

    public static final int COUNT = values().length;

    private static final Component[] VALUES = values();

    /** Moved by product activity, so silence is explained as "no product activity since". */
    public final boolean product;

    Component(boolean product) {
        this.product = product;
    }

    /** The name on the wire and in the model file: {@code adoption_breadth}, {@code seat_utilization}, ... */
    public String wireName() {
        return WIRE_NAMES[ordinal()];
    }

    public static Component of(int index) {
        return VALUES[index];
    }

    /** The component with this wire name, or null. */
    public static Component fromWireName(String name) {
        for (Component c : VALUES) {
            if (c.wireName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static final String[] WIRE_NAMES = wireNames();

    private static String[] wireNames() {
        Component[] values = values();
        String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].name().toLowerCase(Locale.ROOT);
        }
        return names;
    }
}
