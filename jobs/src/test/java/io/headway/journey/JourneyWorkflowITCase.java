package io.headway.journey;

import static io.headway.testing.Fixtures.DAY_1;
import static io.headway.testing.Fixtures.day;
import static io.headway.testing.Fixtures.journeyStarted;
import static io.headway.testing.Fixtures.milestoneReached;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.headway.schema.JourneyUpdate;
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
import java.util.List;

/** Journeys of the default customer model through the production workflow. */
class JourneyWorkflowITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    private static final Instant STARTED = DAY_1.plus(Duration.ofHours(9));

    @Test
    void shouldFollowAnOnboardingAndSetAsideAMilestoneWithoutAJourney() throws Exception {
        Touchpoint kickoff = milestoneReached("acme", "kickoff", day(2).plus(Duration.ofHours(9)));
        Touchpoint stray = milestoneReached("globex", "kickoff", day(2).plus(Duration.ofHours(10)));
        BoundedInput input = BoundedInput.of(List.of(
                journeyStarted("acme", "onboarding", STARTED),
                kickoff,
                stray,
                milestoneReached("acme", "integration_connected", day(3).plus(Duration.ofHours(9)))));

        try (TestWorkflow run = TestWorkflow.run(input)) {
            assertThat(run.journeys())
                    .extracting(JourneyUpdate::getInstanceId, JourneyUpdate::getTransition, JourneyUpdate::getSubject,
                            JourneyUpdate::getStatus, JourneyUpdate::getSequence)
                    .containsExactly(
                            tuple("acme/onboarding/1", "started", null, "on_track", 1),
                            tuple("acme/onboarding/1", "milestone_reached", "kickoff", "on_track", 2),
                            tuple("acme/onboarding/1", "milestone_reached", "integration_connected", "on_track", 3));
            assertThat(run.journeys().get(1).getCauseEventId()).isEqualTo(kickoff.getEventId());
            assertThat(run.late())
                    .extracting(LateTouchpoint::getReason, l -> l.getTouchpoint().getEventId())
                    .containsExactly(tuple("no_open_journey", stray.getEventId()));
        }
    }
}
