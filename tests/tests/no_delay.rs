//! Nagle's algorithm is off on every connection of the engine's pool
//! (`pg_sqlx::pool_options`, what the Node engine connects with), and sqlx
//! alone leaves it on: without the pool's hook a statement whose message
//! spans several TLS records waits for the server's delayed
//! acknowledgement (`pg_sqlx::no_delay`). Its own test binary: no other
//! test's connections are open beside it.

use odx_sql::pg_sqlx;
use odx_tests::database_url;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;

const CONNECTIONS: u32 = 3;

#[tokio::test]
async fn every_connection_of_the_engines_pool_has_nagle_off() {
    let connect = PgConnectOptions::from_str(&database_url()).unwrap();
    assert!(connect.get_socket().is_none(), "the suites connect over TCP: {}", database_url());
    let (host, port) = (connect.get_host().to_owned(), connect.get_port());

    // sqlx's own pool: every connection as sqlx leaves it.
    let plain = PgPoolOptions::new().max_connections(CONNECTIONS).connect_with(connect.clone()).await.unwrap();
    let mut held = Vec::new();
    for _ in 0..CONNECTIONS {
        held.push(plain.acquire().await.unwrap());
    }
    let states = pg_sqlx::no_delay_of(&host, port).await;
    assert_eq!(states.len(), CONNECTIONS as usize, "each of sqlx's connections is found: {states:?}");
    assert!(states.iter().all(|off| !off), "sqlx 0.9.0 leaves Nagle's algorithm on: {states:?}");
    drop(held);
    plain.close().await;
    assert!(pg_sqlx::no_delay_of(&host, port).await.is_empty(), "sqlx's pool closed its connections");

    // The engine's pool: every connection it opens has it off.
    let pool = pg_sqlx::pool_options(&connect).max_connections(CONNECTIONS).connect_with(connect).await.unwrap();
    let mut held = Vec::new();
    for _ in 0..CONNECTIONS {
        let mut conn = pool.acquire().await.unwrap();
        let one: i32 = sqlx::query_scalar("SELECT 1").fetch_one(&mut *conn).await.unwrap();
        assert_eq!(one, 1);
        held.push(conn);
    }
    let states = pg_sqlx::no_delay_of(&host, port).await;
    assert_eq!(states, vec![true; CONNECTIONS as usize], "every connection of the engine's pool");
    drop(held);
    pool.close().await;
}
