//! GraphQL object types. They wrap the service interface types and give them global ids.

use async_graphql::{Context, Enum, ID, Interface, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sportello_tenancy as tenancy;

use super::ids::{Kind, encode};
use super::{GqlResult, IntoGql, services};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "TenantKind", remote = "sportello_tenancy::TenantKind")]
pub enum TenantKind {
    Consortium,
    District,
    Municipality,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "DeskKind", remote = "sportello_tenancy::DeskKind")]
pub enum DeskKind {
    Fixed,
    Diffuse,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "PlaceKind", remote = "sportello_tenancy::PlaceKind")]
pub enum PlaceKind {
    School,
    Clinic,
    Library,
    TownHall,
    PlaceOfWorship,
    CommunityCentre,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Role", remote = "sportello_kernel::Role")]
pub enum Role {
    TenantAdmin,
    Coordinator,
    Operator,
    Volunteer,
    TableMember,
    ExternalRequester,
    /// A linguistic-cultural mediator on call: sees only the requests offered or assigned.
    Mediator,
    /// A legal advisor on call: sees only the legal consultations.
    LegalAdvisor,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "InvitationStatus",
    remote = "sportello_tenancy::InvitationStatus"
)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Expired,
}

pub fn roles(roles: &[sportello_kernel::Role]) -> Vec<Role> {
    roles.iter().map(|r| Role::from(*r)).collect()
}

/// Any object with a global id.
#[allow(clippy::large_enum_variant)] // one value per `node` call
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Tenant(Tenant),
    Territory(Territory),
    Desk(Desk),
    Place(Place),
    Membership(Membership),
    Invitation(Invitation),
    Person(super::cases::Person),
    Case(super::cases::Case),
    DirectoryService(DirectoryService),
    Household(super::cases::Household),
    Volunteer(super::volunteers::Volunteer),
    Course(super::volunteers::Course),
    Enrolment(super::volunteers::Enrolment),
    Certificate(super::volunteers::Certificate),
    Task(super::volunteers::Task),
    Pact(super::volunteers::Pact),
    Unit(super::housing::Unit),
    HousingApplication(super::housing::HousingApplication),
    Placement(super::housing::Placement),
    Procedure(super::cases::Procedure),
    MediationRequest(super::oncall::MediationRequest),
    LegalConsultation(super::oncall::LegalConsultation),
}

/// An isolated customer: a consortium, a district or a single municipality.
pub struct Tenant(pub tenancy::Tenant);

#[Object]
impl Tenant {
    async fn id(&self) -> ID {
        encode(Kind::Tenant, self.0.id.uuid())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> TenantKind {
        self.0.kind.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The tenant's time zone (IANA name, `Europe/Rome` unless changed): days and months of its
    /// figures, default periods, recurrences and reminders follow it.
    async fn time_zone(&self) -> &'static str {
        self.0.time_zone.name()
    }
}

/// A person with an account. Accounts are global; roles come from memberships.
pub struct User(pub tenancy::User);

#[Object]
impl User {
    async fn id(&self) -> ID {
        encode(Kind::User, self.0.id.uuid())
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// Runs the installation; sees no case data.
    async fn platform_admin(&self) -> bool {
        self.0.platform_admin
    }
}

/// A municipality of the tenant, identified by its ISTAT code.
pub struct Territory(pub tenancy::Territory);

#[Object]
impl Territory {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Territory, self.0.id.uuid())
    }
    /// The 6-digit ISTAT code.
    async fn istat_code(&self) -> &str {
        &self.0.istat_code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A help desk: fixed, or diffuse (its operator visits places).
pub struct Desk(pub tenancy::Desk);

#[Object]
impl Desk {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Desk, self.0.id.uuid())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> DeskKind {
        self.0.kind.into()
    }
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    async fn opening_hours(&self) -> Option<&str> {
        self.0.opening_hours.as_deref()
    }
    /// ISO 639 codes of the languages spoken at the desk.
    async fn languages(&self) -> &[String] {
        &self.0.languages
    }
    async fn territory(&self, ctx: &Context<'_>) -> GqlResult<Territory> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .get_territory(&rc.ctx, self.0.territory_id)
            .await
            .gql()
            .map(Territory)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A place a diffuse desk visits: a school, a clinic, a library, a town hall…
pub struct Place(pub tenancy::Place);

#[Object]
impl Place {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Place, self.0.id.uuid())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> PlaceKind {
        self.0.kind.into()
    }
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    async fn desk(&self, ctx: &Context<'_>) -> GqlResult<Desk> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .get_desk(&rc.ctx, self.0.desk_id)
            .await
            .gql()
            .map(Desk)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A user's roles in the tenant, optionally limited to some territories.
pub struct Membership(pub tenancy::Membership);

#[Object]
impl Membership {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Membership, self.0.id.uuid())
    }
    /// The member's user: what operations naming a user take (`addRequester`,
    /// `setMediatorProfile`, `responsibleId`), and what `mediatorId` or `advisorId` name.
    async fn user_id(&self) -> ID {
        encode(Kind::User, self.0.user_id.uuid())
    }
    async fn user_email(&self) -> &str {
        &self.0.user_email
    }
    async fn user_display_name(&self) -> &str {
        &self.0.user_display_name
    }
    async fn roles(&self) -> Vec<Role> {
        roles(&self.0.roles)
    }
    /// ISTAT codes the roles are limited to; empty for every territory of the tenant.
    async fn territories(&self) -> &[String] {
        &self.0.territories
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// An invitation to join the tenant. Its token is shown only once, when it is issued.
pub struct Invitation(pub tenancy::Invitation);

#[Object]
impl Invitation {
    async fn id(&self) -> ID {
        encode(Kind::Invitation, self.0.id.uuid())
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn roles(&self) -> Vec<Role> {
        roles(&self.0.roles)
    }
    async fn territories(&self) -> &[String] {
        &self.0.territories
    }
    async fn status(&self) -> InvitationStatus {
        self.0.status.into()
    }
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The e-mails that carried the invitation's link, newest first.
    async fn deliveries(&self) -> Vec<MessageDelivery> {
        self.0
            .deliveries
            .iter()
            .cloned()
            .map(MessageDelivery)
            .collect()
    }
}

/// How a message travels.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_kernel::messages::Channel")]
pub enum MessageChannel {
    Email,
    Sms,
}

/// Where a message stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_kernel::messages::DeliveryStatus")]
pub enum DeliveryStatus {
    /// Waiting for its first try, or for a retry after a temporary failure.
    Pending,
    /// Accepted by the mail server or the SMS provider.
    Sent,
    /// Given up after repeated temporary failures (about two days of tries).
    Failed,
    /// Refused for good by the server or the provider (unknown address or number).
    Bounced,
}

/// A message sent (or being sent) on behalf of the tenant: its channel and status, never its
/// recipient or text.
pub struct MessageDelivery(pub sportello_kernel::messages::Delivery);

#[Object]
impl MessageDelivery {
    async fn channel(&self) -> MessageChannel {
        self.0.channel.into()
    }
    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }
    /// ISO 639-1 code of the language it is written in.
    async fn language(&self) -> &str {
        &self.0.language
    }
    /// Tries made so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// The class of the last failure: `unreachable`, `timeout`, `deferred`, `rejected`,
    /// `invalid_recipient`.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    async fn queued_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
}

/// A tenant the viewer belongs to, with the roles held there.
#[derive(SimpleObject)]
pub struct ViewerMembership {
    pub tenant: Tenant,
    pub roles: Vec<Role>,
    pub territories: Vec<String>,
}

/// The signed-in user, their tenants and the one this session works in.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Viewer {
    pub user: User,
    pub memberships: Vec<ViewerMembership>,
    /// The tenant requests work in; switch with `switchTenant`.
    pub active_tenant: Option<Tenant>,
    /// Roles in the active tenant.
    pub roles: Vec<Role>,
    /// Send it back in the `X-CSRF-Token` header of every mutation.
    pub csrf_token: String,
    #[graphql(skip)]
    pub session_id: String,
}

#[async_graphql::ComplexObject]
impl Viewer {
    /// The user's sessions still alive (this one included, `current`), most recently used
    /// first: at most one per browser they signed in with, ended by signing out, by
    /// `endSession`, by `signOutEverywhere`, by a password change or reset, or after the idle
    /// timeout.
    async fn sessions(&self, ctx: &Context<'_>) -> GqlResult<Vec<UserSession>> {
        let (svc, _) = services(ctx)?;
        let entries = svc.sessions.list(self.user.0.id).await.gql()?;
        Ok(entries
            .into_iter()
            .map(|e| UserSession {
                current: e.id == self.session_id,
                id: ID(e.id),
                device: e.device,
                method: if e.method == "oidc" {
                    SignInMethod::Oidc
                } else {
                    SignInMethod::Password
                },
                signed_in_at: millis(e.issued_at),
                last_seen_at: millis(e.seen_at),
            })
            .collect())
    }
}

fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// How a session was signed in.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum SignInMethod {
    /// E-mail and password.
    Password,
    /// The tenant's OpenID provider.
    Oidc,
}

/// One of the viewer's sessions: a browser they signed in with.
#[derive(SimpleObject)]
pub struct UserSession {
    /// The session's id in this list (for `endSession`); not a credential.
    pub id: ID,
    /// Browser and system, such as "Firefox, Windows"; empty when not recognised.
    pub device: String,
    pub method: SignInMethod,
    pub signed_in_at: DateTime<Utc>,
    /// When it was last used, to the minute.
    pub last_seen_at: DateTime<Utc>,
    /// Whether it is the session of this request.
    pub current: bool,
}

/// What `signOut` did.
#[derive(SimpleObject)]
pub struct SignOut {
    /// Whether a session was ended (false when the request had none).
    pub ended: bool,
    /// For a session opened through the tenant's OpenID provider, the provider's end-session
    /// URL (RP-Initiated Logout): open it to sign out there too; the provider returns to the
    /// sign-in page.
    pub provider_logout_url: Option<String>,
}

/// An invitation just issued. The token is shown this once; deliver it to the invitee.
#[derive(SimpleObject)]
pub struct IssuedInvitation {
    pub invitation: Invitation,
    pub token: String,
}

/// Whether an invitation link can be used now.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum InvitationTokenValidity {
    /// It can be accepted.
    Valid,
    /// Unknown, revoked, already used or expired: the invitee needs a new link.
    NotValid,
}

/// What the invitation page may know before showing its form: whether the link can be used, and
/// whether accepting creates an account (a name and a new password) or joins an existing one
/// (its current password).
#[derive(SimpleObject)]
pub struct InvitationTokenStatus {
    pub status: InvitationTokenValidity,
    /// True when accepting creates a new account; false when the invited e-mail has one already,
    /// or when the link is not valid.
    pub creates_account: bool,
}

impl From<tenancy::InvitationTokenStatus> for InvitationTokenStatus {
    fn from(s: tenancy::InvitationTokenStatus) -> Self {
        Self {
            status: if s.valid {
                InvitationTokenValidity::Valid
            } else {
                InvitationTokenValidity::NotValid
            },
            creates_account: s.valid && s.creates_account,
        }
    }
}

/// A tenant just created, with the invitation for its first administrator.
#[derive(SimpleObject)]
pub struct CreatedTenant {
    pub tenant: Tenant,
    pub admin_invitation: IssuedInvitation,
}

impl From<tenancy::IssuedInvitation> for IssuedInvitation {
    fn from(issued: tenancy::IssuedInvitation) -> Self {
        Self {
            invitation: Invitation(issued.invitation),
            token: issued.token,
        }
    }
}

/// An organisation of the territorial directory (HSDS `organization`).
pub struct Organization(pub tenancy::Organization);

#[Object]
impl Organization {
    async fn id(&self) -> ID {
        encode(Kind::Organization, self.0.id.uuid())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
}

/// A service people can be referred to (HSDS `service` with its location).
pub struct DirectoryService(pub tenancy::DirectoryService);

#[Object]
impl DirectoryService {
    async fn id(&self) -> ID {
        encode(Kind::DirectoryService, self.0.id.uuid())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Need category codes it answers.
    async fn categories(&self) -> &[String] {
        &self.0.categories
    }
    async fn territory(&self, ctx: &Context<'_>) -> GqlResult<Territory> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .get_territory(&rc.ctx, self.0.territory_id)
            .await
            .gql()
            .map(Territory)
    }
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    async fn languages(&self) -> &[String] {
        &self.0.languages
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
}
