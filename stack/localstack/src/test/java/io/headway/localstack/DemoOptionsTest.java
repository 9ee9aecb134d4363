package io.headway.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.Map;

class DemoOptionsTest {

    @Test
    void shouldRunTheJobAtParallelismTwoByDefault() {
        assertThat(DemoOptions.parse(new String[0], Map.of()).parallelism).isEqualTo(2);
    }

    @Test
    void shouldAcceptTheLargestParallelismWhoseSinkConnectionsFitPostgres() {
        DemoOptions o = DemoOptions.parse(new String[] {"--parallelism", "6"}, Map.of());

        assertThat(o.parallelism).isEqualTo(6);
        assertThat(6 * DemoOptions.JDBC_SINKS + DemoOptions.OTHER_CONNECTIONS).isLessThanOrEqualTo(LocalPostgres.MAX_CONNECTIONS);
    }

    @Test
    void shouldFailFastNamingTheOptionWhenTheConnectionsWouldNotFit() {
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--parallelism", "7"}, Map.of()))
                .isInstanceOf(DemoOptions.UsageException.class)
                .hasMessageStartingWith("--parallelism 7 needs 57 database connections")
                .hasMessageContaining("max_connections of 50")
                .hasMessageEndingWith("use at most 6");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--parallelism", "0"}, Map.of()))
                .hasMessageStartingWith("--parallelism must be a positive integer");
    }
}
