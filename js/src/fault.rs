//! Every failure of the JavaScript surface and its stable `ODX_*` code, in
//! one place: the Node addon and the WebAssembly build throw an `Error`
//! whose `code` is [`Fault::code`] (core's own errors keep core's code).

use odx_core::OdxError;
use odx_sql::RowError;

/// What went wrong, by who can act on it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Core refused the request (its own code: `ODX_INVALID_RANGE`, ...).
    Core(OdxError),
    /// An argument the binding itself reads is wrong.
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
    /// A broken invariant inside odx; never the caller's doing.
    Internal(String),
}

/// A call's result.
pub type Result<T> = std::result::Result<T, Fault>;

impl Fault {
    /// The stable code.
    pub fn code(&self) -> &'static str {
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

    /// The message the caller reads.
    pub fn message(&self) -> String {
        match self {
            Fault::Core(e) => e.to_string(),
            Fault::InvalidArgument(m)
            | Fault::DbUnavailable(m)
            | Fault::DbTls(m)
            | Fault::DbTimeout(m)
            | Fault::DbPermission(m)
            | Fault::DbError(m)
            | Fault::Internal(m) => m.clone(),
        }
    }

    /// `InvalidArgument`.
    pub fn invalid(message: impl ToString) -> Fault {
        Fault::InvalidArgument(message.to_string())
    }

    /// `Internal`.
    pub fn internal(message: impl ToString) -> Fault {
        Fault::Internal(message.to_string())
    }

    /// `DbUnavailable`.
    pub fn unavailable(message: impl ToString) -> Fault {
        Fault::DbUnavailable(message.to_string())
    }

    /// `DbTimeout`.
    pub fn timeout(message: impl ToString) -> Fault {
        Fault::DbTimeout(message.to_string())
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for Fault {}

/// A core error.
pub fn core_error(e: OdxError) -> Fault {
    Fault::Core(e)
}

/// A row that could not be read: core's refusal keeps its code, anything
/// else is odx's own fault.
pub fn row_error(e: RowError) -> Fault {
    match e {
        RowError::Core(c) => core_error(c),
        e @ (RowError::Driver(_) | RowError::Null { .. } | RowError::Parse { .. }) => {
            Fault::internal(format!("an unreadable result row: {e}"))
        }
    }
}
