//! One decoder per statement: a result row becomes a core fact.

use crate::queries::QueryKind;
use chrono::NaiveTime;
use odx_core::accounting::{ExpenseFact, MaterialsFact, PayrollFact, ReceiptFact};
use odx_core::clinical::{PlanFact, PlanFeesFact, ProcedureLineFact, QuotationFact};
use odx_core::financial::{InvoiceFact, LabCostFact, PaymentFact, ReceivableFact};
use odx_core::inventory::InventoryItemFact;
use odx_core::lab::{DatePos, LabCaseFact};
use odx_core::operations::{AppointmentFact, PatientGrain, PatientsFact, RoomsFact};
use odx_core::patients::{DormantPatient, PatientFact};
use odx_core::rows::{ClinicHoursRow, DoctorScheduleRow};
use odx_core::staff::{user_active, AttendanceFact, BilledFact, StaffFact};
use odx_core::{
    AccountingAcc, AgingBucket, AppointmentStatus, AttendanceStatus, ClinicalAcc, FinancialAcc, InventoryAcc,
    InvoiceStatus, LabAcc, LabStatus, OdxError, OperationsAcc, PatientsAcc, Payer, PaymentMethod, PlanStatus,
    ProcedureStatus, QuotationStatus, StaffAcc, UserRole,
};
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// Why a result row could not become a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowError {
    /// The driver could not read a column.
    Driver(String),
    /// A column that is never null was null.
    Null {
        /// The column's name.
        column: &'static str,
    },
    /// A text column did not parse as its type.
    Parse {
        /// The column's name.
        column: &'static str,
        /// The text.
        value: String,
    },
    /// Core refused the fact.
    Core(OdxError),
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowError::Driver(e) => write!(f, "reading a result row: {e}"),
            RowError::Null { column } => write!(f, "result column {column} is null"),
            RowError::Parse { column, value } => write!(f, "result column {column}: cannot parse {value:?}"),
            RowError::Core(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RowError {}

impl From<OdxError> for RowError {
    fn from(e: OdxError) -> Self {
        RowError::Core(e)
    }
}

/// A result row, as a driver reads it: columns by name (every statement
/// names its columns as the fields of the fact it feeds).
pub trait Row {
    /// A `bigint` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn int8(&self, column: &'static str) -> Result<Option<i64>, RowError>;
    /// An `integer` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn int4(&self, column: &'static str) -> Result<Option<i32>, RowError>;
    /// A `boolean` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn boolean(&self, column: &'static str) -> Result<Option<bool>, RowError>;
    /// A `text` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn text(&self, column: &'static str) -> Result<Option<String>, RowError>;
}

pub(crate) fn need<T>(v: Option<T>, column: &'static str) -> Result<T, RowError> {
    v.ok_or(RowError::Null { column })
}

fn id(r: &impl Row, c: &'static str) -> Result<i64, RowError> {
    need(r.int8(c)?, c)
}

fn count(r: &impl Row, c: &'static str) -> Result<u64, RowError> {
    let n = id(r, c)?;
    u64::try_from(n).map_err(|_| RowError::Parse { column: c, value: n.to_string() })
}

fn money(r: &impl Row, c: &'static str) -> Result<Decimal, RowError> {
    let t = need(r.text(c)?, c)?;
    Decimal::from_str(&t).or_else(|_| Decimal::from_scientific(&t)).map_err(|_| RowError::Parse { column: c, value: t })
}

fn text(r: &impl Row, c: &'static str) -> Result<String, RowError> {
    need(r.text(c)?, c)
}

fn index(r: &impl Row, c: &'static str) -> Result<u32, RowError> {
    let n = need(r.int4(c)?, c)?;
    u32::try_from(n).map_err(|_| RowError::Parse { column: c, value: n.to_string() })
}

fn time(r: &impl Row, c: &'static str) -> Result<NaiveTime, RowError> {
    let t = text(r, c)?;
    NaiveTime::parse_from_str(&t, "%H:%M:%S%.f").map_err(|_| RowError::Parse { column: c, value: t })
}

/// A `boolean` column that is never null.
fn flag(r: &impl Row, c: &'static str) -> Result<bool, RowError> {
    need(r.boolean(c)?, c)
}

fn weekday(r: &impl Row, c: &'static str) -> Result<i16, RowError> {
    let n = need(r.int4(c)?, c)?;
    // Out-of-range weekdays are bad data that core counts; keep them out of i16 range trouble.
    Ok(i16::try_from(n).unwrap_or(0))
}

fn invoice_fact(r: &impl Row) -> Result<InvoiceFact, RowError> {
    Ok(InvoiceFact {
        clinic_id: id(r, "clinic_id")?,
        doctor_id: r.int8("doctor_id")?,
        bucket: index(r, "bucket")?,
        status: InvoiceStatus::from_db(&text(r, "status")?),
        invoices: count(r, "invoices")?,
        total: money(r, "total")?,
        materials: money(r, "materials")?,
    })
}

fn lab_cost_fact(r: &impl Row) -> Result<LabCostFact, RowError> {
    Ok(LabCostFact {
        clinic_id: id(r, "clinic_id")?,
        status: LabStatus::from_db(&text(r, "status")?),
        cases: count(r, "cases")?,
        cost: money(r, "cost")?,
    })
}

/// Adds one row of a financial statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_financial(acc: &mut FinancialAcc, kind: QueryKind, r: &impl Row) -> Result<(), RowError> {
    match kind {
        QueryKind::Invoices => acc.accum_invoice(&invoice_fact(r)?)?,
        QueryKind::Payments => acc.accum_payment(&PaymentFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            bucket: index(r, "bucket")?,
            method: PaymentMethod::from_db(&text(r, "method")?),
            payments: count(r, "payments")?,
            amount: money(r, "amount")?,
        })?,
        QueryKind::Receivables => {
            let position = index(r, "aging")?;
            let aging = AgingBucket::from_cut_position(position)
                .ok_or(RowError::Parse { column: "aging", value: position.to_string() })?;
            acc.accum_receivable(&ReceivableFact {
                clinic_id: id(r, "clinic_id")?,
                doctor_id: r.int8("doctor_id")?,
                aging,
                status: InvoiceStatus::from_db(&text(r, "status")?),
                payer: Payer::from_db(&text(r, "payer")?),
                invoices: count(r, "invoices")?,
                balance: money(r, "balance")?,
            })?
        }
        QueryKind::LabCosts => acc.accum_lab_cost(&lab_cost_fact(r)?)?,
        other => return Err(RowError::Driver(format!("{other:?} rows are not financial"))),
    }
    Ok(())
}

/// Adds one row of an operations statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_operations(acc: &mut OperationsAcc, kind: QueryKind, r: &impl Row) -> Result<(), RowError> {
    match kind {
        QueryKind::Appointments => acc.accum_appointment(&AppointmentFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            has_doctor: flag(r, "has_doctor")?,
            has_room: flag(r, "has_room")?,
            status: AppointmentStatus::from_db(&text(r, "status")?),
            ended_by_as_of: flag(r, "ended_by_as_of")?,
            duration_min: need(r.int4("duration_min")?, "duration_min")?,
            appointments: count(r, "appointments")?,
        })?,
        QueryKind::Patients => {
            let grain =
                if flag(r, "by_doctor")? { PatientGrain::Doctor(r.int8("doctor_id")?) } else { PatientGrain::Clinic };
            acc.accum_patients(&PatientsFact {
                clinic_id: id(r, "clinic_id")?,
                grain,
                first_visit_position: index(r, "first_visit_position")?,
                patients: count(r, "patients")?,
            })?
        }
        QueryKind::Tickets => acc.accum_invoice(&invoice_fact(r)?)?,
        QueryKind::Schedules => acc.accum_schedule(&DoctorScheduleRow {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: id(r, "doctor_id")?,
            weekday: weekday(r, "weekday")?,
            starts: time(r, "starts")?,
            ends: time(r, "ends")?,
        })?,
        QueryKind::OpeningHours => acc.accum_opening_hours(&ClinicHoursRow {
            clinic_id: id(r, "clinic_id")?,
            weekday: weekday(r, "weekday")?,
            opens: time(r, "opens")?,
            closes: time(r, "closes")?,
        })?,
        QueryKind::Rooms => acc.accum_rooms(&RoomsFact {
            clinic_id: id(r, "clinic_id")?,
            active: flag(r, "active")?,
            rooms: count(r, "rooms")?,
        })?,
        other => return Err(RowError::Driver(format!("{other:?} rows are not operations"))),
    }
    Ok(())
}

/// Adds one row of an accounting statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_accounting(acc: &mut AccountingAcc, kind: QueryKind, r: &impl Row) -> Result<(), RowError> {
    match kind {
        QueryKind::Receipts => acc.accum_receipt(&ReceiptFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            payments: count(r, "payments")?,
            amount: money(r, "amount")?,
        })?,
        QueryKind::Materials => acc.accum_materials(&MaterialsFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            unknown_status: count(r, "unknown_status")?,
            materials: money(r, "materials")?,
        })?,
        QueryKind::LabCosts => acc.accum_lab_cost(&lab_cost_fact(r)?)?,
        QueryKind::Expenses => acc.accum_expense(&ExpenseFact {
            clinic_id: id(r, "clinic_id")?,
            category: text(r, "category")?,
            expenses: count(r, "expenses")?,
            amount: money(r, "amount")?,
        })?,
        QueryKind::Payroll => acc.accum_payroll(&PayrollFact {
            clinic_id: id(r, "clinic_id")?,
            entries: count(r, "entries")?,
            gross: money(r, "gross")?,
        })?,
        other => return Err(RowError::Driver(format!("{other:?} rows are not accounting"))),
    }
    Ok(())
}

/// Adds one row of a lab statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_lab(acc: &mut LabAcc, kind: QueryKind, r: &impl Row) -> Result<(), RowError> {
    let QueryKind::LabCases = kind else {
        return Err(RowError::Driver(format!("{kind:?} rows are not lab")));
    };
    let pos =
        |column: &'static str, v: i32| DatePos::from_index(v).ok_or(RowError::Parse { column, value: v.to_string() });
    acc.accum_case(&LabCaseFact {
        clinic_id: id(r, "clinic_id")?,
        vendor: text(r, "vendor")?,
        status: LabStatus::from_db(&text(r, "status")?),
        sent: pos("sent", need(r.int4("sent")?, "sent")?)?,
        received: r.int4("received")?.map(|v| pos("received", v)).transpose()?,
        due_before_to: flag(r, "due_before_to")?,
        received_before_sent: flag(r, "received_before_sent")?,
        cases: count(r, "cases")?,
        cost: money(r, "cost")?,
        turnaround_days: need(r.int8("turnaround_days")?, "turnaround_days")?,
    })?;
    Ok(())
}

/// Adds one row of a staff statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_staff(acc: &mut StaffAcc, kind: QueryKind, r: &impl Row) -> Result<(), RowError> {
    match kind {
        QueryKind::Staff => acc.accum_staff(&StaffFact {
            clinic_id: id(r, "clinic_id")?,
            role: UserRole::from_db(&text(r, "role")?),
            active: user_active(&text(r, "status")?),
            hired_by_to: flag(r, "hired_by_to")?,
            users: count(r, "users")?,
        })?,
        QueryKind::Attendance => acc.accum_attendance(&AttendanceFact {
            clinic_id: id(r, "clinic_id")?,
            status: AttendanceStatus::from_db(&text(r, "status")?),
            today: flag(r, "today")?,
            late: flag(r, "late")?,
            days: count(r, "days")?,
        })?,
        QueryKind::Payroll => acc.accum_payroll(&PayrollFact {
            clinic_id: id(r, "clinic_id")?,
            entries: count(r, "entries")?,
            gross: money(r, "gross")?,
        })?,
        QueryKind::Tickets => {
            let i = invoice_fact(r)?;
            acc.accum_billed(&BilledFact { clinic_id: i.clinic_id, status: i.status, total: i.total })?
        }
        other => return Err(RowError::Driver(format!("{other:?} rows are not staff"))),
    }
    Ok(())
}

/// Adds one row of a clinical statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_clinical(acc: &mut ClinicalAcc, kind: QueryKind, r: &impl Row) -> Result<(), RowError> {
    match kind {
        QueryKind::Plans => acc.accum_plan(&PlanFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            status: PlanStatus::from_db(&text(r, "status")?),
            plans: count(r, "plans")?,
        })?,
        QueryKind::PlanFees => acc.accum_plan_fees(&PlanFeesFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            plan_status: PlanStatus::from_db(&text(r, "plan_status")?),
            procedure_status: ProcedureStatus::from_db(&text(r, "procedure_status")?),
            procedures: count(r, "procedures")?,
            fees: money(r, "fees")?,
        })?,
        QueryKind::Quotations => acc.accum_quotation(&QuotationFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            status: QuotationStatus::from_db(&text(r, "status")?),
            quotations: count(r, "quotations")?,
        })?,
        QueryKind::ProcedureLines => acc.accum_procedure_line(&ProcedureLineFact {
            clinic_id: id(r, "clinic_id")?,
            doctor_id: r.int8("doctor_id")?,
            status: InvoiceStatus::from_db(&text(r, "status")?),
            procedure_code: text(r, "procedure_code")?,
            qty: need(r.int8("qty")?, "qty")?,
            revenue: money(r, "revenue")?,
        })?,
        other => return Err(RowError::Driver(format!("{other:?} rows are not clinical"))),
    }
    Ok(())
}

/// Adds one row of the patients statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_patients(acc: &mut PatientsAcc, kind: QueryKind, r: &impl Row) -> Result<(), RowError> {
    let QueryKind::PatientRecords = kind else {
        return Err(RowError::Driver(format!("{kind:?} rows are not patients")));
    };
    let first_visit = r
        .int4("first_visit")?
        .map(|v| u32::try_from(v).map_err(|_| RowError::Parse { column: "first_visit", value: v.to_string() }));
    let recall = r
        .int4("recall")?
        .map(|v| DatePos::from_index(v).ok_or(RowError::Parse { column: "recall", value: v.to_string() }));
    let dormant = match r.int8("dormant_id")? {
        None => None,
        Some(patient_id) => {
            let day = text(r, "last_visit_on")?;
            let last_visit_on = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|_| RowError::Parse { column: "last_visit_on", value: day })?;
            Some(DormantPatient { patient_id, lifetime_billed: money(r, "lifetime_billed")?, last_visit_on })
        }
    };
    acc.accum_patient(&PatientFact {
        clinic_id: id(r, "clinic_id")?,
        first_visit: first_visit.transpose()?,
        seen_in_range: flag(r, "seen_in_range")?,
        seen_in_window: flag(r, "seen_in_window")?,
        last_visit_before_churn_cut: flag(r, "last_visit_before_churn_cut")?,
        booked_after_to: flag(r, "booked_after_to")?,
        lapsed_at_start: flag(r, "lapsed_at_start")?,
        recall: recall.transpose()?,
        recall_before_to: flag(r, "recall_before_to")?,
        visited_since_recall: flag(r, "visited_since_recall")?,
        patients: count(r, "patients")?,
        dormant,
    })?;
    Ok(())
}

/// Adds one row of the inventory statement to the accumulator.
///
/// # Errors
/// [`RowError`] for an unreadable row or a fact core refuses.
pub fn feed_inventory(acc: &mut InventoryAcc, kind: QueryKind, r: &impl Row) -> Result<(), RowError> {
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

/// A domain accumulator that statements' rows can feed: what a driver needs
/// to compute any domain with one generic function.
pub trait DomainAcc: Sized {
    /// The finished report.
    type Report: serde::Serialize + odx_core::Comparable;
    /// The domain (its statements and required relations).
    const DOMAIN: crate::schema::Domain;
    /// An empty accumulator on a frame.
    fn with_frame(frame: odx_core::Frame) -> Self;
    /// Adds one result row of one of the domain's statements.
    ///
    /// # Errors
    /// [`RowError`].
    fn feed<R: Row>(&mut self, kind: QueryKind, row: &R) -> Result<(), RowError>;
    /// Finishes the report.
    ///
    /// # Errors
    /// [`OdxError`].
    fn finish_report(&self) -> Result<Self::Report, OdxError>;
}

/// `$body` with `$acc` naming the accumulator of `$domain` (an
/// [`odx_core::Domain`]): one dispatch for every caller that picks the
/// domain at run time.
///
/// ```
/// use odx_sql::{by_domain, DomainAcc};
/// let name = by_domain!(odx_core::Domain::Lab, A => A::DOMAIN.as_str());
/// assert_eq!(name, "lab");
/// ```
#[macro_export]
macro_rules! by_domain {
    ($domain:expr, $acc:ident => $body:expr) => {
        match $domain {
            ::odx_core::Domain::Financial => {
                type $acc = ::odx_core::FinancialAcc;
                $body
            }
            ::odx_core::Domain::Operations => {
                type $acc = ::odx_core::OperationsAcc;
                $body
            }
            ::odx_core::Domain::Accounting => {
                type $acc = ::odx_core::AccountingAcc;
                $body
            }
            ::odx_core::Domain::Lab => {
                type $acc = ::odx_core::LabAcc;
                $body
            }
            ::odx_core::Domain::Staff => {
                type $acc = ::odx_core::StaffAcc;
                $body
            }
            ::odx_core::Domain::Clinical => {
                type $acc = ::odx_core::ClinicalAcc;
                $body
            }
            ::odx_core::Domain::Patients => {
                type $acc = ::odx_core::PatientsAcc;
                $body
            }
            ::odx_core::Domain::Inventory => {
                type $acc = ::odx_core::InventoryAcc;
                $body
            }
        }
    };
}

/// `DomainAcc` for a core accumulator: its report, domain and row decoder.
macro_rules! domain_acc {
    ($acc:ty, $report:ty, $domain:ident, $feed:ident) => {
        impl DomainAcc for $acc {
            type Report = $report;
            const DOMAIN: crate::schema::Domain = crate::schema::Domain::$domain;
            fn with_frame(frame: odx_core::Frame) -> Self {
                <$acc>::with_frame(frame)
            }
            fn feed<R: Row>(&mut self, kind: QueryKind, row: &R) -> Result<(), RowError> {
                $feed(self, kind, row)
            }
            fn finish_report(&self) -> Result<Self::Report, OdxError> {
                self.finish()
            }
        }
    };
}

domain_acc!(FinancialAcc, odx_core::FinancialReport, Financial, feed_financial);
domain_acc!(OperationsAcc, odx_core::OperationsReport, Operations, feed_operations);
domain_acc!(AccountingAcc, odx_core::AccountingReport, Accounting, feed_accounting);
domain_acc!(LabAcc, odx_core::LabReport, Lab, feed_lab);
domain_acc!(StaffAcc, odx_core::StaffReport, Staff, feed_staff);
domain_acc!(ClinicalAcc, odx_core::ClinicalReport, Clinical, feed_clinical);
domain_acc!(PatientsAcc, odx_core::PatientsReport, Patients, feed_patients);
domain_acc!(InventoryAcc, odx_core::InventoryReport, Inventory, feed_inventory);
