//! The tenancy service: authorisation, transaction boundaries and the rules of onboarding.
//! Every operation checks the caller's role again (the gateway checked it first) and runs in one
//! transaction in the narrowest scope it needs.
//!
//! This file holds the service, its constructor and the helpers every aggregate shares; each
//! aggregate's operations live in their own file, as inherent methods that the `Tenancy`
//! implementation below calls.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use sportello_kernel::db::{Db, Scope, StoreConfig, Tx};
use sportello_kernel::messages::{self, Channel, MessageKind, MessageLanguage, Outgoing, Template};
use sportello_kernel::secret::{digest, random_token};
use sportello_kernel::{Actor, Context, Error, Reason, Result, Role, TenantId, UserId, Zone};
use uuid::Uuid;

use crate::domain::{
    Email, IstatCode, LanguageCode, Name, check_password_rules, hash_password, optional_phone,
    optional_text, verify_password,
};
use crate::interface::*;
use crate::store::{
    Migrator, desk, directory_service, invitation, join_list, membership, organization,
    password_reset, place, pseudonym_key, split_list, tenant, territory, user,
};

mod desks;
mod directory;
mod memberships;
mod oidc;
mod tenants;
mod territories;
mod tokens;
mod users;

pub use tokens::{TOKEN_PREFIX, tenant_of_token};

/// How long an invitation can be accepted.
const INVITATION_TTL_DAYS: i64 = 7;

/// The tenancy service on its own store.
#[derive(Clone)]
pub struct TenancyService {
    db: Db,
    /// The console's address, without a trailing `/`, for the links in e-mails.
    console_url: Arc<str>,
    /// The tenants' keys, which wrap the data keys of OpenID client secrets.
    keyring: sportello_kernel::crypto::Keyring,
}

impl TenancyService {
    /// Opens the store, running migrations first when `migrate` is set. Links in e-mails point
    /// to `http://localhost:8080` until [`TenancyService::with_console_url`] says otherwise.
    pub async fn open(config: &StoreConfig, migrate: bool) -> Result<Self> {
        Ok(Self {
            db: Db::open::<Migrator>(config, migrate).await?,
            console_url: Arc::from("http://localhost:8080"),
            keyring: sportello_kernel::crypto::Keyring::memory(),
        })
    }

    /// Uses the installation's key store (`Config::keyring`) for the secrets of OpenID
    /// providers; without it the keys live in memory and are lost with the process.
    pub fn with_keyring(mut self, keyring: sportello_kernel::crypto::Keyring) -> Self {
        self.keyring = keyring;
        self
    }

    /// The console's public address (`public_url`), for the links in invitation and password
    /// reset e-mails.
    pub fn with_console_url(mut self, url: &str) -> Self {
        self.console_url = Arc::from(url.trim_end_matches('/'));
        self
    }

    /// What an invitation e-mail needs: the console's address, the e-mail's language, and the
    /// tenant's zone for the last day it can be accepted.
    fn invitation_mail(&self, language: Option<&str>, zone: Zone) -> InvitationMail {
        InvitationMail {
            console_url: self.console_url.clone(),
            language: MessageLanguage::from_code(language.unwrap_or("it")),
            zone,
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Creates a user if the e-mail is not taken yet and returns it either way. For start-up
    /// (the first platform administrator, the demo), never exposed through the interface.
    pub async fn bootstrap_user(
        &self,
        email: &str,
        display_name: &str,
        password: &str,
        platform_admin: bool,
    ) -> Result<User> {
        let email = Email::parse("email", email)?;
        let name = Name::parse("displayName", display_name)?;
        check_password_rules(password, email.as_str())?;
        let tx = self.db.begin(Scope::Global).await?;
        if let Some(existing) = find_user_by_email(&tx, email.as_str()).await? {
            tx.finish().await?;
            return Ok(to_user(existing));
        }
        let hash = hash_blocking(password.to_owned()).await?;
        let model = insert_user(
            &tx,
            email.into_string(),
            name.into_string(),
            Some(hash),
            platform_admin,
        )
        .await?;
        tx.commit().await?;
        Ok(to_user(model))
    }

    /// True when no tenant exists yet: a fresh installation.
    pub async fn is_empty(&self) -> Result<bool> {
        let tx = self.db.begin(Scope::Global).await?;
        let any = tx.global::<tenant::Entity>().one(tx.conn()).await?;
        tx.finish().await?;
        Ok(any.is_none())
    }
}

/// Every operation but `ready` calls the inherent method of the same name in its aggregate's
/// file (inherent methods take precedence over the trait's).
#[async_trait]
impl Tenancy for TenancyService {
    async fn ready(&self, _ctx: &Context, _req: ()) -> Result<()> {
        self.db.ping().await
    }

    async fn create_tenant(&self, ctx: &Context, req: CreateTenant) -> Result<CreatedTenant> {
        self.create_tenant(ctx, req).await
    }

    async fn list_tenants(&self, ctx: &Context, req: Page) -> Result<Paged<Tenant>> {
        self.list_tenants(ctx, req).await
    }

    async fn tenant_names(&self, ctx: &Context, req: Vec<TenantId>) -> Result<Vec<Tenant>> {
        self.tenant_names(ctx, req).await
    }

    async fn authenticate(&self, ctx: &Context, req: Authenticate) -> Result<SignedIn> {
        self.authenticate(ctx, req).await
    }

    async fn change_password(&self, ctx: &Context, req: ChangePassword) -> Result<SignedIn> {
        self.change_password(ctx, req).await
    }

    async fn set_oidc_provider(&self, ctx: &Context, req: SetOidcProvider) -> Result<OidcProvider> {
        self.set_oidc_provider(ctx, req).await
    }

    async fn oidc_provider(&self, ctx: &Context, _req: ()) -> Result<Option<OidcProvider>> {
        self.oidc_provider(ctx).await
    }

    async fn remove_oidc_provider(&self, ctx: &Context, _req: ()) -> Result<()> {
        self.remove_oidc_provider(ctx).await
    }

    async fn oidc_client(&self, ctx: &Context, _req: ()) -> Result<OidcClient> {
        self.oidc_client(ctx).await
    }

    async fn oidc_sign_in(&self, ctx: &Context, req: OidcSignIn) -> Result<SignedIn> {
        self.oidc_sign_in(ctx, req).await
    }

    async fn request_password_reset(&self, ctx: &Context, req: RequestPasswordReset) -> Result<()> {
        self.request_password_reset(ctx, req).await
    }

    async fn reset_password(&self, ctx: &Context, req: ResetPassword) -> Result<UserId> {
        self.reset_password(ctx, req).await
    }

    async fn user_with_tenants(&self, ctx: &Context, req: UserId) -> Result<UserWithTenants> {
        self.user_with_tenants(ctx, req).await
    }

    async fn resolve_actor(&self, ctx: &Context, req: ResolveActor) -> Result<ResolvedActor> {
        self.resolve_actor(ctx, req).await
    }

    async fn create_api_token(&self, ctx: &Context, req: CreateApiToken) -> Result<IssuedApiToken> {
        self.create_api_token(ctx, req).await
    }

    async fn list_api_tokens(&self, ctx: &Context, req: Page) -> Result<Paged<ApiToken>> {
        self.list_api_tokens(ctx, req).await
    }

    async fn revoke_api_token(&self, ctx: &Context, req: ApiTokenId) -> Result<ApiToken> {
        self.revoke_api_token(ctx, req).await
    }

    async fn api_token_uses(
        &self,
        ctx: &Context,
        req: ListApiTokenUses,
    ) -> Result<Paged<ApiTokenUse>> {
        self.api_token_uses(ctx, req).await
    }

    async fn resolve_api_token(
        &self,
        ctx: &Context,
        req: ResolveApiToken,
    ) -> Result<ResolvedApiToken> {
        self.resolve_api_token(ctx, req).await
    }

    async fn record_api_token_use(&self, ctx: &Context, req: RecordApiTokenUse) -> Result<()> {
        self.record_api_token_use(ctx, req).await
    }

    async fn set_time_zone(&self, ctx: &Context, req: SetTimeZone) -> Result<Tenant> {
        self.set_time_zone(ctx, req).await
    }

    async fn retention(&self, ctx: &Context, _req: ()) -> Result<Retention> {
        Ok(self.retention_of(ctx).await?.retention)
    }

    async fn set_retention(&self, ctx: &Context, req: SetRetention) -> Result<Retention> {
        self.set_retention(ctx, req).await
    }

    async fn appointment_settings(&self, ctx: &Context, _req: ()) -> Result<AppointmentSettings> {
        self.appointment_settings(ctx).await
    }

    async fn set_appointment_settings(
        &self,
        ctx: &Context,
        req: AppointmentSettings,
    ) -> Result<AppointmentSettings> {
        self.set_appointment_settings(ctx, req).await
    }

    async fn retention_schedule(&self, ctx: &Context, _req: ()) -> Result<RetentionSchedule> {
        self.retention_of(ctx).await
    }

    async fn add_territory(&self, ctx: &Context, req: AddTerritory) -> Result<Territory> {
        self.add_territory(ctx, req).await
    }

    async fn update_territory(&self, ctx: &Context, req: UpdateTerritory) -> Result<Territory> {
        self.update_territory(ctx, req).await
    }

    async fn remove_territory(&self, ctx: &Context, req: TerritoryId) -> Result<()> {
        self.remove_territory(ctx, req).await
    }

    async fn get_territory(&self, ctx: &Context, req: TerritoryId) -> Result<Territory> {
        self.get_territory(ctx, req).await
    }

    async fn list_territories(
        &self,
        ctx: &Context,
        req: ListTerritories,
    ) -> Result<Paged<Territory>> {
        self.list_territories(ctx, req).await
    }

    async fn add_desk(&self, ctx: &Context, req: AddDesk) -> Result<Desk> {
        self.add_desk(ctx, req).await
    }

    async fn update_desk(&self, ctx: &Context, req: UpdateDesk) -> Result<Desk> {
        self.update_desk(ctx, req).await
    }

    async fn remove_desk(&self, ctx: &Context, req: DeskId) -> Result<()> {
        self.remove_desk(ctx, req).await
    }

    async fn get_desk(&self, ctx: &Context, req: DeskId) -> Result<Desk> {
        self.get_desk(ctx, req).await
    }

    async fn desks_by_id(&self, ctx: &Context, req: Vec<DeskId>) -> Result<Vec<Desk>> {
        self.desks_by_id(ctx, req).await
    }

    async fn list_desks(&self, ctx: &Context, req: ListDesks) -> Result<Paged<Desk>> {
        self.list_desks(ctx, req).await
    }

    async fn add_place(&self, ctx: &Context, req: AddPlace) -> Result<Place> {
        self.add_place(ctx, req).await
    }

    async fn update_place(&self, ctx: &Context, req: UpdatePlace) -> Result<Place> {
        self.update_place(ctx, req).await
    }

    async fn remove_place(&self, ctx: &Context, req: PlaceId) -> Result<()> {
        self.remove_place(ctx, req).await
    }

    async fn get_place(&self, ctx: &Context, req: PlaceId) -> Result<Place> {
        self.get_place(ctx, req).await
    }

    async fn list_places(&self, ctx: &Context, req: ListPlaces) -> Result<Paged<Place>> {
        self.list_places(ctx, req).await
    }

    async fn get_membership(&self, ctx: &Context, req: MembershipId) -> Result<Membership> {
        self.get_membership(ctx, req).await
    }

    async fn list_memberships(&self, ctx: &Context, req: Page) -> Result<Paged<Membership>> {
        self.list_memberships(ctx, req).await
    }

    async fn update_membership(&self, ctx: &Context, req: UpdateMembership) -> Result<Membership> {
        self.update_membership(ctx, req).await
    }

    async fn remove_membership(&self, ctx: &Context, req: MembershipId) -> Result<()> {
        self.remove_membership(ctx, req).await
    }

    async fn invite_user(&self, ctx: &Context, req: InviteUser) -> Result<IssuedInvitation> {
        self.invite_user(ctx, req).await
    }

    async fn get_invitation(&self, ctx: &Context, req: InvitationId) -> Result<Invitation> {
        self.get_invitation(ctx, req).await
    }

    async fn list_invitations(
        &self,
        ctx: &Context,
        req: ListInvitations,
    ) -> Result<Paged<Invitation>> {
        self.list_invitations(ctx, req).await
    }

    async fn revoke_invitation(&self, ctx: &Context, req: InvitationId) -> Result<()> {
        self.revoke_invitation(ctx, req).await
    }

    async fn invitation_status(
        &self,
        ctx: &Context,
        req: CheckInvitation,
    ) -> Result<InvitationTokenStatus> {
        self.invitation_status(ctx, req).await
    }

    async fn accept_invitation(&self, ctx: &Context, req: AcceptInvitation) -> Result<SignedIn> {
        self.accept_invitation(ctx, req).await
    }

    async fn add_organization(&self, ctx: &Context, req: AddOrganization) -> Result<Organization> {
        self.add_organization(ctx, req).await
    }

    async fn list_organizations(&self, ctx: &Context, req: Page) -> Result<Paged<Organization>> {
        self.list_organizations(ctx, req).await
    }

    async fn add_directory_service(
        &self,
        ctx: &Context,
        req: AddDirectoryService,
    ) -> Result<DirectoryService> {
        self.add_directory_service(ctx, req).await
    }

    async fn get_directory_service(
        &self,
        ctx: &Context,
        req: ServiceId,
    ) -> Result<DirectoryService> {
        self.get_directory_service(ctx, req).await
    }

    async fn list_directory_services(
        &self,
        ctx: &Context,
        req: ListDirectoryServices,
    ) -> Result<Paged<DirectoryService>> {
        self.list_directory_services(ctx, req).await
    }

    async fn pseudonym_key(&self, ctx: &Context, req: KeyRequest) -> Result<PseudonymKey> {
        self.pseudonym_key(ctx, req).await
    }

    async fn public_profile(&self, ctx: &Context, _req: ()) -> Result<PublicProfile> {
        self.public_profile(ctx).await
    }

    async fn invite_volunteer(
        &self,
        ctx: &Context,
        req: InviteVolunteer,
    ) -> Result<Option<IssuedInvitation>> {
        self.invite_volunteer(ctx, req).await
    }
}

fn check_acceptable(found: &invitation::Model) -> Result<()> {
    if found.accepted_at.is_some() {
        return Err(Error::new(Reason::InvitationUsed));
    }
    if found.expires_at <= Utc::now() {
        return Err(Error::new(Reason::InvitationExpired));
    }
    Ok(())
}

async fn hash_blocking(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(Error::internal)?
}

async fn find_user_by_email(tx: &Tx, email: &str) -> Result<Option<user::Model>> {
    Ok(tx
        .global::<user::Entity>()
        .filter(user::Column::Email.eq(email))
        .one(tx.conn())
        .await?)
}

async fn insert_user(
    tx: &Tx,
    email: String,
    display_name: String,
    password_hash: Option<String>,
    platform_admin: bool,
) -> Result<user::Model> {
    Ok(user::ActiveModel {
        id: Set(UserId::new().uuid()),
        email: Set(email),
        display_name: Set(display_name),
        password_hash: Set(password_hash),
        platform_admin: Set(platform_admin),
        created_at: Set(Utc::now()),
    }
    .insert(tx.conn())
    .await?)
}

/// What an invitation e-mail needs besides the invitation.
struct InvitationMail {
    console_url: Arc<str>,
    language: MessageLanguage,
    zone: Zone,
}

/// Issues an invitation in the transaction's tenant and queues its e-mail (the link with the
/// token, in `mail.language`) in the same transaction.
async fn issue_invitation(
    tx: &Tx,
    email: Email,
    roles: Vec<Role>,
    territories: Vec<String>,
    invited_by: Option<UserId>,
    mail: &InvitationMail,
) -> Result<IssuedInvitation> {
    let token = random_token();
    let now = Utc::now();
    let tenant = tx.tenant()?;
    let model = invitation::ActiveModel {
        tenant_id: Set(tenant.uuid()),
        id: Set(InvitationId::new().uuid()),
        email: Set(email.into_string()),
        roles: Set(join_list(
            &roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        )),
        territories: Set(join_list(&territories)),
        token_hash: Set(digest(&token)),
        expires_at: Set(now + Duration::days(INVITATION_TTL_DAYS)),
        accepted_at: Set(None),
        invited_by: Set(invited_by.map(|u| u.uuid())),
        created_at: Set(now),
    }
    .insert(tx.conn())
    .await?;
    let organisation = tenants::tenant_row(tx, tenant).await?.name;
    // The token travels in the fragment: browsers never send it to a server or a proxy log.
    let link = format!("{}/invito#{token}", mail.console_url);
    let expires = mail
        .zone
        .local(model.expires_at)
        .format("%d/%m/%Y")
        .to_string();
    let template = Template::Invitation {
        organisation: &organisation,
        link: &link,
        expires: &expires,
    };
    messages::queue(
        tx,
        now,
        Outgoing {
            kind: MessageKind::Invitation,
            channel: Channel::Email,
            language: mail.language,
            reference: Some(model.id),
            recipient: model.email.clone(),
            content: template.email(mail.language),
        },
    )?;
    Ok(IssuedInvitation {
        invitation: to_invitation(model)?,
        token,
    })
}

/// Adds to each invitation the deliveries of its e-mail.
async fn with_deliveries(tx: &Tx, mut invitations: Vec<Invitation>) -> Result<Vec<Invitation>> {
    let ids: Vec<Uuid> = invitations.iter().map(|i| i.id.uuid()).collect();
    let mut by_reference: HashMap<Uuid, Vec<messages::Delivery>> = HashMap::new();
    for d in messages::deliveries(tx, &ids).await? {
        if let Some(r) = d.reference {
            by_reference.entry(r).or_default().push(d);
        }
    }
    for i in &mut invitations {
        i.deliveries = by_reference.remove(&i.id.uuid()).unwrap_or_default();
    }
    Ok(invitations)
}

async fn with_users(tx: &Tx, rows: Vec<membership::Model>) -> Result<Vec<Membership>> {
    let ids: Vec<Uuid> = rows.iter().map(|m| m.user_id).collect();
    let users: HashMap<Uuid, user::Model> = tx
        .global::<user::Entity>()
        .filter(user::Column::Id.is_in(ids))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    rows.into_iter()
        .map(|m| {
            let user = users
                .get(&m.user_id)
                .ok_or_else(|| Error::internal("membership without user"))?;
            to_membership(m, user)
        })
        .collect()
}

async fn require_desk_territory(ctx: &Context, tx: &Tx, territory_id: Uuid) -> Result<()> {
    let territory = tx
        .find::<territory::Entity>(territory::Column::Id, territory_id)
        .await?;
    require_territory(ctx, &territory.istat_code)
}

fn require_territory(ctx: &Context, istat_code: &str) -> Result<()> {
    if ctx.covers_territory(istat_code) {
        Ok(())
    } else {
        Err(Error::forbidden())
    }
}

fn check_roles(roles: &[Role]) -> Result<Vec<Role>> {
    let mut out: Vec<Role> = Vec::new();
    for role in roles {
        if !out.contains(role) {
            out.push(*role);
        }
    }
    if out.is_empty() {
        return Err(Error::on("roles", Reason::Required));
    }
    Ok(out)
}

/// Checks that every ISTAT code names a territory of the transaction's tenant. A code that is
/// not one is refused with the reason `IstatCode::parse` gives (malformed, unknown, retired) or,
/// for a municipality in force, as not a territory of the tenant.
async fn check_territories(tx: &Tx, codes: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for code in codes {
        let code = code.trim().to_owned();
        let exists = tx
            .scoped::<territory::Entity>()?
            .filter(territory::Column::IstatCode.eq(&code))
            .one(tx.conn())
            .await?
            .is_some();
        if !exists {
            IstatCode::parse("territories", &code)?;
            return Err(Error::on(
                "territories",
                Reason::NoSuch {
                    object: sportello_kernel::error::Object::Territory,
                },
            ));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

/// A stored list of languages, each read in its one code (rows written before languages were
/// checked may hold `per` for `fa`), without repeats.
fn stored_languages(column: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for code in split_list(column) {
        let code = sportello_kernel::iso::stored_language(&code);
        if !out.contains(&code) {
            out.push(code);
        }
    }
    out
}

fn parse_languages(input: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for code in input {
        let code = LanguageCode::parse("languages", code)?.into_string();
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

fn parse_roles(column: &str) -> Result<Vec<Role>> {
    split_list(column)
        .iter()
        .map(|r| Role::parse(r).ok_or_else(|| Error::internal("unknown role stored")))
        .collect()
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

macro_rules! codes {
    ($to:ident, $from:ident, $ty:ty { $($variant:ident => $code:literal),* $(,)? }) => {
        fn $to(value: $ty) -> &'static str {
            match value { $(<$ty>::$variant => $code),* }
        }
        fn $from(code: &str) -> Result<$ty> {
            match code {
                $($code => Ok(<$ty>::$variant),)*
                _ => Err(Error::internal("unknown code stored")),
            }
        }
    };
}

codes!(kind_code, parse_kind, TenantKind { Consortium => "consortium", District => "district", Municipality => "municipality" });
codes!(desk_kind_code, parse_desk_kind, DeskKind { Fixed => "fixed", Diffuse => "diffuse" });
codes!(place_kind_code, parse_place_kind, PlaceKind {
    School => "school", Clinic => "clinic", Library => "library", TownHall => "town_hall",
    PlaceOfWorship => "place_of_worship", CommunityCentre => "community_centre", Other => "other",
});

fn to_tenant(m: tenant::Model) -> Result<Tenant> {
    Ok(Tenant {
        id: TenantId(m.id),
        name: m.name,
        kind: parse_kind(&m.kind)?,
        created_at: m.created_at,
        time_zone: Zone::parse("timeZone", &m.time_zone)
            .map_err(|_| Error::internal("a stored time zone is unknown"))?,
    })
}

fn to_user(m: user::Model) -> User {
    User {
        id: UserId(m.id),
        email: m.email,
        display_name: m.display_name,
        platform_admin: m.platform_admin,
    }
}

fn to_territory(m: territory::Model) -> Territory {
    Territory {
        id: TerritoryId(m.id),
        istat_code: m.istat_code,
        name: m.name,
        created_at: m.created_at,
        version: m.version,
    }
}

fn to_desk(m: desk::Model) -> Result<Desk> {
    Ok(Desk {
        id: DeskId(m.id),
        territory_id: TerritoryId(m.territory_id),
        name: m.name,
        kind: parse_desk_kind(&m.kind)?,
        address: m.address,
        opening_hours: m.opening_hours,
        languages: stored_languages(&m.languages),
        created_at: m.created_at,
        version: m.version,
    })
}

fn to_place(m: place::Model) -> Result<Place> {
    Ok(Place {
        id: PlaceId(m.id),
        desk_id: DeskId(m.desk_id),
        name: m.name,
        kind: parse_place_kind(&m.kind)?,
        address: m.address,
        created_at: m.created_at,
        version: m.version,
    })
}

fn to_membership(m: membership::Model, user: &user::Model) -> Result<Membership> {
    Ok(Membership {
        id: MembershipId(m.id),
        tenant_id: TenantId(m.tenant_id),
        user_id: UserId(m.user_id),
        user_email: user.email.clone(),
        user_display_name: user.display_name.clone(),
        roles: parse_roles(&m.roles)?,
        territories: split_list(&m.territories),
        created_at: m.created_at,
        version: m.version,
    })
}

fn to_invitation(m: invitation::Model) -> Result<Invitation> {
    let status = if m.accepted_at.is_some() {
        InvitationStatus::Accepted
    } else if m.expires_at <= Utc::now() {
        InvitationStatus::Expired
    } else {
        InvitationStatus::Pending
    };
    Ok(Invitation {
        id: InvitationId(m.id),
        tenant_id: TenantId(m.tenant_id),
        email: m.email,
        roles: parse_roles(&m.roles)?,
        territories: split_list(&m.territories),
        status,
        expires_at: m.expires_at,
        created_at: m.created_at,
        deliveries: Vec::new(),
    })
}

fn to_organization(m: organization::Model) -> Organization {
    Organization {
        id: OrganizationId(m.id),
        name: m.name,
        description: m.description,
        website: m.website,
        email: m.email,
        phone: m.phone,
        created_at: m.created_at,
    }
}

fn to_directory_service(m: directory_service::Model) -> DirectoryService {
    DirectoryService {
        id: ServiceId(m.id),
        organization_id: OrganizationId(m.organization_id),
        name: m.name,
        description: m.description,
        categories: split_list(&m.categories),
        territory_id: TerritoryId(m.territory_id),
        address: m.address,
        languages: stored_languages(&m.languages),
        email: m.email,
        phone: m.phone,
        created_at: m.created_at,
    }
}
