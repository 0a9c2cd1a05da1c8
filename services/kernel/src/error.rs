//! Errors that are part of every service contract. They cross the wire as a code plus a message,
//! and reach GraphQL clients as `extensions.code`.

use serde::{Deserialize, Serialize};

/// The result type of every service operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in terms a client can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The input was rejected; `field` names the offending input when there is one.
    InvalidInput,
    /// No valid session or credentials.
    Unauthenticated,
    /// Signed in, but the role does not allow this.
    Forbidden,
    /// The object does not exist, or exists in a tenant the caller cannot see: the two are
    /// deliberately indistinguishable.
    NotFound,
    /// The change conflicts with the current state (duplicate, already used, expired).
    Conflict,
    /// Too many attempts; try again later.
    RateLimited,
    /// A dependency (database, cache, another service) is unreachable.
    Unavailable,
    /// A bug or unexpected failure; details are logged, never returned.
    Internal,
}

impl ErrorCode {
    /// The code as it appears in GraphQL `extensions.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "INVALID_INPUT",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::Unavailable => "UNAVAILABLE",
            Self::Internal => "INTERNAL",
        }
    }

    /// The HTTP status used by the internal transport.
    pub fn http_status(self) -> u16 {
        match self {
            Self::InvalidInput => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::RateLimited => 429,
            Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }
}

/// Why an operation failed, where a caller must act on it beyond the code. Internal: it crosses
/// the service transport but never reaches GraphQL clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Reason {
    /// A password presented as proof of identity (signing in, changing the password, joining a
    /// tenant with an existing account) was wrong: the gateway counts it as a failed sign-in.
    WrongPassword,
}

/// A typed error: a code, a message safe to show, and optionally the input field at fault.
/// Messages never contain personal data, secrets, or hints about other tenants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// What a client needs to resolve a conflict, when there is something to say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<ErrorDetail>,
}

/// A fact about a conflict, beyond its message: never personal data, only versions and ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorDetail {
    /// The record changed since the version the update was based on; this is its version now.
    CurrentVersion(i32),
    /// The change is refused because of an existing object the caller may see (e.g. the open
    /// case of a person); `object` is its type as named in the public API.
    Existing { object: String, id: uuid::Uuid },
    /// Further fields of the same input refused with the error's own (field, message): one
    /// answer names every field at fault, so a form is corrected in one pass.
    AlsoInvalid(Vec<FieldRefusal>),
}

/// One refused input field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldRefusal {
    pub field: String,
    pub message: String,
}

/// Collects the refusals of an input's fields, checked one after another, into one error naming
/// every field at fault ([`ErrorDetail::AlsoInvalid`]). An error that is not about a field
/// (unavailable, internal) is kept as it is and stops the collection.
///
/// ```
/// use sportello_kernel::{Error, error::Refusals};
/// let mut refusals = Refusals::default();
/// let a: Option<u8> = refusals.take(Err(Error::invalid("phone", "not a phone number")));
/// let b = refusals.take(Ok::<_, Error>(2));
/// let c: Option<u8> = refusals.take(Err(Error::invalid("email", "not an e-mail address")));
/// assert_eq!((a, b, c), (None, Some(2), None));
/// let err = refusals.finish().unwrap_err();
/// assert_eq!(err.field.as_deref(), Some("phone"));
/// assert_eq!(err.refused_fields(), ["phone", "email"]);
/// // A collected error joins another collection field by field.
/// let mut outer = Refusals::default();
/// outer.note(err);
/// outer.note(Error::invalid("territoryCode", "not one of your territories"));
/// assert_eq!(outer.finish().unwrap_err().refused_fields(), ["phone", "email", "territoryCode"]);
/// ```
#[derive(Debug, Default)]
pub struct Refusals {
    first: Option<Error>,
    others: Vec<FieldRefusal>,
}

impl Refusals {
    /// The value, or `None` after noting the refusal.
    pub fn take<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.note(err);
                None
            }
        }
    }

    /// Notes a refusal (and the further fields it carries, if it was collected already).
    pub fn note(&mut self, mut err: Error) {
        let carried = match err.detail.take() {
            Some(ErrorDetail::AlsoInvalid(others)) => others,
            other => {
                err.detail = other;
                Vec::new()
            }
        };
        self.note_one(err);
        for o in carried {
            self.note_one(Error::invalid(&o.field, o.message));
        }
    }

    fn note_one(&mut self, err: Error) {
        match &self.first {
            None => self.first = Some(err),
            Some(first) if first.code == ErrorCode::InvalidInput => {
                if err.code != ErrorCode::InvalidInput {
                    self.first = Some(err);
                    self.others.clear();
                } else if let Some(field) = err.field {
                    let known = first.field.as_deref() == Some(field.as_str())
                        || self.others.iter().any(|o| o.field == field);
                    if !known {
                        self.others.push(FieldRefusal {
                            field,
                            message: err.message,
                        });
                    }
                }
            }
            // An error that is not about input stays the answer.
            Some(_) => {}
        }
    }

    /// Whether a refusal was noted.
    pub fn any(&self) -> bool {
        self.first.is_some()
    }

    /// `Ok` when nothing was refused, else the first refusal carrying the others.
    pub fn finish(self) -> Result<()> {
        match self.first {
            None => Ok(()),
            Some(first) if self.others.is_empty() => Err(first),
            Some(first) => Err(first.with_detail(ErrorDetail::AlsoInvalid(self.others))),
        }
    }
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            reason: None,
            detail: None,
        }
    }

    /// The same error, marked with the reason a caller acts on.
    pub fn because(mut self, reason: Reason) -> Self {
        self.reason = Some(reason);
        self
    }

    /// Whether the error is marked with `reason`.
    pub fn is(&self, reason: Reason) -> bool {
        self.reason == Some(reason)
    }

    /// Rejected input, attributed to a field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::InvalidInput,
            message: message.into(),
            field: Some(field.to_owned()),
            reason: None,
            detail: None,
        }
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound, "not found")
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden, "your role does not allow this")
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated, "sign in first")
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }

    /// A conflict caused by one input field (a taken code, a taken time slot).
    pub fn conflict_on(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Conflict,
            message: message.into(),
            field: Some(field.to_owned()),
            reason: None,
            detail: None,
        }
    }

    /// The record changed since `expectedVersion`: someone else saved it first.
    pub fn stale(current: i32) -> Self {
        Self {
            detail: Some(ErrorDetail::CurrentVersion(current)),
            ..Self::conflict_on(
                "expectedVersion",
                format!("changed by someone else meanwhile: the current version is {current}"),
            )
        }
    }

    /// Every field the error refuses: its own, then those of [`ErrorDetail::AlsoInvalid`].
    pub fn refused_fields(&self) -> Vec<&str> {
        let also = match &self.detail {
            Some(ErrorDetail::AlsoInvalid(others)) => others.as_slice(),
            _ => &[],
        };
        self.field
            .as_deref()
            .into_iter()
            .chain(also.iter().map(|o| o.field.as_str()))
            .collect()
    }

    /// Adds a detail to the error.
    pub fn with_detail(mut self, detail: ErrorDetail) -> Self {
        self.detail = Some(detail);
        self
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unavailable, message)
    }

    /// An unexpected failure. The cause is logged here and never returned to the caller.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(ErrorCode::Internal, "internal error")
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(err: sea_orm::DbErr) -> Self {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Self::conflict("already exists"),
            Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => {
                Self::conflict("still referenced by other records")
            }
            _ => match err {
                sea_orm::DbErr::Conn(_) | sea_orm::DbErr::ConnectionAcquire(_) => {
                    tracing::warn!(error = %err, "database unreachable");
                    Self::unavailable("database unavailable")
                }
                // A database error's text may quote the failing row (PostgreSQL's "Failing row
                // contains …"), i.e. personal data: log its kind and SQLSTATE only.
                other => {
                    let sqlstate = match &other {
                        sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(e))
                        | sea_orm::DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e)) => e
                            .as_database_error()
                            .and_then(|d| d.code().map(|c| c.into_owned()))
                            .unwrap_or_default(),
                        _ => String::new(),
                    };
                    let kind = match &other {
                        sea_orm::DbErr::Query(_) => "query",
                        sea_orm::DbErr::Exec(_) => "statement",
                        sea_orm::DbErr::Json(_) | sea_orm::DbErr::Type(_) => "decoding",
                        _ => "other",
                    };
                    tracing::error!(kind, sqlstate, "database error");
                    Self::new(ErrorCode::Internal, "internal error")
                }
            },
        }
    }
}
