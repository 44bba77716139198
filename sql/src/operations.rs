//! The operations domain: its statements, each beside the decoder that turns
//! its rows (columns read by name) into core facts, and what it reads.

use crate::decode::{count, domain_acc, flag, id, index, need, text, time, weekday, Row, RowError};
use crate::financial::invoice_fact;
use crate::queries::{Query, QueryKind, SCOPE_CTE, SPLIT_SCOPE_CTE};
use crate::schema::{Reads, RequiredRelation, SoftPart};
use odx_core::operations::{AppointmentFact, PatientGrain, PatientsFact, RoomsFact};
use odx_core::rows::{ClinicHoursRow, DoctorScheduleRow};
use odx_core::{AppointmentStatus, OperationsAcc};
use std::sync::LazyLock;

/// The appointments of the range by status; `rooms`: whether
/// `appointments.room_id` is there to tell which have a chair (without it,
/// none has: chair utilization is left out).
pub(crate) fn appointments(rooms: bool) -> Query {
    // Only a still-booked appointment can be missed: the end instant is
    // computed for those rows alone.
    let booked = AppointmentStatus::Booked.as_str();
    let has_room = if rooms { "a.room_id IS NOT NULL" } else { "false" };
    Query {
        kind: QueryKind::Appointments,
        relations: &["appointments"],
        sql: format!(
            "{SPLIT_SCOPE_CTE},
g AS MATERIALIZED (
    SELECT a.clinic_id, CASE WHEN $8::bool THEN a.doctor_id END AS doctor_id, a.doctor_id IS NOT NULL AS has_doctor,
           {has_room} AS has_room, a.status,
           a.status = '{booked}' AND a.starts_at + make_interval(mins => a.duration_min) < s.as_of AS ended,
           a.duration_min,
           a.starts_at >= s.range_start AND a.starts_at < s.as_of AS in_range,
           a.starts_at >= s.inner_start AS in_inner, count(*) AS n
    FROM s JOIN app.appointments a ON a.clinic_id = s.clinic_id AND a.clinic_id = ANY($1::bigint[])
    WHERE a.starts_at >= $9 AND a.starts_at < $10
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
)
SELECT clinic_id, doctor_id, has_doctor, has_room, status::text AS status, ended AS ended_by_as_of, duration_min,
       CASE WHEN in_inner THEN 0 END::int4 AS inner_bucket, n::int8 AS appointments
FROM g WHERE in_range"
        ),
    }
}

fn patients() -> Query {
    Query {
        kind: QueryKind::Patients,
        relations: &["appointments"],
        // One pass over the clinic's completed visits up to the as-of instant
        // (for a short range, only those of the patients seen in it: see
        // `visits`): each patient's first one, whether they were seen in
        // range and (only when grouping by doctor: vd instead of v) the
        // doctors who saw them in range. The doctor rows count each
        // doctor's patients against the clinic-wide first visit by
        // unnesting that list: no second scan and no join of patients to
        // visits, which a rows=1 estimate of the grouped CTE made a nested
        // loop (this statement, by doctor at one branch over 82 days on the
        // benchmark data: 170 ms, now 32 as by branch). The list is gathered
        // only by doctor: its aggregate would turn the clinic grouping's
        // hash aggregation into a sort.
        sql: format!(
            "{SCOPE_CTE},
v AS MATERIALIZED ({v}),
vd AS MATERIALIZED ({vd})
SELECT v.clinic_id, false AS by_doctor, NULL::int8 AS doctor_id,
       width_bucket(v.first_at, s.range_cuts)::int4 AS first_visit_position, count(*)::int8 AS patients
FROM (SELECT clinic_id, first_at, seen FROM v UNION ALL SELECT clinic_id, first_at, seen FROM vd) v
JOIN s ON s.clinic_id = v.clinic_id
WHERE v.seen
GROUP BY 1, 2, 3, 4
UNION ALL
SELECT v.clinic_id, true, doc.doctor_id, width_bucket(v.first_at, s.range_cuts)::int4,
       count(DISTINCT v.patient_id)::int8
FROM vd v JOIN s ON s.clinic_id = v.clinic_id
CROSS JOIN LATERAL unnest(v.doctors) AS doc(doctor_id)
WHERE v.seen
GROUP BY 1, 2, 3, 4",
            v = visits("", "NOT $8::bool"),
            vd = visits(
                ",\n           array_agg(a.doctor_id) FILTER (WHERE a.starts_at >= s.range_start AND a.starts_at < s.as_of) AS doctors",
                "$8::bool"
            ),
        ),
    }
}

/// The longest range, in days, whose patients statement groups only the
/// patients seen in it ([`visits`]). On the benchmark data (a year of
/// history) the filter halves a month of 40 branches (227 → 119 ms in
/// psql, medians of 5), and no longer pays at 90 days (232 ms without it,
/// 247 with it): a year's range sees 87k of the 104k patients, and the
/// filter only adds its scan (240 → 388 ms). A longer history
/// moves that point further out; two months keep to the side where it
/// pays. A plan choice, never a different answer.
pub(crate) const SEEN_FILTER_MAX_DAYS: u32 = 62;

/// Each patient's completed visits up to the as-of instant, grouped: the
/// first one and whether one was in range, with `extra` columns, only when
/// `when` holds (a one-time filter on the grouping parameter).
///
/// Grouping every patient of the branches' history spills the hash
/// aggregate to disk at Debian's `work_mem` (104k patients on the
/// benchmark data) when a short range sees few of them (24k in a month).
/// So for a range of at most [`SEEN_FILTER_MAX_DAYS`] (`$9` the earliest
/// start, `$10` the latest as-of instant; a one-time filter, so only one
/// of the two parts runs) only the visits of the patients with a completed
/// visit between `$9` and `$10` are grouped: a semi-join on `patient_id`,
/// a superset of the patients seen in each branch's own range, whose
/// other groups were dropped anyway. It joins on `patient_id` alone so
/// that no index can serve a probe per patient: joined on the clinic too,
/// the planner estimated 40 patients and scanned a branch's whole history
/// once per patient (37 s for a month of 40 branches).
fn visits(extra: &str, when: &str) -> String {
    let completed = AppointmentStatus::Completed.as_str();
    // Typed here: the first use of `$9` and `$10` in the statement's text.
    let short = format!("$10::timestamptz - $9::timestamptz <= interval '{SEEN_FILTER_MAX_DAYS} days'");
    let part = |filter: &str| {
        format!(
            "
    SELECT a.clinic_id, a.patient_id, min(a.starts_at) FILTER (WHERE a.starts_at < s.as_of) AS first_at,
           coalesce(bool_or(a.starts_at >= s.range_start AND a.starts_at < s.as_of), false) AS seen{extra}
    FROM s JOIN app.appointments a ON a.clinic_id = s.clinic_id AND a.clinic_id = ANY($1::bigint[])
    WHERE {when} AND {filter} AND a.status = '{completed}' AND a.starts_at < $10
    GROUP BY a.clinic_id, a.patient_id"
        )
    };
    format!(
        "{}\n    UNION ALL{}\n",
        part(&format!("NOT ({short})")),
        part(&format!(
            "{short} AND a.patient_id IN (
        SELECT r.patient_id FROM app.appointments r
        WHERE r.clinic_id = ANY($1::bigint[]) AND r.status = '{completed}' AND r.starts_at >= $9 AND r.starts_at < $10)"
        ))
    )
}

pub(crate) fn tickets() -> Query {
    Query {
        kind: QueryKind::Tickets,
        relations: &["invoices"],
        // Only billed totals and counts matter (the average ticket): no
        // trend bucket (0), no materials.
        sql: format!(
            "{SCOPE_CTE},
g AS MATERIALIZED (
    SELECT i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END AS doctor_id,
           i.issued_at >= s.range_start AND i.issued_at < s.as_of AS in_range, i.status,
           count(*) AS n, sum(i.total) AS total
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    WHERE i.issued_at >= $9 AND i.issued_at < $10
    GROUP BY 1, 2, 3, 4
)
SELECT clinic_id, doctor_id, 0::int4 AS bucket, status::text AS status, n::int8 AS invoices, total::text AS total,
       '0'::text AS materials
FROM g WHERE in_range"
        ),
    }
}

fn schedules() -> Query {
    Query {
        kind: QueryKind::Schedules,
        relations: &["doctor_schedules"],
        sql:
            "SELECT d.clinic_id, d.doctor_id, d.weekday::int4 AS weekday, d.starts::text AS starts, d.ends::text AS ends
FROM app.doctor_schedules d WHERE d.clinic_id = ANY($1::bigint[])"
                .to_owned(),
    }
}

fn opening_hours() -> Query {
    Query {
        kind: QueryKind::OpeningHours,
        relations: &["clinic_hours"],
        sql: "SELECT h.clinic_id, h.weekday::int4 AS weekday, h.opens::text AS opens, h.closes::text AS closes
FROM app.clinic_hours h WHERE h.clinic_id = ANY($1::bigint[])"
            .to_owned(),
    }
}

fn rooms() -> Query {
    Query {
        kind: QueryKind::Rooms,
        relations: &["rooms"],
        sql: "SELECT r.clinic_id, r.active, count(*)::int8 AS rooms
FROM app.rooms r WHERE r.clinic_id = ANY($1::bigint[]) GROUP BY 1, 2"
            .to_owned(),
    }
}

/// The statements of the operations domain.
pub static QUERIES: LazyLock<Vec<Query>> =
    LazyLock::new(|| vec![appointments(true), patients(), tickets(), schedules(), opening_hours(), rooms()]);

/// The statements of the operations domain without its chairs (no
/// `appointments.room_id` or no `rooms`): chair utilization is left out,
/// every other figure is the same.
static WITHOUT_CHAIRS: LazyLock<Vec<Query>> =
    LazyLock::new(|| vec![appointments(false), patients(), tickets(), schedules(), opening_hours()]);

/// What the console's read-outs need of operations (the Command Center,
/// digest and benchmark: counts, rates, no-show bleed, utilization): every
/// statement but the new and returning patients', which scans each
/// patient's whole history for figures no read-out shows. Their reports
/// are the read-out's own and never leave it.
static CONSOLE: LazyLock<Vec<Query>> =
    LazyLock::new(|| QUERIES.iter().filter(|q| q.kind != QueryKind::Patients).cloned().collect());

/// [`CONSOLE`] without the chairs.
static CONSOLE_WITHOUT_CHAIRS: LazyLock<Vec<Query>> =
    LazyLock::new(|| WITHOUT_CHAIRS.iter().filter(|q| q.kind != QueryKind::Patients).cloned().collect());

/// The console's reads of operations ([`CONSOLE`]): the domain's
/// requirements and soft part, without the patients statement.
pub(crate) fn console_reads() -> Reads {
    Reads {
        queries: &CONSOLE,
        required: REQUIRED,
        soft: Some(SoftPart { without: &CONSOLE_WITHOUT_CHAIRS, ..CHAIRS }),
    }
}

/// The chairs, the domain's soft part: without them the report leaves
/// chair utilization out and names what it did without.
pub(crate) const SOFT: Option<SoftPart> = Some(CHAIRS);

const CHAIRS: SoftPart = SoftPart {
    figures: "chair utilization",
    reads: &[
        RequiredRelation { table: "appointments", columns: &["room_id"] },
        RequiredRelation { table: "rooms", columns: &["clinic_id", "active"] },
    ],
    without: &WITHOUT_CHAIRS,
};

/// Adds one row of an operations statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_operations(acc: &mut OperationsAcc, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
    match kind {
        QueryKind::Appointments => acc.accum_appointment(&AppointmentFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            has_doctor: flag(r, "has_doctor")?,
            has_room: flag(r, "has_room")?,
            status: AppointmentStatus::from_db(&text(r, "status")?),
            ended_by_as_of: flag(r, "ended_by_as_of")?,
            duration_min: need(r.int4("duration_min")?, "duration_min")?,
            appointments: count(r, "appointments")?,
        })?,
        QueryKind::Patients => {
            let grain =
                if flag(r, "by_doctor")? { PatientGrain::Doctor(r.int8("doctor_id")?) } else { PatientGrain::Clinic };
            acc.accum_patients(&PatientsFact {
                clinic_id: id(r, "clinic_id")?,
                grain,
                first_visit_position: index(r, "first_visit_position")?,
                patients: count(r, "patients")?,
            })?
        }
        // Its own billed totals, or the financial domain's invoice rows
        // when a call reads both (see QueryKind::served_by).
        QueryKind::Tickets | QueryKind::Invoices => acc.accum_invoice(&invoice_fact(r)?)?,
        QueryKind::Schedules => acc.accum_schedule(&DoctorScheduleRow {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: id(r, "doctor_id")?,
            weekday: weekday(r, "weekday")?,
            starts: time(r, "starts")?,
            ends: time(r, "ends")?,
        })?,
        QueryKind::OpeningHours => acc.accum_opening_hours(&ClinicHoursRow {
            clinic_id: id(r, "clinic_id")?,
            weekday: weekday(r, "weekday")?,
            opens: time(r, "opens")?,
            closes: time(r, "closes")?,
        })?,
        QueryKind::Rooms => acc.accum_rooms(&RoomsFact {
            clinic_id: id(r, "clinic_id")?,
            active: flag(r, "active")?,
            rooms: count(r, "rooms")?,
        })?,
        other => return Err(RowError::Driver(format!("{other:?} rows are not operations"))),
    }
    Ok(())
}

domain_acc!(OperationsAcc, odx_core::OperationsReport, Operations, feed_operations);

/// The tables and columns the operations domain reads.
pub(crate) const REQUIRED: &[RequiredRelation] = &[
    RequiredRelation { table: "clinics", columns: &["id", "timezone"] },
    RequiredRelation {
        table: "appointments",
        columns: &["clinic_id", "patient_id", "doctor_id", "starts_at", "duration_min", "status"],
    },
    RequiredRelation { table: "invoices", columns: &["clinic_id", "doctor_id", "issued_at", "total", "status"] },
    RequiredRelation { table: "doctor_schedules", columns: &["clinic_id", "doctor_id", "weekday", "starts", "ends"] },
    RequiredRelation { table: "clinic_hours", columns: &["clinic_id", "weekday", "opens", "closes"] },
];
