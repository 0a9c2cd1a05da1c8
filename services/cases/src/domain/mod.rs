//! Pure types and the constructors that parse and reject input: persons, the case life cycle,
//! codes, the codice fiscale and name matching. No storage, no I/O.

pub mod birthplaces;
pub mod codes;
pub mod codice_fiscale;
pub mod names;
pub mod procedures;

use chrono::NaiveDate;
use sportello_kernel::error::Refusals;
use sportello_kernel::{Error, Result, UserId, contact, dates, iso};

use crate::interface::*;
use crate::store::{
    appointment, case, consent, encounter, household, intervention, need, need_type, person,
    plan_goal, plan_step, referral,
};
use codice_fiscale::{Decoded, TaxCode};
use names::clean::Refusal;

/// A person's record after validation, ready to store.
#[derive(Clone, Debug)]
pub struct ValidPerson {
    pub given_names: String,
    pub family_names: String,
    pub latin_given_names: String,
    pub latin_family_names: String,
    pub name_key: String,
    pub name_skeleton: String,
    pub birth: Option<BirthDate>,
    pub sex: Option<Sex>,
    pub gender: Option<String>,
    pub country_of_birth: Option<String>,
    pub citizenships: Vec<String>,
    pub languages: Vec<LanguageSkill>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// As issued, cleaned (see [`codice_fiscale::clean`]).
    pub codice_fiscale: Option<String>,
    /// [`TaxCode::key`] of the code.
    pub codice_fiscale_key: Option<String>,
    /// What the code contradicts on the record.
    pub codice_fiscale_warnings: Vec<PersonWarningCode>,
    pub legal_status: Option<LegalStatus>,
    pub territory_code: String,
}

/// A short required text (the permit type): cleaned like a name, not empty, at most
/// [`names::clean::MAX_GRAPHEMES`] characters, no control characters.
fn text(field: &str, input: &str) -> Result<String> {
    let text = names::clean::clean(input);
    match names::clean::check(&text) {
        Err(r @ (Refusal::Empty | Refusal::TooLong | Refusal::Control)) => {
            Err(Error::on(field, r.reason()))
        }
        _ => Ok(text),
    }
}

/// A name field, cleaned (see [`names::clean`]); empty when nothing but spaces and invisible
/// characters was given, which the caller decides on.
fn name(field: &str, input: &str) -> Result<String> {
    let name = names::clean::clean(input);
    if name.is_empty() {
        return Ok(name);
    }
    names::clean::check(&name).map_err(|r| Error::on(field, r.reason()))?;
    Ok(name)
}

/// The Latin form of a name field: the operator's own spelling, which must be in Latin
/// letters, or the readable romanisation of the name.
/// `whole`: the full name, whose letters tell the language of an Arabic-script name.
fn latin_name(field: &str, given: Option<String>, name: &str, whole: &str) -> Result<String> {
    let own = given
        .as_deref()
        .map(names::clean::clean)
        .unwrap_or_default();
    if own.is_empty() {
        let derived = names::transliterate_within(name, whole);
        if !name.is_empty() && !derived.chars().any(char::is_alphabetic) {
            return Err(Error::on(
                field,
                sportello_kernel::Reason::LatinSpellingNeeded,
            ));
        }
        return Ok(derived);
    }
    if name.is_empty() {
        return Err(Error::on(field, sportello_kernel::Reason::LatinWithoutName));
    }
    self::name(field, &own)?;
    if own
        .chars()
        .any(|c| c.is_alphabetic() && !names::is_latin(c))
    {
        return Err(Error::on(field, sportello_kernel::Reason::NotLatin));
    }
    Ok(own)
}

fn optional(field: &str, input: Option<String>, max: usize) -> Result<Option<String>> {
    let Some(text) = input.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max {
        return Err(Error::on(
            field,
            sportello_kernel::Reason::TooLong { max: max as u32 },
        ));
    }
    Ok(Some(text))
}

/// Checks a birth date as known (the year alone, the year and month, or the whole date): a real
/// date whose first possible day is within [`dates::past_date`].
fn birth_date(b: BirthDate) -> Result<()> {
    match (b.month, b.day) {
        (None, Some(_)) => {
            return Err(Error::on("birth", sportello_kernel::Reason::NotADate)
                .saying("a birth day needs a month"));
        }
        (Some(m), _) if !(1..=12).contains(&m) => {
            return Err(Error::on("birth", sportello_kernel::Reason::NotADate)
                .saying("the month must be 1–12"));
        }
        _ => {}
    }
    let first = NaiveDate::from_ymd_opt(b.year, b.month.unwrap_or(1), b.day.unwrap_or(1))
        .ok_or_else(|| Error::on("birth", sportello_kernel::Reason::NotADate))?;
    dates::past_date("birth", first)?;
    Ok(())
}

const LEVELS: [&str; 7] = ["A1", "A2", "B1", "B2", "C1", "C2", "NATIVE"];

/// What a codice fiscale contradicts on the record: the sex (when male or female), the birth
/// date as known (year, month, day), the country of birth (ISO; a municipality is `IT`; a former
/// state contradicts only `IT`).
fn contradictions(
    decoded: &Decoded,
    birth: Option<BirthDate>,
    sex: Option<Sex>,
    country_of_birth: Option<&str>,
) -> Vec<PersonWarningCode> {
    use chrono::Datelike;
    let mut out = Vec::new();
    let coded_sex = match decoded.sex {
        codice_fiscale::Sex::Female => Sex::Female,
        codice_fiscale::Sex::Male => Sex::Male,
    };
    if sex.is_some_and(|s| s != Sex::Other && s != coded_sex) {
        out.push(PersonWarningCode::CodiceFiscaleSex);
    }
    if let Some(b) = birth
        && (b.year != decoded.birth.year()
            || b.month.is_some_and(|m| m != decoded.birth.month())
            || b.day.is_some_and(|d| d != decoded.birth.day()))
    {
        out.push(PersonWarningCode::CodiceFiscaleBirthDate);
    }
    if let Some(country) = country_of_birth {
        let differs = match decoded.iso {
            Some(iso) => iso != country,
            None => country == "IT",
        };
        if differs {
            out.push(PersonWarningCode::CodiceFiscaleBirthplace);
        }
    }
    out
}

impl ValidPerson {
    /// Validates a record as of `today` (the tenant's local day): the latest possible birth
    /// date, and the century of a codice fiscale's year when the record gives no birth year.
    pub fn parse(input: PersonInput, today: NaiveDate) -> Result<Self> {
        // Every field is checked, so that one answer names every field at fault.
        let mut refusals = Refusals::default();
        let given_names = refusals
            .take(name("givenNames", &input.given_names))
            .unwrap_or_default();
        let family_names = refusals
            .take(name("familyNames", &input.family_names))
            .unwrap_or_default();
        // A person may have a single name (either field), not none.
        if given_names.is_empty() && family_names.is_empty() && !refusals.any() {
            refusals.note(
                Error::on("familyNames", sportello_kernel::Reason::Required)
                    .saying("give a family name or a given name (one of them may be empty)"),
            );
        }
        let whole = format!("{given_names} {family_names}");
        let latin_given_names = refusals
            .take(latin_name(
                "latinGivenNames",
                input.latin_given_names,
                &given_names,
                &whole,
            ))
            .unwrap_or_default();
        let latin_family_names = refusals
            .take(latin_name(
                "latinFamilyNames",
                input.latin_family_names,
                &family_names,
                &whole,
            ))
            .unwrap_or_default();
        if let Some(b) = input.birth {
            refusals.take(birth_date(b));
        }
        let country_of_birth = refusals
            .take(
                input
                    .country_of_birth
                    .as_deref()
                    .map(|c| iso::country("countryOfBirth", c))
                    .transpose(),
            )
            .flatten();
        let citizenships = refusals
            .take(iso::citizenships("citizenships", &input.citizenships))
            .unwrap_or_default();
        let mut languages: Vec<LanguageSkill> = Vec::new();
        for l in &input.languages {
            let Some(code) = refusals.take(iso::language("languages", &l.code)) else {
                continue;
            };
            let level = l.level.trim().to_uppercase();
            if !LEVELS.contains(&level.as_str()) {
                refusals.note(Error::on(
                    "languages",
                    sportello_kernel::Reason::NotInList {
                        list: sportello_kernel::error::List::LanguageLevels,
                    },
                ));
                continue;
            }
            if !languages.iter().any(|x| x.code == code) {
                languages.push(LanguageSkill { code, level });
            }
        }
        let phone = refusals
            .take(
                optional("phone", input.phone, 40)
                    .and_then(|p| p.map(|p| contact::phone("phone", &p)).transpose()),
            )
            .flatten();
        let email = refusals
            .take(
                optional("email", input.email, 254)
                    .and_then(|e| e.map(|e| contact::email("email", &e)).transpose()),
            )
            .flatten();
        let codice_fiscale = input
            .codice_fiscale
            .as_deref()
            .filter(|c| !codice_fiscale::clean(c).is_empty())
            .map(|raw| {
                let refuse = |e: codice_fiscale::CfError| e.refusal("codiceFiscale");
                let code = TaxCode::parse(raw).map_err(refuse)?;
                let warnings = match &code {
                    TaxCode::Personal(cf) => {
                        let decoded = cf
                            .decode(input.birth.map(|b| b.year), today)
                            .map_err(refuse)?;
                        contradictions(
                            &decoded,
                            input.birth,
                            input.sex,
                            country_of_birth.as_deref(),
                        )
                    }
                    TaxCode::Provisional(_) => Vec::new(),
                };
                Ok((code.as_str().to_owned(), code.key(), warnings))
            })
            .transpose();
        let (codice_fiscale, codice_fiscale_key, codice_fiscale_warnings) =
            match refusals.take(codice_fiscale).flatten() {
                Some((code, key, warnings)) => (Some(code), Some(key), warnings),
                None => (None, None, Vec::new()),
            };
        let legal_status = match input.legal_status {
            Some(ls) => {
                let permit_type = refusals.take(text("legalStatus", &ls.permit_type));
                let permit_number = refusals.take(optional("legalStatus", ls.permit_number, 40));
                let expiry = refusals.take(
                    ls.expiry
                        .map(|d| dates::document_date("legalStatus.expiry", d))
                        .transpose(),
                );
                match (permit_type, permit_number, expiry) {
                    (Some(permit_type), Some(permit_number), Some(expiry)) => Some(LegalStatus {
                        permit_type,
                        permit_number,
                        expiry,
                    }),
                    _ => None,
                }
            }
            None => None,
        };
        let gender = refusals
            .take(optional("gender", input.gender, 60))
            .flatten();
        refusals.finish()?;
        let latin = names::Names {
            given: &latin_given_names,
            family: &latin_family_names,
        };
        let original = names::Names {
            given: &given_names,
            family: &family_names,
        };
        let name_key = names::name_key(&latin.full());
        let name_skeleton = names::stored_skeleton(original, latin);
        Ok(Self {
            given_names,
            family_names,
            latin_given_names,
            latin_family_names,
            name_key,
            name_skeleton,
            birth: input.birth,
            sex: input.sex,
            gender,
            country_of_birth,
            citizenships,
            languages,
            phone,
            email,
            codice_fiscale,
            codice_fiscale_key,
            codice_fiscale_warnings,
            legal_status,
            territory_code: input.territory_code,
        })
    }

    /// Names of the fields that differ from the stored record, for the audit log.
    pub fn changed_fields(&self, old: &person::Model) -> Vec<&'static str> {
        let old_person = to_person(old.clone()).ok();
        let Some(o) = old_person else {
            return vec!["names"];
        };
        let mut out = Vec::new();
        let checks: [(&'static str, bool); 12] = [
            (
                "names",
                o.given_names != self.given_names || o.family_names != self.family_names,
            ),
            (
                "latinNames",
                o.latin_given_names != self.latin_given_names
                    || o.latin_family_names != self.latin_family_names,
            ),
            ("birth", o.birth != self.birth),
            ("sex", o.sex != self.sex),
            ("gender", o.gender != self.gender),
            (
                "countryOfBirth",
                o.country_of_birth != self.country_of_birth,
            ),
            ("citizenships", o.citizenships != self.citizenships),
            ("languages", o.languages != self.languages),
            ("phone", o.phone != self.phone),
            ("email", o.email != self.email),
            ("codiceFiscale", o.codice_fiscale != self.codice_fiscale),
            ("legalStatus", o.legal_status != self.legal_status),
        ];
        for (field, changed) in checks {
            if changed {
                out.push(field);
            }
        }
        if o.territory_code != self.territory_code {
            out.push("territory");
        }
        out
    }
}

/// An encounter's free fields after validation.
pub struct ValidEncounter {
    pub language: Option<String>,
    pub notes: Option<String>,
}

impl ValidEncounter {
    /// `now`: the request's instant, the latest an encounter may have happened.
    pub fn parse(req: &AddEncounter, now: chrono::DateTime<chrono::Utc>) -> Result<Self> {
        dates::happened("occurredAt", req.occurred_at, now)?;
        if req.duration_minutes.is_some_and(|d| d == 0 || d > 24 * 60) {
            return Err(Error::on(
                "durationMinutes",
                sportello_kernel::Reason::OutOfRange {
                    min: 1,
                    max: 24 * 60,
                },
            ));
        }
        let language = req
            .language
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| iso::language("language", l))
            .transpose()?;
        Ok(Self {
            language,
            notes: optional("notes", req.notes.clone(), 20_000)?,
        })
    }
}

/// What a status change does besides moving the status.
pub enum Transition {
    Move,
    Close { outcome: String },
    Reopen { reason: String },
}

/// The case life cycle: intake → active ⇄ monitoring; any open status → closed (with an outcome);
/// closed → active (reopening, with a reason). Anything else is a conflict.
pub fn transition(
    from: CaseStatus,
    to: CaseStatus,
    outcome: Option<&str>,
    reason: Option<&str>,
) -> Result<Transition> {
    use CaseStatus::*;
    let illegal = || {
        Error::new(sportello_kernel::Reason::TransitionNotAllowed {
            from: codes::status(from).to_owned(),
            to: codes::status(to).to_owned(),
        })
    };
    match (from, to) {
        (Intake, Active) | (Active, Monitoring) | (Monitoring, Active) => Ok(Transition::Move),
        (Intake | Active | Monitoring, Closed) => {
            let outcome =
                outcome.ok_or_else(|| Error::on("outcome", sportello_kernel::Reason::Required))?;
            Ok(Transition::Close {
                outcome: case_outcome(outcome)?,
            })
        }
        (Closed, Active) => {
            let reason = optional("reason", reason.map(str::to_owned), 500)?
                .ok_or_else(|| Error::on("reason", sportello_kernel::Reason::Required))?;
            Ok(Transition::Reopen { reason })
        }
        _ => Err(illegal()),
    }
}

/// A closed list of outcome codes. Every tenant has the same lists (the console names each code
/// in the person's and the operator's language) and may withdraw codes it does not use. An
/// outcome travels in anonymised events, so it is never free text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeList {
    /// What a closed case achieved ([`CASE_OUTCOMES`]).
    Case,
    /// What one intervention led to ([`INTERVENTION_OUTCOMES`]).
    Intervention,
}

impl OutcomeList {
    /// The list's name in the store (`outcome_offers.list`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::Intervention => "intervention",
        }
    }

    /// The codes, in the order the console offers them.
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Self::Case => &CASE_OUTCOMES,
            Self::Intervention => &INTERVENTION_OUTCOMES,
        }
    }

    /// The query that lists the codes, as named in the public API.
    pub fn query(self) -> &'static str {
        match self {
            Self::Case => "caseOutcomes",
            Self::Intervention => "interventionOutcomes",
        }
    }

    /// The list as named in refusals ([`sportello_kernel::Reason::NotInList`]).
    pub fn reason_list(self) -> sportello_kernel::error::List {
        match self {
            Self::Case => sportello_kernel::error::List::CaseOutcomes,
            Self::Intervention => sportello_kernel::error::List::InterventionOutcomes,
        }
    }

    /// A code of the list (case and spaces around it ignored), or `INVALID_INPUT` on `field`.
    pub fn code(self, field: &str, input: &str) -> Result<String> {
        let code = input.trim().to_lowercase();
        match self.codes().iter().find(|c| **c == code) {
            Some(c) => Ok((*c).to_owned()),
            None => Err(Error::on(
                field,
                sportello_kernel::Reason::NotInList {
                    list: self.reason_list(),
                },
            )
            .saying(format!(
                "choose one of the outcome codes of the list ({})",
                self.query()
            ))),
        }
    }
}

/// The outcome codes a case can be closed with.
pub const CASE_OUTCOMES: [&str; 9] = [
    "autonomy_reached",
    "goals_partly_reached",
    "referred_to_service",
    "documents_obtained",
    "moved_away",
    "lost_contact",
    "withdrew",
    "not_eligible",
    "other",
];

/// The outcome codes of one intervention: what the desk's action led to, from the usual results
/// of a help desk's work with third-country nationals (orientation, a booked appointment, a filed
/// application, a permit issued or renewed, documents obtained, a referral) to the ways it can
/// fall short.
pub const INTERVENTION_OUTCOMES: [&str; 12] = [
    "oriented",
    "appointment_booked",
    "application_submitted",
    "permit_renewed",
    "documents_obtained",
    "enrolled",
    "referred_on",
    "in_progress",
    "partly_achieved",
    "not_achieved",
    "did_not_attend",
    "other",
];

/// A case outcome from [`CASE_OUTCOMES`]; anything else is `INVALID_INPUT` on `outcome`.
pub fn case_outcome(input: &str) -> Result<String> {
    OutcomeList::Case.code("outcome", input)
}

pub fn to_person(m: person::Model) -> Result<Person> {
    let birth = m.birth_year.map(|year| BirthDate {
        year,
        month: m.birth_month.map(|v| v as u32),
        day: m.birth_day.map(|v| v as u32),
    });
    let languages = m
        .languages
        .split(',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.split_once(':'))
        .map(|(code, level)| LanguageSkill {
            // Rows written before languages were checked may hold another code of the same
            // language (`per`): read it in its one code, keeping the first of any repeats.
            code: iso::stored_language(code),
            level: level.to_owned(),
        })
        .fold(Vec::<LanguageSkill>::new(), |mut out, l| {
            if !out.iter().any(|x| x.code == l.code) {
                out.push(l);
            }
            out
        });
    Ok(Person {
        id: PersonId(m.id),
        given_names: m.given_names,
        family_names: m.family_names,
        latin_given_names: m.latin_given_names,
        latin_family_names: m.latin_family_names,
        birth,
        sex: m.sex.as_deref().map(codes::parse_sex).transpose()?,
        gender: m.gender,
        country_of_birth: m.country_of_birth,
        citizenships: m
            .citizenships
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        languages,
        phone: m.phone,
        email: m.email,
        codice_fiscale: m.codice_fiscale,
        warnings: m
            .codice_fiscale_warnings
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|code| {
                Ok(PersonWarning {
                    code: codes::parse_person_warning(code)?,
                    field: "codiceFiscale".to_owned(),
                    person_id: None,
                })
            })
            .collect::<Result<_>>()?,
        legal_status: m.permit_type.map(|permit_type| LegalStatus {
            permit_type,
            permit_number: m.permit_number,
            expiry: m.permit_expiry,
        }),
        territory_code: m.territory_code,
        household_id: m.household_id.map(HouseholdId),
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

pub fn to_consent(m: consent::Model) -> Result<Consent> {
    Ok(Consent {
        id: ConsentId(m.id),
        person_id: PersonId(m.person_id),
        purpose: codes::parse_consent(&m.purpose)?,
        given: m.given,
        recorded_at: m.recorded_at,
        recorded_by: UserId(m.recorded_by),
    })
}

pub fn to_case(m: case::Model) -> Result<Case> {
    Ok(Case {
        id: CaseId(m.id),
        person_id: PersonId(m.person_id),
        status: codes::parse_status(&m.status)?,
        outcome: m.outcome,
        territory_code: m.territory_code,
        desk_id: m.desk_id.map(Into::into),
        primary_operator: UserId(m.primary_operator),
        opened_at: m.opened_at,
        closed_at: m.closed_at,
        reopen_reason: m.reopen_reason,
        version: m.version,
    })
}

pub fn to_encounter(m: encounter::Model) -> Result<Encounter> {
    Ok(Encounter {
        id: EncounterId(m.id),
        case_id: CaseId(m.case_id),
        occurred_at: m.occurred_at,
        channel: codes::parse_channel(&m.channel)?,
        language: m.language.as_deref().map(iso::stored_language),
        mediator_present: m.mediator_present,
        duration_minutes: m.duration_minutes.map(|d| d as u32),
        notes: m.notes,
        created_by: UserId(m.created_by),
        version: m.version,
    })
}

pub fn to_need(m: need::Model) -> Result<Need> {
    Ok(Need {
        id: NeedId(m.id),
        case_id: CaseId(m.case_id),
        code: codes::parse_need(&m.code)?,
        source: codes::parse_source(&m.source)?,
        status: codes::parse_need_status(&m.status)?,
        encounter_id: m.encounter_id.map(EncounterId),
        noted_at: m.noted_at,
        type_code: m.type_code,
        version: m.version,
    })
}

pub fn to_need_type(m: need_type::Model) -> Result<NeedType> {
    Ok(NeedType {
        id: NeedTypeId(m.id),
        code: m.code,
        label: m.label,
        category: codes::parse_need(&m.category)?,
        retired: m.retired,
        version: m.version,
    })
}

/// A need type's code: 2 to 40 lower-case ASCII letters, digits or underscores, starting with a
/// letter. Codes are vocabulary, never free text about a person.
pub fn need_type_code(code: &str) -> Result<String> {
    let code = code.trim();
    let ok = (2..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(code.to_owned())
    } else {
        Err(Error::on(
            "code",
            sportello_kernel::Reason::NotACode { min: 2, max: 40 },
        ))
    }
}

/// A need type's label: 1 to 120 characters.
pub fn need_type_label(label: &str) -> Result<String> {
    let label = label.trim();
    if label.is_empty() {
        return Err(Error::on("label", sportello_kernel::Reason::Required));
    }
    if label.chars().count() > 120 {
        return Err(Error::on(
            "label",
            sportello_kernel::Reason::TooLong { max: 120 },
        ));
    }
    Ok(label.to_owned())
}

pub fn to_intervention(m: intervention::Model) -> Result<Intervention> {
    Ok(Intervention {
        id: InterventionId(m.id),
        case_id: CaseId(m.case_id),
        kind: codes::parse_intervention(&m.kind)?,
        need_ids: m
            .need_ids
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().map_err(|_| Error::internal("bad need id stored")))
            .collect::<Result<_>>()?,
        outcome: m.outcome,
        done_at: m.done_at,
        version: m.version,
    })
}

/// Sent → accepted or rejected; accepted → completed or failed. Anything else is a conflict.
pub fn referral_transition(from: ReferralStatus, to: ReferralStatus) -> Result<()> {
    use ReferralStatus::*;
    match (from, to) {
        (Sent, Accepted | Rejected) | (Accepted, Completed | Failed) => Ok(()),
        _ => Err(Error::new(sportello_kernel::Reason::TransitionNotAllowed {
            from: codes::referral_status(from).to_owned(),
            to: codes::referral_status(to).to_owned(),
        })),
    }
}

/// A short title (goals, steps): trimmed, 1–300 characters.
pub fn title(field: &str, input: &str) -> Result<String> {
    let t = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(Error::on(field, sportello_kernel::Reason::Required));
    }
    if t.chars().count() > 300 {
        return Err(Error::on(
            field,
            sportello_kernel::Reason::TooLong { max: 300 },
        ));
    }
    Ok(t)
}

fn need_ids(column: &str) -> Result<Vec<NeedId>> {
    column
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| Error::internal("bad need id stored")))
        .collect()
}

pub fn to_referral(m: referral::Model) -> Result<Referral> {
    Ok(Referral {
        id: ReferralId(m.id),
        case_id: CaseId(m.case_id),
        service_id: m.service_id.into(),
        need_ids: need_ids(&m.need_ids)?,
        status: codes::parse_referral_status(&m.status)?,
        override_reason: m.override_reason,
        feedback: m.feedback,
        sent_at: m.sent_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

/// True when the person is under 18 on `today` (the tenant's local day), from the birth date as
/// known, by the one rule of ages ([`dates::age_on`]: a part left out is its latest possible
/// value, so with the year alone the person is a minor until the end of the year they turn 18).
pub fn is_minor(
    birth_year: Option<i32>,
    month: Option<i32>,
    day: Option<i32>,
    today: NaiveDate,
) -> bool {
    let Some(year) = birth_year else { return false };
    let part = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
    // Not born yet on `today` (a date typed ahead): not counted as anything.
    dates::age_on(year, part(month), part(day), today).is_some_and(|age| age < 18)
}

/// `today`: the tenant's local day, on which the members' ages are taken.
pub fn to_household(
    m: household::Model,
    members: Vec<person::Model>,
    today: NaiveDate,
) -> Result<Household> {
    Ok(Household {
        id: HouseholdId(m.id),
        label: m.label,
        territory_code: m.territory_code,
        members: members
            .into_iter()
            .map(|p| {
                Ok(HouseholdMember {
                    person_id: PersonId(p.id),
                    role: codes::parse_household_role(
                        p.household_role.as_deref().unwrap_or("other"),
                    )?,
                    minor: is_minor(p.birth_year, p.birth_month, p.birth_day, today),
                })
            })
            .collect::<Result<_>>()?,
        version: m.version,
    })
}

pub fn to_appointment(m: appointment::Model) -> Result<Appointment> {
    Ok(Appointment {
        id: AppointmentId(m.id),
        desk_id: m.desk_id.into(),
        operator_id: UserId(m.operator_id),
        person_id: PersonId(m.person_id),
        case_id: m.case_id.map(CaseId),
        series_id: m.series_id.map(AppointmentId),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        status: codes::parse_appointment_status(&m.status)?,
        remind_at: m.remind_at,
        reminder_outcome: m
            .reminder_outcome
            .as_deref()
            .map(codes::parse_reminder_outcome)
            .transpose()?,
        reminder_deliveries: Vec::new(),
        version: m.version,
    })
}

pub fn to_step(m: plan_step::Model) -> Result<PlanStep> {
    Ok(PlanStep {
        id: StepId(m.id),
        goal_id: GoalId(m.goal_id),
        title: m.title,
        owner: codes::parse_step_owner(&m.owner)?,
        due_on: m.due_on,
        status: codes::parse_step_status(&m.status)?,
        version: m.version,
    })
}

pub fn to_goal(m: plan_goal::Model, steps: Vec<plan_step::Model>) -> Result<PlanGoal> {
    Ok(PlanGoal {
        id: GoalId(m.id),
        case_id: CaseId(m.case_id),
        title: m.title,
        need_ids: need_ids(&m.need_ids)?,
        status: codes::parse_goal_status(&m.status)?,
        review_on: m.review_on,
        steps: steps.into_iter().map(to_step).collect::<Result<_>>()?,
        version: m.version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_case_cannot_be_closed_again_but_can_be_reopened_with_a_reason() {
        use CaseStatus::*;
        assert!(matches!(
            transition(Intake, Active, None, None),
            Ok(Transition::Move)
        ));
        assert!(transition(Active, Closed, None, None).is_err());
        assert!(matches!(
            transition(Active, Closed, Some("autonomy_reached"), None),
            Ok(Transition::Close { .. })
        ));
        assert_eq!(
            transition(Closed, Closed, Some("x"), None)
                .err()
                .map(|e| e.code),
            Some(sportello_kernel::ErrorCode::Conflict)
        );
        assert!(transition(Closed, Active, None, None).is_err());
        assert!(matches!(
            transition(Closed, Active, None, Some("new need")),
            Ok(Transition::Reopen { .. })
        ));
        assert!(transition(Intake, Monitoring, None, None).is_err());
    }

    #[test]
    fn a_rejected_referral_cannot_be_completed() {
        use ReferralStatus::*;
        assert!(referral_transition(Sent, Accepted).is_ok());
        assert!(referral_transition(Accepted, Completed).is_ok());
        assert_eq!(
            referral_transition(Rejected, Completed)
                .err()
                .map(|e| e.code),
            Some(sportello_kernel::ErrorCode::Conflict)
        );
        assert!(referral_transition(Sent, Completed).is_err());
        assert!(referral_transition(Completed, Failed).is_err());
    }

    fn test_today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default()
    }

    #[test]
    fn minors_are_counted_from_the_birth_date_as_known() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        assert!(is_minor(Some(2010), None, None, today));
        assert!(is_minor(Some(2008), Some(12), Some(1), today));
        assert!(!is_minor(Some(2008), Some(11), Some(1), today));
        assert!(is_minor(Some(2008), None, None, today));
        assert!(!is_minor(Some(1990), None, None, today));
        assert!(!is_minor(None, None, None, today));
        // The latest possible birthday: 30 November for November 2008.
        assert!(is_minor(Some(2008), Some(11), None, today));
        assert!(!is_minor(
            Some(2008),
            Some(11),
            None,
            today + chrono::Days::new(8)
        ));
        // Born 2008-12-31: 17 on 6 December 2026, adult on 31 December.
        let dec6 = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
        assert!(is_minor(Some(2008), Some(12), Some(31), dec6));
        assert!(!is_minor(
            Some(2008),
            Some(12),
            Some(31),
            dec6 + chrono::Days::new(25)
        ));
    }

    #[test]
    fn a_case_closes_only_with_an_outcome_of_the_list() {
        assert_eq!(
            case_outcome(" Autonomy_Reached ").unwrap(),
            "autonomy_reached"
        );
        for refused in [
            "quastravoni_rimpatriata",
            "moved to Milan with Ahmed",
            "",
            "autonomy",
        ] {
            let e = case_outcome(refused).unwrap_err();
            assert_eq!(
                e.code,
                sportello_kernel::ErrorCode::InvalidInput,
                "{refused}"
            );
            assert_eq!(e.field.as_deref(), Some("outcome"), "{refused}");
        }
        let closing = transition(
            CaseStatus::Active,
            CaseStatus::Closed,
            Some("quastravoni_rimpatriata"),
            None,
        );
        assert!(closing.is_err());
    }

    #[test]
    fn an_intervention_outcome_is_a_code_of_its_list() {
        let list = OutcomeList::Intervention;
        assert_eq!(
            list.code("outcome", " Permit_Renewed ").unwrap(),
            "permit_renewed"
        );
        for refused in [
            "moved to Milan with Ahmed",
            "autonomy_reached",
            "",
            "permit",
        ] {
            let e = list.code("outcome", refused).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("outcome"), "{refused}");
            assert!(e.message.contains("interventionOutcomes"), "{refused}");
        }
        // Each list's codes are distinct, and every code is a plain snake_case word.
        for l in [OutcomeList::Case, OutcomeList::Intervention] {
            let mut codes = l.codes().to_vec();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), l.codes().len());
            assert!(
                codes
                    .iter()
                    .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            );
        }
    }

    #[test]
    fn a_person_needs_names_and_valid_codes() {
        let base = PersonInput {
            given_names: "محمد".into(),
            family_names: "Haddad".into(),
            territory_code: "052022".into(),
            ..PersonInput::default()
        };
        let p = ValidPerson::parse(base.clone(), test_today());
        assert!(
            p.as_ref()
                .is_ok_and(|p| !p.latin_given_names.is_empty() && p.latin_given_names.is_ascii())
        );
        let bad = PersonInput {
            country_of_birth: Some("Morocco".into()),
            ..base.clone()
        };
        assert_eq!(
            ValidPerson::parse(bad, test_today())
                .err()
                .and_then(|e| e.field),
            Some("countryOfBirth".into())
        );
        let bad = PersonInput {
            codice_fiscale: Some("RSSMRA85T10A562X".into()),
            ..base.clone()
        };
        assert_eq!(
            ValidPerson::parse(bad, test_today())
                .err()
                .and_then(|e| e.field),
            Some("codiceFiscale".into())
        );
        let bad = PersonInput {
            birth: Some(BirthDate {
                year: 1990,
                month: Some(2),
                day: Some(30),
            }),
            ..base.clone()
        };
        assert_eq!(
            ValidPerson::parse(bad, test_today())
                .err()
                .and_then(|e| e.field),
            Some("birth".into())
        );
        let year_only = PersonInput {
            birth: Some(BirthDate {
                year: 1990,
                month: None,
                day: None,
            }),
            ..base
        };
        assert!(ValidPerson::parse(year_only, test_today()).is_ok());
    }
}
