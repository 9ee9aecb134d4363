-- Views analysts start from (issue 6). Plain SQL over the tables of V1 and V2: always as current as
-- the tables, nothing to refresh. Thresholds are written in the views (search for "threshold").

-- ---------------------------------------------------------------- customer_misses
-- Every result a customer missed, one row per miss: the ground the effectiveness of alerts is judged
-- on. subject uses the alerts' subject form: <journey>/<instance>/<milestone>, <journey>/<instance>,
-- goal/<goal id>, or 'account'.
CREATE OR REPLACE VIEW customer_misses AS
SELECT account_id, 'goal_missed' AS miss, 'goal/' || goal_id AS subject, as_of AS missed_at
  FROM goals WHERE status = 'missed'
UNION ALL
SELECT account_id, 'milestone_late', substr(instance_id, length(account_id) + 2) || '/' || milestone, due_at
  FROM journey_milestones WHERE status IN ('overdue', 'reached_late')
UNION ALL
SELECT account_id, 'journey_abandoned', substr(instance_id, length(account_id) + 2), ended_at
  FROM journeys WHERE status = 'abandoned'
UNION ALL
SELECT account_id, 'churned', 'account', as_of
  FROM scores_current WHERE final_reason = 'churned';
COMMENT ON VIEW customer_misses IS 'One row per missed result: goal missed (at its deadline), milestone overdue or reached late (at its due time), journey abandoned, account churned.';
COMMENT ON COLUMN customer_misses.miss IS 'goal_missed | milestone_late | journey_abandoned | churned.';
COMMENT ON COLUMN customer_misses.subject IS 'What was missed, in the alerts'' subject form (journey/instance/milestone, journey/instance, goal/<goal id>, account).';
COMMENT ON COLUMN customer_misses.missed_at IS 'Event time of the miss.';

-- ---------------------------------------------------------------- at_risk_accounts
CREATE OR REPLACE VIEW at_risk_accounts AS
WITH goal_counts AS (
    SELECT account_id,
           count(*) FILTER (WHERE status = 'at_risk') AS goals_at_risk,
           count(*) FILTER (WHERE status = 'missed')  AS goals_missed
      FROM goals GROUP BY account_id),
journey_counts AS (
    SELECT account_id, count(*) FILTER (WHERE status IN ('behind', 'overdue')) AS journeys_behind
      FROM journeys GROUP BY account_id),
top_alert AS (
    SELECT DISTINCT ON (account_id) account_id, headline, severity
      FROM alerts
     WHERE kind = 'risk' AND state <> 'resolved'
     ORDER BY account_id,
              CASE severity WHEN 'critical' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2 ELSE 1 END DESC,
              opened_at DESC, alert_id)
SELECT c.account_id,
       c.health_score,
       c.grade,
       c.lifecycle_stage,
       c.open_alerts,
       c.open_high_alerts,
       coalesce(g.goals_at_risk, 0)     AS goals_at_risk,
       coalesce(g.goals_missed, 0)      AS goals_missed,
       coalesce(j.journeys_behind, 0)   AS journeys_behind,
       t.headline                       AS top_alert,
       t.severity                       AS top_alert_severity,
       array_remove(ARRAY[
           CASE WHEN c.grade = 'red' THEN 'health red' WHEN c.grade = 'yellow' THEN 'health yellow' END,
           CASE WHEN c.open_alerts > 0 THEN c.open_alerts || ' open alert(s)' END,
           CASE WHEN g.goals_at_risk > 0 THEN g.goals_at_risk || ' goal(s) at risk' END,
           CASE WHEN g.goals_missed > 0 THEN g.goals_missed || ' goal(s) missed' END,
           CASE WHEN j.journeys_behind > 0 THEN j.journeys_behind || ' journey(s) behind' END], NULL) AS reasons,
       c.last_activity_at
  FROM accounts_current c
  LEFT JOIN goal_counts g ON g.account_id = c.account_id
  LEFT JOIN journey_counts j ON j.account_id = c.account_id
  LEFT JOIN top_alert t ON t.account_id = c.account_id
 WHERE c.ended_reason IS NULL
   AND (c.grade IN ('red', 'yellow') OR c.open_alerts > 0 OR g.goals_at_risk > 0 OR g.goals_missed > 0
        OR j.journeys_behind > 0);
COMMENT ON VIEW at_risk_accounts IS 'Live accounts (no final score record) with any sign of risk: grade not green, an open risk alert, a goal at risk or missed, a journey behind or overdue.';
COMMENT ON COLUMN at_risk_accounts.goals_at_risk IS 'Goals whose projection misses the target.';
COMMENT ON COLUMN at_risk_accounts.goals_missed IS 'Goals whose deadline passed unmet.';
COMMENT ON COLUMN at_risk_accounts.journeys_behind IS 'Open journey instances behind or overdue.';
COMMENT ON COLUMN at_risk_accounts.top_alert IS 'Headline of the most severe open risk alert (newest first among equals).';
COMMENT ON COLUMN at_risk_accounts.reasons IS 'Why the account is listed, in words.';

-- ---------------------------------------------------------------- time_to_value_by_cohort
-- Cohort: the UTC ISO week (Monday) the journey instance started in.
CREATE OR REPLACE VIEW time_to_value_by_cohort AS
SELECT journey,
       (date_trunc('week', started_at AT TIME ZONE 'UTC'))::date                                AS cohort_week,
       count(*)                                                                                AS started,
       count(time_to_value_ms)                                                                 AS reached_value,
       count(*) FILTER (WHERE status = 'completed')                                            AS completed,
       count(*) FILTER (WHERE status = 'abandoned')                                            AS abandoned,
       count(*) FILTER (WHERE ended_at IS NULL)                                                AS still_open,
       round((count(time_to_value_ms)::numeric / count(*)), 3)                                 AS reached_value_share,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY time_to_value_days)::numeric, 2)      AS median_days_to_value,
       round(percentile_cont(0.9) WITHIN GROUP (ORDER BY time_to_value_days)::numeric, 2)      AS p90_days_to_value,
       round(avg(time_to_value_days)::numeric, 2)                                              AS mean_days_to_value
  FROM journeys
 GROUP BY journey, cohort_week;
COMMENT ON VIEW time_to_value_by_cohort IS 'Per journey and weekly start cohort: how many instances started, reached their time-to-value milestone, completed, were abandoned, and how long value took.';
COMMENT ON COLUMN time_to_value_by_cohort.cohort_week IS 'Monday (UTC) of the week the instances started.';
COMMENT ON COLUMN time_to_value_by_cohort.reached_value IS 'Instances that reached the journey''s time-to-value milestone.';
COMMENT ON COLUMN time_to_value_by_cohort.still_open IS 'Instances neither completed nor abandoned.';
COMMENT ON COLUMN time_to_value_by_cohort.reached_value_share IS 'reached_value / started.';
COMMENT ON COLUMN time_to_value_by_cohort.median_days_to_value IS 'Median days from start to value, of those that reached it (null if none).';
COMMENT ON COLUMN time_to_value_by_cohort.p90_days_to_value IS '90th percentile of the same (interpolated).';

-- ---------------------------------------------------------------- alert_effectiveness
-- For each risk alert: the first miss of its subject between its opening and its resolution: its
-- milestone, goal or journey (subject journey/instance/milestone, goal/<id>); for subject 'renewal'
-- any miss in a renewal journey; for 'account' any miss of the account; churn counts for every alert.
-- A miss means the warning came and the customer still missed; no miss and resolved means the
-- customer recovered.
CREATE OR REPLACE VIEW alert_effectiveness AS
SELECT a.alert_id,
       a.account_id,
       a.rule,
       a.severity,
       a.subject,
       a.state,
       a.opened_at,
       a.resolved_at,
       a.due_at,
       round((a.lead_time_ms / 86400000.0)::numeric, 2)                                        AS lead_time_days,
       CASE WHEN m.missed_at IS NOT NULL THEN 'missed'
            WHEN a.state = 'resolved' THEN 'recovered'
            ELSE 'pending' END                                                                 AS outcome,
       m.miss,
       m.missed_at,
       round((extract(epoch FROM m.missed_at - a.opened_at) / 86400)::numeric, 2)              AS warned_days_before_miss
  FROM alerts a
  LEFT JOIN LATERAL (
      SELECT cm.miss, cm.missed_at
        FROM customer_misses cm
       WHERE cm.account_id = a.account_id
         AND cm.missed_at >= a.opened_at
         AND (a.resolved_at IS NULL OR cm.missed_at <= a.resolved_at)
         AND (cm.miss = 'churned' OR a.subject = 'account' OR cm.subject = a.subject OR cm.subject LIKE a.subject || '/%')
       ORDER BY cm.missed_at, cm.miss
       LIMIT 1) m ON TRUE
 WHERE a.kind = 'risk';
COMMENT ON VIEW alert_effectiveness IS 'Per risk alert: did the customer then miss (its subject, or anything for account-level alerts, between opening and resolution) or recover (resolved without a miss), and how early the warning came.';
COMMENT ON COLUMN alert_effectiveness.lead_time_days IS 'due_at - opened_at in days, as the alert said when it opened (null if the rule has no deadline).';
COMMENT ON COLUMN alert_effectiveness.outcome IS 'missed | recovered | pending (still open, no miss yet).';
COMMENT ON COLUMN alert_effectiveness.miss IS 'The first miss: goal_missed | milestone_late | journey_abandoned | churned (customer_misses).';
COMMENT ON COLUMN alert_effectiveness.warned_days_before_miss IS 'missed_at - opened_at in days: how early the alert came before the miss.';

-- ---------------------------------------------------------------- delivery_gap
-- The company's view: its own KPIs. Onboarding milestones closed on time, and support from the score's
-- support_friction component (100 = no open or over-target tickets): ticket-level SLA data is not an
-- output of the job, so support_friction stands in for "tickets resolved within SLA".
-- The customer's view: their goals and their sentiment.
-- Thresholds: company green = on-time share >= 0.8 (or nothing due yet) and support_friction >= 60
-- (or no tickets); customer red = a goal missed or at risk, or sentiment below 40.
CREATE OR REPLACE VIEW delivery_gap AS
WITH milestones AS (
    SELECT account_id,
           count(*) FILTER (WHERE status IN ('reached', 'reached_late', 'overdue')) AS milestones_closed_or_due,
           count(*) FILTER (WHERE status = 'reached')                               AS milestones_on_time
      FROM journey_milestones GROUP BY account_id),
goal_status AS (
    SELECT account_id,
           count(*)                                    AS goals,
           count(*) FILTER (WHERE status = 'achieved') AS goals_achieved,
           count(*) FILTER (WHERE status = 'on_track') AS goals_on_track,
           count(*) FILTER (WHERE status = 'at_risk')  AS goals_at_risk,
           count(*) FILTER (WHERE status = 'missed')   AS goals_missed
      FROM goals GROUP BY account_id),
per_account AS (
    SELECT c.account_id,
           coalesce(m.milestones_closed_or_due, 0)                                               AS milestones_due,
           coalesce(m.milestones_on_time, 0)                                                     AS milestones_on_time,
           round(m.milestones_on_time::numeric / nullif(m.milestones_closed_or_due, 0), 3)       AS on_time_share,
           round(c.support_friction::numeric, 1)                                                 AS support_friction,
           coalesce(g.goals, 0)                                                                  AS goals,
           coalesce(g.goals_achieved, 0)                                                         AS goals_achieved,
           coalesce(g.goals_on_track, 0)                                                         AS goals_on_track,
           coalesce(g.goals_at_risk, 0)                                                          AS goals_at_risk,
           coalesce(g.goals_missed, 0)                                                           AS goals_missed,
           round(c.sentiment::numeric, 1)                                                        AS sentiment,
           (coalesce(m.milestones_on_time::numeric / nullif(m.milestones_closed_or_due, 0), 1) >= 0.8
            AND coalesce(c.support_friction, 100) >= 60)                                         AS company_green,
           (coalesce(g.goals_missed, 0) + coalesce(g.goals_at_risk, 0) > 0
            OR coalesce(c.sentiment, 100) < 40)                                                  AS customer_red
      FROM accounts_current c
      LEFT JOIN milestones m ON m.account_id = c.account_id
      LEFT JOIN goal_status g ON g.account_id = c.account_id)
SELECT p.*,
       (p.company_green AND p.customer_red)                                                      AS gap,
       round(avg((p.company_green AND p.customer_red)::int) OVER ()::numeric, 3)                 AS gap_share
  FROM per_account p;
COMMENT ON VIEW delivery_gap IS 'Per account: the company''s internal KPIs beside the customer''s results, and whether the company''s view is green while the customer''s is red.';
COMMENT ON COLUMN delivery_gap.milestones_due IS 'Journey milestones reached or past due (pending ones not yet due are left out).';
COMMENT ON COLUMN delivery_gap.milestones_on_time IS 'Of those, reached at or before due.';
COMMENT ON COLUMN delivery_gap.on_time_share IS 'milestones_on_time / milestones_due (null when nothing is due yet).';
COMMENT ON COLUMN delivery_gap.support_friction IS 'Latest support_friction score component, 0-100 (100 = no open or over-target tickets); stands in for tickets resolved within SLA.';
COMMENT ON COLUMN delivery_gap.sentiment IS 'Latest sentiment score component, 0-100 (NPS and CSAT).';
COMMENT ON COLUMN delivery_gap.company_green IS 'on_time_share >= 0.8 (or none due) and support_friction >= 60 (or unknown).';
COMMENT ON COLUMN delivery_gap.customer_red IS 'A goal missed or at risk, or sentiment below 40.';
COMMENT ON COLUMN delivery_gap.gap IS 'company_green and customer_red.';
COMMENT ON COLUMN delivery_gap.gap_share IS 'Share of all accounts in the view with gap (the same on every row).';

CREATE OR REPLACE VIEW delivery_gap_summary AS
SELECT count(*)                                             AS accounts,
       count(*) FILTER (WHERE company_green)                AS company_green,
       count(*) FILTER (WHERE customer_red)                 AS customer_red,
       count(*) FILTER (WHERE gap)                          AS company_green_customer_red,
       round(avg(gap::int)::numeric, 3)                     AS gap_share,
       round((count(*) FILTER (WHERE gap))::numeric / nullif(count(*) FILTER (WHERE company_green), 0), 3) AS gap_share_of_green
  FROM delivery_gap;
COMMENT ON VIEW delivery_gap_summary IS 'One row: how many accounts the company sees green, how many customers are red, and how many both (the delivery gap).';
COMMENT ON COLUMN delivery_gap_summary.gap_share IS 'company_green_customer_red / accounts.';
COMMENT ON COLUMN delivery_gap_summary.gap_share_of_green IS 'company_green_customer_red / company_green: of the accounts the company thinks fine, the share whose customer is not.';
