//! The one error type of the crate.

use chrono::NaiveDate;
use std::fmt;

/// Every way a core call can refuse its input. Each variant has a stable
/// machine code ([`OdxError::code`]) that the adapters map once: to a SQLSTATE
/// in the extension and to a JS `Error.code` in the Node addon.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OdxError {
    /// The range starts after it ends (`from > to`).
    InvalidRange {
        /// First day asked for.
        from: NaiveDate,
        /// Last day asked for.
        to: NaiveDate,
    },
    /// The range is longer than [`crate::scope::MAX_RANGE_DAYS`] days.
    RangeTooLong {
        /// Days asked for (inclusive count).
        days: i64,
        /// The most allowed.
        max: i64,
    },
    /// A date lies outside the calendar that core can represent.
    DateOutOfBounds {
        /// Which argument.
        field: &'static str,
    },
    /// A string option was not one of its allowed values.
    InvalidOption {
        /// The option's name, e.g. `group_by`.
        field: &'static str,
        /// What was given.
        value: String,
        /// The values that are allowed.
        allowed: &'static [&'static str],
    },
    /// The patients domain's active window is not a whole number of months
    /// in `1..=max`.
    InvalidWindow {
        /// What was given.
        months: i64,
        /// The most allowed.
        max: u32,
    },
    /// A clinic's `timezone` is not an IANA time-zone name.
    UnknownTimeZone {
        /// The clinic.
        clinic_id: i64,
        /// The name found in `clinics.timezone`.
        name: String,
    },
    /// The scope names a clinic that the clinic directory does not hold.
    UnknownClinic {
        /// The clinic id.
        clinic_id: i64,
    },
    /// A fact or row names a clinic that is not in the scope. Core never drops
    /// such rows silently: the adapter that produced them is wrong.
    RowOutsideScope {
        /// The clinic id found on the row.
        clinic_id: i64,
    },
    /// A fact names a trend bucket that the scope's calendar does not have.
    BucketOutOfRange {
        /// The bucket index found on the fact.
        bucket: u32,
        /// How many buckets the calendar has.
        buckets: u32,
    },
    /// Two accumulators built for different scopes were combined.
    ScopeMismatch,
    /// A requested clinic is outside the principal's scope.
    ForbiddenScope {
        /// The clinic refused.
        clinic_id: i64,
    },
    /// A requested city has none of the principal's branches (the same
    /// refusal as [`OdxError::ForbiddenScope`]: never an empty scope).
    ForbiddenCity {
        /// The city asked for.
        city: String,
    },
    /// The user has no console role (org_admin or branch_manager) in the
    /// organization asked for.
    NoConsoleAccess {
        /// The user.
        user_id: i64,
    },
    /// The user has a console role in several organizations and the request
    /// named none.
    AmbiguousOrganization {
        /// The user.
        user_id: i64,
    },
    /// The user's `users.status` is not `active`: a deactivated user has no
    /// console, whatever assignments remain.
    InactiveUser {
        /// The user.
        user_id: i64,
    },
    /// The organization is not in `organizations` (a console read-out of
    /// it is refused, never a zeroed report).
    UnknownOrganization {
        /// The organization.
        organization_id: i64,
    },
    /// The user is not in `users`.
    UnknownUser {
        /// The user.
        user_id: i64,
    },
    /// A structured argument (a permission request, a CSV table name ...)
    /// could not be read.
    InvalidArgument {
        /// The argument, e.g. `action`.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// An exact sum left the range of `Decimal` (about 7.9e28) or of a counter.
    Overflow {
        /// Which quantity overflowed.
        what: &'static str,
    },
    /// A stored value odx cannot read: NaN or Infinity where money is, a
    /// NULL in a column odx reads as never null, text that is not a number.
    BadData {
        /// The table (or tables) the statement read.
        table: String,
        /// The column of the statement's result.
        column: &'static str,
        /// What was found.
        found: String,
    },
}

/// The class of a failure: what a caller can do about it. Every adapter maps
/// each class to its own form (a SQLSTATE in Postgres, see
/// [`ErrorClass::sqlstate`]) with an exhaustive match, so a new
/// [`OdxError`] variant is classified here, once, or the crate does not build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// The caller's arguments are wrong (SQLSTATE `22023`).
    InvalidArgument,
    /// A date outside the calendar odx computes on (SQLSTATE `22008`).
    InvalidDate,
    /// A sum or product beyond the exact decimal range (SQLSTATE `22003`).
    Overflow,
    /// The caller may not see what it asked for (SQLSTATE `42501`).
    Forbidden,
    /// Stored data odx cannot read (SQLSTATE `22000`, data exception).
    BadData,
    /// A broken invariant between odx's own parts, never the caller's doing
    /// (SQLSTATE `XX000`).
    Internal,
}

impl ErrorClass {
    /// The class's SQLSTATE.
    pub const fn sqlstate(self) -> &'static str {
        match self {
            ErrorClass::InvalidArgument => "22023",
            ErrorClass::InvalidDate => "22008",
            ErrorClass::Overflow => "22003",
            ErrorClass::Forbidden => "42501",
            ErrorClass::BadData => "22000",
            ErrorClass::Internal => "XX000",
        }
    }
}

impl OdxError {
    /// What the caller can do about it (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            OdxError::InvalidRange { .. }
            | OdxError::RangeTooLong { .. }
            | OdxError::InvalidOption { .. }
            | OdxError::InvalidWindow { .. }
            | OdxError::UnknownClinic { .. }
            | OdxError::UnknownTimeZone { .. }
            | OdxError::AmbiguousOrganization { .. }
            | OdxError::UnknownUser { .. }
            | OdxError::UnknownOrganization { .. }
            | OdxError::InvalidArgument { .. } => ErrorClass::InvalidArgument,
            OdxError::DateOutOfBounds { .. } => ErrorClass::InvalidDate,
            OdxError::Overflow { .. } => ErrorClass::Overflow,
            OdxError::BadData { .. } => ErrorClass::BadData,
            OdxError::ForbiddenScope { .. }
            | OdxError::ForbiddenCity { .. }
            | OdxError::NoConsoleAccess { .. }
            | OdxError::InactiveUser { .. } => ErrorClass::Forbidden,
            OdxError::RowOutsideScope { .. } | OdxError::BucketOutOfRange { .. } | OdxError::ScopeMismatch => {
                ErrorClass::Internal
            }
        }
    }

    /// The stable machine code of this error, e.g. `ODX_INVALID_RANGE`.
    pub fn code(&self) -> &'static str {
        match self {
            OdxError::InvalidRange { .. } => "ODX_INVALID_RANGE",
            OdxError::RangeTooLong { .. } => "ODX_RANGE_TOO_LONG",
            OdxError::DateOutOfBounds { .. } => "ODX_INVALID_DATE",
            OdxError::InvalidOption { .. } | OdxError::InvalidWindow { .. } => "ODX_INVALID_ARGUMENT",
            OdxError::UnknownTimeZone { .. } => "ODX_BAD_TIME_ZONE",
            OdxError::UnknownClinic { .. } => "ODX_UNKNOWN_CLINIC",
            OdxError::RowOutsideScope { .. } => "ODX_ROW_OUTSIDE_SCOPE",
            OdxError::BucketOutOfRange { .. } => "ODX_BUCKET_OUT_OF_RANGE",
            OdxError::ScopeMismatch => "ODX_SCOPE_MISMATCH",
            OdxError::ForbiddenScope { .. } | OdxError::ForbiddenCity { .. } => "ODX_FORBIDDEN_SCOPE",
            OdxError::NoConsoleAccess { .. } => "ODX_NO_CONSOLE_ACCESS",
            OdxError::InactiveUser { .. } => "ODX_INACTIVE_USER",
            OdxError::AmbiguousOrganization { .. } | OdxError::InvalidArgument { .. } => "ODX_INVALID_ARGUMENT",
            OdxError::UnknownUser { .. } => "ODX_UNKNOWN_USER",
            OdxError::UnknownOrganization { .. } => "ODX_UNKNOWN_ORGANIZATION",
            OdxError::Overflow { .. } => "ODX_OVERFLOW",
            OdxError::BadData { .. } => "ODX_BAD_DATA",
        }
    }
}

impl fmt::Display for OdxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OdxError::InvalidRange { from, to } => {
                write!(f, "invalid range: from {from} is after to {to}")
            }
            OdxError::RangeTooLong { days, max } => {
                write!(f, "range of {days} days is longer than the {max} days allowed")
            }
            OdxError::DateOutOfBounds { field } => {
                write!(f, "{field} is outside the supported calendar")
            }
            OdxError::InvalidOption { field, value, allowed } => {
                write!(f, "invalid {field} {value:?}: expected one of {}", allowed.join(", "))
            }
            OdxError::InvalidWindow { months, max } => {
                write!(f, "invalid active_window_months {months}: expected whole months from 1 to {max}")
            }
            OdxError::UnknownTimeZone { clinic_id, name } => {
                write!(f, "clinic {clinic_id} has an unknown time zone {name:?}")
            }
            OdxError::UnknownClinic { clinic_id } => write!(f, "unknown clinic {clinic_id}"),
            OdxError::RowOutsideScope { clinic_id } => {
                write!(f, "a row of clinic {clinic_id} reached a scope that does not include it")
            }
            OdxError::BucketOutOfRange { bucket, buckets } => {
                write!(f, "trend bucket {bucket} is outside the scope's {buckets} buckets")
            }
            OdxError::ScopeMismatch => {
                write!(f, "cannot combine accumulators built for different scopes")
            }
            OdxError::Overflow { what } => write!(f, "{what} overflowed"),
            OdxError::BadData { table, column, found } => {
                write!(f, "bad stored data in {table}: {column} is {found}, which odx cannot read")
            }
            OdxError::ForbiddenScope { clinic_id } => write!(f, "clinic {clinic_id} is outside the caller's scope"),
            OdxError::ForbiddenCity { city } => write!(f, "no branch in the caller's scope is in {city:?}"),
            OdxError::NoConsoleAccess { user_id } => {
                write!(f, "user {user_id} has no console role (org_admin or branch_manager) here")
            }
            OdxError::AmbiguousOrganization { user_id } => {
                write!(f, "user {user_id} has a console role in several organizations: name one")
            }
            OdxError::InactiveUser { user_id } => write!(f, "user {user_id} is not active: no console access"),
            OdxError::UnknownUser { user_id } => write!(f, "unknown user {user_id}"),
            OdxError::UnknownOrganization { organization_id } => write!(f, "unknown organization {organization_id}"),
            OdxError::InvalidArgument { field, message } => write!(f, "invalid {field}: {message}"),
        }
    }
}

impl std::error::Error for OdxError {}

/// The crate's result type.
pub type Result<T, E = OdxError> = std::result::Result<T, E>;
