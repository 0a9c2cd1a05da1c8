//! Needs of a case and the tenant's need types.

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "NeedCode", remote = "sportello_cases::NeedCode")]
pub enum NeedCode {
    DocumentsLegal,
    Housing,
    Work,
    Health,
    School,
    ItalianLanguage,
    Family,
    Welfare,
    DigitalSkills,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "NeedSource", remote = "sportello_cases::NeedSource")]
pub enum NeedSource {
    Expressed,
    Detected,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "NeedStatus", remote = "sportello_cases::NeedStatus")]
pub enum NeedStatus {
    Open,
    Addressed,
    Unresolved,
}

/// A coded need, expressed by the person or detected by the operator.
pub struct Need(pub cases::Need);

#[Object]
impl Need {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Need, self.0.id.uuid())
    }
    async fn code(&self) -> NeedCode {
        self.0.code.into()
    }
    async fn source(&self) -> NeedSource {
        self.0.source.into()
    }
    async fn status(&self) -> NeedStatus {
        self.0.status.into()
    }
    async fn noted_at(&self) -> DateTime<Utc> {
        self.0.noted_at
    }
    /// The tenant's own need type, when one was chosen.
    async fn type_code(&self) -> Option<&str> {
        self.0.type_code.as_deref()
    }
}

/// A tenant's own need type: a finer kind of need within one category of the common taxonomy.
/// Shared statistics count the category.
pub struct NeedType(pub cases::NeedType);

#[Object]
impl NeedType {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::NeedType, self.0.id.uuid())
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn label(&self) -> &str {
        &self.0.label
    }
    async fn category(&self) -> NeedCode {
        self.0.category.into()
    }
    /// Retired types stay on past needs and cannot be chosen any more.
    async fn retired(&self) -> bool {
        self.0.retired
    }
}
