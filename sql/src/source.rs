//! One way to read, for every driver: a [`Source`] runs a statement with its
//! bound parameters and hands each result row to the caller. Everything a
//! report needs beyond that (which statements, in which order, with which
//! parameters; the degraded check; the console's range and month to date;
//! the forecasts' scopes) is written once here, over any source. The
//! extension reads through SPI and the Node engine through a sqlx pool: two
//! sources of these same functions.

pub use crate::console::Outcome;
use crate::console::{
    console_relations, feed_console, feed_day, ConsoleQuery, DayParams, DAY_RELATIONS, DAY_SQL, ORGANIZATION_READS,
    OVERVIEW_READS,
};
use crate::decode::{id, text, DomainAcc, Row, RowError};
use crate::once::Once;
use crate::queries::{Param, Query, QueryKind, ScopeParams, CLINIC_ZONES_SQL, DOCTOR_NAMES_SQL};
use crate::schema::COLUMNS_SQL;
use crate::schema::{Domain, DomainSql};
use chrono::NaiveDate;
use odx_core::command::{CommandCenter, DomainReports};
use odx_core::compare::{calendar_scopes, comparison_scopes};
use odx_core::console::{ConsolePlan, PlanReports};
use odx_core::forecast::{
    churn_forecast, churn_scopes, no_show_forecast, no_show_scopes, revenue_forecast, revenue_scopes, ChurnForecast,
    NoShowForecast, RevenueForecast,
};
use odx_core::insights::{self, Benchmark, Digest, NetworkOverview, OverviewAcc};
use odx_core::targets::MinVolume;
use odx_core::{
    AccountingAcc, ClinicDirectory, ClinicInfo, FinancialAcc, Frame, LabAcc, MetricScope, OdxError, OperationsAcc,
    PatientsAcc,
};
use odx_core::{Comparison, GroupBy};
use odx_core::{Period, Tables};
use std::fmt;
use std::future::Future;

/// What a row is handed to: it reads the row (by column name) into core.
pub type Sink<'a> = dyn FnMut(&dyn Row) -> Result<(), RowError> + Send + 'a;

/// A driver that runs odx's statements (see the module).
pub trait Source {
    /// The driver's own error.
    type Error;
    /// Runs `sql` with `params` bound (`$1`, `$2` ... in order) and hands
    /// every result row to `each`, in order.
    fn rows(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        each: &mut Sink<'_>,
    ) -> impl Future<Output = Result<(), SourceError<Self::Error>>>;

    /// Runs independent statements and hands every row to `each` with its
    /// statement's index: all the rows of one statement in order, one
    /// statement after another, in whatever order they finish. A source
    /// able to run them concurrently does (the engine's `pg_sqlx::Snapshot`,
    /// feature `sqlx`, over connections sharing its snapshot); by default
    /// they run one after another.
    fn batch(
        &self,
        statements: &[(&'static str, &[Param<'_>])],
        each: &mut BatchSink<'_>,
    ) -> impl Future<Output = Result<(), SourceError<Self::Error>>> {
        async move {
            for (i, (sql, params)) in statements.iter().enumerate() {
                self.rows(sql, params, &mut |r| each(i, r)).await?;
            }
            Ok(())
        }
    }

    /// The `(table, column)` pairs of schema `app`, what degraded mode
    /// checks a read against. By default the source runs [`COLUMNS_SQL`];
    /// a source that can tell the catalog has not changed since it last ran
    /// it may answer from that reading (the extension does, per backend).
    fn columns(&self) -> impl Future<Output = Result<Columns, SourceError<Self::Error>>> {
        read_columns(self)
    }
}

/// The `(table, column)` pairs of schema `app`, shared: a source that keeps
/// them, and a call that asks more than once, hand out the one list.
pub type Columns = std::sync::Arc<[(String, String)]>;

/// The `(table, column)` pairs of schema `app`, read by [`COLUMNS_SQL`]
/// (what [`Source::columns`] does by default).
///
/// # Errors
/// [`SourceError`].
pub async fn read_columns<S: Source + ?Sized>(src: &S) -> Result<Columns, SourceError<S::Error>> {
    let mut present = Vec::new();
    src.rows(COLUMNS_SQL, &[], &mut |r| {
        present.push((text(r, "table_name")?, text(r, "column_name")?));
        Ok(())
    })
    .await?;
    Ok(present.into())
}

/// What a batch's rows are handed to: the statement's index and the row.
pub type BatchSink<'a> = dyn FnMut(usize, &dyn Row) -> Result<(), RowError> + Send + 'a;

/// Why a read could not be computed.
#[derive(Debug)]
pub enum SourceError<E> {
    /// Core refused the request (bad scope, unknown clinic ...).
    Core(OdxError),
    /// The database failed or could not be reached.
    Database(E),
    /// A result row could not be read.
    Row(RowError),
}

impl<E: fmt::Display> fmt::Display for SourceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::Core(e) => e.fmt(f),
            SourceError::Database(e) => write!(f, "database: {e}"),
            SourceError::Row(e) => e.fmt(f),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for SourceError<E> {}

impl<E> From<OdxError> for SourceError<E> {
    fn from(e: OdxError) -> Self {
        SourceError::Core(e)
    }
}

impl<E> From<RowError> for SourceError<E> {
    fn from(e: RowError) -> Self {
        match e {
            RowError::Core(c) => SourceError::Core(c),
            other => SourceError::Row(other),
        }
    }
}

/// The `(table, column)` pairs of schema `app` ([`Source::columns`]).
///
/// # Errors
/// [`SourceError`].
pub async fn present_columns<S: Source>(src: &S) -> Result<Columns, SourceError<S::Error>> {
    src.columns().await
}

/// The frame of a scope, with the clinics' time zones, names and cities
/// read from `app.clinics` and, for a report by doctor, the doctors' names
/// from `app.users` (when it and `doctor_schedules` are there: a name is a
/// label, never a reason to degrade a report).
///
/// # Errors
/// [`SourceError::Core`] for an unknown clinic or time zone; [`SourceError`].
pub async fn frame<S: Source>(src: &S, scope: &MetricScope) -> Result<Frame, SourceError<S::Error>> {
    frame_with(src, scope, None).await
}

async fn frame_with<S: Source>(
    src: &S,
    scope: &MetricScope,
    present: Option<&[(String, String)]>,
) -> Result<Frame, SourceError<S::Error>> {
    let ids = [Param::Ids(scope.clinic_ids())];
    let mut clinics = Vec::new();
    src.rows(CLINIC_ZONES_SQL, &ids, &mut |r| {
        let info = ClinicInfo {
            zone: r.text("timezone")?.unwrap_or_default(),
            name: r.text("name")?.unwrap_or_default(),
            city: r.text("city")?.unwrap_or_default(),
        };
        clinics.push((id(r, "id")?, info));
        Ok(())
    })
    .await?;
    let mut doctors = Vec::new();
    let has = |table: &str| present.is_some_and(|p| p.iter().any(|(t, _)| t == table));
    if scope.group_by() == GroupBy::Doctor && has("users") && has("doctor_schedules") {
        src.rows(DOCTOR_NAMES_SQL, &ids, &mut |r| {
            doctors.push((id(r, "id")?, r.text("name")?.unwrap_or_default()));
            Ok(())
        })
        .await?;
    }
    Ok(Frame::new(scope, &ClinicDirectory::of_clinics(clinics).with_doctors(doctors))?)
}

/// A domain's report of a scope, computed by Postgres and core: `A` is the
/// domain's accumulator (`FinancialAcc`, `OperationsAcc` ...); a domain
/// whose tables or columns every figure needs are missing is degraded, not
/// an error; without its soft part's figures (named in the report's
/// `missing`) when only that part's are.
///
/// # Errors
/// [`SourceError`].
pub async fn compute<A: DomainAcc, S: Source>(
    src: &S,
    scope: &MetricScope,
) -> Result<Outcome<A::Report>, SourceError<S::Error>> {
    let reads = A::DOMAIN.reads();
    let present = present_columns(src).await?;
    let (queries, did_without) = match reads.statements(&present) {
        Ok(run) => run,
        Err(missing) => return Ok(Outcome::Degraded(missing)),
    };
    let frame = frame_with(src, scope, Some(&present)).await?;
    let p = ScopeParams::new(&frame);
    let mut acc = A::with_frame(frame);
    let values = p.values();
    let statements: Vec<(&'static str, &[Param<'_>])> = queries.iter().map(|q| (q.sql.as_str(), &values[..])).collect();
    src.batch(&statements, &mut |n, r| match queries.get(n) {
        Some(q) => acc.feed(q.kind, r).map_err(|e| e.stored(q.relations)),
        None => Ok(()),
    })
    .await?;
    let mut report = acc.finish_report()?;
    A::did_without(&mut report, did_without);
    Ok(Outcome::Report(report))
}

/// Any domain's report as JSON (the shape every surface serializes), for
/// callers that pick the domain at run time.
///
/// # Errors
/// [`SourceError`].
pub async fn report_json<S: Source>(
    src: &S,
    domain: Domain,
    scope: &MetricScope,
) -> Result<Outcome<serde_json::Value>, SourceError<S::Error>> {
    async fn json<A: DomainAcc, S: Source>(
        src: &S,
        scope: &MetricScope,
    ) -> Result<Outcome<serde_json::Value>, SourceError<S::Error>> {
        Ok(match compute::<A, S>(src, scope).await? {
            Outcome::Report(r) => {
                Outcome::Report(serde_json::to_value(r).map_err(|e| SourceError::Row(RowError::Driver(e.to_string())))?)
            }
            Outcome::Degraded(m) => Outcome::Degraded(m),
        })
    }
    crate::by_domain!(domain, A => json::<A, S>(src, scope).await)
}

/// `domain`'s report of `scope`, grouped by clinic, against the previous
/// period of the same length, with each branch's share (see
/// [`odx_core::compare`]).
///
/// # Errors
/// [`SourceError`].
pub async fn compare<S: Source>(
    src: &S,
    domain: Domain,
    scope: &MetricScope,
) -> Result<Outcome<Comparison>, SourceError<S::Error>> {
    let (current, previous) = comparison_scopes(scope)?;
    let months = calendar_scopes(&current)?;
    let src = &Once::new(src);
    crate::by_domain!(domain, A => {
        let now = compute::<A, _>(src, &current).await?;
        let mut others = Vec::with_capacity(months.len());
        for (basis, month) in &months {
            others.push((*basis, compute::<A, _>(src, month).await?));
        }
        now.compared(compute::<A, _>(src, &previous).await?, others).map_err(Into::into)
    })
}

/// A domain's reports of several scopes, in order, or what they miss.
async fn every<A: DomainAcc, S: Source>(
    src: &S,
    scopes: Vec<MetricScope>,
) -> Result<Outcome<Vec<A::Report>>, SourceError<S::Error>> {
    let mut reports = Vec::new();
    for scope in scopes {
        reports.push(compute::<A, S>(src, &scope).await?);
    }
    Ok(Outcome::all(reports))
}

/// A forecast of `clinic_ids` at `as_of`: core's `scopes` of it, each read
/// by `A`'s domain, and core's `finish` of their reports.
async fn forecast<A: DomainAcc, T, S: Source>(
    src: &S,
    (clinic_ids, as_of): (&[i64], NaiveDate),
    scopes: fn(&[i64], NaiveDate) -> odx_core::Result<Vec<MetricScope>>,
    finish: fn(NaiveDate, &[A::Report]) -> odx_core::Result<T>,
) -> Result<Outcome<T>, SourceError<S::Error>> {
    let reports = every::<A, Once<'_, S>>(&Once::new(src), scopes(clinic_ids, as_of)?).await?;
    reports.try_map(|r| finish(as_of, &r)).map_err(Into::into)
}

/// The month-end revenue forecast of `clinic_ids` at `as_of`, with its
/// backtest (see [`odx_core::forecast`]).
///
/// # Errors
/// [`SourceError`].
pub async fn forecast_revenue<S: Source>(
    src: &S,
    clinic_ids: &[i64],
    as_of: NaiveDate,
) -> Result<Outcome<RevenueForecast>, SourceError<S::Error>> {
    forecast::<FinancialAcc, _, S>(src, (clinic_ids, as_of), revenue_scopes, revenue_forecast).await
}

/// The no-show risk of `clinic_ids`' upcoming appointments after `as_of`,
/// with its backtest.
///
/// # Errors
/// [`SourceError`].
pub async fn forecast_no_shows<S: Source>(
    src: &S,
    clinic_ids: &[i64],
    as_of: NaiveDate,
) -> Result<Outcome<NoShowForecast>, SourceError<S::Error>> {
    forecast::<OperationsAcc, _, S>(src, (clinic_ids, as_of), no_show_scopes, no_show_forecast).await
}

/// The churn list of `clinic_ids` at `as_of`, with its backtest.
///
/// # Errors
/// [`SourceError`].
pub async fn forecast_churn<S: Source>(
    src: &S,
    clinic_ids: &[i64],
    as_of: NaiveDate,
) -> Result<Outcome<ChurnForecast>, SourceError<S::Error>> {
    forecast::<PatientsAcc, _, S>(src, (clinic_ids, as_of), churn_scopes, churn_forecast).await
}

/// The console tables of `reads` for `key` (an organization or a user id),
/// or the tables and columns of the org layer they miss (degraded, never an
/// error: a clinic database without the org layer, or without
/// `ops_targets`).
///
/// # Errors
/// [`SourceError::Database`], [`SourceError::Row`].
pub async fn console_tables<S: Source>(
    src: &S,
    reads: &[ConsoleQuery],
    key: i64,
) -> Result<Outcome<Tables>, SourceError<S::Error>> {
    let mut missing = crate::schema::missing_of(&console_relations(reads), &present_columns(src).await?);
    missing.sort();
    if !missing.is_empty() {
        return Ok(Outcome::Degraded(missing));
    }
    Ok(Outcome::Report(console_rows(src, reads, key).await?))
}

/// The rows of `reads` for `key` in a core [`Tables`], the schema already
/// checked.
async fn console_rows<S: Source>(src: &S, reads: &[ConsoleQuery], key: i64) -> Result<Tables, SourceError<S::Error>> {
    let mut tables = Tables::default();
    for q in reads {
        src.rows(q.sql, &[Param::Id(key)], &mut |r| feed_console(&mut tables, q.read, r)).await?;
    }
    Ok(tables)
}

/// `$outcome`'s report, or an early `Ok(Outcome::Degraded(missing))`.
macro_rules! or_degraded {
    ($outcome:expr) => {
        match $outcome {
            Outcome::Report(r) => r,
            Outcome::Degraded(missing) => return Ok(Outcome::Degraded(missing)),
        }
    };
}

/// One domain of a call that reads several: its accumulator and the
/// statements it runs, or what it misses.
enum Part<A> {
    Degraded(Vec<String>),
    Live { acc: A, queries: &'static [Query], without: Vec<String> },
}

impl<A> Part<A> {
    /// Whether it runs a statement of `kind`.
    fn runs(&self, kind: QueryKind) -> bool {
        matches!(self, Part::Live { queries, .. } if queries.iter().any(|q| q.kind == kind))
    }

    /// Its statements, but those whose facts another part reads for it
    /// (`served`: whether that part runs a statement of a kind).
    fn own(&self, served: impl Fn(QueryKind) -> bool) -> Vec<&'static Query> {
        let Part::Live { queries, .. } = self else { return Vec::new() };
        queries.iter().filter(|q| !q.kind.served_by().is_some_and(|by| served(by) && !self.runs(by))).collect()
    }
}

impl<A: DomainAcc> Part<A> {
    fn live(planned: Result<(&'static [Query], Vec<String>), Vec<String>>, frame: &Frame) -> Self {
        match planned {
            Ok((queries, without)) => Part::Live { acc: A::with_frame(frame.clone()), queries, without },
            Err(missing) => Part::Degraded(missing),
        }
    }

    /// Feeds a row of `kind` when it runs a statement `kind` serves.
    fn feed_served(&mut self, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
        let wants = match self {
            Part::Live { queries, .. } => queries.iter().any(|q| q.kind.served_by() == Some(kind)),
            Part::Degraded(_) => false,
        };
        match self {
            Part::Live { acc, .. } if wants => acc.feed(kind, r),
            _ => Ok(()),
        }
    }

    fn feed(&mut self, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
        match self {
            Part::Live { acc, .. } => acc.feed(kind, r),
            Part::Degraded(_) => Ok(()),
        }
    }

    fn finish(self) -> odx_core::Result<Outcome<A::Report>> {
        Ok(match self {
            Part::Live { acc, without, .. } => {
                let mut report = acc.finish_report()?;
                A::did_without(&mut report, without);
                Outcome::Report(report)
            }
            Part::Degraded(missing) => Outcome::Degraded(missing),
        })
    }
}

/// The four domain reports the console reads, of a scope grouped by clinic:
/// what its read-outs show (operations without the new and returning
/// patients, `operations::console_reads`), each fact read once:
/// the financial domain's invoice and payment rows also give operations
/// its billed totals and accounting its materials and receipts
/// ([`QueryKind::served_by`]; each domain's own statements when the
/// financial domain is degraded). The same reports as each domain's own
/// [`compute`], on one read of the schema and the clinics.
///
/// # Errors
/// [`SourceError`].
pub async fn domain_reports<S: Source>(
    src: &S,
    scope: &MetricScope,
) -> Result<Outcome<DomainReports>, SourceError<S::Error>> {
    Ok(console_reports(src, scope, None).await?.0)
}

/// What each console domain runs, or misses, given the schema.
type Planned = [Result<(&'static [Query], Vec<String>), Vec<String>>; 4];

/// The four console domains of one scope.
struct Four {
    fin: Part<FinancialAcc>,
    ops: Part<OperationsAcc>,
    acc: Part<AccountingAcc>,
    lab: Part<LabAcc>,
}

impl Four {
    fn new([fin, ops, acc, lab]: Planned, frame: &Frame) -> Self {
        Four {
            fin: Part::live(fin, frame),
            ops: Part::live(ops, frame),
            acc: Part::live(acc, frame),
            lab: Part::live(lab, frame),
        }
    }

    /// A financial row, and the facts it serves to operations and accounting.
    fn feed_fin(&mut self, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
        self.fin.feed(kind, r)?;
        self.ops.feed_served(kind, r)?;
        self.acc.feed_served(kind, r)
    }

    fn feed_ops(&mut self, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
        self.ops.feed(kind, r)
    }

    fn feed_acc(&mut self, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
        self.acc.feed(kind, r)
    }

    fn feed_lab(&mut self, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
        self.lab.feed(kind, r)
    }

    fn finish(self) -> odx_core::Result<Outcome<DomainReports>> {
        Ok(Outcome::all4(self.fin.finish()?, self.ops.finish()?, self.acc.finish()?, self.lab.finish()?))
    }
}

/// A split statement's row as the inner scope sees it: its `bucket` is the
/// row's `inner_bucket` (see [`crate::queries::SPLIT_SCOPE_CTE`]).
struct Inner<'r>(&'r dyn Row);

impl Row for Inner<'_> {
    fn int8(&self, column: &'static str) -> Result<Option<i64>, RowError> {
        self.0.int8(column)
    }
    fn int4(&self, column: &'static str) -> Result<Option<i32>, RowError> {
        self.0.int4(if column == "bucket" { "inner_bucket" } else { column })
    }
    fn boolean(&self, column: &'static str) -> Result<Option<bool>, RowError> {
        self.0.boolean(column)
    }
    fn text(&self, column: &'static str) -> Result<Option<String>, RowError> {
        self.0.text(column)
    }
}

/// The parameters of a console read of one scope, or of two (see
/// [`console_reports`]).
struct Scopes {
    outer: ScopeParams,
    /// The inner scope's own parameters.
    inner: Option<ScopeParams>,
    /// The outer scope's with the inner's cuts, when it is within it.
    split: Option<ScopeParams>,
}

type Feed = fn(&mut Four, QueryKind, &dyn Row) -> Result<(), RowError>;

/// Which scope a statement's rows are for.
#[derive(Clone, Copy)]
enum Target {
    Outer,
    Inner,
    /// Both: a split statement over the outer scope, with the inner's cuts.
    Split,
}

/// The statements of `q` for the outer scope and the inner one: once,
/// split, when it is a split statement and the inner scope is within the
/// outer; else once for each.
fn targets(q: &Query, scopes: &Scopes) -> Vec<Target> {
    match (&scopes.inner, &scopes.split) {
        (Some(_), Some(_)) if q.kind.splits() => vec![Target::Split],
        (Some(_), _) => vec![Target::Outer, Target::Inner],
        (None, _) => vec![Target::Outer],
    }
}

/// The console's four domain reports of `outer` (see [`domain_reports`])
/// and, when given, of `inner`: a range and its month to date, one within
/// the other (the same clinics and as-of instant, a later start). The scans
/// they share (invoices with their items, payments, appointments) run once
/// over the outer scope, each row bucketed for both; the rest per scope,
/// each distinct statement once under [`Once`].
///
/// # Errors
/// [`SourceError`].
pub async fn console_reports<S: Source>(
    src: &S,
    outer: &MetricScope,
    inner: Option<&MetricScope>,
) -> Result<(Outcome<DomainReports>, Option<Outcome<DomainReports>>), SourceError<S::Error>> {
    let present = present_columns(src).await?;
    let planned: Planned = [
        Domain::Financial.reads().statements(&present),
        crate::operations::console_reads().statements(&present),
        Domain::Accounting.reads().statements(&present),
        Domain::Lab.reads().statements(&present),
    ];
    if planned.iter().all(Result::is_err) {
        // Nothing to compute: no frame (as each domain alone).
        let [fin, ops, acc, lab] = planned.map(|p| p.err().unwrap_or_default());
        let degraded = || {
            Outcome::all4(
                Outcome::Degraded(fin.clone()),
                Outcome::Degraded(ops.clone()),
                Outcome::Degraded(acc.clone()),
                Outcome::Degraded(lab.clone()),
            )
        };
        return Ok((degraded(), inner.map(|_| degraded())));
    }
    let outer_frame = frame_with(src, outer, Some(&present)).await?;
    let inner_frame = match inner {
        Some(scope) => Some(frame_with(src, scope, Some(&present)).await?),
        None => None,
    };
    let scopes = Scopes {
        outer: ScopeParams::new(&outer_frame),
        inner: inner_frame.as_ref().map(ScopeParams::new),
        split: inner_frame.as_ref().and_then(|f| ScopeParams::split(&outer_frame, f)),
    };
    let mut o = Four::new(planned.clone(), &outer_frame);
    let mut i = inner_frame.as_ref().map(|f| Four::new(planned, f));
    let served = |kind| o.fin.runs(kind);
    let own: [(Vec<&'static Query>, Feed); 4] = [
        (o.fin.own(|_| false), Four::feed_fin),
        (o.ops.own(served), Four::feed_ops),
        (o.acc.own(served), Four::feed_acc),
        (o.lab.own(served), Four::feed_lab),
    ];
    let jobs: Vec<(&Query, Target, Feed)> = own
        .iter()
        .flat_map(|(queries, feed)| {
            queries.iter().flat_map(|q| targets(q, &scopes).into_iter().map(|t| (*q, t, *feed)))
        })
        .collect();
    let values = |t: Target| match (t, &scopes.inner, &scopes.split) {
        (Target::Inner, Some(p), _) | (Target::Split, _, Some(p)) => p.values(),
        _ => scopes.outer.values(),
    };
    let params: Vec<[Param<'_>; 16]> = jobs.iter().map(|(_, t, _)| values(*t)).collect();
    let statements: Vec<(&'static str, &[Param<'_>])> =
        jobs.iter().zip(&params).map(|((q, _, _), p)| (q.sql.as_str(), &p[..])).collect();
    // Independent statements once the frames are known: concurrently on a
    // source that can.
    src.batch(&statements, &mut |n, r| {
        let Some(&(q, target, feed)) = jobs.get(n) else { return Ok(()) };
        let fed = match (target, i.as_mut()) {
            (Target::Outer, _) => feed(&mut o, q.kind, r),
            (Target::Inner, Some(inner)) => feed(inner, q.kind, r),
            (Target::Split, Some(inner)) => feed(&mut o, q.kind, r).and_then(|()| match r.int4("inner_bucket")? {
                Some(_) => feed(inner, q.kind, &Inner(r)),
                None => Ok(()),
            }),
            (_, None) => Ok(()),
        };
        fed.map_err(|e| e.stored(q.relations))
    })
    .await?;
    Ok((o.finish()?, i.map(Four::finish).transpose()?))
}

/// A console read-out of an organization's branches (`clinic_ids`, checked
/// to be its branches and within `allowed` when given; all of them when
/// `None`) over `from..=to`: core plans it ([`Tables::console_plan`]), the
/// reports of its scopes are fetched here, and `finish` is the plan's.
async fn over_range<T, S: Source>(
    src: &S,
    organization_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
    (period, min_volume): (Period, Option<MinVolume>),
    finish: impl FnOnce(&ConsolePlan, &PlanReports) -> odx_core::Result<T>,
) -> Result<Outcome<T>, SourceError<S::Error>> {
    // Each statement once: the receivables of the range and of the month to
    // date (one as-of instant) are one read, as are the schema probe and
    // the clinic directory of every scope.
    let src = &Once::new(src);
    let org = or_degraded!(console_tables(src, &ORGANIZATION_READS, organization_id).await?);
    let plan = org.console_plan(organization_id, clinic_ids, allowed, period)?.with_min_volume(min_volume);
    // The range and its month to date in one pass: the one that starts
    // first is the outer scope.
    let (range, mtd) = match &plan.mtd {
        Some(mtd) if mtd.from() < plan.range.from() => {
            let (mtd, range) = console_reports(src, mtd, Some(&plan.range)).await?;
            (range.ok_or(OdxError::ScopeMismatch)?, Some(mtd))
        }
        mtd => console_reports(src, &plan.range, mtd.as_ref()).await?,
    };
    let network = match &plan.network {
        Some(scope) => Some(domain_reports(src, scope).await?),
        None => None,
    };
    Outcome::console(range, mtd, network, |fetched| finish(&plan, fetched)).map_err(Into::into)
}

/// The Command Center of an organization's branches (`clinic_ids`, checked
/// to be its branches and within `allowed` when given; all of them when
/// `None`) over a period, its rate targets judged on `min_volume` (`None`:
/// the defaults).
///
/// # Errors
/// [`SourceError`]; [`OdxError::ForbiddenScope`] for a clinic that is not a
/// branch of the organization or not allowed.
pub async fn command<S: Source>(
    src: &S,
    organization_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
    judged: (Period, Option<MinVolume>),
) -> Result<Outcome<CommandCenter>, SourceError<S::Error>> {
    over_range(src, organization_id, clinic_ids, allowed, judged, |p, fetched| p.command(fetched)).await
}

/// The digest facts of an organization's branches (as [`command`]).
///
/// # Errors
/// As [`command`].
pub async fn digest<S: Source>(
    src: &S,
    organization_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
    judged: (Period, Option<MinVolume>),
) -> Result<Outcome<Digest>, SourceError<S::Error>> {
    over_range(src, organization_id, clinic_ids, allowed, judged, |p, fetched| p.digest(fetched)).await
}

/// One branch benchmarked against the organization's branches (or
/// `clinic_ids` of them) over `from..=to`; only the branch itself must be
/// within `allowed` (the others are seen through their median only).
///
/// # Errors
/// As [`command`]; [`OdxError::ForbiddenScope`] when the branch is not among
/// the branches compared or not allowed.
pub async fn benchmark<S: Source>(
    src: &S,
    organization_id: i64,
    clinic_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
    period: Period,
) -> Result<Outcome<Benchmark>, SourceError<S::Error>> {
    let src = &Once::new(src);
    let org = or_degraded!(console_tables(src, &ORGANIZATION_READS, organization_id).await?);
    let ids = org.benchmark_set(organization_id, clinic_id, clinic_ids, allowed)?;
    let scope = period.scope(ids, GroupBy::Clinic)?;
    domain_reports(src, &scope).await?.try_map(|r| insights::benchmark(&r, clinic_id)).map_err(Into::into)
}

/// The network overview of an organization's branches (as [`command`]) on
/// `date`.
///
/// # Errors
/// As [`command`].
pub async fn network_overview<S: Source>(
    src: &S,
    organization_id: i64,
    clinic_ids: Option<Vec<i64>>,
    allowed: Option<&[i64]>,
    date: NaiveDate,
) -> Result<Outcome<NetworkOverview>, SourceError<S::Error>> {
    // Two statements, each run once, straight on the source (nothing
    // recorded for a reuse that never comes): the organization with its
    // branches, then the day. Of the organization only what the day's grid
    // shows: itself and its branches, not its targets. The schema is
    // checked once for both: what either misses degrades the overview.
    let mut relations = console_relations(&OVERVIEW_READS);
    relations.extend_from_slice(DAY_RELATIONS);
    let mut missing = crate::schema::missing_of(&relations, &present_columns(src).await?);
    if !missing.is_empty() {
        missing.sort();
        return Ok(Outcome::Degraded(missing));
    }
    let org = console_rows(src, &OVERVIEW_READS, organization_id).await?;
    let (ids, active) = org.org_branches_active(organization_id, clinic_ids, allowed)?;
    let day = MetricScope::new(ids, date, date, GroupBy::Clinic)?;
    let mut acc = OverviewAcc::new(&day, &org.directory(), &active)?;
    let params = DayParams::new(acc.frame())?;
    let tables: Vec<&str> = DAY_RELATIONS.iter().map(|r| r.table).collect();
    src.rows(&DAY_SQL, &params.values(), &mut |r| feed_day(&mut acc, r).map_err(|e| e.stored(&tables))).await?;
    Ok(Outcome::Report(acc.finish()?))
}
