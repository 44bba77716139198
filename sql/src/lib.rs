//! # odx-sql
//!
//! The set-based SQL of odx: Postgres scans, buckets and groups; the small
//! grouped result becomes `odx-core` facts, which core finishes. Shared by the
//! Postgres extension (through SPI) and the Node engine (through sqlx), so the
//! two run exactly the same statements.
//!
//! * No rule is written here: range, trend and aging cuts are instants that
//!   core computes per clinic ([`odx_core::ClinicClock`]) and that travel as
//!   parameters (`width_bucket` against them); status values are core's.
//! * Every parameter is a `bigint[]`, `text[]`, `text` or `bool`, and every
//!   non-integer column comes back as text, so both drivers bind and read the
//!   same plain types; [`Row`] is all a driver implements.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

/// Each domain's statements, their decoder and the relations they read,
/// from core's registry ([`odx_core::domains!`]).
macro_rules! domain_modules {
    ([] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
        $(mod $module;)*
    };
}
odx_core::domains!(domain_modules);

mod console;
mod decode;
pub mod once;
pub mod plan;
mod queries;
mod schema;
pub mod source;

pub use console::{
    console_relations, feed_console, ConsoleQuery, ConsoleRead, Outcome, ORGANIZATION_READS, USER_READS,
};
pub use decode::{DomainAcc, Row, RowError};
/// Core's [`odx_core::by_domain!`]: `$body` once for every domain's accumulator.
pub use odx_core::by_domain;
pub use queries::{kept_plan_fits, Param, Query, QueryKind, ScopeParams, CLINIC_ZONES_SQL};
pub use schema::{Domain, DomainSql, Reads, RequiredRelation, SoftPart, COLUMNS_SQL};

#[cfg(feature = "sqlx")]
pub mod pg_sqlx;
