//! The duplicate search's candidates, selected and ranked on the persons' blocking keys: never
//! another tenant's persons, an operator's territories applied before the cap, and keys that
//! follow a person's names and territory when the record changes.

use futures::StreamExt as _;
use serde_json::{Value, json};
use sportello_cases::domain::names::MAX_CANDIDATES;

use crate::helpers::*;
use crate::on_backends;

const CREATE: &str = "mutation($i: PersonInput!) { createPerson(input: $i) { id version } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $i: PersonInput!) { updatePerson(id: $id, expectedVersion: $v, input: $i) { id version } }";
const SEARCH: &str = "query($g: String!, $f: String!, $n: Int) { personDuplicates(givenNames: $g, familyNames: $f, limit: $n) { score person { id territoryCode } } }";

fn person(given: &str, family: &str, territory: &str) -> Value {
    json!({ "givenNames": given, "familyNames": family, "territoryCode": territory })
}

/// The ids the search for these names answers, best first (at most `limit`).
async fn found(op: &Client, given: &str, family: &str, limit: i32) -> Vec<String> {
    let data = op
        .ok(SEARCH, json!({ "g": given, "f": family, "n": limit }))
        .await;
    duplicate_ids(&data)
}

async fn create(op: &Client, given: &str, family: &str, territory: &str) -> String {
    op.id(CREATE, json!({ "i": person(given, family, territory) }))
        .await
}

async fn a_search_never_offers_another_tenants_person_of_the_same_name(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let in_a = create(&op_a, "Mohamed", "Haddad", "052022").await;
    let in_a_script = create(&op_a, "محمد", "حداد", "052022").await;
    let in_b = create(&op_b, "Mohamed", "Haddad", "048017").await;

    let mut seen_by_a = found(&op_a, "Mohamed", "Haddad", 50).await;
    seen_by_a.sort();
    let mut expected = vec![in_a.clone(), in_a_script.clone()];
    expected.sort();
    assert_eq!(seen_by_a, expected);
    // The exact spelling ranks first.
    assert_eq!(found(&op_a, "Mohamed", "Haddad", 1).await, vec![in_a]);
    assert_eq!(found(&op_b, "Mohamed", "Haddad", 50).await, vec![in_b]);
    assert_eq!(found(&op_b, "محمد", "حداد", 50).await.len(), 1);
    // A name only the other tenant holds finds nothing.
    create(&op_b, "Olena", "Shevchenko", "048017").await;
    assert!(found(&op_a, "Olena", "Shevchenko", 50).await.is_empty());
    // Names without a consonant are found by the exact name, in either order.
    let yu = create(&op_a, "Ayo", "Yu", "052022").await;
    create(&op_b, "Ayo", "Yu", "048017").await;
    assert_eq!(found(&op_a, "Ayo", "Yu", 50).await, vec![yu.clone()]);
    assert_eq!(found(&op_a, "Yu", "Ayo", 50).await, vec![yu]);
}

on_backends!(a_search_never_offers_another_tenants_person_of_the_same_name);

/// Alfa with a second territory (052023, Radda in Chianti): Alfa's and Beta's operators, and
/// an Alfa operator limited to 052023; the app, which must outlive them.
async fn with_second_territory(
    backend: Backend,
    topology: Topology,
) -> (TestApp, Client, Client, Client) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    a.admin
        .ok(
            "mutation($i: AddTerritoryInput!) { addTerritory(input: $i) { id } }",
            json!({ "i": { "istatCode": "052023" } }),
        )
        .await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let limited = operator(&app, &a, "radda@alfa.example.org", &["052023"]).await;
    (app, op_a, op_b, limited)
}

async fn a_territory_limited_operator_finds_their_person_among_more_than_the_cap_elsewhere(
    backend: Backend,
    topology: Topology,
) {
    let (_app, op_a, op_b, limited) = with_second_territory(backend, topology).await;
    // More persons of the same name elsewhere than a search keeps as candidates.
    let elsewhere: Vec<String> = futures::stream::iter(0..=MAX_CANDIDATES)
        .map(|_| create(&op_a, "Amina", "Diallo", "052022"))
        .buffer_unordered(4)
        .collect()
        .await;
    assert_eq!(elsewhere.len(), MAX_CANDIDATES + 1);
    let mine = create(&op_a, "Amina", "Diallo", "052023").await;
    create(&op_b, "Amina", "Diallo", "048017").await;

    assert_eq!(
        found(&limited, "Amina", "Diallo", 50).await,
        vec![mine.clone()]
    );
    // The unlimited operator is offered as many as asked for, all of the tenant.
    let all = found(&op_a, "Amina", "Diallo", 50).await;
    assert_eq!(all.len(), 50);
    assert!(
        all.iter().all(|id| elsewhere.contains(id) || *id == mine),
        "{all:?}"
    );
    assert_eq!(found(&op_b, "Amina", "Diallo", 50).await.len(), 1);
}

on_backends!(a_territory_limited_operator_finds_their_person_among_more_than_the_cap_elsewhere);

async fn a_renamed_person_is_found_under_the_new_name_only(backend: Backend, topology: Topology) {
    let (_app, op_a, op_b, limited) = with_second_territory(backend, topology).await;
    let id = create(&op_a, "Oksana", "Kovalenko", "052022").await;
    assert_eq!(
        found(&op_a, "Oksana", "Kovalenko", 10).await,
        vec![id.clone()]
    );

    let renamed = op_a
        .one(
            UPDATE,
            json!({ "id": id, "v": 1, "i": person("Aisha", "Bouzid", "052022") }),
        )
        .await;
    assert_eq!(renamed["version"], 2);
    assert_eq!(found(&op_a, "Aisha", "Bouzid", 10).await, vec![id.clone()]);
    assert_eq!(found(&op_a, "Aicha", "Bouzid", 10).await, vec![id.clone()]);
    assert!(found(&op_a, "Oksana", "Kovalenko", 10).await.is_empty());
    assert!(found(&limited, "Aisha", "Bouzid", 10).await.is_empty());

    // Moved to another territory, the person is found by that territory's operator.
    op_a.one(
        UPDATE,
        json!({ "id": id, "v": 2, "i": person("Aisha", "Bouzid", "052023") }),
    )
    .await;
    assert_eq!(
        found(&limited, "Aisha", "Bouzid", 10).await,
        vec![id.clone()]
    );
    assert!(found(&op_b, "Aisha", "Bouzid", 10).await.is_empty());
}

on_backends!(a_renamed_person_is_found_under_the_new_name_only);
