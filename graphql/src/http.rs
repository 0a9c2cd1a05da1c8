//! `/graphql` over HTTP (GraphQL-over-HTTP: POST with JSON, GET for queries only), `/graphiql`.
//! The handler authenticates the request, resolves its tenant and actor, enforces CSRF and the
//! batch and alias limits, and runs the operation in a span.

use std::net::SocketAddr;
use std::time::Instant;

use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, Request, Response, ServerError};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse};
use serde::Deserialize;
use sportello_kernel::secret::constant_time_eq;
use sportello_kernel::{Actor, Context as KContext, ErrorCode};
use sportello_tenancy::ResolveActor;
use tracing::Instrument;

use crate::Gateway;
use crate::inspect::inspect;
use crate::schema::{RequestState, SESSIONLESS_MUTATIONS};
use crate::session::{CSRF_HEADER, SESSION_COOKIE, read_cookie};

#[derive(Deserialize)]
pub struct GetParams {
    query: String,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
}

pub async fn graphql_get(
    State(gw): State<Gateway>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(params): Query<GetParams>,
) -> axum::response::Response {
    let mut request = Request::new(params.query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(vars) = params.variables {
        match serde_json::from_str(&vars) {
            Ok(vars) => request = request.variables(vars),
            Err(_) => {
                return request_error(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    "variables must be a JSON object",
                );
            }
        }
    }
    execute(gw, peer, headers, BatchRequest::Single(request), true).await
}

pub async fn graphql_post(
    State(gw): State<Gateway>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.starts_with("application/json") {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the operation as application/json",
        );
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(_) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the body is not a GraphQL request",
            );
        }
    };
    execute(gw, peer, headers, batch, false).await
}

pub async fn graphiql() -> Html<String> {
    Html(
        async_graphql::http::GraphiQLSource::build()
            .endpoint("/graphql")
            .title("Sportello GraphQL")
            .finish(),
    )
}

async fn execute(
    gw: Gateway,
    peer: SocketAddr,
    headers: HeaderMap,
    batch: BatchRequest,
    is_get: bool,
) -> axum::response::Response {
    let (requests, is_batch) = match batch {
        BatchRequest::Single(r) => (vec![r], false),
        BatchRequest::Batch(rs) => (rs, true),
    };
    if requests.is_empty() || requests.len() > gw.limits.batch {
        let message = format!(
            "send between 1 and {} operations in a batch",
            gw.limits.batch
        );
        return request_error(StatusCode::BAD_REQUEST, "BATCH_LIMIT_EXCEEDED", &message);
    }
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());

    let state = match request_state(&gw, &headers, peer, &request_id).await {
        Ok(state) => state,
        Err(err) => {
            return request_error(
                StatusCode::SERVICE_UNAVAILABLE,
                err.code.as_str(),
                &err.message,
            );
        }
    };
    let csrf_ok = match (
        &state.session,
        headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()),
    ) {
        (None, _) => true,
        (Some((_, session)), Some(sent)) => constant_time_eq(sent, &session.csrf),
        (Some(_), None) => false,
    };

    let mut responses = Vec::with_capacity(requests.len());
    for request in requests {
        let inspection = inspect(&request.query, request.operation_name.as_deref());
        let op_type = inspection.as_ref().map(|i| i.operation_type);
        if is_get && op_type.is_some_and(|t| t != OperationType::Query) {
            return request_error(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "use POST for mutations",
            );
        }
        if let Some(i) = &inspection {
            if i.aliases > gw.limits.aliases {
                let message = format!(
                    "the operation uses {} aliases; the limit is {}",
                    i.aliases, gw.limits.aliases
                );
                responses.push(error_response("ALIAS_LIMIT_EXCEEDED", &message));
                continue;
            }
            let sessionless = !i.root_has_fragments
                && i.root_fields
                    .iter()
                    .all(|f| SESSIONLESS_MUTATIONS.contains(&f.as_str()));
            if i.operation_type == OperationType::Mutation && !csrf_ok && !sessionless {
                responses.push(error_response(
                    ErrorCode::Forbidden.as_str(),
                    "missing or wrong CSRF token: send the X-CSRF-Token header",
                ));
                continue;
            }
        }
        let kind = match op_type {
            Some(OperationType::Query) => "query",
            Some(OperationType::Mutation) => "mutation",
            Some(OperationType::Subscription) => "subscription",
            None => "invalid",
        };
        let span = tracing::info_span!(
            "graphql",
            operation_type = kind,
            operation_name = request.operation_name.as_deref().unwrap_or(""),
            tenant = state.ctx.tenant.map(|t| t.to_string()).unwrap_or_default(),
            request_id = %request_id,
        );
        let started = Instant::now();
        let response = gw
            .schema
            .execute(request.data(state.clone()))
            .instrument(span)
            .await;
        metrics::counter!("sportello_graphql_operations_total", "type" => kind, "outcome" => if response.errors.is_empty() { "ok" } else { "error" }).increment(1);
        metrics::histogram!("sportello_graphql_operation_seconds", "type" => kind)
            .record(started.elapsed().as_secs_f64());
        responses.push(with_codes(response));
    }

    let mut out_headers = HeaderMap::new();
    for response in &responses {
        for (name, value) in response.http_headers.iter() {
            out_headers.append(name.clone(), value.clone());
        }
    }
    let body = if is_batch {
        serde_json::to_vec(&responses)
    } else {
        serde_json::to_vec(&responses[0])
    };
    let Ok(body) = body else {
        return request_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "internal error",
        );
    };
    out_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    out_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    (StatusCode::OK, out_headers, body).into_response()
}

/// Authenticates the request from its session cookie and resolves tenant and roles.
async fn request_state(
    gw: &Gateway,
    headers: &HeaderMap,
    peer: SocketAddr,
    request_id: &str,
) -> sportello_kernel::Result<RequestState> {
    let mut ctx = KContext::anonymous(request_id);
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| read_cookie(h, SESSION_COOKIE));
    let session = match token {
        Some(token) => gw.services.sessions.load(&token).await?.map(|s| (token, s)),
        None => None,
    };
    if let Some((_, s)) = &session {
        ctx.actor = Actor {
            user_id: Some(s.user_id),
            platform_admin: s.platform_admin,
            ..Actor::default()
        };
        if let Some(tenant) = s.tenant {
            let req = ResolveActor {
                user_id: s.user_id,
                tenant_id: tenant,
            };
            match gw.services.tenancy.resolve_actor(&ctx, req).await {
                Ok(actor) => {
                    ctx.actor = actor;
                    ctx.tenant = Some(tenant);
                }
                // The membership was removed: the session stays signed in, without a tenant.
                Err(err) if err.code == ErrorCode::Forbidden => {}
                Err(err) => return Err(err),
            }
        }
    }
    Ok(RequestState {
        ctx,
        session,
        peer: gw
            .trusted_proxies
            .client_address(peer.ip(), headers)
            .to_string(),
    })
}

/// Gives every error a code: limit violations and invalid documents get theirs here, since the
/// executor reports them as plain messages.
fn with_codes(mut response: Response) -> Response {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        let code = match error.message.as_str() {
            "Query is nested too deep." => "DEPTH_LIMIT_EXCEEDED",
            "Query is too complex." => "COMPLEXITY_LIMIT_EXCEEDED",
            _ => "GRAPHQL_VALIDATION_FAILED",
        };
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
    response
}

fn error_response(code: &str, message: &str) -> Response {
    let mut error = ServerError::new(message, None);
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    Response::from_errors(vec![error])
}

fn request_error(status: StatusCode, code: &str, message: &str) -> axum::response::Response {
    let body =
        serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, axum::Json(body)).into_response()
}
