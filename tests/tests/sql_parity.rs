//! The SQL path (odx-sql's statements on the real server, through sqlx) and
//! the in-memory path give the same reports on the same rows; and both agree
//! with an independent per-clinic report written by hand in plain SQL.

use chrono::NaiveDate;
use odx_core::{
    AccountingAcc, ClinicalAcc, FinancialAcc, GroupBy, InventoryAcc, LabAcc, MetricScope, OdxError, OperationsAcc,
    OperationsMetrics, PatientsAcc, StaffAcc, Tables,
};
use odx_fixtures::generator::{generate, NetworkConfig};
use odx_fixtures::known_answer;
use odx_sql::pg_sqlx::{self, EngineError, Outcome};
use odx_sql::Domain;
use odx_tests::{database_url, database_url_for, in_memory};
use rust_decimal::Decimal;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::Row;

async fn pool(url: &str) -> PgPool {
    PgPoolOptions::new().max_connections(2).connect(url).await.unwrap_or_else(|e| panic!("connect {url}: {e}"))
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn report<R>(o: Outcome<R>) -> R {
    match o {
        Outcome::Report(r) => r,
        Outcome::Degraded(m) => panic!("unexpectedly degraded: {m:?}"),
    }
}

/// Every scope shape over the given tables: each grouping, each clinic alone,
/// the network, an empty list, a daily and a monthly range.
fn scopes(ids: &[i64], ranges: &[(&str, &str)]) -> Vec<MetricScope> {
    let mut out = Vec::new();
    for (from, to) in ranges {
        for g in [GroupBy::Clinic, GroupBy::Doctor, GroupBy::None] {
            out.push(MetricScope::new(ids.iter().copied(), d(from), d(to), g).unwrap());
        }
        for id in ids {
            out.push(MetricScope::new([*id], d(from), d(to), GroupBy::Clinic).unwrap());
        }
        out.push(MetricScope::new([], d(from), d(to), GroupBy::Clinic).unwrap());
    }
    out
}

async fn assert_parity(pool: &PgPool, tables: &Tables, scopes: &[MetricScope]) {
    for s in scopes {
        for domain in Domain::ALL {
            let sql = report(pg_sqlx::report_json(pool, domain, s).await.unwrap());
            let want = in_memory(tables, domain, s).unwrap();
            assert_eq!(sql, want, "{}: SQL == in memory for {s:?}", domain.as_str());
        }
    }
}

#[tokio::test]
async fn known_answer_sql_equals_in_memory_for_every_scope() {
    let pool = pool(&database_url()).await;
    let ranges = [(known_answer::FROM, known_answer::TO), ("2026-01-01", "2026-06-30"), ("2026-06-30", "2026-06-30")];
    assert_parity(&pool, &known_answer::tables(), &scopes(&known_answer::CLINICS, &ranges)).await;
}

#[tokio::test]
async fn demo_network_sql_equals_in_memory() {
    let pool = pool(&database_url()).await;
    let config = NetworkConfig::demo();
    let ranges = [("2026-06-01", "2026-06-30"), ("2026-01-01", "2026-06-30")];
    assert_parity(&pool, &generate(&config), &scopes(&config.clinic_ids(), &ranges)).await;
}

#[tokio::test]
async fn unknown_clinic_is_a_typed_error() {
    let pool = pool(&database_url()).await;
    let s = MetricScope::new([1, 424242], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
    match pg_sqlx::compute::<FinancialAcc, _>(&pool, &s).await {
        Err(EngineError::Core(OdxError::UnknownClinic { clinic_id: 424242 })) => {}
        other => panic!("expected ODX_UNKNOWN_CLINIC, got {other:?}"),
    }
}

#[tokio::test]
async fn a_missing_table_or_column_degrades_only_the_domain_that_reads_it() {
    let pool = pool(&database_url_for("odx_degraded")).await;
    let s = MetricScope::new(known_answer::CLINICS, d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
    match pg_sqlx::compute::<FinancialAcc, _>(&pool, &s).await.unwrap() {
        Outcome::Degraded(m) => assert_eq!(m, ["app.lab_cases"]),
        Outcome::Report(_) => panic!("financial reads lab_cases, which is missing"),
    }
    // Without appointments.room_id, operations leaves out chair utilization
    // and nothing else: every other figure is the whole database's.
    let whole_db = crate::pool(&database_url()).await;
    let by_doctor = MetricScope::new(known_answer::CLINICS, d("2026-06-01"), d("2026-06-30"), GroupBy::Doctor).unwrap();
    for scope in [&s, &by_doctor] {
        let ops = report(pg_sqlx::compute::<OperationsAcc, _>(&pool, scope).await.unwrap());
        let whole = report(pg_sqlx::compute::<OperationsAcc, _>(&whole_db, scope).await.unwrap());
        assert_eq!(ops.missing, ["app.appointments.room_id"]);
        assert!(whole.missing.is_empty());
        assert_eq!((ops.totals.chair_utilization, ops.totals.chair_capacity_minutes), (None, 0));
        assert!(whole.totals.chair_utilization.is_some_and(|u| u > Decimal::ZERO), "the whole report has chairs");
        let no_chairs = |m: &OperationsMetrics| OperationsMetrics {
            chair_booked_minutes: 0,
            chair_capacity_minutes: 0,
            chair_utilization: None,
            ..m.clone()
        };
        assert_eq!(no_chairs(&ops.totals), no_chairs(&whole.totals));
        assert_eq!(ops.groups.len(), whole.groups.len());
        for (a, b) in ops.groups.iter().zip(&whole.groups) {
            assert_eq!((a.clinic_id, a.doctor_id), (b.clinic_id, b.doctor_id));
            assert_eq!(a.metrics.chair_utilization, None);
            assert_eq!(no_chairs(&a.metrics), no_chairs(&b.metrics));
        }
    }
    // The network overview reads only the day's invoices and appointments:
    // missing lab_cases, payroll and room_id do not touch it.
    for day in ["2026-06-03", "2026-06-18", "2026-06-20"] {
        let overview = pg_sqlx::network_overview(&pool, known_answer::ORG_ID, None, None, d(day)).await.unwrap();
        let whole = pg_sqlx::network_overview(&whole_db, known_answer::ORG_ID, None, None, d(day)).await.unwrap();
        assert_eq!(report(overview), report(whole), "{day}");
    }
    match pg_sqlx::compute::<AccountingAcc, _>(&pool, &s).await.unwrap() {
        Outcome::Degraded(m) => assert_eq!(m, ["app.lab_cases", "app.payroll"]),
        Outcome::Report(_) => panic!("accounting reads lab_cases and payroll, which are missing"),
    }
    match pg_sqlx::compute::<LabAcc, _>(&pool, &s).await.unwrap() {
        Outcome::Degraded(m) => assert_eq!(m, ["app.lab_cases"]),
        Outcome::Report(_) => panic!("lab reads lab_cases, which is missing"),
    }
    match pg_sqlx::compute::<StaffAcc, _>(&pool, &s).await.unwrap() {
        Outcome::Degraded(m) => assert_eq!(m, ["app.payroll"]),
        Outcome::Report(_) => panic!("staff reads payroll, which is missing"),
    }
    // Clinical and patients read none of the missing relations: they compute.
    let clinical = report(pg_sqlx::compute::<ClinicalAcc, _>(&pool, &s).await.unwrap());
    assert_eq!(clinical.totals.plans_created, 9);
    let patients = report(pg_sqlx::compute::<PatientsAcc, _>(&pool, &s).await.unwrap());
    assert_eq!(patients.totals.churn_risk, 4);
    let inventory = report(pg_sqlx::compute::<InventoryAcc, _>(&pool, &s).await.unwrap());
    assert_eq!(inventory.totals.rebalance.len(), 3);
}

/// The per-clinic dashboard, written by hand in plain SQL with local dates
/// (`AT TIME ZONE`), independent of core's cuts: billed, invoice count,
/// collected, outstanding and its aging, credits, appointment counts.
const DASHBOARD_SQL: &str = "
WITH c AS (SELECT id, timezone FROM app.clinics WHERE id = $1),
inv AS (
    SELECT i.*, (i.issued_at AT TIME ZONE c.timezone)::date AS local_day
    FROM app.invoices i JOIN c ON c.id = i.clinic_id
),
bal AS (
    SELECT inv.id, inv.payer, $3::date - inv.local_day AS age,
           inv.total - coalesce((SELECT sum(p.amount) FROM app.payments p, c
                                 WHERE p.invoice_id = inv.id
                                   AND (p.paid_at AT TIME ZONE c.timezone)::date <= $3::date), 0) AS balance
    FROM inv WHERE inv.status IN ('issued', 'partially_paid', 'paid') AND inv.local_day <= $3::date
)
SELECT
  (SELECT coalesce(sum(total), 0) FROM inv WHERE status IN ('issued', 'partially_paid', 'paid')
       AND local_day BETWEEN $2::date AND $3::date)::text AS billed,
  (SELECT count(*) FROM inv WHERE status IN ('issued', 'partially_paid', 'paid')
       AND local_day BETWEEN $2::date AND $3::date) AS invoices,
  (SELECT coalesce(sum(p.amount), 0) FROM app.payments p JOIN c ON c.id = p.clinic_id
       WHERE (p.paid_at AT TIME ZONE c.timezone)::date BETWEEN $2::date AND $3::date)::text AS collected,
  (SELECT coalesce(sum(balance), 0) FROM bal WHERE balance > 0)::text AS outstanding,
  (SELECT coalesce(sum(balance), 0) FROM bal WHERE balance > 0 AND age <= 30)::text AS ar_0_30,
  (SELECT coalesce(sum(balance), 0) FROM bal WHERE balance > 0 AND age BETWEEN 31 AND 60)::text AS ar_31_60,
  (SELECT coalesce(sum(balance), 0) FROM bal WHERE balance > 0 AND age BETWEEN 61 AND 90)::text AS ar_61_90,
  (SELECT coalesce(sum(balance), 0) FROM bal WHERE balance > 0 AND age > 90)::text AS ar_90,
  (SELECT coalesce(-sum(balance), 0) FROM bal WHERE balance < 0)::text AS credits,
  (SELECT count(*) FROM app.appointments a JOIN c ON c.id = a.clinic_id
       WHERE (a.starts_at AT TIME ZONE c.timezone)::date BETWEEN $2::date AND $3::date
         AND a.status = 'no_show') AS no_shows,
  (SELECT count(*) FROM app.appointments a JOIN c ON c.id = a.clinic_id
       WHERE (a.starts_at AT TIME ZONE c.timezone)::date BETWEEN $2::date AND $3::date
         AND a.status = 'cancelled') AS cancelled,
  (SELECT count(*) FROM app.appointments a JOIN c ON c.id = a.clinic_id
       WHERE (a.starts_at AT TIME ZONE c.timezone)::date BETWEEN $2::date AND $3::date
         AND a.status = 'completed') AS completed,
  (SELECT coalesce(sum(e.amount), 0) FROM app.expenses e
       WHERE e.clinic_id = $1 AND e.spent_on BETWEEN $2::date AND $3::date)::text AS opex,
  (SELECT coalesce(sum(w.gross), 0) FROM app.payroll w
       WHERE w.clinic_id = $1 AND w.paid_on BETWEEN $2::date AND $3::date)::text AS payroll,
  ((SELECT coalesce(sum(p.amount), 0) FROM app.payments p JOIN c ON c.id = p.clinic_id
        WHERE (p.paid_at AT TIME ZONE c.timezone)::date BETWEEN $2::date AND $3::date)
   - (SELECT coalesce(sum(it.qty * it.unit_cost), 0) FROM inv JOIN app.invoice_items it ON it.invoice_id = inv.id
        WHERE inv.status IN ('issued', 'partially_paid', 'paid') AND inv.local_day BETWEEN $2::date AND $3::date)
   - (SELECT coalesce(sum(l.cost), 0) FROM app.lab_cases l
        WHERE l.clinic_id = $1 AND l.status IN ('sent', 'received') AND l.sent_on BETWEEN $2::date AND $3::date)
   - (SELECT coalesce(sum(e.amount), 0) FROM app.expenses e
        WHERE e.clinic_id = $1 AND e.spent_on BETWEEN $2::date AND $3::date)
   - (SELECT coalesce(sum(w.gross), 0) FROM app.payroll w
        WHERE w.clinic_id = $1 AND w.paid_on BETWEEN $2::date AND $3::date))::text AS net_profit,
  (SELECT count(*) FROM app.lab_cases l
       WHERE l.clinic_id = $1 AND l.sent_on <= $3::date
         AND (l.status = 'sent' OR (l.status = 'received' AND l.received_on > $3::date))) AS lab_open,
  (SELECT count(*) FROM app.lab_cases l
       WHERE l.clinic_id = $1 AND l.sent_on <= $3::date AND l.due_on < $3::date
         AND (l.status = 'sent' OR (l.status = 'received' AND l.received_on > $3::date))) AS lab_overdue,
  (SELECT coalesce(avg(l.received_on - l.sent_on), -1) FROM app.lab_cases l
       WHERE l.clinic_id = $1 AND l.status = 'received' AND l.received_on BETWEEN $2::date AND $3::date
         AND l.received_on >= l.sent_on)::text AS lab_turnaround,
  (SELECT count(*) FROM app.users u
       WHERE u.clinic_id = $1 AND u.status = 'active' AND coalesce(u.hired_on <= $3::date, true)) AS headcount,
  (SELECT count(*) FROM app.attendance_days a
       WHERE a.clinic_id = $1 AND a.day BETWEEN $2::date AND $3::date AND a.status = 'absent') AS absent_days,
  (SELECT coalesce(round(count(*) FILTER (WHERE a.status = 'absent')::numeric / nullif(count(*), 0), 12), -1)
       FROM app.attendance_days a
       WHERE a.clinic_id = $1 AND a.day BETWEEN $2::date AND $3::date
         AND a.status IN ('present', 'absent'))::text AS absenteeism,
  (SELECT count(*) FROM app.treatment_plans t JOIN c ON c.id = t.clinic_id
       WHERE (t.created_at AT TIME ZONE c.timezone)::date BETWEEN $2::date AND $3::date
         AND t.status IN ('proposed', 'accepted', 'in_progress', 'completed', 'rejected')) AS plans_created,
  (SELECT count(*) FROM app.treatment_plans t JOIN c ON c.id = t.clinic_id
       WHERE (t.created_at AT TIME ZONE c.timezone)::date BETWEEN $2::date AND $3::date
         AND t.status IN ('accepted', 'in_progress', 'completed')) AS plans_accepted,
  (SELECT coalesce(sum(pp.fee), 0) FROM app.treatment_plans t JOIN c ON c.id = t.clinic_id
       JOIN app.treatment_plan_procedures pp ON pp.plan_id = t.id
       WHERE (t.created_at AT TIME ZONE c.timezone)::date BETWEEN $2::date AND $3::date
         AND t.status IN ('proposed', 'accepted', 'in_progress') AND pp.status = 'planned')::text AS pipeline,
  (SELECT count(*) FROM app.attendance_days a
       WHERE a.clinic_id = $1 AND a.day = $3::date AND a.status = 'present') AS present_today,
  (SELECT count(DISTINCT a.patient_id) FROM app.appointments a JOIN c ON c.id = a.clinic_id
       WHERE a.status = 'completed'
         AND (a.starts_at AT TIME ZONE c.timezone)::date
             BETWEEN ($3::date + 1 - interval '18 months')::date AND $3::date) AS active_patients,
  (SELECT count(*) FROM app.patients pt
       WHERE pt.clinic_id = $1 AND pt.recall_due_on BETWEEN $2::date AND $3::date) AS recall_due,
  (SELECT count(*) FROM app.patients pt
       WHERE pt.clinic_id = $1 AND pt.recall_due_on < $3::date
         AND NOT EXISTS (SELECT 1 FROM app.appointments a JOIN c ON c.id = a.clinic_id
                         WHERE a.patient_id = pt.id AND a.status = 'completed'
                           AND (a.starts_at AT TIME ZONE c.timezone)::date
                               BETWEEN pt.recall_due_on AND $3::date)) AS recall_overdue,
  (SELECT count(*) FROM (
       SELECT a.patient_id FROM app.appointments a JOIN c ON c.id = a.clinic_id
       WHERE a.status = 'completed' AND (a.starts_at AT TIME ZONE c.timezone)::date <= $3::date
       GROUP BY a.patient_id
       HAVING max((a.starts_at AT TIME ZONE c.timezone)::date) <= ($3::date - interval '9 months')::date
          AND NOT EXISTS (SELECT 1 FROM app.appointments b
                          WHERE b.patient_id = a.patient_id AND b.status = 'booked'
                            AND (b.starts_at AT TIME ZONE max(c.timezone))::date > $3::date)) x) AS churn_risk,
  (SELECT count(*) FROM (
       SELECT a.patient_id FROM app.appointments a JOIN c ON c.id = a.clinic_id
       WHERE a.status = 'completed' AND (a.starts_at AT TIME ZONE c.timezone)::date <= $3::date
       GROUP BY a.patient_id
       HAVING max((a.starts_at AT TIME ZONE c.timezone)::date) <= ($3::date - interval '9 months')::date) x) AS lapsed,
  (SELECT count(*) || ' ' || count(*) FILTER (WHERE back) FROM (
       SELECT a.patient_id, EXISTS (SELECT 1 FROM app.appointments b
                                    WHERE b.patient_id = a.patient_id AND b.status = 'completed'
                                      AND (b.starts_at AT TIME ZONE max(c.timezone))::date BETWEEN $2::date AND $3::date) AS back
       FROM app.appointments a JOIN c ON c.id = a.clinic_id
       WHERE a.status = 'completed' AND (a.starts_at AT TIME ZONE c.timezone)::date < $2::date
       GROUP BY a.patient_id
       HAVING max((a.starts_at AT TIME ZONE c.timezone)::date) <= ($2::date - 1 - interval '9 months')::date) x)
       AS lapsed_at_start_won_back,
  (SELECT coalesce(round(sum(q.qty * q.unit_cost) FILTER (WHERE q.qty > 0), 2), 0) FROM (
       SELECT i.unit_cost, i.qty_on_hand - coalesce((SELECT sum(m.qty) FROM app.inventory_movements m
                                                     WHERE m.item_id = i.id
                                                       AND (m.moved_at AT TIME ZONE c.timezone)::date > $3::date), 0) AS qty
       FROM app.inventory_items i JOIN c ON c.id = i.clinic_id) q)::text AS stock_value,
  (SELECT count(*) FROM app.inventory_items i WHERE i.clinic_id = $1 AND i.expires_on <= $3::date) AS expired_batches";

#[tokio::test]
async fn the_per_clinic_dashboard_written_by_hand_agrees() {
    let pool = pool(&database_url()).await;
    let cases: Vec<(i64, &str, &str)> = known_answer::CLINICS
        .iter()
        .map(|c| (*c, known_answer::FROM, known_answer::TO))
        .chain(NetworkConfig::demo().clinic_ids().into_iter().map(|c| (c, "2026-06-01", "2026-06-30")))
        .collect();
    for (clinic, from, to) in cases {
        let s = MetricScope::new([clinic], d(from), d(to), GroupBy::Clinic).unwrap();
        let fin = report(pg_sqlx::compute::<FinancialAcc, _>(&pool, &s).await.unwrap()).totals;
        let ops = report(pg_sqlx::compute::<OperationsAcc, _>(&pool, &s).await.unwrap()).totals;
        let acc = report(pg_sqlx::compute::<AccountingAcc, _>(&pool, &s).await.unwrap()).totals;
        let lab = report(pg_sqlx::compute::<LabAcc, _>(&pool, &s).await.unwrap()).totals.figures;
        let staff = report(pg_sqlx::compute::<StaffAcc, _>(&pool, &s).await.unwrap()).totals;
        let clinical = report(pg_sqlx::compute::<ClinicalAcc, _>(&pool, &s).await.unwrap()).totals;
        let patients = report(pg_sqlx::compute::<PatientsAcc, _>(&pool, &s).await.unwrap()).totals;
        let inventory = report(pg_sqlx::compute::<InventoryAcc, _>(&pool, &s).await.unwrap()).totals;
        let row = sqlx::query(DASHBOARD_SQL).bind(clinic).bind(from).bind(to).fetch_one(&pool).await.unwrap();
        let dec = |name: &str| row.get::<String, _>(name).parse::<Decimal>().unwrap();
        let n = |name: &str| row.get::<i64, _>(name) as u64;
        let what = format!("clinic {clinic}, {from}..{to}");
        assert_eq!(fin.billed, dec("billed"), "billed, {what}");
        assert_eq!(fin.invoice_count, n("invoices"), "invoice_count, {what}");
        assert_eq!(fin.collected, dec("collected"), "collected, {what}");
        assert_eq!(fin.outstanding, dec("outstanding"), "outstanding, {what}");
        assert_eq!(fin.ar_aging.days_0_30, dec("ar_0_30"), "AR 0-30, {what}");
        assert_eq!(fin.ar_aging.days_31_60, dec("ar_31_60"), "AR 31-60, {what}");
        assert_eq!(fin.ar_aging.days_61_90, dec("ar_61_90"), "AR 61-90, {what}");
        assert_eq!(fin.ar_aging.over_90, dec("ar_90"), "AR 90+, {what}");
        assert_eq!(fin.credits, dec("credits"), "credits, {what}");
        assert_eq!(ops.appointments.no_show, n("no_shows"), "no_show, {what}");
        assert_eq!(ops.appointments.cancelled, n("cancelled"), "cancelled, {what}");
        assert_eq!(ops.appointments.completed, n("completed"), "completed, {what}");
        assert_eq!(acc.receipts, dec("collected"), "receipts, {what}");
        assert_eq!(acc.opex, dec("opex"), "opex, {what}");
        assert_eq!(acc.payroll, dec("payroll"), "payroll, {what}");
        assert_eq!(acc.net_profit, dec("net_profit"), "net profit, {what}");
        assert_eq!(lab.open_cases, n("lab_open"), "lab open cases, {what}");
        assert_eq!(lab.overdue_cases, n("lab_overdue"), "lab overdue cases, {what}");
        assert_eq!(lab.lab_cost, acc.lab_cost, "lab cost == accounting's, {what}");
        // Postgres rounds the mean to 16 places; core keeps 28 digits.
        let turnaround = lab.avg_turnaround_days.map(|t| t.round_dp(12)).unwrap_or(Decimal::NEGATIVE_ONE);
        assert_eq!(turnaround, dec("lab_turnaround").round_dp(12), "lab turnaround, {what}");
        assert_eq!(staff.headcount, n("headcount"), "headcount, {what}");
        assert_eq!(staff.absent_days, n("absent_days"), "absent days, {what}");
        let absenteeism = staff.absenteeism_rate.map(|r| r.round_dp(12)).unwrap_or(Decimal::NEGATIVE_ONE);
        assert_eq!(absenteeism, dec("absenteeism"), "absenteeism rate, {what}");
        assert_eq!(staff.present_today, n("present_today"), "present today, {what}");
        assert_eq!(staff.payroll_cost, acc.payroll, "payroll cost == accounting's payroll, {what}");
        assert_eq!(staff.billed, fin.billed, "staff billed == financial billed, {what}");
        assert_eq!(clinical.plans_created, n("plans_created"), "plans created, {what}");
        assert_eq!(clinical.plans_accepted, n("plans_accepted"), "plans accepted, {what}");
        assert_eq!(clinical.pipeline_value, dec("pipeline"), "pipeline value, {what}");
        assert_eq!(patients.active_patients, n("active_patients"), "active patients, {what}");
        assert_eq!(patients.recall_due, n("recall_due"), "recall due, {what}");
        assert_eq!(patients.recall_overdue, n("recall_overdue"), "recall overdue, {what}");
        assert_eq!(patients.churn_risk, n("churn_risk"), "churn risk, {what}");
        assert_eq!(patients.lapsed, n("lapsed"), "lapsed, {what}");
        let start = format!("{} {}", patients.lapsed_at_start, patients.won_back);
        assert_eq!(start, row.get::<String, _>("lapsed_at_start_won_back"), "lapsed at the start, won back, {what}");
        assert_eq!(inventory.stock_value, dec("stock_value"), "stock value, {what}");
        assert_eq!(inventory.expired, n("expired_batches"), "expired batches, {what}");
        assert_eq!(
            (patients.new_patients, patients.returning_patients),
            (ops.new_patients, ops.returning_patients),
            "patients' new and returning == operations', {what}"
        );
    }
}
