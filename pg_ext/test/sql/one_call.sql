-- A table function hands Postgres all its rows in its first call (a
-- tuplestore, the materialize protocol) instead of one row per call.
-- A function that returns one row per call keeps a "SRF multi-call context"
-- while its rows are read one by one in the select list (generate_series
-- here); each of odx's table functions, there too, keeps none.
BEGIN;
CREATE TEMP VIEW srf_contexts AS
SELECT count(*) AS n FROM pg_backend_memory_contexts WHERE name = 'SRF multi-call context';
SELECT x, (SELECT n FROM srf_contexts) AS per_call_contexts
FROM (SELECT generate_series(1, 2) AS x OFFSET 0) s;
SELECT f, count(*) AS rows, max((SELECT n FROM srf_contexts)) AS per_call_contexts
FROM ((SELECT 'network_overview_rows', (odx_network_overview_rows(1, '2026-06-20')).clinic_id OFFSET 0)
      UNION ALL (SELECT 'financial', (odx_financial_by_branch(ARRAY[1, 2], '2026-06-01', '2026-06-30')).clinic_id OFFSET 0)
      UNION ALL (SELECT 'operations', (odx_operations_by_branch(ARRAY[1, 2], '2026-06-01', '2026-06-30')).clinic_id OFFSET 0)
      UNION ALL (SELECT 'clinical', (odx_clinical_by_branch(ARRAY[1, 2], '2026-06-01', '2026-06-30')).clinic_id OFFSET 0)
      UNION ALL (SELECT 'patients', (odx_patients_by_branch(ARRAY[1, 2], '2026-06-01', '2026-06-30')).clinic_id OFFSET 0)
      UNION ALL (SELECT 'accounting', (odx_accounting_by_branch(ARRAY[1, 2], '2026-06-01', '2026-06-30')).clinic_id OFFSET 0)
      UNION ALL (SELECT 'staff', (odx_staff_by_branch(ARRAY[1, 2], '2026-06-01', '2026-06-30')).clinic_id OFFSET 0)
      UNION ALL (SELECT 'inventory', (odx_inventory_by_branch(ARRAY[1, 2], '2026-06-01', '2026-06-30')).clinic_id OFFSET 0)
      UNION ALL (SELECT 'lab', (odx_lab_by_branch(ARRAY[1, 2], '2026-06-01', '2026-06-30')).clinic_id OFFSET 0)
      UNION ALL (SELECT 'function_comments', length((odx_function_comments()).function) OFFSET 0)) s (f, x)
GROUP BY f ORDER BY f;
-- The rows are the same wherever the call stands: in the select list,
-- beside LATERAL (called again for each outer row), cut by LIMIT, and for
-- a set with no rows.
SELECT (odx_financial_by_branch(ARRAY[1, 2], '2026-06-01', '2026-06-30')).clinic_id;
SELECT g, (odx_operations_by_branch(ARRAY[1, 2], make_date(2026, 6, g), make_date(2026, 6, g))).appointments
FROM generate_series(19, 20) g;
SELECT g, r.clinic_id, r.appointments
FROM generate_series(18, 20) g, LATERAL odx_network_overview_rows(1, make_date(2026, 6, g)) r
ORDER BY g, r.clinic_id NULLS LAST;
SELECT clinic_id FROM odx_network_overview_rows(1, '2026-06-20') LIMIT 1;
SELECT count(*) AS rows FROM odx_financial_by_branch('{}', '2026-06-01', '2026-06-30');
SELECT count(*) > 1 AS rows, count(DISTINCT function) = count(*) AS each_once FROM odx_function_comments();
ROLLBACK;
