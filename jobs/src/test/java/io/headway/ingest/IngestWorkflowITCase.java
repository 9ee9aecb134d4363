package io.headway.ingest;

import static io.headway.testing.Fixtures.DAY_1;
import static io.headway.testing.Fixtures.featureUsed;
import static io.headway.testing.Fixtures.login;
import static io.headway.testing.Fixtures.ticketOpened;
import static io.headway.testing.Fixtures.withId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.headway.schema.ActivitySummary;
import io.headway.schema.DeadLetter;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.Touchpoint;
import io.headway.testing.BoundedInput;
import io.headway.testing.MiniClusters;
import io.headway.testing.TestWorkflow;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/**
 * Ingestion through the production workflow, on hand-made records: malformed values become dead
 * letters with their reason, a repeated event id is dropped, a touchpoint behind the watermark goes
 * to the late output; only the rest reaches the capabilities.
 */
class IngestWorkflowITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    private static final Instant NINE_AM = DAY_1.plus(Duration.ofHours(9));

    @Test
    void shouldSplitDeadLettersDuplicatesAndLateTouchpointsFromTheAcceptedOnes() throws Exception {
        Touchpoint first = login("acme", NINE_AM);
        Touchpoint globex = featureUsed("globex", NINE_AM.plus(Duration.ofMinutes(10)));
        Touchpoint ticket = ticketOpened("acme", NINE_AM.plus(Duration.ofHours(3)));
        Touchpoint late = featureUsed("acme", NINE_AM.plus(Duration.ofMinutes(30)));
        long day1 = DAY_1.toEpochMilli();
        BoundedInput input = BoundedInput.builder()
                .add(first)
                .addRaw("{\"event_id\":")
                .addRaw("{\"event_id\":\"x\",\"account_id\":\"acme\",\"occurred_at\":" + day1 + ",\"source\":\"marketing\",\"type\":\"login\"}")
                .addRaw("{\"event_id\":\"y\",\"occurred_at\":" + day1 + ",\"source\":\"product\",\"type\":\"login\"}")
                .add(withId(login("acme", NINE_AM.plusSeconds(1)), first.getEventId()), globex, ticket)
                // The ticket at noon takes the watermark past 11:55, well past the late one's 9:30.
                .pauseUntilWatermark(NINE_AM.plus(Duration.ofHours(1)))
                .add(late)
                .build();

        try (TestWorkflow run = TestWorkflow.run(input)) {
            assertThat(run.deadLetters())
                    .extracting(DeadLetter::getReasonCode, DeadLetter::getTopic, DeadLetter::getOffset)
                    .containsExactlyInAnyOrder(
                            tuple("INVALID_JSON", BoundedInput.TOPIC, 1L),
                            tuple("UNKNOWN_SOURCE", BoundedInput.TOPIC, 2L),
                            tuple("MISSING_FIELD", BoundedInput.TOPIC, 3L));
            assertThat(run.deadLetters()).allSatisfy(d -> assertThat(d.getReason()).isNotBlank());

            assertThat(run.late())
                    .extracting(LateTouchpoint::getReason, l -> l.getTouchpoint().getEventId())
                    .containsExactly(tuple(AcceptTouchpoints.BEHIND_WATERMARK, late.getEventId()));

            // The last summary of each account counts what was accepted: not the repeat, not the late one.
            assertThat(run.activity().stream()
                            .filter(a -> a.getAccountId().equals("acme"))
                            .max(Comparator.comparing(ActivitySummary::getAsOf)))
                    .hasValueSatisfying(a -> {
                        assertThat(a.getEvents28d()).isEqualTo(2);
                        assertThat(a.getEvents28dBySource()).containsOnly(
                                org.assertj.core.api.Assertions.entry("product", 1L), org.assertj.core.api.Assertions.entry("support", 1L));
                        assertThat(a.getLastSeenAt()).isEqualTo(ticket.getOccurredAt());
                    });
            assertThat(run.activity()).extracting(ActivitySummary::getAccountId).containsOnly("acme", "globex");
        }
    }
}
