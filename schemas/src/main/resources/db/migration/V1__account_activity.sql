-- Per-account activity summary: one row per account, the latest summary by event time.
CREATE TABLE IF NOT EXISTS account_activity (
    account_id            TEXT        PRIMARY KEY,
    as_of                 TIMESTAMPTZ NOT NULL,  -- event time the counts are taken at (exclusive)
    last_seen_at          TIMESTAMPTZ NOT NULL,  -- latest occurred_at of an accepted touchpoint
    events_7d             BIGINT      NOT NULL,  -- touchpoints on the UTC day of as_of and the 6 before
    events_28d            BIGINT      NOT NULL,  -- ... and the 27 before
    events_7d_by_source   JSONB       NOT NULL,  -- {"product": 12, "support": 1}
    events_28d_by_source  JSONB       NOT NULL,
    active                BOOLEAN     NOT NULL,  -- false once the account has been silent 28 days
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()  -- processing time of the last write
);

CREATE INDEX IF NOT EXISTS account_activity_last_seen_idx ON account_activity (last_seen_at);
