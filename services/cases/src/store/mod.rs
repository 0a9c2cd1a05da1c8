//! sea-orm entities of the cases store and its migrations. Every entity is tenant-owned.

use sea_orm::DynIden;
use sea_orm::sea_query::{Alias, IntoIden};
use sea_orm_migration::{MigrationTrait, MigratorTrait};
use sportello_kernel::db::SqlMigration;

mod rows;

/// The cases service's migrations, one SQL file per backend under `migrations/cases/`.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(SqlMigration {
                name: "0001_init",
                sqlite: include_str!("../../../../migrations/cases/sqlite/0001_init.sql"),
                postgres: include_str!("../../../../migrations/cases/postgres/0001_init.sql"),
            }),
            Box::new(SqlMigration {
                name: "0002_referrals_plans",
                sqlite: include_str!(
                    "../../../../migrations/cases/sqlite/0002_referrals_plans.sql"
                ),
                postgres: include_str!(
                    "../../../../migrations/cases/postgres/0002_referrals_plans.sql"
                ),
            }),
            Box::new(SqlMigration {
                name: "0003_appointments",
                sqlite: include_str!("../../../../migrations/cases/sqlite/0003_appointments.sql"),
                postgres: include_str!(
                    "../../../../migrations/cases/postgres/0003_appointments.sql"
                ),
            }),
            Box::new(SqlMigration {
                name: "0004_need_types",
                sqlite: include_str!("../../../../migrations/cases/sqlite/0004_need_types.sql"),
                postgres: include_str!("../../../../migrations/cases/postgres/0004_need_types.sql"),
            }),
            Box::new(SqlMigration {
                name: "0005_outbox_relay",
                sqlite: include_str!("../../../../migrations/cases/sqlite/0005_outbox_relay.sql"),
                postgres: include_str!(
                    "../../../../migrations/cases/postgres/0005_outbox_relay.sql"
                ),
            }),
            Box::new(SqlMigration {
                name: "0006_one_open_case",
                sqlite: include_str!("../../../../migrations/cases/sqlite/0006_one_open_case.sql"),
                postgres: include_str!(
                    "../../../../migrations/cases/postgres/0006_one_open_case.sql"
                ),
            }),
            Box::new(SqlMigration {
                name: "0007_versions",
                sqlite: include_str!("../../../../migrations/cases/sqlite/0007_versions.sql"),
                postgres: include_str!("../../../../migrations/cases/postgres/0007_versions.sql"),
            }),
            Box::new(SqlMigration {
                name: "0008_audit_pending",
                sqlite: include_str!("../../../../migrations/cases/sqlite/0008_audit_pending.sql"),
                postgres: include_str!(
                    "../../../../migrations/cases/postgres/0008_audit_pending.sql"
                ),
            }),
        ]
    }

    fn migration_table_name() -> DynIden {
        Alias::new("cases_migrations").into_iden()
    }
}

pub mod person {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "persons")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub given_names: String,
        pub family_names: String,
        pub latin_given_names: String,
        pub latin_family_names: String,
        /// Canonical key of the names for duplicate search.
        pub name_key: String,
        /// Consonant skeletons of the key's tokens, for pre-selecting candidates.
        pub name_skeleton: String,
        pub birth_year: Option<i32>,
        pub birth_month: Option<i32>,
        pub birth_day: Option<i32>,
        pub sex: Option<String>,
        pub gender: Option<String>,
        pub country_of_birth: Option<String>,
        pub citizenships: String,
        /// `code:level` pairs, comma-separated.
        pub languages: String,
        pub phone: Option<String>,
        pub email: Option<String>,
        /// Normalised (omocodia resolved).
        pub codice_fiscale: Option<String>,
        pub permit_type: Option<String>,
        pub permit_number: Option<String>,
        pub permit_expiry: Option<Date>,
        pub household_id: Option<Uuid>,
        pub household_role: Option<String>,
        pub territory_code: String,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod consent {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "consents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub person_id: Uuid,
        pub purpose: String,
        pub given: bool,
        pub recorded_at: DateTimeUtc,
        pub recorded_by: Uuid,
    }

    sportello_kernel::tenant_owned!();
}

pub mod case {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub person_id: Uuid,
        pub status: String,
        pub outcome: Option<String>,
        pub territory_code: String,
        pub desk_id: Option<Uuid>,
        pub primary_operator: Uuid,
        pub opened_at: DateTimeUtc,
        pub closed_at: Option<DateTimeUtc>,
        pub reopen_reason: Option<String>,
        pub updated_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod encounter {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "encounters")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub occurred_at: DateTimeUtc,
        pub channel: String,
        pub language: Option<String>,
        pub mediator_present: bool,
        pub duration_minutes: Option<i32>,
        pub notes: Option<String>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod need {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "needs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub code: String,
        pub source: String,
        pub status: String,
        pub encounter_id: Option<Uuid>,
        pub noted_at: DateTimeUtc,
        pub noted_by: Uuid,
        /// The tenant's own need type, if one was chosen (its category is `code`).
        pub type_code: Option<String>,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod need_type {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "need_types")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub code: String,
        pub label: String,
        /// The common category it refines.
        pub category: String,
        pub retired: bool,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod intervention {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "interventions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub kind: String,
        /// Need ids, comma-separated.
        pub need_ids: String,
        pub outcome: Option<String>,
        pub done_at: DateTimeUtc,
        pub done_by: Uuid,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod audit_head {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_heads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        pub seq: i64,
        pub hash: String,
    }

    sportello_kernel::tenant_owned!();
}

pub mod audit_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub at: DateTimeUtc,
        pub actor: Option<Uuid>,
        pub action: String,
        pub object_type: String,
        pub object_id: Uuid,
        /// Names of the fields read or changed, comma-separated; never their values.
        pub fields: String,
        pub prev_hash: String,
        pub hash: String,
    }

    sportello_kernel::tenant_owned!();
}

pub mod audit_pending {
    use sea_orm::entity::prelude::*;

    /// An audit entry written by a request and not yet chained by the sealer.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_pending")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub at: DateTimeUtc,
        pub actor: Option<Uuid>,
        pub action: String,
        pub object_type: String,
        pub object_id: Uuid,
        /// Names of the fields read or changed, comma-separated; never their values.
        pub fields: String,
    }

    sportello_kernel::tenant_owned!();
}

/// The outbox is the kernel's ([`sportello_kernel::outbox`]), in this store.
pub use sportello_kernel::outbox::entity as outbox;

/// Per-tenant pseudonym keys kept here before the tenancy service owned them: read once per
/// tenant and process, handed to the owner, then deleted (see `events`).
pub mod tenant_key {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tenant_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        pub secret: String,
    }

    sportello_kernel::tenant_owned!();
}

pub mod referral {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "referrals")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        /// A service of the tenancy directory (another service's id: no foreign key).
        pub service_id: Uuid,
        pub need_ids: String,
        pub status: String,
        pub override_reason: Option<String>,
        pub feedback: Option<String>,
        pub sent_by: Uuid,
        pub sent_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod plan_goal {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "plan_goals")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub title: String,
        pub need_ids: String,
        pub status: String,
        pub review_on: Option<Date>,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod plan_step {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "plan_steps")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub goal_id: Uuid,
        pub title: String,
        pub owner: String,
        pub due_on: Option<Date>,
        pub status: String,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod appointment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "appointments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub desk_id: Uuid,
        pub operator_id: Uuid,
        pub person_id: Uuid,
        pub case_id: Option<Uuid>,
        pub series_id: Option<Uuid>,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub status: String,
        pub remind_at: Option<DateTimeUtc>,
        pub reminder_sent_at: Option<DateTimeUtc>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}

pub mod household {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "households")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub label: String,
        pub territory_code: String,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }

    sportello_kernel::tenant_owned!();
    sportello_kernel::versioned!();
}
