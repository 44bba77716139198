-- odx_day_start: where a clinic's local day begins, as odx cuts days.
BEGIN;
SET LOCAL timezone = 'UTC';
-- the fixture's clinics, and a blank zone (Asia/Karachi)
SELECT c.id, c.timezone, odx_day_start(c.timezone, '2026-06-01') AS june_1
FROM app.clinics c WHERE c.id IN (1, 2) ORDER BY c.id;
SELECT odx_day_start('', '2026-06-01') AS blank, odx_day_start('  Asia/Karachi ', '2026-06-01') AS padded;
-- A DST gap at midnight (Santiago, 2019-09-08): the day starts at 01:00 local.
-- Pacific/Apia skipped 2011-12-30 whole: it starts where 2011-12-31 does.
SELECT tz, d, odx_day_start(tz, d) AS day_start, odx_day_start(tz, d + 1) - odx_day_start(tz, d) AS day_length
FROM (VALUES ('America/Santiago', '2019-09-08'::date), ('Pacific/Apia', '2011-12-30'::date),
             ('Pacific/Apia', '2011-12-29'::date)) t(tz, d);
-- Against Postgres's own reading of local midnight over 2011-2019: they agree
-- on every day except where midnight happens twice (Havana's fall-back), where
-- odx starts the day at the earlier midnight and Postgres takes the later.
SELECT tz, d, odx_day_start(tz, d) AS odx, d::timestamp AT TIME ZONE tz AS postgres
FROM unnest(ARRAY['Asia/Karachi', 'Asia/Dubai', 'America/Santiago', 'America/Havana', 'America/Sao_Paulo',
                  'Asia/Tehran']) tz,
     LATERAL (SELECT g::date AS d FROM generate_series('2011-01-01'::date, '2019-12-31'::date, '1 day') g) days
WHERE odx_day_start(tz, d) IS DISTINCT FROM d::timestamp AT TIME ZONE tz
ORDER BY 1, 2;
ROLLBACK;
