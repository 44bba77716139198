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
use clap::builder::PossibleValuesParser;
use clap::Parser;
use odx_benches::screens::screens;
use odx_benches::side_by_side::{check, run_query, Case, Domain, Failure, Sides};
use odx_benches::{median, ms, rounds, DEFAULT_BENCH_URL};
use odx_fixtures::generator::NetworkConfig;
use sqlx::{Connection, PgConnection, Row};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The data set `scripts/bench-pg.sh` loads.
const BRANCHES: u32 = 40;
const DAYS: u32 = 365;
const SEED: u64 = 7;
fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

/// Medians of odx and of the hand-written SQL, timed in alternating order
/// after one warm-up each, over [`rounds`] rounds.
async fn time(
    conn: &mut PgConnection,
    sides: [&str; 2],
    case: &Case,
    runs: usize,
) -> Result<(Duration, Duration), Failure> {
    let warm_up = Instant::now();
    for sql in sides {
        run_query(conn, sql, case).await?;
    }
    let rounds = rounds(runs, warm_up.elapsed());
    let (mut odx, mut hand) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for side in order {
            let t = Instant::now();
            run_query(conn, sides[side], case).await?;
            if side == 0 { &mut odx } else { &mut hand }.push(t.elapsed());
        }
    }
    Ok((median(odx), median(hand)))
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

/// The side-by-side benchmark of the extension against hand-written SQL.
#[derive(Debug, Parser)]
#[command(name = "odx-pg-bench", version)]
struct Args {
    /// The database holding the benchmark network.
    #[arg(long, default_value = DEFAULT_BENCH_URL)]
    url: String,
    /// Timed rounds per case and side (the median is reported).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// odx_financial calls in one session for the memory probe (0 skips it).
    #[arg(long, default_value_t = 1000)]
    memory_calls: usize,
    /// Only this domain (repeatable; default every domain, `command` and
    /// `grouping`), or `command`: the console's screens (Command Center,
    /// month in progress, overview, a branch's console) against the
    /// hand-written statements of the same screen, or `grouping`: each
    /// domain (the ones named, or all) grouped by doctor against by branch.
    #[arg(long = "domain", value_name = "NAME", value_parser = domain_names())]
    domains: Vec<String>,
}

struct Opts {
    url: String,
    runs: usize,
    memory_calls: usize,
    domains: Vec<Domain>,
    command: bool,
    /// The domains of the grouping case; empty skips it.
    grouping: Vec<Domain>,
}

/// Every domain's name, and `command`.
fn domain_names() -> PossibleValuesParser {
    PossibleValuesParser::new(Domain::ALL.iter().map(|d| d.as_str()).chain(["command", "grouping"]))
}

/// A domain's call grouped by `group_by` (`$1..$3` = ids, from, to).
fn grouped_sql(domain: Domain, group_by: &str) -> String {
    format!("SELECT odx_{}($1::bigint[], $2::date, $3::date, '{group_by}')::text", domain.as_str())
}

/// The regression case of a plan that went wrong: every domain grouped by
/// doctor against the same call grouped by branch. A doctor grouping whose
/// statement the planner sized on a rows=1 estimate ran a nested loop that
/// compared every patient with every visit (odx_operations by doctor at one
/// branch over 82 days: 2.3x its time by branch, before the doctors were
/// gathered in the first visits' own scan). The ratio shows such a plan.
/// The network totals of both groupings are checked to be equal first.
async fn grouping(conn: &mut PgConnection, domains: &[Domain], cases: &[Case], runs: usize) -> Result<(), Failure> {
    println!("\n| grouping | branches | days | by branch (ms) | by doctor (ms) | ratio doctor / branch |");
    println!("|---|---:|---:|---:|---:|---:|");
    for &domain in domains {
        for case in cases {
            let sides = [grouped_sql(domain, "clinic"), grouped_sql(domain, "doctor")];
            let mut totals = Vec::new();
            for sql in &sides {
                let row = run_query(conn, sql, case).await?;
                let text: String = row.first().ok_or("no row")?.try_get(0)?;
                totals.push(serde_json::from_str::<serde_json::Value>(&text)?["totals"].take());
            }
            if totals[0] != totals[1] {
                return Err(format!("{} by doctor: totals differ from the totals by branch", domain.as_str()).into());
            }
            let (clinic, doctor) = time(conn, [&sides[0], &sides[1]], case, runs).await?;
            let ratio = doctor.as_secs_f64() / clinic.as_secs_f64().max(1e-9);
            println!(
                "| {} | {} | {} | {} | {} | {ratio:.2} |",
                domain.as_str(),
                case.branches,
                case.days,
                ms(clinic),
                ms(doctor)
            );
        }
    }
    Ok(())
}

fn opts() -> Result<Opts, String> {
    let args = Args::parse();
    let named = |screen: &str| args.domains.iter().any(|d| d == screen);
    let (command, grouping) = (named("command"), named("grouping"));
    let mut domains: Vec<Domain> = args.domains.iter().filter_map(|d| Domain::parse(d)).collect();
    let all = domains.is_empty() && !command && !grouping;
    let grouping = match (all || grouping, domains.is_empty()) {
        (false, _) => Vec::new(),
        (true, true) => Domain::ALL.to_vec(),
        (true, false) => domains.clone(),
    };
    if all {
        domains = Domain::ALL.to_vec();
    } else if named("grouping") {
        // `--domain operations --domain grouping`: the grouping case of operations only.
        domains.clear();
    }
    let runs = usize::try_from(args.runs).map_err(|e| format!("--runs: {e}"))?;
    Ok(Opts { url: args.url, runs, memory_calls: args.memory_calls, domains, command: command || all, grouping })
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
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT i.indexname::text FROM pg_indexes i WHERE i.schemaname = 'app'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await?;
    let show = |xs: Vec<String>| xs.join(", ");
    println!("Server: {}", show(settings.iter().map(|(k, v)| format!("{k}={v}")).collect()));
    match indexes.len() {
        0 => println!("Indexes: primary keys only"),
        n => println!("Indexes: sql/sql/indexes.sql ({n} besides the primary keys)"),
    }
    println!(
        "Data: {} branches x {DAYS} days from {}: {}",
        BRANCHES,
        start(),
        show(rows.iter().map(|(k, v)| format!("{v} {k}")).collect())
    );
    println!(
        "Each figure: median of alternating runs on one connection, after one warm-up each: at least {} runs, and \
         as many as fit in {} s at the pace of the warm-up, up to {} (a case of a few milliseconds is timed several \
         hundred times).\n",
        o.runs,
        odx_benches::ROUND_BUDGET.as_secs(),
        odx_benches::MAX_ROUNDS
    );
    println!("| domain | branches | days | odx (ms) | hand-written SQL (ms) | ratio odx / hand |");
    println!("|---|---:|---:|---:|---:|---:|");
    let last = start() + chrono::Duration::days(i64::from(DAYS) - 1);
    let mut cases: Vec<Case> = [1, 5, 10, 20, 40].iter().map(|b| Case::new(&all_ids, *b, DAYS, last)).collect();
    cases.extend([30, 90, 180].iter().map(|d| Case::new(&all_ids, BRANCHES, *d, last)));
    for &domain in &o.domains {
        for case in &cases {
            check(&mut conn, domain, case).await?;
            let (odx, hand) = time(&mut conn, [domain.extension_sql(), domain.hand_sql()], case, o.runs).await?;
            let ratio = odx.as_secs_f64() / hand.as_secs_f64().max(1e-9);
            println!(
                "| {} | {} | {} | {} | {} | {ratio:.2} |",
                domain.as_str(),
                case.branches,
                case.days,
                ms(odx),
                ms(hand)
            );
        }
    }
    if o.command {
        println!("\n| screen | odx | odx (ms) | hand-written SQL for the same screen (ms) | ratio |");
        println!("|---|---|---:|---:|---:|");
        // The engine's pool, as Node's engine opens it (Nagle's algorithm off).
        let connect: sqlx::postgres::PgConnectOptions = o.url.parse()?;
        let pool = odx_sql::pg_sqlx::pool_options(&connect).max_connections(1).connect_with(connect).await?;
        for t in screens(&mut conn, &pool, &all_ids, last, o.runs).await? {
            let ratio = t.odx.as_secs_f64() / t.hand.as_secs_f64().max(1e-9);
            println!("| {} | {} | {} | {} | {ratio:.2} |", t.screen, t.odx_side, ms(t.odx), ms(t.hand));
        }
    }
    if !o.grouping.is_empty() {
        let one = |days| Case::new(&all_ids, 1, days, last);
        grouping(&mut conn, &o.grouping, &[one(82), one(DAYS), Case::new(&all_ids, BRANCHES, 30, last)], o.runs)
            .await?;
    }
    println!(
        "\nEvery case above was checked first: both sides return the same numbers for every branch and the network \
         (the grouping case: the same network totals by branch and by doctor)."
    );
    if o.memory_calls == 0 {
        return Ok(());
    }
    let month = Case::new(&all_ids, BRANCHES, 30, last);
    memory(&o.url, &month, o.memory_calls).await
}

fn main() -> ExitCode {
    odx_benches::database_main("odx-pg-bench", opts, run, |()| {})
}
