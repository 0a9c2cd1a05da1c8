use std::fmt;

use sportello_kernel::{Error, Result};

/// A municipality's 6-digit ISTAT code: 3 digits for the province, 3 for the municipality within
/// it. Codes of merged municipalities are retired and never reused, so a code identifies one
/// municipality for good.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IstatCode(String);

/// The highest province code in use (Sardinian provinces of the 2016–2025 reforms reach 111).
const MAX_PROVINCE: u32 = 111;

impl IstatCode {
    pub fn parse(field: &str, input: &str) -> Result<Self> {
        let code = input.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                field,
                "an ISTAT code has exactly 6 digits: 3 for the province and 3 for the municipality (e.g. 052022)",
            ));
        }
        let province: u32 = code[..3]
            .parse()
            .map_err(|_| Error::invalid(field, "not a number"))?;
        let municipality: u32 = code[3..]
            .parse()
            .map_err(|_| Error::invalid(field, "not a number"))?;
        if province == 0 || province > MAX_PROVINCE {
            return Err(Error::invalid(
                field,
                "the first 3 digits must be a province code between 001 and 111",
            ));
        }
        if municipality == 0 {
            return Err(Error::invalid(
                field,
                "the last 3 digits must be a municipality number, not 000",
            ));
        }
        Ok(Self(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for IstatCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_codes_are_accepted() {
        for code in ["052022", "058091", "015146", "111107", " 048017 "] {
            assert!(IstatCode::parse("istatCode", code).is_ok(), "{code}");
        }
    }

    #[test]
    fn malformed_codes_are_rejected_with_the_field_named() {
        for code in [
            "", "52022", "0520221", "05202A", "000123", "112001", "052000", "05 022",
        ] {
            let err = IstatCode::parse("istatCode", code).expect_err(code);
            assert_eq!(err.field.as_deref(), Some("istatCode"));
            assert_eq!(err.code, sportello_kernel::ErrorCode::InvalidInput);
        }
    }
}
