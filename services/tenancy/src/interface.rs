//! The tenancy service's interface: the types that cross it and the operations it offers. The same
//! declaration serves the in-process call and the HTTP/JSON transport.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
pub use sportello_kernel::db::{Page, Paged};
use sportello_kernel::pseudonym::KeyOwner;
pub use sportello_kernel::pseudonym::{KeyRequest, PseudonymKey};
use sportello_kernel::{Access, Actor, Role, TenantId, UserId, Zone, id_type, service_interface};

id_type!(
    /// A municipality inside a tenant.
    TerritoryId
);
id_type!(
    /// A help desk, fixed or diffuse.
    DeskId
);
id_type!(
    /// A place a diffuse desk visits.
    PlaceId
);
id_type!(
    /// A user's membership in a tenant.
    MembershipId
);
id_type!(
    /// An invitation to join a tenant.
    InvitationId
);

id_type!(
    /// An organisation of the territorial directory.
    OrganizationId
);
id_type!(
    /// A service of the territorial directory.
    ServiceId
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TenantKind {
    /// A consortium of municipalities.
    Consortium,
    /// A health/social district (Società della Salute, Ambito).
    District,
    /// A single municipality.
    Municipality,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub kind: TenantKind,
    pub created_at: DateTime<Utc>,
    /// Days, months, recurrences and reminders of the tenant follow this zone.
    pub time_zone: Zone,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub platform_admin: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Territory {
    pub id: TerritoryId,
    pub istat_code: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeskKind {
    /// A desk with its own premises and opening hours.
    Fixed,
    /// A desk whose operator visits places (schools, clinics, libraries…).
    Diffuse,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub id: DeskId,
    pub territory_id: TerritoryId,
    pub name: String,
    pub kind: DeskKind,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub languages: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlaceKind {
    School,
    Clinic,
    Library,
    TownHall,
    PlaceOfWorship,
    CommunityCentre,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub id: PlaceId,
    pub desk_id: DeskId,
    pub name: String,
    pub kind: PlaceKind,
    pub address: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub id: MembershipId,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub user_email: String,
    pub user_display_name: String,
    pub roles: Vec<Role>,
    /// ISTAT codes the roles are limited to; empty for every territory.
    pub territories: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// Raised by one on every change; an update names the version it was based on.
    pub version: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Expired,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: InvitationId,
    pub tenant_id: TenantId,
    pub email: String,
    pub roles: Vec<Role>,
    pub territories: Vec<String>,
    pub status: InvitationStatus,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// The e-mail that carried the invitation's link, newest first (its status, never its text).
    #[serde(default)]
    pub deliveries: Vec<sportello_kernel::messages::Delivery>,
}

/// An invitation just issued, with its single-use token. The token is shown once and never stored.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IssuedInvitation {
    pub invitation: Invitation,
    pub token: String,
}

/// A user who just proved who they are, and the tenant their new session starts in: for a
/// sign-in their oldest membership, after a password change the tenant they were working in (if
/// they still belong to it), after accepting an invitation the inviting tenant; `None` when they
/// belong to none (a platform administrator).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignedIn {
    pub user: User,
    pub tenant: Option<TenantId>,
}

/// The signed-in user with the tenants they belong to.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UserWithTenants {
    pub user: User,
    pub memberships: Vec<(Tenant, Membership)>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateTenant {
    pub name: String,
    pub kind: TenantKind,
    /// Receives an invitation as the tenant's first administrator.
    pub admin_email: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreatedTenant {
    pub tenant: Tenant,
    pub admin_invitation: IssuedInvitation,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Authenticate {
    pub email: String,
    pub password: String,
}

/// The signed-in user changes their own password.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResolveActor {
    pub user_id: UserId,
    pub tenant_id: TenantId,
}

/// A user's actor in a tenant, and what every request in that tenant needs to know of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedActor {
    pub actor: Actor,
    /// The tenant's time zone, carried by the request's context.
    pub time_zone: Zone,
}

/// The active tenant's new time zone, by IANA name.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetTimeZone {
    pub time_zone: String,
}

/// A tenant's retention schedule: how long what it leaves in the stores is kept before the
/// retention job removes it (docs/privacy.md, "Retention").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Months of analytics facts kept, the current month (in the tenant's time zone) included:
    /// 36 keeps this month and the 35 before it. Within [`Retention::FACT_MONTHS`].
    pub analytics_fact_months: u32,
    /// Days a published event stays in a producer's outbox (for inspection and republishing),
    /// counted from its publication. Within [`Retention::OUTBOX_DAYS`]; the installation's
    /// `outbox_retention_hours` applies when it is shorter.
    pub outbox_days: u32,
    /// Years a person is kept after their last case closed: a person with at least one case,
    /// every case closed and the latest closed on local day D is erased from D + N years (the
    /// tenant's local date). Within [`Retention::CLOSED_CASE_YEARS`].
    pub closed_case_years: u32,
}

impl Retention {
    /// What a tenant starts with: facts for 36 months, the longest period one query spans, so
    /// that every figure the tenant can ask for is there; published events for 7 days, the
    /// installation's default; people whose cases are all closed for 10 years after the last
    /// closed, the ordinary limitation period of Italian law (codice civile art. 2946) within
    /// which the service may have to account for what it did.
    pub const DEFAULT: Retention = Retention {
        analytics_fact_months: 36,
        outbox_days: 7,
        closed_case_years: 10,
    };
    /// At least 13 months, so that a month can be compared with the same month a year before
    /// (funders' yearly reports); at most 120 (ten years, a programme period and its audit):
    /// no figure needs pseudonymous facts longer.
    pub const FACT_MONTHS: std::ops::RangeInclusive<u32> = 13..=120;
    /// At least 1 day, to inspect and republish after an incident of the bus; at most 30, the
    /// installation's default memory of processed event ids (`processed_events_retention_hours`):
    /// an event kept longer and republished could be counted twice.
    pub const OUTBOX_DAYS: std::ops::RangeInclusive<u32> = 1..=30;
    /// At least 1 year, so that a person who comes back soon after a case closed finds their
    /// history (and a closing by mistake can be undone); at most 30, beyond any limitation
    /// period a service may have to answer within: storage limitation (GDPR art. 5(1)(e))
    /// forbids keeping people "for ever" by schedule.
    pub const CLOSED_CASE_YEARS: std::ops::RangeInclusive<u32> = 1..=30;
}

/// A new retention schedule for the active tenant: the values given change, the others stay.
/// A value out of its bounds is `INVALID_INPUT` on `analyticsFactMonths`, `outboxDays` or
/// `closedCaseYears`, and nothing changes.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct SetRetention {
    pub analytics_fact_months: Option<i64>,
    pub outbox_days: Option<i64>,
    #[serde(default)]
    pub closed_case_years: Option<i64>,
}

/// A tenant's settings of appointments: the lead time of reminders when a booking gives none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentSettings {
    /// Hours before an appointment's start (on the tenant's local clock) at which its reminder
    /// is due, within [`AppointmentSettings::REMINDER_HOURS`]; `None`: no reminder unless the
    /// booking asks for one. Out of bounds: `INVALID_INPUT` on `reminderHoursBefore`.
    pub reminder_hours_before: Option<i32>,
}

impl AppointmentSettings {
    /// A day ahead.
    pub const DEFAULT: Self = Self {
        reminder_hours_before: Some(24),
    };
    /// One hour to two weeks, the bounds of a booking's own lead time.
    pub const REMINDER_HOURS: (i32, i32) = (1, 24 * 14);
}

/// What the retention job needs of a tenant: its schedule and its time zone (months are the
/// tenant's local months).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionSchedule {
    pub retention: Retention,
    pub time_zone: Zone,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddTerritory {
    /// The municipality's ISTAT code; only municipalities in force (see docs/reference-data.md).
    pub istat_code: String,
    /// The official name when absent; when given it must match it (case, accents and
    /// whitespace aside; either language of a bilingual name).
    pub name: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateTerritory {
    pub id: TerritoryId,
    /// Checked against the official name of the territory's municipality, as in `AddTerritory`.
    pub name: String,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListTerritories {
    pub page: Page,
    pub istat_code: Option<String>,
    pub name_contains: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddDesk {
    pub territory_id: TerritoryId,
    pub name: String,
    pub kind: DeskKind,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub languages: Vec<String>,
}

/// Changes to a desk; absent fields stay as they are.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateDesk {
    pub id: DeskId,
    pub name: Option<String>,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub languages: Option<Vec<String>>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListDesks {
    pub page: Page,
    pub territory_id: Option<TerritoryId>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddPlace {
    pub desk_id: DeskId,
    pub name: String,
    pub kind: PlaceKind,
    pub address: Option<String>,
}

/// Changes to a place; absent fields stay as they are.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdatePlace {
    pub id: PlaceId,
    pub name: Option<String>,
    pub kind: Option<PlaceKind>,
    pub address: Option<String>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListPlaces {
    pub page: Page,
    pub desk_id: Option<DeskId>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateMembership {
    pub id: MembershipId,
    pub roles: Vec<Role>,
    pub territories: Vec<String>,
    /// The version the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InviteUser {
    pub email: String,
    pub roles: Vec<Role>,
    pub territories: Vec<String>,
    /// The language of the invitation e-mail (`it`, `en`, `fr`, `ar`, `ro`); Italian when none.
    #[serde(default)]
    pub language: Option<String>,
}

/// How long a password reset link works: short, as the OWASP Forgot Password Cheat Sheet
/// advises for reset tokens.
pub const PASSWORD_RESET_MINUTES: i64 = 30;

/// How Sportello authenticates to a tenant's OpenID provider at its token endpoint (OpenID
/// Connect Core 1.0, §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OidcAuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    /// A JWT signed with the tenant's private key (RS256), as the SPID/CIE OpenID profile asks.
    PrivateKeyJwt,
}

/// A tenant's OpenID provider as its administrator sets it. The secret (client secret, or the
/// PEM private key for `PRIVATE_KEY_JWT`) is write-only: required the first time, kept when
/// absent afterwards, never read back.
#[derive(Clone, Serialize, Deserialize)]
pub struct SetOidcProvider {
    /// The issuer (`https://login.comune.example.it`); its discovery document is read at
    /// `<issuer>/.well-known/openid-configuration`. `http://` only for 127.0.0.1 / localhost.
    pub issuer: String,
    pub client_id: String,
    pub auth_method: OidcAuthMethod,
    pub client_secret: Option<String>,
    pub private_key_pem: Option<String>,
    /// The `kid` the provider knows the private key by.
    pub key_id: Option<String>,
    /// Scopes besides `openid`; default `email`.
    pub scopes: Vec<String>,
    /// The claim that identifies the user, matched against invitations and members: `email`.
    pub user_claim: Option<String>,
    /// E-mail domains allowed to sign in (`comune.example.it`); empty for any.
    pub allowed_domains: Vec<String>,
    /// The version this change is based on; none for the first configuration.
    pub expected_version: Option<i32>,
}

impl std::fmt::Debug for SetOidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetOidcProvider")
            .field("issuer", &self.issuer)
            .field("auth_method", &self.auth_method)
            .finish_non_exhaustive()
    }
}

/// A tenant's OpenID provider as staff see it: no secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcProvider {
    pub issuer: String,
    pub client_id: String,
    pub auth_method: OidcAuthMethod,
    pub key_id: Option<String>,
    pub scopes: Vec<String>,
    pub user_claim: String,
    pub allowed_domains: Vec<String>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// What the gateway needs to run the flow for the context's tenant, secret included. Internal.
#[derive(Clone, Serialize, Deserialize)]
pub struct OidcClient {
    pub provider: OidcProvider,
    /// The client secret, or the PEM private key for `PRIVATE_KEY_JWT`.
    pub secret: String,
}

impl std::fmt::Debug for OidcClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcClient")
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

/// A verified identity from the tenant's provider (ID token checked by the gateway).
#[derive(Clone, Serialize, Deserialize)]
pub struct OidcSignIn {
    pub issuer: String,
    pub subject: String,
    /// The value of the provider's `user_claim` (an e-mail).
    pub email: Option<String>,
    /// `email_verified` of the ID token; an unverified address signs nobody in.
    pub email_verified: bool,
}

impl std::fmt::Debug for OidcSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSignIn")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// A request for a password reset e-mail. The answer is the same whether or not an account has
/// this e-mail (and whether or not it has a password).
#[derive(Clone, Serialize, Deserialize)]
pub struct RequestPasswordReset {
    pub email: String,
    /// The language of the e-mail (`it`, `en`, `fr`, `ar`, `ro`); Italian when none.
    pub language: Option<String>,
}

impl std::fmt::Debug for RequestPasswordReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestPasswordReset")
            .finish_non_exhaustive()
    }
}

/// A new password set with the token of a reset e-mail.
#[derive(Clone, Serialize, Deserialize)]
pub struct ResetPassword {
    pub token: String,
    pub new_password: String,
}

impl std::fmt::Debug for ResetPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResetPassword").finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListInvitations {
    pub page: Page,
    pub pending_only: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AcceptInvitation {
    pub token: String,
    pub password: String,
    /// Used when the invitation creates a new account.
    pub display_name: Option<String>,
}

/// A token presented on the invitation page, before the form is shown.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckInvitation {
    pub token: String,
}

/// Whether an invitation token can be accepted now: it exists (not revoked), was not used and has
/// not expired. No e-mail, tenant or role is told, only what accepting would reveal anyway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationTokenStatus {
    pub valid: bool,
    /// Accepting creates a new account (a name and a new password are asked for); false when the
    /// invited e-mail already has one (its current password is asked for) or the token is not
    /// valid.
    pub creates_account: bool,
}

/// A user created outside the invitation flow (the demo, the first platform administrator).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BootstrapUser {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub platform_admin: bool,
}

/// An organisation offering services in the territory (HSDS `organization`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: OrganizationId,
    pub name: String,
    pub description: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddOrganization {
    pub name: String,
    pub description: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A service people can be referred to (HSDS `service` with its location).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryService {
    pub id: ServiceId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: Option<String>,
    /// Need category codes it answers, e.g. `housing`, `health`.
    pub categories: Vec<String>,
    pub territory_id: TerritoryId,
    pub address: Option<String>,
    pub languages: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddDirectoryService {
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: Option<String>,
    pub categories: Vec<String>,
    pub territory_id: TerritoryId,
    pub address: Option<String>,
    pub languages: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListDirectoryServices {
    pub page: Page,
    pub territory_id: Option<TerritoryId>,
    pub category: Option<String>,
}

/// What a tenant shows to the public, for a form filled in without an account (the volunteers'
/// application form): its name, time zone and municipalities (ISTAT code and name, by code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicProfile {
    pub name: String,
    pub time_zone: Zone,
    pub territories: Vec<PublicTerritory>,
}

/// A municipality of a tenant as the public sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicTerritory {
    pub istat_code: String,
    pub name: String,
}

/// An approved volunteer to invite into the context's tenant with the role `VOLUNTEER`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InviteVolunteer {
    pub email: String,
}

/// Administrators and coordinators of a tenant: they run its desks, places, staff and directory.
const MANAGERS: Access = Access::Roles(&[Role::TenantAdmin, Role::Coordinator]);

// ── API tokens ───────────────────────────────────────────────────────────────────────────────

id_type!(
    /// An API token of a tenant.
    ApiTokenId
);

/// A personal token acts as its owner, with the owner's roles in the tenant at each use; a
/// service token acts with the roles it was issued with, in its own name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApiTokenKind {
    Personal,
    Service,
}

/// What a token may do: read (`ReadOnly`: queries only), export (`Exports`: the indicator and
/// statistics exports and the queries they need, no other mutation), or whatever its roles allow
/// (`Full`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApiTokenScope {
    ReadOnly,
    Exports,
    Full,
}

/// An API token as listed: never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub kind: ApiTokenKind,
    pub name: String,
    pub scope: ApiTokenScope,
    pub owner_user_id: Option<UserId>,
    /// A service token's roles; empty for a personal token.
    pub roles: Vec<Role>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Issues a token. A service token needs a tenant administrator and at least one role (not
/// `TENANT_ADMIN`); a personal one names no role. `validDays`: 1 to 366.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateApiToken {
    pub kind: ApiTokenKind,
    pub name: String,
    pub scope: ApiTokenScope,
    pub valid_days: u32,
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// A new token: `token` is shown this once and never stored (only its SHA-256).
#[derive(Clone, Serialize, Deserialize)]
pub struct IssuedApiToken {
    pub token: String,
    pub api_token: ApiToken,
}

impl std::fmt::Debug for IssuedApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedApiToken")
            .field("api_token", &self.api_token)
            .finish_non_exhaustive()
    }
}

/// One use of a token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenUse {
    /// Time-ordered: the cursor of the list of uses.
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    /// The operation's name, or `-` for an anonymous one.
    pub operation: String,
    /// `QUERY` or `MUTATION`.
    pub kind: String,
    /// The client's address.
    pub client: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ListApiTokenUses {
    pub token_id: ApiTokenId,
    pub page: Page,
}

/// Finds the token of this digest in the tenant the token names.
#[derive(Clone, Serialize, Deserialize)]
pub struct ResolveApiToken {
    pub tenant_id: TenantId,
    pub token_hash: String,
}

impl std::fmt::Debug for ResolveApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResolveApiToken")
            .field("tenant_id", &self.tenant_id)
            .finish_non_exhaustive()
    }
}

/// The actor a token acts as in its tenant. A service token's actor has the token's id as its
/// user id, so what it does is audited under it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedApiToken {
    pub token_id: ApiTokenId,
    pub scope: ApiTokenScope,
    pub actor: Actor,
    pub time_zone: Zone,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordApiTokenUse {
    pub token_id: ApiTokenId,
    pub operation: String,
    pub kind: String,
    pub client: String,
}

service_interface! {
    service "tenancy";
    /// Tenants, territories, desks, places, users, memberships and invitations.
    trait Tenancy;
    client TenancyClient;
    router tenancy_router;

    /// Answers when the service and its store are reachable.
    fn ready(()) -> () [public];
    /// Creates a tenant and invites its first administrator. Platform administrators only.
    fn create_tenant(CreateTenant) -> CreatedTenant [platform_admin];
    fn list_tenants(Page) -> Paged<Tenant> [platform_admin];
    /// Names of the given tenants, for the shared dashboard: any member of a tenant may ask.
    fn tenant_names(Vec<TenantId>) -> Vec<Tenant> [platform_admin_or member];
    /// Checks a password; the error never tells whether the account exists. A wrong password is
    /// `UNAUTHENTICATED` with the reason `WRONG_CREDENTIALS`.
    fn authenticate(Authenticate) -> SignedIn [public];
    /// Changes the signed-in user's password after checking the current one (wrong: `INVALID_INPUT`
    /// on `currentPassword`, reason `WRONG_PASSWORD`).
    fn change_password(ChangePassword) -> SignedIn [signed_in];
    /// Queues a password reset e-mail when an account with a password has this e-mail; the
    /// same empty answer either way. `INVALID_INPUT` on `email` only for text that is no e-mail.
    fn request_password_reset(RequestPasswordReset) -> () [public];
    /// Sets a new password with a reset token (single use, valid [`PASSWORD_RESET_MINUTES`]);
    /// returns the user, whose every session the gateway then ends. An unknown, used or expired
    /// token is `INVALID_INPUT` on `token` (reason `RESET_TOKEN_NOT_VALID`).
    fn reset_password(ResetPassword) -> UserId [public];
    /// Sets the active tenant's OpenID provider (see [`SetOidcProvider`]); every field at fault
    /// is named.
    fn set_oidc_provider(SetOidcProvider) -> OidcProvider [roles: TenantAdmin];
    /// The active tenant's OpenID provider, if any.
    fn oidc_provider(()) -> Option<OidcProvider> [roles: TenantAdmin];
    /// Removes the active tenant's OpenID provider: sign-in through it stops at once.
    fn remove_oidc_provider(()) -> () [roles: TenantAdmin];
    /// The context tenant's provider with its secret, for the gateway's flow. `NOT_FOUND` when
    /// the tenant has none. No user may ask.
    fn oidc_client(()) -> OidcClient [access: Access::Internal];
    /// Signs in the identity verified by the gateway in the context's tenant: an identity linked
    /// before, or a member with this (verified) e-mail, or the first sign-in of an invited
    /// e-mail, which creates the account (no password) and the membership. Anything else is
    /// `UNAUTHENTICATED` with the reason `NOT_INVITED`. No user may ask.
    fn oidc_sign_in(OidcSignIn) -> SignedIn [access: Access::Internal];
    /// The user and all their memberships, for the viewer and tenant switching.
    fn user_with_tenants(UserId) -> UserWithTenants [signed_in];
    /// The roles and territories of a user in a tenant; `FORBIDDEN` when not a member.
    fn resolve_actor(ResolveActor) -> ResolvedActor [signed_in];

    /// Issues an API token (see [`CreateApiToken`]); every field at fault is named.
    fn create_api_token(CreateApiToken) -> IssuedApiToken [member];
    /// The caller's own tokens; a tenant administrator's list holds every token of the tenant.
    fn list_api_tokens(Page) -> Paged<ApiToken> [member];
    /// Revokes a token at once (its owner, or a tenant administrator; another's is `NOT_FOUND`).
    fn revoke_api_token(ApiTokenId) -> ApiToken [member];
    /// A token's uses, newest first (as [`Tenancy::revoke_api_token`] decides who may see them).
    fn api_token_uses(ListApiTokenUses) -> Paged<ApiTokenUse> [member];
    /// The actor of a token that is known, not revoked and not expired; otherwise
    /// `UNAUTHENTICATED`. For the gateway only.
    fn resolve_api_token(ResolveApiToken) -> ResolvedApiToken [access: Access::Internal];
    /// Records a use of a token (and its last-used time). For the gateway only.
    fn record_api_token_use(RecordApiTokenUse) -> () [access: Access::Internal];
    /// Sets the active tenant's time zone (`INVALID_INPUT` on `timeZone` for an unknown one).
    fn set_time_zone(SetTimeZone) -> Tenant [roles: TenantAdmin];
    /// The active tenant's retention schedule. Tenant administrators only.
    fn retention(()) -> Retention [roles: TenantAdmin];
    /// Changes the active tenant's retention schedule. Tenant administrators only.
    fn set_retention(SetRetention) -> Retention [roles: TenantAdmin];
    /// The active tenant's appointment settings (the default lead time of reminders).
    fn appointment_settings(()) -> AppointmentSettings [member];
    /// Sets the active tenant's appointment settings (see [`AppointmentSettings`]).
    fn set_appointment_settings(AppointmentSettings) -> AppointmentSettings [roles: TenantAdmin];
    /// The tenant's schedule and time zone, for the retention job of a service's process. No
    /// user may ask.
    fn retention_schedule(()) -> RetentionSchedule [access: Access::Internal];

    fn add_territory(AddTerritory) -> Territory [roles: TenantAdmin];
    fn update_territory(UpdateTerritory) -> Territory [roles: TenantAdmin];
    fn remove_territory(TerritoryId) -> () [roles: TenantAdmin];
    fn get_territory(TerritoryId) -> Territory [member];
    fn list_territories(ListTerritories) -> Paged<Territory> [member];

    fn add_desk(AddDesk) -> Desk [access: MANAGERS];
    fn update_desk(UpdateDesk) -> Desk [access: MANAGERS];
    fn remove_desk(DeskId) -> () [access: MANAGERS];
    fn get_desk(DeskId) -> Desk [member];
    /// The desks of the context's tenant among these ids (others are left out), for a service's
    /// own work (the names in appointment reminders). No user may ask.
    fn desks_by_id(Vec<DeskId>) -> Vec<Desk> [access: Access::Internal];
    fn list_desks(ListDesks) -> Paged<Desk> [member];

    fn add_place(AddPlace) -> Place [access: MANAGERS];
    fn update_place(UpdatePlace) -> Place [access: MANAGERS];
    fn remove_place(PlaceId) -> () [access: MANAGERS];
    fn get_place(PlaceId) -> Place [member];
    fn list_places(ListPlaces) -> Paged<Place> [member];

    fn get_membership(MembershipId) -> Membership [access: MANAGERS];
    fn list_memberships(Page) -> Paged<Membership> [access: MANAGERS];
    fn update_membership(UpdateMembership) -> Membership [roles: TenantAdmin];
    fn remove_membership(MembershipId) -> () [roles: TenantAdmin];

    fn invite_user(InviteUser) -> IssuedInvitation [roles: TenantAdmin];
    fn get_invitation(InvitationId) -> Invitation [roles: TenantAdmin];
    fn list_invitations(ListInvitations) -> Paged<Invitation> [roles: TenantAdmin];
    fn revoke_invitation(InvitationId) -> () [roles: TenantAdmin];
    /// Whether an invitation token can be accepted now, for the invitation page to refuse a
    /// revoked, used, expired or unknown link before showing its form.
    fn invitation_status(CheckInvitation) -> InvitationTokenStatus [public];
    /// Accepts an invitation by its token, creating the account or joining an existing one.
    fn accept_invitation(AcceptInvitation) -> SignedIn [public];

    fn add_organization(AddOrganization) -> Organization [access: MANAGERS];
    fn list_organizations(Page) -> Paged<Organization> [member];
    fn add_directory_service(AddDirectoryService) -> DirectoryService [access: MANAGERS];
    fn get_directory_service(ServiceId) -> DirectoryService [member];
    fn list_directory_services(ListDirectoryServices) -> Paged<DirectoryService> [member];

    /// The tenant's key of the pseudonyms in events, created (or adopted) on first request.
    /// Producing services only: no user may ask, and the gateway never does.
    fn pseudonym_key(KeyRequest) -> PseudonymKey [access: Access::Internal];
    /// The context's tenant as the public sees it ([`PublicProfile`]); `NOT_FOUND` for a tenant
    /// that does not exist. For a service serving a form without an account: no user may ask.
    fn public_profile(()) -> PublicProfile [access: Access::Internal];
    /// Invites an approved volunteer's e-mail into the context's tenant with the role
    /// `VOLUNTEER` (the invitation of `invite_user`, valid 7 days, token shown once). `None` when
    /// the address already belongs to a member of the tenant, whose roles are left as they are.
    /// For the volunteers service: no user may ask.
    fn invite_volunteer(InviteVolunteer) -> Option<IssuedInvitation> [access: Access::Internal];
}

/// The tenancy service owns the pseudonym keys: every producer reaches them through its client.
#[sportello_kernel::reexport::async_trait::async_trait]
impl KeyOwner for TenancyClient {
    async fn pseudonym_key(
        &self,
        ctx: &sportello_kernel::Context,
        req: KeyRequest,
    ) -> sportello_kernel::Result<PseudonymKey> {
        TenancyClient::pseudonym_key(self, ctx, req).await
    }
}
