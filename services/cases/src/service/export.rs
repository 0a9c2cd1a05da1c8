//! Subject access: everything this service holds about one person (GDPR art. 15 and 20).
//!
//! The export reads through the same batch reads as the screens ([`CasesService::one`]), so
//! whatever those do to turn stored rows into domain values applies here too, and adds what no
//! screen reads in one go: every case with all its parts, the appointments and the audit trail.

use sportello_kernel::UserId;
use sportello_kernel::db::Page;

use super::reads::Batch;
use super::*;
use crate::seal::Protected;
use crate::store::{audit_entry, audit_pending};

/// The parts of a person's record an export reads, as named in its audit entry.
const EXPORTED_PARTS: [&str; 9] = [
    "consent",
    "cases",
    "encounters",
    "needs",
    "interventions",
    "referrals",
    "plan",
    "appointments",
    "audit",
];

/// Most object ids per statement when reading the audit trail (below every backend's limit of
/// bound parameters).
const AUDIT_IDS_PER_STATEMENT: usize = 500;

impl CasesService {
    pub(super) async fn export_person(&self, ctx: &Context, id: PersonId) -> Result<PersonRecord> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = self.visible_person(&tx, ctx, id.uuid()).await?;
        let cases: Vec<case::Model> = tx
            .scoped::<case::Entity>()?
            .filter(case::Column::PersonId.eq(found.id))
            .order_by_asc(case::Column::Id)
            .all(tx.conn())
            .await?
            .into_iter()
            .filter(|c| ctx.covers_territory(&c.territory_code))
            .collect();
        let household = match found.household_id {
            None => None,
            Some(h) => {
                let h = tx
                    .find::<household::Entity>(household::Column::Id, h)
                    .await?;
                let role = found.household_role.as_deref().unwrap_or("other");
                Some(HouseholdOfPerson {
                    id: HouseholdId(h.id),
                    label: h.label,
                    territory_code: h.territory_code,
                    role: codes::parse_household_role(role)?,
                })
            }
        };

        // The person's rows are opened with their data key, as the screens' reads do.
        let mut keys = self.vault.keys(&tx, &[found.id]).await?;
        let key = keys.remove(&found.id);
        let mut batch = Batch::new();
        for c in &cases {
            batch.cases.insert(c.id, c.clone().open(key.as_ref())?);
        }
        let person_id = found.id;
        batch.persons.insert(person_id, found.open(key.as_ref())?);
        batch.keys.insert(person_id, key);
        let person = match self.one(&tx, &mut batch, &Read::Person(id)).await? {
            Found::Person(p) => *p,
            _ => return Err(Error::internal("unexpected read outcome")),
        };
        let consents = match self.one(&tx, &mut batch, &Read::Consents(id)).await? {
            Found::Consents(c) => c,
            _ => return Err(Error::internal("unexpected read outcome")),
        };
        let mut records = Vec::with_capacity(cases.len());
        for c in &cases {
            records.push(self.case_record(&tx, &mut batch, CaseId(c.id)).await?);
        }
        let appointments = tx
            .scoped::<appointment::Entity>()?
            .filter(appointment::Column::PersonId.eq(person.id.uuid()))
            .order_by_asc(appointment::Column::Id)
            .all(tx.conn())
            .await?
            .into_iter()
            .map(domain::to_appointment)
            .collect::<Result<Vec<_>>>()?;

        let keys = events::keyer(&tx, &self.pseudonyms, ctx).await?;
        let statistics_pseudonym = keys.person(person.id.uuid()).into_string();
        let objects = object_ids(&person, &records, &appointments);
        let audit = self.audit_trail(&tx, &objects).await?;

        let mut parts: Vec<&str> = PERSON_FIELDS.to_vec();
        parts.extend(EXPORTED_PARTS);
        self.audit(&tx, ctx, "exported", "person", person.id.uuid(), &parts)
            .await?;
        tx.commit().await?;
        Ok(PersonRecord {
            person,
            household,
            consents,
            cases: records,
            appointments,
            audit,
            limited_to_territories: ctx.actor.territories.clone(),
            statistics_pseudonym,
        })
    }

    /// A case with every part of it, each list read to its end.
    async fn case_record(&self, tx: &Tx, batch: &mut Batch, id: CaseId) -> Result<CaseRecord> {
        let case = match self.one(tx, batch, &Read::Case(id)).await? {
            Found::Case(c) => c,
            _ => return Err(Error::internal("unexpected read outcome")),
        };
        let of = |after| OfCase {
            case_id: id,
            page: Page {
                first: Page::MAX,
                after,
            },
        };
        let mut encounters = self
            .read_to_end(
                tx,
                batch,
                |a| Read::Encounters(of(a)),
                |f| match f {
                    Found::Encounters(p) => Some(p),
                    _ => None,
                },
            )
            .await?;
        // The timeline reads newest first; the export lists everything oldest first.
        encounters.reverse();
        let needs = self
            .read_to_end(
                tx,
                batch,
                |a| Read::Needs(of(a)),
                |f| match f {
                    Found::Needs(p) => Some(p),
                    _ => None,
                },
            )
            .await?;
        let interventions = self
            .read_to_end(
                tx,
                batch,
                |a| Read::Interventions(of(a)),
                |f| match f {
                    Found::Interventions(p) => Some(p),
                    _ => None,
                },
            )
            .await?;
        let referrals = self
            .read_to_end(
                tx,
                batch,
                |a| Read::Referrals(of(a)),
                |f| match f {
                    Found::Referrals(p) => Some(p),
                    _ => None,
                },
            )
            .await?;
        let Found::Plan(plan) = self.one(tx, batch, &Read::Plan(id)).await? else {
            return Err(Error::internal("unexpected read outcome"));
        };
        Ok(CaseRecord {
            case,
            encounters,
            needs,
            interventions,
            referrals,
            plan,
        })
    }

    /// Every item of one of a case's lists, page after page: `read` asks for the page after a
    /// cursor, `page` takes the page out of the read's outcome.
    async fn read_to_end<T: HasId>(
        &self,
        tx: &Tx,
        batch: &mut Batch,
        read: impl Fn(Option<Uuid>) -> Read,
        page: impl Fn(Found) -> Option<Paged<T>>,
    ) -> Result<Vec<T>> {
        let mut items = Vec::new();
        let mut after = None;
        loop {
            let found = page(self.one(tx, batch, &read(after)).await?)
                .ok_or_else(|| Error::internal("unexpected read outcome"))?;
            after = found.items.last().map(HasId::uuid);
            items.extend(found.items);
            if !found.has_next_page {
                return Ok(items);
            }
        }
    }

    /// The audit entries, sealed and pending, about any of `objects`, oldest first.
    ///
    /// The sealer moves entries from `audit_pending` to `audit_log` while this runs; each
    /// statement sees the committed state of its own start (PostgreSQL, read committed), so the
    /// pending entries are read before the sealed ones: an entry sealed in between is read
    /// twice, never missed, and read once after removing the copy.
    async fn audit_trail(&self, tx: &Tx, objects: &[Uuid]) -> Result<Vec<AuditRecord>> {
        let mut out = Vec::new();
        for chunk in objects.chunks(AUDIT_IDS_PER_STATEMENT) {
            let pending = tx
                .scoped::<audit_pending::Entity>()?
                .filter(audit_pending::Column::ObjectId.is_in(chunk.to_vec()))
                .all(tx.conn())
                .await?;
            out.extend(pending.into_iter().map(|e| AuditRecord {
                at: e.at,
                actor: e.actor.map(UserId),
                action: e.action,
                object_type: e.object_type,
                object_id: e.object_id,
                fields: split_fields(&e.fields),
            }));
        }
        for chunk in objects.chunks(AUDIT_IDS_PER_STATEMENT) {
            let sealed = tx
                .scoped::<audit_entry::Entity>()?
                .filter(audit_entry::Column::ObjectId.is_in(chunk.to_vec()))
                .all(tx.conn())
                .await?;
            out.extend(sealed.into_iter().map(|e| AuditRecord {
                at: e.at,
                actor: e.actor.map(UserId),
                action: e.action,
                object_type: e.object_type,
                object_id: e.object_id,
                fields: split_fields(&e.fields),
            }));
        }
        out.sort_by(|a, b| {
            let key = |e: &AuditRecord| (e.at, e.object_id, e.actor.map(|u| u.uuid()));
            key(a)
                .cmp(&key(b))
                .then_with(|| (&a.action, &a.fields).cmp(&(&b.action, &b.fields)))
        });
        out.dedup();
        Ok(out)
    }
}

/// The ids of the person and of everything recorded about them: the objects their audit
/// entries name.
fn object_ids(person: &Person, cases: &[CaseRecord], appointments: &[Appointment]) -> Vec<Uuid> {
    let mut ids = vec![person.id.uuid()];
    for c in cases {
        ids.push(c.case.id.uuid());
        ids.extend(c.encounters.iter().map(|e| e.id.uuid()));
        ids.extend(c.needs.iter().map(|n| n.id.uuid()));
        ids.extend(c.interventions.iter().map(|i| i.id.uuid()));
        ids.extend(c.referrals.iter().map(|r| r.id.uuid()));
        for goal in &c.plan {
            ids.push(goal.id.uuid());
            ids.extend(goal.steps.iter().map(|s| s.id.uuid()));
        }
    }
    ids.extend(appointments.iter().map(|a| a.id.uuid()));
    ids
}

fn split_fields(fields: &str) -> Vec<String> {
    fields
        .split(',')
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An item of a case's list, by its id (the cursor of the next page).
trait HasId {
    fn uuid(&self) -> Uuid;
}

impl HasId for Encounter {
    fn uuid(&self) -> Uuid {
        self.id.uuid()
    }
}

impl HasId for Need {
    fn uuid(&self) -> Uuid {
        self.id.uuid()
    }
}

impl HasId for Intervention {
    fn uuid(&self) -> Uuid {
        self.id.uuid()
    }
}

impl HasId for Referral {
    fn uuid(&self) -> Uuid {
        self.id.uuid()
    }
}
