-- The indexes odx expects a per-clinic application's database to have.
--
-- Optional: odx is correct without any of them (every statement also runs on
-- primary keys alone), and none is odx-specific. They are the indexes a
-- clinic application keeps for its own screens anyway (a branch's invoices
-- of a day, a patient's payments, an invoice's lines ...), so odx reads
-- through them rather than asking for its own. Each statement bounds its
-- scan by `clinic_id = ANY($1)` and a constant time window, which is what
-- the `(clinic_id, <time>)` pairs serve; the `*_id` ones serve the joins
-- from an invoice to its items and payments. Idempotent: safe to run again.
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f sql/sql/indexes.sql
--
-- The benchmark data loads them (scripts/bench-data.sh), and odx-pg-bench
-- measures every case with and without them (--indexes).

-- financial, accounting, the network overview
CREATE INDEX IF NOT EXISTS invoices_clinic_issued_idx ON app.invoices (clinic_id, issued_at);
-- a patient's invoices (the patient's file; the patients domain's lifetime
-- billed of each patient at risk of churning)
CREATE INDEX IF NOT EXISTS invoices_patient_idx ON app.invoices (patient_id);
CREATE INDEX IF NOT EXISTS invoice_items_invoice_idx ON app.invoice_items (invoice_id);
CREATE INDEX IF NOT EXISTS payments_invoice_idx ON app.payments (invoice_id);
CREATE INDEX IF NOT EXISTS payments_clinic_paid_idx ON app.payments (clinic_id, paid_at);
CREATE INDEX IF NOT EXISTS expenses_clinic_spent_idx ON app.expenses (clinic_id, spent_on);
CREATE INDEX IF NOT EXISTS payroll_clinic_paid_idx ON app.payroll (clinic_id, paid_on);
-- operations, patients, the network overview
CREATE INDEX IF NOT EXISTS appointments_clinic_starts_idx ON app.appointments (clinic_id, starts_at);
CREATE INDEX IF NOT EXISTS patients_clinic_idx ON app.patients (clinic_id);
-- clinical
CREATE INDEX IF NOT EXISTS treatment_plans_clinic_created_idx ON app.treatment_plans (clinic_id, created_at);
CREATE INDEX IF NOT EXISTS treatment_plan_procedures_plan_idx ON app.treatment_plan_procedures (plan_id);
CREATE INDEX IF NOT EXISTS quotations_clinic_created_idx ON app.quotations (clinic_id, created_at);
-- staff
CREATE INDEX IF NOT EXISTS attendance_days_clinic_day_idx ON app.attendance_days (clinic_id, day);
-- inventory
CREATE INDEX IF NOT EXISTS inventory_items_clinic_idx ON app.inventory_items (clinic_id);
CREATE INDEX IF NOT EXISTS inventory_movements_clinic_moved_idx ON app.inventory_movements (clinic_id, moved_at);
-- lab
CREATE INDEX IF NOT EXISTS lab_cases_clinic_sent_idx ON app.lab_cases (clinic_id, sent_on);
