package io.headway.alert;

import java.util.Locale;

/** The kinds of alert rule the customer model's {@code rules:} section can configure. */
public enum RuleType {
    MILESTONE_AT_RISK(false, "journey"),
    MILESTONE_OVERDUE(false, "journey"),
    TIME_TO_VALUE_AT_RISK(false, "journey"),
    ADOPTION_DECAY(false, "score"),
    SILENCE(false, "score"),
    SUPPORT_FRICTION_SPIKE(false, "score"),
    DETRACTOR_AFTER_TICKET(false, "score"),
    HEALTH_RED(false, "score"),
    HEALTH_DROP(false, "score"),
    RENEWAL_LOW_HEALTH(false, "journey and score"),
    GOAL_AT_RISK(false, "goal"),
    GOAL_ACHIEVED(true, "goal"),
    FIRST_VALUE_EARLY(true, "journey"),
    MILESTONE_AHEAD(true, "journey"),
    /** From the customer model's risk: section, not from rules: (see AccountRiskRule). */
    ACCOUNT_RISK(false, "risk");

    /** Wins are single records; risks have a lifecycle. */
    public final boolean win;
    /** Which upstream records drive it, for documentation. */
    public final String input;

    RuleType(boolean win, String input) {
        this.win = win;
        this.input = input;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RuleType fromWireName(String name) {
        for (RuleType t : values()) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
