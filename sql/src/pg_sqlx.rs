//! The sqlx driver: a pool is a [`Source`], so every read of
//! [`crate::source`] runs on it (`compute::<FinancialAcc, _>(&pool, &scope)`,
//! `command(&pool, ...)`), and so is a [`Snapshot`], one read-only
//! `REPEATABLE READ` transaction that a whole report reads through (what the
//! Node engine does). Bound parameters only, never string-built SQL; every
//! statement is unnamed (`persistent(false)`), so a transaction-mode pooler
//! (PgBouncer, Neon's `-pooler` endpoints) never meets a prepared statement
//! that lives beyond its transaction.

pub use crate::source::{
    benchmark, command, compare, compute, console_tables, digest, domain_reports, forecast_churn, forecast_no_shows,
    forecast_revenue, frame, network_overview, present_columns, report_json, Outcome, Sink, Source, SourceError,
};

use crate::decode::{Row, RowError};
use crate::queries::Param;
use sqlx::postgres::{PgPool, PgRow, Postgres};
use sqlx::{Row as _, Transaction};
use std::time::Duration;
use tokio::sync::Mutex;

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

/// Why a read through sqlx could not be computed.
pub type EngineError = SourceError<sqlx::Error>;

impl From<sqlx::Error> for SourceError<sqlx::Error> {
    fn from(e: sqlx::Error) -> Self {
        SourceError::Database(e)
    }
}

/// `sql` with `params` bound by type, unnamed (never a prepared statement
/// that outlives its transaction).
fn bound<'q>(sql: &'static str, params: &[Param<'q>]) -> sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments> {
    let mut query = sqlx::query(sql).persistent(false);
    for value in params {
        query = match *value {
            Param::Ids(v) => query.bind(v),
            Param::Texts(v) => query.bind(v),
            Param::Text(v) => query.bind(v),
            Param::Id(v) => query.bind(v),
            Param::Bool(v) => query.bind(v),
            Param::Instant(v, _) => query.bind(v),
        };
    }
    query
}

/// A pool is a [`Source`]: each statement runs on a connection of the pool
/// (statements of one report may see different snapshots: a report that
/// must not reads through a [`Snapshot`]).
impl Source for PgPool {
    type Error = sqlx::Error;

    async fn rows(&self, sql: &'static str, params: &[Param<'_>], each: &mut Sink<'_>) -> Result<(), EngineError> {
        for row in bound(sql, params).fetch_all(self).await? {
            each(&row)?;
        }
        Ok(())
    }
}

/// One read-only `REPEATABLE READ` transaction on one connection of a pool:
/// every statement of a report read through it sees the same snapshot, so a
/// write committed between two of them never splits a report. The statement
/// timeout is set inside it (`SET LOCAL`), never as a startup parameter a
/// pooler would refuse. End it with [`Snapshot::end`]; dropped, it rolls
/// back.
pub struct Snapshot {
    tx: Mutex<Transaction<'static, Postgres>>,
}

impl Snapshot {
    /// Begins the transaction on a connection of `pool`, statements bounded
    /// by `statement_timeout` when given.
    ///
    /// # Errors
    /// [`sqlx::Error`] when no connection can be had or the database refuses.
    pub async fn begin(pool: &PgPool, statement_timeout: Option<Duration>) -> Result<Self, sqlx::Error> {
        let mut tx = pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
        if let Some(limit) = statement_timeout {
            let ms = limit.as_millis().max(1).to_string();
            sqlx::query("SELECT set_config('statement_timeout', $1, true)")
                .persistent(false)
                .bind(ms)
                .execute(&mut *tx)
                .await?;
        }
        Ok(Snapshot { tx: Mutex::new(tx) })
    }

    /// Commits the (read-only) transaction and hands `outcome` on: the
    /// report read through it, or the first error (then it rolls back).
    ///
    /// # Errors
    /// `outcome`'s error, or the database's at commit.
    pub async fn end<T>(self, outcome: Result<T, EngineError>) -> Result<T, EngineError> {
        let value = outcome?;
        self.tx.into_inner().commit().await?;
        Ok(value)
    }
}

impl Source for Snapshot {
    type Error = sqlx::Error;

    async fn rows(&self, sql: &'static str, params: &[Param<'_>], each: &mut Sink<'_>) -> Result<(), EngineError> {
        let mut tx = self.tx.lock().await;
        for row in bound(sql, params).fetch_all(&mut **tx).await? {
            each(&row)?;
        }
        Ok(())
    }
}
