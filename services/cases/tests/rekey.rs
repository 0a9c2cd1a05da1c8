//! Persons stored with name keys of an older derivation get the keys of the current one from
//! the re-keying task, on SQLite and on PostgreSQL (served by the non-owner role, under
//! row-level security), tenant by tenant, without any other change to the record.

// The test prepares and inspects the store directly.
#![allow(clippy::disallowed_methods)]

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set};
use sportello_cases::domain::ValidPerson;
use sportello_cases::domain::names::KEYS_VERSION;
use sportello_cases::interface::PersonInput;
use sportello_cases::rekey::{keys, rekey_all};
use sportello_cases::store::{Migrator, person};
use sportello_kernel::TenantId;
use sportello_kernel::db::{Db, Scope, StoreConfig};
use uuid::Uuid;

/// Stores a person as an older release did: keys that no longer match, version 0.
async fn stale_person(db: &Db, tenant: TenantId, given: &str, family: &str) -> Uuid {
    let valid = ValidPerson::parse(
        PersonInput {
            given_names: given.into(),
            family_names: family.into(),
            territory_code: "052022".into(),
            ..PersonInput::default()
        },
        Utc::now().date_naive(),
    )
    .expect("valid person");
    let id = Uuid::now_v7();
    let mut model = valid.into_model(tenant.uuid(), id, Uuid::now_v7(), Utc::now(), Utc::now());
    model.name_key = Set("stale".into());
    model.name_skeleton = Set("stl".into());
    model.name_keys_version = Set(0);
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    model.insert(tx.conn()).await.expect("insert");
    tx.commit().await.expect("commit");
    id
}

async fn stored(db: &Db, tenant: TenantId, id: Uuid) -> person::Model {
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    let row = tx
        .scoped::<person::Entity>()
        .expect("scoped")
        .filter(person::Column::Id.eq(id))
        .one(tx.conn())
        .await
        .expect("read")
        .expect("the person");
    tx.finish().await.expect("finish");
    row
}

async fn old_keys_are_derived_again(db: Db) {
    let (alfa, beta) = (TenantId(Uuid::now_v7()), TenantId(Uuid::now_v7()));
    let a = stale_person(&db, alfa, "ذبیح‌الله", "نوری").await;
    let b = stale_person(&db, beta, "Fatima Zahra", "Benali").await;
    let done = rekey_all(&db, 1).await.expect("rekey");
    assert_eq!(done, 2);
    for (tenant, id) in [(alfa, a), (beta, b)] {
        let row = stored(&db, tenant, id).await;
        assert_eq!(row.name_keys_version, KEYS_VERSION);
        assert_eq!(
            (row.name_key.clone(), row.name_skeleton.clone()),
            keys(&row)
        );
        assert_ne!(row.name_key, "stale");
        // Nothing else changes: the record keeps its version and its Latin form.
        assert_eq!(row.version, 1);
    }
    assert_eq!(stored(&db, alfa, a).await.latin_given_names, "Zabihullah");
    // Nothing left to do.
    assert_eq!(rekey_all(&db, 10).await.expect("rekey again"), 0);
}

#[tokio::test]
async fn old_name_keys_are_derived_again_on_sqlite() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = Db::open::<Migrator>(
        &StoreConfig {
            url: format!("sqlite://{}/cases.db?mode=rwc", dir.path().display()),
            schema: "cases".into(),
            app_role: "sportello_app".into(),
            app_password: None,
            max_connections: 1,
        },
        true,
    )
    .await
    .expect("open the store");
    old_keys_are_derived_again(db).await;
}

#[tokio::test]
async fn old_name_keys_are_derived_again_on_postgres() {
    let url = std::env::var("SPORTELLO_TEST_POSTGRES_URL")
        .expect("SPORTELLO_TEST_POSTGRES_URL (the README's test command sets it)");
    let schema = format!("cases_rekey_{}", Uuid::now_v7().simple());
    let db = Db::open::<Migrator>(
        &StoreConfig {
            url: url.clone(),
            schema: schema.clone(),
            app_role: "sportello_app".into(),
            app_password: None,
            max_connections: 2,
        },
        true,
    )
    .await
    .expect("open the store");
    old_keys_are_derived_again(db).await;
    let owner = sea_orm::Database::connect(&url).await.expect("connect");
    owner
        .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .expect("drop the schema");
}
