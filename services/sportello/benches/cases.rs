//! Cases benchmark on PostgreSQL + Redis, against a server started in this process on
//! 127.0.0.1:0. See `docs/benchmarks.md` for what it measures and how to read it.
//!
//! ```sh
//! cargo bench -p sportello --bench cases
//! ```
//!
//! It creates 20 tenants with their operators through GraphQL, seeds 1,000,000 persons with
//! their blocking keys, 100,000 cases, 500,000 encounters and 300,000 needs with SQL
//! (`support/cases_seed.rs`), then reports, at 8 and 32 connections: (a) the case detail through
//! `/graphql`, (b) the same data by its minimal SQL as the serving role, (c) their ratio, (d)
//! `openCase` against pgbench's TPC-B at scale 10, (e) CPU per request in the server and in
//! PostgreSQL, (f) the case detail's p99 in an open loop at 70% of its peak rate, (g) reads
//! spread over the 20 tenants against reads all on one tenant; at 1 and 8 connections, (h) the
//! duplicate search over the million persons, for the stored spelling of a person's names and
//! for another one, with the share of searches that find the person; then the targets of
//! issues 11 and 14, met or not.
//!
//! `SPORTELLO_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) is the
//! server the benchmark creates its databases on (and drops at the end); `pgbench` must be on the
//! `PATH`. `SPORTELLO_TEST_REDIS_URL` (default `redis://127.0.0.1:6379`) is used with a random
//! key prefix, whose keys are deleted at the end. `SPORTELLO_BENCH_SECONDS` shortens (or
//! lengthens) every measurement, for a quick trial.

// The benchmark seeds the store and measures the minimal SQL directly.
#![allow(clippy::disallowed_methods)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use futures::{StreamExt as _, TryStreamExt as _};
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    TransactionTrait,
};
use serde_json::json;
use sportello::{Config, Role};
use tokio::sync::Mutex;
use uuid::Uuid;

#[path = "support/cases_fixtures.rs"]
mod fixtures;
#[path = "support/cases_load.rs"]
mod load;
#[path = "support/cases_report.rs"]
mod report;
#[path = "support/cases_seed.rs"]
mod seed;

use fixtures::{Client, Lcg, Session, decode_id, encode_id, load_client, post, str_at, variant};
use load::{CpuMeter, Summary, Window, alternating, closed_loop, open_loop};
use seed::{TenantData, TenantSeed};

const ADMIN_EMAIL: &str = "platform@bench.example.org";
const ADMIN_PASSWORD: &str = "Torre-del-Mangia-2026";

const TENANTS: usize = 20;
/// Operators per tenant. A user runs at most 8 operations at once (`limits.concurrent_per_user`),
/// so 32 connections on one tenant need 4 of them.
const OPERATORS: usize = 4;

/// Tuscan municipalities in force (ISTAT code, official name), two for each of the `TENANTS`,
/// from services/tenancy/data/istat_municipalities.tsv: the server refuses other codes and names.
const TUSCAN_MUNICIPALITIES: [(&str, &str); 2 * TENANTS] = [
    ("045001", "Aulla"),
    ("046001", "Altopascio"),
    ("047002", "Agliana"),
    ("048001", "Bagno a Ripoli"),
    ("049001", "Bibbona"),
    ("050001", "Bientina"),
    ("051001", "Anghiari"),
    ("052001", "Abbadia San Salvatore"),
    ("053001", "Arcidosso"),
    ("045002", "Bagnone"),
    ("046002", "Bagni di Lucca"),
    ("047003", "Buggiano"),
    ("048002", "Barberino di Mugello"),
    ("049002", "Campiglia Marittima"),
    ("050002", "Buti"),
    ("051002", "Arezzo"),
    ("052002", "Asciano"),
    ("053002", "Campagnatico"),
    ("045003", "Carrara"),
    ("046003", "Barga"),
    ("047005", "Lamporecchio"),
    ("048004", "Borgo San Lorenzo"),
    ("049003", "Campo nell'Elba"),
    ("050003", "Calci"),
    ("051003", "Badia Tedalda"),
    ("052003", "Buonconvento"),
    ("053003", "Capalbio"),
    ("045004", "Casola in Lunigiana"),
    ("046004", "Borgo a Mozzano"),
    ("047006", "Larciano"),
    ("048005", "Calenzano"),
    ("049004", "Capoliveri"),
    ("050004", "Calcinaia"),
    ("051004", "Bibbiena"),
    ("052004", "Casole d'Elsa"),
    ("053004", "Castel del Piano"),
    ("045005", "Comano"),
    ("046005", "Camaiore"),
    ("047007", "Marliana"),
    ("048006", "Campi Bisenzio"),
];
/// Tenants set up through GraphQL at once.
const SETUP_TASKS: usize = 4;
/// The numbers of concurrent connections measured.
const CONNS: [usize; 2] = [8, 32];
/// Turns in which scenarios compared with each other alternate (see `load::alternating`).
const TURNS: u32 = 5;
/// Share of the peak rate offered in the open loop.
const OPEN_LOOP_SHARE: f64 = 0.7;
/// The numbers of concurrent connections of the duplicate search.
const SEARCH_CONNS: [usize; 2] = [1, 8];
/// Matches a duplicate search asks for: the most `personDuplicates` gives, so that the persons
/// of the very same name (about eight per tenant, more across scripts) do not hide the one
/// searched for.
const SEARCH_LIMIT: i32 = 50;

const DETAIL: &str = "query($id: ID!) { node(id: $id) { ... on Case { status \
    person { givenNames familyNames latinGivenNames latinFamilyNames birth { year } sex countryOfBirth citizenships territoryCode } \
    needs { edges { node { code status } } } \
    encounters(first: 5) { edges { node { occurredAt channel } } } } } }";
const OPEN_CASE: &str = "mutation($p: ID!) { openCase(personId: $p) { id status } }";
const SEARCH: &str = "query($g: String!, $f: String!, $n: Int) { personDuplicates(givenNames: $g, familyNames: $f, limit: $n) { score person { id } } }";

fn main() -> anyhow::Result<()> {
    // The server and the load generators run on runtimes of their own, so that the CPU time of
    // each can be told apart by thread (see `load`).
    let server = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name(load::SERVER_THREADS)
        .build()
        .context("server runtime")?;
    let clients = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name(load::CLIENT_THREADS)
        .build()
        .context("client runtime")?;
    let outcome = clients.block_on(bench(server.handle().clone()));
    server.shutdown_timeout(Duration::from_secs(5));
    outcome
}

/// How long each kind of measurement lasts.
struct Timing {
    reads: Window,
    writes: Window,
    open_loop: Duration,
    search: Window,
    pgbench_secs: u64,
}

impl Timing {
    fn from_env() -> Timing {
        let secs = std::env::var("SPORTELLO_BENCH_SECONDS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok());
        let each = |default: u64| Duration::from_secs(secs.unwrap_or(default));
        Timing {
            reads: Window {
                warmup: Duration::from_secs(3),
                measure: each(15),
            },
            writes: Window {
                warmup: Duration::from_secs(2),
                measure: each(10),
            },
            open_loop: each(15),
            search: Window {
                warmup: Duration::from_secs(2),
                measure: each(10),
            },
            pgbench_secs: secs.unwrap_or(20),
        }
    }
}

async fn bench(server_runtime: tokio::runtime::Handle) -> anyhow::Result<()> {
    let started = Instant::now();
    let admin_url = std::env::var("SPORTELLO_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let redis_url = std::env::var("SPORTELLO_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let (db_name, db_url) = fresh_postgres_database(&admin_url).await?;
    let config = Config {
        listen: "127.0.0.1:0".into(),
        bootstrap_admin_email: Some(ADMIN_EMAIL.into()),
        bootstrap_admin_password: Some(ADMIN_PASSWORD.into()),
        log_level: "warn".into(),
        database_url: Some(db_url.clone()),
        redis_url: Some(redis_url.clone()),
        redis_prefix: format!("sportello-bench-{}:", Uuid::new_v4().simple()),
        ..Config::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server_config = config.clone();
    let server = server_runtime
        .spawn(async move {
            let app = sportello::build(&server_config, &Role::ALL)
                .await
                .context("build the application")?;
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .context("bind 127.0.0.1:0")?;
            let addr: SocketAddr = listener.local_addr()?;
            let handle = tokio::spawn(sportello::serve(app, listener, async move {
                stopped.await.ok();
            }));
            anyhow::Ok((format!("http://{addr}"), handle))
        })
        .await
        .context("server start-up task")
        .and_then(|started| started);

    let outcome = match server {
        Ok((url, handle)) => {
            let outcome = run(&url, &config, &db_url, &db_name, &admin_url).await;
            stop.send(()).ok();
            match tokio::time::timeout(Duration::from_secs(10), handle).await {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(err))) => eprintln!("the server failed: {err:#}"),
                Ok(Err(err)) => eprintln!("the server task failed: {err}"),
                Err(_) => eprintln!("the server did not stop within 10 s"),
            }
            outcome
        }
        Err(err) => Err(err),
    };
    if let Err(err) = drop_database(&admin_url, &db_name).await {
        eprintln!("could not drop the benchmark database {db_name}: {err:#}");
    }
    if let Err(err) = clear_redis(&redis_url, &config.redis_prefix).await {
        eprintln!(
            "could not delete the Redis keys {}*: {err:#}",
            config.redis_prefix
        );
    }
    outcome?;
    println!("total run time: {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// A fresh, empty PostgreSQL database; returns its name and URL (as the owner).
async fn fresh_postgres_database(admin: &str) -> anyhow::Result<(String, String)> {
    let name = format!("sportello_bench_{}", Uuid::new_v4().simple());
    let conn = Database::connect(admin)
        .await
        .with_context(|| format!("connect to PostgreSQL at {admin}"))?;
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .context("create the benchmark database")?;
    conn.close().await.ok();
    let mut url: reqwest::Url = admin.parse().context("PostgreSQL URL")?;
    url.set_path(&format!("/{name}"));
    Ok((name, url.to_string()))
}

async fn drop_database(admin: &str, name: &str) -> anyhow::Result<()> {
    let conn = Database::connect(admin).await?;
    conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    conn.close().await.ok();
    Ok(())
}

/// Deletes the keys the run left under its prefix (sessions, counters, the event stream).
async fn clear_redis(url: &str, prefix: &str) -> anyhow::Result<()> {
    let client = redis::Client::open(url)?;
    let mut conn = client.get_multiplexed_async_connection().await?;
    let mut cursor = 0u64;
    loop {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}*"))
            .arg("COUNT")
            .arg(1000)
            .query_async(&mut conn)
            .await?;
        if !keys.is_empty() {
            redis::cmd("DEL")
                .arg(&keys)
                .query_async::<()>(&mut conn)
                .await?;
        }
        if next == 0 {
            return Ok(());
        }
        cursor = next;
    }
}

/// A tenant as the load generators see it.
struct Tenant {
    id: Uuid,
    sessions: Vec<Session>,
    data: TenantData,
    /// Persons `openCase` may still take.
    openable: Mutex<Vec<Uuid>>,
}

/// What every load task shares.
struct Bench {
    endpoint: String,
    tenants: Vec<Tenant>,
    /// One HTTP client (so one keep-alive connection) per closed-loop task.
    http: Vec<reqwest::Client>,
    /// The open loop's client: it opens as many connections as requests are in flight.
    shared_http: reqwest::Client,
    /// Duplicate searches that found the person searched for, and all of them, by spelling.
    recall: [(AtomicU64, AtomicU64); 2],
}

/// Which spelling of a person's names a duplicate search uses.
#[derive(Clone, Copy)]
enum Spelling {
    /// As stored.
    Stored = 0,
    /// Another one ([`fixtures::variant`]).
    Variant = 1,
}

/// Which tenants a closed loop reads.
#[derive(Clone, Copy)]
enum Spread {
    /// Task `k`'s request `i` goes to tenant `(k + i) mod 20`.
    All,
    /// Every request goes to the first tenant.
    One,
}

impl Bench {
    fn tenant_of(&self, spread: Spread, task: usize, i: u64) -> usize {
        match spread {
            Spread::All => (task + i as usize) % self.tenants.len(),
            Spread::One => 0,
        }
    }

    /// A case of the tenant, picked at random from the task and iteration.
    fn pick_case(&self, tenant: usize, task: usize, i: u64) -> (Uuid, usize, usize) {
        let cases = &self.tenants[tenant].data.cases;
        let mut rng = Lcg(((task as u64) << 40) ^ i ^ 0x9e37_79b9_7f4a_7c15);
        rng.next();
        cases[rng.below(cases.len())]
    }

    async fn detail(
        &self,
        http: &reqwest::Client,
        tenant: usize,
        operator: usize,
        case: (Uuid, usize, usize),
    ) -> anyhow::Result<()> {
        let session = &self.tenants[tenant].sessions[operator];
        let variables = json!({ "id": encode_id("Case", case.0) });
        let resp = post(http, &self.endpoint, session, DETAIL, variables).await?;
        let node = &resp["data"]["node"];
        let encounters = node["encounters"]["edges"].as_array().map_or(0, Vec::len);
        let needs = node["needs"]["edges"].as_array().map_or(0, Vec::len);
        if resp.get("errors").is_some()
            || node["person"]["latinFamilyNames"].as_str().is_none()
            || encounters != case.1.min(5)
            || needs != case.2
        {
            bail!("unexpected case detail: {resp}");
        }
        Ok(())
    }

    async fn detail_closed(&self, spread: Spread, task: usize, i: u64) -> anyhow::Result<()> {
        let tenant = self.tenant_of(spread, task, i);
        let case = self.pick_case(tenant, task, i);
        self.detail(&self.http[task], tenant, task % OPERATORS, case)
            .await
    }

    async fn open_case(&self, task: usize, i: u64) -> anyhow::Result<()> {
        let tenant = self.tenant_of(Spread::All, task, i);
        let person = self.tenants[tenant]
            .openable
            .lock()
            .await
            .pop()
            .ok_or_else(|| anyhow!("no person left to open a case for in tenant {tenant}"))?;
        let session = &self.tenants[tenant].sessions[task % OPERATORS];
        let variables = json!({ "p": encode_id("Person", person) });
        let resp = post(
            &self.http[task],
            &self.endpoint,
            session,
            OPEN_CASE,
            variables,
        )
        .await?;
        if resp.get("errors").is_some() || resp["data"]["openCase"]["status"] != "INTAKE" {
            bail!("unexpected openCase answer: {resp}");
        }
        Ok(())
    }

    /// Searches for the names of a person of tenant `(task + i) mod 20`, picked at random, in
    /// the given spelling, as one of the tenant's operators; counts whether the answer holds
    /// that person. A malformed answer is an error; a miss is not (it is the recall's).
    async fn search(&self, spelling: Spelling, task: usize, i: u64) -> anyhow::Result<()> {
        let tenant = self.tenant_of(Spread::All, task, i);
        let searched = &self.tenants[tenant].data.searched;
        let mut rng = Lcg(((task as u64) << 40) ^ i ^ 0x5851_f42d_4c95_7f2d);
        rng.next();
        let person = &searched[rng.below(searched.len())];
        let (given, family) = match spelling {
            Spelling::Stored => (person.given.clone(), person.family.clone()),
            Spelling::Variant => variant(&person.given, &person.family),
        };
        let variables = json!({ "g": given, "f": family, "n": SEARCH_LIMIT });
        let session = &self.tenants[tenant].sessions[task % OPERATORS];
        let resp = post(&self.http[task], &self.endpoint, session, SEARCH, variables).await?;
        let found = resp["data"]["personDuplicates"]
            .as_array()
            .filter(|_| resp.get("errors").is_none())
            .ok_or_else(|| anyhow!("unexpected personDuplicates answer: {resp}"))?;
        let wanted = encode_id("Person", person.id);
        let hit = found.iter().any(|m| m["person"]["id"] == wanted.as_str());
        let (hits, all) = &self.recall[spelling as usize];
        all.fetch_add(1, Ordering::Relaxed);
        if hit {
            hits.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// The share of the searches in `spelling` that found the person, and how many there were;
    /// the counters start again.
    fn take_recall(&self, spelling: Spelling) -> (f64, u64) {
        let (hits, all) = &self.recall[spelling as usize];
        let (hits, all) = (
            hits.swap(0, Ordering::Relaxed),
            all.swap(0, Ordering::Relaxed),
        );
        (hits as f64 / (all.max(1)) as f64, all)
    }
}

async fn run(
    url: &str,
    config: &Config,
    db_url: &str,
    db_name: &str,
    admin_url: &str,
) -> anyhow::Result<()> {
    let timing = Timing::from_env();
    let t0 = Instant::now();
    let mut platform = Client::new(url)?;
    platform
        .sign_in(
            "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { csrfToken } }",
            "login",
            json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
        )
        .await
        .context("platform administrator login")?;
    let set_up: Vec<(TenantSeed, Vec<Session>)> = futures::stream::iter(0..TENANTS)
        .map(|t| set_up_tenant(url, &platform, t))
        .buffered(SETUP_TASKS)
        .try_collect()
        .await?;
    println!(
        "setup: {TENANTS} tenants, each with 2 territories, an administrator and {OPERATORS} signed-in operators, through GraphQL in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let seeds: Vec<TenantSeed> = set_up.iter().map(|(s, _)| s.clone()).collect();
    let data = seed::seed(db_url, &seeds).await?;
    let tenants = set_up
        .into_iter()
        .zip(data)
        .map(|((seed, sessions), data)| Tenant {
            id: seed.id,
            sessions,
            openable: Mutex::new(data.openable.clone()),
            data,
        })
        .collect();
    let max_conns = CONNS.into_iter().max().unwrap_or(1);
    let bench = Arc::new(Bench {
        endpoint: format!("{url}/graphql"),
        tenants,
        http: (0..max_conns)
            .map(|_| load_client())
            .collect::<anyhow::Result<_>>()?,
        shared_http: load_client()?,
        recall: Default::default(),
    });
    let meter = CpuMeter::new(db_name);
    println!("setup: done in {:.1} s", t0.elapsed().as_secs_f64());
    println!();
    let load_before = load::load_average();
    println!("measuring… (load average {load_before})");

    // (a) The case detail through /graphql, reads spread over every tenant, in turns with (b)
    // the same data by its minimal SQL, as the serving role.
    let pool = serving_pool(config, db_url, max_conns as u32).await?;
    let b = bench.clone();
    let graphql_op = load::op(move |task, i| {
        let b = b.clone();
        async move { b.detail_closed(Spread::All, task, i).await }
    });
    let (b, p) = (bench.clone(), pool.clone());
    let sql_op = load::op(move |task, i| {
        let (b, pool) = (b.clone(), p.clone());
        async move {
            let tenant = b.tenant_of(Spread::All, task, i);
            let case = b.pick_case(tenant, task, i);
            detail_sql(&pool, b.tenants[tenant].id, case).await
        }
    });
    let (mut graphql, mut sql) = (Vec::new(), Vec::new());
    for conns in CONNS {
        let ops = [
            ("case detail via /graphql", graphql_op.clone()),
            ("case detail by minimal SQL", sql_op.clone()),
        ];
        let [g, s] = pair(alternating(&ops, conns, timing.reads, TURNS, &meter).await?)?;
        progress(&g);
        progress(&s);
        graphql.push(g);
        sql.push(s);
    }
    pool.close().await.ok();

    // (f) The case detail at 70% of its peak rate, open loop.
    let peak = graphql.iter().map(|s| s.rps).fold(0.0, f64::max);
    let b = bench.clone();
    let open = open_loop(
        &format!("case detail, open loop at {OPEN_LOOP_SHARE} x peak"),
        OPEN_LOOP_SHARE * peak,
        timing.open_loop,
        &meter,
        move |i| {
            let b = b.clone();
            async move {
                let tenant = i as usize % b.tenants.len();
                let operator = i as usize / b.tenants.len() % OPERATORS;
                let case = b.pick_case(tenant, 0, i);
                b.detail(&b.shared_http, tenant, operator, case).await
            }
        },
    )
    .await?;
    progress(&open);

    // (g) Reads spread over the 20 tenants against reads all on one tenant, in turns.
    let mut tenant_runs = Vec::new();
    for conns in CONNS {
        let ops = [Spread::All, Spread::One].map(|spread| {
            let b = bench.clone();
            let label = match spread {
                Spread::All => "case detail, 20 tenants in parallel",
                Spread::One => "case detail, all on one tenant",
            };
            let op = load::op(move |task, i| {
                let b = b.clone();
                async move { b.detail_closed(spread, task, i).await }
            });
            (label, op)
        });
        let [spread, one] = pair(alternating(&ops, conns, timing.writes, TURNS, &meter).await?)?;
        progress(&spread);
        progress(&one);
        tenant_runs.push((spread, one));
    }

    // (d) openCase, then pgbench's TPC-B for reference.
    let mut open_case = Vec::new();
    for conns in CONNS {
        let b = bench.clone();
        let op = load::op(move |task, i| {
            let b = b.clone();
            async move { b.open_case(task, i).await }
        });
        let s = closed_loop("openCase via /graphql", conns, timing.writes, &meter, op).await?;
        progress(&s);
        open_case.push(s);
    }

    // (h) The duplicate search over the million persons, spread over every tenant, for the
    // stored spelling and for another one.
    let mut search = Vec::new();
    for conns in SEARCH_CONNS {
        for (spelling, label) in [
            (Spelling::Stored, "personDuplicates, stored spelling"),
            (Spelling::Variant, "personDuplicates, variant spelling"),
        ] {
            let b = bench.clone();
            let op = load::op(move |task, i| {
                let b = b.clone();
                async move { b.search(spelling, task, i).await }
            });
            let summary = closed_loop(label, conns, timing.search, &meter, op).await?;
            let (recall, searches) = bench.take_recall(spelling);
            progress(&summary);
            println!(
                "    recall {:.1}% of {searches} searches, p95 {:.2} ms",
                recall * 100.0,
                load::ms(summary.p95)
            );
            search.push(report::Search {
                summary,
                recall,
                searches,
            });
        }
    }

    let pgbench = report::pgbench(admin_url, &CONNS, timing.pgbench_secs)
        .await
        .map_err(|err| format!("{err:#}"));

    let pg_version = server_version(admin_url)
        .await
        .unwrap_or_else(|_| "PostgreSQL".into());
    report::print(
        &report::Results {
            graphql,
            sql,
            open_case,
            pgbench,
            open_loop: (open, peak),
            tenants: tenant_runs,
            search,
        },
        &format!(
            "cases benchmark, {} UTC, {pg_version} + Redis, server in-process on loopback, {} cores\n\
             data: {TENANTS} tenants, {} persons, {} cases, {} encounters, {} needs\n\
             load average (1, 5, 15 min): {load_before} before measuring, {} after",
            chrono::Utc::now().format("%Y-%m-%d %H:%M"),
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            TENANTS * seed::PERSONS,
            TENANTS * seed::CASES,
            TENANTS * seed::ENCOUNTERS,
            TENANTS * seed::NEEDS,
            load::load_average(),
        ),
    );
    Ok(())
}

/// The two summaries of a pair of scenarios run in turns.
fn pair(runs: Vec<Summary>) -> anyhow::Result<[Summary; 2]> {
    runs.try_into()
        .map_err(|_| anyhow!("expected two measurements"))
}

fn progress(s: &Summary) {
    println!(
        "  {} ({} conns): {:.1} req/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
        s.label,
        s.conns,
        s.rps,
        load::ms(s.p50),
        load::ms(s.p99),
        s.errors
    );
}

/// Creates tenant `t` with its territories, administrator and signed-in operators.
async fn set_up_tenant(
    url: &str,
    platform: &Client,
    t: usize,
) -> anyhow::Result<(TenantSeed, Vec<Session>)> {
    let created = platform
        .ok(
            "mutation($i: CreateTenantInput!) { createTenant(input: $i) { tenant { id } adminInvitation { token } } }",
            json!({ "i": {
                "name": format!("Consorzio Bench {t:02}"), "kind": "CONSORTIUM",
                "adminEmail": format!("admin@t{t:02}.bench.example.org"),
            } }),
        )
        .await?;
    let tenant = decode_id(
        "Tenant",
        str_at(&created, &["createTenant", "tenant", "id"])?,
    )?;
    let mut admin = Client::new(url)?;
    admin
        .accept(
            str_at(&created, &["createTenant", "adminInvitation", "token"])?,
            "Piazza-Grande-2026",
        )
        .await
        .context("administrator accepts")?;
    // Two Tuscan municipalities in force for every tenant, all distinct.
    let territories = [0, 1].map(|k| TUSCAN_MUNICIPALITIES[2 * t + k]);
    for (code, name) in territories {
        admin
            .ok(
                "mutation($i: AddTerritoryInput!) { addTerritory(input: $i) { id } }",
                json!({ "i": { "istatCode": code, "name": name } }),
            )
            .await?;
    }
    let territories = territories.map(|(code, _)| code.to_owned());
    let mut sessions = Vec::new();
    let mut first_operator = None;
    for k in 0..OPERATORS {
        let invited = admin
            .ok(
                "mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }",
                json!({ "i": { "email": format!("operator{k}@t{t:02}.bench.example.org"), "roles": ["OPERATOR"] } }),
            )
            .await?;
        let mut operator = Client::new(url)?;
        operator
            .accept(
                str_at(&invited, &["inviteUser", "token"])?,
                "Ponte-Vecchio-2026",
            )
            .await
            .context("operator accepts")?;
        if first_operator.is_none() {
            let viewer = operator
                .ok("query { viewer { user { id } } }", json!({}))
                .await?;
            first_operator = Some(decode_id(
                "User",
                str_at(&viewer, &["viewer", "user", "id"])?,
            )?);
        }
        sessions.push(operator.session()?);
    }
    let seed = TenantSeed {
        index: t,
        id: tenant,
        operator: first_operator.ok_or_else(|| anyhow!("no operator"))?,
        territories,
    };
    Ok((seed, sessions))
}

/// A pool as the serving role, as the cases service opens it.
async fn serving_pool(
    config: &Config,
    db_url: &str,
    max: u32,
) -> anyhow::Result<DatabaseConnection> {
    let mut url: reqwest::Url = db_url.parse().context("database URL")?;
    url.set_username(&config.database_app_role)
        .map_err(|()| anyhow!("cannot set the user of the database URL"))?;
    url.set_password(config.database_app_password.as_deref())
        .map_err(|()| anyhow!("cannot set the password of the database URL"))?;
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(max)
        .min_connections(0)
        .sqlx_logging(false)
        .set_schema_search_path("cases".to_owned());
    Database::connect(options)
        .await
        .context("connect as the serving role")
}

/// The case detail by hand: one transaction, the tenant setting as the product sets it, and four
/// selects of what the screen shows; row-level security applies (the serving role).
async fn detail_sql(
    pool: &DatabaseConnection,
    tenant: Uuid,
    (case, encounters_total, needs_total): (Uuid, usize, usize),
) -> anyhow::Result<()> {
    let pg = DbBackend::Postgres;
    let tx = pool.begin().await?;
    tx.execute_raw(Statement::from_sql_and_values(
        pg,
        "SELECT set_config('app.tenant_id', $1, true)",
        [tenant.to_string().into()],
    ))
    .await?;
    let row = tx
        .query_one_raw(Statement::from_sql_and_values(
            pg,
            "SELECT id, person_id, status, version FROM cases WHERE tenant_id = $1 AND id = $2",
            [tenant.into(), case.into()],
        ))
        .await?
        .ok_or_else(|| anyhow!("case {case} not found"))?;
    let person: Uuid = row.try_get("", "person_id")?;
    let _status: String = row.try_get("", "status")?;
    let row = tx
        .query_one_raw(Statement::from_sql_and_values(
            pg,
            "SELECT id, given_names, family_names, latin_given_names, latin_family_names, \
             birth_year, sex, country_of_birth, citizenships, territory_code \
             FROM persons WHERE tenant_id = $1 AND id = $2",
            [tenant.into(), person.into()],
        ))
        .await?
        .ok_or_else(|| anyhow!("person {person} not found"))?;
    let _family: String = row.try_get("", "latin_family_names")?;
    let _birth: Option<i32> = row.try_get("", "birth_year")?;
    let needs = tx
        .query_all_raw(Statement::from_sql_and_values(
            pg,
            "SELECT id, code, status FROM needs WHERE tenant_id = $1 AND case_id = $2 ORDER BY id",
            [tenant.into(), case.into()],
        ))
        .await?;
    for need in &needs {
        let _code: String = need.try_get("", "code")?;
        let _status: String = need.try_get("", "status")?;
    }
    // Newest first by id (UUID v7), as the service pages them.
    let encounters = tx
        .query_all_raw(Statement::from_sql_and_values(
            pg,
            "SELECT id, occurred_at, channel FROM encounters WHERE tenant_id = $1 AND case_id = $2 \
             ORDER BY id DESC LIMIT 5",
            [tenant.into(), case.into()],
        ))
        .await?;
    for encounter in &encounters {
        let _at: DateTimeUtc = encounter.try_get("", "occurred_at")?;
        let _channel: String = encounter.try_get("", "channel")?;
    }
    tx.commit().await?;
    if encounters.len() != encounters_total.min(5) || needs.len() != needs_total {
        bail!("unexpected minimal-SQL case detail for {case}");
    }
    Ok(())
}

async fn server_version(admin: &str) -> anyhow::Result<String> {
    let conn = Database::connect(admin).await?;
    let row = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_setting('server_version') AS v",
        ))
        .await?
        .context("server version")?;
    conn.close().await.ok();
    let version: String = row.try_get("", "v")?;
    let short = version.split_whitespace().next().unwrap_or(&version);
    Ok(format!("PostgreSQL {short}"))
}
