//! GraphQL subscriptions over WebSocket at `/graphql` (the `graphql-transport-ws` protocol of
//! graphql-ws, and the older `graphql-ws` of subscriptions-transport-ws for old clients).
//!
//! The upgrade request is authenticated exactly like an HTTP request (session cookie or
//! `Authorization: Bearer`), resolving the same tenant and roles; a browser's upgrade must come
//! from the console's own origin (the `Origin` header), which stands in for the CSRF header a
//! WebSocket cannot send. Only subscriptions run over the socket: queries and mutations keep
//! the HTTP path with its CSRF, rate and time limits. The schema's depth and cost limits apply.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::{WebSocket, WebSocketProtocols, WsMessage};
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use axum::extract::ws::{CloseFrame, Message, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response as HttpResponse};
use futures::stream::BoxStream;
use futures::{SinkExt, StreamExt};

use crate::Gateway;
use crate::schema::AppSchema;

/// A socket that has said nothing (not even a ping) for this long is closed.
const KEEPALIVE: Duration = Duration::from_secs(90);

/// The schema, running subscriptions only.
#[derive(Clone)]
struct SubscriptionsOnly(AppSchema);

fn refusal(message: &str, code: &str) -> Response {
    let mut error = ServerError::new(message, None);
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", code);
    extensions.set("reason", code);
    Response::from_errors(vec![error])
}

/// Whether the request's operation is a subscription (the named one, or the only one).
fn is_subscription(request: &Request) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let ops: Vec<_> = doc.operations.iter().collect();
    let chosen = match &request.operation_name {
        Some(name) => ops
            .iter()
            .find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
        None if ops.len() == 1 => ops.first(),
        None => None,
    };
    chosen.is_some_and(|(_, op)| op.node.ty == OperationType::Subscription)
}

impl Executor for SubscriptionsOnly {
    async fn execute(&self, _: Request) -> Response {
        refusal(
            "only subscriptions run over WebSocket: send queries and mutations with POST",
            "BAD_REQUEST",
        )
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        if !is_subscription(&request) {
            let refused = refusal(
                "only subscriptions run over WebSocket: send queries and mutations with POST",
                "BAD_REQUEST",
            );
            return futures::stream::once(async move { refused }).boxed();
        }
        Executor::execute_stream(&self.0, request, session_data)
    }
}

/// Whether a browser's `Origin` is the console's own: the request's host, or the configured
/// public address. Clients that send no `Origin` (not browsers) are not cross-site.
fn same_origin(gw: &Gateway, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let own = [format!("http://{host}"), format!("https://{host}")];
    own.iter().any(|o| o == origin) || gw.services.public_url.as_deref() == Some(origin)
}

/// Upgrades `/graphql` to a subscription socket.
pub async fn upgrade(
    gw: Gateway,
    peer: SocketAddr,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> HttpResponse {
    if !same_origin(&gw, &headers) {
        return (
            StatusCode::FORBIDDEN,
            "a subscription socket opens only from the console's own origin",
        )
            .into_response();
    }
    let request_id = uuid::Uuid::now_v7().to_string();
    let state = match crate::http::request_state(&gw, &headers, peer, &request_id).await {
        Ok(state) => state,
        Err(err) => {
            let status = if err.code == sportello_kernel::ErrorCode::Unauthenticated {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            return (status, err.message).into_response();
        }
    };
    let protocol = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|list| {
            list.split(',')
                .map(str::trim)
                .find_map(|p| p.parse::<WebSocketProtocols>().ok())
        })
        .unwrap_or(WebSocketProtocols::GraphQLWS);
    ws.protocols(["graphql-transport-ws", "graphql-ws"])
        .on_upgrade(move |socket| async move {
            let (mut sink, stream) = socket.split();
            let input = stream
                .take_while(|m| futures::future::ready(m.is_ok()))
                .filter_map(|m| {
                    futures::future::ready(match m {
                        Ok(Message::Text(text)) => Some(text.as_str().as_bytes().to_vec()),
                        Ok(Message::Binary(bytes)) => Some(bytes.to_vec()),
                        _ => None,
                    })
                });
            let mut data = Data::default();
            data.insert(state);
            let executor = SubscriptionsOnly(gw.schema.clone());
            let mut messages = WebSocket::new(executor, input, protocol)
                .connection_data(data)
                .keepalive_timeout(KEEPALIVE);
            metrics::gauge!("sportello_graphql_subscription_sockets").increment(1.0);
            while let Some(message) = messages.next().await {
                let sent = match message {
                    WsMessage::Text(text) => sink.send(Message::Text(text.into())).await,
                    WsMessage::Close(code, reason) => {
                        let frame = CloseFrame {
                            code,
                            reason: reason.into(),
                        };
                        let _ = sink.send(Message::Close(Some(frame))).await;
                        break;
                    }
                };
                if sent.is_err() {
                    break;
                }
            }
            metrics::gauge!("sportello_graphql_subscription_sockets").decrement(1.0);
        })
}

/// `GET /graphql`: a WebSocket upgrade opens a subscription socket; anything else is a query
/// over GET (GraphQL-over-HTTP).
pub async fn get(
    axum::extract::State(gw): axum::extract::State<Gateway>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<SocketAddr>,
    request: axum::extract::Request,
) -> HttpResponse {
    use axum::extract::FromRequestParts;
    let (mut parts, _) = request.into_parts();
    let upgrade = parts
        .headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if upgrade {
        return match WebSocketUpgrade::from_request_parts(&mut parts, &gw).await {
            Ok(ws) => self::upgrade(gw.clone(), peer, parts.headers.clone(), ws).await,
            Err(rejection) => rejection.into_response(),
        };
    }
    let query =
        axum::extract::Query::<Vec<(String, String)>>::from_request_parts(&mut parts, &gw).await;
    crate::http::graphql_get(
        axum::extract::State(gw),
        axum::extract::ConnectInfo(peer),
        parts.headers,
        query,
    )
    .await
}
