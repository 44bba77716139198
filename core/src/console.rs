//! The console read-outs over rows held in memory: scope and permission,
//! the domain reports a console request reads, the Command Center, digest,
//! benchmarking, network overview, comparison and forecasts, each as a method
//! of [`Tables`] that calls the pure function of its own module.

use crate::command::{command_center, command_scopes, CommandCenter, DomainReports};
use crate::compare::{calendar_scopes, comparison_scopes, Comparable, Comparison, Headline};
use crate::domain::Domain;
use crate::error::{OdxError, Result};
use crate::forecast::{
    churn_forecast, churn_scopes, no_show_forecast, no_show_scopes, revenue_forecast, revenue_scopes, ChurnForecast,
    NoShowForecast, RevenueForecast,
};
use crate::insights::{benchmark, benchmark_all, digest_of, Benchmark, Digest, NetworkOverview, OverviewAcc};
use crate::policy::{authorize, principal_of, resolve_scope, Action, Decision, InsightsScope, OrgDirectory, Resource};
use crate::readout::Readout;
use crate::report::Report;
use crate::rows::{OpsTargetRow, Tables};
use crate::scope::{GroupBy, MetricScope, Period};
use crate::targets::MinVolume;
use chrono::NaiveDate;
use serde::Serialize;

/// What every domain's metrics are: serialized, compared with a previous
/// period, read out in a terminal.
pub trait DomainMetrics: Serialize + schemars::JsonSchema + Headline + Readout + 'static {}

impl<M: Serialize + schemars::JsonSchema + Headline + Readout + 'static> DomainMetrics for M {}

/// Code over any domain's report (see [`Tables::with_domain`]).
pub trait DomainVisitor {
    /// What it makes of the report.
    type Output;
    /// `report` computes the domain's report of a scope over the tables.
    fn visit<M: DomainMetrics>(self, report: impl Fn(&Tables, &MetricScope) -> Result<Report<M>>) -> Self::Output;
}

impl Tables {
    /// The branches of every organization (`organization_clinics` and
    /// `clinics.status`).
    pub fn org_directory(&self) -> OrgDirectory {
        OrgDirectory::new(&self.organization_clinics, &self.clinics)
    }

    /// The console scope of `user_id` ([`resolve_scope`] over these rows).
    ///
    /// # Errors
    /// As [`resolve_scope`].
    pub fn insights_scope(
        &self,
        user_id: i64,
        organization_id: Option<i64>,
        focus: Option<i64>,
        city: Option<&str>,
    ) -> Result<InsightsScope> {
        let directory = self.org_directory();
        resolve_scope(
            user_id,
            &self.users,
            &self.user_organization_assignments,
            &directory,
            organization_id,
            focus,
            city,
        )
    }

    /// Whether `user_id` may do `action` on `resource` ([`authorize`] over
    /// these rows).
    ///
    /// # Errors
    /// [`OdxError::UnknownUser`] when `users` has no such user.
    pub fn authorize(&self, user_id: i64, action: &Action, resource: &Resource) -> Result<Decision> {
        let principal = principal_of(user_id, &self.users, &self.user_organization_assignments)?;
        Ok(authorize(&principal, &self.org_directory(), action, resource))
    }

    /// The four domain reports the console reads, of a scope.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn domain_reports(&self, scope: &MetricScope) -> Result<DomainReports> {
        Ok(DomainReports {
            financial: self.financial(scope)?,
            operations: self.operations(scope)?,
            accounting: Some(self.accounting(scope)?),
            lab: Some(self.lab(scope)?),
            missing: Vec::new(),
        })
    }

    /// `domain`'s report of `scope`, grouped by clinic, against the previous
    /// period of the same length, with each branch's share of the network.
    ///
    /// # Errors
    /// [`OdxError::DateOutOfBounds`] at the edge of the calendar; as
    /// [`Tables::financial`].
    pub fn compare(&self, domain: Domain, scope: &MetricScope) -> Result<Comparison> {
        struct Compare<'a>(&'a Tables, &'a MetricScope);
        impl DomainVisitor for Compare<'_> {
            type Output = Result<Comparison>;
            fn visit<M: DomainMetrics>(
                self,
                report: impl Fn(&Tables, &MetricScope) -> Result<Report<M>>,
            ) -> Self::Output {
                let (current, previous) = comparison_scopes(self.1)?;
                let now = report(self.0, &current)?;
                let mut comparison = now.compare(&report(self.0, &previous)?)?;
                for (basis, scope) in calendar_scopes(&current)? {
                    comparison.calendar.push(now.against(&report(self.0, &scope)?, basis)?);
                }
                Ok(comparison)
            }
        }
        self.with_domain(domain, Compare(self, scope))
    }

    /// Calls `visitor` with `domain`'s in-memory report (`Tables::financial`,
    /// `Tables::lab` ...): code written once for every domain's report type,
    /// generated from the registry ([`crate::domains!`]).
    pub fn with_domain<V: DomainVisitor>(&self, domain: Domain, visitor: V) -> V::Output {
        macro_rules! arms {
            ([$domain:ident, $visitor:ident] $($(#[$doc:meta])* $variant:ident $module:ident $acc:ident $metrics:ident $report:ident $(+ $window:ident)?;)*) => {
                match $domain {
                    $(Domain::$variant => $visitor.visit(Tables::$module),)*
                }
            };
        }
        crate::domains!(arms, domain, visitor)
    }

    /// The month-end revenue forecast of `clinic_ids` at `as_of`, with its
    /// backtest (see [`crate::forecast`]).
    ///
    /// # Errors
    /// As [`MetricScope::new`] and [`Tables::financial`].
    pub fn forecast_revenue(&self, clinic_ids: &[i64], as_of: NaiveDate) -> Result<RevenueForecast> {
        let reports =
            revenue_scopes(clinic_ids, as_of)?.iter().map(|s| self.financial(s)).collect::<Result<Vec<_>>>()?;
        revenue_forecast(as_of, &reports)
    }

    /// The no-show risk of `clinic_ids`' upcoming appointments after
    /// `as_of`, with its backtest (see [`crate::forecast`]).
    ///
    /// # Errors
    /// As [`MetricScope::new`] and [`Tables::operations`].
    pub fn forecast_no_shows(&self, clinic_ids: &[i64], as_of: NaiveDate) -> Result<NoShowForecast> {
        let reports =
            no_show_scopes(clinic_ids, as_of)?.iter().map(|s| self.operations(s)).collect::<Result<Vec<_>>>()?;
        no_show_forecast(as_of, &reports)
    }

    /// The churn list of `clinic_ids` at `as_of`, with its backtest (see
    /// [`crate::forecast`]).
    ///
    /// # Errors
    /// As [`MetricScope::new`] and [`Tables::patients`].
    pub fn forecast_churn(&self, clinic_ids: &[i64], as_of: NaiveDate) -> Result<ChurnForecast> {
        let reports = churn_scopes(clinic_ids, as_of)?.iter().map(|s| self.patients(s)).collect::<Result<Vec<_>>>()?;
        churn_forecast(as_of, &reports)
    }

    /// What a console read-out over a range needs (see [`ConsolePlan`]):
    /// `clinic_ids` checked to be branches of `organization_id` (all of them
    /// when `None`) and within `allowed` when given, the scopes of the range
    /// and of the month to date of `to` (when the range is not it), and the
    /// organization's targets. Every driver plans with these rows (the
    /// organization's `organization_clinics`, `clinics` and `ops_targets`),
    /// fetches the reports of the plan's scopes its own way, and finishes
    /// with the plan.
    ///
    /// # Errors
    /// As [`MetricScope::new`] for the period; [`OdxError::UnknownOrganization`];
    /// [`OdxError::ForbiddenScope`] for a clinic that is not one of its
    /// branches or not allowed.
    pub fn console_plan(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        allowed: Option<&[i64]>,
        period: Period,
    ) -> Result<ConsolePlan> {
        // The caller's own arguments first: a bad range is refused as such,
        // before the organization is looked up.
        period.scope(Vec::new(), GroupBy::Clinic)?;
        let clinic_ids = self.org_branches(organization_id, clinic_ids, allowed)?;
        let every = self.org_branches(organization_id, None, None)?;
        let whole_network = every.iter().all(|c| clinic_ids.contains(c));
        let (range, mtd) = command_scopes(clinic_ids, period)?;
        // Some branches only: the whole organization's totals, never its
        // rows, for "your branches against the network".
        let network = (!whole_network).then(|| period.scope(every, GroupBy::None)).transpose()?;
        let targets = self.ops_targets.iter().filter(|t| t.organization_id == organization_id).cloned().collect();
        Ok(ConsolePlan { range, mtd, network, targets, whole_network, min_volume: MinVolume::DEFAULT })
    }

    /// The domain reports of a plan's scopes, in memory.
    ///
    /// # Errors
    /// As [`Tables::financial`].
    pub fn plan_reports(&self, plan: &ConsolePlan) -> Result<PlanReports> {
        let reports = |s: &Option<MetricScope>| s.as_ref().map(|s| self.domain_reports(s)).transpose();
        Ok(PlanReports {
            range: self.domain_reports(&plan.range)?,
            mtd: reports(&plan.mtd)?,
            network: reports(&plan.network)?,
        })
    }

    /// The Command Center of `clinic_ids` (branches of `organization_id`;
    /// every branch when `None`) over `from..=to` with the organization's
    /// targets (the domain reports of the range, and of the month to date of
    /// `to` when the range is not it).
    ///
    /// # Errors
    /// [`OdxError::ForbiddenScope`] for a clinic that is not a branch of the
    /// organization; as [`Tables::financial`] and [`command_center`].
    pub fn command(&self, organization_id: i64, clinic_ids: Option<Vec<i64>>, period: Period) -> Result<CommandCenter> {
        let plan = self.console_plan(organization_id, clinic_ids, None, period)?;
        plan.command(&self.plan_reports(&plan)?)
    }

    /// The digest facts of `clinic_ids` (as [`Tables::command`] takes them).
    ///
    /// # Errors
    /// As [`Tables::command`].
    pub fn digest(&self, organization_id: i64, clinic_ids: Option<Vec<i64>>, period: Period) -> Result<Digest> {
        let plan = self.console_plan(organization_id, clinic_ids, None, period)?;
        plan.digest(&self.plan_reports(&plan)?)
    }

    /// The branches `clinic_id` is benchmarked against: `clinic_ids` (as
    /// [`Tables::command`] takes them), which must include it. Only the
    /// branch itself must be within `allowed` (the principal's clinics): the
    /// others are seen through their median only.
    ///
    /// # Errors
    /// [`OdxError::ForbiddenScope`] when the branch is not one of the
    /// organization's, not allowed, or not among the branches compared.
    pub fn benchmark_set(
        &self,
        organization_id: i64,
        clinic_id: i64,
        clinic_ids: Option<Vec<i64>>,
        allowed: Option<&[i64]>,
    ) -> Result<Vec<i64>> {
        self.org_branches(organization_id, Some(vec![clinic_id]), allowed)?;
        let ids = self.org_branches(organization_id, clinic_ids, None)?;
        if ids.contains(&clinic_id) {
            Ok(ids)
        } else {
            Err(OdxError::ForbiddenScope { clinic_id })
        }
    }

    /// The branches of [`Tables::org_branches`] and the active ones among
    /// them, from one reading of the directory (the network overview shows
    /// both).
    ///
    /// # Errors
    /// As [`Tables::org_branches`].
    pub fn org_branches_active(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        allowed: Option<&[i64]>,
    ) -> Result<(Vec<i64>, Vec<i64>)> {
        let directory = self.org_directory();
        let ids = self.branches_in(&directory, organization_id, clinic_ids, allowed)?;
        let active = ids.iter().copied().filter(|c| directory.is_active(*c)).collect();
        Ok((ids, active))
    }

    /// `clinic_id` benchmarked against `clinic_ids` (see
    /// [`Tables::benchmark_set`]) over `from..=to`.
    ///
    /// # Errors
    /// As [`Tables::benchmark_set`] and [`Tables::command`].
    pub fn benchmark(
        &self,
        organization_id: i64,
        clinic_id: i64,
        clinic_ids: Option<Vec<i64>>,
        period: Period,
    ) -> Result<Benchmark> {
        let ids = self.benchmark_set(organization_id, clinic_id, clinic_ids, None)?;
        benchmark(&self.domain_reports(&period.scope(ids, GroupBy::Clinic)?)?, clinic_id)
    }

    /// Every branch of `clinic_ids` (as [`Tables::command`] takes them)
    /// benchmarked against the others over `from..=to`.
    ///
    /// # Errors
    /// As [`Tables::command`].
    pub fn benchmarks(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        period: Period,
    ) -> Result<Vec<Benchmark>> {
        let ids = self.org_branches(organization_id, clinic_ids, None)?;
        benchmark_all(&self.domain_reports(&period.scope(ids, GroupBy::Clinic)?)?)
    }

    /// The network overview of `clinic_ids` (as [`Tables::command`] takes
    /// them) on `date`.
    ///
    /// # Errors
    /// As [`Tables::command`].
    pub fn network_overview(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        date: NaiveDate,
    ) -> Result<NetworkOverview> {
        let (ids, active) = self.org_branches_active(organization_id, clinic_ids, None)?;
        let day = MetricScope::new(ids, date, date, GroupBy::Clinic)?;
        let mut acc = OverviewAcc::new(&day, &self.directory(), &active)?;
        self.fold_overview(&mut acc)?;
        acc.finish()
    }

    /// `clinic_ids` checked to be branches of `organization_id` (all of its
    /// branches when `None`), and, when `allowed` is given (the principal's
    /// clinics), to be among those: a request never widens a scope.
    ///
    /// # Errors
    /// [`OdxError::UnknownOrganization`] when `organizations` has no such
    /// organization; [`OdxError::ForbiddenScope`] for a clinic that is not
    /// one of its branches or not allowed.
    pub fn org_branches(
        &self,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        allowed: Option<&[i64]>,
    ) -> Result<Vec<i64>> {
        self.branches_in(&self.org_directory(), organization_id, clinic_ids, allowed)
    }

    /// [`Tables::org_branches`] over `directory`, these rows' own.
    fn branches_in(
        &self,
        directory: &OrgDirectory,
        organization_id: i64,
        clinic_ids: Option<Vec<i64>>,
        allowed: Option<&[i64]>,
    ) -> Result<Vec<i64>> {
        if !self.organizations.iter().any(|o| o.id == organization_id) {
            return Err(OdxError::UnknownOrganization { organization_id });
        }
        let branches = directory.branches(organization_id);
        let ids = clinic_ids.unwrap_or_else(|| branches.clone());
        match ids.iter().find(|c| !branches.contains(c) || allowed.is_some_and(|a| !a.contains(c))) {
            Some(c) => Err(OdxError::ForbiddenScope { clinic_id: *c }),
            None => Ok(ids),
        }
    }
}

/// The domain reports of a [`ConsolePlan`]'s scopes, fetched.
#[derive(Debug, Clone)]
pub struct PlanReports {
    /// The range's.
    pub range: DomainReports,
    /// The month to date's, when the plan has one (else the range's serve).
    pub mtd: Option<DomainReports>,
    /// The whole organization's totals, when the plan has them.
    pub network: Option<DomainReports>,
}

/// A console read-out over a range, planned ([`Tables::console_plan`]): the
/// scopes whose domain reports it needs, and the targets it judges them by.
/// The orchestration every surface shares: the in-memory path, the
/// extension and the sqlx driver each fetch `range` (and `mtd` when there
/// is one) and finish here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsolePlan {
    /// The branches over `from..=to`, grouped by clinic.
    pub range: MetricScope,
    /// The month to date of `to` when the range is not it.
    pub mtd: Option<MetricScope>,
    /// Every branch of the organization over the range, totals only
    /// (grouped by none), when the range is some of them: the network the
    /// Command Center sets them against.
    pub network: Option<MetricScope>,
    /// The organization's targets.
    pub targets: Vec<OpsTargetRow>,
    /// Whether the range is every branch of the organization (network
    /// targets are judged only then).
    pub whole_network: bool,
    /// The least volume a rate target is judged on (default
    /// [`MinVolume::DEFAULT`]; see [`ConsolePlan::with_min_volume`]).
    pub min_volume: MinVolume,
}

impl ConsolePlan {
    /// The same plan judging rate targets on `min_volume` (`None`: the
    /// defaults).
    pub fn with_min_volume(self, min_volume: Option<MinVolume>) -> Self {
        ConsolePlan { min_volume: min_volume.unwrap_or_default(), ..self }
    }

    /// The Command Center of the fetched reports.
    ///
    /// # Errors
    /// As [`command_center`].
    pub fn command(&self, fetched: &PlanReports) -> Result<CommandCenter> {
        let judged = (self.whole_network, self.min_volume);
        let center =
            command_center(&fetched.range, fetched.mtd.as_ref().unwrap_or(&fetched.range), &self.targets, judged)?;
        match &fetched.network {
            Some(network) => center.against_network(network),
            None => Ok(center),
        }
    }

    /// The digest facts of the fetched reports (as [`ConsolePlan::command`]).
    ///
    /// # Errors
    /// As [`digest_of`].
    pub fn digest(&self, fetched: &PlanReports) -> Result<Digest> {
        let judged = (self.whole_network, self.min_volume);
        digest_of(&fetched.range, fetched.mtd.as_ref().unwrap_or(&fetched.range), &self.targets, judged)
    }
}
