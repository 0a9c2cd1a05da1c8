use sportello_kernel::{Error, Result};

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
    pub fn parse(field: &str, input: &str) -> Result<Self> {
        let email = input.trim().to_lowercase();
        let valid = email.len() <= 254
            && email_address::EmailAddress::parse_with_options(
                &email,
                email_address::Options::default()
                    .with_required_tld()
                    .without_display_text(),
            )
            .is_ok();
        if !valid {
            return Err(Error::invalid(field, "not a valid e-mail address"));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// An ISO 639 language code (two or three lowercase letters), e.g. `it`, `ar`, `ti`, `bm`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LanguageCode(String);

impl LanguageCode {
    pub fn parse(field: &str, input: &str) -> Result<Self> {
        let code = input.trim().to_lowercase();
        if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(Error::invalid(
                field,
                "languages are ISO 639 codes of 2 or 3 letters, e.g. it, en, ar",
            ));
        }
        Ok(Self(code))
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
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
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
    }
}
