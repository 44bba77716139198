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
BEGIN;
ALTER TABLE app.appointments DROP COLUMN room_id;
SELECT odx_operations(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') -> 'missing' AS missing;
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') ->> 'degraded' AS financial_degraded;
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
