//! Any per-branch table as CSV: the rows of a report (its `groups`), the
//! leaderboard, a benchmark's drivers, the churn list ... Written with the
//! `csv` crate (RFC 4180 quoting: commas, quotes and line breaks inside a
//! field are quoted, quotes doubled).
//!
//! A row is a JSON object. Nested objects become dotted columns
//! (`ar_aging.90+`); an array inside a row is one cell holding its JSON; a
//! null is an empty cell. Money keeps its exact decimal text. The columns
//! are every key met, in the order first met.

use crate::error::{OdxError, Result};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let name = |k: &str| if prefix.is_empty() { k.to_owned() } else { format!("{prefix}.{k}") };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::Object(_) => flatten(&name(k), v, out),
                    other => out.push((name(k), cell(other))),
                }
            }
        }
        other => out.push((prefix.to_owned(), cell(other))),
    }
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

fn bad(message: impl ToString) -> OdxError {
    OdxError::InvalidArgument { field: "table", message: message.to_string() }
}

/// The CSV text (header line first) of `rows`, each a JSON object.
///
/// # Errors
/// [`OdxError::InvalidArgument`] when a row is not an object.
pub fn rows_csv(rows: &[Value]) -> Result<String> {
    let mut flat = Vec::with_capacity(rows.len());
    let mut columns: Vec<String> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if !row.is_object() {
            return Err(bad(format!("row {i} is not an object")));
        }
        let mut cells = Vec::new();
        flatten("", row, &mut cells);
        for (name, _) in &cells {
            if !columns.contains(name) {
                columns.push(name.clone());
            }
        }
        flat.push(cells.into_iter().collect::<BTreeMap<String, String>>());
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

/// The CSV of a table: `value` serialized, which must be an array of
/// objects.
///
/// # Errors
/// [`OdxError::InvalidArgument`] when it is not an array of objects.
pub fn table_csv<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    match serde_json::to_value(value).map_err(bad)? {
        Value::Array(rows) => rows_csv(&rows),
        _ => Err(bad("is not an array of rows")),
    }
}

/// The per-branch table of a report (its `groups`, one row per branch or
/// per branch and doctor, keys first) as CSV.
///
/// # Errors
/// As [`table_csv`].
pub fn report_csv<M: Serialize>(report: &crate::report::Report<M>) -> Result<String> {
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
                   "mix": [{"method": "cash"}], "rate": null}),
            json!({"clinic_id": 2, "extra": true}),
        ];
        let text = rows_csv(&rows).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(header, ["clinic_id", "name", "aging.0-30", "aging.90+", "mix", "rate", "extra"]);
        let records: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(&records[0][1], "Gulberg, \"Main\"\nBranch", "round-trips through a CSV reader");
        assert_eq!(&records[0][2], "10.50");
        assert_eq!(&records[0][4], r#"[{"method":"cash"}]"#);
        assert_eq!(&records[0][5], "");
        assert_eq!((&records[1][0], &records[1][1], &records[1][6]), ("2", "", "true"));
        assert!(rows_csv(&[json!(3)]).is_err());
        assert_eq!(rows_csv(&[]).unwrap(), "");
    }
}
