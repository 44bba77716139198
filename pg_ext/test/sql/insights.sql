-- The console read-outs on the known-answer fixture: the digest's ranked
-- actions, a branch benchmarked against the two-branch median, and the
-- network overview of one day (tests/tests/console.rs works them by hand).
BEGIN;
SELECT a ->> 'rank' AS rank, a ->> 'clinic_id' AS clinic, a ->> 'action' AS action, a ->> 'impact' AS impact
FROM jsonb_array_elements(odx_digest(1, '2026-06-01', '2026-06-30') -> 'actions') a;
SELECT a ->> 'kind' AS kind, a ->> 'clinic_id' AS clinic, coalesce(a ->> 'metric', a ->> 'driver') AS what,
       a ->> 'severity' AS severity
FROM jsonb_array_elements(odx_digest(1, '2026-06-01', '2026-06-30') -> 'anomalies') a;
SELECT g ->> 'rank' AS rank, g ->> 'driver' AS driver, g ->> 'worse' AS worse, g ->> 'impact' AS impact
FROM jsonb_array_elements(odx_benchmark(1, 2, '2026-06-01', '2026-06-30') -> 'drivers') g;
SELECT o ->> 'active_branches' AS active, o ->> 'appointments' AS appointments, o ->> 'billed' AS billed,
       o ->> 'no_show_rate' AS no_show_rate
FROM odx_network_overview(1, '2026-06-20') o;
-- June 18: the day's only appointment (B5) is cancelled: none are on
SELECT o ->> 'appointments' AS appointments FROM odx_network_overview(1, '2026-06-18') o;
-- The same overview as rows: each branch, then the network (its rate from
-- the merged counts); every figure equal to the jsonb's.
SELECT * FROM odx_network_overview_rows(1, '2026-06-20');
SELECT count(*) AS rows,
       count(*) FILTER (WHERE r.appointments = (coalesce(b, o) ->> 'appointments')::bigint
                          AND r.billed = (coalesce(b, o) ->> 'billed')::numeric
                          AND r.no_show_rate IS NOT DISTINCT FROM (coalesce(b, o) ->> 'no_show_rate')::numeric
                          AND r.active IS NOT DISTINCT FROM (b ->> 'active')::boolean
                          AND r.branch_name IS NOT DISTINCT FROM b ->> 'branch_name'
                          AND r.city IS NOT DISTINCT FROM b ->> 'city') AS equal_to_jsonb
FROM odx_network_overview_rows(1, '2026-06-20') r
CROSS JOIN odx_network_overview(1, '2026-06-20') o
LEFT JOIN LATERAL jsonb_array_elements(o -> 'branches') b ON (b ->> 'clinic_id')::bigint = r.clinic_id;
ROLLBACK;
-- a branch outside the organization: refused (42501), the backend survives
SELECT odx_benchmark(1, 501, '2026-06-01', '2026-06-30');
SELECT odx_network_overview(1, 'infinity');
SELECT * FROM odx_network_overview_rows(1, 'infinity');
SELECT 1 AS still_connected;
