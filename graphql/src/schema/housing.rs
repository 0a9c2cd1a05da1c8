//! GraphQL operations of the housing service: units with their rooms and beds, the occupancy
//! calendar, the waiting list with its explained priority, placements, the path to autonomy and
//! follow-ups. Dates are local days of the tenant; amounts are euro cents.

use async_graphql::{Enum, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use sportello_housing as h;

use super::*;

macro_rules! remote_enum {
    ($(#[$meta:meta])* $name:ident = $remote:literal { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        #[derive(Enum, Copy, Clone, Eq, PartialEq)]
        #[graphql(remote = $remote)]
        $(#[$meta])*
        pub enum $name { $($(#[$vmeta])* $variant),+ }
    };
}

remote_enum!(
    /// What a unit is.
    UnitKind = "sportello_housing::UnitKind" { Apartment, House }
);
remote_enum!(
    /// Who owns a unit.
    UnitOwnership = "sportello_housing::Ownership" { Public, Private, ThirdSector }
);
remote_enum!(
    /// A unit's state: staff set `AVAILABLE`, `MAINTENANCE` or `WITHDRAWN`; an available unit
    /// with no bed free today reads `OCCUPIED`.
    UnitState = "sportello_housing::UnitState" { Available, Occupied, Maintenance, Withdrawn }
);
remote_enum!(
    /// A household's income band on the ISEE (DPCM 159/2013), as the tenant bands it.
    IncomeBand = "sportello_housing::IncomeBand" { VeryLow, Low, Medium, High, Unknown }
);
remote_enum!(
    /// `WAITING` on the list, `PLACED` once placed, `WITHDRAWN` (final).
    HousingApplicationStatus = "sportello_housing::ApplicationStatus" { Waiting, Placed, Withdrawn }
);
remote_enum!(
    /// A fact that gives an application points under the priority rule.
    PriorityFactor = "sportello_housing::PriorityFactor" { Minors, EvictionNotice, IncomeBand, MonthsWaiting, HealthOrDisability }
);
remote_enum!(
    /// `PLANNED` before the first day, `ACTIVE` from it, `ENDED` once the household left,
    /// `CANCELLED` when called off before its first day.
    PlacementStatus = "sportello_housing::PlacementStatus" { Planned, Active, Ended, Cancelled }
);
remote_enum!(
    /// Where a household went, at exit or at a follow-up.
    HousingDestination = "sportello_housing::Destination" { OwnRental, SocialHousing, Family, Other, Unknown }
);
remote_enum!(
    /// A step of the path to housing autonomy.
    MilestoneKind = "sportello_housing::MilestoneKind" { JobContract, IncomeAboveThreshold, DepositSaved, OwnLeaseSigned, ResidenceRegistered, Other }
);
remote_enum!(
    /// Why a score changed: the application was made, its facts corrected, or the rule changed.
    ScoreCause = "sportello_housing::ScoreCause" { Applied, Facts, Rule }
);

// ── Units ────────────────────────────────────────────────────────────────────────────────────

/// An apartment or a house with its rooms and beds; several households may share it.
pub struct Unit(pub h::Unit);

#[Object]
impl Unit {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Unit, self.0.id.uuid())
    }
    /// Raised by one on every change; an update sends back the version it was based on.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> UnitKind {
        self.0.kind.into()
    }
    async fn ownership(&self) -> UnitOwnership {
        self.0.ownership.into()
    }
    /// The owner's name.
    async fn owner(&self) -> &str {
        &self.0.owner
    }
    async fn address(&self) -> &str {
        &self.0.address
    }
    /// ISTAT code of the municipality.
    async fn territory_code(&self) -> &str {
        &self.0.territory_code
    }
    /// Step-free access and an accessible bathroom.
    async fn accessible(&self) -> bool {
        self.0.accessible
    }
    async fn shared_spaces(&self) -> &[String] {
        &self.0.shared_spaces
    }
    async fn house_rules(&self) -> Option<&str> {
        self.0.house_rules.as_deref()
    }
    /// As it reads today, in the tenant's time zone.
    async fn state(&self) -> UnitState {
        self.0.state.into()
    }
    async fn rooms(&self) -> Vec<Room> {
        self.0.rooms.iter().cloned().map(Room).collect()
    }
    /// Beds of the unit.
    async fn beds(&self) -> u32 {
        self.0.beds
    }
    /// Beds with no placement today.
    async fn vacant_beds(&self) -> u32 {
        self.0.vacant_beds
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

pub struct Room(h::Room);

#[Object]
impl Room {
    async fn id(&self) -> ID {
        ids::encode(Kind::Room, self.0.id.uuid())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn beds(&self) -> Vec<Bed> {
        self.0.beds.iter().cloned().map(Bed).collect()
    }
}

pub struct Bed(h::Bed);

#[Object]
impl Bed {
    async fn id(&self) -> ID {
        ids::encode(Kind::Bed, self.0.id.uuid())
    }
    /// Its number in the unit.
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// The placement on the bed today, if any.
    async fn placement_id(&self) -> Option<ID> {
        self.0
            .placement_id
            .map(|p| ids::encode(Kind::Placement, p.uuid()))
    }
}

/// A placement's nights on one bed: from `startsOn` up to `endsOn` (the bed is free that day).
pub struct BedStay(h::BedStay);

#[Object]
impl BedStay {
    async fn unit_id(&self) -> ID {
        ids::encode(Kind::Unit, self.0.unit_id.uuid())
    }
    async fn bed_id(&self) -> ID {
        ids::encode(Kind::Bed, self.0.bed_id.uuid())
    }
    async fn placement_id(&self) -> ID {
        ids::encode(Kind::Placement, self.0.placement_id.uuid())
    }
    async fn household_id(&self) -> ID {
        ids::encode(Kind::Household, self.0.household_id.uuid())
    }
    /// The household, from the cases service.
    async fn household(&self, ctx: &Context<'_>) -> GqlResult<cases::Household> {
        household(ctx, self.0.household_id).await
    }
    async fn starts_on(&self) -> NaiveDate {
        self.0.starts_on
    }
    async fn ends_on(&self) -> NaiveDate {
        self.0.ends_on
    }
}

async fn household(ctx: &Context<'_>, id: h::HouseholdId) -> GqlResult<cases::Household> {
    let (svc, rc) = services(ctx)?;
    svc.cases
        .get_household(&rc.ctx, id)
        .await
        .gql()
        .map(cases::Household)
}

// ── The waiting list ─────────────────────────────────────────────────────────────────────────

/// The tenant's priority rule: the points each fact gives (version 0 is Sportello's default: 10
/// per minor, 30 for an eviction notice, income 25/15/5/0, 20 for health or disability, 1 per
/// whole month on the list up to 24).
#[derive(SimpleObject)]
pub struct PriorityRule {
    pub per_minor: u32,
    pub eviction_notice: u32,
    pub income_very_low: u32,
    pub income_low: u32,
    pub income_medium: u32,
    pub income_high: u32,
    pub health_or_disability: u32,
    pub per_month_waiting: u32,
    pub max_months_waiting: u32,
    /// 0 for the default; one more for each change.
    pub version: i32,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by_user_id: Option<ID>,
}

impl From<h::PriorityRule> for PriorityRule {
    fn from(r: h::PriorityRule) -> Self {
        Self {
            per_minor: r.per_minor,
            eviction_notice: r.eviction_notice,
            income_very_low: r.income_very_low,
            income_low: r.income_low,
            income_medium: r.income_medium,
            income_high: r.income_high,
            health_or_disability: r.health_or_disability,
            per_month_waiting: r.per_month_waiting,
            max_months_waiting: r.max_months_waiting,
            version: r.version,
            updated_at: r.updated_at,
            updated_by_user_id: r.updated_by.map(|u| ids::encode(Kind::User, u.uuid())),
        }
    }
}

/// A change of the priority rule and why it was made.
#[derive(SimpleObject)]
pub struct PriorityRuleChange {
    pub rule: PriorityRule,
    pub reason: String,
}

/// What one fact adds to a score: the quantity counted (minors, months; 1 for a yes) and the
/// points.
#[derive(SimpleObject)]
pub struct ScoreTerm {
    pub factor: PriorityFactor,
    pub quantity: u32,
    pub points: u32,
}

/// One change of an application's score (audit).
#[derive(SimpleObject)]
pub struct ScoreChange {
    pub cause: ScoreCause,
    pub before: Option<u32>,
    pub after: u32,
    pub rule_version: i32,
    pub by_user_id: Option<ID>,
    pub at: DateTime<Utc>,
}

/// A household's application on the waiting list, with its score explained.
pub struct HousingApplication(pub h::Application);

#[Object]
impl HousingApplication {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::HousingApplication, self.0.id.uuid())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn household_id(&self) -> ID {
        ids::encode(Kind::Household, self.0.household_id.uuid())
    }
    /// The household, from the cases service.
    async fn household(&self, ctx: &Context<'_>) -> GqlResult<cases::Household> {
        household(ctx, self.0.household_id).await
    }
    async fn status(&self) -> HousingApplicationStatus {
        self.0.status.into()
    }
    async fn applied_on(&self) -> NaiveDate {
        self.0.applied_on
    }
    /// Members under 18, as the cases service counted them when the facts were last given.
    async fn minors(&self) -> u32 {
        self.0.minors
    }
    async fn eviction_notice_on(&self) -> Option<NaiveDate> {
        self.0.eviction_notice_on
    }
    async fn income_band(&self) -> IncomeBand {
        self.0.income_band.into()
    }
    /// A health condition or disability in the household (special category data, stored
    /// encrypted).
    async fn health_or_disability(&self) -> bool {
        self.0.health_or_disability
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// The score today under the tenant's rule: the sum of `explanation`'s points.
    async fn score(&self) -> u32 {
        self.0.score
    }
    async fn explanation(&self) -> Vec<ScoreTerm> {
        self.0
            .explanation
            .iter()
            .map(|t| ScoreTerm {
                factor: t.factor.into(),
                quantity: t.quantity,
                points: t.points,
            })
            .collect()
    }
    /// 1 for the first on the list; waiting applications only.
    async fn position(&self) -> Option<u32> {
        self.0.position
    }
    /// Every change of the score, oldest first.
    async fn score_history(&self, ctx: &Context<'_>) -> GqlResult<Vec<ScoreChange>> {
        let (svc, rc) = services(ctx)?;
        let rows = svc.housing.score_history(&rc.ctx, self.0.id).await.gql()?;
        Ok(rows
            .into_iter()
            .map(|c| ScoreChange {
                cause: c.cause.into(),
                before: c.before,
                after: c.after,
                rule_version: c.rule_version,
                by_user_id: c.by_user.map(|u| ids::encode(Kind::User, u.uuid())),
                at: c.at,
            })
            .collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

// ── Placements ───────────────────────────────────────────────────────────────────────────────

#[derive(SimpleObject)]
pub struct PlacementExit {
    pub on: NaiveDate,
    pub destination: HousingDestination,
    /// The household left for housing of its own means.
    pub autonomy_reached: bool,
}

#[derive(SimpleObject)]
pub struct PlacementExtension {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by_user_id: ID,
    pub at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct Milestone {
    pub id: ID,
    pub kind: MilestoneKind,
    pub reached_on: NaiveDate,
    /// The case and the goal of its plan this step fulfils.
    pub case_id: Option<ID>,
    pub goal_id: Option<ID>,
    pub note: Option<String>,
    pub recorded_by_user_id: ID,
    pub recorded_at: DateTime<Utc>,
}

/// A household placed on beds of a unit, with its agreement and path to autonomy.
pub struct Placement(pub h::Placement);

#[Object]
impl Placement {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Placement, self.0.id.uuid())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn household_id(&self) -> ID {
        ids::encode(Kind::Household, self.0.household_id.uuid())
    }
    /// The household, from the cases service.
    async fn household(&self, ctx: &Context<'_>) -> GqlResult<cases::Household> {
        household(ctx, self.0.household_id).await
    }
    async fn application_id(&self) -> Option<ID> {
        self.0
            .application_id
            .map(|a| ids::encode(Kind::HousingApplication, a.uuid()))
    }
    async fn unit_id(&self) -> ID {
        ids::encode(Kind::Unit, self.0.unit_id.uuid())
    }
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Unit> {
        let (svc, rc) = services(ctx)?;
        Ok(Unit(
            svc.housing.get_unit(&rc.ctx, self.0.unit_id).await.gql()?,
        ))
    }
    async fn bed_ids(&self) -> Vec<ID> {
        self.0
            .bed_ids
            .iter()
            .map(|b| ids::encode(Kind::Bed, b.uuid()))
            .collect()
    }
    async fn starts_on(&self) -> NaiveDate {
        self.0.starts_on
    }
    /// The planned move-out day (the beds are free from that day).
    async fn planned_end_on(&self) -> NaiveDate {
        self.0.planned_end_on
    }
    /// As it reads today, in the tenant's time zone.
    async fn status(&self) -> PlacementStatus {
        self.0.status.into()
    }
    /// The agreement's monthly contribution, in euro cents.
    async fn monthly_contribution_cents(&self) -> u32 {
        self.0.monthly_contribution_cents
    }
    /// The agreement's deposit, in euro cents.
    async fn deposit_cents(&self) -> u32 {
        self.0.deposit_cents
    }
    /// The day the house rules were signed.
    async fn rules_signed_on(&self) -> Option<NaiveDate> {
        self.0.rules_signed_on
    }
    /// The operator who placed and follows the household.
    async fn responsible_user_id(&self) -> ID {
        ids::encode(Kind::User, self.0.responsible_user_id.uuid())
    }
    async fn exit(&self) -> Option<PlacementExit> {
        self.0.exit.as_ref().map(|e| PlacementExit {
            on: e.on,
            destination: e.destination.into(),
            autonomy_reached: e.autonomy_reached,
        })
    }
    /// The day it was cancelled, before its first day.
    async fn cancelled_on(&self) -> Option<NaiveDate> {
        self.0.cancelled_on
    }
    async fn extensions(&self) -> Vec<PlacementExtension> {
        self.0
            .extensions
            .iter()
            .map(|e| PlacementExtension {
                from: e.from,
                to: e.to,
                by_user_id: ids::encode(Kind::User, e.by_user.uuid()),
                at: e.at,
            })
            .collect()
    }
    /// The path to autonomy, in the order the steps were reached.
    async fn milestones(&self) -> Vec<Milestone> {
        self.0
            .milestones
            .iter()
            .map(|m| Milestone {
                id: ids::encode(Kind::Milestone, m.id.uuid()),
                kind: m.kind.into(),
                reached_on: m.reached_on,
                case_id: m.case_id.map(|c| ids::encode(Kind::Case, c.uuid())),
                goal_id: m.goal_id.map(|g| ids::encode(Kind::Goal, g.uuid())),
                note: m.note.clone(),
                recorded_by_user_id: ids::encode(Kind::User, m.recorded_by.uuid()),
                recorded_at: m.recorded_at,
            })
            .collect()
    }
    /// The follow-ups 6 and 12 months after the exit (none before it).
    async fn follow_ups(&self, ctx: &Context<'_>) -> GqlResult<Vec<FollowUp>> {
        let (svc, rc) = services(ctx)?;
        let page = svc
            .housing
            .list_follow_ups(
                &rc.ctx,
                h::ListFollowUps {
                    page: Page {
                        first: 10,
                        after: None,
                    },
                    due: false,
                    mine: false,
                    placement_id: Some(self.0.id),
                },
            )
            .await
            .gql()?;
        Ok(page.items.into_iter().map(FollowUp).collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A check on a household 6 or 12 months after it left, due on `dueOn`.
pub struct FollowUp(pub h::FollowUp);

#[Object]
impl FollowUp {
    async fn id(&self) -> ID {
        ids::encode(Kind::FollowUp, self.0.id.uuid())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn placement_id(&self) -> ID {
        ids::encode(Kind::Placement, self.0.placement_id.uuid())
    }
    async fn household_id(&self) -> ID {
        ids::encode(Kind::Household, self.0.household_id.uuid())
    }
    async fn household(&self, ctx: &Context<'_>) -> GqlResult<cases::Household> {
        household(ctx, self.0.household_id).await
    }
    /// 6 or 12.
    async fn months(&self) -> u32 {
        self.0.months
    }
    async fn due_on(&self) -> NaiveDate {
        self.0.due_on
    }
    async fn responsible_user_id(&self) -> ID {
        ids::encode(Kind::User, self.0.responsible_user_id.uuid())
    }
    async fn recorded_on(&self) -> Option<NaiveDate> {
        self.0.recorded_on
    }
    async fn still_housed(&self) -> Option<bool> {
        self.0.still_housed
    }
    async fn destination(&self) -> Option<HousingDestination> {
        self.0.destination.map(Into::into)
    }
}

// ── Queries ──────────────────────────────────────────────────────────────────────────────────

#[derive(Default)]
pub struct HousingQuery;

#[Object]
impl HousingQuery {
    /// The tenant's units, oldest first, by municipality (ISTAT code) or state. Staff only.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn housing_units(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        territory_code: Option<String>,
        state: Option<UnitState>,
    ) -> GqlResult<Connection<String, Unit>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| {
            svc.housing.list_units(
                &rc.ctx,
                h::ListUnits {
                    page,
                    territory_code,
                    state: state.map(Into::into),
                },
            )
        };
        paginate(first, after, fetch, |u| u.id.uuid(), Unit).await
    }

    /// The stays on beds from `from` (included) to `to` (not included, at most 400 days later),
    /// of one unit or all: the occupancy calendar.
    async fn bed_stays(
        &self,
        ctx: &Context<'_>,
        unit_id: Option<ID>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> GqlResult<Vec<BedStay>> {
        let (svc, rc) = services(ctx)?;
        let unit_id = unit_id
            .map(|u| decode_input(Kind::Unit, &u, "unitId"))
            .transpose()
            .gql()?;
        let stays = svc
            .housing
            .list_stays(&rc.ctx, h::ListStays { unit_id, from, to })
            .await
            .gql()?;
        Ok(stays.into_iter().map(BedStay).collect())
    }

    /// The tenant's priority rule for the waiting list.
    async fn priority_rule(&self, ctx: &Context<'_>) -> GqlResult<PriorityRule> {
        let (svc, rc) = services(ctx)?;
        Ok(svc.housing.priority_rule(&rc.ctx, ()).await.gql()?.into())
    }

    /// Every change of the priority rule, newest first.
    async fn priority_rule_history(&self, ctx: &Context<'_>) -> GqlResult<Vec<PriorityRuleChange>> {
        let (svc, rc) = services(ctx)?;
        let rows = svc.housing.rule_history(&rc.ctx, ()).await.gql()?;
        Ok(rows
            .into_iter()
            .map(|c| PriorityRuleChange {
                rule: c.rule.into(),
                reason: c.reason,
            })
            .collect())
    }

    /// The waiting list in its order (score, then the day of entry), or the applications of
    /// another status (oldest first), or a household's.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn housing_applications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<HousingApplicationStatus>,
        household_id: Option<ID>,
    ) -> GqlResult<Connection<String, HousingApplication>> {
        let (svc, rc) = services(ctx)?;
        let household_id = household_id
            .map(|id| decode_input(Kind::Household, &id, "householdId"))
            .transpose()
            .gql()?;
        let fetch = |page| {
            svc.housing.list_applications(
                &rc.ctx,
                h::ListApplications {
                    page,
                    status: status.map(Into::into),
                    household_id,
                },
            )
        };
        paginate(first, after, fetch, |a| a.id.uuid(), HousingApplication).await
    }

    /// Placements, oldest first, by unit, household or status.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn placements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        unit_id: Option<ID>,
        household_id: Option<ID>,
        status: Option<PlacementStatus>,
    ) -> GqlResult<Connection<String, Placement>> {
        let (svc, rc) = services(ctx)?;
        let unit_id = unit_id
            .map(|id| decode_input(Kind::Unit, &id, "unitId"))
            .transpose()
            .gql()?;
        let household_id = household_id
            .map(|id| decode_input(Kind::Household, &id, "householdId"))
            .transpose()
            .gql()?;
        let fetch = |page| {
            svc.housing.list_placements(
                &rc.ctx,
                h::ListPlacements {
                    page,
                    unit_id,
                    household_id,
                    status: status.map(Into::into),
                },
            )
        };
        paginate(first, after, fetch, |p| p.id.uuid(), Placement).await
    }

    /// Follow-ups after exits: `due` only those due by today and not recorded, `mine` only the
    /// caller's.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn follow_ups(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default)] due: bool,
        #[graphql(default)] mine: bool,
    ) -> GqlResult<Connection<String, FollowUp>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| {
            svc.housing.list_follow_ups(
                &rc.ctx,
                h::ListFollowUps {
                    page,
                    due,
                    mine,
                    placement_id: None,
                },
            )
        };
        paginate(first, after, fetch, |f| f.id.uuid(), FollowUp).await
    }
}

// ── Mutations ────────────────────────────────────────────────────────────────────────────────

/// A room to add: its name and its number of beds (1 to 12).
#[derive(InputObject)]
pub struct RoomInput {
    pub name: String,
    pub beds: u32,
}

/// A unit's description.
#[derive(InputObject)]
pub struct UnitInput {
    pub name: String,
    pub kind: UnitKind,
    pub ownership: UnitOwnership,
    pub owner: String,
    pub address: String,
    /// ISTAT code of one of the tenant's municipalities.
    pub territory_code: String,
    #[graphql(default)]
    pub accessible: bool,
    #[graphql(default)]
    pub shared_spaces: Vec<String>,
    pub house_rules: Option<String>,
}

impl UnitInput {
    fn into_request(self) -> h::UnitInput {
        h::UnitInput {
            name: self.name,
            kind: self.kind.into(),
            ownership: self.ownership.into(),
            owner: self.owner,
            address: self.address,
            territory_code: self.territory_code,
            accessible: self.accessible,
            shared_spaces: self.shared_spaces,
            house_rules: self.house_rules,
        }
    }
}

#[derive(InputObject)]
pub struct AddUnitInput {
    pub unit: UnitInput,
    pub rooms: Vec<RoomInput>,
}

#[derive(InputObject)]
pub struct UpdateUnitInput {
    pub id: ID,
    pub expected_version: i32,
    pub unit: UnitInput,
    /// `AVAILABLE`, `MAINTENANCE` or `WITHDRAWN`.
    pub state: UnitState,
}

#[derive(InputObject)]
pub struct AddRoomInput {
    pub unit_id: ID,
    pub expected_version: i32,
    pub room: RoomInput,
}

#[derive(InputObject)]
pub struct SetPriorityRuleInput {
    pub expected_version: i32,
    pub per_minor: u32,
    pub eviction_notice: u32,
    pub income_very_low: u32,
    pub income_low: u32,
    pub income_medium: u32,
    pub income_high: u32,
    pub health_or_disability: u32,
    pub per_month_waiting: u32,
    pub max_months_waiting: u32,
    /// Why the rule changes (kept in the audit).
    pub reason: String,
}

/// The facts that set an application's priority.
#[derive(InputObject)]
pub struct ApplicationFactsInput {
    pub eviction_notice_on: Option<NaiveDate>,
    pub income_band: IncomeBand,
    #[graphql(default)]
    pub health_or_disability: bool,
    pub note: Option<String>,
}

impl From<ApplicationFactsInput> for h::ApplicationFacts {
    fn from(f: ApplicationFactsInput) -> Self {
        Self {
            eviction_notice_on: f.eviction_notice_on,
            income_band: f.income_band.into(),
            health_or_disability: f.health_or_disability,
            note: f.note,
        }
    }
}

#[derive(InputObject)]
pub struct ApplyForHousingInput {
    pub household_id: ID,
    /// The day the household entered the list; today when absent.
    pub applied_on: Option<NaiveDate>,
    pub facts: ApplicationFactsInput,
}

#[derive(InputObject)]
pub struct UpdateHousingApplicationInput {
    pub id: ID,
    pub expected_version: i32,
    pub facts: ApplicationFactsInput,
}

#[derive(InputObject)]
pub struct PlaceHouseholdInput {
    pub household_id: ID,
    /// The household's waiting application, which becomes `PLACED`.
    pub application_id: Option<ID>,
    pub unit_id: ID,
    pub bed_ids: Vec<ID>,
    pub starts_on: NaiveDate,
    /// The planned move-out day.
    pub planned_end_on: NaiveDate,
    /// Euro cents a month.
    #[graphql(default)]
    pub monthly_contribution_cents: u32,
    /// Euro cents.
    #[graphql(default)]
    pub deposit_cents: u32,
    pub rules_signed_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct ExtendPlacementInput {
    pub id: ID,
    pub expected_version: i32,
    pub planned_end_on: NaiveDate,
}

#[derive(InputObject)]
pub struct ExitPlacementInput {
    pub id: ID,
    pub expected_version: i32,
    /// The day the household left (the beds are free from then): from the start to today.
    pub exit_on: NaiveDate,
    pub destination: HousingDestination,
    pub autonomy_reached: bool,
}

#[derive(InputObject)]
pub struct RecordMilestoneInput {
    pub placement_id: ID,
    pub kind: MilestoneKind,
    pub reached_on: NaiveDate,
    /// With `goalId`: the case whose plan holds the goal.
    pub case_id: Option<ID>,
    pub goal_id: Option<ID>,
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct RecordFollowUpInput {
    pub id: ID,
    pub expected_version: i32,
    /// The day of the check: from the due day to today.
    pub on: NaiveDate,
    pub still_housed: bool,
    pub destination: HousingDestination,
}

#[derive(Default)]
pub struct HousingMutation;

#[Object]
impl HousingMutation {
    /// Adds a unit with its rooms and beds. Administrators and coordinators.
    async fn add_unit(&self, ctx: &Context<'_>, input: AddUnitInput) -> GqlResult<Unit> {
        let (svc, rc) = services(ctx)?;
        let req = h::AddUnit {
            unit: input.unit.into_request(),
            rooms: input
                .rooms
                .into_iter()
                .map(|r| h::NewRoom {
                    name: r.name,
                    beds: r.beds,
                })
                .collect(),
        };
        Ok(Unit(svc.housing.add_unit(&rc.ctx, req).await.gql()?))
    }

    /// Replaces a unit's description and state (withdrawing a unit with households placed is
    /// `TRANSITION_NOT_ALLOWED` on `state`); a stale `expectedVersion` is `CONFLICT`.
    async fn update_unit(&self, ctx: &Context<'_>, input: UpdateUnitInput) -> GqlResult<Unit> {
        let (svc, rc) = services(ctx)?;
        let req = h::UpdateUnit {
            id: decode_input(Kind::Unit, &input.id, "id").gql()?,
            expected_version: input.expected_version,
            unit: input.unit.into_request(),
            state: input.state.into(),
        };
        Ok(Unit(svc.housing.update_unit(&rc.ctx, req).await.gql()?))
    }

    /// Adds a room with its beds to a unit.
    async fn add_room(&self, ctx: &Context<'_>, input: AddRoomInput) -> GqlResult<Unit> {
        let (svc, rc) = services(ctx)?;
        let req = h::AddRoom {
            unit_id: decode_input(Kind::Unit, &input.unit_id, "unitId").gql()?,
            expected_version: input.expected_version,
            room: h::NewRoom {
                name: input.room.name,
                beds: input.room.beds,
            },
        };
        Ok(Unit(svc.housing.add_room(&rc.ctx, req).await.gql()?))
    }

    /// Sets the priority rule: the list is re-ordered, the change and every score it moved are
    /// audited. Administrators and coordinators; a stale `expectedVersion` is `CONFLICT`.
    async fn set_priority_rule(
        &self,
        ctx: &Context<'_>,
        input: SetPriorityRuleInput,
    ) -> GqlResult<PriorityRule> {
        let (svc, rc) = services(ctx)?;
        let req = h::SetPriorityRule {
            expected_version: input.expected_version,
            per_minor: input.per_minor,
            eviction_notice: input.eviction_notice,
            income_very_low: input.income_very_low,
            income_low: input.income_low,
            income_medium: input.income_medium,
            income_high: input.income_high,
            health_or_disability: input.health_or_disability,
            per_month_waiting: input.per_month_waiting,
            max_months_waiting: input.max_months_waiting,
            reason: input.reason,
        };
        Ok(svc
            .housing
            .set_priority_rule(&rc.ctx, req)
            .await
            .gql()?
            .into())
    }

    /// Puts a household on the waiting list (one application waiting or placed per household:
    /// `ALREADY_EXISTS` on `householdId`). Minors are counted from the household's members.
    async fn apply_for_housing(
        &self,
        ctx: &Context<'_>,
        input: ApplyForHousingInput,
    ) -> GqlResult<HousingApplication> {
        let (svc, rc) = services(ctx)?;
        let req = h::Apply {
            household_id: decode_input(Kind::Household, &input.household_id, "householdId")
                .gql()?,
            applied_on: input.applied_on,
            facts: input.facts.into(),
        };
        Ok(HousingApplication(
            svc.housing.apply(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Corrects a waiting application's facts (the change of score is audited).
    async fn update_housing_application(
        &self,
        ctx: &Context<'_>,
        input: UpdateHousingApplicationInput,
    ) -> GqlResult<HousingApplication> {
        let (svc, rc) = services(ctx)?;
        let req = h::UpdateApplication {
            id: decode_input(Kind::HousingApplication, &input.id, "id").gql()?,
            expected_version: input.expected_version,
            facts: input.facts.into(),
        };
        Ok(HousingApplication(
            svc.housing.update_application(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Takes a waiting application off the list (`WITHDRAWN`, final).
    async fn withdraw_housing_application(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> GqlResult<HousingApplication> {
        let (svc, rc) = services(ctx)?;
        let req = h::WithdrawApplication {
            id: decode_input(Kind::HousingApplication, &id, "id").gql()?,
            expected_version,
        };
        Ok(HousingApplication(
            svc.housing.withdraw_application(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Places a household on beds of an available unit. A bed with another stay on some of the
    /// days is `BED_TAKEN` on `bedIds`.
    async fn place_household(
        &self,
        ctx: &Context<'_>,
        input: PlaceHouseholdInput,
    ) -> GqlResult<Placement> {
        let (svc, rc) = services(ctx)?;
        let req = h::Place {
            household_id: decode_input(Kind::Household, &input.household_id, "householdId")
                .gql()?,
            application_id: input
                .application_id
                .map(|a| decode_input(Kind::HousingApplication, &a, "applicationId"))
                .transpose()
                .gql()?,
            unit_id: decode_input(Kind::Unit, &input.unit_id, "unitId").gql()?,
            bed_ids: input
                .bed_ids
                .iter()
                .map(|b| decode_input(Kind::Bed, b, "bedIds"))
                .collect::<sportello_kernel::Result<Vec<_>>>()
                .gql()?,
            starts_on: input.starts_on,
            planned_end_on: input.planned_end_on,
            monthly_contribution_cents: input.monthly_contribution_cents,
            deposit_cents: input.deposit_cents,
            rules_signed_on: input.rules_signed_on,
        };
        Ok(Placement(svc.housing.place(&rc.ctx, req).await.gql()?))
    }

    /// Moves a placement's planned end later (`BED_TAKEN` when another stay follows too soon).
    async fn extend_placement(
        &self,
        ctx: &Context<'_>,
        input: ExtendPlacementInput,
    ) -> GqlResult<Placement> {
        let (svc, rc) = services(ctx)?;
        let req = h::ExtendPlacement {
            id: decode_input(Kind::Placement, &input.id, "id").gql()?,
            expected_version: input.expected_version,
            planned_end_on: input.planned_end_on,
        };
        Ok(Placement(
            svc.housing.extend_placement(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Records a household's exit: the beds are free from `exitOn`; follow-ups become due 6
    /// and 12 months later.
    async fn exit_placement(
        &self,
        ctx: &Context<'_>,
        input: ExitPlacementInput,
    ) -> GqlResult<Placement> {
        let (svc, rc) = services(ctx)?;
        let req = h::ExitPlacement {
            id: decode_input(Kind::Placement, &input.id, "id").gql()?,
            expected_version: input.expected_version,
            exit: h::Exit {
                on: input.exit_on,
                destination: input.destination.into(),
                autonomy_reached: input.autonomy_reached,
            },
        };
        Ok(Placement(
            svc.housing.exit_placement(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Calls off a placement before its first day (later: `TRANSITION_NOT_ALLOWED` on `status`):
    /// its beds are free again and its application goes back to the waiting list.
    async fn cancel_placement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> GqlResult<Placement> {
        let (svc, rc) = services(ctx)?;
        let req = h::CancelPlacement {
            id: decode_input(Kind::Placement, &id, "id").gql()?,
            expected_version,
        };
        Ok(Placement(
            svc.housing.cancel_placement(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Records a step of the path to autonomy, optionally the goal of the case's plan it
    /// fulfils.
    async fn record_milestone(
        &self,
        ctx: &Context<'_>,
        input: RecordMilestoneInput,
    ) -> GqlResult<Placement> {
        let (svc, rc) = services(ctx)?;
        let req = h::RecordMilestone {
            placement_id: decode_input(Kind::Placement, &input.placement_id, "placementId")
                .gql()?,
            kind: input.kind.into(),
            reached_on: input.reached_on,
            case_id: input
                .case_id
                .map(|c| decode_input(Kind::Case, &c, "caseId"))
                .transpose()
                .gql()?,
            goal_id: input
                .goal_id
                .map(|g| decode_input(Kind::Goal, &g, "goalId"))
                .transpose()
                .gql()?,
            note: input.note,
        };
        Ok(Placement(
            svc.housing.record_milestone(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Records a follow-up's outcome (before its due day: `TRANSITION_NOT_ALLOWED`).
    async fn record_follow_up(
        &self,
        ctx: &Context<'_>,
        input: RecordFollowUpInput,
    ) -> GqlResult<FollowUp> {
        let (svc, rc) = services(ctx)?;
        let req = h::RecordFollowUp {
            id: decode_input(Kind::FollowUp, &input.id, "id").gql()?,
            expected_version: input.expected_version,
            on: input.on,
            still_housed: input.still_housed,
            destination: input.destination.into(),
        };
        Ok(FollowUp(
            svc.housing.record_follow_up(&rc.ctx, req).await.gql()?,
        ))
    }
}
