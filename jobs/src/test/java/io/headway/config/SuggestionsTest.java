package io.headway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

class SuggestionsTest {

    private static final List<String> KEYS = List.of("inactivity", "on", "owner_team", "success");

    @Test
    void shouldSuggestTheNearestKnownName() {
        assertThat(Suggestions.closest("owner_teem", KEYS)).contains("owner_team");
        assertThat(Suggestions.closest("inactivty", KEYS)).contains("inactivity");
    }

    @Test
    void shouldNotSuggestANameThatSharesNothing() {
        assertThat(Suggestions.closest("whenever", KEYS)).isEmpty();
        assertThat(Suggestions.closest("xy", KEYS)).as("every character would change").isEmpty();
    }
}
