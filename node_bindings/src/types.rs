//! The TypeScript shapes of the arguments and results, for `index.d.ts`.
//! Arguments arrive as plain JSON and are checked field by field in
//! `args.rs`; results are core's reports reshaped by `shape.rs`.
//! These structs only declare the shapes to TypeScript: the Node suites
//! type-check real reports of every grouping against them with `tsc`
//! (`test/types.test.mjs`), so a field that drifts from core fails the tests.
//!
//! Money is `string` (exact decimals), rates `number | null`, counts and
//! minutes `number`, dates `YYYY-MM-DD` strings.

use napi_derive::napi;
use serde_json::Value;

/// What every report call takes.
#[napi(object)]
pub struct ScopeParams {
    /// The branches (clinic ids).
    pub clinic_ids: Vec<i64>,
    /// First local date, `YYYY-MM-DD`.
    pub from: String,
    /// Last local date, `YYYY-MM-DD` (balances are as of its end).
    pub to: String,
    /// `clinic` (default), `doctor` or `none`.
    #[napi(ts_type = "'clinic' | 'doctor' | 'none'")]
    pub group_by: Option<String>,
    /// The principal's branches: any other requested branch is refused with
    /// `ODX_FORBIDDEN_SCOPE`.
    pub allowed_clinic_ids: Option<Vec<i64>>,
    /// The patients domain's active window in months, 1 to 120 (default 18).
    pub active_window_months: Option<u32>,
}

/// `validateScope`'s answer.
#[napi(object)]
pub struct ValidScope {
    /// The branches, ascending, without duplicates.
    pub clinic_ids: Vec<i64>,
    /// First local date.
    pub from: String,
    /// Last local date.
    pub to: String,
    /// The grouping.
    #[napi(ts_type = "'clinic' | 'doctor' | 'none'")]
    pub group_by: String,
    /// Days in the range.
    pub days: i64,
    /// The patients domain's active window in months.
    pub active_window_months: u32,
}

/// `Engine.connect`'s options.
#[napi(object)]
pub struct EngineOptions {
    /// Pool size (default 8).
    pub max_connections: Option<u32>,
    /// Time limit in ms of each statement, of each call, and of a call's wait
    /// for a free connection under load (default 30000).
    pub query_timeout_ms: Option<u32>,
    /// Time limit to reach the database in ms (default 5000).
    pub connect_timeout_ms: Option<u32>,
}

/// A report's metrics, and its rows: `BranchKey & <Domain>Metrics` each.
macro_rules! report {
    ($(#[$doc:meta])* $name:ident, $totals:tt, $rows:tt) => {
        $(#[$doc])*
        ///
        /// Degraded when a table or column the domain reads is missing: then
        /// `module` and `missing` say what, `totals` is null and `perBranch`
        /// empty.
        #[napi(object)]
        pub struct $name {
            /// Whether a table or column the domain reads is missing.
            pub degraded: bool,
            /// The domain, when degraded.
            pub module: Option<String>,
            /// The missing relations (`app.table` or `app.table.column`), when degraded.
            pub missing: Option<Vec<String>>,
            /// First local date (absent when degraded).
            pub from: Option<String>,
            /// Last local date; balances are as of its end (absent when degraded).
            pub to: Option<String>,
            /// The grouping (absent when degraded).
            #[napi(ts_type = "'clinic' | 'doctor' | 'none'")]
            pub group_by: Option<String>,
            /// The branches of the scope, ascending (absent when degraded).
            pub clinic_ids: Option<Vec<i64>>,
            /// The whole scope, from merged facts (never averaged rows).
            #[napi(ts_type = $totals)]
            pub totals: Value,
            /// One row per branch (or per branch and doctor); empty for `none`.
            #[napi(ts_type = $rows)]
            pub per_branch: Vec<Value>,
        }
    };
}

/// Whose row it is.
#[napi(object, use_nullable = true)]
pub struct BranchKey {
    /// The branch (clinic id).
    pub clinic_id: i64,
    /// The doctor when grouping by doctor (null for appointments or invoices
    /// with no doctor, and always null when grouping by clinic).
    pub doctor_id: Option<i64>,
}

report!(
    /// The financial report.
    FinancialReport,
    "FinancialMetrics | null",
    "Array<BranchKey & FinancialMetrics>"
);

report!(
    /// The operations report.
    OperationsReport,
    "OperationsMetrics | null",
    "Array<BranchKey & OperationsMetrics>"
);

report!(
    /// The accounting report (cash-basis P&L).
    AccountingReport,
    "AccountingMetrics | null",
    "Array<BranchKey & AccountingMetrics>"
);

report!(
    /// The lab report.
    LabReport,
    "LabMetrics | null",
    "Array<BranchKey & LabMetrics>"
);

/// The lab KPIs of a branch or the network, over every vendor. Lab cases
/// have no doctor: with doctor grouping they are on the `doctorId: null` row.
#[napi(object, use_nullable = true)]
pub struct LabMetrics {
    /// Cases out at the lab as of the end of `to`: sent by then, status
    /// `sent`, or `received` after `to`.
    pub open_cases: i64,
    /// Open cases due before `to`.
    pub overdue_cases: i64,
    /// overdueCases / openCases; null when nothing is open.
    pub overdue_share: Option<f64>,
    /// Cases sent in range, not cancelled.
    pub cases_sent: i64,
    /// Their cost (PKR).
    pub lab_cost: String,
    /// Cases received in range.
    pub cases_received: i64,
    /// Mean days from sent to received over the cases received in range;
    /// null when none was.
    pub avg_turnaround_days: Option<f64>,
    /// The same KPIs per vendor (trimmed name; blank is `unspecified`), by name.
    pub by_vendor: Vec<LabVendorLine>,
    /// Cases kept out for bad values.
    pub data_quality: LabDataQuality,
}

/// One vendor's lab KPIs.
#[napi(object, use_nullable = true)]
pub struct LabVendorLine {
    /// The vendor.
    pub vendor: String,
    /// Cases out at the lab as of the end of `to`.
    pub open_cases: i64,
    /// Open cases due before `to`.
    pub overdue_cases: i64,
    /// overdueCases / openCases; null when nothing is open.
    pub overdue_share: Option<f64>,
    /// Cases sent in range, not cancelled.
    pub cases_sent: i64,
    /// Their cost (PKR).
    pub lab_cost: String,
    /// Cases received in range.
    pub cases_received: i64,
    /// Mean turnaround in days; null when none was received.
    pub avg_turnaround_days: Option<f64>,
}

/// Lab cases kept out for bad values.
#[napi(object)]
pub struct LabDataQuality {
    /// Cases sent by `to` whose status is not listed.
    pub unknown_status: i64,
    /// Cases `received` without a received date.
    pub received_without_date: i64,
    /// Cases received in range before they were sent.
    pub received_before_sent: i64,
}

report!(
    /// The patients report.
    PatientsReport,
    "PatientsMetrics | null",
    "Array<BranchKey & PatientsMetrics>"
);

/// The patients KPIs of a branch or the network. Patients belong to the
/// branch: with doctor grouping they are on the `doctorId: null` row.
#[napi(object, use_nullable = true)]
pub struct PatientsMetrics {
    /// Patient records of the branch.
    pub patients_on_file: i64,
    /// Patients with a completed visit in the active window
    /// (`activeWindowMonths` up to `to`, 18 by default).
    pub active_patients: i64,
    /// Patients seen in range whose first completed visit is in range.
    pub new_patients: i64,
    /// Patients seen in range who had been seen before it.
    pub returning_patients: i64,
    /// returning / (new + returning); null when nobody was seen.
    pub returning_share: Option<f64>,
    /// Patients whose recall falls due in range.
    pub recall_due: i64,
    /// Recall due before `to` and not seen since.
    pub recall_overdue: i64,
    /// Patients last seen 9 calendar months or more before `to`, with nothing
    /// booked after it.
    pub churn_risk: i64,
    /// The most valuable of them (lifetime billed, highest first), at most 100.
    pub churn_list: Vec<AtRiskPatient>,
    /// Patients last seen 9 calendar months or more before `to`, booked or
    /// not (`churnRisk` is those with nothing booked).
    pub lapsed: i64,
    /// Patients whose last visit before `from` was 9 calendar months or more
    /// before the day before `from`: lapsed when the range began.
    pub lapsed_at_start: i64,
    /// Of `lapsedAtStart`, those with a completed visit in the range.
    pub won_back: i64,
}

/// One at-risk patient.
#[napi(object)]
pub struct AtRiskPatient {
    /// The patient's branch.
    pub clinic_id: i64,
    /// The patient.
    pub patient_id: i64,
    /// Billed over the patient's history up to the end of `to` (PKR).
    pub lifetime_billed: String,
    /// Local date of the last completed visit, `YYYY-MM-DD`.
    pub last_visit_on: String,
}

report!(
    /// The inventory report.
    InventoryReport,
    "InventoryMetrics | null",
    "Array<BranchKey & InventoryMetrics>"
);

/// The inventory KPIs of a branch or the network, as of the end of `to`.
/// Stock belongs to the branch: with doctor grouping it is on the
/// `doctorId: null` row.
#[napi(object, use_nullable = true)]
pub struct InventoryMetrics {
    /// Item rows (batches).
    pub items: i64,
    /// Distinct (branch, sku) positions.
    pub skus: i64,
    /// Value of the stock on hand (PKR).
    pub stock_value: String,
    /// Positions with no stock.
    pub out_of_stock: i64,
    /// Positions at or under their reorder level.
    pub low_stock: i64,
    /// Batches with stock expiring within 30 days after `to`.
    pub expiring: i64,
    /// Their value (PKR).
    pub expiring_value: String,
    /// Batches expired on or before `to`.
    pub expired: i64,
    /// The value of expired stock still on hand (PKR).
    pub expired_value: String,
    /// Value consumed per day over the range (PKR).
    pub daily_consumption_value: String,
    /// stockValue / dailyConsumptionValue; null without consumption.
    pub days_of_cover: Option<f64>,
    /// Positions out, low or under 14 days of cover.
    pub reorder_needed: i64,
    /// Those positions, the least cover first (at most 100).
    pub reorder_items: Vec<ReorderLine>,
    /// Transfers between the branches of the scope (at most 100).
    pub rebalance: Vec<RebalanceLine>,
    /// Rows kept out for bad values.
    pub data_quality: InventoryDataQuality,
}

/// A (branch, sku) needing a reorder.
#[napi(object, use_nullable = true)]
pub struct ReorderLine {
    /// The branch.
    pub clinic_id: i64,
    /// The sku.
    pub sku: String,
    /// Stock as of the end of `to` (exact decimal string).
    pub qty_on_hand: String,
    /// Units consumed per day; null when none was.
    pub daily_consumption: Option<f64>,
    /// Days the stock lasts; null without consumption, 0 when out.
    pub days_of_cover: Option<f64>,
}

/// A suggested transfer.
#[napi(object)]
pub struct RebalanceLine {
    /// The sku.
    pub sku: String,
    /// The sending branch (more than 90 days of cover).
    pub from_clinic_id: i64,
    /// The receiving branch (needs a reorder).
    pub to_clinic_id: i64,
    /// Whole units (decimal string).
    pub qty: String,
}

/// Inventory rows kept out for bad values.
#[napi(object)]
pub struct InventoryDataQuality {
    /// Movements in range whose kind is not listed.
    pub unknown_movement_kind: i64,
    /// Items with negative stock.
    pub negative_stock: i64,
}

report!(
    /// The staff report.
    StaffReport,
    "StaffMetrics | null",
    "Array<BranchKey & StaffMetrics>"
);

/// The staff KPIs of a branch or the network. Staff belong to the branch:
/// with doctor grouping they are on the `doctorId: null` row.
#[napi(object, use_nullable = true)]
pub struct StaffMetrics {
    /// Active users assigned to the branch, hired by `to` (or with no hiring date).
    pub headcount: i64,
    /// `headcount` by role, every listed role in schema order (an unlisted
    /// role counts as `other`).
    pub headcount_by_role: Vec<RoleHeadcount>,
    /// Attendance days in range with status present.
    pub present_days: i64,
    /// ... absent.
    pub absent_days: i64,
    /// ... leave.
    pub leave_days: i64,
    /// ... off.
    pub off_days: i64,
    /// presentDays / (presentDays + absentDays); null without such days.
    pub attendance_rate: Option<f64>,
    /// absentDays / (presentDays + absentDays); null without such days.
    pub absenteeism_rate: Option<f64>,
    /// Present days in range more than 10 minutes late.
    pub late_arrivals: i64,
    /// Staff present on `to`.
    pub present_today: i64,
    /// Staff on leave on `to`.
    pub on_leave_today: i64,
    /// Payroll paid in range (PKR; the accounting `payroll`).
    pub payroll_cost: String,
    /// How many payroll rows.
    pub payroll_entries: i64,
    /// Billed in range (PKR; the financial `billed`).
    pub billed: String,
    /// billed / headcount, rounded to paisa (PKR); null without staff.
    pub revenue_per_staff: Option<String>,
    /// Rows kept out for bad values.
    pub data_quality: StaffDataQuality,
}

/// The active headcount of one role.
#[napi(object)]
pub struct RoleHeadcount {
    /// `clinic_admin`, `doctor`, `receptionist`, `hygienist`, `assistant` or `other`.
    #[napi(ts_type = "'clinic_admin' | 'doctor' | 'receptionist' | 'hygienist' | 'assistant' | 'other'")]
    pub role: String,
    /// Active users of that role, hired by `to`.
    pub staff: i64,
}

/// Staff rows kept out for bad values.
#[napi(object)]
pub struct StaffDataQuality {
    /// Active users whose role is not listed (counted under `other`).
    pub unknown_role: i64,
    /// Users whose status is neither active nor inactive (not counted).
    pub unknown_user_status: i64,
    /// Attendance days in range whose status is not listed (not counted).
    pub unknown_attendance_status: i64,
}

report!(
    /// The clinical report.
    ClinicalReport,
    "ClinicalMetrics | null",
    "Array<BranchKey & ClinicalMetrics>"
);

/// The clinical KPIs of a branch, a doctor or the network: plans created in
/// range (not draft), quotations created in range, procedures billed in range.
#[napi(object, use_nullable = true)]
pub struct ClinicalMetrics {
    /// Plans created in range, not draft.
    pub plans_created: i64,
    /// Of those, accepted, in progress or completed.
    pub plans_accepted: i64,
    /// plansAccepted / plansCreated; null without plans.
    pub acceptance_rate: Option<f64>,
    /// Fees of planned procedures on proposed, accepted and in-progress plans (PKR).
    pub pipeline_value: String,
    /// Fees of every procedure on the plans created (PKR).
    pub plan_value: String,
    /// planValue / plansCreated, rounded to paisa (PKR); null without plans.
    pub avg_plan_value: Option<String>,
    /// Fees of every procedure on the accepted plans (PKR).
    pub accepted_value: String,
    /// Fees of the completed procedures on the accepted plans (PKR).
    pub completed_value: String,
    /// completedValue / acceptedValue; null when nothing was accepted.
    pub completion_rate: Option<f64>,
    /// Quotations created in range by status.
    pub quotations: QuotationCounts,
    /// accepted / (sent + accepted + rejected + expired); null without any.
    pub quotation_conversion: Option<f64>,
    /// Acceptance per doctor of the plans (no doctor first, then by id).
    pub acceptance_by_doctor: Vec<DoctorAcceptance>,
    /// The top 10 procedure codes by billed volume (ties by code).
    pub top_procedures_by_volume: Vec<ProcedureLine>,
    /// The top 10 procedure codes by billed revenue (ties by code).
    pub top_procedures_by_revenue: Vec<ProcedureLine>,
    /// Rows kept out for bad values.
    pub data_quality: ClinicalDataQuality,
}

/// Quotations created in range by status.
#[napi(object)]
pub struct QuotationCounts {
    /// Not sent (kept out of the conversion).
    pub draft: i64,
    /// Sent, no answer yet.
    pub sent: i64,
    /// Accepted.
    pub accepted: i64,
    /// Rejected.
    pub rejected: i64,
    /// Expired.
    pub expired: i64,
}

/// One doctor's plan acceptance.
#[napi(object, use_nullable = true)]
pub struct DoctorAcceptance {
    /// The plans' doctor (null for plans without one).
    pub doctor_id: Option<i64>,
    /// Plans created in range, not draft.
    pub plans_created: i64,
    /// Of those, accepted, in progress or completed.
    pub plans_accepted: i64,
    /// plansAccepted / plansCreated.
    pub acceptance_rate: Option<f64>,
}

/// One procedure code's billed volume and revenue.
#[napi(object)]
pub struct ProcedureLine {
    /// The code (trimmed; blank is `unspecified`).
    pub procedure_code: String,
    /// Sum of qty on billed invoices issued in range.
    pub volume: i64,
    /// Sum of qty x unit price (PKR).
    pub revenue: String,
}

/// Clinical rows kept out for bad values.
#[napi(object)]
pub struct ClinicalDataQuality {
    /// Plans whose status is not listed (not counted, nor their procedures).
    pub unknown_plan_status: i64,
    /// Procedures whose status is not listed (in the plan value only).
    pub unknown_procedure_status: i64,
    /// Quotations whose status is not listed (not counted).
    pub unknown_quotation_status: i64,
}

/// The cash-basis P&L of a branch, a doctor or the network (PKR). With doctor
/// grouping, receipts and materials follow the invoice's doctor; lab cost,
/// opex and payroll are overheads on the branch's `doctorId: null` row.
#[napi(object, use_nullable = true)]
pub struct AccountingMetrics {
    /// Payments paid in range (the financial `collected`, cash basis).
    pub receipts: String,
    /// How many payments.
    pub payments: i64,
    /// Sum of qty x unit cost of items on billed invoices issued in range.
    pub materials_cost: String,
    /// Sum of the cost of lab cases sent in range, not cancelled.
    pub lab_cost: String,
    /// materialsCost + labCost.
    pub direct_cost: String,
    /// Expenses spent in range.
    pub opex: String,
    /// `opex` by category: rent, utilities, supplies, marketing, maintenance
    /// and other always, then any other category.
    pub opex_by_category: Vec<OpexLine>,
    /// Payroll paid in range (by paid date, whatever month it is for).
    pub payroll: String,
    /// How many payroll rows.
    pub payroll_entries: i64,
    /// directCost + opex + payroll.
    pub total_costs: String,
    /// receipts - totalCosts.
    pub net_profit: String,
    /// totalCosts / receipts; null when receipts are zero or negative.
    pub expense_ratio: Option<f64>,
    /// Rows kept out for bad values.
    pub data_quality: AccountingDataQuality,
}

/// Operating expenses of one category.
#[napi(object, use_nullable = true)]
pub struct OpexLine {
    /// The category, trimmed and lower-cased (blank is `other`).
    pub category: String,
    /// How many expense rows.
    pub expenses: i64,
    /// Their sum.
    pub amount: String,
    /// amount / opex; null when opex is zero.
    pub share: Option<f64>,
}

/// Accounting rows kept out for bad values.
#[napi(object)]
pub struct AccountingDataQuality {
    /// Invoices issued in range whose status is not listed.
    pub unknown_invoice_status: i64,
    /// Lab cases sent in range whose status is not listed.
    pub unknown_lab_status: i64,
}

/// Every financial KPI of a branch, a doctor or the network (PKR).
#[napi(object, use_nullable = true)]
pub struct FinancialMetrics {
    /// Sum of invoice totals issued in range whose status is not draft or void.
    pub billed: String,
    /// Invoices counted in `billed`.
    pub invoice_count: i64,
    /// billed / invoiceCount, rounded to paisa; null without invoices.
    pub avg_ticket: Option<String>,
    /// Sum of payments paid in range (cash basis, refunds negative).
    pub collected: String,
    /// collected / billed; null when nothing was billed. May exceed 1 when
    /// old AR is collected.
    pub collection_rate: Option<f64>,
    /// AR as of the end of `to`: the positive balances of billed invoices
    /// issued by then.
    pub outstanding: String,
    /// `outstanding` by payer.
    pub outstanding_by_payer: PayerAmounts,
    /// Invoices with a positive balance.
    pub open_invoices: i64,
    /// Overpayments (negative balances), as a positive amount.
    pub credits: String,
    /// `outstanding` by age (local date `to` - local issue date); the four
    /// buckets sum to it exactly.
    pub ar_aging: AgingAmounts,
    /// Sum of qty x unit cost of the items of the invoices in `billed`.
    pub materials_cost: String,
    /// Sum of the cost of lab cases sent in range, not cancelled.
    pub lab_cost: String,
    /// materialsCost + labCost.
    pub direct_cost: String,
    /// billed - directCost.
    pub gross_profit: String,
    /// grossProfit / billed; null when nothing was billed.
    pub margin: Option<f64>,
    /// `collected` by payment method, every method listed.
    pub payment_mix: Vec<PaymentShare>,
    /// Invoices issued in range by every status (draft and void included).
    pub status_counts: InvoiceStatusCounts,
    /// Billed and collected per day (ranges up to 62 days) or per month.
    pub trend: Trend,
    /// Rows kept out, or kept under `unknown`, for values not in the schema.
    pub data_quality: FinancialDataQuality,
}

/// AR by payer.
#[napi(object)]
pub struct PayerAmounts {
    /// Patients' own balances.
    #[napi(js_name = "self")]
    pub self_pay: String,
    /// Insurers' balances.
    pub insurance: String,
    /// Balances whose payer is not a listed value.
    pub unknown: String,
}

/// AR by days since issue, as of the end of `to`.
#[napi(object)]
pub struct AgingAmounts {
    /// 0 to 30 days.
    #[napi(js_name = "0-30")]
    pub days_0_30: String,
    /// 31 to 60 days.
    #[napi(js_name = "31-60")]
    pub days_31_60: String,
    /// 61 to 90 days.
    #[napi(js_name = "61-90")]
    pub days_61_90: String,
    /// 91 days or more.
    #[napi(js_name = "90+")]
    pub over_90: String,
}

/// Collected through one payment method.
#[napi(object, use_nullable = true)]
pub struct PaymentShare {
    /// `cash`, `card`, `bank_transfer`, `insurance`, `wallet` or `unknown`.
    #[napi(ts_type = "'cash' | 'card' | 'bank_transfer' | 'insurance' | 'wallet' | 'unknown'")]
    pub method: String,
    /// Number of payments (refunds included).
    pub payments: i64,
    /// Sum of amounts, refunds negative.
    pub amount: String,
    /// amount / collected; null when nothing was collected.
    pub share: Option<f64>,
}

/// Invoices issued in range by status.
#[napi(object)]
pub struct InvoiceStatusCounts {
    /// Draft.
    pub draft: i64,
    /// Issued.
    pub issued: i64,
    /// Partially paid.
    pub partially_paid: i64,
    /// Paid.
    pub paid: i64,
    /// Void.
    pub void: i64,
    /// Any other status.
    pub unknown: i64,
}

/// Billed and collected over time.
#[napi(object)]
pub struct Trend {
    /// The width of a point.
    #[napi(ts_type = "'day' | 'month'")]
    pub granularity: String,
    /// Consecutive points covering the range.
    pub points: Vec<TrendPoint>,
}

/// One point of a trend.
#[napi(object)]
pub struct TrendPoint {
    /// First local date of the point.
    pub start: String,
    /// Last local date of the point.
    pub end: String,
    /// Billed in the point.
    pub billed: String,
    /// Collected in the point.
    pub collected: String,
}

/// Financial rows kept out, or counted under `unknown`.
#[napi(object)]
pub struct FinancialDataQuality {
    /// Invoices issued in range whose status is not a listed one.
    pub unknown_invoice_status: i64,
    /// Receivable invoices whose status is not a listed one.
    pub unknown_receivable_status: i64,
    /// Payments whose method is not listed (still collected, under `unknown`).
    pub unknown_payment_method: i64,
    /// Open invoices whose payer is not listed (still AR, under `unknown`).
    pub unknown_payer: i64,
    /// Lab cases whose status is not listed (kept out of lab cost).
    pub unknown_lab_status: i64,
}

/// Every operations KPI of a branch, a doctor or the network.
#[napi(object, use_nullable = true)]
pub struct OperationsMetrics {
    /// Appointments starting in range, by status.
    pub appointments: AppointmentCounts,
    /// All appointments minus cancelled.
    pub scheduled: i64,
    /// noShow / scheduled.
    pub no_show_rate: Option<f64>,
    /// cancelled / all appointments.
    pub cancel_rate: Option<f64>,
    /// (arrived + completed) / scheduled.
    pub arrival_rate: Option<f64>,
    /// completed / scheduled.
    pub completion_rate: Option<f64>,
    /// The financial avgTicket of the same group (PKR).
    pub avg_ticket: Option<String>,
    /// noShow x avgTicket (PKR); "0" without no-shows, null when there are
    /// no-shows but no ticket to price them.
    pub no_show_bleed: Option<String>,
    /// Patients whose first ever completed appointment at the branch is in range.
    pub new_patients: i64,
    /// Other distinct patients with a completed appointment in range.
    pub returning_patients: i64,
    /// Minutes of non-cancelled appointments in range that have a doctor.
    pub doctor_booked_minutes: i64,
    /// The doctors' scheduled minutes over the range.
    pub doctor_capacity_minutes: i64,
    /// doctorBookedMinutes / doctorCapacityMinutes.
    pub doctor_utilization: Option<f64>,
    /// Minutes of non-cancelled appointments in range that have a room.
    pub chair_booked_minutes: i64,
    /// Active rooms x opening minutes over the range (0 on doctor rows).
    pub chair_capacity_minutes: i64,
    /// chairBookedMinutes / chairCapacityMinutes.
    pub chair_utilization: Option<f64>,
    /// Rows kept out for bad values.
    pub data_quality: OperationsDataQuality,
}

/// Appointments by status.
#[napi(object)]
pub struct AppointmentCounts {
    /// Still booked.
    pub booked: i64,
    /// Arrived.
    pub arrived: i64,
    /// Completed.
    pub completed: i64,
    /// Cancelled.
    pub cancelled: i64,
    /// No-show.
    pub no_show: i64,
    /// Booked appointments that ended before the end of `to`: never resolved
    /// (a data-quality leak). A subset of `booked`.
    pub missed: i64,
    /// All of them.
    pub total: i64,
}

/// Operations rows kept out for bad values.
#[napi(object)]
pub struct OperationsDataQuality {
    /// Appointments whose status is not a listed value.
    pub unknown_appointment_status: i64,
    /// Appointments with a negative duration (counted, zero minutes).
    pub negative_durations: i64,
    /// Schedule rows with a weekday outside 1..=7 or ends <= starts.
    pub invalid_schedules: i64,
    /// Opening-hours rows with a weekday outside 1..=7 or closes <= opens.
    pub invalid_opening_hours: i64,
}
