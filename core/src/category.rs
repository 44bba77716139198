//! The status and kind columns of the schema as closed enums.
//!
//! A value outside the listed ones is bad data: it parses to the `Unknown`
//! variant, is kept out of every KPI that depends on the category, and is
//! counted in the report's `data_quality` block so that it can be fixed at
//! the source. Parsing never fails and never panics.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! category {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
            /// Any value outside the schema's list (bad data).
            #[serde(other)]
            Unknown,
        }

        impl $name {
            /// Every listed value, in schema order (without `Unknown`).
            pub const LISTED: &'static [$name] = &[$($name::$variant),+];
            /// Number of variants including `Unknown`: the size of a per-category array.
            pub const COUNT: usize = [$($text),+].len() + 1;

            /// Parses the column text; anything not listed is `Unknown`.
            pub fn from_db(text: &str) -> $name {
                match text {
                    $( $text => $name::$variant, )+
                    _ => $name::Unknown,
                }
            }

            /// The column text (`unknown` for `Unknown`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Unknown => "unknown",
                }
            }

            /// Position in a per-category array (`Unknown` is last).
            #[inline]
            pub fn index(self) -> usize {
                self as usize
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name::from_db(text)
            }
        }
    };
}

category! {
    /// `invoices.status`.
    InvoiceStatus {
        /// Not yet issued: never billed.
        Draft = "draft",
        /// Issued, nothing paid.
        Issued = "issued",
        /// Issued, partly paid.
        PartiallyPaid = "partially_paid",
        /// Issued, fully paid.
        Paid = "paid",
        /// Cancelled: never billed.
        Void = "void",
    }
}

impl InvoiceStatus {
    /// Whether an invoice of this status counts as billed: every listed
    /// status except `draft` and `void`.
    #[inline]
    pub fn is_billed(self) -> bool {
        matches!(self, InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid | InvoiceStatus::Paid)
    }
}

category! {
    /// `invoices.payer`.
    Payer {
        /// The patient pays.
        SelfPay = "self",
        /// An insurer pays.
        Insurance = "insurance",
    }
}

category! {
    /// `payments.method`.
    PaymentMethod {
        /// Cash.
        Cash = "cash",
        /// Card.
        Card = "card",
        /// Bank transfer.
        BankTransfer = "bank_transfer",
        /// Insurance settlement.
        Insurance = "insurance",
        /// Mobile wallet.
        Wallet = "wallet",
    }
}

category! {
    /// `lab_cases.status`.
    LabStatus {
        /// Sent to the lab, not back yet.
        Sent = "sent",
        /// Back from the lab.
        Received = "received",
        /// Cancelled: costs nothing.
        Cancelled = "cancelled",
    }
}

category! {
    /// `appointments.status`.
    AppointmentStatus {
        /// Booked and not resolved yet.
        Booked = "booked",
        /// The patient arrived.
        Arrived = "arrived",
        /// The visit happened.
        Completed = "completed",
        /// Cancelled before the visit.
        Cancelled = "cancelled",
        /// The patient did not come.
        NoShow = "no_show",
    }
}

impl AppointmentStatus {
    /// Whether an appointment of this status is on the books (booked,
    /// arrived, completed or no-show): every listed status but `cancelled`.
    /// The operations report's `scheduled` counts these
    /// ([`crate::operations::AppointmentCounts::scheduled`]).
    #[inline]
    pub fn is_scheduled(self) -> bool {
        matches!(
            self,
            AppointmentStatus::Booked
                | AppointmentStatus::Arrived
                | AppointmentStatus::Completed
                | AppointmentStatus::NoShow
        )
    }
}

category! {
    /// `users.role`.
    UserRole {
        /// Runs the branch.
        ClinicAdmin = "clinic_admin",
        /// A dentist.
        Doctor = "doctor",
        /// Front desk.
        Receptionist = "receptionist",
        /// Hygienist.
        Hygienist = "hygienist",
        /// Dental assistant.
        Assistant = "assistant",
        /// Anyone else.
        Other = "other",
    }
}

category! {
    /// `attendance_days.status`.
    AttendanceStatus {
        /// At work (possibly late).
        Present = "present",
        /// Expected and not at work.
        Absent = "absent",
        /// On approved leave.
        Leave = "leave",
        /// A day off.
        Off = "off",
    }
}

category! {
    /// `treatment_plans.status`.
    PlanStatus {
        /// Being written: not a plan yet.
        Draft = "draft",
        /// Presented to the patient.
        Proposed = "proposed",
        /// The patient accepted it.
        Accepted = "accepted",
        /// Treatment under way.
        InProgress = "in_progress",
        /// Every procedure done.
        Completed = "completed",
        /// The patient declined it.
        Rejected = "rejected",
    }
}

impl PlanStatus {
    /// Whether the patient accepted the plan (accepted, in progress or completed).
    #[inline]
    pub fn is_accepted(self) -> bool {
        matches!(self, PlanStatus::Accepted | PlanStatus::InProgress | PlanStatus::Completed)
    }

    /// Whether its planned procedures are pipeline (proposed, accepted or in progress).
    #[inline]
    pub fn is_pipeline(self) -> bool {
        matches!(self, PlanStatus::Proposed | PlanStatus::Accepted | PlanStatus::InProgress)
    }
}

category! {
    /// `treatment_plan_procedures.status`.
    ProcedureStatus {
        /// Still to do.
        Planned = "planned",
        /// Done.
        Completed = "completed",
        /// Dropped from the plan.
        Cancelled = "cancelled",
    }
}

category! {
    /// `inventory_movements.kind` (the quantity's sign says in or out).
    MovementKind {
        /// Stock bought in.
        Purchase = "purchase",
        /// Stock used up (negative quantity).
        Consumption = "consumption",
        /// Stock received from another branch.
        TransferIn = "transfer_in",
        /// Stock sent to another branch.
        TransferOut = "transfer_out",
        /// A count correction.
        Adjustment = "adjustment",
    }
}

category! {
    /// `quotations.status`.
    QuotationStatus {
        /// Not sent yet.
        Draft = "draft",
        /// Sent to the patient, no answer yet.
        Sent = "sent",
        /// Accepted.
        Accepted = "accepted",
        /// Rejected.
        Rejected = "rejected",
        /// Lapsed without an answer.
        Expired = "expired",
    }
}

/// A free-text label as reported (lab vendors, procedure codes): trimmed;
/// blank is `unspecified`.
pub fn label(text: &str) -> String {
    let v = text.trim();
    if v.is_empty() {
        "unspecified".to_owned()
    } else {
        v.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_values_round_trip_and_others_are_unknown() {
        for s in InvoiceStatus::LISTED {
            assert_eq!(InvoiceStatus::from_db(s.as_str()), *s);
        }
        assert_eq!(InvoiceStatus::from_db("refunded"), InvoiceStatus::Unknown);
        assert_eq!(InvoiceStatus::from_db("PAID"), InvoiceStatus::Unknown);
        assert_eq!(Payer::from_db("self"), Payer::SelfPay);
        assert_eq!(PaymentMethod::COUNT, 6);
        assert_eq!(AppointmentStatus::Unknown.index(), 5);
    }

    #[test]
    fn billed_excludes_draft_void_and_unknown() {
        let billed: Vec<_> = InvoiceStatus::LISTED.iter().filter(|s| s.is_billed()).collect();
        assert_eq!(billed, [&InvoiceStatus::Issued, &InvoiceStatus::PartiallyPaid, &InvoiceStatus::Paid]);
        assert!(!InvoiceStatus::Unknown.is_billed());
    }

    #[test]
    fn serde_uses_the_column_text() {
        assert_eq!(serde_json::to_string(&PaymentMethod::BankTransfer).unwrap(), "\"bank_transfer\"");
        let m: PaymentMethod = serde_json::from_str("\"crypto\"").unwrap();
        assert_eq!(m, PaymentMethod::Unknown);
    }
}
