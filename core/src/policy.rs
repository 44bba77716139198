//! Who may see and do what: the insights scope of a principal (the console's
//! clinics) and the permission rules of the organization layer, as one
//! decision with a reason.
//!
//! The org layer is two mappings: `organization_clinics` (which branches an
//! organization has) and `user_organization_assignments` (who is `org_admin`
//! or `branch_manager` of it). Everything here is decided from those rows and
//! the user's own `users` row; nothing is read from a request but the ids it
//! asks for, and a request never widens what the rows give.

use crate::error::{OdxError, Result};
use crate::rows::{ClinicRow, OrganizationClinicRow, UserOrganizationAssignmentRow, UserRow};
use crate::scope::{GroupBy, MetricScope};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A role of the organization layer (`user_organization_assignments.role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    /// Head office: every branch of the organization.
    OrgAdmin,
    /// One branch's manager: the console scoped to that branch.
    BranchManager,
}

impl OrgRole {
    /// The role named by a stored value (trimmed, case-insensitive); any
    /// other value is no org role (no console).
    pub fn from_db(value: &str) -> Option<OrgRole> {
        match value.trim().to_ascii_lowercase().as_str() {
            "org_admin" => Some(OrgRole::OrgAdmin),
            "branch_manager" => Some(OrgRole::BranchManager),
            _ => None,
        }
    }
}

/// The altitude of a console scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Every branch of the organization.
    Network,
    /// One branch.
    Branch,
}

/// The branches of every organization, and which are active: built from
/// `organization_clinics` and `clinics.status`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgDirectory {
    /// clinic -> (organization, active).
    clinics: BTreeMap<i64, (i64, bool)>,
    /// clinic -> city (`clinics.city`, trimmed).
    cities: BTreeMap<i64, String>,
}

impl OrgDirectory {
    /// The directory of these rows. A mapped clinic missing from `clinics`
    /// counts as inactive (its history stays reachable).
    pub fn new(organization_clinics: &[OrganizationClinicRow], clinics: &[ClinicRow]) -> Self {
        let active: BTreeMap<i64, bool> =
            clinics.iter().map(|c| (c.id, c.status.trim().eq_ignore_ascii_case("active"))).collect();
        OrgDirectory {
            clinics: organization_clinics
                .iter()
                .map(|m| (m.clinic_id, (m.organization_id, active.get(&m.clinic_id).copied().unwrap_or(false))))
                .collect(),
            cities: clinics.iter().map(|c| (c.id, c.city.trim().to_owned())).collect(),
        }
    }

    /// The organization a clinic belongs to.
    pub fn organization_of(&self, clinic_id: i64) -> Option<i64> {
        self.clinics.get(&clinic_id).map(|(org, _)| *org)
    }

    /// Every branch of an organization (active or not), ascending.
    pub fn branches(&self, organization_id: i64) -> Vec<i64> {
        self.clinics.iter().filter(|(_, (org, _))| *org == organization_id).map(|(id, _)| *id).collect()
    }

    /// Whether a branch is in `city` (trimmed, case-insensitive).
    pub fn in_city(&self, clinic_id: i64, city: &str) -> bool {
        self.cities.get(&clinic_id).is_some_and(|c| c.eq_ignore_ascii_case(city.trim()))
    }

    /// Whether a branch is active.
    pub fn is_active(&self, clinic_id: i64) -> bool {
        self.clinics.get(&clinic_id).is_some_and(|(_, active)| *active)
    }
}

/// What the console may show a principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InsightsScope {
    /// The user.
    pub user_id: i64,
    /// The organization.
    pub organization_id: i64,
    /// The principal's role in it.
    pub role: OrgRole,
    /// `network` for an org admin, `branch` for a branch manager (a focus
    /// branch does not change the principal's altitude).
    pub level: Level,
    /// The branch the request focused on, when it named one.
    pub focus: Option<i64>,
    /// The city the request focused on, when it named one (the scope is
    /// then the principal's branches in it).
    pub focus_city: Option<String>,
    /// The clinics of the scope, ascending (inactive branches included:
    /// their history stays visible).
    pub clinic_ids: Vec<i64>,
    /// The active ones among them.
    pub active_clinic_ids: Vec<i64>,
}

impl InsightsScope {
    /// The metric scope of these clinics over `from..=to`.
    ///
    /// # Errors
    /// As [`MetricScope::new`].
    pub fn metric_scope(&self, from: NaiveDate, to: NaiveDate, group_by: GroupBy) -> Result<MetricScope> {
        MetricScope::new(self.clinic_ids.clone(), from, to, group_by)
    }
}

/// The console scope of `user_id`: `org_admin` -> every branch of the
/// organization (level network), `branch_manager` -> its one branch (level
/// branch), anyone else -> no console. `organization_id` picks one of the
/// user's organizations (needed only when the user has a console role in
/// more than one); `focus` narrows the scope to one of its branches and
/// `city` to its branches in a city (trimmed, case-insensitive), both
/// always inside the principal's branches. Only an active user (`users`
/// row with `status` active) has a console.
///
/// # Errors
/// [`OdxError::UnknownUser`] when `users` has no row for the user (an
/// assignment whose user is gone), [`OdxError::InactiveUser`] when the
/// user is not active; [`OdxError::NoConsoleAccess`] when the user has no console role (in the
/// organization asked for), or a branch manager's branch is not one of the
/// organization's; [`OdxError::AmbiguousOrganization`] when the user has a
/// console role in several organizations and none was named;
/// [`OdxError::ForbiddenScope`] for a focus branch outside the scope (the
/// route's 403: never filtered away, never widening), or outside the focus
/// city; [`OdxError::ForbiddenCity`] for a city with none of the scope's
/// branches.
pub fn resolve_scope(
    user_id: i64,
    users: &[UserRow],
    assignments: &[UserOrganizationAssignmentRow],
    directory: &OrgDirectory,
    organization_id: Option<i64>,
    focus: Option<i64>,
    city: Option<&str>,
) -> Result<InsightsScope> {
    // Only an active user has a console: a deactivated one (or an
    // assignment whose user row is gone) is refused, never resolved.
    match users.iter().find(|u| u.id == user_id) {
        None => return Err(OdxError::UnknownUser { user_id }),
        Some(u) if !is_active(u) => return Err(OdxError::InactiveUser { user_id }),
        Some(_) => {}
    }
    let mut roles: Vec<(i64, OrgRole, Option<i64>)> = assignments
        .iter()
        .filter(|a| a.user_id == user_id && organization_id.is_none_or(|org| org == a.organization_id))
        .filter_map(|a| OrgRole::from_db(&a.role).map(|role| (a.organization_id, role, a.clinic_id)))
        .collect();
    roles.sort_unstable();
    roles.dedup_by_key(|(org, _, _)| *org);
    let (organization_id, role, assigned) = match roles.as_slice() {
        [] => return Err(OdxError::NoConsoleAccess { user_id }),
        [one] => *one,
        _ => return Err(OdxError::AmbiguousOrganization { user_id }),
    };
    let (level, clinic_ids) = match role {
        OrgRole::OrgAdmin => (Level::Network, directory.branches(organization_id)),
        OrgRole::BranchManager => match assigned {
            Some(clinic) if directory.organization_of(clinic) == Some(organization_id) => (Level::Branch, vec![clinic]),
            _ => return Err(OdxError::NoConsoleAccess { user_id }),
        },
    };
    let city = city.map(str::trim).filter(|c| !c.is_empty());
    let clinic_ids = match city {
        None => clinic_ids,
        Some(city) => match clinic_ids.into_iter().filter(|c| directory.in_city(*c, city)).collect::<Vec<_>>() {
            none if none.is_empty() => return Err(OdxError::ForbiddenCity { city: city.to_owned() }),
            some => some,
        },
    };
    let clinic_ids = match focus {
        None => clinic_ids,
        Some(branch) if clinic_ids.contains(&branch) => vec![branch],
        Some(branch) => return Err(OdxError::ForbiddenScope { clinic_id: branch }),
    };
    let active_clinic_ids = clinic_ids.iter().copied().filter(|c| directory.is_active(*c)).collect();
    let focus_city = city.map(str::to_owned);
    Ok(InsightsScope { user_id, organization_id, role, level, focus, focus_city, clinic_ids, active_clinic_ids })
}

/// A user as the permission rules see them: the `users` row (branch and
/// clinic role) and the org-layer assignments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Principal {
    /// The user.
    pub user_id: i64,
    /// `users.clinic_id`: the branch the user works in (none: HQ-only, or
    /// an inactive user, who holds no branch role).
    pub clinic_id: Option<i64>,
    /// `users.role`: `clinic_admin`, `doctor`, `receptionist`, ...
    pub clinic_role: String,
    /// The org roles: (organization, role, branch of a branch manager).
    pub org_roles: Vec<(i64, OrgRole, Option<i64>)>,
    /// `users.status` is `active`. An inactive user is refused everything
    /// ([`Reason::InactiveUser`]), whatever assignments remain.
    pub active: bool,
}

/// Whether a `users` row is active (`status`, trimmed, any case).
fn is_active(user: &UserRow) -> bool {
    user.status.trim().eq_ignore_ascii_case("active")
}

impl Principal {
    /// The principal of a `users` row and its assignments (other users'
    /// rows and roles that are not org roles are ignored).
    pub fn new(user: &UserRow, assignments: &[UserOrganizationAssignmentRow]) -> Self {
        let mut org_roles: Vec<_> = assignments
            .iter()
            .filter(|a| a.user_id == user.id)
            .filter_map(|a| OrgRole::from_db(&a.role).map(|r| (a.organization_id, r, a.clinic_id)))
            .collect();
        org_roles.sort_unstable();
        let active = is_active(user);
        Principal {
            user_id: user.id,
            clinic_id: if active { user.clinic_id } else { None },
            clinic_role: user.role.trim().to_ascii_lowercase(),
            org_roles: if active { org_roles } else { Vec::new() },
            active,
        }
    }

    fn org_admin_of(&self, organization_id: Option<i64>) -> bool {
        organization_id.is_some_and(|org| self.org_roles.iter().any(|(o, r, _)| *o == org && *r == OrgRole::OrgAdmin))
    }

    /// Branch manager of `clinic_id` by an assignment of the branch's own
    /// organization (an assignment naming another organization's branch
    /// grants nothing).
    fn branch_manager_of(&self, clinic_id: i64, organization_id: Option<i64>) -> bool {
        organization_id.is_some_and(|org| {
            self.org_roles.iter().any(|(o, r, c)| *o == org && *r == OrgRole::BranchManager && *c == Some(clinic_id))
        })
    }

    fn works_in(&self, clinic_id: i64) -> bool {
        self.clinic_id == Some(clinic_id)
    }

    fn clinic_admin_of(&self, clinic_id: i64) -> bool {
        self.works_in(clinic_id) && self.clinic_role == "clinic_admin"
    }
}

/// An organization-level module of the Network Hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NetworkModule {
    /// Network overview.
    Overview,
    /// Cross-branch analytics (the console at network level).
    Analytics,
    /// Branch management (create, configure, deactivate).
    BranchManagement,
    /// Staff and permissions across the network (incl. network role defaults).
    StaffPermissions,
    /// Publishing shared templates.
    SharedTemplates,
    /// The enterprise plan and add-ons.
    Billing,
}

/// What a principal asks to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// A clinic-level permission of `clinic_admin` (any of them, by name).
    ClinicAdmin {
        /// The permission's name, e.g. `appointments.edit`.
        permission: String,
    },
    /// Read the insights console for a branch.
    ViewInsights,
    /// Open a Network Hub module.
    OpenModule {
        /// Which.
        module: NetworkModule,
    },
    /// See a template.
    ViewTemplate,
    /// Create a template (an org template when the resource has no clinic).
    CreateTemplate,
    /// Change (override) a template.
    EditTemplate,
    /// Delete a template.
    DeleteTemplate,
    /// Change the organization's plan.
    ChangePlan,
    /// Set the network's role defaults (applied to new branches).
    SetRoleDefaults,
    /// Set the organization's targets (network and per branch).
    ManageTargets,
}

/// What an action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resource {
    /// A branch.
    Clinic {
        /// The branch.
        clinic_id: i64,
    },
    /// An organization as a whole.
    Organization {
        /// The organization.
        organization_id: i64,
    },
    /// A template: an org (HQ) template when `clinic_id` is none, else a
    /// branch-local one.
    Template {
        /// Its organization.
        organization_id: i64,
        /// Its branch, for a branch-local template.
        clinic_id: Option<i64>,
    },
}

/// Why a decision went the way it did (a stable code for the UI and logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The principal is org_admin of the resource's organization.
    OrgAdmin,
    /// The principal is clinic_admin of the branch.
    ClinicAdmin,
    /// The principal is the branch's manager.
    BranchManager,
    /// The principal works in the branch (or one of the organization's).
    BranchStaff,
    /// The resource belongs to another organization than the principal's.
    OutsideOrganization,
    /// Network modules are for org_admin only; branch staff never reach them.
    NetworkOnly,
    /// Org (HQ) templates are changed or deleted by org_admin only.
    OrgTemplateProtected,
    /// The principal holds no role that allows this on this resource.
    NotPermitted,
    /// The action does not apply to this kind of resource.
    WrongResource,
    /// The user is not active (`users.status`): refused everything.
    InactiveUser,
}

/// An authorization decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Decision {
    /// Whether the action is allowed.
    pub allowed: bool,
    /// Why.
    pub reason: Reason,
}

fn allow(reason: Reason) -> Decision {
    Decision { allowed: true, reason }
}

fn deny(reason: Reason) -> Decision {
    Decision { allowed: false, reason }
}

/// The one permission decision of the organization layer:
///
/// * org_admin holds every clinic_admin permission in every branch of its
///   organization, and nothing outside it;
/// * clinic_admin holds them in its own branch; the insights console of a
///   branch is for its org_admin and its branch manager;
/// * Network Hub modules, plan changes and network role defaults are
///   org_admin's alone: branch staff never reach them;
/// * org templates are visible to every branch of the organization and only
///   org_admin creates, changes or deletes them; a branch's clinic_admin
///   manages its branch-local templates (and org_admin may too); branch
///   staff see their branch's.
pub fn authorize(principal: &Principal, directory: &OrgDirectory, action: &Action, resource: &Resource) -> Decision {
    if !principal.active {
        return deny(Reason::InactiveUser);
    }
    let org = match *resource {
        Resource::Clinic { clinic_id } => directory.organization_of(clinic_id),
        Resource::Organization { organization_id } => Some(organization_id),
        Resource::Template { organization_id, clinic_id } => match clinic_id {
            // A branch template of a branch of another organization is not
            // this organization's.
            Some(c) if directory.organization_of(c) != Some(organization_id) => None,
            _ => Some(organization_id),
        },
    };
    let org_admin = principal.org_admin_of(org);
    let member_of_org = org.is_some_and(|o| {
        principal.org_roles.iter().any(|(r, _, _)| *r == o)
            || principal.clinic_id.and_then(|c| directory.organization_of(c)) == Some(o)
    });
    match (action, *resource) {
        (Action::ClinicAdmin { .. }, Resource::Clinic { clinic_id }) => {
            if org_admin {
                allow(Reason::OrgAdmin)
            } else if principal.clinic_admin_of(clinic_id) {
                allow(Reason::ClinicAdmin)
            } else {
                deny(if member_of_org || principal.works_in(clinic_id) {
                    Reason::NotPermitted
                } else {
                    Reason::OutsideOrganization
                })
            }
        }
        (Action::ViewInsights, Resource::Clinic { clinic_id }) => {
            if org_admin {
                allow(Reason::OrgAdmin)
            } else if principal.branch_manager_of(clinic_id, org) {
                allow(Reason::BranchManager)
            } else {
                deny(if member_of_org { Reason::NotPermitted } else { Reason::OutsideOrganization })
            }
        }
        (Action::ViewInsights, Resource::Organization { .. })
        | (
            Action::OpenModule { .. } | Action::ChangePlan | Action::SetRoleDefaults | Action::ManageTargets,
            Resource::Organization { .. },
        ) => {
            if org_admin {
                allow(Reason::OrgAdmin)
            } else {
                deny(if member_of_org { Reason::NetworkOnly } else { Reason::OutsideOrganization })
            }
        }
        (
            Action::ViewTemplate | Action::CreateTemplate | Action::EditTemplate | Action::DeleteTemplate,
            Resource::Template { clinic_id, .. },
        ) => {
            if org.is_none() {
                return deny(Reason::OutsideOrganization);
            }
            if org_admin {
                return allow(Reason::OrgAdmin);
            }
            match (action, clinic_id) {
                (Action::ViewTemplate, None) if member_of_org => allow(Reason::BranchStaff),
                (Action::ViewTemplate, Some(c)) if principal.works_in(c) || principal.branch_manager_of(c, org) => {
                    allow(Reason::BranchStaff)
                }
                (_, None) if member_of_org => deny(Reason::OrgTemplateProtected),
                (_, Some(c)) if principal.clinic_admin_of(c) => allow(Reason::ClinicAdmin),
                _ => deny(if member_of_org { Reason::NotPermitted } else { Reason::OutsideOrganization }),
            }
        }
        _ => deny(Reason::WrongResource),
    }
}

/// The principal of `user_id` among `users` and their assignments.
///
/// # Errors
/// [`OdxError::UnknownUser`] when `users` has no such user.
pub fn principal_of(
    user_id: i64,
    users: &[UserRow],
    assignments: &[UserOrganizationAssignmentRow],
) -> Result<Principal> {
    let user = users.iter().find(|u| u.id == user_id).ok_or(OdxError::UnknownUser { user_id })?;
    Ok(Principal::new(user, assignments))
}

/// An [`Action`] and a [`Resource`] read from their JSON, as the SQL and
/// Node surfaces receive them: `{"action": "clinic_admin", "permission":
/// "appointments.edit"}` and `{"kind": "clinic", "clinic_id": 3}`.
///
/// # Errors
/// [`OdxError::InvalidArgument`] naming `action` or `resource`, with the
/// kinds accepted.
pub fn read_request(action: &str, resource: &str) -> Result<(Action, Resource)> {
    let action = serde_json::from_str(action).map_err(|e| OdxError::InvalidArgument {
        field: "action",
        message: format!(
            "{e}; expected {{\"action\": \"clinic_admin\", \"permission\": ...}}, {{\"action\": \"open_module\", \
             \"module\": \"overview\" | \"analytics\" | \"branch_management\" | \"staff_permissions\" | \
             \"shared_templates\" | \"billing\"}} or {{\"action\": \"view_insights\" | \"view_template\" | \
             \"create_template\" | \"edit_template\" | \"delete_template\" | \"change_plan\" | \"set_role_defaults\" \
             | \"manage_targets\"}}"
        ),
    })?;
    let resource = serde_json::from_str(resource).map_err(|e| OdxError::InvalidArgument {
        field: "resource",
        message: format!(
            "{e}; expected {{\"kind\": \"clinic\", \"clinic_id\": ...}}, {{\"kind\": \"organization\", \
             \"organization_id\": ...}} or {{\"kind\": \"template\", \"organization_id\": ..., \"clinic_id\": null | ...}}"
        ),
    })?;
    Ok((action, resource))
}

/// Role permissions: role -> the permissions it holds.
pub type RolePermissions = BTreeMap<String, BTreeSet<String>>;

/// The role permissions a branch works with: its own once it has set them,
/// else the network's defaults (a new branch starts from the defaults, and a
/// later change of the defaults reaches every branch that has not set its
/// own).
pub fn branch_role_permissions<'a>(
    network_defaults: &'a RolePermissions,
    branch_own: Option<&'a RolePermissions>,
) -> &'a RolePermissions {
    branch_own.unwrap_or(network_defaults)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Users 1 to 9, active.
    fn users() -> Vec<UserRow> {
        (1..=9)
            .map(|id| UserRow {
                id,
                clinic_id: None,
                name: format!("u{id}"),
                role: "other".into(),
                status: "active".into(),
                hired_on: None,
            })
            .collect()
    }

    #[test]
    fn an_inactive_user_or_a_missing_user_row_has_no_console() {
        let a = vec![UserOrganizationAssignmentRow {
            user_id: 1,
            organization_id: 1,
            role: "org_admin".into(),
            clinic_id: None,
        }];
        let mut people = users();
        people[0].status = " Inactive".into();
        assert_eq!(resolve_scope(1, &people, &a, &dir(), None, None, None), Err(OdxError::InactiveUser { user_id: 1 }));
        assert_eq!(resolve_scope(1, &[], &a, &dir(), None, None, None), Err(OdxError::UnknownUser { user_id: 1 }));
        let p = Principal::new(&people[0], &a);
        assert!(!p.active && p.org_roles.is_empty());
        for action in [Action::ViewInsights, Action::ManageTargets, Action::ChangePlan] {
            let d = authorize(&p, &dir(), &action, &Resource::Organization { organization_id: 1 });
            assert_eq!(d, deny(Reason::InactiveUser), "{action:?}");
        }
        assert!(
            authorize(
                &Principal::new(&users()[0], &a),
                &dir(),
                &Action::ViewInsights,
                &Resource::Organization { organization_id: 1 }
            )
            .allowed
        );
        assert_eq!(OdxError::InactiveUser { user_id: 1 }.code(), "ODX_INACTIVE_USER");
    }

    fn dir() -> OrgDirectory {
        let oc = |org, clinic| OrganizationClinicRow { organization_id: org, clinic_id: clinic, is_hq: false };
        let clinic = |id, status: &str| ClinicRow {
            id,
            name: format!("c{id}"),
            city: if id == 12 { " Karachi".into() } else { "Lahore".into() },
            status: status.into(),
            timezone: String::new(),
        };
        OrgDirectory::new(
            &[oc(1, 10), oc(1, 11), oc(1, 12), oc(2, 20)],
            &[clinic(10, "active"), clinic(11, "inactive"), clinic(12, "active"), clinic(20, "active")],
        )
    }

    fn assign(user: i64, org: i64, role: &str, clinic: Option<i64>) -> UserOrganizationAssignmentRow {
        UserOrganizationAssignmentRow { user_id: user, organization_id: org, role: role.into(), clinic_id: clinic }
    }

    #[test]
    fn org_admin_sees_every_branch_and_a_focus_narrows() {
        let a = [assign(1, 1, "org_admin", None)];
        let s = resolve_scope(1, &users(), &a, &dir(), None, None, None).unwrap();
        assert_eq!(
            (s.level, s.clinic_ids.clone(), s.active_clinic_ids.clone()),
            (Level::Network, vec![10, 11, 12], vec![10, 12])
        );
        let s = resolve_scope(1, &users(), &a, &dir(), None, Some(11), None).unwrap();
        assert_eq!((s.level, s.clinic_ids, s.focus), (Level::Network, vec![11], Some(11)));
        assert_eq!(
            resolve_scope(1, &users(), &a, &dir(), None, Some(20), None),
            Err(OdxError::ForbiddenScope { clinic_id: 20 })
        );
    }

    #[test]
    fn a_city_narrows_to_the_principals_branches_there_and_never_widens() {
        let a = [assign(1, 1, "org_admin", None), assign(2, 1, "branch_manager", Some(12))];
        let s = resolve_scope(1, &users(), &a, &dir(), None, None, Some("karachi ")).unwrap();
        assert_eq!((s.clinic_ids, s.focus_city), (vec![12], Some("karachi".to_owned())));
        assert_eq!(
            resolve_scope(1, &users(), &a, &dir(), None, None, Some("Lahore")).unwrap().clinic_ids,
            vec![10, 11]
        );
        let refused = resolve_scope(1, &users(), &a, &dir(), None, None, Some("Quetta")).unwrap_err();
        assert_eq!(
            (refused.code(), refused),
            ("ODX_FORBIDDEN_SCOPE", OdxError::ForbiddenCity { city: "Quetta".into() })
        );
        // a branch outside the city, and a branch manager asking for another city
        assert_eq!(
            resolve_scope(1, &users(), &a, &dir(), None, Some(10), Some("Karachi")),
            Err(OdxError::ForbiddenScope { clinic_id: 10 })
        );
        assert_eq!(
            resolve_scope(2, &users(), &a, &dir(), None, None, Some("Lahore")),
            Err(OdxError::ForbiddenCity { city: "Lahore".into() })
        );
        assert_eq!(resolve_scope(2, &users(), &a, &dir(), None, None, Some("Karachi")).unwrap().clinic_ids, vec![12]);
        // a blank city is no focus
        assert_eq!(resolve_scope(1, &users(), &a, &dir(), None, None, Some(" ")).unwrap().clinic_ids, vec![10, 11, 12]);
    }

    #[test]
    fn branch_manager_sees_its_branch_only_and_others_no_console() {
        let a = [
            assign(2, 1, "branch_manager", Some(12)),
            assign(3, 1, "doctor", Some(12)),
            assign(4, 1, "branch_manager", Some(20)),
        ];
        let s = resolve_scope(2, &users(), &a, &dir(), None, None, None).unwrap();
        assert_eq!((s.level, s.clinic_ids), (Level::Branch, vec![12]));
        assert_eq!(
            resolve_scope(2, &users(), &a, &dir(), None, Some(10), None),
            Err(OdxError::ForbiddenScope { clinic_id: 10 })
        );
        assert_eq!(
            resolve_scope(3, &users(), &a, &dir(), None, None, None),
            Err(OdxError::NoConsoleAccess { user_id: 3 })
        );
        // a branch of another organization is not a branch manager's scope
        assert_eq!(
            resolve_scope(4, &users(), &a, &dir(), None, None, None),
            Err(OdxError::NoConsoleAccess { user_id: 4 })
        );
        assert_eq!(
            resolve_scope(9, &users(), &a, &dir(), None, None, None),
            Err(OdxError::NoConsoleAccess { user_id: 9 })
        );
    }

    #[test]
    fn several_organizations_need_one_named() {
        let a = [assign(5, 1, "org_admin", None), assign(5, 2, "org_admin", None)];
        assert_eq!(
            resolve_scope(5, &users(), &a, &dir(), None, None, None),
            Err(OdxError::AmbiguousOrganization { user_id: 5 })
        );
        assert_eq!(resolve_scope(5, &users(), &a, &dir(), Some(2), None, None).unwrap().clinic_ids, vec![20]);
        assert_eq!(
            resolve_scope(5, &users(), &a, &dir(), Some(3), None, None),
            Err(OdxError::NoConsoleAccess { user_id: 5 })
        );
    }

    fn user(id: i64, clinic: Option<i64>, role: &str) -> UserRow {
        UserRow {
            id,
            clinic_id: clinic,
            name: format!("u{id}"),
            role: role.into(),
            status: "active".into(),
            hired_on: None,
        }
    }

    #[test]
    fn the_permission_rules() {
        let d = dir();
        let a = [assign(1, 1, "org_admin", None), assign(2, 1, "branch_manager", Some(12))];
        let admin = Principal::new(&user(1, None, "other"), &a);
        let manager = Principal::new(&user(2, Some(12), "receptionist"), &a);
        let clinic_admin = Principal::new(&user(3, Some(10), "clinic_admin"), &a);
        let doctor = Principal::new(&user(4, Some(10), "doctor"), &a);
        let perm = Action::ClinicAdmin { permission: "appointments.edit".into() };
        let c = |clinic_id| Resource::Clinic { clinic_id };
        let org = |organization_id| Resource::Organization { organization_id };
        let t = |clinic_id| Resource::Template { organization_id: 1, clinic_id };
        let is = |p: &Principal, a: &Action, r: Resource| authorize(p, &d, a, &r);

        assert_eq!(is(&admin, &perm, c(11)), allow(Reason::OrgAdmin));
        assert_eq!(is(&admin, &perm, c(20)), deny(Reason::OutsideOrganization));
        assert_eq!(is(&clinic_admin, &perm, c(10)), allow(Reason::ClinicAdmin));
        assert_eq!(is(&clinic_admin, &perm, c(12)), deny(Reason::NotPermitted));
        assert_eq!(is(&doctor, &perm, c(10)), deny(Reason::NotPermitted));

        let hub = Action::OpenModule { module: NetworkModule::Overview };
        assert_eq!(is(&admin, &hub, org(1)), allow(Reason::OrgAdmin));
        for p in [&manager, &clinic_admin, &doctor] {
            assert_eq!(is(p, &hub, org(1)), deny(Reason::NetworkOnly));
            assert_eq!(is(p, &Action::ChangePlan, org(1)), deny(Reason::NetworkOnly));
            assert_eq!(is(p, &Action::SetRoleDefaults, org(1)), deny(Reason::NetworkOnly));
            assert_eq!(is(p, &Action::ManageTargets, org(1)), deny(Reason::NetworkOnly));
        }
        assert_eq!(is(&admin, &Action::ChangePlan, org(2)), deny(Reason::OutsideOrganization));
        assert_eq!(is(&admin, &Action::ManageTargets, org(1)), allow(Reason::OrgAdmin));
        assert_eq!(is(&admin, &Action::ManageTargets, org(2)), deny(Reason::OutsideOrganization));
        assert_eq!(is(&manager, &Action::ViewInsights, c(12)), allow(Reason::BranchManager));
        assert_eq!(is(&manager, &Action::ViewInsights, c(10)), deny(Reason::NotPermitted));
        assert_eq!(is(&clinic_admin, &Action::ViewInsights, c(10)), deny(Reason::NotPermitted));

        // org templates: seen by every branch, changed by org_admin only
        assert_eq!(is(&doctor, &Action::ViewTemplate, t(None)), allow(Reason::BranchStaff));
        assert_eq!(is(&clinic_admin, &Action::DeleteTemplate, t(None)), deny(Reason::OrgTemplateProtected));
        assert_eq!(is(&clinic_admin, &Action::EditTemplate, t(None)), deny(Reason::OrgTemplateProtected));
        assert_eq!(is(&clinic_admin, &Action::CreateTemplate, t(None)), deny(Reason::OrgTemplateProtected));
        assert_eq!(is(&admin, &Action::DeleteTemplate, t(None)), allow(Reason::OrgAdmin));
        // branch-local templates: managed by the branch's clinic_admin
        assert_eq!(is(&clinic_admin, &Action::CreateTemplate, t(Some(10))), allow(Reason::ClinicAdmin));
        assert_eq!(is(&clinic_admin, &Action::DeleteTemplate, t(Some(10))), allow(Reason::ClinicAdmin));
        assert_eq!(is(&clinic_admin, &Action::DeleteTemplate, t(Some(12))), deny(Reason::NotPermitted));
        assert_eq!(is(&doctor, &Action::ViewTemplate, t(Some(10))), allow(Reason::BranchStaff));
        assert_eq!(is(&doctor, &Action::ViewTemplate, t(Some(12))), deny(Reason::NotPermitted));
        assert_eq!(is(&doctor, &Action::EditTemplate, t(Some(10))), deny(Reason::NotPermitted));
        // a template naming a branch of another organization
        let foreign = Resource::Template { organization_id: 1, clinic_id: Some(20) };
        assert_eq!(is(&admin, &Action::DeleteTemplate, foreign), deny(Reason::OutsideOrganization));
        assert_eq!(is(&admin, &Action::ChangePlan, c(10)), deny(Reason::WrongResource));
    }

    #[test]
    fn new_branches_take_the_network_role_defaults() {
        let defaults: RolePermissions =
            [("receptionist".to_owned(), ["appointments.edit".to_owned()].into())].into_iter().collect();
        let own: RolePermissions = [("receptionist".to_owned(), BTreeSet::new())].into_iter().collect();
        assert_eq!(branch_role_permissions(&defaults, None), &defaults);
        assert_eq!(branch_role_permissions(&defaults, Some(&own)), &own);
    }
}
