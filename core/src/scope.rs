//! `MetricScope`: which clinics, which days, grouped how.

use crate::error::{OdxError, Result};
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The longest range a scope may span, in days (ten years and a leap margin).
/// It bounds every accumulator's trend and calendar state.
pub const MAX_RANGE_DAYS: i64 = 3_660;

/// The patients domain's default active window in months: a patient is
/// active with a completed visit in these months up to `to`.
pub const DEFAULT_ACTIVE_WINDOW_MONTHS: u32 = 18;

/// The longest active window, in months (ten years).
pub const MAX_ACTIVE_WINDOW_MONTHS: u32 = 120;

/// How a domain report splits its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One row per clinic of the scope (the default).
    #[default]
    Clinic,
    /// One row per (clinic, doctor); rows with no doctor form a `doctor_id: null` row.
    Doctor,
    /// Totals only, no rows.
    None,
}

impl GroupBy {
    /// The accepted spellings, for error messages.
    pub const ALLOWED: &'static [&'static str] = &["clinic", "doctor", "none"];

    /// The spelling used in requests and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Clinic => "clinic",
            GroupBy::Doctor => "doctor",
            GroupBy::None => "none",
        }
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GroupBy {
    type Err = OdxError;

    /// Parses `clinic`, `doctor` or `none` (case-sensitive).
    ///
    /// # Errors
    /// [`OdxError::InvalidOption`] naming the allowed values.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "clinic" => Ok(GroupBy::Clinic),
            "doctor" => Ok(GroupBy::Doctor),
            "none" => Ok(GroupBy::None),
            other => {
                Err(OdxError::InvalidOption { field: "group_by", value: other.to_owned(), allowed: GroupBy::ALLOWED })
            }
        }
    }
}

/// A range of local calendar days (both inclusive) read at an instant: what
/// a console read-out is asked for. `now` (`None`: read as a closed period,
/// as of the end of `to`) is an input, never read inside core.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The instant it is read at.
    pub now: Option<DateTime<Utc>>,
}

impl Period {
    /// `from..=to` read as a closed period.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        Period { from, to, now: None }
    }

    /// The same days read at `now` (`None`: as a closed period).
    pub fn at(self, now: Option<DateTime<Utc>>) -> Self {
        Period { now, ..self }
    }

    /// The scope of `clinic_ids` over these days, read at `now`.
    ///
    /// # Errors
    /// As [`MetricScope::new`] and [`MetricScope::at`].
    pub fn scope(&self, clinic_ids: impl IntoIterator<Item = i64>, group_by: GroupBy) -> Result<MetricScope> {
        let scope = MetricScope::new(clinic_ids, self.from, self.to, group_by)?;
        match self.now {
            Some(now) => scope.at(now),
            None => Ok(scope),
        }
    }
}

/// Whether every instant a scope around `day` reads (its local midnights,
/// the aging cuts and the longest active window before it, a forecast's
/// horizon after it: within 4,000 days either way) falls in the calendar a
/// database can take: years 1 to 9999, as Postgres reads an instant's text
/// (no year 0, no five-digit year). Outside it a date is refused with
/// `ODX_INVALID_DATE`, never sent to fail inside a statement.
fn in_calendar(day: NaiveDate) -> bool {
    let margin = chrono::Days::new(4_000);
    let first = NaiveDate::from_ymd_opt(1, 1, 2);
    let last = NaiveDate::from_ymd_opt(9999, 12, 30);
    match (day.checked_sub_days(margin), day.checked_add_days(margin), first, last) {
        (Some(low), Some(high), Some(first), Some(last)) => low >= first && high <= last,
        _ => false,
    }
}

/// Which clinics, which calendar days (both inclusive, local to each clinic),
/// and how to group. Built only through [`MetricScope::new`], so a scope that
/// exists is valid: `from <= to`, at most [`MAX_RANGE_DAYS`] days, clinic ids
/// sorted with duplicates removed. The patients domain also reads the active
/// window ([`MetricScope::with_active_window_months`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct MetricScope {
    clinic_ids: Vec<i64>,
    from: NaiveDate,
    to: NaiveDate,
    group_by: GroupBy,
    active_window_months: u32,
    /// The instant the report is read at (`now`), if given: balances and
    /// "today" are as of the earlier of it and the end of `to`. `None` reads
    /// the range as a closed period, as of the end of `to`.
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<DateTime<Utc>>,
}

impl MetricScope {
    /// Validates and builds a scope. Duplicate ids are ignored; an empty id
    /// list is allowed and yields zeroed totals with no groups.
    ///
    /// # Errors
    /// [`OdxError::InvalidRange`] when `from > to`, [`OdxError::RangeTooLong`]
    /// beyond [`MAX_RANGE_DAYS`], [`OdxError::DateOutOfBounds`] for dates at the
    /// very edge of chrono's calendar.
    ///
    /// # Example
    /// ```
    /// use odx_core::{GroupBy, MetricScope};
    /// use chrono::NaiveDate;
    /// let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    /// let scope = MetricScope::new([2, 1, 2], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
    /// assert_eq!(scope.clinic_ids(), &[1, 2]);
    /// assert_eq!(scope.days(), 30);
    /// let err = MetricScope::new([1], d("2026-07-01"), d("2026-06-30"), GroupBy::Clinic).unwrap_err();
    /// assert_eq!(err.code(), "ODX_INVALID_RANGE");
    /// ```
    pub fn new(
        clinic_ids: impl IntoIterator<Item = i64>,
        from: NaiveDate,
        to: NaiveDate,
        group_by: GroupBy,
    ) -> Result<Self> {
        if from > to {
            return Err(OdxError::InvalidRange { from, to });
        }
        let days = (to - from).num_days() + 1;
        if days > MAX_RANGE_DAYS {
            return Err(OdxError::RangeTooLong { days, max: MAX_RANGE_DAYS });
        }
        if !in_calendar(from) {
            return Err(OdxError::DateOutOfBounds { field: "from" });
        }
        if !in_calendar(to) {
            return Err(OdxError::DateOutOfBounds { field: "to" });
        }
        let mut clinic_ids: Vec<i64> = clinic_ids.into_iter().collect();
        clinic_ids.sort_unstable();
        clinic_ids.dedup();
        Ok(MetricScope {
            clinic_ids,
            from,
            to,
            group_by,
            active_window_months: DEFAULT_ACTIVE_WINDOW_MONTHS,
            now: None,
        })
    }

    /// The same scope with another active window for the patients domain:
    /// active patients are those with a completed visit in the `months`
    /// calendar months up to `to`.
    ///
    /// # Errors
    /// [`OdxError::InvalidWindow`] outside `1..=`[`MAX_ACTIVE_WINDOW_MONTHS`].
    pub fn with_active_window_months(self, months: i64) -> Result<Self> {
        match u32::try_from(months) {
            Ok(m) if (1..=MAX_ACTIVE_WINDOW_MONTHS).contains(&m) => Ok(MetricScope { active_window_months: m, ..self }),
            _ => Err(OdxError::InvalidWindow { months, max: MAX_ACTIVE_WINDOW_MONTHS }),
        }
    }

    /// The same scope read at `now`: a period still in progress at `now` is
    /// evaluated as of `now` (see [`MetricScope::now`]). The instant is taken
    /// to the whole second, as every cut is.
    ///
    /// # Errors
    /// [`OdxError::DateOutOfBounds`] (`as_of`) for an instant outside the
    /// years 1 to 9999.
    ///
    /// # Example
    /// ```
    /// use odx_core::{GroupBy, MetricScope};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    /// let june = MetricScope::new([1], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
    /// let mid_june = june.at(Utc.with_ymd_and_hms(2026, 6, 15, 7, 0, 0).unwrap()).unwrap();
    /// assert_eq!(mid_june.now(), Some(Utc.with_ymd_and_hms(2026, 6, 15, 7, 0, 0).unwrap()));
    /// ```
    pub fn at(self, now: DateTime<Utc>) -> Result<Self> {
        if !in_calendar(now.date_naive()) {
            return Err(OdxError::DateOutOfBounds { field: "as_of" });
        }
        let now = DateTime::from_timestamp(now.timestamp(), 0).ok_or(OdxError::DateOutOfBounds { field: "as_of" })?;
        Ok(MetricScope { now: Some(now), ..self })
    }

    /// The instant the scope is read at, if given ([`MetricScope::at`]).
    pub fn now(&self) -> Option<DateTime<Utc>> {
        self.now
    }

    /// The active window of the patients domain, in months.
    pub fn active_window_months(&self) -> u32 {
        self.active_window_months
    }

    /// This scope, when every clinic in it is one of `allowed` (the
    /// principal's clinics). A clinic outside is refused, never filtered away.
    ///
    /// # Errors
    /// [`OdxError::ForbiddenScope`] naming the first clinic outside `allowed`.
    pub fn within(self, allowed: &[i64]) -> Result<Self> {
        match self.clinic_ids.iter().find(|id| !allowed.contains(id)) {
            Some(id) => Err(OdxError::ForbiddenScope { clinic_id: *id }),
            None => Ok(self),
        }
    }

    /// The clinics, ascending, without duplicates.
    pub fn clinic_ids(&self) -> &[i64] {
        &self.clinic_ids
    }

    /// First day of the range (inclusive).
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// Last day of the range (inclusive); balances are as of its end.
    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// How rows are grouped.
    pub fn group_by(&self) -> GroupBy {
        self.group_by
    }

    /// Number of calendar days in the range, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Whether the scope includes the clinic.
    pub fn contains(&self, clinic_id: i64) -> bool {
        self.clinic_ids.binary_search(&clinic_id).is_ok()
    }

    /// The same clinics and grouping over the previous period of the same
    /// length, ending the day before `from`. A scope read at `now` gives a
    /// previous period read as far into itself: `now` moved back by the
    /// period's length, so "this month so far" compares with the same number
    /// of days before it, not with a whole period.
    ///
    /// # Errors
    /// [`OdxError::DateOutOfBounds`] at the edge of the calendar.
    pub fn previous_period(&self) -> Result<Self> {
        let len = chrono::Days::new(self.days() as u64);
        let from = self.from.checked_sub_days(len).ok_or(OdxError::DateOutOfBounds { field: "from" })?;
        let to = self.from.pred_opt().ok_or(OdxError::DateOutOfBounds { field: "from" })?;
        let now = self
            .now
            .map(|n| n.checked_sub_days(len).ok_or(OdxError::DateOutOfBounds { field: "as_of" }))
            .transpose()?;
        let previous = MetricScope::new(self.clinic_ids.iter().copied(), from, to, self.group_by)?;
        Ok(MetricScope { active_window_months: self.active_window_months, now, ..previous })
    }

    /// The same range and clinics, grouped differently.
    pub fn with_group_by(&self, group_by: GroupBy) -> Self {
        MetricScope { group_by, ..self.clone() }
    }

    /// The same range and grouping for one clinic of this scope.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`] when the clinic is not in this scope.
    pub fn only(&self, clinic_id: i64) -> Result<Self> {
        if !self.contains(clinic_id) {
            return Err(OdxError::RowOutsideScope { clinic_id });
        }
        Ok(MetricScope { clinic_ids: vec![clinic_id], ..self.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn from_after_to_is_a_typed_error() {
        let e = MetricScope::new([1], d("2026-06-02"), d("2026-06-01"), GroupBy::Clinic).unwrap_err();
        assert_eq!(e, OdxError::InvalidRange { from: d("2026-06-02"), to: d("2026-06-01") });
    }

    #[test]
    fn a_clinic_outside_the_allowed_set_is_refused_not_dropped() {
        let s = MetricScope::new([3, 1], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
        assert_eq!(s.clone().within(&[1, 2]).unwrap_err(), OdxError::ForbiddenScope { clinic_id: 3 });
        assert_eq!(s.clone().within(&[1, 2, 3]).unwrap(), s);
        let empty = MetricScope::new([], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
        assert!(empty.within(&[]).is_ok());
    }

    #[test]
    fn one_day_range_is_valid() {
        let s = MetricScope::new([1], d("2026-06-01"), d("2026-06-01"), GroupBy::None).unwrap();
        assert_eq!(s.days(), 1);
    }

    #[test]
    fn duplicates_are_ignored_and_ids_sorted() {
        let s = MetricScope::new([5, 3, 5, 3, 1], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
        assert_eq!(s.clinic_ids(), &[1, 3, 5]);
        assert!(s.contains(3) && !s.contains(4));
    }

    #[test]
    fn too_long_and_calendar_edges_are_refused() {
        let e = MetricScope::new([1], d("2000-01-01"), d("2026-01-01"), GroupBy::Clinic).unwrap_err();
        assert_eq!(e.code(), "ODX_RANGE_TOO_LONG");
        let e = MetricScope::new([1], NaiveDate::MIN, NaiveDate::MIN, GroupBy::Clinic).unwrap_err();
        assert_eq!(e.code(), "ODX_INVALID_DATE");
        let e = MetricScope::new([1], NaiveDate::MAX, NaiveDate::MAX, GroupBy::Clinic).unwrap_err();
        assert_eq!(e.code(), "ODX_INVALID_DATE");
    }

    #[test]
    fn group_by_parses_and_lists_allowed_values() {
        assert_eq!("doctor".parse::<GroupBy>().unwrap(), GroupBy::Doctor);
        let e = "branch".parse::<GroupBy>().unwrap_err();
        assert_eq!(e.to_string(), "invalid group_by \"branch\": expected one of clinic, doctor, none");
    }

    #[test]
    fn previous_period_has_the_same_length() {
        let s = MetricScope::new([1], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
        let p = s.previous_period().unwrap();
        assert_eq!((p.from(), p.to()), (d("2026-05-02"), d("2026-05-31")));
    }

    #[test]
    fn only_refuses_a_clinic_outside_the_scope() {
        let s = MetricScope::new([1, 2], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
        assert_eq!(s.only(2).unwrap().clinic_ids(), &[2]);
        assert_eq!(s.only(3).unwrap_err().code(), "ODX_ROW_OUTSIDE_SCOPE");
    }
}
