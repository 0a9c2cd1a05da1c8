//! GraphQL types and operations of the cases service.

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use sportello_cases::{self as cases, OfCase};

use super::ids::{Kind, decode, decode_input, encode};
use super::{GqlResult, IntoGql, connection, page, services};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Sex", remote = "sportello_cases::Sex")]
pub enum Sex {
    Female,
    Male,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ConsentPurpose", remote = "sportello_cases::ConsentPurpose")]
pub enum ConsentPurpose {
    CaseManagement,
    ReferralSharing,
    AnonymisedStatistics,
    ContactByMessage,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CaseStatus", remote = "sportello_cases::CaseStatus")]
pub enum CaseStatus {
    Intake,
    Active,
    Monitoring,
    Closed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Channel", remote = "sportello_cases::Channel")]
pub enum Channel {
    Desk,
    Phone,
    Outreach,
    Online,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "NeedCode", remote = "sportello_cases::NeedCode")]
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

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "NeedSource", remote = "sportello_cases::NeedSource")]
pub enum NeedSource {
    Expressed,
    Detected,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "NeedStatus", remote = "sportello_cases::NeedStatus")]
pub enum NeedStatus {
    Open,
    Addressed,
    Unresolved,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "InterventionKind",
    remote = "sportello_cases::InterventionKind"
)]
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

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ReferralStatus", remote = "sportello_cases::ReferralStatus")]
pub enum ReferralStatus {
    Sent,
    Accepted,
    Rejected,
    Completed,
    Failed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "GoalStatus", remote = "sportello_cases::GoalStatus")]
pub enum GoalStatus {
    Open,
    Achieved,
    Dropped,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "StepOwner", remote = "sportello_cases::StepOwner")]
pub enum StepOwner {
    Operator,
    Person,
    Volunteer,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "StepStatus", remote = "sportello_cases::StepStatus")]
pub enum StepStatus {
    Todo,
    Done,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "AppointmentStatus",
    remote = "sportello_cases::AppointmentStatus"
)]
pub enum AppointmentStatus {
    Booked,
    Cancelled,
}

/// A booked slot at a desk.
pub struct Appointment(pub cases::Appointment);

#[Object]
impl Appointment {
    async fn id(&self) -> ID {
        encode(Kind::Appointment, self.0.id.uuid())
    }
    async fn desk(&self, ctx: &Context<'_>) -> GqlResult<super::types::Desk> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .get_desk(&rc.ctx, self.0.desk_id)
            .await
            .gql()
            .map(super::types::Desk)
    }
    async fn person_id(&self) -> ID {
        encode(Kind::Person, self.0.person_id.uuid())
    }
    async fn case_id(&self) -> Option<ID> {
        self.0.case_id.map(|c| encode(Kind::Case, c.uuid()))
    }
    /// Shared by the occurrences of a weekly series.
    async fn series_id(&self) -> Option<ID> {
        self.0
            .series_id
            .map(|s| encode(Kind::Appointment, s.uuid()))
    }
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    async fn duration_minutes(&self) -> i64 {
        (self.0.ends_at - self.0.starts_at).num_minutes()
    }
    /// The operator the appointment is with.
    async fn operator_id(&self) -> ID {
        encode(Kind::User, self.0.operator_id.uuid())
    }
    async fn status(&self) -> AppointmentStatus {
        self.0.status.into()
    }
    /// When a reminder is due.
    async fn remind_at(&self) -> Option<DateTime<Utc>> {
        self.0.remind_at
    }
}

#[derive(InputObject, Default)]
pub struct AppointmentFilter {
    pub desk_id: Option<ID>,
    pub person_id: Option<ID>,
    /// Starting at or after.
    pub from: Option<DateTime<Utc>>,
    /// Starting before.
    pub to: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct BookAppointmentInput {
    pub desk_id: ID,
    pub person_id: ID,
    pub case_id: Option<ID>,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: u32,
    /// 1 (the default) for one appointment; more books the same slot every week.
    #[graphql(default = 1)]
    pub occurrences: u32,
    /// Hours before the start at which a reminder is due.
    pub remind_hours_before: Option<u32>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "HouseholdRole", remote = "sportello_cases::HouseholdRole")]
pub enum HouseholdRole {
    Head,
    Partner,
    Child,
    Parent,
    Sibling,
    Other,
}

/// A household ("nucleo familiare") and its members.
pub struct Household(pub cases::Household);

#[Object]
impl Household {
    pub async fn id(&self) -> ID {
        encode(Kind::Household, self.0.id.uuid())
    }
    async fn label(&self) -> &str {
        &self.0.label
    }
    async fn territory_code(&self) -> &str {
        &self.0.territory_code
    }
    #[graphql(complexity = "crate::cost::list(child_complexity)")]
    async fn members(&self) -> Vec<HouseholdMember> {
        self.0
            .members
            .iter()
            .cloned()
            .map(HouseholdMember)
            .collect()
    }
    /// How many members are under 18.
    async fn minors(&self) -> usize {
        self.0.members.iter().filter(|m| m.minor).count()
    }
}

/// A member of a household.
pub struct HouseholdMember(pub cases::HouseholdMember);

#[Object]
impl HouseholdMember {
    #[graphql(complexity = "crate::cost::audited(child_complexity)")]
    async fn person(&self, ctx: &Context<'_>) -> GqlResult<Person> {
        let (svc, rc) = services(ctx)?;
        svc.cases
            .get_person(&rc.ctx, self.0.person_id)
            .await
            .gql()
            .map(Person)
    }
    async fn role(&self) -> HouseholdRole {
        self.0.role.into()
    }
    /// Under 18 today, from the birth date as known.
    async fn minor(&self) -> bool {
        self.0.minor
    }
}

/// A birth date as known: often only the year.
#[derive(SimpleObject, InputObject, Clone, Copy)]
#[graphql(input_name = "BirthDateInput")]
pub struct BirthDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// A language spoken: ISO 639 code and level (A1–C2 or NATIVE).
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "LanguageSkillInput")]
pub struct LanguageSkill {
    pub code: String,
    pub level: String,
}

/// Residence permit details. Protected.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "LegalStatusInput")]
pub struct LegalStatus {
    pub permit_type: String,
    pub permit_number: Option<String>,
    pub expiry: Option<NaiveDate>,
}

/// A person served.
pub struct Person(pub cases::Person);

#[Object]
impl Person {
    pub async fn id(&self) -> ID {
        encode(Kind::Person, self.0.id.uuid())
    }
    /// As the person writes them, in any script.
    async fn given_names(&self) -> &str {
        &self.0.given_names
    }
    async fn family_names(&self) -> &str {
        &self.0.family_names
    }
    async fn latin_given_names(&self) -> &str {
        &self.0.latin_given_names
    }
    async fn latin_family_names(&self) -> &str {
        &self.0.latin_family_names
    }
    async fn birth(&self) -> Option<BirthDate> {
        self.0.birth.map(|b| BirthDate {
            year: b.year,
            month: b.month,
            day: b.day,
        })
    }
    async fn sex(&self) -> Option<Sex> {
        self.0.sex.map(Into::into)
    }
    async fn gender(&self) -> Option<&str> {
        self.0.gender.as_deref()
    }
    async fn country_of_birth(&self) -> Option<&str> {
        self.0.country_of_birth.as_deref()
    }
    async fn citizenships(&self) -> &[String] {
        &self.0.citizenships
    }
    async fn languages(&self) -> Vec<LanguageSkill> {
        self.0
            .languages
            .iter()
            .map(|l| LanguageSkill {
                code: l.code.clone(),
                level: l.level.clone(),
            })
            .collect()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// Normalised (omocodia resolved).
    async fn codice_fiscale(&self) -> Option<&str> {
        self.0.codice_fiscale.as_deref()
    }
    async fn legal_status(&self) -> Option<LegalStatus> {
        self.0.legal_status.as_ref().map(|l| LegalStatus {
            permit_type: l.permit_type.clone(),
            permit_number: l.permit_number.clone(),
            expiry: l.expiry,
        })
    }
    /// ISTAT code of the territory the person is followed in.
    async fn territory_code(&self) -> &str {
        &self.0.territory_code
    }
    /// The household the person belongs to, if any.
    async fn household(&self, ctx: &Context<'_>) -> GqlResult<Option<Household>> {
        let (svc, rc) = services(ctx)?;
        match self.0.household_id {
            Some(id) => svc
                .cases
                .get_household(&rc.ctx, id)
                .await
                .gql()
                .map(|h| Some(Household(h))),
            None => Ok(None),
        }
    }
    /// Consent decisions, oldest first; the latest per purpose is in force.
    async fn consents(&self, ctx: &Context<'_>) -> GqlResult<Vec<Consent>> {
        let (svc, rc) = services(ctx)?;
        Ok(svc
            .cases
            .consents_of(&rc.ctx, self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(Consent)
            .collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A consent decision for one purpose.
pub struct Consent(pub cases::Consent);

#[Object]
impl Consent {
    async fn purpose(&self) -> ConsentPurpose {
        self.0.purpose.into()
    }
    async fn given(&self) -> bool {
        self.0.given
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}

/// A possible duplicate of the names searched for.
#[derive(SimpleObject)]
pub struct PersonMatch {
    pub person: Person,
    /// 0–1; 1 is the same name.
    pub score: f64,
}

/// A "presa in carico": a person's path from intake to closure.
pub struct Case(pub cases::Case);

#[Object]
impl Case {
    pub async fn id(&self) -> ID {
        encode(Kind::Case, self.0.id.uuid())
    }
    async fn status(&self) -> CaseStatus {
        self.0.status.into()
    }
    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
    }
    async fn territory_code(&self) -> &str {
        &self.0.territory_code
    }
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    async fn reopen_reason(&self) -> Option<&str> {
        self.0.reopen_reason.as_deref()
    }
    /// The person; reading it is audited.
    #[graphql(complexity = "crate::cost::audited(child_complexity)")]
    async fn person(&self, ctx: &Context<'_>) -> GqlResult<Person> {
        let (svc, rc) = services(ctx)?;
        svc.cases
            .get_person(&rc.ctx, self.0.person_id)
            .await
            .gql()
            .map(Person)
    }
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn encounters(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Encounter>> {
        let (svc, rc) = services(ctx)?;
        let page = page(first, after)?;
        let had = page.after.is_some();
        let paged = svc
            .cases
            .list_encounters(
                &rc.ctx,
                OfCase {
                    case_id: self.0.id,
                    page,
                },
            )
            .await
            .gql()?;
        Ok(connection(paged, had, |e| e.id.uuid(), Encounter))
    }
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn needs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Need>> {
        let (svc, rc) = services(ctx)?;
        let page = page(first, after)?;
        let had = page.after.is_some();
        let paged = svc
            .cases
            .list_needs(
                &rc.ctx,
                OfCase {
                    case_id: self.0.id,
                    page,
                },
            )
            .await
            .gql()?;
        Ok(connection(paged, had, |n| n.id.uuid(), Need))
    }
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn referrals(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Referral>> {
        let (svc, rc) = services(ctx)?;
        let page = page(first, after)?;
        let had = page.after.is_some();
        let paged = svc
            .cases
            .list_referrals(
                &rc.ctx,
                OfCase {
                    case_id: self.0.id,
                    page,
                },
            )
            .await
            .gql()?;
        Ok(connection(paged, had, |r| r.id.uuid(), Referral))
    }
    /// The personalised autonomy plan.
    #[graphql(complexity = "crate::cost::list(child_complexity)")]
    async fn plan(&self, ctx: &Context<'_>) -> GqlResult<Vec<PlanGoal>> {
        let (svc, rc) = services(ctx)?;
        Ok(svc
            .cases
            .plan_of(&rc.ctx, self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(PlanGoal)
            .collect())
    }
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn interventions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Intervention>> {
        let (svc, rc) = services(ctx)?;
        let page = page(first, after)?;
        let had = page.after.is_some();
        let paged = svc
            .cases
            .list_interventions(
                &rc.ctx,
                OfCase {
                    case_id: self.0.id,
                    page,
                },
            )
            .await
            .gql()?;
        Ok(connection(paged, had, |i| i.id.uuid(), Intervention))
    }
}

/// A referral of the case to a service of the directory, followed to its outcome.
pub struct Referral(pub cases::Referral);

#[Object]
impl Referral {
    async fn id(&self) -> ID {
        encode(Kind::Referral, self.0.id.uuid())
    }
    async fn status(&self) -> ReferralStatus {
        self.0.status.into()
    }
    async fn service(&self, ctx: &Context<'_>) -> GqlResult<super::types::DirectoryService> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .get_directory_service(&rc.ctx, self.0.service_id)
            .await
            .gql()
            .map(super::types::DirectoryService)
    }
    async fn need_ids(&self) -> Vec<ID> {
        self.0
            .need_ids
            .iter()
            .map(|n| encode(Kind::Need, n.uuid()))
            .collect()
    }
    /// Why a coordinator sent it without the person's sharing consent.
    async fn override_reason(&self) -> Option<&str> {
        self.0.override_reason.as_deref()
    }
    async fn feedback(&self) -> Option<&str> {
        self.0.feedback.as_deref()
    }
    async fn sent_at(&self) -> DateTime<Utc> {
        self.0.sent_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A goal of the personalised autonomy plan, with its steps.
pub struct PlanGoal(pub cases::PlanGoal);

#[Object]
impl PlanGoal {
    async fn id(&self) -> ID {
        encode(Kind::Goal, self.0.id.uuid())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn need_ids(&self) -> Vec<ID> {
        self.0
            .need_ids
            .iter()
            .map(|n| encode(Kind::Need, n.uuid()))
            .collect()
    }
    async fn status(&self) -> GoalStatus {
        self.0.status.into()
    }
    async fn review_on(&self) -> Option<NaiveDate> {
        self.0.review_on
    }
    #[graphql(complexity = "crate::cost::list(child_complexity)")]
    async fn steps(&self) -> Vec<PlanStep> {
        self.0.steps.iter().cloned().map(PlanStep).collect()
    }
}

/// A step towards a goal, with its owner and due date.
pub struct PlanStep(pub cases::PlanStep);

#[Object]
impl PlanStep {
    async fn id(&self) -> ID {
        encode(Kind::Step, self.0.id.uuid())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn owner(&self) -> StepOwner {
        self.0.owner.into()
    }
    async fn due_on(&self) -> Option<NaiveDate> {
        self.0.due_on
    }
    async fn status(&self) -> StepStatus {
        self.0.status.into()
    }
}

/// One meeting or contact.
pub struct Encounter(pub cases::Encounter);

#[Object]
impl Encounter {
    async fn id(&self) -> ID {
        encode(Kind::Encounter, self.0.id.uuid())
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    async fn channel(&self) -> Channel {
        self.0.channel.into()
    }
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }
    async fn mediator_present(&self) -> bool {
        self.0.mediator_present
    }
    async fn duration_minutes(&self) -> Option<u32> {
        self.0.duration_minutes
    }
    /// Protected free text.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
}

/// A coded need, expressed by the person or detected by the operator.
pub struct Need(pub cases::Need);

#[Object]
impl Need {
    async fn id(&self) -> ID {
        encode(Kind::Need, self.0.id.uuid())
    }
    async fn code(&self) -> NeedCode {
        self.0.code.into()
    }
    async fn source(&self) -> NeedSource {
        self.0.source.into()
    }
    async fn status(&self) -> NeedStatus {
        self.0.status.into()
    }
    async fn noted_at(&self) -> DateTime<Utc> {
        self.0.noted_at
    }
    /// The tenant's own need type, when one was chosen.
    async fn type_code(&self) -> Option<&str> {
        self.0.type_code.as_deref()
    }
}

/// A tenant's own need type: a finer kind of need within one category of the common taxonomy.
/// Shared statistics count the category.
pub struct NeedType(pub cases::NeedType);

#[Object]
impl NeedType {
    async fn id(&self) -> ID {
        encode(Kind::NeedType, self.0.id.uuid())
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn label(&self) -> &str {
        &self.0.label
    }
    async fn category(&self) -> NeedCode {
        self.0.category.into()
    }
    /// Retired types stay on past needs and cannot be chosen any more.
    async fn retired(&self) -> bool {
        self.0.retired
    }
}

/// Something done for the person.
pub struct Intervention(pub cases::Intervention);

#[Object]
impl Intervention {
    async fn id(&self) -> ID {
        encode(Kind::Intervention, self.0.id.uuid())
    }
    async fn kind(&self) -> InterventionKind {
        self.0.kind.into()
    }
    async fn need_ids(&self) -> Vec<ID> {
        self.0
            .need_ids
            .iter()
            .map(|n| encode(Kind::Need, n.uuid()))
            .collect()
    }
    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
    }
    async fn done_at(&self) -> DateTime<Utc> {
        self.0.done_at
    }
}

#[derive(InputObject)]
pub struct PersonInput {
    pub given_names: String,
    pub family_names: String,
    pub latin_given_names: Option<String>,
    pub latin_family_names: Option<String>,
    pub birth: Option<BirthDate>,
    pub sex: Option<Sex>,
    pub gender: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_of_birth: Option<String>,
    #[graphql(default)]
    pub citizenships: Vec<String>,
    #[graphql(default)]
    pub languages: Vec<LanguageSkill>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub codice_fiscale: Option<String>,
    pub legal_status: Option<LegalStatus>,
    pub territory_code: String,
}

impl From<PersonInput> for cases::PersonInput {
    fn from(i: PersonInput) -> Self {
        cases::PersonInput {
            given_names: i.given_names,
            family_names: i.family_names,
            latin_given_names: i.latin_given_names,
            latin_family_names: i.latin_family_names,
            birth: i.birth.map(|b| cases::BirthDate {
                year: b.year,
                month: b.month,
                day: b.day,
            }),
            sex: i.sex.map(Into::into),
            gender: i.gender,
            country_of_birth: i.country_of_birth,
            citizenships: i.citizenships,
            languages: i
                .languages
                .into_iter()
                .map(|l| cases::LanguageSkill {
                    code: l.code,
                    level: l.level,
                })
                .collect(),
            phone: i.phone,
            email: i.email,
            codice_fiscale: i.codice_fiscale,
            legal_status: i.legal_status.map(|l| cases::LegalStatus {
                permit_type: l.permit_type,
                permit_number: l.permit_number,
                expiry: l.expiry,
            }),
            territory_code: i.territory_code,
        }
    }
}

#[derive(InputObject)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub territory_code: Option<String>,
    pub need: Option<NeedCode>,
    pub opened_from: Option<DateTime<Utc>>,
    pub opened_to: Option<DateTime<Utc>>,
    /// Only this person's cases.
    pub person_id: Option<ID>,
    /// Only the cases whose primary operator is the viewer.
    #[graphql(default)]
    pub mine: bool,
}

#[derive(Default)]
pub struct CasesQuery;

#[Object]
impl CasesQuery {
    /// The tenant's own need types, refining the common categories.
    async fn need_types(&self, ctx: &Context<'_>) -> GqlResult<Vec<NeedType>> {
        let (svc, rc) = services(ctx)?;
        let types = svc.cases.list_need_types(&rc.ctx, ()).await.gql()?;
        Ok(types.into_iter().map(NeedType).collect())
    }

    /// Appointments, by desk, person and time window.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn appointments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<AppointmentFilter>,
    ) -> GqlResult<Connection<String, Appointment>> {
        let (svc, rc) = services(ctx)?;
        let page = page(first, after)?;
        let had = page.after.is_some();
        let f = filter.unwrap_or_default();
        let req = cases::ListAppointments {
            page,
            desk_id: f
                .desk_id
                .map(|d| decode(Kind::Desk, &d))
                .transpose()
                .gql()?,
            person_id: f
                .person_id
                .map(|p| decode(Kind::Person, &p))
                .transpose()
                .gql()?,
            from: f.from,
            to: f.to,
        };
        let paged = svc.cases.list_appointments(&rc.ctx, req).await.gql()?;
        Ok(connection(paged, had, |a| a.id.uuid(), Appointment))
    }

    /// Persons of the active tenant within the viewer's territories. Every read is audited.
    #[graphql(complexity = "crate::cost::page(first, crate::cost::audited(child_complexity))")]
    async fn persons(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        territory_code: Option<String>,
    ) -> GqlResult<Connection<String, Person>> {
        let (svc, rc) = services(ctx)?;
        let page = page(first, after)?;
        let had = page.after.is_some();
        let paged = svc
            .cases
            .list_persons(
                &rc.ctx,
                cases::ListPersons {
                    page,
                    territory_code,
                },
            )
            .await
            .gql()?;
        Ok(connection(paged, had, |p| p.id.uuid(), Person))
    }

    /// Existing persons whose names may be the given ones, across spellings and scripts. Ask
    /// before creating a person.
    #[graphql(
        complexity = "crate::cost::limited(limit, 10, crate::cost::audited(child_complexity))"
    )]
    async fn person_duplicates(
        &self,
        ctx: &Context<'_>,
        given_names: String,
        family_names: String,
        limit: Option<i32>,
    ) -> GqlResult<Vec<PersonMatch>> {
        let (svc, rc) = services(ctx)?;
        let req = cases::FindDuplicates {
            given_names,
            family_names,
            limit: limit.unwrap_or(10).clamp(1, 50) as u32,
        };
        let found = svc.cases.find_duplicates(&rc.ctx, req).await.gql()?;
        Ok(found
            .into_iter()
            .map(|m| PersonMatch {
                person: Person(m.person),
                score: m.score,
            })
            .collect())
    }

    /// Cases of the active tenant within the viewer's territories.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn cases(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<CaseFilter>,
    ) -> GqlResult<Connection<String, Case>> {
        let (svc, rc) = services(ctx)?;
        let page = page(first, after)?;
        let had = page.after.is_some();
        let f = filter.unwrap_or(CaseFilter {
            status: None,
            territory_code: None,
            need: None,
            opened_from: None,
            opened_to: None,
            person_id: None,
            mine: false,
        });
        let req = cases::ListCases {
            page,
            status: f.status.map(Into::into),
            territory_code: f.territory_code,
            primary_operator: if f.mine { rc.ctx.actor.user_id } else { None },
            need_code: f.need.map(Into::into),
            opened_from: f.opened_from,
            opened_to: f.opened_to,
            person_id: f
                .person_id
                .map(|p| decode_input(Kind::Person, &p, "personId"))
                .transpose()
                .gql()?,
        };
        let paged = svc.cases.list_cases(&rc.ctx, req).await.gql()?;
        Ok(connection(paged, had, |c| c.id.uuid(), Case))
    }
}

#[derive(InputObject)]
pub struct AddEncounterInput {
    pub case_id: ID,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub language: Option<String>,
    #[graphql(default)]
    pub mediator_present: bool,
    pub duration_minutes: Option<u32>,
    pub notes: Option<String>,
}

#[derive(InputObject)]
pub struct RecordInterventionInput {
    pub case_id: ID,
    pub kind: InterventionKind,
    #[graphql(default)]
    pub need_ids: Vec<ID>,
    /// A code such as `documents_obtained`.
    pub outcome: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct SendReferralInput {
    pub case_id: ID,
    pub service_id: ID,
    #[graphql(default)]
    pub need_ids: Vec<ID>,
    /// Coordinators only: why the referral goes ahead without the person's sharing consent.
    pub override_reason: Option<String>,
}

#[derive(InputObject)]
pub struct AddGoalInput {
    pub case_id: ID,
    pub title: String,
    #[graphql(default)]
    pub need_ids: Vec<ID>,
    pub review_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct AddStepInput {
    pub goal_id: ID,
    pub title: String,
    pub owner: StepOwner,
    pub due_on: Option<NaiveDate>,
}

fn need_ids(ids: &[ID]) -> GqlResult<Vec<sportello_cases::NeedId>> {
    ids.iter()
        .map(|n| decode_input(Kind::Need, n, "needIds"))
        .collect::<Result<Vec<_>, _>>()
        .gql()
}

#[derive(InputObject)]
pub struct UpdateEncounterInput {
    pub id: ID,
    pub occurred_at: Option<DateTime<Utc>>,
    pub channel: Option<Channel>,
    pub language: Option<String>,
    pub mediator_present: Option<bool>,
    pub duration_minutes: Option<u32>,
    pub notes: Option<String>,
}

#[derive(Default)]
pub struct CasesMutation;

#[Object]
impl CasesMutation {
    /// Corrects an encounter of an open case; absent fields stay as they are.
    async fn update_encounter(
        &self,
        ctx: &Context<'_>,
        input: UpdateEncounterInput,
    ) -> GqlResult<Encounter> {
        let (svc, rc) = services(ctx)?;
        let req = cases::UpdateEncounter {
            id: decode(Kind::Encounter, &input.id).gql()?,
            occurred_at: input.occurred_at,
            channel: input.channel.map(Into::into),
            language: input.language,
            mediator_present: input.mediator_present,
            duration_minutes: input.duration_minutes,
            notes: input.notes,
        };
        svc.cases
            .update_encounter(&rc.ctx, req)
            .await
            .gql()
            .map(Encounter)
    }

    /// Records the outcome (a code) or corrects the time of an intervention.
    async fn update_intervention(
        &self,
        ctx: &Context<'_>,
        id: ID,
        outcome: Option<String>,
        done_at: Option<DateTime<Utc>>,
    ) -> GqlResult<Intervention> {
        let (svc, rc) = services(ctx)?;
        let req = cases::UpdateIntervention {
            id: decode(Kind::Intervention, &id).gql()?,
            outcome,
            done_at,
        };
        svc.cases
            .update_intervention(&rc.ctx, req)
            .await
            .gql()
            .map(Intervention)
    }

    async fn create_household(
        &self,
        ctx: &Context<'_>,
        label: String,
        territory_code: String,
    ) -> GqlResult<Household> {
        let (svc, rc) = services(ctx)?;
        let req = cases::CreateHousehold {
            label,
            territory_code,
        };
        svc.cases
            .create_household(&rc.ctx, req)
            .await
            .gql()
            .map(Household)
    }

    /// Puts a person in a household (out of any other) with a role.
    async fn add_household_member(
        &self,
        ctx: &Context<'_>,
        household_id: ID,
        person_id: ID,
        role: HouseholdRole,
    ) -> GqlResult<Household> {
        let (svc, rc) = services(ctx)?;
        let req = cases::AddHouseholdMember {
            household_id: decode(Kind::Household, &household_id).gql()?,
            person_id: decode_input(Kind::Person, &person_id, "personId").gql()?,
            role: role.into(),
        };
        svc.cases
            .add_household_member(&rc.ctx, req)
            .await
            .gql()
            .map(Household)
    }

    /// Takes a person out of their household. Returns the person's id.
    async fn remove_household_member(&self, ctx: &Context<'_>, person_id: ID) -> GqlResult<ID> {
        let (svc, rc) = services(ctx)?;
        svc.cases
            .remove_household_member(&rc.ctx, decode(Kind::Person, &person_id).gql()?)
            .await
            .gql()?;
        Ok(person_id)
    }

    /// Books a slot at a desk for a person, or the same slot every week; all or nothing.
    async fn book_appointment(
        &self,
        ctx: &Context<'_>,
        input: BookAppointmentInput,
    ) -> GqlResult<Vec<Appointment>> {
        let (svc, rc) = services(ctx)?;
        let req = cases::BookAppointment {
            desk_id: decode_input(Kind::Desk, &input.desk_id, "deskId").gql()?,
            person_id: decode_input(Kind::Person, &input.person_id, "personId").gql()?,
            case_id: input
                .case_id
                .map(|c| decode_input(Kind::Case, &c, "caseId"))
                .transpose()
                .gql()?,
            operator_id: None,
            starts_at: input.starts_at,
            duration_minutes: input.duration_minutes,
            occurrences: input.occurrences,
            remind_hours_before: input.remind_hours_before,
        };
        Ok(svc
            .cases
            .book_appointment(&rc.ctx, req)
            .await
            .gql()?
            .into_iter()
            .map(Appointment)
            .collect())
    }

    /// Cancels an appointment, and with `following` the later ones of its weekly series.
    async fn cancel_appointment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default)] following: bool,
    ) -> GqlResult<Vec<Appointment>> {
        let (svc, rc) = services(ctx)?;
        let req = cases::CancelAppointment {
            id: decode(Kind::Appointment, &id).gql()?,
            following,
        };
        Ok(svc
            .cases
            .cancel_appointment(&rc.ctx, req)
            .await
            .gql()?
            .into_iter()
            .map(Appointment)
            .collect())
    }

    /// Refers the case to a directory service. Needs the person's sharing consent, or a
    /// coordinator's override with a reason (audited).
    async fn send_referral(
        &self,
        ctx: &Context<'_>,
        input: SendReferralInput,
    ) -> GqlResult<Referral> {
        let (svc, rc) = services(ctx)?;
        let req = cases::SendReferral {
            case_id: decode_input(Kind::Case, &input.case_id, "caseId").gql()?,
            service_id: decode_input(Kind::DirectoryService, &input.service_id, "serviceId")
                .gql()?,
            need_ids: need_ids(&input.need_ids)?,
            override_reason: input.override_reason,
        };
        svc.cases
            .send_referral(&rc.ctx, req)
            .await
            .gql()
            .map(Referral)
    }

    /// SENT → ACCEPTED or REJECTED; ACCEPTED → COMPLETED or FAILED.
    async fn change_referral_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        to: ReferralStatus,
        feedback: Option<String>,
    ) -> GqlResult<Referral> {
        let (svc, rc) = services(ctx)?;
        let req = cases::ChangeReferralStatus {
            id: decode(Kind::Referral, &id).gql()?,
            to: to.into(),
            feedback,
        };
        svc.cases
            .change_referral_status(&rc.ctx, req)
            .await
            .gql()
            .map(Referral)
    }

    async fn add_goal(&self, ctx: &Context<'_>, input: AddGoalInput) -> GqlResult<PlanGoal> {
        let (svc, rc) = services(ctx)?;
        let req = cases::AddGoal {
            case_id: decode_input(Kind::Case, &input.case_id, "caseId").gql()?,
            title: input.title,
            need_ids: need_ids(&input.need_ids)?,
            review_on: input.review_on,
        };
        svc.cases.add_goal(&rc.ctx, req).await.gql().map(PlanGoal)
    }

    async fn update_goal(
        &self,
        ctx: &Context<'_>,
        id: ID,
        status: Option<GoalStatus>,
        review_on: Option<NaiveDate>,
    ) -> GqlResult<PlanGoal> {
        let (svc, rc) = services(ctx)?;
        let req = cases::UpdateGoal {
            id: decode(Kind::Goal, &id).gql()?,
            status: status.map(Into::into),
            review_on,
        };
        svc.cases
            .update_goal(&rc.ctx, req)
            .await
            .gql()
            .map(PlanGoal)
    }

    async fn add_step(&self, ctx: &Context<'_>, input: AddStepInput) -> GqlResult<PlanStep> {
        let (svc, rc) = services(ctx)?;
        let req = cases::AddStep {
            goal_id: decode_input(Kind::Goal, &input.goal_id, "goalId").gql()?,
            title: input.title,
            owner: input.owner.into(),
            due_on: input.due_on,
        };
        svc.cases.add_step(&rc.ctx, req).await.gql().map(PlanStep)
    }

    async fn change_step_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        status: StepStatus,
    ) -> GqlResult<PlanStep> {
        let (svc, rc) = services(ctx)?;
        let req = cases::ChangeStepStatus {
            id: decode(Kind::Step, &id).gql()?,
            status: status.into(),
        };
        svc.cases
            .change_step_status(&rc.ctx, req)
            .await
            .gql()
            .map(PlanStep)
    }

    /// Registers a person. Look for duplicates first with `personDuplicates`.
    async fn create_person(&self, ctx: &Context<'_>, input: PersonInput) -> GqlResult<Person> {
        let (svc, rc) = services(ctx)?;
        svc.cases
            .create_person(&rc.ctx, input.into())
            .await
            .gql()
            .map(Person)
    }

    /// Replaces a person's record.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: PersonInput,
    ) -> GqlResult<Person> {
        let (svc, rc) = services(ctx)?;
        let req = cases::UpdatePerson {
            id: decode(Kind::Person, &id).gql()?,
            input: input.into(),
        };
        svc.cases
            .update_person(&rc.ctx, req)
            .await
            .gql()
            .map(Person)
    }

    /// Records consent given or withdrawn for one purpose.
    async fn record_consent(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
        purpose: ConsentPurpose,
        given: bool,
    ) -> GqlResult<Consent> {
        let (svc, rc) = services(ctx)?;
        let req = cases::RecordConsent {
            person_id: decode(Kind::Person, &person_id).gql()?,
            purpose: purpose.into(),
            given,
        };
        svc.cases
            .record_consent(&rc.ctx, req)
            .await
            .gql()
            .map(Consent)
    }

    /// Takes a person in charge. Needs their consent to case management.
    async fn open_case(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
        territory_code: Option<String>,
        desk_id: Option<ID>,
    ) -> GqlResult<Case> {
        let (svc, rc) = services(ctx)?;
        let req = cases::OpenCase {
            person_id: decode_input(Kind::Person, &person_id, "personId").gql()?,
            territory_code,
            desk_id: desk_id
                .map(|d| decode_input(Kind::Desk, &d, "deskId"))
                .transpose()
                .gql()?,
        };
        svc.cases.open_case(&rc.ctx, req).await.gql().map(Case)
    }

    /// Moves a case: INTAKE → ACTIVE ⇄ MONITORING → CLOSED (with an outcome); CLOSED → ACTIVE
    /// reopens (with a reason).
    async fn change_case_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        to: CaseStatus,
        outcome: Option<String>,
        reason: Option<String>,
    ) -> GqlResult<Case> {
        let (svc, rc) = services(ctx)?;
        let req = cases::ChangeCaseStatus {
            id: decode(Kind::Case, &id).gql()?,
            to: to.into(),
            outcome,
            reason,
        };
        svc.cases
            .change_case_status(&rc.ctx, req)
            .await
            .gql()
            .map(Case)
    }

    async fn add_encounter(
        &self,
        ctx: &Context<'_>,
        input: AddEncounterInput,
    ) -> GqlResult<Encounter> {
        let (svc, rc) = services(ctx)?;
        let req = cases::AddEncounter {
            case_id: decode_input(Kind::Case, &input.case_id, "caseId").gql()?,
            occurred_at: input.occurred_at,
            channel: input.channel.into(),
            language: input.language,
            mediator_present: input.mediator_present,
            duration_minutes: input.duration_minutes,
            notes: input.notes,
        };
        svc.cases
            .add_encounter(&rc.ctx, req)
            .await
            .gql()
            .map(Encounter)
    }

    async fn record_need(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        code: NeedCode,
        source: NeedSource,
        encounter_id: Option<ID>,
        #[graphql(desc = "One of the tenant's need types within the category `code`.")]
        type_code: Option<String>,
    ) -> GqlResult<Need> {
        let (svc, rc) = services(ctx)?;
        let req = cases::RecordNeed {
            case_id: decode_input(Kind::Case, &case_id, "caseId").gql()?,
            code: code.into(),
            source: source.into(),
            encounter_id: encounter_id
                .map(|e| decode_input(Kind::Encounter, &e, "encounterId"))
                .transpose()
                .gql()?,
            type_code,
        };
        svc.cases.record_need(&rc.ctx, req).await.gql().map(Need)
    }

    /// Adds a need type to the tenant's taxonomy. Tenant administrators and coordinators.
    async fn create_need_type(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "2 to 40 lower-case letters, digits or underscores.")] code: String,
        label: String,
        category: NeedCode,
    ) -> GqlResult<NeedType> {
        let (svc, rc) = services(ctx)?;
        let req = cases::CreateNeedType {
            code,
            label,
            category: category.into(),
        };
        svc.cases
            .create_need_type(&rc.ctx, req)
            .await
            .gql()
            .map(NeedType)
    }

    /// Renames a need type, or retires it (or brings it back).
    async fn update_need_type(
        &self,
        ctx: &Context<'_>,
        id: ID,
        label: Option<String>,
        retired: Option<bool>,
    ) -> GqlResult<NeedType> {
        let (svc, rc) = services(ctx)?;
        let req = cases::UpdateNeedType {
            id: decode(Kind::NeedType, &id).gql()?,
            label,
            retired,
        };
        svc.cases
            .update_need_type(&rc.ctx, req)
            .await
            .gql()
            .map(NeedType)
    }

    async fn change_need_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        status: NeedStatus,
    ) -> GqlResult<Need> {
        let (svc, rc) = services(ctx)?;
        let req = cases::ChangeNeedStatus {
            id: decode(Kind::Need, &id).gql()?,
            status: status.into(),
        };
        svc.cases
            .change_need_status(&rc.ctx, req)
            .await
            .gql()
            .map(Need)
    }

    async fn record_intervention(
        &self,
        ctx: &Context<'_>,
        input: RecordInterventionInput,
    ) -> GqlResult<Intervention> {
        let (svc, rc) = services(ctx)?;
        let need_ids = input
            .need_ids
            .iter()
            .map(|n| decode_input(Kind::Need, n, "needIds"))
            .collect::<Result<Vec<_>, _>>()
            .gql()?;
        let req = cases::RecordIntervention {
            case_id: decode_input(Kind::Case, &input.case_id, "caseId").gql()?,
            kind: input.kind.into(),
            need_ids,
            outcome: input.outcome,
            done_at: input.done_at,
        };
        svc.cases
            .record_intervention(&rc.ctx, req)
            .await
            .gql()
            .map(Intervention)
    }
}
