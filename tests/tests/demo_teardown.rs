//! The demo seed on a live clinic database, and its teardown: they run as
//! the `odx` role through psql, the way an operator runs them, and the
//! teardown must leave every table of every schema exactly as it found it
//! (row counts and contents), the rows of the live tenant included, even
//! those the demo's branch names or organization would have matched.

use odx_fixtures::generator::{generate, NetworkConfig};
use odx_fixtures::sql::{demo_teardown_sql, write_demo, write_demo_at_hq};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs a psql script on `db` as odx; panics with psql's errors.
fn psql(db: &str, script: &[u8]) -> String {
    let mut child = Command::new("psql")
        .args(["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "odx", "-d", db])
        .env("PGPASSWORD", "odx")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("psql runs");
    child.stdin.take().unwrap().write_all(script).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "psql on {db} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a psql script on `db` as odx that must fail; its error text.
fn psql_refused(db: &str, script: &[u8]) -> String {
    let mut child = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "odx", "-d", db])
        .env("PGPASSWORD", "odx")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("psql runs");
    // psql stops reading at the first error: a broken pipe is expected
    let _ = child.stdin.take().unwrap().write_all(script);
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success(), "psql on {db} was expected to fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every table of every non-system schema: its row count and an md5 of its
/// sorted rows.
fn snapshot(db: &str) -> BTreeMap<String, String> {
    let tables = psql(
        db,
        b"SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables \
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE' ORDER BY 1;",
    );
    tables
        .lines()
        .map(|t| {
            let q = format!(
                "SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM {t} x;"
            );
            (t.to_owned(), psql(db, q.as_bytes()).trim().to_owned())
        })
        .collect()
}

fn demo_script() -> Vec<u8> {
    let mut script = Vec::new();
    write_demo(&generate(&NetworkConfig::demo()), &mut script).unwrap();
    script
}

fn demo_at_hq(hq: i64) -> Vec<u8> {
    let config = NetworkConfig::demo();
    let mut script = Vec::new();
    write_demo_at_hq(&generate(&config), config.first_clinic_id, hq, &mut script).unwrap();
    script
}

fn count(db: &str, sql: &str) -> i64 {
    psql(db, sql.as_bytes()).trim().parse().unwrap()
}

#[test]
fn teardown_removes_exactly_what_the_seed_created() {
    let db = "odx_demo_live";
    // Live rows the old name- and organization-based teardown would have
    // taken: a live branch named DEMO-..., and the live tenant's targets.
    psql(
        db,
        b"INSERT INTO app.clinics (id, name, city, status, timezone) VALUES (9001, 'DEMO-Live', 'Lahore', 'active', 'Asia/Karachi') ON CONFLICT DO NOTHING;
          INSERT INTO app.organization_clinics (organization_id, clinic_id) VALUES (1, 9001) ON CONFLICT DO NOTHING;
          INSERT INTO app.ops_targets (id, organization_id, clinic_id, metric, value, period)
              VALUES (9001, 1, NULL, 'revenue_monthly', 100000, 'monthly'), (9002, 1, 9001, 'no_show_rate_max', 0.1, 'monthly')
              ON CONFLICT DO NOTHING;",
    );
    let before = snapshot(db);
    psql(db, &demo_script());
    assert_eq!(
        count(db, "SELECT count(*) FROM app.clinics WHERE name LIKE 'DEMO-%';"),
        4,
        "the three demo branches and the live one"
    );
    assert!(count(db, "SELECT count(*) FROM odx_demo.ledger;") > 100_000, "every inserted row is in the ledger");
    psql(db, demo_teardown_sql().as_bytes());
    assert_eq!(snapshot(db), before, "every table as it was, the live DEMO-Live branch and targets included");
    psql(db, demo_teardown_sql().as_bytes());
    assert_eq!(snapshot(db), before, "a second teardown changes nothing");
    // Seeding twice without a teardown fails whole: nothing half-seeded.
    psql(db, &demo_script());
    let seeded = snapshot(db);
    let refused = psql_refused(db, &demo_script());
    assert!(refused.contains("duplicate key"), "the demo's keys are taken: the second seed is refused: {refused}");
    assert_eq!(snapshot(db), seeded);
    // A head-office payment on a demo invoice (a row the seed did not make)
    // holds the invoice by its foreign key: the teardown fails visibly (psql
    // exits non-zero) and changes nothing; once it is gone, it goes through.
    psql(
        db,
        b"INSERT INTO app.payments (id, clinic_id, invoice_id, paid_at, amount, method)
          SELECT 990000001, i.clinic_id, i.id, now(), 1, 'cash' FROM app.invoices i
          WHERE i.clinic_id IN (SELECT id FROM app.clinics WHERE name LIKE 'DEMO-%' AND id <> 9001) ORDER BY i.id LIMIT 1;",
    );
    let held = snapshot(db);
    let refused = psql_refused(db, demo_teardown_sql().as_bytes());
    assert!(refused.contains("foreign key"), "the teardown stops on the foreign key: {refused}");
    assert_eq!(snapshot(db), held, "a failed teardown rolls back whole");
    psql(db, b"DELETE FROM app.payments WHERE id = 990000001;");
    psql(db, demo_teardown_sql().as_bytes());
    assert_eq!(snapshot(db), before);
}

#[test]
fn a_database_without_the_org_layer_gets_it_for_the_demo_and_loses_it_after() {
    let db = "odx_demo_bare";
    let before = snapshot(db);
    assert!(!before.contains_key("app.organizations"));
    psql(db, &demo_script());
    assert_eq!(
        count(db, "SELECT count(*) FROM app.organization_clinics;"),
        4,
        "created by the ensure-steps, then filled"
    );
    psql(db, demo_teardown_sql().as_bytes());
    assert_eq!(snapshot(db), before, "the org-layer tables the seed created are gone again, and the ledger");

    // A lone live clinic as the HQ: the seed creates the organization, links
    // the HQ and its three branches to it; the teardown removes all of that.
    psql(
        db,
        b"INSERT INTO app.clinics (id, name, city, status, timezone) \
          VALUES (7, 'Live HQ', 'Lahore', 'active', 'Asia/Karachi') ON CONFLICT DO NOTHING;",
    );
    let before = snapshot(db);
    psql(db, &demo_at_hq(7));
    let org_of_7 = "(SELECT organization_id FROM app.organization_clinics WHERE clinic_id = 7)";
    assert_eq!(
        count(db, &format!("SELECT count(*) FROM app.organization_clinics WHERE organization_id = {org_of_7};")),
        4
    );
    psql(db, demo_teardown_sql().as_bytes());
    assert_eq!(snapshot(db), before, "the live clinic alone again, the org layer gone");
}

#[test]
fn the_demo_branches_join_a_live_hq_and_leave_its_organization_as_it_was() {
    // The known-answer tenant: organization 1, HQ clinic 1, with network and
    // branch targets and its own users (its own database, so the tests can
    // run at once).
    let db = "odx_demo_hq";
    let before = snapshot(db);
    let targets = "SELECT count(*) FROM app.ops_targets WHERE organization_id = 1";
    let network_targets = count(db, &format!("{targets} AND clinic_id IS NULL;"));
    assert!(network_targets > 0, "the live organization has network targets");
    let refused = psql_refused(db, &demo_at_hq(424_242));
    assert!(refused.contains("ODX_UNKNOWN_CLINIC"), "an HQ that is not a clinic: {refused}");
    assert_eq!(snapshot(db), before, "nothing seeded");
    psql(db, &demo_at_hq(1));
    let members = count(db, "SELECT count(*) FROM app.organization_clinics WHERE organization_id = 1;");
    assert_eq!(members, 2 + 3, "the three demo branches joined the HQ's organization");
    assert_eq!(count(db, "SELECT count(*) FROM app.clinics WHERE name = 'ssh & Associates';"), 0, "no second HQ");
    assert_eq!(count(db, &format!("{targets} AND clinic_id IS NULL;")), network_targets, "no network target added");
    let demo_admins = "SELECT count(*) FROM app.user_organization_assignments a JOIN app.users u ON u.id = a.user_id \
                       WHERE a.organization_id = 1 AND a.role = 'org_admin' AND u.clinic_id IS NULL AND u.name = 'Head of Operations';";
    assert_eq!(count(db, demo_admins), 0, "no demo org admin on a live tenant");
    let demo_targets = "SELECT count(*) FROM app.ops_targets WHERE organization_id = 1 \
                        AND clinic_id IN (SELECT id FROM app.clinics WHERE name LIKE 'DEMO-%');";
    assert!(count(db, demo_targets) > 0, "the demo branches' targets are the organization's");
    psql(db, demo_teardown_sql().as_bytes());
    assert_eq!(snapshot(db), before, "the live organization, its HQ targets and network targets as they were");
}
