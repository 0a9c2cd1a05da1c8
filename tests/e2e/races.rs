//! Case rules that must hold under concurrent requests: one open case per person, and nothing
//! added to a case once its closure has committed. Two tenants each time: what one does never
//! reaches or blocks the other.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::cases::story;
use crate::helpers::{Backend, Client, TestApp, Topology, code, field, operator, seed_tenant};
use crate::on_backends;

const OPEN_CASE: &str =
    "mutation($p: ID!, $t: String) { openCase(personId: $p, territoryCode: $t) { id status } }";
const ENCOUNTER: &str = "mutation($c: ID!) { addEncounter(input: {caseId: $c, occurredAt: \"2026-11-20T09:30:00Z\", channel: PHONE}) { id } }";
const CASE_VERSION: &str = "query($id: ID!) { node(id: $id) { ... on Case { version } } }";
const CHANGE: &str = "mutation($id: ID!, $to: CaseStatus!, $o: String, $r: String, $v: Int!) { changeCaseStatus(id: $id, to: $to, outcome: $o, reason: $r, expectedVersion: $v) { status closedAt } }";

/// A registered person with consent to case management and no case yet.
async fn person(op: &Client, given: &str, territory: &str) -> String {
    let id = op
        .ok(
            "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({ "i": { "givenNames": given, "familyNames": "Rossi", "territoryCode": territory } }),
        )
        .await["createPerson"]["id"]
        .as_str()
        .expect("person id")
        .to_owned();
    op.ok(
        "mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }",
        json!({ "p": id }),
    )
    .await;
    id
}

/// Moves a case to `to`, based on its current version.
async fn change(
    op: &Client,
    case: &str,
    to: &str,
    outcome: Option<&str>,
    reason: Option<&str>,
) -> Value {
    let version = op.ok(CASE_VERSION, json!({ "id": case })).await["node"]["version"].clone();
    op.gql(
        CHANGE,
        json!({ "id": case, "to": to, "o": outcome, "r": reason, "v": version }),
    )
    .await
}

/// The ids of a person's cases that are not closed, as the operator sees them.
async fn open_cases(op: &Client, person: &str) -> Vec<String> {
    let data = op
        .ok(
            "query($p: ID!) { cases(first: 100, filter: {personId: $p}) { edges { node { id status } } } }",
            json!({ "p": person }),
        )
        .await;
    data["cases"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["node"]["status"] != "CLOSED")
        .map(|e| e["node"]["id"].as_str().expect("id").to_owned())
        .collect()
}

/// A person has one open case per tenant: a second `openCase` is `CONFLICT` on `personId` naming
/// the open case (`extensions.existingId`) when the user may see it, and not when it is followed
/// in a territory outside theirs; ten concurrent openings leave exactly one; reopening a closed
/// case while another is open is refused the same way. Another tenant's person is not reachable,
/// and the other tenant opens its own cases undisturbed.
async fn one_open_case_per_person(backend: Backend, topology: Topology) {
    let app = TestApp::spawn(backend, topology).await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    a.admin
        .ok(
            "mutation { addTerritory(input: {istatCode: \"052012\", name: \"Colle di Val d'Elsa\"}) { id } }",
            json!({}),
        )
        .await;
    let op_a = Arc::new(operator(&app, &a, "op@alfa.example.org", &[]).await);
    let op_b = Arc::new(operator(&app, &b, "op@beta.example.org", &[]).await);
    let limited = operator(&app, &a, "limitato@alfa.example.org", &["052022"]).await;

    // A second opening names the open case.
    let mine = story(&op_a, "Olena", "Kovalenko", "052022").await;
    let second = op_a.gql(OPEN_CASE, json!({ "p": mine.person })).await;
    assert_eq!(code(&second).as_deref(), Some("CONFLICT"), "{second}");
    assert_eq!(field(&second).as_deref(), Some("personId"), "{second}");
    assert_eq!(
        second["errors"][0]["extensions"]["existingId"],
        json!(mine.case),
        "{second}"
    );
    assert_eq!(
        open_cases(&op_a, &mine.person).await,
        vec![mine.case.clone()]
    );

    // Ten at once, in both tenants: exactly one each.
    let p_a = person(&op_a, "Amina", "052022").await;
    let p_b = person(&op_b, "Amina", "048017").await;
    let mut set = JoinSet::new();
    for i in 0..20 {
        let (op, p) = if i % 2 == 0 {
            (op_a.clone(), p_a.clone())
        } else {
            (op_b.clone(), p_b.clone())
        };
        set.spawn(async move { (i % 2, op.gql(OPEN_CASE, json!({ "p": p })).await) });
    }
    let mut opened = [Vec::new(), Vec::new()];
    let mut refused = [Vec::new(), Vec::new()];
    while let Some(done) = set.join_next().await {
        let (side, resp) = done.expect("task");
        match code(&resp) {
            None => opened[side].push(
                resp["data"]["openCase"]["id"]
                    .as_str()
                    .expect("id")
                    .to_owned(),
            ),
            Some(c) if c == "CONFLICT" => refused[side].push(resp),
            Some(other) => panic!("unexpected {other}: {resp}"),
        }
    }
    for side in 0..2 {
        assert_eq!(
            opened[side].len(),
            1,
            "exactly one opening succeeds: {refused:?}"
        );
        assert_eq!(refused[side].len(), 9);
        for resp in &refused[side] {
            assert_eq!(field(resp).as_deref(), Some("personId"), "{resp}");
            // The index backstop answers without naming the case; the checked path names it.
            let existing = &resp["errors"][0]["extensions"]["existingId"];
            assert!(
                existing.is_null() || existing == &json!(opened[side][0]),
                "{resp}"
            );
        }
    }
    assert_eq!(open_cases(&op_a, &p_a).await, vec![opened[0][0].clone()]);
    assert_eq!(open_cases(&op_b, &p_b).await, vec![opened[1][0].clone()]);
    // The other tenant's person is not reachable, so neither is its case.
    let across = op_a.gql(OPEN_CASE, json!({ "p": p_b })).await;
    assert_eq!(code(&across).as_deref(), Some("INVALID_INPUT"), "{across}");
    assert!(across["errors"][0]["extensions"]["existingId"].is_null());
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let stored: i64 = count_rows(
        &conn, &format!(
            "SELECT count(*) AS n FROM {schema}cases WHERE status <> 'closed' GROUP BY tenant_id, person_id ORDER BY n DESC LIMIT 1"
        )).await;
    assert_eq!(stored, 1, "no person of any tenant has two open cases");

    // A case followed in a territory outside the user's: refused, without its id.
    let p_far = person(&op_a, "Yusuf", "052022").await;
    let far = op_a
        .ok(OPEN_CASE, json!({ "p": p_far, "t": "052012" }))
        .await["openCase"]["id"]
        .as_str()
        .expect("case")
        .to_owned();
    let hidden = limited.gql(OPEN_CASE, json!({ "p": p_far })).await;
    assert_eq!(code(&hidden).as_deref(), Some("CONFLICT"), "{hidden}");
    assert!(
        hidden["errors"][0]["extensions"]["existingId"].is_null(),
        "{hidden}"
    );
    assert!(!hidden.to_string().contains(&far));

    // Closed, a new case may be opened; the old one cannot be reopened beside it.
    assert!(
        change(&op_a, &mine.case, "ACTIVE", None, None)
            .await
            .get("errors")
            .is_none()
    );
    let closed = change(&op_a, &mine.case, "CLOSED", Some("autonomy_reached"), None).await;
    assert!(closed.get("errors").is_none(), "{closed}");
    let next = op_a.ok(OPEN_CASE, json!({ "p": mine.person })).await["openCase"]["id"]
        .as_str()
        .expect("case")
        .to_owned();
    let reopen = change(&op_a, &mine.case, "ACTIVE", None, Some("nuovo bisogno")).await;
    assert_eq!(code(&reopen).as_deref(), Some("CONFLICT"), "{reopen}");
    assert_eq!(reopen["errors"][0]["extensions"]["existingId"], json!(next));
    // Named on an argument of the mutation that was refused.
    assert_eq!(field(&reopen).as_deref(), Some("to"), "{reopen}");
    assert_eq!(open_cases(&op_a, &mine.person).await, vec![next]);
}

on_backends!(one_open_case_per_person);

/// Twenty encounters recorded while the case is being closed: each is either saved before the
/// closure or refused with `CONFLICT`; none is stored after it, and the stored count is the
/// count of those that succeeded. The other tenant's case, written to at the same time, takes
/// all of its encounters.
async fn a_closing_case_takes_no_encounter_after_closure(backend: Backend, topology: Topology) {
    let app = TestApp::spawn(backend, topology).await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    let op_a = Arc::new(operator(&app, &a, "op@alfa.example.org", &[]).await);
    let op_b = Arc::new(operator(&app, &b, "op@beta.example.org", &[]).await);
    let mine = story(&op_a, "Olena", "Kovalenko", "052022").await;
    let theirs = story(&op_b, "Amina", "El Idrissi", "048017").await;
    assert!(
        change(&op_a, &mine.case, "ACTIVE", None, None)
            .await
            .get("errors")
            .is_none()
    );
    let version =
        op_a.ok(CASE_VERSION, json!({ "id": mine.case })).await["node"]["version"].clone();

    let mut set = JoinSet::new();
    for i in 0..20 {
        let op = op_a.clone();
        let case = mine.case.clone();
        set.spawn(async move { ("a", op.gql(ENCOUNTER, json!({ "c": case })).await) });
        let op = op_b.clone();
        let case = theirs.case.clone();
        set.spawn(async move { ("b", op.gql(ENCOUNTER, json!({ "c": case })).await) });
        if i == 6 {
            let op = op_a.clone();
            let case = mine.case.clone();
            let version = version.clone();
            set.spawn(async move {
                let vars =
                    json!({ "id": case, "to": "CLOSED", "o": "autonomy_reached", "v": version });
                ("close", op.gql(CHANGE, vars).await)
            });
        }
    }
    let (mut saved_a, mut refused_a, mut saved_b) = (0, 0, 0);
    while let Some(done) = set.join_next().await {
        let (who, resp) = done.expect("task");
        match (who, code(&resp).as_deref()) {
            ("close", None) => {}
            ("a", None) => saved_a += 1,
            ("a", Some("CONFLICT")) => refused_a += 1,
            ("b", None) => saved_b += 1,
            _ => panic!("unexpected answer to {who}: {resp}"),
        }
    }
    assert_eq!(saved_a + refused_a, 20);
    assert_eq!(saved_b, 20, "the other tenant's case is not held up");

    let count = |op: Arc<Client>, case: String| async move {
        op.ok(
            "query($c: ID!) { node(id: $c) { ... on Case { status encounters(first: 100) { edges { node { id } } } } } }",
            json!({ "c": case }),
        )
        .await["node"]
        .clone()
    };
    let after = count(op_a.clone(), mine.case.clone()).await;
    assert_eq!(after["status"], "CLOSED");
    assert_eq!(
        after["encounters"]["edges"]
            .as_array()
            .expect("edges")
            .len(),
        1 + saved_a,
        "the story's encounter and those that succeeded, nothing else"
    );
    let other = count(op_b.clone(), theirs.case.clone()).await;
    assert_eq!(
        other["encounters"]["edges"]
            .as_array()
            .expect("edges")
            .len(),
        21
    );

    let (conn, schema) = app.store_owner(backend, "cases").await;
    let late: i64 = count_rows(
        &conn,
        &format!(
            "SELECT count(*) FROM {schema}encounters e JOIN {schema}cases c \
             ON c.tenant_id = e.tenant_id AND c.id = e.case_id \
             WHERE c.closed_at IS NOT NULL AND e.created_at > c.closed_at"
        ),
    )
    .await;
    assert_eq!(late, 0, "an encounter was stored after the closure");
    let closed: i64 = count_rows(
        &conn,
        &format!("SELECT count(*) FROM {schema}cases WHERE closed_at IS NOT NULL"),
    )
    .await;
    assert_eq!(closed, 1, "the closure was stored");
}

on_backends!(a_closing_case_takes_no_encounter_after_closure);

/// The single number a counting statement returns, read as the store's owner.
async fn count_rows(conn: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .expect("count")
        .expect("row")
        .try_get_by_index(0)
        .expect("n")
}
