//! Known answers of the console layer on the known-answer fixture: scope
//! resolution, targets and alerts, and the Command Center (EXPECTED.md,
//! "Targets and the Command Center", works every value by hand).

use chrono::NaiveDate;
use odx_core::policy::{read_request, Reason};
use odx_core::policy::{resolve_scope, Level, OrgDirectory};
use odx_core::targets::{MinVolume, Severity, TargetMetric, TargetStatus};
use odx_core::Period;
use odx_core::{GroupBy, MetricScope, OdxError};
use odx_fixtures::known_answer::{tables, ORG_ID, OTHER_ORG_ID};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn m(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn frac(n: &str, over: &str) -> Decimal {
    m(n) / m(over)
}

#[test]
fn the_org_admin_resolves_to_both_branches() {
    let t = tables();
    let dir = OrgDirectory::new(&t.organization_clinics, &t.clinics);
    let s = resolve_scope(90, &t.users, &t.user_organization_assignments, &dir, None, None, None).unwrap();
    assert_eq!((s.level, s.clinic_ids, s.organization_id), (Level::Network, vec![1, 2], ORG_ID));
    assert_eq!(
        resolve_scope(90, &t.users, &t.user_organization_assignments, &dir, None, Some(3), None),
        Err(OdxError::ForbiddenScope { clinic_id: 3 })
    );
    assert_eq!(
        resolve_scope(11, &t.users, &t.user_organization_assignments, &dir, None, None, None),
        Err(OdxError::NoConsoleAccess { user_id: 11 })
    );
}

#[test]
fn every_console_role_of_the_fixture_resolves_as_the_rules_say() {
    let t = tables();
    let scope =
        |user, org, focus| t.insights_scope(user, org, focus, None).map(|s| (s.level, s.organization_id, s.clinic_ids));
    // by city: the org admin's branches in Dubai; never the Dubai manager's
    // view of Lahore
    assert_eq!(t.insights_scope(90, None, None, Some("dubai")).unwrap().clinic_ids, vec![2]);
    assert_eq!(t.insights_scope(91, None, None, Some("Lahore")).unwrap_err().code(), "ODX_FORBIDDEN_SCOPE");
    // the branch manager of Dubai sees Dubai only, and cannot widen it
    assert_eq!(scope(91, None, None), Ok((Level::Branch, ORG_ID, vec![2])));
    assert_eq!(scope(91, None, Some(2)), Ok((Level::Branch, ORG_ID, vec![2])));
    assert_eq!(scope(91, None, Some(1)), Err(OdxError::ForbiddenScope { clinic_id: 1 }));
    // the org admin narrows to a focus branch
    assert_eq!(scope(90, Some(ORG_ID), Some(1)), Ok((Level::Network, ORG_ID, vec![1])));
    assert_eq!(scope(90, Some(OTHER_ORG_ID), None), Err(OdxError::NoConsoleAccess { user_id: 90 }));
    // an organization without branches: an empty network
    assert_eq!(scope(92, None, None), Ok((Level::Network, OTHER_ORG_ID, vec![])));
    // console roles in two organizations: one must be named
    assert_eq!(scope(93, None, None), Err(OdxError::AmbiguousOrganization { user_id: 93 }));
    assert_eq!(scope(93, Some(OTHER_ORG_ID), None), Ok((Level::Network, OTHER_ORG_ID, vec![])));
    // a branch manager assignment naming another network's branch grants nothing
    assert_eq!(scope(94, None, None), Err(OdxError::NoConsoleAccess { user_id: 94 }));
    // branch staff and unknown users
    assert_eq!(scope(21, None, None), Err(OdxError::NoConsoleAccess { user_id: 21 }));
}

#[test]
fn permission_decisions_of_the_fixture() {
    let t = tables();
    let decide = |user, action: &str, resource: &str| {
        let (a, r) = read_request(action, resource).unwrap();
        t.authorize(user, &a, &r).map(|d| (d.allowed, d.reason))
    };
    let edit = r#"{"action": "clinic_admin", "permission": "appointments.edit"}"#;
    let insights = r#"{"action": "view_insights"}"#;
    let clinic = |c: i64| format!(r#"{{"kind": "clinic", "clinic_id": {c}}}"#);
    assert_eq!(decide(90, edit, &clinic(2)), Ok((true, Reason::OrgAdmin)));
    assert_eq!(decide(92, edit, &clinic(2)), Ok((false, Reason::OutsideOrganization)));
    assert_eq!(decide(91, insights, &clinic(2)), Ok((true, Reason::BranchManager)));
    assert_eq!(decide(91, insights, &clinic(1)), Ok((false, Reason::NotPermitted)));
    assert_eq!(decide(94, insights, &clinic(1)), Ok((false, Reason::OutsideOrganization)));
    assert_eq!(decide(21, edit, &clinic(2)), Ok((false, Reason::NotPermitted)));
    let plan = r#"{"action": "change_plan"}"#;
    let org = |o: i64| format!(r#"{{"kind": "organization", "organization_id": {o}}}"#);
    assert_eq!(decide(90, plan, &org(ORG_ID)), Ok((true, Reason::OrgAdmin)));
    assert_eq!(decide(91, plan, &org(ORG_ID)), Ok((false, Reason::NetworkOnly)));
    assert_eq!(
        decide(21, r#"{"action": "open_module", "module": "billing"}"#, &org(ORG_ID)),
        Ok((false, Reason::NetworkOnly))
    );
    let template = |c: &str| format!(r#"{{"kind": "template", "organization_id": {ORG_ID}, "clinic_id": {c}}}"#);
    assert_eq!(decide(21, r#"{"action": "view_template"}"#, &template("null")), Ok((true, Reason::BranchStaff)));
    assert_eq!(
        decide(21, r#"{"action": "delete_template"}"#, &template("null")),
        Ok((false, Reason::OrgTemplateProtected))
    );
    assert_eq!(decide(999, plan, &org(ORG_ID)), Err(OdxError::UnknownUser { user_id: 999 }));
    let bad = read_request(r#"{"action": "fly"}"#, &org(ORG_ID)).unwrap_err();
    assert!(matches!(bad, OdxError::InvalidArgument { field: "action", .. }), "{bad}");
    let bad = read_request(plan, r#"{"kind": "clinic"}"#).unwrap_err();
    assert!(matches!(bad, OdxError::InvalidArgument { field: "resource", .. }), "{bad}");
}

/// The Command Center with rate targets judged on any volume (the known
/// answers' branches are far smaller than a real one's: with the default
/// minimums their rate targets are `insufficient_data`, see below).
fn command_on_any_volume(t: &odx_core::Tables, period: Period) -> odx_core::command::CommandCenter {
    let any = MinVolume { appointments: 0, invoices: 0, capacity_hours: 0 };
    let plan = t.console_plan(ORG_ID, None, None, period).unwrap().with_min_volume(Some(any));
    plan.command(&t.plan_reports(&plan).unwrap()).unwrap()
}

#[test]
fn command_center_of_june() {
    let t = tables();
    let c = command_on_any_volume(&t, Period::new(d("2026-06-01"), d("2026-06-30")));

    // revenue month to date: the whole of June, 50,000 billed against 55,000
    assert_eq!(
        (c.revenue_mtd.month_start, c.revenue_mtd.elapsed_days, c.revenue_mtd.month_days),
        (d("2026-06-01"), 30, 30)
    );
    assert_eq!(c.revenue_mtd.billed, m("50000.00"));
    assert_eq!(c.revenue_mtd.target_monthly, Some(m("55000")));
    assert_eq!(c.revenue_mtd.target_to_date, Some(m("55000.00")));
    assert_eq!(c.revenue_mtd.attainment, Some(frac("50000", "55000").normalize()));

    // the range's headline numbers (the domains' known answers)
    assert_eq!((c.billed, c.collected), (m("50000.00"), m("37000.00")));
    assert_eq!(c.collection_rate, Some(m("0.74")));
    assert_eq!(c.no_show_rate, Some(frac("3", "14").normalize()));
    // the leaderboard's bleeds add up to the headline: 19,500.00 + 3,666.67
    assert_eq!(c.no_show_bleed, Some(m("23166.67")));
    assert_eq!(c.leaderboard.iter().filter_map(|r| r.no_show_bleed).sum::<Decimal>(), m("23166.67"));
    assert_eq!(c.net_profit, Some(m("-9300.00")));
    assert!(c.missing.is_empty(), "every part computed");
    assert_eq!(c.expense_ratio, Some(frac("46300", "37000").normalize()));

    // every target judged, in id order; 11 (unknown metric) and 12 (weekly) kept out
    let judged: Vec<_> = c.targets.evaluations.iter().map(|e| (e.target_id, e.status, e.severity)).collect();
    use Severity::*;
    use TargetStatus::*;
    assert_eq!(
        judged,
        [
            (1, Breached, Some(Warning)),
            (2, Breached, Some(Critical)),
            (3, Met, None),
            (4, Breached, Some(Warning)),
            (5, Met, None),
            (6, Breached, Some(Critical)),
            (7, Met, None),
            (8, Breached, Some(Critical)),
            (9, Met, None),
            (10, Breached, Some(Warning)),
        ]
    );
    assert_eq!((c.targets.data_quality.unknown_metric, c.targets.data_quality.unknown_period), (1, 1));

    // the alert strip: critical first (the zero target's unbounded miss
    // leads), then the largest miss
    let strip: Vec<_> =
        c.alerts.iter().map(|a| (a.metric, a.clinic_id, a.actual, a.target, a.severity, a.miss)).collect();
    assert_eq!(
        strip,
        [
            (TargetMetric::LabOverdueMax, Some(1), m("2"), m("0"), Critical, None),
            (
                TargetMetric::NoshowRateMax,
                Some(1),
                m("0.2"),
                m("0.18"),
                Critical,
                Some(frac("0.02", "0.18").normalize())
            ),
            (TargetMetric::Ar90Max, Some(1), m("4000.00"), m("3600"), Critical, Some(frac("400", "3600").normalize())),
            (
                TargetMetric::RevenueMonthly,
                None,
                m("50000.00"),
                m("55000.00"),
                Warning,
                Some(frac("5000", "55000").normalize())
            ),
            (
                TargetMetric::UtilizationMin,
                None,
                frac("525", "9600").normalize(),
                m("0.06"),
                Warning,
                Some(m("0.0885416666666666666666666667"))
            ),
            (TargetMetric::CollectionRateMin, None, m("0.74"), m("0.80"), Warning, Some(m("0.075"))),
        ]
    );

    // the leaderboard: Lahore (39,000) over Dubai (11,000); Dubai has the
    // worst no-show rate (1/4 against 2/10), Lahore the largest AR 90+
    let board: Vec<_> = c
        .leaderboard
        .iter()
        .map(|r| (r.rank, r.clinic_id, r.billed, r.worst_no_show, r.largest_ar_90, r.alerts))
        .collect();
    assert_eq!(board, [(1, 1, m("39000.00"), false, true, 3), (2, 2, m("11000.00"), true, false, 0)]);
    assert_eq!(c.leaderboard[0].net_profit, Some(m("-10200.00")));
    assert_eq!(c.leaderboard[1].ar_90, m("1500.00"));
}

/// EXPECTED.md, "Too little volume": with the default minimums (20
/// appointments, 10 invoices, 40 capacity hours) the no-show targets of
/// both branches (10 and 4 appointments scheduled) and the network's
/// collection-rate target (7 invoices) are insufficient data: no alert.
#[test]
fn a_rate_on_too_little_volume_is_insufficient_data_not_an_alert() {
    let t = tables();
    let c = t.command(ORG_ID, None, Period::new(d("2026-06-01"), d("2026-06-30"))).unwrap();
    assert_eq!(c.targets.min_volume, MinVolume::DEFAULT);
    let judged: Vec<_> =
        c.targets.evaluations.iter().map(|e| (e.target_id, e.status, e.volume.map(|v| (v.volume, v.min)))).collect();
    use TargetStatus::*;
    assert_eq!(
        judged,
        [
            (1, Breached, None),
            (2, InsufficientData, Some((10, 20))),
            (3, InsufficientData, Some((4, 20))),
            (4, InsufficientData, Some((7, 10))),
            (5, Met, None),
            (6, Breached, None),
            (7, Met, None),
            (8, Breached, None),
            (9, Met, None),
            (10, Breached, Some((160, 40))),
        ]
    );
    let metrics: Vec<_> = c.alerts.iter().map(|a| (a.metric, a.clinic_id)).collect();
    assert_eq!(
        metrics,
        [
            (TargetMetric::LabOverdueMax, Some(1)),
            (TargetMetric::Ar90Max, Some(1)),
            (TargetMetric::RevenueMonthly, None),
            (TargetMetric::UtilizationMin, None),
        ]
    );
    assert_eq!(c.leaderboard[0].alerts, 2, "Lahore: lab overdue and AR 90+, no longer the no-show rate");
}

#[test]
fn mid_month_prorates_and_a_longer_range_keeps_the_month_to_date() {
    let t = tables();
    let c = t.command(ORG_ID, None, Period::new(d("2026-06-01"), d("2026-06-15"))).unwrap();
    // 55,000 x 15 / 30
    assert_eq!(c.revenue_mtd.target_to_date, Some(m("27500.00")));
    assert_eq!(c.revenue_mtd.elapsed_days, 15);
    let half =
        t.financial(&MetricScope::new(vec![1, 2], d("2026-06-01"), d("2026-06-15"), GroupBy::Clinic).unwrap()).unwrap();
    assert_eq!(c.revenue_mtd.billed, half.totals.billed);

    // May and June: the leaderboard and headline read the range, the
    // targets and revenue to date read June alone
    let long = t.command(ORG_ID, None, Period::new(d("2026-05-01"), d("2026-06-30"))).unwrap();
    let june = t.command(ORG_ID, None, Period::new(d("2026-06-01"), d("2026-06-30"))).unwrap();
    assert_eq!(long.revenue_mtd, june.revenue_mtd);
    assert_eq!(long.alerts, june.alerts);
    let both =
        t.financial(&MetricScope::new(vec![1, 2], d("2026-05-01"), d("2026-06-30"), GroupBy::Clinic).unwrap()).unwrap();
    assert_eq!(long.billed, both.totals.billed);
    for r in &long.leaderboard {
        let g = both.groups.iter().find(|g| g.clinic_id == r.clinic_id).unwrap();
        assert_eq!(r.billed, g.metrics.billed);
    }
}

#[test]
fn a_branch_alone_is_its_leaderboard_row() {
    let t = tables();
    let network = t.command(ORG_ID, None, Period::new(d("2026-06-01"), d("2026-06-30"))).unwrap();
    for row in &network.leaderboard {
        let alone =
            t.command(ORG_ID, Some(vec![row.clinic_id]), Period::new(d("2026-06-01"), d("2026-06-30"))).unwrap();
        let mine = &alone.leaderboard[0];
        assert_eq!(
            (mine.billed, mine.collected, mine.ar_90, mine.net_profit),
            (row.billed, row.collected, row.ar_90, row.net_profit)
        );
        assert_eq!(
            (mine.no_show_rate, mine.no_show_bleed, mine.alerts),
            (row.no_show_rate, row.no_show_bleed, row.alerts)
        );
        // branch targets are judged the same alone; network targets are not
        // judged against one branch, only counted
        let branch_alerts = |c: &odx_core::command::CommandCenter| -> Vec<_> {
            c.alerts.iter().filter(|a| a.clinic_id == Some(row.clinic_id)).cloned().collect()
        };
        assert_eq!(branch_alerts(&alone), branch_alerts(&network));
        assert!(alone.targets.evaluations.iter().all(|e| e.clinic_id.is_some()), "no network target judged");
        assert!(alone.alerts.iter().all(|a| a.clinic_id.is_some()));
        // targets 1, 4, 7 and 10 (EXPECTED.md)
        let network_rows = network.targets.evaluations.iter().filter(|e| e.clinic_id.is_none()).count() as u64;
        assert_eq!(network_rows, 4);
        assert_eq!(alone.targets.data_quality.network_not_in_scope, 4);
        assert_eq!((alone.revenue_mtd.target_monthly, alone.revenue_mtd.attainment), (None, None));
    }
    // both branches are the whole organization: network targets judged
    assert_eq!(network.targets.data_quality.network_not_in_scope, 0);
    let both = t.command(ORG_ID, Some(vec![2, 1]), Period::new(d("2026-06-01"), d("2026-06-30"))).unwrap();
    assert_eq!(both.alerts, network.alerts);
}

#[test]
fn benchmarks_of_june_against_the_two_branch_median() {
    use odx_core::insights::Driver;
    let t = tables();
    let b = t.benchmarks(ORG_ID, None, Period::new(d("2026-06-01"), d("2026-06-30"))).unwrap();
    let gap = |clinic: usize, driver: Driver| b[clinic].drivers.iter().find(|g| g.driver == driver).unwrap().clone();
    // no-show: 1 of 5 scheduled at Lahore, 1 of 4 at Dubai; the median of two is their mean
    let ns = gap(1, Driver::NoShowRate);
    assert_eq!((ns.value, ns.median, ns.worse), (Some(m("0.25")), Some(m("0.225")), true));
    // Dubai's 0.025 excess x 4 scheduled x its 3,666.67 ticket
    assert_eq!(ns.impact, Some(m("366.67")));
    assert_eq!(gap(0, Driver::NoShowRate).impact, Some(Decimal::ZERO), "better than the median: nothing at stake");
    // collection: Dubai 8,000 of 11,000 against the median of 29,000/39,000 and 8/11, times its 11,000 billed
    let col = gap(1, Driver::CollectionRate);
    let median = (frac("29000", "39000") + frac("8000", "11000")) / m("2");
    assert_eq!(col.median, Some(median));
    assert_eq!(col.impact, Some(((median - frac("8000", "11000")) * m("11000")).round_dp(2)));
    // expense ratio: Lahore's costs over its receipts against the median, times its 29,000 receipts
    let exp = gap(0, Driver::ExpenseRatio);
    assert_eq!(exp.impact, Some(((exp.value.unwrap() - exp.median.unwrap()) * m("29000")).round_dp(2)));
    assert_eq!(exp.rank, 1, "Lahore's largest PKR gap ranks first");
    // lab overdue has no PKR figure: ranked after every driver that has one
    assert_eq!((gap(1, Driver::LabOverdueShare).impact, gap(1, Driver::LabOverdueShare).rank), (None, 9));
    // a branch outside the organization is refused, not dropped
    assert_eq!(
        t.benchmarks(ORG_ID, Some(vec![1, 3]), Period::new(d("2026-06-01"), d("2026-06-30"))),
        Err(OdxError::ForbiddenScope { clinic_id: 3 })
    );
}

#[test]
fn digest_of_june_ranks_the_three_largest_pkr_gaps() {
    use odx_core::insights::{AnomalyKind, Driver};
    let t = tables();
    let g = t.digest(ORG_ID, None, Period::new(d("2026-06-01"), d("2026-06-30"))).unwrap();
    let c = t.command(ORG_ID, None, Period::new(d("2026-06-01"), d("2026-06-30"))).unwrap();
    // every alert of the Command Center is an anomaly, first, in its order
    let breaches: Vec<_> = g.anomalies.iter().filter(|a| a.kind == AnomalyKind::TargetBreach).collect();
    assert_eq!(breaches.len(), c.alerts.len());
    assert!(breaches.iter().zip(&c.alerts).all(|(b, a)| b.metric == Some(a.metric) && b.value == a.actual));
    // Dubai's doctors are booked far below Lahore's: an outlier, and the top action
    assert!(g.anomalies.iter().any(|a| a.kind == AnomalyKind::Outlier
        && a.clinic_id == Some(2)
        && a.driver == Some(Driver::DoctorUtilization)));
    let top: Vec<_> = g.actions.iter().map(|a| (a.rank, a.clinic_id, a.driver, a.action.as_str())).collect();
    assert_eq!(
        top,
        [
            (1, 2, Driver::DoctorUtilization, "fill_doctor_schedules"),
            (2, 2, Driver::AvgTicket, "present_treatment_plans"),
            (3, 1, Driver::ExpenseRatio, "cut_operating_costs"),
        ]
    );
    // Dubai's ticket gap: (6,708.335 - 3,666.67) x 3 invoices
    assert_eq!(g.actions[1].impact, m("9125.00"));
    assert!(g.actions.windows(2).all(|w| w[0].impact >= w[1].impact));
}

#[test]
fn network_overview_of_a_day() {
    let t = tables();
    let o = t.network_overview(ORG_ID, None, d("2026-06-20")).unwrap();
    // June 20: one appointment at Lahore; invoices of 15,000 (Lahore) and 1,000 (Dubai)
    assert_eq!((o.active_branches, o.appointments, o.billed), (2, 1, m("16000.00")));
    assert_eq!(o.branches.iter().map(|b| b.billed).collect::<Vec<_>>(), [m("15000.00"), m("1000.00")]);
    assert_eq!(o.branches[1].no_show_rate, None, "no appointments at Dubai that day: no rate");
    let alone = t.network_overview(ORG_ID, Some(vec![2]), d("2026-06-20")).unwrap();
    assert_eq!(alone.branches, o.branches[1..]);
    // June 18: B5 at Dubai is cancelled, the only appointment of the day:
    // today's appointments are the ones that are on, so none.
    let cancelled = t.network_overview(ORG_ID, None, d("2026-06-18")).unwrap();
    assert_eq!(cancelled.appointments, 0);
    assert_eq!(cancelled.branches.iter().map(|b| b.appointments).collect::<Vec<_>>(), [0, 0]);
    // June 3: A6 at Karachi is a no-show: on the books, so counted.
    assert_eq!(t.network_overview(ORG_ID, None, d("2026-06-03")).unwrap().appointments, 1);
}

/// The branches and the active ones among them, read from one directory,
/// are `org_branches`' and the directory's `is_active`, refusals included.
#[test]
fn org_branches_active_is_org_branches_and_the_active_among_them() {
    let mut t = tables();
    let dubai = t.clinics.iter_mut().find(|c| c.id == 2).unwrap();
    dubai.status = " Inactive ".into();
    let dir = OrgDirectory::new(&t.organization_clinics, &t.clinics);
    let one: &[i64] = &[1];
    let cases =
        [(None, None), (Some(vec![2]), None), (Some(vec![1]), Some(one)), (None, Some(one)), (Some(vec![3]), None)];
    for (ids, allowed) in cases {
        let both = t.org_branches_active(ORG_ID, ids.clone(), allowed);
        let alone = t.org_branches(ORG_ID, ids.clone(), allowed);
        let active = alone.clone().map(|b| b.into_iter().filter(|c| dir.is_active(*c)).collect::<Vec<_>>());
        assert_eq!(both, alone.and_then(|b| Ok((b, active?))), "{ids:?} within {allowed:?}");
    }
    assert_eq!(t.org_branches_active(ORG_ID, None, None), Ok((vec![1, 2], vec![1])));
    assert_eq!(t.org_branches_active(ORG_ID, None, Some(&[1])), Err(OdxError::ForbiddenScope { clinic_id: 2 }));
    assert_eq!(t.org_branches_active(999, None, None), Err(OdxError::UnknownOrganization { organization_id: 999 }));
    assert_eq!(t.network_overview(ORG_ID, None, d("2026-06-20")).unwrap().active_branches, 1);
}

/// The overview's figures are the day's financial and operations reports'
/// (billed; scheduled and the no-show rate), branch by branch and for the
/// network, though it reads only the day's rows by status.
#[test]
fn the_overview_is_the_days_domain_reports() {
    use odx_fixtures::generator::{generate, NetworkConfig};
    let demo = NetworkConfig::demo();
    let networks =
        [(tables(), ORG_ID, d("2026-06-01"), 30), (generate(&demo), demo.organization_id, d("2026-01-01"), 181)];
    for (t, org, first, days) in networks {
        for day in (0..days).step_by(3).map(|n| first + chrono::Days::new(n)) {
            let o = t.network_overview(org, None, day).unwrap();
            let scope = MetricScope::new(o.clinic_ids.clone(), day, day, GroupBy::Clinic).unwrap();
            let (fin, ops) = (t.financial(&scope).unwrap(), t.operations(&scope).unwrap());
            let figures = |billed, scheduled, rate| (billed, scheduled, rate);
            assert_eq!(
                figures(o.billed, o.appointments, o.no_show_rate),
                figures(fin.totals.billed, ops.totals.scheduled, ops.totals.no_show_rate),
                "{day}"
            );
            for b in &o.branches {
                let (f, p) = (fin.clinic_row(b.clinic_id).unwrap(), ops.clinic_row(b.clinic_id).unwrap());
                assert_eq!(
                    figures(b.billed, b.appointments, b.no_show_rate),
                    figures(f.billed, p.scheduled, p.no_show_rate),
                    "{day} {}",
                    b.branch_name
                );
                assert_eq!(
                    (b.branch_name.as_str(), b.city.as_str()),
                    (fin.branch_names(b.clinic_id).0.as_str(), fin.branch_names(b.clinic_id).1.as_str())
                );
            }
        }
    }
}

#[test]
fn csv_export_of_a_report_and_the_leaderboard() {
    use odx_core::export::{report_csv, table_csv};
    let t = tables();
    let scope = MetricScope::new([1, 2], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
    let fin = t.financial(&scope).unwrap();
    let text = report_csv(&fin).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), fin.groups.len());
    for (row, g) in rows.iter().zip(&fin.groups) {
        assert_eq!(row[col("clinic_id")], g.clinic_id.to_string());
        assert_eq!(row[col("billed")], g.metrics.billed.to_string(), "money keeps its exact text");
        assert_eq!(row[col("ar_aging.90+")], g.metrics.ar_aging.over_90.to_string());
    }
    // names, percentages to one decimal, lists as columns (never JSON)
    assert_eq!((&rows[0][col("branch_name")], &rows[0][col("city")]), ("KA Lahore", "Lahore"));
    assert_eq!(&rows[1][col("branch_name")], "KA Dubai");
    let rate = fin.groups[0].metrics.collection_rate.unwrap() * Decimal::ONE_HUNDRED;
    assert_eq!(rows[0][col("collection_rate")], format!("{}%", rate.round_dp(1)));
    assert!(rows[0][col("payment_mix.cash.share")].ends_with('%'));
    assert!(header.iter().all(|h| !h.starts_with("trend")), "the trend is a table of its own");
    assert!(rows.iter().flat_map(|r| r.iter()).all(|cell| !cell.starts_with('[') && !cell.starts_with('{')));
    let c = t.command(ORG_ID, None, Period::new(d("2026-06-01"), d("2026-06-30"))).unwrap();
    let text = table_csv(&c.leaderboard).unwrap();
    assert!(text.starts_with("rank,clinic_id,branch_name,city,billed,"), "{text}");
    assert!(text.contains(",KA Lahore,Lahore,"), "{text}");
    assert_eq!(text.lines().count(), 1 + c.leaderboard.len());
    // a mean is a number, not a percentage
    let lab = report_csv(&t.lab(&scope).unwrap()).unwrap();
    assert!(!lab.contains("avg_turnaround_days") || !lab.lines().nth(1).unwrap().contains("00%"));
}

#[test]
fn june_against_may_with_each_branchs_share() {
    use odx_core::compare::MeasureKind;
    use odx_core::{Comparable, Domain};
    let t = tables();
    let (from, to) = (d("2026-06-01"), d("2026-06-30"));
    let scope = MetricScope::new([1, 2], from, to, GroupBy::Doctor).unwrap();
    let c = t.compare(Domain::Financial, &scope).unwrap();
    assert_eq!((c.domain, c.previous_from, c.previous_to), (Domain::Financial, d("2026-05-02"), d("2026-05-31")));
    // billed June 50,000 (39,000 + 11,000); May 2..31: I2 8,000 + I3 6,000 (I4 is May 1) and J1 5,000 (Dubai's May 31)
    let billed = c.totals.iter().find(|m| m.metric == "billed").unwrap();
    assert_eq!(
        (billed.kind, billed.current, billed.previous),
        (MeasureKind::Amount, Some(m("50000")), Some(m("19000")))
    );
    assert_eq!((billed.change, billed.change_rate), (Some(m("31000")), Some(frac("31000", "19000"))));
    let branch = |clinic, metric: &str| c.groups.iter().find(|g| g.clinic_id == clinic && g.change.metric == metric);
    let b1 = branch(1, "billed").unwrap();
    assert_eq!((b1.change.current, b1.change.previous), (Some(m("39000")), Some(m("14000"))));
    assert_eq!((b1.share, b1.previous_share), (Some(m("0.78")), Some(frac("14000", "19000"))));
    let b2 = branch(2, "billed").unwrap();
    assert_eq!((b2.share, b2.previous_share), (Some(m("0.22")), Some(frac("5000", "19000"))));
    // a rate changes by points and has no share
    let rate = branch(1, "collection_rate").unwrap();
    assert_eq!(rate.change.kind, MeasureKind::Rate);
    assert_eq!(rate.share, None);
    // every branch carries every measure, in the order of the totals
    assert_eq!(c.groups.len(), 2 * c.totals.len());
    let names: Vec<&str> = c.groups[..c.totals.len()].iter().map(|g| g.change.metric.as_str()).collect();
    assert_eq!(names, c.totals.iter().map(|m| m.metric.as_str()).collect::<Vec<_>>());
    // the current side is the report of the range, the previous side the report of May 2..31
    let june = t.financial(&scope.with_group_by(GroupBy::Clinic)).unwrap();
    let may =
        t.financial(&MetricScope::new([1, 2], d("2026-05-02"), d("2026-05-31"), GroupBy::Clinic).unwrap()).unwrap();
    assert_eq!(june.compare(&may).unwrap(), odx_core::Comparison { calendar: Vec::new(), ..c.clone() });
    // anything but the period of the same length just before is refused
    let april =
        t.financial(&MetricScope::new([1, 2], d("2026-04-01"), d("2026-04-30"), GroupBy::Clinic).unwrap()).unwrap();
    assert!(matches!(june.compare(&april), Err(OdxError::InvalidArgument { field: "previous", .. })));
    let one = t.financial(&MetricScope::new([1], d("2026-05-02"), d("2026-05-31"), GroupBy::Clinic).unwrap()).unwrap();
    assert!(matches!(june.compare(&one), Err(OdxError::InvalidArgument { field: "previous", .. })));
}

#[test]
fn revenue_projection_of_mid_june_by_weekday_means() {
    let t = tables();
    let f = t.forecast_revenue(&[1, 2], d("2026-06-15")).unwrap();
    assert_eq!((f.month_start, f.month_end, f.remaining_days), (d("2026-06-01"), d("2026-06-30"), 15));
    // clinic 1: June 1..15 billed I1 10,000 + I8 12,000; the 28 days through June 15 hold I3 (Sat) 6,000,
    // I2 (Sun) 8,000, I1 (Mon) 10,000, I8 (Wed) 12,000: two of each of those weekdays remain, at a quarter each
    let c1 = f.branches.iter().find(|b| b.clinic_id == Some(1)).unwrap();
    assert_eq!((c1.billed_to_date, c1.projected), (m("22000"), m("40000.00")));
    // clinic 2 (Dubai): J3 (Fri) 3,000 to date; J1 (Sun) 5,000 and J3 in the window
    let c2 = f.branches.iter().find(|b| b.clinic_id == Some(2)).unwrap();
    assert_eq!((c2.billed_to_date, c2.projected), (m("3000"), m("7000.00")));
    assert_eq!(f.network.projected, m("47000.00"));
    // backtest: May 15 for clinic 1 projects I4 (Fri, May 1) 5,000, two Fridays at 1,250 and two Thursdays
    // at 1,750 (I5, Thu April 30, 7,000, is in the 28 days) = 11,000 against May's 19,000 (I4, I3, I2)
    let may = f.backtest.iter().find(|b| b.clinic_id == Some(1) && b.month_start == d("2026-05-01")).unwrap();
    assert_eq!((may.cut, may.projected, may.actual), (d("2026-05-15"), m("11000"), m("19000")));
    assert_eq!(may.error, Some(frac("8000", "19000")));
    // the forecast quotes the mean error of its own cases
    let mine: Vec<Decimal> = f.backtest.iter().filter(|b| b.clinic_id == Some(1)).filter_map(|b| b.error).collect();
    assert_eq!(c1.mape, Some((mine.iter().sum::<Decimal>() / Decimal::from(mine.len())).normalize()));
    // reports of other windows are refused
    let june =
        t.financial(&MetricScope::new([1, 2], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap()).unwrap();
    assert!(matches!(
        odx_core::forecast::revenue_forecast(d("2026-06-15"), &[june]),
        Err(OdxError::InvalidArgument { field: "reports", .. })
    ));
}

#[test]
fn no_show_risk_shrinks_a_doctors_rate_toward_the_branchs() {
    let t = tables();
    let f = t.forecast_no_shows(&[1, 2], d("2026-06-15")).unwrap();
    assert_eq!((f.from, f.to), (d("2026-06-16"), d("2026-06-22")));
    let sum: u64 = f.branches.iter().map(|b| b.booked).sum();
    assert_eq!(sum, f.network.booked);
    for r in &f.doctors {
        let expected = r.risk.map_or(Decimal::ZERO, |p| odx_core::num::round_money(Decimal::from(r.booked) * p));
        assert_eq!(r.expected_no_shows, expected);
    }
    assert_eq!(f.backtest.len(), 4 * 3);
}

#[test]
fn the_churn_list_at_the_end_of_2026_with_its_backtest() {
    // EXPECTED.md, "The churn forecast": 106 comes back on September 10.
    let t = tables();
    let f = t.forecast_churn(&[1, 2], d("2026-12-31")).unwrap();
    let listed: Vec<(i64, i64, Decimal)> =
        f.list.iter().map(|p| (p.clinic_id, p.patient_id, p.lifetime_billed)).collect();
    assert_eq!(
        listed,
        [
            (1, 102, m("20000.00")),
            (2, 203, m("3000.00")),
            (1, 107, m("0")),
            (1, 108, m("0")),
            (1, 109, m("0")),
            (1, 110, m("0"))
        ]
    );
    let at_risk: Vec<(Option<i64>, u64)> =
        std::iter::once(&f.network).chain(&f.branches).map(|b| (b.clinic_id, b.at_risk)).collect();
    assert_eq!(at_risk, [(None, 6), (Some(1), 5), (Some(2), 1)]);
    // (cut, horizon end, clinic, flagged, won back, lapsed)
    let cases: Vec<_> =
        f.backtest.iter().map(|c| (c.cut, c.horizon_end, c.clinic_id, c.flagged, c.won_back, c.lapsed)).collect();
    let (june, may, april) = (d("2026-06-30"), d("2026-05-30"), d("2026-04-30"));
    let (dec, nov, oct) = (d("2026-12-31"), d("2026-11-30"), d("2026-10-31"));
    assert_eq!(
        cases,
        [
            (june, dec, None, 6, 1, 6),
            (june, dec, Some(1), 5, 1, 5),
            (june, dec, Some(2), 1, 0, 1),
            (may, nov, None, 5, 1, 6),
            (may, nov, Some(1), 4, 1, 5),
            (may, nov, Some(2), 1, 0, 1),
            // 203's 2025-08-15 is after April 30 less 9 months: not yet lapsed
            (april, oct, None, 4, 1, 6),
            (april, oct, Some(1), 4, 1, 5),
            (april, oct, Some(2), 0, 0, 1),
        ]
    );
    assert!(f.backtest.iter().all(|c| c.stayed_away == c.flagged - c.won_back));
    assert_eq!(f.backtest[8].precision, None, "nobody flagged");
    assert_eq!(f.backtest[4].precision, Some(frac("3", "4")));
    // pooled over the cuts: 12 of 15 flagged stayed away, 12 of 18 lapsed were flagged
    assert_eq!((f.precision, f.recall), (Some(frac("12", "15")), Some(frac("12", "18"))));
    assert_eq!((f.branches[0].precision, f.branches[0].recall), (Some(frac("10", "13")), Some(frac("10", "15"))));
    assert_eq!((f.branches[1].precision, f.branches[1].recall), (Some(Decimal::ONE), Some(frac("2", "3"))));
    // the list is the patients report's at the as-of date
    let scope = MetricScope::new([1, 2], d("2026-12-31"), d("2026-12-31"), GroupBy::Clinic).unwrap();
    assert_eq!(f.list, t.patients(&scope).unwrap().totals.churn_list);
    // reports of other scopes are refused
    assert!(matches!(
        odx_core::forecast::churn_forecast(d("2026-12-31"), &[t.patients(&scope).unwrap()]),
        Err(OdxError::InvalidArgument { .. })
    ));
}

/// `t` read at `at` (RFC 3339) for June, every branch.
fn june_at(at: &str) -> MetricScope {
    let now = chrono::DateTime::parse_from_rfc3339(at).unwrap().with_timezone(&chrono::Utc);
    Period::new(d("2026-06-01"), d("2026-06-30")).at(Some(now)).scope([1, 2], GroupBy::Clinic).unwrap()
}

/// EXPECTED.md, "A month in progress": June read on June 15 at noon in
/// Karachi (11:00 in Dubai). Nothing after the instant counts: no booked
/// appointment of June 16-30 is missed, no lab case due after the 15th is
/// overdue, AR ages from the 15th, and the revenue target is prorated over
/// 15 of 30 days.
#[test]
fn june_read_on_the_15th_at_noon() {
    let t = tables();
    let s = june_at("2026-06-15T12:00:00+05:00");
    let f = t.financial(&s).unwrap();
    assert_eq!(f.as_of.to_rfc3339(), "2026-06-15T07:00:00+00:00");
    assert_eq!(f.as_of_date, d("2026-06-15"));
    let k = f.clinic_row(1).unwrap();
    assert_eq!((k.billed, k.invoice_count, k.collected), (m("22000.00"), 2, m("24500.00")));
    assert_eq!((k.outstanding, k.credits), (m("30000.00"), m("500.00")));
    let a = &k.ar_aging;
    assert_eq!([a.days_0_30, a.days_31_60, a.days_61_90, a.over_90], [m("12000"), m("12000"), m("6000"), m("0")]);
    let b = f.clinic_row(2).unwrap();
    assert_eq!((b.billed, b.collected, b.outstanding), (m("3000.00"), m("1000.00"), m("11000.00")));
    assert_eq!((b.ar_aging.days_0_30, b.ar_aging.days_61_90), (m("8000"), m("3000")));
    assert_eq!(f.totals.lab_cost, m("3400.00"));

    let o = t.operations(&s).unwrap();
    let k = o.clinic_row(1).unwrap();
    assert_eq!((k.scheduled, k.appointments.no_show, k.appointments.missed, k.appointments.booked), (6, 1, 1, 1));
    assert_eq!(k.no_show_rate, Some(frac("1", "6")));
    let b = o.clinic_row(2).unwrap();
    assert_eq!((b.scheduled, b.appointments.missed, b.appointments.completed), (1, 0, 1));
    assert_eq!(o.totals.no_show_rate, Some(frac("1", "7")));

    let l = t.lab(&s).unwrap();
    let k = &l.clinic_row(1).unwrap().figures;
    assert_eq!((k.open_cases, k.overdue_cases), (3, 1));
    assert_eq!(l.clinic_row(2).unwrap().figures.overdue_cases, 1);

    let c = t.command(ORG_ID, None, Period { now: s.now(), ..Period::new(d("2026-06-01"), d("2026-06-30")) }).unwrap();
    assert_eq!((c.as_of, c.as_of_date), (f.as_of, d("2026-06-15")));
    assert_eq!((c.revenue_mtd.elapsed_days, c.revenue_mtd.month_days), (15, 30));
    assert_eq!(c.revenue_mtd.billed, m("25000.00"));
    assert_eq!(c.revenue_mtd.target_to_date, Some(m("27500.00")));
    assert_eq!(c.revenue_mtd.attainment, Some(frac("25000", "27500")));
    let alerts: Vec<_> = c.alerts.iter().map(|a| (a.metric, a.clinic_id, a.severity)).collect();
    assert_eq!(
        alerts,
        [
            (TargetMetric::LabOverdueMax, Some(1), Severity::Critical),
            (TargetMetric::ExpenseRatioMax, Some(2), Severity::Critical),
            (TargetMetric::RevenueMonthly, None, Severity::Warning),
        ]
    );
}

/// The last minute before Karachi's midnight reads the whole of the 15th in
/// both branches; half an hour past it, Karachi is on the 16th while Dubai
/// is still on the 15th; an hour past it, both are on the 16th. Patient
/// 204 (Dubai) fell due for recall on the 15th: overdue only once Dubai's
/// 15th is over.
#[test]
fn the_local_date_of_the_instant_is_each_branchs_own() {
    let t = tables();
    let recall_overdue = |at: &str| t.patients(&june_at(at)).unwrap().clinic_row(2).map(|r| r.recall_overdue).unwrap();
    let dates = |at: &str| t.financial(&june_at(at)).unwrap().as_of_date;
    assert_eq!(recall_overdue("2026-06-15T23:59:00+05:00"), 1);
    assert_eq!(recall_overdue("2026-06-15T19:30:00Z"), 1);
    assert_eq!(recall_overdue("2026-06-15T20:30:00Z"), 2);
    assert_eq!(dates("2026-06-15T23:59:00+05:00"), d("2026-06-15"));
    // the report's as-of date is the latest of its branches' (Karachi's)
    assert_eq!(dates("2026-06-15T19:30:00Z"), d("2026-06-16"));
    let noon = t.operations(&june_at("2026-06-15T12:00:00+05:00")).unwrap();
    let last_minute = t.operations(&june_at("2026-06-15T23:59:00+05:00")).unwrap();
    assert_eq!(noon.totals.scheduled, last_minute.totals.scheduled, "nothing is booked in the afternoon of the 15th");
}

/// A period wholly in the future (June read on May 20) has zeroed range
/// figures and balances as of May 20, not an error.
#[test]
fn a_period_in_the_future_reads_zero_range_figures_and_todays_balances() {
    let t = tables();
    let s = june_at("2026-05-20T12:00:00+05:00");
    let f = t.financial(&s).unwrap();
    assert_eq!((f.totals.billed, f.totals.collected, f.totals.invoice_count), (m("0"), m("0"), 0));
    assert!(f.totals.trend.points.iter().all(|p| p.billed.is_zero() && p.collected.is_zero()));
    assert_eq!(f.as_of_date, d("2026-05-20"));
    // AR as of May 20: I3 to I7 (clinic 1) less the April payment, J4 and J5 (clinic 2)
    let may =
        t.financial(&Period::new(d("2026-05-01"), d("2026-05-20")).scope([1, 2], GroupBy::Clinic).unwrap()).unwrap();
    assert_eq!(f.totals.outstanding, may.totals.outstanding);
    let o = t.operations(&s).unwrap();
    assert_eq!((o.totals.scheduled, o.totals.appointments.missed), (0, 0));
}

/// EXPECTED.md, "Previous period and share": June, a whole calendar month,
/// is also set against May 1-31 (I4 of May 1 now counts: 19,000 + 5,000)
/// and against June 2025 (nothing billed); a range that is not a calendar
/// month has no calendar comparisons.
#[test]
fn a_calendar_month_against_the_previous_month_and_last_year() {
    use odx_core::compare::Basis;
    use odx_core::Domain;
    let t = tables();
    let june = MetricScope::new([1, 2], d("2026-06-01"), d("2026-06-30"), GroupBy::Clinic).unwrap();
    let c = t.compare(Domain::Financial, &june).unwrap();
    let bases: Vec<_> = c.calendar.iter().map(|k| (k.basis, k.previous_from, k.previous_to)).collect();
    assert_eq!(
        bases,
        [
            (Basis::PreviousMonth, d("2026-05-01"), d("2026-05-31")),
            (Basis::SameMonthLastYear, d("2025-06-01"), d("2025-06-30")),
        ]
    );
    let billed = |k: usize| c.calendar[k].totals.iter().find(|m| m.metric == "billed").unwrap().clone();
    assert_eq!((billed(0).current, billed(0).previous), (Some(m("50000")), Some(m("24000"))));
    assert_eq!(billed(1).previous, Some(m("0")));
    let lahore = c.calendar[0].groups.iter().find(|g| g.clinic_id == 1 && g.change.metric == "billed").unwrap();
    assert_eq!((lahore.branch_name.as_str(), lahore.change.previous), ("KA Lahore", Some(m("19000"))));
    // read on June 15, May is read to May 15 and June 2025 to June 15, 2025
    let now = chrono::DateTime::parse_from_rfc3339("2026-06-15T12:00:00+05:00").unwrap().with_timezone(&chrono::Utc);
    let mid = t.compare(Domain::Financial, &june.clone().at(now).unwrap()).unwrap();
    let may = t
        .financial(
            &Period::new(d("2026-05-01"), d("2026-05-31"))
                .at(Some(now - chrono::Months::new(1)))
                .scope([1, 2], GroupBy::Clinic)
                .unwrap(),
        )
        .unwrap();
    let prev = mid.calendar[0].totals.iter().find(|m| m.metric == "billed").unwrap().previous;
    assert_eq!(prev, Some(may.totals.billed));
    let not_a_month = MetricScope::new([1, 2], d("2026-06-02"), d("2026-06-30"), GroupBy::Clinic).unwrap();
    assert!(t.compare(Domain::Financial, &not_a_month).unwrap().calendar.is_empty());
}

/// EXPECTED.md, "Targets and the Command Center": a request for one branch
/// gets the network as aggregates (never another branch's row) to set
/// itself against; the whole network has none.
#[test]
fn one_branch_against_the_network_average() {
    let t = tables();
    let june = Period::new(d("2026-06-01"), d("2026-06-30"));
    let lahore = t.command(ORG_ID, Some(vec![1]), june).unwrap();
    let n = lahore.network_average.clone().expect("a branch-scoped request has the network average");
    assert_eq!(n.branches, 2);
    assert_eq!((n.billed_per_branch, n.collected_per_branch), (m("25000.00"), m("18500.00")));
    assert_eq!(n.net_profit_per_branch, Some(m("-4650.00")));
    assert_eq!((n.collection_rate, n.no_show_rate), (Some(m("0.74")), Some(frac("3", "14").normalize())));
    assert_eq!(n.expense_ratio, Some(frac("46300", "37000").normalize()));
    assert_eq!(lahore.leaderboard.len(), 1, "no other branch's row");
    assert!(t.command(ORG_ID, None, june).unwrap().network_average.is_none());
}
