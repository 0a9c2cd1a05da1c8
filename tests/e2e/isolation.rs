//! Two tenants; a user of one cannot read, list, update or delete anything of the other, by id,
//! by filter or by guessing global ids, and the answer is the one for an object that never existed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::analytics::{indicators, wait_for_stories};
use crate::cases::{directory, first_encounter_and_intervention, story_with_cf};
use crate::helpers::{
    Backend, Client, Seeded, TestApp, Topology, code, field, operator, spawn_alfa_and_beta,
};
use crate::on_backends;

fn decode(id: &str) -> (String, String) {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(id).expect("base64 id")).expect("utf-8 id");
    let (kind, uuid) = raw.split_once(':').expect("kind:uuid");
    (kind.to_owned(), uuid.to_owned())
}

fn forge(kind: &str, uuid: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{uuid}"))
}

/// An id of the same kind that never existed.
fn never_existed(id: &str) -> String {
    forge(&decode(id).0, &uuid::Uuid::now_v7().to_string())
}

/// Asserts that an operation on `theirs` fails exactly as on an id that never existed.
async fn same_as_missing(
    client: &Client,
    query: &str,
    vars: impl Fn(&str) -> Value,
    theirs: &str,
    expected: &str,
) {
    let on_theirs = client.gql(query, vars(theirs)).await;
    let on_missing = client.gql(query, vars(&never_existed(theirs))).await;
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

async fn ids_in(client: &Client, list: &str) -> Vec<String> {
    let data = client
        .ok(
            &format!("{{ {list} {{ edges {{ node {{ id }} }} }} }}"),
            json!({}),
        )
        .await;
    data[list.split('(').next().unwrap_or(list)]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn a_tenant_sees_nothing_of_another(backend: Backend, topology: Topology) {
    let (_app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let before = snapshot(&b).await;

    // Read by id.
    for id in [
        &b.territory,
        &b.desk,
        &b.place,
        &b.membership,
        &b.invitation,
        &b.tenant_id,
    ] {
        same_as_missing(
            &a.admin,
            "query($id: ID!) { node(id: $id) { id } }",
            |id| json!({ "id": id }),
            id,
            "NOT_FOUND",
        )
        .await;
    }
    // Guessing: B's uuids under every other kind, and garbage.
    for id in [
        &b.territory,
        &b.desk,
        &b.place,
        &b.membership,
        &b.invitation,
    ] {
        let (_, uuid) = decode(id);
        for kind in [
            "Territory",
            "Desk",
            "Place",
            "Membership",
            "Invitation",
            "Tenant",
            "User",
        ] {
            let resp = a
                .admin
                .gql(
                    "query($id: ID!) { node(id: $id) { id } }",
                    json!({ "id": forge(kind, &uuid) }),
                )
                .await;
            assert_eq!(
                code(&resp).as_deref(),
                Some("NOT_FOUND"),
                "{kind}:{uuid} {resp}"
            );
        }
    }
    a.admin
        .refused("{ node(id: \"not-an-id\") { id } }", json!({}), "NOT_FOUND")
        .await;

    // List and filter.
    for list in [
        "territories",
        "desks",
        "places",
        "memberships",
        "invitations",
    ] {
        let mine = ids_in(&a.admin, list).await;
        assert!(!mine.is_empty(), "{list} of A is empty");
        for theirs in [
            &b.territory,
            &b.desk,
            &b.place,
            &b.membership,
            &b.invitation,
        ] {
            assert!(!mine.contains(theirs), "{list} of A shows {theirs}");
        }
    }
    for (query, variables) in [
        (
            "query($c: String) { territories(istatCode: $c) { edges { node { id } } } }",
            json!({ "c": b.istat_code }),
        ),
        (
            "query($n: String) { territories(nameContains: $n) { edges { node { id } } } }",
            json!({ "n": "Beta" }),
        ),
        (
            "query($t: ID) { desks(territoryId: $t) { edges { node { id } } } }",
            json!({ "t": b.territory }),
        ),
        (
            "query($d: ID) { places(deskId: $d) { edges { node { id } } } }",
            json!({ "d": b.desk }),
        ),
    ] {
        assert_eq!(a.admin.edges(query, variables).await, json!([]), "{query}");
    }

    // Update, and attach to another tenant's parent.
    let c = &a.admin;
    let by = |id: &str| json!({ "id": id });
    for (query, theirs, expected) in [
        (
            "mutation($id: ID!) { updateTerritory(input: {id: $id, expectedVersion: 1, name: \"x\"}) { id } }",
            &b.territory,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { updateDesk(input: {id: $id, expectedVersion: 1, name: \"x\"}) { id } }",
            &b.desk,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { updatePlace(input: {id: $id, expectedVersion: 1, name: \"x\"}) { id } }",
            &b.place,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { updateMembership(input: {id: $id, expectedVersion: 1, roles: [TENANT_ADMIN]}) { id } }",
            &b.membership,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { addDesk(input: {territoryId: $id, name: \"x\", kind: FIXED}) { id } }",
            &b.territory,
            "INVALID_INPUT",
        ),
        (
            "mutation($id: ID!) { addPlace(input: {deskId: $id, name: \"x\", kind: SCHOOL}) { id } }",
            &b.desk,
            "INVALID_INPUT",
        ),
    ] {
        same_as_missing(c, query, by, theirs, expected).await;
    }
    c.refused_on(
        "mutation($id: ID!) { addDesk(input: {territoryId: $id, name: \"x\", kind: FIXED}) { id } }",
        json!({ "id": b.territory }),
        "territoryId",
    )
    .await;

    // Delete, and switch into a tenant one does not belong to.
    for (query, theirs, expected) in [
        (
            "mutation($id: ID!) { removePlace(id: $id) }",
            &b.place,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { removeDesk(id: $id) }",
            &b.desk,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { removeTerritory(id: $id) }",
            &b.territory,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { removeMembership(id: $id) }",
            &b.membership,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { revokeInvitation(id: $id) }",
            &b.invitation,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { switchTenant(tenantId: $id) { activeTenant { id } } }",
            &b.tenant_id,
            "NOT_FOUND",
        ),
    ] {
        same_as_missing(c, query, by, theirs, expected).await;
    }

    // B is exactly as it was, and B's own admin still reaches every object.
    assert_eq!(snapshot(&b).await, before);
    for id in [
        &b.territory,
        &b.desk,
        &b.place,
        &b.membership,
        &b.invitation,
    ] {
        let got = b
            .admin
            .ok(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(got["node"]["id"].as_str(), Some(id.as_str()));
    }
}

/// Everything B's administrator can see, to prove nothing changed.
async fn snapshot(b: &Seeded) -> Value {
    b.admin
        .ok(
            "{ territories { edges { node { id name istatCode } } } desks { edges { node { id name languages } } } \
               places { edges { node { id name kind } } } memberships { edges { node { id roles territories } } } \
               invitations { edges { node { id status } } } }",
            json!({}),
        )
        .await
}

on_backends!(a_tenant_sees_nothing_of_another);

/// A user with memberships in two tenants works in one at a time and switches.
async fn a_user_in_two_tenants_switches_and_sees_one_at_a_time(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let email = "shared.operator@example.org";
    let mut tokens = Vec::new();
    for admin in [&a.admin, &b.admin] {
        tokens.push(
            admin
                .invite(json!({ "email": email, "roles": ["OPERATOR"] }))
                .await,
        );
    }
    let mut user = app.client();
    let first = user
        .accept(&tokens[0], "Shared-Operator-2026", "Shared")
        .await;
    assert!(first.get("errors").is_none(), "{first}");
    // The second invitation is accepted with the existing account's password, not a new one.
    let wrong = app
        .client()
        .accept(&tokens[1], "Another-Password-2026", "Shared")
        .await;
    assert_eq!(field(&wrong).as_deref(), Some("password"));
    let second = user
        .accept(&tokens[1], "Shared-Operator-2026", "Shared")
        .await;
    assert!(second.get("errors").is_none(), "{second}");

    let viewer = user
        .ok(
            "{ viewer { memberships { tenant { id } } activeTenant { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        viewer["viewer"]["memberships"].as_array().map(Vec::len),
        Some(2)
    );
    for (target, mine, theirs) in [
        (&a, &a.territory, &b.territory),
        (&b, &b.territory, &a.territory),
    ] {
        let switched = user
            .ok(
                "mutation($id: ID!) { switchTenant(tenantId: $id) { activeTenant { id } roles } }",
                json!({ "id": target.tenant_id }),
            )
            .await;
        assert_eq!(
            switched["switchTenant"]["activeTenant"]["id"].as_str(),
            Some(target.tenant_id.as_str())
        );
        assert_eq!(switched["switchTenant"]["roles"], json!(["OPERATOR"]));
        let seen = ids_in(&user, "territories").await;
        assert_eq!(seen, vec![mine.clone()]);
        user.refused(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": theirs }),
            "NOT_FOUND",
        )
        .await;
    }
}

on_backends!(a_user_in_two_tenants_switches_and_sees_one_at_a_time);

/// Adds Alfa's second municipality, Colle di Val d'Elsa (052012), and signs in an operator of
/// Alfa, one of Alfa limited to Colle and one of Beta.
async fn colle_operators(app: &TestApp, a: &Seeded, b: &Seeded) -> (Client, Client, Client) {
    a.admin
        .ok("mutation { addTerritory(input: {istatCode: \"052012\", name: \"Colle di Val d'Elsa\"}) { id } }", json!({}))
        .await;
    let op = operator(app, a, "op@alfa.example.org", &[]).await;
    let limited = operator(app, a, "colle@alfa.example.org", &["052012"]).await;
    let op_b = operator(app, b, "op@beta.example.org", &[]).await;
    (op, limited, op_b)
}

/// An operator limited to one municipality reaches nothing followed elsewhere, by any nested
/// path: a household's members and its count of minors, the person of a case, the items of a
/// case (encounters, needs, interventions, referrals, plan), appointments by desk or person, and
/// every write that takes such an id. Each answer is the one for an id that never existed.
async fn a_territory_limit_holds_on_every_nested_path(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op, limited, op_b) = colle_operators(&app, &a, &b).await;

    // Aziz is followed in Colle (052012); his daughter Yasmine, a minor, and Samira in Poggibonsi
    // (052022). Samira has a case opened in Colle (Yasmine's one open case is in Poggibonsi).
    let inside = story_with_cf(&op, "Aziz", "Bennani", "052012", None).await;
    let outside = story_with_cf(&op, "Yasmine", "Bennani", "052022", None).await;
    op.ok(
        "mutation($id: ID!) { updatePerson(id: $id, expectedVersion: 1, input: {givenNames: \"Yasmine\", familyNames: \"Bennani\", territoryCode: \"052022\", birth: {year: 2015}}) { id } }",
        json!({ "id": outside.person }),
    )
    .await;
    let samira = op
        .id("mutation { createPerson(input: {givenNames: \"Samira\", familyNames: \"Alaoui\", territoryCode: \"052022\"}) { id } }", json!({}))
        .await;
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }", json!({ "p": samira })).await;
    let cross_case = op
        .id(
            "mutation($p: ID!) { openCase(personId: $p, territoryCode: \"052012\") { id } }",
            json!({ "p": samira }),
        )
        .await;
    let household = "mutation($l: String!, $t: String!) { createHousehold(label: $l, territoryCode: $t) { id } }";
    let family = op
        .id(household, json!({ "l": "Famiglia Bennani", "t": "052022" }))
        .await;
    let elsewhere = op
        .id(household, json!({ "l": "Famiglia Alaoui", "t": "052022" }))
        .await;
    let add = "mutation($h: ID!, $p: ID!, $r: HouseholdRole!) { addHouseholdMember(householdId: $h, personId: $p, role: $r) { members { role minor } minors } }";
    op.ok(add, json!({ "h": family, "p": inside.person, "r": "HEAD" }))
        .await;
    let full = op
        .ok(
            add,
            json!({ "h": family, "p": outside.person, "r": "CHILD" }),
        )
        .await;
    assert_eq!(full["addHouseholdMember"]["minors"], 1, "{full}");
    op.ok(add, json!({ "h": elsewhere, "p": samira, "r": "HEAD" }))
        .await;

    // Referrals, a plan and appointments, inside and outside.
    let service = directory(&a).await;
    let consent = "mutation($p: ID!) { recordConsent(personId: $p, purpose: REFERRAL_SHARING, given: true) { given } }";
    op.ok(consent, json!({ "p": inside.person })).await;
    op.ok(consent, json!({ "p": outside.person })).await;
    let send = "mutation($c: ID!, $s: ID!, $n: [ID!]!) { sendReferral(input: {caseId: $c, serviceId: $s, needIds: $n}) { id } }";
    op.ok(
        send,
        json!({ "c": inside.case, "s": service, "n": [inside.need] }),
    )
    .await;
    let their_referral = op
        .id(
            send,
            json!({ "c": outside.case, "s": service, "n": [outside.need] }),
        )
        .await;
    let goal = op
        .id(
            "mutation($c: ID!) { addGoal(input: {caseId: $c, title: \"Iscrizione scolastica\", needIds: []}) { id } }",
            json!({ "c": outside.case }),
        )
        .await;
    let step = op
        .id(
            "mutation($g: ID!) { addStep(input: {goalId: $g, title: \"Documenti\", owner: OPERATOR}) { id } }",
            json!({ "g": goal }),
        )
        .await;
    let day = (chrono::Utc::now() + chrono::Duration::days(7)).date_naive();
    let book = "mutation($d: ID!, $p: ID!, $c: ID, $at: DateTime!) { bookAppointment(input: {deskId: $d, personId: $p, caseId: $c, startsAt: $at, durationMinutes: 30}) { id } }";
    let book_at = async |person: &str, time: &str| {
        op.ok(
            book,
            json!({ "d": a.desk, "p": person, "at": format!("{day}T{time}Z") }),
        )
        .await["bookAppointment"][0]["id"]
            .as_str()
            .expect("appointment")
            .to_owned()
    };
    let mine_at = book_at(&inside.person, "09:00:00").await;
    let theirs_at = book_at(&outside.person, "10:00:00").await;
    let (encounter, intervention) = first_encounter_and_intervention(&op, &outside.case).await;

    // A household shows only the members the operator may see, and counts minors among them; it
    // is visible through a visible member even when registered elsewhere.
    let members = "{ id label territoryCode members { role minor person { givenNames } } minors }";
    let via_person = limited
        .ok(
            &format!(
                "query($id: ID!) {{ node(id: $id) {{ ... on Person {{ household {members} }} }} }}"
            ),
            json!({ "id": inside.person }),
        )
        .await;
    let expected = json!({
        "id": family, "label": "Famiglia Bennani", "territoryCode": "052022",
        "members": [{ "role": "HEAD", "minor": false, "person": { "givenNames": "Aziz" } }],
        "minors": 0,
    });
    assert_eq!(via_person["node"]["household"], expected);
    let by_id = limited
        .ok(
            &format!("query($id: ID!) {{ node(id: $id) {{ ... on Household {members} }} }}"),
            json!({ "id": family }),
        )
        .await;
    assert_eq!(by_id["node"], expected);
    let unlimited = op
        .ok(
            &format!("query($id: ID!) {{ node(id: $id) {{ ... on Household {members} }} }}"),
            json!({ "id": family }),
        )
        .await;
    assert_eq!(unlimited["node"]["minors"], 1);
    assert_eq!(
        unlimited["node"]["members"].as_array().map(Vec::len),
        Some(2)
    );
    let again = limited
        .ok(add, json!({ "h": family, "p": inside.person, "r": "HEAD" }))
        .await;
    assert_eq!(
        again["addHouseholdMember"],
        json!({ "members": [{ "role": "HEAD", "minor": false }], "minors": 0 })
    );
    let node = "query($id: ID!) { node(id: $id) { id } }";
    let by = |id: &str| json!({ "id": id });
    same_as_missing(&limited, node, by, &elsewhere, "NOT_FOUND").await;
    same_as_missing(
        &limited,
        add,
        |h| json!({ "h": h, "p": inside.person, "r": "OTHER" }),
        &elsewhere,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        &limited,
        add,
        |p| json!({ "h": family, "p": p, "r": "OTHER" }),
        &outside.person,
        "INVALID_INPUT",
    )
    .await;
    same_as_missing(
        &limited,
        "mutation($id: ID!) { removeHouseholdMember(personId: $id) }",
        by,
        &outside.person,
        "NOT_FOUND",
    )
    .await;

    // Persons through cases: a case followed in Colle is visible, its person followed in Poggibonsi is
    // not, exactly like a person that does not exist.
    let through_case = limited
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Case { territoryCode person { id } } } }",
            json!({ "id": cross_case }),
        )
        .await;
    assert_eq!(
        code(&through_case).as_deref(),
        Some("NOT_FOUND"),
        "{through_case}"
    );
    assert_eq!(through_case["data"]["node"]["person"], Value::Null);
    let person_query = "query($id: ID!) { node(id: $id) { ... on Person { givenNames consents { given } household { id } } } }";
    same_as_missing(&limited, person_query, by, &outside.person, "NOT_FOUND").await;
    assert_eq!(
        limited
            .edges(
                "query($p: ID!) { cases(filter: {personId: $p}) { edges { node { id territoryCode } } } }",
                json!({ "p": samira }),
            )
            .await,
        json!([{ "node": { "id": cross_case, "territoryCode": "052012" } }])
    );
    let mut listed = ids_in(&limited, "cases").await;
    listed.sort();
    let mut expected_cases = vec![inside.case.clone(), cross_case.clone()];
    expected_cases.sort();
    assert_eq!(listed, expected_cases);
    assert_eq!(
        ids_in(&limited, "persons").await,
        vec![inside.person.clone()]
    );
    let dups = limited
        .ok(
            "{ personDuplicates(givenNames: \"Yasmine\", familyNames: \"Bennani\") { person { id } } }",
            json!({}),
        )
        .await;
    assert!(
        dups["personDuplicates"]
            .as_array()
            .expect("matches")
            .iter()
            .all(|m| m["person"]["id"] == json!(inside.person)),
        "{dups}"
    );

    // A case outside, and everything in it, by id and in writes.
    let case_query = "query($id: ID!) { node(id: $id) { ... on Case { encounters { edges { node { id } } } needs { edges { node { id } } } referrals { edges { node { id service { name } } } } plan { id steps { id } } interventions { edges { node { id } } } } } }";
    same_as_missing(&limited, case_query, by, &outside.case, "NOT_FOUND").await;
    for (query, id, expected) in [
        (
            "mutation($id: ID!) { updateEncounter(input: {id: $id, expectedVersion: 1, durationMinutes: 10}) { id } }",
            &encounter,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { updateIntervention(id: $id, expectedVersion: 1, outcome: \"permit_renewed\") { id } }",
            &intervention,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { changeNeedStatus(id: $id, expectedVersion: 1, status: ADDRESSED) { id } }",
            &outside.need,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { changeReferralStatus(id: $id, expectedVersion: 1, to: ACCEPTED) { id } }",
            &their_referral,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { updateGoal(id: $id, expectedVersion: 1, status: DROPPED) { id } }",
            &goal,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { addStep(input: {goalId: $id, title: \"x\", owner: OPERATOR}) { id } }",
            &goal,
            "INVALID_INPUT",
        ),
        (
            "mutation($id: ID!) { changeStepStatus(id: $id, expectedVersion: 1, status: DONE) { id } }",
            &step,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { addGoal(input: {caseId: $id, title: \"x\", needIds: []}) { id } }",
            &outside.case,
            "INVALID_INPUT",
        ),
        (
            "mutation($id: ID!) { recordNeed(caseId: $id, code: SCHOOL, source: DETECTED) { id } }",
            &outside.case,
            "INVALID_INPUT",
        ),
        (
            "mutation($id: ID!) { changeCaseStatus(id: $id, expectedVersion: 1, to: ACTIVE) { id } }",
            &outside.case,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { recordConsent(personId: $id, purpose: CONTACT_BY_MESSAGE, given: true) { given } }",
            &outside.person,
            "NOT_FOUND",
        ),
        (
            "mutation($id: ID!) { cancelAppointment(id: $id) { id } }",
            &theirs_at,
            "NOT_FOUND",
        ),
    ] {
        same_as_missing(&limited, query, by, id, expected).await;
    }
    same_as_missing(
        &limited,
        send,
        |c| json!({ "c": c, "s": service, "n": [] }),
        &outside.case,
        "INVALID_INPUT",
    )
    .await;
    // Items of a case outside cannot be attached to a case inside.
    for query in [
        "mutation($c: ID!, $n: ID!) { recordIntervention(input: {caseId: $c, kind: INFORMATION, needIds: [$n]}) { id } }",
        "mutation($c: ID!, $n: ID!) { addGoal(input: {caseId: $c, title: \"x\", needIds: [$n]}) { id } }",
        "mutation($c: ID!, $n: ID!, $s: ID!) { sendReferral(input: {caseId: $c, serviceId: $s, needIds: [$n]}) { id } }",
    ] {
        same_as_missing(
            &limited,
            query,
            |n| json!({ "c": inside.case, "n": n, "s": service }),
            &outside.need,
            "INVALID_INPUT",
        )
        .await;
    }
    same_as_missing(
        &limited,
        "mutation($c: ID!, $e: ID!) { recordNeed(caseId: $c, code: SCHOOL, source: DETECTED, encounterId: $e) { id } }",
        |e| json!({ "c": inside.case, "e": e }),
        &encounter,
        "INVALID_INPUT",
    )
    .await;

    // Referrals through the directory: the service is the tenant's, the referrals seen are those
    // of visible cases only.
    let seen = limited
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Case { referrals { edges { node { status service { id name } } } } } } }",
            json!({ "id": inside.case }),
        )
        .await;
    assert_eq!(
        seen["node"]["referrals"]["edges"],
        json!([{ "node": { "status": "SENT", "service": { "id": service, "name": "Emergenza abitativa" } } }])
    );

    // Appointments by desk show only the persons the operator may see; by person, a person
    // outside does not exist; nor can one be booked for them, or for a case outside.
    assert_eq!(
        limited
            .edges(
                "query($d: ID) { appointments(filter: {deskId: $d}) { edges { node { id personId } } } }",
                json!({ "d": a.desk }),
            )
            .await,
        json!([{ "node": { "id": mine_at, "personId": inside.person } }])
    );
    same_as_missing(
        &limited,
        "query($p: ID) { appointments(filter: {personId: $p}) { edges { node { id } } } }",
        |p| json!({ "p": p }),
        &outside.person,
        "NOT_FOUND",
    )
    .await;
    let later = format!("{day}T15:00:00Z");
    same_as_missing(
        &limited,
        book,
        |p| json!({ "d": a.desk, "p": p, "at": later }),
        &outside.person,
        "INVALID_INPUT",
    )
    .await;
    same_as_missing(
        &limited,
        book,
        |c| json!({ "d": a.desk, "p": inside.person, "c": c, "at": later }),
        &outside.case,
        "INVALID_INPUT",
    )
    .await;

    // The other tenant sees none of it, and the limited operator none of the other tenant's.
    same_as_missing(&op_b, node, by, &family, "NOT_FOUND").await;
    same_as_missing(&op_b, node, by, &inside.person, "NOT_FOUND").await;
    same_as_missing(&op_b, node, by, &cross_case, "NOT_FOUND").await;
    let theirs = op_b
        .id(household, json!({ "l": "Famiglia Rossi", "t": "048017" }))
        .await;
    same_as_missing(&limited, node, by, &theirs, "NOT_FOUND").await;
    let b_story = story_with_cf(&op_b, "Ion", "Popescu", "048017", None).await;
    same_as_missing(&limited, node, by, &b_story.case, "NOT_FOUND").await;
    same_as_missing(&limited, node, by, &b_story.person, "NOT_FOUND").await;

    // Nothing was changed by any of the refused writes.
    let after = op
        .ok(
            &format!("query($h: ID!, $c: ID!) {{ household: node(id: $h) {{ ... on Household {members} }} case: node(id: $c) {{ ... on Case {{ status needs {{ edges {{ node {{ status }} }} }} referrals {{ edges {{ node {{ status }} }} }} plan {{ status steps {{ status }} }} }} }} }}"),
            json!({ "h": family, "c": outside.case }),
        )
        .await;
    assert_eq!(after["household"]["minors"], 1);
    assert_eq!(
        after["case"],
        json!({ "status": "INTAKE", "needs": { "edges": [{ "node": { "status": "OPEN" } }] },
                "referrals": { "edges": [{ "node": { "status": "SENT" } }] },
                "plan": [{ "status": "OPEN", "steps": [{ "status": "TODO" }] }] })
    );
    assert_eq!(
        op.edges(
            "{ appointments { edges { node { id status } } } }",
            json!({}),
        )
        .await,
        json!([{ "node": { "id": mine_at, "status": "BOOKED" } }, { "node": { "id": theirs_at, "status": "BOOKED" } }])
    );
}

on_backends!(a_territory_limit_holds_on_every_nested_path);

/// The tenant's own figures follow the same limit: a territory-limited operator counts only the
/// people followed in their territories, and the other tenant counts none of them.
async fn a_territory_limited_operator_counts_only_their_territories(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op, limited, op_b) = colle_operators(&app, &a, &b).await;
    for (given, territory) in [
        ("Aziz", "052012"),
        ("Yasmine", "052022"),
        ("Samira", "052022"),
    ] {
        story_with_cf(&op, given, "Bennani", territory, None).await;
    }
    let all = wait_for_stories(&op, 3).await;
    assert_eq!(all["ACTIVE_CASES"]["value"], 3);
    let mine = indicators(&limited).await;
    for code in [
        "PEOPLE_REACHED",
        "NEW_CASES",
        "ACTIVE_CASES",
        "NEEDS_RECORDED",
        "INTERVENTIONS",
    ] {
        assert_eq!(mine[code]["value"], 1, "{code}: {mine:?}");
    }
    let by_territory =
        "{ tenantStatistics(measure: PEOPLE_REACHED, by: [TERRITORY]) { keys value } }";
    assert_eq!(
        limited.ok(by_territory, json!({})).await["tenantStatistics"],
        json!([{ "keys": ["052012"], "value": 1 }])
    );
    assert_eq!(
        op.ok(by_territory, json!({})).await["tenantStatistics"],
        json!([{ "keys": ["052012"], "value": 1 }, { "keys": ["052022"], "value": 2 }])
    );
    let theirs = indicators(&op_b).await;
    assert_eq!(theirs["PEOPLE_REACHED"]["value"], 0);
    assert_eq!(
        op_b.ok(by_territory, json!({})).await["tenantStatistics"],
        json!([])
    );
}

on_backends!(a_territory_limited_operator_counts_only_their_territories);

/// The kernel's raw statements bind the tenant from the transaction's scope: with two tenants'
/// rows in one table, each scope reads and changes its own only, and outside a tenant scope, or
/// for a statement that never names the tenant, nothing runs.
async fn a_scoped_raw_statement_binds_the_tenant_of_its_scope(
    backend: Backend,
    _topology: Topology,
) {
    use sea_orm::Value as SqlValue;
    use sportello_kernel::db::{Db, Scope, StoreConfig};
    use sportello_kernel::{ErrorCode, TenantId, UserId};

    let (config, _dir) = crate::helpers::fresh_config(backend).await;
    let store = StoreConfig {
        url: config.database_url_for("analytics"),
        schema: "analytics".into(),
        app_role: config.database_app_role.clone(),
        app_password: config.database_app_password.clone(),
        max_connections: 2,
    };
    let db = Db::open::<sportello_analytics::store::Migrator>(&store, true)
        .await
        .expect("open the analytics store");
    let (a, b) = (TenantId::new(), TenantId::new());
    for (tenant, target) in [(a, 10_i64), (b, 20)] {
        let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
        let added = tx
            .execute_scoped(
                "INSERT INTO targets (tenant_id, code, target) VALUES (:tenant, ?, ?)",
                vec!["PEOPLE_REACHED".into(), target.into()],
            )
            .await
            .expect("scoped statement");
        assert_eq!(added, 1);
        tx.commit().await.expect("commit");
    }

    let read = async |tenant: TenantId| -> Vec<(uuid::Uuid, i64)> {
        let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
        let rows = tx
            .query_scoped(
                "SELECT tenant_id, target FROM targets WHERE tenant_id = :tenant ORDER BY code",
                vec![],
            )
            .await
            .expect("scoped statement");
        tx.finish().await.expect("finish");
        rows.iter()
            .map(|r| {
                (
                    r.try_get_by_index(0).expect("tenant_id"),
                    r.try_get_by_index(1).expect("target"),
                )
            })
            .collect()
    };
    assert_eq!(read(a).await, vec![(a.uuid(), 10)]);
    assert_eq!(read(b).await, vec![(b.uuid(), 20)]);

    // A change in one tenant's scope leaves the other's rows alone.
    let tx = db.begin(Scope::Tenant(a)).await.expect("begin");
    let changed = tx
        .execute_scoped(
            "UPDATE targets SET target = ? WHERE tenant_id = :tenant",
            vec![11_i64.into()],
        )
        .await
        .expect("scoped statement");
    assert_eq!(changed, 1);
    tx.commit().await.expect("commit");
    assert_eq!(read(a).await, vec![(a.uuid(), 11)]);
    assert_eq!(read(b).await, vec![(b.uuid(), 20)]);

    // Outside a tenant scope the statement is refused before it reaches the database.
    for scope in [
        Scope::Global,
        Scope::User(UserId::new()),
        Scope::Service("ingest"),
    ] {
        let tx = db.begin(scope.clone()).await.expect("begin");
        let err = tx
            .query_scoped(
                "SELECT target FROM targets WHERE tenant_id = :tenant",
                vec![],
            )
            .await
            .expect_err("no tenant scope");
        assert_eq!(err.code, ErrorCode::Internal, "{scope:?}");
        let err = tx
            .execute_scoped(
                "UPDATE targets SET target = 0 WHERE tenant_id = :tenant",
                Vec::<SqlValue>::new(),
            )
            .await
            .expect_err("no tenant scope");
        assert_eq!(err.code, ErrorCode::Internal, "{scope:?}");
        tx.finish().await.expect("finish");
    }

    // A statement that never names the tenant, or whose values do not match its `?`, is refused.
    let tx = db.begin(Scope::Tenant(a)).await.expect("begin");
    for (sql, values) in [
        ("SELECT target FROM targets", vec![]),
        (
            "SELECT target FROM targets WHERE tenant_id = ?",
            vec![b.uuid().into()],
        ),
        (
            "SELECT target FROM targets WHERE tenant_id = :tenant AND code = ?",
            vec![],
        ),
        (
            "SELECT target FROM targets WHERE tenant_id = :tenant",
            vec!["extra".into()],
        ),
    ] {
        assert!(tx.scoped_statement(sql, values).is_err(), "refused: {sql}");
    }
    tx.finish().await.expect("finish");
    assert_eq!(read(b).await, vec![(b.uuid(), 20)]);
}

on_backends!(a_scoped_raw_statement_binds_the_tenant_of_its_scope:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres => (Backend::Postgres, Topology::AllInOne),
);
