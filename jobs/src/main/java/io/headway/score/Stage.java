package io.headway.score;

import java.util.Locale;

/**
 * Lifecycle stage of an account, derived from its touchpoints; each has its own weight profile.
 * ONBOARDING until every onboarding milestone is reached, RENEWAL inside the renewal window before
 * each anniversary of {@code subscription_started}, ADOPTED otherwise.
 */
public enum Stage {
    ONBOARDING,
    ADOPTED,
    RENEWAL;

    public static final int COUNT = values().length;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Stage fromWireName(String name) {
        for (Stage s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
