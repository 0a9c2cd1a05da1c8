//! The event pipeline end to end: cases → outbox → relay → bus → analytics, in process and over
//! Redis Streams; tenant indicators and exports; the shared dashboard's disclosure control,
//! including a differencing attack over nested territories and months.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::time::Duration;

use base64::Engine;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use sportello_analytics::sdc;

use crate::cases::{Story, rows, story_with_cf};
use crate::helpers::{
    Backend, Client, TestApp, Topology, code, literal, operator, operators, seed_alfa, seed_tenant,
    spawn_alfa_and_beta, uuid_of,
};
use crate::on_backends;

const INDICATORS: &str = "{ indicators { code value target progress } }";

/// The indicators of the client's tenant, by code.
pub(crate) async fn indicators(c: &Client) -> HashMap<String, Value> {
    let data = c.ok(INDICATORS, json!({})).await;
    data["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .map(|i| (i["code"].as_str().expect("code").to_owned(), i.clone()))
        .collect()
}

/// Waits until the tenant's indicators reach the values (events travel asynchronously, and the
/// events of one story commit one after the other).
pub(crate) async fn wait_for(c: &Client, expected: &[(&str, u64)]) -> HashMap<String, Value> {
    let mut last = HashMap::new();
    for _ in 0..300 {
        last = indicators(c).await;
        if expected
            .iter()
            .all(|(code, value)| last[*code]["value"] == json!(value))
        {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never reached {expected:?}: {last:?}");
}

/// Waits until the tenant counts `n` stories: people reached, cases, needs and interventions.
pub(crate) async fn wait_for_stories(c: &Client, n: u64) -> HashMap<String, Value> {
    let expected = [
        ("PEOPLE_REACHED", n),
        ("NEW_CASES", n),
        ("NEEDS_RECORDED", n),
        ("INTERVENTIONS", n),
    ];
    wait_for(c, &expected).await
}

/// Waits until the tenant's own count of needs recorded over the months reaches `total`.
async fn wait_for_needs(c: &Client, from: &str, to: &str, total: u64) {
    let query = "query($f: String!, $t: String!) { tenantStatistics(measure: NEEDS, by: [], from: $f, to: $t) { value } }";
    let mut last = Value::Null;
    for _ in 0..300 {
        let stats = c.ok(query, json!({ "f": from, "t": to })).await;
        last = stats["tenantStatistics"][0]["value"].clone();
        if last == json!(total) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("needs recorded {from}..{to} is {last}, never {total}");
}

/// Every text the analytics store holds, row by row.
async fn analytics_store_text(app: &TestApp, backend: Backend) -> Vec<String> {
    let (conn, prefix) = app.store_owner(backend, "analytics").await;
    let mut out = Vec::new();
    for sql in [
        "SELECT event_type || '|' || person || '|' || month || '|' || territory || '|' || age_band || '|' || sex || '|' || country_of_birth || '|' || COALESCE(need, '') || '|' || COALESCE(intervention, '') || '|' || COALESCE(status, '') || '|' || COALESCE(case_key, '') FROM {p}facts",
        "SELECT measure || '|' || territory || '|' || month || '|' || category FROM {p}cells",
        "SELECT measure || '|' || territory || '|' || month || '|' || category || '|' || person FROM {p}cell_members",
        "SELECT code FROM {p}targets",
    ] {
        out.extend(rows(&conn, &sql.replace("{p}", &prefix)).await);
    }
    out
}

async fn cases_reach_tenant_analytics(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let mut stories: Vec<Story> = Vec::new();
    for (given, family, cf) in [
        ("Amina", "El Idrissi", Some("BNCLRA90E45Z330Q")),
        ("Olena", "Kovalenko", None),
        ("Chukwuemeka", "Okafor", None),
    ] {
        stories.push(story_with_cf(&op_a, given, family, "052022", cf).await);
    }
    story_with_cf(&op_b, "Wei", "Zhang", "048017", None).await;
    story_with_cf(&op_b, "Fatou", "Diop", "048017", None).await;

    // Each tenant sees its own figures, exactly.
    let mine = wait_for_stories(&op_a, 3).await;
    assert_eq!(mine["PEOPLE_REACHED"]["target"], 150);
    assert_eq!(mine["PEOPLE_REACHED"]["progress"], json!(0.02));
    assert_eq!(mine["IN_INTEGRATION_PATH"]["target"], 30);
    for (code, value) in [
        ("NEW_CASES", 3),
        ("ACTIVE_CASES", 3),
        ("NEEDS_RECORDED", 3),
        ("INTERVENTIONS", 3),
        ("IN_INTEGRATION_PATH", 0),
    ] {
        assert_eq!(mine[code]["value"], value, "{code}");
    }
    let theirs = wait_for(&op_b, &[("PEOPLE_REACHED", 2), ("INTERVENTIONS", 2)]).await;
    assert_eq!(theirs["NEW_CASES"]["value"], 2);

    // A case taken in charge enters the integration path; a closed one is no longer active.
    let change = "mutation($id: ID!, $to: CaseStatus!, $o: String) { changeCaseStatus(id: $id, expectedVersion: 1, to: $to, outcome: $o) { status } }";
    op_a.ok(change, json!({ "id": stories[0].case, "to": "ACTIVE" }))
        .await;
    op_a.ok(
        change,
        json!({ "id": stories[1].case, "to": "CLOSED", "o": "autonomy_reached" }),
    )
    .await;
    let now = wait_for(&op_a, &[("IN_INTEGRATION_PATH", 1), ("ACTIVE_CASES", 2)]).await;
    assert_eq!(now["PEOPLE_REACHED"]["value"], 3);
    assert_eq!(indicators(&op_b).await["IN_INTEGRATION_PATH"]["value"], 0);

    // Breakdowns of the tenant's own figures.
    let by_need = op_a
        .ok(
            "{ tenantStatistics(measure: NEEDS, by: [NEED, TERRITORY]) { keys value } }",
            json!({}),
        )
        .await;
    assert_eq!(
        by_need["tenantStatistics"],
        json!([{ "keys": ["documents_legal", "052022"], "value": 3 }])
    );
    let bad = op_a
        .gql(
            "{ tenantStatistics(measure: NEEDS, by: [NEED], from: \"2026-13\") { value } }",
            json!({}),
        )
        .await;
    assert_eq!(crate::helpers::field(&bad).as_deref(), Some("from"));
    for (query, bad_field) in [
        (
            "{ tenantStatistics(measure: NEEDS, by: [NEED, MONTH, NEED]) { value } }",
            "by",
        ),
        (
            "{ tenantStatistics(measure: NEEDS, by: [NEED, MONTH, SEX, AGE_BAND]) { value } }",
            "by",
        ),
        (
            "{ tenantStatistics(measure: NEEDS, by: [], from: \"2026-06\", to: \"2026-01\") { value } }",
            "from",
        ),
        (
            "{ tenantStatistics(measure: NEEDS, by: [], from: \"2020-01\", to: \"2026-01\") { value } }",
            "from",
        ),
    ] {
        let refused = op_a.gql(query, json!({})).await;
        assert_eq!(
            crate::helpers::field(&refused).as_deref(),
            Some(bad_field),
            "{query}: {refused}"
        );
    }

    // Targets: coordinators and administrators only.
    let set = "mutation($t: Int) { setIndicatorTarget(code: \"PEOPLE_REACHED\", target: $t) { value target progress } }";
    op_a.refused(set, json!({ "t": 2 }), "FORBIDDEN").await;
    let target = a.admin.ok(set, json!({ "t": 2 })).await;
    assert_eq!(
        target["setIndicatorTarget"],
        json!({ "value": 3, "target": 2, "progress": 1.5 })
    );
    assert_eq!(
        indicators(&op_b).await["PEOPLE_REACHED"]["target"],
        150,
        "another tenant's target changed"
    );

    // Exports open as CSV and as XLSX.
    let export = "query($f: ExportFormat!) { indicatorExport(format: $f) { filename contentType contentBase64 } }";
    let csv_file = op_a.ok(export, json!({ "f": "CSV" })).await;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(
            csv_file["indicatorExport"]["contentBase64"]
                .as_str()
                .expect("content"),
        )
        .expect("base64");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let people = records
        .iter()
        .find(|r| &r[0] == "PEOPLE_REACHED")
        .expect("row");
    assert_eq!((&people[2], &people[3]), ("3", "2"));
    let xlsx_file = op_a.ok(export, json!({ "f": "XLSX" })).await;
    assert!(
        xlsx_file["indicatorExport"]["filename"]
            .as_str()
            .expect("name")
            .ends_with(".xlsx")
    );
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(
            xlsx_file["indicatorExport"]["contentBase64"]
                .as_str()
                .expect("content"),
        )
        .expect("base64");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(bytes)).expect("a valid XLSX file");
    let sheet = book.worksheet_range("Indicatori").expect("sheet");
    let row = sheet
        .rows()
        .find(|r| r[0] == calamine::Data::String("NEW_CASES".into()))
        .expect("NEW_CASES row");
    assert_eq!(row[2], calamine::Data::Float(3.0));

    // The shared view: every tenant's cells, none shown below the threshold.
    let shared = op_b
        .ok(
            "{ sharedView(view: PEOPLE_BY_TERRITORY_MONTH) { disclosure { threshold } cells { tenantName territory value suppressed status } } }",
            json!({}),
        )
        .await;
    let cells = shared["sharedView"]["cells"].as_array().expect("cells");
    assert!(
        cells
            .iter()
            .any(|c| c["territory"] == "052022" && c["tenantName"] == "Alfa"),
        "{shared}"
    );
    for c in cells {
        match c["value"].as_u64() {
            None => assert_eq!(c["suppressed"], true),
            Some(v) => assert!(v == 0 || v >= 5, "a cell shows {v}: {c}"),
        }
    }
    // 3 and 2 people are below the threshold of 5.
    assert!(cells.iter().all(|c| c["suppressed"] == true), "{shared}");

    // A coordination-table member reads the shared views, never a tenant's own figures.
    let token = b
        .admin
        .invite(json!({ "email": "tavolo@beta.example.org", "roles": ["TABLE_MEMBER"] }))
        .await;
    let member = app
        .member(&token, "Coordinamento-Valdelsa-2026", "Tavolo")
        .await;
    let table = member
        .ok(
            "{ sharedView(view: NEEDS_BY_TERRITORY_MONTH) { cells { territory suppressed } } }",
            json!({}),
        )
        .await;
    assert!(
        !table["sharedView"]["cells"]
            .as_array()
            .expect("cells")
            .is_empty()
    );
    for query in [
        INDICATORS,
        "{ tenantStatistics(measure: NEEDS, by: [NEED]) { value } }",
        "{ indicatorExport(format: CSV) { filename } }",
    ] {
        let refused = member.gql(query, json!({})).await;
        assert_eq!(code(&refused).as_deref(), Some("FORBIDDEN"), "{query}");
    }
    app.client()
        .refused(
            "{ sharedView(view: PEOPLE_BY_TERRITORY_MONTH) { from } }",
            json!({}),
            "UNAUTHENTICATED",
        )
        .await;

    // Nothing that identifies a person reached the analytics store.
    let stored = analytics_store_text(&app, backend).await;
    assert!(stored.len() > 10, "{stored:?}");
    for needle in [
        "Amina",
        "Idrissi",
        "Kovalenko",
        "Okafor",
        "Zhang",
        "BNCLRA90E45Z330Q",
        "333 1234567",
        "persona@example.org",
        "sorella",
        "1991",
    ] {
        assert!(
            !stored.iter().any(|s| s.contains(needle)),
            "the analytics store holds `{needle}`"
        );
    }
}

on_backends!(cases_reach_tenant_analytics);

/// Synthetic events for a consortium of four municipalities over six months, written straight
/// into the cases outbox (so that they carry chosen dates), then published by the relay.
struct Generated {
    /// True distinct people per (territory or "*", month, need).
    truth: BTreeMap<(String, String, String), u64>,
}

async fn generate(app: &TestApp, backend: Backend, tenant: uuid::Uuid) -> Generated {
    let territories = ["052022", "052012", "052028", "052017"];
    let months = [
        "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06",
    ];
    let needs = ["housing", "work", "health", "italian_language"];
    let mut truth: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = move || {
        // xorshift: reproducible data with counts around the thresholds.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut cells = Vec::new();
    for territory in territories {
        for month in months {
            for need in needs {
                let people = next() % 14;
                cells.push((territory, month, need, people));
                *truth
                    .entry((territory.into(), month.into(), need.into()))
                    .or_default() += people;
                *truth
                    .entry(("*".into(), month.into(), need.into()))
                    .or_default() += people;
            }
        }
    }
    insert_need_events(app, backend, tenant, &cells).await;
    Generated { truth }
}

/// Writes `need_recorded` events straight into the cases outbox: `people` distinct people per
/// (territory, month, need), dated the 15th of the month.
async fn insert_need_events(
    app: &TestApp,
    backend: Backend,
    tenant: uuid::Uuid,
    cells: &[(&str, &str, &str, u64)],
) {
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let mut statements = Vec::new();
    for (territory, month, need, people) in cells {
        for _ in 0..*people {
            let id = uuid::Uuid::now_v7();
            let payload = json!({
                "eventId": id, "type": "need_recorded", "occurredOn": format!("{month}-15"),
                "person": format!("p{}", id.simple()), "ageBand": "25-34", "sex": "F",
                "countryOfBirth": "MA", "territory": territory, "need": need,
                "source": "expressed",
            });
            statements.push(format!(
                "INSERT INTO {schema}outbox (tenant_id, id, event_type, payload, created_at) VALUES ({}, {}, 'need_recorded', '{}', {})",
                literal(backend, tenant),
                literal(backend, id),
                payload,
                match backend {
                    Backend::Sqlite => "'2026-06-30T00:00:00Z'",
                    Backend::Postgres => "now()",
                },
            ));
        }
    }
    for chunk in statements.chunks(200) {
        conn.execute_unprepared(&chunk.join(";\n"))
            .await
            .expect("insert events");
    }
}

async fn differencing_narrows_no_suppressed_cell_below_its_interval(
    backend: Backend,
    topology: Topology,
) {
    let app = TestApp::spawn(backend, topology).await;
    let platform = app.platform_admin().await;
    let a = seed_tenant(&app, &platform, "Alta Valdelsa", "052022").await;
    let b = seed_tenant(&app, &platform, "Beta", "048017").await;
    let tenant = uuid_of(&a.tenant_id);
    let generated = generate(&app, backend, tenant).await;
    let expected_total: u64 = generated
        .truth
        .iter()
        .filter(|((t, _, _), _)| t != "*")
        .map(|(_, v)| v)
        .sum();
    // Everything arrives: the tenant's own figures, exact for its operators, count every event.
    let op_a = operator(&app, &a, "op@altavaldelsa.example.org", &[]).await;
    wait_for_needs(&op_a, "2026-01", "2026-06", expected_total).await;

    // A member of another tenant queries every view at both levels, over the whole period and
    // over shorter, adjacent periods.
    let query = "query($v: SharedViewKind!, $l: TerritoryLevel!, $f: String!, $t: String!) { sharedView(view: $v, level: $l, from: $f, to: $t) { disclosure { threshold specialThreshold maxNoise } cells { tenantName territory month category value status } } }";
    let mut seen: BTreeMap<(String, String, String), (Option<u64>, String)> = BTreeMap::new();
    for level in ["MUNICIPALITY", "CONSORTIUM"] {
        for (from, to) in [
            ("2026-01", "2026-06"),
            ("2026-01", "2026-03"),
            ("2026-04", "2026-06"),
            ("2026-03", "2026-03"),
        ] {
            for view in [
                "PEOPLE_BY_TERRITORY_MONTH",
                "NEEDS_BY_TERRITORY_MONTH",
                "INTERVENTIONS_BY_TERRITORY_MONTH",
                "NEW_CASES_BY_TERRITORY_MONTH",
            ] {
                let data = b
                    .admin
                    .ok(query, json!({ "v": view, "l": level, "f": from, "t": to }))
                    .await;
                if view != "NEEDS_BY_TERRITORY_MONTH" {
                    continue;
                }
                for c in data["sharedView"]["cells"].as_array().expect("cells") {
                    if c["tenantName"] != "Alta Valdelsa" {
                        continue;
                    }
                    let territory = c["territory"].as_str().unwrap_or("*").to_owned();
                    let key = (
                        territory,
                        c["month"].as_str().expect("month").to_owned(),
                        c["category"].as_str().expect("category").to_owned(),
                    );
                    let shown = (
                        c["value"].as_u64(),
                        c["status"].as_str().expect("status").to_owned(),
                    );
                    if let Some(before) = seen.get(&key) {
                        assert_eq!(
                            before, &shown,
                            "{key:?} is shown differently in another period"
                        );
                    }
                    seen.insert(key, shown);
                }
            }
        }
    }
    // Every non-empty cell is in the views; an empty one is absent, shown as 0, or hidden
    // among the suppressed cells of a line whose total is suppressed.
    for (key, truth) in &generated.truth {
        if *truth > 0 {
            assert!(seen.contains_key(key), "{key:?} is missing");
        }
    }
    for (key, (value, status)) in &seen {
        assert!(
            ["PUBLISHED", "ZERO", "SUPPRESSED"].contains(&status.as_str()),
            "{key:?} has status {status}: a suppressed cell tells no reason"
        );
        assert_eq!(value.is_none(), status == "SUPPRESSED", "{key:?}");
    }

    // The attacker: every published figure with its noise bound, the consortium equal to the
    // sum of its municipalities, and, beyond what is published, the bound of every suppressed
    // consortium below its threshold (what a reason-telling status used to give away).
    let params = sdc::Params::default();
    let keys: Vec<_> = generated.truth.keys().cloned().collect();
    let index: HashMap<_, _> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), i))
        .collect();
    let limit_of = |need: &str| {
        if need == "health" {
            params.special_threshold
        } else {
            params.threshold
        }
    };
    let mut known = Vec::new();
    let mut special = Vec::new();
    let mut small = Vec::new();
    let mut hidden_zeros = 0;
    for key in &keys {
        let (value, status) = seen.get(key).cloned().unwrap_or((Some(0), "ZERO".into()));
        let status = match status.as_str() {
            "PUBLISHED" => sdc::Status::Published,
            "ZERO" => sdc::Status::Zero,
            "SUPPRESSED" => sdc::Status::Suppressed,
            other => panic!("unknown status {other}"),
        };
        let truth = generated.truth[key];
        let limit = limit_of(&key.2);
        match value {
            Some(v) => {
                assert!(v == 0 || v >= params.threshold, "{key:?} shows {v}");
                assert_eq!(v == 0, truth == 0, "{key:?} shows {v} for {truth}");
                if status == sdc::Status::Published {
                    assert!(v.abs_diff(truth) <= params.max_noise || v == limit);
                }
            }
            None => hidden_zeros += usize::from(truth == 0),
        }
        if truth > 0 && truth < limit {
            assert_eq!(
                status,
                sdc::Status::Suppressed,
                "{key:?} shown with {truth}"
            );
        }
        known.push(sdc::Protected {
            key: vec![key.0.clone(), key.1.clone(), key.2.clone()],
            value,
            status,
        });
        special.push(key.2 == "health");
        small.push(key.0 == "*" && status == sdc::Status::Suppressed && truth < limit);
    }
    let mut relations = Vec::new();
    for key in keys.iter().filter(|k| k.0 == "*") {
        let parts = keys
            .iter()
            .filter(|k| k.0 != "*" && k.1 == key.1 && k.2 == key.2)
            .map(|k| index[k])
            .collect();
        relations.push(sdc::Line {
            total: index[key],
            parts,
        });
    }
    let suppressed = known.iter().filter(|k| k.value.is_none()).count();
    assert!(suppressed >= 10, "the data should exercise suppression");
    let intervals = sdc::attack::feasible(&known, &special, &relations, &params, &small);
    for (key, (lo, hi)) in keys.iter().zip(&intervals) {
        let truth = generated.truth[key];
        assert!(
            *lo <= truth && truth <= *hi,
            "{key:?}: {truth} outside [{lo}, {hi}]"
        );
    }
    let narrowed = sdc::attack::narrowed(&known, &special, &relations, &params, &small);
    assert!(
        narrowed.is_empty(),
        "suppressed cells narrowed below [1, k-1] by differencing: {:?}",
        narrowed
            .iter()
            .map(|i| (&keys[*i], intervals[*i]))
            .collect::<Vec<_>>()
    );
    println!("suppressed {suppressed}, of them empty {hidden_zeros}");
    // The same attacker against primary suppression alone, without noise and with the reason
    // of every suppressed cell known, succeeds: the protection, not the data, is what stops it.
    let mut told = Vec::new();
    let naive: Vec<sdc::Protected> = keys
        .iter()
        .map(|k| {
            let truth = generated.truth[k];
            let (value, status) = match truth {
                0 => (Some(0), sdc::Status::Zero),
                t if t < limit_of(&k.2) => (None, sdc::Status::Suppressed),
                t => (Some(t), sdc::Status::Published),
            };
            told.push(truth > 0 && truth < limit_of(&k.2));
            sdc::Protected {
                key: vec![k.0.clone(), k.1.clone(), k.2.clone()],
                value,
                status,
            }
        })
        .collect();
    let exact = sdc::Params {
        max_noise: 0,
        ..params
    };
    assert!(
        !sdc::attack::pinned_in(
            &naive,
            &sdc::attack::feasible_zeros_shown(&naive, &special, &relations, &exact, &told)
        )
        .is_empty(),
        "the attack should break primary suppression alone"
    );
}

on_backends!(differencing_narrows_no_suppressed_cell_below_its_interval);

/// Creates a person in the territory with a case and one need, all counted by analytics.
async fn person_with_need(
    op: &Client,
    given: &str,
    territory: &str,
    (year, sex, country): (i32, &str, &str),
    need: &str,
) {
    let person = op
        .id(
            "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({ "i": {
                "givenNames": given, "familyNames": "Tesfaye", "territoryCode": territory,
                "birth": { "year": year }, "sex": sex, "countryOfBirth": country,
            } }),
        )
        .await;
    op.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }", json!({ "p": person })).await;
    let case = op
        .id(
            "mutation($p: ID!) { openCase(personId: $p) { id } }",
            json!({ "p": person }),
        )
        .await;
    op.ok(
        &format!("mutation($c: ID!) {{ recordNeed(caseId: $c, code: {need}, source: EXPRESSED) {{ id }} }}"),
        json!({ "c": case }),
    )
    .await;
}

/// The breakdowns of the issue that singled out one elderly Eritrean woman with a health need.
const BY_ORIGIN: &str = "{ tenantStatistics(measure: PEOPLE_REACHED, by: [TERRITORY, COUNTRY_OF_BIRTH, NEED]) { keys value } }";
const BY_AGE: &str =
    "{ tenantStatistics(measure: PEOPLE_REACHED, by: [TERRITORY, AGE_BAND, SEX]) { keys value } }";

async fn statistics_rows(c: &Client, query: &str) -> Vec<(Vec<String>, u64)> {
    c.ok(query, json!({})).await["tenantStatistics"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let keys = r["keys"]
                .as_array()
                .expect("keys")
                .iter()
                .map(|k| k.as_str().expect("key").to_owned())
                .collect();
            (keys, r["value"].as_u64().expect("value"))
        })
        .collect()
}

/// A tenant's own figures follow the viewer: an operator limited to 052022 gets no row, and no
/// contribution to any total, about a person followed in 052028; the tenant administrator, who
/// sees no case data, gets no row counting fewer people than the threshold, and the rest
/// perturbed; another tenant sees none of it.
async fn internal_statistics_follow_the_viewers_scope_and_hide_small_cells(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    a.admin
        .ok("mutation { addTerritory(input: {istatCode: \"052028\", name: \"San Gimignano\"}) { id } }", json!({}))
        .await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let limited = operator(&app, &a, "siena@alfa.example.org", &["052022"]).await;
    let op_b = operator(&app, &b, "op@beta.example.org", &[]).await;
    // One elderly Eritrean woman with a health need in 052028; seven people in 052022.
    person_with_need(&op, "Selam", "052028", (1950, "FEMALE", "er"), "HEALTH").await;
    for given in [
        "Abel", "Bereket", "Dawit", "Elias", "Filmon", "Gebre", "Haile",
    ] {
        person_with_need(&op, given, "052022", (1990, "MALE", "ma"), "WORK").await;
    }
    person_with_need(&op_b, "Olena", "048017", (1950, "FEMALE", "er"), "HEALTH").await;
    wait_for(&op, &[("PEOPLE_REACHED", 8), ("NEEDS_RECORDED", 8)]).await;
    // Both of Beta's facts (the case opened, then the need): the second may arrive later.
    wait_for(&op_b, &[("PEOPLE_REACHED", 1), ("NEEDS_RECORDED", 1)]).await;

    // The unlimited operator sees her: the data is there to be leaked.
    let everyone = statistics_rows(&op, BY_ORIGIN).await;
    assert!(
        everyone.contains(&(vec!["052028".into(), "ER".into(), "health".into()], 1)),
        "{everyone:?}"
    );
    assert!(
        statistics_rows(&op, BY_AGE)
            .await
            .contains(&(vec!["052028".into(), "65+".into(), "F".into()], 1))
    );

    // The operator limited to 052022: no row about 052028, and no contribution to totals
    // (facts without a need, such as the case opened, count under the empty need).
    let key = |k: &[&str]| k.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        statistics_rows(&limited, BY_ORIGIN).await,
        vec![
            (key(&["052022", "MA", ""]), 7),
            (key(&["052022", "MA", "work"]), 7)
        ]
    );
    assert_eq!(
        statistics_rows(&limited, BY_AGE).await,
        vec![(key(&["052022", "35-44", "M"]), 7)]
    );
    let total = statistics_rows(
        &limited,
        "{ tenantStatistics(measure: PEOPLE_REACHED, by: []) { keys value } }",
    )
    .await;
    assert_eq!(total, vec![(vec![], 7)]);
    let by_need = statistics_rows(
        &limited,
        "{ tenantStatistics(measure: NEEDS, by: [NEED]) { keys value } }",
    )
    .await;
    assert_eq!(by_need, vec![(vec!["work".to_owned()], 7)]);
    assert_eq!(indicators(&limited).await["PEOPLE_REACHED"]["value"], 7);

    // The tenant administrator: nothing below the threshold (5; 10 for a health need), the
    // rest perturbed by at most the noise, never below the threshold.
    let params = sdc::Params::default();
    for (query, shown) in [(BY_ORIGIN, 2), (BY_AGE, 1)] {
        let rows = statistics_rows(&a.admin, query).await;
        assert_eq!(rows.len(), shown, "{query}: {rows:?}");
        for (keys, value) in &rows {
            assert_eq!(keys[0], "052022", "{rows:?}");
            assert!(*value >= params.threshold && value.abs_diff(7) <= params.max_noise);
        }
        // The same people read the same, query after query.
        assert_eq!(statistics_rows(&a.admin, query).await, rows);
    }
    let by_territory = statistics_rows(
        &a.admin,
        "{ tenantStatistics(measure: NEEDS, by: [TERRITORY, NEED]) { keys value } }",
    )
    .await;
    assert!(
        by_territory.iter().all(|(keys, _)| keys[0] != "052028"),
        "{by_territory:?}"
    );

    // The other tenant: its own person only, and the same protection for its administrator.
    let theirs = statistics_rows(&op_b, BY_ORIGIN).await;
    assert!(
        theirs.contains(&(key(&["048017", "ER", "health"]), 1))
            && theirs.iter().all(|(keys, _)| keys[0] == "048017"),
        "{theirs:?}"
    );
    assert!(statistics_rows(&b.admin, BY_ORIGIN).await.is_empty());
}

on_backends!(internal_statistics_follow_the_viewers_scope_and_hide_small_cells);

async fn published_events_are_pruned_from_the_outbox(backend: Backend, topology: Topology) {
    let (mut config, dir) = crate::helpers::fresh_config(backend).await;
    config.outbox_retention_hours = 0;
    config.processed_events_retention_hours = 1;
    let app = TestApp::spawn_with(config, dir, topology).await;
    let a = seed_alfa(&app).await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    story_with_cf(&op, "Amina", "El Idrissi", "052022", None).await;
    wait_for(&op, &[("PEOPLE_REACHED", 1), ("INTERVENTIONS", 1)]).await;
    // With no retention, published events leave the outbox; the counts stay.
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let mut left = Vec::new();
    for _ in 0..100 {
        left = rows(
            &conn,
            &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {schema}outbox"),
        )
        .await;
        if left == ["0"] {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, ["0"], "published events were not pruned");
    assert_eq!(indicators(&op).await["PEOPLE_REACHED"]["value"], 1);
}

on_backends!(published_events_are_pruned_from_the_outbox);

async fn emerging_needs_flag_a_need_growing_beyond_its_usual_range(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let tenant = uuid_of(&a.tenant_id);
    // Housing: 10 to 12 people a month for six months, then 30. Work: the same, then 5.
    let history = [10, 12, 11, 10, 12, 11];
    let months = [
        "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
    ];
    let mut cells = Vec::new();
    for (i, month) in months.iter().enumerate() {
        let (housing, work) = match history.get(i) {
            Some(n) => (*n, *n),
            None => (30, 5),
        };
        cells.push(("052022", *month, "housing", housing));
        cells.push(("052022", *month, "work", work));
    }
    insert_need_events(&app, backend, tenant, &cells).await;
    let total: u64 = cells.iter().map(|c| c.3).sum();
    // Counted exactly for an operator (the administrator's figures are protected).
    let op_a = operator(&app, &a, "op@alfa.example.org", &[]).await;
    wait_for_needs(&op_a, "2026-01", "2026-07", total).await;
    // Seen by a member of another tenant, from the protected view.
    let data = b
        .admin
        .ok(
            "{ emergingNeeds(from: \"2026-07\", to: \"2026-07\") { tenantName territory need month value suppressed change usualHigh flagged } }",
            json!({}),
        )
        .await;
    let rows = data["emergingNeeds"].as_array().expect("rows");
    let row = |need: &str| {
        rows.iter()
            .find(|r| r["need"] == need && r["territory"] == "052022")
            .unwrap_or_else(|| panic!("no {need} row: {data}"))
    };
    let housing = row("housing");
    assert_eq!(housing["tenantName"], "Alfa");
    assert_eq!(housing["flagged"], true, "{housing}");
    assert!(housing["value"].as_u64().expect("published").abs_diff(30) <= 2);
    assert!(housing["usualHigh"].as_f64().expect("range") < 28.0);
    assert!(housing["change"].as_i64().expect("change") > 10);
    let work = row("work");
    assert_eq!(work["flagged"], false, "{work}");
    let flagged = b
        .admin
        .ok(
            "{ emergingNeeds(from: \"2026-07\", to: \"2026-07\", flaggedOnly: true) { need } }",
            json!({}),
        )
        .await;
    assert_eq!(flagged["emergingNeeds"], json!([{ "need": "housing" }]));
}

on_backends!(emerging_needs_flag_a_need_growing_beyond_its_usual_range);
