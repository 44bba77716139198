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

mod accounting;
mod clinical;
mod console;
mod decode;
mod financial;
mod inventory;
mod lab;
mod operations;
mod patients;
mod queries;
mod schema;
mod staff;

pub use accounting::{feed_accounting, ACCOUNTING};
pub use clinical::{feed_clinical, CLINICAL};
pub use console::{feed_console, ConsoleQuery, ConsoleRead, Outcome, ORGANIZATION_READS, USER_READS};
pub use decode::{DomainAcc, Row, RowError};
pub use financial::{feed_financial, FINANCIAL};
pub use inventory::{feed_inventory, INVENTORY};
pub use lab::{feed_lab, LAB};
pub use operations::{feed_operations, OPERATIONS};
pub use patients::{feed_patients, PATIENTS};
pub use queries::{Param, Query, QueryKind, ScopeParams, CLINIC_ZONES_SQL};
pub use schema::{missing_relations, Domain, DomainSql, RequiredRelation, COLUMNS_SQL};
pub use staff::{feed_staff, STAFF};

#[cfg(feature = "sqlx")]
pub mod pg_sqlx;
