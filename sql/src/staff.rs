//! The staff domain: its statements, each beside the decoder that turns
//! its rows (columns read by name) into core facts, and what it reads.

use crate::accounting::{payroll, payroll_fact};
use crate::decode::{count, domain_acc, flag, id, text, Row, RowError};
use crate::financial::invoice_fact;
use crate::operations::tickets;
use crate::queries::{as_of_dates, Query, QueryKind, FROM, LAST_DAY, TO};
use crate::schema::RequiredRelation;
use odx_core::rules::{in_range_sql, ATTENDANCE_TODAY, HIRED_BY_TO};
use odx_core::staff::{is_late_sql, user_active, AttendanceFact, BilledFact, StaffFact};
use odx_core::{AttendanceStatus, StaffAcc, UserRole};
use std::sync::LazyLock;

fn staff() -> Query {
    // The users table is small: every user of the scope's branches, grouped
    // by what core needs to decide who is staff on `to`.
    Query {
        kind: QueryKind::Staff,
        relations: &["users"],
        sql: format!(
            "SELECT u.clinic_id, u.role::text AS role, u.status::text AS status, {hired} AS hired_by_to, count(*)::int8 AS users
FROM app.users u {as_of}
WHERE u.clinic_id = ANY($1::bigint[])
GROUP BY 1, 2, 3, 4",
            as_of = as_of_dates("u.clinic_id"),
            hired = HIRED_BY_TO.sql("u.hired_on", LAST_DAY),
        ),
    }
}

fn attendance() -> Query {
    Query {
        kind: QueryKind::Attendance,
        relations: &["attendance_days"],
        sql: format!(
            "SELECT a.clinic_id, a.status::text AS status, {today} AS today, {late} AS late, count(*)::int8 AS days
FROM app.attendance_days a {as_of}
WHERE a.clinic_id = ANY($1::bigint[]) AND a.day <= {TO} AND {in_range}
GROUP BY 1, 2, 3, 4",
            as_of = as_of_dates("a.clinic_id"),
            today = ATTENDANCE_TODAY.sql("a.day", LAST_DAY),
            late = is_late_sql("a.late_minutes"),
            in_range = in_range_sql("a.day", FROM, LAST_DAY),
        ),
    }
}

/// The statements of the staff domain (billed comes from the average-ticket
/// statement: invoices in range by status).
pub static QUERIES: LazyLock<Vec<Query>> = LazyLock::new(|| vec![staff(), attendance(), payroll(), tickets()]);

/// Adds one row of a staff statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_staff(acc: &mut StaffAcc, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
    match kind {
        QueryKind::Staff => acc.accum_staff(&StaffFact {
            clinic_id: id(r, "clinic_id")?,
            role: UserRole::from_db(&text(r, "role")?),
            active: user_active(&text(r, "status")?),
            hired_by_to: flag(r, "hired_by_to")?,
            users: count(r, "users")?,
        })?,
        QueryKind::Attendance => acc.accum_attendance(&AttendanceFact {
            clinic_id: id(r, "clinic_id")?,
            status: AttendanceStatus::from_db(&text(r, "status")?),
            today: flag(r, "today")?,
            late: flag(r, "late")?,
            days: count(r, "days")?,
        })?,
        QueryKind::Payroll => acc.accum_payroll(&payroll_fact(r)?)?,
        QueryKind::Tickets => {
            let i = invoice_fact(r)?;
            acc.accum_billed(&BilledFact { clinic_id: i.clinic_id, status: i.status, total: i.total })?
        }
        other => return Err(RowError::Driver(format!("{other:?} rows are not staff"))),
    }
    Ok(())
}

domain_acc!(StaffAcc, odx_core::StaffReport, Staff, feed_staff);

/// No soft part: every figure needs all of [`REQUIRED`].
pub(crate) const SOFT: Option<crate::schema::SoftPart> = None;

/// The tables and columns the staff domain reads.
pub(crate) const REQUIRED: &[RequiredRelation] = &[
    RequiredRelation { table: "clinics", columns: &["id", "timezone"] },
    RequiredRelation { table: "users", columns: &["clinic_id", "role", "status", "hired_on"] },
    RequiredRelation { table: "attendance_days", columns: &["clinic_id", "day", "status", "late_minutes"] },
    RequiredRelation { table: "payroll", columns: &["clinic_id", "gross", "paid_on"] },
    RequiredRelation { table: "invoices", columns: &["clinic_id", "doctor_id", "issued_at", "total", "status"] },
];
