//! Validation of the Italian *codice fiscale* (tax code) of a natural person.
//!
//! Layout of the 16 characters (1-based positions):
//!
//! | positions | content                                              |
//! |-----------|------------------------------------------------------|
//! | 1–6       | letters from surname and name                         |
//! | 7–8       | last two digits of the birth year                     |
//! | 9         | month letter (`ABCDEHLMPRST` = January … December)    |
//! | 10–11     | day of birth; women add 40 (so 41–71)                 |
//! | 12–15     | birthplace (cadastral code): a letter and 3 digits;   |
//! |           | births abroad use `Z` + 3 digits (country code)       |
//! | 16        | check character                                       |
//!
//! **Omocodia**: when two people would get the same code, the Agenzia delle
//! Entrate replaces digits in the numeric positions 7, 8, 10, 11, 13, 14, 15
//! with letters (`0..=9` → `LMNPQRSTUV`) and recomputes the check character.
//! Such codes are valid and stored as issued: an omocodic code belongs to a *different* person
//! than the plain one. [`CodiceFiscale::normalised`] maps them back, only to warn that two
//! records may be the same person.
//!
//! **Impossible codes** are refused even with the right check character
//! ([`CodiceFiscale::decode`]): a birth date that does not exist (31 April, 29 February of a
//! year that is not a leap year) and a birthplace code that is no Italian municipality (former
//! ones included) or foreign state at the birth date ([`super::birthplaces`]).
//!
//! **Provisional codes** ([`TaxCode::Provisional`]): the Agenzia delle Entrate gives asylum
//! seekers an 11-digit numeric code whose last digit is the check digit of the partita IVA
//! (D.M. 23 dicembre 1976; the Luhn algorithm over the first ten digits).
//!
//! Input is cleaned first ([`clean`]): spaces, hyphens, dots, zero-width characters and a BOM
//! pasted with the code are removed.
//!
//! Error messages never contain the code itself (it is personal data), and the
//! `Debug` output of [`CodiceFiscale`] is redacted for the same reason.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use super::birthplaces;

/// Number of characters in a codice fiscale of a natural person.
const LEN: usize = 16;

/// 0-based indices of the positions that hold digits (or omocodia letters).
const NUMERIC_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

/// Letters replacing the digits 0..=9 in omocodic codes.
const OMOCODIA_LETTERS: &[u8; 10] = b"LMNPQRSTUV";

/// Month letters, January to December.
const MONTH_LETTERS: &[u8; 12] = b"ABCDEHLMPRST";

/// Sex as encoded in the day-of-birth field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Female,
    Male,
}

/// Why a string is not a valid codice fiscale.
///
/// Positions are 1-based, as a desk operator would count them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CfError {
    /// Not 16 characters after removing spaces.
    Length { found: usize },
    /// A character of the wrong kind (letter/digit) at this 1-based position.
    Shape { position: usize },
    /// The 9th character is not one of `ABCDEHLMPRST`.
    Month,
    /// The day (characters 10–11) is not in 1–31 or 41–71.
    Day,
    /// Characters 12–15 are not a letter followed by three digits.
    Birthplace,
    /// The 16th character does not match the computed check character.
    CheckCharacter { expected: char, found: char },
    /// Characters 7–11 give a day that does not exist (31 April, 29 February of a common
    /// year), or one after today.
    BirthDate,
    /// Characters 12–15 are no birthplace code of any Italian municipality or foreign state at
    /// the birth date.
    UnknownBirthplace,
    /// An 11-digit provisional code whose last digit is not its check digit.
    ProvisionalCheckDigit,
}

impl CfError {
    /// The refusal on `field`: the reason as the API names it, with this error's own words.
    pub fn refusal(&self, field: &str) -> sportello_kernel::Error {
        use sportello_kernel::Reason;
        let reason = match self {
            CfError::Length { .. } => Reason::CodiceFiscaleLength,
            CfError::Shape { position } => Reason::CodiceFiscaleCharacter {
                position: u32::try_from(*position).unwrap_or(0),
            },
            CfError::Month | CfError::Day | CfError::BirthDate => Reason::CodiceFiscaleDate,
            CfError::Birthplace | CfError::UnknownBirthplace => Reason::CodiceFiscaleBirthplace,
            CfError::CheckCharacter { .. } | CfError::ProvisionalCheckDigit => {
                Reason::CodiceFiscaleCheck
            }
        };
        sportello_kernel::Error::on(field, reason).saying(self.to_string())
    }
}

impl fmt::Display for CfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CfError::Length { found } => write!(
                f,
                "a codice fiscale has {LEN} characters (a provisional one 11 digits), \
                 but {found} were entered"
            ),
            CfError::Shape { position } => {
                let expected = match position {
                    7 | 8 | 10 | 11 | 13..=15 => "a digit",
                    _ => "a letter",
                };
                write!(f, "character {position} should be {expected}")
            }
            CfError::Month => write!(
                f,
                "character 9 (month of birth) should be one of the letters A B C D E H L M P R S T"
            ),
            CfError::Day => write!(
                f,
                "characters 10-11 (day of birth) should be 01-31 for men or 41-71 for women"
            ),
            CfError::Birthplace => write!(
                f,
                "characters 12-15 (place of birth) should be a letter followed by three digits"
            ),
            CfError::CheckCharacter { expected, found } => write!(
                f,
                "the check character should be {expected}, not {found}; \
                 please check the code for typing mistakes"
            ),
            CfError::BirthDate => write!(
                f,
                "characters 7-11 give a birth date that does not exist \
                 (e.g. 31 April, or 29 February of a year that is not a leap year)"
            ),
            CfError::UnknownBirthplace => write!(
                f,
                "characters 12-15 are not the code of an Italian municipality \
                 or a foreign state at the birth date"
            ),
            CfError::ProvisionalCheckDigit => write!(
                f,
                "the last digit of a provisional 11-digit code does not match its check digit; \
                 please check the code for typing mistakes"
            ),
        }
    }
}

impl std::error::Error for CfError {}

/// A syntactically valid codice fiscale (natural person), as entered
/// (upper-cased, without spaces; omocodia letters preserved).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CodiceFiscale(String);

impl fmt::Debug for CodiceFiscale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Personal data: do not leak it into logs through `{:?}`.
        f.write_str("CodiceFiscale(<redacted>)")
    }
}

impl FromStr for CodiceFiscale {
    type Err = CfError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AsRef<str> for CodiceFiscale {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl CodiceFiscale {
    /// Parses and validates a codice fiscale.
    ///
    /// Surrounding and inner whitespace is removed and ASCII letters are
    /// upper-cased. Checks run left to right, so the first problem found is
    /// reported; the check character is verified last.
    pub fn parse(input: &str) -> Result<CodiceFiscale, CfError> {
        let chars: Vec<char> = clean(input).chars().collect();
        if chars.len() != LEN {
            return Err(CfError::Length { found: chars.len() });
        }

        // Non-ASCII characters can never be valid; report where they are.
        let mut bytes = [0u8; LEN];
        for (i, (slot, c)) in bytes.iter_mut().zip(&chars).enumerate() {
            if !c.is_ascii() {
                return Err(match i {
                    8 => CfError::Month,
                    11..=14 => CfError::Birthplace,
                    _ => CfError::Shape { position: i + 1 },
                });
            }
            // Cannot truncate: checked ASCII above.
            *slot = *c as u8;
        }

        // 1-6: letters.
        for (i, b) in bytes.iter().enumerate().take(6) {
            if !b.is_ascii_uppercase() {
                return Err(CfError::Shape { position: i + 1 });
            }
        }
        // 7-8: year.
        for i in [6, 7] {
            if numeric_value(bytes[i]).is_none() {
                return Err(CfError::Shape { position: i + 1 });
            }
        }
        // 9: month.
        if month_number(bytes[8]).is_none() {
            return Err(CfError::Month);
        }
        // 10-11: day.
        for i in [9, 10] {
            if numeric_value(bytes[i]).is_none() {
                return Err(CfError::Shape { position: i + 1 });
            }
        }
        let day = two_digits(&bytes, 9);
        if !matches!(day, 1..=31 | 41..=71) {
            return Err(CfError::Day);
        }
        // 12-15: birthplace, a letter and three digits (after normalisation).
        if !bytes[11].is_ascii_uppercase()
            || bytes[12..15].iter().any(|&b| numeric_value(b).is_none())
        {
            return Err(CfError::Birthplace);
        }
        // 16: check character.
        if !bytes[15].is_ascii_uppercase() {
            return Err(CfError::Shape { position: 16 });
        }
        let expected = check_character(&bytes[..15]);
        let found = char::from(bytes[15]);
        if expected != found {
            return Err(CfError::CheckCharacter { expected, found });
        }

        Ok(CodiceFiscale(chars.into_iter().collect()))
    }

    /// The code as entered: upper case, no spaces, omocodia letters kept.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code with omocodia letters mapped back to digits and the check
    /// character recomputed. All omocodic variants of one code give the same
    /// value; use this to compare or de-duplicate people.
    pub fn normalised(&self) -> String {
        let mut bytes = self.bytes();
        for i in NUMERIC_POSITIONS {
            if let Some(v) = numeric_value(bytes[i]) {
                bytes[i] = b'0' + v;
            }
        }
        let check = check_character(&bytes[..15]);
        let mut out: String = bytes[..15].iter().map(|&b| char::from(b)).collect();
        out.push(check);
        out
    }

    /// Last two digits of the birth year (00–99; the century is not encoded).
    pub fn birth_year_two_digits(&self) -> u8 {
        two_digits(&self.bytes(), 6)
    }

    /// Month of birth, 1–12.
    pub fn birth_month(&self) -> u8 {
        month_number(self.bytes()[8]).unwrap_or(0)
    }

    /// Day of birth, 1–31 (the +40 for women removed).
    pub fn birth_day(&self) -> u8 {
        let day = two_digits(&self.bytes(), 9);
        if day > 40 { day - 40 } else { day }
    }

    /// Sex as encoded in the code (day of birth above 40 means female).
    pub fn sex(&self) -> Sex {
        if two_digits(&self.bytes(), 9) > 40 {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// Normalised cadastral code of the birthplace, e.g. `H501` (Rome) or
    /// `Z330` (Morocco).
    pub fn birthplace_code(&self) -> String {
        let bytes = self.bytes();
        let mut out = String::with_capacity(4);
        out.push(char::from(bytes[11]));
        for &b in &bytes[12..15] {
            out.push(char::from(b'0' + numeric_value(b).unwrap_or(0)));
        }
        out
    }

    /// The birth date and birthplace period the code stands for, or why it is impossible.
    ///
    /// The century is not in the code. With `record_year` (the birth year on the record) ending
    /// in the code's two digits, that year is used. Otherwise the most recent year up to
    /// `today` that ends in them is tried, then the year a century earlier, as the reference
    /// decoder does (`python-codicefiscale` 0.12.1, `decode`): a birth after `today` and a
    /// birthplace that did not exist then send to the earlier century. The first reason is
    /// reported when neither works.
    pub fn decode(&self, record_year: Option<i32>, today: NaiveDate) -> Result<Decoded, CfError> {
        let yy = i32::from(self.birth_year_two_digits());
        let candidates = match record_year {
            Some(year) if year.rem_euclid(100) == yy => vec![year],
            _ => {
                let mut year = today.year() - today.year().rem_euclid(100) + yy;
                if year > today.year() {
                    year -= 100;
                }
                vec![year, year - 100]
            }
        };
        let place = self.birthplace_code();
        let mut first = None;
        for year in candidates {
            let tried = NaiveDate::from_ymd_opt(
                year,
                u32::from(self.birth_month()),
                u32::from(self.birth_day()),
            )
            .filter(|d| *d <= today)
            .ok_or(CfError::BirthDate)
            .and_then(|birth| {
                birthplaces::at(&place, birth)
                    .map(|period| Decoded {
                        birth,
                        sex: self.sex(),
                        iso: period.iso,
                    })
                    .ok_or(CfError::UnknownBirthplace)
            });
            match tried {
                Ok(decoded) => return Ok(decoded),
                Err(e) => {
                    first.get_or_insert(e);
                }
            }
        }
        Err(first.unwrap_or(CfError::BirthDate))
    }

    /// `true` if the birthplace is a foreign country (`Z` + 3 digits).
    pub fn born_abroad(&self) -> bool {
        let code = self.birthplace_code();
        let b = code.as_bytes();
        b.len() == 4 && b[0] == b'Z' && b[1..].iter().all(u8::is_ascii_digit)
    }

    /// The 16 ASCII bytes (guaranteed by `parse`).
    fn bytes(&self) -> [u8; LEN] {
        let mut out = [0u8; LEN];
        for (slot, b) in out.iter_mut().zip(self.0.bytes()) {
            *slot = b;
        }
        out
    }
}

/// What a possible code stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub birth: NaiveDate,
    pub sex: Sex,
    /// The country of birth, ISO 3166-1 alpha-2 (`IT` for a municipality); `None` for a state
    /// that no longer exists.
    pub iso: Option<&'static str>,
}

/// A tax code as a desk meets it: the codice fiscale of a natural person, or the provisional
/// 11-digit numeric code given to asylum seekers until their codice fiscale is issued.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum TaxCode {
    Personal(CodiceFiscale),
    Provisional(String),
}

impl fmt::Debug for TaxCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TaxCode(<redacted>)")
    }
}

impl TaxCode {
    /// Parses either form after [`clean`]ing: 11 digits are a provisional code (its check digit
    /// verified), anything else a codice fiscale ([`CodiceFiscale::parse`]). Only the shape and
    /// the check character are checked here; see [`CodiceFiscale::decode`] for the rest.
    pub fn parse(input: &str) -> Result<TaxCode, CfError> {
        let cleaned = clean(input);
        if cleaned.len() == 11 && cleaned.bytes().all(|b| b.is_ascii_digit()) {
            let digits: Vec<u32> = cleaned.bytes().map(|b| u32::from(b - b'0')).collect();
            if provisional_check_digit(&digits[..10]) != digits[10] {
                return Err(CfError::ProvisionalCheckDigit);
            }
            return Ok(TaxCode::Provisional(cleaned));
        }
        CodiceFiscale::parse(&cleaned).map(TaxCode::Personal)
    }

    /// The code as issued (upper case, cleaned).
    pub fn as_str(&self) -> &str {
        match self {
            TaxCode::Personal(cf) => cf.as_str(),
            TaxCode::Provisional(code) => code,
        }
    }

    /// The key two records share when they may be the same person: the plain form of a
    /// codice fiscale (omocodia letters mapped back), a provisional code itself.
    pub fn key(&self) -> String {
        match self {
            TaxCode::Personal(cf) => cf.normalised(),
            TaxCode::Provisional(code) => code.clone(),
        }
    }
}

/// The check digit of a partita IVA over its first ten digits (Luhn: digits in even 1-based
/// positions doubled, 9 taken from doubles above 9), which provisional codes use.
fn provisional_check_digit(first10: &[u32]) -> u32 {
    let sum: u32 = first10
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                d
            } else if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// Removes what pasting adds around and inside a code — white space, hyphens and dashes, dots,
/// zero-width and other invisible format characters (a BOM among them) — maps full-width
/// letters and digits (as East Asian input methods type them) to ASCII by Unicode
/// compatibility (NFKC), and upper-cases ASCII letters.
pub fn clean(input: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    input
        .nfkc()
        .filter(|&c| {
            !(c.is_whitespace()
                || matches!(c, '-' | '.' | '\u{2010}'..='\u{2015}' | '\u{2212}')
                || c.general_category() == GeneralCategory::Format)
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Value of a digit or omocodia letter in a numeric position.
fn numeric_value(b: u8) -> Option<u8> {
    if b.is_ascii_digit() {
        Some(b - b'0')
    } else {
        OMOCODIA_LETTERS
            .iter()
            .position(|&l| l == b)
            .and_then(|p| u8::try_from(p).ok())
    }
}

/// Month number 1–12 for a month letter.
fn month_number(b: u8) -> Option<u8> {
    MONTH_LETTERS
        .iter()
        .position(|&l| l == b)
        .and_then(|p| u8::try_from(p + 1).ok())
}

/// Two-digit number at `start`, `start + 1` (digits or omocodia letters).
fn two_digits(bytes: &[u8; LEN], start: usize) -> u8 {
    let tens = numeric_value(bytes[start]).unwrap_or(0);
    let units = numeric_value(bytes[start + 1]).unwrap_or(0);
    tens * 10 + units
}

/// Value of a character in an odd (1st, 3rd, …, 15th) position.
fn odd_value(b: u8) -> u32 {
    match b {
        b'0' | b'A' => 1,
        b'1' | b'B' => 0,
        b'2' | b'C' => 5,
        b'3' | b'D' => 7,
        b'4' | b'E' => 9,
        b'5' | b'F' => 13,
        b'6' | b'G' => 15,
        b'7' | b'H' => 17,
        b'8' | b'I' => 19,
        b'9' | b'J' => 21,
        b'K' => 2,
        b'L' => 4,
        b'M' => 18,
        b'N' => 20,
        b'O' => 11,
        b'P' => 3,
        b'Q' => 6,
        b'R' => 8,
        b'S' => 12,
        b'T' => 14,
        b'U' => 16,
        b'V' => 10,
        b'W' => 22,
        b'X' => 25,
        b'Y' => 24,
        b'Z' => 23,
        _ => 0,
    }
}

/// Value of a character in an even (2nd, 4th, …, 14th) position.
fn even_value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'A'..=b'Z' => u32::from(b - b'A'),
        _ => 0,
    }
}

/// Check character for the first 15 (upper-case ASCII) characters.
fn check_character(first15: &[u8]) -> char {
    let sum: u32 = first15
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            // `i` is 0-based: index 0 is the 1st (odd) position.
            if i % 2 == 0 {
                odd_value(b)
            } else {
                even_value(b)
            }
        })
        .sum();
    // `sum % 26` is below 26, so the cast cannot truncate.
    char::from(b'A' + (sum % 26) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Independent check-character computation for tests: the official odd
    /// table written as a list over `0-9` then `A-Z`, and even values from
    /// the position in that alphabet (digits share letters' values).
    fn test_check_char(first15: &str) -> char {
        const ALPHABET: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        const ODD: [u32; 36] = [
            1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
            1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // A-J
            2, 4, 18, 20, 11, 3, 6, 8, 12, 14, // K-T
            16, 10, 22, 25, 24, 23, // U-Z
        ];
        assert_eq!(first15.len(), 15);
        let mut sum = 0;
        for (i, c) in first15.chars().enumerate() {
            let idx = ALPHABET.find(c).expect("alphanumeric");
            if i % 2 == 0 {
                sum += ODD[idx];
            } else {
                sum += if idx < 10 {
                    idx as u32
                } else {
                    idx as u32 - 10
                };
            }
        }
        char::from(b'A' + (sum % 26) as u8)
    }

    /// Completes a 15-character prefix with its check character.
    fn complete(first15: &str) -> String {
        format!("{first15}{}", test_check_char(first15))
    }

    /// Replaces the character at 1-based `position` by its omocodia letter.
    fn substitute(first15: &str, position: usize) -> String {
        let mut b = first15.as_bytes().to_vec();
        let d = b[position - 1] - b'0';
        b[position - 1] = OMOCODIA_LETTERS[usize::from(d)];
        String::from_utf8(b).unwrap()
    }

    // Check characters verified by hand with the odd/even tables:
    // RSSMRA85T10A562S: odd R8 S12 R8 8→19 T14 0→1 5→13 2→5 = 80,
    //   even S18 M12 A0 5 1 A0 6 = 42, 122 mod 26 = 18 → S.
    // BNCLRA90E45Z330Q: odd B0 C5 R8 9→21 E9 5→13 3→7 0→1 = 64,
    //   even N13 L11 A0 0 4 Z25 3 = 56, 120 mod 26 = 16 → Q.
    // VRDGPP01A01H501D: odd V10 D7 P3 0→1 A1 1→0 5→13 1→0 = 35,
    //   even R17 G6 P15 1 0 H7 0 = 46, 81 mod 26 = 3 → D.
    // RSSMRA85T10A56NH: as the first, but position 15 '2'(5) → 'N'(20),
    //   137 mod 26 = 7 → H.
    const HAND_VERIFIED: [&str; 4] = [
        "RSSMRA85T10A562S",
        "BNCLRA90E45Z330Q",
        "VRDGPP01A01H501D",
        "RSSMRA85T10A56NH",
    ];

    #[test]
    fn hand_verified_codes_are_valid() {
        for code in HAND_VERIFIED {
            let cf = CodiceFiscale::parse(code).unwrap();
            assert_eq!(cf.as_str(), code);
            assert_eq!(complete(&code[..15]), code, "test helper disagrees");
        }
    }

    #[test]
    fn decodes_rossi_mario() {
        let cf = CodiceFiscale::parse("RSSMRA85T10A562S").unwrap();
        assert_eq!(cf.birth_year_two_digits(), 85);
        assert_eq!(cf.birth_month(), 12);
        assert_eq!(cf.birth_day(), 10);
        assert_eq!(cf.sex(), Sex::Male);
        assert_eq!(cf.birthplace_code(), "A562");
        assert!(!cf.born_abroad());
        assert_eq!(cf.normalised(), "RSSMRA85T10A562S");
    }

    #[test]
    fn decodes_woman_born_in_morocco() {
        let cf = CodiceFiscale::parse("BNCLRA90E45Z330Q").unwrap();
        assert_eq!(cf.birth_year_two_digits(), 90);
        assert_eq!(cf.birth_month(), 5);
        assert_eq!(cf.birth_day(), 5);
        assert_eq!(cf.sex(), Sex::Female);
        assert_eq!(cf.birthplace_code(), "Z330");
        assert!(cf.born_abroad());
    }

    #[test]
    fn decodes_man_born_in_rome() {
        let cf = CodiceFiscale::parse("VRDGPP01A01H501D").unwrap();
        assert_eq!(cf.birth_year_two_digits(), 1);
        assert_eq!(cf.birth_month(), 1);
        assert_eq!(cf.birth_day(), 1);
        assert_eq!(cf.sex(), Sex::Male);
        assert_eq!(cf.birthplace_code(), "H501");
        assert!(!cf.born_abroad());
    }

    #[test]
    fn constructed_codes_are_valid() {
        let cases = [
            // prefix, year, month, day, sex, birthplace
            ("HSSMHM78S01Z336", 78, 11, 1, Sex::Male, "Z336"), // Egypt
            ("PPSNDR99B69Z129", 99, 2, 29, Sex::Female, "Z129"), // Romania
            ("KHLFTM03R71Z330", 3, 10, 31, Sex::Female, "Z330"), // Morocco
            ("XXXYYY00M41F205", 0, 8, 1, Sex::Female, "F205"), // Milan
            ("BRBLSS65L31L219", 65, 7, 31, Sex::Male, "L219"), // Turin
        ];
        for (prefix, year, month, day, sex, place) in cases {
            let code = complete(prefix);
            let cf = CodiceFiscale::parse(&code).unwrap();
            assert_eq!(cf.birth_year_two_digits(), year);
            assert_eq!(cf.birth_month(), month);
            assert_eq!(cf.birth_day(), day);
            assert_eq!(cf.sex(), sex);
            assert_eq!(cf.birthplace_code(), place);
            assert_eq!(cf.born_abroad(), place.starts_with('Z'));
            assert_eq!(cf.normalised(), code);
        }
    }

    #[test]
    fn all_month_letters() {
        for (i, m) in "ABCDEHLMPRST".chars().enumerate() {
            let code = complete(&format!("RSSMRA85{m}10A562"));
            let cf = CodiceFiscale::parse(&code).unwrap();
            assert_eq!(usize::from(cf.birth_month()), i + 1);
        }
    }

    #[test]
    fn foreign_birthplaces_are_born_abroad() {
        for place in ["Z330", "Z336", "Z129"] {
            let code = complete(&format!("MHMLAX88C12{place}"));
            let cf = CodiceFiscale::parse(&code).unwrap();
            assert!(cf.born_abroad(), "{place}");
            assert_eq!(cf.birthplace_code(), place);
        }
    }

    #[test]
    fn every_single_omocodia_position_validates_and_normalises() {
        let base_prefix = "RSSMRA85T10A562";
        let base = complete(base_prefix);
        for pos in [7, 8, 10, 11, 13, 14, 15] {
            let variant = complete(&substitute(base_prefix, pos));
            assert_ne!(variant, base);
            let cf =
                CodiceFiscale::parse(&variant).unwrap_or_else(|e| panic!("position {pos}: {e}"));
            assert_eq!(cf.as_str(), variant);
            assert_eq!(cf.normalised(), base, "position {pos}");
            assert_eq!(cf.birth_year_two_digits(), 85);
            assert_eq!(cf.birth_month(), 12);
            assert_eq!(cf.birth_day(), 10);
            assert_eq!(cf.birthplace_code(), "A562");
        }
    }

    #[test]
    fn cumulative_omocodia_from_the_right_normalises() {
        // The Agenzia substitutes from the rightmost numeric position leftwards.
        let base_prefix = "BNCLRA90E45Z330";
        let base = complete(base_prefix);
        let mut prefix = base_prefix.to_string();
        for pos in [15, 14, 13, 11, 10, 8, 7] {
            prefix = substitute(&prefix, pos);
            let cf = CodiceFiscale::parse(&complete(&prefix)).unwrap();
            assert_eq!(cf.normalised(), base);
            assert_eq!(cf.sex(), Sex::Female);
            assert_eq!(cf.birth_day(), 5);
            assert_eq!(cf.birthplace_code(), "Z330");
            assert!(cf.born_abroad());
        }
        assert_eq!(prefix, "BNCLRAVLEQRZPPL");
    }

    #[test]
    fn two_omocodic_variants_normalise_equal() {
        let a = CodiceFiscale::parse(&complete("RSSMRA85T10A56N")).unwrap();
        let b = CodiceFiscale::parse(&complete("RSSMRAURTMLARSN")).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.normalised(), b.normalised());
        assert_eq!(a.normalised(), "RSSMRA85T10A562S");
    }

    #[test]
    fn wrong_check_character_names_expected_and_found() {
        let err = CodiceFiscale::parse("RSSMRA85T10A562X").unwrap_err();
        assert_eq!(
            err,
            CfError::CheckCharacter {
                expected: 'S',
                found: 'X'
            }
        );
        let msg = err.to_string();
        assert!(msg.contains("should be S, not X"), "{msg}");
        assert!(!msg.contains("RSSMRA"), "message leaks the code");
        // An omocodic code with the check char of the base code is wrong too.
        assert_eq!(
            CodiceFiscale::parse("RSSMRA85T10A56NS").unwrap_err(),
            CfError::CheckCharacter {
                expected: 'H',
                found: 'S'
            }
        );
    }

    #[test]
    fn single_typo_is_caught() {
        // Swap a digit in the birthplace, keep the old check character.
        assert!(matches!(
            CodiceFiscale::parse("RSSMRA85T10A563S"),
            Err(CfError::CheckCharacter { .. })
        ));
    }

    #[test]
    fn bad_month_rejected() {
        for m in ['F', 'G', 'I', 'Z', '1'] {
            let code = complete(&format!("RSSMRA85{m}10A562"));
            assert_eq!(CodiceFiscale::parse(&code).unwrap_err(), CfError::Month);
        }
    }

    #[test]
    fn bad_day_rejected() {
        for day in ["32", "00", "72", "40", "99"] {
            let code = complete(&format!("RSSMRA85T{day}A562"));
            assert_eq!(
                CodiceFiscale::parse(&code).unwrap_err(),
                CfError::Day,
                "{day}"
            );
        }
        // Omocodic 32 ("PN") is rejected too.
        let code = complete("RSSMRA85TPNA562");
        assert_eq!(CodiceFiscale::parse(&code).unwrap_err(), CfError::Day);
    }

    #[test]
    fn day_boundaries_accepted() {
        for day in ["01", "31", "41", "71"] {
            let code = complete(&format!("RSSMRA85T{day}A562"));
            assert!(CodiceFiscale::parse(&code).is_ok(), "{day}");
        }
    }

    #[test]
    fn bad_length_rejected() {
        assert_eq!(
            CodiceFiscale::parse("RSSMRA85T10A562").unwrap_err(),
            CfError::Length { found: 15 }
        );
        assert_eq!(
            CodiceFiscale::parse("RSSMRA85T10A562SS").unwrap_err(),
            CfError::Length { found: 17 }
        );
        assert_eq!(
            CodiceFiscale::parse("   ").unwrap_err(),
            CfError::Length { found: 0 }
        );
        // Multi-byte characters count once.
        assert_eq!(
            CodiceFiscale::parse("RSSMRÀ85T10A562").unwrap_err(),
            CfError::Length { found: 15 }
        );
    }

    #[test]
    fn shape_errors_name_the_position() {
        let cases = [
            ("1SSMRA85T10A562S", 1),
            ("RSSMR485T10A562S", 6),
            ("RSSMRAA5T10A562S", 7),
            ("RSSMRA8ZT10A562S", 8),
            ("RSSMRA85TX0A562S", 10),
            ("RSSMRA85T1KA562S", 11),
            ("RSSMRA85T10A5621", 16),
            ("RSSMRÀ85T10A562S", 6),
        ];
        for (code, position) in cases {
            assert_eq!(
                CodiceFiscale::parse(code).unwrap_err(),
                CfError::Shape { position },
                "{code}"
            );
        }
    }

    #[test]
    fn bad_birthplace_rejected() {
        for code in [
            "RSSMRA85T101562S",
            "RSSMRA85T10AA62S",
            "RSSMRA85T10A5Z2S",
            "RSSMRA85T10A56WS",
        ] {
            assert_eq!(
                CodiceFiscale::parse(code).unwrap_err(),
                CfError::Birthplace,
                "{code}"
            );
        }
    }

    #[test]
    fn lower_case_and_spaced_input_accepted() {
        for input in [
            "rssmra85t10a562s",
            "  RSSMRA85T10A562S\n",
            "RSS MRA 85T10 A562S",
            "rss mra 85 t 10 a562 s",
            "RSSMRA85T10A562S\t",
        ] {
            let cf = CodiceFiscale::parse(input).unwrap();
            assert_eq!(cf.as_str(), "RSSMRA85T10A562S", "{input:?}");
        }
        let cf: CodiceFiscale = "rssmra85t10a56nh".parse().unwrap();
        assert_eq!(cf.normalised(), "RSSMRA85T10A562S");
    }

    #[test]
    fn messages_are_readable_and_do_not_leak() {
        let errors = [
            CfError::Length { found: 15 },
            CfError::Shape { position: 7 },
            CfError::Shape { position: 1 },
            CfError::Month,
            CfError::Day,
            CfError::Birthplace,
            CfError::CheckCharacter {
                expected: 'S',
                found: 'X',
            },
        ];
        for e in errors {
            let msg = e.to_string();
            assert!(!msg.is_empty());
            assert!(!msg.contains("RSSMRA"));
        }
        assert_eq!(
            CfError::Shape { position: 7 }.to_string(),
            "character 7 should be a digit"
        );
        assert_eq!(
            CfError::Shape { position: 1 }.to_string(),
            "character 1 should be a letter"
        );
    }

    #[test]
    fn debug_is_redacted() {
        let cf = CodiceFiscale::parse("RSSMRA85T10A562S").unwrap();
        assert!(!format!("{cf:?}").contains("RSS"));
    }

    #[test]
    fn implementation_agrees_with_test_helper() {
        for prefix in [
            "AAAAAA00A01A000",
            "ZZZZZZ99T71Z999",
            "KWXYJO47P22M208",
            "RSSMRAURTMLARSN",
        ] {
            assert_eq!(check_character(prefix.as_bytes()), test_check_char(prefix));
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn pasted_separators_and_invisible_characters_are_removed() {
        for input in [
            "\u{FEFF}HSSMMD90A01Z330I",
            "HSS-MMD-90A01-Z330I",
            "HSS.MMD.90A01.Z330I",
            "HSS\u{200B}MMD90A01\u{200D}Z330I\u{2060}",
            "\u{00A0}hssmmd 90a01 z330i\u{202F}",
            "HSS\u{2013}MMD\u{2011}90A01Z330I",
            // Full-width, as typed with an East Asian input method.
            "ＨＳＳＭＭＤ９０Ａ０１Ｚ３３０Ｉ",
            "ｈｓｓｍｍｄ90a01z330i",
        ] {
            assert_eq!(
                CodiceFiscale::parse(input).unwrap().as_str(),
                "HSSMMD90A01Z330I",
                "{input:?}"
            );
        }
    }

    #[test]
    fn an_omocodic_code_keeps_its_letters_and_shares_the_plain_key() {
        let plain = TaxCode::parse("HSSMMD90A01Z330I").unwrap();
        let omocodic = TaxCode::parse("HSSMMD90A01Z33LL").unwrap();
        assert_eq!(omocodic.as_str(), "HSSMMD90A01Z33LL");
        assert_ne!(plain, omocodic);
        assert_eq!(plain.key(), omocodic.key());
        assert_eq!(plain.key(), "HSSMMD90A01Z330I");
    }

    #[test]
    fn provisional_numeric_codes_are_checked_with_the_partita_iva_digit() {
        let code = TaxCode::parse("123 456 789 03").unwrap();
        assert_eq!(code, TaxCode::Provisional("12345678903".into()));
        assert_eq!(code.key(), "12345678903");
        for wrong in ["12345678901", "12345678904", "02345678903"] {
            assert_eq!(
                TaxCode::parse(wrong).unwrap_err(),
                CfError::ProvisionalCheckDigit,
                "{wrong}"
            );
        }
        // Leading zeros count like any digit.
        assert!(TaxCode::parse("00743110157").is_ok());
        assert!(TaxCode::parse("0123456789").is_err());
    }

    #[test]
    fn impossible_dates_are_refused_with_a_right_check_character() {
        let today = day("2026-12-06");
        // 29 February 2023 and 1923: neither is a leap year.
        let cf = CodiceFiscale::parse("RHMRYN23B29A671K").unwrap();
        assert_eq!(cf.decode(None, today).unwrap_err(), CfError::BirthDate);
        assert_eq!(
            cf.decode(Some(2023), today).unwrap_err(),
            CfError::BirthDate
        );
        for prefix in ["RSSMRA85D31H501", "RSSMRA85B30H501", "RSSMRA85B71H501"] {
            let cf = CodiceFiscale::parse(&complete(prefix)).unwrap();
            assert_eq!(
                cf.decode(None, today).unwrap_err(),
                CfError::BirthDate,
                "{prefix}"
            );
        }
        // 29 February 2000 exists; 1900 was no leap year: the record's year decides.
        let cf = CodiceFiscale::parse(&complete("RSSMRA00B29H501")).unwrap();
        assert_eq!(cf.decode(None, today).unwrap().birth, day("2000-02-29"));
        assert_eq!(
            cf.decode(Some(1900), today).unwrap_err(),
            CfError::BirthDate
        );
    }

    #[test]
    fn birthplaces_that_exist_nowhere_are_refused() {
        let today = day("2026-12-06");
        for place in ["Y123", "Z999", "Z000", "O001"] {
            let cf = CodiceFiscale::parse(&complete(&format!("RSSMRA85T10{place}"))).unwrap();
            assert_eq!(
                cf.decode(None, today).unwrap_err(),
                CfError::UnknownBirthplace,
                "{place}"
            );
        }
        let cf = CodiceFiscale::parse("HSSMMD90A01Z33LL").unwrap();
        let decoded = cf.decode(None, today).unwrap();
        assert_eq!(decoded.birth, day("1990-01-01"));
        assert_eq!(decoded.iso, Some("MA"));
        assert_eq!(decoded.sex, Sex::Male);
    }

    #[test]
    fn the_century_comes_from_the_record_or_the_most_recent_past_year() {
        let today = day("2026-12-06");
        let cf = CodiceFiscale::parse(&complete("RSSMRA20A01H501")).unwrap();
        assert_eq!(cf.decode(None, today).unwrap().birth, day("2020-01-01"));
        assert_eq!(
            cf.decode(Some(1920), today).unwrap().birth,
            day("1920-01-01")
        );
        // A record year of another decade does not choose the century.
        assert_eq!(
            cf.decode(Some(1985), today).unwrap().birth,
            day("2020-01-01")
        );
        // Born after today in this century: the century before.
        let cf = CodiceFiscale::parse(&complete("RSSMRA26T20H501")).unwrap();
        assert_eq!(cf.decode(None, today).unwrap().birth, day("1926-12-20"));
    }
}
