package io.headway.generator;

import static io.headway.generator.GeneratorFixtures.DAY_MS;
import static io.headway.generator.GeneratorFixtures.byAccount;
import static io.headway.generator.GeneratorFixtures.count;
import static io.headway.generator.GeneratorFixtures.first;
import static io.headway.generator.GeneratorFixtures.is;
import static io.headway.generator.GeneratorFixtures.sixtyDays;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.Touchpoint;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The leading signals a deteriorating account shows, and their absence in healthy accounts. */
class GeneratorDeteriorationTest {

    private static Map<String, List<Touchpoint>> events;
    private static Map<String, AccountResult> firstValue;
    /** Per deteriorating account: onset and the first miss or churn, epoch millis. */
    private static Map<String, long[]> onsetAndMiss;

    @BeforeAll
    static void generate() {
        Generator g = new Generator(sixtyDays(100).build());
        events = byAccount(g.events());
        List<AccountResult> results = g.groundTruth().results();
        firstValue = results.stream()
                .filter(r -> r.result().equals(AccountResult.FIRST_VALUE))
                .collect(Collectors.toMap(AccountResult::accountId, r -> r));
        onsetAndMiss = new HashMap<>();
        for (AccountResult r : results) {
            if (r.segment() == Segment.DETERIORATING
                    && (r.status() == ResultStatus.MISSED || r.status() == ResultStatus.CHURNED)) {
                long at = r.at().toEpochMilli();
                onsetAndMiss.merge(
                        r.accountId(),
                        new long[] {r.deteriorationOnset().toEpochMilli(), at},
                        (a, b) -> a[1] <= b[1] ? a : b);
            }
        }
    }

    @Test
    void shouldDeteriorateExactlyTheConfiguredShareAndLetEachOfThemMissOrChurn() {
        long deteriorating = firstValue.values().stream().filter(r -> r.segment() == Segment.DETERIORATING).count();

        assertThat(deteriorating).isEqualTo(20);
        assertThat(onsetAndMiss).hasSize(20);
        assertThat(onsetAndMiss.values())
                .allSatisfy(w -> assertThat(w[1] - w[0]).as("weeks of warning").isGreaterThanOrEqualTo(20 * DAY_MS));
    }

    @Test
    void shouldUseTheProductLessInTheTwoWeeksBeforeAMissThanInTheTwoWeeksAfterTheOnset() {
        long early = 0;
        long late = 0;
        int declined = 0;
        for (Map.Entry<String, long[]> e : onsetAndMiss.entrySet()) {
            long onset = e.getValue()[0];
            long miss = e.getValue()[1];
            List<Touchpoint> own = events.get(e.getKey());
            long a = count(own, onset, onset + 14 * DAY_MS, GeneratorFixtures::isProductUse);
            long b = count(own, miss - 14 * DAY_MS, miss, GeneratorFixtures::isProductUse);
            early += a;
            late += b;
            declined += b < a ? 1 : 0;
        }

        assertThat(late).isLessThan(early / 2);
        assertThat(declined).isGreaterThanOrEqualTo(onsetAndMiss.size() * 9 / 10);
    }

    @Test
    void shouldKeepHealthyAccountsUsageSteadyOrGrowingOverTheSameStretchOfTheirJourney() {
        long early = 0;
        long late = 0;
        for (AccountResult r : firstValue.values()) {
            if (r.segment() == Segment.HEALTHY) {
                List<Touchpoint> own = events.get(r.accountId());
                long journey = first(own, t -> is(t, "journey_started")).getOccurredAt();
                early += count(own, journey + 10 * DAY_MS, journey + 24 * DAY_MS, GeneratorFixtures::isProductUse);
                late += count(own, journey + 24 * DAY_MS, journey + 38 * DAY_MS, GeneratorFixtures::isProductUse);
            }
        }

        assertThat(late).isGreaterThanOrEqualTo(early);
    }

    @Test
    void shouldNarrowTheFeaturesInUse() {
        double early = 0;
        double late = 0;
        for (Map.Entry<String, long[]> e : onsetAndMiss.entrySet()) {
            List<Touchpoint> own = events.get(e.getKey());
            early += distinctFeatures(own, e.getValue()[0] - 7 * DAY_MS, e.getValue()[0]);
            late += distinctFeatures(own, e.getValue()[1] - 7 * DAY_MS, e.getValue()[1]);
        }

        assertThat(late).isLessThan(early * 0.6);
    }

    @Test
    void shouldOpenMoreTicketsAndEscalateMoreOfThemAfterTheOnset() {
        long opened = 0;
        long escalated = 0;
        long days = 0;
        for (Map.Entry<String, long[]> e : onsetAndMiss.entrySet()) {
            List<Touchpoint> own = events.get(e.getKey());
            long onset = e.getValue()[0];
            opened += count(own, onset, onset + 21 * DAY_MS, t -> is(t, "ticket_opened"));
            escalated += count(own, onset, onset + 21 * DAY_MS, t -> is(t, "ticket_escalated"));
            days += 21;
        }
        long healthyOpened = 0;
        long healthyEscalated = 0;
        long healthyDays = 0;
        for (AccountResult r : firstValue.values()) {
            if (r.segment() == Segment.HEALTHY) {
                List<Touchpoint> own = events.get(r.accountId());
                long journey = first(own, t -> is(t, "journey_started")).getOccurredAt();
                healthyOpened += count(own, journey + 10 * DAY_MS, journey + 31 * DAY_MS, t -> is(t, "ticket_opened"));
                healthyEscalated +=
                        count(own, journey + 10 * DAY_MS, journey + 31 * DAY_MS, t -> is(t, "ticket_escalated"));
                healthyDays += 21;
            }
        }

        assertThat(opened / (double) days).isGreaterThan(2 * healthyOpened / (double) healthyDays);
        assertThat(escalated / (double) opened).isGreaterThan(2 * healthyEscalated / (double) healthyOpened);
    }

    @Test
    void shouldAnswerNpsAsADetractorAfterTheOnsetWhileHealthyAccountsMostlyPromote() {
        assertThat(onsetAndMiss).allSatisfy((account, w) -> assertThat(events.get(account))
                .filteredOn(t -> isNps(t) && t.getOccurredAt() >= w[0])
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.getValue()).isLessThanOrEqualTo(6.0)));

        List<Double> healthyScores = firstValue.values().stream()
                .filter(r -> r.segment() == Segment.HEALTHY)
                .flatMap(r -> events.get(r.accountId()).stream())
                .filter(GeneratorDeteriorationTest::isNps)
                .map(Touchpoint::getValue)
                .collect(Collectors.toList());
        assertThat(healthyScores.stream().filter(v -> v >= 7).count()).isGreaterThan(healthyScores.size() * 9L / 10);
    }

    @Test
    void shouldStopOnboardingAtTheOnset() {
        assertThat(onsetAndMiss).allSatisfy((account, w) -> assertThat(events.get(account))
                .filteredOn(t -> is(t, "milestone_reached"))
                .allSatisfy(t -> assertThat(t.getOccurredAt()).isLessThan(w[0])));
        assertThat(firstValue.values())
                .filteredOn(r -> r.segment() == Segment.DETERIORATING && r.stalledMilestone() != null)
                .hasSizeGreaterThan(10);
    }

    @Test
    void shouldMeasureGoalsFallingBehindTheirTrajectory() {
        onsetAndMiss.forEach((account, w) -> {
            List<Touchpoint> own = events.get(account);
            Map<String, String> goal = first(own, t -> is(t, "goal_set")).getAttributes();
            double baseline = Double.parseDouble(goal.get("baseline"));
            double target = Double.parseDouble(goal.get("target"));
            List<Double> progressAfterOnset = own.stream()
                    .filter(t -> is(t, "outcome_measured") && t.getOccurredAt() >= w[0])
                    .map(t -> (t.getValue() - baseline) / (target - baseline))
                    .collect(Collectors.toList());
            assertThat(progressAfterOnset).as(account).allSatisfy(p -> assertThat(p).isLessThan(1.0));
            if (progressAfterOnset.size() >= 2) {
                assertThat(progressAfterOnset.get(progressAfterOnset.size() - 1))
                        .as(account)
                        .isLessThan(progressAfterOnset.get(0) + 0.15);
            }
        });
    }

    private static boolean isNps(Touchpoint t) {
        return is(t, "survey_answered") && "nps".equals(t.getAttributes().get("survey"));
    }

    private static long distinctFeatures(List<Touchpoint> own, long from, long to) {
        return own.stream()
                .filter(t -> is(t, "feature_used") && t.getOccurredAt() >= from && t.getOccurredAt() < to)
                .map(t -> t.getAttributes().get("feature"))
                .distinct()
                .count();
    }
}
