//! Forecasts, each carrying the error it was measured to make on the same
//! network's own history (a backtest run with every forecast, never a
//! forecast alone).
//!
//! * **Month-end revenue** ([`revenue_forecast`]): billed month to date plus,
//!   for every remaining day of the month, the mean billed of that weekday
//!   over the last [`TRAILING_DAYS`] (four of each weekday). Backtest: the
//!   same projection made at the same day of each of the
//!   [`BACKTEST_MONTHS`] previous months, against what those months billed;
//!   the error is the MAPE (mean of `|projected - actual| / actual`).
//! * **No-show risk of upcoming appointments** ([`no_show_forecast`]): for
//!   the [`HORIZON_DAYS`] after the as-of date, per branch and doctor, the
//!   appointments on the books times a no-show rate learnt over the
//!   [`HISTORY_DAYS`] before (the doctor's own rate shrunk toward the
//!   branch's by [`SHRINKAGE`] pseudo-appointments), and the PKR at stake at
//!   the doctor's average ticket. Backtest: the same prediction for each of
//!   the [`BACKTEST_WEEKS`] previous weeks, against the no-shows that
//!   happened; the error is the WAPE (`sum |predicted - actual| / sum
//!   actual`) over branch-weeks, and the bias.
//! * **The churn list** ([`churn_forecast`]): the patients at churn risk at
//!   the as-of date (last completed visit 9 calendar months or more before
//!   it, nothing booked), most valuable first, read as a prediction that
//!   they will not come back within [`CHURN_HORIZON_MONTHS`]. Backtest: at
//!   each of [`CHURN_BACKTEST_CUTS`] past cuts whose horizon has fully
//!   passed, the patients lapsed by the same rule against those who came
//!   back within the horizon; the errors are the precision (the share of
//!   the list that stayed away) and the recall (the share of the patients
//!   lapsed at the horizon's end that the list named at the cut).
//!
//! Inputs are domain reports of the scopes this module names
//! ([`revenue_scopes`], [`no_show_scopes`], [`churn_scopes`]), so every
//! surface computes them with the same statements and calls these functions.

use crate::calendar::Granularity;
use crate::error::{OdxError, Result};
use crate::financial::{FinancialReport, Trend};
use crate::num::count_rate;
use crate::num::{add_count, add_money, mul_money, rate, round_money};
use crate::operations::{OperationsMetrics, OperationsReport};
use crate::patients::{AtRiskPatient, PatientsMetrics, PatientsReport, CHURN_AFTER_MONTHS};
use crate::report::Report;
use crate::scope::{GroupBy, MetricScope};
use crate::targets::month_to_date;
use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Days of history behind a revenue projection's weekday means.
pub const TRAILING_DAYS: u64 = 28;
/// Previous months a revenue projection is backtested on.
pub const BACKTEST_MONTHS: u32 = 3;
/// Days ahead a no-show forecast covers (the as-of date excluded).
pub const HORIZON_DAYS: u64 = 7;
/// Days of history a no-show rate is learnt from.
pub const HISTORY_DAYS: u64 = 90;
/// Previous weeks a no-show forecast is backtested on.
pub const BACKTEST_WEEKS: u64 = 4;
/// Pseudo-appointments at the branch's rate added to a doctor's history.
pub const SHRINKAGE: u64 = 20;
/// Months within which a patient on the churn list is predicted not to come
/// back.
pub const CHURN_HORIZON_MONTHS: u32 = 6;
/// Past cuts a churn list is backtested at (horizons ending at the as-of
/// date and one and two months before it).
pub const CHURN_BACKTEST_CUTS: u32 = 3;

fn days(d: NaiveDate, n: u64, field: &'static str) -> Result<NaiveDate> {
    d.checked_sub_days(Days::new(n)).ok_or(OdxError::DateOutOfBounds { field })
}

fn days_after(d: NaiveDate, n: u64, field: &'static str) -> Result<NaiveDate> {
    d.checked_add_days(Days::new(n)).ok_or(OdxError::DateOutOfBounds { field })
}

fn wrong_reports(what: &str) -> OdxError {
    OdxError::InvalidArgument { field: "reports", message: format!("expected the reports of {what}") }
}

/// Refuses reports that are not those of `scopes`, in order.
fn check<M>(reports: &[Report<M>], scopes: &[MetricScope], what: &str) -> Result<()> {
    let same = |r: &Report<M>, s: &MetricScope| {
        (r.from, r.to, r.group_by, r.clinic_ids.as_slice()) == (s.from(), s.to(), s.group_by(), s.clinic_ids())
    };
    if reports.len() != scopes.len() || !reports.iter().zip(scopes).all(|(r, s)| same(r, s)) {
        return Err(wrong_reports(what));
    }
    Ok(())
}

/// A projection point: the month, the cut and the month's last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cut {
    month_start: NaiveDate,
    cut: NaiveDate,
    month_end: NaiveDate,
}

impl Cut {
    fn of(month_start: NaiveDate, day: u32) -> Result<Cut> {
        let (_, _, month_days) = month_to_date(month_start);
        let end = month_start.with_day(month_days).ok_or(OdxError::DateOutOfBounds { field: "as_of" })?;
        let cut = month_start.with_day(day.min(month_days)).ok_or(OdxError::DateOutOfBounds { field: "as_of" })?;
        Ok(Cut { month_start, cut, month_end: end })
    }

    /// The window whose daily trend holds the month to date, the trailing
    /// weeks and (for a backtest) the whole month.
    fn scope(&self, clinic_ids: &[i64], to: NaiveDate) -> Result<MetricScope> {
        let from = self.month_start.min(days(self.cut, TRAILING_DAYS - 1, "as_of")?);
        MetricScope::new(clinic_ids.iter().copied(), from, to, GroupBy::Clinic)
    }
}

/// The cuts of a revenue forecast at `as_of`: its own month first, then the
/// previous months at the same day of the month.
fn revenue_cuts(as_of: NaiveDate) -> Result<Vec<Cut>> {
    let (month_start, day, _) = month_to_date(as_of);
    let mut cuts = vec![Cut::of(month_start, day)?];
    for k in 1..=BACKTEST_MONTHS {
        let start =
            month_start.checked_sub_months(Months::new(k)).ok_or(OdxError::DateOutOfBounds { field: "as_of" })?;
        cuts.push(Cut::of(start, day)?);
    }
    Ok(cuts)
}

/// The financial reports a revenue forecast at `as_of` reads, in order: the
/// month to date with the trailing weeks, then each backtest month whole.
///
/// # Errors
/// As [`MetricScope::new`].
pub fn revenue_scopes(clinic_ids: &[i64], as_of: NaiveDate) -> Result<Vec<MetricScope>> {
    revenue_cuts(as_of)?
        .iter()
        .enumerate()
        .map(|(i, c)| c.scope(clinic_ids, if i == 0 { c.cut } else { c.month_end }))
        .collect()
}

/// One projection of month-end billed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Projection {
    /// The branch; `None` for the network.
    pub clinic_id: Option<i64>,
    /// The branch's name (none: the network).
    pub branch_name: Option<String>,
    /// The branch's city (none: the network).
    pub city: Option<String>,
    /// Billed from the first of the month through the cut.
    pub billed_to_date: Decimal,
    /// Projected billed of the whole month, to paisa.
    pub projected: Decimal,
    /// The backtest's MAPE of this branch (or of the network); `None`
    /// without a month that billed anything.
    #[serde(with = "crate::wire::rate")]
    pub mape: Option<Decimal>,
}

/// One backtest case: a projection made in a past month against its actual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RevenueCase {
    /// The branch; `None` for the network.
    pub clinic_id: Option<i64>,
    /// First day of the month.
    pub month_start: NaiveDate,
    /// The cut the projection was made at.
    pub cut: NaiveDate,
    /// The projection.
    pub projected: Decimal,
    /// What the month billed.
    pub actual: Decimal,
    /// `|projected - actual| / actual`; `None` when nothing was billed.
    #[serde(with = "crate::wire::rate")]
    pub error: Option<Decimal>,
}

/// A month-end revenue projection with its measured error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RevenueForecast {
    /// The cut: the last day of data.
    pub as_of: NaiveDate,
    /// First day of the month projected.
    pub month_start: NaiveDate,
    /// Last day of the month projected.
    pub month_end: NaiveDate,
    /// Days of the month still to come.
    pub remaining_days: u32,
    /// How it is projected.
    pub method: String,
    /// The network.
    pub network: Projection,
    /// Each branch, ascending.
    pub branches: Vec<Projection>,
    /// The network's MAPE over the backtest months (the error to quote).
    #[serde(with = "crate::wire::rate")]
    pub mape: Option<Decimal>,
    /// The branches' MAPE over every branch and backtest month.
    #[serde(with = "crate::wire::rate")]
    pub branch_mape: Option<Decimal>,
    /// Every backtest case, network first, month by month.
    pub backtest: Vec<RevenueCase>,
}

/// Billed per day of a daily trend.
fn daily(trend: &Trend) -> Result<BTreeMap<NaiveDate, Decimal>> {
    if trend.granularity != Granularity::Day {
        return Err(wrong_reports("windows of at most 62 days"));
    }
    Ok(trend.points.iter().map(|p| (p.start, p.billed)).collect())
}

/// (billed through the cut, projected month total).
fn project(billed: &BTreeMap<NaiveDate, Decimal>, c: &Cut) -> Result<(Decimal, Decimal)> {
    let sum = |from: NaiveDate, to: NaiveDate| -> Result<Decimal> {
        let mut total = Decimal::ZERO;
        for v in billed.range(from..=to).map(|(_, v)| *v) {
            add_money(&mut total, v, "billed")?;
        }
        Ok(total)
    };
    let to_date = sum(c.month_start, c.cut)?;
    let trailing_from = days(c.cut, TRAILING_DAYS - 1, "as_of")?;
    let mut by_weekday = [Decimal::ZERO; 7];
    for (d, v) in billed.range(trailing_from..=c.cut) {
        add_money(&mut by_weekday[d.weekday().num_days_from_monday() as usize], *v, "billed")?;
    }
    let weeks = Decimal::from(TRAILING_DAYS / 7);
    let mut projected = to_date;
    let mut d = c.cut;
    while d < c.month_end {
        d = days_after(d, 1, "as_of")?;
        let mean = by_weekday[d.weekday().num_days_from_monday() as usize] / weeks;
        add_money(&mut projected, mean, "projected")?;
    }
    Ok((to_date, round_money(projected)))
}

fn mean(errors: impl Iterator<Item = Option<Decimal>>) -> Result<Option<Decimal>> {
    let (mut sum, mut n) = (Decimal::ZERO, 0u64);
    for e in errors.flatten() {
        add_money(&mut sum, e, "error")?;
        add_count(&mut n, 1, "cases")?;
    }
    rate(sum, Decimal::from(n))
}

fn case(clinic_id: Option<i64>, c: &Cut, trend: &Trend) -> Result<RevenueCase> {
    let billed = daily(trend)?;
    let (_, projected) = project(&billed, c)?;
    let (actual, _) = project(&billed, &Cut { cut: c.month_end, ..*c })?;
    let error = rate((projected - actual).abs(), actual)?;
    Ok(RevenueCase { clinic_id, month_start: c.month_start, cut: c.cut, projected, actual, error })
}

fn row(r: &FinancialReport, clinic_id: i64) -> Result<&crate::financial::FinancialMetrics> {
    r.clinic_row(clinic_id).ok_or_else(|| wrong_reports("revenue_scopes"))
}

/// The month-end revenue forecast at `as_of` from the financial reports of
/// [`revenue_scopes`].
///
/// # Errors
/// [`OdxError::InvalidArgument`] when the reports are not those of
/// [`revenue_scopes`]; [`OdxError::Overflow`].
pub fn revenue_forecast(as_of: NaiveDate, reports: &[FinancialReport]) -> Result<RevenueForecast> {
    let cuts = revenue_cuts(as_of)?;
    let clinic_ids = reports.first().map(|r| r.clinic_ids.clone()).unwrap_or_default();
    check(reports, &revenue_scopes(&clinic_ids, as_of)?, "revenue_scopes")?;
    // the first cut and report are the month projected; the others its backtest
    let mut backtest = Vec::new();
    for (c, r) in cuts[1..].iter().zip(&reports[1..]) {
        backtest.push(case(None, c, &r.totals.trend)?);
        for &id in &clinic_ids {
            backtest.push(case(Some(id), c, &row(r, id)?.trend)?);
        }
    }
    let mape_of = |id: Option<i64>| mean(backtest.iter().filter(|b| b.clinic_id == id).map(|b| b.error));
    let projection = |id: Option<i64>, trend: &Trend| -> Result<Projection> {
        let (billed_to_date, projected) = project(&daily(trend)?, &cuts[0])?;
        let (branch_name, city) = id.map(|c| reports[0].branch_names(c)).unzip();
        Ok(Projection { clinic_id: id, branch_name, city, billed_to_date, projected, mape: mape_of(id)? })
    };
    let network = projection(None, &reports[0].totals.trend)?;
    let branches =
        clinic_ids.iter().map(|&id| projection(Some(id), &row(&reports[0], id)?.trend)).collect::<Result<_>>()?;
    let c = cuts[0];
    Ok(RevenueForecast {
        as_of,
        month_start: c.month_start,
        month_end: c.month_end,
        remaining_days: u32::try_from((c.month_end - c.cut).num_days()).unwrap_or(0),
        method: format!(
            "billed to date + for each remaining day the mean billed of its weekday over the last {TRAILING_DAYS} days"
        ),
        mape: network.mape,
        branch_mape: mean(backtest.iter().filter(|b| b.clinic_id.is_some()).map(|b| b.error))?,
        network,
        branches,
        backtest,
    })
}

/// The operations reports a no-show forecast at `as_of` reads, in order
/// (all grouped by doctor): the upcoming days, the history before them, then
/// each backtest week and the history before it.
///
/// # Errors
/// As [`MetricScope::new`].
pub fn no_show_scopes(clinic_ids: &[i64], as_of: NaiveDate) -> Result<Vec<MetricScope>> {
    let scope = |from, to| MetricScope::new(clinic_ids.iter().copied(), from, to, GroupBy::Doctor);
    let window = |last: NaiveDate| -> Result<[MetricScope; 2]> {
        let first = days(last, HORIZON_DAYS - 1, "as_of")?;
        let history_to = days(first, 1, "as_of")?;
        Ok([scope(first, last)?, scope(days(history_to, HISTORY_DAYS - 1, "as_of")?, history_to)?])
    };
    let mut scopes = Vec::new();
    scopes.extend(window(days_after(as_of, HORIZON_DAYS, "as_of")?)?);
    for k in 0..BACKTEST_WEEKS {
        scopes.extend(window(days(as_of, k * HORIZON_DAYS, "as_of")?)?);
    }
    Ok(scopes)
}

/// The no-show risk of one branch and doctor (or of a branch, or of the
/// network) over the upcoming days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoShowRisk {
    /// The branch; `None` for the network.
    pub clinic_id: Option<i64>,
    /// The branch's name (none: the network).
    pub branch_name: Option<String>,
    /// The branch's city (none: the network).
    pub city: Option<String>,
    /// The doctor (`None` for appointments without one, and on branch and
    /// network rows).
    pub doctor_id: Option<i64>,
    /// The doctor's name, when known.
    pub doctor_name: Option<String>,
    /// Appointments on the books (not cancelled).
    pub booked: u64,
    /// The no-show rate they are expected at.
    #[serde(with = "crate::wire::rate")]
    pub risk: Option<Decimal>,
    /// booked x risk, to hundredths (a branch's and the network's are the
    /// sums of their doctors').
    #[serde(with = "crate::wire::number")]
    pub expected_no_shows: Decimal,
    /// expected_no_shows x the average ticket of the history, to paisa.
    pub at_stake: Option<Decimal>,
}

/// One backtest week of one branch (or of the network).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoShowCase {
    /// The branch; `None` for the network.
    pub clinic_id: Option<i64>,
    /// First day of the week.
    pub from: NaiveDate,
    /// Last day of the week.
    pub to: NaiveDate,
    /// Predicted no-shows.
    #[serde(with = "crate::wire::number")]
    pub predicted: Decimal,
    /// No-shows that happened.
    pub actual: u64,
}

/// The no-show risk of the upcoming days with its measured error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NoShowForecast {
    /// The last day of data.
    pub as_of: NaiveDate,
    /// First upcoming day.
    pub from: NaiveDate,
    /// Last upcoming day.
    pub to: NaiveDate,
    /// How it is predicted.
    pub method: String,
    /// The network.
    pub network: NoShowRisk,
    /// Per branch.
    pub branches: Vec<NoShowRisk>,
    /// Per branch and doctor, the most expected no-shows first.
    pub doctors: Vec<NoShowRisk>,
    /// `sum |predicted - actual| / sum actual` over the backtest's branch-weeks.
    #[serde(with = "crate::wire::rate")]
    pub wape: Option<Decimal>,
    /// `(sum predicted - sum actual) / sum actual` over them.
    #[serde(with = "crate::wire::rate")]
    pub bias: Option<Decimal>,
    /// Every backtest case, week by week (network first).
    pub backtest: Vec<NoShowCase>,
}

/// A rate learnt from history: no-shows and appointments on the books.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    no_show: u64,
    scheduled: u64,
}

impl Seen {
    fn of(m: &OperationsMetrics) -> Seen {
        Seen { no_show: m.appointments.no_show, scheduled: m.scheduled }
    }
}

/// A doctor's risk and average ticket.
type RiskAndTicket = (Option<Decimal>, Option<Decimal>);

/// Per (branch, doctor) the risk of a window, learnt from its history.
struct Risks {
    doctor: BTreeMap<(i64, Option<i64>), RiskAndTicket>,
    branch: BTreeMap<i64, Option<Decimal>>,
    network: Option<Decimal>,
}

impl Risks {
    fn learn(history: &OperationsReport) -> Result<Risks> {
        let network =
            rate(Decimal::from(history.totals.appointments.no_show), Decimal::from(history.totals.scheduled))?;
        let mut per_branch: BTreeMap<i64, Seen> = BTreeMap::new();
        for g in &history.groups {
            let s = per_branch.entry(g.clinic_id).or_default();
            add_count(&mut s.no_show, g.metrics.appointments.no_show, "no_show")?;
            add_count(&mut s.scheduled, g.metrics.scheduled, "scheduled")?;
        }
        let mut branch = BTreeMap::new();
        for (&id, s) in &per_branch {
            branch.insert(id, rate(Decimal::from(s.no_show), Decimal::from(s.scheduled))?.or(network));
        }
        let mut doctor = BTreeMap::new();
        for g in &history.groups {
            let s = Seen::of(&g.metrics);
            let prior = branch.get(&g.clinic_id).copied().flatten();
            let risk = match prior {
                Some(p) => {
                    let k = Decimal::from(SHRINKAGE);
                    let pseudo = mul_money(k, p, "risk")?;
                    rate(Decimal::from(s.no_show) + pseudo, Decimal::from(s.scheduled) + k)?
                }
                None => rate(Decimal::from(s.no_show), Decimal::from(s.scheduled))?,
            };
            doctor.insert((g.clinic_id, g.doctor_id), (risk, g.metrics.avg_ticket));
        }
        Ok(Risks { doctor, branch, network })
    }

    /// The risk and ticket of a branch and doctor; a doctor without history
    /// takes the branch's rate (the network's for a branch without history).
    fn of(&self, clinic_id: i64, doctor_id: Option<i64>) -> RiskAndTicket {
        self.doctor
            .get(&(clinic_id, doctor_id))
            .copied()
            .unwrap_or_else(|| (self.branch.get(&clinic_id).copied().flatten().or(self.network), None))
    }
}

/// Per (branch, doctor) of `window`: booked, risk, expected, at stake.
fn predict(window: &OperationsReport, history: &OperationsReport) -> Result<Vec<NoShowRisk>> {
    let risks = Risks::learn(history)?;
    window
        .groups
        .iter()
        .map(|g| {
            let (risk, ticket) = risks.of(g.clinic_id, g.doctor_id);
            let booked = g.metrics.scheduled;
            // to hundredths, so that branches and the network add up exactly
            let expected = match risk {
                Some(r) => round_money(mul_money(Decimal::from(booked), r, "expected")?),
                None => Decimal::ZERO,
            };
            let at_stake = ticket.map(|t| mul_money(expected, t, "at_stake").map(round_money)).transpose()?;
            Ok(NoShowRisk {
                clinic_id: Some(g.clinic_id),
                branch_name: Some(g.branch_name.clone()),
                city: Some(g.city.clone()),
                doctor_id: g.doctor_id,
                doctor_name: g.doctor_name.clone(),
                booked,
                risk,
                expected_no_shows: expected,
                at_stake,
            })
        })
        .collect()
}

/// The rows of `rows` summed per branch (`by_branch`) or over the network.
fn total(clinic_id: Option<i64>, rows: &[&NoShowRisk]) -> Result<NoShowRisk> {
    let (mut booked, mut expected, mut at_stake) = (0u64, Decimal::ZERO, Some(Decimal::ZERO));
    for r in rows {
        add_count(&mut booked, r.booked, "booked")?;
        add_money(&mut expected, r.expected_no_shows, "expected")?;
        at_stake = match (at_stake, r.at_stake) {
            (Some(mut a), Some(b)) => {
                add_money(&mut a, b, "at_stake")?;
                Some(a)
            }
            (Some(a), None) if r.expected_no_shows.is_zero() => Some(a),
            _ => None,
        };
    }
    let risk = rate(expected, Decimal::from(booked))?;
    let (branch_name, city) = rows
        .first()
        .filter(|_| clinic_id.is_some())
        .map(|r| (r.branch_name.clone(), r.city.clone()))
        .unwrap_or_default();
    Ok(NoShowRisk {
        clinic_id,
        branch_name,
        city,
        doctor_id: None,
        doctor_name: None,
        booked,
        risk,
        expected_no_shows: expected,
        at_stake,
    })
}

/// The no-show forecast at `as_of` from the operations reports of
/// [`no_show_scopes`].
///
/// # Errors
/// [`OdxError::InvalidArgument`] when the reports are not those of
/// [`no_show_scopes`]; [`OdxError::Overflow`].
pub fn no_show_forecast(as_of: NaiveDate, reports: &[OperationsReport]) -> Result<NoShowForecast> {
    let clinic_ids = reports.first().map(|r| r.clinic_ids.clone()).unwrap_or_default();
    check(reports, &no_show_scopes(&clinic_ids, as_of)?, "no_show_scopes")?;
    let mut backtest = Vec::new();
    let (mut abs_error, mut predicted_sum, mut actual_sum) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for pair in reports[2..].chunks(2) {
        let (week, history) = (&pair[0], &pair[1]);
        let rows = predict(week, history)?;
        let all: Vec<&NoShowRisk> = rows.iter().collect();
        let network = total(None, &all)?;
        backtest.push(NoShowCase {
            clinic_id: None,
            from: week.from,
            to: week.to,
            predicted: network.expected_no_shows,
            actual: week.totals.appointments.no_show,
        });
        for &id in &clinic_ids {
            let mine: Vec<&NoShowRisk> = rows.iter().filter(|r| r.clinic_id == Some(id)).collect();
            let predicted = total(Some(id), &mine)?.expected_no_shows;
            let mut actual = 0u64;
            for g in week.groups.iter().filter(|g| g.clinic_id == id) {
                add_count(&mut actual, g.metrics.appointments.no_show, "no_show")?;
            }
            add_money(&mut abs_error, (predicted - Decimal::from(actual)).abs(), "error")?;
            add_money(&mut predicted_sum, predicted, "predicted")?;
            add_money(&mut actual_sum, Decimal::from(actual), "actual")?;
            backtest.push(NoShowCase { clinic_id: Some(id), from: week.from, to: week.to, predicted, actual });
        }
    }
    let mut doctors = predict(&reports[0], &reports[1])?;
    let all: Vec<&NoShowRisk> = doctors.iter().collect();
    let network = total(None, &all)?;
    let branches = clinic_ids
        .iter()
        .map(|&id| total(Some(id), &doctors.iter().filter(|r| r.clinic_id == Some(id)).collect::<Vec<_>>()))
        .collect::<Result<_>>()?;
    doctors.sort_by(|a, b| {
        b.expected_no_shows
            .cmp(&a.expected_no_shows)
            .then(a.clinic_id.cmp(&b.clinic_id))
            .then(a.doctor_id.cmp(&b.doctor_id))
    });
    Ok(NoShowForecast {
        as_of,
        from: reports[0].from,
        to: reports[0].to,
        method: format!(
            "appointments on the books x the doctor's no-show rate over the {HISTORY_DAYS} days before, shrunk toward \
             the branch's by {SHRINKAGE} appointments"
        ),
        network,
        branches,
        doctors,
        wape: rate(abs_error, actual_sum)?,
        bias: rate(predicted_sum - actual_sum, actual_sum)?,
        backtest,
    })
}

fn months_before(d: NaiveDate, n: u32) -> Result<NaiveDate> {
    d.checked_sub_months(Months::new(n)).ok_or(OdxError::DateOutOfBounds { field: "as_of" })
}

/// The patients reports a churn forecast at `as_of` reads, in order (all
/// grouped by clinic): the as-of date alone (its churn list), then for each
/// backtest cut the horizon after it: from the day after the cut to the
/// horizon's end, the as-of date and then one month earlier each time.
///
/// # Errors
/// As [`MetricScope::new`].
pub fn churn_scopes(clinic_ids: &[i64], as_of: NaiveDate) -> Result<Vec<MetricScope>> {
    let scope = |from, to| MetricScope::new(clinic_ids.iter().copied(), from, to, GroupBy::Clinic);
    let mut scopes = vec![scope(as_of, as_of)?];
    for k in 0..CHURN_BACKTEST_CUTS {
        let end = months_before(as_of, k)?;
        let cut = months_before(end, CHURN_HORIZON_MONTHS)?;
        scopes.push(scope(days_after(cut, 1, "as_of")?, end)?);
    }
    Ok(scopes)
}

/// The churn risk of a branch (or of the network) at the as-of date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChurnRisk {
    /// The branch; `None` for the network.
    pub clinic_id: Option<i64>,
    /// The branch's name (none: the network).
    pub branch_name: Option<String>,
    /// The branch's city (none: the network).
    pub city: Option<String>,
    /// Patients on the churn list (all of them; the list shows the
    /// [`CHURN_LIST_LEN`](crate::patients::CHURN_LIST_LEN) most valuable).
    pub at_risk: u64,
    /// The backtest's precision for this branch (or the network): of the
    /// patients flagged at the cuts, the share that stayed away; `None`
    /// without a flagged patient.
    #[serde(with = "crate::wire::rate")]
    pub precision: Option<Decimal>,
    /// The backtest's recall: of the patients lapsed at the horizons' ends,
    /// the share flagged at the cuts; `None` without a lapsed patient.
    #[serde(with = "crate::wire::rate")]
    pub recall: Option<Decimal>,
}

/// One backtest case: one branch (or the network) at one past cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChurnCase {
    /// The branch; `None` for the network.
    pub clinic_id: Option<i64>,
    /// The day the list was drawn up at (its end).
    pub cut: NaiveDate,
    /// The horizon's last day.
    pub horizon_end: NaiveDate,
    /// Patients lapsed at the cut: the list then, by the visit rule.
    pub flagged: u64,
    /// Of them, those who completed a visit within the horizon.
    pub won_back: u64,
    /// Of them, those who did not: `flagged - won_back`, the list's hits.
    pub stayed_away: u64,
    /// Patients lapsed at the horizon's end.
    pub lapsed: u64,
    /// `stayed_away / flagged`.
    #[serde(with = "crate::wire::rate")]
    pub precision: Option<Decimal>,
    /// `stayed_away / lapsed`.
    #[serde(with = "crate::wire::rate")]
    pub recall: Option<Decimal>,
}

/// The churn list at the as-of date with its measured error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChurnForecast {
    /// The last day of data.
    pub as_of: NaiveDate,
    /// Months within which a listed patient is predicted not to come back.
    pub horizon_months: u32,
    /// How the list is drawn up and what it predicts.
    pub method: String,
    /// The network.
    pub network: ChurnRisk,
    /// Each branch, ascending.
    pub branches: Vec<ChurnRisk>,
    /// The network's most valuable at-risk patients (lifetime billed,
    /// highest first), at most 100.
    pub list: Vec<AtRiskPatient>,
    /// The network's precision over every backtest cut (the error to quote
    /// with the list).
    #[serde(with = "crate::wire::rate")]
    pub precision: Option<Decimal>,
    /// The network's recall over every backtest cut.
    #[serde(with = "crate::wire::rate")]
    pub recall: Option<Decimal>,
    /// Every backtest case, cut by cut (network first).
    pub backtest: Vec<ChurnCase>,
}

fn churn_case(clinic_id: Option<i64>, r: &PatientsReport, m: &PatientsMetrics) -> Result<ChurnCase> {
    // flagged patients who stayed away are lapsed at the horizon's end too
    let stayed_away = m.lapsed_at_start.checked_sub(m.won_back).filter(|s| *s <= m.lapsed);
    let stayed_away = stayed_away.ok_or_else(|| wrong_reports("churn_scopes (inconsistent counts)"))?;
    Ok(ChurnCase {
        clinic_id,
        cut: days(r.from, 1, "as_of")?,
        horizon_end: r.to,
        flagged: m.lapsed_at_start,
        won_back: m.won_back,
        stayed_away,
        lapsed: m.lapsed,
        precision: count_rate(stayed_away, m.lapsed_at_start),
        recall: count_rate(stayed_away, m.lapsed),
    })
}

/// (precision, recall) pooled over the cases of one branch (or the network).
fn pooled(cases: &[ChurnCase], clinic_id: Option<i64>) -> Result<(Option<Decimal>, Option<Decimal>)> {
    let (mut hits, mut flagged, mut lapsed) = (0u64, 0u64, 0u64);
    for c in cases.iter().filter(|c| c.clinic_id == clinic_id) {
        add_count(&mut hits, c.stayed_away, "stayed away")?;
        add_count(&mut flagged, c.flagged, "flagged")?;
        add_count(&mut lapsed, c.lapsed, "lapsed")?;
    }
    Ok((count_rate(hits, flagged), count_rate(hits, lapsed)))
}

fn patients_row(r: &PatientsReport, clinic_id: i64) -> Result<&PatientsMetrics> {
    r.clinic_row(clinic_id).ok_or_else(|| wrong_reports("churn_scopes"))
}

/// The churn forecast at `as_of` from the patients reports of
/// [`churn_scopes`].
///
/// The backtest flags patients by the visit rule alone: the schema keeps no
/// booking date, so who had a visit booked at a past cut is not known. The
/// list leaves out patients with a booking, who are likelier to come back.
///
/// # Errors
/// [`OdxError::InvalidArgument`] when the reports are not those of
/// [`churn_scopes`]; [`OdxError::Overflow`].
pub fn churn_forecast(as_of: NaiveDate, reports: &[PatientsReport]) -> Result<ChurnForecast> {
    let clinic_ids = reports.first().map(|r| r.clinic_ids.clone()).unwrap_or_default();
    check(reports, &churn_scopes(&clinic_ids, as_of)?, "churn_scopes")?;
    // the first report is the list; the others the backtest's horizons
    let mut backtest = Vec::new();
    for r in &reports[1..] {
        backtest.push(churn_case(None, r, &r.totals)?);
        for &id in &clinic_ids {
            backtest.push(churn_case(Some(id), r, patients_row(r, id)?)?);
        }
    }
    let risk = |clinic_id: Option<i64>, m: &PatientsMetrics| -> Result<ChurnRisk> {
        let (precision, recall) = pooled(&backtest, clinic_id)?;
        let (branch_name, city) = clinic_id.map(|c| reports[0].branch_names(c)).unzip();
        Ok(ChurnRisk { clinic_id, branch_name, city, at_risk: m.churn_risk, precision, recall })
    };
    let now = &reports[0];
    let network = risk(None, &now.totals)?;
    let branches = clinic_ids.iter().map(|&id| risk(Some(id), patients_row(now, id)?)).collect::<Result<_>>()?;
    Ok(ChurnForecast {
        as_of,
        horizon_months: CHURN_HORIZON_MONTHS,
        method: format!(
            "patients whose last completed visit is {CHURN_AFTER_MONTHS} calendar months or more before the as-of \
             date, with nothing booked, predicted not to come back within {CHURN_HORIZON_MONTHS} months; backtested \
             by the visit rule alone (past bookings are not recorded)"
        ),
        precision: network.precision,
        recall: network.recall,
        list: now.totals.churn_list.clone(),
        network,
        branches,
        backtest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_projection_adds_each_remaining_days_weekday_mean() {
        // June 2026: the 28 days through Monday June 15 bill 100 a day, and
        // 700 on each of the four Sundays in them
        let mut billed = BTreeMap::new();
        let mut day = d("2026-05-19");
        while day <= d("2026-06-15") {
            let v = if day.weekday() == chrono::Weekday::Sun { 700 } else { 100 };
            billed.insert(day, Decimal::from(v));
            day = day.succ_opt().unwrap();
        }
        let c = Cut::of(d("2026-06-01"), 15).unwrap();
        let (to_date, projected) = project(&billed, &c).unwrap();
        // June 1..15: 13 weekdays x 100 + 2 Sundays x 700
        assert_eq!(to_date, Decimal::from(2700));
        // June 16..30: 13 more days at 100 and 2 Sundays at 700
        assert_eq!(projected, Decimal::from(2700 + 2700));
    }

    #[test]
    fn a_short_month_cuts_at_its_last_day_and_the_windows_fit_a_daily_trend() {
        let cuts = revenue_cuts(d("2026-05-31")).unwrap();
        assert_eq!(cuts[1].cut, d("2026-04-30"));
        assert_eq!(cuts[3].cut, d("2026-02-28"));
        for s in revenue_scopes(&[1], d("2026-05-31")).unwrap() {
            assert!(s.days() <= crate::calendar::DAILY_TREND_MAX_DAYS, "{s:?}");
        }
        let scopes = no_show_scopes(&[1], d("2026-06-23")).unwrap();
        assert_eq!((scopes[0].from(), scopes[0].to()), (d("2026-06-24"), d("2026-06-30")));
        assert_eq!((scopes[1].from(), scopes[1].to()), (d("2026-03-26"), d("2026-06-23")));
        assert_eq!((scopes[2].from(), scopes[2].to()), (d("2026-06-17"), d("2026-06-23")));
        assert_eq!(scopes.len(), 2 + 2 * BACKTEST_WEEKS as usize);
    }

    #[test]
    fn churn_horizons_end_at_the_as_of_date_and_a_month_apart() {
        let spans: Vec<_> =
            churn_scopes(&[1], d("2026-08-31")).unwrap().iter().map(|s| (s.from(), s.to(), s.group_by())).collect();
        assert_eq!(
            spans,
            [
                (d("2026-08-31"), d("2026-08-31"), GroupBy::Clinic),
                // cut February 28 (August 31 less 6 months), the horizon after it
                (d("2026-03-01"), d("2026-08-31"), GroupBy::Clinic),
                (d("2026-02-01"), d("2026-07-31"), GroupBy::Clinic),
                (d("2025-12-31"), d("2026-06-30"), GroupBy::Clinic),
            ]
        );
    }
}
