//! The cases service's interface: the types that cross it and its operations.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
pub use sportello_kernel::db::{Page, Paged};
use sportello_kernel::{Access, Error, Role, UserId, id_type, service_interface};
use sportello_tenancy::{DeskId, ServiceId};

id_type!(
    /// A person served.
    PersonId
);
id_type!(
    /// A "presa in carico": a person's path from intake to closure.
    CaseId
);
id_type!(
    /// One meeting or contact ("colloquio").
    EncounterId
);
id_type!(
    /// A coded need, expressed or detected.
    NeedId
);
id_type!(
    /// Something done for the person.
    InterventionId
);
id_type!(
    /// One consent decision, kept as history.
    ConsentId
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Sex {
    Female,
    Male,
    /// Neither, or registered differently abroad.
    Other,
}

/// A birth date as known: often only the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BirthDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// A language the person speaks, ISO 639 with a level (CEFR A1–C2, or NATIVE).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageSkill {
    pub code: String,
    pub level: String,
}

/// Residence permit details: a protected field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalStatus {
    pub permit_type: String,
    pub permit_number: Option<String>,
    pub expiry: Option<NaiveDate>,
}

/// What an operator records about a person. Everything but the names and the territory is optional.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PersonInput {
    /// Given names as the person writes them, in any script.
    pub given_names: String,
    pub family_names: String,
    /// Latin transliteration; derived from the names when absent.
    pub latin_given_names: Option<String>,
    pub latin_family_names: Option<String>,
    pub birth: Option<BirthDate>,
    pub sex: Option<Sex>,
    pub gender: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_of_birth: Option<String>,
    pub citizenships: Vec<String>,
    pub languages: Vec<LanguageSkill>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub codice_fiscale: Option<String>,
    pub legal_status: Option<LegalStatus>,
    /// ISTAT code of the territory the person is followed in.
    pub territory_code: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub given_names: String,
    pub family_names: String,
    pub latin_given_names: String,
    pub latin_family_names: String,
    pub birth: Option<BirthDate>,
    pub sex: Option<Sex>,
    pub gender: Option<String>,
    pub country_of_birth: Option<String>,
    pub citizenships: Vec<String>,
    pub languages: Vec<LanguageSkill>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub codice_fiscale: Option<String>,
    pub legal_status: Option<LegalStatus>,
    pub territory_code: String,
    pub household_id: Option<HouseholdId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
    /// What the record was accepted with but deserves a look (never a refusal).
    pub warnings: Vec<PersonWarning>,
}

/// Something accepted on a person's record that an operator should look at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonWarning {
    pub code: PersonWarningCode,
    /// The input field it is about (`codiceFiscale`).
    pub field: String,
    /// For [`PersonWarningCode::PossiblySamePerson`]: the other person, one the actor may see.
    pub person_id: Option<PersonId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PersonWarningCode {
    /// The codice fiscale encodes the other sex than the record's.
    CodiceFiscaleSex,
    /// The codice fiscale encodes another birth date than the record's (year, month or day).
    CodiceFiscaleBirthDate,
    /// The codice fiscale's birthplace is in another country than the record's country of
    /// birth (a municipality is Italy).
    CodiceFiscaleBirthplace,
    /// Another person's codice fiscale is the same once omocodia letters are mapped back: the
    /// two may be one person registered twice, or two people the Agenzia delle Entrate told
    /// apart (omocodia). Never a refusal.
    PossiblySamePerson,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdatePerson {
    pub id: PersonId,
    pub input: PersonInput,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

/// Names to look for among existing persons before creating one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FindDuplicates {
    pub given_names: String,
    pub family_names: String,
    /// How many matches at most: 10 when absent, between 1 and 50.
    pub limit: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonMatch {
    pub person: Person,
    /// 0–1; 1 is the same name.
    pub score: f64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListPersons {
    pub page: Page,
    pub territory_code: Option<String>,
    /// Persons with this codice fiscale in either form: as issued or with omocodia letters
    /// mapped back (a provisional code as it is). A code that is not one is `INVALID_INPUT`.
    pub codice_fiscale: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsentPurpose {
    CaseManagement,
    ReferralSharing,
    AnonymisedStatistics,
    ContactByMessage,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordConsent {
    pub person_id: PersonId,
    pub purpose: ConsentPurpose,
    pub given: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: ConsentId,
    pub person_id: PersonId,
    pub purpose: ConsentPurpose,
    pub given: bool,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: UserId,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaseStatus {
    Intake,
    Active,
    Monitoring,
    Closed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub person_id: PersonId,
    pub status: CaseStatus,
    pub outcome: Option<String>,
    pub territory_code: String,
    pub desk_id: Option<DeskId>,
    pub primary_operator: UserId,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub reopen_reason: Option<String>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OpenCase {
    pub person_id: PersonId,
    /// Defaults to the person's territory.
    pub territory_code: Option<String>,
    pub desk_id: Option<DeskId>,
}

/// Moves a case along intake → active ⇄ monitoring → closed, or reopens a closed one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangeCaseStatus {
    pub id: CaseId,
    pub to: CaseStatus,
    /// Required when closing: an outcome code.
    pub outcome: Option<String>,
    /// Required when reopening.
    pub reason: Option<String>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListCases {
    pub page: Page,
    pub status: Option<CaseStatus>,
    pub territory_code: Option<String>,
    pub primary_operator: Option<UserId>,
    pub need_code: Option<NeedCode>,
    pub opened_from: Option<DateTime<Utc>>,
    pub opened_to: Option<DateTime<Utc>>,
    #[serde(default)]
    pub person_id: Option<PersonId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Channel {
    Desk,
    Phone,
    Outreach,
    Online,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddEncounter {
    pub case_id: CaseId,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub language: Option<String>,
    pub mediator_present: bool,
    pub duration_minutes: Option<u32>,
    /// Protected free text.
    pub notes: Option<String>,
}

/// Corrections to an encounter; absent fields stay as they are.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateEncounter {
    pub id: EncounterId,
    pub occurred_at: Option<DateTime<Utc>>,
    pub channel: Option<Channel>,
    pub language: Option<String>,
    pub mediator_present: Option<bool>,
    pub duration_minutes: Option<u32>,
    pub notes: Option<String>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

/// Corrections to an intervention; absent fields stay as they are.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateIntervention {
    pub id: InterventionId,
    pub outcome: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encounter {
    pub id: EncounterId,
    pub case_id: CaseId,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub language: Option<String>,
    pub mediator_present: bool,
    pub duration_minutes: Option<u32>,
    pub notes: Option<String>,
    pub created_by: UserId,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedCode {
    DocumentsLegal,
    Housing,
    Work,
    Health,
    School,
    ItalianLanguage,
    Family,
    Welfare,
    DigitalSkills,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedSource {
    /// Expressed by the person.
    Expressed,
    /// Detected by the operator.
    Detected,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedStatus {
    Open,
    Addressed,
    Unresolved,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordNeed {
    pub case_id: CaseId,
    pub code: NeedCode,
    pub source: NeedSource,
    pub encounter_id: Option<EncounterId>,
    /// One of the tenant's own need types within `code`'s category.
    #[serde(default)]
    pub type_code: Option<String>,
}

id_type!(
    /// A tenant's own need type.
    NeedTypeId
);

/// A tenant's own need type: a finer kind of need within one category of the common taxonomy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedType {
    pub id: NeedTypeId,
    /// Lower-case letters, digits and underscores, unique in the tenant.
    pub code: String,
    pub label: String,
    pub category: NeedCode,
    /// Retired types stay on the needs that used them and cannot be chosen any more.
    pub retired: bool,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateNeedType {
    pub code: String,
    pub label: String,
    pub category: NeedCode,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateNeedType {
    pub id: NeedTypeId,
    pub label: Option<String>,
    pub retired: Option<bool>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangeNeedStatus {
    pub id: NeedId,
    pub status: NeedStatus,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub id: NeedId,
    pub case_id: CaseId,
    pub code: NeedCode,
    pub source: NeedSource,
    pub status: NeedStatus,
    pub encounter_id: Option<EncounterId>,
    pub noted_at: DateTime<Utc>,
    pub type_code: Option<String>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InterventionKind {
    Orientation,
    Accompaniment,
    Mediation,
    LegalAdvice,
    DocumentAssistance,
    Information,
    Referral,
    Other,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordIntervention {
    pub case_id: CaseId,
    pub kind: InterventionKind,
    pub need_ids: Vec<NeedId>,
    pub outcome: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intervention {
    pub id: InterventionId,
    pub case_id: CaseId,
    pub kind: InterventionKind,
    pub need_ids: Vec<NeedId>,
    pub outcome: Option<String>,
    pub done_at: DateTime<Utc>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

id_type!(
    /// A referral of a case to a service of the directory.
    ReferralId
);
id_type!(
    /// A goal of a personalised autonomy plan.
    GoalId
);
id_type!(
    /// A step towards a goal.
    StepId
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReferralStatus {
    Sent,
    Accepted,
    Rejected,
    Completed,
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub id: ReferralId,
    pub case_id: CaseId,
    pub service_id: ServiceId,
    pub need_ids: Vec<NeedId>,
    pub status: ReferralStatus,
    /// Set when a coordinator sent it without the person's sharing consent.
    pub override_reason: Option<String>,
    pub feedback: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SendReferral {
    pub case_id: CaseId,
    pub service_id: ServiceId,
    pub need_ids: Vec<NeedId>,
    /// Coordinators only: why the referral goes ahead without sharing consent.
    pub override_reason: Option<String>,
}

/// Sent → accepted or rejected; accepted → completed or failed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangeReferralStatus {
    pub id: ReferralId,
    pub to: ReferralStatus,
    pub feedback: Option<String>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GoalStatus {
    Open,
    Achieved,
    Dropped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StepOwner {
    Operator,
    Person,
    Volunteer,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StepStatus {
    Todo,
    Done,
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStep {
    pub id: StepId,
    pub goal_id: GoalId,
    pub title: String,
    pub owner: StepOwner,
    pub due_on: Option<NaiveDate>,
    pub status: StepStatus,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanGoal {
    pub id: GoalId,
    pub case_id: CaseId,
    pub title: String,
    pub need_ids: Vec<NeedId>,
    pub status: GoalStatus,
    pub review_on: Option<NaiveDate>,
    pub steps: Vec<PlanStep>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddGoal {
    pub case_id: CaseId,
    pub title: String,
    pub need_ids: Vec<NeedId>,
    pub review_on: Option<NaiveDate>,
}

/// Changes to a goal; absent fields stay as they are.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateGoal {
    pub id: GoalId,
    pub status: Option<GoalStatus>,
    pub review_on: Option<NaiveDate>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddStep {
    pub goal_id: GoalId,
    pub title: String,
    pub owner: StepOwner,
    pub due_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangeStepStatus {
    pub id: StepId,
    pub status: StepStatus,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

id_type!(
    /// A booked slot at a desk.
    AppointmentId
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AppointmentStatus {
    Booked,
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: AppointmentId,
    pub desk_id: DeskId,
    pub operator_id: UserId,
    pub person_id: PersonId,
    pub case_id: Option<CaseId>,
    /// Shared by the occurrences of a weekly series.
    pub series_id: Option<AppointmentId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AppointmentStatus,
    /// When a reminder is due.
    pub remind_at: Option<DateTime<Utc>>,
    /// What became of the reminder once due; none before.
    #[serde(default)]
    pub reminder_outcome: Option<ReminderOutcome>,
    /// The messages that carried the reminder, newest first (status only, never the text).
    #[serde(default)]
    pub reminder_deliveries: Vec<sportello_kernel::messages::Delivery>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

/// What became of an appointment's reminder when it came due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReminderOutcome {
    /// A message was queued: by e-mail when the person has an address, else by SMS.
    Queued,
    /// The person has not given (or has withdrawn) consent to be contacted by message.
    NoConsent,
    /// The person has neither an e-mail address nor a phone number.
    NoContact,
    /// The appointment had begun (or was cancelled) before the reminder could go.
    TooLate,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BookAppointment {
    pub desk_id: DeskId,
    pub person_id: PersonId,
    pub case_id: Option<CaseId>,
    /// Defaults to the operator booking.
    pub operator_id: Option<UserId>,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: u32,
    /// 1 for a single appointment; more books the same slot every week (weekly interviews).
    pub occurrences: u32,
    /// Hours before the start (on the tenant's local clock) at which a reminder is due, 0 to
    /// 336; 0 for no reminder; none for the tenant's default lead time
    /// (`Tenancy::appointment_settings`).
    pub remind_hours_before: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CancelAppointment {
    pub id: AppointmentId,
    /// Also cancel the later occurrences of its weekly series.
    pub following: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListAppointments {
    pub page: Page,
    pub desk_id: Option<DeskId>,
    pub person_id: Option<PersonId>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

id_type!(
    /// A person's long administrative procedure ("pratica").
    ProcedureId
);
id_type!(
    /// A tenant's own procedure type.
    ProcedureTypeId
);

pub use crate::domain::procedures::{Due, LimitKind, Office, TypeDef, Unit};

/// A procedure type as staff see it: seeded (every tenant's, `id` none) or the tenant's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureType {
    pub id: Option<ProcedureTypeId>,
    pub definition: TypeDef,
    pub seeded: bool,
    /// Retired types stay on the procedures that use them and cannot start new ones.
    pub retired: bool,
    pub version: i32,
}

/// A step of a tenant's own procedure type: done within `days_after_previous` days of the
/// previous step (of the start, for the first), or without a time limit.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProcedureStepInput {
    pub label: String,
    pub office: Office,
    pub days_after_previous: Option<u32>,
}

/// A tenant's own procedure type. `code`: lower-case letters, digits and underscores (2–40),
/// not a seeded type's; `label` 1–200 characters; 1–20 steps; 0–30 documents (labels).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateProcedureType {
    pub code: String,
    pub label: String,
    pub office: Office,
    pub steps: Vec<ProcedureStepInput>,
    pub documents: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RetireProcedureType {
    pub id: ProcedureTypeId,
    pub retired: bool,
    pub expected_version: i32,
}

/// Where a procedure stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProcedureStatus {
    Open,
    Completed,
    Abandoned,
}

/// Where a document of a procedure's checklist stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentStatus {
    Missing,
    Requested,
    Received,
    NotNeeded,
}

/// A step of a person's procedure: its rule, when it is due, when it was done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureStep {
    pub code: String,
    pub label: String,
    pub office: Office,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    pub limit_kind: LimitKind,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureDocument {
    pub code: String,
    pub label: String,
    pub status: DocumentStatus,
}

/// A person's procedure. Dates are the tenant's local dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    pub id: ProcedureId,
    pub version: i32,
    pub person_id: PersonId,
    pub case_id: Option<CaseId>,
    pub type_code: String,
    pub type_label: String,
    pub office: Office,
    /// The operator who follows it and receives its alerts.
    pub responsible_id: UserId,
    pub started_on: NaiveDate,
    pub reference_on: Option<NaiveDate>,
    pub status: ProcedureStatus,
    pub closed_on: Option<NaiveDate>,
    /// Days before a deadline from which the procedure is alerting.
    pub alert_days: u32,
    pub steps: Vec<ProcedureStep>,
    pub documents: Vec<ProcedureDocument>,
    /// The earliest due date of a step not done, and that step.
    pub next_due_on: Option<NaiveDate>,
    pub next_step: Option<String>,
    /// Open, and its next deadline is before today.
    pub overdue: bool,
    /// Open, and today is within `alert_days` of its next deadline (overdue included).
    pub alerting: bool,
}

/// Starts a procedure for a person the actor may see. `startedOn`: today or up to 10 years
/// back; `referenceOn` required when the type counts from it (and refused otherwise), within
/// 10 years either side; `alertDays` 1–90 (14 by default); `responsibleId` a staff member of
/// the tenant (the actor by default).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StartProcedure {
    pub person_id: PersonId,
    pub case_id: Option<CaseId>,
    pub type_code: String,
    pub started_on: Option<NaiveDate>,
    pub reference_on: Option<NaiveDate>,
    pub responsible_id: Option<UserId>,
    pub alert_days: Option<u32>,
}

/// Records (or clears, with `done_on` none) the day a step was done: not in the future, not
/// before the procedure started.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordProcedureStep {
    pub id: ProcedureId,
    pub step: String,
    pub done_on: Option<NaiveDate>,
    pub expected_version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetProcedureDocument {
    pub id: ProcedureId,
    pub document: String,
    pub status: DocumentStatus,
    pub expected_version: i32,
}

/// Changes who follows a procedure, its alert days or its reference date; closes it
/// (`COMPLETED` or `ABANDONED`, on `closed_on`, today by default) or opens it again (`OPEN`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateProcedure {
    pub id: ProcedureId,
    pub responsible_id: Option<UserId>,
    pub alert_days: Option<u32>,
    pub reference_on: Option<NaiveDate>,
    pub status: Option<ProcedureStatus>,
    pub closed_on: Option<NaiveDate>,
    pub expected_version: i32,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListProcedures {
    pub page: Page,
    pub person_id: Option<PersonId>,
    pub case_id: Option<CaseId>,
    pub type_code: Option<String>,
    pub responsible_id: Option<UserId>,
    pub status: Option<ProcedureStatus>,
    /// Only open procedures past their next deadline.
    pub overdue: bool,
    /// Only open procedures within their alert days of the next deadline (overdue included).
    pub alerting: bool,
}

/// The back office's workload of open procedures (within the actor's territories).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureWorkload {
    pub by_type: Vec<WorkloadByType>,
    pub by_step: Vec<WorkloadByStep>,
    pub by_responsible: Vec<WorkloadByResponsible>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadByType {
    pub type_code: String,
    pub open: u32,
    pub overdue: u32,
    pub completed: u32,
    pub abandoned: u32,
}

/// Open procedures waiting on one step (their next deadline's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadByStep {
    pub type_code: String,
    pub step: String,
    pub open: u32,
    pub overdue: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadByResponsible {
    pub responsible_id: UserId,
    pub open: u32,
    pub overdue: u32,
    pub alerting: u32,
}

id_type!(
    /// A household ("nucleo familiare").
    HouseholdId
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HouseholdRole {
    Head,
    Partner,
    Child,
    Parent,
    Sibling,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdMember {
    pub person_id: PersonId,
    pub role: HouseholdRole,
    /// Under 18 today, from the birth date as known (the year alone counts the person as a
    /// minor until the end of the year they turn 18).
    pub minor: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub id: HouseholdId,
    pub label: String,
    pub territory_code: String,
    pub members: Vec<HouseholdMember>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateHousehold {
    pub label: String,
    pub territory_code: String,
}

/// Puts a person in a household (moving them out of any other) with a role.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddHouseholdMember {
    pub household_id: HouseholdId,
    pub person_id: PersonId,
    pub role: HouseholdRole,
}

/// Items of one case: encounters newest first (a timeline), everything else oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OfCase {
    pub case_id: CaseId,
    pub page: Page,
}

/// Most reads in one [`Cases::read`] call.
pub const MAX_READS: usize = 200;

/// One read of a [`Cases::read`] batch. Reads of a case's parts need the case to be visible to
/// the actor (its territory), reads of a person the person.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Read {
    Case(CaseId),
    /// The person a case is about.
    PersonOfCase(CaseId),
    Person(PersonId),
    /// A person's consents, oldest first.
    Consents(PersonId),
    Needs(OfCase),
    /// Newest first.
    Encounters(OfCase),
    Interventions(OfCase),
    Referrals(OfCase),
    /// The case's personalised autonomy plan: goals with their steps.
    Plan(CaseId),
}

/// What one [`Read`] found.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Found {
    Case(Case),
    Person(Box<Person>),
    Consents(Vec<Consent>),
    Needs(Paged<Need>),
    Encounters(Paged<Encounter>),
    Interventions(Paged<Intervention>),
    Referrals(Paged<Referral>),
    Plan(Vec<PlanGoal>),
}

/// The outcome of one [`Read`]: what was found, or why not (`NOT_FOUND` for what the actor may
/// not see as for what does not exist). One failed read does not fail the others.
pub type Outcome = std::result::Result<Found, Error>;

/// One code of a closed list of outcomes (of cases, of interventions), and whether the tenant
/// offers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedOutcome {
    pub code: String,
    pub offered: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetOutcome {
    /// A code of the list.
    pub code: String,
    pub offered: bool,
}

/// A ground for erasure, the closed list of GDPR art. 17(1): the controller erases a person's
/// data without undue delay when one applies. No free text goes with it (a reason in words could
/// itself hold personal data); the ground is written to the audit log as a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErasureGround {
    /// Art. 17(1)(a): no longer necessary for the purposes they were collected for.
    NoLongerNecessary,
    /// Art. 17(1)(b): the person withdrew the consent the processing rested on.
    ConsentWithdrawn,
    /// Art. 17(1)(c): the person objected (art. 21) and no overriding legitimate grounds remain.
    Objection,
    /// Art. 17(1)(d): the data were processed unlawfully.
    UnlawfullyProcessed,
    /// Art. 17(1)(e): erasure is required by a legal obligation of Union or Member State law.
    LegalObligation,
    /// Art. 17(1)(f): collected in relation to information society services offered to a child
    /// (art. 8(1)).
    ChildInformationSociety,
}

impl ErasureGround {
    pub const ALL: [ErasureGround; 6] = [
        ErasureGround::NoLongerNecessary,
        ErasureGround::ConsentWithdrawn,
        ErasureGround::Objection,
        ErasureGround::UnlawfullyProcessed,
        ErasureGround::LegalObligation,
        ErasureGround::ChildInformationSociety,
    ];

    /// The name on the API (`NO_LONGER_NECESSARY` …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErasureGround::NoLongerNecessary => "NO_LONGER_NECESSARY",
            ErasureGround::ConsentWithdrawn => "CONSENT_WITHDRAWN",
            ErasureGround::Objection => "OBJECTION",
            ErasureGround::UnlawfullyProcessed => "UNLAWFULLY_PROCESSED",
            ErasureGround::LegalObligation => "LEGAL_OBLIGATION",
            ErasureGround::ChildInformationSociety => "CHILD_INFORMATION_SOCIETY",
        }
    }

    /// The letter of art. 17(1) it is (`a` … `f`).
    pub fn letter(self) -> char {
        match self {
            ErasureGround::NoLongerNecessary => 'a',
            ErasureGround::ConsentWithdrawn => 'b',
            ErasureGround::Objection => 'c',
            ErasureGround::UnlawfullyProcessed => 'd',
            ErasureGround::LegalObligation => 'e',
            ErasureGround::ChildInformationSociety => 'f',
        }
    }

    /// The ground named `name` on the API; anything else is `INVALID_INPUT` on `ground`.
    pub fn parse(name: &str) -> Result<ErasureGround, Error> {
        ErasureGround::ALL
            .into_iter()
            .find(|g| g.as_str() == name)
            .ok_or_else(|| {
                Error::on(
                    "ground",
                    sportello_kernel::Reason::NotInList {
                        list: sportello_kernel::error::List::ErasureGrounds,
                    },
                )
                .saying(
                    "not a ground of GDPR art. 17(1): NO_LONGER_NECESSARY, CONSENT_WITHDRAWN, \
                     OBJECTION, UNLAWFULLY_PROCESSED, LEGAL_OBLIGATION or CHILD_INFORMATION_SOCIETY",
                )
            })
    }
}

/// Erases a person: see [`Cases::erase_person`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ErasePerson {
    pub person_id: PersonId,
    /// One of [`ErasureGround`]'s names; checked by the service (`INVALID_INPUT` on `ground`).
    pub ground: String,
    /// The same person again, as a deliberate confirmation of a change that cannot be undone;
    /// absent or another id is `INVALID_INPUT` on `confirmation`.
    pub confirmation: Option<PersonId>,
}

/// What an erasure did: the id that no longer exists, and the ground it was erased on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    pub person_id: PersonId,
    pub ground: ErasureGround,
}

/// Erases the context tenant's people whose cases all closed before `before`: see
/// [`Cases::erase_expired`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpireClosed {
    /// The cutoff instant: a person is due when every case of theirs is closed, the latest
    /// closed strictly before it, and no appointment of theirs starts at or after it.
    pub before: DateTime<Utc>,
}

/// What [`Cases::erase_expired`] did: how many people it erased.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiredErasure {
    pub erased: u64,
}

/// What rotating the tenant's key-encryption key did (`seal::rotate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRotation {
    /// The version now current.
    pub version: u32,
    /// Person keys re-wrapped under it.
    pub rewrapped: u64,
}

/// A person's household as seen from their own record: the household and the person's role in
/// it. Other members are other people's data and are not part of a person's export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdOfPerson {
    pub id: HouseholdId,
    pub label: String,
    pub territory_code: String,
    pub role: HouseholdRole,
}

/// One case of a person with everything recorded in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRecord {
    pub case: Case,
    /// Oldest first.
    pub encounters: Vec<Encounter>,
    pub needs: Vec<Need>,
    pub interventions: Vec<Intervention>,
    pub referrals: Vec<Referral>,
    /// Goals with their steps.
    pub plan: Vec<PlanGoal>,
}

/// One entry of the audit log about a person or something recorded about them: who, when,
/// which action and which fields, never the values (GDPR art. 15(1)(c): who the data was
/// disclosed to, the tenant's own staff).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub at: DateTime<Utc>,
    /// The user who acted; none for the platform's own tasks.
    pub actor: Option<UserId>,
    /// `create`, `update`, `read`, `exported`, `refused_duplicate`…
    pub action: String,
    /// `person`, `case`, `encounter`, `need`, `intervention`, `referral`, `plan_goal`,
    /// `plan_step`, `appointment`.
    pub object_type: String,
    pub object_id: uuid::Uuid,
    /// Names of the fields or parts read or changed.
    pub fields: Vec<String>,
}

/// Everything the cases service holds about one person, for a subject access request (GDPR
/// art. 15) and portability (art. 20). Limited to what the actor may see: a territory-limited
/// actor gets the cases followed in their territories only, and whether the person has cases
/// elsewhere is not revealed (`limited_to_territories` says that a limit applied).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub person: Person,
    pub household: Option<HouseholdOfPerson>,
    /// Every decision, oldest first.
    pub consents: Vec<Consent>,
    /// Oldest first.
    pub cases: Vec<CaseRecord>,
    /// Oldest first, cancelled ones included.
    pub appointments: Vec<Appointment>,
    /// Entries about the person and what is recorded about them, oldest first, written before
    /// this export (the export's own entry is not in it).
    pub audit: Vec<AuditRecord>,
    /// The territories the export was limited to (the actor's limits); empty when the actor has
    /// none, and the export holds every case of the person.
    pub limited_to_territories: Vec<String>,
    /// The person's pseudonym, for the analytics service's count of their facts only: the
    /// export shows it nowhere.
    pub statistics_pseudonym: String,
}

id_type!(
    /// An organisation that requests mediation (a school, a social service, a clinic).
    RequesterOrganisationId
);
id_type!(
    /// A request for linguistic-cultural mediation.
    MediationRequestId
);
id_type!(
    /// A legal consultation asked by an operator.
    LegalConsultationId
);
id_type!(
    /// An entry of the legal knowledge base.
    KnowledgeEntryId
);

/// How soon help is needed. Targets default to 4 hours (urgent) and 48 hours (normal) from the
/// request to a confirmed mediator, and 48 hours from a legal question to its first answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Urgency {
    Urgent,
    Normal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RequesterKind {
    School,
    SocialService,
    Clinic,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MediationPurpose {
    /// Welcoming a newly arrived pupil and enrolling them.
    Enrolment,
    ParentTeacherMeeting,
    /// A social worker's assessment (parenting capacity among them).
    SocialAssessment,
    HealthVisit,
    Other,
}

/// Where a mediation request stands: `OPEN` (offered, nobody accepted yet) → `CONFIRMED`
/// (a mediator accepted) → `DONE` (the mediator reported) → `CLOSED` (the requester closed it);
/// `OPEN` or `CONFIRMED` → `CANCELLED` by either side with a reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MediationStatus {
    Open,
    Confirmed,
    Done,
    Closed,
    Cancelled,
}

/// Who cancelled a mediation request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CancelledBy {
    Requester,
    Mediator,
    Coordinator,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OfferStatus {
    Offered,
    Declined,
    Accepted,
    /// Another mediator accepted, or the request was cancelled.
    Withdrawn,
}

/// The tenant's on-call targets, in minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallSettings {
    pub urgent_activation_minutes: u32,
    pub normal_activation_minutes: u32,
    pub legal_response_minutes: u32,
    /// 0 until the tenant changes the defaults.
    pub version: i32,
}

/// New targets, each 1 minute to 30 days (43 200 minutes); `expected_version` is the version
/// read (0 for the defaults).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetOnCallSettings {
    pub urgent_activation_minutes: u32,
    pub normal_activation_minutes: u32,
    pub legal_response_minutes: u32,
    pub expected_version: i32,
}

/// A mediator's languages (ISO 639-1), dialects as they name them, territories (ISTAT codes;
/// none: every territory of the tenant), availability and how many confirmed requests they
/// take at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediatorProfile {
    pub user_id: UserId,
    pub languages: Vec<String>,
    pub dialects: String,
    pub territories: Vec<String>,
    pub available: bool,
    pub max_active: u32,
    /// Confirmed requests not yet done.
    pub active: u32,
    pub version: i32,
}

/// Sets a mediator's profile: by the mediator, or by an administrator or coordinator for any
/// member with the mediator role. `expected_version`: the version read, none for a first
/// profile. `max_active`: 1 to 20.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetMediatorProfile {
    pub user_id: UserId,
    pub languages: Vec<String>,
    pub dialects: String,
    pub territories: Vec<String>,
    pub available: bool,
    pub max_active: u32,
    pub expected_version: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequesterOrganisation {
    pub id: RequesterOrganisationId,
    pub name: String,
    pub kind: RequesterKind,
    pub address: String,
    pub territory_code: String,
    /// The requester accounts of the organisation.
    pub members: Vec<UserId>,
    pub version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateRequesterOrganisation {
    pub name: String,
    pub kind: RequesterKind,
    pub address: String,
    pub territory_code: String,
}

/// Makes a member with the external requester role a requester of the organisation (one
/// organisation per account; a later call moves the account).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddRequester {
    pub organisation_id: RequesterOrganisationId,
    pub user_id: UserId,
}

/// A mediation request as its reader may see it: `shared_details` only for the requester's
/// side, the mediator it is offered to or held by, and coordinators; every such read by a
/// mediator is audited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediationRequest {
    pub id: MediationRequestId,
    pub version: i32,
    pub organisation_id: Option<RequesterOrganisationId>,
    pub organisation_name: Option<String>,
    pub requested_by: UserId,
    pub language: String,
    pub dialect: String,
    pub place_name: String,
    pub address: String,
    pub territory_code: String,
    pub starts_at: DateTime<Utc>,
    pub window_ends_at: DateTime<Utc>,
    pub duration_minutes: u32,
    pub purpose: MediationPurpose,
    pub urgency: Urgency,
    pub shared_details: String,
    pub status: MediationStatus,
    pub mediator_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Seconds from the request to the confirmation.
    pub activation_seconds: Option<i64>,
    /// The tenant's target for this urgency, in seconds.
    pub activation_target_seconds: i64,
    pub report_minutes: Option<u32>,
    pub report_outcome: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancelled_by: Option<CancelledBy>,
    pub cancel_reason: Option<String>,
    /// For the mediator reading it: their offer's status.
    pub my_offer: Option<OfferStatus>,
    /// For requesters and coordinators: how many mediators it was offered to.
    pub offered_to: u32,
}

/// A request for mediation. `language`: ISO 639-1; `starts_at` not in the past and at most a
/// year ahead; `window_ends_at` after it, within 12 hours; `duration_minutes` 15 to 480 and
/// within the window; `shared_details`: at most 500 characters, only what the mediator needs
/// (a first name, an age, a class). A requester's organisation is their own; staff may name
/// one or none (the tenant's own services).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RequestMediation {
    pub organisation_id: Option<RequesterOrganisationId>,
    pub language: String,
    pub dialect: String,
    pub place_name: String,
    pub address: String,
    pub territory_code: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub window_ends_at: DateTime<Utc>,
    pub duration_minutes: u32,
    pub purpose: MediationPurpose,
    pub urgency: Urgency,
    pub shared_details: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListMediationRequests {
    pub page: Page,
    pub status: Option<MediationStatus>,
}

/// A mediator's answer to an offer: the first acceptance confirms the request; a later one is
/// `REQUEST_TAKEN`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AnswerMediationOffer {
    pub request_id: MediationRequestId,
    pub accept: bool,
}

/// The mediator's report: minutes spent (1 to 720) and a short outcome (1 to 1000
/// characters, no personal data).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReportMediation {
    pub request_id: MediationRequestId,
    pub minutes: u32,
    pub outcome: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CancelMediation {
    pub request_id: MediationRequestId,
    /// 1 to 500 characters.
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LegalCategory {
    /// Permits of stay: issue, renewal, conversion.
    Permit,
    Citizenship,
    FamilyReunification,
    /// International protection.
    Asylum,
    Work,
    Other,
}

/// `OPEN` → `TAKEN` (an advisor holds it) → `ANSWERED` → `CLOSED`; a follow-up question puts an
/// answered consultation back to `TAKEN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LegalConsultationStatus {
    Open,
    Taken,
    Answered,
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LegalMessageKind {
    Question,
    Answer,
    FollowUp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalMessage {
    pub kind: LegalMessageKind,
    pub author_id: UserId,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A legal consultation. Its case is shown to the asking side only, never to advisors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalConsultation {
    pub id: LegalConsultationId,
    pub version: i32,
    pub asked_by: UserId,
    pub case_id: Option<CaseId>,
    pub category: LegalCategory,
    pub urgency: Urgency,
    pub status: LegalConsultationStatus,
    pub advisor_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub taken_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Seconds from the question to the first answer.
    pub response_seconds: Option<i64>,
    pub response_target_seconds: i64,
    pub messages: Vec<LegalMessage>,
}

/// A legal question: linked to a case the operator may see, or anonymous. `question`: 10 to
/// 4000 characters.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AskLegalQuestion {
    pub case_id: Option<CaseId>,
    pub category: LegalCategory,
    pub urgency: Urgency,
    pub question: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListLegalConsultations {
    pub page: Page,
    pub status: Option<LegalConsultationStatus>,
}

/// An answer (by the advisor holding it) or a follow-up question (by the asker), 1 to 8000
/// characters.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WriteLegalMessage {
    pub consultation_id: LegalConsultationId,
    pub body: String,
}

/// Publishes an answered consultation to the knowledge base, as the advisor rewrote it without
/// personal data (question 10 to 2000 characters, answer 10 to 8000).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PublishKnowledge {
    pub consultation_id: LegalConsultationId,
    pub question: String,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeEntry {
    pub id: KnowledgeEntryId,
    pub category: LegalCategory,
    pub question: String,
    pub answer: String,
    pub published_at: DateTime<Utc>,
}

/// A search of the knowledge base: every word of `text` (accents and case ignored) in the
/// question or answer; none: the newest entries.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SearchKnowledge {
    pub page: Page,
    pub text: Option<String>,
    pub category: Option<LegalCategory>,
}

/// On-call figures of a period (local dates of the tenant, both included): requests by the
/// day they were made.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OnCallFiguresRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Times of one kind against their target: median and 90th percentile (nearest rank) in
/// seconds, and how many met the target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeFigures {
    pub count: u32,
    pub median_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
    pub target_seconds: i64,
    pub within_target: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeCount {
    pub purpose: MediationPurpose,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCount {
    pub category: LegalCategory,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallFigures {
    pub mediation_requests: u32,
    pub by_purpose: Vec<PurposeCount>,
    pub cancelled: u32,
    pub activation_urgent: TimeFigures,
    pub activation_normal: TimeFigures,
    pub legal_consultations: u32,
    pub by_category: Vec<CategoryCount>,
    pub legal_response: TimeFigures,
}

/// The roles that work with persons and cases.
const STAFF: Access = Access::Roles(&[Role::Operator, Role::Coordinator]);

service_interface! {
    service "cases";
    /// Persons, consent, cases and what happens in them.
    trait Cases;
    client CasesClient;
    router cases_router;

    fn ready(()) -> () [public];
    /// Reads persons, cases and what is recorded in them, all in one transaction: one outcome
    /// per read, in order. Each person whose record is read gets one audit entry naming every
    /// part read. At most [`MAX_READS`] reads.
    fn read(Vec<Read>) -> Vec<Outcome> [access: STAFF];
    fn create_person(PersonInput) -> Person [access: STAFF];
    fn update_person(UpdatePerson) -> Person [access: STAFF];
    fn list_persons(ListPersons) -> Paged<Person> [access: STAFF];
    /// Persons whose names may be the same as the given ones, across spellings and scripts.
    fn find_duplicates(FindDuplicates) -> Vec<PersonMatch> [access: STAFF];
    fn record_consent(RecordConsent) -> Consent [access: STAFF];
    fn open_case(OpenCase) -> Case [access: STAFF];
    fn change_case_status(ChangeCaseStatus) -> Case [access: STAFF];
    /// The closed list of case outcomes, in order, each with whether the tenant offers it
    /// (`changeCaseStatus(outcome)` takes an offered one only).
    fn case_outcomes(()) -> Vec<OfferedOutcome> [roles: TenantAdmin, Coordinator, Operator];
    /// Offers or withdraws one outcome of the list in the tenant (administrators and
    /// coordinators); at least one stays offered. Cases already closed keep theirs.
    fn set_case_outcome(SetOutcome) -> Vec<OfferedOutcome> [roles: TenantAdmin, Coordinator];
    /// The closed list of intervention outcomes, with whether the tenant offers each.
    fn intervention_outcomes(()) -> Vec<OfferedOutcome> [roles: TenantAdmin, Coordinator, Operator];
    /// Offers or withdraws one intervention outcome (administrators and coordinators); at least
    /// one stays offered. Interventions already recorded keep theirs.
    fn set_intervention_outcome(SetOutcome) -> Vec<OfferedOutcome> [roles: TenantAdmin, Coordinator];
    fn list_cases(ListCases) -> Paged<Case> [access: STAFF];
    fn add_encounter(AddEncounter) -> Encounter [access: STAFF];
    fn update_encounter(UpdateEncounter) -> Encounter [access: STAFF];
    fn record_need(RecordNeed) -> Need [access: STAFF];
    fn change_need_status(ChangeNeedStatus) -> Need [access: STAFF];
    /// The tenant's own need types, retired ones included.
    fn list_need_types(()) -> Vec<NeedType> [roles: TenantAdmin, Coordinator, Operator];
    /// Adds a need type to the tenant's taxonomy (tenant administrators and coordinators).
    fn create_need_type(CreateNeedType) -> NeedType [roles: TenantAdmin, Coordinator];
    fn update_need_type(UpdateNeedType) -> NeedType [roles: TenantAdmin, Coordinator];
    fn record_intervention(RecordIntervention) -> Intervention [access: STAFF];
    fn update_intervention(UpdateIntervention) -> Intervention [access: STAFF];
    /// Refers a case to a directory service: needs the person's sharing consent, or a
    /// coordinator's override with a reason (audited).
    fn send_referral(SendReferral) -> Referral [access: STAFF];
    fn change_referral_status(ChangeReferralStatus) -> Referral [access: STAFF];
    fn add_goal(AddGoal) -> PlanGoal [access: STAFF];
    fn update_goal(UpdateGoal) -> PlanGoal [access: STAFF];
    fn add_step(AddStep) -> PlanStep [access: STAFF];
    fn change_step_status(ChangeStepStatus) -> PlanStep [access: STAFF];
    /// Books a slot (or a weekly series of slots) for a person; all or nothing.
    fn book_appointment(BookAppointment) -> Vec<Appointment> [access: STAFF];
    fn cancel_appointment(CancelAppointment) -> Vec<Appointment> [access: STAFF];
    fn list_appointments(ListAppointments) -> Paged<Appointment> [access: STAFF];
    fn create_household(CreateHousehold) -> Household [access: STAFF];
    fn add_household_member(AddHouseholdMember) -> Household [access: STAFF];
    /// Takes a person out of their household.
    fn remove_household_member(PersonId) -> () [access: STAFF];
    fn get_household(HouseholdId) -> Household [access: STAFF];
    /// Erases a person (GDPR art. 17) on a ground of the closed list, in one transaction: the
    /// record, its name keys, consents, cases with everything in them, appointments, household
    /// membership (and the household when it is left empty), and the events about the person
    /// still in the outbox; then tells analytics (`person_erased`, the pseudonym only). One
    /// audit entry on the person (`erased`, the ground's code). Tenant administrators, and
    /// coordinators within their territories (docs/privacy.md, "Erasure"). Errors:
    /// `INVALID_INPUT` on `ground` or `confirmation` before anything is read; `NOT_FOUND` for a
    /// person that does not exist, was erased, or lies outside the actor's territories or tenant.
    fn erase_person(ErasePerson) -> Erasure [roles: TenantAdmin, Coordinator];
    /// The retention schedule's erasure of closed cases (docs/privacy.md, "Retention"), for the
    /// retention job only (no user can reach it): erases, in the context tenant, every person
    /// with at least one case, all of them closed, the latest closed before `before`, and no
    /// appointment starting at or after it. A person without any case is not touched. Each
    /// person goes in their own transaction, exactly as with `erase_person` on the ground
    /// `NO_LONGER_NECESSARY` (GDPR art. 17(1)(a); storage limitation, art. 5(1)(e)): audit entry
    /// `erased` with no actor, `person_erased` to analytics. Works in batches until none is
    /// due; returns how many people went.
    fn erase_expired(ExpireClosed) -> ExpiredErasure [access: Access::Internal];
    /// Rotates the tenant's key-encryption key of field encryption (tenant administrators): a
    /// new version in the key store, then every person's data key re-wrapped under it in
    /// batches while reads and writes go on. Audited (action `rotate_key`).
    fn rotate_encryption_key(()) -> KeyRotation [roles: TenantAdmin];
    /// The procedure types: the seeded ones (docs/procedures.md) and the tenant's own.
    fn procedure_types(()) -> Vec<ProcedureType> [roles: TenantAdmin, Coordinator, Operator];
    /// Adds a procedure type of the tenant (administrators and coordinators).
    fn create_procedure_type(CreateProcedureType) -> ProcedureType [roles: TenantAdmin, Coordinator];
    fn retire_procedure_type(RetireProcedureType) -> ProcedureType [roles: TenantAdmin, Coordinator];
    fn start_procedure(StartProcedure) -> Procedure [access: STAFF];
    fn record_procedure_step(RecordProcedureStep) -> Procedure [access: STAFF];
    fn set_procedure_document(SetProcedureDocument) -> Procedure [access: STAFF];
    fn update_procedure(UpdateProcedure) -> Procedure [access: STAFF];
    fn get_procedure(ProcedureId) -> Procedure [access: STAFF];
    fn list_procedures(ListProcedures) -> Paged<Procedure> [access: STAFF];
    fn procedure_workload(()) -> ProcedureWorkload [access: STAFF];
    /// Everything held about one person (GDPR art. 15 and 20), in one transaction; writes one
    /// audit entry on the person, action `exported`. A person the actor may not see is
    /// `NOT_FOUND`, like one that never existed.
    fn export_person(PersonId) -> PersonRecord [access: STAFF];
    /// The tenant's on-call targets (defaults until changed).
    fn oncall_settings(()) -> OnCallSettings [access: Access::MEMBER];
    fn set_oncall_settings(SetOnCallSettings) -> OnCallSettings [roles: TenantAdmin, Coordinator];
    /// Mediators' profiles: all for administrators and coordinators, their own for a mediator.
    fn mediator_profiles(()) -> Vec<MediatorProfile> [roles: TenantAdmin, Coordinator, Mediator];
    fn set_mediator_profile(SetMediatorProfile) -> MediatorProfile [roles: TenantAdmin, Coordinator, Mediator];
    /// The organisations: all for staff, their own for a requester.
    fn requester_organisations(()) -> Vec<RequesterOrganisation> [roles: TenantAdmin, Coordinator, Operator, ExternalRequester];
    fn create_requester_organisation(CreateRequesterOrganisation) -> RequesterOrganisation [roles: TenantAdmin, Coordinator];
    fn add_requester(AddRequester) -> RequesterOrganisation [roles: TenantAdmin, Coordinator];
    /// Creates a request and offers it to the matching mediators (language, availability,
    /// territory, load): staff mediators with a profile, and the register's active volunteers
    /// who mediate in the language in that territory; publishes a live notice.
    fn request_mediation(RequestMediation) -> MediationRequest [roles: ExternalRequester, Operator, Coordinator];
    /// The requests the actor may see: a requester its organisation's, a mediator those offered
    /// to or held by them, an operator those they made, a coordinator all. Newest first.
    fn mediation_requests(ListMediationRequests) -> Paged<MediationRequest> [roles: ExternalRequester, Operator, Coordinator, Mediator, Volunteer];
    fn get_mediation_request(MediationRequestId) -> MediationRequest [roles: ExternalRequester, Operator, Coordinator, Mediator, Volunteer];
    fn answer_mediation_offer(AnswerMediationOffer) -> MediationRequest [roles: Mediator, Volunteer];
    fn report_mediation(ReportMediation) -> MediationRequest [roles: Mediator, Volunteer];
    /// The requester's side closes a reported request.
    fn close_mediation(MediationRequestId) -> MediationRequest [roles: ExternalRequester, Operator, Coordinator];
    fn cancel_mediation(CancelMediation) -> MediationRequest [roles: ExternalRequester, Operator, Coordinator, Mediator, Volunteer];
    fn ask_legal_question(AskLegalQuestion) -> LegalConsultation [roles: Operator, Coordinator];
    /// An operator's own consultations; every consultation for advisors and coordinators.
    fn legal_consultations(ListLegalConsultations) -> Paged<LegalConsultation> [roles: Operator, Coordinator, LegalAdvisor];
    fn get_legal_consultation(LegalConsultationId) -> LegalConsultation [roles: Operator, Coordinator, LegalAdvisor];
    /// An advisor takes an open consultation: the first wins, a later one is `REQUEST_TAKEN`.
    fn take_legal_consultation(LegalConsultationId) -> LegalConsultation [roles: LegalAdvisor];
    fn answer_legal_consultation(WriteLegalMessage) -> LegalConsultation [roles: LegalAdvisor];
    fn follow_up_legal_consultation(WriteLegalMessage) -> LegalConsultation [roles: Operator, Coordinator];
    fn close_legal_consultation(LegalConsultationId) -> LegalConsultation [roles: Operator, Coordinator, LegalAdvisor];
    fn publish_knowledge(PublishKnowledge) -> KnowledgeEntry [roles: LegalAdvisor];
    fn search_knowledge(SearchKnowledge) -> Paged<KnowledgeEntry> [roles: Operator, Coordinator, LegalAdvisor];
    fn oncall_figures(OnCallFiguresRequest) -> OnCallFigures [roles: TenantAdmin, Coordinator];
}
