package io.headway.journey;

import static io.headway.testing.Fixtures.DAY_0;
import static io.headway.testing.Fixtures.login;
import static io.headway.testing.Fixtures.touchpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.headway.model.CustomerModel;
import io.headway.schema.JourneyMilestone;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.Touchpoint;
import io.headway.testing.BoundedDisorder;
import io.headway.testing.Harnesses;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Every transition of {@link JourneyFunction}, on a three-milestone journey with round budgets:
 * connected due after 2 days, first_report after 4, live after 10; behind at half the budget;
 * abandoned after 3 days without a touchpoint.
 */
class JourneyFunctionTest {

    private static final String MODEL = String.join("\n",
            "journeys:",
            "  - name: setup",
            "    entry: {source: onboarding, type: journey_started}",
            "    behind_share: 0.5",
            "    milestones:",
            "      - name: connected",
            "        match: {source: onboarding, type: milestone_reached, attributes: {milestone: connected}}",
            "        due: 2 d",
            "        owner_team: onboarding",
            "        success: Their data flows in without help",
            "      - name: first_report",
            "        match: {source: onboarding, type: milestone_reached, attributes: {milestone: first_report}}",
            "        due: 4 d",
            "        owner_team: success",
            "        success: They read a report built on their own data",
            "      - name: live",
            "        match: {source: onboarding, type: milestone_reached, attributes: {milestone: live}}",
            "        due: 10 d",
            "        owner_team: success",
            "        success: Their team works in it every day",
            "    time_to_value: first_report",
            "    completion: live",
            "    abandonment:",
            "      inactivity: 3 d",
            "      on: [{source: billing, type: subscription_cancelled}]",
            "    re_entry: RE_ENTRY",
            "");

    private static final Instant START = DAY_0.plus(Duration.ofHours(9));
    private static final Instant CONNECTED_BEHIND = START.plus(Duration.ofDays(1));
    private static final Instant CONNECTED_DUE = START.plus(Duration.ofDays(2));
    private static final Instant REPORT_BEHIND = START.plus(Duration.ofDays(2));
    private static final Instant REPORT_DUE = START.plus(Duration.ofDays(4));
    private static final Instant LIVE_BEHIND = START.plus(Duration.ofDays(5));

    private KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, JourneyUpdate> harness;

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldOpenAnInstanceOnTheEntryTouchpointAndRecordEachMilestoneWhenEventTimePassesIt() throws Exception {
        open("new_instance");
        process(started(START));
        process(milestone("connected", START.plus(Duration.ofHours(5))));

        assertThat(harness.extractOutputValues()).as("nothing before event time passes").isEmpty();
        watermark(START.plus(Duration.ofHours(6)));

        List<JourneyUpdate> out = harness.extractOutputValues();
        assertThat(out)
                .extracting(JourneyUpdate::getTransition, JourneyUpdate::getSubject, JourneyUpdate::getStatus, JourneyUpdate::getSequence)
                .containsExactly(
                        tuple("started", null, "on_track", 1),
                        tuple("milestone_reached", "connected", "on_track", 2));
        JourneyUpdate reached = out.get(1);
        assertThat(reached.getInstanceId()).isEqualTo("acme/setup/1");
        assertThat(reached.getCauseEventId()).as("the milestone touchpoint").isEqualTo("acme-connected-" + millis(START.plus(Duration.ofHours(5))));
        assertThat(reached.getAsOf()).isEqualTo(millis(START.plus(Duration.ofHours(5))));
        assertThat(reached.getStartedAt()).isEqualTo(millis(START));
        assertThat(reached.getMilestones())
                .extracting(JourneyMilestone::getName, JourneyMilestone::getStatus, JourneyMilestone::getDueAt, JourneyMilestone::getEarlyByMs)
                .containsExactly(
                        tuple("connected", "reached", millis(CONNECTED_DUE), Duration.ofHours(43).toMillis()),
                        tuple("first_report", "pending", millis(REPORT_DUE), null),
                        tuple("live", "pending", millis(START.plus(Duration.ofDays(10))), null));
        assertThat(reached.getMilestones().get(0).getOwnerTeam()).isEqualTo("onboarding");
        assertThat(reached.getMilestones().get(0).getSuccess()).isEqualTo("Their data flows in without help");
        assertThat(reached.getMilestones().get(0).getBehindAt()).isEqualTo(millis(CONNECTED_BEHIND));
    }

    @Test
    void shouldFallBehindThenOverdueFromTimersAtExactlyTheDeadlines() throws Exception {
        open("new_instance");
        process(started(START));
        keepActive(START, CONNECTED_DUE.plus(Duration.ofHours(1)));

        watermark(CONNECTED_BEHIND);
        assertThat(transitions()).containsExactly("started");

        watermark(CONNECTED_BEHIND.plusMillis(1));
        assertThat(last().getTransition()).isEqualTo("milestone_behind");
        assertThat(last().getAsOf()).isEqualTo(millis(CONNECTED_BEHIND));
        assertThat(last().getCauseEventId()).as("caused by time").isNull();
        assertThat(last().getStatus()).isEqualTo("behind");

        watermark(CONNECTED_DUE.plusMillis(1));
        List<JourneyUpdate> out = harness.extractOutputValues();
        assertThat(out.subList(2, out.size()))
                .extracting(JourneyUpdate::getTransition, JourneyUpdate::getSubject, JourneyUpdate::getAsOf, JourneyUpdate::getStatus)
                .containsExactly(
                        tuple("milestone_overdue", "connected", millis(CONNECTED_DUE), "overdue"),
                        tuple("milestone_behind", "first_report", millis(REPORT_BEHIND), "overdue"));
        assertThat(last().getMilestones()).extracting(JourneyMilestone::getStatus)
                .containsExactly("overdue", "behind", "pending");
    }

    @Test
    void shouldFallBehindAFixedTimeBeforeEachDeadlineWithBehindBefore() throws Exception {
        harness = harness("new_instance", "    behind_before: 12 h");
        process(started(START));
        keepActive(START, REPORT_DUE.plus(Duration.ofHours(1)));

        watermark(REPORT_DUE.plusMillis(1));

        assertThat(harness.extractOutputValues())
                .filteredOn(u -> !u.getTransition().equals("started"))
                .extracting(JourneyUpdate::getTransition, JourneyUpdate::getSubject, JourneyUpdate::getAsOf)
                .containsExactly(
                        tuple("milestone_behind", "connected", millis(CONNECTED_DUE.minus(Duration.ofHours(12)))),
                        tuple("milestone_overdue", "connected", millis(CONNECTED_DUE)),
                        tuple("milestone_behind", "first_report", millis(REPORT_DUE.minus(Duration.ofHours(12)))),
                        tuple("milestone_overdue", "first_report", millis(REPORT_DUE)));
        assertThat(last().getMilestones().get(2).getBehindAt())
                .isEqualTo(millis(START.plus(Duration.ofDays(10)).minus(Duration.ofHours(12))));
    }

    @Test
    void shouldCountAMilestoneReachedExactlyAtItsDeadlineAsOnTime() throws Exception {
        open("new_instance");
        process(started(START));
        process(login(CONNECTED_BEHIND));
        process(milestone("connected", CONNECTED_DUE));

        watermark(CONNECTED_DUE.plus(Duration.ofHours(1)));

        assertThat(transitions()).doesNotContain("milestone_overdue");
        JourneyUpdate reached = only("milestone_reached");
        assertThat(reached.getMilestones().get(0).getStatus()).isEqualTo("reached");
        assertThat(reached.getMilestones().get(0).getEarlyByMs()).isZero();
        // first_report falls behind at the same instant, but only after the touchpoints of that instant.
        assertThat(reached.getStatus()).isEqualTo("on_track");
        assertThat(reached.getMilestones().get(1).getStatus()).isEqualTo("pending");
        assertThat(last().getTransition()).isEqualTo("milestone_behind");
        assertThat(last().getSubject()).isEqualTo("first_report");
    }

    @Test
    void shouldMarkAMilestoneReachedAfterItsDeadlineAsLateAndLeaveOverdue() throws Exception {
        open("new_instance");
        process(started(START));
        keepActive(START, CONNECTED_DUE);
        process(milestone("connected", CONNECTED_DUE.plusMillis(1)));

        watermark(CONNECTED_DUE.plus(Duration.ofHours(1)));

        assertThat(transitions()).containsExactly(
                "started", "milestone_behind", "milestone_overdue", "milestone_behind", "milestone_reached");
        JourneyUpdate reached = last();
        assertThat(reached.getMilestones().get(0).getStatus()).isEqualTo("reached_late");
        assertThat(reached.getMilestones().get(0).getEarlyByMs()).isEqualTo(-1L);
        assertThat(reached.getStatus()).as("first_report is still behind").isEqualTo("behind");
    }

    @Test
    void shouldGiveTheSameRecordsWhateverTheArrivalOrderWithinTheWatermarkBound() throws Exception {
        Duration bound = Duration.ofMinutes(5);
        List<Touchpoint> events = new ArrayList<>();
        events.add(started(START));
        for (int i = 0; i < 200; i++) {
            events.add(login(START.plus(Duration.ofMinutes(30L * i + 1))));
        }
        events.add(milestone("connected", START.plus(Duration.ofHours(20))));
        events.add(milestone("connected", START.plus(Duration.ofHours(20)).plusSeconds(90)));
        events.add(milestone("first_report", START.plus(Duration.ofHours(20)).plusSeconds(60)));
        events.add(survey("csat", 4.0, START.plus(Duration.ofHours(21))));
        events.add(survey("csat", 2.0, START.plus(Duration.ofHours(21)).plusSeconds(30)));
        events.add(milestone("live", START.plus(Duration.ofDays(3)).plusSeconds(10)));
        events.add(login(START.plus(Duration.ofDays(3)).plusSeconds(20)));
        events.sort((a, b) -> Long.compare(a.getOccurredAt(), b.getOccurredAt()));

        List<JourneyUpdate> inOrder = run(events, bound, new Random(0), false);
        assertThat(inOrder).extracting(JourneyUpdate::getTransition).containsExactly(
                "started", "milestone_reached", "milestone_reached", "milestone_reached", "completed");
        for (int seed = 1; seed <= 25; seed++) {
            List<JourneyUpdate> shuffled = run(events, bound, new Random(seed), true);
            for (int i = 0; i < Math.min(shuffled.size(), inOrder.size()); i++) {
                assertThat(shuffled.get(i).toString()).as("seed " + seed + " record " + i).isEqualTo(inOrder.get(i).toString());
            }
            assertThat(shuffled).as("seed " + seed).isEqualTo(inOrder);
        }
    }

    @Test
    void shouldAbandonAfterTheInactivityGapAndLeaveOnlyTheClosedInstance() throws Exception {
        open("new_instance");
        process(started(START));
        process(milestone("connected", START.plus(Duration.ofHours(3))));
        Instant lastTouch = START.plus(Duration.ofHours(30));
        process(login(lastTouch));
        watermark(lastTouch.plus(Duration.ofDays(3)));
        assertThat(transitions()).doesNotContain("abandoned");

        watermark(lastTouch.plus(Duration.ofDays(3)).plusMillis(1));

        JourneyUpdate abandoned = last();
        assertThat(abandoned.getTransition()).isEqualTo("abandoned");
        assertThat(abandoned.getSubject()).isEqualTo("inactivity");
        assertThat(abandoned.getAsOf()).isEqualTo(millis(lastTouch.plus(Duration.ofDays(3))));
        assertThat(abandoned.getEndedAt()).isEqualTo(abandoned.getAsOf());
        assertThat(abandoned.getStatus()).isEqualTo("abandoned");
        assertThat(abandoned.getTouchpoints()).isEqualTo(3);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("only the closed instance, for re-entry").isEqualTo(1);
        JourneyInstance closed = state().instances[0];
        assertThat(closed.open).isFalse();
        assertThat(closed.sources).isEmpty();
        harness.getOperator().setCurrentKey("acme");
        assertThat(harness.getOperator().getKeyedStateStore().getListState(JourneyFunction.PENDING).get()).isNullOrEmpty();
    }

    @Test
    void shouldAbandonAtOnceOnAnAbandonmentTouchpoint() throws Exception {
        open("new_instance");
        process(started(START));
        process(touchpoint("acme", START.plus(Duration.ofHours(2)), "billing", "subscription_cancelled"));
        watermark(START.plus(Duration.ofHours(3)));

        assertThat(transitions()).containsExactly("started", "abandoned");
        assertThat(last().getSubject()).isEqualTo("billing/subscription_cancelled");
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldCompleteWithTimeToValueAndLeaveNoTimers() throws Exception {
        open("new_instance");
        process(started(START));
        process(milestone("connected", START.plus(Duration.ofHours(5))));
        process(milestone("first_report", START.plus(Duration.ofHours(30))));
        process(milestone("live", START.plus(Duration.ofDays(3))));
        watermark(START.plus(Duration.ofDays(3)).plusMillis(1));

        JourneyUpdate done = last();
        assertThat(done.getTransition()).isEqualTo("completed");
        assertThat(done.getStatus()).isEqualTo("completed");
        assertThat(done.getTimeToValueMs()).isEqualTo(Duration.ofHours(30).toMillis());
        assertThat(done.getEndedAt()).isEqualTo(millis(START.plus(Duration.ofDays(3))));
        assertThat(done.getTouchpoints()).isEqualTo(4);
        assertThat(done.getTouchpointsBySource()).containsExactly(Map.entry("onboarding", 4L));
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void shouldStartANewInstanceOnReEntryAfterCompletion() throws Exception {
        open("new_instance");
        complete(START);
        Instant again = START.plus(Duration.ofDays(20));
        process(started(again));
        watermark(again.plusSeconds(1));

        JourneyUpdate restarted = last();
        assertThat(restarted.getTransition()).isEqualTo("started");
        assertThat(restarted.getInstance()).isEqualTo(2);
        assertThat(restarted.getInstanceId()).isEqualTo("acme/setup/2");
        assertThat(restarted.getSequence()).isEqualTo(1);
    }

    @Test
    void shouldRouteAnEntryToTheLateOutputWhenReEntryIsNever() throws Exception {
        open("never");
        complete(START);
        Touchpoint again = started(START.plus(Duration.ofDays(20)));
        process(again);
        watermark(START.plus(Duration.ofDays(21)));

        assertThat(transitions()).doesNotHaveDuplicates();
        assertThat(unapplied()).containsExactly(new LateTouchpoint("journey_closed", "acme/setup/1 completed, re_entry never", again));
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldRouteAMilestoneForACompletedInstanceToTheLateOutput() throws Exception {
        open("reopen");
        complete(START);
        Touchpoint repeat = milestone("connected", START.plus(Duration.ofDays(5)));
        process(repeat);
        watermark(START.plus(Duration.ofDays(6)));

        assertThat(unapplied()).extracting(LateTouchpoint::getReason).containsExactly("journey_closed");
    }

    @Test
    void shouldRouteAMilestoneWithoutAJourneyToTheLateOutput() throws Exception {
        open("new_instance");
        Touchpoint orphan = milestone("connected", START);
        process(orphan);
        watermark(START.plusSeconds(1));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(unapplied()).containsExactly(new LateTouchpoint("no_open_journey", "setup milestone connected", orphan));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldReOpenAnAbandonedInstanceOnItsNextMilestoneWhenThePolicySaysReopen() throws Exception {
        open("reopen");
        process(started(START));
        process(milestone("connected", START.plus(Duration.ofHours(1))));
        watermark(START.plus(Duration.ofDays(4)));
        assertThat(last().getTransition()).isEqualTo("abandoned");

        process(milestone("first_report", START.plus(Duration.ofDays(4)).plus(Duration.ofHours(1))));
        watermark(START.plus(Duration.ofDays(4)).plus(Duration.ofHours(2)));

        List<JourneyUpdate> out = harness.extractOutputValues();
        assertThat(out.subList(out.size() - 2, out.size()))
                .extracting(JourneyUpdate::getTransition, JourneyUpdate::getInstanceId, JourneyUpdate::getStatus)
                .containsExactly(
                        tuple("reopened", "acme/setup/1", "overdue"),
                        tuple("milestone_reached", "acme/setup/1", "on_track"));
        assertThat(last().getMilestones()).extracting(JourneyMilestone::getStatus)
                .containsExactly("reached", "reached_late", "pending");
        assertThat(last().getTouchpoints()).as("counts continue across the gap").isEqualTo(3);
    }

    @Test
    void shouldCountTouchpointsAndSurveyAnswersInsideTheInstanceOnly() throws Exception {
        open("new_instance");
        process(login(START.minusSeconds(60)));
        process(started(START));
        process(login(START.plusSeconds(60)));
        process(survey("nps", 9.0, START.plusSeconds(120)));
        process(survey("nps", 6.0, START.plusSeconds(180)));
        process(survey("csat", 5.0, START.plusSeconds(190)));
        process(milestone("connected", START.plusSeconds(240)));
        watermark(START.plusSeconds(300));

        JourneyUpdate reached = last();
        assertThat(reached.getTouchpoints()).isEqualTo(6);
        assertThat(reached.getTouchpointsBySource())
                .containsOnly(Map.entry("onboarding", 2L), Map.entry("product", 1L), Map.entry("survey", 3L));
        assertThat(reached.getSatisfaction())
                .extracting(s -> s.getSurvey(), s -> s.getAnswers(), s -> s.getMean(), s -> s.getLast())
                .containsExactly(tuple("nps", 2, 7.5, 6.0), tuple("csat", 1, 5.0, 5.0));
        assertThat(reached.getLastActivityAt()).isEqualTo(millis(START.plusSeconds(240)));
    }

    @Test
    void shouldKeepNoStateForAnAccountOutsideEveryJourneyOnceADayHasPassed() throws Exception {
        open("new_instance");
        process(login(START));
        process(login(START.plusSeconds(60)));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        watermark(DAY_0.plus(Duration.ofDays(1)));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldNotFireDeadlinesAfterTheLastTouchpointAtTheEndOfABoundedInput() throws Exception {
        open("new_instance");
        process(started(START));
        process(login(START.plus(Duration.ofHours(30))));
        watermark(Instant.ofEpochMilli(Long.MAX_VALUE));

        assertThat(harness.extractOutputValues())
                .extracting(JourneyUpdate::getTransition, JourneyUpdate::getAsOf)
                .containsExactly(tuple("started", millis(START)), tuple("milestone_behind", millis(CONNECTED_BEHIND)));
    }

    @Test
    void shouldCorrectTheRecordsWhenALateButAllowedMilestoneArrives() throws Exception {
        open("new_instance");
        process(started(START));
        keepActive(START, CONNECTED_DUE.plus(Duration.ofHours(2)));
        watermark(CONNECTED_DUE.plus(Duration.ofHours(1)));
        assertThat(transitions()).contains("milestone_overdue");
        int before = harness.extractOutputValues().size();

        process(milestone("connected", CONNECTED_DUE.minus(Duration.ofHours(1))));

        JourneyUpdate correction = last();
        assertThat(harness.extractOutputValues()).hasSize(before + 1);
        assertThat(correction.getTransition()).isEqualTo("milestone_reached");
        assertThat(correction.getSequence()).isEqualTo(before + 1);
        assertThat(correction.getMilestones().get(0).getStatus()).isEqualTo("reached");
        assertThat(correction.getStatus()).as("first_report is behind").isEqualTo("behind");
    }

    // --- helpers -------------------------------------------------------------------------------

    private void open(String reEntry) throws Exception {
        harness = harness(reEntry);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, JourneyUpdate> harness(String reEntry)
            throws Exception {
        return harness(reEntry, "    behind_share: 0.5");
    }

    /** With {@code behind} as the journey's behind_share or behind_before line. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, JourneyUpdate> harness(String reEntry, String behind)
            throws Exception {
        String yaml = MODEL.replace("RE_ENTRY", reEntry).replace("    behind_share: 0.5", behind);
        JourneyModel model = new JourneyModel(CustomerModel.parse(yaml, "test-model.yaml"));
        return Harnesses.byAccount(new JourneyFunction(model));
    }

    /** The records for {@code sorted}, in order or shuffled within the bound ({@link BoundedDisorder}). */
    private static List<JourneyUpdate> run(List<Touchpoint> sorted, Duration bound, Random random, boolean shuffle)
            throws Exception {
        List<Touchpoint> arrival = shuffle ? BoundedDisorder.shuffle(sorted, bound, random) : sorted;
        return BoundedDisorder.replay(harness("new_instance"), arrival, bound);
    }

    private void complete(Instant start) throws Exception {
        process(started(start));
        process(milestone("live", start.plus(Duration.ofHours(2))));
        watermark(start.plus(Duration.ofHours(3)));
        assertThat(last().getTransition()).isEqualTo("completed");
    }

    /** A login every 12 hours from {@code from} to {@code to}, so inactivity does not abandon the journey. */
    private void keepActive(Instant from, Instant to) throws Exception {
        for (Instant t = from.plus(Duration.ofHours(12)); !t.isAfter(to); t = t.plus(Duration.ofHours(12))) {
            process(login(t));
        }
    }

    private void process(Touchpoint t) throws Exception {
        harness.processElement(new StreamRecord<>(t, t.getOccurredAt()));
    }

    private void watermark(Instant t) throws Exception {
        harness.processWatermark(t.toEpochMilli());
    }

    private List<String> transitions() {
        return harness.extractOutputValues().stream().map(JourneyUpdate::getTransition).collect(Collectors.toList());
    }

    private JourneyUpdate last() {
        List<JourneyUpdate> out = harness.extractOutputValues();
        return out.get(out.size() - 1);
    }

    private JourneyUpdate only(String transition) {
        List<JourneyUpdate> matching =
                harness.extractOutputValues().stream().filter(u -> u.getTransition().equals(transition)).collect(Collectors.toList());
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    private List<LateTouchpoint> unapplied() {
        var side = harness.getSideOutput(JourneyFunction.UNAPPLIED);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private JourneyState state() throws Exception {
        harness.getOperator().setCurrentKey("acme");
        return harness.getOperator().getKeyedStateStore().getState(JourneyFunction.STATE).value();
    }

    private static Touchpoint started(Instant at) {
        return touchpoint("acme", at, "onboarding", "journey_started");
    }

    private static Touchpoint milestone(String name, Instant at) {
        return io.headway.testing.Fixtures.touchpoint(
                "acme-" + name + "-" + at.toEpochMilli(), "acme", at, "onboarding", "milestone_reached", Map.of("milestone", name));
    }

    private static Touchpoint survey(String survey, double value, Instant at) {
        return io.headway.testing.Fixtures.withValue(io.headway.testing.Fixtures.touchpoint(
                "acme-" + survey + "-" + at.toEpochMilli(), "acme", at, "survey", "survey_answered", Map.of("survey", survey)), value);
    }

    private static Touchpoint login(Instant at) {
        return io.headway.testing.Fixtures.login("acme", at);
    }

    private static long millis(Instant i) {
        return i.toEpochMilli();
    }
}
