package io.headway.alert;

import static io.headway.testing.Fixtures.DAY_1;
import static io.headway.testing.Fixtures.day;
import static io.headway.testing.Fixtures.goalSet;
import static io.headway.testing.Fixtures.journeyStarted;
import static io.headway.testing.Fixtures.milestoneReached;
import static io.headway.testing.Fixtures.outcomeMeasured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.headway.PipelineSettings;
import io.headway.schema.Alert;
import io.headway.schema.RiskFeature;
import io.headway.schema.RiskUpdate;
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
 * Alerts through the production workflow, from touchpoints through journeys and goals: a milestone at
 * risk that opens and resolves (the first scenario of {@link AlertFunctionTest}), and an achieved goal
 * recorded as a win.
 */
class AlertWorkflowITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    /** Onboarding starts on day 1 at 09:00: kickoff is due 5 days later, behind after 80 % of that. */
    private static final Instant STARTED = DAY_1.plus(Duration.ofHours(9));
    private static final Instant KICKOFF_BEHIND = STARTED.plus(Duration.ofDays(4));
    private static final Instant KICKOFF_DUE = STARTED.plus(Duration.ofDays(5));
    private static final Instant KICKOFF_REACHED = KICKOFF_BEHIND.plus(Duration.ofHours(12));

    @Test
    void shouldOpenAndResolveAMilestoneAtRiskAndRecordAnAchievedGoalAsAWin() throws Exception {
        Touchpoint kickoff = milestoneReached("acme", "kickoff", KICKOFF_REACHED);
        // Before acme's last touchpoint: at the end of the input each subtask fires the deadlines up to
        // the latest touchpoint it saw, of any of its accounts (globex and acme share one at parallelism
        // 2), so a later one would let acme's next milestones fall behind and overdue too.
        Instant goalReachedAt = day(4);
        Touchpoint reached = outcomeMeasured("globex", "globex-g1", "weekly_active_users", 52, goalReachedAt);
        BoundedInput input = BoundedInput.of(List.of(
                goalSet("globex", "globex-g1", "weekly_active_users", 10, 50, day(28), day(0).plus(Duration.ofHours(9))),
                journeyStarted("acme", "onboarding", STARTED),
                reached,
                kickoff));

        try (TestWorkflow run = TestWorkflow.run(input)) {
            List<Alert> alerts = run.alerts();
            // The journey's behind deadline fires before the kickoff touchpoint, which lies after it;
            // the kickoff, reached before its due date, clears the alert.
            assertThat(alerts)
                    .filteredOn(a -> a.getAccountId().equals("acme"))
                    .extracting(Alert::getRule, Alert::getState, Alert::getReason, Alert::getSubject, Alert::getUpdatedAt)
                    .containsExactly(
                            tuple("milestone-at-risk", "open", "fired", "onboarding/1/kickoff", KICKOFF_BEHIND.toEpochMilli()),
                            tuple("milestone-at-risk", "resolved", "cleared", "onboarding/1/kickoff", KICKOFF_REACHED.toEpochMilli()));
            Alert open = alerts.stream().filter(a -> a.getAccountId().equals("acme")).findFirst().orElseThrow();
            assertThat(open.getDueAt()).isEqualTo(KICKOFF_DUE.toEpochMilli());
            assertThat(open.getLeadTimeMs()).as("warned a day before the due date").isEqualTo(Duration.ofDays(1).toMillis());
            assertThat(alerts)
                    .filteredOn(a -> a.getAccountId().equals("globex"))
                    .extracting(Alert::getRule, Alert::getKind, Alert::getState, Alert::getSubject, Alert::getOpenedAt)
                    .containsExactly(tuple("goal-achieved", "win", "won", "goal/globex-g1", goalReachedAt.toEpochMilli()));
            assertThat(alerts.stream().filter(a -> a.getAccountId().equals("globex")).findFirst().orElseThrow()
                            .getExplanation().getEventIds())
                    .contains(reached.getEventId());
        }
    }

    @Test
    void shouldWriteTheAccountRiskOfEachAccountWhenTheModelHasOne() throws Exception {
        PipelineSettings d = PipelineSettings.defaults();
        PipelineSettings settings = new PipelineSettings(d.maxOutOfOrderness, d.idleness, d.allowedLateness, d.dedupHorizon,
                d.activityEmitInterval, AlertRiskTest.withRisk(AlertRiskTest.RISK));
        List<Touchpoint> touchpoints = List.of(
                goalSet("globex", "globex-g1", "weekly_active_users", 10, 50, day(28), day(0).plus(Duration.ofHours(9))),
                journeyStarted("acme", "onboarding", STARTED),
                milestoneReached("acme", "kickoff", KICKOFF_REACHED));

        try (TestWorkflow run = TestWorkflow.run(settings, BoundedInput.of(touchpoints))) {
            assertThat(run.risk()).extracting(RiskUpdate::getAccountId).contains("acme", "globex");
            for (RiskUpdate u : run.risk()) {
                double sum = u.getIntercept() + u.getFeatures().stream().mapToDouble(RiskFeature::getContribution).sum();
                assertThat(sum).isCloseTo(u.getLogit(), within(1e-9));
                assertThat(u.getModelVersion()).isEqualTo("2026-12-02");
            }
        }
        try (TestWorkflow run = TestWorkflow.run(BoundedInput.of(touchpoints))) {
            assertThat(run.risk()).as("the bundled model has no risk: section").isEmpty();
        }
    }
}
