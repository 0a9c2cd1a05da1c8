//! Persons: their record, consent and possible duplicates.

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Sex", remote = "sportello_cases::Sex")]
pub enum Sex {
    Female,
    Male,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ConsentPurpose", remote = "sportello_cases::ConsentPurpose")]
pub enum ConsentPurpose {
    CaseManagement,
    ReferralSharing,
    AnonymisedStatistics,
    ContactByMessage,
}

/// A birth date as known: often only the year.
#[derive(SimpleObject, InputObject, Clone, Copy)]
#[graphql(input_name = "BirthDateInput")]
pub struct BirthDate {
    pub year: i32,
    pub month: Option<i32>,
    pub day: Option<i32>,
}

/// A language spoken: ISO 639 code and level (A1–C2 or NATIVE).
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "LanguageSkillInput")]
pub struct LanguageSkill {
    /// ISO 639-1 (`fa`), 639-2/T (`fas`), 639-2/B (`per`) or 639-3 (`prs`), any case; stored
    /// and read as one code, ISO 639-1 when the language has one, else ISO 639-3 (see
    /// `languages`). A code no list holds, a special code (`und`) or one reserved for local use
    /// (`qaa`–`qtz`) is `INVALID_INPUT` on `languages`.
    pub code: String,
    pub level: String,
}

/// Residence permit details. Protected.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "LegalStatusInput")]
pub struct LegalStatus {
    pub permit_type: String,
    pub permit_number: Option<String>,
    pub expiry: Option<NaiveDate>,
}

/// A person served.
pub struct Person(pub cases::Person);

#[Object]
impl Person {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    pub async fn id(&self) -> ID {
        encode(Kind::Person, self.0.id.uuid())
    }
    /// As the person writes them, in any script.
    async fn given_names(&self) -> &str {
        &self.0.given_names
    }
    async fn family_names(&self) -> &str {
        &self.0.family_names
    }
    async fn latin_given_names(&self) -> &str {
        &self.0.latin_given_names
    }
    async fn latin_family_names(&self) -> &str {
        &self.0.latin_family_names
    }
    async fn birth(&self) -> Option<BirthDate> {
        self.0.birth.map(|b| BirthDate {
            year: b.year,
            month: b.month.map(|m| m as i32),
            day: b.day.map(|d| d as i32),
        })
    }
    async fn sex(&self) -> Option<Sex> {
        self.0.sex.map(Into::into)
    }
    async fn gender(&self) -> Option<&str> {
        self.0.gender.as_deref()
    }
    async fn country_of_birth(&self) -> Option<&str> {
        self.0.country_of_birth.as_deref()
    }
    async fn citizenships(&self) -> &[String] {
        &self.0.citizenships
    }
    async fn languages(&self) -> Vec<LanguageSkill> {
        self.0
            .languages
            .iter()
            .map(|l| LanguageSkill {
                code: l.code.clone(),
                level: l.level.clone(),
            })
            .collect()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// As issued: omocodia letters are kept (an omocodic code is another person's code), or
    /// the provisional 11-digit numeric code.
    async fn codice_fiscale(&self) -> Option<&str> {
        self.0.codice_fiscale.as_deref()
    }
    /// What the record was accepted with but deserves a look: a codice fiscale that
    /// contradicts the record's sex, birth date or country of birth (found when the record was
    /// saved), and, in the answer of `createPerson`, `updatePerson` and
    /// `persons(filter: {codiceFiscale})`, other persons whose code is the same once omocodia
    /// letters are mapped back. Never a refusal.
    async fn warnings(&self) -> Vec<PersonWarning> {
        self.0
            .warnings
            .iter()
            .map(|w| PersonWarning {
                code: w.code.into(),
                field: w.field.clone(),
                person_id: w.person_id.map(|p| encode(Kind::Person, p.uuid())),
            })
            .collect()
    }
    async fn legal_status(&self) -> Option<LegalStatus> {
        self.0.legal_status.as_ref().map(|l| LegalStatus {
            permit_type: l.permit_type.clone(),
            permit_number: l.permit_number.clone(),
            expiry: l.expiry,
        })
    }
    /// ISTAT code of the territory the person is followed in.
    async fn territory_code(&self) -> &str {
        &self.0.territory_code
    }
    /// The household the person belongs to, if any.
    async fn household(&self, ctx: &Context<'_>) -> GqlResult<Option<Household>> {
        let (svc, rc) = services(ctx)?;
        match self.0.household_id {
            Some(id) => svc
                .cases
                .get_household(&rc.ctx, id)
                .await
                .gql()
                .map(|h| Some(Household(h))),
            None => Ok(None),
        }
    }
    /// Consent decisions, oldest first; the latest per purpose is in force.
    async fn consents(&self, ctx: &Context<'_>) -> GqlResult<Vec<Consent>> {
        let consents = reads(ctx)?.consents(self.0.id).await.gql()?;
        Ok(consents.into_iter().map(Consent).collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "PersonWarningCode",
    remote = "sportello_cases::PersonWarningCode"
)]
pub enum PersonWarningCode {
    /// The codice fiscale encodes the other sex.
    CodiceFiscaleSex,
    /// The codice fiscale encodes another birth date (year, month or day as known).
    CodiceFiscaleBirthDate,
    /// The codice fiscale's birthplace is in another country than `countryOfBirth`.
    CodiceFiscaleBirthplace,
    /// `personId` has a codice fiscale that is the same once omocodia letters are mapped back:
    /// possibly the same person, or two people the Agenzia delle Entrate told apart.
    PossiblySamePerson,
}

/// Something accepted on a person's record that deserves a look.
#[derive(SimpleObject)]
pub struct PersonWarning {
    pub code: PersonWarningCode,
    /// The input field it is about (`codiceFiscale`).
    pub field: String,
    /// The other person, for `POSSIBLY_SAME_PERSON` (one the viewer may see).
    pub person_id: Option<ID>,
}

/// Which persons to list.
#[derive(InputObject, Default)]
pub struct PersonFilter {
    /// ISTAT code of the territory the persons are followed in.
    pub territory_code: Option<String>,
    /// A codice fiscale in either form (as issued, or with omocodia letters mapped back) or a
    /// provisional 11-digit code; spaces, hyphens, dots and invisible characters are ignored.
    /// Not a code: `INVALID_INPUT` on `codiceFiscale`.
    pub codice_fiscale: Option<String>,
}

/// A consent decision for one purpose.
pub struct Consent(pub cases::Consent);

#[Object]
impl Consent {
    async fn purpose(&self) -> ConsentPurpose {
        self.0.purpose.into()
    }
    async fn given(&self) -> bool {
        self.0.given
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}

/// A possible duplicate of the names searched for.
#[derive(SimpleObject)]
pub struct PersonMatch {
    pub person: Person,
    /// 0–1; 1 is the same name.
    pub score: f64,
}

#[derive(InputObject)]
pub struct PersonInput {
    /// Given names as the person writes them, in any script. Either names field may be empty
    /// (a person with a single name), not both. Stored in NFC without bidi controls or
    /// zero-width characters; at most 200 characters (grapheme clusters); emoji and other
    /// symbols are refused.
    pub given_names: String,
    /// Family names as the person writes them; see `givenNames`.
    pub family_names: String,
    /// The operator's own spelling in Latin letters, shown to colleagues; when absent, a
    /// readable romanisation of `givenNames` is derived (it is not the key the duplicate search
    /// matches on).
    pub latin_given_names: Option<String>,
    /// See `latinGivenNames`.
    pub latin_family_names: Option<String>,
    pub birth: Option<BirthDate>,
    pub sex: Option<Sex>,
    pub gender: Option<String>,
    /// ISO 3166-1 alpha-2 (`MA`) or alpha-3 (`MAR`), any case, stored as upper-case alpha-2;
    /// officially assigned codes and `XK` (Kosovo) only (see `countries`). Reserved (`UK`: use
    /// `GB`), withdrawn (`YU`) and user-assigned (`ZZ`) codes are `INVALID_INPUT` on
    /// `countryOfBirth`. Null when not known.
    pub country_of_birth: Option<String>,
    /// Countries as `countryOfBirth`, without repeats; or alone one of the ICAO codes `XXA`
    /// (stateless) or `XXX` (nationality not known). Refusals are `INVALID_INPUT` on
    /// `citizenships`.
    #[graphql(default)]
    pub citizenships: Vec<String>,
    #[graphql(default)]
    pub languages: Vec<LanguageSkill>,
    /// Stored in E.164 (`+393331234567`); without a country prefix the number is read as Italian.
    /// Arabic-Indic digits are accepted.
    pub phone: Option<String>,
    /// Lower-cased; the domain must be dot-separated (`name@example.org`).
    pub email: Option<String>,
    pub codice_fiscale: Option<String>,
    pub legal_status: Option<LegalStatus>,
    pub territory_code: String,
}

impl From<PersonInput> for cases::PersonInput {
    fn from(i: PersonInput) -> Self {
        cases::PersonInput {
            given_names: i.given_names,
            family_names: i.family_names,
            latin_given_names: i.latin_given_names,
            latin_family_names: i.latin_family_names,
            birth: i.birth.map(|b| cases::BirthDate {
                year: b.year,
                month: b.month.map(count),
                day: b.day.map(count),
            }),
            sex: i.sex.map(Into::into),
            gender: i.gender,
            country_of_birth: i.country_of_birth,
            citizenships: i.citizenships,
            languages: i
                .languages
                .into_iter()
                .map(|l| cases::LanguageSkill {
                    code: l.code,
                    level: l.level,
                })
                .collect(),
            phone: i.phone,
            email: i.email,
            codice_fiscale: i.codice_fiscale,
            legal_status: i.legal_status.map(|l| cases::LegalStatus {
                permit_type: l.permit_type,
                permit_number: l.permit_number,
                expiry: l.expiry,
            }),
            territory_code: i.territory_code,
        }
    }
}
