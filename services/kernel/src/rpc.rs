//! One interface, two transports. A service declares its interface once with
//! [`service_interface!`]; that yields the trait the service implements, a cheap client that
//! callers hold, the HTTP/JSON adapter the client uses in distributed mode, and the axum router
//! that serves the interface. Adding an operation is one line in the declaration.
//!
//! Over the wire the caller's [`Context`] travels in a signed, short-lived internal token (HS256,
//! one minute, audience = the service), together with the W3C trace context.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;

use crate::{Access, Context, Error, Result};

/// How long an internal token is valid.
const TOKEN_TTL_SECS: i64 = 60;

/// The shared secret that signs internal tokens between the gateway and services.
#[derive(Clone)]
pub struct InternalKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl InternalKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Claims {
    aud: String,
    iat: i64,
    exp: i64,
    ctx: Context,
}

impl InternalKeys {
    /// Signs a context for one call to `service`.
    pub fn sign(&self, service: &str, ctx: &Context) -> Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            aud: service.to_owned(),
            iat: now,
            exp: now + TOKEN_TTL_SECS,
            ctx: ctx.clone(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(Error::internal)
    }

    /// Verifies a token meant for `service` and returns the caller's context.
    pub fn verify(&self, service: &str, token: &str) -> Result<Context> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[service]);
        validation.leeway = 5;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims.ctx)
            .map_err(|_| Error::unauthenticated())
    }
}

/// The HTTP/JSON side of a service client.
#[derive(Clone)]
pub struct HttpTransport {
    base_url: String,
    service: &'static str,
    keys: InternalKeys,
    client: reqwest::Client,
}

impl HttpTransport {
    pub fn new(base_url: &str, service: &'static str, keys: InternalKeys) -> Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(Error::internal)?;
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            service,
            keys,
            client,
        })
    }

    /// Calls one operation of the remote service.
    pub async fn call<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        op: &str,
        ctx: &Context,
        req: &Req,
    ) -> Result<Resp> {
        let mut ctx = ctx.clone();
        ctx.traceparent = current_traceparent();
        let token = self.keys.sign(self.service, &ctx)?;
        let url = format!("{}/rpc/{}/{}", self.base_url, self.service, op);
        let response = self
            .client
            .post(url)
            .bearer_auth(token)
            .header("x-request-id", &ctx.request_id)
            .json(req)
            .send()
            .await
            .map_err(|err| {
                tracing::warn!(service = self.service, op, error = %err, "service unreachable");
                Error::unavailable("service unavailable")
            })?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|_| Error::unavailable("service unavailable"))?;
        if status.is_success() {
            serde_json::from_slice(&body).map_err(Error::internal)
        } else {
            Err(serde_json::from_slice::<Error>(&body).unwrap_or_else(|_| {
                Error::unavailable("service answered with an unexpected error")
            }))
        }
    }
}

/// Serves one operation: verifies the internal token, applies the operation's [`Access`],
/// decodes the request, runs it, encodes the result. Used by the routers that
/// [`service_interface!`] generates.
pub async fn handle<Req, Resp, F, Fut>(
    keys: &InternalKeys,
    service: &'static str,
    op: &'static str,
    access: Access,
    headers: &HeaderMap,
    body: &Bytes,
    f: F,
) -> Response
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(Context, Req) -> Fut,
    Fut: Future<Output = Result<Resp>>,
{
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let ctx = match token.map(|t| keys.verify(service, t)) {
        Some(Ok(ctx)) => ctx,
        _ => return error_response(&Error::unauthenticated()),
    };
    // Inside the service, whoever the caller: the same rule the client applied before sending.
    if let Err(err) = access.check(&ctx) {
        return error_response(&err);
    }
    let req: Req = match serde_json::from_slice(body) {
        Ok(req) => req,
        Err(_) => return error_response(&Error::new(crate::Reason::BadRequest)),
    };
    let span = tracing::info_span!(
        "service_request",
        service,
        op,
        tenant = ctx.tenant.map(|t| t.to_string()).unwrap_or_default(),
        request_id = %ctx.request_id,
    );
    if let Some(parent) = ctx.traceparent.as_deref() {
        let _ = span.set_parent(extract_traceparent(parent));
    }
    match f(ctx, req).instrument(span).await {
        Ok(resp) => (StatusCode::OK, axum::Json(resp)).into_response(),
        Err(err) => error_response(&err),
    }
}

fn error_response(err: &Error) -> Response {
    let status =
        StatusCode::from_u16(err.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(err)).into_response()
}

/// The W3C `traceparent` of the current span, if tracing with OpenTelemetry is on.
pub fn current_traceparent() -> Option<String> {
    let cx = tracing::Span::current().context();
    let mut carrier: HashMap<String, String> = HashMap::new();
    opentelemetry::global::get_text_map_propagator(|p| p.inject_context(&cx, &mut carrier));
    carrier.remove("traceparent")
}

fn extract_traceparent(traceparent: &str) -> opentelemetry::Context {
    let carrier: HashMap<String, String> =
        HashMap::from([("traceparent".to_owned(), traceparent.to_owned())]);
    opentelemetry::global::get_text_map_propagator(|p| p.extract(&carrier))
}

/// What the composition root needs to host a service in this process or reach it elsewhere,
/// without knowing which service it is. [`service_interface!`] implements it for every client.
pub trait ServiceClient: Clone + Send + Sync + 'static {
    /// The trait the service implements, as a trait object.
    type Service: ?Sized + Send + Sync + 'static;
    /// The service's name: its role, its settings key, the audience of its internal tokens.
    const NAME: &'static str;
    /// Every operation and who may call it.
    const OPERATIONS: &'static [(&'static str, Access)];
    /// A client calling the implementation in this process.
    fn local(service: std::sync::Arc<Self::Service>) -> Self;
    /// A client calling the service over HTTP/JSON.
    fn remote(transport: HttpTransport) -> Self;
    /// The router serving the implementation at `POST /rpc/<service>/<op>`.
    fn router(service: std::sync::Arc<Self::Service>, keys: InternalKeys) -> axum::Router;
    /// Calls the service's `ready` operation.
    fn check_ready(
        &self,
        ctx: Context,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<()>> + Send + '_>>;
}

/// The access rule of one operation, as written in [`service_interface!`]: `[public]`,
/// `[signed_in]`, `[platform_admin]`, `[member]`, `[roles: TenantAdmin, Coordinator]`,
/// `[platform_admin_or: …roles]`, `[platform_admin_or member]`, or `[access: CONST]` naming an [`Access`] constant.
#[doc(hidden)]
#[macro_export]
macro_rules! __access {
    (public) => {
        $crate::Access::Public
    };
    (signed_in) => {
        $crate::Access::SignedIn
    };
    (platform_admin) => {
        $crate::Access::PlatformAdmin
    };
    (member) => {
        $crate::Access::MEMBER
    };
    (roles: $($role:ident),+) => {
        $crate::Access::Roles(&[$($crate::Role::$role),+])
    };
    (platform_admin_or member) => {
        $crate::Access::PlatformAdminOr(&$crate::Role::ALL)
    };
    (platform_admin_or: $($role:ident),+) => {
        $crate::Access::PlatformAdminOr(&[$($crate::Role::$role),+])
    };
    (access: $access:path) => {
        $access
    };
}

/// Declares a service interface once and generates:
/// - the trait the service implements (`async fn op(&self, ctx, req) -> Result<Resp>`);
/// - the client newtype callers hold, built from a local implementation or an [`HttpTransport`],
///   with one method per operation that opens a `service_call` span;
/// - the axum router that serves every operation at `POST /rpc/<service>/<op>`;
/// - [`ServiceClient`] for the client, so the composition root builds it generically.
///
/// Each operation names who may call it in brackets (see `__access!`): the client refuses a
/// call before it leaves the caller, the router refuses it again inside the service.
#[macro_export]
macro_rules! service_interface {
    (
        service $svc:literal;
        $(#[$trait_meta:meta])*
        trait $trait:ident;
        client $client:ident;
        router $router:ident;
        $( $(#[$op_meta:meta])* fn $op:ident($req:ty) -> $resp:ty [$($access:tt)+]; )*
    ) => {
        $(#[$trait_meta])*
        #[$crate::reexport::async_trait::async_trait]
        pub trait $trait: Send + Sync + 'static {
            $(
                $(#[$op_meta])*
                async fn $op(&self, ctx: &$crate::Context, req: $req) -> $crate::Result<$resp>;
            )*
        }

        /// A cheap, cloneable handle on the service; callers never know which transport it uses.
        #[derive(Clone)]
        pub struct $client(std::sync::Arc<dyn $trait>);

        impl $client {
            /// Calls the implementation in this process.
            pub fn local(service: std::sync::Arc<dyn $trait>) -> Self {
                Self(service)
            }

            /// Calls the service over HTTP/JSON.
            pub fn remote(transport: $crate::rpc::HttpTransport) -> Self {
                struct Remote($crate::rpc::HttpTransport);
                #[$crate::reexport::async_trait::async_trait]
                impl $trait for Remote {
                    $(
                        async fn $op(&self, ctx: &$crate::Context, req: $req) -> $crate::Result<$resp> {
                            self.0.call(stringify!($op), ctx, &req).await
                        }
                    )*
                }
                Self(std::sync::Arc::new(Remote(transport)))
            }

            $(
                $(#[$op_meta])*
                pub async fn $op(&self, ctx: &$crate::Context, req: $req) -> $crate::Result<$resp> {
                    use $crate::reexport::tracing::Instrument;
                    let span = $crate::reexport::tracing::info_span!(
                        "service_call",
                        service = $svc,
                        op = stringify!($op),
                        tenant = ctx.tenant.map(|t| t.to_string()).unwrap_or_default(),
                        request_id = %ctx.request_id,
                    );
                    async move {
                        $crate::__access!($($access)+).check(ctx)?;
                        self.0.$op(ctx, req).await
                    }
                    .instrument(span)
                    .await
                }
            )*
        }

        impl $crate::rpc::ServiceClient for $client {
            type Service = dyn $trait;
            const NAME: &'static str = $svc;
            const OPERATIONS: &'static [(&'static str, $crate::Access)] =
                &[$((stringify!($op), $crate::__access!($($access)+))),*];

            fn local(service: std::sync::Arc<dyn $trait>) -> Self {
                Self(service)
            }

            fn remote(transport: $crate::rpc::HttpTransport) -> Self {
                $client::remote(transport)
            }

            fn router(
                service: std::sync::Arc<dyn $trait>,
                keys: $crate::rpc::InternalKeys,
            ) -> $crate::reexport::axum::Router {
                $router(service, keys)
            }

            fn check_ready(
                &self,
                ctx: $crate::Context,
            ) -> std::pin::Pin<Box<dyn std::future::Future<Output = $crate::Result<()>> + Send + '_>>
            {
                Box::pin(async move { self.ready(&ctx, ()).await })
            }
        }

        /// Serves every operation of the interface at `POST /rpc/<service>/<op>`.
        pub fn $router(
            service: std::sync::Arc<dyn $trait>,
            keys: $crate::rpc::InternalKeys,
        ) -> $crate::reexport::axum::Router {
            use $crate::reexport::axum::{body::Bytes, http::HeaderMap, routing::post};
            let router = $crate::reexport::axum::Router::new();
            $(
                let router = router.route(
                    concat!("/rpc/", $svc, "/", stringify!($op)),
                    post({
                        let service = service.clone();
                        let keys = keys.clone();
                        move |headers: HeaderMap, body: Bytes| async move {
                            $crate::rpc::handle(
                                &keys, $svc, stringify!($op), $crate::__access!($($access)+),
                                &headers, &body,
                                |ctx, req: $req| async move { service.$op(&ctx, req).await },
                            )
                            .await
                        }
                    }),
                );
            )*
            router
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Access, Actor, ErrorCode, Role, TenantId, UserId};

    fn ctx() -> Context {
        Context {
            tenant: Some(TenantId::new()),
            actor: Actor {
                user_id: Some(UserId::new()),
                roles: vec![Role::Operator],
                ..Actor::default()
            },
            request_id: "r-1".into(),
            traceparent: None,
            ..Context::default()
        }
    }

    /// A service with one query and one mutation, as small as a service gets.
    mod echo {
        use std::sync::atomic::{AtomicUsize, Ordering};

        use crate::{Context, Result};

        crate::service_interface! {
            service "echo";
            trait Echo;
            client EchoClient;
            router echo_router;
            fn ready(()) -> () [public];
            fn read(String) -> String [member];
            fn write(String) -> String [roles: TenantAdmin];
        }

        /// Counts the calls that reach it.
        #[derive(Default)]
        pub struct Impl(pub AtomicUsize);

        #[crate::reexport::async_trait::async_trait]
        impl Echo for Impl {
            async fn ready(&self, _ctx: &Context, _req: ()) -> Result<()> {
                Ok(())
            }
            async fn read(&self, _ctx: &Context, req: String) -> Result<String> {
                self.0.fetch_add(1, Ordering::SeqCst);
                Ok(req)
            }
            async fn write(&self, _ctx: &Context, req: String) -> Result<String> {
                self.0.fetch_add(1, Ordering::SeqCst);
                Ok(req.to_uppercase())
            }
        }
    }

    fn with_roles(roles: Vec<Role>) -> Context {
        Context {
            actor: Actor {
                roles,
                ..ctx().actor
            },
            ..ctx()
        }
    }

    #[test]
    fn access_rules_match_the_context_checks() {
        let volunteer = with_roles(vec![Role::Volunteer]);
        let admin = with_roles(vec![Role::TenantAdmin]);
        let anonymous = Context::anonymous("r-2");
        let staff = Access::Roles(&[Role::Operator, Role::Coordinator]);
        assert_eq!(
            staff.check(&volunteer).map_err(|e| e.code),
            Err(ErrorCode::Forbidden)
        );
        assert!(Access::MEMBER.check(&volunteer).is_ok());
        assert_eq!(
            Access::MEMBER.check(&anonymous).map_err(|e| e.code),
            Err(ErrorCode::Unauthenticated)
        );
        assert!(Access::Public.check(&anonymous).is_ok());
        assert!(Access::SignedIn.check(&volunteer).is_ok());
        assert_eq!(
            Access::PlatformAdmin.check(&admin).map_err(|e| e.code),
            Err(ErrorCode::Forbidden)
        );
        let mut platform = with_roles(Vec::new());
        platform.tenant = None;
        platform.actor.platform_admin = true;
        assert!(Access::PlatformAdminOr(&Role::ALL).check(&platform).is_ok());
        assert!(Access::MEMBER.check(&platform).is_err());
        assert!(staff.refuses(&[Role::Volunteer]) && !staff.refuses(&[Role::Operator]));
    }

    #[tokio::test]
    async fn an_operation_s_roles_are_enforced_by_the_client_and_inside_the_service() -> Result<()>
    {
        use echo::{Echo, EchoClient, Impl, echo_router};
        use std::sync::Arc;
        use std::sync::atomic::Ordering;

        let service = Arc::new(Impl::default());
        let volunteer = with_roles(vec![Role::Volunteer]);
        let admin = with_roles(vec![Role::TenantAdmin]);

        // In process: a forbidden call never reaches the implementation.
        let local = EchoClient::local(service.clone());
        assert_eq!(local.read(&volunteer, "a".into()).await?, "a");
        assert_eq!(
            local
                .write(&volunteer, "a".into())
                .await
                .map_err(|e| e.code),
            Err(ErrorCode::Forbidden)
        );
        assert_eq!(local.write(&admin, "a".into()).await?, "A");
        assert_eq!(service.0.load(Ordering::SeqCst), 2);

        // Over HTTP: the router refuses a correctly signed call that skipped the client.
        let keys = InternalKeys::new(b"0123456789abcdef0123456789abcdef");
        let dyn_service: Arc<dyn Echo> = service.clone();
        let router = echo_router(dyn_service, keys.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(Error::internal)?;
        let url = format!("http://{}", listener.local_addr().map_err(Error::internal)?);
        tokio::spawn(async move { axum::serve(listener, router).await });
        let transport = HttpTransport::new(&url, "echo", keys)?;
        let direct = transport
            .call::<_, String>("write", &volunteer, &"a".to_owned())
            .await;
        assert_eq!(direct.map_err(|e| e.code), Err(ErrorCode::Forbidden));
        let remote = EchoClient::remote(transport);
        assert_eq!(
            remote
                .write(&volunteer, "a".into())
                .await
                .map_err(|e| e.code),
            Err(ErrorCode::Forbidden)
        );
        assert_eq!(remote.write(&admin, "b".into()).await?, "B");
        assert_eq!(service.0.load(Ordering::SeqCst), 3);
        use super::ServiceClient;
        assert_eq!(
            EchoClient::OPERATIONS,
            &[
                ("ready", Access::Public),
                ("read", Access::MEMBER),
                ("write", Access::Roles(&[Role::TenantAdmin]))
            ]
        );
        Ok(())
    }

    #[test]
    fn a_signed_context_comes_back_whole() -> Result<()> {
        let keys = InternalKeys::new(b"0123456789abcdef0123456789abcdef");
        let ctx = ctx();
        let token = keys.sign("tenancy", &ctx)?;
        assert_eq!(keys.verify("tenancy", &token)?, ctx);
        Ok(())
    }

    #[test]
    fn tokens_for_another_service_or_key_or_time_are_refused() -> Result<()> {
        let keys = InternalKeys::new(b"0123456789abcdef0123456789abcdef");
        let token = keys.sign("tenancy", &ctx())?;
        assert!(keys.verify("cases", &token).is_err());
        let other = InternalKeys::new(b"another-secret-another-secret-xx");
        assert!(other.verify("tenancy", &token).is_err());
        let now = chrono::Utc::now().timestamp();
        let stale = Claims {
            aud: "tenancy".into(),
            iat: now - 600,
            exp: now - 300,
            ctx: ctx(),
        };
        let stale = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &stale, &keys.encoding)
            .map_err(Error::internal)?;
        assert_eq!(
            keys.verify("tenancy", &stale).map_err(|e| e.code),
            Err(ErrorCode::Unauthenticated)
        );
        let mut tampered = keys.sign("tenancy", &ctx())?;
        tampered.insert(tampered.len() / 2, 'x');
        assert!(keys.verify("tenancy", &tampered).is_err());
        Ok(())
    }
}
