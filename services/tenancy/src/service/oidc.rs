//! Sign-in with a tenant's OpenID provider: the configuration its administrator sets (the secret
//! sealed under a data key wrapped by the tenant's key, never read back), and the sign-in of an
//! identity the gateway verified (OpenID Connect Core 1.0 §3.1: the gateway runs the
//! authorization code flow with PKCE and checks the ID token; this service decides who it is).

use sportello_kernel::crypto::{self, Key, TenantKeys};

use super::*;
use crate::store::{oidc_provider, user_identity};

const AAD: &[u8] = b"sportello/tenancy/oidc-secret/v1\0";

fn aad(tenant: TenantId) -> Vec<u8> {
    let mut aad = AAD.to_vec();
    aad.extend_from_slice(tenant.uuid().as_bytes());
    aad
}

fn method_code(m: OidcAuthMethod) -> &'static str {
    match m {
        OidcAuthMethod::ClientSecretBasic => "CLIENT_SECRET_BASIC",
        OidcAuthMethod::ClientSecretPost => "CLIENT_SECRET_POST",
        OidcAuthMethod::PrivateKeyJwt => "PRIVATE_KEY_JWT",
    }
}

fn parse_method(code: &str) -> Result<OidcAuthMethod> {
    Ok(match code {
        "CLIENT_SECRET_BASIC" => OidcAuthMethod::ClientSecretBasic,
        "CLIENT_SECRET_POST" => OidcAuthMethod::ClientSecretPost,
        "PRIVATE_KEY_JWT" => OidcAuthMethod::PrivateKeyJwt,
        _ => return Err(Error::internal("unknown OIDC authentication method stored")),
    })
}

fn to_provider(m: &oidc_provider::Model) -> Result<OidcProvider> {
    Ok(OidcProvider {
        issuer: m.issuer.clone(),
        client_id: m.client_id.clone(),
        auth_method: parse_method(&m.auth_method)?,
        key_id: m.key_id.clone(),
        scopes: m
            .scopes
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        user_claim: m.user_claim.clone(),
        allowed_domains: split_list(&m.allowed_domains),
        updated_at: m.updated_at,
        version: m.version,
    })
}

/// An issuer: `https://host[/path]`, or `http://` on the loopback interface (tests, a provider
/// on the same machine); no query, fragment or credentials.
fn check_issuer(issuer: &str) -> Result<String> {
    let refuse = || Error::on("issuer", Reason::NotAnIssuer);
    let issuer = issuer.trim().trim_end_matches('/');
    let rest = if let Some(rest) = issuer.strip_prefix("https://") {
        rest
    } else if let Some(rest) = issuer.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        if host != "127.0.0.1" && host != "localhost" {
            return Err(refuse());
        }
        rest
    } else {
        return Err(refuse());
    };
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty()
        || rest.contains(['?', '#', '@'])
        || rest.chars().any(|c| c.is_whitespace() || c.is_control())
        || issuer.len() > 300
    {
        return Err(refuse());
    }
    Ok(issuer.to_owned())
}

fn check_token(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::on(field, Reason::Required));
    }
    if value.len() > max {
        return Err(Error::on(field, Reason::TooLong { max: max as u32 }));
    }
    if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::on(field, Reason::ControlCharacters));
    }
    Ok(value.to_owned())
}

fn check_domain(value: &str) -> Result<String> {
    let d = value.trim().trim_start_matches('@').to_lowercase();
    let ok = !d.is_empty()
        && d.len() <= 253
        && d.contains('.')
        && d.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if !ok {
        return Err(Error::on("allowedDomains", Reason::NotADomain));
    }
    Ok(d)
}

fn seal_secret(
    keys: &TenantKeys,
    id: Uuid,
    tenant: TenantId,
    secret: &str,
) -> Result<(Vec<u8>, Vec<u8>, u32)> {
    let key = Key::random();
    let (version, wrapped) = keys.wrap(id, &key)?;
    let sealed = crypto::seal(&key, &aad(tenant), secret.as_bytes())?;
    Ok((sealed, wrapped, version))
}

impl TenancyService {
    pub(super) async fn set_oidc_provider(
        &self,
        ctx: &Context,
        req: SetOidcProvider,
    ) -> Result<OidcProvider> {
        let tenant = ctx.tenant()?;
        let mut refusals = sportello_kernel::error::Refusals::default();
        let issuer = refusals.take(check_issuer(&req.issuer));
        let client_id = refusals.take(check_token("clientId", &req.client_id, 200));
        let secret = match req.auth_method {
            OidcAuthMethod::PrivateKeyJwt => {
                if req.key_id.as_deref().is_none_or(|k| k.trim().is_empty()) {
                    refusals.note(Error::on("keyId", Reason::Required));
                }
                match req.private_key_pem.as_deref().map(str::trim) {
                    Some(pem) if !pem.is_empty() => {
                        if !(pem.starts_with("-----BEGIN PRIVATE KEY-----")
                            || pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"))
                            || pem.len() > 8000
                        {
                            refusals.note(Error::on("privateKeyPem", Reason::NotAPrivateKey));
                            None
                        } else {
                            Some(pem.to_owned())
                        }
                    }
                    _ => None,
                }
            }
            _ => match req.client_secret.as_deref().map(str::trim) {
                Some(s) if !s.is_empty() => refusals.take(check_token("clientSecret", s, 500)),
                _ => None,
            },
        };
        let key_id = match req.key_id.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => refusals.take(check_token("keyId", k, 200)),
            _ => None,
        };
        let mut scopes: Vec<String> = Vec::new();
        for s in &req.scopes {
            if let Some(s) = refusals.take(check_token("scopes", s, 100))
                && s != "openid"
                && !scopes.contains(&s)
            {
                scopes.push(s);
            }
        }
        if scopes.is_empty() {
            scopes.push("email".into());
        }
        let user_claim = req
            .user_claim
            .as_deref()
            .unwrap_or("email")
            .trim()
            .to_owned();
        if user_claim != "email" {
            refusals.note(Error::on("userClaim", Reason::NotAClaim));
        }
        let mut domains = Vec::new();
        for d in &req.allowed_domains {
            if let Some(d) = refusals.take(check_domain(d))
                && !domains.contains(&d)
            {
                domains.push(d);
            }
        }
        let keys = self.keyring.tenant(tenant).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let existing = tx.scoped::<oidc_provider::Entity>()?.one(tx.conn()).await?;
        if existing.is_none() && secret.is_none() {
            let field = if req.auth_method == OidcAuthMethod::PrivateKeyJwt {
                "privateKeyPem"
            } else {
                "clientSecret"
            };
            refusals.note(Error::on(field, Reason::Required));
        }
        if let Some(existing) = &existing
            && secret.is_none()
            && existing.auth_method != method_code(req.auth_method)
            && (existing.auth_method == "PRIVATE_KEY_JWT"
                || req.auth_method == OidcAuthMethod::PrivateKeyJwt)
        {
            // A client secret is no private key: switching between them needs the new one.
            let field = if req.auth_method == OidcAuthMethod::PrivateKeyJwt {
                "privateKeyPem"
            } else {
                "clientSecret"
            };
            refusals.note(Error::on(field, Reason::Required));
        }
        refusals.finish()?;
        let (Some(issuer), Some(client_id)) = (issuer, client_id) else {
            return Err(Error::internal("checked fields missing"));
        };
        let now = ctx.now();
        let model = match existing {
            None => {
                let id = Uuid::now_v7();
                let (sealed, wrapped, version) =
                    seal_secret(&keys, id, tenant, secret.as_deref().unwrap_or_default())?;
                oidc_provider::ActiveModel {
                    tenant_id: Set(tenant.uuid()),
                    id: Set(id),
                    issuer: Set(issuer),
                    client_id: Set(client_id),
                    auth_method: Set(method_code(req.auth_method).to_owned()),
                    key_version: Set(version as i32),
                    wrapped_key: Set(wrapped),
                    sealed_secret: Set(sealed),
                    key_id: Set(key_id),
                    scopes: Set(scopes.join(" ")),
                    user_claim: Set(user_claim),
                    allowed_domains: Set(join_list(&domains)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                }
                .insert(tx.conn())
                .await?
            }
            Some(found) => {
                let id = found.id;
                let mut model = found.into_active_model();
                model.issuer = Set(issuer);
                model.client_id = Set(client_id);
                model.auth_method = Set(method_code(req.auth_method).to_owned());
                if let Some(secret) = &secret {
                    let (sealed, wrapped, version) = seal_secret(&keys, id, tenant, secret)?;
                    model.key_version = Set(version as i32);
                    model.wrapped_key = Set(wrapped);
                    model.sealed_secret = Set(sealed);
                }
                model.key_id = Set(key_id);
                model.scopes = Set(scopes.join(" "));
                model.user_claim = Set(user_claim);
                model.allowed_domains = Set(join_list(&domains));
                model.updated_at = Set(now);
                tx.update_versioned::<oidc_provider::Entity>(id, req.expected_version, model)
                    .await?
            }
        };
        let out = to_provider(&model)?;
        tx.commit().await?;
        tracing::info!(tenant = %tenant, "OpenID provider set");
        Ok(out)
    }

    pub(super) async fn oidc_provider(&self, ctx: &Context) -> Result<Option<OidcProvider>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx.scoped::<oidc_provider::Entity>()?.one(tx.conn()).await?;
        tx.finish().await?;
        found.as_ref().map(to_provider).transpose()
    }

    pub(super) async fn remove_oidc_provider(&self, ctx: &Context) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .scoped::<oidc_provider::Entity>()?
            .one(tx.conn())
            .await?
            .ok_or_else(Error::not_found)?;
        tx.delete::<oidc_provider::Entity>(oidc_provider::Column::Id, found.id)
            .await?;
        tx.commit().await
    }

    pub(super) async fn oidc_client(&self, ctx: &Context) -> Result<OidcClient> {
        let tenant = ctx.require_internal()?;
        let keys = self.keyring.tenant(tenant).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .scoped::<oidc_provider::Entity>()?
            .one(tx.conn())
            .await?
            .ok_or_else(Error::not_found)?;
        tx.finish().await?;
        let key = keys.unwrap(
            found.id,
            Ord::max(found.key_version, 0) as u32,
            &found.wrapped_key,
        )?;
        let secret = String::from_utf8(crypto::open(&key, &aad(tenant), &found.sealed_secret)?)
            .map_err(|_| Error::internal("a sealed OIDC secret is not text"))?;
        Ok(OidcClient {
            provider: to_provider(&found)?,
            secret,
        })
    }

    pub(super) async fn oidc_sign_in(&self, ctx: &Context, req: OidcSignIn) -> Result<SignedIn> {
        let tenant = ctx.require_internal()?;
        let not_invited = || Error::new(Reason::NotInvited);
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let provider = tx
            .scoped::<oidc_provider::Entity>()?
            .one(tx.conn())
            .await?
            .ok_or_else(not_invited)?;
        if provider.issuer != req.issuer {
            return Err(not_invited());
        }
        let linked = tx
            .global::<user_identity::Entity>()
            .filter(user_identity::Column::Issuer.eq(&req.issuer))
            .filter(user_identity::Column::Subject.eq(&req.subject))
            .one(tx.conn())
            .await?;
        let user = match linked {
            Some(identity) => tx
                .global::<user::Entity>()
                .filter(user::Column::Id.eq(identity.user_id))
                .one(tx.conn())
                .await?
                .ok_or_else(not_invited)?,
            None => {
                // A first sign-in: only a verified e-mail of an allowed domain is matched.
                let email = match req.email.as_deref().map(|e| Email::parse("email", e)) {
                    Some(Ok(email)) if req.email_verified => email,
                    _ => return Err(Error::new(Reason::IdentityNotAccepted)),
                };
                let domains = split_list(&provider.allowed_domains);
                let domain = email
                    .as_str()
                    .rsplit('@')
                    .next()
                    .unwrap_or_default()
                    .to_lowercase();
                if !domains.is_empty() && !domains.contains(&domain) {
                    return Err(Error::new(Reason::IdentityNotAccepted));
                }
                let user = match find_user_by_email(&tx, email.as_str()).await? {
                    Some(user) => user,
                    None => {
                        let pending = tx
                            .scoped::<invitation::Entity>()?
                            .filter(invitation::Column::Email.eq(email.as_str()))
                            .filter(invitation::Column::AcceptedAt.is_null())
                            .filter(invitation::Column::ExpiresAt.gt(Utc::now()))
                            .one(tx.conn())
                            .await?;
                        if pending.is_none() {
                            return Err(not_invited());
                        }
                        let name = email
                            .as_str()
                            .split('@')
                            .next()
                            .unwrap_or_default()
                            .to_owned();
                        insert_user(&tx, email.as_str().to_owned(), name, None, false).await?
                    }
                };
                user_identity::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    user_id: Set(user.id),
                    issuer: Set(req.issuer.clone()),
                    subject: Set(req.subject.clone()),
                    created_at: Set(Utc::now()),
                }
                .insert(tx.conn())
                .await?;
                user
            }
        };
        let member = tx
            .scoped::<membership::Entity>()?
            .filter(membership::Column::UserId.eq(user.id))
            .one(tx.conn())
            .await?
            .is_some();
        if !member {
            // The first sign-in of an invited e-mail accepts the invitation.
            let Some(found) = tx
                .scoped::<invitation::Entity>()?
                .filter(invitation::Column::Email.eq(&user.email))
                .filter(invitation::Column::AcceptedAt.is_null())
                .filter(invitation::Column::ExpiresAt.gt(Utc::now()))
                .order_by_desc(invitation::Column::Id)
                .one(tx.conn())
                .await?
            else {
                return Err(not_invited());
            };
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
            tracing::info!(tenant = %tenant, user = %user.id, "invitation accepted through the OpenID provider");
        }
        tx.commit().await?;
        Ok(SignedIn {
            user: to_user(user),
            tenant: Some(tenant),
        })
    }
}
