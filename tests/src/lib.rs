//! Helpers shared by the integration tests: the known-answer comparator.
//!
//! `fixtures/known_answer/expected.json` states each expected value the way
//! it was worked out by hand: money as decimal strings, counts as numbers,
//! rates as fractions (`"29000/39000"`), `null` for "no data", and each trend
//! as its non-zero days. The comparator checks every field of the actual
//! report against it and names the path of every difference.
#![deny(missing_docs)]

use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

fn decimal(s: &str) -> Option<Decimal> {
    Decimal::from_str(s).ok()
}

/// An expected decimal: `"123.45"` or a fraction `"a/b"` (exact division).
fn expected_decimal(s: &str) -> Option<Decimal> {
    match s.split_once('/') {
        Some((a, b)) => decimal(a)?.checked_div(decimal(b)?),
        None => decimal(s),
    }
}

/// Compares `actual` (a serialized report object) with `expected`.
///
/// With `exhaustive`, every key of an actual object must be stated in the
/// expected one too, so a field can never go unchecked.
pub fn compare(path: &str, expected: &Value, actual: &Value, exhaustive: bool, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) if e.contains_key("nonzero") => compare_trend(path, e, a, errors),
        (Value::Object(e), Value::Object(a)) => {
            if exhaustive {
                for k in a.keys().filter(|k| !e.contains_key(*k)) {
                    errors.push(format!("{path}.{k}: present in the report but not stated in expected.json"));
                }
            }
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => compare(&format!("{path}.{k}"), ev, av, exhaustive, errors),
                    None => errors.push(format!("{path}.{k}: missing from the report")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errors.push(format!("{path}: expected {} entries, got {}: {actual}", e.len(), a.len()));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}[{i}]"), ev, av, exhaustive, errors);
            }
        }
        (Value::String(e), Value::String(a)) if expected_decimal(e).is_some() && decimal(a).is_some() => {
            if expected_decimal(e) != decimal(a) {
                errors.push(format!("{path}: expected {e} = {:?}, got {a}", expected_decimal(e)));
            }
        }
        (e, a) if e == a => {}
        (e, a) => errors.push(format!("{path}: expected {e}, got {a}")),
    }
}

fn compare_trend(
    path: &str,
    e: &serde_json::Map<String, Value>,
    a: &serde_json::Map<String, Value>,
    errors: &mut Vec<String>,
) {
    if e.get("granularity") != a.get("granularity") {
        errors.push(format!("{path}.granularity: expected {:?}, got {:?}", e.get("granularity"), a.get("granularity")));
    }
    let points = a.get("points").and_then(Value::as_array).cloned().unwrap_or_default();
    if Some(points.len() as u64) != e.get("days").and_then(Value::as_u64) {
        errors.push(format!("{path}.points: expected {:?} buckets, got {}", e.get("days"), points.len()));
    }
    let nonzero = e.get("nonzero").and_then(Value::as_object).cloned().unwrap_or_default();
    for p in &points {
        let start = p.get("start").and_then(Value::as_str).unwrap_or("?");
        let (billed, collected) = match nonzero.get(start).and_then(Value::as_array) {
            Some(pair) if pair.len() == 2 => (pair[0].clone(), pair[1].clone()),
            _ => (Value::from("0"), Value::from("0")),
        };
        compare(&format!("{path}[{start}].billed"), &billed, p.get("billed").unwrap_or(&Value::Null), true, errors);
        compare(
            &format!("{path}[{start}].collected"),
            &collected,
            p.get("collected").unwrap_or(&Value::Null),
            true,
            errors,
        );
    }
    for day in nonzero.keys() {
        if !points.iter().any(|p| p.get("start").and_then(Value::as_str) == Some(day)) {
            errors.push(format!("{path}: no bucket starts on {day}"));
        }
    }
}

/// The test database, from `DATABASE_URL` (set by `scripts/test-all.sh`).
///
/// # Panics
/// When `DATABASE_URL` is not set: these tests need the real server.
pub fn database_url() -> String {
    std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| panic!("DATABASE_URL is not set: run the database tests through scripts/test-all.sh"))
}

/// The test database as its owner (`ODX_WRITER_URL`, set by
/// `scripts/test-all.sh`), for the tests that write and put back: the
/// suites themselves read as a role with `SELECT` on `app` only.
///
/// # Panics
/// When `ODX_WRITER_URL` is not set.
pub fn writer_url() -> String {
    std::env::var("ODX_WRITER_URL")
        .unwrap_or_else(|_| panic!("ODX_WRITER_URL is not set: run the database tests through scripts/test-all.sh"))
}

/// Another database of the same server (same credentials).
pub fn database_url_for(db: &str) -> String {
    let url = database_url();
    match url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{db}"),
        None => url,
    }
}

/// Any domain's in-memory report as JSON (what every surface serializes),
/// for tests that go over `Domain::ALL`.
///
/// # Errors
/// What the domain's report refuses.
pub fn in_memory(
    tables: &odx_core::Tables,
    domain: odx_sql::Domain,
    scope: &odx_core::MetricScope,
) -> Result<Value, odx_core::OdxError> {
    use odx_core::console::{DomainMetrics, DomainVisitor};
    use odx_core::{MetricScope, OdxError, Report, Tables};
    struct Json<'a>(&'a Tables, &'a MetricScope);
    impl DomainVisitor for Json<'_> {
        type Output = Result<Value, OdxError>;
        fn visit<M: DomainMetrics>(
            self,
            report: impl Fn(&Tables, &MetricScope) -> Result<Report<M>, OdxError>,
        ) -> Self::Output {
            let report = report(self.0, self.1)?;
            Ok(serde_json::to_value(report).unwrap_or_else(|e| Value::String(format!("unserializable report: {e}"))))
        }
    }
    tables.with_domain(domain, Json(tables, scope))
}

/// Panics with every difference, one per line, when there are any.
pub fn assert_no_differences(what: &str, errors: &[String]) {
    assert!(errors.is_empty(), "{what}: {} difference(s)\n{}", errors.len(), errors.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diffs(e: Value, a: Value, exhaustive: bool) -> Vec<String> {
        let mut errors = Vec::new();
        compare("r", &e, &a, exhaustive, &mut errors);
        errors
    }

    #[test]
    fn equal_values_in_any_scale_and_fractions_match() {
        assert!(diffs(
            json!({"x": "10.00", "r": "1/3", "n": 2, "z": null}),
            json!({"x": "10", "r": "0.3333333333333333333333333333", "n": 2, "z": null}),
            true
        )
        .is_empty());
    }

    #[test]
    fn differences_missing_and_unstated_fields_are_reported() {
        let e = diffs(json!({"x": "10.00", "n": 2}), json!({"x": "10.01", "extra": 1}), true);
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e.iter().any(|m| m.starts_with("r.x: expected 10.00")));
        assert!(e.iter().any(|m| m == "r.n: missing from the report"));
        assert!(e.iter().any(|m| m.starts_with("r.extra: present in the report")));
        assert_eq!(diffs(json!({"r": "1/4"}), json!({"r": null}), true).len(), 1);
    }

    #[test]
    fn trend_days_outside_nonzero_must_be_zero() {
        let e = json!({"granularity": "day", "days": 2, "nonzero": {"2026-06-01": ["5", "0"]}});
        let ok = json!({"granularity": "day", "points": [
            {"start": "2026-06-01", "end": "2026-06-01", "billed": "5.00", "collected": "0"},
            {"start": "2026-06-02", "end": "2026-06-02", "billed": "0", "collected": "0"}]});
        assert!(diffs(e.clone(), ok, true).is_empty());
        let bad = json!({"granularity": "day", "points": [
            {"start": "2026-06-01", "end": "2026-06-01", "billed": "5.00", "collected": "0"},
            {"start": "2026-06-02", "end": "2026-06-02", "billed": "1", "collected": "0"}]});
        assert_eq!(diffs(e, bad, true).len(), 1);
    }
}
