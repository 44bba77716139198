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
//! odx [--month YYYY-MM] [--branches N [--seed S]] [--json | --csv TABLE]
//! ```
//! Arguments are parsed by clap (`odx --help`).
//! `--branches N` swaps the demo network for a generated network of N
//! branches; `--json` prints the reports as JSON instead of tables; `--csv
//! TABLE` prints one per-branch table as CSV: a domain (`financial`,
//! `operations`, ... `inventory`) or the Command Center's `leaderboard`.

use chrono::{Datelike, NaiveDate};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::Parser;
use comfy_table::{presets, CellAlignment, Table};
use num_format::{Locale, ToFormattedString};
use odx_core::calendar::CHURN_AFTER_MONTHS;
use odx_core::command::CommandCenter;
use odx_core::export::{report_csv, table_csv};
use odx_core::forecast::{ChurnForecast, NoShowForecast, RevenueForecast};
use odx_core::insights::Digest;
use odx_core::staff::LATE_AFTER_MINUTES;
use odx_core::targets::TargetMetric;
use odx_core::{
    AccountingMetrics, ClinicalMetrics, Comparison, Domain, FinancialMetrics, GroupBy, InventoryMetrics, LabMetrics,
    MeasureKind, MetricScope, OperationsMetrics, PatientsMetrics, Report, StaffMetrics, Tables,
};
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
        pkr(c.net_profit)
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

fn print_financial(r: &Report<FinancialMetrics>, names: &HashMap<i64, String>) {
    println!("FINANCIAL (PKR)");
    let row = |name: &str, m: &FinancialMetrics| -> Vec<String> {
        vec![
            name.to_owned(),
            pkr(m.billed),
            pkr(m.collected),
            pct(m.collection_rate),
            pkr(m.outstanding),
            pkr(m.ar_aging.days_61_90),
            pkr(m.ar_aging.over_90),
            m.avg_ticket.map_or("-".into(), pkr),
            pct(m.margin),
        ]
    };
    let rows = r.groups.iter().map(|g| row(branch(names, g.clinic_id), &g.metrics));
    println!(
        "{}",
        table(
            &["Branch", "Billed", "Collected", "Coll.", "Outstanding", "AR 61-90", "AR 90+", "Avg ticket", "Margin"],
            rows.chain([row("Network", &r.totals)])
        )
        .trim_fmt()
    );
    let ins = r.totals.outstanding_by_payer.insurance;
    println!(
        "  AR by payer: self {} / insurance {}; credits {}; direct cost {} (materials {} + lab {})\n",
        pkr(r.totals.outstanding_by_payer.self_pay),
        pkr(ins),
        pkr(r.totals.credits),
        pkr(r.totals.direct_cost),
        pkr(r.totals.materials_cost),
        pkr(r.totals.lab_cost)
    );
}

fn print_operations(r: &Report<OperationsMetrics>, names: &HashMap<i64, String>) {
    println!("OPERATIONS");
    let row = |name: &str, m: &OperationsMetrics| -> Vec<String> {
        vec![
            name.to_owned(),
            m.appointments.total.to_string(),
            m.appointments.completed.to_string(),
            pct(m.no_show_rate),
            pct(m.cancel_rate),
            m.appointments.missed.to_string(),
            m.no_show_bleed.map_or("-".into(), pkr),
            m.new_patients.to_string(),
            m.returning_patients.to_string(),
            pct(m.doctor_utilization),
            pct(m.chair_utilization),
        ]
    };
    let rows = r.groups.iter().map(|g| row(branch(names, g.clinic_id), &g.metrics));
    println!(
        "{}",
        table(
            &[
                "Branch",
                "Appts",
                "Completed",
                "No-show",
                "Cancel",
                "Missed",
                "Bleed PKR",
                "New",
                "Returning",
                "Dr util",
                "Chair"
            ],
            rows.chain([row("Network", &r.totals)])
        )
        .trim_fmt()
    );
    println!("  The network's no-show bleed prices its no-shows at the network's own average ticket.");
}

fn print_accounting(r: &Report<AccountingMetrics>, names: &HashMap<i64, String>) {
    println!("\nACCOUNTING, cash basis (PKR)");
    let row = |name: &str, m: &AccountingMetrics| -> Vec<String> {
        let rent = m.opex_by_category.iter().find(|l| l.category == "rent").map_or(Decimal::ZERO, |l| l.amount);
        vec![
            name.to_owned(),
            pkr(m.receipts),
            pkr(m.direct_cost),
            pkr(m.opex),
            pkr(m.payroll),
            pkr(rent),
            pkr(m.net_profit),
            pct(m.expense_ratio),
        ]
    };
    let rows = r.groups.iter().map(|g| row(branch(names, g.clinic_id), &g.metrics));
    println!(
        "{}",
        table(
            &["Branch", "Receipts", "Direct cost", "Opex", "Payroll", "Rent", "Net profit", "Exp/Rev"],
            rows.chain([row("Network", &r.totals)])
        )
        .trim_fmt()
    );
    println!(
        "  Exp/Rev: (direct cost + opex + payroll) / receipts; above 100% the branch spends more than it takes in."
    );
}

fn print_lab(r: &Report<LabMetrics>, names: &HashMap<i64, String>) {
    println!("\nLAB (open and overdue as of the end of the range)");
    let row = |name: &str, m: &LabMetrics| -> Vec<String> {
        let f = &m.figures;
        vec![
            name.to_owned(),
            f.open_cases.to_string(),
            f.overdue_cases.to_string(),
            pct(f.overdue_share),
            f.cases_sent.to_string(),
            pkr(f.lab_cost),
            f.cases_received.to_string(),
            f.avg_turnaround_days.map_or("-".into(), |d| format!("{:.1} d", d.round_dp(1))),
        ]
    };
    let rows = r.groups.iter().map(|g| row(branch(names, g.clinic_id), &g.metrics));
    println!(
        "{}",
        table(
            &["Branch", "Open", "Overdue", "Overdue%", "Sent", "Lab cost", "Received", "Turnaround"],
            rows.chain([row("Network", &r.totals)])
        )
        .trim_fmt()
    );
    let vendors: Vec<String> = r
        .totals
        .by_vendor
        .iter()
        .map(|v| format!("{} {} open / {} overdue", v.vendor, v.figures.open_cases, v.figures.overdue_cases))
        .collect();
    println!("  By vendor: {}", vendors.join("; "));
}

fn print_staff(r: &Report<StaffMetrics>, names: &HashMap<i64, String>) {
    println!("\nSTAFF (headcount and who is in on the last day)");
    let row = |name: &str, m: &StaffMetrics| -> Vec<String> {
        vec![
            name.to_owned(),
            m.headcount.to_string(),
            pct(m.attendance_rate),
            pct(m.absenteeism_rate),
            m.late_arrivals.to_string(),
            m.present_today.to_string(),
            m.on_leave_today.to_string(),
            pkr(m.payroll_cost),
            m.revenue_per_staff.map_or("-".into(), pkr),
        ]
    };
    let rows = r.groups.iter().map(|g| row(branch(names, g.clinic_id), &g.metrics));
    println!(
        "{}",
        table(
            &["Branch", "Staff", "Attend%", "Absent%", "Late", "In today", "Leave", "Payroll", "Rev/staff"],
            rows.chain([row("Network", &r.totals)])
        )
        .trim_fmt()
    );
    let roles: Vec<String> =
        r.totals.headcount_by_role.iter().map(|h| format!("{} {}", h.role.as_str(), h.staff)).collect();
    println!(
        "  By role: {}. Absent%: absent / (present + absent) working days; Late: more than {LATE_AFTER_MINUTES} \
         minutes.",
        roles.join(", ")
    );
}

fn print_clinical(r: &Report<ClinicalMetrics>, names: &HashMap<i64, String>) {
    println!("\nCLINICAL (treatment plans created in the range)");
    let row = |name: &str, m: &ClinicalMetrics| -> Vec<String> {
        vec![
            name.to_owned(),
            m.plans_created.to_string(),
            pct(m.acceptance_rate),
            pkr(m.pipeline_value),
            m.avg_plan_value.map_or("-".into(), pkr),
            pct(m.completion_rate),
            pct(m.quotation_conversion),
        ]
    };
    let rows = r.groups.iter().map(|g| row(branch(names, g.clinic_id), &g.metrics));
    println!(
        "{}",
        table(
            &["Branch", "Plans", "Accept%", "Pipeline", "Avg plan", "Complete%", "Quote%"],
            rows.chain([row("Network", &r.totals)])
        )
        .trim_fmt()
    );
    let top: Vec<String> = r
        .totals
        .top_procedures_by_revenue
        .iter()
        .take(3)
        .map(|l| format!("{} {} ({})", l.procedure_code, pkr(l.revenue), l.volume))
        .collect();
    println!("  Top procedures by revenue: {}.", top.join(", "));
}

fn print_patients(r: &Report<PatientsMetrics>, window_months: u32, names: &HashMap<i64, String>) {
    println!("\nPATIENTS (active over the {window_months} months up to the last day)");
    let row = |name: &str, m: &PatientsMetrics| -> Vec<String> {
        vec![
            name.to_owned(),
            m.patients_on_file.to_string(),
            m.active_patients.to_string(),
            m.new_patients.to_string(),
            pct(m.returning_share),
            m.recall_due.to_string(),
            m.recall_overdue.to_string(),
            m.churn_risk.to_string(),
        ]
    };
    let rows = r.groups.iter().map(|g| row(branch(names, g.clinic_id), &g.metrics));
    println!(
        "{}",
        table(
            &["Branch", "On file", "Active", "New", "Returning%", "Recall", "Overdue", "At risk"],
            rows.chain([row("Network", &r.totals)])
        )
        .trim_fmt()
    );
    let top: Vec<String> = r
        .totals
        .churn_list
        .iter()
        .take(3)
        .map(|p| {
            let branch = names.get(&p.clinic_id).map_or("?", String::as_str);
            format!("#{} at {branch} ({}, last seen {})", p.patient_id, pkr(p.lifetime_billed), p.last_visit_on)
        })
        .collect();
    println!(
        "  Most valuable at risk (last visit {CHURN_AFTER_MONTHS}+ months ago, nothing booked): {}.",
        top.join("; ")
    );
}

fn print_inventory(r: &Report<InventoryMetrics>, names: &HashMap<i64, String>) {
    println!("\nINVENTORY (stock as of the last day, consumption over the range)");
    let row = |name: &str, m: &InventoryMetrics| -> Vec<String> {
        vec![
            name.to_owned(),
            pkr(m.stock_value),
            m.out_of_stock.to_string(),
            m.low_stock.to_string(),
            m.expiring.to_string(),
            m.expired.to_string(),
            pkr(m.daily_consumption_value),
            m.days_of_cover.map_or("-".into(), |d| format!("{}d", d.round())),
            m.reorder_needed.to_string(),
        ]
    };
    let rows = r.groups.iter().map(|g| row(branch(names, g.clinic_id), &g.metrics));
    println!(
        "{}",
        table(
            &["Branch", "Stock value", "Out", "Low", "Expiring", "Expired", "Use/day", "Cover", "Reorder"],
            rows.chain([row("Network", &r.totals)])
        )
        .trim_fmt()
    );
    let name = |id: i64| names.get(&id).map_or("?".to_owned(), String::clone);
    for l in r.totals.rebalance.iter().take(5) {
        println!("  Transfer {} x {} from {} to {}", l.qty, l.sku, name(l.from_clinic_id), name(l.to_clinic_id));
    }
    if r.totals.rebalance.len() > 5 {
        println!("  ... and {} more transfers", r.totals.rebalance.len() - 5);
    }
}

fn run(args: &Args) -> Result<(), String> {
    let config = match args.branches {
        Some(n) => {
            let start = args.month.checked_sub_months(chrono::Months::new(5)).unwrap_or(args.month);
            let days = (month_end(args.month) - start).num_days() as u32 + 1;
            NetworkConfig::sized(n, start, days, args.seed)
        }
        None => NetworkConfig::demo(),
    };
    let tables: Tables = generate(&config);
    let scope = MetricScope::new(config.clinic_ids(), args.month, month_end(args.month), GroupBy::Clinic)
        .map_err(|e| e.to_string())?;
    let financial = tables.financial(&scope).map_err(|e| e.to_string())?;
    let operations = tables.operations(&scope).map_err(|e| e.to_string())?;
    let accounting = tables.accounting(&scope).map_err(|e| e.to_string())?;
    let lab = tables.lab(&scope).map_err(|e| e.to_string())?;
    let staff = tables.staff(&scope).map_err(|e| e.to_string())?;
    let clinical = tables.clinical(&scope).map_err(|e| e.to_string())?;
    let patients = tables.patients(&scope).map_err(|e| e.to_string())?;
    let inventory = tables.inventory(&scope).map_err(|e| e.to_string())?;
    if let Some(table) = args.csv {
        let csv = match table {
            CsvTable::Domain(Domain::Financial) => report_csv(&financial),
            CsvTable::Domain(Domain::Operations) => report_csv(&operations),
            CsvTable::Domain(Domain::Accounting) => report_csv(&accounting),
            CsvTable::Domain(Domain::Lab) => report_csv(&lab),
            CsvTable::Domain(Domain::Staff) => report_csv(&staff),
            CsvTable::Domain(Domain::Clinical) => report_csv(&clinical),
            CsvTable::Domain(Domain::Patients) => report_csv(&patients),
            CsvTable::Domain(Domain::Inventory) => report_csv(&inventory),
            CsvTable::Leaderboard => {
                let command = tables
                    .command(config.organization_id, None, scope.from(), scope.to())
                    .map_err(|e| e.to_string())?;
                table_csv(&command.leaderboard)
            }
        };
        print!("{}", csv.map_err(|e| e.to_string())?);
        return Ok(());
    }
    if args.json {
        let both = serde_json::json!({
            "financial": financial, "operations": operations, "accounting": accounting, "lab": lab, "staff": staff,
            "clinical": clinical, "patients": patients, "inventory": inventory
        });
        println!("{}", serde_json::to_string_pretty(&both).map_err(|e| e.to_string())?);
        return Ok(());
    }
    let names: HashMap<i64, String> = tables.clinics.iter().map(|c| (c.id, c.name.clone())).collect();
    println!(
        "odx: {} ({} branches, in memory), {} to {}, balances as of the end of {}\n",
        config.organization,
        config.branches.len(),
        scope.from(),
        scope.to(),
        scope.to()
    );
    let command = tables.command(config.organization_id, None, scope.from(), scope.to()).map_err(|e| e.to_string())?;
    let digest = tables.digest(config.organization_id, None, scope.from(), scope.to()).map_err(|e| e.to_string())?;
    print_command(&command, &digest, &names);
    print_comparison(&tables.compare(Domain::Financial, &scope).map_err(|e| e.to_string())?, &names);
    // the forecasts as head office would see them three weeks into the month
    let as_of = scope.from().with_day(21).unwrap_or(scope.to()).min(scope.to());
    let revenue = tables.forecast_revenue(scope.clinic_ids(), as_of).map_err(|e| e.to_string())?;
    let no_shows = tables.forecast_no_shows(scope.clinic_ids(), as_of).map_err(|e| e.to_string())?;
    let churn = tables.forecast_churn(scope.clinic_ids(), as_of).map_err(|e| e.to_string())?;
    print_forecasts((&revenue, &no_shows, &churn), &names);
    print_financial(&financial, &names);
    print_operations(&operations, &names);
    print_accounting(&accounting, &names);
    print_lab(&lab, &names);
    print_staff(&staff, &names);
    print_clinical(&clinical, &names);
    print_patients(&patients, scope.active_window_months(), &names);
    print_inventory(&inventory, &names);
    Ok(())
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
