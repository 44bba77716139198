//! Each fact once per call: a Command Center whose range is not the month
//! to date reads its range and its month to date, at one as-of instant, in
//! one pass over the invoices, payments and appointments.
//! Counted on the real database: no statement reaches it twice with the
//! same values (the receivables, the schema probe and the clinic directory
//! are shared; the financial rows serve operations' billed totals and
//! accounting's materials and receipts), and the answer is core's in-memory
//! one.

use chrono::NaiveDate;
use odx_core::Period;
use odx_fixtures::known_answer::{tables, ORG_ID};
use odx_sql::pg_sqlx::{EngineError, Outcome, Sink, Source};
use odx_sql::{Domain, DomainSql, Param, QueryKind};
use odx_tests::database_url;
use sqlx::postgres::{PgPool, PgPoolOptions};
use std::sync::Mutex;

/// The pool, noting every statement it runs with the values bound.
struct Counted<'a> {
    pool: &'a PgPool,
    ran: Mutex<Vec<(&'static str, String)>>,
}

impl Source for Counted<'_> {
    type Error = sqlx::Error;

    async fn rows(&self, sql: &'static str, params: &[Param<'_>], each: &mut Sink<'_>) -> Result<(), EngineError> {
        self.ran.lock().unwrap().push((sql, format!("{params:?}")));
        self.pool.rows(sql, params, each).await
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[tokio::test]
async fn the_command_centers_range_and_month_to_date_share_each_statement() {
    let pool = PgPoolOptions::new().max_connections(2).connect(&database_url()).await.unwrap();
    let ranges = [
        ("2026-05-20", "2026-06-15"),
        ("2026-04-01", "2026-06-30"),
        ("2026-06-10", "2026-06-20"),
        ("2026-06-01", "2026-06-30"),
    ];
    for (from, to) in ranges {
        let period = Period::new(d(from), d(to));
        let counted = Counted { pool: &pool, ran: Mutex::new(Vec::new()) };
        let center = match odx_sql::source::command(&counted, ORG_ID, None, None, (period, None)).await.unwrap() {
            Outcome::Report(c) => c,
            Outcome::Degraded(m) => panic!("degraded: {m:?}"),
        };
        assert_eq!(center, tables().command(ORG_ID, None, period).unwrap(), "{from}..{to}");

        let ran = counted.ran.into_inner().unwrap();
        // Bound values differ only where the statement does not read them
        // (the scope's other parameters), never for the same text and values.
        let twice: Vec<_> = ran.iter().filter(|s| ran.iter().filter(|t| t == s).count() > 1).collect();
        assert!(twice.is_empty(), "{from}..{to}: ran twice: {:?}", twice.first().map(|s| &s.0[..60]));
        let receivables = ran.iter().filter(|(sql, _)| sql.contains("late_amount")).count();
        assert_eq!(receivables, 1, "{from}..{to}: the receivables of one as-of instant are read once");
        let probes = ran.iter().filter(|(sql, _)| *sql == odx_sql::COLUMNS_SQL).count();
        assert_eq!(probes, 1, "{from}..{to}: the schema is probed once");
        assert!(
            !ran.iter().any(|(sql, _)| sql.contains("array_agg(a.doctor_id)")),
            "{from}..{to}: the console does not read new and returning patients"
        );
        // The range and the month to date scan invoices, payments and
        // appointments once, together (the month to date is within the
        // range, or the range within the month).
        for (domain, kind) in [
            (Domain::Financial, QueryKind::Invoices),
            (Domain::Financial, QueryKind::Payments),
            (Domain::Operations, QueryKind::Appointments),
        ] {
            let q = domain.queries().iter().find(|q| q.kind == kind).unwrap();
            let scans = ran.iter().filter(|(sql, _)| *sql == q.sql).count();
            assert_eq!(scans, 1, "{from}..{to}: {kind:?} scanned {scans} times");
        }
        // The billed totals, materials and receipts come from the financial
        // domain's invoice and payment rows, not from statements of their own.
        for domain in [Domain::Operations, Domain::Accounting] {
            for q in domain.queries().iter().filter(|q| q.kind.served_by().is_some()) {
                assert!(!ran.iter().any(|(sql, _)| *sql == q.sql), "{from}..{to}: {domain:?} ran its {:?}", q.kind);
            }
        }
    }
}
