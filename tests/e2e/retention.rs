//! Retention schedules per tenant: set by the tenant's administrator (bounded, typed errors), and
//! applied by the retention job of each role's process with the installation's clock, which
//! removes what is due and nothing else; served again with the clock a month later, it removes
//! what became due.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value as SqlValue};
use serde_json::{Value, json};
use uuid::Uuid;

use sportello_kernel::events::{EventKind, Record};

use crate::helpers::{
    Backend, Client, TestApp, Topology, fresh_config, literal, operators, seed_alfa_and_beta,
    uuid_of,
};
use crate::on_backends;

const READ: &str = "{ retention { analyticsFactMonths outboxDays } }";
const SET: &str = "mutation($i: SetRetentionInput!) { setRetention(input: $i) { analyticsFactMonths outboxDays } }";

/// The labels of rows left, sorted.
async fn labels(conn: &DatabaseConnection, backend: Backend, sql: &str) -> Vec<String> {
    let mut out: Vec<String> = conn
        .query_all_raw(Statement::from_string(
            match backend {
                Backend::Sqlite => DbBackend::Sqlite,
                Backend::Postgres => DbBackend::Postgres,
            },
            sql,
        ))
        .await
        .expect("query")
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("text"))
        .collect();
    out.sort();
    out
}

/// A fact of `month` for the tenant, with a membership of a cell, as the owner writes it.
async fn plant_fact(
    conn: &DatabaseConnection,
    backend: Backend,
    prefix: &str,
    tenant: Uuid,
    month: &str,
) {
    let t = literal(backend, tenant);
    for sql in [
        format!(
            "INSERT INTO {prefix}facts (tenant_id, event_id, event_type, person, month, territory, age_band, sex, country_of_birth, need) \
             VALUES ({t}, {}, 'need_recorded', 'retention-test', '{month}', '052022', '25-34', 'F', 'MA', 'housing')",
            literal(backend, Uuid::now_v7())
        ),
        format!(
            "INSERT INTO {prefix}cell_members (tenant_id, measure, territory, month, category, person) \
             VALUES ({t}, 'people', '052022', '{month}', '', 'retention-test')"
        ),
    ] {
        conn.execute_unprepared(&sql).await.expect("plant a fact");
    }
}

/// A published outbox event of the tenant, labelled by its event type.
async fn plant_published(
    conn: &DatabaseConnection,
    backend: Backend,
    prefix: &str,
    tenant: Uuid,
    label: &str,
    published_at: DateTime<Utc>,
) {
    let (db, marks) = match backend {
        Backend::Sqlite => (DbBackend::Sqlite, ("?", "?")),
        Backend::Postgres => (DbBackend::Postgres, ("$1", "$2")),
    };
    let sql = format!(
        "INSERT INTO {prefix}outbox (tenant_id, id, event_type, payload, created_at, published_at) \
         VALUES ({}, {}, '{label}', '{{}}', {}, {})",
        literal(backend, tenant),
        literal(backend, Uuid::now_v7()),
        marks.0,
        marks.1
    );
    conn.execute_raw(Statement::from_sql_and_values(
        db,
        sql,
        [
            SqlValue::from(published_at - chrono::Duration::seconds(1)),
            SqlValue::from(published_at),
        ],
    ))
    .await
    .expect("plant an outbox event");
}

/// The value of a counter of `/metrics` with the given labels.
async fn counter(app: &TestApp, name_and_labels: &str) -> f64 {
    let text = reqwest::get(format!("{}/metrics", app.url))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|l| l.strip_prefix(name_and_labels))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

async fn the_retention_job_removes_what_is_due_and_nothing_else(
    backend: Backend,
    topology: Topology,
) {
    // 00:00:30 on 1 July in Rome, still 30 June in UTC: the facts' window follows the tenant's
    // local month.
    let start: DateTime<Utc> = "2026-06-30T22:00:30Z".parse().expect("instant");
    let (mut config, dir) = fresh_config(backend).await;
    config.clock_start = Some(start);
    config.retention_interval_secs = 1;
    let started = Instant::now();
    let app = TestApp::spawn_with(config, dir, topology).await;
    let (a, b) = seed_alfa_and_beta(&app).await;
    let (ta, tb) = (uuid_of(&a.tenant_id), uuid_of(&b.tenant_id));

    // Defaults, bounds and partial changes; one tenant's schedule is not the other's.
    let defaults = json!({ "analyticsFactMonths": 36, "outboxDays": 7 });
    assert_eq!(a.admin.one(READ, json!({})).await, defaults);
    for (input, field) in [
        (json!({ "analyticsFactMonths": 12 }), "analyticsFactMonths"),
        (json!({ "analyticsFactMonths": 121 }), "analyticsFactMonths"),
        (
            json!({ "analyticsFactMonths": -1, "outboxDays": 3 }),
            "analyticsFactMonths",
        ),
        (json!({ "outboxDays": 0 }), "outboxDays"),
        (json!({ "outboxDays": 31 }), "outboxDays"),
    ] {
        a.admin.refused_on(SET, json!({ "i": input }), field).await;
    }
    assert_eq!(
        a.admin.one(READ, json!({})).await,
        defaults,
        "a refusal changed nothing"
    );
    let set = |months: Option<i32>, days: Option<i32>| json!({ "i": { "analyticsFactMonths": months, "outboxDays": days } });
    a.admin.one(SET, set(Some(13), None)).await;
    let a_schedule = a.admin.one(SET, set(None, Some(3))).await;
    assert_eq!(
        a_schedule,
        json!({ "analyticsFactMonths": 13, "outboxDays": 3 })
    );
    assert_eq!(b.admin.one(READ, json!({})).await, defaults);
    let b_schedule: Value = b.admin.one(SET, set(Some(24), Some(5))).await;
    assert_eq!(
        b_schedule,
        json!({ "analyticsFactMonths": 24, "outboxDays": 5 })
    );
    assert_eq!(a.admin.one(READ, json!({})).await, a_schedule);

    let facts_before = counter(
        &app,
        "sportello_retention_removed_total{store=\"analytics_facts\"}",
    )
    .await;
    let events_before = counter(
        &app,
        "sportello_retention_removed_total{store=\"outbox_events\"}",
    )
    .await;

    // Facts on both sides of each tenant's first kept month on 1 July 2026: 2025-07 for 13
    // months (July 2026 and the 12 before), 2024-08 for 24.
    let (analytics, ap) = app.store_owner(backend, "analytics").await;
    for month in ["2025-06", "2025-07", "2025-08"] {
        plant_fact(&analytics, backend, &ap, ta, month).await;
    }
    for month in ["2024-07", "2024-08", "2025-06"] {
        plant_fact(&analytics, backend, &ap, tb, month).await;
    }
    // Published events a minute on each side of 3 days (alfa) and 5 days (beta) before now.
    let now = start + chrono::Duration::from_std(started.elapsed()).expect("elapsed");
    let (cases, cp) = app.store_owner(backend, "cases").await;
    let day = chrono::Duration::days(1);
    let minute = chrono::Duration::minutes(1);
    for (tenant, label, at) in [
        (ta, "a_due", now - day * 3 - minute),
        (ta, "a_kept", now - day * 3 + minute),
        (tb, "b_kept_3", now - day * 3 - minute),
        (tb, "b_due", now - day * 5 - minute),
        (tb, "b_kept_5", now - day * 5 + minute),
    ] {
        plant_published(&cases, backend, &cp, tenant, label, at).await;
    }

    let facts = |tenant: Uuid| {
        format!(
            "SELECT month FROM {ap}facts WHERE tenant_id = {} AND person = 'retention-test'",
            literal(backend, tenant)
        )
    };
    let members = |tenant: Uuid| {
        format!(
            "SELECT month FROM {ap}cell_members WHERE tenant_id = {} AND person = 'retention-test'",
            literal(backend, tenant)
        )
    };
    let events = |tenant: Uuid| {
        format!(
            "SELECT event_type FROM {cp}outbox WHERE tenant_id = {}",
            literal(backend, tenant)
        )
    };
    let state = || async {
        (
            labels(&analytics, backend, &facts(ta)).await,
            labels(&analytics, backend, &facts(tb)).await,
            labels(&cases, backend, &events(ta)).await,
            labels(&cases, backend, &events(tb)).await,
        )
    };
    let expected = (
        vec!["2025-07".to_owned(), "2025-08".to_owned()],
        vec!["2024-08".to_owned(), "2025-06".to_owned()],
        vec!["a_kept".to_owned()],
        vec!["b_kept_3".to_owned(), "b_kept_5".to_owned()],
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = state().await;
    while seen != expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(300)).await;
        seen = state().await;
    }
    assert_eq!(
        seen, expected,
        "facts of alfa, of beta; outbox of alfa, of beta"
    );
    assert_eq!(labels(&analytics, backend, &members(ta)).await, expected.0);
    assert_eq!(labels(&analytics, backend, &members(tb)).await, expected.1);
    // Further passes remove nothing more.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(state().await, expected);

    // Counted in /metrics (servers of other tests in this binary may add to the same counters).
    let facts_removed = counter(
        &app,
        "sportello_retention_removed_total{store=\"analytics_facts\"}",
    )
    .await;
    let events_removed = counter(
        &app,
        "sportello_retention_removed_total{store=\"outbox_events\"}",
    )
    .await;
    assert!(
        facts_removed - facts_before >= 2.0,
        "{facts_before} → {facts_removed}"
    );
    assert!(
        events_removed - events_before >= 2.0,
        "{events_before} → {events_removed}"
    );

    // A month later (the same stores, served again with the clock at 00:00:30 on 1 August in
    // Rome): July 2025 leaves alfa's window and August 2024 beta's; every event is now due.
    let mut later = app.config.clone();
    later.clock_start = Some("2026-07-31T22:00:30Z".parse().expect("instant"));
    let _later = TestApp::spawn_with(later, None, Topology::AllInOne).await;
    let expected = (
        vec!["2025-08".to_owned()],
        vec!["2025-06".to_owned()],
        Vec::<String>::new(),
        Vec::<String>::new(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = state().await;
    while seen != expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(300)).await;
        seen = state().await;
    }
    assert_eq!(seen, expected, "a month later");
}

on_backends!(the_retention_job_removes_what_is_due_and_nothing_else);

const YEARS: &str = "{ retention { closedCaseYears } }";
const SET_YEARS: &str =
    "mutation($y: Int) { setRetention(input: {closedCaseYears: $y}) { closedCaseYears } }";
const CHANGE: &str = "mutation($id: ID!, $to: CaseStatus!, $o: String, $v: Int!) { changeCaseStatus(id: $id, expectedVersion: $v, to: $to, outcome: $o) { status } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { ... on Person { familyNames } } }";

/// A person of the operator's tenant without a case; returns its id.
async fn person(op: &Client, family: &str, territory: &str) -> String {
    let person = op
        .id(
            "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({ "i": {
                "givenNames": "Amina", "familyNames": family, "territoryCode": territory,
                "birth": { "year": 1985, "month": 5, "day": 2 }, "sex": "FEMALE", "countryOfBirth": "SN",
            } }),
        )
        .await;
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }", json!({ "p": person })).await;
    person
}

/// Opens a case for the person; closed (outcome `autonomy_reached`) when `close`. Returns its id.
async fn case(op: &Client, person: &str, close: bool) -> String {
    let case = op
        .id(
            "mutation($p: ID!) { openCase(personId: $p) { id } }",
            json!({ "p": person }),
        )
        .await;
    if close {
        op.ok(CHANGE, json!({ "id": case, "to": "ACTIVE", "v": 1 }))
            .await;
        op.ok(
            CHANGE,
            json!({ "id": case, "to": "CLOSED", "o": "autonomy_reached", "v": 2 }),
        )
        .await;
    }
    case
}

/// Backdates the closing of a case, as if it had closed at `at`.
async fn closed_at(app: &TestApp, backend: Backend, case: &str, at: DateTime<Utc>) {
    let (conn, prefix) = app.store_owner(backend, "cases").await;
    let (db, mark) = match backend {
        Backend::Sqlite => (DbBackend::Sqlite, "?"),
        Backend::Postgres => (DbBackend::Postgres, "$1"),
    };
    let done = conn
        .execute_raw(Statement::from_sql_and_values(
            db,
            format!(
                "UPDATE {prefix}cases SET closed_at = {mark} WHERE id = {}",
                literal(backend, uuid_of(case))
            ),
            [SqlValue::from(at)],
        ))
        .await
        .expect("backdate a case");
    assert_eq!(done.rows_affected(), 1);
}

/// The `person_erased` notices in the tenant's outbox.
async fn erasure_notices(app: &TestApp, backend: Backend, tenant: Uuid) -> usize {
    let (conn, prefix) = app.store_owner(backend, "cases").await;
    labels(
        &conn,
        backend,
        &format!(
            "SELECT payload FROM {prefix}outbox WHERE tenant_id = {}",
            literal(backend, tenant)
        ),
    )
    .await
    .iter()
    .filter(|p| Record::from_payload(p).is_some_and(|r| r.event.kind() == EventKind::PersonErased))
    .count()
}

/// Whether each person can still be read by the operator (`true`) or is `NOT_FOUND` (`false`).
async fn present(op: &Client, people: &[&str]) -> Vec<bool> {
    let mut out = Vec::new();
    for p in people {
        let resp = op.gql(NODE, json!({ "id": p })).await;
        let found = resp["data"]["node"]["familyNames"].is_string();
        if !found {
            assert_eq!(
                crate::helpers::code(&resp).as_deref(),
                Some("NOT_FOUND"),
                "{resp}"
            );
        }
        out.push(found);
    }
    out
}

async fn the_retention_job_erases_people_whose_cases_closed_long_ago(
    backend: Backend,
    topology: Topology,
) {
    // 00:00:30 on 1 July 2026 in Rome. With 2 years, a case closed on 1 July 2024 (local date)
    // or before is due: the cutoff is 2 July 2024, 00:00 in Rome (1 July, 22:00 UTC).
    let start: DateTime<Utc> = "2026-06-30T22:00:30Z".parse().expect("instant");
    let cutoff: DateTime<Utc> = "2024-07-01T22:00:00Z".parse().expect("instant");
    let minute = chrono::Duration::minutes(1);
    let (mut config, dir) = fresh_config(backend).await;
    config.clock_start = Some(start);
    config.retention_interval_secs = 1;
    let app = TestApp::spawn_with(config, dir, topology).await;
    let (a, b) = seed_alfa_and_beta(&app).await;
    let (ta, tb) = (uuid_of(&a.tenant_id), uuid_of(&b.tenant_id));
    let (op_a, op_b) = operators(&app, &a, &b).await;

    // Default and bounds: a refused value changes nothing.
    assert_eq!(
        a.admin.one(YEARS, json!({})).await,
        json!({ "closedCaseYears": 10 })
    );
    for years in [0, 31, -5] {
        a.admin
            .refused_on(SET_YEARS, json!({ "y": years }), "closedCaseYears")
            .await;
    }
    assert_eq!(
        a.admin.one(YEARS, json!({})).await,
        json!({ "closedCaseYears": 10 })
    );

    // Alfa: closed a minute before the cutoff (local 23:59 on 1 July 2024: due) and a minute
    // after (00:01 on 2 July: kept); one case closed long ago and one open; no case at all.
    let due = person(&op_a, "Diallo", "052022").await;
    let due_case = case(&op_a, &due, true).await;
    let after = person(&op_a, "Ndiaye", "052022").await;
    let after_case = case(&op_a, &after, true).await;
    let mixed = person(&op_a, "Sarr", "052022").await;
    let mixed_closed = case(&op_a, &mixed, true).await;
    case(&op_a, &mixed, false).await;
    let without = person(&op_a, "Fall", "052022").await;
    // Closed before the cutoff, but with an appointment ahead: still in contact, kept.
    let booked = person(&op_a, "Gueye", "052022").await;
    let booked_case = case(&op_a, &booked, true).await;
    op_a.ok(
        "mutation($d: ID!, $p: ID!) { bookAppointment(input: {deskId: $d, personId: $p, startsAt: \"2026-07-07T08:00:00Z\", durationMinutes: 30, occurrences: 1}) { id } }",
        json!({ "d": a.desk, "p": booked }),
    )
    .await;
    // Beta: shaped like Alfa's due person, under 5 years.
    let beta = person(&op_b, "Diallo", "048017").await;
    let beta_case = case(&op_b, &beta, true).await;
    for (case, at) in [
        (&due_case, cutoff - minute),
        (&after_case, cutoff + minute),
        (&mixed_closed, cutoff - chrono::Duration::days(800)),
        (&booked_case, cutoff - chrono::Duration::days(800)),
    ] {
        closed_at(&app, backend, case, at).await;
    }
    closed_at(&app, backend, &beta_case, cutoff - minute).await;
    // Nothing is due under the default of 10 years.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        present(&op_a, &[&due, &after, &mixed, &without, &booked]).await,
        [true; 5]
    );

    let metric = "sportello_retention_removed_total{store=\"closed_cases\"}";
    let removed_before = counter(&app, metric).await;
    let notices_before = (
        erasure_notices(&app, backend, ta).await,
        erasure_notices(&app, backend, tb).await,
    );
    assert_eq!(
        a.admin.one(SET_YEARS, json!({ "y": 2 })).await,
        json!({ "closedCaseYears": 2 })
    );
    assert_eq!(
        b.admin.one(SET_YEARS, json!({ "y": 5 })).await,
        json!({ "closedCaseYears": 5 })
    );
    assert_eq!(
        a.admin.one(YEARS, json!({})).await,
        json!({ "closedCaseYears": 2 })
    );

    let expected = vec![false, true, true, true, true];
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = present(&op_a, &[&due, &after, &mixed, &without, &booked]).await;
    while seen != expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(300)).await;
        seen = present(&op_a, &[&due, &after, &mixed, &without, &booked]).await;
    }
    assert_eq!(
        seen, expected,
        "due, closed after the cutoff, mixed, without cases, booked"
    );
    assert_eq!(present(&op_b, &[&beta]).await, [true], "beta keeps 5 years");
    // Further passes remove nothing more.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        present(&op_a, &[&due, &after, &mixed, &without, &booked]).await,
        expected
    );
    assert_eq!(present(&op_b, &[&beta]).await, [true]);
    // The erasure went the way of erasePerson: one notice to analytics, in Alfa only.
    assert_eq!(
        (
            erasure_notices(&app, backend, ta).await,
            erasure_notices(&app, backend, tb).await,
        ),
        (notices_before.0 + 1, notices_before.1)
    );
    // One audit entry, on the due person, with no actor and the ground of art. 17(1)(a); the
    // chain verifies.
    let (conn, prefix) = app.store_owner(backend, "cases").await;
    let entries = |cols: &str| {
        format!(
            "SELECT {cols} FROM (SELECT action, object_type, object_id, actor, fields FROM {prefix}audit_log \
             UNION ALL SELECT action, object_type, object_id, actor, fields FROM {prefix}audit_pending) AS e \
             WHERE e.object_type = 'person' AND e.action = 'erased'"
        )
    };
    assert_eq!(
        crate::cases::rows(&conn, &entries("e.fields")).await,
        ["ground:art17_1_a"]
    );
    let on_due = format!(
        "{} AND e.actor IS NULL AND e.object_id = {}",
        entries("e.fields"),
        literal(backend, uuid_of(&due))
    );
    assert_eq!(
        crate::cases::rows(&conn, &on_due).await,
        ["ground:art17_1_a"]
    );
    let (ok, report) = crate::cases::audit_verify(&app);
    assert!(ok, "{report}");
    // Counted in /metrics (servers of other tests in this binary may add to the same counter).
    let removed = counter(&app, metric).await;
    assert!(
        removed - removed_before >= 1.0,
        "{removed_before} → {removed}"
    );
}

on_backends!(the_retention_job_erases_people_whose_cases_closed_long_ago);
