-- A missing table or column degrades the module that reads it; never an ERROR.
BEGIN;
DROP TABLE app.lab_cases;
SELECT r ->> 'degraded' AS degraded, r ->> 'module' AS module, r -> 'missing' AS missing, r -> 'totals' AS totals
FROM (VALUES (odx_financial(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30'))) v(r);
SELECT odx_operations(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS operations_degraded;
SELECT count(*) AS rows FROM odx_financial_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30');
SELECT odx_lab(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'missing' AS lab_missing;
SELECT count(*) AS rows FROM odx_lab_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30');
ROLLBACK;
BEGIN;
ALTER TABLE app.lab_cases DROP COLUMN received_on;
SELECT odx_lab(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') -> 'missing' AS lab_missing,
       odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS financial_degraded;
ROLLBACK;
-- Without appointments.room_id, operations leaves out chair utilization
-- only (and names it); every other figure is the whole report's. The
-- Command Center names it too and is otherwise whole.
BEGIN;
CREATE FUNCTION pg_temp.without_chairs(r jsonb) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_build_object(
        'totals', (r -> 'totals') - '{chair_booked_minutes,chair_capacity_minutes,chair_utilization}'::text[],
        'groups', (SELECT jsonb_agg(g - '{chair_booked_minutes,chair_capacity_minutes,chair_utilization}'::text[] ORDER BY n)
                   FROM jsonb_array_elements(r -> 'groups') WITH ORDINALITY x(g, n)))
$$;
CREATE TEMP TABLE whole AS
SELECT odx_operations(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'doctor') AS r,
       odx_command(1, '2026-06-01', '2026-06-30') AS command;
ALTER TABLE app.appointments DROP COLUMN room_id;
SELECT r -> 'missing' AS missing, r -> 'totals' -> 'chair_utilization' AS chair_utilization,
       (SELECT w.r -> 'totals' -> 'chair_utilization' FROM whole w) AS whole_chair_utilization,
       pg_temp.without_chairs(r) = (SELECT pg_temp.without_chairs(w.r) FROM whole w) AS the_rest_is_whole
FROM (VALUES (odx_operations(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'doctor'))) v(r);
SELECT clinic_id, branch_name, chair_utilization, round(no_show_rate, 6) AS no_show_rate
FROM odx_operations_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30');
SELECT c ->> 'degraded' AS degraded, c -> 'missing' AS missing,
       (c - '{missing,leaderboard,targets,alerts}'::text[]) = ((SELECT command FROM whole) - '{missing,leaderboard,targets,alerts}'::text[])
           AS headline_is_whole
FROM (VALUES (odx_command(1, '2026-06-01', '2026-06-30'))) v(c);
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS financial_degraded;
ROLLBACK;
-- The network overview reads only its day's invoices and appointments:
-- without lab_cases, payroll or room_id it is the same.
BEGIN;
CREATE TEMP TABLE whole AS SELECT odx_network_overview(1, '2026-06-20') AS o;
DROP TABLE app.lab_cases, app.payroll, app.payments;
ALTER TABLE app.appointments DROP COLUMN room_id;
SELECT o ->> 'degraded' AS degraded, o ->> 'billed' AS billed, o ->> 'appointments' AS appointments,
       o = (SELECT w.o FROM whole w) AS same
FROM (VALUES (odx_network_overview(1, '2026-06-20'))) v(o);
SELECT count(*) AS rows, sum(appointments) FILTER (WHERE clinic_id IS NULL) AS network_appointments
FROM odx_network_overview_rows(1, '2026-06-20');
-- Without the invoices it is degraded: the rows form returns none, with a
-- WARNING naming what is missing.
DROP TABLE app.invoices CASCADE;
SELECT o ->> 'degraded' AS degraded, o -> 'missing' AS missing FROM odx_network_overview(1, '2026-06-20') o;
SELECT count(*) AS rows FROM odx_network_overview_rows(1, '2026-06-20');
ROLLBACK;
BEGIN;
DROP TABLE app.payroll;
SELECT odx_accounting(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'missing' AS accounting_missing;
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS financial_degraded,
       odx_operations(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS operations_degraded;
SELECT count(*) AS rows FROM odx_accounting_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30');
ROLLBACK;
BEGIN;
DROP TABLE app.attendance_days;
SELECT odx_staff(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'missing' AS staff_missing;
SELECT count(*) AS rows FROM odx_staff_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30');
SELECT odx_accounting(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS accounting_degraded;
ROLLBACK;
BEGIN;
DROP TABLE app.quotations;
SELECT odx_clinical(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'missing' AS clinical_missing;
SELECT count(*) AS rows FROM odx_clinical_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30');
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS financial_degraded;
ROLLBACK;
BEGIN;
ALTER TABLE app.patients DROP COLUMN recall_due_on;
SELECT odx_patients(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'missing' AS patients_missing;
SELECT count(*) AS rows FROM odx_patients_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30');
SELECT odx_operations(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS operations_degraded;
ROLLBACK;
BEGIN;
DROP TABLE app.inventory_movements;
SELECT odx_inventory(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'missing' AS inventory_missing;
SELECT count(*) AS rows FROM odx_inventory_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30');
SELECT odx_patients(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS patients_degraded;
ROLLBACK;
