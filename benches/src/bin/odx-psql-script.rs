//! `odx-psql-script`: the statements one Node `engine.<domain>()` call runs,
//! as a psql script, for the Node side-by-side benchmark
//! (`node_bindings/bench/side-by-side.mjs`, run by `scripts/bench-node.sh`).
//!
//! The script prepares exactly what the sqlx driver sends: the schema probe
//! of degraded mode, the clinics' time zones, and each of the domain's
//! statements with the parameter types sqlx binds (`bigint[]`, `text[]`,
//! `text`, `boolean`, `timestamptz`) and the values core computes for the
//! scope. It then executes them `--runs` times, each run after an
//! `\echo odx-run N` line, with `\timing on` and the results sent to
//! /dev/null, so psql reports the time of every statement.

use chrono::NaiveDate;
use odx_core::{GroupBy, MetricScope};
use odx_sql::pg_sqlx::frame;
use odx_sql::{Domain, DomainSql, ScopeParams, CLINIC_ZONES_SQL, COLUMNS_SQL};
use sqlx::postgres::PgPoolOptions;
use std::fmt::Write as _;
use std::process::ExitCode;

const USAGE: &str =
    "odx-psql-script --domain D --clinics IDS --from DATE --to DATE [--group-by G] [--runs N] [--url URL]
  --domain    financial | operations | accounting | lab | staff | clinical | patients | inventory
  --clinics   comma-separated clinic ids, or `all` (every clinic of app.clinics)
  --from/--to local dates YYYY-MM-DD
  --group-by  clinic (default) | doctor | none
  --runs      how many times the statements are executed (default 6)
  --url       the database (default postgres://odx:odx@127.0.0.1:5432/odx_bench)";

use odx_benches::side_by_side::Failure;

struct Opts {
    url: String,
    domain: Domain,
    clinics: Option<Vec<i64>>,
    from: NaiveDate,
    to: NaiveDate,
    group_by: GroupBy,
    runs: usize,
}

fn opts() -> Result<Opts, String> {
    let mut argv = std::env::args();
    argv.next(); // the program name
    let args: Vec<String> = argv.collect();
    let mut it = args.iter();
    let (mut url, mut domain, mut clinics, mut from, mut to) =
        ("postgres://odx:odx@127.0.0.1:5432/odx_bench".to_owned(), None, None, None, None);
    let (mut group_by, mut runs) = (GroupBy::Clinic, 6);
    let date = |flag: &str, v: String| NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|e| format!("{flag}: {e}"));
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--url" => url = value()?,
            "--domain" => {
                let v = value()?;
                domain = Some(Domain::parse(&v).ok_or_else(|| format!("--domain: unknown domain {v:?}"))?);
            }
            "--clinics" => {
                let v = value()?;
                clinics = Some(if v == "all" {
                    None
                } else {
                    Some(
                        v.split(',')
                            .map(|id| id.trim().parse::<i64>().map_err(|e| format!("--clinics: {id:?}: {e}")))
                            .collect::<Result<Vec<_>, _>>()?,
                    )
                });
            }
            "--from" => from = Some(date(flag, value()?)?),
            "--to" => to = Some(date(flag, value()?)?),
            "--group-by" => group_by = value()?.parse().map_err(|e| format!("--group-by: {e}"))?,
            "--runs" => runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let missing = |what: &str| format!("{what} is required\n{USAGE}");
    Ok(Opts {
        url,
        domain: domain.ok_or_else(|| missing("--domain"))?,
        clinics: clinics.ok_or_else(|| missing("--clinics"))?,
        from: from.ok_or_else(|| missing("--from"))?,
        to: to.ok_or_else(|| missing("--to"))?,
        group_by,
        runs,
    })
}

/// A SQL string literal.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A text[] literal of already-formatted elements.
fn text_array(items: &[String]) -> String {
    let elems: Vec<String> =
        items.iter().map(|i| format!("\"{}\"", i.replace('\\', "\\\\").replace('"', "\\\""))).collect();
    quote(&format!("{{{}}}", elems.join(",")))
}

fn bigint_array(ids: &[i64]) -> String {
    let elems: Vec<String> = ids.iter().map(i64::to_string).collect();
    quote(&format!("{{{}}}", elems.join(",")))
}

async fn run(o: Opts) -> Result<String, Failure> {
    let pool = PgPoolOptions::new().max_connections(1).connect(&o.url).await?;
    let ids = match o.clinics {
        Some(ids) => ids,
        None => sqlx::query_scalar("SELECT id FROM app.clinics ORDER BY id").fetch_all(&pool).await?,
    };
    let scope = MetricScope::new(ids, o.from, o.to, o.group_by)?;
    let p = ScopeParams::new(&frame(&pool, &scope).await?);
    let ts = |t: &chrono::DateTime<chrono::Utc>| quote(&t.to_rfc3339());
    let args = [
        bigint_array(&p.clinic_ids),
        text_array(&p.trend_cuts),
        text_array(&p.range_starts),
        text_array(&p.as_ofs),
        text_array(&p.aging_cuts),
        quote(&p.from),
        quote(&p.to),
        p.by_doctor.to_string(),
        ts(&p.earliest),
        ts(&p.latest),
        text_array(&p.patient_cuts),
        text_array(&p.zones),
    ]
    .join(", ");
    let mut out = String::new();
    writeln!(
        out,
        "-- {} of {} clinics, {}..{}, by {}",
        o.domain.as_str(),
        p.clinic_ids.len(),
        o.from,
        o.to,
        o.group_by.as_str()
    )?;
    writeln!(out, "\\set ON_ERROR_STOP on")?;
    writeln!(out, "PREPARE odx_columns AS {COLUMNS_SQL};")?;
    writeln!(out, "PREPARE odx_zones (bigint[]) AS {CLINIC_ZONES_SQL};")?;
    let types =
        "bigint[], text[], text[], text[], text[], text, text, boolean, timestamptz, timestamptz, text[], text[]";
    for (i, q) in o.domain.queries().iter().enumerate() {
        writeln!(out, "PREPARE odx_q{i} ({types}) AS\n{};", q.sql)?;
    }
    writeln!(out, "\\o /dev/null\n\\timing on")?;
    for run in 0..o.runs {
        writeln!(out, "\\echo odx-run {run}")?;
        writeln!(out, "EXECUTE odx_columns;")?;
        writeln!(out, "EXECUTE odx_zones({});", bigint_array(&p.clinic_ids))?;
        for i in 0..o.domain.queries().len() {
            writeln!(out, "EXECUTE odx_q{i}({args});")?;
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    odx_benches::database_main("odx-psql-script", opts, run, |script: String| print!("{script}"))
}
