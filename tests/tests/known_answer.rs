//! Known-answer tests: every field of the financial, operations and accounting reports
//! of the fixture, per clinic and for the network, against the values worked
//! out by hand in `fixtures/known_answer/EXPECTED.md`.

use odx_core::{GroupBy, MetricScope, OdxError};
use odx_fixtures::{known_answer, EXPECTED_JSON};
use odx_tests::{assert_no_differences, compare, in_memory};
use serde_json::Value;

fn expected() -> Value {
    serde_json::from_str(EXPECTED_JSON).expect("expected.json parses")
}

fn scope(ids: &[i64], group_by: GroupBy) -> MetricScope {
    let (from, to) = known_answer::range();
    MetricScope::new(ids.iter().copied(), from, to, group_by).expect("valid scope")
}

fn json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("report serializes")
}

/// Checks a report (as JSON) against one domain's section of expected.json.
fn check_domain(domain: &str, report: Value) {
    let e = &expected()[domain];
    let mut errors = Vec::new();
    compare(&format!("{domain}.network"), &e["network"], &report["totals"], true, &mut errors);
    let groups = report["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 2, "{domain}: one row per clinic");
    for g in groups {
        let id = g["clinic_id"].to_string();
        let mut row = g.clone();
        let obj = row.as_object_mut().expect("row object");
        assert_eq!(obj.remove("clinic_id"), Some(Value::from(id.parse::<i64>().expect("id"))));
        assert_eq!(obj.remove("doctor_id"), Some(Value::Null), "{domain} clinic {id}: no doctor on clinic rows");
        // every row names its branch (known_answer.rs: 1 is KA Lahore, 2 KA Dubai)
        let (name, city) = if id == "1" { ("KA Lahore", "Lahore") } else { ("KA Dubai", "Dubai") };
        assert_eq!(obj.remove("branch_name"), Some(Value::from(name)), "{domain} clinic {id}");
        assert_eq!(obj.remove("city"), Some(Value::from(city)), "{domain} clinic {id}");
        assert_eq!(obj.remove("doctor_name"), Some(Value::Null), "{domain} clinic {id}: no doctor's name");
        compare(&format!("{domain}.clinic[{id}]"), &e["clinics"][&id], &row, true, &mut errors);
    }
    assert_no_differences(domain, &errors);
}

#[test]
fn financial_every_field_per_clinic_and_network() {
    let report = known_answer::tables().financial(&scope(&known_answer::CLINICS, GroupBy::Clinic)).expect("report");
    check_domain("financial", json(&report));
}

#[test]
fn operations_every_field_per_clinic_and_network() {
    let report = known_answer::tables().operations(&scope(&known_answer::CLINICS, GroupBy::Clinic)).expect("report");
    check_domain("operations", json(&report));
}

#[test]
fn accounting_every_field_per_clinic_and_network() {
    let report = known_answer::tables().accounting(&scope(&known_answer::CLINICS, GroupBy::Clinic)).expect("report");
    check_domain("accounting", json(&report));
}

#[test]
fn accounting_doctor_rows_add_up_to_their_clinic() {
    let t = known_answer::tables();
    let report = t.accounting(&scope(&known_answer::CLINICS, GroupBy::Doctor)).expect("accounting");
    check_doctors("accounting", json(&report));
    let by_clinic = t.accounting(&scope(&known_answer::CLINICS, GroupBy::Clinic)).expect("accounting");
    assert_eq!(report.totals, by_clinic.totals, "accounting totals by doctor == by clinic");
    for id in known_answer::CLINICS {
        let net: rust_decimal::Decimal =
            report.groups.iter().filter(|g| g.clinic_id == id).map(|g| g.metrics.net_profit).sum();
        assert_eq!(Some(net), by_clinic.clinic_row(id).map(|m| m.net_profit), "clinic {id}: doctor rows add up");
    }
}

#[test]
fn lab_every_field_per_clinic_and_network() {
    let t = known_answer::tables();
    let report = t.lab(&scope(&known_answer::CLINICS, GroupBy::Clinic)).expect("report");
    check_domain("lab", json(&report));
    // Lab cases have no doctor: by doctor, each clinic is one no-doctor row.
    let by_doctor = t.lab(&scope(&known_answer::CLINICS, GroupBy::Doctor)).expect("by doctor");
    assert_eq!(by_doctor.totals, report.totals);
    let rows: Vec<_> = by_doctor.groups.iter().map(|g| (g.clinic_id, g.doctor_id, &g.metrics)).collect();
    let want: Vec<_> = report.groups.iter().map(|g| (g.clinic_id, None, &g.metrics)).collect();
    assert_eq!(rows, want);
}

#[test]
fn staff_every_field_per_clinic_and_network() {
    let t = known_answer::tables();
    let network = scope(&known_answer::CLINICS, GroupBy::Clinic);
    let report = t.staff(&network).expect("report");
    check_domain("staff", json(&report));
    for id in known_answer::CLINICS {
        let alone = t.staff(&network.only(id).expect("in scope")).expect("alone");
        assert_eq!(Some(&alone.totals), report.clinic_row(id), "staff: clinic {id} alone == its network row");
    }
    // Staff belong to their branch: by doctor, each branch is one no-doctor row.
    let by_doctor = t.staff(&scope(&known_answer::CLINICS, GroupBy::Doctor)).expect("by doctor");
    assert_eq!(by_doctor.totals, report.totals);
    assert!(by_doctor.groups.iter().all(|g| g.doctor_id.is_none()));
}

#[test]
fn clinical_every_field_per_clinic_and_network() {
    let t = known_answer::tables();
    let report = t.clinical(&scope(&known_answer::CLINICS, GroupBy::Clinic)).expect("report");
    check_domain("clinical", json(&report));
    // Per doctor: each doctor's row holds that doctor's plans (acceptance
    // equals its line in the clinic's list); quotations follow their plan's doctor.
    let by_doctor = t.clinical(&scope(&known_answer::CLINICS, GroupBy::Doctor)).expect("by doctor");
    assert_eq!(by_doctor.totals, report.totals, "grouping does not change the totals");
    for g in &by_doctor.groups {
        let m = &g.metrics;
        let clinic = report.clinic_row(g.clinic_id).expect("clinic row");
        let line = clinic.acceptance_by_doctor.iter().find(|l| l.doctor_id == g.doctor_id);
        assert_eq!(m.acceptance_by_doctor.first(), line, "clinic {} doctor {:?}", g.clinic_id, g.doctor_id);
        assert_eq!(m.plans_created, line.map_or(0, |l| l.plans_created));
    }
    let doctor =
        |c, d| by_doctor.groups.iter().find(|g| g.clinic_id == c && g.doctor_id == d).expect("row").metrics.clone();
    // Dr 11: Q1 accepted, Q2 rejected, Q3 sent; Dr 12: Q8 accepted; no doctor: Q4 expired, Q5 is draft of plan 6 (Dr 11).
    assert_eq!(doctor(1, Some(11)).quotation_conversion, odx_core::num::count_rate(1, 3));
    assert_eq!(doctor(1, Some(12)).quotations.accepted, 1);
    assert_eq!(doctor(1, None).quotations.expired, 1);
}

#[test]
fn patients_every_field_per_clinic_and_network() {
    let t = known_answer::tables();
    let report = t.patients(&scope(&known_answer::CLINICS, GroupBy::Clinic)).expect("report");
    check_domain("patients", json(&report));
    // Patients belong to the branch: by doctor, each clinic is one no-doctor row.
    let by_doctor = t.patients(&scope(&known_answer::CLINICS, GroupBy::Doctor)).expect("by doctor");
    assert_eq!(by_doctor.totals, report.totals);
    assert_eq!(by_doctor.groups.iter().map(|g| (g.clinic_id, g.doctor_id)).collect::<Vec<_>>(), [(1, None), (2, None)]);
    // New and returning are the operations domain's, patient for patient.
    let ops = t.operations(&scope(&known_answer::CLINICS, GroupBy::Clinic)).expect("operations");
    assert_eq!(
        (report.totals.new_patients, report.totals.returning_patients),
        (ops.totals.new_patients, ops.totals.returning_patients)
    );
    // A 6-month window changes the active count alone.
    let e = &expected()["patients"]["active_patients_6_months"];
    let six = scope(&known_answer::CLINICS, GroupBy::Clinic).with_active_window_months(6).expect("window");
    let short = t.patients(&six).expect("6 months");
    assert_eq!(Value::from(short.totals.active_patients), e["network"]);
    for id in known_answer::CLINICS {
        let row = short.clinic_row(id).expect("row");
        assert_eq!(Value::from(row.active_patients), e[id.to_string()], "clinic {id}");
        let default = report.clinic_row(id).expect("row");
        assert_eq!(
            odx_core::PatientsMetrics { active_patients: default.active_patients, ..row.clone() },
            *default,
            "clinic {id}: only active_patients moves"
        );
    }
}

#[test]
fn inventory_every_field_per_clinic_and_network() {
    let t = known_answer::tables();
    let report = t.inventory(&scope(&known_answer::CLINICS, GroupBy::Clinic)).expect("report");
    check_domain("inventory", json(&report));
    // Stock belongs to the branch: by doctor, each clinic is one no-doctor row.
    let by_doctor = t.inventory(&scope(&known_answer::CLINICS, GroupBy::Doctor)).expect("by doctor");
    assert_eq!(by_doctor.totals, report.totals);
    assert_eq!(by_doctor.groups.iter().map(|g| (g.clinic_id, g.doctor_id)).collect::<Vec<_>>(), [(1, None), (2, None)]);
}

#[test]
fn every_domain_network_row_equals_that_clinic_alone() {
    let t = known_answer::tables();
    let network = scope(&known_answer::CLINICS, GroupBy::Clinic);
    for domain in odx_sql::Domain::ALL {
        let all = in_memory(&t, domain, &network).expect("network");
        for (i, id) in known_answer::CLINICS.iter().enumerate() {
            let alone = in_memory(&t, domain, &network.only(*id).expect("in scope")).expect("alone");
            let mut row = all["groups"][i].clone();
            let obj = row.as_object_mut().expect("row");
            assert_eq!(obj.remove("clinic_id"), Some(Value::from(*id)));
            assert_eq!(obj.remove("doctor_id"), Some(Value::Null));
            for key in ["branch_name", "city", "doctor_name"] {
                obj.remove(key);
            }
            assert_eq!(row, alone["totals"], "{}: clinic {id} alone == its network row", domain.as_str());
        }
    }
}

fn check_doctors(domain: &str, report: Value) {
    let e = &expected()[domain]["doctors"];
    let groups = report["groups"].as_array().expect("groups");
    let keys: Vec<String> = groups.iter().map(|g| format!("{}/{}", g["clinic_id"], g["doctor_id"])).collect();
    let expected_keys: Vec<String> = e.as_object().expect("doctors").keys().cloned().collect();
    assert_eq!(keys, expected_keys, "{domain}: doctor rows in clinic, doctor order, no-doctor last");
    let mut errors = Vec::new();
    for (g, key) in groups.iter().zip(&keys) {
        compare(&format!("{domain}.doctor[{key}]"), &e[key], g, false, &mut errors);
    }
    assert_no_differences(domain, &errors);
}

#[test]
fn doctor_rows_of_both_domains() {
    let t = known_answer::tables();
    let s = scope(&known_answer::CLINICS, GroupBy::Doctor);
    let fin = t.financial(&s).expect("financial");
    let ops = t.operations(&s).expect("operations");
    check_doctors("financial", json(&fin));
    check_doctors("operations", json(&ops));
    // Totals do not depend on the grouping.
    let by_clinic = scope(&known_answer::CLINICS, GroupBy::Clinic);
    assert_eq!(
        fin.totals,
        t.financial(&by_clinic).expect("financial").totals,
        "financial totals by doctor == by clinic"
    );
    assert_eq!(
        ops.totals,
        t.operations(&by_clinic).expect("operations").totals,
        "operations totals by doctor == by clinic"
    );
}

#[test]
fn each_network_row_equals_that_clinic_alone() {
    let t = known_answer::tables();
    let network = scope(&known_answer::CLINICS, GroupBy::Clinic);
    let fin = t.financial(&network).expect("financial");
    let ops = t.operations(&network).expect("operations");
    for id in known_answer::CLINICS {
        let alone = network.only(id).expect("clinic in scope");
        let f = t.financial(&alone).expect("financial alone");
        let o = t.operations(&alone).expect("operations alone");
        let a = t.accounting(&alone).expect("accounting alone");
        assert_eq!(Some(&a.totals), t.accounting(&network).expect("accounting").clinic_row(id), "accounting: {id}");
        assert_eq!(Some(&f.totals), fin.clinic_row(id), "financial: clinic {id} alone == its network row");
        assert_eq!(Some(&o.totals), ops.clinic_row(id), "operations: clinic {id} alone == its network row");
        assert_eq!(f.clinic_row(id), Some(&f.totals), "financial: clinic {id} alone: row == totals");
    }
}

#[test]
fn group_by_none_gives_totals_only() {
    let t = known_answer::tables();
    let s = scope(&known_answer::CLINICS, GroupBy::None);
    let fin = t.financial(&s).expect("financial");
    assert!(fin.groups.is_empty());
    let e = expected();
    let mut errors = Vec::new();
    compare("financial.network", &e["financial"]["network"], &json(&fin.totals), true, &mut errors);
    assert_no_differences("group_by none", &errors);
}

#[test]
fn empty_clinic_list_gives_zeroed_totals_and_no_groups() {
    let t = known_answer::tables();
    let fin = t.financial(&scope(&[], GroupBy::Clinic)).expect("financial");
    let ops = t.operations(&scope(&[], GroupBy::Clinic)).expect("operations");
    assert!(fin.groups.is_empty() && ops.groups.is_empty());
    assert_eq!(fin.totals.billed, rust_decimal::Decimal::ZERO);
    assert_eq!(fin.totals.invoice_count, 0);
    assert_eq!(fin.totals.avg_ticket, None, "no invoices: avg_ticket is null, not 0");
    assert_eq!(fin.totals.collection_rate, None);
    assert_eq!(fin.totals.trend.points.len(), 30, "trend is zero-filled even when empty");
    assert_eq!(ops.totals.no_show_rate, None);
    assert_eq!(ops.totals.no_show_bleed, Some(rust_decimal::Decimal::ZERO));
}

#[test]
fn a_clinic_unknown_to_the_directory_is_a_typed_error() {
    let t = known_answer::tables();
    let err = t.financial(&scope(&[1, 99], GroupBy::Clinic)).unwrap_err();
    assert_eq!(err, OdxError::UnknownClinic { clinic_id: 99 });
}

#[test]
fn a_bad_time_zone_is_a_typed_error_only_for_scopes_that_use_it() {
    let mut t = known_answer::tables();
    t.clinics[1].timezone = "PKT".into();
    assert!(t.financial(&scope(&[1], GroupBy::Clinic)).is_ok(), "clinic 1 does not use the bad zone");
    let err = t.financial(&scope(&[1, 2], GroupBy::Clinic)).unwrap_err();
    assert_eq!(err, OdxError::UnknownTimeZone { clinic_id: 2, name: "PKT".into() });
}

#[test]
fn a_wrong_time_zone_changes_the_edges_the_fixture_was_built_for() {
    // Guard against a fixture that cannot fail: read clinic 2 as if it were
    // in Karachi and the range edges move (J1 enters the range, J2 leaves it).
    let mut t = known_answer::tables();
    t.clinics[1].timezone = "Asia/Karachi".into();
    let fin = t.financial(&scope(&[2], GroupBy::Clinic)).expect("financial");
    assert_eq!(fin.totals.billed, rust_decimal::Decimal::new(900_000, 2), "J1 5,000 + J3 3,000 + J6 1,000");
}

/// An appointment of 2,147,483,647 minutes (seen in a real database) is
/// bad data: counted as an appointment and in `data_quality`, kept out of
/// booked minutes, so utilization is what it was without it.
#[test]
fn an_implausible_duration_is_counted_as_bad_data_not_as_minutes() {
    let scope = MetricScope::new([1], known_answer::range().0, known_answer::range().1, GroupBy::Clinic).unwrap();
    let mut tables = known_answer::tables();
    let before = tables.operations(&scope).unwrap().totals;
    let mut bad = tables.appointments.iter().find(|a| a.clinic_id == 1 && a.room_id.is_some()).unwrap().clone();
    bad.id = 9_999;
    bad.status = odx_core::AppointmentStatus::Completed;
    bad.duration_min = i32::MAX;
    bad.starts_at = chrono::DateTime::parse_from_rfc3339("2026-06-10T10:00:00+05:00").unwrap().to_utc();
    tables.appointments.push(bad.clone());
    let after = tables.operations(&scope).unwrap().totals;
    assert_eq!(after.appointments.completed, before.appointments.completed + 1, "still an appointment");
    assert_eq!(after.data_quality.implausible_durations, 1);
    assert_eq!(
        (after.chair_booked_minutes, after.doctor_booked_minutes),
        (before.chair_booked_minutes, before.doctor_booked_minutes)
    );
    assert_eq!(after.chair_utilization, before.chair_utilization);
    // The longest plausible one still counts.
    bad.id = 9_998;
    bad.duration_min = odx_core::operations::MAX_DURATION_MIN;
    tables.appointments.push(bad);
    let longest = tables.operations(&scope).unwrap().totals;
    assert_eq!(longest.chair_booked_minutes, before.chair_booked_minutes + 720);
}
