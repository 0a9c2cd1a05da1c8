//! Users and sessions: authentication, passwords, the actor behind a request.

use super::*;

impl TenancyService {
    pub(super) async fn authenticate(&self, _ctx: &Context, req: Authenticate) -> Result<SignedIn> {
        let wrong = || Error::new(Reason::WrongCredentials);
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
            Some(user) if ok => self.signed_in(to_user(user), None).await,
            _ => Err(wrong()),
        }
    }

    /// The user and the tenant their new session starts in: `preferred` when they belong to it,
    /// else their oldest membership.
    async fn signed_in(&self, user: User, preferred: Option<TenantId>) -> Result<SignedIn> {
        let tx = self.db.begin(Scope::User(user.id)).await?;
        let tenants: Vec<Uuid> = own_memberships(&tx, user.id)
            .await?
            .into_iter()
            .map(|m| m.tenant_id)
            .collect();
        tx.finish().await?;
        let tenant = preferred
            .filter(|p| tenants.contains(&p.uuid()))
            .or_else(|| tenants.first().map(|t| TenantId(*t)));
        Ok(SignedIn { user, tenant })
    }

    pub(super) async fn change_password(
        &self,
        ctx: &Context,
        req: ChangePassword,
    ) -> Result<SignedIn> {
        let me = ctx.user()?;
        let tx = self.db.begin(Scope::Global).await?;
        let found = tx
            .global::<user::Entity>()
            .filter(user::Column::Id.eq(me.uuid()))
            .one(tx.conn())
            .await?
            .ok_or_else(Error::unauthenticated)?;
        let stored = found.password_hash.clone();
        let current = req.current_password.clone();
        let ok = tokio::task::spawn_blocking(move || verify_password(&current, stored.as_deref()))
            .await
            .map_err(Error::internal)?;
        if !ok {
            return Err(Error::on("currentPassword", Reason::WrongPassword));
        }
        if req.new_password == req.current_password {
            return Err(Error::on("newPassword", Reason::PasswordUnchanged));
        }
        check_password_rules(&req.new_password, &found.email).map_err(|e| Error {
            field: Some("newPassword".into()),
            ..e
        })?;
        let hash = hash_blocking(req.new_password).await?;
        let mut model = found.into_active_model();
        model.password_hash = Set(Some(hash));
        let model = model.update(tx.conn()).await?;
        tx.commit().await?;
        tracing::info!(user = %me, "password changed");
        self.signed_in(to_user(model), ctx.tenant).await
    }

    pub(super) async fn user_with_tenants(
        &self,
        ctx: &Context,
        req: UserId,
    ) -> Result<UserWithTenants> {
        if ctx.user()? != req {
            return Err(Error::forbidden());
        }
        let tx = self.db.begin(Scope::User(req)).await?;
        let user = tx
            .global::<user::Entity>()
            .filter(user::Column::Id.eq(req.uuid()))
            .one(tx.conn())
            .await?
            .ok_or_else(Error::unauthenticated)?;
        let memberships = own_memberships(&tx, req).await?;
        let tenant_ids: Vec<Uuid> = memberships.iter().map(|m| m.tenant_id).collect();
        let tenants: HashMap<Uuid, tenant::Model> = tx
            .global::<tenant::Entity>()
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

    pub(super) async fn resolve_actor(
        &self,
        ctx: &Context,
        req: ResolveActor,
    ) -> Result<ResolvedActor> {
        if ctx.user()? != req.user_id {
            return Err(Error::forbidden());
        }
        let tx = self.db.begin(Scope::Tenant(req.tenant_id)).await?;
        let user = tx
            .global::<user::Entity>()
            .filter(user::Column::Id.eq(req.user_id.uuid()))
            .one(tx.conn())
            .await?
            .ok_or_else(Error::unauthenticated)?;
        let m = tx
            .scoped::<membership::Entity>()?
            .filter(membership::Column::UserId.eq(req.user_id.uuid()))
            .one(tx.conn())
            .await?
            .ok_or_else(Error::forbidden)?;
        let found = tx
            .global::<tenant::Entity>()
            .filter(tenant::Column::Id.eq(req.tenant_id.uuid()))
            .one(tx.conn())
            .await?
            .ok_or_else(Error::forbidden)?;
        tx.finish().await?;
        Ok(ResolvedActor {
            actor: Actor {
                user_id: Some(req.user_id),
                platform_admin: user.platform_admin,
                roles: parse_roles(&m.roles)?,
                territories: split_list(&m.territories),
                service: None,
            },
            time_zone: to_tenant(found)?.time_zone,
        })
    }
}

/// A user's own memberships in every tenant, oldest first, in `Scope::User` (the one scope the
/// store lets read memberships across tenants, and only the user's own).
#[allow(
    clippy::disallowed_methods,
    reason = "audited: a user's own memberships across tenants, under Scope::User"
)]
async fn own_memberships(tx: &Tx, user: UserId) -> Result<Vec<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.uuid()))
        .order_by_asc(membership::Column::CreatedAt)
        .all(tx.conn())
        .await?)
}
