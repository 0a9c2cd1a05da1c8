//! Two tenants; a user of one cannot read, list, update or delete anything of the other, by id,
//! by filter or by guessing global ids, and the answer is the one for an object that never existed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::helpers::{Backend, Client, Seeded, TestApp, Topology, code, field, seed_tenant};
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
    let app = TestApp::spawn(backend, topology).await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
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
    let resp = a
        .admin
        .gql("{ node(id: \"not-an-id\") { id } }", json!({}))
        .await;
    assert_eq!(code(&resp).as_deref(), Some("NOT_FOUND"));

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
    let filtered = a
        .admin
        .ok(
            "query($c: String) { territories(istatCode: $c) { edges { node { id } } } }",
            json!({ "c": b.istat_code }),
        )
        .await;
    assert_eq!(filtered["territories"]["edges"], json!([]));
    let filtered = a
        .admin
        .ok(
            "query($n: String) { territories(nameContains: $n) { edges { node { id } } } }",
            json!({ "n": "Beta" }),
        )
        .await;
    assert_eq!(filtered["territories"]["edges"], json!([]));
    let by_parent = a
        .admin
        .ok(
            "query($t: ID) { desks(territoryId: $t) { edges { node { id } } } }",
            json!({ "t": b.territory }),
        )
        .await;
    assert_eq!(by_parent["desks"]["edges"], json!([]));
    let by_parent = a
        .admin
        .ok(
            "query($d: ID) { places(deskId: $d) { edges { node { id } } } }",
            json!({ "d": b.desk }),
        )
        .await;
    assert_eq!(by_parent["places"]["edges"], json!([]));

    // Update.
    let c = &a.admin;
    same_as_missing(
        c,
        "mutation($id: ID!) { updateTerritory(input: {id: $id, name: \"x\"}) { id } }",
        |id| json!({ "id": id }),
        &b.territory,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        c,
        "mutation($id: ID!) { updateDesk(input: {id: $id, name: \"x\"}) { id } }",
        |id| json!({ "id": id }),
        &b.desk,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        c,
        "mutation($id: ID!) { updatePlace(input: {id: $id, name: \"x\"}) { id } }",
        |id| json!({ "id": id }),
        &b.place,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        c,
        "mutation($id: ID!) { updateMembership(input: {id: $id, roles: [TENANT_ADMIN]}) { id } }",
        |id| json!({ "id": id }),
        &b.membership,
        "NOT_FOUND",
    )
    .await;
    // Attach to another tenant's parent.
    same_as_missing(c, "mutation($id: ID!) { addDesk(input: {territoryId: $id, name: \"x\", kind: FIXED}) { id } }", |id| json!({ "id": id }), &b.territory, "INVALID_INPUT").await;
    same_as_missing(
        c,
        "mutation($id: ID!) { addPlace(input: {deskId: $id, name: \"x\", kind: SCHOOL}) { id } }",
        |id| json!({ "id": id }),
        &b.desk,
        "INVALID_INPUT",
    )
    .await;
    let resp = c.gql("mutation($id: ID!) { addDesk(input: {territoryId: $id, name: \"x\", kind: FIXED}) { id } }", json!({ "id": b.territory })).await;
    assert_eq!(field(&resp).as_deref(), Some("territoryId"));

    // Delete.
    same_as_missing(
        c,
        "mutation($id: ID!) { removePlace(id: $id) }",
        |id| json!({ "id": id }),
        &b.place,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        c,
        "mutation($id: ID!) { removeDesk(id: $id) }",
        |id| json!({ "id": id }),
        &b.desk,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        c,
        "mutation($id: ID!) { removeTerritory(id: $id) }",
        |id| json!({ "id": id }),
        &b.territory,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        c,
        "mutation($id: ID!) { removeMembership(id: $id) }",
        |id| json!({ "id": id }),
        &b.membership,
        "NOT_FOUND",
    )
    .await;
    same_as_missing(
        c,
        "mutation($id: ID!) { revokeInvitation(id: $id) }",
        |id| json!({ "id": id }),
        &b.invitation,
        "NOT_FOUND",
    )
    .await;

    // Switching into a tenant one does not belong to.
    same_as_missing(
        c,
        "mutation($id: ID!) { switchTenant(tenantId: $id) { activeTenant { id } } }",
        |id| json!({ "id": id }),
        &b.tenant_id,
        "NOT_FOUND",
    )
    .await;

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

on_backends!(a_tenant_sees_nothing_of_another:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres => (Backend::Postgres, Topology::AllInOne),
    postgres_through_http_transport => (Backend::Postgres, Topology::Distributed),
    sqlite_through_http_transport => (Backend::Sqlite, Topology::Distributed),
);

/// A user with memberships in two tenants works in one at a time and switches.
async fn a_user_in_two_tenants_switches_and_sees_one_at_a_time(
    backend: Backend,
    topology: Topology,
) {
    let app = TestApp::spawn(backend, topology).await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    let email = "shared.operator@example.org";
    let mut tokens = Vec::new();
    for admin in [&a.admin, &b.admin] {
        let issued = admin
            .ok(
                "mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }",
                json!({ "i": { "email": email, "roles": ["OPERATOR"] } }),
            )
            .await;
        tokens.push(
            issued["inviteUser"]["token"]
                .as_str()
                .expect("token")
                .to_owned(),
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
        let other = user
            .gql(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": theirs }),
            )
            .await;
        assert_eq!(code(&other).as_deref(), Some("NOT_FOUND"));
    }
}

on_backends!(a_user_in_two_tenants_switches_and_sees_one_at_a_time:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres => (Backend::Postgres, Topology::AllInOne),
);
