//! The harness: starts real servers on port 0 with a fresh database (a SQLite directory, or a new
//! PostgreSQL database and a Redis key prefix of their own), and a GraphQL client that keeps its
//! cookies like a browser.

use std::net::SocketAddr;

use serde_json::{Value, json};
use sportello::{Config, Role};

pub const ADMIN_EMAIL: &str = "platform@example.org";
pub const ADMIN_PASSWORD: &str = "Torre-del-Mangia-2026";
pub const SECRET: &str = "an-internal-secret-for-tests-only-0123456789";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topology {
    /// Gateway and services in one server.
    AllInOne,
    /// The tenancy service, the cases service (with analytics, or analytics on a server of its
    /// own fed by Redis Streams when there is Redis) and the gateway on separate servers, talking
    /// HTTP/JSON.
    Distributed,
}

/// `--roles` for a process hosting every role but `excluded` (so a new service is hosted without
/// editing the tests).
pub fn roles_except(excluded: &[Role]) -> String {
    Role::ALL
        .into_iter()
        .filter(|r| !excluded.contains(r))
        .map(Role::name)
        .collect::<Vec<_>>()
        .join(",")
}

/// The PostgreSQL server tests create their databases on. Required: tests never skip it.
pub fn postgres_admin_url() -> String {
    std::env::var("SPORTELLO_TEST_POSTGRES_URL")
        .expect("SPORTELLO_TEST_POSTGRES_URL must point at a PostgreSQL server (see README: run the test command)")
}

pub fn redis_url() -> String {
    std::env::var("SPORTELLO_TEST_REDIS_URL").expect(
        "SPORTELLO_TEST_REDIS_URL must point at a Redis server (see README: run the test command)",
    )
}

/// A fresh, empty PostgreSQL database; returns its URL (as the owner).
pub async fn fresh_postgres_database() -> String {
    use sea_orm::{ConnectionTrait, Database};
    let admin = postgres_admin_url();
    let name = format!("sportello_test_{}", uuid::Uuid::new_v4().simple());
    let conn = Database::connect(&admin)
        .await
        .expect("connect to the PostgreSQL test server");
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    conn.close().await.ok();
    let mut url: reqwest::Url = admin.parse().expect("postgres url");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// The name of a database holding every service's migrations and nothing else, made once per
/// run of the tests, that [`migrated_postgres_database`] copies: a copy is much cheaper than
/// running the migrations again for each installation.
static MIGRATED_TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

/// Runs `CREATE DATABASE <name> TEMPLATE <template>`, waiting while the template still has
/// connections (a pool closing after the migrations) or another copy is being made from it.
async fn copy_database(admin: &sea_orm::DatabaseConnection, template: &str, name: &str) {
    use sea_orm::ConnectionTrait;
    for attempt in 0.. {
        match admin
            .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .await
        {
            Ok(_) => return,
            Err(err)
                if attempt < 100 && err.to_string().contains("being accessed by other users") =>
            {
                admin
                    .execute_unprepared(&format!(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE datname = '{template}' AND pid <> pg_backend_pid()"
                    ))
                    .await
                    .ok();
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(err) => panic!("copy the migrated test database: {err}"),
        }
    }
}

/// A fresh PostgreSQL database with every service's migrations applied and no data, as a new
/// installation has after its first start's migrations; returns its URL (as the owner).
pub async fn migrated_postgres_database() -> String {
    let template = MIGRATED_TEMPLATE
        .get_or_init(|| async {
            let url = fresh_postgres_database().await;
            let config = Config {
                database_url: Some(url.clone()),
                ..Config::default()
            };
            sportello::migrate(&config, &Role::ALL)
                .await
                .expect("migrate the template test database");
            url.rsplit('/').next().expect("database name").to_owned()
        })
        .await;
    let admin = sea_orm::Database::connect(&postgres_admin_url())
        .await
        .expect("connect to the PostgreSQL test server");
    let name = format!("sportello_test_{}", uuid::Uuid::new_v4().simple());
    copy_database(&admin, template, &name).await;
    admin.close().await.ok();
    let mut url: reqwest::Url = postgres_admin_url().parse().expect("postgres url");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// A configuration for one fresh installation on the backend.
pub async fn fresh_config(backend: Backend) -> (Config, Option<tempfile::TempDir>) {
    let mut config = Config {
        listen: "127.0.0.1:0".into(),
        bootstrap_admin_email: Some(ADMIN_EMAIL.into()),
        bootstrap_admin_password: Some(ADMIN_PASSWORD.into()),
        log_level: "warn".into(),
        ..Config::default()
    };
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary directory");
            config.data_dir = dir.path().to_path_buf();
            (config, Some(dir))
        }
        Backend::Postgres => {
            config.database_url = Some(migrated_postgres_database().await);
            config.redis_url = Some(redis_url());
            config.redis_prefix = format!("sportello-test-{}:", uuid::Uuid::new_v4().simple());
            // The key store of field encryption (`<data_dir>/keys`) lives apart from the
            // database, on the disk: a directory of its own for each installation.
            let dir = tempfile::tempdir().expect("temporary directory");
            config.data_dir = dir.path().to_path_buf();
            (config, Some(dir))
        }
    }
}

/// A running installation.
pub struct TestApp {
    pub url: String,
    pub config: Config,
    _dir: Option<tempfile::TempDir>,
}

impl TestApp {
    pub async fn spawn(backend: Backend, topology: Topology) -> TestApp {
        let (config, dir) = fresh_config(backend).await;
        Self::spawn_with(config, dir, topology).await
    }

    pub async fn spawn_with(
        mut config: Config,
        dir: Option<tempfile::TempDir>,
        topology: Topology,
    ) -> TestApp {
        let url = match topology {
            Topology::AllInOne => start(&config, &Role::ALL).await,
            Topology::Distributed => {
                config.internal_secret = Some(SECRET.into());
                for group in process_groups(config.redis_url.is_some()) {
                    let url = start(&config, &group).await;
                    for service in group {
                        config.set_service_url(service, url.clone());
                    }
                }
                start(&config, &[Role::Gateway]).await
            }
        };
        TestApp {
            url,
            config,
            _dir: dir,
        }
    }

    /// An installation started elsewhere (e.g. as separate processes).
    pub fn external(url: String, config: Config) -> TestApp {
        TestApp {
            url,
            config,
            _dir: None,
        }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.url)
    }

    /// A client signed in as the platform administrator.
    pub async fn platform_admin(&self) -> Client {
        let mut client = self.client();
        client.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        client
    }

    /// A new client that accepts the invitation, with the answer to check.
    pub async fn accepting(&self, token: &str, password: &str, name: &str) -> (Client, Value) {
        let mut client = self.client();
        let accepted = client.accept(token, password, name).await;
        (client, accepted)
    }

    /// A new client that accepts the invitation, which must succeed.
    pub async fn member(&self, token: &str, password: &str, name: &str) -> Client {
        let (client, accepted) = self.accepting(token, password, name).await;
        assert!(accepted.get("errors").is_none(), "{accepted}");
        client
    }

    /// The owner's connection to a service's store (`tenancy`, `cases`, `analytics`), and the
    /// prefix that names its tables on it (`cases.` on PostgreSQL, where the stores are schemas
    /// of one database).
    pub async fn store_owner(
        &self,
        backend: Backend,
        store: &str,
    ) -> (sea_orm::DatabaseConnection, String) {
        let (url, prefix) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}/{store}.db", self.config.data_dir.display()),
                String::new(),
            ),
            Backend::Postgres => (
                self.config.database_url.clone().expect("url"),
                format!("{store}."),
            ),
        };
        let conn = sea_orm::Database::connect(&url).await.expect("connect");
        (conn, prefix)
    }
}

/// The service processes of the distributed topology, in start-up order: one per service; without
/// Redis, the services on the event bus share a process and its in-process bus.
pub fn process_groups(redis: bool) -> Vec<Vec<Role>> {
    let mut groups: Vec<Vec<Role>> = Vec::new();
    for service in Role::SERVICES {
        let shared = !redis && service.uses_bus();
        match groups.iter_mut().find(|g| shared && g[0].uses_bus()) {
            Some(group) => group.push(service),
            None => groups.push(vec![service]),
        }
    }
    groups
}

async fn start(config: &Config, roles: &[Role]) -> String {
    let app = sportello::build(config, roles)
        .await
        .expect("build the application");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("address");
    tokio::spawn(sportello::serve(app, listener, std::future::pending()));
    format!("http://{addr}")
}

/// A GraphQL client that keeps cookies and echoes the CSRF token, like the console.
pub struct Client {
    pub http: reqwest::Client,
    pub url: String,
    pub csrf: Option<String>,
}

impl Client {
    pub fn new(url: &str) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("http client");
        Client {
            http,
            url: url.to_owned(),
            csrf: None,
        }
    }

    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        let mut req = self
            .http
            .post(format!("{}/graphql", self.url))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(csrf) = &self.csrf {
            req = req.header("x-csrf-token", csrf);
        }
        let resp = req.send().await.expect("request");
        resp.json().await.expect("json body")
    }

    /// Runs an operation that must succeed and returns its data.
    pub async fn ok(&self, query: &str, variables: Value) -> Value {
        let resp = self.gql(query, variables).await;
        assert!(
            resp.get("errors").is_none(),
            "unexpected errors for {query}: {resp}"
        );
        resp["data"].clone()
    }

    /// Runs an operation that must fail with `expected` as the code of its first error.
    pub async fn refused(&self, query: &str, variables: Value, expected: &str) {
        let resp = self.gql(query, variables).await;
        assert_eq!(code(&resp).as_deref(), Some(expected), "{query}: {resp}");
    }

    /// Runs an operation whose first error must be on the input field `expected`.
    pub async fn refused_on(&self, query: &str, variables: Value, expected: &str) {
        let resp = self.gql(query, variables).await;
        assert_eq!(field(&resp).as_deref(), Some(expected), "{query}: {resp}");
    }

    /// Runs an operation that must succeed and returns what its one field returns.
    pub async fn one(&self, query: &str, variables: Value) -> Value {
        let data = self.ok(query, variables).await;
        let mut fields = data.as_object().expect("data").values();
        let (Some(root), None) = (fields.next(), fields.next()) else {
            panic!("one field expected for {query}: {data}");
        };
        root.clone()
    }

    /// Runs an operation that must succeed and returns the `id` of what its one field returns.
    pub async fn id(&self, query: &str, variables: Value) -> String {
        let root = self.one(query, variables).await;
        root["id"].as_str().expect("id").to_owned()
    }

    /// Runs a query of one connection that must succeed and returns its `edges`.
    pub async fn edges(&self, query: &str, variables: Value) -> Value {
        self.one(query, variables).await["edges"].clone()
    }

    /// Invites a user into the active tenant (`input` is an `InviteUserInput`) and returns the
    /// invitation's token.
    pub async fn invite(&self, input: Value) -> String {
        self.ok(
            "mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }",
            json!({ "i": input }),
        )
        .await["inviteUser"]["token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Value {
        let resp = self
            .gql(
                "mutation($email: String!, $password: String!) { login(input: {email: $email, password: $password}) { csrfToken roles user { email } activeTenant { id name } } }",
                json!({ "email": email, "password": password }),
            )
            .await;
        if let Some(token) = resp["data"]["login"]["csrfToken"].as_str() {
            self.csrf = Some(token.to_owned());
        }
        resp
    }

    pub async fn accept(&mut self, token: &str, password: &str, name: &str) -> Value {
        let resp = self
            .gql(
                "mutation($token: String!, $password: String!, $name: String) { acceptInvitation(input: {token: $token, password: $password, displayName: $name}) { csrfToken roles user { email } activeTenant { id name } } }",
                json!({ "token": token, "password": password, "name": name }),
            )
            .await;
        if let Some(token) = resp["data"]["acceptInvitation"]["csrfToken"].as_str() {
            self.csrf = Some(token.to_owned());
        }
        resp
    }
}

/// The `extensions.code` of the first error, if any.
/// The UUID inside a Relay global id (base64url of `Kind:uuid`).
pub fn uuid_of(global_id: &str) -> uuid::Uuid {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global_id)
        .expect("id");
    let raw = String::from_utf8(raw).expect("utf8");
    raw.split_once(':').expect("kind").1.parse().expect("uuid")
}

/// A UUID as an SQL literal of the backend's column type (BLOB on SQLite, uuid on PostgreSQL).
pub fn literal(backend: Backend, id: uuid::Uuid) -> String {
    match backend {
        Backend::Sqlite => format!("X'{}'", id.simple()),
        Backend::Postgres => format!("'{id}'::uuid"),
    }
}

/// The date `days` after today (UTC) as `YYYY-MM-DD`, for dates a service refuses in the past
/// (plan review and due dates).
pub fn days_ahead(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .date_naive()
        .to_string()
}

/// 09:00 UTC on the first Monday at least `days` after today, RFC 3339: a booking ahead on a
/// working day.
pub fn monday_at_nine_ahead(days: i64) -> String {
    use chrono::Datelike;
    let mut day = (chrono::Utc::now() + chrono::Duration::days(days)).date_naive();
    while day.weekday() != chrono::Weekday::Mon {
        day = day.succ_opt().expect("a next day");
    }
    format!("{day}T09:00:00Z")
}

pub fn code(resp: &Value) -> Option<String> {
    resp["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}

/// The `extensions.field` of the first error, if any.
pub fn field(resp: &Value) -> Option<String> {
    resp["errors"][0]["extensions"]["field"]
        .as_str()
        .map(str::to_owned)
}

/// A tenant set up through the public API: its administrator and one of everything.
pub struct Seeded {
    pub admin: Client,
    pub tenant_id: String,
    pub istat_code: String,
    pub territory: String,
    pub desk: String,
    pub place: String,
    pub membership: String,
    pub invitation: String,
}

/// Onboards a tenant: created by the platform administrator, its administrator accepts the
/// invitation and adds a municipality, a desk, a place, and invites an operator (who accepts, so
/// there is a second membership) plus a pending invitation.
pub async fn seed_tenant(app: &TestApp, platform: &Client, name: &str, istat: &str) -> Seeded {
    let slug = name.to_lowercase().replace(' ', "-");
    let created = platform
        .ok(
            "mutation($input: CreateTenantInput!) { createTenant(input: $input) { tenant { id } adminInvitation { token } } }",
            json!({ "input": { "name": name, "kind": "CONSORTIUM", "adminEmail": format!("admin@{slug}.example.org") } }),
        )
        .await;
    let token = created["createTenant"]["adminInvitation"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let admin = app.member(&token, "Piazza-Grande-2026", "Admin").await;
    let territory = admin
        .id(
            "mutation($i: AddTerritoryInput!) { addTerritory(input: $i) { id } }",
            json!({ "i": { "istatCode": istat } }),
        )
        .await;
    let desk = admin
        .id(
            "mutation($i: AddDeskInput!) { addDesk(input: $i) { id } }",
            json!({ "i": { "territoryId": territory, "name": format!("Sportello {name}"), "kind": "DIFFUSE", "languages": ["it", "ar"] } }),
        )
        .await;
    let place = admin
        .id(
            "mutation($i: AddPlaceInput!) { addPlace(input: $i) { id } }",
            json!({ "i": { "deskId": desk, "name": format!("Scuola {name}"), "kind": "SCHOOL" } }),
        )
        .await;
    let op_token = admin
        .invite(json!({ "email": format!("operator@{slug}.example.org"), "roles": ["OPERATOR"] }))
        .await;
    app.member(&op_token, "Ponte-Vecchio-2026", "Operator")
        .await;
    let invitation = admin
        .ok(
            "mutation($i: InviteUserInput!) { inviteUser(input: $i) { invitation { id } } }",
            json!({ "i": { "email": format!("pending@{slug}.example.org"), "roles": ["VOLUNTEER"] } }),
        )
        .await["inviteUser"]["invitation"]["id"]
        .as_str()
        .expect("invitation id")
        .to_owned();
    let memberships = admin
        .ok(
            "{ memberships { edges { node { id userEmail } } } }",
            json!({}),
        )
        .await;
    let membership = memberships["memberships"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| {
            e["node"]["userEmail"]
                .as_str()
                .is_some_and(|m| m.starts_with("operator@"))
        })
        .map(|e| e["node"]["id"].as_str().expect("id").to_owned())
        .expect("operator membership");
    let tenant_id = created["createTenant"]["tenant"]["id"]
        .as_str()
        .expect("tenant id")
        .to_owned();
    Seeded {
        admin,
        tenant_id,
        istat_code: istat.into(),
        territory,
        desk,
        place,
        membership,
        invitation,
    }
}

/// A signed-in operator of the seeded tenant, optionally limited to some territories.
pub async fn operator(app: &TestApp, t: &Seeded, email: &str, territories: &[&str]) -> Client {
    let token = t
        .admin
        .invite(json!({ "email": email, "roles": ["OPERATOR"], "territories": territories }))
        .await;
    app.member(&token, "Sportello-Operatore-2026", "Operatore")
        .await
}

/// Onboards the tenant Alfa (municipality 052022).
pub async fn seed_alfa(app: &TestApp) -> Seeded {
    let platform = app.platform_admin().await;
    seed_tenant(app, &platform, "Alfa", "052022").await
}

/// Onboards the tenants Alfa (municipality 052022) and Beta (048017), in that order.
pub async fn seed_alfa_and_beta(app: &TestApp) -> (Seeded, Seeded) {
    let platform = app.platform_admin().await;
    let a = seed_tenant(app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(app, &platform, "Beta", "048017").await;
    (a, b)
}

/// A fresh installation with Alfa onboarded.
pub async fn spawn_alfa(backend: Backend, topology: Topology) -> (TestApp, Seeded) {
    let app = TestApp::spawn(backend, topology).await;
    let a = seed_alfa(&app).await;
    (app, a)
}

/// A fresh installation with Alfa and Beta onboarded.
pub async fn spawn_alfa_and_beta(
    backend: Backend,
    topology: Topology,
) -> (TestApp, Seeded, Seeded) {
    let app = TestApp::spawn(backend, topology).await;
    let (a, b) = seed_alfa_and_beta(&app).await;
    (app, a, b)
}

/// The usual operators of Alfa and Beta: `op@alfa.example.org` and `op@beta.example.org`.
pub async fn operators(app: &TestApp, a: &Seeded, b: &Seeded) -> (Client, Client) {
    let op_a = operator(app, a, "op@alfa.example.org", &[]).await;
    let op_b = operator(app, b, "op@beta.example.org", &[]).await;
    (op_a, op_b)
}

/// Runs a scenario as tests named after the backend and topology.
///
/// `on_backends!(scenario)` runs it on every backend in both topologies: SQLite and PostgreSQL,
/// all-in-one and distributed (the services behind the HTTP transport). A scenario that needs
/// another set lists it: `on_backends!(scenario: sqlite => (Backend::Sqlite, Topology::AllInOne))`.
#[macro_export]
macro_rules! on_backends {
    ($scenario:ident) => {
        $crate::on_backends!($scenario:
            sqlite => (Backend::Sqlite, Topology::AllInOne),
            postgres => (Backend::Postgres, Topology::AllInOne),
            sqlite_distributed => (Backend::Sqlite, Topology::Distributed),
            postgres_distributed => (Backend::Postgres, Topology::Distributed),
        );
    };
    ($scenario:ident: $($name:ident => ($backend:expr, $topology:expr)),+ $(,)?) => {
        mod $scenario {
            #[allow(unused_imports)]
            use $crate::helpers::{Backend, Topology};
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$scenario($backend, $topology).await;
                }
            )+
        }
    };
}

/// The ids of the persons a `personDuplicates` answer offers, in its order.
pub fn duplicate_ids(data: &Value) -> Vec<String> {
    data["personDuplicates"]
        .as_array()
        .expect("matches")
        .iter()
        .map(|m| m["person"]["id"].as_str().expect("id").to_owned())
        .collect()
}
