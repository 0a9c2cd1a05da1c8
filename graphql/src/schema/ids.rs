//! Relay global ids: opaque, typed, and never a way to learn whether another tenant's object
//! exists — a malformed id, an id of the wrong type and another tenant's id all end as `NOT_FOUND`.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sportello_kernel::{Error, Result};
use uuid::Uuid;

/// The object types that have global ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Tenant,
    User,
    Territory,
    Desk,
    Place,
    Membership,
    Invitation,
    Person,
    Case,
    Encounter,
    Need,
    Intervention,
    Referral,
    Goal,
    Step,
    Organization,
    DirectoryService,
    Appointment,
    Household,
    NeedType,
    Volunteer,
    Course,
    CourseSession,
    Enrolment,
    Certificate,
    Task,
    HoursEntry,
    Delegation,
    Pact,
    Unit,
    Room,
    Bed,
    HousingApplication,
    Placement,
    Milestone,
    FollowUp,
    ApiToken,
    ProcedureType,
    Procedure,
    RequesterOrganisation,
    MediationRequest,
    LegalConsultation,
    KnowledgeEntry,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Tenant => "Tenant",
            Kind::User => "User",
            Kind::Territory => "Territory",
            Kind::Desk => "Desk",
            Kind::Place => "Place",
            Kind::Membership => "Membership",
            Kind::Invitation => "Invitation",
            Kind::Person => "Person",
            Kind::Case => "Case",
            Kind::Encounter => "Encounter",
            Kind::Need => "Need",
            Kind::Intervention => "Intervention",
            Kind::Referral => "Referral",
            Kind::Goal => "PlanGoal",
            Kind::Step => "PlanStep",
            Kind::Organization => "Organization",
            Kind::DirectoryService => "DirectoryService",
            Kind::Appointment => "Appointment",
            Kind::Household => "Household",
            Kind::NeedType => "NeedType",
            Kind::Volunteer => "Volunteer",
            Kind::Course => "Course",
            Kind::CourseSession => "CourseSession",
            Kind::Enrolment => "Enrolment",
            Kind::Certificate => "Certificate",
            Kind::Task => "Task",
            Kind::HoursEntry => "HoursEntry",
            Kind::Delegation => "Delegation",
            Kind::Pact => "Pact",
            Kind::Unit => "Unit",
            Kind::Room => "Room",
            Kind::Bed => "Bed",
            Kind::HousingApplication => "HousingApplication",
            Kind::Placement => "Placement",
            Kind::Milestone => "Milestone",
            Kind::FollowUp => "FollowUp",
            Kind::ApiToken => "ApiToken",
            Kind::ProcedureType => "ProcedureType",
            Kind::Procedure => "Procedure",
            Kind::RequesterOrganisation => "RequesterOrganisation",
            Kind::MediationRequest => "MediationRequest",
            Kind::LegalConsultation => "LegalConsultation",
            Kind::KnowledgeEntry => "KnowledgeEntry",
        }
    }

    const ALL: [Kind; 43] = [
        Kind::RequesterOrganisation,
        Kind::MediationRequest,
        Kind::LegalConsultation,
        Kind::KnowledgeEntry,
        Kind::ApiToken,
        Kind::ProcedureType,
        Kind::Procedure,
        Kind::Unit,
        Kind::Room,
        Kind::Bed,
        Kind::HousingApplication,
        Kind::Placement,
        Kind::Milestone,
        Kind::FollowUp,
        Kind::Pact,
        Kind::Course,
        Kind::CourseSession,
        Kind::Enrolment,
        Kind::Certificate,
        Kind::Task,
        Kind::HoursEntry,
        Kind::Delegation,
        Kind::Volunteer,
        Kind::NeedType,
        Kind::Household,
        Kind::Appointment,
        Kind::Referral,
        Kind::Goal,
        Kind::Step,
        Kind::Organization,
        Kind::DirectoryService,
        Kind::Tenant,
        Kind::User,
        Kind::Territory,
        Kind::Desk,
        Kind::Place,
        Kind::Membership,
        Kind::Invitation,
        Kind::Person,
        Kind::Case,
        Kind::Encounter,
        Kind::Need,
        Kind::Intervention,
    ];
}

pub fn encode(kind: Kind, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{}", kind.as_str(), id)))
}

/// The global id of an object named by its type in the public API (`"Case"`), if it has one.
pub fn encode_named(object: &str, id: Uuid) -> Option<ID> {
    Kind::ALL
        .into_iter()
        .find(|k| k.as_str() == object)
        .map(|kind| encode(kind, id))
}

/// Decodes any global id into its kind and UUID.
pub fn decode_any(id: &ID) -> Result<(Kind, Uuid)> {
    let bytes = URL_SAFE_NO_PAD
        .decode(id.as_str())
        .map_err(|_| Error::not_found())?;
    let text = String::from_utf8(bytes).map_err(|_| Error::not_found())?;
    let (kind, uuid) = text.split_once(':').ok_or_else(Error::not_found)?;
    let kind = Kind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind)
        .ok_or_else(Error::not_found)?;
    let uuid = uuid.parse().map_err(|_| Error::not_found())?;
    Ok((kind, uuid))
}

/// Decodes a global id that must be of the given kind.
pub fn decode<T: From<Uuid>>(kind: Kind, id: &ID) -> Result<T> {
    match decode_any(id)? {
        (k, uuid) if k == kind => Ok(T::from(uuid)),
        _ => Err(Error::not_found()),
    }
}

/// Like [`decode`], for an id given as input: a bad one is an input error on that field.
pub fn decode_input<T: From<Uuid>>(kind: Kind, id: &ID, field: &str) -> Result<T> {
    decode(kind, id).map_err(|_| Error::on(field, sportello_kernel::Reason::UnknownId))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_other_kinds() -> Result<()> {
        let uuid = Uuid::now_v7();
        let id = encode(Kind::Desk, uuid);
        assert_eq!(decode::<Uuid>(Kind::Desk, &id)?, uuid);
        assert_eq!(
            decode::<Uuid>(Kind::Place, &id).map_err(|e| e.code),
            Err(sportello_kernel::ErrorCode::NotFound)
        );
        assert!(decode_any(&ID("not base64 !".into())).is_err());
        assert!(decode_any(&ID(URL_SAFE_NO_PAD.encode("Desk:nope"))).is_err());
        Ok(())
    }
}
