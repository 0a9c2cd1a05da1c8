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

/// Who can mediate in a language in a territory (`language_volunteers`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageVolunteers {
    /// ISO 639 code, as stored (`iso::language`).
    pub language: String,
    /// ISTAT code of the municipality.
    pub territory: String,
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
    /// The single-use token of the invitation to sign in with the role `VOLUNTEER`, only in the
    /// answer of the step that issued it (`set_volunteer_status` to `ACTIVE`,
    /// `invite_volunteer`); never stored here, never read back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation_token: Option<String>,
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

/// A change to an optional value of an update: keep it (the default), set it, or clear it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", tag = "op", content = "value")]
pub enum Patch<T> {
    #[default]
    Keep,
    Set(T),
    Clear,
}

impl<T> Patch<T> {
    /// The value after the change, from the current one.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Keep => current,
            Patch::Set(value) => Some(value),
            Patch::Clear => None,
        }
    }
}

/// Changes to what is known of a volunteer; absent fields stay as they are. The result is
/// checked like a new volunteer (an e-mail or a phone, skills of the taxonomy, the tenant's
/// municipalities), except that skills and territories the volunteer already has are kept even
/// when retired or removed since.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerPatch {
    pub given_names: Option<String>,
    pub family_names: Option<String>,
    #[serde(default)]
    pub email: Patch<String>,
    #[serde(default)]
    pub phone: Patch<String>,
    pub languages: Option<Vec<SpokenLanguage>>,
    pub skills: Option<Vec<String>>,
    pub territories: Option<Vec<String>>,
    pub availability: Option<Availability>,
    pub works_with_minors: Option<bool>,
}

/// A staff member's correction of a volunteer, at the version they saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateVolunteer {
    pub id: VolunteerId,
    pub volunteer: VolunteerPatch,
    /// The local day staff saw the check for working with minors (not after today).
    #[serde(default)]
    pub minors_check_on: Patch<NaiveDate>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

/// What a volunteer changes of their own record; absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateMyVolunteer {
    pub languages: Option<Vec<SpokenLanguage>>,
    pub skills: Option<Vec<String>>,
    pub availability: Option<Availability>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

/// An application from the public form, without an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerApplication {
    /// The tenant applied to; one that does not exist is `NOT_FOUND` on `tenantId`.
    pub tenant_id: TenantId,
    pub volunteer: VolunteerInput,
    /// Must be true (`INVALID_INPUT` on `codeOfConductAccepted`); recorded as the tenant's today.
    pub code_of_conduct_accepted: bool,
    /// Must be true (`INVALID_INPUT` on `dataProcessingConsent`); recorded as the tenant's today.
    pub data_processing_consent: bool,
    /// A field people never see (a honeypot): an application that fills it in is answered like
    /// any other and not stored.
    pub website: Option<String>,
}

/// What the public application form needs of a tenant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicVolunteerForm {
    pub tenant_name: String,
    /// The tenant's municipalities, by ISTAT code.
    pub territories: Vec<sportello_tenancy::PublicTerritory>,
    /// The skills an application may name (retired ones left out).
    pub skills: Vec<Skill>,
}

/// A skill the tenant adds to its taxonomy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddSkill {
    /// Upper-case letters, digits and `_`, 2 to 40 (given in any case); not a code the tenant
    /// already has (`CONFLICT`, `ALREADY_EXISTS`, on `code`).
    pub code: String,
    /// The tenant's wording, shown as it is.
    pub label: String,
}

/// Retires a skill (new input may no longer name it; volunteers who have it keep it) or
/// restores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetSkillRetired {
    pub code: String,
    pub retired: bool,
}

// ── Tasks, delegations and hours ───────────────────────────────────────────────────────────

id_type!(
    /// A task an operator or a desk asks a volunteer for.
    TaskId
);
id_type!(
    /// Time a volunteer logged on one day.
    HoursId
);
id_type!(
    /// A volunteer lent to a requesting body for a period.
    DelegationId
);

/// Where a task stands: `Open` (offered, nobody accepted yet) → `Assigned` (the first volunteer
/// who accepted) → `Done`; `Open` or `Assigned` → `Cancelled`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskStatus {
    Open,
    Assigned,
    Done,
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Open,
        TaskStatus::Assigned,
        TaskStatus::Done,
        TaskStatus::Cancelled,
    ];

    /// The code stored and sent (`ASSIGNED`).
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "OPEN",
            TaskStatus::Assigned => "ASSIGNED",
            TaskStatus::Done => "DONE",
            TaskStatus::Cancelled => "CANCELLED",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// A task: the kind of help (a skill), the language, where and when, and only what the operator
/// chose to share about the person served (data minimisation: a first name at most, and a note).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    /// A skill code of the tenant's taxonomy.
    pub skill: String,
    /// ISO 639 code of the language the person served speaks.
    pub language: String,
    /// ISTAT code of the tenant's municipality where the task takes place.
    pub territory: String,
    pub desk_id: Option<sportello_tenancy::DeskId>,
    pub place_id: Option<sportello_tenancy::PlaceId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Whether minors are involved: only volunteers with the minors check are proposed.
    pub involves_minors: bool,
    /// The person's first name, if the operator chose to share it.
    pub person_first_name: Option<String>,
    /// At most 500 characters the operator chose to share.
    pub shared_note: Option<String>,
    pub status: TaskStatus,
    /// The volunteer who accepted it; shown to a volunteer only when it is them.
    pub volunteer_id: Option<VolunteerId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Raised by one on every change.
    pub version: i32,
}

/// A request for help. `starts_at` in the future (at most two years ahead), `ends_at` after it
/// and at most 24 hours later; `desk_id` and `place_id` of the tenant (a place of that desk
/// when both are given).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestTask {
    pub skill: String,
    pub language: String,
    pub territory: String,
    pub desk_id: Option<sportello_tenancy::DeskId>,
    pub place_id: Option<sportello_tenancy::PlaceId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub involves_minors: bool,
    pub person_first_name: Option<String>,
    pub shared_note: Option<String>,
}

/// The tenant's tasks, optionally of one status, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListTasks {
    pub status: Option<TaskStatus>,
    /// Only the tasks this volunteer accepted.
    pub volunteer_id: Option<VolunteerId>,
    pub page: Page,
}

/// Closes a task (`Done` from `Assigned`, `Cancelled` from `Open` or `Assigned`) at the version
/// staff saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetTaskStatus {
    pub id: TaskId,
    pub status: TaskStatus,
    pub expected_version: i32,
}

/// The volunteers to propose for a task: at most `first` (1 to 100; 0 means 20).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskMatches {
    pub task_id: TaskId,
    pub first: u32,
}

/// Why a volunteer is proposed: each reason that holds, with its figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MatchReason {
    /// Has the task's skill.
    Skill,
    /// Acts in the task's municipality.
    Territory,
    /// Speaks the task's language at `level`.
    Language { level: LanguageLevel },
    /// A weekly slot (or the day's exception) covers the whole task window, local time.
    Available,
    /// The task involves minors and the volunteer's check was seen.
    MinorsCheck,
    /// Open offers and assigned tasks in the four weeks from now.
    Load { tasks: u32 },
}

/// A volunteer proposed for a task, best first: `score` orders them (availability first, then
/// language level, then the lighter load), `reasons` say why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskMatch {
    pub volunteer: Volunteer,
    pub score: i32,
    pub reasons: Vec<MatchReason>,
}

/// Offers a task to volunteers (each active, and checked for minors when the task involves
/// them). Offering again to someone already offered changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferTask {
    pub task_id: TaskId,
    pub volunteer_ids: Vec<VolunteerId>,
}

/// A volunteer's answer to an offer: `Offered` (no answer yet), `Accepted`, `Declined`, or
/// `Closed` (another volunteer took the task, it was cancelled, or the volunteer was suspended
/// or withdrawn: staff may offer it again).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OfferStatus {
    Offered,
    Accepted,
    Declined,
    Closed,
}

impl OfferStatus {
    pub const ALL: [OfferStatus; 4] = [
        OfferStatus::Offered,
        OfferStatus::Accepted,
        OfferStatus::Declined,
        OfferStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfferStatus::Offered => "OFFERED",
            OfferStatus::Accepted => "ACCEPTED",
            OfferStatus::Declined => "DECLINED",
            OfferStatus::Closed => "CLOSED",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// One offer of a task to a volunteer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskOffer {
    pub task_id: TaskId,
    pub volunteer_id: VolunteerId,
    pub status: OfferStatus,
    pub offered_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// A task as the volunteer it was offered to sees it, with their offer. `offer_id` is the
/// cursor of `my_tasks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTask {
    pub offer_id: uuid::Uuid,
    pub task: Task,
    pub offer: OfferStatus,
}

/// Where logged hours stand: `Pending` until staff approve or reject them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HoursStatus {
    Pending,
    Approved,
    Rejected,
}

impl HoursStatus {
    pub const ALL: [HoursStatus; 3] = [
        HoursStatus::Pending,
        HoursStatus::Approved,
        HoursStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HoursStatus::Pending => "PENDING",
            HoursStatus::Approved => "APPROVED",
            HoursStatus::Rejected => "REJECTED",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// Time a volunteer gave on one local day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursEntry {
    pub id: HoursId,
    pub volunteer_id: VolunteerId,
    /// The task the time was for, if any (one assigned to the volunteer).
    pub task_id: Option<TaskId>,
    /// What that task was and when it started, to name it (read with the hours).
    pub task: Option<TaskBrief>,
    /// The local day, tenant's zone.
    pub on: NaiveDate,
    /// 1 to 1440.
    pub minutes: u32,
    pub note: Option<String>,
    pub status: HoursStatus,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

/// A task as hours name it: its skill code and start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskBrief {
    pub skill: String,
    pub starts_at: DateTime<Utc>,
}

/// Time the signed-in volunteer logs for themself: `on` a local day not after today, `minutes`
/// 1 to 1440, `note` at most 500 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogHours {
    pub task_id: Option<TaskId>,
    pub on: NaiveDate,
    pub minutes: u32,
    pub note: Option<String>,
}

/// Approves or rejects pending hours at the version staff saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideHours {
    pub id: HoursId,
    pub expected_version: i32,
}

/// Logged hours of the tenant, newest first, optionally of one status or one volunteer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListHours {
    pub status: Option<HoursStatus>,
    pub volunteer_id: Option<VolunteerId>,
    pub page: Page,
}

/// A volunteer lent to a requesting body (an association, a school, another public body) from
/// one local day to another, both included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    pub id: DelegationId,
    pub volunteer_id: VolunteerId,
    pub body: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub note: Option<String>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

/// Lends a volunteer: `body` 1 to 200 characters, `from` not after `to`, `note` at most 500.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddDelegation {
    pub volunteer_id: VolunteerId,
    pub body: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub note: Option<String>,
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
    /// When the pact was renewed on request before `end_date`: the end (excluded) of the next
    /// period, which starts at `end_date` and becomes the current one then.
    pub renewed_until: Option<NaiveDate>,
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
    /// The end of the next period when the pact is renewed ahead (see [`Pact::renewed_until`]).
    pub renewed_until: Option<NaiveDate>,
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
    /// The accounts of the active volunteers who can mediate in `language`: the skill
    /// `LANGUAGE_SUPPORT`, the language at B1 or above, acting in `territory`, signed in at least
    /// once (their record linked to their account). For the cases service's matching of
    /// mediation requests; no user reaches it.
    fn language_volunteers(LanguageVolunteers) -> Vec<UserId> [access: Access::Internal];
    fn list_volunteers(ListVolunteers) -> Paged<Volunteer> [access: STAFF];
    /// The tenant's skills: the defaults and its own, retired ones included.
    fn list_skills(()) -> Vec<Skill> [member];
    /// Corrects a volunteer (`UpdateVolunteer`); a stale version is `CONFLICT`.
    fn update_volunteer(UpdateVolunteer) -> Volunteer [access: STAFF];
    /// The signed-in volunteer changes their own languages, skills and availability.
    fn update_my_volunteer(UpdateMyVolunteer) -> Volunteer [roles: Volunteer];
    /// An application from the public form: status `SUBMITTED`, source `PUBLIC_FORM`. The answer
    /// is the same whether the application was stored or not (honeypot filled, e-mail already
    /// in the register), so it tells nothing about the register.
    fn submit_volunteer_application(VolunteerApplication) -> () [public];
    /// What the public form of a tenant needs (`NOT_FOUND` on `tenantId` for none).
    fn public_volunteer_form(TenantId) -> PublicVolunteerForm [public];
    /// Issues a new invitation to an active volunteer with an e-mail and no account yet (the
    /// one sent on activation expired or was lost); the token is in the answer (none when the
    /// address already belongs to a member of the tenant, who is not invited). Otherwise
    /// `TRANSITION_NOT_ALLOWED` on `status` (not active) or `REQUIRED` on `email`.
    fn invite_volunteer(VolunteerId) -> Volunteer [access: REVIEWERS];
    /// Adds a skill to the tenant's taxonomy.
    fn add_skill(AddSkill) -> Skill [access: REVIEWERS];
    /// Retires or restores a skill of the taxonomy (`NOT_FOUND` on `code` for none).
    fn set_skill_retired(SetSkillRetired) -> Skill [access: REVIEWERS];

    // ── Tasks, delegations and hours ───────────────────────────────────────────────────────
    /// Asks for help (`OPEN`). Refusals are `INVALID_INPUT` naming the field (`skill`,
    /// `language`, `territory`, `deskId`, `placeId`, `startsAt`, `endsAt`, `personFirstName`,
    /// `sharedNote`).
    fn request_task(RequestTask) -> Task [access: STAFF];
    fn get_task(TaskId) -> Task [access: STAFF];
    fn list_tasks(ListTasks) -> Paged<Task> [access: STAFF];
    /// `DONE` or `CANCELLED`; another step is `TRANSITION_NOT_ALLOWED`, a stale version
    /// `CONFLICT`. Cancelling closes the open offers.
    fn set_task_status(SetTaskStatus) -> Task [access: STAFF];
    /// Active volunteers with the task's skill, territory and language (and the minors check
    /// when the task involves minors), never one who declined it, best first with reasons.
    fn task_matches(TaskMatches) -> Vec<TaskMatch> [access: STAFF];
    /// Offers an open task to volunteers; returns every offer of the task.
    fn offer_task(OfferTask) -> Vec<TaskOffer> [access: STAFF];
    /// Every offer of a task, oldest first.
    fn task_offers(TaskId) -> Vec<TaskOffer> [access: STAFF];
    /// The signed-in volunteer accepts a task offered to them. The first acceptance wins: a
    /// later one is `TASK_TAKEN`; a task not offered to them is `NOT_FOUND`.
    fn accept_task(TaskId) -> MyTask [roles: Volunteer];
    /// The signed-in volunteer declines a task offered to them.
    fn decline_task(TaskId) -> MyTask [roles: Volunteer];
    /// The tasks offered to the signed-in volunteer, with their answer, oldest offer first.
    fn my_tasks(Page) -> Paged<MyTask> [roles: Volunteer];
    /// The signed-in volunteer logs time for themself (`PENDING`).
    fn log_hours(LogHours) -> HoursEntry [roles: Volunteer];
    /// The signed-in volunteer's own hours, newest first.
    fn my_hours(Page) -> Paged<HoursEntry> [roles: Volunteer];
    fn list_hours(ListHours) -> Paged<HoursEntry> [access: STAFF];
    /// `PENDING` → `APPROVED`; otherwise `TRANSITION_NOT_ALLOWED`.
    fn approve_hours(DecideHours) -> HoursEntry [access: STAFF];
    /// `PENDING` → `REJECTED`; otherwise `TRANSITION_NOT_ALLOWED`.
    fn reject_hours(DecideHours) -> HoursEntry [access: STAFF];
    fn add_delegation(AddDelegation) -> Delegation [access: STAFF];
    /// A volunteer's delegations, oldest first (`NOT_FOUND` for an unknown volunteer).
    fn list_delegations(VolunteerId) -> Vec<Delegation> [access: STAFF];

    // ── Training ───────────────────────────────────────────────────────────────────────────
    /// A course or a co-design workshop. Refusals are `INVALID_INPUT` naming the field.
    fn create_course(CourseInput) -> Course [access: STAFF];
    /// Changes a course at the version the caller saw (stale: `CONFLICT`); a larger capacity
    /// moves the first waiting participants in.
    fn update_course(UpdateCourse) -> Course [access: STAFF];
    fn get_course(CourseId) -> Course [access: STAFF];
    fn list_courses(ListCourses) -> Paged<Course> [access: STAFF];
    /// Adds a session to a course (`NOT_FOUND` for a course the tenant has not).
    fn add_session(AddSession) -> CourseSession [access: STAFF];
    /// A course's sessions, earliest first (cancelled ones too, marked).
    fn list_sessions(CourseId) -> Vec<CourseSession> [access: STAFF];
    /// Changes a session's times, place or online address at the version the caller saw
    /// (stale: `CONFLICT`). A cancelled session is `SESSION_CANCELLED`; a held one cannot start
    /// in the future. Refusals are `INVALID_INPUT` naming the field.
    fn update_session(UpdateSession) -> CourseSession [access: STAFF];
    /// Cancels a session with a reason (final). A session whose attendance was recorded is
    /// `SESSION_HELD`, one cancelled already `ALREADY_CANCELLED`, a stale version `CONFLICT`.
    fn cancel_session(CancelSession) -> CourseSession [access: STAFF];
    /// The tenant's sessions starting on the local days `from`..=`to` (at most
    /// [`MAX_CALENDAR_DAYS`]), with their courses, by start.
    fn sessions_between(SessionsBetween) -> Vec<DatedSession> [access: STAFF];
    /// Enrols a volunteer of the register or a named person; beyond capacity on the waiting list.
    fn enrol(Enrol) -> Enrolment [access: STAFF];
    /// The signed-in volunteer enrols in a course for volunteers.
    fn enrol_me(CourseId) -> Enrolment [roles: Volunteer];
    /// Withdraws an enrolment; the first waiting participant takes a freed place.
    fn withdraw_enrolment(EnrolmentId) -> Enrolment [access: STAFF];
    fn get_enrolment(EnrolmentId) -> Enrolment [access: STAFF];
    /// A course's enrolments, in the order they were made.
    fn list_enrolments(ListEnrolments) -> Paged<Enrolment> [access: STAFF];
    /// Records the attendance sheet of one session, replacing any recorded before.
    fn record_attendance(AttendanceSheet) -> Vec<Attendance> [access: STAFF];
    /// The attendance recorded for one session.
    fn session_attendance(CourseSessionId) -> Vec<Attendance> [access: STAFF];
    /// Issues the certificate of attendance of a completed enrolment (once).
    fn issue_certificate(EnrolmentId) -> Certificate [access: STAFF];
    /// A certificate: staff read any of the tenant's, a volunteer only their own.
    fn get_certificate(CertificateId) -> Certificate [access: CERTIFICATE_READERS];
    /// The courses for volunteers the signed-in volunteer may enrol in, with their sessions
    /// (nothing about other participants).
    fn open_courses(()) -> Vec<OpenCourse> [roles: Volunteer];
    /// The signed-in volunteer's own enrolments with their courses and sessions.
    fn my_courses(()) -> Vec<MyCourse> [roles: Volunteer];
    /// The signed-in volunteer's own certificates.
    fn my_certificates(()) -> Vec<Certificate> [roles: Volunteer];
    /// The public check of a certificate's verification code: the same shape for a real code
    /// and for any other text (`valid` false, nothing else).
    fn verify_certificate(String) -> CertificateCheck [public];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_keeps_sets_or_clears_and_survives_the_wire() {
        assert_eq!(Patch::Keep.apply(Some(1)), Some(1));
        assert_eq!(Patch::Set(2).apply(Some(1)), Some(2));
        assert_eq!(Patch::<i32>::Clear.apply(Some(1)), None);
        for patch in [Patch::Keep, Patch::Set("x".to_owned()), Patch::Clear] {
            let wire = serde_json::to_string(&patch).expect("json");
            let back: Patch<String> = serde_json::from_str(&wire).expect("back");
            assert_eq!(back, patch, "{wire}");
        }
        let absent: UpdateVolunteer = serde_json::from_value(serde_json::json!({
            "id": VolunteerId::new(),
            "volunteer": {},
            "expected_version": 1,
        }))
        .expect("absent patches");
        assert_eq!(absent.minors_check_on, Patch::Keep);
        assert_eq!(absent.volunteer.email, Patch::Keep);
    }
}
// ── Training ─────────────────────────────────────────────────────────────────────────────────

id_type!(
    /// A training course or co-design workshop.
    CourseId
);
id_type!(
    /// One session of a course.
    CourseSessionId
);
id_type!(
    /// A participant's enrolment in a course.
    EnrolmentId
);
id_type!(
    /// A certificate of attendance.
    CertificateId
);

/// Who may read a certificate: staff (any of the tenant's) and volunteers (their own only, a
/// rule the service applies to the data).
pub const CERTIFICATE_READERS: Access = Access::Roles(&[
    Role::TenantAdmin,
    Role::Coordinator,
    Role::Operator,
    Role::Volunteer,
]);

/// What a course is: a training course, or a co-design workshop (laboratorio di co-progettazione).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CourseKind {
    Course,
    Workshop,
}

impl CourseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CourseKind::Course => "COURSE",
            CourseKind::Workshop => "WORKSHOP",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [CourseKind::Course, CourseKind::Workshop]
            .into_iter()
            .find(|k| k.as_str() == code)
    }
}

/// Whom a course is for: public and third-sector operators, volunteers of the register, or
/// citizens. Volunteers enrol themselves only in courses for volunteers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Audience {
    Operators,
    Volunteers,
    Citizens,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Operators => "OPERATORS",
            Audience::Volunteers => "VOLUNTEERS",
            Audience::Citizens => "CITIZENS",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Audience::Operators,
            Audience::Volunteers,
            Audience::Citizens,
        ]
        .into_iter()
        .find(|a| a.as_str() == code)
    }
}

/// The completion rule when a course names none: at least 75% of the sessions held attended.
pub const DEFAULT_MIN_ATTENDANCE_PERCENT: u32 = 75;

/// A course or workshop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub id: CourseId,
    pub kind: CourseKind,
    pub title: String,
    pub audience: Audience,
    /// The planned length of the whole course, in minutes (the certificate counts the minutes
    /// of the sessions attended).
    pub planned_minutes: u32,
    pub trainer: String,
    /// Places; enrolments beyond it wait.
    pub capacity: u32,
    /// The completion rule: sessions attended over sessions held, in percent (1–100).
    pub min_attendance_percent: u32,
    /// Participants holding a place now.
    pub enrolled: u32,
    /// Participants on the waiting list now.
    pub waiting: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// What is given about a course. `min_attendance_percent` defaults to
/// [`DEFAULT_MIN_ATTENDANCE_PERCENT`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseInput {
    pub kind: CourseKind,
    /// 1–200 characters.
    pub title: String,
    pub audience: Audience,
    /// Minutes, 1–60000.
    pub planned_minutes: u32,
    /// The trainer's name, 1–200 characters.
    pub trainer: String,
    /// 1–10000 places.
    pub capacity: u32,
    pub min_attendance_percent: Option<u32>,
}

/// A change of a course at the version the caller saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateCourse {
    pub id: CourseId,
    pub course: CourseInput,
    pub expected_version: i32,
}

/// Filters of the courses; all optional, combined with "and".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListCourses {
    pub kind: Option<CourseKind>,
    pub audience: Option<Audience>,
    pub page: Page,
}

/// One session of a course: two instants (the console shows them in the tenant's zone), a
/// place, an online address, or both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseSession {
    pub id: CourseSessionId,
    pub course_id: CourseId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub online_url: Option<String>,
    /// Whether its attendance sheet was recorded (the session counts as held).
    pub held: bool,
    /// Raised by one on every change; a change names the version it was based on.
    pub version: i32,
    /// When it was cancelled (final): a cancelled session takes no attendance and does not
    /// count in the completion rule.
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
}

/// A change of a session at the version the caller saw: the same rules as [`AddSession`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateSession {
    pub id: CourseSessionId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub expected_version: i32,
}

/// The cancellation of a session, with its reason (1–500 characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelSession {
    pub id: CourseSessionId,
    pub reason: String,
    pub expected_version: i32,
}

/// The longest range of days of the sessions' calendar.
pub const MAX_CALENDAR_DAYS: i64 = 92;

/// Local days of the tenant, both included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionsBetween {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A session with its course, for the calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedSession {
    pub course: Course,
    pub session: CourseSession,
}

/// A course open to the signed-in volunteer, with its sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCourse {
    pub course: Course,
    pub sessions: Vec<CourseSession>,
}

/// A new session. `ends_at` after `starts_at`, at most 12 hours later; both from 2000 to two
/// years ahead. A place or an online address (`https://…`) is required.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddSession {
    pub course_id: CourseId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub online_url: Option<String>,
}

/// Where an enrolment stands: holding a place, waiting for one, or withdrawn (final).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EnrolmentStatus {
    Enrolled,
    Waiting,
    Withdrawn,
}

impl EnrolmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::Enrolled => "ENROLLED",
            EnrolmentStatus::Waiting => "WAITING",
            EnrolmentStatus::Withdrawn => "WITHDRAWN",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            EnrolmentStatus::Enrolled,
            EnrolmentStatus::Waiting,
            EnrolmentStatus::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.as_str() == code)
    }
}

/// Who takes part in a course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Participant {
    /// A volunteer of the register (their names are taken from it).
    Volunteer(VolunteerId),
    /// A named person without a record in the register: an operator, a citizen.
    Person {
        /// 1–200 characters.
        name: String,
        email: Option<String>,
    },
}

/// An enrolment by staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrol {
    pub course_id: CourseId,
    pub participant: Participant,
}

/// A participant's enrolment, with their attendance so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub id: EnrolmentId,
    pub course_id: CourseId,
    pub volunteer_id: Option<VolunteerId>,
    pub participant_name: String,
    pub participant_email: Option<String>,
    pub status: EnrolmentStatus,
    /// 1 for the first on the waiting list; `None` unless waiting.
    pub waiting_position: Option<u32>,
    /// Sessions of the course whose attendance was recorded.
    pub sessions_held: u32,
    /// Sessions held at which the participant was present.
    pub sessions_attended: u32,
    /// Minutes of the sessions attended.
    pub minutes_attended: u32,
    /// Every session of the course held, and attended over held at least the course's rule.
    pub completed: bool,
    pub certificate_id: Option<CertificateId>,
    pub created_at: DateTime<Utc>,
}

/// Filters of a course's enrolments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEnrolments {
    pub course_id: CourseId,
    pub status: Option<EnrolmentStatus>,
    pub page: Page,
}

/// One line of an attendance sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceEntry {
    pub enrolment_id: EnrolmentId,
    pub present: bool,
}

/// The attendance sheet of one session: a line per enrolled participant (participants left out
/// are recorded absent). Replaces the session's sheet recorded before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSheet {
    pub session_id: CourseSessionId,
    pub entries: Vec<AttendanceEntry>,
}

/// Whether one participant was present at one session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub session_id: CourseSessionId,
    pub enrolment_id: EnrolmentId,
    pub present: bool,
    pub recorded_at: DateTime<Utc>,
}

/// A certificate of attendance: what it certified, as it was when issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub id: CertificateId,
    pub enrolment_id: EnrolmentId,
    pub participant_name: String,
    pub course_title: String,
    pub course_kind: CourseKind,
    pub minutes_attended: u32,
    pub sessions_attended: u32,
    pub sessions_held: u32,
    /// Local days of the first and the last session held.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// The local day of issue.
    pub issued_on: NaiveDate,
    pub issued_at: DateTime<Utc>,
    /// The verification code (`<tenant>-<secret>`, Crockford base32), derived again on every
    /// read from the tenant's key: the store keeps only its SHA-256.
    pub code: String,
}

/// A volunteer's own enrolment, with its course and the course's sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCourse {
    pub course: Course,
    pub enrolment: Enrolment,
    pub sessions: Vec<CourseSession>,
}

/// The answer of the public check of a verification code: for an unknown or forged code only
/// `valid: false`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateCheck {
    pub valid: bool,
    /// The issuing organisation: the tenant's name (the consortium or municipality).
    pub issued_by: Option<String>,
    pub participant_name: Option<String>,
    pub course_title: Option<String>,
    pub minutes_attended: Option<u32>,
    pub issued_on: Option<NaiveDate>,
}
