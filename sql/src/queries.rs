//! The statements and their parameters.

use odx_core::{AppointmentStatus, Frame, GroupBy};
use std::sync::LazyLock;

/// The parameters every statement takes, in order:
///
/// | | type | value |
/// |---|---|---|
/// | `$1` | `bigint[]` | the scope's clinic ids |
/// | `$2` | `text[]` | per clinic, its trend cuts as a `timestamptz[]` literal |
/// | `$3` | `text[]` | per clinic, local midnight of `from` (range start) |
/// | `$4` | `text[]` | per clinic, local midnight of `to + 1` (the as-of instant) |
/// | `$5` | `text[]` | per clinic, its aging cuts as a `timestamptz[]` literal |
/// | `$6` | `text` | `from` (a date) |
/// | `$7` | `text` | `to` (a date) |
/// | `$8` | `bool` | group by doctor |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeParams {
    /// `$1`.
    pub clinic_ids: Vec<i64>,
    /// `$2`.
    pub trend_cuts: Vec<String>,
    /// `$3`.
    pub range_starts: Vec<String>,
    /// `$4`.
    pub as_ofs: Vec<String>,
    /// `$5`.
    pub aging_cuts: Vec<String>,
    /// `$6`.
    pub from: String,
    /// `$7`.
    pub to: String,
    /// `$8`.
    pub by_doctor: bool,
}

fn ts(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S+00").to_string()
}

fn array_literal<'a>(cuts: impl IntoIterator<Item = &'a chrono::DateTime<chrono::Utc>>) -> String {
    let items: Vec<String> = cuts.into_iter().map(|c| format!("\"{}\"", ts(c))).collect();
    format!("{{{}}}", items.join(","))
}

impl ScopeParams {
    /// The parameters of a frame: every cut computed by core.
    pub fn new(frame: &Frame) -> Self {
        let scope = frame.scope();
        let clocks: Vec<_> = scope.clinic_ids().iter().filter_map(|id| frame.clock(*id).ok()).collect();
        ScopeParams {
            clinic_ids: scope.clinic_ids().to_vec(),
            trend_cuts: clocks.iter().map(|c| array_literal(c.trend_cuts())).collect(),
            range_starts: clocks.iter().map(|c| ts(&c.range_start())).collect(),
            as_ofs: clocks.iter().map(|c| ts(&c.as_of())).collect(),
            aging_cuts: clocks.iter().map(|c| array_literal(&c.aging_cuts())).collect(),
            from: scope.from().to_string(),
            to: scope.to().to_string(),
            by_doctor: scope.group_by() == GroupBy::Doctor,
        }
    }
}

/// What a statement's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    /// [`odx_core::financial::InvoiceFact`] rows.
    Invoices,
    /// [`odx_core::financial::PaymentFact`] rows.
    Payments,
    /// [`odx_core::financial::ReceivableFact`] rows.
    Receivables,
    /// [`odx_core::financial::LabCostFact`] rows.
    LabCosts,
    /// [`odx_core::operations::AppointmentFact`] rows.
    Appointments,
    /// [`odx_core::operations::PatientsFact`] rows.
    Patients,
    /// Billed invoices for the average ticket (invoice facts without materials).
    Tickets,
    /// `doctor_schedules` rows.
    Schedules,
    /// `clinic_hours` rows.
    OpeningHours,
    /// [`odx_core::operations::RoomsFact`] rows.
    Rooms,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// What its rows are.
    pub kind: QueryKind,
    /// The tables it reads (for degraded mode).
    pub relations: &'static [&'static str],
    /// The SQL text, parameters `$1..$8` of [`ScopeParams`].
    pub sql: String,
}

/// The scope as a relation: one row per clinic with its cuts.
const SCOPE_CTE: &str = "WITH s AS MATERIALIZED (
    SELECT u.clinic_id, u.trend_cuts::timestamptz[] AS trend_cuts, u.range_start::timestamptz AS range_start,
           u.as_of::timestamptz AS as_of, u.aging_cuts::timestamptz[] AS aging_cuts
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])
         AS u(clinic_id, trend_cuts, range_start, as_of, aging_cuts)
)";

/// `id, timezone` of the scope's clinics (`$1` only): the clinic directory.
pub const CLINIC_ZONES_SQL: &str = "SELECT c.id, c.timezone::text FROM app.clinics c WHERE c.id = ANY($1::bigint[])";

fn invoices() -> Query {
    Query {
        kind: QueryKind::Invoices,
        relations: &["invoices", "invoice_items"],
        sql: format!(
            "{SCOPE_CTE},
inv AS MATERIALIZED (
    SELECT i.id, i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END AS doctor_id,
           width_bucket(i.issued_at, s.trend_cuts) - 1 AS bucket, i.status, i.total
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id
    WHERE i.issued_at >= s.range_start AND i.issued_at < s.as_of
),
mat AS (
    SELECT it.invoice_id, sum(it.qty * it.unit_cost) AS materials
    FROM app.invoice_items it JOIN inv ON inv.id = it.invoice_id
    GROUP BY it.invoice_id
)
SELECT inv.clinic_id, inv.doctor_id, inv.bucket::int4, inv.status::text, count(*)::int8,
       sum(inv.total)::text, coalesce(sum(mat.materials), 0)::text
FROM inv LEFT JOIN mat ON mat.invoice_id = inv.id
GROUP BY 1, 2, 3, 4"
        ),
    }
}

fn tickets() -> Query {
    Query {
        kind: QueryKind::Tickets,
        relations: &["invoices"],
        sql: format!(
            "{SCOPE_CTE}
SELECT i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END, (width_bucket(i.issued_at, s.trend_cuts) - 1)::int4,
       i.status::text, count(*)::int8, sum(i.total)::text, '0'
FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id
WHERE i.issued_at >= s.range_start AND i.issued_at < s.as_of
GROUP BY 1, 2, 3, 4"
        ),
    }
}

fn payments() -> Query {
    Query {
        kind: QueryKind::Payments,
        relations: &["payments", "invoices"],
        sql: format!(
            "{SCOPE_CTE}
SELECT p.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END, (width_bucket(p.paid_at, s.trend_cuts) - 1)::int4,
       p.method::text, count(*)::int8, sum(p.amount)::text
FROM s JOIN app.payments p ON p.clinic_id = s.clinic_id
LEFT JOIN app.invoices i ON $8::bool AND i.id = p.invoice_id
WHERE p.paid_at >= s.range_start AND p.paid_at < s.as_of
GROUP BY 1, 2, 3, 4"
        ),
    }
}

fn receivables() -> Query {
    Query {
        kind: QueryKind::Receivables,
        relations: &["invoices", "payments"],
        sql: format!(
            "{SCOPE_CTE},
inv AS MATERIALIZED (
    SELECT i.id, i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END AS doctor_id, s.as_of,
           width_bucket(i.issued_at, s.aging_cuts) AS aging, i.status, i.payer, i.total
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id
    WHERE i.issued_at < s.as_of
),
paid AS (
    SELECT p.invoice_id, sum(p.amount) AS paid
    FROM app.payments p JOIN inv ON inv.id = p.invoice_id
    WHERE p.paid_at < inv.as_of
    GROUP BY p.invoice_id
),
bal AS (
    SELECT inv.clinic_id, inv.doctor_id, inv.aging, inv.status, inv.payer,
           inv.total - coalesce(paid.paid, 0) AS balance
    FROM inv LEFT JOIN paid ON paid.invoice_id = inv.id
)
SELECT clinic_id, doctor_id, aging::int4, status::text, payer::text, count(*)::int8, sum(balance)::text
FROM bal
GROUP BY clinic_id, doctor_id, aging, status, payer, balance > 0"
        ),
    }
}

fn lab_costs() -> Query {
    Query {
        kind: QueryKind::LabCosts,
        relations: &["lab_cases"],
        sql: "SELECT l.clinic_id, l.status::text, count(*)::int8, sum(l.cost)::text
FROM app.lab_cases l
WHERE l.clinic_id = ANY($1::bigint[]) AND l.sent_on >= $6::date AND l.sent_on <= $7::date
GROUP BY 1, 2"
            .to_owned(),
    }
}

fn appointments() -> Query {
    Query {
        kind: QueryKind::Appointments,
        relations: &["appointments"],
        sql: format!(
            "{SCOPE_CTE}
SELECT a.clinic_id, CASE WHEN $8::bool THEN a.doctor_id END, a.doctor_id IS NOT NULL, a.room_id IS NOT NULL,
       a.status::text, (a.starts_at + make_interval(mins => a.duration_min)) < s.as_of, a.duration_min,
       count(*)::int8
FROM s JOIN app.appointments a ON a.clinic_id = s.clinic_id
WHERE a.starts_at >= s.range_start AND a.starts_at < s.as_of
GROUP BY 1, 2, 3, 4, 5, 6, 7"
        ),
    }
}

fn patients() -> Query {
    let completed = AppointmentStatus::Completed.as_str();
    Query {
        kind: QueryKind::Patients,
        relations: &["appointments"],
        sql: format!(
            "{SCOPE_CTE},
seen AS (
    SELECT DISTINCT a.clinic_id, g.by_doctor, CASE WHEN g.by_doctor THEN a.doctor_id END AS doctor_id, a.patient_id
    FROM s JOIN app.appointments a ON a.clinic_id = s.clinic_id
    CROSS JOIN (VALUES (false), (true)) AS g(by_doctor)
    WHERE a.status = '{completed}' AND a.starts_at >= s.range_start AND a.starts_at < s.as_of
      AND (NOT g.by_doctor OR $8::bool)
),
first AS (
    SELECT a.clinic_id, a.patient_id, min(a.starts_at) AS first_at
    FROM app.appointments a
    JOIN (SELECT DISTINCT clinic_id, patient_id FROM seen) p ON p.clinic_id = a.clinic_id AND p.patient_id = a.patient_id
    WHERE a.status = '{completed}'
    GROUP BY a.clinic_id, a.patient_id
)
SELECT seen.clinic_id, seen.by_doctor, seen.doctor_id,
       width_bucket(first.first_at, ARRAY[s.range_start, s.as_of])::int4, count(*)::int8
FROM seen
JOIN first ON first.clinic_id = seen.clinic_id AND first.patient_id = seen.patient_id
JOIN s ON s.clinic_id = seen.clinic_id
GROUP BY 1, 2, 3, 4"
        ),
    }
}

fn schedules() -> Query {
    Query {
        kind: QueryKind::Schedules,
        relations: &["doctor_schedules"],
        sql: "SELECT d.clinic_id, d.doctor_id, d.weekday::int4, d.starts::text, d.ends::text
FROM app.doctor_schedules d WHERE d.clinic_id = ANY($1::bigint[])"
            .to_owned(),
    }
}

fn opening_hours() -> Query {
    Query {
        kind: QueryKind::OpeningHours,
        relations: &["clinic_hours"],
        sql: "SELECT h.clinic_id, h.weekday::int4, h.opens::text, h.closes::text
FROM app.clinic_hours h WHERE h.clinic_id = ANY($1::bigint[])"
            .to_owned(),
    }
}

fn rooms() -> Query {
    Query {
        kind: QueryKind::Rooms,
        relations: &["rooms"],
        sql: "SELECT r.clinic_id, r.active, count(*)::int8
FROM app.rooms r WHERE r.clinic_id = ANY($1::bigint[]) GROUP BY 1, 2"
            .to_owned(),
    }
}

/// The statements of the financial domain.
pub static FINANCIAL: LazyLock<Vec<Query>> = LazyLock::new(|| vec![invoices(), payments(), receivables(), lab_costs()]);

/// The statements of the operations domain.
pub static OPERATIONS: LazyLock<Vec<Query>> =
    LazyLock::new(|| vec![appointments(), patients(), tickets(), schedules(), opening_hours(), rooms()]);
