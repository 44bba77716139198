-- odx_clinical and odx_clinical_by_branch on the known-answer fixture (values
-- worked by hand in fixtures/known_answer/EXPECTED.md).
BEGIN;
SELECT key, value
FROM jsonb_each(odx_clinical(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals')
WHERE key NOT IN ('acceptance_by_doctor', 'top_procedures_by_volume', 'top_procedures_by_revenue')
ORDER BY key;
SELECT d ->> 'doctor_id' AS doctor, d ->> 'plans_created' AS created, d ->> 'plans_accepted' AS accepted,
       d ->> 'acceptance_rate' AS rate
FROM jsonb_array_elements(odx_clinical(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'acceptance_by_doctor') d;
SELECT p ->> 'procedure_code' AS code, p ->> 'volume' AS volume, p ->> 'revenue' AS revenue
FROM jsonb_array_elements(odx_clinical(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'top_procedures_by_revenue') p;
SELECT * FROM odx_clinical_by_branch(ARRAY[2,1]::bigint[], '2026-06-01', '2026-06-30');
-- group_by doctor: plans by their doctor, quotations by their plan's doctor
SELECT g ->> 'clinic_id' AS clinic, g ->> 'doctor_id' AS doctor, g ->> 'plans_created' AS plans,
       g ->> 'pipeline_value' AS pipeline, g ->> 'quotation_conversion' AS conversion
FROM jsonb_array_elements(odx_clinical(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'doctor') -> 'groups') g;
ROLLBACK;
