//! The public GraphQL schema. Resolvers only extract arguments, call a service through its
//! interface and map errors: the rules live in the services.

pub mod analytics;
pub mod cases;
pub mod housing;
pub mod ids;
pub mod oncall;
mod reference;
mod tenants;
pub mod types;
pub mod volunteers;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{
    Context, ErrorExtensions, ID, InputObject, MergedObject, Object, OutputType, Schema,
};
use sportello_kernel::Error;
use sportello_tenancy::{self as tenancy, Page, Paged, TenancyClient};

use crate::session::Sessions;
use ids::{Kind, decode, decode_any, decode_input};
use types::*;

pub use tenants::*;

pub type GqlResult<T> = async_graphql::Result<T>;
pub type AppSchema = Schema<Query, Mutation, oncall::Subscription>;

/// The clients of the services the gateway calls, one per service.
#[derive(Clone)]
pub struct Clients {
    pub tenancy: TenancyClient,
    pub cases: sportello_cases::CasesClient,
    pub analytics: sportello_analytics::AnalyticsClient,
    pub volunteers: sportello_volunteers::VolunteersClient,
    pub housing: sportello_housing::HousingClient,
}

/// What the gateway calls, shared by every request: the services (`svc.cases`, …) and sessions.
#[derive(Clone)]
pub struct Services {
    pub clients: Clients,
    pub sessions: Sessions,
    /// The console's public address (`GatewayConfig::public_url`).
    pub public_url: Option<String>,
    /// Live notices from the services, for subscriptions.
    pub live: sportello_kernel::live::Live,
}

impl std::ops::Deref for Services {
    type Target = Clients;

    fn deref(&self) -> &Clients {
        &self.clients
    }
}

/// What the gateway knows about the current request.
#[derive(Clone)]
pub struct RequestState {
    /// The context passed to every service call.
    pub ctx: sportello_kernel::Context,
    /// The session token and its content, when signed in with a cookie.
    pub session: Option<(String, crate::session::Session)>,
    /// The client address, for sign-in rate limits.
    pub peer: String,
    /// The API token the request came with (`Authorization: Bearer`), and its scope.
    pub token: Option<(tenancy::ApiTokenId, tenancy::ApiTokenScope)>,
    /// The browser and system the request came from ([`crate::session::device_of`]), for a
    /// session it opens.
    pub device: String,
}

/// A reason's parameters as a GraphQL value (`extensions.params`), `None` when it has none.
fn params_value(reason: &sportello_kernel::Reason) -> Option<async_graphql::Value> {
    reason
        .params()
        .and_then(|p| async_graphql::Value::from_json(serde_json::Value::Object(p)).ok())
}

/// A refused field of `extensions.fields`: its name, reason, parameters and English message.
fn field_entry(
    field: &str,
    reason: &sportello_kernel::Reason,
    message: &str,
) -> Option<async_graphql::Value> {
    let mut entry = serde_json::json!({
        "field": field,
        "reason": reason.as_str(),
        "message": message,
    });
    if let Some(params) = reason.params() {
        entry["params"] = serde_json::Value::Object(params);
    }
    async_graphql::Value::from_json(entry).ok()
}

/// Maps a service error to a GraphQL error with `extensions.code` and `extensions.reason` (with
/// `extensions.params` when the reason has parameters; and `extensions.field`; for conflicts
/// `extensions.currentVersion` or `extensions.existingId` when the service says; for an input
/// refused on several fields `extensions.fields`, a list of `{field, reason, params, message}`
/// naming every one, `extensions.field` first).
pub fn to_gql(err: Error) -> async_graphql::Error {
    async_graphql::Error::new(err.message.clone()).extend_with(|_, ext| {
        ext.set("code", err.code.as_str());
        ext.set("reason", err.reason.as_str());
        if let Some(params) = params_value(&err.reason) {
            ext.set("params", params);
        }
        if let Some(field) = &err.field {
            ext.set("field", field.as_str());
        }
        match &err.detail {
            Some(sportello_kernel::ErrorDetail::CurrentVersion(version)) => {
                ext.set("currentVersion", *version);
            }
            Some(sportello_kernel::ErrorDetail::Existing { object, id }) => {
                if let Some(global) = ids::encode_named(object, *id) {
                    ext.set("existingId", global.0);
                }
            }
            // Every refused field with its message, the error's own first.
            Some(sportello_kernel::ErrorDetail::AlsoInvalid(others)) => {
                let own = field_entry(
                    err.field.as_deref().unwrap_or_default(),
                    &err.reason,
                    &err.message,
                );
                let mut fields: Vec<_> = own.into_iter().collect();
                fields.extend(
                    others
                        .iter()
                        .filter_map(|o| field_entry(&o.field, &o.reason, &o.message)),
                );
                ext.set("fields", async_graphql::Value::List(fields));
            }
            None => {}
        }
    })
}

pub trait IntoGql<T> {
    fn gql(self) -> GqlResult<T>;
}

impl<T> IntoGql<T> for Result<T, Error> {
    fn gql(self) -> GqlResult<T> {
        self.map_err(to_gql)
    }
}

pub fn services<'a>(ctx: &'a Context<'_>) -> GqlResult<(&'a Services, &'a RequestState)> {
    let svc = ctx.data::<Services>()?;
    let rc = ctx.data::<RequestState>()?;
    Ok((svc, rc))
}

fn page(first: Option<i32>, after: Option<String>) -> GqlResult<Page> {
    let first = match first {
        None => 20,
        Some(n) if (1..=100).contains(&n) => n as u32,
        Some(_) => {
            return Err(to_gql(
                Error::on(
                    "first",
                    sportello_kernel::Reason::OutOfRange { min: 1, max: 100 },
                )
                .saying("ask for between 1 and 100 items"),
            ));
        }
    };
    let after = after
        .map(|c| {
            c.parse::<uuid::Uuid>()
                .map_err(|_| to_gql(Error::on("after", sportello_kernel::Reason::NotACursor)))
        })
        .transpose()?;
    Ok(Page { first, after })
}

/// A count typed as `Int` (minutes, weeks, hours, a month or a day number) for a service that takes
/// it unsigned. A negative one reaches the service as 0, which every such rule refuses with
/// `INVALID_INPUT` naming its field (an unsigned GraphQL input would fail to parse, naming none).
fn count(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

/// Reads a page request (`first`, `after`), lets `fetch` read that page from a service, and
/// returns it as a Relay connection of `node`s keyed by `cursor`. A request type with filters is
/// built first with `Page::default()` and completed in `fetch` (`Request { page, ..req }`).
async fn paginate<T, N, Fut>(
    first: Option<i32>,
    after: Option<String>,
    fetch: impl FnOnce(Page) -> Fut,
    cursor: impl Fn(&T) -> uuid::Uuid,
    node: impl Fn(T) -> N,
) -> GqlResult<Connection<String, N>>
where
    N: OutputType,
    Fut: std::future::Future<Output = sportello_kernel::Result<Paged<T>>>,
{
    let page = page(first, after)?;
    let had_cursor = page.after.is_some();
    let paged = fetch(page).await.gql()?;
    Ok(connection(paged, had_cursor, cursor, node))
}

fn connection<T, N: OutputType>(
    paged: Paged<T>,
    had_cursor: bool,
    cursor: impl Fn(&T) -> uuid::Uuid,
    node: impl Fn(T) -> N,
) -> Connection<String, N> {
    let mut conn = Connection::new(had_cursor, paged.has_next_page);
    conn.edges.extend(
        paged
            .items
            .into_iter()
            .map(|item| Edge::new(cursor(&item).to_string(), node(item))),
    );
    conn
}

/// The whole query root.
#[derive(MergedObject, Default)]
pub struct Query(
    TenancyQuery,
    cases::CasesQuery,
    analytics::AnalyticsQuery,
    reference::ReferenceQuery,
    volunteers::VolunteersQuery,
    housing::HousingQuery,
    oncall::OnCallQuery,
    TokensQuery,
    OidcQuery,
);

/// The whole mutation root.
#[derive(MergedObject, Default)]
pub struct Mutation(
    TenancyMutation,
    cases::CasesMutation,
    analytics::AnalyticsMutation,
    volunteers::VolunteersMutation,
    housing::HousingMutation,
    oncall::OnCallMutation,
    TokensMutation,
    OidcMutation,
);

/// Limits applied to every operation.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Deepest nesting of selections.
    pub depth: usize,
    /// Highest cost (see [`crate::cost`]: pages multiply what they select).
    pub complexity: usize,
    pub aliases: usize,
    pub batch: usize,
    pub recursive_depth: usize,
    /// Operations one user (or one client address when signed out) may run at once.
    pub concurrent_per_user: usize,
    /// How long an operation waits for one of its user's slots before `RATE_LIMITED`.
    pub queue_wait: std::time::Duration,
    /// Time budget of a query; past it the answer is `TIMEOUT`. Mutations run to their end.
    pub query_timeout: std::time::Duration,
}

/// The deepest nesting an introspection-only query may have. GraphiQL's introspection query
/// (graphql-js `getIntrospectionQuery`, type references 9 levels deep) nests 14 levels; a data
/// query keeps [`Limits::depth`].
pub const INTROSPECTION_DEPTH: usize = 15;

/// The schema that answers introspection-only queries: the same schema and limits, but nesting
/// up to [`INTROSPECTION_DEPTH`]. Built only where introspection is on.
pub fn build_for_introspection(services: Services, limits: &Limits) -> AppSchema {
    let limits = Limits {
        depth: limits.depth.max(INTROSPECTION_DEPTH),
        ..limits.clone()
    };
    build(services, &limits, true)
}

/// Builds the schema with its limits.
pub fn build(services: Services, limits: &Limits, introspection: bool) -> AppSchema {
    let mut builder = Schema::build(Query::default(), Mutation::default(), oncall::Subscription)
        .data(services)
        .limit_depth(limits.depth)
        .extension(crate::cost::CostLimit {
            limit: limits.complexity,
        })
        .limit_recursive_depth(limits.recursive_depth)
        .limit_directives(10);
    if !introspection {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The schema in SDL, as committed in `graphql/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), oncall::Subscription)
        .finish()
        .sdl()
}
