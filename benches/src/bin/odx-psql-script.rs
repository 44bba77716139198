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
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::Parser;
use odx_core::{GroupBy, MetricScope};
use odx_sql::pg_sqlx::frame;
use odx_sql::{Domain, DomainSql, Param, ScopeParams, CLINIC_ZONES_SQL, COLUMNS_SQL};
use sqlx::postgres::PgPoolOptions;
use std::fmt::Write as _;
use std::process::ExitCode;

use odx_benches::side_by_side::Failure;
use odx_benches::{domain_parser, DEFAULT_BENCH_URL};

/// The statements one Node `engine.<domain>()` call runs, as a psql script.
#[derive(Debug, Parser)]
#[command(name = "odx-psql-script", version)]
struct Opts {
    /// The domain.
    #[arg(long, value_parser = domain_parser())]
    domain: Domain,
    /// Comma-separated clinic ids, or `all` (every clinic of app.clinics).
    #[arg(long, value_name = "IDS|all", value_parser = parse_clinics)]
    clinics: Clinics,
    /// First local date (YYYY-MM-DD).
    #[arg(long)]
    from: NaiveDate,
    /// Last local date (YYYY-MM-DD).
    #[arg(long)]
    to: NaiveDate,
    /// The grouping.
    #[arg(long, default_value = "clinic", value_parser = group_by_parser())]
    group_by: GroupBy,
    /// How many times the statements are executed.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// The database.
    #[arg(long, default_value = DEFAULT_BENCH_URL)]
    url: String,
}

/// `--clinics`: some ids, or every clinic.
#[derive(Debug, Clone)]
struct Clinics(Option<Vec<i64>>);

fn group_by_parser() -> impl TypedValueParser<Value = GroupBy> {
    PossibleValuesParser::new(["clinic", "doctor", "none"]).try_map(|g| g.parse::<GroupBy>())
}

fn parse_clinics(v: &str) -> Result<Clinics, String> {
    if v == "all" {
        return Ok(Clinics(None));
    }
    let ids = v.split(',').map(|id| id.trim().parse::<i64>().map_err(|e| format!("{id:?}: {e}")));
    Ok(Clinics(Some(ids.collect::<Result<Vec<_>, _>>()?)))
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
    let ids = match o.clinics.0 {
        Some(ids) => ids,
        None => sqlx::query_scalar("SELECT id FROM app.clinics ORDER BY id").fetch_all(&pool).await?,
    };
    let scope = MetricScope::new(ids, o.from, o.to, o.group_by)?;
    let p = ScopeParams::new(&frame(&pool, &scope).await?);
    // Each parameter as a literal with its type, in the order the
    // statements number them (ScopeParams::values is the one list).
    let (literals, types): (Vec<String>, Vec<&str>) = p
        .values()
        .iter()
        .map(|v| match v {
            Param::Ids(ids) => (bigint_array(ids), "bigint[]"),
            Param::Texts(items) => (text_array(items), "text[]"),
            Param::Text(t) => (quote(t), "text"),
            Param::Id(id) => (id.to_string(), "bigint"),
            Param::Bool(b) => (b.to_string(), "boolean"),
            Param::Instant(t, _) => (quote(&t.to_rfc3339()), "timestamptz"),
            Param::Instants(ts, _) => {
                (text_array(&ts.iter().map(|t| t.to_rfc3339()).collect::<Vec<_>>()), "timestamptz[]")
            }
        })
        .unzip();
    let (args, types) = (literals.join(", "), types.join(", "));
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
    odx_benches::database_main("odx-psql-script", || Ok(Opts::parse()), run, |script: String| print!("{script}"))
}
