//! The gateway: the only public API. It authenticates (sessions in the cache), resolves the
//! tenant and the actor's roles, enforces limits, and calls services through their interfaces.
//! It holds no domain rules of its own.

mod batch;
pub mod client_addr;
pub mod cost;
mod documents;
mod guard;
mod http;
mod inspect;
pub mod schema;
pub mod session;
pub mod subject_access;

use axum::Router;
use axum::routing::get;

pub use client_addr::{ForwardedHeader, TrustedProxies};
pub use schema::{Clients, Limits, sdl};
pub use session::{SessionSettings, Sessions};

/// Gateway settings.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    pub limits: Limits,
    pub introspection: bool,
    pub session: SessionSettings,
    /// Reverse proxies whose forwarding header names the client's address.
    pub trusted_proxies: TrustedProxies,
    /// The installation's clock, read once per request.
    pub clock: sportello_kernel::Clock,
}

/// The gateway's shared state.
#[derive(Clone)]
pub struct Gateway {
    schema: schema::AppSchema,
    /// Where introspection is on: the schema answering introspection-only queries (deeper
    /// nesting allowed, see [`schema::INTROSPECTION_DEPTH`]).
    introspection_schema: Option<schema::AppSchema>,
    services: schema::Services,
    limits: Limits,
    trusted_proxies: TrustedProxies,
    clock: sportello_kernel::Clock,
    concurrency: std::sync::Arc<http::Concurrency>,
    documents: std::sync::Arc<documents::Documents>,
}

impl Gateway {
    pub fn new(
        config: &GatewayConfig,
        clients: Clients,
        cache: sportello_kernel::cache::Cache,
    ) -> Self {
        let services = schema::Services {
            clients,
            sessions: Sessions::new(cache, config.session.clone()),
        };
        let schema = schema::build(services.clone(), &config.limits, config.introspection);
        let introspection_schema = config
            .introspection
            .then(|| schema::build_for_introspection(services.clone(), &config.limits));
        Self {
            schema,
            introspection_schema,
            services,
            limits: config.limits.clone(),
            trusted_proxies: config.trusted_proxies.clone(),
            clock: config.clock,
            concurrency: Default::default(),
            documents: Default::default(),
        }
    }

    /// `/graphql`. GraphiQL is a page of the web console (`web/graphiql.html`), served by the
    /// composition root when enabled.
    pub fn router(self) -> Router {
        Router::new()
            .route("/graphql", get(http::graphql_get).post(http::graphql_post))
            .with_state(self)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_sdl_matches_the_code() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
        let current = crate::sdl();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &current).expect("write schema.graphql");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == current,
            "graphql/schema.graphql is out of date: run `UPDATE_SCHEMA=1 cargo test -p sportello-graphql` and commit it"
        );
    }
}
