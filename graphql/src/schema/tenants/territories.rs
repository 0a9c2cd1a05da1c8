//! Inputs of territories, desks and places.

use super::*;

#[derive(InputObject)]
pub struct AddTerritoryInput {
    /// The municipality's 6-digit ISTAT code; only municipalities in force. A retired code is
    /// `INVALID_INPUT` naming the municipality it merged into.
    pub istat_code: String,
    /// The municipality's official name when absent or empty; when given it must match the
    /// official name (case, accents and whitespace aside; either language of a bilingual name
    /// such as "Bolzano/Bozen"), otherwise `INVALID_INPUT` on `name`.
    pub name: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateTerritoryInput {
    pub id: ID,
    /// The `version` the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
    /// Must match the official name of the territory's municipality, as in `addTerritory`.
    pub name: String,
}

#[derive(InputObject)]
pub struct AddDeskInput {
    pub territory_id: ID,
    pub name: String,
    pub kind: DeskKind,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    /// ISO 639 codes: 639-1 (`fa`), 639-2/T (`fas`), 639-2/B (`per`) or 639-3 (`prs`), any case;
    /// each stored as one code (ISO 639-1 when the language has one, else ISO 639-3), without
    /// repeats (see `languages`).
    #[graphql(default)]
    pub languages: Vec<String>,
}

#[derive(InputObject)]
pub struct UpdateDeskInput {
    pub id: ID,
    /// The `version` the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
    pub name: Option<String>,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    /// As in `AddDeskInput.languages`.
    pub languages: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct AddPlaceInput {
    pub desk_id: ID,
    pub name: String,
    pub kind: PlaceKind,
    pub address: Option<String>,
}

#[derive(InputObject)]
pub struct UpdatePlaceInput {
    pub id: ID,
    /// The `version` the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
    pub name: Option<String>,
    pub kind: Option<PlaceKind>,
    pub address: Option<String>,
}
