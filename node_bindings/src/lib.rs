//! # odx in Node
//!
//! The napi-rs addon the TypeScript server imports. Pure functions over core
//! (scope validation, and reports over rows the caller already holds), and an
//! [`Engine`] that reads Postgres itself through odx-sql's sqlx driver: the
//! same set-based statements as the extension, bound parameters only, a
//! bounded pool and a query timeout, and no need for the extension.
//!
//! Every error is a JavaScript `Error` with a stable `code` (`ODX_*`) and a
//! message; no input crashes the process. Money crosses as decimal strings,
//! rates as numbers or null, dates as `YYYY-MM-DD` strings.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod args;
mod fault;
pub mod params;

use args::{BadArgument, ConsoleRequest, Request, UserRequest};
use fault::{core_error, database_error, engine_error, Failure, Fault};
use napi::bindgen_prelude::{JsObjectValue, PromiseRaw, Unknown};
use napi::{Env, Error, JsError, JsValue, ValueType, JSON};
use napi_derive::napi;
use odx_core::{Domain, Tables};
use odx_sql::pg_sqlx::{self, Outcome};
use odx_sql::plan::{JavaScript, OrgRead, Request as Read, UserRead};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

type Result<T> = std::result::Result<T, Failure>;

fn bad_argument(e: BadArgument) -> Failure {
    Fault::invalid(format!("{}: {}", e.field, e.message))
}

/// The checked scope of a call's `params` (`undefined` is a bad argument).
fn scope_of(params: Option<Value>) -> Result<odx_core::MetricScope> {
    Request::read(&params.unwrap_or_default(), "params").map_err(bad_argument)?.scope().map_err(core_error)
}

/// The domain and checked scope of a comparison's `params` (`groupBy` is
/// ignored: a comparison is always by branch).
fn compare_of(params: Option<Value>) -> Result<(Domain, odx_core::MetricScope)> {
    let params = params.unwrap_or_default();
    let obj = args::object(&params, "params").map_err(bad_argument)?;
    let domain = args::domain(obj, "domain").map_err(bad_argument)?;
    Ok((domain, scope_of(Some(params))?))
}

/// The checked scope of a forecast's `{ clinicIds, asOf,
/// allowedClinicIds? }` (one day: the as-of date).
fn forecast_of(params: Option<Value>) -> Result<odx_core::MetricScope> {
    let params = params.unwrap_or_default();
    let obj = args::object(&params, "params").map_err(bad_argument)?;
    let ids = args::ids(obj, "clinicIds").map_err(bad_argument)?;
    let as_of = args::date(obj, "asOf").map_err(bad_argument)?;
    let allowed = args::optional_ids(obj, "allowedClinicIds").map_err(bad_argument)?;
    let scope = odx_core::MetricScope::new(ids, as_of, as_of, odx_core::GroupBy::Clinic).map_err(core_error)?;
    match allowed {
        Some(allowed) => scope.within(&allowed).map_err(core_error),
        None => Ok(scope),
    }
}

/// A value as JavaScript receives it ([`odx_core::wire::to_javascript`]:
/// rates as numbers, money as decimal strings, camelCase keys).
fn to_js<T: Serialize>(v: &T) -> Result<Value> {
    odx_core::wire::to_javascript(v).map_err(Fault::internal)
}

/// A console answer that could be computed, as JavaScript receives it
/// (`degraded: false`).
fn ready<T: Serialize>(v: &T) -> Result<Value> {
    to_js(v).map(odx_core::wire::ready)
}

/// A validated scope: `{ clinicIds, from, to, groupBy, days }`.
///
/// Checks the arguments the way every call does: `clinicIds` (integers),
/// `from` and `to` (`YYYY-MM-DD`, `from <= to`, at most ten years), `groupBy`
/// (`clinic` | `doctor` | `none`), and, when given, that every clinic is in
/// `allowedClinicIds` (`ODX_FORBIDDEN_SCOPE` otherwise).
#[napi(ts_args_type = "params: ScopeParams", ts_return_type = "ValidScope")]
pub fn validate_scope(env: &Env, params: Unknown<'_>) -> Result<Value> {
    let scope = scope_of(own(env, params, "params")?)?;
    Ok(json!({
        "clinicIds": scope.clinic_ids(),
        "from": scope.from().to_string(),
        "to": scope.to().to_string(),
        "groupBy": scope.group_by().as_str(),
        "days": scope.days(),
        "activeWindowMonths": scope.active_window_months(),
    }))
}

/// The tables of `rows`, read through `JSON.stringify` (so a `Date` becomes
/// its ISO instant, as it would on the wire) and checked column by column: a
/// bad value is `ODX_INVALID_ARGUMENT` naming its path, e.g.
/// `rows.invoices[3].total`.
fn tables(env: &Env, rows: Unknown<'_>) -> Result<Tables> {
    let internal = |e: Error| Fault::internal(format!("could not read rows: {e}"));
    let is_table_object =
        rows.get_type().map_err(internal)? == ValueType::Object && !rows.is_array().map_err(internal)?;
    if !is_table_object {
        return Err(Fault::invalid("rows: must be an object of tables ({ clinics, invoices, ... })"));
    }
    let text = stringify(env, rows, "rows")?;
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&text))
        .map_err(|e| Fault::invalid(format!("rows.{}: {}", e.path(), e.inner())))
}

/// `JSON.stringify(value)`: a throwing stringify (a BigInt, a cycle) has its
/// exception cleared and turned into a bad-argument error naming `what`.
fn stringify(env: &Env, value: Unknown<'_>, what: &str) -> Result<String> {
    let internal = |e: Error| Fault::internal(format!("could not read {what}: {e}"));
    let json: JSON = env.get_global().and_then(|g| g.get_named_property_unchecked("JSON")).map_err(internal)?;
    json.stringify(value).map_err(|e| Fault::invalid(format!("{what}: cannot be read as JSON ({})", e.reason)))
}

/// A JavaScript argument as JSON, read through `JSON.stringify`: only the
/// object's own enumerable properties (nothing set on `Object.prototype`
/// is ever read), a `Date` as its ISO instant, NaN and ±Infinity as null
/// (then refused by the field's own check); `undefined` is `None`. What
/// JSON cannot hold (a BigInt, a cycle, a throwing getter, a function or
/// symbol as the argument itself) is `ODX_INVALID_ARGUMENT` naming `what`.
fn own(env: &Env, value: Unknown<'_>, what: &str) -> Result<Option<Value>> {
    let internal = |e: Error| Fault::internal(format!("could not read {what}: {e}"));
    match value.get_type().map_err(internal)? {
        ValueType::Undefined => return Ok(None),
        ValueType::Null => return Ok(Some(Value::Null)),
        ValueType::Function | ValueType::Symbol | ValueType::External => {
            return Err(Fault::invalid(format!("{what}: must be a JSON value, not a function or symbol")))
        }
        _ => {}
    }
    let text = stringify(env, value, what)?;
    serde_json::from_str(&text).map(Some).map_err(|e| Fault::invalid(format!("{what}: {e}")))
}

/// A string argument (`None` when undefined or null); anything else is
/// `ODX_INVALID_ARGUMENT` naming it.
fn text_arg(env: &Env, value: Unknown<'_>, what: &str) -> Result<Option<String>> {
    match own(env, value, what)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(Fault::invalid(format!("{what}: must be a string, not {other}"))),
    }
}

/// Any per-branch table as CSV text: `table` is an array of row objects
/// (a report's `perBranch`, a Command Center's `leaderboard`, a benchmark's
/// `drivers`, a churn list ...). The header is every key met, in the order
/// first met; nested objects become dotted columns (`arAging.90+`), an
/// array inside a row is one cell of JSON, null an empty cell; money keeps
/// its exact decimal text. Quoting is RFC 4180 (the `csv` crate).
///
/// `kind` names what the rows are (a domain for a report's `perBranch`, or
/// `leaderboard`, `overview`, `drivers`, `actions`, `anomalies`, `alerts`):
/// rates are then percentages to one decimal and means rounded; lists keyed
/// by a name (`paymentMix` by method ...) become columns, other lists (the
/// trend) are left out.
#[napi(ts_args_type = "table: Array<object>, kind?: 'financial' | 'operations' | 'accounting' | 'lab' | 'staff' | \
                    'clinical' | 'patients' | 'inventory' | 'leaderboard' | 'overview' | 'drivers' | 'actions' | \
                    'anomalies' | 'alerts' | null")]
pub fn to_csv(env: &Env, table: Unknown<'_>, kind: Unknown<'_>) -> Result<String> {
    let kind = text_arg(env, kind, "kind")?;
    let internal = |e: Error| Fault::internal(format!("could not read table: {e}"));
    if !table.is_array().map_err(internal)? {
        return Err(Fault::invalid("table: must be an array of row objects"));
    }
    let rows: Vec<Value> = serde_json::from_str(&stringify(env, table, "table")?).map_err(Fault::invalid)?;
    let kinds = kind.as_deref().map(odx_core::export::named_kinds).transpose().map_err(core_error)?;
    odx_core::export::rows_csv(&rows, kinds.as_ref()).map_err(core_error)
}

fn console_of(params: Option<Value>) -> Result<ConsoleRequest> {
    ConsoleRequest::read(&params.unwrap_or_default(), "params").map_err(bad_argument)
}

fn user_of(params: Option<Value>) -> Result<UserRequest> {
    UserRequest::read(&params.unwrap_or_default(), "params").map_err(bad_argument)
}

/// The console plan of a request over rows the caller holds.
fn pure_plan(tables: &odx_core::Tables, p: &ConsoleRequest) -> Result<odx_core::console::ConsolePlan> {
    let plan = tables.console_plan(p.organization_id, p.clinic_ids.clone(), p.allowed.as_deref(), p.period());
    Ok(plan.map_err(core_error)?.with_min_volume(p.min_volume))
}

/// The Command Center of rows the caller already holds (`{ clinics,
/// organization_clinics, ops_targets, invoices, invoice_items, payments,
/// lab_cases, appointments, doctor_schedules, clinic_hours, rooms, expenses,
/// payroll }`) for `{ organizationId, from, to, clinicIds?,
/// allowedClinicIds? }`: every branch of the organization unless
/// `clinicIds` names some (`ODX_FORBIDDEN_SCOPE` for one that is not its
/// branch or not allowed).
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: ConsoleParams",
    ts_return_type = "CommandCenterReady | Degraded"
)]
pub fn command(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let p = console_of(params)?;
    let tables = tables(env, rows)?;
    let plan = pure_plan(&tables, &p)?;
    ready(&plan.command(&tables.plan_reports(&plan).map_err(core_error)?).map_err(core_error)?)
}

/// The digest facts of rows the caller holds (the tables `command` reads)
/// for `{ organizationId, from, to, clinicIds?, allowedClinicIds? }`: the
/// anomalies and the three highest-impact actions.
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: ConsoleParams",
    ts_return_type = "Digest | Degraded"
)]
pub fn digest(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let p = console_of(params)?;
    let tables = tables(env, rows)?;
    let plan = pure_plan(&tables, &p)?;
    ready(&plan.digest(&tables.plan_reports(&plan).map_err(core_error)?).map_err(core_error)?)
}

/// One branch benchmarked against the median of the organization's
/// branches (or `clinicIds` of them), over rows the caller holds (the
/// tables `command` reads), for `{ organizationId, clinicId, from, to,
/// clinicIds?, allowedClinicIds? }`. Only `clinicId` must be allowed: the
/// other branches are seen through their median only.
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: BenchmarkParams",
    ts_return_type = "Benchmark | Degraded"
)]
pub fn benchmark(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let p = console_of(params)?;
    let clinic = p.clinic().map_err(bad_argument)?;
    let tables = tables(env, rows)?;
    let ids = tables
        .benchmark_set(p.organization_id, clinic, p.clinic_ids.clone(), p.allowed.as_deref())
        .map_err(core_error)?;
    let bench = tables.benchmark(p.organization_id, clinic, Some(ids), p.period()).map_err(core_error)?;
    ready(&bench)
}

/// The network overview of one day over rows the caller holds (the tables
/// `command` reads) for `{ organizationId, date, clinicIds?,
/// allowedClinicIds? }`.
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: OverviewParams",
    ts_return_type = "NetworkOverview | Degraded"
)]
pub fn network_overview(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let p = console_of(params)?;
    let tables = tables(env, rows)?;
    let ids = tables.org_branches(p.organization_id, p.clinic_ids, p.allowed.as_deref()).map_err(core_error)?;
    let overview = tables.network_overview(p.organization_id, Some(ids), p.to).map_err(core_error)?;
    ready(&overview)
}

/// The console scope of a user over rows the caller holds (`{
/// user_organization_assignments, organization_clinics, clinics }`) for `{
/// userId, organizationId?, focusClinicId? }`: org_admin -> every branch of
/// the organization, branch_manager -> its branch; `ODX_NO_CONSOLE_ACCESS`
/// for anyone else, `ODX_FORBIDDEN_SCOPE` for a focus outside the scope.
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: UserScopeParams",
    ts_return_type = "InsightsScope"
)]
pub fn insights_scope(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let p = user_of(params)?;
    let scope = tables(env, rows)?
        .insights_scope(p.user_id, p.organization_id, p.focus, p.city.as_deref())
        .map_err(core_error)?;
    to_js(&scope)
}

/// One permission decision over rows the caller holds (`{ users,
/// user_organization_assignments, organization_clinics, clinics }`) for `{
/// userId, action, resource }`: `{ allowed, reason }`.
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: AuthorizeParams",
    ts_return_type = "Decision"
)]
pub fn authorize(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let p = user_of(params)?;
    let (action, resource) = odx_core::policy::read_request(&p.action, &p.resource).map_err(core_error)?;
    let decision = tables(env, rows)?.authorize(p.user_id, &action, &resource).map_err(core_error)?;
    to_js(&decision)
}

/// The month-end revenue forecast of rows the caller holds, for `{
/// clinicIds, asOf, allowedClinicIds? }`: billed to date and projected per
/// branch and for the network, always with the error measured on the three
/// previous months (`mape`, `branchMape`, every `backtest` case).
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: ForecastParams",
    ts_return_type = "RevenueForecast"
)]
pub fn forecast_revenue(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let scope = forecast_of(params)?;
    let forecast = tables(env, rows)?.forecast_revenue(scope.clinic_ids(), scope.to()).map_err(core_error)?;
    ready(&forecast)
}

/// The no-show risk of the upcoming week in rows the caller holds, for `{
/// clinicIds, asOf, allowedClinicIds? }`: per branch and doctor, always with
/// the error measured on the four previous weeks (`wape`, `bias`, every
/// `backtest` case).
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: ForecastParams",
    ts_return_type = "NoShowForecast"
)]
pub fn forecast_no_shows(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let scope = forecast_of(params)?;
    let forecast = tables(env, rows)?.forecast_no_shows(scope.clinic_ids(), scope.to()).map_err(core_error)?;
    ready(&forecast)
}

/// The churn list of rows the caller holds, for `{ clinicIds, asOf,
/// allowedClinicIds? }`: patients 9 months or more since their last visit
/// with nothing booked, the most valuable first, always with the precision
/// and recall of the same rule at three past cuts (every `backtest` case).
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: ForecastParams",
    ts_return_type = "ChurnForecast"
)]
pub fn forecast_churn(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let scope = forecast_of(params)?;
    let forecast = tables(env, rows)?.forecast_churn(scope.clinic_ids(), scope.to()).map_err(core_error)?;
    ready(&forecast)
}

/// A domain's report over rows the caller holds, against the previous
/// period of the same length: `{ domain, clinicIds, from, to, ... }` (as
/// `ScopeParams`, with `domain` one of financial, operations, accounting,
/// lab, staff, clinical, patients, inventory). Per headline measure of the
/// network (`totals`) and of each branch (`perBranch`): `kind` (amount,
/// count, rate, average, days), `current`, `previous`, `change` (points for
/// a rate), `changeRate`, and for amounts and counts each branch's `share`
/// of the network and its `previousShare`. Amounts and averages are decimal
/// strings; counts, rates and days are numbers.
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: CompareParams",
    ts_return_type = "Comparison"
)]
pub fn compare(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let (domain, scope) = compare_of(params)?;
    let comparison = tables(env, rows)?.compare(domain, &scope).map_err(core_error)?;
    ready(&comparison)
}

/// Each domain's report, from core's registry ([`odx_core::domains!`]): a
/// pure function over rows the caller holds (`financial(rows, params)`) and
/// an `Engine` method that reads Postgres (`engine.financial(params)`).
/// napi-rs declares their TypeScript return type by the Rust type's name:
/// `FinancialReport` here is the JSON value the call returns, and in
/// `index.d.ts` the declaration written from core's type
/// (`odx_core::typescript`).
macro_rules! domain_functions {
    ([] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
        $(
            /// The report as JavaScript receives it (declared in TypeScript
            /// from core's type).
            pub type $report = Value;

            $(#[$doc])*
            #[doc = ""]
            #[doc = "Over rows the caller already holds (the domain's tables, with the schema's column names), for a scope."]
            #[napi(ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: ScopeParams")]
            pub fn $module(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<$report> {
                from_rows(env, rows, own(env, params, "params")?, Tables::$module)
            }
        )*

        #[napi]
        impl Engine {
            $(
                $(#[$doc])*
                #[doc = ""]
                #[doc = "Read from Postgres, for a scope."]
                #[napi(ts_args_type = "params: ScopeParams")]
                pub fn $module<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, $report>> {
                    self.read(env, Domain::$variant.as_str(), params)
                }
            )*
        }
    };
}
odx_core::domains!(domain_functions);

/// A domain's report over rows the caller holds, in JavaScript's shape
/// (`degraded` is false: the caller's rows are all there is).
fn from_rows<R: Serialize>(
    env: &Env,
    rows: Unknown<'_>,
    params: Option<Value>,
    report: fn(&Tables, &odx_core::MetricScope) -> odx_core::Result<R>,
) -> Result<Value> {
    let scope = scope_of(params)?;
    let report = report(&tables(env, rows)?, &scope).map_err(core_error)?;
    ready(&report)
}

/// A read with the server's own database client: what `plan(read, params)`
/// returns. `statements` are the next round's (run them, in one read-only
/// REPEATABLE READ transaction for the whole plan, and hand their rows to
/// `finish`); `done` once the answer is known. The answer is the engine's
/// for the same request: the same statements, folded by the same code.
#[napi]
pub struct Plan {
    inner: odx_sql::plan::Plan<JavaScript>,
}

#[napi]
impl Plan {
    /// The statements of the next round, in order (empty once done).
    #[napi(getter, ts_return_type = "Array<Statement>")]
    pub fn statements(&self) -> Result<Value> {
        serde_json::to_value(self.inner.statements()).map_err(Fault::internal)
    }

    /// Whether the answer is known.
    #[napi(getter)]
    pub fn done(&self) -> bool {
        self.inner.answer().is_some()
    }
}

/// The plan of a read with the caller's own client: `read` is a domain
/// (`financial` ... `inventory`), `compare`, `command`, `digest`,
/// `benchmark`, `networkOverview`, `forecastRevenue`, `forecastNoShows`,
/// `forecastChurn`, `insightsScope` or `authorize`, and `params` what the
/// engine's method of that name takes (checked the same way: a bad one is
/// refused here, before any statement). A domain takes three rounds, a
/// console read-out four or five.
#[napi(ts_args_type = "read: 'financial' | 'operations' | 'accounting' | 'lab' | 'staff' | 'clinical' | 'patients' | \
                    'inventory' | 'compare' | 'command' | 'digest' | 'benchmark' | 'networkOverview' | \
                    'forecastRevenue' | 'forecastNoShows' | 'forecastChurn' | 'insightsScope' | 'authorize', \
                    params: object")]
pub fn plan(env: &Env, read: Unknown<'_>, params: Unknown<'_>) -> Result<Plan> {
    let read =
        text_arg(env, read, "read")?.ok_or_else(|| Fault::invalid("read: is required (a domain, command ...)"))?;
    let request = request_of(&read, own(env, params, "params")?)?;
    odx_sql::plan::Plan::new(request, JavaScript).map(|inner| Plan { inner }).map_err(plan_error)
}

/// Folds the rows of `plan.statements` (one array of row objects per
/// statement, in order, as the driver returns them: `bigint` as text or
/// number) into the plan: the answer when nothing more is needed (a report
/// with `degraded: false`, or `{ degraded: true, module, missing }`), or
/// `null` when `plan.statements` holds another round.
#[napi(ts_args_type = "plan: Plan, rows: Array<Array<Record<string, unknown>>>", ts_return_type = "any")]
pub fn finish(env: &Env, plan: &mut Plan, rows: Unknown<'_>) -> Result<Value> {
    let rows = match own(env, rows, "rows")? {
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
                    .collect::<Result<Vec<_>>>(),
                _ => Err(Fault::invalid(format!("rows[{i}]: must be the array of rows of statement {i}"))),
            })
            .collect::<Result<Vec<_>>>()?,
        _ => return Err(Fault::invalid("rows: must be an array (one array of rows per statement)")),
    };
    match plan.inner.finish(rows).map_err(plan_error)? {
        Some(done) => answer(done.clone()),
        None => Ok(Value::Null),
    }
}

fn plan_error(e: odx_sql::plan::PlanError) -> Failure {
    match e {
        odx_sql::plan::PlanError::Core(c) => core_error(c),
        odx_sql::plan::PlanError::Rows(m) => Fault::invalid(format!("rows: {m}")),
    }
}

/// An organization's target set as an org admin sends it (`PUT /targets`:
/// `[{ clinicId, metric, value, period? }]`, `clinicId` null for a network
/// target, `value` a decimal string or a number), checked by core against
/// `branches` (the organization's): every metric known, `monthly`, each
/// branch the organization's, one target per branch (or network) and
/// metric, values in range. Returns the set as it is to be stored
/// (canonical metric names, values as decimal strings); a bad target is
/// `ODX_INVALID_ARGUMENT` naming it (`targets[2].value`).
#[napi(
    ts_args_type = "targets: Array<{ clinicId?: number | null, metric: string, value: string | number, period?: string }>, \
                    branches: Array<number>",
    ts_return_type = "Array<TargetSetting>"
)]
pub fn check_targets(env: &Env, targets: Unknown<'_>, branches: Unknown<'_>) -> Result<Value> {
    let branches = own(env, branches, "branches")?;
    let Some(Value::Array(items)) = own(env, targets, "targets")? else {
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

/// How the engine connects. Every field is optional.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max_connections: u32,
    query_timeout: Duration,
    connect_timeout: Duration,
    statement_concurrency: u32,
}

impl Limits {
    fn read(options: Option<Value>) -> Result<Limits> {
        let mut l = Limits {
            max_connections: 8,
            query_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            statement_concurrency: 3,
        };
        let Some(options) = options.filter(|o| !o.is_null()) else { return Ok(l) };
        let obj = args::object(&options, "options").map_err(bad_argument)?;
        let positive = |field: &str, max: u64| -> Result<Option<u64>> {
            match obj.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_u64()
                    .filter(|n| (1..=max).contains(n))
                    .map(Some)
                    .ok_or_else(|| Fault::invalid(format!("options.{field}: must be an integer from 1 to {max}"))),
            }
        };
        if let Some(n) = positive("maxConnections", 100)? {
            l.max_connections = n as u32;
        }
        if let Some(ms) = positive("queryTimeoutMs", 3_600_000)? {
            l.query_timeout = Duration::from_millis(ms);
        }
        if let Some(ms) = positive("connectTimeoutMs", 600_000)? {
            l.connect_timeout = Duration::from_millis(ms);
        }
        if let Some(n) = positive("statementConcurrency", 16)? {
            l.statement_concurrency = n as u32;
        }
        // A call never holds more connections than the pool has.
        l.statement_concurrency = l.statement_concurrency.min(l.max_connections);
        Ok(l)
    }
}

/// Reads Postgres itself (a read replica in production) and computes reports
/// with the same statements as the extension.
#[napi]
pub struct Engine {
    pool: PgPool,
    limits: Limits,
}

/// A Promise of `work` that resolves with its value, or rejects with a
/// JavaScript `Error` carrying the failure's `ODX_*` code.
fn promise<'env, T, F>(env: &'env Env, work: F) -> Result<PromiseRaw<'env, T>>
where
    T: napi::bindgen_prelude::ToNapiValue + Send + 'static,
    F: std::future::Future<Output = Result<T>> + Send + 'static,
{
    let settled = async move { Ok::<_, Error>(work.await) };
    env.spawn_future_with_callback(settled, |env, outcome| match outcome {
        Ok(value) => Ok(value),
        // A JS error object made here, on the JS thread, keeps its `code`
        // when the promise rejects with it.
        Err(failure) => Err(Error::from(JsError::from(failure).into_unknown(Env::from_raw(env.raw())))),
    })
    .map_err(|e| Fault::internal(format!("could not start the work: {e}")))
}

#[napi]
impl Engine {
    /// Connects a bounded pool to `url` (`postgres://...`) and checks it with
    /// one round trip. `options`: `{ maxConnections = 8, queryTimeoutMs =
    /// 30000, connectTimeoutMs = 5000, statementConcurrency = 3 }`. A database that cannot be reached
    /// rejects with `ODX_DB_UNAVAILABLE` after at most `connectTimeoutMs`.
    #[napi(ts_args_type = "url: string, options?: EngineOptions", ts_return_type = "Promise<Engine>")]
    pub fn connect<'env>(env: &'env Env, url: Unknown<'_>, options: Unknown<'_>) -> Result<PromiseRaw<'env, Engine>> {
        let url = text_arg(env, url, "url");
        let options = own(env, options, "options");
        promise(env, async move {
            let url = url?.ok_or_else(|| Fault::invalid("url: is required (postgres://...)"))?;
            let limits = Limits::read(options?)?;
            // Nothing at startup beyond what a pooler accepts (PgBouncer
            // refuses extra_float_digits and options): the statement timeout
            // is set inside each report's transaction. TLS follows the URL's
            // sslmode and sslrootcert.
            let connect = PgConnectOptions::from_str(&url)
                .map_err(|e| Fault::invalid(format!("url: {e}")))?
                .extra_float_digits(None)
                .statement_cache_capacity(0);
            // One connection of its own first: a refused connection, a bad
            // password or a failed TLS handshake is reported at once (a pool
            // would retry it until its timeout).
            let first = async {
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect_with(&connect).await?;
                sqlx::raw_sql("SELECT 1").execute(&mut conn).await?;
                sqlx::Connection::close(conn).await
            };
            match tokio::time::timeout(limits.connect_timeout, first).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(database_error(&e)),
                Err(_) => return Err(Fault::unavailable("the database did not answer within connectTimeoutMs")),
            }
            let pool = PgPoolOptions::new()
                .max_connections(limits.max_connections)
                // A call may wait its turn for a connection (and have one
                // opened) as long as it may run: under load, calls queue
                // instead of failing.
                .acquire_timeout(limits.query_timeout + limits.connect_timeout)
                // Kept open for a call's concurrent statements (opened in
                // the background, never holding a call up).
                .min_connections(limits.statement_concurrency)
                .connect_lazy_with(connect);
            // The pool keeps its minimum only once it has reaped a
            // connection: open it now, in the background (a call never
            // waits for it; until it is open, calls read on one connection).
            let warm = pool.clone();
            tokio::spawn(async move {
                let mut held = Vec::new();
                for _ in 0..limits.statement_concurrency {
                    match warm.acquire().await {
                        Ok(conn) => held.push(conn),
                        Err(_) => break,
                    }
                }
            });
            Ok(Engine { pool, limits })
        })
    }

    /// A domain's report of `{ domain, clinicIds, from, to,
    /// allowedClinicIds? }` against the previous period of the same length,
    /// with each branch's share (see `compare`).
    #[napi(ts_args_type = "params: CompareParams", ts_return_type = "Promise<Comparison | Degraded>")]
    pub fn compare<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        self.read(env, "compare", params)
    }

    /// The month-end revenue forecast of `{ clinicIds, asOf,
    /// allowedClinicIds? }` with its backtest (see `forecastRevenue`).
    #[napi(ts_args_type = "params: ForecastParams", ts_return_type = "Promise<RevenueForecast | Degraded>")]
    pub fn forecast_revenue<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        self.read(env, "forecastRevenue", params)
    }

    /// The no-show risk of the week after `{ clinicIds, asOf,
    /// allowedClinicIds? }` with its backtest (see `forecastNoShows`).
    #[napi(ts_args_type = "params: ForecastParams", ts_return_type = "Promise<NoShowForecast | Degraded>")]
    pub fn forecast_no_shows<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        self.read(env, "forecastNoShows", params)
    }

    /// The churn list of `{ clinicIds, asOf, allowedClinicIds? }` with its
    /// backtest (see `forecastChurn`).
    #[napi(ts_args_type = "params: ForecastParams", ts_return_type = "Promise<ChurnForecast | Degraded>")]
    pub fn forecast_churn<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        self.read(env, "forecastChurn", params)
    }

    /// The Command Center of `{ organizationId, from, to, clinicIds?,
    /// allowedClinicIds? }`: revenue month to date against target, the
    /// range's collection rate, no-show bleed and net profit, the alert strip
    /// and the branch leaderboard; every domain runs once over all branches.
    #[napi(ts_args_type = "params: ConsoleParams", ts_return_type = "Promise<CommandCenterReady | Degraded>")]
    pub fn command<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        self.read(env, "command", params)
    }

    /// The digest facts of `{ organizationId, from, to, clinicIds?,
    /// allowedClinicIds? }`: the anomalies and the three highest-impact
    /// actions (see `digest`).
    #[napi(ts_args_type = "params: ConsoleParams", ts_return_type = "Promise<Digest | Degraded>")]
    pub fn digest<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        self.read(env, "digest", params)
    }

    /// One branch benchmarked against the median of the organization's
    /// branches: `{ organizationId, clinicId, from, to, clinicIds?,
    /// allowedClinicIds? }` (see `benchmark`).
    #[napi(ts_args_type = "params: BenchmarkParams", ts_return_type = "Promise<Benchmark | Degraded>")]
    pub fn benchmark<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        self.read(env, "benchmark", params)
    }

    /// The network overview of one day: `{ organizationId, date, clinicIds?,
    /// allowedClinicIds? }` (see `networkOverview`).
    #[napi(ts_args_type = "params: OverviewParams", ts_return_type = "Promise<NetworkOverview | Degraded>")]
    pub fn network_overview<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        self.read(env, "networkOverview", params)
    }

    /// The console scope of `{ userId, organizationId?, focusClinicId? }`,
    /// read from the org layer's tables (see `insightsScope`).
    #[napi(ts_args_type = "params: UserScopeParams", ts_return_type = "Promise<InsightsScope | Degraded>")]
    pub fn insights_scope<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        self.read(env, "insightsScope", params)
    }

    /// One permission decision for `{ userId, action, resource }`, read
    /// from the org layer's tables (see `authorize`).
    #[napi(ts_args_type = "params: AuthorizeParams", ts_return_type = "Promise<Decision | Degraded>")]
    pub fn authorize<'env>(&self, env: &'env Env, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        self.read(env, "authorize", params)
    }

    /// Closes the pool; later calls reject with `ODX_DB_UNAVAILABLE`.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn close<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let db = self.db();
        promise(env, async move {
            db.pool.close().await;
            Ok(())
        })
    }
}

/// A request's answer in JavaScript's shape: a report or read-out with
/// `degraded: false` (a policy answer as it is), or `{ degraded: true,
/// module, missing }` when relations it reads are missing.
fn answer((module, outcome): odx_sql::plan::Answer) -> Result<Value> {
    match outcome {
        Outcome::Report(r) if module == "policy" => Ok(r),
        Outcome::Report(r) => Ok(odx_core::wire::ready(r)),
        Outcome::Degraded(missing) => Ok(odx_core::wire::degraded(module, &missing)),
    }
}

/// The request of `read` (a domain's name, `compare`, `command`, `digest`,
/// `benchmark`, `networkOverview`, `forecastRevenue`, `forecastNoShows`,
/// `forecastChurn`, `insightsScope`, `authorize`) for its `params`.
fn request_of(read: &str, params: Option<Value>) -> Result<Read> {
    if let Some(domain) = Domain::ALL.iter().find(|d| d.as_str() == read) {
        return Ok(Read::Report(*domain, scope_of(params)?));
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
            let (domain, scope) = compare_of(params)?;
            Read::Compare(domain, scope)
        }
        "command" => Read::Command(org(&console_of(params)?)),
        "digest" => Read::Digest(org(&console_of(params)?)),
        "benchmark" => {
            let p = console_of(params)?;
            Read::Benchmark(org(&p), p.clinic().map_err(bad_argument)?)
        }
        "networkOverview" => Read::Overview(org(&console_of(params)?)),
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
        other => {
            let domains: Vec<&str> = Domain::ALL.iter().map(|d| d.as_str()).collect();
            return Err(Fault::invalid(format!(
                "read: {other:?} is not one of {}, compare, command, digest, benchmark, networkOverview, \
                 forecastRevenue, forecastNoShows, forecastChurn, insightsScope, authorize",
                domains.join(", ")
            )));
        }
    })
}

/// What a call reads the database with: the pool and the statement
/// timeout each report's transaction sets.
#[derive(Clone)]
struct Db {
    pool: PgPool,
    statement_timeout: Duration,
    concurrency: usize,
}

impl Db {
    /// A read-only REPEATABLE READ transaction (one snapshot) for one
    /// report, shared by up to `statement_concurrency` idle connections.
    async fn snapshot(&self) -> Result<pg_sqlx::Snapshot> {
        pg_sqlx::Snapshot::begin_shared(&self.pool, Some(self.statement_timeout), self.concurrency)
            .await
            .map_err(|e| database_error(&e))
    }
}

impl Engine {
    /// What a call reads with.
    fn db(&self) -> Db {
        Db {
            pool: self.pool.clone(),
            statement_timeout: self.limits.query_timeout,
            concurrency: self.limits.statement_concurrency as usize,
        }
    }

    /// `work` as a Promise bounded by the engine's time limit: the
    /// statements carry statement_timeout; this bounds the whole call
    /// (waiting for a connection included).
    fn bounded<'env, F>(&self, env: &'env Env, what: &'static str, work: F) -> Result<PromiseRaw<'env, Value>>
    where
        F: std::future::Future<Output = Result<Value>> + Send + 'static,
    {
        let limit = self.limits.query_timeout + self.limits.connect_timeout;
        promise(env, async move {
            tokio::time::timeout(limit, work)
                .await
                .map_err(|_| Fault::timeout(format!("{what} did not finish within the query timeout")))?
        })
    }

    /// The answer of `read` (a domain, `command`, ... as `plan` takes it)
    /// for `params`, read in one snapshot through [`Read::run`] (the code
    /// a plan of the caller's own client runs), within the engine's time
    /// limit, in JavaScript's shape.
    fn read<'env>(&self, env: &'env Env, read: &'static str, params: Unknown<'_>) -> Result<PromiseRaw<'env, Value>> {
        let params = own(env, params, "params");
        let db = self.db();
        self.bounded(env, read, async move {
            // A bad argument rejects the promise, as every failure of the call does.
            let request = request_of(read, params?)?;
            let snap = db.snapshot().await?;
            let outcome = request.run(&snap, &JavaScript).await;
            answer(snap.end(outcome).await.map_err(engine_error)?)
        })
    }
}
