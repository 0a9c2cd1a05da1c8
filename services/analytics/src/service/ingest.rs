//! Ingestion: the facts and cell counts of the events from the bus, idempotent by event id.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use async_trait::async_trait;
use chrono::{NaiveDate, Utc};
use sea_orm::Value;
use sha2::{Digest, Sha256};
use sportello_kernel::bus::{Envelope, Sink};
use sportello_kernel::db::{Scope, Tx};
use sportello_kernel::events::{Event, EventKind, Record};
use sportello_kernel::{Error, Result};
use uuid::Uuid;

use super::{AnalyticsService, exec_across, placeholders, query_across};
use crate::sdc;

impl AnalyticsService {
    /// Stores a batch of events as facts and cell counts, in one transaction. Events already
    /// processed are skipped, so a redelivered batch counts nothing twice.
    pub async fn ingest(&self, batch: &[Envelope]) -> Result<IngestReport> {
        let tx = self.db.begin(Scope::Service("ingest")).await?;
        let mut report = IngestReport::default();
        // Which events are new: the insert returns only the rows it added.
        let mut fresh: HashSet<(Uuid, Uuid)> = HashSet::new();
        let now = Utc::now();
        for chunk in batch.chunks(CHUNK) {
            let rows = query_across(
                &tx,
                &format!(
                    "INSERT INTO processed_events (tenant_id, event_id, processed_at) VALUES {} \
                     ON CONFLICT DO NOTHING RETURNING tenant_id, event_id",
                    placeholders(chunk.len(), 3)
                ),
                chunk
                    .iter()
                    .flat_map(|e| [e.tenant_id.into(), e.id.into(), now.into()])
                    .collect(),
            )
            .await?;
            for row in rows {
                fresh.insert((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
            }
        }
        // Facts are stored in runs; a consent notice applies between the facts before it and
        // those after it, in the order the producer wrote them.
        let mut recount: BTreeSet<(Uuid, String)> = BTreeSet::new();
        let mut run = Vec::with_capacity(fresh.len());
        for envelope in batch {
            if !fresh.remove(&(envelope.tenant_id, envelope.id)) {
                report.duplicates += 1;
                continue;
            }
            match Fact::parse(envelope) {
                Some(Parsed::Fact(fact)) => run.push(*fact),
                Some(Parsed::Housing(person, fact)) => {
                    if let Some(person) = person {
                        run.push(*person);
                    }
                    store_activity(&tx, &fact).await?;
                    report.ingested += 1;
                }
                Some(Parsed::Activity(fact)) => {
                    if store_activity(&tx, &fact).await? {
                        report.ingested += 1;
                    } else {
                        report.dropped += 1;
                    }
                }
                Some(Parsed::Consent(notice)) => {
                    store_run(&tx, std::mem::take(&mut run), &mut report, &mut recount).await?;
                    apply_consent(&tx, &notice, &mut recount).await?;
                    report.ingested += 1;
                }
                Some(Parsed::Erased { tenant, person }) => {
                    store_run(&tx, std::mem::take(&mut run), &mut report, &mut recount).await?;
                    forget(&tx, tenant, &person).await?;
                    report.ingested += 1;
                    report.erased += 1;
                }
                // Not an event analytics counts (or not readable): remembered as processed.
                None => report.ignored += 1,
            }
        }
        store_run(&tx, run, &mut report, &mut recount).await?;
        for (tenant, month) in &recount {
            recount_cells(&tx, *tenant, month).await?;
        }
        tx.commit().await?;
        if report.erased > 0 {
            // Deleted facts must not stay readable in the write-ahead log (docs/privacy.md).
            match self.db.checkpoint().await {
                Ok(true) => {}
                Ok(false) => tracing::warn!("checkpoint after erasure incomplete"),
                Err(e) => tracing::warn!(code = ?e.code, "checkpoint after erasure failed"),
            }
        }
        metrics::counter!("sportello_analytics_events_ingested_total").increment(report.ingested);
        metrics::counter!("sportello_analytics_events_duplicate_total")
            .increment(report.duplicates);
        Ok(report)
    }

    /// Forgets the ids of events processed longer ago than `older_than`. They guard against
    /// redelivery, so keep them longer than the outbox keeps published events.
    pub async fn prune_processed(&self, older_than: std::time::Duration) -> Result<u64> {
        let before = Utc::now()
            - chrono::Duration::from_std(older_than).map_err(|_| Error::internal("duration"))?;
        let tx = self.db.begin(Scope::Service("ingest")).await?;
        let done = exec_across(
            &tx,
            "DELETE FROM processed_events WHERE processed_at < ?",
            vec![before.into()],
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }
}

/// What one ingestion pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub ingested: u64,
    pub duplicates: u64,
    pub ignored: u64,
    /// Facts not kept: of a person who withdrew consent to statistics or was erased, or older
    /// than a correction already stored.
    pub dropped: u64,
    /// Notices of erased people applied (also counted in `ingested`).
    pub erased: u64,
}

#[async_trait]
impl Sink for AnalyticsService {
    async fn deliver(&self, batch: &[Envelope]) -> Result<()> {
        self.ingest(batch).await.map(|_| ())
    }
}

/// The anonymised fact of one event: only these fields are kept from the typed record.
struct Fact {
    tenant: Uuid,
    event: Uuid,
    kind: EventKind,
    person: String,
    /// `YYYY-MM` in the tenant's time zone: the finest date a fact keeps.
    month: String,
    territory: String,
    age_band: String,
    sex: String,
    country_of_birth: String,
    need: Option<String>,
    intervention: Option<String>,
    status: Option<String>,
    case_key: Option<String>,
    /// The key of a fact whose date can be corrected ([`Record::fact`]).
    fact_key: Option<String>,
}

/// A person's decision on anonymised statistics, from a consent notice.
struct ConsentNotice {
    tenant: Uuid,
    event: Uuid,
    person: String,
    month: String,
    given: bool,
}

/// What an event is to analytics.
enum Parsed {
    Fact(Box<Fact>),
    /// A fact of the volunteers service's activity ([`EventKind::ACTIVITY`]).
    Activity(Box<ActivityFact>),
    /// A fact of the housing service ([`EventKind::HOUSING`]), stored with the activity facts,
    /// and for an application or a placement also a fact about the member it names (people
    /// reached, counted once with the cases service's facts about the same person).
    Housing(Option<Box<Fact>>, Box<ActivityFact>),
    Consent(ConsentNotice),
    /// The person of this pseudonym was erased by the producer.
    Erased {
        tenant: Uuid,
        person: String,
    },
}

/// Codes are short and plain; anything else is not a code and is not kept.
fn code(value: Option<String>) -> Option<String> {
    value.filter(|v| {
        v.len() <= 40
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '+')
    })
}

impl Fact {
    /// The fact of an event, from whichever producer; `None` for a payload that is not a record
    /// of a known event type, or whose territory or age band is not a code.
    fn parse(envelope: &Envelope) -> Option<Parsed> {
        let record = Record::from_payload(&envelope.payload)?;
        let kind = record.event.kind();
        // The outbox row and its payload name the same event, or the entry is not readable.
        if EventKind::parse(&envelope.event_type) != Some(kind) {
            return None;
        }
        if let Event::StatisticsConsentChanged { given } = record.event {
            return Some(Parsed::Consent(ConsentNotice {
                tenant: envelope.tenant_id,
                event: envelope.id,
                person: record.subject.person.into_string(),
                month: record.occurred_on.format("%Y-%m").to_string(),
                given,
            }));
        }
        if record.event == Event::PersonErased {
            return Some(Parsed::Erased {
                tenant: envelope.tenant_id,
                person: record.subject.person.into_string(),
            });
        }
        if EventKind::ACTIVITY.contains(&kind) || EventKind::ONCALL.contains(&kind) {
            return ActivityFact::of(envelope, record).map(|a| Parsed::Activity(Box::new(a)));
        }
        if EventKind::HOUSING.contains(&kind) {
            let activity = ActivityFact::of(envelope, record.clone())?;
            let person = matches!(
                kind,
                EventKind::HousingApplicationMade | EventKind::HousingPlacementStarted
            )
            .then(|| Fact::person_fact(envelope, record))
            .flatten();
            return Some(Parsed::Housing(person.map(Box::new), Box::new(activity)));
        }
        Self::person_fact(envelope, record).map(|f| Parsed::Fact(Box::new(f)))
    }

    /// The fact an event is about its subject person (people reached and the codes it carries).
    fn person_fact(envelope: &Envelope, record: Record) -> Option<Fact> {
        let kind = record.event.kind();
        let case_key = record.event.case().map(|c| c.as_str().to_owned());
        let (need, intervention, status) = match record.event {
            Event::NeedRecorded { need, .. } => (Some(need), None, None),
            Event::InterventionDone { intervention } => (None, Some(intervention), None),
            Event::CaseStatusChanged { status, .. } | Event::ReferralChanged { status } => {
                (None, None, Some(status))
            }
            Event::CaseOpened { .. }
            | Event::CaseClosed { .. }
            | Event::CaseReopened { .. }
            | Event::HousingApplicationMade { .. }
            | Event::HousingPlacementStarted { .. }
            | Event::HousingPlacementExtended { .. }
            | Event::HousingPlacementEnded { .. }
            | Event::HousingFollowUpRecorded { .. }
            | Event::HousingUnitChanged { .. }
            | Event::VolunteerStatusChanged { .. }
            | Event::HoursApproved { .. }
            | Event::AttendanceRecorded { .. }
            | Event::CourseCompleted { .. }
            | Event::PactStatusChanged { .. }
            | Event::MediationRequested { .. }
            | Event::MediationConfirmed { .. }
            | Event::LegalConsultationAsked { .. }
            | Event::LegalConsultationAnswered { .. }
            | Event::ProcedureStarted { .. }
            | Event::ProcedureClosed { .. }
            | Event::StatisticsConsentChanged { .. }
            | Event::PersonErased => (None, None, None),
        };
        let subject = record.subject;
        Some(Fact {
            tenant: envelope.tenant_id,
            event: envelope.id,
            kind,
            person: subject.person.into_string(),
            month: record.occurred_on.format("%Y-%m").to_string(),
            territory: code(Some(subject.territory))?,
            age_band: code(Some(subject.age_band))?,
            sex: code(subject.sex).unwrap_or_else(|| "unknown".into()),
            country_of_birth: code(subject.country_of_birth).unwrap_or_else(|| "unknown".into()),
            need: code(need),
            intervention: code(intervention),
            status: code(status),
            case_key,
            fact_key: record.fact.map(|f| f.into_string()),
        })
    }

    /// The cells this fact counts its person in: people reached, and the need, intervention or
    /// new case, at municipality level and at the tenant's ('*').
    fn cells(&self) -> Vec<CellKey> {
        let mut measures = vec![("people", String::new())];
        match (self.kind, &self.need, &self.intervention) {
            (EventKind::NeedRecorded, Some(need), _) => measures.push(("need", need.clone())),
            (EventKind::InterventionDone, _, Some(kind)) => {
                measures.push(("intervention", kind.clone()))
            }
            (EventKind::CaseOpened, _, _) => measures.push(("new_case", String::new())),
            (EventKind::HousingPlacementStarted, _, _) => measures.push(("housed", String::new())),
            _ => {}
        }
        let mut out = Vec::with_capacity(measures.len() * 2);
        for (measure, category) in measures {
            for territory in [self.territory.as_str(), "*"] {
                out.push(CellKey {
                    tenant: self.tenant,
                    measure,
                    territory: territory.to_owned(),
                    month: self.month.clone(),
                    category: category.clone(),
                });
            }
        }
        out
    }
}

/// The fact of one event of the volunteers service: a pseudonym, codes, a month and minutes.
struct ActivityFact {
    tenant: Uuid,
    event: Uuid,
    kind: EventKind,
    subject: String,
    month: String,
    territory: String,
    /// The status (register, pacts), the skill (hours) or the audience (training).
    category: String,
    course_kind: Option<String>,
    minutes: u32,
    session_key: Option<String>,
    /// `YYYY-MM-DD`: the first day a pact's current period no longer covers.
    until_day: Option<String>,
    fact_key: Option<String>,
}

/// The longest activation or response time kept, in minutes (a year).
const MAX_MINUTES: u32 = 366 * 24 * 60;

/// Whether a time met its target, as the activity fact's second code.
fn within(within_target: bool) -> String {
    if within_target { "WITHIN" } else { "LATE" }.to_owned()
}

impl ActivityFact {
    /// `None` when a code is not a code (the record is then remembered as processed only).
    fn of(envelope: &Envelope, record: Record) -> Option<ActivityFact> {
        let kind = record.event.kind();
        let mut until_day = None;
        let mut subject = record.subject.person.clone().into_string();
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let (category, course_kind, minutes, session_key) = match record.event {
            Event::HousingApplicationMade {
                application,
                household,
            } => {
                subject = household.into_string();
                (
                    "APPLICATION".into(),
                    None,
                    0,
                    Some(application.into_string()),
                )
            }
            Event::HousingPlacementStarted {
                placement,
                household,
                beds,
                until,
            } => {
                if let Some(h) = household {
                    subject = h.into_string();
                }
                until_day = until.map(day);
                (
                    "PLACEMENT".into(),
                    None,
                    beds.min(1000),
                    Some(placement.into_string()),
                )
            }
            Event::HousingPlacementExtended { placement, until } => {
                until_day = Some(day(until));
                ("EXTENDED".into(), None, 0, Some(placement.into_string()))
            }
            Event::HousingPlacementEnded {
                placement,
                household,
                days,
                destination,
                autonomy,
            } => {
                subject = household.into_string();
                until_day = Some(day(record.occurred_on));
                let outcome = if autonomy { "AUTONOMY" } else { "NO_AUTONOMY" };
                (
                    destination,
                    Some(outcome.into()),
                    days,
                    Some(placement.into_string()),
                )
            }
            Event::HousingFollowUpRecorded {
                placement,
                months,
                still_housed,
            } => {
                let outcome = if still_housed { "HOUSED" } else { "NOT_HOUSED" };
                (
                    outcome.into(),
                    None,
                    months.min(120),
                    Some(placement.into_string()),
                )
            }
            Event::HousingUnitChanged { beds, open, .. } => {
                let state = if open { "OPEN" } else { "CLOSED" };
                (state.into(), None, beds.min(1000), None)
            }
            Event::VolunteerStatusChanged { status } => (status, None, 0, None),
            Event::HoursApproved { skill, minutes } => (skill, None, minutes.min(24 * 60), None),
            Event::AttendanceRecorded {
                session,
                course_kind,
                audience,
            } => (audience, Some(course_kind), 0, Some(session.into_string())),
            Event::CourseCompleted {
                course_kind,
                audience,
            } => (audience, Some(course_kind), 0, None),
            Event::PactStatusChanged {
                pact,
                status,
                until,
            } => {
                until_day = until.map(|d| d.format("%Y-%m-%d").to_string());
                (status, None, 0, Some(pact.into_string()))
            }
            // On call and procedures: the object's pseudonym is the subject; minutes are the
            // activation or response time, capped at a year.
            Event::MediationRequested {
                purpose, urgency, ..
            } => (purpose, Some(urgency), 0, None),
            Event::MediationConfirmed {
                urgency,
                minutes,
                within_target,
                ..
            } => (
                urgency,
                Some(within(within_target)),
                minutes.min(MAX_MINUTES),
                None,
            ),
            Event::LegalConsultationAsked { category, .. } => (category, None, 0, None),
            Event::LegalConsultationAnswered {
                category,
                minutes,
                within_target,
                ..
            } => (
                category,
                Some(within(within_target)),
                minutes.min(MAX_MINUTES),
                None,
            ),
            Event::ProcedureStarted { procedure_type, .. } => (procedure_type, None, 0, None),
            Event::ProcedureClosed {
                procedure_type,
                outcome,
                ..
            } => (procedure_type, Some(outcome), 0, None),
            _ => return None,
        };
        let territory = if record.subject.territory.is_empty() {
            String::new()
        } else {
            code(Some(record.subject.territory))?
        };
        Some(ActivityFact {
            tenant: envelope.tenant_id,
            event: envelope.id,
            kind,
            subject,
            month: record.occurred_on.format("%Y-%m").to_string(),
            territory,
            category: code(Some(category))?,
            course_kind: match course_kind {
                Some(kind) => Some(code(Some(kind))?),
                None => None,
            },
            minutes,
            session_key,
            until_day,
            fact_key: record.fact.map(|f| f.into_string()),
        })
    }
}

/// Stores one activity fact. A fact with a key replaces the stored facts of that key written
/// before it (by event id) and is dropped when one written after it is stored already, like the
/// corrections of [`supersede`]. Returns whether it was kept.
async fn store_activity(tx: &Tx, fact: &ActivityFact) -> Result<bool> {
    if let Some(key) = &fact.fact_key {
        let newer = query_across(
            tx,
            "SELECT 1 FROM activity_facts WHERE tenant_id = ? AND fact_key = ? AND event_id > ?",
            vec![fact.tenant.into(), key.clone().into(), fact.event.into()],
        )
        .await?;
        if !newer.is_empty() {
            return Ok(false);
        }
        exec_across(
            tx,
            "DELETE FROM activity_facts WHERE tenant_id = ? AND fact_key = ? AND event_id < ?",
            vec![fact.tenant.into(), key.clone().into(), fact.event.into()],
        )
        .await?;
    }
    exec_across(
        tx,
        "INSERT INTO activity_facts (tenant_id, event_id, event_type, subject, month, territory, \
         category, course_kind, minutes, session_key, until_day, fact_key) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        vec![
            fact.tenant.into(),
            fact.event.into(),
            fact.kind.as_str().into(),
            fact.subject.clone().into(),
            fact.month.clone().into(),
            fact.territory.clone().into(),
            fact.category.clone().into(),
            fact.course_kind.clone().into(),
            i64::from(fact.minutes).into(),
            fact.session_key.clone().into(),
            fact.until_day.clone().into(),
            fact.fact_key.clone().into(),
        ],
    )
    .await?;
    Ok(true)
}

/// Rows per multi-row statement (well under both backends' limits on parameters).
const CHUNK: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct CellKey {
    tenant: Uuid,
    measure: &'static str,
    territory: String,
    month: String,
    category: String,
}

/// The record key of a person for the cell-key perturbation.
pub(super) fn record_key(tenant: Uuid, person: &str) -> u64 {
    sdc::record_key(&Sha256::digest(
        [tenant.as_bytes().as_slice(), person.as_bytes()].concat(),
    ))
}

/// Stores new facts, their people's membership of cells, and the cells' counts and keys, with a
/// few multi-row statements per batch.
async fn store_facts(tx: &Tx, facts: &[Fact]) -> Result<()> {
    for chunk in facts.chunks(CHUNK) {
        let values: Vec<Value> = chunk
            .iter()
            .flat_map(|f| {
                [
                    f.tenant.into(),
                    f.event.into(),
                    f.kind.as_str().into(),
                    f.person.clone().into(),
                    f.month.clone().into(),
                    f.territory.clone().into(),
                    f.age_band.clone().into(),
                    f.sex.clone().into(),
                    f.country_of_birth.clone().into(),
                    f.need.clone().into(),
                    f.intervention.clone().into(),
                    f.status.clone().into(),
                    f.case_key.clone().into(),
                    f.fact_key.clone().into(),
                ]
            })
            .collect();
        exec_across(
            tx,
            &format!(
                "INSERT INTO facts (tenant_id, event_id, event_type, person, month, territory, \
                 age_band, sex, country_of_birth, need, intervention, status, case_key, fact_key) \
                 VALUES {} ON CONFLICT DO NOTHING",
                placeholders(chunk.len(), 14)
            ),
            values,
        )
        .await?;
    }
    add_to_cells(tx, facts).await
}

/// Counts the people of `facts` in their cells (each person once per cell): the memberships
/// that are new add to the cells' counts and keys.
async fn add_to_cells(tx: &Tx, facts: &[Fact]) -> Result<()> {
    // Each person once per cell; the insert returns the memberships that are new.
    let mut members: BTreeMap<(CellKey, String), u64> = BTreeMap::new();
    for fact in facts {
        let key = record_key(fact.tenant, &fact.person);
        for cell in fact.cells() {
            members.insert((cell, fact.person.clone()), key);
        }
    }
    let members: Vec<_> = members.into_iter().collect();
    let mut added: BTreeMap<CellKey, (i64, u64)> = BTreeMap::new();
    for chunk in members.chunks(CHUNK) {
        let values: Vec<Value> = chunk
            .iter()
            .flat_map(|((c, person), _)| {
                [
                    c.tenant.into(),
                    c.measure.into(),
                    c.territory.clone().into(),
                    c.month.clone().into(),
                    c.category.clone().into(),
                    person.clone().into(),
                ]
            })
            .collect();
        let rows = query_across(
            tx,
            &format!(
                "INSERT INTO cell_members (tenant_id, measure, territory, month, category, person) \
                 VALUES {} ON CONFLICT DO NOTHING \
                 RETURNING tenant_id, measure, territory, month, category, person",
                placeholders(chunk.len(), 6)
            ),
            values,
        )
        .await?;
        let keys: HashMap<(&CellKey, &str), u64> = chunk
            .iter()
            .map(|((c, person), key)| ((c, person.as_str()), *key))
            .collect();
        for row in rows {
            let measure: String = row.try_get_by_index(1)?;
            let cell = CellKey {
                tenant: row.try_get_by_index(0)?,
                measure: ["people", "need", "intervention", "new_case", "housed"]
                    .into_iter()
                    .find(|m| *m == measure)
                    .ok_or_else(|| Error::internal("unknown measure returned"))?,
                territory: row.try_get_by_index(2)?,
                month: row.try_get_by_index(3)?,
                category: row.try_get_by_index(4)?,
            };
            let person: String = row.try_get_by_index(5)?;
            let key = keys
                .get(&(&cell, person.as_str()))
                .copied()
                .ok_or_else(|| Error::internal("unexpected member returned"))?;
            let entry = added.entry(cell).or_insert((0, 0));
            entry.0 += 1;
            entry.1 = sdc::add_record_key(entry.1, key);
        }
    }
    let added: Vec<_> = added.into_iter().collect();
    for chunk in added.chunks(CHUNK) {
        let values: Vec<Value> = chunk
            .iter()
            .flat_map(|(c, (people, key))| {
                [
                    c.tenant.into(),
                    c.measure.into(),
                    c.territory.clone().into(),
                    c.month.clone().into(),
                    c.category.clone().into(),
                    (*people).into(),
                    (*key as i64).into(),
                ]
            })
            .collect();
        exec_across(
            tx,
            &format!(
                "INSERT INTO cells (tenant_id, measure, territory, month, category, people, cell_key) \
                 VALUES {} ON CONFLICT (tenant_id, measure, territory, month, category) DO UPDATE SET \
                 people = cells.people + excluded.people, \
                 cell_key = (cells.cell_key + excluded.cell_key) % 2147483648",
                placeholders(chunk.len(), 7)
            ),
            values,
        )
        .await?;
    }
    Ok(())
}

/// Stores a run of facts: those of people who withdrew are dropped, corrections replace what
/// they correct.
async fn store_run(
    tx: &Tx,
    facts: Vec<Fact>,
    report: &mut IngestReport,
    recount: &mut BTreeSet<(Uuid, String)>,
) -> Result<()> {
    if facts.is_empty() {
        return Ok(());
    }
    let before = facts.len() as u64;
    let facts = drop_withdrawn(tx, facts).await?;
    let facts = supersede(tx, facts, recount).await?;
    report.dropped += before - facts.len() as u64;
    report.ingested += facts.len() as u64;
    store_facts(tx, &facts).await
}

/// `values` as statement values, after `first`.
fn values_of<'a>(first: Vec<Value>, rest: impl IntoIterator<Item = &'a String>) -> Vec<Value> {
    first
        .into_iter()
        .chain(rest.into_iter().map(|v| v.clone().into()))
        .collect()
}

/// Keeps out the facts of people whose latest decision on anonymised statistics is a
/// withdrawal, and of people erased: events delivered late, or sent by a producer that did not
/// know yet.
async fn drop_withdrawn(tx: &Tx, facts: Vec<Fact>) -> Result<Vec<Fact>> {
    let people: Vec<String> = facts
        .iter()
        .map(|f| f.person.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut withdrawn: HashSet<(Uuid, String)> = HashSet::new();
    for chunk in people.chunks(CHUNK) {
        let rows = query_across(
            tx,
            &format!(
                "SELECT tenant_id, person FROM statistics_consent WHERE given = ? AND person IN {}",
                placeholders(1, chunk.len())
            ),
            values_of(vec![false.into()], chunk),
        )
        .await?;
        for row in rows {
            withdrawn.insert((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
        }
        let rows = query_across(
            tx,
            &format!(
                "SELECT tenant_id, person FROM erased_people WHERE person IN {}",
                placeholders(1, chunk.len())
            ),
            values_of(Vec::new(), chunk),
        )
        .await?;
        for row in rows {
            withdrawn.insert((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
        }
    }
    Ok(facts
        .into_iter()
        .filter(|f| !withdrawn.contains(&(f.tenant, f.person.clone())))
        .collect())
}

/// Corrections: of the facts sharing a key, in the batch or stored, only the latest (by event
/// id) is kept. Older stored facts are deleted and their months counted again; batch facts older
/// than a stored one are dropped, so a correction delivered before the fact it corrects still
/// wins.
async fn supersede(
    tx: &Tx,
    facts: Vec<Fact>,
    recount: &mut BTreeSet<(Uuid, String)>,
) -> Result<Vec<Fact>> {
    let mut newest: HashMap<(Uuid, String), Uuid> = HashMap::new();
    for fact in &facts {
        if let Some(key) = &fact.fact_key {
            let entry = newest
                .entry((fact.tenant, key.clone()))
                .or_insert(fact.event);
            *entry = (*entry).max(fact.event);
        }
    }
    if newest.is_empty() {
        return Ok(facts);
    }
    let keys: Vec<String> = newest
        .keys()
        .map(|(_, key)| key.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut stored: Vec<(Uuid, String, Uuid, String)> = Vec::new();
    for chunk in keys.chunks(CHUNK) {
        let rows = query_across(
            tx,
            &format!(
                "SELECT tenant_id, fact_key, event_id, month FROM facts WHERE fact_key IN {}",
                placeholders(1, chunk.len())
            ),
            values_of(Vec::new(), chunk),
        )
        .await?;
        for row in rows {
            stored.push((
                row.try_get_by_index(0)?,
                row.try_get_by_index(1)?,
                row.try_get_by_index(2)?,
                row.try_get_by_index(3)?,
            ));
        }
    }
    for (tenant, key, event, _) in &stored {
        if let Some(latest) = newest.get_mut(&(*tenant, key.clone())) {
            *latest = (*latest).max(*event);
        }
    }
    for (tenant, key, event, month) in stored {
        if newest
            .get(&(tenant, key))
            .is_some_and(|latest| *latest != event)
        {
            exec_across(
                tx,
                "DELETE FROM facts WHERE tenant_id = ? AND event_id = ?",
                vec![tenant.into(), event.into()],
            )
            .await?;
            recount.insert((tenant, month));
        }
    }
    Ok(facts
        .into_iter()
        .filter(|f| match &f.fact_key {
            Some(key) => newest.get(&(f.tenant, key.clone())) == Some(&f.event),
            None => true,
        })
        .collect())
}

/// A person's decision on anonymised statistics; only the latest (by event id) counts. A
/// withdrawal removes the person's facts from the month it was made in onwards (the periods not
/// yet closed) and keeps their later facts out; earlier months stay as counted and published.
/// Consent given again lets the person's later facts in.
async fn apply_consent(
    tx: &Tx,
    notice: &ConsentNotice,
    recount: &mut BTreeSet<(Uuid, String)>,
) -> Result<()> {
    let who = || vec![notice.tenant.into(), notice.person.clone().into()];
    let erased = query_across(
        tx,
        "SELECT person FROM erased_people WHERE tenant_id = ? AND person = ?",
        who(),
    )
    .await?;
    if !erased.is_empty() {
        // A notice delivered after the erasure: nothing of the person is kept, not even this.
        return Ok(());
    }
    let last = query_across(
        tx,
        "SELECT event_id FROM statistics_consent WHERE tenant_id = ? AND person = ?",
        who(),
    )
    .await?;
    if let Some(row) = last.first() {
        let event: Uuid = row.try_get_by_index(0)?;
        if event > notice.event {
            return Ok(());
        }
    }
    let mut values = who();
    values.extend([notice.given.into(), notice.event.into()]);
    exec_across(
        tx,
        "INSERT INTO statistics_consent (tenant_id, person, given, event_id) VALUES (?, ?, ?, ?) \
         ON CONFLICT (tenant_id, person) DO UPDATE SET given = excluded.given, \
         event_id = excluded.event_id",
        values,
    )
    .await?;
    if notice.given {
        return Ok(());
    }
    let mut values = who();
    values.push(notice.month.clone().into());
    let months = query_across(
        tx,
        "SELECT DISTINCT month FROM facts WHERE tenant_id = ? AND person = ? AND month >= ?",
        values.clone(),
    )
    .await?;
    for row in months {
        recount.insert((notice.tenant, row.try_get_by_index(0)?));
    }
    exec_across(
        tx,
        "DELETE FROM facts WHERE tenant_id = ? AND person = ? AND month >= ?",
        values,
    )
    .await?;
    Ok(())
}

/// Forgets an erased person: their facts in every month, their memberships of cells and their
/// decision on anonymised statistics go, and their pseudonym is kept (alone) so that their late
/// facts are dropped. The cells' counts are not recounted: what the shared views published
/// stays as released, since a published month that changes reveals the erasure
/// (docs/privacy.md, "Erasure"). The tenant's own figures, read from the facts, no longer count
/// the person in any month. Deleting what is gone already changes nothing: a redelivered notice
/// (or one of another producer) is harmless.
async fn forget(tx: &Tx, tenant: Uuid, person: &str) -> Result<()> {
    let who = || vec![tenant.into(), person.to_owned().into()];
    exec_across(
        tx,
        "INSERT INTO erased_people (tenant_id, person) VALUES (?, ?) ON CONFLICT DO NOTHING",
        who(),
    )
    .await?;
    for table in ["facts", "cell_members", "statistics_consent"] {
        exec_across(
            tx,
            &format!("DELETE FROM {table} WHERE tenant_id = ? AND person = ?"),
            who(),
        )
        .await?;
    }
    Ok(())
}

/// Counts a tenant's cells of one month again from its facts, after facts left the month.
async fn recount_cells(tx: &Tx, tenant: Uuid, month: &str) -> Result<()> {
    for table in ["cell_members", "cells"] {
        exec_across(
            tx,
            &format!("DELETE FROM {table} WHERE tenant_id = ? AND month = ?"),
            vec![tenant.into(), month.into()],
        )
        .await?;
    }
    let rows = query_across(
        tx,
        "SELECT event_type, person, territory, need, intervention FROM facts \
         WHERE tenant_id = ? AND month = ?",
        vec![tenant.into(), month.into()],
    )
    .await?;
    let mut facts = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get_by_index(0)?;
        let Some(kind) = EventKind::parse(&kind) else {
            continue;
        };
        // Only what the cells need: the rest of the fact is not read.
        facts.push(Fact {
            tenant,
            event: Uuid::nil(),
            kind,
            person: row.try_get_by_index(1)?,
            month: month.to_owned(),
            territory: row.try_get_by_index(2)?,
            age_band: String::new(),
            sex: String::new(),
            country_of_birth: String::new(),
            need: row.try_get_by_index(3)?,
            intervention: row.try_get_by_index(4)?,
            status: None,
            case_key: None,
            fact_key: None,
        });
    }
    add_to_cells(tx, &facts).await
}
