//! The console's small tables, read whole by one key (an organization or a
//! user) into a core [`Tables`], where the policy rules and the targets are
//! applied: the org layer's mappings, the user's own row, and the targets.

use crate::decode::{count, id, money, need, text, Row, RowError};
use crate::queries::{sql_list, Param};
use crate::schema::RequiredRelation;
use chrono::{DateTime, NaiveDate, Utc};
use odx_core::command::DomainReports;
use odx_core::console::PlanReports;
use odx_core::insights::{DayFact, DayStatuses, OverviewAcc};
use odx_core::rows::{ClinicRow, OrganizationClinicRow, OrganizationRow, UserOrganizationAssignmentRow, UserRow};
use odx_core::targets::OpsTargetRow;
use odx_core::{AccountingReport, FinancialReport, Frame, LabReport, OperationsReport, Tables};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::LazyLock;

/// Which table a console statement reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleRead {
    /// The `organizations` row with its branches (`organization_clinics`
    /// with each branch's `clinics` row), one row per branch, the
    /// organization's own columns `org_id`, `org_name`, `org_slug` on each
    /// (none: an unknown organization; one with `clinic_id` NULL: an
    /// organization without branches).
    Organization,
    /// `organization_clinics` with each branch's `clinics` row.
    Directory,
    /// `ops_targets`.
    Targets,
    /// The user's `users` row.
    User,
    /// `user_organization_assignments`.
    Assignments,
}

/// One console statement: its one parameter `$1` is a `bigint` key.
#[derive(Debug, Clone, Copy)]
pub struct ConsoleQuery {
    /// What it reads.
    pub read: ConsoleRead,
    /// The tables and columns it reads (when one is missing, the read-out is
    /// degraded, never an error).
    pub relations: &'static [RequiredRelation],
    /// The statement.
    pub sql: &'static str,
}

/// `organization_clinics` with each branch's `clinics` row.
const DIRECTORY: &[RequiredRelation] = &[
    RequiredRelation { table: "organization_clinics", columns: &["organization_id", "clinic_id", "is_hq"] },
    RequiredRelation { table: "clinics", columns: &["id", "name", "city", "status", "timezone"] },
];

/// The tables and columns `reads` read, once each.
pub fn console_relations(reads: &[ConsoleQuery]) -> Vec<RequiredRelation> {
    let mut out: Vec<RequiredRelation> = Vec::new();
    for r in reads.iter().flat_map(|q| q.relations) {
        if !out.contains(r) {
            out.push(*r);
        }
    }
    out
}

macro_rules! directory_select {
    () => {
        "SELECT oc.organization_id, oc.clinic_id, oc.is_hq, c.id, c.name, c.city, c.status, c.timezone::text
FROM app.organization_clinics oc LEFT JOIN app.clinics c ON c.id = oc.clinic_id"
    };
}

/// The tables and columns the network overview reads of its day: the
/// invoices and appointments, nothing more. No AR, payments, chairs, lab
/// or accounting: a database missing those still has its overview.
pub const DAY_RELATIONS: &[RequiredRelation] = &[
    RequiredRelation { table: "appointments", columns: &["clinic_id", "starts_at", "status"] },
    RequiredRelation { table: "invoices", columns: &["clinic_id", "issued_at", "total", "status"] },
];

/// Each branch of `$1` with its local day, `$2` its start and `$3` its
/// end, in branch order.
const DAY_BOUNDS: &str = "SELECT u.clinic_id, u.day_start, u.day_end
      FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[]) AS u(clinic_id, day_start, day_end)
      ORDER BY u.clinic_id";

/// The network overview's one statement of its day: per branch, how many
/// appointments starting on the day are on the books and how many are
/// no-shows, and the total of the invoices issued on it that are billed.
/// Each branch's local day: `$2` its start, `$3` its end, per clinic of
/// `$1`; `$4`..`$5` the earliest start and latest end, the bounds the
/// planner sees. Which statuses are on the books, no-shows and billed is
/// core's ([`odx_core::insights::DayStatuses`]), written into the
/// statement as literals, as every domain's statement has them: a constant
/// list is compared without fetching a parameter for each row (on the
/// benchmark data, indexed, in pgbench: 0.91 → 0.90 ms for the statement).
/// It only counts and sums. One row per branch and table, not per status:
/// fewer groups and rows to hand back. The branches' days are a subquery
/// ordered by branch, not a CTE, so that with the indexes the nested loop
/// hands each branch's rows in branch order and the grouping needs no sort
/// (Postgres 15 keeps no order through a CTE). On the benchmark data,
/// indexed, in psql: 0.88 ms of the statement's time was its rows when it
/// grouped by status, 0.70 ms now; on primary keys only, the same parallel
/// scans either way (40 ms).
///
/// Statuses are compared byte for byte (`COLLATE "C"`), as core compares
/// them, not by the database's collation: the same answer under any
/// deterministic collation (a database's default always is), without a
/// collation lookup in each of the day's comparisons. On the benchmark
/// data, indexed, in pgbench: 0.89–0.91 → 0.86–0.87 ms for the statement;
/// the overview in the backend 1.00–1.01 → 0.97–0.98 ms a call.
///
/// Its extent is one day whatever the call, so one plan serves every call:
/// the extension keeps it, allowed to run parallel workers
/// ([`crate::kept_plan_fits`]).
pub static DAY_SQL: LazyLock<String> = LazyLock::new(|| {
    let statuses = DayStatuses::new();
    let (scheduled, no_show, billed) =
        (sql_list(statuses.scheduled), sql_list(statuses.no_show), sql_list(statuses.billed));
    format!(
        "SELECT s.clinic_id, 'appointments'::text AS fact,
       count(*) FILTER (WHERE a.status COLLATE \"C\" IN ({scheduled}))::int8 AS scheduled,
       count(*) FILTER (WHERE a.status COLLATE \"C\" IN ({no_show}))::int8 AS no_show, NULL::text AS billed
FROM ({DAY_BOUNDS}) s
JOIN app.appointments a ON a.clinic_id = s.clinic_id AND a.starts_at >= s.day_start AND a.starts_at < s.day_end
WHERE a.starts_at >= $4::timestamptz AND a.starts_at < $5::timestamptz
GROUP BY s.clinic_id
UNION ALL
SELECT s.clinic_id, 'invoices', NULL, NULL, sum(i.total)::text
FROM ({DAY_BOUNDS}) s
JOIN app.invoices i ON i.clinic_id = s.clinic_id AND i.issued_at >= s.day_start AND i.issued_at < s.day_end
WHERE i.issued_at >= $4::timestamptz AND i.issued_at < $5::timestamptz AND i.status COLLATE \"C\" IN ({billed})
GROUP BY s.clinic_id"
    )
});

/// The parameters of [`DAY_SQL`] for an overview's frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayParams {
    clinic_ids: Vec<i64>,
    starts: Vec<DateTime<Utc>>,
    ends: Vec<DateTime<Utc>>,
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
}

impl DayParams {
    /// Each branch's local day in `frame` (one day: its range start and
    /// as-of instant).
    ///
    /// # Errors
    /// [`odx_core::OdxError::UnknownClinic`] (never for a frame's own clinics).
    pub fn new(frame: &Frame) -> odx_core::Result<DayParams> {
        let ids = frame.scope().clinic_ids().to_vec();
        let mut bounds = Vec::with_capacity(ids.len());
        for c in &ids {
            let clock = frame.clock(*c)?;
            bounds.push((clock.range_start(), clock.as_of()));
        }
        // An empty scope scans nothing: an empty interval.
        let earliest = bounds.iter().map(|b| b.0).min().unwrap_or_default();
        let latest = bounds.iter().map(|b| b.1).max().unwrap_or_default();
        Ok(DayParams {
            clinic_ids: ids,
            starts: bounds.iter().map(|b| b.0).collect(),
            ends: bounds.iter().map(|b| b.1).collect(),
            earliest,
            latest,
        })
    }

    /// `$1..$5` in order.
    pub fn values(&self) -> [Param<'_>; 5] {
        [
            Param::Ids(&self.clinic_ids),
            Param::Instants(&self.starts, "day"),
            Param::Instants(&self.ends, "day"),
            Param::Instant(self.earliest, "day"),
            Param::Instant(self.latest, "day"),
        ]
    }
}

/// Adds one row of [`DAY_SQL`] to the overview.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_day(acc: &mut OverviewAcc, r: &dyn Row) -> Result<(), RowError> {
    let clinic_id = id(r, "clinic_id")?;
    let fact = match text(r, "fact")?.as_str() {
        "appointments" => {
            DayFact::Appointments { clinic_id, scheduled: count(r, "scheduled")?, no_show: count(r, "no_show")? }
        }
        "invoices" => DayFact::Billed { clinic_id, total: money(r, "billed")? },
        other => return Err(RowError::Driver(format!("a day row of {other:?}: not appointments or invoices"))),
    };
    Ok(acc.accum(&fact)?)
}

/// The organization itself (`$1`) and its branches, in one statement: an
/// unknown one is refused, not reported as zero. In no order: core keys
/// the branches by id (a sort of the 40 rows was 10 of the statement's
/// 60 us in pgbench, benchmark data).
const ORGANIZATION: ConsoleQuery = ConsoleQuery {
    read: ConsoleRead::Organization,
    relations: &[
        RequiredRelation { table: "organizations", columns: &["id", "name", "slug"] },
        DIRECTORY[0],
        DIRECTORY[1],
    ],
    sql: concat!(
        "SELECT o.id AS org_id, o.name::text AS org_name, o.slug::text AS org_slug, d.*
FROM app.organizations o LEFT JOIN (",
        directory_select!(),
        ") d ON d.organization_id = o.id
WHERE o.id = $1"
    ),
};

/// The organization's targets (`$1`).
const TARGETS: ConsoleQuery = ConsoleQuery {
    read: ConsoleRead::Targets,
    relations: &[RequiredRelation {
        table: "ops_targets",
        columns: &["id", "organization_id", "clinic_id", "metric", "value", "period"],
    }],
    sql: "SELECT t.id, t.organization_id, t.clinic_id, t.metric::text, t.value::text, t.period::text
FROM app.ops_targets t WHERE t.organization_id = $1 ORDER BY t.id",
};

/// An organization's console (`$1` = organization id): the organization
/// itself (an unknown one is refused, not reported as zero), its branches
/// and its targets.
pub const ORGANIZATION_READS: [ConsoleQuery; 2] = [ORGANIZATION, TARGETS];

/// What the network overview reads of an organization: itself and its
/// branches, not its targets (a database without `ops_targets` still has
/// its overview).
pub const OVERVIEW_READS: [ConsoleQuery; 1] = [ORGANIZATION];

/// A user's policy (`$1` = user id): the user's row, assignments, and the
/// branches of every organization the user belongs to (by an assignment or
/// by working in one of its branches). Decisions about any other
/// organization are refusals whatever its branches are.
pub const USER_READS: [ConsoleQuery; 3] = [
    ConsoleQuery {
        read: ConsoleRead::User,
        relations: &[RequiredRelation {
            table: "users",
            columns: &["id", "clinic_id", "name", "role", "status", "hired_on"],
        }],
        sql: "SELECT u.id, u.clinic_id, u.name, u.role, u.status, to_char(u.hired_on, 'YYYY-MM-DD') AS hired_on
        FROM app.users u WHERE u.id = $1",
    },
    ConsoleQuery {
        read: ConsoleRead::Assignments,
        relations: &[RequiredRelation {
            table: "user_organization_assignments",
            columns: &["user_id", "organization_id", "role", "clinic_id"],
        }],
        sql: "SELECT a.user_id, a.organization_id, a.role, a.clinic_id
FROM app.user_organization_assignments a WHERE a.user_id = $1",
    },
    ConsoleQuery {
        read: ConsoleRead::Directory,
        relations: &[
            DIRECTORY[0],
            DIRECTORY[1],
            RequiredRelation { table: "user_organization_assignments", columns: &["user_id", "organization_id"] },
            RequiredRelation { table: "users", columns: &["id", "clinic_id"] },
        ],
        sql: concat!(
            directory_select!(),
            "\nWHERE oc.organization_id IN (
    SELECT a.organization_id FROM app.user_organization_assignments a WHERE a.user_id = $1
    UNION SELECT m.organization_id FROM app.users u JOIN app.organization_clinics m ON m.clinic_id = u.clinic_id
    WHERE u.id = $1)
ORDER BY oc.clinic_id"
        ),
    },
];

fn parsed<T: FromStr>(r: &dyn Row, c: &'static str) -> Result<Option<T>, RowError> {
    r.text(c)?.map(|t| t.parse().map_err(|_| RowError::Parse { column: c, value: t })).transpose()
}

/// Adds one `organization_clinics` row (and its branch's `clinics` row,
/// when there is one) of [`directory_select!`] to `tables`.
fn feed_directory(tables: &mut Tables, r: &dyn Row) -> Result<(), RowError> {
    let clinic_id = need(r.int8("clinic_id")?, "clinic_id")?;
    tables.organization_clinics.push(OrganizationClinicRow {
        organization_id: need(r.int8("organization_id")?, "organization_id")?,
        clinic_id,
        is_hq: need(r.boolean("is_hq")?, "is_hq")?,
    });
    if r.int8("id")?.is_some() {
        tables.clinics.push(ClinicRow {
            id: clinic_id,
            name: need(r.text("name")?, "name")?,
            city: need(r.text("city")?, "city")?,
            status: need(r.text("status")?, "status")?,
            timezone: r.text("timezone")?.unwrap_or_default(),
        });
    }
    Ok(())
}

/// Adds one row of a console statement to `tables`.
///
/// # Errors
/// [`RowError`] for an unreadable row.
pub fn feed_console(tables: &mut Tables, read: ConsoleRead, r: &dyn Row) -> Result<(), RowError> {
    match read {
        ConsoleRead::Organization => {
            let id = need(r.int8("org_id")?, "org_id")?;
            if tables.organizations.last().is_none_or(|o| o.id != id) {
                tables.organizations.push(OrganizationRow {
                    id,
                    name: r.text("org_name")?.unwrap_or_default(),
                    slug: r.text("org_slug")?.unwrap_or_default(),
                });
            }
            if r.int8("clinic_id")?.is_some() {
                feed_directory(tables, r)?;
            }
        }
        ConsoleRead::Directory => feed_directory(tables, r)?,
        ConsoleRead::Targets => tables.ops_targets.push(OpsTargetRow {
            id: need(r.int8("id")?, "id")?,
            organization_id: need(r.int8("organization_id")?, "organization_id")?,
            clinic_id: r.int8("clinic_id")?,
            metric: need(r.text("metric")?, "metric")?,
            value: need(parsed::<Decimal>(r, "value")?, "value")?,
            period: need(r.text("period")?, "period")?,
        }),
        ConsoleRead::User => tables.users.push(UserRow {
            id: need(r.int8("id")?, "id")?,
            clinic_id: r.int8("clinic_id")?,
            name: need(r.text("name")?, "name")?,
            role: need(r.text("role")?, "role")?,
            status: need(r.text("status")?, "status")?,
            hired_on: parsed::<NaiveDate>(r, "hired_on")?,
        }),
        ConsoleRead::Assignments => tables.user_organization_assignments.push(UserOrganizationAssignmentRow {
            user_id: need(r.int8("user_id")?, "user_id")?,
            organization_id: need(r.int8("organization_id")?, "organization_id")?,
            role: need(r.text("role")?, "role")?,
            clinic_id: r.int8("clinic_id")?,
        }),
    }
    Ok(())
}

/// A report, or what it misses.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<R> {
    /// Every table and column was there.
    Report(R),
    /// The missing relations (`app.table` or `app.table.column`).
    Degraded(Vec<String>),
}

impl Outcome<DomainReports> {
    /// The console's four domains as one outcome. Financial and operations
    /// are the console itself: when either misses a relation, the outcome is
    /// degraded with every relation missing (sorted, once each). Accounting
    /// and lab are parts: a missing one is `None` in the reports, its
    /// relations listed in their `missing`, and the read-outs hide only what
    /// it feeds (net profit and the expense ratio; lab targets).
    pub fn all4(
        financial: Outcome<FinancialReport>,
        operations: Outcome<OperationsReport>,
        accounting: Outcome<AccountingReport>,
        lab: Outcome<LabReport>,
    ) -> Self {
        let (accounting, mut missing) = accounting.split();
        let (lab, lab_missing) = lab.split();
        missing.extend(lab_missing);
        let sorted = |mut m: Vec<String>| {
            m.sort();
            m.dedup();
            m
        };
        match (financial, operations) {
            (Outcome::Report(financial), Outcome::Report(operations)) => {
                // What the parts did without (chair utilization without
                // `appointments.room_id`) is missing from the read-out too.
                let parts = [Some(&financial.missing), Some(&operations.missing)];
                let done = [accounting.as_ref().map(|a| &a.missing), lab.as_ref().map(|l| &l.missing)];
                missing.extend(parts.into_iter().chain(done).flatten().flatten().cloned());
                Outcome::Report(DomainReports { financial, operations, accounting, lab, missing: sorted(missing) })
            }
            (f, o) => {
                missing.extend(f.missing());
                missing.extend(o.missing());
                Outcome::Degraded(sorted(missing))
            }
        }
    }

    /// `console` of a plan's reports (the range's, the month to date's and
    /// the network's, each `None` when the plan has no such scope), or what
    /// any of them misses.
    ///
    /// # Errors
    /// As `console`.
    pub fn console<T>(
        range: Self,
        mtd: Option<Self>,
        network: Option<Self>,
        console: impl FnOnce(&PlanReports) -> odx_core::Result<T>,
    ) -> odx_core::Result<Outcome<T>> {
        let report = |o: Option<Self>| match o {
            None => Ok(None),
            Some(Outcome::Report(r)) => Ok(Some(r)),
            Some(Outcome::Degraded(missing)) => Err(missing),
        };
        let fetched = match (report(Some(range)), report(mtd), report(network)) {
            (Ok(Some(range)), Ok(mtd), Ok(network)) => PlanReports { range, mtd, network },
            (Err(missing), _, _) | (_, Err(missing), _) | (_, _, Err(missing)) => {
                return Ok(Outcome::Degraded(missing))
            }
            (Ok(None), _, _) => return Err(odx_core::OdxError::ScopeMismatch),
        };
        Ok(Outcome::Report(console(&fetched)?))
    }
}

impl<R: odx_core::Comparable> Outcome<R> {
    /// The report against the previous period's and, for a whole calendar
    /// month, against `months` (see [`odx_core::compare`]), or what any of
    /// them misses.
    ///
    /// # Errors
    /// As [`odx_core::Comparable::compare`].
    pub fn compared(
        self,
        previous: Self,
        months: Vec<(odx_core::compare::Basis, Self)>,
    ) -> odx_core::Result<Outcome<odx_core::Comparison>> {
        let (now, before) = match (self, previous) {
            (Outcome::Report(now), Outcome::Report(before)) => (now, before),
            (Outcome::Degraded(missing), _) | (_, Outcome::Degraded(missing)) => return Ok(Outcome::Degraded(missing)),
        };
        let mut comparison = now.compare(&before)?;
        for (basis, month) in months {
            match month {
                Outcome::Report(month) => comparison.calendar.push(now.against(&month, basis)?),
                Outcome::Degraded(missing) => return Ok(Outcome::Degraded(missing)),
            }
        }
        Ok(Outcome::Report(comparison))
    }
}

impl<R> Outcome<R> {
    /// `f` of the report, or what it misses.
    ///
    /// # Errors
    /// As `f`.
    pub fn try_map<T>(self, f: impl FnOnce(R) -> odx_core::Result<T>) -> odx_core::Result<Outcome<T>> {
        Ok(match self {
            Outcome::Report(r) => Outcome::Report(f(r)?),
            Outcome::Degraded(m) => Outcome::Degraded(m),
        })
    }

    /// Every report, or every relation any of them misses (sorted, once each).
    pub fn all(outcomes: impl IntoIterator<Item = Outcome<R>>) -> Outcome<Vec<R>> {
        let (mut reports, mut missing) = (Vec::new(), Vec::new());
        for o in outcomes {
            match o {
                Outcome::Report(r) => reports.push(r),
                Outcome::Degraded(m) => missing.extend(m),
            }
        }
        if missing.is_empty() {
            return Outcome::Report(reports);
        }
        missing.sort();
        missing.dedup();
        Outcome::Degraded(missing)
    }

    /// The report or what it misses, as a pair.
    pub fn split(self) -> (Option<R>, Vec<String>) {
        match self {
            Outcome::Report(r) => (Some(r), Vec::new()),
            Outcome::Degraded(m) => (None, m),
        }
    }

    /// What it misses (nothing for a report).
    pub fn missing(self) -> Vec<String> {
        match self {
            Outcome::Report(_) => Vec::new(),
            Outcome::Degraded(m) => m,
        }
    }
}
