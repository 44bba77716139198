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

mod fault;
pub mod params;

use fault::{database_error, engine_error, failure, Failure};
use napi::bindgen_prelude::{JsObjectValue, PromiseRaw, Unknown};
use napi::{Env, Error, JsError, JsValue, ValueType, JSON};
use napi_derive::napi;
use odx_core::Domain;
use odx_js::Fault;
use odx_sql::pg_sqlx;
use odx_sql::plan::JavaScript;
use serde_json::Value;
use sqlx::postgres::{PgConnectOptions, PgPool};
use std::str::FromStr;
use std::time::Duration;

type Result<T> = std::result::Result<T, Failure>;

/// The call's time, for a read without `asOf`: the addon reads Node's
/// clock here, never core.
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
}

/// A fault as a JavaScript error, for `map_err`.
fn js<T>(r: odx_js::Result<T>) -> Result<T> {
    r.map_err(failure)
}

fn invalid(message: impl ToString) -> Failure {
    failure(Fault::invalid(message))
}

fn internal(message: impl ToString) -> Failure {
    failure(Fault::internal(message))
}

/// A validated scope: `{ clinicIds, from, to, groupBy, days }`.
///
/// Checks the arguments the way every call does: `clinicIds` (integers),
/// `from` and `to` (`YYYY-MM-DD`, `from <= to`, at most ten years), `groupBy`
/// (`clinic` | `doctor` | `none`), and, when given, that every clinic is in
/// `allowedClinicIds` (`ODX_FORBIDDEN_SCOPE` otherwise).
#[napi(ts_args_type = "params: ScopeParams", ts_return_type = "ValidScope")]
pub fn validate_scope(env: &Env, params: Unknown<'_>) -> Result<Value> {
    js(odx_js::validate_scope(own(env, params, "params")?, now()))
}

/// The rows argument of a pure read as the text `JSON.stringify` writes (so
/// a `Date` becomes its ISO instant, as it would on the wire); odx-js reads
/// it into core's rows, column by column (`rows.invoices[3].total`).
fn rows_arg(env: &Env, rows: Unknown<'_>) -> Result<Option<String>> {
    let internal = |e: Error| internal(format!("could not read rows: {e}"));
    let is_table_object =
        rows.get_type().map_err(internal)? == ValueType::Object && !rows.is_array().map_err(internal)?;
    // Anything else is refused by odx-js, after the params are checked.
    if !is_table_object {
        return Ok(None);
    }
    stringify(env, rows, "rows").map(Some)
}

/// A pure read over rows the caller holds (odx-js's `over_rows`).
fn over_rows(env: &Env, read: &str, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    let params = own(env, params, "params")?;
    let rows = rows_arg(env, rows)?;
    js(odx_js::over_rows(read, rows.as_deref(), params, now()))
}

/// `JSON.stringify(value)`: a throwing stringify (a BigInt, a cycle) has its
/// exception cleared and turned into a bad-argument error naming `what`.
fn stringify(env: &Env, value: Unknown<'_>, what: &str) -> Result<String> {
    let internal = |e: Error| internal(format!("could not read {what}: {e}"));
    let json: JSON = env.get_global().and_then(|g| g.get_named_property_unchecked("JSON")).map_err(internal)?;
    json.stringify(value).map_err(|e| invalid(format!("{what}: cannot be read as JSON ({})", e.reason)))
}

/// A JavaScript argument as JSON, read through `JSON.stringify`: only the
/// object's own enumerable properties (nothing set on `Object.prototype`
/// is ever read), a `Date` as its ISO instant, NaN and ±Infinity as null
/// (then refused by the field's own check); `undefined` is `None`. What
/// JSON cannot hold (a BigInt, a cycle, a throwing getter, a function or
/// symbol as the argument itself) is `ODX_INVALID_ARGUMENT` naming `what`.
fn own(env: &Env, value: Unknown<'_>, what: &str) -> Result<Option<Value>> {
    let internal = |e: Error| internal(format!("could not read {what}: {e}"));
    match value.get_type().map_err(internal)? {
        ValueType::Undefined => return Ok(None),
        ValueType::Null => return Ok(Some(Value::Null)),
        ValueType::Function | ValueType::Symbol | ValueType::External => {
            return Err(invalid(format!("{what}: must be a JSON value, not a function or symbol")))
        }
        _ => {}
    }
    let text = stringify(env, value, what)?;
    serde_json::from_str(&text).map(Some).map_err(|e| invalid(format!("{what}: {e}")))
}

/// A string argument (`None` when undefined or null); anything else is
/// `ODX_INVALID_ARGUMENT` naming it.
fn text_arg(env: &Env, value: Unknown<'_>, what: &str) -> Result<Option<String>> {
    match own(env, value, what)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(invalid(format!("{what}: must be a string, not {other}"))),
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
    let internal = |e: Error| internal(format!("could not read table: {e}"));
    if !table.is_array().map_err(internal)? {
        return Err(invalid("table: must be an array of row objects"));
    }
    js(odx_js::to_csv(own(env, table, "table")?, kind))
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
    over_rows(env, "command", rows, params)
}

/// The digest facts of rows the caller holds (the tables `command` reads)
/// for `{ organizationId, from, to, clinicIds?, allowedClinicIds? }`: the
/// anomalies and the three highest-impact actions.
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: ConsoleParams",
    ts_return_type = "Digest | Degraded"
)]
pub fn digest(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    over_rows(env, "digest", rows, params)
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
    over_rows(env, "benchmark", rows, params)
}

/// The network overview of one day over rows the caller holds (the tables
/// `command` reads) for `{ organizationId, date, clinicIds?,
/// allowedClinicIds? }`.
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: OverviewParams",
    ts_return_type = "NetworkOverview | Degraded"
)]
pub fn network_overview(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    over_rows(env, "networkOverview", rows, params)
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
    over_rows(env, "insightsScope", rows, params)
}

/// One permission decision over rows the caller holds (`{ users,
/// user_organization_assignments, organization_clinics, clinics }`) for `{
/// userId, action, resource }`: `{ allowed, reason }`.
#[napi(
    ts_args_type = "rows: Record<string, Array<Record<string, unknown>>>, params: AuthorizeParams",
    ts_return_type = "Decision"
)]
pub fn authorize(env: &Env, rows: Unknown<'_>, params: Unknown<'_>) -> Result<Value> {
    over_rows(env, "authorize", rows, params)
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
    over_rows(env, "forecastRevenue", rows, params)
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
    over_rows(env, "forecastNoShows", rows, params)
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
    over_rows(env, "forecastChurn", rows, params)
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
    over_rows(env, "compare", rows, params)
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
                over_rows(env, Domain::$variant.as_str(), rows, params)
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

/// A read with the server's own database client: what `plan(read, params)`
/// returns. `statements` are the next round's (run them, in one read-only
/// REPEATABLE READ transaction for the whole plan, and hand their rows to
/// `finish`); `done` once the answer is known. The answer is the engine's
/// for the same request: the same statements, folded by the same code.
#[napi]
pub struct Plan {
    inner: odx_js::Plan,
}

#[napi]
impl Plan {
    /// The statements of the next round, in order (empty once done).
    #[napi(getter, ts_return_type = "Array<Statement>")]
    pub fn statements(&self) -> Result<Value> {
        js(odx_js::statements(&self.inner))
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
    let read = text_arg(env, read, "read")?;
    js(odx_js::plan(read, own(env, params, "params")?, now())).map(|inner| Plan { inner })
}

/// Folds the rows of `plan.statements` (one array of row objects per
/// statement, in order, as the driver returns them: `bigint` as text or
/// number) into the plan: the answer when nothing more is needed (a report
/// with `degraded: false`, or `{ degraded: true, module, missing }`), or
/// `null` when `plan.statements` holds another round.
#[napi(ts_args_type = "plan: Plan, rows: Array<Array<Record<string, unknown>>>", ts_return_type = "any")]
pub fn finish(env: &Env, plan: &mut Plan, rows: Unknown<'_>) -> Result<Value> {
    js(odx_js::finish(&mut plan.inner, own(env, rows, "rows")?))
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
    js(odx_js::check_targets(own(env, targets, "targets")?, branches))
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
        let obj = odx_js::args::object(&options, "options").map_err(|e| failure(odx_js::bad_argument(e)))?;
        let positive = |field: &str, max: u64| -> Result<Option<u64>> {
            match obj.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_u64()
                    .filter(|n| (1..=max).contains(n))
                    .map(Some)
                    .ok_or_else(|| invalid(format!("options.{field}: must be an integer from 1 to {max}"))),
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
    .map_err(|e| internal(format!("could not start the work: {e}")))
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
            let url = url?.ok_or_else(|| invalid("url: is required (postgres://...)"))?;
            let limits = Limits::read(options?)?;
            // Nothing at startup beyond what a pooler accepts (PgBouncer
            // refuses extra_float_digits and options): the statement timeout
            // is set inside each report's transaction. TLS follows the URL's
            // sslmode and sslrootcert.
            let connect = PgConnectOptions::from_str(&url)
                .map_err(|e| invalid(format!("url: {e}")))?
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
                Err(_) => {
                    return Err(failure(Fault::unavailable("the database did not answer within connectTimeoutMs")))
                }
            }
            // Each connection with Nagle's algorithm off (see no_delay).
            let pool = pg_sqlx::pool_options(&connect)
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
                .map_err(|_| failure(Fault::timeout(format!("{what} did not finish within the query timeout"))))?
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
            let request = js(odx_js::request_of(read, params?, now()))?;
            let snap = db.snapshot().await?;
            let outcome = request.run(&snap, &JavaScript).await;
            js(odx_js::answer(snap.end(outcome).await.map_err(engine_error)?))
        })
    }
}
