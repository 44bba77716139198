//! What every statement shares: the scope parameters ([`ScopeParams`]),
//! the scope as a relation, the kinds of statement, and small SQL helpers.
//! Each domain's statements live in its own module beside their decoders
//! (`financial.rs`, `operations.rs`, ...).

use odx_core::{Frame, GroupBy, InvoiceStatus};

/// `from` as the statements read it (`$6`).
pub(crate) const FROM: &str = "$6::date";

/// `to` as the statements read it (`$7`): only a bound for the planner;
/// every rule reads the clinic's as-of date ([`LAST_DAY`]).
pub(crate) const TO: &str = "$7::date";

/// The parameters every statement takes, in order:
///
/// | | type | value |
/// |---|---|---|
/// | `$1` | `bigint[]` | the scope's clinic ids |
/// | `$2` | `text[]` | per clinic, its trend cuts as a `timestamptz[]` literal |
/// | `$3` | `text[]` | per clinic, local midnight of `from` (range start; never after the as-of instant) |
/// | `$4` | `text[]` | per clinic, the as-of instant (the earlier of local midnight of `to + 1` and `now`) |
/// | `$5` | `text[]` | per clinic, its aging cuts as a `timestamptz[]` literal |
/// | `$6` | `text` | `from` (a date) |
/// | `$7` | `text` | `to` (a date) |
/// | `$8` | `bool` | group by doctor |
/// | `$9` | `timestamptz` | the earliest range start of the scope's clinics |
/// | `$10` | `timestamptz` | the latest as-of instant of the scope's clinics |
/// | `$11` | `text[]` | per clinic, its patients cuts (active window start, churn cut, churn cut at the start) |
/// | `$12` | `text[]` | per clinic, the IANA name of the time zone core resolved |
/// | `$13` | `text[]` | per clinic, its as-of date (the last local date its facts reach: `to`, or today for a period in progress) |
/// | `$14` | `text[]` | per clinic, the inner scope's trend cuts (a split read; else `$2`) |
/// | `$15` | `text[]` | per clinic, the inner scope's range start (a split read; else `$3`) |
/// | `$16` | `timestamptz` | the earliest as-of instant of the scope's clinics |
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
    /// `$13`.
    pub as_of_dates: Vec<String>,
    /// `$14`.
    pub inner_cuts: Vec<String>,
    /// `$15`.
    pub inner_starts: Vec<String>,
    /// `$16`.
    pub earliest_as_of: chrono::DateTime<chrono::Utc>,
}

/// One parameter's value, in the plain types both drivers bind: every
/// driver binds [`ScopeParams::values`] in order with one match on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param<'a> {
    /// A `bigint[]`.
    Ids(&'a [i64]),
    /// A `text[]`.
    Texts(&'a [String]),
    /// A `text`.
    Text(&'a str),
    /// A `bigint` (the key of a console read).
    Id(i64),
    /// A `bool`.
    Bool(bool),
    /// A `timestamptz`, with the argument it derives from (for an error
    /// that names it when a driver cannot place the instant).
    Instant(chrono::DateTime<chrono::Utc>, &'static str),
    /// A `timestamptz[]`, with the argument its instants derive from.
    Instants(&'a [chrono::DateTime<chrono::Utc>], &'static str),
}

/// Whether a driver that keeps plans (the extension) may keep one plan of
/// `sql` for every call with values of these kinds. A scan bounded by
/// instants is planned for its values on every call: a plan kept for one
/// range would serve every other (a generic plan chosen on one branch's
/// month chose index scans for the whole network's year: financial at one
/// branch 47 -> 73 ms). The fixed lookups (the schema, the organization,
/// the clinics) and the overview's day (its statement `DAY_SQL`, one day
/// wide whatever the call) are the same plan whatever their values.
pub fn kept_plan_fits(sql: &str, params: &[Param<'_>]) -> bool {
    sql == crate::console::DAY_SQL.as_str()
        || !params.iter().any(|p| matches!(p, Param::Instant(..) | Param::Instants(..)))
}

/// The parameter numbers `sql` refers to (`$1` is 1), ascending, each once.
/// Every reference to a parameter is written `$n`, so none is missed; a
/// `$n` inside a literal would count too, which only ever sends a value
/// not needed.
pub(crate) fn parameter_numbers(sql: &str) -> Vec<usize> {
    let mut used: Vec<usize> = Vec::new();
    let bytes = sql.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 0 {
                let n: usize = sql[i + 1..i + 1 + digits].parse().unwrap_or(0);
                if n > 0 && !used.contains(&n) {
                    used.push(n);
                }
            }
            i += 1 + digits;
        } else {
            i += 1;
        }
    }
    used.sort_unstable();
    used
}

impl ScopeParams {
    /// `$1..$16` in order: the one place that lists the positions.
    pub fn values(&self) -> [Param<'_>; 16] {
        [
            Param::Ids(&self.clinic_ids),
            Param::Texts(&self.trend_cuts),
            Param::Texts(&self.range_starts),
            Param::Texts(&self.as_ofs),
            Param::Texts(&self.aging_cuts),
            Param::Text(&self.from),
            Param::Text(&self.to),
            Param::Bool(self.by_doctor),
            Param::Instant(self.earliest, "from_date"),
            Param::Instant(self.latest, "to_date"),
            Param::Texts(&self.patient_cuts),
            Param::Texts(&self.zones),
            Param::Texts(&self.as_of_dates),
            Param::Texts(&self.inner_cuts),
            Param::Texts(&self.inner_starts),
            Param::Instant(self.earliest_as_of, "to_date"),
        ]
    }
}

/// An instant as a `timestamptz` literal (UTC), `YYYY-MM-DD hh:mm:ss+00`
/// (a scope's instants are within years 1 to 9999). Written field by field:
/// `format("%Y-...")` parses its pattern on every call, and a year by month
/// has hundreds of cuts (the overview: 4% of its call).
pub(crate) fn ts(t: &chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let mut s = String::with_capacity(22);
    let _ = write!(
        s,
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}+00",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    s
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
            as_of_dates: clocks.iter().map(|c| c.as_of_date().to_string()).collect(),
            inner_cuts: clocks.iter().map(|c| array_literal(c.trend_cuts())).collect(),
            inner_starts: clocks.iter().map(|c| ts(&c.range_start())).collect(),
            earliest_as_of: clocks.iter().map(|c| c.as_of()).min().unwrap_or_default(),
        }
    }

    /// The parameters of a split read: `outer`'s, with `inner`'s cuts and
    /// range starts as `$14` and `$15`, when `inner` is within `outer` (the
    /// same clinics, the same as-of instants, a range start no earlier);
    /// `None` otherwise.
    pub fn split(outer: &Frame, inner: &Frame) -> Option<Self> {
        let (o, i) = (ScopeParams::new(outer), ScopeParams::new(inner));
        let within = o.clinic_ids == i.clinic_ids
            && o.as_ofs == i.as_ofs
            && o.by_doctor == i.by_doctor
            && outer.scope().from() <= inner.scope().from();
        within.then_some(ScopeParams { inner_cuts: i.trend_cuts, inner_starts: i.range_starts, ..o })
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

impl QueryKind {
    /// Whether its statement is split: it reads `SPLIT_SCOPE_CTE` and
    /// gives each row its `inner_bucket` (the scans a read of a range and
    /// its month to date shares: invoices, payments, appointments).
    pub const fn splits(self) -> bool {
        matches!(self, QueryKind::Invoices | QueryKind::Payments | QueryKind::Appointments)
    }

    /// The statement whose rows also give this one's facts, when a call
    /// reads both: the operations domain's billed totals and the accounting
    /// domain's materials are the financial domain's invoice rows
    /// ([`odx_core::accounting::MaterialsFact::of_invoices`]), its receipts
    /// the financial payment rows ([`odx_core::accounting::ReceiptFact::of_payments`]).
    /// The decoder of this kind's domain reads those rows.
    pub const fn served_by(self) -> Option<QueryKind> {
        match self {
            QueryKind::Tickets | QueryKind::Materials => Some(QueryKind::Invoices),
            QueryKind::Receipts => Some(QueryKind::Payments),
            _ => None,
        }
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// What its rows are.
    pub kind: QueryKind,
    /// The tables it reads (for degraded mode).
    pub relations: &'static [&'static str],
    /// The SQL text, parameters `$1..$16` of [`ScopeParams`].
    pub sql: String,
}

/// `WITH s AS MATERIALIZED (...)`: the scope as a relation, with `$extra`
/// columns read from `$params` unnested as `$names`.
macro_rules! scope_cte {
    ($extra:literal, $params:literal, $names:literal) => {
        concat!(
            "WITH s AS MATERIALIZED (
    SELECT u.clinic_id, u.trend_cuts::timestamptz[] || u.as_of::timestamptz AS cuts,
           cardinality(u.trend_cuts::text[]) AS buckets, u.range_start::timestamptz AS range_start,
           ARRAY[u.range_start::timestamptz, u.as_of::timestamptz] AS range_cuts,
           u.as_of::timestamptz AS as_of, u.aging_cuts::timestamptz[] AS aging_cuts,
           u.patient_cuts::timestamptz[] AS patient_cuts, u.zone, u.last_day::date AS last_day",
            $extra,
            "
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $11::text[], $12::text[], $13::text[]",
            $params,
            ")
         AS u(clinic_id, trend_cuts, range_start, as_of, aging_cuts, patient_cuts, zone, last_day",
            $names,
            ")
)"
        )
    };
}

/// The scope as a relation: one row per clinic with its cuts (`cuts`: the
/// trend bucket starts then the as-of instant, so `width_bucket(t, cuts) - 1`
/// is in `0..buckets` exactly for an in-range `t`).
pub(crate) const SCOPE_CTE: &str = scope_cte!("", "", "");

/// [`SCOPE_CTE`] with the inner scope of a split read (`$14`, `$15`): its
/// cuts (`inner_cuts`, `inner_buckets`, as `cuts` and `buckets`) and its
/// range start (`inner_start`). A split statement scans the outer scope
/// once and gives each row its bucket in both (`inner_bucket`: NULL
/// outside the inner range); a read of one scope passes its own cuts twice.
pub(crate) const SPLIT_SCOPE_CTE: &str = scope_cte!(
    ",
           u.inner_cuts::timestamptz[] || u.as_of::timestamptz AS inner_cuts,
           cardinality(u.inner_cuts::text[]) AS inner_buckets, u.inner_start::timestamptz AS inner_start",
    ", $14::text[], $15::text[]",
    ", inner_cuts, inner_start"
);

/// The inner bucket of a split statement's row (see [`SPLIT_SCOPE_CTE`]):
/// the index of `column`'s instant among the inner scope's cuts, NULL
/// outside the inner range (the outer range is its own `bucket`'s).
pub(crate) fn inner_bucket(column: &str) -> String {
    format!(
        "CASE WHEN {column} >= s.inner_start AND {column} < s.as_of \
         THEN width_bucket({column}, s.inner_cuts) - 1 END"
    )
}

/// Each clinic's as-of date as a relation `k(clinic_id, last_day)` joined
/// on `column` (the row's clinic): the last local date a date-keyed fact of
/// that clinic counts on, and "today" (`$13`).
pub(crate) fn as_of_dates(column: &str) -> String {
    format!("JOIN unnest($1::bigint[], $13::text[]::date[]) AS k(clinic_id, last_day) ON k.clinic_id = {column}")
}

/// The row's clinic's as-of date, from [`as_of_dates`].
pub(crate) const LAST_DAY: &str = "k.last_day";

/// `id, timezone, name, city` of the scope's clinics (`$1` only): the clinic
/// directory.
pub const CLINIC_ZONES_SQL: &str =
    "SELECT c.id, c.timezone::text, c.name::text, c.city::text FROM app.clinics c WHERE c.id = ANY($1::bigint[])";

/// `id, name` of the users a report by doctor may name (`$1` only): the
/// staff of the scope's clinics and the doctors scheduled there.
pub const DOCTOR_NAMES_SQL: &str = "SELECT u.id, u.name::text FROM app.users u
WHERE u.clinic_id = ANY($1::bigint[])
   OR u.id IN (SELECT d.doctor_id FROM app.doctor_schedules d WHERE d.clinic_id = ANY($1::bigint[]))";

/// `g`: the rows of the CTE `r` (with `clinic_id`) grouped by clinic, doctor
/// and `keys`, the doctor read from `join` (aliased `d`) only when `$8` asks
/// for it. Each branch sits under a one-time filter on `$8`, so a report by
/// clinic never touches the joined table: a `LEFT JOIN … ON $8 AND …` still
/// ran once per row (a year's payments: 20 ms of a 100 ms statement).
pub(crate) fn by_doctor_groups(join: &str, keys: &[&str], aggregates: &str) -> String {
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

/// `'a', 'b'`: SQL literals of the category values core names.
pub(crate) fn sql_list<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values.into_iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")
}

/// The invoice statuses core counts as billed, as SQL literals.
pub(crate) fn billed_statuses() -> String {
    sql_list(InvoiceStatus::LISTED.iter().filter(|s| s.is_billed()).map(|s| s.as_str()))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    #[test]
    fn an_instant_is_written_as_its_utc_literal() {
        for text in ["2026-06-29T19:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-01-05T07:08:09Z"] {
            let t: DateTime<Utc> = text.parse().unwrap();
            assert_eq!(super::ts(&t), t.format("%Y-%m-%d %H:%M:%S+00").to_string(), "{text}");
        }
    }

    #[test]
    fn only_fixed_lookups_and_the_day_keep_one_plan() {
        use super::{kept_plan_fits, Param};
        let t: DateTime<Utc> = "2026-06-29T19:00:00Z".parse().unwrap();
        let ids = [1001_i64];
        // The day: instants, one day wide whatever the call.
        let bounds = [t];
        let day = [
            Param::Ids(&ids),
            Param::Instants(&bounds, "day"),
            Param::Instants(&bounds, "day"),
            Param::Instant(t, "day"),
            Param::Instant(t, "day"),
        ];
        assert!(kept_plan_fits(&crate::console::DAY_SQL, &day));
        // A lookup by keys.
        assert!(kept_plan_fits(super::CLINIC_ZONES_SQL, &[Param::Ids(&ids)]));
        // A range scan: the same text as a lookup would be, but bounded by
        // instants of any width.
        let range = [Param::Ids(&ids), Param::Instant(t, "from_date"), Param::Instant(t, "to_date")];
        assert!(!kept_plan_fits(super::CLINIC_ZONES_SQL, &range));
        assert!(crate::financial::QUERIES.iter().all(|q| !kept_plan_fits(&q.sql, &range)));
        // Instants in an array bound a scan as much as one instant does.
        assert!(!kept_plan_fits(super::CLINIC_ZONES_SQL, &[Param::Ids(&ids), Param::Instants(&bounds, "day")]));
    }
}
