-- odx_staff and odx_staff_by_branch on the known-answer fixture (values worked
-- by hand in fixtures/known_answer/EXPECTED.md).
BEGIN;
SELECT key, value
FROM jsonb_each(odx_staff(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals')
WHERE key <> 'headcount_by_role'
ORDER BY key;
SELECT r ->> 'role' AS role, r ->> 'staff' AS staff
FROM jsonb_array_elements(odx_staff(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'headcount_by_role') r;
SELECT * FROM odx_staff_by_branch(ARRAY[2,1]::bigint[], '2026-06-01', '2026-06-30');
-- one day: headcount as of June 1 (later hires are not staff yet), that day's attendance
SELECT * FROM odx_staff_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-01');
-- group_by doctor: staff belong to the branch
SELECT g ->> 'clinic_id' AS clinic, g ->> 'doctor_id' AS doctor, g ->> 'headcount' AS headcount
FROM jsonb_array_elements(odx_staff(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'doctor') -> 'groups') g;
ROLLBACK;
