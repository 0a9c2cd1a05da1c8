//! The volunteers service's interface: the types that cross it and the operations it offers,
//! with who may call each. The same declaration serves the in-process call and the HTTP/JSON
//! transport.
//!
//! The types of each part live in their own module (`register`, and the parts added later);
//! every operation is declared in the one `service_interface!` below, grouped by part.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
pub use sportello_kernel::db::{Page, Paged};
use sportello_kernel::{Access, Role, TenantId, UserId, id_type, service_interface};

id_type!(
    /// An active citizen of the register (from their application on).
    VolunteerId
);

/// The roles that work the register, tasks, courses and pacts: administrators, coordinators and
/// operators of the tenant.
pub const STAFF: Access = Access::Roles(&[Role::TenantAdmin, Role::Coordinator, Role::Operator]);

/// The roles that decide on applications and suspensions (the role matrix, DESIGN.md §4):
/// tenant administrators and coordinators, not operators.
pub const REVIEWERS: Access = Access::Roles(&[Role::TenantAdmin, Role::Coordinator]);

/// How well a volunteer speaks a language: the Common European Framework of Reference levels
/// (Council of Europe, 2001/2020), or a native speaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LanguageLevel {
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
    Native,
}

/// A language a volunteer speaks: an ISO 639 code (as `sportello_kernel::iso::language` accepts)
/// and the level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpokenLanguage {
    pub code: String,
    pub level: LanguageLevel,
}

/// A weekly slot in the tenant's local time: `weekday` 1 (Monday) to 7 (Sunday), ISO 8601;
/// `from` before `to`, both local times of that day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklySlot {
    pub weekday: u8,
    pub from: NaiveTime,
    pub to: NaiveTime,
}

/// A local day that departs from the weekly slots: unavailable all day (`slots` empty), or
/// available only in the given slots (their `weekday` is ignored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateException {
    pub on: NaiveDate,
    pub slots: Vec<WeeklySlot>,
}

/// When a volunteer can act: weekly slots plus exceptions on given days, in the tenant's zone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub weekly: Vec<WeeklySlot>,
    pub exceptions: Vec<DateException>,
}

/// Where a volunteer stands in the register. An application is `Submitted`, taken
/// `UnderReview`, then made `Active` (the volunteer is invited to sign in), `Suspended` (and
/// back to `Active`) or `Withdrawn` (final).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VolunteerStatus {
    Submitted,
    UnderReview,
    Active,
    Suspended,
    Withdrawn,
}

impl VolunteerStatus {
    pub const ALL: [VolunteerStatus; 5] = [
        VolunteerStatus::Submitted,
        VolunteerStatus::UnderReview,
        VolunteerStatus::Active,
        VolunteerStatus::Suspended,
        VolunteerStatus::Withdrawn,
    ];

    /// The code stored and sent (`UNDER_REVIEW`).
    pub fn as_str(self) -> &'static str {
        match self {
            VolunteerStatus::Submitted => "SUBMITTED",
            VolunteerStatus::UnderReview => "UNDER_REVIEW",
            VolunteerStatus::Active => "ACTIVE",
            VolunteerStatus::Suspended => "SUSPENDED",
            VolunteerStatus::Withdrawn => "WITHDRAWN",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// How an application reached the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApplicationSource {
    /// The public form, without an account.
    PublicForm,
    /// Entered by a member of staff.
    Staff,
}

impl ApplicationSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationSource::PublicForm => "PUBLIC_FORM",
            ApplicationSource::Staff => "STAFF",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [ApplicationSource::PublicForm, ApplicationSource::Staff]
            .into_iter()
            .find(|s| s.as_str() == code)
    }
}

/// One step of a volunteer's status: who took it (`None` for the public form) and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: VolunteerStatus,
    pub by_user: Option<UserId>,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// An active citizen of the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volunteer {
    pub id: VolunteerId,
    pub given_names: String,
    pub family_names: String,
    pub email: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub languages: Vec<SpokenLanguage>,
    /// Skill codes of the tenant's taxonomy ([`Skill`]).
    pub skills: Vec<String>,
    /// ISTAT codes of the tenant's municipalities the volunteer acts in.
    pub territories: Vec<String>,
    pub availability: Availability,
    /// Whether the volunteer asks to work with minors; matching proposes them for a task that
    /// involves minors only when `minors_check_on` is set too.
    pub works_with_minors: bool,
    /// The local day staff saw the check required to work with minors (the certificate of the
    /// criminal record for work with minors, d.lgs. 39/2014 art. 2).
    pub minors_check_on: Option<NaiveDate>,
    pub status: VolunteerStatus,
    pub source: ApplicationSource,
    /// The volunteer's account, once they accepted the invitation sent on activation.
    pub user_id: Option<UserId>,
    /// The local day the code of conduct was signed.
    pub conduct_signed_on: Option<NaiveDate>,
    /// The local day consent to the processing of the volunteer's data was given.
    pub data_consent_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

/// What an application or a staff member gives about a volunteer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerInput {
    pub given_names: String,
    pub family_names: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub languages: Vec<SpokenLanguage>,
    pub skills: Vec<String>,
    pub territories: Vec<String>,
    pub availability: Availability,
    pub works_with_minors: bool,
}

/// A volunteer entered by staff (status `Submitted`, source `Staff`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddVolunteer {
    pub volunteer: VolunteerInput,
    pub conduct_signed_on: Option<NaiveDate>,
    pub data_consent_on: Option<NaiveDate>,
}

/// A step of the application workflow, taken at the version the reviewer saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetVolunteerStatus {
    pub id: VolunteerId,
    pub status: VolunteerStatus,
    pub note: Option<String>,
    pub expected_version: i32,
}

/// Filters of the register; all optional, combined with "and".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListVolunteers {
    pub status: Option<VolunteerStatus>,
    pub skill: Option<String>,
    /// An ISTAT code.
    pub territory: Option<String>,
    pub page: Page,
}

/// A skill of the tenant's taxonomy: a default (`label` `None`, translated by the console by its
/// code) or one the tenant added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    pub code: String,
    pub label: Option<String>,
    pub default: bool,
    pub retired: bool,
}

// ── Collaboration pacts ────────────────────────────────────────────────────────────────────

id_type!(
    /// A collaboration pact (patto di collaborazione).
    PactId
);

id_type!(
    /// An activity report of a collaboration pact.
    PactReportId
);

/// Who proposes a pact, as the municipal regulations on the administration of common goods
/// (Labsus model regulation, art. 2 "cittadini attivi") name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProposerKind {
    /// Volunteers of the register (at least one named in `proposer_volunteers`).
    Volunteers,
    Association,
    InformalGroup,
    SingleCitizen,
}

impl ProposerKind {
    pub const ALL: [ProposerKind; 4] = [
        ProposerKind::Volunteers,
        ProposerKind::Association,
        ProposerKind::InformalGroup,
        ProposerKind::SingleCitizen,
    ];

    /// The code stored and sent (`INFORMAL_GROUP`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProposerKind::Volunteers => "VOLUNTEERS",
            ProposerKind::Association => "ASSOCIATION",
            ProposerKind::InformalGroup => "INFORMAL_GROUP",
            ProposerKind::SingleCitizen => "SINGLE_CITIZEN",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// Whether the public list may show the proposer's name: an association's or a group's,
    /// never a person's (a single citizen, volunteers of the register).
    pub fn name_is_public(self) -> bool {
        matches!(
            self,
            ProposerKind::Association | ProposerKind::InformalGroup
        )
    }
}

/// The kind of common good a pact cares for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CommonGoodKind {
    Park,
    Garden,
    SchoolBuilding,
    Square,
    Building,
    Other,
}

impl CommonGoodKind {
    pub const ALL: [CommonGoodKind; 6] = [
        CommonGoodKind::Park,
        CommonGoodKind::Garden,
        CommonGoodKind::SchoolBuilding,
        CommonGoodKind::Square,
        CommonGoodKind::Building,
        CommonGoodKind::Other,
    ];

    /// The code stored and sent (`SCHOOL_BUILDING`).
    pub fn as_str(self) -> &'static str {
        match self {
            CommonGoodKind::Park => "PARK",
            CommonGoodKind::Garden => "GARDEN",
            CommonGoodKind::SchoolBuilding => "SCHOOL_BUILDING",
            CommonGoodKind::Square => "SQUARE",
            CommonGoodKind::Building => "BUILDING",
            CommonGoodKind::Other => "OTHER",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// What happens at the end of a pact's period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Renewal {
    /// The pact expires; it cannot be renewed.
    None,
    /// A new period of the same duration starts by itself at the end of each one, until the
    /// pact is ended.
    Tacit,
    /// Staff renew it (`RENEWED`) when the parties ask.
    OnRequest,
}

impl Renewal {
    pub const ALL: [Renewal; 3] = [Renewal::None, Renewal::Tacit, Renewal::OnRequest];

    /// The code stored and sent (`ON_REQUEST`).
    pub fn as_str(self) -> &'static str {
        match self {
            Renewal::None => "NONE",
            Renewal::Tacit => "TACIT",
            Renewal::OnRequest => "ON_REQUEST",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// Where a pact stands. `PROPOSED` → `UNDER_EVALUATION` → `SIGNED` → `ACTIVE` → `RENEWED` or
/// `ENDED`; a proposal rejected (or a signed pact that never starts) → `ENDED`. `EXPIRED` is
/// never set: it is how an `ACTIVE` or `RENEWED` pact reads from its end date on when its
/// renewal is not tacit (a tacit one reads `RENEWED`, in its current period).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PactStatus {
    Proposed,
    UnderEvaluation,
    Signed,
    Active,
    Expired,
    Renewed,
    Ended,
}

impl PactStatus {
    pub const ALL: [PactStatus; 7] = [
        PactStatus::Proposed,
        PactStatus::UnderEvaluation,
        PactStatus::Signed,
        PactStatus::Active,
        PactStatus::Expired,
        PactStatus::Renewed,
        PactStatus::Ended,
    ];

    /// The code stored and sent (`UNDER_EVALUATION`).
    pub fn as_str(self) -> &'static str {
        match self {
            PactStatus::Proposed => "PROPOSED",
            PactStatus::UnderEvaluation => "UNDER_EVALUATION",
            PactStatus::Signed => "SIGNED",
            PactStatus::Active => "ACTIVE",
            PactStatus::Expired => "EXPIRED",
            PactStatus::Renewed => "RENEWED",
            PactStatus::Ended => "ENDED",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// What staff give about a pact, to propose it or to change it before it is signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PactInput {
    pub proposer_kind: ProposerKind,
    /// The association's or group's name, or the citizen's (1–200 characters).
    pub proposer_name: String,
    /// Volunteers of the register who take part; at least one for `VOLUNTEERS`.
    pub proposer_volunteers: Vec<VolunteerId>,
    pub proposer_email: Option<String>,
    /// Stored in E.164.
    pub proposer_phone: Option<String>,
    /// The ISTAT code of the municipality, one of the tenant's territories.
    pub municipality: String,
    pub good_kind: CommonGoodKind,
    pub good_name: String,
    pub good_address: Option<String>,
    /// What the proposers will do (1–4000 characters).
    pub activities: String,
    /// What the municipality commits to (1–2000 characters).
    pub municipality_commitments: String,
    /// What the proposers commit to (1–2000 characters).
    pub proposer_commitments: String,
    /// The local day the first period starts.
    pub start_date: NaiveDate,
    /// 1 to 60.
    pub duration_months: u32,
    pub renewal: Renewal,
}

/// A collaboration pact, as it reads on the tenant's today (see [`PactStatus`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pact {
    pub id: PactId,
    pub proposer_kind: ProposerKind,
    pub proposer_name: String,
    pub proposer_volunteers: Vec<VolunteerId>,
    pub proposer_email: Option<String>,
    pub proposer_phone: Option<String>,
    pub municipality: String,
    pub good_kind: CommonGoodKind,
    pub good_name: String,
    pub good_address: Option<String>,
    pub activities: String,
    pub municipality_commitments: String,
    pub proposer_commitments: String,
    /// The local day the first period started (or starts).
    pub first_start_date: NaiveDate,
    /// The current period: from `start_date` (included) to `end_date` (excluded), local days;
    /// `end_date` is `start_date` plus `duration_months` on the calendar (31 January plus one
    /// month is the last day of February).
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub duration_months: u32,
    /// 1 for the first period, one more for each renewal (tacit ones included).
    pub period: u32,
    pub renewal: Renewal,
    pub status: PactStatus,
    /// The local day the pact was signed.
    pub signed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

/// A change of a pact's terms, allowed while it is `PROPOSED` or `UNDER_EVALUATION`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatePact {
    pub id: PactId,
    pub pact: PactInput,
    pub expected_version: i32,
}

/// A step of a pact's status, taken at the version staff saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetPactStatus {
    pub id: PactId,
    pub status: PactStatus,
    /// Required for `SIGNED`: the local day of signing, not after today. Ignored otherwise.
    pub signed_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub expected_version: i32,
}

/// One step of a pact's status: who took it and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PactStatusChange {
    pub status: PactStatus,
    pub by_user: Option<UserId>,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// Filters of the pacts; all optional, combined with "and". `status` is the status as it reads
/// today (an expired pact is found with `EXPIRED`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPacts {
    pub status: Option<PactStatus>,
    /// An ISTAT code.
    pub municipality: Option<String>,
    pub page: Page,
}

/// An activity report of a pact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddPactReport {
    pub pact_id: PactId,
    /// The local day the report is about: from the pact's first start to today.
    pub on: NaiveDate,
    /// 1–4000 characters.
    pub text: String,
    /// Time given, in minutes: 1 to 600 000 (10 000 hours).
    pub minutes: Option<u32>,
}

/// An activity report of a pact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PactReport {
    pub id: PactReportId,
    pub pact_id: PactId,
    pub on: NaiveDate,
    pub text: String,
    /// Time given, in minutes.
    pub minutes: Option<u32>,
    pub by_user: UserId,
    pub created_at: DateTime<Utc>,
}

/// The reports of one pact, newest first (in the order they were added).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPactReports {
    pub pact_id: PactId,
    pub page: Page,
}

/// The public list of a municipality's pacts in force, asked without an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPublicPacts {
    pub tenant_id: TenantId,
    pub istat_code: String,
    pub page: Page,
}

/// What anyone may read of a pact in force: no contact, no volunteer, and the proposer's name
/// only for an association or a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicPact {
    pub id: PactId,
    pub municipality: String,
    pub good_kind: CommonGoodKind,
    pub good_name: String,
    pub good_address: Option<String>,
    pub activities: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// `ACTIVE` or `RENEWED`.
    pub status: PactStatus,
    pub proposer_kind: ProposerKind,
    /// Only for `ASSOCIATION` and `INFORMAL_GROUP`.
    pub proposer_name: Option<String>,
}

service_interface! {
    service "volunteers";
    /// The register of active citizens, tasks and hours, training, collaboration pacts.
    trait Volunteers;
    client VolunteersClient;
    router volunteers_router;

    fn ready(()) -> () [public];

    // ── The register ───────────────────────────────────────────────────────────────────────
    /// Enters a volunteer on staff's word: status `SUBMITTED`, source `STAFF`.
    fn add_volunteer(AddVolunteer) -> Volunteer [access: STAFF];
    fn get_volunteer(VolunteerId) -> Volunteer [access: STAFF];
    /// Takes a step of the workflow (`VolunteerStatus`); a step it does not allow is
    /// `TRANSITION_NOT_ALLOWED`, a stale version `CONFLICT`. Administrators and coordinators.
    fn set_volunteer_status(SetVolunteerStatus) -> Volunteer [access: REVIEWERS];
    /// Every step of a volunteer's status, oldest first.
    fn volunteer_history(VolunteerId) -> Vec<StatusChange> [access: STAFF];
    /// The signed-in volunteer's own record (`NOT_FOUND` when the account is not an active
    /// volunteer's of this tenant).
    fn my_volunteer(()) -> Volunteer [roles: Volunteer];
    fn list_volunteers(ListVolunteers) -> Paged<Volunteer> [access: STAFF];
    /// The tenant's skills: the defaults and its own, retired ones included.
    fn list_skills(()) -> Vec<Skill> [member];

    // ── Tasks, delegations and hours ───────────────────────────────────────────────────────

    // ── Training ───────────────────────────────────────────────────────────────────────────

    // ── Collaboration pacts ────────────────────────────────────────────────────────────────
    /// Records a proposed pact (`PROPOSED`). Refusals are `INVALID_INPUT` naming the field.
    fn add_pact(PactInput) -> Pact [access: STAFF];
    /// Changes a pact's terms while `PROPOSED` or `UNDER_EVALUATION` (later:
    /// `TRANSITION_NOT_ALLOWED` on `status`); a stale version is `CONFLICT`.
    fn update_pact(UpdatePact) -> Pact [access: STAFF];
    fn get_pact(PactId) -> Pact [access: STAFF];
    fn list_pacts(ListPacts) -> Paged<Pact> [access: STAFF];
    /// Takes a step of a pact's status ([`PactStatus`]); a step it does not allow is
    /// `TRANSITION_NOT_ALLOWED` on `status`, a stale version `CONFLICT`.
    fn set_pact_status(SetPactStatus) -> Pact [access: STAFF];
    /// Every step of a pact's status, oldest first.
    fn pact_history(PactId) -> Vec<PactStatusChange> [access: STAFF];
    /// Adds an activity report to a pact that has been active.
    fn add_pact_report(AddPactReport) -> PactReport [access: STAFF];
    fn list_pact_reports(ListPactReports) -> Paged<PactReport> [access: STAFF];
    /// The pacts in force (`ACTIVE`, `RENEWED`) of a municipality of the given tenant, for
    /// anyone: see [`PublicPact`] for what is shown. A tenant id that names no tenant gives none.
    fn list_public_pacts(ListPublicPacts) -> Paged<PublicPact> [public];
}
