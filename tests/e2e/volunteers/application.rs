//! The application workflow: the public form without an account (honeypot, consents, rate
//! limit, no account enumeration), review by the roles that may decide, activation with its
//! invitation, the volunteer's own record, staff corrections, and the skill taxonomy. Every
//! scenario uses two tenants and checks what the other cannot reach.

use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, Topology, code, field, spawn_alfa_and_beta};
use crate::on_backends;

const APPLY: &str =
    "mutation($i: VolunteerApplicationInput!) { submitVolunteerApplication(input: $i) }";
const FORM: &str = "query($t: ID!) { publicVolunteerForm(tenantId: $t) { tenantName territories { istatCode name } skills { code } } }";
const ADD: &str = "mutation($i: AddVolunteerInput!) { addVolunteer(input: $i) { id version } }";
const STEP: &str = "mutation($i: SetVolunteerStatusInput!) { setVolunteerStatus(input: $i) { id version status invitationToken } }";
const UPDATE: &str = "mutation($i: UpdateVolunteerInput!) { updateVolunteer(input: $i) { id version email phone skills minorsCheckOn } }";

fn reason(resp: &Value) -> Option<String> {
    resp["errors"][0]["extensions"]["reason"]
        .as_str()
        .map(str::to_owned)
}

/// The tenant's today (Europe/Rome, every tenant's default zone).
fn today() -> String {
    sportello_kernel::Zone::default()
        .date_of(chrono::Utc::now())
        .to_string()
}

fn volunteer(email: &str, istat: &str, skills: &[&str]) -> Value {
    json!({
        "givenNames": "Amina",
        "familyNames": "Haddad",
        "email": email,
        "languages": [{ "code": "ar", "level": "NATIVE" }],
        "skills": skills,
        "territories": [istat],
    })
}

fn application(tenant: &str, email: &str, istat: &str) -> Value {
    json!({
        "tenantId": tenant,
        "volunteer": volunteer(email, istat, &["LANGUAGE_SUPPORT"]),
        "codeOfConductAccepted": true,
        "dataProcessingConsent": true,
    })
}

/// A tenant global id of a tenant that does not exist.
fn unknown_tenant() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("Tenant:{}", uuid::Uuid::now_v7()))
}

async fn member_with(app: &TestApp, admin: &Client, email: &str, role: &str) -> Client {
    let token = admin
        .invite(json!({ "email": email, "roles": [role] }))
        .await;
    app.member(&token, "Sportello-Membro-2026", "Membro").await
}

async fn a_citizen_applies_without_an_account_and_learns_nothing_of_the_register(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let citizen = app.client();

    // The form offers each tenant's own municipalities and skills, to anyone.
    let form_a = citizen.ok(FORM, json!({ "t": a.tenant_id })).await["publicVolunteerForm"].clone();
    assert_eq!(form_a["tenantName"], "Alfa");
    assert_eq!(form_a["territories"][0]["istatCode"], a.istat_code.as_str());
    assert_eq!(form_a["territories"].as_array().map(Vec::len), Some(1));
    assert!(
        form_a["skills"]
            .as_array()
            .is_some_and(|s| s.iter().any(|k| k["code"] == "LANGUAGE_SUPPORT")),
        "{form_a}"
    );
    let form_b = citizen.ok(FORM, json!({ "t": b.tenant_id })).await["publicVolunteerForm"].clone();
    assert_eq!(form_b["tenantName"], "Beta");
    assert_eq!(form_b["territories"][0]["istatCode"], b.istat_code.as_str());
    for tenant in [
        unknown_tenant(),
        "not-an-id".to_owned(),
        a.territory.clone(),
    ] {
        let resp = citizen.gql(FORM, json!({ "t": tenant })).await;
        assert_eq!(code(&resp).as_deref(), Some("NOT_FOUND"), "{resp}");
        assert_eq!(field(&resp).as_deref(), Some("tenantId"), "{resp}");
    }

    // 1: an application; 2: the same address again answers exactly the same.
    let first = citizen
        .gql(
            APPLY,
            json!({ "i": application(&a.tenant_id, "amina@example.org", &a.istat_code) }),
        )
        .await;
    assert!(first.get("errors").is_none(), "{first}");
    assert_eq!(first["data"]["submitVolunteerApplication"], true);
    let mut again = application(&a.tenant_id, "Amina@Example.org", &a.istat_code);
    again["volunteer"]["givenNames"] = json!("Someone Else");
    let second = citizen.gql(APPLY, json!({ "i": again })).await;
    assert_eq!(second, first, "no account enumeration");
    // 3: a filled honeypot is answered like success and stores nothing.
    let mut bot = application(&a.tenant_id, "bot@example.org", &a.istat_code);
    bot["website"] = json!("https://spam.example");
    assert_eq!(citizen.gql(APPLY, json!({ "i": bot })).await, first);
    // 4: consent missing is refused on its field.
    let mut no_consent = application(&b.tenant_id, "lena@example.org", &b.istat_code);
    no_consent["codeOfConductAccepted"] = json!(false);
    let resp = citizen.gql(APPLY, json!({ "i": no_consent })).await;
    assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"), "{resp}");
    assert_eq!(field(&resp).as_deref(), Some("codeOfConductAccepted"));
    // 5: nobody applies to Alfa's municipality through Beta.
    let resp = citizen
        .gql(
            APPLY,
            json!({ "i": application(&b.tenant_id, "lena@example.org", &a.istat_code) }),
        )
        .await;
    assert_eq!(field(&resp).as_deref(), Some("territories"), "{resp}");
    // 6: beyond five an hour from one address, refused whatever the input.
    let resp = citizen
        .gql(
            APPLY,
            json!({ "i": application(&b.tenant_id, "lena@example.org", &b.istat_code) }),
        )
        .await;
    assert_eq!(code(&resp).as_deref(), Some("RATE_LIMITED"), "{resp}");
    // A tenant that does not exist is refused on `tenantId` before counting.
    let resp = citizen
        .gql(
            APPLY,
            json!({ "i": application("bm9wZQ", "lena@example.org", &b.istat_code) }),
        )
        .await;
    assert_eq!(field(&resp).as_deref(), Some("tenantId"), "{resp}");

    // Alfa's register holds the one application, from the form, with today's consents; Beta's
    // holds nothing.
    let list = "{ volunteers(first: 50) { edges { node { id givenNames email status source conductSignedOn dataConsentOn history { status byUserId at } } } } }";
    let edges = a.admin.edges(list, json!({})).await;
    assert_eq!(edges.as_array().map(Vec::len), Some(1), "{edges}");
    let node = &edges[0]["node"];
    assert_eq!(node["givenNames"], "Amina");
    assert_eq!(node["email"], "amina@example.org");
    assert_eq!(node["status"], "SUBMITTED");
    assert_eq!(node["source"], "PUBLIC_FORM");
    assert_eq!(node["conductSignedOn"], today().as_str());
    assert_eq!(node["dataConsentOn"], today().as_str());
    assert_eq!(node["history"][0]["status"], "SUBMITTED");
    assert!(node["history"][0]["byUserId"].is_null(), "{node}");
    assert!(node["history"][0]["at"].is_string(), "{node}");
    assert_eq!(b.admin.edges(list, json!({})).await, json!([]));
}

on_backends!(a_citizen_applies_without_an_account_and_learns_nothing_of_the_register);

async fn an_approved_volunteer_is_invited_and_sees_only_their_own_record(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let operator = member_with(&app, &a.admin, "op@alfa.example.org", "OPERATOR").await;
    let coordinator = member_with(&app, &a.admin, "coord@alfa.example.org", "COORDINATOR").await;
    let added = a
        .admin
        .one(
            ADD,
            json!({ "i": { "volunteer": volunteer("vol@alfa.example.org", &a.istat_code, &["ACCOMPANIMENT"]) } }),
        )
        .await;
    let id = added["id"].as_str().expect("id").to_owned();
    let step = |status: &str, version: i64| json!({ "i": { "id": id, "status": status, "expectedVersion": version } });

    // An operator may not decide on an application; a coordinator may; Beta reaches nothing.
    let resp = operator.gql(STEP, step("UNDER_REVIEW", 1)).await;
    assert_eq!(code(&resp).as_deref(), Some("FORBIDDEN"), "{resp}");
    for (query, vars) in [
        (STEP, step("UNDER_REVIEW", 1)),
        (
            UPDATE,
            json!({ "i": { "id": id, "expectedVersion": 1, "volunteer": { "givenNames": "X" } } }),
        ),
        (
            "mutation($id: ID!) { inviteVolunteer(id: $id) { id } }",
            json!({ "id": id }),
        ),
    ] {
        let resp = b.admin.gql(query, vars).await;
        assert_eq!(code(&resp).as_deref(), Some("NOT_FOUND"), "{query}: {resp}");
    }
    let reviewed = coordinator.one(STEP, step("UNDER_REVIEW", 1)).await;
    assert_eq!(reviewed["status"], "UNDER_REVIEW");
    assert!(reviewed["invitationToken"].is_null(), "{reviewed}");
    let resp = a
        .admin
        .gql(
            "mutation($id: ID!) { inviteVolunteer(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(field(&resp).as_deref(), Some("status"), "{resp}");

    // Staff corrections are versioned and checked like a new volunteer.
    let stale = a
        .admin
        .gql(
            UPDATE,
            json!({ "i": { "id": id, "expectedVersion": 1, "volunteer": { "phone": "333 765 4321" } } }),
        )
        .await;
    assert_eq!(code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    let updated = a
        .admin
        .one(
            UPDATE,
            json!({ "i": { "id": id, "expectedVersion": 2, "minorsCheckOn": today(),
                "volunteer": { "phone": "333 765 4321", "skills": ["accompaniment", "TRANSPORT"] } } }),
        )
        .await;
    assert_eq!(updated["version"], 3);
    assert_eq!(updated["phone"], "+393337654321");
    assert_eq!(updated["email"], "vol@alfa.example.org", "absent: kept");
    assert_eq!(updated["skills"], json!(["ACCOMPANIMENT", "TRANSPORT"]));
    assert_eq!(updated["minorsCheckOn"], today().as_str());
    for (expected, patch, minors) in [
        ("minorsCheckOn", json!({}), json!("2099-01-01")),
        (
            "email",
            json!({ "email": null, "phone": null }),
            json!(null),
        ),
        (
            "territories",
            json!({ "territories": [b.istat_code] }),
            json!(null),
        ),
        ("skills", json!({ "skills": ["ASTROLOGY"] }), json!(null)),
    ] {
        let resp = a
            .admin
            .gql(
                UPDATE,
                json!({ "i": { "id": id, "expectedVersion": 3, "volunteer": patch, "minorsCheckOn": minors } }),
            )
            .await;
        assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"), "{resp}");
        assert_eq!(field(&resp).as_deref(), Some(expected), "{resp}");
    }

    // Activation invites the volunteer's address; accepting it signs them in as a volunteer.
    let active = coordinator.one(STEP, step("ACTIVE", 3)).await;
    assert_eq!(active["status"], "ACTIVE");
    let token = active["invitationToken"]
        .as_str()
        .expect("an invitation token")
        .to_owned();
    let history = a
        .admin
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Volunteer { history { status byUserId at } } } }",
            json!({ "id": id }),
        )
        .await["node"]["history"]
        .clone();
    let steps: Vec<&str> = history
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|s| s["status"].as_str())
        .collect();
    assert_eq!(steps, ["SUBMITTED", "UNDER_REVIEW", "ACTIVE"]);
    assert!(history[0]["byUserId"].is_string(), "{history}");
    assert_ne!(
        history[0]["byUserId"], history[2]["byUserId"],
        "admin, then coordinator"
    );
    assert_eq!(history[1]["byUserId"], history[2]["byUserId"]);
    assert!(history[2]["at"].is_string());

    let (vol, accepted) = app
        .accepting(&token, "Volontaria-Attiva-2026", "Amina")
        .await;
    assert!(accepted.get("errors").is_none(), "{accepted}");
    assert_eq!(
        accepted["data"]["acceptInvitation"]["roles"],
        json!(["VOLUNTEER"])
    );
    let mine = vol
        .one(
            "{ myVolunteer { id version email skills status } }",
            json!({}),
        )
        .await;
    assert_eq!(mine["id"], id.as_str());
    assert_eq!(mine["status"], "ACTIVE");
    // Signing in again later finds the same record.
    let mut later = app.client();
    let signed_in = later
        .login("vol@alfa.example.org", "Volontaria-Attiva-2026")
        .await;
    assert!(signed_in.get("errors").is_none(), "{signed_in}");
    let again = later.one("{ myVolunteer { id } }", json!({})).await;
    assert_eq!(again["id"], id.as_str());
    let version = mine["version"].as_i64().expect("version");

    // The volunteer changes their own availability and skills, at their version.
    let own = "mutation($i: UpdateMyVolunteerInput!) { updateMyVolunteer(input: $i) { version skills availability { weekly { weekday } } } }";
    let changed = vol
        .one(
            own,
            json!({ "i": { "expectedVersion": version, "skills": ["DIGITAL_HELP"],
                "availability": { "weekly": [{ "weekday": 6, "from": "10:00:00", "to": "12:00:00" }], "exceptions": [] } } }),
        )
        .await;
    assert_eq!(changed["skills"], json!(["DIGITAL_HELP"]));
    assert_eq!(changed["availability"]["weekly"][0]["weekday"], 6);
    let resp = vol
        .gql(
            own,
            json!({ "i": { "expectedVersion": version, "skills": [] } }),
        )
        .await;
    assert_eq!(code(&resp).as_deref(), Some("CONFLICT"), "{resp}");
    let resp = vol
        .gql(
            own,
            json!({ "i": { "expectedVersion": version + 1, "skills": ["ASTROLOGY"] } }),
        )
        .await;
    assert_eq!(field(&resp).as_deref(), Some("skills"), "{resp}");

    // A volunteer sees no other volunteer, no person and never a case.
    let person = operator
        .id(
            "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({ "i": { "givenNames": "Yonas", "familyNames": "Tesfaye", "territoryCode": a.istat_code } }),
        )
        .await;
    operator.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }", json!({ "p": person })).await;
    let case = operator
        .id(
            "mutation($p: ID!) { openCase(personId: $p) { id } }",
            json!({ "p": person }),
        )
        .await;
    for query in [
        "{ volunteers { edges { node { id } } } }",
        "{ persons { edges { node { id } } } }",
        "{ cases { edges { node { id } } } }",
    ] {
        let resp = vol.gql(query, json!({})).await;
        assert_eq!(code(&resp).as_deref(), Some("FORBIDDEN"), "{query}: {resp}");
    }
    for node in [&case, &person, &id] {
        let resp = vol
            .gql(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": node }),
            )
            .await;
        assert!(resp["data"]["node"].is_null(), "{resp}");
        assert!(
            matches!(code(&resp).as_deref(), Some("FORBIDDEN" | "NOT_FOUND")),
            "{resp}"
        );
    }
    let resp = vol.gql(STEP, step("SUSPENDED", 4)).await;
    assert_eq!(code(&resp).as_deref(), Some("FORBIDDEN"), "{resp}");

    // Suspended, the volunteer sees nothing of the register; Beta never saw any of it.
    // A task the volunteer accepted goes back to open when they are suspended; staff see it
    // beforehand by volunteer.
    let starts = chrono::Utc::now() + chrono::Duration::days(3);
    let task = a
        .admin
        .id(
            "mutation($i: RequestTaskInput!) { requestTask(input: $i) { id } }",
            json!({ "i": { "skill": "DIGITAL_HELP", "language": "it", "territory": a.istat_code,
                "deskId": a.desk, "startsAt": starts.to_rfc3339(),
                "endsAt": (starts + chrono::Duration::hours(2)).to_rfc3339() } }),
        )
        .await;
    a.admin
        .ok(
            "mutation($i: OfferTaskInput!) { offerTask(input: $i) { status } }",
            json!({ "i": { "taskId": task, "volunteerIds": [id] } }),
        )
        .await;
    let accepted = vol
        .ok(
            "mutation($t: ID!) { acceptTask(taskId: $t) { task { status desk { name } } } }",
            json!({ "t": task }),
        )
        .await;
    assert_eq!(accepted["acceptTask"]["task"]["status"], "ASSIGNED");
    // Where to go: the desk, readable by the volunteer on their own task.
    assert_eq!(
        accepted["acceptTask"]["task"]["desk"]["name"],
        "Sportello Alfa"
    );
    let held =
        "query($v: ID!) { tasks(volunteerId: $v, status: ASSIGNED) { edges { node { id } } } }";
    let before = a.admin.edges(held, json!({ "v": id })).await;
    assert_eq!(before, json!([{ "node": { "id": task } }]));
    // Beta's staff see nothing by Alfa's volunteer id.
    assert_eq!(b.admin.edges(held, json!({ "v": id })).await, json!([]));
    let current = a
        .admin
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Volunteer { version } } }",
            json!({ "id": id }),
        )
        .await["node"]["version"]
        .as_i64()
        .expect("version");
    coordinator.ok(STEP, step("SUSPENDED", current)).await;
    assert_eq!(a.admin.edges(held, json!({ "v": id })).await, json!([]));
    let reopened = a
        .admin
        .ok(
            "query($t: ID!) { task(id: $t) { status volunteerId version } }",
            json!({ "t": task }),
        )
        .await;
    assert_eq!(reopened["task"]["status"], "OPEN", "{reopened}");
    assert!(reopened["task"]["volunteerId"].is_null(), "{reopened}");
    let offers = "query($t: ID!) { taskOffers(taskId: $t) { volunteerId status } }";
    assert_eq!(
        a.admin.ok(offers, json!({ "t": task })).await["taskOffers"],
        json!([{ "volunteerId": id, "status": "CLOSED" }])
    );
    // Told why, on every view of their own and on logging hours.
    for query in [
        "{ myVolunteer { id } }",
        "{ myTasks { edges { node { task { id } } } } }",
        "{ myHours { edges { node { id } } } }",
        "{ myCourses { course { id } } }",
    ] {
        let resp = vol.gql(query, json!({})).await;
        assert!(resp["data"].is_null(), "{query}: {resp}");
        assert_eq!(
            reason(&resp).as_deref(),
            Some("VOLUNTEER_NOT_ACTIVE"),
            "{query}: {resp}"
        );
    }
    // Active again, the task is offered to them again and waits for their answer.
    coordinator.ok(STEP, step("ACTIVE", current + 1)).await;
    a.admin
        .ok(
            "mutation($i: OfferTaskInput!) { offerTask(input: $i) { status } }",
            json!({ "i": { "taskId": task, "volunteerIds": [id] } }),
        )
        .await;
    let mine = vol
        .edges(
            "{ myTasks { edges { node { offer task { id status } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        mine,
        json!([{ "node": { "offer": "OFFERED", "task": { "id": task, "status": "OPEN" } } }])
    );
    let theirs = b
        .admin
        .edges("{ volunteers { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(theirs, json!([]));
}

on_backends!(an_approved_volunteer_is_invited_and_sees_only_their_own_record);

async fn each_tenant_adds_retires_and_restores_its_own_skills(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let operator = member_with(&app, &a.admin, "op@alfa.example.org", "OPERATOR").await;
    let add_skill =
        "mutation($i: AddSkillInput!) { addSkill(input: $i) { code label default retired } }";
    let retire = "mutation($c: String!) { retireSkill(code: $c) { code retired } }";
    let restore = "mutation($c: String!) { restoreSkill(code: $c) { code retired } }";
    let sign = json!({ "i": { "code": "sign_language", "label": "Lingua dei segni" } });

    let resp = operator.gql(add_skill, sign.clone()).await;
    assert_eq!(code(&resp).as_deref(), Some("FORBIDDEN"), "{resp}");
    let added = a.admin.one(add_skill, sign.clone()).await;
    assert_eq!(
        added,
        json!({ "code": "SIGN_LANGUAGE", "label": "Lingua dei segni", "default": false, "retired": false })
    );
    let again = a.admin.gql(add_skill, sign.clone()).await;
    assert_eq!(reason(&again).as_deref(), Some("ALREADY_EXISTS"), "{again}");
    assert_eq!(field(&again).as_deref(), Some("code"));
    let bad = a
        .admin
        .gql(add_skill, json!({ "i": { "code": "1 x", "label": "Uno" } }))
        .await;
    assert_eq!(field(&bad).as_deref(), Some("code"), "{bad}");

    // Beta's taxonomy is its own.
    let skills = "{ skills { code retired } }";
    let theirs = b.admin.one(skills, json!({})).await;
    assert!(
        theirs
            .as_array()
            .is_some_and(|s| !s.iter().any(|k| k["code"] == "SIGN_LANGUAGE")),
        "{theirs}"
    );
    let resp = b
        .admin
        .gql(
            ADD,
            json!({ "i": { "volunteer": volunteer("x@beta.example.org", &b.istat_code, &["SIGN_LANGUAGE"]) } }),
        )
        .await;
    assert_eq!(reason(&resp).as_deref(), Some("NOT_IN_LIST"), "{resp}");
    let resp = b.admin.gql(retire, json!({ "c": "SIGN_LANGUAGE" })).await;
    assert_eq!(code(&resp).as_deref(), Some("NOT_FOUND"), "{resp}");
    assert_eq!(field(&resp).as_deref(), Some("code"));

    // A retired skill is refused on new input; whoever has it keeps it.
    let holder = a
        .admin
        .one(
            ADD,
            json!({ "i": { "volunteer": volunteer("h@alfa.example.org", &a.istat_code, &["SIGN_LANGUAGE", "TRANSPORT"]) } }),
        )
        .await;
    let resp = operator.gql(retire, json!({ "c": "TRANSPORT" })).await;
    assert_eq!(code(&resp).as_deref(), Some("FORBIDDEN"), "{resp}");
    let retired = a.admin.one(retire, json!({ "c": "transport" })).await;
    assert_eq!(retired, json!({ "code": "TRANSPORT", "retired": true }));
    let resp = a
        .admin
        .gql(
            ADD,
            json!({ "i": { "volunteer": volunteer("n@alfa.example.org", &a.istat_code, &["TRANSPORT"]) } }),
        )
        .await;
    assert_eq!(reason(&resp).as_deref(), Some("NOT_IN_LIST"), "{resp}");
    assert_eq!(field(&resp).as_deref(), Some("skills"));
    let kept = a
        .admin
        .one(
            UPDATE,
            json!({ "i": { "id": holder["id"], "expectedVersion": 1, "volunteer": { "phone": "333 111 2222" } } }),
        )
        .await;
    assert_eq!(kept["skills"], json!(["SIGN_LANGUAGE", "TRANSPORT"]));
    let citizen = app.client();
    let form_a = citizen.one(FORM, json!({ "t": a.tenant_id })).await;
    let form_b = citizen.one(FORM, json!({ "t": b.tenant_id })).await;
    let has = |form: &Value, skill: &str| {
        form["skills"]
            .as_array()
            .is_some_and(|s| s.iter().any(|k| k["code"] == skill))
    };
    assert!(
        !has(&form_a, "TRANSPORT") && has(&form_a, "SIGN_LANGUAGE"),
        "{form_a}"
    );
    assert!(
        has(&form_b, "TRANSPORT") && !has(&form_b, "SIGN_LANGUAGE"),
        "{form_b}"
    );

    let restored = a.admin.one(restore, json!({ "c": "TRANSPORT" })).await;
    assert_eq!(restored, json!({ "code": "TRANSPORT", "retired": false }));
    a.admin
        .ok(
            ADD,
            json!({ "i": { "volunteer": volunteer("n@alfa.example.org", &a.istat_code, &["TRANSPORT"]) } }),
        )
        .await;
    let resp = a.admin.gql(retire, json!({ "c": "NOPE" })).await;
    assert_eq!(field(&resp).as_deref(), Some("code"), "{resp}");
}

on_backends!(each_tenant_adds_retires_and_restores_its_own_skills);
