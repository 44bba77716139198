-- The clinical report written by hand, as an analyst would without odx:
-- clinics $1, local dates $2..$3 (inclusive). One row per branch and a
-- network row (clinic_id NULL), the same numbers as odx_clinical (the
-- benchmark checks every one, and the head of both top-10 lists, before it
-- times anything).
WITH c AS MATERIALIZED (
    SELECT id AS clinic_id,
           $2::date::timestamp AT TIME ZONE timezone AS t0,
           ($3::date + 1)::timestamp AT TIME ZONE timezone AS t1
    FROM app.clinics WHERE id = ANY($1::bigint[])
),
plan_fees AS (
    SELECT t.clinic_id, t.status,
           coalesce(sum(pp.fee), 0) AS value,
           coalesce(sum(pp.fee) FILTER (WHERE pp.status = 'planned'), 0) AS planned,
           coalesce(sum(pp.fee) FILTER (WHERE pp.status = 'completed'), 0) AS completed
    FROM c JOIN app.treatment_plans t ON t.clinic_id = c.clinic_id AND t.created_at >= c.t0 AND t.created_at < c.t1
    LEFT JOIN app.treatment_plan_procedures pp ON pp.plan_id = t.id
    WHERE t.status IN ('proposed', 'accepted', 'in_progress', 'completed', 'rejected')
    GROUP BY t.clinic_id, t.id, t.status
),
plans AS (
    SELECT clinic_id, count(*) AS created,
           count(*) FILTER (WHERE status IN ('accepted', 'in_progress', 'completed')) AS accepted,
           coalesce(sum(planned) FILTER (WHERE status IN ('proposed', 'accepted', 'in_progress')), 0) AS pipeline,
           sum(value) AS value,
           coalesce(sum(value) FILTER (WHERE status IN ('accepted', 'in_progress', 'completed')), 0) AS accepted_value,
           coalesce(sum(completed) FILTER (WHERE status IN ('accepted', 'in_progress', 'completed')), 0)
               AS completed_value
    FROM plan_fees GROUP BY clinic_id
),
quotes AS (
    SELECT q.clinic_id, count(*) FILTER (WHERE q.status = 'accepted') AS accepted,
           count(*) FILTER (WHERE q.status IN ('sent', 'accepted', 'rejected', 'expired')) AS decided
    FROM c JOIN app.quotations q ON q.clinic_id = c.clinic_id AND q.created_at >= c.t0 AND q.created_at < c.t1
    GROUP BY q.clinic_id
),
lines AS (
    SELECT i.clinic_id, coalesce(nullif(trim(it.procedure_code), ''), 'unspecified') AS code,
           sum(it.qty) AS volume, sum(it.qty * it.unit_price) AS revenue
    FROM c JOIN app.invoices i ON i.clinic_id = c.clinic_id AND i.issued_at >= c.t0 AND i.issued_at < c.t1
    JOIN app.invoice_items it ON it.invoice_id = i.id
    WHERE i.status IN ('issued', 'partially_paid', 'paid')
    GROUP BY 1, 2
),
all_lines AS (
    SELECT clinic_id, code, volume, revenue FROM lines
    UNION ALL
    SELECT NULL, code, sum(volume), sum(revenue) FROM lines GROUP BY code
),
ranked AS (
    SELECT clinic_id, code, volume, revenue,
           row_number() OVER (PARTITION BY clinic_id ORDER BY volume DESC, code) AS by_volume,
           row_number() OVER (PARTITION BY clinic_id ORDER BY revenue DESC, code) AS by_revenue
    FROM all_lines
),
tops AS (
    SELECT clinic_id,
           array_agg(code ORDER BY by_volume) FILTER (WHERE by_volume <= 10 AND volume > 0) AS top_volume_codes,
           array_agg(code ORDER BY by_revenue) FILTER (WHERE by_revenue <= 10 AND revenue > 0) AS top_revenue_codes,
           max(volume) FILTER (WHERE by_volume = 1 AND volume > 0) AS top_volume,
           max(revenue) FILTER (WHERE by_revenue = 1 AND revenue > 0) AS top_revenue
    FROM ranked GROUP BY clinic_id
),
branch AS (
    SELECT c.clinic_id, coalesce(p.created, 0) AS created, coalesce(p.accepted, 0) AS accepted,
           coalesce(p.pipeline, 0) AS pipeline, coalesce(p.value, 0) AS value,
           coalesce(p.accepted_value, 0) AS accepted_value, coalesce(p.completed_value, 0) AS completed_value,
           coalesce(q.accepted, 0) AS q_accepted, coalesce(q.decided, 0) AS q_decided
    FROM c LEFT JOIN plans p USING (clinic_id) LEFT JOIN quotes q USING (clinic_id)
),
result AS (
    SELECT clinic_id, created, accepted, pipeline, value, accepted_value, completed_value, q_accepted, q_decided
    FROM branch
    UNION ALL
    SELECT NULL, coalesce(sum(created), 0), coalesce(sum(accepted), 0), coalesce(sum(pipeline), 0),
           coalesce(sum(value), 0), coalesce(sum(accepted_value), 0), coalesce(sum(completed_value), 0),
           coalesce(sum(q_accepted), 0), coalesce(sum(q_decided), 0)
    FROM branch
)
SELECT r.clinic_id, r.created::int8 AS plans_created, r.accepted::int8 AS plans_accepted,
       (r.accepted::numeric / nullif(r.created, 0))::text AS acceptance_rate,
       r.pipeline::text AS pipeline_value, r.value::text AS plan_value,
       round(r.value / nullif(r.created, 0), 2)::text AS avg_plan_value,
       r.accepted_value::text AS accepted_value, r.completed_value::text AS completed_value,
       (r.completed_value / nullif(r.accepted_value, 0))::text AS completion_rate,
       (r.q_accepted::numeric / nullif(r.q_decided, 0))::text AS quotation_conversion,
       t.top_volume::int8 AS top_volume, t.top_revenue::text AS top_revenue
FROM result r LEFT JOIN tops t ON t.clinic_id IS NOT DISTINCT FROM r.clinic_id
