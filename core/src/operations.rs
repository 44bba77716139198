//! Appointments / operations domain: the booking funnel and its rates, the
//! no-show PKR bleed, new vs returning patients, doctor and chair utilization.
//!
//! Sources: `appointments`, `doctor_schedules`, `clinic_hours`, `rooms`, and
//! billed invoices for the average ticket that prices a no-show. The two small
//! weekly tables (`doctor_schedules`, `clinic_hours`) are read as rows on every
//! path: their row types are their facts.

use crate::readout::{Cell, Readout};
use crate::domain::Domain;
use crate::compare::{Headline, Measure, MeasureKind, count, of};
use crate::category::AppointmentStatus;
use crate::error::{OdxError, Result};
use crate::financial::InvoiceFact;
use crate::frame::{ClinicDirectory, Facts, Frame, Grouped};
use crate::num::{add_count, add_money, average_money, count_rate, mul_money};
use crate::report::{assemble, Report};
use crate::rows::{ClinicHoursRow, DoctorScheduleRow, Tables};
use crate::scope::MetricScope;
use chrono::{DateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Appointments starting in the range, grouped by clinic, doctor (when
/// grouping by doctor), whether a doctor and a room are set, status, whether
/// they ended before the as-of instant (`starts_at + duration_min` minutes
/// `<` as-of) and duration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AppointmentFact {
    /// `appointments.clinic_id`.
    pub clinic_id: i64,
    /// `appointments.doctor_id` (the group key; may be left `None` when not
    /// grouping by doctor).
    pub doctor_id: Option<i64>,
    /// `appointments.doctor_id IS NOT NULL`.
    pub has_doctor: bool,
    /// `appointments.room_id IS NOT NULL`.
    pub has_room: bool,
    /// `appointments.status`.
    pub status: AppointmentStatus,
    /// Whether the appointment's end is before the as-of instant (read only
    /// for `booked` ones: a producer may leave it false for any other status).
    pub ended_by_as_of: bool,
    /// `appointments.duration_min` (negative values are bad data).
    pub duration_min: i32,
    /// How many appointments.
    pub appointments: u64,
}

/// Whom a [`PatientsFact`] counts distinct patients for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PatientGrain {
    /// Distinct patients of the clinic (totals and clinic rows).
    Clinic,
    /// Distinct patients of one doctor at the clinic (doctor rows).
    Doctor(Option<i64>),
}

/// Distinct patients with a completed appointment in range, by where their
/// first ever completed appointment at the clinic falls: the number of
/// range cuts (`[range start, as-of]` of [`crate::ClinicClock`]) at or before
/// it, as SQL's `width_bucket` gives it. Core decides what that means: in the
/// range (1) is a new patient, before it (0) a returning one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PatientsFact {
    /// The clinic.
    pub clinic_id: i64,
    /// Clinic-wide or one doctor's patients.
    pub grain: PatientGrain,
    /// Position of the first ever completed appointment against the range cuts.
    pub first_visit_position: u32,
    /// How many patients.
    pub patients: u64,
}

/// Whether a patient seen in range is new: the range position of the first
/// ever completed visit is 1 (in the range), 0 (before it) for a returning
/// patient. The patients domain counts new and returning by this same rule.
///
/// # Errors
/// [`OdxError::BucketOutOfRange`] for any other position: a first visit after
/// the range cannot go with a visit in it.
pub fn is_new_patient(first_visit_position: u32) -> Result<bool> {
    match first_visit_position {
        0 => Ok(false),
        1 => Ok(true),
        bucket => Err(OdxError::BucketOutOfRange { bucket, buckets: 2 }),
    }
}

/// The longest plausible appointment, in minutes: a working day (12 hours).
/// A longer one (`duration_min` 2,147,483,647 has been seen) is bad data:
/// counted in `data_quality.implausible_durations`, kept out of booked
/// minutes, so it cannot drive utilization past any sense.
pub const MAX_DURATION_MIN: i32 = 12 * 60;

/// Rooms (chairs) of a clinic, grouped by `active`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RoomsFact {
    /// The clinic.
    pub clinic_id: i64,
    /// `rooms.active`: only active rooms are capacity.
    pub active: bool,
    /// Number of rooms.
    pub rooms: u64,
}

/// Rows kept out of the KPIs for bad values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OperationsDataQuality {
    /// Appointments whose status is not a listed value.
    pub unknown_appointment_status: u64,
    /// Appointments with a negative duration (counted, but zero minutes).
    pub negative_durations: u64,
    /// Appointments longer than [`MAX_DURATION_MIN`] (a working day): bad
    /// data, counted as appointments but kept out of utilization.
    pub implausible_durations: u64,
    /// Schedule rows with a weekday outside 1..=7 or `ends <= starts`.
    pub invalid_schedules: u64,
    /// Opening-hours rows with a weekday outside 1..=7 or `closes <= opens`.
    pub invalid_opening_hours: u64,
}

impl OperationsDataQuality {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_count(&mut self.unknown_appointment_status, o.unknown_appointment_status, "data quality")?;
        add_count(&mut self.negative_durations, o.negative_durations, "data quality")?;
        add_count(&mut self.implausible_durations, o.implausible_durations, "data quality")?;
        add_count(&mut self.invalid_schedules, o.invalid_schedules, "data quality")?;
        add_count(&mut self.invalid_opening_hours, o.invalid_opening_hours, "data quality")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct OperationsFacts {
    appointments: [u64; AppointmentStatus::COUNT],
    missed: u64,
    doctor_booked_minutes: u64,
    chair_booked_minutes: u64,
    doctor_capacity_minutes: u64,
    /// Clinic rows only: active rooms and opening minutes over the range;
    /// their product is the chair capacity of one clinic.
    active_rooms: u64,
    open_minutes: u64,
    billed: Decimal,
    invoices: u64,
    new_patients: u64,
    returning_patients: u64,
    dq: OperationsDataQuality,
}

impl Facts for OperationsFacts {
    fn merge(&mut self, o: &Self) -> Result<()> {
        for (a, b) in self.appointments.iter_mut().zip(&o.appointments) {
            add_count(a, *b, "appointments")?;
        }
        add_count(&mut self.missed, o.missed, "missed")?;
        add_count(&mut self.doctor_booked_minutes, o.doctor_booked_minutes, "booked minutes")?;
        add_count(&mut self.chair_booked_minutes, o.chair_booked_minutes, "booked minutes")?;
        add_count(&mut self.doctor_capacity_minutes, o.doctor_capacity_minutes, "capacity")?;
        add_count(&mut self.active_rooms, o.active_rooms, "rooms")?;
        add_count(&mut self.open_minutes, o.open_minutes, "opening minutes")?;
        add_money(&mut self.billed, o.billed, "billed")?;
        add_count(&mut self.invoices, o.invoices, "invoice count")?;
        add_count(&mut self.new_patients, o.new_patients, "new patients")?;
        add_count(&mut self.returning_patients, o.returning_patients, "returning patients")?;
        self.dq.merge(&o.dq)
    }
}

impl OperationsFacts {
    #[inline]
    fn add_appointment(&mut self, f: &AppointmentFact) -> Result<()> {
        if f.status == AppointmentStatus::Unknown {
            return add_count(&mut self.dq.unknown_appointment_status, f.appointments, "data quality");
        }
        add_count(&mut self.appointments[f.status.index()], f.appointments, "appointments")?;
        if f.status == AppointmentStatus::Booked && f.ended_by_as_of {
            add_count(&mut self.missed, f.appointments, "missed")?;
        }
        if f.status == AppointmentStatus::Cancelled {
            return Ok(());
        }
        let minutes = if f.duration_min < 0 {
            add_count(&mut self.dq.negative_durations, f.appointments, "data quality")?;
            0
        } else if f.duration_min > MAX_DURATION_MIN {
            add_count(&mut self.dq.implausible_durations, f.appointments, "data quality")?;
            0
        } else {
            (f.duration_min as u64).checked_mul(f.appointments).ok_or(OdxError::Overflow { what: "booked minutes" })?
        };
        if f.has_doctor {
            add_count(&mut self.doctor_booked_minutes, minutes, "booked minutes")?;
        }
        if f.has_room {
            add_count(&mut self.chair_booked_minutes, minutes, "booked minutes")?;
        }
        Ok(())
    }

    fn add_ticket(&mut self, f: &InvoiceFact) -> Result<()> {
        if f.status.is_billed() {
            add_money(&mut self.billed, f.total, "billed")?;
            add_count(&mut self.invoices, f.invoices, "invoice count")?;
        }
        Ok(())
    }

    /// Chair capacity of a clinic's facts: active rooms x opening minutes.
    fn chair_capacity(&self) -> Result<u64> {
        self.active_rooms.checked_mul(self.open_minutes).ok_or(OdxError::Overflow { what: "chair capacity" })
    }
}

/// Minutes between two times of one day; `None` unless `end > start`.
fn span_minutes(start: NaiveTime, end: NaiveTime) -> Option<u64> {
    let m = (end - start).num_minutes();
    (m > 0).then_some(m as u64)
}

/// Appointments by status over appointments starting in range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AppointmentCounts {
    /// Still `booked`.
    pub booked: u64,
    /// `arrived`.
    pub arrived: u64,
    /// `completed`.
    pub completed: u64,
    /// `cancelled`.
    pub cancelled: u64,
    /// `no_show`.
    pub no_show: u64,
    /// `booked` appointments that ended before the as-of instant: never
    /// resolved (a data-quality leak). A subset of `booked`.
    pub missed: u64,
    /// All appointments with a listed status.
    pub total: u64,
}

/// Every operations KPI of one group (or of the totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OperationsMetrics {
    /// Appointments starting in range by status.
    pub appointments: AppointmentCounts,
    /// All appointments minus cancelled.
    pub scheduled: u64,
    /// no_show / scheduled.
    #[serde(with = "crate::wire::rate")]
    pub no_show_rate: Option<Decimal>,
    /// cancelled / all appointments.
    #[serde(with = "crate::wire::rate")]
    pub cancel_rate: Option<Decimal>,
    /// (arrived + completed) / scheduled.
    #[serde(with = "crate::wire::rate")]
    pub arrival_rate: Option<Decimal>,
    /// completed / scheduled.
    #[serde(with = "crate::wire::rate")]
    pub completion_rate: Option<Decimal>,
    /// The group's financial avg_ticket: billed / invoice_count, rounded to paisa.
    pub avg_ticket: Option<Decimal>,
    /// no_show x avg_ticket (PKR); 0 without no-shows, null when there are
    /// no-shows but no ticket to price them.
    pub no_show_bleed: Option<Decimal>,
    /// Patients whose first ever completed appointment at the clinic is in range.
    pub new_patients: u64,
    /// Other distinct patients with a completed appointment in range.
    pub returning_patients: u64,
    /// Minutes of non-cancelled appointments in range that have a doctor.
    pub doctor_booked_minutes: u64,
    /// For each date in range, the doctors' schedule minutes on its weekday.
    pub doctor_capacity_minutes: u64,
    /// doctor_booked_minutes / doctor_capacity_minutes.
    #[serde(with = "crate::wire::rate")]
    pub doctor_utilization: Option<Decimal>,
    /// Minutes of non-cancelled appointments in range that have a room.
    pub chair_booked_minutes: u64,
    /// Active rooms x the clinic's opening minutes of each date in range
    /// (0 on doctor rows: chairs belong to the clinic).
    pub chair_capacity_minutes: u64,
    /// chair_booked_minutes / chair_capacity_minutes.
    #[serde(with = "crate::wire::rate")]
    pub chair_utilization: Option<Decimal>,
    /// Rows kept out for bad values.
    pub data_quality: OperationsDataQuality,
}

impl crate::report::NamesBranches for OperationsMetrics {}

/// The operations report.
pub type OperationsReport = Report<OperationsMetrics>;

/// The mergeable operations accumulator of one scope.
#[derive(Debug, Clone)]
pub struct OperationsAcc {
    frame: Frame,
    groups: Grouped<OperationsFacts>,
}

impl OperationsAcc {
    /// An empty accumulator for a scope.
    ///
    /// # Errors
    /// As [`Frame::new`].
    pub fn new(scope: &MetricScope, directory: &ClinicDirectory) -> Result<Self> {
        Ok(OperationsAcc::with_frame(Frame::new(scope, directory)?))
    }

    /// An empty accumulator on an existing frame.
    pub fn with_frame(frame: Frame) -> Self {
        OperationsAcc { groups: Grouped::new(&frame, OperationsFacts::default()), frame }
    }

    /// The frame (scope, calendar, clocks).
    pub fn frame(&self) -> &Frame {
        &self.frame
    }

    /// Adds appointments starting in range.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    #[inline]
    pub fn accum_appointment(&mut self, f: &AppointmentFact) -> Result<()> {
        let slot = self.frame.slot(f.clinic_id)?;
        let (clinic, doctor) = self.groups.slots(slot, f.clinic_id, f.doctor_id);
        clinic.add_appointment(f)?;
        doctor.map_or(Ok(()), |d| d.add_appointment(f))
    }

    /// Adds one raw appointment: counted when it starts in range.
    ///
    /// # Errors
    /// As [`OperationsAcc::accum_appointment`].
    #[inline]
    pub fn accum_appointment_row(
        &mut self,
        clinic_id: i64,
        doctor_id: Option<i64>,
        has_room: bool,
        starts_at: DateTime<Utc>,
        duration_min: i32,
        status: AppointmentStatus,
    ) -> Result<()> {
        let clock = self.frame.clock(clinic_id)?;
        if !clock.in_range(starts_at) {
            return Ok(());
        }
        let ended_by_as_of = starts_at
            .checked_add_signed(chrono::Duration::minutes(duration_min as i64))
            .is_some_and(|end| end < clock.as_of());
        self.accum_appointment(&AppointmentFact {
            clinic_id,
            doctor_id,
            has_doctor: doctor_id.is_some(),
            has_room,
            status,
            ended_by_as_of,
            duration_min,
            appointments: 1,
        })
    }

    /// Adds billed invoices issued in range (they price a no-show).
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    pub fn accum_invoice(&mut self, f: &InvoiceFact) -> Result<()> {
        let slot = self.frame.slot(f.clinic_id)?;
        let (clinic, doctor) = self.groups.slots(slot, f.clinic_id, f.doctor_id);
        clinic.add_ticket(f)?;
        doctor.map_or(Ok(()), |d| d.add_ticket(f))
    }

    /// Adds distinct-patient counts. A first visit in the range makes a new
    /// patient, one before it a returning patient; a first visit after the
    /// range cannot go with a visit in it and is refused.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::BucketOutOfRange`] for a
    /// position other than 0 or 1, [`OdxError::Overflow`].
    pub fn accum_patients(&mut self, f: &PatientsFact) -> Result<()> {
        let slot = self.frame.slot(f.clinic_id)?;
        let is_new = is_new_patient(f.first_visit_position)?;
        let target = match f.grain {
            PatientGrain::Clinic => Some(self.groups.clinic(slot)),
            PatientGrain::Doctor(d) => self.groups.doctor((f.clinic_id, d)),
        };
        if let Some(t) = target {
            let field = if is_new { &mut t.new_patients } else { &mut t.returning_patients };
            add_count(field, f.patients, "patients")?;
        }
        Ok(())
    }

    /// Adds a doctor's weekly schedule row: its minutes times the number of
    /// elapsed dates in range (up to the as-of date) on its weekday.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    pub fn accum_schedule(&mut self, f: &DoctorScheduleRow) -> Result<()> {
        let slot = self.frame.slot(f.clinic_id)?;
        let days = self.frame.clock_at(slot).weekday_count(f.weekday);
        let (clinic, doctor) = self.groups.slots(slot, f.clinic_id, Some(f.doctor_id));
        let Some(minutes) = days.zip(span_minutes(f.starts, f.ends)).map(|(d, m)| m * d as u64) else {
            return add_count(&mut clinic.dq.invalid_schedules, 1, "data quality");
        };
        add_count(&mut clinic.doctor_capacity_minutes, minutes, "capacity")?;
        doctor.map_or(Ok(()), |d| add_count(&mut d.doctor_capacity_minutes, minutes, "capacity"))
    }

    /// Adds a clinic's opening-hours row.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    pub fn accum_opening_hours(&mut self, f: &ClinicHoursRow) -> Result<()> {
        let slot = self.frame.slot(f.clinic_id)?;
        let days = self.frame.clock_at(slot).weekday_count(f.weekday);
        let clinic = self.groups.clinic(slot);
        match days.zip(span_minutes(f.opens, f.closes)) {
            Some((d, m)) => add_count(&mut clinic.open_minutes, m * d as u64, "opening minutes"),
            None => add_count(&mut clinic.dq.invalid_opening_hours, 1, "data quality"),
        }
    }

    /// Adds a clinic's active rooms.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    pub fn accum_rooms(&mut self, f: &RoomsFact) -> Result<()> {
        let slot = self.frame.slot(f.clinic_id)?;
        if !f.active {
            return Ok(());
        }
        add_count(&mut self.groups.clinic(slot).active_rooms, f.rooms, "rooms")
    }

    /// Adds another partial state of the same scope.
    ///
    /// # Errors
    /// [`OdxError::ScopeMismatch`] when the scopes differ; [`OdxError::Overflow`].
    pub fn combine(&mut self, other: &OperationsAcc) -> Result<()> {
        if !self.frame.same_as(&other.frame) {
            return Err(OdxError::ScopeMismatch);
        }
        self.groups.merge(&other.groups)
    }

    /// Finishes the report. Chair capacity is a product per clinic (rooms x
    /// opening minutes), so totals add the clinics' capacities.
    ///
    /// # Errors
    /// [`OdxError::Overflow`].
    pub fn finish(&self) -> Result<OperationsReport> {
        let mut all = OperationsFacts::default();
        let mut chair_capacity = 0u64;
        for c in self.groups.clinic_facts() {
            all.merge(c)?;
            add_count(&mut chair_capacity, c.chair_capacity()?, "chair capacity")?;
        }
        let totals = metrics(&all, chair_capacity)?;
        let doctors = self.groups.doctor_rows();
        assemble(&self.frame, totals, self.groups.clinic_facts(), doctors, |f| metrics(f, f.chair_capacity()?))
    }
}

impl AppointmentCounts {
    /// The counts of appointments by status (indexed by
    /// [`AppointmentStatus::index`]; an unknown status is not counted), with
    /// `missed` of the booked ones.
    ///
    /// # Errors
    /// [`OdxError::Overflow`].
    pub fn of(by_status: &[u64; AppointmentStatus::COUNT], missed: u64) -> Result<AppointmentCounts> {
        let n = |s: AppointmentStatus| by_status[s.index()];
        let mut total = 0u64;
        for s in AppointmentStatus::LISTED {
            add_count(&mut total, n(*s), "appointments")?;
        }
        Ok(AppointmentCounts {
            booked: n(AppointmentStatus::Booked),
            arrived: n(AppointmentStatus::Arrived),
            completed: n(AppointmentStatus::Completed),
            cancelled: n(AppointmentStatus::Cancelled),
            no_show: n(AppointmentStatus::NoShow),
            missed,
            total,
        })
    }

    /// The appointments that are on: every one but the cancelled (booked,
    /// arrived, completed, no-show).
    pub fn scheduled(&self) -> u64 {
        self.total - self.cancelled
    }

    /// no_show / scheduled.
    pub fn no_show_rate(&self) -> Option<Decimal> {
        no_show_rate(self.no_show, self.scheduled())
    }
}

/// The no-show rate of `no_show` no-shows among `scheduled` appointments
/// on the books (none without any): the operations report's, and the
/// network overview's.
pub fn no_show_rate(no_show: u64, scheduled: u64) -> Option<Decimal> {
    count_rate(no_show, scheduled)
}

fn metrics(f: &OperationsFacts, chair_capacity_minutes: u64) -> Result<OperationsMetrics> {
    let appointments = AppointmentCounts::of(&f.appointments, f.missed)?;
    let n = |s: AppointmentStatus| f.appointments[s.index()];
    let (total, cancelled, scheduled) = (appointments.total, appointments.cancelled, appointments.scheduled());
    let no_show = appointments.no_show;
    let avg_ticket = average_money(f.billed, f.invoices)?;
    let no_show_bleed = if no_show == 0 {
        Some(Decimal::ZERO)
    } else {
        avg_ticket.map(|t| mul_money(Decimal::from(no_show), t, "no-show bleed")).transpose()?
    };
    Ok(OperationsMetrics {
        appointments,
        scheduled,
        no_show_rate: appointments.no_show_rate(),
        cancel_rate: count_rate(cancelled, total),
        arrival_rate: count_rate(n(AppointmentStatus::Arrived) + n(AppointmentStatus::Completed), scheduled),
        completion_rate: count_rate(n(AppointmentStatus::Completed), scheduled),
        avg_ticket,
        no_show_bleed,
        new_patients: f.new_patients,
        returning_patients: f.returning_patients,
        doctor_booked_minutes: f.doctor_booked_minutes,
        doctor_capacity_minutes: f.doctor_capacity_minutes,
        doctor_utilization: count_rate(f.doctor_booked_minutes, f.doctor_capacity_minutes),
        chair_booked_minutes: f.chair_booked_minutes,
        chair_capacity_minutes,
        chair_utilization: count_rate(f.chair_booked_minutes, chair_capacity_minutes),
        data_quality: f.dq,
    })
}

// The in-memory path: these rows folded into this domain's accumulator.
impl Tables {
    /// The operations report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn operations(&self, scope: &MetricScope) -> Result<OperationsReport> {
        let mut acc = OperationsAcc::new(scope, &self.directory())?;
        self.fold_operations(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' operations facts (scope clinics only) to an accumulator.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_operations(&self, acc: &mut OperationsAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        let in_scope = |c: i64| scope.contains(c);
        // First ever completed appointment per (clinic, patient), and who had a
        // completed appointment in range, clinic-wide and per doctor.
        let mut first_completed: FxHashMap<(i64, i64), DateTime<Utc>> = FxHashMap::default();
        let mut seen_clinic: FxHashSet<(i64, i64)> = FxHashSet::default();
        let mut seen_doctor: FxHashSet<(i64, Option<i64>, i64)> = FxHashSet::default();
        for a in self.appointments.iter().filter(|a| in_scope(a.clinic_id)) {
            acc.accum_appointment_row(
                a.clinic_id,
                a.doctor_id,
                a.room_id.is_some(),
                a.starts_at,
                a.duration_min,
                a.status,
            )?;
            if a.status != AppointmentStatus::Completed {
                continue;
            }
            let first = first_completed.entry((a.clinic_id, a.patient_id)).or_insert(a.starts_at);
            *first = (*first).min(a.starts_at);
            if frame.clock(a.clinic_id)?.in_range(a.starts_at) {
                seen_clinic.insert((a.clinic_id, a.patient_id));
                seen_doctor.insert((a.clinic_id, a.doctor_id, a.patient_id));
            }
        }
        // Group the patients seen in range by where their first visit falls.
        let mut counts: FxHashMap<(i64, PatientGrain, u32), u64> = FxHashMap::default();
        let position = |clinic: i64, patient: i64| -> Result<u32> {
            let clock = frame.clock(clinic)?;
            Ok(first_completed.get(&(clinic, patient)).map_or(0, |first| clock.range_position(*first)))
        };
        for &(clinic, patient) in &seen_clinic {
            *counts.entry((clinic, PatientGrain::Clinic, position(clinic, patient)?)).or_default() += 1;
        }
        if acc.frame().group_by() == crate::scope::GroupBy::Doctor {
            for &(clinic, doctor, patient) in &seen_doctor {
                *counts.entry((clinic, PatientGrain::Doctor(doctor), position(clinic, patient)?)).or_default() += 1;
            }
        }
        for ((clinic_id, grain, first_visit_position), patients) in counts {
            acc.accum_patients(&PatientsFact { clinic_id, grain, first_visit_position, patients })?;
        }
        for s in self.doctor_schedules.iter().filter(|s| in_scope(s.clinic_id)) {
            acc.accum_schedule(s)?;
        }
        for h in self.clinic_hours.iter().filter(|h| in_scope(h.clinic_id)) {
            acc.accum_opening_hours(h)?;
        }
        let mut rooms: FxHashMap<(i64, bool), u64> = FxHashMap::default();
        for r in self.rooms.iter().filter(|r| in_scope(r.clinic_id)) {
            *rooms.entry((r.clinic_id, r.active)).or_default() += 1;
        }
        for ((clinic_id, active), rooms) in rooms {
            acc.accum_rooms(&RoomsFact { clinic_id, active, rooms })?;
        }
        for i in self.invoices.iter().filter(|i| in_scope(i.clinic_id)) {
            if let Some(bucket) = frame.clock(i.clinic_id)?.trend_bucket(i.issued_at) {
                acc.accum_invoice(&crate::financial::InvoiceFact {
                    clinic_id: i.clinic_id,
                    doctor_id: i.doctor_id,
                    bucket,
                    status: i.status,
                    invoices: 1,
                    total: i.total,
                    materials: Decimal::ZERO,
                })?;
            }
        }
        Ok(())
    }
}

impl Headline for OperationsMetrics {
    const DOMAIN: Domain = Domain::Operations;
    fn headline(&self) -> Vec<Measure> {
        use MeasureKind::*;
        vec![
            count("appointments", self.appointments.total),
            count("completed", self.appointments.completed),
            count("no_show", self.appointments.no_show),
            count("cancelled", self.appointments.cancelled),
            of("no_show_rate", Rate, self.no_show_rate),
            of("cancel_rate", Rate, self.cancel_rate),
            of("completion_rate", Rate, self.completion_rate),
            count("new_patients", self.new_patients),
            of("doctor_utilization", Rate, self.doctor_utilization),
            of("chair_utilization", Rate, self.chair_utilization),
        ]
    }
}

/// What the domain's report computes, in a sentence a SQL user reads (the
/// `COMMENT` of its SQL function), with core's constants interpolated.
pub fn about() -> String {
    "Appointments / operations KPIs of the clinics over from_date..to_date, computed by odx-core: { degraded, totals, groups }. group_by: clinic (default), doctor or none."
        .to_owned()
}

impl Readout for OperationsMetrics {
    const COLUMNS: &'static [&'static str] =
        &["Appts", "Completed", "No-show", "Cancel", "Missed", "Bleed PKR", "New", "Returning", "Dr util", "Chair"];
    fn heading(_: &MetricScope) -> String {
        "OPERATIONS".to_owned()
    }
    fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Count(self.appointments.total),
            Cell::Count(self.appointments.completed),
            Cell::Rate(self.no_show_rate),
            Cell::Rate(self.cancel_rate),
            Cell::Count(self.appointments.missed),
            Cell::Money(self.no_show_bleed),
            Cell::Count(self.new_patients),
            Cell::Count(self.returning_patients),
            Cell::Rate(self.doctor_utilization),
            Cell::Rate(self.chair_utilization),
        ]
    }
    fn notes(&self, _: &dyn Fn(i64) -> String, _: &dyn Fn(Decimal) -> String) -> Vec<String> {
        vec!["The network's no-show bleed prices its no-shows at the network's own average ticket.".to_owned()]
    }
}
