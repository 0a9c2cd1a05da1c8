//! The cases service end to end: persons, consent, cases, encounters, needs, interventions across
//! two tenants and territory limits; the case life cycle; duplicate search across scripts; the
//! audit chain and its verification; the pseudonymised outbox.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{
    Backend, Client, Seeded, TestApp, Topology, code, field, operator, operators, spawn_alfa,
    spawn_alfa_and_beta,
};
use crate::on_backends;

const PERSON: &str = "mutation($i: PersonInput!) { createPerson(input: $i) { id latinGivenNames territoryCode codiceFiscale } }";

pub(crate) struct Story {
    pub(crate) person: String,
    pub(crate) case: String,
    pub(crate) need: String,
}

/// Registers a person with consent and opens a case with an encounter, a need and an intervention.
pub(crate) async fn story(op: &Client, given: &str, family: &str, territory: &str) -> Story {
    story_with_cf(op, given, family, territory, Some("BNCLRA90E45Z330Q")).await
}

pub(crate) async fn story_with_cf(
    op: &Client,
    given: &str,
    family: &str,
    territory: &str,
    cf: Option<&str>,
) -> Story {
    let person = op
        .id(
            PERSON,
            json!({ "i": {
                "givenNames": given, "familyNames": family, "territoryCode": territory,
                "birth": { "year": 1991, "month": 3, "day": 10 }, "sex": "FEMALE", "countryOfBirth": "ma",
                "citizenships": ["MA"], "languages": [{ "code": "ar", "level": "native" }],
                "phone": "+39 333 1234567", "email": "persona@example.org",
                "codiceFiscale": cf,
                "legalStatus": { "permitType": "lavoro subordinato", "expiry": "2027-03-31" }
            } }),
        )
        .await;
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }", json!({ "p": person })).await;
    let case = op
        .id(
            "mutation($p: ID!) { openCase(personId: $p) { id status } }",
            json!({ "p": person }),
        )
        .await;
    op.ok(
        "mutation($c: ID!) { addEncounter(input: {caseId: $c, occurredAt: \"2026-11-20T09:30:00Z\", channel: DESK, language: \"ar\", mediatorPresent: true, durationMinutes: 45, notes: \"racconta della sorella a Torino\"}) { id } }",
        json!({ "c": case }),
    )
    .await;
    let need = op.id("mutation($c: ID!) { recordNeed(caseId: $c, code: DOCUMENTS_LEGAL, source: EXPRESSED) { id } }", json!({ "c": case })).await;
    op.ok(
        "mutation($c: ID!, $n: ID!) { recordIntervention(input: {caseId: $c, kind: DOCUMENT_ASSISTANCE, needIds: [$n], outcome: \"appointment_booked\"}) { id } }",
        json!({ "c": case, "n": need }),
    )
    .await;
    Story { person, case, need }
}

/// The ids of the first encounter and the first intervention of a case.
pub(crate) async fn first_encounter_and_intervention(op: &Client, case: &str) -> (String, String) {
    let ids = op
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Case { encounters { edges { node { id } } } interventions { edges { node { id } } } } } }",
            json!({ "id": case }),
        )
        .await;
    let first = |items: &str| {
        ids["node"][items]["edges"][0]["node"]["id"]
            .as_str()
            .expect(items)
            .to_owned()
    };
    (first("encounters"), first("interventions"))
}

/// Asserts that an event payload holds none of the personal data the stories record (nor any of
/// `also`), no birth field and no birth year; returns the payload parsed.
pub(crate) fn assert_no_personal_data(payload: &str, also: &[&str]) -> Value {
    let story = [
        "Amina",
        "Idrissi",
        "Olena",
        "Kovalenko",
        "BNCLRA90E45Z330Q",
        "+39 333 1234567",
        "3331234567",
        "persona@example.org",
        "sorella",
        "lavoro subordinato",
    ];
    for secret in story.iter().chain(also) {
        assert!(
            !payload.contains(secret),
            "event payload contains {secret}: {payload}"
        );
    }
    let event: Value = serde_json::from_str(payload).expect("json");
    // Short values are checked field by field: they can occur by chance inside a pseudonym.
    let fields = event.as_object().expect("object");
    assert!(
        fields
            .keys()
            .all(|k| !k.to_lowercase().starts_with("birth")),
        "{payload}"
    );
    assert!(
        fields
            .values()
            .all(|v| v != &json!(1991) && v != &json!("1991")),
        "{payload}"
    );
    event
}

pub(crate) fn forge_missing(id: &str) -> String {
    use base64::Engine;
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let raw = String::from_utf8(e.decode(id).expect("id")).expect("utf-8");
    let kind = raw.split_once(':').expect("kind").0;
    e.encode(format!("{kind}:{}", uuid::Uuid::now_v7()))
}

async fn same_as_missing(c: &Client, query: &str, var: &str, theirs: &str, expected: &str) {
    let on_theirs = c.gql(query, json!({ var: theirs })).await;
    let on_missing = c.gql(query, json!({ var: forge_missing(theirs) })).await;
    assert_eq!(
        code(&on_theirs).as_deref(),
        Some(expected),
        "{query}: {on_theirs}"
    );
    assert_eq!(
        on_theirs, on_missing,
        "{query} tells another tenant's object from a missing one"
    );
}

async fn case_data_stays_in_its_tenant_and_territory(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let theirs = story(&op_b, "Amina", "El Idrissi", "048017").await;
    let mine = story(&op_a, "Olena", "Kovalenko", "052022").await;

    // By id, guessed or real.
    same_as_missing(
        &op_a,
        "query($id: ID!) { node(id: $id) { id } }",
        "id",
        &theirs.person,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        &op_a,
        "query($id: ID!) { node(id: $id) { id } }",
        "id",
        &theirs.case,
        "NOT_FOUND",
    )
    .await;
    // Lists, filters and duplicate search.
    let persons = op_a
        .ok("{ persons { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(
        persons["persons"]["edges"],
        json!([{ "node": { "id": mine.person } }])
    );
    let cases = op_a
        .ok(
            "{ cases(filter: {need: DOCUMENTS_LEGAL}) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        cases["cases"]["edges"],
        json!([{ "node": { "id": mine.case } }])
    );
    let dups = op_a
        .ok(
            "{ personDuplicates(givenNames: \"Amina\", familyNames: \"El Idrissi\") { score } }",
            json!({}),
        )
        .await;
    assert_eq!(dups["personDuplicates"], json!([]));
    // Writes on the other tenant's objects.
    let q = "mutation($id: ID!) { updatePerson(id: $id, expectedVersion: 1, input: {givenNames: \"X\", familyNames: \"Y\", territoryCode: \"052022\"}) { id } }";
    same_as_missing(&op_a, q, "id", &theirs.person, "NOT_FOUND").await;
    same_as_missing(&op_a, "mutation($id: ID!) { recordConsent(personId: $id, purpose: REFERRAL_SHARING, given: true) { given } }", "id", &theirs.person, "NOT_FOUND").await;
    same_as_missing(
        &op_a,
        "mutation($id: ID!) { openCase(personId: $id) { id } }",
        "id",
        &theirs.person,
        "INVALID_INPUT",
    )
    .await;
    same_as_missing(
        &op_a,
        "mutation($id: ID!) { changeCaseStatus(id: $id, expectedVersion: 1, to: ACTIVE) { id } }",
        "id",
        &theirs.case,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        &op_a,
        "mutation($id: ID!) { recordNeed(caseId: $id, code: HOUSING, source: DETECTED) { id } }",
        "id",
        &theirs.case,
        "INVALID_INPUT",
    )
    .await;
    same_as_missing(
        &op_a,
        "mutation($id: ID!) { changeNeedStatus(id: $id, expectedVersion: 1, status: ADDRESSED) { id } }",
        "id",
        &theirs.need,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        &op_a,
        "mutation($id: ID!) { addEncounter(input: {caseId: $id, occurredAt: \"2026-11-20T10:00:00Z\", channel: PHONE}) { id } }",
        "id",
        &theirs.case,
        "INVALID_INPUT",
    )
    .await;
    // Referring to another tenant's need from one's own case.
    op_a.refused_on(
        "mutation($c: ID!, $n: ID!) { recordIntervention(input: {caseId: $c, kind: INFORMATION, needIds: [$n]}) { id } }",
        json!({ "c": mine.case, "n": theirs.need }),
        "needIds",
    )
    .await;

    // B's data is intact, seen from B: nested fields included.
    let detail = op_b
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Case { status person { latinFamilyNames codiceFiscale legalStatus { permitType } consents { purpose given } } \
               encounters { edges { node { channel mediatorPresent notes } } } needs { edges { node { code status } } } interventions { edges { node { kind outcome } } } } } }",
            json!({ "id": theirs.case }),
        )
        .await;
    let node = &detail["node"];
    assert_eq!(node["person"]["latinFamilyNames"], "El Idrissi");
    assert_eq!(
        node["person"]["legalStatus"]["permitType"],
        "lavoro subordinato"
    );
    assert_eq!(
        node["needs"]["edges"][0]["node"],
        json!({ "code": "DOCUMENTS_LEGAL", "status": "OPEN" })
    );
    assert_eq!(
        node["interventions"]["edges"][0]["node"],
        json!({ "kind": "DOCUMENT_ASSISTANCE", "outcome": "appointment_booked" })
    );

    // Corrections: B's operator edits its encounter and intervention; A cannot reach them.
    let (encounter, intervention) = first_encounter_and_intervention(&op_b, &theirs.case).await;
    let edit = "mutation($id: ID!) { updateEncounter(input: {id: $id, expectedVersion: 1, durationMinutes: 50, notes: \"corretto\"}) { durationMinutes notes channel } }";
    same_as_missing(&op_a, edit, "id", &encounter, "NOT_FOUND").await;
    let edited = op_b.ok(edit, json!({ "id": encounter })).await;
    assert_eq!(
        edited["updateEncounter"],
        json!({ "durationMinutes": 50, "notes": "corretto", "channel": "DESK" })
    );
    let outcome = "mutation($id: ID!, $o: String) { updateIntervention(id: $id, expectedVersion: 1, outcome: $o) { outcome } }";
    same_as_missing(&op_a, outcome, "id", &intervention, "NOT_FOUND").await;
    op_b.refused_on(
        outcome,
        json!({ "id": intervention, "o": "free text here" }),
        "outcome",
    )
    .await;
    let done = op_b
        .ok(
            outcome,
            json!({ "id": intervention, "o": "permit_renewed" }),
        )
        .await;
    assert_eq!(done["updateIntervention"]["outcome"], "permit_renewed");

    // Territory limits: an operator of A limited to another municipality sees none of it.
    a.admin.ok("mutation { addTerritory(input: {istatCode: \"052012\", name: \"Colle di Val d'Elsa\"}) { id } }", json!({})).await;
    let limited = operator(&app, &a, "colle@alfa.example.org", &["052012"]).await;
    let seen = limited
        .ok(
            "{ persons { edges { node { id } } } cases { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        seen,
        json!({ "persons": { "edges": [] }, "cases": { "edges": [] } })
    );
    limited
        .refused(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": mine.person }),
            "NOT_FOUND",
        )
        .await;
    limited.refused_on(
        PERSON,
        json!({ "i": { "givenNames": "Ion", "familyNames": "Popescu", "territoryCode": "052022" } }),
        "territoryCode",
    )
    .await;
    let inside = limited
        .ok(PERSON, json!({ "i": { "givenNames": "Ion", "familyNames": "Popescu", "territoryCode": "052012" } }))
        .await;
    assert_eq!(inside["createPerson"]["territoryCode"], "052012");
    // Volunteers and administrators do not see case data.
    a.admin
        .refused(
            "{ persons { edges { node { id } } } }",
            json!({}),
            "FORBIDDEN",
        )
        .await;
}

on_backends!(case_data_stays_in_its_tenant_and_territory);

async fn illegal_transitions_and_bad_input_change_nothing(backend: Backend, topology: Topology) {
    let (app, a) = spawn_alfa(backend, topology).await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;

    // Validation names the field.
    for (input, bad_field) in [
        // One of the names may be empty (a single name), not both; a name needs letters.
        (
            json!({ "givenNames": " ", "familyNames": "\u{200B}", "territoryCode": "052022" }),
            "familyNames",
        ),
        (
            json!({ "givenNames": "😀", "familyNames": "X", "territoryCode": "052022" }),
            "givenNames",
        ),
        (
            json!({ "givenNames": "A", "familyNames": "X", "territoryCode": "999001" }),
            "territoryCode",
        ),
        (
            json!({ "givenNames": "A", "familyNames": "X", "territoryCode": "052022", "codiceFiscale": "BNCLRA90E45Z330X" }),
            "codiceFiscale",
        ),
        (
            json!({ "givenNames": "A", "familyNames": "X", "territoryCode": "052022", "birth": { "year": 1990, "month": 2, "day": 30 } }),
            "birth",
        ),
        (
            json!({ "givenNames": "A", "familyNames": "X", "territoryCode": "052022", "countryOfBirth": "Marocco" }),
            "countryOfBirth",
        ),
        (
            json!({ "givenNames": "A", "familyNames": "X", "territoryCode": "052022", "languages": [{ "code": "ar", "level": "fluent" }] }),
            "languages",
        ),
    ] {
        let resp = op.gql(PERSON, json!({ "i": input })).await;
        assert_eq!(
            (code(&resp).as_deref(), field(&resp).as_deref()),
            (Some("INVALID_INPUT"), Some(bad_field)),
            "{resp}"
        );
    }
    assert_eq!(
        op.ok("{ persons { edges { node { id } } } }", json!({}))
            .await["persons"]["edges"],
        json!([])
    );

    // No case without consent to case management.
    let person = op
        .ok(PERSON, json!({ "i": { "givenNames": "Mamadou", "familyNames": "Diallo", "territoryCode": "052022", "codiceFiscale": "bnclra90e45z330q" } }))
        .await;
    assert_eq!(person["createPerson"]["codiceFiscale"], "BNCLRA90E45Z330Q");
    let person = person["createPerson"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let same_cf = op
        .gql(PERSON, json!({ "i": { "givenNames": "Altro", "familyNames": "Nome", "territoryCode": "052022", "codiceFiscale": "BNCLRA90E45Z330Q" } }))
        .await;
    assert_eq!(
        (code(&same_cf).as_deref(), field(&same_cf).as_deref()),
        (Some("CONFLICT"), Some("codiceFiscale")),
        "the same code is refused: {same_cf}"
    );
    op.refused_on(
        "mutation($p: ID!) { openCase(personId: $p) { id } }",
        json!({ "p": person }),
        "personId",
    )
    .await;
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }", json!({ "p": person })).await;
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: false) { given } }", json!({ "p": person })).await;
    let withdrawn = op
        .gql(
            "mutation($p: ID!) { openCase(personId: $p) { id } }",
            json!({ "p": person }),
        )
        .await;
    assert_eq!(
        field(&withdrawn).as_deref(),
        Some("personId"),
        "consent was withdrawn: {withdrawn}"
    );
    assert_eq!(
        op.ok("{ cases { edges { node { id } } } }", json!({}))
            .await["cases"]["edges"],
        json!([])
    );
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }", json!({ "p": person })).await;
    let case = op
        .ok(
            "mutation($p: ID!) { openCase(personId: $p) { id status } }",
            json!({ "p": person }),
        )
        .await;
    assert_eq!(case["openCase"]["status"], "INTAKE");
    let case = case["openCase"]["id"].as_str().expect("id").to_owned();

    let change = "mutation($id: ID!, $to: CaseStatus!, $o: String, $r: String, $v: Int! = 1) { changeCaseStatus(id: $id, expectedVersion: $v, to: $to, outcome: $o, reason: $r) { status outcome closedAt reopenReason } }";
    op.refused(
        change,
        json!({ "id": case, "to": "MONITORING" }),
        "CONFLICT",
    )
    .await;
    op.ok(change, json!({ "id": case, "to": "ACTIVE" })).await;
    op.refused_on(
        change,
        json!({ "id": case, "to": "CLOSED", "v": 2 }),
        "outcome",
    )
    .await;
    op.refused_on(
        change,
        json!({ "id": case, "to": "CLOSED", "o": "moved to Milan", "v": 2 }),
        "outcome",
    )
    .await;
    let closed = op
        .ok(
            change,
            json!({ "id": case, "to": "CLOSED", "o": "autonomy_reached", "v": 2 }),
        )
        .await;
    assert_eq!(closed["changeCaseStatus"]["outcome"], "autonomy_reached");
    let closed_at = closed["changeCaseStatus"]["closedAt"].clone();
    op.refused(
        change,
        json!({ "id": case, "to": "CLOSED", "o": "other", "v": 3 }),
        "CONFLICT",
    )
    .await;
    op.refused(
        "mutation($c: ID!) { recordNeed(caseId: $c, code: HOUSING, source: DETECTED) { id } }",
        json!({ "c": case }),
        "CONFLICT",
    )
    .await;
    let state = op.ok("query($id: ID!) { node(id: $id) { ... on Case { status outcome closedAt needs { edges { node { id } } } } } }", json!({ "id": case })).await;
    assert_eq!(
        state["node"],
        json!({ "status": "CLOSED", "outcome": "autonomy_reached", "closedAt": closed_at, "needs": { "edges": [] } })
    );
    op.refused_on(
        change,
        json!({ "id": case, "to": "ACTIVE", "v": 3 }),
        "reason",
    )
    .await;
    let reopened = op
        .ok(
            change,
            json!({ "id": case, "to": "ACTIVE", "r": "nuovo bisogno abitativo", "v": 3 }),
        )
        .await;
    assert_eq!(
        reopened["changeCaseStatus"],
        json!({ "status": "ACTIVE", "outcome": null, "closedAt": null, "reopenReason": "nuovo bisogno abitativo" })
    );
}

on_backends!(illegal_transitions_and_bad_input_change_nothing);

/// True when `text` is an RFC 3339 instant (or, with `date_only`, an ISO 8601 day) with a
/// four-digit year.
fn is_rfc3339(text: &Value, date_only: bool) -> bool {
    let Some(text) = text.as_str() else {
        return false;
    };
    let parsed = if date_only {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
    } else {
        chrono::DateTime::parse_from_rfc3339(text).is_ok()
    };
    parsed && text.find('-') == Some(4) && text[..4].bytes().all(|b| b.is_ascii_digit())
}

/// Every date input is bounded per field (birth, permit expiry, encounters, interventions, plan
/// dates, appointment starts and series, list filters, analytics periods): a value out of range is
/// `INVALID_INPUT` on that field and stores nothing; every date the API returns is RFC 3339.
async fn dates_out_of_range_are_refused_and_change_nothing(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op, op_b) = operators(&app, &a, &b).await;
    let s = story_with_cf(&op, "Amina", "El Idrissi", "052022", None).await;
    let goal = op
        .id(
            "mutation($c: ID!) { addGoal(input: {caseId: $c, title: \"Rinnovo del permesso\", needIds: []}) { id } }",
            json!({ "c": s.case }),
        )
        .await;
    let (encounter, intervention) = first_encounter_and_intervention(&op, &s.case).await;
    let now = chrono::Utc::now();
    let next_year = chrono::Datelike::year(&now) + 1;
    let far = "9999-12-20T10:00:00Z";
    let far_day = "9999-12-20";
    let person = |birth: Value, expiry: Value| {
        json!({ "i": { "givenNames": "Ion", "familyNames": "Popescu", "territoryCode": "052022",
                        "birth": birth, "legalStatus": { "permitType": "studio", "expiry": expiry } } })
    };
    let soon = (now + chrono::Duration::days(690))
        .format("%Y-%m-%dT10:00:00Z")
        .to_string();
    let book = "mutation($d: ID!, $p: ID!, $at: DateTime!, $n: Int!) { bookAppointment(input: {deskId: $d, personId: $p, startsAt: $at, durationMinutes: 30, occurrences: $n, remindHoursBefore: 24}) { startsAt endsAt remindAt } }";
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            PERSON,
            person(json!({ "year": 1899 }), Value::Null),
            "birth",
        ),
        (
            PERSON,
            person(json!({ "year": next_year + 1 }), Value::Null),
            "birth",
        ),
        (
            PERSON,
            person(json!({ "year": 9999, "month": 12, "day": 20 }), Value::Null),
            "birth",
        ),
        (
            PERSON,
            person(Value::Null, json!(far_day)),
            "legalStatus.expiry",
        ),
        (
            "mutation($c: ID!, $at: DateTime!) { addEncounter(input: {caseId: $c, occurredAt: $at, channel: DESK}) { id } }",
            json!({ "c": s.case, "at": far }),
            "occurredAt",
        ),
        (
            "mutation($c: ID!, $at: DateTime!) { addEncounter(input: {caseId: $c, occurredAt: $at, channel: DESK}) { id } }",
            json!({ "c": s.case, "at": "1999-12-31T23:00:00Z" }),
            "occurredAt",
        ),
        (
            "mutation($id: ID!, $at: DateTime) { updateEncounter(input: {id: $id, expectedVersion: 1, occurredAt: $at}) { id } }",
            json!({ "id": encounter, "at": far }),
            "occurredAt",
        ),
        (
            "mutation($c: ID!, $n: ID!, $at: DateTime) { recordIntervention(input: {caseId: $c, kind: INFORMATION, needIds: [$n], doneAt: $at}) { id } }",
            json!({ "c": s.case, "n": s.need, "at": far }),
            "doneAt",
        ),
        (
            "mutation($id: ID!, $at: DateTime) { updateIntervention(id: $id, expectedVersion: 1, doneAt: $at) { id } }",
            json!({ "id": intervention, "at": "1999-01-01T00:00:00Z" }),
            "doneAt",
        ),
        (
            "mutation($c: ID!, $d: NaiveDate) { addGoal(input: {caseId: $c, title: \"x\", needIds: [], reviewOn: $d}) { id } }",
            json!({ "c": s.case, "d": far_day }),
            "reviewOn",
        ),
        (
            "mutation($id: ID!, $d: NaiveDate) { updateGoal(id: $id, expectedVersion: 1, reviewOn: $d) { id } }",
            json!({ "id": goal, "d": "1990-01-01" }),
            "reviewOn",
        ),
        (
            "mutation($g: ID!, $d: NaiveDate) { addStep(input: {goalId: $g, title: \"x\", owner: PERSON, dueOn: $d}) { id } }",
            json!({ "g": goal, "d": far_day }),
            "dueOn",
        ),
        (
            book,
            json!({ "d": a.desk, "p": s.person, "at": far, "n": 3 }),
            "startsAt",
        ),
        (
            book,
            json!({ "d": a.desk, "p": s.person, "at": "2020-01-06T10:00:00Z", "n": 1 }),
            "startsAt",
        ),
        // The first occurrence is in range, the last one is not.
        (
            book,
            json!({ "d": a.desk, "p": s.person, "at": soon, "n": 52 }),
            "occurrences",
        ),
        (
            "query($at: DateTime) { cases(filter: {openedFrom: $at}) { edges { node { id } } } }",
            json!({ "at": "1800-01-01T00:00:00Z" }),
            "openedFrom",
        ),
        (
            "query($at: DateTime) { cases(filter: {openedTo: $at}) { edges { node { id } } } }",
            json!({ "at": far }),
            "openedTo",
        ),
        (
            "query($at: DateTime) { appointments(filter: {from: $at}) { edges { node { id } } } }",
            json!({ "at": "1800-01-01T00:00:00Z" }),
            "from",
        ),
        (
            "query($at: DateTime) { appointments(filter: {to: $at}) { edges { node { id } } } }",
            json!({ "at": far }),
            "to",
        ),
        (
            "{ indicators(from: \"1800-01\", to: \"2026-01\") { code } }",
            json!({}),
            "from",
        ),
        (
            "{ tenantStatistics(measure: NEEDS, by: [], from: \"9998-01\", to: \"9999-01\") { value } }",
            json!({}),
            "to",
        ),
    ];
    for (query, vars, bad_field) in cases {
        let resp = op.gql(query, vars.clone()).await;
        assert_eq!(
            (code(&resp).as_deref(), field(&resp).as_deref()),
            (Some("INVALID_INPUT"), Some(bad_field)),
            "{query} {vars}: {resp}"
        );
    }

    // Nothing was stored.
    let state = op
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Case { encounters { edges { node { occurredAt } } } interventions { edges { node { doneAt } } } plan { reviewOn steps { id } } } } \
               persons { edges { node { id } } } appointments { edges { node { id } } } }",
            json!({ "id": s.case }),
        )
        .await;
    let encounters = state["node"]["encounters"]["edges"]
        .as_array()
        .expect("encounters");
    assert_eq!(encounters.len(), 1);
    assert!(
        encounters[0]["node"]["occurredAt"]
            .as_str()
            .is_some_and(|t| t.starts_with("2026-11-20T09:30:00")),
        "{state}"
    );
    assert_eq!(
        state["node"]["interventions"]["edges"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        state["node"]["plan"],
        json!([{ "reviewOn": null, "steps": [] }])
    );
    assert_eq!(
        state["persons"]["edges"],
        json!([{ "node": { "id": s.person } }])
    );
    assert_eq!(state["appointments"]["edges"], json!([]));

    // The latest values each field accepts come back as RFC 3339 with a four-digit year.
    let last = (now + chrono::Duration::days(690 - 7))
        .format("%Y-%m-%dT10:00:00Z")
        .to_string();
    let booked = op
        .ok(
            book,
            json!({ "d": a.desk, "p": s.person, "at": last, "n": 2 }),
        )
        .await;
    let latest_plan = (now + chrono::Duration::days(5 * 365))
        .date_naive()
        .to_string();
    let plan = op
        .ok(
            "mutation($c: ID!, $d: NaiveDate) { addGoal(input: {caseId: $c, title: \"Casa\", needIds: [], reviewOn: $d}) { reviewOn } }",
            json!({ "c": s.case, "d": latest_plan }),
        )
        .await;
    assert!(is_rfc3339(&plan["addGoal"]["reviewOn"], true), "{plan}");
    let created = op
        .ok(
            "mutation($i: PersonInput!) { createPerson(input: $i) { createdAt updatedAt legalStatus { expiry } } }",
            person(json!({ "year": 1900 }), json!((now + chrono::Duration::days(29 * 365)).date_naive().to_string())),
        )
        .await;
    assert!(
        is_rfc3339(&created["createPerson"]["legalStatus"]["expiry"], true),
        "{created}"
    );
    for key in ["createdAt", "updatedAt"] {
        assert!(
            is_rfc3339(&created["createPerson"][key], false),
            "{created}"
        );
    }
    for occurrence in booked["bookAppointment"].as_array().expect("list") {
        for key in ["startsAt", "endsAt", "remindAt"] {
            assert!(is_rfc3339(&occurrence[key], false), "{occurrence}");
        }
    }
    let case = op
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Case { openedAt encounters { edges { node { occurredAt } } } needs { edges { node { notedAt } } } interventions { edges { node { doneAt } } } } } }",
            json!({ "id": s.case }),
        )
        .await;
    let node = &case["node"];
    assert!(is_rfc3339(&node["openedAt"], false), "{case}");
    assert!(is_rfc3339(
        &node["encounters"]["edges"][0]["node"]["occurredAt"],
        false
    ));
    assert!(is_rfc3339(
        &node["needs"]["edges"][0]["node"]["notedAt"],
        false
    ));
    assert!(is_rfc3339(
        &node["interventions"]["edges"][0]["node"]["doneAt"],
        false
    ));

    // The other tenant sees none of it.
    let theirs = op_b
        .ok(
            "{ persons { edges { node { id } } } appointments { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        theirs,
        json!({ "persons": { "edges": [] }, "appointments": { "edges": [] } })
    );
}

on_backends!(dates_out_of_range_are_refused_and_change_nothing);

async fn duplicates_are_found_across_spellings_and_scripts(backend: Backend, topology: Topology) {
    let (app, a) = spawn_alfa(backend, topology).await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    for (given, family) in [
        ("Mohamed", "Haddad"),
        ("Андрій", "Шевченко"),
        ("Fatima", "Diallo"),
        ("Ion", "Popescu"),
    ] {
        op.ok(PERSON, json!({ "i": { "givenNames": given, "familyNames": family, "territoryCode": "052022" } })).await;
    }
    let search = "query($g: String!, $f: String!) { personDuplicates(givenNames: $g, familyNames: $f) { score person { givenNames familyNames latinGivenNames } } }";
    for (given, family, expected) in [
        ("Muhammad", "Haddad", "Haddad"),
        ("محمد", "حداد", "Haddad"),
        ("Andriy", "Shevchenko", "Шевченко"),
        ("Fatma", "Diallo", "Diallo"),
    ] {
        let found = op.ok(search, json!({ "g": given, "f": family })).await;
        let first = &found["personDuplicates"][0]["person"]["familyNames"];
        assert_eq!(first, expected, "{given} {family}: {found}");
    }
    let none = op
        .ok(search, json!({ "g": "Giulia", "f": "Bianchi" }))
        .await;
    assert_eq!(none["personDuplicates"], json!([]));
    let latin = op
        .ok(
            "{ persons { edges { node { latinGivenNames latinFamilyNames } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        latin["persons"]["edges"][1]["node"],
        json!({ "latinGivenNames": "Andrii", "latinFamilyNames": "Shevchenko" })
    );
}

on_backends!(duplicates_are_found_across_spellings_and_scripts);

pub(crate) async fn rows(conn: &sea_orm::DatabaseConnection, sql: &str) -> Vec<String> {
    let backend = conn.get_database_backend();
    conn.query_all_raw(Statement::from_string(backend, sql))
        .await
        .expect(sql)
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("text"))
        .collect()
}

/// Every audit entry, sealed (`audit_log`) or waiting for the sealer (`audit_pending`), as a
/// table of `action`, `object_type`, `fields` and `at`, for `FROM`.
pub(crate) fn all_audit_entries(schema: &str) -> String {
    format!(
        "(SELECT action, object_type, fields, at FROM {schema}audit_log \
         UNION ALL SELECT action, object_type, fields, at FROM {schema}audit_pending) AS entries"
    )
}

pub(crate) fn audit_verify(app: &TestApp) -> (bool, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sportello"));
    cmd.args(["audit", "verify"])
        .env("SPORTELLO_DATA_DIR", &app.config.data_dir)
        .env("SPORTELLO_LOG_LEVEL", "warn");
    if let Some(url) = &app.config.database_url {
        cmd.env("SPORTELLO_DATABASE_URL", url);
    }
    let out = cmd.output().expect("run sportello audit verify");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

async fn the_audit_chain_and_the_outbox_hold(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let s = story(&op_a, "Amina", "El Idrissi", "052022").await;
    story(&op_b, "Olena", "Kovalenko", "048017").await;
    op_a.ok(
        "query($id: ID!) { node(id: $id) { ... on Person { givenNames } } }",
        json!({ "id": s.person }),
    )
    .await;
    let (conn, schema) = app.store_owner(backend, "cases").await;

    // Reads and changes are in the log, by field name and never by value.
    let actions = rows(
        &conn,
        &format!(
            "SELECT action || ':' || object_type || ':' || fields FROM {} ORDER BY at",
            all_audit_entries(&schema)
        ),
    )
    .await;
    assert!(
        actions.iter().any(|a| a.starts_with("read:person:names")),
        "{actions:?}"
    );
    assert!(
        actions.iter().any(|a| a.starts_with("create:case:")),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .all(|a| !a.contains("Amina") && !a.contains("Idrissi"))
    );
    let (ok, report) = audit_verify(&app);
    assert!(ok, "{report}");
    assert!(report.contains("2 tenants"), "{report}");

    // The outbox: committed changes only, and nothing that identifies a person.
    let events = rows(
        &conn,
        &format!("SELECT payload FROM {schema}outbox ORDER BY id"),
    )
    .await;
    let types: Vec<String> = events
        .iter()
        .map(|p| {
            serde_json::from_str::<Value>(p).expect("json")["type"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        types,
        [
            "case_opened",
            "need_recorded",
            "intervention_done",
            "case_opened",
            "need_recorded",
            "intervention_done"
        ]
    );
    op_a.refused(
        "mutation($id: ID!) { changeCaseStatus(id: $id, expectedVersion: 1, to: MONITORING) { id } }",
        json!({ "id": s.case }),
        "CONFLICT",
    )
    .await;
    assert_eq!(
        rows(&conn, &format!("SELECT payload FROM {schema}outbox"))
            .await
            .len(),
        6
    );
    for payload in &events {
        let event = assert_no_personal_data(payload, &[]);
        assert_eq!(event["ageBand"], "35-44");
        assert!(event["person"].as_str().is_some_and(|p| p.len() >= 40));
    }

    // Tampering: alter one entry, then delete one; verification names the entry.
    let tamper = match backend {
        Backend::Sqlite => vec![
            "DROP TRIGGER audit_log_no_update".to_owned(),
            "UPDATE audit_log SET fields = 'names' WHERE seq = 3 AND tenant_id = (SELECT tenant_id FROM audit_log ORDER BY seq LIMIT 1)".to_owned(),
        ],
        // One statement batch, so the setting and the update share a connection.
        Backend::Postgres => vec![
            "BEGIN; SET LOCAL session_replication_role = replica; \
             UPDATE cases.audit_log SET fields = 'names' WHERE seq = 3 AND tenant_id = (SELECT tenant_id FROM cases.audit_log ORDER BY at LIMIT 1); \
             COMMIT;"
                .to_owned(),
        ],
    };
    for sql in &tamper {
        conn.execute_unprepared(sql).await.expect("tamper");
    }
    let (ok, report) = audit_verify(&app);
    assert!(!ok, "verification passed after an alteration: {report}");
    assert!(report.contains("audit entry 3 altered"), "{report}");
}

on_backends!(the_audit_chain_and_the_outbox_hold);

/// Listing what a case, a person or a household holds is audited like reading the person: one
/// entry per person and request, naming every part read, in the reader's tenant; a read refused
/// for another tenant's object writes none.
async fn every_list_of_a_persons_record_is_audited(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let s = story(&op_a, "Amina", "El Idrissi", "052022").await;
    let theirs = story(&op_b, "Olena", "Kovalenko", "048017").await;
    op_a.ok(
        "mutation($c: ID!) { addGoal(input: {caseId: $c, title: \"Rinnovo del permesso\", needIds: []}) { id } }",
        json!({ "c": s.case }),
    )
    .await;
    let mut households = Vec::new();
    for (op, person, istat) in [
        (&op_a, &s.person, "052022"),
        (&op_b, &theirs.person, "048017"),
    ] {
        let h = op
            .id(
                "mutation($t: String!) { createHousehold(label: \"Famiglia\", territoryCode: $t) { id } }",
                json!({ "t": istat }),
            )
            .await;
        op.ok(
            "mutation($h: ID!, $p: ID!) { addHouseholdMember(householdId: $h, personId: $p, role: HEAD) { minors } }",
            json!({ "h": h, "p": person }),
        )
        .await;
        households.push(h);
    }
    let (conn, schema) = app.store_owner(backend, "cases").await;
    // Entries of `object` whose fields name `part` (every entry when `part` is empty).
    let entries = async |object: &str, part: &str| {
        rows(
            &conn,
            &format!(
                "SELECT action || ':' || object_type || ':' || fields FROM {}",
                all_audit_entries(&schema)
            ),
        )
        .await
        .into_iter()
        .filter(|e| {
            let prefix = format!("read:{object}:");
            part.is_empty()
                || e.strip_prefix(&prefix)
                    .is_some_and(|fields| fields.split(',').any(|f| f == part))
        })
        .count()
    };
    // Each query, the object and part its entry names: one entry in all, even where the query
    // reads the person's record and a list of it together.
    let reads = [
        (
            "case",
            "encounters { nodes { id } }",
            "person",
            "encounters",
        ),
        ("case", "needs { nodes { id code } }", "person", "needs"),
        (
            "case",
            "interventions { nodes { id } }",
            "person",
            "interventions",
        ),
        ("case", "referrals { nodes { id } }", "person", "referrals"),
        ("case", "plan { id title steps { id } }", "person", "plan"),
        (
            "case",
            "person { givenNames } needs { nodes { id } } encounters(first: 5) { nodes { id } }",
            "person",
            "encounters",
        ),
        (
            "person",
            "givenNames consents { purpose given }",
            "person",
            "consent",
        ),
        (
            "household",
            "members { role minor } minors",
            "household",
            "members",
        ),
    ];
    for (object, selection, audited, part) in reads {
        let (id, other, on) = match object {
            "case" => (&s.case, &theirs.case, "Case"),
            "person" => (&s.person, &theirs.person, "Person"),
            _ => (&households[0], &households[1], "Household"),
        };
        let query =
            format!("query($id: ID!) {{ node(id: $id) {{ ... on {on} {{ {selection} }} }} }}");
        let (all, named) = (entries("", "").await, entries(audited, part).await);
        let data = op_a.ok(&query, json!({ "id": id })).await;
        assert!(!data["node"].is_null(), "{data}");
        assert_eq!(entries(audited, part).await, named + 1, "{selection}");
        assert_eq!(entries("", "").await, all + 1, "{selection}: one entry");
        // The other tenant's operator finds nothing, and nothing is written.
        let refused = op_b.gql(&query, json!({ "id": id })).await;
        assert!(refused["data"]["node"].is_null(), "{refused}");
        assert_eq!(entries("", "").await, all + 1, "{selection}: refused read");
        // Their own reads are audited in their own chain.
        op_b.ok(&query, json!({ "id": other })).await;
        assert_eq!(entries(audited, part).await, named + 2, "{selection}");
    }
    let (ok, report) = audit_verify(&app);
    assert!(ok, "{report}");
    assert!(report.contains("2 tenants"), "{report}");
}

on_backends!(every_list_of_a_persons_record_is_audited);

/// An organisation and a housing service in the tenant's directory; returns the service's id.
pub(crate) async fn directory(t: &Seeded) -> String {
    let org = t
        .admin
        .id("mutation { addOrganization(input: {name: \"Caritas\", email: \"info@caritas.example.org\"}) { id } }", json!({}))
        .await;
    t.admin
        .id(
            "mutation($o: ID!, $t: ID!) { addDirectoryService(input: {organizationId: $o, territoryId: $t, name: \"Emergenza abitativa\", categories: [\"housing\"], languages: [\"it\", \"fr\"]}) { id categories territory { istatCode } } }",
            json!({ "o": org, "t": t.territory }),
        )
        .await
}

async fn referrals_need_sharing_consent_or_a_coordinators_override(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let service = directory(&a).await;
    let their_service = directory(&b).await;
    let listed = op
        .ok(
            "{ directoryServices(category: \"housing\") { edges { node { id name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["directoryServices"]["edges"],
        json!([{ "node": { "id": service, "name": "Emergenza abitativa" } }])
    );
    let s = story(&op, "Amina", "El Idrissi", "052022").await;
    let send = "mutation($c: ID!, $s: ID!, $n: [ID!]!, $r: String) { sendReferral(input: {caseId: $c, serviceId: $s, needIds: $n, overrideReason: $r}) { id status overrideReason service { name } } }";

    // No sharing consent: refused; an operator cannot override; a coordinator can, with a reason.
    let refused = op
        .gql(send, json!({ "c": s.case, "s": service, "n": [s.need] }))
        .await;
    assert_eq!(code(&refused).as_deref(), Some("CONFLICT"), "{refused}");
    // The refusal names the input that resolves it: a coordinator's override reason.
    assert_eq!(
        field(&refused).as_deref(),
        Some("overrideReason"),
        "{refused}"
    );
    op.refused(
        send,
        json!({ "c": s.case, "s": service, "n": [s.need], "r": "urgente" }),
        "FORBIDDEN",
    )
    .await;
    let token = a
        .admin
        .invite(json!({ "email": "coord@alfa.example.org", "roles": ["COORDINATOR"] }))
        .await;
    let (coordinator, _) = app
        .accepting(&token, "Piazza-del-Campo-26", "Coordinatrice")
        .await;
    let overridden = coordinator
        .ok(send, json!({ "c": s.case, "s": service, "n": [s.need], "r": "persona senza dimora, rischio immediato" }))
        .await;
    assert_eq!(
        overridden["sendReferral"]["overrideReason"],
        "persona senza dimora, rischio immediato"
    );
    assert_eq!(
        overridden["sendReferral"]["service"]["name"],
        "Emergenza abitativa"
    );
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let overrides = rows(
        &conn,
        &format!(
            "SELECT object_type || ':' || fields FROM {} WHERE action = 'consent_override'",
            all_audit_entries(&schema)
        ),
    )
    .await;
    assert_eq!(overrides, ["person:referralSharing"]);

    // With consent an operator refers; another tenant's service does not exist here.
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: REFERRAL_SHARING, given: true) { given } }", json!({ "p": s.person })).await;
    let referral = op
        .ok(send, json!({ "c": s.case, "s": service, "n": [] }))
        .await;
    assert_eq!(referral["sendReferral"]["overrideReason"], Value::Null);
    let referral = referral["sendReferral"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let foreign = op
        .gql(send, json!({ "c": s.case, "s": their_service, "n": [] }))
        .await;
    let missing = op
        .gql(
            send,
            json!({ "c": s.case, "s": forge_missing(&their_service), "n": [] }),
        )
        .await;
    assert_eq!(field(&foreign).as_deref(), Some("serviceId"));
    assert_eq!(foreign, missing);

    // A closed case refuses a referral, naming the case; the other tenant's operator is told
    // only that there is no such case, not that it is closed.
    let closed = story_with_cf(&op, "Youssef", "Benali", "052022", None).await;
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: REFERRAL_SHARING, given: true) { given } }", json!({ "p": closed.person })).await;
    op.ok(
        "mutation($c: ID!) { changeCaseStatus(id: $c, expectedVersion: 1, to: CLOSED, outcome: \"autonomy_reached\") { status } }",
        json!({ "c": closed.case }),
    )
    .await;
    let on_closed = op
        .gql(send, json!({ "c": closed.case, "s": service, "n": [] }))
        .await;
    assert_eq!(code(&on_closed).as_deref(), Some("CONFLICT"), "{on_closed}");
    assert_eq!(field(&on_closed).as_deref(), Some("caseId"), "{on_closed}");
    let op_beta = operator(&app, &b, "op@beta.example.org", &[]).await;
    let from_beta = op_beta
        .gql(
            send,
            json!({ "c": closed.case, "s": their_service, "n": [] }),
        )
        .await;
    assert_eq!(
        code(&from_beta).as_deref(),
        Some("INVALID_INPUT"),
        "{from_beta}"
    );
    assert_eq!(field(&from_beta).as_deref(), Some("caseId"), "{from_beta}");

    // Sent → rejected; a rejected referral cannot be completed, and stays rejected.
    let change = "mutation($id: ID!, $to: ReferralStatus!, $f: String, $v: Int! = 1) { changeReferralStatus(id: $id, expectedVersion: $v, to: $to, feedback: $f) { status feedback } }";
    op.refused(
        change,
        json!({ "id": referral, "to": "COMPLETED" }),
        "CONFLICT",
    )
    .await;
    op.ok(
        change,
        json!({ "id": referral, "to": "REJECTED", "f": "nessun posto disponibile" }),
    )
    .await;
    op.refused(
        change,
        json!({ "id": referral, "to": "COMPLETED", "v": 2 }),
        "CONFLICT",
    )
    .await;
    let listed = op.ok("query($id: ID!) { node(id: $id) { ... on Case { referrals { edges { node { status feedback } } } } } }", json!({ "id": s.case })).await;
    assert_eq!(
        listed["node"]["referrals"]["edges"],
        json!([{ "node": { "status": "SENT", "feedback": null } }, { "node": { "status": "REJECTED", "feedback": "nessun posto disponibile" } }])
    );

    // The plan: a goal linked to the need, a step owned by the person (dates ahead: a plan date
    // is not in the past).
    let (review_on, due_on) = (
        crate::helpers::days_ahead(40),
        crate::helpers::days_ahead(4),
    );
    let goal = op
        .id(
            "mutation($c: ID!, $n: ID!, $d: NaiveDate) { addGoal(input: {caseId: $c, title: \"Rinnovo del permesso\", needIds: [$n], reviewOn: $d}) { id status } }",
            json!({ "c": s.case, "n": s.need, "d": review_on }),
        )
        .await;
    let step = op
        .id(
            "mutation($g: ID!, $d: NaiveDate) { addStep(input: {goalId: $g, title: \"Raccogliere le buste paga\", owner: PERSON, dueOn: $d}) { id status } }",
            json!({ "g": goal, "d": due_on }),
        )
        .await;
    op.ok(
        "mutation($id: ID!) { changeStepStatus(id: $id, expectedVersion: 1, status: DONE) { status } }",
        json!({ "id": step }),
    )
    .await;
    op.ok(
        "mutation($id: ID!) { updateGoal(id: $id, expectedVersion: 1, status: ACHIEVED) { status } }",
        json!({ "id": goal }),
    )
    .await;
    let plan = op
        .ok("query($id: ID!) { node(id: $id) { ... on Case { plan { title status reviewOn steps { title owner dueOn status } } } } }", json!({ "id": s.case }))
        .await;
    assert_eq!(
        plan["node"]["plan"],
        json!([{ "title": "Rinnovo del permesso", "status": "ACHIEVED", "reviewOn": review_on,
                 "steps": [{ "title": "Raccogliere le buste paga", "owner": "PERSON", "dueOn": due_on, "status": "DONE" }] }])
    );
    // Another tenant cannot add to this plan.
    let op_b = op_beta;
    let q =
        "mutation($g: ID!) { addStep(input: {goalId: $g, title: \"x\", owner: OPERATOR}) { id } }";
    let theirs = op_b.gql(q, json!({ "g": goal })).await;
    let missing = op_b.gql(q, json!({ "g": forge_missing(&goal) })).await;
    assert_eq!(field(&theirs).as_deref(), Some("goalId"));
    assert_eq!(theirs, missing);
}

on_backends!(referrals_need_sharing_consent_or_a_coordinators_override);

async fn appointments_are_never_double_booked(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let colleague = operator(&app, &a, "op2@alfa.example.org", &[]).await;
    let s = story(&op, "Amina", "El Idrissi", "052022").await;
    let t = story_with_cf(&colleague, "Olena", "Kovalenko", "052022", None).await;
    let other_desk = a
        .admin
        .id("mutation($t: ID!) { addDesk(input: {territoryId: $t, name: \"Sportello 2\", kind: FIXED}) { id } }", json!({ "t": a.territory }))
        .await;
    let monday = (chrono::Utc::now() + chrono::Duration::days(7))
        .format("%Y-%m-%dT10:00:00Z")
        .to_string();
    let book = "mutation($d: ID!, $p: ID!, $at: DateTime!, $n: Int!) { bookAppointment(input: {deskId: $d, personId: $p, startsAt: $at, durationMinutes: 45, occurrences: $n, remindHoursBefore: 24}) { id startsAt seriesId remindAt status durationMinutes } }";
    let count = |c: &Client| {
        let c = Client {
            http: c.http.clone(),
            url: c.url.clone(),
            csrf: c.csrf.clone(),
        };
        async move {
            let data = c
                .ok(
                    "{ appointments(first: 100) { edges { node { status } } } }",
                    json!({}),
                )
                .await;
            data["appointments"]["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .filter(|e| e["node"]["status"] == "BOOKED")
                .count()
        }
    };

    // A weekly series of three personalised interviews, each with its reminder.
    let series = op
        .ok(
            book,
            json!({ "d": a.desk, "p": s.person, "at": monday, "n": 3 }),
        )
        .await;
    let series = series["bookAppointment"].as_array().expect("list").clone();
    assert_eq!(series.len(), 3);
    assert!(series.iter().all(|x| x["seriesId"] == series[0]["seriesId"]
        && x["durationMinutes"] == 45
        && x["status"] == "BOOKED"
        && !x["remindAt"].is_null()));
    assert_eq!(count(&op).await, 3);

    // The slot is taken: by the desk (another operator, another person) and by the operator
    // (at another desk). A series that collides in its second week books nothing at all.
    let taken = colleague
        .gql(
            book,
            json!({ "d": a.desk, "p": t.person, "at": monday, "n": 1 }),
        )
        .await;
    assert_eq!(code(&taken).as_deref(), Some("CONFLICT"), "{taken}");
    assert_eq!(field(&taken).as_deref(), Some("startsAt"));
    op.refused(
        book,
        json!({ "d": other_desk, "p": t.person, "at": monday, "n": 1 }),
        "CONFLICT",
    )
    .await;
    let overlapping = colleague
        .gql(
            book,
            json!({ "d": a.desk, "p": t.person, "at": series[1]["startsAt"], "n": 2 }),
        )
        .await;
    assert_eq!(code(&overlapping).as_deref(), Some("CONFLICT"));
    assert_eq!(count(&op).await, 3);
    op.refused_on(
        book,
        json!({ "d": a.desk, "p": s.person, "at": "2020-01-06T10:00:00Z", "n": 1 }),
        "startsAt",
    )
    .await;

    // Another tenant's desk or person does not exist here.
    let q = "mutation($d: ID!, $p: ID!, $at: DateTime!) { bookAppointment(input: {deskId: $d, personId: $p, startsAt: $at, durationMinutes: 30}) { id } }";
    let in_a_year = (chrono::Utc::now() + chrono::Duration::days(365))
        .format("%Y-%m-%dT10:00:00Z")
        .to_string();
    let foreign = op
        .gql(q, json!({ "d": b.desk, "p": s.person, "at": in_a_year }))
        .await;
    let missing = op
        .gql(
            q,
            json!({ "d": forge_missing(&b.desk), "p": s.person, "at": in_a_year }),
        )
        .await;
    assert_eq!(field(&foreign).as_deref(), Some("deskId"));
    assert_eq!(foreign, missing);

    // Cancelling the second occurrence and the following ones frees their slots.
    let cancelled = op
        .ok(
            "mutation($id: ID!) { cancelAppointment(id: $id, following: true) { status } }",
            json!({ "id": series[1]["id"] }),
        )
        .await;
    assert_eq!(
        cancelled["cancelAppointment"],
        json!([{ "status": "CANCELLED" }, { "status": "CANCELLED" }])
    );
    op.refused(
        "mutation($id: ID!) { cancelAppointment(id: $id) { status } }",
        json!({ "id": series[1]["id"] }),
        "CONFLICT",
    )
    .await;
    assert_eq!(count(&op).await, 1);
    colleague
        .ok(
            book,
            json!({ "d": a.desk, "p": t.person, "at": series[1]["startsAt"], "n": 1 }),
        )
        .await;
    assert_eq!(count(&op).await, 2);

    // Concurrent requests that overlap without sharing a start (so no unique index can catch
    // them) still book the operator once: six 45-minute bookings 5 minutes apart, all at once.
    let later = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive();
    let attempts = (0..6).map(|i| {
        let c = Client {
            http: op.http.clone(),
            url: op.url.clone(),
            csrf: op.csrf.clone(),
        };
        let at = format!("{later}T09:{:02}:00Z", i * 5);
        let desk = if i % 2 == 0 {
            a.desk.clone()
        } else {
            other_desk.clone()
        };
        let person = s.person.clone();
        tokio::spawn(async move {
            c.gql(book, json!({ "d": desk, "p": person, "at": at, "n": 1 }))
                .await
        })
    });
    let mut booked = 0;
    for attempt in attempts.collect::<Vec<_>>() {
        let answer = attempt.await.expect("task");
        match code(&answer).as_deref() {
            None => booked += 1,
            Some("CONFLICT") => {}
            other => panic!("unexpected answer {other:?}: {answer}"),
        }
    }
    assert_eq!(
        booked, 1,
        "exactly one of the overlapping bookings is taken"
    );
    assert_eq!(count(&op).await, 3);
}

on_backends!(appointments_are_never_double_booked);

async fn households_group_persons_and_count_minors(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op, op_b) = operators(&app, &a, &b).await;
    let mut ids = Vec::new();
    for (given, year) in [("Aziz", 1984), ("Samira", 1988), ("Yasmine", 2015)] {
        let p = op
            .ok(PERSON, json!({ "i": { "givenNames": given, "familyNames": "Bennani", "territoryCode": "052022", "birth": { "year": year } } }))
            .await;
        ids.push(p["createPerson"]["id"].as_str().expect("id").to_owned());
    }
    let h = op
        .id("mutation { createHousehold(label: \"Famiglia Bennani\", territoryCode: \"052022\") { id } }", json!({}))
        .await;
    let add = "mutation($h: ID!, $p: ID!, $r: HouseholdRole!) { addHouseholdMember(householdId: $h, personId: $p, role: $r) { members { role minor } minors } }";
    op.ok(add, json!({ "h": h, "p": ids[0], "r": "HEAD" }))
        .await;
    op.ok(add, json!({ "h": h, "p": ids[1], "r": "PARTNER" }))
        .await;
    let full = op
        .ok(add, json!({ "h": h, "p": ids[2], "r": "CHILD" }))
        .await;
    assert_eq!(full["addHouseholdMember"]["minors"], 1);
    assert_eq!(
        full["addHouseholdMember"]["members"],
        json!([{ "role": "HEAD", "minor": false }, { "role": "PARTNER", "minor": false }, { "role": "CHILD", "minor": true }])
    );
    let via_person = op
        .ok("query($id: ID!) { node(id: $id) { ... on Person { household { label members { person { givenNames } } } } } }", json!({ "id": ids[2] }))
        .await;
    assert_eq!(via_person["node"]["household"]["label"], "Famiglia Bennani");
    assert_eq!(
        via_person["node"]["household"]["members"][2]["person"]["givenNames"],
        "Yasmine"
    );
    // Another tenant can neither see the household nor put its own people in it.
    op_b.refused(
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": h }),
        "NOT_FOUND",
    )
    .await;
    let own = op_b
        .id(PERSON, json!({ "i": { "givenNames": "Ion", "familyNames": "Popescu", "territoryCode": "048017" } }))
        .await;
    let foreign = op_b
        .gql(add, json!({ "h": h, "p": own, "r": "OTHER" }))
        .await;
    let missing = op_b
        .gql(
            add,
            json!({ "h": forge_missing(&h), "p": own, "r": "OTHER" }),
        )
        .await;
    assert_eq!(code(&foreign).as_deref(), Some("NOT_FOUND"));
    assert_eq!(foreign, missing);
    // Leaving the household.
    op.ok(
        "mutation($p: ID!) { removeHouseholdMember(personId: $p) }",
        json!({ "p": ids[1] }),
    )
    .await;
    op.refused(
        "mutation($p: ID!) { removeHouseholdMember(personId: $p) }",
        json!({ "p": ids[1] }),
        "CONFLICT",
    )
    .await;
    let left = op
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Household { members { role } } } }",
            json!({ "id": h }),
        )
        .await;
    assert_eq!(
        left["node"]["members"],
        json!([{ "role": "HEAD" }, { "role": "CHILD" }])
    );
}

on_backends!(households_group_persons_and_count_minors);

async fn need_types_extend_the_taxonomy_per_tenant(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let story_a = story(&op_a, "Amina", "El Idrissi", "052022").await;
    let story_b = story(&op_b, "Olena", "Kovalenko", "048017").await;
    let create = "mutation($code: String!, $label: String!, $cat: NeedCode!) { createNeedType(code: $code, label: $label, category: $cat) { id code label category retired } }";
    let list = "{ needTypes { code label category retired } }";
    let record = "mutation($c: ID!, $code: NeedCode!, $t: String) { recordNeed(caseId: $c, code: $code, source: DETECTED, typeCode: $t) { code typeCode source } }";

    let created = a
        .admin
        .ok(
            create,
            json!({ "code": "housing_emergency", "label": "Emergenza abitativa", "cat": "HOUSING" }),
        )
        .await;
    let housing_emergency = created["createNeedType"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(created["createNeedType"]["category"], "HOUSING");

    // Bad input is refused with the field named, and changes nothing.
    for (vars, bad_field) in [
        (
            json!({ "code": "Casa Emergenza", "label": "x", "cat": "HOUSING" }),
            "code",
        ),
        (
            json!({ "code": "x", "label": "x", "cat": "HOUSING" }),
            "code",
        ),
        (
            json!({ "code": "casa2", "label": "  ", "cat": "HOUSING" }),
            "label",
        ),
    ] {
        let refused = a.admin.gql(create, vars).await;
        assert_eq!(field(&refused).as_deref(), Some(bad_field), "{refused}");
    }
    let twice = a
        .admin
        .gql(
            create,
            json!({ "code": "housing_emergency", "label": "Again", "cat": "WORK" }),
        )
        .await;
    assert_eq!(code(&twice).as_deref(), Some("CONFLICT"));
    assert_eq!(field(&twice).as_deref(), Some("code"));
    op_a.refused(
        create,
        json!({ "code": "mine", "label": "Mine", "cat": "WORK" }),
        "FORBIDDEN",
    )
    .await;
    assert_eq!(
        op_a.ok(list, json!({})).await["needTypes"],
        json!([{ "code": "housing_emergency", "label": "Emergenza abitativa", "category": "HOUSING", "retired": false }])
    );

    // Operators record needs of the type, within its category only.
    let recorded = op_a
        .ok(
            record,
            json!({ "c": story_a.case, "code": "HOUSING", "t": "housing_emergency" }),
        )
        .await;
    assert_eq!(
        recorded["recordNeed"],
        json!({ "code": "HOUSING", "typeCode": "housing_emergency", "source": "DETECTED" })
    );
    op_a.refused_on(
        record,
        json!({ "c": story_a.case, "code": "WORK", "t": "housing_emergency" }),
        "typeCode",
    )
    .await;

    // Tenant B sees none of it, cannot use A's type, and cannot touch it by id.
    assert_eq!(b.admin.ok(list, json!({})).await["needTypes"], json!([]));
    let foreign = op_b
        .gql(
            record,
            json!({ "c": story_b.case, "code": "HOUSING", "t": "housing_emergency" }),
        )
        .await;
    let unknown = op_b
        .gql(
            record,
            json!({ "c": story_b.case, "code": "HOUSING", "t": "never_defined" }),
        )
        .await;
    assert_eq!(field(&foreign).as_deref(), Some("typeCode"));
    assert_eq!(foreign, unknown);
    let retire = "mutation($id: ID!) { updateNeedType(id: $id, expectedVersion: 1, retired: true) { code retired } }";
    same_as_missing(&b.admin, retire, "id", &housing_emergency, "NOT_FOUND").await;
    // B may define the same code for itself.
    b.admin
        .ok(
            create,
            json!({ "code": "housing_emergency", "label": "Housing emergency", "cat": "HOUSING" }),
        )
        .await;
    assert_eq!(
        op_a.ok(list, json!({})).await["needTypes"][0]["label"],
        "Emergenza abitativa"
    );

    // A retired type stays on past needs and can no longer be chosen.
    let retired = a.admin.ok(retire, json!({ "id": housing_emergency })).await;
    assert_eq!(retired["updateNeedType"]["retired"], true);
    op_a.refused_on(
        record,
        json!({ "c": story_a.case, "code": "HOUSING", "t": "housing_emergency" }),
        "typeCode",
    )
    .await;
    let needs = op_a
        .ok(
            "query($c: ID!) { node(id: $c) { ... on Case { needs(first: 10) { edges { node { typeCode } } } } } }",
            json!({ "c": story_a.case }),
        )
        .await;
    let typed: Vec<_> = needs["node"]["needs"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["node"]["typeCode"] == "housing_emergency")
        .collect();
    assert_eq!(typed.len(), 1);

    // A person's cases, by person; another tenant's person has none here.
    let of_person =
        "query($p: ID!) { cases(first: 10, filter: {personId: $p}) { edges { node { id } } } }";
    let mine = op_a.ok(of_person, json!({ "p": story_a.person })).await;
    assert_eq!(
        mine["cases"]["edges"],
        json!([{ "node": { "id": story_a.case } }])
    );
    let theirs = op_a.ok(of_person, json!({ "p": story_b.person })).await;
    assert_eq!(theirs["cases"]["edges"], json!([]));

    // An existing account invited by a second tenant starts working in that tenant.
    let token = b
        .admin
        .invite(json!({ "email": "op@alfa.example.org", "roles": ["OPERATOR"] }))
        .await;
    let (_again, accepted) = app
        .accepting(&token, "Sportello-Operatore-2026", "Operatore")
        .await;
    assert_eq!(
        accepted["data"]["acceptInvitation"]["activeTenant"]["name"], "Beta",
        "{accepted}"
    );
}

on_backends!(need_types_extend_the_taxonomy_per_tenant);

/// A change whose transaction fails after its event was written to the outbox leaves no event
/// (and no change). The failure is forced by a trigger: on PostgreSQL a deferred constraint
/// trigger that fires at commit, after every statement of the change has run; on SQLite a
/// trigger that aborts the event's insert.
async fn a_rolled_back_change_leaves_no_event(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let s = story(&op_a, "Amina", "El Idrissi", "052022").await;
    story(&op_b, "Olena", "Kovalenko", "048017").await;
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let count = |table: &'static str| {
        let conn = conn.clone();
        let schema = schema.clone();
        async move {
            rows(
                &conn,
                &if table == "audit" {
                    format!(
                        "SELECT CAST(COUNT(*) AS TEXT) FROM {}",
                        all_audit_entries(&schema)
                    )
                } else {
                    format!("SELECT CAST(COUNT(*) AS TEXT) FROM {schema}{table}")
                },
            )
            .await
            .join("")
        }
    };
    let before = (
        count("outbox").await,
        count("cases").await,
        count("audit").await,
    );
    let fail_on_case_closed = match backend {
        Backend::Postgres => vec![
            "CREATE FUNCTION cases.fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$",
            "CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON cases.outbox DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.event_type = 'case_closed') EXECUTE FUNCTION cases.fail_at_commit()",
        ],
        Backend::Sqlite => vec![
            "CREATE TRIGGER fail_at_commit AFTER INSERT ON outbox WHEN NEW.event_type = 'case_closed' BEGIN SELECT RAISE(ABORT, 'forced failure'); END",
        ],
    };
    for sql in &fail_on_case_closed {
        conn.execute_unprepared(sql).await.expect(sql);
    }
    let close = "mutation($c: ID!) { changeCaseStatus(id: $c, expectedVersion: 1, to: CLOSED, outcome: \"autonomy_reached\") { status } }";
    let failed = op_a.gql(close, json!({ "c": s.case })).await;
    assert_eq!(code(&failed).as_deref(), Some("INTERNAL"), "{failed}");
    assert!(
        !failed.to_string().contains("forced failure"),
        "database text leaked: {failed}"
    );
    let after = (
        count("outbox").await,
        count("cases").await,
        count("audit").await,
    );
    assert_eq!(before, after, "the failed change left something behind");
    let status = op_a
        .ok(
            "query($c: ID!) { node(id: $c) { ... on Case { status } } }",
            json!({ "c": s.case }),
        )
        .await;
    assert_ne!(status["node"]["status"], "CLOSED");
    assert_eq!(
        rows(
            &conn,
            &format!("SELECT event_type FROM {schema}outbox WHERE event_type = 'case_closed'")
        )
        .await
        .len(),
        0
    );

    // Once the fault is gone the same change commits with exactly one event.
    conn.execute_unprepared(match backend {
        Backend::Postgres => "DROP TRIGGER fail_at_commit ON cases.outbox",
        Backend::Sqlite => "DROP TRIGGER fail_at_commit",
    })
    .await
    .expect("drop trigger");
    op_a.ok(close, json!({ "c": s.case })).await;
    assert_eq!(
        rows(
            &conn,
            &format!("SELECT event_type FROM {schema}outbox WHERE event_type = 'case_closed'")
        )
        .await,
        vec!["case_closed".to_owned()]
    );
}

on_backends!(a_rolled_back_change_leaves_no_event);

/// A codice fiscale held by a person followed in another territory is refused to an operator
/// limited to 052022 exactly as one held by a person they can see: the same code, field and
/// message, naming no person and no territory. The attempt is audited on the person it matched
/// (field name only). In the other tenant the same codice fiscale is free.
async fn a_codice_fiscale_refusal_tells_nothing_about_other_territories(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    a.admin
        .ok("mutation { addTerritory(input: {istatCode: \"052028\", name: \"San Gimignano\"}) { id } }", json!({}))
        .await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let limited = operator(&app, &a, "siena@alfa.example.org", &["052022"]).await;
    let op_b = operator(&app, &b, "op@beta.example.org", &[]).await;
    let elsewhere = "TSFSLM50A41Z315N";
    let mine = "BNCLRA90E45Z330Q";
    story_with_cf(&op, "Selam", "Tesfaye", "052028", Some(elsewhere)).await;
    story_with_cf(&limited, "Amina", "Bennani", "052022", Some(mine)).await;
    let create = "mutation($i: PersonInput!) { createPerson(input: $i) { id } }";
    let attempt = |cf: &str| json!({ "i": { "givenNames": "Hiwet", "familyNames": "Tekle", "territoryCode": "052022", "codiceFiscale": cf } });
    let refusal = |resp: &Value| {
        (
            code(resp),
            field(resp),
            resp["errors"][0]["message"].as_str().map(str::to_owned),
        )
    };
    let out_of_scope = limited.gql(create, attempt(elsewhere)).await;
    let in_scope = limited.gql(create, attempt(mine)).await;
    assert_eq!(
        refusal(&out_of_scope).1.as_deref(),
        Some("codiceFiscale"),
        "{out_of_scope}"
    );
    assert_eq!(refusal(&out_of_scope), refusal(&in_scope));
    assert_eq!(code(&in_scope).as_deref(), Some("CONFLICT"), "{in_scope}");
    // The person the operator may see is pointed to; the other one is not.
    let mine_id = limited
        .edges(
            "query($f: PersonFilter) { persons(filter: $f) { edges { node { id } } } }",
            json!({ "f": { "codiceFiscale": mine } }),
        )
        .await[0]["node"]["id"]
        .clone();
    assert_eq!(in_scope["errors"][0]["extensions"]["existingId"], mine_id);
    assert!(
        out_of_scope["errors"][0]["extensions"]
            .get("existingId")
            .is_none(),
        "{out_of_scope}"
    );
    let text = out_of_scope.to_string();
    for needle in ["052028", "Gimignano", "Selam", "Tesfaye", "territor"] {
        assert!(
            !text.contains(needle),
            "the refusal says `{needle}`: {text}"
        );
    }
    // An update to the same codice fiscale is refused alike.
    let hiwet = limited
        .id(create, json!({ "i": { "givenNames": "Hiwet", "familyNames": "Tekle", "territoryCode": "052022" } }))
        .await;
    let update = "mutation($id: ID!, $cf: String!) { updatePerson(id: $id, expectedVersion: 1, input: {givenNames: \"Hiwet\", familyNames: \"Tekle\", territoryCode: \"052022\", codiceFiscale: $cf}) { id } }";
    let updated = limited
        .gql(update, json!({ "id": hiwet, "cf": elsewhere }))
        .await;
    assert_eq!(refusal(&updated), refusal(&in_scope), "{updated}");

    // Nobody was registered twice; the probing is audited, the in-scope refusal is not.
    let listed = op
        .ok(
            "{ persons(first: 50) { edges { node { codiceFiscale } } } }",
            json!({}),
        )
        .await;
    let holders = listed["persons"]["edges"]
        .as_array()
        .expect("persons")
        .iter()
        .filter(|e| e["node"]["codiceFiscale"] == elsewhere)
        .count();
    assert_eq!(holders, 1);
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let refused = rows(
        &conn,
        &format!(
            "SELECT object_type || ':' || fields FROM {} WHERE action = 'refused_duplicate'",
            all_audit_entries(&schema)
        ),
    )
    .await;
    assert_eq!(refused, ["person:codiceFiscale", "person:codiceFiscale"]);

    // The other tenant registers the same codice fiscale: tenants share nothing.
    op_b.ok(create, json!({ "i": { "givenNames": "Selam", "familyNames": "Tesfaye", "territoryCode": "048017", "codiceFiscale": elsewhere } }))
        .await;
}

on_backends!(a_codice_fiscale_refusal_tells_nothing_about_other_territories);

const PERSON_WITH_WARNINGS: &str = "mutation($i: PersonInput!) { createPerson(input: $i) { id version codiceFiscale warnings { code field personId } } }";
const BY_CODE: &str = "query($cf: String!) { persons(filter: {codiceFiscale: $cf}) { edges { node { id codiceFiscale warnings { code personId } } } } }";

/// Omocodia: the Agenzia delle Entrate gives a second person whose code would collide an
/// omocodic code. Both are stored as issued; the second is accepted with a "possibly the same
/// person" warning pointing to the first, and a lookup by either form finds both, within the
/// viewer's territories and tenant. The same code as issued is `CONFLICT` on `codiceFiscale`
/// naming the visible holder, and changes nothing.
async fn an_omocodic_code_is_stored_as_issued_and_found_by_either_form(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    a.admin
        .ok("mutation { addTerritory(input: {istatCode: \"052028\", name: \"San Gimignano\"}) { id } }", json!({}))
        .await;
    let (op, op_b) = operators(&app, &a, &b).await;
    let limited = operator(&app, &a, "siena@alfa.example.org", &["052028"]).await;
    let person = |given: &str, cf: &str| {
        json!({ "i": {
            "givenNames": given, "familyNames": "Hassan", "territoryCode": "052022",
            "birth": { "year": 1990, "month": 1, "day": 1 }, "sex": "MALE", "countryOfBirth": "MA",
            "codiceFiscale": cf,
        } })
    };
    let first = op
        .one(PERSON_WITH_WARNINGS, person("Mohamed", "HSSMMD90A01Z330I"))
        .await;
    assert_eq!(first["warnings"], json!([]), "{first}");
    let second = op
        .one(PERSON_WITH_WARNINGS, person("Mahmoud", "HSSMMD90A01Z33LL"))
        .await;
    assert_eq!(
        second["codiceFiscale"], "HSSMMD90A01Z33LL",
        "stored as issued"
    );
    assert_eq!(
        second["warnings"],
        json!([{ "code": "POSSIBLY_SAME_PERSON", "field": "codiceFiscale", "personId": first["id"] }])
    );

    // Either form finds both, pasted with separators and invisible characters too.
    for query in [
        "HSSMMD90A01Z330I",
        "hss-mmd.90a01 z33ll",
        "\u{feff}HSSMMD90A01\u{200b}Z33LL",
    ] {
        let found = op.edges(BY_CODE, json!({ "cf": query })).await;
        let mut codes: Vec<&str> = found
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["codiceFiscale"].as_str().expect("code"))
            .collect();
        codes.sort();
        assert_eq!(codes, ["HSSMMD90A01Z330I", "HSSMMD90A01Z33LL"], "{query}");
        for edge in found.as_array().expect("edges") {
            let other = if edge["node"]["id"] == first["id"] {
                &second["id"]
            } else {
                &first["id"]
            };
            assert_eq!(
                edge["node"]["warnings"],
                json!([{ "code": "POSSIBLY_SAME_PERSON", "personId": other }])
            );
        }
    }
    // Outside the viewer's territories and in another tenant: nobody.
    for other in [&limited, &op_b] {
        assert_eq!(
            other
                .edges(BY_CODE, json!({ "cf": "HSSMMD90A01Z330I" }))
                .await,
            json!([])
        );
    }
    let resp = op.gql(BY_CODE, json!({ "cf": "HSSMMD90A01Z330X" })).await;
    assert_eq!(
        (code(&resp).as_deref(), field(&resp).as_deref()),
        (Some("INVALID_INPUT"), Some("codiceFiscale")),
        "{resp}"
    );

    // The same code as issued: CONFLICT naming the person, and nothing registered.
    let again = op
        .gql(PERSON_WITH_WARNINGS, person("Mohamed", "hssmmd90a01z33ll"))
        .await;
    assert_eq!(
        (code(&again).as_deref(), field(&again).as_deref()),
        (Some("CONFLICT"), Some("codiceFiscale")),
        "{again}"
    );
    assert_eq!(again["errors"][0]["extensions"]["existingId"], second["id"]);
    assert_eq!(
        op.edges("{ persons { edges { node { id } } } }", json!({}))
            .await
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // The other tenant registers the same code: tenants share nothing.
    op_b.ok(
        PERSON_WITH_WARNINGS,
        json!({ "i": { "givenNames": "Mohamed", "familyNames": "Hassan", "territoryCode": "048017", "codiceFiscale": "HSSMMD90A01Z330I" } }),
    )
    .await;
}

on_backends!(an_omocodic_code_is_stored_as_issued_and_found_by_either_form);

/// Impossible codici fiscali are refused even with the right check character — 29 February of
/// a common year, 31 April, birthplace codes of no municipality or state — as is a provisional
/// code with a wrong check digit: `INVALID_INPUT` on `codiceFiscale`, on creation and on update,
/// changing nothing. A provisional 11-digit code is accepted. A code that contradicts the
/// record's sex, birth date or country of birth is accepted with warnings that stay on the
/// record.
async fn impossible_codes_are_refused_and_contradictions_are_warnings(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op, op_b) = operators(&app, &a, &b).await;
    let input = |cf: &str| json!({ "i": { "givenNames": "Rayan", "familyNames": "Rahmani", "territoryCode": "052022", "codiceFiscale": cf } });
    let impossible = [
        "RHMRYN23B29A671K", // 29 February 2023 (or 1923)
        "RSSMRA85D31H501I", // 31 April
        "RSSMRA85T10Y123B", // no place has code Y123
        "RSSMRA85T10Z999S", // no state has code Z999
        "12345678901",      // provisional, wrong check digit
    ];
    for cf in impossible {
        let resp = op.gql(PERSON_WITH_WARNINGS, input(cf)).await;
        assert_eq!(
            (code(&resp).as_deref(), field(&resp).as_deref()),
            (Some("INVALID_INPUT"), Some("codiceFiscale")),
            "{cf}: {resp}"
        );
        assert!(
            !resp.to_string().contains(cf),
            "the refusal quotes the code"
        );
    }
    assert_eq!(
        op.edges("{ persons { edges { node { id } } } }", json!({}))
            .await,
        json!([])
    );

    // A provisional code, pasted with spaces, is accepted as such.
    let provisional = op
        .one(PERSON_WITH_WARNINGS, input(" 123 456 789 03 "))
        .await;
    assert_eq!(provisional["codiceFiscale"], "12345678903");
    assert_eq!(provisional["warnings"], json!([]));
    assert_eq!(
        op.edges(BY_CODE, json!({ "cf": "12345678903" }))
            .await
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // A code contradicting the record: a woman born in Ukraine in 1992 with a man's code of a
    // birth in Morocco on 1 January 1990.
    let contradicting = op
        .one(
            PERSON_WITH_WARNINGS,
            json!({ "i": {
                "givenNames": "Oksana", "familyNames": "Hassan", "territoryCode": "052022",
                "birth": { "year": 1992 }, "sex": "FEMALE", "countryOfBirth": "ua",
                "codiceFiscale": "\u{feff}HSSMMD90A01Z330I\u{200b}",
            } }),
        )
        .await;
    assert_eq!(contradicting["codiceFiscale"], "HSSMMD90A01Z330I");
    let warnings = json!([
        { "code": "CODICE_FISCALE_SEX", "field": "codiceFiscale", "personId": null },
        { "code": "CODICE_FISCALE_BIRTH_DATE", "field": "codiceFiscale", "personId": null },
        { "code": "CODICE_FISCALE_BIRTHPLACE", "field": "codiceFiscale", "personId": null },
    ]);
    assert_eq!(contradicting["warnings"], warnings);
    let read = op
        .one(
            "query($id: ID!) { node(id: $id) { ... on Person { warnings { code field personId } } } }",
            json!({ "id": contradicting["id"] }),
        )
        .await;
    assert_eq!(read["warnings"], warnings);

    // An impossible code on update changes nothing.
    let update = "mutation($id: ID!, $cf: String!) { updatePerson(id: $id, expectedVersion: 1, input: {givenNames: \"Rayan\", familyNames: \"Rahmani\", territoryCode: \"052022\", codiceFiscale: $cf}) { id } }";
    for cf in impossible {
        let resp = op
            .gql(update, json!({ "id": provisional["id"], "cf": cf }))
            .await;
        assert_eq!(field(&resp).as_deref(), Some("codiceFiscale"), "{resp}");
    }
    let after = op
        .one(
            "query($id: ID!) { node(id: $id) { ... on Person { version codiceFiscale } } }",
            json!({ "id": provisional["id"] }),
        )
        .await;
    assert_eq!(
        after,
        json!({ "version": 1, "codiceFiscale": "12345678903" })
    );
    // The other tenant sees none of it.
    assert_eq!(
        op_b.edges(BY_CODE, json!({ "cf": "12345678903" })).await,
        json!([])
    );
}

on_backends!(impossible_codes_are_refused_and_contradictions_are_warnings);

/// A case is closed with an outcome of the closed list only: anything else is refused on
/// `outcome`, changes nothing and never reaches the outbox. Each tenant chooses which outcomes
/// of the list it offers (administrators and coordinators); a withdrawn one is refused in that
/// tenant only, and one tenant cannot close another's case.
async fn a_case_closes_only_with_an_outcome_of_the_list(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let s = story(&op_a, "Amina", "El Idrissi", "052022").await;
    let list = "{ caseOutcomes { code offered } }";
    let offered = |data: &Value| -> Vec<String> {
        data["caseOutcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .filter(|o| o["offered"] == true)
            .map(|o| o["code"].as_str().expect("code").to_owned())
            .collect()
    };
    let outcomes = op_a.ok(list, json!({})).await;
    let codes = offered(&outcomes);
    assert!(
        codes.iter().any(|c| c == "autonomy_reached") && codes.iter().any(|c| c == "moved_away"),
        "{codes:?}"
    );
    assert_eq!(op_b.ok(list, json!({})).await, outcomes);

    // Alfa's administrator withdraws one; an unknown code or an operator is refused.
    let set = "mutation($c: String!, $o: Boolean!) { setCaseOutcome(code: $c, offered: $o) { code offered } }";
    let after = a
        .admin
        .one(set, json!({ "c": "lost_contact", "o": false }))
        .await;
    assert!(
        after
            .as_array()
            .expect("list")
            .contains(&json!({ "code": "lost_contact", "offered": false }))
    );
    a.admin
        .refused_on(
            set,
            json!({ "c": "rimpatriata_con_ahmed", "o": true }),
            "code",
        )
        .await;
    op_a.refused(set, json!({ "c": "other", "o": false }), "FORBIDDEN")
        .await;
    assert!(!offered(&op_a.ok(list, json!({})).await).contains(&"lost_contact".to_owned()));
    assert_eq!(
        op_b.ok(list, json!({})).await,
        outcomes,
        "Beta's list is its own"
    );

    let change = "mutation($id: ID!, $o: String) { changeCaseStatus(id: $id, expectedVersion: 1, to: CLOSED, outcome: $o) { status outcome version } }";
    for refused in [
        "quastravoni_rimpatriata",
        "rimpatriata con Ahmed",
        "AUTONOMY",
        "lost_contact",
    ] {
        op_a.refused_on(change, json!({ "id": s.case, "o": refused }), "outcome")
            .await;
    }
    let state = "query($id: ID!) { node(id: $id) { ... on Case { status outcome version } } }";
    assert_eq!(
        op_a.ok(state, json!({ "id": s.case })).await["node"],
        json!({ "status": "INTAKE", "outcome": null, "version": 1 })
    );
    op_b.refused(
        change,
        json!({ "id": s.case, "o": "moved_away" }),
        "NOT_FOUND",
    )
    .await;
    let closed = op_a
        .ok(change, json!({ "id": s.case, "o": "moved_away" }))
        .await;
    assert_eq!(closed["changeCaseStatus"]["outcome"], "moved_away");
    // Beta still closes with the outcome Alfa withdrew.
    let t = story_with_cf(&op_b, "Olena", "Kovalenko", "048017", None).await;
    op_b.ok(change, json!({ "id": t.case, "o": "lost_contact" }))
        .await;

    // The outbox holds codes of the list, never the refused text.
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let payloads = rows(&conn, &format!("SELECT payload FROM {schema}outbox")).await;
    assert!(
        payloads.iter().any(|p| p.contains("moved_away")),
        "{payloads:?}"
    );
    for p in &payloads {
        assert!(!p.contains("quastravoni") && !p.contains("Ahmed"), "{p}");
    }
}

on_backends!(a_case_closes_only_with_an_outcome_of_the_list);

/// An intervention's outcome is a code of the closed list `interventionOutcomes`, never free
/// text: anything else is refused on `outcome` and changes nothing. Each tenant chooses which
/// codes it offers; a withdrawn one is refused in that tenant only, interventions already
/// recorded keep theirs, and one tenant cannot touch another's interventions.
async fn an_intervention_outcome_is_a_code_of_the_tenants_list(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let s = story(&op_a, "Amina", "El Idrissi", "052022").await;
    let t = story_with_cf(&op_b, "Olena", "Kovalenko", "048017", None).await;
    let list = "{ interventionOutcomes { code offered } }";
    let outcomes = op_a.ok(list, json!({})).await;
    let codes: Vec<&str> = outcomes["interventionOutcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .filter(|o| o["offered"] == true)
        .map(|o| o["code"].as_str().expect("code"))
        .collect();
    for expected in [
        "oriented",
        "appointment_booked",
        "permit_renewed",
        "referred_on",
    ] {
        assert!(codes.contains(&expected), "{expected} in {codes:?}");
    }
    assert!(
        !codes.contains(&"autonomy_reached"),
        "a case outcome is not an intervention's"
    );

    let record = "mutation($c: ID!, $n: ID!, $o: String) { recordIntervention(input: {caseId: $c, kind: ORIENTATION, needIds: [$n], outcome: $o}) { id outcome } }";
    for refused in [
        "rinnovato con Ahmed",
        "permit",
        "autonomy_reached",
        "x".repeat(300).as_str(),
    ] {
        op_a.refused_on(
            record,
            json!({ "c": s.case, "n": s.need, "o": refused }),
            "outcome",
        )
        .await;
    }
    let read = "query($id: ID!) { node(id: $id) { ... on Case { interventions { edges { node { id outcome version } } } } } }";
    let kept = op_a.ok(read, json!({ "id": s.case })).await;
    let edges = kept["node"]["interventions"]["edges"]
        .as_array()
        .expect("edges");
    assert_eq!(edges.len(), 1, "a refused intervention is not recorded");
    let first = edges[0]["node"]["id"].as_str().expect("id").to_owned();
    let done = op_a
        .ok(
            record,
            json!({ "c": s.case, "n": s.need, "o": " Referred_On " }),
        )
        .await;
    assert_eq!(done["recordIntervention"]["outcome"], "referred_on");
    // No outcome yet is allowed.
    let later = op_a
        .ok(record, json!({ "c": s.case, "n": s.need, "o": "" }))
        .await;
    assert_eq!(later["recordIntervention"]["outcome"], Value::Null);

    // Alfa's administrator withdraws one; an unknown code or an operator is refused.
    let set = "mutation($c: String!, $o: Boolean!) { setInterventionOutcome(code: $c, offered: $o) { code offered } }";
    let after = a
        .admin
        .one(set, json!({ "c": "appointment_booked", "o": false }))
        .await;
    assert!(
        after
            .as_array()
            .expect("list")
            .contains(&json!({ "code": "appointment_booked", "offered": false }))
    );
    a.admin
        .refused_on(set, json!({ "c": "moved_away", "o": false }), "code")
        .await;
    op_a.refused(set, json!({ "c": "other", "o": false }), "FORBIDDEN")
        .await;
    op_a.refused_on(
        record,
        json!({ "c": s.case, "n": s.need, "o": "appointment_booked" }),
        "outcome",
    )
    .await;
    let update = "mutation($id: ID!, $o: String) { updateIntervention(id: $id, expectedVersion: 1, outcome: $o) { outcome version } }";
    op_a.refused_on(
        update,
        json!({ "id": first, "o": "appointment_booked" }),
        "outcome",
    )
    .await;
    // The intervention recorded with it before keeps it.
    let again = op_a.ok(read, json!({ "id": s.case })).await;
    assert_eq!(
        again["node"]["interventions"]["edges"][0]["node"]["outcome"],
        "appointment_booked"
    );
    assert_eq!(
        op_a.ok(update, json!({ "id": first, "o": "permit_renewed" }))
            .await["updateIntervention"],
        json!({ "outcome": "permit_renewed", "version": 2 })
    );
    // Beta's list is its own, and Beta cannot change Alfa's intervention.
    assert_eq!(op_b.ok(list, json!({})).await, outcomes);
    let beta_need = t.need.clone();
    op_b.ok(
        record,
        json!({ "c": t.case, "n": beta_need, "o": "appointment_booked" }),
    )
    .await;
    op_b.refused(update, json!({ "id": first, "o": "oriented" }), "NOT_FOUND")
        .await;
    assert_eq!(
        op_a.ok(read, json!({ "id": s.case })).await["node"]["interventions"]["edges"][0]["node"]["outcome"],
        "permit_renewed"
    );

    // An outcome recorded by mistake is cleared with an empty one.
    let clear = "mutation($id: ID!) { updateIntervention(id: $id, expectedVersion: 2, outcome: \"\") { outcome version } }";
    assert_eq!(
        op_a.ok(clear, json!({ "id": first })).await["updateIntervention"],
        json!({ "outcome": null, "version": 3 })
    );

    // The outbox never holds the refused text.
    let (conn, schema) = app.store_owner(backend, "cases").await;
    for p in rows(&conn, &format!("SELECT payload FROM {schema}outbox")).await {
        assert!(!p.contains("Ahmed") && !p.contains("rinnovato"), "{p}");
    }
}

on_backends!(an_intervention_outcome_is_a_code_of_the_tenants_list);

/// The notes of an encounter can be rectified or cleared after its case is closed (nothing
/// else of the encounter can: it would change the figures), by the tenant's operator only; the
/// old text is gone from the store.
async fn notes_of_a_closed_case_can_be_corrected_and_nothing_else(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let s = story(&op_a, "Amina", "El Idrissi", "052022").await;
    let (encounter, _) = first_encounter_and_intervention(&op_a, &s.case).await;
    op_a.ok(
        "mutation($id: ID!) { changeCaseStatus(id: $id, expectedVersion: 1, to: CLOSED, outcome: \"moved_away\") { status } }",
        json!({ "id": s.case }),
    )
    .await;
    let read = "query($id: ID!) { node(id: $id) { ... on Case { encounters { edges { node { durationMinutes channel notes version } } } } } }";
    let before = op_a.ok(read, json!({ "id": s.case })).await;
    assert_eq!(
        before["node"]["encounters"]["edges"][0]["node"],
        json!({ "durationMinutes": 45, "channel": "DESK", "notes": "racconta della sorella a Torino", "version": 1 })
    );

    // Anything but the notes still needs the case reopened, even alongside a note.
    let edit = "mutation($id: ID!, $v: Int!, $d: Int, $n: String) { updateEncounter(input: {id: $id, expectedVersion: $v, durationMinutes: $d, notes: $n}) { notes version } }";
    op_a.refused(
        edit,
        json!({ "id": encounter, "v": 1, "d": 30, "n": "altro" }),
        "CONFLICT",
    )
    .await;
    // The other tenant cannot reach it at all.
    op_b.refused(
        edit,
        json!({ "id": encounter, "v": 1, "n": "" }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(op_a.ok(read, json!({ "id": s.case })).await, before);

    // Rectified, then cleared; resending an unchanged field is not a change.
    let rectified = op_a
        .one(
            edit,
            json!({ "id": encounter, "v": 1, "d": 45, "n": "colloquio di orientamento" }),
        )
        .await;
    assert_eq!(
        rectified,
        json!({ "notes": "colloquio di orientamento", "version": 2 })
    );
    let cleared = op_a
        .one(edit, json!({ "id": encounter, "v": 2, "n": "" }))
        .await;
    assert_eq!(cleared, json!({ "notes": null, "version": 3 }));
    let after = op_a.ok(read, json!({ "id": s.case })).await;
    assert_eq!(
        after["node"]["encounters"]["edges"][0]["node"],
        json!({ "durationMinutes": 45, "channel": "DESK", "notes": null, "version": 3 })
    );

    let (conn, schema) = app.store_owner(backend, "cases").await;
    let notes = rows(
        &conn,
        &format!("SELECT coalesce(notes, '') FROM {schema}encounters"),
    )
    .await;
    assert!(
        notes
            .iter()
            .all(|n| !n.contains("sorella") && !n.contains("orientamento")),
        "{notes:?}"
    );
}

on_backends!(notes_of_a_closed_case_can_be_corrected_and_nothing_else);

/// Phones and e-mails follow one rule for persons and organisations: a phone typed the Italian
/// way or with Arabic-Indic digits is stored in E.164, an e-mail without a dot-separated domain
/// is INVALID_INPUT on `email`, a number the phone data does not know is INVALID_INPUT on
/// `phone`, and a refused input changes nothing. The other tenant does not see the person.
async fn phones_are_stored_in_e164_and_emails_follow_one_rule(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let read = "query($id: ID!) { node(id: $id) { ... on Person { version phone email } } }";
    let person = op_a
        .id(
            "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({ "i": { "givenNames": "Samira", "familyNames": "Haddad", "territoryCode": "052022",
                "phone": "0039 333 1234567", "email": " Samira.Haddad@Example.ORG " } }),
        )
        .await;
    let stored = op_a.ok(read, json!({ "id": person })).await["node"].clone();
    assert_eq!(
        stored,
        json!({ "version": 1, "phone": "+393331234567", "email": "samira.haddad@example.org" })
    );

    let update = "mutation($id: ID!, $v: Int!, $phone: String, $email: String) { updatePerson(id: $id, expectedVersion: $v, input: {givenNames: \"Samira\", familyNames: \"Haddad\", territoryCode: \"052022\", phone: $phone, email: $email}) { id } }";
    for (phone, email, expected) in [
        ("+39 333 1234567", "a@b", "email"),
        ("+39 333 1234567", "user@.com", "email"),
        ("98", "samira.haddad@example.org", "phone"),
        (
            "+39 333 1234567 ext. 4",
            "samira.haddad@example.org",
            "phone",
        ),
    ] {
        let resp = op_a
            .gql(
                update,
                json!({ "id": person, "v": 1, "phone": phone, "email": email }),
            )
            .await;
        assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"), "{resp}");
        assert_eq!(field(&resp).as_deref(), Some(expected), "{resp}");
        let text = resp.to_string();
        assert!(!text.contains(phone) && !text.contains(email), "{text}");
        assert_eq!(
            op_a.ok(read, json!({ "id": person })).await["node"],
            stored,
            "a refused update changed the person"
        );
    }
    // Dotted spelling and Extended Arabic-Indic digits give the same stored value.
    for (version, typed) in [(1, "+39.333.123.4567"), (2, "۳۳۳ ۱۲۳ ۴۵۶۷")] {
        op_a.ok(
            update,
            json!({ "id": person, "v": version, "phone": typed, "email": "samira.haddad@example.org" }),
        )
        .await;
        assert_eq!(
            op_a.ok(read, json!({ "id": person })).await["node"]["phone"],
            "+393331234567",
            "{typed}"
        );
    }

    // The other tenant sees nothing of the person, not even by its phone's spelling.
    same_as_missing(
        &op_b,
        "query($id: ID!) { node(id: $id) { id } }",
        "id",
        &person,
        "NOT_FOUND",
    )
    .await;
    assert_eq!(
        op_b.edges("{ persons { edges { node { id } } } }", json!({}))
            .await,
        json!([])
    );

    // Organisations follow the same rule.
    let add = "mutation($e: String, $p: String) { addOrganization(input: {name: \"Caritas\", email: $e, phone: $p}) { id } }";
    a.admin
        .refused_on(add, json!({ "e": "a@b", "p": null }), "email")
        .await;
    a.admin
        .refused_on(add, json!({ "e": null, "p": "12" }), "phone")
        .await;
    let listed = "{ organizations { edges { node { email phone } } } }";
    assert_eq!(a.admin.edges(listed, json!({})).await, json!([]));
    a.admin
        .ok(
            add,
            json!({ "e": "Info@Caritas.example.org", "p": "0039 0577 123456" }),
        )
        .await;
    assert_eq!(
        a.admin.edges(listed, json!({})).await,
        json!([{ "node": { "email": "info@caritas.example.org", "phone": "+390577123456" } }])
    );
}

on_backends!(phones_are_stored_in_e164_and_emails_follow_one_rule);

/// Countries and languages are checked against the bundled ISO lists: a user-assigned,
/// reserved or withdrawn country, a citizenship that mixes `XXA` with a country and an unknown
/// language are each INVALID_INPUT naming the field, and a refused create or update changes
/// nothing. `fa`, `fas` and `per` are stored as one `fa`, `prs` (Dari) stays, an alpha-3 country
/// is stored as alpha-2, and an encounter's language is normalised the same way. The other
/// tenant sees none of it; both read the same reference lists.
async fn countries_and_languages_are_checked_against_the_iso_lists(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let listed = "{ persons { edges { node { id } } } }";
    let input = |extra: Value| {
        let mut i =
            json!({ "givenNames": "Mahsa", "familyNames": "Rahimi", "territoryCode": "052022" });
        for (k, v) in extra.as_object().expect("object") {
            i[k] = v.clone();
        }
        i
    };
    let refusals = [
        (json!({ "countryOfBirth": "ZZ" }), "countryOfBirth", None),
        (
            json!({ "countryOfBirth": "uk" }),
            "countryOfBirth",
            Some("GB"),
        ),
        (
            json!({ "countryOfBirth": "YU" }),
            "countryOfBirth",
            Some("RS"),
        ),
        (json!({ "countryOfBirth": "XXA" }), "countryOfBirth", None),
        (json!({ "citizenships": ["EU"] }), "citizenships", None),
        (
            json!({ "citizenships": ["XXA", "AF"] }),
            "citizenships",
            None,
        ),
        (
            json!({ "languages": [{ "code": "xyz", "level": "B1" }] }),
            "languages",
            None,
        ),
        (
            json!({ "languages": [{ "code": "qaa", "level": "B1" }] }),
            "languages",
            None,
        ),
    ];
    let create = "mutation($i: PersonInput!) { createPerson(input: $i) { id } }";
    for (extra, expected, hint) in &refusals {
        let resp = op_a.gql(create, json!({ "i": input(extra.clone()) })).await;
        assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"), "{resp}");
        assert_eq!(field(&resp).as_deref(), Some(*expected), "{resp}");
        if let Some(hint) = hint {
            assert!(resp.to_string().contains(hint), "{resp}");
        }
    }
    assert_eq!(op_a.edges(listed, json!({})).await, json!([]));

    let read = "query($id: ID!) { node(id: $id) { ... on Person { version countryOfBirth citizenships languages { code level } } } }";
    let person = op_a
        .id(
            create,
            json!({ "i": input(json!({
                "countryOfBirth": "afg", "citizenships": ["xxa"],
                "languages": [
                    { "code": "fa", "level": "NATIVE" }, { "code": "fas", "level": "B1" },
                    { "code": "PER", "level": "C1" }, { "code": "prs", "level": "B2" }
                ]
            })) }),
        )
        .await;
    let stored = op_a.ok(read, json!({ "id": person })).await["node"].clone();
    assert_eq!(
        stored,
        json!({ "version": 1, "countryOfBirth": "AF", "citizenships": ["XXA"],
            "languages": [{ "code": "fa", "level": "NATIVE" }, { "code": "prs", "level": "B2" }] })
    );

    let update = "mutation($id: ID!, $i: PersonInput!) { updatePerson(id: $id, expectedVersion: 1, input: $i) { id } }";
    for (extra, expected, _) in refusals {
        let resp = op_a
            .gql(update, json!({ "id": person, "i": input(extra) }))
            .await;
        assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"), "{resp}");
        assert_eq!(field(&resp).as_deref(), Some(expected), "{resp}");
        assert_eq!(
            op_a.ok(read, json!({ "id": person })).await["node"],
            stored,
            "a refused update changed the person"
        );
    }
    op_a.ok(
        update,
        json!({ "id": person, "i": input(json!({ "citizenships": ["XXX"], "countryOfBirth": "IR" })) }),
    )
    .await;
    assert_eq!(
        op_a.ok(read, json!({ "id": person })).await["node"]["citizenships"],
        json!(["XXX"])
    );

    // An encounter's language: one code, and an unknown one refused on `language`.
    let t = story_with_cf(&op_a, "Ahmad", "Karimi", "052022", None).await;
    let encounter = "mutation($c: ID!, $l: String) { addEncounter(input: {caseId: $c, occurredAt: \"2026-11-20T09:30:00Z\", channel: DESK, language: $l}) { id language } }";
    let added = op_a
        .one(encounter, json!({ "c": t.case, "l": "PUS" }))
        .await;
    assert_eq!(added["language"], "ps");
    op_a.refused_on(encounter, json!({ "c": t.case, "l": "xyz" }), "language")
        .await;

    // The other tenant sees nothing of it, and reads the same reference lists.
    same_as_missing(
        &op_b,
        "query($id: ID!) { node(id: $id) { id } }",
        "id",
        &person,
        "NOT_FOUND",
    )
    .await;
    assert_eq!(op_b.edges(listed, json!({})).await, json!([]));
    let lists = "{ countries { code alpha3 citizenshipOnly } languages { code alpha3 } }";
    let (seen_a, seen_b) = (
        op_a.ok(lists, json!({})).await,
        op_b.ok(lists, json!({})).await,
    );
    assert_eq!(seen_a, seen_b);
    let countries = seen_a["countries"].as_array().expect("countries");
    assert!(
        countries.contains(&json!({ "code": "XXA", "alpha3": "XXA", "citizenshipOnly": true }))
    );
    assert!(
        countries.contains(&json!({ "code": "MA", "alpha3": "MAR", "citizenshipOnly": false }))
    );
    assert!(
        !countries
            .iter()
            .any(|c| c["code"] == "UK" || c["code"] == "YU")
    );
    let languages = seen_a["languages"].as_array().expect("languages");
    assert!(languages.contains(&json!({ "code": "prs", "alpha3": "prs" })));
    assert!(languages.contains(&json!({ "code": "fa", "alpha3": "fas" })));
    app.client()
        .refused("{ countries { code } }", json!({}), "UNAUTHENTICATED")
        .await;
}

on_backends!(countries_and_languages_are_checked_against_the_iso_lists);
