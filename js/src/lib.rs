//! # odx's JavaScript surface
//!
//! What the Node addon (`node_bindings`, napi-rs) and the WebAssembly build
//! (`wasm`, wasm-bindgen) both expose, written once over JSON values: the
//! arguments read field by field ([`args`]), the pure functions over rows a
//! caller already holds, `plan`/`finish` (a read with the caller's own
//! database client, [`odx_sql::plan`]), and every failure with its stable
//! `ODX_*` code ([`Fault`]). A binding only converts: JavaScript values to
//! [`Value`] (through `JSON.stringify`, so both read the same JSON), the
//! answer back, a [`Fault`] to a thrown `Error` with its `code`.
//!
//! No I/O and no clock: `now` (the instant a call without `asOf` is read
//! at) is an argument, read by the binding from its host (WebAssembly has
//! no clock of its own). Nothing here panics on any input: the property
//! and bad-input suites run against both builds.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod args;
mod fault;

pub use fault::{core_error, row_error, Fault, Result};

use args::{BadArgument, ConsoleRequest, Request, UserRequest};
use chrono::{DateTime, Utc};
use odx_core::{Domain, MetricScope, Tables};
use odx_sql::plan::{Answer, JavaScript, JsonRow, OrgRead, Request as Read, UserRead};
use odx_sql::Outcome;
use serde::Serialize;
use serde_json::{json, Value};
use std::str::FromStr;

/// A bad argument as a [`Fault`].
pub fn bad_argument(e: BadArgument) -> Fault {
    Fault::invalid(format!("{}: {}", e.field, e.message))
}

/// The checked scope of a call's `params` (`undefined` is a bad argument).
pub fn scope_of(params: Option<Value>, now: DateTime<Utc>) -> Result<MetricScope> {
    Request::read(&params.unwrap_or_default(), "params", now).map_err(bad_argument)?.scope().map_err(core_error)
}

/// The domain and checked scope of a comparison's `params` (`groupBy` is
/// ignored: a comparison is always by branch).
fn compare_of(params: Option<Value>, now: DateTime<Utc>) -> Result<(Domain, MetricScope)> {
    let params = params.unwrap_or_default();
    let obj = args::object(&params, "params").map_err(bad_argument)?;
    let domain = args::domain(obj, "domain").map_err(bad_argument)?;
    Ok((domain, scope_of(Some(params), now)?))
}

/// The checked scope of a forecast's `{ clinicIds, asOf,
/// allowedClinicIds? }` (one day: the as-of date).
fn forecast_of(params: Option<Value>) -> Result<MetricScope> {
    let params = params.unwrap_or_default();
    let obj = args::object(&params, "params").map_err(bad_argument)?;
    let ids = args::ids(obj, "clinicIds").map_err(bad_argument)?;
    let as_of = args::date(obj, "asOf").map_err(bad_argument)?;
    let allowed = args::optional_ids(obj, "allowedClinicIds").map_err(bad_argument)?;
    let scope = MetricScope::new(ids, as_of, as_of, odx_core::GroupBy::Clinic).map_err(core_error)?;
    match allowed {
        Some(allowed) => scope.within(&allowed).map_err(core_error),
        None => Ok(scope),
    }
}

fn console_of(params: Option<Value>, now: DateTime<Utc>) -> Result<ConsoleRequest> {
    ConsoleRequest::read(&params.unwrap_or_default(), "params", now).map_err(bad_argument)
}

fn user_of(params: Option<Value>) -> Result<UserRequest> {
    UserRequest::read(&params.unwrap_or_default(), "params").map_err(bad_argument)
}

/// A value as JavaScript receives it ([`odx_core::wire::to_javascript`]:
/// rates as numbers, money as decimal strings, camelCase keys).
pub fn to_js<T: Serialize>(v: &T) -> Result<Value> {
    odx_core::wire::to_javascript(v).map_err(Fault::internal)
}

/// A console answer that could be computed, as JavaScript receives it
/// (`degraded: false`).
fn ready<T: Serialize>(v: &T) -> Result<Value> {
    to_js(v).map(odx_core::wire::ready)
}

/// A validated scope: `{ clinicIds, from, to, groupBy, days,
/// activeWindowMonths }`.
pub fn validate_scope(params: Option<Value>, now: DateTime<Utc>) -> Result<Value> {
    let scope = scope_of(params, now)?;
    Ok(json!({
        "clinicIds": scope.clinic_ids(),
        "from": scope.from().to_string(),
        "to": scope.to().to_string(),
        "groupBy": scope.group_by().as_str(),
        "days": scope.days(),
        "activeWindowMonths": scope.active_window_months(),
    }))
}

/// The tables of `rows`, the JSON text of `{ clinics: [...], invoices:
/// [...], ... }` as `JSON.stringify` writes it, read straight into core's
/// rows (no intermediate JSON value: the demo network's half year is 18 MB)
/// and checked column by column: a bad value is `ODX_INVALID_ARGUMENT`
/// naming its path, e.g. `rows.invoices[3].total`.
pub fn tables(rows: Option<&str>) -> Result<Tables> {
    let not_tables = || Fault::invalid("rows: must be an object of tables ({ clinics, invoices, ... })");
    let rows = rows.filter(|r| r.trim_start().starts_with('{')).ok_or_else(not_tables)?;
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(rows))
        .map_err(|e| Fault::invalid(format!("rows.{}: {}", e.path(), e.inner())))
}

/// Any per-branch table as CSV text (`table` an array of row objects, `kind`
/// what the rows are: a domain, `leaderboard`, `overview` ...; see the
/// addon's `toCsv`).
pub fn to_csv(table: Option<Value>, kind: Option<String>) -> Result<String> {
    let rows = match table {
        Some(Value::Array(rows)) => rows,
        _ => return Err(Fault::invalid("table: must be an array of row objects")),
    };
    let kinds = kind.as_deref().map(odx_core::export::named_kinds).transpose().map_err(core_error)?;
    odx_core::export::rows_csv(&rows, kinds.as_ref()).map_err(core_error)
}

/// The console plan of a request over rows the caller holds.
fn pure_plan(tables: &Tables, p: &ConsoleRequest) -> Result<odx_core::console::ConsolePlan> {
    let plan = tables.console_plan(p.organization_id, p.clinic_ids.clone(), p.allowed.as_deref(), p.period());
    Ok(plan.map_err(core_error)?.with_min_volume(p.min_volume))
}

/// The report of a domain over rows: `Tables::financial`, ... by name.
macro_rules! report_over_rows {
    ([$domain:expr, $tables:ident, $scope:ident] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
        match $domain {
            $(Domain::$variant => ready(&$tables.$module(&$scope).map_err(core_error)?),)*
        }
    };
}

/// A pure read over rows the caller holds: `read` named as `plan` takes it
/// (a domain, `command`, `digest`, `benchmark`, `networkOverview`,
/// `insightsScope`, `authorize`, `forecastRevenue`, `forecastNoShows`,
/// `forecastChurn`, `compare`), in JavaScript's shape. The arguments are
/// checked before the rows are read.
pub fn over_rows(read: &str, rows: Option<&str>, params: Option<Value>, now: DateTime<Utc>) -> Result<Value> {
    if let Some(domain) = Domain::ALL.iter().find(|d| d.as_str() == read) {
        let scope = scope_of(params, now)?;
        let tables = tables(rows)?;
        return odx_core::domains!(report_over_rows, *domain, tables, scope);
    }
    match read {
        "command" | "digest" => {
            let p = console_of(params, now)?;
            let tables = tables(rows)?;
            let plan = pure_plan(&tables, &p)?;
            let reports = tables.plan_reports(&plan).map_err(core_error)?;
            if read == "command" {
                ready(&plan.command(&reports).map_err(core_error)?)
            } else {
                ready(&plan.digest(&reports).map_err(core_error)?)
            }
        }
        "benchmark" => {
            let p = console_of(params, now)?;
            let clinic = p.clinic().map_err(bad_argument)?;
            let tables = tables(rows)?;
            let ids = tables
                .benchmark_set(p.organization_id, clinic, p.clinic_ids.clone(), p.allowed.as_deref())
                .map_err(core_error)?;
            ready(&tables.benchmark(p.organization_id, clinic, Some(ids), p.period()).map_err(core_error)?)
        }
        "networkOverview" => {
            let p = console_of(params, now)?;
            let tables = tables(rows)?;
            let ids = tables.org_branches(p.organization_id, p.clinic_ids, p.allowed.as_deref()).map_err(core_error)?;
            ready(&tables.network_overview(p.organization_id, Some(ids), p.to).map_err(core_error)?)
        }
        "insightsScope" => {
            let p = user_of(params)?;
            let scope = tables(rows)?
                .insights_scope(p.user_id, p.organization_id, p.focus, p.city.as_deref())
                .map_err(core_error)?;
            to_js(&scope)
        }
        "authorize" => {
            let p = user_of(params)?;
            let (action, resource) = odx_core::policy::read_request(&p.action, &p.resource).map_err(core_error)?;
            to_js(&tables(rows)?.authorize(p.user_id, &action, &resource).map_err(core_error)?)
        }
        "forecastRevenue" => {
            let s = forecast_of(params)?;
            ready(&tables(rows)?.forecast_revenue(s.clinic_ids(), s.to()).map_err(core_error)?)
        }
        "forecastNoShows" => {
            let s = forecast_of(params)?;
            ready(&tables(rows)?.forecast_no_shows(s.clinic_ids(), s.to()).map_err(core_error)?)
        }
        "forecastChurn" => {
            let s = forecast_of(params)?;
            ready(&tables(rows)?.forecast_churn(s.clinic_ids(), s.to()).map_err(core_error)?)
        }
        "compare" => {
            let (domain, scope) = compare_of(params, now)?;
            ready(&tables(rows)?.compare(domain, &scope).map_err(core_error)?)
        }
        other => Err(unknown_read(other)),
    }
}

fn unknown_read(other: &str) -> Fault {
    let domains: Vec<&str> = Domain::ALL.iter().map(|d| d.as_str()).collect();
    Fault::invalid(format!(
        "read: {other:?} is not one of {}, compare, command, digest, benchmark, networkOverview, \
         forecastRevenue, forecastNoShows, forecastChurn, insightsScope, authorize",
        domains.join(", ")
    ))
}

/// An organization's target set as an org admin sends it (`[{ clinicId,
/// metric, value, period? }]`), checked by core against `branches`; the set
/// as it is to be stored (see the addon's `checkTargets`).
pub fn check_targets(targets: Option<Value>, branches: Option<Value>) -> Result<Value> {
    let Some(Value::Array(items)) = targets else {
        return Err(Fault::invalid("targets: must be an array of { clinicId, metric, value, period }"));
    };
    let branches = json!({ "branches": branches.unwrap_or_default() });
    let branches =
        args::ids(args::object(&branches, "branches").map_err(bad_argument)?, "branches").map_err(bad_argument)?;
    let mut settings = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = format!("targets[{i}]");
        let obj = args::object(item, &at).map_err(bad_argument)?;
        let clinic_id = args::optional_integer(obj, "clinicId")
            .map_err(|e| Fault::invalid(format!("{at}.{}: {}", e.field, e.message)))?;
        let text = |field: &str| match obj.get(field) {
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) if field == "value" => Ok(Some(n.to_string())),
            None | Some(Value::Null) => Ok(None),
            Some(_) => Err(Fault::invalid(format!("{at}.{field}: must be a string"))),
        };
        let metric = text("metric")?.ok_or_else(|| Fault::invalid(format!("{at}.metric: is required")))?;
        let value = text("value")?.ok_or_else(|| Fault::invalid(format!("{at}.value: is required")))?;
        let value = rust_decimal::Decimal::from_str(value.trim())
            .or_else(|_| rust_decimal::Decimal::from_scientific(value.trim()))
            .map_err(|_| Fault::invalid(format!("{at}.value: {value:?} is not a decimal number")))?;
        let period = text("period")?.unwrap_or_else(|| "monthly".to_owned());
        settings.push(odx_core::targets::TargetSetting { clinic_id, metric, value, period });
    }
    to_js(&odx_core::targets::check_target_set(&branches, &settings).map_err(core_error)?)
}

/// A request's answer in JavaScript's shape: a report or read-out with
/// `degraded: false` (a policy answer as it is), or `{ degraded: true,
/// module, missing }` when relations it reads are missing.
pub fn answer((module, outcome): Answer) -> Result<Value> {
    match outcome {
        Outcome::Report(r) if module == "policy" => Ok(r),
        Outcome::Report(r) => Ok(odx_core::wire::ready(r)),
        Outcome::Degraded(missing) => Ok(odx_core::wire::degraded(module, &missing)),
    }
}

/// The request of `read` (a domain's name, `compare`, `command`, `digest`,
/// `benchmark`, `networkOverview`, `forecastRevenue`, `forecastNoShows`,
/// `forecastChurn`, `insightsScope`, `authorize`) for its `params`.
pub fn request_of(read: &str, params: Option<Value>, now: DateTime<Utc>) -> Result<Read> {
    if let Some(domain) = Domain::ALL.iter().find(|d| d.as_str() == read) {
        return Ok(Read::Report(*domain, scope_of(params, now)?));
    }
    let org = |p: &ConsoleRequest| OrgRead {
        organization_id: p.organization_id,
        clinic_ids: p.clinic_ids.clone(),
        allowed: p.allowed.clone(),
        period: p.period(),
        min_volume: p.min_volume,
    };
    let user = |p: &UserRequest| UserRead {
        user_id: p.user_id,
        organization_id: p.organization_id,
        focus: p.focus,
        city: p.city.clone(),
    };
    let forecast = |params| forecast_of(params).map(|s| (s.clinic_ids().to_vec(), s.to()));
    Ok(match read {
        "compare" => {
            let (domain, scope) = compare_of(params, now)?;
            Read::Compare(domain, scope)
        }
        "command" => Read::Command(org(&console_of(params, now)?)),
        "digest" => Read::Digest(org(&console_of(params, now)?)),
        "benchmark" => {
            let p = console_of(params, now)?;
            Read::Benchmark(org(&p), p.clinic().map_err(bad_argument)?)
        }
        "networkOverview" => Read::Overview(org(&console_of(params, now)?)),
        "forecastRevenue" => {
            let (ids, at) = forecast(params)?;
            Read::ForecastRevenue(ids, at)
        }
        "forecastNoShows" => {
            let (ids, at) = forecast(params)?;
            Read::ForecastNoShows(ids, at)
        }
        "forecastChurn" => {
            let (ids, at) = forecast(params)?;
            Read::ForecastChurn(ids, at)
        }
        "insightsScope" => Read::InsightsScope(user(&user_of(params)?)),
        "authorize" => {
            let p = user_of(params)?;
            // Refused here as the engine would, before any round.
            odx_core::policy::read_request(&p.action, &p.resource).map_err(core_error)?;
            Read::Authorize(user(&p), p.action.clone(), p.resource.clone())
        }
        other => return Err(unknown_read(other)),
    })
}

/// A read with the caller's own database client (see [`odx_sql::plan`]).
pub type Plan = odx_sql::plan::Plan<JavaScript>;

/// The plan of `read` for `params`, checked the way the engine checks them
/// (a bad one is refused here, before any statement).
pub fn plan(read: Option<String>, params: Option<Value>, now: DateTime<Utc>) -> Result<Plan> {
    let read = read.ok_or_else(|| Fault::invalid("read: is required (a domain, command ...)"))?;
    let request = request_of(&read, params, now)?;
    Plan::new(request, JavaScript).map_err(plan_error)
}

/// The statements of a plan's next round, as JSON (`[{ text, values,
/// types }]`).
pub fn statements(plan: &Plan) -> Result<Value> {
    serde_json::to_value(plan.statements()).map_err(Fault::internal)
}

/// Folds the rows of a plan's statements (one array of row objects per
/// statement, in order): the answer when nothing more is needed, `null`
/// when the plan holds another round.
pub fn finish(plan: &mut Plan, rows: Option<Value>) -> Result<Value> {
    let rows = match rows {
        Some(Value::Array(lists)) => lists
            .into_iter()
            .enumerate()
            .map(|(i, list)| match list {
                Value::Array(rows) => rows
                    .into_iter()
                    .enumerate()
                    .map(|(j, row)| match row {
                        Value::Object(row) => Ok(row),
                        _ => Err(Fault::invalid(format!("rows[{i}][{j}]: must be a row object"))),
                    })
                    .collect::<Result<Vec<JsonRow>>>(),
                _ => Err(Fault::invalid(format!("rows[{i}]: must be the array of rows of statement {i}"))),
            })
            .collect::<Result<Vec<_>>>()?,
        _ => return Err(Fault::invalid("rows: must be an array (one array of rows per statement)")),
    };
    match plan.finish(rows).map_err(plan_error)? {
        Some(done) => answer(done.clone()),
        None => Ok(Value::Null),
    }
}

/// A plan's refusal.
pub fn plan_error(e: odx_sql::plan::PlanError) -> Fault {
    match e {
        odx_sql::plan::PlanError::Core(c) => core_error(c),
        odx_sql::plan::PlanError::Rows(m) => Fault::invalid(format!("rows: {m}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_782_800_000, 0).unwrap_or_default()
    }

    fn code<T: std::fmt::Debug>(r: Result<T>) -> &'static str {
        r.err().map_or("none", |f| f.code())
    }

    #[test]
    fn every_refusal_carries_its_code_and_names_what_is_wrong() {
        let scope = json!({ "clinicIds": [1], "from": "2026-06-01", "to": "2026-06-30" });
        assert_eq!(code(over_rows("revenue", Some("{}"), Some(scope.clone()), now())), "ODX_INVALID_ARGUMENT");
        assert_eq!(code(over_rows("financial", Some("[]"), Some(scope.clone()), now())), "ODX_INVALID_ARGUMENT");
        let bad_range = json!({ "clinicIds": [1], "from": "2026-07-01", "to": "2026-06-30" });
        // The params are checked before the rows: the range is refused first.
        assert_eq!(code(over_rows("financial", None, Some(bad_range), now())), "ODX_INVALID_RANGE");
        assert_eq!(code(plan(None, Some(scope.clone()), now())), "ODX_INVALID_ARGUMENT");
        let bad_row = json!({ "invoices": [{ "id": "x" }] }).to_string();
        let e =
            over_rows("financial", Some(&bad_row), Some(scope), now()).err().map(|f| f.message()).unwrap_or_default();
        assert!(e.starts_with("rows.invoices[0]"), "{e}");
        assert_eq!(code(check_targets(Some(json!({})), Some(json!([1])))), "ODX_INVALID_ARGUMENT");
        assert_eq!(code(to_csv(Some(json!({})), None)), "ODX_INVALID_ARGUMENT");
    }

    #[test]
    fn a_read_without_as_of_is_read_at_the_bindings_now() -> Result<()> {
        let v = validate_scope(Some(json!({ "clinicIds": [2, 1], "from": "2026-06-01", "to": "2026-06-30" })), now())?;
        assert_eq!(v["clinicIds"], json!([1, 2]));
        let p = plan(
            Some("financial".into()),
            Some(json!({ "clinicIds": [1], "from": "2026-06-01", "to": "2026-06-30" })),
            now(),
        )?;
        assert!(!statements(&p)?.as_array().is_none_or(Vec::is_empty));
        Ok(())
    }

    #[test]
    fn finish_refuses_rows_that_are_not_one_list_per_statement() -> Result<()> {
        let mut p = plan(
            Some("lab".into()),
            Some(json!({ "clinicIds": [1], "from": "2026-06-01", "to": "2026-06-30" })),
            now(),
        )?;
        assert_eq!(code(finish(&mut p, Some(json!("rows")))), "ODX_INVALID_ARGUMENT");
        let e = finish(&mut p, Some(json!([[42]]))).err().map(|f| f.message()).unwrap_or_default();
        assert!(e.contains("rows[0][0]"), "{e}");
        Ok(())
    }
}
