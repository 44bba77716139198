//! Any per-branch table as CSV: the rows of a report (its `groups`), the
//! leaderboard, a benchmark's drivers, the churn list ... Written with the
//! `csv` crate (RFC 4180 quoting: commas, quotes and line breaks inside a
//! field are quoted, quotes doubled).
//!
//! A row is a JSON object, written for a person with a spreadsheet:
//!
//! * nested objects become dotted columns (`ar_aging.90+`);
//! * a list keyed by a name (`payment_mix` by method, `opex_by_category`,
//!   `by_vendor`, `headcount_by_role`, the top procedures by code) becomes
//!   one column per key and field (`payment_mix.cash.amount`); any other list
//!   (the trend, the churn list, the reorder list) is a table of its own and
//!   is left out of the row, never written as a JSON blob;
//! * when the row's type is known ([`table_csv`], [`report_csv`], or a named
//!   table from JavaScript), a rate is a percentage to one decimal (`11.4%`),
//!   a mean is rounded to two decimals, money keeps its exact decimal text
//!   and counts their digits; an untyped table keeps every value as given;
//! * a null is an empty cell.
//!
//! The columns are every key met, in the order first met.

use crate::error::{OdxError, Result};
use crate::typescript::{FieldKind, FieldKinds};
use rust_decimal::{Decimal, RoundingStrategy};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;

/// The fields that name the items of a list written as columns.
const LIST_KEYS: [&str; 6] = ["method", "category", "vendor", "role", "procedure_code", "procedureCode"];

/// Fields that are tables of their own (a time series), left out of a row.
const OWN_TABLES: [&str; 1] = ["trend"];

/// One flattened cell: its column, its JSON pointer (for its kind) and its
/// value.
struct Cell {
    column: String,
    pointer: String,
    value: Value,
}

fn flatten(column: &str, pointer: &str, value: &Value, out: &mut Vec<Cell>) {
    let join = |a: &str, k: &str| if a.is_empty() { k.to_owned() } else { format!("{a}.{k}") };
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter().filter(|(k, _)| !OWN_TABLES.contains(&k.as_str())) {
                flatten(&join(column, k), &format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")), v, out);
            }
        }
        Value::Array(items) => {
            let key =
                |item: &Value| LIST_KEYS.iter().find_map(|k| item.get(*k).and_then(Value::as_str).map(str::to_owned));
            if items.is_empty() || !items.iter().all(|i| key(i).is_some()) {
                return;
            }
            for item in items {
                let Some(name) = key(item) else { continue };
                for (k, v) in item.as_object().into_iter().flatten() {
                    if !LIST_KEYS.contains(&k.as_str()) {
                        flatten(&join(&join(column, &name), k), &format!("{pointer}/0/{k}"), v, out);
                    }
                }
            }
        }
        other => out.push(Cell { column: column.to_owned(), pointer: pointer.to_owned(), value: other.clone() }),
    }
}

/// The text of a cell, as its kind is written for a person.
fn text(value: &Value, kind: Option<FieldKind>) -> String {
    let decimal = || match value {
        Value::String(s) => Decimal::from_str(s).or_else(|_| Decimal::from_scientific(s)).ok(),
        Value::Number(n) => n.as_f64().and_then(|f| Decimal::try_from(f).ok()),
        _ => None,
    };
    match (kind, decimal()) {
        (Some(FieldKind::Rate), Some(d)) => match d.checked_mul(Decimal::ONE_HUNDRED) {
            Some(p) => format!("{}%", p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)),
            None => d.to_string(),
        },
        (Some(FieldKind::Mean), Some(d)) => {
            d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero).normalize().to_string()
        }
        _ => match value {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            other => other.to_string(),
        },
    }
}

fn bad(message: impl ToString) -> OdxError {
    OdxError::InvalidArgument { field: "table", message: message.to_string() }
}

/// The CSV text (header line first) of `rows`, each a JSON object; `kinds`
/// (the row type's fields) writes rates as percentages and rounds means.
///
/// # Errors
/// [`OdxError::InvalidArgument`] when a row is not an object.
pub fn rows_csv(rows: &[Value], kinds: Option<&FieldKinds>) -> Result<String> {
    let mut flat = Vec::with_capacity(rows.len());
    let mut columns: Vec<String> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if !row.is_object() {
            return Err(bad(format!("row {i} is not an object")));
        }
        let mut cells = Vec::new();
        flatten("", "", row, &mut cells);
        let mut texts = BTreeMap::new();
        for c in cells {
            if !columns.contains(&c.column) {
                columns.push(c.column.clone());
            }
            let kind = kinds.and_then(|k| k.kind(&c.pointer));
            texts.insert(c.column, text(&c.value, kind));
        }
        flat.push(texts);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    if !columns.is_empty() {
        w.write_record(&columns).map_err(bad)?;
    }
    for row in &flat {
        let record = columns.iter().map(|c| row.get(c).map_or("", String::as_str));
        w.write_record(record).map_err(bad)?;
    }
    String::from_utf8(w.into_inner().map_err(bad)?).map_err(bad)
}

/// The CSV of a table of `T` rows (`value` serialized, which must be an
/// array of objects), rates as percentages.
///
/// # Errors
/// [`OdxError::InvalidArgument`] when it is not an array of objects.
pub fn table_csv<T: Serialize + JsonSchema>(value: &[T]) -> Result<String> {
    match serde_json::to_value(value).map_err(bad)? {
        Value::Array(rows) => rows_csv(&rows, Some(&FieldKinds::of::<T>())),
        _ => Err(bad("is not an array of rows")),
    }
}

/// The named tables a caller without Rust types (JavaScript) can ask
/// [`named_kinds`] for: each domain's rows (`financial`, ...), and the
/// console's `leaderboard`, `overview`, `drivers`, `actions`, `anomalies`
/// and `alerts`.
pub const TABLES: [&str; 14] = [
    "financial",
    "operations",
    "accounting",
    "lab",
    "staff",
    "clinical",
    "patients",
    "inventory",
    "leaderboard",
    "overview",
    "drivers",
    "actions",
    "anomalies",
    "alerts",
];

/// The field kinds of a named table's rows ([`TABLES`]).
///
/// # Errors
/// [`OdxError::InvalidOption`] naming the tables known.
pub fn named_kinds(name: &str) -> Result<FieldKinds> {
    use crate::{command, insights, targets};
    if let Some(domain) = crate::Domain::parse(name) {
        return Ok(FieldKinds::of_domain(domain));
    }
    Ok(match name {
        "leaderboard" => FieldKinds::of::<command::LeaderRow>(),
        "overview" => FieldKinds::of::<insights::OverviewRow>(),
        "drivers" => FieldKinds::of::<insights::DriverGap>(),
        "actions" => FieldKinds::of::<insights::Action>(),
        "anomalies" => FieldKinds::of::<insights::Anomaly>(),
        "alerts" => FieldKinds::of::<targets::Alert>(),
        other => {
            return Err(OdxError::InvalidOption { field: "table", value: other.to_owned(), allowed: &TABLES });
        }
    })
}

/// The per-branch table of a report (its `groups`, one row per branch or
/// per branch and doctor, keys and names first) as CSV.
///
/// # Errors
/// As [`table_csv`].
pub fn report_csv<M: Serialize + JsonSchema>(report: &crate::report::Report<M>) -> Result<String> {
    table_csv(&report.groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quoting_nesting_arrays_and_nulls() {
        let rows = [
            json!({"clinic_id": 1, "name": "Gulberg, \"Main\"\nBranch", "aging": {"0-30": "10.50", "90+": "0"},
                   "mix": [{"method": "cash", "amount": "5.00"}], "trend": [{"start": "2026-06-01"}], "rate": null}),
            json!({"clinic_id": 2, "extra": true}),
        ];
        let text = rows_csv(&rows, None).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(header, ["clinic_id", "name", "aging.0-30", "aging.90+", "mix.cash.amount", "rate", "extra"]);
        let records: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(&records[0][1], "Gulberg, \"Main\"\nBranch", "round-trips through a CSV reader");
        assert_eq!(&records[0][2], "10.50");
        assert_eq!(&records[0][4], "5.00", "a keyed list is columns; an unkeyed one is left out");
        assert_eq!(&records[0][5], "");
        assert_eq!((&records[1][0], &records[1][1], &records[1][6]), ("2", "", "true"));
        assert!(rows_csv(&[json!(3)], None).is_err());
        assert_eq!(rows_csv(&[], None).unwrap(), "");
    }
}
