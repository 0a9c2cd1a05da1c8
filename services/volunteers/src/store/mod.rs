//! sea-orm entities of the volunteers store and its migrations. Every entity is tenant-owned, so
//! its queries are built with `Tx::scoped` and always carry the tenant.

use sea_orm_migration::{MigrationTrait, MigratorTrait};

sportello_kernel::sql_migrator!(
    /// The SQL files of the volunteers store, one per backend under `migrations/volunteers/`.
    Files,
    table "volunteers_migrations",
    dir "../../../../migrations/volunteers",
    [
        "0001_init",
        "0002_tasks",
        "0003_training",
        "0004_pacts",
        "0005_session_changes",
        "0006_pact_renewal_ahead",
    ]
);

/// The volunteers service's migrations: the kernel's outbox first, then [`Files`].
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
    /// A skill of the tenant's taxonomy beyond the defaults, or a default the tenant retired.
    pub mod skill("skills") {
        pub code: String,
        /// The tenant's own wording; `None` for a default, which the console translates.
        pub label: Option<String>,
        pub retired: bool,
        pub created_at: DateTimeUtc,
    }
}

sportello_kernel::tenant_entity! {
    /// An active citizen of the register, from application to withdrawal.
    pub mod volunteer("volunteers", versioned) {
        pub given_names: String,
        pub family_names: String,
        pub email: Option<String>,
        pub phone: Option<String>,
        /// JSON: `[{"code": "ar", "level": "NATIVE"}]`.
        pub languages: String,
        /// Skill codes, comma-separated.
        pub skills: String,
        /// ISTAT codes of the municipalities they act in, comma-separated.
        pub territories: String,
        /// JSON: [`crate::Availability`].
        pub availability: String,
        pub works_with_minors: bool,
        /// The local day the required check for working with minors was seen.
        pub minors_check_on: Option<Date>,
        pub status: String,
        pub source: String,
        pub user_id: Option<Uuid>,
        pub invitation_id: Option<Uuid>,
        pub conduct_signed_on: Option<Date>,
        pub data_consent_on: Option<Date>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// One step of a volunteer's status: who took it and when.
    pub mod status_change("volunteer_status_changes") {
        pub volunteer_id: Uuid,
        pub status: String,
        /// The staff member; `None` for an application from the public form.
        pub by_user: Option<Uuid>,
        pub at: DateTimeUtc,
        pub note: Option<String>,
    }
}

/// Joins codes into the form stored: comma-separated with a comma at each end (`,A,B,`), so
/// that `LIKE '%,A,%'` finds one code exactly; empty for none.
pub fn join_list(items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    format!(",{},", items.join(","))
}

/// The `LIKE` pattern that finds one code in a column written by [`join_list`].
pub fn list_pattern(code: &str) -> String {
    format!("%,{code},%")
}

/// Splits a stored comma-separated list; empty for an empty column.
pub fn split_list(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

// ── Training ─────────────────────────────────────────────────────────────────────────────────

sportello_kernel::tenant_entity! {
    /// A training course or a co-design workshop.
    pub mod course("courses", versioned) {
        /// `COURSE` or `WORKSHOP` ([`crate::CourseKind`]).
        pub kind: String,
        pub title: String,
        /// `OPERATORS`, `VOLUNTEERS` or `CITIZENS` ([`crate::Audience`]).
        pub audience: String,
        /// The planned length of the whole course, in minutes.
        pub planned_minutes: i32,
        pub trainer: String,
        pub capacity: i32,
        pub min_attendance_percent: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// One meeting of a course, in a place or online.
    pub mod course_session("course_sessions", versioned) {
        pub course_id: Uuid,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub place: Option<String>,
        pub online_url: Option<String>,
        pub created_at: DateTimeUtc,
        /// Raised by one on every change (see `Tx::update_versioned`).
        pub version: i32,
        /// Set when the session was cancelled (final), with the reason given.
        pub cancelled_at: Option<DateTimeUtc>,
        pub cancel_reason: Option<String>,
    }
}

sportello_kernel::tenant_entity! {
    /// A participant's place in a course (or on its waiting list).
    pub mod enrolment("enrolments") {
        pub course_id: Uuid,
        /// Set for a volunteer of the register; `None` for a named person (an operator, a citizen).
        pub volunteer_id: Option<Uuid>,
        /// The participant's name as given at enrolment (a volunteer's names then).
        pub participant_name: String,
        pub participant_email: Option<String>,
        /// `ENROLLED`, `WAITING` or `WITHDRAWN` ([`crate::EnrolmentStatus`]).
        pub status: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
}

sportello_kernel::tenant_entity! {
    /// Whether one enrolled participant was present at one session.
    pub mod attendance("attendances") {
        pub session_id: Uuid,
        pub enrolment_id: Uuid,
        pub present: bool,
        pub recorded_at: DateTimeUtc,
        pub recorded_by: Uuid,
    }
}

sportello_kernel::tenant_entity! {
    /// A certificate of attendance, with what it certified as it was when issued. The
    /// verification code is not stored, only its SHA-256 (`code_hash`).
    pub mod certificate("certificates") {
        pub enrolment_id: Uuid,
        pub volunteer_id: Option<Uuid>,
        pub code_hash: String,
        pub participant_name: String,
        pub course_title: String,
        pub course_kind: String,
        pub minutes_attended: i32,
        pub sessions_attended: i32,
        pub sessions_held: i32,
        /// Local days of the first and last session held.
        pub first_day: Date,
        pub last_day: Date,
        /// The local day of issue.
        pub issued_on: Date,
        pub issued_at: DateTimeUtc,
        pub issued_by: Uuid,
    }
}

// ── Tasks, delegations and hours ───────────────────────────────────────────────────────────

sportello_kernel::tenant_entity! {
    /// A task an operator or a desk asks a volunteer for, and whom it went to.
    pub mod task("volunteer_tasks", versioned) {
        /// A skill code of the tenant's taxonomy.
        pub skill: String,
        /// ISO 639 code.
        pub language: String,
        /// ISTAT code of the tenant's municipality where the task takes place.
        pub territory: String,
        pub desk_id: Option<Uuid>,
        pub place_id: Option<Uuid>,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub involves_minors: bool,
        /// What the operator chose to share of the person served: a first name at most.
        pub person_first_name: Option<String>,
        pub shared_note: Option<String>,
        /// `OPEN`, `ASSIGNED`, `DONE` or `CANCELLED`.
        pub status: String,
        /// The volunteer who accepted it (from `ASSIGNED` on).
        pub volunteer_id: Option<Uuid>,
        pub requested_by: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// A task offered to one volunteer, and their answer.
    pub mod task_offer("task_offers") {
        pub task_id: Uuid,
        pub volunteer_id: Uuid,
        /// `OFFERED`, `ACCEPTED`, `DECLINED` or `CLOSED` (another volunteer took the task, or it
        /// was cancelled).
        pub status: String,
        pub offered_by: Uuid,
        pub offered_at: DateTimeUtc,
        pub answered_at: Option<DateTimeUtc>,
    }
}

sportello_kernel::tenant_entity! {
    /// Time a volunteer gave on one local day, logged by them and decided by staff.
    pub mod hours("volunteer_hours", versioned) {
        pub volunteer_id: Uuid,
        pub task_id: Option<Uuid>,
        /// The local day (tenant's zone).
        pub on_day: Date,
        /// 1 to 1440.
        pub minutes: i32,
        pub note: Option<String>,
        /// `PENDING`, `APPROVED` or `REJECTED`.
        pub status: String,
        pub decided_by: Option<Uuid>,
        pub decided_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        /// Raised by one on every update.
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// A volunteer lent to a requesting body for a period of local days.
    pub mod delegation("volunteer_delegations") {
        pub volunteer_id: Uuid,
        /// The requesting body's name (an association, a school, another municipality).
        pub body: String,
        pub from_day: Date,
        pub to_day: Date,
        pub note: Option<String>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }
}

// ── Collaboration pacts ────────────────────────────────────────────────────────────────────

sportello_kernel::tenant_entity! {
    /// A collaboration pact (patto di collaborazione) on the care of a common good. Dates are
    /// local days of the tenant. `status` is the last step taken; how it reads today (an active
    /// pact past its end is expired, or renewed when renewal is tacit) is computed on read
    /// (`service::pacts::effective`).
    pub mod pact("pacts", versioned) {
        pub proposer_kind: String,
        pub proposer_name: String,
        pub proposer_email: Option<String>,
        pub proposer_phone: Option<String>,
        /// Ids of the register's volunteers taking part, written by [`join_list`].
        pub proposer_volunteers: String,
        /// The ISTAT code of the municipality, one of the tenant's territories.
        pub municipality: String,
        pub good_kind: String,
        pub good_name: String,
        pub good_address: Option<String>,
        pub activities: String,
        pub municipality_commitments: String,
        pub proposer_commitments: String,
        /// The start of the first period.
        pub first_start_date: Date,
        /// The start of the period as of the last step (a renewal moves it).
        pub start_date: Date,
        /// `start_date` plus `duration_months`: the first day the period no longer covers.
        pub end_date: Date,
        pub duration_months: i32,
        /// 1 for the first period, raised by every renewal.
        pub period: i32,
        /// Set by a renewal on request before `end_date`: the end of the next period, which
        /// starts at `end_date`.
        pub renewed_until: Option<Date>,
        pub renewal: String,
        pub status: String,
        pub signed_on: Option<Date>,
        /// The local day the pact was made active.
        pub activated_on: Option<Date>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Raised by one on every update (see `Tx::update_versioned`).
        pub version: i32,
    }
}

sportello_kernel::tenant_entity! {
    /// One step of a pact's status: who took it and when.
    pub mod pact_status_change("pact_status_changes") {
        pub pact_id: Uuid,
        pub status: String,
        pub by_user: Option<Uuid>,
        pub at: DateTimeUtc,
        pub note: Option<String>,
    }
}

sportello_kernel::tenant_entity! {
    /// An activity report of a pact, entered by staff.
    pub mod pact_report("pact_reports") {
        pub pact_id: Uuid,
        /// The local day the report is about.
        pub reported_on: Date,
        pub body: String,
        /// The hours given, in whole minutes.
        pub minutes: Option<i32>,
        pub by_user: Uuid,
        pub created_at: DateTimeUtc,
    }
}
