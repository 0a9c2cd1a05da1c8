//! Analytics benchmark on PostgreSQL + Redis. Reports, in one run:
//! 1. events per second ingested from Redis Streams: a backlog of events is appended to a fresh
//!    stream, then one consumer reads, ingests (facts, distinct-people cells, cell keys) and
//!    acknowledges it;
//! 2. p50/p95 of the cross-territory view (needs by municipality × month × category, 12 months,
//!    with disclosure control) over at least 1,000,000 facts;
//! 3. next to it, p50/p95 of the naive `GROUP BY` that counts the same distinct people straight
//!    from the facts.
//!
//! ```sh
//! cargo bench -p sportello --bench analytics
//! ```
//!
//! `SPORTELLO_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) is the
//! server the benchmark creates its own database on (dropped at the end);
//! `SPORTELLO_TEST_REDIS_URL` (default `redis://127.0.0.1:6379`) gets a stream with a random name.

// The benchmark seeds and inspects the store directly.
#![allow(clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use sportello_analytics::{
    Analytics, AnalyticsService, DisclosureParams, Level, Period, SharedQuery, SharedView,
};
use sportello_kernel::bus::{Envelope, RedisStream, Sink};
use sportello_kernel::db::StoreConfig;
use sportello_kernel::events::{Event, EventKind, Pseudonym, Record, Subject};
use sportello_kernel::{Actor, Context, Role, TenantId, UserId};
use uuid::Uuid;

/// Events appended to the stream for the ingestion figure.
const STREAM_EVENTS: usize = 20_000;
/// Facts generated with SQL for the view figure.
const FACTS: usize = 1_000_000;
const TENANTS: usize = 10;
const TERRITORIES_PER_TENANT: usize = 4;
const MONTHS: usize = 24;
const PERSONS: usize = 200_000;
const NEEDS: [&str; 10] = [
    "documents_legal",
    "housing",
    "work",
    "health",
    "school",
    "italian_language",
    "family",
    "welfare",
    "digital_skills",
    "other",
];
const VIEW_RUNS: usize = 200;
const NAIVE_RUNS: usize = 20;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn month(i: usize) -> String {
    format!("{}-{:02}", 2024 + i / 12, i % 12 + 1)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let admin_url = std::env::var("SPORTELLO_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let redis_url = std::env::var("SPORTELLO_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let name = format!("sportello_bench_{}", Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let mut url: reqwest::Url = admin_url.parse()?;
    url.set_path(&format!("/{name}"));
    let result = run(url.as_str(), &redis_url).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await?;
    result
}

async fn run(database: &str, redis_url: &str) -> anyhow::Result<()> {
    let store = StoreConfig {
        url: database.to_owned(),
        schema: "analytics".into(),
        app_role: "sportello_app".into(),
        app_password: None,
        max_connections: 10,
    };
    let service = AnalyticsService::open(&store, true, DisclosureParams::default())
        .await
        .map_err(|e| anyhow!("open analytics: {}", e.message))?;
    let tenants: Vec<Uuid> = (0..TENANTS).map(|_| Uuid::now_v7()).collect();
    let territory = |t: usize, k: usize| format!("{:03}{:03}", 50 + t, k + 1);

    // 1. Ingestion from Redis Streams.
    let key = format!("sportello-bench-{}:events", Uuid::new_v4().simple());
    let stream = RedisStream::connect(redis_url, &key, "analytics")
        .await
        .map_err(|e| anyhow!("redis: {}", e.message))?;
    let envelopes: Vec<Envelope> = (0..STREAM_EVENTS)
        .map(|i| {
            let t = i % TENANTS;
            let id = Uuid::now_v7();
            let record = Record {
                event_id: id,
                producer: Some("bench".into()),
                occurred_on: NaiveDate::parse_from_str(
                    &format!("{}-15", month(i % MONTHS)),
                    "%Y-%m-%d",
                )?,
                fact: None,
                subject: Subject {
                    person: Pseudonym::new(format!("s{}", i % 5_000)),
                    age_band: "25-34".into(),
                    sex: Some("F".into()),
                    country_of_birth: Some("MA".into()),
                    territory: territory(t, i % TERRITORIES_PER_TENANT),
                },
                event: Event::NeedRecorded {
                    need: NEEDS[i % NEEDS.len()].into(),
                    source: "expressed".into(),
                },
            };
            Ok(Envelope {
                id,
                tenant_id: tenants[t],
                event_type: record.event.kind().as_str().into(),
                payload: record.to_payload().map_err(|e| anyhow!("{}", e.message))?,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    for chunk in envelopes.chunks(500) {
        stream
            .deliver(chunk)
            .await
            .map_err(|e| anyhow!("xadd: {}", e.message))?;
    }
    let mut reader = redis::Client::open(redis_url)?
        .get_multiplexed_async_connection()
        .await?;
    let started = Instant::now();
    let mut consumed = 0;
    while consumed < STREAM_EVENTS {
        consumed += stream
            .consume_step(&mut reader, "bench", &service, 500, Duration::from_secs(30))
            .await
            .map_err(|e| anyhow!("consume: {}", e.message))?;
    }
    let ingest = started.elapsed();
    let _: () = redis::cmd("DEL").arg(&key).query_async(&mut reader).await?;
    println!(
        "ingestion from Redis Streams: {STREAM_EVENTS} events in {:.2} s = {:.0} events/s (batches of 500, one consumer)",
        ingest.as_secs_f64(),
        STREAM_EVENTS as f64 / ingest.as_secs_f64()
    );

    // 2. One million facts, and their cells, generated with SQL as the owner.
    let owner = Database::connect(database).await?;
    let started = Instant::now();
    let tenant_array = tenants
        .iter()
        .map(|t| format!("'{t}'::uuid"))
        .collect::<Vec<_>>()
        .join(",");
    let needs_array = NEEDS
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(",");
    owner
        .execute_unprepared(&format!(
            "INSERT INTO analytics.facts (tenant_id, event_id, event_type, person, month, territory, age_band, sex, country_of_birth, need)
             SELECT (ARRAY[{tenant_array}])[i % {TENANTS} + 1], gen_random_uuid(), '{need_recorded}',
                    'p' || (i % {PERSONS}),
                    to_char(date '2024-01-15' + ((i / 7) % {MONTHS}) * interval '1 month', 'YYYY-MM'),
                    lpad((50 + i % {TENANTS})::text, 3, '0') || lpad(((i / {TENANTS}) % {TERRITORIES_PER_TENANT} + 1)::text, 3, '0'),
                    '25-34', 'F', 'MA',
                    (ARRAY[{needs_array}])[(i / 3) % {n} + 1]
             FROM generate_series(0, {last}) AS i",
            n = NEEDS.len(),
            last = FACTS - 1,
            need_recorded = EventKind::NeedRecorded.as_str(),
        ))
        .await
        .context("generate facts")?;
    // Cells at both levels: distinct people, and the cell key as the sum of record keys.
    for level in ["territory", "'*'"] {
        owner
            .execute_unprepared(&format!(
                "INSERT INTO analytics.cells (tenant_id, measure, territory, month, category, people, cell_key)
                 SELECT tenant_id, 'need', t, month, need, COUNT(*), SUM(rk) % 2147483648 FROM (
                     SELECT DISTINCT tenant_id, {level} AS t, month, need, person,
                            ('x' || substr(md5(person), 1, 8))::bit(32)::bigint % 2147483648 AS rk
                     FROM analytics.facts WHERE event_type = '{need_recorded}'
                 ) d GROUP BY tenant_id, t, month, need
                 ON CONFLICT (tenant_id, measure, territory, month, category) DO NOTHING",
                need_recorded = EventKind::NeedRecorded.as_str(),
            ))
            .await
            .context("generate cells")?;
    }
    owner.execute_unprepared("ANALYZE").await?;
    let count = owner
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT COUNT(*)::bigint FROM analytics.facts",
        ))
        .await?
        .ok_or_else(|| anyhow!("no count"))?
        .try_get_by_index::<i64>(0)?;
    let cells = owner
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT COUNT(*)::bigint FROM analytics.cells",
        ))
        .await?
        .ok_or_else(|| anyhow!("no count"))?
        .try_get_by_index::<i64>(0)?;
    println!(
        "setup: {count} facts and {cells} cells generated with SQL in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // 3. The shared view through the service, as a member of one tenant.
    let ctx = Context {
        tenant: Some(TenantId(tenants[0])),
        actor: Actor {
            user_id: Some(UserId(Uuid::now_v7())),
            roles: vec![Role::TableMember],
            ..Actor::default()
        },
        request_id: "bench".into(),
        traceparent: None,
        ..Context::default()
    };
    let query = SharedQuery {
        view: SharedView::NeedsByTerritoryMonth,
        level: Some(Level::Municipality),
        period: Period {
            from: Some("2025-01".into()),
            to: Some("2025-12".into()),
        },
    };
    let mut shown = 0;
    let mut view = Vec::with_capacity(VIEW_RUNS);
    for i in 0..VIEW_RUNS + 10 {
        let started = Instant::now();
        let table = service
            .shared_view(&ctx, query.clone())
            .await
            .map_err(|e| anyhow!("view: {}", e.message))?;
        if i >= 10 {
            view.push(started.elapsed());
        }
        shown = table.cells.len();
    }
    let mut naive = Vec::with_capacity(NAIVE_RUNS);
    let mut groups = 0;
    for i in 0..NAIVE_RUNS + 2 {
        let started = Instant::now();
        let rows = owner
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT tenant_id, territory, month, need, COUNT(DISTINCT person) FROM analytics.facts \
                     WHERE event_type = '{}' AND month >= '2025-01' AND month <= '2025-12' \
                     GROUP BY tenant_id, territory, month, need",
                    EventKind::NeedRecorded.as_str()
                ),
            ))
            .await?;
        if i >= 2 {
            naive.push(started.elapsed());
        }
        groups = rows.len();
    }
    let (v50, v95) = (percentile(&mut view, 0.5), percentile(&mut view, 0.95));
    let (n50, n95) = (percentile(&mut naive, 0.5), percentile(&mut naive, 0.95));
    println!(
        "cross-territory view (12 months, {shown} protected cells) over {count} facts: p50 {:.2} ms, p95 {:.2} ms (n={VIEW_RUNS})",
        ms(v50),
        ms(v95)
    );
    println!(
        "naive GROUP BY COUNT(DISTINCT person) over the facts ({groups} groups, no protection): p50 {:.2} ms, p95 {:.2} ms (n={NAIVE_RUNS})",
        ms(n50),
        ms(n95)
    );
    println!(
        "naive p50 / view p50 = {:.1}x",
        n50.as_secs_f64() / v50.as_secs_f64()
    );
    Ok(())
}
