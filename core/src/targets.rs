//! Targets (`ops_targets`) evaluated against engine actuals, and the alerts
//! they raise.
//!
//! Every target is monthly: its actual is the month to date of `to` (the
//! first of `to`'s month through `to`, local dates), or a balance as of the
//! end of `to`. `revenue_monthly` is compared with the target prorated by the
//! elapsed days of the month. A target row with no clinic applies to the
//! network total, and is judged only when the scope is the whole
//! organization (never against one branch or a few); with a clinic, to
//! that branch.
//!
//! A target is breached when the actual is on the wrong side of it (equal is
//! met). The miss is `|actual - target| / target`; severity is `warning`
//! when the miss is at most 10%, `critical` beyond (and always critical for a
//! zero target). An actual with no data (a rate whose denominator is zero)
//! is never an alert: its evaluation says `no_data`.

use crate::accounting::AccountingMetrics;
use crate::error::{OdxError, Result};
use crate::financial::FinancialMetrics;
use crate::lab::LabMetrics;
use crate::num::{rate, round_money};
use crate::operations::OperationsMetrics;
pub use crate::rows::OpsTargetRow;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The miss up to which a breach is a warning: 10% of the target.
pub const WARNING_MISS: Decimal = Decimal::from_parts(10, 0, 0, false, 2);

/// A target's metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetMetric {
    /// Billed month to date, at least the monthly target prorated by elapsed days.
    RevenueMonthly,
    /// No-show rate month to date, at most.
    NoshowRateMax,
    /// Collection rate month to date, at least.
    CollectionRateMin,
    /// Doctor utilization month to date, at least.
    UtilizationMin,
    /// AR over 90 days at the as-of instant (PKR), at most.
    #[serde(rename = "ar_90_max")]
    Ar90Max,
    /// Expense ratio (total costs / receipts) month to date, at most.
    ExpenseRatioMax,
    /// Overdue lab cases at the as-of instant, at most.
    LabOverdueMax,
}

impl TargetMetric {
    /// Every metric.
    pub const ALL: [TargetMetric; 7] = [
        TargetMetric::RevenueMonthly,
        TargetMetric::NoshowRateMax,
        TargetMetric::CollectionRateMin,
        TargetMetric::UtilizationMin,
        TargetMetric::Ar90Max,
        TargetMetric::ExpenseRatioMax,
        TargetMetric::LabOverdueMax,
    ];

    /// The stored name (`ops_targets.metric`).
    pub fn as_str(self) -> &'static str {
        match self {
            TargetMetric::RevenueMonthly => "revenue_monthly",
            TargetMetric::NoshowRateMax => "noshow_rate_max",
            TargetMetric::CollectionRateMin => "collection_rate_min",
            TargetMetric::UtilizationMin => "utilization_min",
            TargetMetric::Ar90Max => "ar_90_max",
            TargetMetric::ExpenseRatioMax => "expense_ratio_max",
            TargetMetric::LabOverdueMax => "lab_overdue_max",
        }
    }

    /// The metric of a stored name (trimmed, case-insensitive).
    pub fn from_db(value: &str) -> Option<TargetMetric> {
        let v = value.trim().to_ascii_lowercase();
        TargetMetric::ALL.into_iter().find(|m| m.as_str() == v)
    }

    /// Whether the actual must stay at or below the target (else at or above).
    pub fn is_max(self) -> bool {
        matches!(
            self,
            TargetMetric::NoshowRateMax
                | TargetMetric::Ar90Max
                | TargetMetric::ExpenseRatioMax
                | TargetMetric::LabOverdueMax
        )
    }
}

/// One target as an org admin sets it (`PUT /targets`): a branch's
/// (`clinic_id`) or the network's (`None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TargetSetting {
    /// The branch, or `null` for a network target (judged against the
    /// whole organization only).
    pub clinic_id: Option<i64>,
    /// The metric's stored name.
    pub metric: String,
    /// The target: PKR for `revenue_monthly` and `ar_90_max`, a fraction
    /// (0.12 = 12%) for the rates, a count for `lab_overdue_max`; at most
    /// four decimals (`numeric(14,4)`).
    #[schemars(with = "String")]
    pub value: Decimal,
    /// `monthly` (the only period the evaluation reads).
    pub period: String,
}

/// An organization's target set, checked before it is stored: every
/// metric known (stored by its canonical name), every period `monthly`,
/// every branch one of `branches` (the organization's), at most one target
/// per branch (or network) and metric, every value in range: money and
/// counts at least 0 (a count whole), the rates from 0 to 1 (the expense
/// ratio from 0 to 10), at most four decimals and below 10^10 (the column
/// is `numeric(14,4)`).
///
/// # Errors
/// [`OdxError::InvalidArgument`] naming the first bad target
/// (`targets[2].value`).
pub fn check_target_set(branches: &[i64], targets: &[TargetSetting]) -> Result<Vec<TargetSetting>> {
    let bad = |i: usize, field: &str, message: String| OdxError::InvalidArgument {
        field: "targets",
        message: format!("targets[{i}].{field}: {message}"),
    };
    let mut out: Vec<TargetSetting> = Vec::with_capacity(targets.len());
    for (i, t) in targets.iter().enumerate() {
        let names = TargetMetric::ALL.map(TargetMetric::as_str).join(", ");
        let metric = TargetMetric::from_db(&t.metric)
            .ok_or_else(|| bad(i, "metric", format!("{:?} is not one of {names}", t.metric)))?;
        if !t.period.trim().eq_ignore_ascii_case("monthly") {
            return Err(bad(i, "period", format!("{:?}: only monthly targets are evaluated", t.period)));
        }
        if let Some(c) = t.clinic_id {
            if !branches.contains(&c) {
                return Err(bad(i, "clinicId", format!("{c} is not a branch of the organization")));
            }
        }
        let v = t.value;
        let (low, high) = match metric {
            TargetMetric::NoshowRateMax | TargetMetric::CollectionRateMin | TargetMetric::UtilizationMin => {
                (Decimal::ZERO, Decimal::ONE)
            }
            TargetMetric::ExpenseRatioMax => (Decimal::ZERO, Decimal::TEN),
            TargetMetric::RevenueMonthly | TargetMetric::Ar90Max | TargetMetric::LabOverdueMax => {
                (Decimal::ZERO, Decimal::new(10_000_000_000, 0) - Decimal::new(1, 4))
            }
        };
        if v < low || v > high {
            return Err(bad(i, "value", format!("{v} is outside {low}..={high} for {}", metric.as_str())));
        }
        if v.normalize().scale() > 4 {
            return Err(bad(i, "value", format!("{v} has more than four decimals")));
        }
        if metric == TargetMetric::LabOverdueMax && !v.fract().is_zero() {
            return Err(bad(i, "value", format!("{v}: a count of cases is whole")));
        }
        if out.iter().any(|o| o.clinic_id == t.clinic_id && o.metric == metric.as_str()) {
            let whose = t.clinic_id.map_or_else(|| "the network".to_owned(), |c| format!("branch {c}"));
            return Err(bad(i, "metric", format!("a second {} target for {whose}", metric.as_str())));
        }
        out.push(TargetSetting {
            clinic_id: t.clinic_id,
            metric: metric.as_str().to_owned(),
            value: v.normalize(),
            period: "monthly".to_owned(),
        });
    }
    Ok(out)
}

/// The month to date of `to`: its first day, and how many days of the month
/// have elapsed (through `to`) out of how many.
pub fn month_to_date(to: NaiveDate) -> (NaiveDate, u32, u32) {
    let first = to.with_day(1).unwrap_or(to);
    let next = if to.month() == 12 {
        NaiveDate::from_ymd_opt(to.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(to.year(), to.month() + 1, 1)
    };
    let days = next.map_or(31, |n| u32::try_from((n - first).num_days()).unwrap_or(31));
    (first, to.day(), days)
}

/// The month to date of `to` read as of `as_of_date` (the last local date
/// the facts reach, [`crate::Report::as_of_date`]): its first day, how many
/// of its days have elapsed (through the earlier of `to` and `as_of_date`;
/// none when the as-of date is before the month) and how many days it has.
///
/// # Example
/// ```
/// use odx_core::targets::month_to_date_at;
/// use chrono::NaiveDate;
/// let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
/// // "This month" on the 15th: 15 of 30 days elapsed, not 30.
/// assert_eq!(month_to_date_at(d("2026-06-30"), d("2026-06-15")), (d("2026-06-01"), 15, 30));
/// assert_eq!(month_to_date_at(d("2026-06-30"), d("2026-05-31")), (d("2026-06-01"), 0, 30));
/// ```
pub fn month_to_date_at(to: NaiveDate, as_of_date: NaiveDate) -> (NaiveDate, u32, u32) {
    let (month_start, day, month_days) = month_to_date(to);
    let last = as_of_date.min(to);
    let elapsed = if last < month_start { 0 } else { day.min(last.day()) };
    (month_start, elapsed, month_days)
}

/// The least volume a rate target is judged on: below it a rate says too
/// little (one no-show in three appointments is 33%), and its evaluation is
/// `insufficient_data`, never an alert. Money and count targets
/// (`revenue_monthly`, `ar_90_max`, `lab_overdue_max`) and the expense ratio
/// (a ratio of money) have no minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MinVolume {
    /// Appointments scheduled (not cancelled) under `noshow_rate_max`
    /// (default [`MinVolume::DEFAULT`]: 20).
    pub appointments: u64,
    /// Invoices billed under `collection_rate_min` (default 10).
    pub invoices: u64,
    /// Doctor capacity hours under `utilization_min` (default 40).
    pub capacity_hours: u64,
}

impl MinVolume {
    /// The defaults: 20 appointments, 10 invoices, 40 capacity hours.
    pub const DEFAULT: MinVolume = MinVolume { appointments: 20, invoices: 10, capacity_hours: 40 };

    /// The volume `metric` is judged on in `actuals` and its minimum; `None`
    /// for a metric without one.
    fn of(self, metric: TargetMetric, actuals: &Actuals) -> Option<(u64, u64)> {
        match metric {
            TargetMetric::NoshowRateMax => Some((actuals.scheduled, self.appointments)),
            TargetMetric::CollectionRateMin => Some((actuals.invoices, self.invoices)),
            TargetMetric::UtilizationMin => Some((actuals.capacity_minutes / 60, self.capacity_hours)),
            _ => None,
        }
    }
}

impl Default for MinVolume {
    fn default() -> Self {
        MinVolume::DEFAULT
    }
}

/// The actuals one scope row (a branch, or the network) is judged on, all
/// over the month to date of `to`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Actuals {
    /// Billed month to date.
    pub billed: Decimal,
    /// No-show rate.
    #[serde(with = "crate::wire::rate")]
    pub no_show_rate: Option<Decimal>,
    /// Collection rate.
    #[serde(with = "crate::wire::rate")]
    pub collection_rate: Option<Decimal>,
    /// Doctor utilization.
    #[serde(with = "crate::wire::rate")]
    pub utilization: Option<Decimal>,
    /// AR over 90 days at the as-of instant.
    pub ar_90: Decimal,
    /// Expense ratio; none without the accounting domain or receipts.
    #[serde(with = "crate::wire::rate")]
    pub expense_ratio: Option<Decimal>,
    /// Overdue lab cases; none without the lab domain.
    pub lab_overdue: Option<u64>,
    /// Appointments scheduled (the no-show rate's denominator).
    pub scheduled: u64,
    /// Invoices billed (the collection rate's volume).
    pub invoices: u64,
    /// Doctor capacity minutes (utilization's denominator).
    pub capacity_minutes: u64,
}

impl Actuals {
    /// The actuals of one row of the month-to-date reports.
    pub fn new(
        financial: &FinancialMetrics,
        operations: &OperationsMetrics,
        accounting: Option<&AccountingMetrics>,
        lab: Option<&LabMetrics>,
    ) -> Self {
        Actuals {
            billed: financial.billed,
            no_show_rate: operations.no_show_rate,
            collection_rate: financial.collection_rate,
            utilization: operations.doctor_utilization,
            ar_90: financial.ar_aging.over_90,
            expense_ratio: accounting.and_then(|a| a.expense_ratio),
            lab_overdue: lab.map(|l| l.figures.overdue_cases),
            scheduled: operations.scheduled,
            invoices: financial.invoice_count,
            capacity_minutes: operations.doctor_capacity_minutes,
        }
    }

    fn of(&self, metric: TargetMetric) -> Option<Decimal> {
        match metric {
            TargetMetric::RevenueMonthly => Some(self.billed),
            TargetMetric::NoshowRateMax => self.no_show_rate,
            TargetMetric::CollectionRateMin => self.collection_rate,
            TargetMetric::UtilizationMin => self.utilization,
            TargetMetric::Ar90Max => Some(self.ar_90),
            TargetMetric::ExpenseRatioMax => self.expense_ratio,
            TargetMetric::LabOverdueMax => self.lab_overdue.map(Decimal::from),
        }
    }
}

/// How bad a breach is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The miss is at most 10% of the target.
    Warning,
    /// The miss is more than 10% of the target.
    Critical,
}

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// On the right side (or exactly on it).
    Met,
    /// On the wrong side.
    Breached,
    /// The actual has no data (a rate with a zero denominator, a domain not
    /// computed): not judged.
    NoData,
    /// A rate on too little volume ([`MinVolume`]): not judged.
    InsufficientData,
}

/// One target judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Evaluation {
    /// `ops_targets.id`.
    pub target_id: i64,
    /// The metric.
    pub metric: TargetMetric,
    /// The branch; none for the network.
    pub clinic_id: Option<i64>,
    /// The branch's name (none: the network).
    pub branch_name: Option<String>,
    /// The branch's city (none: the network).
    pub city: Option<String>,
    /// The actual (none: no data).
    pub actual: Option<Decimal>,
    /// The target compared with: for `revenue_monthly`, prorated by elapsed
    /// days (rounded to the paisa).
    pub target: Decimal,
    /// The stored target value.
    pub target_value: Decimal,
    /// Met, breached or no data.
    pub status: TargetStatus,
    /// The miss as a fraction of the target (breached only; none for a zero
    /// target).
    #[serde(with = "crate::wire::rate")]
    pub miss: Option<Decimal>,
    /// For a breach.
    pub severity: Option<Severity>,
    /// For a rate target, the volume it stands on (appointments scheduled,
    /// invoices billed, capacity hours) and the minimum it needs.
    pub volume: Option<VolumeCheck>,
}

/// The volume a rate target stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VolumeCheck {
    /// The volume of the month to date.
    pub volume: u64,
    /// The least it needs to be judged.
    pub min: u64,
}

/// An alert: a breached target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Alert {
    /// The metric.
    pub metric: TargetMetric,
    /// The branch; none for the network.
    pub clinic_id: Option<i64>,
    /// The branch's name (none: the network).
    pub branch_name: Option<String>,
    /// The branch's city (none: the network).
    pub city: Option<String>,
    /// The actual.
    pub actual: Decimal,
    /// The (prorated) target.
    pub target: Decimal,
    /// How bad.
    pub severity: Severity,
    /// The miss as a fraction of the target (none for a zero target).
    #[serde(with = "crate::wire::rate")]
    pub miss: Option<Decimal>,
}

/// Targets that could not be judged (kept out, counted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TargetsDataQuality {
    /// Rows whose metric odx does not know.
    pub unknown_metric: u64,
    /// Rows whose period is not `monthly`.
    pub unknown_period: u64,
    /// Rows of a branch outside the scope (never judged here).
    pub outside_scope: u64,
    /// Network rows (no clinic) not judged because the scope is not the
    /// whole organization: a network target is judged only against the
    /// organization's total, never against one branch or a few.
    pub network_not_in_scope: u64,
}

/// Every target of a scope judged, and the alerts (critical first, then by
/// miss, largest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TargetsReport {
    /// First day of the month to date.
    pub month_start: NaiveDate,
    /// The last day of the range asked.
    pub to: NaiveDate,
    /// The last local date the actuals reach (`to`, or today for a month in
    /// progress).
    pub as_of_date: NaiveDate,
    /// Elapsed days of the month (through the as-of date).
    pub elapsed_days: u32,
    /// Days of the month.
    pub month_days: u32,
    /// The least volume a rate target was judged on.
    pub min_volume: MinVolume,
    /// One per target row judged, in target id order.
    pub evaluations: Vec<Evaluation>,
    /// The breaches.
    pub alerts: Vec<Alert>,
    /// Rows kept out.
    pub data_quality: TargetsDataQuality,
}

impl TargetsReport {
    /// Names the branch of every branch evaluation and alert (`names`: a
    /// clinic id's name and city).
    pub fn name_branches(&mut self, names: impl Fn(i64) -> (String, String)) {
        for e in &mut self.evaluations {
            (e.branch_name, e.city) = e.clinic_id.map(&names).unzip();
        }
        for a in &mut self.alerts {
            (a.branch_name, a.city) = a.clinic_id.map(&names).unzip();
        }
    }
}

/// Judges one target against one actual.
///
/// # Errors
/// [`OdxError::Overflow`] (a prorated target out of range).
pub fn evaluate(
    target_id: i64,
    metric: TargetMetric,
    clinic_id: Option<i64>,
    value: Decimal,
    actual: Option<Decimal>,
    elapsed_days: u32,
    month_days: u32,
) -> Result<Evaluation> {
    // The stored scale (numeric(14,4)) is storage, not meaning.
    let value = value.normalize();
    let target = if metric == TargetMetric::RevenueMonthly {
        value
            .checked_mul(Decimal::from(elapsed_days))
            .and_then(|v| v.checked_div(Decimal::from(month_days.max(1))))
            .map(round_money)
            .ok_or(OdxError::Overflow { what: "prorated target" })?
    } else {
        value
    };
    let breached = actual.map(|a| if metric.is_max() { a > target } else { a < target });
    let (status, miss, severity) = match (actual, breached) {
        (Some(a), Some(true)) => {
            let gap = a.checked_sub(target).ok_or(OdxError::Overflow { what: "target miss" })?;
            let miss = rate(gap.abs(), target.abs())?;
            let severity = match miss {
                Some(m) if m <= WARNING_MISS => Severity::Warning,
                _ => Severity::Critical,
            };
            (TargetStatus::Breached, miss, Some(severity))
        }
        (Some(_), _) => (TargetStatus::Met, None, None),
        (None, _) => (TargetStatus::NoData, None, None),
    };
    Ok(Evaluation {
        target_id,
        metric,
        clinic_id,
        branch_name: None,
        city: None,
        actual,
        target,
        target_value: value,
        status,
        miss,
        severity,
        volume: None,
    })
}

/// Judges the targets of an organization: network rows against `network`
/// (the whole organization's actuals; `None` when the scope is only some of
/// its branches: network rows are then counted, not judged), branch rows
/// against that branch's actuals from `branches`. A branch row
/// for a clinic without actuals (outside the scope) is counted in
/// data_quality, never judged against zeros.
///
/// # Errors
/// [`OdxError::Overflow`].
pub fn evaluate_targets(
    targets: &[OpsTargetRow],
    (to, as_of_date): (NaiveDate, NaiveDate),
    min_volume: MinVolume,
    network: Option<&Actuals>,
    branches: &[(i64, Actuals)],
) -> Result<TargetsReport> {
    let (month_start, elapsed_days, month_days) = month_to_date_at(to, as_of_date);
    let mut dq = TargetsDataQuality::default();
    let mut evaluations = Vec::new();
    let mut rows: Vec<&OpsTargetRow> = targets.iter().collect();
    rows.sort_by_key(|t| t.id);
    for t in rows {
        let Some(metric) = TargetMetric::from_db(&t.metric) else {
            dq.unknown_metric += 1;
            continue;
        };
        if !t.period.trim().eq_ignore_ascii_case("monthly") {
            dq.unknown_period += 1;
            continue;
        }
        let actuals = match t.clinic_id {
            None => match network {
                Some(network) => network,
                None => {
                    dq.network_not_in_scope += 1;
                    continue;
                }
            },
            Some(c) => match branches.iter().find(|(id, _)| *id == c) {
                Some((_, a)) => a,
                None => {
                    dq.outside_scope += 1;
                    continue;
                }
            },
        };
        let mut e = evaluate(t.id, metric, t.clinic_id, t.value, actuals.of(metric), elapsed_days, month_days)?;
        if let Some((volume, min)) = min_volume.of(metric, actuals) {
            e.volume = Some(VolumeCheck { volume, min });
            if volume < min && e.status != TargetStatus::NoData {
                (e.status, e.miss, e.severity) = (TargetStatus::InsufficientData, None, None);
            }
        }
        evaluations.push(e);
    }
    let mut alerts: Vec<Alert> = evaluations
        .iter()
        .filter_map(|e| {
            Some(Alert {
                metric: e.metric,
                clinic_id: e.clinic_id,
                branch_name: e.branch_name.clone(),
                city: e.city.clone(),
                actual: e.actual?,
                target: e.target,
                severity: e.severity?,
                miss: e.miss,
            })
        })
        .collect();
    // Critical first; then the largest miss (a zero target's miss is
    // unbounded: first); then network before branches, by clinic and metric.
    alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| match (a.miss, b.miss) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, Some(_)) => std::cmp::Ordering::Less,
                (Some(_), None) => std::cmp::Ordering::Greater,
                (Some(x), Some(y)) => y.cmp(&x),
            })
            .then_with(|| a.clinic_id.cmp(&b.clinic_id))
            .then_with(|| a.metric.cmp(&b.metric))
    });
    let as_of_date = as_of_date.min(to);
    Ok(TargetsReport {
        month_start,
        to,
        as_of_date,
        elapsed_days,
        month_days,
        min_volume,
        evaluations,
        alerts,
        data_quality: dq,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_set_is_checked_before_it_is_stored() {
        let t = |clinic_id, metric: &str, value: &str| TargetSetting {
            clinic_id,
            metric: metric.into(),
            value: value.parse().unwrap(),
            period: "Monthly".into(),
        };
        let ok = check_target_set(
            &[1, 2],
            &[t(None, " Revenue_Monthly", "500000.00"), t(Some(2), "noshow_rate_max", "0.10")],
        );
        let ok = ok.unwrap();
        assert_eq!((ok[0].metric.as_str(), ok[0].period.as_str()), ("revenue_monthly", "monthly"));
        assert_eq!(ok[1].value.to_string(), "0.1");
        let err = |set: &[TargetSetting]| check_target_set(&[1, 2], set).unwrap_err().to_string();
        assert!(err(&[t(None, "chairs_max", "1")]).contains("targets[0].metric"));
        assert!(err(&[t(Some(3), "noshow_rate_max", "0.1")]).contains("targets[0].clinicId"));
        assert!(err(&[t(None, "noshow_rate_max", "1.5")]).contains("targets[0].value"));
        assert!(err(&[t(None, "revenue_monthly", "-1")]).contains("outside"));
        assert!(err(&[t(None, "revenue_monthly", "1.00001")]).contains("four decimals"));
        assert!(err(&[t(None, "lab_overdue_max", "2.5")]).contains("whole"));
        let twice = [t(Some(1), "noshow_rate_max", "0.1"), t(Some(1), "NOSHOW_RATE_MAX", "0.2")];
        assert!(err(&twice).contains("targets[1].metric: a second noshow_rate_max target for branch 1"));
        let mut weekly = t(None, "noshow_rate_max", "0.1");
        weekly.period = "weekly".into();
        assert!(err(&[weekly]).contains("targets[0].period"));
    }
    use std::str::FromStr;

    fn m(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn month_to_date_counts_elapsed_days() {
        let d = |y, mo, da| NaiveDate::from_ymd_opt(y, mo, da).unwrap();
        assert_eq!(month_to_date(d(2026, 6, 10)), (d(2026, 6, 1), 10, 30));
        assert_eq!(month_to_date(d(2026, 12, 31)), (d(2026, 12, 1), 31, 31));
        assert_eq!(month_to_date(d(2028, 2, 29)), (d(2028, 2, 1), 29, 29));
    }

    #[test]
    fn severity_boundaries() {
        let e =
            |metric, value: &str, actual: &str| evaluate(1, metric, None, m(value), Some(m(actual)), 30, 30).unwrap();
        // min target 0.90: equal met; 0.81 is a 10% miss (warning); 0.80 critical
        assert_eq!(e(TargetMetric::CollectionRateMin, "0.90", "0.90").status, TargetStatus::Met);
        let w = e(TargetMetric::CollectionRateMin, "0.90", "0.81");
        assert_eq!((w.status, w.severity, w.miss), (TargetStatus::Breached, Some(Severity::Warning), Some(m("0.1"))));
        assert_eq!(e(TargetMetric::CollectionRateMin, "0.90", "0.8099").severity, Some(Severity::Critical));
        // max target 0.10: 0.11 is exactly 10% over (warning), 0.1101 critical
        assert_eq!(e(TargetMetric::NoshowRateMax, "0.10", "0.10").status, TargetStatus::Met);
        assert_eq!(e(TargetMetric::NoshowRateMax, "0.10", "0.11").severity, Some(Severity::Warning));
        assert_eq!(e(TargetMetric::NoshowRateMax, "0.10", "0.1101").severity, Some(Severity::Critical));
        // a zero max target: any actual above it is critical, with no miss ratio
        let z = e(TargetMetric::LabOverdueMax, "0", "1");
        assert_eq!((z.severity, z.miss), (Some(Severity::Critical), None));
        assert_eq!(
            evaluate(1, TargetMetric::UtilizationMin, None, m("0.7"), None, 1, 30).unwrap().status,
            TargetStatus::NoData
        );
    }

    #[test]
    fn revenue_is_prorated_by_elapsed_days() {
        // 3,000,000 a month, 10 of 30 days: 1,000,000 to date
        let e = evaluate(1, TargetMetric::RevenueMonthly, Some(4), m("3000000"), Some(m("950000")), 10, 30).unwrap();
        assert_eq!((e.target, e.severity, e.miss), (m("1000000.00"), Some(Severity::Warning), Some(m("0.05"))));
        let e = evaluate(1, TargetMetric::RevenueMonthly, Some(4), m("1000000"), Some(m("1")), 1, 31).unwrap();
        assert_eq!(e.target, m("32258.06"));
    }

    #[test]
    fn rows_are_routed_and_bad_rows_counted() {
        let row = |id, clinic_id, metric: &str, value: &str, period: &str| OpsTargetRow {
            id,
            organization_id: 1,
            clinic_id,
            metric: metric.into(),
            value: m(value),
            period: period.into(),
        };
        let network = Actuals { no_show_rate: Some(m("0.12")), ..Actuals::default() };
        let branch = Actuals { no_show_rate: Some(m("0.30")), ..Actuals::default() };
        let r = evaluate_targets(
            &[
                row(3, Some(7), "NOSHOW_RATE_MAX ", "0.10", "monthly"),
                row(1, None, "noshow_rate_max", "0.10", "monthly"),
                row(2, Some(8), "noshow_rate_max", "0.10", "monthly"),
                row(4, None, "chairs_max", "1", "monthly"),
                row(5, None, "noshow_rate_max", "0.10", "weekly"),
            ],
            (NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(), NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()),
            MinVolume { appointments: 0, invoices: 0, capacity_hours: 0 },
            Some(&network),
            &[(7, branch)],
        )
        .unwrap();
        assert_eq!(r.evaluations.iter().map(|e| e.target_id).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(
            r.alerts.iter().map(|a| (a.clinic_id, a.severity)).collect::<Vec<_>>(),
            [(Some(7), Severity::Critical), (None, Severity::Critical)]
        );
        assert_eq!(
            r.data_quality,
            TargetsDataQuality { unknown_metric: 1, unknown_period: 1, outside_scope: 1, network_not_in_scope: 0 }
        );
        // Only some of the organization's branches: the network row is not
        // judged against them, only counted.
        let some = evaluate_targets(
            &[
                row(1, None, "noshow_rate_max", "0.10", "monthly"),
                row(3, Some(7), "noshow_rate_max", "0.10", "monthly"),
            ],
            (NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(), NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()),
            MinVolume { appointments: 0, invoices: 0, capacity_hours: 0 },
            None,
            &[(7, Actuals { no_show_rate: Some(m("0.30")), ..Actuals::default() })],
        )
        .unwrap();
        assert_eq!(some.evaluations.iter().map(|e| e.target_id).collect::<Vec<_>>(), [3]);
        assert_eq!(some.data_quality.network_not_in_scope, 1);
    }
}
