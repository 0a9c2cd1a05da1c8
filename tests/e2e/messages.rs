//! Messages that actually leave: invitations, password resets and appointment reminders,
//! delivered to a real SMTP server (`aiosmtpd` 1.4.6 from the Python environment that
//! `scripts/test` prepares, named by `SPORTELLO_TEST_PYTHON`; the tests fail without it) and to
//! an SMS provider's HTTP endpoint served by the test itself.

use std::net::TcpListener as StdListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::*;

/// A local SMTP server writing what it receives to a Maildir.
pub struct Smtp {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

/// One e-mail as received.
#[derive(Clone, Debug)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub language: String,
    pub text: String,
    pub html: String,
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("address")
        .port()
}

impl Smtp {
    pub async fn start() -> Smtp {
        let mut smtp = Smtp {
            child: None,
            port: free_port(),
            dir: tempfile::tempdir().expect("maildir"),
        };
        smtp.resume().await;
        smtp
    }

    /// (Re)starts the server on its port.
    pub async fn resume(&mut self) {
        let python = std::env::var("SPORTELLO_TEST_PYTHON").expect(
            "SPORTELLO_TEST_PYTHON must name a Python with aiosmtpd (scripts/test prepares target/venv)",
        );
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.dir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not listen");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops the server: an outage.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every e-mail received so far.
    pub fn mails(&self) -> Vec<Mail> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let dir = self.dir.path().join("mail").join(sub);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                out.push(parse_mail(&entry.path()));
            }
        }
        out
    }

    /// Waits (up to 60 s) until the e-mails received satisfy `done`; returns them.
    pub async fn wait_for(&self, what: &str, done: impl Fn(&[Mail]) -> bool) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let mails = self.mails();
            if done(&mails) {
                return mails;
            }
            assert!(Instant::now() < deadline, "no {what} after 60 s: {mails:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.stop();
    }
}

fn parse_mail(path: &Path) -> Mail {
    let raw = std::fs::read(path).expect("mail file");
    let parsed = mailparse::parse_mail(&raw).expect("a MIME message");
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.get_key().eq_ignore_ascii_case(name))
            .map(|h| h.get_value())
            .unwrap_or_default()
    };
    let mut text = String::new();
    let mut html = String::new();
    let mut parts = vec![&parsed];
    while let Some(part) = parts.pop() {
        match part.ctype.mimetype.as_str() {
            "text/plain" => text = part.get_body().expect("text body"),
            "text/html" => html = part.get_body().expect("html body"),
            _ => parts.extend(part.subparts.iter()),
        }
    }
    Mail {
        to: header("To"),
        subject: header("Subject"),
        language: header("Content-Language"),
        text,
        html,
    }
}

/// An SMS provider's endpoint: records every `{to, text}` it accepts; answers 503 while down.
#[derive(Clone, Default)]
pub struct SmsProvider {
    pub received: Arc<Mutex<Vec<Value>>>,
    pub down: Arc<std::sync::atomic::AtomicBool>,
}

impl SmsProvider {
    pub async fn start() -> (SmsProvider, String) {
        use axum::http::StatusCode;
        let provider = SmsProvider::default();
        let state = provider.clone();
        let app = axum::Router::new().route(
            "/sms",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::Json<Value>| {
                    let state = state.clone();
                    async move {
                        if state.down.load(std::sync::atomic::Ordering::SeqCst) {
                            return StatusCode::SERVICE_UNAVAILABLE;
                        }
                        if headers.get("authorization").and_then(|v| v.to_str().ok())
                            != Some("Bearer sms-test-token")
                        {
                            return StatusCode::UNAUTHORIZED;
                        }
                        state.received.lock().expect("lock").push(body.0);
                        StatusCode::ACCEPTED
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/sms", listener.local_addr().expect("address"));
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        (provider, url)
    }

    pub fn messages(&self) -> Vec<Value> {
        self.received.lock().expect("lock").clone()
    }
}

/// Polls `check` (up to 60 s) until it gives a value.
async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "{what}: not within 60 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn link_token<'a>(text: &'a str, marker: &str) -> &'a str {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {text}"))
        + marker.len();
    text[start..]
        .split(|c: char| c.is_whitespace())
        .next()
        .expect("token")
}

async fn messaging_app(
    backend: Backend,
    topology: Topology,
    smtp: &Smtp,
    sms: Option<&str>,
) -> TestApp {
    let (mut config, dir) = fresh_config(backend).await;
    config.messages.smtp_url = Some(smtp.url());
    config.messages.from = "Sportello <noreply@sportello.example.it>".into();
    config.messages.sms_url = sms.map(str::to_owned);
    config.messages.sms_token = Some("sms-test-token".into());
    config.messages.interval_secs = 1;
    config.messages.retry_base_secs = 1;
    config.public_url = Some("https://sportello.example.it".into());
    TestApp::spawn_with(config, dir, topology).await
}

const INVITATIONS: &str = "{ invitations(first: 50) { edges { node { email deliveries { channel status language attempts lastError sentAt } } } } }";

fn deliveries_of(list: &Value, email: &str) -> Option<Vec<Value>> {
    list["invitations"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| e["node"]["email"] == email)
        .map(|e| {
            e["node"]["deliveries"]
                .as_array()
                .expect("deliveries")
                .clone()
        })
}

async fn invitations_and_password_resets_arrive_by_email(backend: Backend, topology: Topology) {
    let smtp = Smtp::start().await;
    let app = messaging_app(backend, topology, &smtp, None).await;
    let (a, b) = seed_alfa_and_beta(&app).await;

    // An invitation in Arabic: right-to-left HTML, and a link that works.
    let issued = a
        .admin
        .ok(
            "mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }",
            json!({ "i": { "email": "mediatrice@alfa.example.org", "roles": ["OPERATOR"], "language": "ar" } }),
        )
        .await;
    let token = issued["inviteUser"]["token"].as_str().expect("token");
    let mails = smtp
        .wait_for("invitation e-mail", |m| {
            m.iter().any(|m| m.to.contains("mediatrice@alfa"))
        })
        .await;
    let mail = mails
        .iter()
        .find(|m| m.to.contains("mediatrice@alfa"))
        .expect("mail");
    assert_eq!(mail.language, "ar");
    assert!(mail.subject.starts_with("دعوة"), "{}", mail.subject);
    assert!(
        mail.html.contains("lang=\"ar\" dir=\"rtl\""),
        "{}",
        mail.html
    );
    assert!(mail.text.contains("Alfa"));
    let linked = link_token(&mail.text, "https://sportello.example.it/invito#");
    assert_eq!(linked, token);
    app.member(linked, "Porta-Romana-2026", "Mediatrice").await;
    // Every invitation of the onboarding went out too (each tenant's administrator, operator
    // and volunteer), in Italian by default.
    for address in [
        "admin@alfa.example.org",
        "operator@beta.example.org",
        "pending@alfa.example.org",
    ] {
        let m = mails
            .iter()
            .find(|m| m.to.contains(address))
            .unwrap_or_else(|| panic!("no mail to {address}"));
        assert_eq!(m.language, "it");
        assert!(m.subject.starts_with("Invito a Sportello"), "{}", m.subject);
    }
    // Staff see the delivery, never the text; the other tenant sees none of it.
    let sent = eventually("the invitation marked sent", async || {
        let list = a.admin.ok(INVITATIONS, json!({})).await;
        deliveries_of(&list, "mediatrice@alfa.example.org")
            .filter(|d| d.first().is_some_and(|d| d["status"] == "SENT"))
    })
    .await;
    assert_eq!(sent[0]["channel"], "EMAIL");
    assert_eq!(sent[0]["language"], "ar");
    assert_eq!(sent[0]["attempts"], 1);
    assert!(sent[0]["sentAt"].is_string());
    let theirs = b.admin.ok(INVITATIONS, json!({})).await;
    assert!(deliveries_of(&theirs, "mediatrice@alfa.example.org").is_none());
    assert!(deliveries_of(&theirs, "pending@alfa.example.org").is_none());

    // A password reset: the same answer for an unknown address, an e-mail only to the account.
    let mut op = app.client();
    op.login("operator@alfa.example.org", "Ponte-Vecchio-2026")
        .await;
    let anonymous = app.client();
    let ask = "mutation($e: String!, $l: String) { requestPasswordReset(input: {email: $e, language: $l}) }";
    let known = anonymous
        .gql(ask, json!({ "e": "operator@alfa.example.org", "l": "fr" }))
        .await;
    let unknown = anonymous
        .gql(ask, json!({ "e": "nobody@alfa.example.org", "l": "fr" }))
        .await;
    assert_eq!(known, json!({ "data": { "requestPasswordReset": true } }));
    assert_eq!(unknown, known);
    let mails = smtp
        .wait_for("reset e-mail", |m| {
            m.iter()
                .any(|m| m.to.contains("operator@alfa") && m.subject.contains("mot de passe"))
        })
        .await;
    assert!(!mails.iter().any(|m| m.to.contains("nobody@")));
    let reset = mails
        .iter()
        .find(|m| m.to.contains("operator@alfa") && m.subject.contains("mot de passe"))
        .expect("reset mail");
    assert_eq!(reset.language, "fr");
    let reset_token =
        link_token(&reset.text, "https://sportello.example.it/password/nuova#").to_owned();
    let set =
        "mutation($t: String!, $p: String!) { resetPassword(input: {token: $t, newPassword: $p}) }";
    // A password the rules refuse changes nothing, and the link still works after it.
    anonymous
        .refused_on(
            set,
            json!({ "t": reset_token, "p": "short" }),
            "newPassword",
        )
        .await;
    anonymous
        .refused_on(
            set,
            json!({ "t": "not-a-token", "p": "Nuova-Strada-2027" }),
            "token",
        )
        .await;
    let done = anonymous
        .gql(set, json!({ "t": reset_token, "p": "Nuova-Strada-2027" }))
        .await;
    assert_eq!(done["data"]["resetPassword"], true, "{done}");
    // Every session of the account ended; the old password no longer works, the new one does.
    let after = op.gql("{ viewer { user { email } } }", json!({})).await;
    assert!(after["data"]["viewer"].is_null(), "{after}");
    let mut again = app.client();
    let refused = again
        .gql(
            "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { user { email } } }",
            json!({ "e": "operator@alfa.example.org", "p": "Ponte-Vecchio-2026" }),
        )
        .await;
    assert_eq!(code(&refused).as_deref(), Some("UNAUTHENTICATED"));
    again
        .login("operator@alfa.example.org", "Nuova-Strada-2027")
        .await;
    // The link is single use.
    let reused = anonymous
        .gql(set, json!({ "t": reset_token, "p": "Altra-Strada-2028" }))
        .await;
    assert_eq!(field(&reused).as_deref(), Some("token"));
    assert_eq!(
        reused["errors"][0]["extensions"]["reason"],
        "RESET_TOKEN_NOT_VALID"
    );
}
crate::on_backends!(invitations_and_password_resets_arrive_by_email);

/// A person of `op`'s tenant with these contacts (`{"email": …}` or `{"phone": …}`), speaking
/// `language`, who has given (or refused) consent to be contacted by message.
async fn person(
    op: &Client,
    territory: &str,
    given: &str,
    contact: Value,
    language: &str,
    consent: bool,
) -> String {
    let mut input = json!({
        "givenNames": given, "familyNames": "Promemoria", "territoryCode": territory,
        "languages": [{ "code": language, "level": "NATIVE" }],
    });
    for (k, v) in contact.as_object().expect("contact") {
        input[k] = v.clone();
    }
    let id = op
        .id(
            "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({ "i": input }),
        )
        .await;
    op.ok(
        "mutation($p: ID!, $g: Boolean!) { recordConsent(personId: $p, purpose: CONTACT_BY_MESSAGE, given: $g) { given } }",
        json!({ "p": id, "g": consent }),
    )
    .await;
    id
}

const APPOINTMENTS: &str = "{ appointments(first: 50) { edges { node { personId reminderOutcome reminderDeliveries { channel status language } } } } }";

async fn appointment_reminders_go_in_the_persons_language_and_only_with_consent(
    backend: Backend,
    topology: Topology,
) {
    let smtp = Smtp::start().await;
    let (sms, sms_url) = SmsProvider::start().await;
    let app = messaging_app(backend, topology, &smtp, Some(&sms_url)).await;
    let (a, b) = seed_alfa_and_beta(&app).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let amina = person(
        &op_a,
        "052022",
        "Amina",
        json!({ "email": "amina@example.org" }),
        "ar",
        true,
    )
    .await;
    let ion = person(
        &op_a,
        "052022",
        "Ion",
        json!({ "phone": "+39 333 123 4567" }),
        "ro",
        true,
    )
    .await;
    let silent = person(
        &op_a,
        "052022",
        "Marta",
        json!({ "email": "marta@example.org" }),
        "it",
        false,
    )
    .await;
    let beta_person = person(
        &op_b,
        "048017",
        "Luca",
        json!({ "email": "luca@example.org" }),
        "it",
        true,
    )
    .await;
    // Booked to start within hours, with a reminder due before now: due at once.
    let book = "mutation($d: ID!, $p: ID!, $at: DateTime!) { bookAppointment(input: {deskId: $d, personId: $p, startsAt: $at, durationMinutes: 30, remindHoursBefore: 6}) { id } }";
    let at = |hours: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(hours))
            .format("%Y-%m-%dT%H:00:00Z")
            .to_string()
    };
    let booked = Instant::now();
    for (p, h) in [(&amina, 2), (&ion, 3), (&silent, 4)] {
        op_a.ok(book, json!({ "d": a.desk, "p": p, "at": at(h) }))
            .await;
    }
    op_b.ok(book, json!({ "d": b.desk, "p": beta_person, "at": at(2) }))
        .await;

    let mails = smtp
        .wait_for("reminder e-mails", |m| {
            m.iter().any(|m| m.to.contains("amina@")) && m.iter().any(|m| m.to.contains("luca@"))
        })
        .await;
    let amina_mail = mails
        .iter()
        .find(|m| m.to.contains("amina@"))
        .expect("amina");
    assert_eq!(amina_mail.language, "ar");
    assert!(
        amina_mail.subject.starts_with("تذكير"),
        "{}",
        amina_mail.subject
    );
    assert!(amina_mail.html.contains("dir=\"rtl\""));
    assert!(
        amina_mail.text.contains("Sportello Alfa"),
        "{}",
        amina_mail.text
    );
    let luca_mail = mails.iter().find(|m| m.to.contains("luca@")).expect("luca");
    assert!(
        luca_mail.subject.starts_with("Promemoria"),
        "{}",
        luca_mail.subject
    );
    assert!(luca_mail.text.contains("Sportello Beta"));
    let texts = eventually("the SMS", async || {
        let got = sms.messages();
        (!got.is_empty()).then_some(got)
    })
    .await;
    eprintln!(
        "reminders: e-mail and SMS delivered {} ms after they came due",
        booked.elapsed().as_millis()
    );
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert_eq!(texts[0]["to"], "+393331234567");
    assert!(
        texts[0]["text"]
            .as_str()
            .expect("text")
            .contains("Vă reamintim"),
        "{}",
        texts[0]
    );
    // No consent: nothing is sent, and the appointment says why.
    assert!(!smtp.mails().iter().any(|m| m.to.contains("marta@")));
    let listed = eventually("every reminder delivered", async || {
        let list = op_a.edges(APPOINTMENTS, json!({})).await;
        let all_sent = list.as_array().expect("edges").iter().all(|e| {
            e["node"]["reminderDeliveries"]
                .as_array()
                .is_some_and(|d| d.iter().all(|d| d["status"] == "SENT"))
        });
        all_sent.then_some(list)
    })
    .await;
    let of = |id: &str| {
        listed
            .as_array()
            .expect("edges")
            .iter()
            .find(|e| e["node"]["personId"] == id)
            .map(|e| e["node"].clone())
            .expect("appointment")
    };
    assert_eq!(of(&amina)["reminderOutcome"], "QUEUED");
    assert_eq!(
        of(&amina)["reminderDeliveries"],
        json!([{ "channel": "EMAIL", "status": "SENT", "language": "ar" }])
    );
    assert_eq!(
        of(&ion)["reminderDeliveries"],
        json!([{ "channel": "SMS", "status": "SENT", "language": "ro" }])
    );
    assert_eq!(of(&silent)["reminderOutcome"], "NO_CONSENT");
    assert_eq!(of(&silent)["reminderDeliveries"], json!([]));
    // Each tenant sees its own appointments only.
    assert_eq!(listed.as_array().expect("edges").len(), 3);
    let theirs = op_b.edges(APPOINTMENTS, json!({})).await;
    assert_eq!(theirs.as_array().expect("edges").len(), 1);
    assert_eq!(theirs[0]["node"]["personId"], beta_person);
    // Nothing is sent twice.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        smtp.mails()
            .iter()
            .filter(|m| m.to.contains("amina@"))
            .count(),
        1
    );
    assert_eq!(sms.messages().len(), 1);
}
crate::on_backends!(appointment_reminders_go_in_the_persons_language_and_only_with_consent);

async fn an_outage_delays_delivery_and_loses_nothing(backend: Backend, topology: Topology) {
    let mut smtp = Smtp::start().await;
    let (sms, sms_url) = SmsProvider::start().await;
    smtp.stop();
    sms.down.store(true, std::sync::atomic::Ordering::SeqCst);
    let app = messaging_app(backend, topology, &smtp, Some(&sms_url)).await;
    let a = seed_alfa(&app).await;
    for n in 0..5 {
        a.admin
            .invite(json!({ "email": format!("volontario{n}@alfa.example.org"), "roles": ["VOLUNTEER"] }))
            .await;
    }
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let p = op
        .id(
            "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({ "i": { "givenNames": "Ion", "familyNames": "Popescu", "territoryCode": "052022", "phone": "+40 721 234 567" } }),
        )
        .await;
    op.ok(
        "mutation($p: ID!) { recordConsent(personId: $p, purpose: CONTACT_BY_MESSAGE, given: true) { given } }",
        json!({ "p": p }),
    )
    .await;
    let at = (chrono::Utc::now() + chrono::Duration::hours(2))
        .format("%Y-%m-%dT%H:00:00Z")
        .to_string();
    op.ok(
        "mutation($d: ID!, $p: ID!, $at: DateTime!) { bookAppointment(input: {deskId: $d, personId: $p, startsAt: $at, durationMinutes: 30, remindHoursBefore: 6}) { id } }",
        json!({ "d": a.desk, "p": p, "at": at }),
    )
    .await;
    // While the server and the provider are down, messages wait and say why.
    let waiting = eventually("tries recorded", async || {
        let list = a.admin.ok(INVITATIONS, json!({})).await;
        deliveries_of(&list, "volontario4@alfa.example.org")
            .filter(|d| d.first().is_some_and(|d| d["attempts"].as_i64() >= Some(2)))
    })
    .await;
    assert_eq!(waiting[0]["status"], "PENDING");
    assert_eq!(waiting[0]["lastError"], "unreachable");
    let reminder = eventually("the SMS tried", async || {
        let list = op.edges(APPOINTMENTS, json!({})).await;
        let d = list[0]["node"]["reminderDeliveries"][0].clone();
        (d["status"] == "PENDING").then_some(d)
    })
    .await;
    assert_eq!(reminder["channel"], "SMS");
    assert!(sms.messages().is_empty());
    // Back up: everything arrives, once.
    smtp.resume().await;
    sms.down.store(false, std::sync::atomic::Ordering::SeqCst);
    let mails = smtp
        .wait_for("every invitation", |m| {
            (0..5).all(|n| m.iter().any(|m| m.to.contains(&format!("volontario{n}@"))))
        })
        .await;
    for n in 0..5 {
        let to = format!("volontario{n}@");
        assert_eq!(
            mails.iter().filter(|m| m.to.contains(&to)).count(),
            1,
            "{to}"
        );
    }
    eventually("the SMS after the outage", async || {
        (sms.messages().len() == 1).then_some(())
    })
    .await;
    let sent = eventually("marked sent", async || {
        let list = a.admin.ok(INVITATIONS, json!({})).await;
        deliveries_of(&list, "volontario4@alfa.example.org")
            .filter(|d| d.first().is_some_and(|d| d["status"] == "SENT"))
    })
    .await;
    assert!(sent[0]["attempts"].as_i64() >= Some(3), "{sent:?}");
    assert_eq!(sent[0]["lastError"], "unreachable");
}
crate::on_backends!(an_outage_delays_delivery_and_loses_nothing:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres => (Backend::Postgres, Topology::AllInOne),
);
