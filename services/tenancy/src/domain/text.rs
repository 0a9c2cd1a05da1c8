use sportello_kernel::{Error, Result, contact, iso};

/// A display name: trimmed, between 1 and 200 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub fn parse(field: &str, input: &str) -> Result<Self> {
        let name = input.trim();
        if name.is_empty() {
            return Err(Error::invalid(field, "must not be empty"));
        }
        if name.chars().count() > 200 {
            return Err(Error::invalid(field, "must be at most 200 characters"));
        }
        if name.chars().any(char::is_control) {
            return Err(Error::invalid(field, "must not contain control characters"));
        }
        Ok(Self(name.to_owned()))
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
        return Err(Error::invalid(field, "must be at most 500 characters"));
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
