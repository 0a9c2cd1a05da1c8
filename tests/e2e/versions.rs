//! No silent overwrite: every update of a mutable record names the version it was based on. For
//! each object type, an update based on the current version succeeds and raises it by one; an
//! update based on the older version is `CONFLICT` on `expectedVersion` with the current version
//! (`extensions.currentVersion`) and changes nothing; the other tenant cannot reach the record at
//! all, whatever version it names.

use serde_json::{Value, json};

use crate::cases::{directory, story};
use crate::helpers::{Backend, Client, TestApp, Topology, code, field, operator, seed_tenant};
use crate::on_backends;

/// One object type: how to read the record (as a JSON object with its `version`), and two
/// changes that are each valid from the state the one before leaves.
struct Row<'a> {
    name: &'static str,
    client: &'a Client,
    id: String,
    /// A query with `$id`: the record, or the case it belongs to.
    read: &'static str,
    read_id: String,
    /// Where the record sits in the answer's data.
    pointer: &'static str,
    /// Mutations with `$id` and `$v` (the expected version).
    first: &'static str,
    second: &'static str,
}

async fn read(row: &Row<'_>) -> Value {
    let data = row.client.ok(row.read, json!({ "id": row.read_id })).await;
    let found = data.pointer(row.pointer).cloned().unwrap_or(Value::Null);
    assert!(found.is_object(), "{}: {data}", row.name);
    found
}

async fn stale_updates_conflict_and_change_nothing(backend: Backend, topology: Topology) {
    let app = TestApp::spawn(backend, topology).await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let op_b = operator(&app, &b, "op@beta.example.org", &[]).await;
    let s = story(&op, "Olena", "Kovalenko", "052022").await;
    let _theirs = story(&op_b, "Amina", "El Idrissi", "048017").await;

    // The children of the case, with their ids.
    let service = directory(&a).await;
    op.ok(
        "mutation($p: ID!) { recordConsent(personId: $p, purpose: REFERRAL_SHARING, given: true) { given } }",
        json!({ "p": s.person }),
    )
    .await;
    let referral = op
        .ok(
            "mutation($c: ID!, $s: ID!, $n: ID!) { sendReferral(input: {caseId: $c, serviceId: $s, needIds: [$n]}) { id } }",
            json!({ "c": s.case, "s": service, "n": s.need }),
        )
        .await["sendReferral"]["id"]
        .as_str()
        .expect("referral")
        .to_owned();
    let goal = op
        .ok(
            "mutation($c: ID!) { addGoal(input: {caseId: $c, title: \"Rinnovo del permesso\", needIds: []}) { id } }",
            json!({ "c": s.case }),
        )
        .await["addGoal"]["id"]
        .as_str()
        .expect("goal")
        .to_owned();
    let step = op
        .ok(
            "mutation($g: ID!) { addStep(input: {goalId: $g, title: \"Buste paga\", owner: PERSON}) { id } }",
            json!({ "g": goal }),
        )
        .await["addStep"]["id"]
        .as_str()
        .expect("step")
        .to_owned();
    let need_type = a
        .admin
        .ok(
            "mutation { createNeedType(code: \"housing_emergency\", label: \"Emergenza abitativa\", category: HOUSING) { id } }",
            json!({}),
        )
        .await["createNeedType"]["id"]
        .as_str()
        .expect("need type")
        .to_owned();
    let children = op
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Case { encounters { edges { node { id } } } interventions { edges { node { id } } } } } }",
            json!({ "id": s.case }),
        )
        .await;
    let encounter = children["node"]["encounters"]["edges"][0]["node"]["id"]
        .as_str()
        .expect("encounter")
        .to_owned();
    let intervention = children["node"]["interventions"]["edges"][0]["node"]["id"]
        .as_str()
        .expect("intervention")
        .to_owned();

    let rows = [
        Row {
            name: "territory",
            client: &a.admin,
            id: a.territory.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Territory { id version name } } }",
            read_id: a.territory.clone(),
            pointer: "/node",
            first: "mutation($id: ID!, $v: Int!) { updateTerritory(input: {id: $id, expectedVersion: $v, name: \"poggibonsi\"}) { id } }",
            second: "mutation($id: ID!, $v: Int!) { updateTerritory(input: {id: $id, expectedVersion: $v, name: \"POGGIBONSI\"}) { id } }",
        },
        Row {
            name: "desk",
            client: &a.admin,
            id: a.desk.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Desk { id version name openingHours } } }",
            read_id: a.desk.clone(),
            pointer: "/node",
            first: "mutation($id: ID!, $v: Int!) { updateDesk(input: {id: $id, expectedVersion: $v, openingHours: \"lun 9-13\"}) { id } }",
            second: "mutation($id: ID!, $v: Int!) { updateDesk(input: {id: $id, expectedVersion: $v, name: \"Altro nome\"}) { id } }",
        },
        Row {
            name: "place",
            client: &a.admin,
            id: a.place.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Place { id version name address } } }",
            read_id: a.place.clone(),
            pointer: "/node",
            first: "mutation($id: ID!, $v: Int!) { updatePlace(input: {id: $id, expectedVersion: $v, address: \"Via Roma 1\"}) { id } }",
            second: "mutation($id: ID!, $v: Int!) { updatePlace(input: {id: $id, expectedVersion: $v, name: \"Altro luogo\"}) { id } }",
        },
        Row {
            name: "membership",
            client: &a.admin,
            id: a.membership.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Membership { id version roles territories } } }",
            read_id: a.membership.clone(),
            pointer: "/node",
            first: "mutation($id: ID!, $v: Int!) { updateMembership(input: {id: $id, expectedVersion: $v, roles: [OPERATOR, COORDINATOR]}) { id } }",
            second: "mutation($id: ID!, $v: Int!) { updateMembership(input: {id: $id, expectedVersion: $v, roles: [OPERATOR]}) { id } }",
        },
        Row {
            name: "person",
            client: &op,
            id: s.person.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Person { id version phone legalStatus { permitType } } } }",
            read_id: s.person.clone(),
            pointer: "/node",
            first: "mutation($id: ID!, $v: Int!) { updatePerson(id: $id, expectedVersion: $v, input: {givenNames: \"Olena\", familyNames: \"Kovalenko\", territoryCode: \"052022\", phone: \"+39 347 7654321\"}) { id } }",
            second: "mutation($id: ID!, $v: Int!) { updatePerson(id: $id, expectedVersion: $v, input: {givenNames: \"Olena\", familyNames: \"Kovalenko\", territoryCode: \"052022\", legalStatus: {permitType: \"lavoro subordinato\"}}) { id } }",
        },
        Row {
            name: "case",
            client: &op,
            id: s.case.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Case { id version status } } }",
            read_id: s.case.clone(),
            pointer: "/node",
            first: "mutation($id: ID!, $v: Int!) { changeCaseStatus(id: $id, expectedVersion: $v, to: ACTIVE) { id } }",
            second: "mutation($id: ID!, $v: Int!) { changeCaseStatus(id: $id, expectedVersion: $v, to: MONITORING) { id } }",
        },
        Row {
            name: "encounter",
            client: &op,
            id: encounter.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Case { encounters { edges { node { id version durationMinutes notes } } } } } }",
            read_id: s.case.clone(),
            pointer: "/node/encounters/edges/0/node",
            first: "mutation($id: ID!, $v: Int!) { updateEncounter(input: {id: $id, expectedVersion: $v, durationMinutes: 30}) { id } }",
            second: "mutation($id: ID!, $v: Int!) { updateEncounter(input: {id: $id, expectedVersion: $v, notes: \"sovrascritto\"}) { id } }",
        },
        Row {
            name: "intervention",
            client: &op,
            id: intervention.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Case { interventions { edges { node { id version outcome doneAt } } } } } }",
            read_id: s.case.clone(),
            pointer: "/node/interventions/edges/0/node",
            first: "mutation($id: ID!, $v: Int!) { updateIntervention(id: $id, expectedVersion: $v, outcome: \"permit_renewed\") { id } }",
            second: "mutation($id: ID!, $v: Int!) { updateIntervention(id: $id, expectedVersion: $v, outcome: \"other\") { id } }",
        },
        Row {
            name: "need",
            client: &op,
            id: s.need.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Case { needs { edges { node { id version status } } } } } }",
            read_id: s.case.clone(),
            pointer: "/node/needs/edges/0/node",
            first: "mutation($id: ID!, $v: Int!) { changeNeedStatus(id: $id, expectedVersion: $v, status: ADDRESSED) { id } }",
            second: "mutation($id: ID!, $v: Int!) { changeNeedStatus(id: $id, expectedVersion: $v, status: UNRESOLVED) { id } }",
        },
        Row {
            name: "need type",
            client: &a.admin,
            id: need_type.clone(),
            read: "query { needTypes { id version label retired } }",
            read_id: String::new(),
            pointer: "/needTypes/0",
            first: "mutation($id: ID!, $v: Int!) { updateNeedType(id: $id, expectedVersion: $v, label: \"Emergenza casa\") { id } }",
            second: "mutation($id: ID!, $v: Int!) { updateNeedType(id: $id, expectedVersion: $v, retired: true) { id } }",
        },
        Row {
            name: "referral",
            client: &op,
            id: referral.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Case { referrals { edges { node { id version status feedback } } } } } }",
            read_id: s.case.clone(),
            pointer: "/node/referrals/edges/0/node",
            first: "mutation($id: ID!, $v: Int!) { changeReferralStatus(id: $id, expectedVersion: $v, to: ACCEPTED) { id } }",
            second: "mutation($id: ID!, $v: Int!) { changeReferralStatus(id: $id, expectedVersion: $v, to: COMPLETED, feedback: \"fatto\") { id } }",
        },
        Row {
            name: "plan goal",
            client: &op,
            id: goal.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Case { plan { id version status reviewOn } } } }",
            read_id: s.case.clone(),
            pointer: "/node/plan/0",
            // A review date ahead (a past one is refused); the text lives as long as the test.
            first: Box::leak(
                format!(
                    "mutation($id: ID!, $v: Int!) {{ updateGoal(id: $id, expectedVersion: $v, reviewOn: \"{}\") {{ id }} }}",
                    crate::helpers::days_ahead(40)
                )
                .into_boxed_str(),
            ),
            second: "mutation($id: ID!, $v: Int!) { updateGoal(id: $id, expectedVersion: $v, status: DROPPED) { id } }",
        },
        Row {
            name: "plan step",
            client: &op,
            id: step.clone(),
            read: "query($id: ID!) { node(id: $id) { ... on Case { plan { steps { id version status } } } } }",
            read_id: s.case.clone(),
            pointer: "/node/plan/0/steps/0",
            first: "mutation($id: ID!, $v: Int!) { changeStepStatus(id: $id, expectedVersion: $v, status: DONE) { id } }",
            second: "mutation($id: ID!, $v: Int!) { changeStepStatus(id: $id, expectedVersion: $v, status: CANCELLED) { id } }",
        },
    ];

    for row in &rows {
        let before = read(row).await;
        assert_eq!(before["id"], json!(row.id), "{}: {before}", row.name);
        let v = before["version"].as_i64().expect("version");
        assert_eq!(v, 1, "{}: a new record is at version 1", row.name);

        // Based on the current version: saved, one version up.
        let saved = row
            .client
            .gql(row.first, json!({ "id": row.id, "v": v }))
            .await;
        assert!(saved.get("errors").is_none(), "{}: {saved}", row.name);
        let after = read(row).await;
        assert_eq!(after["version"], json!(v + 1), "{}", row.name);
        assert_ne!(after, before, "{}: the first change was stored", row.name);

        // Based on the version read before it: refused, with the current version; nothing changes.
        let stale = row
            .client
            .gql(row.second, json!({ "id": row.id, "v": v }))
            .await;
        assert_eq!(
            code(&stale).as_deref(),
            Some("CONFLICT"),
            "{}: {stale}",
            row.name
        );
        assert_eq!(
            field(&stale).as_deref(),
            Some("expectedVersion"),
            "{}: {stale}",
            row.name
        );
        assert_eq!(
            stale["errors"][0]["extensions"]["currentVersion"],
            json!(v + 1),
            "{}: {stale}",
            row.name
        );
        assert_eq!(
            read(row).await,
            after,
            "{}: a stale update changed something",
            row.name
        );

        // The other tenant cannot reach it, whatever the version.
        let other = if std::ptr::eq(row.client, &a.admin) {
            &b.admin
        } else {
            &op_b
        };
        let across = other
            .gql(row.second, json!({ "id": row.id, "v": v + 1 }))
            .await;
        assert_eq!(
            code(&across).as_deref(),
            Some("NOT_FOUND"),
            "{}: {across}",
            row.name
        );
        assert!(across["errors"][0]["extensions"]["currentVersion"].is_null());
        assert_eq!(
            read(row).await,
            after,
            "{}: the other tenant changed it",
            row.name
        );

        // Based on the current version, the second change goes through.
        let next = row
            .client
            .gql(row.second, json!({ "id": row.id, "v": v + 1 }))
            .await;
        assert!(next.get("errors").is_none(), "{}: {next}", row.name);
        assert_eq!(read(row).await["version"], json!(v + 2), "{}", row.name);
    }

    // A stale change that would also be an illegal transition from the current state is
    // reported as stale (with the current version), so the user first sees what changed.
    for (query, id) in [
        (
            "mutation($id: ID!) { changeCaseStatus(id: $id, expectedVersion: 2, to: MONITORING) { id } }",
            &s.case,
        ),
        (
            "mutation($id: ID!) { changeReferralStatus(id: $id, expectedVersion: 2, to: COMPLETED) { id } }",
            &referral,
        ),
    ] {
        let stale = op.gql(query, json!({ "id": id })).await;
        assert_eq!(field(&stale).as_deref(), Some("expectedVersion"), "{stale}");
        assert_eq!(
            stale["errors"][0]["extensions"]["currentVersion"], 3,
            "{stale}"
        );
    }
}

on_backends!(stale_updates_conflict_and_change_nothing);
