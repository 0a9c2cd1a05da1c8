//! Hostile input at `/graphql`: documents nested to overflow a parser, control characters in
//! every string input of the schema, integers past `Int`, operations whose pages multiply, and
//! requests that are not GraphQL at all. Each gets a typed answer, changes nothing, and the
//! server keeps serving.

use std::collections::{BTreeMap, HashMap};

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};

use crate::cases::story;
use crate::helpers::{
    Backend, TestApp, Topology, code, field, operator, operators, seed_alfa, spawn_alfa,
    spawn_alfa_and_beta,
};
use crate::on_backends;

async fn alive(app: &TestApp) {
    let resp = app.client().gql("{ __typename }", json!({})).await;
    assert_eq!(resp["data"]["__typename"], "Query", "{resp}");
}

async fn post_raw(app: &TestApp, body: String) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{}/graphql", app.url))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("a JSON answer"))
}

fn nested(open: &str, inner: &str, close: &str, levels: usize) -> String {
    format!("{}{inner}{}", open.repeat(levels), close.repeat(levels))
}

async fn deep_documents_are_refused_before_parsing(backend: Backend, topology: Topology) {
    let (app, a) = spawn_alfa(backend, topology).await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;

    // Each shape is a document in which `@` stands for `levels` of `open` and `close` around `leaf`.
    #[rustfmt::skip]
    let shapes = [
        ("a list argument", "{ __typename(x: @) }", ["[", "0", "]"], 2_000),
        ("an input object", "{ __typename(x: @) }", ["{a: ", "0", "}"], 2_000),
        ("a list argument of a real field", "{ persons(territoryCode: @) { nodes { id } } }", ["[", "\"052022\"", "]"], 1_600),
        ("an unknown field's argument", "{ nothingHere(y: @) }", ["[", "1", "]"], 2_000),
        ("a variable's default value", "query Q($v: [Int] = @) { __typename }", ["[", "1", "]"], 2_000),
        ("100,000 levels", "{ __typename(x: @) }", ["[", "0", "]"], 100_000),
        ("selection sets", "{ @ }", ["viewer { ", "csrfToken", " }"], 2_000),
    ];
    for (shape, document, [open, leaf, close], levels) in shapes {
        let query = document.replace('@', &nested(open, leaf, close, levels));
        let resp = op.gql(&query, json!({})).await;
        assert_eq!(
            code(&resp).as_deref(),
            Some("NESTING_LIMIT_EXCEEDED"),
            "{shape}: {}",
            resp.to_string().chars().take(300).collect::<String>()
        );
        assert!(resp.get("data").is_none(), "{shape}");
        alive(&app).await;
    }
    // Anonymous, and over GET.
    let query = format!("{{ __typename(x: {}) }}", nested("[", "0", "]", 2_000));
    let resp = app.client().gql(&query, json!({})).await;
    assert_eq!(code(&resp).as_deref(), Some("NESTING_LIMIT_EXCEEDED"));
    let get = reqwest::Client::new()
        .get(format!("{}/graphql", app.url))
        .query(&[("query", query.as_str())])
        .send()
        .await
        .expect("GET");
    let get: Value = get.json().await.expect("JSON");
    assert_eq!(code(&get).as_deref(), Some("NESTING_LIMIT_EXCEEDED"));
    // In a batch, and in variables nested past the bound (but within what JSON readers take).
    let batch = json!([{ "query": "{ __typename }" }, { "query": query }]);
    let (status, resp) = post_raw(&app, batch.to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(resp[0]["data"]["__typename"], "Query");
    assert_eq!(
        resp[1]["errors"][0]["extensions"]["code"],
        "NESTING_LIMIT_EXCEEDED"
    );
    let deep_vars = format!(
        "{{\"query\": \"query Q($v: [Int]) {{ __typename }}\", \"variables\": {{\"v\": {}}}}}",
        nested("[", "1", "]", 100)
    );
    let (_, resp) = post_raw(&app, deep_vars).await;
    assert_eq!(code(&resp).as_deref(), Some("NESTING_LIMIT_EXCEEDED"));
    // A real screen's nesting is far below the bound.
    let fine = format!("{{ __typename(x: {}) }}", nested("[", "0", "]", 20));
    let resp = op.gql(&fine, json!({})).await;
    assert_ne!(code(&resp).as_deref(), Some("NESTING_LIMIT_EXCEEDED"));
    alive(&app).await;
}

on_backends!(deep_documents_are_refused_before_parsing);

/// The console's case screen, as the console sends it.
fn console_document(name: &str) -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../web/src/api/operations.ts"
    );
    let source = std::fs::read_to_string(path).expect("the console's operations");
    let documents: Vec<&str> = source
        .split("graphql(`")
        .skip(1)
        .filter_map(|chunk| chunk.split('`').next())
        .collect();
    let mut doc = documents
        .iter()
        .find(|d| d.trim_start().starts_with(&format!("query {name}(")))
        .expect("the operation")
        .to_string();
    for fragment in documents
        .iter()
        .filter(|d| d.trim().starts_with("fragment "))
    {
        let fname = fragment.split_whitespace().nth(1).unwrap_or_default();
        if doc.contains(&format!("...{fname}")) {
            doc.push_str(fragment);
        }
    }
    doc
}

async fn pages_multiply_the_cost(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op, other) = operators(&app, &a, &b).await;
    let mine = story(&op, "Amina", "Diallo", "052022").await;
    story(&other, "Selam", "Tesfay", "048017").await;

    // The heaviest real screen is allowed, and shows the case.
    let case_screen = console_document("Case");
    let resp = op.gql(&case_screen, json!({ "id": mine.case })).await;
    assert!(resp.get("errors").is_none(), "{resp}");
    assert_eq!(resp["data"]["node"]["id"], mine.case.as_str());
    assert_eq!(
        resp["data"]["node"]["needs"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Thirty aliases of a page of cases with pages of needs and encounters: refused before
    // anything runs, with the cost and the limit.
    let one = "cases(first: 100) { nodes { id person { id givenNames } needs(first: 100) { nodes { id code } } encounters(first: 100) { nodes { id notes } } } }";
    let aliases: String = (0..30).map(|i| format!("a{i}: {one} ")).collect();
    let started = std::time::Instant::now();
    let resp = op.gql(&format!("{{ {aliases} }}"), json!({})).await;
    assert_eq!(
        code(&resp).as_deref(),
        Some("COMPLEXITY_LIMIT_EXCEEDED"),
        "{resp}"
    );
    assert!(resp.get("data").is_none(), "{resp}");
    let message = resp["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("limit is 10000"), "{message}");
    // The gateway's own refusals carry a reason too: the code itself.
    assert_eq!(
        resp["errors"][0]["extensions"]["reason"],
        "COMPLEXITY_LIMIT_EXCEEDED"
    );
    assert_eq!(resp["errors"].as_array().map(Vec::len), Some(1));
    println!("refused in {:?}: {message}", started.elapsed());
    // Page sizes given as variables count too.
    op.refused(
        "query($n: Int) { cases(first: $n) { nodes { needs(first: $n) { nodes { id } } encounters(first: $n) { nodes { id } } } } }",
        json!({ "n": 100 }),
        "COMPLEXITY_LIMIT_EXCEEDED",
    )
    .await;
    let resp = op
        .gql(
            "query($n: Int) { cases(first: $n) { nodes { needs(first: $n) { nodes { id } } } } }",
            json!({ "n": 5 }),
        )
        .await;
    assert!(resp.get("errors").is_none(), "{resp}");
    // The other tenant's operator sees only their own case through the same screens.
    let theirs = other
        .ok("{ cases(first: 100) { nodes { id } } }", json!({}))
        .await;
    assert_eq!(theirs["cases"]["nodes"].as_array().map(Vec::len), Some(1));
    assert_ne!(theirs["cases"]["nodes"][0]["id"], mine.case.as_str());
}

on_backends!(pages_multiply_the_cost);

// --- control characters in every string input -------------------------------------------------

/// A root field: `query` or `mutation`, its name, its arguments and their types.
type RootField = (&'static str, String, Vec<(String, Type)>);

/// The schema's input side, read from its SDL.
struct Inputs {
    objects: HashMap<String, Vec<(String, Type)>>,
    enums: HashMap<String, String>,
    roots: Vec<RootField>,
}

impl Inputs {
    fn read() -> Self {
        let sdl = sportello_graphql::sdl();
        let doc = parse_schema(&sdl).expect("the SDL parses");
        let mut inputs = Inputs {
            objects: HashMap::new(),
            enums: HashMap::new(),
            roots: Vec::new(),
        };
        for def in &doc.definitions {
            let TypeSystemDefinition::Type(ty) = def else {
                continue;
            };
            let name = ty.node.name.node.to_string();
            match &ty.node.kind {
                TypeKind::InputObject(input) => {
                    let fields = input
                        .fields
                        .iter()
                        .map(|f| (f.node.name.node.to_string(), f.node.ty.node.clone()))
                        .collect();
                    inputs.objects.insert(name, fields);
                }
                TypeKind::Enum(e) => {
                    let first = e.values[0].node.value.node.to_string();
                    inputs.enums.insert(name, first);
                }
                TypeKind::Object(object) if name == "Query" || name == "Mutation" => {
                    let kind = if name == "Query" { "query" } else { "mutation" };
                    for f in &object.fields {
                        let args = f
                            .node
                            .arguments
                            .iter()
                            .map(|a| (a.node.name.node.to_string(), a.node.ty.node.clone()))
                            .collect();
                        inputs
                            .roots
                            .push((kind, f.node.name.node.to_string(), args));
                    }
                }
                _ => {}
            }
        }
        inputs
    }

    /// A placeholder value of a type; `bad` goes at `path` (input field names below the
    /// argument), optional fields elsewhere are left out.
    fn value(&self, ty: &Type, path: &[String], bad: &str) -> Value {
        match &ty.base {
            BaseType::List(inner) => json!([self.value(inner, path, bad)]),
            BaseType::Named(name) => match name.as_str() {
                "String" | "ID" if path.is_empty() => json!(bad),
                "String" => json!("valore"),
                "ID" => json!("aWQ"),
                "Int" => json!(1),
                "Boolean" => json!(true),
                "DateTime" => json!("2026-11-20T09:30:00Z"),
                "NaiveDate" => json!("2026-11-20"),
                "NaiveTime" => json!("09:30:00"),
                other if self.enums.contains_key(other) => json!(self.enums[other]),
                other => {
                    let mut object = serde_json::Map::new();
                    for (fname, fty) in &self.objects[other] {
                        if path.first() == Some(fname) {
                            object.insert(fname.clone(), self.value(fty, &path[1..], bad));
                        } else if !fty.nullable {
                            object.insert(fname.clone(), self.value(fty, &[], "valore"));
                        }
                    }
                    Value::Object(object)
                }
            },
        }
    }

    /// Every path from an argument down to a `String` or `ID` (input objects to three levels).
    fn string_paths(&self, ty: &Type, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        match &ty.base {
            BaseType::List(inner) => self.string_paths(inner, prefix, out),
            BaseType::Named(name) => match name.as_str() {
                "String" => out.push(prefix),
                other => {
                    if let Some(fields) = self.objects.get(other).filter(|_| prefix.len() < 3) {
                        for (fname, fty) in fields {
                            let mut p = prefix.clone();
                            p.push(fname.clone());
                            self.string_paths(fty, p, out);
                        }
                    }
                }
            },
        }
    }
}

/// Row counts of every table of the tenancy and cases stores (the analytics store is fed from the
/// cases outbox in the background; the outbox is counted).
async fn row_counts(app: &TestApp, backend: Backend) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    let conns: Vec<(DatabaseConnection, &str)> = match backend {
        Backend::Sqlite => {
            let mut conns = Vec::new();
            for store in ["tenancy", "cases"] {
                conns.push((app.store_owner(backend, store).await.0, store));
            }
            conns
        }
        // One database holds the schemas of every store.
        Backend::Postgres => vec![(app.store_owner(backend, "cases").await.0, "")],
    };
    for (conn, store) in conns {
        let list = match backend {
            Backend::Sqlite => {
                "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            }
            Backend::Postgres => {
                "SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname IN ('tenancy', 'cases')"
            }
        };
        let tables = conn
            .query_all_raw(Statement::from_string(conn.get_database_backend(), list))
            .await
            .expect("tables");
        for row in tables {
            let table: String = row.try_get("", "t").expect("name");
            let quoted = table
                .split('.')
                .map(|part| format!("\"{part}\""))
                .collect::<Vec<_>>()
                .join(".");
            // The audit sealer moves entries from audit_pending into audit_log whenever it runs:
            // both are counted in one statement (one snapshot), an entry once, sealed or not.
            if table.ends_with("audit_pending") {
                continue;
            }
            let sql = match table.strip_suffix("audit_log") {
                Some(_) => {
                    let pending = quoted.replace("audit_log", "audit_pending");
                    format!(
                        "SELECT (SELECT COUNT(*) FROM {quoted}) + (SELECT COUNT(*) FROM {pending}) AS n"
                    )
                }
                None => format!("SELECT COUNT(*) AS n FROM {quoted}"),
            };
            let count = conn
                .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
                .await
                .expect("count")
                .expect("row");
            let n: i64 = count.try_get("", "n").expect("n");
            counts.insert(format!("{store}{table}"), n);
        }
        conn.close().await.ok();
    }
    // The sealer creates a tenant's head on its first pass, whenever it runs.
    for prefix in ["cases", "cases."] {
        counts.remove(&format!("{prefix}audit_heads"));
    }
    counts
}

async fn control_characters_are_refused_in_every_string_input(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let theirs = story(
        &operator(&app, &b, "op@beta.example.org", &[]).await,
        "Selam",
        "Tesfay",
        "048017",
    )
    .await;
    story(&op, "Amina", "Diallo", "052022").await;
    let before = row_counts(&app, backend).await;

    let inputs = Inputs::read();
    let forbidden = ["\u{0}", "\u{7}", "\u{1b}", "\u{7f}", "\u{85}", "\u{8}"];
    let mut sent = 0;
    for (kind, root, args) in &inputs.roots {
        for (arg, ty) in args {
            let mut paths = Vec::new();
            inputs.string_paths(ty, Vec::new(), &mut paths);
            for path in paths {
                let name = path.last().unwrap_or(arg).clone();
                let bad = format!("Ami{}na", forbidden[sent % forbidden.len()]);
                let mut variables = serde_json::Map::new();
                let mut declared = Vec::new();
                let mut passed = Vec::new();
                for (other, oty) in args {
                    if other == arg {
                        variables.insert(other.clone(), inputs.value(oty, &path, &bad));
                    } else if !oty.nullable {
                        variables.insert(other.clone(), inputs.value(oty, &[], "valore"));
                    } else {
                        continue;
                    }
                    declared.push(format!("${other}: {oty}"));
                    passed.push(format!("{other}: ${other}"));
                }
                let document = format!(
                    "{kind}({}) {{ {root}({}) {{ __typename }} }}",
                    declared.join(", "),
                    passed.join(", ")
                );
                let resp = op.gql(&document, Value::Object(variables)).await;
                assert_eq!(
                    code(&resp).as_deref(),
                    Some("INVALID_INPUT"),
                    "{root}({arg}: {path:?}): {resp}"
                );
                assert_eq!(
                    field(&resp).as_deref(),
                    Some(name.as_str()),
                    "{root}({arg}: {path:?}): {resp}"
                );
                assert!(resp.get("data").is_none(), "{resp}");
                sent += 1;
                // A line break is refused too, except in multi-line free text.
                if ![
                    "notes",
                    "description",
                    "feedback",
                    "reason",
                    "overrideReason",
                    "privateKeyPem",
                    "reopenReason",
                    "openingHours",
                    "address",
                    "outcome",
                    "activities",
                    "municipalityCommitments",
                    "proposerCommitments",
                    "text",
                ]
                .contains(&name.as_str())
                {
                    let mut variables = serde_json::Map::new();
                    for (other, oty) in args {
                        if other == arg {
                            variables.insert(other.clone(), inputs.value(oty, &path, "due\nrighe"));
                        } else if !oty.nullable {
                            variables.insert(other.clone(), inputs.value(oty, &[], "valore"));
                        }
                    }
                    let resp = op.gql(&document, Value::Object(variables)).await;
                    assert_eq!(
                        field(&resp).as_deref(),
                        Some(name.as_str()),
                        "{root}: {resp}"
                    );
                }
            }
        }
    }
    assert!(sent > 100, "only {sent} string inputs found");
    // Written in the document itself rather than in variables.
    let resp = op
        .gql(
            "{ persons(territoryCode: \"0520\\u00002\") { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"));
    assert_eq!(field(&resp).as_deref(), Some("territoryCode"));
    op.refused_on(
        &format!("mutation {{ addEncounter(input: {{caseId: \"{}\", occurredAt: \"2026-11-20T09:30:00Z\", channel: DESK, notes: \"a\\u0000b\"}}) {{ id }} }}", theirs.case),
        json!({}),
        "notes",
    )
    .await;

    let after = row_counts(&app, backend).await;
    assert_eq!(before, after, "a refused input changed a table");
    // Both tenants still see exactly their own.
    let mine = op
        .ok(
            "{ persons(first: 100) { nodes { givenNames } } }",
            json!({}),
        )
        .await;
    assert_eq!(mine["persons"]["nodes"].as_array().map(Vec::len), Some(1));
    assert_eq!(mine["persons"]["nodes"][0]["givenNames"], "Amina");
    println!("{sent} string inputs refused with their field named");
}

on_backends!(control_characters_are_refused_in_every_string_input);

// --- answers that are always GraphQL responses --------------------------------------------------

async fn every_answer_is_a_typed_graphql_response(backend: Backend, topology: Topology) {
    let (app, a) = spawn_alfa(backend, topology).await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let http = reqwest::Client::new();
    let url = format!("{}/graphql", app.url);

    let check = |status: u16, body: &Value, want_status: u16, want_code: &str| {
        assert_eq!(status, want_status, "{body}");
        assert_eq!(code(body).as_deref(), Some(want_code), "{body}");
        assert!(body.get("data").is_none(), "{body}");
    };
    let refused = async |resp: reqwest::Response, want_status: u16, want_code: &str| {
        let status = resp.status().as_u16();
        check(
            status,
            &resp.json().await.expect("json"),
            want_status,
            want_code,
        );
    };
    // A body over 1 MiB.
    let big = json!({ "query": format!("{{ __typename }} # {}", "x".repeat(1_100_000)) });
    let resp = http.post(&url).json(&big).send().await.expect("post");
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .contains("json")
    );
    refused(resp, 413, "PAYLOAD_TOO_LARGE").await;
    // GET without a query, and with variables that are not JSON.
    for request in [
        http.get(&url),
        http.get(&url)
            .query(&[("query", "{ __typename }"), ("variables", "{nope")]),
    ] {
        refused(request.send().await.expect("get"), 400, "BAD_REQUEST").await;
    }
    // Bodies that are JSON but not GraphQL requests.
    for body in [
        "[]",
        "[1]",
        "\"{ __typename }\"",
        "{}",
        "{\"query\": 5}",
        "{\"query\": \"{ __typename }\", \"variables\": []}",
        "{\"query\": \"{ __typename }\", \"operationName\": {}}",
        "{ \"not JSON",
    ] {
        let (status, resp) = post_raw(&app, body.to_owned()).await;
        let want = if body == "[]" {
            "BATCH_LIMIT_EXCEEDED"
        } else {
            "BAD_REQUEST"
        };
        check(status, &resp, 400, want);
    }
    // No content type.
    let resp = http
        .post(&url)
        .body("{\"query\": \"{ __typename }\"}")
        .send()
        .await
        .expect("post");
    refused(resp, 415, "UNSUPPORTED_MEDIA_TYPE").await;

    // An overflowing Int in a nested argument is refused even where its field would not run
    // (no case to list the needs of) — and so is one in a variable.
    let resp = op
        .gql(
            "{ cases(first: 1) { nodes { needs(first: 3000000000) { nodes { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"), "{resp}");
    assert_eq!(field(&resp).as_deref(), Some("first"));
    op.refused_on(
        "query($n: Int) { cases(first: 1) { nodes { needs(first: $n) { nodes { id } } } } }",
        json!({ "n": 3_000_000_000i64 }),
        "first",
    )
    .await;

    // The GraphQL response media type: 4xx and no data for refused documents; plain JSON keeps
    // 200 for them, as the specification asks.
    for (query, variables, gr_status) in [
        ("{ __typename }", json!({}), 200),
        ("{", json!({}), 400),
        ("{ noSuchField }", json!({}), 400),
        (
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": null }),
            400,
        ),
        (
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": [1, 2] }),
            400,
        ),
    ] {
        for (accept, want) in [
            ("application/graphql-response+json", gr_status),
            ("application/json", 200),
        ] {
            let resp = http
                .post(&url)
                .header("accept", accept)
                .json(&json!({ "query": query, "variables": variables }))
                .send()
                .await
                .expect("post");
            assert_eq!(resp.status().as_u16(), want, "{query} with {accept}");
            let content_type = resp.headers()["content-type"]
                .to_str()
                .unwrap_or_default()
                .to_owned();
            assert!(content_type.starts_with(accept), "{content_type}");
            let body: Value = resp.json().await.expect("json");
            if want == 400 || (gr_status == 400) {
                assert!(body.get("data").is_none(), "{query}: {body}");
                assert!(code(&body).is_some(), "{query}: {body}");
            } else {
                assert_eq!(body["data"]["__typename"], "Query");
            }
        }
    }
    alive(&app).await;
}

on_backends!(every_answer_is_a_typed_graphql_response);

/// A user's concurrent operations beyond the cap wait, and are refused once they waited too long.
async fn a_user_cannot_take_every_connection(backend: Backend, topology: Topology) {
    let (mut config, dir) = crate::helpers::fresh_config(backend).await;
    config.limits.concurrent_per_user = 1;
    config.limits.queue_wait_ms = 1;
    let app = TestApp::spawn_with(config, dir, topology).await;
    let a = seed_alfa(&app).await;
    let op = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let other = operator(&app, &a, "op2@alfa.example.org", &[]).await;
    let query = "{ cases(first: 100) { nodes { id } } persons(first: 100) { nodes { id } } territories(first: 100) { nodes { id } } }";
    let runs: Vec<_> = (0..12).map(|_| op.gql(query, json!({}))).collect();
    let theirs = other.gql(query, json!({}));
    let (mine, theirs) = tokio::join!(futures::future::join_all(runs), theirs);
    let limited = mine
        .iter()
        .filter(|r| code(r).as_deref() == Some("RATE_LIMITED"))
        .count();
    let served = mine.iter().filter(|r| r.get("errors").is_none()).count();
    assert!(served >= 1, "{mine:?}");
    assert!(
        limited >= 1,
        "twelve at once with one slot and no wait: {mine:?}"
    );
    assert_eq!(limited + served, 12);
    // Another user of the same tenant is not held back by the first one's queue.
    assert!(theirs.get("errors").is_none(), "{theirs}");
}

on_backends!(a_user_cannot_take_every_connection:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    sqlite_distributed => (Backend::Sqlite, Topology::Distributed),
);
