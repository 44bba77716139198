//! What every SQL function of the extension computes, as its `COMMENT`:
//! written once, here, with core's constants interpolated (the late
//! threshold, the churn cut, the forecasts' windows ...), never restated.
//! `CREATE EXTENSION` and the upgrade script set them all from
//! [`odx_function_comments`], so a change of a constant in core changes
//! the catalog's text with it.

use crate::table::TableIterator;
use odx_core::calendar::CHURN_AFTER_MONTHS;
use odx_core::forecast::{
    BACKTEST_MONTHS, BACKTEST_WEEKS, CHURN_BACKTEST_CUTS, CHURN_HORIZON_MONTHS, HISTORY_DAYS, HORIZON_DAYS, SHRINKAGE,
    TRAILING_DAYS,
};
use odx_core::insights::OUTLIER_GAP;
use odx_core::patients::CHURN_LIST_LEN;
use odx_core::targets::{MinVolume, WARNING_MISS};
use pgrx::prelude::*;
use rust_decimal::Decimal;

/// A fraction as a whole percentage for prose (0.25 -> 25).
fn percent(fraction: Decimal) -> Decimal {
    (fraction * Decimal::ONE_HUNDRED).normalize()
}

/// What every report's `as_of` argument means, appended to its comment.
const AS_OF: &str = "Read as of the earlier of the end of to_date (local midnight) and as_of (default now(), the transaction's timestamp): a period still in progress is read as of now (missed, overdue, balances, stock and today follow it; later facts of the range are not counted) and a period wholly in the future gives zeroed range figures; the report states the as_of it used.";

/// Every function's signature (as `regprocedure` prints it) and comment.
pub(crate) fn comments() -> Vec<(&'static str, String)> {
    let (warning_miss, outlier_gap) = (percent(WARNING_MISS), percent(OUTLIER_GAP));
    let MinVolume { appointments, invoices, capacity_hours } = MinVolume::DEFAULT;
    let min_volume = format!(
        "A rate target is judged only on enough volume, below which its evaluation is insufficient_data and raises no alert: min_appointments scheduled for noshow_rate_max (default {appointments}), min_invoices billed for collection_rate_min (default {invoices}), min_capacity_hours of doctor capacity for utilization_min (default {capacity_hours})."
    );
    macro_rules! domain_comments {
        ([] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
            [$((
                concat!("odx_", stringify!($module), "(bigint[], date, date, text", $(window_argument!($window),)? ", timestamp with time zone)"),
                odx_core::$module::about(),
            )),*]
        };
    }
    macro_rules! window_argument {
        ($window:ident) => {
            ", integer"
        };
    }
    let mut comments = vec![
        (
            "odx_function_comments()",
            "The comment of every SQL function of odx (what COMMENT ON FUNCTION gives it), written once in the \
             extension with odx-core's constants interpolated. Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_aging_bucket(integer)",
            "The AR aging bucket of an age in days: 0-30, 31-60, 61-90 or 90+ (NULL for a negative age)."
                .to_owned(),
        ),
        (
            "odx_day_start(text, date)",
            "The first instant of local date day in time_zone (a clinic's timezone; blank means Asia/Karachi), as odx cuts days: local midnight, or the first instant after a daylight-saving gap."
                .to_owned(),
        ),
        (
            "odx_accounting_by_branch(bigint[], date, date, timestamp with time zone)",
            "One row per branch of odx_accounting: money as numeric, the expense ratio NULL when there are no receipts. Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_financial_by_branch(bigint[], date, date, timestamp with time zone)",
            "One row per branch of odx_financial: money and rates as numeric, rates NULL when their denominator is zero."
                .to_owned(),
        ),
        (
            "odx_operations_by_branch(bigint[], date, date, timestamp with time zone)",
            "One row per branch of odx_operations: counts as bigint, rates and the no-show bleed as numeric, rates NULL when their denominator is zero."
                .to_owned(),
        ),
        (
            "odx_lab_by_branch(bigint[], date, date, timestamp with time zone)",
            "One row per branch of odx_lab over every vendor: counts as bigint, cost and turnaround as numeric, the overdue share and turnaround NULL when there is no data. Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_staff_by_branch(bigint[], date, date, timestamp with time zone)",
            "One row per branch of odx_staff (the per-role headcount is in odx_staff): counts as bigint, money and rates as numeric, rates NULL without attendance days and revenue per staff NULL without staff. Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_clinical_by_branch(bigint[], date, date, timestamp with time zone)",
            "One row per branch of odx_clinical (the per-doctor acceptance and top procedure lists are in odx_clinical): counts as bigint, money and rates as numeric, rates and the average NULL when their denominator is zero. Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_patients_by_branch(bigint[], date, date, integer, timestamp with time zone)",
            "One row per branch of odx_patients (the ranked at-risk list is in odx_patients): counts as bigint, returning_share as numeric (NULL when nobody was seen in range). Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_inventory_by_branch(bigint[], date, date, timestamp with time zone)",
            "One row per branch of odx_inventory (the reorder list and the rebalance suggestions are in odx_inventory): counts as bigint, money and days of cover as numeric (NULL without consumption). Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_command(bigint, date, date, timestamp with time zone, integer, integer, integer)",
            format!(
                "The Command Center of an organization over from_date..to_date, computed by odx-core: revenue_mtd (billed from the first of to_date's month against the network revenue_monthly target prorated by elapsed days), billed, collected, collection_rate, no_show_rate, no_show_bleed, net_profit and expense_ratio of the range, the alerts of app.ops_targets judged on the month to date (warning within {warning_miss}% of the target, critical beyond), every target's evaluation, and the leaderboard of branches by billed with the worst no-show rate and the largest AR over 90 days flagged; {{ degraded, ... }}. Since 0.2.0."
            ),
        ),
        (
            "odx_digest(bigint, date, date, timestamp with time zone, integer, integer, integer)",
            format!(
                "The digest facts of an organization over from_date..to_date, computed by odx-core: the deterministic input a language model would narrate. billed, collected, net_profit and revenue attainment; anomalies (every target breach of the Command Center, then every branch worse than the median of the branches by more than {outlier_gap}% of it on a driver KPI) and the three highest-impact actions (PKR at stake, over every branch and driver); {{ degraded, ... }}. Since 0.2.0."
            ),
        ),
        (
            "odx_benchmark(bigint, bigint, date, date, timestamp with time zone)",
            "One branch benchmarked against the median of its organization's branches over from_date..to_date, computed by odx-core: per driver KPI (collection_rate, no_show_rate, avg_ticket, doctor and chair utilization, margin, expense_ratio, ar90_share, lab_overdue_share) its value, the median, the gap, whether it is worse, and the PKR it would gain by reaching the median where computable, ranked by that impact; { degraded, ... }. Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_network_overview(bigint, date)",
            "The Network Hub overview of an organization on one day (each branch's local date), computed by odx-core: appointments, billed, active branches and the no-show rate, for the network and per branch; { degraded, ... }. Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_network_overview_rows(bigint, date)",
            "odx_network_overview as rows: one per branch, ascending (clinic_id, branch_name, city, active), then the network's (those four NULL); appointments as bigint, billed and no_show_rate as numeric (the rate NULL without appointments; the network's from the merged counts, never an average of the branches'). No rows, with a WARNING naming what is missing, when the overview is degraded. Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_insights_scope(bigint, bigint, bigint, text)",
            "The console scope of a user, decided by odx-core from app.user_organization_assignments and app.organization_clinics: { user_id, organization_id, role, level, focus, focus_city, clinic_ids, active_clinic_ids }. org_admin gets every branch of the organization (inactive ones included, for history), branch_manager its branch; anyone else is refused (42501, ODX_NO_CONSOLE_ACCESS), as is a focus branch outside the scope (42501, ODX_FORBIDDEN_SCOPE). focus_city narrows the scope to its branches in that city (trimmed, case-insensitive), refusing a city with none of them (42501, ODX_FORBIDDEN_SCOPE). Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_authorize(bigint, jsonb, jsonb)",
            "One permission decision of the organization layer, by odx-core: { allowed, reason } for a user, an action ({\"action\": \"clinic_admin\", \"permission\": ...} | {\"action\": \"open_module\", \"module\": ...} | {\"action\": \"view_insights\" | \"view_template\" | \"create_template\" | \"edit_template\" | \"delete_template\" | \"change_plan\" | \"set_role_defaults\"}) and a resource ({\"kind\": \"clinic\", \"clinic_id\": ...} | {\"kind\": \"organization\", \"organization_id\": ...} | {\"kind\": \"template\", \"organization_id\": ..., \"clinic_id\": null | ...}). Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_compare(text, bigint[], date, date, integer, timestamp with time zone)",
            "A domain's report (financial, operations, accounting, lab, staff, clinical, patients or inventory) of the clinics over from_date..to_date against the previous period of the same length (ending the day before from_date), computed by odx-core: per headline measure of the network and of each branch its kind (amount, count, rate, average, days), current, previous, change (points for a rate) and change_rate, and for the additive kinds each branch's share of the network now and before; { degraded, ... }. Since 0.2.0."
                .to_owned(),
        ),
        (
            "odx_forecast_revenue(bigint[], date)",
            format!(
                "The month-end revenue forecast of the clinics at as_of, computed by odx-core: billed from the first of the month through as_of plus, for each remaining day, the mean billed of its weekday over the {TRAILING_DAYS} days through as_of, for the network and each branch; never without its error: mape (network) and branch_mape, the mean absolute percentage error of the same projection made at the same day of each of the {BACKTEST_MONTHS} previous months, every backtest case listed; {{ degraded, ... }}. Since 0.2.0."
            ),
        ),
        (
            "odx_forecast_no_shows(bigint[], date)",
            format!(
                "The no-show risk of the clinics' appointments in the {HORIZON_DAYS} days after as_of, computed by odx-core: per branch and doctor the appointments on the books, the no-show rate of the {HISTORY_DAYS} days before (the doctor's shrunk toward the branch's by {SHRINKAGE} appointments), the expected no-shows and the PKR at stake at the average ticket; never without its error: wape and bias of the same prediction for each of the {BACKTEST_WEEKS} previous weeks against the no-shows that happened, every case listed; {{ degraded, ... }}. Since 0.2.0."
            ),
        ),
        (
            "odx_forecast_churn(bigint[], date)",
            format!(
                "The churn list of the clinics at as_of, computed by odx-core: patients whose last completed visit is {CHURN_AFTER_MONTHS} calendar months or more before as_of with nothing booked after it (at_risk for the network and each branch, and the {CHURN_LIST_LEN} most valuable by lifetime billed), read as a prediction that they will not come back within {CHURN_HORIZON_MONTHS} months; never without its error: precision (the share of the patients lapsed at a past cut who stayed away for the {CHURN_HORIZON_MONTHS} months after it) and recall (the share of the patients lapsed at the horizon's end that were lapsed at the cut), pooled over {CHURN_BACKTEST_CUTS} cuts whose horizons end at as_of and one and two months before, every case listed; {{ degraded, ... }}. Since 0.2.0."
            ),
        ),
    ];
    comments.extend(odx_core::domains!(domain_comments));
    // Every report read at an instant says what the instant means.
    for (signature, comment) in &mut comments {
        if signature.contains("_by_branch(") {
            comment.push_str(" Each row names its branch: clinic_id, branch_name, city.");
        }
        if signature.contains("timestamp with time zone") {
            comment.push(' ');
            comment.push_str(AS_OF);
        }
        if signature.ends_with("integer, integer, integer)") {
            comment.push(' ');
            comment.push_str(&min_volume);
        }
    }
    comments
}

/// The comment of every SQL function of the extension (the text
/// `COMMENT ON FUNCTION` gives it), with core's constants interpolated.
#[pg_extern(immutable, parallel_safe)]
pub fn odx_function_comments() -> TableIterator<(name!(function, String), name!(comment, String))> {
    TableIterator::new(comments().into_iter().map(|(f, c)| (f.to_owned(), c)))
}

extension_sql!(
    r#"
DO $odx$
DECLARE r record;
BEGIN
    FOR r IN SELECT * FROM odx_function_comments() LOOP
        EXECUTE format('COMMENT ON FUNCTION %s IS %L', r.function, r.comment);
    END LOOP;
    -- Every function of the extension runs with a pinned search_path (its
    -- statements name schema app; nothing a caller's path holds is found
    -- first).
    FOR r IN SELECT p.oid::regprocedure AS f FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'odx'
        WHERE p.prokind = 'f' LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, pg_temp', r.f);
    END LOOP;
END
$odx$;
"#,
    name = "function_comments",
    finalize,
);
