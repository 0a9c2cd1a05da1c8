//! Interventions on the needs of a case.

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "InterventionKind",
    remote = "sportello_cases::InterventionKind"
)]
pub enum InterventionKind {
    Orientation,
    Accompaniment,
    Mediation,
    LegalAdvice,
    DocumentAssistance,
    Information,
    Referral,
    Other,
}

/// Something done for the person.
pub struct Intervention(pub cases::Intervention);

#[Object]
impl Intervention {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Intervention, self.0.id.uuid())
    }
    async fn kind(&self) -> InterventionKind {
        self.0.kind.into()
    }
    async fn need_ids(&self) -> Vec<ID> {
        self.0
            .need_ids
            .iter()
            .map(|n| encode(Kind::Need, n.uuid()))
            .collect()
    }
    /// A code of `interventionOutcomes` (one recorded before the list existed may be another code).
    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
    }
    async fn done_at(&self) -> DateTime<Utc> {
        self.0.done_at
    }
}

#[derive(InputObject)]
pub struct RecordInterventionInput {
    pub case_id: ID,
    pub kind: InterventionKind,
    #[graphql(default)]
    pub need_ids: Vec<ID>,
    /// A code of `interventionOutcomes` the tenant offers, such as `appointment_booked`; any
    /// other value is `INVALID_INPUT` on `outcome`. Empty or absent: no outcome yet.
    pub outcome: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
}
