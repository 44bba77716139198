//! The console functions: `odx_command`, the Command Center of an
//! organization. The organization's branches and targets are read here
//! (small tables); the domains run their set-based statements over every
//! branch at once; core rolls them up.

use crate::{compute, date, internal, report, spi, to_jsonb, Computed, Result, SpiRow};
use odx_core::command::{command_center, command_scopes, DomainReports};
use odx_core::targets::OpsTargetRow;
use odx_core::{AccountingAcc, FinancialAcc, LabAcc, MetricScope, OperationsAcc};
use odx_sql::{Row, OPS_TARGETS_SQL, ORG_CLINICS_SQL};
use pgrx::datum::DatumWithOid;
use pgrx::prelude::*;
use pgrx::JsonB;
use rust_decimal::Decimal;
use std::str::FromStr;

fn bad_row(what: &str) -> pgrx::pg_sys::panic::ErrorReport {
    internal(format!("odx: unreadable {what} row"))
}

fn org_clinics(organization_id: i64) -> Result<Vec<i64>> {
    Spi::connect(|client| {
        let mut ids = Vec::new();
        let args: [DatumWithOid; 1] = [organization_id.into()];
        for row in client.select(ORG_CLINICS_SQL, None, &args).map_err(spi)? {
            ids.push(SpiRow(&row).int8(0).ok().flatten().ok_or_else(|| bad_row("app.organization_clinics"))?);
        }
        Ok(ids)
    })
}

fn targets(organization_id: i64) -> Result<Vec<OpsTargetRow>> {
    Spi::connect(|client| {
        let mut rows = Vec::new();
        let args: [DatumWithOid; 1] = [organization_id.into()];
        for row in client.select(OPS_TARGETS_SQL, None, &args).map_err(spi)? {
            let r = SpiRow(&row);
            let text = |c| r.text(c).ok().flatten().ok_or_else(|| bad_row("app.ops_targets"));
            rows.push(OpsTargetRow {
                id: r.int8(0).ok().flatten().ok_or_else(|| bad_row("app.ops_targets"))?,
                organization_id: r.int8(1).ok().flatten().ok_or_else(|| bad_row("app.ops_targets"))?,
                clinic_id: r.int8(2).map_err(|_| bad_row("app.ops_targets"))?,
                metric: text(3)?,
                value: Decimal::from_str(&text(4)?).map_err(|_| bad_row("app.ops_targets"))?,
                period: text(5)?,
            });
        }
        Ok(rows)
    })
}

fn report_of<R>(computed: Computed<R>, missing: &mut Vec<String>) -> Option<R> {
    match computed {
        Computed::Report(r) => Some(r),
        Computed::Degraded(m) => {
            missing.extend(m);
            None
        }
    }
}

/// The four domain reports of a scope, or the relations they miss.
fn reports(scope: &MetricScope) -> Result<Computed<DomainReports>> {
    let mut missing = Vec::new();
    let financial = report_of(compute::<FinancialAcc>(scope)?, &mut missing);
    let operations = report_of(compute::<OperationsAcc>(scope)?, &mut missing);
    let accounting = report_of(compute::<AccountingAcc>(scope)?, &mut missing);
    let lab = report_of(compute::<LabAcc>(scope)?, &mut missing);
    Ok(match (financial, operations, accounting, lab) {
        (Some(financial), Some(operations), Some(accounting), Some(lab)) => {
            Computed::Report(DomainReports { financial, operations, accounting, lab })
        }
        _ => {
            missing.sort();
            missing.dedup();
            Computed::Degraded(missing)
        }
    })
}

/// The Command Center of an organization over `from_date..=to_date`: revenue
/// month to date against the network target, the range's collection rate,
/// no-show bleed and net profit, the alert strip of its targets and the
/// branch leaderboard. Every domain runs once over all the branches (twice
/// when the range is not the month to date of `to_date`). Since 0.2.0.
#[pg_extern(stable, parallel_safe)]
fn odx_command(organization_id: i64, from_date: pgrx::datum::Date, to_date: pgrx::datum::Date) -> Result<JsonB> {
    let (from, to) = (date(from_date, "from_date")?, date(to_date, "to_date")?);
    let (range, mtd) = command_scopes(org_clinics(organization_id)?, from, to).map_err(report)?;
    let range = reports(&range)?;
    let mtd = match mtd {
        Some(scope) => Some(reports(&scope)?),
        None => None,
    };
    let computed = match (range, mtd) {
        (Computed::Report(r), None) => {
            Computed::Report(command_center(&r, &r, &targets(organization_id)?).map_err(report)?)
        }
        (Computed::Report(r), Some(Computed::Report(m))) => {
            Computed::Report(command_center(&r, &m, &targets(organization_id)?).map_err(report)?)
        }
        (Computed::Degraded(missing), _) | (_, Some(Computed::Degraded(missing))) => Computed::Degraded(missing),
    };
    to_jsonb("command", computed)
}

extension_sql!(
    r#"
COMMENT ON FUNCTION odx_command(bigint, date, date) IS
'The Command Center of an organization over from_date..to_date, computed by odx-core: revenue_mtd (billed from the first of to_date''s month against the network revenue_monthly target prorated by elapsed days), billed, collected, collection_rate, no_show_rate, no_show_bleed, net_profit and expense_ratio of the range, the alerts of app.ops_targets judged on the month to date (warning within 10% of the target, critical beyond), every target''s evaluation, and the leaderboard of branches by billed with the worst no-show rate and the largest AR over 90 days flagged; { degraded, ... }. Since 0.2.0.';
"#,
    name = "command_comments",
    requires = [odx_command],
);
