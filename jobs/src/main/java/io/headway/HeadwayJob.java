package io.headway;

import io.headway.activity.ActivitySummaryFunction;
import io.headway.alert.AccountSignalKey;
import io.headway.alert.AlertFunction;
import io.headway.alert.AlertRules;
import io.headway.alert.FeedbackSignal;
import io.headway.alert.GoalSignal;
import io.headway.alert.IsAlertFeedback;
import io.headway.alert.JourneySignal;
import io.headway.alert.ScoreSignal;
import io.headway.config.ConfigException;
import io.headway.config.HeadwayConfig;
import io.headway.ingest.AcceptTouchpoints;
import io.headway.ingest.AccountKey;
import io.headway.ingest.IngestedTimestamps;
import io.headway.ingest.SplitDeadLetters;
import io.headway.ingest.TouchpointSource;
import io.headway.journey.JourneyFunction;
import io.headway.journey.JourneyModel;
import io.headway.outcome.GoalFunction;
import io.headway.schema.AccountSignal;
import io.headway.schema.ActivitySummary;
import io.headway.schema.Alert;
import io.headway.schema.GoalUpdate;
import io.headway.schema.IngestedRecord;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.ScoreUpdate;
import io.headway.score.ScoreFunction;
import io.headway.score.ScoreModel;
import io.headway.schema.Touchpoint;
import io.headway.sink.Sinks;
import io.headway.sink.SchemaMigrator;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The Headway job: touchpoints from Kafka, validated, de-duplicated and keyed by account, to
 * per-account activity summaries on Kafka and in PostgreSQL, journeys, explained health scores and
 * customer goals on Kafka.
 *
 * <p>Run: {@code flink run headway-jobs-<version>-job.jar --config headway.properties [--key value ...]}.
 * Options (all in {@link HeadwayConfig}, with defaults, and in docs/configuration.md): {@code kafka.bootstrap-servers}
 * (required), {@code job.name}, {@code job.max-parallelism}, {@code input.topics}, {@code input.format}, {@code input.topic-formats},
 * {@code input.group-id}, {@code input.starting-offsets}, {@code input.bounded},
 * {@code output.activity-topic}, {@code output.journey-topic}, {@code output.score-topic},
 * {@code output.goal-topic}, {@code output.alert-topic}, {@code output.risk-topic}, {@code output.dead-letter-topic}, {@code output.late-topic},
 * {@code output.delivery-guarantee}, {@code jdbc.url}, {@code jdbc.user}, {@code jdbc.password-env},
 * {@code jdbc.password-file}, {@code jdbc.score-history-retention}, {@code watermark.*}, {@code dedup.horizon}, {@code validation.*},
 * {@code activity.emit-interval}, {@code checkpoint.*}, {@code restart.*}; pass-through
 * {@code kafka.consumer.*}, {@code kafka.producer.*}, {@code flink.*}.
 */
public final class HeadwayJob {

    private static final Logger LOG = LoggerFactory.getLogger(HeadwayJob.class);

    public static final String SOURCE_UID = "touchpoint-source";
    public static final String SPLIT_UID = "split-dead-letters";
    public static final String ACCEPT_UID = "accept-touchpoints";
    public static final String ACTIVITY_UID = "activity-summary";
    public static final String JOURNEYS_UID = "journeys";
    public static final String SCORE_UID = "health-score";
    public static final String GOALS_UID = "goals";
    public static final String JOURNEY_SIGNALS_UID = "alert-journey-signals";
    public static final String SCORE_SIGNALS_UID = "alert-score-signals";
    public static final String GOAL_SIGNALS_UID = "alert-goal-signals";
    public static final String FEEDBACK_FILTER_UID = "alert-feedback-filter";
    public static final String FEEDBACK_SIGNALS_UID = "alert-feedback-signals";
    public static final String ALERTS_UID = "alerts";

    private HeadwayJob() {}

    public static void main(String[] args) throws Exception {
        HeadwayConfig config;
        try {
            config = HeadwayConfig.fromArgs(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(engineConfiguration(config));
        try {
            buildPipeline(env, config);
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        env.execute(config.get(HeadwayConfig.JOB_NAME));
    }

    /** Wires the production Kafka source and Kafka/JDBC sinks around {@link #defineWorkflow}. */
    public static void buildPipeline(StreamExecutionEnvironment env, HeadwayConfig config) throws Exception {
        LOG.info("Headway configuration:\n{}", config);
        if (!config.hasAlertRules()) {
            LOG.warn("The customer model {} has no alert rules: the job runs without alerts "
                    + "(set alerts.required=true to refuse to start instead)", config.customerModel().origin());
        }
        if (config.databaseEnabled() && config.get(HeadwayConfig.JDBC_MIGRATE)) {
            List<String> applied =
                    SchemaMigrator.migrate(
                            config.get(HeadwayConfig.JDBC_URL), config.get(HeadwayConfig.JDBC_USER), config.jdbcPassword());
            LOG.info("Database migrations applied: {}", applied.isEmpty() ? "none (up to date)" : applied);
        }
        WorkflowSinks sinks =
                WorkflowSinks.create()
                        .activity(Sinks.activityTopic(config))
                        .deadLetters(Sinks.deadLetterTopic(config))
                        .late(Sinks.lateTopic(config))
                        .journeys(Sinks.journeyTopic(config))
                        .scores(Sinks.scoreTopic(config))
                        .goals(Sinks.goalTopic(config))
                        .alerts(Sinks.alertTopic(config))
                        .risk(Sinks.riskTopic(config));
        if (config.databaseEnabled()) {
            sinks.activityDatabase(Sinks.activityDatabase(config))
                    .scoresDatabase(Sinks.scoreDatabase(config))
                    .journeysDatabase(Sinks.journeyDatabase(config))
                    .goalsDatabase(Sinks.goalDatabase(config))
                    .alertsDatabase(Sinks.alertDatabase(config))
                    .riskDatabase(Sinks.riskDatabase(config))
                    .deadLettersDatabase(Sinks.deadLetterDatabase(config));
        }
        defineWorkflow(env, TouchpointSource.kafka(config), PipelineSettings.from(config), sinks);
    }

    /**
     * The workflow, shared by production and tests: watermarks at the source, dead letters split off,
     * one {@code keyBy(account)}, then keyed operators chained on that same partitioning.
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<IngestedRecord, ?, ?> source,
            PipelineSettings settings,
            WorkflowSinks sinks) {
        WatermarkStrategy<IngestedRecord> watermarks =
                WatermarkStrategy.<IngestedRecord>forBoundedOutOfOrderness(settings.maxOutOfOrderness)
                        .withTimestampAssigner(new IngestedTimestamps())
                        .withIdleness(settings.idleness);

        SingleOutputStreamOperator<Touchpoint> touchpoints =
                env.fromSource(source, watermarks, "Touchpoints")
                        .uid(SOURCE_UID)
                        .process(new SplitDeadLetters(), new AvroTypeInfo<>(Touchpoint.class))
                        .uid(SPLIT_UID)
                        .name("Split off dead letters");

        SingleOutputStreamOperator<Touchpoint> accepted =
                touchpoints
                        .keyBy(new AccountKey())
                        .process(
                                new AcceptTouchpoints(settings.allowedLateness, settings.dedupHorizon),
                                new AvroTypeInfo<>(Touchpoint.class))
                        .uid(ACCEPT_UID)
                        .name("Drop duplicates, divert late");

        // Same partitioning as the keyBy above: keyed operators chain without a second shuffle.
        SingleOutputStreamOperator<ActivitySummary> activity =
                DataStreamUtils.reinterpretAsKeyedStream(accepted, new AccountKey())
                        .process(
                                new ActivitySummaryFunction(settings.activityEmitInterval),
                                new AvroTypeInfo<>(ActivitySummary.class))
                        .uid(ACTIVITY_UID)
                        .name("Activity summary");

        SingleOutputStreamOperator<JourneyUpdate> journeys =
                DataStreamUtils.reinterpretAsKeyedStream(accepted, new AccountKey())
                        .process(
                                new JourneyFunction(new JourneyModel(settings.customerModel)),
                                new AvroTypeInfo<>(JourneyUpdate.class))
                        .uid(JOURNEYS_UID)
                        .name("Journeys");

        // Health scores: on the same partitioning too, so the score stream is keyed by account as well.
        SingleOutputStreamOperator<ScoreUpdate> scores =
                DataStreamUtils.reinterpretAsKeyedStream(accepted, new AccountKey())
                        .process(new ScoreFunction(ScoreModel.from(settings.customerModel)), new AvroTypeInfo<>(ScoreUpdate.class))
                        .uid(SCORE_UID)
                        .name("Health scores");

        SingleOutputStreamOperator<GoalUpdate> goals =
                DataStreamUtils.reinterpretAsKeyedStream(accepted, new AccountKey())
                        .process(
                                new GoalFunction(settings.customerModel.goals()),
                                new AvroTypeInfo<>(GoalUpdate.class))
                        .uid(GOALS_UID)
                        .name("Goals");

        // Alerts: journeys, scores, goals and the CS tools' alert feedback of an account, as one stream on the
        // same partitioning (each is keyed by account already), into one keyed function: no shuffle.
        AvroTypeInfo<AccountSignal> signalType = new AvroTypeInfo<>(AccountSignal.class);
        DataStream<AccountSignal> signals =
                journeys.map(new JourneySignal(), signalType).uid(JOURNEY_SIGNALS_UID).name("Journeys to alert signals")
                        .union(
                                scores.map(new ScoreSignal(), signalType).uid(SCORE_SIGNALS_UID).name("Scores to alert signals"),
                                goals.map(new GoalSignal(), signalType).uid(GOAL_SIGNALS_UID).name("Goals to alert signals"),
                                accepted.filter(new IsAlertFeedback()).uid(FEEDBACK_FILTER_UID).name("Alert feedback touchpoints")
                                        .map(new FeedbackSignal(), signalType).uid(FEEDBACK_SIGNALS_UID).name("Feedback to alert signals"));
        SingleOutputStreamOperator<Alert> alerts =
                DataStreamUtils.reinterpretAsKeyedStream(signals, new AccountSignalKey())
                        .process(new AlertFunction(AlertRules.from(settings.customerModel)), new AvroTypeInfo<>(Alert.class))
                        .uid(ALERTS_UID)
                        .name("Alerts");

        sinks.activity.accept(activity);
        sinks.alerts.accept(alerts);
        sinks.risk.accept(alerts.getSideOutput(AlertFunction.RISK));
        sinks.riskDatabase.accept(alerts.getSideOutput(AlertFunction.RISK));
        sinks.journeys.accept(journeys);
        sinks.scores.accept(scores);
        sinks.goals.accept(goals);
        sinks.activityDatabase.accept(activity);
        sinks.scoresDatabase.accept(scores);
        sinks.journeysDatabase.accept(journeys);
        sinks.goalsDatabase.accept(goals);
        sinks.alertsDatabase.accept(alerts);
        sinks.deadLetters.accept(touchpoints.getSideOutput(SplitDeadLetters.DEAD_LETTERS));
        sinks.deadLettersDatabase.accept(touchpoints.getSideOutput(SplitDeadLetters.DEAD_LETTERS));
        sinks.late.accept(
                accepted.getSideOutput(AcceptTouchpoints.LATE)
                        .union(
                                journeys.getSideOutput(JourneyFunction.UNAPPLIED),
                                goals.getSideOutput(GoalFunction.UNAPPLIED)));
    }

    /** Flink settings from the typed configuration, then the {@code flink.*} pass-through keys. */
    public static Configuration engineConfiguration(HeadwayConfig config) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.NAME, config.get(HeadwayConfig.JOB_NAME));
        // Every event and state type is Avro or a POJO; fail instead of silently using Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Explicit, so that a savepoint taken at one parallelism restores at any other up to this bound.
        conf.set(PipelineOptions.MAX_PARALLELISM, config.get(HeadwayConfig.JOB_MAX_PARALLELISM));
        // Safe because no operator keeps or changes a record after handing it on: emitted records
        // are new objects, and state keeps only immutable strings and numbers taken from inputs.
        // Saves a deep Avro copy per record and per summary between chained operators.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        if (!config.get(HeadwayConfig.CHECKPOINT_INTERVAL).isZero()) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.get(HeadwayConfig.CHECKPOINT_INTERVAL));
        }
        if (!config.get(HeadwayConfig.CHECKPOINT_DIR).isBlank()) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.get(HeadwayConfig.CHECKPOINT_DIR));
        }
        // Exponential back-off: a database or broker that is down gets time to come back instead of a
        // restart every few seconds that fails the same way (row-level errors never restart the job).
        // Flink's exponential-delay needs at least one attempt; 0 means "never restart".
        conf.set(RestartStrategyOptions.RESTART_STRATEGY,
                config.get(HeadwayConfig.RESTART_ATTEMPTS) == 0 ? "none" : "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, config.get(HeadwayConfig.RESTART_ATTEMPTS));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, config.get(HeadwayConfig.RESTART_DELAY));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, config.get(HeadwayConfig.RESTART_MAX_DELAY));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD, config.get(HeadwayConfig.RESTART_RESET_AFTER));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        conf.addAll(Configuration.fromMap(config.withPrefix(HeadwayConfig.FLINK_PREFIX)));
        return conf;
    }
}
