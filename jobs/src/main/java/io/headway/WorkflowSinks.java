package io.headway;

import io.headway.schema.ActivitySummary;
import io.headway.schema.Alert;
import io.headway.schema.DeadLetter;
import io.headway.schema.GoalUpdate;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.RiskUpdate;
import io.headway.schema.ScoreUpdate;

import org.apache.flink.streaming.api.datastream.DataStream;

import java.util.function.Consumer;

/**
 * Where each output of {@link HeadwayJob#defineWorkflow} goes. Production passes Kafka and JDBC sinks,
 * tests pass collecting sinks; an output nobody asked for is left unconsumed, so adding an output
 * does not change every caller.
 */
public final class WorkflowSinks {

    Consumer<DataStream<ActivitySummary>> activity = s -> {};
    Consumer<DataStream<ActivitySummary>> activityDatabase = s -> {};
    Consumer<DataStream<DeadLetter>> deadLetters = s -> {};
    Consumer<DataStream<LateTouchpoint>> late = s -> {};
    Consumer<DataStream<JourneyUpdate>> journeys = s -> {};
    Consumer<DataStream<ScoreUpdate>> scores = s -> {};
    Consumer<DataStream<GoalUpdate>> goals = s -> {};
    Consumer<DataStream<Alert>> alerts = s -> {};
    Consumer<DataStream<RiskUpdate>> risk = s -> {};
    Consumer<DataStream<ScoreUpdate>> scoresDatabase = s -> {};
    Consumer<DataStream<JourneyUpdate>> journeysDatabase = s -> {};
    Consumer<DataStream<GoalUpdate>> goalsDatabase = s -> {};
    Consumer<DataStream<Alert>> alertsDatabase = s -> {};
    Consumer<DataStream<RiskUpdate>> riskDatabase = s -> {};
    Consumer<DataStream<DeadLetter>> deadLettersDatabase = s -> {};

    public static WorkflowSinks create() {
        return new WorkflowSinks();
    }

    public WorkflowSinks activity(Consumer<DataStream<ActivitySummary>> sink) {
        this.activity = sink;
        return this;
    }

    public WorkflowSinks activityDatabase(Consumer<DataStream<ActivitySummary>> sink) {
        this.activityDatabase = sink;
        return this;
    }

    public WorkflowSinks deadLetters(Consumer<DataStream<DeadLetter>> sink) {
        this.deadLetters = sink;
        return this;
    }

    public WorkflowSinks late(Consumer<DataStream<LateTouchpoint>> sink) {
        this.late = sink;
        return this;
    }

    public WorkflowSinks journeys(Consumer<DataStream<JourneyUpdate>> sink) {
        this.journeys = sink;
        return this;
    }

    /**
     * Health score records ({@link io.headway.score.ScoreFunction}). The stream is partitioned by
     * account like the touchpoints: an operator that needs the latest score (alerts) can take it
     * through {@code DataStreamUtils.reinterpretAsKeyedStream(scores, ScoreUpdate::getAccountId)}
     * without a shuffle.
     */
    public WorkflowSinks scores(Consumer<DataStream<ScoreUpdate>> sink) {
        this.scores = sink;
        return this;
    }

    public WorkflowSinks goals(Consumer<DataStream<GoalUpdate>> sink) {
        this.goals = sink;
        return this;
    }

    /** Alert transitions and wins ({@link io.headway.alert.AlertFunction}); production writes them exactly-once. */
    public WorkflowSinks alerts(Consumer<DataStream<Alert>> sink) {
        this.alerts = sink;
        return this;
    }

    /**
     * The account risk's re-assessments ({@link io.headway.alert.AlertFunction#RISK}), keyed by account;
     * empty unless the customer model has a {@code risk:} section.
     */
    public WorkflowSinks risk(Consumer<DataStream<RiskUpdate>> sink) {
        this.risk = sink;
        return this;
    }

    /** Score records to the analyst tables ({@code score_history}, {@code scores_current}). */
    public WorkflowSinks scoresDatabase(Consumer<DataStream<ScoreUpdate>> sink) {
        this.scoresDatabase = sink;
        return this;
    }

    /** Journey records to {@code journeys} and {@code journey_milestones}. */
    public WorkflowSinks journeysDatabase(Consumer<DataStream<JourneyUpdate>> sink) {
        this.journeysDatabase = sink;
        return this;
    }

    /** Goal records to {@code goals}. */
    public WorkflowSinks goalsDatabase(Consumer<DataStream<GoalUpdate>> sink) {
        this.goalsDatabase = sink;
        return this;
    }

    /** Alert records to {@code alerts} and {@code alert_transitions}. */
    public WorkflowSinks alertsDatabase(Consumer<DataStream<Alert>> sink) {
        this.alertsDatabase = sink;
        return this;
    }

    /** Risk assessments to {@code account_risk}; empty unless the customer model has a {@code risk:} section. */
    public WorkflowSinks riskDatabase(Consumer<DataStream<RiskUpdate>> sink) {
        this.riskDatabase = sink;
        return this;
    }

    /** Dead letters to {@code dead_letters}. */
    public WorkflowSinks deadLettersDatabase(Consumer<DataStream<DeadLetter>> sink) {
        this.deadLettersDatabase = sink;
        return this;
    }
}
