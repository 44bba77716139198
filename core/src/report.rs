//! The `{ totals, groups }` shape every domain returns.

use crate::error::Result;
use crate::frame::{DoctorKey, Frame};
use crate::scope::GroupBy;
use chrono::{DateTime, NaiveDate, Utc};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A domain report: totals over the whole scope, and one row per group with
/// the same fields. Totals are finished from merged facts, never from rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Report<{M}>")]
pub struct Report<M> {
    /// First day of the range.
    pub from: NaiveDate,
    /// Last day of the range.
    pub to: NaiveDate,
    /// The instant every balance, "today", "missed" and "overdue" was read
    /// at, and where the range's facts stop: the earlier of the end of `to`
    /// (local midnight of `to + 1`) and the `now` of the call. For a period
    /// in progress it is `now`.
    #[schemars(with = "String")]
    pub as_of: DateTime<Utc>,
    /// The last local date the range's facts reach: `to` for a closed
    /// period, the date of `now` for one in progress (before `from` for a
    /// period wholly in the future, whose range figures are zero).
    pub as_of_date: NaiveDate,
    /// The grouping of `groups`.
    pub group_by: GroupBy,
    /// The clinics of the scope, ascending.
    pub clinic_ids: Vec<i64>,
    /// The whole scope.
    pub totals: M,
    /// One row per clinic (or per clinic and doctor); empty for `none`.
    pub groups: Vec<GroupRow<M>>,
    /// What the report did without (`app.table` or `app.table.column`):
    /// the figures that read it are left out (null, their parts zero) and
    /// every other figure is whole. A database without
    /// `appointments.room_id` or `rooms` gets an operations report without
    /// chair utilization. Empty when complete.
    pub missing: Vec<String>,
}

/// One group of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow<M> {
    /// The clinic.
    pub clinic_id: i64,
    /// The branch's name (`clinics.name`).
    pub branch_name: String,
    /// The branch's city.
    pub city: String,
    /// The doctor when grouping by doctor (`null` for rows with no doctor, and
    /// always `null` when grouping by clinic).
    pub doctor_id: Option<i64>,
    /// The doctor's name (`users.name`; `null` without a doctor or a known
    /// name).
    pub doctor_name: Option<String>,
    /// The group's metrics.
    #[serde(flatten)]
    pub metrics: M,
}

/// Whose row a [`GroupRow`] is (its schema: the row is the key and the
/// metrics side by side).
#[derive(JsonSchema)]
#[allow(dead_code)]
struct BranchKey {
    /// The branch (clinic id).
    clinic_id: i64,
    /// The branch's name (`clinics.name`).
    branch_name: String,
    /// The branch's city.
    city: String,
    /// The doctor when grouping by doctor (`null` for appointments or
    /// invoices with no doctor, and always `null` when grouping by clinic).
    doctor_id: Option<i64>,
    /// The doctor's name (`users.name`; `null` without a doctor or a known
    /// name).
    doctor_name: Option<String>,
}

/// `BranchKey & M`: the key and the metrics side by side (`flatten`).
impl<M: JsonSchema> JsonSchema for GroupRow<M> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("GroupRow<{}>", M::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({ "allOf": [generator.subschema_for::<BranchKey>(), generator.subschema_for::<M>()] })
    }
}

impl<M> Report<M> {
    /// The name and city of a clinic of the report (from its clinic row;
    /// blank when the report has none).
    pub fn branch_names(&self, clinic_id: i64) -> (String, String) {
        self.groups
            .iter()
            .find(|g| g.clinic_id == clinic_id)
            .map_or_else(Default::default, |g| (g.branch_name.clone(), g.city.clone()))
    }

    /// The row of a clinic (clinic grouping).
    pub fn clinic_row(&self, clinic_id: i64) -> Option<&M> {
        self.groups.iter().find(|g| g.clinic_id == clinic_id && g.doctor_id.is_none()).map(|g| &g.metrics)
    }
}

/// Lines inside a domain's metrics that point at a branch by id (the
/// inventory's reorder and transfer lines), named once the report is
/// assembled. Domains without such lines keep the default.
pub trait NamesBranches {
    /// Names the branches the lines point at (`names`: an id's name and
    /// city).
    fn name_branches(&mut self, _names: &dyn Fn(i64) -> (String, String)) {}
}

/// A group row named from the frame's directory.
fn row<M>(frame: &Frame, clinic_id: i64, doctor_id: Option<i64>, metrics: M) -> Result<GroupRow<M>> {
    let (name, city) = frame.names_at(frame.slot(clinic_id)?);
    Ok(GroupRow {
        clinic_id,
        branch_name: name.to_owned(),
        city: city.to_owned(),
        doctor_id,
        doctor_name: doctor_id.and_then(|d| frame.doctor_name(d)).map(str::to_owned),
        metrics,
    })
}

/// Assembles a report from per-clinic and per-doctor finished facts.
pub(crate) fn assemble<'a, F: 'a, M>(
    frame: &Frame,
    totals: M,
    clinics: impl Iterator<Item = &'a F>,
    doctors: Vec<(DoctorKey, &'a F)>,
    mut finish: impl FnMut(&F) -> Result<M>,
) -> Result<Report<M>>
where
    M: NamesBranches,
{
    let scope = frame.scope();
    let groups = match scope.group_by() {
        GroupBy::None => Vec::new(),
        GroupBy::Clinic => scope
            .clinic_ids()
            .iter()
            .zip(clinics)
            .map(|(&clinic_id, f)| row(frame, clinic_id, None, finish(f)?))
            .collect::<Result<_>>()?,
        GroupBy::Doctor => doctors
            .into_iter()
            .map(|((clinic_id, doctor_id), f)| row(frame, clinic_id, doctor_id, finish(f)?))
            .collect::<Result<_>>()?,
    };
    let names = |id: i64| {
        frame.slot(id).map_or_else(
            |_| Default::default(),
            |s| {
                let (name, city) = frame.names_at(s);
                (name.to_owned(), city.to_owned())
            },
        )
    };
    let mut totals = totals;
    totals.name_branches(&names);
    let mut groups: Vec<GroupRow<M>> = groups;
    for g in &mut groups {
        g.metrics.name_branches(&names);
    }
    Ok(Report {
        from: scope.from(),
        to: scope.to(),
        as_of: frame.as_of(),
        as_of_date: frame.as_of_date(),
        group_by: scope.group_by(),
        clinic_ids: scope.clinic_ids().to_vec(),
        totals,
        groups,
        missing: Vec::new(),
    })
}

/// A domain's accumulator over [`Grouped`] facts: the struct, its
/// constructors, `frame`, `combine`, `finish` (totals from the merged clinic
/// facts, never from group rates) and `each` (the clinic's facts and, when
/// grouping by doctor, the doctor's, for one fact).
macro_rules! accumulator {
    ($(#[$doc:meta])* $acc:ident, $facts:ty, $report:ty, $metrics:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $acc {
            frame: $crate::frame::Frame,
            groups: $crate::frame::Grouped<$facts>,
        }

        impl $acc {
            /// An empty accumulator for a scope.
            ///
            /// # Errors
            /// As [`Frame::new`](crate::Frame::new).
            pub fn new(
                scope: &$crate::scope::MetricScope,
                directory: &$crate::frame::ClinicDirectory,
            ) -> $crate::error::Result<Self> {
                Ok(Self::with_frame($crate::frame::Frame::new(scope, directory)?))
            }

            /// An empty accumulator on an existing frame.
            pub fn with_frame(frame: $crate::frame::Frame) -> Self {
                let groups = $crate::frame::Grouped::new(&frame, <$facts>::default());
                $acc { frame, groups }
            }

            /// The frame (scope, calendar, clocks).
            pub fn frame(&self) -> &$crate::frame::Frame {
                &self.frame
            }

            /// Adds another partial state of the same scope.
            ///
            /// # Errors
            /// [`OdxError::ScopeMismatch`](crate::OdxError::ScopeMismatch) when the
            /// scopes differ; [`OdxError::Overflow`](crate::OdxError::Overflow).
            pub fn combine(&mut self, other: &$acc) -> $crate::error::Result<()> {
                if !self.frame.same_as(&other.frame) {
                    return Err($crate::error::OdxError::ScopeMismatch);
                }
                self.groups.merge(&other.groups)
            }

            /// Finishes the report: totals from the merged facts of every clinic.
            ///
            /// # Errors
            /// [`OdxError::Overflow`](crate::OdxError::Overflow).
            pub fn finish(&self) -> $crate::error::Result<$report> {
                let mut all = <$facts>::default();
                for c in self.groups.clinic_facts() {
                    $crate::frame::Facts::merge(&mut all, c)?;
                }
                let totals = $metrics(&all)?;
                $crate::report::assemble(
                    &self.frame,
                    totals,
                    self.groups.clinic_facts(),
                    self.groups.doctor_rows(),
                    $metrics,
                )
            }

            /// Applies `add` to the clinic's facts and, when grouping by
            /// doctor, to the `(clinic, doctor)` row's.
            fn each(
                &mut self,
                clinic_id: i64,
                doctor_id: Option<i64>,
                mut add: impl FnMut(&mut $facts) -> $crate::error::Result<()>,
            ) -> $crate::error::Result<()> {
                let slot = self.frame.slot(clinic_id)?;
                let (clinic, doctor) = self.groups.slots(slot, clinic_id, doctor_id);
                add(clinic)?;
                doctor.map_or(Ok(()), add)
            }
        }
    };
}
pub(crate) use accumulator;
