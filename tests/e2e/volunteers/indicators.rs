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

/// A course for operators, a co-design workshop, approved hours and a pact, each counted once in its
/// indicator (a sheet recorded again replaces its facts), in Alfa only.
async fn training_and_hours_feed_their_indicators(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let course = "mutation($i: CourseInput!) { createCourse(input: $i) { id } }";
    let session = "mutation($i: AddCourseSessionInput!) { addCourseSession(input: $i) { id } }";
    let enrol = "mutation($i: EnrolInput!) { enrol(input: $i) { id status } }";
    let sheet = "mutation($i: AttendanceSheetInput!) { recordAttendance(input: $i) { present } }";
    let starts = chrono::Utc::now() - chrono::Duration::days(2);
    for (kind, audience, who) in [
        ("COURSE", "OPERATORS", "Lucia Bianchi"),
        ("WORKSHOP", "CITIZENS", "Karim Said"),
    ] {
        let id = a
            .admin
            .id(
                course,
                json!({ "i": { "kind": kind, "title": format!("{kind} di prova"), "audience": audience,
                    "plannedMinutes": 120, "trainer": "Formatrice", "capacity": 10 } }),
            )
            .await;
        let s = a
            .admin
            .id(
                session,
                json!({ "i": { "courseId": id, "startsAt": starts.to_rfc3339(),
                    "endsAt": (starts + chrono::Duration::hours(2)).to_rfc3339(), "place": "Sala consiliare" } }),
            )
            .await;
        let e = a
            .admin
            .id(
                enrol,
                json!({ "i": { "courseId": id, "participant": { "person": { "name": who } } } }),
            )
            .await;
        // Recorded twice (a correction): counted once.
        for _ in 0..2 {
            a.admin
                .ok(
                    sheet,
                    json!({ "i": { "sessionId": s, "entries": [{ "enrolmentId": e, "present": true }] } }),
                )
                .await;
        }
    }

    // Two hours logged by an active volunteer and approved by staff.
    let added = volunteer(
        &a.admin,
        "Elena",
        "elena.ferraro@example.org",
        &a.istat_code,
    )
    .await;
    let active = a
        .admin
        .ok(
            "mutation($i: SetVolunteerStatusInput!) { setVolunteerStatus(input: $i) { invitationToken } }",
            json!({ "i": { "id": added["id"], "status": "ACTIVE", "expectedVersion": added["version"] } }),
        )
        .await;
    let token = active["setVolunteerStatus"]["invitationToken"]
        .as_str()
        .expect("an invitation for the new volunteer");
    let elena = app.member(token, "Volontaria-Elena-2026", "Elena").await;
    let today = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    let logged = elena
        .ok(
            "mutation($i: LogHoursInput!) { logHours(input: $i) { id version } }",
            json!({ "i": { "on": today.to_string(), "minutes": 120, "note": "Trasporto" } }),
        )
        .await["logHours"]
        .clone();
    a.admin
        .ok(
            "mutation($i: DecideHoursInput!) { approveHours(input: $i) { status } }",
            json!({ "i": { "id": logged["id"], "expectedVersion": logged["version"] } }),
        )
        .await;

    // A pact from proposal to active, started two months ago for a year.
    let start = (chrono::Utc::now().date_naive() - chrono::Duration::days(60)).to_string();
    let active = super::pacts::activate(&a.admin, super::pacts::pact(&a.istat_code, &start)).await;
    assert_eq!(active["status"], "ACTIVE", "{active}");

    let got = wait_for(
        &a.admin,
        &[
            ("ACTIVE_PACTS", 1),
            ("OPERATORS_TRAINED", 1),
            ("CODESIGN_WORKSHOPS", 1),
            ("VOLUNTEER_HOURS", 2),
            ("ACTIVE_VOLUNTEERS", 1),
        ],
    )
    .await;
    assert_eq!(got["CODESIGN_WORKSHOPS"]["target"], 4);
    assert_eq!(got["PEOPLE_REACHED"]["value"], 0, "{got:?}");
    let hours = a
        .admin
        .ok("{ volunteerHours { skill territory minutes } }", json!({}))
        .await;
    assert_eq!(
        hours["volunteerHours"],
        json!([{ "skill": "OTHER", "territory": a.istat_code, "minutes": 120 }])
    );
    // The volunteer sees none of it.
    let refused = elena.gql("{ volunteerHours { minutes } }", json!({})).await;
    assert_eq!(
        crate::helpers::code(&refused).as_deref(),
        Some("FORBIDDEN"),
        "{refused}"
    );

    // Beta counts nothing of Alfa's.
    let theirs = indicators(&b.admin).await;
    for code in [
        "OPERATORS_TRAINED",
        "CODESIGN_WORKSHOPS",
        "VOLUNTEER_HOURS",
        "ACTIVE_VOLUNTEERS",
        "ACTIVE_PACTS",
    ] {
        assert_eq!(theirs[code]["value"], 0, "{code}: {theirs:?}");
    }
    let none = b
        .admin
        .ok("{ volunteerHours { minutes } }", json!({}))
        .await;
    assert_eq!(none["volunteerHours"], json!([]));

    // The events of the volunteers store: no name, contact or note.
    let (conn, schema) = app.store_owner(backend, "volunteers").await;
    let payloads = rows(&conn, &format!("SELECT payload FROM {schema}outbox")).await;
    let mut kinds: Vec<String> = Vec::new();
    for payload in &payloads {
        for secret in [
            "Lucia",
            "Bianchi",
            "Karim",
            "Elena",
            "Ferraro",
            "example.org",
            "Trasporto",
            "Sala",
            "Amici",
            "Parco",
            "Tigli",
            "7654321",
        ] {
            assert!(!payload.contains(secret), "{secret} in {payload}");
        }
        let event: Value = serde_json::from_str(payload).expect("json");
        kinds.push(event["type"].as_str().expect("type").to_owned());
    }
    kinds.sort();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "attendance_recorded",
            "course_completed",
            "hours_approved",
            "pact_status_changed",
            "volunteer_status_changed"
        ]
    );
}

on_backends!(training_and_hours_feed_their_indicators);
