//! The `jsonb` every odx function returns, built straight from core's
//! report.
//!
//! pgrx's `JsonB` holds a `serde_json::Value`: a report went through a tree
//! of maps and strings (one allocation per key and value), then to text,
//! then through `jsonb_in`. An earlier [`Answer`] wrote the report's text
//! once and handed it to `jsonb_in` (the overview, 2,000 calls in one
//! backend on the benchmark data: 1.09 ms a call with `JsonB`, 1.04 ms with
//! the text). [`Answer`] now serializes the report into Postgres' own
//! builder of `jsonb` values (`pushJsonbValue`, what `jsonb_build_object`
//! and `jsonb_in` use), so there is no text to write and parse again:
//! `jsonb_in` took about 50 µs of the overview's 7.6 KB answer. The same
//! `jsonb` as `jsonb_in` of serde_json's text: numbers become `numeric`s
//! as `jsonb_in` makes them, an object's keys are sorted and a repeated key
//! keeps its last value (the builder's `uniqueifyJsonbObject`, as
//! `jsonb_in`'s), a non-finite float is `null` (serde_json writes `null`),
//! and a string with a NUL character is refused, as `jsonb_in` refuses
//! `\u0000` (an internal error, never reached: a stored text has no NUL
//! character). One of the extension's seven `unsafe` uses: pgrx's safe
//! `JsonB` takes only a `serde_json::Value`.

use crate::{internal, Result};
use pgrx::callconv::{BoxRet, FcInfo};
use pgrx::pg_sys;
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::pgrx_sql_entity_graph::metadata::{
    ArgumentError, ReturnsError, ReturnsRef, SqlMappingRef, SqlTranslatable, TypeOrigin,
};
use pgrx::IntoDatum;
use serde::ser::{self, Serialize};
use std::ffi::{c_int, CString};
use std::fmt::Display;
use std::ptr;

use pg_sys::jbvType::{jbvBool, jbvNull, jbvNumeric, jbvString};
use pg_sys::JsonbIteratorToken::{
    Type as Token, WJB_BEGIN_ARRAY, WJB_BEGIN_OBJECT, WJB_ELEM, WJB_END_ARRAY, WJB_END_OBJECT, WJB_KEY, WJB_VALUE,
};

/// A function's answer: a report that becomes `jsonb` when returned (in
/// the memory context the value is returned in, as pgrx's own `JsonB`).
pub(crate) struct Answer(Box<dyn FnOnce() -> Result<pg_sys::Datum>>);

impl Answer {
    /// `value`, to be returned as `jsonb`.
    pub(crate) fn of(value: impl Serialize + 'static) -> Result<Answer> {
        Ok(Answer(Box::new(move || to_jsonb_datum(&value))))
    }
}

/// `value` as a `jsonb` datum.
///
/// # Errors
/// Internal (XX000) if `value` does not serialize as a JSON object or array
/// (a map with a key that is not a string or a number, or a bare scalar): a
/// bug, never bad input, as is a string with a NUL character.
#[allow(unsafe_code)]
fn to_jsonb_datum(value: &impl Serialize) -> Result<pg_sys::Datum> {
    let mut builder = Builder { state: ptr::null_mut(), result: ptr::null_mut(), strings: Vec::new() };
    value.serialize(Value { builder: &mut builder, token: None }).map_err(|e| e.0)?;
    if builder.result.is_null() {
        return Err(internal("odx: an answer that is not a JSON object or array".into()));
    }
    // SAFETY: `result` is the finished top-level container the builder
    // returned, whose strings point into `builder.strings` (alive here);
    // `JsonbValueToJsonb` copies everything into one new `jsonb` palloc'd
    // in the current memory context.
    let jsonb = unsafe { pg_sys::JsonbValueToJsonb(builder.result) };
    Ok(pg_sys::Datum::from(jsonb))
}

/// Postgres' `jsonb` builder state, and the text of every string pushed so
/// far (the builder keeps pointers to it until `JsonbValueToJsonb`).
struct Builder {
    state: *mut pg_sys::JsonbParseState,
    /// The top-level container, once closed.
    result: *mut pg_sys::JsonbValue,
    strings: Vec<Box<[u8]>>,
}

impl Builder {
    /// Pushes `token` with `value` (`None` for a container's beginning).
    #[allow(unsafe_code)]
    fn push(&mut self, token: Token, value: Option<pg_sys::JsonbValue>) {
        let mut value = value;
        let pointer = value.as_mut().map_or(ptr::null_mut(), ptr::from_mut);
        // SAFETY: `state` is this builder's (null before the first push, as
        // the builder starts); `pointer` is null (a container's beginning or
        // end) or a scalar alive for the call, whose string, if any, points
        // into `self.strings`. The builder copies the scalar itself; an
        // ERROR (out of memory, an object too large) becomes this
        // function's ERROR through pgrx's guard.
        let out = unsafe { pg_sys::pushJsonbValue(&mut self.state, token, pointer) };
        if self.state.is_null() && (token == WJB_END_OBJECT || token == WJB_END_ARRAY) {
            self.result = out;
        }
    }

    /// A string scalar of `text` (kept alive in `self.strings`).
    fn string(&mut self, text: &str) -> std::result::Result<pg_sys::JsonbValue, Error> {
        if text.contains('\0') {
            return Err(Error(internal("odx: a text with a NUL character cannot be in jsonb".into())));
        }
        let len =
            c_int::try_from(text.len()).map_err(|_| Error(internal("odx: a string too long for jsonb".into())))?;
        let mut kept: Box<[u8]> = text.as_bytes().into();
        let val = kept.as_mut_ptr().cast();
        self.strings.push(kept);
        Ok(scalar(
            jbvString,
            pg_sys::JsonbValue__bindgen_ty_1 { string: pg_sys::JsonbValue__bindgen_ty_1__bindgen_ty_1 { len, val } },
        ))
    }
}

fn scalar(type_: pg_sys::jbvType::Type, val: pg_sys::JsonbValue__bindgen_ty_1) -> pg_sys::JsonbValue {
    pg_sys::JsonbValue { type_, val }
}

/// A number's `numeric`, as `jsonb_in` makes it of the number's JSON text.
#[allow(unsafe_code)]
fn number(json_text: &str) -> std::result::Result<pg_sys::JsonbValue, Error> {
    let text = CString::new(json_text).map_err(|_| Error(internal("odx: a number's text".into())))?;
    // SAFETY: `numeric_in` takes a NUL-terminated C string (alive for the
    // call), the type's oid and a typmod of -1, and returns a new numeric
    // palloc'd in the current memory context; serde_json's number text is
    // always valid input (an ERROR otherwise, through pgrx's guard).
    let datum = unsafe {
        pgrx::direct_function_call_as_datum(
            pg_sys::numeric_in,
            &[Some(pg_sys::Datum::from(text.as_ptr())), pg_sys::InvalidOid.into_datum(), (-1_i32).into_datum()],
        )
    }
    .ok_or_else(|| Error(internal("odx: numeric_in returned NULL".into())))?;
    Ok(scalar(jbvNumeric, pg_sys::JsonbValue__bindgen_ty_1 { numeric: datum.cast_mut_ptr() }))
}

/// An integer's `numeric`.
#[allow(unsafe_code)]
fn integer(n: i64) -> pg_sys::JsonbValue {
    // SAFETY: reads its integer argument only; the numeric is palloc'd in the
    // current memory context.
    let numeric = unsafe { pg_sys::int64_to_numeric(n) };
    scalar(jbvNumeric, pg_sys::JsonbValue__bindgen_ty_1 { numeric })
}

/// A serialization failure, carrying the error Postgres will report.
#[derive(Debug)]
struct Error(ErrorReport);

impl Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.message())
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(internal(format!("odx: {msg}")))
    }
}

/// Serializes one JSON value into the builder: `token` is how a scalar is
/// pushed (`WJB_VALUE` after a key, `WJB_ELEM` in an array), `None` at the
/// top, where only a container is accepted.
struct Value<'a> {
    builder: &'a mut Builder,
    token: Option<Token>,
}

impl<'a> Value<'a> {
    fn scalar(self, value: pg_sys::JsonbValue) -> std::result::Result<(), Error> {
        let Some(token) = self.token else {
            return Err(Error(internal("odx: an answer that is a bare JSON scalar".into())));
        };
        self.builder.push(token, Some(value));
        Ok(())
    }

    fn null(self) -> std::result::Result<(), Error> {
        self.scalar(scalar(jbvNull, pg_sys::JsonbValue__bindgen_ty_1 { boolean: false }))
    }

    fn text(self, text: &str) -> std::result::Result<(), Error> {
        let value = self.builder.string(text)?;
        self.scalar(value)
    }

    /// A container begun with `token`, closed by `close`.
    fn begin(self, token: Token, close: &'static [Token]) -> Container<'a> {
        let builder = self.builder;
        builder.push(token, None);
        Container { builder, close }
    }

    /// `{ variant: <token ...> }`, what serde_json writes for an enum variant
    /// with fields: the object and its key pushed, then the container of
    /// the fields (`token`), both closed by `close`.
    fn variant(
        self,
        variant: &'static str,
        token: Token,
        close: &'static [Token],
    ) -> std::result::Result<Container<'a>, Error> {
        let mut object = self.begin(WJB_BEGIN_OBJECT, close);
        object.key(variant)?;
        object.builder.push(token, None);
        Ok(object)
    }
}

/// An object or array being serialized, and the tokens that close it.
struct Container<'a> {
    builder: &'a mut Builder,
    close: &'static [Token],
}

const ARRAY: &[Token] = &[WJB_END_ARRAY];
const OBJECT: &[Token] = &[WJB_END_OBJECT];
const ARRAY_IN_OBJECT: &[Token] = &[WJB_END_ARRAY, WJB_END_OBJECT];
const OBJECT_IN_OBJECT: &[Token] = &[WJB_END_OBJECT, WJB_END_OBJECT];

impl Container<'_> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> std::result::Result<(), Error> {
        value.serialize(Value { builder: self.builder, token: Some(WJB_ELEM) })
    }

    fn key(&mut self, key: &str) -> std::result::Result<(), Error> {
        let key = self.builder.string(key)?;
        self.builder.push(WJB_KEY, Some(key));
        Ok(())
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> std::result::Result<(), Error> {
        value.serialize(Value { builder: self.builder, token: Some(WJB_VALUE) })
    }

    fn close(self) -> std::result::Result<(), Error> {
        for token in self.close {
            self.builder.push(*token, None);
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for Value<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Container<'a>;
    type SerializeTuple = Container<'a>;
    type SerializeTupleStruct = Container<'a>;
    type SerializeTupleVariant = Container<'a>;
    type SerializeMap = Container<'a>;
    type SerializeStruct = Container<'a>;
    type SerializeStructVariant = Container<'a>;

    fn serialize_bool(self, v: bool) -> std::result::Result<(), Error> {
        self.scalar(scalar(jbvBool, pg_sys::JsonbValue__bindgen_ty_1 { boolean: v }))
    }
    fn serialize_i8(self, v: i8) -> std::result::Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> std::result::Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> std::result::Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> std::result::Result<(), Error> {
        self.scalar(integer(v))
    }
    fn serialize_u8(self, v: u8) -> std::result::Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> std::result::Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> std::result::Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> std::result::Result<(), Error> {
        match i64::try_from(v) {
            Ok(v) => self.serialize_i64(v),
            Err(_) => {
                let value = number(&v.to_string())?;
                self.scalar(value)
            }
        }
    }
    fn serialize_f32(self, v: f32) -> std::result::Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> std::result::Result<(), Error> {
        if !v.is_finite() {
            return self.null();
        }
        // serde_json's own text of the float (its shortest round trip), which
        // `jsonb_in` would have parsed.
        let text = serde_json::to_string(&v).map_err(|e| Error(internal(format!("odx: {e}"))))?;
        let value = number(&text)?;
        self.scalar(value)
    }
    fn serialize_char(self, v: char) -> std::result::Result<(), Error> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> std::result::Result<(), Error> {
        self.text(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> std::result::Result<(), Error> {
        // serde_json writes bytes as an array of numbers.
        let mut array = self.begin(WJB_BEGIN_ARRAY, ARRAY);
        for b in v {
            array.element(b)?;
        }
        array.close()
    }
    fn serialize_none(self) -> std::result::Result<(), Error> {
        self.null()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> std::result::Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> std::result::Result<(), Error> {
        self.null()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> std::result::Result<(), Error> {
        self.null()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> std::result::Result<(), Error> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> std::result::Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> std::result::Result<(), Error> {
        let mut object = self.begin(WJB_BEGIN_OBJECT, OBJECT);
        object.key(variant)?;
        object.value(value)?;
        object.close()
    }
    fn serialize_seq(self, _len: Option<usize>) -> std::result::Result<Container<'a>, Error> {
        Ok(self.begin(WJB_BEGIN_ARRAY, ARRAY))
    }
    fn serialize_tuple(self, _len: usize) -> std::result::Result<Container<'a>, Error> {
        Ok(self.begin(WJB_BEGIN_ARRAY, ARRAY))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> std::result::Result<Container<'a>, Error> {
        Ok(self.begin(WJB_BEGIN_ARRAY, ARRAY))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> std::result::Result<Container<'a>, Error> {
        self.variant(variant, WJB_BEGIN_ARRAY, ARRAY_IN_OBJECT)
    }
    fn serialize_map(self, _len: Option<usize>) -> std::result::Result<Container<'a>, Error> {
        Ok(self.begin(WJB_BEGIN_OBJECT, OBJECT))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> std::result::Result<Container<'a>, Error> {
        Ok(self.begin(WJB_BEGIN_OBJECT, OBJECT))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> std::result::Result<Container<'a>, Error> {
        self.variant(variant, WJB_BEGIN_OBJECT, OBJECT_IN_OBJECT)
    }
}

/// The containers whose items are elements (serde's sequences and tuples).
macro_rules! elements {
    ($($trait:ident :: $method:ident),* $(,)?) => {$(
        impl ser::$trait for Container<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> std::result::Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> std::result::Result<(), Error> {
                self.close()
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

/// The containers whose items are named fields (serde's structs).
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Container<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> std::result::Result<(), Error> {
                self.key(key)?;
                self.value(value)
            }
            fn end(self) -> std::result::Result<(), Error> {
                self.close()
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Container<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> std::result::Result<(), Error> {
        let key = key.serialize(Key)?;
        self.key(&key)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> std::result::Result<(), Error> {
        self.value(value)
    }
    fn end(self) -> std::result::Result<(), Error> {
        self.close()
    }
}

/// A map's key as serde_json writes it: a string, or a number or boolean
/// as its text.
struct Key;

impl Key {
    fn refused() -> Error {
        Error(internal("odx: a map key that is not a string, a number or a boolean".into()))
    }
}

/// Key methods that write the value's text.
macro_rules! key_as_text {
    ($($method:ident: $type:ty),* $(,)?) => {$(
        fn $method(self, v: $type) -> std::result::Result<String, Error> {
            Ok(v.to_string())
        }
    )*};
}

impl ser::Serializer for Key {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    key_as_text!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_char: char,
    );
    fn serialize_f32(self, _v: f32) -> std::result::Result<String, Error> {
        Err(Key::refused())
    }
    fn serialize_f64(self, _v: f64) -> std::result::Result<String, Error> {
        Err(Key::refused())
    }
    fn serialize_str(self, v: &str) -> std::result::Result<String, Error> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _v: &[u8]) -> std::result::Result<String, Error> {
        Err(Key::refused())
    }
    fn serialize_none(self) -> std::result::Result<String, Error> {
        Err(Key::refused())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _value: &T) -> std::result::Result<String, Error> {
        Err(Key::refused())
    }
    fn serialize_unit(self) -> std::result::Result<String, Error> {
        Err(Key::refused())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> std::result::Result<String, Error> {
        Err(Key::refused())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> std::result::Result<String, Error> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> std::result::Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> std::result::Result<String, Error> {
        Err(Key::refused())
    }
    fn serialize_seq(self, _len: Option<usize>) -> std::result::Result<Self::SerializeSeq, Error> {
        Err(Key::refused())
    }
    fn serialize_tuple(self, _len: usize) -> std::result::Result<Self::SerializeTuple, Error> {
        Err(Key::refused())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> std::result::Result<Self::SerializeTupleStruct, Error> {
        Err(Key::refused())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> std::result::Result<Self::SerializeTupleVariant, Error> {
        Err(Key::refused())
    }
    fn serialize_map(self, _len: Option<usize>) -> std::result::Result<Self::SerializeMap, Error> {
        Err(Key::refused())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> std::result::Result<Self::SerializeStruct, Error> {
        Err(Key::refused())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> std::result::Result<Self::SerializeStructVariant, Error> {
        Err(Key::refused())
    }
}

impl IntoDatum for Answer {
    fn into_datum(self) -> Option<pg_sys::Datum> {
        match (self.0)() {
            Ok(datum) => Some(datum),
            // Raised as the function's ERROR (pgrx's guard reports it).
            Err(report) => {
                report.report(pgrx::PgLogLevel::ERROR);
                None
            }
        }
    }

    fn type_oid() -> pg_sys::Oid {
        pg_sys::JSONBOID
    }
}

// SAFETY: an `Answer` is returned as the `jsonb` datum `into_datum` makes,
// the way pgrx returns its own `JsonB` (its `impl_repackage_into_datum!`).
#[allow(unsafe_code)]
unsafe impl BoxRet for Answer {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> pgrx::datum::Datum<'fcx> {
        match self.into_datum() {
            // SAFETY: the datum is a `jsonb` made in the call's memory context.
            Some(datum) => unsafe { fcinfo.return_raw_datum(datum) },
            None => fcinfo.return_null(),
        }
    }
}

// SAFETY: the SQL type is `jsonb`, the type of the datum it returns.
#[allow(unsafe_code)]
unsafe impl SqlTranslatable for Answer {
    const TYPE_IDENT: &'static str = pgrx::pgrx_resolved_type!(Answer);
    const TYPE_ORIGIN: TypeOrigin = TypeOrigin::External;
    const ARGUMENT_SQL: std::result::Result<SqlMappingRef, ArgumentError> = Ok(SqlMappingRef::literal("jsonb"));
    const RETURN_SQL: std::result::Result<ReturnsRef, ReturnsError> =
        Ok(ReturnsRef::One(SqlMappingRef::literal("jsonb")));
}
