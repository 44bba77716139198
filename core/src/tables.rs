//! Raw rows mirroring `schema.sql`, held in memory, and the in-memory
//! queries that turn them into each domain's facts.
//!
//! This is the path for callers that already hold rows (the demo network,
//! tests, the Node addon's pure functions). It plays the role Postgres plays
//! for the SQL path: it selects the scope's clinics, joins and groups; every
//! rule (range cut, bucket, status meaning) is applied by the accumulators
//! and clocks of this crate.

use crate::accounting::{AccountingAcc, AccountingReport, ExpenseFact, MaterialsFact, PayrollFact, ReceiptFact};
use crate::category::{
    AppointmentStatus, AttendanceStatus, InvoiceStatus, LabStatus, MovementKind, Payer, PaymentMethod, PlanStatus,
    ProcedureStatus, QuotationStatus, UserRole,
};
use crate::clinical::{ClinicalAcc, ClinicalReport, PlanFact, PlanFeesFact, ProcedureLineFact, QuotationFact};
use crate::command::{command_center, command_scopes, CommandCenter, DomainReports};
use crate::compare::{comparison_scopes, Comparable, Comparison};
use crate::domain::Domain;
use crate::error::{OdxError, Result};
use crate::financial::{FinancialAcc, FinancialReport, LabCostFact, PaymentFact};
use crate::forecast::{
    churn_forecast, churn_scopes, no_show_forecast, no_show_scopes, revenue_forecast, revenue_scopes, ChurnForecast,
    NoShowForecast, RevenueForecast,
};
use crate::frame::{ClinicDirectory, Frame};
use crate::insights::{benchmark, benchmark_all, digest_of, network_overview, Benchmark, Digest, NetworkOverview};
use crate::inventory::{InventoryAcc, InventoryItemFact, InventoryReport};
use crate::lab::{DatePos, LabAcc, LabCaseFact, LabReport};
use crate::num::{add_money, mul_money};
use crate::operations::{OperationsAcc, OperationsReport, PatientGrain, PatientsFact, RoomsFact};
use crate::patients::{DormantPatient, PatientFact, PatientsAcc, PatientsReport};
use crate::policy::{authorize, principal_of, resolve_scope, Action, Decision, InsightsScope, OrgDirectory, Resource};
use crate::scope::{GroupBy, MetricScope};
use crate::staff::{user_active, AttendanceFact, BilledFact, StaffAcc, StaffFact, StaffReport, LATE_AFTER_MINUTES};
use crate::targets::OpsTargetRow;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// `qty x amount` as Postgres's `numeric` computes it: exact, with the scale
/// of the amount even when the product is zero (where `Decimal` would drop
/// it), so the in-memory path prints the same money text as the SQL path.
fn item_amount(qty: i32, amount: Decimal, what: &'static str) -> Result<Decimal> {
    let mut product = mul_money(Decimal::from(qty), amount, what)?;
    if product.is_zero() {
        product.rescale(amount.scale());
    }
    Ok(product)
}

fn default_active() -> String {
    "active".to_owned()
}

/// `app.organizations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationRow {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Unique slug.
    pub slug: String,
}

/// `app.clinics`: a branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicRow {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// City.
    pub city: String,
    /// `active` or `inactive`.
    #[serde(default = "default_active")]
    pub status: String,
    /// IANA time zone; empty means `Asia/Karachi`.
    #[serde(default)]
    pub timezone: String,
}

/// `app.organization_clinics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationClinicRow {
    /// The organization.
    pub organization_id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// Whether this is the head-office branch.
    #[serde(default)]
    pub is_hq: bool,
}

/// `app.clinic_hours`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicHoursRow {
    /// The clinic.
    pub clinic_id: i64,
    /// ISO weekday 1..=7.
    pub weekday: i16,
    /// Opening time.
    pub opens: NaiveTime,
    /// Closing time.
    pub closes: NaiveTime,
}

/// `app.rooms`: a chair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// Name.
    pub name: String,
    /// Whether the chair is in use.
    pub active: bool,
}

/// `app.users`: staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    /// Id.
    pub id: i64,
    /// Branch assignment (none: HQ-only).
    pub clinic_id: Option<i64>,
    /// Name.
    pub name: String,
    /// `clinic_admin`, `doctor`, `receptionist`, `hygienist`, `assistant`, `other`.
    pub role: String,
    /// `active` or `inactive`.
    #[serde(default = "default_active")]
    pub status: String,
    /// Hiring date.
    pub hired_on: Option<NaiveDate>,
}

/// `app.user_organization_assignments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserOrganizationAssignmentRow {
    /// The user.
    pub user_id: i64,
    /// The organization.
    pub organization_id: i64,
    /// `org_admin` or `branch_manager`.
    pub role: String,
    /// The branch of a branch manager.
    pub clinic_id: Option<i64>,
}

/// `app.doctor_schedules`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorScheduleRow {
    /// The clinic.
    pub clinic_id: i64,
    /// The doctor.
    pub doctor_id: i64,
    /// ISO weekday 1..=7.
    pub weekday: i16,
    /// Shift start.
    pub starts: NaiveTime,
    /// Shift end.
    pub ends: NaiveTime,
}

/// `app.patients`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientRow {
    /// Id.
    pub id: i64,
    /// The clinic (patients never cross branches).
    pub clinic_id: i64,
    /// Registration instant.
    pub created_at: DateTime<Utc>,
    /// Recall date.
    pub recall_due_on: Option<NaiveDate>,
}

/// `app.appointments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// The patient.
    pub patient_id: i64,
    /// The doctor.
    pub doctor_id: Option<i64>,
    /// The chair.
    pub room_id: Option<i64>,
    /// Start instant.
    pub starts_at: DateTime<Utc>,
    /// Length in minutes.
    pub duration_min: i32,
    /// Status.
    pub status: AppointmentStatus,
}

/// `app.invoices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// The patient.
    pub patient_id: i64,
    /// The doctor.
    pub doctor_id: Option<i64>,
    /// Issue instant.
    pub issued_at: DateTime<Utc>,
    /// Total net of discounts.
    pub total: Decimal,
    /// Status.
    pub status: InvoiceStatus,
    /// Payer.
    #[serde(default = "default_payer")]
    pub payer: Payer,
}

fn default_payer() -> Payer {
    Payer::SelfPay
}

/// `app.invoice_items`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceItemRow {
    /// Id.
    pub id: i64,
    /// The invoice.
    pub invoice_id: i64,
    /// Procedure code.
    pub procedure_code: String,
    /// Description.
    pub description: String,
    /// Quantity.
    pub qty: i32,
    /// Price per unit.
    pub unit_price: Decimal,
    /// Material cost per unit.
    #[serde(default)]
    pub unit_cost: Decimal,
}

/// `app.payments`; refunds are negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// The invoice paid.
    pub invoice_id: i64,
    /// Payment instant.
    pub paid_at: DateTime<Utc>,
    /// Amount.
    pub amount: Decimal,
    /// Method.
    pub method: PaymentMethod,
}

/// `app.lab_cases`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabCaseRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// The patient.
    pub patient_id: i64,
    /// Lab vendor.
    pub vendor: String,
    /// Date sent.
    pub sent_on: NaiveDate,
    /// Date due back.
    pub due_on: NaiveDate,
    /// Date received.
    pub received_on: Option<NaiveDate>,
    /// Cost.
    pub cost: Decimal,
    /// Status.
    pub status: LabStatus,
}

/// `app.expenses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// Category text (`rent`, `utilities`, ... or any other).
    pub category: String,
    /// Amount (negative for a refund from a supplier).
    pub amount: Decimal,
    /// Local date spent.
    pub spent_on: NaiveDate,
}

/// `app.payroll`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayrollRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// The paid user.
    pub user_id: i64,
    /// First day of the month paid for.
    pub period_month: NaiveDate,
    /// Gross pay.
    pub gross: Decimal,
    /// Local date paid (cash basis uses this date).
    pub paid_on: NaiveDate,
}

/// `app.attendance_days`: one kiosk day summary per user and day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceDayRow {
    /// The clinic.
    pub clinic_id: i64,
    /// The user.
    pub user_id: i64,
    /// Local date.
    pub day: NaiveDate,
    /// `present`, `absent`, `leave` or `off`.
    pub status: AttendanceStatus,
    /// Minutes late (present days).
    #[serde(default)]
    pub late_minutes: i32,
}

/// `app.treatment_plans`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreatmentPlanRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// The patient.
    pub patient_id: i64,
    /// The doctor.
    pub doctor_id: Option<i64>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Status.
    pub status: PlanStatus,
    /// Accepted.
    #[serde(default)]
    pub accepted_at: Option<DateTime<Utc>>,
    /// Completed.
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
}

/// `app.treatment_plan_procedures`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreatmentPlanProcedureRow {
    /// Id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// Procedure code.
    pub procedure_code: String,
    /// Fee.
    pub fee: Decimal,
    /// Status.
    pub status: ProcedureStatus,
    /// Completed.
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
}

/// `app.quotations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// The patient.
    pub patient_id: i64,
    /// The plan quoted, if any.
    pub plan_id: Option<i64>,
    /// Amount.
    pub amount: Decimal,
    /// Status.
    pub status: QuotationStatus,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// `app.inventory_items`: stock on hand now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryItemRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// Stock keeping unit (the same sku across branches is the same product).
    pub sku: String,
    /// Name.
    pub name: String,
    /// Unit cost.
    pub unit_cost: Decimal,
    /// Quantity on hand now.
    pub qty_on_hand: Decimal,
    /// Reorder level.
    #[serde(default)]
    pub reorder_level: Decimal,
    /// Expiry date of the batch, if any.
    pub expires_on: Option<NaiveDate>,
}

/// `app.inventory_movements`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryMovementRow {
    /// Id.
    pub id: i64,
    /// The clinic.
    pub clinic_id: i64,
    /// The item moved.
    pub item_id: i64,
    /// When.
    pub moved_at: DateTime<Utc>,
    /// Quantity (negative = stock out).
    pub qty: Decimal,
    /// Kind.
    pub kind: MovementKind,
}

/// The tables odx reads, in memory. Missing tables deserialize as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tables {
    /// `organizations`.
    pub organizations: Vec<OrganizationRow>,
    /// `clinics`.
    pub clinics: Vec<ClinicRow>,
    /// `organization_clinics`.
    pub organization_clinics: Vec<OrganizationClinicRow>,
    /// `clinic_hours`.
    pub clinic_hours: Vec<ClinicHoursRow>,
    /// `rooms`.
    pub rooms: Vec<RoomRow>,
    /// `users`.
    pub users: Vec<UserRow>,
    /// `user_organization_assignments`.
    pub user_organization_assignments: Vec<UserOrganizationAssignmentRow>,
    /// `doctor_schedules`.
    pub doctor_schedules: Vec<DoctorScheduleRow>,
    /// `patients`.
    pub patients: Vec<PatientRow>,
    /// `appointments`.
    pub appointments: Vec<AppointmentRow>,
    /// `invoices`.
    pub invoices: Vec<InvoiceRow>,
    /// `invoice_items`.
    pub invoice_items: Vec<InvoiceItemRow>,
    /// `payments`.
    pub payments: Vec<PaymentRow>,
    /// `lab_cases`.
    pub lab_cases: Vec<LabCaseRow>,
    /// `expenses`.
    pub expenses: Vec<ExpenseRow>,
    /// `payroll`.
    pub payroll: Vec<PayrollRow>,
    /// `attendance_days`.
    pub attendance_days: Vec<AttendanceDayRow>,
    /// `treatment_plans`.
    pub treatment_plans: Vec<TreatmentPlanRow>,
    /// `treatment_plan_procedures`.
    pub treatment_plan_procedures: Vec<TreatmentPlanProcedureRow>,
    /// `quotations`.
    pub quotations: Vec<QuotationRow>,
    /// `inventory_items`.
    pub inventory_items: Vec<InventoryItemRow>,
    /// `inventory_movements`.
    pub inventory_movements: Vec<InventoryMovementRow>,
    /// `ops_targets`.
    pub ops_targets: Vec<OpsTargetRow>,
}

impl Tables {
    /// The clinic directory (id -> time zone) of `clinics`.
    pub fn directory(&self) -> ClinicDirectory {
        ClinicDirectory::new(self.clinics.iter().map(|c| (c.id, c.timezone.clone())))
    }

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
        let cal = frame.calendar();
        for l in self.lab_cases.iter().filter(|l| scope.contains(l.clinic_id)) {
            if cal.bucket_of_date(l.sent_on).is_some() {
                acc.accum_lab_cost(&LabCostFact { clinic_id: l.clinic_id, status: l.status, cases: 1, cost: l.cost })?;
            }
        }
        Ok(())
    }

    /// The operations report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn operations(&self, scope: &MetricScope) -> Result<OperationsReport> {
        let mut acc = OperationsAcc::new(scope, &self.directory())?;
        self.fold_operations(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' operations facts (scope clinics only) to an accumulator.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_operations(&self, acc: &mut OperationsAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        let in_scope = |c: i64| scope.contains(c);
        // First ever completed appointment per (clinic, patient), and who had a
        // completed appointment in range, clinic-wide and per doctor.
        let mut first_completed: FxHashMap<(i64, i64), DateTime<Utc>> = FxHashMap::default();
        let mut seen_clinic: FxHashSet<(i64, i64)> = FxHashSet::default();
        let mut seen_doctor: FxHashSet<(i64, Option<i64>, i64)> = FxHashSet::default();
        for a in self.appointments.iter().filter(|a| in_scope(a.clinic_id)) {
            acc.accum_appointment_row(
                a.clinic_id,
                a.doctor_id,
                a.room_id.is_some(),
                a.starts_at,
                a.duration_min,
                a.status,
            )?;
            if a.status != AppointmentStatus::Completed {
                continue;
            }
            let first = first_completed.entry((a.clinic_id, a.patient_id)).or_insert(a.starts_at);
            *first = (*first).min(a.starts_at);
            if frame.clock(a.clinic_id)?.in_range(a.starts_at) {
                seen_clinic.insert((a.clinic_id, a.patient_id));
                seen_doctor.insert((a.clinic_id, a.doctor_id, a.patient_id));
            }
        }
        // Group the patients seen in range by where their first visit falls.
        let mut counts: FxHashMap<(i64, PatientGrain, u32), u64> = FxHashMap::default();
        let position = |clinic: i64, patient: i64| -> Result<u32> {
            let clock = frame.clock(clinic)?;
            Ok(first_completed.get(&(clinic, patient)).map_or(0, |first| clock.range_position(*first)))
        };
        for &(clinic, patient) in &seen_clinic {
            *counts.entry((clinic, PatientGrain::Clinic, position(clinic, patient)?)).or_default() += 1;
        }
        if acc.frame().group_by() == crate::scope::GroupBy::Doctor {
            for &(clinic, doctor, patient) in &seen_doctor {
                *counts.entry((clinic, PatientGrain::Doctor(doctor), position(clinic, patient)?)).or_default() += 1;
            }
        }
        for ((clinic_id, grain, first_visit_position), patients) in counts {
            acc.accum_patients(&PatientsFact { clinic_id, grain, first_visit_position, patients })?;
        }
        for s in self.doctor_schedules.iter().filter(|s| in_scope(s.clinic_id)) {
            acc.accum_schedule(s)?;
        }
        for h in self.clinic_hours.iter().filter(|h| in_scope(h.clinic_id)) {
            acc.accum_opening_hours(h)?;
        }
        let mut rooms: FxHashMap<(i64, bool), u64> = FxHashMap::default();
        for r in self.rooms.iter().filter(|r| in_scope(r.clinic_id)) {
            *rooms.entry((r.clinic_id, r.active)).or_default() += 1;
        }
        for ((clinic_id, active), rooms) in rooms {
            acc.accum_rooms(&RoomsFact { clinic_id, active, rooms })?;
        }
        for i in self.invoices.iter().filter(|i| in_scope(i.clinic_id)) {
            if let Some(bucket) = frame.clock(i.clinic_id)?.trend_bucket(i.issued_at) {
                acc.accum_invoice(&crate::financial::InvoiceFact {
                    clinic_id: i.clinic_id,
                    doctor_id: i.doctor_id,
                    bucket,
                    status: i.status,
                    invoices: 1,
                    total: i.total,
                    materials: Decimal::ZERO,
                })?;
            }
        }
        Ok(())
    }

    /// Materials cost per invoice (sum of qty x unit_cost of its items), for
    /// the invoices `keep` accepts.
    fn materials_by_invoice(&self, keep: impl Fn(&i64) -> bool) -> Result<FxHashMap<i64, Decimal>> {
        let mut materials: FxHashMap<i64, Decimal> = FxHashMap::default();
        for item in self.invoice_items.iter().filter(|it| keep(&it.invoice_id)) {
            let cost = item_amount(item.qty, item.unit_cost, "materials cost")?;
            add_money(materials.entry(item.invoice_id).or_default(), cost, "materials cost")?;
        }
        Ok(materials)
    }

    /// The accounting report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn accounting(&self, scope: &MetricScope) -> Result<AccountingReport> {
        let mut acc = AccountingAcc::new(scope, &self.directory())?;
        self.fold_accounting(&mut acc)?;
        acc.finish()
    }

    /// The branches of every organization (`organization_clinics` and
    /// `clinics.status`).
    pub fn org_directory(&self) -> OrgDirectory {
        OrgDirectory::new(&self.organization_clinics, &self.clinics)
    }

    /// The console scope of `user_id` ([`resolve_scope`] over these rows).
    ///
    /// # Errors
    /// As [`resolve_scope`].
    pub fn insights_scope(
        &self,
        user_id: i64,
        organization_id: Option<i64>,
        focus: Option<i64>,
    ) -> Result<InsightsScope> {
        resolve_scope(user_id, &self.user_organization_assignments, &self.org_directory(), organization_id, focus)
    }

    /// Whether `user_id` may do `action` on `resource` ([`authorize`] over
    /// these rows).
    ///
    /// # Errors
    /// [`OdxError::UnknownUser`] when `users` has no such user.
    pub fn authorize(&self, user_id: i64, action: &Action, resource: &Resource) -> Result<Decision> {
        let principal = principal_of(user_id, &self.users, &self.user_organization_assignments)?;
        Ok(authorize(&principal, &self.org_directory(), action, resource))
    }

    /// The four domain reports the console reads, of a scope.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn domain_reports(&self, scope: &MetricScope) -> Result<DomainReports> {
        Ok(DomainReports {
            financial: self.financial(scope)?,
            operations: self.operations(scope)?,
            accounting: self.accounting(scope)?,
            lab: self.lab(scope)?,
        })
    }

    /// `domain`'s report of `scope`, grouped by clinic, against the previous
    /// period of the same length, with each branch's share of the network.
    ///
    /// # Errors
    /// [`OdxError::DateOutOfBounds`] at the edge of the calendar; as
    /// [`Tables::financial`].
    pub fn compare(&self, domain: Domain, scope: &MetricScope) -> Result<Comparison> {
        fn both<R: Comparable>(scope: &MetricScope, report: impl Fn(&MetricScope) -> Result<R>) -> Result<Comparison> {
            let (current, previous) = comparison_scopes(scope)?;
            report(&current)?.compare(&report(&previous)?)
        }
        match domain {
            Domain::Financial => both(scope, |s| self.financial(s)),
            Domain::Operations => both(scope, |s| self.operations(s)),
            Domain::Accounting => both(scope, |s| self.accounting(s)),
            Domain::Lab => both(scope, |s| self.lab(s)),
            Domain::Staff => both(scope, |s| self.staff(s)),
            Domain::Clinical => both(scope, |s| self.clinical(s)),
            Domain::Patients => both(scope, |s| self.patients(s)),
            Domain::Inventory => both(scope, |s| self.inventory(s)),
        }
    }

    /// The month-end revenue forecast of `clinic_ids` at `as_of`, with its
    /// backtest (see [`crate::forecast`]).
    ///
    /// # Errors
    /// As [`MetricScope::new`] and [`Tables::financial`].
    pub fn forecast_revenue(&self, clinic_ids: &[i64], as_of: NaiveDate) -> Result<RevenueForecast> {
        let reports =
            revenue_scopes(clinic_ids, as_of)?.iter().map(|s| self.financial(s)).collect::<Result<Vec<_>>>()?;
        revenue_forecast(as_of, &reports)
    }

    /// The no-show risk of `clinic_ids`' upcoming appointments after
    /// `as_of`, with its backtest (see [`crate::forecast`]).
    ///
    /// # Errors
    /// As [`MetricScope::new`] and [`Tables::operations`].
    pub fn forecast_no_shows(&self, clinic_ids: &[i64], as_of: NaiveDate) -> Result<NoShowForecast> {
        let reports =
            no_show_scopes(clinic_ids, as_of)?.iter().map(|s| self.operations(s)).collect::<Result<Vec<_>>>()?;
        no_show_forecast(as_of, &reports)
    }

    /// The churn list of `clinic_ids` at `as_of`, with its backtest (see
    /// [`crate::forecast`]).
    ///
    /// # Errors
    /// As [`MetricScope::new`] and [`Tables::patients`].
    pub fn forecast_churn(&self, clinic_ids: &[i64], as_of: NaiveDate) -> Result<ChurnForecast> {
        let reports = churn_scopes(clinic_ids, as_of)?.iter().map(|s| self.patients(s)).collect::<Result<Vec<_>>>()?;
        churn_forecast(as_of, &reports)
    }

    /// The reports of a console request: `clinic_ids` (branches of
    /// `organization_id`; all of them when `None`) over `from..=to` grouped
    /// by clinic, the month to date of `to` when the range is not it, and the
    /// organization's targets.
    fn console(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(DomainReports, Option<DomainReports>, Vec<OpsTargetRow>)> {
        let clinic_ids = self.org_branches(organization_id, clinic_ids, None)?;
        let (range, mtd) = command_scopes(clinic_ids, from, to)?;
        let targets = self.ops_targets.iter().filter(|t| t.organization_id == organization_id).cloned().collect();
        Ok((self.domain_reports(&range)?, mtd.map(|m| self.domain_reports(&m)).transpose()?, targets))
    }

    /// The Command Center of `clinic_ids` (branches of `organization_id`;
    /// every branch when `None`) over `from..=to` with the organization's
    /// targets (the domain reports of the range, and of the month to date of
    /// `to` when the range is not it).
    ///
    /// # Errors
    /// [`OdxError::ForbiddenScope`] for a clinic that is not a branch of the
    /// organization; as [`Tables::financial`] and [`command_center`].
    pub fn command(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<CommandCenter> {
        let (range, mtd, targets) = self.console(organization_id, clinic_ids, from, to)?;
        command_center(&range, mtd.as_ref().unwrap_or(&range), &targets)
    }

    /// The digest facts of `clinic_ids` (as [`Tables::command`] takes them).
    ///
    /// # Errors
    /// As [`Tables::command`].
    pub fn digest(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Digest> {
        let (range, mtd, targets) = self.console(organization_id, clinic_ids, from, to)?;
        digest_of(&range, mtd.as_ref().unwrap_or(&range), &targets)
    }

    /// The branches `clinic_id` is benchmarked against: `clinic_ids` (as
    /// [`Tables::command`] takes them), which must include it. Only the
    /// branch itself must be within `allowed` (the principal's clinics): the
    /// others are seen through their median only.
    ///
    /// # Errors
    /// [`OdxError::ForbiddenScope`] when the branch is not one of the
    /// organization's, not allowed, or not among the branches compared.
    pub fn benchmark_set(
        &self,
        organization_id: i64,
        clinic_id: i64,
        clinic_ids: Option<Vec<i64>>,
        allowed: Option<&[i64]>,
    ) -> Result<Vec<i64>> {
        self.org_branches(organization_id, Some(vec![clinic_id]), allowed)?;
        let ids = self.org_branches(organization_id, clinic_ids, None)?;
        if ids.contains(&clinic_id) {
            Ok(ids)
        } else {
            Err(OdxError::ForbiddenScope { clinic_id })
        }
    }

    /// The active ones of `clinic_ids`.
    pub fn active_branches(&self, clinic_ids: &[i64]) -> Vec<i64> {
        let directory = self.org_directory();
        clinic_ids.iter().copied().filter(|c| directory.is_active(*c)).collect()
    }

    /// `clinic_id` benchmarked against `clinic_ids` (see
    /// [`Tables::benchmark_set`]) over `from..=to`.
    ///
    /// # Errors
    /// As [`Tables::benchmark_set`] and [`Tables::command`].
    pub fn benchmark(
        &self,
        organization_id: i64,
        clinic_id: i64,
        clinic_ids: Option<Vec<i64>>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Benchmark> {
        let ids = self.benchmark_set(organization_id, clinic_id, clinic_ids, None)?;
        benchmark(&self.domain_reports(&MetricScope::new(ids, from, to, GroupBy::Clinic)?)?, clinic_id)
    }

    /// Every branch of `clinic_ids` (as [`Tables::command`] takes them)
    /// benchmarked against the others over `from..=to`.
    ///
    /// # Errors
    /// As [`Tables::command`].
    pub fn benchmarks(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Benchmark>> {
        let ids = self.org_branches(organization_id, clinic_ids, None)?;
        benchmark_all(&self.domain_reports(&MetricScope::new(ids, from, to, GroupBy::Clinic)?)?)
    }

    /// The network overview of `clinic_ids` (as [`Tables::command`] takes
    /// them) on `date`.
    ///
    /// # Errors
    /// As [`Tables::command`].
    pub fn network_overview(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        date: NaiveDate,
    ) -> Result<NetworkOverview> {
        let ids = self.org_branches(organization_id, clinic_ids, None)?;
        let active = self.active_branches(&ids);
        network_overview(&self.domain_reports(&MetricScope::new(ids, date, date, GroupBy::Clinic)?)?, &active)
    }

    /// `clinic_ids` checked to be branches of `organization_id` (all of its
    /// branches when `None`), and, when `allowed` is given (the principal's
    /// clinics), to be among those: a request never widens a scope.
    ///
    /// # Errors
    /// [`OdxError::ForbiddenScope`] for a clinic that is not one of its
    /// branches or not allowed.
    pub fn org_branches(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        allowed: Option<&[i64]>,
    ) -> Result<Vec<i64>> {
        let branches = self.org_directory().branches(organization_id);
        let ids = clinic_ids.unwrap_or_else(|| branches.clone());
        match ids.iter().find(|c| !branches.contains(c) || allowed.is_some_and(|a| !a.contains(c))) {
            Some(c) => Err(OdxError::ForbiddenScope { clinic_id: *c }),
            None => Ok(ids),
        }
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
        let in_range = |d: NaiveDate| frame.calendar().bucket_of_date(d).is_some();
        for l in self.lab_cases.iter().filter(|l| scope.contains(l.clinic_id) && in_range(l.sent_on)) {
            acc.accum_lab_cost(&LabCostFact { clinic_id: l.clinic_id, status: l.status, cases: 1, cost: l.cost })?;
        }
        for e in self.expenses.iter().filter(|e| scope.contains(e.clinic_id) && in_range(e.spent_on)) {
            acc.accum_expense(&ExpenseFact {
                clinic_id: e.clinic_id,
                category: e.category.clone(),
                expenses: 1,
                amount: e.amount,
            })?;
        }
        for p in self.payroll.iter().filter(|p| scope.contains(p.clinic_id) && in_range(p.paid_on)) {
            acc.accum_payroll(&PayrollFact { clinic_id: p.clinic_id, entries: 1, gross: p.gross })?;
        }
        Ok(())
    }

    /// The lab report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn lab(&self, scope: &MetricScope) -> Result<LabReport> {
        let mut acc = LabAcc::new(scope, &self.directory())?;
        self.fold_lab(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' lab facts (scope clinics only) to an accumulator.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_lab(&self, acc: &mut LabAcc) -> Result<()> {
        let scope = acc.frame().scope().clone();
        let (from, to) = (scope.from(), scope.to());
        for l in self.lab_cases.iter().filter(|l| scope.contains(l.clinic_id)) {
            acc.accum_case(&LabCaseFact {
                clinic_id: l.clinic_id,
                vendor: l.vendor.clone(),
                status: l.status,
                sent: DatePos::of(l.sent_on, from, to),
                received: l.received_on.map(|r| DatePos::of(r, from, to)),
                due_before_to: l.due_on < to,
                received_before_sent: l.received_on.is_some_and(|r| r < l.sent_on),
                cases: 1,
                cost: l.cost,
                turnaround_days: l.received_on.map_or(0, |r| (r - l.sent_on).num_days()),
            })?;
        }
        Ok(())
    }

    /// The patients report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn patients(&self, scope: &MetricScope) -> Result<PatientsReport> {
        let mut acc = PatientsAcc::new(scope, &self.directory())?;
        self.fold_patients(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' patients facts (scope clinics only) to an accumulator:
    /// one fact per patient.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_patients(&self, acc: &mut PatientsAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        let (from, to) = (scope.from(), scope.to());
        // Per (clinic, patient): first and last completed visit before the
        // as-of instant, the last before the range, and whether anything is
        // booked from the as-of instant on.
        #[derive(Default)]
        struct Visits {
            first: Option<DateTime<Utc>>,
            last: Option<DateTime<Utc>>,
            last_before_range: Option<DateTime<Utc>>,
            booked_after: bool,
        }
        let mut visits: FxHashMap<(i64, i64), Visits> = FxHashMap::default();
        for a in self.appointments.iter().filter(|a| scope.contains(a.clinic_id)) {
            let clock = frame.clock(a.clinic_id)?;
            let v = visits.entry((a.clinic_id, a.patient_id)).or_default();
            let later = |t: Option<DateTime<Utc>>| Some(t.map_or(a.starts_at, |l| l.max(a.starts_at)));
            match a.status {
                AppointmentStatus::Completed if a.starts_at < clock.as_of() => {
                    v.first = Some(v.first.map_or(a.starts_at, |f| f.min(a.starts_at)));
                    v.last = later(v.last);
                    if a.starts_at < clock.range_start() {
                        v.last_before_range = later(v.last_before_range);
                    }
                }
                AppointmentStatus::Booked if a.starts_at >= clock.as_of() => v.booked_after = true,
                _ => {}
            }
        }
        let mut billed: FxHashMap<(i64, i64), Decimal> = FxHashMap::default();
        for i in self.invoices.iter().filter(|i| scope.contains(i.clinic_id) && i.status.is_billed()) {
            if i.issued_at < frame.clock(i.clinic_id)?.as_of() {
                add_money(billed.entry((i.clinic_id, i.patient_id)).or_default(), i.total, "lifetime billed")?;
            }
        }
        for p in self.patients.iter().filter(|p| scope.contains(p.clinic_id)) {
            let clock = frame.clock(p.clinic_id)?;
            let [window_start, churn_cut, churn_cut_at_start] = clock.patient_cuts();
            let v = visits.get(&(p.clinic_id, p.id));
            let (first, last) = (v.and_then(|v| v.first), v.and_then(|v| v.last));
            let dormant = last.filter(|l| *l < churn_cut).map(|l| DormantPatient {
                patient_id: p.id,
                lifetime_billed: billed.get(&(p.clinic_id, p.id)).copied().unwrap_or_default(),
                last_visit_on: clock.local_date(l),
            });
            acc.accum_patient(&PatientFact {
                clinic_id: p.clinic_id,
                first_visit: first.map(|f| clock.range_position(f)),
                seen_in_range: last.is_some_and(|l| l >= clock.range_start()),
                seen_in_window: last.is_some_and(|l| l >= window_start),
                last_visit_before_churn_cut: dormant.is_some(),
                booked_after_to: v.is_some_and(|v| v.booked_after),
                lapsed_at_start: v.and_then(|v| v.last_before_range).is_some_and(|l| l < churn_cut_at_start),
                recall: p.recall_due_on.map(|r| DatePos::of(r, from, to)),
                recall_before_to: p.recall_due_on.is_some_and(|r| r < to),
                visited_since_recall: last.zip(p.recall_due_on).is_some_and(|(l, r)| clock.local_date(l) >= r),
                patients: 1,
                dormant,
            })?;
        }
        Ok(())
    }

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
        let to = scope.to();
        for i in self.inventory_items.iter().filter(|i| scope.contains(i.clinic_id)) {
            let (moved_after, consumed, unknown) = moves.get(&i.id).cloned().unwrap_or_default();
            acc.accum_item(&InventoryItemFact {
                clinic_id: i.clinic_id,
                sku: i.sku.clone(),
                unit_cost: i.unit_cost,
                qty_on_hand: i.qty_on_hand,
                moved_after,
                reorder_level: i.reorder_level,
                expires_in_days: i
                    .expires_on
                    .map(|e| (e - to).num_days().clamp(i32::MIN.into(), i32::MAX.into()) as i32),
                consumed,
                unknown_kind_movements: unknown,
            })?;
        }
        Ok(())
    }

    /// The staff report of a scope over these rows.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn staff(&self, scope: &MetricScope) -> Result<StaffReport> {
        let mut acc = StaffAcc::new(scope, &self.directory())?;
        self.fold_staff(&mut acc)?;
        acc.finish()
    }

    /// Adds these rows' staff facts (scope clinics only) to an accumulator.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn fold_staff(&self, acc: &mut StaffAcc) -> Result<()> {
        let frame = acc.frame().clone();
        let scope = frame.scope();
        let (from, to) = (scope.from(), scope.to());
        for u in &self.users {
            let Some(clinic_id) = u.clinic_id.filter(|c| scope.contains(*c)) else { continue };
            acc.accum_staff(&StaffFact {
                clinic_id,
                role: UserRole::from_db(&u.role),
                active: user_active(&u.status),
                hired_by_to: u.hired_on.is_none_or(|h| h <= to),
                users: 1,
            })?;
        }
        for a in self.attendance_days.iter().filter(|a| scope.contains(a.clinic_id)) {
            if a.day >= from && a.day <= to {
                acc.accum_attendance(&AttendanceFact {
                    clinic_id: a.clinic_id,
                    status: a.status,
                    today: a.day == to,
                    late: a.late_minutes > LATE_AFTER_MINUTES,
                    days: 1,
                })?;
            }
        }
        for p in self.payroll.iter().filter(|p| scope.contains(p.clinic_id)) {
            if p.paid_on >= from && p.paid_on <= to {
                acc.accum_payroll(&PayrollFact { clinic_id: p.clinic_id, entries: 1, gross: p.gross })?;
            }
        }
        for i in self.invoices.iter().filter(|i| scope.contains(i.clinic_id)) {
            if frame.clock(i.clinic_id)?.in_range(i.issued_at) {
                acc.accum_billed(&BilledFact { clinic_id: i.clinic_id, status: i.status, total: i.total })?;
            }
        }
        Ok(())
    }

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

    /// The frame a scope would have over these rows (for callers that build
    /// accumulators themselves).
    ///
    /// # Errors
    /// As [`Frame::new`].
    pub fn frame(&self, scope: &MetricScope) -> Result<Frame> {
        Frame::new(scope, &self.directory())
    }
}
