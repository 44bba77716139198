//! # odx-core
//!
//! The pure KPI engine of odx: every formula of every domain lives here and
//! only here. No database, no FFI, no I/O.
//!
//! The shape of every domain:
//!
//! * a [`MetricScope`] (clinics, inclusive local dates, grouping) is bound to
//!   the clinics' time zones in a [`Frame`]: the [`Calendar`] of trend buckets
//!   and one [`ClinicClock`] per clinic with the exact instants where the range
//!   and the buckets start and end;
//! * **facts** are grouped sufficient statistics (sums and counts by clinic,
//!   doctor, bucket, status ...). One raw row is a fact of count 1, so rows
//!   folded in memory and rows grouped by Postgres feed the same code;
//! * an **accumulator** `accum`s facts, `combine`s with another partial state
//!   of the same scope, and `finish`es into a [`Report`] `{ totals, groups }`.
//!   Totals are finished from merged facts, never by averaging rates; a rate
//!   whose denominator is zero is `None`.
//!
//! Money is [`rust_decimal::Decimal`] throughout. Bad category values are
//! counted in each report's `data_quality`, never guessed; rows for a clinic
//! outside the scope are refused with [`OdxError::RowOutsideScope`].
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod calendar;
pub mod category;
pub mod command;
pub mod compare;
pub mod console;
pub mod domain;
pub mod error;
pub mod export;
pub mod forecast;
mod frame;
pub mod insights;
pub mod num;
pub mod policy;
pub mod readout;
pub mod report;
pub mod rows;
pub mod rules;
pub mod scope;
pub mod targets;
pub mod typescript;
pub mod wire;

/// Each domain's module, and its accumulator, metrics and report at the root.
macro_rules! domain_modules {
    ([] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
        $(pub mod $module;
        pub use $module::{$acc, $metrics, $report};)*
    };
}
domains!(domain_modules);

pub use calendar::{AgingBucket, Calendar, ClinicClock, Granularity, DEFAULT_TIME_ZONE};
pub use category::{
    AppointmentStatus, AttendanceStatus, InvoiceStatus, LabStatus, MovementKind, Payer, PaymentMethod, PlanStatus,
    ProcedureStatus, QuotationStatus, UserRole,
};
pub use compare::{Comparable, Comparison, Headline, MeasureKind};
pub use domain::Domain;
pub use error::{ErrorClass, OdxError, Result};
pub use frame::{ClinicDirectory, ClinicInfo, Frame};
pub use report::{GroupRow, Report};
pub use rows::Tables;
pub use scope::{GroupBy, MetricScope, Period};
