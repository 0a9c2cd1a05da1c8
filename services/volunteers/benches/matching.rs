//! Matching benchmark (acceptance 8 of the volunteers issue): p50/p95/p99 of `task_matches` over
//! a register of 10,000 volunteers of one tenant (plus 2,000 of another, which must cost
//! nothing), 200 matchings cycling over 20 tasks of varied skill, language, territory and
//! minors. On SQLite always; on PostgreSQL too when `SPORTELLO_TEST_POSTGRES_URL` is set (a
//! database of its own is created and dropped), served by the application role under
//! row-level security like a request.
//!
//! ```sh
//! cargo bench -p sportello-volunteers --bench matching
//! ```

// The benchmark creates and drops its PostgreSQL database directly.
#![allow(clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use sea_orm::{ConnectionTrait, Database, Value};
use sportello_kernel::db::{Scope, StoreConfig};
use sportello_kernel::rpc::{HttpTransport, InternalKeys};
use sportello_kernel::{Actor, Context, Role, TenantId, UserId};
use sportello_tenancy::TenancyClient;
use sportello_volunteers::{TaskId, TaskMatches, Volunteers, VolunteersService};
use uuid::Uuid;

const VOLUNTEERS: usize = 10_000;
const OTHER_TENANT: usize = 2_000;
const TASKS: usize = 20;
const RUNS: usize = 200;
const ROWS_PER_INSERT: usize = 200;
const SKILLS: [&str; 9] = [
    "LANGUAGE_SUPPORT",
    "ACCOMPANIMENT",
    "SCHOOL_TUTORING",
    "DIGITAL_HELP",
    "TRANSPORT",
    "LEGAL_ADMINISTRATIVE",
    "CHILDCARE",
    "HOUSING_SEARCH",
    "JOB_SEARCH",
];
const LANGUAGES: [&str; 8] = ["ar", "fr", "en", "ro", "uk", "ti", "bn", "ur"];
const LEVELS: [&str; 7] = ["A1", "A2", "B1", "B2", "C1", "C2", "NATIVE"];
const TERRITORIES: [&str; 5] = ["052022", "052032", "052021", "052013", "052028"];
const STATUSES: [&str; 5] = ["ACTIVE", "ACTIVE", "ACTIVE", "SUSPENDED", "SUBMITTED"];

/// A small deterministic generator, so every run seeds the same register.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below
    }

    fn some<'a>(&mut self, from: &[&'a str], most: usize) -> Vec<&'a str> {
        let n = 1 + self.next(most);
        let mut out: Vec<&str> = Vec::new();
        while out.len() < n {
            let pick = from[self.next(from.len())];
            if !out.contains(&pick) {
                out.push(pick);
            }
        }
        out
    }
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn staff(tenant: TenantId) -> Context {
    Context {
        tenant: Some(tenant),
        actor: Actor {
            user_id: Some(UserId(Uuid::now_v7())),
            roles: vec![Role::Operator],
            ..Actor::default()
        },
        request_id: "bench".into(),
        ..Context::default()
    }
}

async fn seed_volunteers(
    svc: &VolunteersService,
    tenant: TenantId,
    count: usize,
    rng: &mut Lcg,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let mut done = 0;
    while done < count {
        let batch = ROWS_PER_INSERT.min(count - done);
        let mut sql = String::from(
            "INSERT INTO volunteers (tenant_id, id, given_names, family_names, email, languages, \
             skills, territories, availability, works_with_minors, minors_check_on, status, \
             source, created_at, updated_at, version) VALUES ",
        );
        let mut values: Vec<Value> = Vec::new();
        for i in 0..batch {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str("(:tenant, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)");
            let languages: Vec<serde_json::Value> = rng
                .some(&LANGUAGES, 3)
                .into_iter()
                .map(|code| serde_json::json!({ "code": code, "level": LEVELS[rng.next(LEVELS.len())] }))
                .collect();
            let weekly: Vec<serde_json::Value> = (0..2 + rng.next(3))
                .map(|_| {
                    let from = 8 + rng.next(8);
                    serde_json::json!({
                        "weekday": 1 + rng.next(7),
                        "from": format!("{from:02}:00:00"),
                        "to": format!("{:02}:00:00", from + 2 + rng.next(4)),
                    })
                })
                .collect();
            let minors = rng.next(3) == 0;
            let checked = minors && rng.next(2) == 0;
            values.extend([
                Value::from(Uuid::now_v7()),
                Value::from(format!("Volontario {}", done + i)),
                Value::from("Prova".to_owned()),
                Value::from(format!("v{}@bench.example.org", done + i)),
                Value::from(serde_json::Value::Array(languages).to_string()),
                Value::from(format!(",{},", rng.some(&SKILLS, 3).join(","))),
                Value::from(format!(",{},", rng.some(&TERRITORIES, 2).join(","))),
                Value::from(serde_json::json!({ "weekly": weekly, "exceptions": [] }).to_string()),
                Value::from(minors),
                Value::from(
                    checked
                        .then(|| NaiveDate::from_ymd_opt(2026, 10, 1))
                        .flatten(),
                ),
                Value::from(STATUSES[rng.next(STATUSES.len())].to_owned()),
                Value::from("STAFF".to_owned()),
                Value::from(now),
                Value::from(now),
            ]);
        }
        let tx = svc.db().begin(Scope::Tenant(tenant)).await?;
        tx.execute_scoped(&sql, values).await?;
        tx.commit().await?;
        done += batch;
    }
    Ok(())
}

async fn seed_tasks(
    svc: &VolunteersService,
    tenant: TenantId,
    rng: &mut Lcg,
) -> anyhow::Result<Vec<TaskId>> {
    let mut ids = Vec::new();
    let tx = svc.db().begin(Scope::Tenant(tenant)).await?;
    for i in 0..TASKS {
        let id = TaskId::new();
        let starts = Utc::now() + chrono::Duration::days(3 + rng.next(20) as i64);
        tx.execute_scoped(
            "INSERT INTO volunteer_tasks (tenant_id, id, skill, language, territory, starts_at, \
             ends_at, involves_minors, status, requested_by, created_at, updated_at, version) \
             VALUES (:tenant, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, 1)",
            vec![
                id.uuid().into(),
                // Half the tasks ask for the most common skill, so that many volunteers qualify.
                (if i % 2 == 0 {
                    SKILLS[0]
                } else {
                    SKILLS[rng.next(SKILLS.len())]
                })
                .into(),
                LANGUAGES[rng.next(3)].into(),
                TERRITORIES[rng.next(TERRITORIES.len())].into(),
                starts.into(),
                (starts + chrono::Duration::hours(2)).into(),
                (i % 4 == 0).into(),
                Uuid::now_v7().into(),
                Utc::now().into(),
                Utc::now().into(),
            ],
        )
        .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(ids)
}

async fn run(label: &str, config: StoreConfig) -> anyhow::Result<()> {
    let tenancy = TenancyClient::remote(HttpTransport::new(
        "http://127.0.0.1:9",
        "tenancy",
        InternalKeys::new(b"unused: matching asks the tenancy service nothing"),
    )?);
    let svc = VolunteersService::open(&config, true, tenancy).await?;
    let tenant = TenantId(Uuid::now_v7());
    let other = TenantId(Uuid::now_v7());
    let mut rng = Lcg(2026);
    let seeding = Instant::now();
    seed_volunteers(&svc, tenant, VOLUNTEERS, &mut rng).await?;
    seed_volunteers(&svc, other, OTHER_TENANT, &mut rng).await?;
    let tasks = seed_tasks(&svc, tenant, &mut rng).await?;
    println!(
        "{label}: seeded {VOLUNTEERS} volunteers (+{OTHER_TENANT} of another tenant) in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let ctx = staff(tenant);
    // Warm-up: one matching per task.
    let mut proposed = 0;
    for task in &tasks {
        let req = TaskMatches {
            task_id: *task,
            first: 20,
        };
        proposed += Volunteers::task_matches(&svc, &ctx, req).await?.len();
    }
    let mut samples = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let req = TaskMatches {
            task_id: tasks[i % tasks.len()],
            first: 20,
        };
        let start = Instant::now();
        let found = Volunteers::task_matches(&svc, &ctx, req).await?;
        samples.push(start.elapsed());
        std::hint::black_box(found);
    }
    let p50 = percentile(&mut samples, 0.50);
    let p95 = percentile(&mut samples, 0.95);
    let p99 = percentile(&mut samples, 0.99);
    println!(
        "{label}: {RUNS} matchings over {VOLUNTEERS} volunteers ({:.1} proposals a task): \
         p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
        proposed as f64 / tasks.len() as f64,
        ms(p50),
        ms(p95),
        ms(p99)
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    run(
        "sqlite",
        StoreConfig {
            url: format!("sqlite://{}/volunteers.db?mode=rwc", dir.path().display()),
            schema: "volunteers".into(),
            app_role: "sportello_app".into(),
            app_password: None,
            max_connections: 4,
        },
    )
    .await?;
    if let Ok(admin_url) = std::env::var("SPORTELLO_TEST_POSTGRES_URL") {
        let name = format!("sportello_bench_{}", Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url).await?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
        let mut url: reqwest::Url = admin_url.parse()?;
        url.set_path(&format!("/{name}"));
        let outcome = run(
            "postgres",
            StoreConfig {
                url: url.to_string(),
                schema: "volunteers".into(),
                app_role: "sportello_app".into(),
                app_password: None,
                max_connections: 4,
            },
        )
        .await;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await?;
        outcome?;
    }
    Ok(())
}
