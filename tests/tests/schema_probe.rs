//! The extension keeps the schema probe per backend (`SpiSource::columns`):
//! a warm backend must still see a column that another session renames,
//! and its own uncommitted renaming, and never keep the latter. Runs alone
//! in its binary: it renames a column of `odx_test` for a moment (as the
//! owner) and puts it back before it asserts anything.

use odx_fixtures::known_answer;
use odx_tests::{database_url, writer_url};
use serde_json::Value;
use sqlx::{Connection, PgConnection, Row};

const LAB: &str = "SELECT odx_lab($1::bigint[], '2026-06-01', '2026-06-30')::text";
const RENAME: &str = "ALTER TABLE app.lab_cases RENAME COLUMN vendor TO vendor_renamed_by_a_test";
const RENAME_BACK: &str = "ALTER TABLE app.lab_cases RENAME COLUMN vendor_renamed_by_a_test TO vendor";

/// The lab report, or the error (never a panic while a column is renamed:
/// it is put back first).
async fn lab(conn: &mut PgConnection) -> Result<Value, String> {
    let row = sqlx::query(LAB).bind(known_answer::CLINICS.to_vec()).fetch_one(conn).await.map_err(|e| e.to_string())?;
    serde_json::from_str(&row.get::<String, _>(0)).map_err(|e| e.to_string())
}

async fn columns(conn: &mut PgConnection) -> Vec<String> {
    sqlx::query(
        "SELECT attname::text FROM pg_attribute WHERE attrelid = 'app.lab_cases'::regclass AND attnum > 0
         AND NOT attisdropped ORDER BY attnum",
    )
    .fetch_all(conn)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

fn missing(v: &Result<Value, String>) -> Value {
    match v {
        Ok(v) if v["degraded"] == Value::Bool(true) => v["missing"].clone(),
        other => panic!("not degraded: {other:?}"),
    }
}

#[tokio::test]
async fn a_warm_backend_sees_a_renamed_column_at_once() {
    // One backend each: the reader's keeps its probe between calls.
    let mut reader = PgConnection::connect(&database_url()).await.unwrap();
    let mut owner = PgConnection::connect(&writer_url()).await.unwrap();
    let before_columns = columns(&mut owner).await;
    let warm = (lab(&mut reader).await.unwrap(), lab(&mut reader).await.unwrap());

    // Another session renames a column the lab report reads, and commits.
    sqlx::query(RENAME).execute(&mut owner).await.unwrap();
    let renamed = lab(&mut reader).await;
    sqlx::query(RENAME_BACK).execute(&mut owner).await.unwrap();
    let back = lab(&mut reader).await;

    // The owner's own renaming, not committed: seen by its own calls, never
    // kept past the rollback.
    let mut tx = owner.begin().await.unwrap();
    let own_before = lab(&mut tx).await;
    sqlx::query(RENAME).execute(&mut *tx).await.unwrap();
    let own = lab(&mut tx).await;
    tx.rollback().await.unwrap();
    let after_rollback = lab(&mut owner).await;
    let after_columns = columns(&mut owner).await;

    assert_eq!(after_columns, before_columns, "the column is back: nothing left changed");
    assert!(warm.0["totals"].is_object(), "a report: {}", warm.0);
    assert_eq!(warm.0, warm.1);
    assert_eq!(missing(&renamed), serde_json::json!(["app.lab_cases.vendor"]));
    assert_eq!(back, Ok(warm.0.clone()), "renamed back: the report again");
    assert_eq!(own_before, Ok(warm.0.clone()));
    assert_eq!(missing(&own), serde_json::json!(["app.lab_cases.vendor"]), "its own renaming");
    assert_eq!(after_rollback, Ok(warm.0), "rolled back: the report again");
}
