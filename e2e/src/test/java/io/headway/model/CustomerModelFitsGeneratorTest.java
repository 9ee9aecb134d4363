package io.headway.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.generator.AccountResult;
import io.headway.generator.Generator;
import io.headway.generator.GeneratorSettings;
import io.headway.generator.Milestone;
import io.headway.generator.Segment;
import io.headway.schema.Touchpoint;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bundled model describes the generator's accounts: what healthy accounts do fits inside the
 * due offsets, and what deteriorating accounts fail to do does not. Without this, the demo would
 * alert on healthy accounts or stay silent on failing ones.
 */
class CustomerModelFitsGeneratorTest {

    private static final Instant JAN_1 = Instant.parse("2025-01-01T00:00:00Z");

    private static final CustomerModel MODEL = CustomerModel.defaults();

    private static long windowEnd;
    private static final Map<String, List<Touchpoint>> HEALTHY = new LinkedHashMap<>();
    private static final Map<String, List<Touchpoint>> DETERIORATING = new LinkedHashMap<>();

    @BeforeAll
    static void generate() {
        Generator generator =
                new Generator(GeneratorSettings.builder().accounts(40).days(90).seed(7).start(JAN_1).build());
        windowEnd = generator.settings().end().toEpochMilli();
        Map<String, Segment> segments = new LinkedHashMap<>();
        for (AccountResult r : generator.groundTruth().results()) {
            segments.put(r.accountId(), r.segment());
        }
        for (Touchpoint t : generator.events()) {
            Map<String, List<Touchpoint>> bySegment =
                    segments.get(t.getAccountId()) == Segment.HEALTHY ? HEALTHY : DETERIORATING;
            bySegment.computeIfAbsent(t.getAccountId(), a -> new ArrayList<>()).add(t);
        }
    }

    @Test
    void shouldUseTheGeneratorsOnboardingMilestonesAndDueOffsets() {
        JourneyDefinition onboarding = MODEL.journey("onboarding").orElseThrow();

        assertThat(onboarding.milestones())
                .extracting(MilestoneDefinition::name, m -> m.due().toDays())
                .containsExactlyElementsOf(
                        java.util.Arrays.stream(Milestone.values())
                                .map(m -> org.assertj.core.groups.Tuple.tuple(m.wireName(), (long) m.dueDays()))
                                .toList());
    }

    @Test
    void shouldSeeHealthyAccountsReachEveryOnboardingMilestoneBeforeItIsDue() {
        JourneyDefinition onboarding = MODEL.journey("onboarding").orElseThrow();
        assertThat(HEALTHY).hasSizeGreaterThan(20);

        for (Map.Entry<String, List<Touchpoint>> account : HEALTHY.entrySet()) {
            long start = first(account.getValue(), onboarding.entry(), Long.MIN_VALUE)
                    .orElseThrow(() -> new AssertionError(account.getKey() + " never starts onboarding"))
                    .getOccurredAt();
            for (MilestoneDefinition m : onboarding.milestones()) {
                long dueAt = start + m.due().toMillis();
                assertThat(dueAt).as("window too short for the test").isLessThan(windowEnd);
                Optional<Touchpoint> reached = first(account.getValue(), m.match(), start);
                assertThat(reached).as(account.getKey() + " reaches " + m.name()).isPresent();
                assertThat(reached.get().getOccurredAt())
                        .as(account.getKey() + " reaches " + m.name() + " before it is due")
                        .isLessThan(dueAt);
            }
        }
    }

    @Test
    void shouldSeeHealthyAccountsReachAdoptionMilestonesWellBeforeTheyAreDue() {
        JourneyDefinition adoption = MODEL.journey("adoption").orElseThrow();
        int checked = 0;

        for (Map.Entry<String, List<Touchpoint>> account : HEALTHY.entrySet()) {
            Optional<Touchpoint> entry = first(account.getValue(), adoption.entry(), Long.MIN_VALUE);
            if (entry.isEmpty()) {
                continue;
            }
            long start = entry.get().getOccurredAt();
            for (MilestoneDefinition m : adoption.milestones()) {
                long behindAt = start + (long) (adoption.behindShare() * m.due().toMillis());
                if (behindAt >= windowEnd) {
                    continue; // undecided inside the window
                }
                checked++;
                assertThat(first(account.getValue(), m.match(), start))
                        .as(account.getKey() + " reaches " + m.name() + " before it is behind")
                        .hasValueSatisfying(t -> assertThat(t.getOccurredAt()).isLessThan(behindAt));
            }
        }
        assertThat(checked).isGreaterThan(HEALTHY.size());
    }

    @Test
    void shouldSeeDeterioratingAccountsStallOnboarding() {
        JourneyDefinition onboarding = MODEL.journey("onboarding").orElseThrow();
        int stalled = 0;

        for (List<Touchpoint> events : DETERIORATING.values()) {
            long start = first(events, onboarding.entry(), Long.MIN_VALUE).orElseThrow().getOccurredAt();
            for (MilestoneDefinition m : onboarding.milestones()) {
                long dueAt = start + m.due().toMillis();
                Optional<Touchpoint> reached = first(events, m.match(), start);
                if (dueAt < windowEnd && (reached.isEmpty() || reached.get().getOccurredAt() >= dueAt)) {
                    stalled++;
                    break;
                }
            }
        }
        assertThat(DETERIORATING).isNotEmpty();
        assertThat(stalled).as("deteriorating accounts missing an onboarding milestone").isGreaterThan(DETERIORATING.size() / 2);
    }

    @Test
    void shouldStartRenewalForEveryAccountOnceTheSecondInvoiceIsIssued() {
        JourneyDefinition renewal = MODEL.journey("renewal").orElseThrow();

        for (Map.Entry<String, List<Touchpoint>> account : HEALTHY.entrySet()) {
            Touchpoint entry = first(account.getValue(), renewal.entry(), Long.MIN_VALUE)
                    .orElseThrow(() -> new AssertionError(account.getKey() + " never renews"));
            assertThat(first(account.getValue(), renewal.milestones().get(0).match(), entry.getOccurredAt()))
                    .as(account.getKey() + " pays the renewal")
                    .isPresent();
        }
    }

    private static Optional<Touchpoint> first(List<Touchpoint> events, Matcher matcher, long notBefore) {
        for (Touchpoint t : events) {
            if (t.getOccurredAt() >= notBefore && matcher.matches(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
