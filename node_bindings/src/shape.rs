//! Core's report JSON in JavaScript's shape: camelCase keys, `groups` as
//! `perBranch`, rates as numbers (or null), money left as decimal strings,
//! dates as `YYYY-MM-DD` strings. No number is computed here.

use serde_json::{Map, Value};

/// The fields that are ratios (0..1 fractions), or other decimals that are
/// not money (days): numbers in JavaScript.
/// Every other decimal is money and stays an exact decimal string. (Issue
/// 18 moves this decision into core's types; a unit test keeps the list free
/// of duplicates meanwhile.)
const RATES: &[&str] = &[
    "collection_rate",
    "margin",
    "share",
    "no_show_rate",
    "cancel_rate",
    "arrival_rate",
    "completion_rate",
    "doctor_utilization",
    "chair_utilization",
    "expense_ratio",
    "overdue_share",
    "attendance_rate",
    "absenteeism_rate",
    "acceptance_rate",
    "quotation_conversion",
    "returning_share",
    // The Command Center's and the targets' fractions.
    "attainment",
    "revenue_attainment",
    "miss",
    // Not ratios nor money: units per day and days.
    "daily_consumption",
    "days_of_cover",
    // Not a ratio but not money either: a mean number of days.
    "avg_turnaround_days",
    // A comparison's relative change and shares.
    "change_rate",
    "previous_share",
    // The forecasts' errors, risks and expected counts.
    "mape",
    "branch_mape",
    "error",
    "wape",
    "bias",
    "risk",
    "expected_no_shows",
    "predicted",
    "precision",
    "recall",
];

/// A comparison's measure (`{ metric, kind, current, previous, change }`):
/// its values are numbers when its kind is one of these, decimal strings
/// (money) otherwise.
const NUMBER_KINDS: &[&str] = &["count", "rate", "days"];
const MEASURE_VALUES: &[&str] = &["current", "previous", "change"];

/// `no_show_rate` -> `noShowRate`; keys that are not snake_case words (such
/// as the aging buckets `0-30`, `90+`) stay as they are.
fn camel(key: &str) -> String {
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

fn rate(v: Value) -> Value {
    match v {
        Value::String(s) => {
            s.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
        }
        other => other,
    }
}

/// Reshapes a report (or any part of one).
pub fn to_js(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let numbers = map.get("kind").and_then(Value::as_str).is_some_and(|k| NUMBER_KINDS.contains(&k));
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let number = RATES.contains(&k.as_str()) || (numbers && MEASURE_VALUES.contains(&k.as_str()));
                let v = if number { rate(v) } else { to_js(v) };
                out.insert(camel(&k), v);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(to_js).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_rates_and_money_take_their_javascript_form() {
        let core = json!({
            "clinic_ids": [1], "group_by": "clinic",
            "totals": {"billed": "100.00", "collection_rate": "0.25", "margin": null, "ar_aging": {"0-30": "1.00", "90+": "0"},
                       "payment_mix": [{"method": "cash", "share": "1", "amount": "100.00"}]},
            "groups": [{"clinic_id": 1, "no_show_rate": "0.0770782889426957223567393059"}]
        });
        let js = to_js(core);
        assert_eq!(js["clinicIds"], json!([1]));
        assert_eq!(js["totals"]["billed"], json!("100.00"));
        assert_eq!(js["totals"]["collectionRate"], json!(0.25));
        assert_eq!(js["totals"]["margin"], Value::Null);
        assert_eq!(js["totals"]["arAging"]["90+"], json!("0"));
        assert_eq!(js["totals"]["paymentMix"][0]["share"], json!(1.0));
        assert_eq!(js["perBranch"][0]["clinicId"], json!(1));
        assert_eq!(js["perBranch"][0]["noShowRate"], json!(0.07707828894269572));
    }

    #[test]
    fn a_measure_is_a_number_or_money_by_its_kind() {
        let core = json!({"totals": [
            {"metric": "billed", "kind": "amount", "current": "10.50", "previous": "5.25", "change": "5.25", "change_rate": "1"},
            {"metric": "no_show", "kind": "count", "current": "3", "previous": null, "change": null, "change_rate": null},
            {"metric": "no_show_rate", "kind": "rate", "current": "0.5", "previous": "0.25", "change": "0.25", "change_rate": "1"}
        ]});
        let js = to_js(core);
        assert_eq!(js["totals"][0]["current"], json!("10.50"));
        assert_eq!(js["totals"][0]["changeRate"], json!(1.0));
        assert_eq!(js["totals"][1]["current"], json!(3.0));
        assert_eq!(js["totals"][1]["previous"], Value::Null);
        assert_eq!(js["totals"][2]["change"], json!(0.25));
    }

    #[test]
    fn each_rate_field_is_named_once() {
        let mut names = RATES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RATES.len(), "a field is listed twice in RATES");
    }
}
