//! The Command Center: the head office's first screen, rolled up from the
//! domain reports of one scope (every branch at once, grouped by clinic).
//!
//! * revenue month to date (billed from the first of `to`'s month through
//!   `to`) against the network's `revenue_monthly` target prorated by elapsed
//!   days;
//! * over the range asked: billed, collected and the collection rate, the
//!   no-show rate and its PKR bleed, cash-basis net profit;
//! * the alert strip: every target of the organization judged on the month
//!   to date (see [`crate::targets`]);
//! * the branch leaderboard: branches ranked by billed over the range
//!   (ties by clinic id), flagging the worst no-show rate and the largest AR
//!   over 90 days (every branch tied for the worst; no flag when the worst
//!   is zero or no branch has data).

use crate::accounting::{AccountingMetrics, AccountingReport};
use crate::error::{OdxError, Result};
use crate::financial::{FinancialMetrics, FinancialReport};
use crate::lab::{LabMetrics, LabReport};
use crate::num::rate;
use crate::operations::{OperationsMetrics, OperationsReport};
use crate::report::Report;
use crate::scope::{GroupBy, MetricScope, Period};
use crate::targets::{
    evaluate_targets, month_to_date, month_to_date_at, Actuals, Alert, MinVolume, OpsTargetRow, TargetMetric,
    TargetsReport,
};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The domain reports the Command Center reads for one scope and range,
/// grouped by clinic.
#[derive(Debug, Clone)]
pub struct DomainReports {
    /// Financial.
    pub financial: FinancialReport,
    /// Operations.
    pub operations: OperationsReport,
    /// Accounting; none when its tables are missing (then net profit and
    /// the expense ratio are not shown, nothing else is hidden).
    pub accounting: Option<AccountingReport>,
    /// Lab; none when its tables are missing (lab targets not judged).
    pub lab: Option<LabReport>,
    /// The relations of the parts that could not be computed (sorted).
    pub missing: Vec<String>,
}

/// The scopes a Command Center needs: the period asked, and the month to
/// date of its `to` when the period is not exactly it (none: the period's
/// reports serve for both), both read at the period's `now`.
///
/// # Errors
/// As [`Period::scope`].
pub fn command_scopes(clinic_ids: Vec<i64>, period: Period) -> Result<(MetricScope, Option<MetricScope>)> {
    let (month_start, _, _) = month_to_date(period.to);
    let range = period.scope(clinic_ids.clone(), GroupBy::Clinic)?;
    let mtd = (period.from != month_start)
        .then(|| Period { from: month_start, ..period }.scope(clinic_ids, GroupBy::Clinic))
        .transpose()?;
    Ok((range, mtd))
}

/// Revenue month to date against the network target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RevenueMtd {
    /// First day of the month.
    pub month_start: NaiveDate,
    /// Elapsed days (through the as-of date: for "this month" on the 15th,
    /// 15).
    pub elapsed_days: u32,
    /// Days of the month.
    pub month_days: u32,
    /// Billed month to date.
    pub billed: Decimal,
    /// The network's monthly revenue target, when one is set (the first by id).
    pub target_monthly: Option<Decimal>,
    /// That target prorated by elapsed days.
    pub target_to_date: Option<Decimal>,
    /// billed / target_to_date.
    #[serde(with = "crate::wire::rate")]
    pub attainment: Option<Decimal>,
}

/// One branch on the leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LeaderRow {
    /// 1 = most billed.
    pub rank: u32,
    /// The branch.
    pub clinic_id: i64,
    /// The branch's name.
    pub branch_name: String,
    /// The branch's city.
    pub city: String,
    /// Billed over the range.
    pub billed: Decimal,
    /// Collected over the range.
    pub collected: Decimal,
    /// collected / billed.
    #[serde(with = "crate::wire::rate")]
    pub collection_rate: Option<Decimal>,
    /// No-show rate over the range.
    #[serde(with = "crate::wire::rate")]
    pub no_show_rate: Option<Decimal>,
    /// No-show bleed (PKR) over the range.
    pub no_show_bleed: Option<Decimal>,
    /// AR over 90 days at the as-of instant.
    pub ar_90: Decimal,
    /// Cash-basis net profit over the range (none without accounting).
    pub net_profit: Option<Decimal>,
    /// This branch has the worst no-show rate.
    pub worst_no_show: bool,
    /// This branch has the largest AR over 90 days.
    pub largest_ar_90: bool,
    /// How many alerts name this branch.
    pub alerts: u32,
}

/// The Command Center of a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CommandCenter {
    /// First day of the range.
    pub from: NaiveDate,
    /// Last day of the range.
    pub to: NaiveDate,
    /// The instant balances and the month to date are read at: the end of
    /// `to`, or `now` for a period in progress ([`Report::as_of`]).
    #[schemars(with = "String")]
    pub as_of: DateTime<Utc>,
    /// The last local date the figures reach ([`Report::as_of_date`]).
    pub as_of_date: NaiveDate,
    /// The branches, ascending.
    pub clinic_ids: Vec<i64>,
    /// Revenue month to date against target.
    pub revenue_mtd: RevenueMtd,
    /// Billed over the range.
    pub billed: Decimal,
    /// Collected over the range.
    pub collected: Decimal,
    /// collected / billed.
    #[serde(with = "crate::wire::rate")]
    pub collection_rate: Option<Decimal>,
    /// No-show rate over the range.
    #[serde(with = "crate::wire::rate")]
    pub no_show_rate: Option<Decimal>,
    /// No-show bleed (PKR) over the range: the sum of the leaderboard's
    /// (each branch's no-shows at its own average ticket); none when no
    /// branch's can be priced.
    pub no_show_bleed: Option<Decimal>,
    /// Cash-basis net profit over the range (none without accounting).
    pub net_profit: Option<Decimal>,
    /// Expense ratio over the range.
    #[serde(with = "crate::wire::rate")]
    pub expense_ratio: Option<Decimal>,
    /// The alert strip (critical first).
    pub alerts: Vec<Alert>,
    /// Every target judged.
    pub targets: TargetsReport,
    /// The branches ranked by billed.
    pub leaderboard: Vec<LeaderRow>,
    /// What could not be shown and why: the missing relations of a part
    /// not computed (e.g. `app.payroll`: no net profit or expense ratio; a
    /// missing lab table: lab targets not judged). Empty when complete.
    pub missing: Vec<String>,
    /// When the scope is some of the organization's branches (a branch
    /// manager, `?branch=`): the whole network over the same range, as
    /// aggregates only (never another branch's row), for "your branch
    /// against the network average". `None` for the whole network.
    pub network_average: Option<NetworkAverage>,
}

/// The whole organization over the range, as one branch on average and as
/// network rates (merged counts, never an average of branch rates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NetworkAverage {
    /// The organization's branches (inactive ones included).
    pub branches: u64,
    /// Billed per branch (the network's billed / branches, to the paisa).
    pub billed_per_branch: Decimal,
    /// Collected per branch.
    pub collected_per_branch: Decimal,
    /// Cash-basis net profit per branch (none without accounting).
    pub net_profit_per_branch: Option<Decimal>,
    /// The network's collection rate.
    #[serde(with = "crate::wire::rate")]
    pub collection_rate: Option<Decimal>,
    /// The network's no-show rate.
    #[serde(with = "crate::wire::rate")]
    pub no_show_rate: Option<Decimal>,
    /// The network's expense ratio.
    #[serde(with = "crate::wire::rate")]
    pub expense_ratio: Option<Decimal>,
}

impl CommandCenter {
    /// This Command Center (of some branches) with the network average of
    /// `network`, the whole organization's reports over the same range
    /// (totals only).
    ///
    /// # Errors
    /// [`OdxError::ScopeMismatch`] when `network` is not over the same range;
    /// [`OdxError::Overflow`].
    pub fn against_network(self, network: &DomainReports) -> Result<CommandCenter> {
        let f = &network.financial;
        if (f.from, f.to) != (self.from, self.to) {
            return Err(OdxError::ScopeMismatch);
        }
        let branches = f.clinic_ids.len() as u64;
        let per_branch = |v: Decimal| -> Result<Decimal> {
            let n = Decimal::from(branches.max(1));
            v.checked_div(n).map(crate::num::round_money).ok_or(OdxError::Overflow { what: "per branch" })
        };
        let average = NetworkAverage {
            branches,
            billed_per_branch: per_branch(f.totals.billed)?,
            collected_per_branch: per_branch(f.totals.collected)?,
            net_profit_per_branch: network.accounting.as_ref().map(|a| per_branch(a.totals.net_profit)).transpose()?,
            collection_rate: f.totals.collection_rate,
            no_show_rate: network.operations.totals.no_show_rate,
            expense_ratio: network.accounting.as_ref().and_then(|a| a.totals.expense_ratio),
        };
        Ok(CommandCenter { network_average: Some(average), ..self })
    }
}

/// The metrics of a branch's clinic row of a report.
pub(crate) fn row<M>(report: &Report<M>, clinic_id: i64) -> Result<&M> {
    report
        .groups
        .iter()
        .find(|g| g.clinic_id == clinic_id && g.doctor_id.is_none())
        .map(|g| &g.metrics)
        .ok_or(OdxError::ScopeMismatch)
}

fn check<M>(
    report: &Report<M>,
    clinic_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    as_of: DateTime<Utc>,
) -> Result<()> {
    if report.clinic_ids != clinic_ids
        || report.from != from
        || report.to != to
        || report.as_of != as_of
        || report.group_by != GroupBy::Clinic
    {
        return Err(OdxError::ScopeMismatch);
    }
    Ok(())
}

struct Branch<'a> {
    financial: &'a FinancialMetrics,
    operations: &'a OperationsMetrics,
    accounting: Option<&'a AccountingMetrics>,
    lab: Option<&'a LabMetrics>,
}

fn branch(r: &DomainReports, clinic_id: i64) -> Result<Branch<'_>> {
    Ok(Branch {
        financial: row(&r.financial, clinic_id)?,
        operations: row(&r.operations, clinic_id)?,
        accounting: r.accounting.as_ref().map(|a| row(a, clinic_id)).transpose()?,
        lab: r.lab.as_ref().map(|l| row(l, clinic_id)).transpose()?,
    })
}

/// The Command Center of `range` (the reports of the range asked) and `mtd`
/// (the month to date of its `to`), with the organization's targets;
/// `whole_network`: the scope is every branch of the organization, so its
/// totals are the organization's and network targets are judged on them
/// (otherwise they are counted in the targets' data quality, not judged).
///
/// # Errors
/// [`OdxError::ScopeMismatch`] when the reports are not of one set of
/// clinics grouped by clinic, `range` and `mtd` do not end on the same day,
/// or `mtd` does not start on the first of that month; [`OdxError::Overflow`].
pub fn command_center(
    range: &DomainReports,
    mtd: &DomainReports,
    targets: &[OpsTargetRow],
    (whole_network, min_volume): (bool, MinVolume),
) -> Result<CommandCenter> {
    let (from, to, as_of) = (range.financial.from, range.financial.to, range.financial.as_of);
    let clinic_ids = range.financial.clinic_ids.clone();
    let (month_start, elapsed_days, month_days) = month_to_date_at(to, mtd.financial.as_of_date);
    for (r, f) in [(range, from), (mtd, month_start)] {
        check(&r.financial, &clinic_ids, f, to, as_of)?;
        check(&r.operations, &clinic_ids, f, to, as_of)?;
        r.accounting.as_ref().map_or(Ok(()), |a| check(a, &clinic_ids, f, to, as_of))?;
        r.lab.as_ref().map_or(Ok(()), |l| check(l, &clinic_ids, f, to, as_of))?;
    }
    let actuals = |b: &Branch<'_>| Actuals::new(b.financial, b.operations, b.accounting, b.lab);
    let network = Actuals::new(
        &mtd.financial.totals,
        &mtd.operations.totals,
        mtd.accounting.as_ref().map(|a| &a.totals),
        mtd.lab.as_ref().map(|l| &l.totals),
    );
    let mut per_branch = Vec::with_capacity(clinic_ids.len());
    for c in &clinic_ids {
        per_branch.push((*c, actuals(&branch(mtd, *c)?)));
    }
    let mut targets_report = evaluate_targets(
        targets,
        (to, mtd.financial.as_of_date),
        min_volume,
        whole_network.then_some(&network),
        &per_branch,
    )?;
    targets_report.name_branches(|c| range.financial.branch_names(c));

    let revenue_target =
        targets_report.evaluations.iter().find(|e| e.metric == TargetMetric::RevenueMonthly && e.clinic_id.is_none());
    let target_to_date = revenue_target.map(|e| e.target);
    let revenue_mtd = RevenueMtd {
        month_start,
        elapsed_days,
        month_days,
        billed: mtd.financial.totals.billed,
        target_monthly: revenue_target.map(|e| e.target_value),
        target_to_date,
        attainment: match target_to_date {
            Some(t) => rate(mtd.financial.totals.billed, t)?,
            None => None,
        },
    };

    let mut leaderboard = Vec::with_capacity(clinic_ids.len());
    for c in &clinic_ids {
        let b = branch(range, *c)?;
        let alerts = targets_report.alerts.iter().filter(|a| a.clinic_id == Some(*c)).count();
        let (branch_name, city) = range.financial.branch_names(*c);
        leaderboard.push(LeaderRow {
            rank: 0,
            clinic_id: *c,
            branch_name,
            city,
            billed: b.financial.billed,
            collected: b.financial.collected,
            collection_rate: b.financial.collection_rate,
            no_show_rate: b.operations.no_show_rate,
            no_show_bleed: b.operations.no_show_bleed,
            ar_90: b.financial.ar_aging.over_90,
            net_profit: b.accounting.map(|a| a.net_profit),
            worst_no_show: false,
            largest_ar_90: false,
            alerts: u32::try_from(alerts).unwrap_or(u32::MAX),
        });
    }
    leaderboard.sort_by(|a, b| b.billed.cmp(&a.billed).then(a.clinic_id.cmp(&b.clinic_id)));
    let worst = leaderboard.iter().filter_map(|r| r.no_show_rate).max().filter(|w| *w > Decimal::ZERO);
    let largest = leaderboard.iter().map(|r| r.ar_90).max().filter(|m| *m > Decimal::ZERO);
    for (i, r) in leaderboard.iter_mut().enumerate() {
        r.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
        r.worst_no_show = worst.is_some() && r.no_show_rate == worst;
        r.largest_ar_90 = largest == Some(r.ar_90);
    }

    // The headline bleed is the leaderboard column's sum: each branch's
    // no-shows at its own average ticket (a branch that cannot be priced,
    // with no billed invoice in the range, shows none and adds none).
    let mut no_show_bleed: Option<Decimal> = None;
    for bleed in leaderboard.iter().filter_map(|r| r.no_show_bleed) {
        crate::num::add_money(no_show_bleed.get_or_insert(Decimal::ZERO), bleed, "no-show bleed")?;
    }
    let t = &range;
    Ok(CommandCenter {
        from,
        to,
        as_of,
        as_of_date: mtd.financial.as_of_date,
        clinic_ids,
        revenue_mtd,
        billed: t.financial.totals.billed,
        collected: t.financial.totals.collected,
        collection_rate: t.financial.totals.collection_rate,
        no_show_rate: t.operations.totals.no_show_rate,
        no_show_bleed,
        net_profit: t.accounting.as_ref().map(|a| a.totals.net_profit),
        expense_ratio: t.accounting.as_ref().and_then(|a| a.totals.expense_ratio),
        alerts: targets_report.alerts.clone(),
        targets: targets_report,
        leaderboard,
        missing: {
            let mut m: Vec<String> = range.missing.iter().chain(&mtd.missing).cloned().collect();
            m.sort();
            m.dedup();
            m
        },
        network_average: None,
    })
}
