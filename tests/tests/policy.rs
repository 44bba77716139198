//! Properties of the scope and permission rules over generated organizations,
//! principals and requests: no request ever yields a clinic outside the
//! principal's organization (org_admin) or assignment (branch_manager), a
//! focus outside the scope is refused rather than dropped, org_admin's
//! clinic permissions stop at its organization's border, and a deactivated
//! user (or an assignment whose user row is gone) has no console at all.

use odx_core::policy::{authorize, resolve_scope, Action, Level, OrgDirectory, OrgRole, Principal, Reason, Resource};
use odx_core::rows::{ClinicRow, OrganizationClinicRow, UserOrganizationAssignmentRow, UserRow};
use odx_core::OdxError;
use proptest::prelude::*;

/// Up to 3 organizations of up to 6 clinics (ids org*100 + n), some
/// inactive, and assignments of users 1..=6 with any role text.
fn world() -> impl Strategy<Value = (Vec<OrganizationClinicRow>, Vec<ClinicRow>, Vec<UserOrganizationAssignmentRow>)> {
    let clinics = prop::collection::vec((1i64..=3, 0i64..6, any::<bool>()), 0..14);
    let roles = prop::sample::select(vec!["org_admin", "branch_manager", "clinic_admin", "doctor", " ORG_ADMIN "]);
    let assignments = prop::collection::vec((1i64..=6, 1i64..=4, roles, prop::option::of(100i64..=406)), 0..10);
    (clinics, assignments).prop_map(|(clinics, assignments)| {
        let mut mapped = Vec::new();
        let mut rows = Vec::new();
        for (org, n, active) in clinics {
            let id = org * 100 + n;
            if rows.iter().any(|c: &ClinicRow| c.id == id) {
                continue;
            }
            mapped.push(OrganizationClinicRow { organization_id: org, clinic_id: id, is_hq: n == 0 });
            rows.push(ClinicRow {
                id,
                name: format!("c{id}"),
                city: "Lahore".into(),
                status: if active { "active" } else { "inactive" }.into(),
                timezone: String::new(),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        let assignments = assignments
            .into_iter()
            .filter(|(user, org, _, _)| seen.insert((*user, *org)))
            .map(|(user_id, organization_id, role, clinic_id)| UserOrganizationAssignmentRow {
                user_id,
                organization_id,
                role: role.into(),
                clinic_id,
            })
            .collect();
        (mapped, rows, assignments)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_request_yields_a_clinic_outside_the_principal(
        (mapped, clinics, assignments) in world(),
        user in 1i64..=7,
        org in prop::option::of(1i64..=4),
        focus in prop::option::of(prop_oneof![100i64..=406, Just(-1), Just(i64::MAX)]),
        status in prop::sample::select(vec!["active", "Active ", "inactive", "suspended", "missing"]),
    ) {
        let dir = OrgDirectory::new(&mapped, &clinics);
        // The user's row: active, deactivated, or gone (its assignments stay).
        let users: Vec<UserRow> = (status != "missing")
            .then(|| UserRow { id: user, clinic_id: None, name: "u".into(), role: "other".into(), status: status.into(), hired_on: None })
            .into_iter()
            .collect();
        let active = status.trim().eq_ignore_ascii_case("active");
        match resolve_scope(user, &users, &assignments, &dir, org, focus, None) {
            Err(OdxError::UnknownUser { user_id }) => prop_assert!(user_id == user && status == "missing"),
            Err(OdxError::InactiveUser { user_id }) => prop_assert!(user_id == user && !active && status != "missing"),
            _ if !active => prop_assert!(false, "a {status} user resolved to a scope"),
            Ok(scope) => {
                let mine: Vec<_> = assignments
                    .iter()
                    .filter(|a| a.user_id == user && a.organization_id == scope.organization_id)
                    .collect();
                prop_assert_eq!(mine.len(), 1);
                let a = mine[0];
                prop_assert_eq!(OrgRole::from_db(&a.role), Some(scope.role));
                if let Some(o) = org { prop_assert_eq!(o, scope.organization_id); }
                for c in &scope.clinic_ids {
                    prop_assert_eq!(dir.organization_of(*c), Some(scope.organization_id));
                    if scope.role == OrgRole::BranchManager { prop_assert_eq!(Some(*c), a.clinic_id); }
                }
                match focus {
                    Some(f) => prop_assert_eq!(&scope.clinic_ids, &vec![f]),
                    None if scope.role == OrgRole::OrgAdmin => {
                        prop_assert_eq!(scope.level, Level::Network);
                        prop_assert_eq!(&scope.clinic_ids, &dir.branches(scope.organization_id));
                    }
                    None => prop_assert_eq!(scope.clinic_ids.len(), 1),
                }
                for c in &scope.active_clinic_ids { prop_assert!(scope.clinic_ids.contains(c) && dir.is_active(*c)); }
            }
            Err(OdxError::ForbiddenScope { clinic_id }) => {
                // refused only for a focus outside what the unfocused scope gives
                prop_assert_eq!(Some(clinic_id), focus);
                let whole = resolve_scope(user, &users, &assignments, &dir, org, None, None).unwrap();
                prop_assert!(!whole.clinic_ids.contains(&clinic_id));
            }
            Err(OdxError::NoConsoleAccess { user_id } | OdxError::AmbiguousOrganization { user_id }) => {
                prop_assert_eq!(user_id, user);
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn clinic_permissions_stop_at_the_organization(
        (mapped, clinics, assignments) in world(),
        user in 1i64..=7,
        home in prop::option::of(100i64..=406),
        role in prop::sample::select(vec!["clinic_admin", "doctor", "other"]),
        clinic in 100i64..=406,
    ) {
        let dir = OrgDirectory::new(&mapped, &clinics);
        let row = UserRow { id: user, clinic_id: home, name: "u".into(), role: role.into(), status: "active".into(), hired_on: None };
        let p = Principal::new(&row, &assignments);
        let d = authorize(&p, &dir, &Action::ClinicAdmin { permission: "any".into() }, &Resource::Clinic { clinic_id: clinic });
        let org_admin_here = dir.organization_of(clinic).is_some_and(|o| assignments.iter().any(|a| {
            a.user_id == user && a.organization_id == o && OrgRole::from_db(&a.role) == Some(OrgRole::OrgAdmin)
        }));
        prop_assert_eq!(d.allowed, org_admin_here || (home == Some(clinic) && role == "clinic_admin"));
        if d.allowed && !org_admin_here { prop_assert_eq!(d.reason, Reason::ClinicAdmin); }
        // network modules: org_admin of that organization only
        for org in 1..=4 {
            let d = authorize(&p, &dir, &Action::ChangePlan, &Resource::Organization { organization_id: org });
            let admin = assignments.iter().any(|a| a.user_id == user && a.organization_id == org
                && OrgRole::from_db(&a.role) == Some(OrgRole::OrgAdmin));
            prop_assert_eq!(d.allowed, admin);
        }
        // The same user deactivated: refused everything, whatever the assignments.
        let gone = Principal::new(&UserRow { status: "inactive".into(), ..row }, &assignments);
        for action in [Action::ViewInsights, Action::ChangePlan, Action::ManageTargets, Action::ClinicAdmin { permission: "any".into() }] {
            for resource in [Resource::Clinic { clinic_id: clinic }, Resource::Organization { organization_id: 1 }] {
                prop_assert_eq!(authorize(&gone, &dir, &action, &resource), odx_core::policy::Decision { allowed: false, reason: Reason::InactiveUser });
            }
        }
    }
}
