//! How numbers cross the wire, decided once, here and on the fields that
//! carry them.
//!
//! Money is an exact decimal string everywhere. A **rate** (a fraction, or a
//! mean such as days of cover or expected no-shows: a decimal that is not
//! money) is a decimal string in the canonical JSON (what the extension
//! returns, exact), and a number where a JavaScript caller reads it: a field
//! marked `#[serde(with = "crate::wire::rate")]` is written as a number
//! inside [`for_javascript`]. Counts are integers and dates `YYYY-MM-DD`
//! strings in both.

use rust_decimal::Decimal;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Visitor};
use serde::ser::Serializer;
use serde::Deserializer;
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

thread_local! {
    static JAVASCRIPT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (a serialization) with rates written as JavaScript numbers.
pub fn for_javascript<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            JAVASCRIPT.with(|j| j.set(self.0));
        }
    }
    let _restore = Restore(JAVASCRIPT.with(|j| j.replace(true)));
    f()
}

/// Whether rates are being written as JavaScript numbers.
pub(crate) fn javascript() -> bool {
    JAVASCRIPT.with(Cell::get)
}

/// A rate as the nearest `f64` (the correctly rounded parse of its exact
/// text, as `Number("0.25")` reads it). Only rate fields reach this, and only
/// on the way out to JavaScript: money is never a binary float, and no
/// figure is computed on the `f64`.
fn as_number(d: Decimal) -> Option<f64> {
    d.to_string().parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A decimal that is not money, as the wire wants it: a string in the
/// canonical JSON, a number (or null) for JavaScript.
pub(crate) fn serialize_decimal<S: Serializer>(d: Option<&Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match (d, javascript()) {
        (None, _) => s.serialize_none(),
        (Some(d), true) => match as_number(*d) {
            Some(f) => s.serialize_f64(f),
            None => s.serialize_none(),
        },
        (Some(d), false) => s.serialize_str(&d.to_string()),
    }
}

/// Reads a decimal written either way (a string or a number).
struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Option<Decimal>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal as a string or a number, or null")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Decimal::from_str(v).or_else(|_| Decimal::from_scientific(v)).map(Some).map_err(E::custom)
    }
    /// A rate a JavaScript caller sent back as a number (rate fields only).
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Decimal::try_from(v).map(Some).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(v)))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A field that is a rate (a fraction, 0.25 = 25%) that may be missing:
/// `#[serde(with = "crate::wire::rate")]` on an `Option<Decimal>`. A type
/// rather than a module, so that one attribute tells both serde how to write
/// the field and the TypeScript declarations ([`crate::typescript`]) what it
/// is (`number | null`).
#[allow(non_camel_case_types)]
pub struct rate;

impl rate {
    /// Writes the rate (see the module).
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        serialize_decimal(v.as_ref(), s)
    }

    /// Reads a rate written either way.
    ///
    /// # Errors
    /// Neither a decimal string nor a number, nor null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }
}

/// A field that is a mean that may be missing (days, units per day): as
/// [`rate`] on the wire, `number | null`, but not a fraction (a CSV writes
/// it as a number, not a percentage).
#[allow(non_camel_case_types)]
pub struct mean;

impl mean {
    /// Writes the mean (see the module).
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        serialize_decimal(v.as_ref(), s)
    }

    /// Reads a mean written either way.
    ///
    /// # Errors
    /// Neither a decimal string nor a number, nor null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }
}

/// A field that is a mean that is never missing (an expected count, a
/// prediction): `#[serde(with = "crate::wire::number")]` on a `Decimal`;
/// `number` in TypeScript.
#[allow(non_camel_case_types)]
pub struct number;

impl number {
    /// Writes the decimal (see the module).
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        serialize_decimal(Some(v), s)
    }

    /// Reads a decimal written either way.
    ///
    /// # Errors
    /// Neither a decimal string nor a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor)?.ok_or_else(|| de::Error::custom("a number that is never null was null"))
    }
}

/// The schema of a field as JavaScript reads it (`for_javascript`): the
/// TypeScript declarations are written from these.
macro_rules! javascript_schema {
    ($ty:ident, $name:literal, $schema:tt) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}
javascript_schema!(rate, "Rate", { "type": ["number", "null"], "x-odx-kind": "rate" });
javascript_schema!(mean, "Mean", { "type": ["number", "null"], "x-odx-kind": "mean" });
javascript_schema!(number, "Number", { "type": "number", "x-odx-kind": "mean" });

/// A key as JavaScript reads it: `no_show_rate` -> `noShowRate`, and a
/// report's `groups` -> `perBranch`; keys that are not snake_case words
/// (the aging buckets `0-30`, `90+`) stay as they are.
pub fn javascript_key(key: &str) -> String {
    if key == "groups" {
        return "perBranch".to_owned();
    }
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `v` (a report, or any part of one) as JavaScript receives it: rates as
/// numbers, money as decimal strings, keys in [`javascript_key`]'s form.
///
/// # Errors
/// The serializer's (a map with a key that is not a string).
pub fn to_javascript<T: serde::Serialize>(v: &T) -> serde_json::Result<serde_json::Value> {
    fn rekey(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (javascript_key(&k), rekey(v))).collect()),
            Value::Array(items) => Value::Array(items.into_iter().map(rekey).collect()),
            other => other,
        }
    }
    for_javascript(|| serde_json::to_value(v)).map(rekey)
}

/// A console answer JavaScript receives ready: `degraded: false` added (see
/// [`degraded`]; TypeScript: `Ready<T>`).
pub fn ready(mut answer: serde_json::Value) -> serde_json::Value {
    if let Some(obj) = answer.as_object_mut() {
        obj.insert("degraded".into(), false.into());
    }
    answer
}

/// The answer of `module` when relations it reads are `missing` (`app.table`
/// or `app.table.column`): `{ module, missing, totals: null, perBranch: [],
/// degraded: true }` (TypeScript: `Degraded`).
pub fn degraded(module: &str, missing: &[String]) -> serde_json::Value {
    serde_json::json!({ "module": module, "missing": missing, "totals": null, "perBranch": [], "degraded": true })
}

/// [`degraded`]'s declaration, at the head of the TypeScript declarations
/// ([`crate::typescript`]): the two are kept side by side.
pub const DEGRADED_TYPESCRIPT: &str = "/**
 * A console answer that could not be computed: a table or column it reads
 * is missing. Every other answer has `degraded: false`.
 */
export interface Degraded {
  /** Always true. */
  degraded: true
  /** Which call. */
  module: string
  /** The missing relations (`app.table` or `app.table.column`). */
  missing: Array<string>
  /** Always null. */
  totals: null
  /** Always empty. */
  perBranch: []
}
";

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        money: Decimal,
        #[serde(with = "rate")]
        share: Option<Decimal>,
        #[serde(with = "number")]
        mean: Decimal,
    }

    #[test]
    fn rates_are_exact_strings_by_default_and_numbers_for_javascript() {
        let row = Row { money: Decimal::new(10050, 2), share: Some(Decimal::new(25, 2)), mean: Decimal::new(1, 1) };
        let canonical = serde_json::to_value(&row).unwrap();
        assert_eq!(canonical, serde_json::json!({"money": "100.50", "share": "0.25", "mean": "0.1"}));
        let js = for_javascript(|| serde_json::to_value(&row)).unwrap();
        assert_eq!(js, serde_json::json!({"money": "100.50", "share": 0.25, "mean": 0.1}));
        assert!(!javascript(), "the mode ends with the call");
        assert_eq!(serde_json::from_value::<Row>(canonical).unwrap(), row);
        assert_eq!(serde_json::from_value::<Row>(js).unwrap(), row);
        let none = Row { share: None, ..row };
        assert_eq!(for_javascript(|| serde_json::to_value(&none)).unwrap()["share"], serde_json::Value::Null);
    }

    #[test]
    fn keys_take_their_javascript_form_and_values_stay_as_core_wrote_them() {
        let core = serde_json::json!({
            "clinic_ids": [1], "group_by": "clinic",
            "totals": {"billed": "100.00", "collection_rate": 0.25, "ar_aging": {"0-30": "1.00", "90+": "0"}},
            "groups": [{"clinic_id": 1, "no_show_rate": 0.07707828894269572}]
        });
        let js = to_javascript(&core).unwrap();
        assert_eq!(js["clinicIds"], serde_json::json!([1]));
        assert_eq!(js["totals"]["collectionRate"], serde_json::json!(0.25));
        assert_eq!(js["totals"]["arAging"]["90+"], serde_json::json!("0"));
        assert_eq!(js["perBranch"][0]["noShowRate"], serde_json::json!(0.07707828894269572));
        let row = Row { money: Decimal::new(1, 0), share: Some(Decimal::new(5, 1)), mean: Decimal::ONE };
        assert_eq!(to_javascript(&row).unwrap(), serde_json::json!({"money": "1", "share": 0.5, "mean": 1.0}));
    }

    #[test]
    fn a_long_decimal_is_the_nearest_number() {
        let d = Decimal::from_str("0.0770782889426957223567393059").unwrap();
        assert_eq!(as_number(d), Some(0.07707828894269572));
    }
}
