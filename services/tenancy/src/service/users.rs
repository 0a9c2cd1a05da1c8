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

impl TenancyService {
    pub(super) async fn request_password_reset(
        &self,
        _ctx: &Context,
        req: RequestPasswordReset,
    ) -> Result<()> {
        let email = Email::parse("email", &req.email)?;
        let language = MessageLanguage::from_code(req.language.as_deref().unwrap_or("it"));
        // The messages table grants a message of no tenant to this scope only; users and
        // password_resets belong to no tenant.
        let tx = self.db.begin(messages::SCOPE).await?;
        let Some(user) = find_user_by_email(&tx, email.as_str()).await? else {
            tx.finish().await?;
            return Ok(());
        };
        if user.password_hash.is_none() {
            // An account that signs in elsewhere (its provider) has no password to reset.
            tx.finish().await?;
            return Ok(());
        }
        let now = Utc::now();
        // A newer request replaces the older links.
        let open = tx
            .global::<password_reset::Entity>()
            .filter(password_reset::Column::UserId.eq(user.id))
            .filter(password_reset::Column::UsedAt.is_null())
            .all(tx.conn())
            .await?;
        for older in open {
            let mut older = older.into_active_model();
            older.used_at = Set(Some(now));
            older.update(tx.conn()).await?;
        }
        let token = random_token();
        password_reset::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user.id),
            token_hash: Set(digest(&token)),
            created_at: Set(now),
            expires_at: Set(now + Duration::minutes(PASSWORD_RESET_MINUTES)),
            used_at: Set(None),
        }
        .insert(tx.conn())
        .await?;
        // The token travels in the fragment: browsers never send it to a server or a proxy log.
        let link = format!("{}/password/nuova#{token}", self.console_url);
        let template = Template::PasswordReset {
            link: &link,
            minutes: PASSWORD_RESET_MINUTES as u32,
        };
        messages::queue(
            &tx,
            now,
            Outgoing {
                kind: MessageKind::PasswordReset,
                channel: Channel::Email,
                language,
                reference: None,
                recipient: user.email,
                content: template.email(language),
            },
        )?;
        tx.commit().await
    }

    pub(super) async fn reset_password(
        &self,
        _ctx: &Context,
        req: ResetPassword,
    ) -> Result<UserId> {
        let not_valid = || Error::on("token", Reason::ResetTokenNotValid);
        let tx = self.db.begin(Scope::Global).await?;
        let now = Utc::now();
        let mut query = tx
            .global::<password_reset::Entity>()
            .filter(password_reset::Column::TokenHash.eq(digest(&req.token)));
        if tx.backend() == sea_orm::DbBackend::Postgres {
            // Two uses of one token at once: the second waits, then finds it used.
            query = sea_orm::QuerySelect::lock_exclusive(query);
        }
        let found = query
            .one(tx.conn())
            .await?
            .filter(|r| r.used_at.is_none() && r.expires_at > now)
            .ok_or_else(not_valid)?;
        let user = tx
            .global::<user::Entity>()
            .filter(user::Column::Id.eq(found.user_id))
            .one(tx.conn())
            .await?
            .ok_or_else(not_valid)?;
        check_password_rules(&req.new_password, &user.email).map_err(|e| Error {
            field: Some("newPassword".into()),
            ..e
        })?;
        let hash = hash_blocking(req.new_password).await?;
        let mut reset = found.into_active_model();
        reset.used_at = Set(Some(now));
        reset.update(tx.conn()).await?;
        let id = user.id;
        let mut model = user.into_active_model();
        model.password_hash = Set(Some(hash));
        model.update(tx.conn()).await?;
        tx.commit().await?;
        tracing::info!(user = %id, "password reset");
        Ok(UserId(id))
    }
}
