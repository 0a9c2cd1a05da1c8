//! sea-orm entities of the cases store and its migrations. Every entity is tenant-owned.

pub mod name_keys;
mod rows;

sportello_kernel::sql_migrator!(
    /// The cases service's migrations, one SQL file per backend under `migrations/cases/`.
    Migrator,
    table "cases_migrations",
    dir "../../../../migrations/cases",
    [
        "0001_init",
        "0002_referrals_plans",
        "0003_appointments",
        "0004_need_types",
        "0005_outbox_relay",
        "0006_one_open_case",
        "0007_versions",
        "0008_audit_pending",
        "0009_name_keys",
        "0010_case_outcomes",
        "0011_codice_fiscale_as_issued",
        "0012_person_name_keys",
        "0013_field_encryption",
        "0014_closed_case_retention",
        "0015_outcome_offers",
        "0016_messages",
        "0017_reminders",
        "0018_procedures",
        "0019_oncall",
    ]
);

sportello_kernel::tenant_entity! {
    pub mod person("persons", versioned) {
        pub given_names: String,
        pub family_names: String,
        pub latin_given_names: String,
        pub latin_family_names: String,
        /// Canonical key of the names for duplicate search.
        pub name_key: String,
        /// Consonant skeletons of the names' tokens, as written and in Latin, for pre-selecting
        /// candidates.
        pub name_skeleton: String,
        /// The derivation of `name_key` and `name_skeleton` (`names::KEYS_VERSION`); older rows
        /// are derived again by `rekey`.
        pub name_keys_version: i32,
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
        /// As issued (omocodia letters kept), or a provisional 11-digit code; sealed under the
        /// person's key when `sealed` is 1 (`crate::seal`).
        pub codice_fiscale: Option<String>,
        /// Shared by records that may be the same person: the plain form of the codice fiscale
        /// (`TaxCode::key`); on sealed rows its keyed blind index (`seal::CF_KEY`).
        pub codice_fiscale_key: Option<String>,
        /// Keyed blind index of the code as issued (`seal::CF_ISSUED`), unique in the tenant;
        /// set on sealed rows only.
        pub codice_fiscale_index: Option<String>,
        /// What the code contradicts on the record (`sex`, `birth_date`, `birthplace`),
        /// comma-separated, as found when the record was saved.
        pub codice_fiscale_warnings: String,
        /// Sealed when `sealed` is 1.
        pub permit_type: Option<String>,
        /// Sealed when `sealed` is 1.
        pub permit_number: Option<String>,
        /// In clear on rows not yet sealed only; see `permit_expiry_sealed`.
        pub permit_expiry: Option<Date>,
        /// The permit's expiry (`YYYY-MM-DD`), sealed.
        pub permit_expiry_sealed: Option<String>,
        /// 1: the protected columns are sealed under the person's key; 0: a row written before
        /// field encryption, sealed by the start-up task (`seal::seal_all`).
        pub sealed: i32,
        pub household_id: Option<Uuid>,
        pub household_role: Option<String>,
        pub territory_code: String,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

/// The duplicate search's blocking keys of a person (`names::person_name_keys`), one row a key,
/// keyed by (`tenant_id`, `key`, `person_id`), with the person's territory; written by
/// [`name_keys::write`].
pub mod person_name_key {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "person_name_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub person_id: Uuid,
        /// The person's territory, kept with each key so that a search restricted to some
        /// territories selects and ranks within them.
        pub territory_code: String,
    }

    sportello_kernel::tenant_owned!();
}

sportello_kernel::tenant_entity! {
    /// A person's data key (`id` is the person's), wrapped by the tenant's key-encryption key
    /// of version `kek_version`, which the key store holds (`sportello_kernel::crypto`).
    pub mod person_key("person_keys") {
        pub kek_version: i32,
        pub wrapped: Vec<u8>,
        pub created_at: DateTimeUtc,
    }
}

sportello_kernel::tenant_entity! {
    pub mod consent("consents") {
        pub person_id: Uuid,
        pub purpose: String,
        pub given: bool,
        pub recorded_at: DateTimeUtc,
        pub recorded_by: Uuid,
    }
}

sportello_kernel::tenant_entity! {
    pub mod case("cases", versioned) {
        pub person_id: Uuid,
        pub status: String,
        pub outcome: Option<String>,
        pub territory_code: String,
        pub desk_id: Option<Uuid>,
        pub primary_operator: Uuid,
        pub opened_at: DateTimeUtc,
        pub closed_at: Option<DateTimeUtc>,
        /// Sealed under the person's key when `sealed` is 1.
        pub reopen_reason: Option<String>,
        pub updated_at: DateTimeUtc,
        /// See `person::Model::sealed`.
        pub sealed: i32,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod encounter("encounters", versioned) {
        pub case_id: Uuid,
        pub occurred_at: DateTimeUtc,
        pub channel: String,
        pub language: Option<String>,
        pub mediator_present: bool,
        pub duration_minutes: Option<i32>,
        /// Sealed under the person's key when `sealed` is 1.
        pub notes: Option<String>,
        pub created_by: Uuid,
        /// See `person::Model::sealed`.
        pub sealed: i32,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod need("needs", versioned) {
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
}

sportello_kernel::tenant_entity! {
    pub mod need_type("need_types", versioned) {
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
}

sportello_kernel::tenant_entity! {
    /// Whether the tenant offers one code of a closed list of outcomes (no row: offered).
    pub mod outcome_offer("outcome_offers") {
        /// The list (`OutcomeList::as_str`): `case` or `intervention`.
        pub list: String,
        pub code: String,
        pub offered: bool,
        pub changed_by: Uuid,
        pub changed_at: DateTimeUtc,
    }
}

sportello_kernel::tenant_entity! {
    pub mod intervention("interventions", versioned) {
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

sportello_kernel::tenant_entity! {
    /// An audit entry written by a request and not yet chained by the sealer.
    pub mod audit_pending("audit_pending") {
        pub at: DateTimeUtc,
        pub actor: Option<Uuid>,
        pub action: String,
        pub object_type: String,
        pub object_id: Uuid,
        /// Names of the fields read or changed, comma-separated; never their values.
        pub fields: String,
    }
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

sportello_kernel::tenant_entity! {
    pub mod referral("referrals", versioned) {
        pub case_id: Uuid,
        /// A service of the tenancy directory (another service's id: no foreign key).
        pub service_id: Uuid,
        pub need_ids: String,
        pub status: String,
        /// Sealed under the person's key when `sealed` is 1.
        pub override_reason: Option<String>,
        /// Sealed under the person's key when `sealed` is 1.
        pub feedback: Option<String>,
        pub sent_by: Uuid,
        /// See `person::Model::sealed`.
        pub sealed: i32,
        pub sent_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod plan_goal("plan_goals", versioned) {
        pub case_id: Uuid,
        /// Sealed under the person's key when `sealed` is 1.
        pub title: String,
        /// See `person::Model::sealed`.
        pub sealed: i32,
        pub need_ids: String,
        pub status: String,
        pub review_on: Option<Date>,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod plan_step("plan_steps", versioned) {
        pub goal_id: Uuid,
        /// Sealed under the person's key when `sealed` is 1.
        pub title: String,
        /// See `person::Model::sealed`.
        pub sealed: i32,
        pub owner: String,
        pub due_on: Option<Date>,
        pub status: String,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod appointment("appointments", versioned) {
        pub desk_id: Uuid,
        pub operator_id: Uuid,
        pub person_id: Uuid,
        pub case_id: Option<Uuid>,
        pub series_id: Option<Uuid>,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub status: String,
        pub remind_at: Option<DateTimeUtc>,
        /// When the reminder was dealt with (queued, or found impossible).
        pub reminder_sent_at: Option<DateTimeUtc>,
        /// `sportello_cases::ReminderOutcome` once dealt with.
        pub reminder_outcome: Option<String>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// A tenant's own procedure type (`domain::procedures::TypeDef` as JSON in `definition`).
    pub mod procedure_type("procedure_types", versioned) {
        pub code: String,
        pub label: String,
        pub definition: String,
        pub retired: bool,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// A person's procedure (pratica).
    pub mod procedure("procedures", versioned) {
        pub person_id: Uuid,
        pub case_id: Option<Uuid>,
        pub type_code: String,
        pub responsible_id: Uuid,
        pub started_on: Date,
        pub reference_on: Option<Date>,
        /// `OPEN`, `COMPLETED` or `ABANDONED`.
        pub status: String,
        pub closed_on: Option<Date>,
        pub alert_days: i32,
        /// `{"step code": "YYYY-MM-DD"}`.
        pub steps_done: String,
        /// `{"document code": "STATUS"}`.
        pub documents: String,
        /// The earliest due date of a step not done (`domain::procedures::next_due`).
        pub next_due_on: Option<Date>,
        pub next_step: Option<String>,
        /// `next_due_on` less `alert_days`: from this day on, the procedure alerts.
        pub alert_on: Option<Date>,
        /// The deadline the person and the staff member were notified of (`reminders`).
        pub notified_for: Option<Date>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod household("households", versioned) {
        pub label: String,
        pub territory_code: String,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// A tenant's on-call targets (one row, `id` = the tenant).
    pub mod oncall_settings("oncall_settings", versioned) {
        pub urgent_activation_minutes: i32,
        pub normal_activation_minutes: i32,
        pub legal_response_minutes: i32,
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// A mediator's languages, territories and availability (`id` = the user).
    pub mod mediator_profile("mediator_profiles", versioned) {
        /// ISO 639-1 codes, comma-separated.
        pub languages: String,
        pub dialects: String,
        /// ISTAT codes, comma-separated; empty: every territory.
        pub territories: String,
        pub available: bool,
        pub max_active: i32,
        pub updated_at: DateTimeUtc,
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// A school, social service or clinic that requests mediation.
    pub mod requester_organisation("requester_organisations", versioned) {
        pub name: String,
        pub kind: String,
        pub address: String,
        pub territory_code: String,
        pub created_at: DateTimeUtc,
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// A requester account's organisation (`id` = the user).
    pub mod requester_member("requester_members") {
        pub organisation_id: Uuid,
        pub created_at: DateTimeUtc,
    }
}

sportello_kernel::tenant_entity! {
    pub mod mediation_request("mediation_requests", versioned) {
        pub organisation_id: Option<Uuid>,
        pub requested_by: Uuid,
        pub language: String,
        pub dialect: String,
        pub place_name: String,
        pub address: String,
        pub territory_code: String,
        pub starts_at: DateTimeUtc,
        pub window_ends_at: DateTimeUtc,
        pub duration_minutes: i32,
        pub purpose: String,
        pub urgency: String,
        pub shared_details: String,
        pub status: String,
        pub mediator_id: Option<Uuid>,
        pub confirmed_at: Option<DateTimeUtc>,
        pub report_minutes: Option<i32>,
        pub report_outcome: Option<String>,
        pub done_at: Option<DateTimeUtc>,
        pub closed_at: Option<DateTimeUtc>,
        pub cancelled_at: Option<DateTimeUtc>,
        pub cancelled_by: Option<String>,
        pub cancel_reason: Option<String>,
        pub created_at: DateTimeUtc,
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod mediation_offer("mediation_offers") {
        pub request_id: Uuid,
        pub mediator_id: Uuid,
        pub status: String,
        pub offered_at: DateTimeUtc,
        pub answered_at: Option<DateTimeUtc>,
    }
}

sportello_kernel::tenant_entity! {
    pub mod legal_consultation("legal_consultations", versioned) {
        pub asked_by: Uuid,
        pub case_id: Option<Uuid>,
        pub category: String,
        pub urgency: String,
        pub status: String,
        pub advisor_id: Option<Uuid>,
        pub taken_at: Option<DateTimeUtc>,
        pub answered_at: Option<DateTimeUtc>,
        pub closed_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    pub mod legal_message("legal_messages") {
        pub consultation_id: Uuid,
        pub author_id: Uuid,
        pub kind: String,
        pub body: String,
        pub created_at: DateTimeUtc,
    }
}

sportello_kernel::tenant_entity! {
    pub mod legal_knowledge("legal_knowledge", versioned) {
        pub consultation_id: Option<Uuid>,
        pub category: String,
        pub question: String,
        pub answer: String,
        pub search_text: String,
        pub published_by: Uuid,
        pub published_at: DateTimeUtc,
        pub version: i32,
    }
}
