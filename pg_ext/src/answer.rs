//! The `jsonb` every odx function returns, written straight from core's
//! report.
//!
//! pgrx's `JsonB` holds a `serde_json::Value`: a report went through a tree
//! of maps and strings (one allocation per key and value), then to text,
//! then through `jsonb_in`. [`Answer`] writes the report's text once and
//! hands it to `jsonb_in`: the same `jsonb`, without the tree (the
//! overview, 2,000 calls in one backend on the benchmark data: 1.09 ms a
//! call with `JsonB`, 1.04 ms with this). One of the extension's six
//! `unsafe` uses: pgrx's safe `JsonB` takes only a `serde_json::Value`.

use crate::{internal, Result};
use pgrx::callconv::{BoxRet, FcInfo};
use pgrx::pg_sys;
use pgrx::pgrx_sql_entity_graph::metadata::{
    ArgumentError, ReturnsError, ReturnsRef, SqlMappingRef, SqlTranslatable, TypeOrigin,
};
use pgrx::IntoDatum;
use serde::Serialize;
use std::ffi::CString;

/// A function's answer: JSON text that becomes `jsonb` when returned.
pub(crate) struct Answer(CString);

impl Answer {
    /// `value` as JSON text.
    ///
    /// # Errors
    /// Internal (XX000) if `value` does not serialize (a map with a key that
    /// is not a string): a bug, never bad input.
    pub(crate) fn of(value: &impl Serialize) -> Result<Answer> {
        let mut text = Vec::with_capacity(1024);
        serde_json::to_writer(&mut text, value).map_err(|e| internal(format!("odx: {e}")))?;
        // serde_json escapes U+0000 in strings (`\u0000`): its text has no
        // NUL byte, so this never fails.
        CString::new(text).map(Answer).map_err(|e| internal(format!("odx: {e}")))
    }
}

impl IntoDatum for Answer {
    #[allow(unsafe_code)]
    fn into_datum(self) -> Option<pg_sys::Datum> {
        // SAFETY: what pgrx's own `JsonB` does: `jsonb_in` takes a
        // NUL-terminated C string, which `self.0` is and outlives the call;
        // a parse error (never, for serde_json's text) is a Postgres ERROR
        // pgrx's guard turns into a transaction abort, not a crash.
        unsafe { pgrx::direct_function_call_as_datum(pg_sys::jsonb_in, &[Some(self.0.as_ptr().into())]) }
    }

    fn type_oid() -> pg_sys::Oid {
        pg_sys::JSONBOID
    }
}

// SAFETY: an `Answer` is returned as the `jsonb` datum `into_datum` makes,
// the way pgrx returns its own `JsonB` (its `impl_repackage_into_datum!`).
#[allow(unsafe_code)]
unsafe impl BoxRet for Answer {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> pgrx::datum::Datum<'fcx> {
        match self.into_datum() {
            // SAFETY: the datum is a `jsonb` made in the call's memory context.
            Some(datum) => unsafe { fcinfo.return_raw_datum(datum) },
            None => fcinfo.return_null(),
        }
    }
}

// SAFETY: the SQL type is `jsonb`, the type of the datum it returns.
#[allow(unsafe_code)]
unsafe impl SqlTranslatable for Answer {
    const TYPE_IDENT: &'static str = pgrx::pgrx_resolved_type!(Answer);
    const TYPE_ORIGIN: TypeOrigin = TypeOrigin::External;
    const ARGUMENT_SQL: std::result::Result<SqlMappingRef, ArgumentError> = Ok(SqlMappingRef::literal("jsonb"));
    const RETURN_SQL: std::result::Result<ReturnsRef, ReturnsError> =
        Ok(ReturnsRef::One(SqlMappingRef::literal("jsonb")));
}
