//! The addon's failures and their stable `ODX_*` codes, in one place: every
//! JavaScript `Error` the addon throws is built from a [`Fault`], whose code
//! is matched exhaustively (core's own errors keep core's code).

use napi::Error;
use odx_core::OdxError;
use odx_sql::pg_sqlx::EngineError;
use odx_sql::RowError;

/// An error whose JavaScript `code` is one of the stable `ODX_*` codes.
pub(crate) type Failure = Error<String>;

/// What went wrong, by who can act on it.
#[derive(Debug)]
pub(crate) enum Fault {
    /// Core refused the request (its own code: `ODX_INVALID_RANGE`, ...).
    Core(OdxError),
    /// An argument the addon itself reads is wrong.
    InvalidArgument(String),
    /// The database cannot be reached (or the pool is closed).
    DbUnavailable(String),
    /// The TLS connection the URL asks for (`sslmode`) could not be made:
    /// the server does not offer TLS, or its certificate does not verify
    /// against `sslrootcert` (or the public roots) for the host.
    DbTls(String),
    /// A statement ran past its timeout.
    DbTimeout(String),
    /// The role lacks a privilege a statement needs (SQLSTATE 42501): a
    /// missing `GRANT SELECT`, not a missing table.
    DbPermission(String),
    /// The database answered with an error.
    DbError(String),
    /// A broken invariant inside the addon; never the caller's doing.
    Internal(String),
}

impl Fault {
    /// The stable code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Fault::Core(e) => e.code(),
            Fault::InvalidArgument(_) => "ODX_INVALID_ARGUMENT",
            Fault::DbUnavailable(_) => "ODX_DB_UNAVAILABLE",
            Fault::DbTls(_) => "ODX_DB_TLS",
            Fault::DbTimeout(_) => "ODX_DB_TIMEOUT",
            Fault::DbPermission(_) => "ODX_DB_PERMISSION",
            Fault::DbError(_) => "ODX_DB_ERROR",
            Fault::Internal(_) => "ODX_INTERNAL",
        }
    }

    /// `InvalidArgument` as a JavaScript error.
    pub(crate) fn invalid(message: impl ToString) -> Failure {
        Fault::InvalidArgument(message.to_string()).into()
    }

    /// `Internal` as a JavaScript error.
    pub(crate) fn internal(message: impl ToString) -> Failure {
        Fault::Internal(message.to_string()).into()
    }

    /// `DbUnavailable` as a JavaScript error.
    pub(crate) fn unavailable(message: impl ToString) -> Failure {
        Fault::DbUnavailable(message.to_string()).into()
    }

    /// `DbTimeout` as a JavaScript error.
    pub(crate) fn timeout(message: impl ToString) -> Failure {
        Fault::DbTimeout(message.to_string()).into()
    }
}

impl From<Fault> for Failure {
    fn from(f: Fault) -> Failure {
        let code = f.code().to_owned();
        let message = match f {
            Fault::Core(e) => e.to_string(),
            Fault::InvalidArgument(m)
            | Fault::DbUnavailable(m)
            | Fault::DbTls(m)
            | Fault::DbTimeout(m)
            | Fault::DbPermission(m)
            | Fault::DbError(m)
            | Fault::Internal(m) => m,
        };
        Error::new(code, message)
    }
}

/// A core error as a JavaScript error.
pub(crate) fn core_error(e: OdxError) -> Failure {
    Fault::Core(e).into()
}

/// An engine error as a JavaScript error.
pub(crate) fn engine_error(e: EngineError) -> Failure {
    match e {
        EngineError::Core(c) => core_error(c),
        EngineError::Row(r) => row_error(r),
        EngineError::Database(d) => database_error(&d),
    }
}

fn row_error(e: RowError) -> Failure {
    match e {
        RowError::Core(c) => core_error(c),
        e @ (RowError::Driver(_) | RowError::Null { .. } | RowError::Parse { .. }) => {
            Fault::internal(format!("an unreadable result row: {e}"))
        }
    }
}

/// A sqlx error as a JavaScript error. (`sqlx::Error` is non-exhaustive:
/// what it may add later is a database error.)
pub(crate) fn database_error(e: &sqlx::Error) -> Failure {
    match e {
        sqlx::Error::Tls(_) => Fault::DbTls(format!("the TLS connection failed: {e}")).into(),
        // A handshake the server's certificate fails (unknown issuer, a host
        // it does not name) reaches sqlx as I/O wrapping rustls's error.
        sqlx::Error::Io(io) if io.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
            Fault::DbTls(format!("the TLS connection failed: {e}")).into()
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            Fault::unavailable(format!("the database is unavailable: {e}"))
        }
        sqlx::Error::Database(d) if d.code().as_deref() == Some("57014") => {
            Fault::timeout(format!("the query ran past its timeout: {d}"))
        }
        sqlx::Error::Database(d) if d.code().as_deref() == Some("42501") => {
            Fault::DbPermission(format!("the database role may not read what odx reads: {d}")).into()
        }
        sqlx::Error::Configuration(_) => Fault::invalid(format!("url: {e}")),
        other => Fault::DbError(format!("the database failed: {other}")).into(),
    }
}
