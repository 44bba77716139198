//! The statements and their parameters.

use odx_core::rules::{
    in_range_sql, DatePos, ATTENDANCE_TODAY, HIRED_BY_TO, LAB_DUE_BEFORE_TO, RECALL_BEFORE_TO, RECEIVED_BEFORE_SENT,
    SEEN_SINCE_RECALL,
};
use odx_core::staff::is_late_sql;
use odx_core::{AppointmentStatus, Frame, GroupBy, InvoiceStatus, MovementKind};
use std::sync::LazyLock;

/// `from` as the statements read it (`$6`).
const FROM: &str = "$6::date";
/// `to` as the statements read it (`$7`).
const TO: &str = "$7::date";

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
/// | `$9` | `timestamptz` | the earliest range start of the scope's clinics |
/// | `$10` | `timestamptz` | the latest as-of instant of the scope's clinics |
/// | `$11` | `text[]` | per clinic, its patients cuts (active window start, churn cut, churn cut at the start) |
/// | `$12` | `text[]` | per clinic, the IANA name of the time zone core resolved |
///
/// `$9` and `$10` bound every scan with constants the planner can estimate
/// from the column statistics. The exact per-clinic bounds are never a join
/// filter (the planner would guess their selectivity): rows are bucketed
/// against the clinic's cuts and the groups outside its range are dropped
/// after aggregation.
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
    /// `$9`.
    pub earliest: chrono::DateTime<chrono::Utc>,
    /// `$10`.
    pub latest: chrono::DateTime<chrono::Utc>,
    /// `$11`.
    pub patient_cuts: Vec<String>,
    /// `$12`.
    pub zones: Vec<String>,
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
            // An empty scope scans nothing: an empty interval.
            earliest: clocks.iter().map(|c| c.range_start()).min().unwrap_or_default(),
            latest: clocks.iter().map(|c| c.as_of()).max().unwrap_or_default(),
            patient_cuts: clocks.iter().map(|c| array_literal(&c.patient_cuts())).collect(),
            zones: clocks.iter().map(|c| c.time_zone().name().to_owned()).collect(),
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
    /// [`odx_core::accounting::ReceiptFact`] rows.
    Receipts,
    /// [`odx_core::accounting::MaterialsFact`] rows.
    Materials,
    /// [`odx_core::accounting::ExpenseFact`] rows.
    Expenses,
    /// [`odx_core::accounting::PayrollFact`] rows.
    Payroll,
    /// [`odx_core::lab::LabCaseFact`] rows.
    LabCases,
    /// [`odx_core::staff::StaffFact`] rows.
    Staff,
    /// [`odx_core::staff::AttendanceFact`] rows.
    Attendance,
    /// [`odx_core::clinical::PlanFact`] rows.
    Plans,
    /// [`odx_core::clinical::PlanFeesFact`] rows.
    PlanFees,
    /// [`odx_core::clinical::QuotationFact`] rows.
    Quotations,
    /// [`odx_core::clinical::ProcedureLineFact`] rows.
    ProcedureLines,
    /// [`odx_core::patients::PatientFact`] rows.
    PatientRecords,
    /// [`odx_core::inventory::InventoryItemFact`] rows.
    InventoryItems,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// What its rows are.
    pub kind: QueryKind,
    /// The tables it reads (for degraded mode).
    pub relations: &'static [&'static str],
    /// The SQL text, parameters `$1..$12` of [`ScopeParams`].
    pub sql: String,
}

/// The scope as a relation: one row per clinic with its cuts (`cuts`: the
/// trend bucket starts then the as-of instant, so `width_bucket(t, cuts) - 1`
/// is in `0..buckets` exactly for an in-range `t`).
const SCOPE_CTE: &str = "WITH s AS MATERIALIZED (
    SELECT u.clinic_id, u.trend_cuts::timestamptz[] || u.as_of::timestamptz AS cuts,
           cardinality(u.trend_cuts::text[]) AS buckets, u.range_start::timestamptz AS range_start,
           ARRAY[u.range_start::timestamptz, u.as_of::timestamptz] AS range_cuts,
           u.as_of::timestamptz AS as_of, u.aging_cuts::timestamptz[] AS aging_cuts,
           u.patient_cuts::timestamptz[] AS patient_cuts, u.zone
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $11::text[], $12::text[])
         AS u(clinic_id, trend_cuts, range_start, as_of, aging_cuts, patient_cuts, zone)
)";

/// `id, timezone` of the scope's clinics (`$1` only): the clinic directory.
pub const CLINIC_ZONES_SQL: &str = "SELECT c.id, c.timezone::text FROM app.clinics c WHERE c.id = ANY($1::bigint[])";

fn invoices() -> Query {
    Query {
        kind: QueryKind::Invoices,
        relations: &["invoices", "invoice_items"],
        // Invoices and their items aggregate straight into the (clinic,
        // doctor, bucket, status) groups: no per-invoice aggregate.
        sql: format!(
            "{SCOPE_CTE},
inv AS NOT MATERIALIZED (
    SELECT i.id, i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END AS doctor_id,
           width_bucket(i.issued_at, s.cuts) - 1 AS bucket, s.buckets,
           i.status, i.total
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    WHERE i.issued_at >= $9 AND i.issued_at < $10
),
g AS MATERIALIZED (
    SELECT clinic_id, doctor_id, bucket, status, max(buckets) AS buckets, sum(n) AS n, sum(total) AS total,
           sum(materials) AS materials
    FROM (
        SELECT clinic_id, doctor_id, bucket, buckets, status, 1 AS n, total, 0::numeric AS materials FROM inv
        UNION ALL
        SELECT inv.clinic_id, inv.doctor_id, inv.bucket, inv.buckets, inv.status, 0, 0::numeric, it.qty * it.unit_cost
        FROM inv JOIN app.invoice_items it ON it.invoice_id = inv.id
    ) x
    GROUP BY 1, 2, 3, 4
)
SELECT clinic_id, doctor_id, bucket::int4 AS bucket, status::text AS status, n::int8 AS invoices,
       total::text AS total, materials::text AS materials
FROM g WHERE bucket >= 0 AND bucket < buckets"
        ),
    }
}

fn tickets() -> Query {
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

/// `g`: the rows of the CTE `r` (with `clinic_id`) grouped by clinic, doctor
/// and `keys`, the doctor read from `join` (aliased `d`) only when `$8` asks
/// for it. Each branch sits under a one-time filter on `$8`, so a report by
/// clinic never touches the joined table: a `LEFT JOIN … ON $8 AND …` still
/// ran once per row (a year's payments: 20 ms of a 100 ms statement).
fn by_doctor_groups(join: &str, keys: &[&str], aggregates: &str) -> String {
    let keys_sql: String = keys.iter().map(|k| format!("{k}, ")).collect();
    let positions = (1..=keys.len() + 2).map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
    format!(
        "g AS MATERIALIZED (
    SELECT r.clinic_id, NULL::bigint AS doctor_id, {keys_sql}{aggregates}
    FROM r WHERE NOT $8::bool
    GROUP BY {positions}
    UNION ALL
    SELECT r.clinic_id, d.doctor_id, {keys_sql}{aggregates}
    FROM r LEFT JOIN {join} WHERE $8::bool
    GROUP BY {positions}
)"
    )
}

fn payments() -> Query {
    let groups = by_doctor_groups(
        "app.invoices d ON d.id = r.invoice_id",
        &["r.bucket", "r.method"],
        "max(r.buckets) AS buckets, count(*) AS n, sum(r.amount) AS amount",
    );
    Query {
        kind: QueryKind::Payments,
        relations: &["payments", "invoices"],
        sql: format!(
            "{SCOPE_CTE},
r AS NOT MATERIALIZED (
    SELECT p.clinic_id, p.invoice_id, width_bucket(p.paid_at, s.cuts) - 1 AS bucket, p.method, s.buckets, p.amount
    FROM s JOIN app.payments p ON p.clinic_id = s.clinic_id AND p.clinic_id = ANY($1::bigint[])
    WHERE p.paid_at >= $9 AND p.paid_at < $10
),
{groups}
SELECT clinic_id, doctor_id, bucket::int4 AS bucket, method::text AS method, n::int8 AS payments,
       amount::text AS amount
FROM g WHERE bucket >= 0 AND bucket < buckets"
        ),
    }
}

fn receivables() -> Query {
    Query {
        kind: QueryKind::Receivables,
        relations: &["invoices", "payments"],
        // Paid-to-date per invoice: payments before the invoice clinic's
        // as-of instant (a FILTER, not a join filter).
        sql: format!(
            "{SCOPE_CTE},
paid AS (
    SELECT p.invoice_id, sum(p.amount) FILTER (WHERE p.paid_at < s.as_of) AS paid
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    JOIN app.payments p ON p.invoice_id = i.id
    WHERE i.issued_at < $10 AND p.paid_at < $10
    GROUP BY p.invoice_id
),
g AS MATERIALIZED (
    SELECT i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END AS doctor_id, i.issued_at < s.as_of AS issued,
           width_bucket(i.issued_at, s.aging_cuts) AS aging, i.status, i.payer, count(*) AS n,
           sum(i.total - coalesce(paid.paid, 0)) AS balance
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    LEFT JOIN paid ON paid.invoice_id = i.id
    WHERE i.issued_at < $10
    GROUP BY 1, 2, 3, 4, 5, 6, i.total - coalesce(paid.paid, 0) > 0
)
SELECT clinic_id, doctor_id, aging::int4 AS aging, status::text AS status, payer::text AS payer, n::int8 AS invoices,
       balance::text AS balance
FROM g WHERE issued"
        ),
    }
}

fn lab_costs() -> Query {
    Query {
        kind: QueryKind::LabCosts,
        relations: &["lab_cases"],
        sql: format!(
            "SELECT l.clinic_id, l.status::text AS status, count(*)::int8 AS cases, sum(l.cost)::text AS cost
FROM app.lab_cases l
WHERE l.clinic_id = ANY($1::bigint[]) AND {in_range}
GROUP BY 1, 2",
            in_range = in_range_sql("l.sent_on", FROM, TO),
        ),
    }
}

fn appointments() -> Query {
    // Only a still-booked appointment can be missed: the end instant is
    // computed for those rows alone.
    let booked = AppointmentStatus::Booked.as_str();
    Query {
        kind: QueryKind::Appointments,
        relations: &["appointments"],
        sql: format!(
            "{SCOPE_CTE},
g AS MATERIALIZED (
    SELECT a.clinic_id, CASE WHEN $8::bool THEN a.doctor_id END AS doctor_id, a.doctor_id IS NOT NULL AS has_doctor,
           a.room_id IS NOT NULL AS has_room, a.status,
           a.status = '{booked}' AND a.starts_at + make_interval(mins => a.duration_min) < s.as_of AS ended,
           a.duration_min,
           a.starts_at >= s.range_start AND a.starts_at < s.as_of AS in_range, count(*) AS n
    FROM s JOIN app.appointments a ON a.clinic_id = s.clinic_id AND a.clinic_id = ANY($1::bigint[])
    WHERE a.starts_at >= $9 AND a.starts_at < $10
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
)
SELECT clinic_id, doctor_id, has_doctor, has_room, status::text AS status, ended AS ended_by_as_of, duration_min,
       n::int8 AS appointments
FROM g WHERE in_range"
        ),
    }
}

fn patients() -> Query {
    let completed = AppointmentStatus::Completed.as_str();
    Query {
        kind: QueryKind::Patients,
        relations: &["appointments"],
        // One pass over the clinic's completed visits up to the as-of instant:
        // each patient's first one, and whether they were seen in range. The
        // doctor rows (only when grouping by doctor) count the patients each
        // doctor saw in range against the clinic-wide first visit.
        sql: format!(
            "{SCOPE_CTE},
v AS MATERIALIZED (
    SELECT a.clinic_id, a.patient_id, min(a.starts_at) FILTER (WHERE a.starts_at < s.as_of) AS first_at,
           coalesce(bool_or(a.starts_at >= s.range_start AND a.starts_at < s.as_of), false) AS seen
    FROM s JOIN app.appointments a ON a.clinic_id = s.clinic_id AND a.clinic_id = ANY($1::bigint[])
    WHERE a.status = '{completed}' AND a.starts_at < $10
    GROUP BY a.clinic_id, a.patient_id
)
SELECT v.clinic_id, false AS by_doctor, NULL::int8 AS doctor_id,
       width_bucket(v.first_at, s.range_cuts)::int4 AS first_visit_position, count(*)::int8 AS patients
FROM v JOIN s ON s.clinic_id = v.clinic_id
WHERE v.seen
GROUP BY 1, 2, 3, 4
UNION ALL
SELECT a.clinic_id, true, a.doctor_id, width_bucket(v.first_at, s.range_cuts)::int4,
       count(DISTINCT a.patient_id) FILTER (WHERE a.starts_at >= s.range_start AND a.starts_at < s.as_of)::int8
FROM s JOIN app.appointments a ON a.clinic_id = s.clinic_id AND a.clinic_id = ANY($1::bigint[])
JOIN v ON v.clinic_id = a.clinic_id AND v.patient_id = a.patient_id
WHERE $8::bool AND v.seen AND a.status = '{completed}'
  AND a.starts_at >= $9 AND a.starts_at < $10
GROUP BY 1, 2, 3, 4
HAVING count(*) FILTER (WHERE a.starts_at >= s.range_start AND a.starts_at < s.as_of) > 0"
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

fn receipts() -> Query {
    let groups = by_doctor_groups(
        "app.invoices d ON d.id = r.invoice_id",
        &["r.in_range"],
        "count(*) AS n, sum(r.amount) AS amount",
    );
    Query {
        kind: QueryKind::Receipts,
        relations: &["payments", "invoices"],
        sql: format!(
            "{SCOPE_CTE},
r AS NOT MATERIALIZED (
    SELECT p.clinic_id, p.invoice_id, p.paid_at >= s.range_start AND p.paid_at < s.as_of AS in_range, p.amount
    FROM s JOIN app.payments p ON p.clinic_id = s.clinic_id AND p.clinic_id = ANY($1::bigint[])
    WHERE p.paid_at >= $9 AND p.paid_at < $10
),
{groups}
SELECT clinic_id, doctor_id, n::int8 AS payments, amount::text AS amount FROM g WHERE in_range"
        ),
    }
}

/// `'a', 'b'`: SQL literals of the category values core names.
fn sql_list<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values.into_iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")
}

/// The invoice statuses core counts as billed, as SQL literals.
fn billed_statuses() -> String {
    sql_list(InvoiceStatus::LISTED.iter().filter(|s| s.is_billed()).map(|s| s.as_str()))
}

fn materials() -> Query {
    // The items of billed invoices (core's statuses) by clinic and doctor,
    // and the invoices whose status core does not know (data quality).
    let billed = billed_statuses();
    let listed = sql_list(InvoiceStatus::LISTED.iter().map(|s| s.as_str()));
    Query {
        kind: QueryKind::Materials,
        relations: &["invoices", "invoice_items"],
        sql: format!(
            "{SCOPE_CTE},
inv AS NOT MATERIALIZED (
    SELECT i.id, i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END AS doctor_id,
           i.issued_at >= s.range_start AND i.issued_at < s.as_of AS in_range, i.status
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    WHERE i.issued_at >= $9 AND i.issued_at < $10
),
g AS MATERIALIZED (
    SELECT inv.clinic_id, inv.doctor_id, inv.in_range, 0 AS n, sum(it.qty * it.unit_cost) AS materials
    FROM inv JOIN app.invoice_items it ON it.invoice_id = inv.id
    WHERE inv.status IN ({billed})
    GROUP BY 1, 2, 3
    UNION ALL
    SELECT clinic_id, doctor_id, in_range, count(*), 0 FROM inv
    WHERE status NOT IN ({listed})
    GROUP BY 1, 2, 3
)
SELECT clinic_id, doctor_id, n::int8 AS unknown_status, materials::text AS materials FROM g WHERE in_range"
        ),
    }
}

fn expenses() -> Query {
    Query {
        kind: QueryKind::Expenses,
        relations: &["expenses"],
        sql: format!(
            "SELECT e.clinic_id, e.category::text AS category, count(*)::int8 AS expenses, sum(e.amount)::text AS amount
FROM app.expenses e
WHERE e.clinic_id = ANY($1::bigint[]) AND {in_range}
GROUP BY 1, 2",
            in_range = in_range_sql("e.spent_on", FROM, TO),
        ),
    }
}

fn payroll() -> Query {
    Query {
        kind: QueryKind::Payroll,
        relations: &["payroll"],
        sql: format!(
            "SELECT w.clinic_id, count(*)::int8 AS entries, sum(w.gross)::text AS gross
FROM app.payroll w
WHERE w.clinic_id = ANY($1::bigint[]) AND {in_range}
GROUP BY 1",
            in_range = in_range_sql("w.paid_on", FROM, TO),
        ),
    }
}

fn lab_cases() -> Query {
    // Every case sent on or before `to` (the open backlog starts before the
    // range), grouped by where its dates fall against `from..=to`
    // (0 before, 1 in, 2 after; core decides what each means).
    Query {
        kind: QueryKind::LabCases,
        relations: &["lab_cases"],
        sql: format!(
            "SELECT l.clinic_id, l.vendor::text AS vendor, l.status::text AS status, {sent} AS sent, {received} AS received,
       {due} AS due_before_to, {received_before_sent} AS received_before_sent, count(*)::int8 AS cases,
       sum(l.cost)::text AS cost, coalesce(sum(l.received_on - l.sent_on), 0)::int8 AS turnaround_days
FROM app.lab_cases l
WHERE l.clinic_id = ANY($1::bigint[]) AND l.sent_on <= {TO}
GROUP BY 1, 2, 3, 4, 5, 6, 7",
            sent = DatePos::sql("l.sent_on", FROM, TO),
            received = DatePos::sql("l.received_on", FROM, TO),
            due = LAB_DUE_BEFORE_TO.sql("l.due_on", TO),
            received_before_sent = RECEIVED_BEFORE_SENT.sql("l.received_on", "l.sent_on"),
        ),
    }
}

fn staff() -> Query {
    // The users table is small: every user of the scope's branches, grouped
    // by what core needs to decide who is staff on `to`.
    Query {
        kind: QueryKind::Staff,
        relations: &["users"],
        sql: format!(
            "SELECT u.clinic_id, u.role::text AS role, u.status::text AS status, {hired} AS hired_by_to, count(*)::int8 AS users
FROM app.users u
WHERE u.clinic_id = ANY($1::bigint[])
GROUP BY 1, 2, 3, 4",
            hired = HIRED_BY_TO.sql("u.hired_on", TO),
        ),
    }
}

fn attendance() -> Query {
    Query {
        kind: QueryKind::Attendance,
        relations: &["attendance_days"],
        sql: format!(
            "SELECT a.clinic_id, a.status::text AS status, {today} AS today, {late} AS late, count(*)::int8 AS days
FROM app.attendance_days a
WHERE a.clinic_id = ANY($1::bigint[]) AND {in_range}
GROUP BY 1, 2, 3, 4",
            today = ATTENDANCE_TODAY.sql("a.day", TO),
            late = is_late_sql("a.late_minutes"),
            in_range = in_range_sql("a.day", FROM, TO),
        ),
    }
}

fn plans() -> Query {
    // The plan's doctor in every grouping: core lists acceptance per doctor.
    Query {
        kind: QueryKind::Plans,
        relations: &["treatment_plans"],
        sql: format!(
            "{SCOPE_CTE},
g AS MATERIALIZED (
    SELECT t.clinic_id, t.doctor_id, t.status,
           t.created_at >= s.range_start AND t.created_at < s.as_of AS in_range, count(*) AS n
    FROM s JOIN app.treatment_plans t ON t.clinic_id = s.clinic_id AND t.clinic_id = ANY($1::bigint[])
    WHERE t.created_at >= $9 AND t.created_at < $10
    GROUP BY 1, 2, 3, 4
)
SELECT clinic_id, doctor_id, status::text AS status, n::int8 AS plans FROM g WHERE in_range"
        ),
    }
}

fn plan_fees() -> Query {
    Query {
        kind: QueryKind::PlanFees,
        relations: &["treatment_plans", "treatment_plan_procedures"],
        sql: format!(
            "{SCOPE_CTE},
g AS MATERIALIZED (
    SELECT t.clinic_id, CASE WHEN $8::bool THEN t.doctor_id END AS doctor_id, t.status AS plan_status, pp.status,
           t.created_at >= s.range_start AND t.created_at < s.as_of AS in_range, count(*) AS n, sum(pp.fee) AS fees
    FROM s JOIN app.treatment_plans t ON t.clinic_id = s.clinic_id AND t.clinic_id = ANY($1::bigint[])
    JOIN app.treatment_plan_procedures pp ON pp.plan_id = t.id
    WHERE t.created_at >= $9 AND t.created_at < $10
    GROUP BY 1, 2, 3, 4, 5
)
SELECT clinic_id, doctor_id, plan_status::text AS plan_status, status::text AS procedure_status,
       n::int8 AS procedures, fees::text AS fees
FROM g WHERE in_range"
        ),
    }
}

fn quotations() -> Query {
    let groups =
        by_doctor_groups("app.treatment_plans d ON d.id = r.plan_id", &["r.status", "r.in_range"], "count(*) AS n");
    Query {
        kind: QueryKind::Quotations,
        relations: &["quotations", "treatment_plans"],
        sql: format!(
            "{SCOPE_CTE},
r AS NOT MATERIALIZED (
    SELECT q.clinic_id, q.plan_id, q.status, q.created_at >= s.range_start AND q.created_at < s.as_of AS in_range
    FROM s JOIN app.quotations q ON q.clinic_id = s.clinic_id AND q.clinic_id = ANY($1::bigint[])
    WHERE q.created_at >= $9 AND q.created_at < $10
),
{groups}
SELECT clinic_id, doctor_id, status::text AS status, n::int8 AS quotations FROM g WHERE in_range"
        ),
    }
}

fn procedure_lines() -> Query {
    // Core keeps the items of billed invoices: the statement reads only those.
    let billed = billed_statuses();
    Query {
        kind: QueryKind::ProcedureLines,
        relations: &["invoices", "invoice_items"],
        sql: format!(
            "{SCOPE_CTE},
g AS MATERIALIZED (
    SELECT i.clinic_id, CASE WHEN $8::bool THEN i.doctor_id END AS doctor_id, i.status, it.procedure_code,
           i.issued_at >= s.range_start AND i.issued_at < s.as_of AS in_range,
           sum(it.qty) AS qty, sum(it.qty * it.unit_price) AS revenue
    FROM s JOIN app.invoices i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    JOIN app.invoice_items it ON it.invoice_id = i.id
    WHERE i.issued_at >= $9 AND i.issued_at < $10 AND i.status IN ({billed})
    GROUP BY 1, 2, 3, 4, 5
)
SELECT clinic_id, doctor_id, status::text AS status, procedure_code::text AS procedure_code, qty::int8 AS qty,
       revenue::text AS revenue
FROM g WHERE in_range"
        ),
    }
}

fn patient_records() -> Query {
    let completed = AppointmentStatus::Completed.as_str();
    let booked = AppointmentStatus::Booked.as_str();
    let billed = billed_statuses();
    Query {
        kind: QueryKind::PatientRecords,
        relations: &["patients", "appointments", "invoices"],
        // Every patient of the scope's branches with the first and last
        // completed visit before the as-of instant, the last before the range
        // and whether anything is booked from the as-of instant on, grouped by
        // where those fall against core's cuts.
        // Only a patient whose last visit is before the churn cut is its own
        // group, with its identity, last visit (local date) and lifetime
        // billed: the only per-patient rows that leave Postgres.
        sql: format!(
            "{SCOPE_CTE},
v AS MATERIALIZED (
    SELECT a.clinic_id, a.patient_id,
           min(a.starts_at) FILTER (WHERE a.status = '{completed}' AND a.starts_at < s.as_of) AS first_at,
           max(a.starts_at) FILTER (WHERE a.status = '{completed}' AND a.starts_at < s.as_of) AS last_at,
           max(a.starts_at) FILTER (WHERE a.status = '{completed}' AND a.starts_at < s.range_start) AS before_at,
           coalesce(bool_or(a.status = '{booked}' AND a.starts_at >= s.as_of), false) AS booked_after
    FROM s JOIN app.appointments a ON a.clinic_id = s.clinic_id AND a.clinic_id = ANY($1::bigint[])
    WHERE a.status IN ('{completed}', '{booked}')
    GROUP BY 1, 2
),
p AS MATERIALIZED (
    SELECT pt.clinic_id, pt.id, pt.recall_due_on, v.first_at, v.last_at, coalesce(v.booked_after, false) AS booked_after,
           coalesce(v.last_at < s.patient_cuts[2], false) AS dormant, (v.last_at AT TIME ZONE s.zone)::date AS last_on,
           coalesce(v.before_at < s.patient_cuts[3], false) AS lapsed_at_start,
           s.range_cuts, s.range_start, s.patient_cuts[1] AS window_start, s.as_of
    FROM s JOIN app.patients pt ON pt.clinic_id = s.clinic_id AND pt.clinic_id = ANY($1::bigint[])
    LEFT JOIN v ON v.clinic_id = pt.clinic_id AND v.patient_id = pt.id
),
b AS (
    SELECT i.clinic_id, i.patient_id, sum(i.total) AS billed
    FROM p JOIN app.invoices i ON i.clinic_id = p.clinic_id AND i.patient_id = p.id
    WHERE p.dormant AND i.status IN ({billed}) AND i.issued_at < p.as_of
    GROUP BY 1, 2
)
SELECT p.clinic_id, width_bucket(p.first_at, p.range_cuts)::int4 AS first_visit,
       coalesce(p.last_at >= p.range_start, false) AS seen_in_range,
       coalesce(p.last_at >= p.window_start, false) AS seen_in_window, p.dormant AS last_visit_before_churn_cut,
       p.booked_after AS booked_after_to, {recall} AS recall, {recall_before_to} AS recall_before_to,
       {seen_since_recall} AS visited_since_recall, CASE WHEN p.dormant THEN p.id END AS dormant_id,
       CASE WHEN p.dormant THEN to_char(p.last_on, 'YYYY-MM-DD') END AS last_visit_on,
       CASE WHEN p.dormant THEN coalesce(b.billed, 0)::text END AS lifetime_billed, p.lapsed_at_start,
       count(*)::int8 AS patients
FROM p LEFT JOIN b ON b.clinic_id = p.clinic_id AND b.patient_id = p.id
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13",
            recall = DatePos::sql("p.recall_due_on", FROM, TO),
            recall_before_to = RECALL_BEFORE_TO.sql("p.recall_due_on", TO),
            seen_since_recall = SEEN_SINCE_RECALL.sql("p.recall_due_on", "p.last_on"),
        ),
    }
}

fn inventory_items() -> Query {
    let consumption = MovementKind::Consumption.as_str();
    let kinds = sql_list(MovementKind::LISTED.iter().map(|k| k.as_str()));
    Query {
        kind: QueryKind::InventoryItems,
        relations: &["inventory_items", "inventory_movements"],
        // One row per item (the grain of stock): its movements at or after
        // the as-of instant (to undo), consumption and unknown kinds in range.
        sql: format!(
            "{SCOPE_CTE},
m AS MATERIALIZED (
    SELECT mv.item_id,
           coalesce(sum(mv.qty) FILTER (WHERE mv.moved_at >= s.as_of), 0) AS moved_after,
           coalesce(sum(-mv.qty) FILTER (WHERE mv.kind = '{consumption}' AND mv.moved_at >= s.range_start
                                           AND mv.moved_at < s.as_of), 0) AS consumed,
           count(*) FILTER (WHERE mv.kind NOT IN ({kinds}) AND mv.moved_at >= s.range_start
                              AND mv.moved_at < s.as_of) AS unknown_kind
    FROM s JOIN app.inventory_items i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    JOIN app.inventory_movements mv ON mv.item_id = i.id
    WHERE mv.moved_at >= $9
    GROUP BY mv.item_id
)
SELECT i.clinic_id, i.sku::text AS sku, i.unit_cost::text AS unit_cost, i.qty_on_hand::text AS qty_on_hand,
       coalesce(m.moved_after, 0)::text AS moved_after, i.reorder_level::text AS reorder_level,
       (i.expires_on - {TO})::int4 AS expires_in_days, coalesce(m.consumed, 0)::text AS consumed,
       coalesce(m.unknown_kind, 0)::int8 AS unknown_kind_movements
FROM s JOIN app.inventory_items i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
LEFT JOIN m ON m.item_id = i.id"
        ),
    }
}

/// The statements of the financial domain.
pub static FINANCIAL: LazyLock<Vec<Query>> = LazyLock::new(|| vec![invoices(), payments(), receivables(), lab_costs()]);

/// The statements of the operations domain.
pub static OPERATIONS: LazyLock<Vec<Query>> =
    LazyLock::new(|| vec![appointments(), patients(), tickets(), schedules(), opening_hours(), rooms()]);

/// The statements of the accounting domain.
pub static ACCOUNTING: LazyLock<Vec<Query>> =
    LazyLock::new(|| vec![receipts(), materials(), lab_costs(), expenses(), payroll()]);

/// The statements of the lab domain.
pub static LAB: LazyLock<Vec<Query>> = LazyLock::new(|| vec![lab_cases()]);

/// The statements of the staff domain (billed comes from the average-ticket
/// statement: invoices in range by status).
pub static STAFF: LazyLock<Vec<Query>> = LazyLock::new(|| vec![staff(), attendance(), payroll(), tickets()]);

/// The statements of the clinical domain.
pub static CLINICAL: LazyLock<Vec<Query>> =
    LazyLock::new(|| vec![plans(), plan_fees(), quotations(), procedure_lines()]);

/// The statements of the patients domain.
pub static PATIENTS: LazyLock<Vec<Query>> = LazyLock::new(|| vec![patient_records()]);

/// The statements of the inventory domain.
pub static INVENTORY: LazyLock<Vec<Query>> = LazyLock::new(|| vec![inventory_items()]);
