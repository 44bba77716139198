-- A role without SELECT on a table odx reads gets the permission error
-- (42501), not a degraded report: the schema probe reads the catalog, which
-- shows the table whatever the role may select. odx_limited reads every
-- table of app but payroll.
SET ROLE odx_limited;
SELECT odx_financial(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' ->> 'billed' AS billed;
\set VERBOSITY verbose
SELECT odx_accounting(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS degraded;
SELECT count(*) FROM odx_staff_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30');
\set VERBOSITY default
RESET ROLE;
-- The role the suites read as: no superuser, no write, and it reads.
SET ROLE odx_reader;
SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user;
SELECT has_table_privilege('app.invoices', 'INSERT, UPDATE, DELETE') AS writes;
SELECT odx_accounting(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' ->> 'net_profit' AS net_profit;
RESET ROLE;
-- Every function of the extension runs with a pinned search_path.
SELECT count(*) >= 29 AS functions,
       count(*) FILTER (WHERE NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)) AS unpinned
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'odx'
WHERE p.prokind = 'f';
