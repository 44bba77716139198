//! Staff domain: headcount by role, attendance and absenteeism, who is in
//! and who is on leave on the last day, late arrivals, payroll cost and
//! revenue per staff member.
//!
//! Sources: `users` (a snapshot: active users assigned to the branch and hired
//! by `to`), `attendance_days` in range, `payroll` paid in range, and billed
//! invoices issued in range (for revenue per staff). Staff belong to their
//! branch, not to a doctor: with doctor grouping every figure is on the
//! branch's `doctor_id: null` row.

use crate::readout::{Cell, Readout};
use crate::domain::Domain;
use crate::compare::{Headline, Measure, MeasureKind, amount, count, of};
use crate::accounting::PayrollFact;
use crate::category::{AttendanceStatus, InvoiceStatus, UserRole};
use crate::error::Result;
use crate::frame::Facts;
use crate::num::{add_count, add_money, average_money, count_rate, merge_counts};
use crate::report::accumulator;
use crate::report::Report;
use crate::rows::Tables;
use crate::rules::{in_range, ATTENDANCE_TODAY, HIRED_BY_TO};
use crate::scope::MetricScope;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A present day with more than this many late minutes is a late arrival.
pub const LATE_AFTER_MINUTES: i32 = 10;

/// Whether an attendance day was late: more than [`LATE_AFTER_MINUTES`].
pub fn is_late(late_minutes: i32) -> bool {
    late_minutes > LATE_AFTER_MINUTES
}

/// [`is_late`] as a SQL condition over `column`.
pub fn is_late_sql(column: &str) -> String {
    format!("{column} > {LATE_AFTER_MINUTES}")
}

/// `users.status` of an active user.
pub const USER_ACTIVE: &str = "active";
/// `users.status` of an inactive user (kept for history, not staff).
pub const USER_INACTIVE: &str = "inactive";

/// Whether a `users.status` is active; `None` outside the schema's list.
pub fn user_active(status: &str) -> Option<bool> {
    match status {
        USER_ACTIVE => Some(true),
        USER_INACTIVE => Some(false),
        _ => None,
    }
}

/// Users of a branch grouped by role, status and whether they were hired by
/// `to` (a null `hired_on` counts as hired).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StaffFact {
    /// `users.clinic_id`.
    pub clinic_id: i64,
    /// `users.role`.
    pub role: UserRole,
    /// `users.status` is `active`; `None` for a status outside the schema's list.
    pub active: Option<bool>,
    /// `hired_on` is null or on or before `to`.
    pub hired_by_to: bool,
    /// How many users.
    pub users: u64,
}

/// Attendance days in range grouped by status, whether the day is `to`, and
/// whether the day was late (more than [`LATE_AFTER_MINUTES`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AttendanceFact {
    /// `attendance_days.clinic_id`.
    pub clinic_id: i64,
    /// `attendance_days.status`.
    pub status: AttendanceStatus,
    /// `day = to`.
    pub today: bool,
    /// `late_minutes > LATE_AFTER_MINUTES`.
    pub late: bool,
    /// How many days.
    pub days: u64,
}

/// Invoices issued in range grouped by status (core keeps the billed ones).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BilledFact {
    /// `invoices.clinic_id`.
    pub clinic_id: i64,
    /// `invoices.status`.
    pub status: InvoiceStatus,
    /// Sum of `invoices.total`.
    pub total: Decimal,
}

/// Rows kept out of the KPIs for bad values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StaffDataQuality {
    /// Active users whose role is not listed (counted in headcount under `other`).
    pub unknown_role: u64,
    /// Users whose status is neither active nor inactive (not counted).
    pub unknown_user_status: u64,
    /// Attendance days in range whose status is not listed (not counted).
    pub unknown_attendance_status: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct StaffFacts {
    /// Active headcount per listed role (`UserRole::index`; unknown under `other`).
    roles: [u64; UserRole::COUNT],
    /// Attendance days per status (`AttendanceStatus::index`).
    days: [u64; AttendanceStatus::COUNT],
    late: u64,
    present_today: u64,
    on_leave_today: u64,
    payroll: Decimal,
    payroll_entries: u64,
    billed: Decimal,
    dq: StaffDataQuality,
}

impl Facts for StaffFacts {
    fn merge(&mut self, o: &Self) -> Result<()> {
        merge_counts(&mut self.roles, &o.roles, "headcount")?;
        merge_counts(&mut self.days, &o.days, "attendance days")?;
        add_count(&mut self.late, o.late, "late arrivals")?;
        add_count(&mut self.present_today, o.present_today, "present today")?;
        add_count(&mut self.on_leave_today, o.on_leave_today, "on leave today")?;
        add_money(&mut self.payroll, o.payroll, "payroll")?;
        add_count(&mut self.payroll_entries, o.payroll_entries, "payroll entries")?;
        add_money(&mut self.billed, o.billed, "billed")?;
        add_count(&mut self.dq.unknown_role, o.dq.unknown_role, "data quality")?;
        add_count(&mut self.dq.unknown_user_status, o.dq.unknown_user_status, "data quality")?;
        add_count(&mut self.dq.unknown_attendance_status, o.dq.unknown_attendance_status, "data quality")
    }
}

impl StaffFacts {
    fn add_staff(&mut self, f: &StaffFact) -> Result<()> {
        match f.active {
            None => add_count(&mut self.dq.unknown_user_status, f.users, "data quality"),
            Some(false) => Ok(()),
            Some(true) if !f.hired_by_to => Ok(()),
            Some(true) => {
                let role = if f.role == UserRole::Unknown {
                    add_count(&mut self.dq.unknown_role, f.users, "data quality")?;
                    UserRole::Other
                } else {
                    f.role
                };
                add_count(&mut self.roles[role.index()], f.users, "headcount")
            }
        }
    }

    fn add_attendance(&mut self, f: &AttendanceFact) -> Result<()> {
        if f.status == AttendanceStatus::Unknown {
            return add_count(&mut self.dq.unknown_attendance_status, f.days, "data quality");
        }
        add_count(&mut self.days[f.status.index()], f.days, "attendance days")?;
        if f.status == AttendanceStatus::Present && f.late {
            add_count(&mut self.late, f.days, "late arrivals")?;
        }
        if f.today {
            match f.status {
                AttendanceStatus::Present => add_count(&mut self.present_today, f.days, "present today")?,
                AttendanceStatus::Leave => add_count(&mut self.on_leave_today, f.days, "on leave today")?,
                _ => {}
            }
        }
        Ok(())
    }

    fn add_payroll(&mut self, f: &PayrollFact) -> Result<()> {
        add_money(&mut self.payroll, f.gross, "payroll")?;
        add_count(&mut self.payroll_entries, f.entries, "payroll entries")
    }

    fn add_billed(&mut self, f: &BilledFact) -> Result<()> {
        if f.status.is_billed() {
            add_money(&mut self.billed, f.total, "billed")?;
        }
        Ok(())
    }
}

/// Active headcount of one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RoleHeadcount {
    /// The role (`users.role`).
    pub role: UserRole,
    /// Active users of that role, hired by `to`.
    pub staff: u64,
}

/// Every staff KPI of one group (or of the totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StaffMetrics {
    /// Active users assigned to the branch, hired by `to`.
    pub headcount: u64,
    /// `headcount` by role, every listed role in schema order (an unlisted
    /// role counts as `other`).
    pub headcount_by_role: Vec<RoleHeadcount>,
    /// Attendance days in range with status present.
    pub present_days: u64,
    /// ... absent.
    pub absent_days: u64,
    /// ... leave.
    pub leave_days: u64,
    /// ... off.
    pub off_days: u64,
    /// present / (present + absent); null without such days.
    #[serde(with = "crate::wire::rate")]
    pub attendance_rate: Option<Decimal>,
    /// absent / (present + absent); null without such days.
    #[serde(with = "crate::wire::rate")]
    pub absenteeism_rate: Option<Decimal>,
    /// Present days in range more than [`LATE_AFTER_MINUTES`] late.
    pub late_arrivals: u64,
    /// Staff present on `to`.
    pub present_today: u64,
    /// Staff on leave on `to`.
    pub on_leave_today: u64,
    /// Payroll paid in range (`paid_on`; the accounting `payroll`).
    pub payroll_cost: Decimal,
    /// How many payroll rows.
    pub payroll_entries: u64,
    /// Billed in range (the financial `billed`).
    pub billed: Decimal,
    /// billed / headcount, rounded to paisa; null without staff.
    pub revenue_per_staff: Option<Decimal>,
    /// Rows kept out for bad values.
    pub data_quality: StaffDataQuality,
}

impl crate::report::NamesBranches for StaffMetrics {}

/// The staff report.
pub type StaffReport = Report<StaffMetrics>;

accumulator!(
    /// The mergeable staff accumulator of one scope.
    StaffAcc,
    StaffFacts,
    StaffReport,
    metrics
);

impl StaffAcc {
    /// Adds users (on the branch's no-doctor row).
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`](crate::OdxError::RowOutsideScope),
    /// [`OdxError::Overflow`](crate::OdxError::Overflow).
    pub fn accum_staff(&mut self, f: &StaffFact) -> Result<()> {
        self.each(f.clinic_id, None, |facts| facts.add_staff(f))
    }

    /// Adds attendance days in range.
    ///
    /// # Errors
    /// As [`StaffAcc::accum_staff`].
    pub fn accum_attendance(&mut self, f: &AttendanceFact) -> Result<()> {
        self.each(f.clinic_id, None, |facts| facts.add_attendance(f))
    }

    /// Adds payroll paid in range.
    ///
    /// # Errors
    /// As [`StaffAcc::accum_staff`].
    pub fn accum_payroll(&mut self, f: &PayrollFact) -> Result<()> {
        self.each(f.clinic_id, None, |facts| facts.add_payroll(f))
    }

    /// Adds invoices issued in range.
    ///
    /// # Errors
    /// As [`StaffAcc::accum_staff`].
    pub fn accum_billed(&mut self, f: &BilledFact) -> Result<()> {
        self.each(f.clinic_id, None, |facts| facts.add_billed(f))
    }
}

fn metrics(f: &StaffFacts) -> Result<StaffMetrics> {
    let mut headcount = 0u64;
    for n in f.roles {
        add_count(&mut headcount, n, "headcount")?;
    }
    let day = |s: AttendanceStatus| f.days[s.index()];
    let (present, absent) = (day(AttendanceStatus::Present), day(AttendanceStatus::Absent));
    let counted = present.checked_add(absent).ok_or(crate::OdxError::Overflow { what: "attendance days" })?;
    Ok(StaffMetrics {
        headcount,
        headcount_by_role: UserRole::LISTED
            .iter()
            .map(|r| RoleHeadcount { role: *r, staff: f.roles[r.index()] })
            .collect(),
        present_days: present,
        absent_days: absent,
        leave_days: day(AttendanceStatus::Leave),
        off_days: day(AttendanceStatus::Off),
        attendance_rate: count_rate(present, counted),
        absenteeism_rate: count_rate(absent, counted),
        late_arrivals: f.late,
        present_today: f.present_today,
        on_leave_today: f.on_leave_today,
        payroll_cost: f.payroll,
        payroll_entries: f.payroll_entries,
        billed: f.billed,
        revenue_per_staff: average_money(f.billed, headcount)?,
        data_quality: f.dq,
    })
}

// The in-memory path: these rows folded into this domain's accumulator.
impl Tables {
    /// The staff report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn staff(&self, scope: &MetricScope) -> Result<StaffReport> {
        let mut acc = StaffAcc::new(scope, &self.directory())?;
        self.fold_staff(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' staff facts (scope clinics only) to an accumulator.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_staff(&self, acc: &mut StaffAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        let from = scope.from();
        let to = |clinic_id: i64| frame.clock(clinic_id).map(|c| c.as_of_date());
        for u in &self.users {
            let Some(clinic_id) = u.clinic_id.filter(|c| scope.contains(*c)) else { continue };
            let to = to(clinic_id)?;
            acc.accum_staff(&StaffFact {
                clinic_id,
                role: UserRole::from_db(&u.role),
                active: user_active(&u.status),
                hired_by_to: HIRED_BY_TO.holds(u.hired_on, from, to),
                users: 1,
            })?;
        }
        for a in self.attendance_days.iter().filter(|a| scope.contains(a.clinic_id)) {
            let to = to(a.clinic_id)?;
            if in_range(a.day, from, to) {
                acc.accum_attendance(&AttendanceFact {
                    clinic_id: a.clinic_id,
                    status: a.status,
                    today: ATTENDANCE_TODAY.holds(Some(a.day), from, to),
                    late: is_late(a.late_minutes),
                    days: 1,
                })?;
            }
        }
        for p in self.payroll.iter().filter(|p| scope.contains(p.clinic_id)) {
            if frame.date_in_range(p.clinic_id, p.paid_on)? {
                acc.accum_payroll(&PayrollFact { clinic_id: p.clinic_id, entries: 1, gross: p.gross })?;
            }
        }
        for i in self.invoices.iter().filter(|i| scope.contains(i.clinic_id)) {
            if frame.clock(i.clinic_id)?.in_range(i.issued_at) {
                acc.accum_billed(&BilledFact { clinic_id: i.clinic_id, status: i.status, total: i.total })?;
            }
        }
        Ok(())
    }
}

impl Headline for StaffMetrics {
    const DOMAIN: Domain = Domain::Staff;
    fn headline(&self) -> Vec<Measure> {
        use MeasureKind::*;
        vec![
            count("headcount", self.headcount),
            count("present_days", self.present_days),
            count("absent_days", self.absent_days),
            of("absenteeism_rate", Rate, self.absenteeism_rate),
            count("late_arrivals", self.late_arrivals),
            amount("payroll_cost", self.payroll_cost),
            of("revenue_per_staff", Average, self.revenue_per_staff),
        ]
    }
}

/// What the domain's report computes, in a sentence a SQL user reads (the
/// `COMMENT` of its SQL function), with core's constants interpolated.
pub fn about() -> String {
    format!(
        "Staff of the clinics, computed by odx-core: headcount by role (active users hired by to_date), attendance, leave and off days, attendance and absenteeism rates, late arrivals (more than {LATE_AFTER_MINUTES} minutes), present and on leave on to_date, payroll paid in range, billed and revenue per staff; {{ degraded, totals, groups }}. Staff belong to the branch: group_by doctor puts them on the doctor_id null row. Since 0.2.0."
    )
}

impl Readout for StaffMetrics {
    const COLUMNS: &'static [&'static str] =
        &["Staff", "Attend%", "Absent%", "Late", "In today", "Leave", "Payroll", "Rev/staff"];
    fn heading(_: &MetricScope) -> String {
        "STAFF (headcount and who is in on the last day)".to_owned()
    }
    fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Count(self.headcount),
            Cell::Rate(self.attendance_rate),
            Cell::Rate(self.absenteeism_rate),
            Cell::Count(self.late_arrivals),
            Cell::Count(self.present_today),
            Cell::Count(self.on_leave_today),
            Cell::Money(Some(self.payroll_cost)),
            Cell::Money(self.revenue_per_staff),
        ]
    }
    fn notes(&self, _: &dyn Fn(i64) -> String, _: &dyn Fn(Decimal) -> String) -> Vec<String> {
        let roles: Vec<String> =
            self.headcount_by_role.iter().map(|h| format!("{} {}", h.role.as_str(), h.staff)).collect();
        vec![format!(
            "By role: {}. Absent%: absent / (present + absent) working days; Late: more than {LATE_AFTER_MINUTES} minutes.",
            roles.join(", ")
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{GroupBy, MetricScope};
    use crate::ClinicDirectory;
    use chrono::NaiveDate;

    #[test]
    fn headcount_attendance_and_revenue_per_staff() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let scope = MetricScope::new([1], d, d, GroupBy::Doctor).unwrap();
        let mut a = StaffAcc::new(&scope, &ClinicDirectory::with_default_zone([1])).unwrap();
        let staff = |role, active, hired_by_to, users| StaffFact { clinic_id: 1, role, active, hired_by_to, users };
        a.accum_staff(&staff(UserRole::Doctor, Some(true), true, 2)).unwrap();
        a.accum_staff(&staff(UserRole::Unknown, Some(true), true, 1)).unwrap();
        a.accum_staff(&staff(UserRole::Doctor, Some(true), false, 5)).unwrap();
        a.accum_staff(&staff(UserRole::Assistant, Some(false), true, 4)).unwrap();
        a.accum_staff(&staff(UserRole::Assistant, None, true, 1)).unwrap();
        let att = |status, today, late, days| AttendanceFact { clinic_id: 1, status, today, late, days };
        a.accum_attendance(&att(AttendanceStatus::Present, false, true, 6)).unwrap();
        a.accum_attendance(&att(AttendanceStatus::Present, true, false, 2)).unwrap();
        a.accum_attendance(&att(AttendanceStatus::Absent, false, true, 2)).unwrap();
        a.accum_attendance(&att(AttendanceStatus::Leave, true, false, 1)).unwrap();
        a.accum_attendance(&att(AttendanceStatus::Unknown, true, false, 3)).unwrap();
        a.accum_billed(&BilledFact { clinic_id: 1, status: InvoiceStatus::Paid, total: Decimal::new(1_000_000, 2) })
            .unwrap();
        a.accum_billed(&BilledFact { clinic_id: 1, status: InvoiceStatus::Draft, total: Decimal::new(999, 0) })
            .unwrap();
        let r = a.finish().unwrap();
        let t = &r.totals;
        assert_eq!(t.headcount, 3);
        assert_eq!(t.headcount_by_role.iter().map(|h| h.staff).collect::<Vec<_>>(), [0, 2, 0, 0, 0, 1]);
        assert_eq!((t.present_days, t.absent_days, t.leave_days, t.late_arrivals), (8, 2, 1, 6));
        assert_eq!(t.attendance_rate, Some(Decimal::new(8, 1)));
        assert_eq!(t.absenteeism_rate, Some(Decimal::new(2, 1)));
        assert_eq!((t.present_today, t.on_leave_today), (2, 1));
        assert_eq!(t.revenue_per_staff, Some(Decimal::new(333_333, 2)));
        assert_eq!(
            t.data_quality,
            StaffDataQuality { unknown_role: 1, unknown_user_status: 1, unknown_attendance_status: 3 }
        );
        assert_eq!(r.groups.len(), 1);
        assert_eq!(r.groups[0].doctor_id, None);
    }
}
