//! Peak memory of a fold: streams N generated rows (never held) through the
//! financial and operations accumulators and prints the process's peak
//! resident set (VmHWM) and the rows per second of the run.
//!
//! `cargo run --release -p odx-benches --bin fold_memory -- 10000000`

use odx_benches::*;
use odx_core::{FinancialAcc, GroupBy, OperationsAcc};
use odx_fixtures::generator::{appointment_stream, invoice_stream};
use std::time::Instant;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The peak memory of folding ROWS facts in memory.
#[derive(Debug, clap::Parser)]
#[command(name = "fold_memory", version)]
struct Args {
    /// Facts to fold.
    #[arg(default_value_t = 1_000_000)]
    rows: u64,
}

fn main() -> std::process::ExitCode {
    let n = <Args as clap::Parser>::parse().rows;
    let run = || -> odx_core::Result<()> {
        let before = peak_rss_kib().unwrap_or(0);
        let mut fin = FinancialAcc::with_frame(year_frame(GroupBy::Doctor)?);
        let t = Instant::now();
        let mut count = 0u64;
        for row in invoice_stream(BRANCHES, start(), DAYS, n, 1) {
            fold_invoices(&mut fin, std::iter::once(&row))?;
            count += 1;
        }
        let fin_secs = t.elapsed().as_secs_f64();
        let mut ops = OperationsAcc::with_frame(year_frame(GroupBy::Doctor)?);
        let t = Instant::now();
        for row in appointment_stream(BRANCHES, start(), DAYS, n, 2) {
            fold_appointments(&mut ops, std::iter::once(&row))?;
        }
        let ops_secs = t.elapsed().as_secs_f64();
        let report = fin.finish()?;
        let groups = report.groups.len();
        println!("rows per domain: {count}");
        println!("groups (clinic x doctor): {groups}");
        println!("financial fold incl. generation: {:.1} M rows/s", count as f64 / fin_secs / 1e6);
        println!("operations fold incl. generation: {:.1} M rows/s", count as f64 / ops_secs / 1e6);
        println!("peak RSS before folding: {} KiB", before);
        println!("peak RSS after both folds: {} KiB", peak_rss_kib().unwrap_or(0));
        Ok(())
    };
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
