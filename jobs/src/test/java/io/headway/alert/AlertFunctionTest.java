package io.headway.alert;

import static io.headway.alert.AlertFixtures.ACCOUNT;
import static io.headway.alert.AlertFixtures.STARTED;
import static io.headway.alert.AlertFixtures.day;
import static io.headway.alert.AlertFixtures.feedback;
import static io.headway.alert.AlertFixtures.goal;
import static io.headway.alert.AlertFixtures.journey;
import static io.headway.alert.AlertFixtures.journeyOf;
import static io.headway.alert.AlertFixtures.ms;
import static io.headway.alert.AlertFixtures.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.headway.model.CustomerModel;
import io.headway.schema.AccountSignal;
import io.headway.schema.Alert;
import io.headway.schema.JourneyMilestone;
import io.headway.testing.BoundedDisorder;
import io.headway.testing.Harnesses;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@link AlertFunction} with the bundled model's rules (escalate after 7 d, at most 3 openings per key
 * in 30 d, silence after 10 d): every rule fires before its due date, stays quiet on track, resolves
 * when its condition clears, de-duplicates, escalates from its timer, honours snooze and acknowledge;
 * wins fire once; state and timers are gone when nothing is open.
 */
class AlertFunctionTest {

    private static final long DETECTED = 42L;
    /** onboarding's first_value (its time-to-value milestone) is due on day 40. */
    private static final Instant FIRST_VALUE_DUE = STARTED.plus(Duration.ofDays(40));
    private static final Instant KICKOFF_DUE = STARTED.plus(Duration.ofDays(5));
    private static final Instant KICKOFF_BEHIND = STARTED.plus(Duration.ofDays(4));
    private static final String KICKOFF = "onboarding/1/kickoff";

    private KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> harness;
    private long watermark;

    @BeforeEach
    void setUp() throws Exception {
        watermark = Long.MIN_VALUE;
        harness = newHarness();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldWarnThatAMilestoneIsAtRiskBeforeItIsDueAndResolveWhenItIsReached() throws Exception {
        process(journey("milestone_behind", "kickoff", KICKOFF_BEHIND, KICKOFF_DUE, null));
        process(journey("milestone_reached", "kickoff", KICKOFF_BEHIND.plus(Duration.ofHours(12)), KICKOFF_DUE,
                KICKOFF_BEHIND.plus(Duration.ofHours(12))));

        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getState, Alert::getReason, Alert::getSubject)
                .containsExactly(
                        tuple("milestone-at-risk", "open", "fired", KICKOFF),
                        tuple("milestone-at-risk", "resolved", "cleared", KICKOFF));
        Alert open = out.get(0);
        assertThat(open.getKind()).isEqualTo("risk");
        assertThat(open.getAlertKey()).isEqualTo("acme/milestone-at-risk/" + KICKOFF);
        assertThat(open.getAlertId()).isEqualTo(AlertFunction.alertId(ACCOUNT, "milestone-at-risk", KICKOFF, ms(KICKOFF_BEHIND)));
        assertThat(open.getDueAt()).isEqualTo(ms(KICKOFF_DUE));
        assertThat(open.getLeadTimeMs()).as("warned a day before the due date").isEqualTo(Duration.ofDays(1).toMillis());
        assertThat(open.getOwnerTeam()).as("the milestone's owner").isEqualTo("onboarding");
        assertThat(open.getSeverity()).isEqualTo("medium");
        assertThat(open.getDetectedAt()).isEqualTo(DETECTED);
        assertThat(open.getHeadline()).isEqualTo("Milestone at risk: onboarding / kickoff is not reached and falls due 2026-10-10");
        assertThat(open.getRecommendedAction()).startsWith("Call the customer's project lead");
        assertThat(out.get(1).getAlertId()).as("the same alert").isEqualTo(open.getAlertId());
        assertStateGoneAfterRefireWindow(day(40));
    }

    @Test
    void shouldStayQuietForAMilestoneReachedOnTime() throws Exception {
        process(journey("milestone_reached", "kickoff", STARTED.plus(Duration.ofDays(4)), KICKOFF_DUE, STARTED.plus(Duration.ofDays(4))));
        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldOpenOneAlertPerKeyWhateverTheRepeats() throws Exception {
        process(journey("milestone_behind", "kickoff", KICKOFF_BEHIND, KICKOFF_DUE, null));
        process(journey("milestone_behind", "kickoff", KICKOFF_BEHIND.plus(Duration.ofHours(1)), KICKOFF_DUE, null));
        assertThat(alerts()).extracting(Alert::getState).containsExactly("open");
    }

    @Test
    void shouldEscalateFromItsTimerWhenStillOpenAfterTheEscalationPeriod() throws Exception {
        process(journey("milestone_behind", "first_value", STARTED.plus(Duration.ofDays(32)), FIRST_VALUE_DUE, null));
        passTime(STARTED.plus(Duration.ofDays(39)));
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getState, Alert::getReason, Alert::getUpdatedAt)
                .containsExactly(
                        tuple("time-to-value-at-risk", "open", "fired", ms(STARTED.plus(Duration.ofDays(32)))),
                        tuple("time-to-value-at-risk", "escalated", "still_open", ms(STARTED.plus(Duration.ofDays(39)))));
        assertThat(out.get(0).getHeadline()).startsWith("Time to value at risk: onboarding / first_value");
        assertThat(out.get(0).getSeverity()).isEqualTo("high");
    }

    @Test
    void shouldEscalateTheAtRiskAlertAndOpenAnOverdueOneWhenTheMilestoneFallsDue() throws Exception {
        process(journey("milestone_behind", "kickoff", KICKOFF_BEHIND, KICKOFF_DUE, null));
        process(journey("milestone_overdue", "kickoff", KICKOFF_DUE, KICKOFF_DUE, null));
        process(journeyOf("onboarding", "abandoned", "inactivity", day(30), KICKOFF_DUE, null));
        assertThat(alerts()).extracting(Alert::getRule, Alert::getState, Alert::getReason)
                .containsExactly(
                        tuple("milestone-at-risk", "open", "fired"),
                        tuple("milestone-at-risk", "escalated", "worsened"),
                        tuple("milestone-overdue", "open", "fired"),
                        tuple("milestone-overdue", "escalated", "still_open"),
                        tuple("milestone-at-risk", "resolved", "ended"),
                        tuple("milestone-overdue", "resolved", "ended"));
    }

    @Test
    void shouldOpenAnOverdueAlertOnlyOnceMinMissedMilestonesHaveMissedTheirDueDate() throws Exception {
        harness.close();
        String bundled = new String(CustomerModel.class.getResourceAsStream("/headway/customer-model.yaml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String overdue = "    - id: milestone-overdue\n      type: milestone_overdue\n";
        assertThat(bundled).contains(overdue);
        harness = newHarness(CustomerModel.parse(bundled.replace(overdue, overdue + "      thresholds: {min_missed: 2}\n"), "test.yaml"));

        process(journey("milestone_overdue", "kickoff", KICKOFF_DUE, KICKOFF_DUE, null));
        assertThat(alerts()).as("one missed milestone: not yet").isEmpty();

        Instant integrationDue = day(12);
        AccountSignal second = journey("milestone_overdue", "integration_connected", integrationDue, integrationDue, null);
        JourneyMilestone kickoffLate = journey("milestone_reached", "kickoff", day(7), KICKOFF_DUE, day(7)).getJourney().getMilestones().get(0);
        second.getJourney().setMilestones(List.of(kickoffLate, second.getJourney().getMilestones().get(0)));
        process(second);

        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getState, Alert::getSubject)
                .containsExactly(tuple("milestone-overdue", "open", "onboarding/1/integration_connected"));
        assertThat(out.get(0).getExplanation().getText()).endsWith("2 of 2 milestones of this journey missed their due date.");
        process(journey("milestone_reached", "integration_connected", day(13), integrationDue, day(13)));
        assertThat(alerts()).extracting(Alert::getState).containsExactly("open", "resolved");
        assertStateGoneAfterRefireWindow(day(60));
    }

    @Test
    void shouldNotEscalateByTimeOnceAcknowledged() throws Exception {
        process(journey("milestone_behind", "kickoff", KICKOFF_BEHIND, KICKOFF_DUE, null));
        process(feedback("alert_acknowledged", KICKOFF_BEHIND.plus(Duration.ofHours(2)), Map.of("alert_key", "acme/milestone-at-risk/" + KICKOFF)));
        passTime(day(20));
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getState, Alert::getReason).containsExactly(tuple("open", "fired"), tuple("acknowledged", "acknowledged"));
        assertThat(out.get(1).getAcknowledgedAt()).isEqualTo(ms(KICKOFF_BEHIND.plus(Duration.ofHours(2))));
        assertThat(out.get(1).getExplanation().getText()).contains("acknowledged by csm-ana");
    }

    @Test
    void shouldHoldEscalationWhileSnoozedAndEscalateWhenTheSnoozeEnds() throws Exception {
        process(journey("milestone_behind", "kickoff", KICKOFF_BEHIND, KICKOFF_DUE, null));
        String id = alerts().get(0).getAlertId();
        harness.getOutput().clear();
        process(feedback("alert_snoozed", KICKOFF_BEHIND.plus(Duration.ofHours(1)), Map.of("alert_id", id, "until", "2026-10-20")));
        passTime(day(14));
        assertThat(alerts()).as("no escalation on day 11 while snoozed").extracting(Alert::getState).containsExactly("snoozed");
        passTime(day(15));
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getState, Alert::getReason, Alert::getUpdatedAt)
                .containsExactly(tuple("snoozed", "snoozed", ms(KICKOFF_BEHIND.plus(Duration.ofHours(1)))),
                        tuple("escalated", "still_open", ms(day(15))));
        assertThat(out.get(0).getSnoozedUntil()).isEqualTo(ms(day(15)));
    }

    @Test
    void shouldIgnoreFeedbackForAnUnknownAlert() throws Exception {
        process(feedback("alert_acknowledged", day(1), Map.of("alert_id", "nope")));
        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldFireSilenceFromATimerAndResolveWhenTheProductIsUsedAgain() throws Exception {
        Instant lastUse = day(2.5);
        process(score(day(3), 70, "green").lastProduct(lastUse).build());
        passTime(day(12));
        assertThat(alerts()).as("10 days after day 2.5 is day 12.5: the midnight after is day 13").isEmpty();
        passTime(day(13));
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getState, Alert::getOpenedAt)
                .containsExactly(tuple("silence", "open", ms(day(13))));
        assertThat(out.get(0).getDueAt()).as("the score's silence horizon").isEqualTo(ms(lastUse.plus(Duration.ofDays(45))));
        assertThat(out.get(0).getHeadline()).isEqualTo("No product activity for 10 days (since 2026-10-07); the account goes silent by 2026-11-21");
        process(score(day(14), 60, "green").lastProduct(day(13.5)).build());
        assertThat(alerts()).extracting(Alert::getState, Alert::getReason).containsExactly(tuple("open", "fired"), tuple("resolved", "cleared"));
    }

    @Test
    void shouldNotFireSilenceWhileTheProductIsUsed() throws Exception {
        for (int d = 1; d <= 30; d++) {
            process(score(day(d), 70, "green").lastProduct(day(d - 0.5)).build());
            passTime(day(d));
        }
        assertThat(alerts()).isEmpty();
        assertThat(harness.numEventTimeTimers()).as("one silence timer").isEqualTo(1);
    }

    @Test
    void shouldFireHealthRedWithTheScoreDriversEventsAndResolveWhenTheGradeRecovers() throws Exception {
        process(score(day(1), 70, "green").build());
        process(score(day(2), 38, "red").reason("grade_change").driver("support_friction", -20, "t-9", "t-8").build());
        process(score(day(3), 40, "red").build());
        process(score(day(6), 45, "yellow").reason("grade_change").build());
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getState)
                .containsExactly(tuple("health-red", "open"), tuple("health-red", "resolved"));
        Alert red = out.get(0);
        assertThat(red.getHeadline()).isEqualTo("Health is red: score 38.0 on 2026-10-07");
        assertThat(red.getExplanation().getEventIds()).containsExactly("t-9", "t-8");
        assertThat(red.getExplanation().getText()).contains("support_friction -20.0");
    }

    @Test
    void shouldFireHealthDropOnlyForADropWithinTheWindowAndResolveBelowTheHysteresis() throws Exception {
        for (int d = 1; d <= 30; d++) {
            process(score(day(d), 90 - d * 0.67, "green").build());
        }
        assertThat(alerts()).as("20 points, but over 30 days").isEmpty();
        process(score(day(31), 60, "green").build());
        process(score(day(32), 48, "yellow").build());
        process(score(day(33), 46, "yellow").reason("change").build());
        process(score(day(34), 50, "yellow").build());
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getState, Alert::getOpenedAt)
                .containsExactly(tuple("health-drop", "open", ms(day(32))));
        assertThat(out.get(0).getHeadline()).isEqualTo("Health dropped 29.9 points in 14 days, to 48.0");
        process(score(day(35), 70, "green").build());
        assertThat(alerts()).extracting(Alert::getState).containsExactly("open", "resolved");
    }

    @Test
    void shouldNotFireHealthDropBeforeAFullWindowOfDailyScores() throws Exception {
        process(score(day(1), 90, "green").build());
        process(score(day(2), 50, "yellow").build());
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldNotReadTheFirstValuesOfUsageComponentsAsAHealthDrop() throws Exception {
        // Before any usage the score is support and onboarding only (88); when usage appears its components'
        // first values bring it to 60. That is what the score is made of changing, not the account's health.
        for (int d = 1; d <= 20; d++) {
            process(beforeUsage(day(d)).build());
        }
        for (int d = 21; d <= 34; d++) {
            process(withUsage(day(d), 60).build());
        }
        assertThat(alerts()).isEmpty();
        // Like with like, once a full window of the new set exists: a real drop of 20 fires.
        process(withUsage(day(35), 40).build());
        assertThat(alerts()).extracting(Alert::getRule, Alert::getState).containsExactly(tuple("health-drop", "open"));
    }

    @Test
    void shouldRestartTheDropReferenceWhenTheComponentsWithEvidenceChange() throws Exception {
        for (int d = 1; d <= 16; d++) {
            process(withUsage(day(d), 80).build());
        }
        process(withUsage(day(17), 50).build());
        assertThat(alerts()).extracting(Alert::getState).containsExactly("open");
        // The first survey answer: a new set of components; the open drop resolves and the rule waits again.
        process(withUsage(day(18), 45).contribution("sentiment", 30, 3).build());
        assertThat(alerts()).extracting(Alert::getState, Alert::getReason).containsExactly(tuple("open", "fired"), tuple("resolved", "cleared"));
        assertThat(alerts().get(1).getExplanation().getText()).contains("(+sentiment): its reference for drops restarts");
    }

    @Test
    void shouldExplainAHealthDropWithDriversThatAddUpToIt() throws Exception {
        // Property: for random daily score sequences, a health-drop alert's drivers sum to the drop it reports.
        String[] names = {"adoption_breadth", "depth", "frequency", "seat_utilization", "recency", "support_friction", "sentiment"};
        int fired = 0;
        for (int trial = 0; trial < 40; trial++) {
            java.util.Random random = new java.util.Random(500 + trial);
            harness.close();
            harness = newHarness();
            watermark = Long.MIN_VALUE;
            double[] values = new double[names.length];
            for (int k = 0; k < names.length; k++) {
                values[k] = 40 + random.nextInt(60);
            }
            for (int d = 1; d <= 40; d++) {
                AlertFixtures.ScoreBuilder b = null;
                double score = 0;
                double[] contributions = new double[names.length];
                for (int k = 0; k < names.length; k++) {
                    values[k] = Math.max(0, Math.min(100, values[k] + random.nextGaussian() * 6 - (d > 20 ? 1.5 : 0)));
                    contributions[k] = Math.round(values[k] / names.length * 100) / 100.0;
                    score += contributions[k];
                }
                b = score(day(d), Math.round(score * 100) / 100.0, "green");
                for (int k = 0; k < names.length; k++) {
                    b.contribution(names[k], values[k], contributions[k]);
                }
                process(b.build());
            }
            for (Alert a : alerts()) {
                if (a.getRule().equals("health-drop") && a.getState().equals("open")) {
                    fired++;
                    double drop = Double.parseDouble(signal(a, "drop"));
                    double sum = a.getExplanation().getSignals().stream().filter(v -> v.getName().startsWith("driver."))
                            .mapToDouble(v -> Double.parseDouble(v.getValue())).sum();
                    assertThat(sum).as("trial %d: %s", trial, a.getExplanation().getText()).isCloseTo(-drop, within(0.05));
                    assertThat(a.getExplanation().getText()).contains("drivers since then: ");
                }
            }
        }
        assertThat(fired).as("the property was exercised").isGreaterThan(5);
    }

    @Test
    void shouldFireAdoptionDecayOnATrendButNotOnASingleDip() throws Exception {
        for (int d = 1; d <= 10; d++) {
            double adoption = d == 6 ? 20 : 70;
            process(score(day(d), 70, "green").component("adoption_breadth", adoption, null).build());
        }
        assertThat(alerts()).as("one dip").isEmpty();
        for (int d = 11; d <= 24; d++) {
            process(score(day(d), 70, "green").component("adoption_breadth", 70 - 3 * (d - 10), null).build());
        }
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getState).containsExactly(tuple("adoption-decay", "open"));
        assertThat(out.get(0).getHeadline()).startsWith("Adoption decaying: adoption_breadth/depth/frequency down");
        for (int d = 25; d <= 40; d++) {
            process(score(day(d), 70, "green").component("adoption_breadth", 40, null).build());
        }
        assertThat(alerts()).extracting(Alert::getState).containsExactly("open", "escalated", "resolved");
    }

    @Test
    void shouldFireASupportFrictionSpikeWithItsTicketsAndResolveAboveTheHysteresis() throws Exception {
        process(score(day(1), 60, "green").reason("change").component("support_friction", 25, "2 open tickets").driver("support_friction", -8, "tk-1", "tk-2").build());
        process(score(day(2), 60, "green").component("support_friction", 45, null).build());
        process(score(day(3), 60, "green").component("support_friction", 55, null).build());
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getState).containsExactly(tuple("support-friction-spike", "open"), tuple("support-friction-spike", "resolved"));
        assertThat(out.get(0).getExplanation().getEventIds()).containsExactly("tk-1", "tk-2");
        assertThat(out.get(0).getOwnerTeam()).isEqualTo("support");
    }

    @Test
    void shouldFireDetractorAfterATicketAndResolveOnTheNextKindAnswer() throws Exception {
        process(score(day(1), 60, "green").reason("change").component("sentiment", 10, "NPS 3 (detractor after a ticket)").driver("sentiment", -10, "nps-1").build());
        process(score(day(2), 60, "green").component("sentiment", 10, null).build());
        process(score(day(9), 60, "green").reason("change").component("sentiment", 80, "NPS 9").build());
        List<Alert> out = alerts();
        // Still open 7 days later (day 8): escalated by time before the kind answer on day 9.
        assertThat(out).extracting(Alert::getRule, Alert::getState).containsExactly(
                tuple("detractor-after-ticket", "open"), tuple("detractor-after-ticket", "escalated"), tuple("detractor-after-ticket", "resolved"));
        assertThat(out.get(0).getHeadline()).isEqualTo("Detractor after a ticket: NPS 3 on 2026-10-06");
        assertThat(out.get(0).getExplanation().getEventIds()).containsExactly("nps-1");
    }

    @Test
    void shouldWarnOfARenewalWithLowHealthUntilTheGradeIsGreen() throws Exception {
        Instant renewalDue = day(60);
        process(score(day(40), 50, "yellow").build());
        process(journeyOf("renewal", "started", null, day(46), renewalDue, null));
        process(score(day(50), 65, "green").build());
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getState, Alert::getSubject)
                .containsExactly(tuple("renewal-low-health", "open", "renewal"), tuple("renewal-low-health", "resolved", "renewal"));
        assertThat(out.get(0).getDueAt()).isEqualTo(ms(renewalDue));
        assertThat(out.get(0).getLeadTimeMs()).isEqualTo(Duration.ofDays(14).toMillis());
    }

    @Test
    void shouldWarnThatAGoalIsProjectedToMissBeforeItsDeadlineWithItsMeasurementsAndResolveWhenBackOnTrack() throws Exception {
        Instant deadline = day(60);
        process(goal("on_track", null, day(10), deadline, 30, 62.0));
        process(goal("at_risk", "on_track", day(20), deadline, 32, 45.0));
        // Worse within the escalation period (7 days after opening): escalated for worsening, not by time.
        process(goal("at_risk", "at_risk", day(25), deadline, 33, 30.0));
        process(goal("at_risk", "at_risk", day(26), deadline, 33, 30.0));
        process(goal("on_track", "at_risk", day(40), deadline, 50, 61.0));
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getState, Alert::getReason)
                .containsExactly(
                        tuple("goal-at-risk", "open", "fired"),
                        tuple("goal-at-risk", "escalated", "worsened"),
                        tuple("goal-at-risk", "resolved", "cleared"));
        Alert open = out.get(0);
        assertThat(open.getSubject()).isEqualTo("goal/g-1");
        assertThat(open.getDueAt()).isEqualTo(ms(deadline));
        assertThat(open.getLeadTimeMs()).isEqualTo(Duration.ofDays(40).toMillis());
        assertThat(open.getHeadline()).isEqualTo("Goal projected to miss: activation_rate heads for 45.0 against a target of 60.0 by 2026-12-04");
        assertThat(open.getExplanation().getEventIds()).containsExactly("goal-set-1", "m-1", "m-2", "m-" + ms(day(20)));
    }

    @Test
    void shouldCloseAGoalAlertWhenTheGoalIsMissedAndRecordAnAchievedGoalAsAWin() throws Exception {
        process(goal("at_risk", "on_track", day(20), day(30), 32, 45.0));
        process(goal("missed", "at_risk", day(30), day(30), 40, 45.0));
        process(goal("achieved", "on_track", day(50), day(70), 61, 70.0));
        assertThat(alerts()).extracting(Alert::getRule, Alert::getKind, Alert::getState, Alert::getReason)
                .containsExactly(
                        tuple("goal-at-risk", "risk", "open", "fired"),
                        tuple("goal-at-risk", "risk", "escalated", "still_open"),
                        tuple("goal-at-risk", "risk", "resolved", "ended"),
                        tuple("goal-achieved", "win", "won", "won"));
    }

    @Test
    void shouldRecordWinsOnceForEarlyFirstValueAndMilestonesAheadOfPlan() throws Exception {
        Instant reached = FIRST_VALUE_DUE.minus(Duration.ofDays(6));
        // Early by 4 days: on plan, not news (the rule wants a week).
        process(journey("milestone_reached", "kickoff", STARTED.plus(Duration.ofDays(1)), KICKOFF_DUE, STARTED.plus(Duration.ofDays(1))));
        process(journey("milestone_reached", "integration_connected", day(2), day(12), day(2)));
        process(journey("milestone_reached", "data_imported", day(17), day(18), day(17)));
        process(journey("milestone_reached", "first_value", reached, FIRST_VALUE_DUE, reached));
        List<Alert> out = alerts();
        assertThat(out).extracting(Alert::getRule, Alert::getKind, Alert::getState, Alert::getSubject)
                .containsExactly(
                        tuple("milestone-ahead", "win", "won", "onboarding/1/integration_connected"),
                        tuple("first-value-early", "win", "won", "onboarding/1/first_value"));
        assertThat(out.get(1).getExplanation().getEventIds()).as("the milestone touchpoint").containsExactly("e-first_value");
        assertThat(out.get(1).getHeadline()).isEqualTo("First value reached early: onboarding / first_value reached 6.0 days before its due date 2026-11-14");
        assertThat(harness.numKeyedStateEntries()).as("wins keep no state").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldCapReopeningsOfAKeyWithinTheRefireWindow() throws Exception {
        for (int i = 0; i < 5; i++) {
            process(score(day(1 + 2 * i), 30, "red").build());
            process(score(day(2 + 2 * i), 70, "yellow").build());
        }
        assertThat(alerts()).filteredOn(a -> a.getRule().equals("health-red")).extracting(Alert::getState, Alert::getFireCount)
                .containsExactly(tuple("open", 1), tuple("resolved", 1), tuple("open", 2), tuple("resolved", 2), tuple("open", 3), tuple("resolved", 3));
    }

    @Test
    void shouldResolveEverythingAndClearTheAccountOnItsFinalScore() throws Exception {
        process(score(day(1), 30, "red").lastProduct(day(1)).build());
        process(journey("milestone_behind", "kickoff", KICKOFF_BEHIND, KICKOFF_DUE, null));
        process(score(day(8), 30, "red").reason("final").build());
        assertThat(alerts()).extracting(Alert::getRule, Alert::getState, Alert::getReason)
                .containsExactlyInAnyOrder(tuple("health-red", "open", "fired"), tuple("milestone-at-risk", "open", "fired"),
                        tuple("health-red", "resolved", "ended"), tuple("milestone-at-risk", "resolved", "ended"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldGiveTheSameIdsOnAReplay() throws Exception {
        process(journey("milestone_behind", "kickoff", KICKOFF_BEHIND, KICKOFF_DUE, null));
        String first = alerts().get(0).getAlertId();
        tearDown();
        setUp();
        process(journey("milestone_behind", "kickoff", KICKOFF_BEHIND, KICKOFF_DUE, null));
        assertThat(alerts().get(0).getAlertId()).isEqualTo(first);
    }

    @Test
    void shouldGiveTheSameAlertsForAnyArrivalOrderWithinTheWatermarkBound() throws Exception {
        // Journeys, scores, goals and feedback of one account over three weeks, some at one instant
        // (a milestone falling due at the midnight of a daily score), in upstream order.
        List<AccountSignal> sorted = new java.util.ArrayList<>();
        for (int d = 1; d <= 21; d++) {
            double health = d < 8 ? 70 : d < 15 ? 35 : 65;
            sorted.add(score(day(d), health, d < 8 ? "green" : d < 15 ? "red" : "yellow")
                    .lastProduct(day(d - 0.5)).component("support_friction", d >= 10 && d < 13 ? 20 : 90, null).build());
            if (d == 4) {
                sorted.add(journey("milestone_behind", "kickoff", KICKOFF_BEHIND, KICKOFF_DUE, null));
            }
            if (d == 5) {
                sorted.add(feedback("alert_acknowledged", day(4.5), Map.of("alert_key", "acme/milestone-at-risk/" + KICKOFF)));
                sorted.add(journey("milestone_overdue", "kickoff", day(5), day(5), null));
            }
            if (d == 9) {
                sorted.add(goal("at_risk", "on_track", day(8.75), day(40), 32, 45.0));
            }
            if (d == 12) {
                sorted.add(journey("milestone_reached", "kickoff", day(11.5), day(5), day(11.5)));
                sorted.add(goal("on_track", "at_risk", day(11.75), day(40), 50, 61.0));
            }
        }
        sorted.sort(SignalOrder.IN_EVENT_TIME);
        Duration bound = Duration.ofHours(12);

        List<Alert> inOrder = BoundedDisorder.replay(newHarness(), sorted, SignalOrder::timeOf, bound);
        assertThat(inOrder).extracting(Alert::getRule).contains("health-red", "milestone-overdue", "goal-at-risk", "support-friction-spike");
        for (int trial = 0; trial < 20; trial++) {
            List<AccountSignal> arrival = BoundedDisorder.shuffle(sorted, SignalOrder::timeOf, bound, new java.util.Random(trial));
            assertThat(BoundedDisorder.replay(newHarness(), arrival, SignalOrder::timeOf, bound)).as("trial %d", trial).isEqualTo(inOrder);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> newHarness() throws Exception {
        return newHarness(CustomerModel.defaults());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AccountSignal, Alert> newHarness(CustomerModel model) throws Exception {
        return Harnesses.keyed(new AlertFunction(AlertRules.from(model), () -> DETECTED), new AccountSignalKey(), Types.STRING);
    }

    private void assertStateGoneAfterRefireWindow(Instant after) throws Exception {
        passTime(after);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /** One signal, then event time just past it: upstream emits in event-time order, the watermark follows. */
    private void process(AccountSignal s) throws Exception {
        long at = SignalOrder.timeOf(s);
        harness.processElement(s, at);
        advance(at + 1);
    }

    /** Event time passes {@code t}: what is due at {@code t} fires (a deadline after the signals of its instant). */
    private void passTime(Instant t) throws Exception {
        advance(ms(t) + 1);
    }

    private void advance(long watermark) throws Exception {
        if (watermark > this.watermark) {
            this.watermark = watermark;
            harness.processWatermark(new Watermark(watermark));
        }
    }

    /** Support and onboarding only: no product touchpoint yet. */
    private static AlertFixtures.ScoreBuilder beforeUsage(Instant at) {
        return score(at, 88, "green").contribution("support_friction", 100, 50).contribution("onboarding", 76, 38);
    }

    /** The usage components have values: the same support and onboarding weigh less, the score is {@code score}. */
    private static AlertFixtures.ScoreBuilder withUsage(Instant at, double score) {
        double usage = score - 40;
        return score(at, score, "green").contribution("support_friction", 100, 25).contribution("onboarding", 75, 15)
                .contribution("depth", usage * 2, usage / 2).contribution("recency", usage * 2, usage / 2);
    }

    private static String signal(Alert a, String name) {
        return a.getExplanation().getSignals().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no signal " + name)).getValue();
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }
}
