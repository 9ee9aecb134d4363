package io.headway.outcome;

import static io.headway.testing.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.headway.model.GoalSettings;
import io.headway.schema.GoalUpdate;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.Touchpoint;
import io.headway.testing.BoundedDisorder;
import io.headway.testing.Fixtures;
import io.headway.testing.Harnesses;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Every status of {@link GoalFunction}, on one goal with round numbers: weekly active users from 10
 * to 50 (a distance of 40; at risk when the projection misses by more than 10 % of it, i.e. 4),
 * declared on day 0 at 09:00, measured on days 7, 14 and 21 at midnight, deadline day 28 at midnight.
 */
class GoalFunctionTest {

    private static final String ACCOUNT = "acme";
    private static final String GOAL = "acme-g1";

    private static final Instant DECLARED = day(0).plus(Duration.ofHours(9));
    private static final Instant WEEK_1 = day(7);
    private static final Instant WEEK_2 = day(14);
    private static final Instant WEEK_3 = day(21);
    private static final Instant DEADLINE = day(28);

    private static final double EXACT = 1e-9;
    /**
     * The trend's mechanics on a four-week goal, judged from the second measurement on; the model's
     * minimum evidence (defaults: 3 measurements over 14 days) has its own tests.
     */
    private static final GoalSettings FROM_TWO_MEASUREMENTS = new GoalSettings(8, 0.1, 2, 0);

    private KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, GoalUpdate> harness;

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldDeclareTheGoalOnTrackWithInsufficientDataOnceEventTimePassesIt() throws Exception {
        open();
        process(goalSet(DECLARED));
        assertThat(harness.extractOutputValues()).as("nothing before event time passes").isEmpty();

        watermark(DECLARED);
        assertThat(harness.extractOutputValues()).as("a touchpoint at the watermark may still have company").isEmpty();

        watermark(DECLARED.plusMillis(1));
        GoalUpdate declared = last();
        assertThat(declared.getChange()).isEqualTo("declared");
        assertThat(declared.getStatus()).isEqualTo("on_track");
        assertThat(declared.getPreviousStatus()).isNull();
        assertThat(declared.getInsufficientData()).isTrue();
        assertThat(declared.getProjectedValue()).isNull();
        assertThat(declared.getAsOf()).isEqualTo(millis(DECLARED));
        assertThat(declared.getDeadlineAt()).isEqualTo(millis(DEADLINE));
        assertThat(declared.getDaysLeft()).isCloseTo(27.625, within(EXACT));
        assertThat(declared.getMetric()).isEqualTo("weekly_active_users");
        assertThat(declared.getDirection()).isEqualTo("increase");
        assertThat(declared.getBaseline()).isEqualTo(10.0);
        assertThat(declared.getTarget()).isEqualTo(50.0);
        assertThat(declared.getCausingEventIds()).containsExactly("set-" + millis(DECLARED));
        assertThat(numTimers()).as("the deadline's").isEqualTo(1);
    }

    @Test
    void shouldStayOnTrackForAHealthyTrajectoryAndEmitNothingWhenAMeasurementChangesNothing() throws Exception {
        open();
        process(goalSet(DECLARED));
        // 17, 31, 45: two a day all along; day 28: 31 + 2 x 14 = 59, past the target.
        process(measured(WEEK_1, 17));
        process(measured(WEEK_2, 31));
        process(measured(WEEK_3, 45));
        watermark(WEEK_3.plusMillis(1));

        assertThat(harness.extractOutputValues())
                .as("week 1: no trend yet, nothing changed; week 3: same trend, same projection")
                .extracting(GoalUpdate::getChange, GoalUpdate::getStatus, GoalUpdate::getAsOf)
                .containsExactly(
                        tuple("declared", "on_track", millis(DECLARED)),
                        tuple("measured", "on_track", millis(WEEK_2)));
        GoalUpdate week2 = last();
        assertThat(week2.getTrendPerDay()).isCloseTo(2.0, within(EXACT));
        assertThat(week2.getProjectedValue()).isCloseTo(59.0, within(EXACT));
        assertThat(week2.getProjectedShortfall()).isEqualTo(0.0);
        assertThat(week2.getProjectedShortfallShare()).isEqualTo(0.0);
        assertThat(week2.getInsufficientData()).isFalse();
        assertThat(week2.getDaysLeft()).isCloseTo(14.0, within(EXACT));
        assertThat(week2.getMeasurementsUsed()).isEqualTo(2);
        assertThat(week2.getLatest().getValue()).isEqualTo(31.0);
        assertThat(week2.getLatest().getMeasuredAt()).isEqualTo(millis(WEEK_2));
        assertThat(week2.getCausingEventIds())
                .containsExactly("set-" + millis(DECLARED), "m-" + millis(WEEK_1), "m-" + millis(WEEK_2));
    }

    @Test
    void shouldWarnAtRiskBeforeTheDeadlineWhenTheTrajectoryFallsBack() throws Exception {
        open();
        process(goalSet(DECLARED));
        // Week 2: 30 then 36, 6/7 a day; day 28: 36 + 12 = 48, 2 short = 5 % of 40: on track.
        process(measured(WEEK_1, 30));
        process(measured(WEEK_2, 36));
        // Week 3: 33. Slopes 6/7, 3/14, -3/7 -> median 3/14; day 28: 34.5, 39, 34.5 -> 34.5,
        // 15.5 short = 38.75 % of 40: at risk, 7 days before the deadline.
        process(measured(WEEK_3, 33));
        watermark(WEEK_3.plusMillis(1));

        assertThat(harness.extractOutputValues())
                .extracting(GoalUpdate::getChange, GoalUpdate::getStatus, GoalUpdate::getPreviousStatus)
                .containsExactly(
                        tuple("declared", "on_track", null),
                        tuple("measured", "on_track", "on_track"),
                        tuple("measured", "at_risk", "on_track"));
        GoalUpdate atRisk = last();
        assertThat(atRisk.getAsOf()).isEqualTo(millis(WEEK_3));
        assertThat(atRisk.getTrendPerDay()).isCloseTo(3.0 / 14, within(EXACT));
        assertThat(atRisk.getProjectedValue()).isCloseTo(34.5, within(EXACT));
        assertThat(atRisk.getProjectedShortfall()).isCloseTo(15.5, within(EXACT));
        assertThat(atRisk.getProjectedShortfallShare()).isCloseTo(0.3875, within(EXACT));
        assertThat(atRisk.getDaysLeft()).isCloseTo(7.0, within(EXACT));
        assertThat(atRisk.getMeasurementsUsed()).isEqualTo(3);
    }

    @Test
    void shouldStayQuietOnTwoWeeklyMeasurementsAndJudgeTheTrendOnceTheModelsMinimumEvidenceIsThere() throws Exception {
        harness = harness(GoalSettings.defaults());
        process(goalSet(DECLARED));
        // 30 then 24: a line through two points projects 12 at the deadline, 38 short; two weekly
        // measurements are no trend yet (defaults: 3 measurements over 14 days).
        process(measured(WEEK_1, 30));
        process(measured(WEEK_2, 24));
        watermark(WEEK_2.plusMillis(1));
        assertThat(harness.extractOutputValues()).extracting(GoalUpdate::getStatus).containsOnly("on_track");
        assertThat(last().getInsufficientData()).isTrue();
        assertThat(last().getProjectedValue()).as("shown, not judged").isCloseTo(12.0, within(EXACT));
        assertThat(last().getProjectedShortfall()).isNull();

        process(measured(WEEK_3, 18));
        watermark(WEEK_3.plusMillis(1));
        assertThat(last().getStatus()).isEqualTo("at_risk");
        assertThat(last().getInsufficientData()).isFalse();
        assertThat(last().getMeasurementsUsed()).isEqualTo(3);
    }

    @Test
    void shouldNotJudgeATrendFromMeasurementsSpanningLessThanTheMinimumSpan() throws Exception {
        harness = harness(GoalSettings.defaults());
        process(goalSet(DECLARED));
        for (int i = 0; i < 6; i++) {
            process(measured(WEEK_1.plus(Duration.ofHours(12L * i)), 30 - i));
        }
        watermark(WEEK_2);
        assertThat(harness.extractOutputValues()).extracting(GoalUpdate::getStatus).as("6 measurements in 2.5 days").containsOnly("on_track");
        assertThat(last().getInsufficientData()).isTrue();

        process(measured(WEEK_3, 20));
        watermark(WEEK_3.plusMillis(1));
        assertThat(last().getStatus()).as("14 days after the first").isEqualTo("at_risk");
    }

    @Test
    void shouldCountAMeasurementExactlyAtTheDeadlineAsAchieved() throws Exception {
        open();
        process(goalSet(DECLARED));
        process(measured(WEEK_1, 17));
        process(measured(WEEK_2, 31));
        process(measured(DEADLINE, 50));
        watermark(DEADLINE.plus(Duration.ofDays(1)));

        GoalUpdate done = last();
        assertThat(done.getChange()).isEqualTo("achieved");
        assertThat(done.getStatus()).isEqualTo("achieved");
        assertThat(done.getPreviousStatus()).isEqualTo("on_track");
        assertThat(done.getAsOf()).isEqualTo(millis(DEADLINE));
        assertThat(done.getDaysLeft()).isEqualTo(0.0);
        assertThat(done.getLatest().getValue()).isEqualTo(50.0);
        assertThat(harness.extractOutputValues()).extracting(GoalUpdate::getStatus).doesNotContain("missed");
        assertThat(harness.numKeyedStateEntries()).as("no goal open: nothing kept").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldReportMissedAtTheDeadlineWhenTheTargetIsMetOnlyAfterIt() throws Exception {
        open();
        process(goalSet(DECLARED));
        process(measured(WEEK_1, 17));
        process(measured(DEADLINE.plusMillis(1), 60));
        watermark(DEADLINE.plus(Duration.ofDays(1)));

        assertThat(harness.extractOutputValues())
                .extracting(GoalUpdate::getChange, GoalUpdate::getAsOf)
                .containsExactly(tuple("declared", millis(DECLARED)), tuple("missed", millis(DEADLINE)));
        assertThat(unapplied())
                .extracting(LateTouchpoint::getReason)
                .as("the goal had ended; its measurement is reported, not applied")
                .containsExactly("unknown_goal");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldMissFromTheTimerAtExactlyTheDeadlineWithoutAnyEvent() throws Exception {
        open();
        process(goalSet(DECLARED));
        process(measured(WEEK_1, 30));
        process(measured(WEEK_2, 36));
        watermark(DEADLINE);
        assertThat(harness.extractOutputValues()).extracting(GoalUpdate::getChange).doesNotContain("missed");
        assertThat(numTimers()).isEqualTo(1);

        watermark(DEADLINE.plusMillis(1));

        GoalUpdate missed = last();
        assertThat(missed.getChange()).isEqualTo("missed");
        assertThat(missed.getStatus()).isEqualTo("missed");
        assertThat(missed.getPreviousStatus()).isEqualTo("on_track");
        assertThat(missed.getAsOf()).isEqualTo(millis(DEADLINE));
        assertThat(missed.getDaysLeft()).isEqualTo(0.0);
        assertThat(missed.getProjectedValue()).isCloseTo(48.0, within(EXACT));
        assertThat(missed.getProjectedShortfall()).isCloseTo(2.0, within(EXACT));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldSayInsufficientDataWhenTheDeadlinePassesWithFewerThanTwoMeasurements() throws Exception {
        open();
        process(goalSet(DECLARED));
        process(measured(WEEK_1, 12));
        watermark(DEADLINE.plusMillis(1));

        GoalUpdate missed = last();
        assertThat(missed.getStatus()).isEqualTo("missed");
        assertThat(missed.getInsufficientData()).isTrue();
        assertThat(missed.getMeasurementsUsed()).isEqualTo(1);
        assertThat(missed.getLatest().getValue()).isEqualTo(12.0);
        assertThat(missed.getProjectedValue()).isNull();
        assertThat(missed.getTrendPerDay()).isNull();
    }

    @Test
    void shouldTrackADecreasingGoalAndAchieveItAtOrBelowTheTarget() throws Exception {
        open();
        // Time to close from 20 days down to 8; 17 then 15 is -2/7 a day: day 28 at 11, 3 short of 12.
        process(touchpoint("set-d", DECLARED, "goal_set", Map.of(
                "goal_id", "close", "metric", "time_to_close_days", "direction", "decrease",
                "baseline", "20", "target", "8", "deadline", DEADLINE.toString()), null));
        process(touchpoint("m1", WEEK_1, "outcome_measured", Map.of("goal_id", "close"), 17.0));
        process(touchpoint("m2", WEEK_2, "outcome_measured", Map.of("goal_id", "close"), 15.0));
        watermark(WEEK_2.plusMillis(1));
        assertThat(last().getStatus()).isEqualTo("at_risk");
        assertThat(last().getProjectedValue()).isCloseTo(11.0, within(EXACT));
        assertThat(last().getProjectedShortfallShare()).isCloseTo(0.25, within(EXACT));

        process(touchpoint("m3", WEEK_3, "outcome_measured", Map.of("goal_id", "close"), 8.0));
        watermark(WEEK_3.plusMillis(1));
        assertThat(last().getStatus()).isEqualTo("achieved");
        assertThat(last().getPreviousStatus()).isEqualTo("at_risk");
    }

    @Test
    void shouldReplaceTheDefinitionWhenAGoalIsDeclaredAgain() throws Exception {
        open();
        process(goalSet(DECLARED));
        process(measured(WEEK_1, 30));
        process(measured(WEEK_2, 36));
        // Same goal, target lowered to 40: the projection of 48 now beats it.
        Map<String, String> attributes = new HashMap<>(goalAttributes());
        attributes.put("target", "40");
        attributes.put("deadline", day(35).toString());
        process(touchpoint("set-again", WEEK_2.plus(Duration.ofHours(1)), "goal_set", attributes, null));
        watermark(WEEK_2.plus(Duration.ofHours(2)));

        GoalUpdate again = last();
        assertThat(again.getChange()).isEqualTo("redeclared");
        assertThat(again.getTarget()).isEqualTo(40.0);
        assertThat(again.getDeadlineAt()).isEqualTo(millis(day(35)));
        assertThat(again.getMeasurementsUsed()).as("same metric: the measurements still count").isEqualTo(2);
        assertThat(again.getProjectedValue()).isCloseTo(36 + 6.0 / 7 * 21, within(EXACT));
        assertThat(again.getCausingEventIds()).first().isEqualTo("set-again");

        watermark(DEADLINE.plusMillis(1));
        assertThat(last().getChange()).as("the old deadline no longer applies").isEqualTo("redeclared");
        watermark(day(35).plusMillis(1));
        assertThat(last().getChange()).isEqualTo("missed");
        assertThat(last().getAsOf()).isEqualTo(millis(day(35)));
    }

    @Test
    void shouldSendInvalidGoalsAndMeasurementsOfUnknownGoalsToTheSideOutputWithTheReason() throws Exception {
        open();
        Map<String, String> noDirection = new HashMap<>(goalAttributes());
        noDirection.put("direction", "up");
        process(touchpoint("bad-direction", DECLARED, "goal_set", noDirection, null));
        Map<String, String> backwards = new HashMap<>(goalAttributes());
        backwards.put("target", "5");
        process(touchpoint("bad-target", DECLARED, "goal_set", backwards, null));
        Map<String, String> badDeadline = new HashMap<>(goalAttributes());
        badDeadline.put("deadline", "next friday");
        process(touchpoint("bad-deadline", DECLARED, "goal_set", badDeadline, null));
        process(touchpoint("stray", WEEK_1, "outcome_measured", Map.of("goal_id", "nope"), 3.0));
        watermark(WEEK_2);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(unapplied())
                .extracting(LateTouchpoint::getReason, u -> u.getTouchpoint().getEventId())
                .containsExactly(
                        tuple("invalid_goal", "bad-deadline"),
                        tuple("invalid_goal", "bad-direction"),
                        tuple("invalid_goal", "bad-target"),
                        tuple("unknown_goal", "stray"));
        assertThat(unapplied().get(0).getDetail()).contains("deadline must be an ISO-8601 instant");
        assertThat(unapplied().get(1).getDetail()).isEqualTo("acme-g1: direction must be increase or decrease, was \"up\"");
        assertThat(unapplied().get(2).getDetail()).isEqualTo("acme-g1: target 5 must be above baseline 10 for direction increase");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldReportAMeasurementOfAnEndedGoalAsGoalClosedWhileAnotherGoalIsOpen() throws Exception {
        open();
        process(goalSet(DECLARED));
        Map<String, String> second = new HashMap<>(goalAttributes());
        second.put("goal_id", "acme-g2");
        second.put("deadline", day(60).toString());
        process(touchpoint("set-g2", DECLARED, "goal_set", second, null));
        process(measured(WEEK_1, 55));
        process(measured(WEEK_2, 56));
        watermark(WEEK_2.plusMillis(1));

        assertThat(harness.extractOutputValues())
                .extracting(GoalUpdate::getGoalId, GoalUpdate::getChange)
                .containsExactly(tuple("acme-g1", "declared"), tuple("acme-g2", "declared"), tuple("acme-g1", "achieved"));
        assertThat(unapplied()).extracting(LateTouchpoint::getReason, LateTouchpoint::getDetail)
                .containsExactly(tuple("goal_closed", "acme-g1 achieved"));
        assertThat(numTimers()).as("only acme-g2's deadline").isEqualTo(1);
    }

    @Test
    void shouldRejectAMeasurementWithoutAValueOrOfAnotherMetric() throws Exception {
        open();
        process(goalSet(DECLARED));
        process(touchpoint("no-value", WEEK_1, "outcome_measured", Map.of("goal_id", GOAL), null));
        process(touchpoint("other-metric", WEEK_1, "outcome_measured",
                Map.of("goal_id", GOAL, "metric", "reports_automated"), 20.0));
        watermark(WEEK_2);

        assertThat(unapplied()).extracting(LateTouchpoint::getReason, LateTouchpoint::getDetail)
                .containsExactly(
                        tuple("invalid_measurement", "acme-g1: the measurement has no value"),
                        tuple("invalid_measurement", "acme-g1: measures reports_automated, the goal measures weekly_active_users"));
    }

    @Test
    void shouldApplyALateButAllowedMeasurementAtOnceAtItsPlaceInTheWindow() throws Exception {
        open();
        process(goalSet(DECLARED));
        process(measured(WEEK_1, 30));
        process(measured(WEEK_3, 33));
        watermark(WEEK_3.plus(Duration.ofHours(1)));
        int before = harness.extractOutputValues().size();

        // Event time has passed day 3; upstream let it through (allowed lateness), so it applies now.
        // 20@3, 30@7, 33@21: slopes 10/4, 13/18, 3/14 -> median 13/18; day 28: 20 + 13/18 x 25 = 685/18,
        // 30 + 13/18 x 21, 33 + 13/18 x 7 = 685/18 -> median 685/18 (38.06).
        process(measured(day(3), 20));

        assertThat(harness.extractOutputValues()).hasSize(before + 1);
        GoalUpdate corrected = last();
        assertThat(corrected.getAsOf()).isEqualTo(millis(day(3)));
        assertThat(corrected.getMeasurementsUsed()).isEqualTo(3);
        assertThat(corrected.getCausingEventIds())
                .containsExactly("set-" + millis(DECLARED), "m-" + millis(day(3)), "m-" + millis(WEEK_1), "m-" + millis(WEEK_3));
        assertThat(corrected.getTrendPerDay()).isCloseTo(13.0 / 18, within(EXACT));
        assertThat(corrected.getProjectedValue()).isCloseTo(685.0 / 18, within(EXACT));
        assertThat(corrected.getLatest().getMeasuredAt()).isEqualTo(millis(WEEK_3));
    }

    @Test
    void shouldApplyAMeasurementThatArrivesBeforeItsGoalSetWithinTheBound() throws Exception {
        open();
        process(measured(DECLARED.plus(Duration.ofMinutes(2)), 11));
        process(goalSet(DECLARED));
        watermark(DECLARED.plus(Duration.ofMinutes(3)));

        assertThat(unapplied()).isEmpty();
        assertThat(harness.extractOutputValues()).extracting(GoalUpdate::getChange).containsExactly("declared");
    }

    @Test
    void shouldEmitIdenticalRecordsWhateverTheArrivalOrderWithinTheWatermarkBound() throws Exception {
        Duration bound = Duration.ofMinutes(5);
        Random random = new Random(7);
        List<Touchpoint> sorted = busyDay(random);
        List<GoalUpdate> inOrder = run(sorted, bound, random, false);
        assertThat(inOrder).extracting(GoalUpdate::getStatus).contains("at_risk", "achieved", "missed");

        for (int round = 0; round < 25; round++) {
            assertThat(run(sorted, bound, random, true)).as("arrival order " + round).isEqualTo(inOrder);
        }
    }

    /**
     * Two goals over one day, measured every two minutes with noise, a declaration and a measurement
     * at the same instant, a measurement at exactly the first deadline, logins in between.
     */
    private static List<Touchpoint> busyDay(Random random) {
        Instant start = day(2);
        Instant firstDeadline = start.plus(Duration.ofHours(3));
        List<Touchpoint> out = new ArrayList<>();
        out.add(touchpoint("a-set", start, "goal_set", Map.of(
                "goal_id", "a", "metric", "m", "direction", "increase", "baseline", "0", "target", "100",
                "deadline", firstDeadline.toString()), null));
        out.add(touchpoint("b-set", start.plus(Duration.ofMinutes(30)), "goal_set", Map.of(
                "goal_id", "b", "metric", "m", "direction", "decrease", "baseline", "100", "target", "10",
                "deadline", start.plus(Duration.ofHours(6)).toString()), null));
        out.add(touchpoint("b-tie", start.plus(Duration.ofMinutes(30)), "outcome_measured", Map.of("goal_id", "b"), 95.0));
        for (int minute = 2; minute < 360; minute += 2) {
            Instant at = start.plus(Duration.ofMinutes(minute));
            // a: rises, then falls back after an hour (at risk), never reaching 100; b: falls to 10.
            double a = (minute < 60 ? minute * 1.2 : 72 - (minute - 60) * 0.3) + random.nextGaussian() * 3;
            double b = 100 - minute * 0.3 + random.nextGaussian() * 2;
            if (at.isBefore(firstDeadline) || at.equals(firstDeadline)) {
                out.add(touchpoint("a-" + minute, at, "outcome_measured", Map.of("goal_id", "a"), a));
            }
            out.add(touchpoint("b-" + minute, at, "outcome_measured", Map.of("goal_id", "b"), b));
            out.add(touchpoint("login-" + minute, at.plusSeconds(30), "login", Map.of(), null));
        }
        out.add(touchpoint("a-at-deadline", firstDeadline, "outcome_measured", Map.of("goal_id", "a"), 20.0));
        out.sort((x, y) -> Long.compare(x.getOccurredAt(), y.getOccurredAt()));
        return out;
    }

    // --- helpers -------------------------------------------------------------------------------

    private void open() throws Exception {
        harness = harness(FROM_TWO_MEASUREMENTS);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, GoalUpdate> harness() throws Exception {
        return harness(FROM_TWO_MEASUREMENTS);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, GoalUpdate> harness(GoalSettings settings) throws Exception {
        return Harnesses.byAccount(new GoalFunction(settings));
    }

    /** The records for {@code sorted}, in order or shuffled within the bound ({@link BoundedDisorder}). */
    private static List<GoalUpdate> run(List<Touchpoint> sorted, Duration bound, Random random, boolean shuffle)
            throws Exception {
        List<Touchpoint> arrival = shuffle ? BoundedDisorder.shuffle(sorted, bound, random) : sorted;
        return BoundedDisorder.replay(harness(), arrival, bound);
    }

    private void process(Touchpoint t) throws Exception {
        harness.processElement(new StreamRecord<>(t, t.getOccurredAt()));
    }

    private void watermark(Instant t) throws Exception {
        harness.processWatermark(t.toEpochMilli());
    }

    private int numTimers() {
        return harness.numEventTimeTimers();
    }

    private GoalUpdate last() {
        List<GoalUpdate> out = harness.extractOutputValues();
        return out.get(out.size() - 1);
    }

    private List<LateTouchpoint> unapplied() {
        var side = harness.getSideOutput(GoalFunction.UNAPPLIED);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static Map<String, String> goalAttributes() {
        return Map.of(
                "goal_id", GOAL, "metric", "weekly_active_users", "direction", "increase",
                "baseline", "10", "target", "50", "deadline", DEADLINE.toString());
    }

    private static Touchpoint goalSet(Instant at) {
        return touchpoint("set-" + millis(at), at, "goal_set", goalAttributes(), null);
    }

    private static Touchpoint measured(Instant at, double value) {
        return touchpoint("m-" + millis(at), at, "outcome_measured",
                Map.of("goal_id", GOAL, "metric", "weekly_active_users"), value);
    }

    private static Touchpoint touchpoint(String id, Instant at, String type, Map<String, String> attributes, Double value) {
        String source = type.equals("login") ? "product" : "outcome";
        return Fixtures.withValue(Fixtures.touchpoint(id, ACCOUNT, at, source, type, attributes), value);
    }

    private static long millis(Instant i) {
        return i.toEpochMilli();
    }
}
