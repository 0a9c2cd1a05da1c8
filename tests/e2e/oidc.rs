//! Sign-in through a tenant's OpenID provider, against a real one: the `oidc-provider` package in
//! a small Node script (`web/e2e/oidc/provider.mjs`, its packages installed by `scripts/test`
//! with the console's). Two tenants, two providers: one authenticates Sportello with its client
//! secret and gives the e-mail through UserInfo only, the other authenticates it with
//! `private_key_jwt` and puts the e-mail in the ID token.

use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use crate::helpers::*;

/// A running OpenID provider.
struct Provider {
    child: Option<Child>,
    port: u16,
    clients: Value,
    accounts: Value,
    /// The e-mail in the ID token too (else from UserInfo only).
    claims_in_id_token: bool,
    issuer: String,
    /// The relying party's private key (PEM) and its `kid`, registered for private_key_jwt.
    rp_key: (String, String),
}

impl Provider {
    async fn start(clients: Value, accounts: Value, claims_in_id_token: bool) -> Provider {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .expect("address")
            .port();
        let mut p = Provider {
            child: None,
            port,
            clients,
            accounts,
            claims_in_id_token,
            issuer: String::new(),
            rp_key: (String::new(), String::new()),
        };
        p.restart().await;
        p
    }

    /// (Re)starts it on its port; every start signs with a new key (a rotation).
    async fn restart(&mut self) {
        self.stop();
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../web/e2e/oidc/provider.mjs"
        );
        let mut child = Command::new("node")
            .arg(script)
            .env("OIDC_PORT", self.port.to_string())
            .env("OIDC_CLIENTS", self.clients.to_string())
            .env("OIDC_ACCOUNTS", self.accounts.to_string())
            .env(
                "OIDC_CLAIMS_IN_ID_TOKEN",
                if self.claims_in_id_token { "1" } else { "0" },
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs the test OpenID provider (web/node_modules installed)");
        let stdout = child.stdout.take().expect("stdout");
        let line = tokio::task::spawn_blocking(move || {
            use std::io::BufRead;
            let mut line = String::new();
            std::io::BufReader::new(stdout).read_line(&mut line).ok();
            line
        })
        .await
        .expect("reader");
        let ready: Value = serde_json::from_str(&line)
            .unwrap_or_else(|_| panic!("provider did not start: {line:?}"));
        self.issuer = ready["issuer"].as_str().expect("issuer").to_owned();
        self.rp_key = (
            ready["rpKey"]["pem"].as_str().expect("pem").to_owned(),
            ready["rpKey"]["kid"].as_str().expect("kid").to_owned(),
        );
        self.child = Some(child);
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().ok();
            c.wait().ok();
        }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A browser: cookies kept, redirects followed by hand, a new connection per request (the test
/// provider's Node server closes a kept-alive connection after its login form's answer).
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn location(base: &str, response: &reqwest::Response) -> String {
    let loc = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no Location ({})", response.status()))
        .to_owned();
    if loc.starts_with("http") {
        loc
    } else {
        let origin: String = base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        format!("{origin}{loc}")
    }
}

/// Starts a sign-in at `tenant`'s start address and follows it to the provider's login form;
/// returns the form's action.
async fn to_login_form(app: &TestApp, b: &reqwest::Client, tenant: &str) -> String {
    let start = format!("{}/auth/oidc/{tenant}/start", app.url);
    let mut url = start.clone();
    for _ in 0..6 {
        let r = b.get(&url).send().await.expect("get");
        if r.status().is_redirection() {
            url = location(&url, &r);
            continue;
        }
        let html = r.text().await.expect("html");
        let action = html
            .split("action=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("no login form at {url}: {html}"));
        let origin: String = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        return format!("{origin}{action}");
    }
    panic!("too many redirects from {start}");
}

/// Posts the login form and follows the provider's redirects to Sportello's callback; returns
/// the callback address (not yet called).
async fn login_at_provider(b: &reqwest::Client, action: &str, login: &str) -> String {
    let r = b
        .post(action)
        .form(&[("login", login), ("password", "any")])
        .send()
        .await
        .expect("post");
    assert!(r.status().is_redirection(), "login refused: {}", r.status());
    let mut url = location(action, &r);
    for _ in 0..6 {
        if url.contains("/auth/oidc/callback") {
            return url;
        }
        let r = b.get(&url).send().await.expect("get");
        assert!(r.status().is_redirection(), "{url}: {}", r.status());
        url = location(&url, &r);
    }
    panic!("the provider never sent the browser back");
}

/// Calls the callback; returns where Sportello sends the browser.
async fn finish(b: &reqwest::Client, callback: &str) -> String {
    let r = b.get(callback).send().await.expect("callback");
    assert_eq!(r.status(), 303, "callback answered {}", r.status());
    r.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

async fn viewer(app: &TestApp, b: &reqwest::Client) -> Value {
    b.post(format!("{}/graphql", app.url))
        .json(&json!({ "query": "{ viewer { user { email } activeTenant { id } } }" }))
        .send()
        .await
        .expect("graphql")
        .json::<Value>()
        .await
        .expect("json")["data"]["viewer"]
        .clone()
}

/// The browser's sessions (`viewer.sessions`) and its CSRF token.
async fn sessions_of(app: &TestApp, b: &reqwest::Client) -> (Vec<Value>, String) {
    let v = b
        .post(format!("{}/graphql", app.url))
        .json(&json!({ "query": "{ viewer { csrfToken sessions { method current } } }" }))
        .send()
        .await
        .expect("graphql")
        .json::<Value>()
        .await
        .expect("json");
    let sessions = v["data"]["viewer"]["sessions"].as_array().cloned();
    let csrf = v["data"]["viewer"]["csrfToken"].as_str().map(str::to_owned);
    (
        sessions.unwrap_or_else(|| panic!("no sessions: {v}")),
        csrf.expect("csrf"),
    )
}

/// Follows the provider's end-session address: confirms the logout on its page and returns
/// where the provider sends the browser.
async fn provider_logout(b: &reqwest::Client, url: &str) -> String {
    let r = b.get(url).send().await.expect("end session");
    assert!(r.status().is_success(), "end session: {}", r.status());
    let html = r.text().await.expect("html");
    let attr = |name: &str, after: &str| {
        html.split(after)
            .nth(1)
            .and_then(|s| s.split(&format!("{name}=\"")).nth(1))
            .and_then(|s| s.split('"').next())
            .map(str::to_owned)
    };
    let action = attr("action", "<form").unwrap_or_else(|| panic!("no form: {html}"));
    let xsrf = attr("value", "name=\"xsrf\"").unwrap_or_else(|| panic!("no xsrf: {html}"));
    let origin: String = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    let action = if action.starts_with("http") {
        action
    } else {
        format!("{origin}{action}")
    };
    let r = b
        .post(&action)
        .form(&[("xsrf", xsrf.as_str()), ("logout", "yes")])
        .send()
        .await
        .expect("confirm");
    assert!(r.status().is_redirection(), "confirm: {}", r.status());
    location(&action, &r)
}

async fn sign_in(app: &TestApp, tenant: &str, login: &str) -> (reqwest::Client, String) {
    let b = browser();
    let action = to_login_form(app, &b, tenant).await;
    let callback = login_at_provider(&b, &action, login).await;
    let to = finish(&b, &callback).await;
    (b, to)
}

async fn invited_staff_sign_in_through_their_tenants_provider(
    backend: Backend,
    topology: Topology,
) {
    let app = TestApp::spawn(backend, topology).await;
    let (a, b) = seed_alfa_and_beta(&app).await;
    let redirect = format!("{}/auth/oidc/callback", app.url);
    let mut alfa_idp = Provider::start(
        json!([{ "client_id": "sportello-alfa", "client_secret": "alfa-client-secret-0123456789", "auth": "client_secret_basic", "redirect_uris": [redirect], "post_logout_redirect_uris": [format!("{}/accesso", app.url)] }]),
        json!({
            "mediatrice": { "sub": "alfa-m-1", "email": "mediatrice@alfa.example.org" },
            "stranger": { "sub": "alfa-s-1", "email": "stranger@alfa.example.org" },
            "unverified": { "sub": "alfa-u-1", "email": "pending@alfa.example.org", "email_verified": false },
            "outsider": { "sub": "alfa-o-1", "email": "mediatore@elsewhere.example.com" },
        }),
        false,
    )
    .await;
    let beta_idp = Provider::start(
        json!([{ "client_id": "sportello-beta", "auth": "private_key_jwt", "redirect_uris": [redirect] }]),
        json!({ "luca": { "sub": "beta-l-1", "email": "luca@beta.example.org" } }),
        true,
    )
    .await;
    let set = "mutation($i: SetOidcProviderInput!) { setOidcProvider(input: $i) { issuer authMethod signInPath version } }";
    let alfa_cfg = a
        .admin
        .ok(set, json!({ "i": {
            "issuer": alfa_idp.issuer, "clientId": "sportello-alfa", "authMethod": "CLIENT_SECRET_BASIC",
            "clientSecret": "alfa-client-secret-0123456789", "allowedDomains": ["alfa.example.org"],
        } }))
        .await;
    assert_eq!(
        alfa_cfg["setOidcProvider"]["signInPath"],
        format!("/auth/oidc/{}/start", a.tenant_id)
    );
    b.admin
        .ok(set, json!({ "i": {
            "issuer": beta_idp.issuer, "clientId": "sportello-beta", "authMethod": "PRIVATE_KEY_JWT",
            "privateKeyPem": beta_idp.rp_key.0, "keyId": beta_idp.rp_key.1,
        } }))
        .await;
    // The secret is never read back; the other tenant sees only its own provider.
    let mine = a
        .admin
        .ok("{ oidcProvider { issuer clientId authMethod } }", json!({}))
        .await;
    assert_eq!(mine["oidcProvider"]["issuer"], alfa_idp.issuer);
    assert!(!mine.to_string().contains("alfa-client-secret"));
    let theirs = b.admin.ok("{ oidcProvider { issuer } }", json!({})).await;
    assert_eq!(theirs["oidcProvider"]["issuer"], beta_idp.issuer);
    a.admin
        .invite(json!({ "email": "mediatrice@alfa.example.org", "roles": ["OPERATOR"] }))
        .await;
    b.admin
        .invite(json!({ "email": "luca@beta.example.org", "roles": ["OPERATOR"] }))
        .await;

    // The invited e-mail's first sign-in accepts the invitation and opens a session in Alfa.
    let (browser_m, to) = sign_in(&app, &a.tenant_id, "mediatrice").await;
    assert_eq!(to, "/");
    let v = viewer(&app, &browser_m).await;
    assert_eq!(v["user"]["email"], "mediatrice@alfa.example.org");
    assert_eq!(v["activeTenant"]["id"], a.tenant_id);
    // And again, through the identity now linked.
    let (again, _) = sign_in(&app, &a.tenant_id, "mediatrice").await;
    assert_eq!(
        viewer(&app, &again).await["user"]["email"],
        "mediatrice@alfa.example.org"
    );
    // The session is listed as opened through the provider; signing out gives the provider's
    // end-session address (RP-Initiated Logout), where the browser ends its provider session
    // and comes back to the sign-in page.
    let (listed, csrf) = sessions_of(&app, &again).await;
    assert!(
        listed
            .iter()
            .any(|s| s["current"] == true && s["method"] == "OIDC"),
        "{listed:?}"
    );
    let out = again
        .post(format!("{}/graphql", app.url))
        .header("x-csrf-token", csrf)
        .json(&json!({ "query": "mutation { signOut { ended providerLogoutUrl } }" }))
        .send()
        .await
        .expect("sign out")
        .json::<Value>()
        .await
        .expect("json");
    assert_eq!(out["data"]["signOut"]["ended"], true, "{out}");
    let logout = out["data"]["signOut"]["providerLogoutUrl"]
        .as_str()
        .unwrap_or_else(|| panic!("no provider logout: {out}"))
        .to_owned();
    let back = format!("{}/accesso", app.url);
    let parsed = reqwest::Url::parse(&logout).expect("url");
    assert!(logout.starts_with(&alfa_idp.issuer), "{logout}");
    let query: std::collections::HashMap<String, String> =
        parsed.query_pairs().into_owned().collect();
    assert_eq!(
        query.get("client_id").map(String::as_str),
        Some("sportello-alfa")
    );
    assert_eq!(query.get("post_logout_redirect_uri"), Some(&back));
    assert!(viewer(&app, &again).await.is_null());
    assert_eq!(provider_logout(&again, &logout).await, back);
    // Signed out at the provider too: the next start asks for the login form again.
    let action = to_login_form(&app, &again, &a.tenant_id).await;
    assert!(action.starts_with(&alfa_idp.issuer), "{action}");
    // A session a tenant's provider opened stays in that tenant.
    let switched = browser_m
        .post(format!("{}/graphql", app.url))
        .json(&json!({ "query": "mutation($t: ID!) { switchTenant(tenantId: $t) { activeTenant { id } } }", "variables": { "t": b.tenant_id } }))
        .send()
        .await
        .expect("switch")
        .json::<Value>()
        .await
        .expect("json");
    assert!(switched["errors"].is_array(), "{switched}");

    // Beta's provider authenticates Sportello with private_key_jwt.
    let (browser_l, to) = sign_in(&app, &b.tenant_id, "luca").await;
    assert_eq!(to, "/");
    let v = viewer(&app, &browser_l).await;
    assert_eq!(v["user"]["email"], "luca@beta.example.org");
    assert_eq!(v["activeTenant"]["id"], b.tenant_id);

    // Refusals end on the sign-in page with a reason, and open no session.
    let (s, to) = sign_in(&app, &a.tenant_id, "stranger").await;
    assert_eq!(to, "/accesso?oidcError=NOT_INVITED");
    assert!(viewer(&app, &s).await.is_null());
    // An address outside the tenant's domains is refused even when invited.
    a.admin
        .invite(json!({ "email": "mediatore@elsewhere.example.com", "roles": ["OPERATOR"] }))
        .await;
    let (s, to) = sign_in(&app, &a.tenant_id, "outsider").await;
    assert_eq!(to, "/accesso?oidcError=IDENTITY_NOT_ACCEPTED");
    assert!(viewer(&app, &s).await.is_null());
    let (s, to) = sign_in(&app, &a.tenant_id, "unverified").await;
    assert_eq!(to, "/accesso?oidcError=IDENTITY_NOT_ACCEPTED");
    assert!(viewer(&app, &s).await.is_null());

    // A tampered state, a callback in another browser and a replayed callback are refused.
    let tampered = browser();
    let action = to_login_form(&app, &tampered, &a.tenant_id).await;
    let callback = login_at_provider(&tampered, &action, "mediatrice").await;
    let elsewhere = browser();
    assert_eq!(
        finish(&elsewhere, &callback).await,
        "/accesso?oidcError=IDENTITY_NOT_ACCEPTED"
    );
    let bad = callback.replace("state=", "state=x");
    assert_eq!(
        finish(&tampered, &bad).await,
        "/accesso?oidcError=IDENTITY_NOT_ACCEPTED"
    );
    assert!(viewer(&app, &tampered).await.is_null());
    // A refused callback ends the flow in that browser too.
    assert_eq!(
        finish(&tampered, &callback).await,
        "/accesso?oidcError=IDENTITY_NOT_ACCEPTED"
    );
    let once = browser();
    let action = to_login_form(&app, &once, &a.tenant_id).await;
    let callback = login_at_provider(&once, &action, "mediatrice").await;
    assert_eq!(finish(&once, &callback).await, "/");
    let replay = once
        .get(&callback)
        .header(
            "cookie",
            format!(
                "sportello_oidc={}",
                callback
                    .split("state=")
                    .nth(1)
                    .and_then(|s| s.split('&').next())
                    .expect("state")
            ),
        )
        .send()
        .await
        .expect("replay");
    assert_eq!(
        replay.headers()["location"],
        "/accesso?oidcError=IDENTITY_NOT_ACCEPTED"
    );

    // Beta's code cannot finish Alfa's flow: the two providers do not sign into each other.
    let alfa_flow = browser();
    let action = to_login_form(&app, &alfa_flow, &a.tenant_id).await;
    let alfa_callback = login_at_provider(&alfa_flow, &action, "mediatrice").await;
    let beta_flow = browser();
    let action = to_login_form(&app, &beta_flow, &b.tenant_id).await;
    let beta_callback = login_at_provider(&beta_flow, &action, "luca").await;
    let beta_code = beta_callback
        .split("code=")
        .nth(1)
        .and_then(|c| c.split('&').next())
        .expect("code");
    let alfa_code = alfa_callback
        .split("code=")
        .nth(1)
        .and_then(|c| c.split('&').next())
        .expect("code");
    let crossed = alfa_callback.replace(alfa_code, beta_code);
    assert_eq!(
        finish(&alfa_flow, &crossed).await,
        "/accesso?oidcError=IDENTITY_NOT_ACCEPTED"
    );
    assert!(viewer(&app, &alfa_flow).await.is_null());

    // The provider rotates its signing key: the next sign-in reads its keys again.
    alfa_idp.restart().await;
    let (rotated, to) = sign_in(&app, &a.tenant_id, "mediatrice").await;
    assert_eq!(to, "/");
    assert_eq!(
        viewer(&app, &rotated).await["user"]["email"],
        "mediatrice@alfa.example.org"
    );

    // Without a provider, the start refuses; a bad configuration names its fields.
    let refused = a
        .admin
        .gql(set, json!({ "i": { "issuer": "http://login.example.org", "clientId": "x y", "authMethod": "PRIVATE_KEY_JWT", "privateKeyPem": "not a key", "allowedDomains": ["not a domain"] } }))
        .await;
    let fields: Vec<String> = refused["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|x| x["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for f in [
        "issuer",
        "clientId",
        "privateKeyPem",
        "keyId",
        "allowedDomains",
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} not named: {refused}");
    }
    a.admin
        .ok("mutation { removeOidcProvider }", json!({}))
        .await;
    let b2 = browser();
    let r = b2
        .get(format!("{}/auth/oidc/{}/start", app.url, a.tenant_id))
        .send()
        .await
        .expect("start");
    assert_eq!(r.headers()["location"], "/accesso?oidcError=NOT_FOUND");
}
crate::on_backends!(invited_staff_sign_in_through_their_tenants_provider);
