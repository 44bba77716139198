//! The TypeScript declarations of what a JavaScript caller receives, written
//! from core's own types: every answer is declared by the JSON Schema its
//! type derives (`schemars`, which reads the same `serde` attributes the
//! serialization obeys), then written as TypeScript in JavaScript's key form
//! ([`wire::javascript_key`]). A rate field is `number | null` because its
//! `#[serde(with = "crate::wire::rate")]` says so; money is `string`.
//!
//! The Node addon's `index.d.ts` starts with [`declarations`] (and the
//! WebAssembly build will too); a test fails when the committed file is
//! stale.

use crate::command::CommandCenter;
use crate::compare::Comparison;
use crate::domain::Domain;
use crate::forecast::{ChurnForecast, NoShowForecast, RevenueForecast};
use crate::insights::{Benchmark, Digest, NetworkOverview};
use crate::policy::{Decision, InsightsScope};
use crate::report::Report;
use crate::wire;
use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The type parameter `M` of a generic declaration (`Report<M>`).
struct M;

impl JsonSchema for M {
    fn schema_name() -> Cow<'static, str> {
        "M".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "x-type-parameter": "M" })
    }
}

/// The metrics type of each domain's report, by domain.
fn metrics(generator: &mut SchemaGenerator, domain: Domain) -> Schema {
    macro_rules! arms {
        ([$generator:ident, $domain:ident] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
            match $domain {
                $(Domain::$variant => $generator.subschema_for::<crate::$metrics>(),)*
            }
        };
    }
    crate::domains!(arms, generator, domain)
}

/// The declarations: every type an answer reaches, sorted by name, then one
/// `<Domain>Report` per domain (`Report<<Domain>Metrics> | Degraded`).
///
/// # Errors
/// A schema this writer cannot express (a bug in core's types, caught by
/// the test that keeps `index.d.ts` fresh).
pub fn declarations() -> Result<String, String> {
    let mut generator = SchemaGenerator::new(SchemaSettings::draft2020_12().for_serialize());
    // The answers a caller receives with a `degraded` flag (`T | Degraded`):
    // their declarations carry `degraded: false`.
    let mut answers: Vec<String> = Vec::new();
    fn answer<T: JsonSchema>(generator: &mut SchemaGenerator, answers: &mut Vec<String>) {
        generator.subschema_for::<T>();
        answers.push(T::schema_name().into_owned());
    }
    answer::<Report<M>>(&mut generator, &mut answers);
    for domain in Domain::ALL {
        metrics(&mut generator, domain);
    }
    answer::<CommandCenter>(&mut generator, &mut answers);
    answer::<Digest>(&mut generator, &mut answers);
    answer::<Benchmark>(&mut generator, &mut answers);
    answer::<NetworkOverview>(&mut generator, &mut answers);
    answer::<Comparison>(&mut generator, &mut answers);
    answer::<RevenueForecast>(&mut generator, &mut answers);
    answer::<NoShowForecast>(&mut generator, &mut answers);
    answer::<ChurnForecast>(&mut generator, &mut answers);
    generator.subschema_for::<InsightsScope>();
    generator.subschema_for::<Decision>();
    generator.subschema_for::<crate::targets::TargetSetting>();
    let definitions: BTreeMap<String, Value> = generator.take_definitions(true).into_iter().collect();

    let mut out = String::from(wire::DEGRADED_TYPESCRIPT);
    for (name, schema) in &definitions {
        if answers.contains(name) {
            if let Some(user) = definitions.iter().find(|(_, s)| refers_to(s, name)) {
                return Err(format!("{name} is an answer (it has `degraded`) but {} contains it", user.0));
            }
        }
        out.push('\n');
        declaration(&mut out, name, schema, answers.contains(name))?;
    }
    for domain in Domain::ALL {
        let title = title(domain.as_str());
        let metrics = metrics(&mut generator, domain);
        let _ = write!(
            out,
            "\n/** The {} report, or what it misses. */\nexport type {title}Report = Report<{}> | Degraded\n",
            domain.as_str(),
            ty(metrics.as_value())?,
        );
    }
    out.push_str(
        "\n/** The Command Center when it could be computed. */\nexport type CommandCenterReady = CommandCenter\n",
    );
    Ok(out)
}

/// What a field of a domain's metrics is, as core's types declare it (and
/// so as it crosses the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Money: an exact decimal string (or null).
    Money,
    /// A count: an integer.
    Count,
    /// A rate, a fraction (0.25 = 25%): an exact decimal string in the
    /// canonical JSON, a number for JavaScript (or null).
    Rate,
    /// A mean (days, units per day, an expected count): as a rate on the
    /// wire, but not a fraction.
    Mean,
}

/// The kinds of the fields of one type, looked up by JSON pointer.
pub struct FieldKinds {
    root: Value,
    definitions: Map<String, Value>,
}

impl FieldKinds {
    /// The fields of `T` (a row type: a report's group row, a leaderboard
    /// row ...).
    pub fn of<T: JsonSchema>() -> Self {
        let mut generator = SchemaGenerator::new(SchemaSettings::draft2020_12().for_serialize());
        let root = generator.subschema_for::<T>().to_value();
        FieldKinds { root, definitions: generator.take_definitions(true) }
    }

    /// The fields of `domain`'s metrics.
    pub fn of_domain(domain: Domain) -> Self {
        let mut generator = SchemaGenerator::new(SchemaSettings::draft2020_12().for_serialize());
        let root = metrics(&mut generator, domain).to_value();
        FieldKinds { root, definitions: generator.take_definitions(true) }
    }

    /// The kind of the scalar field at `pointer` (`/ar_aging/90+`,
    /// `/by_vendor/0/open_cases`; keys in snake_case or in JavaScript's
    /// camelCase); `None` when there is no such scalar field.
    pub fn kind(&self, pointer: &str) -> Option<FieldKind> {
        let mut schema = resolve(&self.definitions, &self.root)?;
        for segment in pointer.split('/').skip(1) {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            let next = match segment.parse::<usize>() {
                Ok(_) => schema.get("items")?,
                Err(_) => self.property(schema, &segment)?,
            };
            schema = resolve(&self.definitions, next)?;
        }
        if schema.get("x-odx-kind").and_then(Value::as_str) == Some("mean") {
            return Some(FieldKind::Mean);
        }
        let types: Vec<&str> = match schema.get("type")? {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return None,
        };
        match *types.iter().find(|t| **t != "null")? {
            "string" => Some(FieldKind::Money),
            "integer" => Some(FieldKind::Count),
            "number" => Some(FieldKind::Rate),
            _ => None,
        }
    }

    /// The property `key` of an object schema, or of one of its `allOf`
    /// parts (a group row: its key and its metrics side by side).
    fn property<'a>(&'a self, schema: &'a Value, key: &str) -> Option<&'a Value> {
        let own = schema
            .get("properties")
            .and_then(Value::as_object)
            .and_then(|p| p.iter().find(|(k, _)| *k == key || wire::javascript_key(k) == key).map(|(_, v)| v));
        own.or_else(|| {
            schema
                .get("allOf")?
                .as_array()?
                .iter()
                .find_map(|part| self.property(resolve(&self.definitions, part)?, key))
        })
    }
}

/// The kind of the field at `pointer` (a JSON pointer, `/ar_aging/90+`,
/// `/by_vendor/0/open_cases`) of `domain`'s metrics; `None` when there is
/// no such scalar field.
pub fn field_kind(domain: Domain, pointer: &str) -> Option<FieldKind> {
    FieldKinds::of_domain(domain).kind(pointer)
}

/// `schema` through references and `T | null` alternatives.
fn resolve<'a>(definitions: &'a Map<String, Value>, mut schema: &'a Value) -> Option<&'a Value> {
    for _ in 0..16 {
        if let Some(name) = schema.get("$ref").and_then(Value::as_str).and_then(reference) {
            schema = definitions.get(&name)?;
        } else if let Some(options) = ["anyOf", "oneOf"].iter().find_map(|k| schema.get(*k).and_then(Value::as_array)) {
            schema = options.iter().find(|s| s.get("type") != Some(&Value::from("null")))?;
        } else {
            return Some(schema);
        }
    }
    None
}

/// `financial` -> `Financial`.
fn title(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Whether `schema` refers to the definition `name`.
fn refers_to(schema: &Value, name: &str) -> bool {
    match schema {
        Value::Object(map) => map.iter().any(|(k, v)| {
            (k == "$ref" && v.as_str().and_then(reference) == Some(name.to_owned())) || refers_to(v, name)
        }),
        Value::Array(items) => items.iter().any(|v| refers_to(v, name)),
        _ => false,
    }
}

/// The definition a `$ref` names.
fn reference(target: &str) -> Option<String> {
    let name = target.strip_prefix("#/$defs/")?;
    Some(name.replace("~1", "/").replace("~0", "~").replace("%3C", "<").replace("%3E", ">"))
}

/// A JSDoc comment of `text` at `indent`.
fn doc(out: &mut String, text: Option<&str>, indent: &str) {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return };
    let text = plain(text).replace("*/", "*\\/");
    if !text.contains('\n') {
        let _ = writeln!(out, "{indent}/** {text} */");
        return;
    }
    let _ = writeln!(out, "{indent}/**");
    for line in text.lines() {
        let _ = writeln!(out, "{indent} * {line}");
    }
    let _ = writeln!(out, "{indent} */");
}

/// Rustdoc's links as plain code: ``[`X`]`` and ``[`X`](path)`` -> `` `X` ``.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        let Some(len) = rest[start + 2..].find("`]") else { break };
        out.push_str(&rest[..start]);
        out.push('`');
        out.push_str(&rest[start + 2..start + 2 + len]);
        out.push('`');
        rest = &rest[start + 2 + len + 2..];
        if rest.starts_with('(') {
            if let Some(end) = rest.find(')') {
                rest = &rest[end + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One definition: an interface for an object, a type alias otherwise.
fn declaration(out: &mut String, name: &str, schema: &Value, answer: bool) -> Result<(), String> {
    doc(out, schema.get("description").and_then(Value::as_str), "");
    match schema.get("properties").and_then(Value::as_object) {
        Some(properties) if schema.get("oneOf").is_none() && schema.get("anyOf").is_none() => {
            let _ = writeln!(out, "export interface {name} {{");
            if answer {
                let _ =
                    writeln!(out, "  /** False: the answer could be computed (see `Degraded`). */\n  degraded: false");
            }
            let object = schema.as_object().ok_or_else(|| format!("{name} is not an object"))?;
            for line in members(object, properties, Some("  "))? {
                let _ = writeln!(out, "{line}");
            }
            out.push_str("}\n");
        }
        _ if answer => return Err(format!("{name} is an answer but not an object")),
        _ => {
            let _ = writeln!(out, "export type {name} = {}", ty(schema)?);
        }
    }
    Ok(())
}

/// The members of an object, each with its documentation.
/// The members of an object, each on its line with its documentation (none
/// when `indent` is `None`: an object written inline).
fn members(
    schema: &Map<String, Value>,
    properties: &Map<String, Value>,
    indent: Option<&str>,
) -> Result<Vec<String>, String> {
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let mut lines = Vec::new();
    for (key, property) in properties {
        let optional = if required.contains(&key.as_str()) { "" } else { "?" };
        let key = wire::javascript_key(key);
        let key = if is_identifier(&key) { key } else { format!("'{key}'") };
        let mut line = String::new();
        if let Some(indent) = indent {
            doc(&mut line, property.get("description").and_then(Value::as_str), indent);
            line.push_str(indent);
        }
        let _ = write!(line, "{key}{optional}: {}", ty(property)?);
        lines.push(line);
    }
    Ok(lines)
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// The TypeScript type of a schema.
fn ty(schema: &Value) -> Result<String, String> {
    let Some(map) = schema.as_object() else {
        return Ok(if schema == &Value::Bool(false) { "never" } else { "unknown" }.to_owned());
    };
    if let Some(name) = map.get("x-type-parameter").and_then(Value::as_str) {
        return Ok(name.to_owned());
    }
    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
        return reference(target).ok_or_else(|| format!("a reference outside the definitions: {target}"));
    }
    if let Some(value) = map.get("const") {
        return Ok(value.to_string());
    }
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        return Ok(union(values.iter().map(Value::to_string).collect()));
    }
    for (keyword, join) in [("oneOf", " | "), ("anyOf", " | "), ("allOf", " & ")] {
        if let Some(parts) = map.get(keyword).and_then(Value::as_array) {
            let parts = parts.iter().map(|p| ty(p).map(|t| grouped(&t))).collect::<Result<Vec<_>, _>>()?;
            let combined = parts.join(join);
            return match map.get("properties") {
                Some(_) => Ok(format!("{} & ({combined})", object(map)?)),
                None => Ok(combined),
            };
        }
    }
    match map.get("type") {
        Some(Value::String(t)) => basic(t, map),
        Some(Value::Array(types)) => {
            let parts = types
                .iter()
                .map(|t| {
                    t.as_str().ok_or("a type that is not a name").map_err(str::to_owned).and_then(|t| basic(t, map))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(union(parts))
        }
        None if map.contains_key("properties") => object(map),
        None => Ok("unknown".to_owned()),
        Some(other) => Err(format!("an unexpected type: {other}")),
    }
}

/// One JSON type of a schema.
fn basic(t: &str, map: &Map<String, Value>) -> Result<String, String> {
    Ok(match t {
        "string" => "string".to_owned(),
        "integer" | "number" => "number".to_owned(),
        "boolean" => "boolean".to_owned(),
        "null" => "null".to_owned(),
        "array" => match (map.get("prefixItems").and_then(Value::as_array), map.get("items")) {
            (Some(items), _) => {
                format!("[{}]", items.iter().map(ty).collect::<Result<Vec<_>, _>>()?.join(", "))
            }
            (None, Some(items)) => format!("Array<{}>", ty(items)?),
            (None, None) => "Array<unknown>".to_owned(),
        },
        "object" => object(map)?,
        other => return Err(format!("an unexpected type: {other}")),
    })
}

/// An object type written inline.
fn object(map: &Map<String, Value>) -> Result<String, String> {
    match (map.get("properties").and_then(Value::as_object), map.get("additionalProperties")) {
        (Some(properties), _) => Ok(format!("{{ {} }}", members(map, properties, None)?.join("; "))),
        (None, Some(values)) if values.is_object() => Ok(format!("Record<string, {}>", ty(values)?)),
        _ => Ok("Record<string, unknown>".to_owned()),
    }
}

/// Alternatives, each once, in order.
fn union(mut parts: Vec<String>) -> String {
    let mut seen = Vec::new();
    parts.retain(|p| {
        let new = !seen.contains(p);
        seen.push(p.clone());
        new
    });
    parts.join(" | ")
}

/// A type in parentheses when it is a union or an intersection.
fn grouped(t: &str) -> String {
    if t.contains(" | ") || t.contains(" & ") {
        format!("({t})")
    } else {
        t.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_what_its_type_declares() {
        assert_eq!(field_kind(Domain::Financial, "/billed"), Some(FieldKind::Money));
        assert_eq!(field_kind(Domain::Financial, "/avg_ticket"), Some(FieldKind::Money));
        assert_eq!(field_kind(Domain::Financial, "/ar_aging/90+"), Some(FieldKind::Money));
        assert_eq!(field_kind(Domain::Financial, "/invoice_count"), Some(FieldKind::Count));
        assert_eq!(field_kind(Domain::Financial, "/collection_rate"), Some(FieldKind::Rate));
        assert_eq!(field_kind(Domain::Lab, "/by_vendor/0/overdue_share"), Some(FieldKind::Rate));
        assert_eq!(field_kind(Domain::Financial, "/payment_mix"), None);
        assert_eq!(field_kind(Domain::Financial, "/no_such_field"), None);
    }
}
