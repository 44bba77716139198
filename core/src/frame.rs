//! The frame every accumulator of one scope shares: the scope, its calendar,
//! one clock per clinic, and the clinic-id -> slot index.

use crate::calendar::{parse_time_zone, Calendar, ClinicClock};
use crate::error::{OdxError, Result};
use crate::scope::{GroupBy, MetricScope};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Where each clinic lives: id -> IANA time-zone name (`clinics.timezone`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClinicDirectory {
    zones: FxHashMap<i64, String>,
}

impl ClinicDirectory {
    /// A directory from `(clinic id, time-zone name)` pairs. Names are checked
    /// when a scope uses the clinic, so one bad row elsewhere cannot fail a
    /// report that does not include it.
    pub fn new<S: Into<String>>(pairs: impl IntoIterator<Item = (i64, S)>) -> Self {
        ClinicDirectory { zones: pairs.into_iter().map(|(id, tz)| (id, tz.into())).collect() }
    }

    /// Every clinic on the default time zone.
    pub fn with_default_zone(ids: impl IntoIterator<Item = i64>) -> Self {
        ClinicDirectory::new(ids.into_iter().map(|id| (id, String::new())))
    }

    /// The time-zone name of a clinic, if known.
    pub fn zone_name(&self, clinic_id: i64) -> Option<&str> {
        self.zones.get(&clinic_id).map(String::as_str)
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
    slots: FxHashMap<i64, u32>,
}

impl Frame {
    /// Binds a scope to the directory.
    ///
    /// # Errors
    /// [`OdxError::UnknownClinic`] for a scope clinic missing from the
    /// directory, [`OdxError::UnknownTimeZone`] for a bad zone name.
    pub fn new(scope: &MetricScope, directory: &ClinicDirectory) -> Result<Frame> {
        let calendar = Calendar::new(scope);
        let mut clocks = Vec::with_capacity(scope.clinic_ids().len());
        let mut slots = FxHashMap::default();
        for (slot, &id) in scope.clinic_ids().iter().enumerate() {
            let name = directory.zone_name(id).ok_or(OdxError::UnknownClinic { clinic_id: id })?;
            clocks.push(ClinicClock::new(parse_time_zone(id, name)?, &calendar));
            slots.insert(id, slot as u32);
        }
        Ok(Frame { inner: Arc::new(FrameInner { scope: scope.clone(), calendar, clocks, slots }) })
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
        self.inner
            .slots
            .get(&clinic_id)
            .map(|s| *s as usize)
            .ok_or(OdxError::RowOutsideScope { clinic_id })
    }

    /// The clock of a clinic of the scope.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`] when the clinic is not in the scope.
    #[inline]
    pub fn clock(&self, clinic_id: i64) -> Result<&ClinicClock> {
        Ok(&self.inner.clocks[self.slot(clinic_id)?])
    }

    /// The clock at a slot.
    #[inline]
    pub(crate) fn clock_at(&self, slot: usize) -> &ClinicClock {
        &self.inner.clocks[slot]
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
#[derive(Debug, Clone)]
pub(crate) struct Grouped<F> {
    proto: F,
    pub(crate) clinics: Vec<F>,
    pub(crate) doctors: Option<FxHashMap<DoctorKey, F>>,
}

impl<F: Facts> Grouped<F> {
    pub(crate) fn new(frame: &Frame, proto: F) -> Self {
        let doctors = (frame.group_by() == GroupBy::Doctor).then(FxHashMap::default);
        Grouped { clinics: vec![proto.clone(); frame.scope().clinic_ids().len()], proto, doctors }
    }

    /// The clinic's facts, and the doctor's when grouping by doctor.
    #[inline]
    pub(crate) fn slots(&mut self, slot: usize, clinic_id: i64, doctor_id: Option<i64>) -> (&mut F, Option<&mut F>) {
        let clinic = &mut self.clinics[slot];
        let doctor = match &mut self.doctors {
            Some(map) => Some(map.entry((clinic_id, doctor_id)).or_insert_with(|| self.proto.clone())),
            None => None,
        };
        (clinic, doctor)
    }

    /// The clinic's facts only.
    #[inline]
    pub(crate) fn clinic(&mut self, slot: usize) -> &mut F {
        &mut self.clinics[slot]
    }

    /// The doctor's facts only, when grouping by doctor.
    pub(crate) fn doctor(&mut self, key: DoctorKey) -> Option<&mut F> {
        let proto = &self.proto;
        self.doctors.as_mut().map(|m| m.entry(key).or_insert_with(|| proto.clone()))
    }

    pub(crate) fn merge(&mut self, other: &Self) -> Result<()> {
        for (mine, theirs) in self.clinics.iter_mut().zip(&other.clinics) {
            mine.merge(theirs)?;
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
