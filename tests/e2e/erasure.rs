//! Erasure of a person (GDPR art. 17) end to end: values planted on a person of one tenant are
//! gone from every store afterwards (the SQLite files byte by byte, write-ahead log included;
//! every PostgreSQL table; the outbox; the Redis stream; the logs of the real binary; the
//! analytics store), their facts are gone from the tenant's figures, the audit chain verifies,
//! and the other tenant's same-named person and figures are untouched. Who may erase, and what a
//! refused erasure changes (nothing).

use std::time::Duration;

use serde_json::{Value, json};
use sportello_kernel::events::{EventKind, Record};

use crate::analytics::wait_for;
use crate::cases::{assert_no_personal_data, audit_verify, directory, rows, story_with_cf};
use crate::distributed::start_all_in_one;
use crate::helpers::{
    Backend, Client, Seeded, TestApp, Topology, code, field, literal, operator, seed_alfa_and_beta,
    spawn_alfa_and_beta, uuid_of,
};
use crate::on_backends;

/// The codice fiscale planted on Alfa's person (valid, check character included).
const CF: &str = "QRSZNB91C50Z330U";

/// Values only Alfa's person ever held, in every field that takes free text or an identifier:
/// none may be found anywhere after the erasure.
const PLANTED: [&str; 10] = [
    CF,
    // The phone's last digits, whatever the stored format.
    "9182736",
    "zainab.q@posta.example.org",
    "PSQ7731904",
    // Notes of an encounter.
    "Abdelkrim",
    // Referral feedback.
    "Staggia",
    // The reason a case was reopened.
    "Sfax",
    // A goal and a step of the plan.
    "Bassem",
    "Ferida",
    // The label of the household she alone belonged to.
    "Hadjaoui",
];

/// The planted values the store keeps in clear (contact details, the household's label); the
/// others are special categories, sealed under the person's data key (docs/privacy.md, "At
/// rest"), so no scan of the stores finds them even before the erasure: that they were
/// stored is checked by reading them back through the API.
const IN_CLEAR: [&str; 3] = ["9182736", "zainab.q@posta.example.org", "Hadjaoui"];

/// The names both tenants' persons share.
const NAMES: [&str; 2] = ["Zainab", "Quaresimali"];

const ERASE: &str =
    "mutation($i: ErasePersonInput!) { erasePerson(input: $i) { personId ground } }";

/// Every month's people reached in the tenant, as the client sees it.
async fn people_by_month(c: &Client) -> Value {
    let to = chrono::Utc::now().format("%Y-%m").to_string();
    c.ok(
        "query($t: String!) { tenantStatistics(measure: PEOPLE_REACHED, by: [MONTH], from: \"2026-01\", to: $t) { keys value } }",
        json!({ "t": to }),
    )
    .await["tenantStatistics"]
        .clone()
}

/// Waits until the client's people reached by month reads `expected`.
async fn wait_people_by_month(c: &Client, expected: &Value) {
    let mut last = Value::Null;
    for _ in 0..300 {
        last = people_by_month(c).await;
        if &last == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("people by month is {last}, never {expected}");
}

/// A person of Alfa with a value in every field, and everything a case can hold.
async fn plant(app: &TestApp, a: &Seeded, op: &Client) -> String {
    let s = story_with_cf(op, NAMES[0], NAMES[1], "052022", Some(CF)).await;
    op.ok(
        "mutation($id: ID!, $i: PersonInput!) { updatePerson(id: $id, expectedVersion: 1, input: $i) { id } }",
        json!({ "id": s.person, "i": {
            "givenNames": NAMES[0], "familyNames": NAMES[1], "territoryCode": "052022",
            "birth": { "year": 1991, "month": 3, "day": 10 }, "sex": "FEMALE", "countryOfBirth": "MA",
            "phone": "+39 347 9182736", "email": "zainab.q@posta.example.org", "codiceFiscale": CF,
            "legalStatus": { "permitType": "lavoro subordinato", "permitNumber": "PSQ7731904", "expiry": "2027-03-31" }
        } }),
    )
    .await;
    op.ok(
        "mutation($c: ID!) { addEncounter(input: {caseId: $c, occurredAt: \"2026-11-25T09:30:00Z\", channel: PHONE, notes: \"vive con lo zio Abdelkrim\"}) { id } }",
        json!({ "c": s.case }),
    )
    .await;
    // A legal question about the case, naming the uncle (gone with the person).
    op.ok(
        "mutation($c: ID!) { askLegalQuestion(input: {caseId: $c, category: FAMILY_REUNIFICATION, urgency: NORMAL, question: \"Lo zio Abdelkrim può chiedere il ricongiungimento?\"}) { id } }",
        json!({ "c": s.case }),
    )
    .await;
    // A fact in an earlier month too.
    op.ok(
        "mutation($c: ID!) { recordIntervention(input: {caseId: $c, kind: ORIENTATION, doneAt: \"2026-09-15T10:00:00Z\"}) { id } }",
        json!({ "c": s.case }),
    )
    .await;
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: REFERRAL_SHARING, given: true) { given } }", json!({ "p": s.person })).await;
    let service = directory(a).await;
    let referral = op
        .id("mutation($c: ID!, $s: ID!, $n: [ID!]!) { sendReferral(input: {caseId: $c, serviceId: $s, needIds: $n}) { id } }", json!({ "c": s.case, "s": service, "n": [s.need] }))
        .await;
    op.ok(
        "mutation($id: ID!) { changeReferralStatus(id: $id, expectedVersion: 1, to: ACCEPTED, feedback: \"seguita dal consultorio di Staggia\") { status } }",
        json!({ "id": referral }),
    )
    .await;
    let goal = op
        .id("mutation($c: ID!) { addGoal(input: {caseId: $c, title: \"Iscrivere Bassem alla scuola\", needIds: []}) { id } }", json!({ "c": s.case }))
        .await;
    op.ok(
        "mutation($g: ID!) { addStep(input: {goalId: $g, title: \"Chiamare la zia Ferida\", owner: PERSON}) { id } }",
        json!({ "g": goal }),
    )
    .await;
    let change = "mutation($id: ID!, $to: CaseStatus!, $o: String, $r: String, $v: Int!) { changeCaseStatus(id: $id, expectedVersion: $v, to: $to, outcome: $o, reason: $r) { status } }";
    op.ok(change, json!({ "id": s.case, "to": "ACTIVE", "v": 1 }))
        .await;
    op.ok(
        change,
        json!({ "id": s.case, "to": "CLOSED", "o": "autonomy_reached", "v": 2 }),
    )
    .await;
    op.ok(
        change,
        json!({ "id": s.case, "to": "ACTIVE", "r": "rientrata da Sfax", "v": 3 }),
    )
    .await;
    op.ok(
        "mutation($d: ID!, $p: ID!, $s: DateTime!) { bookAppointment(input: {deskId: $d, personId: $p, startsAt: $s, durationMinutes: 30, occurrences: 2}) { id } }",
        json!({ "d": a.desk, "p": s.person, "s": crate::helpers::monday_at_nine_ahead(35) }),
    )
    .await;
    let household = op
        .id("mutation { createHousehold(label: \"Nucleo Hadjaoui\", territoryCode: \"052022\") { id } }", json!({}))
        .await;
    op.ok(
        "mutation($h: ID!, $p: ID!) { addHouseholdMember(householdId: $h, personId: $p, role: HEAD) { id } }",
        json!({ "h": household, "p": s.person }),
    )
    .await;
    // Every planted value is where the test will look for it (so the scan is not blind).
    let everything = every_row(app).await.join("\n");
    for value in IN_CLEAR.iter().chain(&NAMES) {
        assert!(everything.contains(value), "{value} was not stored");
    }
    let record = op
        .ok(
            "query($p: ID!) { node(id: $p) { ... on Person { codiceFiscale legalStatus { permitNumber } } } }",
            json!({ "p": s.person }),
        )
        .await
        .to_string();
    for value in [CF, "PSQ7731904"] {
        assert!(
            record.contains(value),
            "{value} does not read back: {record}"
        );
    }
    if app.config.database_url.is_none() {
        let found = planted_in_sqlite_files(app);
        for value in IN_CLEAR {
            assert!(
                found.iter().any(|(_, v)| *v == value),
                "{value} not in the files"
            );
        }
    }
    s.person
}

/// The backend of an installation.
fn backend_of(app: &TestApp) -> Backend {
    if app.config.database_url.is_some() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// How many persons' wrapped data keys the stores hold (`person_keys`, every tenant).
async fn data_keys(app: &TestApp) -> usize {
    every_row(app)
        .await
        .iter()
        .filter(|r| {
            r.split('|')
                .next()
                .is_some_and(|t| t.ends_with("person_keys"))
        })
        .count()
}

/// Every row of every table of every store, as text (uuids as the backend writes them: `X'…'`
/// on SQLite, `xxxxxxxx-…` on PostgreSQL).
async fn every_row(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    match backend_of(app) {
        Backend::Sqlite => {
            for entry in std::fs::read_dir(&app.config.data_dir).expect("data dir") {
                let path = entry.expect("entry").path();
                if path.extension().is_none_or(|e| e != "db") {
                    continue;
                }
                let url = format!("sqlite://{}", path.display());
                let conn = sea_orm::Database::connect(&url).await.expect("connect");
                let tables = rows(
                    &conn,
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                )
                .await;
                for table in tables {
                    let columns = rows(
                        &conn,
                        &format!("SELECT name FROM pragma_table_info('{table}')"),
                    )
                    .await;
                    let text = columns
                        .iter()
                        .map(|c| format!("quote(\"{c}\")"))
                        .collect::<Vec<_>>()
                        .join(" || '|' || ");
                    out.extend(
                        rows(
                            &conn,
                            &format!("SELECT '{table}|' || {text} FROM \"{table}\""),
                        )
                        .await,
                    );
                }
                conn.close().await.ok();
            }
        }
        Backend::Postgres => {
            let url = app.config.database_url.clone().expect("url");
            let conn = sea_orm::Database::connect(&url).await.expect("connect");
            let tables = rows(
                &conn,
                "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) \
                 FROM information_schema.tables WHERE table_type = 'BASE TABLE' \
                 AND table_schema NOT IN ('pg_catalog', 'information_schema')",
            )
            .await;
            assert!(tables.len() > 20, "{tables:?}");
            for table in tables {
                out.extend(
                    rows(
                        &conn,
                        &format!("SELECT '{table}|' || t::text FROM {table} t"),
                    )
                    .await,
                );
            }
            conn.close().await.ok();
        }
    }
    out
}

/// How a tenant id reads in [`every_row`].
fn tenant_marker(backend: Backend, tenant: uuid::Uuid) -> String {
    match backend {
        Backend::Sqlite => format!("X'{}'", tenant.simple().to_string().to_uppercase()),
        Backend::Postgres => tenant.to_string(),
    }
}

/// The planted values found in the SQLite files of the installation (databases, write-ahead
/// logs when there are, shared memory), byte by byte, free pages included, with the file.
fn planted_in_sqlite_files(app: &TestApp) -> Vec<(String, &'static str)> {
    let mut found = Vec::new();
    let mut scanned = Vec::new();
    for entry in std::fs::read_dir(&app.config.data_dir).expect("data dir") {
        let path = entry.expect("entry").path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        scanned.push(path.display().to_string());
        for value in PLANTED {
            if bytes.windows(value.len()).any(|w| w == value.as_bytes()) {
                found.push((path.display().to_string(), value));
            }
        }
    }
    for store in ["tenancy", "cases", "analytics"] {
        assert!(
            scanned.iter().any(|f| f.ends_with(&format!("/{store}.db"))),
            "{store}.db not scanned: {scanned:?}"
        );
    }
    found
}

/// The type of the installation's bus key in Redis (`stream` once a consumer group reads it,
/// `none` without Redis), and every entry still in it, as text. Consumers delete what they
/// processed, so what is left is what waits for them.
async fn redis_stream(app: &TestApp) -> (String, Vec<String>) {
    let Some(url) = app.config.bus_redis_url() else {
        return ("none".into(), Vec::new());
    };
    let key = format!("{}{}", app.config.redis_prefix, app.config.bus_stream);
    let client = redis::Client::open(url).expect("redis url");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    let entries: redis::Value = redis::cmd("XRANGE")
        .arg(&key)
        .arg("-")
        .arg("+")
        .query_async(&mut conn)
        .await
        .expect("XRANGE");
    fn text(v: &redis::Value, out: &mut Vec<String>) {
        match v {
            redis::Value::BulkString(b) => out.push(String::from_utf8_lossy(b).into_owned()),
            redis::Value::SimpleString(s) => out.push(s.clone()),
            redis::Value::Array(items) => items.iter().for_each(|i| text(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    text(&entries, &mut out);
    let kind: String = redis::cmd("TYPE")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .expect("TYPE");
    (kind, out)
}

/// The payloads in the cases outbox of one tenant.
async fn outbox_of(app: &TestApp, tenant: uuid::Uuid) -> Vec<String> {
    let backend = backend_of(app);
    let (conn, schema) = app.store_owner(backend, "cases").await;
    rows(
        &conn,
        &format!(
            "SELECT payload FROM {schema}outbox WHERE tenant_id = {} ORDER BY id",
            literal(backend, tenant)
        ),
    )
    .await
}

/// The whole scenario on a running installation whose events travel by Redis Streams or not.
async fn plant_and_erase(app: &TestApp, a: &Seeded, b: &Seeded, redis_bus: bool) {
    let backend = backend_of(app);
    let (tenant_a, tenant_b) = (uuid_of(&a.tenant_id), uuid_of(&b.tenant_id));
    let op_a = operator(app, a, "op@alfa.example.org", &[]).await;
    let op_b = operator(app, b, "op@beta.example.org", &[]).await;
    a.admin
        .ok(
            "mutation { addTerritory(input: {istatCode: \"052028\"}) { id } }",
            json!({}),
        )
        .await;
    let token = a
        .admin
        .invite(json!({ "email": "referente@alfa.example.org", "roles": ["COORDINATOR"], "territories": ["052028"] }))
        .await;
    let elsewhere = app
        .member(&token, "Coordinamento-Colle-2026", "Coordinatrice")
        .await;

    let person = plant(app, a, &op_a).await;
    let theirs = story_with_cf(&op_b, NAMES[0], NAMES[1], "048017", None).await;
    // Alfa counts her in September and this month; Beta its own person.
    wait_for(&op_a, &[("PEOPLE_REACHED", 1), ("NEW_CASES", 1)]).await;
    wait_for(&op_b, &[("PEOPLE_REACHED", 1), ("NEW_CASES", 1)]).await;
    let this_month = chrono::Utc::now().format("%Y-%m").to_string();
    wait_people_by_month(
        &op_a,
        &json!([
            { "keys": ["2026-09"], "value": 1 },
            { "keys": [this_month], "value": 1 },
        ]),
    )
    .await;
    let beta_before = people_by_month(&op_b).await;
    // Every event about her (the legal question about her case is counted under the
    // consultation's own pseudonym, not hers).
    let pseudonyms: Vec<String> = outbox_of(app, tenant_a)
        .await
        .iter()
        .map(|p| Record::from_payload(p).expect("record"))
        .filter(|r| !sportello_kernel::events::EventKind::ONCALL.contains(&r.event.kind()))
        .map(|r| r.subject.person.into_string())
        .collect();
    let pseudonym = pseudonyms[0].clone();
    assert!(pseudonyms.iter().all(|p| *p == pseudonym), "{pseudonyms:?}");

    // She withdraws from statistics: the open month drops her, September (closed) keeps her,
    // and no event about her leaves cases any more — but the erasure's notice must.
    op_a.ok(
        "mutation($p: ID!) { recordConsent(personId: $p, purpose: ANONYMISED_STATISTICS, given: false) { given } }",
        json!({ "p": person }),
    )
    .await;
    wait_people_by_month(&op_a, &json!([{ "keys": ["2026-09"], "value": 1 }])).await;

    let read =
        "query($id: ID!) { node(id: $id) { ... on Person { familyNames codiceFiscale version } } }";
    let before = op_a.ok(read, json!({ "id": person })).await;
    let beta_person = op_b.ok(read, json!({ "id": theirs.person })).await;
    let input = |ground: &str, confirmation: Option<&str>| json!({ "i": { "personId": person, "ground": ground, "confirmation": confirmation } });

    // Refused, and nothing changes: roles that may not erase, bad input, another tenant's id,
    // a person outside the coordinator's territories.
    let refused = op_a.gql(ERASE, input("OBJECTION", Some(&person))).await;
    assert_eq!(code(&refused).as_deref(), Some("FORBIDDEN"), "{refused}");
    for (ground, confirmation, on) in [
        ("BECAUSE_I_SAY_SO", Some(person.as_str()), "ground"),
        ("objection", Some(person.as_str()), "ground"),
        ("OBJECTION", None, "confirmation"),
        ("OBJECTION", Some(theirs.person.as_str()), "confirmation"),
        ("OBJECTION", Some("not-an-id"), "confirmation"),
    ] {
        let resp = a.admin.gql(ERASE, input(ground, confirmation)).await;
        assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"), "{resp}");
        assert_eq!(field(&resp).as_deref(), Some(on), "{resp}");
    }
    // A malformed id is refused on the field that holds it, the person's first.
    let malformed = a
        .admin
        .gql(
            ERASE,
            json!({ "i": { "personId": "abc", "ground": "OBJECTION", "confirmation": "abc" } }),
        )
        .await;
    assert_eq!(
        code(&malformed).as_deref(),
        Some("INVALID_INPUT"),
        "{malformed}"
    );
    assert_eq!(
        field(&malformed).as_deref(),
        Some("personId"),
        "{malformed}"
    );
    let across = "mutation($p: ID!) { erasePerson(input: {personId: $p, ground: \"OBJECTION\", confirmation: $p}) { personId } }";
    let on_theirs = a.admin.gql(across, json!({ "p": theirs.person })).await;
    let missing = crate::cases::forge_missing(&theirs.person);
    let on_missing = a.admin.gql(across, json!({ "p": missing })).await;
    assert_eq!(
        code(&on_theirs).as_deref(),
        Some("NOT_FOUND"),
        "{on_theirs}"
    );
    assert_eq!(
        on_theirs, on_missing,
        "another tenant's person told from a missing one"
    );
    let outside = elsewhere.gql(across, json!({ "p": person })).await;
    assert_eq!(code(&outside).as_deref(), Some("NOT_FOUND"), "{outside}");
    assert_eq!(op_a.ok(read, json!({ "id": person })).await, before);
    assert_eq!(
        op_b.ok(read, json!({ "id": theirs.person })).await,
        beta_person
    );

    // The tenant administrator erases her; her data key goes (crypto-shredding).
    let keys_before = data_keys(app).await;
    let done = a
        .admin
        .ok(ERASE, input("CONSENT_WITHDRAWN", Some(&person)))
        .await;
    assert_eq!(
        done["erasePerson"],
        json!({ "personId": person, "ground": "CONSENT_WITHDRAWN" })
    );
    assert_eq!(data_keys(app).await, keys_before - 1);
    // Gone for everyone; a second erasure finds nothing.
    op_a.refused(read, json!({ "id": person }), "NOT_FOUND")
        .await;
    a.admin
        .refused(
            ERASE,
            input("CONSENT_WITHDRAWN", Some(&person)),
            "NOT_FOUND",
        )
        .await;
    let listed = op_a
        .edges(
            "{ persons(first: 10) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed, json!([]));

    // Her facts are gone from every month of Alfa's figures; Beta's do not move.
    wait_for(&op_a, &[("PEOPLE_REACHED", 0), ("NEW_CASES", 0)]).await;
    wait_people_by_month(&op_a, &json!([])).await;
    assert_eq!(people_by_month(&op_b).await, beta_before);
    assert_eq!(
        op_b.ok(read, json!({ "id": theirs.person })).await,
        beta_person
    );

    // The outbox of Alfa holds the erasure notice alone: the pseudonym, nothing else. (The
    // legal question about her case stays counted as the desk's activity, under the deleted
    // consultation's pseudonym: no name, no link to her.)
    let all_left = outbox_of(app, tenant_a).await;
    for payload in &all_left {
        assert_no_personal_data(payload, &PLANTED);
    }
    let left: Vec<String> = all_left
        .into_iter()
        .filter(|p| {
            let kind = Record::from_payload(p).expect("record").event.kind();
            !EventKind::ONCALL.contains(&kind)
        })
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    let notice = assert_no_personal_data(&left[0], &PLANTED);
    let record = Record::from_payload(&left[0]).expect("record");
    assert_eq!(record.event.kind(), EventKind::PersonErased);
    assert_eq!(record.subject.person.as_str(), pseudonym);
    for (key, value) in notice.as_object().expect("object") {
        assert!(
            ["eventId", "producer", "occurredOn", "person", "type"].contains(&key.as_str())
                || value.is_null()
                || value == "unknown"
                || value == "",
            "{key} in the notice: {notice}"
        );
    }

    // Analytics keeps her pseudonym alone, to drop late facts.
    let analytics = {
        let (conn, prefix) = app.store_owner(backend, "analytics").await;
        let mut text = Vec::new();
        for table in [
            "facts",
            "cell_members",
            "statistics_consent",
            "erased_people",
        ] {
            text.extend(
                rows(
                    &conn,
                    &format!("SELECT '{table}' FROM {prefix}{table} WHERE person = '{pseudonym}'"),
                )
                .await,
            );
        }
        text
    };
    assert_eq!(analytics, ["erased_people"]);

    // No store holds a planted value; her names remain only in Beta's rows.
    let everything = every_row(app).await;
    let beta = tenant_marker(backend, tenant_b);
    for row in &everything {
        for value in PLANTED {
            assert!(!row.contains(value), "{value} in {row}");
        }
        if NAMES.iter().any(|n| row.contains(n)) {
            assert!(row.contains(&beta), "a name outside Beta's rows: {row}");
        }
    }
    assert!(
        everything.iter().any(|r| r.contains(NAMES[1])),
        "Beta's person is scanned"
    );
    if backend == Backend::Sqlite {
        assert_eq!(planted_in_sqlite_files(app), []);
        // The stores run with a rollback journal, deleted at each commit, or a write-ahead
        // log (checkpointed and truncated after the erasure; scanned above when it exists).
        let (conn, _) = app.store_owner(backend, "cases").await;
        let mode = rows(&conn, "PRAGMA journal_mode").await;
        assert!(mode == ["delete"] || mode == ["wal"], "{mode:?}");
    }
    let (kind, stream) = redis_stream(app).await;
    for entry in &stream {
        for value in PLANTED.iter().chain(&NAMES) {
            assert!(!entry.contains(value), "{value} in the stream: {entry}");
        }
    }
    if redis_bus {
        assert_eq!(kind, "stream", "the bus's stream was scanned");
    }

    // One entry on her, naming the ground; the chain verifies.
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let entries = rows(
        &conn,
        &format!(
            "SELECT action || ':' || fields FROM {} WHERE object_type = 'person' AND action = 'erased'",
            crate::cases::all_audit_entries(&schema)
        ),
    )
    .await;
    assert_eq!(entries, ["erased:ground:art17_1_b"]);
    let (ok, report) = audit_verify(app);
    assert!(ok, "{report}");
}

async fn an_erased_person_leaves_no_trace_in_any_store(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let redis_bus = backend == Backend::Postgres && topology == Topology::Distributed;
    plant_and_erase(&app, &a, &b, redis_bus).await;
}

on_backends!(an_erased_person_leaves_no_trace_in_any_store);

/// The real binary at debug level, all roles in one process: after the same scenario its log
/// holds none of the planted values (nor the data files, as above).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_person_leaves_no_trace_in_the_logs() {
    let data = tempfile::tempdir().expect("data directory");
    let (mut process, url) = start_all_in_one(data.path()).await;
    let config = sportello::Config {
        data_dir: data.path().to_path_buf(),
        ..sportello::Config::default()
    };
    let app = TestApp::external(url, config);
    let (a, b) = seed_alfa_and_beta(&app).await;
    plant_and_erase(&app, &a, &b, false).await;
    process.terminate();
    let logs = process.logs();
    assert!(logs.contains("person erased"), "the erasure was logged");
    for value in PLANTED.iter().chain(&NAMES) {
        assert!(!logs.contains(value), "a log line contains {value}");
    }
}
