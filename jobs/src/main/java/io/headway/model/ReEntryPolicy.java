package io.headway.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a journey's entry trigger does for an account that already had an instance of it. */
public enum ReEntryPolicy {
    /** One instance per account, ever: later entry triggers are ignored. */
    NEVER,
    /** The entry trigger after an instance closed (completed or abandoned) opens a new instance. */
    NEW_INSTANCE,
    /**
     * Like {@link #NEW_INSTANCE}, but an event for an <em>abandoned</em> instance (its entry trigger
     * or one of its milestones) re-opens that instance instead of starting a new one: the customer
     * came back to the same journey rather than starting over.
     */
    REOPEN;

    /** The value in the model file: {@code never}, {@code new_instance}, {@code reopen}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReEntryPolicy> fromWireName(String text) {
        for (ReEntryPolicy p : values()) {
            if (p.wireName().equals(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static String allowed() {
        return Arrays.stream(values()).map(ReEntryPolicy::wireName).collect(Collectors.joining(", "));
    }
}
