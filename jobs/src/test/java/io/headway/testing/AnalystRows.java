package io.headway.testing;

import io.headway.schema.Alert;
import io.headway.schema.AlertExplanation;
import io.headway.schema.DeadLetter;
import io.headway.schema.GoalMeasurement;
import io.headway.schema.GoalUpdate;
import io.headway.schema.JourneyMilestone;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.RiskFeature;
import io.headway.schema.RiskUpdate;
import io.headway.schema.ScoreComponent;
import io.headway.schema.ScoreDriver;
import io.headway.schema.ScoreUpdate;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Output records for the analyst tables, made by hand, and a writer that runs a binder the way the JDBC sink does. */
public final class AnalystRows {

    public static final Instant DAY_0 = Instant.parse("2026-06-01T00:00:00Z");

    private AnalystRows() {}

    public static Instant day(double n) {
        return DAY_0.plus(Duration.ofMillis(Math.round(n * 86_400_000L)));
    }

    /** Binds each record with {@code binder} and executes them as one JDBC batch, as the sink does. */
    @SafeVarargs
    public static <T> void write(String jdbcUrl, String sql, JdbcStatementBuilder<T> binder, T... records) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (T r : records) {
                binder.accept(ps, r);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public static ScoreUpdate score(String account, Instant asOf, String reason, double score, String grade, double sentiment) {
        List<ScoreComponent> components = new ArrayList<>();
        components.add(new ScoreComponent("adoption_breadth", 50.0, 0.5, 25.0, "6 of 12 features"));
        components.add(new ScoreComponent("sentiment", sentiment, 0.5, sentiment / 2, "NPS 7"));
        components.add(new ScoreComponent("seat_utilization", null, 0.0, 0.0, null));
        return ScoreUpdate.newBuilder()
                .setAccountId(account)
                .setAsOf(asOf.toEpochMilli())
                .setScore(score)
                .setGrade(grade)
                .setProfile("adopted")
                .setReason(reason)
                .setFinalReason(reason.equals("final") ? "churned" : null)
                .setPreviousScore(null)
                .setPreviousGrade(null)
                .setComponents(components)
                .setDrivers(List.of(new ScoreDriver("sentiment", 1.5, List.of(account + "-e1"), 0, "raised by 1 touchpoint(s)")))
                .setLastProductActivityAt(asOf.toEpochMilli())
                .build();
    }

    public static JourneyMilestone milestone(String name, Instant due, Instant reachedAt) {
        String status = reachedAt == null ? "pending" : reachedAt.isAfter(due) ? "reached_late" : "reached";
        return JourneyMilestone.newBuilder()
                .setName(name)
                .setOwnerTeam("onboarding")
                .setSuccess(name + " done")
                .setBehindAt(due.minus(Duration.ofDays(2)).toEpochMilli())
                .setDueAt(due.toEpochMilli())
                .setReachedAt(reachedAt == null ? null : reachedAt.toEpochMilli())
                .setStatus(status)
                .setEarlyByMs(reachedAt == null ? null : due.toEpochMilli() - reachedAt.toEpochMilli())
                .build();
    }

    public static JourneyUpdate journey(
            String account, int sequence, Instant asOf, String transition, String status, Instant startedAt,
            Long timeToValueMs, JourneyMilestone... milestones) {
        boolean ended = status.equals("completed") || status.equals("abandoned");
        return JourneyUpdate.newBuilder()
                .setInstanceId(account + "/onboarding/1")
                .setAccountId(account)
                .setJourney("onboarding")
                .setInstance(1)
                .setSequence(sequence)
                .setAsOf(asOf.toEpochMilli())
                .setTransition(transition)
                .setSubject(null)
                .setCauseEventId("e-" + account + "-" + sequence)
                .setStatus(status)
                .setStartedAt(startedAt.toEpochMilli())
                .setEndedAt(ended ? asOf.toEpochMilli() : null)
                .setLastActivityAt(asOf.toEpochMilli())
                .setTimeToValueMs(timeToValueMs)
                .setMilestones(List.of(milestones))
                .setTouchpoints(sequence * 10L)
                .setTouchpointsBySource(Map.of("product", sequence * 7L, "onboarding", sequence * 3L))
                .setSatisfaction(List.of())
                .build();
    }

    public static GoalUpdate goal(String account, String goalId, int sequence, Instant asOf, String status, String change, Instant deadline) {
        return GoalUpdate.newBuilder()
                .setGoalId(goalId)
                .setAccountId(account)
                .setSequence(sequence)
                .setMetric("hours_saved")
                .setDirection("increase")
                .setBaseline(0)
                .setTarget(20)
                .setDeadlineAt(deadline.toEpochMilli())
                .setStatus(status)
                .setPreviousStatus(null)
                .setChange(change)
                .setAsOf(asOf.toEpochMilli())
                .setInsufficientData(sequence < 2)
                .setLatest(sequence < 2 ? null : new GoalMeasurement(sequence * 3.0, asOf.toEpochMilli(), account + "-m" + sequence))
                .setTrendPerDay(sequence < 2 ? null : 0.5)
                .setProjectedValue(sequence < 2 ? null : 15.0)
                .setProjectedShortfall(sequence < 2 ? null : 5.0)
                .setProjectedShortfallShare(sequence < 2 ? null : 0.25)
                .setDaysLeft(Math.max(0, Duration.between(asOf, deadline).toHours() / 24.0))
                .setMeasurementsUsed(Math.max(0, sequence - 1))
                .setCausingEventIds(List.of(account + "-g"))
                .build();
    }

    public static Alert alert(
            String account, String rule, String state, String reason, Instant openedAt, Instant updatedAt, Instant dueAt) {
        String kind = state.equals("won") ? "win" : "risk";
        return Alert.newBuilder()
                .setAlertId(account + "/" + rule + "/" + openedAt.toEpochMilli())
                .setAlertKey(account + "/" + rule + "/account")
                .setAccountId(account)
                .setKind(kind)
                .setRule(rule)
                .setRuleVersion(1)
                .setSeverity(state.equals("escalated") ? "high" : "medium")
                .setState(state)
                .setSubject("account")
                .setOpenedAt(openedAt.toEpochMilli())
                .setUpdatedAt(updatedAt.toEpochMilli())
                .setDetectedAt(System.currentTimeMillis())
                .setDueAt(dueAt == null ? null : dueAt.toEpochMilli())
                .setLeadTimeMs(dueAt == null ? null : dueAt.toEpochMilli() - openedAt.toEpochMilli())
                .setOwnerTeam("success")
                .setHeadline(rule + " for " + account)
                .setExplanation(new AlertExplanation("because", List.of(), List.of()))
                .setRecommendedAction("call them")
                .setReason(reason)
                .setFireCount(1)
                .setSnoozedUntil(null)
                .setAcknowledgedAt(state.equals("acknowledged") ? updatedAt.toEpochMilli() : null)
                .build();
    }

    public static DeadLetter deadLetter(int partition, long offset, String reasonCode, byte[] payload, int payloadSize) {
        return DeadLetter.newBuilder()
                .setReasonCode(reasonCode)
                .setReason(reasonCode.toLowerCase() + " at " + offset)
                .setTopic("touchpoints")
                .setPartition(partition)
                .setOffset(offset)
                .setKafkaTimestamp(DAY_0.toEpochMilli() + offset)
                .setKey(ByteBuffer.wrap("acme".getBytes(StandardCharsets.UTF_8)))
                .setPayload(ByteBuffer.wrap(payload))
                .setPayloadSize(payloadSize)
                .build();
    }

    /**
     * A risk assessment whose contributions add up: silence_days contributes {@code silence}, health
     * {@code health}, goal_shortfall_share is unknown (null, 0), with intercept -1.
     */
    public static RiskUpdate risk(String account, Instant asOf, double silence, double health) {
        double logit = -1.0 + silence + health;
        return RiskUpdate.newBuilder()
                .setAccountId(account)
                .setAsOf(asOf.toEpochMilli())
                .setProbability(1 / (1 + Math.exp(-logit)))
                .setLogit(logit)
                .setIntercept(-1.0)
                .setModelVersion("2026-12-02")
                .setFeatures(List.of(
                        new RiskFeature("silence_days", 3.0 + 5.0 * silence, silence),
                        new RiskFeature("health", 0.7 - 0.15 * health, health),
                        new RiskFeature("goal_shortfall_share", null, 0.0)))
                .build();
    }
}
