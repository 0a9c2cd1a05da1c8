//! The events services publish for analytics, defined once for producers and consumers.
//!
//! An event is a [`Record`]: an envelope (id, producer, the day it happened), the [`Subject`] it
//! is about and the [`Event`] itself, a serde-tagged enum. On the wire (the outbox `payload`
//! column and the bus) a record is one flat JSON object whose `type` field names the event, so
//! records written before this module existed read the same way.
//!
//! Nothing in a record identifies a person: the person and the objects of their path are keyed
//! pseudonyms ([`crate::pseudonym`]), the rest are codes and a day. Names, codice fiscale,
//! contacts, notes and birth dates have no field to go in.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A keyed pseudonym (HMAC-SHA256 under the tenant's secret, base64url): the same input gives the
/// same pseudonym in every service of the tenant, and it means nothing without the secret.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pseudonym(String);

impl Pseudonym {
    /// Wraps a pseudonym computed elsewhere ([`crate::pseudonym::Keyer`]) or read back.
    pub fn new(value: String) -> Self {
        Self(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Who an event is about, without identifying them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// The person's pseudonym, so distinct people can be counted.
    pub person: Pseudonym,
    /// One of [`AGE_BANDS`], never the birth date.
    pub age_band: String,
    /// Sex code.
    pub sex: Option<String>,
    /// Country of birth code.
    pub country_of_birth: Option<String>,
    /// ISTAT code of the territory the person is followed in.
    pub territory: String,
}

impl Subject {
    /// A subject that is the pseudonym and nothing else (age band `unknown`, no sex, country or
    /// territory): for a notice of consent, which must not carry more about the person.
    pub fn pseudonym_only(person: Pseudonym) -> Self {
        Self {
            person,
            age_band: "unknown".to_owned(),
            sex: None,
            country_of_birth: None,
            territory: String::new(),
        }
    }
}

/// The age bands used by funders' reports, and `unknown`.
pub const AGE_BANDS: [&str; 8] = [
    "0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown",
];

/// The age band of someone born on the birth date as known (`year`, `month`, `day`; see
/// [`crate::dates::age_on`] for the rule on dates known in part) on `on`, the day of the
/// event in the tenant's time zone: `unknown` without a birth year, or before the birth.
pub fn age_band(birth: Option<(i32, Option<u32>, Option<u32>)>, on: NaiveDate) -> &'static str {
    let Some(age) = birth.and_then(|(year, month, day)| crate::dates::age_on(year, month, day, on))
    else {
        return "unknown";
    };
    match age {
        i32::MIN..=-1 => "unknown",
        0..=17 => "0-17",
        18..=24 => "18-24",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        55..=64 => "55-64",
        _ => "65+",
    }
}

/// What happened. Every field is a pseudonym or a code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum Event {
    /// A case was opened (cases).
    CaseOpened {
        case: Pseudonym,
        /// ISTAT code of the territory the case is followed in.
        case_territory: String,
    },
    /// A case was closed with an outcome code (cases).
    CaseClosed { case: Pseudonym, outcome: String },
    /// A closed case was reopened (cases).
    CaseReopened { case: Pseudonym },
    /// A case moved to another open status (cases).
    CaseStatusChanged { case: Pseudonym, status: String },
    /// A need was recorded, expressed by the person or detected by the operator (cases).
    NeedRecorded { need: String, source: String },
    /// An intervention was done (cases).
    InterventionDone { intervention: String },
    /// A referral was sent or changed status (cases).
    ReferralChanged { status: String },
    /// A household was put on the housing waiting list (housing). Subject: a member's pseudonym
    /// (the same the cases service gives them); one event per member, so each counts as a person
    /// reached. `household` tells families apart.
    HousingApplicationMade {
        application: Pseudonym,
        household: Pseudonym,
    },
    /// A household was placed on beds of a unit (housing). Subject: a member's pseudonym and the
    /// unit's municipality; one event per member. `until` is the planned move-out day.
    HousingPlacementStarted {
        placement: Pseudonym,
        #[serde(default)]
        household: Option<Pseudonym>,
        #[serde(default)]
        beds: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<NaiveDate>,
    },
    /// A placement's planned end moved (housing). Subject: the household's pseudonym only.
    HousingPlacementExtended {
        placement: Pseudonym,
        until: NaiveDate,
    },
    /// A household left its placement on the event's day (housing): the days it stayed, the
    /// destination code and whether it reached housing autonomy. Subject: the household's
    /// pseudonym only.
    HousingPlacementEnded {
        placement: Pseudonym,
        household: Pseudonym,
        days: u32,
        destination: String,
        autonomy: bool,
    },
    /// The outcome of a follow-up 6 or 12 months after an exit (housing). Subject: the
    /// household's pseudonym only; its fact key is the follow-up's pseudonym.
    HousingFollowUpRecorded {
        placement: Pseudonym,
        months: u32,
        still_housed: bool,
    },
    /// A unit's beds and whether it takes placements (available or occupied, not under
    /// maintenance or withdrawn), as of the event's day (housing). Subject: the unit's
    /// pseudonym only and its municipality; its fact key is the unit's pseudonym.
    HousingUnitChanged {
        unit: Pseudonym,
        beds: u32,
        open: bool,
    },
    /// A volunteer of the register moved to a status (`SUBMITTED`, `UNDER_REVIEW`, `ACTIVE`,
    /// `SUSPENDED`, `WITHDRAWN`) (volunteers). Its subject is the volunteer's pseudonym
    /// ([`crate::pseudonym::Keyer::object`] of kind `"volunteer"`) and the ISTAT code of the
    /// first municipality they act in, nothing else.
    VolunteerStatusChanged { status: String },
    /// Hours a volunteer logged were approved by staff (volunteers): the skill code of the task
    /// (or `OTHER`) and the minutes. Subject: the volunteer's pseudonym and the territory of the
    /// task (or the volunteer's first). Its fact key is the hours entry's pseudonym.
    HoursApproved { skill: String, minutes: u32 },
    /// A participant's attendance of a training session was recorded present (volunteers). The
    /// session's pseudonym tells sessions held apart; `course_kind` is `COURSE` or `WORKSHOP`,
    /// `audience` `OPERATORS`, `VOLUNTEERS` or `CITIZENS`. Subject: the participant's pseudonym.
    AttendanceRecorded {
        session: Pseudonym,
        course_kind: String,
        audience: String,
    },
    /// A participant completed a course by its attendance rule (volunteers). Subject: the
    /// participant's pseudonym. Its fact key is the enrolment's pseudonym.
    CourseCompleted {
        course_kind: String,
        audience: String,
    },
    /// A collaboration pact moved to a status (`PROPOSED` … `SIGNED`, `ACTIVE`, `EXPIRED`,
    /// `RENEWED`, `ENDED`) (volunteers). Subject: the pact's pseudonym only and the ISTAT code
    /// of its municipality. `until`: the first day its current period no longer covers, when it
    /// ends without renewing itself (a pact's dates are not personal data); absent for a pact
    /// renewed tacitly.
    PactStatusChanged {
        pact: Pseudonym,
        status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<NaiveDate>,
    },
    /// A mediation was requested (cases). Subject: the request's pseudonym only and the ISTAT
    /// code of its place; `purpose` and `urgency` are codes.
    MediationRequested {
        request: Pseudonym,
        purpose: String,
        urgency: String,
    },
    /// A mediator accepted a request (cases): the whole minutes from the request to the
    /// confirmation and whether that was within the tenant's target for the urgency. Subject:
    /// the request's pseudonym only and its place's municipality.
    MediationConfirmed {
        request: Pseudonym,
        urgency: String,
        minutes: u32,
        within_target: bool,
    },
    /// An operator asked a legal question (cases). Subject: the consultation's pseudonym only.
    LegalConsultationAsked {
        consultation: Pseudonym,
        category: String,
    },
    /// A legal consultation got its first answer (cases): the whole minutes from the question
    /// and whether within the tenant's target. Subject: the consultation's pseudonym only.
    LegalConsultationAnswered {
        consultation: Pseudonym,
        category: String,
        minutes: u32,
        within_target: bool,
    },
    /// A person's procedure started (cases): its type code. Subject: the procedure's pseudonym
    /// only and the person's municipality, so it never counts the person.
    ProcedureStarted {
        procedure: Pseudonym,
        procedure_type: String,
    },
    /// A procedure was closed (cases): `COMPLETED` or `ABANDONED`. Subject as when it started.
    ProcedureClosed {
        procedure: Pseudonym,
        procedure_type: String,
        outcome: String,
    },
    /// The person gave (`given: true`) or withdrew their consent to anonymised statistics
    /// (cases). Its subject is the pseudonym only ([`Subject::pseudonym_only`]). Not a fact: it
    /// tells analytics to stop (or resume) counting the person, and to drop them from the
    /// periods not yet closed (docs/privacy.md).
    StatisticsConsentChanged { given: bool },
    /// The person was erased (GDPR art. 17) by the producer that held their record (cases). Its
    /// subject is the pseudonym only ([`Subject::pseudonym_only`]) and it carries nothing else:
    /// analytics deletes every fact and cell membership of the pseudonym and keeps out any that
    /// arrives later (docs/privacy.md, "Erasure").
    PersonErased,
}

/// The name of an event type: the `type` of a record and the outbox's `event_type` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    CaseOpened,
    CaseClosed,
    CaseReopened,
    CaseStatusChanged,
    NeedRecorded,
    InterventionDone,
    ReferralChanged,
    HousingApplicationMade,
    HousingPlacementStarted,
    HousingPlacementExtended,
    HousingPlacementEnded,
    HousingFollowUpRecorded,
    HousingUnitChanged,
    VolunteerStatusChanged,
    HoursApproved,
    AttendanceRecorded,
    CourseCompleted,
    PactStatusChanged,
    MediationRequested,
    MediationConfirmed,
    LegalConsultationAsked,
    LegalConsultationAnswered,
    ProcedureStarted,
    ProcedureClosed,
    StatisticsConsentChanged,
    PersonErased,
}

impl EventKind {
    pub const ALL: [EventKind; 26] = [
        EventKind::CaseOpened,
        EventKind::CaseClosed,
        EventKind::CaseReopened,
        EventKind::CaseStatusChanged,
        EventKind::NeedRecorded,
        EventKind::InterventionDone,
        EventKind::ReferralChanged,
        EventKind::HousingApplicationMade,
        EventKind::HousingPlacementStarted,
        EventKind::HousingPlacementExtended,
        EventKind::HousingPlacementEnded,
        EventKind::HousingFollowUpRecorded,
        EventKind::HousingUnitChanged,
        EventKind::VolunteerStatusChanged,
        EventKind::HoursApproved,
        EventKind::AttendanceRecorded,
        EventKind::CourseCompleted,
        EventKind::PactStatusChanged,
        EventKind::MediationRequested,
        EventKind::MediationConfirmed,
        EventKind::LegalConsultationAsked,
        EventKind::LegalConsultationAnswered,
        EventKind::ProcedureStarted,
        EventKind::ProcedureClosed,
        EventKind::StatisticsConsentChanged,
        EventKind::PersonErased,
    ];

    /// The events of the volunteers service: activity of the register, training and pacts,
    /// counted apart from the facts about persons served (they never count as people reached).
    pub const ACTIVITY: [EventKind; 5] = [
        EventKind::VolunteerStatusChanged,
        EventKind::HoursApproved,
        EventKind::AttendanceRecorded,
        EventKind::CourseCompleted,
        EventKind::PactStatusChanged,
    ];

    /// The events of the housing service. Applications and placements are also facts about the
    /// persons of the household (people reached); every one of them feeds the housing
    /// indicators.
    pub const HOUSING: [EventKind; 6] = [
        EventKind::HousingApplicationMade,
        EventKind::HousingPlacementStarted,
        EventKind::HousingPlacementExtended,
        EventKind::HousingPlacementEnded,
        EventKind::HousingFollowUpRecorded,
        EventKind::HousingUnitChanged,
    ];

    /// The events of on-call mediation, legal consultation and procedures (cases): activity of
    /// the desks, about requests, consultations and procedures, never counted as people
    /// reached; they feed the on-call and procedure indicators.
    pub const ONCALL: [EventKind; 6] = [
        EventKind::MediationRequested,
        EventKind::MediationConfirmed,
        EventKind::LegalConsultationAsked,
        EventKind::LegalConsultationAnswered,
        EventKind::ProcedureStarted,
        EventKind::ProcedureClosed,
    ];

    /// The stored name (a test keeps it equal to the serde tag).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CaseOpened => "case_opened",
            EventKind::CaseClosed => "case_closed",
            EventKind::CaseReopened => "case_reopened",
            EventKind::CaseStatusChanged => "case_status_changed",
            EventKind::NeedRecorded => "need_recorded",
            EventKind::InterventionDone => "intervention_done",
            EventKind::ReferralChanged => "referral_changed",
            EventKind::HousingApplicationMade => "housing_application_made",
            EventKind::HousingPlacementStarted => "housing_placement_started",
            EventKind::HousingPlacementExtended => "housing_placement_extended",
            EventKind::HousingPlacementEnded => "housing_placement_ended",
            EventKind::HousingFollowUpRecorded => "housing_follow_up_recorded",
            EventKind::HousingUnitChanged => "housing_unit_changed",
            EventKind::VolunteerStatusChanged => "volunteer_status_changed",
            EventKind::HoursApproved => "hours_approved",
            EventKind::AttendanceRecorded => "attendance_recorded",
            EventKind::CourseCompleted => "course_completed",
            EventKind::PactStatusChanged => "pact_status_changed",
            EventKind::MediationRequested => "mediation_requested",
            EventKind::MediationConfirmed => "mediation_confirmed",
            EventKind::LegalConsultationAsked => "legal_consultation_asked",
            EventKind::LegalConsultationAnswered => "legal_consultation_answered",
            EventKind::ProcedureStarted => "procedure_started",
            EventKind::ProcedureClosed => "procedure_closed",
            EventKind::StatisticsConsentChanged => "statistics_consent_changed",
            EventKind::PersonErased => "person_erased",
        }
    }

    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl Event {
    pub fn kind(&self) -> EventKind {
        match self {
            Event::CaseOpened { .. } => EventKind::CaseOpened,
            Event::CaseClosed { .. } => EventKind::CaseClosed,
            Event::CaseReopened { .. } => EventKind::CaseReopened,
            Event::CaseStatusChanged { .. } => EventKind::CaseStatusChanged,
            Event::NeedRecorded { .. } => EventKind::NeedRecorded,
            Event::InterventionDone { .. } => EventKind::InterventionDone,
            Event::ReferralChanged { .. } => EventKind::ReferralChanged,
            Event::HousingApplicationMade { .. } => EventKind::HousingApplicationMade,
            Event::HousingPlacementStarted { .. } => EventKind::HousingPlacementStarted,
            Event::HousingPlacementExtended { .. } => EventKind::HousingPlacementExtended,
            Event::HousingPlacementEnded { .. } => EventKind::HousingPlacementEnded,
            Event::HousingFollowUpRecorded { .. } => EventKind::HousingFollowUpRecorded,
            Event::HousingUnitChanged { .. } => EventKind::HousingUnitChanged,
            Event::MediationRequested { .. } => EventKind::MediationRequested,
            Event::MediationConfirmed { .. } => EventKind::MediationConfirmed,
            Event::LegalConsultationAsked { .. } => EventKind::LegalConsultationAsked,
            Event::LegalConsultationAnswered { .. } => EventKind::LegalConsultationAnswered,
            Event::ProcedureStarted { .. } => EventKind::ProcedureStarted,
            Event::ProcedureClosed { .. } => EventKind::ProcedureClosed,
            Event::VolunteerStatusChanged { .. } => EventKind::VolunteerStatusChanged,
            Event::HoursApproved { .. } => EventKind::HoursApproved,
            Event::AttendanceRecorded { .. } => EventKind::AttendanceRecorded,
            Event::CourseCompleted { .. } => EventKind::CourseCompleted,
            Event::PactStatusChanged { .. } => EventKind::PactStatusChanged,
            Event::StatisticsConsentChanged { .. } => EventKind::StatisticsConsentChanged,
            Event::PersonErased => EventKind::PersonErased,
        }
    }

    /// The pseudonym of the case whose life cycle the event belongs to, if any.
    pub fn case(&self) -> Option<&Pseudonym> {
        match self {
            Event::CaseOpened { case, .. }
            | Event::CaseClosed { case, .. }
            | Event::CaseReopened { case }
            | Event::CaseStatusChanged { case, .. } => Some(case),
            _ => None,
        }
    }
}

/// One event as written to an outbox and carried by the bus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub event_id: Uuid,
    /// The service that emitted the event (absent in records written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<String>,
    /// The day the thing happened, in the tenant's time zone (not the day it was typed).
    pub occurred_on: NaiveDate,
    /// The pseudonym of the thing this record is the fact of (a need, an intervention) when its
    /// date can be corrected. A later record (by event id) with the same key is a correcting
    /// event: it replaces this one in analytics, which moves the fact to the corrected day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<Pseudonym>,
    #[serde(flatten)]
    pub subject: Subject,
    #[serde(flatten)]
    pub event: Event,
}

impl Record {
    /// The JSON text stored in the outbox's `payload` column.
    pub fn to_payload(&self) -> crate::Result<String> {
        serde_json::to_string(self).map_err(crate::Error::internal)
    }

    /// Reads a payload back; `None` when it is not a record of a known event type.
    pub fn from_payload(payload: &str) -> Option<Record> {
        serde_json::from_str(payload).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn subject() -> Subject {
        Subject {
            person: Pseudonym::new("p".repeat(43)),
            age_band: "25-34".into(),
            sex: Some("F".into()),
            country_of_birth: None,
            territory: "052022".into(),
        }
    }

    fn every_event() -> Vec<Event> {
        let case = Pseudonym::new("c".repeat(43));
        let events = vec![
            Event::CaseOpened {
                case: case.clone(),
                case_territory: "052022".into(),
            },
            Event::CaseClosed {
                case: case.clone(),
                outcome: "autonomy_reached".into(),
            },
            Event::CaseReopened { case: case.clone() },
            Event::CaseStatusChanged {
                case,
                status: "active".into(),
            },
            Event::NeedRecorded {
                need: "housing".into(),
                source: "expressed".into(),
            },
            Event::InterventionDone {
                intervention: "orientation".into(),
            },
            Event::ReferralChanged {
                status: "sent".into(),
            },
            Event::HousingApplicationMade {
                application: Pseudonym::new("a".repeat(43)),
                household: Pseudonym::new("f".repeat(43)),
            },
            Event::HousingPlacementStarted {
                placement: Pseudonym::new("h".repeat(43)),
                household: Some(Pseudonym::new("f".repeat(43))),
                beds: 2,
                until: NaiveDate::from_ymd_opt(2027, 6, 1),
            },
            Event::HousingPlacementExtended {
                placement: Pseudonym::new("h".repeat(43)),
                until: NaiveDate::from_ymd_opt(2027, 9, 1).expect("day"),
            },
            Event::HousingPlacementEnded {
                placement: Pseudonym::new("h".repeat(43)),
                household: Pseudonym::new("f".repeat(43)),
                days: 120,
                destination: "OWN_RENTAL".into(),
                autonomy: true,
            },
            Event::HousingFollowUpRecorded {
                placement: Pseudonym::new("h".repeat(43)),
                months: 6,
                still_housed: true,
            },
            Event::HousingUnitChanged {
                unit: Pseudonym::new("u".repeat(43)),
                beds: 4,
                open: true,
            },
            Event::VolunteerStatusChanged {
                status: "ACTIVE".into(),
            },
            Event::HoursApproved {
                skill: "LANGUAGE_SUPPORT".into(),
                minutes: 90,
            },
            Event::AttendanceRecorded {
                session: Pseudonym::new("s".repeat(43)),
                course_kind: "WORKSHOP".into(),
                audience: "OPERATORS".into(),
            },
            Event::CourseCompleted {
                course_kind: "COURSE".into(),
                audience: "OPERATORS".into(),
            },
            Event::PactStatusChanged {
                pact: Pseudonym::new("k".repeat(43)),
                status: "SIGNED".into(),
                until: NaiveDate::from_ymd_opt(2028, 3, 1),
            },
            Event::MediationRequested {
                request: Pseudonym::new("m".repeat(43)),
                purpose: "ENROLMENT".into(),
                urgency: "URGENT".into(),
            },
            Event::MediationConfirmed {
                request: Pseudonym::new("m".repeat(43)),
                urgency: "URGENT".into(),
                minutes: 95,
                within_target: true,
            },
            Event::LegalConsultationAsked {
                consultation: Pseudonym::new("l".repeat(43)),
                category: "CITIZENSHIP".into(),
            },
            Event::LegalConsultationAnswered {
                consultation: Pseudonym::new("l".repeat(43)),
                category: "CITIZENSHIP".into(),
                minutes: 2000,
                within_target: true,
            },
            Event::ProcedureStarted {
                procedure: Pseudonym::new("p".repeat(43)),
                procedure_type: "citizenship_residence".into(),
            },
            Event::ProcedureClosed {
                procedure: Pseudonym::new("p".repeat(43)),
                procedure_type: "citizenship_residence".into(),
                outcome: "COMPLETED".into(),
            },
            Event::StatisticsConsentChanged { given: false },
            Event::PersonErased,
        ];
        // A new variant must be added here too.
        assert_eq!(events.len(), EventKind::ALL.len());
        events
    }

    #[test]
    fn every_event_type_round_trips_under_its_one_name() {
        for event in every_event() {
            let record = Record {
                event_id: Uuid::now_v7(),
                producer: Some("cases".into()),
                occurred_on: NaiveDate::from_ymd_opt(2026, 3, 10).expect("date"),
                fact: Some(Pseudonym::new("f".repeat(43))),
                subject: subject(),
                event: event.clone(),
            };
            let payload = record.to_payload().expect("payload");
            let value: Value = serde_json::from_str(&payload).expect("json");
            assert_eq!(value["type"], event.kind().as_str(), "{payload}");
            assert_eq!(
                serde_json::to_value(event.kind()).expect("kind"),
                json!(event.kind().as_str())
            );
            assert_eq!(EventKind::parse(event.kind().as_str()), Some(event.kind()));
            assert_eq!(Record::from_payload(&payload), Some(record));
        }
    }

    #[test]
    fn a_payload_in_the_earlier_flat_format_reads_as_a_typed_record() {
        let payload = json!({
            "eventId": Uuid::now_v7(), "type": "need_recorded", "occurredOn": "2026-03-10",
            "person": "pseudo-1", "ageBand": "18-24", "sex": "M", "countryOfBirth": "SN",
            "territory": "052022", "need": "housing", "source": "detected",
            "somethingElse": "ignored",
        })
        .to_string();
        let record = Record::from_payload(&payload).expect("record");
        assert_eq!(record.producer, None);
        assert_eq!(record.subject.person.as_str(), "pseudo-1");
        assert_eq!(
            record.event,
            Event::NeedRecorded {
                need: "housing".into(),
                source: "detected".into()
            }
        );
        let unknown = payload.replace("need_recorded", "something_new");
        assert_eq!(Record::from_payload(&unknown), None);
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn age_bands_are_exact_at_the_event_date() {
        let on = day("2026-12-06");
        assert_eq!(age_band(Some((2015, None, None)), on), "0-17");
        // Born 2008-12-31: 17 on 6 December 2026, 18 from 31 December.
        assert_eq!(age_band(Some((2008, Some(12), Some(31))), on), "0-17");
        assert_eq!(
            age_band(Some((2008, Some(12), Some(31))), day("2026-12-30")),
            "0-17"
        );
        assert_eq!(
            age_band(Some((2008, Some(12), Some(31))), day("2026-12-31")),
            "18-24"
        );
        assert_eq!(age_band(Some((2008, Some(1), Some(1))), on), "18-24");
        // Known in part: the latest possible birthday (31 December; the month's last day).
        assert_eq!(age_band(Some((2008, None, None)), on), "0-17");
        assert_eq!(
            age_band(Some((2008, None, None)), day("2027-01-01")),
            "18-24"
        );
        assert_eq!(
            age_band(Some((2008, Some(11), None)), day("2026-11-29")),
            "0-17"
        );
        assert_eq!(
            age_band(Some((2008, Some(11), None)), day("2026-11-30")),
            "18-24"
        );
        assert_eq!(
            age_band(Some((2001, Some(2), None)), day("2026-02-27")),
            "18-24"
        );
        assert_eq!(
            age_band(Some((2001, Some(2), None)), day("2026-02-28")),
            "25-34"
        );
        assert_eq!(age_band(Some((1950, None, None)), on), "65+");
        assert_eq!(age_band(None, on), "unknown");
        assert_eq!(age_band(Some((2030, None, None)), on), "unknown");
        assert_eq!(age_band(Some((2026, Some(12), Some(7))), on), "unknown");
        assert!((1900..2030).all(|y| AGE_BANDS.contains(&age_band(Some((y, None, None)), on))));
    }

    #[test]
    fn a_leap_day_birthday_comes_on_the_first_of_march_in_common_years() {
        use crate::dates::age_on;
        assert_eq!(age_on(2008, Some(2), Some(29), day("2026-02-28")), Some(17));
        assert_eq!(age_on(2008, Some(2), Some(29), day("2026-03-01")), Some(18));
        assert_eq!(age_on(2008, Some(2), Some(29), day("2028-02-29")), Some(20));
        assert_eq!(age_on(2008, Some(2), Some(30), day("2028-02-29")), None);
    }
}
