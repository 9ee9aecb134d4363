-- Flink SQL table over the journey topic (output.journey-topic): one row per transition of a journey
-- instance, the JSON of schemas/src/main/avro/JourneyUpdate.avsc; the highest sequence per instance_id
-- is the instance's state. Point it at your cluster with
--   ALTER TABLE headway_journeys SET ('properties.bootstrap.servers' = 'host:9092', 'topic' = 'headway.journeys');
-- Event time: as_of, watermark 5 minutes behind like the job's default bound.
CREATE TABLE headway_journeys (
    `instance_id`           STRING,
    `account_id`            STRING,
    `journey`               STRING,
    `instance`              INT,
    `sequence`              INT,
    `as_of`                 TIMESTAMP_LTZ(3),
    `transition`            STRING,
    `subject`               STRING,
    `cause_event_id`        STRING,
    `status`                STRING,
    `started_at`            TIMESTAMP_LTZ(3),
    `ended_at`              TIMESTAMP_LTZ(3),
    `last_activity_at`      TIMESTAMP_LTZ(3),
    `time_to_value_ms`      BIGINT,
    `milestones`            ARRAY<ROW<`name` STRING, `owner_team` STRING, `success` STRING, `behind_at` TIMESTAMP_LTZ(3),
                                      `due_at` TIMESTAMP_LTZ(3), `reached_at` TIMESTAMP_LTZ(3), `status` STRING,
                                      `early_by_ms` BIGINT>>,
    `touchpoints`           BIGINT,
    `touchpoints_by_source` MAP<STRING, BIGINT>,
    `satisfaction`          ARRAY<ROW<`survey` STRING, `answers` INT, `mean` DOUBLE, `last` DOUBLE, `last_at` TIMESTAMP_LTZ(3)>>,
    WATERMARK FOR `as_of` AS `as_of` - INTERVAL '5' MINUTE
) WITH (
    'connector' = 'kafka',
    'topic' = 'headway.journeys',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'headway-sql-journeys',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601',
    'json.fail-on-missing-field' = 'false',
    'json.ignore-parse-errors' = 'false'
);
