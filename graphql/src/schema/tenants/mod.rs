//! GraphQL operations of the tenancy service: the tenancy part of the query and mutation roots
//! (field order unchanged) and session start; the input types of each aggregate live in their
//! own file.

use super::*;

mod directory;
mod memberships;
mod oidc;
mod sessions;
mod territories;
mod tokens;

pub use directory::*;
pub use memberships::*;
pub use oidc::*;
pub use sessions::*;
pub use territories::*;
pub use tokens::*;

#[derive(Default)]
pub struct TenancyQuery;

#[Object]
impl TenancyQuery {
    /// The active tenant's retention schedule: how long its analytics facts and its published
    /// events are kept before the retention job removes them. Tenant administrators only.
    async fn retention(&self, ctx: &Context<'_>) -> GqlResult<Retention> {
        let (svc, rc) = services(ctx)?;
        Ok(Retention(svc.tenancy.retention(&rc.ctx, ()).await.gql()?))
    }

    /// The active tenant's appointment settings: the lead time of reminders when a booking gives
    /// none. Any member may read them (the booking form shows the default).
    async fn appointment_settings(&self, ctx: &Context<'_>) -> GqlResult<AppointmentSettings> {
        let (svc, rc) = services(ctx)?;
        let settings = svc.tenancy.appointment_settings(&rc.ctx, ()).await.gql()?;
        Ok(AppointmentSettings {
            reminder_hours_before: settings.reminder_hours_before,
        })
    }

    /// Organisations of the territorial directory.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Organization>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| svc.tenancy.list_organizations(&rc.ctx, page);
        paginate(first, after, fetch, |o| o.id.uuid(), Organization).await
    }

    /// Services of the territorial directory, by territory and need category (e.g. `housing`).
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn directory_services(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        territory_id: Option<ID>,
        category: Option<String>,
    ) -> GqlResult<Connection<String, DirectoryService>> {
        let (svc, rc) = services(ctx)?;
        let territory_id = territory_id
            .map(|id| decode(Kind::Territory, &id))
            .transpose()
            .gql()?;
        let req = tenancy::ListDirectoryServices {
            page: Page::default(),
            territory_id,
            category,
        };
        let fetch = |page| {
            svc.tenancy
                .list_directory_services(&rc.ctx, tenancy::ListDirectoryServices { page, ..req })
        };
        paginate(first, after, fetch, |s| s.id.uuid(), DirectoryService).await
    }

    /// The signed-in user, or null.
    async fn viewer(&self, ctx: &Context<'_>) -> GqlResult<Option<Viewer>> {
        let (svc, rc) = services(ctx)?;
        let Some((_, session)) = &rc.session else {
            return Ok(None);
        };
        viewer(svc, rc, session).await.map(Some)
    }

    /// Any object by its global id. Objects of other tenants do not exist here.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Node>> {
        let (svc, rc) = services(ctx)?;
        let t = &svc.tenancy;
        let c = &rc.ctx;
        let (kind, uuid) = decode_any(&id).gql()?;
        let node = match kind {
            Kind::Territory => t
                .get_territory(c, uuid.into())
                .await
                .map(|x| Node::Territory(Territory(x))),
            Kind::Desk => t
                .get_desk(c, uuid.into())
                .await
                .map(|x| Node::Desk(Desk(x))),
            Kind::Place => t
                .get_place(c, uuid.into())
                .await
                .map(|x| Node::Place(Place(x))),
            Kind::Membership => t
                .get_membership(c, uuid.into())
                .await
                .map(|x| Node::Membership(Membership(x))),
            Kind::Invitation => t
                .get_invitation(c, uuid.into())
                .await
                .map(|x| Node::Invitation(Invitation(x))),
            Kind::Tenant => {
                let user = c.user().gql()?;
                let mine = t.user_with_tenants(c, user).await.gql()?;
                mine.memberships
                    .into_iter()
                    .find(|(tenant, _)| tenant.id.uuid() == uuid)
                    .map(|(tenant, _)| Node::Tenant(Tenant(tenant)))
                    .ok_or_else(Error::not_found)
            }
            Kind::Person => cases::reads(ctx)?
                .person_with_parts(ctx, uuid.into())
                .await
                .map(|x| Node::Person(cases::Person(x))),
            // The case and the parts of it the query selects, in one cases transaction.
            Kind::Case => cases::reads(ctx)?
                .case_with_parts(ctx, uuid.into())
                .await
                .map(|x| Node::Case(cases::Case(x))),
            Kind::DirectoryService => t
                .get_directory_service(c, uuid.into())
                .await
                .map(|x| Node::DirectoryService(DirectoryService(x))),
            Kind::User
            | Kind::Encounter
            | Kind::Need
            | Kind::Intervention
            | Kind::Referral
            | Kind::Goal
            | Kind::Step
            | Kind::Organization
            | Kind::NeedType
            | Kind::Appointment
            | Kind::ProcedureType
            | Kind::RequesterOrganisation
            | Kind::KnowledgeEntry => Err(Error::not_found()),
            Kind::MediationRequest => svc
                .cases
                .get_mediation_request(c, uuid.into())
                .await
                .map(|x| Node::MediationRequest(super::oncall::MediationRequest(x))),
            Kind::LegalConsultation => svc
                .cases
                .get_legal_consultation(c, uuid.into())
                .await
                .map(|x| Node::LegalConsultation(super::oncall::LegalConsultation(x))),
            Kind::Procedure => svc
                .cases
                .get_procedure(c, uuid.into())
                .await
                .map(|x| Node::Procedure(cases::Procedure(x))),
            Kind::Volunteer => svc
                .volunteers
                .get_volunteer(c, uuid.into())
                .await
                .map(|x| Node::Volunteer(volunteers::Volunteer(x))),
            Kind::Task => svc
                .volunteers
                .get_task(c, uuid.into())
                .await
                .map(|x| Node::Task(volunteers::Task(x))),
            Kind::HoursEntry | Kind::Delegation => Err(Error::not_found()),
            Kind::Pact => svc
                .volunteers
                .get_pact(c, uuid.into())
                .await
                .map(|x| Node::Pact(volunteers::Pact(x))),
            Kind::Household => svc
                .cases
                .get_household(c, uuid.into())
                .await
                .map(|x| Node::Household(cases::Household(x))),
            Kind::Course => svc
                .volunteers
                .get_course(c, uuid.into())
                .await
                .map(|x| Node::Course(volunteers::Course::new(x))),
            Kind::Enrolment => svc
                .volunteers
                .get_enrolment(c, uuid.into())
                .await
                .map(|x| Node::Enrolment(volunteers::Enrolment(x))),
            Kind::Certificate => svc
                .volunteers
                .get_certificate(c, uuid.into())
                .await
                .map(|x| Node::Certificate(volunteers::Certificate(x))),
            Kind::CourseSession => Err(Error::not_found()),
            Kind::Unit => svc
                .housing
                .get_unit(c, uuid.into())
                .await
                .map(|x| Node::Unit(housing::Unit(x))),
            Kind::HousingApplication => svc
                .housing
                .get_application(c, uuid.into())
                .await
                .map(|x| Node::HousingApplication(housing::HousingApplication(x))),
            Kind::Placement => svc
                .housing
                .get_placement(c, uuid.into())
                .await
                .map(|x| Node::Placement(housing::Placement(x))),
            Kind::Room | Kind::Bed | Kind::Milestone | Kind::FollowUp | Kind::ApiToken => {
                Err(Error::not_found())
            }
        };
        node.map(Some).gql()
    }

    /// Every tenant of the installation. Platform administrators only.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn tenants(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Tenant>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| svc.tenancy.list_tenants(&rc.ctx, page);
        paginate(first, after, fetch, |t| t.id.uuid(), Tenant).await
    }

    /// Territories of the active tenant, filtered by ISTAT code or by part of the name.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn territories(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        istat_code: Option<String>,
        name_contains: Option<String>,
    ) -> GqlResult<Connection<String, Territory>> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::ListTerritories {
            page: Page::default(),
            istat_code,
            name_contains,
        };
        let fetch = |page| {
            svc.tenancy
                .list_territories(&rc.ctx, tenancy::ListTerritories { page, ..req })
        };
        paginate(first, after, fetch, |t| t.id.uuid(), Territory).await
    }

    /// Desks of the active tenant, optionally of one territory.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn desks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        territory_id: Option<ID>,
    ) -> GqlResult<Connection<String, Desk>> {
        let (svc, rc) = services(ctx)?;
        let territory_id = territory_id
            .map(|id| decode(Kind::Territory, &id))
            .transpose()
            .gql()?;
        let fetch = |page| {
            let req = tenancy::ListDesks { page, territory_id };
            svc.tenancy.list_desks(&rc.ctx, req)
        };
        paginate(first, after, fetch, |d| d.id.uuid(), Desk).await
    }

    /// Places visited by the active tenant's desks, optionally of one desk.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn places(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        desk_id: Option<ID>,
    ) -> GqlResult<Connection<String, Place>> {
        let (svc, rc) = services(ctx)?;
        let desk_id = desk_id
            .map(|id| decode(Kind::Desk, &id))
            .transpose()
            .gql()?;
        let fetch = |page| {
            let req = tenancy::ListPlaces { page, desk_id };
            svc.tenancy.list_places(&rc.ctx, req)
        };
        paginate(first, after, fetch, |p| p.id.uuid(), Place).await
    }

    /// Staff of the active tenant and their roles.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn memberships(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Membership>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| svc.tenancy.list_memberships(&rc.ctx, page);
        paginate(first, after, fetch, |m| m.id.uuid(), Membership).await
    }

    /// Invitations of the active tenant; `pendingOnly` hides accepted and expired ones.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn invitations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        pending_only: Option<bool>,
    ) -> GqlResult<Connection<String, Invitation>> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::ListInvitations {
            page: Page::default(),
            pending_only: pending_only.unwrap_or(false),
        };
        let fetch = |page| {
            svc.tenancy
                .list_invitations(&rc.ctx, tenancy::ListInvitations { page, ..req })
        };
        paginate(first, after, fetch, |i| i.id.uuid(), Invitation).await
    }

    /// Whether an invitation link can be used now, asked by the invitation page before it shows
    /// its form; no session needed. An unknown, revoked, used or expired token is `NOT_VALID`
    /// alike, and nothing about the invitation (e-mail, tenant, roles) is told.
    async fn invitation_status(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> GqlResult<InvitationTokenStatus> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::CheckInvitation { token };
        let status = svc.tenancy.invitation_status(&rc.ctx, req).await.gql()?;
        Ok(status.into())
    }
}

async fn viewer(
    svc: &Services,
    rc: &RequestState,
    session: &crate::session::Session,
) -> GqlResult<Viewer> {
    let mut ctx = rc.ctx.clone();
    ctx.actor.user_id = Some(session.user_id);
    let found = svc
        .tenancy
        .user_with_tenants(&ctx, session.user_id)
        .await
        .gql()?;
    let active = session
        .tenant
        .and_then(|t| found.memberships.iter().find(|(tenant, _)| tenant.id == t));
    Ok(Viewer {
        active_tenant: active.map(|(t, _)| Tenant(t.clone())),
        roles: active.map(|(_, m)| roles(&m.roles)).unwrap_or_default(),
        memberships: found
            .memberships
            .into_iter()
            .map(|(tenant, m)| ViewerMembership {
                tenant: Tenant(tenant),
                roles: roles(&m.roles),
                territories: m.territories,
            })
            .collect(),
        user: User(found.user),
        csrf_token: session.csrf.clone(),
        session_id: session.id.clone(),
    })
}

/// A tenant's settings of appointments.
#[derive(async_graphql::SimpleObject)]
pub struct AppointmentSettings {
    /// Hours before an appointment's start, on the tenant's local clock, at which its reminder
    /// is due when the booking gives no lead time; 1 to 336, 24 by default; null: no reminder
    /// unless the booking asks for one. A reminder goes only to a person who consented to
    /// messages and has a contact.
    pub reminder_hours_before: Option<i32>,
}

/// New appointment settings (every field is set: null clears).
#[derive(InputObject)]
pub struct AppointmentSettingsInput {
    pub reminder_hours_before: Option<i32>,
}

/// A tenant's retention schedule (docs/privacy.md, "Retention").
pub struct Retention(pub tenancy::Retention);

#[Object]
impl Retention {
    /// Months of analytics facts kept, the current month (in the tenant's time zone) included;
    /// 13 to 120, 36 by default.
    async fn analytics_fact_months(&self) -> i32 {
        i32::try_from(self.0.analytics_fact_months).unwrap_or(i32::MAX)
    }

    /// Days a published event stays in the outbox, from its publication; 1 to 30, 7 by default
    /// (the installation's `outbox_retention_hours` applies when shorter).
    async fn outbox_days(&self) -> i32 {
        i32::try_from(self.0.outbox_days).unwrap_or(i32::MAX)
    }

    /// Years a person whose cases are all closed is kept after the last one closed (local date
    /// in the tenant's time zone), then erased by the retention job; 1 to 30, 10 by default.
    async fn closed_case_years(&self) -> i32 {
        i32::try_from(self.0.closed_case_years).unwrap_or(i32::MAX)
    }
}

/// A new retention schedule: the values given change, the others stay.
#[derive(InputObject)]
pub struct SetRetentionInput {
    /// Months of analytics facts kept, 13 to 120.
    pub analytics_fact_months: Option<i32>,
    /// Days a published event stays in the outbox, 1 to 30.
    pub outbox_days: Option<i32>,
    /// Years a person whose cases are all closed is kept after the last one closed, 1 to 30.
    pub closed_case_years: Option<i32>,
}

#[derive(Default)]
pub struct TenancyMutation;

/// Mutations that need no session, and so no CSRF token.
pub const SESSIONLESS_MUTATIONS: [&str; 4] = [
    "login",
    "acceptInvitation",
    "requestPasswordReset",
    "resetPassword",
];

#[Object]
impl TenancyMutation {
    /// Adds an organisation to the territorial directory.
    async fn add_organization(
        &self,
        ctx: &Context<'_>,
        input: AddOrganizationInput,
    ) -> GqlResult<Organization> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::AddOrganization {
            name: input.name,
            description: input.description,
            website: input.website,
            email: input.email,
            phone: input.phone,
        };
        svc.tenancy
            .add_organization(&rc.ctx, req)
            .await
            .gql()
            .map(Organization)
    }

    /// Adds a service of an organisation to the territorial directory.
    async fn add_directory_service(
        &self,
        ctx: &Context<'_>,
        input: AddDirectoryServiceInput,
    ) -> GqlResult<DirectoryService> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::AddDirectoryService {
            organization_id: decode_input(
                Kind::Organization,
                &input.organization_id,
                "organizationId",
            )
            .gql()?,
            name: input.name,
            description: input.description,
            categories: input.categories,
            territory_id: decode_input(Kind::Territory, &input.territory_id, "territoryId")
                .gql()?,
            address: input.address,
            languages: input.languages,
            email: input.email,
            phone: input.phone,
        };
        svc.tenancy
            .add_directory_service(&rc.ctx, req)
            .await
            .gql()
            .map(DirectoryService)
    }

    /// Signs in with e-mail and password; sets the session cookie.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> GqlResult<Viewer> {
        let (svc, rc) = services(ctx)?;
        let sessions = &svc.sessions;
        sessions
            .check_attempts(&input.email, &rc.peer)
            .await
            .gql()?;
        let auth = tenancy::Authenticate {
            email: input.email.clone(),
            password: input.password,
        };
        let signed_in = svc.tenancy.authenticate(&rc.ctx, auth).await;
        let signed_in = sessions
            .count_attempt(&input.email, &rc.peer, signed_in)
            .await
            .gql()?;
        start_session(ctx, svc, rc, signed_in).await
    }

    /// Changes the signed-in user's password. Every other session of the user ends; this one
    /// continues with new cookies and a new CSRF token.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: ChangePasswordInput,
    ) -> GqlResult<Viewer> {
        let (svc, rc) = services(ctx)?;
        let Some((_, session)) = &rc.session else {
            return Err(to_gql(Error::unauthenticated()));
        };
        let user_id = session.user_id;
        let account = format!("user:{user_id}");
        let sessions = &svc.sessions;
        sessions.check_attempts(&account, &rc.peer).await.gql()?;
        let req = tenancy::ChangePassword {
            current_password: input.current_password,
            new_password: input.new_password,
        };
        let changed = svc.tenancy.change_password(&rc.ctx, req).await;
        let signed_in = sessions
            .count_attempt(&account, &rc.peer, changed)
            .await
            .gql()?;
        sessions.end_all_of(user_id).await.gql()?;
        start_session(ctx, svc, rc, signed_in).await
    }

    /// Sends an e-mail with a link to set a new password (valid 30 minutes, single use) when an
    /// account with a password has this e-mail, in `language`. Answers `true` either way, so the
    /// answer tells nothing about the account. `RATE_LIMITED` beyond 3 requests an hour for one
    /// e-mail or 10 from one address; `INVALID_INPUT` on `email` for text that is no e-mail.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        input: RequestPasswordResetInput,
    ) -> GqlResult<bool> {
        let (svc, rc) = services(ctx)?;
        svc.sessions
            .count_reset_request(&input.email, &rc.peer)
            .await
            .gql()?;
        let req = tenancy::RequestPasswordReset {
            email: input.email,
            language: input.language,
        };
        svc.tenancy
            .request_password_reset(&rc.ctx, req)
            .await
            .gql()?;
        Ok(true)
    }

    /// Sets a new password with the token of a reset e-mail. Every session of the account ends,
    /// this browser's too: sign in with the new password. `INVALID_INPUT` on `token` (reason
    /// `RESET_TOKEN_NOT_VALID`) for an unknown, used or expired link, on `newPassword` for a
    /// password the rules refuse; `RATE_LIMITED` after 10 failed tries an hour from one address.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        input: ResetPasswordInput,
    ) -> GqlResult<bool> {
        let (svc, rc) = services(ctx)?;
        let sessions = &svc.sessions;
        sessions.check_reset_attempts(&rc.peer).await.gql()?;
        let req = tenancy::ResetPassword {
            token: input.token,
            new_password: input.new_password,
        };
        let user = match svc.tenancy.reset_password(&rc.ctx, req).await {
            Ok(user) => user,
            Err(err) => {
                if err.field.as_deref() == Some("token") {
                    sessions.record_reset_failure(&rc.peer).await.gql()?;
                }
                return Err(to_gql(err));
            }
        };
        sessions.end_all_of(user).await.gql()?;
        if let Some((token, _)) = &rc.session {
            sessions.close(token).await.gql()?;
        }
        for cookie in sessions.clearing_cookies() {
            ctx.append_http_header("set-cookie", cookie);
        }
        Ok(true)
    }

    /// Ends this session and clears its cookies; for a session opened through the tenant's
    /// OpenID provider, also gives the provider's end-session URL to go to (RP-Initiated
    /// Logout), when the provider offers one.
    async fn sign_out(&self, ctx: &Context<'_>) -> GqlResult<SignOut> {
        let (svc, rc) = services(ctx)?;
        if let Some((token, _)) = &rc.session {
            svc.sessions.close(token).await.gql()?;
        }
        for cookie in svc.sessions.clearing_cookies() {
            ctx.append_http_header("set-cookie", cookie);
        }
        Ok(SignOut {
            ended: rc.session.is_some(),
            provider_logout_url: rc
                .session
                .as_ref()
                .and_then(|(_, s)| s.provider_logout.clone()),
        })
    }

    /// Ends one of the viewer's sessions (`Viewer.sessions`), on whatever browser it is: its
    /// next request is signed out. Ending the current one also clears its cookies.
    /// `NOT_FOUND` for an id that is no live session of the viewer; `UNAUTHENTICATED` without a
    /// session (an API token does not manage sessions).
    async fn end_session(&self, ctx: &Context<'_>, id: ID) -> GqlResult<ID> {
        let (svc, rc) = services(ctx)?;
        let Some((_, session)) = &rc.session else {
            return Err(to_gql(Error::unauthenticated()));
        };
        if !svc.sessions.end_one(session.user_id, &id).await.gql()? {
            return Err(to_gql(Error::not_found()));
        }
        if *id == session.id {
            for cookie in svc.sessions.clearing_cookies() {
                ctx.append_http_header("set-cookie", cookie);
            }
        }
        tracing::info!(user = %session.user_id, "session ended by its user");
        Ok(id)
    }

    /// Ends every session of the viewer, this one included, on every browser ("sign out
    /// everywhere"); API tokens are not touched (revoke them with `revokeApiToken`).
    /// `UNAUTHENTICATED` without a session.
    async fn sign_out_everywhere(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let (svc, rc) = services(ctx)?;
        let Some((token, session)) = &rc.session else {
            return Err(to_gql(Error::unauthenticated()));
        };
        svc.sessions.end_all_of(session.user_id).await.gql()?;
        svc.sessions.close(token).await.gql()?;
        for cookie in svc.sessions.clearing_cookies() {
            ctx.append_http_header("set-cookie", cookie);
        }
        tracing::info!(user = %session.user_id, "every session ended by its user");
        Ok(true)
    }

    /// Ends the session and clears its cookies.
    async fn logout(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let (svc, rc) = services(ctx)?;
        if let Some((token, _)) = &rc.session {
            svc.sessions.close(token).await.gql()?;
        }
        for cookie in svc.sessions.clearing_cookies() {
            ctx.append_http_header("set-cookie", cookie);
        }
        Ok(rc.session.is_some())
    }

    /// Makes the session work in another tenant the user belongs to.
    async fn switch_tenant(&self, ctx: &Context<'_>, tenant_id: ID) -> GqlResult<Viewer> {
        let (svc, rc) = services(ctx)?;
        let Some((token, session)) = &rc.session else {
            return Err(to_gql(Error::unauthenticated()));
        };
        let tenant = decode_input(Kind::Tenant, &tenant_id, "tenantId").gql()?;
        // A tenant's identity provider vouches for its own tenant only: a session it opened
        // stays there (another tenant's provider, or a password, signs in elsewhere).
        if session.method == "oidc" && session.tenant != Some(tenant) {
            return Err(to_gql(Error::not_found()));
        }
        // NOT_FOUND rather than FORBIDDEN: a tenant one does not belong to does not exist here.
        svc.tenancy
            .resolve_actor(
                &rc.ctx,
                tenancy::ResolveActor {
                    user_id: session.user_id,
                    tenant_id: tenant,
                },
            )
            .await
            .map_err(|_| to_gql(Error::not_found()))?;
        let mut session = session.clone();
        session.tenant = Some(tenant);
        svc.sessions.save(token, &session).await.gql()?;
        viewer(svc, rc, &session).await
    }

    /// Changes the active tenant's retention schedule (the values given; the others stay).
    /// Tenant administrators only. Out of bounds is `INVALID_INPUT` on `analyticsFactMonths`
    /// (13 to 120), `outboxDays` (1 to 30) or `closedCaseYears` (1 to 30), and nothing changes.
    async fn set_retention(
        &self,
        ctx: &Context<'_>,
        input: SetRetentionInput,
    ) -> GqlResult<Retention> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::SetRetention {
            analytics_fact_months: input.analytics_fact_months.map(i64::from),
            outbox_days: input.outbox_days.map(i64::from),
            closed_case_years: input.closed_case_years.map(i64::from),
        };
        Ok(Retention(
            svc.tenancy.set_retention(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Sets the active tenant's appointment settings. Tenant administrators only.
    /// `reminderHoursBefore` out of 1 to 336 is `INVALID_INPUT` on it, and nothing changes;
    /// null: no reminder unless a booking asks for one. Appointments booked before keep their
    /// reminder time.
    async fn set_appointment_settings(
        &self,
        ctx: &Context<'_>,
        input: AppointmentSettingsInput,
    ) -> GqlResult<AppointmentSettings> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::AppointmentSettings {
            reminder_hours_before: input.reminder_hours_before,
        };
        let set = svc
            .tenancy
            .set_appointment_settings(&rc.ctx, req)
            .await
            .gql()?;
        Ok(AppointmentSettings {
            reminder_hours_before: set.reminder_hours_before,
        })
    }

    /// Sets the active tenant's time zone, by IANA name (`Europe/Rome`, `America/Lima`…).
    /// Tenant administrators only; an unknown zone is `INVALID_INPUT` on `timeZone`.
    async fn set_tenant_time_zone(
        &self,
        ctx: &Context<'_>,
        time_zone: String,
    ) -> GqlResult<Tenant> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::SetTimeZone { time_zone };
        let changed = svc.tenancy.set_time_zone(&rc.ctx, req).await;
        // Every request carries its tenant's zone with its actor: they are resolved again.
        svc.sessions.actors_changed().await.gql()?;
        Ok(Tenant(changed.gql()?))
    }

    /// Creates a tenant and invites its first administrator. Platform administrators only.
    async fn create_tenant(
        &self,
        ctx: &Context<'_>,
        input: CreateTenantInput,
    ) -> GqlResult<CreatedTenant> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::CreateTenant {
            name: input.name,
            kind: input.kind.into(),
            admin_email: input.admin_email,
        };
        let created = svc.tenancy.create_tenant(&rc.ctx, req).await.gql()?;
        Ok(CreatedTenant {
            tenant: Tenant(created.tenant),
            admin_invitation: created.admin_invitation.into(),
        })
    }

    /// Invites a person to the active tenant with the given roles.
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        input: InviteUserInput,
    ) -> GqlResult<IssuedInvitation> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::InviteUser {
            email: input.email,
            roles: input.roles.into_iter().map(Into::into).collect(),
            territories: input.territories,
            language: input.language,
        };
        svc.tenancy
            .invite_user(&rc.ctx, req)
            .await
            .gql()
            .map(Into::into)
    }

    /// Withdraws an invitation that has not been accepted yet. Returns its id.
    async fn revoke_invitation(&self, ctx: &Context<'_>, id: ID) -> GqlResult<ID> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .revoke_invitation(&rc.ctx, decode(Kind::Invitation, &id).gql()?)
            .await
            .gql()?;
        Ok(id)
    }

    /// Accepts an invitation by its token, setting the password of a new account (or proving the
    /// password of an existing one), and signs in.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        input: AcceptInvitationInput,
    ) -> GqlResult<Viewer> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::AcceptInvitation {
            token: input.token,
            password: input.password,
            display_name: input.display_name,
        };
        let signed_in = svc.tenancy.accept_invitation(&rc.ctx, req).await.gql()?;
        start_session(ctx, svc, rc, signed_in).await
    }

    /// Adds a municipality to the active tenant.
    async fn add_territory(
        &self,
        ctx: &Context<'_>,
        input: AddTerritoryInput,
    ) -> GqlResult<Territory> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::AddTerritory {
            istat_code: input.istat_code,
            name: input.name,
        };
        svc.tenancy
            .add_territory(&rc.ctx, req)
            .await
            .gql()
            .map(Territory)
    }

    async fn update_territory(
        &self,
        ctx: &Context<'_>,
        input: UpdateTerritoryInput,
    ) -> GqlResult<Territory> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::UpdateTerritory {
            id: decode(Kind::Territory, &input.id).gql()?,
            name: input.name,
            expected_version: input.expected_version,
        };
        svc.tenancy
            .update_territory(&rc.ctx, req)
            .await
            .gql()
            .map(Territory)
    }

    /// Removes a territory that no desk refers to. Returns its id.
    async fn remove_territory(&self, ctx: &Context<'_>, id: ID) -> GqlResult<ID> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .remove_territory(&rc.ctx, decode(Kind::Territory, &id).gql()?)
            .await
            .gql()?;
        Ok(id)
    }

    async fn add_desk(&self, ctx: &Context<'_>, input: AddDeskInput) -> GqlResult<Desk> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::AddDesk {
            territory_id: decode_input(Kind::Territory, &input.territory_id, "territoryId")
                .gql()?,
            name: input.name,
            kind: input.kind.into(),
            address: input.address,
            opening_hours: input.opening_hours,
            languages: input.languages,
        };
        svc.tenancy.add_desk(&rc.ctx, req).await.gql().map(Desk)
    }

    async fn update_desk(&self, ctx: &Context<'_>, input: UpdateDeskInput) -> GqlResult<Desk> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::UpdateDesk {
            id: decode(Kind::Desk, &input.id).gql()?,
            name: input.name,
            address: input.address,
            opening_hours: input.opening_hours,
            languages: input.languages,
            expected_version: input.expected_version,
        };
        svc.tenancy.update_desk(&rc.ctx, req).await.gql().map(Desk)
    }

    /// Removes a desk that no place refers to. Returns its id.
    async fn remove_desk(&self, ctx: &Context<'_>, id: ID) -> GqlResult<ID> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .remove_desk(&rc.ctx, decode(Kind::Desk, &id).gql()?)
            .await
            .gql()?;
        Ok(id)
    }

    async fn add_place(&self, ctx: &Context<'_>, input: AddPlaceInput) -> GqlResult<Place> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::AddPlace {
            desk_id: decode_input(Kind::Desk, &input.desk_id, "deskId").gql()?,
            name: input.name,
            kind: input.kind.into(),
            address: input.address,
        };
        svc.tenancy.add_place(&rc.ctx, req).await.gql().map(Place)
    }

    async fn update_place(&self, ctx: &Context<'_>, input: UpdatePlaceInput) -> GqlResult<Place> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::UpdatePlace {
            id: decode(Kind::Place, &input.id).gql()?,
            name: input.name,
            kind: input.kind.map(Into::into),
            address: input.address,
            expected_version: input.expected_version,
        };
        svc.tenancy
            .update_place(&rc.ctx, req)
            .await
            .gql()
            .map(Place)
    }

    /// Removes a place. Returns its id.
    async fn remove_place(&self, ctx: &Context<'_>, id: ID) -> GqlResult<ID> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .remove_place(&rc.ctx, decode(Kind::Place, &id).gql()?)
            .await
            .gql()?;
        Ok(id)
    }

    /// Changes a member's roles and territory limits.
    async fn update_membership(
        &self,
        ctx: &Context<'_>,
        input: UpdateMembershipInput,
    ) -> GqlResult<Membership> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::UpdateMembership {
            id: decode(Kind::Membership, &input.id).gql()?,
            roles: input.roles.into_iter().map(Into::into).collect(),
            territories: input.territories,
            expected_version: input.expected_version,
        };
        let changed = svc.tenancy.update_membership(&rc.ctx, req).await;
        // Roles and territory limits take effect at the member's next request.
        svc.sessions.actors_changed().await.gql()?;
        changed.gql().map(Membership)
    }

    /// Removes a member from the active tenant. Returns the membership's id.
    async fn remove_membership(&self, ctx: &Context<'_>, id: ID) -> GqlResult<ID> {
        let (svc, rc) = services(ctx)?;
        let removed = svc
            .tenancy
            .remove_membership(&rc.ctx, decode(Kind::Membership, &id).gql()?)
            .await;
        // The removal takes effect at the former member's next request.
        svc.sessions.actors_changed().await.gql()?;
        removed.gql()?;
        Ok(id)
    }
}

/// Opens a session for a user who just proved who they are, in the tenant the tenancy service
/// chose for it, and sets its cookies.
async fn start_session(
    ctx: &Context<'_>,
    svc: &Services,
    rc: &RequestState,
    signed_in: tenancy::SignedIn,
) -> GqlResult<Viewer> {
    if let Some((old, _)) = &rc.session {
        svc.sessions.close(old).await.gql()?;
    }
    let tenancy::SignedIn { user, tenant } = signed_in;
    let (token, session) = svc
        .sessions
        .open(
            user.id,
            user.platform_admin,
            tenant,
            "password",
            rc.device.clone(),
            None,
        )
        .await
        .gql()?;
    for cookie in svc.sessions.cookies(&token, &session) {
        ctx.append_http_header("set-cookie", cookie);
    }
    tracing::info!(user = %user.id, "signed in");
    viewer(svc, rc, &session).await
}
