//! Collaboration pacts (patti di collaborazione): staff record, follow and report on them; anyone
//! reads the pacts in force of a municipality.

use async_graphql::{Enum, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use sportello_volunteers as vol;

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::ProposerKind")]
/// Who proposes a pact (Labsus model regulation on common goods, "cittadini attivi").
pub enum ProposerKind {
    /// Volunteers of the register.
    Volunteers,
    Association,
    InformalGroup,
    SingleCitizen,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::CommonGoodKind")]
/// The kind of common good a pact cares for.
pub enum CommonGoodKind {
    Park,
    Garden,
    SchoolBuilding,
    Square,
    Building,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::Renewal")]
/// What happens at the end of a pact's period: nothing (`NONE`, it expires), a new period by
/// itself (`TACIT`), or a renewal staff record when asked (`ON_REQUEST`).
pub enum PactRenewal {
    None,
    Tacit,
    OnRequest,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::PactStatus")]
/// Where a pact stands: `PROPOSED` → `UNDER_EVALUATION` → `SIGNED` → `ACTIVE` → `RENEWED` or
/// `ENDED`; a rejected proposal → `ENDED`. `EXPIRED` is never set: an `ACTIVE` or `RENEWED`
/// pact reads so from its end date on, in the tenant's time zone, unless its renewal is tacit
/// (then it reads `RENEWED`, in its current period).
pub enum PactStatus {
    Proposed,
    UnderEvaluation,
    Signed,
    Active,
    Expired,
    Renewed,
    Ended,
}

/// A collaboration pact between active citizens and a municipality of the tenant on the care of
/// a common good. Dates are local days of the tenant.
pub struct Pact(pub vol::Pact);

#[Object]
impl Pact {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Pact, self.0.id.uuid())
    }
    /// Raised by one on every change; an update sends back the version it was based on.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn proposer_kind(&self) -> ProposerKind {
        self.0.proposer_kind.into()
    }
    /// The association's or group's name, or the citizen's.
    async fn proposer_name(&self) -> &str {
        &self.0.proposer_name
    }
    /// Volunteers of the register taking part.
    async fn proposer_volunteer_ids(&self) -> Vec<ID> {
        self.0
            .proposer_volunteers
            .iter()
            .map(|v| ids::encode(Kind::Volunteer, v.uuid()))
            .collect()
    }
    async fn proposer_email(&self) -> Option<&str> {
        self.0.proposer_email.as_deref()
    }
    /// E.164.
    async fn proposer_phone(&self) -> Option<&str> {
        self.0.proposer_phone.as_deref()
    }
    /// The ISTAT code of the municipality.
    async fn municipality(&self) -> &str {
        &self.0.municipality
    }
    async fn good_kind(&self) -> CommonGoodKind {
        self.0.good_kind.into()
    }
    async fn good_name(&self) -> &str {
        &self.0.good_name
    }
    async fn good_address(&self) -> Option<&str> {
        self.0.good_address.as_deref()
    }
    async fn activities(&self) -> &str {
        &self.0.activities
    }
    async fn municipality_commitments(&self) -> &str {
        &self.0.municipality_commitments
    }
    async fn proposer_commitments(&self) -> &str {
        &self.0.proposer_commitments
    }
    /// The day the first period starts (or started).
    async fn first_start_date(&self) -> NaiveDate {
        self.0.first_start_date
    }
    /// The first day of the current period.
    async fn start_date(&self) -> NaiveDate {
        self.0.start_date
    }
    /// The first day the current period no longer covers: `startDate` plus `durationMonths` on
    /// the calendar (31 January plus one month is the last day of February).
    async fn end_date(&self) -> NaiveDate {
        self.0.end_date
    }
    async fn duration_months(&self) -> u32 {
        self.0.duration_months
    }
    /// 1 for the first period, one more for each renewal (tacit ones included).
    async fn period(&self) -> u32 {
        self.0.period
    }
    /// Set when the pact was renewed before the end of its current period: the first day the
    /// next period (from `endDate`) no longer covers. That period becomes the current one on
    /// `endDate`.
    async fn renewed_until(&self) -> Option<NaiveDate> {
        self.0.renewed_until
    }
    async fn renewal(&self) -> PactRenewal {
        self.0.renewal.into()
    }
    /// The status as it reads today, in the tenant's time zone.
    async fn status(&self) -> PactStatus {
        self.0.status.into()
    }
    async fn signed_on(&self) -> Option<NaiveDate> {
        self.0.signed_on
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every step of the pact's status, oldest first: who took it and when.
    async fn history(&self, ctx: &Context<'_>) -> GqlResult<Vec<PactStatusChange>> {
        let (svc, rc) = services(ctx)?;
        let steps = svc
            .volunteers
            .pact_history(&rc.ctx, self.0.id)
            .await
            .gql()?;
        Ok(steps
            .into_iter()
            .map(|s| PactStatusChange {
                status: s.status.into(),
                by_user_id: s.by_user.map(|u| ids::encode(Kind::User, u.uuid())),
                at: s.at,
                note: s.note,
            })
            .collect())
    }
    /// The pact's activity reports, newest first (in the order they were added).
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn reports(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, PactReport>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| {
            svc.volunteers.list_pact_reports(
                &rc.ctx,
                vol::ListPactReports {
                    pact_id: self.0.id,
                    page,
                },
            )
        };
        paginate(first, after, fetch, |r| r.id.uuid(), PactReport::from).await
    }
}

/// One step of a pact's status.
#[derive(SimpleObject)]
pub struct PactStatusChange {
    pub status: PactStatus,
    /// The member of staff who took it.
    pub by_user_id: Option<ID>,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// An activity report of a pact.
#[derive(SimpleObject)]
pub struct PactReport {
    /// The local day the report is about.
    pub on: NaiveDate,
    pub text: String,
    /// Time given, in minutes.
    pub minutes: Option<u32>,
    /// The member of staff who added it.
    pub by_user_id: ID,
    pub created_at: DateTime<Utc>,
}

impl From<vol::PactReport> for PactReport {
    fn from(r: vol::PactReport) -> Self {
        Self {
            on: r.on,
            text: r.text,
            minutes: r.minutes,
            by_user_id: ids::encode(Kind::User, r.by_user.uuid()),
            created_at: r.created_at,
        }
    }
}

/// What anyone may read of a pact in force: the common good, the activities, the period, and
/// the proposer's name only when it is an association or a group (never a person's name, a
/// contact or a volunteer).
#[derive(SimpleObject)]
pub struct PublicPact {
    /// The ISTAT code of the municipality.
    pub municipality: String,
    pub good_kind: CommonGoodKind,
    pub good_name: String,
    pub good_address: Option<String>,
    pub activities: String,
    /// The current period: from `startDate` to the day before `endDate`.
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// When renewed ahead: the next period runs from `endDate` to the day before this one.
    pub renewed_until: Option<NaiveDate>,
    /// `ACTIVE` or `RENEWED`.
    pub status: PactStatus,
    pub proposer_kind: ProposerKind,
    /// Only for `ASSOCIATION` and `INFORMAL_GROUP`.
    pub proposer_name: Option<String>,
}

impl From<vol::PublicPact> for PublicPact {
    fn from(p: vol::PublicPact) -> Self {
        Self {
            municipality: p.municipality,
            good_kind: p.good_kind.into(),
            good_name: p.good_name,
            good_address: p.good_address,
            activities: p.activities,
            start_date: p.start_date,
            end_date: p.end_date,
            renewed_until: p.renewed_until,
            status: p.status.into(),
            proposer_kind: p.proposer_kind.into(),
            proposer_name: p.proposer_name,
        }
    }
}

/// The terms of a pact. Refusals are `INVALID_INPUT` naming the field.
#[derive(InputObject)]
pub struct PactInput {
    pub proposer_kind: ProposerKind,
    /// The association's or group's name, or the citizen's (1–200 characters).
    pub proposer_name: String,
    /// Volunteers of the register taking part; at least one for `VOLUNTEERS`.
    #[graphql(default)]
    pub proposer_volunteer_ids: Vec<ID>,
    pub proposer_email: Option<String>,
    pub proposer_phone: Option<String>,
    /// The ISTAT code of one of the tenant's municipalities.
    pub municipality: String,
    pub good_kind: CommonGoodKind,
    pub good_name: String,
    pub good_address: Option<String>,
    /// What the proposers will do (at most 4000 characters).
    pub activities: String,
    /// What the municipality commits to (at most 2000 characters).
    pub municipality_commitments: String,
    /// What the proposers commit to (at most 2000 characters).
    pub proposer_commitments: String,
    /// The local day the first period starts (from 2000 to five years ahead).
    pub start_date: NaiveDate,
    /// 1 to 60.
    pub duration_months: i32,
    pub renewal: PactRenewal,
}

impl PactInput {
    fn into_request(self) -> sportello_kernel::Result<vol::PactInput> {
        let proposer_volunteers = self
            .proposer_volunteer_ids
            .iter()
            .map(|id| decode_input(Kind::Volunteer, id, "proposerVolunteerIds"))
            .collect::<sportello_kernel::Result<_>>()?;
        Ok(vol::PactInput {
            proposer_kind: self.proposer_kind.into(),
            proposer_name: self.proposer_name,
            proposer_volunteers,
            proposer_email: self.proposer_email,
            proposer_phone: self.proposer_phone,
            municipality: self.municipality,
            good_kind: self.good_kind.into(),
            good_name: self.good_name,
            good_address: self.good_address,
            activities: self.activities,
            municipality_commitments: self.municipality_commitments,
            proposer_commitments: self.proposer_commitments,
            start_date: self.start_date,
            // Out of range becomes 0, which the service refuses naming `durationMonths`.
            duration_months: u32::try_from(self.duration_months).unwrap_or(0),
            renewal: self.renewal.into(),
        })
    }
}

/// A change of a pact's terms while it is `PROPOSED` or `UNDER_EVALUATION`.
#[derive(InputObject)]
pub struct UpdatePactInput {
    pub id: ID,
    pub pact: PactInput,
    pub expected_version: i32,
}

/// A step of a pact's status, at the version staff saw.
#[derive(InputObject)]
pub struct SetPactStatusInput {
    pub id: ID,
    pub status: PactStatus,
    /// Required for `SIGNED`: the local day of signing, not after today.
    pub signed_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub expected_version: i32,
}

/// An activity report of a pact that has been active.
#[derive(InputObject)]
pub struct AddPactReportInput {
    pub pact_id: ID,
    /// The local day the report is about: from the pact's first start to today.
    pub on: NaiveDate,
    /// At most 4000 characters.
    pub text: String,
    /// Time given, in minutes: 1 to 600 000 (10 000 hours).
    pub minutes: Option<i32>,
}

#[derive(Default)]
pub struct PactsQuery;

#[Object]
impl PactsQuery {
    /// The tenant's pacts, filtered by the status they read today and by municipality (ISTAT
    /// code). Staff only.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn pacts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<PactStatus>,
        municipality: Option<String>,
    ) -> GqlResult<Connection<String, Pact>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| {
            svc.volunteers.list_pacts(
                &rc.ctx,
                vol::ListPacts {
                    status: status.map(Into::into),
                    municipality,
                    page,
                },
            )
        };
        paginate(first, after, fetch, |p| p.id.uuid(), Pact).await
    }

    /// The pacts in force (`ACTIVE`, `RENEWED`) of a municipality (ISTAT code) of a tenant, for
    /// anyone, without an account. A tenant id that names no tenant gives none.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn public_pacts(
        &self,
        ctx: &Context<'_>,
        tenant_id: ID,
        istat_code: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, PublicPact>> {
        let (svc, rc) = services(ctx)?;
        let tenant_id = decode_input(Kind::Tenant, &tenant_id, "tenantId").gql()?;
        let fetch = |page| {
            svc.volunteers.list_public_pacts(
                &rc.ctx,
                vol::ListPublicPacts {
                    tenant_id,
                    istat_code,
                    page,
                },
            )
        };
        paginate(first, after, fetch, |p| p.id.uuid(), PublicPact::from).await
    }
}

#[derive(Default)]
pub struct PactsMutation;

#[Object]
impl PactsMutation {
    /// Records a proposed pact (`PROPOSED`). Staff only.
    async fn add_pact(&self, ctx: &Context<'_>, input: PactInput) -> GqlResult<Pact> {
        let (svc, rc) = services(ctx)?;
        let req = input.into_request().gql()?;
        Ok(Pact(svc.volunteers.add_pact(&rc.ctx, req).await.gql()?))
    }

    /// Changes a pact's terms while `PROPOSED` or `UNDER_EVALUATION` (later:
    /// `TRANSITION_NOT_ALLOWED` on `status`); a stale `expectedVersion` is `CONFLICT`.
    async fn update_pact(&self, ctx: &Context<'_>, input: UpdatePactInput) -> GqlResult<Pact> {
        let (svc, rc) = services(ctx)?;
        let req = vol::UpdatePact {
            id: ids::decode(Kind::Pact, &input.id).gql()?,
            pact: input.pact.into_request().gql()?,
            expected_version: input.expected_version,
        };
        Ok(Pact(svc.volunteers.update_pact(&rc.ctx, req).await.gql()?))
    }

    /// Takes a step of a pact's status: `PROPOSED` → `UNDER_EVALUATION` → `SIGNED` (with
    /// `signedOn`) → `ACTIVE` (from the start date on) → `RENEWED` (a new period from the end
    /// of the current one, not for renewal `NONE`; taken before that end, the current period
    /// stays current and `renewedUntil` tells the next one's end; once per period) or `ENDED`; `PROPOSED`, `UNDER_EVALUATION`
    /// and `SIGNED` → `ENDED`; `EXPIRED` → `RENEWED`. Another step is `TRANSITION_NOT_ALLOWED`
    /// on `status`; a stale `expectedVersion` is `CONFLICT`.
    async fn set_pact_status(
        &self,
        ctx: &Context<'_>,
        input: SetPactStatusInput,
    ) -> GqlResult<Pact> {
        let (svc, rc) = services(ctx)?;
        let req = vol::SetPactStatus {
            id: ids::decode(Kind::Pact, &input.id).gql()?,
            status: input.status.into(),
            signed_on: input.signed_on,
            note: input.note,
            expected_version: input.expected_version,
        };
        Ok(Pact(
            svc.volunteers.set_pact_status(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Adds an activity report to a pact that has been active. Staff only.
    async fn add_pact_report(
        &self,
        ctx: &Context<'_>,
        input: AddPactReportInput,
    ) -> GqlResult<PactReport> {
        let (svc, rc) = services(ctx)?;
        let req = vol::AddPactReport {
            pact_id: ids::decode(Kind::Pact, &input.pact_id).gql()?,
            on: input.on,
            text: input.text,
            // Out of range becomes 0, which the service refuses naming `minutes`.
            minutes: input.minutes.map(|m| u32::try_from(m).unwrap_or(0)),
        };
        Ok(svc
            .volunteers
            .add_pact_report(&rc.ctx, req)
            .await
            .gql()?
            .into())
    }
}
