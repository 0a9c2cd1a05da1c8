//! The analytics store's migrations, one SQL file per backend under `migrations/analytics/`.
//! Queries are plain SQL in the service: facts and cells are read by aggregation, not as
//! entities.

use sea_orm::DynIden;
use sea_orm::sea_query::{Alias, IntoIden};
use sea_orm_migration::{MigrationTrait, MigratorTrait};
use sportello_kernel::db::SqlMigration;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(SqlMigration {
                name: "0001_init",
                sqlite: include_str!("../../../migrations/analytics/sqlite/0001_init.sql"),
                postgres: include_str!("../../../migrations/analytics/postgres/0001_init.sql"),
            }),
            Box::new(SqlMigration {
                name: "0002_corrections_consent",
                sqlite: include_str!(
                    "../../../migrations/analytics/sqlite/0002_corrections_consent.sql"
                ),
                postgres: include_str!(
                    "../../../migrations/analytics/postgres/0002_corrections_consent.sql"
                ),
            }),
        ]
    }

    fn migration_table_name() -> DynIden {
        Alias::new("analytics_migrations").into_iden()
    }
}
