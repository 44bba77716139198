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
        /// 0-based column.
        column: usize,
    },
    /// A text column did not parse as its type.
    Parse {
        /// 0-based column.
        column: usize,
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

/// A result row, as a driver reads it (0-based columns).
pub trait Row {
    /// A `bigint` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn int8(&self, column: usize) -> Result<Option<i64>, RowError>;
    /// An `integer` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn int4(&self, column: usize) -> Result<Option<i32>, RowError>;
    /// A `boolean` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn boolean(&self, column: usize) -> Result<Option<bool>, RowError>;
    /// A `text` column.
    ///
    /// # Errors
    /// [`RowError::Driver`].
    fn text(&self, column: usize) -> Result<Option<String>, RowError>;
}

fn need<T>(v: Option<T>, column: usize) -> Result<T, RowError> {
    v.ok_or(RowError::Null { column })
}

fn id(r: &impl Row, c: usize) -> Result<i64, RowError> {
    need(r.int8(c)?, c)
}

fn count(r: &impl Row, c: usize) -> Result<u64, RowError> {
    let n = id(r, c)?;
    u64::try_from(n).map_err(|_| RowError::Parse { column: c, value: n.to_string() })
}

fn money(r: &impl Row, c: usize) -> Result<Decimal, RowError> {
    let t = need(r.text(c)?, c)?;
    Decimal::from_str(&t).or_else(|_| Decimal::from_scientific(&t)).map_err(|_| RowError::Parse { column: c, value: t })
}

fn text(r: &impl Row, c: usize) -> Result<String, RowError> {
    need(r.text(c)?, c)
}

fn index(r: &impl Row, c: usize) -> Result<u32, RowError> {
    let n = need(r.int4(c)?, c)?;
    u32::try_from(n).map_err(|_| RowError::Parse { column: c, value: n.to_string() })
}

fn time(r: &impl Row, c: usize) -> Result<NaiveTime, RowError> {
    let t = text(r, c)?;
    NaiveTime::parse_from_str(&t, "%H:%M:%S%.f").map_err(|_| RowError::Parse { column: c, value: t })
}

fn weekday(r: &impl Row, c: usize) -> Result<i16, RowError> {
    let n = need(r.int4(c)?, c)?;
    // Out-of-range weekdays are bad data that core counts; keep them out of i16 range trouble.
    Ok(i16::try_from(n).unwrap_or(0))
}

fn invoice_fact(r: &impl Row) -> Result<InvoiceFact, RowError> {
    Ok(InvoiceFact {
        clinic_id: id(r, 0)?,
        doctor_id: r.int8(1)?,
        bucket: index(r, 2)?,
        status: InvoiceStatus::from_db(&text(r, 3)?),
        invoices: count(r, 4)?,
        total: money(r, 5)?,
        materials: money(r, 6)?,
    })
}

fn lab_cost_fact(r: &impl Row) -> Result<LabCostFact, RowError> {
    Ok(LabCostFact {
        clinic_id: id(r, 0)?,
        status: LabStatus::from_db(&text(r, 1)?),
        cases: count(r, 2)?,
        cost: money(r, 3)?,
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
            clinic_id: id(r, 0)?,
            doctor_id: r.int8(1)?,
            bucket: index(r, 2)?,
            method: PaymentMethod::from_db(&text(r, 3)?),
            payments: count(r, 4)?,
            amount: money(r, 5)?,
        })?,
        QueryKind::Receivables => {
            let position = index(r, 2)?;
            let aging = AgingBucket::from_cut_position(position)
                .ok_or(RowError::Parse { column: 2, value: position.to_string() })?;
            acc.accum_receivable(&ReceivableFact {
                clinic_id: id(r, 0)?,
                doctor_id: r.int8(1)?,
                aging,
                status: InvoiceStatus::from_db(&text(r, 3)?),
                payer: Payer::from_db(&text(r, 4)?),
                invoices: count(r, 5)?,
                balance: money(r, 6)?,
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
            clinic_id: id(r, 0)?,
            doctor_id: r.int8(1)?,
            has_doctor: need(r.boolean(2)?, 2)?,
            has_room: need(r.boolean(3)?, 3)?,
            status: AppointmentStatus::from_db(&text(r, 4)?),
            ended_by_as_of: need(r.boolean(5)?, 5)?,
            duration_min: need(r.int4(6)?, 6)?,
            appointments: count(r, 7)?,
        })?,
        QueryKind::Patients => {
            let grain = if need(r.boolean(1)?, 1)? { PatientGrain::Doctor(r.int8(2)?) } else { PatientGrain::Clinic };
            acc.accum_patients(&PatientsFact {
                clinic_id: id(r, 0)?,
                grain,
                first_visit_position: index(r, 3)?,
                patients: count(r, 4)?,
            })?
        }
        QueryKind::Tickets => acc.accum_invoice(&invoice_fact(r)?)?,
        QueryKind::Schedules => acc.accum_schedule(&DoctorScheduleRow {
            clinic_id: id(r, 0)?,
            doctor_id: id(r, 1)?,
            weekday: weekday(r, 2)?,
            starts: time(r, 3)?,
            ends: time(r, 4)?,
        })?,
        QueryKind::OpeningHours => acc.accum_opening_hours(&ClinicHoursRow {
            clinic_id: id(r, 0)?,
            weekday: weekday(r, 1)?,
            opens: time(r, 2)?,
            closes: time(r, 3)?,
        })?,
        QueryKind::Rooms => {
            acc.accum_rooms(&RoomsFact { clinic_id: id(r, 0)?, active: need(r.boolean(1)?, 1)?, rooms: count(r, 2)? })?
        }
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
            clinic_id: id(r, 0)?,
            doctor_id: r.int8(1)?,
            payments: count(r, 2)?,
            amount: money(r, 3)?,
        })?,
        QueryKind::Materials => acc.accum_materials(&MaterialsFact {
            clinic_id: id(r, 0)?,
            doctor_id: r.int8(1)?,
            unknown_status: count(r, 2)?,
            materials: money(r, 3)?,
        })?,
        QueryKind::LabCosts => acc.accum_lab_cost(&lab_cost_fact(r)?)?,
        QueryKind::Expenses => acc.accum_expense(&ExpenseFact {
            clinic_id: id(r, 0)?,
            category: text(r, 1)?,
            expenses: count(r, 2)?,
            amount: money(r, 3)?,
        })?,
        QueryKind::Payroll => {
            acc.accum_payroll(&PayrollFact { clinic_id: id(r, 0)?, entries: count(r, 1)?, gross: money(r, 2)? })?
        }
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
    let pos = |column: usize, v: i32| DatePos::from_index(v).ok_or(RowError::Parse { column, value: v.to_string() });
    acc.accum_case(&LabCaseFact {
        clinic_id: id(r, 0)?,
        vendor: text(r, 1)?,
        status: LabStatus::from_db(&text(r, 2)?),
        sent: pos(3, need(r.int4(3)?, 3)?)?,
        received: r.int4(4)?.map(|v| pos(4, v)).transpose()?,
        due_before_to: need(r.boolean(5)?, 5)?,
        received_before_sent: need(r.boolean(6)?, 6)?,
        cases: count(r, 7)?,
        cost: money(r, 8)?,
        turnaround_days: need(r.int8(9)?, 9)?,
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
            clinic_id: id(r, 0)?,
            role: UserRole::from_db(&text(r, 1)?),
            active: user_active(&text(r, 2)?),
            hired_by_to: need(r.boolean(3)?, 3)?,
            users: count(r, 4)?,
        })?,
        QueryKind::Attendance => acc.accum_attendance(&AttendanceFact {
            clinic_id: id(r, 0)?,
            status: AttendanceStatus::from_db(&text(r, 1)?),
            today: need(r.boolean(2)?, 2)?,
            late: need(r.boolean(3)?, 3)?,
            days: count(r, 4)?,
        })?,
        QueryKind::Payroll => {
            acc.accum_payroll(&PayrollFact { clinic_id: id(r, 0)?, entries: count(r, 1)?, gross: money(r, 2)? })?
        }
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
            clinic_id: id(r, 0)?,
            doctor_id: r.int8(1)?,
            status: PlanStatus::from_db(&text(r, 2)?),
            plans: count(r, 3)?,
        })?,
        QueryKind::PlanFees => acc.accum_plan_fees(&PlanFeesFact {
            clinic_id: id(r, 0)?,
            doctor_id: r.int8(1)?,
            plan_status: PlanStatus::from_db(&text(r, 2)?),
            procedure_status: ProcedureStatus::from_db(&text(r, 3)?),
            procedures: count(r, 4)?,
            fees: money(r, 5)?,
        })?,
        QueryKind::Quotations => acc.accum_quotation(&QuotationFact {
            clinic_id: id(r, 0)?,
            doctor_id: r.int8(1)?,
            status: QuotationStatus::from_db(&text(r, 2)?),
            quotations: count(r, 3)?,
        })?,
        QueryKind::ProcedureLines => acc.accum_procedure_line(&ProcedureLineFact {
            clinic_id: id(r, 0)?,
            doctor_id: r.int8(1)?,
            status: InvoiceStatus::from_db(&text(r, 2)?),
            procedure_code: text(r, 3)?,
            qty: need(r.int8(4)?, 4)?,
            revenue: money(r, 5)?,
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
    let first_visit =
        r.int4(1)?.map(|v| u32::try_from(v).map_err(|_| RowError::Parse { column: 1, value: v.to_string() }));
    let recall = r.int4(6)?.map(|v| DatePos::from_index(v).ok_or(RowError::Parse { column: 6, value: v.to_string() }));
    let dormant = match r.int8(9)? {
        None => None,
        Some(patient_id) => {
            let day = text(r, 10)?;
            let last_visit_on = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|_| RowError::Parse { column: 10, value: day })?;
            Some(DormantPatient { patient_id, lifetime_billed: money(r, 11)?, last_visit_on })
        }
    };
    acc.accum_patient(&PatientFact {
        clinic_id: id(r, 0)?,
        first_visit: first_visit.transpose()?,
        seen_in_range: need(r.boolean(2)?, 2)?,
        seen_in_window: need(r.boolean(3)?, 3)?,
        last_visit_before_churn_cut: need(r.boolean(4)?, 4)?,
        booked_after_to: need(r.boolean(5)?, 5)?,
        lapsed_at_start: need(r.boolean(12)?, 12)?,
        recall: recall.transpose()?,
        recall_before_to: need(r.boolean(7)?, 7)?,
        visited_since_recall: need(r.boolean(8)?, 8)?,
        patients: count(r, 13)?,
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
        clinic_id: id(r, 0)?,
        sku: text(r, 1)?,
        unit_cost: money(r, 2)?,
        qty_on_hand: money(r, 3)?,
        moved_after: money(r, 4)?,
        reorder_level: money(r, 5)?,
        expires_in_days: r.int4(6)?,
        consumed: money(r, 7)?,
        unknown_kind_movements: count(r, 8)?,
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
