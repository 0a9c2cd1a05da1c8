//! The analytics store's migrations, one SQL file per backend under `migrations/analytics/`.
//! Queries are plain SQL in the service: facts and cells are read by aggregation, not as
//! entities.

sportello_kernel::sql_migrator!(
    Migrator,
    table "analytics_migrations",
    dir "../../../migrations/analytics",
    [
        "0001_init",
        "0002_corrections_consent",
        "0003_month_only_facts",
        "0004_erased_people",
        "0005_activity_facts",
    ]
);
