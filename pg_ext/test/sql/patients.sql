-- odx_patients and odx_patients_by_branch on the known-answer fixture (values
-- worked by hand in fixtures/known_answer/EXPECTED.md).
BEGIN;
SELECT key, value
FROM jsonb_each(odx_patients(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals')
WHERE key <> 'churn_list'
ORDER BY key;
-- the at-risk list, most valuable first
SELECT p ->> 'clinic_id' AS clinic, p ->> 'patient_id' AS patient, p ->> 'lifetime_billed' AS billed,
       p ->> 'last_visit_on' AS last_visit
FROM jsonb_array_elements(odx_patients(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'churn_list') p;
SELECT * FROM odx_patients_by_branch(ARRAY[2,1]::bigint[], '2026-06-01', '2026-06-30');
-- a 6-month window moves active_patients only
SELECT clinic_id, active_patients, churn_risk
FROM odx_patients_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 6);
SELECT odx_patients(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'none', 6) -> 'totals' ->> 'active_patients' AS active_6;
-- group_by doctor: patients belong to the branch (the doctor_id null row)
SELECT g ->> 'clinic_id' AS clinic, g ->> 'doctor_id' AS doctor, g ->> 'churn_risk' AS churn
FROM jsonb_array_elements(odx_patients(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'doctor') -> 'groups') g;
ROLLBACK;
-- a window outside 1..120 months is refused with a typed error
SELECT odx_patients(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', 'clinic', 0);
SELECT * FROM odx_patients_by_branch(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', 121);
