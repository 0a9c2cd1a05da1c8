//! Message delivery benchmark: how many e-mails per second one store's dispatcher hands to a
//! local SMTP server (aiosmtpd 1.4.6, from `SPORTELLO_TEST_PYTHON`, as `scripts/test` prepares
//! it in `target/venv`), and how long after a message is queued it is accepted by the server.
//!
//! ```sh
//! SPORTELLO_TEST_PYTHON=target/venv/bin/python cargo bench -p sportello --bench messages
//! ```
//!
//! The store is the tenancy service's on SQLite in a temporary directory (its `messages` table,
//! `migrations/kernel/sqlite/messages.sql`); the dispatcher is the one the server runs
//! (`sportello_kernel::messages::Dispatcher`, one connection per message, no pooling).

use std::time::{Duration, Instant};

use anyhow::Context as _;
use sportello_kernel::TenantId;
use sportello_kernel::db::{Scope, StoreConfig};
use sportello_kernel::messages::{
    self, Channel, Dispatcher, MessageKind, MessageLanguage, Outgoing, SmtpMailer, Template,
    Transports,
};
use sportello_tenancy::TenancyService;

/// Messages queued at once for the throughput figure.
const MESSAGES: usize = 500;
/// Single messages queued one at a time for the latency figure.
const SINGLES: usize = 20;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn count_mails(dir: &std::path::Path) -> usize {
    ["new", "cur"]
        .iter()
        .filter_map(|d| std::fs::read_dir(dir.join(d)).ok())
        .map(|entries| entries.count())
        .sum()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let python = std::env::var("SPORTELLO_TEST_PYTHON").context(
        "SPORTELLO_TEST_PYTHON must name a Python with aiosmtpd (target/venv/bin/python)",
    )?;
    let dir = tempfile::tempdir()?;
    let maildir = dir.path().join("mail");
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut smtp = std::process::Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .context("aiosmtpd")?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        anyhow::ensure!(Instant::now() < deadline, "aiosmtpd did not listen");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let store = StoreConfig {
        url: format!("sqlite://{}/tenancy.db?mode=rwc", dir.path().display()),
        schema: "tenancy".into(),
        app_role: "sportello_app".into(),
        app_password: None,
        max_connections: 1,
    };
    let service = TenancyService::open(&store, true)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let db = service.db().clone();
    let mailer = SmtpMailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Sportello <noreply@sportello.example.it>",
    )
    .map_err(anyhow::Error::msg)?;
    let dispatcher = Dispatcher::new(
        db.clone(),
        Transports {
            email: Some(std::sync::Arc::new(mailer)),
            sms: None,
        },
    );
    let tenant = TenantId::new();
    let queue = |n: usize| {
        let db = db.clone();
        async move {
            let tx = db.begin(Scope::Tenant(tenant)).await?;
            for i in 0..n {
                let template = Template::AppointmentReminder {
                    desk: "Sportello Poggibonsi",
                    when: "30/03/2027 10:00",
                };
                messages::queue(
                    &tx,
                    chrono::Utc::now(),
                    Outgoing {
                        kind: MessageKind::AppointmentReminder,
                        channel: Channel::Email,
                        language: MessageLanguage::Ar,
                        reference: None,
                        recipient: format!("persona{i}@example.org"),
                        content: template.email(MessageLanguage::Ar),
                    },
                )?;
            }
            tx.commit().await
        }
    };

    // Throughput: a backlog delivered back to back.
    queue(MESSAGES)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let started = Instant::now();
    let mut sent = 0;
    while sent < MESSAGES {
        sent += dispatcher
            .deliver_once()
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    let elapsed = started.elapsed();
    anyhow::ensure!(
        count_mails(&maildir) == MESSAGES,
        "not every message arrived"
    );
    println!(
        "throughput: {MESSAGES} e-mails in {:.2} s = {:.0} e-mails/s",
        elapsed.as_secs_f64(),
        MESSAGES as f64 / elapsed.as_secs_f64()
    );

    // Latency: one message queued, then the dispatcher's pass (as the server runs it with
    // `messages.interval_secs` between idle passes, this is the part after the pass begins).
    let mut samples = Vec::with_capacity(SINGLES);
    for _ in 0..SINGLES {
        let before = count_mails(&maildir);
        let at = Instant::now();
        queue(1).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        dispatcher
            .deliver_once()
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        anyhow::ensure!(
            count_mails(&maildir) == before + 1,
            "the message did not arrive"
        );
        samples.push(at.elapsed());
    }
    println!(
        "queued to accepted by the SMTP server: p50 {:?}, p95 {:?} (plus up to messages.interval_secs, 5 s by default, for the dispatcher's next idle pass)",
        percentile(&mut samples, 0.5),
        percentile(&mut samples, 0.95)
    );
    smtp.kill().ok();
    smtp.wait().ok();
    Ok(())
}
