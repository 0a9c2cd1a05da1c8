//! Tasks, matching, offers, hours and delegations: the ranking over more than fifty volunteers
//! respects skill, language, availability, territory, load, the minors rule and suspensions; of
//! two volunteers accepting one task at once exactly one wins; a volunteer sees only their own
//! tasks and hours and never a case; another tenant reaches none of it.

use chrono::{Datelike, Duration, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, Client, Seeded, TestApp, Topology, code, field, literal, spawn_alfa_and_beta, uuid_of,
};
use crate::on_backends;

const ADD: &str = "mutation($i: AddVolunteerInput!) { addVolunteer(input: $i) { id } }";
const STATUS: &str =
    "mutation($i: SetVolunteerStatusInput!) { setVolunteerStatus(input: $i) { version } }";
const REQUEST: &str =
    "mutation($i: RequestTaskInput!) { requestTask(input: $i) { id version status } }";
const MATCHES: &str = "query($t: ID!) { taskMatches(taskId: $t, first: 100) { score volunteer { id } reasons { code level tasks } } }";
const OFFER: &str = "mutation($i: OfferTaskInput!) { offerTask(input: $i) { volunteerId status } }";
const ACCEPT: &str =
    "mutation($t: ID!) { acceptTask(taskId: $t) { offer task { id status volunteerId } } }";
const DECLINE: &str = "mutation($t: ID!) { declineTask(taskId: $t) { offer } }";
const MY_TASKS: &str = "{ myTasks(first: 50) { edges { node { offer task { id status personFirstName sharedNote } } } } }";
const LOG: &str =
    "mutation($i: LogHoursInput!) { logHours(input: $i) { id version status minutes taskId } }";

/// The second municipality of Alfa, where only some volunteers act.
const SIENA: &str = "052032";

/// 11:00–12:00 UTC on the first Wednesday at least a week ahead: 12:00–13:00 in Rome in winter,
/// 13:00–14:00 in summer, inside a Wednesday slot of 08:00–14:00 either way.
fn wednesday() -> chrono::NaiveDate {
    let mut day = (Utc::now() + Duration::days(7)).date_naive();
    while day.weekday() != chrono::Weekday::Wed {
        day = day.succ_opt().expect("a next day");
    }
    day
}

fn window(day: chrono::NaiveDate) -> (String, String) {
    (format!("{day}T11:00:00Z"), format!("{day}T12:00:00Z"))
}

/// What varies between the volunteers of the scenario.
struct Spec {
    skill: &'static str,
    territory: &'static str,
    language: &'static str,
    level: &'static str,
    /// Wednesday 08:00–14:00 (else only Tuesday mornings).
    wednesday: bool,
    /// A day off on the task's Wednesday.
    day_off: bool,
    minors: bool,
    /// The minors check seen (written to the store: the register's own operation is another
    /// part's).
    check: bool,
    /// The steps after `SUBMITTED`.
    steps: &'static [&'static str],
}

const ACTIVE: &[&str] = &["ACTIVE"];

fn key(level: &'static str, wednesday: bool) -> Spec {
    Spec {
        skill: "LANGUAGE_SUPPORT",
        territory: "",
        language: "ar",
        level,
        wednesday,
        day_off: false,
        minors: false,
        check: false,
        steps: ACTIVE,
    }
}

async fn add(
    app: &TestApp,
    backend: Backend,
    t: &Seeded,
    n: usize,
    spec: &Spec,
    day: chrono::NaiveDate,
) -> String {
    let territory = if spec.territory.is_empty() {
        t.istat_code.as_str()
    } else {
        spec.territory
    };
    let weekly = if spec.wednesday {
        json!([{ "weekday": 3, "from": "08:00:00", "to": "14:00:00" }])
    } else {
        json!([{ "weekday": 2, "from": "08:00:00", "to": "14:00:00" }])
    };
    let exceptions = if spec.day_off {
        json!([{ "on": day.to_string(), "slots": [] }])
    } else {
        json!([])
    };
    let id = t
        .admin
        .id(
            ADD,
            json!({ "i": { "volunteer": {
                "givenNames": format!("Volontario {n}"),
                "familyNames": "Prova",
                "email": format!("v{n}@volunteers.example.org"),
                "languages": [{ "code": spec.language, "level": spec.level }, { "code": "it", "level": "B2" }],
                "skills": [spec.skill],
                "territories": [territory],
                "availability": { "weekly": weekly, "exceptions": exceptions },
                "worksWithMinors": spec.minors,
            } } }),
        )
        .await;
    let mut version = 1;
    for step in spec.steps {
        version = t
            .admin
            .one(
                STATUS,
                json!({ "i": { "id": id, "status": step, "expectedVersion": version } }),
            )
            .await["version"]
            .as_i64()
            .expect("version");
    }
    if spec.check {
        let (conn, prefix) = app.store_owner(backend, "volunteers").await;
        conn.execute_unprepared(&format!(
            "UPDATE {prefix}volunteers SET minors_check_on = '2026-10-01' WHERE id = {}",
            literal(backend, uuid_of(&id))
        ))
        .await
        .expect("record the minors check");
    }
    id
}

/// An account with the volunteer role for the volunteer of that e-mail address.
async fn account(app: &TestApp, t: &Seeded, n: usize) -> Client {
    let token = t
        .admin
        .invite(json!({ "email": format!("v{n}@volunteers.example.org"), "roles": ["VOLUNTEER"] }))
        .await;
    app.member(&token, "Volontario-Attivo-2026", "Volontario")
        .await
}

fn task_input(t: &Seeded, day: chrono::NaiveDate, minors: bool) -> Value {
    let (starts, ends) = window(day);
    json!({
        "skill": "LANGUAGE_SUPPORT",
        "language": "ar",
        "territory": t.istat_code,
        "deskId": t.desk,
        "placeId": t.place,
        "startsAt": starts,
        "endsAt": ends,
        "involvesMinors": minors,
        "personFirstName": "Yasmine",
        "sharedNote": "Colloquio con la scuola",
    })
}

fn ranked_ids(matches: &Value) -> Vec<String> {
    matches
        .as_array()
        .expect("matches")
        .iter()
        .map(|m| m["volunteer"]["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn matching_respects_every_rule_and_the_first_acceptance_wins(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    a.admin
        .ok(
            "mutation($i: AddTerritoryInput!) { addTerritory(input: $i) { id } }",
            json!({ "i": { "istatCode": SIENA } }),
        )
        .await;
    let day = wednesday();

    // The volunteers the task's rules let through, in the order created (K8 before K2, so that
    // only its load puts it after K2).
    let k1 = add(&app, backend, &a, 1, &key("NATIVE", true), day).await;
    let k8 = add(&app, backend, &a, 8, &key("C1", true), day).await;
    let k2 = add(&app, backend, &a, 2, &key("C1", true), day).await;
    let k3 = add(&app, backend, &a, 3, &key("B1", true), day).await;
    let k4 = add(&app, backend, &a, 4, &key("NATIVE", false), day).await;
    let k5 = add(&app, backend, &a, 5, &key("A2", false), day).await;
    let k6 = add(
        &app,
        backend,
        &a,
        6,
        &Spec {
            minors: true,
            check: true,
            ..key("C2", true)
        },
        day,
    )
    .await;
    let k7 = add(
        &app,
        backend,
        &a,
        7,
        &Spec {
            day_off: true,
            ..key("C2", true)
        },
        day,
    )
    .await;
    // Willing to work with minors, but no check seen.
    let k9 = add(
        &app,
        backend,
        &a,
        9,
        &Spec {
            minors: true,
            ..key("C1", false)
        },
        day,
    )
    .await;
    // A check seen, but not willing to work with minors.
    let k10 = add(
        &app,
        backend,
        &a,
        10,
        &Spec {
            check: true,
            ..key("A1", true)
        },
        day,
    )
    .await;
    let k11 = add(
        &app,
        backend,
        &a,
        11,
        &Spec {
            minors: true,
            check: true,
            ..key("B2", false)
        },
        day,
    )
    .await;

    // Forty more, each kept out by one rule, with every other trait varied.
    let levels = ["A1", "A2", "B1", "B2", "C1", "C2", "NATIVE"];
    let mut excluded = Vec::new();
    for i in 0..40 {
        let mut spec = Spec {
            level: levels[i % levels.len()],
            wednesday: i % 3 != 0,
            minors: i % 4 == 0,
            check: i % 8 == 0,
            ..key("NATIVE", true)
        };
        let rule = i % 7;
        match rule {
            0 => spec.skill = ["TRANSPORT", "SCHOOL_TUTORING", "DIGITAL_HELP"][i % 3],
            1 => spec.territory = SIENA,
            2 => spec.language = ["ti", "fr", "uk"][i % 3],
            3 => spec.steps = &["ACTIVE", "SUSPENDED"],
            4 => spec.steps = &[],
            5 => spec.steps = &["UNDER_REVIEW"],
            _ => spec.steps = &["WITHDRAWN"],
        }
        excluded.push(add(&app, backend, &a, 100 + i, &spec, day).await);
    }

    // Another open task in the coming weeks, offered to K8: its load.
    let other = a
        .admin
        .id(
            REQUEST,
            json!({ "i": task_input(&a, day + Duration::days(1), false) }),
        )
        .await;
    a.admin
        .ok(
            OFFER,
            json!({ "i": { "taskId": other, "volunteerIds": [k8] } }),
        )
        .await;

    let task = a
        .admin
        .one(REQUEST, json!({ "i": task_input(&a, day, false) }))
        .await;
    assert_eq!(task["status"], "OPEN");
    let task = task["id"].as_str().expect("id").to_owned();
    let matches = a.admin.one(MATCHES, json!({ "t": task })).await;
    assert_eq!(
        ranked_ids(&matches),
        [&k1, &k6, &k2, &k8, &k3, &k10, &k4, &k7, &k9, &k11, &k5].map(String::as_str),
        "available first, then language level, then the lighter load: {matches}"
    );
    for id in &excluded {
        assert!(!ranked_ids(&matches).contains(id), "{id} proposed");
    }
    let first = &matches[0];
    assert_eq!(first["score"], 1700);
    let codes: Vec<&str> = first["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["code"].as_str().expect("code"))
        .collect();
    assert_eq!(
        codes,
        ["SKILL", "TERRITORY", "LANGUAGE", "AVAILABLE", "LOAD"]
    );
    assert_eq!(first["reasons"][2]["level"], "NATIVE");
    assert_eq!(
        matches[3]["reasons"][4],
        json!({ "code": "LOAD", "level": null, "tasks": 1 })
    );
    // K4 speaks Arabic natively but has no Wednesday slot; K7 has a day off on that Wednesday.
    for unavailable in [6, 7] {
        assert!(
            !matches[unavailable]["reasons"]
                .as_array()
                .expect("reasons")
                .iter()
                .any(|r| r["code"] == "AVAILABLE"),
            "{matches}"
        );
    }

    // With minors, only the volunteers willing and checked.
    let minors_task = a
        .admin
        .id(REQUEST, json!({ "i": task_input(&a, day, true) }))
        .await;
    let minors = a.admin.one(MATCHES, json!({ "t": minors_task })).await;
    assert_eq!(ranked_ids(&minors), [k6.as_str(), k11.as_str()], "{minors}");
    assert!(
        minors[0]["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .any(|r| r["code"] == "MINORS_CHECK")
    );
    let refused = a
        .admin
        .gql(
            OFFER,
            json!({ "i": { "taskId": minors_task, "volunteerIds": [k1] } }),
        )
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["reason"], "MINORS_CHECK_MISSING",
        "{refused}"
    );
    let suspended = excluded[3].clone();
    let refused = a
        .admin
        .gql(
            OFFER,
            json!({ "i": { "taskId": task, "volunteerIds": [suspended] } }),
        )
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["reason"], "VOLUNTEER_NOT_ACTIVE",
        "{refused}"
    );
    assert_eq!(field(&refused).as_deref(), Some("volunteerIds"));

    // Two volunteers accept the same task at once: exactly one wins.
    let offers = a
        .admin
        .one(
            OFFER,
            json!({ "i": { "taskId": task, "volunteerIds": [k1, k2, k3] } }),
        )
        .await;
    assert_eq!(offers.as_array().map(Vec::len), Some(3), "{offers}");
    let v1 = account(&app, &a, 1).await;
    let v2 = account(&app, &a, 2).await;
    let v3 = account(&app, &a, 3).await;
    let vars = json!({ "t": task });
    let (r1, r2) = tokio::join!(v1.gql(ACCEPT, vars.clone()), v2.gql(ACCEPT, vars.clone()));
    let won: Vec<&Value> = [&r1, &r2]
        .into_iter()
        .filter(|r| r.get("errors").is_none())
        .collect();
    assert_eq!(won.len(), 1, "exactly one wins: {r1} {r2}");
    let (winner, loser, loser_resp, winner_id) = if r1.get("errors").is_none() {
        (&v1, &v2, &r2, &k1)
    } else {
        (&v2, &v1, &r1, &k2)
    };
    assert_eq!(
        code(loser_resp).as_deref(),
        Some("CONFLICT"),
        "{loser_resp}"
    );
    assert_eq!(
        loser_resp["errors"][0]["extensions"]["reason"],
        "TASK_TAKEN"
    );
    assert_eq!(won[0]["data"]["acceptTask"]["task"]["status"], "ASSIGNED");
    assert_eq!(
        won[0]["data"]["acceptTask"]["task"]["volunteerId"],
        winner_id.as_str()
    );
    // A third, later, is refused the same way, and the offers say who took it.
    let late = v3.gql(ACCEPT, vars.clone()).await;
    assert_eq!(
        late["errors"][0]["extensions"]["reason"], "TASK_TAKEN",
        "{late}"
    );
    let states = a
        .admin
        .one(
            "query($t: ID!) { taskOffers(taskId: $t) { volunteerId status } }",
            json!({ "t": task }),
        )
        .await;
    let accepted: Vec<&Value> = states
        .as_array()
        .expect("offers")
        .iter()
        .filter(|o| o["status"] == "ACCEPTED")
        .collect();
    assert_eq!(accepted.len(), 1, "{states}");
    assert_eq!(accepted[0]["volunteerId"], winner_id.as_str());

    // Each volunteer sees only the tasks offered to them, and what the operator shared.
    let mine = winner.edges(MY_TASKS, json!({})).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(mine[0]["node"]["task"]["id"], task.as_str());
    assert_eq!(mine[0]["node"]["offer"], "ACCEPTED");
    assert_eq!(mine[0]["node"]["task"]["personFirstName"], "Yasmine");
    let theirs = loser.edges(MY_TASKS, json!({})).await;
    assert_eq!(theirs[0]["node"]["offer"], "CLOSED", "{theirs}");
    assert_eq!(
        loser
            .one(
                "{ myTasks { edges { node { task { volunteerId } } } } }",
                json!({})
            )
            .await["edges"][0]["node"]["task"]["volunteerId"],
        Value::Null,
        "the loser is not told who took it"
    );
    let not_offered = v3.gql(ACCEPT, json!({ "t": other })).await;
    assert_eq!(
        code(&not_offered).as_deref(),
        Some("NOT_FOUND"),
        "{not_offered}"
    );
    for staff_only in [
        "{ tasks { edges { node { id } } } }",
        "{ volunteers { edges { node { id } } } }",
        "{ cases { edges { node { id } } } }",
    ] {
        v3.refused(staff_only, json!({}), "FORBIDDEN").await;
    }
    v3.refused(MATCHES, json!({ "t": task }), "FORBIDDEN").await;

    // A volunteer who declines is proposed no more for that task.
    let third = a
        .admin
        .id(REQUEST, json!({ "i": task_input(&a, day, false) }))
        .await;
    a.admin
        .ok(
            OFFER,
            json!({ "i": { "taskId": third, "volunteerIds": [k3] } }),
        )
        .await;
    let before = a.admin.one(MATCHES, json!({ "t": third })).await;
    assert!(ranked_ids(&before).contains(&k3));
    let declined = v3.one(DECLINE, json!({ "t": third })).await;
    assert_eq!(declined["offer"], "DECLINED");
    let after = a.admin.one(MATCHES, json!({ "t": third })).await;
    assert!(!ranked_ids(&after).contains(&k3), "{after}");
    assert_eq!(ranked_ids(&after).len(), ranked_ids(&before).len() - 1);
    // The winner holds a task at that very time: not proposed for another, and refused when
    // offered one all the same.
    assert!(!ranked_ids(&before).contains(winner_id), "{before}");
    a.admin
        .ok(
            OFFER,
            json!({ "i": { "taskId": third, "volunteerIds": [winner_id] } }),
        )
        .await;
    let busy = winner.gql(ACCEPT, json!({ "t": third })).await;
    assert_eq!(code(&busy).as_deref(), Some("CONFLICT"), "{busy}");
    assert_eq!(busy["errors"][0]["extensions"]["reason"], "VOLUNTEER_BUSY");

    // Beta reaches none of it: not by id, not in its lists, not as input.
    let by_id = b
        .admin
        .gql(
            "query($id: ID!) { task(id: $id) { id } }",
            json!({ "id": task }),
        )
        .await;
    assert_eq!(code(&by_id).as_deref(), Some("NOT_FOUND"), "{by_id}");
    let node = b
        .admin
        .gql(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": task }),
        )
        .await;
    assert!(node["data"]["node"].is_null(), "{node}");
    assert_eq!(code(&node).as_deref(), Some("NOT_FOUND"));
    let own_node = a
        .admin
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Task { status } } }",
            json!({ "id": task }),
        )
        .await;
    assert_eq!(own_node["node"]["status"], "ASSIGNED");
    let listed = b
        .admin
        .edges("{ tasks { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(listed, json!([]));
    b.admin
        .refused(MATCHES, json!({ "t": task }), "NOT_FOUND")
        .await;
    b.admin
        .refused(
            "query($t: ID!) { taskOffers(taskId: $t) { status } }",
            json!({ "t": task }),
            "NOT_FOUND",
        )
        .await;
    b.admin
        .refused(
            OFFER,
            json!({ "i": { "taskId": third, "volunteerIds": [] } }),
            "INVALID_INPUT",
        )
        .await;
    b.admin
        .refused(
            OFFER,
            json!({ "i": { "taskId": third, "volunteerIds": [k1] } }),
            "NOT_FOUND",
        )
        .await;
    b.admin
        .refused(
            "mutation($i: SetTaskStatusInput!) { setTaskStatus(input: $i) { id } }",
            json!({ "i": { "id": task, "status": "CANCELLED", "expectedVersion": 2 } }),
            "NOT_FOUND",
        )
        .await;

    // Staff close tasks along the allowed steps only.
    let set = "mutation($i: SetTaskStatusInput!) { setTaskStatus(input: $i) { status version } }";
    let wrong = a
        .admin
        .gql(
            set,
            json!({ "i": { "id": third, "status": "DONE", "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(
        wrong["errors"][0]["extensions"]["reason"], "TRANSITION_NOT_ALLOWED",
        "{wrong}"
    );
    // Not done before it starts.
    let early = a
        .admin
        .gql(
            set,
            json!({ "i": { "id": task, "status": "DONE", "expectedVersion": 2 } }),
        )
        .await;
    assert_eq!(
        early["errors"][0]["extensions"]["reason"], "TRANSITION_NOT_ALLOWED",
        "{early}"
    );
    let stale = a
        .admin
        .gql(
            set,
            json!({ "i": { "id": task, "status": "CANCELLED", "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    // Done once it has started: a task starting in two seconds, accepted by the third.
    let soon = Utc::now() + Duration::seconds(2);
    let mut quick = task_input(&a, day, false);
    quick["startsAt"] = json!(soon.to_rfc3339());
    quick["endsAt"] = json!((soon + Duration::hours(1)).to_rfc3339());
    let quick = a.admin.id(REQUEST, json!({ "i": quick })).await;
    a.admin
        .ok(
            OFFER,
            json!({ "i": { "taskId": quick, "volunteerIds": [k3] } }),
        )
        .await;
    v3.ok(ACCEPT, json!({ "t": quick })).await;
    let wait = (soon - Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(wait + std::time::Duration::from_millis(200)).await;
    let done = a
        .admin
        .one(
            set,
            json!({ "i": { "id": quick, "status": "DONE", "expectedVersion": 2 } }),
        )
        .await;
    assert_eq!(done["status"], "DONE");
    // Hours for it name it, by skill and start, for the volunteer and for staff. (Its first day
    // is today in Rome, or tomorrow there when the test runs just before midnight UTC+1.)
    let mut logged = None;
    for day in [
        Utc::now().date_naive(),
        Utc::now().date_naive() + Duration::days(1),
    ] {
        let resp = v3
            .gql(
                "mutation($i: LogHoursInput!) { logHours(input: $i) { id task { skill startsAt } } }",
                json!({ "i": { "taskId": quick, "on": day.to_string(), "minutes": 30 } }),
            )
            .await;
        if resp.get("errors").is_none() {
            logged = Some(resp["data"]["logHours"].clone());
            break;
        }
    }
    let logged = logged.expect("hours logged for the task that started");
    assert_eq!(logged["task"]["skill"], "LANGUAGE_SUPPORT", "{logged}");
    let listed = a
        .admin
        .edges(
            "{ hours(status: PENDING, first: 50) { edges { node { id task { skill } } } } }",
            json!({}),
        )
        .await;
    assert!(
        listed
            .as_array()
            .expect("edges")
            .iter()
            .any(|e| e["node"]["id"] == logged["id"]
                && e["node"]["task"]["skill"] == "LANGUAGE_SUPPORT"),
        "{listed}"
    );
    let cancelled = a
        .admin
        .one(
            set,
            json!({ "i": { "id": other, "status": "CANCELLED", "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(cancelled["status"], "CANCELLED");
    let k8_offers = a
        .admin
        .one(
            "query($t: ID!) { taskOffers(taskId: $t) { status } }",
            json!({ "t": other }),
        )
        .await;
    assert_eq!(k8_offers, json!([{ "status": "CLOSED" }]));

    // Hours: for themself only, on their own task only.
    let today = Utc::now().date_naive().pred_opt().expect("yesterday");
    // Every field at fault is named at once.
    let both = winner
        .gql(
            LOG,
            json!({ "i": { "on": (today + Duration::days(5)).to_string(), "minutes": 0 } }),
        )
        .await;
    let named: Vec<&str> = both["errors"][0]["extensions"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    assert_eq!(named, ["on", "minutes"], "{both}");
    // A task's hours fall on or after its first day: this one is still to come.
    winner
        .refused_on(
            LOG,
            json!({ "i": { "taskId": task, "on": today.to_string(), "minutes": 90 } }),
            "on",
        )
        .await;
    let logged = winner
        .one(
            LOG,
            json!({ "i": { "on": today.to_string(), "minutes": 90, "note": "Accompagnamento" } }),
        )
        .await;
    assert_eq!(logged["status"], "PENDING");
    assert_eq!(logged["minutes"], 90);
    loser
        .refused_on(
            LOG,
            json!({ "i": { "taskId": task, "on": today.to_string(), "minutes": 30 } }),
            "taskId",
        )
        .await;
    let untied = loser
        .one(
            LOG,
            json!({ "i": { "on": today.to_string(), "minutes": 30 } }),
        )
        .await;
    for (bad, expected) in [
        (json!({ "on": "2099-01-01", "minutes": 30 }), "on"),
        (json!({ "on": today.to_string(), "minutes": 0 }), "minutes"),
        (
            json!({ "on": today.to_string(), "minutes": 1441 }),
            "minutes",
        ),
        // A day has 24 hours, and 30 minutes of it are logged already.
        (
            json!({ "on": today.to_string(), "minutes": 1411 }),
            "minutes",
        ),
        // More than a year ago.
        (
            json!({ "on": (today - chrono::Days::new(400)).to_string(), "minutes": 30 }),
            "on",
        ),
    ] {
        loser.refused_on(LOG, json!({ "i": bad }), expected).await;
    }
    let my_hours = "{ myHours { edges { node { id minutes } } } }";
    let winner_hours = winner.edges(my_hours, json!({})).await;
    assert_eq!(
        winner_hours.as_array().map(Vec::len),
        Some(1),
        "{winner_hours}"
    );
    assert_eq!(winner_hours[0]["node"]["id"], logged["id"]);
    let loser_hours = loser.edges(my_hours, json!({})).await;
    assert_eq!(
        loser_hours.as_array().map(Vec::len),
        Some(1),
        "{loser_hours}"
    );
    assert_eq!(loser_hours[0]["node"]["id"], untied["id"]);
    loser
        .refused(
            "{ hours { edges { node { id } } } }",
            json!({}),
            "FORBIDDEN",
        )
        .await;
    loser
        .refused(
            "mutation($i: DecideHoursInput!) { approveHours(input: $i) { status } }",
            json!({ "i": { "id": untied["id"], "expectedVersion": 1 } }),
            "FORBIDDEN",
        )
        .await;

    let pending = a
        .admin
        .edges(
            "{ hours(status: PENDING) { edges { node { id volunteerId } } } }",
            json!({}),
        )
        .await;
    // The winner's and the loser's, and the third's for the task that started.
    assert_eq!(pending.as_array().map(Vec::len), Some(3), "{pending}");
    let of_winner = a
        .admin
        .edges(
            "query($v: ID) { hours(volunteerId: $v) { edges { node { id } } } }",
            json!({ "v": winner_id }),
        )
        .await;
    assert_eq!(of_winner, json!([{ "node": { "id": logged["id"] } }]));
    let approve = "mutation($i: DecideHoursInput!) { approveHours(input: $i) { status version decidedByUserId } }";
    let reject = "mutation($i: DecideHoursInput!) { rejectHours(input: $i) { status } }";
    b.admin
        .refused(
            approve,
            json!({ "i": { "id": logged["id"], "expectedVersion": 1 } }),
            "NOT_FOUND",
        )
        .await;
    assert_eq!(
        b.admin
            .edges("{ hours { edges { node { id } } } }", json!({}))
            .await,
        json!([])
    );
    let approved = a
        .admin
        .one(
            approve,
            json!({ "i": { "id": logged["id"], "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(approved["status"], "APPROVED");
    assert!(approved["decidedByUserId"].is_string());
    let again = a
        .admin
        .gql(
            reject,
            json!({ "i": { "id": logged["id"], "expectedVersion": 2 } }),
        )
        .await;
    assert_eq!(
        again["errors"][0]["extensions"]["reason"], "TRANSITION_NOT_ALLOWED",
        "{again}"
    );
    let rejected = a
        .admin
        .one(
            reject,
            json!({ "i": { "id": untied["id"], "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(rejected["status"], "REJECTED");

    // Delegations: a volunteer lent to a requesting body for a period.
    let lend = "mutation($i: AddDelegationInput!) { addDelegation(input: $i) { id body from to } }";
    let lent = a
        .admin
        .one(
            lend,
            json!({ "i": { "volunteerId": k1, "body": "Istituto Comprensivo Nord", "from": "2027-02-01", "to": "2027-06-30" } }),
        )
        .await;
    assert_eq!(lent["body"], "Istituto Comprensivo Nord");
    a.admin
        .refused_on(
            lend,
            json!({ "i": { "volunteerId": k1, "body": "Scuola", "from": "2027-06-30", "to": "2027-02-01" } }),
            "to",
        )
        .await;
    a.admin
        .refused_on(
            lend,
            json!({ "i": { "volunteerId": k1, "body": " ", "from": "2027-02-01", "to": "2027-02-01" } }),
            "body",
        )
        .await;
    let listed = a
        .admin
        .one(
            "query($v: ID!) { delegations(volunteerId: $v) { id } }",
            json!({ "v": k1 }),
        )
        .await;
    assert_eq!(listed, json!([{ "id": lent["id"] }]));
    b.admin
        .refused(
            "query($v: ID!) { delegations(volunteerId: $v) { id } }",
            json!({ "v": k1 }),
            "NOT_FOUND",
        )
        .await;
    b.admin
        .refused_on(
            lend,
            json!({ "i": { "volunteerId": k1, "body": "Scuola", "from": "2027-02-01", "to": "2027-02-02" } }),
            "volunteerId",
        )
        .await;
}

on_backends!(matching_respects_every_rule_and_the_first_acceptance_wins);

async fn a_task_request_is_checked_field_by_field(backend: Backend, topology: Topology) {
    let (_app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let day = wednesday();
    let good = task_input(&a, day, false);
    let past = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let (starts, _) = window(day);
    let bad: Vec<(&str, Value)> = vec![
        ("skill", json!({ "skill": "ASTROLOGY" })),
        ("language", json!({ "language": "xx-nonsense" })),
        ("territory", json!({ "territory": b.istat_code })),
        ("territory", json!({ "territory": "12" })),
        ("deskId", json!({ "deskId": b.desk })),
        ("placeId", json!({ "placeId": b.place })),
        ("startsAt", json!({ "startsAt": past })),
        ("endsAt", json!({ "endsAt": starts })),
        (
            "endsAt",
            json!({ "endsAt": format!("{}T11:00:00Z", day + Duration::days(2)) }),
        ),
        ("sharedNote", json!({ "sharedNote": "x".repeat(501) })),
    ];
    for (expected, patch) in bad {
        let mut input = good.clone();
        for (k, v) in patch.as_object().expect("patch") {
            input[k] = v.clone();
        }
        let resp = a.admin.gql(REQUEST, json!({ "i": input })).await;
        assert_eq!(
            code(&resp).as_deref(),
            Some("INVALID_INPUT"),
            "{expected}: {resp}"
        );
        assert_eq!(field(&resp).as_deref(), Some(expected), "{resp}");
    }
    // All at once: one answer names every field, in the form's order.
    let mut all_bad = good.clone();
    for (k, v) in [
        ("skill", json!("ASTROLOGY")),
        ("language", json!("xx-nonsense")),
        ("deskId", json!(b.desk)),
        ("startsAt", json!(past)),
        ("sharedNote", json!("x".repeat(501))),
    ] {
        all_bad[k] = v;
    }
    let resp = a.admin.gql(REQUEST, json!({ "i": all_bad })).await;
    let named: Vec<&str> = resp["errors"][0]["extensions"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    // The place (Alfa's) is not of the desk given (Beta's) either.
    assert_eq!(
        named,
        [
            "skill",
            "language",
            "deskId",
            "placeId",
            "startsAt",
            "endsAt",
            "sharedNote"
        ],
        "{resp}"
    );
    // Nothing was written; only the operator's choice of what to share is kept.
    let none = a
        .admin
        .edges("{ tasks { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(none, json!([]));
    let minimal = a
        .admin
        .ok(
            "mutation($i: RequestTaskInput!) { requestTask(input: $i) { id personFirstName sharedNote deskId } }",
            json!({ "i": { "skill": "language_support", "language": "ar", "territory": a.istat_code, "startsAt": starts, "endsAt": window(day).1 } }),
        )
        .await["requestTask"]
        .clone();
    assert!(minimal["personFirstName"].is_null() && minimal["sharedNote"].is_null());
    let open = a
        .admin
        .edges(
            "{ tasks(status: OPEN) { edges { node { id skill } } } }",
            json!({}),
        )
        .await;
    assert_eq!(open[0]["node"]["skill"], "LANGUAGE_SUPPORT");
    assert_eq!(
        b.admin
            .edges(
                "{ tasks(status: OPEN) { edges { node { id } } } }",
                json!({})
            )
            .await,
        json!([])
    );
}

on_backends!(a_task_request_is_checked_field_by_field);
