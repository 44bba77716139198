-- The lab report written by hand, as an analyst would without odx: clinics
-- $1, local dates $2..$3 (inclusive). One row per branch and a network row
-- (clinic_id NULL), the same numbers as odx_lab over every vendor (the
-- benchmark checks every one before it times anything).
WITH c AS MATERIALIZED (
    SELECT id AS clinic_id FROM app.clinics WHERE id = ANY($1::bigint[])
),
cases AS (
    SELECT l.clinic_id,
           count(*) FILTER (WHERE l.status = 'sent' OR (l.status = 'received' AND l.received_on > $3::date)) AS open,
           count(*) FILTER (WHERE (l.status = 'sent' OR (l.status = 'received' AND l.received_on > $3::date))
                              AND l.due_on < $3::date) AS overdue,
           count(*) FILTER (WHERE l.sent_on >= $2::date AND l.status IN ('sent', 'received')) AS sent,
           coalesce(sum(l.cost) FILTER (WHERE l.sent_on >= $2::date AND l.status IN ('sent', 'received')), 0) AS cost,
           count(*) FILTER (WHERE l.status = 'received' AND l.received_on BETWEEN $2::date AND $3::date
                              AND l.received_on >= l.sent_on) AS received,
           coalesce(sum(l.received_on - l.sent_on) FILTER (WHERE l.status = 'received'
                              AND l.received_on BETWEEN $2::date AND $3::date AND l.received_on >= l.sent_on), 0)
               AS turnaround
    FROM app.lab_cases l
    WHERE l.clinic_id = ANY($1::bigint[]) AND l.sent_on <= $3::date
    GROUP BY l.clinic_id
),
branch AS (
    SELECT c.clinic_id, coalesce(x.open, 0) AS open, coalesce(x.overdue, 0) AS overdue, coalesce(x.sent, 0) AS sent,
           coalesce(x.cost, 0) AS cost, coalesce(x.received, 0) AS received, coalesce(x.turnaround, 0) AS turnaround
    FROM c LEFT JOIN cases x USING (clinic_id)
),
result AS (
    SELECT clinic_id, open, overdue, sent, cost, received, turnaround FROM branch
    UNION ALL
    SELECT NULL, coalesce(sum(open), 0), coalesce(sum(overdue), 0), coalesce(sum(sent), 0), coalesce(sum(cost), 0),
           coalesce(sum(received), 0), coalesce(sum(turnaround), 0)
    FROM branch
)
SELECT r.clinic_id, r.open::int8 AS open_cases, r.overdue::int8 AS overdue_cases,
       (r.overdue::numeric / nullif(r.open, 0))::text AS overdue_share,
       r.sent::int8 AS cases_sent, r.cost::text AS lab_cost, r.received::int8 AS cases_received,
       (r.turnaround::numeric / nullif(r.received, 0))::text AS avg_turnaround_days
FROM result r
