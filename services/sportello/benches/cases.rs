//! Cases benchmark on PostgreSQL + Redis, against a server started in-process on 127.0.0.1:0.
//!
//! Reports, in one run:
//! 1. the case detail query through `/graphql` (a case, its person, its needs and its 5 latest
//!    encounters), by a signed-in operator, sequentially and with 8 concurrent clients;
//! 2. the same data fetched by hand-written SQL as the application role (the raw-SQL floor), and
//!    the ratio of the two medians;
//! 3. the `openCase` mutation;
//! 4. `personDuplicates` over 100,000 persons of the tenant, seeded directly with SQL.
//!
//! ```sh
//! cargo bench -p sportello --bench cases
//! ```
//!
//! `SPORTELLO_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) is the
//! server the benchmark creates its own database on (and drops at the end);
//! `SPORTELLO_TEST_REDIS_URL` (default `redis://127.0.0.1:6379`) is used with a random key prefix.

// The benchmark seeds the store and measures the raw-SQL floor directly.
#![allow(clippy::disallowed_methods)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail, ensure};
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    TransactionTrait,
};
use serde_json::json;
use sportello::{Config, Role};
use sportello_cases::domain::names::{
    KEYS_VERSION, Names, name_key, stored_skeleton, transliterate,
};
use uuid::Uuid;

#[path = "support/cases_fixtures.rs"]
mod fixtures;

use fixtures::{CHANNELS, Client, FAMILY, GIVEN, Lcg, NEEDS, decode_id, encode_id, str_at};

const ADMIN_EMAIL: &str = "platform@bench.example.org";
const ADMIN_PASSWORD: &str = "Torre-del-Mangia-2026";
const TERRITORY: &str = "052022";

/// Cases created through GraphQL for the detail query.
const DETAIL_CASES: usize = 200;
/// Persons inserted with SQL for the search.
const PERSONS: usize = 100_000;
const BATCH: usize = 1_000;
/// Parameters per seeded row (the tenant, territory and creator are shared).
const COLUMNS: usize = 12;
/// Client tasks used to build the data set through GraphQL (setup only).
const SETUP_TASKS: usize = 4;

const WARMUP_READS: usize = 200;
const READS: usize = 2_000;
const CONCURRENCY: usize = 8;
const WARMUP_WRITES: usize = 20;
const OPEN_CASES: usize = 500;
const WARMUP_SEARCHES: usize = 20;
const SEARCHES: usize = 500;

const DETAIL: &str = "query($id: ID!) { node(id: $id) { ... on Case { status \
    person { givenNames familyNames latinGivenNames latinFamilyNames birth { year } sex countryOfBirth citizenships territoryCode } \
    needs { edges { node { code status } } } \
    encounters(first: 5) { edges { node { occurredAt channel } } } } } }";
const OPEN_CASE: &str = "mutation($p: ID!) { openCase(personId: $p) { id status } }";
const SEARCH: &str = "query($g: String!, $f: String!) { personDuplicates(givenNames: $g, familyNames: $f) { score person { id latinGivenNames latinFamilyNames } } }";
const CONSENT: &str = "mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }";

/// Throughput and latency percentiles of one scenario.
struct Summary {
    label: String,
    n: usize,
    rps: f64,
    p50: Duration,
    p99: Duration,
}

impl Summary {
    fn new(label: &str, mut durations: Vec<Duration>, wall: Duration) -> Summary {
        durations.sort_unstable();
        Summary {
            label: label.to_owned(),
            n: durations.len(),
            rps: durations.len() as f64 / wall.as_secs_f64(),
            p50: percentile(&durations, 50.0),
            p99: percentile(&durations, 99.0),
        }
    }

    fn line(&self) -> String {
        format!(
            "{:<44} {:>7.0} req/s, p50 {:>7.2} ms, p99 {:>7.2} ms  (n={})",
            format!("{}:", self.label),
            self.rps,
            ms(self.p50),
            ms(self.p99),
            self.n
        )
    }
}

/// Nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
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
        redis_url: Some(redis_url),
        redis_prefix: format!("sportello-bench-{}:", Uuid::new_v4().simple()),
        ..Config::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = async {
        let app = sportello::build(&config, &Role::ALL)
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
    }
    .await;

    let outcome = match server {
        Ok((url, handle)) => {
            let outcome = run(&url, &config, &db_url).await;
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

/// What the setup leaves for the measurements.
struct Fixture {
    operator: Client,
    tenant: Uuid,
    /// Global ids of the cases built through GraphQL, with their encounter and need counts.
    cases: Vec<(String, usize, usize)>,
    /// Global ids of persons with consent to case management and no case yet.
    consenting: Vec<String>,
    /// Latin given and family names of seeded persons, to search for.
    searches: Vec<(String, String)>,
}

async fn run(url: &str, config: &Config, db_url: &str) -> anyhow::Result<()> {
    let fixture = setup(url, db_url).await?;
    println!();
    println!("measuring…");
    let mut table = Vec::new();

    // 1. Case detail through /graphql.
    let detail = detail_graphql(&fixture).await?;
    println!("{}", detail.line());
    // 2. The raw-SQL floor.
    let raw_pool = app_role_pool(config, db_url).await?;
    let raw = detail_raw(&raw_pool, &fixture).await?;
    println!("{}", raw.line());
    let ratio = ms(detail.p50) / ms(raw.p50);
    // Concurrent runs.
    let detail_conc = detail_graphql_concurrent(&fixture).await?;
    println!("{}", detail_conc.line());
    let raw_conc = detail_raw_concurrent(&raw_pool, &fixture).await?;
    println!("{}", raw_conc.line());
    raw_pool.close().await.ok();
    // 3. Opening cases.
    let open = open_cases(&fixture).await?;
    println!("{}", open.line());
    // 4. Person search.
    let (search, hits, results) = search(&fixture).await?;
    println!("{}", search.line());

    table.extend([detail, raw, detail_conc, raw_conc, open, search]);
    println!();
    println!("== results (PostgreSQL + Redis, server in-process, loopback) ==");
    for row in &table {
        println!("{}", row.line());
    }
    println!("case detail: GraphQL p50 / raw SQL p50 = {ratio:.1}x");
    println!(
        "person search: {PERSONS} persons in the tenant; the searched person was among the results in {hits}/{SEARCHES} searches, {:.1} results per search on average",
        results as f64 / SEARCHES as f64
    );
    Ok(())
}

async fn setup(url: &str, db_url: &str) -> anyhow::Result<Fixture> {
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
    let created = platform
        .ok(
            "mutation($i: CreateTenantInput!) { createTenant(input: $i) { tenant { id } adminInvitation { token } } }",
            json!({ "i": { "name": "Consorzio Bench", "kind": "CONSORTIUM", "adminEmail": "admin@bench.example.org" } }),
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
    admin
        .ok(
            "mutation($i: AddTerritoryInput!) { addTerritory(input: $i) { id } }",
            json!({ "i": { "istatCode": TERRITORY, "name": "Poggibonsi" } }),
        )
        .await?;
    let invited = admin
        .ok(
            "mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }",
            json!({ "i": { "email": "operator@bench.example.org", "roles": ["OPERATOR"] } }),
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
    println!(
        "setup: tenant, territory and signed-in operator in {:.1} s",
        t0.elapsed().as_secs_f64()
    );

    // Persons for the search, straight into the table.
    let t1 = Instant::now();
    let seeded = seed_persons(db_url, tenant).await?;
    println!(
        "setup: seeded {PERSONS} persons with SQL in {:.1} s (batches of {BATCH}, then ANALYZE)",
        t1.elapsed().as_secs_f64()
    );

    // Cases with needs and encounters, through GraphQL.
    let t2 = Instant::now();
    let cases = in_tasks(&operator, DETAIL_CASES, |op, i| async move {
        build_case(&op, i).await
    })
    .await?;
    let encounters: usize = cases.iter().map(|c| c.1).sum();
    let needs: usize = cases.iter().map(|c| c.2).sum();
    println!(
        "setup: {DETAIL_CASES} persons with consent and a case, {encounters} encounters, {needs} needs through GraphQL in {:.1} s",
        t2.elapsed().as_secs_f64()
    );

    // Consent for the persons whose cases get opened in the timed part.
    let t3 = Instant::now();
    let consenting: Vec<String> = seeded[..WARMUP_WRITES + OPEN_CASES]
        .iter()
        .map(|(id, _, _)| encode_id("Person", *id))
        .collect();
    let to_consent = Arc::new(consenting.clone());
    in_tasks(&operator, consenting.len(), move |op, i| {
        let to_consent = to_consent.clone();
        async move {
            op.ok(CONSENT, json!({ "p": to_consent[i] })).await?;
            anyhow::Ok(())
        }
    })
    .await?;
    println!(
        "setup: {} consents recorded through GraphQL in {:.1} s",
        consenting.len(),
        t3.elapsed().as_secs_f64()
    );

    let mut rng = Lcg(0x5eed_cafe);
    let searches = (0..WARMUP_SEARCHES + SEARCHES)
        .map(|_| {
            let (_, given, family) = &seeded[rng.below(seeded.len())];
            (given.clone(), family.clone())
        })
        .collect();
    println!("setup: done in {:.1} s", t0.elapsed().as_secs_f64());
    Ok(Fixture {
        operator,
        tenant,
        cases,
        consenting,
        searches,
    })
}

/// Runs `job(client, i)` for `i` in `0..n` on a few concurrent tasks, keeping the order of `i`.
async fn in_tasks<T, F, Fut>(client: &Client, n: usize, job: F) -> anyhow::Result<Vec<T>>
where
    T: Send + 'static,
    F: Fn(Client, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<T>> + Send,
{
    let mut tasks = Vec::new();
    for task in 0..SETUP_TASKS {
        let client = client.clone();
        let job = job.clone();
        tasks.push(tokio::spawn(async move {
            let mut done = Vec::new();
            for i in (task..n).step_by(SETUP_TASKS) {
                done.push((i, job(client.clone(), i).await?));
            }
            anyhow::Ok(done)
        }));
    }
    let mut all = Vec::with_capacity(n);
    for task in tasks {
        all.extend(task.await.context("setup task")??);
    }
    all.sort_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, t)| t).collect())
}

/// One person with consent and a case with 3–8 encounters and 1–3 needs.
async fn build_case(op: &Client, i: usize) -> anyhow::Result<(String, usize, usize)> {
    let mut rng = Lcg(i as u64 + 1);
    let given = GIVEN[rng.below(GIVEN.len())];
    let (family, country, language) = FAMILY[rng.below(FAMILY.len())];
    let person = op
        .ok(
            "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({ "i": {
                "givenNames": given, "familyNames": family, "territoryCode": TERRITORY,
                "birth": { "year": 1960 + rng.below(45) }, "sex": if rng.below(2) == 0 { "FEMALE" } else { "MALE" },
                "countryOfBirth": country, "citizenships": [country],
                "languages": [{ "code": language, "level": "native" }],
            } }),
        )
        .await?;
    let person = str_at(&person, &["createPerson", "id"])?.to_owned();
    op.ok(CONSENT, json!({ "p": person })).await?;
    let case = op.ok(OPEN_CASE, json!({ "p": person })).await?;
    let case = str_at(&case, &["openCase", "id"])?.to_owned();
    let encounters = 3 + rng.below(6);
    for k in 0..encounters {
        op.ok(
            "mutation($i: AddEncounterInput!) { addEncounter(input: $i) { id } }",
            json!({ "i": {
                "caseId": case,
                "occurredAt": format!("2025-{:02}-{:02}T{:02}:30:00Z", k + 1, 1 + i % 28, 9 + rng.below(8)),
                "channel": CHANNELS[rng.below(CHANNELS.len())],
                "language": language, "mediatorPresent": rng.below(3) == 0,
                "durationMinutes": 15 + rng.below(60),
            } }),
        )
        .await?;
    }
    let needs = 1 + rng.below(3);
    let first = rng.below(NEEDS.len());
    for k in 0..needs {
        op.ok(
            "mutation($c: ID!, $n: NeedCode!) { recordNeed(caseId: $c, code: $n, source: EXPRESSED) { id } }",
            json!({ "c": case, "n": NEEDS[(first + k) % NEEDS.len()] }),
        )
        .await?;
    }
    Ok((case, encounters, needs))
}

/// Inserts `PERSONS` persons as the database owner, in multi-row INSERTs; returns their ids and
/// Latin names in insertion order.
async fn seed_persons(db_url: &str, tenant: Uuid) -> anyhow::Result<Vec<(Uuid, String, String)>> {
    let owner = Database::connect(db_url)
        .await
        .context("connect as the database owner")?;
    let given: Vec<(&str, String)> = GIVEN.iter().map(|g| (*g, transliterate(g))).collect();
    let family: Vec<(&str, String, &str, &str)> = FAMILY
        .iter()
        .map(|(f, country, lang)| (*f, transliterate(f), *country, *lang))
        .collect();
    let created_by = Uuid::new_v4();
    let mut rng = Lcg(42);
    let mut seeded = Vec::with_capacity(PERSONS);
    for batch in 0..PERSONS.div_ceil(BATCH) {
        let rows = BATCH.min(PERSONS - batch * BATCH);
        let mut sql = String::from(
            "INSERT INTO cases.persons (tenant_id, territory_code, created_by, created_at, updated_at, \
             name_keys_version, id, given_names, family_names, latin_given_names, latin_family_names, name_key, name_skeleton, \
             birth_year, sex, country_of_birth, citizenships, languages) VALUES ",
        );
        let mut values: Vec<sea_orm::Value> = vec![
            tenant.into(),
            TERRITORY.to_owned().into(),
            created_by.into(),
        ];
        values.reserve(rows * COLUMNS);
        for row in 0..rows {
            let (g, latin_g) = &given[rng.below(given.len())];
            let (f, latin_f, country, lang) = &family[rng.below(family.len())];
            let key = name_key(&format!("{latin_g} {latin_f}"));
            let skeleton = stored_skeleton(
                Names {
                    given: g,
                    family: f,
                },
                Names {
                    given: latin_g,
                    family: latin_f,
                },
            );
            let id = Uuid::now_v7();
            if row > 0 {
                sql.push(',');
            }
            let base = 4 + row * COLUMNS;
            sql.push_str(&format!("($1, $2, $3, now(), now(), {KEYS_VERSION}"));
            for p in base..base + COLUMNS {
                sql.push_str(&format!(", ${p}"));
            }
            sql.push(')');
            values.extend([
                id.into(),
                (*g).to_owned().into(),
                (*f).to_owned().into(),
                latin_g.clone().into(),
                latin_f.clone().into(),
                key.into(),
                skeleton.into(),
                (1950 + rng.below(58) as i32).into(),
                (if rng.below(2) == 0 { "F" } else { "M" })
                    .to_owned()
                    .into(),
                (*country).to_owned().into(),
                (*country).to_owned().into(),
                format!(
                    "{lang}:NATIVE,it:{}",
                    ["A1", "A2", "B1", "B2"][rng.below(4)]
                )
                .into(),
            ]);
            seeded.push((id, latin_g.clone(), latin_f.clone()));
        }
        ensure!(values.len() == 3 + rows * COLUMNS, "parameter count");
        let tx = owner.begin().await?;
        tx.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT set_config('app.tenant_id', $1, true)",
            [tenant.to_string().into()],
        ))
        .await?;
        tx.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await
        .context("insert a batch of persons")?;
        tx.commit().await?;
    }
    owner
        .execute_unprepared("ANALYZE cases.persons")
        .await
        .context("analyze persons")?;
    owner.close().await.ok();
    Ok(seeded)
}

/// A pool as the application role, as the cases service opens it.
async fn app_role_pool(config: &Config, db_url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut url: reqwest::Url = db_url.parse().context("database URL")?;
    url.set_username(&config.database_app_role)
        .map_err(|()| anyhow!("cannot set the user of the database URL"))?;
    url.set_password(config.database_app_password.as_deref())
        .map_err(|()| anyhow!("cannot set the password of the database URL"))?;
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(config.database_max_connections)
        .min_connections(0)
        .sqlx_logging(false)
        .set_schema_search_path("cases".to_owned());
    Database::connect(options)
        .await
        .context("connect as the application role")
}

/// Times `n` sequential calls of `op(i)` after `warmup` untimed ones.
async fn sequential<F, Fut>(
    label: &str,
    warmup: usize,
    n: usize,
    mut op: F,
) -> anyhow::Result<Summary>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    for i in 0..warmup {
        op(i).await?;
    }
    let mut durations = Vec::with_capacity(n);
    let wall = Instant::now();
    for i in warmup..warmup + n {
        let t = Instant::now();
        op(i).await?;
        durations.push(t.elapsed());
    }
    Ok(Summary::new(label, durations, wall.elapsed()))
}

/// Times `n` calls of `op(i)` spread over `CONCURRENCY` tasks.
async fn concurrent<F, Fut>(label: &str, n: usize, op: F) -> anyhow::Result<Summary>
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let wall = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..CONCURRENCY {
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            let mut durations = Vec::new();
            for i in (task..n).step_by(CONCURRENCY) {
                let t = Instant::now();
                op(i).await?;
                durations.push(t.elapsed());
            }
            anyhow::Ok(durations)
        }));
    }
    let mut durations = Vec::with_capacity(n);
    for task in tasks {
        durations.extend(task.await.context("client task")??);
    }
    Ok(Summary::new(label, durations, wall.elapsed()))
}

/// One case detail through /graphql; checks the answer's shape.
async fn detail_once(op: &Client, case: &(String, usize, usize)) -> anyhow::Result<()> {
    let resp = op.gql(DETAIL, &json!({ "id": case.0 })).await?;
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

async fn detail_graphql(f: &Fixture) -> anyhow::Result<Summary> {
    sequential("case detail via /graphql", WARMUP_READS, READS, |i| {
        detail_once(&f.operator, &f.cases[i % f.cases.len()])
    })
    .await
}

async fn detail_graphql_concurrent(f: &Fixture) -> anyhow::Result<Summary> {
    let op = f.operator.clone();
    let cases = Arc::new(f.cases.clone());
    concurrent("case detail via /graphql, 8 clients", READS, move |i| {
        let op = op.clone();
        let cases = cases.clone();
        async move { detail_once(&op, &cases[i % cases.len()]).await }
    })
    .await
}

/// The case detail by hand: one transaction in the tenant's scope, as the application role.
async fn detail_raw_once(
    pool: &DatabaseConnection,
    tenant: Uuid,
    case: Uuid,
    expected: (usize, usize),
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
            "SELECT id, person_id, status, outcome, territory_code, desk_id, primary_operator, \
             opened_at, closed_at, reopen_reason, updated_at \
             FROM cases WHERE tenant_id = $1 AND id = $2",
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
    let encounters = tx
        .query_all_raw(Statement::from_sql_and_values(
            pg,
            "SELECT id, occurred_at, channel FROM encounters WHERE tenant_id = $1 AND case_id = $2 \
             ORDER BY occurred_at DESC LIMIT 5",
            [tenant.into(), case.into()],
        ))
        .await?;
    for encounter in &encounters {
        let _at: DateTimeUtc = encounter.try_get("", "occurred_at")?;
        let _channel: String = encounter.try_get("", "channel")?;
    }
    tx.commit().await?;
    if encounters.len() != expected.0.min(5) || needs.len() != expected.1 {
        bail!("unexpected raw case detail for {case}");
    }
    Ok(())
}

fn raw_cases(f: &Fixture) -> anyhow::Result<Vec<(Uuid, (usize, usize))>> {
    f.cases
        .iter()
        .map(|(id, e, n)| Ok((decode_id("Case", id)?, (*e, *n))))
        .collect()
}

async fn detail_raw(pool: &DatabaseConnection, f: &Fixture) -> anyhow::Result<Summary> {
    let cases = raw_cases(f)?;
    sequential("case detail via raw SQL", WARMUP_READS, READS, |i| {
        let (case, expected) = cases[i % cases.len()];
        detail_raw_once(pool, f.tenant, case, expected)
    })
    .await
}

async fn detail_raw_concurrent(pool: &DatabaseConnection, f: &Fixture) -> anyhow::Result<Summary> {
    let cases = Arc::new(raw_cases(f)?);
    let pool = pool.clone();
    let tenant = f.tenant;
    concurrent("case detail via raw SQL, 8 clients", READS, move |i| {
        let pool = pool.clone();
        let cases = cases.clone();
        async move {
            let (case, expected) = cases[i % cases.len()];
            detail_raw_once(&pool, tenant, case, expected).await
        }
    })
    .await
}

async fn open_cases(f: &Fixture) -> anyhow::Result<Summary> {
    sequential(
        "openCase via /graphql",
        WARMUP_WRITES,
        OPEN_CASES,
        |i| async move {
            let resp = f
                .operator
                .gql(OPEN_CASE, &json!({ "p": f.consenting[i] }))
                .await?;
            if resp.get("errors").is_some() || resp["data"]["openCase"]["status"] != "INTAKE" {
                bail!("unexpected openCase answer: {resp}");
            }
            Ok(())
        },
    )
    .await
}

/// Returns the summary, how many searches found the person searched for, and the number of
/// results over all timed searches.
async fn search(f: &Fixture) -> anyhow::Result<(Summary, usize, usize)> {
    let hits = std::cell::Cell::new(0);
    let results = std::cell::Cell::new(0);
    let summary = sequential(
        "personDuplicates via /graphql",
        WARMUP_SEARCHES,
        SEARCHES,
        |i| {
            let (given, family) = &f.searches[i];
            let hits = &hits;
            let results = &results;
            async move {
                let resp = f
                    .operator
                    .gql(SEARCH, &json!({ "g": given, "f": family }))
                    .await?;
                let found = resp["data"]["personDuplicates"]
                    .as_array()
                    .ok_or_else(|| anyhow!("unexpected personDuplicates answer: {resp}"))?;
                if i >= WARMUP_SEARCHES {
                    results.set(results.get() + found.len());
                    if found.iter().any(|m| {
                        m["person"]["latinGivenNames"] == given.as_str()
                            && m["person"]["latinFamilyNames"] == family.as_str()
                    }) {
                        hits.set(hits.get() + 1);
                    }
                }
                Ok(())
            }
        },
    )
    .await?;
    Ok((summary, hits.get(), results.get()))
}
