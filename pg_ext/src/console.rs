//! The console functions: `odx_command` (the Command Center of an
//! organization), `odx_compare` (a domain against its previous period), the
//! forecasts (`odx_forecast_*`), `odx_insights_scope` and `odx_authorize`
//! (the policy rules). The small console tables (an organization's branches and
//! targets, a user's row and assignments) are read whole by one key into a
//! core `Tables`; the domains run their set-based statements over every
//! branch at once; core decides and rolls up.

use crate::{compute, date, internal, report, scope, spi, to_jsonb, with_window, Computed, Result, SpiRow};
use chrono::NaiveDate;
use odx_core::command::DomainReports;
use odx_core::compare::comparison_scopes;
use odx_core::console::ConsolePlan;
use odx_core::forecast::{
    churn_forecast, churn_scopes, no_show_forecast, no_show_scopes, revenue_forecast, revenue_scopes,
};
use odx_core::insights::{benchmark, network_overview};
use odx_core::policy::read_request;
use odx_core::{
    AccountingAcc, Domain, FinancialAcc, GroupBy, LabAcc, MetricScope, OdxError, OperationsAcc, PatientsAcc, Tables,
};
use odx_sql::{feed_console, ConsoleQuery, DomainAcc, ORGANIZATION_READS, USER_READS};
use pgrx::datum::DatumWithOid;
use pgrx::prelude::*;
use pgrx::JsonB;
use serde::Serialize;

/// The console tables of `reads` for `key`.
pub(crate) fn console_tables(reads: &[ConsoleQuery], key: i64) -> Result<Tables> {
    Spi::connect(|client| {
        let mut tables = Tables::default();
        for q in reads {
            let args: [DatumWithOid; 1] = [key.into()];
            for row in client.select(q.sql, None, &args).map_err(spi)? {
                feed_console(&mut tables, q.read, &SpiRow(&row))
                    .map_err(|e| internal(format!("odx: unreadable console row: {e}")))?;
            }
        }
        Ok(tables)
    })
}

/// The four domain reports of a scope, or the relations they miss.
pub(crate) fn domain_reports(scope: &MetricScope) -> Result<Computed<DomainReports>> {
    Ok(Computed::all4(
        compute::<FinancialAcc>(scope)?,
        compute::<OperationsAcc>(scope)?,
        compute::<AccountingAcc>(scope)?,
        compute::<LabAcc>(scope)?,
    ))
}

/// A domain named by a caller (`financial`, `operations` ...).
pub(crate) fn domain_named(name: &str) -> odx_core::Result<Domain> {
    Domain::parse(name).ok_or_else(|| OdxError::InvalidArgument {
        field: "domain",
        message: format!(
            "{name:?} is not a domain (financial, operations, accounting, lab, staff, clinical, patients, inventory)"
        ),
    })
}

/// A domain's report of `clinic_ids` over `from_date..=to_date` against the
/// previous period of the same length, with each branch's share of the
/// network: the headline measures of core's report, now and before, their
/// change, and the shares of the additive ones. Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_compare(
    domain: &str,
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    active_window_months: default!(i32, 18),
) -> Result<JsonB> {
    let domain = domain_named(domain).map_err(report)?;
    let scope = with_window(scope(clinic_ids, from_date, to_date, "clinic")?, active_window_months)?;
    let (current, previous) = comparison_scopes(&scope).map_err(report)?;
    let compared = odx_sql::by_domain!(domain, A => compute::<A>(&current)?.compared(compute::<A>(&previous)?));
    to_jsonb(domain, compared.map_err(report)?)
}

/// A forecast of `clinic_ids` at `as_of`: the reports of its scopes (`A`
/// is their domain's accumulator), finished by core.
fn forecast<A: DomainAcc, T: Serialize>(
    module: &str,
    clinic_ids: Array<i64>,
    as_of: pgrx::datum::Date,
    scopes: fn(&[i64], NaiveDate) -> odx_core::Result<Vec<MetricScope>>,
    finish: fn(NaiveDate, &[A::Report]) -> odx_core::Result<T>,
) -> Result<JsonB> {
    date(as_of, "as_of")?;
    let scope = scope(clinic_ids, as_of, as_of, "clinic")?;
    let scopes = scopes(scope.clinic_ids(), scope.to()).map_err(report)?;
    let reports = scopes.iter().map(compute::<A>).collect::<Result<Vec<_>>>()?;
    to_jsonb(module, Computed::all(reports).try_map(|r| finish(scope.to(), &r)).map_err(report)?)
}

/// The month-end revenue forecast of `clinic_ids` at `as_of`: billed to
/// date plus the weekday means of the last
/// [`TRAILING_DAYS`](odx_core::forecast::TRAILING_DAYS) days, for the network
/// and each branch, with the MAPE the same projection made on the
/// [`BACKTEST_MONTHS`](odx_core::forecast::BACKTEST_MONTHS) previous months.
/// Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_forecast_revenue(clinic_ids: Array<i64>, as_of: pgrx::datum::Date) -> Result<JsonB> {
    forecast::<FinancialAcc, _>("forecast_revenue", clinic_ids, as_of, revenue_scopes, revenue_forecast)
}

/// The no-show risk of `clinic_ids`' appointments in the
/// [`HORIZON_DAYS`](odx_core::forecast::HORIZON_DAYS) days after `as_of`, per
/// branch and doctor, with the WAPE and bias of the same prediction made for
/// the [`BACKTEST_WEEKS`](odx_core::forecast::BACKTEST_WEEKS) previous weeks.
/// Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_forecast_no_shows(clinic_ids: Array<i64>, as_of: pgrx::datum::Date) -> Result<JsonB> {
    forecast::<OperationsAcc, _>("forecast_no_shows", clinic_ids, as_of, no_show_scopes, no_show_forecast)
}

/// The churn list of `clinic_ids` at `as_of` (last completed visit
/// [`CHURN_AFTER_MONTHS`](odx_core::calendar::CHURN_AFTER_MONTHS) calendar
/// months or more before it, nothing booked; the most valuable by lifetime
/// billed), with the precision and recall of the same rule at past cuts whose
/// horizon has passed (see `odx_function_comments()`). Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_forecast_churn(clinic_ids: Array<i64>, as_of: pgrx::datum::Date) -> Result<JsonB> {
    forecast::<PatientsAcc, _>("forecast_churn", clinic_ids, as_of, churn_scopes, churn_forecast)
}

fn plain_jsonb(value: impl Serialize) -> Result<JsonB> {
    serde_json::to_value(value).map(JsonB).map_err(|e| internal(format!("odx: {e}")))
}

/// The Command Center of an organization over `from_date..=to_date`: revenue
/// month to date against the network target, the range's collection rate,
/// no-show bleed and net profit, the alert strip of its targets and the
/// branch leaderboard. Every domain runs once over all the branches (twice
/// when the range is not the month to date of `to_date`). Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_command(organization_id: i64, from_date: pgrx::datum::Date, to_date: pgrx::datum::Date) -> Result<JsonB> {
    let (plan, range, mtd) = range_and_mtd(organization_id, from_date, to_date)?;
    to_jsonb("command", Computed::console(range, mtd, |r, m| plan.command(r, m)).map_err(report)?)
}

/// An organization's console plan (every branch; see
/// [`Tables::console_plan`]) and the reports of its range and, when the range
/// is not it, of the month to date of `to_date`.
fn range_and_mtd(
    organization_id: i64,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
) -> Result<(ConsolePlan, Computed<DomainReports>, Option<Computed<DomainReports>>)> {
    let (from, to) = (date(from_date, "from_date")?, date(to_date, "to_date")?);
    let org = console_tables(&ORGANIZATION_READS, organization_id)?;
    let plan = org.console_plan(organization_id, None, None, from, to).map_err(report)?;
    let range = domain_reports(&plan.range)?;
    let mtd = plan.mtd.as_ref().map(domain_reports).transpose()?;
    Ok((plan, range, mtd))
}

/// The digest facts of an organization over `from_date..=to_date`: the
/// anomalies (target breaches, branches far off the median) and the three
/// highest-impact actions, as structured data. Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_digest(organization_id: i64, from_date: pgrx::datum::Date, to_date: pgrx::datum::Date) -> Result<JsonB> {
    let (plan, range, mtd) = range_and_mtd(organization_id, from_date, to_date)?;
    let digest = Computed::console(range, mtd, |r, m| plan.digest(r, m)).map_err(report)?;
    to_jsonb("digest", digest)
}

/// One branch of an organization benchmarked against the median of its
/// branches over `from_date..=to_date`. Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_benchmark(
    organization_id: i64,
    clinic_id: i64,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
) -> Result<JsonB> {
    let (from, to) = (date(from_date, "from_date")?, date(to_date, "to_date")?);
    let org = console_tables(&ORGANIZATION_READS, organization_id)?;
    let ids = org.benchmark_set(organization_id, clinic_id, None, None).map_err(report)?;
    let scope = MetricScope::new(ids, from, to, GroupBy::Clinic).map_err(report)?;
    let bench = domain_reports(&scope)?.try_map(|r| benchmark(&r, clinic_id)).map_err(report)?;
    to_jsonb("benchmark", bench)
}

/// The Network Hub's overview of an organization on one day: appointments,
/// billed, active branches and the no-show rate, network and per branch.
/// Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_network_overview(organization_id: i64, day: pgrx::datum::Date) -> Result<JsonB> {
    let day = date(day, "day")?;
    let org = console_tables(&ORGANIZATION_READS, organization_id)?;
    let ids = org.org_branches(organization_id, None, None).map_err(report)?;
    let active = org.active_branches(&ids);
    let scope = MetricScope::new(ids, day, day, GroupBy::Clinic).map_err(report)?;
    let overview = domain_reports(&scope)?.try_map(|r| network_overview(&r, &active)).map_err(report)?;
    to_jsonb("network_overview", overview)
}

/// The console scope of a user: `org_admin` -> every branch of the
/// organization (level network), `branch_manager` -> its branch (level
/// branch); `focus_clinic_id` narrows it to one of its branches (42501 for
/// one outside it), `organization_id` picks the organization of a user
/// with console roles in several. Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_insights_scope(
    user_id: i64,
    organization_id: default!(Option<i64>, "NULL"),
    focus_clinic_id: default!(Option<i64>, "NULL"),
) -> Result<JsonB> {
    let tables = console_tables(&USER_READS, user_id)?;
    plain_jsonb(tables.insights_scope(user_id, organization_id, focus_clinic_id).map_err(report)?)
}

/// Whether a user may do `action` on `resource`: `{ allowed, reason }`.
/// `action` is e.g. `{"action": "clinic_admin", "permission":
/// "appointments.edit"}`, `resource` e.g. `{"kind": "clinic", "clinic_id":
/// 3}`. Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_authorize(user_id: i64, action: JsonB, resource: JsonB) -> Result<JsonB> {
    let (action, resource) = read_request(&action.0.to_string(), &resource.0.to_string()).map_err(report)?;
    let tables = console_tables(&USER_READS, user_id)?;
    plain_jsonb(tables.authorize(user_id, &action, &resource).map_err(report)?)
}
