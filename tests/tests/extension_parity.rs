//! The extension inside the real server returns exactly what core computes on
//! the same rows: `odx_<domain>` (jsonb) of every domain equals the
//! in-memory reports field for field, for every clinic alone and for the
//! network; the `_by_branch` tables agree with the jsonb rows; bad input gets
//! the right SQLSTATE; missing relations degrade instead of failing.

use odx_core::Period;
use odx_core::{GroupBy, MetricScope, Tables};
use odx_fixtures::generator::{generate, NetworkConfig};
use odx_fixtures::known_answer;
use odx_tests::{database_url, database_url_for, in_memory};
use serde_json::Value;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::Row;

async fn pool(url: &str) -> PgPool {
    PgPoolOptions::new().max_connections(2).connect(url).await.unwrap_or_else(|e| panic!("connect {url}: {e}"))
}

async fn call(pool: &PgPool, function: &str, ids: &[i64], from: &str, to: &str, group_by: &str) -> Value {
    call_at(pool, function, ids, (from, to), group_by, None).await
}

/// `function(ids, from, to, group_by[, as_of => at])`.
async fn call_at(
    pool: &PgPool,
    function: &str,
    ids: &[i64],
    (from, to): (&str, &str),
    group_by: &str,
    at: Option<&str>,
) -> Value {
    let as_of = if at.is_some() { ", as_of => $5::timestamptz" } else { "" };
    let sql = format!("SELECT {function}($1, $2::date, $3::date, $4{as_of})::text");
    let text: String = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ids)
        .bind(from)
        .bind(to)
        .bind(group_by)
        .bind(at)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{function}: {e}"))
        .get(0);
    serde_json::from_str(&text).unwrap()
}

fn with_degraded_false(mut v: Value) -> Value {
    v.as_object_mut().unwrap().insert("degraded".into(), Value::Bool(false));
    v
}

async fn assert_extension_equals_core(pool: &PgPool, tables: &Tables, ids: &[i64], from: &str, to: &str) {
    assert_extension_equals_core_at(pool, tables, ids, (from, to), None).await
}

/// Every domain of the extension read at `at` (an RFC 3339 instant; `None`:
/// its default, `now()`, against core's closed period: the fixtures'
/// periods are past) equals core's.
async fn assert_extension_equals_core_at(
    pool: &PgPool,
    tables: &Tables,
    ids: &[i64],
    (from, to): (&str, &str),
    at: Option<&str>,
) {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let now = at.map(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&chrono::Utc));
    let mut cases: Vec<(Vec<i64>, GroupBy)> =
        [GroupBy::Clinic, GroupBy::Doctor, GroupBy::None].into_iter().map(|g| (ids.to_vec(), g)).collect();
    cases.extend(ids.iter().map(|id| (vec![*id], GroupBy::Clinic)));
    for (ids, g) in cases {
        let scope = odx_core::Period::new(d(from), d(to)).at(now).scope(ids.iter().copied(), g).unwrap();
        for domain in odx_sql::Domain::ALL {
            let function = format!("odx_{}", domain.as_str());
            let want = with_degraded_false(in_memory(tables, domain, &scope).unwrap());
            let got = call_at(pool, &function, &ids, (from, to), g.as_str(), at).await;
            assert_eq!(got, want, "{function}({ids:?}, {from}, {to}, {g}, as_of {at:?}) == core");
        }
    }
}

#[tokio::test]
async fn jsonb_functions_equal_core_on_the_known_answer_fixture() {
    let pool = pool(&database_url()).await;
    let t = known_answer::tables();
    assert_extension_equals_core(&pool, &t, &known_answer::CLINICS, known_answer::FROM, known_answer::TO).await;
    assert_extension_equals_core(&pool, &t, &known_answer::CLINICS, "2026-01-01", "2026-06-30").await;
}

/// The instants of the as-of known answers (EXPECTED.md, "A month in
/// progress"): mid-month, the last minute before Karachi's midnight, and
/// past Karachi's midnight but before Dubai's (the two branches then read
/// different local dates), and one before the period (wholly in the future).
pub const AS_OF_CASES: [&str; 5] = [
    "2026-06-15T12:00:00+05:00",
    "2026-06-15T23:59:00+05:00",
    "2026-06-15T19:30:00Z",
    "2026-06-15T20:30:00Z",
    "2026-05-20T12:00:00+05:00",
];

#[tokio::test]
async fn jsonb_functions_read_at_an_instant_equal_core() {
    let pool = pool(&database_url()).await;
    let t = known_answer::tables();
    for at in AS_OF_CASES {
        let range = (known_answer::FROM, known_answer::TO);
        assert_extension_equals_core_at(&pool, &t, &known_answer::CLINICS, range, Some(at)).await;
    }
}

#[tokio::test]
async fn jsonb_functions_equal_core_on_the_demo_network() {
    let pool = pool(&database_url()).await;
    let config = NetworkConfig::demo();
    assert_extension_equals_core(&pool, &generate(&config), &config.clinic_ids(), "2026-06-01", "2026-06-30").await;
}

#[tokio::test]
async fn the_active_window_argument_is_cores() {
    let pool = pool(&database_url()).await;
    let config = NetworkConfig::demo();
    let t = generate(&config);
    let ids = config.clinic_ids();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    for months in [1, 6, 18, 120] {
        let scope = MetricScope::new(ids.iter().copied(), d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic)
            .unwrap()
            .with_active_window_months(months)
            .unwrap();
        let want = with_degraded_false(serde_json::to_value(t.patients(&scope).unwrap()).unwrap());
        let got: String = sqlx::query("SELECT odx_patients($1, '2026-06-01', '2026-06-30', 'clinic', $2)::text")
            .bind(&ids)
            .bind(months as i32)
            .fetch_one(&pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(serde_json::from_str::<Value>(&got).unwrap(), want, "active window {months} months");
    }
}

#[tokio::test]
async fn by_branch_tables_agree_with_the_jsonb_rows() {
    let pool = pool(&database_url()).await;
    let ids = NetworkConfig::demo().clinic_ids();
    let json = call(&pool, "odx_financial", &ids, "2026-06-01", "2026-06-30", "clinic").await;
    let rows = sqlx::query(
        "SELECT clinic_id, billed::text, collected::text, outstanding::text, ar_90_plus::text, margin::text
         FROM odx_financial_by_branch($1, '2026-06-01', '2026-06-30') ORDER BY clinic_id",
    )
    .bind(&ids)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), ids.len());
    let dec = |v: &Value| v.as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
    let col = |r: &sqlx::postgres::PgRow, i: usize| r.get::<String, _>(i).parse::<rust_decimal::Decimal>().unwrap();
    for (row, g) in rows.iter().zip(json["groups"].as_array().unwrap()) {
        assert_eq!(row.get::<i64, _>(0), g["clinic_id"].as_i64().unwrap());
        assert_eq!(col(row, 1), dec(&g["billed"]), "billed");
        assert_eq!(col(row, 2), dec(&g["collected"]), "collected");
        assert_eq!(col(row, 3), dec(&g["outstanding"]), "outstanding");
        assert_eq!(col(row, 4), dec(&g["ar_aging"]["90+"]), "AR 90+");
        assert_eq!(col(row, 5), dec(&g["margin"]), "margin");
    }
    // every row names its branch, as the jsonb rows do
    let names: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT clinic_id, branch_name, city FROM odx_financial_by_branch($1, '2026-06-01', '2026-06-30') ORDER BY 1",
    )
    .bind(&ids)
    .fetch_all(&pool)
    .await
    .unwrap();
    for ((id, name, city), g) in names.iter().zip(json["groups"].as_array().unwrap()) {
        assert_eq!(
            (Value::from(*id), Value::from(name.as_str()), Value::from(city.as_str())),
            (g["clinic_id"].clone(), g["branch_name"].clone(), g["city"].clone())
        );
        assert!(!name.is_empty() && !city.is_empty());
    }
    let ops = sqlx::query("SELECT count(*) FROM odx_operations_by_branch($1, '2026-06-01', '2026-06-30')")
        .bind(&ids)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(ops.get::<i64, _>(0), ids.len() as i64);
    let json = call(&pool, "odx_accounting", &ids, "2026-06-01", "2026-06-30", "clinic").await;
    let rows = sqlx::query(
        "SELECT clinic_id, receipts::text, opex::text, payroll::text, net_profit::text, expense_ratio::text
         FROM odx_accounting_by_branch($1, '2026-06-01', '2026-06-30') ORDER BY clinic_id",
    )
    .bind(&ids)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), ids.len());
    for (row, g) in rows.iter().zip(json["groups"].as_array().unwrap()) {
        assert_eq!(row.get::<i64, _>(0), g["clinic_id"].as_i64().unwrap());
        assert_eq!(col(row, 1), dec(&g["receipts"]), "receipts");
        assert_eq!(col(row, 2), dec(&g["opex"]), "opex");
        assert_eq!(col(row, 3), dec(&g["payroll"]), "payroll");
        assert_eq!(col(row, 4), dec(&g["net_profit"]), "net profit");
        assert_eq!(col(row, 5), dec(&g["expense_ratio"]), "expense ratio");
    }
}

/// Every column of `odx_<domain>_by_branch` equals the field of the same
/// name in the jsonb report's clinic rows (numbers compared as decimals).
async fn assert_by_branch_columns_match_jsonb(pool: &PgPool, domain: &str, ids: &[i64]) {
    let json = call(pool, &format!("odx_{domain}"), ids, "2026-06-01", "2026-06-30", "clinic").await;
    // Every column as its exact text (a JSON number would go through f64).
    let sql = format!(
        "SELECT (SELECT jsonb_object_agg(key, value #>> '{{}}') FROM jsonb_each(to_jsonb(b)))::text
         FROM odx_{domain}_by_branch($1, '2026-06-01', '2026-06-30') b"
    );
    let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(ids).fetch_all(pool).await.unwrap();
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(rows.len(), groups.len(), "{domain}: one row per branch");
    let norm = |v: &Value| match v {
        Value::Number(n) => {
            Value::String(n.to_string().parse::<rust_decimal::Decimal>().unwrap().normalize().to_string())
        }
        Value::String(s) => match s.parse::<rust_decimal::Decimal>() {
            Ok(d) => Value::String(d.normalize().to_string()),
            Err(_) => v.clone(),
        },
        other => other.clone(),
    };
    for (row, g) in rows.iter().zip(groups) {
        let row: Value = serde_json::from_str(row).unwrap();
        let columns = row.as_object().unwrap();
        assert!(columns.len() > 2, "{domain}: the table has its KPI columns");
        for (column, value) in columns {
            assert_eq!(norm(value), norm(&g[column]), "{domain}_by_branch.{column} == jsonb row of {}", g["clinic_id"]);
        }
    }
}

#[tokio::test]
async fn by_branch_columns_of_the_new_domains_are_their_jsonb_fields() {
    let pool = pool(&database_url()).await;
    for ids in [NetworkConfig::demo().clinic_ids(), known_answer::CLINICS.to_vec()] {
        for domain in ["lab", "staff", "clinical", "patients", "inventory"] {
            assert_by_branch_columns_match_jsonb(&pool, domain, &ids).await;
        }
    }
}

async fn sqlstate(pool: &PgPool, sql: &'static str) -> String {
    match sqlx::query(sql).fetch_one(pool).await {
        Ok(_) => panic!("{sql}: expected an error"),
        Err(sqlx::Error::Database(e)) => e.code().map(|c| c.to_string()).unwrap_or_default(),
        Err(e) => panic!("{sql}: {e}"),
    }
}

#[tokio::test]
async fn bad_input_gets_a_sqlstate_and_the_backend_survives() {
    let pool = pool(&database_url()).await;
    let cases = [
        ("SELECT odx_financial(ARRAY[1]::bigint[], '2026-07-01', '2026-06-30')", "22023"),
        ("SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', 'branch')", "22023"),
        ("SELECT odx_financial(ARRAY[1, NULL]::bigint[], '2026-06-01', '2026-06-30')", "22004"),
        ("SELECT odx_financial(ARRAY[1, 999999]::bigint[], '2026-06-01', '2026-06-30')", "22023"),
        ("SELECT odx_operations(ARRAY[1]::bigint[], '2000-01-01', '2026-06-30')", "22023"),
        ("SELECT odx_financial(ARRAY[1]::bigint[], '-infinity', '2026-06-30')", "22008"),
        ("SELECT odx_patients(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', 'clinic', 0)", "22023"),
        ("SELECT odx_patients_by_branch(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', -18)", "22023"),
        (
            r#"SELECT odx_authorize(999, '{"action": "change_plan"}', '{"kind": "organization", "organization_id": 1}')"#,
            "22023",
        ),
        (r#"SELECT odx_authorize(90, '{"action": "fly"}', '{"kind": "organization", "organization_id": 1}')"#, "22023"),
        ("SELECT odx_insights_scope(11)", "42501"),
        ("SELECT odx_insights_scope(91, NULL, 1)", "42501"),
        ("SELECT odx_insights_scope(93)", "22023"),
        ("SELECT odx_insights_scope(91, focus_city => 'Lahore')", "42501"),
    ];
    for (sql, code) in cases {
        assert_eq!(sqlstate(&pool, sql).await, code, "{sql}");
    }
    // NULL arguments: the functions are strict.
    let null: Option<String> = sqlx::query("SELECT odx_financial(NULL, '2026-06-01', '2026-06-30')::text")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(null, None);
    // An empty array: zeroed totals and no groups.
    let empty = call(&pool, "odx_financial", &[], "2026-06-01", "2026-06-30", "clinic").await;
    assert_eq!(empty["groups"], Value::Array(vec![]));
    assert_eq!(empty["totals"]["billed"], Value::from("0"));
    // 100,000 ids that are not clinics: one typed error, not a crash.
    let many: Vec<i64> = (1_000_000..1_100_000).collect();
    let err = sqlx::query("SELECT odx_financial($1, '2026-06-01', '2026-06-30')").bind(&many).fetch_one(&pool).await;
    assert!(matches!(err, Err(sqlx::Error::Database(ref e)) if e.code().as_deref() == Some("22023")), "{err:?}");
    // The connection (and its backend) is still there.
    let one: i32 = sqlx::query("SELECT 1").fetch_one(&pool).await.unwrap().get(0);
    assert_eq!(one, 1);
    let bucket: Option<String> = sqlx::query("SELECT odx_aging_bucket(91)").fetch_one(&pool).await.unwrap().get(0);
    assert_eq!(bucket.as_deref(), Some("90+"));
}

#[tokio::test]
async fn missing_relations_degrade_the_module_instead_of_failing() {
    let whole = pool(&database_url()).await;
    let known = call(&whole, "odx_operations", &known_answer::CLINICS, "2026-06-01", "2026-06-30", "clinic").await;
    assert!(known["totals"]["chair_utilization"].is_string());
    let pool = pool(&database_url_for("odx_degraded")).await;
    let fin = call(&pool, "odx_financial", &known_answer::CLINICS, "2026-06-01", "2026-06-30", "clinic").await;
    assert_eq!(fin["degraded"], Value::Bool(true));
    assert_eq!(fin["module"], Value::from("financial"));
    assert_eq!(fin["missing"], serde_json::json!(["app.lab_cases"]));
    // Operations does without appointments.room_id: chair utilization is
    // left out (null) and named, nothing else.
    let ops = call(&pool, "odx_operations", &known_answer::CLINICS, "2026-06-01", "2026-06-30", "clinic").await;
    assert!(ops["totals"].is_object(), "a report, not degraded: {ops}");
    assert_eq!(ops["missing"], serde_json::json!(["app.appointments.room_id"]));
    assert_eq!(ops["totals"]["chair_utilization"], Value::Null);
    assert_eq!(ops["totals"]["no_show_rate"], known["totals"]["no_show_rate"]);
    let rows =
        sqlx::query("SELECT count(*) FROM odx_financial_by_branch(ARRAY[1,2]::bigint[], '2026-06-01', '2026-06-30')")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(rows.get::<i64, _>(0), 0, "the table form returns no rows (with a WARNING naming what is missing)");
}

/// Without the org layer (or `ops_targets`), the console read-outs and the
/// policy functions say what is missing instead of failing; the domains
/// still answer.
#[tokio::test]
async fn a_database_without_the_org_layer_degrades_the_console() {
    let pool = pool(&database_url_for("odx_no_org")).await;
    let org_layer = serde_json::json!(["app.ops_targets", "app.organization_clinics", "app.organizations"]);
    for sql in [
        "SELECT odx_command(1, '2026-06-01', '2026-06-30')::text",
        "SELECT odx_digest(1, '2026-06-01', '2026-06-30')::text",
        "SELECT odx_benchmark(1, 1, '2026-06-01', '2026-06-30')::text",
        "SELECT odx_network_overview(1, '2026-06-20')::text",
    ] {
        let text: String = sqlx::query(sql).fetch_one(&pool).await.unwrap_or_else(|e| panic!("{sql}: {e}")).get(0);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["degraded"], Value::Bool(true), "{sql}");
        let missing: Vec<String> = serde_json::from_value(v["missing"].clone()).unwrap();
        assert!(missing.iter().any(|m| m == "app.organization_clinics"), "{sql}: {missing:?}");
        if sql.contains("command") {
            assert_eq!(v["missing"], org_layer, "{sql}");
        }
        if sql.contains("overview") {
            // The overview reads the organization and its branches, not
            // its targets: a missing ops_targets is not its concern.
            assert_eq!(v["missing"], serde_json::json!(["app.organization_clinics", "app.organizations"]), "{sql}");
        }
    }
    for sql in ["SELECT odx_insights_scope(90)::text", "SELECT odx_authorize(90, '{\"action\": \"view_insights\"}', '{\"kind\": \"organization\", \"organization_id\": 1}')::text"] {
        let text: String = sqlx::query(sql).fetch_one(&pool).await.unwrap_or_else(|e| panic!("{sql}: {e}")).get(0);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!((v["degraded"].clone(), v["module"].clone()), (Value::Bool(true), Value::from("policy")), "{sql}");
    }
    let fin = call(&pool, "odx_financial", &known_answer::CLINICS, "2026-06-01", "2026-06-30", "clinic").await;
    assert_eq!(
        (fin["degraded"].clone(), fin["totals"]["billed"].clone()),
        (Value::Bool(false), Value::from("50000.00"))
    );
}

/// Without payroll, the Command Center hides net profit and the expense
/// ratio (and judges the expense-ratio target as no data), nothing else.
#[tokio::test]
async fn a_missing_payroll_hides_net_profit_and_the_expense_ratio_only() {
    let pool = pool(&database_url_for("odx_no_payroll")).await;
    let c = command(&pool, known_answer::ORG_ID, "2026-06-01", "2026-06-30").await;
    assert_eq!(c["degraded"], Value::Bool(false));
    assert_eq!(c["missing"], serde_json::json!(["app.payroll"]));
    assert_eq!((c["net_profit"].clone(), c["expense_ratio"].clone()), (Value::Null, Value::Null));
    assert_eq!((c["billed"].clone(), c["collection_rate"].clone()), (Value::from("50000.00"), Value::from("0.74")));
    assert!(c["leaderboard"].as_array().unwrap().iter().all(|r| r["net_profit"].is_null()));
    let ratio = c["targets"]["evaluations"].as_array().unwrap().iter().find(|e| e["target_id"] == 9).unwrap().clone();
    assert_eq!(ratio["status"], Value::from("no_data"));
    // the digest and the benchmark answer too, without the expense ratio
    let text: String = sqlx::query("SELECT odx_benchmark(1, 1, '2026-06-01', '2026-06-30')::text")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    let b: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(b["degraded"], Value::Bool(false));
    let er = b["drivers"].as_array().unwrap().iter().find(|d| d["driver"] == "expense_ratio").unwrap().clone();
    assert_eq!(er["value"], Value::Null);
}

async fn command(pool: &PgPool, org: i64, from: &str, to: &str) -> Value {
    let text: String = sqlx::query("SELECT odx_command($1, $2::date, $3::date)::text")
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("odx_command: {e}"))
        .get(0);
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn odx_command_equals_core_on_the_known_answer_fixture() {
    let pool = pool(&database_url()).await;
    let t = known_answer::tables();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // the range is the month to date; mid-month; a range longer than the month
    for (from, to) in [("2026-06-01", "2026-06-30"), ("2026-06-01", "2026-06-15"), ("2026-05-01", "2026-06-30")] {
        let want = t.command(known_answer::ORG_ID, None, Period::new(d(from), d(to))).unwrap();
        let want = with_degraded_false(serde_json::to_value(want).unwrap());
        assert_eq!(command(&pool, known_answer::ORG_ID, from, to).await, want, "odx_command({from}, {to}) == core");
    }
    // an organization without branches: zeroed, no alerts, an empty leaderboard
    let empty = command(&pool, known_answer::OTHER_ORG_ID, "2026-06-01", "2026-06-30").await;
    assert_eq!((empty["billed"].as_str(), empty["leaderboard"].as_array().map(Vec::len)), (Some("0"), Some(0)));
    // an organization that does not exist: refused (22023, ODX_UNKNOWN_ORGANIZATION), never zeroed
    for sql in [
        "SELECT odx_command(999, '2026-06-01', '2026-06-30')",
        "SELECT odx_digest(999, '2026-06-01', '2026-06-30')",
        "SELECT odx_network_overview(999, '2026-06-20')",
    ] {
        assert_eq!(sqlstate(&pool, sql).await, "22023", "{sql}");
    }
}

async fn json_call(pool: &PgPool, sql: &'static str, binds: (i64, Option<i64>, Option<i64>)) -> Result<Value, String> {
    sqlx::query(sql)
        .bind(binds.0)
        .bind(binds.1)
        .bind(binds.2)
        .fetch_one(pool)
        .await
        .map(|r| serde_json::from_str(&r.get::<String, _>(0)).unwrap())
        .map_err(|e| match e {
            sqlx::Error::Database(d) => format!("{} {}", d.code().unwrap_or_default(), d.message()),
            other => panic!("{other}"),
        })
}

#[tokio::test]
async fn policy_functions_equal_core_on_the_known_answer_fixture() {
    let pool = pool(&database_url()).await;
    let t = known_answer::tables();
    let scope_sql = "SELECT odx_insights_scope($1, $2, $3)::text";
    for user in [90, 91, 92, 93, 94, 21, 999] {
        for org in [None, Some(known_answer::ORG_ID), Some(known_answer::OTHER_ORG_ID)] {
            for focus in [None, Some(1), Some(2), Some(3)] {
                let got = json_call(&pool, scope_sql, (user, org, focus)).await;
                match t.insights_scope(user, org, focus, None) {
                    Ok(want) => assert_eq!(got, Ok(serde_json::to_value(want).unwrap()), "{user} {org:?} {focus:?}"),
                    Err(e) => {
                        let got = got.expect_err("refused like core");
                        // The extension's SQLSTATE is the one core's class names.
                        assert_eq!(got, format!("{} {e}", e.class().sqlstate()), "{user} {org:?} {focus:?}");
                    }
                }
            }
        }
    }
    let actions = [
        r#"{"action": "clinic_admin", "permission": "appointments.edit"}"#,
        r#"{"action": "view_insights"}"#,
        r#"{"action": "open_module", "module": "analytics"}"#,
        r#"{"action": "change_plan"}"#,
        r#"{"action": "view_template"}"#,
        r#"{"action": "delete_template"}"#,
    ];
    let resources = [
        r#"{"kind": "clinic", "clinic_id": 1}"#.to_owned(),
        r#"{"kind": "clinic", "clinic_id": 2}"#.to_owned(),
        format!(r#"{{"kind": "organization", "organization_id": {}}}"#, known_answer::ORG_ID),
        format!(r#"{{"kind": "organization", "organization_id": {}}}"#, known_answer::OTHER_ORG_ID),
        format!(r#"{{"kind": "template", "organization_id": {}}}"#, known_answer::ORG_ID),
        format!(r#"{{"kind": "template", "organization_id": {}, "clinic_id": 2}}"#, known_answer::ORG_ID),
    ];
    let mut allowed = 0;
    for user in [90, 91, 92, 93, 94, 21, 11] {
        for action in actions {
            for resource in &resources {
                let (a, r) = odx_core::policy::read_request(action, resource).unwrap();
                let want = serde_json::to_value(t.authorize(user, &a, &r).unwrap()).unwrap();
                let got: String = sqlx::query("SELECT odx_authorize($1, $2::jsonb, $3::jsonb)::text")
                    .bind(user)
                    .bind(action)
                    .bind(resource)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                    .get(0);
                assert_eq!(serde_json::from_str::<Value>(&got).unwrap(), want, "{user} {action} {resource}");
                allowed += usize::from(want["allowed"] == Value::Bool(true));
            }
        }
    }
    assert!(allowed > 10, "the cases include grants as well as refusals ({allowed})");
}

async fn console_call(pool: &PgPool, sql: &'static str, args: &[i64], dates: &[&str]) -> Value {
    let mut q = sqlx::query(sql);
    for a in args {
        q = q.bind(*a);
    }
    for d in dates {
        q = q.bind(*d);
    }
    let text: String = q.fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}")).get(0);
    serde_json::from_str(&text).unwrap()
}

/// A line of the overview's grid: branch (or `None`, the network), name,
/// city, active, appointments, billed, no-show rate.
type OverviewLine = (Option<i64>, Option<String>, Option<String>, Option<bool>, i64, String, Option<String>);

/// Core's overview as `odx_network_overview_rows` lays it out: each branch
/// in its order, then the network.
fn overview_lines(o: &odx_core::insights::NetworkOverview) -> Vec<OverviewLine> {
    let rate = |r: Option<rust_decimal::Decimal>| r.map(|r| r.to_string());
    let mut lines: Vec<OverviewLine> = o
        .branches
        .iter()
        .map(|b| {
            let appointments = i64::try_from(b.appointments).unwrap();
            let (name, city) = (Some(b.branch_name.clone()), Some(b.city.clone()));
            (Some(b.clinic_id), name, city, Some(b.active), appointments, b.billed.to_string(), rate(b.no_show_rate))
        })
        .collect();
    let appointments = i64::try_from(o.appointments).unwrap();
    lines.push((None, None, None, None, appointments, o.billed.to_string(), rate(o.no_show_rate)));
    lines
}

/// `odx_network_overview_rows` of `org` on `day`, in the order it returns them.
async fn overview_rows(pool: &PgPool, org: i64, day: &str) -> Vec<OverviewLine> {
    let sql = "SELECT clinic_id, branch_name, city, active, appointments, billed::text, no_show_rate::text
               FROM odx_network_overview_rows($1, $2::date)";
    let rows = sqlx::query(sql).bind(org).bind(day).fetch_all(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6))).collect()
}

#[tokio::test]
async fn digest_benchmark_and_overview_equal_core() {
    let pool = pool(&database_url()).await;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let demo = generate(&NetworkConfig::demo());
    let cases = [
        (known_answer::tables(), known_answer::ORG_ID, vec![1, 2], "2026-06-01", "2026-06-30"),
        (known_answer::tables(), known_answer::ORG_ID, vec![1, 2], "2026-05-01", "2026-06-15"),
        (demo, 500, vec![501, 502, 503, 504], "2026-01-01", "2026-06-30"),
    ];
    for (t, org, ids, from, to) in cases {
        let want = with_degraded_false(
            serde_json::to_value(t.digest(org, None, Period::new(d(from), d(to))).unwrap()).unwrap(),
        );
        let got = console_call(&pool, "SELECT odx_digest($1, $2::date, $3::date)::text", &[org], &[from, to]).await;
        assert_eq!(got, want, "odx_digest({org}, {from}, {to}) == core");
        for c in &ids {
            let want = t.benchmark(org, *c, None, Period::new(d(from), d(to))).unwrap();
            let want = with_degraded_false(serde_json::to_value(want).unwrap());
            let sql = "SELECT odx_benchmark($1, $2, $3::date, $4::date)::text";
            assert_eq!(console_call(&pool, sql, &[org, *c], &[from, to]).await, want, "odx_benchmark({c}) == core");
        }
        for day in [from, to] {
            let overview = t.network_overview(org, None, d(day)).unwrap();
            let want = with_degraded_false(serde_json::to_value(&overview).unwrap());
            let sql = "SELECT odx_network_overview($1, $2::date)::text";
            assert_eq!(console_call(&pool, sql, &[org], &[day]).await, want, "odx_network_overview({day}) == core");
            let (got, want) = (overview_rows(&pool, org, day).await, overview_lines(&overview));
            assert_eq!(got, want, "odx_network_overview_rows({day}) == core");
        }
    }
    // a branch of another organization is refused, never benchmarked against the wrong peers
    assert_eq!(sqlstate(&pool, "SELECT odx_benchmark(1, 501, '2026-06-01', '2026-06-30')").await, "42501");
}

#[tokio::test]
async fn odx_compare_equals_core_for_every_domain() {
    let pool = pool(&database_url()).await;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let demo = generate(&NetworkConfig::demo());
    let cases = [
        (known_answer::tables(), vec![1, 2], "2026-06-01", "2026-06-30"),
        (known_answer::tables(), vec![2], "2026-05-10", "2026-06-30"),
        (demo, vec![501, 502, 503, 504], "2026-06-01", "2026-06-30"),
    ];
    for (t, ids, from, to) in cases {
        let scope = MetricScope::new(ids.iter().copied(), d(from), d(to), GroupBy::Clinic).unwrap();
        for domain in odx_sql::Domain::ALL {
            let want = with_degraded_false(serde_json::to_value(t.compare(domain, &scope).unwrap()).unwrap());
            let text: String = sqlx::query("SELECT odx_compare($1, $2, $3::date, $4::date)::text")
                .bind(domain.as_str())
                .bind(&ids)
                .bind(from)
                .bind(to)
                .fetch_one(&pool)
                .await
                .unwrap_or_else(|e| panic!("odx_compare({domain:?}): {e}"))
                .get(0);
            let got: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(got, want, "odx_compare({domain:?}, {ids:?}, {from}, {to}) == core");
        }
    }
    assert_eq!(
        sqlstate(&pool, "SELECT odx_compare('payroll', ARRAY[1]::bigint[], '2026-06-01', '2026-06-30')").await,
        "22023"
    );
    assert_eq!(
        sqlstate(&pool, "SELECT odx_compare('lab', ARRAY[1]::bigint[], '2026-06-30', '2026-06-01')").await,
        "22023"
    );
}

#[tokio::test]
async fn forecasts_equal_core() {
    let pool = pool(&database_url()).await;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let demo = generate(&NetworkConfig::demo());
    let cases = [
        (known_answer::tables(), vec![1, 2], "2026-06-15"),
        (known_answer::tables(), vec![2], "2026-06-30"),
        (known_answer::tables(), vec![1, 2], "2026-12-31"),
        (demo, vec![501, 502, 503, 504], "2026-06-21"),
    ];
    for (t, ids, as_of) in cases {
        fn json(v: impl serde::Serialize) -> Value {
            with_degraded_false(serde_json::to_value(v).unwrap())
        }
        let revenue = json(t.forecast_revenue(&ids, d(as_of)).unwrap());
        let no_shows = json(t.forecast_no_shows(&ids, d(as_of)).unwrap());
        let churn = json(t.forecast_churn(&ids, d(as_of)).unwrap());
        let functions =
            [("odx_forecast_revenue", revenue), ("odx_forecast_no_shows", no_shows), ("odx_forecast_churn", churn)];
        for (function, want) in functions {
            let sql = format!("SELECT {function}($1, $2::date)::text");
            let text: String = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(&ids)
                .bind(as_of)
                .fetch_one(&pool)
                .await
                .unwrap_or_else(|e| panic!("{function}: {e}"))
                .get(0);
            let got: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(got, want, "{function}({ids:?}, {as_of}) == core");
        }
    }
    assert_eq!(sqlstate(&pool, "SELECT odx_forecast_revenue(ARRAY[1]::bigint[], 'infinity')").await, "22008");
    assert_eq!(sqlstate(&pool, "SELECT odx_forecast_no_shows(ARRAY[999]::bigint[], '2026-06-15')").await, "22023");
    assert_eq!(sqlstate(&pool, "SELECT odx_forecast_churn(ARRAY[1]::bigint[], '-infinity')").await, "22008");
}

#[tokio::test]
async fn every_function_carries_the_comment_the_extension_writes_with_cores_constants() {
    use odx_core::forecast::{CHURN_HORIZON_MONTHS, SHRINKAGE};
    use odx_core::patients::CHURN_AFTER_MONTHS;
    use odx_core::staff::LATE_AFTER_MINUTES;
    let pool = pool(&database_url()).await;
    // Every function of the extension, its catalog comment, and what
    // odx_function_comments() says it is: the same text, for each of them.
    let rows = sqlx::query(
        "SELECT p.oid::regprocedure::text, obj_description(p.oid, 'pg_proc'), c.comment
         FROM pg_proc p
         JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
         JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'odx'
         LEFT JOIN odx_function_comments() c ON c.function::regprocedure = p.oid",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(rows.len() >= 29, "{} functions", rows.len());
    let mut comments = std::collections::BTreeMap::new();
    for r in rows {
        let (function, catalog, written): (String, Option<String>, Option<String>) = (r.get(0), r.get(1), r.get(2));
        assert!(written.is_some(), "{function} has no comment in odx_function_comments()");
        assert_eq!(catalog, written, "{function}");
        comments.insert(function, catalog.unwrap_or_default());
    }
    let has = |f: &str, text: String| assert!(comments[f].contains(&text), "{f}: {text:?} in {:?}", comments[f]);
    has(
        "odx_staff(bigint[],date,date,text,timestamp with time zone)",
        format!("more than {LATE_AFTER_MINUTES} minutes"),
    );
    has(
        "odx_patients(bigint[],date,date,text,integer,timestamp with time zone)",
        format!("{CHURN_AFTER_MONTHS} calendar months"),
    );
    has(
        "odx_command(bigint,date,date,timestamp with time zone,integer,integer,integer)",
        "a period still in progress is read as of now".into(),
    );
    has("odx_digest(bigint,date,date,timestamp with time zone,integer,integer,integer)", "insufficient_data".into());
    has("odx_forecast_churn(bigint[],date)", format!("within {CHURN_HORIZON_MONTHS} months"));
    has("odx_forecast_no_shows(bigint[],date)", format!("by {SHRINKAGE} appointments"));
}
