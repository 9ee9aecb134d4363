package io.headway.score;

import static io.headway.testing.Fixtures.DAY_0;
import static io.headway.testing.Fixtures.day;
import static io.headway.testing.Fixtures.touchpoint;
import static io.headway.testing.Fixtures.withUser;
import static io.headway.testing.Fixtures.withValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headway.model.CustomerModel;
import io.headway.schema.ScoreComponent;
import io.headway.schema.ScoreDriver;
import io.headway.schema.ScoreUpdate;
import io.headway.schema.Touchpoint;
import io.headway.testing.Harnesses;

import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

class ScoreFunctionTest {

    /** A model with one journey, to add a scores: section to. */
    private static final class ModelYamlForScores {
        static final String ONE_JOURNEY =
                """
                journeys:
                  - name: onboarding
                    entry: {source: onboarding, type: journey_started}
                    milestones:
                      - {name: kickoff, match: {source: onboarding, type: milestone_reached, attributes: {milestone: kickoff}},
                         due: 5 d, owner_team: onboarding, success: The customer knows the plan.}
                    abandonment: {inactivity: 21 d}
                """;
    }

    private static final String ACME = "acme";
    private static final Instant NINE_AM = DAY_0.plus(Duration.ofHours(9));
    private static final Instant TEN_AM = DAY_0.plus(Duration.ofHours(10));
    private static final String[] FEATURES = {
        "dashboards", "reports", "sharing", "alerts", "data_import", "integrations", "segments", "automations",
        "exports", "forecasting", "api", "admin_console"
    };

    /** Every touchpoint that moves the score emits a record: each step is visible. */
    private static final ScoreModel EVERY_CHANGE = ScoreModel.defaults().toBuilder().changeDelta(0.001).build();
    /** Only the daily snapshots emit (every score is green): a snapshot explains a whole day. */
    private static final ScoreModel DAILY_ONLY = ScoreModel.defaults().toBuilder().changeDelta(1000).bands(2, 1, 0.5).build();

    private KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, ScoreUpdate> harness;
    private int ids;

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    // ------------------------------------------------------------------ adoption

    @Test
    void shouldRaiseAdoptionBreadthWithEachNewFeatureUsed() throws Exception {
        harness = harness(EVERY_CHANGE);
        process(subscriptionStarted(NINE_AM, 10));
        process(featureUsed("e-reports", TEN_AM, "reports", "u1"));
        process(featureUsed("e-reports-again", TEN_AM.plusSeconds(60), "reports", "u1"));
        process(featureUsed("e-alerts", TEN_AM.plusSeconds(120), "alerts", "u2"));
        assertThat(harness.extractOutputValues()).as("held until the watermark passes them").isEmpty();
        harness.processWatermark(TEN_AM.plusSeconds(121).toEpochMilli());

        List<ScoreUpdate> out = harness.extractOutputValues();
        // Using a feature again changes nothing (usage per user is at its target already): no record.
        assertThat(out).extracting(u -> value(u, Component.ADOPTION_BREADTH)).containsExactly(null, 8.33, 16.67);
        assertThat(component(out.get(2), Component.ADOPTION_BREADTH).getInput()).isEqualTo("2 of 12 features used in 28 days");
        assertThat(out.get(2).getScore()).isGreaterThan(out.get(1).getScore());
        assertThat(driver(out.get(2), "adoption_breadth").getEventIds()).containsExactly("e-alerts");
    }

    @Test
    void shouldNeverLowerAdoptionWhenMoreUsageIsAdded() throws Exception {
        // Property: for random usage A and A plus more usage B, every daily snapshot of B has at least
        // A's adoption breadth, frequency, seat utilization and recency.
        for (int trial = 0; trial < 30; trial++) {
            Random random = new Random(1000 + trial);
            List<Touchpoint> a = new ArrayList<>();
            a.add(subscriptionStarted(DAY_0.plusSeconds(60), 20));
            a.addAll(randomUsage(random, 40));
            List<Touchpoint> b = new ArrayList<>(a);
            b.addAll(randomUsage(random, 1 + random.nextInt(40)));

            Map<Long, ScoreUpdate> less = dailyByAsOf(replaySorted(a, ScoreModel.defaults()));
            Map<Long, ScoreUpdate> more = dailyByAsOf(replaySorted(b, ScoreModel.defaults()));

            for (Map.Entry<Long, ScoreUpdate> e : less.entrySet()) {
                ScoreUpdate withMore = more.get(e.getKey());
                assertThat(withMore).as("trial %d: a snapshot as of %s", trial, Instant.ofEpochMilli(e.getKey())).isNotNull();
                for (Component c : new Component[] {Component.ADOPTION_BREADTH, Component.FREQUENCY, Component.SEAT_UTILIZATION, Component.RECENCY}) {
                    Double before = value(e.getValue(), c);
                    Double after = value(withMore, c);
                    if (before != null) {
                        assertThat(after).as("trial %d, %s as of %s", trial, c, Instant.ofEpochMilli(e.getKey())).isGreaterThanOrEqualTo(before);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ decay

    @Test
    void shouldHalveRecencyWithEachHalfLifeOfSilence() throws Exception {
        harness = harness(DAILY_ONLY);
        process(login("e-login", TEN_AM, "u1"));

        harness.processWatermark(day(8).toEpochMilli());

        Map<Long, ScoreUpdate> daily = dailyByAsOf(harness.extractOutputValues());
        // Half-life 7 days: 2^(-14 h / 168 h) at DAY_1 midnight, 2^(-182 h / 168 h) at DAY_8 midnight.
        assertThat(value(daily.get(day(1).toEpochMilli()), Component.RECENCY)).isCloseTo(94.39, within(0.005));
        assertThat(value(daily.get(day(2).toEpochMilli()), Component.RECENCY)).isCloseTo(85.49, within(0.005));
        assertThat(value(daily.get(day(8).toEpochMilli()), Component.RECENCY)).isCloseTo(47.19, within(0.005));
        List<Double> scores = daily.values().stream().map(ScoreUpdate::getScore).collect(Collectors.toList());
        assertThat(scores).isSortedAccordingTo((x, y) -> Double.compare(y, x));
        assertThat(scores.get(scores.size() - 1)).isLessThan(scores.get(0));
    }

    @Test
    void shouldExplainDecayAsNoProductActivitySinceTheLastTouchpoint() throws Exception {
        harness = harness(DAILY_ONLY);
        process(login("e-login", TEN_AM, "u1"));
        harness.processWatermark(day(1).toEpochMilli());
        harness.processWatermark(day(2).toEpochMilli());

        ScoreUpdate second = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
        assertThat(second.getReason()).isEqualTo(ScoreFunction.REASON_DAILY);
        ScoreDriver recency = driver(second, "recency");
        assertThat(recency.getDelta()).isNegative();
        assertThat(recency.getEventIds()).isEmpty();
        assertThat(recency.getDetail()).isEqualTo("no product activity since 2026-10-05");
    }

    // ------------------------------------------------------------------ weights

    @Test
    void shouldRedistributeTheWeightOfMissingInputs() throws Exception {
        harness = harness(EVERY_CHANGE);
        process(ticketOpened("e-ticket", NINE_AM, "T-1"));
        process(ticketResolved("e-resolved", NINE_AM.plus(Duration.ofMinutes(30)), "T-1"));
        process(nps("e-nps", TEN_AM, 9));
        harness.processWatermark(TEN_AM.plusMillis(1).toEpochMilli());

        List<ScoreUpdate> out = harness.extractOutputValues();
        ScoreUpdate supportOnly = out.get(1);
        assertThat(supportOnly.getProfile()).isEqualTo("adopted");
        assertThat(weight(supportOnly, Component.SUPPORT_FRICTION)).isEqualTo(1.0);
        assertThat(supportOnly.getScore()).isEqualTo(100.0);
        for (Component c : Component.values()) {
            if (c != Component.SUPPORT_FRICTION) {
                assertThat(value(supportOnly, c)).as(c.wireName()).isNull();
                assertThat(weight(supportOnly, c)).as(c.wireName()).isZero();
            }
        }
        // Adopted profile: support friction 10, sentiment 10: half each once both exist (a promoter
        // after a ticket carries no detractor penalty).
        ScoreUpdate both = out.get(out.size() - 1);
        assertThat(weight(both, Component.SUPPORT_FRICTION)).isEqualTo(0.5);
        assertThat(weight(both, Component.SENTIMENT)).isEqualTo(0.5);
        assertThat(value(both, Component.SENTIMENT)).isEqualTo(90.0);
        assertThat(both.getScore()).isEqualTo(95.0);
        assertThat(both.getComponents().stream().mapToDouble(ScoreComponent::getWeight).sum()).isCloseTo(1.0, within(1e-9));
    }

    // ------------------------------------------------------------------ grades

    @Test
    void shouldNotFlapAroundABandEdgeWithinTheHysteresis() throws Exception {
        // Support friction (100, no tickets) and sentiment (the NPS answer times ten) at equal weight:
        // the score is 50 + 5 x answer: 61, 59, 61, 59 ... around the green edge at 60, then 56.5.
        double[] answers = {2.2, 1.8, 2.2, 1.8, 2.2, 1.8, 1.3};
        List<String> withHysteresis = grades(ScoreModel.defaults().toBuilder().changeDelta(0.001).build(), answers);
        List<String> without = grades(ScoreModel.defaults().toBuilder().changeDelta(0.001).bands(60, 40, 0).build(), answers);

        assertThat(without).containsExactly("green", "yellow", "green", "yellow", "green", "yellow", "yellow");
        // Hysteresis 3: green is left only below 57.
        assertThat(withHysteresis).containsExactly("green", "green", "green", "green", "green", "green", "yellow");
    }

    // ------------------------------------------------------------------ explanations

    @Test
    void shouldNameTheEventsThatCausedTheChange() throws Exception {
        harness = harness(DAILY_ONLY);
        process(subscriptionStarted(NINE_AM, 10));
        process(login("e-login", TEN_AM, "u1"));
        harness.processWatermark(day(1).toEpochMilli());
        for (int i = 0; i < 5; i++) {
            process(featureUsed("e-new-" + i, day(1).plus(Duration.ofHours(10 + i)), FEATURES[i], "u1"));
        }
        harness.processWatermark(day(2).toEpochMilli());

        ScoreUpdate snapshot = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
        assertThat(snapshot.getAsOf()).isEqualTo(day(2).toEpochMilli());
        assertThat(snapshot.getPreviousScore()).isNotNull();
        ScoreDriver breadth = driver(snapshot, "adoption_breadth");
        assertThat(breadth.getDelta()).isPositive();
        assertThat(breadth.getEventIds()).containsExactly("e-new-4", "e-new-3", "e-new-2");
        assertThat(breadth.getMoreEvents()).isEqualTo(2);
        List<ScoreDriver> components = snapshot.getDrivers().stream()
                .filter(d -> !d.getComponent().equals(ScoreFunction.OTHER_COMPONENTS)).collect(Collectors.toList());
        assertThat(components).hasSizeLessThanOrEqualTo(3);
        assertThat(components.get(0).getDelta()).isEqualTo(
                components.stream().mapToDouble(d -> Math.abs(d.getDelta())).max().orElseThrow());
    }

    @Test
    void shouldExplainTheProfileChangeWithTheMilestoneThatCompletedOnboarding() throws Exception {
        harness = harness(DAILY_ONLY);
        process(touchpoint("e-start", ACME, NINE_AM, "onboarding", "journey_started"));
        for (int i = 0; i < ScoreModel.DEFAULT_MILESTONES.size(); i++) {
            harness.processWatermark(day(i + 1).toEpochMilli());
            process(touchpoint("e-m" + i, ACME, day(i + 1).plus(Duration.ofHours(9)), "onboarding", "milestone_reached",
                    Map.of("milestone", ScoreModel.DEFAULT_MILESTONES.get(i))));
        }
        harness.processWatermark(day(8).toEpochMilli());

        List<ScoreUpdate> out = harness.extractOutputValues();
        ScoreUpdate adopted = out.stream().filter(u -> u.getProfile().equals("adopted")).findFirst().orElseThrow();
        assertThat(adopted.getDrivers().get(0).getComponent()).isEqualTo("profile");
        assertThat(adopted.getDrivers().get(0).getEventIds()).containsExactly("e-m5");
        assertThat(adopted.getDrivers().get(0).getDetail()).isEqualTo("stage onboarding -> adopted: weights changed");
    }

    @Test
    void shouldListDriversThatAddUpToTheChangeOfEveryRecord() throws Exception {
        // Property: for random sequences of usage, tickets, surveys and milestones, the drivers of every
        // record (change, grade change, daily) sum to its score minus the previous one (0 before the first).
        for (int trial = 0; trial < 40; trial++) {
            Random random = new Random(3000 + trial);
            List<Touchpoint> touchpoints = new ArrayList<>();
            touchpoints.add(subscriptionStarted(DAY_0.plusSeconds(60), 1 + random.nextInt(20)));
            touchpoints.add(touchpoint("e-start", ACME, DAY_0.plusSeconds(30), "onboarding", "journey_started"));
            touchpoints.addAll(randomUsage(random, random.nextInt(80)));
            for (int i = 0; i < random.nextInt(8); i++) {
                Instant at = DAY_0.plus(Duration.ofMinutes(10 + random.nextInt(27 * 24 * 60)));
                touchpoints.add(ticketOpened("t-open-" + i, at, "t" + i));
                if (random.nextBoolean()) {
                    touchpoints.add(ticketResolved("t-resolved-" + i, at.plus(Duration.ofHours(1 + random.nextInt(96))), "t" + i));
                }
                touchpoints.add(nps("t-nps-" + i, at.plus(Duration.ofHours(random.nextInt(200))), random.nextInt(11)));
            }
            for (int i = 0; i < ScoreModel.DEFAULT_MILESTONES.size(); i++) {
                if (random.nextInt(3) > 0) {
                    touchpoints.add(touchpoint("e-m" + i, ACME, DAY_0.plus(Duration.ofHours(4L * i + random.nextInt(100))), "onboarding",
                            "milestone_reached", Map.of("milestone", ScoreModel.DEFAULT_MILESTONES.get(i))));
                }
            }
            ScoreModel model = random.nextBoolean() ? EVERY_CHANGE : ScoreModel.defaults().toBuilder().drivers(1 + random.nextInt(3), 3).build();

            List<ScoreUpdate> records = replaySorted(touchpoints, model);
            assertThat(records).isNotEmpty();
            for (ScoreUpdate u : records) {
                double sum = u.getDrivers().stream().mapToDouble(ScoreDriver::getDelta).sum();
                double change = u.getScore() - (u.getPreviousScore() == null ? 0 : u.getPreviousScore());
                assertThat(sum).as("trial %d, %s record as of %s: %s", trial, u.getReason(), Instant.ofEpochMilli(u.getAsOf()), u.getDrivers())
                        .isCloseTo(change, within(0.05));
            }
        }
    }

    @Test
    void shouldCountTheOnboardingComponentFromTheJourneysEntryWhateverItsSource() throws Exception {
        // The journey starts on billing/subscription_started and its first milestone is a product touchpoint:
        // the component counts from the entry, as the journey does, not from the first onboarding touchpoint.
        ScoreModel model = ScoreModel.from(CustomerModel.parse(
                """
                journeys:
                  - name: onboarding
                    entry: {source: billing, type: subscription_started}
                    milestones:
                      - {name: first_report, match: {source: product, type: feature_used, attributes: {feature: reports}},
                         due: 7 d, owner_team: onboarding, success: The customer has a report.}
                      - {name: kickoff, match: {source: success, type: meeting_held}, due: 14 d, owner_team: success,
                         success: The customer knows the plan.}
                    abandonment: {inactivity: 21 d}
                """, "test.yaml")).toBuilder().changeDelta(0.001).drivers(Component.COUNT, 3).build();
        harness = harness(model);
        process(subscriptionStarted(NINE_AM, 10));
        process(featureUsed("e-reports", TEN_AM, "reports", "u1"));
        harness.processWatermark(TEN_AM.plusSeconds(1).toEpochMilli());

        List<ScoreUpdate> out = harness.extractOutputValues();
        assertThat(out).extracting(u -> value(u, Component.ONBOARDING)).containsExactly(0.0, 50.0);
        assertThat(out.get(0).getProfile()).isEqualTo("onboarding");
        assertThat(driver(out.get(1), "onboarding").getEventIds()).containsExactly("e-reports");
    }

    @Test
    void shouldReadTheSurveysTheModelNamesAsSentimentAndNoOthers() throws Exception {
        ScoreModel model = ScoreModel.from(CustomerModel.parse(
                ModelYamlForScores.ONE_JOURNEY + "scores:\n  sentiment: {nps_surveys: [relationship_nps], csat_surveys: [ticket_csat, csat]}\n",
                "test.yaml")).toBuilder().changeDelta(0.001).build();
        harness = harness(model);
        process(survey("e-nps", NINE_AM, "nps", 2));
        process(survey("e-relationship", TEN_AM, "relationship_nps", 9));
        process(survey("e-csat", TEN_AM.plusSeconds(60), "ticket_csat", 5));
        harness.processWatermark(TEN_AM.plusSeconds(61).toEpochMilli());

        List<ScoreUpdate> out = harness.extractOutputValues();
        assertThat(out).extracting(u -> value(u, Component.SENTIMENT)).as("nps is not in this model's list").containsExactly(null, 90.0, 95.0);
        assertThat(component(out.get(2), Component.SENTIMENT).getInput()).isEqualTo("NPS 9, CSAT 5");
        assertThat(model.surveyKind("pulse")).isNull();
    }

    // ------------------------------------------------------------------ timers and lifecycle

    @Test
    void shouldKeepOneTimerPerAccountAndSnapshotEveryMidnight() throws Exception {
        harness = harness(ScoreModel.defaults());
        for (int d = 0; d < 10; d++) {
            for (int h = 9; h < 17; h++) {
                process(login("e-" + d + "-" + h, day(d).plus(Duration.ofHours(h)), "u" + h));
            }
            // The next midnight; before the first record, one just after the first touchpoint instead.
            // (A touchpoint before the registered midnight adds one just after it: at most two.)
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
            harness.processWatermark(day(d).plus(Duration.ofHours(20)).toEpochMilli());
        }
        harness.processWatermark(day(10).toEpochMilli());

        List<ScoreUpdate> daily = harness.extractOutputValues().stream()
                .filter(u -> !u.getReason().equals(ScoreFunction.REASON_CHANGE))
                .collect(Collectors.toList());
        assertThat(daily).extracting(ScoreUpdate::getAsOf)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 10).mapToObj(d -> day(d).toEpochMilli()).collect(Collectors.toList()));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void shouldEndAChurnedAccountWithAFinalRecordAndLeaveNoStateOrTimers() throws Exception {
        harness = harness(ScoreModel.defaults());
        process(subscriptionStarted(NINE_AM, 5));
        process(login("e-login", TEN_AM, "u1"));
        process(touchpoint("e-cancel", ACME, day(3).plus(Duration.ofHours(15)), "billing", "subscription_cancelled", Map.of("reason", "budget")));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(day(10).toEpochMilli());

        List<ScoreUpdate> out = harness.extractOutputValues();
        ScoreUpdate last = out.get(out.size() - 1);
        assertThat(last.getReason()).isEqualTo(ScoreFunction.REASON_FINAL);
        assertThat(last.getFinalReason()).isEqualTo(ScoreFunction.FINAL_CHURNED);
        assertThat(last.getAsOf()).isEqualTo(day(4).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldEndASilentAccountAfterTheHorizonAndLeaveNoStateOrTimers() throws Exception {
        harness = harness(ScoreModel.defaults());
        process(login("e-login", TEN_AM, "u1"));

        harness.processWatermark(day(60).toEpochMilli());

        List<ScoreUpdate> out = harness.extractOutputValues();
        ScoreUpdate last = out.get(out.size() - 1);
        assertThat(last.getFinalReason()).isEqualTo(ScoreFunction.FINAL_SILENT);
        // Last touchpoint DAY_0 10:00; 45 days later is DAY_45 10:00; the first midnight past it is DAY_46.
        assertThat(last.getAsOf()).isEqualTo(day(46).toEpochMilli());
        assertThat(out.stream().filter(u -> u.getReason().equals(ScoreFunction.REASON_DAILY) || u.getReason().equals(ScoreFunction.REASON_GRADE_CHANGE))).hasSize(45);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldStartAnAccountAfreshWhenATouchpointFollowsItsFinalRecord() throws Exception {
        harness = harness(ScoreModel.defaults());
        process(login("e-login", TEN_AM, "u1"));
        process(touchpoint("e-cancel", ACME, day(3).plus(Duration.ofHours(15)), "billing", "subscription_cancelled", Map.of("reason", "budget")));
        // Arrives before the watermark reaches the midnight that ends the account.
        process(login("e-back", day(4).plus(Duration.ofMinutes(2)), "u1"));

        harness.processWatermark(day(4).plus(Duration.ofMinutes(3)).toEpochMilli());

        List<ScoreUpdate> out = harness.extractOutputValues();
        ScoreUpdate end = out.stream().filter(u -> u.getReason().equals(ScoreFunction.REASON_FINAL)).findFirst().orElseThrow();
        assertThat(end.getAsOf()).isEqualTo(day(4).toEpochMilli());
        ScoreUpdate afresh = out.get(out.size() - 1);
        assertThat(afresh.getAsOf()).isEqualTo(day(4).plus(Duration.ofMinutes(2)).toEpochMilli());
        assertThat(afresh.getPreviousScore()).as("a new account: no previous record").isNull();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void shouldApplyATouchpointBehindTheWatermarkAtOnce() throws Exception {
        // The gate lets it through only with allowed lateness; it cannot wait for a watermark that has passed.
        harness = harness(EVERY_CHANGE);
        process(login("e-login", NINE_AM, "u1"));
        harness.processWatermark(TEN_AM.toEpochMilli());
        int before = harness.extractOutputValues().size();

        process(featureUsed("e-late", NINE_AM.plusSeconds(60), "reports", "u1"));

        assertThat(harness.extractOutputValues()).hasSize(before + 1);
        assertThat(driver(harness.extractOutputValues().get(before), "adoption_breadth").getEventIds()).containsExactly("e-late");
    }

    @Test
    void shouldStopAtTheFirstMidnightAfterTheLastTouchpointAtTheEndOfABoundedInput() throws Exception {
        // DAY_2 10:00 arrives before any watermark: it is held until the DAY_1 and DAY_2 snapshots are out.
        harness = harness(DAILY_ONLY);
        process(login("e-1", TEN_AM, "u1"));
        process(login("e-2", day(2).plus(Duration.ofHours(10)), "u1"));

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).extracting(ScoreUpdate::getAsOf)
                .containsExactly(TEN_AM.toEpochMilli(), day(1).toEpochMilli(), day(2).toEpochMilli(), day(3).toEpochMilli());
    }

    @Test
    void shouldGiveTheSameRecordsForAnyArrivalOrderWithinTheWatermarkBound() throws Exception {
        Random random = new Random(3);
        List<Touchpoint> sorted = new ArrayList<>();
        sorted.add(subscriptionStarted(DAY_0.plusSeconds(30), 8));
        for (int i = 0; i < 300; i++) {
            Instant at = DAY_0.plus(Duration.ofMinutes(60 + i * 29L + random.nextInt(20)));
            switch (random.nextInt(4)) {
                case 0:
                    sorted.add(featureUsed("e" + i, at, FEATURES[random.nextInt(FEATURES.length)], "u" + random.nextInt(8)));
                    break;
                case 1:
                    sorted.add(login("e" + i, at, "u" + random.nextInt(8)));
                    break;
                case 2:
                    sorted.add(ticketOpened("e" + i, at, "T-" + i));
                    // Resolved minutes later: applied in the other order, the resolution would not match.
                    sorted.add(ticketResolved("e" + i + "-resolved", at.plus(Duration.ofMinutes(3)), "T-" + i));
                    break;
                default:
                    sorted.add(nps("e" + i, at, random.nextInt(11)));
            }
        }
        sorted.sort((x, y) -> Long.compare(x.getOccurredAt(), y.getOccurredAt()));
        Duration bound = Duration.ofMinutes(30);

        // Every record, change records included (the alerts read them), with its explanation.
        List<ScoreUpdate> inOrder = replay(sorted, bound, EVERY_CHANGE);
        for (int trial = 0; trial < 10; trial++) {
            List<Touchpoint> shuffled = shuffleWithinBound(sorted, bound, new Random(trial));
            assertThat(replay(shuffled, bound, EVERY_CHANGE)).as("trial %d", trial).isEqualTo(inOrder);
        }
        assertThat(daily(inOrder)).hasSizeGreaterThan(5);
        assertThat(inOrder.size()).isGreaterThan(daily(inOrder).size());
    }

    // ------------------------------------------------------------------ helpers

    private List<String> grades(ScoreModel model, double[] answers) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, ScoreUpdate> h = harness(model)) {
            for (int i = 0; i < answers.length; i++) {
                Touchpoint t = nps("e-nps-" + i, TEN_AM.plusSeconds(60L * i), answers[i]);
                h.processElement(t, t.getOccurredAt());
            }
            h.processWatermark(TEN_AM.plusSeconds(60L * answers.length).toEpochMilli());
            return h.extractOutputValues().stream().map(ScoreUpdate::getGrade).collect(Collectors.toList());
        }
    }

    private List<Touchpoint> randomUsage(Random random, int n) {
        List<Touchpoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = DAY_0.plus(Duration.ofMinutes(10 + random.nextInt(27 * 24 * 60)));
            String user = "u" + random.nextInt(12);
            out.add(random.nextBoolean()
                    ? featureUsed("r" + (++ids), at, FEATURES[random.nextInt(FEATURES.length)], user)
                    : login("r" + (++ids), at, user));
        }
        return out;
    }

    private List<ScoreUpdate> replaySorted(List<Touchpoint> touchpoints, ScoreModel model) throws Exception {
        List<Touchpoint> sorted = new ArrayList<>(touchpoints);
        sorted.sort((x, y) -> Long.compare(x.getOccurredAt(), y.getOccurredAt()));
        try (KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, ScoreUpdate> h = harness(model)) {
            for (Touchpoint t : sorted) {
                h.processElement(t, t.getOccurredAt());
            }
            h.processWatermark(day(30).toEpochMilli());
            return h.extractOutputValues();
        }
    }

    /** Feeds touchpoints with the watermark a bounded-out-of-orderness generator would emit. */
    private static List<ScoreUpdate> replay(List<Touchpoint> arrivals, Duration bound, ScoreModel model) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, ScoreUpdate> h = harness(model)) {
            long max = Long.MIN_VALUE;
            for (Touchpoint t : arrivals) {
                h.processElement(t, t.getOccurredAt());
                max = Math.max(max, t.getOccurredAt());
                h.processWatermark(max - bound.toMillis() - 1);
            }
            h.processWatermark(Long.MAX_VALUE);
            return h.extractOutputValues();
        }
    }

    private static List<Touchpoint> shuffleWithinBound(List<Touchpoint> sorted, Duration bound, Random random) {
        List<long[]> keyed = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            long jitter = (long) (random.nextDouble() * bound.toMillis() / 2);
            keyed.add(new long[] {sorted.get(i).getOccurredAt() + jitter, i});
        }
        keyed.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Touchpoint> out = new ArrayList<>();
        for (long[] k : keyed) {
            out.add(sorted.get((int) k[1]));
        }
        return Collections.unmodifiableList(out);
    }

    private static List<ScoreUpdate> daily(List<ScoreUpdate> out) {
        return out.stream().filter(u -> u.getAsOf() % ScoreState.DAY == 0).collect(Collectors.toList());
    }

    private static Map<Long, ScoreUpdate> dailyByAsOf(List<ScoreUpdate> out) {
        Map<Long, ScoreUpdate> byAsOf = new java.util.TreeMap<>();
        for (ScoreUpdate u : daily(out)) {
            byAsOf.put(u.getAsOf(), u);
        }
        return byAsOf;
    }

    private void process(Touchpoint t) throws Exception {
        harness.processElement(t, t.getOccurredAt());
    }

    private static ScoreComponent component(ScoreUpdate u, Component c) {
        return u.getComponents().get(c.ordinal());
    }

    private static Double value(ScoreUpdate u, Component c) {
        ScoreComponent k = component(u, c);
        assertThat(k.getName()).isEqualTo(c.wireName());
        return k.getValue();
    }

    private static double weight(ScoreUpdate u, Component c) {
        return component(u, c).getWeight();
    }

    private static ScoreDriver driver(ScoreUpdate u, String component) {
        return u.getDrivers().stream().filter(d -> d.getComponent().equals(component)).findFirst()
                .orElseThrow(() -> new AssertionError("no driver " + component + " in " + u.getDrivers()));
    }

    private static Touchpoint subscriptionStarted(Instant at, int seats) {
        return touchpoint("e-sub-" + at.toEpochMilli(), ACME, at, "billing", "subscription_started",
                Map.of("plan", "team", "seats", Integer.toString(seats)));
    }

    private static Touchpoint featureUsed(String id, Instant at, String feature, String user) {
        return withUser(touchpoint(id, ACME, at, "product", "feature_used", Map.of("feature", feature)), user);
    }

    private static Touchpoint login(String id, Instant at, String user) {
        return withUser(touchpoint(id, ACME, at, "product", "login", Map.of()), user);
    }

    private static Touchpoint ticketOpened(String id, Instant at, String ticket) {
        return touchpoint(id, ACME, at, "support", "ticket_opened", Map.of("ticket_id", ticket, "priority", "normal"));
    }

    private static Touchpoint ticketResolved(String id, Instant at, String ticket) {
        return touchpoint(id, ACME, at, "support", "ticket_resolved", Map.of("ticket_id", ticket));
    }

    private static Touchpoint survey(String id, Instant at, String survey, double answer) {
        Touchpoint t = touchpoint(id, ACME, at, "survey", "survey_answered", Map.of("survey", survey));
        t.setValue(answer);
        return t;
    }

    private static Touchpoint nps(String id, Instant at, double answer) {
        return withValue(touchpoint(id, ACME, at, "survey", "survey_answered", Map.of("survey", "nps")), answer);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, ScoreUpdate> harness(ScoreModel model) throws Exception {
        return Harnesses.byAccount(new ScoreFunction(model));
    }
}
