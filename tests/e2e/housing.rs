//! The housing service through `/graphql`: units with rooms and beds, the waiting list with its
//! explained priority and audited rule, co-housing placements with one stay per bed and night
//! (concurrent requests included), milestones, exits, follow-ups when due (on a later clock),
//! the indicators they feed, and isolation between tenants.

use std::collections::HashMap;

use chrono::{Duration, Months, NaiveDate, Utc};
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::analytics::wait_for;
use crate::helpers::{
    Backend, Client, TestApp, Topology, code, field, operators, spawn_alfa_and_beta,
};
use crate::on_backends;

const UNIT: &str = "id version name state beds vacantBeds territoryCode rooms { name beds { id label placementId } }";
const ADD_UNIT: &str = "mutation($i: AddUnitInput!) { addUnit(input: $i) { id version name state beds vacantBeds territoryCode rooms { name beds { id label placementId } } } }";
const APPLY: &str = "mutation($i: ApplyForHousingInput!) { applyForHousing(input: $i) { id version status score position minors explanation { factor quantity points } } }";
const PLACE: &str = "mutation($i: PlaceHouseholdInput!) { placeHousehold(input: $i) { id version status startsOn plannedEndOn bedIds } }";
const LIST: &str = "query($after: String) { housingApplications(first: 100, after: $after) { edges { node { id score position appliedOn minors incomeBand evictionNoticeOn healthOrDisability explanation { factor quantity points } household { label } } } } }";

fn today() -> NaiveDate {
    // Rome's day: the tests and the tenant agree on it except in the hour around midnight UTC.
    (Utc::now() + Duration::hours(1)).date_naive()
}

fn unit_input(istat: &str, name: &str, rooms: Value) -> Value {
    json!({
        "unit": {
            "name": name, "kind": "APARTMENT", "ownership": "THIRD_SECTOR",
            "owner": "Cooperativa Casa Comune", "address": "Via dei Mille 12", "territoryCode": istat,
            "accessible": true, "sharedSpaces": ["cucina", "soggiorno"],
            "houseRules": "Turni di pulizia settimanali."
        },
        "rooms": rooms
    })
}

/// A household of the cases service with `members` persons, `minors` of them children.
async fn household(
    c: &Client,
    istat: &str,
    label: &str,
    members: usize,
    minors: usize,
) -> (String, Vec<String>) {
    let h = c
        .id(
            "mutation($l: String!, $t: String!) { createHousehold(label: $l, territoryCode: $t) { id } }",
            json!({ "l": label, "t": istat }),
        )
        .await;
    let mut persons = Vec::new();
    for i in 0..members {
        let year = if i < minors { 2016 } else { 1985 };
        let p = c
            .id(
                "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
                json!({ "i": { "givenNames": format!("Membro{i}"), "familyNames": label, "territoryCode": istat, "birth": { "year": year } } }),
            )
            .await;
        let role = if i == members - 1 {
            "HEAD"
        } else if i < minors {
            "CHILD"
        } else {
            "PARTNER"
        };
        c.ok(
            "mutation($h: ID!, $p: ID!, $r: HouseholdRole!) { addHouseholdMember(householdId: $h, personId: $p, role: $r) { id } }",
            json!({ "h": h, "p": p, "r": role }),
        )
        .await;
        persons.push(p);
    }
    (h, persons)
}

fn beds(unit: &Value) -> Vec<String> {
    unit["rooms"]
        .as_array()
        .expect("rooms")
        .iter()
        .flat_map(|r| r["beds"].as_array().expect("beds").clone())
        .map(|b| b["id"].as_str().expect("bed").to_owned())
        .collect()
}

fn place_input(h: &str, unit: &str, beds: &[String], start: NaiveDate, end: NaiveDate) -> Value {
    json!({ "householdId": h, "unitId": unit, "bedIds": beds, "startsOn": start.to_string(),
            "plannedEndOn": end.to_string(), "monthlyContributionCents": 15000, "depositCents": 30000,
            "rulesSignedOn": today().to_string() })
}

async fn co_housing_from_the_waiting_list_to_follow_up(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let admin = &a.admin;
    let c = &op_a;
    let istat = a.istat_code.as_str();

    // Every field at fault in one answer, nothing stored.
    let bad = admin
        .gql(ADD_UNIT, json!({ "i": { "unit": { "name": " ", "kind": "HOUSE", "ownership": "PUBLIC", "owner": "", "address": "Via Roma 1", "territoryCode": "999999" }, "rooms": [] } }))
        .await;
    assert_eq!(code(&bad).as_deref(), Some("INVALID_INPUT"), "{bad}");
    let fields: Vec<String> = bad["errors"][0]["extensions"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    for f in ["name", "owner", "territoryCode", "rooms"] {
        assert!(fields.iter().any(|x| x == f), "{f} missing in {bad}");
    }

    let unit = admin
        .ok(ADD_UNIT, json!({ "i": unit_input(istat, "Casa Comune", json!([{ "name": "Camera 1", "beds": 2 }, { "name": "Camera 2", "beds": 2 }])) }))
        .await["addUnit"]
        .clone();
    assert_eq!(unit["beds"], 4);
    assert_eq!(unit["vacantBeds"], 4);
    assert_eq!(unit["state"], "AVAILABLE");
    let all_beds = beds(&unit);

    // Beta sees none of it.
    let theirs = b
        .admin
        .gql(
            &format!("query($id: ID!) {{ node(id: $id) {{ ... on Unit {{ {UNIT} }} }} }}"),
            json!({ "id": unit["id"] }),
        )
        .await;
    assert!(theirs["data"]["node"].is_null(), "{theirs}");
    let listed = b
        .admin
        .ok(
            "{ housingUnits(first: 10) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["housingUnits"]["edges"], json!([]));
    let stolen = op_b
        .gql(PLACE, json!({ "i": place_input(&a.territory, unit["id"].as_str().expect("present"), &all_beds[..1], today(), today() + Duration::days(30)) }))
        .await;
    assert!(code(&stolen).is_some(), "{stolen}");

    // Two households on the waiting list: the one with more minors first.
    let (h1, p1) = household(c, istat, "Bennani", 3, 2).await;
    let (h2, _) = household(c, istat, "Diallo", 2, 0).await;
    let app1 = c
        .ok(
            APPLY,
            json!({ "i": { "householdId": h1, "facts": { "incomeBand": "LOW" } } }),
        )
        .await["applyForHousing"]
        .clone();
    let app2 = c.ok(APPLY, json!({ "i": { "householdId": h2, "facts": { "incomeBand": "VERY_LOW", "evictionNoticeOn": today().to_string(), "healthOrDisability": true } } })).await["applyForHousing"].clone();
    assert_eq!(app1["minors"], 2);
    assert_eq!(app1["score"], 2 * 10 + 15);
    assert_eq!(app2["score"], 30 + 25 + 20);
    let again = c
        .gql(
            APPLY,
            json!({ "i": { "householdId": h1, "facts": { "incomeBand": "LOW" } } }),
        )
        .await;
    assert_eq!(field(&again).as_deref(), Some("householdId"), "{again}");
    let list = c.ok(LIST, json!({})).await;
    let order: Vec<&Value> = list["housingApplications"]["edges"]
        .as_array()
        .expect("present")
        .iter()
        .map(|e| &e["node"]["id"])
        .collect();
    assert_eq!(order, vec![&app2["id"], &app1["id"]]);
    // Beta's waiting list is its own.
    assert_eq!(
        op_b.ok(LIST, json!({})).await["housingApplications"]["edges"],
        json!([])
    );

    // The head of the first household is also followed in a case: one person for analytics.
    c.ok(
        "mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }",
        json!({ "p": p1[2] }),
    )
    .await;
    c.ok(
        "mutation($p: ID!, $t: String) { openCase(personId: $p, territoryCode: $t) { id } }",
        json!({ "p": p1[2], "t": istat }),
    )
    .await;

    // Co-housing: two households, two beds each.
    let start = today() - Duration::days(300);
    let end = today() + Duration::days(60);
    let mut first = place_input(
        &h1,
        unit["id"].as_str().expect("present"),
        &all_beds[..2],
        start,
        end,
    );
    first["applicationId"] = app1["id"].clone();
    let placed1 = c.ok(PLACE, json!({ "i": first })).await["placeHousehold"].clone();
    assert_eq!(placed1["status"], "ACTIVE");
    let mut second = place_input(
        &h2,
        unit["id"].as_str().expect("present"),
        &all_beds[2..],
        today(),
        end,
    );
    second["applicationId"] = app2["id"].clone();
    let placed2 = c.ok(PLACE, json!({ "i": second })).await["placeHousehold"].clone();
    let taken = c
        .gql(PLACE, json!({ "i": place_input(&household(c, istat, "Rossi", 1, 0).await.0, unit["id"].as_str().expect("present"), &all_beds[1..2], today() + Duration::days(10), today() + Duration::days(20)) }))
        .await;
    assert_eq!(
        taken["errors"][0]["extensions"]["reason"], "BED_TAKEN",
        "{taken}"
    );
    assert_eq!(field(&taken).as_deref(), Some("bedIds"));
    let now = c
        .ok(
            &format!("query($id: ID!) {{ node(id: $id) {{ ... on Unit {{ {UNIT} }} }} }}"),
            json!({ "id": unit["id"] }),
        )
        .await;
    assert_eq!(now["node"]["state"], "OCCUPIED", "{now}");
    assert_eq!(now["node"]["vacantBeds"], 0);
    let placed_list = c.ok(LIST, json!({})).await;
    assert_eq!(
        placed_list["housingApplications"]["edges"],
        json!([]),
        "placed households leave the list"
    );

    // Path to autonomy, then the first household leaves (190 days ago).
    let milestone = c
        .ok("mutation($i: RecordMilestoneInput!) { recordMilestone(input: $i) { milestones { kind reachedOn } } }",
            json!({ "i": { "placementId": placed1["id"], "kind": "JOB_CONTRACT", "reachedOn": (today() - Duration::days(250)).to_string(), "note": "Contratto a tempo determinato" } }))
        .await;
    assert_eq!(
        milestone["recordMilestone"]["milestones"][0]["kind"],
        "JOB_CONTRACT"
    );
    let exit_on = today() - Duration::days(190);
    let exited = c
        .ok("mutation($i: ExitPlacementInput!) { exitPlacement(input: $i) { status exit { on destination autonomyReached } followUps { id version months dueOn recordedOn } } }",
            json!({ "i": { "id": placed1["id"], "expectedVersion": placed1["version"], "exitOn": exit_on.to_string(), "destination": "OWN_RENTAL", "autonomyReached": true } }))
        .await["exitPlacement"]
        .clone();
    assert_eq!(exited["status"], "ENDED");
    let follow_ups = exited["followUps"].as_array().expect("follow-ups").clone();
    assert_eq!(follow_ups.len(), 2);
    let six = follow_ups
        .iter()
        .find(|f| f["months"] == 6)
        .expect("6 months")
        .clone();
    let twelve = follow_ups
        .iter()
        .find(|f| f["months"] == 12)
        .expect("12 months")
        .clone();
    assert_eq!(
        six["dueOn"],
        exit_on
            .checked_add_months(Months::new(6))
            .expect("present")
            .to_string()
    );
    // Due: the 6-month one, for its responsible operator; the 12-month one not yet.
    let due = c
        .ok(
            "{ followUps(first: 10, due: true, mine: true) { edges { node { id months } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        due["followUps"]["edges"].as_array().expect("present").len(),
        1,
        "{due}"
    );
    assert_eq!(due["followUps"]["edges"][0]["node"]["months"], 6);
    let early = c
        .gql("mutation($i: RecordFollowUpInput!) { recordFollowUp(input: $i) { id } }",
            json!({ "i": { "id": twelve["id"], "expectedVersion": twelve["version"], "on": today().to_string(), "stillHoused": true, "destination": "OWN_RENTAL" } }))
        .await;
    assert_eq!(
        early["errors"][0]["extensions"]["reason"], "TRANSITION_NOT_ALLOWED",
        "{early}"
    );
    c.ok("mutation($i: RecordFollowUpInput!) { recordFollowUp(input: $i) { recordedOn stillHoused } }",
        json!({ "i": { "id": six["id"], "expectedVersion": six["version"], "on": today().to_string(), "stillHoused": true, "destination": "OWN_RENTAL" } }))
        .await;
    // The beds of the household that left are free again.
    let freed = c
        .ok(
            &format!("query($id: ID!) {{ node(id: $id) {{ ... on Unit {{ {UNIT} }} }} }}"),
            json!({ "id": unit["id"] }),
        )
        .await;
    assert_eq!(freed["node"]["vacantBeds"], 2, "{freed}");
    let extended = c
        .ok("mutation($i: ExtendPlacementInput!) { extendPlacement(input: $i) { plannedEndOn extensions { from to } } }",
            json!({ "i": { "id": placed2["id"], "expectedVersion": placed2["version"], "plannedEndOn": (end + Duration::days(30)).to_string() } }))
        .await;
    assert_eq!(
        extended["extendPlacement"]["extensions"][0]["from"],
        end.to_string()
    );

    // The indicators: 2 families housed and supported, 2 of 4 beds occupied, one exit reaching
    // autonomy after 110 days, still housed at 6 months; each member counted once as a person.
    let got = wait_for(
        admin,
        &[
            // Five members housed; the one also followed in a case counts once.
            ("PEOPLE_REACHED", 5),
            ("NEW_CASES", 1),
            ("FAMILIES_HOUSED", 2),
            ("FAMILIES_SUPPORTED", 2),
            ("OCCUPIED_BEDS", 2),
            ("VACANT_BEDS", 2),
            ("OCCUPANCY_RATE", 50),
            ("AVERAGE_STAY_DAYS", 110),
            ("AUTONOMY_AT_EXIT", 100),
            ("HOUSED_AT_6_MONTHS", 100),
        ],
    )
    .await;
    assert_eq!(got["FAMILIES_HOUSED"]["target"], 10);
    assert_eq!(got["FAMILIES_SUPPORTED"]["target"], 14);
    let theirs = wait_for(&b.admin, &[("FAMILIES_HOUSED", 0), ("OCCUPIED_BEDS", 0)]).await;
    assert_eq!(theirs["PEOPLE_REACHED"]["value"], 0, "{theirs:?}");

    // Every payload housing wrote: typed records of pseudonyms and codes, no name, address,
    // owner, note or amount; every housing event type is there.
    let (conn, schema) = app.store_owner(backend, "housing").await;
    let payloads = crate::cases::rows(
        &conn,
        &format!("SELECT payload FROM {schema}outbox ORDER BY id"),
    )
    .await;
    let mut kinds = Vec::new();
    for payload in &payloads {
        crate::cases::assert_no_personal_data(
            payload,
            &[
                "Bennani",
                "Diallo",
                "Membro",
                "Casa Comune",
                "Via dei Mille",
                "Cooperativa",
                "Contratto",
                "15000",
                "30000",
            ],
        );
        let record =
            sportello_kernel::events::Record::from_payload(payload).expect("a typed record");
        kinds.push(record.event.kind());
    }
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds, sportello_kernel::events::EventKind::HOUSING.to_vec());

    // A placement planned for next week is called off: the bed is free again for those days,
    // its application waits again, and it never counts as housing anyone.
    let (h3, _) = household(c, istat, "Kone", 1, 0).await;
    let app3 = c
        .ok(
            APPLY,
            json!({ "i": { "householdId": h3, "facts": { "incomeBand": "MEDIUM" } } }),
        )
        .await["applyForHousing"]
        .clone();
    let mut planned = place_input(
        &h3,
        unit["id"].as_str().expect("present"),
        &all_beds[0..1],
        today() + Duration::days(7),
        today() + Duration::days(40),
    );
    planned["applicationId"] = app3["id"].clone();
    let planned = c.ok(PLACE, json!({ "i": planned })).await["placeHousehold"].clone();
    assert_eq!(planned["status"], "PLANNED");
    let cancel = "mutation($id: ID!, $v: Int!) { cancelPlacement(id: $id, expectedVersion: $v) { status cancelledOn version } }";
    let started = c.gql(cancel, json!({ "id": placed2["id"], "v": 2 })).await;
    assert_eq!(
        started["errors"][0]["extensions"]["reason"], "TRANSITION_NOT_ALLOWED",
        "{started}"
    );
    let cancelled = c
        .ok(
            cancel,
            json!({ "id": planned["id"], "v": planned["version"] }),
        )
        .await["cancelPlacement"]
        .clone();
    assert_eq!(cancelled["status"], "CANCELLED");
    assert_eq!(cancelled["cancelledOn"], today().to_string());
    let waiting = c
        .ok(
            "query($id: ID!) { node(id: $id) { ... on HousingApplication { status position } } }",
            json!({ "id": app3["id"] }),
        )
        .await;
    assert_eq!(waiting["node"]["status"], "WAITING", "{waiting}");
    let (h4, _) = household(c, istat, "Sow", 1, 0).await;
    c.ok(PLACE, json!({ "i": place_input(&h4, unit["id"].as_str().expect("present"), &all_beds[0..1], today() + Duration::days(7), today() + Duration::days(40)) }))
        .await;
    let again = c
        .gql(
            cancel,
            json!({ "id": planned["id"], "v": cancelled["version"] }),
        )
        .await;
    assert_eq!(
        again["errors"][0]["extensions"]["reason"], "TRANSITION_NOT_ALLOWED",
        "{again}"
    );

    // The shared view of people housed by municipality and month: another tenant's member sees
    // Alfa's cells under disclosure control (a household of three is below the threshold).
    let shared = "query($v: SharedViewKind!, $l: TerritoryLevel!, $f: String!, $t: String!) { sharedView(view: $v, level: $l, from: $f, to: $t) { disclosure { threshold } cells { tenantName territory month value status } } }";
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    let mut alfa_cells = Vec::new();
    for _ in 0..100 {
        let view = b
            .admin
            .ok(shared, json!({ "v": "HOUSED_BY_TERRITORY_MONTH", "l": "MUNICIPALITY", "f": month(start), "t": month(today()) }))
            .await;
        let threshold = view["sharedView"]["disclosure"]["threshold"]
            .as_u64()
            .expect("threshold");
        alfa_cells = view["sharedView"]["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .filter(|c| c["tenantName"] == "Alfa")
            .cloned()
            .collect();
        for cell in &alfa_cells {
            assert!(
                cell["value"].is_null() || cell["value"].as_u64().expect("value") >= threshold,
                "{cell}"
            );
        }
        if alfa_cells
            .iter()
            .any(|c| c["month"] == month(start) && c["status"] == "SUPPRESSED")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        alfa_cells
            .iter()
            .any(|c| c["month"] == month(start) && c["status"] == "SUPPRESSED"),
        "{alfa_cells:?}"
    );

    // A year on (the same stores, a later clock, read only): the 12-month follow-up is due.
    let mut later = app.config.clone();
    later.clock_start = Some(
        (exit_on
            .checked_add_months(Months::new(12))
            .expect("present")
            + Duration::days(1))
        .and_hms_opt(10, 0, 0)
        .expect("time")
        .and_utc(),
    );
    let later = TestApp::spawn_with(later, None, Topology::AllInOne).await;
    let mut op = later.client();
    let signed = op
        .login("op@alfa.example.org", "Sportello-Operatore-2026")
        .await;
    assert!(signed["errors"].is_null(), "{signed}");
    let due = op
        .ok(
            "{ followUps(first: 10, due: true) { edges { node { months } } } }",
            json!({}),
        )
        .await;
    let months: Vec<&Value> = due["followUps"]["edges"]
        .as_array()
        .expect("present")
        .iter()
        .map(|e| &e["node"]["months"])
        .collect();
    assert_eq!(months, vec![&json!(12)], "{due}");
}

on_backends!(co_housing_from_the_waiting_list_to_follow_up);

/// 20 placements of one bed for overlapping days, all at once: exactly one commits; a stay that
/// starts the day the other ends is accepted.
async fn one_stay_per_bed_and_night(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let istat = a.istat_code.clone();
    let c = std::sync::Arc::new(op_a);
    let unit = a
        .admin
        .ok(ADD_UNIT, json!({ "i": unit_input(&istat, "Casa Ponte", json!([{ "name": "Camera", "beds": 1 }])) }))
        .await["addUnit"]
        .clone();
    let bed = beds(&unit);
    let unit_id = unit["id"].as_str().expect("present").to_owned();
    let mut households = Vec::new();
    for i in 0..21 {
        households.push(household(&c, &istat, &format!("Famiglia{i}"), 1, 0).await.0);
    }
    let start = today() + Duration::days(5);
    let mut set = JoinSet::new();
    for (i, h) in households.iter().take(20).enumerate() {
        let c = c.clone();
        let input = place_input(
            h,
            &unit_id,
            &bed,
            start + Duration::days(i as i64 % 3),
            start + Duration::days(40),
        );
        set.spawn(async move { c.gql(PLACE, json!({ "i": input })).await });
    }
    let mut won = 0;
    let mut reasons: HashMap<String, usize> = HashMap::new();
    while let Some(done) = set.join_next().await {
        let resp = done.expect("task");
        if resp["errors"].is_null() {
            won += 1;
        } else {
            *reasons
                .entry(
                    resp["errors"][0]["extensions"]["reason"]
                        .as_str()
                        .unwrap_or("?")
                        .to_owned(),
                )
                .or_default() += 1;
        }
    }
    assert_eq!(won, 1, "{reasons:?}");
    assert_eq!(reasons.get("BED_TAKEN"), Some(&19), "{reasons:?}");
    let stays = c
        .ok("query($u: ID!, $f: NaiveDate!, $t: NaiveDate!) { bedStays(unitId: $u, from: $f, to: $t) { startsOn endsOn } }",
            json!({ "u": unit_id, "f": today().to_string(), "t": (today() + Duration::days(200)).to_string() }))
        .await;
    let stays = stays["bedStays"].as_array().expect("stays").clone();
    assert_eq!(stays.len(), 1);
    let ends: NaiveDate = stays[0]["endsOn"]
        .as_str()
        .expect("present")
        .parse()
        .expect("present");
    // Adjacent: from the day the other stay ends.
    c.ok(PLACE, json!({ "i": place_input(&households[20], &unit_id, &bed, ends, ends + Duration::days(30)) })).await;
    // Beta's beds are its own: the same days on a bed of Beta are free.
    let theirs = b
        .admin
        .ok(ADD_UNIT, json!({ "i": unit_input(&b.istat_code, "Casa Beta", json!([{ "name": "Camera", "beds": 1 }])) }))
        .await["addUnit"]
        .clone();
    let (hb, _) = household(&op_b, &b.istat_code, "Beta", 1, 0).await;
    op_b
        .ok(PLACE, json!({ "i": place_input(&hb, theirs["id"].as_str().expect("present"), &beds(&theirs), start, start + Duration::days(40)) }))
        .await;
}

on_backends!(one_stay_per_bed_and_night:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres => (Backend::Postgres, Topology::AllInOne),
);

/// 30 households: the list follows the documented rule, each explanation adds up to its score,
/// and a change of rule re-orders the list and is audited.
async fn the_waiting_list_follows_the_rule(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, _op_b) = operators(&app, &a, &b).await;
    let c = &op_a;
    let istat = a.istat_code.as_str();
    let bands = ["VERY_LOW", "LOW", "MEDIUM", "HIGH", "UNKNOWN"];
    for i in 0..30usize {
        let (h, _) = household(c, istat, &format!("Nucleo{i:02}"), 1 + i % 3, i % 3).await;
        let applied = today() - Duration::days((i as i64 * 37) % 400);
        let eviction = (i % 4 == 0).then(|| today().to_string());
        c.ok(APPLY, json!({ "i": { "householdId": h, "appliedOn": applied.to_string(), "facts": { "incomeBand": bands[i % 5], "evictionNoticeOn": eviction, "healthOrDisability": i % 7 == 0 } } }))
            .await;
    }
    let points = |rule: &Value, n: &Value| -> u64 {
        let months = {
            let from: NaiveDate = n["appliedOn"]
                .as_str()
                .expect("present")
                .parse()
                .expect("present");
            let mut m = 0u32;
            while from
                .checked_add_months(Months::new(m + 1))
                .expect("present")
                <= today()
            {
                m += 1;
            }
            u64::from(m).min(rule["maxMonthsWaiting"].as_u64().expect("present"))
        };
        let income = match n["incomeBand"].as_str().expect("present") {
            "VERY_LOW" => rule["incomeVeryLow"].as_u64().expect("present"),
            "LOW" => rule["incomeLow"].as_u64().expect("present"),
            "MEDIUM" => rule["incomeMedium"].as_u64().expect("present"),
            "HIGH" => rule["incomeHigh"].as_u64().expect("present"),
            _ => 0,
        };
        n["minors"].as_u64().expect("present") * rule["perMinor"].as_u64().expect("present")
            + if n["evictionNoticeOn"].is_null() {
                0
            } else {
                rule["evictionNotice"].as_u64().expect("present")
            }
            + income
            + months * rule["perMonthWaiting"].as_u64().expect("present")
            + if n["healthOrDisability"] == true {
                rule["healthOrDisability"].as_u64().expect("present")
            } else {
                0
            }
    };
    let rule_query = "{ priorityRule { version perMinor evictionNotice incomeVeryLow incomeLow incomeMedium incomeHigh healthOrDisability perMonthWaiting maxMonthsWaiting } }";
    let check = |rule: Value, list: Value| {
        let nodes: Vec<Value> = list["housingApplications"]["edges"]
            .as_array()
            .expect("present")
            .iter()
            .map(|e| e["node"].clone())
            .collect();
        assert_eq!(nodes.len(), 30);
        let mut last: Option<(u64, String)> = None;
        for (i, n) in nodes.iter().enumerate() {
            let score = n["score"].as_u64().expect("present");
            assert_eq!(score, points(&rule, n), "{n}");
            let sum: u64 = n["explanation"]
                .as_array()
                .expect("present")
                .iter()
                .map(|t| t["points"].as_u64().expect("present"))
                .sum();
            assert_eq!(sum, score, "the explanation adds up: {n}");
            assert_eq!(n["position"], json!(i + 1));
            let applied = n["appliedOn"].as_str().expect("present").to_owned();
            if let Some((s, d)) = &last {
                assert!(
                    *s > score || (*s == score && *d <= applied),
                    "order at {i}: {n}"
                );
            }
            last = Some((score, applied));
        }
        nodes.iter().map(|n| n["id"].clone()).collect::<Vec<_>>()
    };
    let rule = c.ok(rule_query, json!({})).await["priorityRule"].clone();
    assert_eq!(rule["version"], 0);
    let before = check(rule, c.ok(LIST, json!({})).await);

    // A rule where only months waiting count, up to 13: the list re-orders.
    let set = "mutation($i: SetPriorityRuleInput!) { setPriorityRule(input: $i) { version } }";
    let new_rule = json!({ "expectedVersion": 0, "perMinor": 0, "evictionNotice": 0, "incomeVeryLow": 0, "incomeLow": 0, "incomeMedium": 0, "incomeHigh": 0, "healthOrDisability": 0, "perMonthWaiting": 5, "maxMonthsWaiting": 13, "reason": "Delibera di giunta: conta l'anzianità in lista" });
    let refused = b.admin.gql(set, json!({ "i": { "expectedVersion": 0, "perMinor": 5000, "evictionNotice": 0, "incomeVeryLow": 0, "incomeLow": 0, "incomeMedium": 0, "incomeHigh": 0, "healthOrDisability": 0, "perMonthWaiting": 1, "maxMonthsWaiting": 12, "reason": "" } })).await;
    assert_eq!(field(&refused).as_deref(), Some("perMinor"), "{refused}");
    assert_eq!(
        a.admin.ok(set, json!({ "i": new_rule })).await["setPriorityRule"]["version"],
        1
    );
    let stale = a.admin.gql(set, json!({ "i": new_rule })).await;
    assert_eq!(code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    let rule = c.ok(rule_query, json!({})).await["priorityRule"].clone();
    assert_eq!(rule["version"], 1);
    let after = check(rule, c.ok(LIST, json!({})).await);
    assert_ne!(before, after, "the new rule re-orders the list");
    let history = c
        .ok(
            "{ priorityRuleHistory { reason rule { version perMonthWaiting } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        history["priorityRuleHistory"][0]["reason"],
        "Delibera di giunta: conta l'anzianità in lista"
    );
    assert_eq!(history["priorityRuleHistory"][0]["rule"]["version"], 1);
    // Every score the rule moved is audited with the rule's version.
    let audited = c
        .ok("query($id: ID!) { node(id: $id) { ... on HousingApplication { score scoreHistory { cause before after ruleVersion byUserId } } } }", json!({ "id": after[0] }))
        .await;
    let steps = audited["node"]["scoreHistory"]
        .as_array()
        .expect("history")
        .clone();
    assert_eq!(steps[0]["cause"], "APPLIED");
    let last = steps.last().expect("a step");
    assert_eq!(last["cause"], "RULE", "{audited}");
    assert_eq!(last["ruleVersion"], 1);
    assert_eq!(last["after"], audited["node"]["score"]);
    // Beta's rule is untouched.
    assert_eq!(
        b.admin.ok(rule_query, json!({})).await["priorityRule"]["version"],
        0
    );
}

on_backends!(the_waiting_list_follows_the_rule:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres_distributed => (Backend::Postgres, Topology::Distributed),
);
