-- The financial report written by hand, as an analyst would without odx:
-- clinics $1, local dates $2..$3 (inclusive), balances as of the end of $3.
-- One row per branch and a network row (clinic_id NULL), the same numbers as
-- odx_financial (the benchmark checks every one before it times anything).
WITH c AS MATERIALIZED (
    SELECT id AS clinic_id, timezone,
           $2::date::timestamp AT TIME ZONE timezone AS t0,
           ($3::date + 1)::timestamp AT TIME ZONE timezone AS t1
    FROM app.clinics WHERE id = ANY($1::bigint[])
),
grain AS (
    SELECT CASE WHEN $3::date - $2::date < 62 THEN 'day' ELSE 'month' END AS g
),
buckets AS (
    SELECT DISTINCT date_trunc(grain.g, d)::date AS b
    FROM grain, generate_series($2::date, $3::date, interval '1 day') d
),
inv AS MATERIALIZED (
    SELECT i.id, i.clinic_id, i.status, i.payer, i.total, i.issued_at >= c.t0 AS in_range,
           (i.issued_at AT TIME ZONE c.timezone)::date AS local_day, c.t1
    FROM c JOIN app.invoices i ON i.clinic_id = c.clinic_id AND i.issued_at < c.t1
),
paid AS (
    SELECT p.invoice_id, sum(p.amount) AS paid
    FROM inv JOIN app.payments p ON p.invoice_id = inv.id AND p.paid_at < inv.t1
    WHERE inv.status IN ('issued', 'partially_paid', 'paid')
    GROUP BY p.invoice_id
),
ar AS (
    SELECT inv.clinic_id,
           sum(bal) FILTER (WHERE bal > 0) AS outstanding,
           sum(bal) FILTER (WHERE bal > 0 AND payer = 'self') AS outstanding_self,
           sum(bal) FILTER (WHERE bal > 0 AND payer = 'insurance') AS outstanding_insurance,
           count(*) FILTER (WHERE bal > 0) AS open_invoices,
           -sum(bal) FILTER (WHERE bal < 0) AS credits,
           sum(bal) FILTER (WHERE bal > 0 AND $3::date - local_day <= 30) AS ar_0_30,
           sum(bal) FILTER (WHERE bal > 0 AND $3::date - local_day BETWEEN 31 AND 60) AS ar_31_60,
           sum(bal) FILTER (WHERE bal > 0 AND $3::date - local_day BETWEEN 61 AND 90) AS ar_61_90,
           sum(bal) FILTER (WHERE bal > 0 AND $3::date - local_day > 90) AS ar_90_plus
    FROM inv LEFT JOIN paid ON paid.invoice_id = inv.id,
         LATERAL (SELECT inv.total - coalesce(paid.paid, 0) AS bal) b
    WHERE inv.status IN ('issued', 'partially_paid', 'paid')
    GROUP BY inv.clinic_id
),
billing AS (
    SELECT clinic_id,
           sum(total) FILTER (WHERE status IN ('issued', 'partially_paid', 'paid')) AS billed,
           count(*) FILTER (WHERE status IN ('issued', 'partially_paid', 'paid')) AS invoices,
           count(*) FILTER (WHERE status = 'draft') AS draft,
           count(*) FILTER (WHERE status = 'issued') AS issued,
           count(*) FILTER (WHERE status = 'partially_paid') AS partially_paid,
           count(*) FILTER (WHERE status = 'paid') AS paid,
           count(*) FILTER (WHERE status = 'void') AS void
    FROM inv WHERE in_range
    GROUP BY clinic_id
),
materials AS (
    SELECT inv.clinic_id, sum(it.qty * it.unit_cost) AS materials
    FROM inv JOIN app.invoice_items it ON it.invoice_id = inv.id
    WHERE inv.in_range AND inv.status IN ('issued', 'partially_paid', 'paid')
    GROUP BY inv.clinic_id
),
pay AS (
    SELECT p.clinic_id, p.method, date_trunc(grain.g, p.paid_at AT TIME ZONE c.timezone)::date AS b,
           count(*) AS n, sum(p.amount) AS amount
    FROM grain, c JOIN app.payments p ON p.clinic_id = c.clinic_id AND p.paid_at >= c.t0 AND p.paid_at < c.t1
    GROUP BY 1, 2, 3
),
lab AS (
    SELECT clinic_id, sum(cost) AS lab_cost
    FROM app.lab_cases
    WHERE clinic_id = ANY($1::bigint[]) AND sent_on BETWEEN $2::date AND $3::date AND status IN ('sent', 'received')
    GROUP BY clinic_id
),
-- per branch, then the network as the sum of the branches
branch AS (
    SELECT c.clinic_id,
           coalesce(bi.billed, 0) AS billed, coalesce(bi.invoices, 0) AS invoices,
           coalesce(pc.collected, 0) AS collected,
           coalesce(ar.outstanding, 0) AS outstanding, coalesce(ar.outstanding_self, 0) AS outstanding_self,
           coalesce(ar.outstanding_insurance, 0) AS outstanding_insurance,
           coalesce(ar.open_invoices, 0) AS open_invoices, coalesce(ar.credits, 0) AS credits,
           coalesce(ar.ar_0_30, 0) AS ar_0_30, coalesce(ar.ar_31_60, 0) AS ar_31_60,
           coalesce(ar.ar_61_90, 0) AS ar_61_90, coalesce(ar.ar_90_plus, 0) AS ar_90_plus,
           coalesce(m.materials, 0) AS materials, coalesce(l.lab_cost, 0) AS lab_cost,
           coalesce(bi.draft, 0) AS draft, coalesce(bi.issued, 0) AS issued,
           coalesce(bi.partially_paid, 0) AS partially_paid, coalesce(bi.paid, 0) AS paid, coalesce(bi.void, 0) AS void
    FROM c
    LEFT JOIN billing bi ON bi.clinic_id = c.clinic_id
    LEFT JOIN ar ON ar.clinic_id = c.clinic_id
    LEFT JOIN materials m ON m.clinic_id = c.clinic_id
    LEFT JOIN lab l ON l.clinic_id = c.clinic_id
    LEFT JOIN (SELECT clinic_id, sum(amount) AS collected FROM pay GROUP BY clinic_id) pc ON pc.clinic_id = c.clinic_id
),
result AS (
    SELECT * FROM branch
    UNION ALL
    SELECT NULL, sum(billed), sum(invoices), sum(collected), sum(outstanding), sum(outstanding_self),
           sum(outstanding_insurance), sum(open_invoices), sum(credits), sum(ar_0_30), sum(ar_31_60), sum(ar_61_90),
           sum(ar_90_plus), sum(materials), sum(lab_cost), sum(draft), sum(issued), sum(partially_paid), sum(paid),
           sum(void)
    FROM branch
),
mix AS (
    SELECT coalesce(clinic_id, 0) AS k, method, sum(n) AS n, sum(amount) AS amount
    FROM pay GROUP BY GROUPING SETS ((clinic_id, method), (method))
),
billed_by_bucket AS (
    SELECT coalesce(clinic_id, 0) AS k, b, sum(total) AS billed
    FROM (SELECT inv.clinic_id, date_trunc(grain.g, inv.local_day)::date AS b, inv.total
          FROM grain, inv WHERE inv.in_range AND inv.status IN ('issued', 'partially_paid', 'paid')) x
    GROUP BY GROUPING SETS ((clinic_id, b), (b))
),
collected_by_bucket AS (
    SELECT coalesce(clinic_id, 0) AS k, b, sum(amount) AS collected
    FROM pay GROUP BY GROUPING SETS ((clinic_id, b), (b))
),
trend AS (
    SELECT k.k, buckets.b, coalesce(tb.billed, 0) AS billed, coalesce(tc.collected, 0) AS collected
    FROM (SELECT clinic_id AS k FROM c UNION ALL SELECT 0) k CROSS JOIN buckets
    LEFT JOIN billed_by_bucket tb ON tb.k = k.k AND tb.b = buckets.b
    LEFT JOIN collected_by_bucket tc ON tc.k = k.k AND tc.b = buckets.b
)
SELECT r.clinic_id,
       r.billed::text AS billed, r.invoices::int8 AS invoice_count,
       round(r.billed / nullif(r.invoices, 0), 2)::text AS avg_ticket,
       r.collected::text AS collected, (r.collected / nullif(r.billed, 0))::text AS collection_rate,
       r.outstanding::text AS outstanding, r.outstanding_self::text AS outstanding_self,
       r.outstanding_insurance::text AS outstanding_insurance, r.open_invoices::int8 AS open_invoices,
       r.credits::text AS credits, r.ar_0_30::text AS ar_0_30, r.ar_31_60::text AS ar_31_60,
       r.ar_61_90::text AS ar_61_90, r.ar_90_plus::text AS ar_90_plus,
       r.materials::text AS materials_cost, r.lab_cost::text AS lab_cost,
       (r.materials + r.lab_cost)::text AS direct_cost, (r.billed - r.materials - r.lab_cost)::text AS gross_profit,
       ((r.billed - r.materials - r.lab_cost) / nullif(r.billed, 0))::text AS margin,
       r.draft::int8 AS draft, r.issued::int8 AS issued, r.partially_paid::int8 AS partially_paid,
       r.paid::int8 AS paid, r.void::int8 AS void,
       (SELECT array_agg(mix.method || ':' || mix.n || ':' || mix.amount ORDER BY mix.method) FROM mix
        WHERE mix.k = coalesce(r.clinic_id, 0)) AS payment_mix,
       (SELECT array_agg(t.billed::text ORDER BY t.b) FROM trend t
        WHERE t.k = coalesce(r.clinic_id, 0)) AS trend_billed,
       (SELECT array_agg(t.collected::text ORDER BY t.b) FROM trend t
        WHERE t.k = coalesce(r.clinic_id, 0)) AS trend_collected
FROM result r
