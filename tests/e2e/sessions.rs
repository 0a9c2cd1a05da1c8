//! The sessions a user can see and end ("sign out everywhere"), and the tenant's default lead
//! time of appointment reminders, across two tenants.

use serde_json::{Value, json};

use crate::helpers::{Backend, Client, Topology, operators, spawn_alfa_and_beta};
use crate::on_backends;

const SESSIONS: &str = "{ viewer { sessions { id device method signedInAt lastSeenAt current } } }";
const END: &str = "mutation($id: ID!) { endSession(id: $id) }";
const PASSWORD: &str = "Piazza-Grande-2026";

/// A client whose requests carry `user_agent`.
fn browser(url: &str, user_agent: &str) -> Client {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .user_agent(user_agent)
        .build()
        .expect("http client");
    Client {
        http,
        url: url.to_owned(),
        csrf: None,
    }
}

async fn sessions(client: &Client) -> Vec<Value> {
    let listed = client.ok(SESSIONS, json!({})).await;
    listed["viewer"]["sessions"]
        .as_array()
        .expect("sessions")
        .clone()
}

async fn signed_in(client: &Client) -> bool {
    let viewer = client.ok("{ viewer { user { email } } }", json!({})).await;
    !viewer["viewer"].is_null()
}

const FIREFOX: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async fn a_user_sees_their_sessions_and_ends_them(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let email = "admin@alfa.example.org";
    let mut firefox = browser(&app.url, FIREFOX);
    let mut phone = browser(&app.url, IPHONE);
    for client in [&mut firefox, &mut phone] {
        let resp = client.login(email, PASSWORD).await;
        assert!(resp.get("errors").is_none(), "{resp}");
    }

    // Three sessions of Alfa's administrator: the seeding one, Firefox and the phone; this
    // one is marked current, each says its browser and system, none carries a secret.
    let listed = sessions(&firefox).await;
    assert_eq!(listed.len(), 3, "{listed:?}");
    let current: Vec<&Value> = listed.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1, "{listed:?}");
    assert_eq!(current[0]["device"], "Firefox, Windows");
    assert!(listed.iter().all(|s| s["method"] == "PASSWORD"));
    let on_phone = listed
        .iter()
        .find(|s| s["device"] == "Safari, iOS")
        .expect("the phone's session")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    for s in &listed {
        let (signed, seen) = (s["signedInAt"].as_str(), s["lastSeenAt"].as_str());
        assert!(signed.is_some() && seen.is_some() && seen >= signed, "{s}");
    }
    // The phone sees the same three, itself current.
    let from_phone = sessions(&phone).await;
    assert_eq!(from_phone.len(), 3);
    let phone_current = from_phone
        .iter()
        .find(|s| s["current"] == true)
        .expect("the current session");
    assert_eq!(phone_current["id"], on_phone.as_str());

    // Beta's administrator sees only their own session and cannot end Alfa's.
    let beta_listed = sessions(&b.admin).await;
    assert_eq!(beta_listed.len(), 1, "{beta_listed:?}");
    assert!(beta_listed.iter().all(|s| s["id"] != on_phone.as_str()));
    b.admin
        .refused(END, json!({ "id": on_phone }), "NOT_FOUND")
        .await;
    assert!(signed_in(&phone).await);
    // An id that is no session, or none at all, changes nothing.
    firefox
        .refused(END, json!({ "id": "no-such-session" }), "NOT_FOUND")
        .await;
    app.client()
        .refused(END, json!({ "id": on_phone }), "UNAUTHENTICATED")
        .await;
    assert_eq!(sessions(&firefox).await.len(), 3);

    // Firefox ends the phone's session: the phone is signed out at its next request.
    let ended = firefox.ok(END, json!({ "id": on_phone })).await;
    assert_eq!(ended["endSession"], on_phone.as_str());
    assert!(!signed_in(&phone).await);
    let left = sessions(&firefox).await;
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.iter().all(|s| s["id"] != on_phone.as_str()));

    // Signing out removes the session from the list.
    let mut third = browser(&app.url, IPHONE);
    third.login(email, PASSWORD).await;
    assert_eq!(sessions(&firefox).await.len(), 3);
    let out = third
        .ok(
            "mutation { signOut { ended providerLogoutUrl } }",
            json!({}),
        )
        .await;
    assert_eq!(
        out["signOut"],
        json!({ "ended": true, "providerLogoutUrl": null })
    );
    assert_eq!(sessions(&firefox).await.len(), 2);

    // Sign out everywhere: every session of the user ends, this one included; Beta's and the
    // operators' stay.
    let (op_a, op_b) = operators(&app, &a, &b).await;
    app.client()
        .refused(
            "mutation { signOutEverywhere }",
            json!({}),
            "UNAUTHENTICATED",
        )
        .await;
    let everywhere = firefox
        .ok("mutation { signOutEverywhere }", json!({}))
        .await;
    assert_eq!(everywhere["signOutEverywhere"], true);
    assert!(!signed_in(&firefox).await);
    assert!(!signed_in(&a.admin).await);
    for other in [&b.admin, &op_a, &op_b] {
        assert!(signed_in(other).await);
    }
    // A new sign-in starts a list of one.
    let mut again = browser(&app.url, FIREFOX);
    again.login(email, PASSWORD).await;
    let fresh = sessions(&again).await;
    assert_eq!(fresh.len(), 1, "{fresh:?}");
    assert_eq!(fresh[0]["current"], true);
}

on_backends!(a_user_sees_their_sessions_and_ends_them);

const SETTINGS: &str = "{ appointmentSettings { reminderHoursBefore } }";
const SET: &str = "mutation($h: Int) { setAppointmentSettings(input: {reminderHoursBefore: $h}) { reminderHoursBefore } }";

/// Books an appointment at `starts_at` for a new person of `op`'s tenant; returns `remindAt`.
async fn booked(op: &Client, desk: &str, territory: &str, starts_at: &str, lead: Value) -> Value {
    let s = crate::cases::story_with_cf(op, "Amina", "El Idrissi", territory, None).await;
    let resp = op
        .ok(
            "mutation($d: ID!, $p: ID!, $at: DateTime!, $h: Int) { bookAppointment(input: {deskId: $d, personId: $p, startsAt: $at, durationMinutes: 30, remindHoursBefore: $h}) { remindAt } }",
            json!({ "d": desk, "p": s.person, "at": starts_at, "h": lead }),
        )
        .await;
    resp["bookAppointment"][0]["remindAt"].clone()
}

async fn reminders_follow_the_tenant_lead_time(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    // A day ahead by default, on both tenants; any member reads it.
    for client in [&a.admin, &op_a, &b.admin] {
        let read = client.ok(SETTINGS, json!({})).await;
        assert_eq!(read["appointmentSettings"]["reminderHoursBefore"], 24);
    }

    // Bad values are refused on the field, an operator may not set them; nothing changes.
    for bad in [0, -1, 337] {
        a.admin
            .refused_on(SET, json!({ "h": bad }), "reminderHoursBefore")
            .await;
    }
    op_a.refused(SET, json!({ "h": 48 }), "FORBIDDEN").await;
    let read = a.admin.ok(SETTINGS, json!({})).await;
    assert_eq!(read["appointmentSettings"]["reminderHoursBefore"], 24);

    // Alfa asks two days ahead; Beta keeps a day.
    let set = a.admin.ok(SET, json!({ "h": 48 })).await;
    assert_eq!(set["setAppointmentSettings"]["reminderHoursBefore"], 48);
    let read = b.admin.ok(SETTINGS, json!({})).await;
    assert_eq!(read["appointmentSettings"]["reminderHoursBefore"], 24);

    // 10:00 in Rome on days some months ahead (the lead time is on the local clock: two days
    // before 10:00 on 30 March is 10:00 on 28 March, across the clock change of the 28th).
    let utc = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.with_timezone(&chrono::Utc).to_rfc3339())
    };
    let at = |r: &Value| r.as_str().and_then(utc);
    let alfa = booked(
        &op_a,
        &a.desk,
        &a.istat_code,
        "2027-03-30T10:00:00+02:00",
        Value::Null,
    )
    .await;
    assert_eq!(at(&alfa), utc("2027-03-28T10:00:00+02:00"), "{alfa}");
    let beta = booked(
        &op_b,
        &b.desk,
        &b.istat_code,
        "2027-03-30T10:00:00+02:00",
        Value::Null,
    )
    .await;
    assert_eq!(at(&beta), utc("2027-03-29T10:00:00+02:00"), "{beta}");
    // A booking's own lead time wins; 0 asks for no reminder.
    let own = booked(
        &op_a,
        &a.desk,
        &a.istat_code,
        "2027-03-31T10:00:00+02:00",
        json!(6),
    )
    .await;
    assert_eq!(at(&own), utc("2027-03-31T04:00:00+02:00"), "{own}");
    let none = booked(
        &op_a,
        &a.desk,
        &a.istat_code,
        "2027-04-01T10:00:00+02:00",
        json!(0),
    )
    .await;
    assert!(none.is_null(), "{none}");

    // Without a default, a booking without a lead time has no reminder; Beta's is untouched.
    let cleared = a.admin.ok(SET, json!({ "h": null })).await;
    assert!(cleared["setAppointmentSettings"]["reminderHoursBefore"].is_null());
    let unset = booked(
        &op_a,
        &a.desk,
        &a.istat_code,
        "2027-04-02T10:00:00+02:00",
        Value::Null,
    )
    .await;
    assert!(unset.is_null(), "{unset}");
    let beta = booked(
        &op_b,
        &b.desk,
        &b.istat_code,
        "2027-04-02T10:00:00+02:00",
        Value::Null,
    )
    .await;
    assert_eq!(at(&beta), utc("2027-04-01T10:00:00+02:00"), "{beta}");
}

on_backends!(reminders_follow_the_tenant_lead_time);
