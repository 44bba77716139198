//! The benchmark's hand-written statements return exactly odx's numbers on the
//! test fixtures (the known-answer clinics with their bad data and time-zone
//! edges, and the demo network), so the side-by-side benchmark compares equal
//! work. Needs the test database (`DATABASE_URL`, set by scripts/test-all.sh).

use chrono::NaiveDate;
use odx_benches::screens::check_overview;
use odx_benches::side_by_side::{check, Case, Domain};
use odx_fixtures::generator::NetworkConfig;
use sqlx::{Connection, PgConnection};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[tokio::test]
async fn hand_written_statements_equal_the_extension_on_the_fixtures() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL: run through scripts/test-all.sh");
    let mut conn = PgConnection::connect(&url).await.unwrap();
    let known = [1i64, 2];
    let demo = NetworkConfig::demo().clinic_ids();
    let cases = [
        Case::new(&known, 2, 30, day("2026-06-30")),
        Case::new(&known, 1, 30, day("2026-06-30")),
        Case::new(&known, 2, 1, day("2026-06-15")),
        Case::new(&demo, demo.len() as u32, 30, day("2026-06-30")),
        Case::new(&demo, demo.len() as u32, 181, day("2026-06-30")),
        Case::new(&demo, 1, 90, day("2026-05-31")),
    ];
    for domain in Domain::ALL {
        for case in &cases {
            if let Err(e) = check(&mut conn, domain, case).await {
                panic!("{} {:?} {}..{}: {e}", domain.as_str(), case.ids, case.from, case.to);
            }
        }
    }
}

/// The hand-written overview (its rows, and its answer built as `jsonb`)
/// equals `odx_network_overview` on the known-answer organization (its
/// bad data and time-zone edges), on the demo network, and on a day
/// without appointments or invoices.
#[tokio::test]
async fn hand_written_overview_equals_the_extension_on_the_fixtures() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL: run through scripts/test-all.sh");
    let mut conn = PgConnection::connect(&url).await.unwrap();
    let demo = NetworkConfig::demo();
    let demo_org: i64 = sqlx::query_scalar("SELECT organization_id FROM app.organization_clinics WHERE clinic_id = $1")
        .bind(demo.clinic_ids()[0])
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let mut checked = 0;
    for (org, days) in [
        (1, ["2026-06-15", "2026-06-30", "2026-05-31", "2026-03-29"]),
        (demo_org, ["2026-06-01", "2026-06-15", "2026-06-30", "2024-01-01"]),
    ] {
        for d in days {
            match check_overview(&mut conn, org, day(d)).await {
                Ok(branches) => checked += branches,
                Err(e) => panic!("organization {org} on {d}: {e}"),
            }
        }
    }
    assert_eq!(checked, 4 * 2 + 4 * demo.clinic_ids().len(), "every branch of every day was compared");
}
