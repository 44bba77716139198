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
use serde::de::{self, Visitor};
use serde::ser::Serializer;
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

/// A field that is a rate: `#[serde(with = "crate::wire::rate")]` on a
/// `Decimal` or an `Option<Decimal>`.
pub mod rate {
    use super::{serialize_decimal, DecimalVisitor};
    use rust_decimal::Decimal;
    use serde::{de, Deserializer, Serializer};

    /// A `Decimal` or `Option<Decimal>` a rate field holds.
    pub trait RateField: Sized {
        /// The decimal, if any.
        fn decimal(&self) -> Option<&Decimal>;
        /// From what was read.
        fn from_decimal<E: de::Error>(d: Option<Decimal>) -> Result<Self, E>;
    }

    impl RateField for Decimal {
        fn decimal(&self) -> Option<&Decimal> {
            Some(self)
        }
        fn from_decimal<E: de::Error>(d: Option<Decimal>) -> Result<Self, E> {
            d.ok_or_else(|| E::custom("a rate that is never null was null"))
        }
    }

    impl RateField for Option<Decimal> {
        fn decimal(&self) -> Option<&Decimal> {
            self.as_ref()
        }
        fn from_decimal<E: de::Error>(d: Option<Decimal>) -> Result<Self, E> {
            Ok(d)
        }
    }

    /// Writes the rate (see the module).
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<T: RateField, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        serialize_decimal(v.decimal(), s)
    }

    /// Reads a rate written either way.
    ///
    /// # Errors
    /// Neither a decimal string nor a number.
    pub fn deserialize<'de, T: RateField, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        T::from_decimal(d.deserialize_any(DecimalVisitor)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        money: Decimal,
        #[serde(with = "rate")]
        share: Option<Decimal>,
        #[serde(with = "rate")]
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
    fn a_long_decimal_is_the_nearest_number() {
        let d = Decimal::from_str("0.0770782889426957223567393059").unwrap();
        assert_eq!(as_number(d), Some(0.07707828894269572));
    }
}
