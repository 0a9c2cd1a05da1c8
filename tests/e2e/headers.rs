//! Security headers on every response (the console, its routes, `/graphql`, errors), `/metrics`
//! kept off the public port in production, and logout cookies that mirror the sign-in cookies.

use serde_json::{Value, json};
use sportello::config::Profile;
use sportello::headers::{CONSOLE_CSP, GRAPHIQL_CSP};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp, Topology, fresh_config};

/// A web console directory with an index, GraphiQL's page and one asset.
pub fn console_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>Sportello</title><script type=\"module\" src=\"/app.js\"></script>",
    )
    .expect("index");
    std::fs::write(
        dir.path().join("graphiql.html"),
        "<!doctype html><title>GraphiQL</title><script type=\"module\" src=\"/app.js\"></script>",
    )
    .expect("graphiql");
    std::fs::write(dir.path().join("app.js"), "export {};").expect("asset");
    dir
}

fn assert_security_headers(resp: &reqwest::Response, what: &str, csp: &str, hsts: bool) {
    let h = resp.headers();
    let get = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert_eq!(get("content-security-policy"), csp, "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(
        h.contains_key("strict-transport-security"),
        hsts,
        "{what}: HSTS"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let web = console_dir();
    let (mut config, dir) = fresh_config(Backend::Sqlite).await;
    config.web_dir = web.path().to_path_buf();
    let app = TestApp::spawn_with(config, dir, Topology::AllInOne).await;
    let http = reqwest::Client::new();
    let url = &app.url;

    for path in [
        "/",
        "/casi",
        "/casi/some-id",
        "/app.js",
        "/healthz",
        "/readyz",
    ] {
        let resp = http.get(format!("{url}{path}")).send().await.expect("get");
        assert_eq!(resp.status().as_u16(), 200, "{path}");
        assert_security_headers(&resp, path, CONSOLE_CSP, false);
    }
    // A console address no file could be named after (a pasted verification code thousands of
    // characters long) is the console's too, not a failed file lookup.
    for code in ["A".repeat(256), "A".repeat(5000)] {
        let resp = http
            .get(format!("{url}/verifica/{code}"))
            .send()
            .await
            .expect("get");
        assert_eq!(
            resp.status().as_u16(),
            200,
            "/verifica/<{} characters>",
            code.len()
        );
        assert_security_headers(&resp, "a long console path", CONSOLE_CSP, false);
        assert!(
            resp.text()
                .await
                .expect("body")
                .contains("<title>Sportello</title>")
        );
    }
    // `/graphql`; its errors: a mutation over GET, a wrong method on a route, a body over the
    // limit, a media type; GraphiQL (development), which has its own, relaxed policy.
    let graphql = format!("{url}/graphql");
    let typename = json!({ "query": "{ __typename }" });
    let too_big = vec![b' '; 2 << 20];
    for (what, request, status, csp) in [
        (
            "GET /graphql",
            http.get(&graphql).query(&[("query", "{ __typename }")]),
            200,
            CONSOLE_CSP,
        ),
        (
            "POST /graphql",
            http.post(&graphql).json(&typename),
            200,
            CONSOLE_CSP,
        ),
        (
            "GET mutation",
            http.get(&graphql)
                .query(&[("query", "mutation { logout }")]),
            405,
            CONSOLE_CSP,
        ),
        ("DELETE /graphql", http.delete(&graphql), 405, CONSOLE_CSP),
        (
            "oversized body",
            // The server answers before reading the body and closes the connection: the client
            // must not hand that connection to the next request.
            http.post(&graphql)
                .header("content-type", "application/json")
                .header("connection", "close")
                .body(too_big),
            413,
            CONSOLE_CSP,
        ),
        (
            "text/plain",
            http.post(&graphql)
                .header("content-type", "text/plain")
                .body("{}"),
            415,
            CONSOLE_CSP,
        ),
        (
            "/graphiql",
            http.get(format!("{url}/graphiql")),
            200,
            GRAPHIQL_CSP,
        ),
    ] {
        let resp = request.send().await.expect(what);
        assert_eq!(resp.status().as_u16(), status, "{what}");
        assert_security_headers(&resp, what, csp, false);
    }

    // Without a console, unknown paths are 404s, with the headers too; production adds HSTS.
    let (mut config, dir) = fresh_config(Backend::Sqlite).await;
    config.profile = Profile::Production;
    config.web_dir = dir.as_ref().expect("dir").path().join("no-console");
    let prod = TestApp::spawn_with(config, dir, Topology::AllInOne).await;
    for path in ["/", "/casi", "/graphiql"] {
        let resp = http
            .get(format!("{}{path}", prod.url))
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status().as_u16(), 404, "{path}");
        assert_security_headers(&resp, path, CONSOLE_CSP, true);
    }
    let post = http
        .post(format!("{}/graphql", prod.url))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("post");
    assert_security_headers(&post, "production POST /graphql", CONSOLE_CSP, true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_stay_off_the_public_port_in_production() {
    let http = reqwest::Client::new();
    let status = |url: String| {
        let http = http.clone();
        async move { http.get(url).send().await.expect("get").status().as_u16() }
    };
    // Development without an admin listener: on the public port (the tests read it there).
    let dev = TestApp::spawn(Backend::Sqlite, Topology::AllInOne).await;
    assert_eq!(status(format!("{}/metrics", dev.url)).await, 200);

    // Production without an admin listener: nowhere.
    let (mut config, dir) = fresh_config(Backend::Sqlite).await;
    config.profile = Profile::Production;
    let prod = TestApp::spawn_with(config, dir, Topology::AllInOne).await;
    assert_eq!(status(format!("{}/metrics", prod.url)).await, 404);
    assert_eq!(status(format!("{}/readyz", prod.url)).await, 200);

    // With an admin listener: there only, in any profile.
    for profile in [Profile::Development, Profile::Production] {
        let (mut config, _dir) = fresh_config(Backend::Sqlite).await;
        config.profile = profile;
        config.admin_listen = Some("127.0.0.1:0".into());
        let built = sportello::build_app(&config, &sportello::Role::ALL)
            .await
            .expect("build");
        let public = serve(built.public).await;
        let admin = serve(built.admin.expect("an admin router")).await;
        assert_eq!(
            status(format!("{public}/metrics")).await,
            404,
            "{profile:?}"
        );
        let metrics = http
            .get(format!("{admin}/metrics"))
            .send()
            .await
            .expect("metrics");
        assert_eq!(metrics.status().as_u16(), 200);
        assert_eq!(
            metrics.headers()["x-content-type-options"],
            "nosniff",
            "the admin listener has the headers too"
        );
        for path in ["/healthz", "/readyz"] {
            assert_eq!(status(format!("{public}{path}")).await, 200, "{path}");
            assert_eq!(status(format!("{admin}{path}")).await, 200, "{path}");
        }
        assert_eq!(status(format!("{admin}/graphql")).await, 404);
    }
}

async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(sportello::serve(router, listener, std::future::pending()));
    format!("http://{addr}")
}

/// A GraphQL POST without a cookie store; returns the `Set-Cookie` values and the body.
async fn post(
    url: &str,
    query: &str,
    variables: Value,
    session: Option<(&str, &str)>,
) -> (Vec<String>, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some((cookie, csrf)) = session {
        req = req.header("cookie", cookie).header("x-csrf-token", csrf);
    }
    let resp = req.send().await.expect("request");
    let cookies = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    (cookies, resp.json().await.expect("json"))
}

/// Name and attributes of a `Set-Cookie` value, without its value, `Max-Age` and `Expires`.
fn attributes(set_cookie: &str) -> (String, Vec<String>) {
    let mut parts = set_cookie.split(';').map(str::trim);
    let name = parts
        .next()
        .and_then(|p| p.split_once('='))
        .map(|(n, _)| n.to_owned())
        .unwrap_or_default();
    let mut attrs: Vec<String> = parts
        .filter(|p| {
            let p = p.to_ascii_lowercase();
            !p.starts_with("max-age") && !p.starts_with("expires")
        })
        .map(str::to_owned)
        .collect();
    attrs.sort();
    (name, attrs)
}

/// The name and attributes of each `Set-Cookie` value.
fn all_attributes(set_cookies: &[String]) -> Vec<(String, Vec<String>)> {
    set_cookies.iter().map(|c| attributes(c)).collect()
}

fn cookie_header(set_cookies: &[String]) -> String {
    set_cookies
        .iter()
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_cookies_mirror_the_sign_in_cookies_in_production() {
    let (mut config, dir) = fresh_config(Backend::Sqlite).await;
    config.profile = Profile::Production;
    let app = TestApp::spawn_with(config, dir, Topology::AllInOne).await;
    let url = app.url.as_str();
    let login = "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { csrfToken } }";
    let (signed_in, body) = post(
        url,
        login,
        json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
        None,
    )
    .await;
    assert_eq!(signed_in.len(), 2, "{signed_in:?}");
    let expected = all_attributes(&signed_in);
    for (name, attrs) in &expected {
        assert!(attrs.iter().any(|a| a == "Secure"), "{name}: {attrs:?}");
        assert!(
            attrs.iter().any(|a| a.starts_with("SameSite=")),
            "{name}: {attrs:?}"
        );
    }
    let csrf = body["data"]["login"]["csrfToken"]
        .as_str()
        .expect("csrf")
        .to_owned();
    let cookie = cookie_header(&signed_in);

    // Accepting an invitation and changing a password set the same cookies.
    let (_, created) = post(
        url,
        "mutation { createTenant(input: {name: \"Alfa\", kind: CONSORTIUM, adminEmail: \"admin@alfa.example.org\"}) { adminInvitation { token } } }",
        json!({}),
        Some((&cookie, &csrf)),
    )
    .await;
    let token = created["data"]["createTenant"]["adminInvitation"]["token"]
        .as_str()
        .expect("token");
    let (accepted, body) = post(
        url,
        "mutation($t: String!) { acceptInvitation(input: {token: $t, password: \"Piazza-Grande-2026\", displayName: \"Admin\"}) { csrfToken } }",
        json!({ "t": token }),
        None,
    )
    .await;
    assert!(body.get("errors").is_none(), "{body}");
    let accepted_attrs = all_attributes(&accepted);
    assert_eq!(accepted_attrs, expected);
    let (changed, body) = post(
        url,
        "mutation { changePassword(input: {currentPassword: \"Piazza-Grande-2026\", newPassword: \"Campo-dei-Miracoli-2027\"}) { csrfToken } }",
        json!({}),
        Some((
            &cookie_header(&accepted),
            body["data"]["acceptInvitation"]["csrfToken"]
                .as_str()
                .expect("csrf"),
        )),
    )
    .await;
    assert!(body.get("errors").is_none(), "{body}");
    let changed_attrs = all_attributes(&changed);
    assert_eq!(changed_attrs, expected);

    let (cleared, body) = post(
        url,
        "mutation { logout }",
        json!({}),
        Some((&cookie, &csrf)),
    )
    .await;
    assert_eq!(body["data"]["logout"], true, "{body}");
    let cleared_attrs = all_attributes(&cleared);
    assert_eq!(cleared_attrs, expected, "{cleared:?}");
    for c in &cleared {
        assert!(c.contains("Max-Age=0"), "{c}");
    }
}
