//! How a service declares its store: migrations (one SQL file per backend) and entities, marked
//! as belonging to one tenant ([`TenantOwned`], optionally [`Versioned`]) or to none ([`Global`]).

use async_trait::async_trait;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait};
use sea_orm_migration::{MigrationName, MigrationTrait, SchemaManager};

/// Declares a store's migrator: `$migrator` applies the SQL files `$dir/{sqlite,postgres}/<name>.sql`
/// (a path relative to the invoking file) in the order given, and records them in the table
/// `$table`.
///
/// ```ignore
/// sql_migrator!(Migrator, table "cases_migrations", dir "../../../../migrations/cases", [
///     "0001_init",
///     "0002_referrals_plans",
/// ]);
/// ```
#[macro_export]
macro_rules! sql_migrator {
    ($(#[$meta:meta])* $migrator:ident, table $table:literal, dir $dir:literal, [$($name:literal),* $(,)?]) => {
        $(#[$meta])*
        pub struct $migrator;

        impl $crate::reexport::sea_orm_migration::MigratorTrait for $migrator {
            fn migrations() -> Vec<Box<dyn $crate::reexport::sea_orm_migration::MigrationTrait>> {
                vec![$(Box::new($crate::db::SqlMigration {
                    name: $name,
                    sqlite: include_str!(concat!($dir, "/sqlite/", $name, ".sql")),
                    postgres: include_str!(concat!($dir, "/postgres/", $name, ".sql")),
                })),*]
            }

            fn migration_table_name() -> $crate::reexport::sea_orm::DynIden {
                use $crate::reexport::sea_orm::sea_query::IntoIden;
                $crate::reexport::sea_orm::sea_query::Alias::new($table).into_iden()
            }
        }
    };
}

/// One SQL migration, written once per backend.
pub struct SqlMigration {
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

impl MigrationName for SqlMigration {
    fn name(&self) -> &str {
        self.name
    }
}

#[async_trait]
impl MigrationTrait for SqlMigration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = match manager.get_database_backend() {
            DbBackend::Postgres => self.postgres,
            _ => self.sqlite,
        };
        manager
            .get_connection()
            .execute_unprepared(sql)
            .await
            .map(|_| ())
    }
}

/// Completes a sea-orm entity module whose rows belong to one tenant (a `tenant_id` column):
/// no relations, default behaviour, and [`TenantOwned`]. Call it inside the entity's module,
/// after `use sea_orm::entity::prelude::*;`.
#[macro_export]
macro_rules! tenant_owned {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}

        impl $crate::db::TenantOwned for Entity {
            fn tenant_column() -> Column {
                Column::TenantId
            }
        }
    };
}

/// A sea-orm entity module whose rows belong to one tenant, keyed by (`tenant_id`, `id`) (both
/// UUIDs, the tenant leading): the module, its `Model` with those two key columns before the
/// fields given, and [`tenant_owned!`]; with `versioned`, also [`versioned!`] (the fields then
/// include `version: i32`).
///
/// ```ignore
/// sportello_kernel::tenant_entity! {
///     /// A desk.
///     pub mod desk("desks", versioned) {
///         pub name: String,
///         pub version: i32,
///     }
/// }
/// ```
#[macro_export]
macro_rules! tenant_entity {
    ($(#[$meta:meta])* pub mod $module:ident($table:literal $(, $versioned:ident)?) {
        $($(#[$fmeta:meta])* pub $field:ident: $ty:ty,)*
    }) => {
        $(#[$meta])*
        pub mod $module {
            use sea_orm::entity::prelude::*;

            #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
            #[sea_orm(table_name = $table)]
            pub struct Model {
                #[sea_orm(primary_key, auto_increment = false)]
                pub tenant_id: Uuid,
                #[sea_orm(primary_key, auto_increment = false)]
                pub id: Uuid,
                $($(#[$fmeta])* pub $field: $ty,)*
            }

            $crate::tenant_owned!();
            $($crate::$versioned!();)?
        }
    };
}

/// Completes a sea-orm entity module whose rows belong to no tenant (tenants, users): no
/// relations, default behaviour, and [`Global`].
#[macro_export]
macro_rules! global_entity {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}

        impl $crate::db::Global for Entity {}
    };
}

/// An entity whose rows belong to no tenant, read with [`Tx::global`].
pub trait Global: EntityTrait {}

/// Completes a tenant-owned entity whose rows carry a `version` (an integer that every update
/// raises by one) next to their `id`: [`Versioned`]. Call it after [`tenant_owned!`].
#[macro_export]
macro_rules! versioned {
    () => {
        impl $crate::db::Versioned for Entity {
            fn id_column() -> Column {
                Column::Id
            }

            fn version_column() -> Column {
                Column::Version
            }
        }
    };
}

/// An entity whose rows belong to one tenant.
pub trait TenantOwned: EntityTrait {
    /// The `tenant_id` column.
    fn tenant_column() -> Self::Column;
}

/// A tenant-owned entity whose rows carry a version, raised by one on every update, so that an
/// update based on an older reading is refused instead of silently overwriting a newer one.
pub trait Versioned: TenantOwned {
    /// The `id` column.
    fn id_column() -> Self::Column;
    /// The `version` column (an integer, 1 when the row is created).
    fn version_column() -> Self::Column;
}
