-- Text odx reads may be stored compressed or out of line (TOAST): a
-- branch's long name (compressed in its row) and long city (incompressible,
-- stored out of line) reach the answer whole, and a NULL stays NULL.
BEGIN;
UPDATE app.clinics SET name = repeat('Clifton Branch ', 400) || 'Karachi',
       city = (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 300) i)
WHERE id = 1;
SELECT pg_column_compression(name) AS name_stored, pg_column_size(name) < octet_length(name) AS name_compressed,
       pg_column_size(city) AS city_stored_size
FROM app.clinics WHERE id = 1;
SELECT b ->> 'branch_name' = repeat('Clifton Branch ', 400) || 'Karachi' AS name_whole,
       b ->> 'city' = (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 300) i) AS city_whole
FROM jsonb_array_elements(odx_network_overview(1, '2026-06-20') -> 'branches') b
WHERE (b ->> 'clinic_id')::bigint = 1;
SELECT length(r ->> 'branch_name') AS name_length, length(r ->> 'city') AS city_length
FROM jsonb_array_elements(odx_command(1, '2026-06-01', '2026-06-30') -> 'leaderboard') r
WHERE (r ->> 'clinic_id')::bigint = 1;
ROLLBACK;
