//! Bring your own client: every read of [`crate::source`] as statements a
//! caller runs with its own database client, and the answer folded from the
//! rows it fetched. No I/O here, no driver: a [`Plan`] hands out
//! [`Statement`]s (SQL text and typed values, `$1`, `$2` ... in order), the
//! caller runs them (with `pg`, `postgres.js`, a Worker's driver ...) and
//! gives the rows back; when nothing more is needed the plan holds the same
//! answer the extension and the engine give, computed by the same code.
//!
//! How: the read runs over a source that answers from the rows given so
//! far. A statement it has no rows for is handed out, and the read goes on
//! as if it had returned none, so the statements that do not depend on it
//! are handed out in the same round (the scope's statements, once the
//! clinics' time zones are known). An answer only ever comes from a run in
//! which every statement was answered by the caller's rows, matched by its
//! exact text and values; a guess on the way only decides what is asked
//! next. A domain takes three rounds (the schema's columns; the clinics;
//! the domain's statements), a console read-out four.
//!
//! Run the rounds of one plan in one read-only `REPEATABLE READ`
//! transaction, as the engine does, so they see one snapshot.

use crate::console::{Outcome, USER_READS};
use crate::decode::{Row, RowError};
use crate::queries::Param;
use crate::source::{self, Sink, Source, SourceError};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use odx_core::targets::MinVolume;
use odx_core::{Domain, MetricScope, OdxError, Period};
use serde::Serialize;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;

/// A read: what a report, a console read-out or a policy answer needs to
/// know. The same requests the extension's functions and the engine's
/// methods take.
#[derive(Debug, Clone)]
pub enum Request {
    /// A domain's report of a scope.
    Report(Domain, MetricScope),
    /// A domain's report against the previous period (and months).
    Compare(Domain, MetricScope),
    /// The Command Center.
    Command(OrgRead),
    /// The digest facts.
    Digest(OrgRead),
    /// One branch (`clinic_id`) benchmarked against the others.
    Benchmark(OrgRead, i64),
    /// The network overview of the period's `to` day.
    Overview(OrgRead),
    /// The month-end revenue forecast at a date.
    ForecastRevenue(Vec<i64>, NaiveDate),
    /// The no-show risk after a date.
    ForecastNoShows(Vec<i64>, NaiveDate),
    /// The churn list at a date.
    ForecastChurn(Vec<i64>, NaiveDate),
    /// A user's console scope.
    InsightsScope(UserRead),
    /// One permission decision (`action` and `resource` as JSON).
    Authorize(UserRead, String, String),
}

/// The organization-wide arguments of a console read-out.
#[derive(Debug, Clone)]
pub struct OrgRead {
    /// The organization.
    pub organization_id: i64,
    /// Some of its branches, or all (`None`).
    pub clinic_ids: Option<Vec<i64>>,
    /// The principal's clinics, when given.
    pub allowed: Option<Vec<i64>>,
    /// The period and its as-of instant.
    pub period: Period,
    /// The least volumes rate targets are judged on (`None`: defaults).
    pub min_volume: Option<MinVolume>,
}

/// The arguments of a policy answer.
#[derive(Debug, Clone)]
pub struct UserRead {
    /// The user.
    pub user_id: i64,
    /// The organization asked for.
    pub organization_id: Option<i64>,
    /// The focus branch.
    pub focus: Option<i64>,
    /// The focus city.
    pub city: Option<String>,
}

/// How an answer is written: the extension's JSON (snake_case, rates as
/// decimal strings) or JavaScript's ([`odx_core::wire::to_javascript`]).
pub trait Shape {
    /// `value` in this shape.
    ///
    /// # Errors
    /// The serializer's.
    fn json<T: Serialize>(&self, value: &T) -> serde_json::Result<Value>;
}

/// The extension's JSON.
#[derive(Debug, Clone, Copy)]
pub struct Database;

impl Shape for Database {
    fn json<T: Serialize>(&self, value: &T) -> serde_json::Result<Value> {
        serde_json::to_value(value)
    }
}

/// JavaScript's shape.
#[derive(Debug, Clone, Copy)]
pub struct JavaScript;

impl Shape for JavaScript {
    fn json<T: Serialize>(&self, value: &T) -> serde_json::Result<Value> {
        odx_core::wire::to_javascript(value)
    }
}

/// A request's answer: `(module, outcome)`, the module naming a degraded
/// answer (`financial`, `command`, `policy` ...).
pub type Answer = (&'static str, Outcome<Value>);

fn shaped<T: Serialize, E>(shape: &impl Shape, outcome: Outcome<T>) -> Result<Outcome<Value>, SourceError<E>> {
    Ok(match outcome {
        Outcome::Report(r) => {
            Outcome::Report(shape.json(&r).map_err(|e| SourceError::Row(RowError::Driver(e.to_string())))?)
        }
        Outcome::Degraded(m) => Outcome::Degraded(m),
    })
}

impl Request {
    /// The module that names its answer (and a degraded one).
    pub fn module(&self) -> &'static str {
        match self {
            Request::Report(d, _) | Request::Compare(d, _) => d.as_str(),
            Request::Command(_) => "command",
            Request::Digest(_) => "digest",
            Request::Benchmark(..) => "benchmark",
            Request::Overview(_) => "network_overview",
            Request::ForecastRevenue(..) => "forecast_revenue",
            Request::ForecastNoShows(..) => "forecast_no_shows",
            Request::ForecastChurn(..) => "forecast_churn",
            Request::InsightsScope(_) | Request::Authorize(..) => "policy",
        }
    }

    /// Reads the request through `src`, its answer in `shape`.
    ///
    /// # Errors
    /// [`SourceError`].
    pub async fn run<S: Source>(&self, src: &S, shape: &impl Shape) -> Result<Answer, SourceError<S::Error>> {
        let outcome = match self {
            Request::Report(domain, scope) => {
                crate::by_domain!(*domain, A => shaped(shape, source::compute::<A, S>(src, scope).await?)?)
            }
            Request::Compare(domain, scope) => shaped(shape, source::compare(src, *domain, scope).await?)?,
            Request::Command(c) => {
                let judged = (c.period, c.min_volume);
                shaped(
                    shape,
                    source::command(src, c.organization_id, c.clinic_ids.clone(), c.allowed(), judged).await?,
                )?
            }
            Request::Digest(c) => {
                let judged = (c.period, c.min_volume);
                shaped(shape, source::digest(src, c.organization_id, c.clinic_ids.clone(), c.allowed(), judged).await?)?
            }
            Request::Benchmark(c, clinic) => {
                let (ids, allowed) = (c.clinic_ids.clone(), c.allowed());
                shaped(shape, source::benchmark(src, c.organization_id, *clinic, ids, allowed, c.period).await?)?
            }
            Request::Overview(c) => {
                let (ids, allowed) = (c.clinic_ids.clone(), c.allowed());
                shaped(shape, source::network_overview(src, c.organization_id, ids, allowed, c.period.to).await?)?
            }
            Request::ForecastRevenue(ids, at) => shaped(shape, source::forecast_revenue(src, ids, *at).await?)?,
            Request::ForecastNoShows(ids, at) => shaped(shape, source::forecast_no_shows(src, ids, *at).await?)?,
            Request::ForecastChurn(ids, at) => shaped(shape, source::forecast_churn(src, ids, *at).await?)?,
            Request::InsightsScope(u) => {
                let tables = source::console_tables(src, &USER_READS, u.user_id).await?;
                let scope =
                    tables.try_map(|t| t.insights_scope(u.user_id, u.organization_id, u.focus, u.city.as_deref()));
                shaped(shape, scope?)?
            }
            Request::Authorize(u, action, resource) => {
                let (action, resource) = odx_core::policy::read_request(action, resource)?;
                let tables = source::console_tables(src, &USER_READS, u.user_id).await?;
                shaped(shape, tables.try_map(|t| t.authorize(u.user_id, &action, &resource))?)?
            }
        };
        Ok((self.module(), outcome))
    }
}

impl OrgRead {
    fn allowed(&self) -> Option<&[i64]> {
        self.allowed.as_deref()
    }
}

/// One statement a caller runs: its text, the values of `$1`, `$2` ... and
/// their Postgres types (the text casts every one, so a driver may send
/// them untyped).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// The SQL text (only the parameters it uses, numbered from `$1`).
    pub text: String,
    /// The values: `bigint[]` as an array of integers, `text[]` as an array
    /// of strings, `timestamptz` as an RFC 3339 string, `timestamptz[]` as
    /// an array of them, `bigint`, `bool`, `text` as themselves.
    pub values: Vec<Value>,
    /// The Postgres type of each value.
    pub types: Vec<&'static str>,
}

/// `sql` with only the parameters it uses, numbered `$1`, `$2` ... in the
/// order of their first number, and those parameters' positions in
/// `params`: a driver that sends its values untyped (`pg`, postgres.js)
/// leaves Postgres to infer each type from its use, which an unused one
/// does not have.
pub(crate) fn used_parameters(sql: &str) -> (String, Vec<usize>) {
    let used = crate::queries::parameter_numbers(sql);
    let bytes = sql.as_bytes();
    let mut text = String::with_capacity(sql.len());
    let mut i = 0;
    while i < bytes.len() {
        let digits =
            if bytes[i] == b'$' { bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count() } else { 0 };
        if digits > 0 {
            let n: usize = sql[i + 1..i + 1 + digits].parse().unwrap_or(0);
            let at = used.iter().position(|u| *u == n).map_or(0, |p| p + 1);
            text.push('$');
            text.push_str(&at.to_string());
            i += 1 + digits;
        } else {
            let len = sql[i..].chars().next().map_or(1, char::len_utf8);
            text.push_str(&sql[i..i + len]);
            i += len;
        }
    }
    (text, used.into_iter().map(|n| n - 1).collect())
}

fn statement(sql: &'static str, params: &[Param<'_>]) -> Statement {
    let (text, used) = used_parameters(sql);
    let mut values = Vec::with_capacity(used.len());
    let mut types = Vec::with_capacity(used.len());
    for p in used.iter().filter_map(|&i| params.get(i)) {
        let (value, ty) = match *p {
            Param::Ids(v) => (Value::from(v.to_vec()), "bigint[]"),
            Param::Texts(v) => (Value::from(v.to_vec()), "text[]"),
            Param::Text(v) => (Value::from(v), "text"),
            Param::Id(v) => (Value::from(v), "bigint"),
            Param::Bool(v) => (Value::from(v), "bool"),
            Param::Instant(v, _) => (Value::from(instant(v)), "timestamptz"),
            Param::Instants(v, _) => (Value::from(v.iter().map(|t| instant(*t)).collect::<Vec<_>>()), "timestamptz[]"),
        };
        values.push(value);
        types.push(ty);
    }
    Statement { text, values, types }
}

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// One result row as a driver hands it over: column name to value. Integers
/// may come as numbers or as decimal text (`pg` gives `bigint` as text),
/// booleans as `true`/`false` (or `t`/`f`).
pub type JsonRow = Map<String, Value>;

struct RowOf<'a>(&'a JsonRow);

impl RowOf<'_> {
    fn get(&self, c: &'static str) -> Result<Option<&Value>, RowError> {
        match self.0.get(c) {
            None => Err(RowError::Driver(format!("the row has no column {c}"))),
            Some(Value::Null) => Ok(None),
            Some(v) => Ok(Some(v)),
        }
    }

    fn parse<T: std::str::FromStr>(&self, c: &'static str, v: &Value) -> Result<T, RowError> {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        text.trim().parse().map_err(|_| RowError::Parse { column: c, value: text })
    }
}

impl Row for RowOf<'_> {
    fn int8(&self, c: &'static str) -> Result<Option<i64>, RowError> {
        self.get(c)?.map(|v| self.parse(c, v)).transpose()
    }
    fn int4(&self, c: &'static str) -> Result<Option<i32>, RowError> {
        self.get(c)?.map(|v| self.parse(c, v)).transpose()
    }
    fn boolean(&self, c: &'static str) -> Result<Option<bool>, RowError> {
        self.get(c)?
            .map(|v| match v {
                Value::Bool(b) => Ok(*b),
                Value::String(s) if s == "t" || s == "true" => Ok(true),
                Value::String(s) if s == "f" || s == "false" => Ok(false),
                other => Err(RowError::Parse { column: c, value: other.to_string() }),
            })
            .transpose()
    }
    fn text(&self, c: &'static str) -> Result<Option<String>, RowError> {
        self.get(c)?
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(RowError::Parse { column: c, value: other.to_string() }),
            })
            .transpose()
    }
}

type Key = (String, String);

fn key(s: &Statement) -> Key {
    (s.text.clone(), Value::from(s.values.clone()).to_string())
}

/// A source that answers from the rows a caller gave, and notes every
/// statement it has none for (answering those with no rows).
struct Replay<'a> {
    answers: &'a HashMap<Key, Vec<JsonRow>>,
    pending: RefCell<Vec<Statement>>,
}

impl Source for Replay<'_> {
    type Error = Infallible;

    async fn rows(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        each: &mut Sink<'_>,
    ) -> Result<(), SourceError<Infallible>> {
        let s = statement(sql, params);
        match self.answers.get(&key(&s)) {
            Some(rows) => {
                for r in rows {
                    each(&RowOf(r))?;
                }
            }
            None => {
                let mut pending = self.pending.borrow_mut();
                if !pending.contains(&s) {
                    pending.push(s);
                }
            }
        }
        Ok(())
    }
}

/// Why a plan cannot go on.
#[derive(Debug)]
pub enum PlanError {
    /// Core refused the request (the same refusal the engine gives).
    Core(OdxError),
    /// The rows given do not fit the statements handed out (their count, a
    /// column, a value).
    Rows(String),
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Core(e) => e.fmt(f),
            PlanError::Rows(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for PlanError {}

/// A read in progress (see the module): the statements of its next round,
/// or its answer.
#[derive(Debug)]
pub struct Plan<S> {
    request: Request,
    shape: S,
    answers: HashMap<Key, Vec<JsonRow>>,
    next: Vec<Statement>,
    answer: Option<Answer>,
    rounds: u32,
}

/// More rounds than any read takes: a plan past it is a bug, not a loop.
const MAX_ROUNDS: u32 = 16;

impl<S: Shape> Plan<S> {
    /// The plan of `request`, its answer in `shape`: the first round's
    /// statements.
    ///
    /// # Errors
    /// [`PlanError::Core`] for a request core refuses before any read.
    pub fn new(request: Request, shape: S) -> Result<Self, PlanError> {
        let mut plan = Plan { request, shape, answers: HashMap::new(), next: Vec::new(), answer: None, rounds: 0 };
        plan.step()?;
        Ok(plan)
    }

    /// The statements to run next, in order (empty once answered).
    pub fn statements(&self) -> &[Statement] {
        &self.next
    }

    /// The answer, once every statement it needs was answered.
    pub fn answer(&self) -> Option<&Answer> {
        self.answer.as_ref()
    }

    /// Folds the rows of [`Plan::statements`] (one list of rows per
    /// statement, in order) and plans the next round, or answers.
    ///
    /// # Errors
    /// [`PlanError::Rows`] for rows that do not fit; [`PlanError::Core`]
    /// for what core refuses (an unknown clinic ...).
    pub fn finish(&mut self, rows: Vec<Vec<JsonRow>>) -> Result<Option<&Answer>, PlanError> {
        if self.answer.is_some() {
            return Err(PlanError::Rows("the plan is already answered".into()));
        }
        if rows.len() != self.next.len() {
            return Err(PlanError::Rows(format!(
                "rows: {} lists of rows for {} statements (one per statement, in order)",
                rows.len(),
                self.next.len()
            )));
        }
        for (s, r) in std::mem::take(&mut self.next).iter().zip(rows) {
            self.answers.insert(key(s), r);
        }
        self.step()?;
        Ok(self.answer.as_ref())
    }

    fn step(&mut self) -> Result<(), PlanError> {
        self.rounds += 1;
        if self.rounds > MAX_ROUNDS {
            return Err(PlanError::Rows(format!("the plan did not finish in {MAX_ROUNDS} rounds")));
        }
        let replay = Replay { answers: &self.answers, pending: RefCell::new(Vec::new()) };
        let done = {
            let read = self.request.run(&replay, &self.shape);
            let mut read = std::pin::pin!(read);
            match read.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
                std::task::Poll::Ready(done) => done,
                std::task::Poll::Pending => return Err(PlanError::Rows("a read did not finish at once".into())),
            }
        };
        let pending = replay.pending.into_inner();
        if !pending.is_empty() {
            // What was read on guessed rows is thrown away; only what it
            // asked for counts.
            self.next = pending;
            return Ok(());
        }
        match done {
            Ok(answer) => {
                self.answer = Some(answer);
                Ok(())
            }
            Err(SourceError::Core(e)) => Err(PlanError::Core(e)),
            Err(SourceError::Row(RowError::Core(e))) => Err(PlanError::Core(e)),
            Err(SourceError::Row(e)) => Err(PlanError::Rows(e.to_string())),
            Err(SourceError::Database(never)) => match never {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_parameters_a_statement_uses_are_sent_renumbered() {
        let (text, used) = used_parameters("SELECT $3::int, $1::text, $10, $3 FROM t WHERE x = $1 AND y = '€'");
        assert_eq!(text, "SELECT $2::int, $1::text, $3, $2 FROM t WHERE x = $1 AND y = '€'");
        assert_eq!(used, [0, 2, 9]);
        let s = statement("SELECT $2::bool", &[Param::Id(7), Param::Bool(true)]);
        assert_eq!((s.text.as_str(), s.values, s.types), ("SELECT $1::bool", vec![Value::Bool(true)], vec!["bool"]));
    }
}
