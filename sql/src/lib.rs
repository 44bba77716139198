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

mod console;
mod decode;
mod queries;
mod schema;

pub use console::{feed_console, ConsoleQuery, ConsoleRead, Outcome, ORGANIZATION_READS, USER_READS};
pub use decode::{
    feed_accounting, feed_clinical, feed_financial, feed_inventory, feed_lab, feed_operations, feed_patients,
    feed_staff, DomainAcc, Row, RowError,
};
pub use queries::{Query, QueryKind, ScopeParams, ACCOUNTING, CLINIC_ZONES_SQL, FINANCIAL, OPERATIONS};
pub use schema::{missing_relations, Domain, DomainSql, RequiredRelation, COLUMNS_SQL};

#[cfg(feature = "sqlx")]
pub mod pg_sqlx;
