//! Inputs of the directory: organizations and their services.

use super::*;

#[derive(InputObject)]
pub struct AddOrganizationInput {
    pub name: String,
    pub description: Option<String>,
    pub website: Option<String>,
    /// Lower-cased; the domain must be dot-separated (`name@example.org`).
    pub email: Option<String>,
    /// Stored in E.164 (`+393331234567`); without a country prefix the number is read as Italian.
    /// Arabic-Indic digits are accepted.
    pub phone: Option<String>,
}

#[derive(InputObject)]
pub struct AddDirectoryServiceInput {
    pub organization_id: ID,
    pub name: String,
    pub description: Option<String>,
    /// Need category codes, e.g. `housing`, `documents_legal`.
    #[graphql(default)]
    pub categories: Vec<String>,
    pub territory_id: ID,
    pub address: Option<String>,
    /// ISO 639 codes: 639-1 (`fa`), 639-2/T (`fas`), 639-2/B (`per`) or 639-3 (`prs`), any case;
    /// each stored as one code (ISO 639-1 when the language has one, else ISO 639-3), without
    /// repeats (see `languages`).
    #[graphql(default)]
    pub languages: Vec<String>,
    /// Lower-cased; the domain must be dot-separated (`name@example.org`).
    pub email: Option<String>,
    /// Stored in E.164 (`+393331234567`); without a country prefix the number is read as Italian.
    /// Arabic-Indic digits are accepted.
    pub phone: Option<String>,
}
