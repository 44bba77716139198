//! Shared set-up of the benchmarks: a year of 40 branches, streamed rows,
//! and folds that the criterion benches and the memory probe both run.
#![deny(missing_docs)]

pub mod screens;
pub mod side_by_side;

use chrono::NaiveDate;
use odx_core::rows::{AppointmentRow, InvoiceRow};
use odx_core::{ClinicDirectory, FinancialAcc, Frame, GroupBy, InvoiceStatus, MetricScope, OperationsAcc, Result};
use rust_decimal::Decimal;

/// How long the timed rounds of one case may take in all, going by its
/// warm-up, before [`rounds`] stops adding any.
pub const ROUND_BUDGET: std::time::Duration = std::time::Duration::from_secs(3);

/// The most timed rounds a case gets.
pub const MAX_ROUNDS: usize = 1001;

/// How many alternating rounds a case is timed for: at least `runs`, and as
/// many more as fit in [`ROUND_BUDGET`] at the pace of its warm-up (both
/// sides), up to [`MAX_ROUNDS`]. A case of a few milliseconds is timed
/// several hundred times, over seconds, so that its median is neither one
/// round's noise nor one moment's (the network overview, about 1.3 ms a
/// side, was timed over half a second at 1 s and 201 rounds); a case of
/// seconds stays at `runs`.
pub fn rounds(runs: usize, warm_up: std::time::Duration) -> usize {
    let fit = ROUND_BUDGET.as_secs_f64() / warm_up.as_secs_f64().max(1e-6);
    // `fit` is positive and finite; the cast saturates.
    runs.max((fit as usize).min(MAX_ROUNDS))
}

/// The median of `xs` (the upper middle one of an even count; zero for none).
pub fn median(mut xs: Vec<std::time::Duration>) -> std::time::Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

/// Milliseconds as the tables print them: two decimals under 10 ms, one
/// above.
pub fn ms(d: std::time::Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.1}")
    }
}

/// The benchmark database `scripts/bench-data.sh` loads.
pub const DEFAULT_BENCH_URL: &str = "postgres://odx_reader:odx_reader@127.0.0.1:5432/odx_bench";

/// `--domain NAME` for clap: one of core's domain names.
pub fn domain_parser() -> impl clap::builder::TypedValueParser<Value = odx_core::Domain> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(odx_core::Domain::ALL.iter().map(|d| d.as_str()))
        .try_map(|name| odx_core::Domain::parse(&name).ok_or("not a domain"))
}

/// The `main` of a database binary: options parsed by `opts` (clap exits 2
/// on a bad argument; an error `opts` returns exits 2 too), then `run` on a one-thread tokio runtime; an error is printed
/// with the binary's `name` and exits 1.
pub fn database_main<O, T, F>(
    name: &str,
    opts: impl FnOnce() -> std::result::Result<O, String>,
    run: impl FnOnce(O) -> F,
    done: impl FnOnce(T),
) -> std::process::ExitCode
where
    F: std::future::Future<Output = std::result::Result<T, side_by_side::Failure>>,
{
    let o = match opts() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(side_by_side::Failure::from)
        .and_then(|runtime| runtime.block_on(run(o)));
    match outcome {
        Ok(value) => {
            done(value);
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Branches of the benchmark network.
pub const BRANCHES: u32 = 40;
/// First day of the benchmark year.
pub fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}
/// Days of the benchmark year.
pub const DAYS: u32 = 365;

/// The frame of the benchmark year over all branches (monthly trend).
///
/// # Errors
/// Never for these constants; typed errors are passed on.
pub fn year_frame(group_by: GroupBy) -> Result<Frame> {
    let end = start() + chrono::Duration::days(DAYS as i64 - 1);
    let scope = MetricScope::new(1..=BRANCHES as i64, start(), end, group_by)?;
    Frame::new(&scope, &ClinicDirectory::with_default_zone(1..=BRANCHES as i64))
}

/// Folds invoice rows into a financial accumulator, each row classified for
/// the trend and for AR aging (paid invoices count as fully paid by the
/// as-of, others as unpaid).
///
/// # Errors
/// Typed core errors.
pub fn fold_invoices<'a>(acc: &mut FinancialAcc, rows: impl IntoIterator<Item = &'a InvoiceRow>) -> Result<()> {
    for r in rows {
        let paid = Some(if r.status == InvoiceStatus::Paid { r.total } else { Decimal::ZERO });
        acc.accum_invoice_row(r.clinic_id, r.doctor_id, r.issued_at, r.status, r.payer, r.total, Decimal::ZERO, paid)?;
    }
    Ok(())
}

/// Folds appointment rows into an operations accumulator.
///
/// # Errors
/// Typed core errors.
pub fn fold_appointments<'a>(
    acc: &mut OperationsAcc,
    rows: impl IntoIterator<Item = &'a AppointmentRow>,
) -> Result<()> {
    for r in rows {
        acc.accum_appointment_row(
            r.clinic_id,
            r.doctor_id,
            r.room_id.is_some(),
            r.starts_at,
            r.duration_min,
            r.status,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{median, ms, rounds, MAX_ROUNDS};
    use std::time::Duration;

    #[test]
    fn fast_cases_get_more_rounds_and_slow_ones_the_runs_asked() {
        assert_eq!(rounds(3, Duration::from_millis(2)), MAX_ROUNDS);
        assert_eq!(rounds(3, Duration::from_millis(100)), 30);
        assert_eq!(rounds(3, Duration::from_millis(500)), 6);
        assert_eq!(rounds(3, Duration::from_millis(1500)), 3);
        assert_eq!(rounds(3, Duration::from_secs(4)), 3);
        assert_eq!(rounds(3, Duration::ZERO), MAX_ROUNDS);
        assert_eq!(rounds(2000, Duration::from_millis(2)), 2000);
    }

    #[test]
    fn medians_and_milliseconds() {
        let d = |ms: u64| Duration::from_millis(ms);
        assert_eq!(median(vec![d(5), d(1), d(3)]), d(3));
        assert_eq!(median(vec![]), Duration::ZERO);
        assert_eq!(ms(Duration::from_micros(1_834)), "1.83");
        assert_eq!(ms(Duration::from_micros(74_640)), "74.6");
    }
}
