//! Row-level date rules, written once. Each rule decides something about one
//! row's date against the scope's `from..=to` (or against another date of the
//! same row); [`DateRule::holds`] is what the in-memory fold applies and
//! [`DateRule::sql`] is the same rule as the SQL expression the statements of
//! `odx-sql` select, so the two paths cannot drift apart. A test checks both
//! against each other on every edge.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a local date falls against the scope's `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DatePos {
    /// Before `from`.
    Before,
    /// In `from..=to`.
    In,
    /// After `to`.
    After,
}

impl DatePos {
    /// The position of `day` against `from..=to`. `to` is the as-of date,
    /// which is before `from` for a period wholly in the future: then
    /// nothing is in range and a day after `to` is after, never before.
    pub fn of(day: NaiveDate, from: NaiveDate, to: NaiveDate) -> DatePos {
        if day > to {
            DatePos::After
        } else if day >= from {
            DatePos::In
        } else {
            DatePos::Before
        }
    }

    /// The position as SQL: an `int4` 0 (before), 1 (in) or 2 (after), null
    /// for a null `column`; read back by [`DatePos::from_index`].
    pub fn sql(column: &str, from: &str, to: &str) -> String {
        format!(
            "(CASE WHEN {column} > {to} THEN 2 WHEN {column} >= {from} THEN 1 WHEN {column} < {from} THEN 0 END)::int4"
        )
    }

    /// The position from its SQL form ([`DatePos::sql`]).
    pub fn from_index(i: i32) -> Option<DatePos> {
        match i {
            0 => Some(DatePos::Before),
            1 => Some(DatePos::In),
            2 => Some(DatePos::After),
            _ => None,
        }
    }
}

/// How a date is compared with its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// Strictly before.
    Before,
    /// On or before.
    OnOrBefore,
    /// On the same day.
    On,
}

impl Cmp {
    fn holds(self, day: NaiveDate, bound: NaiveDate) -> bool {
        match self {
            Cmp::Before => day < bound,
            Cmp::OnOrBefore => day <= bound,
            Cmp::On => day == bound,
        }
    }

    fn sql(self) -> &'static str {
        match self {
            Cmp::Before => "<",
            Cmp::OnOrBefore => "<=",
            Cmp::On => "=",
        }
    }
}

/// A row's (nullable) date against the scope's `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRule {
    /// The comparison with `to`.
    pub cmp: Cmp,
    /// What a null date means.
    pub when_null: bool,
}

impl DateRule {
    /// Whether the rule holds for `day` in a scope ending on `to`.
    pub fn holds(self, day: Option<NaiveDate>, _from: NaiveDate, to: NaiveDate) -> bool {
        day.map_or(self.when_null, |d| self.cmp.holds(d, to))
    }

    /// The rule as a SQL boolean (never null) over `column` and the SQL
    /// expression of `to`.
    pub fn sql(self, column: &str, to: &str) -> String {
        format!("coalesce({column} {} {to}, {})", self.cmp.sql(), self.when_null)
    }
}

/// A lab case is past due when its due date is before `to` (it is overdue
/// when it is still open as of the end of `to`).
pub const LAB_DUE_BEFORE_TO: DateRule = DateRule { cmp: Cmp::Before, when_null: false };

/// A patient's recall is overdue when it fell due before `to` (and the
/// patient has not been seen since).
pub const RECALL_BEFORE_TO: DateRule = DateRule { cmp: Cmp::Before, when_null: false };

/// A user is on staff by `to` when hired on or before it (an unknown hire
/// date counts as hired).
pub const HIRED_BY_TO: DateRule = DateRule { cmp: Cmp::OnOrBefore, when_null: true };

/// An attendance day is "today" when it is `to` itself.
pub const ATTENDANCE_TODAY: DateRule = DateRule { cmp: Cmp::On, when_null: false };

/// A row's date against another date of the same row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairRule {
    /// The comparison of the first date with the second.
    pub cmp: Cmp,
    /// What a null date means.
    pub when_null: bool,
}

impl PairRule {
    /// Whether the rule holds for `day` against `other` (either null: the
    /// rule's `when_null`).
    pub fn holds(self, day: Option<NaiveDate>, other: Option<NaiveDate>) -> bool {
        day.zip(other).map_or(self.when_null, |(d, o)| self.cmp.holds(d, o))
    }

    /// The rule as a SQL boolean (never null).
    pub fn sql(self, column: &str, other: &str) -> String {
        format!("coalesce({column} {} {other}, {})", self.cmp.sql(), self.when_null)
    }
}

/// A lab case received before it was sent (bad data, counted, never used for
/// turnaround).
pub const RECEIVED_BEFORE_SENT: PairRule = PairRule { cmp: Cmp::Before, when_null: false };

/// A patient seen since the recall fell due: the recall date on or before
/// the last completed visit's local date.
pub const SEEN_SINCE_RECALL: PairRule = PairRule { cmp: Cmp::OnOrBefore, when_null: false };

/// Whole days from `to` to `day` (negative when `day` is before `to`):
/// how far an inventory batch's expiry is from the end of the range.
pub fn days_from_to(day: NaiveDate, to: NaiveDate) -> i32 {
    // A span beyond i32 cannot come from two calendar dates Postgres stores.
    i32::try_from((day - to).num_days()).unwrap_or(if day > to { i32::MAX } else { i32::MIN })
}

/// [`days_from_to`] as a SQL `int4` over `column` (null for a null date).
pub fn days_from_to_sql(column: &str, to: &str) -> String {
    format!("({column} - {to})::int4")
}

/// Whether `day` is within `from..=to` (attendance and payroll days).
pub fn in_range(day: NaiveDate, from: NaiveDate, to: NaiveDate) -> bool {
    DatePos::of(day, from, to) == DatePos::In
}

/// [`in_range`] as a SQL condition over `column`.
pub fn in_range_sql(column: &str, from: &str, to: &str) -> String {
    format!("{column} >= {from} AND {column} <= {to}")
}
