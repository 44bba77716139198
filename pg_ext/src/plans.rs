//! The backend's kept plans of odx's statements.
//!
//! A statement whose plan fits every call ([`odx_sql::kept_plan_fits`]: the
//! fixed lookups, and the overview's day, always one day wide) is prepared
//! once per backend and kept (`SPI_keepplan`): a call no longer parses,
//! analyzes and plans it anew, and Postgres' plan cache chooses between
//! custom and generic plans as it does for any prepared statement,
//! replanning after DDL.
//!
//! Prepared with `CURSOR_OPT_PARALLEL_OK`, as `SPI_execute_with_args` plans a
//! statement for one call and as `PREPARE` does: a plan prepared through
//! `SPI_prepare` (pgrx's `SpiClient::prepare`) never runs parallel workers,
//! and without an index on `starts_at`/`issued_at` the overview's day is a
//! scan of the whole tables (benchmark data, primary keys only: kept without
//! the option 186 ms, with it 40 ms, planned per call 42 ms). pgrx 0.18 has
//! no call that takes cursor options, so this module calls SPI itself: one
//! of the extension's seven `unsafe` uses (with `array_ndim`,
//! `catalog_state`, `numeric`, the rows of `rows`, the `jsonb` of `answer`
//! and the tuplestore of `table`).

use crate::internal;
use crate::rows::{args_of, feed_result, READ_ONLY};
use odx_sql::source::{Sink, SourceError};
use pgrx::datum::DatumWithOid;
use pgrx::pg_sys;
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::spi::SpiClient;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_int, c_long, CString};
use std::ptr::NonNull;

/// A kept plan: `SPI_keepplan` moved it under the backend's cache memory
/// context, so it lives until the backend exits (the set is bounded:
/// odx's statements are `'static` texts, one plan per text and parameter
/// types). Never freed.
#[derive(Clone, Copy)]
struct Kept(NonNull<pg_sys::_SPI_plan>);

thread_local! {
    static PLANS: RefCell<HashMap<(&'static str, Vec<pg_sys::Oid>), Kept>> = RefCell::new(HashMap::new());
}

/// Runs `sql` with `args` on its kept plan (prepared on first use), each
/// row to `each`. `_client` is the proof that SPI is connected.
#[allow(unsafe_code)]
pub(crate) fn run_kept(
    _client: &SpiClient<'_>,
    sql: &'static str,
    args: &[DatumWithOid<'_>],
    each: &mut Sink<'_>,
) -> Result<(), SourceError<ErrorReport>> {
    let plan = kept(sql, args).map_err(SourceError::Database)?;
    let (_, (mut values, nulls)) = args_of(args);
    // SAFETY: SPI is connected (`_client`); `plan` is a kept plan of this
    // backend with `args.len()` parameters of the types of `args` (its key),
    // and `values`/`nulls` hold that many entries, alive for the call. A
    // Postgres ERROR raised inside becomes a Rust panic at pgrx's guarded
    // FFI boundary, reported as that ERROR by the function's wrapper.
    let status = unsafe {
        pg_sys::SPI_execute_plan(plan.0.as_ptr(), values.as_mut_ptr(), nulls.as_ptr(), READ_ONLY, 0 as c_long)
    };
    // SAFETY: the status of the read just run.
    unsafe { feed_result(status, each) }
}

/// The kept plan of `sql` with the types of `args`, prepared on first use.
#[allow(unsafe_code)]
fn kept(sql: &'static str, args: &[DatumWithOid<'_>]) -> Result<Kept, ErrorReport> {
    let key = (sql, args.iter().map(DatumWithOid::oid).collect::<Vec<_>>());
    if let Some(plan) = PLANS.with(|plans| plans.borrow().get(&key).copied()) {
        return Ok(plan);
    }
    let text = CString::new(sql).map_err(|_| internal("odx: a statement with a NUL byte".into()))?;
    let mut types = key.1.clone();
    let nargs = c_int::try_from(types.len()).map_err(|_| internal("odx: too many parameters".into()))?;
    // SAFETY: SPI is connected (the caller's `SpiClient`); `text` is a
    // NUL-terminated statement and `types` holds `nargs` type oids, both
    // alive for the call. A syntax or catalog error raises a Postgres ERROR,
    // which pgrx's guarded boundary turns into the function's ERROR.
    let plan = unsafe {
        pg_sys::SPI_prepare_cursor(text.as_ptr(), nargs, types.as_mut_ptr(), pg_sys::CURSOR_OPT_PARALLEL_OK as c_int)
    };
    let Some(plan) = NonNull::new(plan) else {
        // SAFETY: a backend-local int SPI sets when a call fails.
        let code = unsafe { pg_sys::SPI_result };
        return Err(internal(format!("odx: SPI could not prepare a statement (SPI code {code})")));
    };
    // SAFETY: `plan` was just prepared and is not kept yet.
    if unsafe { pg_sys::SPI_keepplan(plan.as_ptr()) } != 0 {
        return Err(internal("odx: SPI could not keep a plan".into()));
    }
    let plan = Kept(plan);
    PLANS.with(|plans| plans.borrow_mut().insert(key, plan));
    Ok(plan)
}
