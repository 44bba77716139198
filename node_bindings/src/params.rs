//! The TypeScript shapes of the addon's own arguments (and `validateScope`'s
//! answer), for `index.d.ts`. Arguments arrive as plain JSON and are checked
//! field by field in `args.rs`. What the calls answer is declared from
//! core's own types (`odx_core::typescript`, the head of `index.d.ts`):
//! nothing here mirrors a core report.

use napi_derive::napi;
use serde_json::Value;

/// What every report call takes.
#[napi(object)]
pub struct ScopeParams {
    /// The branches (clinic ids).
    pub clinic_ids: Vec<i64>,
    /// First local date, `YYYY-MM-DD`.
    pub from: String,
    /// Last local date, `YYYY-MM-DD` (balances are as of its end, or of
    /// `asOf` when that is earlier).
    pub to: String,
    /// `clinic` (default), `doctor` or `none`.
    #[napi(ts_type = "'clinic' | 'doctor' | 'none'")]
    pub group_by: Option<String>,
    /// The principal's branches: any other requested branch is refused with
    /// `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
    /// The patients domain's active window in months, 1 to 120 (default 18).
    pub active_window_months: Option<u32>,
    /// The instant the report is read at: an ISO 8601 instant with its
    /// offset (`new Date().toISOString()`) or epoch milliseconds (default: the
    /// call's time). A period still in progress at it is read as of it; the
    /// report states the `asOf` it used.
    #[napi(ts_type = "string | number | null")]
    pub as_of: Option<Value>,
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
    #[napi(ts_type = "'clinic' | 'doctor' | 'none'")]
    pub group_by: String,
    /// Days in the range.
    pub days: i64,
    /// The patients domain's active window in months.
    pub active_window_months: u32,
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
    /// How many connections one call may read on at once (default 3; 1
    /// reads every statement on one connection). A call's independent
    /// statements run on idle connections of the pool that share its
    /// snapshot; it never waits for one, and the pool keeps this many open.
    pub statement_concurrency: Option<u32>,
}

/// What the console calls of an organization take.
#[napi(object)]
pub struct ConsoleParams {
    /// The organization.
    pub organization_id: i64,
    /// First local date, `YYYY-MM-DD`.
    pub from: String,
    /// Last local date, `YYYY-MM-DD` (balances and the month to date are as
    /// of its end, or of `asOf` when that is earlier).
    pub to: String,
    /// Some of its branches (default: all of them); one that is not its
    /// branch is refused with `ODX_FORBIDDEN_SCOPE`.
    pub clinic_ids: Option<Vec<i64>>,
    /// The principal's branches: any other is refused with `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
    /// The instant the report is read at: an ISO 8601 instant with its
    /// offset (`new Date().toISOString()`) or epoch milliseconds (default: the
    /// call's time). A period still in progress at it is read as of it; the
    /// report states the `asOf` it used.
    #[napi(ts_type = "string | number | null")]
    pub as_of: Option<Value>,
    /// The least volume a rate target is judged on (each absent: 20
    /// appointments, 10 invoices, 40 capacity hours); below it the
    /// evaluation is `insufficient_data`, never an alert.
    #[napi(ts_type = "{ appointments?: number; invoices?: number; capacityHours?: number } | null")]
    pub min_volume: Option<Value>,
}

/// What `insightsScope` takes.
#[napi(object)]
pub struct UserScopeParams {
    /// The user.
    pub user_id: i64,
    /// The organization (needed only for a user with console roles in several).
    pub organization_id: Option<i64>,
    /// Narrow the scope to this branch.
    pub focus_clinic_id: Option<i64>,
    /// Narrow the scope to its branches in this city (trimmed,
    /// case-insensitive; a city with none of them is `ODX_FORBIDDEN_SCOPE`).
    pub focus_city: Option<String>,
}

/// What `authorize` takes.
#[napi(object)]
pub struct AuthorizeParams {
    /// The user.
    pub user_id: i64,
    /// What the user asks to do.
    #[napi(
        ts_type = "{ action: 'clinic_admin'; permission: string } | { action: 'open_module'; module: 'overview' | \
                      'analytics' | 'branch_management' | 'staff_permissions' | 'shared_templates' | 'billing' } | { \
                      action: 'view_insights' | 'view_template' | 'create_template' | 'edit_template' | \
                      'delete_template' | 'change_plan' | 'set_role_defaults' }"
    )]
    pub action: Value,
    /// What it is about.
    #[napi(ts_type = "{ kind: 'clinic'; clinicId: number } | { kind: 'organization'; organizationId: number } | { \
                      kind: 'template'; organizationId: number; clinicId?: number | null }")]
    pub resource: Value,
}

/// What `benchmark` takes: a console request and the branch benchmarked.
#[napi(object)]
pub struct BenchmarkParams {
    /// The organization.
    pub organization_id: i64,
    /// The branch benchmarked (must be allowed).
    pub clinic_id: i64,
    /// First local date, `YYYY-MM-DD`.
    pub from: String,
    /// Last local date, `YYYY-MM-DD`.
    pub to: String,
    /// The branches compared (default: all of the organization's).
    pub clinic_ids: Option<Vec<i64>>,
    /// The principal's branches: `clinicId` must be one of them.
    pub allowed_clinic_ids: Option<Vec<i64>>,
    /// The instant the report is read at: an ISO 8601 instant with its
    /// offset (`new Date().toISOString()`) or epoch milliseconds (default: the
    /// call's time). A period still in progress at it is read as of it; the
    /// report states the `asOf` it used.
    #[napi(ts_type = "string | number | null")]
    pub as_of: Option<Value>,
}

/// What `networkOverview` takes.
#[napi(object)]
pub struct OverviewParams {
    /// The organization.
    pub organization_id: i64,
    /// The day, `YYYY-MM-DD` (each branch's local date).
    pub date: String,
    /// Some of its branches (default: all of them).
    pub clinic_ids: Option<Vec<i64>>,
    /// The principal's branches: any other is refused with `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
}

/// What `compare` takes: a scope and the domain compared (`groupBy` is
/// ignored: a comparison is always by branch).
#[napi(object)]
pub struct CompareParams {
    /// The domain.
    #[napi(
        ts_type = "'financial' | 'operations' | 'accounting' | 'lab' | 'staff' | 'clinical' | 'patients' | 'inventory'"
    )]
    pub domain: String,
    /// The branches (clinic ids).
    pub clinic_ids: Vec<i64>,
    /// First local date, `YYYY-MM-DD`.
    pub from: String,
    /// Last local date, `YYYY-MM-DD`; the previous period ends the day
    /// before `from` and has as many days.
    pub to: String,
    /// The principal's branches: any other requested branch is refused with
    /// `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
    /// The patients domain's active window in months, 1 to 120 (default 18).
    pub active_window_months: Option<u32>,
    /// The instant the report is read at: an ISO 8601 instant with its
    /// offset (`new Date().toISOString()`) or epoch milliseconds (default: the
    /// call's time). A period still in progress at it is read as of it; the
    /// report states the `asOf` it used.
    #[napi(ts_type = "string | number | null")]
    pub as_of: Option<Value>,
}

/// What the forecasts take.
#[napi(object)]
pub struct ForecastParams {
    /// The branches (clinic ids).
    pub clinic_ids: Vec<i64>,
    /// The last day of data, `YYYY-MM-DD`.
    pub as_of: String,
    /// The principal's branches: any other requested branch is refused with
    /// `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
}

/// One statement of a [`crate::Plan`] round, for the caller's own client:
/// `client.query(s.text, s.values)` (`pg`) or `sql.unsafe(s.text, s.values)`
/// (postgres.js).
#[napi(object)]
pub struct Statement {
    /// The SQL text, parameters `$1`, `$2` ... (each cast in the text).
    pub text: String,
    /// The values in order: `bigint[]` as an array of numbers, `text[]` as
    /// an array of strings, `timestamptz` as an RFC 3339 string, `bigint`,
    /// `bool` and `text` as themselves.
    pub values: Vec<Value>,
    /// The Postgres type of each value (`bigint[]`, `text[]`, `text`,
    /// `bigint`, `bool`, `timestamptz`).
    pub types: Vec<String>,
}
