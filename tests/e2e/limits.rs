//! Limits and bad input: depth, complexity, batch and alias limits; wrong passwords and their rate
//! limit; expired and reused invitations; CSRF; GraphQL-over-HTTP method rules. Each gets a typed
//! error and changes nothing.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp, Topology, code, fresh_config, spawn_alfa,
};
use crate::on_backends;

async fn operation_limits_are_enforced_with_typed_errors(backend: Backend, topology: Topology) {
    let (mut config, dir) = fresh_config(backend).await;
    config.limits.complexity = 40;
    let app = TestApp::spawn_with(config, dir, topology).await;
    let client = app.platform_admin().await;

    // Selections nest at most 10 levels; a query that only introspects may nest 15, enough for
    // GraphiQL's introspection query (14, see the next test) and no more.
    let nested = |levels: usize| {
        let mut q = String::from("name");
        for i in 1..levels - 1 {
            q = if i % 2 == 1 {
                format!("type {{ {q} }}")
            } else {
                format!("fields {{ {q} }}")
            };
        }
        format!("__type(name: \"Query\") {{ fields {{ {q} }} }}")
    };
    let deep = format!("{{ {} }}", nested(16));
    assert_eq!(
        code(&client.gql(&deep, json!({})).await).as_deref(),
        Some("DEPTH_LIMIT_EXCEEDED")
    );
    // The deeper nesting is for introspection only: beside a data field, 11 levels are refused.
    let mixed = format!(
        "{{ tenants(first: 1) {{ edges {{ cursor }} }} {} }}",
        nested(11)
    );
    assert_eq!(
        code(&client.gql(&mixed, json!({})).await).as_deref(),
        Some("DEPTH_LIMIT_EXCEEDED")
    );
    assert!(
        client
            .gql(&format!("{{ {} }}", nested(11)), json!({}))
            .await
            .get("errors")
            .is_none()
    );

    // A page multiplies what it selects: 3 items of 6 fields fit, 20 (the default page) do not.
    let complex = "{ tenants { edges { cursor node { id name kind createdAt } } } }";
    assert_eq!(
        code(&client.gql(complex, json!({})).await).as_deref(),
        Some("COMPLEXITY_LIMIT_EXCEEDED")
    );
    assert!(
        client
            .gql(
                "{ tenants(first: 3) { edges { cursor node { id name kind createdAt } } } }",
                json!({})
            )
            .await
            .get("errors")
            .is_none()
    );

    let aliases: String = (0..31).map(|i| format!("a{i}: __typename ")).collect();
    client
        .refused(
            &format!("{{ {aliases} }}"),
            json!({}),
            "ALIAS_LIMIT_EXCEEDED",
        )
        .await;
    let fine: String = (0..30).map(|i| format!("a{i}: __typename ")).collect();
    assert!(
        client
            .gql(&format!("{{ {fine} }}"), json!({}))
            .await
            .get("errors")
            .is_none()
    );

    let batch: Vec<Value> = (0..11)
        .map(|_| json!({ "query": "{ __typename }" }))
        .collect();
    let resp = client
        .http
        .post(format!("{}/graphql", app.url))
        .json(&batch)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(code(&body).as_deref(), Some("BATCH_LIMIT_EXCEEDED"));
    let batch: Vec<Value> = (0..10)
        .map(|_| json!({ "query": "{ __typename }" }))
        .collect();
    let body: Value = client
        .http
        .post(format!("{}/graphql", app.url))
        .json(&batch)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(body.as_array().map(Vec::len), Some(10));
}

on_backends!(operation_limits_are_enforced_with_typed_errors);

async fn wrong_passwords_are_refused_then_rate_limited(backend: Backend, topology: Topology) {
    let app = TestApp::spawn(backend, topology).await;
    let mut client = app.client();
    let unknown = client
        .login("nobody@example.org", "Whatever-Password-1")
        .await;
    let wrong = client.login(ADMIN_EMAIL, "Not-The-Password-1").await;
    assert_eq!(code(&wrong).as_deref(), Some("UNAUTHENTICATED"));
    // The answer does not tell whether the account exists.
    assert_eq!(unknown, wrong);
    for _ in 0..4 {
        client.login(ADMIN_EMAIL, "Not-The-Password-1").await;
    }
    // Five failures: even the right password is refused for a while.
    let limited = client.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(code(&limited).as_deref(), Some("RATE_LIMITED"), "{limited}");
    assert!(client.csrf.is_none());
    let viewer = client.ok("{ viewer { user { email } } }", json!({})).await;
    assert_eq!(viewer["viewer"], Value::Null);
}

on_backends!(wrong_passwords_are_refused_then_rate_limited);

async fn expired_and_reused_invitations_change_nothing(backend: Backend, topology: Topology) {
    let (app, a) = spawn_alfa(backend, topology).await;
    let token = a
        .admin
        .invite(json!({ "email": "late@alfa.example.org", "roles": ["OPERATOR"] }))
        .await;
    expire_invitation(&app, backend, "late@alfa.example.org").await;
    let members_before = a
        .admin
        .ok("{ memberships { edges { node { id } } } }", json!({}))
        .await;

    let expired = app
        .client()
        .accept(&token, "Tardi-Arrivo-2026", "Late")
        .await;
    assert_eq!(code(&expired).as_deref(), Some("CONFLICT"), "{expired}");
    assert_eq!(
        expired["errors"][0]["extensions"]["reason"], "INVITATION_EXPIRED",
        "{expired}"
    );
    assert!(
        expired["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("expired")
    );
    let status = a
        .admin
        .ok(
            "{ invitations { edges { node { email status } } } }",
            json!({}),
        )
        .await;
    assert!(
        status["invitations"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .any(|e| e["node"] == json!({ "email": "late@alfa.example.org", "status": "EXPIRED" }))
    );
    // No account was created and no membership added.
    let login = app
        .client()
        .login("late@alfa.example.org", "Tardi-Arrivo-2026")
        .await;
    assert_eq!(code(&login).as_deref(), Some("UNAUTHENTICATED"));
    assert_eq!(
        a.admin
            .ok("{ memberships { edges { node { id } } } }", json!({}))
            .await,
        members_before
    );

    let unknown = app
        .client()
        .accept("no-such-token", "Tardi-Arrivo-2026", "Late")
        .await;
    assert_eq!(code(&unknown).as_deref(), Some("NOT_FOUND"));

    // Revoked invitations cannot be accepted either.
    let issued = a
        .admin
        .ok("mutation { inviteUser(input: {email: \"gone@alfa.example.org\", roles: [OPERATOR]}) { token invitation { id } } }", json!({}))
        .await;
    a.admin
        .ok(
            "mutation($id: ID!) { revokeInvitation(id: $id) }",
            json!({ "id": issued["inviteUser"]["invitation"]["id"] }),
        )
        .await;
    let revoked = app
        .client()
        .accept(
            issued["inviteUser"]["token"].as_str().expect("token"),
            "Via-Andata-2026",
            "Gone",
        )
        .await;
    assert_eq!(code(&revoked).as_deref(), Some("NOT_FOUND"));
}

async fn expire_invitation(app: &TestApp, backend: Backend, email: &str) {
    let (owner, prefix) = app.store_owner(backend, "tenancy").await;
    let sql =
        format!("UPDATE {prefix}invitations SET expires_at = created_at WHERE email = '{email}'");
    let done = owner
        .execute_unprepared(&sql)
        .await
        .expect("expire invitation");
    assert_eq!(done.rows_affected(), 1);
    owner.close().await.ok();
}

on_backends!(expired_and_reused_invitations_change_nothing);

async fn cookie_mutations_need_the_csrf_token(backend: Backend, topology: Topology) {
    let (_app, mut a) = spawn_alfa(backend, topology).await;
    let add = "mutation { addTerritory(input: {istatCode: \"052012\", name: \"Colle di Val d'Elsa\"}) { id } }";
    let csrf = a.admin.csrf.take();
    a.admin.refused(add, json!({}), "FORBIDDEN").await;
    a.admin.csrf = Some("wrong".into());
    a.admin.refused(add, json!({}), "FORBIDDEN").await;
    let listed = a
        .admin
        .edges(
            "{ territories { edges { node { istatCode } } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    a.admin.csrf = csrf;
    a.admin.ok(add, json!({})).await;
}

on_backends!(cookie_mutations_need_the_csrf_token);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_over_http_methods_and_introspection_switch() {
    // GraphiQL is a page of the built console: a console directory that has it.
    let web = crate::headers::console_dir();
    let (mut config, dir) = fresh_config(Backend::Sqlite).await;
    config.web_dir = web.path().to_path_buf();
    let app = TestApp::spawn_with(config, dir, Topology::AllInOne).await;
    let http = reqwest::Client::new();
    let get = http
        .get(format!("{}/graphql", app.url))
        .query(&[("query", "{ __typename }")])
        .send()
        .await
        .expect("get");
    assert_eq!(get.status().as_u16(), 200);
    let body: Value = get.json().await.expect("json");
    assert_eq!(body["data"]["__typename"], "Query");
    let graphql = format!("{}/graphql", app.url);
    for (request, status) in [
        (
            http.get(&graphql)
                .query(&[("query", "mutation { logout }")]),
            405,
        ),
        (
            http.post(&graphql)
                .header("content-type", "text/plain")
                .body("{}"),
            415,
        ),
    ] {
        let resp = request.send().await.expect("request");
        assert_eq!(resp.status().as_u16(), status);
    }
    let introspect = app
        .client()
        .gql("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(introspect["data"]["__schema"]["queryType"]["name"], "Query");
    // GraphiQL's own introspection query is answered in full under the default limits.
    let graphiql = include_str!("data/graphiql-introspection.graphql");
    let schema = app.client().gql(graphiql, json!({})).await;
    assert!(schema.get("errors").is_none(), "{schema}");
    assert!(
        schema["data"]["__schema"]["types"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x["name"] == "Case"))
    );

    let (mut config, dir) = fresh_config(Backend::Sqlite).await;
    config.profile = sportello::config::Profile::Production;
    let prod = TestApp::spawn_with(config, dir, Topology::AllInOne).await;
    let introspect = prod
        .client()
        .gql(
            "{ __schema { queryType { name } } __type(name: \"Tenant\") { name } }",
            json!({}),
        )
        .await;
    assert_eq!(
        introspect["data"],
        json!({ "__schema": null, "__type": null }),
        "{introspect}"
    );
    for (base, status) in [(&prod.url, 404), (&app.url, 200)] {
        let graphiql = http
            .get(format!("{base}/graphiql"))
            .send()
            .await
            .expect("graphiql");
        assert_eq!(graphiql.status().as_u16(), status);
    }
}

/// A negative count (minutes, weeks, hours, a month, a day) is refused like any other bad value:
/// INVALID_INPUT naming its field, and nothing is stored, in either tenant.
async fn negative_counts_are_refused_on_their_field(backend: Backend, topology: Topology) {
    let (app, a, b) = crate::helpers::spawn_alfa_and_beta(backend, topology).await;
    let (op, op_b) = crate::helpers::operators(&app, &a, &b).await;
    let s = crate::cases::story(&op, "Olena", "Kovalenko", "052022").await;
    let book = "mutation($d: ID!, $p: ID!, $m: Int!, $n: Int!, $h: Int) { bookAppointment(input: {deskId: $d, personId: $p, startsAt: \"2027-05-04T10:00:00+02:00\", durationMinutes: $m, occurrences: $n, remindHoursBefore: $h}) { id } }";
    for (m, n, h, field) in [
        (-5, 1, None, "durationMinutes"),
        (30, -2, None, "occurrences"),
        (30, 1, Some(-3), "remindHoursBefore"),
    ] {
        op.refused_on(
            book,
            json!({ "d": a.desk, "p": s.person, "m": m, "n": n, "h": h }),
            field,
        )
        .await;
    }
    let encounter = "mutation($c: ID!) { addEncounter(input: {caseId: $c, occurredAt: \"2026-11-02T10:00:00+01:00\", channel: DESK, mediatorPresent: false, durationMinutes: -30}) { id } }";
    op.refused_on(encounter, json!({ "c": s.case }), "durationMinutes")
        .await;
    let person = "mutation { createPerson(input: {givenNames: \"Ada\", familyNames: \"Neri\", territoryCode: \"052022\", birth: {year: 1990, month: -1}}) { id } }";
    op.refused_on(person, json!({}), "birth").await;
    let listed = "{ appointments(first: 10) { edges { node { id } } } }";
    assert_eq!(op.edges(listed, json!({})).await, json!([]));
    assert_eq!(op_b.edges(listed, json!({})).await, json!([]));
}

on_backends!(negative_counts_are_refused_on_their_field);
