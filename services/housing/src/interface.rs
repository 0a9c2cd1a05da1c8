//! The housing service's interface: the types that cross it and the operations it offers, with
//! who may call each. The same declaration serves the in-process call and the HTTP/JSON transport.
//!
//! Dates are local days of the tenant (its time zone, Europe/Rome by default). A stay on a bed
//! covers the nights from its first day up to, not including, its last: a placement from
//! 2027-01-01 to 2027-02-01 frees the bed on 1 February, so another may start that day.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
pub use sportello_cases::{CaseId, GoalId, HouseholdId};
pub use sportello_kernel::db::{Page, Paged};
use sportello_kernel::{Access, Role, UserId, id_type, service_interface};

id_type!(
    /// An apartment or a house.
    UnitId
);
id_type!(
    /// A room of a unit.
    RoomId
);
id_type!(
    /// A bed of a room.
    BedId
);
id_type!(
    /// A household's application on the waiting list.
    ApplicationId
);
id_type!(
    /// A household placed in a unit.
    PlacementId
);
id_type!(
    /// A step of a placement's path to housing autonomy.
    MilestoneId
);
id_type!(
    /// A check on a household 6 or 12 months after it left.
    FollowUpId
);

/// Staff who work housing: administrators, coordinators and operators of the tenant.
pub const STAFF: Access = Access::Roles(&[Role::TenantAdmin, Role::Coordinator, Role::Operator]);

/// Who sets the priority rule: administrators and coordinators.
pub const REVIEWERS: Access = Access::Roles(&[Role::TenantAdmin, Role::Coordinator]);

/// Declares a code enum: its variants, their stored codes, `ALL`, `as_str` and `parse`.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored and sent.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == code)
            }
        }
    };
}

code_enum!(
    /// What a unit is.
    UnitKind { Apartment => "APARTMENT", House => "HOUSE" }
);
code_enum!(
    /// Who owns a unit.
    Ownership { Public => "PUBLIC", Private => "PRIVATE", ThirdSector => "THIRD_SECTOR" }
);
code_enum!(
    /// A unit's state. `Available`, `Maintenance` and `Withdrawn` are set by staff; a unit
    /// available with no bed free today reads `Occupied`.
    UnitState {
        Available => "AVAILABLE",
        Occupied => "OCCUPIED",
        Maintenance => "MAINTENANCE",
        Withdrawn => "WITHDRAWN",
    }
);
code_enum!(
    /// A household's income band, on the indicator of the equivalent economic situation (ISEE,
    /// DPCM 159/2013) as the tenant bands it; `Unknown` when not declared.
    IncomeBand {
        VeryLow => "VERY_LOW",
        Low => "LOW",
        Medium => "MEDIUM",
        High => "HIGH",
        Unknown => "UNKNOWN",
    }
);
code_enum!(
    /// Where an application stands: `Waiting` on the list, `Placed` once the household is
    /// placed, `Withdrawn` (final).
    ApplicationStatus { Waiting => "WAITING", Placed => "PLACED", Withdrawn => "WITHDRAWN" }
);
code_enum!(
    /// A fact that gives an application points under the priority rule.
    PriorityFactor {
        /// Points for each member under 18 (from the household in the cases service).
        Minors => "MINORS",
        /// An eviction notice (sfratto) was served.
        EvictionNotice => "EVICTION_NOTICE",
        /// The household's income band.
        IncomeBand => "INCOME_BAND",
        /// Whole months on the list, up to the rule's cap.
        MonthsWaiting => "MONTHS_WAITING",
        /// A health condition or disability in the household (special category, GDPR art. 9).
        HealthOrDisability => "HEALTH_OR_DISABILITY",
    }
);
code_enum!(
    /// Where a placement stands on the tenant's today: `Planned` before its first day,
    /// `Active` from then, `Ended` once the household left; `Cancelled` when called off before
    /// its first day.
    PlacementStatus {
        Planned => "PLANNED",
        Active => "ACTIVE",
        Ended => "ENDED",
        Cancelled => "CANCELLED",
    }
);
code_enum!(
    /// Where a household went, at exit or at a follow-up.
    Destination {
        OwnRental => "OWN_RENTAL",
        SocialHousing => "SOCIAL_HOUSING",
        Family => "FAMILY",
        Other => "OTHER",
        Unknown => "UNKNOWN",
    }
);
code_enum!(
    /// A step of the path to housing autonomy.
    MilestoneKind {
        JobContract => "JOB_CONTRACT",
        IncomeAboveThreshold => "INCOME_ABOVE_THRESHOLD",
        DepositSaved => "DEPOSIT_SAVED",
        OwnLeaseSigned => "OWN_LEASE_SIGNED",
        ResidenceRegistered => "RESIDENCE_REGISTERED",
        Other => "OTHER",
    }
);
code_enum!(
    /// Why an application's score changed.
    ScoreCause {
        /// The application was made.
        Applied => "APPLIED",
        /// Its facts were corrected.
        Facts => "FACTS",
        /// The tenant's priority rule changed.
        Rule => "RULE",
    }
);

// ── Units ────────────────────────────────────────────────────────────────────────────────────

/// A bed and, on the tenant's today, the placement on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bed {
    pub id: BedId,
    pub label: String,
    pub placement_id: Option<PlacementId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    pub id: RoomId,
    pub name: String,
    pub beds: Vec<Bed>,
}

/// An apartment or house: several households may live in it (co-housing), each on its beds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub name: String,
    pub kind: UnitKind,
    pub ownership: Ownership,
    /// The owner's name (a body or a person).
    pub owner: String,
    pub address: String,
    /// ISTAT code of the municipality.
    pub territory_code: String,
    /// Step-free access and an accessible bathroom.
    pub accessible: bool,
    /// Kitchen, living room, garden…: free words, one per space.
    pub shared_spaces: Vec<String>,
    pub house_rules: Option<String>,
    /// As it reads today (see [`UnitState`]).
    pub state: UnitState,
    pub rooms: Vec<Room>,
    /// Beds of the unit, and those with no placement today.
    pub beds: u32,
    pub vacant_beds: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

/// A room to add: its name and how many beds it has (1 to 12).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewRoom {
    pub name: String,
    pub beds: u32,
}

/// What staff give for a unit.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UnitInput {
    pub name: String,
    pub kind: UnitKind,
    pub ownership: Ownership,
    pub owner: String,
    pub address: String,
    pub territory_code: String,
    pub accessible: bool,
    #[serde(default)]
    pub shared_spaces: Vec<String>,
    pub house_rules: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddUnit {
    pub unit: UnitInput,
    /// At least one room with at least one bed.
    pub rooms: Vec<NewRoom>,
}

/// Replaces a unit's description; `state` is `AVAILABLE`, `MAINTENANCE` or `WITHDRAWN`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateUnit {
    pub id: UnitId,
    pub expected_version: i32,
    pub unit: UnitInput,
    pub state: UnitState,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddRoom {
    pub unit_id: UnitId,
    pub expected_version: i32,
    pub room: NewRoom,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListUnits {
    pub page: Page,
    pub territory_code: Option<String>,
    pub state: Option<UnitState>,
}

/// The stays on beds between two days (`from` included, `to` not), for the occupancy calendar.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ListStays {
    pub unit_id: Option<UnitId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A placement's nights on one bed: from `starts_on` up to `ends_on` (not included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BedStay {
    pub unit_id: UnitId,
    pub bed_id: BedId,
    pub placement_id: PlacementId,
    pub household_id: HouseholdId,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

// ── The waiting list ─────────────────────────────────────────────────────────────────────────

/// The tenant's priority rule: the points each fact gives. The default (version 0, never set) is
/// Sportello's: 10 per minor, 30 for an eviction notice, income 25 / 15 / 5 / 0 (very low, low,
/// medium, high; unknown 0), 20 for a health condition or disability, 1 per whole month on the
/// list up to 24. Every change is audited (`rule_history`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// 0 for the default, one more for each change.
    pub version: i32,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<UserId>,
}

impl Default for PriorityRule {
    fn default() -> Self {
        Self {
            per_minor: 10,
            eviction_notice: 30,
            income_very_low: 25,
            income_low: 15,
            income_medium: 5,
            income_high: 0,
            health_or_disability: 20,
            per_month_waiting: 1,
            max_months_waiting: 24,
            version: 0,
            updated_at: None,
            updated_by: None,
        }
    }
}

/// A new rule, based on the version the caller saw, and why it changes (kept in the audit).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetPriorityRule {
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
    pub reason: String,
}

/// One change of the rule: who, when, why, and the rule it set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleChange {
    pub rule: PriorityRule,
    pub reason: String,
}

/// What one fact adds to a score: the quantity counted (minors, months, 1 for a yes) and the
/// points it gives under the rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreTerm {
    pub factor: PriorityFactor,
    pub quantity: u32,
    pub points: u32,
}

/// A household's application on the waiting list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: ApplicationId,
    pub household_id: HouseholdId,
    pub status: ApplicationStatus,
    /// The day the household entered the list.
    pub applied_on: NaiveDate,
    /// Members under 18, as the cases service counted them when the facts were last given.
    pub minors: u32,
    pub eviction_notice_on: Option<NaiveDate>,
    pub income_band: IncomeBand,
    /// Stored encrypted under the tenant's key.
    pub health_or_disability: bool,
    pub note: Option<String>,
    /// The score today under the tenant's rule: the sum of `explanation`'s points.
    pub score: u32,
    pub explanation: Vec<ScoreTerm>,
    /// 1 for the first on the list; set for waiting applications only.
    pub position: Option<u32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// The facts of an application, as staff give them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ApplicationFacts {
    pub eviction_notice_on: Option<NaiveDate>,
    pub income_band: IncomeBand,
    pub health_or_disability: bool,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Apply {
    pub household_id: HouseholdId,
    /// The day the household entered the list; today when absent (not in the future).
    pub applied_on: Option<NaiveDate>,
    pub facts: ApplicationFacts,
}

/// Corrects an application's facts (minors are counted again from the cases service).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateApplication {
    pub id: ApplicationId,
    pub expected_version: i32,
    pub facts: ApplicationFacts,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WithdrawApplication {
    pub id: ApplicationId,
    pub expected_version: i32,
}

/// Applications by status (`WAITING` when absent, in the list's order: score, then the day of
/// entry, earliest first), or a household's.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListApplications {
    pub page: Page,
    pub status: Option<ApplicationStatus>,
    pub household_id: Option<HouseholdId>,
}

/// One change of an application's score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreChange {
    pub application_id: ApplicationId,
    pub cause: ScoreCause,
    pub before: Option<u32>,
    pub after: u32,
    pub rule_version: i32,
    pub by_user: Option<UserId>,
    pub at: DateTime<Utc>,
}

// ── Placements ───────────────────────────────────────────────────────────────────────────────

/// A household's exit from a placement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exit {
    pub on: NaiveDate,
    pub destination: Destination,
    /// The household left for housing of its own means (the programme's outcome).
    pub autonomy_reached: bool,
}

/// A change of a placement's planned end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by_user: UserId,
    pub at: DateTime<Utc>,
}

/// A step of the path to autonomy, optionally the goal of the case's plan it fulfils.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: MilestoneId,
    pub placement_id: PlacementId,
    pub kind: MilestoneKind,
    pub reached_on: NaiveDate,
    /// The case and the goal of its plan the step fulfils.
    pub case_id: Option<CaseId>,
    pub goal_id: Option<GoalId>,
    pub note: Option<String>,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
}

/// A household placed in a unit, on some of its beds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub id: PlacementId,
    pub household_id: HouseholdId,
    pub application_id: Option<ApplicationId>,
    pub unit_id: UnitId,
    pub bed_ids: Vec<BedId>,
    pub starts_on: NaiveDate,
    /// The planned move-out day (the beds are free from that day).
    pub planned_end_on: NaiveDate,
    pub status: PlacementStatus,
    /// The agreement: monthly contribution and deposit, in euro cents.
    pub monthly_contribution_cents: u32,
    pub deposit_cents: u32,
    /// The day the house rules were signed.
    pub rules_signed_on: Option<NaiveDate>,
    /// The operator who placed the household, who follows it (and sees its follow-ups when
    /// due).
    pub responsible_user_id: UserId,
    pub exit: Option<Exit>,
    /// The day it was cancelled (before its first day).
    pub cancelled_on: Option<NaiveDate>,
    pub extensions: Vec<Extension>,
    pub milestones: Vec<Milestone>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Place {
    pub household_id: HouseholdId,
    /// The household's waiting application, which becomes `PLACED`.
    pub application_id: Option<ApplicationId>,
    pub unit_id: UnitId,
    pub bed_ids: Vec<BedId>,
    pub starts_on: NaiveDate,
    pub planned_end_on: NaiveDate,
    pub monthly_contribution_cents: u32,
    pub deposit_cents: u32,
    pub rules_signed_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExtendPlacement {
    pub id: PlacementId,
    pub expected_version: i32,
    pub planned_end_on: NaiveDate,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExitPlacement {
    pub id: PlacementId,
    pub expected_version: i32,
    pub exit: Exit,
}

/// Calls off a placement before its first day.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CancelPlacement {
    pub id: PlacementId,
    pub expected_version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordMilestone {
    pub placement_id: PlacementId,
    pub kind: MilestoneKind,
    pub reached_on: NaiveDate,
    /// With `goal_id`: the goal must be in this case's plan (`NO_SUCH` on `goalId` otherwise).
    pub case_id: Option<CaseId>,
    pub goal_id: Option<GoalId>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListPlacements {
    pub page: Page,
    pub unit_id: Option<UnitId>,
    pub household_id: Option<HouseholdId>,
    pub status: Option<PlacementStatus>,
}

/// A check on a household 6 or 12 months after its exit, due on `due_on`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub placement_id: PlacementId,
    pub household_id: HouseholdId,
    /// 6 or 12.
    pub months: u32,
    pub due_on: NaiveDate,
    pub responsible_user_id: UserId,
    pub recorded_on: Option<NaiveDate>,
    pub still_housed: Option<bool>,
    pub destination: Option<Destination>,
    pub version: i32,
}

/// Follow-ups: `due` only those due by today and not recorded; `mine` only the caller's.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListFollowUps {
    pub page: Page,
    pub due: bool,
    pub mine: bool,
    pub placement_id: Option<PlacementId>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordFollowUp {
    pub id: FollowUpId,
    pub expected_version: i32,
    /// The day of the check: from its due day to today.
    pub on: NaiveDate,
    pub still_housed: bool,
    pub destination: Destination,
}

service_interface! {
    service "housing";
    /// Units, the waiting list, placements, the path to autonomy and follow-ups.
    trait Housing;
    client HousingClient;
    router housing_router;

    fn ready(()) -> () [public];

    // ── Units ────────────────────────────────────────────────────────────────────────────────
    /// Adds a unit with its rooms and beds. Refusals are `INVALID_INPUT` naming every field at
    /// fault (`name`, `owner`, `address`, `territoryCode`, `sharedSpaces`, `houseRules`,
    /// `rooms`).
    fn add_unit(AddUnit) -> Unit [access: REVIEWERS];
    /// Replaces a unit's description and state; a stale version is `CONFLICT`; withdrawing a unit
    /// with a placement not ended is `TRANSITION_NOT_ALLOWED` on `state`.
    fn update_unit(UpdateUnit) -> Unit [access: REVIEWERS];
    fn add_room(AddRoom) -> Unit [access: REVIEWERS];
    fn get_unit(UnitId) -> Unit [access: STAFF];
    fn list_units(ListUnits) -> Paged<Unit> [access: STAFF];
    /// The stays on beds between two days (at most 400 days apart), by unit, bed and start.
    fn list_stays(ListStays) -> Vec<BedStay> [access: STAFF];

    // ── The waiting list ─────────────────────────────────────────────────────────────────────
    /// The tenant's priority rule (the default until one is set).
    fn priority_rule(()) -> PriorityRule [access: STAFF];
    /// Sets the rule (a stale version is `CONFLICT`): the waiting list is re-ordered, and the
    /// change and every score it moved are audited.
    fn set_priority_rule(SetPriorityRule) -> PriorityRule [access: REVIEWERS];
    /// Every change of the rule, newest first.
    fn rule_history(()) -> Vec<RuleChange> [access: STAFF];
    /// Puts a household of the cases service on the list. One application waiting or placed per
    /// household (`ALREADY_EXISTS` on `householdId`).
    fn apply(Apply) -> Application [access: STAFF];
    fn update_application(UpdateApplication) -> Application [access: STAFF];
    fn withdraw_application(WithdrawApplication) -> Application [access: STAFF];
    fn get_application(ApplicationId) -> Application [access: STAFF];
    fn list_applications(ListApplications) -> Paged<Application> [access: STAFF];
    /// Every change of an application's score, oldest first.
    fn score_history(ApplicationId) -> Vec<ScoreChange> [access: STAFF];

    // ── Placements and the path to autonomy ──────────────────────────────────────────────────
    /// Places a household on beds of a unit. A bed with another stay overlapping the days is
    /// `BED_TAKEN` on `bedIds` (checked by the database: one stay per bed and night).
    fn place(Place) -> Placement [access: STAFF];
    fn get_placement(PlacementId) -> Placement [access: STAFF];
    fn list_placements(ListPlacements) -> Paged<Placement> [access: STAFF];
    /// Moves the planned end later (`BED_TAKEN` when another stay follows too soon).
    fn extend_placement(ExtendPlacement) -> Placement [access: STAFF];
    /// Records the exit: the beds are free from `exit.on`, and follow-ups are due 6 and 12
    /// months later (calendar months; 31 August + 6 months is 28 or 29 February).
    fn exit_placement(ExitPlacement) -> Placement [access: STAFF];
    /// Calls off a placement before its first day (later: `TRANSITION_NOT_ALLOWED` on
    /// `status`): its beds are free again and its application goes back to the waiting list.
    fn cancel_placement(CancelPlacement) -> Placement [access: STAFF];
    fn record_milestone(RecordMilestone) -> Placement [access: STAFF];
    fn list_follow_ups(ListFollowUps) -> Paged<FollowUp> [access: STAFF];
    /// Records a follow-up's outcome; before its due day it is `TRANSITION_NOT_ALLOWED`.
    fn record_follow_up(RecordFollowUp) -> FollowUp [access: STAFF];
}
