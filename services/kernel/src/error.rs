//! Errors that are part of every service contract. They cross the wire as a code, a reason with
//! its parameters and an English message derived from the reason, and reach GraphQL clients as
//! `extensions.code`, `extensions.reason` and `extensions.params`.

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

/// Why an operation failed: a stable, public, closed list of machine reasons. Every error
/// carries one; it reaches GraphQL clients as `extensions.reason`, its parameters (numbers and
/// codes only, never personal data) as `extensions.params`, so that a client can word the
/// refusal in its own language. The English message of an error is derived from its reason
/// ([`Reason::message`]), so that the two cannot drift. `docs/api.md` lists every reason (a test
/// checks it), and `web/src/api/reasons.ts` is generated from this list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, strum::EnumDiscriminants)]
#[serde(
    tag = "reason",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
#[strum_discriminants(
    name(ReasonCode),
    derive(strum::EnumIter, strum::IntoStaticStr, Hash),
    strum(serialize_all = "SCREAMING_SNAKE_CASE")
)]
pub enum Reason {
    // Input, any field.
    /// A required value is missing or empty.
    Required,
    /// A text longer than `max` characters.
    TooLong { max: u32 },
    /// A text shorter than `min` characters.
    TooShort { min: u32 },
    /// A number outside `min`..=`max`.
    OutOfRange { min: i64, max: i64 },
    /// More than `max` items in one request.
    TooMany { max: u32 },
    /// The same item is given twice.
    Repeated,
    /// A text with control characters.
    ControlCharacters,
    /// A name without any letter.
    NoLetters,
    /// A name with emoji or other symbols.
    Symbols,
    /// More than `max` accents or marks on one letter.
    StackedMarks { max: u32 },
    /// Not an id of the expected kind.
    UnknownId,
    /// Not a cursor of this list.
    NotACursor,
    /// A Latin spelling with letters of another script.
    NotLatin,
    /// No Latin spelling can be derived from the name: give one.
    LatinSpellingNeeded,
    /// A Latin spelling without the name it spells.
    LatinWithoutName,
    /// The value is not one of the list `list`.
    NotInList { list: List },
    /// The referenced object does not exist in this tenant (or the caller cannot see it).
    NoSuch { object: Object },
    /// A code of letters, digits and underscores was expected (`min`..=`max` characters).
    NotACode { min: u32, max: u32 },
    /// Not a phone number.
    NotAPhone,
    /// Not an e-mail address.
    NotAnEmail,
    /// Not a date that exists (a day without month, month 13, 31 April).
    NotADate,
    /// A date outside `min`..=`max` (ISO dates).
    DateOutOfRange { min: String, max: String },
    /// A time outside `min`..=`max` (ISO date-times, UTC).
    TimeOutOfRange { min: String, max: String },
    /// A date in the past: `today` or later is expected.
    DateInPast { today: String },
    /// An appointment starting in the past.
    StartInPast,
    /// Not a month written as YYYY-MM.
    NotAMonth,
    /// A period that starts after it ends.
    PeriodReversed,
    /// A period longer than `maxMonths` months.
    PeriodTooLong { max_months: u32 },
    /// Not a time zone's IANA name.
    NotATimeZone,
    /// Not an ISO 3166-1 country code.
    NotACountry,
    /// XXA or XXX given as a country: they are citizenships.
    CitizenshipNotCountry,
    /// A country code withdrawn from ISO 3166-1.
    CountryWithdrawn,
    /// Stateless or unknown nationality given beside another citizenship.
    CitizenshipExclusive,
    /// Not an OpenID issuer: an https:// address without query, fragment or credentials
    /// (http:// only for 127.0.0.1 or localhost).
    NotAnIssuer,
    /// Not an RSA private key in PEM (`-----BEGIN PRIVATE KEY-----`).
    NotAPrivateKey,
    /// Not a domain name (`comune.example.it`).
    NotADomain,
    /// Not a claim users can be matched by: only `email` is.
    NotAClaim,
    /// Not an ISO 639 language code.
    NotALanguage,
    /// Not six digits (province and municipality).
    IstatMalformed,
    /// Six digits, but the code of no municipality.
    IstatUnknown,
    /// The municipality was merged or renamed; `successors` are the codes in force now.
    IstatRetired { successors: String },
    /// The name is not the official name of the municipality `code`.
    IstatNameMismatch { code: String },
    /// A codice fiscale of the wrong length (16 characters, or 11 digits for a provisional one).
    CodiceFiscaleLength,
    /// A character of the wrong kind (letter or digit) at `position` (1-based).
    CodiceFiscaleCharacter { position: u32 },
    /// The month letter, day or birth date of the codice fiscale is impossible.
    CodiceFiscaleDate,
    /// The birthplace code of the codice fiscale names no municipality or state.
    CodiceFiscaleBirthplace,
    /// The check character does not match: a typing error.
    CodiceFiscaleCheck,
    /// Another person of the tenant holds this codice fiscale.
    CodiceFiscaleInUse,
    /// The person has not consented to processing for `purpose`.
    ConsentMissing { purpose: Purpose },
    /// A territory outside the caller's territories.
    OutsideYourTerritories,
    /// A need type of another category than the need's.
    OtherCategory,
    /// A case that belongs to another person.
    OtherPersonsCase,
    /// At least one outcome must stay offered.
    LastOutcome,
    /// The erasure confirmation does not repeat the person's id.
    ConfirmationMismatch,
    /// A password shorter than `min` characters.
    PasswordTooShort { min: u32 },
    /// A password longer than `max` characters.
    PasswordTooLong { max: u32 },
    /// A password among the most common ones.
    PasswordTooCommon,
    /// A password repeating one character.
    PasswordRepeated,
    /// A password containing the e-mail's local part.
    PasswordHasEmail,
    /// The new password equals the current one.
    PasswordUnchanged,
    /// The password given as proof of identity is wrong (counts as a failed sign-in).
    WrongPassword,
    /// Wrong e-mail or password at sign-in (counts as a failed sign-in).
    WrongCredentials,

    // State.
    /// The object already exists (a taken code, a municipality already in the tenant).
    AlreadyExists,
    /// The object is still referenced by others.
    StillReferenced,
    /// A municipality still has `count` desks: remove or move them first.
    TerritoryHasDesks { count: u32 },
    /// A desk still has `count` places: remove them first.
    DeskHasPlaces { count: u32 },
    /// The time slot is taken at this desk or by this operator.
    SlotTaken,
    /// The appointment is already cancelled.
    AlreadyCancelled,
    /// The record changed since `expectedVersion`; `currentVersion` is its version now.
    StaleVersion { current_version: i32 },
    /// The person already has an open case (`extensions.existingId` when visible).
    OpenCaseExists,
    /// The person already has an open case followed outside the caller's territories.
    OpenCaseElsewhere,
    /// The case is closed: reopen it first.
    CaseClosed,
    /// A status change not allowed (`from` and `to` are status codes).
    TransitionNotAllowed { from: String, to: String },
    /// The person is in no household.
    NoHousehold,
    /// Administrators cannot remove their own administrator role.
    OwnAdminRole,
    /// Nobody can remove their own membership.
    OwnMembership,
    /// Already a member of the tenant.
    AlreadyMember,
    /// The invitation was already used.
    InvitationUsed,
    /// The invitation has expired.
    InvitationExpired,
    /// The invitation does not exist or was revoked.
    InvitationRevokedOrUnknown,
    /// A password reset token that is unknown, used or expired.
    ResetTokenNotValid,
    /// Signed in at the tenant's identity provider, but the e-mail has no invitation or
    /// membership in the tenant.
    NotInvited,
    /// The identity provider's answer cannot sign anybody in: an e-mail not verified or of a
    /// domain the tenant does not allow, or a flow that failed its checks.
    IdentityNotAccepted,
    /// Another volunteer accepted the task first.
    TaskTaken,
    /// Another mediator accepted the mediation request, or another advisor took the legal
    /// consultation, first.
    RequestTaken,
    /// A bed has another stay on some of the days asked for.
    BedTaken,
    /// The volunteer has accepted another task at a time that overlaps this one's.
    VolunteerBusy,
    /// The task involves minors and the volunteer has no check for working with minors.
    MinorsCheckMissing,
    /// The volunteer is not active in the register (submitted, suspended or withdrawn).
    VolunteerNotActive,
    /// The course session's attendance was recorded: it took place and cannot be cancelled.
    SessionHeld,
    /// The course session is cancelled: it takes no attendance and no changes.
    SessionCancelled,

    // Access and availability.
    /// Does not exist, or belongs to another tenant.
    NotFound,
    /// The role does not allow this.
    Forbidden,
    /// A mutation without the session's CSRF token.
    CsrfToken,
    /// Choose a tenant first.
    NoTenant,
    /// Not signed in.
    Unauthenticated,
    /// Too many attempts or operations running.
    RateLimited,
    /// A dependency is unreachable.
    Unavailable,
    /// An unexpected failure (details only in the server log).
    Internal,
    /// A configuration value is wrong (server start-up only).
    BadConfiguration,

    // Refusals of the gateway, before execution (the reason repeats the code).
    /// The HTTP request is not a GraphQL request.
    BadRequest,
    /// The body is larger than 1 MiB.
    PayloadTooLarge,
    /// Not `application/json`.
    UnsupportedMediaType,
    /// A mutation over GET.
    MethodNotAllowed,
    /// Too many operations in one batch.
    BatchLimitExceeded,
    /// The document does not parse.
    GraphqlParseFailed,
    /// The document does not validate, or a variable does not fit its type.
    GraphqlValidationFailed,
    /// The document nests too deep.
    DepthLimitExceeded,
    /// The document or variables nest more than 32 levels.
    NestingLimitExceeded,
    /// The operation costs too much.
    ComplexityLimitExceeded,
    /// Too many aliases.
    AliasLimitExceeded,
    /// A query ran longer than its time budget.
    Timeout,
}

/// The lists a value must be chosen from ([`Reason::NotInList`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::EnumIter)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum List {
    CaseOutcomes,
    InterventionOutcomes,
    LanguageLevels,
    ErasureGrounds,
    Indicators,
    NeedCategories,
    Skills,
}

/// The objects an input may reference ([`Reason::NoSuch`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::EnumIter)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Object {
    Person,
    Case,
    Desk,
    Territory,
    Service,
    Organisation,
    Goal,
    Encounter,
    Need,
    NeedType,
    Volunteer,
    Place,
    Task,
    Household,
    Unit,
    Bed,
    Application,
    Placement,
    ProcedureType,
    Procedure,
    ProcedureStep,
    ProcedureDocument,
    /// A staff member of the tenant (the person following something).
    StaffMember,
    /// An organisation that requests mediation (a school, a social service, a clinic).
    RequesterOrganisation,
    MediationRequest,
    /// A mediator of the tenant (a member with the mediator role).
    Mediator,
    LegalConsultation,
}

/// The purposes a person consents to ([`Reason::ConsentMissing`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::EnumIter)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Purpose {
    CaseManagement,
    ReferralSharing,
}

fn word<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Reason {
    /// The reason as it appears in `extensions.reason` (`TOO_LONG`).
    pub fn as_str(&self) -> &'static str {
        ReasonCode::from(self).into()
    }

    /// The parameters, as they appear in `extensions.params`: `None` when there are none.
    pub fn params(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut map)) => {
                map.remove("reason");
                (!map.is_empty()).then_some(map)
            }
            _ => None,
        }
    }

    /// The code an error of this reason comes with.
    pub fn error_code(&self) -> ErrorCode {
        use Reason::*;
        match self {
            AlreadyExists
            | StillReferenced
            | TerritoryHasDesks { .. }
            | DeskHasPlaces { .. }
            | SlotTaken
            | AlreadyCancelled
            | StaleVersion { .. }
            | OpenCaseExists
            | OpenCaseElsewhere
            | CaseClosed
            | TransitionNotAllowed { .. }
            | NoHousehold
            | OwnAdminRole
            | OwnMembership
            | AlreadyMember
            | InvitationUsed
            | InvitationExpired
            | TaskTaken
            | RequestTaken
            | BedTaken
            | VolunteerBusy
            | MinorsCheckMissing
            | VolunteerNotActive
            | SessionHeld
            | SessionCancelled
            | CodiceFiscaleInUse
            | ConsentMissing {
                purpose: Purpose::ReferralSharing,
            } => ErrorCode::Conflict,
            InvitationRevokedOrUnknown | NotFound => ErrorCode::NotFound,
            Forbidden | NoTenant | CsrfToken => ErrorCode::Forbidden,
            Unauthenticated | WrongCredentials | NotInvited | IdentityNotAccepted => {
                ErrorCode::Unauthenticated
            }
            RateLimited => ErrorCode::RateLimited,
            Unavailable => ErrorCode::Unavailable,
            Internal => ErrorCode::Internal,
            _ => ErrorCode::InvalidInput,
        }
    }

    /// The English text of the reason: the API's fallback message.
    pub fn message(&self) -> String {
        use Reason::*;
        match self {
            Required => "must not be empty".into(),
            TooLong { max } => format!("must be at most {max} characters"),
            TooShort { min } => format!("must be at least {min} characters"),
            OutOfRange { min, max } => format!("must be between {min} and {max}"),
            TooMany { max } => format!("at most {max} at a time"),
            Repeated => "a value is repeated".into(),
            ControlCharacters => "must not contain control characters".into(),
            NoLetters => "must contain letters".into(),
            Symbols => "must not contain emoji or other symbols".into(),
            StackedMarks { max } => {
                format!("must not have more than {max} accents or marks on one letter")
            }
            UnknownId => "unknown id".into(),
            NotACursor => "not a cursor from this list".into(),
            NotLatin => "must be written in Latin letters".into(),
            LatinSpellingNeeded => {
                "give the Latin spelling: it cannot be derived from the name".into()
            }
            LatinWithoutName => "a Latin spelling needs the name it spells".into(),
            NotInList { list } => format!("choose one of the list {}", word(list)),
            NoSuch { object } => format!(
                "no such {} in this tenant",
                word(object).to_lowercase().replace('_', " ")
            ),
            NotACode { min, max } => format!(
                "use {min} to {max} lower-case letters, digits or underscores, starting with a letter"
            ),
            NotAPhone => {
                "not a valid phone number; write it with the country prefix, e.g. +39 333 123 4567"
                    .into()
            }
            NotAnEmail => "not a valid e-mail address".into(),
            NotADate => "no such date".into(),
            DateOutOfRange { min, max } => format!("give a date between {min} and {max}"),
            TimeOutOfRange { min, max } => format!("give a time between {min} and {max}"),
            DateInPast { today } => {
                format!("the date is in the past: give {today} or a later day")
            }
            StartInPast => "an appointment cannot start in the past".into(),
            NotAMonth => "give a month as YYYY-MM".into(),
            PeriodReversed => "the period starts after it ends".into(),
            PeriodTooLong { max_months } => format!("a period spans at most {max_months} months"),
            NotATimeZone => "give a time zone by its IANA name, for example Europe/Rome".into(),
            NotACountry => "a country is an ISO 3166-1 code of 2 letters (or 3), e.g. MA, UA, NG".into(),
            CitizenshipNotCountry => "XXA (stateless) and XXX (unknown nationality) are citizenships, not countries; leave the country empty when it is not known".into(),
            CountryWithdrawn => "withdrawn from ISO 3166-1; use the code of the country of today".into(),
            CitizenshipExclusive => "stateless (XXA) or unknown nationality (XXX) must be the only citizenship".into(),
            NotALanguage => "a language is an ISO 639 code of 2 or 3 letters, e.g. it, ar, ti, prs".into(),
            IstatMalformed => "an ISTAT code has exactly 6 digits: 3 for the province and 3 for the municipality (e.g. 052022)".into(),
            IstatUnknown => "not the ISTAT code of any municipality".into(),
            IstatRetired { successors } if successors.is_empty() => {
                "a former municipality; its successor is not in the bundled ISTAT lists".into()
            }
            IstatRetired { successors } => {
                format!("a former municipality; the code in force is {successors}")
            }
            IstatNameMismatch { code } => format!("not the official name of {code}"),
            CodiceFiscaleLength => "a codice fiscale has 16 characters (a provisional one 11 digits)".into(),
            CodiceFiscaleCharacter { position } => format!("character {position} of the codice fiscale is of the wrong kind (letter or digit)"),
            CodiceFiscaleDate => "the codice fiscale gives a birth date that does not exist".into(),
            CodiceFiscaleBirthplace => "the codice fiscale gives no known birthplace".into(),
            CodiceFiscaleCheck => "the check character does not match: a typing error?".into(),
            CodiceFiscaleInUse => "this codice fiscale is already in use in the tenant; a coordinator can find the record".into(),
            ConsentMissing { purpose: Purpose::CaseManagement } => "record the person's consent to case management first".into(),
            ConsentMissing { purpose: Purpose::ReferralSharing } => "the person has not consented to sharing for referrals: record the consent, or ask a coordinator to override it with a reason".into(),
            OutsideYourTerritories => "this territory is outside your territories".into(),
            OtherCategory => "this need type belongs to another category".into(),
            OtherPersonsCase => "the case is another person's".into(),
            LastOutcome => "at least one outcome stays offered".into(),
            ConfirmationMismatch => "the confirmation must repeat the id of the person to erase".into(),
            PasswordTooShort { min } => format!("the password must be at least {min} characters long"),
            PasswordTooLong { max } => format!("the password must be at most {max} characters long"),
            PasswordTooCommon => "this password is too common; choose another".into(),
            PasswordRepeated => "the password must not repeat one character".into(),
            PasswordHasEmail => "the password must not contain the part of your e-mail address before the @".into(),
            PasswordUnchanged => "choose a password different from the current one".into(),
            WrongPassword => "the password is not correct".into(),
            WrongCredentials => "wrong e-mail or password".into(),
            AlreadyExists => "already exists".into(),
            StillReferenced => "still referenced by other records".into(),
            TerritoryHasDesks { count } => {
                format!("the municipality still has {count} desk(s): remove them first")
            }
            DeskHasPlaces { count } => {
                format!("the desk still has {count} place(s): remove them first")
            }
            SlotTaken => "this slot is already taken at this desk or by this operator".into(),
            AlreadyCancelled => "already cancelled".into(),
            StaleVersion { current_version } => format!("changed by someone else meanwhile: the current version is {current_version}"),
            OpenCaseExists => "the person already has an open case: continue it, or close it first".into(),
            OpenCaseElsewhere => "the person already has an open case, followed in a territory outside yours".into(),
            CaseClosed => "the case is closed: reopen it first (only an encounter's notes can be corrected on a closed case)".into(),
            TransitionNotAllowed { from, to } => format!("cannot go from {from} to {to}"),
            NoHousehold => "this person is in no household".into(),
            OwnAdminRole => "you cannot remove your own administrator role".into(),
            OwnMembership => "you cannot remove your own membership".into(),
            AlreadyMember => "already a member of this tenant".into(),
            InvitationUsed => "this invitation has already been used".into(),
            InvitationExpired => "this invitation has expired: ask for a new one".into(),
            NotAnIssuer => "an https:// address without query, fragment or credentials (http:// only for 127.0.0.1 or localhost)".into(),
            NotAPrivateKey => "an RSA private key in PEM (-----BEGIN PRIVATE KEY-----)".into(),
            NotADomain => "a domain name such as comune.example.it".into(),
            NotAClaim => "members are matched by e-mail: the claim is `email`".into(),
            NotInvited => {
                "this identity has no invitation or membership in the organisation: ask its administrator for an invitation".into()
            }
            IdentityNotAccepted => "the identity provider's answer cannot sign you in here".into(),
            ResetTokenNotValid => {
                "this link to set a new password is not valid (used, expired or unknown): ask for a new one".into()
            }
            InvitationRevokedOrUnknown => "this invitation does not exist or was revoked".into(),
            TaskTaken => "another volunteer accepted this task first".into(),
            RequestTaken => "someone else accepted this request first".into(),
            BedTaken => "a bed is taken on some of these days".into(),
            VolunteerBusy => "you have accepted another task at an overlapping time".into(),
            MinorsCheckMissing => "the task involves minors: the volunteer needs the check for working with minors".into(),
            VolunteerNotActive => "the volunteer is not active in the register".into(),
            SessionHeld => "the session's attendance is recorded: it took place".into(),
            SessionCancelled => "the session is cancelled".into(),
            NotFound => "not found".into(),
            Forbidden => "your role does not allow this".into(),
            NoTenant => "choose a tenant first".into(),
            CsrfToken => "missing or wrong CSRF token: send the X-CSRF-Token header".into(),
            Unauthenticated => "sign in first".into(),
            RateLimited => "too many attempts: try again later".into(),
            Unavailable => "temporarily unavailable: try again later".into(),
            Internal => "internal error".into(),
            BadConfiguration => "a configuration value is not valid".into(),
            BadRequest => "not a GraphQL request".into(),
            PayloadTooLarge => "the request body is larger than 1 MiB".into(),
            UnsupportedMediaType => "send the operation as application/json".into(),
            MethodNotAllowed => "a mutation needs POST".into(),
            BatchLimitExceeded => "too many operations in one batch".into(),
            GraphqlParseFailed => "the document does not parse".into(),
            GraphqlValidationFailed => "the document does not validate".into(),
            DepthLimitExceeded => "the query is nested too deep".into(),
            NestingLimitExceeded => "the document nests too deep".into(),
            ComplexityLimitExceeded => "the operation costs too much: ask for smaller pages".into(),
            AliasLimitExceeded => "too many aliases".into(),
            Timeout => "the query took too long: ask for less".into(),
        }
    }
}

impl ReasonCode {
    /// Every reason, in declaration order.
    pub fn all() -> impl Iterator<Item = ReasonCode> {
        <ReasonCode as strum::IntoEnumIterator>::iter()
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }
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
    /// Boxed: the reason with its parameters would make every `Result` large.
    pub reason: Box<Reason>,
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
    pub reason: Reason,
    pub message: String,
}

/// Collects the refusals of an input's fields, checked one after another, into one error naming
/// every field at fault ([`ErrorDetail::AlsoInvalid`]). An error that is not about a field
/// (unavailable, internal) is kept as it is and stops the collection.
///
/// ```
/// use sportello_kernel::{Error, Reason, error::Refusals};
/// let mut refusals = Refusals::default();
/// let a: Option<u8> = refusals.take(Err(Error::on("phone", Reason::NotAPhone)));
/// let b = refusals.take(Ok::<_, Error>(2));
/// let c: Option<u8> = refusals.take(Err(Error::on("email", Reason::NotAnEmail)));
/// assert_eq!((a, b, c), (None, Some(2), None));
/// let err = refusals.finish().unwrap_err();
/// assert_eq!(err.field.as_deref(), Some("phone"));
/// assert_eq!(err.refused_fields(), ["phone", "email"]);
/// // A collected error joins another collection field by field.
/// let mut outer = Refusals::default();
/// outer.note(err);
/// outer.note(Error::on("territoryCode", Reason::OutsideYourTerritories));
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
            self.note_one(Error {
                message: o.message,
                ..Error::on(&o.field, o.reason)
            });
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
                            reason: *err.reason,
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
    /// An error of `reason`, with the code and the English message the reason comes with.
    pub fn new(reason: Reason) -> Self {
        Self {
            code: reason.error_code(),
            message: reason.message(),
            field: None,
            reason: Box::new(reason),
            detail: None,
        }
    }

    /// An error of `reason` attributed to the input field `field`.
    pub fn on(field: &str, reason: Reason) -> Self {
        Self {
            field: Some(field.to_owned()),
            ..Self::new(reason)
        }
    }

    /// The same error with a fuller English message than the reason's own (one naming the
    /// official name or successor of a municipality): for the API's fallback text only.
    pub fn saying(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Whether the error is a wrong password or wrong credentials: the gateway counts it as a
    /// failed sign-in.
    pub fn is_wrong_password(&self) -> bool {
        matches!(
            *self.reason,
            Reason::WrongPassword | Reason::WrongCredentials
        )
    }

    pub fn not_found() -> Self {
        Self::new(Reason::NotFound)
    }

    pub fn forbidden() -> Self {
        Self::new(Reason::Forbidden)
    }

    pub fn unauthenticated() -> Self {
        Self::new(Reason::Unauthenticated)
    }

    /// The record changed since `expectedVersion`: someone else saved it first.
    pub fn stale(current: i32) -> Self {
        Self {
            detail: Some(ErrorDetail::CurrentVersion(current)),
            ..Self::on(
                "expectedVersion",
                Reason::StaleVersion {
                    current_version: current,
                },
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

    /// A dependency is unreachable; `message` says which (no personal data).
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(Reason::Unavailable).saying(message)
    }

    /// An unexpected failure. The cause is logged here and never returned to the caller.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(Reason::Internal)
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(err: sea_orm::DbErr) -> Self {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Self::new(Reason::AlreadyExists),
            Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => {
                Self::new(Reason::StillReferenced)
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
                    Self::new(Reason::Internal)
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_names_itself_and_its_parameters_as_the_api_does() {
        let reason = Reason::StaleVersion { current_version: 4 };
        let json = serde_json::to_value(&reason).unwrap();
        assert_eq!(json["reason"], "STALE_VERSION");
        assert_eq!(reason.as_str(), "STALE_VERSION");
        assert_eq!(
            reason.params().map(serde_json::Value::Object),
            Some(serde_json::json!({ "currentVersion": 4 }))
        );
        assert_eq!(Reason::Required.params(), None);
        let consent = Reason::ConsentMissing {
            purpose: Purpose::ReferralSharing,
        };
        assert_eq!(
            consent.params().map(serde_json::Value::Object),
            Some(serde_json::json!({ "purpose": "REFERRAL_SHARING" }))
        );
        // The code follows the reason; so does the English message, with its parameters.
        let err = Error::on("title", Reason::TooLong { max: 300 });
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert_eq!(err.message, "must be at most 300 characters");
        assert_eq!(Error::new(consent).code, ErrorCode::Conflict);
        assert_eq!(Error::stale(4).field.as_deref(), Some("expectedVersion"));
        // Every reason has a distinct name and an English message.
        let names: std::collections::HashSet<_> =
            ReasonCode::all().map(ReasonCode::as_str).collect();
        assert_eq!(names.len(), ReasonCode::all().count());
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        );
    }

    #[test]
    fn collected_refusals_keep_each_fields_reason() {
        let mut refusals = Refusals::default();
        refusals.note(Error::on("phone", Reason::NotAPhone));
        refusals.note(Error::on("title", Reason::TooLong { max: 300 }));
        let mut outer = Refusals::default();
        outer.note(refusals.finish().unwrap_err());
        let err = outer.finish().unwrap_err();
        assert_eq!(*err.reason, Reason::NotAPhone);
        match err.detail {
            Some(ErrorDetail::AlsoInvalid(others)) => {
                assert_eq!(others.len(), 1);
                assert_eq!(others[0].field, "title");
                assert_eq!(others[0].reason, Reason::TooLong { max: 300 });
                assert_eq!(others[0].message, "must be at most 300 characters");
            }
            other => panic!("{other:?}"),
        }
        // Through the service transport and back, unchanged.
        let wrong = Error::on("currentPassword", Reason::WrongPassword);
        let back: Error = serde_json::from_str(&serde_json::to_string(&wrong).unwrap()).unwrap();
        assert_eq!(back, wrong);
        assert!(back.is_wrong_password());
    }
}
