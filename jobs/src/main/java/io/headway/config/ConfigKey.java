package io.headway.config;

import org.apache.flink.util.TimeUtils;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One documented configuration key: its name, default (null = required) and how its text is read.
 * Every key Headway accepts is a constant in {@link HeadwayConfig}; that list is the one place the
 * keys are defined, and a test checks docs/configuration.md documents each of them.
 */
public final class ConfigKey<T> {

    private final String name;
    private final String defaultText;
    private final String description;
    private final Function<String, T> parser;
    private final boolean secretReference;

    private ConfigKey(
            String name, String defaultText, String description, Function<String, T> parser, boolean secretReference) {
        this.name = name;
        this.defaultText = defaultText;
        this.description = description;
        this.parser = parser;
        this.secretReference = secretReference;
    }

    public static ConfigKey<String> string(String name, String defaultText, String description) {
        return new ConfigKey<>(name, defaultText, description, s -> s, false);
    }

    public static ConfigKey<Integer> integer(String name, String defaultText, String description) {
        return new ConfigKey<>(name, defaultText, description, s -> Integer.parseInt(s.trim()), false);
    }

    public static ConfigKey<Boolean> bool(String name, String defaultText, String description) {
        return new ConfigKey<>(name, defaultText, description, ConfigKey::parseBoolean, false);
    }

    public static ConfigKey<Duration> duration(String name, String defaultText, String description) {
        return new ConfigKey<>(name, defaultText, description, s -> TimeUtils.parseDuration(s.trim()), false);
    }

    public static ConfigKey<List<String>> list(String name, String defaultText, String description) {
        return new ConfigKey<>(name, defaultText, description, ConfigKey::parseList, false);
    }

    public static <E extends Enum<E>> ConfigKey<E> enumeration(
            String name, String defaultText, Class<E> type, String description) {
        String allowed =
                Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                        .collect(Collectors.joining(", "));
        return new ConfigKey<>(
                name,
                defaultText,
                description + " One of: " + allowed + ".",
                s -> Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_')),
                false);
    }

    /** A key that names where a secret is (an environment variable or a file), never the secret. */
    public static ConfigKey<String> secretReference(String name, String defaultText, String description) {
        return new ConfigKey<>(name, defaultText, description, s -> s, true);
    }

    public String name() {
        return name;
    }

    public String defaultText() {
        return defaultText;
    }

    public boolean required() {
        return defaultText == null;
    }

    public String description() {
        return description;
    }

    boolean isSecretReference() {
        return secretReference;
    }

    T parse(String text) {
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            throw new ConfigException(
                    name, "cannot read '" + Secrets.mask(text) + "': " + (e.getMessage() == null ? e : e.getMessage()));
        }
    }

    private static boolean parseBoolean(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
            return true;
        }
        if (t.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static List<String> parseList(String s) {
        return Arrays.stream(s.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .collect(Collectors.toList());
    }
}
