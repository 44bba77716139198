//! The `{ totals, groups }` shape every domain returns.

use crate::error::Result;
use crate::frame::{DoctorKey, Frame};
use crate::scope::GroupBy;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A domain report: totals over the whole scope, and one row per group with
/// the same fields. Totals are finished from merged facts, never from rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report<M> {
    /// First day of the range.
    pub from: NaiveDate,
    /// Last day of the range; balances are as of its end.
    pub to: NaiveDate,
    /// The grouping of `groups`.
    pub group_by: GroupBy,
    /// The clinics of the scope, ascending.
    pub clinic_ids: Vec<i64>,
    /// The whole scope.
    pub totals: M,
    /// One row per clinic (or per clinic and doctor); empty for `none`.
    pub groups: Vec<GroupRow<M>>,
}

/// One group of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow<M> {
    /// The clinic.
    pub clinic_id: i64,
    /// The doctor when grouping by doctor (`null` for rows with no doctor, and
    /// always `null` when grouping by clinic).
    pub doctor_id: Option<i64>,
    /// The group's metrics.
    #[serde(flatten)]
    pub metrics: M,
}

impl<M> Report<M> {
    /// The row of a clinic (clinic grouping).
    pub fn clinic_row(&self, clinic_id: i64) -> Option<&M> {
        self.groups.iter().find(|g| g.clinic_id == clinic_id && g.doctor_id.is_none()).map(|g| &g.metrics)
    }
}

/// Assembles a report from per-clinic and per-doctor finished facts.
pub(crate) fn assemble<'a, F: 'a, M>(
    frame: &Frame,
    totals: M,
    clinics: impl Iterator<Item = &'a F>,
    doctors: Vec<(DoctorKey, &'a F)>,
    mut finish: impl FnMut(&F) -> Result<M>,
) -> Result<Report<M>> {
    let scope = frame.scope();
    let groups = match scope.group_by() {
        GroupBy::None => Vec::new(),
        GroupBy::Clinic => scope
            .clinic_ids()
            .iter()
            .zip(clinics)
            .map(|(&clinic_id, f)| Ok(GroupRow { clinic_id, doctor_id: None, metrics: finish(f)? }))
            .collect::<Result<_>>()?,
        GroupBy::Doctor => doctors
            .into_iter()
            .map(|((clinic_id, doctor_id), f)| Ok(GroupRow { clinic_id, doctor_id, metrics: finish(f)? }))
            .collect::<Result<_>>()?,
    };
    Ok(Report {
        from: scope.from(),
        to: scope.to(),
        group_by: scope.group_by(),
        clinic_ids: scope.clinic_ids().to_vec(),
        totals,
        groups,
    })
}
