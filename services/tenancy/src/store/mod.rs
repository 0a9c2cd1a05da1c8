//! sea-orm entities of the tenancy store and its migrations. Tenant-owned entities implement
//! [`TenantOwned`], so their queries are built with `Tx::scoped` and always carry the tenant.

use sea_orm::DynIden;
use sea_orm::sea_query::{Alias, IntoIden};
use sea_orm_migration::{MigrationTrait, MigratorTrait};
use sportello_kernel::db::SqlMigration;

/// The tenancy service's migrations, one SQL file per backend under `migrations/tenancy/`.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(SqlMigration {
                name: "0001_init",
                sqlite: include_str!("../../../../migrations/tenancy/sqlite/0001_init.sql"),
                postgres: include_str!("../../../../migrations/tenancy/postgres/0001_init.sql"),
            }),
            Box::new(SqlMigration {
                name: "0002_directory",
                sqlite: include_str!("../../../../migrations/tenancy/sqlite/0002_directory.sql"),
                postgres: include_str!(
                    "../../../../migrations/tenancy/postgres/0002_directory.sql"
                ),
            }),
            Box::new(SqlMigration {
                name: "0003_pseudonym_keys",
                sqlite: include_str!(
                    "../../../../migrations/tenancy/sqlite/0003_pseudonym_keys.sql"
                ),
                postgres: include_str!(
                    "../../../../migrations/tenancy/postgres/0003_pseudonym_keys.sql"
                ),
            }),
            Box::new(SqlMigration {
                name: "0004_versions",
                sqlite: include_str!("../../../../migrations/tenancy/sqlite/0004_versions.sql"),
                postgres: include_str!("../../../../migrations/tenancy/postgres/0004_versions.sql"),
            }),
            Box::new(SqlMigration {
                name: "0005_tenant_time_zone",
                sqlite: include_str!(
                    "../../../../migrations/tenancy/sqlite/0005_tenant_time_zone.sql"
                ),
                postgres: include_str!(
                    "../../../../migrations/tenancy/postgres/0005_tenant_time_zone.sql"
                ),
            }),
        ]
    }

    fn migration_table_name() -> DynIden {
        Alias::new("tenancy_migrations").into_iden()
    }
}

pub mod tenant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tenants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub kind: String,
        pub created_at: DateTimeUtc,
        /// IANA name of the tenant's time zone.
        pub time_zone: String,
    }

    sportello_kernel::global_entity!();
}

pub mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub email: String,
        pub display_name: String,
        pub password_hash: Option<String>,
        pub platform_admin: bool,
        pub created_at: DateTimeUtc,
    }

    sportello_kernel::global_entity!();
}

pub mod territory {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "territories")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub istat_code: String,
        pub name: String,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod desk {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "desks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub territory_id: Uuid,
        pub name: String,
        pub kind: String,
        pub address: Option<String>,
        pub opening_hours: Option<String>,
        /// ISO 639 codes, comma-separated.
        pub languages: String,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod place {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "places")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub desk_id: Uuid,
        pub name: String,
        pub kind: String,
        pub address: Option<String>,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod membership {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "memberships")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        /// Role codes, comma-separated.
        pub roles: String,
        /// ISTAT codes the roles are limited to, comma-separated; empty for all.
        pub territories: String,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod invitation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub email: String,
        pub roles: String,
        pub territories: String,
        /// SHA-256 of the token; the token itself is never stored.
        pub token_hash: String,
        pub expires_at: DateTimeUtc,
        pub accepted_at: Option<DateTimeUtc>,
        pub invited_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }

    sportello_kernel::tenant_owned!();
}

pub mod organization {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "organizations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub description: Option<String>,
        pub website: Option<String>,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub created_at: DateTimeUtc,
    }

    sportello_kernel::tenant_owned!();
}

pub mod directory_service {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "directory_services")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Uuid,
        pub name: String,
        pub description: Option<String>,
        /// Need category codes, comma-separated.
        pub categories: String,
        pub territory_id: Uuid,
        pub address: Option<String>,
        pub languages: String,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub created_at: DateTimeUtc,
    }

    sportello_kernel::tenant_owned!();
}

/// Joins a list into the comma-separated form stored in text columns.
pub fn join_list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(",")
}

/// Splits a comma-separated column into its items.
pub fn split_list(column: &str) -> Vec<String> {
    column
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

pub mod pseudonym_key {
    use sea_orm::entity::prelude::*;

    /// A tenant's key of the pseudonyms in events (see `Tenancy::pseudonym_key`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pseudonym_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        pub secret: String,
        pub created_at: DateTimeUtc,
    }

    sportello_kernel::tenant_owned!();
}
