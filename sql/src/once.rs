//! Each fact fetched once per call: [`Once`] runs every distinct statement
//! of a read once and hands its recorded rows to every later asker.
//!
//! Two statements are the same when their text and the values of the
//! parameters they use are (a statement that reads only the as-of
//! parameters is the same for every scope with that instant: the
//! receivables of a Command Center's range and of its month to date). The
//! same text is always decoded by the same decoder (a statement belongs to
//! one kind), so a replayed row is asked for the very columns the first
//! reading read; any other column is an error, never a guess.

use crate::decode::{Row, RowError};
use crate::plan::used_parameters;
use crate::queries::Param;
use crate::source::{BatchSink, Columns, Sink, Source, SourceError};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// One column's value as it was read.
#[derive(Debug, Clone)]
enum Cell {
    Int8(Option<i64>),
    Int4(Option<i32>),
    Boolean(Option<bool>),
    Text(Option<String>),
}

/// A row as its first reader read it.
#[derive(Debug, Default)]
struct Recorded(Vec<(&'static str, Cell)>);

impl Recorded {
    fn cell(&self, column: &'static str) -> Result<&Cell, RowError> {
        self.0
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v)
            .ok_or_else(|| RowError::Driver(format!("column {column} was not read when the statement first ran")))
    }
}

fn mismatch(column: &'static str) -> RowError {
    RowError::Driver(format!("column {column} is read as another type than when the statement first ran"))
}

impl Row for Recorded {
    fn int8(&self, column: &'static str) -> Result<Option<i64>, RowError> {
        match self.cell(column)? {
            Cell::Int8(v) => Ok(*v),
            _ => Err(mismatch(column)),
        }
    }
    fn int4(&self, column: &'static str) -> Result<Option<i32>, RowError> {
        match self.cell(column)? {
            Cell::Int4(v) => Ok(*v),
            _ => Err(mismatch(column)),
        }
    }
    fn boolean(&self, column: &'static str) -> Result<Option<bool>, RowError> {
        match self.cell(column)? {
            Cell::Boolean(v) => Ok(*v),
            _ => Err(mismatch(column)),
        }
    }
    fn text(&self, column: &'static str) -> Result<Option<String>, RowError> {
        match self.cell(column)? {
            Cell::Text(v) => Ok(v.clone()),
            _ => Err(mismatch(column)),
        }
    }
}

/// A driver's row, recording what is read of it.
struct Recording<'r> {
    row: &'r dyn Row,
    read: RefCell<Recorded>,
}

impl Recording<'_> {
    fn keep<T: Clone>(&self, column: &'static str, v: Result<T, RowError>, cell: fn(T) -> Cell) -> Result<T, RowError> {
        let v = v?;
        let mut read = self.read.borrow_mut();
        if !read.0.iter().any(|(c, _)| *c == column) {
            read.0.push((column, cell(v.clone())));
        }
        Ok(v)
    }
}

impl Row for Recording<'_> {
    fn int8(&self, column: &'static str) -> Result<Option<i64>, RowError> {
        self.keep(column, self.row.int8(column), Cell::Int8)
    }
    fn int4(&self, column: &'static str) -> Result<Option<i32>, RowError> {
        self.keep(column, self.row.int4(column), Cell::Int4)
    }
    fn boolean(&self, column: &'static str) -> Result<Option<bool>, RowError> {
        self.keep(column, self.row.boolean(column), Cell::Boolean)
    }
    fn text(&self, column: &'static str) -> Result<Option<String>, RowError> {
        self.keep(column, self.row.text(column), Cell::Text)
    }
}

/// A statement's identity: its text and the values of the parameters it
/// uses.
type Key = (&'static str, String);

fn key(sql: &'static str, params: &[Param<'_>]) -> Key {
    let (_, used) = used_parameters(sql);
    let values: Vec<_> = used.iter().filter_map(|&i| params.get(i)).collect();
    (sql, format!("{values:?}"))
}

/// The guard of `m`; a panic elsewhere never poisons a call's memory.
fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A [`Source`] over `S` that runs each distinct statement once (see the
/// module). Lives for one call: the rows it keeps are that call's.
pub struct Once<'s, S> {
    src: &'s S,
    seen: Mutex<HashMap<Key, Vec<Recorded>>>,
    /// The schema's columns, once read ([`Source::columns`]).
    columns: Mutex<Option<Columns>>,
    /// Statements asked for, and how many of them ran.
    counts: Mutex<(usize, usize)>,
}

impl<'s, S: Source> Once<'s, S> {
    /// A fresh memory over `src`.
    pub fn new(src: &'s S) -> Self {
        Once { src, seen: Mutex::new(HashMap::new()), columns: Mutex::new(None), counts: Mutex::new((0, 0)) }
    }

    /// How many statements were asked for, and how many of them ran.
    pub fn counts(&self) -> (usize, usize) {
        *locked(&self.counts)
    }
}

impl<S: Source> Source for Once<'_, S> {
    type Error = S::Error;

    async fn rows(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        each: &mut Sink<'_>,
    ) -> Result<(), SourceError<S::Error>> {
        let key = key(sql, params);
        locked(&self.counts).0 += 1;
        let replay = locked(&self.seen).remove(&key);
        if let Some(rows) = replay {
            let fed = rows.iter().try_for_each(|r| each(r));
            locked(&self.seen).insert(key, rows);
            return fed.map_err(Into::into);
        }
        let mut kept = Vec::new();
        self.src
            .rows(sql, params, &mut |r| {
                let recording = Recording { row: r, read: RefCell::new(Recorded::default()) };
                let fed = each(&recording);
                kept.push(recording.read.into_inner());
                fed
            })
            .await?;
        locked(&self.counts).1 += 1;
        locked(&self.seen).insert(key, kept);
        Ok(())
    }

    /// The source's own answer (which may be kept across calls), read
    /// once per call and counted as a statement.
    async fn columns(&self) -> Result<Columns, SourceError<S::Error>> {
        locked(&self.counts).0 += 1;
        if let Some(known) = locked(&self.columns).clone() {
            return Ok(known);
        }
        let read = self.src.columns().await?;
        locked(&self.counts).1 += 1;
        *locked(&self.columns) = Some(read.clone());
        Ok(read)
    }

    async fn batch(
        &self,
        statements: &[(&'static str, &[Param<'_>])],
        each: &mut BatchSink<'_>,
    ) -> Result<(), SourceError<S::Error>> {
        let keys: Vec<Key> = statements.iter().map(|(sql, params)| key(sql, params)).collect();
        // The first asking of each statement not yet read runs (in one
        // batch, concurrently where the source can); the others replay.
        let fresh: Vec<usize> = {
            let seen = locked(&self.seen);
            (0..keys.len()).filter(|&i| !seen.contains_key(&keys[i]) && !keys[..i].contains(&keys[i])).collect()
        };
        let run: Vec<(&'static str, &[Param<'_>])> = fresh.iter().map(|&i| statements[i]).collect();
        let mut kept: Vec<Vec<Recorded>> = fresh.iter().map(|_| Vec::new()).collect();
        self.src
            .batch(&run, &mut |j, r| {
                let (Some(&n), Some(rows)) = (fresh.get(j), kept.get_mut(j)) else { return Ok(()) };
                let recording = Recording { row: r, read: RefCell::new(Recorded::default()) };
                let fed = each(n, &recording);
                rows.push(recording.read.into_inner());
                fed
            })
            .await?;
        {
            let mut counts = locked(&self.counts);
            counts.0 += keys.len();
            counts.1 += fresh.len();
        }
        let mut seen = locked(&self.seen);
        for (&n, rows) in fresh.iter().zip(kept) {
            seen.insert(keys[n].clone(), rows);
        }
        for (n, key) in keys.iter().enumerate().filter(|(n, _)| !fresh.contains(n)) {
            if let Some(rows) = seen.get(key) {
                rows.iter().try_for_each(|r| each(n, r))?;
            }
        }
        Ok(())
    }
}
