//! The accounting domain: its statements, each beside the decoder that turns
//! its rows (columns read by name) into core facts, and what it reads.

use crate::decode::{count, domain_acc, id, money, text, Row, RowError};
use crate::financial::{invoice_fact, lab_cost_fact, lab_costs, payment_fact};
use crate::queries::{
    as_of_dates, billed_statuses, by_doctor_groups, sql_list, Query, QueryKind, FROM, LAST_DAY, SCOPE_CTE, TO,
};
use crate::schema::RequiredRelation;
use odx_core::accounting::{ExpenseFact, MaterialsFact, PayrollFact, ReceiptFact};
use odx_core::rules::in_range_sql;
use odx_core::{AccountingAcc, InvoiceStatus};
use std::sync::LazyLock;

fn receipts() -> Query {
    let groups = by_doctor_groups(
        "app.invoices d ON d.id = r.invoice_id",
        &["r.in_range"],
        "count(*) AS n, sum(r.amount) AS amount",
    );
    Query {
        kind: QueryKind::Receipts,
        relations: &["payments", "invoices"],
        sql: format!(
            "{SCOPE_CTE},
r AS NOT MATERIALIZED (
    SELECT p.clinic_id, p.invoice_id, p.paid_at >= s.range_start AND p.paid_at < s.as_of AS in_range, p.amount
    FROM s JOIN app.payments p ON p.clinic_id = s.clinic_id AND p.clinic_id = ANY($1::bigint[])
    WHERE p.paid_at >= $9 AND p.paid_at < $10
),
{groups}
SELECT clinic_id, doctor_id, n::int8 AS payments, amount::text AS amount FROM g WHERE in_range"
        ),
    }
}

fn materials() -> Query {
    // The items of billed invoices (core's statuses) by clinic and doctor,
    // and the invoices whose status core does not know (data quality).
    let billed = billed_statuses();
    let listed = sql_list(InvoiceStatus::LISTED.iter().map(|s| s.as_str()));
    Query {
        kind: QueryKind::Materials,
        relations: &["invoices", "invoice_items"],
        sql: format!(
            "{SCOPE_CTE},
inv AS NOT MATERIALIZED (
    SELECT i.id, i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END AS doctor_id,
           i.issued_at >= s.range_start AND i.issued_at < s.as_of AS in_range, i.status
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    WHERE i.issued_at >= $9 AND i.issued_at < $10
),
g AS MATERIALIZED (
    SELECT inv.clinic_id, inv.doctor_id, inv.in_range, 0 AS n, sum(it.qty * it.unit_cost) AS materials
    FROM inv JOIN app.invoice_items it ON it.invoice_id = inv.id
    WHERE inv.status IN ({billed})
    GROUP BY 1, 2, 3
    UNION ALL
    SELECT clinic_id, doctor_id, in_range, count(*), 0 FROM inv
    WHERE status NOT IN ({listed})
    GROUP BY 1, 2, 3
)
SELECT clinic_id, doctor_id, n::int8 AS unknown_status, materials::text AS materials FROM g WHERE in_range"
        ),
    }
}

fn expenses() -> Query {
    Query {
        kind: QueryKind::Expenses,
        relations: &["expenses"],
        sql: format!(
            "SELECT e.clinic_id, e.category::text AS category, count(*)::int8 AS expenses, sum(e.amount)::text AS amount
FROM app.expenses e {as_of}
WHERE e.clinic_id = ANY($1::bigint[]) AND e.spent_on <= {TO} AND {in_range}
GROUP BY 1, 2",
            as_of = as_of_dates("e.clinic_id"),
            in_range = in_range_sql("e.spent_on", FROM, LAST_DAY),
        ),
    }
}

pub(crate) fn payroll() -> Query {
    Query {
        kind: QueryKind::Payroll,
        relations: &["payroll"],
        sql: format!(
            "SELECT w.clinic_id, count(*)::int8 AS entries, sum(w.gross)::text AS gross
FROM app.payroll w {as_of}
WHERE w.clinic_id = ANY($1::bigint[]) AND w.paid_on <= {TO} AND {in_range}
GROUP BY 1",
            as_of = as_of_dates("w.clinic_id"),
            in_range = in_range_sql("w.paid_on", FROM, LAST_DAY),
        ),
    }
}

/// The statements of the accounting domain.
pub static QUERIES: LazyLock<Vec<Query>> =
    LazyLock::new(|| vec![receipts(), materials(), lab_costs(), expenses(), payroll()]);

/// A row of the payroll statement (accounting and staff read it).
pub(crate) fn payroll_fact(r: &dyn Row) -> Result<PayrollFact, RowError> {
    Ok(PayrollFact { clinic_id: id(r, "clinic_id")?, entries: count(r, "entries")?, gross: money(r, "gross")? })
}

/// Adds one row of an accounting statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_accounting(acc: &mut AccountingAcc, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
    match kind {
        QueryKind::Receipts => acc.accum_receipt(&ReceiptFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            payments: count(r, "payments")?,
            amount: money(r, "amount")?,
        })?,
        QueryKind::Materials => acc.accum_materials(&MaterialsFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            unknown_status: count(r, "unknown_status")?,
            materials: money(r, "materials")?,
        })?,
        // The financial domain's rows, when a call reads both (see
        // QueryKind::served_by): core's rules make them receipts and materials.
        QueryKind::Payments => acc.accum_receipt(&ReceiptFact::of_payments(&payment_fact(r)?))?,
        QueryKind::Invoices => acc.accum_materials(&MaterialsFact::of_invoices(&invoice_fact(r)?))?,
        QueryKind::LabCosts => acc.accum_lab_cost(&lab_cost_fact(r)?)?,
        QueryKind::Expenses => acc.accum_expense(&ExpenseFact {
            clinic_id: id(r, "clinic_id")?,
            category: text(r, "category")?,
            expenses: count(r, "expenses")?,
            amount: money(r, "amount")?,
        })?,
        QueryKind::Payroll => acc.accum_payroll(&payroll_fact(r)?)?,
        other => return Err(RowError::Driver(format!("{other:?} rows are not accounting"))),
    }
    Ok(())
}

domain_acc!(AccountingAcc, odx_core::AccountingReport, Accounting, feed_accounting);

/// No soft part: every figure needs all of [`REQUIRED`].
pub(crate) const SOFT: Option<crate::schema::SoftPart> = None;

/// The tables and columns the accounting domain reads.
pub(crate) const REQUIRED: &[RequiredRelation] = &[
    RequiredRelation { table: "clinics", columns: &["id", "timezone"] },
    RequiredRelation { table: "payments", columns: &["clinic_id", "invoice_id", "paid_at", "amount"] },
    RequiredRelation { table: "invoices", columns: &["id", "clinic_id", "doctor_id", "issued_at", "status"] },
    RequiredRelation { table: "invoice_items", columns: &["invoice_id", "qty", "unit_cost"] },
    RequiredRelation { table: "lab_cases", columns: &["clinic_id", "sent_on", "cost", "status"] },
    RequiredRelation { table: "expenses", columns: &["clinic_id", "category", "amount", "spent_on"] },
    RequiredRelation { table: "payroll", columns: &["clinic_id", "gross", "paid_on"] },
];
