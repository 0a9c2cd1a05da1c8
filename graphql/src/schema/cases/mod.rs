//! GraphQL types and operations of the cases service. This file holds the query and mutation
//! roots; each aggregate's object and input types live in their own file.

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use sportello_cases::{self as cases, OfCase, Page};

use super::ids::{Kind, decode, decode_input, encode};
use super::{GqlResult, IntoGql, count, paginate, services};

/// The request's batched reads of the cases service.
pub(crate) fn reads<'a>(ctx: &'a Context<'_>) -> GqlResult<&'a CaseReads> {
    ctx.data::<CaseReads>()
}

mod appointments;
mod case;
mod encounters;
mod erasure;
mod households;
mod interventions;
mod needs;
mod persons;
mod plans;
mod procedures;
mod reads;
mod referrals;

pub use appointments::*;
pub use case::*;
pub use encounters::*;
pub use erasure::*;
pub use households::*;
pub use interventions::*;
pub use needs::*;
pub use persons::*;
pub use plans::*;
pub use procedures::*;
pub use reads::CaseReads;
pub use referrals::*;

/// An outcome a case can be closed with: a code of the closed list (the console names it in its
/// language), never free text, since it travels in the anonymised statistics.
#[derive(SimpleObject)]
pub struct CaseOutcome {
    code: String,
    /// Whether the tenant offers it when a case is closed.
    offered: bool,
}

impl From<cases::OfferedOutcome> for CaseOutcome {
    fn from(o: cases::OfferedOutcome) -> Self {
        Self {
            code: o.code,
            offered: o.offered,
        }
    }
}

/// An outcome an intervention can have: a code of the closed list (the console names it in its
/// language), never free text, since it travels in the anonymised statistics.
#[derive(SimpleObject)]
pub struct InterventionOutcome {
    code: String,
    /// Whether the tenant offers it when an intervention is recorded.
    offered: bool,
}

impl From<cases::OfferedOutcome> for InterventionOutcome {
    fn from(o: cases::OfferedOutcome) -> Self {
        Self {
            code: o.code,
            offered: o.offered,
        }
    }
}

/// What rotating the tenant's encryption key did.
#[derive(SimpleObject)]
pub struct KeyRotation {
    /// The version of the tenant's key-encryption key now current.
    version: i32,
    /// Person keys re-wrapped under it.
    rewrapped: i32,
}

#[derive(Default)]
pub struct CasesQuery;

/// The two forms of a person's export.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PersonExportFormat {
    /// Machine-readable (GDPR art. 20).
    Json,
    /// Readable, in Italian.
    Pdf,
}

#[Object]
impl CasesQuery {
    /// The tenant's own need types, refining the common categories.
    async fn need_types(&self, ctx: &Context<'_>) -> GqlResult<Vec<NeedType>> {
        let (svc, rc) = services(ctx)?;
        let types = svc.cases.list_need_types(&rc.ctx, ()).await.gql()?;
        Ok(types.into_iter().map(NeedType).collect())
    }

    /// The closed list of case outcomes, in the order to offer them, each with whether the
    /// tenant offers it. Closing a case with a code not offered, or any other value, is refused
    /// (`INVALID_INPUT` on `outcome`). Tenant staff.
    async fn case_outcomes(&self, ctx: &Context<'_>) -> GqlResult<Vec<CaseOutcome>> {
        let (svc, rc) = services(ctx)?;
        let list = svc.cases.case_outcomes(&rc.ctx, ()).await.gql()?;
        Ok(list.into_iter().map(CaseOutcome::from).collect())
    }

    /// The closed list of intervention outcomes, in the order to offer them, each with whether
    /// the tenant offers it. Recording an intervention with a code not offered, or any other
    /// value, is refused (`INVALID_INPUT` on `outcome`). Tenant staff.
    async fn intervention_outcomes(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<InterventionOutcome>> {
        let (svc, rc) = services(ctx)?;
        let list = svc.cases.intervention_outcomes(&rc.ctx, ()).await.gql()?;
        Ok(list.into_iter().map(InterventionOutcome::from).collect())
    }

    /// The procedure types: the seeded Italian procedures (steps, documents, offices and time
    /// limits with their sources, docs/procedures.md) and the tenant's own.
    async fn procedure_types(&self, ctx: &Context<'_>) -> GqlResult<Vec<ProcedureType>> {
        let (svc, rc) = services(ctx)?;
        let types = svc.cases.procedure_types(&rc.ctx, ()).await.gql()?;
        Ok(types.into_iter().map(ProcedureType).collect())
    }

    /// Persons' procedures within the viewer's territories, by `filter`; `alerting` and
    /// `overdue` give the back office's alerts. Every procedure read is audited.
    #[graphql(complexity = "crate::cost::page(first, crate::cost::audited(child_complexity))")]
    async fn procedures(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ProcedureFilter>,
    ) -> GqlResult<Connection<String, Procedure>> {
        let (svc, rc) = services(ctx)?;
        let f = filter.unwrap_or_default();
        let responsible = match (f.responsible_id, f.mine) {
            (_, true) => Some(rc.ctx.user().gql()?),
            (Some(r), false) => Some(decode_input(Kind::User, &r, "responsibleId").gql()?),
            (None, false) => None,
        };
        let req = cases::ListProcedures {
            page: Page::default(),
            person_id: f
                .person_id
                .map(|p| decode_input(Kind::Person, &p, "personId"))
                .transpose()
                .gql()?,
            case_id: f
                .case_id
                .map(|c| decode_input(Kind::Case, &c, "caseId"))
                .transpose()
                .gql()?,
            type_code: f.type_code,
            responsible_id: responsible,
            status: f.status.map(Into::into),
            overdue: f.overdue,
            alerting: f.alerting,
        };
        let fetch = |page| {
            svc.cases.list_procedures(
                &rc.ctx,
                cases::ListProcedures {
                    page,
                    ..req.clone()
                },
            )
        };
        paginate(first, after, fetch, |p| p.id.uuid(), Procedure).await
    }

    /// One procedure (audited); `NOT_FOUND` outside the viewer's territories or tenant.
    async fn procedure(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Procedure> {
        let (svc, rc) = services(ctx)?;
        let id = decode(Kind::Procedure, &id).gql()?;
        Ok(Procedure(svc.cases.get_procedure(&rc.ctx, id).await.gql()?))
    }

    /// The back office's workload: procedures by type (open, overdue, completed, abandoned),
    /// open ones by the step they wait on, and by the staff member who follows them.
    async fn procedure_workload(&self, ctx: &Context<'_>) -> GqlResult<ProcedureWorkload> {
        let (svc, rc) = services(ctx)?;
        Ok(svc
            .cases
            .procedure_workload(&rc.ctx, ())
            .await
            .gql()?
            .into())
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
        let f = filter.unwrap_or_default();
        let req = cases::ListAppointments {
            page: Page::default(),
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
        let fetch = |page| {
            svc.cases
                .list_appointments(&rc.ctx, cases::ListAppointments { page, ..req })
        };
        paginate(first, after, fetch, |a| a.id.uuid(), Appointment).await
    }

    /// Persons of the active tenant within the viewer's territories, by `filter` (a codice
    /// fiscale finds the persons with that code in either form). Every read is audited.
    #[graphql(complexity = "crate::cost::page(first, crate::cost::audited(child_complexity))")]
    async fn persons(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(deprecation = "use filter: {territoryCode}")] territory_code: Option<String>,
        filter: Option<PersonFilter>,
    ) -> GqlResult<Connection<String, Person>> {
        let (svc, rc) = services(ctx)?;
        let f = filter.unwrap_or_default();
        let territory_code = f.territory_code.or(territory_code);
        let codice_fiscale = f.codice_fiscale;
        let fetch = |page| {
            let req = cases::ListPersons {
                page,
                territory_code: territory_code.clone(),
                codice_fiscale: codice_fiscale.clone(),
            };
            svc.cases.list_persons(&rc.ctx, req)
        };
        paginate(first, after, fetch, |p| p.id.uuid(), Person).await
    }

    /// Existing persons whose names may be the given ones, across spellings and scripts. Ask
    /// before creating a person. One of the two may be empty: the other is then compared with
    /// the same field of each person (`familyNames: "Benali"` alone finds "Fatima Zahra
    /// Benali"); both empty is `INVALID_INPUT` on `familyNames`.
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
            limit: limit.map(|n| u32::try_from(n).unwrap_or(0)),
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

    /// Everything the tenant holds about one person, for their right of access and to
    /// portability (GDPR art. 15 and 20), as a file: `JSON` (machine-readable, shape
    /// `sportello.subject-access/1`, docs/privacy.md) or `PDF` (readable, in Italian).
    /// Operators and coordinators, within their territories: a person outside them is
    /// `NOT_FOUND`, like an id that never existed. Each export writes one audit entry on the
    /// person (action `exported`).
    async fn person_export(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
        format: PersonExportFormat,
    ) -> GqlResult<super::analytics::ExportFile> {
        let (svc, rc) = services(ctx)?;
        let id: cases::PersonId = decode(Kind::Person, &person_id).gql()?;
        let export = crate::subject_access::gather(svc, &rc.ctx, id)
            .await
            .gql()?;
        let (filename, content_type, bytes) = match format {
            PersonExportFormat::Json => (
                export.filename("json"),
                "application/json",
                crate::subject_access::to_json(&export)
                    .to_string()
                    .into_bytes(),
            ),
            PersonExportFormat::Pdf => (
                export.filename("pdf"),
                "application/pdf",
                // Shaping and subsetting take a while: off the request threads.
                tokio::task::spawn_blocking(move || crate::subject_access::to_pdf(&export))
                    .await
                    .map_err(|e| super::to_gql(sportello_kernel::Error::internal(e)))?
                    .gql()?,
            ),
        };
        Ok(super::analytics::ExportFile {
            filename,
            content_type: content_type.to_owned(),
            content_base64: base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                bytes,
            ),
        })
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
            page: Page::default(),
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
        let fetch = |page| {
            svc.cases
                .list_cases(&rc.ctx, cases::ListCases { page, ..req })
        };
        paginate(first, after, fetch, |c| c.id.uuid(), Case).await
    }
}

fn need_ids(ids: &[ID]) -> GqlResult<Vec<sportello_cases::NeedId>> {
    ids.iter()
        .map(|n| decode_input(Kind::Need, n, "needIds"))
        .collect::<Result<Vec<_>, _>>()
        .gql()
}

#[derive(Default)]
pub struct CasesMutation;

#[Object]
impl CasesMutation {
    /// Corrects an encounter; absent fields stay as they are. On a closed case only `notes` may
    /// change (rectified, or cleared with an empty string); any other change is `CONFLICT` until
    /// the case is reopened.
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
            duration_minutes: input.duration_minutes.map(count),
            notes: input.notes,
            expected_version: input.expected_version,
        };
        svc.cases
            .update_encounter(&rc.ctx, req)
            .await
            .gql()
            .map(Encounter)
    }

    /// Records the outcome or corrects the time of an intervention.
    async fn update_intervention(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(desc = "The `version` the change is based on; a stale one is `CONFLICT`.")]
        expected_version: i32,
        #[graphql(
            desc = "A code of `interventionOutcomes` the tenant offers; empty clears the outcome."
        )]
        outcome: Option<String>,
        done_at: Option<DateTime<Utc>>,
    ) -> GqlResult<Intervention> {
        let (svc, rc) = services(ctx)?;
        let req = cases::UpdateIntervention {
            id: decode(Kind::Intervention, &id).gql()?,
            outcome,
            done_at,
            expected_version,
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
            duration_minutes: count(input.duration_minutes),
            occurrences: count(input.occurrences),
            // A negative lead time is out of range, not "no reminder".
            remind_hours_before: input
                .remind_hours_before
                .map(|h| u32::try_from(h).unwrap_or(u32::MAX)),
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

    /// Adds a procedure type of the tenant (administrators and coordinators).
    async fn create_procedure_type(
        &self,
        ctx: &Context<'_>,
        input: CreateProcedureTypeInput,
    ) -> GqlResult<ProcedureType> {
        let (svc, rc) = services(ctx)?;
        let req = cases::CreateProcedureType {
            code: input.code,
            label: input.label,
            office: input.office.into(),
            steps: input
                .steps
                .into_iter()
                .map(|s| cases::ProcedureStepInput {
                    label: s.label,
                    office: s.office.into(),
                    // A negative count is out of range, not "no limit".
                    days_after_previous: s
                        .days_after_previous
                        .map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
                })
                .collect(),
            documents: input.documents,
        };
        Ok(ProcedureType(
            svc.cases.create_procedure_type(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Retires (or brings back) one of the tenant's procedure types: a retired type starts no
    /// procedure; those started keep it.
    async fn retire_procedure_type(
        &self,
        ctx: &Context<'_>,
        id: ID,
        retired: bool,
        expected_version: i32,
    ) -> GqlResult<ProcedureType> {
        let (svc, rc) = services(ctx)?;
        let req = cases::RetireProcedureType {
            id: decode(Kind::ProcedureType, &id).gql()?,
            retired,
            expected_version,
        };
        Ok(ProcedureType(
            svc.cases.retire_procedure_type(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Starts a procedure for a person; every field at fault is named.
    async fn start_procedure(
        &self,
        ctx: &Context<'_>,
        input: StartProcedureInput,
    ) -> GqlResult<Procedure> {
        let (svc, rc) = services(ctx)?;
        let req = cases::StartProcedure {
            person_id: decode_input(Kind::Person, &input.person_id, "personId").gql()?,
            case_id: input
                .case_id
                .map(|c| decode_input(Kind::Case, &c, "caseId"))
                .transpose()
                .gql()?,
            type_code: input.type_code,
            started_on: input.started_on,
            reference_on: input.reference_on,
            responsible_id: input
                .responsible_id
                .map(|r| decode_input(Kind::User, &r, "responsibleId"))
                .transpose()
                .gql()?,
            alert_days: input
                .alert_days
                .map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
        };
        Ok(Procedure(
            svc.cases.start_procedure(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Records the day a step of a procedure was done (or clears it); the deadlines that count
    /// from it follow. A stale `expectedVersion` is `CONFLICT`.
    async fn record_procedure_step(
        &self,
        ctx: &Context<'_>,
        input: RecordProcedureStepInput,
    ) -> GqlResult<Procedure> {
        let (svc, rc) = services(ctx)?;
        let req = cases::RecordProcedureStep {
            id: decode_input(Kind::Procedure, &input.id, "id").gql()?,
            step: input.step,
            done_on: input.done_on,
            expected_version: input.expected_version,
        };
        Ok(Procedure(
            svc.cases.record_procedure_step(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Sets where a document of a procedure's checklist stands.
    async fn set_procedure_document(
        &self,
        ctx: &Context<'_>,
        input: SetProcedureDocumentInput,
    ) -> GqlResult<Procedure> {
        let (svc, rc) = services(ctx)?;
        let req = cases::SetProcedureDocument {
            id: decode_input(Kind::Procedure, &input.id, "id").gql()?,
            document: input.document,
            status: input.status.into(),
            expected_version: input.expected_version,
        };
        Ok(Procedure(
            svc.cases.set_procedure_document(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Changes who follows a procedure, its alert days or reference date, or its status.
    async fn update_procedure(
        &self,
        ctx: &Context<'_>,
        input: UpdateProcedureInput,
    ) -> GqlResult<Procedure> {
        let (svc, rc) = services(ctx)?;
        let req = cases::UpdateProcedure {
            id: decode_input(Kind::Procedure, &input.id, "id").gql()?,
            responsible_id: input
                .responsible_id
                .map(|r| decode_input(Kind::User, &r, "responsibleId"))
                .transpose()
                .gql()?,
            alert_days: input
                .alert_days
                .map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
            reference_on: input.reference_on,
            status: input.status.map(Into::into),
            closed_on: input.closed_on,
            expected_version: input.expected_version,
        };
        Ok(Procedure(
            svc.cases.update_procedure(&rc.ctx, req).await.gql()?,
        ))
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
        #[graphql(desc = "The `version` the change is based on; a stale one is `CONFLICT`.")]
        expected_version: i32,
        to: ReferralStatus,
        feedback: Option<String>,
    ) -> GqlResult<Referral> {
        let (svc, rc) = services(ctx)?;
        let req = cases::ChangeReferralStatus {
            id: decode(Kind::Referral, &id).gql()?,
            to: to.into(),
            feedback,
            expected_version,
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
        #[graphql(desc = "The `version` the change is based on; a stale one is `CONFLICT`.")]
        expected_version: i32,
        status: Option<GoalStatus>,
        #[graphql(
            desc = "From the tenant's today (its local date) to five years ahead; an earlier day is `INVALID_INPUT` on `reviewOn`."
        )]
        review_on: Option<NaiveDate>,
    ) -> GqlResult<PlanGoal> {
        let (svc, rc) = services(ctx)?;
        let req = cases::UpdateGoal {
            id: decode(Kind::Goal, &id).gql()?,
            status: status.map(Into::into),
            review_on,
            expected_version,
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
        #[graphql(desc = "The `version` the change is based on; a stale one is `CONFLICT`.")]
        expected_version: i32,
        status: StepStatus,
    ) -> GqlResult<PlanStep> {
        let (svc, rc) = services(ctx)?;
        let req = cases::ChangeStepStatus {
            id: decode(Kind::Step, &id).gql()?,
            status: status.into(),
            expected_version,
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
        #[graphql(desc = "The `version` the change is based on; a stale one is `CONFLICT`.")]
        expected_version: i32,
        input: PersonInput,
    ) -> GqlResult<Person> {
        let (svc, rc) = services(ctx)?;
        let req = cases::UpdatePerson {
            id: decode(Kind::Person, &id).gql()?,
            input: input.into(),
            expected_version,
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

    /// Erases a person and everything recorded about them (GDPR art. 17), on a ground of the
    /// closed list, across the services; one audit entry on the person names the ground, never a
    /// value. Tenant administrators, and coordinators within their territories. Errors:
    /// `INVALID_INPUT` on `ground` or `confirmation` (nothing is changed), `FORBIDDEN` for other
    /// roles, `NOT_FOUND` for a person that does not exist, is already erased or lies outside
    /// the actor's territories (docs/privacy.md, "Erasure").
    async fn erase_person(
        &self,
        ctx: &Context<'_>,
        input: ErasePersonInput,
    ) -> GqlResult<PersonErasure> {
        let (svc, rc) = services(ctx)?;
        // The input is checked before the id is looked at (and again by the service).
        // A malformed id is refused on the field that holds it, the person's first.
        let person_id = decode_input(Kind::Person, &input.person_id, "personId").gql()?;
        cases::ErasureGround::parse(&input.ground).gql()?;
        let confirmation = input
            .confirmation
            .map(|c| decode_input(Kind::Person, &c, "confirmation"))
            .transpose()
            .gql()?;
        let req = cases::ErasePerson {
            person_id,
            ground: input.ground,
            confirmation,
        };
        let done = svc.cases.erase_person(&rc.ctx, req).await.gql()?;
        Ok(PersonErasure {
            person_id: encode(Kind::Person, done.person_id.uuid()),
            ground: done.ground.as_str().to_owned(),
        })
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
        #[graphql(desc = "The `version` the change is based on; a stale one is `CONFLICT`.")]
        expected_version: i32,
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
            expected_version,
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
            duration_minutes: input.duration_minutes.map(count),
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

    /// Offers or withdraws one outcome of the closed list in the tenant; at least one stays
    /// offered, and cases already closed keep theirs. Tenant administrators and coordinators.
    async fn set_case_outcome(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A code of `caseOutcomes`.")] code: String,
        offered: bool,
    ) -> GqlResult<Vec<CaseOutcome>> {
        let (svc, rc) = services(ctx)?;
        let req = cases::SetOutcome { code, offered };
        let list = svc.cases.set_case_outcome(&rc.ctx, req).await.gql()?;
        Ok(list.into_iter().map(CaseOutcome::from).collect())
    }

    /// Offers or withdraws one intervention outcome of the closed list in the tenant; at least
    /// one stays offered, and interventions already recorded keep theirs. Tenant administrators
    /// and coordinators.
    async fn set_intervention_outcome(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A code of `interventionOutcomes`.")] code: String,
        offered: bool,
    ) -> GqlResult<Vec<InterventionOutcome>> {
        let (svc, rc) = services(ctx)?;
        let req = cases::SetOutcome { code, offered };
        let list = svc
            .cases
            .set_intervention_outcome(&rc.ctx, req)
            .await
            .gql()?;
        Ok(list.into_iter().map(InterventionOutcome::from).collect())
    }

    /// Rotates the tenant's key-encryption key of field encryption: a new version in the key
    /// store, then every person's data key re-wrapped under it, while the desks keep working.
    /// Tenant administrators; audited. See docs/privacy.md, "At rest".
    async fn rotate_encryption_key(&self, ctx: &Context<'_>) -> GqlResult<KeyRotation> {
        let (svc, rc) = services(ctx)?;
        let done = svc.cases.rotate_encryption_key(&rc.ctx, ()).await.gql()?;
        Ok(KeyRotation {
            version: i32::try_from(done.version).unwrap_or(i32::MAX),
            rewrapped: i32::try_from(done.rewrapped).unwrap_or(i32::MAX),
        })
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
        #[graphql(desc = "The `version` the change is based on; a stale one is `CONFLICT`.")]
        expected_version: i32,
        label: Option<String>,
        retired: Option<bool>,
    ) -> GqlResult<NeedType> {
        let (svc, rc) = services(ctx)?;
        let req = cases::UpdateNeedType {
            id: decode(Kind::NeedType, &id).gql()?,
            label,
            retired,
            expected_version,
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
        #[graphql(desc = "The `version` the change is based on; a stale one is `CONFLICT`.")]
        expected_version: i32,
        status: NeedStatus,
    ) -> GqlResult<Need> {
        let (svc, rc) = services(ctx)?;
        let req = cases::ChangeNeedStatus {
            id: decode(Kind::Need, &id).gql()?,
            status: status.into(),
            expected_version,
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
