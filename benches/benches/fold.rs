//! Fold throughput (rows per second on one core): the financial and
//! operations folds over a million generated rows, every domain's report
//! over the benchmark network's year, and the combine cost.
//!
//! `cargo bench -p odx-benches --bench fold`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use odx_benches::*;
use odx_core::rows::Tables;
use odx_core::{Domain, FinancialAcc, GroupBy, MetricScope, OperationsAcc};
use odx_fixtures::generator::{appointment_stream, generate, invoice_stream, NetworkConfig};
use std::hint::black_box;

const ROWS: u64 = 1_000_000;

fn financial(c: &mut Criterion) {
    let rows: Vec<_> = invoice_stream(BRANCHES, start(), DAYS, ROWS, 1).collect();
    let mut g = c.benchmark_group("financial");
    g.throughput(Throughput::Elements(ROWS));
    g.sample_size(20);
    for group_by in [GroupBy::Clinic, GroupBy::Doctor] {
        let frame = year_frame(group_by).expect("frame");
        g.bench_function(format!("fold_1m_invoice_rows_by_{group_by}"), |b| {
            b.iter(|| {
                let mut acc = FinancialAcc::with_frame(frame.clone());
                fold_invoices(&mut acc, &rows).expect("fold");
                black_box(acc)
            })
        });
    }
    // Check once that the fold counted what it was given.
    let mut acc = FinancialAcc::with_frame(year_frame(GroupBy::Clinic).expect("frame"));
    fold_invoices(&mut acc, &rows).expect("fold");
    let r = acc.finish().expect("finish");
    let counted: u64 = [
        r.totals.status_counts.draft,
        r.totals.status_counts.issued,
        r.totals.status_counts.partially_paid,
        r.totals.status_counts.paid,
        r.totals.status_counts.void,
    ]
    .iter()
    .sum();
    assert_eq!(counted, ROWS, "every generated invoice is in the year");
    g.finish();
}

fn operations(c: &mut Criterion) {
    let rows: Vec<_> = appointment_stream(BRANCHES, start(), DAYS, ROWS, 2).collect();
    let frame = year_frame(GroupBy::Clinic).expect("frame");
    let mut g = c.benchmark_group("operations");
    g.throughput(Throughput::Elements(ROWS));
    g.sample_size(20);
    g.bench_function("fold_1m_appointment_rows_by_clinic", |b| {
        b.iter(|| {
            let mut acc = OperationsAcc::with_frame(frame.clone());
            fold_appointments(&mut acc, &rows).expect("fold");
            black_box(acc)
        })
    });
    let mut acc = OperationsAcc::with_frame(frame);
    fold_appointments(&mut acc, &rows).expect("fold");
    assert_eq!(acc.finish().expect("finish").totals.appointments.total, ROWS);
    g.finish();
}

/// The rows a domain's report reads most of (its throughput unit).
fn main_rows(t: &Tables, d: Domain) -> (usize, &'static str) {
    match d {
        Domain::Financial => (t.invoices.len() + t.payments.len() + t.invoice_items.len(), "invoice_item_payment"),
        Domain::Operations => (t.appointments.len(), "appointment"),
        Domain::Accounting => {
            (t.payments.len() + t.invoice_items.len() + t.expenses.len() + t.payroll.len(), "money_movement")
        }
        Domain::Lab => (t.lab_cases.len(), "lab_case"),
        Domain::Staff => (t.attendance_days.len(), "attendance"),
        Domain::Clinical => (
            t.treatment_plans.len() + t.treatment_plan_procedures.len() + t.quotations.len(),
            "plan_procedure_quotation",
        ),
        Domain::Patients => (t.patients.len() + t.appointments.len(), "patient_visit"),
        Domain::Inventory => (t.inventory_items.len() + t.inventory_movements.len(), "stock_item_movement"),
    }
}

/// A domain's report computed in memory from the rows (core's own fold,
/// the one the in-memory path and the parity suites use).
fn report(t: &Tables, d: Domain, s: &MetricScope) -> odx_core::Result<usize> {
    Ok(match d {
        Domain::Financial => t.financial(s)?.groups.len(),
        Domain::Operations => t.operations(s)?.groups.len(),
        Domain::Accounting => t.accounting(s)?.groups.len(),
        Domain::Lab => t.lab(s)?.groups.len(),
        Domain::Staff => t.staff(s)?.groups.len(),
        Domain::Clinical => t.clinical(s)?.groups.len(),
        Domain::Patients => t.patients(s)?.groups.len(),
        Domain::Inventory => t.inventory(s)?.groups.len(),
    })
}

/// Every domain's fold over the benchmark network's year (40 branches, the
/// generator's tables), by branch: rows per second of the rows it reads.
fn every_domain(c: &mut Criterion) {
    let tables = generate(&NetworkConfig::sized(BRANCHES, start(), DAYS, 7));
    let end = start() + chrono::Duration::days(i64::from(DAYS) - 1);
    let scope = MetricScope::new(tables.clinics.iter().map(|c| c.id), start(), end, GroupBy::Clinic).expect("scope");
    let mut g = c.benchmark_group("every_domain");
    g.sample_size(10);
    for d in Domain::ALL {
        let (rows, what) = main_rows(&tables, d);
        assert_eq!(report(&tables, d, &scope).expect("report"), BRANCHES as usize, "{d:?}: one group per branch");
        g.throughput(Throughput::Elements(rows as u64));
        g.bench_function(format!("{}_year_40_branches_{what}_rows", d.as_str()), |b| {
            b.iter(|| black_box(report(&tables, d, &scope).expect("report")))
        });
    }
    g.finish();
}

/// Forty partial states, one per branch (a year of that branch's invoices),
/// combined into one: the cost per combined state.
fn combine(c: &mut Criterion) {
    let frame = year_frame(GroupBy::Clinic).expect("frame");
    let rows: Vec<_> = invoice_stream(BRANCHES, start(), DAYS, 200_000, 3).collect();
    let states: Vec<FinancialAcc> = (1..=BRANCHES as i64)
        .map(|id| {
            let mut acc = FinancialAcc::with_frame(frame.clone());
            fold_invoices(&mut acc, rows.iter().filter(|r| r.clinic_id == id)).expect("fold");
            acc
        })
        .collect();
    let mut g = c.benchmark_group("combine");
    g.throughput(Throughput::Elements(BRANCHES as u64));
    g.bench_function("combine_40_branch_states", |b| {
        b.iter_batched(
            || FinancialAcc::with_frame(frame.clone()),
            |mut total| {
                for s in &states {
                    total.combine(s).expect("combine");
                }
                black_box(total)
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("finish_40_branches_year", |b| {
        let mut total = FinancialAcc::with_frame(frame.clone());
        for s in &states {
            total.combine(s).expect("combine");
        }
        b.iter(|| black_box(total.finish().expect("finish")))
    });
    g.finish();
}

criterion_group!(benches, financial, operations, every_domain, combine);
criterion_main!(benches);
