-- odx_operations and odx_operations_by_branch on the known-answer fixture.
BEGIN;
SELECT key, value
FROM jsonb_each(odx_operations(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals')
ORDER BY key;
SELECT clinic_id, appointments, booked, arrived, completed, cancelled, no_show, missed, scheduled,
       round(no_show_rate, 6) AS no_show_rate, round(cancel_rate, 6) AS cancel_rate,
       round(arrival_rate, 6) AS arrival_rate, round(completion_rate, 6) AS completion_rate, no_show_bleed,
       new_patients, returning_patients, round(doctor_utilization, 6) AS doctor_utilization,
       round(chair_utilization, 6) AS chair_utilization
FROM odx_operations_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30');
SELECT g ->> 'clinic_id' AS clinic, g ->> 'doctor_id' AS doctor, g -> 'appointments' ->> 'total' AS appointments,
       g ->> 'doctor_capacity_minutes' AS capacity, g ->> 'doctor_utilization' AS utilization
FROM jsonb_array_elements(odx_operations(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'doctor') -> 'groups') g;
ROLLBACK;
