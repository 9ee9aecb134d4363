package io.headway.outcome;

import static io.headway.testing.Fixtures.day;
import static io.headway.testing.Fixtures.goalSet;
import static io.headway.testing.Fixtures.outcomeMeasured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.headway.schema.GoalUpdate;
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

/**
 * Customer goals through the production workflow, on the goal of {@link GoalFunctionTest}: weekly
 * active users from 10 to 50 by day 28, declared on day 0 at 09:00, measured weekly.
 */
class GoalWorkflowITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    private static final String METRIC = "weekly_active_users";
    private static final Instant DECLARED = day(0).plus(Duration.ofHours(9));
    private static final Instant DEADLINE = day(28);

    @Test
    void shouldDeclareTrackAndAchieveAGoalAndSetAsideAMeasurementOfAnUnknownGoal() throws Exception {
        Touchpoint declared = goalSet("acme", "acme-g1", METRIC, 10, 50, DEADLINE, DECLARED);
        Touchpoint reached = outcomeMeasured("acme", "acme-g1", METRIC, 52, day(21));
        Touchpoint stray = outcomeMeasured("globex", "globex-g1", METRIC, 12, day(7));
        BoundedInput input = BoundedInput.of(List.of(
                declared,
                outcomeMeasured("acme", "acme-g1", METRIC, 17, day(7)),
                stray,
                outcomeMeasured("acme", "acme-g1", METRIC, 31, day(14)),
                reached));

        try (TestWorkflow run = TestWorkflow.run(input)) {
            // Week 1: one measurement, no trend yet, nothing changed: no record. Week 2: a trend of two a
            // day projects 59 by the deadline, on track. Week 3 meets the target before the deadline.
            assertThat(run.goals())
                    .extracting(GoalUpdate::getGoalId, GoalUpdate::getChange, GoalUpdate::getStatus, GoalUpdate::getPreviousStatus,
                            GoalUpdate::getAsOf)
                    .containsExactly(
                            tuple("acme-g1", "declared", "on_track", null, DECLARED.toEpochMilli()),
                            tuple("acme-g1", "measured", "on_track", "on_track", day(14).toEpochMilli()),
                            tuple("acme-g1", "achieved", "achieved", "on_track", day(21).toEpochMilli()));
            GoalUpdate achieved = run.goals().get(2);
            assertThat(achieved.getLatest().getValue()).isEqualTo(52.0);
            assertThat(achieved.getLatest().getEventId()).isEqualTo(reached.getEventId());
            assertThat(achieved.getCausingEventIds()).contains(declared.getEventId(), reached.getEventId());
            assertThat(run.late())
                    .extracting(LateTouchpoint::getReason, l -> l.getTouchpoint().getEventId())
                    .containsExactly(tuple(GoalFunction.UNKNOWN_GOAL, stray.getEventId()));
        }
    }
}
