//! What every decoder shares: the [`Row`] a driver reads (columns by
//! name), the [`RowError`], typed column readers and [`DomainAcc`]. Each
//! domain's decoder lives in its own module beside its statements.

use crate::queries::QueryKind;
use chrono::NaiveTime;
use odx_core::OdxError;
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// Why a result row could not become a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowError {
    /// The driver could not read a column.
    Driver(String),
    /// A column that is never null was null.
    Null {
        /// The column's name.
        column: &'static str,
    },
    /// A text column did not parse as its type.
    Parse {
        /// The column's name.
        column: &'static str,
        /// The text.
        value: String,
    },
    /// Core refused the fact.
    Core(OdxError),
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowError::Driver(e) => write!(f, "reading a result row: {e}"),
            RowError::Null { column } => write!(f, "result column {column} is null"),
            RowError::Parse { column, value } => write!(f, "result column {column}: cannot parse {value:?}"),
            RowError::Core(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RowError {}

impl RowError {
    /// This error as what the stored data is, for a statement that read
    /// `relations`: a number beyond the exact decimal range (a sum, a float
    /// of 1e300) is [`OdxError::Overflow`]; NaN, Infinity, a NULL in a
    /// column never null or text that is no number is
    /// [`OdxError::BadData`] naming the tables and the column. Other errors
    /// are kept as they are.
    pub fn stored(self, relations: &[&str]) -> RowError {
        let table = || relations.iter().map(|t| format!("app.{t}")).collect::<Vec<_>>().join(", ");
        match self {
            RowError::Parse { column, value } => {
                let v = value.trim().to_ascii_lowercase();
                let numeric = !v.is_empty()
                    && v.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e'))
                    && v.chars().any(|c| c.is_ascii_digit());
                if numeric {
                    RowError::Core(OdxError::Overflow { what: column })
                } else {
                    RowError::Core(OdxError::BadData { table: table(), column, found: format!("{value:?}") })
                }
            }
            RowError::Null { column } => {
                RowError::Core(OdxError::BadData { table: table(), column, found: "NULL".to_owned() })
            }
            other => other,
        }
    }
}

impl From<OdxError> for RowError {
    fn from(e: OdxError) -> Self {
        RowError::Core(e)
    }
}

/// A result row, as a driver reads it: columns by name (every statement
/// names its columns as the fields of the fact it feeds).
pub trait Row {
    /// A `bigint` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn int8(&self, column: &'static str) -> Result<Option<i64>, RowError>;
    /// An `integer` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn int4(&self, column: &'static str) -> Result<Option<i32>, RowError>;
    /// A `boolean` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn boolean(&self, column: &'static str) -> Result<Option<bool>, RowError>;
    /// A `text` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn text(&self, column: &'static str) -> Result<Option<String>, RowError>;
}

pub(crate) fn need<T>(v: Option<T>, column: &'static str) -> Result<T, RowError> {
    v.ok_or(RowError::Null { column })
}

pub(crate) fn id(r: &dyn Row, c: &'static str) -> Result<i64, RowError> {
    need(r.int8(c)?, c)
}

pub(crate) fn count(r: &dyn Row, c: &'static str) -> Result<u64, RowError> {
    let n = id(r, c)?;
    u64::try_from(n).map_err(|_| RowError::Parse { column: c, value: n.to_string() })
}

pub(crate) fn money(r: &dyn Row, c: &'static str) -> Result<Decimal, RowError> {
    let t = need(r.text(c)?, c)?;
    Decimal::from_str(&t).or_else(|_| Decimal::from_scientific(&t)).map_err(|_| RowError::Parse { column: c, value: t })
}

pub(crate) fn text(r: &dyn Row, c: &'static str) -> Result<String, RowError> {
    need(r.text(c)?, c)
}

pub(crate) fn index(r: &dyn Row, c: &'static str) -> Result<u32, RowError> {
    let n = need(r.int4(c)?, c)?;
    u32::try_from(n).map_err(|_| RowError::Parse { column: c, value: n.to_string() })
}

pub(crate) fn time(r: &dyn Row, c: &'static str) -> Result<NaiveTime, RowError> {
    let t = text(r, c)?;
    NaiveTime::parse_from_str(&t, "%H:%M:%S%.f").map_err(|_| RowError::Parse { column: c, value: t })
}

/// A `boolean` column that is never null.
pub(crate) fn flag(r: &dyn Row, c: &'static str) -> Result<bool, RowError> {
    need(r.boolean(c)?, c)
}

pub(crate) fn weekday(r: &dyn Row, c: &'static str) -> Result<i16, RowError> {
    let n = need(r.int4(c)?, c)?;
    // Out-of-range weekdays are bad data that core counts; keep them out of i16 range trouble.
    Ok(i16::try_from(n).unwrap_or(0))
}

/// A domain accumulator that statements' rows can feed: what a driver needs
/// to compute any domain with one generic function.
pub trait DomainAcc: Sized + Send {
    /// The finished report.
    type Report: serde::Serialize + odx_core::Comparable;
    /// The domain (its statements and required relations).
    const DOMAIN: crate::schema::Domain;
    /// An empty accumulator on a frame.
    fn with_frame(frame: odx_core::Frame) -> Self;
    /// Adds one result row of one of the domain's statements.
    ///
    /// # Errors
    /// [`RowError`].
    fn feed(&mut self, kind: QueryKind, row: &dyn Row) -> Result<(), RowError>;
    /// Finishes the report.
    ///
    /// # Errors
    /// [`OdxError`].
    fn finish_report(&self) -> Result<Self::Report, OdxError>;
    /// Records on a report what it did without (see
    /// [`odx_core::Report::missing`]).
    fn did_without(report: &mut Self::Report, missing: Vec<String>);
}

/// `DomainAcc` for a core accumulator: its report, domain and row decoder.
macro_rules! domain_acc {
    ($acc:ty, $report:ty, $domain:ident, $feed:ident) => {
        impl $crate::decode::DomainAcc for $acc {
            type Report = $report;
            const DOMAIN: $crate::schema::Domain = $crate::schema::Domain::$domain;
            fn with_frame(frame: ::odx_core::Frame) -> Self {
                <$acc>::with_frame(frame)
            }
            fn feed(
                &mut self,
                kind: $crate::queries::QueryKind,
                row: &dyn $crate::decode::Row,
            ) -> Result<(), $crate::decode::RowError> {
                $feed(self, kind, row)
            }
            fn finish_report(&self) -> Result<Self::Report, ::odx_core::OdxError> {
                self.finish()
            }
            fn did_without(report: &mut Self::Report, missing: Vec<String>) {
                report.missing = missing;
            }
        }
    };
}
pub(crate) use domain_acc;
