//! `odx-pg-bench`: the extension against the best hand-written SQL, side by
//! side on the same server, the same data and the same connection.
//!
//! For every case it first checks that both return the same numbers, field by
//! field, for every branch and for the network; then it times both in
//! alternating rounds and reports medians and their ratio. Last, it calls
//! `odx_financial` many times in one session and reports how the backend's
//! memory grew. Run it through `bash scripts/bench-pg.sh`, which loads the
//! data; nothing here asserts a time.

use chrono::NaiveDate;
use odx_fixtures::generator::NetworkConfig;
use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::postgres::PgRow;
use sqlx::{Connection, PgConnection, Row};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::{Duration, Instant};

const USAGE: &str = "odx-pg-bench [--url URL] [--runs N] [--memory-calls N]
  --url           the database holding the benchmark network
                  (default postgres://odx:odx@127.0.0.1:5432/odx_bench)
  --runs          timed rounds per case and side (default 5; the median is reported)
  --memory-calls  odx_financial calls in one session for the memory probe
                  (default 1000; 0 skips the probe)";

/// The data set `scripts/bench-pg.sh` loads.
const BRANCHES: u32 = 40;
const DAYS: u32 = 365;
const SEED: u64 = 7;
fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

type Failure = Box<dyn std::error::Error>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Domain {
    Financial,
    Operations,
}

/// How a hand-written column compares with a field of odx's JSON.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Exact decimal (or both null).
    Money,
    /// Exact count.
    Count,
    /// A ratio: within 1e-14 (Postgres divides to at least 16 significant
    /// digits, rust_decimal to 28), or both null.
    Rate,
    /// `method:payments:amount` items against `payment_mix`.
    PaymentMix,
    /// Bucket amounts in order against `trend.points[*].<name>`.
    Trend(&'static str),
}

/// Hand-written column, JSON pointer into one odx metrics object, kind.
type Field = (&'static str, &'static str, Kind);

const FINANCIAL_FIELDS: &[Field] = &[
    ("billed", "/billed", Kind::Money),
    ("invoice_count", "/invoice_count", Kind::Count),
    ("avg_ticket", "/avg_ticket", Kind::Money),
    ("collected", "/collected", Kind::Money),
    ("collection_rate", "/collection_rate", Kind::Rate),
    ("outstanding", "/outstanding", Kind::Money),
    ("outstanding_self", "/outstanding_by_payer/self", Kind::Money),
    ("outstanding_insurance", "/outstanding_by_payer/insurance", Kind::Money),
    ("open_invoices", "/open_invoices", Kind::Count),
    ("credits", "/credits", Kind::Money),
    ("ar_0_30", "/ar_aging/0-30", Kind::Money),
    ("ar_31_60", "/ar_aging/31-60", Kind::Money),
    ("ar_61_90", "/ar_aging/61-90", Kind::Money),
    ("ar_90_plus", "/ar_aging/90+", Kind::Money),
    ("materials_cost", "/materials_cost", Kind::Money),
    ("lab_cost", "/lab_cost", Kind::Money),
    ("direct_cost", "/direct_cost", Kind::Money),
    ("gross_profit", "/gross_profit", Kind::Money),
    ("margin", "/margin", Kind::Rate),
    ("draft", "/status_counts/draft", Kind::Count),
    ("issued", "/status_counts/issued", Kind::Count),
    ("partially_paid", "/status_counts/partially_paid", Kind::Count),
    ("paid", "/status_counts/paid", Kind::Count),
    ("void", "/status_counts/void", Kind::Count),
    ("payment_mix", "/payment_mix", Kind::PaymentMix),
    ("trend_billed", "/trend/points", Kind::Trend("billed")),
    ("trend_collected", "/trend/points", Kind::Trend("collected")),
];

const OPERATIONS_FIELDS: &[Field] = &[
    ("total", "/appointments/total", Kind::Count),
    ("booked", "/appointments/booked", Kind::Count),
    ("arrived", "/appointments/arrived", Kind::Count),
    ("completed", "/appointments/completed", Kind::Count),
    ("cancelled", "/appointments/cancelled", Kind::Count),
    ("no_show", "/appointments/no_show", Kind::Count),
    ("missed", "/appointments/missed", Kind::Count),
    ("scheduled", "/scheduled", Kind::Count),
    ("no_show_rate", "/no_show_rate", Kind::Rate),
    ("cancel_rate", "/cancel_rate", Kind::Rate),
    ("arrival_rate", "/arrival_rate", Kind::Rate),
    ("completion_rate", "/completion_rate", Kind::Rate),
    ("avg_ticket", "/avg_ticket", Kind::Money),
    ("no_show_bleed", "/no_show_bleed", Kind::Money),
    ("new_patients", "/new_patients", Kind::Count),
    ("returning_patients", "/returning_patients", Kind::Count),
    ("doctor_booked_minutes", "/doctor_booked_minutes", Kind::Count),
    ("doctor_capacity_minutes", "/doctor_capacity_minutes", Kind::Count),
    ("doctor_utilization", "/doctor_utilization", Kind::Rate),
    ("chair_booked_minutes", "/chair_booked_minutes", Kind::Count),
    ("chair_capacity_minutes", "/chair_capacity_minutes", Kind::Count),
    ("chair_utilization", "/chair_utilization", Kind::Rate),
];

impl Domain {
    fn name(self) -> &'static str {
        match self {
            Domain::Financial => "financial",
            Domain::Operations => "operations",
        }
    }
    fn extension_sql(self) -> &'static str {
        match self {
            Domain::Financial => "SELECT odx_financial($1::bigint[], $2::date, $3::date)::text",
            Domain::Operations => "SELECT odx_operations($1::bigint[], $2::date, $3::date)::text",
        }
    }
    fn hand_sql(self) -> &'static str {
        match self {
            Domain::Financial => include_str!("../../sql/financial.sql"),
            Domain::Operations => include_str!("../../sql/operations.sql"),
        }
    }
    fn fields(self) -> &'static [Field] {
        match self {
            Domain::Financial => FINANCIAL_FIELDS,
            Domain::Operations => OPERATIONS_FIELDS,
        }
    }
}

/// One scope: the first `branches` clinics over `days` days ending on the
/// data set's last day.
#[derive(Debug, Clone)]
struct Case {
    branches: u32,
    days: u32,
    ids: Vec<i64>,
    from: String,
    to: String,
}

impl Case {
    fn new(all_ids: &[i64], branches: u32, days: u32) -> Case {
        let last = start() + chrono::Duration::days(i64::from(DAYS) - 1);
        let from = last - chrono::Duration::days(i64::from(days) - 1);
        Case {
            branches,
            days,
            ids: all_ids.iter().take(branches as usize).copied().collect(),
            from: from.to_string(),
            to: last.to_string(),
        }
    }
}

async fn run_query(conn: &mut PgConnection, sql: &'static str, case: &Case) -> Result<Vec<PgRow>, sqlx::Error> {
    sqlx::query(sql).bind(&case.ids).bind(&case.from).bind(&case.to).fetch_all(conn).await
}

fn dec(s: &str) -> Result<Decimal, Failure> {
    Decimal::from_str(s).or_else(|_| Decimal::from_scientific(s)).map_err(|e| format!("{s:?}: {e}").into())
}

fn json_dec(v: &Value) -> Result<Option<Decimal>, Failure> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(dec(s)?)),
        other => Err(format!("expected a decimal string, found {other}").into()),
    }
}

fn rate_eq(a: Option<Decimal>, b: Option<Decimal>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= Decimal::new(1, 14),
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// Compares one hand-written row with one odx metrics object.
fn compare_row(row: &PgRow, metrics: &Value, fields: &[Field]) -> Result<(), Failure> {
    for &(column, pointer, kind) in fields {
        let ours = metrics.pointer(pointer).ok_or_else(|| format!("odx has no {pointer}"))?;
        let agree = match kind {
            Kind::Money => {
                json_dec(ours)? == row.try_get::<Option<String>, _>(column)?.as_deref().map(dec).transpose()?
            }
            Kind::Rate => {
                rate_eq(json_dec(ours)?, row.try_get::<Option<String>, _>(column)?.as_deref().map(dec).transpose()?)
            }
            Kind::Count => ours.as_i64() == Some(row.try_get::<i64, _>(column)?),
            Kind::PaymentMix => {
                let mut hand = BTreeMap::new();
                for item in row.try_get::<Option<Vec<String>>, _>(column)?.unwrap_or_default() {
                    let mut parts = item.splitn(3, ':');
                    let (m, n, a) = (parts.next(), parts.next(), parts.next());
                    let (Some(m), Some(n), Some(a)) = (m, n, a) else {
                        return Err(format!("bad mix item {item}").into());
                    };
                    hand.insert(m.to_owned(), (n.parse::<u64>()?, dec(a)?));
                }
                let mut odx = BTreeMap::new();
                for share in ours.as_array().ok_or("payment_mix is not an array")? {
                    let n = share["payments"].as_u64().ok_or("payments is not a count")?;
                    if n > 0 {
                        let method = share["method"].as_str().ok_or("method is not a string")?;
                        odx.insert(method.to_owned(), (n, json_dec(&share["amount"])?.unwrap_or_default()));
                    }
                }
                hand == odx
            }
            Kind::Trend(name) => {
                let hand: Vec<Decimal> = row
                    .try_get::<Option<Vec<String>>, _>(column)?
                    .unwrap_or_default()
                    .iter()
                    .map(|s| dec(s))
                    .collect::<Result<_, _>>()?;
                let odx: Vec<Decimal> = ours
                    .as_array()
                    .ok_or("trend points are not an array")?
                    .iter()
                    .map(|p| json_dec(&p[name]).map(Option::unwrap_or_default))
                    .collect::<Result<_, _>>()?;
                hand == odx
            }
        };
        if !agree {
            return Err(format!("{column}: odx {ours} differs from the hand-written SQL").into());
        }
    }
    Ok(())
}

/// Both sides return the same numbers for every branch and for the network.
async fn check(conn: &mut PgConnection, domain: Domain, case: &Case) -> Result<(), Failure> {
    let odx_rows = run_query(conn, domain.extension_sql(), case).await?;
    let text: String = odx_rows.first().ok_or("odx returned no row")?.try_get(0)?;
    let report: Value = serde_json::from_str(&text)?;
    if report["degraded"] != Value::Bool(false) {
        return Err(format!("odx is degraded on the benchmark data: {}", report["missing"]).into());
    }
    let mut by_clinic = BTreeMap::new();
    for g in report["groups"].as_array().ok_or("groups is not an array")? {
        by_clinic.insert(g["clinic_id"].as_i64().ok_or("clinic_id")?, g);
    }
    let hand = run_query(conn, domain.hand_sql(), case).await?;
    if hand.len() != by_clinic.len() + 1 {
        return Err(format!("{} hand-written rows for {} odx groups + totals", hand.len(), by_clinic.len()).into());
    }
    for row in &hand {
        let clinic: Option<i64> = row.try_get("clinic_id")?;
        let metrics = match clinic {
            None => &report["totals"],
            Some(id) => by_clinic.get(&id).copied().ok_or_else(|| format!("odx has no group for clinic {id}"))?,
        };
        let who = clinic.map_or("the network".to_owned(), |id| format!("clinic {id}"));
        compare_row(row, metrics, domain.fields())
            .map_err(|e| format!("{} {}x{}d, {who}: {e}", domain.name(), case.branches, case.days))?;
    }
    Ok(())
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

/// Medians of odx and of the hand-written SQL, timed in alternating order
/// after one warm-up each.
async fn time(
    conn: &mut PgConnection,
    domain: Domain,
    case: &Case,
    runs: usize,
) -> Result<(Duration, Duration), Failure> {
    let sides = [domain.extension_sql(), domain.hand_sql()];
    for sql in sides {
        run_query(conn, sql, case).await?;
    }
    let (mut odx, mut hand) = (Vec::new(), Vec::new());
    for round in 0..runs {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for side in order {
            let t = Instant::now();
            run_query(conn, sides[side], case).await?;
            if side == 0 { &mut odx } else { &mut hand }.push(t.elapsed());
        }
    }
    Ok((median(odx), median(hand)))
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

/// `VmRSS` and `RssAnon` of a backend, in kB (when the server is local).
fn rss_kb(pid: i32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
    };
    Some((field("VmRSS:")?, field("RssAnon:")?))
}

async fn contexts_bytes(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT sum(total_bytes)::int8 FROM pg_backend_memory_contexts").fetch_one(conn).await
}

/// Calls `odx_financial` `calls` times in one fresh session and prints the
/// backend's memory at checkpoints.
async fn memory(url: &str, case: &Case, calls: usize) -> Result<(), Failure> {
    let mut conn = PgConnection::connect(url).await?;
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(&mut conn).await?;
    let sql = Domain::Financial.extension_sql();
    println!(
        "\nMemory: odx_financial({} branches, {}..{}) called {calls} times in one session (backend pid {pid})\n",
        case.branches, case.from, case.to
    );
    println!("| calls | memory contexts (bytes) | backend RssAnon (kB) | backend VmRSS (kB) |");
    println!("|---:|---:|---:|---:|");
    let warm_up = 10.min(calls);
    let checkpoints: Vec<usize> =
        [warm_up, calls / 10, calls / 2, calls].into_iter().filter(|c| *c >= warm_up).collect();
    let mut done = 0;
    let mut first = None;
    for checkpoint in checkpoints {
        while done < checkpoint {
            run_query(&mut conn, sql, case).await?;
            done += 1;
        }
        let contexts = contexts_bytes(&mut conn).await?;
        let rss = rss_kb(pid);
        let show = |v: Option<u64>| v.map_or("n/a (server not local)".to_owned(), |v| v.to_string());
        println!("| {done} | {contexts} | {} | {} |", show(rss.map(|r| r.1)), show(rss.map(|r| r.0)));
        let (c0, a0) = *first.get_or_insert((contexts, rss.map(|r| r.1)));
        if done == calls {
            let anon = match (a0, rss.map(|r| r.1)) {
                (Some(a), Some(b)) => format!("{:+} kB", b as i64 - a as i64),
                _ => "n/a".to_owned(),
            };
            println!(
                "\nGrowth from call {warm_up} to call {calls}: memory contexts {:+} bytes, RssAnon {anon}",
                contexts - c0
            );
        }
    }
    Ok(())
}

struct Opts {
    url: String,
    runs: usize,
    memory_calls: usize,
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts { url: "postgres://odx:odx@127.0.0.1:5432/odx_bench".to_owned(), runs: 5, memory_calls: 1000 };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--url" => o.url = value()?,
            "--runs" => o.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--memory-calls" => o.memory_calls = value()?.parse().map_err(|e| format!("--memory-calls: {e}"))?,
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if o.runs == 0 {
        return Err("--runs must be positive".to_owned());
    }
    Ok(o)
}

async fn run(o: Opts) -> Result<(), Failure> {
    let all_ids = NetworkConfig::sized(BRANCHES, start(), DAYS, SEED).clinic_ids();
    let mut conn = PgConnection::connect(&o.url).await?;
    let loaded: i64 = sqlx::query_scalar("SELECT count(*) FROM app.clinics WHERE id = ANY($1::bigint[])")
        .bind(&all_ids)
        .fetch_one(&mut conn)
        .await?;
    if loaded != i64::from(BRANCHES) {
        return Err("the benchmark network is not loaded: run bash scripts/bench-pg.sh".into());
    }
    let settings: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'jit', 'shared_buffers', 'work_mem',
         'max_parallel_workers_per_gather') ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT 'invoices', count(*) FROM app.invoices UNION ALL SELECT 'payments', count(*) FROM app.payments
         UNION ALL SELECT 'invoice_items', count(*) FROM app.invoice_items
         UNION ALL SELECT 'appointments', count(*) FROM app.appointments",
    )
    .fetch_all(&mut conn)
    .await?;
    let show = |xs: Vec<String>| xs.join(", ");
    println!("Server: {}", show(settings.iter().map(|(k, v)| format!("{k}={v}")).collect()));
    println!(
        "Data: {} branches x {DAYS} days from {}: {}",
        BRANCHES,
        start(),
        show(rows.iter().map(|(k, v)| format!("{v} {k}")).collect())
    );
    println!("Each figure: median of {} alternating runs on one connection, after one warm-up each.\n", o.runs);
    println!("| domain | branches | days | odx (ms) | hand-written SQL (ms) | ratio odx / hand |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut cases: Vec<Case> = [1, 5, 10, 20, 40].iter().map(|b| Case::new(&all_ids, *b, DAYS)).collect();
    cases.extend([30, 90, 180].iter().map(|d| Case::new(&all_ids, BRANCHES, *d)));
    for domain in [Domain::Financial, Domain::Operations] {
        for case in &cases {
            check(&mut conn, domain, case).await?;
            let (odx, hand) = time(&mut conn, domain, case, o.runs).await?;
            let ratio = odx.as_secs_f64() / hand.as_secs_f64().max(1e-9);
            println!(
                "| {} | {} | {} | {} | {} | {ratio:.2} |",
                domain.name(),
                case.branches,
                case.days,
                ms(odx),
                ms(hand)
            );
        }
    }
    println!(
        "\nEvery case above was checked first: both sides return the same numbers for every branch and the network."
    );
    if o.memory_calls == 0 {
        return Ok(());
    }
    let month = Case::new(&all_ids, BRANCHES, 30);
    memory(&o.url, &month, o.memory_calls).await
}

fn main() -> ExitCode {
    let o = match opts() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("odx-pg-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(o)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("odx-pg-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
