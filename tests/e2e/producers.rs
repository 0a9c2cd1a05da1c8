//! Two producers, one pseudonym. Beside the cases service, a second producer built only from the
//! kernel pieces (its own store and outbox, the kernel relay, pseudonyms from the key owner
//! through the tenancy interface), standing in for the housing service: the same person gets the
//! same pseudonym from both, the real analytics service ingests its typed events, and the person
//! is counted once. An installation whose key was kept by cases keeps its pseudonyms.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::ConnectionTrait;
use sea_orm::DynIden;
use sea_orm::sea_query::{Alias, IntoIden};
use sea_orm_migration::{MigrationTrait, MigratorTrait};
use serde_json::{Value, json};
use sportello_analytics::{AnalyticsService, DisclosureParams};
use sportello_kernel::bus::{RedisStream, Sink};
use sportello_kernel::db::{Db, Scope, StoreConfig};
use sportello_kernel::events::{AGE_BANDS, Event, EventKind, Pseudonym, Record, Subject};
use sportello_kernel::outbox::{self, Relay};
use sportello_kernel::pseudonym::{KeyRequest, Keyer, Pseudonyms};
use sportello_kernel::rpc::{HttpTransport, InternalKeys};
use sportello_kernel::{Actor, Context, Role, TenantId, UserId};
use sportello_tenancy::TenancyClient;
use uuid::Uuid;

use crate::analytics::{indicators, wait_for};
use crate::cases::{assert_no_personal_data, directory, rows, story, story_with_cf};
use crate::helpers::{
    Backend, SECRET, TestApp, Topology, literal, operator, operators, spawn_alfa_and_beta, uuid_of,
};
use crate::on_backends;

/// A key an earlier installation kept in the cases store.
const LEGACY_KEY: &str = "a-pseudonym-key-kept-by-cases-before-0123456789";

struct HousingMigrator;

impl MigratorTrait for HousingMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(outbox::migration("0001_outbox"))]
    }

    fn migration_table_name() -> DynIden {
        Alias::new("second_producer_migrations").into_iden()
    }
}

/// A second producer written for this test (apart from the housing service's own store): a
/// store with an outbox, and pseudonyms from the key owner.
struct Housing {
    db: Db,
    pseudonyms: Pseudonyms,
}

impl Housing {
    async fn open(app: &TestApp) -> Housing {
        let config = &app.config;
        let store = StoreConfig {
            url: config.database_url_for("second_producer"),
            schema: "second_producer".into(),
            app_role: config.database_app_role.clone(),
            app_password: config.database_app_password.clone(),
            max_connections: 2,
        };
        let db = Db::open::<HousingMigrator>(&store, true)
            .await
            .expect("open the housing store");
        let owner = tenancy(app);
        Housing {
            db,
            pseudonyms: Pseudonyms::new(Arc::new(owner), "housing"),
        }
    }

    /// Places a person in a unit: one event, in the transaction of the change.
    async fn place(&self, tenant: TenantId, person: Uuid, territory: &str) -> Pseudonym {
        let keys = self
            .pseudonyms
            .of(tenant, "test-housing")
            .await
            .expect("the tenant's key");
        let pseudonym = keys.person(person);
        let tx = self.db.begin(Scope::Tenant(tenant)).await.expect("begin");
        outbox::emit(
            &tx,
            self.pseudonyms.producer(),
            chrono::Utc::now().date_naive(),
            Subject {
                person: pseudonym.clone(),
                age_band: "35-44".into(),
                sex: Some("F".into()),
                country_of_birth: Some("MA".into()),
                territory: territory.into(),
            },
            Event::HousingPlacementStarted {
                placement: keys.object("placement", Uuid::now_v7()),
                household: None,
                beds: 1,
                until: None,
            },
        )
        .await
        .expect("emit");
        tx.commit().await.expect("commit");
        pseudonym
    }
}

fn tenancy_url(app: &TestApp) -> &str {
    app.config
        .service_url(sportello::Role::Tenancy)
        .expect("tenancy url")
}

/// The tenancy service's client, as a producing service in another process holds it.
fn tenancy(app: &TestApp) -> TenancyClient {
    let url = tenancy_url(app);
    TenancyClient::remote(
        HttpTransport::new(url, "tenancy", InternalKeys::new(SECRET.as_bytes())).expect("client"),
    )
}

/// Where the analytics service reads events: its Redis Stream, or (all events in one process on
/// SQLite) the analytics service on its own store.
async fn analytics_sink(app: &TestApp, backend: Backend) -> Arc<dyn Sink> {
    let config = &app.config;
    match backend {
        Backend::Postgres => {
            let key = format!("{}{}", config.redis_prefix, config.bus_stream);
            let url = config.bus_redis_url().expect("bus url");
            Arc::new(
                RedisStream::connect(url, &key, "analytics")
                    .await
                    .expect("the bus"),
            )
        }
        Backend::Sqlite => {
            let store = StoreConfig {
                url: config.database_url_for("analytics"),
                schema: "analytics".into(),
                app_role: config.database_app_role.clone(),
                app_password: None,
                max_connections: 1,
            };
            Arc::new(
                AnalyticsService::open(&store, false, DisclosureParams::default())
                    .await
                    .expect("the analytics store"),
            )
        }
    }
}

/// The person pseudonyms in the cases outbox of one tenant.
async fn cases_pseudonyms(app: &TestApp, backend: Backend, tenant: Uuid) -> Vec<String> {
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let sql = format!(
        "SELECT payload FROM {schema}outbox WHERE tenant_id = {}",
        literal(backend, tenant)
    );
    rows(&conn, &sql)
        .await
        .iter()
        .map(|p| {
            serde_json::from_str::<Value>(p).expect("json")["person"]
                .as_str()
                .expect("person")
                .to_owned()
        })
        .collect()
}

/// How many facts of the kind the analytics store holds.
async fn facts_of(app: &TestApp, backend: Backend, kind: EventKind) -> u64 {
    let (conn, prefix) = app.store_owner(backend, "analytics").await;
    let sql = format!(
        "SELECT CAST(COUNT(*) AS TEXT) FROM {prefix}facts WHERE event_type = '{}'",
        kind.as_str()
    );
    rows(&conn, &sql).await[0].parse().expect("count")
}

async fn one_person_is_counted_once_across_two_producers(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (tenant_a, tenant_b) = (uuid_of(&a.tenant_id), uuid_of(&b.tenant_id));

    // Tenant A comes from an earlier installation: its key is still in the cases store.
    let (conn, schema) = app.store_owner(backend, "cases").await;
    conn.execute_unprepared(&format!(
        "INSERT INTO {schema}tenant_keys (tenant_id, secret) VALUES ({}, '{LEGACY_KEY}')",
        literal(backend, tenant_a)
    ))
    .await
    .expect("legacy key");

    let op_a = operator(&app, &a, "op@alfa.example.org", &[]).await;
    let op_b = operator(&app, &b, "op@beta.example.org", &[]).await;
    let amina = story_with_cf(&op_a, "Amina", "El Idrissi", "052022", None).await;
    let wei = story_with_cf(&op_b, "Wei", "Zhang", "048017", None).await;
    wait_for(&op_a, &[("PEOPLE_REACHED", 1), ("NEW_CASES", 1)]).await;
    wait_for(&op_b, &[("PEOPLE_REACHED", 1), ("NEW_CASES", 1)]).await;
    let (amina, wei) = (uuid_of(&amina.person), uuid_of(&wei.person));

    // The earlier key was adopted by the owner: the pseudonyms it gave stay, and cases no
    // longer keeps it.
    let legacy = Keyer::new(LEGACY_KEY.into()).expect("keyer");
    let in_cases_a = cases_pseudonyms(&app, backend, tenant_a).await;
    assert_eq!(in_cases_a.len(), 3, "{in_cases_a:?}");
    assert!(
        in_cases_a
            .iter()
            .all(|p| p == legacy.person(amina).as_str())
    );
    assert_eq!(
        rows(
            &conn,
            &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {schema}tenant_keys")
        )
        .await,
        ["0"]
    );

    // The second producer gets the same pseudonym for the same person, in each tenant, and a
    // different one under the other tenant's key.
    let housing = Housing::open(&app).await;
    let placed_a = housing.place(TenantId(tenant_a), amina, "052022").await;
    let newcomer = housing
        .place(TenantId(tenant_a), Uuid::now_v7(), "052022")
        .await;
    let placed_b = housing.place(TenantId(tenant_b), wei, "048017").await;
    assert_eq!(placed_a.as_str(), in_cases_a[0]);
    let in_cases_b = cases_pseudonyms(&app, backend, tenant_b).await;
    assert!(in_cases_b.iter().all(|p| p == placed_b.as_str()));
    assert_ne!(newcomer, placed_a);
    let key_b = Keyer::new(
        tenancy(&app)
            .pseudonym_key(
                &Context::internal("housing", TenantId(tenant_b), "test"),
                KeyRequest::default(),
            )
            .await
            .expect("key of B")
            .secret,
    )
    .expect("keyer");
    assert_ne!(key_b.person(amina), placed_a);

    // Its events travel through the kernel relay to the real analytics service.
    let relay = Relay::new(
        housing.db.clone(),
        analytics_sink(&app, backend).await,
        100,
        Duration::from_secs(3600),
    );
    while relay.publish_once().await.expect("publish") > 0 {}
    for _ in 0..300 {
        if facts_of(&app, backend, EventKind::HousingPlacementStarted).await == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        facts_of(&app, backend, EventKind::HousingPlacementStarted).await,
        3
    );
    // Amina counts once in A, with the newcomer; Wei once in B. Case counts are unchanged.
    let mine = indicators(&op_a).await;
    assert_eq!(mine["PEOPLE_REACHED"]["value"], 2, "{mine:?}");
    assert_eq!(mine["NEW_CASES"]["value"], 1);
    let theirs = indicators(&op_b).await;
    assert_eq!(theirs["PEOPLE_REACHED"]["value"], 1, "{theirs:?}");
    assert_eq!(theirs["NEW_CASES"]["value"], 1);
}

on_backends!(one_person_is_counted_once_across_two_producers:
    sqlite_distributed => (Backend::Sqlite, Topology::Distributed),
    postgres_redis_streams => (Backend::Postgres, Topology::Distributed),
);

async fn only_services_get_a_tenants_pseudonym_key(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (tenant_a, tenant_b) = (uuid_of(&a.tenant_id), uuid_of(&b.tenant_id));
    let client = tenancy(&app);
    let key = |tenant: Uuid| {
        let client = client.clone();
        async move {
            client
                .pseudonym_key(
                    &Context::internal("housing", TenantId(tenant), "test"),
                    KeyRequest::default(),
                )
                .await
                .expect("key")
                .secret
        }
    };
    // One key per tenant, the same at every request.
    let first_a = key(tenant_a).await;
    assert_eq!(key(tenant_a).await, first_a);
    assert_ne!(key(tenant_b).await, first_a);
    // An offered key does not replace an existing one.
    let offered = client
        .pseudonym_key(
            &Context::internal("cases", TenantId(tenant_a), "test"),
            KeyRequest {
                adopt: Some(LEGACY_KEY.into()),
            },
        )
        .await
        .expect("key");
    assert_eq!(offered.secret, first_a);

    // A user, even the tenant's administrator, is refused, in the client and in the service.
    let admin = Context {
        tenant: Some(TenantId(tenant_a)),
        actor: Actor {
            user_id: Some(UserId(Uuid::now_v7())),
            roles: vec![Role::TenantAdmin, Role::Coordinator, Role::Operator],
            ..Actor::default()
        },
        request_id: "test".into(),
        ..Context::default()
    };
    let refused = client
        .pseudonym_key(&admin, KeyRequest::default())
        .await
        .expect_err("refused");
    assert_eq!(refused.code.as_str(), "FORBIDDEN");
    let token = InternalKeys::new(SECRET.as_bytes())
        .sign("tenancy", &admin)
        .expect("token");
    let response = reqwest::Client::new()
        .post(format!("{}/rpc/tenancy/pseudonym_key", tenancy_url(&app)))
        .bearer_auth(token)
        .json(&json!({}))
        .send()
        .await
        .expect("call");
    assert_eq!(response.status().as_u16(), 403);
    let body = response.text().await.expect("body");
    assert!(!body.contains(&first_a), "{body}");
    // The public API has no way to it (the committed schema is the served one, a test checks).
    let sdl = include_str!("../../graphql/schema.graphql").to_lowercase();
    assert!(!sdl.contains("pseudonym"));
}

on_backends!(only_services_get_a_tenants_pseudonym_key:
    sqlite_distributed => (Backend::Sqlite, Topology::Distributed),
    postgres_distributed => (Backend::Postgres, Topology::Distributed),
);

/// Every payload in an outbox of the store's backend (the cases one or the second producer's).
async fn payloads(conn: &sea_orm::DatabaseConnection, table: &str) -> Vec<String> {
    rows(conn, &format!("SELECT payload FROM {table} ORDER BY id")).await
}

async fn every_event_type_leaves_its_producer_without_personal_data(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let service = directory(&a).await;
    let s = story(&op_a, "Amina", "El Idrissi", "052022").await;
    story_with_cf(&op_b, "Olena", "Kovalenko", "048017", None).await;
    // Every life-cycle change of the cases producer.
    op_a.ok("mutation($p: ID!) { recordConsent(personId: $p, purpose: REFERRAL_SHARING, given: true) { given } }", json!({ "p": s.person })).await;
    let referral = op_a
        .id("mutation($c: ID!, $s: ID!, $n: [ID!]!) { sendReferral(input: {caseId: $c, serviceId: $s, needIds: $n}) { id } }", json!({ "c": s.case, "s": service, "n": [s.need] }))
        .await;
    op_a.ok(
        "mutation($id: ID!) { changeReferralStatus(id: $id, expectedVersion: 1, to: ACCEPTED, feedback: \"presa in carico dalla Caritas\") { status } }",
        json!({ "id": referral }),
    )
    .await;
    let change = "mutation($id: ID!, $to: CaseStatus!, $o: String, $r: String, $v: Int!) { changeCaseStatus(id: $id, expectedVersion: $v, to: $to, outcome: $o, reason: $r) { status } }";
    op_a.ok(change, json!({ "id": s.case, "to": "ACTIVE", "v": 1 }))
        .await;
    op_a.ok(
        change,
        json!({ "id": s.case, "to": "CLOSED", "o": "autonomy_reached", "v": 2 }),
    )
    .await;
    op_a.ok(
        change,
        json!({ "id": s.case, "to": "ACTIVE", "r": "nuovo sfratto annunciato", "v": 3 }),
    )
    .await;
    // A withdrawal of consent to statistics and consent given again: notices, pseudonym only.
    let consent = "mutation($p: ID!, $g: Boolean!) { recordConsent(personId: $p, purpose: ANONYMISED_STATISTICS, given: $g) { given } }";
    op_a.ok(consent, json!({ "p": s.person, "g": false })).await;
    op_a.ok(consent, json!({ "p": s.person, "g": true })).await;
    // An erasure: a notice with the pseudonym only.
    let erased = op_a
        .id(
            "mutation { createPerson(input: {givenNames: \"Leila\", familyNames: \"Benali\", territoryCode: \"052022\", phone: \"+39 320 5550101\"}) { id } }",
            json!({}),
        )
        .await;
    a.admin
        .ok(
            "mutation($p: ID!) { erasePerson(input: {personId: $p, ground: \"OBJECTION\", confirmation: $p}) { personId } }",
            json!({ "p": erased }),
        )
        .await;
    // And the second producer's.
    let housing = Housing::open(&app).await;
    let tenant_a = TenantId(uuid_of(&a.tenant_id));
    housing.place(tenant_a, uuid_of(&s.person), "052022").await;

    let (conn, schema) = app.store_owner(backend, "cases").await;
    let mut all = payloads(&conn, &format!("{schema}outbox")).await;
    let housing_table = match backend {
        Backend::Sqlite => {
            let url = format!(
                "sqlite://{}/second_producer.db",
                app.config.data_dir.display()
            );
            let conn = sea_orm::Database::connect(&url).await.expect("connect");
            payloads(&conn, "outbox").await
        }
        Backend::Postgres => payloads(&conn, "second_producer.outbox").await,
    };
    assert_eq!(housing_table.len(), 1);
    all.extend(housing_table);
    let mut kinds: Vec<EventKind> = Vec::new();
    for payload in &all {
        assert_no_personal_data(
            payload,
            &[
                "Caritas",
                "sfratto",
                "appointment_booked",
                "Leila",
                "Benali",
                "5550101",
            ],
        );
        let record = Record::from_payload(payload).expect("a typed record");
        assert!(AGE_BANDS.contains(&record.subject.age_band.as_str()));
        assert!(record.subject.person.as_str().len() >= 40, "{payload}");
        kinds.push(record.event.kind());
    }
    kinds.sort();
    kinds.dedup();
    // The volunteers service's events are scanned by `volunteers::indicators`, the housing
    // service's by `housing::co_housing_from_the_waiting_list_to_follow_up` (the second producer
    // here emits a placement), the on-call and procedure events by
    // `oncall::on_call_and_procedures_are_counted_without_personal_data`.
    let about_persons: Vec<EventKind> = EventKind::ALL
        .into_iter()
        .filter(|k| !EventKind::ACTIVITY.contains(k))
        .filter(|k| !EventKind::ONCALL.contains(k))
        .filter(|k| !EventKind::HOUSING.contains(k) || *k == EventKind::HousingPlacementStarted)
        .collect();
    assert_eq!(kinds, about_persons, "every event type is scanned");
}

on_backends!(every_event_type_leaves_its_producer_without_personal_data:
    sqlite_distributed => (Backend::Sqlite, Topology::Distributed),
    postgres_distributed => (Backend::Postgres, Topology::Distributed),
);
