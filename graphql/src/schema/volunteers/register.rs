//! The register: volunteers, their languages, skills, availability and status.

use async_graphql::{Enum, SimpleObject};
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
        Ok(skills
            .into_iter()
            .map(|s| Skill {
                code: s.code,
                label: s.label,
                default: s.default,
                retired: s.retired,
            })
            .collect())
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

    /// Takes a step of the application workflow: `SUBMITTED` → `UNDER_REVIEW`, `ACTIVE` or
    /// `WITHDRAWN`; `UNDER_REVIEW` → `ACTIVE` or `WITHDRAWN`; `ACTIVE` ⇄ `SUSPENDED`; any →
    /// `WITHDRAWN` (final). Another step is `TRANSITION_NOT_ALLOWED` on `status`; a stale
    /// `expectedVersion` is `CONFLICT`. Tenant administrators and coordinators only.
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
