//! The TypeScript shapes of the console calls: the Command Center, the
//! insights scope and permission decisions (declarations only, as in
//! [`crate::types`]; the Node suites type-check real answers against them).
//!
//! A target's `actual` and `target` are decimal strings: they are PKR for
//! `revenue_monthly` and `ar_90_max`, fractions for the rates, and a count
//! for `lab_overdue_max`, all exact.

use crate::types::AtRiskPatient;
use napi_derive::napi;
use serde_json::Value;

/// What the console calls of an organization take.
#[napi(object)]
pub struct ConsoleParams {
    /// The organization.
    pub organization_id: i64,
    /// First local date, `YYYY-MM-DD`.
    pub from: String,
    /// Last local date, `YYYY-MM-DD` (balances and the month to date are as
    /// of its end).
    pub to: String,
    /// Some of its branches (default: all of them); one that is not its
    /// branch is refused with `ODX_FORBIDDEN_SCOPE`.
    pub clinic_ids: Option<Vec<i64>>,
    /// The principal's branches: any other is refused with `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
}

/// What `insightsScope` takes.
#[napi(object)]
pub struct UserScopeParams {
    /// The user.
    pub user_id: i64,
    /// The organization (needed only for a user with console roles in several).
    pub organization_id: Option<i64>,
    /// Narrow the scope to this branch.
    pub focus_clinic_id: Option<i64>,
}

/// What `authorize` takes.
#[napi(object)]
pub struct AuthorizeParams {
    /// The user.
    pub user_id: i64,
    /// What the user asks to do.
    #[napi(
        ts_type = "{ action: 'clinic_admin'; permission: string } | { action: 'open_module'; module: 'overview' | \
                      'analytics' | 'branch_management' | 'staff_permissions' | 'shared_templates' | 'billing' } | { \
                      action: 'view_insights' | 'view_template' | 'create_template' | 'edit_template' | \
                      'delete_template' | 'change_plan' | 'set_role_defaults' }"
    )]
    pub action: Value,
    /// What it is about.
    #[napi(ts_type = "{ kind: 'clinic'; clinicId: number } | { kind: 'organization'; organizationId: number } | { \
                      kind: 'template'; organizationId: number; clinicId?: number | null }")]
    pub resource: Value,
}

/// A user's console scope.
#[napi(object, use_nullable = true)]
pub struct InsightsScope {
    /// The user.
    pub user_id: i64,
    /// The organization.
    pub organization_id: i64,
    /// The console role.
    #[napi(ts_type = "'org_admin' | 'branch_manager'")]
    pub role: String,
    /// Network (every branch) or branch.
    #[napi(ts_type = "'network' | 'branch'")]
    pub level: String,
    /// The focus branch, when the request named one.
    pub focus: Option<i64>,
    /// The branches, ascending (inactive ones included, for history).
    pub clinic_ids: Vec<i64>,
    /// The active ones among them.
    pub active_clinic_ids: Vec<i64>,
}

/// A permission decision.
#[napi(object)]
pub struct Decision {
    /// Whether the action is allowed.
    pub allowed: bool,
    /// Why (a stable code).
    #[napi(ts_type = "'org_admin' | 'clinic_admin' | 'branch_manager' | 'branch_staff' | 'outside_organization' | \
                      'network_only' | 'org_template_protected' | 'not_permitted' | 'wrong_resource'")]
    pub reason: String,
}

/// A console answer that could not be computed: a table or column it reads
/// is missing.
#[napi(object)]
pub struct Degraded {
    /// Always true.
    pub degraded: bool,
    /// Which call.
    pub module: String,
    /// The missing relations (`app.table` or `app.table.column`).
    pub missing: Vec<String>,
    /// Always null.
    #[napi(ts_type = "null")]
    pub totals: Value,
    /// Always empty.
    #[napi(ts_type = "[]")]
    pub per_branch: Vec<Value>,
}

/// The Command Center (or a [`Degraded`] answer).
#[napi(object, use_nullable = true)]
pub struct CommandCenterReady {
    /// False.
    pub degraded: bool,
    /// First local date.
    pub from: String,
    /// Last local date.
    pub to: String,
    /// The branches, ascending.
    pub clinic_ids: Vec<i64>,
    /// Revenue month to date against target.
    pub revenue_mtd: RevenueMtd,
    /// Billed over the range (PKR).
    pub billed: String,
    /// Collected over the range (PKR).
    pub collected: String,
    /// collected / billed.
    pub collection_rate: Option<f64>,
    /// No-show rate over the range.
    pub no_show_rate: Option<f64>,
    /// No-show bleed over the range (PKR).
    pub no_show_bleed: Option<String>,
    /// Cash-basis net profit over the range (PKR).
    pub net_profit: String,
    /// Expense ratio over the range.
    pub expense_ratio: Option<f64>,
    /// The alert strip (critical first).
    pub alerts: Vec<Alert>,
    /// Every target judged.
    pub targets: TargetsReport,
    /// The branches ranked by billed.
    pub leaderboard: Vec<LeaderRow>,
}

/// Revenue month to date against the network target.
#[napi(object, use_nullable = true)]
pub struct RevenueMtd {
    /// First day of the month.
    pub month_start: String,
    /// Elapsed days, through `to`.
    pub elapsed_days: u32,
    /// Days of the month.
    pub month_days: u32,
    /// Billed month to date (PKR).
    pub billed: String,
    /// The network's monthly revenue target (PKR), when set.
    pub target_monthly: Option<String>,
    /// That target prorated by elapsed days (PKR).
    pub target_to_date: Option<String>,
    /// billed / targetToDate.
    pub attainment: Option<f64>,
}

/// One branch on the leaderboard.
#[napi(object, use_nullable = true)]
pub struct LeaderRow {
    /// 1 = most billed.
    pub rank: u32,
    /// The branch.
    pub clinic_id: i64,
    /// Billed (PKR).
    pub billed: String,
    /// Collected (PKR).
    pub collected: String,
    /// collected / billed.
    pub collection_rate: Option<f64>,
    /// No-show rate.
    pub no_show_rate: Option<f64>,
    /// No-show bleed (PKR).
    pub no_show_bleed: Option<String>,
    /// AR over 90 days as of `to` (PKR).
    pub ar90: String,
    /// Cash-basis net profit (PKR).
    pub net_profit: String,
    /// This branch has the worst no-show rate.
    pub worst_no_show: bool,
    /// This branch has the largest AR over 90 days.
    pub largest_ar90: bool,
    /// Alerts naming this branch.
    pub alerts: u32,
}

/// A breached target.
#[napi(object, use_nullable = true)]
pub struct Alert {
    /// The metric.
    #[napi(ts_type = "'revenue_monthly' | 'noshow_rate_max' | 'collection_rate_min' | 'utilization_min' | \
                      'ar_90_max' | 'expense_ratio_max' | 'lab_overdue_max'")]
    pub metric: String,
    /// The branch; null for the network.
    pub clinic_id: Option<i64>,
    /// The actual (exact decimal).
    pub actual: String,
    /// The target compared with (exact decimal; revenue prorated).
    pub target: String,
    /// How bad.
    #[napi(ts_type = "'warning' | 'critical'")]
    pub severity: String,
    /// The miss as a fraction of the target (null for a zero target).
    pub miss: Option<f64>,
}

/// One target judged.
#[napi(object, use_nullable = true)]
pub struct Evaluation {
    /// `ops_targets.id`.
    pub target_id: i64,
    /// The metric.
    #[napi(ts_type = "'revenue_monthly' | 'noshow_rate_max' | 'collection_rate_min' | 'utilization_min' | \
                      'ar_90_max' | 'expense_ratio_max' | 'lab_overdue_max'")]
    pub metric: String,
    /// The branch; null for the network.
    pub clinic_id: Option<i64>,
    /// The actual (null: no data).
    pub actual: Option<String>,
    /// The target compared with.
    pub target: String,
    /// The stored target value.
    pub target_value: String,
    /// Where it stands.
    #[napi(ts_type = "'met' | 'breached' | 'no_data'")]
    pub status: String,
    /// The miss as a fraction of the target (breaches only).
    pub miss: Option<f64>,
    /// For a breach.
    #[napi(ts_type = "'warning' | 'critical' | null")]
    pub severity: Option<String>,
}

/// Every target judged on the month to date.
#[napi(object)]
pub struct TargetsReport {
    /// First day of the month.
    pub month_start: String,
    /// The as-of day.
    pub to: String,
    /// Elapsed days.
    pub elapsed_days: u32,
    /// Days of the month.
    pub month_days: u32,
    /// One per target, by id.
    pub evaluations: Vec<Evaluation>,
    /// The breaches.
    pub alerts: Vec<Alert>,
    /// Target rows kept out.
    pub data_quality: TargetsDataQuality,
}

/// Target rows kept out.
#[napi(object)]
pub struct TargetsDataQuality {
    /// Unknown metric.
    pub unknown_metric: i64,
    /// Period not `monthly`.
    pub unknown_period: i64,
    /// A branch outside the scope.
    pub outside_scope: i64,
}

/// What `benchmark` takes: a console request and the branch benchmarked.
#[napi(object)]
pub struct BenchmarkParams {
    /// The organization.
    pub organization_id: i64,
    /// The branch benchmarked (must be allowed).
    pub clinic_id: i64,
    /// First local date, `YYYY-MM-DD`.
    pub from: String,
    /// Last local date, `YYYY-MM-DD`.
    pub to: String,
    /// The branches compared (default: all of the organization's).
    pub clinic_ids: Option<Vec<i64>>,
    /// The principal's branches: `clinicId` must be one of them.
    pub allowed_clinic_ids: Option<Vec<i64>>,
}

/// What `networkOverview` takes.
#[napi(object)]
pub struct OverviewParams {
    /// The organization.
    pub organization_id: i64,
    /// The day, `YYYY-MM-DD` (each branch's local date).
    pub date: String,
    /// Some of its branches (default: all of them).
    pub clinic_ids: Option<Vec<i64>>,
    /// The principal's branches: any other is refused with `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
}

/// The Network Hub's overview of one day.
#[napi(object, use_nullable = true)]
pub struct NetworkOverview {
    /// False.
    pub degraded: bool,
    /// The day.
    pub date: String,
    /// The branches, ascending.
    pub clinic_ids: Vec<i64>,
    /// Active branches among them.
    pub active_branches: i64,
    /// Appointments of the day (every status).
    pub appointments: i64,
    /// Billed on the day (PKR).
    pub billed: String,
    /// No-show rate of the day.
    pub no_show_rate: Option<f64>,
    /// Per branch.
    pub branches: Vec<OverviewRow>,
}

/// One branch on the overview.
#[napi(object, use_nullable = true)]
pub struct OverviewRow {
    /// The branch.
    pub clinic_id: i64,
    /// Whether it is active.
    pub active: bool,
    /// Appointments of the day.
    pub appointments: i64,
    /// Billed on the day (PKR).
    pub billed: String,
    /// No-show rate of the day.
    pub no_show_rate: Option<f64>,
}

/// A branch benchmarked against the median of the branches compared.
#[napi(object)]
pub struct Benchmark {
    /// False.
    pub degraded: bool,
    /// The branch.
    pub clinic_id: i64,
    /// First local date.
    pub from: String,
    /// Last local date.
    pub to: String,
    /// The branches compared (the branch included).
    pub clinic_ids: Vec<i64>,
    /// Every driver, ranked by PKR impact.
    pub drivers: Vec<DriverGap>,
}

/// One driver KPI of the branch against the median. Values are exact
/// decimal strings (fractions, or PKR for `avg_ticket`).
#[napi(object, use_nullable = true)]
pub struct DriverGap {
    /// The driver.
    #[napi(ts_type = "'collection_rate' | 'no_show_rate' | 'avg_ticket' | 'doctor_utilization' | \
                      'chair_utilization' | 'margin' | 'expense_ratio' | 'ar90_share' | 'lab_overdue_share'")]
    pub driver: String,
    /// The branch's value (null: no data).
    pub value: Option<String>,
    /// The median of the branches with a value.
    pub median: Option<String>,
    /// How many branches have a value.
    pub branches: i64,
    /// value - median.
    pub gap: Option<String>,
    /// Whether the branch is on the worse side of the median.
    pub worse: bool,
    /// PKR the branch would gain by reaching the median ("0" when at or
    /// better than it; null where no PKR figure follows).
    pub impact: Option<String>,
    /// 1 = the largest impact.
    pub rank: u32,
}

/// The digest facts: what a language model would narrate.
#[napi(object, use_nullable = true)]
pub struct Digest {
    /// False.
    pub degraded: bool,
    /// First local date.
    pub from: String,
    /// Last local date.
    pub to: String,
    /// The branches.
    pub clinic_ids: Vec<i64>,
    /// Billed (PKR).
    pub billed: String,
    /// Collected (PKR).
    pub collected: String,
    /// Cash-basis net profit (PKR).
    pub net_profit: String,
    /// Revenue month to date over its prorated target.
    pub revenue_attainment: Option<f64>,
    /// Target breaches, then branches far off the median.
    pub anomalies: Vec<Anomaly>,
    /// The three highest-impact actions.
    pub actions: Vec<DigestAction>,
}

/// One anomaly.
#[napi(object, use_nullable = true)]
pub struct Anomaly {
    /// What kind.
    #[napi(ts_type = "'target_breach' | 'outlier'")]
    pub kind: String,
    /// The branch (null: the network).
    pub clinic_id: Option<i64>,
    /// The target metric (target breaches).
    pub metric: Option<String>,
    /// The driver (outliers).
    pub driver: Option<String>,
    /// The value (exact decimal).
    pub value: String,
    /// The target or median it is judged against (exact decimal).
    pub reference: String,
    /// How bad.
    #[napi(ts_type = "'warning' | 'critical'")]
    pub severity: String,
}

/// One suggested action.
#[napi(object)]
pub struct DigestAction {
    /// 1 = the highest impact.
    pub rank: u32,
    /// The branch.
    pub clinic_id: i64,
    /// The driver it moves.
    pub driver: String,
    /// What to do (a stable code, e.g. `confirm_appointments`).
    pub action: String,
    /// The branch's value (exact decimal).
    pub value: String,
    /// The median to reach (exact decimal).
    pub median: String,
    /// PKR at stake over the range.
    pub impact: String,
}

/// What `compare` takes: a scope and the domain compared (`groupBy` is
/// ignored: a comparison is always by branch).
#[napi(object)]
pub struct CompareParams {
    /// The domain.
    #[napi(
        ts_type = "'financial' | 'operations' | 'accounting' | 'lab' | 'staff' | 'clinical' | 'patients' | 'inventory'"
    )]
    pub domain: String,
    /// The branches (clinic ids).
    pub clinic_ids: Vec<i64>,
    /// First local date, `YYYY-MM-DD`.
    pub from: String,
    /// Last local date, `YYYY-MM-DD`; the previous period ends the day
    /// before `from` and has as many days.
    pub to: String,
    /// The principal's branches: any other requested branch is refused with
    /// `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
    /// The patients domain's active window in months, 1 to 120 (default 18).
    pub active_window_months: Option<u32>,
}

/// A domain's headline measures against the previous period of the same
/// length, with each branch's share of the network.
#[napi(object)]
pub struct Comparison {
    /// False.
    pub degraded: bool,
    /// The domain.
    #[napi(
        ts_type = "'financial' | 'operations' | 'accounting' | 'lab' | 'staff' | 'clinical' | 'patients' | 'inventory'"
    )]
    pub domain: String,
    /// First day of the period.
    pub from: String,
    /// Last day of the period.
    pub to: String,
    /// First day of the previous period.
    pub previous_from: String,
    /// Last day of the previous period (the day before `from`).
    pub previous_to: String,
    /// The branches, ascending.
    pub clinic_ids: Vec<i64>,
    /// The network's measures.
    pub totals: Vec<Change>,
    /// Each branch's measures, branch by branch in the order of `totals`.
    pub per_branch: Vec<BranchChange>,
}

/// One measure now and in the previous period. Amounts and averages (PKR)
/// are decimal strings; counts, rates and days are numbers.
#[napi(object, use_nullable = true)]
pub struct Change {
    /// The report field, in snake_case (`billed`, `no_show_rate`).
    pub metric: String,
    /// What it is: amounts and counts add up across branches.
    #[napi(ts_type = "'amount' | 'count' | 'rate' | 'average' | 'days'")]
    pub kind: String,
    /// This period.
    #[napi(ts_type = "string | number | null")]
    pub current: Value,
    /// The previous period.
    #[napi(ts_type = "string | number | null")]
    pub previous: Value,
    /// `current - previous` (points for a rate).
    #[napi(ts_type = "string | number | null")]
    pub change: Value,
    /// `change / |previous|`; null when `previous` is 0 or unknown.
    pub change_rate: Option<f64>,
}

/// One measure of one branch, with its share of the network.
#[napi(object, use_nullable = true)]
pub struct BranchChange {
    /// The branch.
    pub clinic_id: i64,
    /// The report field.
    pub metric: String,
    /// What it is.
    #[napi(ts_type = "'amount' | 'count' | 'rate' | 'average' | 'days'")]
    pub kind: String,
    /// This period.
    #[napi(ts_type = "string | number | null")]
    pub current: Value,
    /// The previous period.
    #[napi(ts_type = "string | number | null")]
    pub previous: Value,
    /// `current - previous`.
    #[napi(ts_type = "string | number | null")]
    pub change: Value,
    /// `change / |previous|`.
    pub change_rate: Option<f64>,
    /// The branch's part of the network (amounts and counts, when the
    /// network's value is positive).
    pub share: Option<f64>,
    /// The same in the previous period.
    pub previous_share: Option<f64>,
}

/// What the forecasts take.
#[napi(object)]
pub struct ForecastParams {
    /// The branches (clinic ids).
    pub clinic_ids: Vec<i64>,
    /// The last day of data, `YYYY-MM-DD`.
    pub as_of: String,
    /// The principal's branches: any other requested branch is refused with
    /// `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
}

/// A month-end revenue projection, never without its measured error.
#[napi(object, use_nullable = true)]
pub struct RevenueForecast {
    /// False.
    pub degraded: bool,
    /// The last day of data.
    pub as_of: String,
    /// First day of the month projected.
    pub month_start: String,
    /// Last day of the month projected.
    pub month_end: String,
    /// Days of the month still to come.
    pub remaining_days: u32,
    /// How it is projected.
    pub method: String,
    /// The network.
    pub network: Projection,
    /// Each branch.
    pub branches: Vec<Projection>,
    /// The network's mean absolute percentage error over the three previous months.
    pub mape: Option<f64>,
    /// The branches' MAPE over every branch and month.
    pub branch_mape: Option<f64>,
    /// Every backtest case (network first, month by month).
    pub backtest: Vec<RevenueCase>,
}

/// One projection of month-end billed (PKR).
#[napi(object, use_nullable = true)]
pub struct Projection {
    /// The branch; null for the network.
    pub clinic_id: Option<i64>,
    /// Billed from the first of the month through `asOf`.
    pub billed_to_date: String,
    /// Projected billed of the month.
    pub projected: String,
    /// This branch's (or the network's) backtest MAPE.
    pub mape: Option<f64>,
}

/// One backtest case of the revenue projection.
#[napi(object, use_nullable = true)]
pub struct RevenueCase {
    /// The branch; null for the network.
    pub clinic_id: Option<i64>,
    /// First day of the month.
    pub month_start: String,
    /// The cut the projection was made at.
    pub cut: String,
    /// The projection (PKR).
    pub projected: String,
    /// What the month billed (PKR).
    pub actual: String,
    /// `|projected - actual| / actual`.
    pub error: Option<f64>,
}

/// The no-show risk of the upcoming week, never without its measured error.
#[napi(object, use_nullable = true)]
pub struct NoShowForecast {
    /// False.
    pub degraded: bool,
    /// The last day of data.
    pub as_of: String,
    /// First upcoming day.
    pub from: String,
    /// Last upcoming day.
    pub to: String,
    /// How it is predicted.
    pub method: String,
    /// The network.
    pub network: NoShowRisk,
    /// Per branch.
    pub branches: Vec<NoShowRisk>,
    /// Per branch and doctor, the most expected no-shows first.
    pub doctors: Vec<NoShowRisk>,
    /// Weighted absolute percentage error over the backtest's branch-weeks.
    pub wape: Option<f64>,
    /// (predicted - actual) / actual over them.
    pub bias: Option<f64>,
    /// Every backtest case.
    pub backtest: Vec<NoShowCase>,
}

/// The no-show risk of a branch and doctor, a branch or the network.
#[napi(object, use_nullable = true)]
pub struct NoShowRisk {
    /// The branch; null for the network.
    pub clinic_id: Option<i64>,
    /// The doctor; null without one and on branch and network rows.
    pub doctor_id: Option<i64>,
    /// Appointments on the books.
    pub booked: i64,
    /// The no-show rate expected.
    pub risk: Option<f64>,
    /// booked x risk.
    pub expected_no_shows: f64,
    /// PKR at stake at the average ticket.
    pub at_stake: Option<String>,
}

/// One backtest week.
#[napi(object, use_nullable = true)]
pub struct NoShowCase {
    /// The branch; null for the network.
    pub clinic_id: Option<i64>,
    /// First day of the week.
    pub from: String,
    /// Last day of the week.
    pub to: String,
    /// Predicted no-shows.
    pub predicted: f64,
    /// No-shows that happened.
    pub actual: i64,
}

/// The churn list, never without its measured error.
#[napi(object, use_nullable = true)]
pub struct ChurnForecast {
    /// False.
    pub degraded: bool,
    /// The last day of data.
    pub as_of: String,
    /// Months within which a listed patient is predicted not to come back.
    pub horizon_months: u32,
    /// How the list is drawn up and what it predicts.
    pub method: String,
    /// The network.
    pub network: ChurnRisk,
    /// Each branch.
    pub branches: Vec<ChurnRisk>,
    /// The network's most valuable at-risk patients, at most 100.
    pub list: Vec<AtRiskPatient>,
    /// The network's precision over the backtest cuts: of the patients
    /// flagged, the share that stayed away.
    pub precision: Option<f64>,
    /// The network's recall: of the patients lapsed at the horizons' ends,
    /// the share flagged at the cuts.
    pub recall: Option<f64>,
    /// Every backtest case (network first, cut by cut).
    pub backtest: Vec<ChurnCase>,
}

/// The churn risk of a branch or of the network.
#[napi(object, use_nullable = true)]
pub struct ChurnRisk {
    /// The branch; null for the network.
    pub clinic_id: Option<i64>,
    /// Patients on the churn list.
    pub at_risk: i64,
    /// This branch's (or the network's) backtest precision.
    pub precision: Option<f64>,
    /// Its backtest recall.
    pub recall: Option<f64>,
}

/// One backtest case of the churn list: a branch (or the network) at a past cut.
#[napi(object, use_nullable = true)]
pub struct ChurnCase {
    /// The branch; null for the network.
    pub clinic_id: Option<i64>,
    /// The day the list was drawn up at.
    pub cut: String,
    /// The horizon's last day.
    pub horizon_end: String,
    /// Patients lapsed at the cut.
    pub flagged: i64,
    /// Of them, those who came back within the horizon.
    pub won_back: i64,
    /// Of them, those who did not.
    pub stayed_away: i64,
    /// Patients lapsed at the horizon's end.
    pub lapsed: i64,
    /// `stayedAway / flagged`.
    pub precision: Option<f64>,
    /// `stayedAway / lapsed`.
    pub recall: Option<f64>,
}
