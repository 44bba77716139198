//! The inventory domain: its statements, each beside the decoder that turns
//! its rows (columns read by name) into core facts, and what it reads.

use crate::decode::{count, domain_acc, id, money, text, Row, RowError};
use crate::queries::{sql_list, Query, QueryKind, SCOPE_CTE};
use crate::schema::RequiredRelation;
use odx_core::inventory::InventoryItemFact;
use odx_core::rules::days_from_to_sql;
use odx_core::{InventoryAcc, MovementKind};
use std::sync::LazyLock;

fn inventory_items() -> Query {
    let consumption = MovementKind::Consumption.as_str();
    let kinds = sql_list(MovementKind::LISTED.iter().map(|k| k.as_str()));
    Query {
        kind: QueryKind::InventoryItems,
        relations: &["inventory_items", "inventory_movements"],
        // One row per item (the grain of stock): its movements at or after
        // the as-of instant (to undo), consumption and unknown kinds in range.
        sql: format!(
            "{SCOPE_CTE},
m AS MATERIALIZED (
    SELECT mv.item_id,
           coalesce(sum(mv.qty) FILTER (WHERE mv.moved_at >= s.as_of), 0) AS moved_after,
           coalesce(sum(-mv.qty) FILTER (WHERE mv.kind = '{consumption}' AND mv.moved_at >= s.range_start
                                           AND mv.moved_at < s.as_of), 0) AS consumed,
           count(*) FILTER (WHERE mv.kind NOT IN ({kinds}) AND mv.moved_at >= s.range_start
                              AND mv.moved_at < s.as_of) AS unknown_kind
    FROM s JOIN app.inventory_items i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
    JOIN app.inventory_movements mv ON mv.item_id = i.id
    WHERE mv.moved_at >= $9
    GROUP BY mv.item_id
)
SELECT i.clinic_id, i.sku::text AS sku, i.unit_cost::text AS unit_cost, i.qty_on_hand::text AS qty_on_hand,
       coalesce(m.moved_after, 0)::text AS moved_after, i.reorder_level::text AS reorder_level,
       {expires} AS expires_in_days, coalesce(m.consumed, 0)::text AS consumed,
       coalesce(m.unknown_kind, 0)::int8 AS unknown_kind_movements
FROM s JOIN app.inventory_items i ON i.clinic_id = s.clinic_id AND i.clinic_id = ANY($1::bigint[])
LEFT JOIN m ON m.item_id = i.id",
            expires = days_from_to_sql("i.expires_on", "s.last_day"),
        ),
    }
}

/// The statements of the inventory domain.
pub static QUERIES: LazyLock<Vec<Query>> = LazyLock::new(|| vec![inventory_items()]);

/// Adds one row of the inventory statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_inventory(acc: &mut InventoryAcc, kind: QueryKind, r: &dyn Row) -> Result<(), RowError> {
    let QueryKind::InventoryItems = kind else {
        return Err(RowError::Driver(format!("{kind:?} rows are not inventory")));
    };
    acc.accum_item(&InventoryItemFact {
        clinic_id: id(r, "clinic_id")?,
        sku: text(r, "sku")?,
        unit_cost: money(r, "unit_cost")?,
        qty_on_hand: money(r, "qty_on_hand")?,
        moved_after: money(r, "moved_after")?,
        reorder_level: money(r, "reorder_level")?,
        expires_in_days: r.int4("expires_in_days")?,
        consumed: money(r, "consumed")?,
        unknown_kind_movements: count(r, "unknown_kind_movements")?,
    })?;
    Ok(())
}

domain_acc!(InventoryAcc, odx_core::InventoryReport, Inventory, feed_inventory);

/// No soft part: every figure needs all of [`REQUIRED`].
pub(crate) const SOFT: Option<crate::schema::SoftPart> = None;

/// The tables and columns the inventory domain reads.
pub(crate) const REQUIRED: &[RequiredRelation] = &[
    RequiredRelation { table: "clinics", columns: &["id", "timezone"] },
    RequiredRelation {
        table: "inventory_items",
        columns: &["id", "clinic_id", "sku", "unit_cost", "qty_on_hand", "reorder_level", "expires_on"],
    },
    RequiredRelation { table: "inventory_movements", columns: &["item_id", "moved_at", "qty", "kind"] },
];
