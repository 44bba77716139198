//! The sqlx driver: a pool is a [`Source`], so every read of
//! [`crate::source`] runs on it (`compute::<FinancialAcc, _>(&pool, &scope)`,
//! `command(&pool, ...)`), and so is a [`Snapshot`], one read-only
//! `REPEATABLE READ` transaction that a whole report reads through (what the
//! Node engine does). Bound parameters only, never string-built SQL; every
//! statement is unnamed (`persistent(false)`), so a transaction-mode pooler
//! (PgBouncer, Neon's `-pooler` endpoints) never meets a prepared statement
//! that lives beyond its transaction.

pub use crate::source::{
    benchmark, command, compare, compute, console_tables, digest, domain_reports, forecast_churn, forecast_no_shows,
    forecast_revenue, frame, network_overview, present_columns, report_json, BatchSink, Outcome, Sink, Source,
    SourceError,
};

use crate::decode::{Row, RowError};
use crate::queries::Param;
use futures::future::try_join_all;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow, Postgres};
use sqlx::{Row as _, Transaction};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;

impl Row for PgRow {
    fn int8(&self, c: &'static str) -> Result<Option<i64>, RowError> {
        self.try_get(c).map_err(|e| RowError::Driver(format!("{c}: {e}")))
    }
    fn int4(&self, c: &'static str) -> Result<Option<i32>, RowError> {
        self.try_get(c).map_err(|e| RowError::Driver(format!("{c}: {e}")))
    }
    fn boolean(&self, c: &'static str) -> Result<Option<bool>, RowError> {
        self.try_get(c).map_err(|e| RowError::Driver(format!("{c}: {e}")))
    }
    fn text(&self, c: &'static str) -> Result<Option<String>, RowError> {
        self.try_get(c).map_err(|e| RowError::Driver(format!("{c}: {e}")))
    }
}

/// Why a read through sqlx could not be computed.
pub type EngineError = SourceError<sqlx::Error>;

impl From<sqlx::Error> for SourceError<sqlx::Error> {
    fn from(e: sqlx::Error) -> Self {
        SourceError::Database(e)
    }
}

/// `sql` with `params` bound by type, unnamed (never a prepared statement
/// that outlives its transaction). Only the parameters `sql` refers to
/// carry their values: one it skips is bound as a `NULL` of its type, and
/// none after the last it refers to is sent. Every statement of a scope is
/// handed all sixteen of [`crate::ScopeParams`], whose cut instants are
/// tens of kilobytes: the Command Center of 40 branches over 30 days sent
/// 72 KB of parameters with each of its statements, the opening hours' one
/// `bigint[]` included.
fn bound<'q>(sql: &'static str, params: &[Param<'q>]) -> sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments> {
    let used = crate::queries::parameter_numbers(sql);
    let mut query = sqlx::query(sql).persistent(false);
    let last = used.last().map_or(0, |n| (*n).min(params.len()));
    for (i, value) in params[..last].iter().enumerate() {
        let carried = used.binary_search(&(i + 1)).is_ok();
        query = match *value {
            Param::Ids(v) => query.bind(carried.then_some(v)),
            Param::Texts(v) => query.bind(carried.then_some(v)),
            Param::Text(v) => query.bind(carried.then_some(v)),
            Param::Id(v) => query.bind(carried.then_some(v)),
            Param::Bool(v) => query.bind(carried.then_some(v)),
            Param::Instant(v, _) => query.bind(carried.then_some(v)),
            Param::Instants(v, _) => query.bind(carried.then_some(v)),
        };
    }
    query
}

/// A pool's options for the engine on `connect`: every connection the pool
/// opens has Nagle's algorithm off ([`no_delay`]). The caller adds its
/// limits (`max_connections`, timeouts) and connects.
pub fn pool_options(connect: &PgConnectOptions) -> PgPoolOptions {
    // A unix-domain socket has no Nagle's algorithm to turn off.
    let endpoint = connect.get_socket().is_none().then(|| (connect.get_host().to_owned(), connect.get_port()));
    PgPoolOptions::new().after_connect(move |_, _| {
        let endpoint = endpoint.clone();
        Box::pin(async move {
            if let Some((host, port)) = endpoint {
                no_delay(&host, port).await;
            }
            Ok(())
        })
    })
}

/// Turns Nagle's algorithm off (`TCP_NODELAY`) on this process's TCP
/// connections to `host`:`port`, and returns how many it turned off.
///
/// sqlx 0.9.0 leaves it on (sqlx issue 4335, fixed after that release).
/// Over TLS, a message longer than one TLS record (16 KiB) leaves in
/// several writes, one per record: Nagle's algorithm holds the last write
/// until the server acknowledges the ones before, and the server delays
/// its acknowledgement (40 ms on Linux) while it waits for the rest of the
/// message. A statement's bound parameters (each branch's cut instants)
/// are often longer than that, and each such statement waited about 40 ms:
/// the Command Center of 40 branches over 30 days through the engine, one
/// statement at a time, took 1,073–1,085 ms with TLS and 595–628 ms
/// without it (benchmark data, indexed; then every one of its statements
/// was sent all sixteen scope parameters, 72 KB).
///
/// Each connection the pool opens looks at every descriptor of the
/// process (three system calls each): nothing to a pool that opens its
/// connections once, but not a call to make per statement.
///
/// sqlx does not hand out its socket, so every open descriptor of the
/// process is looked at: each TCP socket whose peer is one of `host`'s
/// addresses on `port` gets the option. The connection just opened is
/// among them, and so may be another client's connection to the same
/// server, for which the option is as good (libpq and node-postgres set it
/// on theirs). On Unix (the descriptors listed in `/dev/fd`); elsewhere
/// nothing is changed. Best effort: a name that does not resolve or a
/// socket that refuses is left as it was (the connection works either
/// way).
pub async fn no_delay(host: &str, port: u16) -> usize {
    let mut turned_off = 0;
    each_connection_to(host, port, |socket| {
        if matches!(socket.tcp_nodelay(), Ok(false)) && socket.set_tcp_nodelay(true).is_ok() {
            turned_off += 1;
        }
    })
    .await;
    turned_off
}

/// Whether Nagle's algorithm is off (`TCP_NODELAY`) on each of this
/// process's TCP connections to `host`:`port`, as [`no_delay`] finds them
/// (for the tests, and to check a deployment).
pub async fn no_delay_of(host: &str, port: u16) -> Vec<bool> {
    let mut states = Vec::new();
    each_connection_to(host, port, |socket| states.extend(socket.tcp_nodelay().ok())).await;
    states
}

/// Calls `f` with each of this process's TCP sockets whose peer is one of
/// `host`'s addresses on `port`.
async fn each_connection_to(host: &str, port: u16, f: impl FnMut(socket2::SockRef<'_>)) {
    // sqlx strips the brackets of an IPv6 address in a URL the same way.
    let host = host.trim_matches(&['[', ']'][..]);
    if let Ok(peers) = tokio::net::lookup_host((host, port)).await {
        each_socket_to(&peers.collect::<Vec<_>>(), f);
    }
}

#[cfg(unix)]
#[allow(unsafe_code)]
fn each_socket_to(peers: &[std::net::SocketAddr], mut f: impl FnMut(socket2::SockRef<'_>)) {
    use std::os::fd::{BorrowedFd, RawFd};
    let Ok(dir) = std::fs::read_dir("/dev/fd") else { return };
    for entry in dir.flatten() {
        let Some(raw) = entry.file_name().to_str().and_then(|n| n.parse::<RawFd>().ok()) else { continue };
        // SAFETY: only `getpeername`, `getsockopt` and `setsockopt` of
        // `TCP_NODELAY` are called on the descriptor, and it is never
        // closed here. One closed by another thread meanwhile makes them
        // fail (EBADF, or ENOTSOCK on a descriptor reused by a file), and
        // one reused by another socket to the same server is such a socket.
        let fd = unsafe { BorrowedFd::borrow_raw(raw) };
        let socket = socket2::SockRef::from(&fd);
        let to_peer = socket.peer_addr().ok().and_then(|p| p.as_socket()).is_some_and(|p| peers.contains(&p));
        if to_peer && matches!(socket.r#type(), Ok(t) if t == socket2::Type::STREAM) {
            f(socket);
        }
    }
}

#[cfg(not(unix))]
fn each_socket_to(_peers: &[std::net::SocketAddr], _f: impl FnMut(socket2::SockRef<'_>)) {}

/// A pool is a [`Source`]: each statement runs on a connection of the pool
/// (statements of one report may see different snapshots: a report that
/// must not reads through a [`Snapshot`]).
impl Source for PgPool {
    type Error = sqlx::Error;

    async fn rows(&self, sql: &'static str, params: &[Param<'_>], each: &mut Sink<'_>) -> Result<(), EngineError> {
        for row in bound(sql, params).fetch_all(self).await? {
            each(&row)?;
        }
        Ok(())
    }
}

/// One read-only `REPEATABLE READ` transaction on one connection of a pool:
/// every statement of a report read through it sees the same snapshot, so a
/// write committed between two of them never splits a report. The statement
/// timeout is set inside it (`SET LOCAL`), never as a startup parameter a
/// pooler would refuse. End it with [`Snapshot::end`]; dropped, it rolls
/// back.
///
/// Begun with [`Snapshot::begin_shared`], it also holds transactions on
/// other connections of the pool that imported its snapshot
/// (`pg_export_snapshot`, `SET TRANSACTION SNAPSHOT`): the independent
/// statements of a [`Source::batch`] run on all of them at once, still on
/// the one snapshot.
pub struct Snapshot {
    tx: Mutex<Transaction<'static, Postgres>>,
    helpers: Vec<Mutex<Transaction<'static, Postgres>>>,
}

/// The statement timeout of a transaction, set inside it.
async fn timeout_in(tx: &mut Transaction<'static, Postgres>, limit: Option<Duration>) -> Result<(), sqlx::Error> {
    if let Some(limit) = limit {
        let ms = limit.as_millis().max(1).to_string();
        sqlx::query("SELECT set_config('statement_timeout', $1, true)")
            .persistent(false)
            .bind(ms)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

const BEGIN: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// A transaction on an idle connection of `pool` that imported snapshot
/// `id`, or `None` (no idle connection, or the database refused).
async fn helper(
    pool: &PgPool,
    id: &str,
    statement_timeout: Option<Duration>,
) -> Option<Transaction<'static, Postgres>> {
    let mut helper = pool.try_begin_with(BEGIN).await.ok()??;
    let import = sqlx::AssertSqlSafe(format!("SET TRANSACTION SNAPSHOT '{id}'"));
    sqlx::query(import).persistent(false).execute(&mut *helper).await.ok()?;
    timeout_in(&mut helper, statement_timeout).await.ok()?;
    Some(helper)
}

impl Snapshot {
    /// Begins the transaction on a connection of `pool`, statements bounded
    /// by `statement_timeout` when given.
    ///
    /// # Errors
    /// [`sqlx::Error`] when no connection can be had or the database refuses.
    pub async fn begin(pool: &PgPool, statement_timeout: Option<Duration>) -> Result<Self, sqlx::Error> {
        let mut tx = pool.begin_with(BEGIN).await?;
        timeout_in(&mut tx, statement_timeout).await?;
        Ok(Snapshot { tx: Mutex::new(tx), helpers: Vec::new() })
    }

    /// [`Snapshot::begin`], and up to `connections - 1` more transactions
    /// on the same snapshot, on connections the pool has idle now: never
    /// waiting for one, so concurrency is only ever taken where it is free
    /// (under load a report reads on its one connection). A database that
    /// cannot export its snapshot gets the one connection.
    ///
    /// # Errors
    /// As [`Snapshot::begin`].
    pub async fn begin_shared(
        pool: &PgPool,
        statement_timeout: Option<Duration>,
        connections: usize,
    ) -> Result<Self, sqlx::Error> {
        if connections <= 1 || pool.num_idle() == 0 {
            return Snapshot::begin(pool, statement_timeout).await;
        }
        let mut tx = pool.begin_with(BEGIN).await?;
        let exported: Result<String, sqlx::Error> =
            sqlx::query_scalar("SELECT pg_export_snapshot()").persistent(false).fetch_one(&mut *tx).await;
        let id = match exported {
            // A snapshot id is hexadecimal digits and dashes (e.g.
            // 00000003-0000001B-1): it goes into SET's text, which takes
            // no parameter.
            Ok(id) if !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') => id,
            _ => {
                drop(tx);
                return Snapshot::begin(pool, statement_timeout).await;
            }
        };
        timeout_in(&mut tx, statement_timeout).await?;
        let mut helpers = Vec::new();
        for _ in 1..connections {
            // A helper is optional: one that cannot be had or cannot import
            // the snapshot is dropped (rolled back), never the report's error.
            match helper(pool, &id, statement_timeout).await {
                Some(h) => helpers.push(Mutex::new(h)),
                None => break,
            }
        }
        Ok(Snapshot { tx: Mutex::new(tx), helpers })
    }

    /// How many connections its batches run on.
    pub fn connections(&self) -> usize {
        1 + self.helpers.len()
    }

    /// Commits the (read-only) transactions and hands `outcome` on: the
    /// report read through it, or the first error (then they roll back).
    ///
    /// # Errors
    /// `outcome`'s error, or the database's at commit.
    pub async fn end<T>(self, outcome: Result<T, EngineError>) -> Result<T, EngineError> {
        let value = outcome?;
        for helper in self.helpers {
            helper.into_inner().commit().await?;
        }
        self.tx.into_inner().commit().await?;
        Ok(value)
    }
}

/// One connection's share of a batch: statement `first`, then the next
/// one not yet taken, until none is left.
async fn take_until_done(
    tx: &Mutex<Transaction<'static, Postgres>>,
    first: usize,
    next: &AtomicUsize,
    statements: &[(&'static str, &[Param<'_>])],
) -> Result<Vec<(usize, Vec<PgRow>)>, sqlx::Error> {
    let mut tx = tx.lock().await;
    let mut done = Vec::new();
    let mut i = first;
    while let Some((sql, params)) = statements.get(i) {
        done.push((i, bound(sql, params).fetch_all(&mut **tx).await?));
        i = next.fetch_add(1, Ordering::Relaxed);
    }
    Ok(done)
}

impl Source for Snapshot {
    type Error = sqlx::Error;

    async fn rows(&self, sql: &'static str, params: &[Param<'_>], each: &mut Sink<'_>) -> Result<(), EngineError> {
        let mut tx = self.tx.lock().await;
        for row in bound(sql, params).fetch_all(&mut **tx).await? {
            each(&row)?;
        }
        Ok(())
    }

    /// Connection k starts with statement k, then every connection takes
    /// the next statement not yet taken until none is left; the rows are
    /// handed on once all have run, statement by statement in order.
    async fn batch(
        &self,
        statements: &[(&'static str, &[Param<'_>])],
        each: &mut BatchSink<'_>,
    ) -> Result<(), EngineError> {
        if self.helpers.is_empty() || statements.len() < 2 {
            for (i, (sql, params)) in statements.iter().enumerate() {
                self.rows(sql, params, &mut |r| each(i, r)).await?;
            }
            return Ok(());
        }
        // Connection k starts with statement k, then takes the next one not
        // yet taken.
        let connections = 1 + self.helpers.len();
        let next = AtomicUsize::new(connections);
        let all = std::iter::once(&self.tx)
            .chain(&self.helpers)
            .enumerate()
            .map(|(first, tx)| take_until_done(tx, first, &next, statements));
        let mut results: Vec<(usize, Vec<PgRow>)> = try_join_all(all).await?.into_iter().flatten().collect();
        results.sort_by_key(|(i, _)| *i);
        for (i, rows) in &results {
            for row in rows {
                each(*i, row)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Arguments, Execute};

    fn arguments(sql: &'static str, params: &[Param<'_>]) -> usize {
        bound(sql, params).take_arguments().expect("encodes").map_or(0, |a| a.len())
    }

    #[test]
    fn a_statement_is_sent_only_the_parameters_up_to_its_last() {
        let cuts = vec!["{\"2026-06-01 00:00:00+00\"}".to_owned(); 40];
        let params = [Param::Id(7), Param::Texts(&cuts), Param::Bool(true), Param::Texts(&cuts)];
        // $2 is skipped (bound as a NULL text[]), $4 is not sent.
        assert_eq!(arguments("SELECT $1::int8, $3::bool", &params), 3);
        assert_eq!(arguments("SELECT $4, $1", &params), 4);
        assert_eq!(arguments("SELECT h.clinic_id FROM app.clinic_hours h WHERE h.clinic_id = ANY($1)", &params), 1);
        assert_eq!(arguments("SELECT 1", &params), 0);
        // The skipped $2 carries no value: the encoded arguments (their
        // bytes, as sqlx's Debug shows them) are shorter by at least the
        // cut instants' text than when $2 is referred to.
        let encoded = |sql| format!("{:?}", bound(sql, &params).take_arguments().expect("encodes")).len();
        let cuts_len: usize = cuts.iter().map(String::len).sum();
        assert!(encoded("SELECT $1::int8, $3::bool") + cuts_len < encoded("SELECT $1::int8, $2, $3::bool"));
    }
}
