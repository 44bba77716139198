//! What each domain reads, for degraded mode: a domain whose tables or
//! columns are missing reports them instead of failing.

use crate::queries::Query;
use std::sync::LazyLock;

pub use odx_core::Domain;

/// What odx-sql knows of a domain: its statements and the relations they read.
pub trait DomainSql: Copy {
    /// Its statements.
    fn queries(self) -> &'static [Query];
    /// Its statements, what every figure needs (without one of those
    /// relations the domain is degraded) and its soft part.
    fn reads(self) -> Reads;
}

macro_rules! domain_sql {
    ([] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
        impl DomainSql for Domain {
            fn queries(self) -> &'static [Query] {
                match self {
                    $(Domain::$variant => &crate::$module::QUERIES,)*
                }
            }

            fn reads(self) -> Reads {
                match self {
                    $(Domain::$variant => Reads {
                        queries: &crate::$module::QUERIES,
                        required: crate::$module::REQUIRED,
                        soft: crate::$module::SOFT,
                    },)*
                }
            }
        }
    };
}
odx_core::domains!(domain_sql);

/// A table of schema `app` and the columns a domain reads from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequiredRelation {
    /// Table name in schema `app`.
    pub table: &'static str,
    /// Column names.
    pub columns: &'static [&'static str],
}

/// A part of a domain's report that only some of its figures need: when a
/// relation it reads is missing, the report is computed by `without` and
/// leaves those figures out (null), naming what it did without, instead of
/// degrading the whole domain. Example: chair utilization needs
/// `appointments.room_id` and `rooms`; nothing else of operations does.
#[derive(Debug, Clone, Copy)]
pub struct SoftPart {
    /// The figures it gives (for the reader).
    pub figures: &'static str,
    /// The tables and columns only it reads.
    pub reads: &'static [RequiredRelation],
    /// The domain's statements without it.
    pub without: &'static LazyLock<Vec<Query>>,
}

/// What one report reads: its statements, the relations they all need, and
/// at most one soft part.
#[derive(Debug, Clone, Copy)]
pub struct Reads {
    /// The statements, with the soft part.
    pub queries: &'static [Query],
    /// What every figure needs.
    pub required: &'static [RequiredRelation],
    /// The soft part.
    pub soft: Option<SoftPart>,
}

impl Reads {
    /// The statements to run given the `(table, column)` pairs `present`,
    /// with what the report does without (the soft part's missing
    /// relations, empty when complete).
    ///
    /// # Errors
    /// The missing required relations (sorted): the report is degraded.
    pub fn statements(&self, present: &[(String, String)]) -> Result<(&'static [Query], Vec<String>), Vec<String>> {
        let mut missing = missing_of(self.required, present);
        if !missing.is_empty() {
            missing.sort();
            return Err(missing);
        }
        match self.soft {
            Some(part) => {
                let without = missing_of(part.reads, present);
                if without.is_empty() {
                    Ok((self.queries, without))
                } else {
                    Ok((part.without.as_slice(), without))
                }
            }
            None => Ok((self.queries, Vec::new())),
        }
    }
}

/// Every `(table, column)` of schema `app` (no parameters), from the
/// catalog: whatever the reading role may select (`information_schema` would
/// hide a table the role has no privilege on, and a missing grant would
/// read as a missing table: degraded instead of the permission error it is).
pub const COLUMNS_SQL: &str = "SELECT c.relname::text AS table_name, a.attname::text AS column_name
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'app' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped";

/// What `required` misses, given the `(table, column)` pairs that exist:
/// `app.table` for a missing table, `app.table.column` for a missing column.
pub fn missing_of(required: &[RequiredRelation], present: &[(String, String)]) -> Vec<String> {
    let mut missing = Vec::new();
    for rel in required {
        if !present.iter().any(|(t, _)| t == rel.table) {
            missing.push(format!("app.{}", rel.table));
            continue;
        }
        for col in rel.columns {
            if !present.iter().any(|(t, c)| t == rel.table && c == col) {
                missing.push(format!("app.{}.{col}", rel.table));
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_a_statement_reads_is_required_and_the_reverse() {
        for domain in Domain::ALL {
            let reads = domain.reads();
            let soft = reads.soft.iter().flat_map(|p| p.reads);
            let required: Vec<&str> = domain.reads().required.iter().chain(soft).map(|r| r.table).collect();
            let without = reads.soft.iter().flat_map(|p| p.without.iter());
            for q in domain.queries().iter().chain(without) {
                for t in q.relations {
                    assert!(required.contains(t), "{domain:?}: {t} is read but not required");
                    assert!(q.sql.contains(&format!("app.{t} ")), "{domain:?} {:?}: does not read app.{t}", q.kind);
                }
                for (at, _) in q.sql.match_indices("app.") {
                    let table = q.sql[at + 4..].split_whitespace().next().unwrap_or_default();
                    assert!(q.relations.contains(&table), "{domain:?} {:?}: reads app.{table} undeclared", q.kind);
                }
            }
        }
    }

    fn present(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(t, c)| (t.to_string(), c.to_string())).collect()
    }

    fn every_column(domain: Domain) -> Vec<(String, String)> {
        let reads = domain.reads();
        let soft = reads.soft.iter().flat_map(|p| p.reads);
        let all = domain.reads().required.iter().chain(soft);
        all.flat_map(|r| r.columns.iter().map(|c| (r.table.to_owned(), c.to_string()))).collect()
    }

    #[test]
    fn without_room_id_operations_leaves_out_chairs_only() {
        let reads = Domain::Operations.reads();
        let (all, none) = reads.statements(&every_column(Domain::Operations)).unwrap();
        assert!(none.is_empty());
        assert!(all.iter().any(|q| q.kind == crate::QueryKind::Rooms));
        let mut present = every_column(Domain::Operations);
        present.retain(|(t, c)| !(t == "appointments" && c == "room_id"));
        let (some, without) = reads.statements(&present).unwrap();
        assert_eq!(without, ["app.appointments.room_id"]);
        assert!(!some.iter().any(|q| q.kind == crate::QueryKind::Rooms || q.sql.contains("room_id")));
        assert_eq!(some.len(), all.len() - 1);
        present.retain(|(t, _)| t != "rooms");
        assert_eq!(reads.statements(&present).unwrap().1, ["app.appointments.room_id", "app.rooms"]);
        present.retain(|(t, _)| t != "clinic_hours");
        assert_eq!(reads.statements(&present).unwrap_err(), ["app.clinic_hours"]);
    }

    #[test]
    fn module_names_match_their_serialized_form() {
        for d in Domain::ALL {
            let json = serde_json::to_value(d).unwrap();
            assert_eq!(json.as_str(), Some(d.as_str()));
        }
    }

    #[test]
    fn missing_tables_and_columns_are_named() {
        let present = present(&[("clinics", "id"), ("clinics", "timezone"), ("invoices", "id")]);
        let m = Domain::Financial.reads().statements(&present).unwrap_err();
        assert!(m.contains(&"app.invoices.payer".to_owned()));
        assert!(m.contains(&"app.payments".to_owned()));
        assert!(!m.iter().any(|x| x.starts_with("app.clinics")));
    }
}
