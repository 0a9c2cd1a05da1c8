//! Records that stay true: facts counted on the day they happened (in the tenant's time zone)
//! and moved by corrections, days cut at local midnight by a controllable clock, weekly series
//! that keep their local hour across clock changes, and consent to statistics that takes effect.

use std::collections::HashMap;
use std::time::Duration;

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::cases::rows;
use crate::helpers::{
    Backend, Client, Seeded, TestApp, Topology, code, field, fresh_config, operator, seed_tenant,
};
use crate::on_backends;

/// An installation whose clock starts at `start` (RFC 3339).
async fn spawn_at(backend: Backend, topology: Topology, start: &str) -> TestApp {
    let (mut config, dir) = fresh_config(backend).await;
    config.clock_start = Some(start.parse().expect("an RFC 3339 instant"));
    TestApp::spawn_with(config, dir, topology).await
}

/// The tenant's indicators over one month, by code.
async fn month(c: &Client, m: &str) -> HashMap<String, u64> {
    let data = c
        .ok(
            "query($m: String!) { indicators(from: $m, to: $m) { code value } }",
            json!({ "m": m }),
        )
        .await;
    data["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .map(|i| {
            (
                i["code"].as_str().expect("code").to_owned(),
                i["value"].as_u64().expect("value"),
            )
        })
        .collect()
}

/// Waits until the month's indicators reach the values (events travel asynchronously).
async fn wait_month(c: &Client, m: &str, expected: &[(&str, u64)]) -> HashMap<String, u64> {
    let mut last = HashMap::new();
    for _ in 0..300 {
        last = month(c, m).await;
        if expected.iter().all(|(k, v)| last.get(*k) == Some(v)) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{m} never reached {expected:?}: {last:?}");
}

/// A person with consent to case management and an open case; returns (person, case).
async fn person_with_case(op: &Client, given: &str, territory: &str) -> (String, String) {
    let person = op
        .ok(
            "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({ "i": {
                "givenNames": given, "familyNames": "Rossi-Test", "territoryCode": territory,
                "birth": { "year": 1988 }, "sex": "MALE", "countryOfBirth": "sn"
            } }),
        )
        .await["createPerson"]["id"]
        .as_str()
        .expect("person")
        .to_owned();
    op.ok(
        "mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }",
        json!({ "p": person }),
    )
    .await;
    let case = op
        .ok(
            "mutation($p: ID!) { openCase(personId: $p) { id } }",
            json!({ "p": person }),
        )
        .await["openCase"]["id"]
        .as_str()
        .expect("case")
        .to_owned();
    (person, case)
}

async fn intervention(op: &Client, case: &str, done_at: Option<&str>) -> String {
    op.ok(
        "mutation($c: ID!, $d: DateTime) { recordIntervention(input: {caseId: $c, kind: ORIENTATION, doneAt: $d}) { id } }",
        json!({ "c": case, "d": done_at }),
    )
    .await["recordIntervention"]["id"]
        .as_str()
        .expect("intervention")
        .to_owned()
}

async fn need(op: &Client, case: &str, encounter: Option<&str>) -> String {
    op.ok(
        "mutation($c: ID!, $e: ID) { recordNeed(caseId: $c, code: HOUSING, source: EXPRESSED, encounterId: $e) { id } }",
        json!({ "c": case, "e": encounter }),
    )
    .await["recordNeed"]["id"]
        .as_str()
        .expect("need")
        .to_owned()
}

async fn encounter(op: &Client, case: &str, at: &str) -> String {
    op.ok(
        "mutation($c: ID!, $at: DateTime!) { addEncounter(input: {caseId: $c, occurredAt: $at, channel: DESK}) { id } }",
        json!({ "c": case, "at": at }),
    )
    .await["addEncounter"]["id"]
        .as_str()
        .expect("encounter")
        .to_owned()
}

/// Every event of the cases outbox published again, as after a crash between publishing and
/// marking; returns how many.
async fn republish_everything(app: &TestApp, backend: Backend) -> u64 {
    let (conn, schema) = app.store_owner(backend, "cases").await;
    conn.execute_unprepared(&format!("UPDATE {schema}outbox SET published_at = NULL"))
        .await
        .expect("reset")
        .rows_affected()
}

async fn back_dated_work_counts_in_the_month_it_happened(backend: Backend, topology: Topology) {
    // 30 November 2026, 11:00 in Rome: last month's work is entered at month end.
    let app = spawn_at(backend, topology, "2026-11-30T10:00:00Z").await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    let op_a = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let op_b = operator(&app, &b, "op@beta.example.org", &[]).await;
    let (_, case) = person_with_case(&op_a, "Mamadou", "052022").await;
    // Work done in each of the three previous months, typed today.
    let august = intervention(&op_a, &case, Some("2026-08-14T10:00:00+02:00")).await;
    let october = intervention(&op_a, &case, Some("2026-10-15T10:00:00+02:00")).await;
    // 00:30 on 1 November in Rome is still 31 October in UTC: it belongs to November.
    intervention(&op_a, &case, Some("2026-10-31T23:30:00Z")).await;
    let met = encounter(&op_a, &case, "2026-09-05T09:00:00+02:00").await;
    need(&op_a, &case, Some(&met)).await;
    // Tenant B's own work in October.
    let (_, case_b) = person_with_case(&op_b, "Ioana", "048017").await;
    intervention(&op_b, &case_b, Some("2026-10-02T12:00:00+02:00")).await;

    wait_month(
        &op_a,
        "2026-11",
        &[
            ("NEW_CASES", 1),
            ("INTERVENTIONS", 1),
            ("NEEDS_RECORDED", 0),
        ],
    )
    .await;
    let aug = wait_month(&op_a, "2026-08", &[("INTERVENTIONS", 1)]).await;
    assert_eq!((aug["PEOPLE_REACHED"], aug["NEW_CASES"]), (1, 0));
    let sep = wait_month(&op_a, "2026-09", &[("NEEDS_RECORDED", 1)]).await;
    assert_eq!(sep["INTERVENTIONS"], 0);
    let oct = wait_month(&op_a, "2026-10", &[("INTERVENTIONS", 1)]).await;
    assert_eq!((oct["NEEDS_RECORDED"], oct["NEW_CASES"]), (0, 0));
    // The other tenant counts its own October only.
    let theirs = wait_month(&op_b, "2026-10", &[("INTERVENTIONS", 1)]).await;
    assert_eq!(theirs["PEOPLE_REACHED"], 1);
    assert_eq!(month(&op_b, "2026-08").await["INTERVENTIONS"], 0);
    assert_eq!(month(&op_b, "2026-09").await["NEEDS_RECORDED"], 0);

    // Corrections move the facts: October's intervention was in fact done in September, and the
    // encounter where the need was noted took place in August.
    op_a.ok(
        "mutation($id: ID!) { updateIntervention(id: $id, expectedVersion: 1, doneAt: \"2026-09-20T16:00:00+02:00\") { id } }",
        json!({ "id": october }),
    )
    .await;
    op_a.ok(
        "mutation($id: ID!) { updateEncounter(input: {id: $id, expectedVersion: 1, occurredAt: \"2026-08-28T10:00:00+02:00\"}) { id } }",
        json!({ "id": met }),
    )
    .await;
    // A change that moves no date corrects nothing.
    op_a.ok(
        "mutation($id: ID!) { updateIntervention(id: $id, expectedVersion: 1, outcome: \"oriented\") { id } }",
        json!({ "id": august }),
    )
    .await;
    wait_month(
        &op_a,
        "2026-10",
        &[("INTERVENTIONS", 0), ("PEOPLE_REACHED", 0)],
    )
    .await;
    let sep = wait_month(
        &op_a,
        "2026-09",
        &[("INTERVENTIONS", 1), ("NEEDS_RECORDED", 0)],
    )
    .await;
    assert_eq!(sep["PEOPLE_REACHED"], 1);
    let aug = wait_month(
        &op_a,
        "2026-08",
        &[("INTERVENTIONS", 1), ("NEEDS_RECORDED", 1)],
    )
    .await;
    assert_eq!(aug["PEOPLE_REACHED"], 1);
    let expected = [
        ("2026-08", [1, 1]),
        ("2026-09", [1, 0]),
        ("2026-10", [0, 0]),
        ("2026-11", [1, 0]),
    ];
    // The same by month in the breakdowns.
    let by_month = op_a
        .ok(
            "{ tenantStatistics(measure: INTERVENTIONS, by: [MONTH], from: \"2026-08\", to: \"2026-11\") { keys value } }",
            json!({}),
        )
        .await;
    assert_eq!(
        by_month["tenantStatistics"],
        json!([
            { "keys": ["2026-08"], "value": 1 },
            { "keys": ["2026-09"], "value": 1 },
            { "keys": ["2026-11"], "value": 1 },
        ])
    );

    // Every event delivered again changes nothing. A last intervention in July, typed after the
    // redelivery, tells when the bus has carried everything before it.
    let again = republish_everything(&app, backend).await;
    assert_eq!(again, 9, "every event of both tenants");
    intervention(&op_a, &case, Some("2026-07-10T10:00:00+02:00")).await;
    wait_month(&op_a, "2026-07", &[("INTERVENTIONS", 1)]).await;
    for (m, [interventions, needs]) in expected {
        let now = month(&op_a, m).await;
        assert_eq!(
            (now["INTERVENTIONS"], now["NEEDS_RECORDED"]),
            (interventions, needs),
            "{m} after redelivery"
        );
    }
    assert_eq!(month(&op_b, "2026-10").await["INTERVENTIONS"], 1);
    assert_eq!(month(&op_b, "2026-09").await["INTERVENTIONS"], 0);
}

on_backends!(back_dated_work_counts_in_the_month_it_happened);

/// The tenant's time zone as the viewer sees it.
async fn zone_of(c: &Client) -> String {
    c.ok("{ viewer { activeTenant { timeZone } } }", json!({}))
        .await["viewer"]["activeTenant"]["timeZone"]
        .as_str()
        .expect("zone")
        .to_owned()
}

/// Sets the zone of `t` (as its administrator).
async fn set_zone(t: &Seeded, zone: &str) {
    let set = t
        .admin
        .ok(
            "mutation($z: String!) { setTenantTimeZone(timeZone: $z) { timeZone } }",
            json!({ "z": zone }),
        )
        .await;
    assert_eq!(set["setTenantTimeZone"]["timeZone"], zone);
}

/// Opens a case and records an intervention now; waits until both are counted, then returns
/// the months they were counted in and the name of the default export.
async fn work_now(op: &Client, territory: &str) -> (Value, String) {
    let (_, case) = person_with_case(op, "Kofi", territory).await;
    intervention(op, &case, None).await;
    let query = "{ tenantStatistics(measure: INTERVENTIONS, by: [MONTH], from: \"2026-10\", to: \"2027-02\") { keys value } }";
    let mut last = Value::Null;
    for _ in 0..300 {
        last = op.ok(query, json!({})).await["tenantStatistics"].clone();
        if last.as_array().is_some_and(|a| !a.is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let cases = op
        .ok(
            "{ tenantStatistics(measure: NEW_CASES, by: [MONTH], from: \"2026-10\", to: \"2027-02\") { keys value } }",
            json!({}),
        )
        .await["tenantStatistics"]
        .clone();
    assert_eq!(
        cases, last,
        "the case and the intervention happened together"
    );
    let export = op
        .ok("{ indicatorExport(format: CSV) { filename } }", json!({}))
        .await["indicatorExport"]["filename"]
        .as_str()
        .expect("filename")
        .to_owned();
    (last, export)
}

async fn a_month_starts_at_local_midnight(backend: Backend, topology: Topology) {
    // 00:00:40 on 1 December 2026 in Rome (23:00:40 UTC on 30 November).
    let app = spawn_at(backend, topology, "2026-11-30T23:00:40Z").await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    let op_a = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let op_b = operator(&app, &b, "op@beta.example.org", &[]).await;
    assert_eq!(zone_of(&op_a).await, "Europe/Rome");
    // The zone is the administrator's to set, and only a real zone.
    let refused = op_b
        .gql(
            "mutation { setTenantTimeZone(timeZone: \"Europe/London\") { timeZone } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&refused).as_deref(), Some("FORBIDDEN"));
    let bad = b
        .admin
        .gql(
            "mutation { setTenantTimeZone(timeZone: \"Europe/Atlantis\") { timeZone } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&bad).as_deref(), Some("INVALID_INPUT"));
    assert_eq!(field(&bad).as_deref(), Some("timeZone"));
    set_zone(&b, "Europe/London").await;
    assert_eq!(zone_of(&op_b).await, "Europe/London");
    assert_eq!(
        zone_of(&op_a).await,
        "Europe/Rome",
        "another tenant's zone changed"
    );

    let (months, export) = work_now(&op_a, "052022").await;
    assert_eq!(months, json!([{ "keys": ["2026-12"], "value": 1 }]));
    assert_eq!(export, "indicatori_2026-01_2026-12.csv");
    let now = month(&op_a, "2026-12").await;
    assert_eq!((now["NEW_CASES"], now["INTERVENTIONS"]), (1, 1));
    assert_eq!(month(&op_a, "2026-11").await["NEW_CASES"], 0);
    // The default period ends with the local month.
    let default = op_a.ok("{ indicators { code value } }", json!({})).await;
    let new_cases = default["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["code"] == "NEW_CASES")
        .map(|i| i["value"].clone());
    assert_eq!(new_cases, Some(json!(1)), "{default}");
    // In London it is still 30 November.
    let (months, export) = work_now(&op_b, "048017").await;
    assert_eq!(months, json!([{ "keys": ["2026-11"], "value": 1 }]));
    assert_eq!(export, "indicatori_2025-12_2026-11.csv");
    // Neither tenant counts the other's work.
    assert_eq!(month(&op_a, "2026-11").await["INTERVENTIONS"], 0);
    assert_eq!(month(&op_b, "2026-12").await["INTERVENTIONS"], 0);
    assert_eq!(month(&op_a, "2026-12").await["PEOPLE_REACHED"], 1);

    // 00:00:40 on 1 January 2027 in Lima (05:00:40 UTC), a tenant set to another zone; in Los
    // Angeles it is still 31 December.
    let app = spawn_at(backend, topology, "2027-01-01T05:00:40Z").await;
    let platform = app.platform_admin().await;
    let c = seed_tenant(&app, &platform, "Gamma", "052022").await;
    let d = seed_tenant(&app, &platform, "Delta", "048017").await;
    set_zone(&c, "America/Lima").await;
    set_zone(&d, "America/Los_Angeles").await;
    let op_c = operator(&app, &c, "op@gamma.example.org", &[]).await;
    let op_d = operator(&app, &d, "op@delta.example.org", &[]).await;
    let (months, export) = work_now(&op_c, "052022").await;
    assert_eq!(months, json!([{ "keys": ["2027-01"], "value": 1 }]));
    assert_eq!(export, "indicatori_2026-02_2027-01.csv");
    let (months, _) = work_now(&op_d, "048017").await;
    assert_eq!(months, json!([{ "keys": ["2026-12"], "value": 1 }]));
    assert_eq!(month(&op_c, "2026-12").await["NEW_CASES"], 0);
    assert_eq!(month(&op_d, "2027-01").await["NEW_CASES"], 0);
}

on_backends!(a_month_starts_at_local_midnight);

/// Adds a goal (review on `review_on`) and a step (due on `due_on`) to `case`; returns the
/// answers.
async fn plan_dated(op: &Client, case: &str, review_on: &str, due_on: &str) -> (Value, Value) {
    let goal = op
        .gql(
            "mutation($c: ID!, $d: NaiveDate) { addGoal(input: {caseId: $c, title: \"Casa\", reviewOn: $d}) { id reviewOn } }",
            json!({ "c": case, "d": review_on }),
        )
        .await;
    let undated = op
        .ok(
            "mutation($c: ID!) { addGoal(input: {caseId: $c, title: \"Lavoro\"}) { id } }",
            json!({ "c": case }),
        )
        .await;
    let step = op
        .gql(
            "mutation($g: ID!, $d: NaiveDate) { addStep(input: {goalId: $g, title: \"Iscrizione al CPI\", owner: PERSON, dueOn: $d}) { id dueOn } }",
            json!({ "g": undated["addGoal"]["id"], "d": due_on }),
        )
        .await;
    (goal, step)
}

/// The plan of `case` as (title, reviewOn, [dueOn of each step]), in the API's order.
async fn plan_of(op: &Client, case: &str) -> Value {
    op.ok(
        "query($id: ID!) { node(id: $id) { ... on Case { plan { title reviewOn steps { dueOn } } } } }",
        json!({ "id": case }),
    )
    .await["node"]["plan"]
        .clone()
}

/// A goal's review date, a step's due date and an appointment's start may not be in the past:
/// "today" is the tenant's local date, so at 00:30 on 1 December in Rome a tenant there refuses
/// 30 November while a tenant in London (23:30 on 30 November) still accepts it. A refusal is
/// `INVALID_INPUT` on the field and changes nothing; today is accepted.
async fn past_dates_are_refused_by_the_tenants_day(backend: Backend, topology: Topology) {
    let app = spawn_at(backend, topology, "2026-11-30T23:30:00Z").await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    set_zone(&b, "Europe/London").await;
    let op_a = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let op_b = operator(&app, &b, "op@beta.example.org", &[]).await;
    let (person_a, case_a) = person_with_case(&op_a, "Moussa", "052022").await;
    let (_, case_b) = person_with_case(&op_b, "Awa", "048017").await;
    let goal_a = op_a
        .ok(
            "mutation($c: ID!) { addGoal(input: {caseId: $c, title: \"Permesso\"}) { id } }",
            json!({ "c": case_a }),
        )
        .await["addGoal"]["id"]
        .as_str()
        .expect("goal")
        .to_owned();

    // In Rome, 30 November is yesterday: refused, field by field.
    let (goal, step) = plan_dated(&op_a, &case_a, "2026-11-30", "2026-11-30").await;
    for (resp, name) in [(&goal, "reviewOn"), (&step, "dueOn")] {
        assert_eq!(
            (code(resp).as_deref(), field(resp).as_deref()),
            (Some("INVALID_INPUT"), Some(name)),
            "{resp}"
        );
    }
    let update = op_a
        .gql(
            "mutation($id: ID!) { updateGoal(id: $id, expectedVersion: 1, reviewOn: \"2026-11-30\") { id } }",
            json!({ "id": goal_a }),
        )
        .await;
    assert_eq!(
        (code(&update).as_deref(), field(&update).as_deref()),
        (Some("INVALID_INPUT"), Some("reviewOn")),
        "{update}"
    );
    let book = "mutation($d: ID!, $p: ID!, $at: DateTime!) { bookAppointment(input: {deskId: $d, personId: $p, startsAt: $at, durationMinutes: 30}) { startsAt } }";
    let past = op_a
        .gql(
            book,
            json!({ "d": a.desk, "p": person_a, "at": "2026-11-30T23:00:00Z" }),
        )
        .await;
    assert_eq!(
        (code(&past).as_deref(), field(&past).as_deref()),
        (Some("INVALID_INPUT"), Some("startsAt")),
        "{past}"
    );
    // Nothing changed: the goal added first, the undated goal of the refused step, no step, no
    // date, no appointment.
    assert_eq!(
        plan_of(&op_a, &case_a).await,
        json!([
            { "title": "Permesso", "reviewOn": null, "steps": [] },
            { "title": "Lavoro", "reviewOn": null, "steps": [] },
        ])
    );
    assert_eq!(appointments(&op_a).await, 0);

    // Today in Rome is accepted.
    let (goal, step) = plan_dated(&op_a, &case_a, "2026-12-01", "2026-12-01").await;
    assert_eq!(goal["data"]["addGoal"]["reviewOn"], "2026-12-01", "{goal}");
    assert_eq!(step["data"]["addStep"]["dueOn"], "2026-12-01", "{step}");
    let update = op_a
        .ok(
            "mutation($id: ID!) { updateGoal(id: $id, expectedVersion: 1, reviewOn: \"2026-12-01\") { reviewOn } }",
            json!({ "id": goal_a }),
        )
        .await;
    assert_eq!(update["updateGoal"]["reviewOn"], "2026-12-01");
    op_a.ok(
        book,
        json!({ "d": a.desk, "p": person_a, "at": "2026-12-01T09:00:00Z" }),
    )
    .await;
    assert_eq!(appointments(&op_a).await, 1);

    // In London it is still 30 November: that day is accepted, the 29th refused.
    let (goal, step) = plan_dated(&op_b, &case_b, "2026-11-29", "2026-11-29").await;
    for (resp, name) in [(&goal, "reviewOn"), (&step, "dueOn")] {
        assert_eq!(
            (code(resp).as_deref(), field(resp).as_deref()),
            (Some("INVALID_INPUT"), Some(name)),
            "{resp}"
        );
    }
    let (goal, step) = plan_dated(&op_b, &case_b, "2026-11-30", "2026-11-30").await;
    assert_eq!(goal["data"]["addGoal"]["reviewOn"], "2026-11-30", "{goal}");
    assert_eq!(step["data"]["addStep"]["dueOn"], "2026-11-30", "{step}");

    // Neither tenant sees the other's plan or appointments.
    for (op, theirs) in [(&op_a, &case_b), (&op_b, &case_a)] {
        op.refused(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": theirs }),
            "NOT_FOUND",
        )
        .await;
    }
    assert_eq!(appointments(&op_b).await, 0);
    assert_eq!(
        plan_of(&op_b, &case_b)
            .await
            .as_array()
            .map(|p| p.iter().map(|g| g["title"].clone()).collect::<Vec<_>>()),
        Some(vec![json!("Lavoro"), json!("Casa"), json!("Lavoro")])
    );
}

on_backends!(past_dates_are_refused_by_the_tenants_day);

/// Books a weekly series for a new person of `t`; returns the (startsAt, remindAt) of each
/// occurrence.
async fn book_series(
    op: &Client,
    t: &Seeded,
    starts_at: &str,
    weeks: u32,
) -> Vec<(String, String)> {
    let (person, _) = person_with_case(op, "Aziz", &t.istat_code).await;
    let booked = op
        .ok(
            "mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { startsAt remindAt seriesId } }",
            json!({ "i": {
                "deskId": t.desk, "personId": person, "startsAt": starts_at,
                "durationMinutes": 45, "occurrences": weeks, "remindHoursBefore": 24
            } }),
        )
        .await;
    booked["bookAppointment"]
        .as_array()
        .expect("appointments")
        .iter()
        .map(|a| {
            (
                a["startsAt"].as_str().expect("startsAt").to_owned(),
                a["remindAt"].as_str().expect("remindAt").to_owned(),
            )
        })
        .collect()
}

async fn appointments(c: &Client) -> usize {
    c.ok(
        "{ appointments(first: 50) { edges { node { startsAt } } } }",
        json!({}),
    )
    .await["appointments"]["edges"]
        .as_array()
        .expect("edges")
        .len()
}

/// An instant as the API writes it, read back in UTC.
fn utc(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 instant")
        .with_timezone(&chrono::Utc)
}

fn utcs(
    pairs: &[(String, String)],
) -> Vec<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> {
    pairs.iter().map(|(s, r)| (utc(s), utc(r))).collect()
}

async fn a_weekly_series_keeps_its_local_hour_across_clock_changes(
    backend: Backend,
    topology: Topology,
) {
    let app = spawn_at(backend, topology, "2027-03-01T09:00:00Z").await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    set_zone(&b, "America/Lima").await;
    let op_a = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let op_b = operator(&app, &b, "op@beta.example.org", &[]).await;

    // 10:00 in Rome on Tuesday 23 March 2027; clocks go forward on Sunday 28 March.
    let spring = book_series(&op_a, &a, "2027-03-23T10:00:00+01:00", 3).await;
    let expected = [
        ("2027-03-23T09:00:00Z", "2027-03-22T09:00:00Z"),
        ("2027-03-30T08:00:00Z", "2027-03-29T08:00:00Z"),
        ("2027-04-06T08:00:00Z", "2027-04-05T08:00:00Z"),
    ];
    let expected: Vec<_> = expected.iter().map(|(s, r)| (utc(s), utc(r))).collect();
    assert_eq!(utcs(&spring), expected, "{spring:?}");
    // 10:00 on Tuesday 26 October 2027; clocks go back on Sunday 31 October. The reminder of
    // Monday 1 November, 24 hours ahead, is at 10:00 on Sunday too.
    let autumn = book_series(&op_a, &a, "2027-10-26T10:00:00+02:00", 2).await;
    let expected: Vec<_> = [
        ("2027-10-26T08:00:00Z", "2027-10-25T08:00:00Z"),
        ("2027-11-02T09:00:00Z", "2027-11-01T09:00:00Z"),
    ]
    .iter()
    .map(|(s, r)| (utc(s), utc(r)))
    .collect();
    assert_eq!(utcs(&autumn), expected, "{autumn:?}");
    // A Monday series whose reminders fall on the day of the change: 10:00 on Sunday 28 March
    // is 08:00 UTC, 23 hours before Monday 10:00.
    let sunday = book_series(&op_a, &a, "2027-03-22T10:00:00+01:00", 2).await;
    assert_eq!(
        utcs(&sunday)[1],
        (utc("2027-03-29T08:00:00Z"), utc("2027-03-28T08:00:00Z"))
    );

    // Lima keeps no summer time: its series stays at 15:00 UTC, in its own tenant.
    let lima = book_series(&op_b, &b, "2027-03-23T10:00:00-05:00", 3).await;
    let starts: Vec<_> = utcs(&lima).into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        starts,
        vec![
            utc("2027-03-23T15:00:00Z"),
            utc("2027-03-30T15:00:00Z"),
            utc("2027-04-06T15:00:00Z")
        ]
    );
    // Each tenant lists its own appointments only.
    assert_eq!(appointments(&op_a).await, 7);
    assert_eq!(appointments(&op_b).await, 3);
}

on_backends!(a_weekly_series_keeps_its_local_hour_across_clock_changes);

/// How many events the cases outbox holds.
async fn outbox_len(app: &TestApp, backend: Backend) -> u64 {
    let (conn, schema) = app.store_owner(backend, "cases").await;
    rows(
        &conn,
        &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {schema}outbox"),
    )
    .await
    .first()
    .and_then(|n| n.parse().ok())
    .expect("a count")
}

async fn consent(op: &Client, person: &str, given: bool) {
    op.ok(
        "mutation($p: ID!, $g: Boolean!) { recordConsent(personId: $p, purpose: ANONYMISED_STATISTICS, given: $g) { given } }",
        json!({ "p": person, "g": given }),
    )
    .await;
}

async fn withdrawn_consent_stops_counting_and_consent_given_again_resumes(
    backend: Backend,
    topology: Topology,
) {
    // 30 November 2026: November is open, October is closed.
    let app = spawn_at(backend, topology, "2026-11-30T10:00:00Z").await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    let op_a = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let op_b = operator(&app, &b, "op@beta.example.org", &[]).await;
    let (fatima, case) = person_with_case(&op_a, "Fatima", "052022").await;
    let october = intervention(&op_a, &case, Some("2026-10-10T10:00:00+02:00")).await;
    need(&op_a, &case, None).await;
    let (_, case_b) = person_with_case(&op_b, "Radu", "048017").await;
    intervention(&op_b, &case_b, None).await;
    wait_month(
        &op_a,
        "2026-11",
        &[
            ("PEOPLE_REACHED", 1),
            ("NEW_CASES", 1),
            ("NEEDS_RECORDED", 1),
        ],
    )
    .await;
    wait_month(
        &op_a,
        "2026-10",
        &[("PEOPLE_REACHED", 1), ("INTERVENTIONS", 1)],
    )
    .await;
    wait_month(
        &op_b,
        "2026-11",
        &[("PEOPLE_REACHED", 1), ("INTERVENTIONS", 1)],
    )
    .await;

    // Withdrawn: the person leaves the open month; the closed month stays as counted.
    let before = outbox_len(&app, backend).await;
    consent(&op_a, &fatima, false).await;
    wait_month(
        &op_a,
        "2026-11",
        &[
            ("PEOPLE_REACHED", 0),
            ("NEW_CASES", 0),
            ("NEEDS_RECORDED", 0),
        ],
    )
    .await;
    let oct = month(&op_a, "2026-10").await;
    assert_eq!((oct["PEOPLE_REACHED"], oct["INTERVENTIONS"]), (1, 1));
    // Nothing the person does later leaves the cases service, whatever the path.
    need(&op_a, &case, None).await;
    intervention(&op_a, &case, None).await;
    intervention(&op_a, &case, Some("2026-09-15T10:00:00+02:00")).await;
    op_a.ok(
        "mutation($id: ID!) { updateIntervention(id: $id, expectedVersion: 1, doneAt: \"2026-09-01T10:00:00+02:00\") { id } }",
        json!({ "id": october }),
    )
    .await;
    op_a.ok(
        "mutation($id: ID!) { changeCaseStatus(id: $id, expectedVersion: 1, to: ACTIVE) { status } }",
        json!({ "id": case }),
    )
    .await;
    assert_eq!(
        outbox_len(&app, backend).await,
        before + 1,
        "only the notice of the withdrawal was written"
    );
    // Another person's case, opened afterwards, shows the bus has carried everything before.
    let (_, _) = person_with_case(&op_a, "Yusuf", "052022").await;
    let nov = wait_month(&op_a, "2026-11", &[("NEW_CASES", 1), ("PEOPLE_REACHED", 1)]).await;
    assert_eq!(
        (
            nov["NEEDS_RECORDED"],
            nov["INTERVENTIONS"],
            nov["IN_INTEGRATION_PATH"]
        ),
        (0, 0, 0)
    );
    assert_eq!(month(&op_a, "2026-09").await["INTERVENTIONS"], 0);
    assert_eq!(month(&op_a, "2026-10").await["INTERVENTIONS"], 1);

    // Consent given again: counting resumes from then on.
    consent(&op_a, &fatima, true).await;
    need(&op_a, &case, None).await;
    wait_month(
        &op_a,
        "2026-11",
        &[("NEEDS_RECORDED", 1), ("PEOPLE_REACHED", 2)],
    )
    .await;
    // The other tenant's figures never moved.
    let theirs = month(&op_b, "2026-11").await;
    assert_eq!(
        (
            theirs["PEOPLE_REACHED"],
            theirs["INTERVENTIONS"],
            theirs["NEEDS_RECORDED"]
        ),
        (1, 1, 0)
    );
}

on_backends!(withdrawn_consent_stops_counting_and_consent_given_again_resumes);

/// Statistics of the tenant by age band: (band, value) rows of `measure` in `month`.
async fn by_age_band(c: &Client, measure: &str, month: &str) -> Vec<(String, u64)> {
    let query = format!(
        "query($m: String!) {{ tenantStatistics(measure: {measure}, by: [AGE_BAND], from: $m, to: $m) {{ keys value }} }}"
    );
    let mut rows: Vec<(String, u64)> =
        c.ok(&query, json!({ "m": month })).await["tenantStatistics"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                (
                    r["keys"][0].as_str().expect("band").to_owned(),
                    r["value"].as_u64().expect("value"),
                )
            })
            .collect();
    rows.sort();
    rows
}

/// Ages are taken on the day of each event, from the whole birth date, by the one rule that
/// also flags a household's minors: a person born on 15 June 2008 is counted in 0-17 for an
/// intervention on 10 June 2026 and in 18-24 for one on 20 June; one born on 31 December 2008
/// is 17 on 6 December 2026, a minor in her household and in 0-17 for her case opened that day.
async fn a_person_turning_18_between_two_events_changes_age_band(
    backend: Backend,
    topology: Topology,
) {
    // 6 December 2026, 11:00 in Rome.
    let app = spawn_at(backend, topology, "2026-12-06T10:00:00Z").await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alfa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let op_b = operator(&app, &b, "op@beta.example.org", &[]).await;
    let create = "mutation($i: PersonInput!) { createPerson(input: $i) { id } }";
    let born = |given: &str, month: u32, day: u32| {
        json!({ "i": {
            "givenNames": given, "familyNames": "Haidari", "territoryCode": "052022",
            "birth": { "year": 2008, "month": month, "day": day }, "sex": "MALE",
        } })
    };
    let amir = op.id(create, born("Amir", 6, 15)).await;
    let lina = op.id(create, born("Lina", 12, 31)).await;
    let mut cases = Vec::new();
    for person in [&amir, &lina] {
        op.ok(
            "mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }",
            json!({ "p": person }),
        )
        .await;
        cases.push(
            op.id(
                "mutation($p: ID!) { openCase(personId: $p) { id } }",
                json!({ "p": person }),
            )
            .await,
        );
    }
    intervention(&op, &cases[0], Some("2026-06-10T10:00:00Z")).await;
    intervention(&op, &cases[0], Some("2026-06-20T10:00:00Z")).await;

    // Lina is a minor in her household today.
    let household = op
        .id("mutation { createHousehold(label: \"Famiglia Haidari\", territoryCode: \"052022\") { id } }", json!({}))
        .await;
    let added = op
        .one(
            "mutation($h: ID!, $p: ID!) { addHouseholdMember(householdId: $h, personId: $p, role: CHILD) { members { minor } minors } }",
            json!({ "h": household, "p": lina }),
        )
        .await;
    assert_eq!(added["minors"], 1, "{added}");

    let mut june = Vec::new();
    for _ in 0..300 {
        june = by_age_band(&op, "INTERVENTIONS", "2026-06").await;
        if june.iter().map(|(_, v)| v).sum::<u64>() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(june, [("0-17".to_owned(), 1), ("18-24".to_owned(), 1)]);
    let mut december = Vec::new();
    for _ in 0..300 {
        december = by_age_band(&op, "NEW_CASES", "2026-12").await;
        if december.iter().map(|(_, v)| v).sum::<u64>() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(december, [("0-17".to_owned(), 1), ("18-24".to_owned(), 1)]);
    // The other tenant counts nothing of it.
    assert_eq!(by_age_band(&op_b, "INTERVENTIONS", "2026-06").await, []);
}

on_backends!(a_person_turning_18_between_two_events_changes_age_band);
