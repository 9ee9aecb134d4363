-- The account risk for analysts (issue 13): the latest RiskUpdate (output.risk-topic) of each account.
-- Only the latest: the topic is the history. A risk_history table beside score_history would need a
-- retention of its own (a second pruning function, sink operator and configuration key), and the
-- topic already keeps every assessment for as long as its retention says.
CREATE TABLE IF NOT EXISTS account_risk (
    account_id    TEXT             PRIMARY KEY,
    as_of         TIMESTAMPTZ      NOT NULL,
    probability   DOUBLE PRECISION NOT NULL,
    logit         DOUBLE PRECISION NOT NULL,
    intercept     DOUBLE PRECISION NOT NULL,
    model_version TEXT             NOT NULL,
    top_drivers   JSONB            NOT NULL,
    features      JSONB            NOT NULL,
    updated_at    TIMESTAMPTZ      NOT NULL DEFAULT now()
);
COMMENT ON TABLE account_risk IS 'One row per account: its latest risk assessment (by as_of) from output.risk-topic; written only when the customer model has a risk: section.';
COMMENT ON COLUMN account_risk.as_of IS 'Event time of the assessment (the journey, score or goal record that caused it). An older one never overwrites a newer one; at the same as_of the later emitted wins.';
COMMENT ON COLUMN account_risk.probability IS '0..1: the fitted model''s probability that the account misses its result.';
COMMENT ON COLUMN account_risk.logit IS 'log(p / (1 - p)) = intercept + the sum of the features'' contributions.';
COMMENT ON COLUMN account_risk.intercept IS 'The model''s intercept, in log-odds.';
COMMENT ON COLUMN account_risk.model_version IS 'The risk section''s fitted.at (or unfitted).';
COMMENT ON COLUMN account_risk.top_drivers IS 'JSON [{feature, value, contribution}]: up to 5 features with a non-zero contribution, largest |contribution| first; positive pushes the risk up.';
COMMENT ON COLUMN account_risk.features IS 'JSON {feature: {value, contribution}} of every feature the assessment carries; value null when unknown, and a feature without a term in the model, contribute 0. Contributions in log-odds.';
COMMENT ON COLUMN account_risk.updated_at IS 'Processing time of the last write (not deterministic).';
CREATE INDEX IF NOT EXISTS account_risk_probability_idx ON account_risk (probability DESC);
