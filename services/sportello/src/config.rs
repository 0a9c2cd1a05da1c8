//! Configuration: compiled-in defaults, then an optional TOML file, then `SPORTELLO_*` environment
//! variables (nested keys with `__`, e.g. `SPORTELLO_LIMITS__DEPTH`), then validation that fails
//! fast with a clear message. The `///` text of each field is the operator's reference, mirrored
//! in `docs/configuration.md`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use sportello_graphql::{ForwardedHeader, TrustedProxies};

use crate::Role;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port the HTTP server listens on.
    pub listen: String,
    /// Directory for the embedded SQLite databases (one file per service).
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`. Unset: SQLite files under `data_dir`. On PostgreSQL this
    /// user owns the schemas and runs migrations; requests are served as `database_app_role`.
    pub database_url: Option<String>,
    /// PostgreSQL role that serves requests: neither owner nor superuser, so row-level security
    /// applies. Created by the migrations if missing.
    pub database_app_role: String,
    /// Password of `database_app_role`, if the server requires one.
    pub database_app_password: Option<String>,
    /// Largest number of pooled connections per service.
    pub database_max_connections: u32,
    /// Run migrations when a service starts (always on for `sportello migrate`).
    pub migrate_on_start: bool,
    /// `redis://…` for the cache (sessions, rate limits). Unset: in-memory.
    pub redis_url: Option<String>,
    /// Prefix of every Redis key, so installations can share a Redis.
    pub redis_prefix: String,
    /// OTLP/HTTP collector for traces, e.g. `http://127.0.0.1:4318` (the standard
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` variable). Unset: no export.
    pub otel_exporter_otlp_endpoint: Option<String>,
    /// Service name reported in traces.
    pub otel_service_name: String,
    /// `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// Log filter in `tracing` syntax, e.g. `info` or `info,sportello_tenancy=debug`.
    pub log_level: String,
    /// `development` or `production`; production turns off GraphiQL and introspection and makes
    /// cookies `Secure` unless set otherwise.
    pub profile: Profile,
    /// Serve GraphiQL at `/graphiql`. Default: on in development only.
    pub graphiql: Option<bool>,
    /// Answer introspection queries. Default: on in development only.
    pub introspection: Option<bool>,
    /// Mark session cookies `Secure` (HTTPS only). Default: on in production only.
    pub cookie_secure: Option<bool>,
    /// Shared secret (at least 32 characters) that signs calls between the gateway and services.
    /// Required when roles run in separate processes; in one process a random one is used.
    pub internal_secret: Option<String>,
    /// Per service (`tenancy`, `cases`, `analytics`): `url`, the base URL where a process that
    /// does not run the service reaches it, e.g. `[services.cases] url = "http://cases:8082"` or
    /// `SPORTELLO_SERVICES__CASES__URL`.
    pub services: BTreeMap<String, ServiceSettings>,
    /// Same as `services.tenancy.url` (older name, kept for existing deployments).
    pub tenancy_url: Option<String>,
    /// Same as `services.cases.url` (older name, kept for existing deployments).
    pub cases_url: Option<String>,
    /// On a fresh installation, create the demo consortium and its documented accounts.
    pub demo: bool,
    /// For tests only (refused by release builds): the instant the installation's clock starts
    /// at, RFC 3339 (`2026-11-30T23:00:40Z`); it then runs at the system clock's pace. Every
    /// request reads "now" from it: days and months of facts, default periods, bookings.
    pub clock_start: Option<chrono::DateTime<chrono::Utc>>,
    /// E-mail of a platform administrator to create at start-up if missing (first installation).
    pub bootstrap_admin_email: Option<String>,
    /// That administrator's initial password; change it after the first sign-in.
    pub bootstrap_admin_password: Option<String>,
    /// Idle lifetime of a browser session, in seconds.
    pub session_ttl_secs: u64,
    /// Failed sign-ins allowed per account within the window.
    pub login_max_failures_per_account: u64,
    /// Failed sign-ins allowed per client address within the window.
    pub login_max_failures_per_address: u64,
    /// Reverse proxies (CIDRs like `10.0.0.0/8`, or single addresses) whose
    /// `trusted_proxy_header` names the client's address. A request from any other peer is its
    /// own client, whatever headers it sends. Default: none (the binary faces clients directly).
    pub trusted_proxies: Vec<String>,
    /// The header the trusted proxies write: `x-forwarded-for` or `forwarded` (RFC 7239). Only
    /// this one is read; make the proxy overwrite or append to it.
    pub trusted_proxy_header: ProxyHeader,
    /// Send `Strict-Transport-Security` (the installation is reached over HTTPS only). Default:
    /// on in production only.
    pub hsts: Option<bool>,
    /// Address and port of a second listener for `/metrics` (with `/healthz` and `/readyz`),
    /// e.g. `0.0.0.0:9090` reachable by Prometheus only. When set, `/metrics` leaves the public
    /// port; unset, it is served on the public port in development and not at all in production.
    pub admin_listen: Option<String>,
    /// Window of the sign-in failure counters, in seconds.
    pub login_failure_window_secs: u64,
    /// Limits on GraphQL operations.
    pub limits: LimitsConfig,
    /// Same as `services.analytics.url` (older name, kept for existing deployments).
    pub analytics_url: Option<String>,
    /// How events go from the cases outbox to analytics: `auto` (in process when both roles run
    /// here, Redis Streams otherwise), `in-process`, or `redis`.
    pub bus: BusKind,
    /// Redis of the event bus, when it is not `redis_url` (e.g. a persistent one, while the cache
    /// Redis keeps nothing on disk).
    pub bus_redis_url: Option<String>,
    /// Name of the Redis Stream of events (under `redis_prefix`).
    pub bus_stream: String,
    /// Seconds after which events delivered to a consumer that never acknowledged them (it
    /// stopped) are taken over by another one.
    pub bus_claim_after_secs: u64,
    /// Hours published events stay in the cases outbox before they are deleted.
    pub outbox_retention_hours: u64,
    /// Hours analytics remembers processed event ids (its guard against redelivery); keep it
    /// longer than `outbox_retention_hours`.
    pub processed_events_retention_hours: u64,
    /// Seconds between passes of the retention job (each tenant's schedule: analytics facts in
    /// the analytics process, published outbox events in the cases process). Default 3600.
    pub retention_interval_secs: u64,
    /// Statistical disclosure control of the shared dashboard.
    pub disclosure: DisclosureConfig,
    /// Where e-mails and SMS go (invitations, password resets, appointment reminders).
    pub messages: MessagesConfig,
    /// Where the tenants' keys of field encryption live: never in a service's database
    /// (docs/privacy.md, "At rest").
    pub key_store: KeyStoreConfig,
    /// Directory of the built web console (`npm run build` in `web/`), served at `/` by the
    /// gateway. Ignored when it holds no `index.html`.
    pub web_dir: PathBuf,
    /// The address people reach the console at (`https://sportello.comune.example.it`, scheme
    /// and host, optionally a path prefix), printed where a reader outside the console needs the
    /// whole address: the verification page on a certificate of attendance. Unset: only the
    /// path (`/verifica/<code>`) is printed.
    pub public_url: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Deepest nesting of selections.
    pub depth: usize,
    /// Highest cost of an operation: one per field, a page multiplies what it selects by its
    /// size (`first`, 20 when absent), reading a person's record costs 20 more. The console's
    /// case page costs 4,128 (`cargo test -p sportello-graphql console -- --nocapture` lists them all).
    pub complexity: usize,
    /// Most aliases in one document.
    pub aliases: usize,
    /// Most operations in one batched request.
    pub batch: usize,
    /// Operations one user (or one client address when signed out) may run at once in a
    /// gateway process; more wait.
    pub concurrent_per_user: usize,
    /// Milliseconds an operation waits for one of its user's slots before `RATE_LIMITED`.
    pub queue_wait_ms: u64,
    /// Milliseconds a query may run before it is answered with `TIMEOUT` (mutations run to
    /// their end).
    pub query_timeout_ms: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BusKind {
    Auto,
    InProcess,
    Redis,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DisclosureConfig {
    /// Cells counting 1 to threshold − 1 people are suppressed.
    pub threshold: u64,
    /// The threshold of special-category cells (health, legal status).
    pub special_threshold: u64,
    /// Largest noise added to a published count by cell-key perturbation.
    pub max_noise: u64,
}

impl Default for DisclosureConfig {
    fn default() -> Self {
        Self {
            threshold: 5,
            special_threshold: 10,
            max_noise: 2,
        }
    }
}

/// Where messages go. With no `smtp_url` e-mails wait (`PENDING`) until one is set; with no
/// `sms_url` SMS wait likewise. Nothing is dropped.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MessagesConfig {
    /// `smtp://host:port` (STARTTLS when the server offers it), `smtps://host:port` (implicit
    /// TLS), `smtp://user:password@host:port` for a server that asks for credentials.
    /// `SPORTELLO_MESSAGES__SMTP_URL`.
    pub smtp_url: Option<String>,
    /// The sender of e-mails. `SPORTELLO_MESSAGES__FROM`.
    pub from: String,
    /// The SMS provider's endpoint: `POST` of `{"to", "text"}` as JSON (docs/configuration.md).
    /// `SPORTELLO_MESSAGES__SMS_URL`.
    pub sms_url: Option<String>,
    /// Sent as `Authorization: Bearer` to the SMS provider. `SPORTELLO_MESSAGES__SMS_TOKEN`.
    pub sms_token: Option<String>,
    /// Seconds between passes of the dispatcher and of the reminder scan when idle. Default 5.
    pub interval_secs: u64,
    /// Seconds before the first retry of a message that failed for a temporary reason (the
    /// server down); each later retry waits twice as long, at most an hour. Default 30.
    pub retry_base_secs: u64,
}

impl Default for MessagesConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "Sportello <noreply@sportello.invalid>".to_owned(),
            sms_url: None,
            sms_token: None,
            interval_secs: 5,
            retry_base_secs: 30,
        }
    }
}

impl std::fmt::Debug for MessagesConfig {
    // The SMTP address may carry credentials and the SMS token is a secret: neither is printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessagesConfig")
            .field("smtp", &self.smtp_url.is_some())
            .field("from", &self.from)
            .field("sms", &self.sms_url.is_some())
            .field("interval_secs", &self.interval_secs)
            .field("retry_base_secs", &self.retry_base_secs)
            .finish()
    }
}

impl MessagesConfig {
    /// The transports configured; an error names the setting at fault.
    pub fn transports(&self) -> Result<sportello_kernel::messages::Transports, String> {
        use sportello_kernel::messages::{HttpSms, SmtpMailer, Transports};
        let email = match &self.smtp_url {
            Some(url) => Some(std::sync::Arc::new(SmtpMailer::new(url, &self.from)?) as _),
            None => None,
        };
        let sms = match &self.sms_url {
            Some(url) => Some(std::sync::Arc::new(HttpSms::new(url, self.sms_token.clone())?) as _),
            None => None,
        };
        Ok(Transports { email, sms })
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KeyStoreConfig {
    /// `file`: a directory of key files; `memory`: in the process only, lost when it ends, and
    /// with them every sealed value (tests and throwaway demos only).
    pub kind: KeyStoreKind,
    /// Directory of the file key store; unset: `<data_dir>/keys`. Every process running the
    /// cases role must see the same directory (a shared volume), and backups of it must be kept
    /// apart from the database's.
    pub dir: Option<PathBuf>,
    /// Base64 of 32 random bytes (`head -c32 /dev/urandom | base64`) that seals every key file
    /// (`SPORTELLO_KEY_STORE__MASTER_KEY`, from a secret manager, not the same disk). Unset: the
    /// files hold the raw keys, protected by their permissions (directory 0700, files 0600).
    /// Once files are sealed with it, it cannot be dropped.
    pub master_key: Option<MasterKey>,
    /// Seconds a process keeps a tenant's keys in memory before reading them again; a rotation
    /// made by another process (`sportello keys rotate`) is seen within this time. Default 60.
    pub cache_secs: u64,
}

impl Default for KeyStoreConfig {
    fn default() -> Self {
        Self {
            kind: KeyStoreKind::File,
            dir: None,
            master_key: None,
            cache_secs: 60,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyStoreKind {
    File,
    Memory,
}

/// The key store's master key, as configured (base64); never printed.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MasterKey(pub String);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProxyHeader {
    XForwardedFor,
    Forwarded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Development,
    Production,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: "./data".into(),
            database_url: None,
            database_app_role: "sportello_app".into(),
            database_app_password: None,
            database_max_connections: 10,
            migrate_on_start: true,
            redis_url: None,
            redis_prefix: "sportello:".into(),
            otel_exporter_otlp_endpoint: None,
            otel_service_name: "sportello".into(),
            log_format: LogFormat::Text,
            log_level: "info".into(),
            profile: Profile::Development,
            graphiql: None,
            introspection: None,
            cookie_secure: None,
            internal_secret: None,
            services: BTreeMap::new(),
            tenancy_url: None,
            cases_url: None,
            demo: false,
            clock_start: None,
            bootstrap_admin_email: None,
            bootstrap_admin_password: None,
            session_ttl_secs: 8 * 3600,
            login_max_failures_per_account: 5,
            login_max_failures_per_address: 50,
            trusted_proxies: Vec::new(),
            trusted_proxy_header: ProxyHeader::XForwardedFor,
            hsts: None,
            admin_listen: None,
            login_failure_window_secs: 15 * 60,
            limits: LimitsConfig::default(),
            web_dir: "./web/dist".into(),
            public_url: None,
            analytics_url: None,
            bus: BusKind::Auto,
            bus_redis_url: None,
            bus_stream: "events".into(),
            bus_claim_after_secs: 30,
            outbox_retention_hours: 7 * 24,
            processed_events_retention_hours: 30 * 24,
            retention_interval_secs: 3600,
            disclosure: DisclosureConfig::default(),
            messages: MessagesConfig::default(),
            key_store: KeyStoreConfig::default(),
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            depth: 10,
            complexity: 10_000,
            aliases: 30,
            batch: 10,
            concurrent_per_user: 8,
            queue_wait_ms: 10_000,
            query_timeout_ms: 15_000,
        }
    }
}

/// Settings of one service, under `services.<name>`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceSettings {
    /// Base URL of the service, for a process that does not run it itself.
    pub url: Option<String>,
}

impl Role {
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }

    pub fn parse_list(list: &str) -> Result<Vec<Role>, String> {
        let mut roles = Vec::new();
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some(role) = Role::parse(name) else {
                return Err(format!(
                    "unknown role `{name}`: use {}",
                    Role::ALL_NAMES.replace(',', ", ")
                ));
            };
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        if roles.is_empty() {
            return Err("give at least one role".into());
        }
        Ok(roles)
    }
}

impl Config {
    /// Loads defaults, then `file` if given, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, String> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(format!(
                    "configuration file {} does not exist",
                    file.display()
                ));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment
            .merge(
                Env::raw()
                    .only(&["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"])
                    .map(|k| k.as_str().to_lowercase().into()),
            )
            .merge(
                Env::prefixed("SPORTELLO_")
                    .filter(|k| {
                        let k = k.as_str().to_ascii_lowercase();
                        // SPORTELLO_TEST_* and SPORTELLO_BIN belong to the test scripts.
                        !k.starts_with("test_") && k != "config" && k != "bin"
                    })
                    .split("__"),
            );
        let config: Config = figment
            .extract()
            .map_err(|e| format!("invalid configuration: {e}"))?;
        Ok(config)
    }

    /// Checks the settings for the given roles; the message names the setting at fault.
    /// The key store of field encryption, as configured, behind a keyring that keeps each
    /// tenant's keys in memory for `key_store.cache_secs`.
    pub fn keyring(&self) -> Result<sportello_kernel::crypto::Keyring, String> {
        use sportello_kernel::crypto::{FileKeyStore, Key, KeyStore, Keyring, MemoryKeyStore};
        let store: std::sync::Arc<dyn KeyStore> = match self.key_store.kind {
            KeyStoreKind::Memory => std::sync::Arc::new(MemoryKeyStore::default()),
            KeyStoreKind::File => {
                let master = self
                    .key_store
                    .master_key
                    .as_ref()
                    .map(|m| Key::from_base64(&m.0))
                    .transpose()
                    .map_err(|_| "key_store.master_key must be the base64 of 32 bytes")?;
                let dir = self
                    .key_store
                    .dir
                    .clone()
                    .unwrap_or_else(|| self.data_dir.join("keys"));
                let store = FileKeyStore::open(&dir, master).map_err(|e| {
                    format!("cannot open the key store {}: {}", dir.display(), e.message)
                })?;
                std::sync::Arc::new(store)
            }
        };
        Ok(Keyring::new(
            store,
            std::time::Duration::from_secs(self.key_store.cache_secs.max(1)),
        ))
    }

    /// The installation's clock: the system clock, or the test clock of `clock_start`.
    pub fn clock(&self) -> sportello_kernel::Clock {
        match self.clock_start {
            Some(start) if cfg!(debug_assertions) => sportello_kernel::Clock::starting_at(start),
            _ => sportello_kernel::Clock::system(),
        }
    }

    pub fn validate(&self, roles: &[Role]) -> Result<(), String> {
        self.listen_addr()?;
        self.public_base()?;
        self.messages.transports()?;
        self.admin_listen_addr()?;
        self.proxies()?;
        if self.clock_start.is_some() && !cfg!(debug_assertions) {
            return Err("SPORTELLO_CLOCK_START is for tests only: release builds refuse it".into());
        }
        if let Some(url) = &self.database_url
            && !["sqlite:", "postgres:", "postgresql:"]
                .iter()
                .any(|p| url.starts_with(p))
        {
            return Err("SPORTELLO_DATABASE_URL must start with sqlite: or postgres:".into());
        }
        if let Some(url) = &self.redis_url
            && !["redis:", "rediss:"].iter().any(|p| url.starts_with(p))
        {
            return Err("SPORTELLO_REDIS_URL must start with redis: or rediss:".into());
        }
        let all_in_one = Role::ALL.iter().all(|r| roles.contains(r));
        if !all_in_one {
            match &self.internal_secret {
                Some(s) if s.len() >= 32 => {}
                _ => return Err("SPORTELLO_INTERNAL_SECRET (at least 32 characters) is required when roles run in separate processes".into()),
            }
        }
        if let Some(name) = self
            .services
            .keys()
            .find(|n| Role::parse(n).is_none_or(|r| r == Role::Gateway))
        {
            return Err(format!(
                "services.{name}: no such service (services: {})",
                Role::ALL_NAMES
                    .trim_start_matches("gateway,")
                    .replace(',', ", ")
            ));
        }
        for role in roles {
            for called in role.calls() {
                if !roles.contains(called) && self.service_url(*called).is_none() {
                    let name = called.name();
                    let upper = name.to_ascii_uppercase();
                    return Err(format!(
                        "SPORTELLO_SERVICES__{upper}__URL (or SPORTELLO_{upper}_URL) is required: the {} role calls the {name} service, which runs elsewhere",
                        role.name()
                    ));
                }
            }
        }
        let in_process = Role::SERVICES
            .iter()
            .filter(|r| r.uses_bus())
            .all(|r| roles.contains(r));
        if self.bus == BusKind::InProcess && !in_process {
            return Err(
                "SPORTELLO_BUS=in-process needs every service on the event bus (cases, volunteers, housing, analytics) in one process"
                    .into(),
            );
        }
        if self.bus_is_redis(roles)
            && roles.iter().any(|r| r.uses_bus())
            && self.bus_redis_url().is_none()
        {
            return Err("SPORTELLO_REDIS_URL (or SPORTELLO_BUS_REDIS_URL) is required: the services on the event bus (the producers and analytics) run in separate processes and talk through Redis Streams".into());
        }
        if self.processed_events_retention_hours <= self.outbox_retention_hours {
            return Err("processed_events_retention_hours must exceed outbox_retention_hours, or a republished event could be counted twice".into());
        }
        let d = &self.disclosure;
        if d.threshold < 2 || d.special_threshold < d.threshold {
            return Err(
                "disclosure thresholds: threshold at least 2, special_threshold at least threshold"
                    .into(),
            );
        }
        if d.max_noise == 0 || d.max_noise > 10 {
            return Err("disclosure.max_noise must be between 1 and 10".into());
        }
        if let Some(master) = &self.key_store.master_key
            && sportello_kernel::crypto::Key::from_base64(&master.0).is_err()
        {
            return Err(
                "key_store.master_key must be the base64 of 32 bytes (head -c32 /dev/urandom | base64)"
                    .into(),
            );
        }
        // On PostgreSQL `data_dir` is often nobody's volume (a container's own disk): keys kept
        // there would be lost with the container, and every encrypted value with them.
        if self.profile == Profile::Production
            && roles.contains(&Role::Cases)
            && self.key_store.kind == KeyStoreKind::File
            && self.key_store.dir.is_none()
            && self.database_url.is_some()
        {
            return Err("SPORTELLO_KEY_STORE__DIR is required in production on PostgreSQL: a persistent directory, apart from the database, for the keys of field encryption (docs/privacy.md, \"At rest\")".into());
        }
        if self.key_store.kind == KeyStoreKind::Memory && self.profile == Profile::Production {
            return Err("key_store.kind = memory loses every encrypted value when the process ends: production refuses it".into());
        }
        if self.key_store.cache_secs == 0 {
            return Err("key_store.cache_secs must be at least 1".into());
        }
        if self.bootstrap_admin_email.is_some() != self.bootstrap_admin_password.is_some() {
            return Err("set both SPORTELLO_BOOTSTRAP_ADMIN_EMAIL and SPORTELLO_BOOTSTRAP_ADMIN_PASSWORD, or neither".into());
        }
        let l = &self.limits;
        if l.depth == 0
            || l.complexity == 0
            || l.aliases == 0
            || l.batch == 0
            || l.concurrent_per_user == 0
            || l.query_timeout_ms == 0
        {
            return Err("limits must be greater than zero".into());
        }
        if self.session_ttl_secs < 60 {
            return Err("SPORTELLO_SESSION_TTL_SECS must be at least 60".into());
        }
        if self.database_max_connections == 0 {
            return Err("SPORTELLO_DATABASE_MAX_CONNECTIONS must be at least 1".into());
        }
        Ok(())
    }

    /// Where a process that does not run the service reaches it: `services.<name>.url`, or the
    /// older `<name>_url` setting.
    pub fn service_url(&self, service: Role) -> Option<&str> {
        let legacy = match service {
            Role::Tenancy => &self.tenancy_url,
            Role::Cases => &self.cases_url,
            Role::Analytics => &self.analytics_url,
            _ => &None,
        };
        self.services
            .get(service.name())
            .and_then(|s| s.url.as_deref())
            .or(legacy.as_deref())
    }

    /// Sets `services.<name>.url`.
    pub fn set_service_url(&mut self, service: Role, url: impl Into<String>) {
        self.services
            .entry(service.name().to_owned())
            .or_default()
            .url = Some(url.into());
    }

    /// The Redis of the event bus.
    pub fn bus_redis_url(&self) -> Option<&str> {
        self.bus_redis_url.as_deref().or(self.redis_url.as_deref())
    }

    /// Whether events travel through Redis Streams (otherwise in process).
    pub fn bus_is_redis(&self, roles: &[Role]) -> bool {
        match self.bus {
            // In process only when every service on the bus (its producers and analytics) is here.
            BusKind::Auto => !Role::SERVICES
                .iter()
                .filter(|r| r.uses_bus())
                .all(|r| roles.contains(r)),
            BusKind::InProcess => false,
            BusKind::Redis => true,
        }
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, String> {
        self.listen.parse().map_err(|_| {
            format!(
                "SPORTELLO_LISTEN `{}` is not an address like 127.0.0.1:8080",
                self.listen
            )
        })
    }

    /// The admin listener's address, when one is configured.
    pub fn admin_listen_addr(&self) -> Result<Option<SocketAddr>, String> {
        let Some(admin) = &self.admin_listen else {
            return Ok(None);
        };
        let addr: SocketAddr = admin.parse().map_err(|_| {
            format!("SPORTELLO_ADMIN_LISTEN `{admin}` is not an address like 127.0.0.1:9090")
        })?;
        if self
            .listen_addr()
            .is_ok_and(|l| l == addr && addr.port() != 0)
        {
            return Err("SPORTELLO_ADMIN_LISTEN must differ from SPORTELLO_LISTEN".into());
        }
        Ok(Some(addr))
    }

    /// The trusted reverse proxies, parsed.
    pub fn proxies(&self) -> Result<TrustedProxies, String> {
        let header = match self.trusted_proxy_header {
            ProxyHeader::XForwardedFor => ForwardedHeader::XForwardedFor,
            ProxyHeader::Forwarded => ForwardedHeader::Forwarded,
        };
        TrustedProxies::parse(&self.trusted_proxies, header)
            .map_err(|e| format!("SPORTELLO_TRUSTED_PROXIES: {e}"))
    }

    /// Whether `/metrics` is served on the public port.
    /// `public_url` without its trailing `/`, checked: `http://` or `https://`, a host, no
    /// query, fragment, credentials or spaces.
    pub fn public_base(&self) -> Result<Option<String>, String> {
        let Some(url) = &self.public_url else {
            return Ok(None);
        };
        let refuse = || {
            Err("SPORTELLO_PUBLIC_URL must be an http:// or https:// address with a host and no query, fragment or credentials (https://sportello.example.it)".to_owned())
        };
        let Some(rest) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
        else {
            return refuse();
        };
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty()
            || rest.contains(['?', '#', '@'])
            || rest.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return refuse();
        }
        Ok(Some(url.trim_end_matches('/').to_owned()))
    }

    pub fn metrics_on_public_port(&self) -> bool {
        self.admin_listen.is_none() && !self.production()
    }

    pub fn hsts_enabled(&self) -> bool {
        self.hsts.unwrap_or(self.production())
    }

    fn production(&self) -> bool {
        self.profile == Profile::Production
    }

    pub fn graphiql_enabled(&self) -> bool {
        self.graphiql.unwrap_or(!self.production())
    }

    pub fn introspection_enabled(&self) -> bool {
        self.introspection.unwrap_or(!self.production())
    }

    pub fn cookie_secure_enabled(&self) -> bool {
        self.cookie_secure.unwrap_or(self.production())
    }

    /// The database URL of one service: the configured one, or its own SQLite file.
    pub fn database_url_for(&self, service: &str) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}/{service}.db?mode=rwc", self.data_dir.display()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment's Jail fixes the error type.
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_file_and_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "sportello.toml",
                "listen = \"127.0.0.1:9000\"\nlog_level = \"debug\"\n[limits]\ndepth = 7\n",
            )?;
            jail.set_env("SPORTELLO_LISTEN", "0.0.0.0:7000");
            jail.set_env("SPORTELLO_LIMITS__BATCH", "3");
            jail.set_env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318");
            let config =
                Config::load(Some(Path::new("sportello.toml"))).map_err(figment::Error::from)?;
            assert_eq!(config.listen, "0.0.0.0:7000");
            assert_eq!(config.log_level, "debug");
            assert_eq!(config.limits.depth, 7);
            assert_eq!(config.limits.batch, 3);
            assert_eq!(config.limits.aliases, LimitsConfig::default().aliases);
            assert_eq!(
                config.otel_exporter_otlp_endpoint.as_deref(),
                Some("http://127.0.0.1:4318")
            );
            Ok(())
        });
    }

    #[test]
    fn the_key_store_is_read_from_the_environment_and_checked() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SPORTELLO_KEY_STORE__DIR", "/srv/keys");
            jail.set_env(
                "SPORTELLO_KEY_STORE__MASTER_KEY",
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            );
            let config = Config::load(None).map_err(figment::Error::from)?;
            assert_eq!(
                config.key_store.dir.as_deref(),
                Some(Path::new("/srv/keys"))
            );
            assert_eq!(config.validate(&Role::ALL), Ok(()));
            assert!(
                !format!("{config:?}").contains("AAECAwQF"),
                "the master key is never printed"
            );
            jail.set_env("SPORTELLO_KEY_STORE__MASTER_KEY", "too-short");
            let config = Config::load(None).map_err(figment::Error::from)?;
            let err = config.validate(&Role::ALL).err().unwrap_or_default();
            assert!(err.contains("key_store.master_key"), "{err}");
            Ok(())
        });
        // In production on PostgreSQL the keys need a directory of their own, and never memory.
        let config = Config {
            profile: Profile::Production,
            database_url: Some("postgres://db/sportello".into()),
            cookie_secure: Some(true),
            ..Config::default()
        };
        let err = config.validate(&Role::ALL).err().unwrap_or_default();
        assert!(err.contains("SPORTELLO_KEY_STORE__DIR"), "{err}");
        let mut config = config;
        config.key_store.dir = Some("/srv/keys".into());
        assert_eq!(config.validate(&Role::ALL), Ok(()));
        config.key_store.kind = KeyStoreKind::Memory;
        let err = config.validate(&Role::ALL).err().unwrap_or_default();
        assert!(err.contains("memory"), "{err}");
    }

    #[test]
    fn bad_settings_fail_with_the_setting_named() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SPORTELLO_DATABASE_URL", "mysql://x");
            let config = Config::load(None).map_err(figment::Error::from)?;
            let err = config.validate(&Role::ALL).err().unwrap_or_default();
            assert!(err.contains("SPORTELLO_DATABASE_URL"), "{err}");
            jail.set_env("SPORTELLO_LIMITS__DEPTH", "many");
            assert!(Config::load(None).is_err());
            Ok(())
        });
        let config = Config::default();
        let err = config.validate(&[Role::Gateway]).err().unwrap_or_default();
        assert!(err.contains("SPORTELLO_INTERNAL_SECRET"), "{err}");
        let config = Config {
            listen: "localhost".into(),
            ..Config::default()
        };
        assert!(config.validate(&Role::ALL).is_err());
        let config = Config {
            admin_listen: Some("9090".into()),
            ..Config::default()
        };
        let err = config.validate(&Role::ALL).err().unwrap_or_default();
        assert!(err.contains("SPORTELLO_ADMIN_LISTEN"), "{err}");
    }

    #[test]
    fn service_urls_come_from_services_or_the_older_names_and_are_required_when_called() {
        figment::Jail::expect_with(|jail| {
            jail.set_env(
                "SPORTELLO_INTERNAL_SECRET",
                "0123456789abcdef0123456789abcdef",
            );
            jail.set_env("SPORTELLO_SERVICES__CASES__URL", "http://cases:8082");
            jail.set_env("SPORTELLO_ANALYTICS_URL", "http://analytics:8083");
            jail.set_env(
                "SPORTELLO_SERVICES__VOLUNTEERS__URL",
                "http://volunteers:8084",
            );
            jail.set_env("SPORTELLO_SERVICES__HOUSING__URL", "http://housing:8085");
            let config = Config::load(None).map_err(figment::Error::from)?;
            assert_eq!(config.service_url(Role::Cases), Some("http://cases:8082"));
            assert_eq!(
                config.service_url(Role::Analytics),
                Some("http://analytics:8083")
            );
            assert_eq!(config.service_url(Role::Tenancy), None);
            let err = config.validate(&[Role::Gateway]).err().unwrap_or_default();
            assert!(
                err.contains("SPORTELLO_SERVICES__TENANCY__URL")
                    && err.contains("SPORTELLO_TENANCY_URL"),
                "{err}"
            );
            // Hosting every service it has no address for, the gateway is complete.
            let hosted: Vec<Role> = Role::ALL
                .into_iter()
                .filter(|r| {
                    !matches!(
                        r,
                        Role::Cases | Role::Analytics | Role::Volunteers | Role::Housing
                    )
                })
                .collect();
            assert!(config.validate(&hosted).is_ok());
            assert!(config.validate(&[Role::Tenancy]).is_ok());
            jail.set_env("SPORTELLO_SERVICES__BILLING__URL", "http://billing");
            let config = Config::load(None).map_err(figment::Error::from)?;
            let err = config.validate(&Role::ALL).err().unwrap_or_default();
            assert!(err.contains("services.billing"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn roles_come_from_the_table_of_services() {
        assert!(Role::ALL_NAMES.starts_with("gateway,tenancy,volunteers,cases,analytics"));
        assert_eq!(Role::ALL_NAMES, Role::ALL.map(Role::name).join(","));
        assert_eq!(Role::parse_list(Role::ALL_NAMES), Ok(Role::ALL.to_vec()));
        assert_eq!(
            Role::parse_list("cases, gateway,cases"),
            Ok(vec![Role::Cases, Role::Gateway])
        );
        let err = Role::parse_list("gateway,billing")
            .err()
            .unwrap_or_default();
        assert!(
            err.contains("billing") && err.contains("analytics"),
            "{err}"
        );
        assert_eq!(Role::Cases.calls(), &[Role::Tenancy]);
        assert_eq!(Role::Gateway.calls(), &Role::SERVICES);
    }

    #[test]
    fn the_public_address_is_an_http_address_without_its_trailing_slash() {
        let with = |url: &str| Config {
            public_url: Some(url.to_owned()),
            ..Config::default()
        };
        assert_eq!(Config::default().public_base(), Ok(None));
        assert_eq!(
            with("https://sportello.example.it/").public_base(),
            Ok(Some("https://sportello.example.it".to_owned()))
        );
        assert_eq!(
            with("http://127.0.0.1:8080/console").public_base(),
            Ok(Some("http://127.0.0.1:8080/console".to_owned()))
        );
        for bad in [
            "sportello.example.it",
            "ftp://sportello.example.it",
            "https://",
            "https:///verifica",
            "https://sportello.example.it/?a=1",
            "https://sportello.example.it/#x",
            "https://user:secret@sportello.example.it",
            "https://sportello example.it",
        ] {
            let err = with(bad).public_base().expect_err(bad);
            assert!(err.contains("SPORTELLO_PUBLIC_URL"), "{err}");
            assert!(with(bad).validate(&[]).is_err(), "{bad}");
        }
    }

    #[test]
    fn trusted_proxies_come_from_a_list_and_are_validated() {
        figment::Jail::expect_with(|jail| {
            jail.set_env(
                "SPORTELLO_TRUSTED_PROXIES",
                "[10.0.0.0/8, \"192.0.2.10\", fd00::/8]",
            );
            jail.set_env("SPORTELLO_TRUSTED_PROXY_HEADER", "forwarded");
            let config = Config::load(None).map_err(figment::Error::from)?;
            assert_eq!(
                config.trusted_proxies,
                ["10.0.0.0/8", "192.0.2.10", "fd00::/8"]
            );
            assert_eq!(config.trusted_proxy_header, ProxyHeader::Forwarded);
            assert!(config.validate(&Role::ALL).is_ok());
            jail.set_env("SPORTELLO_TRUSTED_PROXIES", "[10.0.0.0/8, 10.0.0/8]");
            let config = Config::load(None).map_err(figment::Error::from)?;
            let err = config.validate(&Role::ALL).err().unwrap_or_default();
            assert!(
                err.contains("SPORTELLO_TRUSTED_PROXIES") && err.contains("10.0.0/8"),
                "{err}"
            );
            Ok(())
        });
        assert!(Config::default().proxies().is_ok());
    }
}
