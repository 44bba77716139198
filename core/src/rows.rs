//! The raw rows odx reads, mirroring `schema.sql`, and [`Tables`]: all of
//! them held in memory, the bottom of the crate.
//!
//! This is the path for callers that already hold rows (the demo network,
//! tests, the Node addon's pure functions). It plays the role Postgres plays
//! for the SQL path: each domain module folds these rows into its own
//! accumulator (`Tables::financial` lives in `financial.rs`, and so on), and
//! the console read-outs over them live in `console.rs`. Every rule (range
//! cut, bucket, status meaning) is applied by the accumulators and clocks.

use crate::category::{
    AppointmentStatus, AttendanceStatus, InvoiceStatus, LabStatus, MovementKind, Payer, PaymentMethod, PlanStatus,
    ProcedureStatus, QuotationStatus,
};
use crate::error::Result;
use crate::frame::{ClinicDirectory, ClinicInfo, Frame};
use crate::num::{add_money, mul_money};
use crate::scope::MetricScope;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `qty x amount` as Postgres's `numeric` computes it: exact, with the scale
/// of the amount even when the product is zero (where `Decimal` would drop
/// it), so the in-memory path prints the same money text as the SQL path.
pub(crate) fn item_amount(qty: i32, amount: Decimal, what: &'static str) -> Result<Decimal> {
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OrganizationRow {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Unique slug.
    pub slug: String,
}

/// `app.clinics`: a branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

/// `app.ops_targets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OpsTargetRow {
    /// Id.
    pub id: i64,
    /// The organization.
    pub organization_id: i64,
    /// The branch; none for a network target.
    pub clinic_id: Option<i64>,
    /// The metric's name.
    pub metric: String,
    /// The target (a rate as a fraction, money in PKR, a count).
    pub value: Decimal,
    /// `monthly` (the only period).
    #[serde(default = "monthly")]
    pub period: String,
}

fn monthly() -> String {
    "monthly".to_owned()
}

/// The tables odx reads, in memory. Missing tables deserialize as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
    /// The clinic directory of `clinics` (time zone, name, city) and the
    /// doctors' names of `users`.
    pub fn directory(&self) -> ClinicDirectory {
        ClinicDirectory::of_clinics(
            self.clinics
                .iter()
                .map(|c| (c.id, ClinicInfo { zone: c.timezone.clone(), name: c.name.clone(), city: c.city.clone() })),
        )
        .with_doctors(self.users.iter().map(|u| (u.id, u.name.trim().to_owned())))
    }

    /// The frame a scope would have over these rows (for callers that build
    /// accumulators themselves).
    ///
    /// # Errors
    /// As [`Frame::new`].
    pub fn frame(&self, scope: &MetricScope) -> Result<Frame> {
        Frame::new(scope, &self.directory())
    }

    /// Materials cost per invoice (sum of qty x unit_cost of its items), for
    /// the invoices `keep` accepts.
    pub(crate) fn materials_by_invoice(&self, keep: impl Fn(&i64) -> bool) -> Result<FxHashMap<i64, Decimal>> {
        let mut materials: FxHashMap<i64, Decimal> = FxHashMap::default();
        for item in self.invoice_items.iter().filter(|it| keep(&it.invoice_id)) {
            let cost = item_amount(item.qty, item.unit_cost, "materials cost")?;
            add_money(materials.entry(item.invoice_id).or_default(), cost, "materials cost")?;
        }
        Ok(materials)
    }
}
