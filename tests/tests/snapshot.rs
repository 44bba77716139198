//! One snapshot per report: a report read through a [`Snapshot`] (what the
//! Node engine does) does not see an invoice committed between two of its
//! statements; the same interleaving on the bare pool does, which is what
//! the snapshot prevents. The invoice is removed afterwards: the table is as
//! it was. Inside PostgreSQL, a call's statements read the calling query's
//! snapshot, in a transaction that has written too.

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
/// The shared-snapshot test's own invoice (the tests run side by side).
const SHARED_ID: i64 = 990_000_002;
/// The extension test's invoice (written in a transaction rolled back).
const STATEMENT_ID: i64 = 990_000_003;
const TOTAL: &str = "1234.00";

/// Held by each test for its whole run: both count every invoice before
/// and after, so one test's invoice, written while the other counts, would
/// read as left behind (the tests of a binary run in parallel).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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
    insert_id(pool, INVOICE_ID).await;
}

async fn insert_id(pool: &PgPool, id: i64) {
    let patient: i64 =
        sqlx::query("SELECT min(id) FROM app.patients WHERE clinic_id = 1").fetch_one(pool).await.unwrap().get(0);
    sqlx::query(
        "INSERT INTO app.invoices (id, clinic_id, patient_id, issued_at, total, status, payer)
         VALUES ($1, 1, $2, '2026-06-10 10:00+05', $3::numeric, 'issued', 'self')",
    )
    .bind(id)
    .bind(patient)
    .bind(TOTAL)
    .execute(pool)
    .await
    .unwrap();
}

async fn remove(pool: &PgPool) {
    remove_id(pool, INVOICE_ID).await;
}

async fn remove_id(pool: &PgPool, id: i64) {
    sqlx::query("DELETE FROM app.invoices WHERE id = $1").bind(id).execute(pool).await.unwrap();
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
    let _alone = ONE_AT_A_TIME.lock().await;
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

/// Counts the test invoice and names the backend that ran the statement,
/// slowly enough that the connections of a batch each take some.
const SEEN_BY: &str = "SELECT count(*)::int8 AS invoices, pg_backend_pid()::int8 AS backend
FROM app.invoices, pg_sleep(0.05) WHERE id = $1";

#[tokio::test]
async fn a_shared_snapshot_reads_on_several_connections_and_sees_one_snapshot() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let pool = PgPoolOptions::new().max_connections(4).connect(&database_url()).await.unwrap();
    let owner = PgPoolOptions::new().max_connections(1).connect(&writer_url()).await.unwrap();
    let before_rows = invoices(&pool).await;
    // Idle connections, as an engine's pool has once warm.
    let warm: Vec<_> = futures::future::join_all((0..4).map(|_| pool.acquire())).await;
    drop(warm);
    // A dropped connection goes back to the pool on a task of its own.
    for _ in 0..100 {
        if pool.num_idle() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(pool.num_idle() >= 3, "idle connections: {}", pool.num_idle());

    let snap = Snapshot::begin_shared(&pool, Some(Duration::from_secs(30)), 3).await.unwrap();
    assert_eq!(snap.connections(), 3, "two idle connections joined the snapshot");
    // Committed after the snapshot began: no connection of it sees it.
    insert_id(&owner, SHARED_ID).await;
    let id = [Param::Id(SHARED_ID)];
    let statements: Vec<(&'static str, &[Param<'_>])> = (0..6).map(|_| (SEEN_BY, &id[..])).collect();
    let mut seen = Vec::new();
    let outcome = snap
        .batch(&statements, &mut |i, r| {
            seen.push((i, r.int8("invoices")?.unwrap_or(-1), r.int8("backend")?.unwrap_or(0)));
            Ok(())
        })
        .await;
    snap.end(outcome).await.unwrap();
    let now: i64 = sqlx::query("SELECT count(*) FROM app.invoices WHERE id = $1")
        .bind(SHARED_ID)
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    remove_id(&owner, SHARED_ID).await;

    assert_eq!(now, 1, "the invoice was committed");
    assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), (0..6).collect::<Vec<_>>(), "every statement, in order");
    assert!(seen.iter().all(|s| s.1 == 0), "every connection read the one snapshot: {seen:?}");
    let mut backends: Vec<i64> = seen.iter().map(|s| s.2).collect();
    backends.sort_unstable();
    backends.dedup();
    assert!(backends.len() >= 2, "the statements ran on several connections: {seen:?}");
    assert_eq!(invoices(&pool).await, before_rows, "nothing left behind");

    // With no idle connection the snapshot reads on its one connection.
    let held: Vec<_> = futures::future::join_all((0..3).map(|_| pool.acquire())).await;
    let alone = Snapshot::begin_shared(&pool, None, 3).await.unwrap();
    assert_eq!(alone.connections(), 1, "never waits for a connection");
    alone.end(Ok(())).await.unwrap();
    drop(held);
}

/// The billed total of clinic 1 in June, as `odx_financial` reports it, in
/// a statement reading `from` (a `FROM` clause).
fn billed_in(from: &str) -> String {
    format!(
        "SELECT (odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', as_of => '2026-07-01T00:00Z')
         -> 'totals' ->> 'billed')::text {from}"
    )
}

/// The extension's functions are `STABLE`: their statements read the
/// snapshot of the query that called them, as PostgreSQL runs a `STABLE` SQL
/// or PL/pgSQL function's, in a transaction that has already written too.
/// An invoice written earlier in the calling statement (by a function in its
/// `FROM`) is not seen; the next statement sees it. They ran read-write once
/// the transaction had an id, each on a fresh snapshot: a write committed
/// between two of a call's statements could split its report, and this
/// one was seen. The transaction is rolled back: nothing is left.
#[tokio::test]
async fn the_extension_reads_the_calling_querys_snapshot_after_a_write() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let pool = PgPoolOptions::new().max_connections(1).connect(&database_url()).await.unwrap();
    let mut owner = <sqlx::PgConnection as sqlx::Connection>::connect(&writer_url()).await.unwrap();
    let before_rows = invoices(&pool).await;
    let mut tx = sqlx::Connection::begin(&mut owner).await.unwrap();
    // Written by this test, of its own constants.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE FUNCTION pg_temp.bill() RETURNS int LANGUAGE plpgsql VOLATILE AS $f$
         BEGIN
           INSERT INTO app.invoices (id, clinic_id, patient_id, issued_at, total, status, payer)
           SELECT {STATEMENT_ID}, 1, min(id), '2026-06-10 10:00+05', {TOTAL}, 'issued', 'self'
           FROM app.patients WHERE clinic_id = 1;
           RETURN 1;
         END $f$"
    )))
    .execute(&mut *tx)
    .await
    .unwrap();
    let billed = async |tx: &mut sqlx::PgConnection, from: &str| -> Decimal {
        let text: String = sqlx::query(sqlx::AssertSqlSafe(billed_in(from))).fetch_one(tx).await.unwrap().get(0);
        text.parse().unwrap()
    };
    let before = billed(&mut tx, "").await;
    let same_statement = billed(&mut tx, "FROM (SELECT pg_temp.bill() OFFSET 0) AS written").await;
    let written: i64 = sqlx::query("SELECT count(*) FROM app.invoices WHERE id = $1")
        .bind(STATEMENT_ID)
        .fetch_one(&mut *tx)
        .await
        .unwrap()
        .get(0);
    let next_statement = billed(&mut tx, "").await;
    tx.rollback().await.unwrap();

    assert_eq!(written, 1, "the invoice was written in the transaction");
    assert_eq!(same_statement, before, "not seen by the statement that wrote it");
    assert_eq!(next_statement - before, TOTAL.parse::<Decimal>().unwrap(), "seen by the next statement");
    assert_eq!(invoices(&pool).await, before_rows, "nothing left behind");
}
