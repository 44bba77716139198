//! Clinical domain: treatment plans and what becomes of them (acceptance,
//! pipeline, completion), quotations, and the procedures billed.
//!
//! Sources: `treatment_plans` created in range (local dates of the clinic)
//! with the fees of their procedures, `quotations` created in range, and the
//! items of invoices issued in range (core keeps the billed ones). Statuses
//! are the rows' current ones: the schema keeps no status history.
//!
//! With doctor grouping, a plan is on its doctor's row, a quotation on the
//! row of its plan's doctor (the no-doctor row without a plan), a procedure
//! line on its invoice's doctor's row.

use crate::readout::{Cell, Readout};
use crate::domain::Domain;
use crate::compare::{Headline, Measure, MeasureKind, amount, count, of};
use crate::category::{label, InvoiceStatus, PlanStatus, ProcedureStatus, QuotationStatus};
use crate::error::{OdxError, Result};
use crate::frame::Facts;
use crate::num::{add_count, add_money, average_money, count_rate, merge_counts, rate};
use crate::report::accumulator;
use crate::report::Report;
use crate::rows::{item_amount, InvoiceRow, Tables, TreatmentPlanRow};
use crate::scope::MetricScope;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many procedures each top list keeps.
pub const TOP_PROCEDURES: usize = 10;

/// Plans created in range grouped by clinic, doctor and status. The doctor is
/// always the plan's (the per-doctor acceptance needs it in every grouping).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanFact {
    /// `treatment_plans.clinic_id`.
    pub clinic_id: i64,
    /// `treatment_plans.doctor_id`.
    pub doctor_id: Option<i64>,
    /// `treatment_plans.status`.
    pub status: PlanStatus,
    /// How many plans.
    pub plans: u64,
}

/// The procedures of plans created in range grouped by clinic, doctor, plan
/// status and procedure status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanFeesFact {
    /// The plan's clinic.
    pub clinic_id: i64,
    /// The plan's doctor.
    pub doctor_id: Option<i64>,
    /// The plan's status.
    pub plan_status: PlanStatus,
    /// `treatment_plan_procedures.status`.
    pub procedure_status: ProcedureStatus,
    /// How many procedures.
    pub procedures: u64,
    /// Sum of their `fee`.
    pub fees: Decimal,
}

/// Quotations created in range grouped by clinic, doctor (of their plan) and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct QuotationFact {
    /// `quotations.clinic_id`.
    pub clinic_id: i64,
    /// The doctor of the quotation's plan (none without a plan).
    pub doctor_id: Option<i64>,
    /// `quotations.status`.
    pub status: QuotationStatus,
    /// How many quotations.
    pub quotations: u64,
}

/// Items of invoices issued in range grouped by clinic, doctor, invoice
/// status and procedure code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProcedureLineFact {
    /// The invoice's clinic.
    pub clinic_id: i64,
    /// The invoice's doctor.
    pub doctor_id: Option<i64>,
    /// The invoice's status (core keeps the billed ones).
    pub status: InvoiceStatus,
    /// `invoice_items.procedure_code` as stored (core trims it).
    pub procedure_code: String,
    /// Sum of `qty`.
    pub qty: i64,
    /// Sum of `qty x unit_price`.
    pub revenue: Decimal,
}

/// Rows kept out of the KPIs for bad values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ClinicalDataQuality {
    /// Plans created in range whose status is not listed (not counted, nor their procedures).
    pub unknown_plan_status: u64,
    /// Procedures of plans created in range whose status is not listed (their
    /// fees count in the plan value only).
    pub unknown_procedure_status: u64,
    /// Quotations created in range whose status is not listed (not counted).
    pub unknown_quotation_status: u64,
}

impl ClinicalDataQuality {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_count(&mut self.unknown_plan_status, o.unknown_plan_status, "data quality")?;
        add_count(&mut self.unknown_procedure_status, o.unknown_procedure_status, "data quality")?;
        add_count(&mut self.unknown_quotation_status, o.unknown_quotation_status, "data quality")
    }
}

/// Plans created and accepted (one doctor's, or a group's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Acceptance {
    created: u64,
    accepted: u64,
}

impl Acceptance {
    fn merge(&mut self, o: &Self) -> Result<()> {
        add_count(&mut self.created, o.created, "plans")?;
        add_count(&mut self.accepted, o.accepted, "plans")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ClinicalFacts {
    /// Plans per listed status (`PlanStatus::index`).
    plans: [u64; PlanStatus::COUNT],
    /// Procedure fees per plan status and procedure status.
    fees: [[Decimal; ProcedureStatus::COUNT]; PlanStatus::COUNT],
    /// Plans created and accepted per doctor.
    doctors: BTreeMap<Option<i64>, Acceptance>,
    /// Quotations per listed status.
    quotations: [u64; QuotationStatus::COUNT],
    /// Billed volume and revenue per (trimmed) procedure code.
    lines: BTreeMap<String, (i64, Decimal)>,
    dq: ClinicalDataQuality,
}

impl Facts for ClinicalFacts {
    fn merge(&mut self, o: &Self) -> Result<()> {
        merge_counts(&mut self.plans, &o.plans, "plans")?;
        for (mine, theirs) in self.fees.iter_mut().zip(&o.fees) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                add_money(a, *b, "plan fees")?;
            }
        }
        for (doctor, a) in &o.doctors {
            self.doctors.entry(*doctor).or_default().merge(a)?;
        }
        merge_counts(&mut self.quotations, &o.quotations, "quotations")?;
        for (code, (qty, revenue)) in &o.lines {
            self.add_line(code.clone(), *qty, *revenue)?;
        }
        self.dq.merge(&o.dq)
    }
}

impl ClinicalFacts {
    fn add_plan(&mut self, f: &PlanFact) -> Result<()> {
        if f.status == PlanStatus::Unknown {
            return add_count(&mut self.dq.unknown_plan_status, f.plans, "data quality");
        }
        add_count(&mut self.plans[f.status.index()], f.plans, "plans")?;
        if f.status != PlanStatus::Draft {
            let d = Acceptance { created: f.plans, accepted: if f.status.is_accepted() { f.plans } else { 0 } };
            self.doctors.entry(f.doctor_id).or_default().merge(&d)?;
        }
        Ok(())
    }

    fn add_fees(&mut self, f: &PlanFeesFact) -> Result<()> {
        if f.plan_status == PlanStatus::Unknown {
            return Ok(()); // the plan is counted in data quality
        }
        if f.procedure_status == ProcedureStatus::Unknown {
            add_count(&mut self.dq.unknown_procedure_status, f.procedures, "data quality")?;
        }
        add_money(&mut self.fees[f.plan_status.index()][f.procedure_status.index()], f.fees, "plan fees")
    }

    fn add_quotation(&mut self, f: &QuotationFact) -> Result<()> {
        if f.status == QuotationStatus::Unknown {
            return add_count(&mut self.dq.unknown_quotation_status, f.quotations, "data quality");
        }
        add_count(&mut self.quotations[f.status.index()], f.quotations, "quotations")
    }

    fn add_line(&mut self, code: String, qty: i64, revenue: Decimal) -> Result<()> {
        let line = self.lines.entry(code).or_default();
        line.0 = line.0.checked_add(qty).ok_or(OdxError::Overflow { what: "procedure volume" })?;
        add_money(&mut line.1, revenue, "procedure revenue")
    }

    /// Sum of the fees of plans whose status `plans` keeps, of procedures whose status `procedures` keeps.
    fn fees_where(
        &self,
        plans: impl Fn(PlanStatus) -> bool,
        procedures: impl Fn(ProcedureStatus) -> bool,
    ) -> Result<Decimal> {
        let mut total = Decimal::ZERO;
        for p in PlanStatus::LISTED.iter().copied().filter(|p| plans(*p)) {
            for s in
                ProcedureStatus::LISTED.iter().copied().chain([ProcedureStatus::Unknown]).filter(|s| procedures(*s))
            {
                add_money(&mut total, self.fees[p.index()][s.index()], "plan fees")?;
            }
        }
        Ok(total)
    }
}

/// Quotations created in range by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct QuotationCounts {
    /// Not sent (kept out of the conversion).
    pub draft: u64,
    /// Sent, no answer yet.
    pub sent: u64,
    /// Accepted.
    pub accepted: u64,
    /// Rejected.
    pub rejected: u64,
    /// Expired.
    pub expired: u64,
}

/// One doctor's plan acceptance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DoctorAcceptance {
    /// The plan's doctor (null for plans without one).
    pub doctor_id: Option<i64>,
    /// Plans created in range, not draft.
    pub plans_created: u64,
    /// Of those, accepted, in progress or completed.
    pub plans_accepted: u64,
    /// plans_accepted / plans_created.
    #[serde(with = "crate::wire::rate")]
    pub acceptance_rate: Option<Decimal>,
}

/// One procedure code's billed volume and revenue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProcedureLine {
    /// The code (trimmed; blank is `unspecified`).
    pub procedure_code: String,
    /// Sum of qty on billed invoices issued in range.
    pub volume: i64,
    /// Sum of qty x unit_price on those items.
    pub revenue: Decimal,
}

/// Every clinical KPI of one group (or of the totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ClinicalMetrics {
    /// Plans created in range, not draft.
    pub plans_created: u64,
    /// Of those, accepted, in progress or completed.
    pub plans_accepted: u64,
    /// plans_accepted / plans_created; null without plans.
    #[serde(with = "crate::wire::rate")]
    pub acceptance_rate: Option<Decimal>,
    /// Fees of planned procedures on those plans that are proposed, accepted or in progress.
    pub pipeline_value: Decimal,
    /// Fees of every procedure on those plans.
    pub plan_value: Decimal,
    /// plan_value / plans_created, rounded to paisa; null without plans.
    pub avg_plan_value: Option<Decimal>,
    /// Fees of every procedure on the accepted plans.
    pub accepted_value: Decimal,
    /// Fees of the completed procedures on the accepted plans.
    pub completed_value: Decimal,
    /// completed_value / accepted_value; null when nothing was accepted.
    #[serde(with = "crate::wire::rate")]
    pub completion_rate: Option<Decimal>,
    /// Quotations created in range by status.
    pub quotations: QuotationCounts,
    /// accepted / (sent + accepted + rejected + expired); null without any.
    #[serde(with = "crate::wire::rate")]
    pub quotation_conversion: Option<Decimal>,
    /// Acceptance per doctor (plans' doctors, by id; no doctor first).
    pub acceptance_by_doctor: Vec<DoctorAcceptance>,
    /// The top [`TOP_PROCEDURES`] codes by billed volume (ties by code).
    pub top_procedures_by_volume: Vec<ProcedureLine>,
    /// The top [`TOP_PROCEDURES`] codes by billed revenue (ties by code).
    pub top_procedures_by_revenue: Vec<ProcedureLine>,
    /// Rows kept out for bad values.
    pub data_quality: ClinicalDataQuality,
}

impl crate::report::NamesBranches for ClinicalMetrics {}

/// The clinical report.
pub type ClinicalReport = Report<ClinicalMetrics>;

accumulator!(
    /// The mergeable clinical accumulator of one scope.
    ClinicalAcc,
    ClinicalFacts,
    ClinicalReport,
    metrics
);

impl ClinicalAcc {
    /// Adds plans created in range.
    ///
    /// # Errors
    /// [`OdxError::RowOutsideScope`],
    /// [`OdxError::Overflow`].
    pub fn accum_plan(&mut self, f: &PlanFact) -> Result<()> {
        self.each(f.clinic_id, f.doctor_id, |facts| facts.add_plan(f))
    }

    /// Adds the procedures of plans created in range.
    ///
    /// # Errors
    /// As [`ClinicalAcc::accum_plan`].
    pub fn accum_plan_fees(&mut self, f: &PlanFeesFact) -> Result<()> {
        self.each(f.clinic_id, f.doctor_id, |facts| facts.add_fees(f))
    }

    /// Adds quotations created in range.
    ///
    /// # Errors
    /// As [`ClinicalAcc::accum_plan`].
    pub fn accum_quotation(&mut self, f: &QuotationFact) -> Result<()> {
        self.each(f.clinic_id, f.doctor_id, |facts| facts.add_quotation(f))
    }

    /// Adds invoice items of invoices issued in range (billed ones count).
    ///
    /// # Errors
    /// As [`ClinicalAcc::accum_plan`].
    pub fn accum_procedure_line(&mut self, f: &ProcedureLineFact) -> Result<()> {
        if !f.status.is_billed() {
            return Ok(());
        }
        let code = label(&f.procedure_code);
        self.each(f.clinic_id, f.doctor_id, |facts| facts.add_line(code.clone(), f.qty, f.revenue))
    }
}

/// The `TOP_PROCEDURES` lines with the largest positive `key`, ties by code.
fn top<K: Ord + Copy + Default>(lines: &[ProcedureLine], key: impl Fn(&ProcedureLine) -> K) -> Vec<ProcedureLine> {
    let mut ranked: Vec<&ProcedureLine> = lines.iter().filter(|l| key(l) > K::default()).collect();
    ranked.sort_by(|a, b| key(b).cmp(&key(a)).then_with(|| a.procedure_code.cmp(&b.procedure_code)));
    ranked.into_iter().take(TOP_PROCEDURES).cloned().collect()
}

fn metrics(f: &ClinicalFacts) -> Result<ClinicalMetrics> {
    let created_status = |p: PlanStatus| p != PlanStatus::Draft;
    let mut created = 0u64;
    let mut accepted = 0u64;
    for p in PlanStatus::LISTED.iter().copied().filter(|p| created_status(*p)) {
        add_count(&mut created, f.plans[p.index()], "plans")?;
        if p.is_accepted() {
            add_count(&mut accepted, f.plans[p.index()], "plans")?;
        }
    }
    let accepted_value = f.fees_where(PlanStatus::is_accepted, |_| true)?;
    let completed_value = f.fees_where(PlanStatus::is_accepted, |s| s == ProcedureStatus::Completed)?;
    let plan_value = f.fees_where(created_status, |_| true)?;
    let q = |s: QuotationStatus| f.quotations[s.index()];
    let quotations = QuotationCounts {
        draft: q(QuotationStatus::Draft),
        sent: q(QuotationStatus::Sent),
        accepted: q(QuotationStatus::Accepted),
        rejected: q(QuotationStatus::Rejected),
        expired: q(QuotationStatus::Expired),
    };
    let mut decided = 0u64;
    for s in [QuotationStatus::Sent, QuotationStatus::Accepted, QuotationStatus::Rejected, QuotationStatus::Expired] {
        add_count(&mut decided, q(s), "quotations")?;
    }
    let lines: Vec<ProcedureLine> = f
        .lines
        .iter()
        .map(|(code, (volume, revenue))| ProcedureLine {
            procedure_code: code.clone(),
            volume: *volume,
            revenue: *revenue,
        })
        .collect();
    Ok(ClinicalMetrics {
        plans_created: created,
        plans_accepted: accepted,
        acceptance_rate: count_rate(accepted, created),
        pipeline_value: f.fees_where(PlanStatus::is_pipeline, |s| s == ProcedureStatus::Planned)?,
        plan_value,
        avg_plan_value: average_money(plan_value, created)?,
        accepted_value,
        completed_value,
        completion_rate: rate(completed_value, accepted_value)?,
        quotations,
        quotation_conversion: count_rate(quotations.accepted, decided),
        acceptance_by_doctor: f
            .doctors
            .iter()
            .filter(|(_, a)| a.created > 0)
            .map(|(doctor_id, a)| DoctorAcceptance {
                doctor_id: *doctor_id,
                plans_created: a.created,
                plans_accepted: a.accepted,
                acceptance_rate: count_rate(a.accepted, a.created),
            })
            .collect(),
        top_procedures_by_volume: top(&lines, |l| l.volume),
        top_procedures_by_revenue: top(&lines, |l| l.revenue),
        data_quality: f.dq,
    })
}

// The in-memory path: these rows folded into this domain's accumulator.
impl Tables {
    /// The clinical report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn clinical(&self, scope: &MetricScope) -> Result<ClinicalReport> {
        let mut acc = ClinicalAcc::new(scope, &self.directory())?;
        self.fold_clinical(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' clinical facts (scope clinics only) to an accumulator.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_clinical(&self, acc: &mut ClinicalAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        let mut plans: FxHashMap<i64, &TreatmentPlanRow> = FxHashMap::default();
        for p in self.treatment_plans.iter().filter(|p| scope.contains(p.clinic_id)) {
            if frame.clock(p.clinic_id)?.in_range(p.created_at) {
                plans.insert(p.id, p);
                acc.accum_plan(&PlanFact {
                    clinic_id: p.clinic_id,
                    doctor_id: p.doctor_id,
                    status: p.status,
                    plans: 1,
                })?;
            }
        }
        for pp in &self.treatment_plan_procedures {
            if let Some(p) = plans.get(&pp.plan_id) {
                acc.accum_plan_fees(&PlanFeesFact {
                    clinic_id: p.clinic_id,
                    doctor_id: p.doctor_id,
                    plan_status: p.status,
                    procedure_status: pp.status,
                    procedures: 1,
                    fees: pp.fee,
                })?;
            }
        }
        let doctor_of: FxHashMap<i64, Option<i64>> = self.treatment_plans.iter().map(|p| (p.id, p.doctor_id)).collect();
        for q in self.quotations.iter().filter(|q| scope.contains(q.clinic_id)) {
            if frame.clock(q.clinic_id)?.in_range(q.created_at) {
                let doctor_id = q.plan_id.and_then(|id| doctor_of.get(&id).copied().flatten());
                acc.accum_quotation(&QuotationFact {
                    clinic_id: q.clinic_id,
                    doctor_id,
                    status: q.status,
                    quotations: 1,
                })?;
            }
        }
        let mut invoices: FxHashMap<i64, &InvoiceRow> = FxHashMap::default();
        for i in self.invoices.iter().filter(|i| scope.contains(i.clinic_id)) {
            if frame.clock(i.clinic_id)?.in_range(i.issued_at) {
                invoices.insert(i.id, i);
            }
        }
        for it in &self.invoice_items {
            if let Some(i) = invoices.get(&it.invoice_id) {
                acc.accum_procedure_line(&ProcedureLineFact {
                    clinic_id: i.clinic_id,
                    doctor_id: i.doctor_id,
                    status: i.status,
                    procedure_code: it.procedure_code.clone(),
                    qty: i64::from(it.qty),
                    revenue: item_amount(it.qty, it.unit_price, "procedure revenue")?,
                })?;
            }
        }
        Ok(())
    }
}

impl Headline for ClinicalMetrics {
    const DOMAIN: Domain = Domain::Clinical;
    fn headline(&self) -> Vec<Measure> {
        use MeasureKind::*;
        vec![
            count("plans_created", self.plans_created),
            count("plans_accepted", self.plans_accepted),
            of("acceptance_rate", Rate, self.acceptance_rate),
            amount("plan_value", self.plan_value),
            amount("accepted_value", self.accepted_value),
            amount("pipeline_value", self.pipeline_value),
            of("completion_rate", Rate, self.completion_rate),
            of("quotation_conversion", Rate, self.quotation_conversion),
        ]
    }
}

/// What the domain's report computes, in a sentence a SQL user reads (the
/// `COMMENT` of its SQL function), with core's constants interpolated.
pub fn about() -> String {
    format!(
        "Treatment plans, quotations and procedures of the clinics, computed by odx-core: plans created in range (not draft), accepted, acceptance rate (and per doctor), pipeline value, average plan value, completion rate, quotation conversion, the top {TOP_PROCEDURES} procedures billed by volume and by revenue; {{ degraded, totals, groups }}. group_by doctor: plans by their doctor, quotations by their plan's doctor, procedures by their invoice's doctor. Since 0.2.0."
    )
}

impl Readout for ClinicalMetrics {
    const COLUMNS: &'static [&'static str] = &["Plans", "Accept%", "Pipeline", "Avg plan", "Complete%", "Quote%"];
    fn heading(_: &MetricScope) -> String {
        "CLINICAL (treatment plans created in the range)".to_owned()
    }
    fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Count(self.plans_created),
            Cell::Rate(self.acceptance_rate),
            Cell::Money(Some(self.pipeline_value)),
            Cell::Money(self.avg_plan_value),
            Cell::Rate(self.completion_rate),
            Cell::Rate(self.quotation_conversion),
        ]
    }
    fn notes(&self, _: &dyn Fn(i64) -> String, money: &dyn Fn(Decimal) -> String) -> Vec<String> {
        let top: Vec<String> = self
            .top_procedures_by_revenue
            .iter()
            .take(3)
            .map(|l| format!("{} {} ({})", l.procedure_code, money(l.revenue), l.volume))
            .collect();
        vec![format!("Top procedures by revenue: {}.", top.join(", "))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{GroupBy, MetricScope};
    use crate::ClinicDirectory;
    use chrono::NaiveDate;

    fn acc(group_by: GroupBy) -> ClinicalAcc {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let scope = MetricScope::new([1], d, d, group_by).unwrap();
        ClinicalAcc::new(&scope, &ClinicDirectory::with_default_zone([1])).unwrap()
    }

    #[test]
    fn acceptance_pipeline_completion_and_conversion() {
        let mut a = acc(GroupBy::Doctor);
        let plan = |doctor_id, status, plans| PlanFact { clinic_id: 1, doctor_id, status, plans };
        a.accum_plan(&plan(Some(7), PlanStatus::Proposed, 2)).unwrap();
        a.accum_plan(&plan(Some(7), PlanStatus::InProgress, 1)).unwrap();
        a.accum_plan(&plan(Some(8), PlanStatus::Draft, 4)).unwrap();
        a.accum_plan(&plan(None, PlanStatus::Unknown, 1)).unwrap();
        let fees = |plan_status, procedure_status, rupees: i64| PlanFeesFact {
            clinic_id: 1,
            doctor_id: Some(7),
            plan_status,
            procedure_status,
            procedures: 1,
            fees: Decimal::from(rupees),
        };
        a.accum_plan_fees(&fees(PlanStatus::Proposed, ProcedureStatus::Planned, 1000)).unwrap();
        a.accum_plan_fees(&fees(PlanStatus::InProgress, ProcedureStatus::Planned, 300)).unwrap();
        a.accum_plan_fees(&fees(PlanStatus::InProgress, ProcedureStatus::Completed, 600)).unwrap();
        a.accum_plan_fees(&fees(PlanStatus::InProgress, ProcedureStatus::Cancelled, 100)).unwrap();
        a.accum_plan_fees(&fees(PlanStatus::Draft, ProcedureStatus::Planned, 9999)).unwrap();
        for (status, n) in [(QuotationStatus::Draft, 5), (QuotationStatus::Sent, 1), (QuotationStatus::Accepted, 3)] {
            a.accum_quotation(&QuotationFact { clinic_id: 1, doctor_id: None, status, quotations: n }).unwrap();
        }
        let r = a.finish().unwrap();
        let t = &r.totals;
        assert_eq!((t.plans_created, t.plans_accepted), (3, 1));
        assert_eq!(t.acceptance_rate, count_rate(1, 3));
        assert_eq!(t.pipeline_value, Decimal::from(1300));
        assert_eq!(t.plan_value, Decimal::from(2000));
        assert_eq!(t.avg_plan_value, Some(Decimal::new(66_667, 2)));
        assert_eq!(t.completion_rate, Some(Decimal::new(6, 1)));
        assert_eq!(t.quotation_conversion, Some(Decimal::new(75, 2)));
        assert_eq!(t.acceptance_by_doctor.len(), 1, "the draft-only doctor has created nothing");
        assert_eq!(t.data_quality.unknown_plan_status, 1);
        let doctor7 = r.groups.iter().find(|g| g.doctor_id == Some(7)).unwrap();
        assert_eq!(doctor7.metrics.plans_created, 3);
    }

    #[test]
    fn top_lists_rank_billed_lines_and_break_ties_by_code() {
        let mut a = acc(GroupBy::Clinic);
        let line = |status, code: &str, qty, rupees| ProcedureLineFact {
            clinic_id: 1,
            doctor_id: None,
            status,
            procedure_code: code.into(),
            qty,
            revenue: Decimal::from(rupees),
        };
        a.accum_procedure_line(&line(InvoiceStatus::Paid, "B", 2, 100)).unwrap();
        a.accum_procedure_line(&line(InvoiceStatus::Issued, " A ", 2, 300)).unwrap();
        a.accum_procedure_line(&line(InvoiceStatus::Draft, "C", 50, 5000)).unwrap();
        a.accum_procedure_line(&line(InvoiceStatus::Paid, "Z", 0, 0)).unwrap();
        let t = a.finish().unwrap().totals;
        let codes = |v: &[ProcedureLine]| v.iter().map(|l| l.procedure_code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&t.top_procedures_by_volume), ["A", "B"]);
        assert_eq!(codes(&t.top_procedures_by_revenue), ["A", "B"]);

        // Twelve codes: each list keeps the top ten.
        let mut a = acc(GroupBy::Clinic);
        for n in 1..=12i64 {
            a.accum_procedure_line(&line(InvoiceStatus::Paid, &format!("X{n:02}"), n, 13 - n)).unwrap();
        }
        let t = a.finish().unwrap().totals;
        assert_eq!(t.top_procedures_by_volume.len(), TOP_PROCEDURES);
        assert_eq!(t.top_procedures_by_volume[0].procedure_code, "X12");
        assert_eq!(t.top_procedures_by_revenue[0].procedure_code, "X01");
        assert_eq!(t.top_procedures_by_revenue[9].procedure_code, "X10");
    }
}
