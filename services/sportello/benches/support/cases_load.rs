//! Load generators and their accounting: a closed loop of N connections (each sends its next
//! request when the previous answer arrives), an open loop at a fixed rate (requests leave on
//! schedule whether or not earlier ones have been answered, and latency counts from the scheduled
//! instant, so a stalled server cannot hide its queue), and CPU time read from `/proc`.
//!
//! CPU: the server runs in this process on its own runtime (threads `bench-server`), the load
//! generators on another (threads `bench-client`, plus the main thread). The server's share is
//! the process's time (`/proc/self/stat`, which keeps the time of threads that have ended) minus
//! the client threads' (`/proc/self/task/*/stat`). PostgreSQL's is the sum over every process
//! named `postgres` (`/proc/<pid>/stat`), and separately over the backends serving the
//! benchmark's database (by their process title): the first includes the WAL writer, the
//! checkpointer and anything else the server does meanwhile, the second only our sessions.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use futures::future::BoxFuture;
use tokio::sync::Mutex;
use tokio::task::JoinSet;

/// The prefix of the load generators' thread names; every other thread but the main one is the
/// server's.
pub(crate) const CLIENT_THREADS: &str = "bench-client";
pub(crate) const SERVER_THREADS: &str = "bench-server";

/// Most requests an open loop keeps in flight; beyond, a request is counted as an error.
const MAX_IN_FLIGHT: usize = 2_000;

/// How long a closed loop runs before it measures, and how long it measures.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Window {
    pub(crate) warmup: Duration,
    pub(crate) measure: Duration,
}

/// CPU seconds spent during a measurement window.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CpuUse {
    pub(crate) server: f64,
    pub(crate) client: f64,
    pub(crate) pg_all: f64,
    pub(crate) pg_db: f64,
}

/// Throughput, latency and CPU of one scenario.
#[derive(Clone, Debug)]
pub(crate) struct Summary {
    pub(crate) label: String,
    pub(crate) conns: String,
    /// Latencies of the requests answered correctly, sorted.
    latencies: Vec<Duration>,
    /// Requests answered correctly within the measurement.
    completed: usize,
    pub(crate) errors: usize,
    pub(crate) first_error: Option<String>,
    pub(crate) rps: f64,
    /// Length of the measurement, seconds.
    pub(crate) secs: f64,
    pub(crate) p50: Duration,
    pub(crate) p95: Duration,
    pub(crate) p99: Duration,
    pub(crate) cpu: Option<CpuUse>,
}

impl Summary {
    /// CPU milliseconds per request answered within the measurement: server, client,
    /// PostgreSQL (all), PostgreSQL (the benchmark's backends).
    pub(crate) fn cpu_per_request(&self) -> Option<[f64; 4]> {
        let cpu = self.cpu?;
        let n = (self.completed as f64).max(1.0);
        Some([cpu.server, cpu.client, cpu.pg_all, cpu.pg_db].map(|s| s * 1000.0 / n))
    }

    /// Adds another slice of the same scenario.
    fn merge(&mut self, other: Summary) {
        self.latencies.extend(other.latencies);
        self.latencies.sort_unstable();
        self.completed += other.completed;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        self.secs += other.secs;
        self.rps = self.completed as f64 / self.secs;
        self.p50 = percentile(&self.latencies, 50.0);
        self.p95 = percentile(&self.latencies, 95.0);
        self.p99 = percentile(&self.latencies, 99.0);
        self.cpu = match (self.cpu, other.cpu) {
            (Some(a), Some(b)) => Some(CpuUse {
                server: a.server + b.server,
                client: a.client + b.client,
                pg_all: a.pg_all + b.pg_all,
                pg_db: a.pg_db + b.pg_db,
            }),
            (a, b) => a.or(b),
        };
    }
}

/// Nearest-rank percentile of sorted durations.
pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The machine's load averages over 1, 5 and 15 minutes: other work on the machine skews every
/// figure, and this says how much there was.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Reads CPU times from `/proc`.
#[derive(Clone)]
pub(crate) struct CpuMeter {
    ticks_per_second: f64,
    /// The benchmark's database, as it appears in its backends' process titles.
    database: String,
}

struct Snapshot {
    process: u64,
    client: u64,
    /// Per `postgres` process: its ticks, and whether it serves the benchmark's database.
    postgres: HashMap<u32, (u64, bool)>,
}

impl CpuMeter {
    pub(crate) fn new(database: &str) -> CpuMeter {
        let ticks_per_second = std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(100.0);
        CpuMeter {
            ticks_per_second,
            database: database.to_owned(),
        }
    }

    fn snapshot(&self) -> Snapshot {
        let pid = std::process::id();
        let process = read_stat(&format!("/proc/{pid}/stat"))
            .map(|(_, t)| t)
            .unwrap_or(0);
        let mut client = 0;
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for task in tasks.flatten() {
                let tid = task.file_name().to_string_lossy().into_owned();
                if let Some((comm, ticks)) = read_stat(&format!("/proc/{pid}/task/{tid}/stat"))
                    && (comm.starts_with(CLIENT_THREADS) || tid == pid.to_string())
                {
                    client += ticks;
                }
            }
        }
        let mut postgres = HashMap::new();
        if let Ok(procs) = std::fs::read_dir("/proc") {
            for entry in procs.flatten() {
                let Ok(other) = entry.file_name().to_string_lossy().parse::<u32>() else {
                    continue;
                };
                if let Some((comm, ticks)) = read_stat(&format!("/proc/{other}/stat"))
                    && comm == "postgres"
                {
                    let ours = std::fs::read(format!("/proc/{other}/cmdline"))
                        .map(|title| String::from_utf8_lossy(&title).contains(&self.database))
                        .unwrap_or(false);
                    postgres.insert(other, (ticks, ours));
                }
            }
        }
        Snapshot {
            process,
            client,
            postgres,
        }
    }

    fn between(&self, start: &Snapshot, end: &Snapshot) -> CpuUse {
        let secs = |ticks: u64| ticks as f64 / self.ticks_per_second;
        let (mut pg_all, mut pg_db) = (0, 0);
        for (pid, (ticks, ours)) in &end.postgres {
            let before = start.postgres.get(pid).map_or(0, |(t, _)| *t);
            let spent = ticks.saturating_sub(before);
            pg_all += spent;
            if *ours {
                pg_db += spent;
            }
        }
        let client = end.client.saturating_sub(start.client);
        let process = end.process.saturating_sub(start.process);
        CpuUse {
            server: secs(process.saturating_sub(client)),
            client: secs(client),
            pg_all: secs(pg_all),
            pg_db: secs(pg_db),
        }
    }
}

/// The command name and utime + stime of a `/proc/…/stat` file.
fn read_stat(path: &str) -> Option<(String, u64)> {
    let text = std::fs::read_to_string(path).ok()?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?.to_owned();
    let mut fields = text.get(close + 1..)?.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((comm, utime + stime))
}

/// One request's record: when it started, how long it took, its error if any.
type Record = (Instant, Duration, Option<String>);

/// One request of a closed loop: `op(task, iteration)`.
pub(crate) type Op =
    Arc<dyn Fn(usize, u64) -> BoxFuture<'static, anyhow::Result<()>> + Send + Sync>;

/// Boxes a request of a closed loop.
pub(crate) fn op<F, Fut>(f: F) -> Op
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    Arc::new(move |task, i| Box::pin(f(task, i)))
}

/// Runs the scenarios `ops` on `conns` connections in turns: each scenario warms up for the
/// window's warm-up the first time, then they alternate in `turns` slices of the measurement
/// each (with half a second of warm-up). Whatever else the machine does meanwhile falls on every
/// scenario alike, which keeps their ratio honest on a busy machine.
pub(crate) async fn alternating(
    ops: &[(&str, Op)],
    conns: usize,
    window: Window,
    turns: u32,
    meter: &CpuMeter,
) -> anyhow::Result<Vec<Summary>> {
    let slice = window.measure / turns.max(1);
    let mut merged: Vec<Option<Summary>> = vec![None; ops.len()];
    for turn in 0..turns.max(1) {
        for ((label, op), total) in ops.iter().zip(&mut merged) {
            let warmup = if turn == 0 {
                window.warmup
            } else {
                Duration::from_millis(500)
            };
            let part = Window {
                warmup,
                measure: slice,
            };
            let s = closed_loop(label, conns, part, meter, op.clone()).await?;
            match total {
                Some(total) => total.merge(s),
                None => *total = Some(s),
            }
        }
    }
    merged
        .into_iter()
        .map(|s| s.ok_or_else(|| anyhow::anyhow!("no measurement")))
        .collect()
}

/// Runs `op(task, iteration)` on `conns` tasks in a closed loop for the window's warm-up and
/// measurement; counts the requests that complete within the measurement, and their latencies.
pub(crate) async fn closed_loop(
    label: &str,
    conns: usize,
    window: Window,
    meter: &CpuMeter,
    op: Op,
) -> anyhow::Result<Summary> {
    let start = Instant::now();
    let measure_from = start + window.warmup;
    let end = measure_from + window.measure;
    let mut tasks = JoinSet::new();
    for task in 0..conns {
        let op = op.clone();
        tasks.spawn(async move {
            let mut records: Vec<Record> = Vec::new();
            let mut iteration = 0;
            loop {
                let t = Instant::now();
                if t >= end {
                    break;
                }
                let outcome = op(task, iteration).await;
                records.push((t, t.elapsed(), outcome.err().map(|e| format!("{e:#}"))));
                iteration += 1;
            }
            records
        });
    }
    tokio::time::sleep_until(measure_from.into()).await;
    let before = meter.snapshot();
    tokio::time::sleep_until(end.into()).await;
    let after = meter.snapshot();
    let mut records = Vec::new();
    while let Some(done) = tasks.join_next().await {
        records.extend(done.context("load task")?);
    }
    Ok(summarise(
        label,
        conns.to_string(),
        records,
        measure_from,
        end,
        Some(meter.between(&before, &after)),
    ))
}

/// Sends `op(i)` at `rate` per second for `duration`, each on its own task, whatever the state of
/// earlier requests; a request's latency runs from its scheduled instant to its answer.
pub(crate) async fn open_loop<F, Fut>(
    label: &str,
    rate: f64,
    duration: Duration,
    meter: &CpuMeter,
    op: F,
) -> anyhow::Result<Summary>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let op = Arc::new(op);
    let in_flight = Arc::new(AtomicUsize::new(0));
    let records = Arc::new(Mutex::new(Vec::<Record>::new()));
    let interval = Duration::from_secs_f64(1.0 / rate.max(1.0));
    let start = Instant::now();
    let end = start + duration;
    let before = meter.snapshot();
    let mut tasks = JoinSet::new();
    let mut i = 0u64;
    loop {
        let at = start + interval.mul_f64(i as f64);
        if at >= end {
            break;
        }
        tokio::time::sleep_until(at.into()).await;
        if in_flight.load(Ordering::Relaxed) >= MAX_IN_FLIGHT {
            let overload = Some("too many requests in flight".to_owned());
            records.lock().await.push((at, Duration::ZERO, overload));
        } else {
            in_flight.fetch_add(1, Ordering::Relaxed);
            let (op, in_flight, records) = (op.clone(), in_flight.clone(), records.clone());
            tasks.spawn(async move {
                let outcome = op(i).await;
                let record = (at, at.elapsed(), outcome.err().map(|e| format!("{e:#}")));
                in_flight.fetch_sub(1, Ordering::Relaxed);
                records.lock().await.push(record);
            });
        }
        i += 1;
        // Reap finished tasks as we go, so that the set stays small.
        while tasks.try_join_next().is_some() {}
    }
    let after = meter.snapshot();
    while tasks.join_next().await.is_some() {}
    let records = std::mem::take(&mut *records.lock().await);
    let mut summary = summarise(
        label,
        "open".to_owned(),
        records,
        start,
        end,
        Some(meter.between(&before, &after)),
    );
    // Every scheduled request counts, including those answered after the end.
    summary.completed = summary.latencies.len();
    summary.rps = summary.completed as f64 / duration.as_secs_f64();
    Ok(summary)
}

fn summarise(
    label: &str,
    conns: String,
    records: Vec<Record>,
    from: Instant,
    to: Instant,
    cpu: Option<CpuUse>,
) -> Summary {
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    let mut completed_in_window = 0usize;
    for (started, took, error) in records {
        if started < from {
            continue;
        }
        match error {
            Some(error) => {
                errors += 1;
                first_error.get_or_insert(error);
            }
            None => {
                latencies.push(took);
                if started + took <= to {
                    completed_in_window += 1;
                }
            }
        }
    }
    latencies.sort_unstable();
    Summary {
        label: label.to_owned(),
        conns,
        p50: percentile(&latencies, 50.0),
        p95: percentile(&latencies, 95.0),
        p99: percentile(&latencies, 99.0),
        latencies,
        completed: completed_in_window,
        errors,
        first_error,
        rps: completed_in_window as f64 / (to - from).as_secs_f64(),
        secs: (to - from).as_secs_f64(),
        cpu,
    }
}
