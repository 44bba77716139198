//! A table function's rows, returned in one call.
//!
//! pgrx's own `TableIterator` returns one row per call (`ValuePerCall`), and
//! Postgres runs the whole function-call machinery for each of them: with
//! the extension's pinned `search_path` (a `SET` clause), it sets and
//! restores the setting once per row plus once more for the end of the set.
//! This `TableIterator` hands Postgres every row in the first call, in a
//! tuplestore (`SFRM_Materialize`, as `jsonb_each` and `pg_stat_activity`
//! do): the setting is applied once per call, whatever the number of rows.
//! The rows are computed in full before the first one is returned either
//! way (core finishes a report, then it becomes rows).
//!
//! The type keeps pgrx's name because pgrx's `#[pg_extern]` reads a table
//! function's column names from the `name!` items of a return type whose
//! last path segment is `TableIterator`; the SQL it declares is unchanged
//! (`RETURNS TABLE (...)`), and so is the `C` symbol, so a database on an
//! earlier version of the extension calls these functions without an
//! update script. One of the extension's seven `unsafe` uses.

use pgrx::callconv::{CallCx, RetAbi};
use pgrx::pg_sys;
use pgrx::IntoHeapTuple;

/// The rows of a table function, returned to Postgres in one call. Rows of
/// two columns or more: pgrx declares a one-column table as `SETOF` its
/// type, not a row type, and a one-element tuple is no `IntoHeapTuple`, so
/// such a function does not build.
pub struct TableIterator<Row> {
    rows: std::vec::IntoIter<Row>,
}

impl<Row> TableIterator<Row> {
    pub fn new(rows: impl IntoIterator<Item = Row>) -> Self {
        Self { rows: rows.into_iter().collect::<Vec<_>>().into_iter() }
    }
}

impl<Row> Iterator for TableIterator<Row> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        self.rows.next()
    }
}

/// The materialize protocol: the function body runs in the caller's memory
/// context (a short-lived one Postgres resets after the call); its rows are
/// copied into a tuplestore Postgres allocated for the query
/// (`InitMaterializedSRF`, which also refuses a caller that cannot take a
/// set, as a C function's would). The returned datum is ignored.
#[allow(unsafe_code)]
// SAFETY: `box_ret_in_fcinfo` follows the materialize protocol of a
// set-returning function (funcapi.h): the tuplestore and descriptor are
// Postgres' own, each tuple is formed for that descriptor and copied in.
unsafe impl<Row> RetAbi for TableIterator<Row>
where
    Row: RetAbi + IntoHeapTuple,
{
    type Item = Row;
    type Ret = Self;

    unsafe fn check_fcinfo_and_prepare(_fcinfo: pg_sys::FunctionCallInfo) -> CallCx {
        // SAFETY: reads the backend's current memory context.
        CallCx::WrappedFn(unsafe { pg_sys::CurrentMemoryContext })
    }

    fn to_ret(self) -> Self {
        self
    }

    unsafe fn box_ret_in_fcinfo(fcinfo: pg_sys::FunctionCallInfo, ret: Self) -> pg_sys::Datum {
        // SAFETY: `fcinfo` is the call's (the caller's contract). After
        // `InitMaterializedSRF` (which raises an ERROR, not returns, when the
        // caller cannot take a tuplestore) `resultinfo` is a `ReturnSetInfo`
        // whose `setResult` and `setDesc` are set for the function's declared
        // row type, which `Row` is (pgrx declared the function from it).
        unsafe {
            pg_sys::InitMaterializedSRF(fcinfo, 0);
            let rsinfo = (*fcinfo).resultinfo.cast::<pg_sys::ReturnSetInfo>();
            let (store, desc) = ((*rsinfo).setResult, (*rsinfo).setDesc);
            for row in ret.rows {
                let tuple = row.into_heap_tuple(desc);
                pg_sys::tuplestore_puttuple(store, tuple);
                pg_sys::heap_freetuple(tuple);
            }
            (*fcinfo).isnull = true;
        }
        pg_sys::Datum::from(0)
    }

    unsafe fn fill_fcinfo_fcx(&self, _fcinfo: pg_sys::FunctionCallInfo) {}

    unsafe fn move_into_fcinfo_fcx(self, _fcinfo: pg_sys::FunctionCallInfo) {}
}
