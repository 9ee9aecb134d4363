package io.headway.generator;

import static io.headway.generator.GeneratorFixtures.DAY_MS;
import static io.headway.generator.GeneratorFixtures.JAN_1;
import static io.headway.generator.GeneratorFixtures.byAccount;
import static io.headway.generator.GeneratorFixtures.count;
import static io.headway.generator.GeneratorFixtures.first;
import static io.headway.generator.GeneratorFixtures.is;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.Touchpoint;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every behaviour of the realistic mix shows in the touchpoints of the accounts that have it (and
 * not, or far less, in those that do not), and none of them changes whether an account achieves.
 */
class GeneratorBehavioursTest {

    private static final int ACCOUNTS = 300;
    private static final int DAYS = 75;

    private static GeneratorSettings settings;
    private static Map<String, List<Touchpoint>> events;
    private static Map<String, List<AccountResult>> truth;

    @BeforeAll
    static void generate() {
        settings = realistic().build();
        Generator g = new Generator(settings);
        events = byAccount(g.events());
        truth = new HashMap<>();
        for (AccountResult r : g.groundTruth().results()) {
            truth.computeIfAbsent(r.accountId(), a -> new ArrayList<>()).add(r);
        }
    }

    static GeneratorSettings.Builder realistic() {
        return GeneratorSettings.builder()
                .accounts(ACCOUNTS)
                .days(DAYS)
                .seed(23)
                .start(JAN_1)
                .mix(GeneratorSettings.Mix.REALISTIC);
    }

    @Test
    void shouldGiveEachBehaviourExactlyItsShareOfItsPopulation() {
        long healthy = truth.values().stream().filter(r -> r.get(0).segment() == Segment.HEALTHY).count();
        for (Behaviour b : Behaviour.values()) {
            long population = b.population() == Behaviour.Population.ALL ? ACCOUNTS
                    : b.population() == Behaviour.Population.ACHIEVING ? healthy : ACCOUNTS - healthy;
            assertThat(accounts(b, a -> true)).as(b.wireName()).hasSize((int) Math.round(b.realisticShare() * population));
            assertThat(accounts(b, a -> true)).allSatisfy(a -> assertThat(b.appliesTo(segment(a))).isTrue());
        }
    }

    @Test
    void shouldKeepEveryAchieverAchievingAndEveryMissingAccountMissing() {
        assertThat(truth.values()).allSatisfy(results -> assertThat(results).allSatisfy(r -> {
            if (r.segment() == Segment.HEALTHY) {
                assertThat(r.status()).as(r.toString()).isIn(ResultStatus.ACHIEVED, ResultStatus.OPEN);
            } else if (r.isGoal()) {
                assertThat(r.status()).as(r.toString()).isNotEqualTo(ResultStatus.ACHIEVED);
            }
        }));
        assertThat(truth.values().stream().flatMap(List::stream))
                .filteredOn(r -> r.segment() == Segment.HEALTHY && r.result().equals(AccountResult.FIRST_VALUE))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(ResultStatus.ACHIEVED));
    }

    @Test
    void shouldDipAndRecoverOnlyWhereAnAchieverHasATransientDip() {
        // The holiday is a lull of its own; without it a dip is the only reason for one.
        GeneratorSettings s = realistic().behaviourShare(Behaviour.HOLIDAY, 0).build();
        Generator g = new Generator(s);
        Map<String, List<Touchpoint>> own = byAccount(g.events());
        Map<String, List<String>> behaviours = new HashMap<>();
        g.groundTruth().results().forEach(r -> behaviours.put(r.accountId(), r.behaviours()));

        int dipping = 0;
        int dipsSeen = 0;
        int others = 0;
        int othersSeen = 0;
        for (Map.Entry<String, List<Touchpoint>> e : own.entrySet()) {
            if (segmentOf(e.getValue()) != Segment.HEALTHY) {
                continue;
            }
            boolean dips = behaviours.get(e.getKey()).contains("transient_dip");
            // Quiet achievers' and late starters' use is lumpy on its own; they have tests of their own.
            if (!dips && (behaviours.get(e.getKey()).contains("quiet_achiever")
                    || behaviours.get(e.getKey()).contains("late_starter"))) {
                continue;
            }
            Boolean tellable = hasDipAndRecovery(e.getValue());
            if (tellable == null) {
                continue;
            }
            boolean seen = tellable;
            dipping += dips ? 1 : 0;
            dipsSeen += dips && seen ? 1 : 0;
            others += dips ? 0 : 1;
            othersSeen += !dips && seen ? 1 : 0;
        }

        // Per-user logins make daily use lumpy, so a shallow (60 %) or short dip does not always stand
        // out, and now and then an ordinary week looks like one; the rates are what tell them apart.
        assertThat(dipping).isGreaterThan(40);
        assertThat(dipsSeen).as("dipping achievers with a visible dip").isGreaterThanOrEqualTo(dipping * 65 / 100);
        assertThat(othersSeen).as("other achievers with a dip-like lull").isLessThanOrEqualTo(others * 5 / 100);
    }

    @Test
    void shouldStartLateStartersLateAndStillLetThemReachFirstValueInTime() {
        List<String> late = accounts(Behaviour.LATE_STARTER, a -> true);
        assertThat(late).isNotEmpty().allSatisfy(a -> {
            List<Touchpoint> own = events.get(a);
            long signup = first(own, t -> is(t, "subscription_started")).getOccurredAt();
            long journey = first(own, t -> is(t, "journey_started")).getOccurredAt();
            long firstUse = first(own, GeneratorFixtures::isProductUse).getOccurredAt();
            assertThat(firstUse - signup).as(a).isBetween(9 * DAY_MS, 27 * DAY_MS);
            assertThat(milestoneAt(own, Milestone.KICKOFF) - journey).as("kickoff late").isGreaterThan(5 * DAY_MS);
            long firstValue = milestoneAt(own, Milestone.FIRST_VALUE);
            assertThat(firstValue - journey).as("first value in time").isLessThan(40 * DAY_MS);
        });
        // Everybody else starts within days.
        List<Long> others = new ArrayList<>();
        for (String a : accounts(null, x -> !hasBehaviour(x, Behaviour.LATE_STARTER))) {
            List<Touchpoint> own = events.get(a);
            long signup = first(own, t -> is(t, "subscription_started")).getOccurredAt();
            others.add(first(own, GeneratorFixtures::isProductUse).getOccurredAt() - signup);
        }
        assertThat(median(others)).isLessThan(3 * DAY_MS);
    }

    @Test
    void shouldLetUsageFallForHealthyAndDeterioratingAlikeDuringTheHoliday() {
        long[] holiday = Simulation.holidayWindow(settings);
        assertThat(holiday).isNotNull();
        Map<String, List<Touchpoint>> without =
                byAccount(new Generator(realistic().behaviourShare(Behaviour.HOLIDAY, 0).build()).events());

        for (Segment segment : Segment.values()) {
            long inside = 0;
            long insideWithout = 0;
            long around = 0;
            long aroundWithout = 0;
            for (String a : accounts(null, x -> segment(x) == segment)) {
                inside += count(events.get(a), holiday[0], holiday[1], GeneratorFixtures::isProductUse);
                insideWithout += count(without.get(a), holiday[0], holiday[1], GeneratorFixtures::isProductUse);
                around += count(events.get(a), holiday[0] - 14 * DAY_MS, holiday[0], GeneratorFixtures::isProductUse);
                aroundWithout += count(without.get(a), holiday[0] - 14 * DAY_MS, holiday[0], GeneratorFixtures::isProductUse);
            }
            assertThat((double) inside).as(segment + " during the holiday").isLessThan(insideWithout * 0.45);
            assertThat((double) around).as(segment + " before it").isBetween(aroundWithout * 0.9, aroundWithout * 1.1);
        }
    }

    @Test
    void shouldPlaceTheHolidayInACalendarLullWhenOneFitsAndOtherwiseInTheMiddleOfTheWindow() {
        GeneratorSettings.Builder b = GeneratorSettings.builder().mix(GeneratorSettings.Mix.REALISTIC).seed(5);
        long[] yearEnd = Simulation.holidayWindow(b.start(Instant.parse("2025-11-20T00:00:00Z")).days(80).build());
        long[] august = Simulation.holidayWindow(b.start(Instant.parse("2025-06-20T00:00:00Z")).days(90).build());
        GeneratorSettings plain = b.start(JAN_1).days(60).build();
        long[] derived = Simulation.holidayWindow(plain);

        assertThat(Instant.ofEpochMilli(yearEnd[0])).isEqualTo(Instant.parse("2025-12-22T00:00:00Z"));
        assertThat(Instant.ofEpochMilli(yearEnd[1])).isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
        assertThat(Instant.ofEpochMilli(august[0])).isEqualTo(Instant.parse("2025-08-04T00:00:00Z"));
        assertThat(derived[1] - derived[0]).isBetween(7 * DAY_MS, 21 * DAY_MS);
        assertThat(derived[0]).isGreaterThanOrEqualTo(plain.start().toEpochMilli() + 20 * DAY_MS);
        assertThat(derived[1]).isLessThanOrEqualTo(plain.end().toEpochMilli() - 7 * DAY_MS);
        assertThat(Simulation.holidayWindow(b.behaviourShare(Behaviour.HOLIDAY, 0).build())).isNull();
    }

    @Test
    void shouldMeasureSparseGoalsEveryTenToThirtyDaysWithAReviewBeforeTheDeadlineAndOthersWeekly() {
        // A cancellation silences an account, its measurements too.
        Predicate<String> staying = a -> events.get(a).stream().noneMatch(t -> is(t, "subscription_cancelled"));
        assertThat(accounts(Behaviour.SPARSE_MEASUREMENTS, staying)).allSatisfy(a -> {
            List<Long> at = measurementTimes(a);
            long deadline = deadline(a);
            for (int i = 1; i < at.size() - 1; i++) {
                assertThat(at.get(i) - at.get(i - 1)).as(a).isBetween(10 * DAY_MS, 30 * DAY_MS);
            }
            if (deadline < settings.end().toEpochMilli()) {
                assertThat(deadline - at.get(at.size() - 1)).as(a + " review").isBetween(0L, 3 * DAY_MS);
            }
        });
        assertThat(accounts(null, a -> !hasBehaviour(a, Behaviour.SPARSE_MEASUREMENTS))).allSatisfy(a -> {
            List<Long> at = measurementTimes(a);
            for (int i = 1; i < at.size(); i++) {
                assertThat(at.get(i) - at.get(i - 1)).isEqualTo(7 * DAY_MS);
            }
        });
    }

    @Test
    void shouldScatterNoisyMeasurementsAroundTheirTrajectoryByFifteenToThirtyPercentOfTheWayToTheTarget() {
        // The same accounts measured weekly with and without noise: noise draws from a stream of its
        // own, so the two runs differ by the noise alone (and where the verdict is pinned, by less).
        GeneratorSettings.Builder weekly = realistic()
                .behaviourShare(Behaviour.SPARSE_MEASUREMENTS, 0)
                .behaviourShare(Behaviour.STEPWISE_METRIC, 0);
        Map<String, List<Touchpoint>> noisy =
                byAccount(new Generator(weekly.behaviourShare(Behaviour.NOISY_MEASUREMENTS, 1.0).build()).events());
        Map<String, List<Touchpoint>> smooth =
                byAccount(new Generator(weekly.behaviourShare(Behaviour.NOISY_MEASUREMENTS, 0).build()).events());

        int accounts = 0;
        int scattered = 0;
        double sum = 0;
        int n = 0;
        for (String a : noisy.keySet()) {
            double[] with = measured(noisy.get(a));
            double[] without = measured(smooth.get(a));
            assertThat(with).as(a).hasSameSizeAs(without);
            Map<String, String> goal = first(noisy.get(a), t -> is(t, "goal_set")).getAttributes();
            double range = Math.abs(Double.parseDouble(goal.get("target")) - Double.parseDouble(goal.get("baseline")));
            double largest = 0;
            for (int i = 0; i < with.length; i++) {
                double off = Math.abs(with[i] - without[i]) / range;
                // At most 30 %, the rounding of both to a tenth, and the clamp at zero.
                assertThat(off).as(a).isLessThanOrEqualTo(0.30 + 0.1 / range + 1e-9);
                largest = Math.max(largest, off);
                sum += off;
                n++;
            }
            if (with.length >= 3) {
                accounts++;
                scattered += largest >= 0.1 ? 1 : 0;
            }
        }

        assertThat(scattered).as("accounts with a measurement 10 % off").isGreaterThanOrEqualTo(accounts * 8 / 10);
        // Uniform within ±15-30 %: a mean distance of about 11 %.
        assertThat(sum / n).isBetween(0.07, 0.15);
    }

    @Test
    void shouldHoldAStepwiseMetricFlatThenLetItJump() {
        Predicate<String> stepwiseOnly = a -> !hasBehaviour(a, Behaviour.NOISY_MEASUREMENTS);
        List<String> stepwise = accounts(Behaviour.STEPWISE_METRIC, stepwiseOnly);
        List<String> smooth = accounts(null, a -> !hasBehaviour(a, Behaviour.STEPWISE_METRIC)
                && !hasBehaviour(a, Behaviour.NOISY_MEASUREMENTS) && !hasBehaviour(a, Behaviour.SPARSE_MEASUREMENTS));

        long stepping = stepwise.stream().filter(GeneratorBehavioursTest::flatThenJump).count();
        long smoothStepping = smooth.stream().filter(GeneratorBehavioursTest::flatThenJump).count();

        assertThat(stepping).as("stepwise accounts flat then jumping").isGreaterThanOrEqualTo(stepwise.size() * 6L / 10);
        assertThat(smoothStepping).as("smooth accounts flat then jumping").isLessThanOrEqualTo(smooth.size() / 50L);
    }

    @Test
    void shouldKeepABusyButMissingAccountBusyWhileItsResultStalls() {
        List<String> busy = accounts(Behaviour.BUSY_BUT_MISSING, a -> true);
        List<String> declining = accounts(null, a -> segment(a) == Segment.DETERIORATING
                && !hasBehaviour(a, Behaviour.BUSY_BUT_MISSING));
        assertThat(busy).hasSizeGreaterThan(10);

        assertThat(usageAfterOverBeforeOnset(busy)).as("busy: after / before the onset").isGreaterThan(1.2);
        assertThat(usageAfterOverBeforeOnset(declining)).as("others: after / before the onset").isLessThan(0.7);
        assertThat(busy).allSatisfy(a -> {
            assertThat(events.get(a)).noneMatch(t -> is(t, "subscription_cancelled") || is(t, "invoice_overdue"));
            long onset = truth.get(a).get(0).deteriorationOnset().toEpochMilli();
            assertThat(events.get(a))
                    .filteredOn(t -> t.getOccurredAt() > onset && isNps(t))
                    .allSatisfy(t -> assertThat(t.getValue()).isBetween(6.0, 8.0));
        });
        // Its measurements stall: no progress after the onset beyond the everyday wobble.
        assertThat(accounts(Behaviour.BUSY_BUT_MISSING, a -> !hasBehaviour(a, Behaviour.NOISY_MEASUREMENTS)
                && !hasBehaviour(a, Behaviour.STEPWISE_METRIC))).allSatisfy(a -> {
                    long onset = truth.get(a).get(0).deteriorationOnset().toEpochMilli();
                    double[] p = progress(a, onset);
                    for (int i = 1; i < p.length; i++) {
                        assertThat(Math.abs(p[i] - p[0])).as(a).isLessThan(0.2);
                    }
                });
    }

    @Test
    void shouldKeepAQuietAchieversUseLowAndSteady() {
        Predicate<String> plain = a -> !hasBehaviour(a, Behaviour.TRANSIENT_DIP) && !hasBehaviour(a, Behaviour.LATE_STARTER);
        List<String> quiet = accounts(Behaviour.QUIET_ACHIEVER, plain);
        List<String> others = accounts(null, plain.and(a -> segment(a) == Segment.HEALTHY
                && !hasBehaviour(a, Behaviour.QUIET_ACHIEVER)));
        assertThat(quiet).hasSizeGreaterThan(10);

        assertThat(touchpointsPerSeatDay(events, quiet, Predicate.not(GeneratorFixtures::isProductUse)))
                .isLessThan(0.7 * touchpointsPerSeatDay(events, others, Predicate.not(GeneratorFixtures::isProductUse)));
        assertThat(touchpointsPerSeatDay(events, quiet, GeneratorFixtures::isProductUse))
                .isLessThan(0.5 * touchpointsPerSeatDay(events, others, GeneratorFixtures::isProductUse));
        // Steady: its use does not grow with onboarding the way an ordinary achiever's does (seen
        // without the holiday, which would fall into the weeks compared for some and not for others).
        Map<String, List<Touchpoint>> noHoliday =
                byAccount(new Generator(realistic().behaviourShare(Behaviour.HOLIDAY, 0).build()).events());
        double quietGrowth = growth(noHoliday, quiet);
        double othersGrowth = growth(noHoliday, others);
        // What growth is left comes from the seats a team invitation adds.
        assertThat(quietGrowth).isLessThan(1.35).isLessThan(othersGrowth * 0.8);
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> accounts(Behaviour b, Predicate<String> which) {
        List<String> out = new ArrayList<>();
        for (String a : truth.keySet()) {
            if ((b == null || hasBehaviour(a, b)) && which.test(a)) {
                out.add(a);
            }
        }
        out.sort(String::compareTo);
        return out;
    }

    private static boolean hasBehaviour(String account, Behaviour b) {
        return truth.get(account).get(0).behaviours().contains(b.wireName());
    }

    private static Segment segment(String account) {
        return truth.get(account).get(0).segment();
    }

    private static Segment segmentOf(List<Touchpoint> own) {
        return segment(own.get(0).getAccountId());
    }

    private static long milestoneAt(List<Touchpoint> own, Milestone m) {
        return first(own, t -> is(t, "milestone_reached") && m.wireName().equals(t.getAttributes().get("milestone")))
                .getOccurredAt();
    }

    private static boolean isNps(Touchpoint t) {
        return is(t, "survey_answered") && "nps".equals(t.getAttributes().get("survey"));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compareTo);
        return sorted.get(sorted.size() / 2);
    }

    /** Product use per day of the window. */
    private static int[] dailyUse(List<Touchpoint> own) {
        int[] days = new int[DAYS];
        long start = JAN_1.toEpochMilli();
        for (Touchpoint t : own) {
            if (GeneratorFixtures.isProductUse(t)) {
                days[(int) ((t.getOccurredAt() - start) / DAY_MS)]++;
            }
        }
        return days;
    }

    /**
     * A dip: five days whose weekdays average at most 40 % (and none above 60 %) of the average
     * weekday of the two weeks before them, then, within the next nine days, a week whose weekdays are back to at least 70 %
     * of those two weeks'. Both sides are local, so onboarding's growth cannot pass for a dip, and
     * only weekdays count, so a weekend cannot either. Accounts with fewer than 60 uses on the
     * weekdays of those two weeks are too sparse to tell and are left out ({@code null}).
     */
    private static Boolean hasDipAndRecovery(List<Touchpoint> own) {
        int[] use = dailyUse(own);
        int from = (int) ((first(own, GeneratorFixtures::isProductUse).getOccurredAt() - JAN_1.toEpochMilli()) / DAY_MS) + 14;
        boolean tellable = false;
        for (int d = from; d + 12 <= DAYS; d++) {
            double[] before = weekdays(use, d - 14, 14);
            double usual = Arrays.stream(before).average().orElse(0);
            if (usual * before.length < 60) {
                continue;
            }
            tellable = true;
            double[] window = weekdays(use, d, 5);
            if (Arrays.stream(window).average().orElse(0) <= 0.4 * usual
                    && Arrays.stream(window).max().orElse(0) <= 0.6 * usual) {
                for (int k = d + 5; k <= d + 13 && k + 7 <= DAYS; k++) {
                    if (Arrays.stream(weekdays(use, k, 7)).average().orElse(0) >= 0.7 * usual) {
                        return true;
                    }
                }
            }
        }
        return tellable ? false : null;
    }

    /** The values of the weekdays among {@code n} days from window day {@code from}. */
    private static double[] weekdays(int[] use, int from, int n) {
        return java.util.stream.IntStream.range(from, from + n)
                .filter(d -> JAN_1.plusMillis(d * DAY_MS).atZone(java.time.ZoneOffset.UTC).getDayOfWeek().getValue() <= 5)
                .mapToDouble(d -> use[d])
                .toArray();
    }

    private static double mean(int[] values, int from, int n) {
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += values[i];
        }
        return sum / n;
    }

    private static Map<String, String> goal(String account) {
        return first(events.get(account), t -> is(t, "goal_set")).getAttributes();
    }

    private static long deadline(String account) {
        return Instant.parse(goal(account).get("deadline")).toEpochMilli();
    }

    private static List<Long> measurementTimes(String account) {
        List<Long> out = new ArrayList<>();
        for (Touchpoint t : events.get(account)) {
            if (is(t, "outcome_measured")) {
                out.add(t.getOccurredAt());
            }
        }
        return out;
    }

    /** Measurements from {@code from} on, as progress from baseline (0) to target (1). */
    private static double[] progress(String account, long from) {
        Map<String, String> goal = goal(account);
        double baseline = Double.parseDouble(goal.get("baseline"));
        double target = Double.parseDouble(goal.get("target"));
        return events.get(account).stream()
                .filter(t -> is(t, "outcome_measured") && t.getOccurredAt() >= from)
                .mapToDouble(t -> (t.getValue() - baseline) / (target - baseline))
                .toArray();
    }

    private static double[] measured(List<Touchpoint> own) {
        return own.stream().filter(t -> is(t, "outcome_measured")).mapToDouble(Touchpoint::getValue).toArray();
    }

    /** Two equal measurements in a row, later a rise of at least a fifth of the way to the target. */
    private static boolean flatThenJump(String account) {
        double[] p = progress(account, Long.MIN_VALUE);
        for (int i = 1; i < p.length; i++) {
            if (p[i] == p[i - 1]) {
                for (int k = i + 1; k < p.length; k++) {
                    if (p[k] - p[k - 1] >= 0.2) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Product use per day in the three weeks after the onset over the two weeks before, summed over accounts. */
    private static double usageAfterOverBeforeOnset(List<String> accounts) {
        double before = 0;
        double after = 0;
        for (String a : accounts) {
            long onset = truth.get(a).get(0).deteriorationOnset().toEpochMilli();
            before += count(events.get(a), onset - 14 * DAY_MS, onset, GeneratorFixtures::isProductUse) / 14.0;
            after += count(events.get(a), onset, onset + 21 * DAY_MS, GeneratorFixtures::isProductUse) / 21.0;
        }
        return after / before;
    }

    /** Touchpoints per seat at signup and day from the day after signup to the end of the window. */
    private static double touchpointsPerSeatDay(
            Map<String, List<Touchpoint>> events, List<String> accounts, Predicate<Touchpoint> which) {
        double sum = 0;
        for (String a : accounts) {
            List<Touchpoint> own = events.get(a);
            Touchpoint signup = first(own, t -> is(t, "subscription_started"));
            long from = signup.getOccurredAt() + DAY_MS;
            double days = (settings.end().toEpochMilli() - from) / (double) DAY_MS;
            double seats = Double.parseDouble(signup.getAttributes().get("seats"));
            sum += count(own, from, Long.MAX_VALUE, which) / days / seats;
        }
        return sum / accounts.size();
    }

    /** Product use in the journey's days 28-42 over days 7-21, summed over accounts. */
    private static double growth(Map<String, List<Touchpoint>> events, List<String> accounts) {
        double early = 0;
        double late = 0;
        for (String a : accounts) {
            List<Touchpoint> own = events.get(a);
            long journey = first(own, t -> is(t, "journey_started")).getOccurredAt();
            early += count(own, journey + 7 * DAY_MS, journey + 21 * DAY_MS, GeneratorFixtures::isProductUse);
            late += count(own, journey + 28 * DAY_MS, journey + 42 * DAY_MS, GeneratorFixtures::isProductUse);
        }
        return late / early;
    }
}
