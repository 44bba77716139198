//! Core's row-level date rules: what the in-memory fold decides
//! (`holds`) equals what the real server computes from the SQL the
//! statements select (`sql`), on every edge, nulls included. (The SQL is
//! core's own text over bound parameters: nothing from outside.)

use chrono::{Days, NaiveDate};
use odx_core::rules::{
    days_from_to, days_from_to_sql, in_range, in_range_sql, DatePos, DateRule, PairRule, ATTENDANCE_TODAY, HIRED_BY_TO,
    LAB_DUE_BEFORE_TO, RECALL_BEFORE_TO, RECEIVED_BEFORE_SENT, SEEN_SINCE_RECALL,
};
use odx_core::staff::{is_late, is_late_sql};
use odx_tests::database_url;
use sqlx::postgres::{PgPool, PgPoolOptions, Postgres};
use sqlx::{AssertSqlSafe, Row};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Every day around the scope's edges, and no day at all.
fn days(from: NaiveDate, to: NaiveDate) -> Vec<Option<NaiveDate>> {
    let mut out = vec![None];
    for edge in [from, to] {
        out.extend([edge - Days::new(1), edge, edge + Days::new(1)].map(Some));
    }
    out
}

/// `SELECT <expr>` over the dates `$1..`: core's own SQL text, bound values.
async fn select<T>(pool: &PgPool, expr: String, dates: &[Option<NaiveDate>]) -> T
where
    T: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    let sql = format!("SELECT {expr}");
    let mut query = sqlx::query(AssertSqlSafe(sql.clone()));
    for d in dates {
        query = query.bind(*d);
    }
    query.fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}")).get(0)
}

#[tokio::test]
async fn date_rules_hold_alike_in_memory_and_in_sql() {
    let pool = PgPoolOptions::new().max_connections(1).connect(&database_url()).await.unwrap();
    let (from, to) = (d("2026-06-01"), d("2026-06-30"));
    let rules: [(&str, DateRule); 4] = [
        ("lab due before to", LAB_DUE_BEFORE_TO),
        ("recall before to", RECALL_BEFORE_TO),
        ("hired by to", HIRED_BY_TO),
        ("attendance today", ATTENDANCE_TODAY),
    ];
    let pairs: [(&str, PairRule); 2] =
        [("received before sent", RECEIVED_BEFORE_SENT), ("seen since recall", SEEN_SINCE_RECALL)];
    let mut checked = 0;
    for day in days(from, to) {
        for (name, rule) in rules {
            let got: bool = select(&pool, rule.sql("$1::date", "$3::date"), &[day, Some(from), Some(to)]).await;
            assert_eq!(got, rule.holds(day, from, to), "{name} on {day:?}");
            checked += 1;
        }
        let got: Option<i32> =
            select(&pool, DatePos::sql("$1::date", "$2::date", "$3::date"), &[day, Some(from), Some(to)]).await;
        assert_eq!(got.map(|i| DatePos::from_index(i).unwrap()), day.map(|x| DatePos::of(x, from, to)), "{day:?}");
        let got: bool = select(
            &pool,
            format!("coalesce({}, false)", in_range_sql("$1::date", "$2::date", "$3::date")),
            &[day, Some(from), Some(to)],
        )
        .await;
        assert_eq!(got, day.is_some_and(|x| in_range(x, from, to)), "in range {day:?}");
        for other in days(from, to) {
            for (name, rule) in pairs {
                let got: bool = select(&pool, rule.sql("$1::date", "$2::date"), &[day, other]).await;
                assert_eq!(got, rule.holds(day, other), "{name}: {day:?} against {other:?}");
                checked += 1;
            }
        }
    }
    for day in days(from, to).into_iter().chain([Some(d("0001-01-01")), Some(d("9999-12-31"))]) {
        let got: Option<i32> = select(&pool, days_from_to_sql("$1::date", "$2::date"), &[day, Some(to)]).await;
        assert_eq!(got, day.map(|x| days_from_to(x, to)), "days from to: {day:?}");
    }
    for minutes in [-1, 0, 9, 10, 11, 600] {
        let got: bool = sqlx::query(AssertSqlSafe(format!("SELECT {}", is_late_sql("$1::int4"))))
            .bind(minutes)
            .fetch_one(&pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(got, is_late(minutes), "late by {minutes} minutes");
    }
    assert_eq!(checked, 7 * 4 + 7 * 7 * 2);
    // The rules say what they mean.
    assert!(LAB_DUE_BEFORE_TO.holds(Some(d("2026-06-29")), from, to));
    assert!(!LAB_DUE_BEFORE_TO.holds(Some(to), from, to));
    assert!(HIRED_BY_TO.holds(None, from, to) && HIRED_BY_TO.holds(Some(to), from, to));
    assert!(SEEN_SINCE_RECALL.holds(Some(d("2026-06-10")), Some(d("2026-06-10"))));
    assert!(!RECEIVED_BEFORE_SENT.holds(None, Some(to)));
}
