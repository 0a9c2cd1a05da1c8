//! The event pipeline under faults, with the real binary as three processes and a Redis of its
//! own as the bus: the analytics consumer killed, the bus stopped and restarted, the relay killed
//! with a backlog, entries received and never acknowledged, and every event published twice. The
//! final counts are exact, and the bus carries no direct identifier.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};

use crate::analytics::{indicators, wait_for};
use crate::cases::story_with_cf;
use crate::distributed::{Process, free_port, wait_ready};
use sportello::Role;

use crate::helpers::{
    ADMIN_EMAIL, ADMIN_PASSWORD, Backend, Client, TestApp, fresh_config, operator, operators,
    seed_alfa, seed_alfa_and_beta,
};

/// A Redis server of this test only, persisting to its directory (append-only file, fsync at
/// every write) so that a restart keeps the stream.
struct Bus {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Bus {
    fn start(port: u16, dir: tempfile::TempDir) -> Bus {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
            ])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        Bus { child, port, dir }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    async fn wait(&self) {
        for _ in 0..100 {
            if let Ok(client) = redis::Client::open(self.url())
                && let Ok(mut conn) = client.get_multiplexed_async_connection().await
                && redis::cmd("PING")
                    .query_async::<String>(&mut conn)
                    .await
                    .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the test's redis-server did not start");
    }

    /// Stops the server as an operator would (SIGTERM: it flushes and exits).
    fn stop(mut self) -> (u16, tempfile::TempDir) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().expect("dir"));
        (self.port, dir)
    }

    async fn conn(&self) -> redis::aio::MultiplexedConnection {
        redis::Client::open(self.url())
            .expect("url")
            .get_multiplexed_async_connection()
            .await
            .expect("connect to the test's redis")
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The indicators that count every story once.
const COUNTED: [&str; 4] = [
    "PEOPLE_REACHED",
    "NEW_CASES",
    "NEEDS_RECORDED",
    "INTERVENTIONS",
];

async fn indicator(c: &Client, code: &str) -> u64 {
    indicators(c).await[code]["value"]
        .as_u64()
        .expect("indicator")
}

async fn wait_indicator(c: &Client, code: &str, value: u64) {
    wait_for(c, &[(code, value)]).await;
}

async fn metric(url: &str, name: &str) -> Option<f64> {
    let text = reqwest::get(format!("{url}/metrics"))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with([' ', '{']))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

async fn wait_metric(url: &str, name: &str, ok: impl Fn(f64) -> bool) -> f64 {
    let mut last = None;
    for _ in 0..400 {
        last = metric(url, name).await;
        if last.is_some_and(&ok) {
            return last.unwrap_or_default();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{name} at {url} is {last:?}");
}

/// Marks every event of the outbox unpublished, as after a relay that died between publishing
/// and marking; checks that there were at least `at_least` and waits until the analytics
/// process at `url` has received each of them again.
async fn republish_everything(owner: &DatabaseConnection, outbox: &str, at_least: u64, url: &str) {
    let reset = owner
        .execute_unprepared(&format!("UPDATE {outbox} SET published_at = NULL"))
        .await
        .expect("reset")
        .rows_affected();
    assert!(reset >= at_least, "{reset}");
    wait_metric(url, "sportello_analytics_events_duplicate_total", |v| {
        v >= reset as f64
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_stay_exact_through_crashes_and_a_bus_restart() {
    let bus = Bus::start(free_port(), tempfile::tempdir().expect("dir"));
    bus.wait().await;
    // Already migrated: three processes migrating one fresh database at once on a loaded machine
    // can outlast the readiness wait, and migrating is not what this test is about.
    let database = crate::helpers::migrated_postgres_database().await;
    let prefix = format!("sportello-test-{}:", uuid::Uuid::new_v4().simple());
    let stream = format!("{prefix}events");
    let (front_port, cases_port, analytics_port) = (free_port(), free_port(), free_port());
    let front_url = format!("http://127.0.0.1:{front_port}");
    let cases_url = format!("http://127.0.0.1:{cases_port}");
    let analytics_url = format!("http://127.0.0.1:{analytics_port}");
    let env = |extra: &[(&'static str, String)]| {
        let mut env = vec![
            ("SPORTELLO_DATABASE_URL", database.clone()),
            ("SPORTELLO_REDIS_URL", crate::helpers::redis_url()),
            ("SPORTELLO_BUS_REDIS_URL", bus.url()),
            ("SPORTELLO_REDIS_PREFIX", prefix.clone()),
            ("SPORTELLO_BUS_CLAIM_AFTER_SECS", "1".to_owned()),
        ];
        env.extend_from_slice(extra);
        env
    };
    // The analytics process reads each tenant's retention schedule from the tenancy service.
    let analytics_env = env(&[("SPORTELLO_TENANCY_URL", front_url.clone())]);
    let cases_env = env(&[("SPORTELLO_TENANCY_URL", front_url.clone())]);
    let front_env = env(&[
        ("SPORTELLO_CASES_URL", cases_url.clone()),
        ("SPORTELLO_ANALYTICS_URL", analytics_url.clone()),
        ("SPORTELLO_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL.into()),
        ("SPORTELLO_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD.into()),
    ]);
    let mut analytics = Process::start("analytics", analytics_port, &analytics_env);
    let mut front = Process::start(
        &crate::helpers::roles_except(&[Role::Cases, Role::Analytics]),
        front_port,
        &front_env,
    );
    let mut cases = Process::start("cases", cases_port, &cases_env);
    wait_ready(&cases_url, &mut cases).await;
    wait_ready(&front_url, &mut front).await;
    wait_ready(&analytics_url, &mut analytics).await;

    let (mut config, _) = fresh_config(Backend::Postgres).await;
    config.database_url = Some(database.clone());
    let app = TestApp::external(front_url.clone(), config);
    let (a, b) = seed_alfa_and_beta(&app).await;
    let (op, op_b) = operators(&app, &a, &b).await;
    let names = [
        "Amina", "Olena", "Wei", "Fatou", "Samir", "Irina", "Joseph", "Mariam", "Kofi", "Ana",
        "Bilal", "Tenzin",
    ];
    let mut made = 0;
    let mut make = async |n: usize| {
        for _ in 0..n {
            story_with_cf(&op, names[made], "Testa", "052022", None).await;
            made += 1;
        }
    };

    // Running normally.
    make(3).await;
    story_with_cf(&op_b, "Lin", "Other", "048017", None).await;
    wait_indicator(&op, "PEOPLE_REACHED", 3).await;

    // The consumer is killed: events wait in the stream. The stream carries no identifier.
    analytics.child.kill().expect("kill analytics");
    let _ = analytics.child.wait();
    make(3).await;
    let mut conn = bus.conn().await;
    let mut waited = 0;
    loop {
        let len: u64 = redis::cmd("XLEN")
            .arg(&stream)
            .query_async(&mut conn)
            .await
            .expect("xlen");
        if len >= 9 || waited > 100 {
            assert!(len >= 9, "the relay did not publish to the stream: {len}");
            break;
        }
        waited += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let entries: Value = redis::cmd("XRANGE")
        .arg(&stream)
        .arg("-")
        .arg("+")
        .query_async::<redis::Value>(&mut conn)
        .await
        .map(|v| json!(format!("{v:?}")))
        .expect("xrange");
    let entries = entries.to_string();
    assert!(entries.contains("need_recorded"), "{entries}");
    for needle in names.iter().copied().chain([
        "Testa",
        "333 1234567",
        "persona@example.org",
        "sorella",
        "1991",
    ]) {
        assert!(!entries.contains(needle), "the bus carries `{needle}`");
    }
    // Two entries are received by a consumer that then dies before acknowledging them.
    let _: redis::Value = redis::cmd("XREADGROUP")
        .arg("GROUP")
        .arg("analytics")
        .arg("ghost")
        .arg("COUNT")
        .arg(2)
        .arg("STREAMS")
        .arg(&stream)
        .arg(">")
        .query_async(&mut conn)
        .await
        .expect("xreadgroup");

    // The consumer comes back: it takes over what the dead one received, and catches up.
    let mut analytics = Process::start("analytics", analytics_port, &analytics_env);
    wait_ready(&analytics_url, &mut analytics).await;
    wait_indicator(&op, "PEOPLE_REACHED", 6).await;

    // The bus stops under the running consumer: the relay keeps the events in the outbox, and
    // shows the backlog.
    drop(conn);
    let (port, dir) = bus.stop();
    make(3).await;
    let backlog = wait_metric(&cases_url, "sportello_outbox_backlog", |v| v >= 9.0).await;
    assert!(backlog >= 9.0);
    // The oldest unpublished event is getting older: the lag.
    wait_metric(&cases_url, "sportello_outbox_lag_seconds", |v| v > 0.0).await;
    // The relay is killed with its backlog unpublished.
    cases.child.kill().expect("kill cases");
    let _ = cases.child.wait();

    // Everything comes back.
    let bus = Bus::start(port, dir);
    bus.wait().await;
    let mut cases = Process::start("cases", cases_port, &cases_env);
    wait_ready(&cases_url, &mut cases).await;
    make(3).await;
    for code in COUNTED {
        wait_indicator(&op, code, 12).await;
    }
    wait_indicator(&op_b, "PEOPLE_REACHED", 1).await;
    wait_metric(&cases_url, "sportello_outbox_backlog", |v| v == 0.0).await;
    wait_metric(&cases_url, "sportello_outbox_lag_seconds", |v| v == 0.0).await;
    wait_metric(&analytics_url, "sportello_bus_pending", |v| v == 0.0).await;

    // The relay dies after publishing and before marking: every event is published again.
    let (owner, _) = app.store_owner(Backend::Postgres, "cases").await;
    republish_everything(&owner, "cases.outbox", 37, &analytics_url).await;
    for code in COUNTED {
        assert_eq!(indicator(&op, code).await, 12, "{code} after redelivery");
    }
    assert!(
        metric(&analytics_url, "sportello_bus_stream_length")
            .await
            .is_some(),
        "the stream's backlog is not in /metrics"
    );
    drop(front);
}

/// All in one process with the in-process bus on SQLite: the process is killed while events are
/// in flight, restarted on the same data, and every event is then published a second time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_in_process_bus_loses_and_doubles_nothing_across_a_crash() {
    let (config, dir) = fresh_config(Backend::Sqlite).await;
    let data_dir = config.data_dir.clone();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let env = vec![
        ("SPORTELLO_DATA_DIR", data_dir.display().to_string()),
        ("SPORTELLO_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL.into()),
        ("SPORTELLO_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD.into()),
    ];
    let mut one = Process::start(sportello::Role::ALL_NAMES, port, &env);
    wait_ready(&url, &mut one).await;
    let app = TestApp::external(url.clone(), config);
    let a = seed_alfa(&app).await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    for given in ["Amina", "Olena", "Wei", "Fatou", "Samir"] {
        story_with_cf(&op, given, "Testa", "052022", None).await;
    }
    // Killed at once: some events may still be unpublished, none is lost.
    one.child.kill().expect("kill");
    let _ = one.child.wait();
    let mut one = Process::start(sportello::Role::ALL_NAMES, port, &env);
    wait_ready(&url, &mut one).await;
    let mut op = op;
    op.login("op@alfa.example.org", "Sportello-Operatore-2026")
        .await;
    for code in COUNTED {
        wait_indicator(&op, code, 5).await;
    }

    // Every event published again (as after a crash between publishing and marking).
    let (db, _) = app.store_owner(Backend::Sqlite, "cases").await;
    republish_everything(&db, "outbox", 15, &url).await;
    for code in COUNTED {
        assert_eq!(indicator(&op, code).await, 5, "{code}");
    }
    drop(one);
    drop(dir);
}
