//! The domains (console modules) every surface names the same way.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A domain (console module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// Financial.
    Financial,
    /// Appointments / operations.
    Operations,
    /// The cash-basis P&L.
    Accounting,
    /// Lab cases: open, overdue, turnaround, cost, per vendor.
    Lab,
    /// Staff: headcount, attendance, payroll, revenue per staff.
    Staff,
    /// Clinical: treatment plans, quotations, top procedures.
    Clinical,
    /// Patients: active, new and returning, recall, churn risk.
    Patients,
    /// Inventory: stock, expiry, cover, reorder, rebalance.
    Inventory,
}

impl Domain {
    /// Every domain.
    pub const ALL: [Domain; 8] = [
        Domain::Financial,
        Domain::Operations,
        Domain::Accounting,
        Domain::Lab,
        Domain::Staff,
        Domain::Clinical,
        Domain::Patients,
        Domain::Inventory,
    ];

    /// The domain of a module name (`financial`, `operations`).
    pub fn parse(name: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.as_str() == name)
    }

    /// The module name used in reports (`financial`, `operations`).
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Financial => "financial",
            Domain::Operations => "operations",
            Domain::Accounting => "accounting",
            Domain::Lab => "lab",
            Domain::Staff => "staff",
            Domain::Clinical => "clinical",
            Domain::Patients => "patients",
            Domain::Inventory => "inventory",
        }
    }
}
