-- odx_financial and odx_financial_by_branch on the known-answer fixture
-- (values worked by hand in fixtures/known_answer/EXPECTED.md).
BEGIN;
SELECT key, value
FROM jsonb_each(odx_financial(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals')
WHERE key NOT IN ('trend', 'payment_mix')
ORDER BY key;
SELECT p ->> 'method' AS method, p ->> 'payments' AS payments, p ->> 'amount' AS amount, round((p ->> 'share')::numeric, 6) AS share
FROM jsonb_array_elements(odx_financial(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'payment_mix') p;
SELECT t ->> 'start' AS day, t ->> 'billed' AS billed, t ->> 'collected' AS collected
FROM jsonb_array_elements(odx_financial(ARRAY[2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'trend' -> 'points') t
WHERE (t ->> 'billed')::numeric <> 0 OR (t ->> 'collected')::numeric <> 0;
SELECT clinic_id, billed, invoice_count, avg_ticket, collected, round(collection_rate, 6) AS collection_rate,
       outstanding, outstanding_self, outstanding_insurance, credits, ar_0_30, ar_31_60, ar_61_90, ar_90_plus,
       direct_cost, gross_profit, round(margin, 6) AS margin
FROM odx_financial_by_branch(ARRAY[2,1,2]::bigint[], '2026-06-01', '2026-06-30');
-- group_by doctor: one row per (clinic, doctor), the no-doctor row last
SELECT g ->> 'clinic_id' AS clinic, g ->> 'doctor_id' AS doctor, g ->> 'billed' AS billed, g ->> 'outstanding' AS outstanding, g ->> 'lab_cost' AS lab_cost
FROM jsonb_array_elements(odx_financial(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'doctor') -> 'groups') g;
-- group_by none: totals only; an empty array: zeroed totals, no groups
SELECT jsonb_array_length(r -> 'groups') AS groups, r -> 'totals' ->> 'billed' AS billed, r ->> 'degraded' AS degraded
FROM (VALUES (odx_financial(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'none')),
             (odx_financial(ARRAY[]::bigint[], '2026-06-01', '2026-06-30'))) v(r);
-- a long range trends per month
SELECT jsonb_path_query_array(odx_financial(ARRAY[1]::bigint[], '2026-01-01', '2026-06-30'), '$.totals.trend.points[*].start') AS months,
       odx_financial(ARRAY[1]::bigint[], '2026-01-01', '2026-06-30') -> 'totals' -> 'trend' ->> 'granularity' AS granularity;
SELECT days, odx_aging_bucket(days) FROM unnest(ARRAY[-1, 0, 30, 31, 60, 61, 90, 91, 10000]) days;
ROLLBACK;
