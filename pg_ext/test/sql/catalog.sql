-- Every odx function: volatility, parallel safety, strictness, and its comment.
BEGIN;
SELECT p.proname,
       pg_get_function_identity_arguments(p.oid) AS arguments,
       CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END AS volatility,
       CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' ELSE 'unsafe' END AS parallel,
       p.proisstrict AS strict,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p
JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'odx'
ORDER BY 1, 2;
SELECT extversion FROM pg_extension WHERE extname = 'odx';
ROLLBACK;
