//! Lab domain: the cases a branch has out at dental labs. Open and overdue
//! cases as of the end of `to`, the average turnaround of cases received in
//! range, and the lab cost of cases sent in range; each per vendor too.
//!
//! Source: `lab_cases` sent on or before `to` (the open backlog reaches back
//! before the range). Lab cases have no doctor: with doctor grouping they
//! land on the clinic's `doctor_id: null` row.

use crate::readout::{Cell, Readout};
use crate::domain::Domain;
use crate::compare::{Headline, Measure, MeasureKind, amount, count, of};
use crate::category::LabStatus;
use crate::error::Result;
use crate::financial::{lab_cost_counts, LabCostFact};
use crate::frame::Facts;
use crate::num::{add_count, add_money, count_rate, rate};
use crate::report::accumulator;
use crate::report::Report;
use crate::rows::Tables;
pub use crate::rules::DatePos;
use crate::rules::{LAB_DUE_BEFORE_TO, RECEIVED_BEFORE_SENT};
use crate::scope::MetricScope;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Lab cases grouped by clinic, vendor, status and where their dates fall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LabCaseFact {
    /// `lab_cases.clinic_id`.
    pub clinic_id: i64,
    /// `lab_cases.vendor` as stored (core normalizes it).
    pub vendor: String,
    /// `lab_cases.status`.
    pub status: LabStatus,
    /// Where `sent_on` falls.
    pub sent: DatePos,
    /// Where `received_on` falls; `None` when it is null.
    pub received: Option<DatePos>,
    /// `due_on < to`: past due as of the end of `to` (due on `to` is not yet late).
    pub due_before_to: bool,
    /// `received_on < sent_on` (bad data).
    pub received_before_sent: bool,
    /// How many cases.
    pub cases: u64,
    /// Sum of `lab_cases.cost`.
    pub cost: Decimal,
    /// Sum of `received_on - sent_on` in days (0 when `received_on` is null).
    pub turnaround_days: i64,
}

/// Cases kept out of the KPIs for bad values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LabDataQuality {
    /// Cases sent on or before `to` whose status is not listed.
    pub unknown_status: u64,
    /// Cases `received` without a `received_on` date (not open, no turnaround).
    pub received_without_date: u64,
    /// Cases received in range before they were sent (no turnaround).
    pub received_before_sent: u64,
}

impl LabDataQuality {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_count(&mut self.unknown_status, o.unknown_status, "data quality")?;
        add_count(&mut self.received_without_date, o.received_without_date, "data quality")?;
        add_count(&mut self.received_before_sent, o.received_before_sent, "data quality")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LabCounts {
    open: u64,
    overdue: u64,
    sent: u64,
    cost: Decimal,
    received: u64,
    turnaround_days: i64,
}

impl LabCounts {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_count(&mut self.open, o.open, "open cases")?;
        add_count(&mut self.overdue, o.overdue, "overdue cases")?;
        add_count(&mut self.sent, o.sent, "cases sent")?;
        add_money(&mut self.cost, o.cost, "lab cost")?;
        add_count(&mut self.received, o.received, "cases received")?;
        self.turnaround_days = self
            .turnaround_days
            .checked_add(o.turnaround_days)
            .ok_or(crate::OdxError::Overflow { what: "turnaround" })?;
        Ok(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LabFacts {
    all: LabCounts,
    vendors: BTreeMap<String, LabCounts>,
    dq: LabDataQuality,
}

impl Facts for LabFacts {
    fn merge(&mut self, o: &Self) -> Result<()> {
        self.all.merge(&o.all)?;
        for (v, c) in &o.vendors {
            self.vendors.entry(v.clone()).or_default().merge(c)?;
        }
        self.dq.merge(&o.dq)
    }
}

impl LabFacts {
    fn add(&mut self, f: &LabCaseFact, counts: &LabCounts, dq: &LabDataQuality) -> Result<()> {
        self.all.merge(counts)?;
        if *counts != LabCounts::default() {
            self.vendors.entry(crate::category::label(&f.vendor)).or_default().merge(counts)?;
        }
        self.dq.merge(dq)
    }
}

/// What one fact adds: the rules of the domain, in one place.
fn classify(f: &LabCaseFact) -> Result<(LabCounts, LabDataQuality)> {
    let mut c = LabCounts::default();
    let mut dq = LabDataQuality::default();
    if f.sent == DatePos::After {
        return Ok((c, dq));
    }
    if f.sent == DatePos::In {
        // The lab cost rule shared with financial and accounting.
        let cost = LabCostFact { clinic_id: f.clinic_id, status: f.status, cases: f.cases, cost: f.cost };
        if lab_cost_counts(&cost, &mut dq.unknown_status)? {
            c.sent = f.cases;
            c.cost = f.cost;
        }
    } else if f.status == LabStatus::Unknown {
        dq.unknown_status = f.cases;
    }
    let open = match (f.status, f.received) {
        (LabStatus::Sent, _) => true,
        // Received after `to`: still out at the lab as of `to`.
        (LabStatus::Received, Some(DatePos::After)) => true,
        (LabStatus::Received, None) => {
            dq.received_without_date = f.cases;
            false
        }
        (LabStatus::Received, Some(DatePos::In)) => {
            if f.received_before_sent {
                dq.received_before_sent = f.cases;
            } else {
                c.received = f.cases;
                c.turnaround_days = f.turnaround_days;
            }
            false
        }
        _ => false,
    };
    if open {
        c.open = f.cases;
        if f.due_before_to {
            c.overdue = f.cases;
        }
    }
    Ok((c, dq))
}

/// The lab KPIs of one vendor, or of a whole group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LabFigures {
    /// Cases out at the lab as of the end of `to`: sent on or before `to`,
    /// status `sent`, or `received` after `to`.
    pub open_cases: u64,
    /// Open cases whose `due_on` is before `to`.
    pub overdue_cases: u64,
    /// overdue_cases / open_cases; null when nothing is open.
    #[serde(with = "crate::wire::rate")]
    pub overdue_share: Option<Decimal>,
    /// Cases sent in range, not cancelled.
    pub cases_sent: u64,
    /// Their cost (the financial `lab_cost`).
    pub lab_cost: Decimal,
    /// Cases received in range.
    pub cases_received: u64,
    /// Mean of `received_on - sent_on` in days over the cases received in
    /// range; null when none was.
    #[serde(with = "crate::wire::mean")]
    pub avg_turnaround_days: Option<Decimal>,
}

/// One vendor's lab KPIs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LabVendorLine {
    /// The vendor (trimmed; blank is `unspecified`: [`crate::category::label`]).
    pub vendor: String,
    /// Its KPIs.
    #[serde(flatten)]
    pub figures: LabFigures,
}

/// Every lab KPI of one group (or of the totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LabMetrics {
    /// The group's KPIs over every vendor.
    #[serde(flatten)]
    pub figures: LabFigures,
    /// Per vendor, by name; only vendors with a case that counts.
    pub by_vendor: Vec<LabVendorLine>,
    /// Cases kept out for bad values.
    pub data_quality: LabDataQuality,
}

impl crate::report::NamesBranches for LabMetrics {}

/// The lab report.
pub type LabReport = Report<LabMetrics>;

accumulator!(
    /// The mergeable lab accumulator of one scope.
    LabAcc,
    LabFacts,
    LabReport,
    metrics
);

impl LabAcc {
    /// Adds lab cases (on the clinic's no-doctor row).
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`](crate::OdxError::RowOutsideScope),
    /// [`OdxError::Overflow`](crate::OdxError::Overflow).
    pub fn accum_case(&mut self, f: &LabCaseFact) -> Result<()> {
        let (counts, dq) = classify(f)?;
        self.each(f.clinic_id, None, |facts| facts.add(f, &counts, &dq))
    }
}

fn figures(c: &LabCounts) -> Result<LabFigures> {
    Ok(LabFigures {
        open_cases: c.open,
        overdue_cases: c.overdue,
        overdue_share: count_rate(c.overdue, c.open),
        cases_sent: c.sent,
        lab_cost: c.cost,
        cases_received: c.received,
        avg_turnaround_days: rate(Decimal::from(c.turnaround_days), Decimal::from(c.received))?,
    })
}

fn metrics(f: &LabFacts) -> Result<LabMetrics> {
    Ok(LabMetrics {
        figures: figures(&f.all)?,
        by_vendor: f
            .vendors
            .iter()
            .map(|(vendor, c)| Ok(LabVendorLine { vendor: vendor.clone(), figures: figures(c)? }))
            .collect::<Result<_>>()?,
        data_quality: f.dq,
    })
}

// The in-memory path: these rows folded into this domain's accumulator.
impl Tables {
    /// The lab report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn lab(&self, scope: &MetricScope) -> Result<LabReport> {
        let mut acc = LabAcc::new(scope, &self.directory())?;
        self.fold_lab(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' lab facts (scope clinics only) to an accumulator.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_lab(&self, acc: &mut LabAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        for l in self.lab_cases.iter().filter(|l| scope.contains(l.clinic_id)) {
            let (from, to) = (scope.from(), frame.clock(l.clinic_id)?.as_of_date());
            acc.accum_case(&LabCaseFact {
                clinic_id: l.clinic_id,
                vendor: l.vendor.clone(),
                status: l.status,
                sent: DatePos::of(l.sent_on, from, to),
                received: l.received_on.map(|r| DatePos::of(r, from, to)),
                due_before_to: LAB_DUE_BEFORE_TO.holds(Some(l.due_on), from, to),
                received_before_sent: RECEIVED_BEFORE_SENT.holds(l.received_on, Some(l.sent_on)),
                cases: 1,
                cost: l.cost,
                turnaround_days: l.received_on.map_or(0, |r| (r - l.sent_on).num_days()),
            })?;
        }
        Ok(())
    }
}

impl Headline for LabMetrics {
    const DOMAIN: Domain = Domain::Lab;
    fn headline(&self) -> Vec<Measure> {
        let f = &self.figures;
        vec![
            count("cases_sent", f.cases_sent),
            count("cases_received", f.cases_received),
            count("open_cases", f.open_cases),
            count("overdue_cases", f.overdue_cases),
            of("overdue_share", MeasureKind::Rate, f.overdue_share),
            amount("lab_cost", f.lab_cost),
            of("avg_turnaround_days", MeasureKind::Days, f.avg_turnaround_days),
        ]
    }
}

/// What the domain's report computes, in a sentence a SQL user reads (the
/// `COMMENT` of its SQL function), with core's constants interpolated.
pub fn about() -> String {
    "Lab cases of the clinics, computed by odx-core: open and overdue as of the as-of instant, cases sent and their cost, cases received in range and the average turnaround in days, each per vendor too; { degraded, totals, groups }. Lab cases have no doctor: group_by doctor puts them on the doctor_id null row. Since 0.2.0."
        .to_owned()
}

impl Readout for LabMetrics {
    const COLUMNS: &'static [&'static str] =
        &["Open", "Overdue", "Overdue%", "Sent", "Lab cost", "Received", "Turnaround"];
    fn heading(_: &MetricScope) -> String {
        "LAB (open and overdue as of the end of the range)".to_owned()
    }
    fn cells(&self) -> Vec<Cell> {
        let f = &self.figures;
        vec![
            Cell::Count(f.open_cases),
            Cell::Count(f.overdue_cases),
            Cell::Rate(f.overdue_share),
            Cell::Count(f.cases_sent),
            Cell::Money(Some(f.lab_cost)),
            Cell::Count(f.cases_received),
            Cell::Text(f.avg_turnaround_days.map_or("-".into(), |d| format!("{:.1} d", d.round_dp(1)))),
        ]
    }
    fn notes(&self, _: &dyn Fn(i64) -> String, _: &dyn Fn(Decimal) -> String) -> Vec<String> {
        let vendors: Vec<String> = self
            .by_vendor
            .iter()
            .map(|v| format!("{} {} open / {} overdue", v.vendor, v.figures.open_cases, v.figures.overdue_cases))
            .collect();
        vec![format!("By vendor: {}", vendors.join("; "))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{GroupBy, MetricScope};
    use crate::ClinicDirectory;
    use chrono::NaiveDate;

    fn fact(status: LabStatus, sent: DatePos, received: Option<DatePos>, due_before_to: bool) -> LabCaseFact {
        LabCaseFact {
            clinic_id: 1,
            vendor: " Smile Lab ".into(),
            status,
            sent,
            received,
            due_before_to,
            received_before_sent: false,
            cases: 1,
            cost: Decimal::new(100_000, 2),
            turnaround_days: 7,
        }
    }

    #[test]
    fn open_overdue_turnaround_and_cost_follow_the_rules() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let scope = MetricScope::new([1], d, d, GroupBy::Doctor).unwrap();
        let mut a = LabAcc::new(&scope, &ClinicDirectory::with_default_zone([1])).unwrap();
        a.accum_case(&fact(LabStatus::Sent, DatePos::Before, None, true)).unwrap(); // open, overdue
        a.accum_case(&fact(LabStatus::Received, DatePos::In, Some(DatePos::After), false)).unwrap(); // open, sent
        a.accum_case(&fact(LabStatus::Received, DatePos::In, Some(DatePos::In), true)).unwrap(); // received
        a.accum_case(&fact(LabStatus::Cancelled, DatePos::In, None, true)).unwrap(); // nothing
        a.accum_case(&fact(LabStatus::Sent, DatePos::After, None, false)).unwrap(); // after to
        a.accum_case(&fact(LabStatus::Unknown, DatePos::Before, None, true)).unwrap();
        a.accum_case(&fact(LabStatus::Received, DatePos::Before, None, true)).unwrap();
        let r = a.finish().unwrap();
        let t = &r.totals.figures;
        assert_eq!((t.open_cases, t.overdue_cases, t.cases_sent, t.cases_received), (2, 1, 2, 1));
        assert_eq!(t.lab_cost, Decimal::new(200_000, 2));
        assert_eq!(t.avg_turnaround_days, Some(Decimal::from(7)));
        assert_eq!(t.overdue_share, Some(Decimal::new(5, 1)));
        assert_eq!(
            r.totals.data_quality,
            LabDataQuality { unknown_status: 1, received_without_date: 1, received_before_sent: 0 }
        );
        assert_eq!(r.totals.by_vendor.len(), 1);
        assert_eq!(r.totals.by_vendor[0].vendor, "Smile Lab");
        assert_eq!(r.groups.len(), 1);
        assert_eq!(r.groups[0].doctor_id, None);
    }

    #[test]
    fn date_positions() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 6, n).unwrap();
        assert_eq!(DatePos::of(d(1), d(2), d(3)), DatePos::Before);
        assert_eq!(DatePos::of(d(3), d(2), d(3)), DatePos::In);
        assert_eq!(DatePos::of(d(4), d(2), d(3)), DatePos::After);
        assert_eq!(DatePos::from_index(1), Some(DatePos::In));
        assert_eq!(DatePos::from_index(3), None);
    }
}
