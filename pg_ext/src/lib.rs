//! # odx inside PostgreSQL
//!
//! Thin adapters: every function validates its arguments into a core
//! `MetricScope`, runs odx-sql's set-based statements through SPI (Postgres
//! scans and groups; only the small grouped result crosses into Rust), feeds
//! the rows to core's accumulators and returns what core finished. No KPI
//! rule lives here. Core errors become real SQLSTATEs in one place
//! ([`report`]); no panic is an error path.

// pgrx's `ErrorReport` is the error that carries a SQLSTATE: large by design.
#![allow(clippy::result_large_err)]
// pgrx reads a table function's column names from the tuple written inline.
#![allow(clippy::type_complexity)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use odx_core::{AgingBucket, ErrorClass, GroupBy, MetricScope, OdxError};
use odx_sql::source::{Columns, Sink, Source, SourceError};
use odx_sql::{DomainAcc, Param, RowError};
use pgrx::datum::DatumWithOid;
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::spi::{SpiClient, SpiError};
use pgrx::{AnyNumeric, PgSqlErrorCode};
use rust_decimal::Decimal;
use serde::Serialize;

use answer::Answer;

mod answer;
mod by_branch;
mod comments;
mod console;
mod plans;
mod rows;
mod table;

pgrx::pg_module_magic!();

type Result<T> = std::result::Result<T, ErrorReport>;

/// The one mapping of core errors to SQLSTATEs: core classifies every error
/// ([`OdxError::class`]), and each class has its SQLSTATE here, matched
/// exhaustively (a new class does not build until it is mapped).
pub(crate) fn report(e: OdxError) -> ErrorReport {
    ErrorReport::new(sqlstate(e.class()), format!("{e}"), "odx").set_detail(format!("odx error code {}", e.code()))
}

/// The SQLSTATE of a class of error ([`ErrorClass::sqlstate`] names the same
/// code, checked by a test).
pub(crate) fn sqlstate(class: ErrorClass) -> PgSqlErrorCode {
    use PgSqlErrorCode::*;
    match class {
        ErrorClass::InvalidArgument => ERRCODE_INVALID_PARAMETER_VALUE,
        ErrorClass::InvalidDate => ERRCODE_DATETIME_FIELD_OVERFLOW,
        ErrorClass::Overflow => ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
        ErrorClass::Forbidden => ERRCODE_INSUFFICIENT_PRIVILEGE,
        ErrorClass::BadData => ERRCODE_DATA_EXCEPTION,
        ErrorClass::Internal => ERRCODE_INTERNAL_ERROR,
    }
}

pub(crate) fn internal(message: String) -> ErrorReport {
    ErrorReport::new(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, message, "odx")
}

pub(crate) fn spi(e: SpiError) -> ErrorReport {
    internal(format!("odx: SPI failed: {e}"))
}

fn row_error(e: RowError) -> ErrorReport {
    match e {
        RowError::Core(c) => report(c),
        e @ (RowError::Driver(_) | RowError::Null { .. } | RowError::Parse { .. }) => internal(format!("odx: {e}")),
    }
}

fn date(d: pgrx::datum::Date, field: &'static str) -> Result<chrono::NaiveDate> {
    if d.is_infinity() || d.is_neg_infinity() {
        return Err(report(OdxError::DateOutOfBounds { field }));
    }
    chrono::NaiveDate::from_ymd_opt(d.year(), d.month().into(), d.day().into())
        .ok_or_else(|| report(OdxError::DateOutOfBounds { field }))
}

/// The instant of an `as_of` argument (its default is `now()`, the
/// transaction's timestamp).
pub(crate) fn instant(t: TimestampWithTimeZone) -> Result<chrono::DateTime<chrono::Utc>> {
    // Postgres counts microseconds from 2000-01-01 00:00 UTC.
    const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
    let out_of_bounds = || report(OdxError::DateOutOfBounds { field: "as_of" });
    if t.is_infinity() || t.is_neg_infinity() {
        return Err(out_of_bounds());
    }
    let micros = pgrx::pg_sys::TimestampTz::from(t).checked_add(PG_EPOCH_MICROS).ok_or_else(out_of_bounds)?;
    chrono::DateTime::from_timestamp_micros(micros).ok_or_else(out_of_bounds)
}

/// The transaction's timestamp (`now()`), as a legacy 0.1.x declaration
/// without `as_of` reads.
pub(crate) fn transaction_timestamp() -> Result<TimestampWithTimeZone> {
    Spi::get_one::<TimestampWithTimeZone>("SELECT now()")
        .map_err(spi)?
        .ok_or_else(|| report(OdxError::DateOutOfBounds { field: "as_of" }))
}

/// The period of a console call read at `as_of`.
pub(crate) fn period(
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    as_of: TimestampWithTimeZone,
) -> Result<odx_core::Period> {
    Ok(odx_core::Period::new(date(from_date, "from_date")?, date(to_date, "to_date")?).at(Some(instant(as_of)?)))
}

/// The clinic ids of a call; a NULL element is refused (22004), never
/// silently dropped.
pub(crate) fn clinic_ids(clinic_ids: Array<i64>) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(clinic_ids.len());
    for id in clinic_ids.iter() {
        ids.push(id.ok_or_else(|| {
            ErrorReport::new(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, "clinic_ids must not contain NULL", "odx")
        })?);
    }
    // `bigint[]` accepts any number of dimensions; `ARRAY[[1,2],[3,4]]` is
    // not a list of branches, and flattening it would guess what was meant.
    let ndim = array_ndim(clinic_ids);
    if ndim > 1 {
        return Err(report(OdxError::InvalidArgument {
            field: "clinic_ids",
            message: format!("must be a one-dimensional array of branch ids, got {ndim} dimensions"),
        }));
    }
    Ok(ids)
}

/// The number of dimensions of an array argument (0 for `'{}'`).
///
/// An `unsafe` read (one of seven uses in the extension, with
/// `catalog_state`, `numeric`, the kept plans of `plans`, the rows of `rows`,
/// the `jsonb` of `answer` and the tuplestore of `table`):
/// pgrx 0.18 keeps `ndim` private.
#[allow(unsafe_code)]
fn array_ndim(array: Array<i64>) -> i32 {
    let header = array.into_array_type();
    // SAFETY: `into_array_type` hands back the pointer to the detoasted
    // `ArrayType` pgrx built `array` from: never null (the functions are
    // STRICT, so a NULL array never reaches here), palloc'd in the call's
    // memory context and deliberately not freed, so its fixed header is
    // readable for the rest of the call. Only the `ndim` field is read.
    unsafe { (*header).ndim }
}

/// The scope of a call read at `as_of`.
pub(crate) fn scope(
    ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    group_by: &str,
    as_of: TimestampWithTimeZone,
) -> Result<MetricScope> {
    let group_by: GroupBy = group_by.parse().map_err(report)?;
    period(from_date, to_date, as_of)?.scope(clinic_ids(ids)?, group_by).map_err(report)
}

/// The scope with the patients domain's active window.
pub(crate) fn with_window(scope: MetricScope, active_window_months: i32) -> Result<MetricScope> {
    scope.with_active_window_months(active_window_months.into()).map_err(report)
}

/// A domain computed, or what it misses.
pub(crate) use odx_sql::Outcome as Computed;

/// SPI as an odx [`Source`]: each statement runs in the calling query's
/// snapshot, its parameters bound by type.
pub(crate) struct SpiSource<'a, 'conn>(&'a SpiClient<'conn>);

impl Source for SpiSource<'_, '_> {
    type Error = ErrorReport;

    async fn rows(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        each: &mut Sink<'_>,
    ) -> std::result::Result<(), SourceError<ErrorReport>> {
        let args = params.iter().map(|p| datum(*p)).collect::<Result<Vec<_>>>().map_err(SourceError::Database)?;
        if odx_sql::kept_plan_fits(sql, params) {
            return plans::run_kept(self.0, sql, &args, each);
        }
        rows::run(self.0, sql, &args, each)
    }

    /// The schema's columns as this backend last read them, while it has
    /// processed no catalog invalidation since (Postgres counts them,
    /// `SharedInvalidMessageCounter`; pending ones are taken in first, so a
    /// change another session committed is seen); read anew otherwise. Never
    /// kept or reused in a transaction that has written (its own DDL is not
    /// announced until it commits, and may roll back), and not kept from a
    /// REPEATABLE READ or SERIALIZABLE transaction (its snapshot may predate a
    /// change it has already been told of). Saves the probe on every call of
    /// a warm backend (0.2-0.3 ms of a 2 ms overview).
    async fn columns(&self) -> std::result::Result<Columns, SourceError<ErrorReport>> {
        let (writing, seen, fresh_snapshot) = catalog_state();
        if !writing {
            let known = COLUMNS.with(|c| c.borrow().as_ref().filter(|(n, _)| *n == seen).map(|(_, v)| v.clone()));
            if let Some(known) = known {
                return Ok(known);
            }
        }
        let read = odx_sql::source::read_columns(self).await?;
        if !writing && fresh_snapshot {
            COLUMNS.with(|c| *c.borrow_mut() = Some((seen, read.clone())));
        }
        Ok(read)
    }
}

/// Where the backend stands on the catalog: whether its transaction has
/// written, how many catalog invalidations it has processed (the pending
/// ones taken in first), and whether its statements take fresh snapshots
/// (below REPEATABLE READ).
#[allow(unsafe_code)]
fn catalog_state() -> (bool, u64, bool) {
    // SAFETY: called from a SQL function, on the backend's own thread inside
    // a transaction: `AcceptInvalidationMessages` is what every lock
    // acquisition calls (pgrx guards the call), and the three globals are
    // plain backend-local values only this thread writes.
    unsafe {
        pg_sys::AcceptInvalidationMessages();
        (
            pg_sys::GetTopTransactionIdIfAny() != pg_sys::InvalidTransactionId,
            pg_sys::SharedInvalidMessageCounter,
            pg_sys::XactIsoLevel < pg_sys::XACT_REPEATABLE_READ as std::ffi::c_int,
        )
    }
}

thread_local! {
    /// The schema's columns this backend last read, with the count of
    /// catalog invalidations it had processed then (see `SpiSource::columns`).
    static COLUMNS: std::cell::RefCell<Option<(u64, Columns)>> = const { std::cell::RefCell::new(None) };
}

/// Runs a read of [`odx_sql::source`] over [`SpiSource`] (inside
/// `Spi::connect`). SPI answers at once, so the read finishes on its first
/// poll; one that did not would be a bug, reported as an internal error
/// rather than waited for.
pub(crate) fn block_on<T>(
    read: impl std::future::Future<Output = std::result::Result<T, SourceError<ErrorReport>>>,
) -> Result<T> {
    let mut read = std::pin::pin!(read);
    match read.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
        std::task::Poll::Ready(result) => result.map_err(source_error),
        std::task::Poll::Pending => Err(internal("odx: an SPI read did not finish at once".into())),
    }
}

/// `read!(f, args...)`: the read `odx_sql::source::f(&source, args...)`
/// through SPI, as a [`Result`].
macro_rules! read {
    ($f:ident $(, $arg:expr)* $(,)?) => {
        ::pgrx::spi::Spi::connect(|client| $crate::block_on(::odx_sql::source::$f(&$crate::SpiSource(client) $(, $arg)*)))
    };
}
pub(crate) use read;

/// A read's error as Postgres reports it.
fn source_error(e: SourceError<ErrorReport>) -> ErrorReport {
    match e {
        SourceError::Core(c) => report(c),
        SourceError::Database(report) => report,
        SourceError::Row(r) => row_error(r),
    }
}

/// Computes a domain of a scope: `A` is its accumulator. Postgres groups,
/// core finishes.
pub(crate) fn compute<A: DomainAcc>(scope: &MetricScope) -> Result<Computed<A::Report>> {
    Spi::connect(|client| block_on(odx_sql::source::compute::<A, _>(&SpiSource(client), scope)))
}

/// `{ "degraded": false, totals, groups, ... }` as core shapes it, or
/// `{ "degraded": true, "module": ..., "missing": [...], "totals": null, "groups": [] }`.
pub(crate) fn to_jsonb<R: Serialize + 'static>(
    module: impl Serialize + 'static,
    computed: Computed<R>,
) -> Result<Answer> {
    #[derive(Serialize)]
    struct Reported<R> {
        #[serde(flatten)]
        report: R,
        degraded: bool,
    }
    #[derive(Serialize)]
    struct Degraded<M> {
        module: M,
        missing: Vec<String>,
        totals: Option<()>,
        groups: [(); 0],
        degraded: bool,
    }
    match computed {
        Computed::Report(report) => Answer::of(Reported { report, degraded: false }),
        Computed::Degraded(missing) => {
            Answer::of(Degraded { module, missing, totals: None, groups: [], degraded: true })
        }
    }
}

/// A domain's report of `clinic_ids` over `from_date..=to_date` read at
/// `as_of`, as jsonb.
fn domain_jsonb<A: DomainAcc>(scope: MetricScope) -> Result<Answer>
where
    A::Report: 'static,
{
    to_jsonb(A::DOMAIN, compute::<A>(&scope)?)
}

/// Each domain's report of `clinic_ids` over `from_date..=to_date` read at
/// `as_of` (default `now()`) as jsonb, `odx_<domain>(clinic_ids, from_date,
/// to_date, group_by [, argument], as_of)`, from core's registry
/// ([`odx_core::domains!`]); what each computes is its `COMMENT`
/// (`comments.rs`). `odx_financial` and `odx_operations`, released in 0.1.x
/// without `as_of`, are written out below beside their 0.1.x forms.
macro_rules! domain_functions {
    ([] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
        $(domain_function!($module $acc $(+ $window)? $(#[$doc])*);)*
    };
}
macro_rules! domain_function {
    (financial $($rest:tt)*) => {};
    (operations $($rest:tt)*) => {};
    ($module:ident $acc:ident $(+ $window:ident)? $(#[$doc:meta])*) => {
        paste::paste! {
            $(#[$doc])*
            #[pg_extern(stable, parallel_safe)]
            fn [<odx_ $module>](
                clinic_ids: Array<i64>,
                from_date: pgrx::datum::Date,
                to_date: pgrx::datum::Date,
                group_by: default!(&str, "'clinic'"),
                $($window: default!(i32, 18),)?
                as_of: default!(TimestampWithTimeZone, "now()"),
            ) -> Result<Answer> {
                let scope = scope(clinic_ids, from_date, to_date, group_by, as_of)?;
                $(let scope = with_window(scope, $window)?;)?
                domain_jsonb::<odx_core::$acc>(scope)
            }
        }
    };
}
odx_core::domains!(domain_functions);

/// Financial KPIs (see [`odx_core::financial`]), `odx_financial(clinic_ids,
/// from_date, to_date, group_by, as_of)`.
#[pg_extern(stable, parallel_safe, name = "odx_financial")]
fn odx_financial_at(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    group_by: default!(&str, "'clinic'"),
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<Answer> {
    domain_jsonb::<odx_core::FinancialAcc>(scope(clinic_ids, from_date, to_date, group_by, as_of)?)
}

/// `odx_financial` as 0.1.x declared it (no `as_of`): what a database still
/// on 0.1.x calls once this library is installed, until `ALTER EXTENSION
/// odx UPDATE`; read as of the transaction's timestamp, the new default.
#[pg_extern(stable, parallel_safe, sql = false)]
fn odx_financial(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    group_by: &str,
) -> Result<Answer> {
    odx_financial_at(clinic_ids, from_date, to_date, group_by, transaction_timestamp()?)
}

/// Operations KPIs (see [`odx_core::operations`]), `odx_operations(clinic_ids,
/// from_date, to_date, group_by, as_of)`.
#[pg_extern(stable, parallel_safe, name = "odx_operations")]
fn odx_operations_at(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    group_by: default!(&str, "'clinic'"),
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<Answer> {
    domain_jsonb::<odx_core::OperationsAcc>(scope(clinic_ids, from_date, to_date, group_by, as_of)?)
}

/// `odx_operations` as 0.1.x declared it (see [`odx_financial`]).
#[pg_extern(stable, parallel_safe, sql = false)]
fn odx_operations(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    group_by: &str,
) -> Result<Answer> {
    odx_operations_at(clinic_ids, from_date, to_date, group_by, transaction_timestamp()?)
}

/// The AR aging bucket of an age in days (`0-30`, `31-60`, `61-90`, `90+`);
/// NULL for a negative age.
#[pg_extern(immutable, parallel_safe)]
fn odx_aging_bucket(days: i32) -> Option<&'static str> {
    AgingBucket::from_age_days(days.into()).map(AgingBucket::label)
}

/// The first instant of local date `day` in `time_zone` (a clinic's
/// `clinics.timezone`; blank means Asia/Karachi), exactly as odx cuts days:
/// local midnight, or the first instant after a daylight-saving gap. Since 0.1.1.
#[pg_extern(immutable, parallel_safe)]
fn odx_day_start(time_zone: &str, day: pgrx::datum::Date) -> Result<TimestampWithTimeZone> {
    let tz = odx_core::calendar::parse_time_zone(0, time_zone).map_err(|_| {
        ErrorReport::new(
            PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            format!("unknown time zone {time_zone:?}: expected an IANA name such as Asia/Karachi"),
            "odx",
        )
    })?;
    timestamptz(odx_core::calendar::local_midnight(tz, date(day, "day")?), "day")
}

/// An instant as a Postgres `timestamptz`; `field` names the argument it
/// came from when it is outside Postgres's range.
/// A statement parameter as SPI binds it.
fn datum(value: Param<'_>) -> Result<DatumWithOid<'static>> {
    Ok(match value {
        Param::Ids(v) => v.to_vec().into(),
        Param::Texts(v) => v.to_vec().into(),
        Param::Text(v) => v.to_owned().into(),
        Param::Id(v) => v.into(),
        Param::Bool(v) => v.into(),
        Param::Instant(t, field) => timestamptz(t, field)?.into(),
        Param::Instants(v, field) => v.iter().map(|t| timestamptz(*t, field)).collect::<Result<Vec<_>>>()?.into(),
    })
}

fn timestamptz(t: chrono::DateTime<chrono::Utc>, field: &'static str) -> Result<TimestampWithTimeZone> {
    // Postgres counts microseconds from 2000-01-01 00:00 UTC.
    const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
    TimestampWithTimeZone::try_from(t.timestamp_micros() - PG_EPOCH_MICROS)
        .map_err(|_| report(OdxError::DateOutOfBounds { field }))
}

/// `d` as a `numeric`, exactly, its display scale `d`'s scale (`12.50`
/// stays `12.50`, as `numeric_in` of `d`'s text would give).
///
/// Built from `d`'s integer mantissa and scale by Postgres' own
/// `int64_div_fast_to_numeric` (`m / 10^scale`, no rounding: the digits
/// are shifted), not by printing `d` and parsing the text: a mantissa of
/// up to 96 bits is split at 10^18 into two `int64`s, and the two parts
/// added (`numeric_add` keeps the larger display scale, the mantissa's).
/// On the benchmark data this was 3% of the overview as rows (82
/// `numeric`s a call) through the text. An `unsafe` use (one of seven in
/// the extension, with `array_ndim`, `catalog_state`, the kept plans of
/// `plans`, the rows of `rows`, the `jsonb` of `answer` and the tuplestore
/// of `table`): pgrx 0.18
/// builds an `AnyNumeric` only from text or a primitive.
#[allow(unsafe_code)]
pub(crate) fn numeric(d: Decimal) -> Result<AnyNumeric> {
    const SPLIT: i128 = 1_000_000_000_000_000_000;
    // 28 at most (rust_decimal's limit), and 96 bits of mantissa: `high`
    // is below 2^96 / 10^18 < 8 * 10^10, `low` below 10^18, both int64.
    let scale = std::ffi::c_int::try_from(d.scale()).map_err(|_| internal(format!("odx: numeric {d}: scale")))?;
    let mantissa = d.mantissa();
    let (high, low) = (mantissa / SPLIT, mantissa % SPLIT);
    let (Ok(high), Ok(low)) = (i64::try_from(high), i64::try_from(low)) else {
        return Err(internal(format!("odx: numeric {d}: mantissa")));
    };
    // SAFETY: both functions only read their integer arguments and return
    // a new numeric palloc'd in the current memory context (pgrx guards the
    // calls: an ERROR, out of memory, becomes this function's ERROR);
    // `numeric_add_opt_error` reads its two numerics, alive here, and sets
    // `overflow` instead of raising (no sum of these magnitudes overflows).
    // The datum handed to `from_polymorphic_datum` is that non-null numeric,
    // which it copies.
    unsafe {
        let mut number = pg_sys::int64_div_fast_to_numeric(low, scale);
        if high != 0 {
            let high = pg_sys::int64_div_fast_to_numeric(high, scale - 18);
            let mut overflow = false;
            number = pg_sys::numeric_add_opt_error(high, number, &mut overflow);
            if overflow {
                return Err(internal(format!("odx: numeric {d}: overflow")));
            }
        }
        AnyNumeric::from_polymorphic_datum(pg_sys::Datum::from(number), false, pg_sys::NUMERICOID)
            .ok_or_else(|| internal(format!("odx: numeric {d}: null")))
    }
}

pub(crate) fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
