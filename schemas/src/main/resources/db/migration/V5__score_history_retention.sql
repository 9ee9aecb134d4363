-- Retention of score_history (jdbc.score-history-retention). The job calls this function at most once a
-- day (sink/ScoreHistoryRetention); a DBA may call it from cron or pg_cron instead and set the key to 0.
-- The cut is measured from the newest row, not from now(): a replay or backfill of old touchpoints
-- writes old as_of values, and a wall-clock cut would delete them as soon as they were written.
-- PL/pgSQL is built into PostgreSQL: no extension needed.
CREATE OR REPLACE FUNCTION headway_prune_score_history(retention INTERVAL) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    newest  TIMESTAMPTZ;
    deleted BIGINT;
BEGIN
    IF retention IS NULL OR retention <= INTERVAL '0' THEN
        RETURN 0;
    END IF;
    SELECT max(as_of) INTO newest FROM score_history;
    IF newest IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM score_history WHERE as_of < newest - retention;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;
COMMENT ON FUNCTION headway_prune_score_history(INTERVAL) IS 'Deletes score_history rows with as_of more than the retention before the newest as_of; returns how many. scores_current keeps every account''s latest score.';
