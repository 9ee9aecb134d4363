-- Tables analysts query (issue 6). Written by the job's JDBC sinks (io.headway.sink.*RowBinder) with
-- idempotent upserts on natural keys, so a replay or a restore from checkpoint leaves every table as a
-- clean run would. Event times are TIMESTAMPTZ (UTC); durations in milliseconds are BIGINT *_ms.
-- Columns named updated_at / detected_at are processing time (when the row was written or the record
-- made): the only ones that differ between two runs over the same input.

-- ---------------------------------------------------------------- score history
CREATE TABLE IF NOT EXISTS score_history (
    account_id               TEXT             NOT NULL,
    as_of                    TIMESTAMPTZ      NOT NULL,
    reason                   TEXT             NOT NULL,
    score                    DOUBLE PRECISION NOT NULL,
    grade                    TEXT             NOT NULL,
    profile                  TEXT             NOT NULL,
    final_reason             TEXT,
    previous_score           DOUBLE PRECISION,
    previous_grade           TEXT,
    last_product_activity_at TIMESTAMPTZ,
    explanation              JSONB            NOT NULL,
    updated_at               TIMESTAMPTZ      NOT NULL DEFAULT now(),
    -- The score function emits at most one record per account, instant and reason (a touchpoint's
    -- change record, the midnight timer's daily / grade_change / final record).
    PRIMARY KEY (account_id, as_of, reason)
);
COMMENT ON TABLE score_history IS 'Every emitted health score record (topic output.score-topic), one row per (account_id, as_of, reason).';
COMMENT ON COLUMN score_history.as_of IS 'Event time of the score: the causing touchpoint (change) or a UTC midnight (daily, final, grade_change from the timer).';
COMMENT ON COLUMN score_history.reason IS 'change | grade_change | daily | final.';
COMMENT ON COLUMN score_history.score IS 'Health score 0-100, the sum of the component contributions.';
COMMENT ON COLUMN score_history.grade IS 'green | yellow | red, with hysteresis at the band edges.';
COMMENT ON COLUMN score_history.profile IS 'Lifecycle stage whose weights applied: onboarding | adopted | renewal.';
COMMENT ON COLUMN score_history.final_reason IS 'On final records: churned | silent (the account''s state was cleared).';
COMMENT ON COLUMN score_history.previous_score IS 'Score of the account''s previous record; null on its first.';
COMMENT ON COLUMN score_history.last_product_activity_at IS 'Latest product touchpoint folded into this score.';
COMMENT ON COLUMN score_history.explanation IS 'JSON {"components": [{name, value, weight, contribution, input}], "drivers": [{component, delta, event_ids, more_events, detail}]}: why the score is what it is and what moved it.';
COMMENT ON COLUMN score_history.updated_at IS 'Processing time of the last write (not deterministic).';
CREATE INDEX IF NOT EXISTS score_history_as_of_idx ON score_history (as_of);

-- ---------------------------------------------------------------- scores_current
CREATE TABLE IF NOT EXISTS scores_current (
    account_id               TEXT             PRIMARY KEY,
    as_of                    TIMESTAMPTZ      NOT NULL,
    reason                   TEXT             NOT NULL,
    score                    DOUBLE PRECISION NOT NULL,
    grade                    TEXT             NOT NULL,
    profile                  TEXT             NOT NULL,
    final_reason             TEXT,
    last_product_activity_at TIMESTAMPTZ,
    adoption_breadth         DOUBLE PRECISION,
    depth                    DOUBLE PRECISION,
    frequency                DOUBLE PRECISION,
    seat_utilization         DOUBLE PRECISION,
    recency                  DOUBLE PRECISION,
    support_friction         DOUBLE PRECISION,
    sentiment                DOUBLE PRECISION,
    onboarding               DOUBLE PRECISION,
    outcome                  DOUBLE PRECISION,
    updated_at               TIMESTAMPTZ      NOT NULL DEFAULT now()
);
COMMENT ON TABLE scores_current IS 'One row per account: its latest score record (by as_of, then reason rank), components as columns.';
COMMENT ON COLUMN scores_current.reason IS 'Reason of the latest score record: change | grade_change | daily | final.';
COMMENT ON COLUMN scores_current.profile IS 'onboarding | adopted | renewal: the lifecycle stage.';
COMMENT ON COLUMN scores_current.final_reason IS 'churned | silent once the account''s final score record came; null while it is live.';
COMMENT ON COLUMN scores_current.adoption_breadth IS 'Component value 0-100, null = no input yet; likewise depth, frequency, seat_utilization, recency, support_friction, sentiment, onboarding, outcome (README Scores).';
COMMENT ON COLUMN scores_current.updated_at IS 'Processing time of the last write (not deterministic).';

-- Tie-break between score records of one account at the same instant: the midnight timer's records
-- come after a touchpoint's change record at that instant, final last. Used by the scores_current upsert.
CREATE OR REPLACE FUNCTION headway_score_reason_rank(reason TEXT) RETURNS INTEGER
    LANGUAGE SQL IMMUTABLE AS
$$ SELECT CASE reason WHEN 'change' THEN 1 WHEN 'grade_change' THEN 2 WHEN 'daily' THEN 3 WHEN 'final' THEN 4 ELSE 0 END $$;

-- ---------------------------------------------------------------- journeys
CREATE TABLE IF NOT EXISTS journeys (
    instance_id           TEXT        PRIMARY KEY,
    account_id            TEXT        NOT NULL,
    journey               TEXT        NOT NULL,
    instance              INTEGER     NOT NULL,
    sequence              INTEGER     NOT NULL,
    as_of                 TIMESTAMPTZ NOT NULL,
    last_transition       TEXT        NOT NULL,
    last_subject          TEXT,
    status                TEXT        NOT NULL,
    started_at            TIMESTAMPTZ NOT NULL,
    ended_at              TIMESTAMPTZ,
    last_activity_at      TIMESTAMPTZ NOT NULL,
    time_to_value_ms      BIGINT,
    time_to_value_days    DOUBLE PRECISION GENERATED ALWAYS AS (time_to_value_ms / 86400000.0) STORED,
    touchpoints           BIGINT      NOT NULL,
    touchpoints_by_source JSONB       NOT NULL,
    satisfaction          JSONB       NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE journeys IS 'One row per journey instance: its latest transition (highest sequence) from output.journey-topic.';
COMMENT ON COLUMN journeys.instance_id IS '<account_id>/<journey>/<instance>, deterministic.';
COMMENT ON COLUMN journeys.sequence IS 'Transition number of the latest record applied; a lower one never overwrites a higher one.';
COMMENT ON COLUMN journeys.as_of IS 'Event time of the latest transition.';
COMMENT ON COLUMN journeys.last_transition IS 'started | milestone_reached | milestone_behind | milestone_overdue | completed | abandoned | reopened.';
COMMENT ON COLUMN journeys.last_subject IS 'Milestone of the latest milestone_* transition, or what abandoned the journey.';
COMMENT ON COLUMN journeys.status IS 'on_track | behind | overdue | completed | abandoned.';
COMMENT ON COLUMN journeys.ended_at IS 'When it completed or was abandoned; null while open.';
COMMENT ON COLUMN journeys.time_to_value_ms IS 'started_at to the time-to-value milestone, once reached.';
COMMENT ON COLUMN journeys.time_to_value_days IS 'time_to_value_ms in days.';
COMMENT ON COLUMN journeys.touchpoints IS 'Touchpoints of the account inside the instance so far.';
COMMENT ON COLUMN journeys.touchpoints_by_source IS 'JSON {source: count}.';
COMMENT ON COLUMN journeys.satisfaction IS 'JSON [{survey, answers, mean, last, last_at}]: survey answers given inside the instance.';
CREATE INDEX IF NOT EXISTS journeys_account_idx ON journeys (account_id);

CREATE TABLE IF NOT EXISTS journey_milestones (
    instance_id  TEXT        NOT NULL,
    milestone    TEXT        NOT NULL,
    account_id   TEXT        NOT NULL,
    journey      TEXT        NOT NULL,
    position     INTEGER     NOT NULL,
    owner_team   TEXT        NOT NULL,
    success      TEXT        NOT NULL,
    behind_at    TIMESTAMPTZ NOT NULL,
    due_at       TIMESTAMPTZ NOT NULL,
    reached_at   TIMESTAMPTZ,
    status       TEXT        NOT NULL,
    early_by_ms  BIGINT,
    on_time      BOOLEAN GENERATED ALWAYS AS (reached_at IS NOT NULL AND reached_at <= due_at) STORED,
    sequence     INTEGER     NOT NULL,
    as_of        TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, milestone)
);
COMMENT ON TABLE journey_milestones IS 'One row per milestone of each journey instance, as of the instance''s latest transition.';
COMMENT ON COLUMN journey_milestones.position IS 'Order of the milestone in the journey definition, from 1.';
COMMENT ON COLUMN journey_milestones.owner_team IS 'Team that owns this moment of truth.';
COMMENT ON COLUMN journey_milestones.success IS 'The customer''s success criterion for it.';
COMMENT ON COLUMN journey_milestones.behind_at IS 'When it counts as behind if not reached.';
COMMENT ON COLUMN journey_milestones.due_at IS 'When it is due; reached at or before is on time.';
COMMENT ON COLUMN journey_milestones.status IS 'pending | behind | overdue | reached | reached_late.';
COMMENT ON COLUMN journey_milestones.early_by_ms IS 'due_at - reached_at once reached: positive early, negative late.';
COMMENT ON COLUMN journey_milestones.on_time IS 'Reached at or before due_at.';
COMMENT ON COLUMN journey_milestones.sequence IS 'Sequence of the journey record this row comes from.';
CREATE INDEX IF NOT EXISTS journey_milestones_account_idx ON journey_milestones (account_id);

-- ---------------------------------------------------------------- goals
CREATE TABLE IF NOT EXISTS goals (
    account_id                TEXT             NOT NULL,
    goal_id                   TEXT             NOT NULL,
    sequence                  INTEGER          NOT NULL,
    as_of                     TIMESTAMPTZ      NOT NULL,
    metric                    TEXT             NOT NULL,
    direction                 TEXT             NOT NULL,
    baseline                  DOUBLE PRECISION NOT NULL,
    target                    DOUBLE PRECISION NOT NULL,
    deadline_at               TIMESTAMPTZ      NOT NULL,
    status                    TEXT             NOT NULL,
    previous_status           TEXT,
    last_change               TEXT             NOT NULL,
    insufficient_data         BOOLEAN          NOT NULL,
    latest_value              DOUBLE PRECISION,
    latest_measured_at        TIMESTAMPTZ,
    trend_per_day             DOUBLE PRECISION,
    projected_value           DOUBLE PRECISION,
    projected_shortfall       DOUBLE PRECISION,
    projected_shortfall_share DOUBLE PRECISION,
    days_left                 DOUBLE PRECISION NOT NULL,
    measurements_used         INTEGER          NOT NULL,
    updated_at                TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, goal_id)
);
COMMENT ON TABLE goals IS 'One row per customer goal: its latest record (by as_of, then sequence) from output.goal-topic.';
COMMENT ON COLUMN goals.sequence IS 'Record number within the goal (restarts at 1 when an ended goal id is declared again; hence ordered by as_of first).';
COMMENT ON COLUMN goals.as_of IS 'Event time of the latest record: the touchpoint, or the deadline for missed.';
COMMENT ON COLUMN goals.direction IS 'increase | decrease: which way is better.';
COMMENT ON COLUMN goals.deadline_at IS 'A measurement at or before it counts.';
COMMENT ON COLUMN goals.status IS 'on_track | at_risk | achieved | missed.';
COMMENT ON COLUMN goals.last_change IS 'declared | redeclared | measured | achieved | missed: what caused the latest record.';
COMMENT ON COLUMN goals.insufficient_data IS 'Fewer than 2 measurements: no trend or projection.';
COMMENT ON COLUMN goals.trend_per_day IS 'Theil-Sen slope of the measurements, metric units per day.';
COMMENT ON COLUMN goals.projected_value IS 'The trend line at the deadline.';
COMMENT ON COLUMN goals.projected_shortfall IS 'How far the projection stays short of the target (metric units, >= 0).';
COMMENT ON COLUMN goals.projected_shortfall_share IS 'projected_shortfall / |target - baseline|.';
COMMENT ON COLUMN goals.days_left IS 'From as_of to the deadline, in days.';

-- ---------------------------------------------------------------- alerts
CREATE TABLE IF NOT EXISTS alerts (
    alert_id           TEXT        PRIMARY KEY,
    alert_key          TEXT        NOT NULL,
    account_id         TEXT        NOT NULL,
    kind               TEXT        NOT NULL,
    rule               TEXT        NOT NULL,
    rule_version       INTEGER     NOT NULL,
    severity           TEXT        NOT NULL,
    subject            TEXT        NOT NULL,
    owner_team         TEXT        NOT NULL,
    state              TEXT        NOT NULL,
    last_reason        TEXT        NOT NULL,
    headline           TEXT        NOT NULL,
    recommended_action TEXT        NOT NULL,
    explanation        JSONB       NOT NULL,
    fire_count         INTEGER     NOT NULL,
    opened_at          TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    escalated_at       TIMESTAMPTZ,
    acknowledged_at    TIMESTAMPTZ,
    snoozed_until      TIMESTAMPTZ,
    resolved_at        TIMESTAMPTZ,
    due_at             TIMESTAMPTZ,
    lead_time_ms       BIGINT,
    first_detected_at  TIMESTAMPTZ NOT NULL,
    written_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE alerts IS 'One row per alert (risk) or win, with its lifecycle; the latest transition by event time is its state.';
COMMENT ON COLUMN alerts.alert_id IS 'Deterministic id (account, rule, subject, opened_at).';
COMMENT ON COLUMN alerts.alert_key IS '<account_id>/<rule>/<subject>: at most one alert open per key.';
COMMENT ON COLUMN alerts.kind IS 'risk | win.';
COMMENT ON COLUMN alerts.severity IS 'info | low | medium | high | critical.';
COMMENT ON COLUMN alerts.subject IS 'journey/instance/milestone, a goal id, or account.';
COMMENT ON COLUMN alerts.state IS 'open | escalated | acknowledged | snoozed | resolved (risks); won (wins).';
COMMENT ON COLUMN alerts.last_reason IS 'What made the latest transition: fired, worsened, still_open, acknowledged, snoozed, snooze_ended, cleared, ended, won.';
COMMENT ON COLUMN alerts.explanation IS 'JSON {text, signals: [{name, value, observed_at}], event_ids} of the latest transition.';
COMMENT ON COLUMN alerts.opened_at IS 'Event time it opened (or the win happened).';
COMMENT ON COLUMN alerts.updated_at IS 'Event time of the latest transition (event time, despite the name: the Alert record''s field).';
COMMENT ON COLUMN alerts.escalated_at IS 'Event time of its first escalation.';
COMMENT ON COLUMN alerts.resolved_at IS 'Event time it was resolved.';
COMMENT ON COLUMN alerts.due_at IS 'When the miss would happen (milestone due, goal deadline, churn by silence); null if the rule has none.';
COMMENT ON COLUMN alerts.lead_time_ms IS 'due_at - opened_at: how early the warning came.';
COMMENT ON COLUMN alerts.first_detected_at IS 'Processing time of its first record (not deterministic).';
COMMENT ON COLUMN alerts.written_at IS 'Processing time of the last write (not deterministic).';
CREATE INDEX IF NOT EXISTS alerts_account_idx ON alerts (account_id);

-- Tie-break between transitions of one alert at the same event time: resolution last.
CREATE OR REPLACE FUNCTION headway_alert_state_rank(state TEXT) RETURNS INTEGER
    LANGUAGE SQL IMMUTABLE AS
$$ SELECT CASE state WHEN 'open' THEN 1 WHEN 'acknowledged' THEN 2 WHEN 'snoozed' THEN 3 WHEN 'escalated' THEN 4
                     WHEN 'resolved' THEN 5 WHEN 'won' THEN 5 ELSE 0 END $$;

CREATE TABLE IF NOT EXISTS alert_transitions (
    alert_id        TEXT        NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    state           TEXT        NOT NULL,
    reason          TEXT        NOT NULL,
    alert_key       TEXT        NOT NULL,
    account_id      TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    rule            TEXT        NOT NULL,
    severity        TEXT        NOT NULL,
    fire_count      INTEGER     NOT NULL,
    acknowledged_at TIMESTAMPTZ,
    snoozed_until   TIMESTAMPTZ,
    headline        TEXT        NOT NULL,
    explanation     JSONB       NOT NULL,
    detected_at     TIMESTAMPTZ NOT NULL,
    -- Append-only, yet idempotent: a transition is identified by what it is, so a replay inserts nothing.
    PRIMARY KEY (alert_id, updated_at, state, reason)
);
COMMENT ON TABLE alert_transitions IS 'Every alert record (transition or win) from output.alert-topic; append-only, one row per (alert_id, updated_at, state, reason).';
COMMENT ON COLUMN alert_transitions.updated_at IS 'Event time of the transition.';
COMMENT ON COLUMN alert_transitions.state IS 'State after the transition.';
COMMENT ON COLUMN alert_transitions.reason IS 'fired | worsened | still_open | acknowledged | snoozed | snooze_ended | cleared | ended | won.';
COMMENT ON COLUMN alert_transitions.detected_at IS 'Processing time the record was made, of the first write (not deterministic).';
CREATE INDEX IF NOT EXISTS alert_transitions_account_idx ON alert_transitions (account_id, updated_at);

-- ---------------------------------------------------------------- dead letters
CREATE TABLE IF NOT EXISTS dead_letters (
    topic             TEXT        NOT NULL,
    kafka_partition   INTEGER     NOT NULL,
    kafka_offset      BIGINT      NOT NULL,
    reason_code       TEXT        NOT NULL,
    reason            TEXT        NOT NULL,
    kafka_timestamp   TIMESTAMPTZ NOT NULL,
    record_key        TEXT,
    payload           TEXT        NOT NULL,
    payload_size      INTEGER     NOT NULL,
    payload_truncated BOOLEAN     NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
);
COMMENT ON TABLE dead_letters IS 'Input records the job rejected, one per source position (topic, partition, offset); the full bytes are on output.dead-letter-topic.';
COMMENT ON COLUMN dead_letters.reason_code IS 'INVALID_JSON, MISSING_FIELD, UNKNOWN_SOURCE, ... (README Touchpoint contract).';
COMMENT ON COLUMN dead_letters.reason IS 'Human-readable detail naming the field or the parse error.';
COMMENT ON COLUMN dead_letters.kafka_timestamp IS 'Timestamp of the rejected Kafka record.';
COMMENT ON COLUMN dead_letters.record_key IS 'The record key as UTF-8 text (invalid bytes replaced), at most 256 characters.';
COMMENT ON COLUMN dead_letters.payload IS 'The record value as UTF-8 text (invalid bytes replaced, NUL removed), at most the first 4096 bytes.';
COMMENT ON COLUMN dead_letters.payload_size IS 'Size of the original value in bytes.';
COMMENT ON COLUMN dead_letters.payload_truncated IS 'payload holds less than the original value.';
CREATE INDEX IF NOT EXISTS dead_letters_reason_idx ON dead_letters (reason_code);

-- ---------------------------------------------------------------- accounts_current
-- A view, not a table: activity, scores and alerts come from three sinks, and one table written by all
-- three would have their batches lock the same rows in different orders (deadlocks between batches),
-- while each source table here is written by one sink, partitioned by account. The join is cheap
-- (primary keys; open alerts through alerts_account_idx).
CREATE OR REPLACE VIEW accounts_current AS
SELECT ids.account_id,
       s.score                                           AS health_score,
       s.grade,
       s.profile                                         AS lifecycle_stage,
       s.final_reason                                    AS ended_reason,
       s.as_of                                           AS score_as_of,
       s.adoption_breadth, s.depth, s.frequency, s.seat_utilization, s.recency,
       s.support_friction, s.sentiment, s.onboarding, s.outcome,
       coalesce(o.open_alerts, 0)                        AS open_alerts,
       coalesce(o.open_high_alerts, 0)                   AS open_high_alerts,
       a.last_seen_at                                    AS last_activity_at,
       s.last_product_activity_at,
       a.events_7d,
       a.events_28d,
       a.active,
       a.as_of                                           AS activity_as_of
  FROM (SELECT account_id FROM account_activity
        UNION SELECT account_id FROM scores_current
        UNION SELECT account_id FROM alerts) ids
  LEFT JOIN account_activity a ON a.account_id = ids.account_id
  LEFT JOIN scores_current s ON s.account_id = ids.account_id
  LEFT JOIN (SELECT account_id,
                    count(*)                                                 AS open_alerts,
                    count(*) FILTER (WHERE severity IN ('high', 'critical')) AS open_high_alerts
               FROM alerts
              WHERE kind = 'risk' AND state <> 'resolved'
              GROUP BY account_id) o ON o.account_id = ids.account_id;
COMMENT ON VIEW accounts_current IS 'One row per account: latest health score, grade, components and lifecycle stage; open risk alerts; latest activity.';
COMMENT ON COLUMN accounts_current.health_score IS 'Latest health score 0-100 (scores_current.score).';
COMMENT ON COLUMN accounts_current.grade IS 'green | yellow | red.';
COMMENT ON COLUMN accounts_current.lifecycle_stage IS 'onboarding | adopted | renewal.';
COMMENT ON COLUMN accounts_current.ended_reason IS 'churned | silent after the account''s final score record; null while live.';
COMMENT ON COLUMN accounts_current.adoption_breadth IS 'Score components 0-100 (null = no input yet): adoption_breadth, depth, frequency, seat_utilization are the adoption components.';
COMMENT ON COLUMN accounts_current.open_alerts IS 'Risk alerts not resolved (open, escalated, acknowledged, snoozed).';
COMMENT ON COLUMN accounts_current.open_high_alerts IS 'Of open_alerts, severity high or critical.';
COMMENT ON COLUMN accounts_current.last_activity_at IS 'Latest accepted touchpoint of any source.';
COMMENT ON COLUMN accounts_current.events_7d IS 'Touchpoints in the 7 UTC days up to activity_as_of.';
COMMENT ON COLUMN accounts_current.active IS 'false once silent 28 days.';
