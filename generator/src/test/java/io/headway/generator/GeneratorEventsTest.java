package io.headway.generator;

import static io.headway.generator.GeneratorFixtures.DAY_MS;
import static io.headway.generator.GeneratorFixtures.byAccount;
import static io.headway.generator.GeneratorFixtures.is;
import static io.headway.generator.GeneratorFixtures.jobParser;
import static io.headway.generator.GeneratorFixtures.parse;
import static io.headway.generator.GeneratorFixtures.records;
import static io.headway.generator.GeneratorFixtures.sixtyDays;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.ingest.TouchpointParser;
import io.headway.ingest.TouchpointVocabulary;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

class GeneratorEventsTest {

    private static GeneratorSettings settings;
    private static List<Touchpoint> events;

    @BeforeAll
    static void generate() {
        settings = sixtyDays(80).build();
        events = new Generator(settings).events();
    }

    @ParameterizedTest
    @EnumSource(value = GeneratorSettings.Output.class, names = {"JSONL", "AVRO"})
    void shouldPassTheJobsParserWithEveryValidRecord(GeneratorSettings.Output out) {
        GeneratorSettings s = sixtyDays(30).out(out).build();
        TouchpointParser parser = jobParser(s);
        List<GeneratedRecord> records = records(s);

        long offset = 0;
        for (GeneratedRecord r : records) {
            IngestedRecord parsed = parse(parser, s.format(), r, offset++);
            assertThat(parsed.getDeadLetter()).as("dead letter for %s", r.touchpoint()).isNull();
            assertThat(parsed.getTouchpoint()).isEqualTo(r.touchpoint());
        }
        assertThat(records).hasSizeGreaterThan(10_000);
    }

    @Test
    void shouldUseEverySourceAndEveryTypeExceptReactionsToHeadwaysOwnAlerts() {
        Set<String> sources = events.stream().map(Touchpoint::getSource).collect(Collectors.toSet());
        Set<String> types = events.stream().map(Touchpoint::getType).collect(Collectors.toSet());

        Set<String> expectedTypes = new HashSet<>(TouchpointVocabulary.TYPES);
        // A CSM acknowledges or snoozes an alert the job raised; a replay of the past cannot know them.
        expectedTypes.removeAll(List.of("alert_acknowledged", "alert_snoozed"));
        assertThat(sources).containsExactlyInAnyOrderElementsOf(TouchpointVocabulary.SOURCES);
        assertThat(types).containsExactlyInAnyOrderElementsOf(expectedTypes);
    }

    @Test
    void shouldKeepEverySourceToItsOwnTypes() {
        Map<String, Set<String>> typesBySource = events.stream()
                .collect(Collectors.groupingBy(Touchpoint::getSource,
                        Collectors.mapping(Touchpoint::getType, Collectors.toCollection(TreeSet::new))));

        assertThat(typesBySource).containsEntry("onboarding", new TreeSet<>(List.of("journey_started", "milestone_reached")));
        assertThat(typesBySource).containsEntry("outcome", new TreeSet<>(List.of("goal_set", "outcome_measured")));
        assertThat(typesBySource).containsEntry("survey", new TreeSet<>(List.of("survey_answered")));
        assertThat(typesBySource.get("product")).contains("login", "feature_used");
        assertThat(typesBySource.get("support"))
                .containsExactlyInAnyOrder("ticket_opened", "ticket_escalated", "ticket_reopened", "ticket_resolved");
    }

    @Test
    void shouldEmitInEventTimeOrderWithUniqueIdsInsideTheWindow() {
        long start = settings.start().toEpochMilli();
        long end = settings.end().toEpochMilli();

        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).getOccurredAt()).isGreaterThanOrEqualTo(events.get(i - 1).getOccurredAt());
        }
        assertThat(events).allSatisfy(t -> assertThat(t.getOccurredAt()).isBetween(start, end - 1));
        assertThat(events.stream().map(Touchpoint::getEventId).distinct().count()).isEqualTo(events.size());
    }

    @Test
    void shouldProduceTenToFortyEventsPerAccountAndDay() {
        double perAccountDay = events.size() / (double) (settings.accounts() * settings.days());

        assertThat(perAccountDay).isBetween(10.0, 40.0);
    }

    @Test
    void shouldReachMilestonesInTheirOrder() {
        List<String> order = Arrays.stream(Milestone.values()).map(Milestone::wireName).collect(Collectors.toList());

        byAccount(events).forEach((account, own) -> {
            List<String> reached = own.stream()
                    .filter(t -> is(t, "milestone_reached"))
                    .map(t -> t.getAttributes().get("milestone"))
                    .collect(Collectors.toList());
            assertThat(reached).as(account).isEqualTo(order.subList(0, reached.size()));
            assertThat(own.get(0).getType()).as(account).isEqualTo("subscription_started");
        });
    }

    @Test
    void shouldAnswerSurveysOnTheirOwnScales() {
        List<Touchpoint> answers = events.stream().filter(t -> is(t, "survey_answered")).collect(Collectors.toList());

        assertThat(answers).extracting(t -> t.getAttributes().get("survey")).containsOnly("nps", "csat");
        assertThat(answers).allSatisfy(t -> {
            double v = t.getValue();
            assertThat(v).isEqualTo(Math.rint(v));
            if (t.getAttributes().get("survey").equals("nps")) {
                assertThat(v).isBetween(0.0, 10.0);
            } else {
                assertThat(v).isBetween(1.0, 5.0);
            }
        });
    }

    @Test
    void shouldDescribeGoalsCompletely() {
        List<Touchpoint> goals = events.stream().filter(t -> is(t, "goal_set")).collect(Collectors.toList());

        assertThat(goals).hasSize(settings.accounts());
        assertThat(goals).allSatisfy(g -> {
            Map<String, String> a = g.getAttributes();
            assertThat(a).containsKeys("goal_id", "metric", "direction", "baseline", "target", "deadline");
            assertThat(a.get("direction")).isIn("increase", "decrease");
            assertThat(Instant.parse(a.get("deadline"))).isAfter(Instant.ofEpochMilli(g.getOccurredAt()));
            double baseline = Double.parseDouble(a.get("baseline"));
            double target = Double.parseDouble(a.get("target"));
            assertThat(a.get("direction").equals("increase") ? target > baseline : target < baseline).isTrue();
        });
    }

    @Test
    void shouldUseTheProductMuchMoreOnWeekdays() {
        long[] byDay = new long[7];
        events.stream().filter(GeneratorFixtures::isProductUse).forEach(t ->
                byDay[Instant.ofEpochMilli(t.getOccurredAt()).atZone(ZoneOffset.UTC).getDayOfWeek().ordinal()]++);

        double weekday = (byDay[0] + byDay[1] + byDay[2] + byDay[3] + byDay[4]) / 5.0;
        double weekend = (byDay[DayOfWeek.SATURDAY.ordinal()] + byDay[DayOfWeek.SUNDAY.ordinal()]) / 2.0;
        assertThat(weekday).isGreaterThan(3 * weekend);
    }

    @Test
    void shouldUseTheProductMoreOnLargerPlans() {
        Map<String, List<Touchpoint>> accounts = byAccount(events);
        Map<String, Double> usePerAccount = new HashMap<>();
        Map<String, Integer> accountsPerPlan = new HashMap<>();
        accounts.forEach((account, own) -> {
            String plan = own.get(0).getAttributes().get("plan");
            usePerAccount.merge(plan, (double) own.stream().filter(GeneratorFixtures::isProductUse).count(), Double::sum);
            accountsPerPlan.merge(plan, 1, Integer::sum);
        });
        double starter = usePerAccount.get("starter") / accountsPerPlan.get("starter");
        double team = usePerAccount.get("team") / accountsPerPlan.get("team");
        double business = usePerAccount.get("business") / accountsPerPlan.get("business");

        assertThat(team).isGreaterThan(2 * starter);
        assertThat(business).isGreaterThan(team);
    }

    @Test
    void shouldLetProductUseComeFromTheAccountsOwnUsers() {
        List<Touchpoint> use = events.stream().filter(GeneratorFixtures::isProductUse).collect(Collectors.toList());

        assertThat(use).allSatisfy(t -> assertThat(t.getUserId()).startsWith(t.getAccountId() + "-u"));
        assertThat(use.stream().filter(t -> is(t, "feature_used")).map(t -> t.getAttributes().get("feature"))
                .collect(Collectors.toSet())).hasSize(12);
    }

    @Test
    void shouldBillWhatTheSeatsAndThePlanCost() {
        List<Touchpoint> invoices = events.stream().filter(t -> is(t, "invoice_issued")).collect(Collectors.toList());
        Map<String, Double> pricePerSeat = Map.of("starter", 15.0, "team", 30.0, "business", 55.0);

        assertThat(invoices).allSatisfy(i -> assertThat(i.getValue())
                .isEqualTo(Integer.parseInt(i.getAttributes().get("seats")) * pricePerSeat.get(i.getAttributes().get("plan"))));
        // Every account's first renewal falls inside a 60-day window that starts with its signup quarter.
        assertThat(invoices.stream().filter(i -> i.getAttributes().get("period").equals("2")).count())
                .isGreaterThan(settings.accounts() / 2);
    }

    @Test
    void shouldHaveAllSixMilestonesTypicallyWithinFourWeeks() {
        List<Long> timeToValueDays = new ArrayList<>();
        byAccount(events).forEach((account, own) -> {
            Touchpoint journey = GeneratorFixtures.first(own, t -> is(t, "journey_started"));
            own.stream()
                    .filter(t -> is(t, "milestone_reached") && t.getAttributes().get("milestone").equals("first_value"))
                    .forEach(fv -> timeToValueDays.add((fv.getOccurredAt() - journey.getOccurredAt()) / DAY_MS));
        });

        assertThat(timeToValueDays).isNotEmpty().allSatisfy(d -> assertThat(d).isBetween(12L, 32L));
    }
}
