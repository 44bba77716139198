-- The table forms' numeric columns are core's decimals exactly: every one
-- equals the jsonb report's decimal text, its scale and sign included, also
-- past 10^18 (a stock value of 22 digits from the largest cost and quantity
-- the schema's columns hold) and for a negative rate of 28 digits (a margin
-- below zero when materials cost more than was billed).
BEGIN;
UPDATE app.inventory_items SET unit_cost = 999999999999.99, qty_on_hand = 9999999999.99
WHERE id = (SELECT min(id) FROM app.inventory_items WHERE clinic_id = 1);
UPDATE app.invoice_items SET unit_cost = 123456789.01
WHERE id = (SELECT min(it.id) FROM app.invoice_items it JOIN app.invoices i ON i.id = it.invoice_id
            WHERE i.clinic_id = 2 AND i.issued_at >= '2026-06-01' AND i.status = 'paid');
CREATE TEMP TABLE numbers AS
WITH reports (domain, report) AS (
    VALUES ('inventory', odx_inventory(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30')),
           ('financial', odx_financial(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30'))
), tables (domain, clinic_id, columns) AS (
    SELECT 'inventory', b.clinic_id, to_jsonb(b) FROM odx_inventory_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') b
    UNION ALL
    SELECT 'financial', b.clinic_id, to_jsonb(b) FROM odx_financial_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') b
)
SELECT t.domain, t.clinic_id, c.key AS column_name, c.value::text AS table_text, g ->> c.key AS jsonb_text
FROM tables t
JOIN reports r USING (domain)
CROSS JOIN LATERAL jsonb_array_elements(r.report -> 'groups') g
CROSS JOIN LATERAL jsonb_each(t.columns) c
WHERE (g ->> 'clinic_id')::bigint = t.clinic_id AND jsonb_typeof(c.value) = 'number'
  AND jsonb_typeof(g -> c.key) = 'string';
-- the two cases named above
SELECT domain, clinic_id, column_name, table_text FROM numbers
WHERE (domain, column_name) IN (('inventory', 'stock_value'), ('financial', 'margin')) ORDER BY 1, 2;
-- every numeric column of both tables, compared
SELECT count(*) AS compared, count(*) FILTER (WHERE table_text IS DISTINCT FROM jsonb_text) AS differing FROM numbers;
SELECT * FROM numbers WHERE table_text IS DISTINCT FROM jsonb_text;
ROLLBACK;
