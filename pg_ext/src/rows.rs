//! The rows of an SPI read, handed to `odx-sql`'s decoders.
//!
//! Each row is deformed once (`heap_deform_tuple`: every column's value in
//! one call), a column is found by name once per result, and a value is
//! converted where it lies: integers and booleans are the datum itself, a
//! `text` is read in place unless it is compressed or stored out of line.
//! pgrx's rows did per value what is done here per row or per result: a
//! call into Postgres for every column of every row (its value and its
//! type), a switch of memory context and a copy into Postgres memory for
//! every value read. One of the extension's seven `unsafe` uses (with
//! `array_ndim`, `catalog_state`, `numeric`, the kept plans of `plans`, the
//! `jsonb` of `answer` and the tuplestore of `table`): pgrx 0.18 has no row access that does this.

// Every read here is of Postgres memory pgrx does not wrap; each block says
// why it is sound.
#![allow(unsafe_code)]

use crate::internal;
use odx_sql::source::{Sink, SourceError};
use odx_sql::{Row, RowError};
use pgrx::datum::{DatumWithOid, FromDatum};
use pgrx::pg_sys;
use pgrx::pg_sys::panic::ErrorReport;
use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_long, CStr, CString};

/// What a decoder asks a column for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Int8,
    Int4,
    Bool,
    Text,
}

impl Want {
    /// The Postgres type of the Rust value asked for.
    fn oid(self) -> pg_sys::Oid {
        match self {
            Want::Int8 => pg_sys::INT8OID,
            Want::Int4 => pg_sys::INT4OID,
            Want::Bool => pg_sys::BOOLOID,
            Want::Text => pg_sys::TEXTOID,
        }
    }

    /// Whether a column of type `oid` reads as this, as pgrx decides it
    /// (`is_compatible_with`, else binary coercible): the integers take
    /// the narrower integers, `text` takes `varchar`, a domain its base.
    fn accepts(self, oid: pg_sys::Oid) -> bool {
        let narrower: &[pg_sys::Oid] = match self {
            Want::Int8 => &[pg_sys::INT8OID, pg_sys::INT4OID, pg_sys::INT2OID, pg_sys::CHAROID],
            Want::Int4 => &[pg_sys::INT4OID, pg_sys::INT2OID, pg_sys::CHAROID],
            Want::Bool => &[pg_sys::BOOLOID],
            Want::Text => &[pg_sys::TEXTOID, pg_sys::VARCHAROID],
        };
        // SAFETY: a catalog lookup on the backend's thread, inside the
        // function's transaction; reached only for a type not listed.
        narrower.contains(&oid) || unsafe { pg_sys::IsBinaryCoercible(oid, self.oid()) }
    }
}

/// A result's columns, each found by name the first time a row is asked
/// for it (every row has the same columns), with its type checked then.
struct Columns {
    tupdesc: pg_sys::TupleDesc,
    found: RefCell<Vec<(&'static str, Want, usize)>>,
}

impl Columns {
    /// The index of column `name` read as `want`.
    fn index(&self, name: &'static str, want: Want) -> Result<usize, RowError> {
        // A decoder names its columns with literals: the same address
        // nearly always, compared before the text.
        let same = |n: &str| std::ptr::eq(n, name) || n == name;
        let known = self.found.borrow().iter().find(|(n, w, _)| same(n) && *w == want).map(|(_, _, i)| *i);
        if let Some(i) = known {
            return Ok(i);
        }
        // SAFETY: `tupdesc` is the live descriptor of the result being read
        // (see `feed`), with `natts` attributes.
        let attrs = unsafe {
            let natts = usize::try_from((*self.tupdesc).natts).unwrap_or(0);
            (*self.tupdesc).attrs.as_slice(natts)
        };
        // The first column of that name, as `SPI_fnumber` finds it.
        let (i, attr) = attrs
            .iter()
            .enumerate()
            .find(|(_, a)| {
                // SAFETY: `attname` is a NUL-terminated `NameData`.
                let attname = unsafe { CStr::from_ptr(a.attname.data.as_ptr()) };
                !a.attisdropped && attname.to_bytes() == name.as_bytes()
            })
            .ok_or_else(|| RowError::Driver(format!("{name}: no such column in the result")))?;
        if !want.accepts(attr.atttypid) {
            return Err(RowError::Driver(format!(
                "{name}: a column of type oid {} does not read as type oid {}",
                attr.atttypid.to_u32(),
                want.oid().to_u32()
            )));
        }
        self.found.borrow_mut().push((name, want, i));
        Ok(i)
    }
}

/// One deformed row of an SPI result: every column's value and null flag.
struct SpiRow<'a> {
    columns: &'a Columns,
    values: &'a [pg_sys::Datum],
    nulls: &'a [bool],
}

impl SpiRow<'_> {
    fn datum(&self, name: &'static str, want: Want) -> Result<Option<pg_sys::Datum>, RowError> {
        let i = self.columns.index(name, want)?;
        Ok((!self.nulls[i]).then(|| self.values[i]))
    }

    /// A value decoded by pgrx's own conversion of a by-value datum (no
    /// call into Postgres, no allocation).
    fn by_value<T: FromDatum>(&self, name: &'static str, want: Want) -> Result<Option<T>, RowError> {
        // SAFETY: the column's type reads as `T` (checked by `index`), and
        // `T` is an integer or a boolean, whose conversion reads the datum's
        // bits only.
        Ok(self.datum(name, want)?.and_then(|d| unsafe { T::from_polymorphic_datum(d, false, want.oid()) }))
    }
}

impl Row for SpiRow<'_> {
    fn int8(&self, c: &'static str) -> Result<Option<i64>, RowError> {
        self.by_value(c, Want::Int8)
    }
    fn int4(&self, c: &'static str) -> Result<Option<i32>, RowError> {
        self.by_value(c, Want::Int4)
    }
    fn boolean(&self, c: &'static str) -> Result<Option<bool>, RowError> {
        self.by_value(c, Want::Bool)
    }
    fn text(&self, c: &'static str) -> Result<Option<String>, RowError> {
        let Some(d) = self.datum(c, Want::Text)? else { return Ok(None) };
        let raw = d.cast_mut_ptr::<pg_sys::varlena>();
        // SAFETY: a non-null datum of a varlena type (`text` or binary
        // coercible to it), alive while its row's table is. A compressed or
        // out-of-line value is detoasted into a fresh palloc'd copy, freed
        // once copied into Rust; any other is read where it lies.
        unsafe {
            let extended = pgrx::varlena::varatt_is_1b_e(raw) || pgrx::varlena::varatt_is_4b_c(raw);
            let value = if extended { pg_sys::pg_detoast_datum_packed(raw) } else { raw };
            let text = std::str::from_utf8(pgrx::varlena::varlena_to_byte_slice(value)).map(str::to_owned);
            if extended {
                pg_sys::pfree(value.cast());
            }
            text.map(Some).map_err(|_| RowError::Driver(format!("{c}: not UTF-8")))
        }
    }
}

/// Runs `sql` once with `args` (planned for their values, as
/// `SPI_execute_with_args` plans), each row to `each`.
pub(crate) fn run(
    _client: &pgrx::spi::SpiClient<'_>,
    sql: &str,
    args: &[DatumWithOid<'_>],
    each: &mut Sink<'_>,
) -> Result<(), SourceError<ErrorReport>> {
    let text =
        CString::new(sql).map_err(|_| SourceError::Database(internal("odx: a statement with a NUL byte".into())))?;
    let (mut types, (mut values, nulls)) = args_of(args);
    let nargs =
        c_int::try_from(args.len()).map_err(|_| SourceError::Database(internal("odx: too many parameters".into())))?;
    // SAFETY: SPI is connected (`_client`); `text` is NUL-terminated and
    // `types`, `values`, `nulls` hold `nargs` entries each, alive for the
    // call. A Postgres ERROR raised inside becomes a Rust panic at pgrx's
    // guarded FFI boundary, reported as that ERROR by the function's
    // wrapper. Read-only: on the calling query's snapshot (`READ_ONLY`).
    let status = unsafe {
        pg_sys::SPI_execute_with_args(
            text.as_ptr(),
            nargs,
            types.as_mut_ptr(),
            values.as_mut_ptr(),
            nulls.as_ptr(),
            READ_ONLY,
            0 as c_long,
        )
    };
    // SAFETY: the status of the read just run.
    unsafe { feed_result(status, each) }
}

/// The types, values and null flags of `args`, as SPI takes them.
pub(crate) fn args_of(args: &[DatumWithOid<'_>]) -> (Vec<pg_sys::Oid>, (Vec<pg_sys::Datum>, Vec<c_char>)) {
    let types = args.iter().map(DatumWithOid::oid).collect();
    let values = args
        .iter()
        .map(|a| match a.datum() {
            Some(d) => (d.sans_lifetime(), b' ' as c_char),
            None => (pg_sys::Datum::from(0usize), b'n' as c_char),
        })
        .unzip();
    (types, values)
}

/// Every statement runs read-only, on the snapshot of the query that called
/// the function, as PostgreSQL runs the statements of a `STABLE` SQL or
/// PL/pgSQL function (`fn_readonly`): one snapshot for all of a call's
/// statements, in a transaction that has written too. They ran read-write
/// once the transaction had an id, as pgrx's own calls decide, which takes
/// a fresh snapshot and advances the command counter for each statement: a
/// write committed between two of a call's statements split its report,
/// and a write made earlier in the calling statement was seen
/// (`tests/tests/snapshot.rs`).
pub(crate) const READ_ONLY: bool = true;

/// Each row of the read that returned `status` to `each`, then its table
/// freed, whether or not `each` took every row.
///
/// # Safety
/// `status` is what the last SPI read returned; nothing since has run SPI.
pub(crate) unsafe fn feed_result(status: c_int, each: &mut Sink<'_>) -> Result<(), SourceError<ErrorReport>> {
    if status != pg_sys::SPI_OK_SELECT as c_int {
        return Err(SourceError::Database(internal(format!("odx: SPI returned {status} for a read"))));
    }
    // SAFETY: a read that returned SPI_OK_SELECT left its rows in
    // `SPI_tuptable` (`numvals` tuples of `tupdesc`), valid until freed;
    // `each` makes no SPI call (it decodes into owned values and folds), and
    // nothing keeps a pointer into the table past this call.
    unsafe {
        let table = pg_sys::SPI_tuptable;
        if table.is_null() {
            return Err(SourceError::Database(internal("odx: SPI returned no rows table for a read".into())));
        }
        let fed = feed(table, each);
        pg_sys::SPI_freetuptable(table);
        fed
    }
}

/// # Safety
/// `table` is the live result of the last SPI read.
unsafe fn feed(table: *mut pg_sys::SPITupleTable, each: &mut Sink<'_>) -> Result<(), SourceError<ErrorReport>> {
    let bad = |what: &str| SourceError::Database(internal(format!("odx: SPI result: {what}")));
    // SAFETY: as the caller promises: `vals` holds `numvals` tuples of
    // `tupdesc`, and `values`/`nulls` have room for its `natts` columns.
    unsafe {
        let tupdesc = (*table).tupdesc;
        if tupdesc.is_null() {
            return Err(bad("no row descriptor"));
        }
        let n = usize::try_from((*table).numvals).map_err(|_| bad("row count"))?;
        let natts = usize::try_from((*tupdesc).natts).map_err(|_| bad("column count"))?;
        let columns = Columns { tupdesc, found: RefCell::new(Vec::new()) };
        let mut values = vec![pg_sys::Datum::from(0usize); natts];
        let mut nulls = vec![true; natts];
        for i in 0..n {
            pg_sys::heap_deform_tuple(*(*table).vals.add(i), tupdesc, values.as_mut_ptr(), nulls.as_mut_ptr());
            each(&SpiRow { columns: &columns, values: &values, nulls: &nulls })?;
        }
    }
    Ok(())
}
