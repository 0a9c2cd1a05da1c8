//! Collaboration pacts: from proposal to active with its history, activity reports, typed
//! refusals, stale versions, expiry read on the tenant's today, the public list of the pacts in
//! force of a municipality (with no personal data), and isolation between tenants.

use chrono::{Months, NaiveDate};
use serde_json::{Value, json};

use crate::helpers::{
    Backend, Client, TestApp, Topology, code, days_ahead, field, spawn_alfa_and_beta,
};
use crate::on_backends;

const PACT: &str = "id version status proposerKind proposerName proposerEmail proposerPhone \
    proposerVolunteerIds municipality goodKind goodName goodAddress activities \
    municipalityCommitments proposerCommitments firstStartDate startDate endDate durationMonths \
    period renewal signedOn";

const ADD: &str = "mutation($i: PactInput!) { addPact(input: $i) { id version status startDate endDate period proposerPhone proposerVolunteerIds } }";

const SET: &str = "mutation($i: SetPactStatusInput!) { setPactStatus(input: $i) { id version status startDate endDate renewedUntil period signedOn } }";

const PUBLIC: &str = "query($t: ID!, $c: String!) { publicPacts(tenantId: $t, istatCode: $c) { \
    edges { node { municipality goodKind goodName goodAddress activities startDate endDate \
    renewedUntil status proposerKind proposerName } } } }";

pub(crate) fn pact(istat: &str, start: &str) -> Value {
    json!({
        "proposerKind": "ASSOCIATION",
        "proposerName": "Amici del Parco",
        "proposerEmail": "Info@Amici-Parco.example.org",
        "proposerPhone": "333 765 4321",
        "municipality": istat,
        "goodKind": "PARK",
        "goodName": "Parco della Rimembranza",
        "goodAddress": "Viale dei Tigli",
        "activities": "Cura del verde, pulizia dei vialetti,\nletture per bambini.",
        "municipalityCommitments": "Fornire attrezzi e assicurazione.",
        "proposerCommitments": "Sfalcio mensile e segnalazione dei guasti.",
        "startDate": start,
        "durationMonths": 12,
        "renewal": "ON_REQUEST"
    })
}

fn with(mut base: Value, patch: Value) -> Value {
    for (k, v) in patch.as_object().expect("patch") {
        base[k] = v.clone();
    }
    base
}

fn plus_months(day: &str, months: u32) -> String {
    let day: NaiveDate = day.parse().expect("date");
    day.checked_add_months(Months::new(months))
        .expect("date")
        .to_string()
}

fn reason(resp: &Value) -> Option<String> {
    resp["errors"][0]["extensions"]["reason"]
        .as_str()
        .map(str::to_owned)
}

/// Adds a pact that must be accepted and returns it.
async fn add(client: &Client, input: Value) -> Value {
    client.ok(ADD, json!({ "i": input })).await["addPact"].clone()
}

/// Takes a step that must be accepted and returns the pact.
async fn step(client: &Client, pact: &Value, status: &str, extra: Value) -> Value {
    let input = with(
        json!({ "id": pact["id"], "status": status, "expectedVersion": pact["version"] }),
        extra,
    );
    client.ok(SET, json!({ "i": input })).await["setPactStatus"].clone()
}

/// Takes a pact from proposal to active (start date already past).
pub(crate) async fn activate(client: &Client, input: Value) -> Value {
    let added = add(client, input).await;
    let p = step(client, &added, "UNDER_EVALUATION", json!({})).await;
    let p = step(client, &p, "SIGNED", json!({ "signedOn": days_ahead(-2) })).await;
    step(client, &p, "ACTIVE", json!({})).await
}

async fn volunteer(client: &Client, istat: &str, email: &str) -> String {
    client
        .id(
            "mutation($i: AddVolunteerInput!) { addVolunteer(input: $i) { id } }",
            json!({ "i": { "volunteer": {
                "givenNames": "Samir", "familyNames": "Benali", "email": email,
                "territories": [istat]
            } } }),
        )
        .await
}

async fn a_pact_goes_from_proposal_to_active_and_only_pacts_in_force_are_public(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let vol_a = volunteer(&a.admin, &a.istat_code, "samir@alfa.example.org").await;
    let vol_b = volunteer(&b.admin, &b.istat_code, "samir@beta.example.org").await;
    // Alfa's second municipality (Colle di Val d'Elsa).
    a.admin
        .ok(
            "mutation { addTerritory(input: { istatCode: \"052012\" }) { id } }",
            json!({}),
        )
        .await;

    // Proposed: a park in Alfa's municipality, for a year from 40 days ago.
    let start = days_ahead(-40);
    let input = with(
        pact(&a.istat_code, &start),
        json!({ "proposerVolunteerIds": [vol_a] }),
    );
    let proposed = add(&a.admin, input.clone()).await;
    assert_eq!(proposed["status"], "PROPOSED", "{proposed}");
    assert_eq!(proposed["version"], 1);
    assert_eq!(proposed["startDate"], start.as_str());
    assert_eq!(proposed["endDate"], plus_months(&start, 12));
    assert_eq!(proposed["period"], 1);
    assert_eq!(proposed["proposerPhone"], "+393337654321");
    assert_eq!(proposed["proposerVolunteerIds"], json!([vol_a]));

    // Each refusal names its field and writes nothing.
    let bad: Vec<(&str, Value)> = vec![
        ("municipality", json!({ "municipality": "12" })),
        ("municipality", json!({ "municipality": b.istat_code })),
        ("durationMonths", json!({ "durationMonths": 0 })),
        ("durationMonths", json!({ "durationMonths": 61 })),
        (
            "municipalityCommitments",
            json!({ "municipalityCommitments": "x".repeat(2001) }),
        ),
        (
            "proposerCommitments",
            json!({ "proposerCommitments": "y".repeat(2001) }),
        ),
        (
            "proposerVolunteerIds",
            json!({ "proposerVolunteerIds": [vol_b] }),
        ),
        (
            "proposerVolunteerIds",
            json!({ "proposerKind": "VOLUNTEERS", "proposerVolunteerIds": [] }),
        ),
        (
            "proposerEmail",
            json!({ "proposerEmail": "not an address" }),
        ),
        ("activities", json!({ "activities": "  " })),
    ];
    for (expected, patch) in bad {
        let resp = a
            .admin
            .gql(ADD, json!({ "i": with(input.clone(), patch) }))
            .await;
        assert_eq!(
            code(&resp).as_deref(),
            Some("INVALID_INPUT"),
            "{expected}: {resp}"
        );
        assert_eq!(field(&resp).as_deref(), Some(expected), "{resp}");
    }
    let all = a
        .admin
        .edges("{ pacts(first: 50) { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");

    // Changed while proposed; a stale version is a conflict and changes nothing.
    let update = "mutation($i: UpdatePactInput!) { updatePact(input: $i) { id version goodName } }";
    let changed = a
        .admin
        .ok(
            update,
            json!({ "i": { "id": proposed["id"], "expectedVersion": 1,
                "pact": with(input.clone(), json!({ "goodName": "Parco Nuovo" })) } }),
        )
        .await["updatePact"]
        .clone();
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["goodName"], "Parco Nuovo");
    let stale = a
        .admin
        .gql(
            update,
            json!({ "i": { "id": proposed["id"], "expectedVersion": 1,
                "pact": with(input.clone(), json!({ "goodName": "Parco Vecchio" })) } }),
        )
        .await;
    assert_eq!(code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    assert_eq!(field(&stale).as_deref(), Some("expectedVersion"), "{stale}");

    let evaluated = step(&a.admin, &changed, "UNDER_EVALUATION", json!({})).await;
    assert_eq!(evaluated["status"], "UNDER_EVALUATION");
    let stale = a
        .admin
        .gql(
            SET,
            json!({ "i": { "id": proposed["id"], "status": "SIGNED", "signedOn": days_ahead(-2), "expectedVersion": 2 } }),
        )
        .await;
    assert_eq!(code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    // Not active before it is signed.
    let early = a
        .admin
        .gql(
            SET,
            json!({ "i": { "id": proposed["id"], "status": "ACTIVE", "expectedVersion": 3 } }),
        )
        .await;
    assert_eq!(
        reason(&early).as_deref(),
        Some("TRANSITION_NOT_ALLOWED"),
        "{early}"
    );
    assert_eq!(field(&early).as_deref(), Some("status"), "{early}");
    // Signed: the date is required and not in the future.
    for (signed_on, expected) in [
        (Value::Null, "signedOn"),
        (json!(days_ahead(5)), "signedOn"),
    ] {
        let resp = a
            .admin
            .gql(
                SET,
                json!({ "i": { "id": proposed["id"], "status": "SIGNED", "signedOn": signed_on, "expectedVersion": 3 } }),
            )
            .await;
        assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"), "{resp}");
        assert_eq!(field(&resp).as_deref(), Some(expected), "{resp}");
    }
    let signed_on = days_ahead(-35);
    let signed = step(
        &a.admin,
        &evaluated,
        "SIGNED",
        json!({ "signedOn": signed_on, "note": "firmato in Comune" }),
    )
    .await;
    assert_eq!(signed["status"], "SIGNED");
    assert_eq!(signed["signedOn"], signed_on.as_str());
    // The terms of a signed pact do not change.
    let frozen = a
        .admin
        .gql(
            update,
            json!({ "i": { "id": proposed["id"], "expectedVersion": signed["version"], "pact": input.clone() } }),
        )
        .await;
    assert_eq!(
        reason(&frozen).as_deref(),
        Some("TRANSITION_NOT_ALLOWED"),
        "{frozen}"
    );
    let active = step(&a.admin, &signed, "ACTIVE", json!({})).await;
    assert_eq!(active["status"], "ACTIVE", "{active}");

    let detail = a
        .admin
        .ok(
            &format!("query($id: ID!) {{ node(id: $id) {{ ... on Pact {{ {PACT} history {{ status byUserId at note }} }} }} }}"),
            json!({ "id": proposed["id"] }),
        )
        .await["node"]
        .clone();
    let steps: Vec<&str> = detail["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|s| s["status"].as_str().expect("status"))
        .collect();
    assert_eq!(
        steps,
        ["PROPOSED", "UNDER_EVALUATION", "SIGNED", "ACTIVE"],
        "{detail}"
    );
    assert!(
        detail["history"]
            .as_array()
            .expect("history")
            .iter()
            .all(|s| s["byUserId"].is_string()),
        "{detail}"
    );
    assert_eq!(detail["history"][2]["note"], "firmato in Comune");
    assert_eq!(detail["proposerEmail"], "info@amici-parco.example.org");

    // Activity reports: not in the future, not too long; newest first.
    let report = "mutation($i: AddPactReportInput!) { addPactReport(input: $i) { on text minutes byUserId } }";
    let first = a
        .admin
        .ok(
            report,
            json!({ "i": { "pactId": proposed["id"], "on": days_ahead(-10), "text": "Sfalcio del prato.", "minutes": 150 } }),
        )
        .await["addPactReport"]
        .clone();
    assert_eq!(first["minutes"], 150);
    a.admin
        .ok(
            report,
            json!({ "i": { "pactId": proposed["id"], "on": days_ahead(-3), "text": "Pulizia dei vialetti." } }),
        )
        .await;
    for (patch, expected) in [
        (json!({ "on": days_ahead(3) }), "on"),
        (json!({ "text": "z".repeat(4001) }), "text"),
        (json!({ "minutes": 0 }), "minutes"),
    ] {
        let i = with(
            json!({ "pactId": proposed["id"], "on": days_ahead(-1), "text": "Ok." }),
            patch,
        );
        a.admin
            .refused_on(report, json!({ "i": i }), expected)
            .await;
    }
    let reports = a
        .admin
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Pact { reports { edges { node { on text minutes } } } } } }",
            json!({ "id": proposed["id"] }),
        )
        .await;
    let texts: Vec<&str> = reports["node"]["reports"]["edges"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|e| e["node"]["text"].as_str().expect("text"))
        .collect();
    assert_eq!(
        texts,
        ["Pulizia dei vialetti.", "Sfalcio del prato."],
        "{reports}"
    );

    // A citizen's pact starting next month: signed, not active before its start date.
    let future = add(
        &a.admin,
        with(
            pact(&a.istat_code, &days_ahead(30)),
            json!({ "proposerKind": "SINGLE_CITIZEN", "proposerName": "Mario Rossi",
                "proposerEmail": "mario.rossi@example.org", "goodName": "Aiuola di Via Roma" }),
        ),
    )
    .await;
    let future = step(&a.admin, &future, "UNDER_EVALUATION", json!({})).await;
    let future = step(
        &a.admin,
        &future,
        "SIGNED",
        json!({ "signedOn": days_ahead(-1) }),
    )
    .await;
    let not_yet = a
        .admin
        .gql(
            SET,
            json!({ "i": { "id": future["id"], "status": "ACTIVE", "expectedVersion": future["version"] } }),
        )
        .await;
    assert_eq!(
        reason(&not_yet).as_deref(),
        Some("TRANSITION_NOT_ALLOWED"),
        "{not_yet}"
    );
    // A rejected proposal ends.
    let rejected = add(
        &a.admin,
        with(
            pact(&a.istat_code, &days_ahead(-5)),
            json!({ "goodName": "Piazza respinta" }),
        ),
    )
    .await;
    let rejected = step(
        &a.admin,
        &rejected,
        "ENDED",
        json!({ "note": "non accolta" }),
    )
    .await;
    assert_eq!(rejected["status"], "ENDED");

    // A citizen's pact in force: public, without the citizen's name or contacts.
    let citizen = activate(
        &a.admin,
        with(
            pact(&a.istat_code, &days_ahead(-20)),
            json!({ "proposerKind": "SINGLE_CITIZEN", "proposerName": "Giulia Bianchi",
                "proposerEmail": "giulia.bianchi@example.org", "proposerPhone": "+39 347 111 2222",
                "goodKind": "GARDEN", "goodName": "Orto di Via Verdi", "proposerVolunteerIds": [vol_a] }),
        ),
    )
    .await;
    assert_eq!(citizen["status"], "ACTIVE");
    // Two years past its start, a year long, not renewable: expired, and not renewable.
    let expired = activate(
        &a.admin,
        with(
            pact(&a.istat_code, &days_ahead(-800)),
            json!({ "renewal": "NONE", "goodName": "Scuola Vecchia", "goodKind": "SCHOOL_BUILDING",
                "proposerKind": "INFORMAL_GROUP", "proposerName": "Genitori della Scuola" }),
        ),
    )
    .await;
    assert_eq!(expired["status"], "EXPIRED", "{expired}");
    let renew = a
        .admin
        .gql(
            SET,
            json!({ "i": { "id": expired["id"], "status": "RENEWED", "expectedVersion": expired["version"] } }),
        )
        .await;
    assert_eq!(
        reason(&renew).as_deref(),
        Some("TRANSITION_NOT_ALLOWED"),
        "{renew}"
    );
    // Renewed tacitly: in its second period, in force.
    let tacit_start = days_ahead(-400);
    let tacit = activate(
        &a.admin,
        with(
            pact(&a.istat_code, &tacit_start),
            json!({ "renewal": "TACIT", "goodName": "Piazza del Mercato", "goodKind": "SQUARE",
                "proposerKind": "INFORMAL_GROUP", "proposerName": "Vicini di Piazza" }),
        ),
    )
    .await;
    assert_eq!(tacit["status"], "RENEWED", "{tacit}");
    assert_eq!(tacit["period"], 2);
    assert_eq!(tacit["startDate"], plus_months(&tacit_start, 12));
    // Renewed on request before its end: the first period stays current, the next one is told.
    let renewed = step(&a.admin, &active, "RENEWED", json!({})).await;
    assert_eq!(renewed["status"], "RENEWED");
    assert_eq!(renewed["startDate"], start.as_str(), "{renewed}");
    assert_eq!(renewed["endDate"], plus_months(&start, 12));
    assert_eq!(renewed["renewedUntil"], plus_months(&start, 24));
    assert_eq!(renewed["period"], 1);
    // Once per period.
    let again = a
        .admin
        .gql(
            SET,
            json!({ "i": { "id": renewed["id"], "status": "RENEWED", "expectedVersion": renewed["version"] } }),
        )
        .await;
    assert_eq!(
        reason(&again).as_deref(),
        Some("TRANSITION_NOT_ALLOWED"),
        "{again}"
    );
    // In force in Alfa's other municipality: not in the first one's public list.
    activate(
        &a.admin,
        with(
            pact("052012", &days_ahead(-15)),
            json!({ "goodName": "Giardino di Colle" }),
        ),
    )
    .await;

    // Filters read the status of today.
    let by_status = |status: &'static str| {
        let admin = &a.admin;
        async move {
            admin
                .edges(
                    "query($s: PactStatus) { pacts(status: $s, first: 50) { edges { node { goodName } } } }",
                    json!({ "s": status }),
                )
                .await
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| e["node"]["goodName"].as_str().expect("name").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(by_status("EXPIRED").await, ["Scuola Vecchia"]);
    assert_eq!(
        by_status("ACTIVE").await,
        ["Orto di Via Verdi", "Giardino di Colle"]
    );
    assert_eq!(
        by_status("RENEWED").await,
        ["Parco Nuovo", "Piazza del Mercato"]
    );
    assert_eq!(by_status("SIGNED").await, ["Aiuola di Via Roma"]);
    let in_colle = a
        .admin
        .edges(
            "{ pacts(municipality: \"052012\") { edges { node { goodName } } } }",
            json!({}),
        )
        .await;
    assert_eq!(in_colle.as_array().map(Vec::len), Some(1), "{in_colle}");

    // The public list, without an account: the pacts in force of that municipality only.
    let anonymous = app.client();
    let public = anonymous
        .ok(PUBLIC, json!({ "t": a.tenant_id, "c": a.istat_code }))
        .await;
    let edges = public["publicPacts"]["edges"].as_array().expect("edges");
    let mut names: Vec<&str> = edges
        .iter()
        .map(|e| e["node"]["goodName"].as_str().expect("name"))
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["Orto di Via Verdi", "Parco Nuovo", "Piazza del Mercato"],
        "{public}"
    );
    let node = |name: &str| {
        edges
            .iter()
            .map(|e| &e["node"])
            .find(|n| n["goodName"] == name)
            .expect("listed")
            .clone()
    };
    assert_eq!(node("Parco Nuovo")["proposerName"], "Amici del Parco");
    assert_eq!(node("Parco Nuovo")["startDate"], start.as_str());
    assert_eq!(node("Parco Nuovo")["renewedUntil"], plus_months(&start, 24));
    assert_eq!(
        node("Piazza del Mercato")["proposerName"],
        "Vicini di Piazza"
    );
    assert!(
        node("Orto di Via Verdi")["proposerName"].is_null(),
        "{public}"
    );
    assert_eq!(node("Orto di Via Verdi")["proposerKind"], "SINGLE_CITIZEN");
    let text = public.to_string();
    for personal in [
        "@", "+39", "Giulia", "Bianchi", "Mario", "Rossi", "Samir", "Benali", "347",
    ] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    // The public type has no field for contacts or volunteers.
    let leak = anonymous
        .gql(
            "query($t: ID!, $c: String!) { publicPacts(tenantId: $t, istatCode: $c) { edges { node { proposerEmail } } } }",
            json!({ "t": a.tenant_id, "c": a.istat_code }),
        )
        .await;
    assert!(leak["errors"].is_array(), "{leak}");
    let malformed = anonymous
        .gql(PUBLIC, json!({ "t": a.tenant_id, "c": "52022" }))
        .await;
    assert_eq!(
        field(&malformed).as_deref(),
        Some("istatCode"),
        "{malformed}"
    );
    // Staff operations stay closed to the public.
    let closed = anonymous
        .gql("{ pacts { edges { node { id } } } }", json!({}))
        .await;
    assert!(
        closed["data"].is_null() || closed["errors"].is_array(),
        "{closed}"
    );
    assert!(code(&closed).is_some(), "{closed}");

    // Beta reaches nothing of Alfa's: not listed, not by id, not as input, not in public.
    let theirs = b
        .admin
        .edges("{ pacts(first: 50) { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(theirs, json!([]));
    let filtered = b
        .admin
        .edges(
            "query($m: String) { pacts(municipality: $m) { edges { node { id } } } }",
            json!({ "m": a.istat_code }),
        )
        .await;
    assert_eq!(filtered, json!([]));
    let by_id = b
        .admin
        .gql(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": proposed["id"] }),
        )
        .await;
    assert!(by_id["data"]["node"].is_null(), "{by_id}");
    assert_eq!(code(&by_id).as_deref(), Some("NOT_FOUND"), "{by_id}");
    b.admin
        .refused(
            SET,
            json!({ "i": { "id": proposed["id"], "status": "ENDED", "expectedVersion": renewed["version"] } }),
            "NOT_FOUND",
        )
        .await;
    b.admin
        .refused(
            report,
            json!({ "i": { "pactId": proposed["id"], "on": days_ahead(-1), "text": "Intruso." } }),
            "NOT_FOUND",
        )
        .await;
    b.admin
        .refused(
            update,
            json!({ "i": { "id": proposed["id"], "expectedVersion": renewed["version"], "pact": pact(&b.istat_code, &start) } }),
            "NOT_FOUND",
        )
        .await;
    let beta_public = anonymous
        .ok(PUBLIC, json!({ "t": b.tenant_id, "c": a.istat_code }))
        .await;
    assert_eq!(beta_public["publicPacts"]["edges"], json!([]));
    // Alfa's pact is unchanged by Beta's attempts.
    let still = a
        .admin
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Pact { status version } } }",
            json!({ "id": proposed["id"] }),
        )
        .await;
    assert_eq!(still["node"]["status"], "RENEWED");
    assert_eq!(still["node"]["version"], renewed["version"]);

    // Ten days past the first period's end (the same store, served with a later clock): the
    // period it was renewed for is the current one, in force and public.
    let mut later = app.config.clone();
    let day_after: NaiveDate = plus_months(&start, 12).parse().expect("date");
    later.clock_start = Some(
        (day_after + chrono::Duration::days(10))
            .and_hms_opt(10, 0, 0)
            .expect("time")
            .and_utc(),
    );
    let later = TestApp::spawn_with(later, None, Topology::AllInOne).await;
    let public = later
        .client()
        .ok(PUBLIC, json!({ "t": a.tenant_id, "c": a.istat_code }))
        .await;
    let park = public["publicPacts"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["goodName"] == "Parco Nuovo")
        .unwrap_or_else(|| panic!("the renewed pact is in force: {public}"))
        .clone();
    assert_eq!(park["status"], "RENEWED");
    assert_eq!(park["startDate"], plus_months(&start, 12));
    assert_eq!(park["endDate"], plus_months(&start, 24));
    assert!(park["renewedUntil"].is_null(), "{park}");
}

on_backends!(a_pact_goes_from_proposal_to_active_and_only_pacts_in_force_are_public);
