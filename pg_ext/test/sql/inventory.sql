-- odx_inventory and odx_inventory_by_branch on the known-answer fixture
-- (values worked by hand in fixtures/known_answer/EXPECTED.md).
BEGIN;
SELECT key, value
FROM jsonb_each(odx_inventory(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals')
WHERE key NOT IN ('reorder_items', 'rebalance')
ORDER BY key;
-- what needs a reorder, the least cover first
SELECT l ->> 'clinic_id' AS clinic, l ->> 'sku' AS sku, l ->> 'qty_on_hand' AS qty,
       l ->> 'daily_consumption' AS daily, l ->> 'days_of_cover' AS cover
FROM jsonb_array_elements(odx_inventory(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'reorder_items') l;
-- the cross-branch transfers, and none for a branch alone
SELECT l ->> 'sku' AS sku, l ->> 'from_clinic_id' AS from_clinic, l ->> 'to_clinic_id' AS to_clinic, l ->> 'qty' AS qty
FROM jsonb_array_elements(odx_inventory(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'rebalance') l;
SELECT jsonb_array_length(odx_inventory(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' -> 'rebalance')
    AS transfers_alone;
SELECT * FROM odx_inventory_by_branch(ARRAY[2,1]::bigint[], '2026-06-01', '2026-06-30');
-- group_by doctor: stock belongs to the branch (the doctor_id null row)
SELECT g ->> 'clinic_id' AS clinic, g ->> 'doctor_id' AS doctor, g ->> 'stock_value' AS stock_value
FROM jsonb_array_elements(odx_inventory(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30', 'doctor') -> 'groups') g;
ROLLBACK;
