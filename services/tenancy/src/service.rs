//! The tenancy service: authorisation, transaction boundaries and the rules of onboarding.
//! Every operation checks the caller's role again (the gateway checked it first) and runs in one
//! transaction in the narrowest scope it needs.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use sportello_kernel::db::{Db, Scope, StoreConfig, Tx};
use sportello_kernel::secret::{digest, random_token};
use sportello_kernel::{Actor, Context, Error, Result, Role, TenantId, UserId};
use uuid::Uuid;

use crate::domain::{
    Email, IstatCode, LanguageCode, Name, check_password_rules, hash_password, optional_text,
    verify_password,
};
use crate::interface::*;
use crate::store::{
    Migrator, desk, directory_service, invitation, join_list, membership, organization, place,
    pseudonym_key, split_list, tenant, territory, user,
};

/// How long an invitation can be accepted.
const INVITATION_TTL_DAYS: i64 = 7;

/// The tenancy service on its own store.
#[derive(Clone)]
pub struct TenancyService {
    db: Db,
}

impl TenancyService {
    /// Opens the store, running migrations first when `migrate` is set.
    pub async fn open(config: &StoreConfig, migrate: bool) -> Result<Self> {
        Ok(Self {
            db: Db::open::<Migrator>(config, migrate).await?,
        })
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
        let any = tenant::Entity::find().one(tx.conn()).await?;
        tx.finish().await?;
        Ok(any.is_none())
    }
}

#[async_trait]
impl Tenancy for TenancyService {
    async fn ready(&self, _ctx: &Context, _req: ()) -> Result<()> {
        self.db.ping().await
    }

    async fn create_tenant(&self, ctx: &Context, req: CreateTenant) -> Result<CreatedTenant> {
        let admin = ctx.user()?;
        let name = Name::parse("name", &req.name)?;
        let email = Email::parse("adminEmail", &req.admin_email)?;
        let mut tx = self.db.begin(Scope::Global).await?;
        let model = tenant::ActiveModel {
            id: Set(TenantId::new().uuid()),
            name: Set(name.into_string()),
            kind: Set(kind_code(req.kind).to_owned()),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.enter_tenant(TenantId(model.id)).await?;
        let admin_invitation =
            issue_invitation(&tx, email, vec![Role::TenantAdmin], vec![], Some(admin)).await?;
        tx.commit().await?;
        tracing::info!(tenant = %model.id, "tenant created");
        Ok(CreatedTenant {
            tenant: to_tenant(model)?,
            admin_invitation,
        })
    }

    async fn list_tenants(&self, _ctx: &Context, req: Page) -> Result<Paged<Tenant>> {
        let tx = self.db.begin(Scope::Global).await?;
        let (rows, has_next_page) = tx
            .page(tenant::Entity::find(), tenant::Column::Id, &req)
            .await?;
        tx.finish().await?;
        Ok(Paged {
            items: rows.into_iter().map(to_tenant).collect::<Result<_>>()?,
            has_next_page,
        })
    }

    async fn tenant_names(&self, _ctx: &Context, req: Vec<TenantId>) -> Result<Vec<Tenant>> {
        if req.len() > 1000 {
            return Err(Error::invalid("ids", "ask for at most 1000 tenants"));
        }
        let tx = self.db.begin(Scope::Global).await?;
        let rows = tenant::Entity::find()
            .filter(tenant::Column::Id.is_in(req.iter().map(|t| t.uuid())))
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        rows.into_iter().map(to_tenant).collect()
    }

    async fn authenticate(&self, _ctx: &Context, req: Authenticate) -> Result<User> {
        let wrong = || {
            Error::new(
                sportello_kernel::ErrorCode::Unauthenticated,
                "wrong e-mail or password",
            )
        };
        let found = match Email::parse("email", &req.email) {
            Ok(email) => {
                let tx = self.db.begin(Scope::Global).await?;
                let found = find_user_by_email(&tx, email.as_str()).await?;
                tx.finish().await?;
                found
            }
            Err(_) => None,
        };
        let stored = found.as_ref().and_then(|u| u.password_hash.clone());
        let password = req.password;
        let ok = tokio::task::spawn_blocking(move || verify_password(&password, stored.as_deref()))
            .await
            .map_err(Error::internal)?;
        match found {
            Some(user) if ok => Ok(to_user(user)),
            _ => Err(wrong()),
        }
    }

    async fn change_password(&self, ctx: &Context, req: ChangePassword) -> Result<User> {
        let me = ctx.user()?;
        let tx = self.db.begin(Scope::Global).await?;
        let found = user::Entity::find_by_id(me.uuid())
            .one(tx.conn())
            .await?
            .ok_or_else(Error::unauthenticated)?;
        let stored = found.password_hash.clone();
        let current = req.current_password.clone();
        let ok = tokio::task::spawn_blocking(move || verify_password(&current, stored.as_deref()))
            .await
            .map_err(Error::internal)?;
        if !ok {
            return Err(Error::invalid(
                "currentPassword",
                "the current password is not correct",
            ));
        }
        if req.new_password == req.current_password {
            return Err(Error::invalid(
                "newPassword",
                "choose a password different from the current one",
            ));
        }
        check_password_rules(&req.new_password, &found.email)
            .map_err(|e| Error::invalid("newPassword", e.message))?;
        let hash = hash_blocking(req.new_password).await?;
        let mut model = found.into_active_model();
        model.password_hash = Set(Some(hash));
        let model = model.update(tx.conn()).await?;
        tx.commit().await?;
        tracing::info!(user = %me, "password changed");
        Ok(to_user(model))
    }

    async fn user_with_tenants(&self, ctx: &Context, req: UserId) -> Result<UserWithTenants> {
        if ctx.user()? != req {
            return Err(Error::forbidden());
        }
        let tx = self.db.begin(Scope::User(req)).await?;
        let user = user::Entity::find_by_id(req.uuid())
            .one(tx.conn())
            .await?
            .ok_or_else(Error::unauthenticated)?;
        // Scope::User lets the store show this user's own memberships in every tenant.
        let memberships = membership::Entity::find()
            .filter(membership::Column::UserId.eq(req.uuid()))
            .order_by_asc(membership::Column::CreatedAt)
            .all(tx.conn())
            .await?;
        let tenant_ids: Vec<Uuid> = memberships.iter().map(|m| m.tenant_id).collect();
        let tenants: HashMap<Uuid, tenant::Model> = tenant::Entity::find()
            .filter(tenant::Column::Id.is_in(tenant_ids))
            .all(tx.conn())
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        tx.finish().await?;
        let mut out = Vec::with_capacity(memberships.len());
        for m in memberships {
            let Some(t) = tenants.get(&m.tenant_id) else {
                continue;
            };
            out.push((to_tenant(t.clone())?, to_membership(m, &user)?));
        }
        Ok(UserWithTenants {
            user: to_user(user),
            memberships: out,
        })
    }

    async fn resolve_actor(&self, ctx: &Context, req: ResolveActor) -> Result<Actor> {
        if ctx.user()? != req.user_id {
            return Err(Error::forbidden());
        }
        let tx = self.db.begin(Scope::Tenant(req.tenant_id)).await?;
        let user = user::Entity::find_by_id(req.user_id.uuid())
            .one(tx.conn())
            .await?
            .ok_or_else(Error::unauthenticated)?;
        let m = tx
            .scoped::<membership::Entity>()?
            .filter(membership::Column::UserId.eq(req.user_id.uuid()))
            .one(tx.conn())
            .await?
            .ok_or_else(Error::forbidden)?;
        tx.finish().await?;
        Ok(Actor {
            user_id: Some(req.user_id),
            platform_admin: user.platform_admin,
            roles: parse_roles(&m.roles)?,
            territories: split_list(&m.territories),
            service: None,
        })
    }

    async fn add_territory(&self, ctx: &Context, req: AddTerritory) -> Result<Territory> {
        let tenant = ctx.tenant()?;
        let code = IstatCode::parse("istatCode", &req.istat_code)?;
        let name = Name::parse("name", &req.name)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let taken = tx
            .scoped::<territory::Entity>()?
            .filter(territory::Column::IstatCode.eq(code.as_str()))
            .one(tx.conn())
            .await?
            .is_some();
        if taken {
            return Err(Error::invalid(
                "istatCode",
                "this municipality is already part of the tenant",
            ));
        }
        let model = territory::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(TerritoryId::new().uuid()),
            istat_code: Set(code.into_string()),
            name: Set(name.into_string()),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(to_territory(model))
    }

    async fn update_territory(&self, ctx: &Context, req: UpdateTerritory) -> Result<Territory> {
        let tenant = ctx.tenant()?;
        let name = Name::parse("name", &req.name)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<territory::Entity>(territory::Column::Id, req.id.uuid())
            .await?;
        let mut model = found.into_active_model();
        model.name = Set(name.into_string());
        let model = model.update(tx.conn()).await?;
        tx.commit().await?;
        Ok(to_territory(model))
    }

    async fn remove_territory(&self, ctx: &Context, req: TerritoryId) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        tx.delete::<territory::Entity>(territory::Column::Id, req.uuid())
            .await?;
        tx.commit().await
    }

    async fn get_territory(&self, ctx: &Context, req: TerritoryId) -> Result<Territory> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<territory::Entity>(territory::Column::Id, req.uuid())
            .await?;
        tx.finish().await?;
        Ok(to_territory(found))
    }

    async fn list_territories(
        &self,
        ctx: &Context,
        req: ListTerritories,
    ) -> Result<Paged<Territory>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<territory::Entity>()?;
        if let Some(code) = req.istat_code.as_deref().filter(|c| !c.trim().is_empty()) {
            select = select.filter(territory::Column::IstatCode.eq(code.trim()));
        }
        if let Some(text) = req
            .name_contains
            .as_deref()
            .filter(|c| !c.trim().is_empty())
        {
            let pattern = format!("%{}%", escape_like(&text.trim().to_lowercase()));
            select = select.filter(
                Expr::expr(Func::lower(Expr::col((
                    territory::Entity,
                    territory::Column::Name,
                ))))
                .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')),
            );
        }
        let (rows, has_next_page) = tx.page(select, territory::Column::Id, &req.page).await?;
        tx.finish().await?;
        Ok(Paged {
            items: rows.into_iter().map(to_territory).collect(),
            has_next_page,
        })
    }

    async fn add_desk(&self, ctx: &Context, req: AddDesk) -> Result<Desk> {
        let tenant = ctx.tenant()?;
        let name = Name::parse("name", &req.name)?;
        let address = optional_text("address", req.address)?;
        let opening_hours = optional_text("openingHours", req.opening_hours)?;
        let languages = parse_languages(&req.languages)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let territory = tx
            .find::<territory::Entity>(territory::Column::Id, req.territory_id.uuid())
            .await
            .map_err(|_| Error::invalid("territoryId", "no such territory in this tenant"))?;
        require_territory(ctx, &territory.istat_code)?;
        let model = desk::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(DeskId::new().uuid()),
            territory_id: Set(territory.id),
            name: Set(name.into_string()),
            kind: Set(desk_kind_code(req.kind).to_owned()),
            address: Set(address),
            opening_hours: Set(opening_hours),
            languages: Set(join_list(&languages)),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        to_desk(model)
    }

    async fn update_desk(&self, ctx: &Context, req: UpdateDesk) -> Result<Desk> {
        let tenant = ctx.tenant()?;
        let name = req
            .name
            .as_deref()
            .map(|n| Name::parse("name", n))
            .transpose()?;
        let languages = req.languages.as_deref().map(parse_languages).transpose()?;
        let address = req
            .address
            .map(|a| optional_text("address", Some(a)))
            .transpose()?;
        let hours = req
            .opening_hours
            .map(|h| optional_text("openingHours", Some(h)))
            .transpose()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<desk::Entity>(desk::Column::Id, req.id.uuid())
            .await?;
        require_desk_territory(ctx, &tx, found.territory_id).await?;
        let mut model = found.into_active_model();
        if let Some(name) = name {
            model.name = Set(name.into_string());
        }
        if let Some(languages) = languages {
            model.languages = Set(join_list(&languages));
        }
        if let Some(address) = address {
            model.address = Set(address);
        }
        if let Some(hours) = hours {
            model.opening_hours = Set(hours);
        }
        let model = model.update(tx.conn()).await?;
        tx.commit().await?;
        to_desk(model)
    }

    async fn remove_desk(&self, ctx: &Context, req: DeskId) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<desk::Entity>(desk::Column::Id, req.uuid())
            .await?;
        require_desk_territory(ctx, &tx, found.territory_id).await?;
        tx.delete::<desk::Entity>(desk::Column::Id, req.uuid())
            .await?;
        tx.commit().await
    }

    async fn get_desk(&self, ctx: &Context, req: DeskId) -> Result<Desk> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<desk::Entity>(desk::Column::Id, req.uuid())
            .await?;
        tx.finish().await?;
        to_desk(found)
    }

    async fn list_desks(&self, ctx: &Context, req: ListDesks) -> Result<Paged<Desk>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<desk::Entity>()?;
        if let Some(territory) = req.territory_id {
            select = select.filter(desk::Column::TerritoryId.eq(territory.uuid()));
        }
        let (rows, has_next_page) = tx.page(select, desk::Column::Id, &req.page).await?;
        tx.finish().await?;
        Ok(Paged {
            items: rows.into_iter().map(to_desk).collect::<Result<_>>()?,
            has_next_page,
        })
    }

    async fn add_place(&self, ctx: &Context, req: AddPlace) -> Result<Place> {
        let tenant = ctx.tenant()?;
        let name = Name::parse("name", &req.name)?;
        let address = optional_text("address", req.address)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let desk = tx
            .find::<desk::Entity>(desk::Column::Id, req.desk_id.uuid())
            .await
            .map_err(|_| Error::invalid("deskId", "no such desk in this tenant"))?;
        require_desk_territory(ctx, &tx, desk.territory_id).await?;
        let model = place::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(PlaceId::new().uuid()),
            desk_id: Set(desk.id),
            name: Set(name.into_string()),
            kind: Set(place_kind_code(req.kind).to_owned()),
            address: Set(address),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        to_place(model)
    }

    async fn update_place(&self, ctx: &Context, req: UpdatePlace) -> Result<Place> {
        let tenant = ctx.tenant()?;
        let name = req
            .name
            .as_deref()
            .map(|n| Name::parse("name", n))
            .transpose()?;
        let address = req
            .address
            .map(|a| optional_text("address", Some(a)))
            .transpose()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<place::Entity>(place::Column::Id, req.id.uuid())
            .await?;
        let desk = tx
            .find::<desk::Entity>(desk::Column::Id, found.desk_id)
            .await?;
        require_desk_territory(ctx, &tx, desk.territory_id).await?;
        let mut model = found.into_active_model();
        if let Some(name) = name {
            model.name = Set(name.into_string());
        }
        if let Some(kind) = req.kind {
            model.kind = Set(place_kind_code(kind).to_owned());
        }
        if let Some(address) = address {
            model.address = Set(address);
        }
        let model = model.update(tx.conn()).await?;
        tx.commit().await?;
        to_place(model)
    }

    async fn remove_place(&self, ctx: &Context, req: PlaceId) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<place::Entity>(place::Column::Id, req.uuid())
            .await?;
        let desk = tx
            .find::<desk::Entity>(desk::Column::Id, found.desk_id)
            .await?;
        require_desk_territory(ctx, &tx, desk.territory_id).await?;
        tx.delete::<place::Entity>(place::Column::Id, req.uuid())
            .await?;
        tx.commit().await
    }

    async fn get_place(&self, ctx: &Context, req: PlaceId) -> Result<Place> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<place::Entity>(place::Column::Id, req.uuid())
            .await?;
        tx.finish().await?;
        to_place(found)
    }

    async fn list_places(&self, ctx: &Context, req: ListPlaces) -> Result<Paged<Place>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<place::Entity>()?;
        if let Some(desk) = req.desk_id {
            select = select.filter(place::Column::DeskId.eq(desk.uuid()));
        }
        let (rows, has_next_page) = tx.page(select, place::Column::Id, &req.page).await?;
        tx.finish().await?;
        Ok(Paged {
            items: rows.into_iter().map(to_place).collect::<Result<_>>()?,
            has_next_page,
        })
    }

    async fn get_membership(&self, ctx: &Context, req: MembershipId) -> Result<Membership> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let m = tx
            .find::<membership::Entity>(membership::Column::Id, req.uuid())
            .await?;
        let mut found = with_users(&tx, vec![m]).await?;
        tx.finish().await?;
        found.pop().ok_or_else(Error::not_found)
    }

    async fn list_memberships(&self, ctx: &Context, req: Page) -> Result<Paged<Membership>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let select = tx.scoped::<membership::Entity>()?;
        let (rows, has_next_page) = tx.page(select, membership::Column::Id, &req).await?;
        let items = with_users(&tx, rows).await?;
        tx.finish().await?;
        Ok(Paged {
            items,
            has_next_page,
        })
    }

    async fn update_membership(&self, ctx: &Context, req: UpdateMembership) -> Result<Membership> {
        let tenant = ctx.tenant()?;
        let roles = check_roles(&req.roles)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let territories = check_territories(&tx, &req.territories).await?;
        let found = tx
            .find::<membership::Entity>(membership::Column::Id, req.id.uuid())
            .await?;
        if Some(UserId(found.user_id)) == ctx.actor.user_id && !roles.contains(&Role::TenantAdmin) {
            return Err(Error::conflict(
                "you cannot remove your own administrator role",
            ));
        }
        let mut model = found.into_active_model();
        model.roles = Set(join_list(
            &roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        ));
        model.territories = Set(join_list(&territories));
        let model = model.update(tx.conn()).await?;
        let out = with_users(&tx, vec![model])
            .await?
            .pop()
            .ok_or_else(Error::not_found)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn remove_membership(&self, ctx: &Context, req: MembershipId) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<membership::Entity>(membership::Column::Id, req.uuid())
            .await?;
        if Some(UserId(found.user_id)) == ctx.actor.user_id {
            return Err(Error::conflict("you cannot remove your own membership"));
        }
        tx.delete::<membership::Entity>(membership::Column::Id, req.uuid())
            .await?;
        tx.commit().await
    }

    async fn invite_user(&self, ctx: &Context, req: InviteUser) -> Result<IssuedInvitation> {
        let tenant = ctx.tenant()?;
        let email = Email::parse("email", &req.email)?;
        let roles = check_roles(&req.roles)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let territories = check_territories(&tx, &req.territories).await?;
        if let Some(existing) = find_user_by_email(&tx, email.as_str()).await? {
            let member = tx
                .scoped::<membership::Entity>()?
                .filter(membership::Column::UserId.eq(existing.id))
                .one(tx.conn())
                .await?
                .is_some();
            if member {
                return Err(Error::invalid(
                    "email",
                    "this person is already a member of the tenant",
                ));
            }
        }
        let issued = issue_invitation(&tx, email, roles, territories, ctx.actor.user_id).await?;
        tx.commit().await?;
        Ok(issued)
    }

    async fn get_invitation(&self, ctx: &Context, req: InvitationId) -> Result<Invitation> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<invitation::Entity>(invitation::Column::Id, req.uuid())
            .await?;
        tx.finish().await?;
        to_invitation(found)
    }

    async fn list_invitations(
        &self,
        ctx: &Context,
        req: ListInvitations,
    ) -> Result<Paged<Invitation>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<invitation::Entity>()?;
        if req.pending_only {
            select = select
                .filter(invitation::Column::AcceptedAt.is_null())
                .filter(invitation::Column::ExpiresAt.gt(Utc::now()));
        }
        let (rows, has_next_page) = tx.page(select, invitation::Column::Id, &req.page).await?;
        tx.finish().await?;
        Ok(Paged {
            items: rows.into_iter().map(to_invitation).collect::<Result<_>>()?,
            has_next_page,
        })
    }

    async fn revoke_invitation(&self, ctx: &Context, req: InvitationId) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<invitation::Entity>(invitation::Column::Id, req.uuid())
            .await?;
        if found.accepted_at.is_some() {
            return Err(Error::conflict("this invitation has already been accepted"));
        }
        tx.delete::<invitation::Entity>(invitation::Column::Id, req.uuid())
            .await?;
        tx.commit().await
    }

    async fn accept_invitation(&self, _ctx: &Context, req: AcceptInvitation) -> Result<User> {
        let unknown = || {
            Error::new(
                sportello_kernel::ErrorCode::NotFound,
                "this invitation does not exist or was revoked",
            )
        };
        let token_hash = digest(req.token.trim());
        // The token is the capability: this scope reveals exactly the invitation it belongs to.
        let tx = self
            .db
            .begin(Scope::InvitationToken(token_hash.clone()))
            .await?;
        let found = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(&token_hash))
            .one(tx.conn())
            .await?
            .ok_or_else(unknown)?;
        let existing = find_user_by_email(&tx, &found.email).await?;
        tx.finish().await?;
        check_acceptable(&found)?;

        // Password work happens outside any transaction.
        let new_user = match &existing {
            Some(user) => {
                let stored = user.password_hash.clone();
                let password = req.password.clone();
                let ok = tokio::task::spawn_blocking(move || {
                    verify_password(&password, stored.as_deref())
                })
                .await
                .map_err(Error::internal)?;
                if !ok {
                    return Err(Error::invalid(
                        "password",
                        "this e-mail already has an account: enter its current password to accept",
                    ));
                }
                None
            }
            None => {
                check_password_rules(&req.password, &found.email)?;
                let name = match req.display_name.as_deref() {
                    Some(name) => Name::parse("displayName", name)?,
                    None => {
                        return Err(Error::invalid(
                            "displayName",
                            "tell us the name to show for you",
                        ));
                    }
                };
                Some((name, hash_blocking(req.password.clone()).await?))
            }
        };

        let tenant = TenantId(found.tenant_id);
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        // Single use, even under concurrent acceptance: only one UPDATE can flip accepted_at.
        let flipped = tx
            .scoped_update::<invitation::Entity>()?
            .col_expr(invitation::Column::AcceptedAt, Expr::value(Utc::now()))
            .filter(invitation::Column::Id.eq(found.id))
            .filter(invitation::Column::AcceptedAt.is_null())
            .exec(tx.conn())
            .await?;
        if flipped.rows_affected != 1 {
            return Err(Error::conflict("this invitation has already been used"));
        }
        let user = match (existing, new_user) {
            (Some(user), _) => user,
            (None, Some((name, hash))) => {
                insert_user(
                    &tx,
                    found.email.clone(),
                    name.into_string(),
                    Some(hash),
                    false,
                )
                .await?
            }
            (None, None) => return Err(Error::internal("invitation acceptance without a user")),
        };
        let already = tx
            .scoped::<membership::Entity>()?
            .filter(membership::Column::UserId.eq(user.id))
            .one(tx.conn())
            .await?
            .is_some();
        if already {
            return Err(Error::conflict("you are already a member of this tenant"));
        }
        membership::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(MembershipId::new().uuid()),
            user_id: Set(user.id),
            roles: Set(found.roles.clone()),
            territories: Set(found.territories.clone()),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        tracing::info!(tenant = %tenant, user = %user.id, "invitation accepted");
        Ok(to_user(user))
    }

    async fn add_organization(&self, ctx: &Context, req: AddOrganization) -> Result<Organization> {
        let tenant = ctx.tenant()?;
        let name = Name::parse("name", &req.name)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = organization::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(OrganizationId::new().uuid()),
            name: Set(name.into_string()),
            description: Set(optional_text("description", req.description)?),
            website: Set(optional_text("website", req.website)?),
            email: Set(req
                .email
                .as_deref()
                .map(|e| Email::parse("email", e).map(Email::into_string))
                .transpose()?),
            phone: Set(optional_text("phone", req.phone)?),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(to_organization(model))
    }

    async fn list_organizations(&self, ctx: &Context, req: Page) -> Result<Paged<Organization>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let select = tx.scoped::<organization::Entity>()?;
        let (rows, has_next_page) = tx.page(select, organization::Column::Id, &req).await?;
        tx.finish().await?;
        Ok(Paged {
            items: rows.into_iter().map(to_organization).collect(),
            has_next_page,
        })
    }

    async fn add_directory_service(
        &self,
        ctx: &Context,
        req: AddDirectoryService,
    ) -> Result<DirectoryService> {
        let tenant = ctx.tenant()?;
        let name = Name::parse("name", &req.name)?;
        let languages = parse_languages(&req.languages)?;
        let mut categories: Vec<String> = Vec::new();
        for c in &req.categories {
            let c = c.trim().to_lowercase();
            if c.is_empty()
                || c.len() > 40
                || !c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            {
                return Err(Error::invalid(
                    "categories",
                    "categories are need codes such as housing or documents_legal",
                ));
            }
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let org = tx
            .find::<organization::Entity>(organization::Column::Id, req.organization_id.uuid())
            .await
            .map_err(|_| Error::invalid("organizationId", "no such organisation in this tenant"))?;
        let territory = tx
            .find::<territory::Entity>(territory::Column::Id, req.territory_id.uuid())
            .await
            .map_err(|_| Error::invalid("territoryId", "no such territory in this tenant"))?;
        let model = directory_service::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(ServiceId::new().uuid()),
            organization_id: Set(org.id),
            name: Set(name.into_string()),
            description: Set(optional_text("description", req.description)?),
            categories: Set(join_list(&categories)),
            territory_id: Set(territory.id),
            address: Set(optional_text("address", req.address)?),
            languages: Set(join_list(&languages)),
            email: Set(req
                .email
                .as_deref()
                .map(|e| Email::parse("email", e).map(Email::into_string))
                .transpose()?),
            phone: Set(optional_text("phone", req.phone)?),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(to_directory_service(model))
    }

    async fn get_directory_service(
        &self,
        ctx: &Context,
        req: ServiceId,
    ) -> Result<DirectoryService> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<directory_service::Entity>(directory_service::Column::Id, req.uuid())
            .await?;
        tx.finish().await?;
        Ok(to_directory_service(found))
    }

    async fn list_directory_services(
        &self,
        ctx: &Context,
        req: ListDirectoryServices,
    ) -> Result<Paged<DirectoryService>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<directory_service::Entity>()?;
        if let Some(t) = req.territory_id {
            select = select.filter(directory_service::Column::TerritoryId.eq(t.uuid()));
        }
        let (rows, has_next_page) = tx
            .page(select, directory_service::Column::Id, &req.page)
            .await?;
        tx.finish().await?;
        let mut items: Vec<DirectoryService> = rows.into_iter().map(to_directory_service).collect();
        if let Some(category) = req.category.as_deref().map(|c| c.trim().to_lowercase()) {
            items.retain(|s| s.categories.contains(&category));
        }
        Ok(Paged {
            items,
            has_next_page,
        })
    }

    async fn pseudonym_key(&self, ctx: &Context, req: KeyRequest) -> Result<PseudonymKey> {
        let tenant = ctx.require_internal()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        if let Some(key) = tx.scoped::<pseudonym_key::Entity>()?.one(tx.conn()).await? {
            tx.finish().await?;
            return Ok(PseudonymKey { secret: key.secret });
        }
        // The first request creates the key, or adopts the one a producer used before keys had
        // an owner; of two first requests at once, the first insert wins and both read it.
        let adopting = req.adopt.as_deref().is_some_and(|k| k.len() >= 32);
        let offered = match req.adopt {
            Some(key) if adopting => key,
            _ => random_token(),
        };
        pseudonym_key::Entity::insert(pseudonym_key::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            secret: Set(offered),
            created_at: Set(Utc::now()),
        })
        .on_conflict_do_nothing_on([pseudonym_key::Column::TenantId])
        .exec(tx.conn())
        .await?;
        let key = tx
            .scoped::<pseudonym_key::Entity>()?
            .one(tx.conn())
            .await?
            .ok_or_else(|| Error::internal("pseudonym key missing"))?;
        tx.commit().await?;
        tracing::info!(
            tenant = %tenant,
            service = ctx.actor.service.as_deref().unwrap_or_default(),
            adopted = adopting,
            "pseudonym key issued"
        );
        Ok(PseudonymKey { secret: key.secret })
    }
}

fn check_acceptable(found: &invitation::Model) -> Result<()> {
    if found.accepted_at.is_some() {
        return Err(Error::conflict("this invitation has already been used"));
    }
    if found.expires_at <= Utc::now() {
        return Err(Error::conflict(
            "this invitation has expired: ask for a new one",
        ));
    }
    Ok(())
}

async fn hash_blocking(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(Error::internal)?
}

async fn find_user_by_email(tx: &Tx, email: &str) -> Result<Option<user::Model>> {
    Ok(user::Entity::find()
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

async fn issue_invitation(
    tx: &Tx,
    email: Email,
    roles: Vec<Role>,
    territories: Vec<String>,
    invited_by: Option<UserId>,
) -> Result<IssuedInvitation> {
    let token = random_token();
    let now = Utc::now();
    let model = invitation::ActiveModel {
        tenant_id: Set(tx.tenant()?.uuid()),
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
    Ok(IssuedInvitation {
        invitation: to_invitation(model)?,
        token,
    })
}

async fn with_users(tx: &Tx, rows: Vec<membership::Model>) -> Result<Vec<Membership>> {
    let ids: Vec<Uuid> = rows.iter().map(|m| m.user_id).collect();
    let users: HashMap<Uuid, user::Model> = user::Entity::find()
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
        return Err(Error::invalid("roles", "give at least one role"));
    }
    Ok(out)
}

/// Checks that every ISTAT code names a territory of the transaction's tenant.
async fn check_territories(tx: &Tx, codes: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for code in codes {
        let code = IstatCode::parse("territories", code)?.into_string();
        let exists = tx
            .scoped::<territory::Entity>()?
            .filter(territory::Column::IstatCode.eq(&code))
            .one(tx.conn())
            .await?
            .is_some();
        if !exists {
            return Err(Error::invalid(
                "territories",
                format!("{code} is not a territory of this tenant"),
            ));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
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
        languages: split_list(&m.languages),
        created_at: m.created_at,
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
        languages: split_list(&m.languages),
        email: m.email,
        phone: m.phone,
        created_at: m.created_at,
    }
}
