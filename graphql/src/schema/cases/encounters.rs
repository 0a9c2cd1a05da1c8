//! Encounters of a case.

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Channel", remote = "sportello_cases::Channel")]
pub enum Channel {
    Desk,
    Phone,
    Outreach,
    Online,
}

/// One meeting or contact.
pub struct Encounter(pub cases::Encounter);

#[Object]
impl Encounter {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Encounter, self.0.id.uuid())
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    async fn channel(&self) -> Channel {
        self.0.channel.into()
    }
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }
    async fn mediator_present(&self) -> bool {
        self.0.mediator_present
    }
    async fn duration_minutes(&self) -> Option<u32> {
        self.0.duration_minutes
    }
    /// Protected free text.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
}

#[derive(InputObject)]
pub struct AddEncounterInput {
    pub case_id: ID,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    /// ISO 639-1, 639-2/T, 639-2/B or 639-3 code, stored as one code (ISO 639-1 when the
    /// language has one, else ISO 639-3); an unknown code is `INVALID_INPUT` on `language`.
    pub language: Option<String>,
    #[graphql(default)]
    pub mediator_present: bool,
    pub duration_minutes: Option<i32>,
    pub notes: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateEncounterInput {
    pub id: ID,
    /// The `version` the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
    pub occurred_at: Option<DateTime<Utc>>,
    pub channel: Option<Channel>,
    /// ISO 639-1, 639-2/T, 639-2/B or 639-3 code, stored as one code (ISO 639-1 when the
    /// language has one, else ISO 639-3); an unknown code is `INVALID_INPUT` on `language`.
    pub language: Option<String>,
    pub mediator_present: Option<bool>,
    pub duration_minutes: Option<i32>,
    pub notes: Option<String>,
}
