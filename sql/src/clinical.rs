//! The clinical domain: its statements, each beside the decoder that turns
//! its rows (columns read by name) into core facts, and what it reads.

use crate::decode::{count, domain_acc, id, money, need, text, Row, RowError};
use crate::queries::{billed_statuses, by_doctor_groups, Query, QueryKind, SCOPE_CTE};
use crate::schema::RequiredRelation;
use odx_core::clinical::{PlanFact, PlanFeesFact, ProcedureLineFact, QuotationFact};
use odx_core::{ClinicalAcc, InvoiceStatus, PlanStatus, ProcedureStatus, QuotationStatus};
use std::sync::LazyLock;

fn plans() -> Query {
    // The plan's doctor in every grouping: core lists acceptance per doctor.
    Query {
        kind: QueryKind::Plans,
        relations: &["treatment_plans"],
        sql: format!(
            "{SCOPE_CTE},
g AS MATERIALIZED (
    SELECT t.clinic_id, t.doctor_id, t.status,
           t.created_at >= s.range_start AND t.created_at < s.as_of AS in_range, count(*) AS n
    FROM s JOIN app.treatment_plans t ON t.clinic_id = s.clinic_id AND t.clinic_id = ANY($1::bigint[])
    WHERE t.created_at >= $9 AND t.created_at < $10
    GROUP BY 1, 2, 3, 4
)
SELECT clinic_id, doctor_id, status::text AS status, n::int8 AS plans FROM g WHERE in_range"
        ),
    }
}

fn plan_fees() -> Query {
    Query {
        kind: QueryKind::PlanFees,
        relations: &["treatment_plans", "treatment_plan_procedures"],
        sql: format!(
            "{SCOPE_CTE},
g AS MATERIALIZED (
    SELECT t.clinic_id, CASE WHEN $8::bool THEN t.doctor_id END AS doctor_id, t.status AS plan_status, pp.status,
           t.created_at >= s.range_start AND t.created_at < s.as_of AS in_range, count(*) AS n, sum(pp.fee) AS fees
    FROM s JOIN app.treatment_plans t ON t.clinic_id = s.clinic_id AND t.clinic_id = ANY($1::bigint[])
    JOIN app.treatment_plan_procedures pp ON pp.plan_id = t.id
    WHERE t.created_at >= $9 AND t.created_at < $10
    GROUP BY 1, 2, 3, 4, 5
)
SELECT clinic_id, doctor_id, plan_status::text AS plan_status, status::text AS procedure_status,
       n::int8 AS procedures, fees::text AS fees
FROM g WHERE in_range"
        ),
    }
}

fn quotations() -> Query {
    let groups =
        by_doctor_groups("app.treatment_plans d ON d.id = r.plan_id", &["r.status", "r.in_range"], "count(*) AS n");
    Query {
        kind: QueryKind::Quotations,
        relations: &["quotations", "treatment_plans"],
        sql: format!(
            "{SCOPE_CTE},
r AS NOT MATERIALIZED (
    SELECT q.clinic_id, q.plan_id, q.status, q.created_at >= s.range_start AND q.created_at < s.as_of AS in_range
    FROM s JOIN app.quotations q ON q.clinic_id = s.clinic_id AND q.clinic_id = ANY($1::bigint[])
    WHERE q.created_at >= $9 AND q.created_at < $10
),
{groups}
SELECT clinic_id, doctor_id, status::text AS status, n::int8 AS quotations FROM g WHERE in_range"
        ),
    }
}

fn procedure_lines() -> Query {
    // Core keeps the items of billed invoices: the statement reads only those.
    let billed = billed_statuses();
    Query {
        kind: QueryKind::ProcedureLines,
        relations: &["invoices", "invoice_items"],
        sql: format!(
            "{SCOPE_CTE},
g AS MATERIALIZED (
    SELECT i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END AS doctor_id, i.status, it.procedure_code,
           i.issued_at >= s.range_start AND i.issued_at < s.as_of AS in_range,
           sum(it.qty) AS qty, sum(it.qty * it.unit_price) AS revenue
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    JOIN app.invoice_items it ON it.invoice_id = i.id
    WHERE i.issued_at >= $9 AND i.issued_at < $10 AND i.status IN ({billed})
    GROUP BY 1, 2, 3, 4, 5
)
SELECT clinic_id, doctor_id, status::text AS status, procedure_code::text AS procedure_code, qty::int8 AS qty,
       revenue::text AS revenue
FROM g WHERE in_range"
        ),
    }
}

/// The statements of the clinical domain.
pub static QUERIES: LazyLock<Vec<Query>> =
    LazyLock::new(|| vec![plans(), plan_fees(), quotations(), procedure_lines()]);

/// Adds one row of a clinical statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_clinical(acc: &mut ClinicalAcc, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
    match kind {
        QueryKind::Plans => acc.accum_plan(&PlanFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            status: PlanStatus::from_db(&text(r, "status")?),
            plans: count(r, "plans")?,
        })?,
        QueryKind::PlanFees => acc.accum_plan_fees(&PlanFeesFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            plan_status: PlanStatus::from_db(&text(r, "plan_status")?),
            procedure_status: ProcedureStatus::from_db(&text(r, "procedure_status")?),
            procedures: count(r, "procedures")?,
            fees: money(r, "fees")?,
        })?,
        QueryKind::Quotations => acc.accum_quotation(&QuotationFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            status: QuotationStatus::from_db(&text(r, "status")?),
            quotations: count(r, "quotations")?,
        })?,
        QueryKind::ProcedureLines => acc.accum_procedure_line(&ProcedureLineFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            status: InvoiceStatus::from_db(&text(r, "status")?),
            procedure_code: text(r, "procedure_code")?,
            qty: need(r.int8("qty")?, "qty")?,
            revenue: money(r, "revenue")?,
        })?,
        other => return Err(RowError::Driver(format!("{other:?} rows are not clinical"))),
    }
    Ok(())
}

domain_acc!(ClinicalAcc, odx_core::ClinicalReport, Clinical, feed_clinical);

/// No soft part: every figure needs all of [`REQUIRED`].
pub(crate) const SOFT: Option<crate::schema::SoftPart> = None;

/// The tables and columns the clinical domain reads.
pub(crate) const REQUIRED: &[RequiredRelation] = &[
    RequiredRelation { table: "clinics", columns: &["id", "timezone"] },
    RequiredRelation { table: "treatment_plans", columns: &["id", "clinic_id", "doctor_id", "created_at", "status"] },
    RequiredRelation { table: "treatment_plan_procedures", columns: &["plan_id", "fee", "status"] },
    RequiredRelation { table: "quotations", columns: &["clinic_id", "plan_id", "status", "created_at"] },
    RequiredRelation { table: "invoices", columns: &["id", "clinic_id", "doctor_id", "issued_at", "status"] },
    RequiredRelation { table: "invoice_items", columns: &["invoice_id", "procedure_code", "qty", "unit_price"] },
];
