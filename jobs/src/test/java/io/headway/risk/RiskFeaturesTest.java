package io.headway.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headway.schema.GoalUpdate;
import io.headway.schema.JourneyMilestone;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.ScoreComponent;
import io.headway.schema.ScoreUpdate;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Journey, score and goal records in, the features out, every value worked out by hand. */
class RiskFeaturesTest {

    private static final long DAY = RiskFeatures.DAY;
    /** 2026-10-05T00:00Z, a UTC midnight, so day numbers are calendar days. */
    private static final long T0 = 1_791_158_400_000L;

    private final RiskFeatures f = new RiskFeatures();

    @Test
    void shouldSayForEveryFeatureWhichWayItMayPushTheRisk() {
        assertThat(RiskFeatures.DIRECTION.keySet()).containsExactlyInAnyOrderElementsOf(RiskFeatures.NAMES);
        assertThat(RiskFeatures.DIRECTION.values()).allSatisfy(d -> assertThat(d).isBetween(-1, 1));
    }

    @Test
    void shouldKnowNothingBeforeTheFirstRecord() {
        assertThat(f.isEmpty()).isTrue();
        double[] v = f.values(at(3));
        assertThat(v).hasSize(RiskFeatures.NAMES.size());
        for (String name : RiskFeatures.NAMES) {
            double expected = List.of("milestones_behind", "milestones_overdue", "milestones_reached_late", "goals_achieved")
                    .contains(name) ? 0 : Double.NaN;
            assertThat(Double.valueOf(value(v, name))).as(name).isEqualTo(Double.valueOf(expected));
        }
    }

    @Test
    void shouldCountTheOpenJourneysMilestonesAndTheirWorstLatenessShare() {
        // Started day 0; as of day 14: kickoff (due 5) reached day 6, integration (due 12) overdue,
        // data (due 18) behind, first_value (due 40) pending.
        f.onJourney(journey("onb/1", 14, null,
                milestone("kickoff", 5, 6L, "reached_late"),
                milestone("integration", 12, null, "overdue"),
                milestone("data", 18, null, "behind"),
                milestone("first_value", 40, null, "pending")));
        double[] v = f.values(at(20));

        assertThat(value(v, "account_age_days")).as("first seen on day 14").isEqualTo(6);
        assertThat(value(v, "milestones_behind")).isEqualTo(1);
        assertThat(value(v, "milestones_overdue")).isEqualTo(1);
        assertThat(value(v, "milestones_reached_late")).isEqualTo(1);
        // unreached: 14/12, 14/18, 14/40 of their time budgets used, as of the record; the worst
        assertThat(value(v, "milestone_lateness_share")).isCloseTo(14.0 / 12, within(1e-12));

        f.onJourney(journey("renewal/1", 15, null, milestone("signed", 100, null, "pending")));
        f.onJourney(journey("onb/1", 16, at(16), milestone("kickoff", 5, 6L, "reached_late")));
        v = f.values(at(20));
        assertThat(value(v, "milestones_overdue")).as("the ended instance no longer counts").isZero();
        assertThat(value(v, "milestones_reached_late")).isZero();
        assertThat(value(v, "milestone_lateness_share")).isCloseTo(15.0 / 100, within(1e-12));
        assertThat(value(v, "account_age_days")).isEqualTo(6);
    }

    @Test
    void shouldReadTheScoreItsComponentsAndTheSilence() {
        f.onScore(score(10, 72, 9L, Map.of("adoption_breadth", 60.0, "recency", 80.0, "seat_utilization", 50.0), "depth"));
        double[] v = f.values(at(13));

        assertThat(value(v, "health")).isCloseTo(0.72, within(1e-12));
        assertThat(value(v, "adoption_breadth")).isCloseTo(0.6, within(1e-12));
        assertThat(value(v, "recency")).isCloseTo(0.8, within(1e-12));
        assertThat(value(v, "depth")).as("a component without a value").isNaN();
        assertThat(value(v, "frequency")).as("absent").isNaN();
        assertThat(value(v, "silence_days")).as("day 13 - day 9").isCloseTo(4, within(1e-12));
        assertThat(value(v, "health_change_14d")).as("one day of history").isNaN();
        assertThat(value(f.values(at(200)), "silence_days")).as("capped").isEqualTo(RiskFeatures.MAX_SILENCE_DAYS);

        // The next score has no recency: its old value does not linger.
        f.onScore(score(11, 70, null, Map.of("depth", 40.0)));
        v = f.values(at(13));
        assertThat(value(v, "recency")).isNaN();
        assertThat(value(v, "depth")).isCloseTo(0.4, within(1e-12));
        assertThat(value(v, "silence_days")).as("last product activity is kept").isCloseTo(4, within(1e-12));
    }

    @Test
    void shouldMeasureTheHealthChangeOverFourteenDaysFromDailyValues() {
        // Health 50 + day on days 0..6: six days of history is too little.
        for (int d = 0; d <= 6; d++) {
            f.onScore(score(d, 50 + d, null, Map.of()));
        }
        assertThat(value(f.values(at(6)), "health_change_14d")).isNaN();
        f.onScore(score(7, 57, null, Map.of()));
        assertThat(value(f.values(at(7)), "health_change_14d")).as("0.57 - 0.50").isCloseTo(0.07, within(1e-12));
        // A later record of the same day replaces that day's value.
        f.onScore(score(7.5, 40, null, Map.of()));
        assertThat(value(f.values(at(8)), "health_change_14d")).as("0.40 - 0.50").isCloseTo(-0.10, within(1e-12));
        // Day 20: days 6..20 are within 14 days; day 6 (0.56) is the reference.
        f.onScore(score(20, 70, null, Map.of()));
        assertThat(value(f.values(at(20)), "health_change_14d")).isCloseTo(0.70 - 0.56, within(1e-12));
        assertThat(f.healthAt).as("at most 15 days kept").hasSizeLessThanOrEqualTo(15);
    }

    @Test
    void shouldTakeTheWorstGoalProjectionAndCountAchievedGoals() {
        f.onGoal(goal("g-1", "at_risk", 5, false, 0.5, 4));
        f.onGoal(goal("g-2", "on_track", 6, true, 0.9, 2));
        f.onGoal(goal("g-3", "on_track", 6, false, 1.7, 3));
        double[] v = f.values(at(6));
        assertThat(value(v, "goal_shortfall_share")).as("capped at 1; g-2's has too little evidence").isEqualTo(1);
        assertThat(value(v, "goal_measurements")).isEqualTo(4);
        assertThat(value(v, "goals_achieved")).isZero();

        f.onGoal(goal("g-3", "achieved", 7, false, null, 3));
        f.onGoal(goal("g-1", "missed", 8, false, null, 4));
        v = f.values(at(8));
        assertThat(value(v, "goal_shortfall_share")).as("only g-2 is open, without a verdict").isNaN();
        assertThat(value(v, "goal_measurements")).isEqualTo(2);
        assertThat(value(v, "goals_achieved")).isEqualTo(1);
        assertThat(value(v, "account_age_days")).isEqualTo(3);
    }

    @Test
    void shouldBeAPojoForFlinkState() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RiskFeatures.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RiskState.class);
    }

    static double value(double[] v, String name) {
        return v[RiskFeatures.NAMES.indexOf(name)];
    }

    static long at(double day) {
        return T0 + Math.round(day * DAY);
    }

    static JourneyMilestone milestone(String name, double dueDay, Long reachedDay, String status) {
        return JourneyMilestone.newBuilder().setName(name).setOwnerTeam("onboarding").setSuccess("done")
                .setBehindAt(at(dueDay) - 2 * DAY).setDueAt(at(dueDay)).setReachedAt(reachedDay == null ? null : at(reachedDay))
                .setStatus(status).setEarlyByMs(reachedDay == null ? null : at(dueDay) - at(reachedDay)).build();
    }

    static JourneyUpdate journey(String id, double asOfDay, Long endedAt, JourneyMilestone... milestones) {
        return JourneyUpdate.newBuilder().setInstanceId(id).setAccountId("acme").setJourney(id.split("/")[0]).setInstance(1)
                .setSequence(1).setAsOf(at(asOfDay)).setTransition(endedAt == null ? "milestone_overdue" : "completed")
                .setStatus(endedAt == null ? "overdue" : "completed").setStartedAt(T0).setEndedAt(endedAt)
                .setLastActivityAt(at(asOfDay)).setMilestones(List.of(milestones)).setTouchpoints(3)
                .setTouchpointsBySource(Map.of("onboarding", 3L)).build();
    }

    static ScoreUpdate score(double day, double score, Long lastProductDay, Map<String, Double> components, String... withoutValue) {
        List<ScoreComponent> cs = new ArrayList<>();
        components.forEach((name, value) -> cs.add(new ScoreComponent(name, value, 0.1, value * 0.1, null)));
        for (String name : withoutValue) {
            cs.add(new ScoreComponent(name, null, 0.0, 0.0, null));
        }
        return new ScoreUpdate("acme", at(day), score, "green", "adopted", "daily", null, null, null, cs, List.of(),
                lastProductDay == null ? null : at(lastProductDay));
    }

    static GoalUpdate goal(String id, String status, double day, boolean insufficient, Double shortfallShare, int measurements) {
        return GoalUpdate.newBuilder().setGoalId(id).setAccountId("acme").setSequence(1).setMetric("m").setDirection("increase")
                .setBaseline(0).setTarget(10).setDeadlineAt(at(60)).setStatus(status).setChange("measured").setAsOf(at(day))
                .setInsufficientData(insufficient).setProjectedShortfallShare(shortfallShare).setDaysLeft(60 - day)
                .setMeasurementsUsed(measurements).setCausingEventIds(List.of()).build();
    }
}
