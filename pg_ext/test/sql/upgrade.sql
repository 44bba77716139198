-- The upgrade path: install the released 0.1.0, ALTER EXTENSION odx UPDATE,
-- and the catalog equals a fresh install of the current version.
BEGIN;
CREATE TEMP VIEW odx_catalog AS
SELECT p.oid::regprocedure::text AS function,
       pg_get_functiondef(p.oid) AS definition,
       obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p
JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'odx';
CREATE TEMP TABLE fresh AS SELECT * FROM odx_catalog;
SELECT extversion AS fresh_version, (SELECT count(*) FROM fresh) AS functions
FROM pg_extension WHERE extname = 'odx';
SELECT source, target, path FROM pg_extension_update_paths('odx') WHERE path IS NOT NULL ORDER BY 1, 2;
DROP EXTENSION odx;
CREATE EXTENSION odx VERSION '0.1.0';
SELECT extversion, to_regprocedure('odx_day_start(text, date)') IS NULL AS no_day_start,
       odx_aging_bucket(45) AS bucket_45
FROM pg_extension WHERE extname = 'odx';
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' ->> 'billed' AS billed_at_0_1_0;
-- 0.1.0's table form, on the new library: its own columns, read as of now()
SELECT clinic_id, billed FROM odx_financial_by_branch(ARRAY[1, 2]::bigint[], '2026-06-01', '2026-06-30');
SELECT count(*) AS operations_rows FROM odx_operations_by_branch(ARRAY[1, 2]::bigint[], '2026-06-01', '2026-06-30');
ALTER EXTENSION odx UPDATE;
SELECT extversion AS updated_version FROM pg_extension WHERE extname = 'odx';
-- after the upgrade, exactly what a fresh install has: both differences empty
SELECT 'only fresh' AS side, function FROM (SELECT * FROM fresh EXCEPT SELECT * FROM odx_catalog) f
UNION ALL
SELECT 'only upgraded', function FROM (SELECT * FROM odx_catalog EXCEPT SELECT * FROM fresh) u;
SELECT odx_day_start('Asia/Karachi', '2026-06-01') AT TIME ZONE 'UTC' AS day_start_utc,
       odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' ->> 'billed' AS billed_updated,
       odx_accounting(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' ->> 'net_profit' AS net_profit_updated;
ROLLBACK;
