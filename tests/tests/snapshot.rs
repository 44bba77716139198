//! One snapshot per report: a report read through a [`Snapshot`] (what the
//! Node engine does) does not see an invoice committed between two of its
//! statements; the same interleaving on the bare pool does, which is what
//! the snapshot prevents. The invoice is removed afterwards: the table is as
//! it was.

use chrono::NaiveDate;
use odx_core::{FinancialAcc, FinancialReport, GroupBy, MetricScope};
use odx_fixtures::known_answer;
use odx_sql::pg_sqlx::{self, EngineError, Outcome, Sink, Snapshot, Source};
use odx_sql::Param;
use odx_tests::{database_url, writer_url};
use rust_decimal::Decimal;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::Row;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const INVOICE_ID: i64 = 990_000_001;
const TOTAL: &str = "1234.00";

/// `inner`, with one invoice committed by another connection right after
/// its first statement.
struct Interleaved<'a, S> {
    inner: &'a S,
    writer: &'a PgPool,
    written: AtomicBool,
}

impl<S: Source<Error = sqlx::Error> + Sync> Source for Interleaved<'_, S> {
    type Error = sqlx::Error;

    async fn rows(&self, sql: &'static str, params: &[Param<'_>], each: &mut Sink<'_>) -> Result<(), EngineError> {
        self.inner.rows(sql, params, each).await?;
        if !self.written.swap(true, Ordering::SeqCst) {
            insert(self.writer).await;
        }
        Ok(())
    }
}

async fn insert(pool: &PgPool) {
    let patient: i64 =
        sqlx::query("SELECT min(id) FROM app.patients WHERE clinic_id = 1").fetch_one(pool).await.unwrap().get(0);
    sqlx::query(
        "INSERT INTO app.invoices (id, clinic_id, patient_id, issued_at, total, status, payer)
         VALUES ($1, 1, $2, '2026-06-10 10:00+05', $3::numeric, 'issued', 'self')",
    )
    .bind(INVOICE_ID)
    .bind(patient)
    .bind(TOTAL)
    .execute(pool)
    .await
    .unwrap();
}

async fn remove(pool: &PgPool) {
    sqlx::query("DELETE FROM app.invoices WHERE id = $1").bind(INVOICE_ID).execute(pool).await.unwrap();
}

async fn invoices(pool: &PgPool) -> i64 {
    sqlx::query("SELECT count(*) FROM app.invoices").fetch_one(pool).await.unwrap().get(0)
}

fn report(o: Outcome<FinancialReport>) -> FinancialReport {
    match o {
        Outcome::Report(r) => r,
        Outcome::Degraded(m) => panic!("degraded: {m:?}"),
    }
}

#[tokio::test]
async fn a_write_between_two_statements_does_not_split_a_report() {
    // Read as the suites do (SELECT only); write as the owner.
    let pool = PgPoolOptions::new().max_connections(4).connect(&database_url()).await.unwrap();
    let owner = PgPoolOptions::new().max_connections(1).connect(&writer_url()).await.unwrap();
    let scope = MetricScope::new(
        known_answer::CLINICS,
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        GroupBy::Clinic,
    )
    .unwrap();
    let before_rows = invoices(&pool).await;
    let denied = sqlx::query("DELETE FROM app.invoices WHERE id = $1").bind(INVOICE_ID).execute(&pool).await;
    assert!(
        matches!(denied, Err(sqlx::Error::Database(ref e)) if e.code().as_deref() == Some("42501")),
        "the suites' role may only read: {denied:?}"
    );
    let before = report(pg_sqlx::compute::<FinancialAcc, _>(&pool, &scope).await.unwrap());

    // Through one snapshot: the report is the one before the write.
    let snap = Snapshot::begin(&pool, Some(Duration::from_secs(30))).await.unwrap();
    let outcome = {
        let src = Interleaved { inner: &snap, writer: &owner, written: AtomicBool::new(false) };
        pg_sqlx::compute::<FinancialAcc, _>(&src, &scope).await
    };
    let whole = report(snap.end(outcome).await.unwrap());
    let after = report(pg_sqlx::compute::<FinancialAcc, _>(&pool, &scope).await.unwrap());
    remove(&owner).await;
    assert_eq!(whole, before, "the snapshot's report is the one before the write");
    assert_eq!(after.totals.billed - before.totals.billed, TOTAL.parse::<Decimal>().unwrap(), "the write counts after");

    // On the bare pool the same interleaving splits the report: the later
    // statements see the invoice (billed), the earlier did not.
    let bare = Interleaved { inner: &pool, writer: &owner, written: AtomicBool::new(false) };
    let split = report(pg_sqlx::compute::<FinancialAcc, _>(&bare, &scope).await.unwrap());
    remove(&owner).await;
    assert_ne!(split, before, "without a snapshot the write is seen by the statements after it");
    assert_eq!(invoices(&pool).await, before_rows, "nothing left behind");
}
