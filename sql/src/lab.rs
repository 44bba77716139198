//! The lab domain: its statements, each beside the decoder that turns
//! its rows (columns read by name) into core facts, and what it reads.

use crate::decode::{count, domain_acc, flag, id, money, need, text, Row, RowError};
use crate::queries::{as_of_dates, Query, QueryKind, FROM, LAST_DAY, TO};
use crate::schema::RequiredRelation;
use odx_core::lab::LabCaseFact;
use odx_core::rules::{DatePos, LAB_DUE_BEFORE_TO, RECEIVED_BEFORE_SENT};
use odx_core::{LabAcc, LabStatus};
use std::sync::LazyLock;

fn lab_cases() -> Query {
    // Every case sent on or before `to` (the open backlog starts before the
    // range), grouped by where its dates fall against `from..=to`
    // (0 before, 1 in, 2 after; core decides what each means).
    Query {
        kind: QueryKind::LabCases,
        relations: &["lab_cases"],
        sql: format!(
            "SELECT l.clinic_id, l.vendor::text AS vendor, l.status::text AS status, {sent} AS sent, {received} AS received,
       {due} AS due_before_to, {received_before_sent} AS received_before_sent, count(*)::int8 AS cases,
       sum(l.cost)::text AS cost, coalesce(sum(l.received_on - l.sent_on), 0)::int8 AS turnaround_days
FROM app.lab_cases l {as_of}
WHERE l.clinic_id = ANY($1::bigint[]) AND l.sent_on <= {TO}
GROUP BY 1, 2, 3, 4, 5, 6, 7",
            as_of = as_of_dates("l.clinic_id"),
            sent = DatePos::sql("l.sent_on", FROM, LAST_DAY),
            received = DatePos::sql("l.received_on", FROM, LAST_DAY),
            due = LAB_DUE_BEFORE_TO.sql("l.due_on", LAST_DAY),
            received_before_sent = RECEIVED_BEFORE_SENT.sql("l.received_on", "l.sent_on"),
        ),
    }
}

/// The statements of the lab domain.
pub static QUERIES: LazyLock<Vec<Query>> = LazyLock::new(|| vec![lab_cases()]);

/// Adds one row of a lab statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_lab(acc: &mut LabAcc, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
    let QueryKind::LabCases = kind else {
        return Err(RowError::Driver(format!("{kind:?} rows are not lab")));
    };
    let pos =
        |column: &'static str, v: i32| DatePos::from_index(v).ok_or(RowError::Parse { column, value: v.to_string() });
    acc.accum_case(&LabCaseFact {
        clinic_id: id(r, "clinic_id")?,
        vendor: text(r, "vendor")?,
        status: LabStatus::from_db(&text(r, "status")?),
        sent: pos("sent", need(r.int4("sent")?, "sent")?)?,
        received: r.int4("received")?.map(|v| pos("received", v)).transpose()?,
        due_before_to: flag(r, "due_before_to")?,
        received_before_sent: flag(r, "received_before_sent")?,
        cases: count(r, "cases")?,
        cost: money(r, "cost")?,
        turnaround_days: need(r.int8("turnaround_days")?, "turnaround_days")?,
    })?;
    Ok(())
}

domain_acc!(LabAcc, odx_core::LabReport, Lab, feed_lab);

/// No soft part: every figure needs all of [`REQUIRED`].
pub(crate) const SOFT: Option<crate::schema::SoftPart> = None;

/// The tables and columns the lab domain reads.
pub(crate) const REQUIRED: &[RequiredRelation] = &[
    RequiredRelation { table: "clinics", columns: &["id", "timezone"] },
    RequiredRelation {
        table: "lab_cases",
        columns: &["clinic_id", "vendor", "sent_on", "due_on", "received_on", "cost", "status"],
    },
];
