package io.headway.generator;

import static io.headway.generator.GeneratorFixtures.byAccount;
import static io.headway.generator.GeneratorFixtures.first;
import static io.headway.generator.GeneratorFixtures.is;
import static io.headway.generator.GeneratorFixtures.sixtyDays;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.Touchpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ground truth says exactly what the emitted events show, so the job's outputs can be checked against it. */
class GeneratorGroundTruthTest {

    private static GeneratorSettings settings;
    private static Map<String, List<Touchpoint>> events;
    private static GroundTruth truth;

    @BeforeAll
    static void generate() {
        settings = sixtyDays(100).build();
        Generator g = new Generator(settings);
        events = byAccount(g.events());
        truth = g.groundTruth();
    }

    @Test
    void shouldTrackFirstValueAndRenewalForEveryAccountAndOneGoalEach() {
        assertThat(truth.results()).hasSize(3 * settings.accounts());
        assertThat(events.keySet()).allSatisfy(account -> assertThat(truth.resultsFor(account))
                .extracting(AccountResult::result)
                .containsExactly(AccountResult.FIRST_VALUE, "goal:" + account + "-g1", AccountResult.RENEWAL));
    }

    @Test
    void shouldGiveTimeToValueAsFirstValueMinusJourneyStarted() {
        List<AccountResult> achieved = lines(AccountResult.FIRST_VALUE, ResultStatus.ACHIEVED);

        assertThat(achieved).hasSizeGreaterThan(70).allSatisfy(r -> {
            List<Touchpoint> own = events.get(r.accountId());
            long journey = first(own, t -> is(t, "journey_started")).getOccurredAt();
            long value = first(own, t -> milestone(t, "first_value")).getOccurredAt();
            assertThat(r.at()).isEqualTo(Instant.ofEpochMilli(value));
            assertThat(r.timeToValueMs()).isEqualTo(value - journey);
            assertThat(r.stalledMilestone()).isNull();
        });
    }

    @Test
    void shouldNameTheStalledMilestoneThatWasDueButNeverReached() {
        List<AccountResult> stalled = truth.results().stream().filter(r -> r.stalledMilestone() != null).toList();

        assertThat(stalled).isNotEmpty().allSatisfy(r -> {
            List<Touchpoint> own = events.get(r.accountId());
            Milestone m = Milestone.fromWireName(r.stalledMilestone()).orElseThrow();
            long journey = first(own, t -> is(t, "journey_started")).getOccurredAt();
            assertThat(own).noneMatch(t -> milestone(t, m.wireName()));
            for (Milestone earlier : Milestone.values()) {
                if (earlier.ordinal() < m.ordinal()) {
                    assertThat(own).anyMatch(t -> milestone(t, earlier.wireName()));
                }
            }
            assertThat(r.stalledMilestoneDueAt()).isEqualTo(Instant.ofEpochMilli(journey).plus(m.dueAfterJourneyStart()));
            assertThat(r.stalledMilestoneDueDay()).isEqualTo(m.dueDays());
            assertThat(r.stalledMilestoneDueAt()).isBefore(settings.end());
            assertThat(r.segment()).isEqualTo(Segment.DETERIORATING);
        });
    }

    @Test
    void shouldDecideGoalsFromTheMeasurementsTheAccountsReported() {
        for (AccountResult r : truth.results()) {
            if (!r.isGoal()) {
                continue;
            }
            List<Touchpoint> own = events.get(r.accountId());
            Map<String, String> goal = first(own, t -> is(t, "goal_set")).getAttributes();
            assertThat("goal:" + goal.get("goal_id")).isEqualTo(r.result());
            Instant deadline = Instant.parse(goal.get("deadline"));
            Optional<Touchpoint> met = own.stream()
                    .filter(t -> is(t, "outcome_measured") && meets(goal, t.getValue()))
                    .filter(t -> !Instant.ofEpochMilli(t.getOccurredAt()).isAfter(deadline))
                    .findFirst();
            switch (r.status()) {
                case ACHIEVED:
                    assertThat(met).map(t -> Instant.ofEpochMilli(t.getOccurredAt())).contains(r.at());
                    break;
                case MISSED:
                    assertThat(met).isEmpty();
                    assertThat(r.at()).isEqualTo(deadline);
                    break;
                case CHURNED:
                    assertThat(met).isEmpty();
                    assertThat(r.at()).isEqualTo(cancellation(own)).isBefore(deadline);
                    break;
                default:
                    assertThat(met).isEmpty();
                    assertThat(deadline).isAfterOrEqualTo(settings.end());
            }
        }
    }

    @Test
    void shouldChurnAtTheCancellationAfterWhichTheAccountIsSilent() {
        List<AccountResult> churned = lines(AccountResult.RENEWAL, ResultStatus.CHURNED);

        assertThat(churned).isNotEmpty().allSatisfy(r -> {
            List<Touchpoint> own = events.get(r.accountId());
            assertThat(r.at()).isEqualTo(cancellation(own));
            assertThat(own.get(own.size() - 1).getType()).isEqualTo("subscription_cancelled");
            assertThat(r.segment()).isEqualTo(Segment.DETERIORATING);
        });
    }

    @Test
    void shouldRenewWhenTheSecondBillingPeriodIsPaid() {
        assertThat(lines(AccountResult.RENEWAL, ResultStatus.ACHIEVED)).hasSizeGreaterThan(50).allSatisfy(r -> {
            Touchpoint paid = first(events.get(r.accountId()),
                    t -> is(t, "invoice_paid") && t.getAttributes().get("period").equals("2"));
            assertThat(r.at()).isEqualTo(Instant.ofEpochMilli(paid.getOccurredAt()));
        });
    }

    @Test
    void shouldLetEveryHealthyAccountReachFirstValueAndNeverMissAGoal() {
        assertThat(truth.results())
                .filteredOn(r -> r.segment() == Segment.HEALTHY)
                .allSatisfy(r -> {
                    assertThat(r.deteriorationOnset()).isNull();
                    assertThat(r.status()).isIn(ResultStatus.ACHIEVED, ResultStatus.OPEN);
                    if (r.result().equals(AccountResult.FIRST_VALUE)) {
                        assertThat(r.status()).isEqualTo(ResultStatus.ACHIEVED);
                    }
                });
        assertThat(truth.results())
                .filteredOn(r -> r.segment() == Segment.DETERIORATING)
                .allSatisfy(r -> assertThat(r.deteriorationOnset()).isBetween(settings.start(), settings.end()))
                .filteredOn(AccountResult::isGoal)
                .extracting(AccountResult::status)
                .doesNotContain(ResultStatus.ACHIEVED);
    }

    @Test
    void shouldWriteOneJsonLinePerResultFollowedByASummary() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        truth.writeJsonLines(out);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(json.readTree(line));
        }

        assertThat(lines).hasSize(truth.results().size() + 1);
        JsonNode stalled = lines.stream().filter(l -> l.has("stalled_milestone")).findFirst().orElseThrow();
        assertThat(stalled.fieldNames()).toIterable().contains(
                "kind", "account_id", "segment", "result", "status", "at", "deterioration_onset",
                "stalled_milestone", "stalled_milestone_due_at", "stalled_milestone_due_day");
        JsonNode reached = lines.stream().filter(l -> l.has("time_to_value_ms")).findFirst().orElseThrow();
        assertThat(reached.get("segment").asText()).isIn("healthy", "deteriorating");
        assertThat(Instant.parse(reached.get("at").asText())).isBetween(settings.start(), settings.end());
        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.get("kind").asText()).isEqualTo("summary");
        assertThat(summary.get("records").asLong()).isEqualTo(truth.records());
        assertThat(summary.get("malformed").asLong()).isZero();
        assertThat(summary.get("duplicates").asLong()).isZero();
        assertThat(summary.get("window_start").asText()).isEqualTo("2025-01-01T00:00:00Z");
    }

    @Test
    void shouldWriteEveryDecidedResultAsAnOutcomesRowWithThePlanAtSignupAndTheSegment() {
        List<String> rows = List.of(truth.outcomesCsv().split("\n"));
        List<AccountResult> decided = truth.results().stream().filter(r -> r.status() != ResultStatus.OPEN).toList();

        assertThat(rows.get(0)).isEqualTo("account_id,result,result_at,goal_id,plan,segment,status,result_kind");
        assertThat(rows).hasSize(1 + decided.size());
        assertThat(decided.size()).as("open results are left out").isLessThan(truth.results().size());
        for (int i = 0; i < decided.size(); i++) {
            AccountResult r = decided.get(i);
            String plan = first(events.get(r.accountId()), t -> is(t, "subscription_started")).getAttributes().get("plan");
            String kind = r.isGoal() ? "goal" : r.result();
            String expected = String.join(",", r.accountId(), r.status() == ResultStatus.ACHIEVED ? "achieved" : "missed",
                    r.at().toString(), kind, plan, r.segment().wireName(), r.status().wireName(), kind);
            assertThat(rows.get(i + 1)).isEqualTo(expected);
        }
        // Every kind of row is there: a churn is a miss with its own status.
        assertThat(rows.subList(1, rows.size())).anyMatch(r -> r.contains(",missed,") && r.contains(",churned,"))
                .anyMatch(r -> r.matches(".*,missed,.*,(healthy|deteriorating),missed,.*"))
                .anyMatch(r -> r.contains(",achieved,") && r.contains(",goal,"))
                .anyMatch(r -> r.contains(",first_value,"))
                .anyMatch(r -> r.contains(",renewal,"));
        assertThat(decided).extracting(AccountResult::plan).containsOnly("starter", "team", "business");
    }

    private static List<AccountResult> lines(String result, ResultStatus status) {
        return truth.results().stream().filter(r -> r.result().equals(result) && r.status() == status).toList();
    }

    private static boolean milestone(Touchpoint t, String name) {
        return is(t, "milestone_reached") && name.equals(t.getAttributes().get("milestone"));
    }

    private static boolean meets(Map<String, String> goal, double value) {
        double target = Double.parseDouble(goal.get("target"));
        return goal.get("direction").equals("increase") ? value >= target : value <= target;
    }

    private static Instant cancellation(List<Touchpoint> own) {
        return Instant.ofEpochMilli(first(own, t -> is(t, "subscription_cancelled")).getOccurredAt());
    }
}
