//! On call: mediation requests, legal consultations, the knowledge base, targets and figures,
//! and the live updates of both kinds of request (`Subscription.onCallUpdates`).

use std::time::Duration;

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Subscription};
use chrono::{DateTime, NaiveDate, Utc};
use futures::StreamExt;
use futures::stream::BoxStream;
use sportello_cases as cases;
use sportello_kernel::live::{Live, Topic};

use super::ids::{Kind, decode, decode_input, encode};
use super::{GqlResult, IntoGql, paginate, services};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::Urgency")]
pub enum Urgency {
    /// Target by default: 4 hours to a confirmed mediator.
    Urgent,
    /// Target by default: 48 hours.
    Normal,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::RequesterKind")]
pub enum RequesterKind {
    School,
    SocialService,
    Clinic,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::MediationPurpose")]
pub enum MediationPurpose {
    /// Welcoming a newly arrived pupil and enrolling them.
    Enrolment,
    ParentTeacherMeeting,
    /// A social worker's assessment (parenting capacity among them).
    SocialAssessment,
    HealthVisit,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::MediationStatus")]
pub enum MediationStatus {
    /// Offered to the matching mediators, nobody accepted yet.
    Open,
    Confirmed,
    /// The mediator reported.
    Done,
    Closed,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::CancelledBy")]
pub enum CancelledBy {
    Requester,
    Mediator,
    Coordinator,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "MediationOfferStatus", remote = "sportello_cases::OfferStatus")]
pub enum OfferStatus {
    Offered,
    Declined,
    Accepted,
    Withdrawn,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::LegalCategory")]
pub enum LegalCategory {
    Permit,
    Citizenship,
    FamilyReunification,
    Asylum,
    Work,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::LegalConsultationStatus")]
pub enum LegalConsultationStatus {
    Open,
    Taken,
    Answered,
    Closed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::LegalMessageKind")]
pub enum LegalMessageKind {
    Question,
    Answer,
    FollowUp,
}

fn n(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// The tenant's targets, in minutes.
#[derive(SimpleObject)]
pub struct OnCallSettings {
    pub urgent_activation_minutes: i32,
    pub normal_activation_minutes: i32,
    pub legal_response_minutes: i32,
    /// 0 while the defaults apply.
    pub version: i32,
}

impl From<cases::OnCallSettings> for OnCallSettings {
    fn from(s: cases::OnCallSettings) -> Self {
        Self {
            urgent_activation_minutes: n(s.urgent_activation_minutes),
            normal_activation_minutes: n(s.normal_activation_minutes),
            legal_response_minutes: n(s.legal_response_minutes),
            version: s.version,
        }
    }
}

pub struct MediatorProfile(pub cases::MediatorProfile);

#[Object]
impl MediatorProfile {
    async fn user_id(&self) -> ID {
        encode(Kind::User, self.0.user_id.uuid())
    }
    /// ISO 639-1 codes.
    async fn languages(&self) -> &[String] {
        &self.0.languages
    }
    async fn dialects(&self) -> &str {
        &self.0.dialects
    }
    /// ISTAT codes; empty: every territory of the tenant.
    async fn territories(&self) -> &[String] {
        &self.0.territories
    }
    async fn available(&self) -> bool {
        self.0.available
    }
    async fn max_active(&self) -> i32 {
        n(self.0.max_active)
    }
    /// Confirmed requests not yet reported.
    async fn active(&self) -> i32 {
        n(self.0.active)
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

pub struct RequesterOrganisation(pub cases::RequesterOrganisation);

#[Object]
impl RequesterOrganisation {
    async fn id(&self) -> ID {
        encode(Kind::RequesterOrganisation, self.0.id.uuid())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> RequesterKind {
        self.0.kind.into()
    }
    async fn address(&self) -> &str {
        &self.0.address
    }
    async fn territory_code(&self) -> &str {
        &self.0.territory_code
    }
    /// The requester accounts (users).
    async fn member_ids(&self) -> Vec<ID> {
        self.0
            .members
            .iter()
            .map(|u| encode(Kind::User, u.uuid()))
            .collect()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A request for linguistic-cultural mediation. A mediator sees it while it is offered to them
/// or once they hold it; every such read of `sharedDetails` is audited.
pub struct MediationRequest(pub cases::MediationRequest);

#[Object]
impl MediationRequest {
    pub async fn id(&self) -> ID {
        encode(Kind::MediationRequest, self.0.id.uuid())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn organisation_id(&self) -> Option<ID> {
        self.0
            .organisation_id
            .map(|o| encode(Kind::RequesterOrganisation, o.uuid()))
    }
    async fn organisation_name(&self) -> Option<&str> {
        self.0.organisation_name.as_deref()
    }
    async fn requested_by_id(&self) -> ID {
        encode(Kind::User, self.0.requested_by.uuid())
    }
    /// ISO 639-1 code.
    async fn language(&self) -> &str {
        &self.0.language
    }
    async fn dialect(&self) -> &str {
        &self.0.dialect
    }
    async fn place_name(&self) -> &str {
        &self.0.place_name
    }
    async fn address(&self) -> &str {
        &self.0.address
    }
    async fn territory_code(&self) -> &str {
        &self.0.territory_code
    }
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    async fn window_ends_at(&self) -> DateTime<Utc> {
        self.0.window_ends_at
    }
    async fn duration_minutes(&self) -> i32 {
        n(self.0.duration_minutes)
    }
    async fn purpose(&self) -> MediationPurpose {
        self.0.purpose.into()
    }
    async fn urgency(&self) -> Urgency {
        self.0.urgency.into()
    }
    /// What the requester chose to share about the person (a first name, an age, a class).
    async fn shared_details(&self) -> &str {
        &self.0.shared_details
    }
    async fn status(&self) -> MediationStatus {
        self.0.status.into()
    }
    async fn mediator_id(&self) -> Option<ID> {
        self.0.mediator_id.map(|m| encode(Kind::User, m.uuid()))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.0.confirmed_at
    }
    /// Seconds from the request to the confirmation.
    async fn activation_seconds(&self) -> Option<i64> {
        self.0.activation_seconds
    }
    /// The tenant's target for this urgency, in seconds.
    async fn activation_target_seconds(&self) -> i64 {
        self.0.activation_target_seconds
    }
    async fn report_minutes(&self) -> Option<i32> {
        self.0.report_minutes.map(n)
    }
    async fn report_outcome(&self) -> Option<&str> {
        self.0.report_outcome.as_deref()
    }
    async fn done_at(&self) -> Option<DateTime<Utc>> {
        self.0.done_at
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    async fn cancelled_at(&self) -> Option<DateTime<Utc>> {
        self.0.cancelled_at
    }
    async fn cancelled_by(&self) -> Option<CancelledBy> {
        self.0.cancelled_by.map(Into::into)
    }
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }
    /// For the mediator reading it: their offer.
    async fn my_offer(&self) -> Option<OfferStatus> {
        self.0.my_offer.map(Into::into)
    }
    /// For the requester's side and coordinators: how many mediators it was offered to.
    async fn offered_to(&self) -> i32 {
        n(self.0.offered_to)
    }
}

#[derive(SimpleObject)]
pub struct LegalMessage {
    pub kind: LegalMessageKind,
    pub author_id: ID,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A legal consultation. Advisors never see its case.
pub struct LegalConsultation(pub cases::LegalConsultation);

#[Object]
impl LegalConsultation {
    pub async fn id(&self) -> ID {
        encode(Kind::LegalConsultation, self.0.id.uuid())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn asked_by_id(&self) -> ID {
        encode(Kind::User, self.0.asked_by.uuid())
    }
    /// The case it is about: for the asking side only.
    async fn case_id(&self) -> Option<ID> {
        self.0.case_id.map(|c| encode(Kind::Case, c.uuid()))
    }
    async fn category(&self) -> LegalCategory {
        self.0.category.into()
    }
    async fn urgency(&self) -> Urgency {
        self.0.urgency.into()
    }
    async fn status(&self) -> LegalConsultationStatus {
        self.0.status.into()
    }
    async fn advisor_id(&self) -> Option<ID> {
        self.0.advisor_id.map(|a| encode(Kind::User, a.uuid()))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn taken_at(&self) -> Option<DateTime<Utc>> {
        self.0.taken_at
    }
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered_at
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// Seconds from the question to the first answer.
    async fn response_seconds(&self) -> Option<i64> {
        self.0.response_seconds
    }
    async fn response_target_seconds(&self) -> i64 {
        self.0.response_target_seconds
    }
    /// The question, answers and follow-ups, oldest first.
    async fn messages(&self) -> Vec<LegalMessage> {
        self.0
            .messages
            .iter()
            .map(|m| LegalMessage {
                kind: m.kind.into(),
                author_id: encode(Kind::User, m.author_id.uuid()),
                body: m.body.clone(),
                created_at: m.created_at,
            })
            .collect()
    }
}

/// An answered question, rewritten by its advisor without personal data.
#[derive(SimpleObject)]
pub struct KnowledgeEntry {
    pub id: ID,
    pub category: LegalCategory,
    pub question: String,
    pub answer: String,
    pub published_at: DateTime<Utc>,
}

impl From<cases::KnowledgeEntry> for KnowledgeEntry {
    fn from(k: cases::KnowledgeEntry) -> Self {
        Self {
            id: encode(Kind::KnowledgeEntry, k.id.uuid()),
            category: k.category.into(),
            question: k.question,
            answer: k.answer,
            published_at: k.published_at,
        }
    }
}

/// Times against their target: median and 90th percentile (nearest rank), in seconds.
#[derive(SimpleObject)]
pub struct TimeFigures {
    pub count: i32,
    pub median_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
    pub target_seconds: i64,
    pub within_target: i32,
}

impl From<cases::TimeFigures> for TimeFigures {
    fn from(t: cases::TimeFigures) -> Self {
        Self {
            count: n(t.count),
            median_seconds: t.median_seconds,
            p90_seconds: t.p90_seconds,
            target_seconds: t.target_seconds,
            within_target: n(t.within_target),
        }
    }
}

#[derive(SimpleObject)]
pub struct PurposeCount {
    pub purpose: MediationPurpose,
    pub count: i32,
}

#[derive(SimpleObject)]
pub struct CategoryCount {
    pub category: LegalCategory,
    pub count: i32,
}

/// On-call figures of a period: requests made on its local dates.
#[derive(SimpleObject)]
pub struct OnCallFigures {
    pub mediation_requests: i32,
    pub by_purpose: Vec<PurposeCount>,
    pub cancelled: i32,
    /// Request → confirmed mediator, urgent requests.
    pub activation_urgent: TimeFigures,
    pub activation_normal: TimeFigures,
    pub legal_consultations: i32,
    pub by_category: Vec<CategoryCount>,
    /// Question → first answer.
    pub legal_response: TimeFigures,
}

impl From<cases::OnCallFigures> for OnCallFigures {
    fn from(f: cases::OnCallFigures) -> Self {
        Self {
            mediation_requests: n(f.mediation_requests),
            by_purpose: f
                .by_purpose
                .into_iter()
                .map(|p| PurposeCount {
                    purpose: p.purpose.into(),
                    count: n(p.count),
                })
                .collect(),
            cancelled: n(f.cancelled),
            activation_urgent: f.activation_urgent.into(),
            activation_normal: f.activation_normal.into(),
            legal_consultations: n(f.legal_consultations),
            by_category: f
                .by_category
                .into_iter()
                .map(|c| CategoryCount {
                    category: c.category.into(),
                    count: n(c.count),
                })
                .collect(),
            legal_response: f.legal_response.into(),
        }
    }
}

#[derive(InputObject)]
pub struct SetOnCallSettingsInput {
    /// 1 to 43 200 (30 days).
    pub urgent_activation_minutes: i32,
    pub normal_activation_minutes: i32,
    pub legal_response_minutes: i32,
    /// The version read (0 while the defaults apply).
    pub expected_version: i32,
}

/// A mediator's profile. `languages`: ISO 639 codes (1 to 20); `territories`: ISTAT codes of the
/// tenant (none: all); `maxActive`: 1 to 20 confirmed requests at once. `userId`: a member with
/// the mediator role (the viewer by default); `expectedVersion`: none for a first profile.
#[derive(InputObject)]
pub struct SetMediatorProfileInput {
    pub user_id: Option<ID>,
    pub languages: Vec<String>,
    #[graphql(default)]
    pub dialects: String,
    #[graphql(default)]
    pub territories: Vec<String>,
    #[graphql(default = true)]
    pub available: bool,
    #[graphql(default = 3)]
    pub max_active: i32,
    pub expected_version: Option<i32>,
}

#[derive(InputObject)]
pub struct CreateRequesterOrganisationInput {
    pub name: String,
    pub kind: RequesterKind,
    pub address: String,
    /// ISTAT code of the municipality.
    pub territory_code: String,
}

/// A mediation request. `language`: ISO 639; `startsAt` from now to a year ahead;
/// `windowEndsAt` after it, within 12 hours; `durationMinutes` 15–480 and within the window;
/// `sharedDetails` up to 500 characters, only what the mediator needs. A requester's
/// organisation is their own (`organisationId` may be left out); `territoryCode` defaults to
/// the organisation's.
#[derive(InputObject)]
pub struct RequestMediationInput {
    pub organisation_id: Option<ID>,
    pub language: String,
    #[graphql(default)]
    pub dialect: String,
    pub place_name: String,
    pub address: String,
    pub territory_code: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub window_ends_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub purpose: MediationPurpose,
    pub urgency: Urgency,
    #[graphql(default)]
    pub shared_details: String,
}

#[derive(InputObject)]
pub struct ReportMediationInput {
    pub request_id: ID,
    /// 1 to 720.
    pub minutes: i32,
    /// 1 to 1000 characters, no personal data.
    pub outcome: String,
}

#[derive(InputObject)]
pub struct CancelMediationInput {
    pub request_id: ID,
    /// 1 to 500 characters.
    pub reason: String,
}

/// A legal question (10 to 4000 characters), about a case the operator may see or none.
#[derive(InputObject)]
pub struct AskLegalQuestionInput {
    pub case_id: Option<ID>,
    pub category: LegalCategory,
    pub urgency: Urgency,
    pub question: String,
}

#[derive(InputObject)]
pub struct LegalMessageInput {
    pub consultation_id: ID,
    /// 1 to 8000 characters.
    pub body: String,
}

/// The question (10–2000 characters) and answer (10–8000) as they go into the knowledge base,
/// rewritten without personal data.
#[derive(InputObject)]
pub struct PublishKnowledgeInput {
    pub consultation_id: ID,
    pub question: String,
    pub answer: String,
}

fn to_u32(field: &str, v: i32) -> GqlResult<u32> {
    u32::try_from(v).map_err(|_| {
        super::to_gql(sportello_kernel::Error::on(
            field,
            sportello_kernel::Reason::OutOfRange {
                min: 0,
                max: i64::from(u32::MAX),
            },
        ))
    })
}

#[derive(Default)]
pub struct OnCallQuery;

#[Object]
impl OnCallQuery {
    /// The tenant's on-call targets (any member).
    #[graphql(name = "onCallSettings")]
    async fn oncall_settings(&self, ctx: &Context<'_>) -> GqlResult<OnCallSettings> {
        let (svc, rc) = services(ctx)?;
        Ok(svc.cases.oncall_settings(&rc.ctx, ()).await.gql()?.into())
    }

    /// Mediators' profiles: all for administrators and coordinators, their own for a mediator.
    async fn mediator_profiles(&self, ctx: &Context<'_>) -> GqlResult<Vec<MediatorProfile>> {
        let (svc, rc) = services(ctx)?;
        let list = svc.cases.mediator_profiles(&rc.ctx, ()).await.gql()?;
        Ok(list.into_iter().map(MediatorProfile).collect())
    }

    /// Organisations that request mediation: all for staff, their own for a requester.
    async fn requester_organisations(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<RequesterOrganisation>> {
        let (svc, rc) = services(ctx)?;
        let list = svc.cases.requester_organisations(&rc.ctx, ()).await.gql()?;
        Ok(list.into_iter().map(RequesterOrganisation).collect())
    }

    /// Mediation requests the viewer may see, newest first: a requester its organisation's, a
    /// mediator those offered to or held by them, an operator those they made, a coordinator
    /// all of their territories.
    #[graphql(complexity = "crate::cost::page(first, crate::cost::audited(child_complexity))")]
    async fn mediation_requests(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<MediationStatus>,
    ) -> GqlResult<Connection<String, MediationRequest>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| {
            svc.cases.mediation_requests(
                &rc.ctx,
                cases::ListMediationRequests {
                    page,
                    status: status.map(Into::into),
                },
            )
        };
        paginate(first, after, fetch, |r| r.id.uuid(), MediationRequest).await
    }

    async fn mediation_request(&self, ctx: &Context<'_>, id: ID) -> GqlResult<MediationRequest> {
        let (svc, rc) = services(ctx)?;
        let id = decode(Kind::MediationRequest, &id).gql()?;
        Ok(MediationRequest(
            svc.cases.get_mediation_request(&rc.ctx, id).await.gql()?,
        ))
    }

    /// Legal consultations: an operator's own; all for advisors and coordinators. Newest first.
    #[graphql(complexity = "crate::cost::page(first, crate::cost::audited(child_complexity))")]
    async fn legal_consultations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<LegalConsultationStatus>,
    ) -> GqlResult<Connection<String, LegalConsultation>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| {
            svc.cases.legal_consultations(
                &rc.ctx,
                cases::ListLegalConsultations {
                    page,
                    status: status.map(Into::into),
                },
            )
        };
        paginate(first, after, fetch, |c| c.id.uuid(), LegalConsultation).await
    }

    async fn legal_consultation(&self, ctx: &Context<'_>, id: ID) -> GqlResult<LegalConsultation> {
        let (svc, rc) = services(ctx)?;
        let id = decode(Kind::LegalConsultation, &id).gql()?;
        Ok(LegalConsultation(
            svc.cases.get_legal_consultation(&rc.ctx, id).await.gql()?,
        ))
    }

    /// The legal knowledge base: entries with every word of `text` (accents and case ignored),
    /// newest first.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn legal_knowledge(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        text: Option<String>,
        category: Option<LegalCategory>,
    ) -> GqlResult<Connection<String, KnowledgeEntry>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| {
            svc.cases.search_knowledge(
                &rc.ctx,
                cases::SearchKnowledge {
                    page,
                    text: text.clone(),
                    category: category.map(Into::into),
                },
            )
        };
        paginate(first, after, fetch, |k| k.id.uuid(), KnowledgeEntry::from).await
    }

    /// Requests, activation and legal response times of a period (the tenant's local dates,
    /// both included) against the targets. Administrators and coordinators.
    #[graphql(name = "onCallFigures")]
    async fn oncall_figures(
        &self,
        ctx: &Context<'_>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> GqlResult<OnCallFigures> {
        let (svc, rc) = services(ctx)?;
        let req = cases::OnCallFiguresRequest { from, to };
        Ok(svc.cases.oncall_figures(&rc.ctx, req).await.gql()?.into())
    }
}

#[derive(Default)]
pub struct OnCallMutation;

#[Object]
impl OnCallMutation {
    #[graphql(name = "setOnCallSettings")]
    async fn set_oncall_settings(
        &self,
        ctx: &Context<'_>,
        input: SetOnCallSettingsInput,
    ) -> GqlResult<OnCallSettings> {
        let (svc, rc) = services(ctx)?;
        let req = cases::SetOnCallSettings {
            urgent_activation_minutes: to_u32(
                "urgentActivationMinutes",
                input.urgent_activation_minutes,
            )?,
            normal_activation_minutes: to_u32(
                "normalActivationMinutes",
                input.normal_activation_minutes,
            )?,
            legal_response_minutes: to_u32("legalResponseMinutes", input.legal_response_minutes)?,
            expected_version: input.expected_version,
        };
        Ok(svc
            .cases
            .set_oncall_settings(&rc.ctx, req)
            .await
            .gql()?
            .into())
    }

    async fn set_mediator_profile(
        &self,
        ctx: &Context<'_>,
        input: SetMediatorProfileInput,
    ) -> GqlResult<MediatorProfile> {
        let (svc, rc) = services(ctx)?;
        let user_id = match input.user_id {
            Some(u) => decode_input(Kind::User, &u, "userId").gql()?,
            None => rc.ctx.user().gql()?,
        };
        let req = cases::SetMediatorProfile {
            user_id,
            languages: input.languages,
            dialects: input.dialects,
            territories: input.territories,
            available: input.available,
            max_active: to_u32("maxActive", input.max_active)?,
            expected_version: input.expected_version,
        };
        Ok(MediatorProfile(
            svc.cases.set_mediator_profile(&rc.ctx, req).await.gql()?,
        ))
    }

    async fn create_requester_organisation(
        &self,
        ctx: &Context<'_>,
        input: CreateRequesterOrganisationInput,
    ) -> GqlResult<RequesterOrganisation> {
        let (svc, rc) = services(ctx)?;
        let req = cases::CreateRequesterOrganisation {
            name: input.name,
            kind: input.kind.into(),
            address: input.address,
            territory_code: input.territory_code,
        };
        Ok(RequesterOrganisation(
            svc.cases
                .create_requester_organisation(&rc.ctx, req)
                .await
                .gql()?,
        ))
    }

    /// Makes a member with the external requester role a requester of the organisation.
    async fn add_requester(
        &self,
        ctx: &Context<'_>,
        organisation_id: ID,
        user_id: ID,
    ) -> GqlResult<RequesterOrganisation> {
        let (svc, rc) = services(ctx)?;
        let req = cases::AddRequester {
            organisation_id: decode_input(
                Kind::RequesterOrganisation,
                &organisation_id,
                "organisationId",
            )
            .gql()?,
            user_id: decode_input(Kind::User, &user_id, "userId").gql()?,
        };
        Ok(RequesterOrganisation(
            svc.cases.add_requester(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Requests mediation; the matching mediators (language, availability, territory, load)
    /// receive the offer live.
    async fn request_mediation(
        &self,
        ctx: &Context<'_>,
        input: RequestMediationInput,
    ) -> GqlResult<MediationRequest> {
        let (svc, rc) = services(ctx)?;
        let req = cases::RequestMediation {
            organisation_id: input
                .organisation_id
                .map(|o| decode_input(Kind::RequesterOrganisation, &o, "organisationId"))
                .transpose()
                .gql()?,
            language: input.language,
            dialect: input.dialect,
            place_name: input.place_name,
            address: input.address,
            territory_code: input.territory_code,
            starts_at: input.starts_at,
            window_ends_at: input.window_ends_at,
            duration_minutes: to_u32("durationMinutes", input.duration_minutes)?,
            purpose: input.purpose.into(),
            urgency: input.urgency.into(),
            shared_details: input.shared_details,
        };
        Ok(MediationRequest(
            svc.cases.request_mediation(&rc.ctx, req).await.gql()?,
        ))
    }

    /// A mediator accepts or declines an offer. The first acceptance confirms the request; a
    /// later one is `CONFLICT` with reason `REQUEST_TAKEN`.
    async fn answer_mediation_offer(
        &self,
        ctx: &Context<'_>,
        request_id: ID,
        accept: bool,
    ) -> GqlResult<MediationRequest> {
        let (svc, rc) = services(ctx)?;
        let req = cases::AnswerMediationOffer {
            request_id: decode_input(Kind::MediationRequest, &request_id, "requestId").gql()?,
            accept,
        };
        Ok(MediationRequest(
            svc.cases.answer_mediation_offer(&rc.ctx, req).await.gql()?,
        ))
    }

    async fn report_mediation(
        &self,
        ctx: &Context<'_>,
        input: ReportMediationInput,
    ) -> GqlResult<MediationRequest> {
        let (svc, rc) = services(ctx)?;
        let req = cases::ReportMediation {
            request_id: decode_input(Kind::MediationRequest, &input.request_id, "requestId")
                .gql()?,
            minutes: to_u32("minutes", input.minutes)?,
            outcome: input.outcome,
        };
        Ok(MediationRequest(
            svc.cases.report_mediation(&rc.ctx, req).await.gql()?,
        ))
    }

    async fn close_mediation(
        &self,
        ctx: &Context<'_>,
        request_id: ID,
    ) -> GqlResult<MediationRequest> {
        let (svc, rc) = services(ctx)?;
        let id = decode_input(Kind::MediationRequest, &request_id, "requestId").gql()?;
        Ok(MediationRequest(
            svc.cases.close_mediation(&rc.ctx, id).await.gql()?,
        ))
    }

    async fn cancel_mediation(
        &self,
        ctx: &Context<'_>,
        input: CancelMediationInput,
    ) -> GqlResult<MediationRequest> {
        let (svc, rc) = services(ctx)?;
        let req = cases::CancelMediation {
            request_id: decode_input(Kind::MediationRequest, &input.request_id, "requestId")
                .gql()?,
            reason: input.reason,
        };
        Ok(MediationRequest(
            svc.cases.cancel_mediation(&rc.ctx, req).await.gql()?,
        ))
    }

    async fn ask_legal_question(
        &self,
        ctx: &Context<'_>,
        input: AskLegalQuestionInput,
    ) -> GqlResult<LegalConsultation> {
        let (svc, rc) = services(ctx)?;
        let req = cases::AskLegalQuestion {
            case_id: input
                .case_id
                .map(|c| decode_input(Kind::Case, &c, "caseId"))
                .transpose()
                .gql()?,
            category: input.category.into(),
            urgency: input.urgency.into(),
            question: input.question,
        };
        Ok(LegalConsultation(
            svc.cases.ask_legal_question(&rc.ctx, req).await.gql()?,
        ))
    }

    /// An advisor takes an open consultation; a later one is `REQUEST_TAKEN`.
    async fn take_legal_consultation(
        &self,
        ctx: &Context<'_>,
        consultation_id: ID,
    ) -> GqlResult<LegalConsultation> {
        let (svc, rc) = services(ctx)?;
        let id = decode_input(Kind::LegalConsultation, &consultation_id, "consultationId").gql()?;
        Ok(LegalConsultation(
            svc.cases.take_legal_consultation(&rc.ctx, id).await.gql()?,
        ))
    }

    async fn answer_legal_consultation(
        &self,
        ctx: &Context<'_>,
        input: LegalMessageInput,
    ) -> GqlResult<LegalConsultation> {
        let (svc, rc) = services(ctx)?;
        let req = message(input)?;
        Ok(LegalConsultation(
            svc.cases
                .answer_legal_consultation(&rc.ctx, req)
                .await
                .gql()?,
        ))
    }

    async fn follow_up_legal_consultation(
        &self,
        ctx: &Context<'_>,
        input: LegalMessageInput,
    ) -> GqlResult<LegalConsultation> {
        let (svc, rc) = services(ctx)?;
        let req = message(input)?;
        Ok(LegalConsultation(
            svc.cases
                .follow_up_legal_consultation(&rc.ctx, req)
                .await
                .gql()?,
        ))
    }

    async fn close_legal_consultation(
        &self,
        ctx: &Context<'_>,
        consultation_id: ID,
    ) -> GqlResult<LegalConsultation> {
        let (svc, rc) = services(ctx)?;
        let id = decode_input(Kind::LegalConsultation, &consultation_id, "consultationId").gql()?;
        Ok(LegalConsultation(
            svc.cases
                .close_legal_consultation(&rc.ctx, id)
                .await
                .gql()?,
        ))
    }

    /// Publishes an answered consultation, rewritten without personal data, to the knowledge
    /// base (the advisor who answered).
    async fn publish_knowledge(
        &self,
        ctx: &Context<'_>,
        input: PublishKnowledgeInput,
    ) -> GqlResult<KnowledgeEntry> {
        let (svc, rc) = services(ctx)?;
        let req = cases::PublishKnowledge {
            consultation_id: decode_input(
                Kind::LegalConsultation,
                &input.consultation_id,
                "consultationId",
            )
            .gql()?,
            question: input.question,
            answer: input.answer,
        };
        Ok(svc
            .cases
            .publish_knowledge(&rc.ctx, req)
            .await
            .gql()?
            .into())
    }
}

fn message(input: LegalMessageInput) -> GqlResult<cases::WriteLegalMessage> {
    Ok(cases::WriteLegalMessage {
        consultation_id: decode_input(
            Kind::LegalConsultation,
            &input.consultation_id,
            "consultationId",
        )
        .gql()?,
        body: input.body,
    })
}

/// What changed, for a subscriber who may see it.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum OnCallTopic {
    MediationRequest,
    LegalConsultation,
}

/// A live update: the request as the subscriber may see it now, read with their own role,
/// tenant and territory checks.
#[derive(SimpleObject)]
pub struct OnCallUpdate {
    pub topic: OnCallTopic,
    /// `CREATED`, `DECLINED`, `CONFIRMED`, `DONE`, `CLOSED`, `CANCELLED`, `TAKEN`, `ANSWERED`.
    pub change: String,
    pub mediation_request: Option<MediationRequest>,
    pub legal_consultation: Option<LegalConsultation>,
}

/// How often a subscription checks that its session is still valid.
const SESSION_CHECK: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Live updates of the mediation requests and legal consultations the viewer may see:
    /// a mediator learns of a request offered to them, a requester of its confirmation, an
    /// advisor of a new question. Over WebSocket (`graphql-transport-ws`) at `/graphql`,
    /// authenticated like any request; updates the viewer may not read never arrive.
    async fn on_call_updates(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<BoxStream<'static, OnCallUpdate>> {
        let (svc, rc) = services(ctx)?;
        let tenant = rc.ctx.tenant().gql()?;
        rc.ctx.user().gql()?;
        let live: Live = svc.live.clone();
        let cases = svc.cases.clone();
        let sessions = svc.sessions.clone();
        let session = rc.session.as_ref().map(|(token, _)| token.clone());
        let kctx = rc.ctx.clone();
        let mut notices = live.subscribe();
        Ok(async_stream::stream! {
            let mut checked = tokio::time::Instant::now();
            loop {
                let notice = match notices.recv().await {
                    Ok(n) => n,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                };
                if notice.tenant != tenant {
                    continue;
                }
                // A session that ended (signed out, expired) stops receiving.
                if checked.elapsed() > SESSION_CHECK {
                    checked = tokio::time::Instant::now();
                    if let Some(token) = &session
                        && !matches!(sessions.load(token).await, Ok(Some(_)))
                    {
                        break;
                    }
                }
                let update = match notice.topic {
                    Topic::MediationRequest => cases
                        .get_mediation_request(&kctx, notice.id.into())
                        .await
                        .ok()
                        .map(|r| OnCallUpdate {
                            topic: OnCallTopic::MediationRequest,
                            change: notice.change.clone(),
                            mediation_request: Some(MediationRequest(r)),
                            legal_consultation: None,
                        }),
                    Topic::LegalConsultation => cases
                        .get_legal_consultation(&kctx, notice.id.into())
                        .await
                        .ok()
                        .map(|c| OnCallUpdate {
                            topic: OnCallTopic::LegalConsultation,
                            change: notice.change.clone(),
                            mediation_request: None,
                            legal_consultation: Some(LegalConsultation(c)),
                        }),
                };
                if let Some(update) = update {
                    yield update;
                }
            }
        }
        .boxed())
    }
}
