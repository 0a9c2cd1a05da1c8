//! The volunteers' events feed the tenant's indicators: active citizens counted from the
//! register's status changes, each tenant its own, with no personal data in any payload.

use serde_json::{Value, json};

use crate::analytics::{indicators, wait_for};
use crate::cases::rows;
use crate::helpers::{Backend, Client, Topology, spawn_alfa_and_beta};
use crate::on_backends;

async fn volunteer(c: &Client, given: &str, email: &str, istat: &str) -> Value {
    c.ok(
        "mutation($i: AddVolunteerInput!) { addVolunteer(input: $i) { id version } }",
        json!({ "i": { "volunteer": {
            "givenNames": given, "familyNames": "Ferraro", "email": email, "phone": "347 765 4321",
            "skills": ["TRANSPORT"], "territories": [istat]
        } } }),
    )
    .await["addVolunteer"]
        .clone()
}

async fn set_status(c: &Client, v: &Value, status: &str) -> Value {
    c.ok(
        "mutation($i: SetVolunteerStatusInput!) { setVolunteerStatus(input: $i) { id version status } }",
        json!({ "i": { "id": v["id"], "status": status, "expectedVersion": v["version"] } }),
    )
    .await["setVolunteerStatus"]
        .clone()
}

async fn active_citizens_are_counted_from_the_register(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let giulia = volunteer(
        &a.admin,
        "Giulia",
        "giulia.ferraro@example.org",
        &a.istat_code,
    )
    .await;
    let marco = volunteer(
        &a.admin,
        "Marco",
        "marco.ferraro@example.org",
        &a.istat_code,
    )
    .await;
    let giulia = set_status(&a.admin, &giulia, "ACTIVE").await;
    let marco = set_status(&a.admin, &marco, "UNDER_REVIEW").await;
    let marco = set_status(&a.admin, &marco, "ACTIVE").await;
    assert_eq!(marco["status"], "ACTIVE");
    let got = wait_for(&a.admin, &[("ACTIVE_VOLUNTEERS", 2)]).await;
    assert_eq!(got["ACTIVE_VOLUNTEERS"]["target"], 20);
    assert_eq!(got["OPERATORS_TRAINED"]["target"], 96);
    // Volunteers are not people served.
    assert_eq!(got["PEOPLE_REACHED"]["value"], 0, "{got:?}");
    set_status(&a.admin, &giulia, "SUSPENDED").await;
    wait_for(&a.admin, &[("ACTIVE_VOLUNTEERS", 1)]).await;

    // Beta's register is its own: one volunteer submitted, none active.
    volunteer(&b.admin, "Sara", "sara.ferraro@example.org", &b.istat_code).await;
    let theirs = indicators(&b.admin).await;
    assert_eq!(theirs["ACTIVE_VOLUNTEERS"]["value"], 0, "{theirs:?}");

    // Every event of the volunteers store: codes and pseudonyms, no name or contact.
    let (conn, schema) = app.store_owner(backend, "volunteers").await;
    let payloads = rows(&conn, &format!("SELECT payload FROM {schema}outbox")).await;
    assert_eq!(payloads.len(), 7, "{payloads:?}");
    for payload in &payloads {
        for secret in [
            "Giulia",
            "Marco",
            "Sara",
            "Ferraro",
            "example.org",
            "7654321",
            "+39",
        ] {
            assert!(!payload.contains(secret), "{secret} in {payload}");
        }
        let event: Value = serde_json::from_str(payload).expect("json");
        assert_eq!(event["type"], "volunteer_status_changed");
        assert_eq!(event["ageBand"], "unknown");
        assert!(event["person"].as_str().is_some_and(|p| p.len() >= 40));
    }
}

on_backends!(active_citizens_are_counted_from_the_register);
