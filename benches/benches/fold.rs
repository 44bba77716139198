//! Fold throughput (rows per second on one core) and combine cost.
//!
//! `cargo bench -p odx-benches --bench fold`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use odx_benches::*;
use odx_core::{FinancialAcc, GroupBy, OperationsAcc};
use odx_fixtures::generator::{appointment_stream, invoice_stream};
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

criterion_group!(benches, financial, operations, combine);
criterion_main!(benches);
