//! The TypeScript shapes of the arguments and results, for `index.d.ts`.
//! Arguments arrive as plain JSON and are checked field by field in
//! [`crate::args`]; these structs only declare the shapes to TypeScript.

use napi_derive::napi;
use serde_json::Value;

/// What every report call takes.
#[napi(object)]
pub struct ScopeParams {
    /// The branches (clinic ids).
    pub clinic_ids: Vec<i64>,
    /// First local date, `YYYY-MM-DD`.
    pub from: String,
    /// Last local date, `YYYY-MM-DD` (balances are as of its end).
    pub to: String,
    /// `clinic` (default), `doctor` or `none`.
    pub group_by: Option<String>,
    /// The principal's branches: any other requested branch is refused with
    /// `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
}

/// `validateScope`'s answer.
#[napi(object)]
pub struct ValidScope {
    /// The branches, ascending, without duplicates.
    pub clinic_ids: Vec<i64>,
    /// First local date.
    pub from: String,
    /// Last local date.
    pub to: String,
    /// The grouping.
    pub group_by: String,
    /// Days in the range.
    pub days: i64,
}

/// `Engine.connect`'s options.
#[napi(object)]
pub struct EngineOptions {
    /// Pool size (default 8).
    pub max_connections: Option<u32>,
    /// Time limit in ms of each statement, of each call, and of a call's wait
    /// for a free connection under load (default 30000).
    pub query_timeout_ms: Option<u32>,
    /// Time limit to reach the database in ms (default 5000).
    pub connect_timeout_ms: Option<u32>,
}

/// A report: money as decimal strings, rates as numbers or null, dates as
/// `YYYY-MM-DD`. Degraded when a table or column is missing: then `module`
/// and `missing` say what, `totals` is null and `perBranch` empty.
#[napi(object)]
pub struct Report {
    /// Whether a table or column the module reads is missing.
    pub degraded: bool,
    /// The module, when degraded.
    pub module: Option<String>,
    /// The missing relations (`app.table` or `app.table.column`), when degraded.
    pub missing: Option<Vec<String>>,
    /// First local date.
    pub from: Option<String>,
    /// Last local date.
    pub to: Option<String>,
    /// The grouping.
    pub group_by: Option<String>,
    /// The branches of the scope.
    pub clinic_ids: Option<Vec<i64>>,
    /// The network's metrics, from merged facts.
    pub totals: Option<Value>,
    /// One row per branch (or per branch and doctor).
    pub per_branch: Vec<Value>,
}
