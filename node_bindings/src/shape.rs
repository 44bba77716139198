//! Core's report JSON in JavaScript's key shape: camelCase keys, `groups` as
//! `perBranch`. Which values are numbers (rates, counts) and which decimal
//! strings (money) is core's decision, made as it serializes for JavaScript
//! (`odx_core::wire`); nothing here looks at a value.

use serde_json::Value;

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

/// Reshapes a report (or any part of one).
pub fn to_js(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (camel(&k), to_js(v))).collect()),
        Value::Array(items) => Value::Array(items.into_iter().map(to_js).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_take_their_javascript_form_and_values_stay_as_core_wrote_them() {
        let core = json!({
            "clinic_ids": [1], "group_by": "clinic",
            "totals": {"billed": "100.00", "collection_rate": 0.25, "margin": null, "ar_aging": {"0-30": "1.00", "90+": "0"},
                       "payment_mix": [{"method": "cash", "share": 1.0, "amount": "100.00"}]},
            "groups": [{"clinic_id": 1, "no_show_rate": 0.07707828894269572}]
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
}
