//! Transactions end where they begin: under concurrent reads and writes of two tenants, with
//! requests cut off by their clients mid-flight, no pooled connection is left inside a
//! transaction and PostgreSQL never sees a `BEGIN` inside an open transaction or a `COMMIT` /
//! `ROLLBACK` outside one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};

use crate::cases::story_with_cf;
use crate::helpers::{
    Client, TestApp, Topology, fresh_config, operator, postgres_admin_url, seed_tenant,
};

/// Concurrent clients per round.
const CLIENTS: usize = 12;
/// Requests each client sends per round.
const REQUESTS: usize = 12;
/// A round stops sending new requests after this long, whatever is left.
const ROUND: Duration = Duration::from_secs(5);

const CASE_READ: &str = "query($c: ID!) { node(id: $c) { id ... on Case { status person { id consents { given } } needs(first: 10) { edges { node { id } } } } } }";
const NEEDS: &str = "query($c: ID!) { node(id: $c) { ... on Case { needs(first: 10) { edges { node { id typeCode } } } } } }";
const CASE_LIST: &str = "{ cases(first: 20) { edges { node { id status needs(first: 5) { edges { node { id } } } } } } }";
const ENCOUNTER: &str = "mutation($c: ID!) { addEncounter(input: {caseId: $c, occurredAt: \"2026-11-20T09:30:00Z\", channel: PHONE}) { id } }";

/// The PostgreSQL server log the test reads; `scripts/test` exports it.
fn postgres_log_path() -> String {
    std::env::var("SPORTELLO_TEST_POSTGRES_LOG").expect(
        "SPORTELLO_TEST_POSTGRES_LOG must name the PostgreSQL server log (scripts/test exports it)",
    )
}

fn log_len(path: &str) -> u64 {
    std::fs::metadata(path)
        .unwrap_or_else(|err| panic!("cannot read the PostgreSQL log {path}: {err}"))
        .len()
}

/// The lines of the server log written for `database` since `offset`.
fn log_lines_since(path: &str, offset: u64, database: &str) -> Vec<String> {
    let bytes = std::fs::read(path)
        .unwrap_or_else(|err| panic!("cannot read the PostgreSQL log {path}: {err}"));
    // A rotated (shorter) log is read from its start.
    let start = if (bytes.len() as u64) < offset {
        0
    } else {
        offset as usize
    };
    let needle = format!("@{database} ");
    String::from_utf8_lossy(&bytes[start..])
        .lines()
        .filter(|line| line.contains(&needle))
        .map(str::to_owned)
        .collect()
}

/// Connections of the serving role to `database` that sit inside a transaction with nothing
/// running: a transaction between two statements is idle for microseconds, a leftover for ever.
async fn idle_in_transaction(admin: &DatabaseConnection, database: &str) -> Vec<String> {
    let mut stuck = Vec::new();
    for _ in 0..5 {
        let rows = admin
            .query_all_raw(Statement::from_sql_and_values(
                admin.get_database_backend(),
                "SELECT pid::text AS pid, state, query FROM pg_stat_activity \
                 WHERE datname = $1 AND usename = 'sportello_app' \
                 AND state LIKE 'idle in transaction%' \
                 AND state_change < now() - interval '1 second'",
                [database.into()],
            ))
            .await
            .expect("pg_stat_activity");
        for row in rows {
            let pid: String = row.try_get("", "pid").expect("pid");
            let state: String = row.try_get("", "state").expect("state");
            let query: String = row.try_get("", "query").unwrap_or_default();
            stuck.push(format!("{pid} {state}: {query}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stuck.sort();
    stuck.dedup();
    stuck
}

/// One tenant's side of the load: an operator and its cases (each person has one open case).
struct Side {
    op: Client,
    cases: Vec<String>,
}

fn share(c: &Client) -> Client {
    Client {
        http: c.http.clone(),
        url: c.url.clone(),
        csrf: c.csrf.clone(),
    }
}

/// Sends one request that the client gives up on after `ms` milliseconds, so the server sees the
/// connection close while it may be in the middle of a transaction.
async fn cut_off(c: &Client, query: &str, variables: Value, ms: u64) {
    let mut req = c
        .http
        .post(format!("{}/graphql", c.url))
        .timeout(Duration::from_millis(ms))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(csrf) = &c.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    if let Ok(resp) = req.send().await {
        resp.bytes().await.ok();
    }
}

/// A client's requests: case reads, `node` lookups of its own and of the other tenant's cases,
/// need listings, encounters, and every third request cut off early.
async fn client_load(n: usize, mine: &Side, theirs: &Side, deadline: Instant) {
    let op = share(&mine.op);
    for i in 0..REQUESTS {
        if Instant::now() > deadline {
            break;
        }
        let case = &mine.cases[(n + i) % mine.cases.len()];
        let ms = 1 + ((n * 7 + i * 13) % 25) as u64;
        match (n + i) % 6 {
            0 => {
                let data = op.ok(CASE_READ, json!({ "c": case })).await;
                assert_eq!(data["node"]["id"], json!(case), "{data}");
            }
            1 => {
                op.ok(NEEDS, json!({ "c": case })).await;
            }
            2 => {
                let data = op.ok(ENCOUNTER, json!({ "c": case })).await;
                assert!(data["addEncounter"]["id"].is_string(), "{data}");
            }
            3 => {
                // Another tenant's case answers like a missing one.
                let other = &theirs.cases[i % theirs.cases.len()];
                let resp = op.gql(CASE_READ, json!({ "c": other })).await;
                assert!(resp["data"]["node"].is_null(), "{resp}");
            }
            4 => {
                op.ok(CASE_LIST, json!({})).await;
            }
            _ => match i % 3 {
                0 => cut_off(&op, ENCOUNTER, json!({ "c": case }), ms).await,
                1 => cut_off(&op, CASE_READ, json!({ "c": case }), ms).await,
                _ => cut_off(&op, CASE_LIST, json!({}), ms).await,
            },
        }
    }
}

async fn round(sides: &Arc<[Side; 2]>) {
    let deadline = Instant::now() + ROUND;
    let mut clients = tokio::task::JoinSet::new();
    for n in 0..CLIENTS {
        let sides = Arc::clone(sides);
        clients.spawn(async move {
            let (mine, theirs) = (&sides[n % 2], &sides[(n + 1) % 2]);
            client_load(n, mine, theirs, deadline).await;
        });
    }
    while let Some(done) = clients.join_next().await {
        done.expect("a client of the load failed");
    }
}

/// A PostgreSQL server with `setting` on its test database (as `name = 'value'`), and two
/// tenants, Alfa and Beta, each with an operator (`{user}@alfa.example.org`, …) who opened three
/// cases. Returns the app, an administrator connection, the database's name and the two sides.
async fn two_tenants_with_cases(
    user: &str,
    setting: &str,
) -> (TestApp, DatabaseConnection, String, Vec<Side>) {
    let (config, dir) = fresh_config(crate::helpers::Backend::Postgres).await;
    let database_url = config.database_url.clone().expect("database url");
    let database = database_url
        .rsplit('/')
        .next()
        .expect("database name")
        .to_owned();
    let admin = Database::connect(postgres_admin_url())
        .await
        .expect("connect as the test server's administrator");
    admin
        .execute_unprepared(&format!("ALTER DATABASE {database} SET {setting}"))
        .await
        .expect("set the test database's logging");
    let app = TestApp::spawn_with(config, dir, Topology::AllInOne).await;
    let platform = app.platform_admin().await;
    let mut sides = Vec::new();
    for (name, istat) in [("Alfa", "052022"), ("Beta", "048017")] {
        let t = seed_tenant(&app, &platform, name, istat).await;
        let op = operator(
            &app,
            &t,
            &format!("{user}@{}.example.org", name.to_lowercase()),
            &[],
        )
        .await;
        let mut cases = Vec::new();
        for (given, family) in [
            ("Amina", "El Idrissi"),
            ("Olena", "Kovalenko"),
            ("Chidi", "Okafor"),
        ] {
            cases.push(story_with_cf(&op, given, family, istat, None).await.case);
        }
        sides.push(Side { op, cases });
    }
    (app, admin, database, sides)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_transaction_is_left_open_or_misplaced_under_concurrent_load() {
    let log = postgres_log_path();
    let offset = log_len(&log);

    let (_app, admin, database, sides) =
        two_tenants_with_cases("load", "log_min_messages = 'warning'").await;
    let sides: Arc<[Side; 2]> = Arc::new(sides.try_into().ok().expect("two tenants"));

    for _ in 0..2 {
        round(&sides).await;
        // Between rounds nothing is in flight: no connection may be waiting inside a transaction.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let stuck = idle_in_transaction(&admin, &database).await;
        assert!(
            stuck.is_empty(),
            "pooled connections left inside a transaction: {stuck:?}"
        );
    }

    // The server is still consistent: every case read answers.
    for side in sides.iter() {
        for case in &side.cases {
            side.op.ok(CASE_READ, json!({ "c": case })).await;
        }
    }

    tokio::time::sleep(Duration::from_millis(500)).await;
    let lines = log_lines_since(&log, offset, &database);
    let misplaced: Vec<&String> = lines
        .iter()
        .filter(|line| {
            line.contains("there is already a transaction in progress")
                || line.contains("there is no transaction in progress")
        })
        .collect();
    assert!(
        misplaced.is_empty(),
        "PostgreSQL saw transactions begin inside or end outside one ({} lines): {misplaced:#?}",
        misplaced.len()
    );
    admin.close().await.ok();
}

/// The text in `column` of the one row `sql` returns.
async fn one<C: ConnectionTrait>(conn: &C, sql: &str, column: &str) -> String {
    let row = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("a row");
    row.try_get::<String>("", column).expect(column)
}

/// The pool's last line of defence: a connection that carries another transaction's writes, or a
/// tenant setting beyond its transaction, is closed when it is next used rather than lending its
/// state to the next transaction, which runs on another connection. The statements here bypass
/// [`sportello_kernel::db::Tx`] on purpose, as only a bug would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_carrying_a_transaction_or_scope_is_never_reused() {
    use sportello_kernel::TenantId;
    use sportello_kernel::db::{Db, Scope, StoreConfig};

    let url = crate::helpers::fresh_postgres_database().await;
    let database = url.rsplit('/').next().expect("database name").to_owned();
    // One connection, so that every statement below runs on the same one until it is closed.
    let db = Db::open_owner(&StoreConfig {
        url,
        schema: "public".into(),
        app_role: "sportello_app".into(),
        app_password: None,
        max_connections: 1,
    })
    .await
    .expect("open the pool");
    let admin = Database::connect(postgres_admin_url())
        .await
        .expect("connect as the test server's administrator");
    let pool = db.serving_connection();
    let inside = async |scope: Scope| -> (String, String, String) {
        let tx = db.begin(scope).await.expect("begin");
        let seen = (
            one(tx.conn(), "SELECT pg_backend_pid()::text AS pid", "pid").await,
            one(tx.conn(), "SELECT pg_current_xact_id()::text AS xid", "xid").await,
            one(
                tx.conn(),
                "SELECT coalesce(current_setting('app.tenant_id', true), '') AS tenant",
                "tenant",
            )
            .await,
        );
        tx.finish().await.expect("finish");
        seen
    };
    let idle_in_transaction = async || {
        admin
            .query_all_raw(Statement::from_sql_and_values(
                admin.get_database_backend(),
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 \
                 AND state LIKE 'idle in transaction%'",
                [database.clone().into()],
            ))
            .await
            .expect("pg_stat_activity")
            .len()
    };
    let tenant = TenantId::new();

    // A BEGIN the driver does not know about, which has written (as if abandoned in flight).
    pool.execute_unprepared("BEGIN").await.expect("begin");
    let stale_pid = one(pool, "SELECT pg_backend_pid()::text AS pid", "pid").await;
    let stale_xid = one(pool, "SELECT pg_current_xact_id()::text AS xid", "xid").await;
    assert_eq!(
        idle_in_transaction().await,
        1,
        "the control: a stale transaction"
    );
    let (pid, xid, scope) = inside(Scope::Tenant(tenant)).await;
    assert_ne!(pid, stale_pid, "the stale connection was closed");
    assert_ne!(xid, stale_xid, "the transaction is not the stale one");
    assert_eq!(scope, tenant.to_string(), "its own scope");
    assert_eq!(
        idle_in_transaction().await,
        0,
        "nothing left inside a transaction"
    );

    // A tenant setting for the whole session instead of one transaction.
    let (leaky_pid, _, _) = inside(Scope::Global).await;
    pool.execute_unprepared("SELECT set_config('app.tenant_id', 'leftover', false)")
        .await
        .expect("session setting");
    let (pid, _, scope) = inside(Scope::Global).await;
    assert_ne!(pid, leaky_pid, "the connection with the setting was closed");
    assert_eq!(scope, "", "no other request's tenant");

    // A clean connection is reused.
    let (again, _, _) = inside(Scope::Global).await;
    assert_eq!(again, pid, "a clean connection stays in the pool");
    admin.close().await.ok();
}

/// The case detail screen (a case, its person, its needs and its 5 latest encounters).
const CASE_DETAIL: &str = "query($c: ID!) { node(id: $c) { ... on Case { status \
    person { givenNames familyNames birth { year } } \
    needs { edges { node { code status } } } \
    encounters(first: 5) { edges { node { occurredAt channel } } } } } }";

/// Statements (`statement:` or `execute …:` lines) of the serving role in `lines`, grouped by
/// transaction: a server process's statements from a `BEGIN` to its `COMMIT` or `ROLLBACK`, with
/// the pool's check that follows when the connection is handed back. Transactions begun before
/// the window, not ended in it, in a service scope (the outbox relay, the audit sealer: their
/// scope shows in the parameters of the statement that sets it) or sealing a tenant's audit
/// entries (the sealer, under the tenant's `audit_heads` row) are left out.
fn request_transactions(lines: &[String]) -> Vec<Vec<String>> {
    #[derive(Default)]
    struct Seen {
        statements: Vec<String>,
        ended: bool,
        background: bool,
    }
    let mut by_process: std::collections::HashMap<String, Vec<Seen>> = Default::default();
    for line in lines.iter().filter(|l| l.contains(" sportello_app@")) {
        let process = line.split(['[', ']']).nth(1).unwrap_or_default().to_owned();
        let seen = by_process.entry(process).or_default();
        let Some((_, text)) = line
            .split_once("LOG:  ")
            .or_else(|| line.split_once("DETAIL:  "))
        else {
            continue;
        };
        if let Some(params) = text.strip_prefix("parameters: ") {
            // The scope's statement is the second of a transaction; `$4` is a service scope.
            if let Some(tx) = seen.last_mut().filter(|tx| tx.statements.len() == 2) {
                tx.background |= params.contains("$4 = '") && !params.contains("$4 = ''");
            }
            continue;
        }
        if !(text.starts_with("statement: ") || text.starts_with("execute ")) {
            continue;
        }
        if text == "statement: BEGIN" {
            seen.push(Seen {
                statements: vec![text.to_owned()],
                ..Seen::default()
            });
        } else if let Some(tx) = seen.last_mut() {
            tx.ended |= text == "statement: COMMIT" || text == "statement: ROLLBACK";
            // The sealer seals a tenant's entries in that tenant's scope, under its head.
            tx.background |= text.contains("\"audit_heads\"");
            tx.statements.push(text.to_owned());
        }
    }
    by_process
        .into_values()
        .flatten()
        .filter(|tx| tx.ended && !tx.background)
        .map(|tx| tx.statements)
        .collect()
}

/// Acceptance of the request path: one case read is one transaction of the cases service (the
/// signed-in actor comes from the session cache) of at most 8 statements in all, each one round
/// trip; a case list with each case's needs is two transactions, whatever its length; opening a
/// case is one transaction of at most 6 statements, its writes in one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_read_is_one_transaction_of_at_most_eight_statements() {
    let log = postgres_log_path();
    let (app, admin, database, sides) = two_tenants_with_cases("rt", "log_statement = 'all'").await;
    let (alfa, beta) = (&sides[0], &sides[1]);

    // What one request did: its transactions and the statements in them.
    let measure = async |query: &str, variables: Value| {
        // Warm: the actor is kept in the session cache after the first request.
        for _ in 0..3 {
            alfa.op.ok(query, variables.clone()).await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let offset = log_len(&log);
        let data = alfa.op.ok(query, variables.clone()).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let lines = log_lines_since(&log, offset, &database);
        (data, request_transactions(&lines))
    };

    let (data, txs) = measure(CASE_DETAIL, json!({ "c": alfa.cases[0] })).await;
    assert_eq!(data["node"]["status"], "INTAKE", "{data}");
    assert_eq!(data["node"]["person"]["givenNames"], "Amina", "{data}");
    assert_eq!(
        data["node"]["needs"]["edges"].as_array().map(Vec::len),
        Some(1),
        "{data}"
    );
    assert_eq!(txs.len(), 1, "one transaction: {txs:#?}");
    // Each statement is one round trip.
    let statements: usize = txs.iter().map(Vec::len).sum();
    assert!(statements <= 8, "{statements} statements: {txs:#?}");
    assert!(
        txs[0].iter().any(|s| s.contains("audit_pending")),
        "the read is audited in its own transaction: {txs:#?}"
    );
    // The other tenant's case is not there for alfa, and beta sees its own.
    let theirs = alfa
        .op
        .gql(CASE_DETAIL, json!({ "c": beta.cases[0] }))
        .await;
    assert!(theirs["data"]["node"].is_null(), "{theirs}");
    let own = beta.op.ok(CASE_DETAIL, json!({ "c": beta.cases[0] })).await;
    assert_eq!(own["node"]["person"]["givenNames"], "Amina", "{own}");

    // A list of cases with the needs of each: the list, then all the needs together.
    let (data, txs) = measure(CASE_LIST, json!({})).await;
    let listed = data["cases"]["edges"].as_array().map(Vec::len);
    assert_eq!(listed, Some(3), "alfa's three cases only: {data}");
    assert_eq!(txs.len(), 2, "two transactions: {txs:#?}");

    // Opening a case: the person locked, the open case and consents in one read, the case, its
    // audit entry and its event in one write.
    let mut persons = Vec::new();
    for given in ["Nadia", "Samir"] {
        let person = alfa
            .op
            .id(
                "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
                json!({ "i": { "givenNames": given, "familyNames": "Haddad", "territoryCode": "052022" } }),
            )
            .await;
        alfa.op
            .ok(
                "mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }",
                json!({ "p": person }),
            )
            .await;
        persons.push(person);
    }
    const OPEN: &str = "mutation($p: ID!) { openCase(personId: $p) { id status } }";
    alfa.op.ok(OPEN, json!({ "p": persons[0] })).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let offset = log_len(&log);
    let opened = alfa.op.ok(OPEN, json!({ "p": persons[1] })).await;
    assert_eq!(opened["openCase"]["status"], "INTAKE", "{opened}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let txs = request_transactions(&log_lines_since(&log, offset, &database));
    assert_eq!(txs.len(), 1, "one transaction: {txs:#?}");
    assert!(txs[0].len() <= 6, "{} statements: {txs:#?}", txs[0].len());
    assert!(
        txs[0].iter().any(|s| s.contains("INSERT INTO \"cases\"")
            && s.contains("audit_pending")
            && s.contains("outbox")),
        "the case, its audit entry and its event in one statement: {txs:#?}"
    );
    // The case is alfa's only: beta cannot read it.
    let id = opened["openCase"]["id"].as_str().expect("case id");
    let theirs = beta.op.gql(CASE_DETAIL, json!({ "c": id })).await;
    assert!(theirs["data"]["node"].is_null(), "{theirs}");

    // Connections handed back healthy are reused: 60 reads in a row run on no more server
    // processes than the three services' pools hold together (a check that closed every
    // connection it was handed would open one per read).
    let offset = log_len(&log);
    for i in 0..60 {
        let case = &alfa.cases[i % alfa.cases.len()];
        alfa.op.ok(CASE_DETAIL, json!({ "c": case })).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let lines = log_lines_since(&log, offset, &database);
    let processes: std::collections::HashSet<&str> = lines
        .iter()
        .filter(|l| l.contains(" sportello_app@"))
        .filter_map(|l| l.split(['[', ']']).nth(1))
        .collect();
    let pools = 3 * app.config.database_max_connections as usize;
    assert!(
        processes.len() <= pools,
        "{} server processes for 60 reads (pools hold {pools})",
        processes.len()
    );
    admin.close().await.ok();
}
