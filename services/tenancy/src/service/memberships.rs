//! Memberships and the invitations that create them.

use super::*;

impl TenancyService {
    pub(super) async fn get_membership(
        &self,
        ctx: &Context,
        req: MembershipId,
    ) -> Result<Membership> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let m = tx
            .find::<membership::Entity>(membership::Column::Id, req.uuid())
            .await?;
        let mut found = with_users(&tx, vec![m]).await?;
        tx.finish().await?;
        found.pop().ok_or_else(Error::not_found)
    }

    pub(super) async fn list_memberships(
        &self,
        ctx: &Context,
        req: Page,
    ) -> Result<Paged<Membership>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let select = tx.scoped::<membership::Entity>()?;
        let page = tx.page(select, membership::Column::Id, &req).await?;
        let items = with_users(&tx, page.items).await?;
        tx.finish().await?;
        Ok(Paged {
            items,
            has_next_page: page.has_next_page,
        })
    }

    pub(super) async fn update_membership(
        &self,
        ctx: &Context,
        req: UpdateMembership,
    ) -> Result<Membership> {
        let tenant = ctx.tenant()?;
        let roles = check_roles(&req.roles)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let territories = check_territories(&tx, &req.territories).await?;
        let found = tx
            .find::<membership::Entity>(membership::Column::Id, req.id.uuid())
            .await?;
        if Some(UserId(found.user_id)) == ctx.actor.user_id && !roles.contains(&Role::TenantAdmin) {
            return Err(Error::new(Reason::OwnAdminRole));
        }
        let found_id = found.id;
        let mut model = found.into_active_model();
        model.roles = Set(join_list(
            &roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        ));
        model.territories = Set(join_list(&territories));
        let model = tx
            .update_versioned::<membership::Entity>(found_id, Some(req.expected_version), model)
            .await?;
        let out = with_users(&tx, vec![model])
            .await?
            .pop()
            .ok_or_else(Error::not_found)?;
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn remove_membership(&self, ctx: &Context, req: MembershipId) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<membership::Entity>(membership::Column::Id, req.uuid())
            .await?;
        if Some(UserId(found.user_id)) == ctx.actor.user_id {
            return Err(Error::new(Reason::OwnMembership));
        }
        tx.delete::<membership::Entity>(membership::Column::Id, req.uuid())
            .await?;
        tx.commit().await
    }

    pub(super) async fn invite_user(
        &self,
        ctx: &Context,
        req: InviteUser,
    ) -> Result<IssuedInvitation> {
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
                return Err(Error::on("email", Reason::AlreadyMember));
            }
        }
        let mail = self.invitation_mail(req.language.as_deref(), ctx.time_zone);
        let issued =
            issue_invitation(&tx, email, roles, territories, ctx.actor.user_id, &mail).await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// Invites an approved volunteer with the role `VOLUNTEER` in every territory; `None` when
    /// the address already belongs to a member of the tenant (nothing is issued).
    pub(super) async fn invite_volunteer(
        &self,
        ctx: &Context,
        req: InviteVolunteer,
    ) -> Result<Option<IssuedInvitation>> {
        let tenant = ctx.require_internal()?;
        let email = Email::parse("email", &req.email)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        if let Some(existing) = find_user_by_email(&tx, email.as_str()).await? {
            let member = tx
                .scoped::<membership::Entity>()?
                .filter(membership::Column::UserId.eq(existing.id))
                .one(tx.conn())
                .await?
                .is_some();
            if member {
                tx.finish().await?;
                return Ok(None);
            }
        }
        let mail = self.invitation_mail(None, ctx.time_zone);
        let issued =
            issue_invitation(&tx, email, vec![Role::Volunteer], Vec::new(), None, &mail).await?;
        tx.commit().await?;
        Ok(Some(issued))
    }

    pub(super) async fn get_invitation(
        &self,
        ctx: &Context,
        req: InvitationId,
    ) -> Result<Invitation> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<invitation::Entity>(invitation::Column::Id, req.uuid())
            .await?;
        let out = with_deliveries(&tx, vec![to_invitation(found)?]).await?;
        tx.finish().await?;
        out.into_iter().next().ok_or_else(Error::not_found)
    }

    pub(super) async fn list_invitations(
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
        let rows = tx.page(select, invitation::Column::Id, &req.page).await?;
        let mut rows = rows.try_map(to_invitation)?;
        rows.items = with_deliveries(&tx, std::mem::take(&mut rows.items)).await?;
        tx.finish().await?;
        Ok(rows)
    }

    pub(super) async fn revoke_invitation(&self, ctx: &Context, req: InvitationId) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<invitation::Entity>(invitation::Column::Id, req.uuid())
            .await?;
        if found.accepted_at.is_some() {
            return Err(Error::new(Reason::InvitationUsed));
        }
        tx.delete::<invitation::Entity>(invitation::Column::Id, req.uuid())
            .await?;
        tx.commit().await
    }

    /// Whether the token can be accepted now (see [`InvitationTokenStatus`]): an unknown or
    /// revoked token, a used one and an expired one all answer `valid: false` alike.
    pub(super) async fn invitation_status(
        &self,
        _ctx: &Context,
        req: CheckInvitation,
    ) -> Result<InvitationTokenStatus> {
        let not_valid = InvitationTokenStatus {
            valid: false,
            creates_account: false,
        };
        let token_hash = digest(req.token.trim());
        // The token is the capability: this scope reveals exactly the invitation it belongs to.
        let tx = self
            .db
            .begin(Scope::InvitationToken(token_hash.clone()))
            .await?;
        #[allow(
            clippy::disallowed_methods,
            reason = "audited: the invitation whose token is presented, under Scope::InvitationToken"
        )]
        let by_token = invitation::Entity::find();
        let Some(found) = by_token
            .filter(invitation::Column::TokenHash.eq(&token_hash))
            .one(tx.conn())
            .await?
        else {
            tx.finish().await?;
            return Ok(not_valid);
        };
        let existing = find_user_by_email(&tx, &found.email).await?;
        tx.finish().await?;
        if check_acceptable(&found).is_err() {
            return Ok(not_valid);
        }
        Ok(InvitationTokenStatus {
            valid: true,
            creates_account: existing.is_none(),
        })
    }

    pub(super) async fn accept_invitation(
        &self,
        _ctx: &Context,
        req: AcceptInvitation,
    ) -> Result<SignedIn> {
        let unknown = || Error::new(Reason::InvitationRevokedOrUnknown);
        let token_hash = digest(req.token.trim());
        // The token is the capability: this scope reveals exactly the invitation it belongs to.
        let tx = self
            .db
            .begin(Scope::InvitationToken(token_hash.clone()))
            .await?;
        #[allow(
            clippy::disallowed_methods,
            reason = "audited: the invitation whose token is presented, under Scope::InvitationToken"
        )]
        let by_token = invitation::Entity::find();
        let found = by_token
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
                    return Err(Error::on("password", Reason::WrongPassword).saying(
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
                        return Err(Error::on("displayName", Reason::Required));
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
            return Err(Error::new(Reason::InvitationUsed));
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
            return Err(Error::new(Reason::AlreadyMember));
        }
        membership::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(MembershipId::new().uuid()),
            user_id: Set(user.id),
            roles: Set(found.roles.clone()),
            territories: Set(found.territories.clone()),
            created_at: Set(Utc::now()),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        tracing::info!(tenant = %tenant, user = %user.id, "invitation accepted");
        // The new membership's tenant is the one to work in.
        Ok(SignedIn {
            user: to_user(user),
            tenant: Some(tenant),
        })
    }
}
