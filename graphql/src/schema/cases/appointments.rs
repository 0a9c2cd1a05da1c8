//! Appointments at a desk.

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "AppointmentStatus",
    remote = "sportello_cases::AppointmentStatus"
)]
pub enum AppointmentStatus {
    Booked,
    Cancelled,
}

/// A booked slot at a desk.
pub struct Appointment(pub cases::Appointment);

#[Object]
impl Appointment {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Appointment, self.0.id.uuid())
    }
    async fn desk(&self, ctx: &Context<'_>) -> GqlResult<crate::schema::types::Desk> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .get_desk(&rc.ctx, self.0.desk_id)
            .await
            .gql()
            .map(crate::schema::types::Desk)
    }
    async fn person_id(&self) -> ID {
        encode(Kind::Person, self.0.person_id.uuid())
    }
    async fn case_id(&self) -> Option<ID> {
        self.0.case_id.map(|c| encode(Kind::Case, c.uuid()))
    }
    /// Shared by the occurrences of a weekly series.
    async fn series_id(&self) -> Option<ID> {
        self.0
            .series_id
            .map(|s| encode(Kind::Appointment, s.uuid()))
    }
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    async fn duration_minutes(&self) -> i64 {
        (self.0.ends_at - self.0.starts_at).num_minutes()
    }
    /// The operator the appointment is with.
    async fn operator_id(&self) -> ID {
        encode(Kind::User, self.0.operator_id.uuid())
    }
    async fn status(&self) -> AppointmentStatus {
        self.0.status.into()
    }
    /// When a reminder is due.
    async fn remind_at(&self) -> Option<DateTime<Utc>> {
        self.0.remind_at
    }
    /// What became of the reminder once due (none before, and none without a reminder).
    async fn reminder_outcome(&self) -> Option<ReminderOutcome> {
        self.0.reminder_outcome.map(Into::into)
    }
    /// The messages that carried the reminder, newest first: channel and status, never the text.
    async fn reminder_deliveries(&self) -> Vec<crate::schema::types::MessageDelivery> {
        self.0
            .reminder_deliveries
            .iter()
            .cloned()
            .map(crate::schema::types::MessageDelivery)
            .collect()
    }
}

/// What became of an appointment's reminder when it came due.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::ReminderOutcome")]
pub enum ReminderOutcome {
    /// A message was queued: by e-mail when the person has an address, else by SMS.
    Queued,
    /// The person has not consented to be contacted by message: nothing was sent.
    NoConsent,
    /// The person has neither an e-mail address nor a phone number: nothing was sent.
    NoContact,
    /// The appointment had begun or was cancelled before the reminder could go.
    TooLate,
}

#[derive(InputObject, Default)]
pub struct AppointmentFilter {
    pub desk_id: Option<ID>,
    pub person_id: Option<ID>,
    /// Starting at or after.
    pub from: Option<DateTime<Utc>>,
    /// Starting before.
    pub to: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct BookAppointmentInput {
    pub desk_id: ID,
    pub person_id: ID,
    pub case_id: Option<ID>,
    /// From now to two years ahead (every weekly occurrence); a start in the past is
    /// `INVALID_INPUT` on `startsAt`.
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    /// 1 (the default) for one appointment; more books the same slot every week.
    #[graphql(default = 1)]
    pub occurrences: i32,
    /// Hours before the start (on the tenant's local clock) at which a reminder is due, 0 to
    /// 336: 0 for no reminder; absent or null for the tenant's default
    /// (`appointmentSettings.reminderHoursBefore`).
    pub remind_hours_before: Option<i32>,
}
