//! The generator is deterministic, realistic in volume, and the demo network
//! shows the profiles the console design asks for.

use chrono::NaiveDate;
use odx_core::Period;
use odx_core::{GroupBy, MetricScope};
use odx_fixtures::generator::{generate, invoice_stream, NetworkConfig};
use odx_fixtures::sql::{demo_teardown_sql, write_copy};
use rust_decimal::Decimal;

fn june() -> (NaiveDate, NaiveDate) {
    (NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 6, 30).unwrap())
}

#[test]
fn same_seed_same_rows_other_seed_other_rows() {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let a = generate(&NetworkConfig::sized(3, start, 20, 1));
    assert_eq!(a, generate(&NetworkConfig::sized(3, start, 20, 1)));
    assert_ne!(a.invoices, generate(&NetworkConfig::sized(3, start, 20, 2)).invoices);
    let s: Vec<_> = invoice_stream(4, start, 30, 1000, 9).collect();
    assert_eq!(s, invoice_stream(4, start, 30, 1000, 9).collect::<Vec<_>>());
}

#[test]
fn volumes_are_tens_of_appointments_per_branch_per_day() {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let config = NetworkConfig::sized(5, start, 28, 3);
    let t = generate(&config);
    let open_days = 24; // 28 days minus 4 Sundays
                        // Lapsed patients' visits before the period do not count.
    let first =
        chrono::DateTime::<chrono::Utc>::from_naive_utc_and_offset(start.and_hms_opt(0, 0, 0).unwrap(), chrono::Utc);
    let in_period = t.appointments.iter().filter(|a| a.starts_at >= first - chrono::Duration::hours(5)).count();
    let per_branch_day = in_period as f64 / (5 * open_days) as f64;
    assert!((15.0..=60.0).contains(&per_branch_day), "{per_branch_day} appointments per branch per day");
    assert!(t.invoices.len() > t.appointments.len() / 2, "most visits are billed");
    assert!(t.invoice_items.len() >= t.invoices.len() && !t.payments.is_empty() && !t.lab_cases.is_empty());
    // Every generated row is consistent with the clinic it belongs to.
    let ids = config.clinic_ids();
    assert!(t.appointments.iter().all(|a| ids.contains(&a.clinic_id)));
    let scope = MetricScope::new(ids, start, NaiveDate::from_ymd_opt(2026, 1, 28).unwrap(), GroupBy::Clinic).unwrap();
    let ops = t.operations(&scope).unwrap();
    for g in &ops.groups {
        let u = g.metrics.doctor_utilization.unwrap();
        assert!(u > Decimal::new(2, 1) && u < Decimal::ONE, "clinic {}: doctor utilization {u}", g.clinic_id);
    }
}

#[test]
fn the_demo_network_tells_its_story() {
    let config = NetworkConfig::demo();
    let t = generate(&config);
    let names: Vec<&str> = t.clinics.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["ssh & Associates", "DEMO-Gulberg", "DEMO-Johar-Town", "DEMO-Karachi"]);
    let (from, to) = june();
    let scope = MetricScope::new(config.clinic_ids(), from, to, GroupBy::Clinic).unwrap();
    let fin = t.financial(&scope).unwrap();
    let ops = t.operations(&scope).unwrap();
    let acc = t.accounting(&scope).unwrap();
    let lab = t.lab(&scope).unwrap();
    let l = |id| lab.clinic_row(id).unwrap();
    let staff = t.staff(&scope).unwrap();
    let st = |id| staff.clinic_row(id).unwrap();
    let clinical = t.clinical(&scope).unwrap();
    let acceptance = |id| clinical.clinic_row(id).unwrap().acceptance_rate.unwrap();
    let inv = t.inventory(&scope).unwrap();
    let patients = t.patients(&scope).unwrap();
    let pat = |id| patients.clinic_row(id).unwrap();
    let churn_share = |id| Decimal::from(pat(id).churn_risk) / Decimal::from(pat(id).patients_on_file);
    let late_share = |m: &odx_core::StaffMetrics| Decimal::from(m.late_arrivals) / Decimal::from(m.present_days);
    let [hq, gulberg, johar, karachi] = [501, 502, 503, 504];
    let a = |id| acc.clinic_row(id).unwrap();
    // Expense bloat: running costs (opex) per rupee received, and the whole
    // expense ratio, are the worst at Gulberg, which runs at a loss.
    let opex_share = |m: &odx_core::AccountingMetrics| m.opex / m.receipts;
    assert!(a(gulberg).net_profit < Decimal::ZERO, "Gulberg runs at a loss: {}", a(gulberg).net_profit);
    let f = |id| fin.clinic_row(id).unwrap();
    let o = |id| ops.clinic_row(id).unwrap();
    let noshow = o(gulberg).no_show_rate.unwrap();
    assert!(noshow > Decimal::new(15, 2) && noshow < Decimal::new(23, 2), "Gulberg no-show near 19%: {noshow}");
    let aged = |m: &odx_core::FinancialMetrics| (m.ar_aging.days_61_90 + m.ar_aging.over_90) / m.billed;
    let insurance_share = |m: &odx_core::FinancialMetrics| m.outstanding_by_payer.insurance / m.outstanding;
    let others = |me: i64| [hq, gulberg, johar, karachi].into_iter().filter(move |id| *id != me);
    for id in others(gulberg) {
        assert!(o(id).no_show_rate < o(gulberg).no_show_rate, "Gulberg has the worst no-show rate (vs {id})");
        assert!(
            o(id).doctor_utilization > o(gulberg).doctor_utilization,
            "Gulberg has the lowest utilization (vs {id})"
        );
        assert!(aged(f(id)) < aged(f(gulberg)), "Gulberg has the heaviest 60+ day AR for its size (vs {id})");
        assert!(opex_share(a(id)) < opex_share(a(gulberg)), "Gulberg's expense bloat (vs {id})");
        assert!(a(id).expense_ratio < a(gulberg).expense_ratio, "Gulberg's expense ratio is the worst (vs {id})");
        assert!(a(id).net_profit > Decimal::ZERO, "{id} is profitable");
        let (lab_me, lab_them) = (&l(gulberg).figures, &l(id).figures);
        assert!(lab_them.overdue_cases < lab_me.overdue_cases, "Gulberg's lab delays: most overdue cases (vs {id})");
        assert!(lab_them.avg_turnaround_days < lab_me.avg_turnaround_days, "Gulberg's slowest turnaround (vs {id})");
        assert!(st(id).absenteeism_rate < st(gulberg).absenteeism_rate, "Gulberg's absenteeism (vs {id})");
        assert!(late_share(st(id)) < late_share(st(gulberg)), "Gulberg's staff are late most often (vs {id})");
        assert!(acceptance(gulberg) < acceptance(id), "Gulberg converts the fewest plans (vs {id})");
        assert!(churn_share(id) < churn_share(gulberg), "Gulberg loses the most lapsed patients (vs {id})");
        let cover = |id| inv.clinic_row(id).unwrap().days_of_cover.unwrap();
        assert!(cover(id) < cover(gulberg), "Gulberg over-orders: the most days of cover (vs {id})");
    }
    // The rebalance moves Gulberg's overstock to the branches running short.
    let lines = &inv.totals.rebalance;
    assert!(lines.len() >= 3, "rebalance suggestions: {lines:?}");
    assert!(lines.iter().all(|l| l.from_clinic_id == gulberg), "Gulberg is the sender: {lines:?}");
    assert!(lines.iter().any(|l| l.to_clinic_id == johar), "busy Johar-Town receives: {lines:?}");
    for id in [hq, gulberg, johar, karachi] {
        let m = inv.clinic_row(id).unwrap();
        assert_eq!((m.items, m.skus), (12, 12), "{id}: the whole catalog");
        assert!(m.stock_value > Decimal::ZERO && m.rebalance.is_empty(), "{id}: stock; no transfer within a branch");
    }
    for id in [hq, gulberg, johar, karachi] {
        let m = pat(id);
        // Lapsed patients from before 2026 are the churn risk; June's new and
        // returning are the operations domain's.
        assert!(m.churn_risk > 20 && m.churn_list.len() == m.churn_risk.min(100) as usize, "{id}: churn list");
        assert!(m.churn_list[0].lifetime_billed > Decimal::ZERO, "{id}: the most valuable lapsed patient first");
        assert!(m.recall_due > 0 && m.recall_overdue > m.recall_due, "{id}: recalls due and a backlog");
        assert!(m.active_patients > m.new_patients + m.returning_patients, "{id}: active over 18 months");
        let ops_row = o(id);
        assert_eq!((m.new_patients, m.returning_patients), (ops_row.new_patients, ops_row.returning_patients));
    }
    let absent = st(gulberg).absenteeism_rate.unwrap();
    assert!(absent > Decimal::new(10, 2) && absent < Decimal::new(19, 2), "Gulberg absenteeism near 14%: {absent}");
    for id in [hq, gulberg, johar, karachi] {
        let m = st(id);
        // Manager, receptionist, assistant, hygienist, the doctors and the
        // receptionist hired on May 1; the former assistant is not staff.
        assert_eq!(m.headcount, 4 + config.branches[(id - hq) as usize].doctors as u64 + 1, "headcount of {id}");
        assert_eq!(m.payroll_cost, a(id).payroll, "staff payroll == accounting payroll at {id}");
        assert!(m.present_days > 0 && m.revenue_per_staff.is_some());
    }
    for id in [hq, gulberg, johar, karachi] {
        let c = clinical.clinic_row(id).unwrap();
        assert!(c.plans_created > 20 && c.pipeline_value > Decimal::ZERO, "{id}: plans and a pipeline");
        assert!(c.quotation_conversion.is_some() && c.completion_rate.is_some());
        assert_eq!(c.top_procedures_by_volume.len(), 10, "{id}: the whole catalog is billed in a month");
    }
    let january = MetricScope::new(
        config.clinic_ids(),
        config.start,
        NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        GroupBy::Clinic,
    )
    .unwrap();
    let jan = t.staff(&january).unwrap();
    assert_eq!(jan.totals.headcount + 4, staff.totals.headcount, "the May hires are not staff in January");
    for id in others(johar) {
        assert!(f(id).billed < f(johar).billed, "Johar-Town bills the most (vs {id})");
        assert!(o(id).no_show_rate > o(johar).no_show_rate, "Johar-Town has the lowest no-show (vs {id})");
        assert!(acceptance(id) < acceptance(johar), "Johar-Town has the highest treatment acceptance (vs {id})");
    }
    for id in others(karachi) {
        assert!(
            insurance_share(f(id)) < insurance_share(f(karachi)),
            "Karachi's AR is the most insurance-heavy (vs {id})"
        );
    }
}

#[test]
fn copy_output_escapes_text_and_has_one_line_per_row() {
    let mut t = odx_fixtures::known_answer::tables();
    t.clinics[0].name = "Tab\there\\back\nline".into();
    let mut out = Vec::new();
    write_copy(&t, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("1\tTab\\there\\\\back\\nline\tLahore\tactive\tAsia/Karachi\n"));
    let appointments = text.split("COPY app.appointments").nth(1).unwrap().split("\\.").next().unwrap();
    assert_eq!(appointments.lines().count() - 1, t.appointments.len(), "one line per appointment after the COPY line");
    assert!(text.contains("\\N"), "nulls are \\N");
    assert_eq!(text.matches("COPY app.").count(), text.matches("\n\\.\n").count(), "every COPY block ends");
}

#[test]
fn teardown_deletes_only_what_the_ledger_records() {
    // No branch is matched by its name or its organization: every DELETE
    // joins the ledger (tests/tests/demo_teardown.rs runs it on a database).
    let sql = demo_teardown_sql();
    assert!(!sql.contains("LIKE"));
    assert_eq!(sql.matches("DELETE FROM").count(), sql.matches("USING odx_demo.ledger l WHERE l.relation").count());
    assert_eq!(sql.matches("DELETE FROM app.clinics").count(), 1);
}

#[test]
fn the_demo_console_flags_gulberg_and_puts_johar_town_on_top() {
    use odx_core::insights::Driver;
    let config = NetworkConfig::demo();
    let t = generate(&config);
    let (from, to) = june();
    let (gulberg, johar) = (config.first_clinic_id + 1, config.first_clinic_id + 2);
    let c = t.command(config.organization_id, None, Period::new(from, to)).unwrap();
    assert_eq!(c.leaderboard[0].clinic_id, johar, "DEMO-Johar-Town bills the most");
    let g = c.leaderboard.iter().find(|r| r.clinic_id == gulberg).unwrap();
    assert!(g.worst_no_show, "DEMO-Gulberg has the worst no-show rate");
    // the head office's targets: Gulberg breaches no-show, collection and expense ratio; no other branch does
    assert_eq!(g.alerts, 3);
    assert!(c.alerts.iter().filter(|a| a.clinic_id.is_some()).all(|a| a.clinic_id == Some(gulberg)));
    assert!(c.leaderboard.iter().filter(|r| r.clinic_id != gulberg).all(|r| r.alerts == 0));
    // benchmarked against the network median, Gulberg trails on the leaks
    let b = t.benchmark(config.organization_id, gulberg, None, Period::new(from, to)).unwrap();
    for driver in [Driver::NoShowRate, Driver::CollectionRate, Driver::ExpenseRatio, Driver::DoctorUtilization] {
        assert!(b.drivers.iter().any(|d| d.driver == driver && d.worse), "Gulberg trails on {driver:?}");
    }
    // and the digest's most valuable action is Gulberg's
    let digest = t.digest(config.organization_id, None, Period::new(from, to)).unwrap();
    assert_eq!(digest.actions[0].clinic_id, gulberg, "{:?}", digest.actions);
    assert!(digest.anomalies.iter().any(|a| a.clinic_id == Some(gulberg)));
}

#[test]
fn every_additive_measure_of_every_domain_sums_over_the_branches() {
    use odx_core::compare::Change;
    use odx_core::Domain;
    let config = NetworkConfig::demo();
    let t = generate(&config);
    let (from, to) = june();
    let scope = MetricScope::new(config.clinic_ids(), from, to, GroupBy::Clinic).unwrap();
    let tolerance = Decimal::new(1, 20);
    for domain in Domain::ALL {
        let c = t.compare(domain, &scope).unwrap();
        assert_eq!(c.groups.len(), c.totals.len() * config.clinic_ids().len(), "{domain:?}");
        for total in c.totals.iter().filter(|m| m.kind.additive()) {
            let rows: Vec<_> = c.groups.iter().filter(|g| g.change.metric == total.metric).collect();
            for side in [|c: &Change| c.current, |c: &Change| c.previous] {
                let sum: Decimal = rows.iter().map(|g| side(&g.change).unwrap()).sum();
                assert_eq!(Some(sum), side(total), "{domain:?} {}: the branches add up to the network", total.metric);
            }
            if total.current.is_some_and(|v| v > Decimal::ZERO) {
                let shares: Decimal = rows.iter().map(|g| g.share.unwrap()).sum();
                assert!(
                    (shares - Decimal::ONE).abs() < tolerance,
                    "{domain:?} {}: shares sum to {shares}",
                    total.metric
                );
            }
        }
    }
}

#[test]
fn forecasts_measure_their_error_on_generated_history() {
    // The errors the README quotes: the demo network at three cuts of June 2026.
    let config = NetworkConfig::demo();
    let t = generate(&config);
    let ids = config.clinic_ids();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    for as_of in ["2026-06-07", "2026-06-14", "2026-06-21"] {
        let f = t.forecast_revenue(&ids, d(as_of)).unwrap();
        let n = t.forecast_no_shows(&ids, d(as_of)).unwrap();
        let c = t.forecast_churn(&ids, d(as_of)).unwrap();
        println!(
            "as of {as_of}: revenue MAPE network {:.4} branches {:.4}; no-show WAPE {:.4} bias {:.4}; \
             churn list {} precision {:.4} recall {:.4}",
            f.mape.unwrap(),
            f.branch_mape.unwrap(),
            n.wape.unwrap(),
            n.bias.unwrap(),
            c.network.at_risk,
            c.precision.unwrap(),
            c.recall.unwrap()
        );
        // most of the list stays away; lapsed patients do come back during the period
        assert!(c.precision.unwrap() > Decimal::new(70, 2), "precision {:?}", c.precision);
        assert!(c.backtest.iter().filter(|k| k.clinic_id.is_none()).all(|k| k.won_back > 0 && k.flagged > k.won_back));
        assert_eq!(c.backtest.len(), 3 * (1 + ids.len()));
        let sum: u64 = c.branches.iter().map(|b| b.at_risk).sum();
        assert_eq!((sum, c.list.len()), (c.network.at_risk, c.network.at_risk.min(100) as usize));
        assert_eq!(f.backtest.len(), 3 * (1 + ids.len()));
        assert!(f.mape.unwrap() < Decimal::new(10, 2), "the weekday run rate is within 10% on the demo history");
        assert!(f.branches.iter().all(|b| b.mape.is_some() && b.projected >= b.billed_to_date));
        assert_eq!(n.backtest.len(), 4 * (1 + ids.len()));
        assert!(n.wape.unwrap() < Decimal::new(40, 2), "branch-week no-shows within 40% (Poisson noise alone is ~25%)");
        // the network is the sum of its branches, the doctors ranked by expected no-shows
        let sum: Decimal = n.branches.iter().map(|b| b.expected_no_shows).sum();
        assert_eq!(sum, n.network.expected_no_shows);
        assert!(n.doctors.windows(2).all(|w| w[0].expected_no_shows >= w[1].expected_no_shows));
    }
    // DEMO-Gulberg, the no-show leak, carries the highest risk
    let n = t.forecast_no_shows(&ids, d("2026-06-21")).unwrap();
    let worst = n.branches.iter().max_by(|a, b| a.risk.cmp(&b.risk)).unwrap();
    assert_eq!(worst.clinic_id, Some(config.first_clinic_id + 1));
}
