//! API tokens: issued, listed and revoked from a signed-in session (never with a token), sent
//! by integrations as `Authorization: Bearer`. A token is shown once, when issued.

use async_graphql::{Enum, SimpleObject};
use chrono::{DateTime, Utc};

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_tenancy::ApiTokenKind")]
/// `PERSONAL` acts as its owner with the owner's roles at each use; `SERVICE` (issued by a tenant
/// administrator) acts with the roles it was issued with, in its own name.
pub enum ApiTokenKind {
    Personal,
    Service,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_tenancy::ApiTokenScope")]
/// `READ_ONLY`: queries only. `EXPORTS`: the figures and their exports only (`indicators`,
/// `indicatorExport`, `tenantStatistics`, `sharedView`, `volunteerHours`). `FULL`: whatever the
/// token's roles allow.
pub enum ApiTokenScope {
    ReadOnly,
    Exports,
    Full,
}

/// An API token as listed: never the token itself.
pub struct ApiToken(pub tenancy::ApiToken);

#[Object]
impl ApiToken {
    async fn id(&self) -> ID {
        ids::encode(Kind::ApiToken, self.0.id.uuid())
    }
    async fn kind(&self) -> ApiTokenKind {
        self.0.kind.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn scope(&self) -> ApiTokenScope {
        self.0.scope.into()
    }
    async fn owner_user_id(&self) -> Option<ID> {
        self.0
            .owner_user_id
            .map(|u| ids::encode(Kind::User, u.uuid()))
    }
    /// A service token's roles; empty for a personal token.
    async fn roles(&self) -> Vec<Role> {
        self.0.roles.iter().map(|r| Role::from(*r)).collect()
    }
    async fn created_by_user_id(&self) -> ID {
        ids::encode(Kind::User, self.0.created_by.uuid())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    /// Every use, newest first: the operation, its kind and the client's address.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn uses(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, ApiTokenUse>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| {
            svc.tenancy.api_token_uses(
                &rc.ctx,
                tenancy::ListApiTokenUses {
                    token_id: self.0.id,
                    page,
                },
            )
        };
        paginate(
            first,
            after,
            fetch,
            |u| u.id,
            |u| ApiTokenUse {
                at: u.at,
                operation: u.operation,
                kind: u.kind,
                client: u.client,
            },
        )
        .await
    }
}

/// One use of an API token.
#[derive(SimpleObject)]
pub struct ApiTokenUse {
    pub at: DateTime<Utc>,
    /// The operation's name, or `-` for an anonymous one.
    pub operation: String,
    /// `QUERY` or `MUTATION`.
    pub kind: String,
    /// The client's address.
    pub client: String,
}

/// A new token: `token` is shown this once (only its SHA-256 is stored).
#[derive(SimpleObject)]
pub struct IssuedApiToken {
    pub token: String,
    pub api_token: ApiToken,
}

#[derive(InputObject)]
pub struct CreateApiTokenInput {
    pub kind: ApiTokenKind,
    pub name: String,
    pub scope: ApiTokenScope,
    /// 1 to 366.
    pub valid_days: u32,
    /// A service token's roles (not `TENANT_ADMIN`); none for a personal token.
    #[graphql(default)]
    pub roles: Vec<Role>,
}

/// Tokens are managed from a signed-in session only: a token cannot issue or revoke tokens.
fn session_only(rc: &RequestState) -> GqlResult<()> {
    if rc.token.is_some() {
        return Err::<(), _>(
            Error::forbidden().saying("API tokens are managed from a signed-in session"),
        )
        .gql();
    }
    Ok(())
}

#[derive(Default)]
pub struct TokensQuery;

#[Object]
impl TokensQuery {
    /// The caller's API tokens (a tenant administrator's: every token of the tenant), oldest
    /// first.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, ApiToken>> {
        let (svc, rc) = services(ctx)?;
        session_only(rc)?;
        let fetch = |page| svc.tenancy.list_api_tokens(&rc.ctx, page);
        paginate(first, after, fetch, |t| t.id.uuid(), ApiToken).await
    }
}

#[derive(Default)]
pub struct TokensMutation;

#[Object]
impl TokensMutation {
    /// Issues an API token in the active tenant; the answer is the only time the token is shown.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> GqlResult<IssuedApiToken> {
        let (svc, rc) = services(ctx)?;
        session_only(rc)?;
        let req = tenancy::CreateApiToken {
            kind: input.kind.into(),
            name: input.name,
            scope: input.scope.into(),
            valid_days: input.valid_days,
            roles: input.roles.into_iter().map(Into::into).collect(),
        };
        let issued = svc.tenancy.create_api_token(&rc.ctx, req).await.gql()?;
        Ok(IssuedApiToken {
            token: issued.token,
            api_token: ApiToken(issued.api_token),
        })
    }

    /// Revokes an API token at once (its owner, or a tenant administrator).
    async fn revoke_api_token(&self, ctx: &Context<'_>, id: ID) -> GqlResult<ApiToken> {
        let (svc, rc) = services(ctx)?;
        session_only(rc)?;
        let id = decode_input(Kind::ApiToken, &id, "id").gql()?;
        Ok(ApiToken(
            svc.tenancy.revoke_api_token(&rc.ctx, id).await.gql()?,
        ))
    }
}
