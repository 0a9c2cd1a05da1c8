//! Users and sessions: authentication, passwords, the actor behind a request.

use super::*;

impl TenancyService {
    pub(super) async fn authenticate(&self, _ctx: &Context, req: Authenticate) -> Result<User> {
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

    pub(super) async fn change_password(&self, ctx: &Context, req: ChangePassword) -> Result<User> {
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

    pub(super) async fn user_with_tenants(
        &self,
        ctx: &Context,
        req: UserId,
    ) -> Result<UserWithTenants> {
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

    pub(super) async fn resolve_actor(
        &self,
        ctx: &Context,
        req: ResolveActor,
    ) -> Result<ResolvedActor> {
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
        let found = tenant::Entity::find_by_id(req.tenant_id.uuid())
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
