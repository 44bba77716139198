//! The domain registry: every domain (console module) once, in
//! [`domains!`](crate::domains!). The `Domain` enum, core's domain modules and re-exports,
//! and every surface's per-domain entry points (the SQL functions, the Node
//! functions and `Engine` methods, the statement sets, the CLI tables) are
//! generated from this one list. A new domain is its core file
//! (`core/src/<domain>.rs`), its statements (`sql/src/<domain>.rs`) and one
//! line here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Calls `$then! { [$($extra)*] <the registry> }`: one entry per domain,
/// `#[doc = "..."] Variant module Accumulator Metrics Report [+ argument];` (the
/// module is the name of the domain's file in core and in odx-sql, of its
/// SQL function and of its Node function; the argument, if any, is the
/// scope argument the domain reads beyond clinics, dates and grouping, by
/// its SQL name). The docs are `#[doc = "..."]` (plain string literals,
/// which napi-rs reads into `index.d.ts` as they are).
///
/// ```
/// macro_rules! names {
///     ([] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
///         [$(stringify!($module)),*]
///     };
/// }
/// assert_eq!(odx_core::domains!(names)[3], "lab");
/// ```
#[macro_export]
macro_rules! domains {
    ($head:tt $(:: $then:ident)* $(, $($extra:tt)*)?) => {
        $head $(:: $then)*! {
            [$($($extra)*)?]
            #[doc = "The financial report: billed, collected, the collection rate, AR (by payer and aging bucket, as of the end of the range), payment mix, direct cost, gross profit and margin, and the billing trend."]
            Financial financial FinancialAcc FinancialMetrics FinancialReport;
            #[doc = "The operations report: appointments by status, no-show, cancel, arrival and completion rates, the no-show bleed, new and returning patients, doctor and chair utilization."]
            Operations operations OperationsAcc OperationsMetrics OperationsReport;
            #[doc = "The accounting report (cash-basis P&L): receipts, direct cost, opex by category, payroll, net profit, expense ratio."]
            Accounting accounting AccountingAcc AccountingMetrics AccountingReport;
            #[doc = "The lab report: open and overdue cases, turnaround, cost, per vendor."]
            Lab lab LabAcc LabMetrics LabReport;
            #[doc = "The staff report: headcount by role, attendance and absenteeism, late arrivals, present and on leave, payroll, revenue per staff."]
            Staff staff StaffAcc StaffMetrics StaffReport;
            #[doc = "The clinical report: treatment plans and their acceptance (also per doctor), pipeline, completion, quotation conversion, top procedures billed."]
            Clinical clinical ClinicalAcc ClinicalMetrics ClinicalReport;
            #[doc = "The patients report: active (over the active window), new and returning, recall due and overdue, churn risk and the most valuable at-risk patients."]
            Patients patients PatientsAcc PatientsMetrics PatientsReport + active_window_months;
            #[doc = "The inventory report: stock, expiry, days of cover, reorder needs and cross-branch rebalance suggestions."]
            Inventory inventory InventoryAcc InventoryMetrics InventoryReport;
        }
    };
}

macro_rules! declare_domain {
    ([] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
        /// A domain (console module).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Domain {
            $($(#[$doc])* $variant,)*
        }

        /// How many domains there are.
        const COUNT: usize = [$(stringify!($variant)),*].len();

        impl Domain {
            /// Every domain, in the registry's order.
            pub const ALL: [Domain; COUNT] = [$(Domain::$variant),*];

            /// The module name used in reports (`financial`, `operations`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Domain::$variant => stringify!($module),)*
                }
            }
        }
    };
}
domains!(declare_domain);

impl Domain {
    /// The domain of a module name (`financial`, `operations`).
    pub fn parse(name: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.as_str() == name)
    }
}

/// `match domain { each => { type $acc = <its accumulator>; $body } }`:
/// code written once for every domain's accumulator type.
///
/// ```
/// use odx_core::{by_domain, Domain};
/// let name = by_domain!(Domain::Lab, A => std::any::type_name::<A>());
/// assert!(name.ends_with("LabAcc"));
/// ```
#[macro_export]
macro_rules! by_domain {
    ($domain:expr, $acc:ident => $body:expr) => {
        $crate::domains!($crate::__by_domain_arms, $domain, $acc, $body)
    };
}

/// The arms of [`by_domain!`] (not for direct use).
#[doc(hidden)]
#[macro_export]
macro_rules! __by_domain_arms {
    ([$domain:expr, $a:ident, $body:expr] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
        match $domain {
            $($crate::Domain::$variant => {
                type $a = $crate::$acc;
                $body
            })*
        }
    };
}
