-- The touchpoint behind a journey's latest transition (JourneyUpdate.cause_event_id, added after V2).
ALTER TABLE journeys ADD COLUMN IF NOT EXISTS last_cause_event_id TEXT;
COMMENT ON COLUMN journeys.last_cause_event_id IS 'event_id of the touchpoint that caused the latest transition; null when time caused it (behind, overdue, abandoned by inactivity).';
