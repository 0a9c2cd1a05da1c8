//! sea-orm entities of the housing store and its migrations. Every entity is tenant-owned, so its
//! queries are built with `Tx::scoped` and always carry the tenant.

use sea_orm_migration::{MigrationTrait, MigratorTrait};

sportello_kernel::sql_migrator!(
    /// The SQL files of the housing store, one per backend under `migrations/housing/`.
    Files,
    table "housing_migrations",
    dir "../../../migrations/housing",
    ["0001_init", "0002_cancelled_placements"]
);

/// The housing service's migrations: the kernel's outbox first, then [`Files`].
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all: Vec<Box<dyn MigrationTrait>> =
            vec![Box::new(sportello_kernel::outbox::migration("0000_outbox"))];
        all.extend(Files::migrations());
        all
    }

    fn migration_table_name() -> sea_orm::DynIden {
        Files::migration_table_name()
    }
}

/// The outbox is the kernel's ([`sportello_kernel::outbox`]), in this store.
pub use sportello_kernel::outbox::entity as outbox;

sportello_kernel::tenant_entity! {
    /// An apartment or a house.
    pub mod unit("units", versioned) {
        pub name: String,
        pub kind: String,
        pub ownership: String,
        pub owner: String,
        pub address: String,
        pub territory_code: String,
        pub accessible: bool,
        /// JSON array of strings.
        pub shared_spaces: String,
        pub house_rules: Option<String>,
        /// `AVAILABLE`, `MAINTENANCE` or `WITHDRAWN` (`OCCUPIED` is read, never stored).
        pub state: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod room("rooms") {
        pub unit_id: Uuid,
        pub name: String,
        pub position: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod bed("beds") {
        pub unit_id: Uuid,
        pub room_id: Uuid,
        pub label: String,
        pub position: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// One version of the tenant's priority rule: the newest is in force.
    pub mod priority_rule("priority_rules") {
        pub version: i32,
        /// JSON of [`crate::PriorityRule`]'s points.
        pub rule: String,
        pub reason: String,
        pub by_user: Uuid,
        pub at: DateTimeUtc,
    }
}

sportello_kernel::tenant_entity! {
    /// A household's application on the waiting list.
    pub mod application("applications", versioned) {
        pub household_id: Uuid,
        pub status: String,
        pub applied_on: Date,
        pub minors: i32,
        pub eviction_notice_on: Option<Date>,
        pub income_band: String,
        pub health_sealed: Vec<u8>,
        pub wrapped_key: Vec<u8>,
        pub key_version: i32,
        pub note: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// One change of an application's score.
    pub mod score_change("score_changes") {
        pub application_id: Uuid,
        pub cause: String,
        pub before_score: Option<i32>,
        pub after_score: i32,
        pub rule_version: i32,
        pub by_user: Option<Uuid>,
        pub at: DateTimeUtc,
    }
}

sportello_kernel::tenant_entity! {
    /// A household placed in a unit.
    pub mod placement("placements", versioned) {
        pub household_id: Uuid,
        pub application_id: Option<Uuid>,
        pub unit_id: Uuid,
        /// Bed ids, comma-separated.
        pub bed_ids: String,
        pub starts_on: Date,
        pub planned_end_on: Date,
        pub monthly_contribution_cents: i64,
        pub deposit_cents: i64,
        pub rules_signed_on: Option<Date>,
        pub responsible_user_id: Uuid,
        pub exit_on: Option<Date>,
        pub exit_destination: Option<String>,
        pub autonomy_reached: Option<bool>,
        /// The day a placement was cancelled before its first day.
        pub cancelled_on: Option<Date>,
        /// JSON array of [`crate::Extension`].
        pub extensions: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// A placement's nights on one bed: `starts_on` up to `ends_on` (not included).
    pub mod bed_stay("bed_stays") {
        pub placement_id: Uuid,
        pub unit_id: Uuid,
        pub bed_id: Uuid,
        pub household_id: Uuid,
        pub starts_on: Date,
        pub ends_on: Date,
    }
}

sportello_kernel::tenant_entity! {
    pub mod milestone("milestones") {
        pub placement_id: Uuid,
        pub kind: String,
        pub reached_on: Date,
        pub case_id: Option<Uuid>,
        pub goal_id: Option<Uuid>,
        pub note: Option<String>,
        pub recorded_by: Uuid,
        pub recorded_at: DateTimeUtc,
    }
}

sportello_kernel::tenant_entity! {
    pub mod follow_up("follow_ups", versioned) {
        pub placement_id: Uuid,
        pub household_id: Uuid,
        pub months: i32,
        pub due_on: Date,
        pub responsible_user_id: Uuid,
        pub recorded_on: Option<Date>,
        pub still_housed: Option<bool>,
        pub destination: Option<String>,
        pub version: i32,
    }
}
