//! The console's read-outs beyond the Command Center:
//!
//! * the **network overview** (Network Hub) of one day: appointments, billed,
//!   active branches and the no-show rate, network and per branch, from only
//!   the day's appointments and invoices counted per branch ([`OverviewAcc`],
//!   whose figures are the operations and financial reports' own
//!   definitions, [`DayStatuses`]);
//!
//! and, from the domain reports of one scope grouped by clinic:
//!
//! * **benchmarking**: each driver KPI of a branch against the median of the
//!   scope's branches, the gap, and its PKR impact where one is computable
//!   (what the branch would gain by reaching the median), ranked;
//! * the **digest facts**: the deterministic input a language model would
//!   narrate: the anomalies (target breaches and branches far off the
//!   median) and the three highest-impact actions.
//!
//! No rule here restates a domain's formula: every rate is read off the
//! domain reports or computed by their own functions; only the comparisons
//! are defined here.

use crate::category::{AppointmentStatus, InvoiceStatus};
use crate::command::{command_center, row as clinic_row, CommandCenter, DomainReports};
use crate::error::{OdxError, Result};
use crate::frame::{ClinicDirectory, Frame};
use crate::num::{add_count, add_money, mul_money, round_money};
use crate::operations::no_show_rate;
use crate::report::Report;
use crate::rows::Tables;
use crate::scope::{GroupBy, MetricScope};
use crate::targets::{Alert, MinVolume, OpsTargetRow, Severity, TargetMetric};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One branch on the network overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OverviewRow {
    /// The branch.
    pub clinic_id: i64,
    /// The branch's name.
    pub branch_name: String,
    /// The branch's city.
    pub city: String,
    /// Whether the branch is active.
    pub active: bool,
    /// Appointments of the day that are on: booked, arrived, completed or
    /// no-show (the operations `scheduled`; cancelled ones are not counted).
    pub appointments: u64,
    /// Billed on the day.
    pub billed: Decimal,
    /// No-show rate of the day.
    #[serde(with = "crate::wire::rate")]
    pub no_show_rate: Option<Decimal>,
}

/// The Network Hub's overview of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NetworkOverview {
    /// The day (each branch's local date).
    pub date: NaiveDate,
    /// The branches, ascending.
    pub clinic_ids: Vec<i64>,
    /// Active branches among them.
    pub active_branches: u64,
    /// Appointments of the day that are on (booked, arrived, completed or
    /// no-show; not cancelled).
    pub appointments: u64,
    /// Billed on the day.
    pub billed: Decimal,
    /// No-show rate of the day (merged counts, never an average of rates).
    #[serde(with = "crate::wire::rate")]
    pub no_show_rate: Option<Decimal>,
    /// Per branch.
    pub branches: Vec<OverviewRow>,
}

fn same_scope<A, B>(a: &Report<A>, b: &Report<B>) -> Result<()> {
    let same = a.clinic_ids == b.clinic_ids && a.from == b.from && a.to == b.to;
    if !same || a.group_by != GroupBy::Clinic || b.group_by != GroupBy::Clinic {
        return Err(OdxError::ScopeMismatch);
    }
    Ok(())
}

/// What the overview reads of a branch's day, one statement row each: how
/// many of its appointments are on the books and how many were no-shows,
/// or what it billed. The statement counts and sums the statuses
/// [`DayStatuses`] lists; which statuses those are is core's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayFact {
    /// Appointments of the day (starting on it, local time).
    Appointments {
        /// The branch.
        clinic_id: i64,
        /// Those of a status in [`DayStatuses::scheduled`].
        scheduled: u64,
        /// Those of a status in [`DayStatuses::no_show`].
        no_show: u64,
    },
    /// Invoices of the day (issued on it, local time) of a status in
    /// [`DayStatuses::billed`].
    Billed {
        /// The branch.
        clinic_id: i64,
        /// Their total.
        total: Decimal,
    },
}

/// The statuses behind each figure of the overview, as the database writes
/// them: the operations report's definitions (appointments on the books,
/// [`AppointmentStatus::is_scheduled`]; no-shows) and the financial
/// report's (billed invoices, [`InvoiceStatus::is_billed`]). A driver hands
/// them to its statement, which counts per branch only what they list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayStatuses {
    /// Appointments on the books.
    pub scheduled: Vec<&'static str>,
    /// No-shows (the no-show rate's numerator).
    pub no_show: Vec<&'static str>,
    /// Billed invoices.
    pub billed: Vec<&'static str>,
}

impl DayStatuses {
    /// The statuses, from core's definitions.
    pub fn new() -> DayStatuses {
        let listed = |keep: fn(AppointmentStatus) -> bool| {
            AppointmentStatus::LISTED.iter().filter(|s| keep(**s)).map(|s| s.as_str()).collect()
        };
        DayStatuses {
            scheduled: listed(AppointmentStatus::is_scheduled),
            no_show: listed(is_no_show),
            billed: InvoiceStatus::LISTED.iter().filter(|s| s.is_billed()).map(|s| s.as_str()).collect(),
        }
    }
}

/// Whether an appointment counts as a no-show: the no-show rate's
/// numerator, in the statement's list and in the in-memory fold alike.
fn is_no_show(s: AppointmentStatus) -> bool {
    s == AppointmentStatus::NoShow
}

impl Default for DayStatuses {
    fn default() -> DayStatuses {
        DayStatuses::new()
    }
}

/// One branch's day, summed.
#[derive(Debug, Clone, Default)]
struct DayTally {
    scheduled: u64,
    no_show: u64,
    billed: Decimal,
}

impl DayTally {
    fn merge(&mut self, o: &DayTally) -> Result<()> {
        add_count(&mut self.scheduled, o.scheduled, "appointments")?;
        add_count(&mut self.no_show, o.no_show, "no-shows")?;
        add_money(&mut self.billed, o.billed, "billed")
    }

    /// (scheduled, no-show rate), as the operations report defines them.
    fn figures(&self) -> (u64, Option<Decimal>) {
        (self.scheduled, no_show_rate(self.no_show, self.scheduled))
    }
}

/// The network overview's accumulator: what one day holds per branch, and
/// nothing more (no AR, payments, chairs or lab). Its figures are the
/// domains' own: billed is the financial report's (invoices of a billed
/// status, [`InvoiceStatus::is_billed`]), the appointments and the no-show
/// rate the operations report's ([`AppointmentStatus::is_scheduled`],
/// [`no_show_rate`]); the parity tests check them against those reports of
/// the same day.
#[derive(Debug, Clone)]
pub struct OverviewAcc {
    frame: Frame,
    active: Vec<i64>,
    tallies: Vec<DayTally>,
}

impl OverviewAcc {
    /// The overview of `scope` (one day, grouped by clinic) over the
    /// branches of `directory`; `active` lists the active branches.
    ///
    /// # Errors
    /// [`OdxError::ScopeMismatch`] when the scope is not one day grouped by
    /// clinic; as [`Frame::new`].
    pub fn new(scope: &MetricScope, directory: &ClinicDirectory, active: &[i64]) -> Result<OverviewAcc> {
        if scope.from() != scope.to() || scope.group_by() != GroupBy::Clinic {
            return Err(OdxError::ScopeMismatch);
        }
        let frame = Frame::new(scope, directory)?;
        let tallies = vec![DayTally::default(); scope.clinic_ids().len()];
        Ok(OverviewAcc { frame, active: active.to_vec(), tallies })
    }

    /// The day's instants: each branch's local midnight of the day and of
    /// the next (the whole day, whatever the instant: its schedule).
    pub fn frame(&self) -> &Frame {
        &self.frame
    }

    /// Adds one fact.
    ///
    /// # Errors
    /// [`OdxError::UnknownClinic`] for a branch outside the scope;
    /// [`OdxError::Overflow`].
    pub fn accum(&mut self, fact: &DayFact) -> Result<()> {
        match fact {
            DayFact::Appointments { clinic_id, scheduled, no_show } => {
                let tally = &mut self.tallies[self.frame.slot(*clinic_id)?];
                add_count(&mut tally.scheduled, *scheduled, "appointments")?;
                add_count(&mut tally.no_show, *no_show, "no-shows")
            }
            DayFact::Billed { clinic_id, total } => {
                let tally = &mut self.tallies[self.frame.slot(*clinic_id)?];
                add_money(&mut tally.billed, *total, "billed")
            }
        }
    }

    /// The overview.
    ///
    /// # Errors
    /// [`OdxError::Overflow`].
    pub fn finish(&self) -> Result<NetworkOverview> {
        let scope = self.frame.scope();
        let mut network = DayTally::default();
        let mut branches = Vec::with_capacity(self.tallies.len());
        for (slot, (c, tally)) in scope.clinic_ids().iter().zip(&self.tallies).enumerate() {
            network.merge(tally)?;
            let (branch_name, city) = self.frame.names_at(slot);
            let (appointments, no_show_rate) = tally.figures();
            branches.push(OverviewRow {
                clinic_id: *c,
                branch_name: branch_name.to_owned(),
                city: city.to_owned(),
                active: self.active.contains(c),
                appointments,
                billed: tally.billed,
                no_show_rate,
            });
        }
        let (appointments, no_show_rate) = network.figures();
        Ok(NetworkOverview {
            date: scope.to(),
            clinic_ids: scope.clinic_ids().to_vec(),
            active_branches: branches.iter().filter(|b| b.active).count() as u64,
            appointments,
            billed: network.billed,
            no_show_rate,
            branches,
        })
    }
}

// The in-memory path: the day's rows of these tables, folded.
impl Tables {
    /// Adds the day's appointments and invoices of the accumulator's
    /// branches (starting or issued within each branch's local day).
    ///
    /// # Errors
    /// As [`OverviewAcc::accum`].
    pub fn fold_overview(&self, acc: &mut OverviewAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let on_the_day = |clinic_id: i64, t| -> Result<bool> {
            Ok(frame.scope().contains(clinic_id) && frame.clock(clinic_id)?.in_range(t))
        };
        for a in &self.appointments {
            if on_the_day(a.clinic_id, a.starts_at)? {
                acc.accum(&DayFact::Appointments {
                    clinic_id: a.clinic_id,
                    scheduled: u64::from(a.status.is_scheduled()),
                    no_show: u64::from(is_no_show(a.status)),
                })?;
            }
        }
        for i in &self.invoices {
            if i.status.is_billed() && on_the_day(i.clinic_id, i.issued_at)? {
                acc.accum(&DayFact::Billed { clinic_id: i.clinic_id, total: i.total })?;
            }
        }
        Ok(())
    }
}

/// A driver KPI benchmarked across branches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Driver {
    /// collected / billed (higher is better).
    CollectionRate,
    /// No-show rate (lower is better).
    NoShowRate,
    /// Average ticket (higher is better).
    AvgTicket,
    /// Doctor utilization (higher is better).
    DoctorUtilization,
    /// Chair utilization (higher is better).
    ChairUtilization,
    /// Gross margin on billed (higher is better).
    Margin,
    /// Cash-basis costs / receipts (lower is better).
    ExpenseRatio,
    /// AR over 90 days / outstanding (lower is better).
    Ar90Share,
    /// Overdue lab cases / open cases (lower is better).
    LabOverdueShare,
}

impl Driver {
    /// Every driver, in report order.
    pub const ALL: [Driver; 9] = [
        Driver::CollectionRate,
        Driver::NoShowRate,
        Driver::AvgTicket,
        Driver::DoctorUtilization,
        Driver::ChairUtilization,
        Driver::Margin,
        Driver::ExpenseRatio,
        Driver::Ar90Share,
        Driver::LabOverdueShare,
    ];

    /// Whether a lower value is better.
    pub fn lower_is_better(self) -> bool {
        matches!(self, Driver::NoShowRate | Driver::ExpenseRatio | Driver::Ar90Share | Driver::LabOverdueShare)
    }

    /// The action the console suggests when a branch trails the median on it.
    pub fn action(self) -> &'static str {
        match self {
            Driver::CollectionRate => "collect_at_visit",
            Driver::NoShowRate => "confirm_appointments",
            Driver::AvgTicket => "present_treatment_plans",
            Driver::DoctorUtilization => "fill_doctor_schedules",
            Driver::ChairUtilization => "fill_chairs",
            Driver::Margin => "review_material_and_lab_costs",
            Driver::ExpenseRatio => "cut_operating_costs",
            Driver::Ar90Share => "chase_old_receivables",
            Driver::LabOverdueShare => "escalate_lab_vendors",
        }
    }
}

/// One branch's figures that benchmarking reads (all off the domain reports).
struct Figures {
    values: [Option<Decimal>; 9],
    billed: Decimal,
    invoices: u64,
    no_show_base: u64,
    avg_ticket: Option<Decimal>,
    doctor_capacity: u64,
    doctor_booked: u64,
    receipts: Decimal,
    outstanding: Decimal,
}

/// part / whole for a positive whole; none otherwise (a branch whose credits
/// exceed its receivables has no overdue share).
fn share(part: Decimal, whole: Decimal) -> Result<Option<Decimal>> {
    if whole > Decimal::ZERO {
        crate::num::rate(part, whole)
    } else {
        Ok(None)
    }
}

fn figures(r: &DomainReports, clinic_id: i64) -> Result<Figures> {
    let f = clinic_row(&r.financial, clinic_id)?;
    let o = clinic_row(&r.operations, clinic_id)?;
    let a = r.accounting.as_ref().map(|a| clinic_row(a, clinic_id)).transpose()?;
    let l = r.lab.as_ref().map(|l| clinic_row(l, clinic_id)).transpose()?;
    Ok(Figures {
        values: [
            f.collection_rate,
            o.no_show_rate,
            f.avg_ticket,
            o.doctor_utilization,
            o.chair_utilization,
            f.margin,
            a.and_then(|a| a.expense_ratio),
            share(f.ar_aging.over_90, f.outstanding)?,
            l.and_then(|l| l.figures.overdue_share),
        ],
        billed: f.billed,
        invoices: f.invoice_count,
        no_show_base: o.scheduled,
        avg_ticket: o.avg_ticket,
        doctor_capacity: o.doctor_capacity_minutes,
        doctor_booked: o.doctor_booked_minutes,
        receipts: a.map_or(Decimal::ZERO, |a| a.receipts),
        outstanding: f.outstanding,
    })
}

/// The median of some values (the mean of the middle two for an even
/// count); none for no values.
///
/// # Errors
/// [`OdxError::Overflow`] when the middle two's sum leaves `Decimal`.
pub fn median(values: &mut [Decimal]) -> Result<Option<Decimal>> {
    values.sort_unstable();
    let n = values.len();
    Ok(match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => {
            let sum = values[n / 2 - 1].checked_add(values[n / 2]).ok_or(OdxError::Overflow { what: "median" })?;
            Some(sum / Decimal::TWO)
        }
    })
}

/// One driver of one branch against the median.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DriverGap {
    /// The driver.
    pub driver: Driver,
    /// The branch's value (none: no data).
    pub value: Option<Decimal>,
    /// The median of the branches that have a value.
    pub median: Option<Decimal>,
    /// How many branches have a value.
    pub branches: u64,
    /// value - median.
    pub gap: Option<Decimal>,
    /// Whether the branch is on the worse side of the median.
    pub worse: bool,
    /// PKR the branch would gain over the range by reaching the median (0
    /// when it is at or better than it); none where no PKR figure follows
    /// from the reports.
    pub impact: Option<Decimal>,
    /// 1 = the largest impact (drivers without one rank after, by driver).
    pub rank: u32,
}

/// A branch benchmarked against the scope's branches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Benchmark {
    /// The branch.
    pub clinic_id: i64,
    /// The branch's name.
    pub branch_name: String,
    /// The branch's city.
    pub city: String,
    /// First day of the range.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The instant the range was read at ([`crate::Report::as_of`]).
    #[schemars(with = "String")]
    pub as_of: chrono::DateTime<chrono::Utc>,
    /// The branches compared with (the scope, the branch included).
    pub clinic_ids: Vec<i64>,
    /// Every driver, ranked.
    pub drivers: Vec<DriverGap>,
}

/// The PKR the branch would gain by moving `driver` from `value` to `median`.
fn impact(driver: Driver, value: Decimal, median: Decimal, f: &Figures) -> Result<Option<Decimal>> {
    let shortfall = if driver.lower_is_better() { value - median } else { median - value };
    if shortfall <= Decimal::ZERO {
        return Ok(Some(Decimal::ZERO));
    }
    let money = match driver {
        Driver::CollectionRate | Driver::Margin => mul_money(shortfall, f.billed, "benchmark impact")?,
        Driver::AvgTicket => mul_money(shortfall, Decimal::from(f.invoices), "benchmark impact")?,
        Driver::NoShowRate => match f.avg_ticket {
            Some(t) => {
                mul_money(mul_money(shortfall, Decimal::from(f.no_show_base), "benchmark impact")?, t, "impact")?
            }
            None => return Ok(None),
        },
        Driver::DoctorUtilization if f.doctor_booked > 0 => {
            // billed per booked doctor minute, times the minutes the median would book
            let per_minute = f.billed / Decimal::from(f.doctor_booked);
            mul_money(mul_money(shortfall, Decimal::from(f.doctor_capacity), "impact")?, per_minute, "impact")?
        }
        Driver::ExpenseRatio => mul_money(shortfall, f.receipts, "benchmark impact")?,
        Driver::Ar90Share => mul_money(shortfall, f.outstanding, "benchmark impact")?,
        Driver::DoctorUtilization | Driver::ChairUtilization | Driver::LabOverdueShare => return Ok(None),
    };
    Ok(Some(round_money(money)))
}

/// Every branch of the scope benchmarked (in clinic order).
///
/// # Errors
/// [`OdxError::ScopeMismatch`] when the reports are not of one scope grouped
/// by clinic; [`OdxError::Overflow`].
pub fn benchmark_all(r: &DomainReports) -> Result<Vec<Benchmark>> {
    same_scope(&r.financial, &r.operations)?;
    r.accounting.as_ref().map_or(Ok(()), |a| same_scope(&r.financial, a))?;
    r.lab.as_ref().map_or(Ok(()), |l| same_scope(&r.financial, l))?;
    let ids = &r.financial.clinic_ids;
    let all = ids.iter().map(|c| figures(r, *c)).collect::<Result<Vec<_>>>()?;
    let medians = (0..Driver::ALL.len())
        .map(|i| {
            let mut values: Vec<Decimal> = all.iter().filter_map(|f| f.values[i]).collect();
            Ok((median(&mut values)?, values.len() as u64))
        })
        .collect::<Result<Vec<(Option<Decimal>, u64)>>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for (c, f) in ids.iter().zip(&all) {
        let mut drivers = Vec::with_capacity(Driver::ALL.len());
        for (i, driver) in Driver::ALL.into_iter().enumerate() {
            let (med, branches) = medians[i];
            let (gap, worse, imp) = match (f.values[i], med) {
                (Some(v), Some(m)) => {
                    let worse = if driver.lower_is_better() { v > m } else { v < m };
                    (Some(v - m), worse, impact(driver, v, m, f)?)
                }
                _ => (None, false, None),
            };
            drivers.push(DriverGap {
                driver,
                value: f.values[i],
                median: med,
                branches,
                gap,
                worse,
                impact: imp,
                rank: 0,
            });
        }
        drivers.sort_by(|a, b| match (a.impact, b.impact) {
            (Some(x), Some(y)) => y.cmp(&x).then(b.worse.cmp(&a.worse)).then(a.driver.cmp(&b.driver)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => b.worse.cmp(&a.worse).then(a.driver.cmp(&b.driver)),
        });
        for (i, d) in drivers.iter_mut().enumerate() {
            d.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        let (branch_name, city) = r.financial.branch_names(*c);
        out.push(Benchmark {
            clinic_id: *c,
            branch_name,
            city,
            from: r.financial.from,
            to: r.financial.to,
            as_of: r.financial.as_of,
            clinic_ids: ids.clone(),
            drivers,
        });
    }
    Ok(out)
}

/// One branch benchmarked against the scope's branches.
///
/// # Errors
/// [`OdxError::ForbiddenScope`] when the branch is not in the scope; as
/// [`benchmark_all`].
pub fn benchmark(r: &DomainReports, clinic_id: i64) -> Result<Benchmark> {
    benchmark_all(r)?.into_iter().find(|b| b.clinic_id == clinic_id).ok_or(OdxError::ForbiddenScope { clinic_id })
}

/// A branch this far off the median (relative to the median) is an anomaly.
pub const OUTLIER_GAP: Decimal = Decimal::from_parts(25, 0, 0, false, 2);

/// What kind of anomaly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    /// A target breached on the month to date.
    TargetBreach,
    /// A branch worse than the median by more than [`OUTLIER_GAP`] of it.
    Outlier,
}

/// One anomaly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Anomaly {
    /// What kind.
    pub kind: AnomalyKind,
    /// The branch (none: the network).
    pub clinic_id: Option<i64>,
    /// The branch's name (none: the network).
    pub branch_name: Option<String>,
    /// The branch's city (none: the network).
    pub city: Option<String>,
    /// The target metric (target breaches).
    pub metric: Option<TargetMetric>,
    /// The driver (outliers).
    pub driver: Option<Driver>,
    /// The actual value.
    pub value: Decimal,
    /// The target or the median it is judged against.
    pub reference: Decimal,
    /// Critical for a critical breach or an outlier twice [`OUTLIER_GAP`] off.
    pub severity: Severity,
}

/// One suggested action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Action {
    /// 1 = the highest impact.
    pub rank: u32,
    /// The branch.
    pub clinic_id: i64,
    /// The branch's name.
    pub branch_name: String,
    /// The branch's city.
    pub city: String,
    /// The driver it moves.
    pub driver: Driver,
    /// What to do (a stable code, e.g. `confirm_appointments`).
    pub action: String,
    /// The branch's value.
    pub value: Decimal,
    /// The median it should reach.
    pub median: Decimal,
    /// PKR at stake over the range.
    pub impact: Decimal,
}

/// The digest's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Digest {
    /// First day of the range.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The instant the range was read at ([`crate::Report::as_of`]).
    #[schemars(with = "String")]
    pub as_of: chrono::DateTime<chrono::Utc>,
    /// The branches.
    pub clinic_ids: Vec<i64>,
    /// Billed over the range.
    pub billed: Decimal,
    /// Collected over the range.
    pub collected: Decimal,
    /// Cash-basis net profit over the range (none without accounting).
    pub net_profit: Option<Decimal>,
    /// Revenue month to date against target.
    #[serde(with = "crate::wire::rate")]
    pub revenue_attainment: Option<Decimal>,
    /// Target breaches (critical first), then outliers (critical first, then
    /// by branch and driver).
    pub anomalies: Vec<Anomaly>,
    /// The three highest-impact actions over every branch (ties by branch,
    /// then driver).
    pub actions: Vec<Action>,
}

fn breach(a: &Alert) -> Anomaly {
    Anomaly {
        kind: AnomalyKind::TargetBreach,
        clinic_id: a.clinic_id,
        branch_name: a.branch_name.clone(),
        city: a.city.clone(),
        metric: Some(a.metric),
        driver: None,
        value: a.actual,
        reference: a.target,
        severity: a.severity,
    }
}

/// The digest of a Command Center and the benchmarks of its branches (over
/// the same range).
///
/// # Errors
/// [`OdxError::ScopeMismatch`] when the benchmarks are not of the Command
/// Center's branches and range.
pub fn digest(command: &CommandCenter, benchmarks: &[Benchmark]) -> Result<Digest> {
    let ids: Vec<i64> = benchmarks.iter().map(|b| b.clinic_id).collect();
    if ids != command.clinic_ids || benchmarks.iter().any(|b| b.from != command.from || b.to != command.to) {
        return Err(OdxError::ScopeMismatch);
    }
    let mut anomalies: Vec<Anomaly> = command.alerts.iter().map(breach).collect();
    let mut outliers = Vec::new();
    let mut candidates = Vec::new();
    for b in benchmarks {
        for d in &b.drivers {
            let (Some(value), Some(median), Some(gap)) = (d.value, d.median, d.gap) else { continue };
            if d.worse && median != Decimal::ZERO && d.branches > 1 {
                // a gap too large to divide by a tiny median is as far off as can be
                let off = gap.abs().checked_div(median.abs()).unwrap_or(Decimal::MAX);
                if off > OUTLIER_GAP {
                    let severity =
                        if off > OUTLIER_GAP * Decimal::TWO { Severity::Critical } else { Severity::Warning };
                    outliers.push(Anomaly {
                        kind: AnomalyKind::Outlier,
                        clinic_id: Some(b.clinic_id),
                        branch_name: Some(b.branch_name.clone()),
                        city: Some(b.city.clone()),
                        metric: None,
                        driver: Some(d.driver),
                        value,
                        reference: median,
                        severity,
                    });
                }
            }
            if let Some(impact) = d.impact.filter(|i| *i > Decimal::ZERO) {
                candidates.push((impact, b, d.driver, value, median));
            }
        }
    }
    outliers
        .sort_by(|a, b| b.severity.cmp(&a.severity).then(a.clinic_id.cmp(&b.clinic_id)).then(a.driver.cmp(&b.driver)));
    anomalies.extend(outliers);
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.clinic_id.cmp(&b.1.clinic_id)).then(a.2.cmp(&b.2)));
    let actions = candidates
        .into_iter()
        .take(3)
        .enumerate()
        .map(|(i, (impact, b, driver, value, median))| Action {
            rank: u32::try_from(i + 1).unwrap_or(u32::MAX),
            clinic_id: b.clinic_id,
            branch_name: b.branch_name.clone(),
            city: b.city.clone(),
            driver,
            action: driver.action().to_owned(),
            value,
            median,
            impact,
        })
        .collect();
    Ok(Digest {
        from: command.from,
        to: command.to,
        as_of: command.as_of,
        clinic_ids: command.clinic_ids.clone(),
        billed: command.billed,
        collected: command.collected,
        net_profit: command.net_profit,
        revenue_attainment: command.revenue_mtd.attainment,
        anomalies,
        actions,
    })
}

/// The digest of the range's and the month to date's reports (as
/// [`command_center`] takes them) with the organization's targets.
///
/// # Errors
/// As [`command_center`] and [`benchmark_all`].
pub fn digest_of(
    range: &DomainReports,
    mtd: &DomainReports,
    targets: &[OpsTargetRow],
    judged: (bool, MinVolume),
) -> Result<Digest> {
    digest(&command_center(range, mtd, targets, judged)?, &benchmark_all(range)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_no_values() {
        let d = |v: &[i64]| v.iter().map(|x| Decimal::from(*x)).collect::<Vec<_>>();
        assert_eq!(median(&mut d(&[3, 1, 2])), Ok(Some(Decimal::from(2))));
        assert_eq!(median(&mut d(&[4, 1, 3, 2])), Ok(Some(Decimal::new(25, 1))));
        assert_eq!(median(&mut []), Ok(None));
        assert_eq!(median(&mut [Decimal::MAX, Decimal::MAX]), Err(OdxError::Overflow { what: "median" }));
    }

    #[test]
    fn the_overview_counts_what_the_operations_report_counts() {
        // Every status, the unknown one too: on the books in the overview
        // exactly when the operations report's `scheduled` counts it.
        for s in AppointmentStatus::LISTED.iter().copied().chain([AppointmentStatus::Unknown]) {
            let mut by_status = [0u64; AppointmentStatus::COUNT];
            by_status[s.index()] = 1;
            let counts = crate::operations::AppointmentCounts::of(&by_status, 0).unwrap();
            assert_eq!(counts.scheduled(), u64::from(s.is_scheduled()), "{s:?}");
        }
        let statuses = DayStatuses::new();
        assert_eq!(statuses.scheduled, ["booked", "arrived", "completed", "no_show"]);
        assert_eq!(statuses.no_show, ["no_show"]);
        assert_eq!(statuses.billed, ["issued", "partially_paid", "paid"]);
    }

    #[test]
    fn lower_is_better_drivers_are_the_leaks() {
        let lower: Vec<Driver> = Driver::ALL.into_iter().filter(|d| d.lower_is_better()).collect();
        assert_eq!(lower, [Driver::NoShowRate, Driver::ExpenseRatio, Driver::Ar90Share, Driver::LabOverdueShare]);
    }
}
