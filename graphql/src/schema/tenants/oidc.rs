//! The tenant's OpenID provider as its administrator configures it (the flow itself is HTTP:
//! `crate::oidc`).

use async_graphql::Enum;
use chrono::{DateTime, Utc};

use super::*;
use crate::schema::ids::encode;

/// How Sportello authenticates to the provider's token endpoint (OpenID Connect Core 1.0 §9).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_tenancy::OidcAuthMethod")]
pub enum OidcAuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    /// A JWT signed with the tenant's RSA private key (RS256), as SPID/CIE ask.
    PrivateKeyJwt,
}

/// The tenant's OpenID provider: its secret is never shown.
pub struct OidcProvider(pub tenancy::OidcProvider);

#[Object]
impl OidcProvider {
    async fn issuer(&self) -> &str {
        &self.0.issuer
    }
    async fn client_id(&self) -> &str {
        &self.0.client_id
    }
    async fn auth_method(&self) -> OidcAuthMethod {
        self.0.auth_method.into()
    }
    /// The `kid` of the private key (`PRIVATE_KEY_JWT`).
    async fn key_id(&self) -> Option<&str> {
        self.0.key_id.as_deref()
    }
    /// Scopes asked for besides `openid`.
    async fn scopes(&self) -> &[String] {
        &self.0.scopes
    }
    /// The claim users are matched by (`email`).
    async fn user_claim(&self) -> &str {
        &self.0.user_claim
    }
    /// E-mail domains allowed to sign in; empty for any.
    async fn allowed_domains(&self) -> &[String] {
        &self.0.allowed_domains
    }
    /// The path that starts the sign-in (`/auth/oidc/<tenant id>/start`), for a link on the
    /// sign-in page; the provider must know `<console address>/auth/oidc/callback` as the
    /// redirect URI.
    async fn sign_in_path(&self, ctx: &Context<'_>) -> GqlResult<String> {
        let (_, rc) = services(ctx)?;
        let tenant = rc.ctx.tenant().gql()?;
        Ok(format!(
            "/auth/oidc/{}/start",
            encode(Kind::Tenant, tenant.uuid()).as_str()
        ))
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Raised by one on every change; send it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

#[derive(InputObject)]
pub struct SetOidcProviderInput {
    /// `https://login.comune.example.it`: its discovery document is read at
    /// `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    pub auth_method: OidcAuthMethod,
    /// Required the first time for a client secret method; kept when absent afterwards.
    pub client_secret: Option<String>,
    /// An RSA private key in PEM, for `PRIVATE_KEY_JWT`; kept when absent afterwards.
    pub private_key_pem: Option<String>,
    pub key_id: Option<String>,
    /// Besides `openid`; `email` when empty.
    #[graphql(default)]
    pub scopes: Vec<String>,
    /// `email` (the default) is the only claim users are matched by.
    pub user_claim: Option<String>,
    #[graphql(default)]
    pub allowed_domains: Vec<String>,
    /// The `version` the change is based on; none the first time. A stale one is `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(Default)]
pub struct OidcQuery;

#[Object]
impl OidcQuery {
    /// The active tenant's OpenID provider, if any. Tenant administrators only.
    async fn oidc_provider(&self, ctx: &Context<'_>) -> GqlResult<Option<OidcProvider>> {
        let (svc, rc) = services(ctx)?;
        Ok(svc
            .tenancy
            .oidc_provider(&rc.ctx, ())
            .await
            .gql()?
            .map(OidcProvider))
    }
}

#[derive(Default)]
pub struct OidcMutation;

#[Object]
impl OidcMutation {
    /// Sets the active tenant's OpenID provider. Every field at fault is named
    /// (`INVALID_INPUT`: `issuer` NOT_AN_ISSUER, `privateKeyPem` NOT_A_PRIVATE_KEY,
    /// `allowedDomains` NOT_A_DOMAIN, `userClaim` NOT_A_CLAIM, `clientSecret` REQUIRED…).
    /// Tenant administrators only.
    async fn set_oidc_provider(
        &self,
        ctx: &Context<'_>,
        input: SetOidcProviderInput,
    ) -> GqlResult<OidcProvider> {
        let (svc, rc) = services(ctx)?;
        let req = tenancy::SetOidcProvider {
            issuer: input.issuer,
            client_id: input.client_id,
            auth_method: input.auth_method.into(),
            client_secret: input.client_secret,
            private_key_pem: input.private_key_pem,
            key_id: input.key_id,
            scopes: input.scopes,
            user_claim: input.user_claim,
            allowed_domains: input.allowed_domains,
            expected_version: input.expected_version,
        };
        svc.tenancy
            .set_oidc_provider(&rc.ctx, req)
            .await
            .gql()
            .map(OidcProvider)
    }

    /// Removes the active tenant's OpenID provider: sign-in through it stops at once (sessions
    /// already open stay until they end). Tenant administrators only.
    async fn remove_oidc_provider(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy.remove_oidc_provider(&rc.ctx, ()).await.gql()?;
        Ok(true)
    }
}
