package io.headway.activity;

import static io.headway.testing.Fixtures.DAY_1;
import static io.headway.testing.Fixtures.DAY_2;
import static io.headway.testing.Fixtures.featureUsed;
import static io.headway.testing.Fixtures.login;
import static io.headway.testing.Fixtures.ticketOpened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.headway.schema.ActivitySummary;
import io.headway.testing.BoundedInput;
import io.headway.testing.MiniClusters;
import io.headway.testing.TestWorkflow;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Activity summaries through the production workflow: hourly, per account, up to where the input ends. */
class ActivityWorkflowITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    private static final Instant NINE_AM = DAY_1.plus(Duration.ofHours(9));

    @Test
    void shouldSummarizeEachAccountAtEveryHourWithNews() throws Exception {
        BoundedInput input = BoundedInput.of(List.of(
                login("acme", NINE_AM),
                featureUsed("acme", NINE_AM.plus(Duration.ofMinutes(20))),
                login("globex", NINE_AM.plus(Duration.ofMinutes(30))),
                ticketOpened("acme", NINE_AM.plus(Duration.ofHours(2))),
                login("acme", DAY_2.plus(Duration.ofHours(9)))));

        try (TestWorkflow run = TestWorkflow.run(input)) {
            assertThat(run.activity())
                    .filteredOn(a -> a.getAccountId().equals("acme"))
                    .extracting(ActivitySummary::getAsOf, ActivitySummary::getEvents7d, ActivitySummary::getEvents7dBySource)
                    .containsExactly(
                            tuple(ms(NINE_AM.plus(Duration.ofHours(1))), 2L, Map.of("product", 2L)),
                            tuple(ms(NINE_AM.plus(Duration.ofHours(3))), 3L, Map.of("product", 2L, "support", 1L)),
                            // The end of the input's watermark closes the last touchpoint's hour; the
                            // midnights at which DAY_1 leaves the 7- and 28-day windows lie after the input
                            // and do not fire (see ActivitySummaryFunction, end of a bounded input).
                            tuple(ms(DAY_2.plus(Duration.ofHours(10))), 4L, Map.of("product", 3L, "support", 1L)));
            assertThat(run.activity())
                    .filteredOn(a -> a.getAccountId().equals("globex"))
                    .extracting(ActivitySummary::getAsOf, ActivitySummary::getEvents28d, ActivitySummary::getLastSeenAt, ActivitySummary::getActive)
                    .containsExactly(tuple(ms(NINE_AM.plus(Duration.ofHours(1))), 1L, ms(NINE_AM.plus(Duration.ofMinutes(30))), true));
        }
    }

    private static long ms(Instant i) {
        return i.toEpochMilli();
    }
}
