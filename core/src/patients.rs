//! Patients domain: who is active, who is new or returning, whose recall is
//! due or overdue, and who is slipping away (churn risk), with the ranked list
//! of at-risk patients, most valuable first.
//!
//! Sources: `patients`, their `appointments` (completed visits before the
//! as-of instant, booked ones after it) and, for at-risk patients only, their
//! billed `invoices`. Patients belong to the branch: with doctor grouping
//! they land on the clinic's `doctor_id: null` row.
//!
//! One fact describes patients by where their visits fall against the
//! clinic's cuts ([`crate::ClinicClock::range_cuts`],
//! [`crate::ClinicClock::patient_cuts`]); only a patient whose last visit is
//! before the churn cut carries its identity, so the facts stay small and
//! merge exactly.

use crate::readout::{Cell, Readout};
use crate::domain::Domain;
use crate::compare::{Headline, Measure, MeasureKind, count, of};
use crate::category::AppointmentStatus;
use crate::error::{OdxError, Result};
use crate::frame::Facts;
use crate::num::add_money;
use crate::num::{add_count, count_rate};
use crate::operations::is_new_patient;
use crate::report::accumulator;
use crate::report::Report;
use crate::rows::Tables;
use crate::rules::{DatePos, RECALL_BEFORE_TO, SEEN_SINCE_RECALL};
use crate::scope::MetricScope;
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::calendar::CHURN_AFTER_MONTHS;

/// The at-risk list of a report row keeps the most valuable patients, this
/// many at most (`churn_risk` counts them all).
pub const CHURN_LIST_LEN: usize = 100;

/// A patient whose last completed visit is before the churn cut: who, and
/// what ranks them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DormantPatient {
    /// `patients.id`.
    pub patient_id: i64,
    /// Sum of the patient's billed invoices issued before the as-of instant.
    pub lifetime_billed: Decimal,
    /// Local date of the last completed visit.
    pub last_visit_on: NaiveDate,
}

/// Patients grouped by where their visits and recall date fall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PatientFact {
    /// `patients.clinic_id`.
    pub clinic_id: i64,
    /// Range position (0 before the range, 1 in it) of the first completed
    /// visit before the as-of instant; `None` for a patient never seen.
    pub first_visit: Option<u32>,
    /// The last completed visit before the as-of instant is in the range.
    pub seen_in_range: bool,
    /// ... is at or after the active window's first instant.
    pub seen_in_window: bool,
    /// ... is before the churn cut (on or before [`crate::calendar::ClinicClock::churn_by`]).
    pub last_visit_before_churn_cut: bool,
    /// A booked appointment starts at or after the as-of instant.
    pub booked_after_to: bool,
    /// The last completed visit before the range start is before the churn
    /// cut of the day before `from` (on or before
    /// [`crate::Calendar::churn_by_at_start`]): lapsed when the range began.
    pub lapsed_at_start: bool,
    /// Where `recall_due_on` falls against `from..=to`; `None` when null.
    pub recall: Option<DatePos>,
    /// `recall_due_on < to`.
    pub recall_before_to: bool,
    /// The last completed visit's local date is on or after `recall_due_on`.
    pub visited_since_recall: bool,
    /// How many patients.
    pub patients: u64,
    /// The patient, on a row of one patient whose last visit is before the
    /// churn cut (the producer sends those one by one).
    pub dormant: Option<DormantPatient>,
}

/// One at-risk patient of the churn list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AtRiskPatient {
    /// The patient's branch.
    pub clinic_id: i64,
    /// `patients.id`.
    pub patient_id: i64,
    /// Billed over the patient's whole history up to the end of `to`.
    pub lifetime_billed: Decimal,
    /// Local date of the last completed visit.
    pub last_visit_on: NaiveDate,
}

/// Most valuable first; ties by branch, then patient id.
fn rank(a: &AtRiskPatient, b: &AtRiskPatient) -> std::cmp::Ordering {
    b.lifetime_billed.cmp(&a.lifetime_billed).then(a.clinic_id.cmp(&b.clinic_id)).then(a.patient_id.cmp(&b.patient_id))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PatientsFacts {
    on_file: u64,
    active: u64,
    new: u64,
    returning: u64,
    recall_due: u64,
    recall_overdue: u64,
    churn_risk: u64,
    lapsed: u64,
    lapsed_at_start: u64,
    won_back: u64,
    /// Ranked, at most [`CHURN_LIST_LEN`]: the head of a ranked union is the
    /// union of the heads, so partial lists merge exactly.
    churn_list: Vec<AtRiskPatient>,
}

impl PatientsFacts {
    fn add_at_risk(&mut self, more: impl IntoIterator<Item = AtRiskPatient>) {
        self.churn_list.extend(more);
        self.churn_list.sort_by(rank);
        self.churn_list.truncate(CHURN_LIST_LEN);
    }
}

impl Facts for PatientsFacts {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_count(&mut self.on_file, o.on_file, "patients")?;
        add_count(&mut self.active, o.active, "active patients")?;
        add_count(&mut self.new, o.new, "new patients")?;
        add_count(&mut self.returning, o.returning, "returning patients")?;
        add_count(&mut self.recall_due, o.recall_due, "recall due")?;
        add_count(&mut self.recall_overdue, o.recall_overdue, "recall overdue")?;
        add_count(&mut self.churn_risk, o.churn_risk, "churn risk")?;
        add_count(&mut self.lapsed, o.lapsed, "lapsed patients")?;
        add_count(&mut self.lapsed_at_start, o.lapsed_at_start, "lapsed at start")?;
        add_count(&mut self.won_back, o.won_back, "won back")?;
        self.add_at_risk(o.churn_list.iter().cloned());
        Ok(())
    }
}

/// What one fact adds: the rules of the domain, in one place.
fn classify(f: &PatientFact) -> Result<PatientsFacts> {
    let n = f.patients;
    let mut c = PatientsFacts { on_file: n, ..PatientsFacts::default() };
    if let Some(position) = f.first_visit {
        // New and returning exactly as the operations domain counts them.
        let is_new = is_new_patient(position)?;
        if f.seen_in_range {
            if is_new {
                c.new = n;
            } else {
                c.returning = n;
            }
        }
        if f.seen_in_window {
            c.active = n;
        }
        if f.last_visit_before_churn_cut {
            c.lapsed = n;
        }
        if f.lapsed_at_start {
            c.lapsed_at_start = n;
            if f.seen_in_range {
                c.won_back = n;
            }
        }
        if f.last_visit_before_churn_cut && !f.booked_after_to {
            c.churn_risk = n;
            if let Some(d) = &f.dormant {
                c.add_at_risk([AtRiskPatient {
                    clinic_id: f.clinic_id,
                    patient_id: d.patient_id,
                    lifetime_billed: d.lifetime_billed,
                    last_visit_on: d.last_visit_on,
                }]);
            }
        }
    }
    if f.recall == Some(DatePos::In) {
        c.recall_due = n;
    }
    let seen_since = f.first_visit.is_some() && f.visited_since_recall;
    if f.recall.is_some() && f.recall_before_to && !seen_since {
        c.recall_overdue = n;
    }
    Ok(c)
}

/// Every patients KPI of one group (or of the totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PatientsMetrics {
    /// Patient records of the branch.
    pub patients_on_file: u64,
    /// Distinct patients with a completed visit in the active window (the
    /// scope's `active_window_months` up to `to`, 18 by default).
    pub active_patients: u64,
    /// Patients seen in range whose first ever completed visit is in range.
    pub new_patients: u64,
    /// Patients seen in range whose first completed visit is before it.
    pub returning_patients: u64,
    /// returning / (new + returning); null when nobody was seen.
    #[serde(with = "crate::wire::rate")]
    pub returning_share: Option<Decimal>,
    /// Patients whose `recall_due_on` is in range.
    pub recall_due: u64,
    /// Patients whose `recall_due_on` is before `to` with no completed visit
    /// on or after it (up to the end of `to`).
    pub recall_overdue: u64,
    /// Patients seen before whose last completed visit is
    /// [`CHURN_AFTER_MONTHS`] calendar months or more before `to`, with
    /// nothing booked after `to`.
    pub churn_risk: u64,
    /// The most valuable of them (lifetime billed, highest first), at most
    /// [`CHURN_LIST_LEN`].
    pub churn_list: Vec<AtRiskPatient>,
    /// Patients seen before whose last completed visit is
    /// [`CHURN_AFTER_MONTHS`] calendar months or more before `to`, booked or not (`churn_risk` is those of them
    /// with nothing booked).
    pub lapsed: u64,
    /// Patients whose last completed visit before `from` is
    /// [`CHURN_AFTER_MONTHS`] calendar months or more before the day before
    /// `from`: lapsed when the range
    /// began.
    pub lapsed_at_start: u64,
    /// Of `lapsed_at_start`, those with a completed visit in the range.
    pub won_back: u64,
}

impl crate::report::NamesBranches for PatientsMetrics {}

/// The patients report.
pub type PatientsReport = Report<PatientsMetrics>;

accumulator!(
    /// The mergeable patients accumulator of one scope.
    PatientsAcc,
    PatientsFacts,
    PatientsReport,
    metrics
);

impl PatientsAcc {
    /// Adds patients (on the clinic's no-doctor row).
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::BucketOutOfRange`] for a
    /// first visit after the range, [`OdxError::Overflow`].
    pub fn accum_patient(&mut self, f: &PatientFact) -> Result<()> {
        let counts = classify(f)?;
        self.each(f.clinic_id, None, |facts| facts.merge(&counts))
    }
}

fn metrics(f: &PatientsFacts) -> Result<PatientsMetrics> {
    let seen = f.new.checked_add(f.returning).ok_or(OdxError::Overflow { what: "patients seen" })?;
    Ok(PatientsMetrics {
        patients_on_file: f.on_file,
        active_patients: f.active,
        new_patients: f.new,
        returning_patients: f.returning,
        returning_share: count_rate(f.returning, seen),
        recall_due: f.recall_due,
        recall_overdue: f.recall_overdue,
        churn_risk: f.churn_risk,
        churn_list: f.churn_list.clone(),
        lapsed: f.lapsed,
        lapsed_at_start: f.lapsed_at_start,
        won_back: f.won_back,
    })
}

// The in-memory path: these rows folded into this domain's accumulator.
impl Tables {
    /// The patients report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn patients(&self, scope: &MetricScope) -> Result<PatientsReport> {
        let mut acc = PatientsAcc::new(scope, &self.directory())?;
        self.fold_patients(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' patients facts (scope clinics only) to an accumulator:
    /// one fact per patient.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_patients(&self, acc: &mut PatientsAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        let from = scope.from();
        // Per (clinic, patient): first and last completed visit before the
        // as-of instant, the last before the range, and whether anything is
        // booked from the as-of instant on.
        #[derive(Default)]
        struct Visits {
            first: Option<DateTime<Utc>>,
            last: Option<DateTime<Utc>>,
            last_before_range: Option<DateTime<Utc>>,
            booked_after: bool,
        }
        let mut visits: FxHashMap<(i64, i64), Visits> = FxHashMap::default();
        for a in self.appointments.iter().filter(|a| scope.contains(a.clinic_id)) {
            let clock = frame.clock(a.clinic_id)?;
            let v = visits.entry((a.clinic_id, a.patient_id)).or_default();
            let later = |t: Option<DateTime<Utc>>| Some(t.map_or(a.starts_at, |l| l.max(a.starts_at)));
            match a.status {
                AppointmentStatus::Completed if a.starts_at < clock.as_of() => {
                    v.first = Some(v.first.map_or(a.starts_at, |f| f.min(a.starts_at)));
                    v.last = later(v.last);
                    if a.starts_at < clock.range_start() {
                        v.last_before_range = later(v.last_before_range);
                    }
                }
                AppointmentStatus::Booked if a.starts_at >= clock.as_of() => v.booked_after = true,
                _ => {}
            }
        }
        let mut billed: FxHashMap<(i64, i64), Decimal> = FxHashMap::default();
        for i in self.invoices.iter().filter(|i| scope.contains(i.clinic_id) && i.status.is_billed()) {
            if i.issued_at < frame.clock(i.clinic_id)?.as_of() {
                add_money(billed.entry((i.clinic_id, i.patient_id)).or_default(), i.total, "lifetime billed")?;
            }
        }
        for p in self.patients.iter().filter(|p| scope.contains(p.clinic_id)) {
            let clock = frame.clock(p.clinic_id)?;
            let [window_start, churn_cut, churn_cut_at_start] = clock.patient_cuts();
            let v = visits.get(&(p.clinic_id, p.id));
            let (first, last) = (v.and_then(|v| v.first), v.and_then(|v| v.last));
            let dormant = last.filter(|l| *l < churn_cut).map(|l| DormantPatient {
                patient_id: p.id,
                lifetime_billed: billed.get(&(p.clinic_id, p.id)).copied().unwrap_or_default(),
                last_visit_on: clock.local_date(l),
            });
            acc.accum_patient(&PatientFact {
                clinic_id: p.clinic_id,
                first_visit: first.map(|f| clock.range_position(f)),
                seen_in_range: last.is_some_and(|l| l >= clock.range_start()),
                seen_in_window: last.is_some_and(|l| l >= window_start),
                last_visit_before_churn_cut: dormant.is_some(),
                booked_after_to: v.is_some_and(|v| v.booked_after),
                lapsed_at_start: v.and_then(|v| v.last_before_range).is_some_and(|l| l < churn_cut_at_start),
                recall: p.recall_due_on.map(|r| DatePos::of(r, from, clock.as_of_date())),
                recall_before_to: RECALL_BEFORE_TO.holds(p.recall_due_on, from, clock.as_of_date()),
                visited_since_recall: SEEN_SINCE_RECALL.holds(p.recall_due_on, last.map(|l| clock.local_date(l))),
                patients: 1,
                dormant,
            })?;
        }
        Ok(())
    }
}

impl Headline for PatientsMetrics {
    const DOMAIN: Domain = Domain::Patients;
    fn headline(&self) -> Vec<Measure> {
        vec![
            count("active_patients", self.active_patients),
            count("new_patients", self.new_patients),
            count("returning_patients", self.returning_patients),
            of("returning_share", MeasureKind::Rate, self.returning_share),
            count("recall_overdue", self.recall_overdue),
            count("churn_risk", self.churn_risk),
        ]
    }
}

/// What the domain's report computes, in a sentence a SQL user reads (the
/// `COMMENT` of its SQL function), with core's constants interpolated.
pub fn about() -> String {
    format!(
        "Patients of the clinics, computed by odx-core: patients on file, active (a completed visit in the active_window_months up to to_date, {} by default), new and returning in range and the returning share, recall due in range and overdue (due before to_date, not seen since), churn risk (last completed visit {CHURN_AFTER_MONTHS} calendar months or more before to_date, nothing booked after it) and churn_list, the {CHURN_LIST_LEN} most valuable at-risk patients by lifetime billed; {{ degraded, totals, groups }}. Patients belong to the branch: group_by doctor puts them on the doctor_id null row. Since 0.2.0.",
        crate::scope::DEFAULT_ACTIVE_WINDOW_MONTHS
    )
}

impl Readout for PatientsMetrics {
    const COLUMNS: &'static [&'static str] =
        &["On file", "Active", "New", "Returning%", "Recall", "Overdue", "At risk"];
    fn heading(scope: &MetricScope) -> String {
        format!("PATIENTS (active over the {} months up to the last day)", scope.active_window_months())
    }
    fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Count(self.patients_on_file),
            Cell::Count(self.active_patients),
            Cell::Count(self.new_patients),
            Cell::Rate(self.returning_share),
            Cell::Count(self.recall_due),
            Cell::Count(self.recall_overdue),
            Cell::Count(self.churn_risk),
        ]
    }
    fn notes(&self, branch: &dyn Fn(i64) -> String, money: &dyn Fn(Decimal) -> String) -> Vec<String> {
        let top: Vec<String> = self
            .churn_list
            .iter()
            .take(3)
            .map(|p| {
                format!(
                    "#{} at {} ({}, last seen {})",
                    p.patient_id,
                    branch(p.clinic_id),
                    money(p.lifetime_billed),
                    p.last_visit_on
                )
            })
            .collect();
        vec![format!(
            "Most valuable at risk (last visit {CHURN_AFTER_MONTHS}+ months ago, nothing booked): {}.",
            top.join("; ")
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{GroupBy, MetricScope};
    use crate::ClinicDirectory;

    fn fact() -> PatientFact {
        PatientFact {
            clinic_id: 1,
            first_visit: Some(0),
            seen_in_range: false,
            seen_in_window: false,
            last_visit_before_churn_cut: false,
            booked_after_to: false,
            lapsed_at_start: false,
            recall: None,
            recall_before_to: false,
            visited_since_recall: false,
            patients: 1,
            dormant: None,
        }
    }

    fn dormant(patient_id: i64, billed: i64) -> Option<DormantPatient> {
        Some(DormantPatient {
            patient_id,
            lifetime_billed: Decimal::new(billed, 2),
            last_visit_on: NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
        })
    }

    #[test]
    fn every_rule_counts_where_it_should() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let scope = MetricScope::new([1], d, d, GroupBy::Doctor).unwrap();
        let mut a = PatientsAcc::new(&scope, &ClinicDirectory::with_default_zone([1])).unwrap();
        // New, active; recall in range, seen since.
        a.accum_patient(&PatientFact {
            first_visit: Some(1),
            seen_in_range: true,
            seen_in_window: true,
            recall: Some(DatePos::In),
            recall_before_to: true,
            visited_since_recall: true,
            ..fact()
        })
        .unwrap();
        // Returning, two of them; recall before the range, not seen since: overdue.
        a.accum_patient(&PatientFact {
            seen_in_range: true,
            seen_in_window: true,
            recall: Some(DatePos::Before),
            recall_before_to: true,
            patients: 2,
            ..fact()
        })
        .unwrap();
        // Dormant with a booking after `to`: not at risk.
        a.accum_patient(&PatientFact {
            last_visit_before_churn_cut: true,
            booked_after_to: true,
            dormant: dormant(7, 100),
            ..fact()
        })
        .unwrap();
        // Two at risk, ranked by value; one of them lapsed already at the start.
        a.accum_patient(&PatientFact { last_visit_before_churn_cut: true, dormant: dormant(8, 100), ..fact() })
            .unwrap();
        a.accum_patient(&PatientFact {
            last_visit_before_churn_cut: true,
            lapsed_at_start: true,
            dormant: dormant(9, 500),
            ..fact()
        })
        .unwrap();
        // Lapsed at the start and seen in the range: won back (three of them).
        a.accum_patient(&PatientFact {
            seen_in_range: true,
            seen_in_window: true,
            lapsed_at_start: true,
            patients: 3,
            ..fact()
        })
        .unwrap();
        // Never seen, recall due on `to` itself: due, not yet overdue.
        a.accum_patient(&PatientFact { first_visit: None, recall: Some(DatePos::In), ..fact() }).unwrap();
        // Never seen, recall before `to`: overdue even if a producer set the flag.
        a.accum_patient(&PatientFact {
            first_visit: None,
            recall: Some(DatePos::Before),
            recall_before_to: true,
            visited_since_recall: true,
            ..fact()
        })
        .unwrap();
        let r = a.finish().unwrap();
        let t = &r.totals;
        assert_eq!(t.patients_on_file, 11);
        assert_eq!((t.active_patients, t.new_patients, t.returning_patients), (6, 1, 5));
        assert_eq!(t.returning_share, Some(Decimal::new(5, 0) / Decimal::new(6, 0)));
        assert_eq!((t.recall_due, t.recall_overdue), (2, 3));
        assert_eq!(t.churn_risk, 2);
        // lapsed: the two at risk and the booked one; lapsed at the start: 9 and the three won back
        assert_eq!((t.lapsed, t.lapsed_at_start, t.won_back), (3, 4, 3));
        let ids: Vec<i64> = t.churn_list.iter().map(|p| p.patient_id).collect();
        assert_eq!(ids, [9, 8]);
        assert_eq!(r.groups.len(), 1);
        assert_eq!(r.groups[0].doctor_id, None);
    }

    #[test]
    fn a_first_visit_after_the_range_is_refused() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let scope = MetricScope::new([1], d, d, GroupBy::Clinic).unwrap();
        let mut a = PatientsAcc::new(&scope, &ClinicDirectory::with_default_zone([1])).unwrap();
        let err = a.accum_patient(&PatientFact { first_visit: Some(2), ..fact() }).unwrap_err();
        assert_eq!(err, OdxError::BucketOutOfRange { bucket: 2, buckets: 2 });
    }

    #[test]
    fn the_list_keeps_the_most_valuable_and_merges_exactly() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let scope = MetricScope::new([1], d, d, GroupBy::Clinic).unwrap();
        let dir = ClinicDirectory::with_default_zone([1]);
        let mut one = PatientsAcc::new(&scope, &dir).unwrap();
        let mut halves = [PatientsAcc::new(&scope, &dir).unwrap(), PatientsAcc::new(&scope, &dir).unwrap()];
        let n = CHURN_LIST_LEN as i64 + 30;
        for id in 0..n {
            let f = PatientFact { last_visit_before_churn_cut: true, dormant: dormant(id, (id * 37) % 50), ..fact() };
            one.accum_patient(&f).unwrap();
            halves[(id % 2) as usize].accum_patient(&f).unwrap();
        }
        let [mut a, b] = halves;
        a.combine(&b).unwrap();
        let (x, y) = (one.finish().unwrap().totals, a.finish().unwrap().totals);
        assert_eq!(x, y);
        assert_eq!(x.churn_risk, n as u64);
        assert_eq!(x.churn_list.len(), CHURN_LIST_LEN);
        assert!(x.churn_list.windows(2).all(|w| rank(&w[0], &w[1]).is_lt()));
    }

    #[test]
    fn the_window_and_churn_cuts_follow_the_calendar() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let scope = MetricScope::new([1], d(2026, 6, 1), d(2026, 6, 30), GroupBy::Clinic).unwrap();
        let clock = |s: &MetricScope| {
            let tz = crate::calendar::parse_time_zone(1, "").unwrap();
            crate::calendar::ClinicClock::new(tz, &crate::Calendar::new(s))
        };
        let cal = crate::Calendar::new(&scope);
        assert_eq!((clock(&scope).active_since(), clock(&scope).churn_by()), (d(2025, 1, 1), d(2025, 9, 30)));
        assert_eq!(cal.churn_by_at_start(), d(2025, 8, 31), "May 31 less 9 months");
        assert_eq!(clock(&scope.clone().with_active_window_months(6).unwrap()).active_since(), d(2026, 1, 1));
        let end_of_month = MetricScope::new([1], d(2026, 11, 30), d(2026, 11, 30), GroupBy::Clinic).unwrap();
        assert_eq!(clock(&end_of_month).churn_by(), d(2026, 2, 28));
        for bad in [0, -1, 121, i64::MAX] {
            assert_eq!(
                scope.clone().with_active_window_months(bad).unwrap_err(),
                OdxError::InvalidWindow { months: bad, max: 120 }
            );
        }
    }
}
