//! The frame every accumulator of one scope shares: the scope, its calendar,
//! one clock per clinic, and the clinic-id -> slot index.

use crate::calendar::{parse_time_zone, Calendar, ClinicClock, DEFAULT_TIME_ZONE};
use crate::error::{OdxError, Result};
use crate::scope::{GroupBy, MetricScope};
use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// What odx knows of each clinic: where it lives (its IANA time-zone name,
/// `clinics.timezone`) and what it is called (`clinics.name`, `city`), and
/// the names of the doctors its rows may name (`users.name`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClinicDirectory {
    clinics: FxHashMap<i64, ClinicInfo>,
    doctors: FxHashMap<i64, String>,
}

/// A clinic of the directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClinicInfo {
    /// IANA time-zone name (blank: the default zone).
    pub zone: String,
    /// The branch's name.
    pub name: String,
    /// Its city.
    pub city: String,
}

impl ClinicDirectory {
    /// A directory from `(clinic id, time-zone name)` pairs, without names.
    /// Names are checked when a scope uses the clinic, so one bad row
    /// elsewhere cannot fail a report that does not include it.
    pub fn new<S: Into<String>>(pairs: impl IntoIterator<Item = (i64, S)>) -> Self {
        ClinicDirectory::of_clinics(
            pairs.into_iter().map(|(id, tz)| (id, ClinicInfo { zone: tz.into(), ..ClinicInfo::default() })),
        )
    }

    /// A directory of clinics with their zones, names and cities.
    pub fn of_clinics(clinics: impl IntoIterator<Item = (i64, ClinicInfo)>) -> Self {
        ClinicDirectory { clinics: clinics.into_iter().collect(), doctors: FxHashMap::default() }
    }

    /// The same directory with the doctors' names (`users.id`, `users.name`).
    pub fn with_doctors<S: Into<String>>(self, doctors: impl IntoIterator<Item = (i64, S)>) -> Self {
        ClinicDirectory { doctors: doctors.into_iter().map(|(id, n)| (id, n.into())).collect(), ..self }
    }

    /// Every clinic on the default time zone.
    pub fn with_default_zone(ids: impl IntoIterator<Item = i64>) -> Self {
        ClinicDirectory::new(ids.into_iter().map(|id| (id, String::new())))
    }

    /// The time-zone name of a clinic, if known.
    pub fn zone_name(&self, clinic_id: i64) -> Option<&str> {
        self.clinics.get(&clinic_id).map(|c| c.zone.as_str())
    }

    /// A clinic, if known.
    pub fn clinic(&self, clinic_id: i64) -> Option<&ClinicInfo> {
        self.clinics.get(&clinic_id)
    }
}

/// A validated scope bound to its clinics' clocks. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Frame {
    inner: Arc<FrameInner>,
}

#[derive(Debug, PartialEq, Eq)]
struct FrameInner {
    scope: MetricScope,
    calendar: Calendar,
    clocks: Vec<ClinicClock>,
    /// Each clinic's name and city, in scope order.
    names: Vec<(String, String)>,
    /// The doctors' names the directory knows.
    doctors: FxHashMap<i64, String>,
    slots: FxHashMap<i64, u32>,
    /// When the ids span at most [`DENSE_SPAN`] values: slot of `id - base`
    /// (`u32::MAX` for ids outside the scope), so the hot path does not hash.
    dense: Option<(i64, Vec<u32>)>,
}

/// The widest id span that gets a direct slot table.
const DENSE_SPAN: i64 = 1 << 16;

impl Frame {
    /// Binds a scope to the directory.
    ///
    /// # Errors
    /// [`OdxError::UnknownClinic`] for a scope clinic missing from the
    /// directory, [`OdxError::UnknownTimeZone`] for a bad zone name.
    pub fn new(scope: &MetricScope, directory: &ClinicDirectory) -> Result<Frame> {
        let calendar = Calendar::new(scope);
        let mut clocks: Vec<ClinicClock> = Vec::with_capacity(scope.clinic_ids().len());
        let mut names = Vec::with_capacity(scope.clinic_ids().len());
        let mut slots = FxHashMap::default();
        // A clock is a function of its zone and the calendar alone: the
        // branches of one zone (most of a network) share the first one's.
        let mut zones: Vec<(chrono_tz::Tz, usize)> = Vec::new();
        for (slot, &id) in scope.clinic_ids().iter().enumerate() {
            let clinic = directory.clinic(id).ok_or(OdxError::UnknownClinic { clinic_id: id })?;
            let tz = parse_time_zone(id, &clinic.zone)?;
            let clock = match zones.iter().find(|(z, _)| *z == tz) {
                Some(&(_, first)) => clocks[first].clone(),
                None => {
                    zones.push((tz, slot));
                    ClinicClock::new(tz, &calendar)
                }
            };
            clocks.push(clock);
            names.push((clinic.name.trim().to_owned(), clinic.city.trim().to_owned()));
            slots.insert(id, slot as u32);
        }
        let doctors =
            if scope.group_by() == GroupBy::Doctor { directory.doctors.clone() } else { FxHashMap::default() };
        let ids = scope.clinic_ids();
        let dense = match (ids.first(), ids.last()) {
            (Some(&lo), Some(&hi)) if hi.checked_sub(lo).is_some_and(|span| span < DENSE_SPAN) => {
                let mut table = vec![u32::MAX; (hi - lo + 1) as usize];
                for (slot, id) in ids.iter().enumerate() {
                    table[(id - lo) as usize] = slot as u32;
                }
                Some((lo, table))
            }
            _ => None,
        };
        Ok(Frame {
            inner: Arc::new(FrameInner { scope: scope.clone(), calendar, clocks, names, doctors, slots, dense }),
        })
    }

    /// The scope.
    pub fn scope(&self) -> &MetricScope {
        &self.inner.scope
    }

    /// The calendar of the scope's range.
    pub fn calendar(&self) -> &Calendar {
        &self.inner.calendar
    }

    /// The grouping.
    pub fn group_by(&self) -> GroupBy {
        self.inner.scope.group_by()
    }

    /// The slot of a clinic (its position in `scope.clinic_ids()`).
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`] when the clinic is not in the scope.
    #[inline]
    pub fn slot(&self, clinic_id: i64) -> Result<usize> {
        if let Some((base, table)) = &self.inner.dense {
            return clinic_id
                .checked_sub(*base)
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| table.get(i))
                .filter(|s| **s != u32::MAX)
                .map(|s| *s as usize)
                .ok_or(OdxError::RowOutsideScope { clinic_id });
        }
        self.inner.slots.get(&clinic_id).map(|s| *s as usize).ok_or(OdxError::RowOutsideScope { clinic_id })
    }

    /// The clock of a clinic of the scope.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`] when the clinic is not in the scope.
    #[inline]
    pub fn clock(&self, clinic_id: i64) -> Result<&ClinicClock> {
        Ok(&self.inner.clocks[self.slot(clinic_id)?])
    }

    /// Whether a clinic's local date is in its range: from `from` up to its
    /// as-of date (where a date-keyed fact stops counting).
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`] when the clinic is not in the scope.
    pub fn date_in_range(&self, clinic_id: i64, day: chrono::NaiveDate) -> Result<bool> {
        Ok(crate::rules::in_range(day, self.inner.scope.from(), self.clock(clinic_id)?.as_of_date()))
    }

    /// The name and city of the clinic at a slot.
    pub(crate) fn names_at(&self, slot: usize) -> (&str, &str) {
        let (name, city) = &self.inner.names[slot];
        (name, city)
    }

    /// A doctor's name, when the directory knows it.
    pub(crate) fn doctor_name(&self, doctor_id: i64) -> Option<&str> {
        self.inner.doctors.get(&doctor_id).map(String::as_str)
    }

    /// The clock at a slot.
    #[inline]
    pub(crate) fn clock_at(&self, slot: usize) -> &ClinicClock {
        &self.inner.clocks[slot]
    }

    /// The as-of instant of the scope: the latest of its clinics' (they
    /// differ only for a closed period over several time zones, each as of
    /// its own midnight); for an empty scope, that of a clinic on the
    /// default time zone.
    pub fn as_of(&self) -> DateTime<Utc> {
        match self.inner.clocks.iter().map(ClinicClock::as_of).max() {
            Some(t) => t,
            None => self.default_clock().as_of(),
        }
    }

    /// The last local date the scope's facts reach: the latest of its
    /// clinics' as-of dates (`to` for a closed period).
    pub fn as_of_date(&self) -> chrono::NaiveDate {
        match self.inner.clocks.iter().map(ClinicClock::as_of_date).max() {
            Some(d) => d,
            None => self.default_clock().as_of_date(),
        }
    }

    /// The clock of a clinic on the default time zone (an empty scope's).
    fn default_clock(&self) -> ClinicClock {
        ClinicClock::new(
            parse_time_zone(0, DEFAULT_TIME_ZONE).unwrap_or(chrono_tz::Asia::Karachi),
            &self.inner.calendar,
        )
    }

    /// Whether two frames describe the same scope and clocks.
    pub fn same_as(&self, other: &Frame) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner) || self.inner == other.inner
    }
}

/// A domain's facts: a sufficient statistic that merges exactly.
pub(crate) trait Facts: Clone {
    /// Adds another partial state of the same group.
    fn merge(&mut self, other: &Self) -> Result<()>;
}

/// Group key of a per-doctor row: `(clinic id, doctor id)`.
pub(crate) type DoctorKey = (i64, Option<i64>);

/// Per-clinic facts (always kept: they make the totals and the clinic rows)
/// and, when grouping by doctor, per-(clinic, doctor) facts.
///
/// Slots are created on first use, so a partial state that saw one branch
/// carries (and merges) one slot, not one per clinic of the scope.
#[derive(Debug, Clone)]
pub(crate) struct Grouped<F> {
    proto: F,
    clinics: Vec<Option<F>>,
    doctors: Option<FxHashMap<DoctorKey, F>>,
}

impl<F: Facts> Grouped<F> {
    pub(crate) fn new(frame: &Frame, proto: F) -> Self {
        let doctors = (frame.group_by() == GroupBy::Doctor).then(FxHashMap::default);
        Grouped { clinics: vec![None; frame.scope().clinic_ids().len()], proto, doctors }
    }

    /// The clinic's facts, and the doctor's when grouping by doctor.
    #[inline]
    pub(crate) fn slots(&mut self, slot: usize, clinic_id: i64, doctor_id: Option<i64>) -> (&mut F, Option<&mut F>) {
        let clinic = self.clinics[slot].get_or_insert_with(|| self.proto.clone());
        let doctor = match &mut self.doctors {
            Some(map) => Some(map.entry((clinic_id, doctor_id)).or_insert_with(|| self.proto.clone())),
            None => None,
        };
        (clinic, doctor)
    }

    /// The clinic's facts only.
    #[inline]
    pub(crate) fn clinic(&mut self, slot: usize) -> &mut F {
        self.clinics[slot].get_or_insert_with(|| self.proto.clone())
    }

    /// Every clinic's facts in scope order (zeros for clinics with none).
    pub(crate) fn clinic_facts(&self) -> impl Iterator<Item = &F> {
        self.clinics.iter().map(|c| c.as_ref().unwrap_or(&self.proto))
    }

    /// The doctor's facts only, when grouping by doctor.
    pub(crate) fn doctor(&mut self, key: DoctorKey) -> Option<&mut F> {
        let proto = &self.proto;
        self.doctors.as_mut().map(|m| m.entry(key).or_insert_with(|| proto.clone()))
    }

    pub(crate) fn merge(&mut self, other: &Self) -> Result<()> {
        for (mine, theirs) in self.clinics.iter_mut().zip(&other.clinics) {
            match (mine.as_mut(), theirs) {
                (_, None) => {}
                (Some(m), Some(t)) => m.merge(t)?,
                (None, Some(t)) => *mine = Some(t.clone()),
            }
        }
        if let (Some(mine), Some(theirs)) = (&mut self.doctors, &other.doctors) {
            for (key, facts) in theirs {
                match mine.get_mut(key) {
                    Some(m) => m.merge(facts)?,
                    None => {
                        mine.insert(*key, facts.clone());
                    }
                }
            }
        }
        Ok(())
    }

    /// Doctor rows sorted by clinic, then doctor (the no-doctor row last).
    pub(crate) fn doctor_rows(&self) -> Vec<(DoctorKey, &F)> {
        let mut rows: Vec<_> = self.doctors.iter().flatten().map(|(k, f)| (*k, f)).collect();
        rows.sort_by_key(|((c, d), _)| (*c, d.is_none(), *d));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn frame(ids: &[i64]) -> Frame {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let scope = MetricScope::new(ids.iter().copied(), d, d, GroupBy::Clinic).unwrap();
        Frame::new(&scope, &ClinicDirectory::with_default_zone(ids.iter().copied())).unwrap()
    }

    #[test]
    fn dense_and_sparse_ids_find_the_same_slots_and_refuse_the_same_ids() {
        for ids in [vec![3, 5, 9], vec![-7, 3, 1 << 40, i64::MAX], vec![i64::MIN, 0]] {
            let f = frame(&ids);
            for (slot, id) in ids.iter().enumerate() {
                assert_eq!(f.slot(*id).unwrap(), slot, "ids {ids:?}");
            }
            for outside in [4, 6, -8, i64::MIN + 1, i64::MAX - 1] {
                if !ids.contains(&outside) {
                    assert_eq!(
                        f.slot(outside).unwrap_err(),
                        OdxError::RowOutsideScope { clinic_id: outside },
                        "ids {ids:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_scope_clinic_missing_from_the_directory_is_refused() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let scope = MetricScope::new([1, 2], d, d, GroupBy::Clinic).unwrap();
        let err = Frame::new(&scope, &ClinicDirectory::with_default_zone([1])).unwrap_err();
        assert_eq!(err, OdxError::UnknownClinic { clinic_id: 2 });
    }

    #[test]
    fn each_clinic_keeps_its_own_zones_clock_when_zones_repeat_and_interleave() {
        let zones = ["Asia/Karachi", "Asia/Dubai", "", "America/New_York", "Asia/Dubai", "Asia/Karachi"];
        let ids: Vec<i64> = (1..=zones.len() as i64).collect();
        let from = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let scope = MetricScope::new(ids.iter().copied(), from, to, GroupBy::Clinic).unwrap();
        let f = Frame::new(&scope, &ClinicDirectory::new(ids.iter().copied().zip(zones))).unwrap();
        let calendar = Calendar::new(&scope);
        for (id, zone) in ids.iter().zip(zones) {
            let own = ClinicClock::new(parse_time_zone(*id, zone).unwrap(), &calendar);
            assert_eq!(f.clock(*id).unwrap(), &own, "clinic {id} in {zone:?}");
        }
        assert_ne!(f.clock(1).unwrap(), f.clock(2).unwrap(), "Karachi and Dubai differ by an hour");
        assert_eq!(f.clock(1).unwrap(), f.clock(3).unwrap(), "an empty zone is the default, Asia/Karachi");
    }
}
