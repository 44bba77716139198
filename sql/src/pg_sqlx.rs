//! The sqlx driver: a pool is a [`Source`], so every read of
//! [`crate::source`] runs on it (`compute::<FinancialAcc, _>(&pool, &scope)`,
//! `command(&pool, ...)`). Bound parameters only, never string-built SQL.

pub use crate::source::{
    benchmark, command, compare, compute, console_tables, digest, domain_reports, forecast_churn, forecast_no_shows,
    forecast_revenue, frame, network_overview, present_columns, report_json, Outcome, Sink, Source, SourceError,
};

use crate::decode::{Row, RowError};
use crate::queries::Param;
use sqlx::postgres::{PgPool, PgRow};
use sqlx::Row as _;

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

/// A pool is a [`Source`]: each statement runs on a connection of the pool,
/// its parameters bound by type.
impl Source for PgPool {
    type Error = sqlx::Error;

    async fn rows(&self, sql: &'static str, params: &[Param<'_>], each: &mut Sink<'_>) -> Result<(), EngineError> {
        let mut query = sqlx::query(sql);
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
        for row in query.fetch_all(self).await? {
            each(&row)?;
        }
        Ok(())
    }
}
