//! The composition root: builds the `sportello` binary's processes from configuration. One
//! binary, roles by configuration: every role in one process on embedded defaults, or one role per
//! process on PostgreSQL and Redis.

#[macro_use]
mod roles;
pub mod config;
pub mod headers;
pub mod ops;
pub mod retention;
pub mod telemetry;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use sportello_analytics::{AnalyticsClient, AnalyticsService, DisclosureParams};
use sportello_cases::relay::Relay;
use sportello_cases::{CasesClient, CasesService};
use sportello_graphql::{Clients, Gateway, GatewayConfig, Limits, SessionSettings};
use sportello_housing::{HousingClient, HousingService};
use sportello_kernel::bus::{RedisStream, Sink};
use sportello_kernel::cache::Cache;
use sportello_kernel::db::{Db, StoreConfig};
use sportello_kernel::rpc::{HttpTransport, InternalKeys, ServiceClient};
use sportello_kernel::{Access, Context, secret};
use sportello_tenancy::{TenancyClient, TenancyService};
use sportello_volunteers::{VolunteersClient, VolunteersService};
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

pub use config::Config;

/// mimalloc rather than the C library's allocator, for every binary built on this crate (the
/// server, the benchmarks, the tests): the request path allocates for HTTP, GraphQL, JSON and the
/// driver's rows, and glibc's allocator took about 18% of the server's CPU per case read
/// (`perf`, docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// The services this binary hosts, in start-up order (a service after those it calls). A row
// yields the process role, its name in `--roles` and in `services.<name>.url`, and the services
// it calls; `Wiring::client` then builds its client generically.
services! {
    /// Tenants, territories, desks, users, memberships, the directory.
    Tenancy = "tenancy", calls [], bus false;
    /// The register of active citizens, tasks and hours, training, pacts; publishes events.
    Volunteers = "volunteers", calls [Tenancy], bus true;
    /// Persons, cases and what happens in them, on call and procedures; publishes events. Asks
    /// the register, when it is reachable (local or `services.volunteers.url`), for volunteers
    /// who mediate in a language; without it, staff mediators only.
    Cases = "cases", calls [Tenancy], bus true;
    /// Anonymised facts from the bus, indicators, the shared dashboard.
    Analytics = "analytics", calls [Tenancy], bus true;
    /// Units and beds, the waiting list, placements and the path to autonomy; publishes events.
    Housing = "housing", calls [Tenancy, Cases], bus true;
}

/// Runs the migrations of every service this process hosts.
pub async fn migrate(config: &Config, roles: &[Role]) -> anyhow::Result<()> {
    for role in Role::SERVICES.into_iter().filter(|r| roles.contains(r)) {
        let store = store_config(config, role.name())?;
        match role {
            Role::Tenancy => Db::open::<sportello_tenancy::store::Migrator>(&store, true).await,
            Role::Cases => Db::open::<sportello_cases::store::Migrator>(&store, true).await,
            Role::Analytics => Db::open::<sportello_analytics::store::Migrator>(&store, true).await,
            Role::Volunteers => {
                Db::open::<sportello_volunteers::store::Migrator>(&store, true).await
            }
            Role::Housing => Db::open::<sportello_housing::store::Migrator>(&store, true).await,
            Role::Gateway => continue,
        }
        .map_err(anyhow_err)
        .with_context(|| format!("cannot migrate the {} store", role.name()))?;
    }
    Ok(())
}

/// Every operation of a service and who may call it, as its interface declares them.
pub fn operations(service: Role) -> &'static [(&'static str, Access)] {
    match service {
        Role::Tenancy => TenancyClient::OPERATIONS,
        Role::Cases => CasesClient::OPERATIONS,
        Role::Analytics => AnalyticsClient::OPERATIONS,
        Role::Volunteers => VolunteersClient::OPERATIONS,
        Role::Housing => HousingClient::OPERATIONS,
        Role::Gateway => &[],
    }
}

/// The process being wired: what every hosted or called service adds to it.
struct Wiring<'a> {
    config: &'a Config,
    keys: InternalKeys,
    checks: Vec<ops::Check>,
    app: Router,
}

impl Wiring<'_> {
    /// The client of one service, built the same way for every service: over the implementation
    /// when this process hosts it (whose router then serves other processes, given an internal
    /// secret), otherwise over HTTP to `services.<name>.url` with a readiness check. `None` when
    /// the service is neither here nor configured (validation has refused that if it is needed).
    fn client<C: ServiceClient>(
        &mut self,
        local: Option<Arc<C::Service>>,
    ) -> anyhow::Result<Option<C>> {
        if let Some(service) = local {
            if self.config.internal_secret.is_some() {
                let router = C::router(service.clone(), self.keys.clone());
                self.app = std::mem::take(&mut self.app).merge(router);
            }
            return Ok(Some(C::local(service)));
        }
        let Some(url) = Role::parse(C::NAME).and_then(|r| self.config.service_url(r)) else {
            return Ok(None);
        };
        let client =
            C::remote(HttpTransport::new(url, C::NAME, self.keys.clone()).map_err(anyhow_err)?);
        let remote = client.clone();
        self.checks
            .push(ops::Check::new(format!("{}_service", C::NAME), move || {
                let remote = remote.clone();
                async move { remote.check_ready(Context::anonymous("readyz")).await }
            }));
        Ok(Some(client))
    }
}

/// Walks every tenant's audit chain in the cases store. Run as the database owner (or a role
/// with BYPASSRLS) so that every tenant's entries are visible.
pub async fn verify_audit(config: &Config) -> anyhow::Result<sportello_cases::audit::Verification> {
    let db = Db::open_owner(&store_config(config, "cases")?)
        .await
        .map_err(anyhow_err)?;
    sportello_cases::audit::verify(&db)
        .await
        .map_err(anyhow_err)
}

/// Rotates the key-encryption key of each tenant given (`sportello keys rotate`): a new version
/// in the key store, then every person key of the tenant re-wrapped under it in batches, while
/// the installation keeps serving. Running processes see the new version within
/// `key_store.cache_secs`; the keys they wrap meanwhile under the previous one are re-wrapped by
/// a second pass after that time, so that when this returns every person key is wrapped under
/// the new version. Returns each tenant's rotation (the second pass's keys counted in).
pub async fn rotate_keys(
    config: &Config,
    tenants: &[sportello_kernel::TenantId],
) -> anyhow::Result<Vec<(sportello_kernel::TenantId, sportello_cases::seal::Rotation)>> {
    use sportello_cases::seal;
    let db = Db::open::<sportello_cases::store::Migrator>(&store_config(config, "cases")?, false)
        .await
        .map_err(anyhow_err)?;
    let vault = seal::Vault::new(config.keyring().map_err(anyhow::Error::msg)?);
    let mut done = Vec::new();
    for tenant in tenants {
        let rotation = seal::rotate(&db, &vault, *tenant)
            .await
            .map_err(anyhow_err)?;
        done.push((*tenant, rotation));
    }
    tokio::time::sleep(Duration::from_secs(config.key_store.cache_secs + 1)).await;
    for (tenant, rotation) in &mut done {
        rotation.rewrapped += seal::rewrap(&db, &vault, *tenant, rotation.version)
            .await
            .map_err(anyhow_err)?;
    }
    Ok(done)
}

/// The routers of one process.
pub struct App {
    /// Served on `listen`.
    pub public: Router,
    /// Served on `admin_listen`, when it is set: `/metrics`, `/healthz`, `/readyz`.
    pub admin: Option<Router>,
}

/// Builds the public router for the given roles (see [`build_app`]).
pub async fn build(config: &Config, roles: &[Role]) -> anyhow::Result<Router> {
    Ok(build_app(config, roles).await?.public)
}

/// Builds the application for the given roles: opens stores, migrates, seeds the demo, and wires
/// the gateway to the services, in-process or over HTTP.
pub async fn build_app(config: &Config, roles: &[Role]) -> anyhow::Result<App> {
    config.validate(roles).map_err(anyhow::Error::msg)?;
    let keys = InternalKeys::new(
        config
            .internal_secret
            .clone()
            .unwrap_or_else(secret::random_token)
            .as_bytes(),
    );
    let mut wiring = Wiring {
        config,
        keys,
        checks: Vec::new(),
        app: Router::new(),
    };

    let local_tenancy = if roles.contains(&Role::Tenancy) {
        let service =
            TenancyService::open(&store_config(config, "tenancy")?, config.migrate_on_start)
                .await
                .map_err(anyhow_err)
                .context("cannot open the tenancy store")?
                .with_console_url(&console_url(config)?)
                .with_keyring(config.keyring().map_err(anyhow::Error::msg)?);
        spawn_dispatcher(config, service.db())?;
        if let (Some(email), Some(password)) = (
            &config.bootstrap_admin_email,
            &config.bootstrap_admin_password,
        ) {
            service
                .bootstrap_user(email, "Platform administrator", password, true)
                .await
                .map_err(anyhow_err)
                .context("cannot create the bootstrap platform administrator")?;
        }
        if config.demo
            && sportello_tenancy::demo::seed(&service)
                .await
                .map_err(anyhow_err)?
        {
            tracing::info!("demo consortium ready: see the README for its accounts");
        }
        wiring.checks.push(database_check("tenancy", service.db()));
        let service: Arc<dyn sportello_tenancy::Tenancy> = Arc::new(service);
        Some(service)
    } else {
        None
    };
    let tenancy_client = wiring.client::<TenancyClient>(local_tenancy)?;
    let clock = config.clock();
    let retention_every = Duration::from_secs(config.retention_interval_secs.max(1));

    let bus_stream = if config.bus_is_redis(roles) && roles.iter().any(|r| r.uses_bus()) {
        let url = config.bus_redis_url().unwrap_or_default();
        let key = format!("{}{}", config.redis_prefix, config.bus_stream);
        let stream = RedisStream::connect(url, &key, "analytics")
            .await
            .map_err(anyhow_err)
            .context("cannot reach Redis for the event bus")?;
        Some(stream)
    } else {
        None
    };

    // Live notices (subscriptions): through Redis pub/sub when one is configured, so that a
    // service and a gateway in different processes meet; in process otherwise.
    let live = match config.bus_redis_url() {
        Some(url) if roles.contains(&Role::Gateway) || roles.contains(&Role::Cases) => {
            sportello_kernel::live::Live::redis(url, &config.redis_prefix)
                .await
                .map_err(anyhow_err)
                .context("cannot reach Redis for live notices")?
        }
        _ => {
            if roles.contains(&Role::Gateway) != roles.contains(&Role::Cases) {
                tracing::warn!(
                    "the gateway and the cases service run in different processes without Redis: subscriptions receive no live updates"
                );
            }
            sportello_kernel::live::Live::memory()
        }
    };

    let local_analytics = if roles.contains(&Role::Analytics) {
        let d = &config.disclosure;
        let service = AnalyticsService::open(
            &store_config(config, "analytics")?,
            config.migrate_on_start,
            DisclosureParams {
                threshold: d.threshold,
                special_threshold: d.special_threshold,
                max_noise: d.max_noise,
            },
        )
        .await
        .map_err(anyhow_err)
        .context("cannot open the analytics store")?;
        wiring
            .checks
            .push(database_check("analytics", service.db()));
        let keep = Duration::from_secs(config.processed_events_retention_hours * 3600);
        let pruner = service.clone();
        tokio::spawn(async move {
            loop {
                if let Err(err) = pruner.prune_processed(keep).await {
                    tracing::warn!(code = err.code.as_str(), "pruning processed events failed");
                }
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
        });
        let job = retention::Job {
            store: retention::Store::Facts(service.clone()),
            tenancy: tenancy_client
                .clone()
                .context("the analytics role needs the tenancy service")?,
            clock,
        };
        tokio::spawn(job.run(retention_every));
        if let Some(stream) = &bus_stream {
            let stream = stream.clone();
            let sink = service.clone();
            let consumer = format!("analytics-{}", uuid::Uuid::now_v7());
            let claim_after = Duration::from_secs(config.bus_claim_after_secs.max(1));
            tokio::spawn(async move {
                if let Err(err) = stream.consume(&consumer, &sink, 500, claim_after).await {
                    tracing::error!(code = err.code.as_str(), "event consumer stopped");
                }
            });
        }
        Some(service)
    } else {
        None
    };

    let local_volunteers = if roles.contains(&Role::Volunteers) {
        let service = VolunteersService::open(
            &store_config(config, "volunteers")?,
            config.migrate_on_start,
            tenancy_client
                .clone()
                .context("the volunteers role needs the tenancy service")?,
        )
        .await
        .map_err(anyhow_err)
        .context("cannot open the volunteers store")?
        .with_keyring(config.keyring().map_err(anyhow::Error::msg)?);
        wiring
            .checks
            .push(database_check("volunteers", service.db()));
        let sink = event_sink(&bus_stream, &local_analytics)
            .context("the volunteers role needs an event bus")?;
        let relay = Relay::new(
            service.db().clone(),
            sink,
            500,
            Duration::from_secs(config.outbox_retention_hours * 3600),
        )
        .with_clock(clock);
        tokio::spawn(relay.run(Duration::from_millis(200)));
        let service: Arc<dyn sportello_volunteers::Volunteers> = Arc::new(service);
        Some(service)
    } else {
        None
    };
    let volunteers_client = wiring.client::<VolunteersClient>(local_volunteers)?;

    let local_cases = if roles.contains(&Role::Cases) {
        let service = CasesService::open(
            &store_config(config, "cases")?,
            config.migrate_on_start,
            tenancy_client
                .clone()
                .context("the cases role needs the tenancy service")?,
            config.keyring().map_err(anyhow::Error::msg)?,
        )
        .await
        .map_err(anyhow_err)
        .context("cannot open the cases store")?
        .with_live(live.clone())
        .with_volunteers(volunteers_client.clone());
        wiring.checks.push(database_check("cases", service.db()));
        spawn_dispatcher(config, service.db())?;
        let reminders = sportello_cases::reminders::Reminders::new(
            service.clone(),
            tenancy_client
                .clone()
                .context("the cases role needs the tenancy service")?,
        )
        .with_clock(clock);
        tokio::spawn(reminders.run(Duration::from_secs(config.messages.interval_secs.max(1))));
        let sink = event_sink(&bus_stream, &local_analytics)
            .context("the cases role needs an event bus")?;
        let relay = Relay::new(
            service.db().clone(),
            sink,
            500,
            Duration::from_secs(config.outbox_retention_hours * 3600),
        )
        .with_clock(clock);
        let job = retention::Job {
            store: retention::Store::Outbox(relay.clone()),
            tenancy: tenancy_client
                .clone()
                .context("the cases role needs the tenancy service")?,
            clock,
        };
        tokio::spawn(job.run(retention_every));
        let job = retention::Job {
            store: retention::Store::ClosedCases(service.clone()),
            tenancy: tenancy_client
                .clone()
                .context("the cases role needs the tenancy service")?,
            clock,
        };
        tokio::spawn(job.run(retention_every));
        tokio::spawn(relay.run(Duration::from_millis(200)));
        let sealer = sportello_cases::audit::Sealer::new(
            service.db().clone(),
            sportello_cases::audit::SEAL_BATCH,
        );
        tokio::spawn(sealer.run(Duration::from_millis(500)));
        tokio::spawn(sportello_cases::rekey::run(service.db().clone()));
        tokio::spawn(sportello_cases::seal::run(
            service.db().clone(),
            service.vault().clone(),
        ));
        let service: Arc<dyn sportello_cases::Cases> = Arc::new(service);
        Some(service)
    } else {
        None
    };
    let cases_client = wiring.client::<CasesClient>(local_cases)?;

    let local_housing = if roles.contains(&Role::Housing) {
        let service = HousingService::open(
            &store_config(config, "housing")?,
            config.migrate_on_start,
            tenancy_client
                .clone()
                .context("the housing role needs the tenancy service")?,
            cases_client
                .clone()
                .context("the housing role needs the cases service")?,
        )
        .await
        .map_err(anyhow_err)
        .context("cannot open the housing store")?
        .with_keyring(config.keyring().map_err(anyhow::Error::msg)?);
        wiring.checks.push(database_check("housing", service.db()));
        let sink = event_sink(&bus_stream, &local_analytics)
            .context("the housing role needs an event bus")?;
        let relay = Relay::new(
            service.db().clone(),
            sink,
            500,
            Duration::from_secs(config.outbox_retention_hours * 3600),
        )
        .with_clock(clock);
        tokio::spawn(relay.run(Duration::from_millis(200)));
        let service: Arc<dyn sportello_housing::Housing> = Arc::new(service);
        Some(service)
    } else {
        None
    };
    let housing_client = wiring.client::<HousingClient>(local_housing)?;
    let local_analytics =
        local_analytics.map(|s| -> Arc<dyn sportello_analytics::Analytics> { Arc::new(s) });
    let analytics_client = wiring.client::<AnalyticsClient>(local_analytics)?;

    let Wiring {
        mut checks,
        mut app,
        ..
    } = wiring;
    if roles.contains(&Role::Gateway) {
        let cache = match &config.redis_url {
            Some(url) => Cache::redis(url, &config.redis_prefix)
                .await
                .map_err(anyhow_err)
                .context("cannot reach Redis")?,
            None => Cache::memory(),
        };
        let cases = cases_client.context("the gateway needs the cases service")?;
        let analytics = analytics_client.context("the gateway needs the analytics service")?;
        let volunteers = volunteers_client.context("the gateway needs the volunteers service")?;
        let housing = housing_client.context("the gateway needs the housing service")?;
        let check_cache = cache.clone();
        checks.push(ops::Check::new("cache", move || {
            let cache = check_cache.clone();
            async move { cache.ping().await }
        }));
        let gateway_config = GatewayConfig {
            limits: Limits {
                depth: config.limits.depth,
                complexity: config.limits.complexity,
                aliases: config.limits.aliases,
                batch: config.limits.batch,
                recursive_depth: 32,
                concurrent_per_user: config.limits.concurrent_per_user,
                queue_wait: std::time::Duration::from_millis(config.limits.queue_wait_ms),
                query_timeout: std::time::Duration::from_millis(config.limits.query_timeout_ms),
            },
            introspection: config.introspection_enabled(),
            public_url: config.public_base().map_err(anyhow::Error::msg)?,
            session: SessionSettings {
                ttl: Duration::from_secs(config.session_ttl_secs),
                cookie_secure: config.cookie_secure_enabled(),
                max_failures_per_account: config.login_max_failures_per_account,
                max_failures_per_address: config.login_max_failures_per_address,
                failure_window: Duration::from_secs(config.login_failure_window_secs),
            },
            trusted_proxies: config.proxies().map_err(anyhow::Error::msg)?,
            clock,
        };
        let tenancy = tenancy_client.context("the gateway needs the tenancy service")?;
        let clients = Clients {
            tenancy,
            cases,
            analytics,
            volunteers,
            housing,
        };
        let gateway = Gateway::new(&gateway_config, clients, cache, live.clone());
        app = app.merge(gateway.router());
        if config.graphiql_enabled() {
            // GraphiQL is bundled with the console (`web/graphiql.html`), so that the page loads
            // nothing from another host; without a built console it is a 404.
            app = app.route_service(
                "/graphiql",
                ServeFile::new(config.web_dir.join("graphiql.html")),
            );
        }
        let index = config.web_dir.join("index.html");
        if index.is_file() {
            // The server's own pages are never the console's: where they are not served they
            // are a 404, not the console's index (which would answer 200).
            let not_found = || async { axum::http::StatusCode::NOT_FOUND };
            if !config.graphiql_enabled() {
                app = app.route("/graphiql", axum::routing::any(not_found));
            }
            if !config.metrics_on_public_port() {
                app = app.route("/metrics", axum::routing::any(not_found));
            }
            // The console is a single-page application: paths it routes itself get its index.
            // A path no file system could name (a segment longer than a file name may be) is
            // one of those too, rather than an error of the file lookup.
            let console = Router::new()
                .fallback_service(ServeDir::new(&config.web_dir).fallback(ServeFile::new(index)))
                .layer(axum::middleware::map_request(unnameable_paths_to_index));
            app = app.fallback_service(console);
        } else {
            tracing::info!(
                "no built web console found; /graphql only (build it with `npm run build` in web/)"
            );
        }
    }

    if !config.metrics_on_public_port() && config.admin_listen.is_none() {
        tracing::info!("/metrics is not served: set admin_listen to serve it on its own port");
    }
    let security = headers::SecurityHeaders {
        hsts: config.hsts_enabled(),
        graphiql: roles.contains(&Role::Gateway) && config.graphiql_enabled(),
    };
    let admin = config.admin_listen.as_ref().map(|_| {
        ops::router(checks.clone(), true).layer(axum::middleware::from_fn_with_state(
            security,
            headers::layer,
        ))
    });
    let app = app
        .merge(ops::router(checks, config.metrics_on_public_port()))
        .layer(DefaultBodyLimit::max(1 << 20))
        .layer(
            // The span names the method and the route template only, never the path asked for
            // or its query string: either may carry personal data (a codice fiscale in a
            // mistyped address). What no route matched is `unmatched`.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let request_id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                let route = req
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map_or("unmatched", axum::extract::MatchedPath::as_str);
                tracing::info_span!("http", method = %req.method(), route, request_id)
            }),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        // Outermost, so that every response gets the headers, rejections and fallbacks too.
        .layer(axum::middleware::from_fn_with_state(
            security,
            headers::layer,
        ));
    Ok(App { public: app, admin })
}

/// Serves the application on a bound listener until `shutdown` completes.
pub async fn serve(
    app: Router,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

fn store_config(config: &Config, service: &str) -> anyhow::Result<StoreConfig> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
    }
    Ok(StoreConfig {
        url: config.database_url_for(service),
        schema: service.to_owned(),
        app_role: config.database_app_role.clone(),
        app_password: config.database_app_password.clone(),
        max_connections: config.database_max_connections,
    })
}

/// The console's address for links in e-mails: `public_url`, else the address it listens on.
fn console_url(config: &Config) -> anyhow::Result<String> {
    Ok(match config.public_base().map_err(anyhow::Error::msg)? {
        Some(url) => url,
        None => format!("http://{}", config.listen),
    })
}

/// Delivers the messages queued in a store (`sportello_kernel::messages`) from this process.
fn spawn_dispatcher(config: &Config, db: &sportello_kernel::db::Db) -> anyhow::Result<()> {
    let transports = config.messages.transports().map_err(anyhow::Error::msg)?;
    let dispatcher = sportello_kernel::messages::Dispatcher::new(db.clone(), transports)
        .with_clock(config.clock())
        .with_retry_base(Duration::from_secs(config.messages.retry_base_secs.max(1)));
    tokio::spawn(dispatcher.run(Duration::from_secs(config.messages.interval_secs.max(1))));
    Ok(())
}

/// Where a producing service's relay hands its events: the Redis stream when the bus is Redis,
/// else the analytics service of this process; `None` when there is neither.
fn event_sink(
    stream: &Option<RedisStream>,
    analytics: &Option<AnalyticsService>,
) -> Option<Arc<dyn Sink>> {
    match (stream, analytics) {
        (Some(stream), _) => Some(Arc::new(stream.clone())),
        (None, Some(analytics)) => Some(Arc::new(analytics.clone())),
        (None, None) => None,
    }
}

/// Longest file name the console's files can have (`NAME_MAX` of Linux file systems, bytes).
const MAX_FILE_NAME: usize = 255;

/// Sends a request whose path has a segment longer than any file name to the console's index
/// (`/`): the console then routes the address itself (a verification code far too long is
/// refused on its page) instead of the file lookup failing with "File name too long".
async fn unnameable_paths_to_index(mut req: axum::extract::Request) -> axum::extract::Request {
    if req
        .uri()
        .path()
        .split('/')
        .any(|segment| segment.len() > MAX_FILE_NAME)
    {
        *req.uri_mut() = axum::http::Uri::from_static("/");
    }
    req
}

/// Readiness of a hosted service's store.
fn database_check(service: &'static str, db: &Db) -> ops::Check {
    let db = db.clone();
    ops::Check::new(format!("{service}_database"), move || {
        let db = db.clone();
        async move { db.ping().await }
    })
}

fn anyhow_err(err: sportello_kernel::Error) -> anyhow::Error {
    anyhow::anyhow!("{} ({})", err.message, err.code.as_str())
}
