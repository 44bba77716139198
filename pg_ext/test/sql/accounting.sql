-- odx_accounting and odx_accounting_by_branch on the known-answer fixture
-- (values worked by hand in fixtures/known_answer/EXPECTED.md).
BEGIN;
SELECT key, value
FROM jsonb_each(odx_accounting(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals')
WHERE key <> 'opex_by_category'
ORDER BY key;
SELECT l ->> 'category' AS category, l ->> 'expenses' AS expenses, l ->> 'amount' AS amount,
       round((l ->> 'share')::numeric, 6) AS share
FROM jsonb_array_elements(odx_accounting(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'opex_by_category') l;
SELECT clinic_id, receipts, materials_cost, lab_cost, direct_cost, opex, payroll, total_costs, net_profit,
       round(expense_ratio, 6) AS expense_ratio
FROM odx_accounting_by_branch(ARRAY[2,1]::bigint[], '2026-06-01', '2026-06-30');
-- group_by doctor: receipts and materials on the invoice's doctor, overheads on the no-doctor row
SELECT g ->> 'clinic_id' AS clinic, g ->> 'doctor_id' AS doctor, g ->> 'receipts' AS receipts,
       g ->> 'direct_cost' AS direct_cost, g ->> 'opex' AS opex, g ->> 'payroll' AS payroll, g ->> 'net_profit' AS net_profit
FROM jsonb_array_elements(odx_accounting(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'doctor') -> 'groups') g;
-- an empty array: zeroed totals, no expense ratio, no groups
SELECT r -> 'totals' ->> 'net_profit' AS net_profit, r -> 'totals' -> 'expense_ratio' AS expense_ratio,
       jsonb_array_length(r -> 'groups') AS groups
FROM (VALUES (odx_accounting(ARRAY[]::bigint[], '2026-06-01', '2026-06-30'))) v(r);
ROLLBACK;
