//! API tokens: issued to a member (personal) or by a tenant administrator (service), stored as
//! their SHA-256 only, revocable, with an expiry, a scope and every use recorded.
//!
//! A token reads `spt_<tenant id, 32 hex digits>_<43 random characters>`: the gateway finds the
//! tenant in it and asks this service for the token of that digest in that tenant, so a token
//! is looked up under the tenant's row-level security like any tenant data.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};
use sportello_kernel::db::Scope;
use sportello_kernel::error::Refusals;
use sportello_kernel::secret::{digest, random_token};
use sportello_kernel::{Actor, Context, Error, Reason, Result, Role, TenantId, UserId};
use uuid::Uuid;

use super::{TenancyService, parse_roles, to_tenant};
use crate::interface::*;
use crate::store::{api_token, api_token_use, membership, tenant};

/// The longest a token is valid, in days.
pub const MAX_VALID_DAYS: u32 = 366;
/// The longest token name, in characters.
const MAX_NAME: usize = 100;

/// The prefix of every token.
pub const TOKEN_PREFIX: &str = "spt_";

/// The tenant a token names, if it has the token's shape.
pub fn tenant_of_token(token: &str) -> Option<TenantId> {
    let rest = token.strip_prefix(TOKEN_PREFIX)?;
    let (tenant, secret) = rest.split_once('_')?;
    if tenant.len() != 32 || secret.len() < 32 {
        return None;
    }
    Uuid::try_parse(tenant).ok().map(TenantId)
}

impl TenancyService {
    pub(super) async fn create_api_token(
        &self,
        ctx: &Context,
        req: CreateApiToken,
    ) -> Result<IssuedApiToken> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let mut refusals = Refusals::default();
        let name = req.name.trim().to_owned();
        if name.is_empty() {
            refusals.note(Error::on("name", Reason::Required));
        } else if name.chars().count() > MAX_NAME {
            refusals.note(Error::on(
                "name",
                Reason::TooLong {
                    max: MAX_NAME as u32,
                },
            ));
        } else if name.chars().any(char::is_control) {
            refusals.note(Error::on("name", Reason::ControlCharacters));
        }
        if !(1..=MAX_VALID_DAYS).contains(&req.valid_days) {
            refusals.note(Error::on(
                "validDays",
                Reason::OutOfRange {
                    min: 1,
                    max: i64::from(MAX_VALID_DAYS),
                },
            ));
        }
        let mut roles: Vec<Role> = Vec::new();
        for role in &req.roles {
            if !roles.contains(role) {
                roles.push(*role);
            }
        }
        match req.kind {
            ApiTokenKind::Personal if !roles.is_empty() => refusals.note(
                Error::on("roles", Reason::TooMany { max: 0 })
                    .saying("a personal token acts with its owner's roles"),
            ),
            ApiTokenKind::Service if !ctx.has_role(Role::TenantAdmin) => {
                return Err(Error::forbidden());
            }
            ApiTokenKind::Service if roles.is_empty() => {
                refusals.note(Error::on("roles", Reason::Required));
            }
            ApiTokenKind::Service if roles.contains(&Role::TenantAdmin) => {
                return Err(
                    Error::forbidden().saying("a service token cannot administer the tenant")
                );
            }
            _ => {}
        }
        refusals.finish()?;
        let secret = random_token();
        let token = format!("{TOKEN_PREFIX}{}_{secret}", tenant.uuid().simple());
        let now = ctx.now();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = api_token::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(ApiTokenId::new().uuid()),
            kind: Set(kind_code(req.kind).to_owned()),
            name: Set(name),
            scope: Set(scope_code(req.scope).to_owned()),
            owner_user_id: Set((req.kind == ApiTokenKind::Personal).then_some(user.uuid())),
            roles: Set(roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(",")),
            token_hash: Set(digest(&token)),
            created_by: Set(user.uuid()),
            created_at: Set(now),
            expires_at: Set(now + Duration::days(i64::from(req.valid_days))),
            last_used_at: Set(None),
            revoked_at: Set(None),
            revoked_by: Set(None),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(IssuedApiToken {
            token,
            api_token: to_api_token(model)?,
        })
    }

    pub(super) async fn list_api_tokens(
        &self,
        ctx: &Context,
        req: Page,
    ) -> Result<Paged<ApiToken>> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<api_token::Entity>()?;
        if !ctx.has_role(Role::TenantAdmin) {
            select = select.filter(api_token::Column::OwnerUserId.eq(user.uuid()));
        }
        let rows = tx.page(select, api_token::Column::Id, &req).await?;
        tx.finish().await?;
        rows.try_map(to_api_token)
    }

    pub(super) async fn revoke_api_token(
        &self,
        ctx: &Context,
        req: ApiTokenId,
    ) -> Result<ApiToken> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = self.visible_token(&tx, ctx, req).await?;
        let model = if found.revoked_at.is_some() {
            found
        } else {
            let mut active: api_token::ActiveModel = found.into();
            active.revoked_at = Set(Some(ctx.now()));
            active.revoked_by = Set(Some(user.uuid()));
            active.update(tx.conn()).await?
        };
        tx.commit().await?;
        to_api_token(model)
    }

    pub(super) async fn api_token_uses(
        &self,
        ctx: &Context,
        req: ListApiTokenUses,
    ) -> Result<Paged<ApiTokenUse>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        self.visible_token(&tx, ctx, req.token_id).await?;
        let select = tx
            .scoped::<api_token_use::Entity>()?
            .filter(api_token_use::Column::TokenId.eq(req.token_id.uuid()));
        let rows = tx
            .page_newest_first(select, api_token_use::Column::Id, &req.page)
            .await?;
        tx.finish().await?;
        rows.try_map(|u| {
            Ok(ApiTokenUse {
                id: u.id,
                at: u.at,
                operation: u.operation,
                kind: u.kind,
                client: u.client,
            })
        })
    }

    pub(super) async fn resolve_api_token(
        &self,
        ctx: &Context,
        req: ResolveApiToken,
    ) -> Result<ResolvedApiToken> {
        ctx.require_internal()?;
        let tx = self.db.begin(Scope::Tenant(req.tenant_id)).await?;
        let found = tx
            .scoped::<api_token::Entity>()?
            .filter(api_token::Column::TokenHash.eq(req.token_hash.as_str()))
            .one(tx.conn())
            .await?
            .ok_or_else(Error::unauthenticated)?;
        if found.revoked_at.is_some() || found.expires_at <= ctx.now() {
            return Err(Error::unauthenticated());
        }
        let time_zone = {
            let t = tx
                .global::<tenant::Entity>()
                .filter(tenant::Column::Id.eq(req.tenant_id.uuid()))
                .one(tx.conn())
                .await?
                .ok_or_else(Error::unauthenticated)?;
            to_tenant(t)?.time_zone
        };
        let actor = match found.owner_user_id {
            // A personal token: the owner's roles and territories now; none once they left.
            Some(owner) => {
                let m = tx
                    .scoped::<membership::Entity>()?
                    .filter(membership::Column::UserId.eq(owner))
                    .one(tx.conn())
                    .await?
                    .ok_or_else(Error::unauthenticated)?;
                Actor {
                    user_id: Some(UserId(owner)),
                    platform_admin: false,
                    roles: parse_roles(&m.roles)?,
                    territories: super::split_list(&m.territories),
                    service: None,
                }
            }
            None => Actor {
                user_id: Some(UserId(found.id)),
                platform_admin: false,
                roles: parse_roles(&found.roles)?,
                territories: Vec::new(),
                service: None,
            },
        };
        tx.finish().await?;
        Ok(ResolvedApiToken {
            token_id: ApiTokenId(found.id),
            scope: parse_scope(&found.scope)?,
            actor,
            time_zone,
        })
    }

    pub(super) async fn record_api_token_use(
        &self,
        ctx: &Context,
        req: RecordApiTokenUse,
    ) -> Result<()> {
        let tenant = ctx.require_internal()?;
        let now = ctx.now();
        let clip = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        api_token_use::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(Uuid::now_v7()),
            token_id: Set(req.token_id.uuid()),
            at: Set(now),
            operation: Set(clip(&req.operation, 100)),
            kind: Set(clip(&req.kind, 20)),
            client: Set(clip(&req.client, 64)),
        }
        .insert(tx.conn())
        .await?;
        tx.scoped_update::<api_token::Entity>()?
            .col_expr(api_token::Column::LastUsedAt, now.into())
            .filter(api_token::Column::Id.eq(req.token_id.uuid()))
            .exec(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A token the caller may see: their own, or any for a tenant administrator.
    async fn visible_token(
        &self,
        tx: &sportello_kernel::db::Tx,
        ctx: &Context,
        id: ApiTokenId,
    ) -> Result<api_token::Model> {
        let found = tx
            .find::<api_token::Entity>(api_token::Column::Id, id.uuid())
            .await?;
        let own = found.owner_user_id == Some(ctx.user()?.uuid());
        if own || ctx.has_role(Role::TenantAdmin) {
            Ok(found)
        } else {
            Err(Error::not_found())
        }
    }
}

fn kind_code(kind: ApiTokenKind) -> &'static str {
    match kind {
        ApiTokenKind::Personal => "PERSONAL",
        ApiTokenKind::Service => "SERVICE",
    }
}

fn scope_code(scope: ApiTokenScope) -> &'static str {
    match scope {
        ApiTokenScope::ReadOnly => "READ_ONLY",
        ApiTokenScope::Exports => "EXPORTS",
        ApiTokenScope::Full => "FULL",
    }
}

fn parse_scope(code: &str) -> Result<ApiTokenScope> {
    match code {
        "READ_ONLY" => Ok(ApiTokenScope::ReadOnly),
        "EXPORTS" => Ok(ApiTokenScope::Exports),
        "FULL" => Ok(ApiTokenScope::Full),
        _ => Err(Error::internal("unknown token scope stored")),
    }
}

fn to_api_token(m: api_token::Model) -> Result<ApiToken> {
    Ok(ApiToken {
        id: ApiTokenId(m.id),
        kind: if m.kind == "SERVICE" {
            ApiTokenKind::Service
        } else {
            ApiTokenKind::Personal
        },
        name: m.name,
        scope: parse_scope(&m.scope)?,
        owner_user_id: m.owner_user_id.map(UserId),
        roles: parse_roles(&m.roles)?,
        created_by: UserId(m.created_by),
        created_at: m.created_at,
        expires_at: m.expires_at,
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
    })
}
