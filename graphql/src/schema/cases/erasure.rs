//! Erasure of a person (GDPR art. 17).

use async_graphql::{ID, InputObject, SimpleObject};

/// Erases a person. Nothing of the input is free text: the ground comes from the closed list of
/// GDPR art. 17(1), and the confirmation repeats the id.
#[derive(InputObject)]
pub struct ErasePersonInput {
    /// The person to erase.
    pub person_id: ID,
    /// The ground, one of GDPR art. 17(1): `NO_LONGER_NECESSARY` (a), `CONSENT_WITHDRAWN` (b),
    /// `OBJECTION` (c), `UNLAWFULLY_PROCESSED` (d), `LEGAL_OBLIGATION` (e),
    /// `CHILD_INFORMATION_SOCIETY` (f). Anything else is `INVALID_INPUT` on `ground`.
    pub ground: String,
    /// `personId` again: erasure cannot be undone. Absent or different is `INVALID_INPUT` on
    /// `confirmation`.
    pub confirmation: Option<ID>,
}

/// What an erasure did.
#[derive(SimpleObject)]
pub struct PersonErasure {
    /// The id of the person erased; it no longer finds anything.
    pub person_id: ID,
    /// The ground it was erased on, as given.
    pub ground: String,
}
