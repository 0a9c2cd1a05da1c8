//! Training: a course with a waiting list, attendance over four sessions, a session changed and
//! one cancelled (out of the completion rule), the calendar of sessions by local days, the
//! certificate of attendance as a PDF and its public verification, what volunteers see of their
//! own and of the courses open to them, and isolation between tenants.

use base64::Engine;
use chrono::{Duration, SubsecRound, Utc};
use serde_json::{Value, json};

use crate::helpers::{
    Backend, Client, Seeded, TestApp, Topology, code, field, spawn_alfa_and_beta,
};
use crate::on_backends;

const ENROLMENT: &str = "id status waitingPosition participantName sessionsHeld sessionsAttended minutesAttended \
     completed certificateId";
const CERTIFICATE: &str = "id participantName courseTitle minutesAttended hoursAttended \
    sessionsAttended sessionsHeld firstDay lastDay issuedOn verificationCode verificationPath";

/// A volunteer of the register, entered by staff.
async fn volunteer(admin: &Client, t: &Seeded, given: &str, email: &str) -> String {
    admin
        .id(
            "mutation($i: AddVolunteerInput!) { addVolunteer(input: $i) { id } }",
            json!({ "i": { "volunteer": {
                "givenNames": given,
                "familyNames": "Haddad",
                "email": email,
                "territories": [t.istat_code],
            } } }),
        )
        .await
}

/// Makes the volunteer active and signs them in with the volunteer role.
async fn signed_in_volunteer(app: &TestApp, t: &Seeded, id: &str, email: &str) -> Client {
    let version = t
        .admin
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Volunteer { version } } }",
            json!({ "id": id }),
        )
        .await["node"]["version"]
        .clone();
    t.admin
        .ok(
            "mutation($i: SetVolunteerStatusInput!) { setVolunteerStatus(input: $i) { status } }",
            json!({ "i": { "id": id, "status": "ACTIVE", "expectedVersion": version } }),
        )
        .await;
    let token = t
        .admin
        .invite(json!({ "email": email, "roles": ["VOLUNTEER"] }))
        .await;
    app.member(&token, "Volontariato-Attivo-2026", "Volontaria")
        .await
}

async fn create_course(admin: &Client, title: &str, audience: &str, capacity: i32) -> Value {
    admin
        .ok(
            "mutation($i: CourseInput!) { createCourse(input: $i) { id version title capacity minAttendancePercent enrolled waiting } }",
            json!({ "i": {
                "kind": "COURSE",
                "title": title,
                "audience": audience,
                "plannedMinutes": 480,
                "trainer": "Giulia Neri",
                "capacity": capacity,
            } }),
        )
        .await["createCourse"]
        .clone()
}

async fn enrol(admin: &Client, course: &str, participant: Value) -> Value {
    admin
        .gql(
            &format!("mutation($i: EnrolInput!) {{ enrol(input: $i) {{ {ENROLMENT} }} }}"),
            json!({ "i": { "courseId": course, "participant": participant } }),
        )
        .await
}

async fn enrolment(admin: &Client, id: &str) -> Value {
    admin
        .ok(
            &format!(
                "query($id: ID!) {{ node(id: $id) {{ ... on Enrolment {{ {ENROLMENT} }} }} }}"
            ),
            json!({ "id": id }),
        )
        .await["node"]
        .clone()
}

/// The `extensions.reason` of the first error, if any.
fn reason(resp: &Value) -> Option<String> {
    resp["errors"][0]["extensions"]["reason"]
        .as_str()
        .map(str::to_owned)
}

const UPDATE_SESSION: &str = "mutation($i: UpdateCourseSessionInput!) { updateCourseSession(input: $i) { id version startsAt endsAt place onlineUrl held cancelled } }";
const CANCEL_SESSION: &str = "mutation($i: CancelCourseSessionInput!) { cancelCourseSession(input: $i) { id version held cancelled cancelReason } }";
const CALENDAR: &str = "query($f: NaiveDate!, $t: NaiveDate!) { courseSessions(from: $f, to: $t) { id startsAt cancelled course { id title } } }";

fn text_of_pdf(base64: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .expect("base64");
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("the PDF opens");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

async fn a_course_fills_waits_records_attendance_and_certifies(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let title = "Accoglienza e mediazione linguistico-culturale";

    // Typed refusals, nothing written.
    for (patch, expected) in [
        (json!({ "capacity": 0 }), "capacity"),
        (json!({ "title": "  " }), "title"),
        (
            json!({ "minAttendancePercent": 101 }),
            "minAttendancePercent",
        ),
        (json!({ "plannedMinutes": -5 }), "plannedMinutes"),
    ] {
        let mut i = json!({ "kind": "WORKSHOP", "title": "Laboratorio", "audience": "CITIZENS",
            "plannedMinutes": 120, "trainer": "Giulia Neri", "capacity": 10 });
        for (k, v) in patch.as_object().expect("patch") {
            i[k] = v.clone();
        }
        let resp = a
            .admin
            .gql(
                "mutation($i: CourseInput!) { createCourse(input: $i) { id } }",
                json!({ "i": i }),
            )
            .await;
        assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"), "{resp}");
        assert_eq!(field(&resp).as_deref(), Some(expected), "{resp}");
    }
    let none = a
        .admin
        .ok("{ courses { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(none["courses"]["edges"], json!([]), "{none}");

    let course = create_course(&a.admin, title, "VOLUNTEERS", 2).await;
    assert_eq!(course["minAttendancePercent"], 75, "{course}");
    let course_id = course["id"].as_str().expect("id").to_owned();

    // Capacity 2, three enrolments: the third waits.
    let amina = volunteer(&a.admin, &a, "Amina", "amina@alfa.example.org").await;
    let omar = volunteer(&a.admin, &a, "Omar", "omar@alfa.example.org").await;
    let first = enrol(&a.admin, &course_id, json!({ "volunteerId": amina })).await;
    assert_eq!(first["data"]["enrol"]["status"], "ENROLLED", "{first}");
    assert_eq!(first["data"]["enrol"]["participantName"], "Amina Haddad");
    let marco = enrol(
        &a.admin,
        &course_id,
        json!({ "person": { "name": "Marco Rossi", "email": "marco@comune.example.org" } }),
    )
    .await;
    assert_eq!(marco["data"]["enrol"]["status"], "ENROLLED", "{marco}");
    let third = enrol(&a.admin, &course_id, json!({ "volunteerId": omar })).await;
    assert_eq!(third["data"]["enrol"]["status"], "WAITING", "{third}");
    assert_eq!(third["data"]["enrol"]["waitingPosition"], 1, "{third}");
    let again = enrol(&a.admin, &course_id, json!({ "volunteerId": amina })).await;
    assert_eq!(field(&again).as_deref(), Some("volunteerId"), "{again}");
    let unknown_person = enrol(&a.admin, &course_id, json!({ "person": { "name": " " } })).await;
    assert_eq!(
        field(&unknown_person).as_deref(),
        Some("name"),
        "{unknown_person}"
    );
    let amina_enrolment = first["data"]["enrol"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let marco_enrolment = marco["data"]["enrol"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let omar_enrolment = third["data"]["enrol"]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    // A withdrawal promotes the first waiting.
    let withdrawn = a
        .admin
        .ok(
            "mutation($id: ID!) { withdrawEnrolment(id: $id) { status } }",
            json!({ "id": marco_enrolment }),
        )
        .await;
    assert_eq!(withdrawn["withdrawEnrolment"]["status"], "WITHDRAWN");
    let promoted = enrolment(&a.admin, &omar_enrolment).await;
    assert_eq!(promoted["status"], "ENROLLED", "{promoted}");
    assert!(promoted["waitingPosition"].is_null(), "{promoted}");
    let counted = a
        .admin
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Course { enrolled waiting enrolments(status: ENROLLED) { edges { node { id } } } } } }",
            json!({ "id": course_id }),
        )
        .await;
    assert_eq!(counted["node"]["enrolled"], 2, "{counted}");
    assert_eq!(counted["node"]["waiting"], 0, "{counted}");
    assert_eq!(
        counted["node"]["enrolments"]["edges"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );

    // Four sessions of two hours, in the past.
    let add_session =
        "mutation($i: AddCourseSessionInput!) { addCourseSession(input: $i) { id held } }";
    let base = Utc::now().trunc_subsecs(0) - Duration::days(30);
    let mut sessions = Vec::new();
    for n in 0..4 {
        let starts = base + Duration::days(7 * n);
        let resp = a
            .admin
            .ok(
                add_session,
                json!({ "i": {
                    "courseId": course_id,
                    "startsAt": starts.to_rfc3339(),
                    "endsAt": (starts + Duration::hours(2)).to_rfc3339(),
                    "place": if n == 3 { Value::Null } else { json!("Biblioteca comunale") },
                    "onlineUrl": if n == 3 { json!("https://meet.example.org/corso") } else { Value::Null },
                } }),
            )
            .await;
        sessions.push(
            resp["addCourseSession"]["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }
    for (bad, expected) in [
        (
            json!({ "startsAt": base.to_rfc3339(), "endsAt": (base - Duration::hours(1)).to_rfc3339(), "place": "Sala" }),
            "endsAt",
        ),
        (
            json!({ "startsAt": base.to_rfc3339(), "endsAt": (base + Duration::hours(1)).to_rfc3339() }),
            "place",
        ),
    ] {
        let mut i = bad;
        i["courseId"] = json!(course_id);
        let resp = a.admin.gql(add_session, json!({ "i": i })).await;
        assert_eq!(field(&resp).as_deref(), Some(expected), "{resp}");
    }

    // Attendance: Amina at 3 of 4 (75%: complete), Omar at 2 of 4.
    let sheet = "mutation($i: AttendanceSheetInput!) { recordAttendance(input: $i) { enrolmentId present } }";
    for (n, session) in sessions.iter().enumerate() {
        let resp = a
            .admin
            .ok(
                sheet,
                json!({ "i": { "sessionId": session, "entries": [
                    { "enrolmentId": amina_enrolment, "present": n != 1 },
                    { "enrolmentId": omar_enrolment, "present": n < 2 },
                ] } }),
            )
            .await;
        assert_eq!(
            resp["recordAttendance"].as_array().map(Vec::len),
            Some(2),
            "{resp}"
        );
    }
    let withdrawn_line = a
        .admin
        .gql(
            sheet,
            json!({ "i": { "sessionId": sessions[0], "entries": [
                { "enrolmentId": marco_enrolment, "present": true },
            ] } }),
        )
        .await;
    assert_eq!(
        field(&withdrawn_line).as_deref(),
        Some("entries"),
        "{withdrawn_line}"
    );
    let amina_now = enrolment(&a.admin, &amina_enrolment).await;
    assert_eq!(amina_now["sessionsHeld"], 4, "{amina_now}");
    assert_eq!(amina_now["sessionsAttended"], 3, "{amina_now}");
    assert_eq!(amina_now["minutesAttended"], 360, "{amina_now}");
    assert_eq!(amina_now["completed"], true, "{amina_now}");
    let omar_now = enrolment(&a.admin, &omar_enrolment).await;
    assert_eq!(omar_now["completed"], false, "{omar_now}");

    // A fifth session, not held: the course is not complete until it is held or cancelled.
    let fifth_start = base + Duration::days(25);
    let fifth = a
        .admin
        .ok(
            "mutation($i: AddCourseSessionInput!) { addCourseSession(input: $i) { id version cancelled } }",
            json!({ "i": { "courseId": course_id, "startsAt": fifth_start.to_rfc3339(),
                "endsAt": (fifth_start + Duration::hours(2)).to_rfc3339(), "place": "Sala A" } }),
        )
        .await["addCourseSession"]
        .clone();
    assert_eq!(fifth["version"], 1, "{fifth}");
    assert_eq!(fifth["cancelled"], false, "{fifth}");
    let fifth_id = fifth["id"].as_str().expect("id").to_owned();
    assert_eq!(
        enrolment(&a.admin, &amina_enrolment).await["completed"],
        false
    );
    // Changed at its version: moved by an hour and put online; a stale version, reversed times
    // and no place at all are refused, each naming its field.
    let moved = a
        .admin
        .ok(
            UPDATE_SESSION,
            json!({ "i": { "id": fifth_id, "expectedVersion": 1,
                "startsAt": (fifth_start + Duration::hours(1)).to_rfc3339(),
                "endsAt": (fifth_start + Duration::hours(3)).to_rfc3339(),
                "onlineUrl": "https://meet.example.org/recupero" } }),
        )
        .await["updateCourseSession"]
        .clone();
    assert_eq!(moved["version"], 2, "{moved}");
    assert_eq!(moved["place"], Value::Null, "{moved}");
    assert_eq!(moved["onlineUrl"], "https://meet.example.org/recupero");
    for (patch, expected_reason, expected_field) in [
        (
            json!({ "expectedVersion": 1 }),
            "STALE_VERSION",
            "expectedVersion",
        ),
        (
            json!({ "endsAt": fifth_start.to_rfc3339() }),
            "PERIOD_REVERSED",
            "endsAt",
        ),
        (json!({ "onlineUrl": null }), "REQUIRED", "place"),
    ] {
        let mut i = json!({ "id": fifth_id, "expectedVersion": 2,
            "startsAt": (fifth_start + Duration::hours(1)).to_rfc3339(),
            "endsAt": (fifth_start + Duration::hours(3)).to_rfc3339(),
            "onlineUrl": "https://meet.example.org/recupero" });
        for (k, v) in patch.as_object().expect("patch") {
            i[k] = v.clone();
        }
        let resp = a.admin.gql(UPDATE_SESSION, json!({ "i": i })).await;
        assert_eq!(reason(&resp).as_deref(), Some(expected_reason), "{resp}");
        assert_eq!(field(&resp).as_deref(), Some(expected_field), "{resp}");
    }
    // A held session keeps its start in the past and cannot be cancelled.
    let held_to_future = a
        .admin
        .gql(
            UPDATE_SESSION,
            json!({ "i": { "id": sessions[0], "expectedVersion": 1,
                "startsAt": (Utc::now() + Duration::days(1)).to_rfc3339(),
                "endsAt": (Utc::now() + Duration::days(1) + Duration::hours(1)).to_rfc3339(),
                "place": "Sala" } }),
        )
        .await;
    assert_eq!(
        field(&held_to_future).as_deref(),
        Some("startsAt"),
        "{held_to_future}"
    );
    let held = a
        .admin
        .gql(
            CANCEL_SESSION,
            json!({ "i": { "id": sessions[0], "reason": "Errore", "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(code(&held).as_deref(), Some("CONFLICT"), "{held}");
    assert_eq!(reason(&held).as_deref(), Some("SESSION_HELD"), "{held}");
    // Cancelled with a reason (required), at its version.
    let no_reason = a
        .admin
        .gql(
            CANCEL_SESSION,
            json!({ "i": { "id": fifth_id, "reason": "  ", "expectedVersion": 2 } }),
        )
        .await;
    assert_eq!(field(&no_reason).as_deref(), Some("reason"), "{no_reason}");
    let stale_cancel = a
        .admin
        .gql(
            CANCEL_SESSION,
            json!({ "i": { "id": fifth_id, "reason": "Formatrice malata", "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(
        reason(&stale_cancel).as_deref(),
        Some("STALE_VERSION"),
        "{stale_cancel}"
    );
    let cancelled = a
        .admin
        .ok(
            CANCEL_SESSION,
            json!({ "i": { "id": fifth_id, "reason": " Formatrice malata ", "expectedVersion": 2 } }),
        )
        .await["cancelCourseSession"]
        .clone();
    assert_eq!(cancelled["cancelled"], true, "{cancelled}");
    assert_eq!(
        cancelled["cancelReason"], "Formatrice malata",
        "{cancelled}"
    );
    assert_eq!(cancelled["version"], 3, "{cancelled}");
    for (query, vars, expected) in [
        (
            CANCEL_SESSION,
            json!({ "i": { "id": fifth_id, "reason": "Di nuovo", "expectedVersion": 3 } }),
            "ALREADY_CANCELLED",
        ),
        (
            UPDATE_SESSION,
            json!({ "i": { "id": fifth_id, "expectedVersion": 3, "place": "Sala B",
                "startsAt": fifth_start.to_rfc3339(),
                "endsAt": (fifth_start + Duration::hours(2)).to_rfc3339() } }),
            "SESSION_CANCELLED",
        ),
        (
            sheet,
            json!({ "i": { "sessionId": fifth_id, "entries": [
                { "enrolmentId": amina_enrolment, "present": true },
            ] } }),
            "SESSION_CANCELLED",
        ),
    ] {
        let resp = a.admin.gql(query, vars).await;
        assert_eq!(code(&resp).as_deref(), Some("CONFLICT"), "{resp}");
        assert_eq!(reason(&resp).as_deref(), Some(expected), "{resp}");
    }
    // Out of the rule: 3 attended of the 4 held is complete again.
    let amina_now = enrolment(&a.admin, &amina_enrolment).await;
    assert_eq!(amina_now["sessionsHeld"], 4, "{amina_now}");
    assert_eq!(amina_now["completed"], true, "{amina_now}");

    // The calendar: the sessions starting on the local days asked for, by start, with their
    // course, the cancelled one marked; more than 92 days is refused on `to`.
    let (from, to) = (
        (base - Duration::days(1)).date_naive(),
        (base + Duration::days(27)).date_naive(),
    );
    let calendar =
        a.admin.ok(CALENDAR, json!({ "f": from, "t": to })).await["courseSessions"].clone();
    let ids: Vec<&str> = calendar
        .as_array()
        .expect("sessions")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    let mut expected_ids: Vec<&str> = sessions.iter().map(String::as_str).collect();
    expected_ids.push(&fifth_id);
    assert_eq!(ids, expected_ids, "{calendar}");
    assert_eq!(calendar[0]["course"]["title"], title, "{calendar}");
    assert_eq!(calendar[4]["cancelled"], true, "{calendar}");
    assert_eq!(calendar[3]["cancelled"], false, "{calendar}");
    let narrow = a
        .admin
        .ok(
            CALENDAR,
            json!({ "f": (base + Duration::days(13)).date_naive(), "t": (base + Duration::days(15)).date_naive() }),
        )
        .await;
    assert_eq!(
        narrow["courseSessions"][0]["id"].as_str(),
        Some(sessions[2].as_str()),
        "{narrow}"
    );
    assert_eq!(narrow["courseSessions"].as_array().map(Vec::len), Some(1));
    let too_long = a
        .admin
        .gql(
            CALENDAR,
            json!({ "f": from, "t": from + Duration::days(92) }),
        )
        .await;
    assert_eq!(
        reason(&too_long).as_deref(),
        Some("OUT_OF_RANGE"),
        "{too_long}"
    );
    assert_eq!(field(&too_long).as_deref(), Some("to"), "{too_long}");
    let reversed = a.admin.gql(CALENDAR, json!({ "f": to, "t": from })).await;
    assert_eq!(field(&reversed).as_deref(), Some("to"), "{reversed}");
    let b_calendar = b.admin.ok(CALENDAR, json!({ "f": from, "t": to })).await;
    assert_eq!(b_calendar["courseSessions"], json!([]), "{b_calendar}");

    // Certificates: only for a completed enrolment, once.
    let issue =
        format!("mutation($id: ID!) {{ issueCertificate(enrolmentId: $id) {{ {CERTIFICATE} }} }}");
    let refused = a.admin.gql(&issue, json!({ "id": omar_enrolment })).await;
    assert_eq!(
        code(&refused).as_deref(),
        Some("INVALID_INPUT"),
        "{refused}"
    );
    assert_eq!(field(&refused).as_deref(), Some("enrolmentId"), "{refused}");
    let issued =
        a.admin.ok(&issue, json!({ "id": amina_enrolment })).await["issueCertificate"].clone();
    assert_eq!(issued["participantName"], "Amina Haddad");
    assert_eq!(issued["courseTitle"], title);
    assert_eq!(issued["hoursAttended"], 6.0);
    assert_eq!(issued["sessionsAttended"], 3);
    let certificate_id = issued["id"].as_str().expect("id").to_owned();
    let code_a = issued["verificationCode"]
        .as_str()
        .expect("code")
        .to_owned();
    assert_eq!(issued["verificationPath"], format!("/verifica/{code_a}"));
    let twice = a.admin.gql(&issue, json!({ "id": amina_enrolment })).await;
    assert_eq!(field(&twice).as_deref(), Some("enrolmentId"), "{twice}");
    // A certified enrolment stays: no withdrawal, which would also give its place away.
    let withdraw_certified = a
        .admin
        .gql(
            "mutation($id: ID!) { withdrawEnrolment(id: $id) { status } }",
            json!({ "id": amina_enrolment }),
        )
        .await;
    assert_eq!(
        withdraw_certified["errors"][0]["extensions"]["reason"], "TRANSITION_NOT_ALLOWED",
        "{withdraw_certified}"
    );
    assert_eq!(field(&withdraw_certified).as_deref(), Some("enrolmentId"));
    assert_ne!(
        enrolment(&a.admin, &amina_enrolment).await["status"],
        "WITHDRAWN"
    );
    // Nor does the attendance it was issued on change; the same sheet again is taken.
    let changed = a
        .admin
        .gql(
            sheet,
            json!({ "i": { "sessionId": sessions[0], "entries": [
                { "enrolmentId": amina_enrolment, "present": false },
                { "enrolmentId": omar_enrolment, "present": true },
            ] } }),
        )
        .await;
    assert_eq!(
        changed["errors"][0]["extensions"]["reason"], "TRANSITION_NOT_ALLOWED",
        "{changed}"
    );
    assert_eq!(field(&changed).as_deref(), Some("entries"));
    a.admin
        .ok(
            sheet,
            json!({ "i": { "sessionId": sessions[0], "entries": [
                { "enrolmentId": amina_enrolment, "present": true },
                { "enrolmentId": omar_enrolment, "present": true },
            ] } }),
        )
        .await;

    // The PDF, read back as text.
    let pdf_query =
        "query($id: ID!) { certificatePdf(id: $id) { filename contentType contentBase64 } }";
    let pdf =
        a.admin.ok(pdf_query, json!({ "id": certificate_id })).await["certificatePdf"].clone();
    assert_eq!(pdf["contentType"], "application/pdf");
    assert!(
        pdf["filename"]
            .as_str()
            .is_some_and(|f| f.starts_with("attestato-") && !f.contains("Haddad")),
        "{pdf}"
    );
    let text = text_of_pdf(pdf["contentBase64"].as_str().expect("content"));
    for expected in [
        "Alfa",
        "AminaHaddad",
        "Accoglienzaemediazionelinguistico-culturale",
        "6ore",
        &code_a,
        &format!("/verifica/{code_a}"),
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }

    // Public verification: the real code, a forged one, nonsense.
    let verify = "query($c: String!) { verifyCertificate(code: $c) { valid issuedBy participantName courseTitle hours issuedOn } }";
    let anonymous = app.client();
    let real = anonymous
        .ok(verify, json!({ "c": code_a.to_lowercase() }))
        .await;
    assert_eq!(real["verifyCertificate"]["valid"], true, "{real}");
    assert_eq!(real["verifyCertificate"]["issuedBy"], "Alfa");
    assert_eq!(real["verifyCertificate"]["participantName"], "Amina Haddad");
    assert_eq!(real["verifyCertificate"]["courseTitle"], title);
    assert_eq!(real["verifyCertificate"]["hours"], 6.0);
    let last = code_a.chars().last().expect("a last character");
    let forged = format!(
        "{}{}",
        &code_a[..code_a.len() - 1],
        if last == '0' { '1' } else { '0' }
    );
    let invalid = json!({ "verifyCertificate": {
        "valid": false, "issuedBy": null, "participantName": null, "courseTitle": null, "hours": null, "issuedOn": null
    } });
    for bad in [forged.as_str(), "nonsense", ""] {
        let resp = anonymous.ok(verify, json!({ "c": bad })).await;
        assert_eq!(resp, invalid, "{bad}");
    }
    // Public: signed into Beta, Alfa's code still verifies.
    let from_b = b.admin.ok(verify, json!({ "c": code_a })).await;
    assert_eq!(from_b["verifyCertificate"]["valid"], true, "{from_b}");
    assert_eq!(from_b["verifyCertificate"]["issuedBy"], "Alfa", "{from_b}");

    // Beta reaches nothing of Alfa's by id, list or input.
    let b_courses = b
        .admin
        .ok("{ courses { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(b_courses["courses"]["edges"], json!([]));
    for id in [&course_id, &amina_enrolment, &certificate_id] {
        let resp = b
            .admin
            .gql(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(code(&resp).as_deref(), Some("NOT_FOUND"), "{resp}");
    }
    let pdf_b = b
        .admin
        .gql(pdf_query, json!({ "id": certificate_id }))
        .await;
    assert_eq!(code(&pdf_b).as_deref(), Some("NOT_FOUND"), "{pdf_b}");
    let enrol_b = enrol(
        &b.admin,
        &course_id,
        json!({ "person": { "name": "Eva Bianchi" } }),
    )
    .await;
    assert_eq!(code(&enrol_b).as_deref(), Some("NOT_FOUND"), "{enrol_b}");
    for (query, vars) in [
        (
            sheet,
            json!({ "i": { "sessionId": sessions[0], "entries": [] } }),
        ),
        (
            add_session,
            json!({ "i": { "courseId": course_id, "startsAt": base.to_rfc3339(),
                "endsAt": (base + Duration::hours(1)).to_rfc3339(), "place": "Sala" } }),
        ),
        (issue.as_str(), json!({ "id": amina_enrolment })),
        (
            "mutation($id: ID!) { withdrawEnrolment(id: $id) { id } }",
            json!({ "id": omar_enrolment }),
        ),
        (
            UPDATE_SESSION,
            json!({ "i": { "id": sessions[3], "expectedVersion": 1, "place": "Sala di Beta",
                "startsAt": base.to_rfc3339(), "endsAt": (base + Duration::hours(1)).to_rfc3339() } }),
        ),
        (
            CANCEL_SESSION,
            json!({ "i": { "id": sessions[3], "reason": "Da Beta", "expectedVersion": 1 } }),
        ),
    ] {
        let resp = b.admin.gql(query, vars).await;
        assert_eq!(code(&resp).as_deref(), Some("NOT_FOUND"), "{resp}");
    }
    let b_course = create_course(&b.admin, "Corso di Beta", "VOLUNTEERS", 5).await;
    let cross = enrol(
        &b.admin,
        b_course["id"].as_str().expect("id"),
        json!({ "volunteerId": amina }),
    )
    .await;
    assert_eq!(code(&cross).as_deref(), Some("INVALID_INPUT"), "{cross}");
    assert_eq!(field(&cross).as_deref(), Some("volunteerId"), "{cross}");
    // Alfa's enrolment is untouched by Beta's attempts.
    assert_eq!(
        enrolment(&a.admin, &omar_enrolment).await["status"],
        "ENROLLED"
    );

    // Volunteers see only their own.
    let amina_client = signed_in_volunteer(&app, &a, &amina, "amina@alfa.example.org").await;
    let omar_client = signed_in_volunteer(&app, &a, &omar, "omar@alfa.example.org").await;
    let mine = "{ myCourses { course { id title sessions { id held cancelled } } enrolment { status completed } } myCertificates { id verificationCode } }";
    let amina_sees = amina_client.ok(mine, json!({})).await;
    assert_eq!(amina_sees["myCourses"].as_array().map(Vec::len), Some(1));
    assert_eq!(amina_sees["myCourses"][0]["course"]["title"], title);
    let own_sessions = &amina_sees["myCourses"][0]["course"]["sessions"];
    assert_eq!(
        own_sessions.as_array().map(Vec::len),
        Some(5),
        "{amina_sees}"
    );
    assert_eq!(own_sessions[4]["cancelled"], true, "{amina_sees}");
    assert_eq!(amina_sees["myCourses"][0]["enrolment"]["completed"], true);
    assert_eq!(
        amina_sees["myCertificates"],
        json!([{ "id": certificate_id, "verificationCode": code_a }])
    );
    let own_pdf = amina_client
        .ok(pdf_query, json!({ "id": certificate_id }))
        .await;
    assert!(own_pdf["certificatePdf"]["contentBase64"].is_string());
    let omar_sees = omar_client.ok(mine, json!({})).await;
    assert_eq!(omar_sees["myCertificates"], json!([]), "{omar_sees}");
    assert_eq!(omar_sees["myCourses"][0]["enrolment"]["completed"], false);
    let not_his = omar_client
        .gql(pdf_query, json!({ "id": certificate_id }))
        .await;
    assert_eq!(code(&not_his).as_deref(), Some("NOT_FOUND"), "{not_his}");
    let staff_only = omar_client
        .gql("{ courses { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(
        code(&staff_only).as_deref(),
        Some("FORBIDDEN"),
        "{staff_only}"
    );

    // A volunteer enrols themselves only in a course for volunteers.
    let for_operators = create_course(&a.admin, "Per operatori", "OPERATORS", 5).await;
    let enrol_me = "mutation($id: ID!) { enrolMe(courseId: $id) { status participantName } }";
    let refused = omar_client
        .gql(enrol_me, json!({ "id": for_operators["id"] }))
        .await;
    assert_eq!(code(&refused).as_deref(), Some("NOT_FOUND"), "{refused}");
    let open = omar_client
        .ok(
            "{ openCourses { id sessions { id held cancelled cancelReason } } }",
            json!({}),
        )
        .await;
    assert!(
        open["openCourses"]
            .as_array()
            .is_some_and(|c| c.iter().all(|x| x["id"] != for_operators["id"])),
        "{open}"
    );
    // The sessions of an open course, the cancelled one with its reason; nothing about others.
    let open_sessions = open["openCourses"]
        .as_array()
        .and_then(|c| c.iter().find(|x| x["id"] == course_id.as_str()))
        .map(|c| c["sessions"].clone())
        .expect("the course is open to volunteers");
    assert_eq!(open_sessions.as_array().map(Vec::len), Some(5), "{open}");
    assert_eq!(open_sessions[0]["held"], true, "{open}");
    assert_eq!(open_sessions[4]["cancelReason"], "Formatrice malata");
    for private in [
        "{ openCourses { enrolments { edges { node { participantName } } } } }",
        "{ openCourses { sessions { attendance { present } } } }",
        "{ openCourses { sessions { course { title } } } }",
    ] {
        let resp = omar_client.gql(private, json!({})).await;
        assert_eq!(
            code(&resp).as_deref(),
            Some("FORBIDDEN"),
            "{private}: {resp}"
        );
    }
    let volunteer_calendar = omar_client
        .gql(CALENDAR, json!({ "f": from, "t": to }))
        .await;
    assert_eq!(
        code(&volunteer_calendar).as_deref(),
        Some("FORBIDDEN"),
        "{volunteer_calendar}"
    );
    let second = create_course(&a.admin, "Secondo corso", "VOLUNTEERS", 1).await;
    let me = omar_client
        .ok(enrol_me, json!({ "id": second["id"] }))
        .await;
    assert_eq!(me["enrolMe"]["status"], "ENROLLED");
    assert_eq!(me["enrolMe"]["participantName"], "Omar Haddad");
    let full = amina_client
        .ok(enrol_me, json!({ "id": second["id"] }))
        .await;
    assert_eq!(full["enrolMe"]["status"], "WAITING");
    // Beta's course is nothing to Alfa's volunteer.
    let other = omar_client
        .gql(enrol_me, json!({ "id": b_course["id"] }))
        .await;
    assert_eq!(code(&other).as_deref(), Some("NOT_FOUND"), "{other}");

    // A versioned update: a larger capacity moves the waiting one in; a stale version and a
    // capacity below those enrolled are refused.
    let update = "mutation($i: UpdateCourseInput!) { updateCourse(input: $i) { version capacity enrolled waiting } }";
    let course_input = |capacity: i32| {
        json!({ "kind": "COURSE", "title": "Secondo corso", "audience": "VOLUNTEERS",
            "plannedMinutes": 480, "trainer": "Giulia Neri", "capacity": capacity })
    };
    let wider = a
        .admin
        .ok(
            update,
            json!({ "i": { "id": second["id"], "course": course_input(2), "expectedVersion": second["version"] } }),
        )
        .await;
    assert_eq!(wider["updateCourse"]["enrolled"], 2, "{wider}");
    assert_eq!(wider["updateCourse"]["waiting"], 0, "{wider}");
    let stale = a
        .admin
        .gql(
            update,
            json!({ "i": { "id": second["id"], "course": course_input(3), "expectedVersion": second["version"] } }),
        )
        .await;
    assert_eq!(code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    let narrower = a
        .admin
        .gql(
            update,
            json!({ "i": { "id": second["id"], "course": course_input(1), "expectedVersion": wider["updateCourse"]["version"] } }),
        )
        .await;
    assert_eq!(field(&narrower).as_deref(), Some("capacity"), "{narrower}");
    let from_b = b
        .admin
        .gql(
            update,
            json!({ "i": { "id": second["id"], "course": course_input(9), "expectedVersion": wider["updateCourse"]["version"] } }),
        )
        .await;
    assert_eq!(code(&from_b).as_deref(), Some("NOT_FOUND"), "{from_b}");

    // Attendance waits for the session to start.
    let tomorrow = Utc::now().trunc_subsecs(0) + Duration::days(1);
    let future = a
        .admin
        .ok(
            add_session,
            json!({ "i": { "courseId": second["id"], "startsAt": tomorrow.to_rfc3339(),
                "endsAt": (tomorrow + Duration::hours(2)).to_rfc3339(), "place": "Sala" } }),
        )
        .await["addCourseSession"]["id"]
        .clone();
    let early = a
        .admin
        .gql(
            sheet,
            json!({ "i": { "sessionId": future, "entries": [] } }),
        )
        .await;
    assert_eq!(field(&early).as_deref(), Some("sessionId"), "{early}");
}

on_backends!(a_course_fills_waits_records_attendance_and_certifies);
