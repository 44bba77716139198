//! Set-returning forms for SQL users who join and filter: one row per branch
//! (`odx_<domain>_by_branch`; `odx_network_overview_rows` adds the network's
//! row after them), money and rates as `numeric` (NULL when a rate has no
//! data).

use crate::table::TableIterator;
use crate::{count, numeric, scope, Computed, Result};
use odx_core::{GroupBy, MetricScope};
use odx_sql::DomainAcc;
use pgrx::prelude::*;
use pgrx::AnyNumeric;

fn opt(d: Option<rust_decimal::Decimal>) -> Result<Option<AnyNumeric>> {
    d.map(numeric).transpose()
}

/// What was computed, or `None` (with a WARNING naming what is missing)
/// when `what` is degraded: the table forms then return no rows instead of
/// failing.
fn or_warn<R>(what: &str, computed: Computed<R>) -> Option<R> {
    match computed {
        Computed::Report(r) => Some(r),
        Computed::Degraded(missing) => {
            pgrx::warning!("odx: {what} is degraded, missing {}", missing.join(", "));
            None
        }
    }
}

/// The report of a branch-grouped scope, or `None` when the domain is
/// degraded ([`or_warn`]).
fn branch_report<A: DomainAcc>(scope: &MetricScope) -> Result<Option<A::Report>> {
    Ok(or_warn(A::DOMAIN.as_str(), crate::compute::<A>(scope)?))
}

/// The branch-grouped scope of a table form's arguments.
fn branches(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    as_of: TimestampWithTimeZone,
) -> Result<MetricScope> {
    scope(clinic_ids, from_date, to_date, GroupBy::Clinic.as_str(), as_of)
}

/// A branch as its row names it: id, name, city.
struct Branch {
    id: i64,
    name: String,
    city: String,
}

/// One row per branch of a domain's report, each made by `row` from the
/// branch (id, name, city) and its metrics; no rows when the domain is
/// degraded.
fn branch_rows<A, M, T>(scope: MetricScope, row: impl Fn(Branch, M) -> Result<T>) -> Result<TableIterator<T>>
where
    A: DomainAcc<Report = odx_core::Report<M>>,
    T: 'static,
{
    let rows = match branch_report::<A>(&scope)? {
        Some(report) => report
            .groups
            .into_iter()
            .map(|g| row(Branch { id: g.clinic_id, name: g.branch_name, city: g.city }, g.metrics))
            .collect::<Result<Vec<T>>>()?,
        None => Vec::new(),
    };
    Ok(TableIterator::new(rows))
}

/// One row per branch of the financial report (see `odx_financial`).
#[pg_extern(stable, parallel_safe, name = "odx_financial_by_branch")]
pub fn odx_financial_by_branch_at(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<
    TableIterator<(
        name!(clinic_id, i64),
        name!(branch_name, String),
        name!(city, String),
        name!(billed, AnyNumeric),
        name!(invoice_count, i64),
        name!(avg_ticket, Option<AnyNumeric>),
        name!(collected, AnyNumeric),
        name!(collection_rate, Option<AnyNumeric>),
        name!(outstanding, AnyNumeric),
        name!(outstanding_self, AnyNumeric),
        name!(outstanding_insurance, AnyNumeric),
        name!(credits, AnyNumeric),
        name!(ar_0_30, AnyNumeric),
        name!(ar_31_60, AnyNumeric),
        name!(ar_61_90, AnyNumeric),
        name!(ar_90_plus, AnyNumeric),
        name!(direct_cost, AnyNumeric),
        name!(gross_profit, AnyNumeric),
        name!(margin, Option<AnyNumeric>),
    )>,
> {
    branch_rows::<odx_core::FinancialAcc, _, _>(branches(clinic_ids, from_date, to_date, as_of)?, |b, m| {
        Ok((
            b.id,
            b.name,
            b.city,
            numeric(m.billed)?,
            count(m.invoice_count),
            opt(m.avg_ticket)?,
            numeric(m.collected)?,
            opt(m.collection_rate)?,
            numeric(m.outstanding)?,
            numeric(m.outstanding_by_payer.self_pay)?,
            numeric(m.outstanding_by_payer.insurance)?,
            numeric(m.credits)?,
            numeric(m.ar_aging.days_0_30)?,
            numeric(m.ar_aging.days_31_60)?,
            numeric(m.ar_aging.days_61_90)?,
            numeric(m.ar_aging.over_90)?,
            numeric(m.direct_cost)?,
            numeric(m.gross_profit)?,
            opt(m.margin)?,
        ))
    })
}

/// One row per branch of the operations report (see `odx_operations`).
#[pg_extern(stable, parallel_safe, name = "odx_operations_by_branch")]
pub fn odx_operations_by_branch_at(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<
    TableIterator<(
        name!(clinic_id, i64),
        name!(branch_name, String),
        name!(city, String),
        name!(appointments, i64),
        name!(booked, i64),
        name!(arrived, i64),
        name!(completed, i64),
        name!(cancelled, i64),
        name!(no_show, i64),
        name!(missed, i64),
        name!(scheduled, i64),
        name!(no_show_rate, Option<AnyNumeric>),
        name!(cancel_rate, Option<AnyNumeric>),
        name!(arrival_rate, Option<AnyNumeric>),
        name!(completion_rate, Option<AnyNumeric>),
        name!(no_show_bleed, Option<AnyNumeric>),
        name!(new_patients, i64),
        name!(returning_patients, i64),
        name!(doctor_utilization, Option<AnyNumeric>),
        name!(chair_utilization, Option<AnyNumeric>),
    )>,
> {
    branch_rows::<odx_core::OperationsAcc, _, _>(branches(clinic_ids, from_date, to_date, as_of)?, |b, m| {
        let a = &m.appointments;
        Ok((
            b.id,
            b.name,
            b.city,
            count(a.total),
            count(a.booked),
            count(a.arrived),
            count(a.completed),
            count(a.cancelled),
            count(a.no_show),
            count(a.missed),
            count(m.scheduled),
            opt(m.no_show_rate)?,
            opt(m.cancel_rate)?,
            opt(m.arrival_rate)?,
            opt(m.completion_rate)?,
            opt(m.no_show_bleed)?,
            count(m.new_patients),
            count(m.returning_patients),
            opt(m.doctor_utilization)?,
            opt(m.chair_utilization)?,
        ))
    })
}

/// One row per branch of the accounting report (see `odx_accounting`).
#[pg_extern(stable, parallel_safe)]
pub fn odx_accounting_by_branch(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<
    TableIterator<(
        name!(clinic_id, i64),
        name!(branch_name, String),
        name!(city, String),
        name!(receipts, AnyNumeric),
        name!(materials_cost, AnyNumeric),
        name!(lab_cost, AnyNumeric),
        name!(direct_cost, AnyNumeric),
        name!(opex, AnyNumeric),
        name!(payroll, AnyNumeric),
        name!(total_costs, AnyNumeric),
        name!(net_profit, AnyNumeric),
        name!(expense_ratio, Option<AnyNumeric>),
    )>,
> {
    branch_rows::<odx_core::AccountingAcc, _, _>(branches(clinic_ids, from_date, to_date, as_of)?, |b, m| {
        Ok((
            b.id,
            b.name,
            b.city,
            numeric(m.receipts)?,
            numeric(m.materials_cost)?,
            numeric(m.lab_cost)?,
            numeric(m.direct_cost)?,
            numeric(m.opex)?,
            numeric(m.payroll)?,
            numeric(m.total_costs)?,
            numeric(m.net_profit)?,
            opt(m.expense_ratio)?,
        ))
    })
}

/// One row per branch of the lab report (see `odx_lab`), over every vendor.
#[pg_extern(stable, parallel_safe)]
pub fn odx_lab_by_branch(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<
    TableIterator<(
        name!(clinic_id, i64),
        name!(branch_name, String),
        name!(city, String),
        name!(open_cases, i64),
        name!(overdue_cases, i64),
        name!(overdue_share, Option<AnyNumeric>),
        name!(cases_sent, i64),
        name!(lab_cost, AnyNumeric),
        name!(cases_received, i64),
        name!(avg_turnaround_days, Option<AnyNumeric>),
    )>,
> {
    branch_rows::<odx_core::LabAcc, _, _>(branches(clinic_ids, from_date, to_date, as_of)?, |b, m| {
        let m = m.figures;
        Ok((
            b.id,
            b.name,
            b.city,
            count(m.open_cases),
            count(m.overdue_cases),
            opt(m.overdue_share)?,
            count(m.cases_sent),
            numeric(m.lab_cost)?,
            count(m.cases_received),
            opt(m.avg_turnaround_days)?,
        ))
    })
}

/// One row per branch of the staff report (see `odx_staff`), without the
/// per-role headcount (that list is in `odx_staff`).
#[pg_extern(stable, parallel_safe)]
pub fn odx_staff_by_branch(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<
    TableIterator<(
        name!(clinic_id, i64),
        name!(branch_name, String),
        name!(city, String),
        name!(headcount, i64),
        name!(present_days, i64),
        name!(absent_days, i64),
        name!(leave_days, i64),
        name!(off_days, i64),
        name!(attendance_rate, Option<AnyNumeric>),
        name!(absenteeism_rate, Option<AnyNumeric>),
        name!(late_arrivals, i64),
        name!(present_today, i64),
        name!(on_leave_today, i64),
        name!(payroll_cost, AnyNumeric),
        name!(payroll_entries, i64),
        name!(billed, AnyNumeric),
        name!(revenue_per_staff, Option<AnyNumeric>),
    )>,
> {
    branch_rows::<odx_core::StaffAcc, _, _>(branches(clinic_ids, from_date, to_date, as_of)?, |b, m| {
        Ok((
            b.id,
            b.name,
            b.city,
            count(m.headcount),
            count(m.present_days),
            count(m.absent_days),
            count(m.leave_days),
            count(m.off_days),
            opt(m.attendance_rate)?,
            opt(m.absenteeism_rate)?,
            count(m.late_arrivals),
            count(m.present_today),
            count(m.on_leave_today),
            numeric(m.payroll_cost)?,
            count(m.payroll_entries),
            numeric(m.billed)?,
            opt(m.revenue_per_staff)?,
        ))
    })
}

/// One row per branch of the clinical report (see `odx_clinical`), without
/// its lists (per-doctor acceptance, top procedures: those are in `odx_clinical`).
#[pg_extern(stable, parallel_safe)]
pub fn odx_clinical_by_branch(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<
    TableIterator<(
        name!(clinic_id, i64),
        name!(branch_name, String),
        name!(city, String),
        name!(plans_created, i64),
        name!(plans_accepted, i64),
        name!(acceptance_rate, Option<AnyNumeric>),
        name!(pipeline_value, AnyNumeric),
        name!(plan_value, AnyNumeric),
        name!(avg_plan_value, Option<AnyNumeric>),
        name!(accepted_value, AnyNumeric),
        name!(completed_value, AnyNumeric),
        name!(completion_rate, Option<AnyNumeric>),
        name!(quotation_conversion, Option<AnyNumeric>),
    )>,
> {
    branch_rows::<odx_core::ClinicalAcc, _, _>(branches(clinic_ids, from_date, to_date, as_of)?, |b, m| {
        Ok((
            b.id,
            b.name,
            b.city,
            count(m.plans_created),
            count(m.plans_accepted),
            opt(m.acceptance_rate)?,
            numeric(m.pipeline_value)?,
            numeric(m.plan_value)?,
            opt(m.avg_plan_value)?,
            numeric(m.accepted_value)?,
            numeric(m.completed_value)?,
            opt(m.completion_rate)?,
            opt(m.quotation_conversion)?,
        ))
    })
}

/// One row per branch of the patients report (see `odx_patients`), without
/// the at-risk list (that is in `odx_patients`).
#[pg_extern(stable, parallel_safe)]
pub fn odx_patients_by_branch(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    active_window_months: default!(i32, 18),
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<
    TableIterator<(
        name!(clinic_id, i64),
        name!(branch_name, String),
        name!(city, String),
        name!(patients_on_file, i64),
        name!(active_patients, i64),
        name!(new_patients, i64),
        name!(returning_patients, i64),
        name!(returning_share, Option<AnyNumeric>),
        name!(recall_due, i64),
        name!(recall_overdue, i64),
        name!(churn_risk, i64),
    )>,
> {
    let scope = crate::with_window(branches(clinic_ids, from_date, to_date, as_of)?, active_window_months)?;
    branch_rows::<odx_core::PatientsAcc, _, _>(scope, |b, m| {
        Ok((
            b.id,
            b.name,
            b.city,
            count(m.patients_on_file),
            count(m.active_patients),
            count(m.new_patients),
            count(m.returning_patients),
            opt(m.returning_share)?,
            count(m.recall_due),
            count(m.recall_overdue),
            count(m.churn_risk),
        ))
    })
}

/// One row per branch of the inventory report (see `odx_inventory`), without
/// its lists (reorder items, rebalance: those are in `odx_inventory`).
#[pg_extern(stable, parallel_safe)]
pub fn odx_inventory_by_branch(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
    as_of: default!(TimestampWithTimeZone, "now()"),
) -> Result<
    TableIterator<(
        name!(clinic_id, i64),
        name!(branch_name, String),
        name!(city, String),
        name!(items, i64),
        name!(skus, i64),
        name!(stock_value, AnyNumeric),
        name!(out_of_stock, i64),
        name!(low_stock, i64),
        name!(expiring, i64),
        name!(expiring_value, AnyNumeric),
        name!(expired, i64),
        name!(expired_value, AnyNumeric),
        name!(daily_consumption_value, AnyNumeric),
        name!(days_of_cover, Option<AnyNumeric>),
        name!(reorder_needed, i64),
    )>,
> {
    branch_rows::<odx_core::InventoryAcc, _, _>(branches(clinic_ids, from_date, to_date, as_of)?, |b, m| {
        Ok((
            b.id,
            b.name,
            b.city,
            count(m.items),
            count(m.skus),
            numeric(m.stock_value)?,
            count(m.out_of_stock),
            count(m.low_stock),
            count(m.expiring),
            numeric(m.expiring_value)?,
            count(m.expired),
            numeric(m.expired_value)?,
            numeric(m.daily_consumption_value)?,
            opt(m.days_of_cover)?,
            count(m.reorder_needed),
        ))
    })
}

/// `odx_financial_by_branch` as 0.1.x declared it (no `as_of`): what a
/// database still on 0.1.x calls once the new library is installed, until
/// `ALTER EXTENSION odx UPDATE`. Read as of the transaction's timestamp, the
/// new default.
#[pg_extern(stable, parallel_safe, sql = false)]
pub fn odx_financial_by_branch(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
) -> Result<
    TableIterator<(
        name!(clinic_id, i64),
        name!(billed, AnyNumeric),
        name!(invoice_count, i64),
        name!(avg_ticket, Option<AnyNumeric>),
        name!(collected, AnyNumeric),
        name!(collection_rate, Option<AnyNumeric>),
        name!(outstanding, AnyNumeric),
        name!(outstanding_self, AnyNumeric),
        name!(outstanding_insurance, AnyNumeric),
        name!(credits, AnyNumeric),
        name!(ar_0_30, AnyNumeric),
        name!(ar_31_60, AnyNumeric),
        name!(ar_61_90, AnyNumeric),
        name!(ar_90_plus, AnyNumeric),
        name!(direct_cost, AnyNumeric),
        name!(gross_profit, AnyNumeric),
        name!(margin, Option<AnyNumeric>),
    )>,
> {
    let rows = odx_financial_by_branch_at(clinic_ids, from_date, to_date, crate::transaction_timestamp()?)?;
    // 0.1.x's columns: without the branch's name and city
    Ok(TableIterator::new(rows.map(
        |(id, _, _, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15)| {
            (id, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15)
        },
    )))
}

/// `odx_operations_by_branch` as 0.1.x declared it (no `as_of`): what a
/// database still on 0.1.x calls once the new library is installed, until
/// `ALTER EXTENSION odx UPDATE`. Read as of the transaction's timestamp, the
/// new default.
#[pg_extern(stable, parallel_safe, sql = false)]
pub fn odx_operations_by_branch(
    clinic_ids: Array<i64>,
    from_date: pgrx::datum::Date,
    to_date: pgrx::datum::Date,
) -> Result<
    TableIterator<(
        name!(clinic_id, i64),
        name!(appointments, i64),
        name!(booked, i64),
        name!(arrived, i64),
        name!(completed, i64),
        name!(cancelled, i64),
        name!(no_show, i64),
        name!(missed, i64),
        name!(scheduled, i64),
        name!(no_show_rate, Option<AnyNumeric>),
        name!(cancel_rate, Option<AnyNumeric>),
        name!(arrival_rate, Option<AnyNumeric>),
        name!(completion_rate, Option<AnyNumeric>),
        name!(no_show_bleed, Option<AnyNumeric>),
        name!(new_patients, i64),
        name!(returning_patients, i64),
        name!(doctor_utilization, Option<AnyNumeric>),
        name!(chair_utilization, Option<AnyNumeric>),
    )>,
> {
    let rows = odx_operations_by_branch_at(clinic_ids, from_date, to_date, crate::transaction_timestamp()?)?;
    // 0.1.x's columns: without the branch's name and city
    Ok(TableIterator::new(rows.map(
        |(id, _, _, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16)| {
            (id, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16)
        },
    )))
}

/// The Network Hub's overview of an organization on one day as rows (see
/// `odx_network_overview`): one per branch, ascending, then the network's
/// (its `clinic_id`, `branch_name`, `city` and `active` NULL; its rate
/// from the merged counts, never an average of the branches'). No rows
/// when the overview is degraded. Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
pub fn odx_network_overview_rows(
    organization_id: i64,
    day: pgrx::datum::Date,
) -> Result<
    TableIterator<(
        name!(clinic_id, Option<i64>),
        name!(branch_name, Option<String>),
        name!(city, Option<String>),
        name!(active, Option<bool>),
        name!(appointments, i64),
        name!(billed, AnyNumeric),
        name!(no_show_rate, Option<AnyNumeric>),
    )>,
> {
    let day = crate::date(day, "day")?;
    let computed = crate::read!(network_overview, organization_id, None, None, day)?;
    let Some(overview) = or_warn("the network overview", computed) else {
        return Ok(TableIterator::new(Vec::new()));
    };
    let mut rows = overview
        .branches
        .into_iter()
        .map(|b| {
            Ok((
                Some(b.clinic_id),
                Some(b.branch_name),
                Some(b.city),
                Some(b.active),
                count(b.appointments),
                numeric(b.billed)?,
                opt(b.no_show_rate)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    rows.push((
        None,
        None,
        None,
        None,
        count(overview.appointments),
        numeric(overview.billed)?,
        opt(overview.no_show_rate)?,
    ));
    Ok(TableIterator::new(rows))
}
