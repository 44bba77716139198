//! The addon's failures: odx-js's [`Fault`] (every stable `ODX_*` code, in
//! one place for the addon and the WebAssembly build) as a JavaScript
//! `Error`, and the sqlx errors of the engine as faults.

use napi::Error;
use odx_js::Fault;
use odx_sql::pg_sqlx::EngineError;

/// An error whose JavaScript `code` is one of the stable `ODX_*` codes.
pub(crate) type Failure = Error<String>;

/// A fault as the JavaScript error the addon throws.
pub(crate) fn failure(f: Fault) -> Failure {
    Error::new(f.code().to_owned(), f.message())
}

/// An engine error as a JavaScript error.
pub(crate) fn engine_error(e: EngineError) -> Failure {
    match e {
        EngineError::Core(c) => failure(Fault::Core(c)),
        EngineError::Row(r) => failure(odx_js::row_error(r)),
        EngineError::Database(d) => database_error(&d),
    }
}

/// A sqlx error as a JavaScript error. (`sqlx::Error` is non-exhaustive:
/// what it may add later is a database error.)
pub(crate) fn database_error(e: &sqlx::Error) -> Failure {
    failure(match e {
        sqlx::Error::Tls(_) => Fault::DbTls(format!("the TLS connection failed: {e}")),
        // A handshake the server's certificate fails (unknown issuer, a host
        // it does not name) reaches sqlx as I/O wrapping rustls's error.
        sqlx::Error::Io(io) if io.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
            Fault::DbTls(format!("the TLS connection failed: {e}"))
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            Fault::unavailable(format!("the database is unavailable: {e}"))
        }
        sqlx::Error::Database(d) if d.code().as_deref() == Some("57014") => {
            Fault::timeout(format!("the query ran past its timeout: {d}"))
        }
        sqlx::Error::Database(d) if d.code().as_deref() == Some("42501") => {
            Fault::DbPermission(format!("the database role may not read what odx reads: {d}"))
        }
        sqlx::Error::Configuration(_) => Fault::invalid(format!("url: {e}")),
        other => Fault::DbError(format!("the database failed: {other}")),
    })
}
