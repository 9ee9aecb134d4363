package io.headway.score;

import java.util.Locale;

/** Grade bands, worst first. */
public enum Grade {
    RED,
    YELLOW,
    GREEN;

    private static final Grade[] VALUES = values();

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Grade of(int ordinal) {
        return VALUES[ordinal];
    }
}
