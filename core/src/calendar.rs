//! Calendar rules: trend buckets, weekday counts, local midnights, AR aging.
//!
//! Every cut that turns a timestamp or a date into a bucket is computed here,
//! once. The in-memory path classifies rows with these functions; the SQL
//! path receives the same cuts as parameters (`width_bucket` against the
//! arrays returned by [`ClinicClock::trend_cuts`] and
//! [`ClinicClock::aging_cuts`]), so no boundary is written twice.

use crate::error::{OdxError, Result};
use crate::scope::MetricScope;
use chrono::{DateTime, Datelike, Days, LocalResult, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A patient is at churn risk when the last completed visit is this many
/// calendar months or more before `to` (and nothing is booked after `to`).
pub const CHURN_AFTER_MONTHS: u32 = 9;

/// The time zone of a clinic whose `timezone` column is empty.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Karachi";

/// Ranges of at most this many days trend per day; longer ones per month.
pub const DAILY_TREND_MAX_DAYS: i64 = 62;

/// Width of a trend bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// One bucket per calendar day (ranges of at most 62 days).
    Day,
    /// One bucket per calendar month, the first and last cut to the range.
    Month,
}

/// The date side of a scope: trend buckets and weekday counts. It does not
/// depend on a time zone (dates are already local).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    from: NaiveDate,
    to: NaiveDate,
    granularity: Granularity,
    /// First day of each bucket, ascending; bucket `i` ends the day before
    /// `starts[i + 1]`, the last one on `to`.
    starts: Vec<NaiveDate>,
    /// The same for the day before `from`: a patient whose last visit before
    /// the range is on or before it was lapsed when the range began.
    churn_by_at_start: NaiveDate,
    /// The scope's `now` ([`MetricScope::now`]).
    now: Option<DateTime<Utc>>,
    /// The active window in months (patients).
    active_window_months: u32,
}

impl Calendar {
    /// The calendar of a scope's range.
    pub fn new(scope: &MetricScope) -> Self {
        let (from, to) = (scope.from(), scope.to());
        let granularity = if scope.days() <= DAILY_TREND_MAX_DAYS { Granularity::Day } else { Granularity::Month };
        let mut starts = Vec::new();
        let mut d = from;
        while d <= to {
            let new_bucket = match granularity {
                Granularity::Day => true,
                Granularity::Month => d == from || d.day() == 1,
            };
            if new_bucket {
                starts.push(d);
            }
            d = match d.succ_opt() {
                Some(n) => n,
                None => break,
            };
        }
        // MetricScope::new keeps 4000 days either side of the range
        // representable, more than the longest window.
        let churn = Months::new(CHURN_AFTER_MONTHS);
        let before_from = from.pred_opt().unwrap_or(from);
        let churn_by_at_start = before_from.checked_sub_months(churn).unwrap_or(before_from);
        Calendar {
            from,
            to,
            granularity,
            starts,
            churn_by_at_start,
            now: scope.now(),
            active_window_months: scope.active_window_months(),
        }
    }

    /// The latest last visit (before the range) of a patient lapsed when the
    /// range began: the day before `from` less
    /// [`CHURN_AFTER_MONTHS`] calendar months.
    pub fn churn_by_at_start(&self) -> NaiveDate {
        self.churn_by_at_start
    }

    /// Day or month.
    pub fn granularity(&self) -> Granularity {
        self.granularity
    }

    /// Number of trend buckets.
    pub fn bucket_count(&self) -> usize {
        self.starts.len()
    }

    /// First day of each trend bucket, ascending.
    pub fn bucket_starts(&self) -> &[NaiveDate] {
        &self.starts
    }

    /// First and last day (inclusive) of bucket `i`.
    pub fn bucket_bounds(&self, i: usize) -> Option<(NaiveDate, NaiveDate)> {
        let start = *self.starts.get(i)?;
        let end = match self.starts.get(i + 1) {
            Some(next) => next.pred_opt()?,
            None => self.to,
        };
        Some((start, end))
    }

    /// The bucket holding a local date, or `None` outside the range.
    pub fn bucket_of_date(&self, d: NaiveDate) -> Option<u32> {
        if d < self.from || d > self.to {
            return None;
        }
        Some((self.starts.partition_point(|s| *s <= d) - 1) as u32)
    }
}

/// An AR aging bucket: age in days = local date `to` - local issue date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum AgingBucket {
    /// 0 to 30 days old.
    #[serde(rename = "0-30")]
    Days0To30,
    /// 31 to 60 days old.
    #[serde(rename = "31-60")]
    Days31To60,
    /// 61 to 90 days old.
    #[serde(rename = "61-90")]
    Days61To90,
    /// 91 days old or more.
    #[serde(rename = "90+")]
    Over90,
}

impl AgingBucket {
    /// Youngest first.
    pub const ALL: [AgingBucket; 4] =
        [AgingBucket::Days0To30, AgingBucket::Days31To60, AgingBucket::Days61To90, AgingBucket::Over90];

    /// Oldest age (inclusive) of the bucket, `None` for the open 90+ bucket.
    pub fn max_age_days(self) -> Option<i64> {
        match self {
            AgingBucket::Days0To30 => Some(30),
            AgingBucket::Days31To60 => Some(60),
            AgingBucket::Days61To90 => Some(90),
            AgingBucket::Over90 => None,
        }
    }

    /// The bucket of an age in days; `None` for a negative age (issued after
    /// the as-of date, so not yet receivable).
    ///
    /// # Example
    /// ```
    /// use odx_core::AgingBucket;
    /// assert_eq!(AgingBucket::from_age_days(30), Some(AgingBucket::Days0To30));
    /// assert_eq!(AgingBucket::from_age_days(31), Some(AgingBucket::Days31To60));
    /// assert_eq!(AgingBucket::from_age_days(91), Some(AgingBucket::Over90));
    /// assert_eq!(AgingBucket::from_age_days(-1), None);
    /// ```
    pub fn from_age_days(days: i64) -> Option<AgingBucket> {
        if days < 0 {
            return None;
        }
        AgingBucket::ALL.into_iter().find(|b| b.max_age_days().is_none_or(|max| days <= max))
    }

    /// Label used in reports: `0-30`, `31-60`, `61-90`, `90+`.
    pub fn label(self) -> &'static str {
        match self {
            AgingBucket::Days0To30 => "0-30",
            AgingBucket::Days31To60 => "31-60",
            AgingBucket::Days61To90 => "61-90",
            AgingBucket::Over90 => "90+",
        }
    }

    /// Index into [`AgingBucket::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The bucket for a `width_bucket` position against
    /// [`ClinicClock::aging_cuts`] (the number of cuts at or before the issue
    /// instant): 0 is 90+, 3 is 0-30. `None` for any other position.
    pub fn from_cut_position(position: u32) -> Option<AgingBucket> {
        let p = position as usize;
        (p < AgingBucket::ALL.len()).then(|| AgingBucket::ALL[AgingBucket::ALL.len() - 1 - p])
    }
}

/// Parses a clinic time-zone name; an empty name means [`DEFAULT_TIME_ZONE`].
///
/// # Errors
/// [`OdxError::UnknownTimeZone`] for a name that is not in the IANA database.
pub fn parse_time_zone(clinic_id: i64, name: &str) -> Result<Tz> {
    let name = if name.trim().is_empty() { DEFAULT_TIME_ZONE } else { name.trim() };
    name.parse::<Tz>().map_err(|_| OdxError::UnknownTimeZone { clinic_id, name: name.to_owned() })
}

/// The first instant of local date `d` in `tz`: local midnight, or where
/// midnight falls in a daylight-saving gap, the first instant after the gap;
/// where midnight happens twice, the earlier one.
pub fn local_midnight(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    let mut day = d;
    // A zone can skip a whole local day (Pacific/Apia, 2011-12-30): that day
    // then has no instant and starts where the next one does.
    for _ in 0..3 {
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        for minute in 0..24 * 60 {
            let naive = midnight + chrono::Duration::minutes(minute);
            match tz.from_local_datetime(&naive) {
                LocalResult::Single(t) => return t.with_timezone(&Utc),
                LocalResult::Ambiguous(a, b) => return a.min(b).with_timezone(&Utc),
                LocalResult::None => continue,
            }
        }
        day = day.succ_opt().unwrap_or(day);
    }
    Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN))
}

/// The instants side of a scope for one clinic: where each trend bucket
/// starts, the as-of instant (the earlier of the end of the range and the
/// scope's `now`), where the range-bound facts stop (at the as-of instant),
/// and the aging cuts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicClock {
    tz: Tz,
    /// Local midnight of each bucket start (never after the as-of instant),
    /// then the as-of instant.
    cuts: Vec<DateTime<Utc>>,
    /// Local midnights of `as_of_date - 90`, `- 60`, `- 30`.
    aging: [DateTime<Utc>; 3],
    /// The same instants in Unix seconds, for the classification hot path.
    cut_secs: Vec<i64>,
    aging_secs: [i64; 3],
    /// Local midnights of the active window's first day and of the days
    /// after the churn dates at the as-of date and at the start (patients).
    patient_cuts: [DateTime<Utc>; 3],
    /// First day of the patients domain's active window: the as-of date
    /// plus a day, less the window's months.
    active_since: NaiveDate,
    /// The latest last-visit date of a patient at churn risk: the as-of date
    /// less [`CHURN_AFTER_MONTHS`] calendar months.
    churn_by: NaiveDate,
    /// The local date of the last instant before the as-of instant: `to` for
    /// a closed period, today's date for a period in progress.
    as_of_date: NaiveDate,
    /// How many times each ISO weekday occurs in `from..=as_of_date`.
    weekday_counts: [u32; 7],
}

impl ClinicClock {
    /// The clock of one clinic for a calendar.
    pub fn new(tz: Tz, calendar: &Calendar) -> Self {
        let after_to = calendar.to.succ_opt().unwrap_or(calendar.to);
        let range_end = local_midnight(tz, after_to);
        let as_of = calendar.now.map_or(range_end, |now| now.min(range_end));
        let as_of_date = if as_of == range_end {
            calendar.to
        } else {
            (as_of - chrono::Duration::seconds(1)).with_timezone(&tz).date_naive()
        };
        let mut cuts: Vec<DateTime<Utc>> = calendar.starts.iter().map(|d| local_midnight(tz, *d).min(as_of)).collect();
        cuts.push(as_of);
        // AgingBucket::ALL youngest first: the cut of a bounded bucket is the
        // first instant of the oldest issue date that still belongs to it.
        let cut = |b: AgingBucket| {
            let max = b.max_age_days().unwrap_or(0) as u64;
            local_midnight(tz, as_of_date.checked_sub_days(Days::new(max)).unwrap_or(as_of_date))
        };
        let aging = [cut(AgingBucket::Days61To90), cut(AgingBucket::Days31To60), cut(AgingBucket::Days0To30)];
        let cut_secs = cuts.iter().map(|c| c.timestamp()).collect();
        let aging_secs = aging.map(|c| c.timestamp());
        let day_after = |d: NaiveDate| local_midnight(tz, d.succ_opt().unwrap_or(d));
        let after_as_of = as_of_date.succ_opt().unwrap_or(as_of_date);
        let active_since =
            after_as_of.checked_sub_months(Months::new(calendar.active_window_months)).unwrap_or(as_of_date);
        let churn_by = as_of_date.checked_sub_months(Months::new(CHURN_AFTER_MONTHS)).unwrap_or(as_of_date);
        let patient_cuts =
            [local_midnight(tz, active_since), day_after(churn_by), day_after(calendar.churn_by_at_start)];
        let mut weekday_counts = [0u32; 7];
        let mut d = calendar.from;
        while d <= as_of_date {
            weekday_counts[d.weekday().num_days_from_monday() as usize] += 1;
            d = match d.succ_opt() {
                Some(n) => n,
                None => break,
            };
        }
        ClinicClock {
            tz,
            cuts,
            aging,
            cut_secs,
            aging_secs,
            patient_cuts,
            active_since,
            churn_by,
            as_of_date,
            weekday_counts,
        }
    }

    /// The clinic's time zone.
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// Local midnight of `from`: the first instant of the range.
    pub fn range_start(&self) -> DateTime<Utc> {
        self.cuts[0]
    }

    /// The as-of instant: the earlier of local midnight of `to + 1 day` (the
    /// end of the range) and the scope's `now`. Every balance is evaluated
    /// at it, and the range-bound facts stop there.
    pub fn as_of(&self) -> DateTime<Utc> {
        self.cuts[self.cuts.len() - 1]
    }

    /// First day of the active window (patients).
    pub fn active_since(&self) -> NaiveDate {
        self.active_since
    }

    /// The latest last-visit date that puts a patient at churn risk.
    pub fn churn_by(&self) -> NaiveDate {
        self.churn_by
    }

    /// How many times each ISO weekday (index 0 = Monday ... 6 = Sunday)
    /// occurs in `from..=as_of_date`.
    pub fn weekday_counts(&self) -> [u32; 7] {
        self.weekday_counts
    }

    /// The local date of the last instant before the as-of instant: `to` for
    /// a closed period, the date of `now` for one in progress (before `from`
    /// for a period wholly in the future). Date-keyed facts count up to it
    /// and "today" is it.
    pub fn as_of_date(&self) -> NaiveDate {
        self.as_of_date
    }

    /// How many times ISO weekday `w` (1 = Monday ... 7 = Sunday) occurs in
    /// `from..=as_of_date` (the elapsed days of the range); `None` for a
    /// weekday outside 1..=7.
    pub fn weekday_count(&self, iso_weekday: i16) -> Option<u32> {
        (1..=7).contains(&iso_weekday).then(|| self.weekday_counts[(iso_weekday - 1) as usize])
    }

    /// Whether an instant falls in the range up to the as-of instant:
    /// `local_midnight(from) <= t < as_of`.
    pub fn in_range(&self, t: DateTime<Utc>) -> bool {
        t >= self.range_start() && t < self.as_of()
    }

    /// The trend bucket of an instant, `None` outside the range.
    #[inline]
    pub fn trend_bucket(&self, t: DateTime<Utc>) -> Option<u32> {
        self.trend_bucket_secs(t.timestamp())
    }

    /// [`ClinicClock::trend_bucket`] of a Unix second. Cuts are whole
    /// seconds, so `cut <= t` exactly when `cut <= floor(t)`.
    #[inline]
    pub fn trend_bucket_secs(&self, s: i64) -> Option<u32> {
        let p = self.cut_secs.partition_point(|c| *c <= s);
        (p >= 1 && p < self.cut_secs.len()).then(|| (p - 1) as u32)
    }

    /// The start instant of each trend bucket, ascending: SQL's
    /// `width_bucket(t, cuts) - 1` is the bucket of an in-range `t`.
    pub fn trend_cuts(&self) -> &[DateTime<Utc>] {
        &self.cuts[..self.cuts.len() - 1]
    }

    /// The range cuts `[range start, as-of]`: SQL's `width_bucket(t, cuts)` is
    /// 0 before the range, 1 inside it, 2 after it.
    pub fn range_cuts(&self) -> [DateTime<Utc>; 2] {
        [self.range_start(), self.as_of()]
    }

    /// [`ClinicClock::range_cuts`] position of an instant.
    pub fn range_position(&self, t: DateTime<Utc>) -> u32 {
        self.range_cuts().partition_point(|c| *c <= t) as u32
    }

    /// The aging cuts, ascending: local midnights of `as_of_date - 90`,
    /// `- 60`, `- 30`. See [`AgingBucket::from_cut_position`].
    pub fn aging_cuts(&self) -> [DateTime<Utc>; 3] {
        self.aging
    }

    /// The aging bucket of an invoice issued at `t`, or `None` when it was
    /// issued at or after the as-of instant.
    #[inline]
    pub fn aging_bucket(&self, t: DateTime<Utc>) -> Option<AgingBucket> {
        self.aging_bucket_secs(t.timestamp())
    }

    /// [`ClinicClock::aging_bucket`] of a Unix second.
    #[inline]
    pub fn aging_bucket_secs(&self, s: i64) -> Option<AgingBucket> {
        if s >= self.cut_secs[self.cut_secs.len() - 1] {
            return None;
        }
        AgingBucket::from_cut_position(self.aging_secs.partition_point(|c| *c <= s) as u32)
    }

    /// The patients cuts: `[active window start, churn end, churn end at the
    /// start]`. A last visit at or after the first is in the active window;
    /// one before the second (on or before [`ClinicClock::churn_by`]) is long
    /// enough ago for churn; a last visit before the range that is before the
    /// third (on or before [`Calendar::churn_by_at_start`]) was lapsed when the
    /// range began.
    pub fn patient_cuts(&self) -> [DateTime<Utc>; 3] {
        self.patient_cuts
    }

    /// The local calendar date of an instant.
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::GroupBy;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn scope(from: &str, to: &str) -> MetricScope {
        MetricScope::new([1], d(from), d(to), GroupBy::Clinic).unwrap()
    }

    #[test]
    fn daily_up_to_62_days_then_monthly() {
        let c = Calendar::new(&scope("2026-01-01", "2026-03-03"));
        assert_eq!((c.granularity(), c.bucket_count()), (Granularity::Day, 62));
        let c = Calendar::new(&scope("2026-01-15", "2026-03-17"));
        assert_eq!((c.granularity(), c.bucket_count()), (Granularity::Day, 62));
        let c = Calendar::new(&scope("2026-01-15", "2026-03-18"));
        assert_eq!(c.granularity(), Granularity::Month);
        assert_eq!(c.bucket_starts(), &[d("2026-01-15"), d("2026-02-01"), d("2026-03-01")]);
        assert_eq!(c.bucket_bounds(0), Some((d("2026-01-15"), d("2026-01-31"))));
        assert_eq!(c.bucket_bounds(2), Some((d("2026-03-01"), d("2026-03-18"))));
        assert_eq!(c.bucket_of_date(d("2026-02-28")), Some(1));
        assert_eq!(c.bucket_of_date(d("2026-03-19")), None);
    }

    #[test]
    fn weekday_counts_cover_the_range() {
        // June 2026 starts on a Monday: 30 days = 4 full weeks + Mon, Tue.
        let c = ClinicClock::new(parse_time_zone(1, "").unwrap(), &Calendar::new(&scope("2026-06-01", "2026-06-30")));
        assert_eq!(c.weekday_counts(), [5, 5, 4, 4, 4, 4, 4]);
        assert_eq!(c.weekday_count(1), Some(5));
        assert_eq!(c.weekday_count(8), None);
    }

    #[test]
    fn karachi_midnight_is_19_utc_the_day_before() {
        let tz = parse_time_zone(1, "Asia/Karachi").unwrap();
        assert_eq!(local_midnight(tz, d("2026-06-01")), utc("2026-05-31T19:00:00Z"));
        assert_eq!(parse_time_zone(1, "").unwrap(), tz);
        assert_eq!(parse_time_zone(7, "Mars/Olympus").unwrap_err().code(), "ODX_BAD_TIME_ZONE");
    }

    #[test]
    fn midnight_in_a_dst_gap_is_the_first_instant_after_it() {
        // Sao Paulo sprang forward at local midnight on 2018-11-04.
        let tz = parse_time_zone(1, "America/Sao_Paulo").unwrap();
        assert_eq!(local_midnight(tz, d("2018-11-04")), utc("2018-11-04T03:00:00Z"));
        // and fell back at its midnight of 2019-02-17 (to 23:00 of the 16th),
        // so the 17th starts at 00:00 -03.
        assert_eq!(local_midnight(tz, d("2019-02-16")), utc("2019-02-16T02:00:00Z"));
        assert_eq!(local_midnight(tz, d("2019-02-17")), utc("2019-02-17T03:00:00Z"));
    }

    #[test]
    fn a_midnight_that_happens_twice_is_the_earlier_one() {
        // Havana fell back from 01:00 CDT to 00:00 CST on 2019-11-03.
        let tz = parse_time_zone(1, "America/Havana").unwrap();
        assert_eq!(local_midnight(tz, d("2019-11-03")), utc("2019-11-03T04:00:00Z"));
    }

    #[test]
    fn a_skipped_day_starts_where_the_next_one_does() {
        let tz = parse_time_zone(1, "Pacific/Apia").unwrap();
        assert_eq!(local_midnight(tz, d("2011-12-30")), local_midnight(tz, d("2011-12-31")));
        assert_eq!(local_midnight(tz, d("2011-12-31")), utc("2011-12-30T10:00:00Z"));
    }

    #[test]
    fn range_and_buckets_follow_local_midnight() {
        let s = scope("2026-06-01", "2026-06-30");
        let cal = Calendar::new(&s);
        let clock = ClinicClock::new(parse_time_zone(1, "Asia/Dubai").unwrap(), &cal);
        // 23:30 Dubai on May 31 is before the range; 00:30 on June 1 inside.
        assert_eq!(clock.trend_bucket(utc("2026-05-31T19:30:00Z")), None);
        assert_eq!(clock.trend_bucket(utc("2026-05-31T20:30:00Z")), Some(0));
        assert_eq!(clock.trend_bucket(utc("2026-06-30T19:30:00Z")), Some(29));
        assert_eq!(clock.trend_bucket(utc("2026-06-30T20:00:00Z")), None);
        assert_eq!(clock.as_of(), utc("2026-06-30T20:00:00Z"));
        assert_eq!(clock.trend_cuts().len(), 30);
    }

    #[test]
    fn aging_cuts_agree_with_age_in_days_at_every_age() {
        let s = scope("2026-06-01", "2026-06-30");
        let cal = Calendar::new(&s);
        for zone in ["Asia/Karachi", "Asia/Dubai", "America/New_York", "Pacific/Chatham"] {
            let tz = parse_time_zone(1, zone).unwrap();
            let clock = ClinicClock::new(tz, &cal);
            for age in -3i64..200 {
                let day = if age >= 0 {
                    s.to().checked_sub_days(Days::new(age as u64)).unwrap()
                } else {
                    s.to().checked_add_days(Days::new((-age) as u64)).unwrap()
                };
                let first = local_midnight(tz, day);
                let last = local_midnight(tz, day.succ_opt().unwrap()) - chrono::Duration::seconds(1);
                for t in [first, last] {
                    assert_eq!(clock.aging_bucket(t), AgingBucket::from_age_days(age), "zone {zone}, age {age} days");
                }
            }
        }
    }

    #[test]
    fn aging_boundaries() {
        use AgingBucket::*;
        for (age, b) in [
            (0, Days0To30),
            (30, Days0To30),
            (31, Days31To60),
            (60, Days31To60),
            (61, Days61To90),
            (90, Days61To90),
            (91, Over90),
            (10_000, Over90),
        ] {
            assert_eq!(AgingBucket::from_age_days(age), Some(b), "age {age}");
        }
        assert_eq!(AgingBucket::from_cut_position(4), None);
        assert_eq!(AgingBucket::Over90.label(), "90+");
    }
}
