-- The accounting report (cash-basis P&L) written by hand, as an analyst would
-- without odx: clinics $1, local dates $2..$3 (inclusive). One row per branch
-- and a network row (clinic_id NULL), the same numbers as odx_accounting (the
-- benchmark checks every one before it times anything).
WITH c AS MATERIALIZED (
    SELECT id AS clinic_id,
           $2::date::timestamp AT TIME ZONE timezone AS t0,
           ($3::date + 1)::timestamp AT TIME ZONE timezone AS t1
    FROM app.clinics WHERE id = ANY($1::bigint[])
),
receipts AS (
    SELECT p.clinic_id, count(*) AS payments, sum(p.amount) AS receipts
    FROM c JOIN app.payments p ON p.clinic_id = c.clinic_id AND p.paid_at >= c.t0 AND p.paid_at < c.t1
    GROUP BY p.clinic_id
),
materials AS (
    SELECT i.clinic_id, sum(it.qty * it.unit_cost) AS materials
    FROM c JOIN app.invoices i ON i.clinic_id = c.clinic_id AND i.issued_at >= c.t0 AND i.issued_at < c.t1
    JOIN app.invoice_items it ON it.invoice_id = i.id
    WHERE i.status IN ('issued', 'partially_paid', 'paid')
    GROUP BY i.clinic_id
),
lab AS (
    SELECT l.clinic_id, sum(l.cost) AS lab_cost
    FROM app.lab_cases l
    WHERE l.clinic_id = ANY($1::bigint[]) AND l.sent_on BETWEEN $2::date AND $3::date
      AND l.status IN ('sent', 'received')
    GROUP BY l.clinic_id
),
opex AS (
    SELECT e.clinic_id, sum(e.amount) AS opex,
           sum(e.amount) FILTER (WHERE lower(trim(e.category)) = 'rent') AS rent
    FROM app.expenses e
    WHERE e.clinic_id = ANY($1::bigint[]) AND e.spent_on BETWEEN $2::date AND $3::date
    GROUP BY e.clinic_id
),
payroll AS (
    SELECT w.clinic_id, count(*) AS entries, sum(w.gross) AS payroll
    FROM app.payroll w
    WHERE w.clinic_id = ANY($1::bigint[]) AND w.paid_on BETWEEN $2::date AND $3::date
    GROUP BY w.clinic_id
),
branch AS (
    SELECT c.clinic_id,
           coalesce(r.receipts, 0) AS receipts, coalesce(r.payments, 0) AS payments,
           coalesce(m.materials, 0) AS materials, coalesce(l.lab_cost, 0) AS lab_cost,
           coalesce(o.opex, 0) AS opex, coalesce(o.rent, 0) AS rent,
           coalesce(w.payroll, 0) AS payroll, coalesce(w.entries, 0) AS entries
    FROM c LEFT JOIN receipts r USING (clinic_id) LEFT JOIN materials m USING (clinic_id)
    LEFT JOIN lab l USING (clinic_id) LEFT JOIN opex o USING (clinic_id) LEFT JOIN payroll w USING (clinic_id)
),
result AS (
    SELECT clinic_id, receipts, payments, materials, lab_cost, opex, rent, payroll, entries FROM branch
    UNION ALL
    SELECT NULL, coalesce(sum(receipts), 0), coalesce(sum(payments), 0), coalesce(sum(materials), 0),
           coalesce(sum(lab_cost), 0), coalesce(sum(opex), 0), coalesce(sum(rent), 0), coalesce(sum(payroll), 0),
           coalesce(sum(entries), 0)
    FROM branch
)
SELECT r.clinic_id,
       r.receipts::text AS receipts, r.payments::int8 AS payments,
       r.materials::text AS materials_cost, r.lab_cost::text AS lab_cost,
       (r.materials + r.lab_cost)::text AS direct_cost, r.opex::text AS opex, r.rent::text AS rent,
       r.payroll::text AS payroll, r.entries::int8 AS payroll_entries,
       (r.materials + r.lab_cost + r.opex + r.payroll)::text AS total_costs,
       (r.receipts - r.materials - r.lab_cost - r.opex - r.payroll)::text AS net_profit,
       CASE WHEN r.receipts > 0 THEN ((r.materials + r.lab_cost + r.opex + r.payroll) / r.receipts)::text END
           AS expense_ratio
FROM result r
