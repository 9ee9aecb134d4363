-- Flink SQL table over the health score topic (output.score-topic): one row per score record, the
-- JSON of schemas/src/main/avro/ScoreUpdate.avsc. Point it at your cluster with
--   ALTER TABLE headway_scores SET ('properties.bootstrap.servers' = 'host:9092', 'topic' = 'headway.scores');
-- Event time: as_of, watermark 5 minutes behind like the job's default bound.
CREATE TABLE headway_scores (
    `account_id`               STRING,
    `as_of`                    TIMESTAMP_LTZ(3),
    `score`                    DOUBLE,
    `grade`                    STRING,
    `profile`                  STRING,
    `reason`                   STRING,
    `final_reason`             STRING,
    `previous_score`           DOUBLE,
    `previous_grade`           STRING,
    `components`               ARRAY<ROW<`name` STRING, `value` DOUBLE, `weight` DOUBLE, `contribution` DOUBLE, `input` STRING>>,
    `drivers`                  ARRAY<ROW<`component` STRING, `delta` DOUBLE, `event_ids` ARRAY<STRING>,
                                         `more_events` INT, `detail` STRING>>,
    `last_product_activity_at` TIMESTAMP_LTZ(3),
    WATERMARK FOR `as_of` AS `as_of` - INTERVAL '5' MINUTE
) WITH (
    'connector' = 'kafka',
    'topic' = 'headway.scores',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'headway-sql-scores',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601',
    'json.fail-on-missing-field' = 'false',
    'json.ignore-parse-errors' = 'false'
);
