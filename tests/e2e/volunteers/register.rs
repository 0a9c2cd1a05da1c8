//! The register of active citizens: volunteers entered by staff, their validation, the skill
//! taxonomy, and isolation between tenants.

use serde_json::{Value, json};

use crate::helpers::{Backend, Topology, code, field, spawn_alfa_and_beta};
use crate::on_backends;

const VOLUNTEER: &str = "id version givenNames familyNames email phone status source \
    languages { code level } skills territories works_with_minors: worksWithMinors \
    availability { weekly { weekday from to } exceptions { on slots { from to } } }";

fn input(istat: &str) -> Value {
    json!({
        "volunteer": {
            "givenNames": "  Amina ",
            "familyNames": "Haddad",
            "email": "Amina.Haddad@Example.org",
            "phone": "333 123 4567",
            "languages": [{ "code": "ar", "level": "NATIVE" }, { "code": "it", "level": "B2" }],
            "skills": ["language_support", "ACCOMPANIMENT"],
            "territories": [istat],
            "availability": {
                "weekly": [
                    { "weekday": 3, "from": "15:00:00", "to": "18:00:00" },
                    { "weekday": 1, "from": "09:00:00", "to": "12:00:00" }
                ],
                "exceptions": [{ "on": "2027-01-06", "slots": [] }]
            }
        },
        "conductSignedOn": "2026-11-02",
        "dataConsentOn": "2026-11-02"
    })
}

async fn staff_enter_volunteers_each_tenant_its_own(backend: Backend, topology: Topology) {
    let (_app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let add =
        format!("mutation($i: AddVolunteerInput!) {{ addVolunteer(input: $i) {{ {VOLUNTEER} }} }}");

    let added =
        a.admin.ok(&add, json!({ "i": input(&a.istat_code) })).await["addVolunteer"].clone();
    assert_eq!(added["givenNames"], "Amina");
    assert_eq!(added["email"], "amina.haddad@example.org");
    assert_eq!(added["phone"], "+393331234567");
    assert_eq!(added["status"], "SUBMITTED");
    assert_eq!(added["source"], "STAFF");
    assert_eq!(
        added["skills"],
        json!(["LANGUAGE_SUPPORT", "ACCOMPANIMENT"])
    );
    assert_eq!(added["territories"], json!([a.istat_code]));
    assert_eq!(
        added["availability"]["weekly"][0]["weekday"], 1,
        "slots sorted: {added}"
    );
    assert_eq!(
        added["languages"][0],
        json!({ "code": "ar", "level": "NATIVE" })
    );
    let id = added["id"].as_str().expect("id").to_owned();

    // Each refusal names its field and writes nothing.
    let bad: Vec<(&str, Value)> = vec![
        ("givenNames", json!({ "givenNames": " " })),
        ("email", json!({ "email": null, "phone": null })),
        ("phone", json!({ "phone": "12" })),
        ("skills", json!({ "skills": ["ASTROLOGY"] })),
        ("territories", json!({ "territories": [b.istat_code] })),
        ("territories", json!({ "territories": ["12"] })),
        (
            "languages",
            json!({ "languages": [{ "code": "xx-nonsense", "level": "A1" }] }),
        ),
        (
            "availability",
            json!({ "availability": { "weekly": [{ "weekday": 9, "from": "09:00:00", "to": "10:00:00" }], "exceptions": [] } }),
        ),
        (
            "availability",
            json!({ "availability": { "weekly": [{ "weekday": 2, "from": "12:00:00", "to": "10:00:00" }], "exceptions": [] } }),
        ),
    ];
    for (expected, patch) in bad {
        let mut i = input(&a.istat_code);
        for (k, v) in patch.as_object().expect("patch") {
            i["volunteer"][k] = v.clone();
        }
        let resp = a.admin.gql(&add, json!({ "i": i })).await;
        assert_eq!(
            code(&resp).as_deref(),
            Some("INVALID_INPUT"),
            "{expected}: {resp}"
        );
        assert_eq!(field(&resp).as_deref(), Some(expected), "{resp}");
    }
    let future = a
        .admin
        .gql(&add, json!({ "i": { "volunteer": input(&a.istat_code)["volunteer"], "conductSignedOn": "2099-01-01" } }))
        .await;
    assert_eq!(
        field(&future).as_deref(),
        Some("conductSignedOn"),
        "{future}"
    );

    let list = "{ volunteers(first: 50) { edges { node { id givenNames } } } }";
    let mine = a.admin.ok(list, json!({})).await;
    assert_eq!(
        mine["volunteers"]["edges"].as_array().map(Vec::len),
        Some(1),
        "{mine}"
    );
    let filtered = a
        .admin
        .ok(
            "query($s: String, $t: String) { volunteers(skill: $s, territory: $t, status: SUBMITTED) { edges { node { id } } } }",
            json!({ "s": "accompaniment", "t": a.istat_code }),
        )
        .await;
    assert_eq!(
        filtered["volunteers"]["edges"][0]["node"]["id"],
        id.as_str()
    );
    let none = a
        .admin
        .ok(
            "{ volunteers(skill: \"TRANSPORT\") { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(none["volunteers"]["edges"], json!([]));

    // Beta sees nothing of Alfa: not in its list, not by id.
    let theirs = b.admin.ok(list, json!({})).await;
    assert_eq!(theirs["volunteers"]["edges"], json!([]));
    let by_id = b
        .admin
        .gql(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(by_id["data"]["node"].is_null(), "{by_id}");
    assert_eq!(code(&by_id).as_deref(), Some("NOT_FOUND"), "{by_id}");
    let own = a
        .admin
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Volunteer { givenNames } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(own["node"]["givenNames"], "Amina");

    let skills = a
        .admin
        .ok("{ skills { code default retired } }", json!({}))
        .await;
    assert!(
        skills["skills"].as_array().is_some_and(|s| s
            .iter()
            .any(|k| k["code"] == "CHILDCARE" && k["default"] == true)),
        "{skills}"
    );
}

on_backends!(staff_enter_volunteers_each_tenant_its_own);
