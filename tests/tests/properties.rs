//! Properties over random rows (three clinics in three time zones, one with a
//! DST change inside the range; statuses, methods and payers including bad
//! values; amounts up to numeric(14,2) limits; refunds; negative durations).

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use odx_core::financial::{FinancialMetrics, InvoiceFact, ReceivableFact};
use odx_core::operations::OperationsMetrics;
use odx_core::rows::*;
use odx_core::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const ZONES: [&str; 3] = ["Asia/Karachi", "Asia/Dubai", "America/New_York"];

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).single().expect("base instant")
}

fn amount() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::new(1, 2)),
        Just(Decimal::new(99_999_999_999_999, 2)), // numeric(14,2) maximum
        (1i64..10_000_000).prop_map(|c| Decimal::new(c, 2)),
    ]
}

fn status<T: Copy + std::fmt::Debug + 'static>(listed: &'static [T], unknown: T) -> impl Strategy<Value = T> {
    (0..=listed.len()).prop_map(move |i| listed.get(i).copied().unwrap_or(unknown))
}

prop_compose! {
    fn invoice_row(id: i64)(clinic in 1i64..=3, patient in 1i64..=6, doctor in proptest::option::of(1i64..=3),
                            secs in -150i64 * 86_400..40 * 86_400, total in amount(),
                            status in status(InvoiceStatus::LISTED, InvoiceStatus::Unknown),
                            payer in status(Payer::LISTED, Payer::Unknown)) -> InvoiceRow {
        InvoiceRow { id, clinic_id: clinic, patient_id: clinic * 100 + patient, doctor_id: doctor.map(|d| clinic * 10 + d),
                     issued_at: base() + Duration::seconds(secs), total, status, payer }
    }
}

prop_compose! {
    fn appointment_row(id: i64)(clinic in 1i64..=3, patient in 1i64..=6, doctor in proptest::option::of(1i64..=3),
                                room in any::<bool>(), secs in visit_secs(), duration in -30i32..=120,
                                status in status(AppointmentStatus::LISTED, AppointmentStatus::Unknown)) -> AppointmentRow {
        AppointmentRow { id, clinic_id: clinic, patient_id: clinic * 100 + patient, doctor_id: doctor.map(|d| clinic * 10 + d),
                         room_id: room.then_some(clinic * 10), starts_at: base() + Duration::seconds(secs), duration_min: duration, status }
    }
}

/// Mostly around the ranges; some visits a year back (churn, the active window).
fn visit_secs() -> impl Strategy<Value = i64> {
    prop_oneof![3 => -120i64 * 86_400..40 * 86_400, 1 => -420i64 * 86_400..-120 * 86_400]
}

fn time(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h % 24, 0, 0).expect("time")
}

fn tables() -> impl Strategy<Value = Tables> {
    let invoices = proptest::collection::vec(any::<u8>(), 0..30)
        .prop_flat_map(|v| v.iter().enumerate().map(|(i, _)| invoice_row(i as i64 + 1)).collect::<Vec<_>>());
    let appointments = proptest::collection::vec(any::<u8>(), 0..40)
        .prop_flat_map(|v| v.iter().enumerate().map(|(i, _)| appointment_row(i as i64 + 1)).collect::<Vec<_>>());
    let payments = proptest::collection::vec(
        (
            any::<usize>(),
            -100i64 * 86_400..40 * 86_400,
            -500_000i64..20_000_000,
            status(PaymentMethod::LISTED, PaymentMethod::Unknown),
        ),
        0..40,
    );
    let items = proptest::collection::vec((any::<usize>(), 0i32..4, 0i64..500_000), 0..20);
    let labs = proptest::collection::vec(
        (
            1i64..=3,
            -10i64..40,
            1i64..5_000_000,
            status(LabStatus::LISTED, LabStatus::Unknown),
            prop_oneof![Just("Smile Lab"), Just(" Smile Lab"), Just("Ceramics"), Just("")],
            -3i64..20,
            proptest::option::of(-3i64..40),
        ),
        0..12,
    );
    let schedules = proptest::collection::vec((1i64..=3, 1i64..=3, 0i16..=8, 0u32..24, 0u32..24), 0..8);
    let hours = proptest::collection::vec((1i64..=3, 0i16..=8, 6u32..12, 8u32..22), 0..10);
    let rooms = proptest::collection::vec((1i64..=3, any::<bool>()), 0..6);
    let categories = prop_oneof![Just("rent"), Just(" Rent"), Just("supplies"), Just("legal"), Just("")];
    let expenses = proptest::collection::vec((1i64..=3, -10i64..60, -100_000i64..5_000_000, categories), 0..10);
    let payroll = proptest::collection::vec((1i64..=3, -10i64..60, 0i64..10_000_000), 0..8);
    let roles = prop_oneof![Just("doctor"), Just("assistant"), Just("receptionist"), Just("dentist"), Just("")];
    let user_status = prop_oneof![Just("active"), Just("active"), Just("inactive"), Just("on_hold")];
    let users = proptest::collection::vec(
        (proptest::option::of(1i64..=3), roles, user_status, proptest::option::of(-400i64..60)),
        0..10,
    );
    let attendance = proptest::collection::vec(
        (1i64..=3, -10i64..60, status(AttendanceStatus::LISTED, AttendanceStatus::Unknown), -5i32..30),
        0..30,
    );
    // Patients 1..=6 of each clinic (the ids appointments and invoices use),
    // each with a recall date or none.
    let recalls = proptest::collection::vec(proptest::option::of(-200i64..60), 18);
    let stock = proptest::collection::vec(
        (
            1i64..=3,
            prop_oneof![Just("GLV"), Just(" GLV"), Just("ANE"), Just("")],
            1i64..1_000_000,
            -500i64..20_000,
            0i64..3_000,
            proptest::option::of(-40i64..70),
        ),
        0..12,
    );
    let moves = proptest::collection::vec(
        (
            any::<usize>(),
            -100i64 * 86_400..40 * 86_400,
            -5_000i64..3_000,
            status(MovementKind::LISTED, MovementKind::Unknown),
        ),
        0..40,
    );
    let plans = proptest::collection::vec(
        (
            1i64..=3,
            proptest::option::of(1i64..=3),
            -100i64 * 86_400..40 * 86_400,
            status(PlanStatus::LISTED, PlanStatus::Unknown),
        ),
        0..12,
    );
    let procedures = proptest::collection::vec(
        (any::<usize>(), 0i64..5_000_000, status(ProcedureStatus::LISTED, ProcedureStatus::Unknown)),
        0..20,
    );
    let quotations = proptest::collection::vec(
        (
            1i64..=3,
            proptest::option::of(any::<usize>()),
            -100i64 * 86_400..40 * 86_400,
            status(QuotationStatus::LISTED, QuotationStatus::Unknown),
        ),
        0..10,
    );
    (
        (invoices, appointments, payments, items, labs, schedules, hours, rooms, expenses, payroll),
        (users, attendance, recalls),
        (plans, procedures, quotations),
        (stock, moves),
    )
        .prop_map(
            |(
                (invoices, appointments, payments, items, labs, schedules, hours, rooms, expenses, payroll),
                (users, attendance, recalls),
                (plans, procedures, quotations),
                (stock, moves),
            )| {
                let mut t = Tables {
                    clinics: (1..=3)
                        .map(|i| ClinicRow {
                            id: i,
                            name: format!("C{i}"),
                            city: "x".into(),
                            status: "active".into(),
                            timezone: ZONES[i as usize - 1].into(),
                        })
                        .collect(),
                    ..Tables::default()
                };
                if !invoices.is_empty() {
                    for (i, (inv, secs, cents, method)) in payments.into_iter().enumerate() {
                        let invoice: &InvoiceRow = &invoices[inv % invoices.len()];
                        t.payments.push(PaymentRow {
                            id: i as i64 + 1,
                            clinic_id: invoice.clinic_id,
                            invoice_id: invoice.id,
                            paid_at: base() + Duration::seconds(secs),
                            amount: Decimal::new(cents, 2),
                            method,
                        });
                    }
                    for (i, (inv, qty, cost)) in items.into_iter().enumerate() {
                        t.invoice_items.push(InvoiceItemRow {
                            id: i as i64 + 1,
                            invoice_id: invoices[inv % invoices.len()].id,
                            procedure_code: ["D0150", " D0150", "D1110", "D2740"][cost as usize % 4].into(),
                            description: "x".into(),
                            qty,
                            unit_price: Decimal::new(cost % 7 * 100_000, 2),
                            unit_cost: Decimal::new(cost, 2),
                        });
                    }
                }
                t.invoices = invoices;
                t.appointments = appointments;
                let day0 = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
                t.patients = recalls
                    .into_iter()
                    .enumerate()
                    .map(|(i, recall)| PatientRow {
                        id: (i as i64 / 6 + 1) * 100 + i as i64 % 6 + 1,
                        clinic_id: i as i64 / 6 + 1,
                        created_at: base(),
                        recall_due_on: recall.map(|d| day0 + Duration::days(d)),
                    })
                    .collect();
                t.lab_cases = labs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (clinic, d, cost, status, vendor, due, received))| {
                        let sent = day0 + Duration::days(d);
                        LabCaseRow {
                            id: i as i64 + 1,
                            clinic_id: clinic,
                            patient_id: clinic * 100 + 1,
                            vendor: vendor.into(),
                            sent_on: sent,
                            due_on: sent + Duration::days(due),
                            received_on: received.map(|r| sent + Duration::days(r)),
                            cost: Decimal::new(cost, 2),
                            status,
                        }
                    })
                    .collect();
                t.doctor_schedules = schedules
                    .into_iter()
                    .map(|(c, d, w, s, e)| DoctorScheduleRow {
                        clinic_id: c,
                        doctor_id: c * 10 + d,
                        weekday: w,
                        starts: time(s),
                        ends: time(e),
                    })
                    .collect();
                t.clinic_hours = hours
                    .into_iter()
                    .map(|(c, w, o, cl)| ClinicHoursRow { clinic_id: c, weekday: w, opens: time(o), closes: time(cl) })
                    .collect();
                t.rooms = rooms
                    .into_iter()
                    .enumerate()
                    .map(|(i, (c, active))| RoomRow { id: i as i64 + 1, clinic_id: c, name: "r".into(), active })
                    .collect();
                t.expenses = expenses
                    .into_iter()
                    .enumerate()
                    .map(|(i, (c, d, cents, category))| ExpenseRow {
                        id: i as i64 + 1,
                        clinic_id: c,
                        category: category.into(),
                        amount: Decimal::new(cents, 2),
                        spent_on: day0 + Duration::days(d),
                    })
                    .collect();
                t.payroll = payroll
                    .into_iter()
                    .enumerate()
                    .map(|(i, (c, d, cents))| PayrollRow {
                        id: i as i64 + 1,
                        clinic_id: c,
                        user_id: c * 10 + 1,
                        period_month: day0,
                        gross: Decimal::new(cents, 2),
                        paid_on: day0 + Duration::days(d),
                    })
                    .collect();
                t.users = users
                    .into_iter()
                    .enumerate()
                    .map(|(i, (clinic_id, role, status, hired))| UserRow {
                        id: i as i64 + 1,
                        clinic_id,
                        name: "u".into(),
                        role: role.into(),
                        status: status.into(),
                        hired_on: hired.map(|d| day0 + Duration::days(d)),
                    })
                    .collect();
                t.treatment_plans = plans
                    .into_iter()
                    .enumerate()
                    .map(|(i, (clinic_id, doctor, secs, status))| TreatmentPlanRow {
                        id: i as i64 + 1,
                        clinic_id,
                        patient_id: clinic_id * 100 + 1,
                        doctor_id: doctor.map(|d| clinic_id * 10 + d),
                        created_at: base() + Duration::seconds(secs),
                        status,
                        accepted_at: None,
                        completed_at: None,
                    })
                    .collect();
                if !t.treatment_plans.is_empty() {
                    let n = t.treatment_plans.len();
                    t.treatment_plan_procedures = procedures
                        .into_iter()
                        .enumerate()
                        .map(|(i, (plan, cents, status))| TreatmentPlanProcedureRow {
                            id: i as i64 + 1,
                            plan_id: (plan % n) as i64 + 1,
                            procedure_code: "D2740".into(),
                            fee: Decimal::new(cents, 2),
                            status,
                            completed_at: None,
                        })
                        .collect();
                }
                let plan_count = t.treatment_plans.len();
                t.quotations = quotations
                    .into_iter()
                    .enumerate()
                    .map(|(i, (clinic_id, plan, secs, status))| QuotationRow {
                        id: i as i64 + 1,
                        clinic_id,
                        patient_id: clinic_id * 100 + 1,
                        plan_id: plan.filter(|_| plan_count > 0).map(|p| (p % plan_count) as i64 + 1),
                        amount: Decimal::ONE,
                        status,
                        created_at: base() + Duration::seconds(secs),
                    })
                    .collect();
                t.inventory_items = stock
                    .into_iter()
                    .enumerate()
                    .map(|(i, (clinic_id, sku, cost, qty, reorder, expires))| InventoryItemRow {
                        id: i as i64 + 1,
                        clinic_id,
                        sku: sku.into(),
                        name: "x".into(),
                        unit_cost: Decimal::new(cost, 2),
                        qty_on_hand: Decimal::new(qty, 2),
                        reorder_level: Decimal::new(reorder, 2),
                        expires_on: expires.map(|d| day0 + Duration::days(d)),
                    })
                    .collect();
                if !t.inventory_items.is_empty() {
                    let n = t.inventory_items.len();
                    t.inventory_movements = moves
                        .into_iter()
                        .enumerate()
                        .map(|(i, (item, secs, qty, kind))| InventoryMovementRow {
                            id: i as i64 + 1,
                            clinic_id: t.inventory_items[item % n].clinic_id,
                            item_id: (item % n) as i64 + 1,
                            moved_at: base() + Duration::seconds(secs),
                            qty: Decimal::new(qty, 2),
                            kind,
                        })
                        .collect();
                }
                t.attendance_days = attendance
                    .into_iter()
                    .enumerate()
                    .map(|(i, (clinic_id, d, status, late_minutes))| AttendanceDayRow {
                        clinic_id,
                        user_id: i as i64 + 1,
                        day: day0 + Duration::days(d),
                        status,
                        late_minutes,
                    })
                    .collect();
                t
            },
        )
}

fn scope_strategy() -> impl Strategy<Value = MetricScope> {
    let ranges = prop_oneof![
        Just(("2026-03-01", "2026-03-31")), // daily; New York changes to DST on March 8
        Just(("2026-01-15", "2026-04-20")), // monthly
        Just(("2026-03-08", "2026-03-08")), // one day, the DST day itself
    ];
    let group = prop_oneof![Just(GroupBy::Clinic), Just(GroupBy::Doctor), Just(GroupBy::None)];
    (ranges, group, proptest::collection::vec(1i64..=3, 0..4)).prop_map(|((f, t), g, ids)| {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        MetricScope::new(ids, d(f), d(t), g).expect("valid scope")
    })
}

/// Puts each row on the side its key picks.
fn part<T: Clone>(
    rows: &[T],
    key: impl Fn(usize, &T) -> i64,
    side: impl Fn(i64) -> bool,
    a: &mut Vec<T>,
    b: &mut Vec<T>,
) {
    for (i, r) in rows.iter().enumerate() {
        if side(key(i, r)) {
            a.push(r.clone())
        } else {
            b.push(r.clone())
        }
    }
}

/// Splits tables in two: invoices (with their payments and items) and
/// patients (with their appointments) go one way or the other by `mask`.
fn split(t: &Tables, mask: u64) -> (Tables, Tables) {
    let side = |id: i64| (mask >> (id.unsigned_abs() % 64)) & 1 == 1;
    let mut a = Tables { clinics: t.clinics.clone(), ..Tables::default() };
    let mut b = a.clone();
    // A patient's appointments and invoices go with it (its lifetime billed
    // and visits are read together), and an invoice's payments and items
    // with the invoice.
    let patient_of: BTreeMap<i64, i64> = t.invoices.iter().map(|i| (i.id, i.patient_id)).collect();
    let by_invoice = |invoice_id: i64| patient_of.get(&invoice_id).copied().unwrap_or(invoice_id);
    part(&t.patients, |_, r| r.id, side, &mut a.patients, &mut b.patients);
    // An item's movements go with it.
    part(&t.inventory_items, |_, r| r.id + 59, side, &mut a.inventory_items, &mut b.inventory_items);
    part(&t.inventory_movements, |_, r| r.item_id + 59, side, &mut a.inventory_movements, &mut b.inventory_movements);
    part(&t.invoices, |_, r| r.patient_id, side, &mut a.invoices, &mut b.invoices);
    part(&t.payments, |_, r| by_invoice(r.invoice_id), side, &mut a.payments, &mut b.payments);
    part(&t.invoice_items, |_, r| by_invoice(r.invoice_id), side, &mut a.invoice_items, &mut b.invoice_items);
    part(&t.appointments, |_, r| r.patient_id, side, &mut a.appointments, &mut b.appointments);
    part(&t.lab_cases, |i, _| i as i64, side, &mut a.lab_cases, &mut b.lab_cases);
    part(&t.doctor_schedules, |i, _| i as i64 + 7, side, &mut a.doctor_schedules, &mut b.doctor_schedules);
    part(&t.clinic_hours, |i, _| i as i64 + 13, side, &mut a.clinic_hours, &mut b.clinic_hours);
    part(&t.rooms, |_, r| r.id + 29, side, &mut a.rooms, &mut b.rooms);
    part(&t.expenses, |_, r| r.id + 31, side, &mut a.expenses, &mut b.expenses);
    part(&t.payroll, |_, r| r.id + 37, side, &mut a.payroll, &mut b.payroll);
    part(&t.users, |_, r| r.id + 41, side, &mut a.users, &mut b.users);
    part(&t.attendance_days, |_, r| r.user_id + 43, side, &mut a.attendance_days, &mut b.attendance_days);
    // A plan's procedures and quotations go with it (they are read through it).
    part(&t.treatment_plans, |_, r| r.id + 47, side, &mut a.treatment_plans, &mut b.treatment_plans);
    let plan_side = |plan_id: i64| plan_id + 47;
    part(
        &t.treatment_plan_procedures,
        |_, r| plan_side(r.plan_id),
        side,
        &mut a.treatment_plan_procedures,
        &mut b.treatment_plan_procedures,
    );
    part(&t.quotations, |_, r| r.plan_id.map_or(r.id + 53, plan_side), side, &mut a.quotations, &mut b.quotations);
    (a, b)
}

fn check_financial_row(m: &FinancialMetrics, what: &str) {
    let aging = m.ar_aging.days_0_30 + m.ar_aging.days_31_60 + m.ar_aging.days_61_90 + m.ar_aging.over_90;
    assert_eq!(aging, m.outstanding, "{what}: aging buckets sum to AR");
    let p = &m.outstanding_by_payer;
    assert_eq!(p.self_pay + p.insurance + p.unknown, m.outstanding, "{what}: payer split sums to AR");
    assert!(
        m.outstanding >= Decimal::ZERO && m.credits >= Decimal::ZERO,
        "{what}: AR and credits are positive amounts"
    );
    let trend_billed: Decimal = m.trend.points.iter().map(|p| p.billed).sum();
    let trend_collected: Decimal = m.trend.points.iter().map(|p| p.collected).sum();
    assert_eq!((trend_billed, trend_collected), (m.billed, m.collected), "{what}: trend sums to billed and collected");
    let mix: Decimal = m.payment_mix.iter().map(|x| x.amount).sum();
    assert_eq!(mix, m.collected, "{what}: payment mix sums to collected");
    assert_eq!(m.direct_cost, m.materials_cost + m.lab_cost, "{what}: direct cost");
    assert_eq!(m.gross_profit, m.billed - m.direct_cost, "{what}: gross profit");
}

/// The additive financial fields of a row, as one comparable tuple.
fn financial_additive(m: &FinancialMetrics) -> Vec<Decimal> {
    let s = &m.status_counts;
    let mut v = vec![
        m.billed,
        m.invoice_count.into(),
        m.collected,
        m.outstanding,
        m.credits,
        m.open_invoices.into(),
        m.ar_aging.days_0_30,
        m.ar_aging.days_31_60,
        m.ar_aging.days_61_90,
        m.ar_aging.over_90,
        m.outstanding_by_payer.self_pay,
        m.outstanding_by_payer.insurance,
        m.outstanding_by_payer.unknown,
        m.materials_cost,
        m.lab_cost,
        m.direct_cost,
        m.gross_profit,
        s.draft.into(),
        s.issued.into(),
        s.partially_paid.into(),
        s.paid.into(),
        s.void.into(),
        s.unknown.into(),
    ];
    v.extend(
        m.payment_mix.iter().filter(|x| x.method != PaymentMethod::Unknown).flat_map(|x| [x.amount, x.payments.into()]),
    );
    v.extend(m.trend.points.iter().flat_map(|p| [p.billed, p.collected]));
    v
}

fn operations_additive(m: &OperationsMetrics, with_patients: bool) -> Vec<u64> {
    let a = &m.appointments;
    let mut v = vec![
        a.booked,
        a.arrived,
        a.completed,
        a.cancelled,
        a.no_show,
        a.missed,
        a.total,
        m.scheduled,
        m.doctor_booked_minutes,
        m.doctor_capacity_minutes,
        m.chair_booked_minutes,
    ];
    if with_patients {
        v.extend([m.new_patients, m.returning_patients, m.chair_capacity_minutes]);
    }
    v
}

fn accounting_additive(m: &AccountingMetrics) -> Vec<Decimal> {
    let mut v =
        vec![m.receipts, m.materials_cost, m.lab_cost, m.direct_cost, m.opex, m.payroll, m.total_costs, m.net_profit];
    // The listed categories come first in every row; other ones vary by row.
    v.extend(m.opex_by_category.iter().take(accounting::LISTED_CATEGORIES.len()).map(|l| l.amount));
    v.push(Decimal::from(m.payments + m.payroll_entries));
    v
}

fn lab_figures(f: &odx_core::lab::LabFigures) -> Vec<Decimal> {
    let mut v = vec![f.lab_cost];
    v.extend([f.open_cases, f.overdue_cases, f.cases_sent, f.cases_received].map(Decimal::from));
    v
}

fn lab_additive(m: &LabMetrics) -> Vec<Decimal> {
    let mut v = lab_figures(&m.figures);
    let dq = m.data_quality;
    v.push(Decimal::from(dq.unknown_status + dq.received_without_date + dq.received_before_sent));
    v
}

fn staff_additive(m: &StaffMetrics) -> Vec<Decimal> {
    let dq = m.data_quality;
    let mut v = vec![m.payroll_cost, m.billed];
    v.extend(
        [
            m.headcount,
            m.present_days,
            m.absent_days,
            m.leave_days,
            m.off_days,
            m.late_arrivals,
            m.present_today,
            m.on_leave_today,
            m.payroll_entries,
            dq.unknown_role,
            dq.unknown_user_status,
            dq.unknown_attendance_status,
        ]
        .map(Decimal::from),
    );
    v.extend(m.headcount_by_role.iter().map(|r| Decimal::from(r.staff)));
    v
}

fn clinical_additive(m: &ClinicalMetrics) -> Vec<Decimal> {
    let q = m.quotations;
    let dq = m.data_quality;
    let mut v = vec![m.pipeline_value, m.plan_value, m.accepted_value, m.completed_value];
    v.extend(
        [
            m.plans_created,
            m.plans_accepted,
            q.draft,
            q.sent,
            q.accepted,
            q.rejected,
            q.expired,
            dq.unknown_plan_status,
            dq.unknown_procedure_status,
            dq.unknown_quotation_status,
        ]
        .map(Decimal::from),
    );
    v
}

fn patients_additive(m: &PatientsMetrics) -> Vec<u64> {
    vec![
        m.patients_on_file,
        m.active_patients,
        m.new_patients,
        m.returning_patients,
        m.recall_due,
        m.recall_overdue,
        m.churn_risk,
    ]
}

fn inventory_additive(m: &InventoryMetrics) -> Vec<u64> {
    let dq = m.data_quality;
    vec![
        m.items,
        m.skus,
        m.out_of_stock,
        m.low_stock,
        m.expiring,
        m.expired,
        m.reorder_needed,
        dq.unknown_movement_kind,
        dq.negative_stock,
    ]
}

fn sum_rows<T: Clone + std::ops::Add<Output = T> + Default>(rows: impl Iterator<Item = Vec<T>>, len: usize) -> Vec<T> {
    rows.fold(vec![T::default(); len], |acc, r| acc.into_iter().zip(r).map(|(a, b)| a + b).collect())
}

/// What Postgres groups invoices by: clinic, doctor, trend bucket, status.
type InvoiceKey = (i64, Option<i64>, u32, InvoiceStatus);
/// ... and receivables by: clinic, doctor, aging, status, payer, sign of balance.
type ReceivableKey = (i64, Option<i64>, AgingBucket, InvoiceStatus, Payer, bool);

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn combining_partial_states_equals_one_pass(t in tables(), scope in scope_strategy(), mask in any::<u64>()) {
        let frame = t.frame(&scope).expect("frame");
        let (a, b) = split(&t, mask);
        // Each domain: fold all rows once, or fold each half and combine.
        macro_rules! combined_equals_one_pass {
            ($acc:ty, $fold:ident) => {{
                let mut one = <$acc>::with_frame(frame.clone());
                t.$fold(&mut one).expect("fold");
                let mut left = <$acc>::with_frame(frame.clone());
                a.$fold(&mut left).expect("fold a");
                let mut right = <$acc>::with_frame(frame.clone());
                b.$fold(&mut right).expect("fold b");
                left.combine(&right).expect("combine");
                prop_assert_eq!(left.finish().expect("finish"), one.finish().expect("finish"), "{}", stringify!($acc));
            }};
        }
        combined_equals_one_pass!(FinancialAcc, fold_financial);
        combined_equals_one_pass!(OperationsAcc, fold_operations);
        combined_equals_one_pass!(AccountingAcc, fold_accounting);
        combined_equals_one_pass!(LabAcc, fold_lab);
        combined_equals_one_pass!(StaffAcc, fold_staff);
        combined_equals_one_pass!(ClinicalAcc, fold_clinical);
        combined_equals_one_pass!(PatientsAcc, fold_patients);
        combined_equals_one_pass!(InventoryAcc, fold_inventory);
    }

    #[test]
    fn aging_and_payer_splits_sum_to_ar_in_every_row(t in tables(), scope in scope_strategy()) {
        let r = t.financial(&scope).expect("report");
        check_financial_row(&r.totals, "totals");
        for g in &r.groups {
            check_financial_row(&g.metrics, &format!("row {}/{:?}", g.clinic_id, g.doctor_id));
        }
    }

    #[test]
    fn additive_totals_equal_the_sum_of_rows(t in tables(), scope in scope_strategy()) {
        let fin = t.financial(&scope).expect("financial");
        let ops = t.operations(&scope).expect("operations");
        if scope.group_by() != GroupBy::None {
            let n = financial_additive(&fin.totals).len();
            prop_assert_eq!(sum_rows(fin.groups.iter().map(|g| financial_additive(&g.metrics)), n), financial_additive(&fin.totals));
            // Distinct patients and chairs are clinic-level: additive over clinic rows only.
            let by_clinic = scope.group_by() == GroupBy::Clinic;
            let n = operations_additive(&ops.totals, by_clinic).len();
            prop_assert_eq!(sum_rows(ops.groups.iter().map(|g| operations_additive(&g.metrics, by_clinic)), n),
                            operations_additive(&ops.totals, by_clinic));
            // Every accounting amount is additive, by clinic and by doctor alike.
            let acc = t.accounting(&scope).expect("accounting");
            let n = accounting_additive(&acc.totals).len();
            prop_assert_eq!(sum_rows(acc.groups.iter().map(|g| accounting_additive(&g.metrics)), n),
                            accounting_additive(&acc.totals));
            // Lab counts and cost, over every vendor and per vendor.
            let lab = t.lab(&scope).expect("lab");
            let n = lab_additive(&lab.totals).len();
            prop_assert_eq!(sum_rows(lab.groups.iter().map(|g| lab_additive(&g.metrics)), n), lab_additive(&lab.totals));
            for m in lab.groups.iter().map(|g| &g.metrics).chain([&lab.totals]) {
                let f = &m.figures;
                let lines = sum_rows(m.by_vendor.iter().map(|l| lab_figures(&l.figures)), 5);
                prop_assert_eq!(lines, lab_figures(f), "vendor lines add up to their group");
            }
            // Every staff count and amount (staff are on their branch's row).
            let staff = t.staff(&scope).expect("staff");
            let n = staff_additive(&staff.totals).len();
            prop_assert_eq!(sum_rows(staff.groups.iter().map(|g| staff_additive(&g.metrics)), n),
                            staff_additive(&staff.totals));
            for m in staff.groups.iter().map(|g| &g.metrics).chain([&staff.totals]) {
                let roles: u64 = m.headcount_by_role.iter().map(|r| r.staff).sum();
                prop_assert_eq!(roles, m.headcount, "roles add up to the headcount");
                prop_assert!(m.present_today + m.on_leave_today <= m.present_days + m.leave_days);
                prop_assert!(m.late_arrivals <= m.present_days);
            }
            // Clinical counts and fees; per-doctor acceptance lines add up to their row.
            let clinical = t.clinical(&scope).expect("clinical");
            let n = clinical_additive(&clinical.totals).len();
            prop_assert_eq!(sum_rows(clinical.groups.iter().map(|g| clinical_additive(&g.metrics)), n),
                            clinical_additive(&clinical.totals));
            for m in clinical.groups.iter().map(|g| &g.metrics).chain([&clinical.totals]) {
                let created: u64 = m.acceptance_by_doctor.iter().map(|d| d.plans_created).sum();
                let accepted: u64 = m.acceptance_by_doctor.iter().map(|d| d.plans_accepted).sum();
                prop_assert_eq!((created, accepted), (m.plans_created, m.plans_accepted));
                prop_assert!(m.completed_value <= m.accepted_value || m.accepted_value < Decimal::ZERO);
                prop_assert!(m.top_procedures_by_volume.len() <= odx_core::clinical::TOP_PROCEDURES);
            }
            // Patient counts (patients are on their branch's row); the
            // totals' at-risk list is the head of the rows' lists merged.
            let patients = t.patients(&scope).expect("patients");
            let n = patients_additive(&patients.totals).len();
            prop_assert_eq!(sum_rows(patients.groups.iter().map(|g| patients_additive(&g.metrics)), n),
                            patients_additive(&patients.totals));
            let mut merged: Vec<_> = patients.groups.iter().flat_map(|g| g.metrics.churn_list.clone()).collect();
            merged.sort_by(|a, b| b.lifetime_billed.cmp(&a.lifetime_billed).then(a.clinic_id.cmp(&b.clinic_id)).then(a.patient_id.cmp(&b.patient_id)));
            merged.truncate(odx_core::patients::CHURN_LIST_LEN);
            prop_assert_eq!(&merged, &patients.totals.churn_list);
            // Inventory counts (stock is on its branch's row; amounts are
            // rounded to paisa from exact sums, so only counts add up).
            let inv = t.inventory(&scope).expect("inventory");
            let n = inventory_additive(&inv.totals).len();
            prop_assert_eq!(sum_rows(inv.groups.iter().map(|g| inventory_additive(&g.metrics)), n),
                            inventory_additive(&inv.totals));
            for g in &inv.groups {
                prop_assert!(g.metrics.rebalance.is_empty(), "no transfer within one branch");
            }
            for l in &inv.totals.rebalance {
                prop_assert!(l.from_clinic_id != l.to_clinic_id && l.qty > Decimal::ZERO && l.qty.fract().is_zero());
            }
            for m in patients.groups.iter().map(|g| &g.metrics).chain([&patients.totals]) {
                prop_assert!(m.active_patients <= m.patients_on_file && m.churn_risk <= m.patients_on_file);
                prop_assert!(m.recall_overdue <= m.patients_on_file && m.churn_list.len() as u64 <= m.churn_risk);
            }
        }
    }

    #[test]
    fn each_network_row_equals_that_clinic_alone(t in tables(), scope in scope_strategy()) {
        let scope = scope.with_group_by(GroupBy::Clinic);
        let fin = t.financial(&scope).expect("financial");
        let ops = t.operations(&scope).expect("operations");
        let acc = t.accounting(&scope).expect("accounting");
        let lab = t.lab(&scope).expect("lab");
        let staff = t.staff(&scope).expect("staff");
        let clinical = t.clinical(&scope).expect("clinical");
        let patients = t.patients(&scope).expect("patients");
        let inventory = t.inventory(&scope).expect("inventory");
        for &id in scope.clinic_ids() {
            let alone = scope.only(id).expect("in scope");
            prop_assert_eq!(Some(&t.financial(&alone).expect("alone").totals), fin.clinic_row(id));
            prop_assert_eq!(Some(&t.operations(&alone).expect("alone").totals), ops.clinic_row(id));
            prop_assert_eq!(Some(&t.accounting(&alone).expect("alone").totals), acc.clinic_row(id));
            prop_assert_eq!(Some(&t.lab(&alone).expect("alone").totals), lab.clinic_row(id));
            prop_assert_eq!(Some(&t.staff(&alone).expect("alone").totals), staff.clinic_row(id));
            prop_assert_eq!(Some(&t.clinical(&alone).expect("alone").totals), clinical.clinic_row(id));
            prop_assert_eq!(Some(&t.patients(&alone).expect("alone").totals), patients.clinic_row(id));
            prop_assert_eq!(Some(&t.inventory(&alone).expect("alone").totals), inventory.clinic_row(id));
        }
    }

    #[test]
    fn grouped_facts_equal_row_facts(t in tables(), scope in scope_strategy()) {
        // What Postgres sends: invoices and receivables grouped by every key
        // core reads (receivables also by the sign of the balance).
        let frame = t.frame(&scope).expect("frame");
        let mut rows = FinancialAcc::with_frame(frame.clone());
        let mut grouped = FinancialAcc::with_frame(frame.clone());
        let mut inv: BTreeMap<InvoiceKey, (u64, Decimal)> = BTreeMap::new();
        let mut rec: BTreeMap<ReceivableKey, (u64, Decimal)> = BTreeMap::new();
        // What the receivables statement sends: only the invoices whose fact
        // counts (a settled, draft or void invoice is left out).
        let mut sent = FinancialAcc::with_frame(frame.clone());
        let mut rec_sent: BTreeMap<ReceivableKey, (u64, Decimal)> = BTreeMap::new();
        for i in t.invoices.iter().filter(|i| scope.contains(i.clinic_id)) {
            let clock = frame.clock(i.clinic_id).expect("clock");
            let paid: Decimal = t.payments.iter().filter(|p| p.invoice_id == i.id && p.paid_at < clock.as_of()).map(|p| p.amount).sum();
            rows.accum_invoice_row(i.clinic_id, i.doctor_id, i.issued_at, i.status, i.payer, i.total, Decimal::ZERO, Some(paid)).expect("row");
            if let Some(b) = clock.trend_bucket(i.issued_at) {
                let e = inv.entry((i.clinic_id, i.doctor_id, b, i.status)).or_default();
                e.0 += 1; e.1 += i.total;
            }
            if let Some(aging) = clock.aging_bucket(i.issued_at) {
                let balance = i.total - paid;
                let key = (i.clinic_id, i.doctor_id, aging, i.status, i.payer, balance > Decimal::ZERO);
                let e = rec.entry(key).or_default();
                e.0 += 1; e.1 += balance;
                let one = ReceivableFact { clinic_id: i.clinic_id, doctor_id: i.doctor_id, aging, status: i.status, payer: i.payer, invoices: 1, balance };
                if one.counts() {
                    let e = rec_sent.entry(key).or_default();
                    e.0 += 1; e.1 += balance;
                }
            }
        }
        for ((clinic_id, doctor_id, bucket, status), (invoices, total)) in inv {
            let f = InvoiceFact { clinic_id, doctor_id, bucket, status, invoices, total, materials: Decimal::ZERO };
            grouped.accum_invoice(&f).expect("fact");
            sent.accum_invoice(&f).expect("fact");
        }
        for ((clinic_id, doctor_id, aging, status, payer, _), (invoices, balance)) in rec {
            grouped.accum_receivable(&ReceivableFact { clinic_id, doctor_id, aging, status, payer, invoices, balance }).expect("fact");
        }
        for ((clinic_id, doctor_id, aging, status, payer, _), (invoices, balance)) in rec_sent {
            sent.accum_receivable(&ReceivableFact { clinic_id, doctor_id, aging, status, payer, invoices, balance }).expect("fact");
        }
        prop_assert_eq!(sent.finish().expect("sent"), rows.clone().finish().expect("rows"));
        // Grouping by `balance > 0` puts zero balances with the credits, so even
        // the open-invoice count is exact.
        prop_assert_eq!(rows.finish().expect("rows"), grouped.finish().expect("grouped"));
    }
}

#[test]
fn a_fact_for_a_clinic_outside_the_scope_is_refused() {
    let t = odx_fixtures::known_answer::tables();
    let (from, to) = odx_fixtures::known_answer::range();
    let scope = MetricScope::new([1], from, to, GroupBy::Clinic).expect("scope");
    let mut acc = OperationsAcc::new(&scope, &t.directory()).expect("acc");
    let err = acc.accum_appointment_row(2, None, false, base(), 30, AppointmentStatus::Completed).unwrap_err();
    assert_eq!(err, OdxError::RowOutsideScope { clinic_id: 2 });
    let other = OperationsAcc::new(&scope.with_group_by(GroupBy::Doctor), &t.directory()).expect("acc");
    assert_eq!(acc.combine(&other).unwrap_err(), OdxError::ScopeMismatch);
    let mut fin = FinancialAcc::new(&scope, &t.directory()).expect("acc");
    let bad_bucket = InvoiceFact {
        clinic_id: 1,
        doctor_id: None,
        bucket: 30,
        status: InvoiceStatus::Paid,
        invoices: 1,
        total: Decimal::ONE,
        materials: Decimal::ZERO,
    };
    assert_eq!(fin.accum_invoice(&bad_bucket).unwrap_err(), OdxError::BucketOutOfRange { bucket: 30, buckets: 30 });
}

#[test]
fn a_receivable_fact_counts_exactly_when_it_changes_the_report() {
    // `ReceivableFact::counts` decides which invoices the receivables
    // statement may leave out: a fact counts when, and only when, adding it
    // changes the report; one that does not makes no doctor row either.
    let t = odx_fixtures::known_answer::tables();
    let (from, to) = odx_fixtures::known_answer::range();
    let scope = MetricScope::new([1], from, to, GroupBy::Doctor).expect("scope");
    let empty = FinancialAcc::new(&scope, &t.directory()).expect("acc").finish().expect("empty");
    let statuses = InvoiceStatus::LISTED.iter().copied().chain([InvoiceStatus::Unknown]);
    let mut counted = 0;
    for status in statuses {
        for balance in [Decimal::new(-500, 2), Decimal::ZERO, Decimal::new(250_000, 2)] {
            let f = ReceivableFact {
                clinic_id: 1,
                doctor_id: Some(4242),
                aging: AgingBucket::Days31To60,
                status,
                payer: Payer::Insurance,
                invoices: 1,
                balance,
            };
            let mut acc = FinancialAcc::new(&scope, &t.directory()).expect("acc");
            acc.accum_receivable(&f).expect("fact");
            let report = acc.finish().expect("report");
            assert_eq!(report != empty, f.counts(), "{status:?} with a balance of {balance}");
            let doctor_row = report.groups.iter().any(|g| g.doctor_id == Some(4242));
            assert_eq!(doctor_row, f.counts(), "{status:?} with a balance of {balance}: the doctor's row");
            counted += usize::from(f.counts());
        }
    }
    // Billed (issued, partially paid, paid) with a credit or a balance, and
    // an unknown status whatever its balance.
    assert_eq!(counted, 3 * 2 + 3);
}
