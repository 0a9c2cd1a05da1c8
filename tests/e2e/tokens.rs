//! API tokens: issued from a session and shown once, sent as `Authorization: Bearer`; scopes
//! enforced (a read-only token cannot mutate, an exports token reads only the figures), expired
//! and revoked tokens refused, never accepted from a cookie or a URL, nor beside a session
//! cookie; every use audited; a token works in its own tenant only.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, Topology, code, operators, spawn_alfa_and_beta};
use crate::on_backends;

const CREATE: &str = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id kind scope name roles expiresAt lastUsedAt } } }";
const PERSONS: &str = "query Persons { persons(first: 5) { edges { node { id } } } }";
const CREATE_PERSON: &str =
    "mutation CreatePerson($i: PersonInput!) { createPerson(input: $i) { id } }";

/// Sends one operation with a bearer token and no cookie; the status and the JSON body.
async fn bearer(url: &str, token: &str, query: &str, variables: Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json"))
}

async fn issue(c: &Client, input: Value) -> (String, Value) {
    let issued = c.ok(CREATE, json!({ "i": input })).await["createApiToken"].clone();
    (
        issued["token"].as_str().expect("token").to_owned(),
        issued["apiToken"].clone(),
    )
}

async fn tokens_act_within_their_scope(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let url = app.url.clone();

    // Refused inputs name their fields; a personal token takes no roles; an operator cannot
    // issue a service token.
    let bad = op_a
        .gql(
            CREATE,
            json!({ "i": { "kind": "PERSONAL", "name": " ", "scope": "FULL", "validDays": 0 } }),
        )
        .await;
    assert_eq!(code(&bad).as_deref(), Some("INVALID_INPUT"), "{bad}");
    let fields: Vec<&str> = bad["errors"][0]["extensions"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["name", "validDays"]);
    let service = op_a
        .gql(CREATE, json!({ "i": { "kind": "SERVICE", "name": "Data warehouse", "scope": "EXPORTS", "validDays": 30, "roles": ["COORDINATOR"] } }))
        .await;
    assert_eq!(code(&service).as_deref(), Some("FORBIDDEN"), "{service}");

    // A read-only personal token reads as its owner and cannot mutate.
    let (read_only, listed) = issue(
        &op_a,
        json!({ "kind": "PERSONAL", "name": "Lettura", "scope": "READ_ONLY", "validDays": 30 }),
    )
    .await;
    assert!(read_only.starts_with("spt_"), "{read_only}");
    assert!(listed.get("token").is_none());
    op_a.ok(CREATE_PERSON, json!({ "i": { "givenNames": "Amina", "familyNames": "Haddad", "territoryCode": a.istat_code } }))
        .await;
    let (status, read) = bearer(&url, &read_only, PERSONS, json!({})).await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(
        read["data"]["persons"]["edges"]
            .as_array()
            .expect("edges")
            .len(),
        1,
        "{read}"
    );
    let (_, write) = bearer(&url, &read_only, CREATE_PERSON, json!({ "i": { "givenNames": "Omar", "familyNames": "Haddad", "territoryCode": a.istat_code } })).await;
    assert_eq!(code(&write).as_deref(), Some("FORBIDDEN"), "{write}");
    // Nothing was written: still one person.
    let (_, after) = bearer(&url, &read_only, PERSONS, json!({})).await;
    assert_eq!(
        after["data"]["persons"]["edges"]
            .as_array()
            .expect("edges")
            .len(),
        1
    );

    // A full token mutates with no CSRF token (there is no cookie).
    let (full, _) = issue(
        &op_a,
        json!({ "kind": "PERSONAL", "name": "Integrazione", "scope": "FULL", "validDays": 1 }),
    )
    .await;
    let (_, made) = bearer(&url, &full, CREATE_PERSON, json!({ "i": { "givenNames": "Omar", "familyNames": "Haddad", "territoryCode": a.istat_code } })).await;
    assert!(made["errors"].is_null(), "{made}");

    // An exports token of a service reads the figures, nothing else.
    let (exports, svc) = issue(&a.admin, json!({ "kind": "SERVICE", "name": "Magazzino dati", "scope": "EXPORTS", "validDays": 90, "roles": ["COORDINATOR"] })).await;
    assert_eq!(svc["roles"], json!(["COORDINATOR"]));
    let (_, figures) = bearer(
        &url,
        &exports,
        "query Figures { indicators { code value } }",
        json!({}),
    )
    .await;
    assert!(figures["errors"].is_null(), "{figures}");
    let (_, people) = bearer(&url, &exports, PERSONS, json!({})).await;
    assert_eq!(code(&people).as_deref(), Some("FORBIDDEN"), "{people}");

    // Never from a cookie, never from the URL, never beside a session cookie.
    let cookie = reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .header("cookie", format!("sportello_session={full}"))
        .json(&json!({ "query": PERSONS }))
        .send()
        .await
        .expect("request");
    let body: Value = cookie.json().await.expect("json");
    assert!(
        body["data"]["persons"].is_null(),
        "a token as a cookie reads nothing: {body}"
    );
    let in_url = reqwest::Client::new()
        .get(format!("{url}/graphql"))
        .query(&[
            ("query", "{ persons(first: 1) { edges { node { id } } } }"),
            ("access_token", full.as_str()),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(in_url.status().as_u16(), 400);
    let in_post_url = reqwest::Client::new()
        .post(format!("{url}/graphql?access_token={full}"))
        .json(&json!({ "query": PERSONS }))
        .send()
        .await
        .expect("request");
    assert_eq!(in_post_url.status().as_u16(), 400);
    let both = op_a
        .http
        .post(format!("{url}/graphql"))
        .bearer_auth(&full)
        .json(&json!({ "query": PERSONS }))
        .send()
        .await
        .expect("request");
    assert_eq!(
        both.status().as_u16(),
        401,
        "a token beside a session cookie is refused"
    );
    // The scheme is case-insensitive; two tokens at once are refused; a proxy's Basic header
    // beside a session is not a token and leaves the session alone.
    let lower = reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .header("authorization", format!("bearer {full}"))
        .json(&json!({ "query": PERSONS }))
        .send()
        .await
        .expect("request");
    assert_eq!(lower.status().as_u16(), 200);
    let two = reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .header("authorization", format!("Bearer {full}"))
        .header("authorization", format!("Bearer {read_only}"))
        .json(&json!({ "query": PERSONS }))
        .send()
        .await
        .expect("request");
    assert_eq!(two.status().as_u16(), 401);
    let basic: Value = op_a
        .http
        .post(format!("{url}/graphql"))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .json(&json!({ "query": PERSONS }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert!(basic["errors"].is_null(), "{basic}");
    // A token cannot manage tokens.
    let (_, managed) = bearer(
        &url,
        &full,
        "query { apiTokens(first: 5) { edges { node { id } } } }",
        json!({}),
    )
    .await;
    assert_eq!(code(&managed).as_deref(), Some("FORBIDDEN"), "{managed}");

    // Another tenant: its operator sees none of Alfa's tokens, and Alfa's token reads Alfa only.
    let theirs = op_b
        .ok(
            "{ apiTokens(first: 10) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(theirs["apiTokens"]["edges"], json!([]));
    let (_, b_read) = bearer(
        &url,
        &read_only,
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": b.territory }),
    )
    .await;
    assert!(b_read["data"]["node"].is_null(), "{b_read}");
    let revoke_theirs = op_b
        .gql(
            "mutation($id: ID!) { revokeApiToken(id: $id) { id } }",
            json!({ "id": listed["id"] }),
        )
        .await;
    assert_eq!(
        code(&revoke_theirs).as_deref(),
        Some("NOT_FOUND"),
        "{revoke_theirs}"
    );

    // Every use is audited: the read-only token's three operations, the refused one included.
    let uses = op_a
        .ok("{ apiTokens(first: 10) { edges { node { id name lastUsedAt uses(first: 10) { edges { node { operation kind client } } } } } } }", json!({}))
        .await;
    let node = uses["apiTokens"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["name"] == "Lettura")
        .expect("the read-only token")
        .clone();
    assert!(!node["lastUsedAt"].is_null());
    let ops: Vec<String> = node["uses"]["edges"]
        .as_array()
        .expect("uses")
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["node"]["kind"].as_str().unwrap_or(""),
                e["node"]["operation"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            "QUERY:-",
            "QUERY:Persons",
            "MUTATION:CreatePerson",
            "QUERY:Persons"
        ],
        "{node}"
    );
    // A token in the console's text never shows in the list.
    assert!(!uses.to_string().contains(&read_only[10..]));

    // Revoked: refused at once with 401.
    op_a.ok(
        "mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }",
        json!({ "id": listed["id"] }),
    )
    .await;
    let (status, revoked) = bearer(&url, &read_only, PERSONS, json!({})).await;
    assert_eq!(status, 401, "{revoked}");
    assert_eq!(code(&revoked).as_deref(), Some("UNAUTHENTICATED"));
    let (status, _) = bearer(&url, "spt_not-a-token", PERSONS, json!({})).await;
    assert_eq!(status, 401);

    // Expired: the one-day token, on a clock two days later (the same stores, read only).
    let mut later = app.config.clone();
    later.clock_start = Some(Utc::now() + Duration::days(2));
    let later = TestApp::spawn_with(later, None, Topology::AllInOne).await;
    let (status, expired) = bearer(&later.url, &full, PERSONS, json!({})).await;
    assert_eq!(status, 401, "{expired}");
    let (status, valid) = bearer(
        &later.url,
        &exports,
        "query Figures { indicators { code } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "the 90-day token still works: {valid}");
}

on_backends!(tokens_act_within_their_scope:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres => (Backend::Postgres, Topology::AllInOne),
    postgres_distributed => (Backend::Postgres, Topology::Distributed),
);
