//! The previous period and each branch's share of the network, for every
//! domain report.
//!
//! Each domain names its **headline measures**: fields its report already
//! computes (nothing is recomputed here), each of a [`MeasureKind`]. A
//! [`Comparison`] sets a report (grouped by clinic) against the report of
//! the previous period of the same length, ending the day before `from`
//! ([`MetricScope::previous_period`]):
//!
//! * `change = current - previous`, exactly; `change_rate = change /
//!   |previous|` (`None` when either side is `None` or `previous` is 0). For
//!   a rate the change is in points (`0.12 - 0.10 = 0.02`).
//! * `share = branch / network` for the additive kinds (`amount`, `count`:
//!   the branches' values sum to the network's, which a test checks for
//!   every such measure) when the network's value is positive; `None`
//!   otherwise, and always `None` for rates and averages, which do not add
//!   up. `previous_share` is the same in the previous period.
//!

use crate::domain::Domain;
use crate::error::{OdxError, Result};
use crate::num::rate;
use crate::report::Report;
use crate::scope::{GroupBy, MetricScope};
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a headline measure is, which says whether it adds up across
/// branches and how JavaScript receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// PKR that adds up across branches (billed, outstanding, stock value).
    Amount,
    /// A count that adds up across branches (appointments, patients).
    Count,
    /// A fraction 0..1 (collection rate, no-show rate).
    Rate,
    /// PKR that does not add up: an average or a per-head figure.
    Average,
    /// A number of days (turnaround, cover).
    Days,
}

impl MeasureKind {
    /// Every kind.
    pub const ALL: [MeasureKind; 5] =
        [MeasureKind::Amount, MeasureKind::Count, MeasureKind::Rate, MeasureKind::Average, MeasureKind::Days];

    /// Whether its values are money (an exact decimal string everywhere);
    /// the others (counts, rates, days) are numbers for JavaScript (see
    /// [`crate::wire`]).
    pub fn is_money(self) -> bool {
        matches!(self, MeasureKind::Amount | MeasureKind::Average)
    }

    /// Whether the branches' values sum to the network's, so that a share
    /// means something.
    pub fn additive(self) -> bool {
        matches!(self, MeasureKind::Amount | MeasureKind::Count)
    }
}

/// One headline measure of a report row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// The report field it reads (`billed`, `no_show_rate`, `ar_90_plus`).
    pub metric: &'static str,
    /// What it is.
    pub kind: MeasureKind,
    /// Its value; `None` where the report's field is `None`.
    pub value: Option<Decimal>,
}

pub(crate) fn amount(metric: &'static str, value: Decimal) -> Measure {
    Measure { metric, kind: MeasureKind::Amount, value: Some(value) }
}

pub(crate) fn count(metric: &'static str, value: u64) -> Measure {
    Measure { metric, kind: MeasureKind::Count, value: Some(Decimal::from(value)) }
}

pub(crate) fn of(metric: &'static str, kind: MeasureKind, value: Option<Decimal>) -> Measure {
    Measure { metric, kind, value }
}

/// The metrics of a domain report row that a comparison reads.
pub trait Headline {
    /// The domain of these metrics.
    const DOMAIN: Domain;
    /// The headline measures, always the same names in the same order.
    fn headline(&self) -> Vec<Measure>;
}

/// One measure now and in the previous period. Its values are money or not
/// by its kind ([`MeasureKind::is_money`]): on the wire to JavaScript a
/// count, rate or days is a number.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Change {
    /// The report field (`billed`, `no_show_rate`).
    pub metric: String,
    /// What it is.
    pub kind: MeasureKind,
    /// This period.
    pub current: Option<Decimal>,
    /// The previous period of the same length.
    pub previous: Option<Decimal>,
    /// `current - previous` (points for a rate).
    pub change: Option<Decimal>,
    /// `change / |previous|`; `None` when `previous` is 0 or unknown.
    #[serde(with = "crate::wire::rate")]
    pub change_rate: Option<Decimal>,
}

impl Serialize for Change {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        /// A value of the measure: money as money, anything else as a rate.
        struct Value<'a>(MeasureKind, &'a Option<Decimal>);
        impl Serialize for Value<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                if self.0.is_money() {
                    self.1.serialize(s)
                } else {
                    crate::wire::rate::serialize(self.1, s)
                }
            }
        }
        let mut st = s.serialize_struct("Change", 6)?;
        st.serialize_field("metric", &self.metric)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("current", &Value(self.kind, &self.current))?;
        st.serialize_field("previous", &Value(self.kind, &self.previous))?;
        st.serialize_field("change", &Value(self.kind, &self.change))?;
        st.serialize_field("change_rate", &Value(MeasureKind::Rate, &self.change_rate))?;
        st.end()
    }
}

/// Two shapes, told apart by `kind`: the values of a money kind are decimal
/// strings, the others numbers (as [`Change`]'s `Serialize` writes them for
/// JavaScript).
impl JsonSchema for Change {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Change".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let shape = |money: bool| {
            let kinds: Vec<serde_json::Value> = MeasureKind::ALL
                .iter()
                .filter(|k| k.is_money() == money)
                .filter_map(|k| serde_json::to_value(k).ok())
                .collect();
            let ty = if money { "string" } else { "number" };
            let value = |doc: &str| serde_json::json!({ "type": [ty, "null"], "description": doc });
            serde_json::json!({
                "type": "object",
                "properties": {
                    "metric": { "type": "string", "description": "The report field, in snake_case (`billed`, `no_show_rate`)." },
                    "kind": { "enum": kinds, "description": "What it is: amounts and counts add up across branches." },
                    "current": value("This period."),
                    "previous": value("The previous period of the same length."),
                    "change": value("`current - previous` (points for a rate)."),
                    "change_rate": { "type": ["number", "null"], "description": "`change / |previous|`; null when `previous` is 0 or unknown." },
                },
                "required": ["metric", "kind", "current", "previous", "change", "change_rate"],
            })
        };
        schemars::json_schema!({
            "description": "One measure now and in the previous period: amounts and averages (PKR) are decimal strings; counts, rates and days are numbers.",
            "oneOf": [shape(true), shape(false)],
        })
    }
}

/// One measure of one branch, with its share of the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BranchChange {
    /// The branch.
    pub clinic_id: i64,
    /// The branch's name.
    pub branch_name: String,
    /// The branch's city.
    pub city: String,
    /// The measure now and before.
    #[serde(flatten)]
    pub change: Change,
    /// The branch's part of the network's value this period (additive
    /// measures, positive network value).
    #[serde(with = "crate::wire::rate")]
    pub share: Option<Decimal>,
    /// The same in the previous period.
    #[serde(with = "crate::wire::rate")]
    pub previous_share: Option<Decimal>,
}

/// A domain report against its previous period, with each branch's share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    /// The domain.
    pub domain: Domain,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// The instant the period was read at ([`crate::Report::as_of`]).
    #[schemars(with = "String")]
    pub as_of: chrono::DateTime<chrono::Utc>,
    /// First day of the previous period.
    pub previous_from: NaiveDate,
    /// Last day of the previous period (the day before `from`).
    pub previous_to: NaiveDate,
    /// The branches, ascending.
    pub clinic_ids: Vec<i64>,
    /// The network's headline measures.
    pub totals: Vec<Change>,
    /// Every branch's headline measures, branch by branch in the order of
    /// `totals`.
    pub groups: Vec<BranchChange>,
    /// For a whole calendar month, the same against the previous calendar
    /// month and against the same month last year (each read as far into
    /// itself as the month is: `now` moved back a month, a year); empty for
    /// any other range.
    pub calendar: Vec<CalendarComparison>,
}

/// What a calendar comparison sets the month against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The previous calendar month (May for June, whatever its length).
    PreviousMonth,
    /// The same month a year before.
    SameMonthLastYear,
}

/// A whole month against another calendar month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CalendarComparison {
    /// Against what.
    pub basis: Basis,
    /// First day of the month compared with.
    pub previous_from: NaiveDate,
    /// Last day of the month compared with.
    pub previous_to: NaiveDate,
    /// The network's headline measures.
    pub totals: Vec<Change>,
    /// Every branch's, as in [`Comparison::groups`].
    pub groups: Vec<BranchChange>,
}

/// A report that can be set against the report of its previous period.
pub trait Comparable {
    /// `self` against `previous`.
    ///
    /// # Errors
    /// [`OdxError::InvalidArgument`] unless both are grouped by clinic over
    /// the same branches and `previous` is the period of the same length
    /// that ends the day before `self` starts; [`OdxError::Overflow`].
    fn compare(&self, previous: &Self) -> Result<Comparison>;

    /// `self` (a whole calendar month) against another month, on `basis`.
    ///
    /// # Errors
    /// [`OdxError::InvalidArgument`] unless both are grouped by clinic over
    /// the same branches and `other` is the month `basis` names;
    /// [`OdxError::Overflow`].
    fn against(&self, other: &Self, basis: Basis) -> Result<CalendarComparison>;
}

/// The calendar months a whole calendar month (`from` the first, `to` its
/// last day) is also compared with, with their scopes (`now` moved back as
/// far); none for any other range.
///
/// # Errors
/// [`OdxError::DateOutOfBounds`] at the edge of the calendar.
pub fn calendar_scopes(scope: &MetricScope) -> Result<Vec<(Basis, MetricScope)>> {
    let (from, to) = (scope.from(), scope.to());
    let whole_month =
        from.day() == 1 && to.succ_opt().is_some_and(|next| next.day() == 1) && to - from < chrono::Duration::days(31);
    if !whole_month {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (basis, months) in [(Basis::PreviousMonth, 1), (Basis::SameMonthLastYear, 12)] {
        let edge = || OdxError::DateOutOfBounds { field: "from" };
        let start = from.checked_sub_months(Months::new(months)).ok_or_else(edge)?;
        let end = from.checked_sub_days(chrono::Days::new(1)).ok_or_else(edge)?;
        let end = if months == 1 {
            end
        } else {
            start.checked_add_months(Months::new(1)).and_then(|n| n.pred_opt()).ok_or_else(edge)?
        };
        let period = crate::scope::Period::new(start, end).at(scope
            .now()
            .map(|n| n.checked_sub_months(Months::new(months)).ok_or(OdxError::DateOutOfBounds { field: "as_of" }))
            .transpose()?);
        let other = period.scope(scope.clinic_ids().iter().copied(), GroupBy::Clinic)?;
        out.push((basis, other.with_active_window_months(i64::from(scope.active_window_months()))?));
    }
    Ok(out)
}

/// The scopes a comparison reads: `scope` grouped by clinic, and the
/// previous period of the same length.
///
/// # Errors
/// As [`MetricScope::previous_period`].
pub fn comparison_scopes(scope: &MetricScope) -> Result<(MetricScope, MetricScope)> {
    let current = scope.with_group_by(GroupBy::Clinic);
    let previous = current.previous_period()?;
    Ok((current, previous))
}

fn change(now: &Measure, before: &Measure) -> Result<Change> {
    let difference = match (now.value, before.value) {
        (Some(a), Some(b)) => Some(a.checked_sub(b).ok_or(OdxError::Overflow { what: "change" })?),
        _ => None,
    };
    let change_rate = match (difference, before.value) {
        (Some(d), Some(b)) => rate(d, b.abs())?,
        _ => None,
    };
    Ok(Change {
        metric: now.metric.to_owned(),
        kind: now.kind,
        current: now.value,
        previous: before.value,
        change: difference,
        change_rate,
    })
}

/// `part / whole` of an additive measure whose network value is positive.
fn share_of(part: &Measure, whole: &Measure) -> Result<Option<Decimal>> {
    match (part.kind.additive(), part.value, whole.value) {
        (true, Some(p), Some(w)) if w > Decimal::ZERO => rate(p, w),
        _ => Ok(None),
    }
}

fn consecutive(current: (NaiveDate, NaiveDate), previous: (NaiveDate, NaiveDate)) -> bool {
    let length = |(from, to): (NaiveDate, NaiveDate)| (to - from).num_days();
    previous.1.succ_opt() == Some(current.0) && length(current) == length(previous)
}

impl<M: Headline> Comparable for Report<M> {
    fn against(&self, other: &Self, basis: Basis) -> Result<CalendarComparison> {
        let months = match basis {
            Basis::PreviousMonth => 1,
            Basis::SameMonthLastYear => 12,
        };
        let expected = self.from.checked_sub_months(Months::new(months));
        if expected != Some(other.from) || other.from.day() != 1 {
            return Err(OdxError::InvalidArgument {
                field: "previous",
                message: format!("{}..{} is not the {basis:?} of {}..{}", other.from, other.to, self.from, self.to),
            });
        }
        let (totals, groups) = self.versus(other)?;
        Ok(CalendarComparison { basis, previous_from: other.from, previous_to: other.to, totals, groups })
    }

    fn compare(&self, previous: &Self) -> Result<Comparison> {
        if !consecutive((self.from, self.to), (previous.from, previous.to)) {
            return Err(OdxError::InvalidArgument {
                field: "previous",
                message: format!(
                    "{}..{} is not the period of the same length before {}..{}",
                    previous.from, previous.to, self.from, self.to
                ),
            });
        }
        let (totals, groups) = self.versus(previous)?;
        Ok(Comparison {
            domain: M::DOMAIN,
            from: self.from,
            to: self.to,
            as_of: self.as_of,
            previous_from: previous.from,
            previous_to: previous.to,
            clinic_ids: self.clinic_ids.clone(),
            totals,
            groups,
            calendar: Vec::new(),
        })
    }
}

impl<M: Headline> Report<M> {
    /// The network's and every branch's headline measures against `previous`'s.
    fn versus(&self, previous: &Self) -> Result<(Vec<Change>, Vec<BranchChange>)> {
        let by_clinic = self.group_by == GroupBy::Clinic && previous.group_by == GroupBy::Clinic;
        if !by_clinic || self.clinic_ids != previous.clinic_ids {
            return Err(OdxError::InvalidArgument {
                field: "previous",
                message: "both reports must be grouped by clinic over the same branches".into(),
            });
        }
        let network = (self.totals.headline(), previous.totals.headline());
        let totals = network.0.iter().zip(&network.1).map(|(a, b)| change(a, b)).collect::<Result<_>>()?;
        let mut groups = Vec::new();
        for &clinic_id in &self.clinic_ids {
            let (Some(now), Some(before)) = (self.clinic_row(clinic_id), previous.clinic_row(clinic_id)) else {
                return Err(OdxError::InvalidArgument {
                    field: "previous",
                    message: format!("clinic {clinic_id} has no row"),
                });
            };
            let (now, before) = (now.headline(), before.headline());
            let (branch_name, city) = self.branch_names(clinic_id);
            for (i, (a, b)) in now.iter().zip(&before).enumerate() {
                groups.push(BranchChange {
                    clinic_id,
                    branch_name: branch_name.clone(),
                    city: city.clone(),
                    change: change(a, b)?,
                    share: share_of(a, &network.0[i])?,
                    previous_share: share_of(b, &network.1[i])?,
                });
            }
        }
        Ok((totals, groups))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(metric: &'static str, kind: MeasureKind, value: Option<i64>) -> Measure {
        Measure { metric, kind, value: value.map(Decimal::from) }
    }

    #[test]
    fn a_measure_is_money_or_a_number_for_javascript_by_its_kind() {
        let c = |kind, v: i64| Change {
            metric: "x".into(),
            kind,
            current: Some(Decimal::new(v, 2)),
            previous: None,
            change: Some(Decimal::new(v, 2)),
            change_rate: Some(Decimal::ONE),
        };
        let money = crate::wire::for_javascript(|| serde_json::to_value(c(MeasureKind::Amount, 1050))).unwrap();
        assert_eq!(money["current"], serde_json::json!("10.50"));
        assert_eq!(money["previous"], serde_json::Value::Null);
        assert_eq!(money["change_rate"], serde_json::json!(1.0));
        for kind in [MeasureKind::Count, MeasureKind::Rate, MeasureKind::Days] {
            let n = crate::wire::for_javascript(|| serde_json::to_value(c(kind, 25))).unwrap();
            assert_eq!((&n["current"], &n["change"]), (&serde_json::json!(0.25), &serde_json::json!(0.25)), "{kind:?}");
        }
        // The canonical JSON (the extension's) keeps every value exact.
        let canonical = serde_json::to_value(c(MeasureKind::Rate, 25)).unwrap();
        assert_eq!(
            (&canonical["current"], &canonical["change_rate"]),
            (&serde_json::json!("0.25"), &serde_json::json!("1"))
        );
    }

    #[test]
    fn change_and_change_rate_are_exact_and_null_without_a_base() {
        let c = change(&m("billed", MeasureKind::Amount, Some(150)), &m("billed", MeasureKind::Amount, Some(-200)))
            .unwrap();
        assert_eq!(c.change, Some(Decimal::from(350)));
        assert_eq!(c.change_rate, Some(Decimal::new(175, 2)));
        let c = change(&m("x", MeasureKind::Count, Some(3)), &m("x", MeasureKind::Count, Some(0))).unwrap();
        assert_eq!((c.change, c.change_rate), (Some(Decimal::from(3)), None));
        let c = change(&m("r", MeasureKind::Rate, Some(1)), &m("r", MeasureKind::Rate, None)).unwrap();
        assert_eq!((c.change, c.change_rate), (None, None));
    }

    #[test]
    fn only_additive_measures_of_a_positive_network_have_a_share() {
        let whole = m("billed", MeasureKind::Amount, Some(400));
        assert_eq!(share_of(&m("billed", MeasureKind::Amount, Some(100)), &whole).unwrap(), Some(Decimal::new(25, 2)));
        let loss = m("net_profit", MeasureKind::Amount, Some(-5));
        assert_eq!(share_of(&m("net_profit", MeasureKind::Amount, Some(10)), &loss).unwrap(), None);
        let rate = m("no_show_rate", MeasureKind::Rate, Some(1));
        assert_eq!(share_of(&rate, &rate).unwrap(), None);
    }

    #[test]
    fn an_overflowing_change_is_a_typed_error() {
        let big = Measure { metric: "billed", kind: MeasureKind::Amount, value: Some(Decimal::MAX) };
        let low = Measure { metric: "billed", kind: MeasureKind::Amount, value: Some(Decimal::MIN) };
        assert_eq!(change(&big, &low).unwrap_err(), OdxError::Overflow { what: "change" });
    }
}
