//! Accounting domain: the cash-basis P&L of a branch. Receipts (what was
//! collected), the direct cost of the work billed (materials and lab),
//! operating expenses by category, payroll paid, net profit and the expense
//! ratio.
//!
//! Sources: `payments` (receipts, following the invoice's doctor), billed
//! `invoices` with their `invoice_items` (materials), `lab_cases`,
//! `expenses` and `payroll`.
//!
//! With doctor grouping, receipts and materials land on the invoice's doctor;
//! lab cost, expenses and payroll are the clinic's overheads and land on its
//! `doctor_id: null` row, so a clinic's doctor rows add up to its clinic row.

use crate::readout::{Cell, Readout};
use crate::domain::Domain;
use crate::compare::{Headline, Measure, MeasureKind, amount, of};
use crate::category::InvoiceStatus;
use crate::error::{OdxError, Result};
use crate::financial::{lab_cost_counts, InvoiceFact, LabCostFact, PaymentFact};
use crate::frame::Facts;
use crate::num::{add_count, add_money, rate};
use crate::report::accumulator;
use crate::report::Report;
use crate::rows::Tables;
use crate::scope::MetricScope;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The expense categories of the schema, listed in every report (zero when
/// unused) in this order; any other category follows, alphabetically.
pub const LISTED_CATEGORIES: [&str; 6] = ["rent", "utilities", "supplies", "marketing", "maintenance", "other"];

/// The category an `expenses.category` text is reported under: trimmed and
/// lower-cased (`" Rent"` and `rent` are one category); blank is `other`.
pub fn expense_category(text: &str) -> String {
    let c = text.trim().to_lowercase();
    if c.is_empty() {
        "other".to_owned()
    } else {
        c
    }
}

/// Payments paid in range, grouped by clinic and (when grouping by doctor)
/// the doctor of the invoice they pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReceiptFact {
    /// `payments.clinic_id`.
    pub clinic_id: i64,
    /// The paid invoice's `doctor_id` (the group key).
    pub doctor_id: Option<i64>,
    /// How many payments (refunds included).
    pub payments: u64,
    /// Sum of `payments.amount` (refunds negative).
    pub amount: Decimal,
}

impl ReceiptFact {
    /// The receipts of a group of payments received in range, as the
    /// financial domain reads them ([`PaymentFact`], by method and trend
    /// bucket): every payment counts, refunds included. A call that reads
    /// both domains reads the payments once.
    pub fn of_payments(f: &PaymentFact) -> Self {
        ReceiptFact { clinic_id: f.clinic_id, doctor_id: f.doctor_id, payments: f.payments, amount: f.amount }
    }
}

/// Materials of the invoices issued in range, grouped by clinic and doctor:
/// the items of billed invoices ([`InvoiceStatus::is_billed`]) and how many
/// invoices have a status core does not know. [`MaterialsFact::of_invoice`]
/// is one invoice's fact; a source that groups must apply the same rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MaterialsFact {
    /// `invoices.clinic_id`.
    pub clinic_id: i64,
    /// `invoices.doctor_id` (the group key).
    pub doctor_id: Option<i64>,
    /// How many of the invoices have an unknown status (data quality).
    pub unknown_status: u64,
    /// Sum of qty x unit_cost of the items of the billed invoices.
    pub materials: Decimal,
}

impl MaterialsFact {
    /// The fact of a group of invoices issued in range, all of one status,
    /// as the financial domain reads them ([`InvoiceFact`]: their count and
    /// their items' cost): [`MaterialsFact::of_invoice`]'s rule applied to
    /// the group. A call that reads both domains reads the invoices once.
    pub fn of_invoices(f: &InvoiceFact) -> Self {
        MaterialsFact {
            clinic_id: f.clinic_id,
            doctor_id: f.doctor_id,
            unknown_status: if f.status == InvoiceStatus::Unknown { f.invoices } else { 0 },
            materials: if f.status.is_billed() { f.materials } else { Decimal::ZERO },
        }
    }

    /// One invoice's fact: its items' cost counts when it is billed, and an
    /// unknown status is counted.
    pub fn of_invoice(clinic_id: i64, doctor_id: Option<i64>, status: InvoiceStatus, items_cost: Decimal) -> Self {
        MaterialsFact {
            clinic_id,
            doctor_id,
            unknown_status: u64::from(status == InvoiceStatus::Unknown),
            materials: if status.is_billed() { items_cost } else { Decimal::ZERO },
        }
    }
}

/// Expenses spent in range (`spent_on`, a local date), grouped by clinic and
/// category text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExpenseFact {
    /// `expenses.clinic_id`.
    pub clinic_id: i64,
    /// `expenses.category` as stored (core normalizes it).
    pub category: String,
    /// How many expense rows.
    pub expenses: u64,
    /// Sum of `expenses.amount` (a refund from a supplier is negative).
    pub amount: Decimal,
}

/// Payroll paid in range (`paid_on`, cash basis), grouped by clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PayrollFact {
    /// `payroll.clinic_id`.
    pub clinic_id: i64,
    /// How many payroll rows.
    pub entries: u64,
    /// Sum of `payroll.gross`.
    pub gross: Decimal,
}

/// Rows kept out of the KPIs for bad values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccountingDataQuality {
    /// Invoices issued in range whose status is not listed (their materials
    /// are not a direct cost).
    pub unknown_invoice_status: u64,
    /// Lab cases sent in range whose status is not listed (kept out of lab cost).
    pub unknown_lab_status: u64,
}

impl AccountingDataQuality {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_count(&mut self.unknown_invoice_status, o.unknown_invoice_status, "data quality")?;
        add_count(&mut self.unknown_lab_status, o.unknown_lab_status, "data quality")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct AccountingFacts {
    receipts: Decimal,
    payments: u64,
    materials: Decimal,
    lab_cost: Decimal,
    /// Normalized category -> (rows, amount).
    opex: BTreeMap<String, (u64, Decimal)>,
    payroll: Decimal,
    payroll_entries: u64,
    dq: AccountingDataQuality,
}

impl Facts for AccountingFacts {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_money(&mut self.receipts, o.receipts, "receipts")?;
        add_count(&mut self.payments, o.payments, "payments")?;
        add_money(&mut self.materials, o.materials, "materials cost")?;
        add_money(&mut self.lab_cost, o.lab_cost, "lab cost")?;
        for (category, (n, amount)) in &o.opex {
            self.add_opex(category.clone(), *n, *amount)?;
        }
        add_money(&mut self.payroll, o.payroll, "payroll")?;
        add_count(&mut self.payroll_entries, o.payroll_entries, "payroll entries")?;
        self.dq.merge(&o.dq)
    }
}

impl AccountingFacts {
    fn add_receipt(&mut self, f: &ReceiptFact) -> Result<()> {
        add_money(&mut self.receipts, f.amount, "receipts")?;
        add_count(&mut self.payments, f.payments, "payments")
    }

    fn add_materials(&mut self, f: &MaterialsFact) -> Result<()> {
        add_count(&mut self.dq.unknown_invoice_status, f.unknown_status, "data quality")?;
        add_money(&mut self.materials, f.materials, "materials cost")
    }

    fn add_lab_cost(&mut self, f: &LabCostFact) -> Result<()> {
        if lab_cost_counts(f, &mut self.dq.unknown_lab_status)? {
            add_money(&mut self.lab_cost, f.cost, "lab cost")?;
        }
        Ok(())
    }

    fn add_opex(&mut self, category: String, rows: u64, amount: Decimal) -> Result<()> {
        let line = self.opex.entry(category).or_default();
        add_count(&mut line.0, rows, "expense rows")?;
        add_money(&mut line.1, amount, "opex")
    }

    fn add_payroll(&mut self, f: &PayrollFact) -> Result<()> {
        add_money(&mut self.payroll, f.gross, "payroll")?;
        add_count(&mut self.payroll_entries, f.entries, "payroll entries")
    }
}

/// Operating expenses of one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OpexLine {
    /// The category (see [`expense_category`]).
    pub category: String,
    /// How many expense rows.
    pub expenses: u64,
    /// Their sum.
    pub amount: Decimal,
    /// amount / opex; null when opex is zero.
    #[serde(with = "crate::wire::rate")]
    pub share: Option<Decimal>,
}

/// Every accounting KPI of one group (or of the totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccountingMetrics {
    /// Payments paid in range (the financial `collected`, cash basis).
    pub receipts: Decimal,
    /// How many payments.
    pub payments: u64,
    /// Sum of qty x unit_cost of items on billed invoices issued in range.
    pub materials_cost: Decimal,
    /// Sum of `lab_cases.cost` sent in range, not cancelled.
    pub lab_cost: Decimal,
    /// materials_cost + lab_cost (as in financial).
    pub direct_cost: Decimal,
    /// Expenses spent in range (`spent_on`).
    pub opex: Decimal,
    /// `opex` by category: the listed ones always, then any other.
    pub opex_by_category: Vec<OpexLine>,
    /// Payroll paid in range (`paid_on`, whatever month it is for).
    pub payroll: Decimal,
    /// How many payroll rows.
    pub payroll_entries: u64,
    /// direct_cost + opex + payroll.
    pub total_costs: Decimal,
    /// receipts - total_costs (cash basis).
    pub net_profit: Decimal,
    /// total_costs / receipts; null when receipts are zero or negative.
    #[serde(with = "crate::wire::rate")]
    pub expense_ratio: Option<Decimal>,
    /// Rows kept out for bad values.
    pub data_quality: AccountingDataQuality,
}

impl crate::report::NamesBranches for AccountingMetrics {}

/// The accounting report.
pub type AccountingReport = Report<AccountingMetrics>;

accumulator!(
    /// The mergeable accounting accumulator of one scope.
    AccountingAcc,
    AccountingFacts,
    AccountingReport,
    metrics
);

impl AccountingAcc {
    /// Adds payments paid in range.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    pub fn accum_receipt(&mut self, f: &ReceiptFact) -> Result<()> {
        self.each(f.clinic_id, f.doctor_id, |facts| facts.add_receipt(f))
    }

    /// Adds the materials of invoices issued in range.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    pub fn accum_materials(&mut self, f: &MaterialsFact) -> Result<()> {
        self.each(f.clinic_id, f.doctor_id, |facts| facts.add_materials(f))
    }

    /// Adds lab cases sent in range (on the clinic's no-doctor row).
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    pub fn accum_lab_cost(&mut self, f: &LabCostFact) -> Result<()> {
        self.each(f.clinic_id, None, |facts| facts.add_lab_cost(f))
    }

    /// Adds expenses spent in range (on the clinic's no-doctor row).
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    pub fn accum_expense(&mut self, f: &ExpenseFact) -> Result<()> {
        let category = expense_category(&f.category);
        self.each(f.clinic_id, None, |facts| facts.add_opex(category.clone(), f.expenses, f.amount))
    }

    /// Adds payroll paid in range (on the clinic's no-doctor row).
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    pub fn accum_payroll(&mut self, f: &PayrollFact) -> Result<()> {
        self.each(f.clinic_id, None, |facts| facts.add_payroll(f))
    }
}

fn sum(parts: &[Decimal], what: &'static str) -> Result<Decimal> {
    let mut total = Decimal::ZERO;
    for p in parts {
        add_money(&mut total, *p, what)?;
    }
    Ok(total)
}

fn metrics(f: &AccountingFacts) -> Result<AccountingMetrics> {
    let direct_cost = sum(&[f.materials, f.lab_cost], "direct cost")?;
    let opex = sum(&f.opex.values().map(|(_, a)| *a).collect::<Vec<_>>(), "opex")?;
    let mut lines: Vec<OpexLine> = Vec::with_capacity(LISTED_CATEGORIES.len() + f.opex.len());
    let line = |category: &str, (expenses, amount): (u64, Decimal)| -> Result<OpexLine> {
        Ok(OpexLine { category: category.to_owned(), expenses, amount, share: rate(amount, opex)? })
    };
    for c in LISTED_CATEGORIES {
        lines.push(line(c, f.opex.get(c).copied().unwrap_or_default())?);
    }
    for (c, v) in f.opex.iter().filter(|(c, _)| !LISTED_CATEGORIES.contains(&c.as_str())) {
        lines.push(line(c, *v)?);
    }
    let total_costs = sum(&[direct_cost, opex, f.payroll], "total costs")?;
    let net_profit = f.receipts.checked_sub(total_costs).ok_or(OdxError::Overflow { what: "net profit" })?;
    let expense_ratio = if f.receipts > Decimal::ZERO { rate(total_costs, f.receipts)? } else { None };
    Ok(AccountingMetrics {
        receipts: f.receipts,
        payments: f.payments,
        materials_cost: f.materials,
        lab_cost: f.lab_cost,
        direct_cost,
        opex,
        opex_by_category: lines,
        payroll: f.payroll,
        payroll_entries: f.payroll_entries,
        total_costs,
        net_profit,
        expense_ratio,
        data_quality: f.dq,
    })
}

// The in-memory path: these rows folded into this domain's accumulator.
impl Tables {
    /// The accounting report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn accounting(&self, scope: &MetricScope) -> Result<AccountingReport> {
        let mut acc = AccountingAcc::new(scope, &self.directory())?;
        self.fold_accounting(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' accounting facts (scope clinics only) to an accumulator.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_accounting(&self, acc: &mut AccountingAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        let doctor_of: FxHashMap<i64, Option<i64>> = self.invoices.iter().map(|i| (i.id, i.doctor_id)).collect();
        for p in self.payments.iter().filter(|p| scope.contains(p.clinic_id)) {
            if frame.clock(p.clinic_id)?.in_range(p.paid_at) {
                acc.accum_receipt(&ReceiptFact {
                    clinic_id: p.clinic_id,
                    doctor_id: doctor_of.get(&p.invoice_id).copied().flatten(),
                    payments: 1,
                    amount: p.amount,
                })?;
            }
        }
        let materials = self.materials_by_invoice(|_| true)?;
        for i in self.invoices.iter().filter(|i| scope.contains(i.clinic_id)) {
            if frame.clock(i.clinic_id)?.in_range(i.issued_at) {
                let items_cost = materials.get(&i.id).copied().unwrap_or_default();
                acc.accum_materials(&MaterialsFact::of_invoice(i.clinic_id, i.doctor_id, i.status, items_cost))?;
            }
        }
        // A date-keyed fact counts from `from` up to its clinic's as-of date.
        let in_range = |clinic_id: i64, d: NaiveDate| scope.contains(clinic_id) && frame.date_in_range(clinic_id, d).unwrap_or(false);
        for l in self.lab_cases.iter().filter(|l| in_range(l.clinic_id, l.sent_on)) {
            acc.accum_lab_cost(&LabCostFact { clinic_id: l.clinic_id, status: l.status, cases: 1, cost: l.cost })?;
        }
        for e in self.expenses.iter().filter(|e| in_range(e.clinic_id, e.spent_on)) {
            acc.accum_expense(&ExpenseFact {
                clinic_id: e.clinic_id,
                category: e.category.clone(),
                expenses: 1,
                amount: e.amount,
            })?;
        }
        for p in self.payroll.iter().filter(|p| in_range(p.clinic_id, p.paid_on)) {
            acc.accum_payroll(&PayrollFact { clinic_id: p.clinic_id, entries: 1, gross: p.gross })?;
        }
        Ok(())
    }
}

impl Headline for AccountingMetrics {
    const DOMAIN: Domain = Domain::Accounting;
    fn headline(&self) -> Vec<Measure> {
        vec![
            amount("receipts", self.receipts),
            amount("direct_cost", self.direct_cost),
            amount("opex", self.opex),
            amount("payroll", self.payroll),
            amount("total_costs", self.total_costs),
            amount("net_profit", self.net_profit),
            of("expense_ratio", MeasureKind::Rate, self.expense_ratio),
        ]
    }
}

/// What the domain's report computes, in a sentence a SQL user reads (the
/// `COMMENT` of its SQL function), with core's constants interpolated.
pub fn about() -> String {
    "The cash-basis P&L of the clinics over from_date..to_date, computed by odx-core: receipts, direct cost, opex by category, payroll, net profit, expense ratio; { degraded, totals, groups }. group_by: clinic (default), doctor (overheads on the doctor_id null row) or none. Since 0.2.0."
        .to_owned()
}

impl Readout for AccountingMetrics {
    const COLUMNS: &'static [&'static str] =
        &["Receipts", "Direct cost", "Opex", "Payroll", "Rent", "Net profit", "Exp/Rev"];
    fn heading(_: &MetricScope) -> String {
        "ACCOUNTING, cash basis (PKR)".to_owned()
    }
    fn cells(&self) -> Vec<Cell> {
        let rent = self.opex_by_category.iter().find(|l| l.category == "rent").map_or(Decimal::ZERO, |l| l.amount);
        vec![
            Cell::Money(Some(self.receipts)),
            Cell::Money(Some(self.direct_cost)),
            Cell::Money(Some(self.opex)),
            Cell::Money(Some(self.payroll)),
            Cell::Money(Some(rent)),
            Cell::Money(Some(self.net_profit)),
            Cell::Rate(self.expense_ratio),
        ]
    }
    fn notes(&self, _: &dyn Fn(i64) -> String, _: &dyn Fn(Decimal) -> String) -> Vec<String> {
        vec!["Exp/Rev: (direct cost + opex + payroll) / receipts; above 100% the branch spends more than it takes in."
            .to_owned()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{GroupBy, MetricScope};
    use crate::ClinicDirectory;
    use chrono::NaiveDate;

    fn acc(group_by: GroupBy) -> AccountingAcc {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let scope = MetricScope::new([1, 2], d, d, group_by).unwrap();
        AccountingAcc::new(&scope, &ClinicDirectory::with_default_zone([1, 2])).unwrap()
    }

    fn m(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn categories_are_normalized_and_listed_ones_always_reported() {
        assert_eq!(expense_category(" Rent "), "rent");
        assert_eq!(expense_category("  "), "other");
        let mut a = acc(GroupBy::Clinic);
        for (c, amount) in [("Rent", "100.00"), ("rent", "50.00"), ("legal", "25.00"), ("", "5.00")] {
            a.accum_expense(&ExpenseFact { clinic_id: 1, category: c.into(), expenses: 1, amount: m(amount) }).unwrap();
        }
        let r = a.finish().unwrap();
        let cats: Vec<_> = r.totals.opex_by_category.iter().map(|l| l.category.as_str()).collect();
        assert_eq!(cats, ["rent", "utilities", "supplies", "marketing", "maintenance", "other", "legal"]);
        assert_eq!(r.totals.opex, m("180.00"));
        assert_eq!(r.totals.opex_by_category[0].amount, m("150.00"));
        assert_eq!(r.totals.opex_by_category[0].expenses, 2);
        assert_eq!(r.totals.opex_by_category[1].share, Some(Decimal::ZERO));
    }

    #[test]
    fn no_receipts_means_no_expense_ratio_and_doctor_rows_add_up() {
        let mut a = acc(GroupBy::Doctor);
        a.accum_payroll(&PayrollFact { clinic_id: 1, entries: 1, gross: m("1000.00") }).unwrap();
        let r = a.finish().unwrap();
        assert_eq!(r.totals.expense_ratio, None);
        assert_eq!(r.totals.net_profit, m("-1000.00"));
        a.accum_receipt(&ReceiptFact { clinic_id: 1, doctor_id: Some(7), payments: 2, amount: m("4000.00") }).unwrap();
        a.accum_materials(&MaterialsFact::of_invoice(1, Some(7), InvoiceStatus::Paid, m("500.00"))).unwrap();
        a.accum_materials(&MaterialsFact::of_invoice(1, Some(7), InvoiceStatus::Draft, m("900.00"))).unwrap();
        a.accum_materials(&MaterialsFact::of_invoice(1, Some(7), InvoiceStatus::Unknown, m("300.00"))).unwrap();
        let r = a.finish().unwrap();
        assert_eq!(r.totals.expense_ratio, Some(m("0.375")));
        assert_eq!(r.totals.data_quality.unknown_invoice_status, 1);
        let keys: Vec<_> = r.groups.iter().map(|g| (g.clinic_id, g.doctor_id)).collect();
        assert_eq!(keys, [(1, Some(7)), (1, None)]);
        let net: Decimal = r.groups.iter().map(|g| g.metrics.net_profit).sum();
        assert_eq!(net, r.totals.net_profit);
    }
}
