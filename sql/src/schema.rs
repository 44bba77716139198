//! What each domain reads, for degraded mode: a domain whose tables or
//! columns are missing reports them instead of failing.

use crate::queries::Query;

pub use odx_core::Domain;

/// What odx-sql knows of a domain: its statements and the relations they read.
pub trait DomainSql: Copy {
    /// Its statements.
    fn queries(self) -> &'static [Query];
    /// The tables and columns it reads.
    fn required(self) -> &'static [RequiredRelation];
}

macro_rules! domain_sql {
    ([] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
        impl DomainSql for Domain {
            fn queries(self) -> &'static [Query] {
                match self {
                    $(Domain::$variant => &crate::$module::QUERIES,)*
                }
            }

            fn required(self) -> &'static [RequiredRelation] {
                match self {
                    $(Domain::$variant => crate::$module::REQUIRED,)*
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

/// Every `(table, column)` of schema `app` (no parameters).
pub const COLUMNS_SQL: &str = "SELECT c.table_name::text, c.column_name::text
FROM information_schema.columns c WHERE c.table_schema = 'app'";

/// What a domain misses, given the `(table, column)` pairs that exist:
/// `app.table` for a missing table, `app.table.column` for a missing column.
pub fn missing_relations(domain: Domain, present: &[(String, String)]) -> Vec<String> {
    missing_of(domain.required(), present)
}

/// What `required` misses, given the `(table, column)` pairs that exist (as
/// [`missing_relations`]).
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
            let required: Vec<&str> = domain.required().iter().map(|r| r.table).collect();
            for q in domain.queries() {
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

    #[test]
    fn module_names_match_their_serialized_form() {
        for d in Domain::ALL {
            let json = serde_json::to_value(d).unwrap();
            assert_eq!(json.as_str(), Some(d.as_str()));
        }
    }

    #[test]
    fn missing_tables_and_columns_are_named() {
        let present: Vec<(String, String)> = [("clinics", "id"), ("clinics", "timezone"), ("invoices", "id")]
            .iter()
            .map(|(t, c)| (t.to_string(), c.to_string()))
            .collect();
        let m = missing_relations(Domain::Financial, &present);
        assert!(m.contains(&"app.invoices.payer".to_owned()));
        assert!(m.contains(&"app.payments".to_owned()));
        assert!(!m.iter().any(|x| x.starts_with("app.clinics")));
    }
}
