//! The gateway: the only public API. It authenticates (sessions in the cache), resolves the
//! tenant and the actor's roles, enforces limits, and calls services through their interfaces.
//! It holds no domain rules of its own.

mod batch;
pub mod certificate;
pub mod client_addr;
pub mod cost;
mod documents;
mod guard;
mod http;
mod inspect;
pub mod oidc;
pub mod schema;
pub mod session;
pub mod subject_access;
mod ws;

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
    /// The console's public address without a trailing `/` (`https://sportello.example.it`), for
    /// addresses printed on documents; `None`: paths only.
    pub public_url: Option<String>,
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
    oidc: std::sync::Arc<oidc::Providers>,
}

impl Gateway {
    pub fn new(
        config: &GatewayConfig,
        clients: Clients,
        cache: sportello_kernel::cache::Cache,
        live: sportello_kernel::live::Live,
    ) -> Self {
        let services = schema::Services {
            clients,
            sessions: Sessions::new(cache, config.session.clone()),
            public_url: config.public_url.clone(),
            live,
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
            oidc: Default::default(),
        }
    }

    /// `/graphql`. GraphiQL is a page of the web console (`web/graphiql.html`), served by the
    /// composition root when enabled.
    pub fn router(self) -> Router {
        Router::new()
            .route("/graphql", get(ws::get).post(http::graphql_post))
            .route("/auth/oidc/callback", get(oidc::callback))
            .route("/auth/oidc/{tenant}/start", get(oidc::start))
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

    fn words<T: serde::Serialize>(values: impl Iterator<Item = T>) -> Vec<String> {
        values
            .map(|v| serde_json::to_value(v).expect("serialise"))
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect()
    }

    fn ts_list(name: &str, items: &[String]) -> String {
        let body: String = items.iter().map(|i| format!("  '{i}',\n")).collect();
        format!("export const {name} = [\n{body}] as const;\n")
    }

    /// The console's list of reasons, generated like the SDL: a test fails when it is stale.
    #[test]
    fn the_console_reasons_match_the_code() {
        use sportello_kernel::ReasonCode;
        use sportello_kernel::error::{List, Object, Purpose};
        use strum::IntoEnumIterator;
        let reasons: Vec<String> = ReasonCode::all().map(|r| r.as_str().to_owned()).collect();
        let current = format!(
            "// Generated from the reasons of services/kernel/src/error.rs by\n\
             // `UPDATE_SCHEMA=1 cargo test -p sportello-graphql`: do not edit.\n\n\
             /** Every `extensions.reason` the API can answer. */\n{}\
             export type Reason = (typeof REASONS)[number];\n\n\
             /** The lists of `NOT_IN_LIST` (`params.list`). */\n{}\
             export type ReasonList = (typeof REASON_LISTS)[number];\n\n\
             /** The objects of `NO_SUCH` (`params.object`). */\n{}\
             export type ReasonObject = (typeof REASON_OBJECTS)[number];\n\n\
             /** The purposes of `CONSENT_MISSING` (`params.purpose`). */\n{}\
             export type ReasonPurpose = (typeof REASON_PURPOSES)[number];\n",
            ts_list("REASONS", &reasons),
            ts_list("REASON_LISTS", &words(List::iter())),
            ts_list("REASON_OBJECTS", &words(Object::iter())),
            ts_list("REASON_PURPOSES", &words(Purpose::iter())),
        );
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/src/api/reasons.ts");
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &current).expect("write reasons.ts");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == current,
            "web/src/api/reasons.ts is out of date: run `UPDATE_SCHEMA=1 cargo test -p sportello-graphql` and commit it"
        );
        // The generated names are the ones the API answers with.
        let too_long = sportello_kernel::Reason::TooLong { max: 3 };
        let json = serde_json::to_value(&too_long).expect("serialise");
        assert_eq!(json["reason"], too_long.as_str());
        assert!(reasons.contains(&"TOO_LONG".to_owned()));
    }

    /// Every reason is documented in docs/api.md, in its table, with the code it comes with.
    #[test]
    fn every_reason_is_documented() {
        use sportello_kernel::ReasonCode;
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md");
        let doc = std::fs::read_to_string(path).expect("read docs/api.md");
        let missing: Vec<&str> = ReasonCode::all()
            .map(ReasonCode::as_str)
            .filter(|r| !doc.lines().any(|l| l.starts_with(&format!("| `{r}` |"))))
            .collect();
        assert!(
            missing.is_empty(),
            "reasons missing from the table of docs/api.md: {missing:?}"
        );
    }
}
