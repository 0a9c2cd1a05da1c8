//! Subject access (GDPR art. 15 and 20): a person's export holds every object recorded about
//! them, with the values the API gives, nothing of another tenant's same-named person, opens as
//! a PDF that reads as text, is refused like a missing id outside the asker's tenant or
//! territories, and is audited.

use base64::Engine;
use chrono::DateTime;
use serde_json::{Value, json};

use crate::analytics::wait_for_stories;
use crate::cases::{all_audit_entries, audit_verify, directory, forge_missing, rows, story};
use crate::helpers::{
    Backend, Client, TestApp, Topology, code, literal, operator, operators, spawn_alfa_and_beta,
    uuid_of,
};
use crate::on_backends;

const EXPORT: &str = "query($p: ID!, $f: PersonExportFormat!) { personExport(personId: $p, format: $f) { filename contentType contentBase64 } }";

const PERSON: &str = "query($id: ID!) { node(id: $id) { ... on Person { id version givenNames familyNames latinGivenNames latinFamilyNames birth { year month day } sex gender countryOfBirth citizenships languages { code level } phone email codiceFiscale legalStatus { permitType permitNumber expiry } territoryCode createdAt updatedAt consents { purpose given recordedAt } household { id label territoryCode } } } }";

const CASE: &str = "query($id: ID!) { node(id: $id) { ... on Case { id version status outcome territoryCode openedAt closedAt reopenReason encounters(first: 100) { nodes { id version occurredAt channel language mediatorPresent durationMinutes notes } } needs(first: 100) { nodes { id version code source status notedAt typeCode } } interventions(first: 100) { nodes { id version kind needIds outcome doneAt } } referrals(first: 100) { nodes { id version status needIds overrideReason feedback sentAt updatedAt } } plan { id version title needIds status reviewOn steps { id version title owner dueOn status } } } } }";

const APPOINTMENTS: &str = "query($p: ID!) { appointments(filter: {personId: $p}) { edges { node { id version personId caseId seriesId startsAt endsAt status remindAt } } } }";

/// The file of an export, decoded.
async fn export(c: &Client, person: &str, format: &str) -> (String, String, Vec<u8>) {
    let file = c.one(EXPORT, json!({ "p": person, "f": format })).await;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file["contentBase64"].as_str().expect("content"))
        .expect("base64");
    (
        file["filename"].as_str().expect("filename").to_owned(),
        file["contentType"].as_str().expect("type").to_owned(),
        bytes,
    )
}

/// Asserts that every value the API gave has the same value in the export: objects key by key,
/// lists of objects with ids matched by id (the export lists everything oldest first), other
/// lists in order, instants as instants (the export gives them in the tenant's zone).
fn assert_same(api: &Value, exported: &Value, path: &str) {
    match api {
        Value::Object(fields) => {
            assert!(exported.is_object(), "{path}: {exported}");
            for (key, value) in fields {
                assert_same(value, &exported[key], &format!("{path}.{key}"));
            }
        }
        Value::Array(items) => {
            let others = exported
                .as_array()
                .unwrap_or_else(|| panic!("{path}: {exported}"));
            assert_eq!(items.len(), others.len(), "{path}: {api} / {exported}");
            for (i, item) in items.iter().enumerate() {
                let other = match item["id"].as_str() {
                    Some(id) => others
                        .iter()
                        .find(|o| o["id"] == id)
                        .unwrap_or_else(|| panic!("{path}: {id} not exported")),
                    None => &others[i],
                };
                assert_same(item, other, &format!("{path}[{i}]"));
            }
        }
        Value::String(text) => {
            let instant = |t: &str| DateTime::parse_from_rfc3339(t).ok();
            match (instant(text), exported.as_str().and_then(instant)) {
                (Some(a), Some(b)) => assert_eq!(a, b, "{path}"),
                _ => assert_eq!(api, exported, "{path}"),
            }
        }
        _ => assert_eq!(api, exported, "{path}"),
    }
}

/// The text of a PDF, without white space (extraction spaces words its own way).
fn pdf_text(bytes: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(bytes).expect("the PDF opens");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// How many `exported` entries the audit log holds on `person`.
async fn exported_entries(app: &TestApp, backend: Backend, person: &str) -> usize {
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let id = literal(backend, uuid_of(person));
    let on_person = rows(
        &conn,
        &format!(
            "SELECT object_type || ':' || fields FROM ( \
             SELECT object_type, fields, action, object_id FROM {schema}audit_log \
             UNION ALL SELECT object_type, fields, action, object_id FROM {schema}audit_pending) AS e \
             WHERE action = 'exported' AND object_id = {id}"
        ),
    )
    .await;
    for entry in &on_person {
        assert!(entry.starts_with("person:names,"), "{entry}");
        assert!(entry.ends_with(",appointments,audit"), "{entry}");
    }
    // Every export entry in the store is one of these (none on another object).
    let all = rows(
        &conn,
        &format!(
            "SELECT action FROM {} WHERE action = 'exported'",
            all_audit_entries(&schema)
        ),
    )
    .await;
    assert_eq!(all.len(), on_person.len());
    on_person.len()
}

async fn a_persons_export_holds_everything_recorded_about_them_and_nothing_else(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let mine = story(&op_a, "Amina", "El Idrissi", "052022").await;
    // Beta follows a person of the same name, with the same kind of history.
    let theirs = story(&op_b, "Amina", "El Idrissi", "048017").await;
    wait_for_stories(&op_a, 1).await;

    // The rest of a full history: consents, a second encounter with a health need, a referral
    // with feedback, a plan with a step, an appointment, a household.
    for (purpose, given) in [("REFERRAL_SHARING", true), ("CONTACT_BY_MESSAGE", false)] {
        op_a.ok(
            "mutation($p: ID!, $u: ConsentPurpose!, $g: Boolean!) { recordConsent(personId: $p, purpose: $u, given: $g) { given } }",
            json!({ "p": mine.person, "u": purpose, "g": given }),
        )
        .await;
    }
    let encounter = op_a
        .id(
            "mutation($c: ID!) { addEncounter(input: {caseId: $c, occurredAt: \"2026-11-27T10:00:00Z\", channel: PHONE, mediatorPresent: false, notes: \"chiede un medico di base per il figlio\"}) { id } }",
            json!({ "c": mine.case }),
        )
        .await;
    let health = op_a
        .id(
            "mutation($c: ID!, $e: ID) { recordNeed(caseId: $c, code: HEALTH, source: DETECTED, encounterId: $e) { id } }",
            json!({ "c": mine.case, "e": encounter }),
        )
        .await;
    let service = directory(&a).await;
    let referral = op_a
        .id(
            "mutation($c: ID!, $s: ID!, $n: [ID!]!) { sendReferral(input: {caseId: $c, serviceId: $s, needIds: $n}) { id } }",
            json!({ "c": mine.case, "s": service, "n": [health] }),
        )
        .await;
    op_a.ok(
        "mutation($id: ID!) { changeReferralStatus(id: $id, expectedVersion: 1, to: ACCEPTED, feedback: \"presa in carico dal consultorio\") { status } }",
        json!({ "id": referral }),
    )
    .await;
    let goal = op_a
        .id(
            "mutation($c: ID!, $n: [ID!]!, $r: NaiveDate) { addGoal(input: {caseId: $c, title: \"Rinnovo del permesso\", needIds: $n, reviewOn: $r}) { id } }",
            json!({ "c": mine.case, "n": [mine.need], "r": crate::helpers::days_ahead(57) }),
        )
        .await;
    let step = op_a
        .id(
            "mutation($g: ID!, $d: NaiveDate) { addStep(input: {goalId: $g, title: \"Prenotare in questura\", owner: PERSON, dueOn: $d}) { id } }",
            json!({ "g": goal, "d": crate::helpers::days_ahead(40) }),
        )
        .await;
    let booked = op_a
        .one(
            "mutation($d: ID!, $p: ID!, $c: ID, $s: DateTime!) { bookAppointment(input: {deskId: $d, personId: $p, caseId: $c, startsAt: $s, durationMinutes: 30, remindHoursBefore: 24}) { id } }",
            json!({ "d": a.desk, "p": mine.person, "c": mine.case, "s": crate::helpers::monday_at_nine_ahead(35) }),
        )
        .await;
    let appointment = booked[0]["id"].as_str().expect("appointment").to_owned();
    let household = op_a
        .id(
            "mutation { createHousehold(label: \"Famiglia El Idrissi\", territoryCode: \"052022\") { id } }",
            json!({}),
        )
        .await;
    op_a.ok(
        "mutation($h: ID!, $p: ID!) { addHouseholdMember(householdId: $h, personId: $p, role: HEAD) { minors } }",
        json!({ "h": household, "p": mine.person }),
    )
    .await;

    // What the API says was recorded (read before the export, whose own entry is not in it).
    let person = op_a.one(PERSON, json!({ "id": mine.person })).await;
    let case = op_a.one(CASE, json!({ "id": mine.case })).await;
    let appointments = op_a.edges(APPOINTMENTS, json!({ "p": mine.person })).await;

    let (filename, content_type, bytes) = export(&op_a, &mine.person, "JSON").await;
    assert_eq!(content_type, "application/json");
    assert!(filename.starts_with("dati-personali-") && filename.ends_with(".json"));
    assert!(!filename.contains("Amina"), "{filename}");
    let text = String::from_utf8(bytes).expect("utf-8");
    let doc: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(doc["format"], "sportello.subject-access/1");
    let generated = doc["generatedAt"].as_str().expect("generatedAt");
    assert!(
        generated.ends_with("+01:00") || generated.ends_with("+02:00"),
        "{generated} is not in Rome's zone"
    );
    assert_eq!(doc["timeZone"], "Europe/Rome");
    assert_eq!(doc["limitedToTerritories"], json!([]));

    // Object by object: the person, the consents, the case and its parts, the appointment.
    let mut expected_person = person.clone();
    let consents = expected_person
        .as_object_mut()
        .expect("person")
        .remove("consents")
        .expect("consents");
    let their_household = expected_person
        .as_object_mut()
        .expect("person")
        .remove("household")
        .expect("household");
    assert_same(&expected_person, &doc["person"], "person");
    assert_same(&consents, &doc["consents"], "consents");
    assert_eq!(doc["consents"].as_array().expect("consents").len(), 3);
    assert_same(&their_household, &doc["household"], "household");
    assert_eq!(doc["household"]["role"], "HEAD");
    assert_eq!(doc["cases"].as_array().expect("cases").len(), 1);
    let mut expected_case = case.clone();
    for list in ["encounters", "needs", "interventions", "referrals"] {
        expected_case[list] = expected_case[list]["nodes"].clone();
    }
    assert_same(&expected_case, &doc["cases"][0], "case");
    assert_eq!(
        doc["cases"][0]["encounters"]
            .as_array()
            .expect("encounters")
            .len(),
        2
    );
    assert_eq!(doc["cases"][0]["needs"].as_array().expect("needs").len(), 2);
    assert_eq!(doc["cases"][0]["referrals"][0]["serviceId"], service);
    assert_eq!(doc["cases"][0]["referrals"][0]["status"], "ACCEPTED");
    let appointments: Vec<Value> = appointments
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert_eq!(appointments.len(), 1);
    assert_same(&json!(appointments), &doc["appointments"], "appointments");

    // Every id created appears; nothing of Beta's same-named person does.
    for id in [
        &mine.person,
        &mine.case,
        &mine.need,
        &encounter,
        &health,
        &referral,
        &goal,
        &step,
        &appointment,
        &household,
    ] {
        assert!(
            text.contains(id.as_str()),
            "{id} is missing from the export"
        );
    }
    for id in [&theirs.person, &theirs.case, &theirs.need] {
        assert!(
            !text.contains(id.as_str()),
            "Beta's {id} is in Alfa's export"
        );
    }

    // The access log names who did what to which part, never a value.
    let log = doc["accessLog"].as_array().expect("accessLog");
    let actions: Vec<&str> = log.iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(
        actions.contains(&"create") && actions.contains(&"read"),
        "{actions:?}"
    );
    assert!(
        log.iter()
            .any(|e| e["objectId"] == mine.person && e["action"] == "create")
    );
    assert!(log.iter().any(|e| e["objectId"] == referral));
    assert!(log.iter().all(|e| e["actorId"].is_string()));
    let log_text = serde_json::to_string(log).expect("log");
    for value in ["Amina", "BNCLRA90E45Z330Q", "sorella", "medico"] {
        assert!(!log_text.contains(value), "the access log holds {value}");
    }

    // The analytics store's pseudonymous facts, counted, without the pseudonym.
    let stats = &doc["pseudonymousStatistics"];
    let count = |kind: &str| -> u64 {
        stats["facts"]
            .as_array()
            .expect("facts")
            .iter()
            .filter(|f| f["kind"] == kind)
            .map(|f| f["count"].as_u64().expect("count"))
            .sum()
    };
    assert_eq!(count("case_opened"), 1, "{stats}");
    assert!(count("need_recorded") >= 1, "{stats}");
    assert_eq!(count("intervention_done"), 1, "{stats}");
    assert!(
        stats["facts"]
            .as_array()
            .expect("facts")
            .iter()
            .all(|f| f["month"].as_str().is_some_and(|m| m.len() == 7)),
        "{stats}"
    );

    // The PDF opens and reads as text.
    let (filename, content_type, pdf) = export(&op_a, &mine.person, "PDF").await;
    assert_eq!(content_type, "application/pdf");
    assert!(filename.ends_with(".pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let read = pdf_text(&pdf);
    for expected in [
        "Amina El Idrissi",
        "BNCLRA90E45Z330Q",
        "documenti e questioni legali",
        "racconta della sorella a Torino",
        "chiede un medico di base per il figlio",
        "presa in carico dal consultorio",
        "Prenotare in questura",
    ] {
        assert!(
            read.contains(&squeezed(expected)),
            "the PDF lacks {expected}: {read}"
        );
    }

    // Beta cannot export Alfa's person: the answer of an id that never existed, and no entry.
    let on_theirs = op_b
        .gql(EXPORT, json!({ "p": mine.person, "f": "JSON" }))
        .await;
    let on_missing = op_b
        .gql(
            EXPORT,
            json!({ "p": forge_missing(&mine.person), "f": "JSON" }),
        )
        .await;
    assert_eq!(
        code(&on_theirs).as_deref(),
        Some("NOT_FOUND"),
        "{on_theirs}"
    );
    assert_eq!(on_theirs, on_missing);
    // Nor can an operator of Alfa limited to another municipality, nor the administrator, who
    // sees no case data.
    a.admin
        .ok(
            "mutation { addTerritory(input: {istatCode: \"052028\"}) { id } }",
            json!({}),
        )
        .await;
    let limited = operator(&app, &a, "sg@alfa.example.org", &["052028"]).await;
    let outside = limited
        .gql(EXPORT, json!({ "p": mine.person, "f": "PDF" }))
        .await;
    let missing = limited
        .gql(
            EXPORT,
            json!({ "p": forge_missing(&mine.person), "f": "PDF" }),
        )
        .await;
    assert_eq!(code(&outside).as_deref(), Some("NOT_FOUND"), "{outside}");
    assert_eq!(outside, missing);
    a.admin
        .refused(
            EXPORT,
            json!({ "p": mine.person, "f": "JSON" }),
            "FORBIDDEN",
        )
        .await;

    // Two exports, two entries on the person; the refused ones wrote none; the chain verifies.
    assert_eq!(exported_entries(&app, backend, &mine.person).await, 2);
    let (ok, report) = audit_verify(&app);
    assert!(ok, "{report}");
}

on_backends!(a_persons_export_holds_everything_recorded_about_them_and_nothing_else);
