//! The side-by-side benchmark's two sides and their comparison: the
//! extension's jsonb and the hand-written statements (`benches/sql/*.sql`)
//! must return the same numbers for every branch and the network before
//! either is timed. `tests/hand_sql.rs` keeps that true on the test fixtures.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use std::collections::BTreeMap;
use std::str::FromStr;

/// Why a comparison or a run failed.
pub type Failure = Box<dyn std::error::Error>;

/// The domains compared and timed: core's, so the benchmark names them as
/// every surface does.
pub use odx_core::Domain;

/// How a hand-written column compares with a field of odx's JSON.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// As core's type declares the field ([`odx_core::typescript::field_kind`]):
    /// money exactly (or both null), a count exactly, a rate within 1e-14
    /// (Postgres divides to at least 16 significant digits, rust_decimal to
    /// 28) or both null.
    Declared,
    /// `method:payments:amount` items against `payment_mix`.
    PaymentMix,
    /// Bucket amounts in order against `trend.points[*].<name>`.
    Trend(&'static str),
}

/// Hand-written column, JSON pointer into one odx metrics object, kind.
pub type Field = (&'static str, &'static str, Kind);

const FINANCIAL_FIELDS: &[Field] = &[
    ("billed", "/billed", Kind::Declared),
    ("invoice_count", "/invoice_count", Kind::Declared),
    ("avg_ticket", "/avg_ticket", Kind::Declared),
    ("collected", "/collected", Kind::Declared),
    ("collection_rate", "/collection_rate", Kind::Declared),
    ("outstanding", "/outstanding", Kind::Declared),
    ("outstanding_self", "/outstanding_by_payer/self", Kind::Declared),
    ("outstanding_insurance", "/outstanding_by_payer/insurance", Kind::Declared),
    ("open_invoices", "/open_invoices", Kind::Declared),
    ("credits", "/credits", Kind::Declared),
    ("ar_0_30", "/ar_aging/0-30", Kind::Declared),
    ("ar_31_60", "/ar_aging/31-60", Kind::Declared),
    ("ar_61_90", "/ar_aging/61-90", Kind::Declared),
    ("ar_90_plus", "/ar_aging/90+", Kind::Declared),
    ("materials_cost", "/materials_cost", Kind::Declared),
    ("lab_cost", "/lab_cost", Kind::Declared),
    ("direct_cost", "/direct_cost", Kind::Declared),
    ("gross_profit", "/gross_profit", Kind::Declared),
    ("margin", "/margin", Kind::Declared),
    ("draft", "/status_counts/draft", Kind::Declared),
    ("issued", "/status_counts/issued", Kind::Declared),
    ("partially_paid", "/status_counts/partially_paid", Kind::Declared),
    ("paid", "/status_counts/paid", Kind::Declared),
    ("void", "/status_counts/void", Kind::Declared),
    ("payment_mix", "/payment_mix", Kind::PaymentMix),
    ("trend_billed", "/trend/points", Kind::Trend("billed")),
    ("trend_collected", "/trend/points", Kind::Trend("collected")),
];

const OPERATIONS_FIELDS: &[Field] = &[
    ("total", "/appointments/total", Kind::Declared),
    ("booked", "/appointments/booked", Kind::Declared),
    ("arrived", "/appointments/arrived", Kind::Declared),
    ("completed", "/appointments/completed", Kind::Declared),
    ("cancelled", "/appointments/cancelled", Kind::Declared),
    ("no_show", "/appointments/no_show", Kind::Declared),
    ("missed", "/appointments/missed", Kind::Declared),
    ("scheduled", "/scheduled", Kind::Declared),
    ("no_show_rate", "/no_show_rate", Kind::Declared),
    ("cancel_rate", "/cancel_rate", Kind::Declared),
    ("arrival_rate", "/arrival_rate", Kind::Declared),
    ("completion_rate", "/completion_rate", Kind::Declared),
    ("avg_ticket", "/avg_ticket", Kind::Declared),
    ("no_show_bleed", "/no_show_bleed", Kind::Declared),
    ("new_patients", "/new_patients", Kind::Declared),
    ("returning_patients", "/returning_patients", Kind::Declared),
    ("doctor_booked_minutes", "/doctor_booked_minutes", Kind::Declared),
    ("doctor_capacity_minutes", "/doctor_capacity_minutes", Kind::Declared),
    ("doctor_utilization", "/doctor_utilization", Kind::Declared),
    ("chair_booked_minutes", "/chair_booked_minutes", Kind::Declared),
    ("chair_capacity_minutes", "/chair_capacity_minutes", Kind::Declared),
    ("chair_utilization", "/chair_utilization", Kind::Declared),
];

const ACCOUNTING_FIELDS: &[Field] = &[
    ("receipts", "/receipts", Kind::Declared),
    ("payments", "/payments", Kind::Declared),
    ("materials_cost", "/materials_cost", Kind::Declared),
    ("lab_cost", "/lab_cost", Kind::Declared),
    ("direct_cost", "/direct_cost", Kind::Declared),
    ("opex", "/opex", Kind::Declared),
    ("rent", "/opex_by_category/0/amount", Kind::Declared),
    ("payroll", "/payroll", Kind::Declared),
    ("payroll_entries", "/payroll_entries", Kind::Declared),
    ("total_costs", "/total_costs", Kind::Declared),
    ("net_profit", "/net_profit", Kind::Declared),
    ("expense_ratio", "/expense_ratio", Kind::Declared),
];

const LAB_FIELDS: &[Field] = &[
    ("open_cases", "/open_cases", Kind::Declared),
    ("overdue_cases", "/overdue_cases", Kind::Declared),
    ("overdue_share", "/overdue_share", Kind::Declared),
    ("cases_sent", "/cases_sent", Kind::Declared),
    ("lab_cost", "/lab_cost", Kind::Declared),
    ("cases_received", "/cases_received", Kind::Declared),
    ("avg_turnaround_days", "/avg_turnaround_days", Kind::Declared),
];

const STAFF_FIELDS: &[Field] = &[
    ("headcount", "/headcount", Kind::Declared),
    ("present_days", "/present_days", Kind::Declared),
    ("absent_days", "/absent_days", Kind::Declared),
    ("leave_days", "/leave_days", Kind::Declared),
    ("off_days", "/off_days", Kind::Declared),
    ("attendance_rate", "/attendance_rate", Kind::Declared),
    ("absenteeism_rate", "/absenteeism_rate", Kind::Declared),
    ("late_arrivals", "/late_arrivals", Kind::Declared),
    ("present_today", "/present_today", Kind::Declared),
    ("on_leave_today", "/on_leave_today", Kind::Declared),
    ("payroll_cost", "/payroll_cost", Kind::Declared),
    ("payroll_entries", "/payroll_entries", Kind::Declared),
    ("billed", "/billed", Kind::Declared),
    ("revenue_per_staff", "/revenue_per_staff", Kind::Declared),
];

const CLINICAL_FIELDS: &[Field] = &[
    ("plans_created", "/plans_created", Kind::Declared),
    ("plans_accepted", "/plans_accepted", Kind::Declared),
    ("acceptance_rate", "/acceptance_rate", Kind::Declared),
    ("pipeline_value", "/pipeline_value", Kind::Declared),
    ("plan_value", "/plan_value", Kind::Declared),
    ("avg_plan_value", "/avg_plan_value", Kind::Declared),
    ("accepted_value", "/accepted_value", Kind::Declared),
    ("completed_value", "/completed_value", Kind::Declared),
    ("completion_rate", "/completion_rate", Kind::Declared),
    ("quotation_conversion", "/quotation_conversion", Kind::Declared),
    ("top_volume", "/top_procedures_by_volume/0/volume", Kind::Declared),
    ("top_revenue", "/top_procedures_by_revenue/0/revenue", Kind::Declared),
];

const PATIENTS_FIELDS: &[Field] = &[
    ("patients_on_file", "/patients_on_file", Kind::Declared),
    ("active_patients", "/active_patients", Kind::Declared),
    ("new_patients", "/new_patients", Kind::Declared),
    ("returning_patients", "/returning_patients", Kind::Declared),
    ("returning_share", "/returning_share", Kind::Declared),
    ("recall_due", "/recall_due", Kind::Declared),
    ("recall_overdue", "/recall_overdue", Kind::Declared),
    ("churn_risk", "/churn_risk", Kind::Declared),
    ("top_patient", "/churn_list/0/patient_id", Kind::Declared),
    ("top_billed", "/churn_list/0/lifetime_billed", Kind::Declared),
    ("lapsed", "/lapsed", Kind::Declared),
    ("lapsed_at_start", "/lapsed_at_start", Kind::Declared),
    ("won_back", "/won_back", Kind::Declared),
];

const INVENTORY_FIELDS: &[Field] = &[
    ("items", "/items", Kind::Declared),
    ("skus", "/skus", Kind::Declared),
    ("stock_value", "/stock_value", Kind::Declared),
    ("out_of_stock", "/out_of_stock", Kind::Declared),
    ("low_stock", "/low_stock", Kind::Declared),
    ("expiring", "/expiring", Kind::Declared),
    ("expiring_value", "/expiring_value", Kind::Declared),
    ("expired", "/expired", Kind::Declared),
    ("expired_value", "/expired_value", Kind::Declared),
    ("daily_consumption_value", "/daily_consumption_value", Kind::Declared),
    ("days_of_cover", "/days_of_cover", Kind::Declared),
    ("reorder_needed", "/reorder_needed", Kind::Declared),
];

/// The two sides of a domain: the extension's call and the hand-written
/// statement, and what to compare between them.
pub trait Sides {
    /// The extension's call, `$1..$3` = ids, from, to.
    fn extension_sql(self) -> &'static str;
    /// The hand-written statement, same parameters.
    fn hand_sql(self) -> &'static str;
    /// What to compare.
    fn fields(self) -> &'static [Field];
}

impl Sides for Domain {
    fn extension_sql(self) -> &'static str {
        macro_rules! arms {
            ([$d:ident] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
                match $d {
                    $(Domain::$variant => concat!("SELECT odx_", stringify!($module), "($1::bigint[], $2::date, $3::date)::text"),)*
                }
            };
        }
        odx_core::domains!(arms, self)
    }
    fn hand_sql(self) -> &'static str {
        macro_rules! arms {
            ([$d:ident] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
                match $d {
                    $(Domain::$variant => include_str!(concat!("../sql/", stringify!($module), ".sql")),)*
                }
            };
        }
        odx_core::domains!(arms, self)
    }
    fn fields(self) -> &'static [Field] {
        match self {
            Domain::Financial => FINANCIAL_FIELDS,
            Domain::Operations => OPERATIONS_FIELDS,
            Domain::Accounting => ACCOUNTING_FIELDS,
            Domain::Lab => LAB_FIELDS,
            Domain::Staff => STAFF_FIELDS,
            Domain::Clinical => CLINICAL_FIELDS,
            Domain::Patients => PATIENTS_FIELDS,
            Domain::Inventory => INVENTORY_FIELDS,
        }
    }
}

/// One scope: the first `branches` clinics over `days` days ending on `last`.
#[derive(Debug, Clone)]
pub struct Case {
    /// How many branches.
    pub branches: u32,
    /// How many days.
    pub days: u32,
    /// The clinics.
    pub ids: Vec<i64>,
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
}

impl Case {
    /// The first `branches` of `all_ids` over the `days` days ending on `last`.
    pub fn new(all_ids: &[i64], branches: u32, days: u32, last: NaiveDate) -> Case {
        let from = last - chrono::Duration::days(i64::from(days) - 1);
        Case {
            branches,
            days,
            ids: all_ids.iter().take(branches as usize).copied().collect(),
            from: from.to_string(),
            to: last.to_string(),
        }
    }
}

/// Runs one side of a case.
///
/// # Errors
/// The database's.
pub async fn run_query(conn: &mut PgConnection, sql: &str, case: &Case) -> Result<Vec<PgRow>, sqlx::Error> {
    // The statements are this crate's own: odx calls and benches/sql/*.sql.
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(&case.ids)
        .bind(&case.from)
        .bind(&case.to)
        .fetch_all(conn)
        .await
}

fn dec(s: &str) -> Result<Decimal, Failure> {
    Decimal::from_str(s).or_else(|_| Decimal::from_scientific(s)).map_err(|e| format!("{s:?}: {e}").into())
}

fn json_dec(v: &Value) -> Result<Option<Decimal>, Failure> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(dec(s)?)),
        other => Err(format!("expected a decimal string, found {other}").into()),
    }
}

fn rate_eq(a: Option<Decimal>, b: Option<Decimal>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= Decimal::new(1, 14),
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// Compares one hand-written row with one odx metrics object.
fn compare_row(row: &PgRow, metrics: &Value, domain: Domain) -> Result<(), Failure> {
    use odx_core::typescript::{field_kind, FieldKind};
    for &(column, pointer, kind) in domain.fields() {
        // The head of an empty list (no procedures billed) is null on both sides.
        let ours = match metrics.pointer(pointer) {
            Some(v) => v,
            None if pointer.contains("/0/") => &Value::Null,
            None => return Err(format!("odx has no {pointer}").into()),
        };
        let declared = match kind {
            Kind::Declared => field_kind(domain, pointer),
            _ => None,
        };
        let agree = match (kind, declared) {
            (_, Some(FieldKind::Money)) => {
                json_dec(ours)? == row.try_get::<Option<String>, _>(column)?.as_deref().map(dec).transpose()?
            }
            (_, Some(FieldKind::Rate | FieldKind::Mean)) => {
                rate_eq(json_dec(ours)?, row.try_get::<Option<String>, _>(column)?.as_deref().map(dec).transpose()?)
            }
            (_, Some(FieldKind::Count)) => ours.as_i64() == row.try_get::<Option<i64>, _>(column)?,
            (Kind::Declared, None) => return Err(format!("core declares no scalar {pointer}").into()),
            (Kind::PaymentMix, _) => {
                let mut hand = BTreeMap::new();
                for item in row.try_get::<Option<Vec<String>>, _>(column)?.unwrap_or_default() {
                    let mut parts = item.splitn(3, ':');
                    let (m, n, a) = (parts.next(), parts.next(), parts.next());
                    let (Some(m), Some(n), Some(a)) = (m, n, a) else {
                        return Err(format!("bad mix item {item}").into());
                    };
                    hand.insert(m.to_owned(), (n.parse::<u64>()?, dec(a)?));
                }
                let mut odx = BTreeMap::new();
                for share in ours.as_array().ok_or("payment_mix is not an array")? {
                    let n = share["payments"].as_u64().ok_or("payments is not a count")?;
                    if n > 0 {
                        let method = share["method"].as_str().ok_or("method is not a string")?;
                        odx.insert(method.to_owned(), (n, json_dec(&share["amount"])?.unwrap_or_default()));
                    }
                }
                hand == odx
            }
            (Kind::Trend(name), _) => {
                let hand: Vec<Decimal> = row
                    .try_get::<Option<Vec<String>>, _>(column)?
                    .unwrap_or_default()
                    .iter()
                    .map(|s| dec(s))
                    .collect::<Result<_, _>>()?;
                let odx: Vec<Decimal> = ours
                    .as_array()
                    .ok_or("trend points are not an array")?
                    .iter()
                    .map(|p| json_dec(&p[name]).map(Option::unwrap_or_default))
                    .collect::<Result<_, _>>()?;
                hand == odx
            }
        };
        if !agree {
            return Err(format!("{column}: odx {ours} differs from the hand-written SQL").into());
        }
    }
    Ok(())
}

/// Both sides return the same numbers for every branch and for the network.
///
/// # Errors
/// The first difference, or the database's error.
pub async fn check(conn: &mut PgConnection, domain: Domain, case: &Case) -> Result<(), Failure> {
    let odx_rows = run_query(conn, domain.extension_sql(), case).await?;
    let text: String = odx_rows.first().ok_or("odx returned no row")?.try_get(0)?;
    let report: Value = serde_json::from_str(&text)?;
    if report["degraded"] != Value::Bool(false) {
        return Err(format!("odx is degraded on the benchmark data: {}", report["missing"]).into());
    }
    let mut by_clinic = BTreeMap::new();
    for g in report["groups"].as_array().ok_or("groups is not an array")? {
        by_clinic.insert(g["clinic_id"].as_i64().ok_or("clinic_id")?, g);
    }
    let hand = run_query(conn, domain.hand_sql(), case).await?;
    if hand.len() != by_clinic.len() + 1 {
        return Err(format!("{} hand-written rows for {} odx groups + totals", hand.len(), by_clinic.len()).into());
    }
    for row in &hand {
        let clinic: Option<i64> = row.try_get("clinic_id")?;
        let metrics = match clinic {
            None => &report["totals"],
            Some(id) => by_clinic.get(&id).copied().ok_or_else(|| format!("odx has no group for clinic {id}"))?,
        };
        let who = clinic.map_or("the network".to_owned(), |id| format!("clinic {id}"));
        compare_row(row, metrics, domain)
            .map_err(|e| format!("{} {}x{}d, {who}: {e}", domain.as_str(), case.branches, case.days))?;
    }
    Ok(())
}
