//! Arguments from JavaScript, checked field by field: a bad argument is an
//! `ODX_INVALID_ARGUMENT` error that names the field, never a crash.

use chrono::{DateTime, NaiveDate, Utc};
use odx_core::targets::MinVolume;
use odx_core::{Domain, GroupBy, MetricScope, Period};
use serde_json::{Map, Value};

/// A bad argument: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadArgument {
    /// The field, e.g. `clinicIds[2]`.
    pub field: String,
    /// What it should be.
    pub message: String,
}

impl BadArgument {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        BadArgument { field: field.into(), message: message.into() }
    }
}

type Checked<T> = Result<T, BadArgument>;

/// The object argument itself.
pub fn object<'a>(value: &'a Value, name: &str) -> Checked<&'a Map<String, Value>> {
    value.as_object().ok_or_else(|| BadArgument::new(name, "must be an object"))
}

/// A required `YYYY-MM-DD` date.
pub fn date(obj: &Map<String, Value>, field: &str) -> Checked<NaiveDate> {
    let s = obj
        .get(field)
        .ok_or_else(|| BadArgument::new(field, "is required (a YYYY-MM-DD date)"))?
        .as_str()
        .ok_or_else(|| BadArgument::new(field, "must be a YYYY-MM-DD string"))?;
    let valid_shape = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    let parsed = if valid_shape { NaiveDate::parse_from_str(s, "%Y-%m-%d").ok() } else { None };
    parsed.ok_or_else(|| BadArgument::new(field, format!("{s:?} is not a valid YYYY-MM-DD date")))
}

/// The optional `asOf` instant of a report: an ISO 8601 / RFC 3339 string
/// with its offset (`new Date().toISOString()`) or epoch milliseconds
/// (`Date.now()`); absent or `null`: `now`, the call's time, which the
/// binding reads from its host's clock (Node's, or JavaScript's `Date.now()`
/// in WebAssembly, which has none of its own). Never core.
pub fn as_of(obj: &Map<String, Value>, field: &str, now: DateTime<Utc>) -> Checked<DateTime<Utc>> {
    let bad = |v: &Value| {
        BadArgument::new(field, format!("must be an ISO 8601 instant with its offset or epoch milliseconds, not {v}"))
    };
    match obj.get(field) {
        None | Some(Value::Null) => Ok(now),
        Some(v @ Value::String(s)) => {
            DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).map_err(|_| bad(v))
        }
        // JavaScript numbers arrive as floats: a whole number of safe size.
        Some(v @ Value::Number(n)) => n
            .as_f64()
            .filter(|ms| ms.fract() == 0.0 && ms.abs() < 9_007_199_254_740_992.0)
            .and_then(|ms| DateTime::from_timestamp_millis(ms as i64))
            .ok_or_else(|| bad(v)),
        Some(v) => Err(bad(v)),
    }
}

/// The optional `minVolume` of a console request: `{ appointments?,
/// invoices?, capacityHours? }`, each a whole number of 0 or more (absent:
/// core's default).
pub fn min_volume(obj: &Map<String, Value>, field: &str) -> Checked<Option<MinVolume>> {
    let inner = match obj.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(inner)) => inner,
        Some(v) => return Err(BadArgument::new(field, format!("must be an object, not {v}"))),
    };
    let d = MinVolume::DEFAULT;
    let count = |key: &str, default: u64| -> Checked<u64> {
        match inner.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => v
                .as_u64()
                .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9e15).map(|f| f as u64))
                .ok_or_else(|| {
                    BadArgument::new(format!("{field}.{key}"), format!("must be a whole number of 0 or more, not {v}"))
                }),
        }
    };
    Ok(Some(MinVolume {
        appointments: count("appointments", d.appointments)?,
        invoices: count("invoices", d.invoices)?,
        capacity_hours: count("capacityHours", d.capacity_hours)?,
    }))
}

/// A required array of clinic ids (safe integers).
pub fn ids(obj: &Map<String, Value>, field: &str) -> Checked<Vec<i64>> {
    let items = obj
        .get(field)
        .ok_or_else(|| BadArgument::new(field, "is required (an array of clinic ids)"))?
        .as_array()
        .ok_or_else(|| BadArgument::new(field, "must be an array of clinic ids"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_i64().filter(|n| n.unsigned_abs() < (1 << 53)).ok_or_else(|| {
                BadArgument::new(format!("{field}[{i}]"), format!("must be an integer clinic id, not {v}"))
            })
        })
        .collect()
}

/// An optional array of clinic ids: `None` when absent or `null`.
pub fn optional_ids(obj: &Map<String, Value>, field: &str) -> Checked<Option<Vec<i64>>> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => ids(obj, field).map(Some),
    }
}

/// An optional whole number: `None` when absent or `null`.
pub fn optional_integer(obj: &Map<String, Value>, field: &str) -> Checked<Option<i64>> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            v.as_i64().map(Some).ok_or_else(|| BadArgument::new(field, format!("must be a whole number, not {v}")))
        }
    }
}

/// An optional text: `None` when absent or `null`.
pub fn optional_text(obj: &Map<String, Value>, field: &str) -> Checked<Option<String>> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => Err(BadArgument::new(field, format!("must be a string, not {v}"))),
    }
}

/// A required whole number (an id).
pub fn integer(obj: &Map<String, Value>, field: &str) -> Checked<i64> {
    optional_integer(obj, field)?.ok_or_else(|| BadArgument::new(field, "is required (a whole number)"))
}

/// A required domain name (`financial`, `operations` ...).
pub fn domain(obj: &Map<String, Value>, field: &str) -> Checked<Domain> {
    let names = "financial, operations, accounting, lab, staff, clinical, patients or inventory";
    match obj.get(field) {
        None | Some(Value::Null) => Err(BadArgument::new(field, format!("is required ({names})"))),
        Some(Value::String(s)) => {
            Domain::parse(s).ok_or_else(|| BadArgument::new(field, format!("{s:?} is not one of {names}")))
        }
        Some(other) => Err(BadArgument::new(field, format!("must be one of {names}, not {other}"))),
    }
}

/// A copy of `value` with every object key in snake_case (`clinicId` ->
/// `clinic_id`); values are kept as they are.
///
/// # Errors
/// [`BadArgument`] naming `field` when two keys of one object name the same
/// thing (`{ clinicId, clinic_id }`): refused, never one of them silently.
pub fn snake_keys(value: &Value, field: &str) -> Checked<Value> {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let mut key = String::with_capacity(k.len() + 4);
                for c in k.chars() {
                    if c.is_ascii_uppercase() {
                        key.push('_');
                        key.push(c.to_ascii_lowercase());
                    } else {
                        key.push(c);
                    }
                }
                if out.contains_key(&key) {
                    return Err(BadArgument::new(
                        field,
                        format!("{key:?} is given twice (camelCase and snake_case): give one"),
                    ));
                }
                let v = snake_keys(v, field)?;
                out.insert(key, v);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => Ok(Value::Array(items.iter().map(|v| snake_keys(v, field)).collect::<Checked<_>>()?)),
        other => Ok(other.clone()),
    }
}

/// `groupBy`: `clinic` (the default), `doctor` or `none`.
pub fn group_by(obj: &Map<String, Value>, field: &str) -> Checked<GroupBy> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(GroupBy::Clinic),
        Some(Value::String(s)) => {
            s.parse().map_err(|_| BadArgument::new(field, format!("{s:?} is not one of clinic, doctor, none")))
        }
        Some(other) => Err(BadArgument::new(field, format!("must be clinic, doctor or none, not {other}"))),
    }
}

/// A request's scope: `{ clinicIds, from, to, groupBy? }`, and the clinics the
/// caller may see (`allowedClinicIds`, when the route passes the principal's
/// scope). Range rules are core's, checked by [`MetricScope::new`].
#[derive(Debug, Clone)]
pub struct Request {
    /// The requested clinics, dates and grouping.
    pub clinic_ids: Vec<i64>,
    /// First local date.
    pub from: NaiveDate,
    /// Last local date.
    pub to: NaiveDate,
    /// Grouping.
    pub group_by: GroupBy,
    /// The principal's clinics, when given.
    pub allowed: Option<Vec<i64>>,
    /// The patients domain's active window, when given.
    pub active_window_months: Option<i64>,
    /// The instant it is read at (`asOf`, default: the call's time).
    pub now: DateTime<Utc>,
}

impl Request {
    /// Reads a request object.
    ///
    /// # Errors
    /// [`BadArgument`] naming the first bad field.
    pub fn read(value: &Value, name: &str, now: DateTime<Utc>) -> Checked<Request> {
        let obj = object(value, name)?;
        Ok(Request {
            clinic_ids: ids(obj, "clinicIds")?,
            from: date(obj, "from")?,
            to: date(obj, "to")?,
            group_by: group_by(obj, "groupBy")?,
            allowed: optional_ids(obj, "allowedClinicIds")?,
            active_window_months: optional_integer(obj, "activeWindowMonths")?,
            now: as_of(obj, "asOf", now)?,
        })
    }

    /// The core scope of the request.
    ///
    /// # Errors
    /// Core's: an invalid range, a clinic outside `allowed`.
    pub fn scope(&self) -> odx_core::Result<MetricScope> {
        let mut scope =
            Period::new(self.from, self.to).at(Some(self.now)).scope(self.clinic_ids.iter().copied(), self.group_by)?;
        if let Some(months) = self.active_window_months {
            scope = scope.with_active_window_months(months)?;
        }
        match &self.allowed {
            Some(allowed) => scope.within(allowed),
            None => Ok(scope),
        }
    }
}

/// A console request of an organization: `{ organizationId, from, to,
/// clinicIds?, allowedClinicIds? }` (every branch when `clinicIds` is
/// absent), with `clinicId` for a benchmark, and `date` instead of `from`
/// and `to` for a day's overview.
#[derive(Debug, Clone)]
pub struct ConsoleRequest {
    /// The organization.
    pub organization_id: i64,
    /// The branch benchmarked.
    pub clinic_id: Option<i64>,
    /// Some of its branches, or all.
    pub clinic_ids: Option<Vec<i64>>,
    /// The principal's clinics, when given.
    pub allowed: Option<Vec<i64>>,
    /// First local date.
    pub from: NaiveDate,
    /// Last local date.
    pub to: NaiveDate,
    /// The instant it is read at (`asOf`, default: the call's time).
    pub now: DateTime<Utc>,
    /// The least volumes rate targets are judged on (`minVolume`).
    pub min_volume: Option<MinVolume>,
}

impl ConsoleRequest {
    /// Reads a console request object.
    ///
    /// # Errors
    /// [`BadArgument`] naming the first bad field.
    pub fn read(value: &Value, name: &str, now: DateTime<Utc>) -> Checked<ConsoleRequest> {
        let obj = object(value, name)?;
        let (from, to) = if obj.contains_key("date") {
            if obj.contains_key("from") || obj.contains_key("to") {
                return Err(BadArgument::new("date", "give date (one day) or from and to, not both"));
            }
            let day = date(obj, "date")?;
            (day, day)
        } else {
            (date(obj, "from")?, date(obj, "to")?)
        };
        Ok(ConsoleRequest {
            organization_id: integer(obj, "organizationId")?,
            clinic_id: optional_integer(obj, "clinicId")?,
            clinic_ids: optional_ids(obj, "clinicIds")?,
            allowed: optional_ids(obj, "allowedClinicIds")?,
            from,
            to,
            now: as_of(obj, "asOf", now)?,
            min_volume: min_volume(obj, "minVolume")?,
        })
    }

    /// The period asked, read at `asOf`.
    pub fn period(&self) -> Period {
        Period::new(self.from, self.to).at(Some(self.now))
    }

    /// The benchmarked branch.
    ///
    /// # Errors
    /// [`BadArgument`] when `clinicId` is absent.
    pub fn clinic(&self) -> Checked<i64> {
        self.clinic_id.ok_or_else(|| BadArgument::new("clinicId", "is required (the branch benchmarked)"))
    }
}

/// A policy request of a user: `{ userId, organizationId?, focusClinicId?,
/// focusCity?, action?, resource? }` (the action and resource in snake_case for core).
#[derive(Debug, Clone)]
pub struct UserRequest {
    /// The user.
    pub user_id: i64,
    /// The organization asked for.
    pub organization_id: Option<i64>,
    /// The focus branch.
    pub focus: Option<i64>,
    /// The focus city.
    pub city: Option<String>,
    /// The action, as JSON.
    pub action: String,
    /// The resource, as JSON.
    pub resource: String,
}

impl UserRequest {
    /// Reads a policy request object.
    ///
    /// # Errors
    /// [`BadArgument`] naming the first bad field.
    pub fn read(value: &Value, name: &str) -> Checked<UserRequest> {
        let obj = object(value, name)?;
        let json = |field: &str| -> Checked<String> {
            Ok(match obj.get(field) {
                Some(v) => snake_keys(v, field)?.to_string(),
                None => String::new(),
            })
        };
        Ok(UserRequest {
            user_id: integer(obj, "userId")?,
            organization_id: optional_integer(obj, "organizationId")?,
            focus: optional_integer(obj, "focusClinicId")?,
            city: optional_text(obj, "focusCity")?,
            action: json("action")?,
            resource: json("resource")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_782_800_000, 0).unwrap_or_default()
    }

    #[test]
    fn every_bad_field_is_named() -> Result<(), BadArgument> {
        let bad = |v: Value| Request::read(&v, "params", now()).err().map(|e| e.field);
        assert_eq!(bad(json!(3)).as_deref(), Some("params"));
        assert_eq!(bad(json!({"from": "2026-06-01", "to": "2026-06-30"})).as_deref(), Some("clinicIds"));
        assert_eq!(
            bad(json!({"clinicIds": "1", "from": "2026-06-01", "to": "2026-06-30"})).as_deref(),
            Some("clinicIds")
        );
        assert_eq!(
            bad(json!({"clinicIds": [1, "2"], "from": "2026-06-01", "to": "2026-06-30"})).as_deref(),
            Some("clinicIds[1]")
        );
        assert_eq!(
            bad(json!({"clinicIds": [1.5], "from": "2026-06-01", "to": "2026-06-30"})).as_deref(),
            Some("clinicIds[0]")
        );
        assert_eq!(bad(json!({"clinicIds": [1], "from": "2026-6-1", "to": "2026-06-30"})).as_deref(), Some("from"));
        assert_eq!(bad(json!({"clinicIds": [1], "from": "2026-02-30", "to": "2026-06-30"})).as_deref(), Some("from"));
        assert_eq!(bad(json!({"clinicIds": [1], "from": "2026-06-01"})).as_deref(), Some("to"));
        assert_eq!(
            bad(json!({"clinicIds": [1], "from": "2026-06-01", "to": "2026-06-30", "groupBy": "x"})).as_deref(),
            Some("groupBy")
        );
        let ok = Request::read(&json!({"clinicIds": [1, 2], "from": "2026-06-01", "to": "2026-06-30"}), "p", now())?;
        assert_eq!(ok.group_by, GroupBy::Clinic);
        assert!(ok.scope().is_ok());
        Ok(())
    }
}
