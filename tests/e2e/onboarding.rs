//! Onboarding end to end: platform administrator → tenant → invitation → tenant administrator →
//! municipalities (ISTAT validated) → desks and places → staff invitation accepted → the operator
//! signs in with the right role. Bad input on the way gets typed errors and changes nothing.

use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, Topology, code, field};
use crate::on_backends;

async fn count(client: &Client, list: &str) -> usize {
    let data = client
        .ok(
            &format!("{{ {list}(first: 100) {{ edges {{ node {{ id }} }} }} }}"),
            json!({}),
        )
        .await;
    data[list]["edges"].as_array().map_or(0, Vec::len)
}

async fn add_territory(client: &Client, code: &str, name: &str) -> Value {
    client
        .gql(
            "mutation($i: AddTerritoryInput!) { addTerritory(input: $i) { id istatCode name } }",
            json!({ "i": { "istatCode": code, "name": name } }),
        )
        .await
}

async fn onboarding_from_platform_to_operator(backend: Backend, topology: Topology) {
    let app = TestApp::spawn(backend, topology).await;
    let platform = app.platform_admin().await;

    // Only the platform administrator creates tenants.
    let created = platform
        .ok(
            "mutation { createTenant(input: {name: \"Consorzio Valdera\", kind: CONSORTIUM, adminEmail: \"Admin@Valdera.example.org\"}) \
               { tenant { id name kind } adminInvitation { token invitation { email roles status } } } }",
            json!({}),
        )
        .await;
    let invitation = &created["createTenant"]["adminInvitation"];
    assert_eq!(
        invitation["invitation"]["email"],
        "admin@valdera.example.org"
    );
    assert_eq!(invitation["invitation"]["roles"], json!(["TENANT_ADMIN"]));
    assert_eq!(invitation["invitation"]["status"], "PENDING");
    let tenants = platform
        .ok("{ tenants { edges { node { name } } } }", json!({}))
        .await;
    assert_eq!(
        tenants["tenants"]["edges"][0]["node"]["name"],
        "Consorzio Valdera"
    );

    // The administrator accepts; a weak password is refused and the invitation stays usable.
    let token = invitation["token"].as_str().expect("token");
    let mut admin = app.client();
    let weak = admin.accept(token, "short", "Anna Rossi").await;
    assert_eq!(
        (code(&weak).as_deref(), field(&weak).as_deref()),
        (Some("INVALID_INPUT"), Some("password"))
    );
    let accepted = admin
        .accept(token, "Colline-Pisane-2026", "Anna Rossi")
        .await;
    assert_eq!(
        accepted["data"]["acceptInvitation"]["roles"],
        json!(["TENANT_ADMIN"]),
        "{accepted}"
    );
    assert_eq!(
        accepted["data"]["acceptInvitation"]["activeTenant"]["id"],
        created["createTenant"]["tenant"]["id"]
    );
    // Single use.
    let reused = app
        .client()
        .accept(token, "Colline-Pisane-2026", "Anna Rossi")
        .await;
    assert_eq!(code(&reused).as_deref(), Some("CONFLICT"), "{reused}");
    // A tenant administrator cannot create tenants.
    admin.refused(
        "mutation { createTenant(input: {name: \"X\", kind: MUNICIPALITY, adminEmail: \"x@x.example.org\"}) { tenant { id } } }",
        json!({}),
        "FORBIDDEN",
    )
    .await;

    // Municipalities, ISTAT validated; a malformed code changes nothing.
    for bad in ["5002", "050A26", "000026", "050000", "1050026"] {
        let resp = add_territory(&admin, bad, "Pontedera").await;
        assert_eq!(
            (code(&resp).as_deref(), field(&resp).as_deref()),
            (Some("INVALID_INPUT"), Some("istatCode")),
            "{bad}: {resp}"
        );
    }
    assert_eq!(count(&admin, "territories").await, 0);
    let pontedera = add_territory(&admin, "050029", "Pontedera").await;
    let pontedera_id = pontedera["data"]["addTerritory"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    add_territory(&admin, "050005", "Capannoli").await;
    let twice = add_territory(&admin, "050029", "Pontedera").await;
    assert_eq!(field(&twice).as_deref(), Some("istatCode"));
    assert_eq!(count(&admin, "territories").await, 2);
    assert_eq!(
        admin
            .edges(
                "{ territories(nameContains: \"ponte\") { edges { node { istatCode } } } }",
                json!({}),
            )
            .await,
        json!([{ "node": { "istatCode": "050029" } }])
    );

    // Desks and places.
    let desk = admin
        .ok(
            "mutation($t: ID!) { addDesk(input: {territoryId: $t, name: \"Sportello Pontedera\", kind: DIFFUSE, languages: [\"it\", \"AR\", \"ro\"], openingHours: \"mar 9-13\"}) { id kind languages territory { istatCode } } }",
            json!({ "t": pontedera_id }),
        )
        .await;
    assert_eq!(desk["addDesk"]["languages"], json!(["it", "ar", "ro"]));
    assert_eq!(desk["addDesk"]["territory"]["istatCode"], "050029");
    let desk_id = desk["addDesk"]["id"].as_str().expect("desk id");
    admin.refused_on(
        "mutation($t: ID!) { addDesk(input: {territoryId: $t, name: \"X\", kind: FIXED, languages: [\"arabic\"]}) { id } }",
        json!({ "t": pontedera_id }),
        "languages",
    )
    .await;
    assert_eq!(count(&admin, "desks").await, 1);
    let place = admin
        .ok("mutation($d: ID!) { addPlace(input: {deskId: $d, name: \"Biblioteca comunale\", kind: LIBRARY}) { desk { name } } }", json!({ "d": desk_id }))
        .await;
    assert_eq!(place["addPlace"]["desk"]["name"], "Sportello Pontedera");

    // Staff: an operator limited to Pontedera.
    admin.refused_on(
        "mutation { inviteUser(input: {email: \"op@valdera.example.org\", roles: [OPERATOR], territories: [\"001001\"]}) { token } }",
        json!({}),
        "territories",
    )
    .await;
    let issued = admin
        .ok("mutation { inviteUser(input: {email: \"op@valdera.example.org\", roles: [OPERATOR], territories: [\"050029\"]}) { token invitation { status } } }", json!({}))
        .await;
    let pending = "{ invitations(pendingOnly: true) { edges { node { email } } } }";
    assert_eq!(
        admin.edges(pending, json!({})).await,
        json!([{ "node": { "email": "op@valdera.example.org" } }])
    );
    let op_token = issued["inviteUser"]["token"].as_str().expect("token");
    app.member(op_token, "Fiume-Era-2026-op", "Luca Verdi")
        .await;
    assert_eq!(admin.edges(pending, json!({})).await, json!([]));

    // The operator signs in with the right role and limits.
    let mut fresh = app.client();
    let login = fresh
        .login("op@valdera.example.org", "Fiume-Era-2026-op")
        .await;
    assert_eq!(
        login["data"]["login"]["roles"],
        json!(["OPERATOR"]),
        "{login}"
    );
    let viewer = fresh
        .ok(
            "{ viewer { user { displayName } activeTenant { name } memberships { territories } } }",
            json!({}),
        )
        .await;
    assert_eq!(viewer["viewer"]["user"]["displayName"], "Luca Verdi");
    assert_eq!(
        viewer["viewer"]["activeTenant"]["name"],
        "Consorzio Valdera"
    );
    assert_eq!(
        viewer["viewer"]["memberships"][0]["territories"],
        json!(["050029"])
    );
    // An operator reads the structure but cannot change it or see staff.
    assert_eq!(count(&fresh, "desks").await, 1);
    let denied = add_territory(&fresh, "050028", "Ponsacco").await;
    assert_eq!(code(&denied).as_deref(), Some("FORBIDDEN"));
    fresh
        .refused(
            "{ memberships { edges { node { id } } } }",
            json!({}),
            "FORBIDDEN",
        )
        .await;

    // Sign out ends the session.
    assert_eq!(
        fresh.ok("mutation { logout }", json!({})).await["logout"],
        true
    );
    let after = fresh.ok("{ viewer { user { email } } }", json!({})).await;
    assert_eq!(after["viewer"], Value::Null);
}

on_backends!(onboarding_from_platform_to_operator);

async fn a_password_change_ends_the_other_sessions(backend: Backend, topology: Topology) {
    let (app, t) = crate::helpers::spawn_alfa(backend, topology).await;
    let email = "admin@alfa.example.org";
    let (old, new) = ("Piazza-Grande-2026", "Torre-del-Candeliere-2027");
    let mut here = t.admin;
    let mut elsewhere = app.client();
    assert!(
        elsewhere.login(email, old).await.get("errors").is_none(),
        "second session"
    );
    let change = "mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) { csrfToken activeTenant { name } } }";

    // Bad input is refused with the field named; nothing changes.
    for ((current, next), bad) in [
        ((old, "corta"), "newPassword"),
        (("Not-The-Password-2026", new), "currentPassword"),
        ((old, old), "newPassword"),
    ] {
        let refused = here.gql(change, json!({ "c": current, "n": next })).await;
        assert_eq!(field(&refused).as_deref(), Some(bad), "{refused}");
    }
    let no_csrf = Client {
        http: here.http.clone(),
        url: here.url.clone(),
        csrf: None,
    };
    no_csrf
        .refused(change, json!({ "c": old, "n": new }), "FORBIDDEN")
        .await;
    let still = elsewhere
        .ok("{ viewer { user { email } } }", json!({}))
        .await;
    assert_eq!(still["viewer"]["user"]["email"], email);

    // The change keeps this browser signed in (new CSRF token) and ends the other session.
    let changed = here.ok(change, json!({ "c": old, "n": new })).await;
    assert_eq!(changed["changePassword"]["activeTenant"]["name"], "Alfa");
    here.csrf = changed["changePassword"]["csrfToken"]
        .as_str()
        .map(str::to_owned);
    let mine = here.ok("{ viewer { user { email } } }", json!({})).await;
    assert_eq!(mine["viewer"]["user"]["email"], email);
    here.ok(
        "mutation($i: AddDeskInput!) { addDesk(input: $i) { id } }",
        json!({ "i": { "territoryId": t.territory, "name": "Sportello nuovo", "kind": "FIXED" } }),
    )
    .await;
    let gone = elsewhere
        .ok("{ viewer { user { email } } }", json!({}))
        .await;
    assert_eq!(gone["viewer"], Value::Null);

    // Only the new password signs in.
    let with_old = app.client().login(email, old).await;
    assert_eq!(code(&with_old).as_deref(), Some("UNAUTHENTICATED"));
    let with_new = elsewhere.login(email, new).await;
    assert!(with_new.get("errors").is_none(), "{with_new}");
}

on_backends!(a_password_change_ends_the_other_sessions);

/// Invites `email` as an operator of the tenant `admin` administers; returns the token.
async fn invite_operator(admin: &Client, email: &str) -> String {
    admin
        .ok(
            "mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }",
            json!({ "i": { "email": email, "roles": ["OPERATOR"] } }),
        )
        .await["inviteUser"]["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

async fn a_new_session_starts_in_the_tenant_the_service_chooses_and_only_wrong_passwords_count(
    backend: Backend,
    topology: Topology,
) {
    let app = TestApp::spawn(backend, topology).await;
    let platform = app.platform_admin().await;
    let alfa = crate::helpers::seed_tenant(&app, &platform, "Alfa", "052022").await;
    let beta = crate::helpers::seed_tenant(&app, &platform, "Beta", "052012").await;
    let email = "condivisa@example.org";
    let (password, next) = ("Shared-Operator-2026", "Shared-Operator-2027");
    let tenant_of = |resp: &Value, op: &str| resp["data"][op]["activeTenant"]["id"].clone();

    // Accepting an invitation starts the session in the inviting tenant, also for an account
    // that already belongs to another one.
    let mut user = app.client();
    let token = invite_operator(&alfa.admin, email).await;
    let first = user.accept(&token, password, "Condivisa").await;
    assert_eq!(tenant_of(&first, "acceptInvitation"), json!(alfa.tenant_id));
    let token = invite_operator(&beta.admin, email).await;
    let second = user.accept(&token, password, "Condivisa").await;
    assert_eq!(
        tenant_of(&second, "acceptInvitation"),
        json!(beta.tenant_id)
    );

    // Signing in starts in the oldest membership.
    let mut fresh = app.client();
    let signed_in = fresh.login(email, password).await;
    assert_eq!(tenant_of(&signed_in, "login"), json!(alfa.tenant_id));

    // Changing the password keeps the tenant the session was working in.
    let switched = fresh
        .ok(
            "mutation($id: ID!) { switchTenant(tenantId: $id) { activeTenant { id } } }",
            json!({ "id": beta.tenant_id }),
        )
        .await;
    assert_eq!(
        switched["switchTenant"]["activeTenant"]["id"],
        json!(beta.tenant_id)
    );
    let change = "mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) { csrfToken activeTenant { id } } }";
    // Refusals that prove nothing about the password (a weak new one) are not failed sign-ins.
    for _ in 0..6 {
        let weak = fresh
            .gql(change, json!({ "c": password, "n": "corta" }))
            .await;
        assert_eq!(field(&weak).as_deref(), Some("newPassword"), "{weak}");
    }
    let changed = fresh.gql(change, json!({ "c": password, "n": next })).await;
    assert_eq!(tenant_of(&changed, "changePassword"), json!(beta.tenant_id));
    fresh.csrf = changed["data"]["changePassword"]["csrfToken"]
        .as_str()
        .map(str::to_owned);

    // A wrong current password is a failed sign-in: five of them lock the account for a while,
    // so even the right one is refused.
    for _ in 0..5 {
        let wrong = fresh
            .gql(
                change,
                json!({ "c": "Not-The-Password-2026", "n": password }),
            )
            .await;
        assert_eq!(field(&wrong).as_deref(), Some("currentPassword"), "{wrong}");
    }
    let limited = fresh.gql(change, json!({ "c": next, "n": password })).await;
    assert_eq!(code(&limited).as_deref(), Some("RATE_LIMITED"), "{limited}");
    // The other tenant's administrator is not affected.
    let other = app
        .client()
        .login("admin@beta.example.org", "Piazza-Grande-2026")
        .await;
    assert!(other.get("errors").is_none(), "{other}");
}

on_backends!(a_new_session_starts_in_the_tenant_the_service_chooses_and_only_wrong_passwords_count);

/// Municipalities are checked against ISTAT's list: a code that never existed, a retired code
/// (the refusal names the municipality it merged into), a name that is not the official one and
/// a staff scope with a retired code are typed refusals on their field that add nothing. Without
/// a name the official one is stored; either language of a bilingual name is accepted. The other
/// tenant sees none of it.
async fn municipalities_are_checked_against_the_istat_list(backend: Backend, topology: Topology) {
    let (_app, a, b) = crate::helpers::spawn_alfa_and_beta(backend, topology).await;
    let list = "{ territories(first: 100) { edges { node { istatCode name } } } }";
    let before_a = a.admin.edges(list, json!({})).await;
    let before_b = b.admin.edges(list, json!({})).await;
    let add = "mutation($i: AddTerritoryInput!) { addTerritory(input: $i) { id istatCode name } }";
    for (input, on, says, reason, params) in [
        (
            json!({ "istatCode": "098753", "name": "Inventato" }),
            "istatCode",
            "098753 is not the ISTAT code of any municipality",
            "ISTAT_UNKNOWN",
            Value::Null,
        ),
        (
            json!({ "istatCode": "041032" }),
            "istatCode",
            "041032 is a former municipality (Monteciccardo), merged into 041044 (Pesaro) on 2020-07-01",
            "ISTAT_RETIRED",
            json!({ "successors": "041044" }),
        ),
        (
            json!({ "istatCode": "058091", "name": "Ottiglio" }),
            "name",
            "the official name of 058091 is Roma",
            "ISTAT_NAME_MISMATCH",
            json!({ "code": "058091" }),
        ),
    ] {
        let resp = a.admin.gql(add, json!({ "i": input })).await;
        assert_eq!(
            (code(&resp).as_deref(), field(&resp).as_deref()),
            (Some("INVALID_INPUT"), Some(on)),
            "{resp}"
        );
        assert_eq!(resp["errors"][0]["message"], says, "{resp}");
        // The stable reason and its parameters: codes only, never the names.
        assert_eq!(resp["errors"][0]["extensions"]["reason"], reason, "{resp}");
        assert_eq!(resp["errors"][0]["extensions"]["params"], params, "{resp}");
    }
    let invite = a
        .admin
        .gql(
            "mutation { inviteUser(input: {email: \"op@alfa.example.org\", roles: [OPERATOR], territories: [\"041032\"]}) { token } }",
            json!({}),
        )
        .await;
    assert_eq!(
        (code(&invite).as_deref(), field(&invite).as_deref()),
        (Some("INVALID_INPUT"), Some("territories")),
        "{invite}"
    );
    assert!(
        invite["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("merged into 041044 (Pesaro)")),
        "{invite}"
    );
    let renamed = a
        .admin
        .gql(
            "mutation($id: ID!) { updateTerritory(input: {id: $id, expectedVersion: 1, name: \"Siena\"}) { id } }",
            json!({ "id": a.territory }),
        )
        .await;
    assert_eq!(field(&renamed).as_deref(), Some("name"), "{renamed}");
    assert_eq!(
        renamed["errors"][0]["message"],
        "the official name of 052022 is Poggibonsi"
    );
    assert_eq!(a.admin.edges(list, json!({})).await, before_a);

    let rome = a
        .admin
        .one(add, json!({ "i": { "istatCode": "058091", "name": "" } }))
        .await;
    assert_eq!(
        (&rome["istatCode"], &rome["name"]),
        (&json!("058091"), &json!("Roma"))
    );
    let bolzano = a
        .admin
        .one(
            add,
            json!({ "i": { "istatCode": "021008", "name": " bozen " } }),
        )
        .await;
    assert_eq!(bolzano["name"], "Bozen");
    // A pasted name with invisible characters is the official name once cleaned.
    let florence = a
        .admin
        .one(
            add,
            json!({ "i": { "istatCode": "048017", "name": "Firenze\u{200B}\u{FEFF}" } }),
        )
        .await;
    assert_eq!(florence["name"], "Firenze");
    // Adding a municipality twice is a conflict with what is there, and changes nothing.
    let again = a
        .admin
        .gql(add, json!({ "i": { "istatCode": "048017" } }))
        .await;
    assert_eq!(
        (code(&again).as_deref(), field(&again).as_deref()),
        (Some("CONFLICT"), Some("istatCode")),
        "{again}"
    );
    assert_eq!(
        a.admin
            .edges(list, json!({}))
            .await
            .as_array()
            .map(Vec::len),
        before_a.as_array().map(|t| t.len() + 3)
    );
    assert_eq!(b.admin.edges(list, json!({})).await, before_b);
    assert_eq!(
        b.admin
            .edges(
                "query($c: String) { territories(istatCode: $c) { edges { node { id } } } }",
                json!({ "c": "058091" }),
            )
            .await,
        json!([])
    );
}

on_backends!(municipalities_are_checked_against_the_istat_list);

/// The invitation page asks `invitationStatus` before it shows its form: a pending token is
/// `VALID`, with whether accepting creates an account; a revoked, used or unknown one is
/// `NOT_VALID`. Tokens of two tenants answer alike, whoever asks (signed out, or signed in to the
/// other tenant), and the answer carries nothing of the tenant or the invitee.
async fn invitation_links_are_checked_before_the_form(backend: Backend, topology: Topology) {
    let app = TestApp::spawn(backend, topology).await;
    let platform = app.platform_admin().await;
    let alfa = crate::helpers::seed_tenant(&app, &platform, "Alfa", "052022").await;
    let beta = crate::helpers::seed_tenant(&app, &platform, "Beta", "052012").await;
    let query = "query($t: String!) { invitationStatus(token: $t) { status createsAccount } }";
    let anonymous = app.client();
    let valid_new = json!({ "invitationStatus": { "status": "VALID", "createsAccount": true } });
    let valid_existing =
        json!({ "invitationStatus": { "status": "VALID", "createsAccount": false } });
    let not_valid =
        json!({ "invitationStatus": { "status": "NOT_VALID", "createsAccount": false } });

    for (slug, admin, other) in [
        ("alfa", &alfa.admin, &beta.admin),
        ("beta", &beta.admin, &alfa.admin),
    ] {
        let invite = |email: String| async move {
            admin
                .ok(
                    "mutation($i: InviteUserInput!) { inviteUser(input: $i) { token invitation { id } } }",
                    json!({ "i": { "email": email, "roles": ["OPERATOR"] } }),
                )
                .await["inviteUser"]
                .clone()
        };
        let fresh = invite(format!("nuova@{slug}.example.org")).await;
        let fresh_token = fresh["token"].as_str().expect("token").to_owned();
        // The other tenant's administrator already has an account.
        let other_slug = if slug == "alfa" { "beta" } else { "alfa" };
        let existing = invite(format!("admin@{other_slug}.example.org")).await;
        let existing_token = existing["token"].as_str().expect("token").to_owned();
        let revoked = invite(format!("revocata@{slug}.example.org")).await;
        let revoked_token = revoked["token"].as_str().expect("token").to_owned();
        let used = invite(format!("usata@{slug}.example.org")).await;
        let used_token = used["token"].as_str().expect("token").to_owned();

        for asker in [&anonymous, other] {
            assert_eq!(
                asker.ok(query, json!({ "t": fresh_token })).await,
                valid_new,
                "{slug}"
            );
            assert_eq!(
                asker.ok(query, json!({ "t": existing_token })).await,
                valid_existing,
                "{slug}"
            );
            assert_eq!(
                asker.ok(query, json!({ "t": revoked_token })).await,
                valid_new,
                "{slug}"
            );
        }

        // Revoked: refused before the form, as accepting would be; the others stay valid.
        admin
            .ok(
                "mutation($id: ID!) { revokeInvitation(id: $id) }",
                json!({ "id": revoked["invitation"]["id"] }),
            )
            .await;
        // Used: accepted once.
        app.member(&used_token, "Ponte-Vecchio-2026", "Usata").await;
        for asker in [&anonymous, other] {
            assert_eq!(
                asker.ok(query, json!({ "t": revoked_token })).await,
                not_valid,
                "{slug}"
            );
            assert_eq!(
                asker.ok(query, json!({ "t": used_token })).await,
                not_valid,
                "{slug}"
            );
            assert_eq!(
                asker.ok(query, json!({ "t": fresh_token })).await,
                valid_new,
                "{slug}"
            );
        }
        let accepting = app
            .client()
            .accept(&revoked_token, "Ponte-Vecchio-2026", "Revocata")
            .await;
        assert_eq!(
            code(&accepting).as_deref(),
            Some("NOT_FOUND"),
            "{accepting}"
        );
    }

    // Unknown tokens: empty, blank, made up, long.
    for token in ["", "   ", "not-a-token", &"x".repeat(200)] {
        assert_eq!(
            anonymous.ok(query, json!({ "t": token })).await,
            not_valid,
            "{token:?}"
        );
    }
}

on_backends!(invitation_links_are_checked_before_the_form);

/// A municipality that still has desks, or a desk that still has places, is not removed: the
/// refusal says what is in the way and how many (`TERRITORY_HAS_DESKS`, `DESK_HAS_PLACES`, with
/// `count`), and nothing changes. Another tenant's desk or municipality stays not found.
async fn a_removal_refused_names_what_is_in_the_way(backend: Backend, topology: Topology) {
    let (_app, a, b) = crate::helpers::spawn_alfa_and_beta(backend, topology).await;
    let refusal = |resp: &Value| {
        let ext = &resp["errors"][0]["extensions"];
        (
            ext["code"].as_str().unwrap_or_default().to_owned(),
            ext["reason"].as_str().unwrap_or_default().to_owned(),
            ext["params"]["count"].as_u64(),
        )
    };
    let remove_desk = "mutation($id: ID!) { removeDesk(id: $id) }";
    let remove_territory = "mutation($id: ID!) { removeTerritory(id: $id) }";
    assert_eq!(
        refusal(&a.admin.gql(remove_desk, json!({ "id": a.desk })).await),
        ("CONFLICT".to_owned(), "DESK_HAS_PLACES".to_owned(), Some(1))
    );
    assert_eq!(
        refusal(
            &a.admin
                .gql(remove_territory, json!({ "id": a.territory }))
                .await
        ),
        (
            "CONFLICT".to_owned(),
            "TERRITORY_HAS_DESKS".to_owned(),
            Some(1)
        )
    );
    assert_eq!(count(&a.admin, "desks").await, 1);
    assert_eq!(count(&a.admin, "territories").await, 1);
    // Beta's administrator sees neither: not found, not "in use".
    for (query, id) in [(remove_desk, &a.desk), (remove_territory, &a.territory)] {
        assert_eq!(
            code(&b.admin.gql(query, json!({ "id": id })).await).as_deref(),
            Some("NOT_FOUND")
        );
    }
    // Once the place is gone, the desk's refusal is no longer about places.
    a.admin
        .ok(
            "mutation($id: ID!) { removePlace(id: $id) }",
            json!({ "id": a.place }),
        )
        .await;
    let after = refusal(&a.admin.gql(remove_desk, json!({ "id": a.desk })).await);
    assert_ne!(after.1, "DESK_HAS_PLACES", "{after:?}");
    assert_eq!(
        count(&b.admin, "desks").await,
        1,
        "Beta's desk is untouched"
    );
}

on_backends!(a_removal_refused_names_what_is_in_the_way);
