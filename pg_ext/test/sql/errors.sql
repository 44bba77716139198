-- Every error path: a SQLSTATE and a clear message, and the session goes on.
BEGIN;
CREATE FUNCTION pg_temp.outcome(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q, pg_temp.outcome(q) FROM (VALUES
    ($$SELECT odx_financial(ARRAY[1]::bigint[], '2026-07-01', '2026-06-30')$$),
    ($$SELECT odx_operations(ARRAY[1]::bigint[], '2026-07-01', '2026-06-30')$$),
    ($$SELECT odx_financial_by_branch(ARRAY[1]::bigint[], '2026-07-01', '2026-06-30')$$),
    ($$SELECT odx_operations_by_branch(ARRAY[1]::bigint[], '2026-07-01', '2026-06-30')$$),
    ($$SELECT odx_financial(ARRAY[1]::bigint[], '2016-01-01', '2026-06-30')$$),
    ($$SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', 'branch')$$),
    ($$SELECT odx_operations(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', '')$$),
    ($$SELECT odx_financial(ARRAY[1, NULL]::bigint[], '2026-06-01', '2026-06-30')$$),
    ($$SELECT odx_financial(ARRAY[1, 424242]::bigint[], '2026-06-01', '2026-06-30')$$),
    ($$SELECT odx_financial(ARRAY[[1, 2], [3, 4]]::bigint[], '2026-06-01', '2026-06-30')$$),
    ($$SELECT odx_financial_by_branch(ARRAY[[1]]::bigint[], '2026-06-01', '2026-06-30')$$),
    ($$SELECT odx_forecast_revenue(ARRAY[[1]]::bigint[], '2026-06-15')$$),
    ($$SELECT odx_financial('{}'::bigint[], '2026-06-01', '2026-06-30') IS NOT NULL$$),
    ($$SELECT odx_financial(ARRAY[1]::bigint[], '-infinity', '2026-06-30')$$),
    ($$SELECT odx_operations(ARRAY[1]::bigint[], '2026-06-01', 'infinity')$$),
    ($$SELECT odx_day_start('Mars/Olympus', '2026-06-01')$$),
    ($$SELECT odx_day_start('Asia/Karachi', 'infinity')$$),
    ($$SELECT odx_day_start('Asia/Karachi', '4000-01-01 BC')$$)
) t(q);
-- NULL arguments: strict functions return NULL
SELECT odx_financial(NULL, '2026-06-01', '2026-06-30') IS NULL AS null_ids,
       odx_operations(ARRAY[1]::bigint[], NULL, '2026-06-30') IS NULL AS null_from,
       odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', NULL) IS NULL AS null_group_by,
       odx_aging_bucket(NULL) IS NULL AS null_days,
       odx_day_start(NULL, '2026-06-01') IS NULL AS null_time_zone;
-- a bad time zone in app.clinics: refused for scopes that use the clinic only
UPDATE app.clinics SET timezone = 'Mars/Olympus' WHERE id = 2;
SELECT pg_temp.outcome($$SELECT odx_financial(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30')$$);
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' ->> 'billed' AS clinic_1_billed;
-- 100,000 ids that are not clinics: one typed error
SELECT pg_temp.outcome(format('SELECT odx_financial(%L::bigint[], %L, %L)',
       (SELECT array_agg(g) FROM generate_series(1000000, 1099999) g), '2026-06-01', '2026-06-30'));
SELECT 'still here' AS session;
ROLLBACK;
-- Dates the engine cannot place (year 1, the forecast's horizon past
-- 9999-12-31, an as-of instant in year 1): ODX_INVALID_DATE (22008), never
-- Postgres's own error from inside a statement.
SELECT odx_financial(ARRAY[1]::bigint[], '0001-01-01', '0001-01-31');
SELECT odx_forecast_no_shows(ARRAY[1]::bigint[], '9999-12-31');
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', 'clinic', '0001-01-01T00:00:00Z');
