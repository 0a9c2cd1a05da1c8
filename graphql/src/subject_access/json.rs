//! The machine-readable export (GDPR art. 20): one JSON object whose shape is fixed by
//! [`FORMAT`] and described in docs/privacy.md. Ids are the API's global ids, codes the API's
//! enum values, instants RFC 3339 in the tenant's time zone, days `YYYY-MM-DD`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use sportello_cases::{AuditRecord, CaseRecord, PersonRecord};
use sportello_kernel::time::Zone;
use uuid::Uuid;

use super::SubjectExport;
use crate::schema::ids::{Kind, encode};

/// The name and version of the shape. A change that removes or renames a key, or changes a
/// value's meaning, gets a new version; added keys keep it.
pub const FORMAT: &str = "sportello.subject-access/1";

/// The export as a JSON value.
pub fn to_json(export: &SubjectExport) -> Value {
    let zone = &export.zone;
    let r = &export.record;
    json!({
        "format": FORMAT,
        "generatedAt": instant(zone, export.generated_at),
        "timeZone": zone.name(),
        "legalBasis": ["GDPR art. 15", "GDPR art. 20"],
        "limitedToTerritories": r.limited_to_territories,
        "person": person(zone, r),
        "household": r.household.as_ref().map(|h| json!({
            "id": id(Kind::Household, h.id.uuid()),
            "label": h.label,
            "territoryCode": h.territory_code,
            "role": code(h.role),
        })),
        "consents": r.consents.iter().map(|c| json!({
            "purpose": code(c.purpose),
            "given": c.given,
            "recordedAt": instant(zone, c.recorded_at),
            "recordedBy": id(Kind::User, c.recorded_by.uuid()),
        })).collect::<Vec<_>>(),
        "cases": r.cases.iter().map(|c| case(zone, c)).collect::<Vec<_>>(),
        "appointments": r.appointments.iter().map(|a| json!({
            "id": id(Kind::Appointment, a.id.uuid()),
            "personId": id(Kind::Person, a.person_id.uuid()),
            "deskId": id(Kind::Desk, a.desk_id.uuid()),
            "operatorId": id(Kind::User, a.operator_id.uuid()),
            "caseId": a.case_id.map(|c| id(Kind::Case, c.uuid())),
            "seriesId": a.series_id.map(|s| id(Kind::Appointment, s.uuid())),
            "startsAt": instant(zone, a.starts_at),
            "endsAt": instant(zone, a.ends_at),
            "status": code(a.status),
            "remindAt": a.remind_at.map(|t| instant(zone, t)),
            "version": a.version,
        })).collect::<Vec<_>>(),
        "accessLog": r.audit.iter().map(|e| audit(zone, e)).collect::<Vec<_>>(),
        "pseudonymousStatistics": {
            "statisticsConsent": export.facts.statistics_consent,
            "facts": export.facts.rows.iter().map(|f| json!({
                "kind": f.kind,
                "month": f.month,
                "count": f.count,
            })).collect::<Vec<_>>(),
        },
    })
}

fn person(zone: &Zone, r: &PersonRecord) -> Value {
    let p = &r.person;
    json!({
        "id": id(Kind::Person, p.id.uuid()),
        "givenNames": p.given_names,
        "familyNames": p.family_names,
        "latinGivenNames": p.latin_given_names,
        "latinFamilyNames": p.latin_family_names,
        "birth": p.birth.map(|b| json!({"year": b.year, "month": b.month, "day": b.day})),
        "sex": p.sex.map(code),
        "gender": p.gender,
        "countryOfBirth": p.country_of_birth,
        "citizenships": p.citizenships,
        "languages": p.languages.iter().map(|l| json!({"code": l.code, "level": l.level})).collect::<Vec<_>>(),
        "phone": p.phone,
        "email": p.email,
        "codiceFiscale": p.codice_fiscale,
        "legalStatus": p.legal_status.as_ref().map(|s| json!({
            "permitType": s.permit_type,
            "permitNumber": s.permit_number,
            "expiry": s.expiry.map(day),
        })),
        "territoryCode": p.territory_code,
        "createdAt": instant(zone, p.created_at),
        "updatedAt": instant(zone, p.updated_at),
        "version": p.version,
    })
}

fn case(zone: &Zone, r: &CaseRecord) -> Value {
    let c = &r.case;
    let needs = |ids: &[sportello_cases::NeedId]| -> Vec<Value> {
        ids.iter().map(|n| id(Kind::Need, n.uuid())).collect()
    };
    json!({
        "id": id(Kind::Case, c.id.uuid()),
        "status": code(c.status),
        "outcome": c.outcome,
        "territoryCode": c.territory_code,
        "deskId": c.desk_id.map(|d| id(Kind::Desk, d.uuid())),
        "primaryOperatorId": id(Kind::User, c.primary_operator.uuid()),
        "openedAt": instant(zone, c.opened_at),
        "closedAt": c.closed_at.map(|t| instant(zone, t)),
        "reopenReason": c.reopen_reason,
        "version": c.version,
        "encounters": r.encounters.iter().map(|e| json!({
            "id": id(Kind::Encounter, e.id.uuid()),
            "occurredAt": instant(zone, e.occurred_at),
            "channel": code(e.channel),
            "language": e.language,
            "mediatorPresent": e.mediator_present,
            "durationMinutes": e.duration_minutes,
            "notes": e.notes,
            "createdBy": id(Kind::User, e.created_by.uuid()),
            "version": e.version,
        })).collect::<Vec<_>>(),
        "needs": r.needs.iter().map(|n| json!({
            "id": id(Kind::Need, n.id.uuid()),
            "code": code(n.code),
            "typeCode": n.type_code,
            "source": code(n.source),
            "status": code(n.status),
            "encounterId": n.encounter_id.map(|e| id(Kind::Encounter, e.uuid())),
            "notedAt": instant(zone, n.noted_at),
            "version": n.version,
        })).collect::<Vec<_>>(),
        "interventions": r.interventions.iter().map(|i| json!({
            "id": id(Kind::Intervention, i.id.uuid()),
            "kind": code(i.kind),
            "needIds": needs(&i.need_ids),
            "outcome": i.outcome,
            "doneAt": instant(zone, i.done_at),
            "version": i.version,
        })).collect::<Vec<_>>(),
        "referrals": r.referrals.iter().map(|f| json!({
            "id": id(Kind::Referral, f.id.uuid()),
            "serviceId": id(Kind::DirectoryService, f.service_id.uuid()),
            "needIds": needs(&f.need_ids),
            "status": code(f.status),
            "overrideReason": f.override_reason,
            "feedback": f.feedback,
            "sentAt": instant(zone, f.sent_at),
            "updatedAt": instant(zone, f.updated_at),
            "version": f.version,
        })).collect::<Vec<_>>(),
        "plan": r.plan.iter().map(|g| json!({
            "id": id(Kind::Goal, g.id.uuid()),
            "title": g.title,
            "needIds": needs(&g.need_ids),
            "status": code(g.status),
            "reviewOn": g.review_on.map(day),
            "version": g.version,
            "steps": g.steps.iter().map(|s| json!({
                "id": id(Kind::Step, s.id.uuid()),
                "title": s.title,
                "owner": code(s.owner),
                "dueOn": s.due_on.map(day),
                "status": code(s.status),
                "version": s.version,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn audit(zone: &Zone, e: &AuditRecord) -> Value {
    json!({
        "at": instant(zone, e.at),
        "actorId": e.actor.map(|a| id(Kind::User, a.uuid())),
        "action": e.action,
        "objectType": e.object_type,
        "objectId": object_id(&e.object_type, e.object_id),
        "fields": e.fields,
    })
}

/// The global id of an object an audit entry names, by its type in the audit log.
fn object_id(object_type: &str, uuid: Uuid) -> Value {
    let kind = match object_type {
        "person" => Kind::Person,
        "case" => Kind::Case,
        "encounter" => Kind::Encounter,
        "need" => Kind::Need,
        "intervention" => Kind::Intervention,
        "referral" => Kind::Referral,
        "plan_goal" => Kind::Goal,
        "plan_step" => Kind::Step,
        "appointment" => Kind::Appointment,
        "household" => Kind::Household,
        _ => return Value::String(uuid.to_string()),
    };
    id(kind, uuid)
}

fn id(kind: Kind, uuid: Uuid) -> Value {
    Value::String(encode(kind, uuid).0)
}

/// An enum as the API spells it (`FEMALE`, `LEGAL_ADVICE`).
fn code<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// An instant in the tenant's zone, RFC 3339 with its offset.
pub(super) fn instant(zone: &Zone, at: DateTime<Utc>) -> String {
    zone.local(at).to_rfc3339()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_names_its_format_and_its_time_zone_and_never_the_pseudonym() {
        let export = crate::subject_access::pdf::tests::sample();
        let doc = to_json(&export);
        assert_eq!(doc["format"], FORMAT);
        // 14:00 UTC on 6 December is 15:00 in Rome.
        assert_eq!(doc["generatedAt"], "2026-12-06T15:00:00+01:00");
        assert_eq!(doc["timeZone"], "Europe/Rome");
        assert_eq!(doc["person"]["givenNames"], "Олена");
        assert_eq!(
            doc["person"]["birth"],
            json!({"year": 1988, "month": 4, "day": null})
        );
        assert_eq!(doc["cases"][0]["needs"][0]["code"], "ITALIAN_LANGUAGE");
        assert_eq!(
            doc["pseudonymousStatistics"]["facts"],
            json!([{"kind": "need_recorded", "month": "2026-10", "count": 1}])
        );
        assert!(!doc.to_string().contains("not-shown"));
    }
}
