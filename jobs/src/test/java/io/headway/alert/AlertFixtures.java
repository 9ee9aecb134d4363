package io.headway.alert;

import io.headway.schema.AccountSignal;
import io.headway.schema.GoalMeasurement;
import io.headway.schema.GoalUpdate;
import io.headway.schema.JourneyMilestone;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.ScoreComponent;
import io.headway.schema.ScoreDriver;
import io.headway.schema.ScoreUpdate;
import io.headway.schema.Touchpoint;
import io.headway.testing.Fixtures;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Upstream records as the alert function sees them, for account {@link #ACCOUNT}. */
final class AlertFixtures {

    static final String ACCOUNT = "acme";
    static final Instant DAY_0 = Fixtures.DAY_0;
    /** The onboarding journey starts at 09:00 on day 0. */
    static final Instant STARTED = DAY_0.plus(Duration.ofHours(9));

    private AlertFixtures() {}

    static Instant day(double n) {
        return DAY_0.plus(Duration.ofMinutes(Math.round(n * 24 * 60)));
    }

    static long ms(Instant i) {
        return i.toEpochMilli();
    }

    /** A transition of onboarding instance 1 about {@code milestone} (due {@code due}). */
    static AccountSignal journey(String transition, String milestone, Instant at, Instant due, Instant reachedAt) {
        return journeyOf("onboarding", transition, milestone, at, due, reachedAt);
    }

    static AccountSignal journeyOf(String journey, String transition, String milestone, Instant at, Instant due, Instant reachedAt) {
        String status = reachedAt != null ? (reachedAt.isAfter(due) ? "reached_late" : "reached")
                : transition.equals("milestone_overdue") ? "overdue" : transition.equals("milestone_behind") ? "behind" : "pending";
        JourneyMilestone m = JourneyMilestone.newBuilder()
                .setName(milestone == null ? "kickoff" : milestone)
                .setOwnerTeam("onboarding")
                .setSuccess("The customer has reached the result")
                .setBehindAt(ms(due) - Duration.ofDays(2).toMillis())
                .setDueAt(ms(due))
                .setReachedAt(reachedAt == null ? null : ms(reachedAt))
                .setStatus(status)
                .setEarlyByMs(reachedAt == null ? null : ms(due) - ms(reachedAt))
                .build();
        JourneyUpdate u = JourneyUpdate.newBuilder()
                .setInstanceId(ACCOUNT + "/" + journey + "/1")
                .setAccountId(ACCOUNT)
                .setJourney(journey)
                .setInstance(1)
                .setSequence(1)
                .setAsOf(ms(at))
                .setTransition(transition)
                .setSubject(milestone)
                .setCauseEventId(reachedAt == null ? null : "e-" + milestone)
                .setStatus(transition.equals("completed") ? "completed" : "on_track")
                .setStartedAt(ms(STARTED))
                .setLastActivityAt(ms(at))
                .setTimeToValueMs(reachedAt == null ? null : ms(reachedAt) - ms(STARTED))
                .setMilestones(List.of(m))
                .setTouchpoints(12)
                .setTouchpointsBySource(Map.of("onboarding", 12L))
                .build();
        return AccountSignal.newBuilder().setAccountId(ACCOUNT).setJourney(u).build();
    }

    /** A score record; components given as name, value pairs; the rest of the components are absent. */
    static ScoreBuilder score(Instant at, double score, String grade) {
        return new ScoreBuilder(at, score, grade);
    }

    static AccountSignal feedback(String type, Instant at, Map<String, String> attributes) {
        Touchpoint t = Fixtures.withUser(Fixtures.touchpoint("cs-" + type + "-" + ms(at), ACCOUNT, at, "success", type, attributes), "csm-ana");
        return AccountSignal.newBuilder().setAccountId(ACCOUNT).setTouchpoint(t).build();
    }

    /** A record of goal g-1 (activation rate from 20 to 60 by {@code deadline}). */
    static AccountSignal goal(String status, String previous, Instant at, Instant deadline, double latest, Double projected) {
        GoalUpdate g = GoalUpdate.newBuilder()
                .setGoalId("g-1")
                .setAccountId(ACCOUNT)
                .setSequence(1)
                .setMetric("activation_rate")
                .setDirection("increase")
                .setBaseline(20)
                .setTarget(60)
                .setDeadlineAt(ms(deadline))
                .setStatus(status)
                .setPreviousStatus(previous)
                .setChange(status.equals("achieved") || status.equals("missed") ? status : "measured")
                .setAsOf(ms(at))
                .setInsufficientData(false)
                .setLatest(new GoalMeasurement(latest, ms(at), "m-" + ms(at)))
                .setTrendPerDay(0.5)
                .setProjectedValue(projected)
                .setProjectedShortfall(projected == null ? null : Math.max(0, 60 - projected))
                .setProjectedShortfallShare(projected == null ? null : Math.max(0, 60 - projected) / 40)
                .setDaysLeft(Math.max(0, (ms(deadline) - ms(at)) / 86_400_000.0))
                .setMeasurementsUsed(4)
                .setCausingEventIds(List.of("goal-set-1", "m-1", "m-2", "m-" + ms(at)))
                .build();
        return AccountSignal.newBuilder().setAccountId(ACCOUNT).setGoal(g).build();
    }

    static final class ScoreBuilder {
        private final Instant at;
        private final double score;
        private final String grade;
        private String reason = "daily";
        private Long lastProduct;
        private final List<ScoreComponent> components = new ArrayList<>();
        private final List<ScoreDriver> drivers = new ArrayList<>();

        ScoreBuilder(Instant at, double score, String grade) {
            this.at = at;
            this.score = score;
            this.grade = grade;
        }

        ScoreBuilder reason(String r) {
            reason = r;
            return this;
        }

        ScoreBuilder lastProduct(Instant t) {
            lastProduct = ms(t);
            return this;
        }

        ScoreBuilder component(String name, double value, String input) {
            components.add(new ScoreComponent(name, value, 0.1, value * 0.1, input));
            return this;
        }

        /** A component with its value and its contribution (value x effective weight) to the score. */
        ScoreBuilder contribution(String name, double value, double contribution) {
            components.add(new ScoreComponent(name, value, value == 0 ? 0 : contribution / value, contribution, null));
            return this;
        }

        ScoreBuilder driver(String component, double delta, String... eventIds) {
            drivers.add(new ScoreDriver(component, delta, List.of(eventIds), 0, null));
            return this;
        }

        AccountSignal build() {
            ScoreUpdate u = new ScoreUpdate(ACCOUNT, ms(at), score, grade, "adopted", reason,
                    reason.equals("final") ? "churned" : null, null, null, components, drivers, lastProduct);
            return AccountSignal.newBuilder().setAccountId(ACCOUNT).setScore(u).build();
        }
    }
}
