//! Sign-in rate limits behind a reverse proxy: the client address comes from `X-Forwarded-For`
//! (or `Forwarded`) only when the peer is a trusted proxy, so the failures of one client behind
//! the proxy lock out that client alone; an untrusted peer's forwarding headers change nothing.

use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp, Topology, code, fresh_config};
use crate::on_backends;

const LOGIN: &str = "mutation($email: String!, $password: String!) { login(input: {email: $email, password: $password}) { user { email } } }";

/// A sign-in that carries a forwarding header, as a proxy would send it.
async fn login_via(app: &TestApp, header: (&str, &str), email: &str, password: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{}/graphql", app.url))
        .header(header.0, header.1)
        .json(&json!({ "query": LOGIN, "variables": { "email": email, "password": password } }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json body")
}

/// The platform administrator's sign-in, with the right password, through a proxy.
async fn admin_login_via(app: &TestApp, header: (&str, &str)) -> Value {
    login_via(app, header, ADMIN_EMAIL, ADMIN_PASSWORD).await
}

/// Fails sign-in as many times as the address allows, each time with another unknown account
/// (so the per-account limit never trips first), from the address `from` gives for each attempt.
async fn exhaust_address_limit(app: &TestApp, from: impl Fn(u64) -> (String, String)) {
    let max = app.config.login_max_failures_per_address;
    for i in 0..max {
        let (name, value) = from(i);
        let resp = login_via(
            app,
            (&name, &value),
            &format!("nobody-{i}@example.org"),
            "Wrong-Password-2026",
        )
        .await;
        assert_eq!(code(&resp).as_deref(), Some("UNAUTHENTICATED"), "{resp}");
    }
}

async fn a_trusted_proxy_forwards_the_client_address(backend: Backend, topology: Topology) {
    let (mut config, dir) = fresh_config(backend).await;
    config.trusted_proxies = vec!["127.0.0.1".into(), "::1".into()];
    let app = TestApp::spawn_with(config, dir, topology).await;
    let xff = |v: &str| ("x-forwarded-for".to_owned(), v.to_owned());
    exhaust_address_limit(&app, |_| xff("198.51.100.1")).await;

    // That forwarded address is locked out, even with the right password…
    let locked = admin_login_via(&app, ("x-forwarded-for", "198.51.100.1")).await;
    assert_eq!(code(&locked).as_deref(), Some("RATE_LIMITED"), "{locked}");
    // …and prepending another address to the header does not escape it: the proxy appended the
    // real one on the right.
    let prepended = admin_login_via(&app, ("x-forwarded-for", "203.0.113.2, 198.51.100.1")).await;
    assert_eq!(
        code(&prepended).as_deref(),
        Some("RATE_LIMITED"),
        "{prepended}"
    );

    // Another client behind the same proxy signs in.
    let other = admin_login_via(&app, ("x-forwarded-for", "203.0.113.2")).await;
    assert_eq!(
        other["data"]["login"]["user"]["email"], ADMIN_EMAIL,
        "{other}"
    );
    let chained = admin_login_via(&app, ("x-forwarded-for", "203.0.113.3, 127.0.0.1")).await;
    assert!(chained.get("errors").is_none(), "{chained}");
}

on_backends!(a_trusted_proxy_forwards_the_client_address);

async fn an_untrusted_peer_cannot_rotate_its_address(backend: Backend, topology: Topology) {
    let app = TestApp::spawn(backend, topology).await;
    assert!(app.config.trusted_proxies.is_empty());
    // Each attempt claims another address, in either header; all count against the peer.
    exhaust_address_limit(&app, |i| {
        if i % 2 == 0 {
            ("x-forwarded-for".into(), format!("198.51.100.{i}"))
        } else {
            ("forwarded".into(), format!("for=198.51.100.{i}"))
        }
    })
    .await;
    for header in [
        ("x-forwarded-for", "203.0.113.2"),
        ("forwarded", "for=203.0.113.2"),
    ] {
        let resp = admin_login_via(&app, header).await;
        assert_eq!(code(&resp).as_deref(), Some("RATE_LIMITED"), "{resp}");
    }
}

on_backends!(an_untrusted_peer_cannot_rotate_its_address);

async fn a_trusted_proxy_speaking_rfc_7239_is_read_when_configured(
    backend: Backend,
    topology: Topology,
) {
    let (mut config, dir) = fresh_config(backend).await;
    config.trusted_proxies = vec!["127.0.0.0/8".into()];
    config.trusted_proxy_header = sportello::config::ProxyHeader::Forwarded;
    config.login_max_failures_per_address = 3;
    let app = TestApp::spawn_with(config, dir, topology).await;
    exhaust_address_limit(&app, |_| {
        (
            "forwarded".into(),
            "for=\"[2001:db8::1]:4711\";proto=https".into(),
        )
    })
    .await;
    let locked = admin_login_via(&app, ("forwarded", "for=2001:db8::1")).await;
    assert_eq!(code(&locked).as_deref(), Some("RATE_LIMITED"), "{locked}");
    // X-Forwarded-For is not the configured header: it names nobody.
    let ignored = admin_login_via(&app, ("x-forwarded-for", "203.0.113.2")).await;
    assert!(ignored.get("errors").is_none(), "{ignored}");
    let other = admin_login_via(&app, ("forwarded", "for=203.0.113.2")).await;
    assert!(other.get("errors").is_none(), "{other}");
}

on_backends!(a_trusted_proxy_speaking_rfc_7239_is_read_when_configured:
    sqlite => (Backend::Sqlite, Topology::AllInOne),
    sqlite_distributed => (Backend::Sqlite, Topology::Distributed),
);
