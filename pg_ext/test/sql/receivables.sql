-- The receivables statement hands core only the invoices whose fact can
-- count (core's ReceivableFact::counts): any invoice of a status core does
-- not know, and a billed one that may not be settled (unpaid before the
-- scope's earliest as-of instant, or paid after it). Each case is added to
-- the known-answer fixture inside the transaction and the figures compared
-- with the fixture's own.
BEGIN;
CREATE TEMP TABLE was AS
SELECT b.clinic_id, b.outstanding, b.ar_31_60, b.credits,
       (r -> 'totals' ->> 'open_invoices')::int AS open_invoices,
       (r -> 'totals' -> 'data_quality' ->> 'unknown_receivable_status')::int AS unknown_status
FROM odx_financial_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') b,
     odx_financial(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') r;
-- J7 (Dubai): settled in May, 200 refunded at 23:50 on June 30 in Dubai,
-- after the end of June in Karachi (the scope's earliest as-of instant) and
-- before Dubai's: open for 200 at Dubai's end of June, aged 31-60.
INSERT INTO app.invoices (id, clinic_id, patient_id, doctor_id, issued_at, total, status, payer)
VALUES (27, 2, 201, 21, '2026-05-20T10:00:00+04:00', 2000, 'paid', 'self');
INSERT INTO app.payments (id, clinic_id, invoice_id, paid_at, amount, method)
VALUES (24, 2, 27, '2026-05-20T11:00:00+04:00', 2000, 'cash'),
       (25, 2, 27, '2026-06-30T23:50:00+04:00', -200, 'cash');
-- I15 (Karachi): a status core does not know, settled: counted in data
-- quality whatever its balance.
INSERT INTO app.invoices (id, clinic_id, patient_id, doctor_id, issued_at, total, status, payer)
VALUES (15, 1, 101, 11, '2026-05-10T10:00:00+05:00', 1500, 'written_off', 'self');
INSERT INTO app.payments (id, clinic_id, invoice_id, paid_at, amount, method)
VALUES (26, 1, 15, '2026-05-10T11:00:00+05:00', 1500, 'cash');
-- A doctor whose only invoice was settled in April: nothing to show, no row.
INSERT INTO app.users (id, clinic_id, name, role, status) VALUES (23, 2, 'Dr. Settled', 'doctor', 'active');
INSERT INTO app.invoices (id, clinic_id, patient_id, doctor_id, issued_at, total, status, payer)
VALUES (28, 2, 202, 23, '2026-04-10T10:00:00+04:00', 1000, 'paid', 'insurance');
INSERT INTO app.payments (id, clinic_id, invoice_id, paid_at, amount, method)
VALUES (27, 2, 28, '2026-04-12T10:00:00+04:00', 1000, 'insurance');
SELECT b.clinic_id, b.outstanding - w.outstanding AS outstanding, b.ar_31_60 - w.ar_31_60 AS ar_31_60,
       b.credits - w.credits AS credits
FROM odx_financial_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') b JOIN was w USING (clinic_id)
ORDER BY 1;
SELECT (r -> 'totals' ->> 'open_invoices')::int - w.open_invoices AS open_invoices,
       (r -> 'totals' -> 'data_quality' ->> 'unknown_receivable_status')::int - w.unknown_status AS unknown_status
FROM odx_financial(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30') r, (SELECT * FROM was LIMIT 1) w;
SELECT g ->> 'clinic_id' AS clinic, g ->> 'doctor_id' AS doctor, g ->> 'doctor_name' AS doctor_name, g ->> 'outstanding' AS outstanding
FROM jsonb_array_elements(odx_financial(ARRAY[2]::bigint[], '2026-06-01', '2026-06-30', 'doctor') -> 'groups') g;
ROLLBACK;
