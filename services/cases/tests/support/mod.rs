//! The cases store as the integration tests open it: migrated, on SQLite in a temporary
//! directory or on PostgreSQL (`SPORTELLO_TEST_POSTGRES_URL`, set by the README's test command;
//! never skipped) in a schema of its own, dropped afterwards.

use sea_orm::ConnectionTrait;
use sportello_cases::store::Migrator;
use sportello_kernel::db::{Db, StoreConfig};
use uuid::Uuid;

/// The store in `dir/cases.db`.
pub async fn sqlite(dir: &std::path::Path) -> Db {
    open(
        format!("sqlite://{}/cases.db?mode=rwc", dir.display()),
        "cases".into(),
        1,
    )
    .await
}

/// The store in a fresh schema named after `prefix`; give it back to [`drop_postgres`].
pub async fn postgres(prefix: &str) -> (Db, String, String) {
    let url = std::env::var("SPORTELLO_TEST_POSTGRES_URL")
        .expect("SPORTELLO_TEST_POSTGRES_URL (the README's test command sets it)");
    let schema = format!("{prefix}_{}", Uuid::now_v7().simple());
    let db = open(url.clone(), schema.clone(), 2).await;
    (db, url, schema)
}

/// Drops the schema [`postgres`] made.
pub async fn drop_postgres(url: &str, schema: &str) {
    let owner = sea_orm::Database::connect(url).await.expect("connect");
    owner
        .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .expect("drop the schema");
}

async fn open(url: String, schema: String, max_connections: u32) -> Db {
    Db::open::<Migrator>(
        &StoreConfig {
            url,
            schema,
            app_role: "sportello_app".into(),
            app_password: None,
            max_connections,
        },
        true,
    )
    .await
    .expect("open the store")
}
