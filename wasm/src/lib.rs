//! # odx in WebAssembly
//!
//! The same engine as the Node addon, for a runtime that cannot load a
//! native addon (a Cloudflare Worker): odx-js's JavaScript surface (the
//! pure reads over rows, `plan`/`finish` with the caller's own database
//! client, target checks, CSV) through wasm-bindgen. Nothing is computed
//! here: every function converts JSON text in, calls odx-js, and writes
//! JSON text out.
//!
//! Values cross as JSON text, written and read by the package's JavaScript
//! wrapper (`node_bindings/wasm/odx.mjs`) with `JSON.stringify` and
//! `JSON.parse`, exactly as the addon reads its arguments, so both see the
//! same JSON. A failure is thrown as the JSON text of `{ code, message }`,
//! which the wrapper rethrows as an `Error` with that `code`: the same
//! `ODX_*` codes as the addon. The clock is JavaScript's: `now_ms` is
//! `Date.now()`, read by the wrapper for a read without `asOf`.
//!
//! A panic would trap the isolate: none is reachable from any input (odx-js
//! and core return errors; the bad-input and property suites run against
//! this build), and the crate denies `unwrap`, `expect` and `panic!`.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use chrono::{DateTime, Utc};
use odx_js::Fault;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

type Result<T> = std::result::Result<T, JsValue>;

/// A fault as the value thrown: the JSON text of `{ code, message }`.
fn thrown(f: Fault) -> JsValue {
    JsValue::from_str(&json!({ "code": f.code(), "message": f.message() }).to_string())
}

/// An argument's JSON text (`undefined` arrives as `None`).
fn arg(text: Option<String>, what: &str) -> Result<Option<Value>> {
    text.map(|t| serde_json::from_str(&t).map_err(|e| thrown(Fault::invalid(format!("{what}: {e}"))))).transpose()
}

/// The instant of `Date.now()`.
fn instant(now_ms: f64) -> Result<DateTime<Utc>> {
    let whole = now_ms.is_finite() && now_ms.fract() == 0.0 && now_ms.abs() < 9_007_199_254_740_992.0;
    whole
        .then(|| DateTime::from_timestamp_millis(now_ms as i64))
        .flatten()
        .ok_or_else(|| thrown(Fault::invalid(format!("now: {now_ms} is not an instant in epoch milliseconds"))))
}

/// An answer as JSON text.
fn text(r: odx_js::Result<Value>) -> Result<String> {
    r.map(|v| v.to_string()).map_err(thrown)
}

/// A validated scope (see the addon's `validateScope`).
#[wasm_bindgen(js_name = validateScope)]
pub fn validate_scope(params: Option<String>, now_ms: f64) -> Result<String> {
    text(odx_js::validate_scope(arg(params, "params")?, instant(now_ms)?))
}

/// A pure read over rows the caller holds: `read` a domain, `command`,
/// `digest`, `benchmark`, `networkOverview`, `insightsScope`, `authorize`,
/// `forecastRevenue`, `forecastNoShows`, `forecastChurn` or `compare`.
#[wasm_bindgen(js_name = overRows)]
pub fn over_rows(read: &str, rows: Option<String>, params: Option<String>, now_ms: f64) -> Result<String> {
    let params = arg(params, "params")?;
    // The rows' text goes straight into core's rows (no JSON value between).
    text(odx_js::over_rows(read, rows.as_deref(), params, instant(now_ms)?))
}

/// Any per-branch table as CSV text (see the addon's `toCsv`).
#[wasm_bindgen(js_name = toCsv)]
pub fn to_csv(table: Option<String>, kind: Option<String>) -> Result<String> {
    odx_js::to_csv(arg(table, "table")?, kind).map_err(thrown)
}

/// A target set checked against the organization's branches (see the
/// addon's `checkTargets`).
#[wasm_bindgen(js_name = checkTargets)]
pub fn check_targets(targets: Option<String>, branches: Option<String>) -> Result<String> {
    let branches = arg(branches, "branches")?;
    text(odx_js::check_targets(arg(targets, "targets")?, branches))
}

/// A read with the caller's own database client (see the addon's `plan`).
#[wasm_bindgen]
pub struct Plan {
    inner: odx_js::Plan,
}

#[wasm_bindgen]
impl Plan {
    /// The statements of the next round as JSON text (`[]` once done).
    #[wasm_bindgen(getter)]
    pub fn statements(&self) -> Result<String> {
        text(odx_js::statements(&self.inner))
    }

    /// Whether the answer is known.
    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.inner.answer().is_some()
    }

    /// Folds the JSON text of the rows of `statements` (one array of row
    /// objects per statement, in order): the answer's JSON text, or `null`
    /// when another round is needed.
    pub fn finish(&mut self, rows: Option<String>) -> Result<String> {
        text(odx_js::finish(&mut self.inner, arg(rows, "rows")?))
    }
}

/// The plan of `read` for the JSON text of `params` (refused here, before
/// any statement, as the addon refuses it).
#[wasm_bindgen]
pub fn plan(read: Option<String>, params: Option<String>, now_ms: f64) -> Result<Plan> {
    let params = arg(params, "params")?;
    odx_js::plan(read, params, instant(now_ms)?).map(|inner| Plan { inner }).map_err(thrown)
}
