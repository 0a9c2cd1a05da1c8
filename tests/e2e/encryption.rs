//! Field-level encryption at rest (docs/privacy.md, "At rest"): special categories planted
//! through the API are found in no database file nor in a `pg_dump`, while they read back, the
//! codice fiscale is still unique and found by either form, and another tenant reads nothing;
//! rotating a tenant's key re-wraps every person key while the desks keep working.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::cases::directory;
use crate::helpers::*;
use crate::on_backends;

/// A distinctive plain codice fiscale and an omocodic variant of it (same key).
const CF_PLAIN: &str = "HSSMMD90A01Z330I";
const CF_OMOCODIC: &str = "HSSMMD90A01Z33LL";

/// What stays in clear on purpose (names, for the duplicate search): the scan's control.
const GIVEN: &str = "Zarathustrina";

/// Special-category values planted through the API, each distinctive enough to be found in a
/// scan if stored in clear.
const PERMIT_TYPE: &str = "cure mediche Vortigernia";
const PERMIT_NUMBER: &str = "PZ9981273QX";
const PERMIT_EXPIRY: &str = "2029-08-14";
const NOTES: &str = "diagnosi di tubercolosi, ricovero Quercialupa";
const OVERRIDE: &str = "rischio sanitario immediato Ossiburgo";
const FEEDBACK: &str = "presa in carico dal centro di salute mentale Pentaclino";
const GOAL: &str = "terapia antiretrovirale Marzapanella";
const STEP: &str = "visita infettivologica Cardellinova";
const REOPEN: &str = "ricaduta dipendenza Grillotalpa";

fn planted() -> Vec<&'static str> {
    vec![
        CF_PLAIN,
        CF_OMOCODIC,
        PERMIT_TYPE,
        PERMIT_NUMBER,
        PERMIT_EXPIRY,
        NOTES,
        OVERRIDE,
        FEEDBACK,
        GOAL,
        STEP,
        REOPEN,
    ]
}

const CREATE: &str = "mutation($i: PersonInput!) { createPerson(input: $i) { id codiceFiscale warnings { code personId } } }";
const BY_CODE: &str = "query($cf: String!) { persons(filter: {codiceFiscale: $cf}) { edges { node { id codiceFiscale } } } }";
const RECORD: &str = "query($p: ID!, $c: ID!) { person: node(id: $p) { ... on Person { givenNames codiceFiscale legalStatus { permitType permitNumber expiry } } } case: node(id: $c) { ... on Case { reopenReason encounters { edges { node { notes } } } referrals { edges { node { overrideReason feedback } } } plan { title steps { title } } } } }";

fn person_input(given: &str, cf: Option<&str>, permit_number: &str) -> Value {
    json!({
        "givenNames": given, "familyNames": "Quellbrunnova", "territoryCode": "052022",
        "birth": { "year": 1990, "month": 1, "day": 1 }, "sex": "MALE", "countryOfBirth": "ma",
        "citizenships": ["MA"], "languages": [{ "code": "ar", "level": "native" }],
        "codiceFiscale": cf,
        "legalStatus": { "permitType": PERMIT_TYPE, "permitNumber": permit_number, "expiry": PERMIT_EXPIRY }
    })
}

/// Plants every special-category value of [`planted`] in Alfa's store through the API; returns
/// the person's and the case's ids.
async fn plant(app: &TestApp, a: &Seeded, op: &Client) -> (String, String) {
    let person = op
        .id(
            CREATE,
            json!({ "i": person_input(GIVEN, Some(CF_PLAIN), PERMIT_NUMBER) }),
        )
        .await;
    for purpose in ["CASE_MANAGEMENT", "REFERRAL_SHARING"] {
        op.ok(
            &format!("mutation($p: ID!) {{ recordConsent(personId: $p, purpose: {purpose}, given: true) {{ given }} }}"),
            json!({ "p": person }),
        )
        .await;
    }
    let case = op
        .id(
            "mutation($p: ID!) { openCase(personId: $p) { id } }",
            json!({ "p": person }),
        )
        .await;
    op.ok(
        "mutation($c: ID!, $n: String) { addEncounter(input: {caseId: $c, occurredAt: \"2026-11-20T09:30:00Z\", channel: DESK, mediatorPresent: false, notes: $n}) { id } }",
        json!({ "c": case, "n": NOTES }),
    )
    .await;
    let need = op
        .id(
            "mutation($c: ID!) { recordNeed(caseId: $c, code: HEALTH, source: EXPRESSED) { id } }",
            json!({ "c": case }),
        )
        .await;
    let goal = op
        .id(
            "mutation($c: ID!, $t: String!) { addGoal(input: {caseId: $c, title: $t, needIds: []}) { id } }",
            json!({ "c": case, "t": GOAL }),
        )
        .await;
    op.ok(
        "mutation($g: ID!, $t: String!) { addStep(input: {goalId: $g, title: $t, owner: PERSON}) { id } }",
        json!({ "g": goal, "t": STEP }),
    )
    .await;
    // The referral's override reason: a coordinator's, for a second case without consent.
    let service = directory(a).await;
    let sent = op
        .ok(
            "mutation($c: ID!, $s: ID!, $n: [ID!]!) { sendReferral(input: {caseId: $c, serviceId: $s, needIds: $n}) { id } }",
            json!({ "c": case, "s": service, "n": [need] }),
        )
        .await;
    let referral = sent["sendReferral"]["id"].as_str().expect("referral");
    op.ok(
        "mutation($r: ID!, $f: String) { changeReferralStatus(id: $r, expectedVersion: 1, to: ACCEPTED, feedback: $f) { id } }",
        json!({ "r": referral, "f": FEEDBACK }),
    )
    .await;
    let other = op
        .id(
            CREATE,
            json!({ "i": person_input("Ilarione", None, "PZ0000001AA") }),
        )
        .await;
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }", json!({ "p": other })).await;
    let other_case = op
        .id(
            "mutation($p: ID!) { openCase(personId: $p) { id } }",
            json!({ "p": other }),
        )
        .await;
    let need = op
        .id(
            "mutation($c: ID!) { recordNeed(caseId: $c, code: HEALTH, source: EXPRESSED) { id } }",
            json!({ "c": other_case }),
        )
        .await;
    let token = a
        .admin
        .invite(json!({ "email": "coord@alfa.example.org", "roles": ["COORDINATOR"] }))
        .await;
    let coordinator = app
        .member(&token, "Piazza-del-Campo-26", "Coordinatrice")
        .await;
    coordinator
        .ok(
            "mutation($c: ID!, $s: ID!, $n: [ID!]!, $r: String) { sendReferral(input: {caseId: $c, serviceId: $s, needIds: $n, overrideReason: $r}) { id } }",
            json!({ "c": other_case, "s": service, "n": [need], "r": OVERRIDE }),
        )
        .await;
    // A reopening reason: close the case, reopen it.
    let change = "mutation($id: ID!, $v: Int!, $to: CaseStatus!, $o: String, $r: String) { changeCaseStatus(id: $id, expectedVersion: $v, to: $to, outcome: $o, reason: $r) { version } }";
    op.ok(
        change,
        json!({ "id": case, "v": 1, "to": "CLOSED", "o": "moved_away" }),
    )
    .await;
    op.ok(
        change,
        json!({ "id": case, "v": 2, "to": "ACTIVE", "r": REOPEN }),
    )
    .await;
    (person, case)
}

/// Every byte of the installation's SQLite files (databases, write-ahead logs), the key store
/// left out.
fn sqlite_bytes(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&app.config.data_dir).expect("data directory") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            files.push((name, std::fs::read(&path).expect("read")));
        }
    }
    assert!(
        files.iter().any(|(n, _)| n == "cases.db"),
        "the scan reads the cases store: {:?}",
        files.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    files
}

/// A plain-text `pg_dump` of the installation's database (every schema: every service).
fn pg_dump(app: &TestApp) -> Vec<u8> {
    let url = app.config.database_url.clone().expect("database url");
    let out = std::process::Command::new("pg_dump")
        .arg("--no-owner")
        .arg("--dbname")
        .arg(&url)
        .output()
        .expect("run pg_dump");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The places (file names, or `pg_dump`) where `value` is found in clear.
fn found_in(stores: &[(String, Vec<u8>)], value: &str) -> Vec<String> {
    stores
        .iter()
        .filter(|(_, bytes)| contains(bytes, value))
        .map(|(name, _)| name.clone())
        .collect()
}

async fn stores(app: &TestApp, backend: Backend) -> Vec<(String, Vec<u8>)> {
    match backend {
        Backend::Sqlite => {
            // Whatever the write-ahead log holds counts as much as the database: no checkpoint.
            sqlite_bytes(app)
        }
        Backend::Postgres => vec![("pg_dump".to_owned(), pg_dump(app))],
    }
}

async fn no_planted_special_category_is_stored_in_clear(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let (person, case) = plant(&app, &a, &op_a).await;

    // Everything reads back in clear through the API.
    let record = op_a.ok(RECORD, json!({ "p": person, "c": case })).await;
    assert_eq!(record["person"]["codiceFiscale"], CF_PLAIN);
    assert_eq!(
        record["person"]["legalStatus"],
        json!({ "permitType": PERMIT_TYPE, "permitNumber": PERMIT_NUMBER, "expiry": PERMIT_EXPIRY })
    );
    assert_eq!(record["case"]["reopenReason"], REOPEN);
    assert_eq!(
        record["case"]["encounters"]["edges"][0]["node"]["notes"],
        NOTES
    );
    assert_eq!(
        record["case"]["referrals"]["edges"][0]["node"],
        json!({ "overrideReason": null, "feedback": FEEDBACK })
    );
    assert_eq!(
        record["case"]["plan"],
        json!([{ "title": GOAL, "steps": [{ "title": STEP }] }])
    );

    // Uniqueness and lookup by either form of the code, on the blind indexes.
    op_a.refused_on(
        CREATE,
        json!({ "i": person_input("Secondo", Some(CF_PLAIN), "PZ0000002BB") }),
        "codiceFiscale",
    )
    .await;
    let omocodic = op_a
        .one(
            CREATE,
            json!({ "i": person_input("Omocodico", Some(CF_OMOCODIC), "PZ0000003CC") }),
        )
        .await;
    assert_eq!(omocodic["codiceFiscale"], CF_OMOCODIC);
    assert_eq!(
        omocodic["warnings"],
        json!([{ "code": "POSSIBLY_SAME_PERSON", "personId": person }]),
        "the omocodia warning still finds the plain code's holder"
    );
    for form in [CF_PLAIN, CF_OMOCODIC] {
        let found = op_a.edges(BY_CODE, json!({ "cf": form })).await;
        let mut codes: Vec<&str> = found
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["codiceFiscale"].as_str().expect("code"))
            .collect();
        codes.sort();
        assert_eq!(codes, [CF_PLAIN, CF_OMOCODIC], "{form}");
    }

    // Beta reads none of it, finds no one by the code, and may register the same code: its
    // blind index is under Beta's own key.
    op_b.refused(RECORD, json!({ "p": person, "c": case }), "NOT_FOUND")
        .await;
    assert_eq!(
        op_b.edges(BY_CODE, json!({ "cf": CF_PLAIN })).await,
        json!([])
    );
    let theirs = op_b
        .one(
            CREATE,
            json!({ "i": { "givenNames": "Bettino", "familyNames": "Beta", "territoryCode": "048017", "birth": { "year": 1990, "month": 1, "day": 1 }, "sex": "MALE", "countryOfBirth": "ma", "codiceFiscale": CF_PLAIN } }),
        )
        .await;
    assert_eq!(theirs["codiceFiscale"], CF_PLAIN);
    assert_eq!(theirs["warnings"], json!([]));

    // The stores hold none of the planted values in clear; the names, kept in clear on purpose,
    // are found: the scan would find a value stored in clear.
    let stores = stores(&app, backend).await;
    assert!(
        !found_in(&stores, GIVEN).is_empty(),
        "control: the given name is stored in clear and the scan finds it"
    );
    let leaks: BTreeMap<&str, Vec<String>> = planted()
        .into_iter()
        .map(|v| (v, found_in(&stores, v)))
        .filter(|(_, at)| !at.is_empty())
        .collect();
    assert!(leaks.is_empty(), "stored in clear: {leaks:?}");
}

on_backends!(no_planted_special_category_is_stored_in_clear);

/// The person keys of a tenant by the version of the key-encryption key that wraps them.
async fn key_versions(app: &TestApp, backend: Backend, tenant: &str) -> BTreeMap<i64, i64> {
    let (conn, prefix) = app.store_owner(backend, "cases").await;
    let sql = format!(
        "SELECT kek_version, COUNT(*) FROM {prefix}person_keys WHERE tenant_id = {} GROUP BY kek_version",
        literal(backend, uuid_of(tenant))
    );
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .expect("person keys");
    rows.iter()
        .map(|r| {
            let version: i64 = r
                .try_get_by_index::<i32>(0)
                .map(i64::from)
                .expect("version");
            let count: i64 = r.try_get_by_index(1).expect("count");
            (version, count)
        })
        .collect()
}

const PERMIT_OF: &str =
    "query($p: ID!) { node(id: $p) { ... on Person { legalStatus { permitNumber } } } }";

async fn rotating_a_tenant_key_rewraps_every_person_key_while_desks_work(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let mut written: Vec<(String, String)> = Vec::new();
    for i in 0..12 {
        let permit = format!("ROT{i:04}A");
        let id = op_a
            .id(
                CREATE,
                json!({ "i": person_input(&format!("Prima{i}"), None, &permit) }),
            )
            .await;
        written.push((id, permit));
    }
    let theirs = op_b
        .id(
            CREATE,
            json!({ "i": { "givenNames": "Bettino", "familyNames": "Beta", "territoryCode": "048017", "legalStatus": { "permitType": "lavoro", "permitNumber": "BETA0001" } } }),
        )
        .await;
    assert_eq!(
        key_versions(&app, backend, &a.tenant_id).await,
        BTreeMap::from([(1, 12)])
    );
    assert_eq!(
        key_versions(&app, backend, &b.tenant_id).await,
        BTreeMap::from([(1, 1)])
    );

    // A desk keeps registering and reading people while the administrator rotates.
    let stop = Arc::new(AtomicBool::new(false));
    let desk = {
        let stop = stop.clone();
        let op = Client {
            http: op_a.http.clone(),
            url: op_a.url.clone(),
            csrf: op_a.csrf.clone(),
        };
        let first = written[0].clone();
        tokio::spawn(async move {
            let mut during = Vec::new();
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) || during.len() < 3 {
                let permit = format!("DUR{i:04}B");
                let id = op
                    .id(
                        CREATE,
                        json!({ "i": person_input(&format!("Durante{i}"), None, &permit) }),
                    )
                    .await;
                let read = op.one(PERMIT_OF, json!({ "p": id })).await;
                assert_eq!(read["legalStatus"]["permitNumber"], permit.as_str());
                let old = op.one(PERMIT_OF, json!({ "p": first.0 })).await;
                assert_eq!(old["legalStatus"]["permitNumber"], first.1.as_str());
                during.push((id, permit));
                i += 1;
            }
            during
        })
    };
    let rotated = a
        .admin
        .one(
            "mutation { rotateEncryptionKey { version rewrapped } }",
            json!({}),
        )
        .await;
    stop.store(true, Ordering::SeqCst);
    let during = desk.await.expect("the desk's loop");
    assert_eq!(rotated["version"], 2, "{rotated}");
    assert!(
        rotated["rewrapped"].as_i64().expect("rewrapped") >= 12,
        "{rotated}"
    );

    // Only an administrator rotates.
    op_a.refused(
        "mutation { rotateEncryptionKey { version } }",
        json!({}),
        "FORBIDDEN",
    )
    .await;

    // Every person key of Alfa is wrapped under the new version, Beta's are untouched, and
    // every value reads back.
    let total = (written.len() + during.len()) as i64;
    assert_eq!(
        key_versions(&app, backend, &a.tenant_id).await,
        BTreeMap::from([(2, total)])
    );
    assert_eq!(
        key_versions(&app, backend, &b.tenant_id).await,
        BTreeMap::from([(1, 1)])
    );
    for (id, permit) in written.iter().chain(&during) {
        let read = op_a.one(PERMIT_OF, json!({ "p": id })).await;
        assert_eq!(read["legalStatus"]["permitNumber"], permit.as_str());
    }
    let read = op_b.one(PERMIT_OF, json!({ "p": theirs })).await;
    assert_eq!(read["legalStatus"]["permitNumber"], "BETA0001");

    // A second rotation goes on from there.
    let again = a
        .admin
        .one(
            "mutation { rotateEncryptionKey { version rewrapped } }",
            json!({}),
        )
        .await;
    assert_eq!(again, json!({ "version": 3, "rewrapped": total }));
}

on_backends!(rotating_a_tenant_key_rewraps_every_person_key_while_desks_work);
