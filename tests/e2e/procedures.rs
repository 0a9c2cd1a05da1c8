//! Long procedures (pratiche) end to end: the seeded types and their deadlines (one scenario per
//! type, the expected dates worked out by hand from the rules in docs/procedures.md), a
//! tenant's own types, alerts before a deadline on a later clock, overdue lists, the back
//! office's workload, and two tenants that see nothing of each other's.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use crate::helpers::{
    Backend, Client, TestApp, Topology, code, field, operators, spawn_alfa_and_beta,
};
use crate::on_backends;

const FIELDS: &str = "id version typeCode status startedOn referenceOn nextDueOn nextStep overdue alerting alertDays steps { code dueOn doneOn limitKind source } documents { code status }";

fn start_query() -> String {
    format!("mutation($i: StartProcedureInput!) {{ startProcedure(input: $i) {{ {FIELDS} }} }}")
}

fn step_query() -> String {
    format!(
        "mutation($i: RecordProcedureStepInput!) {{ recordProcedureStep(input: $i) {{ {FIELDS} }} }}"
    )
}

async fn person(op: &Client, territory: &str) -> String {
    crate::cases::story_with_cf(op, "Amina", "El Idrissi", territory, None)
        .await
        .person
}

/// Records `step` done on `on`; returns the procedure.
async fn done(op: &Client, p: &Value, step: &str, on: &str) -> Value {
    op.one(
        &step_query(),
        json!({ "i": { "id": p["id"], "step": step, "doneOn": on, "expectedVersion": p["version"] } }),
    )
    .await
}

fn due(p: &Value, step: &str) -> Value {
    p["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["code"] == step)
        .unwrap_or_else(|| panic!("no step {step}: {p}"))["dueOn"]
        .clone()
}

/// One scenario per seeded type: its steps done on given days, and the due dates that follow.
async fn every_seeded_type_computes_its_deadlines(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op, _) = operators(&app, &a, &b).await;
    let types = op
        .ok("{ procedureTypes { code seeded reference steps { code source limitKind } documents { code } } }", json!({}))
        .await;
    let types = types["procedureTypes"].as_array().expect("types").clone();
    let seeded: Vec<&str> = types
        .iter()
        .filter(|t| t["seeded"] == true)
        .filter_map(|t| t["code"].as_str())
        .collect();
    assert_eq!(seeded.len(), 9, "{seeded:?}");
    let who = person(&op, &a.istat_code).await;
    let start = |code: &str, reference: Option<&str>| json!({ "i": { "personId": who, "typeCode": code, "startedOn": "2026-01-12", "referenceOn": reference } });
    // (type, reference, [(step done, on)], [(step, expected due)])
    type Scenario<'a> = (
        &'a str,
        Option<&'a str>,
        Vec<(&'a str, &'a str)>,
        Vec<(&'a str, Option<&'a str>)>,
    );
    let scenarios: Vec<Scenario> = vec![
        (
            "permit_renewal",
            Some("2026-05-10"),
            vec![("application_sent", "2026-03-02")],
            // 60 days before expiry; issued within 60 days of the application.
            vec![
                ("application_sent", Some("2026-03-11")),
                ("permit_issued", Some("2026-05-01")),
            ],
        ),
        (
            "permit_conversion",
            Some("2026-06-30"),
            vec![("application_sent", "2026-03-02")],
            vec![
                ("application_sent", Some("2026-06-30")),
                ("permit_issued", Some("2026-05-01")),
            ],
        ),
        (
            "eu_long_term_permit",
            None,
            vec![("application_sent", "2026-02-02")],
            vec![("permit_issued", Some("2026-05-03"))],
        ),
        (
            "citizenship_residence",
            None,
            vec![
                ("application_submitted", "2026-01-31"),
                ("decree_notified", "2026-08-31"),
            ],
            // 24 months; the oath within 6 months (31 August + 6 months: 28 February).
            vec![
                ("decree_notified", Some("2028-01-31")),
                ("oath_sworn", Some("2027-02-28")),
            ],
        ),
        (
            "citizenship_marriage",
            None,
            vec![("application_submitted", "2026-03-31")],
            vec![
                ("decree_notified", Some("2028-03-31")),
                ("oath_sworn", None),
            ],
        ),
        (
            "family_reunification",
            None,
            vec![
                ("application_submitted", "2026-01-15"),
                ("nulla_osta_issued", "2026-03-10"),
                ("family_arrived", "2026-04-02"),
            ],
            // 90 days; 6 months; 8 working days from Thursday 2 April 2026 (Easter Monday on
            // the 6th is a holiday).
            vec![
                ("nulla_osta_issued", Some("2026-04-15")),
                ("visa_requested", Some("2026-09-10")),
                ("permit_requested", Some("2026-04-15")),
            ],
        ),
        (
            "residence_registration",
            Some("2026-04-20"),
            vec![("declaration_made", "2026-04-24")],
            // 20 days from moving; 2 working days (the 25th is a Saturday and a holiday); 45 days.
            vec![
                ("declaration_made", Some("2026-05-10")),
                ("registration_effective", Some("2026-04-28")),
                ("checks_completed", Some("2026-06-08")),
            ],
        ),
        (
            "health_service_registration",
            None,
            vec![("application_made", "2026-02-02")],
            vec![("application_made", None), ("card_received", None)],
        ),
        (
            "asylum",
            None,
            vec![
                ("intention_expressed", "2026-05-29"),
                ("application_formalised", "2026-06-03"),
                ("interview_held", "2026-07-02"),
                ("decision_notified", "2026-07-06"),
            ],
            // 3 working days from Friday 29 May (2 June is a holiday); 30 days; 3 working days
            // from Thursday 2 July; 30 days to appeal.
            vec![
                ("application_formalised", Some("2026-06-04")),
                ("interview_held", Some("2026-07-03")),
                ("decision_notified", Some("2026-07-07")),
                ("appeal_filed", Some("2026-08-05")),
            ],
        ),
    ];
    assert_eq!(scenarios.len(), seeded.len());
    for (code, reference, steps, expected) in scenarios {
        assert!(seeded.contains(&code), "{code}");
        let mut p = op.one(&start_query(), start(code, reference)).await;
        assert_eq!(p["status"], "OPEN");
        for (step, on) in steps {
            p = done(&op, &p, step, on).await;
        }
        for (step, want) in expected {
            assert_eq!(due(&p, step), json!(want), "{code}: {step} in {p}");
        }
        // Every timed step names its source.
        for s in p["steps"].as_array().expect("steps") {
            if !s["dueOn"].is_null() {
                assert_ne!(s["source"], "", "{code}: {s}");
            }
        }
    }
}

on_backends!(every_seeded_type_computes_its_deadlines);

async fn procedures_alert_before_their_deadlines_and_stay_in_their_tenant(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let today = sportello_kernel::Zone::default().date_of(chrono::Utc::now());
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let who = person(&op_a, &a.istat_code).await;
    let theirs = person(&op_b, &b.istat_code).await;

    // Refusals name their fields and start nothing.
    let bad = [
        (
            json!({ "personId": who, "typeCode": "permit_renewal" }),
            "referenceOn",
        ),
        (
            json!({ "personId": who, "typeCode": "no_such_type" }),
            "typeCode",
        ),
        (
            json!({ "personId": theirs, "typeCode": "asylum" }),
            "personId",
        ),
        (
            json!({ "personId": who, "typeCode": "asylum", "alertDays": 0 }),
            "alertDays",
        ),
        (
            json!({ "personId": who, "typeCode": "asylum", "referenceOn": day(today) }),
            "referenceOn",
        ),
        (
            json!({ "personId": who, "typeCode": "asylum", "startedOn": day(today + Duration::days(1)) }),
            "startedOn",
        ),
    ];
    for (input, bad_field) in bad {
        op_a.refused_on(&start_query(), json!({ "i": input }), bad_field)
            .await;
    }
    let none = op_a
        .ok(
            "{ procedures(first: 10) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(none["procedures"]["edges"], json!([]));

    // A renewal whose kit must go in 10 days (60 before an expiry 70 days ahead): alerting with
    // 14 alert days, not overdue.
    let expiry = today + Duration::days(70);
    let renewal = op_a
        .one(
            &start_query(),
            json!({ "i": { "personId": who, "typeCode": "permit_renewal", "startedOn": day(today - Duration::days(10)), "referenceOn": day(expiry) } }),
        )
        .await;
    assert_eq!(renewal["nextStep"], "application_sent");
    assert_eq!(renewal["nextDueOn"], day(today + Duration::days(10)));
    assert_eq!(renewal["alerting"], true);
    assert_eq!(renewal["overdue"], false);
    // Alerting 5 days before instead: not yet.
    let renewal = op_a
        .one(
            &format!("mutation($i: UpdateProcedureInput!) {{ updateProcedure(input: $i) {{ {FIELDS} }} }}"),
            json!({ "i": { "id": renewal["id"], "alertDays": 5, "expectedVersion": renewal["version"] } }),
        )
        .await;
    assert_eq!(renewal["alerting"], false);

    // A registration whose declaration was due 10 days ago: overdue.
    let registration = op_a
        .one(
            &start_query(),
            json!({ "i": { "personId": who, "typeCode": "residence_registration", "startedOn": day(today - Duration::days(30)), "referenceOn": day(today - Duration::days(30)) } }),
        )
        .await;
    assert_eq!(registration["overdue"], true);
    assert_eq!(registration["nextStep"], "declaration_made");
    let listed = |filter: Value| {
        let op = &op_a;
        async move {
            let got = op
                .ok(
                    "query($f: ProcedureFilter) { procedures(first: 20, filter: $f) { edges { node { id } } } }",
                    json!({ "f": filter }),
                )
                .await;
            got["procedures"]["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| e["node"]["id"].clone())
                .collect::<Vec<Value>>()
        }
    };
    assert_eq!(
        listed(json!({ "overdue": true })).await,
        vec![registration["id"].clone()]
    );
    assert_eq!(
        listed(json!({ "alerting": true })).await,
        vec![registration["id"].clone()]
    );
    assert_eq!(listed(json!({ "mine": true })).await.len(), 2);
    assert_eq!(listed(json!({ "personId": who })).await.len(), 2);

    // Documents and steps: stale versions and unknown codes change nothing.
    let doc = "mutation($i: SetProcedureDocumentInput!) { setProcedureDocument(input: $i) { version documents { code status } } }";
    let set = op_a
        .one(doc, json!({ "i": { "id": renewal["id"], "document": "passport", "status": "RECEIVED", "expectedVersion": renewal["version"] } }))
        .await;
    assert!(
        set["documents"]
            .as_array()
            .expect("docs")
            .iter()
            .any(|d| d["code"] == "passport" && d["status"] == "RECEIVED")
    );
    let stale = op_a
        .gql(doc, json!({ "i": { "id": renewal["id"], "document": "photos", "status": "RECEIVED", "expectedVersion": renewal["version"] } }))
        .await;
    assert_eq!(code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    op_a.refused_on(doc, json!({ "i": { "id": renewal["id"], "document": "no_such", "status": "RECEIVED", "expectedVersion": set["version"] } }), "document").await;
    op_a.refused_on(&step_query(), json!({ "i": { "id": renewal["id"], "step": "application_sent", "doneOn": day(today + Duration::days(1)), "expectedVersion": set["version"] } }), "doneOn").await;
    let sent = op_a
        .one(&step_query(), json!({ "i": { "id": renewal["id"], "step": "application_sent", "doneOn": day(today), "expectedVersion": set["version"] } }))
        .await;
    assert_eq!(sent["nextStep"], "permit_issued");
    assert_eq!(sent["nextDueOn"], day(today + Duration::days(60)));

    // The workload: one registration overdue, one renewal waiting on the permit.
    let workload = op_a
        .ok("{ procedureWorkload { byType { typeCode open overdue completed } byStep { typeCode step open overdue } byResponsible { open overdue alerting } } }", json!({}))
        .await;
    let w = &workload["procedureWorkload"];
    assert!(w["byType"].as_array().expect("byType").contains(&json!({ "typeCode": "residence_registration", "open": 1, "overdue": 1, "completed": 0 })), "{w}");
    assert!(w["byStep"].as_array().expect("byStep").contains(&json!({ "typeCode": "permit_renewal", "step": "permit_issued", "open": 1, "overdue": 0 })), "{w}");
    assert_eq!(
        w["byResponsible"],
        json!([{ "open": 2, "overdue": 1, "alerting": 1 }])
    );

    // Beta sees none of it, and cannot touch it.
    let beta_list = op_b
        .ok("{ procedures(first: 10) { edges { node { id } } } procedureWorkload { byType { open } } }", json!({}))
        .await;
    assert_eq!(beta_list["procedures"]["edges"], json!([]));
    assert_eq!(beta_list["procedureWorkload"]["byType"], json!([]));
    op_b.refused(
        "query($id: ID!) { procedure(id: $id) { id } }",
        json!({ "id": renewal["id"] }),
        "NOT_FOUND",
    )
    .await;
    let touched = op_b
        .gql(&step_query(), json!({ "i": { "id": renewal["id"], "step": "permit_issued", "doneOn": day(today), "expectedVersion": sent["version"] } }))
        .await;
    assert_eq!(code(&touched).as_deref(), Some("NOT_FOUND"), "{touched}");

    // A tenant's own type: administrators and coordinators add it; Beta does not see it.
    let create = "mutation($i: CreateProcedureTypeInput!) { createProcedureType(input: $i) { id code seeded steps { code countedFrom amount } documents { code label } } }";
    let own = json!({ "i": { "code": "bonus_affitto", "label": "Contributo affitto comunale", "office": "COMUNE",
        "steps": [{ "label": "Domanda presentata", "office": "COMUNE" }, { "label": "Esito", "office": "COMUNE", "daysAfterPrevious": 30 }],
        "documents": ["ISEE", "Contratto d'affitto"] } });
    op_a.refused(create, own.clone(), "FORBIDDEN").await;
    let made = a.admin.one(create, own.clone()).await;
    assert_eq!(made["seeded"], false);
    assert_eq!(made["steps"][1]["amount"], 30);
    let again = a.admin.gql(create, own).await;
    assert_eq!(field(&again).as_deref(), Some("code"), "{again}");
    // A seeded type's code is taken; a negative limit is out of range.
    let reserved = json!({ "i": { "code": "asylum", "label": "x", "office": "OTHER", "steps": [{ "label": "x", "office": "OTHER" }] } });
    a.admin.refused_on(create, reserved, "code").await;
    let negative = json!({ "i": { "code": "altro", "label": "x", "office": "OTHER", "steps": [{ "label": "x", "office": "OTHER", "daysAfterPrevious": -1 }] } });
    a.admin
        .refused_on(create, negative, "steps.0.daysAfterPrevious")
        .await;
    let beta_types = op_b.ok("{ procedureTypes { code } }", json!({})).await;
    assert!(!beta_types.to_string().contains("bonus_affitto"));
    let rent = op_a
        .one(
            &start_query(),
            json!({ "i": { "personId": who, "typeCode": "bonus_affitto" } }),
        )
        .await;
    let rent = done(&op_a, &rent, "step_1", &day(today)).await;
    assert_eq!(rent["nextDueOn"], day(today + Duration::days(30)));
    op_b.refused_on(
        &start_query(),
        json!({ "i": { "personId": theirs, "typeCode": "bonus_affitto" } }),
        "typeCode",
    )
    .await;

    // Closing takes a procedure off the alerts.
    let closed = op_a
        .one(
            &format!("mutation($i: UpdateProcedureInput!) {{ updateProcedure(input: $i) {{ {FIELDS} }} }}"),
            json!({ "i": { "id": registration["id"], "status": "ABANDONED", "expectedVersion": registration["version"] } }),
        )
        .await;
    assert_eq!(closed["status"], "ABANDONED");
    assert_eq!(closed["overdue"], false);
    assert_eq!(
        listed(json!({ "overdue": true })).await,
        Vec::<Value>::new()
    );

    // Twenty-six days on (a later clock over the same stores): the rent decision, due in four
    // days, alerts (14 days before); the renewal's permit, due in 34 days, does not (5 days).
    let mut later = app.config.clone();
    later.clock_start = Some(
        (today + Duration::days(26))
            .and_hms_opt(10, 0, 0)
            .expect("time")
            .and_utc(),
    );
    let later = TestApp::spawn_with(later, None, Topology::AllInOne).await;
    let mut op = later.client();
    op.login("op@alfa.example.org", "Sportello-Operatore-2026")
        .await;
    let alerts = op
        .ok("{ procedures(first: 10, filter: {alerting: true}) { edges { node { typeCode nextDueOn alerting } } } }", json!({}))
        .await;
    assert_eq!(
        alerts["procedures"]["edges"],
        json!([{ "node": { "typeCode": "bonus_affitto", "nextDueOn": day(today + Duration::days(30)), "alerting": true } }]),
        "{alerts}"
    );
}

on_backends!(procedures_alert_before_their_deadlines_and_stay_in_their_tenant);

/// A coming deadline is notified once: the person in their language (with their consent to be
/// contacted by message), the staff member following it by an e-mail that names no one; Beta's
/// messages hold nothing of Alfa's.
async fn a_coming_deadline_is_notified_once(backend: Backend, _topology: Topology) {
    let (mut config, dir) = crate::helpers::fresh_config(backend).await;
    config.messages.interval_secs = 1;
    let app = TestApp::spawn_with(config, dir, Topology::AllInOne).await;
    let (a, b) = crate::helpers::seed_alfa_and_beta(&app).await;
    let (op, op_b) = operators(&app, &a, &b).await;
    let who = person(&op, &a.istat_code).await;
    op.ok(
        "mutation($p: ID!) { recordConsent(personId: $p, purpose: CONTACT_BY_MESSAGE, given: true) { given } }",
        json!({ "p": who }),
    )
    .await;
    let today = sportello_kernel::Zone::default().date_of(chrono::Utc::now());
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    // Moved 15 days ago: the declaration is due in 5 days, within the 14 days of alert.
    let started = op
        .one(
            &start_query(),
            json!({ "i": { "personId": who, "typeCode": "residence_registration", "referenceOn": day(today - Duration::days(15)) } }),
        )
        .await;
    assert_eq!(started["alerting"], true, "{started}");
    let due = NaiveDate::parse_from_str(
        started["nextDueOn"].as_str().expect("next deadline"),
        "%Y-%m-%d",
    )
    .expect("date");
    let due_text = due.format("%d/%m/%Y").to_string();
    // Beta's own procedure, not alerting.
    let theirs = person(&op_b, &b.istat_code).await;
    op_b.ok(
        &start_query(),
        json!({ "i": { "personId": theirs, "typeCode": "citizenship_residence" } }),
    )
    .await;

    let (conn, schema) = app.store_owner(backend, "cases").await;
    let sent = |kind: &'static str| {
        format!(
            "SELECT recipient || '|' || language || '|' || subject || '|' || body_text FROM {schema}messages WHERE kind = '{kind}'"
        )
    };
    let mut reminders = Vec::new();
    let mut alerts = Vec::new();
    for _ in 0..100 {
        reminders = crate::cases::rows(&conn, &sent("PROCEDURE_REMINDER")).await;
        alerts = crate::cases::rows(&conn, &sent("PROCEDURE_ALERT")).await;
        if !reminders.is_empty() && !alerts.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert!(
        reminders[0].starts_with("persona@example.org|ar|"),
        "{reminders:?}"
    );
    assert!(reminders[0].contains(&due_text), "{reminders:?}");
    assert!(reminders[0].contains("Comune"), "{reminders:?}");
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(
        alerts[0].starts_with("op@alfa.example.org|it|"),
        "{alerts:?}"
    );
    assert!(alerts[0].contains(&due_text), "{alerts:?}");
    for text in reminders.iter().chain(&alerts) {
        for personal in ["Amina", "Idrissi", "residence", "anagrafica"] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }
    }
    // Later passes notify nothing more for the same deadline.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(
        crate::cases::rows(&conn, &sent("PROCEDURE_REMINDER"))
            .await
            .len(),
        1
    );
    assert_eq!(
        crate::cases::rows(&conn, &sent("PROCEDURE_ALERT"))
            .await
            .len(),
        1
    );
    // Nothing of Alfa's went to Beta's people or staff.
    let beta = crate::cases::rows(
        &conn,
        &format!(
            "SELECT recipient FROM {schema}messages WHERE kind LIKE 'PROCEDURE%' AND recipient LIKE '%beta%'"
        ),
    )
    .await;
    assert_eq!(beta, Vec::<String>::new());
}

on_backends!(a_coming_deadline_is_notified_once:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    postgres => (Backend::Postgres, Topology::AllInOne),
);
