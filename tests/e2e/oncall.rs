//! On call end to end: a school requests an Arabic mediator, the matching mediators are offered
//! it, the first acceptance confirms it, the mediator reports and the school closes it; least
//! privilege for requesters, mediators, operators and legal advisors, each denial tested and
//! each read of shared details audited; ten mediators racing for one request; legal
//! consultations with follow-ups and the knowledge base; activation and response times against
//! the targets with a later clock; live updates over WebSocket (`graphql-transport-ws`) in one
//! process and between processes through Redis. Two tenants throughout.

use chrono::{DateTime, Duration, Utc};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::cases::{all_audit_entries, rows};
use crate::helpers::{
    Backend, Client, Seeded, TestApp, Topology, code, operators, spawn_alfa_and_beta,
};
use crate::on_backends;

const PASSWORD: &str = "Mediazione-Sicura-2026";

const REQUEST_FIELDS: &str = "id version status language placeName sharedDetails offeredTo myOffer mediatorId createdAt confirmedAt activationSeconds activationTargetSeconds reportMinutes reportOutcome cancelledBy cancelReason organisationName";

fn request_mutation() -> String {
    format!(
        "mutation($i: RequestMediationInput!) {{ requestMediation(input: $i) {{ {REQUEST_FIELDS} }} }}"
    )
}

fn answer_mutation() -> String {
    format!(
        "mutation($r: ID!, $a: Boolean!) {{ answerMediationOffer(requestId: $r, accept: $a) {{ {REQUEST_FIELDS} }} }}"
    )
}

fn get_query() -> String {
    format!("query($id: ID!) {{ mediationRequest(id: $id) {{ {REQUEST_FIELDS} }} }}")
}

/// A member of `t` with `roles`, signed in.
async fn member(app: &TestApp, t: &Seeded, email: &str, roles: &[&str]) -> Client {
    let token = t
        .admin
        .invite(json!({ "email": email, "roles": roles }))
        .await;
    app.member(&token, PASSWORD, "Membro").await
}

async fn user_id(c: &Client) -> String {
    c.one("{ viewer { user { id } } }", json!({})).await["user"]["id"]
        .as_str()
        .expect("user id")
        .to_owned()
}

/// A mediator of `t` with a profile in `languages`.
async fn mediator(app: &TestApp, t: &Seeded, email: &str, languages: &[&str]) -> Client {
    let m = member(app, t, email, &["MEDIATOR"]).await;
    m.ok(
        "mutation($i: SetMediatorProfileInput!) { setMediatorProfile(input: $i) { version languages } }",
        json!({ "i": { "languages": languages, "maxActive": 3 } }),
    )
    .await;
    m
}

/// A school of `t` and one requester account of it.
async fn school(app: &TestApp, t: &Seeded, email: &str) -> Client {
    let org = t
        .admin
        .id(
            "mutation($i: CreateRequesterOrganisationInput!) { createRequesterOrganisation(input: $i) { id } }",
            json!({ "i": { "name": "Istituto Comprensivo Dante", "kind": "SCHOOL", "address": "Via Roma 1", "territoryCode": t.istat_code } }),
        )
        .await;
    let requester = member(app, t, email, &["EXTERNAL_REQUESTER"]).await;
    let uid = user_id(&requester).await;
    let added = t
        .admin
        .one(
            "mutation($o: ID!, $u: ID!) { addRequester(organisationId: $o, userId: $u) { memberIds } }",
            json!({ "o": org, "u": uid }),
        )
        .await;
    assert_eq!(added["memberIds"], json!([uid]));
    requester
}

fn at(hours: i64) -> String {
    (Utc::now() + Duration::hours(hours)).to_rfc3339()
}

fn request_input(urgency: &str) -> Value {
    json!({ "i": {
        "language": "ar", "dialect": "darija", "placeName": "Scuola primaria Dante",
        "address": "Via Roma 1", "startsAt": at(24), "windowEndsAt": at(27),
        "durationMinutes": 60, "purpose": "ENROLMENT", "urgency": urgency,
        "sharedDetails": "Alunno di 8 anni, classe 3B, arrivato da Casablanca"
    } })
}

fn instant(v: &Value) -> DateTime<Utc> {
    v.as_str().expect("an instant").parse().expect("RFC 3339")
}

async fn a_school_gets_a_mediator_and_nobody_else_sees_it(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let requester = school(&app, &a, "segreteria@dante.example.org").await;
    let m1 = mediator(&app, &a, "m1@alfa.example.org", &["ar", "fr"]).await;
    let m2 = mediator(&app, &a, "m2@alfa.example.org", &["ara"]).await;
    let m_fr = mediator(&app, &a, "m3@alfa.example.org", &["fr"]).await;
    let m_beta = mediator(&app, &b, "m@beta.example.org", &["ar"]).await;
    let requester_b = school(&app, &b, "segreteria@beta.example.org").await;

    // Every field at fault in one answer, and nothing is created.
    let bad = requester
        .gql(
            &request_mutation(),
            json!({ "i": {
                "language": "xx", "placeName": "", "address": "Via Roma 1",
                "startsAt": at(-48), "windowEndsAt": at(-49), "durationMinutes": 5,
                "purpose": "ENROLMENT", "urgency": "URGENT"
            } }),
        )
        .await;
    assert_eq!(code(&bad).as_deref(), Some("INVALID_INPUT"), "{bad}");
    let fields: Vec<&str> = bad["errors"][0]["extensions"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    for f in [
        "language",
        "placeName",
        "startsAt",
        "windowEndsAt",
        "durationMinutes",
    ] {
        assert!(fields.contains(&f), "{f} not named: {bad}");
    }
    let none = requester
        .edges("{ mediationRequests { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(none, json!([]));

    // The school asks; the two Arabic-speaking mediators are offered it, not the French one.
    let created = requester
        .one(&request_mutation(), request_input("URGENT"))
        .await;
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["status"], "OPEN");
    assert_eq!(created["offeredTo"], 2, "{created}");
    assert_eq!(created["organisationName"], "Istituto Comprensivo Dante");
    assert_eq!(created["activationTargetSeconds"], 4 * 3600);

    let offered = m1
        .edges(
            &format!("{{ mediationRequests {{ edges {{ node {{ {REQUEST_FIELDS} }} }} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(offered.as_array().map(Vec::len), Some(1), "{offered}");
    assert_eq!(offered[0]["node"]["myOffer"], "OFFERED");
    assert_eq!(
        offered[0]["node"]["sharedDetails"],
        "Alunno di 8 anni, classe 3B, arrivato da Casablanca"
    );

    // Who may not see it: the French-only mediator, an operator who did not make it, Beta's
    // mediator, requester and operator, and nobody through `node`.
    for (who, c) in [
        ("French mediator", &m_fr),
        ("Alfa operator", &op_a),
        ("Beta mediator", &m_beta),
        ("Beta requester", &requester_b),
    ] {
        let resp = c.gql(&get_query(), json!({ "id": id })).await;
        assert_eq!(code(&resp).as_deref(), Some("NOT_FOUND"), "{who}: {resp}");
        let listed = c
            .edges("{ mediationRequests { edges { node { id } } } }", json!({}))
            .await;
        assert_eq!(listed, json!([]), "{who} lists it");
    }
    let node = op_b
        .gql(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(node["data"]["node"].is_null(), "{node}");
    // Roles that are not theirs: a requester asks no legal question and reads no person; a
    // mediator reads no person, no case and no legal consultation.
    requester
        .refused(
            "mutation { askLegalQuestion(input: {category: PERMIT, urgency: NORMAL, question: \"Rinnovo del permesso scaduto da due mesi?\"}) { id } }",
            json!({}),
            "FORBIDDEN",
        )
        .await;
    for c in [&requester, &m1] {
        c.refused(
            "{ persons(first: 5) { edges { node { id } } } }",
            json!({}),
            "FORBIDDEN",
        )
        .await;
    }
    m1.refused(
        "{ legalConsultations { edges { node { id } } } }",
        json!({}),
        "FORBIDDEN",
    )
    .await;
    // A mediator cannot accept for the requester's side, nor a requester answer an offer.
    requester
        .refused(
            &answer_mutation(),
            json!({ "r": id, "a": true }),
            "FORBIDDEN",
        )
        .await;

    // The first acceptance confirms; the second is REQUEST_TAKEN and the request leaves its list.
    let confirmed = m1
        .one(&answer_mutation(), json!({ "r": id, "a": true }))
        .await;
    assert_eq!(confirmed["status"], "CONFIRMED");
    assert_eq!(confirmed["myOffer"], "ACCEPTED");
    let late = m2
        .gql(&answer_mutation(), json!({ "r": id, "a": true }))
        .await;
    assert_eq!(code(&late).as_deref(), Some("CONFLICT"), "{late}");
    assert_eq!(late["errors"][0]["extensions"]["reason"], "REQUEST_TAKEN");
    let gone = m2.gql(&get_query(), json!({ "id": id })).await;
    assert_eq!(code(&gone).as_deref(), Some("NOT_FOUND"), "{gone}");

    // The school sees who and when; the activation time is the two instants' difference.
    let seen = requester.one(&get_query(), json!({ "id": id })).await;
    assert_eq!(seen["status"], "CONFIRMED");
    assert_eq!(seen["mediatorId"], json!(user_id(&m1).await));
    let activation = (instant(&seen["confirmedAt"]) - instant(&seen["createdAt"])).num_seconds();
    assert_eq!(seen["activationSeconds"], activation);

    // Reported by the mediator (nobody else may), closed by the school.
    let report = "mutation($i: ReportMediationInput!) { reportMediation(input: $i) { status reportMinutes reportOutcome } }";
    requester
        .refused(
            report,
            json!({ "i": { "requestId": id, "minutes": 50, "outcome": "Iscrizione fatta" } }),
            "FORBIDDEN",
        )
        .await;
    let bad_report = m1
        .gql(
            report,
            json!({ "i": { "requestId": id, "minutes": 0, "outcome": "" } }),
        )
        .await;
    assert_eq!(code(&bad_report).as_deref(), Some("INVALID_INPUT"));
    let done = m1
        .one(
            report,
            json!({ "i": { "requestId": id, "minutes": 50, "outcome": "Iscrizione completata, famiglia orientata" } }),
        )
        .await;
    assert_eq!(done["status"], "DONE");
    assert_eq!(done["reportMinutes"], 50);
    let closed = requester
        .one(
            "mutation($r: ID!) { closeMediation(requestId: $r) { status } }",
            json!({ "r": id }),
        )
        .await;
    assert_eq!(closed["status"], "CLOSED");
    let again = requester
        .gql(
            "mutation($r: ID!) { closeMediation(requestId: $r) { status } }",
            json!({ "r": id }),
        )
        .await;
    assert_eq!(code(&again).as_deref(), Some("CONFLICT"), "{again}");

    // Cancelled by the school with a reason (required); the offers go with it.
    let second = requester
        .one(&request_mutation(), request_input("NORMAL"))
        .await;
    let cancel = "mutation($i: CancelMediationInput!) { cancelMediation(input: $i) { status cancelledBy cancelReason } }";
    let no_reason = requester
        .gql(
            cancel,
            json!({ "i": { "requestId": second["id"], "reason": " " } }),
        )
        .await;
    assert_eq!(code(&no_reason).as_deref(), Some("INVALID_INPUT"));
    let cancelled = requester
        .one(
            cancel,
            json!({ "i": { "requestId": second["id"], "reason": "Colloquio rinviato dalla famiglia" } }),
        )
        .await;
    assert_eq!(cancelled["status"], "CANCELLED");
    assert_eq!(cancelled["cancelledBy"], "REQUESTER");
    let after = m2
        .gql(&answer_mutation(), json!({ "r": second["id"], "a": true }))
        .await;
    assert_eq!(code(&after).as_deref(), Some("CONFLICT"), "{after}");

    // Every read of the shared details by a mediator is in the audit log, by field name only.
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let reads = rows(
        &conn,
        &format!(
            "SELECT action || ':' || fields FROM {} WHERE object_type = 'mediation_request'",
            all_audit_entries(&schema)
        ),
    )
    .await;
    assert!(
        reads.iter().filter(|r| r.starts_with("read:")).count() >= 2,
        "{reads:?}"
    );
    assert!(reads.iter().all(|r| !r.contains("Casablanca")), "{reads:?}");
}

on_backends!(a_school_gets_a_mediator_and_nobody_else_sees_it);

async fn ten_mediators_race_for_one_request(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let requester = school(&app, &a, "segreteria@dante.example.org").await;
    let mut mediators = Vec::new();
    for i in 0..10 {
        mediators.push(mediator(&app, &a, &format!("m{i}@alfa.example.org"), &["ar"]).await);
    }
    let m_beta = mediator(&app, &b, "m@beta.example.org", &["ar"]).await;
    let created = requester
        .one(&request_mutation(), request_input("URGENT"))
        .await;
    assert_eq!(created["offeredTo"], 10);
    let id = created["id"].clone();
    let accept = answer_mutation();
    let answers = futures::future::join_all(
        mediators
            .iter()
            .map(|m| m.gql(&accept, json!({ "r": id, "a": true }))),
    )
    .await;
    let won: Vec<usize> = answers
        .iter()
        .enumerate()
        .filter(|(_, r)| r.get("errors").is_none())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    for (i, r) in answers.iter().enumerate() {
        if i != won[0] {
            assert_eq!(
                r["errors"][0]["extensions"]["reason"], "REQUEST_TAKEN",
                "{r}"
            );
        }
    }
    let seen = requester.one(&get_query(), json!({ "id": id })).await;
    assert_eq!(seen["status"], "CONFIRMED");
    assert_eq!(seen["mediatorId"], json!(user_id(&mediators[won[0]]).await));
    let beta = m_beta
        .gql(&answer_mutation(), json!({ "r": id, "a": true }))
        .await;
    assert_eq!(code(&beta).as_deref(), Some("NOT_FOUND"), "{beta}");
}

on_backends!(ten_mediators_race_for_one_request:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres => (Backend::Postgres, Topology::AllInOne),
    postgres_distributed => (Backend::Postgres, Topology::Distributed),
);

const CONSULTATION_FIELDS: &str = "id version status category caseId advisorId responseSeconds responseTargetSeconds createdAt answeredAt messages { kind body }";

async fn an_operator_asks_and_an_advisor_answers(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let other_op = crate::helpers::operator(&app, &a, "op2@alfa.example.org", &[]).await;
    let advisor = member(&app, &a, "avv@alfa.example.org", &["LEGAL_ADVISOR"]).await;
    let advisor2 = member(&app, &a, "avv2@alfa.example.org", &["LEGAL_ADVISOR"]).await;
    let advisor_b = member(&app, &b, "avv@beta.example.org", &["LEGAL_ADVISOR"]).await;
    let story = crate::cases::story(&op_a, "Amina", "El Idrissi", &a.istat_code).await;
    let ask = format!(
        "mutation($i: AskLegalQuestionInput!) {{ askLegalQuestion(input: $i) {{ {CONSULTATION_FIELDS} }} }}"
    );
    let short = op_a
        .gql(
            &ask,
            json!({ "i": { "category": "CITIZENSHIP", "urgency": "NORMAL", "question": "Breve" } }),
        )
        .await;
    assert_eq!(code(&short).as_deref(), Some("INVALID_INPUT"), "{short}");
    // Beta's operator cannot link Alfa's case.
    let foreign = op_b
        .gql(
            &ask,
            json!({ "i": { "caseId": story.case, "category": "CITIZENSHIP", "urgency": "NORMAL", "question": "Residenza legale interrotta da un anno all'estero: conta?" } }),
        )
        .await;
    assert_eq!(
        foreign["errors"][0]["extensions"]["field"], "caseId",
        "{foreign}"
    );
    let asked = op_a
        .one(
            &ask,
            json!({ "i": { "caseId": story.case, "category": "CITIZENSHIP", "urgency": "NORMAL", "question": "La signora ha dieci anni di residenza ma un anno all'estero per lavoro: la continuità per la cittadinanza è interrotta?" } }),
        )
        .await;
    let id = asked["id"].as_str().expect("id").to_owned();
    assert_eq!(asked["status"], "OPEN");
    assert_eq!(asked["caseId"], json!(story.case));
    assert_eq!(asked["responseTargetSeconds"], 48 * 3600);

    // The advisor sees the question, never its case, and cannot open the case.
    let queue = advisor
        .edges(
            &format!("{{ legalConsultations {{ edges {{ node {{ {CONSULTATION_FIELDS} }} }} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(queue.as_array().map(Vec::len), Some(1), "{queue}");
    assert!(queue[0]["node"]["caseId"].is_null(), "{queue}");
    let case = advisor
        .gql(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": story.case }),
        )
        .await;
    assert!(case["data"]["node"].is_null(), "{case}");
    // Another operator of Alfa, and Beta's advisor and operator, do not see it.
    let get =
        format!("query($id: ID!) {{ legalConsultation(id: $id) {{ {CONSULTATION_FIELDS} }} }}");
    for (who, c) in [
        ("Alfa's other operator", &other_op),
        ("Beta's advisor", &advisor_b),
        ("Beta's operator", &op_b),
    ] {
        let resp = c.gql(&get, json!({ "id": id })).await;
        assert_eq!(code(&resp).as_deref(), Some("NOT_FOUND"), "{who}: {resp}");
    }
    assert_eq!(
        advisor_b
            .edges(
                "{ legalConsultations { edges { node { id } } } }",
                json!({})
            )
            .await,
        json!([])
    );
    // An operator cannot take or answer.
    let take = format!(
        "mutation($c: ID!) {{ takeLegalConsultation(consultationId: $c) {{ {CONSULTATION_FIELDS} }} }}"
    );
    op_a.refused(&take, json!({ "c": id }), "FORBIDDEN").await;

    let taken = advisor.one(&take, json!({ "c": id })).await;
    assert_eq!(taken["status"], "TAKEN");
    let late = advisor2.gql(&take, json!({ "c": id })).await;
    assert_eq!(
        late["errors"][0]["extensions"]["reason"], "REQUEST_TAKEN",
        "{late}"
    );
    let answer = format!(
        "mutation($i: LegalMessageInput!) {{ answerLegalConsultation(input: $i) {{ {CONSULTATION_FIELDS} }} }}"
    );
    let not_holder = advisor2
        .gql(
            &answer,
            json!({ "i": { "consultationId": id, "body": "Risposta" } }),
        )
        .await;
    assert_eq!(
        code(&not_holder).as_deref(),
        Some("FORBIDDEN"),
        "{not_holder}"
    );
    let answered = advisor
        .one(
            &answer,
            json!({ "i": { "consultationId": id, "body": "Un'assenza di un anno per lavoro non interrompe la residenza legale se l'iscrizione anagrafica è rimasta (art. 9 L. 91/1992; circolare 2016)." } }),
        )
        .await;
    assert_eq!(answered["status"], "ANSWERED");
    let response =
        (instant(&answered["answeredAt"]) - instant(&answered["createdAt"])).num_seconds();
    assert_eq!(answered["responseSeconds"], response);
    let follow = op_a
        .one(
            "mutation($i: LegalMessageInput!) { followUpLegalConsultation(input: $i) { status messages { kind } } }",
            json!({ "i": { "consultationId": id, "body": "E se la cancellazione anagrafica c'è stata?" } }),
        )
        .await;
    assert_eq!(follow["status"], "TAKEN");
    assert_eq!(
        follow["messages"],
        json!([{ "kind": "QUESTION" }, { "kind": "ANSWER" }, { "kind": "FOLLOW_UP" }])
    );
    let second = advisor
        .one(
            &answer,
            json!({ "i": { "consultationId": id, "body": "Allora la residenza riparte dalla nuova iscrizione." } }),
        )
        .await;
    // The response time stays the first answer's.
    assert_eq!(second["answeredAt"], answered["answeredAt"]);

    // Published without personal data, found by operators (accents and case ignored), not
    // by Beta.
    let publish = "mutation($i: PublishKnowledgeInput!) { publishKnowledge(input: $i) { id category question } }";
    op_a.refused(
        publish,
        json!({ "i": { "consultationId": id, "question": "Un anno all'estero interrompe la residenza?", "answer": "Non se l'iscrizione anagrafica resta." } }),
        "FORBIDDEN",
    )
    .await;
    let entry = advisor
        .one(
            publish,
            json!({ "i": { "consultationId": id, "question": "Un anno all'estero per lavoro interrompe la residenza utile alla cittadinanza?", "answer": "No, se l'iscrizione anagrafica è rimasta: conta la residenza legale continuativa (art. 9 L. 91/1992)." } }),
        )
        .await;
    assert_eq!(entry["category"], "CITIZENSHIP");
    let search =
        "query($t: String) { legalKnowledge(text: $t) { edges { node { id question } } } }";
    let found = other_op
        .edges(search, json!({ "t": "CITTADINANZA estero" }))
        .await;
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(found[0]["node"]["id"], entry["id"]);
    let missed = other_op
        .edges(search, json!({ "t": "ricongiungimento" }))
        .await;
    assert_eq!(missed, json!([]));
    assert_eq!(
        op_b.edges(search, json!({ "t": "cittadinanza" })).await,
        json!([])
    );
    let closed = op_a
        .one(
            "mutation($c: ID!) { closeLegalConsultation(consultationId: $c) { status } }",
            json!({ "c": id }),
        )
        .await;
    assert_eq!(closed["status"], "CLOSED");
}

on_backends!(an_operator_asks_and_an_advisor_answers);

/// Requests made under one clock and confirmed or answered under a clock hours later (two
/// installations over the same stores): the times, median and 90th percentile are exactly the
/// instants' differences, shown against the tenant's targets.
async fn times_are_measured_against_the_targets(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, _) = operators(&app, &a, &b).await;
    let requester = school(&app, &a, "segreteria@dante.example.org").await;
    let m1 = mediator(&app, &a, "m1@alfa.example.org", &["ar"]).await;
    let advisor = member(&app, &a, "avv@alfa.example.org", &["LEGAL_ADVISOR"]).await;
    let settings = "mutation($i: SetOnCallSettingsInput!) { setOnCallSettings(input: $i) { urgentActivationMinutes normalActivationMinutes legalResponseMinutes version } }";
    let bad = a
        .admin
        .gql(
            settings,
            json!({ "i": { "urgentActivationMinutes": 0, "normalActivationMinutes": 2880, "legalResponseMinutes": 50000, "expectedVersion": 0 } }),
        )
        .await;
    assert_eq!(code(&bad).as_deref(), Some("INVALID_INPUT"), "{bad}");
    let set = a
        .admin
        .one(
            settings,
            json!({ "i": { "urgentActivationMinutes": 60, "normalActivationMinutes": 2880, "legalResponseMinutes": 120, "expectedVersion": 0 } }),
        )
        .await;
    assert_eq!(set["version"], 1);
    let stale = a
        .admin
        .gql(
            settings,
            json!({ "i": { "urgentActivationMinutes": 30, "normalActivationMinutes": 2880, "legalResponseMinutes": 120, "expectedVersion": 0 } }),
        )
        .await;
    assert_eq!(code(&stale).as_deref(), Some("CONFLICT"), "{stale}");

    let urgent = requester
        .one(&request_mutation(), request_input("URGENT"))
        .await;
    let normal = requester
        .one(&request_mutation(), request_input("NORMAL"))
        .await;
    let question = op_a
        .one(
            "mutation { askLegalQuestion(input: {category: PERMIT, urgency: URGENT, question: \"Il permesso per attesa occupazione si può convertire in lavoro autonomo?\"}) { id } }",
            json!({}),
        )
        .await;
    // The normal request is confirmed at once, under today's clock.
    let quick = m1
        .one(&answer_mutation(), json!({ "r": normal["id"], "a": true }))
        .await;

    // Three hours later (the same stores, a later clock).
    let mut later = app.config.clone();
    later.clock_start = Some(Utc::now() + Duration::hours(3));
    let later = TestApp::spawn_with(later, None, Topology::AllInOne).await;
    let mut m1_later = later.client();
    m1_later.login("m1@alfa.example.org", PASSWORD).await;
    let mut adv_later = later.client();
    adv_later.login("avv@alfa.example.org", PASSWORD).await;
    let slow = m1_later
        .one(&answer_mutation(), json!({ "r": urgent["id"], "a": true }))
        .await;
    let slow_secs = slow["activationSeconds"].as_i64().expect("seconds");
    assert!(
        (3 * 3600..3 * 3600 + 120).contains(&slow_secs),
        "{slow_secs}"
    );
    assert_eq!(
        slow_secs,
        (instant(&slow["confirmedAt"]) - instant(&slow["createdAt"])).num_seconds()
    );
    assert_eq!(slow["activationTargetSeconds"], 3600);
    let quick_secs = quick["activationSeconds"].as_i64().expect("seconds");
    adv_later
        .one(
            "mutation($c: ID!) { takeLegalConsultation(consultationId: $c) { id } }",
            json!({ "c": question["id"] }),
        )
        .await;
    let answered = adv_later
        .one(
            "mutation($c: ID!) { answerLegalConsultation(input: {consultationId: $c, body: \"Sì, alle condizioni dell'art. 22 T.U.I.\"}) { responseSeconds responseTargetSeconds } }",
            json!({ "c": question["id"] }),
        )
        .await;
    let response = answered["responseSeconds"].as_i64().expect("seconds");
    assert!((3 * 3600..3 * 3600 + 120).contains(&response), "{response}");
    assert_eq!(answered["responseTargetSeconds"], 7200);
    drop(advisor);

    // The figures of the period, against the targets; Beta's are empty.
    let today = chrono::Utc::now().date_naive();
    let figures = "query($f: NaiveDate!, $t: NaiveDate!) { onCallFigures(from: $f, to: $t) { mediationRequests byPurpose { purpose count } cancelled activationUrgent { count medianSeconds p90Seconds targetSeconds withinTarget } activationNormal { count medianSeconds p90Seconds targetSeconds withinTarget } legalConsultations byCategory { category count } legalResponse { count medianSeconds p90Seconds targetSeconds withinTarget } } }";
    let span = json!({ "f": (today - Duration::days(1)).to_string(), "t": (today + Duration::days(1)).to_string() });
    let f = a.admin.one(figures, span.clone()).await;
    assert_eq!(f["mediationRequests"], 2);
    assert_eq!(
        f["byPurpose"],
        json!([{ "purpose": "ENROLMENT", "count": 2 }])
    );
    assert_eq!(
        f["activationUrgent"],
        json!({ "count": 1, "medianSeconds": slow_secs, "p90Seconds": slow_secs, "targetSeconds": 3600, "withinTarget": 0 })
    );
    assert_eq!(
        f["activationNormal"],
        json!({ "count": 1, "medianSeconds": quick_secs, "p90Seconds": quick_secs, "targetSeconds": 172800, "withinTarget": 1 })
    );
    assert_eq!(
        f["legalResponse"],
        json!({ "count": 1, "medianSeconds": response, "p90Seconds": response, "targetSeconds": 7200, "withinTarget": 0 })
    );
    assert_eq!(
        f["byCategory"],
        json!([{ "category": "PERMIT", "count": 1 }])
    );
    let fb = b.admin.one(figures, span).await;
    assert_eq!(fb["mediationRequests"], 0);
    assert_eq!(fb["activationUrgent"]["count"], 0);
    assert!(fb["activationUrgent"]["medianSeconds"].is_null());
    // Operators and mediators see no figures.
    op_a.refused(
        figures,
        json!({ "f": today.to_string(), "t": today.to_string() }),
        "FORBIDDEN",
    )
    .await;
}

on_backends!(times_are_measured_against_the_targets:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres => (Backend::Postgres, Topology::AllInOne),
);

/// Signs in without a cookie jar and returns the session cookie (`name=value`).
async fn session_cookie(app: &TestApp, email: &str) -> String {
    let resp = reqwest::Client::new()
        .post(format!("{}/graphql", app.url))
        .json(&json!({
            "query": "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { csrfToken } }",
            "variables": { "e": email, "p": PASSWORD }
        }))
        .send()
        .await
        .expect("login");
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sportello_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a `graphql-transport-ws` socket at `/graphql` with `cookie` (none: signed out) and
/// subscribes to the on-call updates.
async fn subscribe(app: &TestApp, cookie: Option<&str>) -> Socket {
    let url = app.url.replacen("http://", "ws://", 1) + "/graphql";
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert("cookie", cookie.parse().expect("header"));
    }
    let (mut socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the socket opens");
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok()),
        Some("graphql-transport-ws")
    );
    socket
        .send(Message::text(
            json!({ "type": "connection_init" }).to_string(),
        ))
        .await
        .expect("init");
    let ack = next_message(&mut socket, std::time::Duration::from_secs(5))
        .await
        .expect("an acknowledgement");
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    let subscribe = json!({
        "id": "1", "type": "subscribe",
        "payload": { "query": "subscription { onCallUpdates { topic change mediationRequest { id language sharedDetails myOffer } legalConsultation { id category } } }" }
    });
    socket
        .send(Message::text(subscribe.to_string()))
        .await
        .expect("subscribe");
    socket
}

/// The next protocol message within `wait`, pings answered.
async fn next_message(socket: &mut Socket, wait: std::time::Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let msg = tokio::time::timeout(left, socket.next())
            .await
            .ok()??
            .ok()?;
        if let Message::Text(text) = msg {
            let value: Value = serde_json::from_str(text.as_str()).expect("JSON");
            if value["type"] == "ping" {
                let pong = json!({ "type": "pong" }).to_string();
                socket.send(Message::text(pong)).await.ok()?;
                continue;
            }
            return Some(value);
        }
    }
}

async fn a_mediator_hears_a_new_request_live(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, _) = operators(&app, &a, &b).await;
    let requester = school(&app, &a, "segreteria@dante.example.org").await;
    mediator(&app, &a, "m1@alfa.example.org", &["ar"]).await;
    mediator(&app, &a, "m2@alfa.example.org", &["fr"]).await;
    mediator(&app, &b, "m@beta.example.org", &["ar"]).await;
    member(&app, &a, "avv@alfa.example.org", &["LEGAL_ADVISOR"]).await;

    let mut arabic = subscribe(
        &app,
        Some(&session_cookie(&app, "m1@alfa.example.org").await),
    )
    .await;
    let mut french = subscribe(
        &app,
        Some(&session_cookie(&app, "m2@alfa.example.org").await),
    )
    .await;
    let mut beta = subscribe(
        &app,
        Some(&session_cookie(&app, "m@beta.example.org").await),
    )
    .await;
    let mut advisor = subscribe(
        &app,
        Some(&session_cookie(&app, "avv@alfa.example.org").await),
    )
    .await;
    let mut anonymous = subscribe(&app, None).await;
    // The signed-out subscription is refused at once.
    let refused = next_message(&mut anonymous, std::time::Duration::from_secs(5))
        .await
        .expect("an answer");
    assert!(
        refused["type"] == "error"
            || refused["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN",
        "{refused}"
    );
    assert!(refused["payload"]["data"].is_null(), "{refused}");

    let sent = std::time::Instant::now();
    let created = requester
        .one(&request_mutation(), request_input("URGENT"))
        .await;
    let heard = next_message(&mut arabic, std::time::Duration::from_secs(1))
        .await
        .expect("the mediator hears of the request within a second");
    let elapsed = sent.elapsed();
    assert_eq!(heard["type"], "next", "{heard}");
    let update = &heard["payload"]["data"]["onCallUpdates"];
    assert_eq!(update["topic"], "MEDIATION_REQUEST");
    assert_eq!(update["change"], "CREATED");
    assert_eq!(update["mediationRequest"]["id"], created["id"]);
    assert_eq!(update["mediationRequest"]["myOffer"], "OFFERED");
    println!("live update heard {elapsed:?} after the request was sent");

    // An operator's legal question reaches the advisor, not the mediators.
    op_a.ok(
        "mutation { askLegalQuestion(input: {category: ASYLUM, urgency: URGENT, question: \"Ricorso contro il diniego della commissione: entro quanti giorni?\"}) { id } }",
        json!({}),
    )
    .await;
    let heard = next_message(&mut advisor, std::time::Duration::from_secs(1))
        .await
        .expect("the advisor hears of the question");
    assert_eq!(
        heard["payload"]["data"]["onCallUpdates"]["legalConsultation"]["category"],
        "ASYLUM"
    );

    // Those who may not see either hear nothing.
    for (who, socket) in [
        ("French mediator", &mut french),
        ("Beta mediator", &mut beta),
        ("signed out", &mut anonymous),
    ] {
        let heard = next_message(socket, std::time::Duration::from_millis(1500)).await;
        assert!(
            heard
                .as_ref()
                .is_none_or(|h| h["type"] == "complete" || h["payload"]["data"].is_null()),
            "{who} heard {heard:?}"
        );
    }
    let more = next_message(&mut arabic, std::time::Duration::from_millis(500)).await;
    assert!(
        more.is_none(),
        "the mediator heard of the legal question: {more:?}"
    );

    // Queries and mutations do not run over the socket (they keep the HTTP path's CSRF and
    // limits).
    let query =
        json!({ "id": "2", "type": "subscribe", "payload": { "query": "{ viewer { roles } }" } });
    arabic
        .send(Message::text(query.to_string()))
        .await
        .expect("send");
    let answer = next_message(&mut arabic, std::time::Duration::from_secs(2))
        .await
        .expect("an answer");
    assert!(
        answer["type"] == "error" || answer["payload"]["errors"].is_array(),
        "{answer}"
    );
    assert!(answer["payload"]["data"]["viewer"].is_null(), "{answer}");
}

on_backends!(a_mediator_hears_a_new_request_live:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres => (Backend::Postgres, Topology::AllInOne),
    postgres_distributed => (Backend::Postgres, Topology::Distributed),
);

/// A browser's socket from another site is refused before the upgrade.
#[tokio::test]
async fn a_socket_from_another_origin_is_refused() {
    let app = TestApp::spawn(Backend::Sqlite, Topology::AllInOne).await;
    let url = app.url.replacen("http://", "ws://", 1) + "/graphql";
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().expect("header"));
    let refused = tokio_tungstenite::connect_async(request).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
            assert_eq!(resp.status(), 403)
        }
        other => panic!(
            "expected a refusal, got {:?}",
            other.map(|(_, r)| r.status())
        ),
    }
}

/// On-call and procedure events reach the tenant's indicators through the anonymised pipeline:
/// pseudonyms and codes only (every payload scanned), counted in the month things happened,
/// Beta's figures untouched.
async fn on_call_and_procedures_are_counted_without_personal_data(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, _) = operators(&app, &a, &b).await;
    let requester = school(&app, &a, "segreteria@dante.example.org").await;
    let m1 = mediator(&app, &a, "m1@alfa.example.org", &["ar"]).await;
    let advisor = member(&app, &a, "avv@alfa.example.org", &["LEGAL_ADVISOR"]).await;
    let created = requester
        .one(&request_mutation(), request_input("URGENT"))
        .await;
    requester
        .one(&request_mutation(), request_input("NORMAL"))
        .await;
    m1.one(&answer_mutation(), json!({ "r": created["id"], "a": true }))
        .await;
    let story = crate::cases::story(&op_a, "Youssef", "Benjelloun", &a.istat_code).await;
    let asked = op_a
        .one(
            "mutation($c: ID!) { askLegalQuestion(input: {caseId: $c, category: WORK, urgency: NORMAL, question: \"Youssef Benjelloun può convertire il permesso stagionale?\"}) { id } }",
            json!({ "c": story.case }),
        )
        .await;
    advisor
        .one(
            "mutation($c: ID!) { takeLegalConsultation(consultationId: $c) { id } }",
            json!({ "c": asked["id"] }),
        )
        .await;
    advisor
        .one(
            "mutation($c: ID!) { answerLegalConsultation(input: {consultationId: $c, body: \"Sì, con contratto di lavoro subordinato.\"}) { id } }",
            json!({ "c": asked["id"] }),
        )
        .await;
    let started = op_a
        .one(
            "mutation($p: ID!) { startProcedure(input: {personId: $p, typeCode: \"health_service_registration\"}) { id version } }",
            json!({ "p": story.person }),
        )
        .await;
    op_a.one(
        "mutation($i: UpdateProcedureInput!) { updateProcedure(input: $i) { status } }",
        json!({ "i": { "id": started["id"], "status": "COMPLETED", "expectedVersion": started["version"] } }),
    )
    .await;

    let expected = [
        ("MEDIATION_REQUESTS", 2),
        ("MEDIATION_ACTIVATION_MEDIAN_MINUTES", 0),
        ("MEDIATION_ACTIVATION_P90_MINUTES", 0),
        ("MEDIATION_WITHIN_TARGET", 100),
        ("LEGAL_CONSULTATIONS", 1),
        ("LEGAL_RESPONSE_MEDIAN_MINUTES", 0),
        ("LEGAL_RESPONSE_WITHIN_TARGET", 100),
        ("PROCEDURES_STARTED", 1),
        ("PROCEDURES_COMPLETED", 1),
    ];
    let mut seen = std::collections::HashMap::new();
    for _ in 0..300 {
        seen = crate::analytics::indicators(&a.admin).await;
        if expected
            .iter()
            .all(|(code, value)| seen[*code]["value"] == *value)
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    for (code, value) in expected {
        assert_eq!(seen[code]["value"], value, "{code}: {seen:?}");
    }
    let theirs = crate::analytics::indicators(&b.admin).await;
    for (code, _) in expected {
        assert_eq!(theirs[code]["value"], 0, "Beta's {code}: {theirs:?}");
    }

    // Every on-call and procedure payload: pseudonyms and codes, no name, place, address,
    // shared detail, question or answer.
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let payloads = rows(
        &conn,
        &format!("SELECT payload FROM {schema}outbox ORDER BY id"),
    )
    .await;
    let mut kinds = Vec::new();
    for payload in &payloads {
        let record =
            sportello_kernel::events::Record::from_payload(payload).expect("a typed record");
        let kind = record.event.kind();
        if sportello_kernel::events::EventKind::ONCALL.contains(&kind) {
            crate::cases::assert_no_personal_data(
                payload,
                &[
                    "Youssef",
                    "Benjelloun",
                    "Casablanca",
                    "Dante",
                    "Via Roma",
                    "darija",
                    "stagionale",
                    "subordinato",
                ],
            );
            kinds.push(kind);
        }
    }
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds, sportello_kernel::events::EventKind::ONCALL.to_vec());
}

on_backends!(on_call_and_procedures_are_counted_without_personal_data:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres_distributed => (Backend::Postgres, Topology::Distributed),
);

/// An active volunteer of the register, linked to an account, speaking `language` at `level`
/// with the skill to mediate in `territory`.
async fn register_volunteer(
    app: &TestApp,
    t: &Seeded,
    email: &str,
    language: &str,
    level: &str,
    territory: &str,
) -> Client {
    let id = t
        .admin
        .id(
            "mutation($i: AddVolunteerInput!) { addVolunteer(input: $i) { id } }",
            json!({ "i": { "volunteer": {
                "givenNames": "Karim", "familyNames": "Volontario", "email": email,
                "languages": [{ "code": language, "level": level }, { "code": "it", "level": "B2" }],
                "skills": ["LANGUAGE_SUPPORT"], "territories": [territory],
                "availability": { "weekly": [], "exceptions": [] }, "worksWithMinors": false
            } } }),
        )
        .await;
    t.admin
        .ok(
            "mutation($i: SetVolunteerStatusInput!) { setVolunteerStatus(input: $i) { version } }",
            json!({ "i": { "id": id, "status": "ACTIVE", "expectedVersion": 1 } }),
        )
        .await;
    let v = member(app, t, email, &["VOLUNTEER"]).await;
    // The first visit to their own record links it to the account.
    v.ok("{ myVolunteer { id } }", json!({})).await;
    v
}

async fn a_volunteer_of_the_register_mediates_too(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let requester = school(&app, &a, "segreteria@dante.example.org").await;
    let m1 = mediator(&app, &a, "m1@alfa.example.org", &["ar"]).await;
    let v = register_volunteer(
        &app,
        &a,
        "karim@alfa.example.org",
        "ar",
        "B2",
        &a.istat_code,
    )
    .await;
    let beginner =
        register_volunteer(&app, &a, "lina@alfa.example.org", "ar", "A2", &a.istat_code).await;
    let elsewhere = register_volunteer(
        &app,
        &b,
        "karim@beta.example.org",
        "ar",
        "C1",
        &b.istat_code,
    )
    .await;

    let created = requester
        .one(&request_mutation(), request_input("NORMAL"))
        .await;
    assert_eq!(
        created["offeredTo"], 2,
        "the staff mediator and Karim: {created}"
    );
    let id = created["id"].clone();
    let offered = v.one(&get_query(), json!({ "id": id })).await;
    assert_eq!(offered["myOffer"], "OFFERED");
    for (who, c) in [("A2 volunteer", &beginner), ("Beta volunteer", &elsewhere)] {
        let resp = c.gql(&get_query(), json!({ "id": id })).await;
        assert_eq!(code(&resp).as_deref(), Some("NOT_FOUND"), "{who}: {resp}");
    }
    let confirmed = v
        .one(&answer_mutation(), json!({ "r": id, "a": true }))
        .await;
    assert_eq!(confirmed["status"], "CONFIRMED");
    assert_eq!(confirmed["mediatorId"], json!(user_id(&v).await));
    let late = m1
        .gql(&answer_mutation(), json!({ "r": id, "a": true }))
        .await;
    assert_eq!(
        late["errors"][0]["extensions"]["reason"], "REQUEST_TAKEN",
        "{late}"
    );
    let done = v
        .one(
            "mutation($i: ReportMediationInput!) { reportMediation(input: $i) { status } }",
            json!({ "i": { "requestId": id, "minutes": 40, "outcome": "Colloquio con la famiglia svolto" } }),
        )
        .await;
    assert_eq!(done["status"], "DONE");
    // A volunteer reads no person.
    v.refused(
        "{ persons(first: 5) { edges { node { id } } } }",
        json!({}),
        "FORBIDDEN",
    )
    .await;
}

on_backends!(a_volunteer_of_the_register_mediates_too:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres_distributed => (Backend::Postgres, Topology::Distributed),
);
