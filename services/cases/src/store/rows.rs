//! How validated domain values become rows to insert: the one place the domain's values meet
//! sea-orm's active models.

use chrono::{DateTime, Utc};
use sea_orm::Set;
use uuid::Uuid;

use super::person;
use crate::domain::{ValidPerson, codes};

impl ValidPerson {
    pub fn into_model(
        self,
        tenant: Uuid,
        id: Uuid,
        created_by: Uuid,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> person::ActiveModel {
        person::ActiveModel {
            tenant_id: Set(tenant),
            version: Set(1),
            id: Set(id),
            given_names: Set(self.given_names),
            family_names: Set(self.family_names),
            latin_given_names: Set(self.latin_given_names),
            latin_family_names: Set(self.latin_family_names),
            name_key: Set(self.name_key),
            name_skeleton: Set(self.name_skeleton),
            name_keys_version: Set(crate::domain::names::KEYS_VERSION),
            birth_year: Set(self.birth.map(|b| b.year)),
            birth_month: Set(self.birth.and_then(|b| b.month).map(|m| m as i32)),
            birth_day: Set(self.birth.and_then(|b| b.day).map(|d| d as i32)),
            sex: Set(self.sex.map(|s| codes::sex(s).to_owned())),
            gender: Set(self.gender),
            country_of_birth: Set(self.country_of_birth),
            citizenships: Set(self.citizenships.join(",")),
            languages: Set(self
                .languages
                .iter()
                .map(|l| format!("{}:{}", l.code, l.level))
                .collect::<Vec<_>>()
                .join(",")),
            phone: Set(self.phone),
            email: Set(self.email),
            codice_fiscale: Set(self.codice_fiscale),
            codice_fiscale_key: Set(self.codice_fiscale_key),
            // Set by sealing (`Sealable::seal`), from the clear values above.
            codice_fiscale_index: Set(None),
            permit_expiry_sealed: Set(None),
            sealed: Set(0),
            codice_fiscale_warnings: Set(self
                .codice_fiscale_warnings
                .iter()
                .map(|w| codes::person_warning(*w))
                .collect::<Vec<_>>()
                .join(",")),
            permit_type: Set(self.legal_status.as_ref().map(|l| l.permit_type.clone())),
            permit_number: Set(self
                .legal_status
                .as_ref()
                .and_then(|l| l.permit_number.clone())),
            permit_expiry: Set(self.legal_status.as_ref().and_then(|l| l.expiry)),
            household_id: Set(None),
            household_role: Set(None),
            territory_code: Set(self.territory_code),
            created_by: Set(created_by),
            created_at: Set(created_at),
            updated_at: Set(updated_at),
        }
    }
}

impl person::Model {
    /// The names as written and their Latin form, as the matcher reads them.
    pub fn names(
        &self,
    ) -> (
        crate::domain::names::Names<'_>,
        crate::domain::names::Names<'_>,
    ) {
        use crate::domain::names::Names;
        (
            Names {
                given: &self.given_names,
                family: &self.family_names,
            },
            Names {
                given: &self.latin_given_names,
                family: &self.latin_family_names,
            },
        )
    }
}
