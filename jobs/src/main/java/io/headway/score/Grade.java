package io.headway.score;

import java.util.Locale;

/** Grade bands, worst first. */
public enum Grade {
    RED,
    YELLOW,
    GREEN;

    private static final Grade[] VALUES = values();

    public String wireName() {
        return WIRE_NAMES[ordinal()];
    }

    public static Grade of(int ordinal) {
        return VALUES[ordinal];
    }

    private static final String[] WIRE_NAMES = wireNames();

    private static String[] wireNames() {
        Grade[] values = values();
        String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].name().toLowerCase(Locale.ROOT);
        }
        return names;
    }
}
