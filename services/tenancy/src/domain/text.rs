use sportello_kernel::text::{self, Refusal};
use sportello_kernel::{Error, Result, contact, iso};

/// A display name (of a user, an organisation, a desk, a territory): cleaned, 1 to 200
/// characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    /// Cleans the name with the kernel's rule ([`text::clean`]: NFC, no bidi controls or
    /// zero-width characters, spaces collapsed), then refuses it empty, longer than
    /// [`text::MAX_GRAPHEMES`] characters as a reader counts them, or with control characters.
    pub fn parse(field: &str, input: &str) -> Result<Self> {
        let name = text::clean(input);
        match text::check(&name) {
            Err(r @ (Refusal::Empty | Refusal::TooLong | Refusal::Control)) => {
                Err(Error::on(field, r.reason()))
            }
            _ => Ok(Self(name)),
        }
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// An optional phone number: empty becomes none, anything else is stored in E.164
/// (`sportello_kernel::contact::phone`).
pub fn optional_phone(field: &str, input: Option<String>) -> Result<Option<String>> {
    match input.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(typed) => contact::phone(field, typed).map(Some),
    }
}

/// Optional free text (address, opening hours): trimmed, empty becomes none, at most 500 characters.
pub fn optional_text(field: &str, input: Option<String>) -> Result<Option<String>> {
    let Some(text) = input else { return Ok(None) };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > 500 {
        return Err(Error::on(
            field,
            sportello_kernel::Reason::TooLong { max: 500 },
        ));
    }
    Ok(Some(text.to_owned()))
}

/// An e-mail address, lowercased so that one person has one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// The shared rule of `sportello_kernel::contact::email`.
    pub fn parse(field: &str, input: &str) -> Result<Self> {
        contact::email(field, input).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A language in the one code stored for it (see [`sportello_kernel::iso::language`]): ISO 639-1
/// when the language has one (`it`, `ar`, `ti`), else ISO 639-3 (`prs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LanguageCode(String);

impl LanguageCode {
    pub fn parse(field: &str, input: &str) -> Result<Self> {
        iso::language(field, input).map(Self)
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("email", " Anna.Rossi@Comune.IT ")
                .map(Email::into_string)
                .ok(),
            Some("anna.rossi@comune.it".into())
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@comune.it",
            "anna rossi@comune.it",
            "anna@localhost",
            "a@b",
            "user@.com",
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_are_stored_in_e164() {
        assert_eq!(optional_phone("phone", Some("  ".into())).ok(), Some(None));
        assert_eq!(
            optional_phone("phone", Some("0039 333 1234567".into())).ok(),
            Some(Some("+393331234567".into()))
        );
        assert!(optional_phone("phone", Some("12".into())).is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert!(Name::parse("name", "   ").is_err());
        assert!(Name::parse("name", &"x".repeat(201)).is_err());
        assert_eq!(
            Name::parse("name", " Sportello Centro ")
                .map(Name::into_string)
                .ok(),
            Some("Sportello Centro".into())
        );
    }

    #[test]
    fn names_follow_the_unicode_rule_of_person_names() {
        let parsed = |s: &str| Name::parse("name", s).map(Name::into_string).ok();
        // Invisible characters go: the name then compares equal to the official one.
        assert_eq!(parsed("Napoli\u{200B}"), Some("Napoli".into()));
        assert_eq!(
            parsed("\u{202E}Sportello\u{202C} Nord"),
            Some("Sportello Nord".into())
        );
        assert_eq!(parsed("Forli\u{300}"), Some("Forlì".into()));
        assert!(Name::parse("name", "\u{200B}\u{FEFF}").is_err());
        // The limit counts what a reader sees: 150 decomposed letters are 150 characters.
        assert!(Name::parse("name", &"e\u{301}".repeat(150)).is_ok());
        let err = Name::parse("name", &"e\u{301}".repeat(201)).expect_err("too long");
        assert_eq!(err.field.as_deref(), Some("name"));
    }

    #[test]
    fn language_codes_are_iso_639() {
        assert!(LanguageCode::parse("languages", "AR").is_ok());
        assert!(LanguageCode::parse("languages", "arabic").is_err());
        assert!(LanguageCode::parse("languages", "a1").is_err());
        assert!(LanguageCode::parse("languages", "xyz").is_err());
        assert_eq!(
            LanguageCode::parse("languages", "per")
                .map(LanguageCode::into_string)
                .ok(),
            Some("fa".into())
        );
    }
}
