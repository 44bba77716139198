//! The console's screens as the user sees them, each against the
//! hand-written SQL that shows the same screen: the Command Center (a range
//! and its month to date, and a month in progress), the Network Hub's
//! overview of one day, and one branch's console (a branch manager's: the
//! branch, and the network's average beside it). Each case first checks
//! that both sides give the same figures, then times them alternately on
//! one connection (medians); nothing here asserts a time.

use crate::side_by_side::{check, run_query, Case, Domain, Failure, Sides};
use crate::{median, rounds};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use odx_core::Period;
use odx_sql::pg_sqlx::{self, Outcome, Snapshot};
use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::postgres::{PgPool, PgRow};
use sqlx::{PgConnection, Row};
use std::time::{Duration, Instant};

/// The Command Center's domains: what it reads for the range, and again for
/// the month to date when the range is not it.
pub const COMMAND_DOMAINS: [Domain; 4] = [Domain::Financial, Domain::Operations, Domain::Accounting, Domain::Lab];

/// The generator's organization of a sized network.
pub const ORGANIZATION_ID: i64 = 1000;

/// odx's overview of one day (`$1` organization, `$2` date), as text.
const OVERVIEW_ODX_SQL: &str = "SELECT odx_network_overview($1, $2::date)::text";

/// odx's overview of one day as rows, the hand-written statement's
/// columns (`$1` organization, `$2` date).
const OVERVIEW_ROWS_ODX_SQL: &str = "SELECT * FROM odx_network_overview_rows($1, $2::date)";

/// The hand-written overview of one day (`$1` organization, `$2` date).
pub const OVERVIEW_SQL: &str = include_str!("../sql/overview.sql");

/// The hand-written overview building odx's answer: [`OVERVIEW_SQL`]'s
/// lines as the same `jsonb` document `odx_network_overview` returns (the
/// network's figures, `clinic_ids`, `active_branches` and `branches`), as
/// a route that hands the screen JSON would.
pub const OVERVIEW_ANSWER_SQL: &str = concat!(
    "SELECT jsonb_build_object(
    'date', $2::date,
    'degraded', false,
    'clinic_ids', coalesce(jsonb_agg(r.clinic_id ORDER BY r.clinic_id) FILTER (WHERE r.clinic_id IS NOT NULL), '[]'),
    'active_branches', count(*) FILTER (WHERE r.active),
    'appointments', max(r.appointments) FILTER (WHERE r.clinic_id IS NULL),
    'billed', coalesce(max(r.billed) FILTER (WHERE r.clinic_id IS NULL), 0)::text,
    'no_show_rate', (max(r.no_show_rate) FILTER (WHERE r.clinic_id IS NULL))::text,
    'branches', coalesce(jsonb_agg(jsonb_build_object(
        'clinic_id', r.clinic_id, 'branch_name', r.branch_name, 'city', r.city, 'active', r.active,
        'appointments', r.appointments, 'billed', r.billed::text, 'no_show_rate', r.no_show_rate::text)
        ORDER BY r.clinic_id)
        FILTER (WHERE r.clinic_id IS NOT NULL), '[]'))::text
FROM (
",
    include_str!("../sql/overview.sql"),
    ") r"
);

/// One screen timed: its name, odx's median and the hand-written one's.
#[derive(Debug)]
pub struct Timed {
    /// What was timed.
    pub screen: String,
    /// How odx was called.
    pub odx_side: &'static str,
    /// odx's median.
    pub odx: Duration,
    /// The hand-written statements' median (summed per round).
    pub hand: Duration,
}

/// Medians of `odx` and `hand`, alternating, after one warm-up each, over
/// [`rounds`] rounds.
async fn alternate(
    conn: &mut PgConnection,
    runs: usize,
    mut odx: impl AsyncFnMut(&mut PgConnection) -> Result<(), Failure>,
    mut hand: impl AsyncFnMut(&mut PgConnection) -> Result<(), Failure>,
) -> Result<(Duration, Duration), Failure> {
    let warm_up = Instant::now();
    odx(conn).await?;
    hand(conn).await?;
    let rounds = rounds(runs, warm_up.elapsed());
    let (mut o, mut h) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        for side in if round % 2 == 0 { [0, 1] } else { [1, 0] } {
            let t = Instant::now();
            if side == 0 {
                odx(conn).await?;
                o.push(t.elapsed());
            } else {
                hand(conn).await?;
                h.push(t.elapsed());
            }
        }
    }
    Ok((median(o), median(h)))
}

/// Every hand-written domain statement of `cases`, one after another.
async fn hand_domains(conn: &mut PgConnection, cases: &[Case]) -> Result<(), Failure> {
    for c in cases {
        for d in COMMAND_DOMAINS {
            run_query(conn, d.hand_sql(), c).await?;
        }
    }
    Ok(())
}

fn dec(v: &Value, what: &str) -> Result<Decimal, Failure> {
    let s = v.as_str().ok_or_else(|| format!("{what}: not a decimal string: {v}"))?;
    Ok(s.parse()?)
}

/// The hand-written financial row of `clinic` (`None`: the network).
async fn financial_row(conn: &mut PgConnection, case: &Case, clinic: Option<i64>) -> Result<PgRow, Failure> {
    let rows = run_query(conn, Domain::Financial.hand_sql(), case).await?;
    rows.into_iter()
        .find(|r| r.try_get::<Option<i64>, _>("clinic_id").ok().flatten() == clinic)
        .ok_or_else(|| format!("no hand-written financial row for {clinic:?}").into())
}

/// `billed` and `collected` of a Command Center against a hand-written row.
fn same_money(screen: &str, center: &Value, row: &PgRow) -> Result<(), Failure> {
    for field in ["billed", "collected"] {
        let hand: Decimal = row.try_get::<Option<String>, _>(field)?.unwrap_or_default().parse()?;
        let odx = dec(&center[field], field)?;
        if hand != odx {
            return Err(format!("{screen} {field}: odx {odx}, hand-written {hand}").into());
        }
    }
    Ok(())
}

/// `odx_command` of the organization over `case` (read at `now`, or as a
/// closed period) against the hand-written statements of its four domains
/// over the days it shows: the range, and the month to date of its last
/// day when the range is not it.
async fn command(
    conn: &mut PgConnection,
    screen: String,
    case: &Case,
    shown_to: NaiveDate,
    now: Option<DateTime<Utc>>,
    runs: usize,
) -> Result<Timed, Failure> {
    let month_start = shown_to.with_day(1).unwrap_or(shown_to);
    let shown = Case { to: shown_to.to_string(), ..case.clone() };
    let mut hand_cases = vec![shown.clone()];
    if case.from != month_start.to_string() {
        hand_cases.push(Case { from: month_start.to_string(), ..shown.clone() });
    }
    for c in &hand_cases {
        for d in COMMAND_DOMAINS {
            check(conn, d, c).await?;
        }
    }
    let sql = "SELECT odx_command($1, $2::date, $3::date, coalesce($4, now()))::text";
    let call = async |conn: &mut PgConnection| -> Result<String, Failure> {
        let q = sqlx::query(sql).bind(ORGANIZATION_ID).bind(&case.from).bind(&case.to).bind(now);
        Ok(q.fetch_one(conn).await?.try_get(0)?)
    };
    let center: Value = serde_json::from_str(&call(conn).await?)?;
    same_money(&screen, &center, &financial_row(conn, &shown, None).await?)?;
    let (odx, hand) =
        alternate(conn, runs, async |c| call(c).await.map(drop), async |c| hand_domains(c, &hand_cases).await).await?;
    Ok(Timed { screen, odx_side: "odx_command", odx, hand })
}

/// One line of an overview as a side shows it: a branch (`Some(id)`) or
/// the network (`None`), with its appointments on the books, billed, the
/// no-show rate and, for a branch, whether it is active, its name and city.
struct OverviewLine {
    clinic: Option<i64>,
    appointments: i64,
    billed: Decimal,
    rate: Option<Decimal>,
    named: Option<(bool, String, String)>,
}

impl OverviewLine {
    /// A line of `benches/sql/overview.sql` or `odx_network_overview_rows`.
    fn of_row(row: &PgRow) -> Result<OverviewLine, Failure> {
        let named = match row.try_get::<Option<bool>, _>("active")? {
            Some(active) => Some((active, row.try_get("branch_name")?, row.try_get("city")?)),
            None => None,
        };
        Ok(OverviewLine {
            clinic: row.try_get("clinic_id")?,
            appointments: row.try_get("appointments")?,
            billed: row.try_get::<Option<Decimal>, _>("billed")?.unwrap_or_default(),
            rate: row.try_get("no_show_rate")?,
            named,
        })
    }

    /// A line of an overview answer (`clinic`: `None` for the answer's
    /// network figures, else one of its `branches`).
    fn of_answer(o: &Value, clinic: Option<i64>) -> Result<OverviewLine, Failure> {
        let text = |k: &str| o[k].as_str().map(str::to_owned).ok_or_else(|| format!("{clinic:?}: no {k}"));
        let named = match clinic {
            Some(_) => Some((o["active"].as_bool().ok_or("no active")?, text("branch_name")?, text("city")?)),
            None => None,
        };
        Ok(OverviewLine {
            clinic,
            appointments: o["appointments"].as_i64().ok_or_else(|| format!("{clinic:?}: no appointments"))?,
            billed: dec(&o["billed"], "billed")?,
            rate: if o["no_show_rate"].is_null() { None } else { Some(dec(&o["no_show_rate"], "no_show_rate")?) },
            named,
        })
    }

    /// The lines of an overview answer: the network, then each branch.
    fn all_of_answer(answer: &Value) -> Result<Vec<OverviewLine>, Failure> {
        let branches = answer["branches"].as_array().ok_or("the overview has no branches")?;
        let mut lines = vec![OverviewLine::of_answer(answer, None)?];
        for b in branches {
            lines.push(OverviewLine::of_answer(b, Some(b["clinic_id"].as_i64().ok_or("a branch without id")?))?);
        }
        Ok(lines)
    }
}

/// Whether odx's overview lines and the hand-written ones agree, line by
/// line (rates to 14 places: Postgres divides to 20 digits, core to 28).
fn same_overview(what: &str, odx: &[OverviewLine], hand: &[OverviewLine]) -> Result<(), Failure> {
    if odx.len() != hand.len() {
        return Err(format!("{what}: odx {} lines, hand-written {}", odx.len(), hand.len()).into());
    }
    for h in hand {
        let o = odx.iter().find(|o| o.clinic == h.clinic).ok_or_else(|| format!("{what}: {:?} missing", h.clinic))?;
        let rates_agree = match (o.rate, h.rate) {
            (Some(a), Some(b)) => (a - b).abs() <= Decimal::new(1, 14),
            (a, b) => a.is_none() && b.is_none(),
        };
        if o.appointments != h.appointments || o.billed != h.billed || !rates_agree || o.named != h.named {
            return Err(format!(
                "{what} of {:?}: odx {} {} {:?} {:?}, hand-written {} {} {:?} {:?}",
                h.clinic, o.appointments, o.billed, o.rate, o.named, h.appointments, h.billed, h.rate, h.named
            )
            .into());
        }
    }
    Ok(())
}

/// Checks `odx_network_overview` of `organization` on `day` against the
/// hand-written overview, its rows (`benches/sql/overview.sql`) and its
/// answer built as `jsonb` ([`OVERVIEW_ANSWER_SQL`]), branch by branch
/// and for the network, and `odx_network_overview_rows` against the same
/// rows (its branches ascending, then the network); the number of branches.
///
/// # Errors
/// A [`Failure`] naming the first figure that differs.
pub async fn check_overview(conn: &mut PgConnection, organization: i64, day: NaiveDate) -> Result<usize, Failure> {
    let answer = async |conn: &mut PgConnection, sql: &'static str| -> Result<Value, Failure> {
        let text: String = sqlx::query(sql).bind(organization).bind(day).fetch_one(conn).await?.try_get(0)?;
        Ok(serde_json::from_str(&text)?)
    };
    let lines = async |conn: &mut PgConnection, sql: &'static str| -> Result<Vec<OverviewLine>, Failure> {
        let rows = sqlx::query(sql).bind(organization).bind(day).fetch_all(conn).await?;
        rows.iter().map(OverviewLine::of_row).collect()
    };
    let odx = answer(conn, OVERVIEW_ODX_SQL).await?;
    let odx_lines = OverviewLine::all_of_answer(&odx)?;
    let rows = lines(conn, OVERVIEW_SQL).await?;
    same_overview("overview", &odx_lines, &rows)?;
    let odx_rows = lines(conn, OVERVIEW_ROWS_ODX_SQL).await?;
    same_overview("overview rows", &odx_rows, &rows)?;
    let order: Vec<Option<i64>> = odx_rows.iter().map(|l| l.clinic).collect();
    let mut branches_then_network: Vec<Option<i64>> = odx_lines.iter().filter_map(|l| l.clinic.map(Some)).collect();
    branches_then_network.push(None);
    if order != branches_then_network {
        return Err(
            format!("overview rows: in the order {order:?}, not the branches ascending, then the network").into()
        );
    }
    let hand_answer = answer(conn, OVERVIEW_ANSWER_SQL).await?;
    same_overview("overview answer", &odx_lines, &OverviewLine::all_of_answer(&hand_answer)?)?;
    for key in ["date", "clinic_ids", "active_branches", "degraded"] {
        if odx[key] != hand_answer[key] {
            return Err(format!("overview answer: odx {key} {}, hand-written {}", odx[key], hand_answer[key]).into());
        }
    }
    Ok(odx_lines.len() - 1)
}

/// `odx_network_overview_rows` of the organization on `day` against the
/// hand-written overview's rows; `odx_network_overview` against the same
/// rows, then against the same statement building odx's answer as
/// `jsonb`; each checked first ([`check_overview`]).
async fn overview(conn: &mut PgConnection, day: NaiveDate, runs: usize) -> Result<[Timed; 3], Failure> {
    let branches = check_overview(conn, ORGANIZATION_ID, day).await?;
    let text = async |conn: &mut PgConnection, sql: &'static str| -> Result<(), Failure> {
        sqlx::query(sql).bind(ORGANIZATION_ID).bind(day).fetch_one(conn).await?.try_get::<String, _>(0)?;
        Ok(())
    };
    let rows = async |conn: &mut PgConnection, sql: &'static str| -> Result<(), Failure> {
        sqlx::query(sql).bind(ORGANIZATION_ID).bind(day).fetch_all(conn).await?;
        Ok(())
    };
    let screen = format!("Network overview, {branches} branches, one day");
    let (odx_rows, hand_rows) =
        alternate(conn, runs, async |c| rows(c, OVERVIEW_ROWS_ODX_SQL).await, async |c| rows(c, OVERVIEW_SQL).await)
            .await?;
    let (odx_answer, hand_rows_again) =
        alternate(conn, runs, async |c| text(c, OVERVIEW_ODX_SQL).await, async |c| rows(c, OVERVIEW_SQL).await).await?;
    let (odx_same, hand_answer) =
        alternate(conn, runs, async |c| text(c, OVERVIEW_ODX_SQL).await, async |c| text(c, OVERVIEW_ANSWER_SQL).await)
            .await?;
    Ok([
        Timed { screen: screen.clone(), odx_side: "odx_network_overview_rows", odx: odx_rows, hand: hand_rows },
        Timed {
            screen: format!("{screen}, its jsonb answer"),
            odx_side: "odx_network_overview",
            odx: odx_answer,
            hand: hand_rows_again,
        },
        Timed {
            screen: format!("{screen}, against the same jsonb answer by hand"),
            odx_side: "odx_network_overview",
            odx: odx_same,
            hand: hand_answer,
        },
    ])
}

/// One branch's Command Center (a branch manager's scope, the network's
/// average beside it) through the engine's code (odx-sql over sqlx, one
/// snapshot on one connection, as Node's `engine.command` with
/// `statementConcurrency: 1`) against the hand-written statements of the
/// branch and of the network.
async fn branch_console(
    conn: &mut PgConnection,
    pool: &PgPool,
    branch: &Case,
    network: &Case,
    runs: usize,
) -> Result<Timed, Failure> {
    let (from, to) = (branch.from.parse::<NaiveDate>()?, branch.to.parse::<NaiveDate>()?);
    let clinic = *branch.ids.first().ok_or("no branch")?;
    for c in [branch, network] {
        for d in COMMAND_DOMAINS {
            check(conn, d, c).await?;
        }
    }
    let engine = async || -> Result<Value, Failure> {
        let snap = Snapshot::begin(pool, None).await?;
        let read =
            pg_sqlx::command(&snap, ORGANIZATION_ID, Some(vec![clinic]), None, (Period::new(from, to), None)).await;
        match snap.end(read).await? {
            Outcome::Report(c) => Ok(serde_json::to_value(c)?),
            Outcome::Degraded(m) => Err(format!("degraded: {m:?}").into()),
        }
    };
    let center = engine().await?;
    same_money("branch console", &center, &financial_row(conn, branch, Some(clinic)).await?)?;
    if center["network_average"].is_null() {
        return Err("the branch console has no network average".into());
    }
    let cases = [branch.clone(), network.clone()];
    let (odx, hand) =
        alternate(conn, runs, async |_| engine().await.map(drop), async |c| hand_domains(c, &cases).await).await?;
    let screen = format!("Branch console: 1 branch and the network average, {} days", branch.days);
    Ok(Timed { screen, odx_side: "engine (odx-sql, one connection)", odx, hand })
}

/// Every screen on the benchmark data: `all_ids` its branches, `last` its
/// last day.
///
/// # Errors
/// A side that fails, or two sides that disagree.
pub async fn screens(
    conn: &mut PgConnection,
    pool: &PgPool,
    all_ids: &[i64],
    last: NaiveDate,
    runs: usize,
) -> Result<Vec<Timed>, Failure> {
    let n = u32::try_from(all_ids.len())?;
    let mut timed = Vec::new();
    for days in [365, 30] {
        let case = Case::new(all_ids, n, days, last);
        let screen = format!("Command Center, {n} branches, {days} days");
        timed.push(command(conn, screen, &case, last, None, runs).await?);
    }
    // The month of `last`, read on its 20th at the Karachi branches'
    // midnight: a month in progress, its range the month to date.
    let month_start = last.with_day(1).unwrap_or(last);
    let month_end = month_start + chrono::Months::new(1) - chrono::Days::new(1);
    let shown_to = month_start + chrono::Days::new(19);
    let now =
        shown_to.succ_opt().unwrap_or(shown_to).and_hms_opt(0, 0, 0).map(|t| t.and_utc() - chrono::Duration::hours(5));
    let in_progress =
        Case { branches: n, days: 20, ids: all_ids.to_vec(), from: month_start.to_string(), to: month_end.to_string() };
    let screen = format!("Command Center, {n} branches, the month in progress (day 20)");
    timed.push(command(conn, screen, &in_progress, shown_to, now, runs).await?);
    timed.extend(overview(conn, shown_to, runs).await?);
    let days = last.day();
    let branch = Case::new(all_ids, 1, days, last);
    let network = Case::new(all_ids, n, days, last);
    timed.push(branch_console(conn, pool, &branch, &network, runs).await?);
    Ok(timed)
}
