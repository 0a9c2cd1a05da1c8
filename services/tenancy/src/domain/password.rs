use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use sportello_kernel::{Error, Result};

/// Passwords so common that attackers try them first.
const COMMON: &[&str] = &[
    "password1234",
    "123456789012",
    "qwertyuiop12",
    "passwordpassword",
    "sportello123",
    "password123!",
    "iloveyou1234",
    "administrator",
    "1234567890ab",
    "qwerty123456",
];

/// Checks the password rules; the message says exactly which rule failed.
pub fn check_password_rules(password: &str, email: &str) -> Result<()> {
    let length = password.chars().count();
    if length < 12 {
        return Err(Error::on(
            "password",
            sportello_kernel::Reason::PasswordTooShort { min: 12 },
        ));
    }
    if length > 128 {
        return Err(Error::on(
            "password",
            sportello_kernel::Reason::PasswordTooLong { max: 128 },
        ));
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) {
        return Err(Error::on(
            "password",
            sportello_kernel::Reason::PasswordTooCommon,
        ));
    }
    let mut chars = password.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err(Error::on(
            "password",
            sportello_kernel::Reason::PasswordRepeated,
        ));
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if local.len() >= 4 && lower.contains(&local) {
        return Err(Error::on(
            "password",
            sportello_kernel::Reason::PasswordHasEmail,
        ));
    }
    Ok(())
}

fn argon2() -> Argon2<'static> {
    // Argon2id with the OWASP-recommended minimum: 19 MiB, 2 passes, 1 lane.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Hashes a password with argon2id and a fresh salt (PHC string format).
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(Error::internal)
}

/// Verifies a password against a stored hash. With no stored hash it still does the same work, so
/// timing does not tell whether an account exists.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2S8Vn5zE3a9Yl3C3bfuUg2a2vJ2oV8b2f1Qm3F2yP8A";
    let hash = stored.unwrap_or(DUMMY);
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && stored.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_reject_short_common_and_personal_passwords() {
        assert!(check_password_rules("short", "a@b.it").is_err());
        assert!(check_password_rules("password1234", "a@b.it").is_err());
        assert!(check_password_rules("aaaaaaaaaaaaaa", "a@b.it").is_err());
        assert!(check_password_rules("xx-anna.rossi-xx", "anna.rossi@comune.it").is_err());
        assert!(check_password_rules("Sole di Luglio 2026", "anna.rossi@comune.it").is_ok());
    }

    #[test]
    fn a_hash_verifies_only_its_password() -> Result<()> {
        let hash = hash_password("Sole di Luglio 2026")?;
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("Sole di Luglio 2026", Some(&hash)));
        assert!(!verify_password("Sole di Luglio 2025", Some(&hash)));
        assert!(!verify_password("Sole di Luglio 2026", None));
        Ok(())
    }
}
