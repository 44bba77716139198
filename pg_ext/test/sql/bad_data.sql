-- Stored data odx cannot read is a typed error naming the table and the
-- column, never XX000: NaN where money is (22000 ODX_BAD_DATA), a number
-- beyond the exact decimal range (22003 ODX_OVERFLOW), a NULL in a column
-- odx reads as never null (22000 ODX_BAD_DATA; the code is in DETAIL). The
-- backend survives.
BEGIN;
UPDATE app.invoices SET total = 'NaN' WHERE id = (SELECT min(id) FROM app.invoices WHERE clinic_id = 1);
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') IS NULL;
ROLLBACK;
BEGIN;
ALTER TABLE app.invoices ALTER COLUMN total TYPE float8;
UPDATE app.invoices SET total = 1e300 WHERE id = (SELECT min(id) FROM app.invoices WHERE clinic_id = 1);
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') IS NULL;
ROLLBACK;
BEGIN;
ALTER TABLE app.appointments ALTER COLUMN status DROP NOT NULL;
UPDATE app.appointments SET status = NULL
WHERE id = (SELECT min(id) FROM app.appointments WHERE clinic_id = 1 AND starts_at >= '2026-06-02' AND starts_at < '2026-06-29');
SELECT odx_operations(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') IS NULL;
ROLLBACK;
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') -> 'totals' ->> 'billed' AS still_reads;
