//! The register: volunteers, their languages, skills, availability and status.

use async_graphql::{Enum, MaybeUndefined, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sportello_volunteers as vol;

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::LanguageLevel")]
/// How well a volunteer speaks a language: CEFR levels (Council of Europe), or native.
pub enum LanguageLevel {
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
    Native,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::VolunteerStatus")]
/// Where a volunteer stands in the register: `SUBMITTED` → `UNDER_REVIEW` → `ACTIVE` ⇄
/// `SUSPENDED`; `WITHDRAWN` is final.
pub enum VolunteerStatus {
    Submitted,
    UnderReview,
    Active,
    Suspended,
    Withdrawn,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::ApplicationSource")]
/// How an application reached the register.
pub enum ApplicationSource {
    PublicForm,
    Staff,
}

/// A language a volunteer speaks (ISO 639 code) and how well.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "SpokenLanguageInput")]
pub struct SpokenLanguage {
    pub code: String,
    pub level: LanguageLevel,
}

/// A weekly slot in the tenant's local time: `weekday` 1 (Monday) to 7 (Sunday), ISO 8601;
/// `from` before `to`.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "WeeklySlotInput")]
pub struct WeeklySlot {
    pub weekday: i32,
    pub from: NaiveTime,
    pub to: NaiveTime,
}

/// A local day that departs from the weekly slots: unavailable all day (`slots` empty) or only
/// in the given slots (their `weekday` is ignored).
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "DateExceptionInput")]
pub struct DateException {
    pub on: NaiveDate,
    pub slots: Vec<WeeklySlot>,
}

/// When a volunteer can act, in the tenant's time zone.
#[derive(SimpleObject, InputObject, Clone, Default)]
#[graphql(input_name = "AvailabilityInput")]
pub struct Availability {
    pub weekly: Vec<WeeklySlot>,
    pub exceptions: Vec<DateException>,
}

impl From<vol::SpokenLanguage> for SpokenLanguage {
    fn from(l: vol::SpokenLanguage) -> Self {
        Self {
            code: l.code,
            level: l.level.into(),
        }
    }
}

impl From<SpokenLanguage> for vol::SpokenLanguage {
    fn from(l: SpokenLanguage) -> Self {
        Self {
            code: l.code,
            level: l.level.into(),
        }
    }
}

impl From<vol::WeeklySlot> for WeeklySlot {
    fn from(s: vol::WeeklySlot) -> Self {
        Self {
            weekday: i32::from(s.weekday),
            from: s.from,
            to: s.to,
        }
    }
}

impl From<WeeklySlot> for vol::WeeklySlot {
    fn from(s: WeeklySlot) -> Self {
        Self {
            // Out of range becomes 0, which the service refuses naming `availability`.
            weekday: u8::try_from(s.weekday).unwrap_or(0),
            from: s.from,
            to: s.to,
        }
    }
}

impl From<vol::Availability> for Availability {
    fn from(a: vol::Availability) -> Self {
        Self {
            weekly: a.weekly.into_iter().map(Into::into).collect(),
            exceptions: a
                .exceptions
                .into_iter()
                .map(|e| DateException {
                    on: e.on,
                    slots: e.slots.into_iter().map(Into::into).collect(),
                })
                .collect(),
        }
    }
}

impl From<Availability> for vol::Availability {
    fn from(a: Availability) -> Self {
        Self {
            weekly: a.weekly.into_iter().map(Into::into).collect(),
            exceptions: a
                .exceptions
                .into_iter()
                .map(|e| vol::DateException {
                    on: e.on,
                    slots: e.slots.into_iter().map(Into::into).collect(),
                })
                .collect(),
        }
    }
}

/// An active citizen of the register (albo dei cittadini attivi).
pub struct Volunteer(pub vol::Volunteer);

#[Object]
impl Volunteer {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Volunteer, self.0.id.uuid())
    }
    /// Raised by one on every change; an update sends back the version it was based on.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn given_names(&self) -> &str {
        &self.0.given_names
    }
    async fn family_names(&self) -> &str {
        &self.0.family_names
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// E.164.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn languages(&self) -> Vec<SpokenLanguage> {
        self.0.languages.iter().cloned().map(Into::into).collect()
    }
    /// Skill codes of the tenant's taxonomy (`skills`).
    async fn skills(&self) -> &[String] {
        &self.0.skills
    }
    /// ISTAT codes of the municipalities the volunteer acts in.
    async fn territories(&self) -> &[String] {
        &self.0.territories
    }
    async fn availability(&self) -> Availability {
        self.0.availability.clone().into()
    }
    /// Whether the volunteer asks to work with minors.
    async fn works_with_minors(&self) -> bool {
        self.0.works_with_minors
    }
    /// The local day staff saw the check required to work with minors (d.lgs. 39/2014 art. 2).
    async fn minors_check_on(&self) -> Option<NaiveDate> {
        self.0.minors_check_on
    }
    async fn status(&self) -> VolunteerStatus {
        self.0.status.into()
    }
    async fn source(&self) -> ApplicationSource {
        self.0.source.into()
    }
    /// Whether the volunteer has an account (accepted the invitation sent on activation).
    async fn has_account(&self) -> bool {
        self.0.user_id.is_some()
    }
    async fn conduct_signed_on(&self) -> Option<NaiveDate> {
        self.0.conduct_signed_on
    }
    async fn data_consent_on(&self) -> Option<NaiveDate> {
        self.0.data_consent_on
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Every step of the volunteer's status, oldest first: who took it and when. Staff only.
    async fn history(&self, ctx: &Context<'_>) -> GqlResult<Vec<StatusChange>> {
        let (svc, rc) = services(ctx)?;
        let steps = svc
            .volunteers
            .volunteer_history(&rc.ctx, self.0.id)
            .await
            .gql()?;
        Ok(steps
            .into_iter()
            .map(|s| StatusChange {
                status: s.status.into(),
                by_user_id: s.by_user.map(|u| ids::encode(Kind::User, u.uuid())),
                at: s.at,
                note: s.note,
            })
            .collect())
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The single-use token of the invitation to sign in with the role `VOLUNTEER` (the link
    /// `/invitation/<token>`), only in the answer of the step that issued it
    /// (`setVolunteerStatus` to `ACTIVE` of a volunteer with an e-mail and no account,
    /// `inviteVolunteer`); null everywhere else. Staff pass it on to the volunteer.
    async fn invitation_token(&self) -> Option<&str> {
        self.0.invitation_token.as_deref()
    }
}

/// One step of a volunteer's status.
#[derive(SimpleObject)]
pub struct StatusChange {
    pub status: VolunteerStatus,
    /// The member of staff who took it; none for an application from the public form.
    pub by_user_id: Option<ID>,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// A step of the application workflow, at the version the reviewer saw.
#[derive(InputObject)]
pub struct SetVolunteerStatusInput {
    pub id: ID,
    pub status: VolunteerStatus,
    pub note: Option<String>,
    pub expected_version: i32,
}

/// A skill of the tenant's taxonomy: a default (no `label`; the console translates its code) or
/// one the tenant added.
#[derive(SimpleObject)]
pub struct Skill {
    pub code: String,
    pub label: Option<String>,
    pub default: bool,
    pub retired: bool,
}

/// What is known of a volunteer.
#[derive(InputObject)]
pub struct VolunteerInput {
    pub given_names: String,
    pub family_names: String,
    /// An e-mail address or a phone number is required.
    pub email: Option<String>,
    pub phone: Option<String>,
    #[graphql(default)]
    pub languages: Vec<SpokenLanguage>,
    #[graphql(default)]
    pub skills: Vec<String>,
    /// ISTAT codes of the tenant's municipalities.
    #[graphql(default)]
    pub territories: Vec<String>,
    #[graphql(default)]
    pub availability: Availability,
    #[graphql(default)]
    pub works_with_minors: bool,
}

impl From<VolunteerInput> for vol::VolunteerInput {
    fn from(i: VolunteerInput) -> Self {
        Self {
            given_names: i.given_names,
            family_names: i.family_names,
            email: i.email,
            phone: i.phone,
            languages: i.languages.into_iter().map(Into::into).collect(),
            skills: i.skills,
            territories: i.territories,
            availability: i.availability.into(),
            works_with_minors: i.works_with_minors,
        }
    }
}

/// A volunteer entered by staff: status `SUBMITTED`, source `STAFF`.
#[derive(InputObject)]
pub struct AddVolunteerInput {
    pub volunteer: VolunteerInput,
    /// The local day the code of conduct was signed (not after today).
    pub conduct_signed_on: Option<NaiveDate>,
    /// The local day consent to the processing of the volunteer's data was given.
    pub data_consent_on: Option<NaiveDate>,
}

/// A change to a volunteer's optional value: absent keeps it, null clears it.
fn patch<T>(value: MaybeUndefined<T>) -> vol::Patch<T> {
    match value {
        MaybeUndefined::Undefined => vol::Patch::Keep,
        MaybeUndefined::Null => vol::Patch::Clear,
        MaybeUndefined::Value(v) => vol::Patch::Set(v),
    }
}

/// Changes to what is known of a volunteer: absent fields stay as they are; `email`, `phone`
/// set to null are cleared (one of them must remain).
#[derive(InputObject)]
pub struct VolunteerPatchInput {
    pub given_names: Option<String>,
    pub family_names: Option<String>,
    pub email: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub languages: Option<Vec<SpokenLanguage>>,
    /// Codes of skills not retired, or retired ones the volunteer already has.
    pub skills: Option<Vec<String>>,
    /// ISTAT codes of the tenant's municipalities (or ones the volunteer already has).
    pub territories: Option<Vec<String>>,
    pub availability: Option<Availability>,
    pub works_with_minors: Option<bool>,
}

/// A staff member's correction of a volunteer, at the version they saw.
#[derive(InputObject)]
pub struct UpdateVolunteerInput {
    pub id: ID,
    pub volunteer: VolunteerPatchInput,
    /// The local day staff saw the check for working with minors (not after today); null
    /// clears it, absent keeps it.
    pub minors_check_on: MaybeUndefined<NaiveDate>,
    pub expected_version: i32,
}

/// What a volunteer changes of their own record; absent fields stay as they are.
#[derive(InputObject)]
pub struct UpdateMyVolunteerInput {
    pub languages: Option<Vec<SpokenLanguage>>,
    pub skills: Option<Vec<String>>,
    pub availability: Option<Availability>,
    pub expected_version: i32,
}

/// An application from the public form, without an account.
#[derive(InputObject)]
pub struct VolunteerApplicationInput {
    /// The tenant applied to (`Tenant` global id); unknown: `NOT_FOUND` on `tenantId`.
    pub tenant_id: ID,
    pub volunteer: VolunteerInput,
    /// Must be true (`INVALID_INPUT`, `REQUIRED`, on `codeOfConductAccepted`).
    pub code_of_conduct_accepted: bool,
    /// Must be true (`INVALID_INPUT`, `REQUIRED`, on `dataProcessingConsent`).
    pub data_processing_consent: bool,
    /// Leave empty: a field people never see.
    pub website: Option<String>,
}

/// A municipality of a tenant, for the public form.
#[derive(SimpleObject)]
pub struct PublicTerritory {
    pub istat_code: String,
    pub name: String,
}

/// What the public application form of a tenant offers.
#[derive(SimpleObject)]
pub struct PublicVolunteerForm {
    pub tenant_name: String,
    pub territories: Vec<PublicTerritory>,
    /// The skills an application may name (retired ones left out).
    pub skills: Vec<Skill>,
}

/// A skill the tenant adds to its taxonomy.
#[derive(InputObject)]
pub struct AddSkillInput {
    /// 2 to 40 letters, digits or `_`, starting with a letter; kept upper-case.
    pub code: String,
    /// The tenant's wording, shown as it is.
    pub label: String,
}

fn to_skill(s: vol::Skill) -> Skill {
    Skill {
        code: s.code,
        label: s.label,
        default: s.default,
        retired: s.retired,
    }
}

/// A tenant id of the public forms: one that is malformed or of another kind is `NOT_FOUND` on
/// `tenantId`, like one that does not exist.
fn public_tenant(id: &ID) -> GqlResult<sportello_kernel::TenantId> {
    ids::decode(Kind::Tenant, id)
        .map_err(|_| Error::on("tenantId", sportello_kernel::Reason::NotFound))
        .gql()
}

#[derive(Default)]
pub struct RegisterQuery;

#[Object]
impl RegisterQuery {
    /// The register, filtered by status, skill code or ISTAT code. Staff only.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn volunteers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<VolunteerStatus>,
        skill: Option<String>,
        territory: Option<String>,
    ) -> GqlResult<Connection<String, Volunteer>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| {
            svc.volunteers.list_volunteers(
                &rc.ctx,
                vol::ListVolunteers {
                    status: status.map(Into::into),
                    skill,
                    territory,
                    page,
                },
            )
        };
        paginate(first, after, fetch, |v| v.id.uuid(), Volunteer).await
    }

    /// The signed-in volunteer's own record (volunteers only).
    async fn my_volunteer(&self, ctx: &Context<'_>) -> GqlResult<Volunteer> {
        let (svc, rc) = services(ctx)?;
        Ok(Volunteer(
            svc.volunteers.my_volunteer(&rc.ctx, ()).await.gql()?,
        ))
    }

    /// The tenant's skills: the defaults and its own, retired ones included.
    async fn skills(&self, ctx: &Context<'_>) -> GqlResult<Vec<Skill>> {
        let (svc, rc) = services(ctx)?;
        let skills = svc.volunteers.list_skills(&rc.ctx, ()).await.gql()?;
        Ok(skills.into_iter().map(to_skill).collect())
    }

    /// What the public application form of a tenant needs: its name, municipalities and the
    /// skills an application may name. No account needed; `NOT_FOUND` on `tenantId` for a
    /// tenant that does not exist.
    async fn public_volunteer_form(
        &self,
        ctx: &Context<'_>,
        tenant_id: ID,
    ) -> GqlResult<PublicVolunteerForm> {
        let (svc, rc) = services(ctx)?;
        let tenant = public_tenant(&tenant_id)?;
        let form = svc
            .volunteers
            .public_volunteer_form(&rc.ctx, tenant)
            .await
            .gql()?;
        Ok(PublicVolunteerForm {
            tenant_name: form.tenant_name,
            territories: form
                .territories
                .into_iter()
                .map(|t| PublicTerritory {
                    istat_code: t.istat_code,
                    name: t.name,
                })
                .collect(),
            skills: form.skills.into_iter().map(to_skill).collect(),
        })
    }
}

#[derive(Default)]
pub struct RegisterMutation;

#[Object]
impl RegisterMutation {
    /// Enters a volunteer on staff's word. Refusals are `INVALID_INPUT` naming the field.
    async fn add_volunteer(
        &self,
        ctx: &Context<'_>,
        input: AddVolunteerInput,
    ) -> GqlResult<Volunteer> {
        let (svc, rc) = services(ctx)?;
        let req = vol::AddVolunteer {
            volunteer: input.volunteer.into(),
            conduct_signed_on: input.conduct_signed_on,
            data_consent_on: input.data_consent_on,
        };
        Ok(Volunteer(
            svc.volunteers.add_volunteer(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Corrects a volunteer: absent fields stay as they are; checked like `addVolunteer`
    /// (`INVALID_INPUT` naming the field); a stale `expectedVersion` is `CONFLICT`. Staff only.
    async fn update_volunteer(
        &self,
        ctx: &Context<'_>,
        input: UpdateVolunteerInput,
    ) -> GqlResult<Volunteer> {
        let (svc, rc) = services(ctx)?;
        let v = input.volunteer;
        let req = vol::UpdateVolunteer {
            id: ids::decode(Kind::Volunteer, &input.id).gql()?,
            volunteer: vol::VolunteerPatch {
                given_names: v.given_names,
                family_names: v.family_names,
                email: patch(v.email),
                phone: patch(v.phone),
                languages: v.languages.map(|l| l.into_iter().map(Into::into).collect()),
                skills: v.skills,
                territories: v.territories,
                availability: v.availability.map(Into::into),
                works_with_minors: v.works_with_minors,
            },
            minors_check_on: patch(input.minors_check_on),
            expected_version: input.expected_version,
        };
        Ok(Volunteer(
            svc.volunteers.update_volunteer(&rc.ctx, req).await.gql()?,
        ))
    }

    /// The signed-in volunteer changes their own languages, skills and availability; a stale
    /// `expectedVersion` is `CONFLICT`. Volunteers only.
    async fn update_my_volunteer(
        &self,
        ctx: &Context<'_>,
        input: UpdateMyVolunteerInput,
    ) -> GqlResult<Volunteer> {
        let (svc, rc) = services(ctx)?;
        let req = vol::UpdateMyVolunteer {
            languages: input
                .languages
                .map(|l| l.into_iter().map(Into::into).collect()),
            skills: input.skills,
            availability: input.availability.map(Into::into),
            expected_version: input.expected_version,
        };
        Ok(Volunteer(
            svc.volunteers
                .update_my_volunteer(&rc.ctx, req)
                .await
                .gql()?,
        ))
    }

    /// Applies to a tenant's register from the public form, without an account: status
    /// `SUBMITTED`, source `PUBLIC_FORM`, the code of conduct and the consent recorded on the
    /// tenant's today. Answers `true` whenever the input is valid, stored or not (an address
    /// already in the register, the hidden `website` filled in), so it tells nothing about the
    /// register. At most 5 applications per client address and 50 per tenant an hour
    /// (`RATE_LIMITED`).
    async fn submit_volunteer_application(
        &self,
        ctx: &Context<'_>,
        input: VolunteerApplicationInput,
    ) -> GqlResult<bool> {
        let (svc, rc) = services(ctx)?;
        let tenant_id = public_tenant(&input.tenant_id)?;
        svc.sessions
            .count_application(tenant_id, &rc.peer)
            .await
            .gql()?;
        let req = vol::VolunteerApplication {
            tenant_id,
            volunteer: input.volunteer.into(),
            code_of_conduct_accepted: input.code_of_conduct_accepted,
            data_processing_consent: input.data_processing_consent,
            website: input.website,
        };
        svc.volunteers
            .submit_volunteer_application(&rc.ctx, req)
            .await
            .gql()?;
        Ok(true)
    }

    /// Issues a new invitation to an active volunteer with an e-mail and no account (the one
    /// of the activation expired or was lost): the token is in `invitationToken` (null when
    /// the address already belongs to a member of the tenant, who is not invited). Not active:
    /// `TRANSITION_NOT_ALLOWED` on `status`; no e-mail or already an account: `REQUIRED` on
    /// `email`. Tenant administrators and coordinators only.
    async fn invite_volunteer(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Volunteer> {
        let (svc, rc) = services(ctx)?;
        let id = ids::decode(Kind::Volunteer, &id).gql()?;
        Ok(Volunteer(
            svc.volunteers.invite_volunteer(&rc.ctx, id).await.gql()?,
        ))
    }

    /// Adds a skill to the tenant's taxonomy (`NOT_A_CODE` on `code`; a code the tenant
    /// has: `ALREADY_EXISTS` on `code`). Tenant administrators and coordinators only.
    async fn add_skill(&self, ctx: &Context<'_>, input: AddSkillInput) -> GqlResult<Skill> {
        let (svc, rc) = services(ctx)?;
        let req = vol::AddSkill {
            code: input.code,
            label: input.label,
        };
        Ok(to_skill(
            svc.volunteers.add_skill(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Retires a skill: new input naming it is refused (`NOT_IN_LIST` on `skills`); volunteers
    /// who have it keep it. `NOT_FOUND` on `code` for a skill the tenant does not have. Tenant
    /// administrators and coordinators only.
    async fn retire_skill(&self, ctx: &Context<'_>, code: String) -> GqlResult<Skill> {
        let (svc, rc) = services(ctx)?;
        let req = vol::SetSkillRetired {
            code,
            retired: true,
        };
        Ok(to_skill(
            svc.volunteers.set_skill_retired(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Restores a retired skill. Tenant administrators and coordinators only.
    async fn restore_skill(&self, ctx: &Context<'_>, code: String) -> GqlResult<Skill> {
        let (svc, rc) = services(ctx)?;
        let req = vol::SetSkillRetired {
            code,
            retired: false,
        };
        Ok(to_skill(
            svc.volunteers.set_skill_retired(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Takes a step of the application workflow: `SUBMITTED` → `UNDER_REVIEW`, `ACTIVE` or
    /// `WITHDRAWN`; `UNDER_REVIEW` → `ACTIVE` or `WITHDRAWN`; `ACTIVE` ⇄ `SUSPENDED`; any →
    /// `WITHDRAWN` (final). Another step is `TRANSITION_NOT_ALLOWED` on `status`; a stale
    /// `expectedVersion` is `CONFLICT`. Tenant administrators and coordinators only. Making
    /// `ACTIVE` a volunteer with an e-mail and no account invites that address to sign in with
    /// the role `VOLUNTEER`: the answer's `invitationToken` carries the link's token (none when
    /// the address already belongs to a member of the tenant). Making a volunteer `SUSPENDED` or
    /// `WITHDRAWN` puts the tasks they accepted that have not ended back to `OPEN`, to be
    /// offered again (`tasks(volunteerId:, status: ASSIGNED)` lists them beforehand).
    async fn set_volunteer_status(
        &self,
        ctx: &Context<'_>,
        input: SetVolunteerStatusInput,
    ) -> GqlResult<Volunteer> {
        let (svc, rc) = services(ctx)?;
        let req = vol::SetVolunteerStatus {
            id: ids::decode(Kind::Volunteer, &input.id).gql()?,
            status: input.status.into(),
            note: input.note,
            expected_version: input.expected_version,
        };
        Ok(Volunteer(
            svc.volunteers
                .set_volunteer_status(&rc.ctx, req)
                .await
                .gql()?,
        ))
    }
}
