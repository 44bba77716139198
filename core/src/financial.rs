//! Financial domain: billed, collected, AR and its aging, direct cost,
//! margin, payment mix, invoice statuses and the billed/collected trend.
//!
//! Sources: `invoices`, `invoice_items`, `payments`, `lab_cases`. The
//! accumulator takes grouped facts (one raw row is a fact of count 1), so the
//! in-memory path and the SQL path (`GROUP BY` in Postgres) feed the same code.

use crate::readout::{Cell, Readout};
use crate::domain::Domain;
use crate::compare::{Headline, Measure, MeasureKind, amount, count, of};
use crate::calendar::{AgingBucket, Granularity};
use crate::category::{InvoiceStatus, LabStatus, Payer, PaymentMethod};
use crate::error::{OdxError, Result};
use crate::frame::{ClinicDirectory, Facts, Frame, Grouped};
use crate::num::{add_count, add_money, average_money, merge_counts, rate};
use crate::report::{assemble, Report};
use crate::rows::Tables;
use crate::scope::MetricScope;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Invoices issued in the range, grouped by clinic, doctor, trend bucket and
/// status. `bucket` is the trend bucket of the issue instant
/// ([`crate::ClinicClock::trend_bucket`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InvoiceFact {
    /// `invoices.clinic_id`.
    pub clinic_id: i64,
    /// `invoices.doctor_id`.
    pub doctor_id: Option<i64>,
    /// Trend bucket of `issued_at`.
    pub bucket: u32,
    /// `invoices.status`.
    pub status: InvoiceStatus,
    /// How many invoices.
    pub invoices: u64,
    /// Sum of `invoices.total`.
    pub total: Decimal,
    /// Sum over their items of `qty * unit_cost`.
    pub materials: Decimal,
}

/// Payments paid in the range, grouped by clinic, the invoice's doctor,
/// trend bucket and method. Refunds are negative amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentFact {
    /// `payments.clinic_id`.
    pub clinic_id: i64,
    /// The paid invoice's `doctor_id`.
    pub doctor_id: Option<i64>,
    /// Trend bucket of `paid_at`.
    pub bucket: u32,
    /// `payments.method`.
    pub method: PaymentMethod,
    /// How many payments.
    pub payments: u64,
    /// Sum of `payments.amount`.
    pub amount: Decimal,
}

/// Invoices issued before the as-of instant with their balance as of it
/// (`total - payments paid before the as-of instant`), grouped by clinic,
/// doctor, aging bucket, status, payer **and the sign of the balance**: every
/// invoice of one fact has a balance of the same sign, so that AR (positive
/// balances) and credits (negative ones) never cancel out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReceivableFact {
    /// `invoices.clinic_id`.
    pub clinic_id: i64,
    /// `invoices.doctor_id`.
    pub doctor_id: Option<i64>,
    /// Aging bucket of the issue instant.
    pub aging: AgingBucket,
    /// `invoices.status`.
    pub status: InvoiceStatus,
    /// `invoices.payer`.
    pub payer: Payer,
    /// How many invoices.
    pub invoices: u64,
    /// Sum of their balances (all of one sign).
    pub balance: Decimal,
}

impl ReceivableFact {
    /// Whether the fact adds anything: a billed invoice's balance that is not
    /// zero (AR or a credit), or a status core does not know (data quality).
    /// Any other fact (a settled invoice, a draft, a void) adds nothing and
    /// makes no row: a doctor whose invoices are all settled has no row for
    /// it. A source that groups may leave such invoices out (the
    /// receivables statement of `odx_sql` does).
    pub fn counts(&self) -> bool {
        receivable_counts(self.status, self.balance)
    }
}

/// [`ReceivableFact::counts`] for one invoice's status and balance.
fn receivable_counts(status: InvoiceStatus, balance: Decimal) -> bool {
    status == InvoiceStatus::Unknown || (status.is_billed() && !balance.is_zero())
}

/// Lab cases sent in the range (`sent_on` between `from` and `to`), grouped by
/// clinic and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LabCostFact {
    /// `lab_cases.clinic_id`.
    pub clinic_id: i64,
    /// `lab_cases.status`.
    pub status: LabStatus,
    /// How many cases.
    pub cases: u64,
    /// Sum of `lab_cases.cost`.
    pub cost: Decimal,
}

/// Rows that did not fit the schema's lists and were kept out of the KPIs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FinancialDataQuality {
    /// Invoices issued in range whose status is not a listed one.
    pub unknown_invoice_status: u64,
    /// Receivable invoices (issued by the as-of) whose status is not listed.
    pub unknown_receivable_status: u64,
    /// Payments whose method is not listed (still collected, under `unknown`).
    pub unknown_payment_method: u64,
    /// Open invoices whose payer is not listed (still AR, under `unknown`).
    pub unknown_payer: u64,
    /// Lab cases whose status is not listed (kept out of lab cost).
    pub unknown_lab_status: u64,
}

impl FinancialDataQuality {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_count(&mut self.unknown_invoice_status, o.unknown_invoice_status, "data quality")?;
        add_count(&mut self.unknown_receivable_status, o.unknown_receivable_status, "data quality")?;
        add_count(&mut self.unknown_payment_method, o.unknown_payment_method, "data quality")?;
        add_count(&mut self.unknown_payer, o.unknown_payer, "data quality")?;
        add_count(&mut self.unknown_lab_status, o.unknown_lab_status, "data quality")
    }
}

const AGING: usize = AgingBucket::ALL.len();

/// The sufficient statistic of one group: sums and counts by status, method,
/// payer, aging bucket and trend bucket. Its size depends on the number of
/// trend buckets, never on the number of rows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FinancialFacts {
    invoices: [u64; InvoiceStatus::COUNT],
    invoiced: [Decimal; InvoiceStatus::COUNT],
    materials: Decimal,
    trend_billed: Vec<Decimal>,
    trend_collected: Vec<Decimal>,
    payments: [u64; PaymentMethod::COUNT],
    paid: [Decimal; PaymentMethod::COUNT],
    receivable: [[Decimal; AGING]; Payer::COUNT],
    open_invoices: u64,
    credits: Decimal,
    lab_cases: u64,
    lab_cost: Decimal,
    dq: FinancialDataQuality,
}

impl FinancialFacts {
    fn new(buckets: usize) -> Self {
        FinancialFacts {
            invoices: [0; InvoiceStatus::COUNT],
            invoiced: [Decimal::ZERO; InvoiceStatus::COUNT],
            materials: Decimal::ZERO,
            trend_billed: vec![Decimal::ZERO; buckets],
            trend_collected: vec![Decimal::ZERO; buckets],
            payments: [0; PaymentMethod::COUNT],
            paid: [Decimal::ZERO; PaymentMethod::COUNT],
            receivable: [[Decimal::ZERO; AGING]; Payer::COUNT],
            open_invoices: 0,
            credits: Decimal::ZERO,
            lab_cases: 0,
            lab_cost: Decimal::ZERO,
            dq: FinancialDataQuality::default(),
        }
    }

    #[inline]
    fn add_invoice(&mut self, f: &InvoiceFact) -> Result<()> {
        let s = f.status.index();
        add_count(&mut self.invoices[s], f.invoices, "invoice count")?;
        if f.status == InvoiceStatus::Unknown {
            return add_count(&mut self.dq.unknown_invoice_status, f.invoices, "data quality");
        }
        add_money(&mut self.invoiced[s], f.total, "invoiced")?;
        if f.status.is_billed() {
            add_money(&mut self.trend_billed[f.bucket as usize], f.total, "billed")?;
            if !f.materials.is_zero() {
                add_money(&mut self.materials, f.materials, "materials cost")?;
            }
        }
        Ok(())
    }

    #[inline]
    fn add_payment(&mut self, f: &PaymentFact) -> Result<()> {
        let m = f.method.index();
        add_count(&mut self.payments[m], f.payments, "payment count")?;
        add_money(&mut self.paid[m], f.amount, "collected")?;
        add_money(&mut self.trend_collected[f.bucket as usize], f.amount, "collected")?;
        if f.method == PaymentMethod::Unknown {
            add_count(&mut self.dq.unknown_payment_method, f.payments, "data quality")?;
        }
        Ok(())
    }

    #[inline]
    /// Adds a fact that counts: which facts count is
    /// [`ReceivableFact::counts`] alone, and every caller asks it first.
    fn add_receivable(&mut self, f: &ReceivableFact) -> Result<()> {
        if f.status == InvoiceStatus::Unknown {
            return add_count(&mut self.dq.unknown_receivable_status, f.invoices, "data quality");
        }
        if f.balance > Decimal::ZERO {
            add_money(&mut self.receivable[f.payer.index()][f.aging.index()], f.balance, "outstanding")?;
            add_count(&mut self.open_invoices, f.invoices, "open invoices")?;
            if f.payer == Payer::Unknown {
                add_count(&mut self.dq.unknown_payer, f.invoices, "data quality")?;
            }
        } else if f.balance < Decimal::ZERO {
            add_money(&mut self.credits, -f.balance, "credits")?;
        }
        Ok(())
    }

    fn add_lab_cost(&mut self, f: &LabCostFact) -> Result<()> {
        if lab_cost_counts(f, &mut self.dq.unknown_lab_status)? {
            add_count(&mut self.lab_cases, f.cases, "lab cases")?;
            add_money(&mut self.lab_cost, f.cost, "lab cost")?;
        }
        Ok(())
    }
}

/// The lab-cost rule, shared by every domain that reports lab cost: cases
/// sent in range count unless cancelled; a status outside the schema's list is
/// bad data, counted in `unknown_status` and kept out.
///
/// # Errors
/// [`OdxError::Overflow`] of the data-quality count.
pub(crate) fn lab_cost_counts(f: &LabCostFact, unknown_status: &mut u64) -> Result<bool> {
    match f.status {
        LabStatus::Cancelled => Ok(false),
        LabStatus::Unknown => add_count(unknown_status, f.cases, "data quality").map(|()| false),
        LabStatus::Sent | LabStatus::Received => Ok(true),
    }
}

fn merge_money(a: &mut [Decimal], b: &[Decimal], what: &'static str) -> Result<()> {
    a.iter_mut().zip(b).filter(|(_, y)| !y.is_zero()).try_for_each(|(x, y)| add_money(x, *y, what))
}

impl Facts for FinancialFacts {
    fn merge(&mut self, o: &Self) -> Result<()> {
        merge_counts(&mut self.invoices, &o.invoices, "invoice count")?;
        merge_money(&mut self.invoiced, &o.invoiced, "invoiced")?;
        add_money(&mut self.materials, o.materials, "materials cost")?;
        merge_money(&mut self.trend_billed, &o.trend_billed, "billed")?;
        merge_money(&mut self.trend_collected, &o.trend_collected, "collected")?;
        merge_counts(&mut self.payments, &o.payments, "payment count")?;
        merge_money(&mut self.paid, &o.paid, "collected")?;
        for (a, b) in self.receivable.iter_mut().zip(&o.receivable) {
            merge_money(a, b, "outstanding")?;
        }
        add_count(&mut self.open_invoices, o.open_invoices, "open invoices")?;
        add_money(&mut self.credits, o.credits, "credits")?;
        add_count(&mut self.lab_cases, o.lab_cases, "lab cases")?;
        add_money(&mut self.lab_cost, o.lab_cost, "lab cost")?;
        self.dq.merge(&o.dq)
    }
}

/// AR by payer (`payer` column text as keys).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PayerAmounts {
    /// Patients' own balances.
    #[serde(rename = "self")]
    pub self_pay: Decimal,
    /// Insurers' balances.
    pub insurance: Decimal,
    /// Balances of invoices whose payer is not a listed value.
    pub unknown: Decimal,
}

/// AR by aging bucket; the four always sum to `outstanding` exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgingAmounts {
    /// Issued 0 to 30 days before `to`.
    #[serde(rename = "0-30")]
    pub days_0_30: Decimal,
    /// 31 to 60 days.
    #[serde(rename = "31-60")]
    pub days_31_60: Decimal,
    /// 61 to 90 days.
    #[serde(rename = "61-90")]
    pub days_61_90: Decimal,
    /// 91 days or more.
    #[serde(rename = "90+")]
    pub over_90: Decimal,
}

impl AgingAmounts {
    /// The amount of one bucket.
    pub fn get(&self, b: AgingBucket) -> Decimal {
        match b {
            AgingBucket::Days0To30 => self.days_0_30,
            AgingBucket::Days31To60 => self.days_31_60,
            AgingBucket::Days61To90 => self.days_61_90,
            AgingBucket::Over90 => self.over_90,
        }
    }
}

/// Collected through one payment method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentShare {
    /// The method.
    pub method: PaymentMethod,
    /// Number of payments (refunds included).
    pub payments: u64,
    /// Sum of amounts, refunds negative.
    pub amount: Decimal,
    /// amount / collected; null when nothing was collected.
    #[serde(with = "crate::wire::rate")]
    pub share: Option<Decimal>,
}

/// Invoices issued in range, counted by every status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InvoiceStatusCounts {
    /// Drafts.
    pub draft: u64,
    /// Issued, unpaid.
    pub issued: u64,
    /// Partly paid.
    pub partially_paid: u64,
    /// Paid.
    pub paid: u64,
    /// Voided.
    pub void: u64,
    /// Any other status text (bad data).
    pub unknown: u64,
}

/// One trend bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TrendPoint {
    /// First day of the bucket.
    pub start: NaiveDate,
    /// Last day of the bucket (inclusive).
    pub end: NaiveDate,
    /// Billed in the bucket.
    pub billed: Decimal,
    /// Collected in the bucket.
    pub collected: Decimal,
}

/// Billed and collected per day (ranges up to 62 days) or per calendar month,
/// every bucket present, zero-filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Trend {
    /// `day` or `month`.
    pub granularity: Granularity,
    /// The buckets in date order.
    pub points: Vec<TrendPoint>,
}

/// Every financial KPI of one group (or of the totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FinancialMetrics {
    /// Sum of `invoices.total` issued in range whose status is not draft or void.
    pub billed: Decimal,
    /// Number of those invoices.
    pub invoice_count: u64,
    /// billed / invoice_count, rounded to paisa; null without invoices.
    pub avg_ticket: Option<Decimal>,
    /// Sum of `payments.amount` paid in range (cash basis, refunds negative).
    pub collected: Decimal,
    /// collected / billed; null when nothing was billed. May exceed 1 when old
    /// AR is collected.
    #[serde(with = "crate::wire::rate")]
    pub collection_rate: Option<Decimal>,
    /// AR as of `to`: over billed invoices issued by then, the sum of positive
    /// balances (total - payments paid by then).
    pub outstanding: Decimal,
    /// `outstanding` split by payer.
    pub outstanding_by_payer: PayerAmounts,
    /// Number of invoices with a positive balance.
    pub open_invoices: u64,
    /// The sum of negative balances (overpayments), as a positive amount.
    pub credits: Decimal,
    /// `outstanding` by age: local date `to` - local issue date.
    pub ar_aging: AgingAmounts,
    /// Sum of qty x unit_cost of items on billed invoices issued in range.
    pub materials_cost: Decimal,
    /// Sum of `lab_cases.cost` sent in range, not cancelled.
    pub lab_cost: Decimal,
    /// materials_cost + lab_cost.
    pub direct_cost: Decimal,
    /// billed - direct_cost.
    pub gross_profit: Decimal,
    /// gross_profit / billed; null when nothing was billed.
    #[serde(with = "crate::wire::rate")]
    pub margin: Option<Decimal>,
    /// Collected per payment method with its share of collected.
    pub payment_mix: Vec<PaymentShare>,
    /// Invoices issued in range by every status (draft and void included).
    pub status_counts: InvoiceStatusCounts,
    /// Billed and collected over time.
    pub trend: Trend,
    /// Rows kept out for bad category values.
    pub data_quality: FinancialDataQuality,
}

impl crate::report::NamesBranches for FinancialMetrics {}

/// The financial report.
pub type FinancialReport = Report<FinancialMetrics>;

/// The mergeable financial accumulator of one scope.
///
/// ```
/// use odx_core::{financial::*, ClinicDirectory, GroupBy, InvoiceStatus, MetricScope};
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// let day = |d| NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
/// let scope = MetricScope::new([1], day(1), day(30), GroupBy::Clinic).unwrap();
/// let mut acc = FinancialAcc::new(&scope, &ClinicDirectory::with_default_zone([1])).unwrap();
/// acc.accum_invoice(&InvoiceFact { clinic_id: 1, doctor_id: None, bucket: 0,
///     status: InvoiceStatus::Paid, invoices: 2, total: Decimal::new(300000, 2), materials: Decimal::ZERO }).unwrap();
/// let report = acc.finish().unwrap();
/// assert_eq!(report.totals.avg_ticket, Some(Decimal::new(150000, 2)));
/// // A fact of a clinic outside the scope is refused, never dropped:
/// let err = acc.accum_invoice(&InvoiceFact { clinic_id: 9, doctor_id: None, bucket: 0,
///     status: InvoiceStatus::Paid, invoices: 1, total: Decimal::ONE, materials: Decimal::ZERO }).unwrap_err();
/// assert_eq!(err.code(), "ODX_ROW_OUTSIDE_SCOPE");
/// ```
#[derive(Debug, Clone)]
pub struct FinancialAcc {
    frame: Frame,
    groups: Grouped<FinancialFacts>,
}

impl FinancialAcc {
    /// An empty accumulator for a scope.
    ///
    /// # Errors
    /// As [`Frame::new`].
    pub fn new(scope: &MetricScope, directory: &ClinicDirectory) -> Result<Self> {
        Ok(FinancialAcc::with_frame(Frame::new(scope, directory)?))
    }

    /// An empty accumulator on an existing frame (partial states of one scope
    /// share it).
    pub fn with_frame(frame: Frame) -> Self {
        let proto = FinancialFacts::new(frame.calendar().bucket_count());
        FinancialAcc { groups: Grouped::new(&frame, proto), frame }
    }

    /// The frame (scope, calendar, clocks).
    pub fn frame(&self) -> &Frame {
        &self.frame
    }

    fn check_bucket(&self, bucket: u32) -> Result<()> {
        let buckets = self.frame.calendar().bucket_count() as u32;
        if bucket >= buckets {
            return Err(OdxError::BucketOutOfRange { bucket, buckets });
        }
        Ok(())
    }

    /// Adds invoices issued in range.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::BucketOutOfRange`],
    /// [`OdxError::Overflow`].
    #[inline]
    pub fn accum_invoice(&mut self, f: &InvoiceFact) -> Result<()> {
        let slot = self.frame.slot(f.clinic_id)?;
        self.check_bucket(f.bucket)?;
        let (clinic, doctor) = self.groups.slots(slot, f.clinic_id, f.doctor_id);
        clinic.add_invoice(f)?;
        doctor.map_or(Ok(()), |d| d.add_invoice(f))
    }

    /// Adds payments paid in range.
    ///
    /// # Errors
    /// As [`FinancialAcc::accum_invoice`].
    #[inline]
    pub fn accum_payment(&mut self, f: &PaymentFact) -> Result<()> {
        let slot = self.frame.slot(f.clinic_id)?;
        self.check_bucket(f.bucket)?;
        let (clinic, doctor) = self.groups.slots(slot, f.clinic_id, f.doctor_id);
        clinic.add_payment(f)?;
        doctor.map_or(Ok(()), |d| d.add_payment(f))
    }

    /// Adds receivable balances as of `to`.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    #[inline]
    pub fn accum_receivable(&mut self, f: &ReceivableFact) -> Result<()> {
        let slot = self.frame.slot(f.clinic_id)?;
        if !f.counts() {
            return Ok(());
        }
        let (clinic, doctor) = self.groups.slots(slot, f.clinic_id, f.doctor_id);
        clinic.add_receivable(f)?;
        doctor.map_or(Ok(()), |d| d.add_receivable(f))
    }

    /// Adds lab cases sent in range. Lab cases have no doctor: with doctor
    /// grouping their cost lands on the clinic's `doctor_id: null` row.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`], [`OdxError::Overflow`].
    pub fn accum_lab_cost(&mut self, f: &LabCostFact) -> Result<()> {
        let slot = self.frame.slot(f.clinic_id)?;
        let (clinic, doctor) = self.groups.slots(slot, f.clinic_id, None);
        clinic.add_lab_cost(f)?;
        doctor.map_or(Ok(()), |d| d.add_lab_cost(f))
    }

    /// Adds one raw invoice row: classifies its issue instant with the
    /// clinic's clock and adds it as an [`InvoiceFact`] when issued in range,
    /// and, when `paid_by_as_of` is given (payments paid before the as-of
    /// instant), as a [`ReceivableFact`] when issued before the as-of.
    ///
    /// # Errors
    /// As [`FinancialAcc::accum_invoice`].
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub fn accum_invoice_row(
        &mut self,
        clinic_id: i64,
        doctor_id: Option<i64>,
        issued_at: DateTime<Utc>,
        status: InvoiceStatus,
        payer: Payer,
        total: Decimal,
        materials: Decimal,
        paid_by_as_of: Option<Decimal>,
    ) -> Result<()> {
        let slot = self.frame.slot(clinic_id)?;
        let clock = self.frame.clock_at(slot);
        let secs = issued_at.timestamp();
        let bucket = clock.trend_bucket_secs(secs);
        let aging = match paid_by_as_of.and_then(|paid| Some((clock.aging_bucket_secs(secs)?, paid))) {
            Some((aging, paid)) => {
                let balance = total.checked_sub(paid).ok_or(OdxError::Overflow { what: "balance" })?;
                receivable_counts(status, balance).then_some((aging, balance))
            }
            None => None,
        };
        if bucket.is_none() && aging.is_none() {
            // Neither issued in range nor a receivable that counts: no fact,
            // no (doctor) row.
            return Ok(());
        }
        let (clinic, mut doctor) = self.groups.slots(slot, clinic_id, doctor_id);
        if let Some(bucket) = bucket {
            let f = InvoiceFact { clinic_id, doctor_id, bucket, status, invoices: 1, total, materials };
            clinic.add_invoice(&f)?;
            if let Some(d) = doctor.as_deref_mut() {
                d.add_invoice(&f)?;
            }
        }
        if let Some((aging, balance)) = aging {
            let f = ReceivableFact { clinic_id, doctor_id, aging, status, payer, invoices: 1, balance };
            clinic.add_receivable(&f)?;
            if let Some(d) = doctor {
                d.add_receivable(&f)?;
            }
        }
        Ok(())
    }

    /// Adds another partial state of the same scope.
    ///
    /// # Errors
    /// [`OdxError::ScopeMismatch`] when the scopes differ; [`OdxError::Overflow`].
    pub fn combine(&mut self, other: &FinancialAcc) -> Result<()> {
        if !self.frame.same_as(&other.frame) {
            return Err(OdxError::ScopeMismatch);
        }
        self.groups.merge(&other.groups)
    }

    /// Finishes the report: totals from the merged facts of every clinic, and
    /// one row per group.
    ///
    /// # Errors
    /// [`OdxError::Overflow`].
    pub fn finish(&self) -> Result<FinancialReport> {
        let mut all = FinancialFacts::new(self.frame.calendar().bucket_count());
        for c in self.groups.clinic_facts() {
            all.merge(c)?;
        }
        let totals = self.metrics(&all)?;
        assemble(&self.frame, totals, self.groups.clinic_facts(), self.groups.doctor_rows(), |f| self.metrics(f))
    }

    fn metrics(&self, f: &FinancialFacts) -> Result<FinancialMetrics> {
        let mut billed = Decimal::ZERO;
        let mut invoice_count = 0u64;
        for s in InvoiceStatus::LISTED.iter().filter(|s| s.is_billed()) {
            add_money(&mut billed, f.invoiced[s.index()], "billed")?;
            add_count(&mut invoice_count, f.invoices[s.index()], "invoice count")?;
        }
        let mut collected = Decimal::ZERO;
        for a in f.paid {
            add_money(&mut collected, a, "collected")?;
        }
        let mut by_payer = [Decimal::ZERO; Payer::COUNT];
        let mut aging = [Decimal::ZERO; AGING];
        for (p, row) in f.receivable.iter().enumerate() {
            for (b, amount) in row.iter().enumerate() {
                add_money(&mut by_payer[p], *amount, "outstanding")?;
                add_money(&mut aging[b], *amount, "outstanding")?;
            }
        }
        let mut outstanding = Decimal::ZERO;
        for a in aging {
            add_money(&mut outstanding, a, "outstanding")?;
        }
        let mut direct_cost = f.materials;
        add_money(&mut direct_cost, f.lab_cost, "direct cost")?;
        let gross_profit = billed.checked_sub(direct_cost).ok_or(OdxError::Overflow { what: "gross profit" })?;
        let mut payment_mix = Vec::with_capacity(PaymentMethod::COUNT);
        for m in PaymentMethod::LISTED.iter().copied().chain([PaymentMethod::Unknown]) {
            let (payments, amount) = (f.payments[m.index()], f.paid[m.index()]);
            if m == PaymentMethod::Unknown && payments == 0 {
                continue;
            }
            payment_mix.push(PaymentShare { method: m, payments, amount, share: rate(amount, collected)? });
        }
        let n = |s: InvoiceStatus| f.invoices[s.index()];
        let cal = self.frame.calendar();
        let points = (0..cal.bucket_count())
            .filter_map(|i| cal.bucket_bounds(i).map(|b| (i, b)))
            .map(|(i, (start, end))| TrendPoint {
                start,
                end,
                billed: f.trend_billed[i],
                collected: f.trend_collected[i],
            })
            .collect();
        Ok(FinancialMetrics {
            billed,
            invoice_count,
            avg_ticket: average_money(billed, invoice_count)?,
            collected,
            collection_rate: rate(collected, billed)?,
            outstanding,
            outstanding_by_payer: PayerAmounts {
                self_pay: by_payer[Payer::SelfPay.index()],
                insurance: by_payer[Payer::Insurance.index()],
                unknown: by_payer[Payer::Unknown.index()],
            },
            open_invoices: f.open_invoices,
            credits: f.credits,
            ar_aging: AgingAmounts {
                days_0_30: aging[AgingBucket::Days0To30.index()],
                days_31_60: aging[AgingBucket::Days31To60.index()],
                days_61_90: aging[AgingBucket::Days61To90.index()],
                over_90: aging[AgingBucket::Over90.index()],
            },
            materials_cost: f.materials,
            lab_cost: f.lab_cost,
            direct_cost,
            gross_profit,
            margin: rate(gross_profit, billed)?,
            payment_mix,
            status_counts: InvoiceStatusCounts {
                draft: n(InvoiceStatus::Draft),
                issued: n(InvoiceStatus::Issued),
                partially_paid: n(InvoiceStatus::PartiallyPaid),
                paid: n(InvoiceStatus::Paid),
                void: n(InvoiceStatus::Void),
                unknown: n(InvoiceStatus::Unknown),
            },
            trend: Trend { granularity: cal.granularity(), points },
            data_quality: f.dq,
        })
    }
}

// The in-memory path: these rows folded into this domain's accumulator.
impl Tables {
    /// The financial report of a scope over these rows.
    ///
    /// # Errors
    /// [`OdxError::UnknownClinic`] for a scope clinic missing from `clinics`,
    /// [`OdxError::UnknownTimeZone`], [`OdxError::Overflow`].
    pub fn financial(&self, scope: &MetricScope) -> Result<FinancialReport> {
        let mut acc = FinancialAcc::new(scope, &self.directory())?;
        self.fold_financial(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' financial facts (scope clinics only) to an accumulator.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_financial(&self, acc: &mut FinancialAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        // invoice id -> (clinic, doctor), for every invoice: a payment follows
        // its invoice's doctor, whichever clinic recorded it.
        let invoice_of: FxHashMap<i64, (i64, Option<i64>)> =
            self.invoices.iter().map(|i| (i.id, (i.clinic_id, i.doctor_id))).collect();
        let in_scope_invoice = |id: &i64| invoice_of.get(id).is_some_and(|(c, _)| scope.contains(*c));
        let materials = self.materials_by_invoice(in_scope_invoice)?;
        // Paid to date: every payment against an invoice of the scope, before
        // the as-of instant of the invoice's clinic.
        let mut paid: FxHashMap<i64, Decimal> = FxHashMap::default();
        for p in &self.payments {
            if let Some((clinic, _)) = invoice_of.get(&p.invoice_id).filter(|(c, _)| scope.contains(*c)) {
                if p.paid_at < frame.clock(*clinic)?.as_of() {
                    add_money(paid.entry(p.invoice_id).or_default(), p.amount, "paid")?;
                }
            }
        }
        for p in self.payments.iter().filter(|p| scope.contains(p.clinic_id)) {
            if let Some(bucket) = frame.clock(p.clinic_id)?.trend_bucket(p.paid_at) {
                acc.accum_payment(&PaymentFact {
                    clinic_id: p.clinic_id,
                    doctor_id: invoice_of.get(&p.invoice_id).and_then(|(_, d)| *d),
                    bucket,
                    method: p.method,
                    payments: 1,
                    amount: p.amount,
                })?;
            }
        }
        for i in self.invoices.iter().filter(|i| scope.contains(i.clinic_id)) {
            acc.accum_invoice_row(
                i.clinic_id,
                i.doctor_id,
                i.issued_at,
                i.status,
                i.payer,
                i.total,
                materials.get(&i.id).copied().unwrap_or_default(),
                Some(paid.get(&i.id).copied().unwrap_or_default()),
            )?;
        }
        for l in self.lab_cases.iter().filter(|l| scope.contains(l.clinic_id)) {
            if frame.date_in_range(l.clinic_id, l.sent_on)? {
                acc.accum_lab_cost(&LabCostFact { clinic_id: l.clinic_id, status: l.status, cases: 1, cost: l.cost })?;
            }
        }
        Ok(())
    }
}

impl Headline for FinancialMetrics {
    const DOMAIN: Domain = Domain::Financial;
    fn headline(&self) -> Vec<Measure> {
        use MeasureKind::*;
        vec![
            amount("billed", self.billed),
            count("invoice_count", self.invoice_count),
            of("avg_ticket", Average, self.avg_ticket),
            amount("collected", self.collected),
            of("collection_rate", Rate, self.collection_rate),
            amount("outstanding", self.outstanding),
            amount("ar_90_plus", self.ar_aging.over_90),
            amount("direct_cost", self.direct_cost),
            amount("gross_profit", self.gross_profit),
            of("margin", Rate, self.margin),
        ]
    }
}

/// What the domain's report computes, in a sentence a SQL user reads (the
/// `COMMENT` of its SQL function), with core's constants interpolated.
pub fn about() -> String {
    "Financial KPIs of the clinics over from_date..to_date (local dates, inclusive), computed by odx-core: { degraded, totals, groups }. group_by: clinic (default), doctor or none."
        .to_owned()
}

impl Readout for FinancialMetrics {
    const COLUMNS: &'static [&'static str] =
        &["Billed", "Collected", "Coll.", "Outstanding", "AR 61-90", "AR 90+", "Avg ticket", "Margin"];
    fn heading(_: &MetricScope) -> String {
        "FINANCIAL (PKR)".to_owned()
    }
    fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Money(Some(self.billed)),
            Cell::Money(Some(self.collected)),
            Cell::Rate(self.collection_rate),
            Cell::Money(Some(self.outstanding)),
            Cell::Money(Some(self.ar_aging.days_61_90)),
            Cell::Money(Some(self.ar_aging.over_90)),
            Cell::Money(self.avg_ticket),
            Cell::Rate(self.margin),
        ]
    }
    fn notes(&self, _: &dyn Fn(i64) -> String, money: &dyn Fn(Decimal) -> String) -> Vec<String> {
        vec![format!(
            "AR by payer: self {} / insurance {}; credits {}; direct cost {} (materials {} + lab {})",
            money(self.outstanding_by_payer.self_pay),
            money(self.outstanding_by_payer.insurance),
            money(self.credits),
            money(self.direct_cost),
            money(self.materials_cost),
            money(self.lab_cost)
        )]
    }
}
