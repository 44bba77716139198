//! Inventory domain: stock on hand as of the end of `to` and its value, out of
//! stock, low stock, expiring and expired batches, consumption and days of
//! cover, what needs a reorder, and cross-branch rebalance suggestions.
//!
//! Sources: `inventory_items` (stock now; the stock as of `to` is that less
//! the net movements at or after the as-of instant) and `inventory_movements`
//! (consumption in range). Stock belongs to the branch: with doctor grouping
//! it lands on the clinic's `doctor_id: null` row.
//!
//! The facts are per item (a batch of a sku). Stock, consumption and cover
//! are judged per (branch, sku) position: the batches of one product in one
//! branch are one stock. Expiry is judged per batch.

use crate::readout::{Cell, Readout};
use crate::domain::Domain;
use crate::compare::{Headline, Measure, MeasureKind, amount, count, of};
use crate::category::MovementKind;
use crate::error::Result;
use crate::frame::Facts;
use crate::num::{add_count, add_money, mul_money, rate, round_money};
use crate::report::accumulator;
use crate::report::Report;
use crate::rows::Tables;
use crate::rules::days_from_to;
use crate::scope::MetricScope;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A batch with stock expires "soon" within this many days after `to`.
pub const EXPIRING_WITHIN_DAYS: i32 = 30;
/// A position with less cover than this needs a reorder.
pub const REORDER_COVER_DAYS: i64 = 14;
/// A branch may send a sku when it holds more than this many days of cover.
pub const SENDER_OVER_COVER_DAYS: i64 = 90;
/// ... and keeps at least this many days of cover after sending.
pub const SENDER_KEEPS_COVER_DAYS: i64 = 60;
/// A receiver is brought up to this many days of cover, at most.
pub const RECEIVER_TARGET_COVER_DAYS: i64 = 30;
/// Lists of a report row (reorder items, rebalance suggestions) keep this
/// many at most; their counts count all.
pub const INVENTORY_LIST_LEN: usize = 100;

/// One inventory item (a batch of a sku at a branch) with its movements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InventoryItemFact {
    /// `inventory_items.clinic_id`.
    pub clinic_id: i64,
    /// `inventory_items.sku` as stored (core trims it).
    pub sku: String,
    /// `inventory_items.unit_cost`.
    pub unit_cost: Decimal,
    /// `inventory_items.qty_on_hand` (now).
    pub qty_on_hand: Decimal,
    /// Net quantity of the item's movements at or after the as-of instant
    /// (undone to get the stock as of the end of `to`).
    pub moved_after: Decimal,
    /// `inventory_items.reorder_level`.
    pub reorder_level: Decimal,
    /// `expires_on - to` in days; `None` when it does not expire.
    pub expires_in_days: Option<i32>,
    /// Stock consumed in range: minus the sum of `consumption` movements.
    pub consumed: Decimal,
    /// Movements in range whose kind is not listed.
    pub unknown_kind_movements: u64,
}

/// Rows kept out of the KPIs for bad values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InventoryDataQuality {
    /// Movements in range whose kind is not listed (they still move the stock).
    pub unknown_movement_kind: u64,
    /// Items whose stock as of `to` is negative (counted out of stock).
    pub negative_stock: u64,
}

impl InventoryDataQuality {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_count(&mut self.unknown_movement_kind, o.unknown_movement_kind, "data quality")?;
        add_count(&mut self.negative_stock, o.negative_stock, "data quality")
    }
}

/// One (branch, sku) stock: the sum of its batches. Its reorder level is the
/// product's: batch rows repeat it, so it is the largest of their levels,
/// never their sum (two batches would double the threshold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Position {
    qty: Decimal,
    consumed: Decimal,
    reorder_level: Decimal,
    /// Value of the batches with stock (qty > 0), and of what was consumed.
    value: Decimal,
    consumed_value: Decimal,
}

impl Position {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_money(&mut self.qty, o.qty, "stock")?;
        add_money(&mut self.consumed, o.consumed, "consumption")?;
        self.reorder_level = self.reorder_level.max(o.reorder_level);
        add_money(&mut self.value, o.value, "stock value")?;
        add_money(&mut self.consumed_value, o.consumed_value, "consumption value")
    }

    /// `qty x days` against `cover x consumed`: the exact form of
    /// `days_of_cover = qty / (consumed / days)` compared with `cover`.
    fn cover_cmp(&self, cover: i64, days: i64) -> Result<Option<std::cmp::Ordering>> {
        if self.consumed <= Decimal::ZERO {
            return Ok(None);
        }
        let held = mul_money(self.qty, Decimal::from(days), "cover")?;
        Ok(Some(held.cmp(&mul_money(Decimal::from(cover), self.consumed, "cover")?)))
    }

    fn out_of_stock(&self) -> bool {
        self.qty <= Decimal::ZERO
    }

    fn low_stock(&self) -> bool {
        self.qty > Decimal::ZERO && self.qty <= self.reorder_level
    }

    fn reorder_needed(&self, days: i64) -> Result<bool> {
        let short = self.cover_cmp(REORDER_COVER_DAYS, days)? == Some(std::cmp::Ordering::Less);
        Ok(self.out_of_stock() || self.low_stock() || short)
    }

    fn daily(&self, days: i64) -> Result<Option<Decimal>> {
        if self.consumed <= Decimal::ZERO {
            return Ok(None);
        }
        rate(self.consumed, Decimal::from(days))
    }

    /// Days of cover: `None` without consumption (stock lasts), 0 when out.
    fn cover(&self, days: i64) -> Result<Option<Decimal>> {
        match self.daily(days)? {
            None => Ok(None),
            Some(_) if self.out_of_stock() => Ok(Some(Decimal::ZERO)),
            Some(_) => rate(mul_money(self.qty, Decimal::from(days), "cover")?, self.consumed),
        }
    }

    /// Whole units a sender can give: it must hold more than
    /// [`SENDER_OVER_COVER_DAYS`] days of cover (or consume none), and keep
    /// [`SENDER_KEEPS_COVER_DAYS`] days of cover, more than its
    /// reorder level and some stock, so it never needs a reorder after.
    fn can_send(&self, days: i64) -> Result<Decimal> {
        let over = match self.cover_cmp(SENDER_OVER_COVER_DAYS, days)? {
            None => self.qty > Decimal::ZERO,
            Some(o) => o == std::cmp::Ordering::Greater,
        };
        if !over {
            return Ok(Decimal::ZERO);
        }
        let d = Decimal::from(days);
        let keep_cover =
            rate(mul_money(Decimal::from(SENDER_KEEPS_COVER_DAYS), self.consumed.max(Decimal::ZERO), "cover")?, d)?
                .unwrap_or_default();
        let by_cover = (self.qty - keep_cover).floor();
        let above_level = (self.qty - self.reorder_level).ceil() - Decimal::ONE;
        let above_zero = self.qty.ceil() - Decimal::ONE;
        Ok(by_cover.min(above_level).min(above_zero).max(Decimal::ZERO))
    }

    /// Whole units that bring a position needing a reorder up to
    /// [`RECEIVER_TARGET_COVER_DAYS`] days of cover (none without consumption).
    fn needs(&self, days: i64) -> Result<Decimal> {
        if !self.reorder_needed(days)? || self.consumed <= Decimal::ZERO {
            return Ok(Decimal::ZERO);
        }
        let target =
            rate(mul_money(Decimal::from(RECEIVER_TARGET_COVER_DAYS), self.consumed, "cover")?, Decimal::from(days))?
                .unwrap_or_default();
        Ok((target - self.qty).ceil().max(Decimal::ZERO))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct InventoryFacts {
    /// Days in the range (set by every fact; 0 only with no facts).
    days: i64,
    items: u64,
    expiring: u64,
    expired: u64,
    expiring_value: Decimal,
    expired_value: Decimal,
    positions: BTreeMap<(String, i64), Position>,
    dq: InventoryDataQuality,
}

impl Facts for InventoryFacts {
    fn merge(&mut self, o: &Self) -> Result<()> {
        self.days = self.days.max(o.days);
        add_count(&mut self.items, o.items, "items")?;
        add_count(&mut self.expiring, o.expiring, "expiring")?;
        add_count(&mut self.expired, o.expired, "expired")?;
        add_money(&mut self.expiring_value, o.expiring_value, "expiring value")?;
        add_money(&mut self.expired_value, o.expired_value, "expired value")?;
        for (k, p) in &o.positions {
            self.positions.entry(k.clone()).or_default().merge(p)?;
        }
        self.dq.merge(&o.dq)
    }
}

/// What one item adds: the per-batch rules (expiry, value) in one place.
fn classify(f: &InventoryItemFact, days: i64) -> Result<InventoryFacts> {
    let qty = f.qty_on_hand - f.moved_after;
    let value = if qty > Decimal::ZERO { mul_money(qty, f.unit_cost, "stock value")? } else { Decimal::ZERO };
    let mut c = InventoryFacts { days, items: 1, ..InventoryFacts::default() };
    match f.expires_in_days {
        Some(d) if d <= 0 => {
            c.expired = 1;
            c.expired_value = value;
        }
        Some(d) if d <= EXPIRING_WITHIN_DAYS && qty > Decimal::ZERO => {
            c.expiring = 1;
            c.expiring_value = value;
        }
        _ => {}
    }
    c.dq.unknown_movement_kind = f.unknown_kind_movements;
    c.dq.negative_stock = u64::from(qty < Decimal::ZERO);
    let position = Position {
        qty,
        consumed: f.consumed,
        reorder_level: f.reorder_level,
        value,
        consumed_value: mul_money(f.consumed, f.unit_cost, "consumption value")?,
    };
    c.positions.insert((crate::category::label(&f.sku), f.clinic_id), position);
    Ok(c)
}

/// A (branch, sku) that needs a reorder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReorderLine {
    /// The branch.
    pub clinic_id: i64,
    /// The branch's name.
    pub branch_name: String,
    /// The branch's city.
    pub city: String,
    /// The sku (trimmed).
    pub sku: String,
    /// Stock as of the end of `to`.
    pub qty_on_hand: Decimal,
    /// Consumption per day over the range; null when none was consumed.
    #[serde(with = "crate::wire::mean")]
    pub daily_consumption: Option<Decimal>,
    /// qty_on_hand / daily_consumption; null without consumption, 0 when out.
    #[serde(with = "crate::wire::mean")]
    pub days_of_cover: Option<Decimal>,
}

/// A suggested transfer of one sku between two branches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RebalanceLine {
    /// The sku.
    pub sku: String,
    /// The sending branch (more than [`SENDER_OVER_COVER_DAYS`] days of cover).
    pub from_clinic_id: i64,
    /// The sending branch's name.
    pub from_branch_name: String,
    /// The receiving branch (needs a reorder).
    pub to_clinic_id: i64,
    /// The receiving branch's name.
    pub to_branch_name: String,
    /// Whole units: min(what the sender holds above
    /// [`SENDER_KEEPS_COVER_DAYS`] days of cover, what brings the receiver to
    /// [`RECEIVER_TARGET_COVER_DAYS`] days of cover).
    pub qty: Decimal,
}

impl crate::report::NamesBranches for InventoryMetrics {
    fn name_branches(&mut self, names: &dyn Fn(i64) -> (String, String)) {
        for l in &mut self.reorder_items {
            (l.branch_name, l.city) = names(l.clinic_id);
        }
        for l in &mut self.rebalance {
            l.from_branch_name = names(l.from_clinic_id).0;
            l.to_branch_name = names(l.to_clinic_id).0;
        }
    }
}

/// Every inventory KPI of one group (or of the totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InventoryMetrics {
    /// Item rows (batches).
    pub items: u64,
    /// Distinct (branch, sku) positions.
    pub skus: u64,
    /// Value of the stock on hand as of the end of `to` (batches with stock).
    pub stock_value: Decimal,
    /// Positions with no stock (qty <= 0).
    pub out_of_stock: u64,
    /// Positions with 0 < qty <= reorder level.
    pub low_stock: u64,
    /// Batches with stock expiring within [`EXPIRING_WITHIN_DAYS`] days after
    /// `to`, and their value.
    pub expiring: u64,
    /// Value of the expiring batches.
    pub expiring_value: Decimal,
    /// Batches expired on or before `to`, and the value still on the shelf.
    pub expired: u64,
    /// Value of the expired batches with stock.
    pub expired_value: Decimal,
    /// Value consumed per day over the range.
    pub daily_consumption_value: Decimal,
    /// stock_value / daily_consumption_value; null without consumption.
    #[serde(with = "crate::wire::mean")]
    pub days_of_cover: Option<Decimal>,
    /// Positions that are out, low, or under [`REORDER_COVER_DAYS`] days of cover.
    pub reorder_needed: u64,
    /// Those positions, the least cover first (at most [`INVENTORY_LIST_LEN`]).
    pub reorder_items: Vec<ReorderLine>,
    /// Transfers between the group's branches that cover a reorder from a
    /// branch with more than [`SENDER_OVER_COVER_DAYS`] days of cover, never
    /// leaving the sender short; by sku (at most [`INVENTORY_LIST_LEN`]).
    /// Empty for one branch.
    pub rebalance: Vec<RebalanceLine>,
    /// Rows kept out for bad values.
    pub data_quality: InventoryDataQuality,
}

/// The inventory report.
pub type InventoryReport = Report<InventoryMetrics>;

accumulator!(
    /// The mergeable inventory accumulator of one scope.
    InventoryAcc,
    InventoryFacts,
    InventoryReport,
    metrics
);

impl InventoryAcc {
    /// Adds one item (on the clinic's no-doctor row).
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`](crate::OdxError::RowOutsideScope), [`OdxError::Overflow`](crate::OdxError::Overflow).
    pub fn accum_item(&mut self, f: &InventoryItemFact) -> Result<()> {
        let counts = classify(f, self.frame.scope().days())?;
        self.each(f.clinic_id, None, |facts| facts.merge(&counts))
    }
}

/// Greedy and deterministic: per sku, the largest need first, served by
/// the senders with the most to give first (ties by branch id).
fn rebalance(f: &InventoryFacts) -> Result<Vec<RebalanceLine>> {
    let mut by_sku: BTreeMap<&str, Vec<(i64, &Position)>> = BTreeMap::new();
    for ((sku, clinic), p) in &f.positions {
        by_sku.entry(sku.as_str()).or_default().push((*clinic, p));
    }
    let mut out = Vec::new();
    for (sku, positions) in by_sku {
        let mut senders = Vec::new();
        let mut receivers = Vec::new();
        for (clinic, p) in positions {
            let give = p.can_send(f.days)?;
            if give > Decimal::ZERO {
                senders.push((clinic, give));
            }
            let need = p.needs(f.days)?;
            if need > Decimal::ZERO {
                receivers.push((clinic, need));
            }
        }
        senders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        receivers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (to, mut need) in receivers {
            for (from, give) in senders.iter_mut() {
                if need <= Decimal::ZERO {
                    break;
                }
                if *from == to || *give <= Decimal::ZERO {
                    continue;
                }
                let qty = need.min(*give);
                *give -= qty;
                need -= qty;
                out.push(RebalanceLine {
                    sku: sku.to_owned(),
                    from_clinic_id: *from,
                    from_branch_name: String::new(),
                    to_clinic_id: to,
                    to_branch_name: String::new(),
                    qty,
                });
            }
        }
    }
    Ok(out)
}

fn metrics(f: &InventoryFacts) -> Result<InventoryMetrics> {
    let (mut stock_value, mut consumed_value) = (Decimal::ZERO, Decimal::ZERO);
    let (mut out_of_stock, mut low_stock, mut reorder_needed) = (0u64, 0u64, 0u64);
    let mut reorder = Vec::new();
    for ((sku, clinic), p) in &f.positions {
        add_money(&mut stock_value, p.value, "stock value")?;
        add_money(&mut consumed_value, p.consumed_value, "consumption value")?;
        out_of_stock += u64::from(p.out_of_stock());
        low_stock += u64::from(p.low_stock());
        if p.reorder_needed(f.days)? {
            reorder_needed += 1;
            reorder.push(ReorderLine {
                clinic_id: *clinic,
                branch_name: String::new(),
                city: String::new(),
                sku: sku.clone(),
                qty_on_hand: p.qty.normalize(),
                daily_consumption: p.daily(f.days)?,
                days_of_cover: p.cover(f.days)?,
            });
        }
    }
    // The least cover first; no consumption (null cover) last.
    reorder.sort_by(|a, b| {
        let key = |l: &ReorderLine| (l.days_of_cover.is_none(), l.days_of_cover);
        key(a).cmp(&key(b)).then(a.clinic_id.cmp(&b.clinic_id)).then(a.sku.cmp(&b.sku))
    });
    reorder.truncate(INVENTORY_LIST_LEN);
    let mut rebalance = rebalance(f)?;
    rebalance.truncate(INVENTORY_LIST_LEN);
    let daily = if f.days > 0 { rate(consumed_value, Decimal::from(f.days))? } else { None };
    let days_of_cover = match daily {
        Some(d) if d > Decimal::ZERO => rate(stock_value, d)?,
        _ => None,
    };
    Ok(InventoryMetrics {
        items: f.items,
        skus: f.positions.len() as u64,
        stock_value: round_money(stock_value),
        out_of_stock,
        low_stock,
        expiring: f.expiring,
        expiring_value: round_money(f.expiring_value),
        expired: f.expired,
        expired_value: round_money(f.expired_value),
        daily_consumption_value: round_money(daily.unwrap_or_default()),
        days_of_cover,
        reorder_needed,
        reorder_items: reorder,
        rebalance,
        data_quality: f.dq,
    })
}

// The in-memory path: these rows folded into this domain's accumulator.
impl Tables {
    /// The inventory report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn inventory(&self, scope: &MetricScope) -> Result<InventoryReport> {
        let mut acc = InventoryAcc::new(scope, &self.directory())?;
        self.fold_inventory(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' inventory facts (scope clinics only) to an
    /// accumulator: one fact per item with its movements.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_inventory(&self, acc: &mut InventoryAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        let clinic_of: FxHashMap<i64, i64> = self.inventory_items.iter().map(|i| (i.id, i.clinic_id)).collect();
        // Per item: net movement at or after the as-of instant, consumption
        // and unknown kinds in range (by the item's clinic clock).
        let mut moves: FxHashMap<i64, (Decimal, Decimal, u64)> = FxHashMap::default();
        for m in &self.inventory_movements {
            let Some(&clinic) = clinic_of.get(&m.item_id).filter(|c| scope.contains(**c)) else { continue };
            let clock = frame.clock(clinic)?;
            let e = moves.entry(m.item_id).or_default();
            if m.moved_at >= clock.as_of() {
                add_money(&mut e.0, m.qty, "movements")?;
            } else if clock.in_range(m.moved_at) {
                match m.kind {
                    MovementKind::Consumption => add_money(&mut e.1, -m.qty, "consumption")?,
                    MovementKind::Unknown => e.2 += 1,
                    _ => {}
                }
            }
        }
        for i in self.inventory_items.iter().filter(|i| scope.contains(i.clinic_id)) {
            let to = frame.clock(i.clinic_id)?.as_of_date();
            let (moved_after, consumed, unknown) = moves.get(&i.id).cloned().unwrap_or_default();
            acc.accum_item(&InventoryItemFact {
                clinic_id: i.clinic_id,
                sku: i.sku.clone(),
                unit_cost: i.unit_cost,
                qty_on_hand: i.qty_on_hand,
                moved_after,
                reorder_level: i.reorder_level,
                expires_in_days: i.expires_on.map(|e| days_from_to(e, to)),
                consumed,
                unknown_kind_movements: unknown,
            })?;
        }
        Ok(())
    }
}

impl Headline for InventoryMetrics {
    const DOMAIN: Domain = Domain::Inventory;
    fn headline(&self) -> Vec<Measure> {
        vec![
            amount("stock_value", self.stock_value),
            count("out_of_stock", self.out_of_stock),
            count("low_stock", self.low_stock),
            amount("expiring_value", self.expiring_value),
            amount("expired_value", self.expired_value),
            count("reorder_needed", self.reorder_needed),
            of("days_of_cover", MeasureKind::Days, self.days_of_cover),
        ]
    }
}

/// What the domain's report computes, in a sentence a SQL user reads (the
/// `COMMENT` of its SQL function), with core's constants interpolated.
pub fn about() -> String {
    format!(
        "Inventory of the clinics, computed by odx-core: stock as of the as-of instant (qty_on_hand less later movements) and its value, out of stock and low stock (per branch and sku), batches expiring within {EXPIRING_WITHIN_DAYS} days after the as-of date and expired, consumption per day over the range and days of cover, reorder needs (out, low or under {REORDER_COVER_DAYS} days of cover, the least cover first) and rebalance: whole-unit transfers of a sku from a branch with more than {SENDER_OVER_COVER_DAYS} days of cover (keeping {SENDER_KEEPS_COVER_DAYS} days, above its reorder level) to a branch needing a reorder (up to {RECEIVER_TARGET_COVER_DAYS} days of cover); {{ degraded, totals, groups }}. Stock belongs to the branch: group_by doctor puts it on the doctor_id null row. Since 0.2.0."
    )
}

impl Readout for InventoryMetrics {
    const COLUMNS: &'static [&'static str] =
        &["Stock value", "Out", "Low", "Expiring", "Expired", "Use/day", "Cover", "Reorder"];
    fn heading(_: &MetricScope) -> String {
        "INVENTORY (stock as of the last day, consumption over the range)".to_owned()
    }
    fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Money(Some(self.stock_value)),
            Cell::Count(self.out_of_stock),
            Cell::Count(self.low_stock),
            Cell::Count(self.expiring),
            Cell::Count(self.expired),
            Cell::Money(Some(self.daily_consumption_value)),
            Cell::Text(self.days_of_cover.map_or("-".into(), |d| format!("{}d", d.round()))),
            Cell::Count(self.reorder_needed),
        ]
    }
    fn notes(&self, branch: &dyn Fn(i64) -> String, _: &dyn Fn(Decimal) -> String) -> Vec<String> {
        let mut notes: Vec<String> = self
            .rebalance
            .iter()
            .take(5)
            .map(|l| format!("Transfer {} x {} from {} to {}", l.qty, l.sku, branch(l.from_clinic_id), branch(l.to_clinic_id)))
            .collect();
        if self.rebalance.len() > 5 {
            notes.push(format!("... and {} more transfers", self.rebalance.len() - 5));
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{GroupBy, MetricScope};
    use crate::ClinicDirectory;
    use chrono::NaiveDate;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A 30-day range: consumed 30 units is 1 a day.
    fn item(clinic_id: i64, sku: &str, qty: &str, reorder: &str, consumed: &str) -> InventoryItemFact {
        InventoryItemFact {
            clinic_id,
            sku: sku.into(),
            unit_cost: d("10.00"),
            qty_on_hand: d(qty),
            moved_after: Decimal::ZERO,
            reorder_level: d(reorder),
            expires_in_days: None,
            consumed: d(consumed),
            unknown_kind_movements: 0,
        }
    }

    fn acc(ids: &[i64]) -> InventoryAcc {
        let s = MetricScope::new(
            ids.iter().copied(),
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            GroupBy::Clinic,
        )
        .unwrap();
        InventoryAcc::new(&s, &ClinicDirectory::with_default_zone(ids.iter().copied())).unwrap()
    }

    #[test]
    fn stock_cover_and_reorder_rules() {
        let mut a = acc(&[1]);
        a.accum_item(&item(1, "GLV", "0", "5", "30")).unwrap(); // out of stock
        a.accum_item(&item(1, "ANE", "5", "5", "0")).unwrap(); // low (qty = level), no consumption
        a.accum_item(&item(1, "BUR", "13.99", "1", "30")).unwrap(); // under 14 days
        a.accum_item(&item(1, "CEM", "14", "1", "30")).unwrap(); // exactly 14 days: fine
        let mut expiring = item(1, "ALG", "3", "0", "0");
        expiring.expires_in_days = Some(30);
        a.accum_item(&expiring).unwrap();
        let mut expired = item(1, "ALG", "2", "0", "0");
        expired.expires_in_days = Some(0);
        a.accum_item(&expired).unwrap();
        let mut later = item(1, "ALG", "4", "0", "0");
        later.expires_in_days = Some(31);
        a.accum_item(&later).unwrap();
        let r = a.finish().unwrap().totals;
        assert_eq!((r.items, r.skus), (7, 5));
        assert_eq!((r.out_of_stock, r.low_stock, r.reorder_needed), (1, 1, 3));
        assert_eq!((r.expiring, r.expired), (1, 1));
        assert_eq!((r.expiring_value, r.expired_value), (d("30.00"), d("20.00")));
        // 5 + 13.99 + 14 + 9 units at 10.00.
        assert_eq!(r.stock_value, d("419.90"));
        let skus: Vec<&str> = r.reorder_items.iter().map(|l| l.sku.as_str()).collect();
        assert_eq!(skus, ["GLV", "BUR", "ANE"]);
        assert_eq!(r.reorder_items[1].days_of_cover, Some(d("13.99")));
        assert!(r.rebalance.is_empty(), "one branch cannot rebalance");
    }

    #[test]
    fn rebalance_covers_the_receiver_and_never_leaves_the_sender_short() {
        let mut a = acc(&[1, 2, 3]);
        // Sender: 200 units at 1 a day (200 days); keeps 60 days: can give 140.
        a.accum_item(&item(1, "GLV", "200", "10", "30")).unwrap();
        // Receiver: 5 units at 2 a day: needs 55 to reach 30 days.
        a.accum_item(&item(2, "GLV", "5", "10", "60")).unwrap();
        // Second receiver, out of stock at 4 a day: needs 120, served first.
        a.accum_item(&item(3, "GLV", "0", "10", "120")).unwrap();
        // A sku with 91 days of cover but a reorder level that binds: 91 - 60 = 31
        // by cover, but it must keep more than 80: gives 10.
        a.accum_item(&item(1, "ANE", "91", "80", "30")).unwrap();
        a.accum_item(&item(3, "ANE", "1", "5", "30")).unwrap();
        let r = a.finish().unwrap();
        let t = &r.totals;
        let lines: Vec<(&str, i64, i64, Decimal)> =
            t.rebalance.iter().map(|l| (l.sku.as_str(), l.from_clinic_id, l.to_clinic_id, l.qty)).collect();
        assert_eq!(
            lines,
            [("ANE", 1, 3, d("10")), ("GLV", 1, 3, d("120")), ("GLV", 1, 2, d("20"))],
            "largest need first, never more than the sender can spare"
        );
        // Each branch alone suggests nothing.
        for g in &r.groups {
            assert!(g.metrics.rebalance.is_empty());
        }
    }

    #[test]
    fn stock_as_of_to_undoes_later_movements() {
        let mut a = acc(&[1]);
        let mut f = item(1, "GLV", "50", "10", "0");
        f.moved_after = d("45"); // a purchase after `to`
        a.accum_item(&f).unwrap();
        let r = a.finish().unwrap().totals;
        assert_eq!(r.stock_value, d("50.00"));
        assert_eq!(r.low_stock, 1);
    }
}
