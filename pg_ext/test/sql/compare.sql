-- A domain against its previous period with each branch's share, on the
-- known-answer fixture: June 2026 against May 2..31 (tests/tests/console.rs
-- works the billed figures by hand: 50,000 against 19,000).
BEGIN;
SELECT c ->> 'previous_from' AS previous_from, c ->> 'previous_to' AS previous_to
FROM odx_compare('financial', ARRAY[1, 2]::bigint[], '2026-06-01', '2026-06-30') c;
SELECT t ->> 'metric' AS metric, t ->> 'kind' AS kind, t ->> 'current' AS now, t ->> 'previous' AS before,
       t ->> 'change' AS change
FROM jsonb_array_elements(odx_compare('financial', ARRAY[1, 2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals') t
WHERE t ->> 'metric' IN ('billed', 'collected', 'collection_rate');
SELECT g ->> 'clinic_id' AS clinic, g ->> 'current' AS now, round((g ->> 'share')::numeric, 4) AS share,
       round((g ->> 'previous_share')::numeric, 4) AS previous_share
FROM jsonb_array_elements(odx_compare('financial', ARRAY[1, 2]::bigint[], '2026-06-01', '2026-06-30') -> 'groups') g
WHERE g ->> 'metric' = 'billed';
-- every domain answers, with as many branch rows as measures times branches
SELECT d AS domain, jsonb_array_length(c -> 'totals') AS measures, jsonb_array_length(c -> 'groups') AS branch_rows
FROM unnest(ARRAY['financial', 'operations', 'accounting', 'lab', 'staff', 'clinical', 'patients', 'inventory']) d,
     LATERAL odx_compare(d, ARRAY[1, 2]::bigint[], '2026-06-01', '2026-06-30') c;
ROLLBACK;
-- an unknown domain, a reversed range: typed errors (22023), the backend survives
SELECT odx_compare('payroll', ARRAY[1]::bigint[], '2026-06-01', '2026-06-30');
SELECT odx_compare('lab', ARRAY[1]::bigint[], '2026-06-30', '2026-06-01');
SELECT 1 AS still_connected;
