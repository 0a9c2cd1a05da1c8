//! Sign-in with a tenant's OpenID provider: the authorization code flow of OpenID Connect Core
//! 1.0 (§3.1) with PKCE S256 (RFC 7636), `state` and `nonce` of 256 random bits (43 characters),
//! an exact redirect URI, and the ID token checked for issuer, audience, expiry, nonce and
//! signature (the provider's JWKS, read again once when a key is unknown: key rotation). The
//! client authenticates at the token endpoint with its secret (`client_secret_basic`,
//! `client_secret_post`) or with a JWT signed by the tenant's private key (`private_key_jwt`,
//! RFC 7523, as the SPID/CIE OpenID profile asks).
//!
//! - `GET /auth/oidc/{tenant}/start?returnTo=/path` (tenant: its global id) redirects to the
//!   provider; the flow's secrets wait in the cache under the digest of `state` (10 minutes), and
//!   `state` is also kept in an HttpOnly cookie so that a callback from another browser fails.
//! - `GET /auth/oidc/callback?code&state` finishes it: the identity goes to the tenancy service
//!   (`oidc_sign_in`), and the session opens with `Sessions::open` (method `oidc`), bound to the
//!   tenant whose provider vouched for it. Any failure redirects to the sign-in page with
//!   `?oidcError=<REASON>` (a reason of docs/api.md), never with the provider's text.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use openidconnect::ProviderMetadataWithLogout as Metadata;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use sportello_kernel::secret::{constant_time_eq, digest};
use sportello_kernel::{Context, Error, Reason, TenantId};
use sportello_tenancy::{self as tenancy, OidcAuthMethod};

use crate::Gateway;
use crate::schema::ids::{Kind, decode};

/// The cookie that binds a flow to the browser that started it.
const FLOW_COOKIE: &str = "sportello_oidc";
/// How long a started flow can be finished.
const FLOW_TTL: Duration = Duration::from_secs(600);
/// How long a provider's discovery document (and keys) is kept.
const METADATA_TTL: Duration = Duration::from_secs(600);

/// What waits between the start and the callback of a flow.
#[derive(Serialize, Deserialize)]
struct Pending {
    tenant: uuid::Uuid,
    issuer: String,
    nonce: String,
    verifier: String,
    redirect_uri: String,
    return_to: String,
}

/// Providers' metadata and the HTTP client that reads them (no redirects followed).
pub struct Providers {
    http: openidconnect::reqwest::Client,
    metadata: Mutex<HashMap<String, (Instant, Metadata)>>,
}

impl Default for Providers {
    fn default() -> Self {
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        Self {
            http,
            metadata: Mutex::default(),
        }
    }
}

impl Providers {
    /// The issuer's discovery document with its keys; `fresh` reads it again.
    async fn metadata(&self, issuer: &str, fresh: bool) -> Result<Metadata, Error> {
        if !fresh
            && let Some((at, m)) = self
                .metadata
                .lock()
                .ok()
                .and_then(|m| m.get(issuer).cloned())
            && at.elapsed() < METADATA_TTL
        {
            return Ok(m);
        }
        let url = IssuerUrl::new(issuer.to_owned()).map_err(|_| Error::new(Reason::NotAnIssuer))?;
        let m = Metadata::discover_async(url, &self.http)
            .await
            .map_err(|_| {
                Error::unavailable("the identity provider's discovery document could not be read")
            })?;
        if let Ok(mut cache) = self.metadata.lock() {
            cache.insert(issuer.to_owned(), (Instant::now(), m.clone()));
        }
        Ok(m)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartQuery {
    return_to: Option<String>,
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Only a path of this site: `/…`, never `//host` or a scheme.
fn safe_return(path: Option<&str>) -> String {
    match path {
        Some(p)
            if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') && p.len() < 500 =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn redirect(to: &str, cookies: &[String]) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn failed(reason: &Reason, cookies: &[String]) -> Response {
    redirect(&format!("/accesso?oidcError={}", reason.as_str()), cookies)
}

fn flow_cookie(value: &str, max_age: i64, secure: bool) -> String {
    cookie::Cookie::build((FLOW_COOKIE, value.to_owned()))
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(secure)
        .path("/auth/oidc")
        .max_age(cookie::time::Duration::seconds(max_age))
        .build()
        .to_string()
}

fn internal(tenant: TenantId) -> Context {
    Context::internal("gateway", tenant, format!("oidc-{}", uuid::Uuid::now_v7()))
}

/// The redirect URI: under `public_url` when set, else under the host the browser used.
fn redirect_uri(gw: &Gateway, headers: &HeaderMap) -> String {
    let base = gw.services.public_url.clone().unwrap_or_else(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    });
    format!("{base}/auth/oidc/callback")
}

/// The provider's end-session URL for this client (OpenID Connect RP-Initiated Logout 1.0 §2),
/// when its discovery document offers one: the browser goes there on sign-out, and the provider
/// sends it back to the sign-in page (`<base>/accesso`, to be registered at the provider as the
/// client's post-logout redirect URI). No ID token hint is sent: the session keeps no ID token.
fn provider_logout(
    gw: &Gateway,
    headers: &HeaderMap,
    metadata: &Metadata,
    client_id: &str,
) -> Option<String> {
    let endpoint = metadata
        .additional_metadata()
        .end_session_endpoint
        .as_ref()?;
    let mut url = endpoint.url().clone();
    let base = redirect_uri(gw, headers).replace("/auth/oidc/callback", "/accesso");
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("post_logout_redirect_uri", &base);
    Some(url.to_string())
}

/// The client for the tenant's provider, authenticating as its method says.
fn client_for(
    metadata: Metadata,
    oidc: &tenancy::OidcClient,
    redirect_uri: &str,
) -> Result<Client, Error> {
    let secret = match oidc.provider.auth_method {
        OidcAuthMethod::PrivateKeyJwt => None,
        _ => Some(ClientSecret::new(oidc.secret.clone())),
    };
    let auth = match oidc.provider.auth_method {
        OidcAuthMethod::ClientSecretBasic => AuthType::BasicAuth,
        _ => AuthType::RequestBody,
    };
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(oidc.provider.client_id.clone()),
        secret,
    )
    .set_auth_type(auth)
    .set_redirect_uri(
        RedirectUrl::new(redirect_uri.to_owned())
            .map_err(|_| Error::internal("a redirect URI is not a URL"))?,
    ))
}

/// The `private_key_jwt` assertion (RFC 7523 §2.2): issued by and about the client, for the
/// token endpoint, valid one minute, signed RS256 with the tenant's key.
fn client_assertion(oidc: &tenancy::OidcClient, token_endpoint: &str) -> Result<String, Error> {
    #[derive(Serialize)]
    struct Claims<'a> {
        iss: &'a str,
        sub: &'a str,
        aud: &'a str,
        jti: String,
        iat: i64,
        exp: i64,
    }
    let now = chrono::Utc::now().timestamp();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = oidc.provider.key_id.clone();
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(oidc.secret.as_bytes())
        .map_err(|_| Error::new(Reason::NotAPrivateKey))?;
    let claims = Claims {
        iss: &oidc.provider.client_id,
        sub: &oidc.provider.client_id,
        aud: token_endpoint,
        jti: sportello_kernel::secret::random_token(),
        iat: now,
        exp: now + 60,
    };
    jsonwebtoken::encode(&header, &claims, &key).map_err(|_| Error::new(Reason::NotAPrivateKey))
}

/// `GET /auth/oidc/{tenant}/start`.
pub async fn start(
    State(gw): State<Gateway>,
    Path(tenant): Path<String>,
    Query(query): Query<StartQuery>,
    headers: HeaderMap,
) -> Response {
    let secure = gw.services.sessions.cookie_secure();
    let Ok(tenant) = decode::<TenantId>(Kind::Tenant, &async_graphql::ID(tenant)) else {
        return failed(&Reason::NotFound, &[]);
    };
    let ctx = internal(tenant);
    let oidc = match gw.services.clients.tenancy.oidc_client(&ctx, ()).await {
        Ok(c) => c,
        Err(err) => return failed(&err.reason, &[]),
    };
    let metadata = match gw.oidc.metadata(&oidc.provider.issuer, false).await {
        Ok(m) => m,
        Err(err) => return failed(&err.reason, &[]),
    };
    let redirect_uri = redirect_uri(&gw, &headers);
    let client = match client_for(metadata, &oidc, &redirect_uri) {
        Ok(c) => c,
        Err(err) => return failed(&err.reason, &[]),
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for scope in &oidc.provider.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, state, nonce) = request.url();
    let pending = Pending {
        tenant: tenant.uuid(),
        issuer: oidc.provider.issuer.clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        redirect_uri,
        return_to: safe_return(query.return_to.as_deref()),
    };
    let stored = serde_json::to_string(&pending).map_err(Error::internal);
    let saved = match stored {
        Ok(json) => {
            gw.services
                .sessions
                .put_flow(&digest(state.secret()), &json, FLOW_TTL)
                .await
        }
        Err(err) => Err(err),
    };
    if let Err(err) = saved {
        return failed(&err.reason, &[]);
    }
    redirect(
        url.as_str(),
        &[flow_cookie(
            state.secret(),
            FLOW_TTL.as_secs() as i64,
            secure,
        )],
    )
}

/// `GET /auth/oidc/callback`.
pub async fn callback(
    State(gw): State<Gateway>,
    Query(query): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
    let secure = gw.services.sessions.cookie_secure();
    let clear = [flow_cookie("", 0, secure)];
    let refused = |reason: Reason| failed(&reason, &clear);
    let (Some(state), Some(code), None) = (&query.state, &query.code, &query.error) else {
        return refused(Reason::IdentityNotAccepted);
    };
    let cookie_state = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|h| crate::session::read_cookie(h, FLOW_COOKIE));
    if !cookie_state.is_some_and(|c| constant_time_eq(&c, state)) {
        return refused(Reason::IdentityNotAccepted);
    }
    let pending = match gw.services.sessions.take_flow(&digest(state)).await {
        Ok(Some(json)) => match serde_json::from_str::<Pending>(&json) {
            Ok(p) => p,
            Err(_) => return refused(Reason::IdentityNotAccepted),
        },
        Ok(None) => return refused(Reason::IdentityNotAccepted),
        Err(err) => return refused(*err.reason),
    };
    let tenant = TenantId(pending.tenant);
    let ctx = internal(tenant);
    let oidc = match gw.services.clients.tenancy.oidc_client(&ctx, ()).await {
        Ok(c) if c.provider.issuer == pending.issuer => c,
        Ok(_) => return refused(Reason::IdentityNotAccepted),
        Err(err) => return refused(*err.reason),
    };
    let identity = match verified_identity(&gw, &oidc, &pending, code).await {
        Ok(identity) => identity,
        Err(err) => {
            tracing::info!(reason = err.reason.as_str(), "OpenID sign-in refused");
            return refused(*err.reason);
        }
    };
    let signed_in = match gw
        .services
        .clients
        .tenancy
        .oidc_sign_in(&ctx, identity)
        .await
    {
        Ok(s) => s,
        Err(err) => {
            tracing::info!(reason = err.reason.as_str(), "OpenID sign-in refused");
            return refused(*err.reason);
        }
    };
    let sessions = &gw.services.sessions;
    let user = signed_in.user;
    let provider_logout = match gw.oidc.metadata(&oidc.provider.issuer, false).await {
        Ok(m) => provider_logout(&gw, &headers, &m, &oidc.provider.client_id),
        Err(_) => None,
    };
    let device = crate::session::device_of(
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    let opened = sessions
        .open(
            user.id,
            user.platform_admin,
            signed_in.tenant,
            "oidc",
            device,
            provider_logout,
        )
        .await;
    let (token, session) = match opened {
        Ok(s) => s,
        Err(err) => return refused(*err.reason),
    };
    tracing::info!(user = %user.id, "signed in through the tenant's OpenID provider");
    let mut cookies: Vec<String> = sessions.cookies(&token, &session).into_iter().collect();
    cookies.extend(clear);
    redirect(&pending.return_to, &cookies)
}

type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// The claims of an ID token once its signature (the provider's keys), issuer, audience (this
/// client), expiry and nonce are checked (OpenID Connect Core 1.0 §3.1.3.7).
fn checked_claims(
    client: &Client,
    id_token: &openidconnect::core::CoreIdToken,
    nonce: &Nonce,
) -> Result<openidconnect::core::CoreIdTokenClaims, Error> {
    id_token
        .claims(&client.id_token_verifier(), nonce)
        .cloned()
        .map_err(|_| Error::new(Reason::IdentityNotAccepted))
}

/// Exchanges the code and checks the ID token; on a signature the keys cannot check, reads the
/// provider's keys again once (a rotation) before refusing.
async fn verified_identity(
    gw: &Gateway,
    oidc: &tenancy::OidcClient,
    pending: &Pending,
    code: &str,
) -> Result<tenancy::OidcSignIn, Error> {
    let not_accepted = || Error::new(Reason::IdentityNotAccepted);
    let metadata = gw.oidc.metadata(&oidc.provider.issuer, false).await?;
    let token_endpoint = metadata
        .token_endpoint()
        .map(|u| u.as_str().to_owned())
        .ok_or_else(not_accepted)?;
    let client = client_for(metadata, oidc, &pending.redirect_uri)?;
    let mut exchange = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|_| not_accepted())?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()));
    if oidc.provider.auth_method == OidcAuthMethod::PrivateKeyJwt {
        exchange = exchange
            .add_extra_param(
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            )
            .add_extra_param("client_assertion", client_assertion(oidc, &token_endpoint)?);
    }
    let response = exchange
        .request_async(&gw.oidc.http)
        .await
        .map_err(|_| not_accepted())?;
    let id_token = response.id_token().ok_or_else(not_accepted)?;
    let nonce = Nonce::new(pending.nonce.clone());
    let claims = match checked_claims(&client, id_token, &nonce) {
        Ok(claims) => claims,
        Err(_) => {
            // Perhaps a key the provider rotated in since its keys were read.
            let fresh = gw.oidc.metadata(&oidc.provider.issuer, true).await?;
            let client = client_for(fresh, oidc, &pending.redirect_uri)?;
            checked_claims(&client, id_token, &nonce)?
        }
    };
    let mut email = claims.email().map(|e| e.as_str().to_owned());
    let mut email_verified = claims.email_verified().unwrap_or(false);
    if email.is_none() {
        // Claims asked for by scope come from the UserInfo endpoint when an access token was
        // issued (OpenID Connect Core 1.0 §5.4); its subject must be the ID token's (§5.3.2).
        let info: openidconnect::core::CoreUserInfoClaims = client
            .user_info(
                response.access_token().clone(),
                Some(claims.subject().clone()),
            )
            .map_err(|_| not_accepted())?
            .request_async(&gw.oidc.http)
            .await
            .map_err(|_| not_accepted())?;
        email = info.email().map(|e| e.as_str().to_owned());
        email_verified = info.email_verified().unwrap_or(false);
    }
    Ok(tenancy::OidcSignIn {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email,
        email_verified,
    })
}

#[cfg(test)]
mod tests {
    use openidconnect::core::{
        CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
        CoreResponseType, CoreRsaPrivateSigningKey, CoreSubjectIdentifierType,
    };
    use openidconnect::{
        Audience, AuthUrl, EmptyAdditionalClaims, EmptyAdditionalProviderMetadata, JsonWebKeyId,
        JsonWebKeySetUrl, PrivateSigningKey, ResponseTypes, StandardClaims, SubjectIdentifier,
        TokenUrl,
    };

    use super::*;

    // Test-only keys (generated for these tests, used nowhere else).
    const KEY: &str = include_str!("../tests/data/oidc-test-key-1.pem");
    const OTHER_KEY: &str = include_str!("../tests/data/oidc-test-key-2.pem");
    const ISSUER: &str = "https://login.comune.example.it";

    fn signing(pem: &str, kid: &str) -> CoreRsaPrivateSigningKey {
        CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(kid.into()))).expect("key")
    }

    fn client() -> Client {
        let metadata = Metadata::new(
            IssuerUrl::new(ISSUER.into()).expect("issuer"),
            AuthUrl::new(format!("{ISSUER}/auth")).expect("url"),
            JsonWebKeySetUrl::new(format!("{ISSUER}/jwks")).expect("url"),
            vec![ResponseTypes::new(vec![CoreResponseType::Code])],
            vec![CoreSubjectIdentifierType::Public],
            vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
            openidconnect::LogoutProviderMetadata {
                end_session_endpoint: None,
                additional_metadata: EmptyAdditionalProviderMetadata {},
            },
        )
        .set_token_endpoint(Some(TokenUrl::new(format!("{ISSUER}/token")).expect("url")))
        .set_jwks(CoreJsonWebKeySet::new(vec![
            signing(KEY, "k1").as_verification_key(),
        ]));
        let oidc = tenancy::OidcClient {
            provider: tenancy::OidcProvider {
                issuer: ISSUER.into(),
                client_id: "sportello".into(),
                auth_method: OidcAuthMethod::ClientSecretBasic,
                key_id: None,
                scopes: vec!["email".into()],
                user_claim: "email".into(),
                allowed_domains: vec![],
                updated_at: chrono::Utc::now(),
                version: 1,
            },
            secret: "client-secret".into(),
        };
        client_for(
            metadata,
            &oidc,
            "https://sportello.example.it/auth/oidc/callback",
        )
        .expect("client")
    }

    struct Token {
        issuer: &'static str,
        audience: &'static str,
        expires_in: i64,
        nonce: &'static str,
        key: &'static str,
    }

    const GOOD: Token = Token {
        issuer: ISSUER,
        audience: "sportello",
        expires_in: 300,
        nonce: "the-nonce-of-this-flow-0123456789abcdef",
        key: KEY,
    };

    fn token(t: Token) -> CoreIdToken {
        let now = chrono::Utc::now();
        let claims = CoreIdTokenClaims::new(
            IssuerUrl::new(t.issuer.into()).expect("issuer"),
            vec![Audience::new(t.audience.into())],
            now + chrono::Duration::seconds(t.expires_in),
            now - chrono::Duration::seconds(600),
            StandardClaims::new(SubjectIdentifier::new("user-1".into())),
            EmptyAdditionalClaims {},
        )
        .set_nonce(Some(Nonce::new(t.nonce.into())));
        CoreIdToken::new(
            claims,
            &signing(t.key, "k1"),
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            None,
            None,
        )
        .expect("signed")
    }

    fn check(t: Token) -> Result<openidconnect::core::CoreIdTokenClaims, Error> {
        checked_claims(&client(), &token(t), &Nonce::new(GOOD.nonce.into()))
    }

    #[test]
    fn a_token_of_the_provider_for_this_client_and_flow_is_accepted() {
        let claims = check(GOOD).expect("accepted");
        assert_eq!(claims.subject().as_str(), "user-1");
    }

    #[test]
    fn a_wrong_nonce_audience_issuer_expiry_or_key_is_refused() {
        for (what, t) in [
            (
                "nonce",
                Token {
                    nonce: "the-nonce-of-another-flow-0123456789ab",
                    ..GOOD
                },
            ),
            (
                "audience",
                Token {
                    audience: "another-client",
                    ..GOOD
                },
            ),
            (
                "issuer",
                Token {
                    issuer: "https://login.other.example.it",
                    ..GOOD
                },
            ),
            (
                "expiry",
                Token {
                    expires_in: -300,
                    ..GOOD
                },
            ),
            (
                "key",
                Token {
                    key: OTHER_KEY,
                    ..GOOD
                },
            ),
        ] {
            let err = check(t).expect_err(what);
            assert_eq!(*err.reason, Reason::IdentityNotAccepted, "{what}");
        }
    }

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        assert_eq!(safe_return(Some("/casi/1")), "/casi/1");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "casi"] {
            assert_eq!(safe_return(Some(bad)), "/", "{bad}");
        }
    }
}
