//! sea-orm entities of the tenancy store and its migrations. Tenant-owned entities implement
//! [`TenantOwned`], so their queries are built with `Tx::scoped` and always carry the tenant.

sportello_kernel::sql_migrator!(
    /// The tenancy service's migrations, one SQL file per backend under `migrations/tenancy/`.
    Migrator,
    table "tenancy_migrations",
    dir "../../../../migrations/tenancy",
    [
        "0001_init",
        "0002_directory",
        "0003_pseudonym_keys",
        "0004_versions",
        "0005_tenant_time_zone",
        "0006_retention",
        "0007_retention_closed_cases",
        "0008_api_tokens",
        "0009_messages",
        "0010_password_resets",
        "0011_oidc",
        "0012_reminder_lead",
    ]
);

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
        /// Months of analytics facts kept, the current month included ([`crate::Retention`]).
        pub retention_fact_months: i32,
        /// Days a published event stays in a producer's outbox.
        pub retention_outbox_days: i32,
        /// Years a person is kept after their last case closed.
        pub retention_closed_case_years: i32,
        /// Default lead time of appointment reminders, in hours ([`crate::AppointmentSettings`]).
        pub reminder_hours_before: Option<i32>,
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

sportello_kernel::tenant_entity! {
    /// A tenant's OpenID provider (see `service/oidc.rs`).
    pub mod oidc_provider("oidc_providers", versioned) {
        pub issuer: String,
        pub client_id: String,
        pub auth_method: String,
        pub key_version: i32,
        pub wrapped_key: Vec<u8>,
        /// The client secret, or the PEM private key of `private_key_jwt`.
        pub sealed_secret: Vec<u8>,
        pub key_id: Option<String>,
        /// Space-separated.
        pub scopes: String,
        pub user_claim: String,
        /// Comma-separated.
        pub allowed_domains: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub version: i32,
    }
}

/// An identity at an OpenID provider linked to a user.
pub mod user_identity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_identities")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        pub issuer: String,
        pub subject: String,
        pub created_at: DateTimeUtc,
    }

    sportello_kernel::global_entity!();
}

/// A password reset asked for by e-mail (see `service/users.rs`).
pub mod password_reset {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_resets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        /// SHA-256 of the token (`secret::digest`).
        pub token_hash: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }

    sportello_kernel::global_entity!();
}

sportello_kernel::tenant_entity! {
    pub mod territory("territories", versioned) {
        pub istat_code: String,
        pub name: String,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod desk("desks", versioned) {
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
}

sportello_kernel::tenant_entity! {
    pub mod place("places", versioned) {
        pub desk_id: Uuid,
        pub name: String,
        pub kind: String,
        pub address: Option<String>,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod membership("memberships", versioned) {
        pub user_id: Uuid,
        /// Role codes, comma-separated.
        pub roles: String,
        /// ISTAT codes the roles are limited to, comma-separated; empty for all.
        pub territories: String,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod invitation("invitations") {
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
}

sportello_kernel::tenant_entity! {
    pub mod organization("organizations") {
        pub name: String,
        pub description: Option<String>,
        pub website: Option<String>,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub created_at: DateTimeUtc,
    }
}

sportello_kernel::tenant_entity! {
    pub mod directory_service("directory_services") {
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

sportello_kernel::tenant_entity! {
    /// An API token: only its SHA-256 is stored.
    pub mod api_token("api_tokens") {
        pub kind: String,
        pub name: String,
        pub scope: String,
        pub owner_user_id: Option<Uuid>,
        /// Roles of a service token, comma-separated (empty for a personal token).
        pub roles: String,
        pub token_hash: String,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub last_used_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
        pub revoked_by: Option<Uuid>,
    }
}

sportello_kernel::tenant_entity! {
    /// One use of an API token: the operation and the client address.
    pub mod api_token_use("api_token_uses") {
        pub token_id: Uuid,
        pub at: DateTimeUtc,
        pub operation: String,
        pub kind: String,
        pub client: String,
    }
}
