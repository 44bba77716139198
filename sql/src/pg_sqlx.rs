//! The sqlx driver: runs a domain's statements on a pool and finishes the
//! report in core. Bound parameters only, never string-built SQL.

pub use crate::console::Outcome;
use crate::console::{feed_console, ConsoleQuery, ORGANIZATION_READS};
use crate::decode::{DomainAcc, Row, RowError};
use crate::queries::{Param, ScopeParams, CLINIC_ZONES_SQL};
use crate::schema::{missing_relations, COLUMNS_SQL};
use crate::schema::{Domain, DomainSql};
use chrono::NaiveDate;
use odx_core::command::{CommandCenter, DomainReports};
use odx_core::compare::comparison_scopes;
use odx_core::console::ConsolePlan;
use odx_core::forecast::{
    churn_forecast, churn_scopes, no_show_forecast, no_show_scopes, revenue_forecast, revenue_scopes, ChurnForecast,
    NoShowForecast, RevenueForecast,
};
use odx_core::insights::{self, Benchmark, Digest, NetworkOverview};
use odx_core::Tables;
use odx_core::{
    AccountingAcc, ClinicDirectory, FinancialAcc, Frame, LabAcc, MetricScope, OdxError, OperationsAcc, PatientsAcc,
};
use odx_core::{Comparison, GroupBy};
use sqlx::postgres::{PgPool, PgRow};
use sqlx::Row as _;
use std::fmt;

impl Row for PgRow {
    fn int8(&self, c: &'static str) -> Result<Option<i64>, RowError> {
        self.try_get(c).map_err(|e| RowError::Driver(format!("{c}: {e}")))
    }
    fn int4(&self, c: &'static str) -> Result<Option<i32>, RowError> {
        self.try_get(c).map_err(|e| RowError::Driver(format!("{c}: {e}")))
    }
    fn boolean(&self, c: &'static str) -> Result<Option<bool>, RowError> {
        self.try_get(c).map_err(|e| RowError::Driver(format!("{c}: {e}")))
    }
    fn text(&self, c: &'static str) -> Result<Option<String>, RowError> {
        self.try_get(c).map_err(|e| RowError::Driver(format!("{c}: {e}")))
    }
}

/// Why a domain could not be computed.
#[derive(Debug)]
pub enum EngineError {
    /// Core refused the request (bad scope, unknown clinic ...).
    Core(OdxError),
    /// The database failed or could not be reached.
    Database(sqlx::Error),
    /// A result row could not be read.
    Row(RowError),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Core(e) => e.fmt(f),
            EngineError::Database(e) => write!(f, "database: {e}"),
            EngineError::Row(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for EngineError {}

impl From<sqlx::Error> for EngineError {
    fn from(e: sqlx::Error) -> Self {
        EngineError::Database(e)
    }
}

impl From<OdxError> for EngineError {
    fn from(e: OdxError) -> Self {
        EngineError::Core(e)
    }
}

impl From<RowError> for EngineError {
    fn from(e: RowError) -> Self {
        match e {
            RowError::Core(c) => EngineError::Core(c),
            other => EngineError::Row(other),
        }
    }
}

/// The `(table, column)` pairs of schema `app`.
///
/// # Errors
/// [`EngineError::Database`].
pub async fn present_columns(pool: &PgPool) -> Result<Vec<(String, String)>, EngineError> {
    let rows = sqlx::query(COLUMNS_SQL).fetch_all(pool).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("table_name")?, r.try_get("column_name")?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// The frame of a scope, with the clinics' time zones read from `app.clinics`.
///
/// # Errors
/// [`EngineError::Core`] for an unknown clinic or time zone, [`EngineError::Database`].
pub async fn frame(pool: &PgPool, scope: &MetricScope) -> Result<Frame, EngineError> {
    let rows = sqlx::query(CLINIC_ZONES_SQL).bind(scope.clinic_ids()).fetch_all(pool).await?;
    let pairs = rows.iter().map(|r| Ok((r.try_get::<i64, _>("id")?, r.try_get::<String, _>("timezone")?)));
    let directory = ClinicDirectory::new(pairs.collect::<Result<Vec<_>, sqlx::Error>>()?);
    Ok(Frame::new(scope, &directory)?)
}

/// A domain's report of a scope, computed by Postgres and core: `A` is the
/// domain's accumulator (`FinancialAcc`, `OperationsAcc` ...).
///
/// # Errors
/// [`EngineError`].
pub async fn compute<A: DomainAcc>(pool: &PgPool, scope: &MetricScope) -> Result<Outcome<A::Report>, EngineError> {
    let missing = missing_relations(A::DOMAIN, &present_columns(pool).await?);
    if !missing.is_empty() {
        return Ok(Outcome::Degraded(missing));
    }
    let frame = frame(pool, scope).await?;
    let p = ScopeParams::new(&frame);
    let mut acc = A::with_frame(frame);
    for q in A::DOMAIN.queries() {
        let sql: &'static str = q.sql.as_str();
        let mut query = sqlx::query(sql);
        for value in p.values() {
            query = match value {
                Param::Ids(v) => query.bind(v),
                Param::Texts(v) => query.bind(v),
                Param::Text(v) => query.bind(v),
                Param::Bool(v) => query.bind(v),
                Param::Instant(v, _) => query.bind(v),
            };
        }
        let rows = query.fetch_all(pool).await?;
        for row in &rows {
            acc.feed(q.kind, row)?;
        }
    }
    Ok(Outcome::Report(acc.finish_report()?))
}

/// Any domain's report as JSON (the shape every surface serializes), for
/// callers that pick the domain at run time.
///
/// # Errors
/// [`EngineError`].
pub async fn report_json(
    pool: &PgPool,
    domain: Domain,
    scope: &MetricScope,
) -> Result<Outcome<serde_json::Value>, EngineError> {
    async fn json<A: DomainAcc>(pool: &PgPool, scope: &MetricScope) -> Result<Outcome<serde_json::Value>, EngineError> {
        Ok(match compute::<A>(pool, scope).await? {
            Outcome::Report(r) => {
                Outcome::Report(serde_json::to_value(r).map_err(|e| EngineError::Row(RowError::Driver(e.to_string())))?)
            }
            Outcome::Degraded(m) => Outcome::Degraded(m),
        })
    }
    crate::by_domain!(domain, A => json::<A>(pool, scope).await)
}

/// `domain`'s report of `scope`, grouped by clinic, against the previous
/// period of the same length, with each branch's share (see
/// [`odx_core::compare`]).
///
/// # Errors
/// [`EngineError`].
pub async fn compare(pool: &PgPool, domain: Domain, scope: &MetricScope) -> Result<Outcome<Comparison>, EngineError> {
    let (current, previous) = comparison_scopes(scope)?;
    crate::by_domain!(domain, A => {
        let now = compute::<A>(pool, &current).await?;
        now.compared(compute::<A>(pool, &previous).await?).map_err(Into::into)
    })
}

/// A domain's reports of several scopes, in order, or what they miss.
async fn every<A: DomainAcc>(pool: &PgPool, scopes: Vec<MetricScope>) -> Result<Outcome<Vec<A::Report>>, EngineError> {
    let mut reports = Vec::new();
    for scope in scopes {
        reports.push(compute::<A>(pool, &scope).await?);
    }
    Ok(Outcome::all(reports))
}

/// The month-end revenue forecast of `clinic_ids` at `as_of`, with its
/// backtest (see [`odx_core::forecast`]).
///
/// # Errors
/// [`EngineError`].
pub async fn forecast_revenue(
    pool: &PgPool,
    clinic_ids: &[i64],
    as_of: NaiveDate,
) -> Result<Outcome<RevenueForecast>, EngineError> {
    let reports = every::<FinancialAcc>(pool, revenue_scopes(clinic_ids, as_of)?).await?;
    reports.try_map(|r| revenue_forecast(as_of, &r)).map_err(Into::into)
}

/// The no-show risk of `clinic_ids`' upcoming appointments after `as_of`,
/// with its backtest (see [`odx_core::forecast`]).
///
/// # Errors
/// [`EngineError`].
pub async fn forecast_no_shows(
    pool: &PgPool,
    clinic_ids: &[i64],
    as_of: NaiveDate,
) -> Result<Outcome<NoShowForecast>, EngineError> {
    let reports = every::<OperationsAcc>(pool, no_show_scopes(clinic_ids, as_of)?).await?;
    reports.try_map(|r| no_show_forecast(as_of, &r)).map_err(Into::into)
}

/// The churn list of `clinic_ids` at `as_of`, with its backtest (see
/// [`odx_core::forecast`]).
///
/// # Errors
/// [`EngineError`].
pub async fn forecast_churn(
    pool: &PgPool,
    clinic_ids: &[i64],
    as_of: NaiveDate,
) -> Result<Outcome<ChurnForecast>, EngineError> {
    let reports = every::<PatientsAcc>(pool, churn_scopes(clinic_ids, as_of)?).await?;
    reports.try_map(|r| churn_forecast(as_of, &r)).map_err(Into::into)
}

/// The console tables of `reads` for `key` (an organization or a user id).
///
/// # Errors
/// [`EngineError::Database`], [`EngineError::Row`].
pub async fn console_tables(pool: &PgPool, reads: &[ConsoleQuery], key: i64) -> Result<Tables, EngineError> {
    let mut tables = Tables::default();
    for q in reads {
        for row in sqlx::query(q.sql).bind(key).fetch_all(pool).await? {
            feed_console(&mut tables, q.read, &row)?;
        }
    }
    Ok(tables)
}

/// The four domain reports the console reads, of a scope grouped by clinic.
///
/// # Errors
/// [`EngineError`].
pub async fn domain_reports(pool: &PgPool, scope: &MetricScope) -> Result<Outcome<DomainReports>, EngineError> {
    Ok(Outcome::all4(
        compute::<FinancialAcc>(pool, scope).await?,
        compute::<OperationsAcc>(pool, scope).await?,
        compute::<AccountingAcc>(pool, scope).await?,
        compute::<LabAcc>(pool, scope).await?,
    ))
}

/// What every console call of an organization reads: the organization's
/// tables, and `clinic_ids` (checked to be its branches and within `allowed`
/// when given; all of them when `None`).
async fn organization(
    pool: &PgPool,
    organization_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
) -> Result<(Tables, Vec<i64>), EngineError> {
    let org = console_tables(pool, &ORGANIZATION_READS, organization_id).await?;
    let ids = org.org_branches(organization_id, clinic_ids, allowed)?;
    Ok((org, ids))
}

/// A console read-out of an organization's branches (`clinic_ids`, checked
/// to be its branches and within `allowed` when given; all of them when
/// `None`) over `from..=to`: core plans it ([`Tables::console_plan`]), the
/// reports of its scopes are fetched here, and `finish` is the plan's.
async fn over_range<T>(
    pool: &PgPool,
    organization_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
    (from, to): (NaiveDate, NaiveDate),
    finish: impl FnOnce(&ConsolePlan, &DomainReports, Option<&DomainReports>) -> odx_core::Result<T>,
) -> Result<Outcome<T>, EngineError> {
    let org = console_tables(pool, &ORGANIZATION_READS, organization_id).await?;
    let plan = org.console_plan(organization_id, clinic_ids, allowed, from, to)?;
    let range = domain_reports(pool, &plan.range).await?;
    let mtd = match &plan.mtd {
        Some(scope) => Some(domain_reports(pool, scope).await?),
        None => None,
    };
    Outcome::console(range, mtd, |r, m| finish(&plan, r, m)).map_err(Into::into)
}

/// The Command Center of an organization's branches (`clinic_ids`, checked
/// to be its branches and within `allowed` when given; all of them when
/// `None`) over `from..=to`.
///
/// # Errors
/// [`EngineError`]; [`OdxError::ForbiddenScope`] for a clinic that is not a
/// branch of the organization or not allowed.
pub async fn command(
    pool: &PgPool,
    organization_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Outcome<CommandCenter>, EngineError> {
    over_range(pool, organization_id, clinic_ids, allowed, (from, to), |p, r, m| p.command(r, m)).await
}

/// The digest facts of an organization's branches (as [`command`]).
///
/// # Errors
/// As [`command`].
pub async fn digest(
    pool: &PgPool,
    organization_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Outcome<Digest>, EngineError> {
    over_range(pool, organization_id, clinic_ids, allowed, (from, to), |p, r, m| p.digest(r, m)).await
}

/// One branch benchmarked against the organization's branches (or
/// `clinic_ids` of them) over `from..=to`; only the branch itself must be
/// within `allowed` (the others are seen through their median only).
///
/// # Errors
/// As [`command`]; [`OdxError::ForbiddenScope`] when the branch is not among
/// the branches compared or not allowed.
pub async fn benchmark(
    pool: &PgPool,
    organization_id: i64,
    clinic_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Outcome<Benchmark>, EngineError> {
    let org = console_tables(pool, &ORGANIZATION_READS, organization_id).await?;
    let ids = org.benchmark_set(organization_id, clinic_id, clinic_ids, allowed)?;
    let scope = MetricScope::new(ids, from, to, GroupBy::Clinic)?;
    domain_reports(pool, &scope).await?.try_map(|r| insights::benchmark(&r, clinic_id)).map_err(Into::into)
}

/// The network overview of an organization's branches (as [`command`]) on
/// `date`.
///
/// # Errors
/// As [`command`].
pub async fn network_overview(
    pool: &PgPool,
    organization_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
    date: NaiveDate,
) -> Result<Outcome<NetworkOverview>, EngineError> {
    let (org, ids) = organization(pool, organization_id, clinic_ids, allowed).await?;
    let active = org.active_branches(&ids);
    let scope = MetricScope::new(ids, date, date, GroupBy::Clinic)?;
    domain_reports(pool, &scope).await?.try_map(|r| insights::network_overview(&r, &active)).map_err(Into::into)
}
