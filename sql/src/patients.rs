//! The patients domain: its statements, each beside the decoder that turns
//! its rows (columns read by name) into core facts, and what it reads.

use crate::decode::{count, domain_acc, flag, id, money, text, Row, RowError};
use crate::queries::{billed_statuses, Query, QueryKind, FROM, SCOPE_CTE};
use crate::schema::RequiredRelation;
use odx_core::patients::{DormantPatient, PatientFact};
use odx_core::rules::{DatePos, RECALL_BEFORE_TO, SEEN_SINCE_RECALL};
use odx_core::{AppointmentStatus, PatientsAcc};
use std::sync::LazyLock;

fn patient_records() -> Query {
    let completed = AppointmentStatus::Completed.as_str();
    let booked = AppointmentStatus::Booked.as_str();
    let billed = billed_statuses();
    Query {
        kind: QueryKind::PatientRecords,
        relations: &["patients", "appointments", "invoices"],
        // Every patient of the scope's branches with the first and last
        // completed visit before the as-of instant, the last before the range
        // and whether anything is booked from the as-of instant on, grouped by
        // where those fall against core's cuts.
        // Only a patient whose last visit is before the churn cut is its own
        // group, with its identity, last visit (local date) and lifetime
        // billed: the only per-patient rows that leave Postgres.
        sql: format!(
            "{SCOPE_CTE},
v AS MATERIALIZED (
    SELECT a.clinic_id, a.patient_id,
           min(a.starts_at) FILTER (WHERE a.status = '{completed}' AND a.starts_at < s.as_of) AS first_at,
           max(a.starts_at) FILTER (WHERE a.status = '{completed}' AND a.starts_at < s.as_of) AS last_at,
           max(a.starts_at) FILTER (WHERE a.status = '{completed}' AND a.starts_at < s.range_start) AS before_at,
           coalesce(bool_or(a.status = '{booked}' AND a.starts_at >= s.as_of), false) AS booked_after
    FROM s JOIN app.appointments a ON a.clinic_id = s.clinic_id AND a.clinic_id = ANY($1::bigint[])
    WHERE a.status IN ('{completed}', '{booked}')
    GROUP BY 1, 2
),
p AS MATERIALIZED (
    SELECT pt.clinic_id, pt.id, pt.recall_due_on, v.first_at, v.last_at, coalesce(v.booked_after, false) AS booked_after,
           coalesce(v.last_at < s.patient_cuts[2], false) AS dormant, (v.last_at AT TIME ZONE s.zone)::date AS last_on,
           coalesce(v.before_at < s.patient_cuts[3], false) AS lapsed_at_start,
           s.range_cuts, s.range_start, s.patient_cuts[1] AS window_start, s.as_of, s.last_day
    FROM s JOIN app.patients pt ON pt.clinic_id = s.clinic_id AND pt.clinic_id = ANY($1::bigint[])
    LEFT JOIN v ON v.clinic_id = pt.clinic_id AND v.patient_id = pt.id
),
b AS (
    SELECT i.clinic_id, i.patient_id, sum(i.total) AS billed
    FROM p JOIN app.invoices i ON i.clinic_id = p.clinic_id AND i.patient_id = p.id
    WHERE p.dormant AND i.status IN ({billed}) AND i.issued_at < p.as_of
    GROUP BY 1, 2
)
SELECT p.clinic_id, width_bucket(p.first_at, p.range_cuts)::int4 AS first_visit,
       coalesce(p.last_at >= p.range_start, false) AS seen_in_range,
       coalesce(p.last_at >= p.window_start, false) AS seen_in_window, p.dormant AS last_visit_before_churn_cut,
       p.booked_after AS booked_after_to, {recall} AS recall, {recall_before_to} AS recall_before_to,
       {seen_since_recall} AS visited_since_recall, CASE WHEN p.dormant THEN p.id END AS dormant_id,
       CASE WHEN p.dormant THEN to_char(p.last_on, 'YYYY-MM-DD') END AS last_visit_on,
       CASE WHEN p.dormant THEN coalesce(b.billed, 0)::text END AS lifetime_billed, p.lapsed_at_start,
       count(*)::int8 AS patients
FROM p LEFT JOIN b ON b.clinic_id = p.clinic_id AND b.patient_id = p.id
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13",
            recall = DatePos::sql("p.recall_due_on", FROM, "p.last_day"),
            recall_before_to = RECALL_BEFORE_TO.sql("p.recall_due_on", "p.last_day"),
            seen_since_recall = SEEN_SINCE_RECALL.sql("p.recall_due_on", "p.last_on"),
        ),
    }
}

/// The statements of the patients domain.
pub static QUERIES: LazyLock<Vec<Query>> = LazyLock::new(|| vec![patient_records()]);

/// Adds one row of the patients statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_patients(acc: &mut PatientsAcc, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
    let QueryKind::PatientRecords = kind else {
        return Err(RowError::Driver(format!("{kind:?} rows are not patients")));
    };
    let first_visit = r
        .int4("first_visit")?
        .map(|v| u32::try_from(v).map_err(|_| RowError::Parse { column: "first_visit", value: v.to_string() }));
    let recall = r
        .int4("recall")?
        .map(|v| DatePos::from_index(v).ok_or(RowError::Parse { column: "recall", value: v.to_string() }));
    let dormant = match r.int8("dormant_id")? {
        None => None,
        Some(patient_id) => {
            let day = text(r, "last_visit_on")?;
            let last_visit_on = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|_| RowError::Parse { column: "last_visit_on", value: day })?;
            Some(DormantPatient { patient_id, lifetime_billed: money(r, "lifetime_billed")?, last_visit_on })
        }
    };
    acc.accum_patient(&PatientFact {
        clinic_id: id(r, "clinic_id")?,
        first_visit: first_visit.transpose()?,
        seen_in_range: flag(r, "seen_in_range")?,
        seen_in_window: flag(r, "seen_in_window")?,
        last_visit_before_churn_cut: flag(r, "last_visit_before_churn_cut")?,
        booked_after_to: flag(r, "booked_after_to")?,
        lapsed_at_start: flag(r, "lapsed_at_start")?,
        recall: recall.transpose()?,
        recall_before_to: flag(r, "recall_before_to")?,
        visited_since_recall: flag(r, "visited_since_recall")?,
        patients: count(r, "patients")?,
        dormant,
    })?;
    Ok(())
}

domain_acc!(PatientsAcc, odx_core::PatientsReport, Patients, feed_patients);

/// No soft part: every figure needs all of [`REQUIRED`].
pub(crate) const SOFT: Option<crate::schema::SoftPart> = None;

/// The tables and columns the patients domain reads.
pub(crate) const REQUIRED: &[RequiredRelation] = &[
    RequiredRelation { table: "clinics", columns: &["id", "timezone"] },
    RequiredRelation { table: "patients", columns: &["id", "clinic_id", "recall_due_on"] },
    RequiredRelation { table: "appointments", columns: &["clinic_id", "patient_id", "starts_at", "status"] },
    RequiredRelation { table: "invoices", columns: &["clinic_id", "patient_id", "issued_at", "total", "status"] },
];
