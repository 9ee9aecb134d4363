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
        return WIRE_NAMES[ordinal()];
    }

    public static Stage fromWireName(String name) {
        for (Stage s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static final String[] WIRE_NAMES = wireNames();

    private static String[] wireNames() {
        Stage[] values = values();
        String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].name().toLowerCase(Locale.ROOT);
        }
        return names;
    }
}
