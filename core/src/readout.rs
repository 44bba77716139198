//! How the console's main job shows a domain report in a terminal: a
//! heading, one row per branch and one for the network under the domain's
//! columns, and a few lines about the network's figures. Each domain states
//! its read-out beside its KPIs ([`Readout`] in its own file); the CLI only
//! renders cells (money in PKR with thousands separators, rates as
//! percentages), so a new domain is shown without touching it.

use crate::scope::MetricScope;
use rust_decimal::Decimal;

/// One cell of a read-out row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// PKR (`-` when there is none).
    Money(Option<Decimal>),
    /// A count.
    Count(u64),
    /// A fraction, shown as a percentage (`-` without data).
    Rate(Option<Decimal>),
    /// Anything else, already written.
    Text(String),
}

/// How a domain's metrics are read out (see the module).
pub trait Readout {
    /// The column headings after `Branch`.
    const COLUMNS: &'static [&'static str];
    /// The heading over the table.
    fn heading(scope: &MetricScope) -> String;
    /// One row's cells, in the order of [`Readout::COLUMNS`].
    fn cells(&self) -> Vec<Cell>;
    /// The lines under the table, about these (the network's) metrics:
    /// `branch` names a clinic id, `money` writes PKR as the cells are.
    fn notes(&self, branch: &dyn Fn(i64) -> String, money: &dyn Fn(Decimal) -> String) -> Vec<String>;
}
