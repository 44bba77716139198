-- odx_lab and odx_lab_by_branch on the known-answer fixture (values worked
-- by hand in fixtures/known_answer/EXPECTED.md).
BEGIN;
SELECT key, value
FROM jsonb_each(odx_lab(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals')
WHERE key <> 'by_vendor'
ORDER BY key;
SELECT v ->> 'vendor' AS vendor, v ->> 'open_cases' AS open, v ->> 'overdue_cases' AS overdue,
       v ->> 'cases_sent' AS sent, v ->> 'lab_cost' AS cost, v ->> 'avg_turnaround_days' AS turnaround
FROM jsonb_array_elements(odx_lab(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'by_vendor') v;
SELECT * FROM odx_lab_by_branch(ARRAY[2,1]::bigint[], '2026-06-01', '2026-06-30');
-- as of an earlier day: the May backlog is open, nothing received yet in range
SELECT * FROM odx_lab_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-01');
-- group_by doctor: lab cases have no doctor
SELECT g ->> 'clinic_id' AS clinic, g ->> 'doctor_id' AS doctor, g ->> 'open_cases' AS open
FROM jsonb_array_elements(odx_lab(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'doctor') -> 'groups') g;
ROLLBACK;
