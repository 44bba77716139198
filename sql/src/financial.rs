//! The financial domain: its statements, each beside the decoder that turns
//! its rows (columns read by name) into core facts, and what it reads.

use crate::decode::{count, domain_acc, id, index, money, text, Row, RowError};
use crate::queries::{
    as_of_dates, billed_statuses, by_doctor_groups, inner_bucket, sql_list, Query, QueryKind, FROM, LAST_DAY,
    SPLIT_SCOPE_CTE, TO,
};
use crate::schema::RequiredRelation;
use odx_core::financial::{InvoiceFact, LabCostFact, PaymentFact, ReceivableFact};
use odx_core::rules::in_range_sql;
use odx_core::{AgingBucket, FinancialAcc, InvoiceStatus, LabStatus, Payer, PaymentMethod};
use std::sync::LazyLock;

fn invoices() -> Query {
    Query {
        kind: QueryKind::Invoices,
        relations: &["invoices", "invoice_items"],
        // Invoices and their items aggregate straight into the (clinic,
        // doctor, bucket, status) groups: no per-invoice aggregate.
        sql: format!(
            "{SPLIT_SCOPE_CTE},
inv AS NOT MATERIALIZED (
    SELECT i.id, i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END AS doctor_id,
           width_bucket(i.issued_at, s.cuts) - 1 AS bucket, s.buckets,
           {inner} AS inner_bucket, i.status, i.total
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    WHERE i.issued_at >= $9 AND i.issued_at < $10
),
g AS MATERIALIZED (
    SELECT clinic_id, doctor_id, bucket, inner_bucket, status, max(buckets) AS buckets, sum(n) AS n,
           sum(total) AS total, sum(materials) AS materials
    FROM (
        SELECT clinic_id, doctor_id, bucket, buckets, inner_bucket, status, 1 AS n, total, 0::numeric AS materials
        FROM inv
        UNION ALL
        SELECT inv.clinic_id, inv.doctor_id, inv.bucket, inv.buckets, inv.inner_bucket, inv.status, 0, 0::numeric,
               it.qty * it.unit_cost
        FROM inv JOIN app.invoice_items it ON it.invoice_id = inv.id
    ) x
    GROUP BY 1, 2, 3, 4, 5
)
SELECT clinic_id, doctor_id, bucket::int4 AS bucket, inner_bucket::int4 AS inner_bucket, status::text AS status,
       n::int8 AS invoices, total::text AS total, materials::text AS materials
FROM g WHERE bucket >= 0 AND bucket < buckets",
            inner = inner_bucket("i.issued_at"),
        ),
    }
}

fn payments() -> Query {
    let groups = by_doctor_groups(
        "app.invoices d ON d.id = r.invoice_id",
        &["r.bucket", "r.inner_bucket", "r.method"],
        "max(r.buckets) AS buckets, count(*) AS n, sum(r.amount) AS amount",
    );
    Query {
        kind: QueryKind::Payments,
        relations: &["payments", "invoices"],
        sql: format!(
            "{SPLIT_SCOPE_CTE},
r AS NOT MATERIALIZED (
    SELECT p.clinic_id, p.invoice_id, width_bucket(p.paid_at, s.cuts) - 1 AS bucket, {inner} AS inner_bucket,
           p.method, s.buckets, p.amount
    FROM s JOIN app.payments p ON p.clinic_id = s.clinic_id AND p.clinic_id = ANY($1::bigint[])
    WHERE p.paid_at >= $9 AND p.paid_at < $10
),
{groups}
SELECT clinic_id, doctor_id, bucket::int4 AS bucket, inner_bucket::int4 AS inner_bucket, method::text AS method,
       n::int8 AS payments, amount::text AS amount
FROM g WHERE bucket >= 0 AND bucket < buckets",
            inner = inner_bucket("p.paid_at"),
        ),
    }
}

fn receivables() -> Query {
    // Only the invoices whose fact can count (`ReceivableFact::counts`, core's
    // statuses as literals): a status core does not know, or a billed one
    // whose balance may not be zero (something unpaid before the earliest
    // as-of instant, or a payment after it). A settled invoice adds nothing,
    // and most are settled: on the benchmark data, as of the end of June
    // 2026, 41,575 of its 336,446 invoices go on to the grouping, which
    // then takes the same time whether Postgres hashes or sorts (its choice
    // follows the sample `ANALYZE` took). Statuses are compared byte for
    // byte, as core compares them.
    let billed = billed_statuses();
    let listed = sql_list(InvoiceStatus::LISTED.iter().map(|s| s.as_str()));
    Query {
        kind: QueryKind::Receivables,
        relations: &["invoices", "payments"],
        // Each invoice's balance at its clinic's as-of instant. Only the
        // as-of parameters are read ($1, $4, $5, $8, $10, $16: not the range), so
        // every scope of one call with the same instant asks the very same
        // statement, which the call runs once (the Command Center's range
        // and month to date). Invoices and their payments are read in id
        // order and summed per invoice as they stream (a merge on the
        // primary key and `payments (invoice_id)`: no per-invoice hash or
        // sort); payments before the scope's earliest instant ($16, a
        // constant the planner sees, where a subquery of `s` was an InitPlan
        // for each use: 505 -> 440 ms at 40 branches over a year) are summed
        // at once, the few after it kept for their clinic's own instant (a
        // branch in a later time zone). The invoice's columns are grouped
        // on beside its id: Postgres drops them given the primary key, and
        // a database without it still gets the same answer.
        sql: format!(
            "WITH s AS MATERIALIZED (
    SELECT u.clinic_id, u.as_of::timestamptz AS as_of, u.aging_cuts::timestamptz[] AS aging_cuts
    FROM unnest($1::bigint[], $4::text[], $5::text[]) AS u(clinic_id, as_of, aging_cuts)
),
b AS (
    SELECT i.id, i.clinic_id, i.doctor_id, i.issued_at, i.status, i.payer,
           i.total - coalesce(sum(p.amount) FILTER (WHERE p.paid_at < $16), 0) AS due,
           array_agg(p.paid_at) FILTER (WHERE p.paid_at >= $16) AS late_at,
           array_agg(p.amount) FILTER (WHERE p.paid_at >= $16) AS late_amount
    FROM app.invoices i
    LEFT JOIN app.payments p ON p.invoice_id = i.id AND p.paid_at < $10
    WHERE i.clinic_id = ANY($1::bigint[]) AND i.issued_at < $10
    GROUP BY i.id, i.clinic_id, i.doctor_id, i.issued_at, i.status, i.payer, i.total
    HAVING i.status COLLATE \"C\" NOT IN ({listed})
        OR i.status COLLATE \"C\" IN ({billed})
           AND (i.total <> coalesce(sum(p.amount) FILTER (WHERE p.paid_at < $16), 0)
                OR bool_or(p.paid_at >= $16))
)
SELECT b.clinic_id, CASE WHEN $8::bool THEN b.doctor_id END AS doctor_id,
       width_bucket(b.issued_at, s.aging_cuts)::int4 AS aging, b.status::text AS status, b.payer::text AS payer,
       count(*)::int8 AS invoices, sum(x.balance)::text AS balance
FROM b JOIN s ON s.clinic_id = b.clinic_id AND b.issued_at < s.as_of
CROSS JOIN LATERAL (
    SELECT b.due - CASE WHEN b.late_at IS NULL THEN 0 ELSE coalesce(
        (SELECT sum(l.amount) FROM unnest(b.late_at, b.late_amount) AS l(paid_at, amount) WHERE l.paid_at < s.as_of), 0)
    END AS balance
) x
GROUP BY 1, 2, 3, 4, 5, x.balance > 0"
        ),
    }
}

pub(crate) fn lab_costs() -> Query {
    Query {
        kind: QueryKind::LabCosts,
        relations: &["lab_cases"],
        sql: format!(
            "SELECT l.clinic_id, l.status::text AS status, count(*)::int8 AS cases, sum(l.cost)::text AS cost
FROM app.lab_cases l {as_of}
WHERE l.clinic_id = ANY($1::bigint[]) AND l.sent_on <= {TO} AND {in_range}
GROUP BY 1, 2",
            as_of = as_of_dates("l.clinic_id"),
            in_range = in_range_sql("l.sent_on", FROM, LAST_DAY),
        ),
    }
}

/// The statements of the financial domain.
pub static QUERIES: LazyLock<Vec<Query>> = LazyLock::new(|| vec![invoices(), payments(), receivables(), lab_costs()]);

pub(crate) fn invoice_fact(r: &dyn Row) -> Result<InvoiceFact, RowError> {
    Ok(InvoiceFact {
        clinic_id: id(r, "clinic_id")?,
        doctor_id: r.int8("doctor_id")?,
        bucket: index(r, "bucket")?,
        status: InvoiceStatus::from_db(&text(r, "status")?),
        invoices: count(r, "invoices")?,
        total: money(r, "total")?,
        materials: money(r, "materials")?,
    })
}

pub(crate) fn payment_fact(r: &dyn Row) -> Result<PaymentFact, RowError> {
    Ok(PaymentFact {
        clinic_id: id(r, "clinic_id")?,
        doctor_id: r.int8("doctor_id")?,
        bucket: index(r, "bucket")?,
        method: PaymentMethod::from_db(&text(r, "method")?),
        payments: count(r, "payments")?,
        amount: money(r, "amount")?,
    })
}

pub(crate) fn lab_cost_fact(r: &dyn Row) -> Result<LabCostFact, RowError> {
    Ok(LabCostFact {
        clinic_id: id(r, "clinic_id")?,
        status: LabStatus::from_db(&text(r, "status")?),
        cases: count(r, "cases")?,
        cost: money(r, "cost")?,
    })
}

/// Adds one row of a financial statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_financial(acc: &mut FinancialAcc, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
    match kind {
        // The billed invoices without their materials (the overview's day).
        QueryKind::Invoices | QueryKind::Tickets => acc.accum_invoice(&invoice_fact(r)?)?,
        QueryKind::Payments => acc.accum_payment(&payment_fact(r)?)?,
        QueryKind::Receivables => {
            let position = index(r, "aging")?;
            let aging = AgingBucket::from_cut_position(position)
                .ok_or(RowError::Parse { column: "aging", value: position.to_string() })?;
            acc.accum_receivable(&ReceivableFact {
                clinic_id: id(r, "clinic_id")?,
                doctor_id: r.int8("doctor_id")?,
                aging,
                status: InvoiceStatus::from_db(&text(r, "status")?),
                payer: Payer::from_db(&text(r, "payer")?),
                invoices: count(r, "invoices")?,
                balance: money(r, "balance")?,
            })?
        }
        QueryKind::LabCosts => acc.accum_lab_cost(&lab_cost_fact(r)?)?,
        other => return Err(RowError::Driver(format!("{other:?} rows are not financial"))),
    }
    Ok(())
}

domain_acc!(FinancialAcc, odx_core::FinancialReport, Financial, feed_financial);

/// No soft part: every figure needs all of [`REQUIRED`].
pub(crate) const SOFT: Option<crate::schema::SoftPart> = None;

/// The tables and columns the financial domain reads.
pub(crate) const REQUIRED: &[RequiredRelation] = &[
    RequiredRelation { table: "clinics", columns: &["id", "timezone"] },
    RequiredRelation {
        table: "invoices",
        columns: &["id", "clinic_id", "doctor_id", "issued_at", "total", "status", "payer"],
    },
    RequiredRelation { table: "invoice_items", columns: &["invoice_id", "qty", "unit_cost"] },
    RequiredRelation { table: "payments", columns: &["clinic_id", "invoice_id", "paid_at", "amount", "method"] },
    RequiredRelation { table: "lab_cases", columns: &["clinic_id", "sent_on", "cost", "status"] },
];
