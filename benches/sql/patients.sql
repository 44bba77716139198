-- The patients report written by hand, as an analyst would without odx:
-- clinics $1, local dates $2..$3 (inclusive), the 18-month active window.
-- One row per branch and a network row (clinic_id NULL), the same numbers as
-- odx_patients, with the head of the at-risk list (the benchmark checks
-- every one before it times anything).
WITH c AS MATERIALIZED (
    SELECT id AS clinic_id, timezone FROM app.clinics WHERE id = ANY($1::bigint[])
),
visits AS (
    SELECT a.clinic_id, a.patient_id,
           min((a.starts_at AT TIME ZONE c.timezone)::date) AS first_day,
           max((a.starts_at AT TIME ZONE c.timezone)::date) AS last_day,
           max((a.starts_at AT TIME ZONE c.timezone)::date)
               FILTER (WHERE (a.starts_at AT TIME ZONE c.timezone)::date < $2::date) AS before_day
    FROM app.appointments a JOIN c USING (clinic_id)
    WHERE a.status = 'completed' AND (a.starts_at AT TIME ZONE c.timezone)::date <= $3::date
    GROUP BY 1, 2
),
booked AS (
    SELECT DISTINCT a.clinic_id, a.patient_id
    FROM app.appointments a JOIN c USING (clinic_id)
    WHERE a.status = 'booked' AND (a.starts_at AT TIME ZONE c.timezone)::date > $3::date
),
p AS (
    SELECT pt.clinic_id, pt.id, pt.recall_due_on, v.first_day, v.last_day, v.before_day,
           b.patient_id IS NOT NULL AS booked_after
    FROM app.patients pt JOIN c USING (clinic_id)
    LEFT JOIN visits v ON v.clinic_id = pt.clinic_id AND v.patient_id = pt.id
    LEFT JOIN booked b ON b.clinic_id = pt.clinic_id AND b.patient_id = pt.id
),
lifetime AS (
    SELECT i.clinic_id, i.patient_id, sum(i.total) AS billed
    FROM app.invoices i JOIN c USING (clinic_id)
    WHERE i.status IN ('issued', 'partially_paid', 'paid') AND (i.issued_at AT TIME ZONE c.timezone)::date <= $3::date
    GROUP BY 1, 2
),
at_risk AS (
    SELECT p.clinic_id, p.id, coalesce(l.billed, 0) AS billed
    FROM p LEFT JOIN lifetime l ON l.clinic_id = p.clinic_id AND l.patient_id = p.id
    WHERE p.last_day <= ($3::date - interval '9 months')::date AND NOT p.booked_after
),
counts AS (
    SELECT clinic_id, count(*) AS on_file,
           count(*) FILTER (WHERE last_day >= ($3::date + 1 - interval '18 months')::date) AS active,
           count(*) FILTER (WHERE last_day >= $2::date AND first_day >= $2::date) AS new,
           count(*) FILTER (WHERE last_day >= $2::date AND first_day < $2::date) AS back,
           count(*) FILTER (WHERE recall_due_on BETWEEN $2::date AND $3::date) AS recall_due,
           count(*) FILTER (WHERE recall_due_on < $3::date
                              AND (last_day IS NULL OR last_day < recall_due_on)) AS recall_overdue,
           count(*) FILTER (WHERE last_day <= ($3::date - interval '9 months')::date) AS lapsed,
           count(*) FILTER (WHERE before_day <= ($2::date - 1 - interval '9 months')::date) AS lapsed_at_start,
           count(*) FILTER (WHERE before_day <= ($2::date - 1 - interval '9 months')::date
                              AND last_day >= $2::date) AS won_back
    FROM p GROUP BY clinic_id
),
risk AS (
    SELECT clinic_id, count(*) AS churn FROM at_risk GROUP BY clinic_id
),
top AS (
    SELECT DISTINCT ON (clinic_id) clinic_id, id, billed FROM at_risk ORDER BY clinic_id, billed DESC, id
),
branch AS (
    SELECT c.clinic_id, coalesce(n.on_file, 0) AS on_file, coalesce(n.active, 0) AS active, coalesce(n.new, 0) AS new,
           coalesce(n.back, 0) AS back, coalesce(n.recall_due, 0) AS recall_due,
           coalesce(n.recall_overdue, 0) AS recall_overdue, coalesce(r.churn, 0) AS churn,
           t.id AS top_id, t.billed AS top_billed, coalesce(n.lapsed, 0) AS lapsed,
           coalesce(n.lapsed_at_start, 0) AS lapsed_at_start, coalesce(n.won_back, 0) AS won_back
    FROM c LEFT JOIN counts n USING (clinic_id) LEFT JOIN risk r USING (clinic_id) LEFT JOIN top t USING (clinic_id)
),
result AS (
    SELECT clinic_id, on_file, active, new, back, recall_due, recall_overdue, churn, top_id, top_billed,
           lapsed, lapsed_at_start, won_back
    FROM branch
    UNION ALL
    SELECT NULL, coalesce(sum(on_file), 0), coalesce(sum(active), 0), coalesce(sum(new), 0),
           coalesce(sum(back), 0), coalesce(sum(recall_due), 0), coalesce(sum(recall_overdue), 0),
           coalesce(sum(churn), 0),
           (SELECT id FROM at_risk ORDER BY billed DESC, clinic_id, id LIMIT 1),
           (SELECT billed FROM at_risk ORDER BY billed DESC, clinic_id, id LIMIT 1),
           coalesce(sum(lapsed), 0), coalesce(sum(lapsed_at_start), 0), coalesce(sum(won_back), 0)
    FROM branch
)
SELECT r.clinic_id, r.on_file::int8 AS patients_on_file, r.active::int8 AS active_patients,
       r.new::int8 AS new_patients, r.back::int8 AS returning_patients,
       (r.back::numeric / nullif(r.new + r.back, 0))::text AS returning_share,
       r.recall_due::int8 AS recall_due, r.recall_overdue::int8 AS recall_overdue, r.churn::int8 AS churn_risk,
       r.top_id::int8 AS top_patient, r.top_billed::text AS top_billed, r.lapsed::int8 AS lapsed,
       r.lapsed_at_start::int8 AS lapsed_at_start, r.won_back::int8 AS won_back
FROM result r
