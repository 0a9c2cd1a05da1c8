//! The analytics service's interface: the types that cross it and its operations.

use serde::{Deserialize, Serialize};
use sportello_kernel::{Access, Role, service_interface};
use uuid::Uuid;

pub use crate::sdc::{Params as DisclosureParams, Status as CellStatus};

/// A span of whole months, `YYYY-MM`, both ends included. Missing ends default to the last twelve
/// months up to the current one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// What a tenant's statistics count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Measure {
    /// Distinct people with anything recorded.
    PeopleReached,
    /// Cases opened.
    NewCases,
    /// Needs recorded.
    Needs,
    /// Interventions done.
    Interventions,
    /// Referral status changes (by status).
    Referrals,
}

/// What a tenant's statistics can be broken down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Dimension {
    Territory,
    Month,
    Sex,
    AgeBand,
    CountryOfBirth,
    Need,
    Intervention,
    ReferralStatus,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StatisticsQuery {
    pub measure: Measure,
    pub by: Vec<Dimension>,
    pub period: Period,
}

/// One row of a breakdown: the values of the dimensions asked for, in their order, and the count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatRow {
    pub keys: Vec<String>,
    pub value: u64,
}

/// An indicator of the tenant, against its target when one is set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub value: u64,
    pub target: Option<u64>,
}

impl Indicator {
    /// Share of the target reached, 0.0–1.0 and beyond; `None` without a target.
    pub fn progress(&self) -> Option<f64> {
        self.target
            .filter(|t| *t > 0)
            .map(|t| self.value as f64 / t as f64)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetTarget {
    pub code: String,
    /// `None` removes the target.
    pub target: Option<u64>,
}

/// The predefined views of the cross-territory dashboard: territory × month, with a category
/// where the view has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SharedView {
    /// Distinct people reached.
    PeopleByTerritoryMonth,
    /// Distinct people with a need recorded, by need category.
    NeedsByTerritoryMonth,
    /// Distinct people who received an intervention, by kind.
    InterventionsByTerritoryMonth,
    /// Distinct people with a case opened.
    NewCasesByTerritoryMonth,
    /// Distinct people whose household's housing placement started (the housing service's
    /// occupancy by municipality, in persons, so that it falls under the same disclosure control).
    HousedByTerritoryMonth,
}

impl SharedView {
    pub const ALL: [SharedView; 5] = [
        SharedView::PeopleByTerritoryMonth,
        SharedView::NeedsByTerritoryMonth,
        SharedView::InterventionsByTerritoryMonth,
        SharedView::NewCasesByTerritoryMonth,
        SharedView::HousedByTerritoryMonth,
    ];

    /// The stored measure the view reads.
    pub fn measure(self) -> &'static str {
        match self {
            SharedView::PeopleByTerritoryMonth => "people",
            SharedView::NeedsByTerritoryMonth => "need",
            SharedView::InterventionsByTerritoryMonth => "intervention",
            SharedView::NewCasesByTerritoryMonth => "new_case",
            SharedView::HousedByTerritoryMonth => "housed",
        }
    }
}

/// Territorial level of a shared view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Level {
    /// Municipalities, by ISTAT code. The default.
    #[default]
    Municipality,
    /// Tenants (consortia or single municipalities) as a whole.
    Consortium,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SharedQuery {
    pub view: SharedView,
    /// Municipalities when absent.
    pub level: Option<Level>,
    pub period: Period,
}

/// Emerging needs over a period.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EmergingQuery {
    pub period: Period,
    /// Only the months flagged as growing beyond the usual range.
    pub flagged_only: bool,
}

/// One protected cell of a shared view. `value` is `None` when the cell is suppressed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedCell {
    /// The tenant the territory belongs to.
    pub tenant_id: Uuid,
    /// ISTAT code at municipality level, `None` at consortium level.
    pub territory: Option<String>,
    pub month: String,
    /// The need category or intervention kind, for views that have one.
    pub category: Option<String>,
    pub value: Option<u64>,
    pub status: CellStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedTable {
    pub view: SharedView,
    pub level: Level,
    pub from: String,
    pub to: String,
    pub params: DisclosureParams,
    pub cells: Vec<SharedCell>,
}

/// One month of one need in one municipality, with its trend and whether it grew beyond its
/// usual range. Built from the protected cells only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmergingNeed {
    pub tenant_id: Uuid,
    pub territory: String,
    pub need: String,
    pub month: String,
    pub value: Option<u64>,
    pub status: CellStatus,
    /// Change from the previous month, when both are published.
    pub change: Option<i64>,
    /// Upper end of the usual range (mean + 2 standard deviations of up to six previous
    /// published months; at least three needed).
    pub usual_high: Option<f64>,
    pub flagged: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportQuery {
    pub format: ExportFormat,
    pub period: Period,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFile {
    pub filename: String,
    pub content_type: String,
    /// The file, base64-encoded.
    pub content_base64: String,
}

/// Asks for one person's pseudonymous facts, for their subject access export (GDPR art. 15).
#[derive(Clone, Serialize, Deserialize)]
pub struct PersonFactsQuery {
    /// The person's pseudonym, computed by the cases service (the key owner's key); never
    /// shown to anyone.
    pub pseudonym: String,
}

impl std::fmt::Debug for PersonFactsQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonFactsQuery(…)")
    }
}

/// How many facts of one kind one person counts for in one month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactCount {
    /// The event kind (`case_opened`, `need_recorded`, …).
    pub kind: String,
    /// `YYYY-MM`.
    pub month: String,
    pub count: u64,
}

/// What the analytics store keeps about one person, in pseudonymous form: facts by kind and
/// month (never the pseudonym, never a cell), and their latest decision on anonymised
/// statistics as analytics knows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFacts {
    pub statistics_consent: Option<bool>,
    /// By month, then kind.
    pub rows: Vec<FactCount>,
}

/// Approved volunteer hours of one skill in one municipality over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursRow {
    /// The skill code of the tasks (`OTHER` for hours not tied to a task).
    pub skill: String,
    /// ISTAT code of the municipality (empty when the volunteer named none).
    pub territory: String,
    /// Minutes approved.
    pub minutes: u64,
}

/// The tenant's staff: administrators, coordinators, operators.
const STAFF: Access = Access::Roles(&[Role::TenantAdmin, Role::Coordinator, Role::Operator]);

service_interface! {
    service "analytics";
    /// Anonymised facts, tenant indicators and the shared dashboard.
    trait Analytics;
    client AnalyticsClient;
    router analytics_router;

    fn ready(()) -> () [public];
    /// The tenant's indicators over the period, with their targets. Tenant staff only.
    fn indicators(Period) -> Vec<Indicator> [access: STAFF];
    /// Sets or removes an indicator's target. Tenant administrators and coordinators.
    fn set_indicator_target(SetTarget) -> Indicator [roles: TenantAdmin, Coordinator];
    /// The tenant's own figures, broken down by up to three dimensions. Tenant staff only.
    fn statistics(StatisticsQuery) -> Vec<StatRow> [access: STAFF];
    /// A predefined cross-territory view under disclosure control. Every member of a tenant.
    fn shared_view(SharedQuery) -> SharedTable [member];
    /// Needs by municipality and month with their trend, from the protected view.
    fn emerging_needs(EmergingQuery) -> Vec<EmergingNeed> [member];
    /// Approved volunteer hours over the period by skill and municipality, from the volunteers'
    /// events. Tenant staff only.
    fn volunteer_hours(Period) -> Vec<HoursRow> [access: STAFF];
    /// The indicator table as a file.
    fn export_indicators(ExportQuery) -> ExportFile [access: STAFF];
    /// One person's facts by kind and month, within the actor's territories, for a subject
    /// access export. The roles that see case data only.
    fn person_facts(PersonFactsQuery) -> PersonFacts [roles: Coordinator, Operator];
}
