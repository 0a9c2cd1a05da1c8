//! Two processes of the real binary — `serve --roles tenancy` and `serve --roles gateway` — answer
//! the same operations as the all-in-one server, their logs hold no personal data or secrets, and
//! the gateway reports itself not ready when the tenancy service is gone.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::routing::post;

use serde_json::{Value, json};

use sportello::Role;

use crate::helpers::{
    ADMIN_EMAIL, ADMIN_PASSWORD, Backend, Client, SECRET, TestApp, Topology,
    fresh_postgres_database, redis_url,
};

const ADMIN_OF_TENANT: (&str, &str) = ("direzione@valdera.example.org", "Colline-Pisane-2026");
const OPERATOR: (&str, &str) = ("mediatrice@valdera.example.org", "Fiume-Era-2026-op");

/// Runs one fixed scenario and returns its answers, without ids, tokens and timestamps (which
/// differ between installations) but with every name, code, role and error.
async fn transcript(url: &str) -> (Vec<Value>, Vec<String>) {
    let mut out = Vec::new();
    let mut secrets = vec![
        ADMIN_PASSWORD.to_owned(),
        ADMIN_OF_TENANT.1.to_owned(),
        OPERATOR.1.to_owned(),
    ];
    let mut platform = Client::new(url);
    out.push(platform.login(ADMIN_EMAIL, "Wrong-Password-2026").await);
    out.push(platform.login(ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let created = platform
        .gql(
            "mutation($e: String!) { createTenant(input: {name: \"Consorzio Valdera\", kind: CONSORTIUM, adminEmail: $e}) { tenant { id name kind } adminInvitation { token invitation { email roles status } } } }",
            json!({ "e": ADMIN_OF_TENANT.0 }),
        )
        .await;
    let token = created["data"]["createTenant"]["adminInvitation"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    secrets.push(token.clone());
    out.push(created);
    let mut admin = Client::new(url);
    out.push(admin.accept(&token, "weak", "Anna Rossi").await);
    out.push(admin.accept(&token, ADMIN_OF_TENANT.1, "Anna Rossi").await);
    out.push(
        Client::new(url)
            .accept(&token, ADMIN_OF_TENANT.1, "Anna Rossi")
            .await,
    );
    for (code, name) in [
        ("05002A", "Pontedera"),
        ("050029", "Pontedera"),
        ("050005", "Capannoli"),
    ] {
        out.push(
            admin
                .gql("mutation($c: String!, $n: String!) { addTerritory(input: {istatCode: $c, name: $n}) { id istatCode name } }", json!({ "c": code, "n": name }))
                .await,
        );
    }
    let territories = admin
        .gql(
            "{ territories { edges { node { id istatCode name } } pageInfo { hasNextPage } } }",
            json!({}),
        )
        .await;
    let first = territories["data"]["territories"]["edges"][0]["node"]["id"].clone();
    out.push(territories);
    out.push(
        admin
            .gql("mutation($t: ID!) { addDesk(input: {territoryId: $t, name: \"Sportello Pontedera\", kind: FIXED, languages: [\"it\", \"ar\"]}) { name kind languages territory { name } } }", json!({ "t": first }))
            .await,
    );
    let issued = admin
        .gql("mutation($e: String!) { inviteUser(input: {email: $e, roles: [OPERATOR]}) { token invitation { email roles status } } }", json!({ "e": OPERATOR.0 }))
        .await;
    let op_token = issued["data"]["inviteUser"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    secrets.push(op_token.clone());
    out.push(issued);
    out.push(
        Client::new(url)
            .accept(&op_token, OPERATOR.1, "Samira B.")
            .await,
    );
    let mut operator = Client::new(url);
    out.push(operator.login(OPERATOR.0, OPERATOR.1).await);
    out.push(operator.gql("{ viewer { user { email displayName } roles activeTenant { name } memberships { roles } } desks { edges { node { name } } } }", json!({})).await);
    out.push(operator.gql("mutation { addTerritory(input: {istatCode: \"050028\", name: \"Ponsacco\"}) { id } }", json!({})).await);
    out.push(operator.gql("{ node(id: \"VGVycml0b3J5OjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA\") { id } }", json!({})).await);
    secrets.extend(
        [platform.csrf, admin.csrf, operator.csrf]
            .into_iter()
            .flatten(),
    );
    (out.into_iter().map(redact).collect(), secrets)
}

fn redact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match k.as_str() {
                    "id" | "token" | "csrfToken" | "createdAt" | "expiresAt" | "cursor"
                        if !v.is_null() =>
                    {
                        (k, json!("…"))
                    }
                    _ => (k, redact(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        other => other,
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

pub(crate) struct Process {
    pub(crate) child: Child,
    log: tempfile::NamedTempFile,
}

impl Process {
    pub(crate) fn start(roles: &str, port: u16, env: &[(&str, String)]) -> Process {
        let log = tempfile::NamedTempFile::new().expect("log file");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sportello"));
        cmd.args(["serve", "--roles", roles])
            .env("SPORTELLO_LISTEN", format!("127.0.0.1:{port}"))
            .env("SPORTELLO_INTERNAL_SECRET", SECRET)
            .env("SPORTELLO_LOG_FORMAT", "json")
            .env("SPORTELLO_LOG_LEVEL", "debug")
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("log handle"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        Process {
            child: cmd.spawn().expect("start sportello"),
            log,
        }
    }

    /// Stops the process as an operator would (SIGTERM) and waits for its graceful exit.
    pub(crate) fn terminate(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("sportello did not stop on SIGTERM: {}", self.logs());
    }

    pub(crate) fn logs(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn ready_status(url: &str) -> Option<u16> {
    reqwest::get(format!("{url}/readyz"))
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

/// The real binary with every role in one process on the embedded default (SQLite files in
/// `data`), its bootstrap administrator set, ready; and its URL.
pub(crate) async fn start_all_in_one(data: &std::path::Path) -> (Process, String) {
    let port = free_port();
    let mut process = Process::start(
        &crate::helpers::roles_except(&[]),
        port,
        &[
            ("SPORTELLO_DATA_DIR", data.display().to_string()),
            ("SPORTELLO_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL.into()),
            ("SPORTELLO_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD.into()),
        ],
    );
    let url = format!("http://127.0.0.1:{port}");
    wait_ready(&url, &mut process).await;
    (process, url)
}

/// Waits up to a minute: a process migrates its store before it is ready, and its readiness
/// includes the services it calls.
pub(crate) async fn wait_ready(url: &str, process: &mut Process) {
    for _ in 0..600 {
        if ready_status(url).await == Some(200) {
            return;
        }
        if let Ok(Some(status)) = process.child.try_wait() {
            panic!("sportello exited with {status}: {}", process.logs());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} never became ready: {}", process.logs());
}

/// A minimal OTLP/HTTP receiver that keeps the export requests it gets.
async fn collector() -> (String, Arc<Mutex<Vec<Bytes>>>) {
    let received: Arc<Mutex<Vec<Bytes>>> = Arc::default();
    let store = received.clone();
    let app = axum::Router::new().route(
        "/v1/traces",
        post(move |body: Bytes| {
            let store = store.clone();
            async move {
                store.lock().expect("collector lock").push(body);
                (
                    [("content-type", "application/x-protobuf")],
                    Vec::<u8>::new(),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind collector");
    let url = format!(
        "http://{}",
        listener.local_addr().expect("collector address")
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_answer_like_one_and_log_no_secrets() {
    let (otlp, exported) = collector().await;
    let one = TestApp::spawn(Backend::Postgres, Topology::AllInOne).await;
    let (expected, _) = transcript(&one.url).await;

    let database = fresh_postgres_database().await;
    let (tenancy_port, gateway_port) = (free_port(), free_port());
    let mut tenancy = Process::start(
        "tenancy",
        tenancy_port,
        &[
            ("SPORTELLO_DATABASE_URL", database.clone()),
            ("SPORTELLO_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL.into()),
            ("SPORTELLO_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD.into()),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.clone()),
            ("OTEL_SERVICE_NAME", "sportello-tenancy".into()),
        ],
    );
    let tenancy_url = format!("http://127.0.0.1:{tenancy_port}");
    wait_ready(&tenancy_url, &mut tenancy).await;
    let mut gateway = Process::start(
        &crate::helpers::roles_except(&[Role::Tenancy]),
        gateway_port,
        &[
            ("SPORTELLO_TENANCY_URL", tenancy_url.clone()),
            ("SPORTELLO_DATABASE_URL", database.clone()),
            ("SPORTELLO_REDIS_URL", redis_url()),
            (
                "SPORTELLO_REDIS_PREFIX",
                format!("sportello-test-{}:", uuid::Uuid::new_v4().simple()),
            ),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.clone()),
            ("OTEL_SERVICE_NAME", "sportello-gateway".into()),
        ],
    );
    let gateway_url = format!("http://127.0.0.1:{gateway_port}");
    wait_ready(&gateway_url, &mut gateway).await;

    let (answers, secrets) = transcript(&gateway_url).await;
    assert_eq!(
        answers, expected,
        "two processes answer differently from one"
    );

    // The tenancy service refuses calls without a valid internal token.
    let unsigned = reqwest::Client::new()
        .post(format!("{tenancy_url}/rpc/tenancy/list_tenants"))
        .json(&json!({ "first": 10, "after": null }))
        .send()
        .await
        .expect("post");
    assert_eq!(unsigned.status().as_u16(), 401);

    let logs = format!("{}\n{}", tenancy.logs(), gateway.logs());
    assert!(
        logs.contains("service_request"),
        "the tenancy process logged no service span"
    );
    let personal = [
        ADMIN_EMAIL,
        ADMIN_OF_TENANT.0,
        OPERATOR.0,
        "Anna Rossi",
        "Samira B.",
    ];
    for needle in secrets.iter().map(String::as_str).chain(personal) {
        assert!(
            !needle.is_empty() && !logs.contains(needle),
            "a log line contains `{needle}`"
        );
    }

    // Normal work logs no error: each error line is a fault to look into.
    let errors: Vec<&str> = logs
        .lines()
        .filter(|line| line.contains("\"level\":\"ERROR\""))
        .collect();
    assert!(
        errors.is_empty(),
        "errors logged in normal work: {errors:#?}"
    );

    // Without the tenancy service the gateway is alive but not ready.
    tenancy.terminate();
    assert_eq!(ready_status(&gateway_url).await, Some(503));
    let health = reqwest::get(format!("{gateway_url}/healthz"))
        .await
        .expect("healthz");
    assert_eq!(health.status().as_u16(), 200);
    gateway.terminate();

    // Both processes exported their spans over OTLP (flushed at shutdown).
    let exported: Vec<Bytes> = exported.lock().expect("collector lock").clone();
    let seen = |needle: &str| {
        exported
            .iter()
            .any(|body| body.windows(needle.len()).any(|w| w == needle.as_bytes()))
    };
    for needle in [
        "sportello-tenancy",
        "sportello-gateway",
        "service_request",
        "service_call",
        "graphql",
    ] {
        assert!(seen(needle), "no exported span mentions {needle}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_and_metrics_are_served_on_both_backends() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::spawn(backend, Topology::AllInOne).await;
        let ready = reqwest::get(format!("{}/readyz", app.url))
            .await
            .expect("readyz");
        assert_eq!(ready.status().as_u16(), 200);
        let body: Value = ready.json().await.expect("json");
        // Every store and the cache, each "ok" (a new service adds its store here by itself).
        let checks = body.as_object().expect("an object of checks");
        for check in [
            "analytics_database",
            "cache",
            "cases_database",
            "tenancy_database",
        ] {
            assert_eq!(checks.get(check), Some(&json!("ok")), "{body}");
        }
        assert!(checks.values().all(|v| v == "ok"), "{body}");
        app.client().gql("{ __typename }", json!({})).await;
        let metrics = reqwest::get(format!("{}/metrics", app.url))
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text");
        assert!(
            metrics.contains("sportello_graphql_operations_total"),
            "{metrics}"
        );
    }
}

/// The address asked for and its query string may hold personal data (a codice fiscale typed
/// into the address bar): the logs, at debug level, name the route template only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_paths_and_query_strings_stay_out_of_the_logs() {
    let data = tempfile::tempdir().expect("data directory");
    let (mut process, url) = start_all_in_one(data.path()).await;
    let http = reqwest::Client::new();
    let unknown = http
        .get(format!("{url}/unknown/RSSMRA80A01H501U?x=secret"))
        .send()
        .await
        .expect("get");
    // Without a built console the address is simply not found; with one, the console's page.
    assert!(
        [404, 200].contains(&unknown.status().as_u16()),
        "{}",
        unknown.status()
    );
    let graphql = http
        .get(format!(
            "{url}/graphql?query=%7B__typename%7D&x=secret&cf=RSSMRA80A01H501U"
        ))
        .send()
        .await
        .expect("get /graphql");
    assert_eq!(graphql.status().as_u16(), 200);
    let ready = http
        .get(format!("{url}/readyz?x=secret"))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status().as_u16(), 200);
    process.terminate();

    let logs = process.logs();
    // The requests were logged, by their route template only.
    assert!(logs.contains("\"route\":\"/graphql\""), "{logs}");
    assert!(
        logs.contains("\"route\":\"unmatched\"") || logs.contains("\"route\":\"/"),
        "{logs}"
    );
    for needle in ["RSSMRA80A01H501U", "x=secret", "/unknown", "__typename"] {
        assert!(!logs.contains(needle), "a log line contains `{needle}`");
    }
}
