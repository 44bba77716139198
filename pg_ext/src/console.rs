//! The console functions: `odx_command` (the Command Center of an
//! organization), `odx_compare` (a domain against its previous period), the
//! forecasts (`odx_forecast_*`), `odx_insights_scope` and `odx_authorize`
//! (the policy rules). The small console tables (an organization's branches and
//! targets, a user's row and assignments) are read whole by one key into a
//! core `Tables`; the domains run their set-based statements over every
//! branch at once; core decides and rolls up.

use crate::answer::Answer;
use crate::{date, period, read, report, scope, to_jsonb, with_window, Computed, Result};
use odx_core::policy::read_request;
use odx_core::targets::MinVolume;
use odx_core::{Domain, MetricScope, OdxError, Tables};
use odx_sql::{ConsoleQuery, USER_READS};
use pgrx::prelude::*;
use pgrx::JsonB;

/// The console tables of `reads` for `key`.
pub(crate) fn console_tables(reads: &[ConsoleQuery], key: i64) -> Result<Computed<Tables>> {
    read!(console_tables, reads, key)
}

/// `f` of a user's console tables as jsonb, or `{ degraded: true, missing }`
/// when the org layer is not there.
fn with_user_tables(user_id: i64, f: impl FnOnce(&Tables) -> Result<Answer>) -> Result<Answer> {
    match console_tables(&USER_READS, user_id)? {
        Computed::Report(tables) => f(&tables),
        Computed::Degraded(missing) => to_jsonb("policy", Computed::<()>::Degraded(missing)),
    }
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
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<Answer> {
    let domain = domain_named(domain).map_err(report)?;
    let scope = with_window(scope(clinic_ids, from_date, to_date, "clinic", as_of)?, active_window_months)?;
    to_jsonb(domain, read!(compare, domain, &scope)?)
}

/// The checked branches and day of a forecast's arguments.
fn forecast_scope(clinic_ids: Array<i64>, as_of: pgrx::datum::Date) -> Result<MetricScope> {
    let day = date(as_of, "as_of")?;
    MetricScope::new(crate::clinic_ids(clinic_ids)?, day, day, odx_core::GroupBy::Clinic).map_err(report)
}

/// The month-end revenue forecast of `clinic_ids` at `as_of`: billed to
/// date plus the weekday means of the last
/// [`TRAILING_DAYS`](odx_core::forecast::TRAILING_DAYS) days, for the network
/// and each branch, with the MAPE the same projection made on the
/// [`BACKTEST_MONTHS`](odx_core::forecast::BACKTEST_MONTHS) previous months.
/// Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_forecast_revenue(clinic_ids: Array<i64>, as_of: pgrx::datum::Date) -> Result<Answer> {
    let s = forecast_scope(clinic_ids, as_of)?;
    let forecast = read!(forecast_revenue, s.clinic_ids(), s.to())?;
    to_jsonb("forecast_revenue", forecast)
}

/// The no-show risk of `clinic_ids`' appointments in the
/// [`HORIZON_DAYS`](odx_core::forecast::HORIZON_DAYS) days after `as_of`, per
/// branch and doctor, with the WAPE and bias of the same prediction made for
/// the [`BACKTEST_WEEKS`](odx_core::forecast::BACKTEST_WEEKS) previous weeks.
/// Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_forecast_no_shows(clinic_ids: Array<i64>, as_of: pgrx::datum::Date) -> Result<Answer> {
    let s = forecast_scope(clinic_ids, as_of)?;
    let forecast = read!(forecast_no_shows, s.clinic_ids(), s.to())?;
    to_jsonb("forecast_no_shows", forecast)
}

/// The churn list of `clinic_ids` at `as_of` (last completed visit
/// [`CHURN_AFTER_MONTHS`](odx_core::calendar::CHURN_AFTER_MONTHS) calendar
/// months or more before it, nothing booked; the most valuable by lifetime
/// billed), with the precision and recall of the same rule at past cuts whose
/// horizon has passed (see `odx_function_comments()`). Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_forecast_churn(clinic_ids: Array<i64>, as_of: pgrx::datum::Date) -> Result<Answer> {
    let s = forecast_scope(clinic_ids, as_of)?;
    let forecast = read!(forecast_churn, s.clinic_ids(), s.to())?;
    to_jsonb("forecast_churn", forecast)
}

/// The least volumes of a console call (each `NULL`: core's default); a
/// negative one is refused (22023).
fn min_volume(appointments: Option<i32>, invoices: Option<i32>, hours: Option<i32>) -> Result<Option<MinVolume>> {
    if appointments.is_none() && invoices.is_none() && hours.is_none() {
        return Ok(None);
    }
    let d = MinVolume::DEFAULT;
    let of = |v: Option<i32>, field: &'static str, default: u64| match v {
        None => Ok(default),
        Some(n) => u64::try_from(n)
            .map_err(|_| report(OdxError::InvalidArgument { field, message: format!("must be 0 or more, not {n}") })),
    };
    Ok(Some(MinVolume {
        appointments: of(appointments, "min_appointments", d.appointments)?,
        invoices: of(invoices, "min_invoices", d.invoices)?,
        capacity_hours: of(hours, "min_capacity_hours", d.capacity_hours)?,
    }))
}

/// The Command Center of an organization over `from_date..=to_date`: revenue
/// month to date against the network target, the range's collection rate,
/// no-show bleed and net profit, the alert strip of its targets and the
/// branch leaderboard. Every domain runs once over all the branches (twice
/// when the range is not the month to date of `to_date`). Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_command(
    organization_id: Option<i64>,
    from_date: Option<pgrx::datum::Date>,
    to_date: Option<pgrx::datum::Date>,
    as_of: default!(Option<TimestampWithTimeZone>, "now()"),
    min_appointments: default!(Option<i32>, "NULL"),
    min_invoices: default!(Option<i32>, "NULL"),
    min_capacity_hours: default!(Option<i32>, "NULL"),
) -> Result<Option<Answer>> {
    // NULL in, NULL out (the optional minimums make the function non-strict).
    let (Some(organization_id), Some(from_date), Some(to_date), Some(as_of)) =
        (organization_id, from_date, to_date, as_of)
    else {
        return Ok(None);
    };
    let judged = (period(from_date, to_date, as_of)?, min_volume(min_appointments, min_invoices, min_capacity_hours)?);
    let center = read!(command, organization_id, None, None, judged)?;
    to_jsonb("command", center).map(Some)
}

/// The digest facts of an organization over `from_date..=to_date`: the
/// anomalies (target breaches, branches far off the median) and the three
/// highest-impact actions, as structured data. Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_digest(
    organization_id: Option<i64>,
    from_date: Option<pgrx::datum::Date>,
    to_date: Option<pgrx::datum::Date>,
    as_of: default!(Option<TimestampWithTimeZone>, "now()"),
    min_appointments: default!(Option<i32>, "NULL"),
    min_invoices: default!(Option<i32>, "NULL"),
    min_capacity_hours: default!(Option<i32>, "NULL"),
) -> Result<Option<Answer>> {
    // NULL in, NULL out (the optional minimums make the function non-strict).
    let (Some(organization_id), Some(from_date), Some(to_date), Some(as_of)) =
        (organization_id, from_date, to_date, as_of)
    else {
        return Ok(None);
    };
    let judged = (period(from_date, to_date, as_of)?, min_volume(min_appointments, min_invoices, min_capacity_hours)?);
    let digest = read!(digest, organization_id, None, None, judged)?;
    to_jsonb("digest", digest).map(Some)
}

/// One branch of an organization benchmarked against the median of its
/// branches over `from_date..=to_date`. Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_benchmark(
    organization_id: i64,
    clinic_id: i64,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<Answer> {
    let bench = read!(benchmark, organization_id, clinic_id, None, None, period(from_date, to_date, as_of)?)?;
    to_jsonb("benchmark", bench)
}

/// The Network Hub's overview of an organization on one day: appointments,
/// billed, active branches and the no-show rate, network and per branch.
/// Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_network_overview(organization_id: i64, day: pgrx::datum::Date) -> Result<Answer> {
    let day = date(day, "day")?;
    let overview = read!(network_overview, organization_id, None, None, day)?;
    to_jsonb("network_overview", overview)
}

/// The console scope of a user: `org_admin` -> every branch of the
/// organization (level network), `branch_manager` -> its branch (level
/// branch); `focus_clinic_id` narrows it to one of its branches (42501 for
/// one outside it), `focus_city` to its branches in a city (42501 for a
/// city with none of them), `organization_id` picks the organization of a
/// user with console roles in several. Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_insights_scope(
    user_id: Option<i64>,
    organization_id: default!(Option<i64>, "NULL"),
    focus_clinic_id: default!(Option<i64>, "NULL"),
    focus_city: default!(Option<&str>, "NULL"),
) -> Result<Option<Answer>> {
    // NULL in, NULL out, like every other function (the optional arguments
    // make this one non-strict).
    let Some(user_id) = user_id else { return Ok(None) };
    with_user_tables(user_id, |t| {
        Answer::of(t.insights_scope(user_id, organization_id, focus_clinic_id, focus_city).map_err(report)?)
    })
    .map(Some)
}

/// Whether a user may do `action` on `resource`: `{ allowed, reason }`.
/// `action` is e.g. `{"action": "clinic_admin", "permission":
/// "appointments.edit"}`, `resource` e.g. `{"kind": "clinic", "clinic_id":
/// 3}`. Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_authorize(user_id: i64, action: JsonB, resource: JsonB) -> Result<Answer> {
    let (action, resource) = read_request(&action.0.to_string(), &resource.0.to_string()).map_err(report)?;
    with_user_tables(user_id, |t| Answer::of(t.authorize(user_id, &action, &resource).map_err(report)?))
}
