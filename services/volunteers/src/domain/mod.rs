//! The rules of the register that need no store: the default skills, and the checks of what an
//! application or a member of staff gives about a volunteer. Pure.

pub mod matching;

use std::collections::BTreeSet;

use sportello_kernel::error::{List, Object, Refusals};
use sportello_kernel::{Error, Reason, Result, iso};
use sportello_tenancy::domain::{Name, optional_phone};

use crate::interface::{Availability, SpokenLanguage, VolunteerInput, VolunteerStatus, WeeklySlot};

/// The skills every tenant starts with (the kinds of help the programmes ask active citizens
/// for); the console translates them by code. A tenant adds its own and may retire any.
pub const DEFAULT_SKILLS: [&str; 9] = [
    "LANGUAGE_SUPPORT",
    "ACCOMPANIMENT",
    "SCHOOL_TUTORING",
    "DIGITAL_HELP",
    "TRANSPORT",
    "LEGAL_ADMINISTRATIVE",
    "CHILDCARE",
    "HOUSING_SEARCH",
    "JOB_SEARCH",
];

/// At most this many languages, skills, territories, weekly slots or exceptions in one list.
pub const MAX_ITEMS: usize = 50;

/// A volunteer's input with every field checked and in its stored form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedVolunteer {
    pub given_names: String,
    pub family_names: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub languages: Vec<SpokenLanguage>,
    pub skills: Vec<String>,
    pub territories: Vec<String>,
    pub availability: Availability,
    pub works_with_minors: bool,
}

/// Checks a volunteer's input against the tenant's active skill codes (`skills`) and the ISTAT
/// codes of its municipalities (`territories`, which the service asks the tenancy service for).
/// Every refusal is `INVALID_INPUT` on
/// the field (`givenNames`, `familyNames`, `email`, `phone`, `languages`, `skills`,
/// `territories`, `availability`), and one answer names every field at fault (the first in
/// `field`, the others in the error's detail, see [`Refusals`]).
pub fn check_volunteer(
    input: VolunteerInput,
    skills: &BTreeSet<String>,
    territories: &BTreeSet<String>,
) -> Result<CheckedVolunteer> {
    let mut refusals = Refusals::default();
    let given_names = refusals.take(Name::parse("givenNames", &input.given_names));
    let family_names = refusals.take(Name::parse("familyNames", &input.family_names));
    let email = refusals.take(match input.email.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(typed) => sportello_kernel::contact::email("email", typed).map(Some),
    });
    let phone = refusals.take(optional_phone("phone", input.phone));
    if let (Some(None), Some(None)) = (&email, &phone) {
        refusals.note(
            Error::on("email", Reason::Required).saying("give an e-mail address or a phone number"),
        );
    }
    let languages = refusals.take(check_languages(input.languages));
    let skills = refusals.take(check_skills(input.skills, skills));
    let territories = refusals.take(check_territory_codes(input.territories).and_then(|codes| {
        if codes.iter().any(|c| !territories.contains(c)) {
            return Err(Error::on(
                "territories",
                Reason::NoSuch {
                    object: Object::Territory,
                },
            ));
        }
        Ok(codes)
    }));
    let availability = refusals.take(check_availability(input.availability));
    refusals.finish()?;
    let missing = || Error::internal("a refused field passed the check");
    Ok(CheckedVolunteer {
        given_names: given_names.ok_or_else(missing)?.into_string(),
        family_names: family_names.ok_or_else(missing)?.into_string(),
        email: email.ok_or_else(missing)?,
        phone: phone.ok_or_else(missing)?,
        languages: languages.ok_or_else(missing)?,
        skills: skills.ok_or_else(missing)?,
        territories: territories.ok_or_else(missing)?,
        availability: availability.ok_or_else(missing)?,
        works_with_minors: input.works_with_minors,
    })
}

fn too_many(field: &str, len: usize) -> Result<()> {
    if len > MAX_ITEMS {
        return Err(Error::on(
            field,
            Reason::TooMany {
                max: MAX_ITEMS as u32,
            },
        ));
    }
    Ok(())
}

/// ISO 639 codes, each once.
pub fn check_languages(input: Vec<SpokenLanguage>) -> Result<Vec<SpokenLanguage>> {
    too_many("languages", input.len())?;
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(input.len());
    for language in input {
        let code = iso::language("languages", &language.code)?;
        if !seen.insert(code.clone()) {
            return Err(Error::on("languages", Reason::Repeated));
        }
        out.push(SpokenLanguage {
            code,
            level: language.level,
        });
    }
    Ok(out)
}

/// Skill codes of the tenant's taxonomy, each once, in the order given.
pub fn check_skills(input: Vec<String>, known: &BTreeSet<String>) -> Result<Vec<String>> {
    too_many("skills", input.len())?;
    let mut out: Vec<String> = Vec::with_capacity(input.len());
    for code in input {
        let code = code.trim().to_ascii_uppercase();
        if !known.contains(&code) {
            return Err(Error::on(
                "skills",
                Reason::NotInList { list: List::Skills },
            ));
        }
        if out.contains(&code) {
            return Err(Error::on("skills", Reason::Repeated));
        }
        out.push(code);
    }
    Ok(out)
}

/// Six-digit ISTAT municipality codes, each once.
pub fn check_territory_codes(input: Vec<String>) -> Result<Vec<String>> {
    too_many("territories", input.len())?;
    let mut out: Vec<String> = Vec::with_capacity(input.len());
    for code in input {
        let code = code.trim().to_owned();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::on("territories", Reason::IstatMalformed));
        }
        if out.contains(&code) {
            return Err(Error::on("territories", Reason::Repeated));
        }
        out.push(code);
    }
    Ok(out)
}

fn check_slot(slot: &WeeklySlot, weekday_matters: bool) -> Result<()> {
    if weekday_matters && !(1..=7).contains(&slot.weekday) {
        return Err(
            Error::on("availability", Reason::OutOfRange { min: 1, max: 7 })
                .saying("a weekday is 1 (Monday) to 7 (Sunday)"),
        );
    }
    if slot.from >= slot.to {
        return Err(Error::on("availability", Reason::PeriodReversed));
    }
    Ok(())
}

/// Weekly slots with a weekday 1–7 and `from` before `to`; exceptions on distinct days. Slots
/// are kept sorted (weekday, start) and exceptions by day.
pub fn check_availability(mut input: Availability) -> Result<Availability> {
    too_many("availability", input.weekly.len())?;
    too_many("availability", input.exceptions.len())?;
    for slot in &input.weekly {
        check_slot(slot, true)?;
    }
    let mut days = BTreeSet::new();
    for exception in &mut input.exceptions {
        if !days.insert(exception.on) {
            return Err(Error::on("availability", Reason::Repeated));
        }
        too_many("availability", exception.slots.len())?;
        for slot in &exception.slots {
            check_slot(slot, false)?;
        }
        exception.slots.sort_by_key(|s| s.from);
    }
    input.weekly.sort_by_key(|s| (s.weekday, s.from));
    input.exceptions.sort_by_key(|e| e.on);
    Ok(input)
}

/// Whether the application workflow allows the step: `SUBMITTED` → `UNDER_REVIEW`, `ACTIVE` or
/// `WITHDRAWN`; `UNDER_REVIEW` → `ACTIVE` or `WITHDRAWN`; `ACTIVE` ⇄ `SUSPENDED`; anything but
/// `WITHDRAWN` → `WITHDRAWN`, which is final.
pub fn may_move(from: VolunteerStatus, to: VolunteerStatus) -> bool {
    use VolunteerStatus::*;
    matches!(
        (from, to),
        (Submitted, UnderReview | Active | Withdrawn)
            | (UnderReview, Active | Withdrawn)
            | (Active, Suspended | Withdrawn)
            | (Suspended, Active | Withdrawn)
    )
}

/// A skill code the tenant adds: 2 to 40 letters, digits or `_`, starting with a letter, in any
/// case; kept upper-case (`SIGN_LANGUAGE`). Otherwise `NOT_A_CODE` on `code`.
pub fn skill_code(input: &str) -> Result<String> {
    let code = input.trim().to_ascii_uppercase();
    let shaped = (2..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if !shaped {
        return Err(Error::on("code", Reason::NotACode { min: 2, max: 40 }));
    }
    Ok(code)
}

/// The consents the public form asks for, both required: `REQUIRED` on
/// `codeOfConductAccepted` and on `dataProcessingConsent`, noted in `refusals`.
pub fn require_consents(refusals: &mut Refusals, code_of_conduct: bool, data_processing: bool) {
    if !code_of_conduct {
        refusals.note(
            Error::on("codeOfConductAccepted", Reason::Required)
                .saying("the code of conduct must be accepted"),
        );
    }
    if !data_processing {
        refusals.note(
            Error::on("dataProcessingConsent", Reason::Required)
                .saying("consent to the processing of the data is required"),
        );
    }
}

/// Whether the hidden field of the public form (a honeypot people never see) was filled in.
pub fn honeypot_filled(website: Option<&str>) -> bool {
    website.is_some_and(|w| !w.trim().is_empty())
}

/// A local day something was signed or seen: from 1 January 1900 to the tenant's today.
pub fn signed_on(
    field: &str,
    value: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate> {
    let first = chrono::NaiveDate::from_ymd_opt(sportello_kernel::dates::MIN_YEAR, 1, 1)
        .unwrap_or(chrono::NaiveDate::MIN);
    sportello_kernel::dates::date_within(field, value, first, today)
}

/// The error for a volunteer id given in `field` of another object's input (a task, an
/// enrolment) that the caller's tenant has no volunteer for: `INVALID_INPUT` on that field.
pub fn no_such_volunteer(field: &str) -> Error {
    Error::on(
        field,
        Reason::NoSuch {
            object: Object::Volunteer,
        },
    )
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;
    use crate::interface::{DateException, LanguageLevel};

    fn skills() -> BTreeSet<String> {
        DEFAULT_SKILLS.iter().map(|s| (*s).to_owned()).collect()
    }

    fn territories() -> BTreeSet<String> {
        ["050026".to_owned()].into()
    }

    fn input() -> VolunteerInput {
        VolunteerInput {
            given_names: " Amina ".into(),
            family_names: "Haddad".into(),
            email: Some("Amina@Example.org".into()),
            phone: None,
            languages: vec![SpokenLanguage {
                code: "ar".into(),
                level: LanguageLevel::Native,
            }],
            skills: vec!["language_support".into()],
            territories: vec!["050026".into()],
            availability: Availability::default(),
            works_with_minors: false,
        }
    }

    fn time(h: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, 0, 0).expect("time")
    }

    #[test]
    fn a_good_application_is_cleaned() {
        let checked = check_volunteer(input(), &skills(), &territories()).expect("valid");
        assert_eq!(checked.given_names, "Amina");
        assert_eq!(checked.email.as_deref(), Some("amina@example.org"));
        assert_eq!(checked.skills, ["LANGUAGE_SUPPORT"]);
    }

    #[test]
    fn each_refusal_names_its_field() {
        let cases: Vec<(VolunteerInput, &str)> = vec![
            (
                VolunteerInput {
                    given_names: " ".into(),
                    ..input()
                },
                "givenNames",
            ),
            (
                VolunteerInput {
                    email: None,
                    phone: None,
                    ..input()
                },
                "email",
            ),
            (
                VolunteerInput {
                    phone: Some("12".into()),
                    ..input()
                },
                "phone",
            ),
            (
                VolunteerInput {
                    skills: vec!["ASTROLOGY".into()],
                    ..input()
                },
                "skills",
            ),
            (
                VolunteerInput {
                    territories: vec!["50026".into()],
                    ..input()
                },
                "territories",
            ),
            (
                VolunteerInput {
                    languages: vec![
                        SpokenLanguage {
                            code: "ar".into(),
                            level: LanguageLevel::B1,
                        },
                        SpokenLanguage {
                            code: "ara".into(),
                            level: LanguageLevel::C1,
                        },
                    ],
                    ..input()
                },
                "languages",
            ),
            (
                VolunteerInput {
                    availability: Availability {
                        weekly: vec![WeeklySlot {
                            weekday: 8,
                            from: time(9),
                            to: time(12),
                        }],
                        exceptions: vec![],
                    },
                    ..input()
                },
                "availability",
            ),
            (
                VolunteerInput {
                    availability: Availability {
                        weekly: vec![WeeklySlot {
                            weekday: 1,
                            from: time(12),
                            to: time(9),
                        }],
                        exceptions: vec![],
                    },
                    ..input()
                },
                "availability",
            ),
        ];
        for (bad, field) in cases {
            let err = check_volunteer(bad, &skills(), &territories()).expect_err(field);
            assert_eq!(err.field.as_deref(), Some(field), "{err:?}");
        }
    }

    #[test]
    fn one_answer_names_every_field_at_fault() {
        let bad = VolunteerInput {
            given_names: " ".into(),
            family_names: "".into(),
            email: None,
            phone: None,
            skills: vec!["ASTROLOGY".into()],
            territories: vec!["12".into()],
            ..input()
        };
        let err = check_volunteer(bad, &skills(), &territories()).expect_err("refused");
        assert_eq!(
            err.refused_fields(),
            [
                "givenNames",
                "familyNames",
                "email",
                "skills",
                "territories"
            ]
        );
    }

    #[test]
    fn skill_codes_are_upper_case_words() {
        assert_eq!(
            skill_code(" sign_language ").ok().as_deref(),
            Some("SIGN_LANGUAGE")
        );
        for bad in [
            "",
            "A",
            "1ABC",
            "SIGN LANGUAGE",
            "SEGNI-LIS",
            &"A".repeat(41),
        ] {
            let err = skill_code(bad).expect_err(bad);
            assert_eq!(err.field.as_deref(), Some("code"));
        }
    }

    #[test]
    fn both_consents_are_required_and_an_empty_honeypot_is_no_bot() {
        let consents = |conduct, data| {
            let mut refusals = Refusals::default();
            require_consents(&mut refusals, conduct, data);
            refusals.finish()
        };
        assert!(consents(true, true).is_ok());
        let conduct = consents(false, true).expect_err("conduct");
        assert_eq!(conduct.refused_fields(), ["codeOfConductAccepted"]);
        let data = consents(true, false).expect_err("data");
        assert_eq!(data.refused_fields(), ["dataProcessingConsent"]);
        let both = consents(false, false).expect_err("both");
        assert_eq!(
            both.refused_fields(),
            ["codeOfConductAccepted", "dataProcessingConsent"]
        );
        assert!(!honeypot_filled(None));
        assert!(!honeypot_filled(Some("  ")));
        assert!(honeypot_filled(Some("https://spam.example")));
    }

    #[test]
    fn availability_is_sorted_and_days_are_distinct() {
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 6).expect("day");
        let checked = check_availability(Availability {
            weekly: vec![
                WeeklySlot {
                    weekday: 3,
                    from: time(9),
                    to: time(12),
                },
                WeeklySlot {
                    weekday: 1,
                    from: time(15),
                    to: time(18),
                },
            ],
            exceptions: vec![DateException {
                on: day,
                slots: vec![],
            }],
        })
        .expect("valid");
        assert_eq!(checked.weekly[0].weekday, 1);
        let twice = check_availability(Availability {
            weekly: vec![],
            exceptions: vec![
                DateException {
                    on: day,
                    slots: vec![],
                },
                DateException {
                    on: day,
                    slots: vec![],
                },
            ],
        });
        assert!(twice.is_err());
    }
}
