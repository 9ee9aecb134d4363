-- Flink SQL table over the alert topic (output.alert-topic): one row per alert transition or win, the
-- JSON of schemas/src/main/avro/Alert.avsc. Point it at your cluster with
--   ALTER TABLE headway_alerts SET ('properties.bootstrap.servers' = 'host:9092', 'topic' = 'headway.alerts');
-- The topic is written in transactions: read_committed, or aborted attempts would show.
-- Event time: updated_at (the transition's), watermark 5 minutes behind like the job's default bound.
CREATE TABLE headway_alerts (
    `alert_id`           STRING,
    `alert_key`          STRING,
    `account_id`         STRING,
    `kind`               STRING,
    `rule`               STRING,
    `rule_version`       INT,
    `severity`           STRING,
    `state`              STRING,
    `subject`            STRING,
    `opened_at`          TIMESTAMP_LTZ(3),
    `updated_at`         TIMESTAMP_LTZ(3),
    `detected_at`        TIMESTAMP_LTZ(3),
    `due_at`             TIMESTAMP_LTZ(3),
    `lead_time_ms`       BIGINT,
    `owner_team`         STRING,
    `headline`           STRING,
    `explanation`        ROW<`text` STRING,
                             `signals` ARRAY<ROW<`name` STRING, `value` STRING, `observed_at` TIMESTAMP_LTZ(3)>>,
                             `event_ids` ARRAY<STRING>>,
    `recommended_action` STRING,
    `reason`             STRING,
    `fire_count`         INT,
    `snoozed_until`      TIMESTAMP_LTZ(3),
    `acknowledged_at`    TIMESTAMP_LTZ(3),
    WATERMARK FOR `updated_at` AS `updated_at` - INTERVAL '5' MINUTE
) WITH (
    'connector' = 'kafka',
    'topic' = 'headway.alerts',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'headway-sql-alerts',
    'properties.isolation.level' = 'read_committed',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601',
    'json.fail-on-missing-field' = 'false',
    'json.ignore-parse-errors' = 'false'
);
