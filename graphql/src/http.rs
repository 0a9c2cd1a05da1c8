//! `/graphql` over HTTP, after the GraphQL-over-HTTP specification (graphql.github.io/graphql-over-http,
//! the 2024 draft with its `application/graphql-response+json` watershed): POST with JSON, GET for
//! queries only.
//!
//! Every answer is a GraphQL response in JSON whose errors carry `extensions.code`, whatever went
//! wrong: a body too large, not JSON, missing or wrongly typed parameters, a document nested too
//! deep, a control character in a string, a limit exceeded. A client that accepts
//! `application/graphql-response+json` gets that media type, 4xx and no `data` entry when the
//! request or the document is refused before execution (parse, validation, variable coercion,
//! limits); a client that accepts only `application/json` gets 200 for document errors, as the
//! specification asks for that media type, and 4xx for a malformed HTTP request.
//!
//! The handler authenticates the request, resolves its tenant and actor, enforces CSRF, the
//! batch, alias, nesting and cost limits, a per-user concurrency cap and a time budget for
//! queries, and runs each operation in a span.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Response, ServerError, Variables};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use serde_json::{Value as Json, json};
use sportello_kernel::secret::constant_time_eq;
use sportello_kernel::{Actor, Context as KContext, ErrorCode};
use sportello_tenancy::{
    ApiTokenScope, RecordApiTokenUse, ResolveActor, ResolveApiToken, tenant_of_token,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tracing::Instrument;

use crate::Gateway;
use crate::cost::Phase;
use crate::documents::Documents;
use crate::guard::{self, Refusal};
use crate::inspect::{Inspection, inspect};
use crate::schema::cases::CaseReads;
use crate::schema::{RequestState, SESSIONLESS_MUTATIONS};
use crate::session::{CSRF_HEADER, SESSION_COOKIE, read_cookie};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// The media type of the answer, from the request's `Accept` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Media {
    /// `application/json`: the default, and what `*/*` or no `Accept` gets.
    Json,
    /// `application/graphql-response+json`, when the client lists it at least as high as JSON.
    GraphqlResponse,
}

impl Media {
    fn of(headers: &HeaderMap) -> Self {
        let accept = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        let quality = |wanted: &str| {
            accept
                .split(',')
                .filter_map(|item| {
                    let mut parts = item.split(';').map(str::trim);
                    let media = parts.next()?.to_ascii_lowercase();
                    if media != wanted {
                        return None;
                    }
                    let q = parts
                        .filter_map(|p| p.strip_prefix("q="))
                        .find_map(|q| q.parse::<f32>().ok())
                        .unwrap_or(1.0);
                    Some(q)
                })
                .fold(None, |best: Option<f32>, q| {
                    Some(best.map_or(q, |b| b.max(q)))
                })
        };
        match (quality(GRAPHQL_RESPONSE_JSON), quality("application/json")) {
            (Some(gr), json) if gr > 0.0 && gr >= json.unwrap_or(0.0) => Self::GraphqlResponse,
            _ => Self::Json,
        }
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::Json => "application/json; charset=utf-8",
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        })
    }

    /// Status of a document refused before execution: 400 for the GraphQL response media type,
    /// 200 for plain JSON (GraphQL-over-HTTP §"application/json").
    fn document_status(self, status: StatusCode) -> StatusCode {
        match self {
            Self::Json => StatusCode::OK,
            Self::GraphqlResponse => status,
        }
    }
}

/// A refusal before execution: the status it gets under the GraphQL response media type, and
/// the error.
struct Refused {
    status: StatusCode,
    error: Json,
}

impl Refused {
    /// A refusal whose reason repeats its code (`BAD_REQUEST`, `PAYLOAD_TOO_LARGE`: each a
    /// [`Reason`](sportello_kernel::Reason) of its own).
    fn new(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Self {
        let mut extensions = json!({ "code": code, "reason": code });
        if let Some(field) = field {
            extensions["field"] = json!(field);
        }
        Self {
            status,
            error: json!({ "message": message, "extensions": extensions }),
        }
    }

    /// The same refusal with `reason` (and its parameters) instead of the code.
    fn because(mut self, reason: &sportello_kernel::Reason) -> Self {
        self.error["extensions"]["reason"] = json!(reason.as_str());
        if let Some(params) = reason.params() {
            self.error["extensions"]["params"] = Json::Object(params);
        }
        self
    }

    fn from_guard(refusal: Refusal) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            refusal.code,
            &refusal.message,
            refusal.field.as_deref(),
        )
        .because(&refusal.reason)
    }
}

/// One operation as received, before any parsing of its document.
struct Operation {
    query: String,
    operation_name: Option<String>,
    variables: Json,
}

/// Reads the GraphQL-over-HTTP request parameters of one operation.
fn operation_of(params: &serde_json::Map<String, Json>) -> Result<Operation, Refused> {
    let bad = |message: &str| Refused::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message, None);
    let query = match params.get("query") {
        Some(Json::String(q)) => q.clone(),
        None | Some(Json::Null) => return Err(bad("the request has no query")),
        Some(_) => return Err(bad("query must be a string")),
    };
    let operation_name = match params.get("operationName") {
        None | Some(Json::Null) => None,
        Some(Json::String(name)) => Some(name.clone()),
        Some(_) => return Err(bad("operationName must be a string")),
    };
    let variables = match params.get("variables") {
        None | Some(Json::Null) => Json::Object(Default::default()),
        Some(v @ Json::Object(_)) => v.clone(),
        Some(_) => return Err(bad("variables must be a JSON object")),
    };
    match params.get("extensions") {
        None | Some(Json::Null | Json::Object(_)) => {}
        Some(_) => return Err(bad("extensions must be a JSON object")),
    }
    Ok(Operation {
        query,
        operation_name,
        variables,
    })
}

pub async fn graphql_get(
    State(gw): State<Gateway>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> axum::response::Response {
    let media = Media::of(&headers);
    let Ok(Query(pairs)) = params else {
        return refused(media, bad_request("the query string is not URL-encoded"));
    };
    if pairs.iter().any(|(k, _)| k == ACCESS_TOKEN_PARAMETER) {
        return refused(media, token_in_url());
    }
    let mut params = serde_json::Map::new();
    for (key, value) in pairs {
        let value = match key.as_str() {
            // JSON-encoded parameters (GraphQL-over-HTTP §GET).
            "variables" | "extensions" => match serde_json::from_str::<Json>(&value) {
                Ok(v) => v,
                Err(_) => {
                    let message = format!("{key} must be a JSON object");
                    return refused(media, bad_request(&message));
                }
            },
            _ => Json::String(value),
        };
        params.insert(key, value);
    }
    match operation_of(&params) {
        Ok(op) => execute(gw, peer, headers, media, vec![op], false, true).await,
        Err(refusal) => refused(media, refusal),
    }
}

pub async fn graphql_post(
    State(gw): State<Gateway>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> axum::response::Response {
    let media = Media::of(&headers);
    if uri.query().is_some_and(|q| {
        q.split('&')
            .any(|pair| pair.split('=').next() == Some(ACCESS_TOKEN_PARAMETER))
    }) {
        return refused(media, token_in_url());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !content_type.starts_with("application/json") {
        let refusal = Refused::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the operation as application/json",
            None,
        );
        return refused(media, refusal);
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let refusal = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Refused::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "PAYLOAD_TOO_LARGE",
                    "the request body is larger than 1 MiB",
                    None,
                )
            } else {
                bad_request("the request body could not be read")
            };
            return refused(media, refusal);
        }
    };
    let parsed: Json = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => return refused(media, bad_request("the body is not a JSON GraphQL request")),
    };
    let (items, is_batch) = match parsed {
        Json::Object(params) => (vec![params], false),
        Json::Array(items) => {
            if items.is_empty() || items.len() > gw.limits.batch {
                let message = format!(
                    "send between 1 and {} operations in a batch",
                    gw.limits.batch
                );
                let refusal = Refused::new(
                    StatusCode::BAD_REQUEST,
                    "BATCH_LIMIT_EXCEEDED",
                    &message,
                    None,
                );
                return refused(media, refusal);
            }
            let mut objects = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Json::Object(params) => objects.push(params),
                    _ => {
                        return refused(
                            media,
                            bad_request("each operation of a batch is a JSON object"),
                        );
                    }
                }
            }
            (objects, true)
        }
        _ => return refused(media, bad_request("the body is not a JSON GraphQL request")),
    };
    let mut operations = Vec::with_capacity(items.len());
    for params in &items {
        match operation_of(params) {
            Ok(op) => operations.push(op),
            Err(refusal) => return refused(media, refusal),
        }
    }
    execute(gw, peer, headers, media, operations, is_batch, false).await
}

/// Concurrent operations per user (or per client address when signed out), across this
/// gateway process. An operation waits up to `queue_wait` for a free slot, then is refused with
/// `RATE_LIMITED`.
#[derive(Default)]
pub struct Concurrency {
    slots: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Concurrency {
    async fn acquire(
        &self,
        key: &str,
        per_user: usize,
        wait: Duration,
    ) -> Option<OwnedSemaphorePermit> {
        let semaphore = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            // Forget idle users so the map stays small.
            if slots.len() > 10_000 {
                slots.retain(|_, s| Arc::strong_count(s) > 1);
            }
            slots
                .entry(key.to_owned())
                .or_insert_with(|| Arc::new(Semaphore::new(per_user)))
                .clone()
        };
        tokio::time::timeout(wait, semaphore.acquire_owned())
            .await
            .ok()?
            .ok()
    }
}

/// The name OAuth 2.0 bearer tokens take in a URL (RFC 6750 §2.3), which this API refuses: a
/// URL ends up in logs and browser histories.
const ACCESS_TOKEN_PARAMETER: &str = "access_token";

fn token_in_url() -> Refused {
    Refused::new(
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidInput.as_str(),
        "send an API token in the Authorization header (Bearer), never in the URL",
        Some(ACCESS_TOKEN_PARAMETER),
    )
}

/// The root fields a token of scope `EXPORTS` may query: the tenant's figures and their exports.
const EXPORT_FIELDS: [&str; 6] = [
    "indicatorExport",
    "indicators",
    "tenantStatistics",
    "sharedView",
    "volunteerHours",
    "__typename",
];

/// Audits one operation sent with an API token, whatever its outcome (refused ones included).
async fn record_token_use(
    gw: &Gateway,
    state: &RequestState,
    operation: Option<&str>,
    op_type: Option<OperationType>,
    request_id: &str,
) {
    let (Some((token, _)), Some(tenant)) = (&state.token, state.ctx.tenant) else {
        return;
    };
    let kind = match op_type {
        Some(OperationType::Query) => "QUERY",
        Some(OperationType::Mutation) => "MUTATION",
        Some(OperationType::Subscription) => "SUBSCRIPTION",
        None => "INVALID",
    };
    let use_ = RecordApiTokenUse {
        token_id: *token,
        operation: operation.unwrap_or("-").to_owned(),
        kind: kind.to_owned(),
        client: state.peer.clone(),
    };
    let mut ctx = KContext::internal("gateway", tenant, request_id);
    ctx.clock = gw.clock;
    if let Err(err) = gw.services.tenancy.record_api_token_use(&ctx, use_).await {
        tracing::warn!(code = ?err.code, "an API token's use could not be recorded");
    }
}

/// Whether a token of `scope` may run the inspected operation.
fn scope_allows(scope: ApiTokenScope, i: &Inspection) -> bool {
    match scope {
        ApiTokenScope::Full => true,
        ApiTokenScope::ReadOnly => i.operation_type == OperationType::Query,
        ApiTokenScope::Exports => {
            i.operation_type == OperationType::Query
                && !i.root_has_fragments
                && i.root_fields
                    .iter()
                    .all(|f| EXPORT_FIELDS.contains(&f.as_str()))
        }
    }
}

fn bad_request(message: &str) -> Refused {
    Refused::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message, None)
}

/// A whole request refused before any operation ran: always 4xx, whatever the media type.
fn refused(media: Media, refusal: Refused) -> axum::response::Response {
    reply(refusal.status, media, json!({ "errors": [refusal.error] }))
}

fn reply(status: StatusCode, media: Media, body: Json) -> axum::response::Response {
    let body = serde_json::to_vec(&body).unwrap_or_else(|_| {
        br#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}"#.to_vec()
    });
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, media.content_type());
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    (status, headers, body).into_response()
}

/// The outcome of one operation: its JSON, and the status it asks for under the GraphQL
/// response media type when it was refused before execution.
struct Outcome {
    body: Json,
    refused: Option<StatusCode>,
    headers: HeaderMap,
}

impl Outcome {
    fn refused(refusal: Refused) -> Self {
        Self {
            body: json!({ "errors": [refusal.error] }),
            refused: Some(refusal.status),
            headers: HeaderMap::new(),
        }
    }
}

/// Checks an operation's document and variables before the recursive parser and the executor
/// see them, and returns the parsed request. A document parsed before is taken from `documents`:
/// its text passed the nesting guard then.
fn prepare(documents: &Documents, op: Operation) -> Result<(Request, Option<Inspection>), Refused> {
    guard::check_variables_nesting(&op.variables).map_err(Refused::from_guard)?;
    let kept = documents.get(&op.query);
    if kept.is_none() {
        guard::check_document_nesting(&op.query).map_err(Refused::from_guard)?;
    }
    let inputs = op.variables.clone();
    let text = op.query;
    let mut request = Request::new(text.clone()).variables(Variables::from_json(op.variables));
    if let Some(name) = op.operation_name {
        request = request.operation_name(name);
    }
    let operation_name = request.operation_name.clone();
    let was_kept = kept.is_some();
    if let Some(doc) = kept {
        request.set_parsed_query((*doc).clone());
    }
    // Parsed once: the request keeps the document for the executor.
    let doc = request.parsed_query().map_err(|err| {
        Refused::new(
            StatusCode::BAD_REQUEST,
            "GRAPHQL_PARSE_FAILED",
            &err.message,
            None,
        )
    })?;
    guard::check_inputs(doc, &inputs).map_err(Refused::from_guard)?;
    if !was_kept {
        documents.keep(&text, doc);
    }
    let inspection = inspect(doc, operation_name.as_deref());
    Ok((request, inspection))
}

async fn execute(
    gw: Gateway,
    peer: SocketAddr,
    headers: HeaderMap,
    media: Media,
    operations: Vec<Operation>,
    is_batch: bool,
    is_get: bool,
) -> axum::response::Response {
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 100 && v.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());

    let state = match request_state(&gw, &headers, peer, &request_id).await {
        Ok(state) => state,
        Err(err) if err.code == ErrorCode::Unauthenticated => {
            let refusal = Refused::new(
                StatusCode::UNAUTHORIZED,
                err.code.as_str(),
                &err.message,
                None,
            )
            .because(&err.reason);
            let mut response = refused(media, refusal);
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"sportello\", error=\"invalid_token\""),
            );
            return response;
        }
        Err(err) => {
            let refusal = Refused::new(
                StatusCode::SERVICE_UNAVAILABLE,
                err.code.as_str(),
                &err.message,
                None,
            )
            .because(&err.reason);
            return refused(media, refusal);
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
    // Limited per token for token requests, per user for sessions, per address otherwise.
    let who = match (&state.token, state.ctx.actor.user_id) {
        (Some((token, _)), _) => format!("token:{token}"),
        (None, Some(user)) => format!("user:{user}"),
        (None, None) => format!("addr:{}", state.peer),
    };
    let Some(_permit) = gw
        .concurrency
        .acquire(&who, gw.limits.concurrent_per_user, gw.limits.queue_wait)
        .await
    else {
        let refusal = Refused::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited.as_str(),
            "too many operations of yours are running: wait for them to finish",
            None,
        );
        return refused(media, refusal);
    };

    let mut outcomes = Vec::with_capacity(operations.len());
    for op in operations {
        let (request, inspection) = match prepare(&gw.documents, op) {
            Ok(prepared) => prepared,
            Err(refusal) => {
                outcomes.push(Outcome::refused(refusal));
                continue;
            }
        };
        let op_type = inspection.as_ref().map(|i| i.operation_type);
        if is_get && op_type.is_some_and(|t| t != OperationType::Query) {
            let refusal = Refused::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "use POST for mutations",
                None,
            );
            let mut response = refused(media, refusal);
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
            return response;
        }
        if let Some(i) = &inspection {
            if i.aliases > gw.limits.aliases {
                let message = format!(
                    "the operation uses {} aliases; the limit is {}",
                    i.aliases, gw.limits.aliases
                );
                outcomes.push(Outcome::refused(Refused::new(
                    StatusCode::BAD_REQUEST,
                    "ALIAS_LIMIT_EXCEEDED",
                    &message,
                    None,
                )));
                continue;
            }
            if let Some((_, scope)) = &state.token
                && !scope_allows(*scope, i)
            {
                record_token_use(&gw, &state, i.name.as_deref(), op_type, &request_id).await;
                outcomes.push(Outcome::refused(Refused::new(
                    StatusCode::FORBIDDEN,
                    ErrorCode::Forbidden.as_str(),
                    "this API token's scope does not allow this operation",
                    None,
                )));
                continue;
            }
            let sessionless = !i.root_has_fragments
                && i.root_fields
                    .iter()
                    .all(|f| SESSIONLESS_MUTATIONS.contains(&f.as_str()));
            if i.operation_type == OperationType::Mutation && !csrf_ok && !sessionless {
                let reason = sportello_kernel::Reason::CsrfToken;
                outcomes.push(Outcome::refused(
                    Refused::new(
                        StatusCode::FORBIDDEN,
                        ErrorCode::Forbidden.as_str(),
                        &reason.message(),
                        None,
                    )
                    .because(&reason),
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
        let request_name = inspection.as_ref().and_then(|i| i.name.clone());
        let phase = Arc::new(Phase::default());
        let reads = CaseReads::new(gw.services.cases.clone(), state.ctx.clone());
        let request = request.data(state.clone()).data(phase.clone()).data(reads);
        let started = Instant::now();
        let schema = match (&gw.introspection_schema, &inspection) {
            (Some(deeper), Some(i)) if i.is_introspection() => deeper,
            _ => &gw.schema,
        };
        let run = schema.execute(request).instrument(span);
        // Queries get a time budget; a mutation runs to its end, so that what it answers is
        // what was stored.
        let response = if op_type == Some(OperationType::Query) {
            match tokio::time::timeout(gw.limits.query_timeout, run).await {
                Ok(response) => response,
                Err(_) => {
                    let message = format!(
                        "the query took longer than {} s: ask for less",
                        gw.limits.query_timeout.as_secs()
                    );
                    let mut error = ServerError::new(message, None);
                    let extensions = error.extensions.get_or_insert_with(Default::default);
                    extensions.set("code", "TIMEOUT");
                    extensions.set("reason", "TIMEOUT");
                    Response::from_errors(vec![error])
                }
            }
        } else {
            run.await
        };
        record_token_use(&gw, &state, request_name.as_deref(), op_type, &request_id).await;
        let outcome = match (phase.executed(), response.errors.is_empty()) {
            (false, _) => "refused",
            (true, true) => "ok",
            (true, false) => "error",
        };
        metrics::counter!("sportello_graphql_operations_total", "type" => kind, "outcome" => outcome).increment(1);
        metrics::histogram!("sportello_graphql_operation_seconds", "type" => kind)
            .record(started.elapsed().as_secs_f64());
        if phase.executed() {
            metrics::histogram!("sportello_graphql_operation_cost", "type" => kind)
                .record(phase.cost() as f64);
        }
        let response = with_codes(response);
        let refused_status =
            (!phase.executed() && !response.errors.is_empty()).then_some(StatusCode::BAD_REQUEST);
        let body = if refused_status.is_some() {
            json!({ "errors": response.errors })
        } else {
            serde_json::to_value(&response).unwrap_or_else(|_| {
                json!({ "errors": [{ "message": "internal error", "extensions": { "code": "INTERNAL" } }] })
            })
        };
        outcomes.push(Outcome {
            body,
            refused: refused_status,
            headers: response.http_headers,
        });
    }

    let mut out_headers = HeaderMap::new();
    for outcome in &outcomes {
        for (name, value) in outcome.headers.iter() {
            out_headers.append(name.clone(), value.clone());
        }
    }
    let (status, body) = if is_batch {
        let bodies: Vec<Json> = outcomes.into_iter().map(|o| o.body).collect();
        (StatusCode::OK, Json::Array(bodies))
    } else {
        let outcome = outcomes.remove(0);
        let status = outcome
            .refused
            .map_or(StatusCode::OK, |s| media.document_status(s));
        (status, outcome.body)
    };
    let mut response = reply(status, media, body);
    response.headers_mut().extend(out_headers);
    response
}

/// Authenticates the request from its session cookie and resolves tenant and roles.
pub(crate) async fn request_state(
    gw: &Gateway,
    headers: &HeaderMap,
    peer: SocketAddr,
    request_id: &str,
) -> sportello_kernel::Result<RequestState> {
    let mut ctx = KContext::anonymous(request_id);
    ctx.clock = gw.clock;
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| read_cookie(h, SESSION_COOKIE));
    // API tokens come as `Authorization: Bearer` (the scheme is case-insensitive, RFC 7235
    // §2.1); another scheme (a proxy's Basic authentication) is not this API's and is ignored.
    let bearers: Vec<&str> = headers
        .get_all(header::AUTHORIZATION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| {
            let (scheme, rest) = v.trim().split_once(' ').unwrap_or((v.trim(), ""));
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .collect();
    if let Some(first) = bearers.first() {
        // Never together with a session cookie, never two tokens, never an empty one.
        if token.is_some() {
            return Err(sportello_kernel::Error::unauthenticated()
                .saying("send either an API token or a session cookie, not both"));
        }
        if bearers.len() > 1 {
            return Err(sportello_kernel::Error::unauthenticated()
                .saying("send one API token, in one Authorization header"));
        }
        let bearer = Some(*first).filter(|b| !b.is_empty()).ok_or_else(|| {
            sportello_kernel::Error::unauthenticated()
                .saying("the Authorization header must carry `Bearer <API token>`")
        })?;
        let tenant = tenant_of_token(bearer).ok_or_else(|| {
            sportello_kernel::Error::unauthenticated().saying("not a valid API token")
        })?;
        let internal = KContext::internal("gateway", tenant, request_id);
        let req = ResolveApiToken {
            tenant_id: tenant,
            token_hash: sportello_kernel::secret::digest(bearer),
        };
        let mut internal = internal;
        internal.clock = gw.clock;
        let resolved = gw
            .services
            .tenancy
            .resolve_api_token(&internal, req)
            .await
            .map_err(|err| {
                if err.code == ErrorCode::Unauthenticated {
                    sportello_kernel::Error::unauthenticated()
                        .saying("the API token is unknown, expired or revoked")
                } else {
                    err
                }
            })?;
        ctx.actor = resolved.actor;
        ctx.time_zone = resolved.time_zone;
        ctx.tenant = Some(tenant);
        return Ok(RequestState {
            ctx,
            session: None,
            peer: gw
                .trusted_proxies
                .client_address(peer.ip(), headers)
                .to_string(),
            token: Some((resolved.token_id, resolved.scope)),
            device: String::new(),
        });
    }
    let loaded = match token {
        Some(token) => gw.services.sessions.load(&token).await?.map(|l| (token, l)),
        None => None,
    };
    let mut session = None;
    if let Some((token, loaded)) = loaded {
        let s = &loaded.session;
        ctx.actor = Actor {
            user_id: Some(s.user_id),
            platform_admin: s.platform_admin,
            ..Actor::default()
        };
        if let Some(tenant) = s.tenant {
            let resolved = match loaded.actor {
                Some(kept) => Some(kept),
                None => {
                    let req = ResolveActor {
                        user_id: s.user_id,
                        tenant_id: tenant,
                    };
                    match gw.services.tenancy.resolve_actor(&ctx, req).await {
                        Ok(resolved) => {
                            let sessions = &gw.services.sessions;
                            sessions
                                .keep_actor(&token, tenant, &loaded.generation, &resolved)
                                .await?;
                            Some(resolved)
                        }
                        // The membership was removed: the session stays signed in, without a
                        // tenant.
                        Err(err) if err.code == ErrorCode::Forbidden => None,
                        Err(err) => return Err(err),
                    }
                }
            };
            if let Some(resolved) = resolved {
                ctx.actor = resolved.actor;
                ctx.time_zone = resolved.time_zone;
                ctx.tenant = Some(tenant);
            }
        }
        session = Some((token, loaded.session));
    }
    Ok(RequestState {
        ctx,
        session,
        peer: gw
            .trusted_proxies
            .client_address(peer.ip(), headers)
            .to_string(),
        token: None,
        device: crate::session::device_of(
            headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default(),
        ),
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
        let extensions = error.extensions.get_or_insert_with(Default::default);
        extensions.set("code", code);
        // The gateway's own refusals: the reason repeats the code.
        extensions.set("reason", code);
    }
    response
}
