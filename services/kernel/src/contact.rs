//! Contact details shared by every service: one rule for phone numbers and one for e-mail
//! addresses, so that a person, an organisation and a service point are checked alike.
//!
//! - **Phones** are parsed with `phonenumber` (Google's libphonenumber data), default region
//!   Italy, and stored in E.164 (`+393331234567`). Arabic-Indic (U+0660–0669) and Extended
//!   Arabic-Indic (U+06F0–06F9) digits are read as ASCII digits first. A number the data does not
//!   know as valid, or one with an extension, is refused.
//! - **E-mails** are trimmed and lower-cased, parsed with `email_address` (no display text), and
//!   the domain must be a dot-separated host name: at least two labels, none empty, letters,
//!   digits and hyphens only, no label starting or ending with a hyphen.
//!
//! Refusals name the field and never repeat the value.

use phonenumber::{Mode, country};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::{Error, Result};

/// The most characters a typed phone number may have before parsing.
const PHONE_MAX: usize = 40;
/// The most characters of an e-mail address (RFC 5321 path limit).
const EMAIL_MAX: usize = 254;

/// The version of the libphonenumber metadata bundled by the `phonenumber` crate (the part of the
/// crate version after `+`).
pub const PHONE_DATA_VERSION: &str = "9.0.33";

/// Reads Arabic-Indic and Extended Arabic-Indic digits as ASCII digits; other characters pass.
fn ascii_digits(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            other => other,
        })
        .collect()
}

/// A phone number in E.164, e.g. `0039 333 1234567`, `3331234567` and `+39.333.123.4567` all
/// give `+393331234567`. Numbers without a country prefix are read as Italian.
pub fn phone(field: &str, input: &str) -> Result<String> {
    let typed = ascii_digits(input.trim());
    if typed.is_empty() {
        return Err(Error::on(field, crate::Reason::Required));
    }
    if typed.chars().count() > PHONE_MAX {
        return Err(Error::on(
            field,
            crate::Reason::TooLong {
                max: PHONE_MAX as u32,
            },
        ));
    }
    let refused = || Error::on(field, crate::Reason::NotAPhone);
    let number = phonenumber::parse(Some(country::Id::IT), &typed).map_err(|_| refused())?;
    if number.extension().is_some() || !phonenumber::is_valid(&number) {
        return Err(refused());
    }
    Ok(number.format().mode(Mode::E164).to_string())
}

/// An e-mail address, without invisible format characters, trimmed and lower-cased so that one
/// address has one spelling.
pub fn email(field: &str, input: &str) -> Result<String> {
    // What pasting brings along (a zero-width space, a BOM, bidi marks) is not part of an
    // address: removed, like white space around it.
    let email = input
        .chars()
        .filter(|&c| c.general_category() != GeneralCategory::Format)
        .collect::<String>()
        .trim()
        .to_lowercase();
    let parsed = email.len() <= EMAIL_MAX
        && email_address::EmailAddress::parse_with_options(
            &email,
            email_address::Options::default()
                .with_required_tld()
                .without_display_text(),
        )
        .is_ok();
    let host_ok = email
        .rsplit_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && host_name(domain));
    if !(parsed && host_ok) {
        return Err(Error::on(field, crate::Reason::NotAnEmail));
    }
    Ok(email)
}

/// A dot-separated host name of at least two labels (`comune.it`), no IP literal.
fn host_name(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn refused_on(result: Result<String>, field: &str) -> bool {
        matches!(result, Err(e) if e.code == ErrorCode::InvalidInput && e.field.as_deref() == Some(field))
    }

    #[test]
    fn italian_spellings_give_one_e164_value() {
        for typed in [
            "0039 333 1234567",
            "3331234567",
            "+39.333.123.4567",
            "+39 333 123 4567",
            " (+39) 333-1234567 ",
        ] {
            assert_eq!(
                phone("phone", typed).ok().as_deref(),
                Some("+393331234567"),
                "{typed}"
            );
        }
        // An Italian landline keeps its leading zero in E.164.
        assert_eq!(
            phone("phone", "06 1234 5678").ok().as_deref(),
            Some("+390612345678")
        );
    }

    #[test]
    fn arabic_indic_digits_are_read() {
        // Arabic-Indic (U+0660..) and Extended Arabic-Indic (U+06F0..), as typed on Arabic and
        // Persian keyboards.
        assert_eq!(
            phone("phone", "٣٣٣١٢٣٤٥٦٧").ok().as_deref(),
            Some("+393331234567")
        );
        assert_eq!(
            phone("phone", "+۳۹ ۳۳۳ ۱۲۳ ۴۵۶۷").ok().as_deref(),
            Some("+393331234567")
        );
        assert_eq!(ascii_digits("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"), "01234567890123456789");
    }

    #[test]
    fn foreign_numbers_keep_their_country() {
        // Morocco mobile, Tunisia mobile.
        assert_eq!(
            phone("phone", "+212 612-345678").ok().as_deref(),
            Some("+212612345678")
        );
        assert_eq!(
            phone("phone", "00216 20 123 456").ok().as_deref(),
            Some("+21620123456")
        );
    }

    #[test]
    fn invalid_numbers_are_refused_on_the_field() {
        for bad in [
            "12",
            "333",
            "+39 333 1234567890123",
            "abc",
            "+999 1234567",
            "3331234567 ext. 12",
            "   ",
        ] {
            assert!(refused_on(phone("phone", bad), "phone"), "{bad}");
        }
        // The refusal does not repeat the number.
        let message = phone("phone", "+39 98")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!message.is_empty() && !message.contains("98"), "{message}");
    }

    #[test]
    fn emails_follow_one_rule() {
        assert_eq!(
            email("email", " Anna.Rossi@Comune.IT ").ok().as_deref(),
            Some("anna.rossi@comune.it")
        );
        assert_eq!(
            email("email", "amina+desk@mail.example.org")
                .ok()
                .as_deref(),
            Some("amina+desk@mail.example.org")
        );
        assert_eq!(
            email("email", "\u{FEFF}anna@comune.it\u{200B}")
                .ok()
                .as_deref(),
            Some("anna@comune.it"),
            "invisible characters of a paste are removed"
        );
        for bad in [
            "",
            "a@b",
            "user@.com",
            "user@com.",
            "user@example..com",
            "user@-example.com",
            "anna",
            "anna@",
            "@comune.it",
            "anna rossi@comune.it",
            "anna@localhost",
            "user@[192.168.0.1]",
            "Anna <anna@comune.it>",
        ] {
            assert!(refused_on(email("email", bad), "email"), "{bad}");
        }
    }
}
