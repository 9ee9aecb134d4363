package io.headway.sink;

import io.headway.config.ConfigException;
import io.headway.config.HeadwayConfig;
import io.headway.schema.ActivitySummary;
import io.headway.schema.Alert;
import io.headway.schema.DeadLetter;
import io.headway.schema.GoalUpdate;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.RiskUpdate;
import io.headway.schema.ScoreUpdate;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;

/** Production sinks, built from the typed configuration. */
public final class Sinks {

    public static final String ACTIVITY_TOPIC_UID = "activity-kafka-sink";
    public static final String ACTIVITY_DATABASE_UID = "activity-jdbc-sink";
    public static final String DEAD_LETTER_UID = "dead-letter-kafka-sink";
    public static final String LATE_UID = "late-kafka-sink";
    public static final String JOURNEY_TOPIC_UID = "journey-kafka-sink";
    public static final String SCORE_TOPIC_UID = "score-kafka-sink";
    public static final String GOAL_TOPIC_UID = "goal-kafka-sink";
    public static final String ALERT_TOPIC_UID = "alert-kafka-sink";
    public static final String RISK_TOPIC_UID = "risk-kafka-sink";
    public static final String SCORE_DATABASE_UID = "score-jdbc-sink";
    public static final String JOURNEY_DATABASE_UID = "journey-jdbc-sink";
    public static final String GOAL_DATABASE_UID = "goal-jdbc-sink";
    public static final String ALERT_DATABASE_UID = "alert-jdbc-sink";
    public static final String RISK_DATABASE_UID = "risk-jdbc-sink";
    public static final String DEAD_LETTER_DATABASE_UID = "dead-letter-jdbc-sink";
    public static final String SCORE_RETENTION_UID = "score-history-retention";

    private Sinks() {}

    public static Consumer<DataStream<ActivitySummary>> activityTopic(HeadwayConfig c) {
        KafkaSink<ActivitySummary> sink =
                kafkaSink(c, new ActivitySummarySerializer(c.get(HeadwayConfig.OUTPUT_ACTIVITY_TOPIC)), "activity");
        return s -> s.sinkTo(sink).uid(ACTIVITY_TOPIC_UID).name("Activity to Kafka");
    }

    public static Consumer<DataStream<ScoreUpdate>> scoreTopic(HeadwayConfig c) {
        KafkaSink<ScoreUpdate> sink =
                kafkaSink(c, new AccountJsonSerializer<>(c.get(HeadwayConfig.OUTPUT_SCORE_TOPIC)), "scores");
        return s -> s.sinkTo(sink).uid(SCORE_TOPIC_UID).name("Scores to Kafka");
    }

    /**
     * Alerts: always EXACTLY_ONCE (transactional), whatever {@code output.delivery-guarantee} says. An
     * alert is an instruction to a person; a duplicate after a restart would page the team twice and
     * break "every state transition is one record", while the other topics are changelogs that
     * consumers upsert. Transaction timeout per RECIPES.md §4 ({@code output.transaction-timeout},
     * at most the broker's 15 min maximum; validated longer than the checkpoint interval).
     */
    public static Consumer<DataStream<Alert>> alertTopic(HeadwayConfig c) {
        // Checked here, not in HeadwayConfig: only a job with this Kafka sink needs checkpoints (the
        // benchmark runs the workflow without checkpoints into discarding sinks).
        if (c.get(HeadwayConfig.CHECKPOINT_INTERVAL).isZero()) {
            throw new ConfigException(
                    HeadwayConfig.CHECKPOINT_INTERVAL.name(),
                    "must be positive: the alert topic (output.alert-topic) is always written exactly-once, which commits on checkpoints");
        }
        if (c.get(HeadwayConfig.OUTPUT_TRANSACTION_TIMEOUT).compareTo(c.get(HeadwayConfig.CHECKPOINT_INTERVAL)) <= 0) {
            throw new ConfigException(
                    HeadwayConfig.OUTPUT_TRANSACTION_TIMEOUT.name(),
                    "must be longer than checkpoint.interval (the alert topic is always exactly-once)");
        }
        KafkaSink<Alert> sink =
                kafkaSink(c, new AccountJsonSerializer<>(c.get(HeadwayConfig.OUTPUT_ALERT_TOPIC)), "alerts", true);
        return s -> s.sinkTo(sink).uid(ALERT_TOPIC_UID).name("Alerts to Kafka");
    }

    /** A changelog of each account's risk, like scores: consumers keep the latest per account. */
    public static Consumer<DataStream<RiskUpdate>> riskTopic(HeadwayConfig c) {
        KafkaSink<RiskUpdate> sink =
                kafkaSink(c, new AccountJsonSerializer<>(c.get(HeadwayConfig.OUTPUT_RISK_TOPIC)), "risk");
        return s -> s.sinkTo(sink).uid(RISK_TOPIC_UID).name("Risk to Kafka");
    }

    public static Consumer<DataStream<DeadLetter>> deadLetterTopic(HeadwayConfig c) {
        KafkaSink<DeadLetter> sink =
                kafkaSink(c, new DeadLetterSerializer(c.get(HeadwayConfig.OUTPUT_DEAD_LETTER_TOPIC), c.producerMaxRequestSize()), "dead-letters");
        return s -> s.sinkTo(sink).uid(DEAD_LETTER_UID).name("Dead letters to Kafka");
    }

    public static Consumer<DataStream<LateTouchpoint>> lateTopic(HeadwayConfig c) {
        KafkaSink<LateTouchpoint> sink =
                kafkaSink(c, new LateTouchpointSerializer(c.get(HeadwayConfig.OUTPUT_LATE_TOPIC), c.producerMaxRequestSize()), "late");
        return s -> s.sinkTo(sink).uid(LATE_UID).name("Late touchpoints to Kafka");
    }

    public static Consumer<DataStream<JourneyUpdate>> journeyTopic(HeadwayConfig c) {
        KafkaSink<JourneyUpdate> sink =
                kafkaSink(c, new AccountJsonSerializer<>(c.get(HeadwayConfig.OUTPUT_JOURNEY_TOPIC)), "journeys");
        return s -> s.sinkTo(sink).uid(JOURNEY_TOPIC_UID).name("Journeys to Kafka");
    }

    public static Consumer<DataStream<GoalUpdate>> goalTopic(HeadwayConfig c) {
        KafkaSink<GoalUpdate> sink =
                kafkaSink(c, new AccountJsonSerializer<>(c.get(HeadwayConfig.OUTPUT_GOAL_TOPIC)), "goals");
        return s -> s.sinkTo(sink).uid(GOAL_TOPIC_UID).name("Goals to Kafka");
    }

    public static Consumer<DataStream<ActivitySummary>> activityDatabase(HeadwayConfig c) {
        JdbcTableSink<ActivitySummary> sink = jdbcSink(c, "account_activity", ActivityRowBinder.UPSERT, new ActivityRowBinder());
        return s -> s.sinkTo(sink).uid(ACTIVITY_DATABASE_UID).name("Activity to PostgreSQL");
    }

    /** {@code score_history} and {@code scores_current}. */
    public static Consumer<DataStream<ScoreUpdate>> scoreDatabase(HeadwayConfig c) {
        JdbcTableSink<ScoreUpdate> sink = jdbcSink(c, "score_history", ScoreRowBinder.UPSERT, new ScoreRowBinder());
        Duration retention = c.get(HeadwayConfig.JDBC_SCORE_HISTORY_RETENTION);
        ScoreHistoryRetention pruner =
                new ScoreHistoryRetention(c.get(HeadwayConfig.JDBC_URL), c.get(HeadwayConfig.JDBC_USER), c.jdbcPassword(), retention);
        return s -> {
            s.sinkTo(sink).uid(SCORE_DATABASE_UID).name("Scores to PostgreSQL");
            if (!retention.isZero()) {
                s.sinkTo(pruner).uid(SCORE_RETENTION_UID).name("score_history retention");
            }
        };
    }

    /** {@code journeys} and {@code journey_milestones}. */
    public static Consumer<DataStream<JourneyUpdate>> journeyDatabase(HeadwayConfig c) {
        JdbcTableSink<JourneyUpdate> sink = jdbcSink(c, "journeys", JourneyRowBinder.UPSERT, new JourneyRowBinder());
        return s -> s.sinkTo(sink).uid(JOURNEY_DATABASE_UID).name("Journeys to PostgreSQL");
    }

    public static Consumer<DataStream<GoalUpdate>> goalDatabase(HeadwayConfig c) {
        JdbcTableSink<GoalUpdate> sink = jdbcSink(c, "goals", GoalRowBinder.UPSERT, new GoalRowBinder());
        return s -> s.sinkTo(sink).uid(GOAL_DATABASE_UID).name("Goals to PostgreSQL");
    }

    /**
     * {@code alerts} and {@code alert_transitions}. At-least-once like the other tables: the upserts
     * make a repeated record a no-op, so the table needs no transactions (the alert topic does, because
     * a repeated Kafka record pages someone twice).
     */
    public static Consumer<DataStream<Alert>> alertDatabase(HeadwayConfig c) {
        JdbcTableSink<Alert> sink = jdbcSink(c, "alerts", AlertRowBinder.UPSERT, new AlertRowBinder());
        return s -> s.sinkTo(sink).uid(ALERT_DATABASE_UID).name("Alerts to PostgreSQL");
    }

    /** {@code account_risk}: the latest assessment per account (the risk topic is the history). */
    public static Consumer<DataStream<RiskUpdate>> riskDatabase(HeadwayConfig c) {
        JdbcTableSink<RiskUpdate> sink = jdbcSink(c, "account_risk", RiskRowBinder.UPSERT, new RiskRowBinder());
        return s -> s.sinkTo(sink).uid(RISK_DATABASE_UID).name("Risk to PostgreSQL");
    }

    public static Consumer<DataStream<DeadLetter>> deadLetterDatabase(HeadwayConfig c) {
        JdbcTableSink<DeadLetter> sink = jdbcSink(c, "dead_letters", DeadLetterRowBinder.INSERT, new DeadLetterRowBinder());
        return s -> s.sinkTo(sink).uid(DEAD_LETTER_DATABASE_UID).name("Dead letters to PostgreSQL");
    }

    /**
     * At-least-once JDBC sink: every statement is an idempotent upsert on a natural key, so a batch
     * written again after a restore changes nothing (RECIPES.md §2); no XA transactions needed. A row
     * the database refuses goes to {@code dead_letters} and the job goes on ({@link JdbcTableSink}).
     */
    private static <T extends IndexedRecord> JdbcTableSink<T> jdbcSink(
            HeadwayConfig c, String table, String sql, JdbcStatementBuilder<T> binder) {
        return new JdbcTableSink<>(
                table, sql, binder, c.get(HeadwayConfig.JDBC_URL), c.get(HeadwayConfig.JDBC_USER), c.jdbcPassword(),
                c.get(HeadwayConfig.JDBC_BATCH_SIZE), c.get(HeadwayConfig.JDBC_BATCH_INTERVAL),
                c.get(HeadwayConfig.JDBC_MAX_RETRIES));
    }

    private static <T> KafkaSink<T> kafkaSink(
            HeadwayConfig c, KafkaRecordSerializationSchema<T> serializer, String name) {
        return kafkaSink(c, serializer, name, c.get(HeadwayConfig.OUTPUT_DELIVERY) == HeadwayConfig.Delivery.EXACTLY_ONCE);
    }

    private static <T> KafkaSink<T> kafkaSink(
            HeadwayConfig c, KafkaRecordSerializationSchema<T> serializer, String name, boolean exactlyOnce) {
        Properties props = new Properties();
        props.putAll(c.withPrefix(HeadwayConfig.KAFKA_PRODUCER_PREFIX));
        if (exactlyOnce) {
            props.putIfAbsent(
                    "transaction.timeout.ms",
                    Long.toString(c.get(HeadwayConfig.OUTPUT_TRANSACTION_TIMEOUT).toMillis()));
        }
        return KafkaSink.<T>builder()
                .setBootstrapServers(c.get(HeadwayConfig.KAFKA_BOOTSTRAP_SERVERS))
                .setRecordSerializer(serializer)
                .setKafkaProducerConfig(props)
                .setDeliveryGuarantee(exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(c.get(HeadwayConfig.OUTPUT_TRANSACTIONAL_ID_PREFIX) + "-" + name)
                .build();
    }
}
