//! Pure types and the constructors that parse and reject input. No storage, no I/O.

mod istat;
mod password;
mod text;

pub use istat::{IstatCode, in_force as municipalities_in_force};
pub use password::{check_password_rules, hash_password, verify_password};
pub use text::{Email, LanguageCode, Name, optional_phone, optional_text};
