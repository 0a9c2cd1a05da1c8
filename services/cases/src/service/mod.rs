//! The cases service: authorisation (staff roles, territory limits), transaction boundaries,
//! the case life cycle, the audit trail and the outbox.
//!
//! This file holds the service, its constructor and the helpers every aggregate shares; each
//! aggregate's operations live in their own file, as inherent methods that the `Cases`
//! implementation below calls.

use async_trait::async_trait;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, IntoActiveModel, NotSet, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use sportello_kernel::db::{Db, Paged, Scope, StoreConfig, Tx};
use sportello_kernel::error::Refusals;
use sportello_kernel::pseudonym::Pseudonyms;
use sportello_kernel::{Context, Error, ErrorCode, ErrorDetail, Result, Role, TenantId, dates};
use sportello_tenancy::{ListTerritories, TenancyClient};
use uuid::Uuid;

use crate::audit::{self, Audit};
use crate::domain::{self, OutcomeList, codes};
use crate::events::{self, Event};
use crate::interface::*;
use crate::seal::{Protected, Sealable, Vault};
use crate::store::{
    Migrator, appointment, case, consent, encounter, household, intervention, need, need_type,
    outcome_offer, person, plan_goal, plan_step, referral,
};

mod appointments;
mod cases;
mod encounters;
mod erasure;
mod export;
mod households;
mod interventions;
mod need_types;
mod needs;
mod oncall;
mod outcomes;
mod persons;
mod plans;
mod procedures;
mod reads;
mod referrals;

/// The fields of a person's record, as named in the audit log.
const PERSON_FIELDS: [&str; 14] = [
    "names",
    "latinNames",
    "birth",
    "sex",
    "gender",
    "countryOfBirth",
    "citizenships",
    "languages",
    "phone",
    "email",
    "codiceFiscale",
    "legalStatus",
    "territory",
    "household",
];

#[derive(Clone)]
pub struct CasesService {
    db: Db,
    tenancy: TenancyClient,
    pseudonyms: Pseudonyms,
    vault: Vault,
    /// Where live notices (new and changed on-call requests) go.
    live: sportello_kernel::live::Live,
    /// The volunteer register, for volunteers who mediate in a language; none: staff mediators
    /// only.
    volunteers: Option<sportello_volunteers::VolunteersClient>,
}

impl CasesService {
    /// Opens the store; `keyring` holds the tenants' keys of field encryption (`seal`).
    pub async fn open(
        config: &StoreConfig,
        migrate: bool,
        tenancy: TenancyClient,
        keyring: sportello_kernel::crypto::Keyring,
    ) -> Result<Self> {
        Ok(Self {
            db: Db::open::<Migrator>(config, migrate).await?,
            pseudonyms: Pseudonyms::new(std::sync::Arc::new(tenancy.clone()), events::PRODUCER),
            tenancy,
            vault: Vault::new(keyring),
            live: sportello_kernel::live::Live::memory(),
            volunteers: None,
        })
    }

    /// Offers mediation requests to the register's volunteers who mediate in the language too.
    pub fn with_volunteers(
        mut self,
        volunteers: Option<sportello_volunteers::VolunteersClient>,
    ) -> Self {
        self.volunteers = volunteers;
        self
    }

    /// Publishes live notices through `live` (the process's, shared with its gateway or
    /// through Redis).
    pub fn with_live(mut self, live: sportello_kernel::live::Live) -> Self {
        self.live = live;
        self
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The keys of field encryption.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// The request's transaction in its tenant. Who may call each operation is declared in the
    /// interface and checked before the call reaches this service's methods.
    async fn staff_tx(&self, ctx: &Context) -> Result<(TenantId, Tx)> {
        let tenant = ctx.tenant()?;
        Ok((tenant, self.db.begin(Scope::Tenant(tenant)).await?))
    }

    /// The roles `user` holds in the context's tenant, `None` when they are no member. Asked of
    /// the tenancy service as that user would be resolved (tenancy answers a user about
    /// themselves only), for checks such as "is this person a staff member of the tenant".
    async fn member_roles(
        &self,
        ctx: &Context,
        user: sportello_kernel::UserId,
    ) -> Option<Vec<Role>> {
        let tenant = ctx.tenant().ok()?;
        let lookup = Context {
            tenant: Some(tenant),
            actor: sportello_kernel::Actor {
                user_id: Some(user),
                ..Default::default()
            },
            request_id: ctx.request_id.clone(),
            traceparent: ctx.traceparent.clone(),
            clock: ctx.clock,
            time_zone: ctx.time_zone,
        };
        let req = sportello_tenancy::ResolveActor {
            user_id: user,
            tenant_id: tenant,
        };
        self.tenancy
            .resolve_actor(&lookup, req)
            .await
            .ok()
            .map(|r| r.actor.roles)
    }

    /// A context of the context's tenant acting as `user`, for asking the tenancy service about
    /// that user (it answers a user about themselves only).
    fn as_user(ctx: &Context, user: sportello_kernel::UserId) -> Context {
        Context {
            tenant: ctx.tenant,
            actor: sportello_kernel::Actor {
                user_id: Some(user),
                ..Default::default()
            },
            request_id: ctx.request_id.clone(),
            traceparent: ctx.traceparent.clone(),
            clock: ctx.clock,
            time_zone: ctx.time_zone,
        }
    }

    /// The e-mail address of `user`, a member of the context's tenant; `None` when they are
    /// not (any more) a member.
    pub(crate) async fn staff_email(
        &self,
        ctx: &Context,
        user: sportello_kernel::UserId,
    ) -> Option<String> {
        self.member_roles(ctx, user).await?;
        let lookup = Self::as_user(ctx, user);
        self.tenancy
            .user_with_tenants(&lookup, user)
            .await
            .ok()
            .map(|u| u.user.email)
    }

    async fn audit(
        &self,
        tx: &Tx,
        ctx: &Context,
        action: &str,
        object_type: &str,
        id: Uuid,
        fields: &[&str],
    ) -> Result<()> {
        let entry = Audit {
            action,
            object_type,
            object_id: id,
            fields,
        };
        audit::append(tx, self.db.backend(), ctx, entry).await
    }

    /// The territory must exist in the tenant (asked of the tenancy service) and be within the
    /// actor's territory limits.
    async fn check_territory(&self, ctx: &Context, field: &str, code: &str) -> Result<String> {
        let code = code.trim().to_owned();
        if !ctx.covers_territory(&code) {
            return Err(Error::on(
                field,
                sportello_kernel::Reason::OutsideYourTerritories,
            ));
        }
        let req = ListTerritories {
            istat_code: Some(code.clone()),
            ..ListTerritories::default()
        };
        let found = self.tenancy.list_territories(ctx, req).await?;
        if found.items.is_empty() {
            // Say why when the code is malformed, unknown or retired.
            sportello_tenancy::domain::IstatCode::parse(field, &code)?;
            return Err(Error::on(
                field,
                sportello_kernel::Reason::NoSuch {
                    object: sportello_kernel::error::Object::Territory,
                },
            ));
        }
        Ok(code)
    }

    /// A person of the tenant within the actor's territories, or `NOT_FOUND`.
    async fn visible_person(&self, tx: &Tx, ctx: &Context, id: Uuid) -> Result<person::Model> {
        let found = tx.find::<person::Entity>(person::Column::Id, id).await?;
        if ctx.covers_territory(&found.territory_code) {
            Ok(found)
        } else {
            Err(Error::not_found())
        }
    }

    /// A household of the tenant registered in one of the actor's territories or with at least
    /// one member the actor may see, or `NOT_FOUND`.
    async fn visible_household(
        &self,
        tx: &Tx,
        ctx: &Context,
        id: Uuid,
    ) -> Result<household::Model> {
        let found = tx
            .find::<household::Entity>(household::Column::Id, id)
            .await?;
        if ctx.covers_territory(&found.territory_code) {
            return Ok(found);
        }
        let member = tx
            .scoped::<person::Entity>()?
            .select_only()
            .column(person::Column::Id)
            .filter(person::Column::HouseholdId.eq(found.id))
            .filter(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()))
            .into_tuple::<Uuid>()
            .one(tx.conn())
            .await?;
        match member {
            Some(_) => Ok(found),
            None => Err(Error::not_found()),
        }
    }

    /// The members of a household the actor may see: those followed in the actor's territories.
    /// The others (and so the minors among them) do not exist for a limited actor.
    async fn members(&self, tx: &Tx, ctx: &Context, household: Uuid) -> Result<Vec<person::Model>> {
        let mut select = tx
            .scoped::<person::Entity>()?
            .filter(person::Column::HouseholdId.eq(household));
        if !ctx.actor.territories.is_empty() {
            select =
                select.filter(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()));
        }
        Ok(select
            .order_by_asc(person::Column::Id)
            .all(tx.conn())
            .await?)
    }

    async fn visible_case(&self, tx: &Tx, ctx: &Context, id: Uuid) -> Result<case::Model> {
        let found = tx.find::<case::Entity>(case::Column::Id, id).await?;
        if ctx.covers_territory(&found.territory_code) {
            Ok(found)
        } else {
            Err(Error::not_found())
        }
    }

    /// Like [`Self::visible_case`], and the case's row stays locked until the transaction ends:
    /// a change of status and the addition of anything to the case (encounters, needs,
    /// interventions, referrals, goals, steps, appointments) check the status under this lock, so
    /// nothing is added to a case once its closure has committed.
    async fn locked_case(&self, tx: &Tx, ctx: &Context, id: Uuid) -> Result<case::Model> {
        let found = tx
            .find_for_update::<case::Entity>(case::Column::Id, id)
            .await?;
        if ctx.covers_territory(&found.territory_code) {
            Ok(found)
        } else {
            Err(Error::not_found())
        }
    }

    /// Refuses a second open case for a person (`CONFLICT` on `field`: `personId` when opening,
    /// `to` when reopening; naming the open case when the actor may see it). Callers hold the person's row lock, so that concurrent openings
    /// for the same person queue and each sees the one before; a partial unique index on open
    /// cases is the backstop.
    async fn no_other_open_case(
        &self,
        tx: &Tx,
        ctx: &Context,
        person: Uuid,
        except: Option<Uuid>,
        field: &str,
    ) -> Result<()> {
        let mut select = tx
            .scoped::<case::Entity>()?
            .filter(case::Column::PersonId.eq(person))
            .filter(case::Column::Status.ne(codes::status(CaseStatus::Closed)));
        if let Some(except) = except {
            select = select.filter(case::Column::Id.ne(except));
        }
        let open = select.one(tx.conn()).await?;
        open_case_conflict(ctx, open.map(|c| (c.id, c.territory_code)), field)
    }

    /// What opening a case for `person` depends on, in one statement: the person's open case
    /// (id and territory), if any, and the latest decisions on case management and on
    /// anonymised statistics. Run after the person's row is locked, so that it sees every
    /// opening and consent committed before.
    async fn opening_state(
        &self,
        tx: &Tx,
        person: Uuid,
    ) -> Result<(Option<(Uuid, String)>, [Option<bool>; 2])> {
        let purposes = [
            ConsentPurpose::CaseManagement,
            ConsentPurpose::AnonymisedStatistics,
        ]
        .map(codes::consent);
        let rows = tx
            .query_scoped(
                "SELECT 'case' AS kind, id, territory_code AS detail, NULL AS given FROM cases \
                 WHERE tenant_id = :tenant AND person_id = ? AND status <> ? \
                 UNION ALL \
                 SELECT 'consent' AS kind, id, purpose AS detail, given FROM consents \
                 WHERE tenant_id = :tenant AND person_id = ? AND purpose IN (?, ?) \
                 ORDER BY id DESC",
                vec![
                    person.into(),
                    codes::status(CaseStatus::Closed).into(),
                    person.into(),
                    purposes[0].into(),
                    purposes[1].into(),
                ],
            )
            .await?;
        let mut open = None;
        let mut decisions = [None; 2];
        for row in rows {
            let kind: String = row.try_get("", "kind")?;
            let detail: String = row.try_get("", "detail")?;
            if kind == "case" {
                open = Some((row.try_get("", "id")?, detail));
            } else if let Some(i) = purposes.iter().position(|p| *p == detail)
                && decisions[i].is_none()
            {
                // Newest first: the first decision of a purpose is its latest.
                decisions[i] = row.try_get::<Option<bool>>("", "given")?;
            }
        }
        Ok((open, decisions))
    }

    /// The record as given, checked; refused with every field at fault (the territory among
    /// them) in one answer.
    async fn person_model(&self, ctx: &Context, input: PersonInput) -> Result<domain::ValidPerson> {
        let territory_code = input.territory_code.clone();
        let mut refusals = Refusals::default();
        let valid = refusals.take(domain::ValidPerson::parse(input, ctx.today()));
        let territory = refusals.take(
            self.check_territory(ctx, "territoryCode", &territory_code)
                .await,
        );
        refusals.finish()?;
        match (valid, territory) {
            (Some(valid), Some(territory)) => Ok(domain::ValidPerson {
                territory_code: territory,
                ..valid
            }),
            _ => Err(Error::internal("a refused person record passed its checks")),
        }
    }

    /// Checks that every need belongs to the case; returns their ids.
    async fn needs_of_case(&self, tx: &Tx, case: Uuid, ids: &[NeedId]) -> Result<Vec<Uuid>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            // A need of another case (perhaps one the actor may not see) answers like a missing one.
            let n = tx
                .find::<need::Entity>(need::Column::Id, id.uuid())
                .await
                .ok()
                .filter(|n| n.case_id == case)
                .ok_or_else(|| {
                    Error::on(
                        "needIds",
                        sportello_kernel::Reason::NoSuch {
                            object: sportello_kernel::error::Object::Need,
                        },
                    )
                })?;
            out.push(n.id);
        }
        Ok(out)
    }

    async fn current_consent(
        &self,
        tx: &Tx,
        person: Uuid,
        purpose: ConsentPurpose,
    ) -> Result<bool> {
        let latest = tx
            .scoped::<consent::Entity>()?
            .filter(consent::Column::PersonId.eq(person))
            .filter(consent::Column::Purpose.eq(codes::consent(purpose)))
            .order_by_desc(consent::Column::Id)
            .one(tx.conn())
            .await?;
        Ok(latest.is_some_and(|c| c.given))
    }
}

/// Refuses an opening or a reopening while `open` (id, territory) is the person's open case; the
/// case is named only to an actor whose territories cover it.
fn open_case_conflict(ctx: &Context, open: Option<(Uuid, String)>, field: &str) -> Result<()> {
    let Some((id, territory)) = open else {
        return Ok(());
    };
    if ctx.covers_territory(&territory) {
        Err(
            Error::on(field, sportello_kernel::Reason::OpenCaseExists).with_detail(
                ErrorDetail::Existing {
                    object: "Case".to_owned(),
                    id,
                },
            ),
        )
    } else {
        Err(Error::on(
            field,
            sportello_kernel::Reason::OpenCaseElsewhere,
        ))
    }
}

/// Every operation but `ready` calls the inherent method of the same name in its aggregate's
/// file (inherent methods take precedence over the trait's).
#[async_trait]
impl Cases for CasesService {
    async fn ready(&self, _ctx: &Context, _req: ()) -> Result<()> {
        self.db.ping().await
    }

    async fn read(&self, ctx: &Context, req: Vec<Read>) -> Result<Vec<Outcome>> {
        self.read(ctx, req).await
    }

    async fn export_person(&self, ctx: &Context, req: PersonId) -> Result<PersonRecord> {
        self.export_person(ctx, req).await
    }

    async fn create_person(&self, ctx: &Context, req: PersonInput) -> Result<Person> {
        self.create_person(ctx, req).await
    }

    async fn update_person(&self, ctx: &Context, req: UpdatePerson) -> Result<Person> {
        self.update_person(ctx, req).await
    }

    async fn list_persons(&self, ctx: &Context, req: ListPersons) -> Result<Paged<Person>> {
        self.list_persons(ctx, req).await
    }

    async fn find_duplicates(
        &self,
        ctx: &Context,
        req: FindDuplicates,
    ) -> Result<Vec<PersonMatch>> {
        self.find_duplicates(ctx, req).await
    }

    async fn record_consent(&self, ctx: &Context, req: RecordConsent) -> Result<Consent> {
        self.record_consent(ctx, req).await
    }

    async fn open_case(&self, ctx: &Context, req: OpenCase) -> Result<Case> {
        self.open_case(ctx, req).await
    }

    async fn change_case_status(&self, ctx: &Context, req: ChangeCaseStatus) -> Result<Case> {
        self.change_case_status(ctx, req).await
    }

    async fn case_outcomes(&self, ctx: &Context, _: ()) -> Result<Vec<OfferedOutcome>> {
        self.outcomes(ctx, OutcomeList::Case).await
    }

    async fn set_case_outcome(
        &self,
        ctx: &Context,
        req: SetOutcome,
    ) -> Result<Vec<OfferedOutcome>> {
        self.set_outcome(ctx, OutcomeList::Case, req).await
    }

    async fn intervention_outcomes(&self, ctx: &Context, _: ()) -> Result<Vec<OfferedOutcome>> {
        self.outcomes(ctx, OutcomeList::Intervention).await
    }

    async fn set_intervention_outcome(
        &self,
        ctx: &Context,
        req: SetOutcome,
    ) -> Result<Vec<OfferedOutcome>> {
        self.set_outcome(ctx, OutcomeList::Intervention, req).await
    }

    async fn list_cases(&self, ctx: &Context, req: ListCases) -> Result<Paged<Case>> {
        self.list_cases(ctx, req).await
    }

    async fn add_encounter(&self, ctx: &Context, req: AddEncounter) -> Result<Encounter> {
        self.add_encounter(ctx, req).await
    }

    async fn record_need(&self, ctx: &Context, req: RecordNeed) -> Result<Need> {
        self.record_need(ctx, req).await
    }

    async fn change_need_status(&self, ctx: &Context, req: ChangeNeedStatus) -> Result<Need> {
        self.change_need_status(ctx, req).await
    }

    async fn procedure_types(&self, ctx: &Context, _: ()) -> Result<Vec<ProcedureType>> {
        self.procedure_types(ctx, ()).await
    }

    async fn create_procedure_type(
        &self,
        ctx: &Context,
        req: CreateProcedureType,
    ) -> Result<ProcedureType> {
        self.create_procedure_type(ctx, req).await
    }

    async fn retire_procedure_type(
        &self,
        ctx: &Context,
        req: RetireProcedureType,
    ) -> Result<ProcedureType> {
        self.retire_procedure_type(ctx, req).await
    }

    async fn start_procedure(&self, ctx: &Context, req: StartProcedure) -> Result<Procedure> {
        self.start_procedure(ctx, req).await
    }

    async fn record_procedure_step(
        &self,
        ctx: &Context,
        req: RecordProcedureStep,
    ) -> Result<Procedure> {
        self.record_procedure_step(ctx, req).await
    }

    async fn set_procedure_document(
        &self,
        ctx: &Context,
        req: SetProcedureDocument,
    ) -> Result<Procedure> {
        self.set_procedure_document(ctx, req).await
    }

    async fn update_procedure(&self, ctx: &Context, req: UpdateProcedure) -> Result<Procedure> {
        self.update_procedure(ctx, req).await
    }

    async fn get_procedure(&self, ctx: &Context, req: ProcedureId) -> Result<Procedure> {
        self.get_procedure(ctx, req).await
    }

    async fn list_procedures(
        &self,
        ctx: &Context,
        req: ListProcedures,
    ) -> Result<Paged<Procedure>> {
        self.list_procedures(ctx, req).await
    }

    async fn procedure_workload(&self, ctx: &Context, _: ()) -> Result<ProcedureWorkload> {
        self.procedure_workload(ctx, ()).await
    }

    async fn oncall_settings(&self, ctx: &Context, req: ()) -> Result<OnCallSettings> {
        self.oncall_settings(ctx, req).await
    }

    async fn set_oncall_settings(
        &self,
        ctx: &Context,
        req: SetOnCallSettings,
    ) -> Result<OnCallSettings> {
        self.set_oncall_settings(ctx, req).await
    }

    async fn mediator_profiles(&self, ctx: &Context, req: ()) -> Result<Vec<MediatorProfile>> {
        self.mediator_profiles(ctx, req).await
    }

    async fn set_mediator_profile(
        &self,
        ctx: &Context,
        req: SetMediatorProfile,
    ) -> Result<MediatorProfile> {
        self.set_mediator_profile(ctx, req).await
    }

    async fn requester_organisations(
        &self,
        ctx: &Context,
        req: (),
    ) -> Result<Vec<RequesterOrganisation>> {
        self.requester_organisations(ctx, req).await
    }

    async fn create_requester_organisation(
        &self,
        ctx: &Context,
        req: CreateRequesterOrganisation,
    ) -> Result<RequesterOrganisation> {
        self.create_requester_organisation(ctx, req).await
    }

    async fn add_requester(
        &self,
        ctx: &Context,
        req: AddRequester,
    ) -> Result<RequesterOrganisation> {
        self.add_requester(ctx, req).await
    }

    async fn request_mediation(
        &self,
        ctx: &Context,
        req: RequestMediation,
    ) -> Result<MediationRequest> {
        self.request_mediation(ctx, req).await
    }

    async fn mediation_requests(
        &self,
        ctx: &Context,
        req: ListMediationRequests,
    ) -> Result<Paged<MediationRequest>> {
        self.mediation_requests(ctx, req).await
    }

    async fn get_mediation_request(
        &self,
        ctx: &Context,
        req: MediationRequestId,
    ) -> Result<MediationRequest> {
        self.get_mediation_request(ctx, req).await
    }

    async fn answer_mediation_offer(
        &self,
        ctx: &Context,
        req: AnswerMediationOffer,
    ) -> Result<MediationRequest> {
        self.answer_mediation_offer(ctx, req).await
    }

    async fn report_mediation(
        &self,
        ctx: &Context,
        req: ReportMediation,
    ) -> Result<MediationRequest> {
        self.report_mediation(ctx, req).await
    }

    async fn close_mediation(
        &self,
        ctx: &Context,
        req: MediationRequestId,
    ) -> Result<MediationRequest> {
        self.close_mediation(ctx, req).await
    }

    async fn cancel_mediation(
        &self,
        ctx: &Context,
        req: CancelMediation,
    ) -> Result<MediationRequest> {
        self.cancel_mediation(ctx, req).await
    }

    async fn ask_legal_question(
        &self,
        ctx: &Context,
        req: AskLegalQuestion,
    ) -> Result<LegalConsultation> {
        self.ask_legal_question(ctx, req).await
    }

    async fn legal_consultations(
        &self,
        ctx: &Context,
        req: ListLegalConsultations,
    ) -> Result<Paged<LegalConsultation>> {
        self.legal_consultations(ctx, req).await
    }

    async fn get_legal_consultation(
        &self,
        ctx: &Context,
        req: LegalConsultationId,
    ) -> Result<LegalConsultation> {
        self.get_legal_consultation(ctx, req).await
    }

    async fn take_legal_consultation(
        &self,
        ctx: &Context,
        req: LegalConsultationId,
    ) -> Result<LegalConsultation> {
        self.take_legal_consultation(ctx, req).await
    }

    async fn answer_legal_consultation(
        &self,
        ctx: &Context,
        req: WriteLegalMessage,
    ) -> Result<LegalConsultation> {
        self.answer_legal_consultation(ctx, req).await
    }

    async fn follow_up_legal_consultation(
        &self,
        ctx: &Context,
        req: WriteLegalMessage,
    ) -> Result<LegalConsultation> {
        self.follow_up_legal_consultation(ctx, req).await
    }

    async fn close_legal_consultation(
        &self,
        ctx: &Context,
        req: LegalConsultationId,
    ) -> Result<LegalConsultation> {
        self.close_legal_consultation(ctx, req).await
    }

    async fn publish_knowledge(
        &self,
        ctx: &Context,
        req: PublishKnowledge,
    ) -> Result<KnowledgeEntry> {
        self.publish_knowledge(ctx, req).await
    }

    async fn search_knowledge(
        &self,
        ctx: &Context,
        req: SearchKnowledge,
    ) -> Result<Paged<KnowledgeEntry>> {
        self.search_knowledge(ctx, req).await
    }

    async fn oncall_figures(
        &self,
        ctx: &Context,
        req: OnCallFiguresRequest,
    ) -> Result<OnCallFigures> {
        self.oncall_figures(ctx, req).await
    }

    async fn list_need_types(&self, ctx: &Context, _: ()) -> Result<Vec<NeedType>> {
        self.list_need_types(ctx, ()).await
    }

    async fn create_need_type(&self, ctx: &Context, req: CreateNeedType) -> Result<NeedType> {
        self.create_need_type(ctx, req).await
    }

    async fn update_need_type(&self, ctx: &Context, req: UpdateNeedType) -> Result<NeedType> {
        self.update_need_type(ctx, req).await
    }

    async fn record_intervention(
        &self,
        ctx: &Context,
        req: RecordIntervention,
    ) -> Result<Intervention> {
        self.record_intervention(ctx, req).await
    }

    async fn send_referral(&self, ctx: &Context, req: SendReferral) -> Result<Referral> {
        self.send_referral(ctx, req).await
    }

    async fn change_referral_status(
        &self,
        ctx: &Context,
        req: ChangeReferralStatus,
    ) -> Result<Referral> {
        self.change_referral_status(ctx, req).await
    }

    async fn add_goal(&self, ctx: &Context, req: AddGoal) -> Result<PlanGoal> {
        self.add_goal(ctx, req).await
    }

    async fn update_goal(&self, ctx: &Context, req: UpdateGoal) -> Result<PlanGoal> {
        self.update_goal(ctx, req).await
    }

    async fn add_step(&self, ctx: &Context, req: AddStep) -> Result<PlanStep> {
        self.add_step(ctx, req).await
    }

    async fn change_step_status(&self, ctx: &Context, req: ChangeStepStatus) -> Result<PlanStep> {
        self.change_step_status(ctx, req).await
    }

    async fn book_appointment(
        &self,
        ctx: &Context,
        req: BookAppointment,
    ) -> Result<Vec<Appointment>> {
        self.book_appointment(ctx, req).await
    }

    async fn cancel_appointment(
        &self,
        ctx: &Context,
        req: CancelAppointment,
    ) -> Result<Vec<Appointment>> {
        self.cancel_appointment(ctx, req).await
    }

    async fn list_appointments(
        &self,
        ctx: &Context,
        req: ListAppointments,
    ) -> Result<Paged<Appointment>> {
        self.list_appointments(ctx, req).await
    }

    async fn create_household(&self, ctx: &Context, req: CreateHousehold) -> Result<Household> {
        self.create_household(ctx, req).await
    }

    async fn add_household_member(
        &self,
        ctx: &Context,
        req: AddHouseholdMember,
    ) -> Result<Household> {
        self.add_household_member(ctx, req).await
    }

    async fn remove_household_member(&self, ctx: &Context, req: PersonId) -> Result<()> {
        self.remove_household_member(ctx, req).await
    }

    async fn get_household(&self, ctx: &Context, req: HouseholdId) -> Result<Household> {
        self.get_household(ctx, req).await
    }

    async fn update_encounter(&self, ctx: &Context, req: UpdateEncounter) -> Result<Encounter> {
        self.update_encounter(ctx, req).await
    }

    async fn update_intervention(
        &self,
        ctx: &Context,
        req: UpdateIntervention,
    ) -> Result<Intervention> {
        self.update_intervention(ctx, req).await
    }

    async fn erase_person(&self, ctx: &Context, req: ErasePerson) -> Result<Erasure> {
        self.erase_person(ctx, req).await
    }

    async fn erase_expired(&self, ctx: &Context, req: ExpireClosed) -> Result<ExpiredErasure> {
        self.erase_expired(ctx, req).await
    }

    async fn rotate_encryption_key(&self, ctx: &Context, _: ()) -> Result<KeyRotation> {
        let tenant = ctx.tenant()?;
        let done = crate::seal::rotate(&self.db, &self.vault, tenant).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        self.audit(
            &tx,
            ctx,
            "rotate_key",
            "tenant",
            tenant.uuid(),
            &["encryptionKey"],
        )
        .await?;
        tx.commit().await?;
        Ok(KeyRotation {
            version: done.version,
            rewrapped: done.rewrapped,
        })
    }
}

/// A case id that names no case the caller may see, refused on `caseId` (whatever the lookup's own
/// error: not found and not visible are the same answer).
fn no_such_case(_: Error) -> Error {
    Error::on(
        "caseId",
        sportello_kernel::Reason::NoSuch {
            object: sportello_kernel::error::Object::Case,
        },
    )
}

fn open_or_conflict(c: &case::Model) -> Result<()> {
    if c.status == codes::status(CaseStatus::Closed) {
        Err(Error::new(sportello_kernel::Reason::CaseClosed))
    } else {
        Ok(())
    }
}
