//! Migration `0011_codice_fiscale_as_issued` on a store with persons of two tenants: each
//! person's codice fiscale (stored in its plain form before this migration) becomes the key
//! the lookup and the "possibly the same person" warning use, on SQLite and on PostgreSQL,
//! where the migration lifts forced row-level security to fill every tenant's rows and forces
//! it again.

// The test prepares and inspects the store directly.
#![allow(clippy::disallowed_methods)]

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, QueryFilter};
use sportello_cases::domain::ValidPerson;
use sportello_cases::interface::PersonInput;
use sportello_cases::store::{Migrator, person};
use sportello_kernel::TenantId;
use sportello_kernel::db::{Db, Scope, StoreConfig};
use uuid::Uuid;

const CODES: [&str; 2] = ["HSSMMD90A01Z330I", "BNCLRA90E45Z330Q"];

async fn insert(db: &Db, tenant: TenantId, cf: &str) -> Uuid {
    let valid = ValidPerson::parse(
        PersonInput {
            given_names: "Amina".into(),
            family_names: "Hassan".into(),
            territory_code: "052022".into(),
            codice_fiscale: Some(cf.into()),
            ..PersonInput::default()
        },
        Utc::now().date_naive(),
    )
    .expect("valid person");
    let id = Uuid::now_v7();
    let model = valid.into_model(tenant.uuid(), id, Uuid::now_v7(), Utc::now(), Utc::now());
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    model.insert(tx.conn()).await.expect("insert");
    tx.commit().await.expect("commit");
    id
}

async fn key_of(db: &Db, tenant: TenantId, id: Uuid) -> Option<String> {
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
    row.codice_fiscale_key
}

/// Brings the store back to before 0011 (as its owner), keeping the persons and their codes.
async fn undo_0011(owner: &DatabaseConnection, prefix: &str) {
    for statement in [
        format!("DROP INDEX {prefix}persons_by_codice_fiscale_key"),
        format!("ALTER TABLE {prefix}persons DROP COLUMN codice_fiscale_key"),
        format!("ALTER TABLE {prefix}persons DROP COLUMN codice_fiscale_warnings"),
        format!(
            "DELETE FROM {prefix}cases_migrations WHERE version = '0011_codice_fiscale_as_issued'"
        ),
    ] {
        owner
            .execute_unprepared(&statement)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

async fn persons_get_their_key(config: StoreConfig, owner: &DatabaseConnection, prefix: &str) {
    let db = Db::open::<Migrator>(&config, true).await.expect("open");
    let (alfa, beta) = (TenantId(Uuid::now_v7()), TenantId(Uuid::now_v7()));
    let a = insert(&db, alfa, CODES[0]).await;
    let b = insert(&db, beta, CODES[1]).await;
    drop(db);
    undo_0011(owner, prefix).await;
    let db = Db::open::<Migrator>(&config, true)
        .await
        .expect("migrate again");
    assert_eq!(key_of(&db, alfa, a).await.as_deref(), Some(CODES[0]));
    assert_eq!(key_of(&db, beta, b).await.as_deref(), Some(CODES[1]));
}

#[tokio::test]
async fn migration_0011_keys_every_tenants_persons_on_sqlite() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}/cases.db?mode=rwc", dir.path().display());
    let config = StoreConfig {
        url: url.clone(),
        schema: "cases".into(),
        app_role: "sportello_app".into(),
        app_password: None,
        max_connections: 1,
    };
    let owner = sea_orm::Database::connect(&url).await.expect("connect");
    persons_get_their_key(config, &owner, "").await;
}

#[tokio::test]
async fn migration_0011_keys_every_tenants_persons_on_postgres() {
    let url = std::env::var("SPORTELLO_TEST_POSTGRES_URL")
        .expect("SPORTELLO_TEST_POSTGRES_URL (the README's test command sets it)");
    let schema = format!("cases_m0011_{}", Uuid::now_v7().simple());
    let config = StoreConfig {
        url: url.clone(),
        schema: schema.clone(),
        app_role: "sportello_app".into(),
        app_password: None,
        max_connections: 2,
    };
    let owner = sea_orm::Database::connect(&url).await.expect("connect");
    persons_get_their_key(config, &owner, &format!("{schema}.")).await;
    // Row-level security is forced again.
    let forced = owner
        .query_one_raw(sea_orm::Statement::from_string(
            owner.get_database_backend(),
            format!(
                "SELECT relforcerowsecurity FROM pg_class WHERE oid = '{schema}.persons'::regclass"
            ),
        ))
        .await
        .expect("query")
        .expect("row")
        .try_get_by_index::<bool>(0)
        .expect("bool");
    assert!(forced);
    owner
        .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .expect("drop the schema");
}
