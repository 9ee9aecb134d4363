package io.headway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The configuration table (docs/configuration.md) is the user's view of {@link HeadwayConfig#KEYS}; keep them equal. */
class ConfigDocumentationTest {

    @Test
    void shouldAcceptTheExampleConfiguration() {
        HeadwayConfig c =
                HeadwayConfig.fromArgs(
                        new String[] {"--config", Path.of("..", "docs", "headway.example.properties").toString()},
                        java.util.Map.of("HEADWAY_JDBC_PASSWORD", "from-env"));

        assertThat(c.get(HeadwayConfig.OUTPUT_DELIVERY)).isEqualTo(HeadwayConfig.Delivery.EXACTLY_ONCE);
        assertThat(c.jdbcPassword()).isEqualTo("from-env");
    }

    @Test
    void shouldDocumentEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "configuration.md"), StandardCharsets.UTF_8);

        for (ConfigKey<?> key : HeadwayConfig.KEYS) {
            String defaultCell = key.required() ? "(required)" : key.defaultText().isEmpty() ? "" : "`" + key.defaultText() + "`";
            String row = "| `" + key.name() + "` |" + (defaultCell.isEmpty() ? " |" : " " + defaultCell + " |");
            assertThat(readme).as(key.name()).contains(row);
        }
    }
}
