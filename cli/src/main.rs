//! `odx`: the main job. With no arguments it generates the demo network in
//! memory (no database) and prints, for June 2026, per-branch financial,
//! operations, accounting, lab, staff, clinical, patients and inventory tables
//! with network totals and the suggested stock transfers, after the Command
//! Center (revenue against target, the leaderboard, the alerts of the head
//! office's targets and the digest's three actions) and the financial
//! headline against the previous period with each branch's share, and the
//! forecasts as of the 21st with their backtested errors.
//!
//! ```text
//! odx [--month YYYY-MM] [--as-of INSTANT] [--branches N [--seed S]] [--json | --csv TABLE]
//! ```
//! Arguments are parsed by clap (`odx --help`).
//! `--as-of` reads the month at an instant (RFC 3339, e.g.
//! `2026-06-15T12:00:00+05:00`; default: now): a month still in progress then
//! is read as of it, as head office sees it on that day.
//! `--branches N` swaps the demo network for a generated network of N
//! branches; `--json` prints the reports as JSON instead of tables; `--csv
//! TABLE` prints one per-branch table as CSV: a domain (`financial`,
//! `operations`, ... `inventory`) or the Command Center's `leaderboard`.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::Parser;
use comfy_table::{presets, CellAlignment, Table};
use num_format::{Locale, ToFormattedString};
use odx_core::calendar::CHURN_AFTER_MONTHS;
use odx_core::command::CommandCenter;
use odx_core::console::{DomainMetrics, DomainVisitor};
use odx_core::export::{report_csv, table_csv};
use odx_core::forecast::{ChurnForecast, NoShowForecast, RevenueForecast};
use odx_core::insights::Digest;
use odx_core::readout::{Cell, Readout};
use odx_core::targets::TargetMetric;
use odx_core::{Comparison, Domain, GroupBy, MeasureKind, MetricScope, Period, Report, Tables};
use odx_fixtures::generator::{generate, NetworkConfig};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::HashMap;
use std::process::ExitCode;

/// The main job: the demo network (or a generated one) in memory, its
/// Command Center, comparison, forecasts and every domain's table for a month.
#[derive(Debug, Parser)]
#[command(name = "odx", version)]
struct Args {
    /// The month to report (YYYY-MM).
    #[arg(long, value_name = "YYYY-MM", default_value = "2026-06", value_parser = parse_month)]
    month: NaiveDate,
    /// Read the month at this instant (RFC 3339, e.g. 2026-06-15T12:00:00+05:00; default: now).
    #[arg(long = "as-of", value_name = "INSTANT", value_parser = parse_instant)]
    as_of: Option<DateTime<Utc>>,
    /// Swap the demo network for a generated network of N branches.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    branches: Option<u32>,
    /// The seed of the generated network.
    #[arg(long, value_name = "S", default_value_t = 7, requires = "branches")]
    seed: u64,
    /// Print the reports as JSON instead of tables.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print one per-branch table as CSV: a domain or the Command Center's leaderboard.
    #[arg(long, value_name = "TABLE", value_parser = csv_tables())]
    csv: Option<CsvTable>,
}

/// A table `--csv` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CsvTable {
    Domain(Domain),
    Leaderboard,
}

/// The names `--csv` takes: every domain, and `leaderboard`.
fn csv_tables() -> impl clap::builder::TypedValueParser<Value = CsvTable> {
    let names = Domain::ALL.iter().map(|d| d.as_str()).chain(["leaderboard"]);
    PossibleValuesParser::new(names).map(|name| Domain::parse(&name).map_or(CsvTable::Leaderboard, CsvTable::Domain))
}

fn parse_month(v: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d").map_err(|_| format!("{v:?} is not YYYY-MM"))
}

fn month_end(first: NaiveDate) -> NaiveDate {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(first)
}

/// PKR with thousands separators, rounded to the rupee for display.
fn pkr(d: Decimal) -> String {
    let rupees = d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    // Every amount odx reports fits in an i128 (Decimal has 96 bits).
    rupees.to_i128().map_or_else(|| rupees.to_string(), |r| r.to_formatted_string(&Locale::en))
}

/// A rate as a percentage with one decimal, or `-` for no data.
fn pct(r: Option<Decimal>) -> String {
    r.map_or("-".into(), |r| {
        format!("{}%", (r * Decimal::ONE_HUNDRED).round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero))
    })
}

/// A branch's name (`?` for an id the directory does not know).
fn branch(names: &HashMap<i64, String>, clinic_id: i64) -> &str {
    names.get(&clinic_id).map_or("?", String::as_str)
}

/// A table for the terminal (comfy-table, no borders): the first column
/// left-aligned, every other right-aligned.
fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING).set_header(header.to_vec()).add_rows(rows);
    for (i, column) in t.column_iter_mut().enumerate() {
        column.set_cell_alignment(if i == 0 { CellAlignment::Left } else { CellAlignment::Right });
    }
    t
}

fn print_command(c: &CommandCenter, digest: &Digest, names: &HashMap<i64, String>) {
    let name = |id: Option<i64>| id.map_or("network".to_owned(), |id| names.get(&id).cloned().unwrap_or_default());
    println!("COMMAND CENTER");
    let m = &c.revenue_mtd;
    println!(
        "Revenue month to date: {} against {} ({} of {} days), {} of target",
        pkr(m.billed),
        m.target_to_date.map_or("no target".into(), pkr),
        m.elapsed_days,
        m.month_days,
        pct(m.attainment)
    );
    println!(
        "Collection rate {}, no-show rate {} (bleed {}), net profit {}",
        pct(c.collection_rate),
        pct(c.no_show_rate),
        c.no_show_bleed.map_or("-".into(), pkr),
        c.net_profit.map_or("-".into(), pkr)
    );
    let rows = c.leaderboard.iter().map(|r| {
        let mut flags = Vec::new();
        if r.worst_no_show {
            flags.push("worst no-show");
        }
        if r.largest_ar_90 {
            flags.push("largest AR 90+");
        }
        vec![
            r.rank.to_string(),
            name(Some(r.clinic_id)),
            pkr(r.billed),
            pct(r.collection_rate),
            pct(r.no_show_rate),
            pkr(r.ar_90),
            r.alerts.to_string(),
            flags.join(", "),
        ]
    });
    let mut leaderboard = table(&["#", "Branch", "Billed", "Coll.", "No-show", "AR 90+", "Alerts", "Flags"], rows);
    for i in [1, 7] {
        if let Some(column) = leaderboard.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Left);
        }
    }
    println!("{}", leaderboard.trim_fmt());
    for a in &c.alerts {
        let shown = |v: Decimal| match a.metric {
            TargetMetric::RevenueMonthly | TargetMetric::Ar90Max => pkr(v),
            TargetMetric::LabOverdueMax => v.normalize().to_string(),
            _ => pct(Some(v)),
        };
        println!(
            "  alert {:?}: {} {} (actual {}, target {})",
            a.severity,
            name(a.clinic_id),
            a.metric.as_str(),
            shown(a.actual),
            shown(a.target)
        );
    }
    for a in &digest.actions {
        println!("  action {}: {} {} (PKR {} at stake)", a.rank, name(Some(a.clinic_id)), a.action, pkr(a.impact));
    }
    println!();
}

/// A measure's value for people: PKR, a count, a percentage or days.
fn shown(kind: MeasureKind, v: Option<Decimal>) -> String {
    match (kind, v) {
        (_, None) => "-".into(),
        (MeasureKind::Amount | MeasureKind::Average, Some(v)) => pkr(v),
        (MeasureKind::Rate, v) => pct(v),
        (MeasureKind::Count | MeasureKind::Days, Some(v)) => v.round_dp(1).normalize().to_string(),
    }
}

fn print_comparison(c: &Comparison, names: &HashMap<i64, String>) {
    println!("AGAINST THE PREVIOUS PERIOD ({} to {}): {}", c.previous_from, c.previous_to, c.domain.as_str());
    let rows = c.totals.iter().map(|t| {
        let shares: Vec<String> = c
            .groups
            .iter()
            .filter(|g| g.change.metric == t.metric && g.share.is_some())
            .map(|g| format!("{} {}", branch(names, g.clinic_id), pct(g.share)))
            .collect();
        vec![
            t.metric.to_string(),
            shown(t.kind, t.current),
            shown(t.kind, t.previous),
            match t.kind {
                MeasureKind::Rate => {
                    t.change.map_or("-".into(), |c| format!("{} pts", pct(Some(c)).trim_end_matches('%')))
                }
                _ => pct(t.change_rate),
            },
            shares.join(", "),
        ]
    });
    let mut comparison = table(&["Measure", "Now", "Before", "Change", "Share by branch"], rows);
    if let Some(column) = comparison.column_mut(4) {
        column.set_cell_alignment(CellAlignment::Left);
    }
    println!("{}\n", comparison.trim_fmt());
}

fn print_forecasts(
    (revenue, no_shows, churn): (&RevenueForecast, &NoShowForecast, &ChurnForecast),
    names: &HashMap<i64, String>,
) {
    let name = |id: Option<i64>| id.and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| "network".into());
    println!("FORECASTS (as of {}, each with the error it made on the previous months)", revenue.as_of);
    println!(
        "Month-end revenue: projected {} ({} billed to date, {} days to go); MAPE {} network, {} branches",
        pkr(revenue.network.projected),
        pkr(revenue.network.billed_to_date),
        revenue.remaining_days,
        pct(revenue.mape),
        pct(revenue.branch_mape)
    );
    for b in &revenue.branches {
        println!("  {:<20} projected {:>13} (MAPE {})", name(b.clinic_id), pkr(b.projected), pct(b.mape));
    }
    println!(
        "No-shows {} to {}: {} expected of {} booked (PKR {} at stake); WAPE {} over branch-weeks, bias {}",
        no_shows.from,
        no_shows.to,
        no_shows.network.expected_no_shows.round_dp(1),
        no_shows.network.booked,
        no_shows.network.at_stake.map_or("-".into(), pkr),
        pct(no_shows.wape),
        pct(no_shows.bias)
    );
    for b in &no_shows.branches {
        println!(
            "  {:<20} risk {:>6}  expected {:>5} of {:>4}",
            name(b.clinic_id),
            pct(b.risk),
            b.expected_no_shows.round_dp(1),
            b.booked
        );
    }
    println!(
        "Churn list: {} patients {CHURN_AFTER_MONTHS}+ months away, nothing booked; over {}-month horizons {} of \
         those listed stayed away (precision), {} of those lost were listed (recall)",
        churn.network.at_risk,
        churn.horizon_months,
        pct(churn.precision),
        pct(churn.recall)
    );
    for b in &churn.branches {
        println!(
            "  {:<20} at risk {:>4}  precision {:>6}  recall {:>6}",
            name(b.clinic_id),
            b.at_risk,
            pct(b.precision),
            pct(b.recall)
        );
    }
    println!();
}

/// A domain report as the main job shows it (its [`Readout`]), as JSON
/// (`--json`) or as CSV (`--csv <domain>`).
trait Shown {
    fn print(&self, scope: &MetricScope, names: &HashMap<i64, String>);
    fn json(&self) -> Result<serde_json::Value, String>;
    fn csv(&self) -> Result<String, String>;
}

impl<M: Readout + serde::Serialize + schemars::JsonSchema> Shown for Report<M> {
    fn print(&self, scope: &MetricScope, names: &HashMap<i64, String>) {
        println!("{}", M::heading(scope));
        let row = |name: &str, m: &M| -> Vec<String> {
            let cells = m.cells().into_iter().map(|c| match c {
                Cell::Money(v) => v.map_or("-".into(), pkr),
                Cell::Count(n) => n.to_string(),
                Cell::Rate(r) => pct(r),
                Cell::Text(t) => t,
            });
            std::iter::once(name.to_owned()).chain(cells).collect()
        };
        let rows = self.groups.iter().map(|g| row(branch(names, g.clinic_id), &g.metrics));
        let header: Vec<&str> = std::iter::once("Branch").chain(M::COLUMNS.iter().copied()).collect();
        println!("{}", table(&header, rows.chain([row("Network", &self.totals)])).trim_fmt());
        for note in self.totals.notes(&|id| branch(names, id).to_owned(), &pkr) {
            println!("  {note}");
        }
        println!();
    }
    fn json(&self) -> Result<serde_json::Value, String> {
        serde_json::to_value(self).map_err(|e| e.to_string())
    }
    fn csv(&self) -> Result<String, String> {
        report_csv(self).map_err(|e| e.to_string())
    }
}

/// Every domain's report, in the registry's order.
type Shelf = Vec<(Domain, Box<dyn Shown>)>;

/// Every domain's report of `scope`.
fn domain_reports(tables: &Tables, scope: &MetricScope) -> Result<Shelf, String> {
    struct Shelve<'a>(&'a Tables, &'a MetricScope);
    impl DomainVisitor for Shelve<'_> {
        type Output = Result<Box<dyn Shown>, String>;
        fn visit<M: DomainMetrics>(
            self,
            report: impl Fn(&Tables, &MetricScope) -> odx_core::Result<Report<M>>,
        ) -> Self::Output {
            Ok(Box::new(report(self.0, self.1).map_err(|e| e.to_string())?))
        }
    }
    Domain::ALL.into_iter().map(|d| Ok((d, tables.with_domain(d, Shelve(tables, scope))?))).collect()
}

fn parse_instant(v: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(v)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{v:?} is not an RFC 3339 instant such as 2026-06-15T12:00:00+05:00"))
}

fn run(args: &Args) -> Result<(), String> {
    // The CLI is where the clock is read: core only takes it as an input.
    let now = args.as_of.unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()));
    let config = match args.branches {
        Some(n) => {
            let start = args.month.checked_sub_months(chrono::Months::new(5)).unwrap_or(args.month);
            let days = (month_end(args.month) - start).num_days() as u32 + 1;
            NetworkConfig::sized(n, start, days, args.seed)
        }
        None => NetworkConfig::demo(),
    };
    let tables: Tables = generate(&config);
    let period = Period::new(args.month, month_end(args.month)).at(Some(now));
    let scope = period.scope(config.clinic_ids(), GroupBy::Clinic).map_err(|e| e.to_string())?;
    let reports = domain_reports(&tables, &scope)?;
    if let Some(table) = args.csv {
        let csv = match table {
            CsvTable::Domain(domain) => {
                reports.iter().find(|(d, _)| *d == domain).map(|(_, r)| r.csv()).unwrap_or(Ok(String::new()))?
            }
            CsvTable::Leaderboard => {
                let command = tables.command(config.organization_id, None, period).map_err(|e| e.to_string())?;
                table_csv(&command.leaderboard).map_err(|e| e.to_string())?
            }
        };
        print!("{csv}");
        return Ok(());
    }
    if args.json {
        let mut all = serde_json::Map::new();
        for (domain, report) in &reports {
            all.insert(domain.as_str().to_owned(), report.json()?);
        }
        println!("{}", serde_json::to_string_pretty(&all).map_err(|e| e.to_string())?);
        return Ok(());
    }
    let names: HashMap<i64, String> = tables.clinics.iter().map(|c| (c.id, c.name.clone())).collect();
    let command = tables.command(config.organization_id, None, period).map_err(|e| e.to_string())?;
    let digest = tables.digest(config.organization_id, None, period).map_err(|e| e.to_string())?;
    println!(
        "odx: {} ({} branches, in memory), {} to {}, {}\n",
        config.organization,
        config.branches.len(),
        scope.from(),
        scope.to(),
        as_of_words(&tables, &command),
    );
    print_command(&command, &digest, &names);
    print_comparison(&tables.compare(Domain::Financial, &scope).map_err(|e| e.to_string())?, &names);
    // the forecasts as head office would see them three weeks into the month
    // (or on the as-of date, when the month is still in progress)
    let as_of = scope.from().with_day(21).unwrap_or(scope.to()).min(command.as_of_date);
    let revenue = tables.forecast_revenue(scope.clinic_ids(), as_of).map_err(|e| e.to_string())?;
    let no_shows = tables.forecast_no_shows(scope.clinic_ids(), as_of).map_err(|e| e.to_string())?;
    let churn = tables.forecast_churn(scope.clinic_ids(), as_of).map_err(|e| e.to_string())?;
    print_forecasts((&revenue, &no_shows, &churn), &names);
    for (_, report) in &reports {
        report.print(&scope, &names);
    }
    Ok(())
}

/// "as of ..." in words: the instant in the network's time zone (its first
/// branch's), and whether the month is still in progress.
fn as_of_words(tables: &Tables, command: &CommandCenter) -> String {
    let zone = tables.clinics.iter().find(|c| command.clinic_ids.contains(&c.id)).map_or("", |c| c.timezone.as_str());
    let Ok(tz) = odx_core::calendar::parse_time_zone(0, zone) else {
        return format!("as of {}", command.as_of);
    };
    let local = command.as_of.with_timezone(&tz);
    if command.as_of_date < command.to {
        format!(
            "in progress: read as of {} ({}), figures through {}",
            local.format("%Y-%m-%d %H:%M"),
            tz.name(),
            command.as_of_date
        )
    } else {
        format!("closed: balances as of the end of {} ({})", command.to, tz.name())
    }
}

/// A bad argument exits 2 with clap's message naming it; `--help` prints to
/// stdout and exits 0; a failure of the run itself exits 1.
fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("odx: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;
    use clap::CommandFactory;

    #[test]
    fn formats_money_and_rates_for_people() {
        assert_eq!(pkr(Decimal::new(123456789, 2)), "1,234,568");
        assert_eq!(pkr(Decimal::new(-100000, 2)), "-1,000");
        assert_eq!(pkr(Decimal::ZERO), "0");
        assert_eq!(pkr(Decimal::new(-4995, 1)), "-500");
        assert_eq!(pkr(Decimal::MAX), "79,228,162,514,264,337,593,543,950,335");
        assert_eq!(pct(Some(Decimal::new(1905, 4))), "19.1%");
        assert_eq!(pct(None), "-");
    }

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("odx").chain(args.iter().copied()))
    }

    #[test]
    fn the_arguments_are_declared_consistently() {
        Args::command().debug_assert();
    }

    #[test]
    fn month_arguments() {
        let a = parse(&["--month", "2026-02"]).unwrap();
        assert_eq!(month_end(a.month), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(parse(&[]).unwrap().month, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        assert_eq!(
            month_end(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        let e = parse(&["--month", "June"]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ValueValidation);
        assert!(e.to_string().contains("--month"), "{e}");
        assert_eq!(parse(&["--bogus"]).unwrap_err().kind(), ErrorKind::UnknownArgument);
    }

    #[test]
    fn conflicting_or_meaningless_flags_are_refused() {
        assert_eq!(parse(&["--json", "--csv", "lab"]).unwrap_err().kind(), ErrorKind::ArgumentConflict);
        assert_eq!(parse(&["--seed", "3"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
        let e = parse(&["--branches", "0"]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ValueValidation);
        assert!(e.to_string().contains("--branches"), "{e}");
        let e = parse(&["--csv", "payroll"]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidValue);
        assert!(e.to_string().contains("leaderboard"), "the error lists what is allowed: {e}");
        assert_eq!(parse(&["--help"]).unwrap_err().kind(), ErrorKind::DisplayHelp);
    }

    #[test]
    fn csv_takes_every_domain_and_the_leaderboard() {
        for d in Domain::ALL {
            assert_eq!(parse(&["--csv", d.as_str()]).unwrap().csv, Some(CsvTable::Domain(d)));
        }
        assert_eq!(parse(&["--csv", "leaderboard"]).unwrap().csv, Some(CsvTable::Leaderboard));
        let a = parse(&["--branches", "12", "--seed", "3", "--json"]).unwrap();
        assert_eq!((a.branches, a.seed, a.json), (Some(12), 3, true));
    }
}
