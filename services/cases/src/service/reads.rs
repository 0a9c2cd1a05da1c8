//! Reads in batches: everything a screen shows of persons and cases, in one transaction.
//!
//! The gateway gathers the reads one GraphQL request makes of this service (a case, its person,
//! its needs, its latest encounters…) and sends them together. The batch reads each case and
//! each person once, whatever number of its parts are asked for, and writes one audit entry per
//! person whose record was read, naming every part read.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition};
use sea_orm::{EntityTrait, JoinType, RelationDef};

use super::*;
use crate::seal::PersonKey;
use crate::store::person_key;

/// A batch's reads, and what they share: the cases and persons loaded once, and the parts of
/// each person's record read (for the audit).
pub(super) struct Batch {
    pub(super) cases: HashMap<Uuid, case::Model>,
    pub(super) persons: HashMap<Uuid, person::Model>,
    /// The data keys of the persons of the batch's cases and persons (field encryption), loaded
    /// once.
    pub(super) keys: HashMap<Uuid, Option<PersonKey>>,
    /// The parts read of each person's record, in the order first read.
    audited: BTreeMap<Uuid, Vec<&'static str>>,
}

impl Batch {
    pub(super) fn new() -> Self {
        Self {
            cases: HashMap::new(),
            persons: HashMap::new(),
            keys: HashMap::new(),
            audited: BTreeMap::new(),
        }
    }

    /// The case and person ids of a list of a case's parts.
    fn parts_of(&self, of: &OfCase) -> Result<(Uuid, Uuid)> {
        let c = self.case(of.case_id)?;
        Ok((c.id, c.person_id))
    }

    /// A case the actor may see, or `NOT_FOUND`.
    fn case(&self, id: CaseId) -> Result<&case::Model> {
        self.cases.get(&id.uuid()).ok_or_else(Error::not_found)
    }

    /// The key of a person of the batch, if they have one.
    fn key(&self, person: Uuid) -> Option<&PersonKey> {
        self.keys.get(&person).and_then(Option::as_ref)
    }

    /// Rows of a person's record opened with their key.
    fn open<M: Protected>(&self, person: Uuid, rows: Paged<M>) -> Result<Paged<M>> {
        let key = self.key(person);
        rows.try_map(|r| r.open(key))
    }

    /// A person the actor may see, or `NOT_FOUND`.
    fn person(&self, id: Uuid) -> Result<&person::Model> {
        self.persons.get(&id).ok_or_else(Error::not_found)
    }

    /// Notes that `parts` of a person's record were read.
    fn read(&mut self, person: Uuid, parts: &[&'static str]) {
        let read = self.audited.entry(person).or_default();
        for part in parts {
            if !read.contains(part) {
                read.push(part);
            }
        }
    }
}

impl CasesService {
    pub(super) async fn read(&self, ctx: &Context, reads: Vec<Read>) -> Result<Vec<Outcome>> {
        if reads.is_empty() {
            return Ok(Vec::new());
        }
        if reads.len() > MAX_READS {
            return Err(Error::on(
                "reads",
                sportello_kernel::Reason::TooMany {
                    max: MAX_READS as u32,
                },
            ));
        }
        let (_, tx) = self.staff_tx(ctx).await?;
        let mut batch = Batch::new();
        // The cases every read needs, in one statement, with their persons when those are read,
        // and the persons' data keys (field encryption).
        let tenant = tx.tenant()?;
        let case_ids: BTreeSet<Uuid> = reads.iter().filter_map(case_of).collect();
        let with_persons = reads.iter().any(|r| matches!(r, Read::PersonOfCase(_)));
        if !case_ids.is_empty() {
            let cases = tx
                .scoped::<case::Entity>()?
                .filter(case::Column::Id.is_in(case_ids));
            let rows: Vec<(
                case::Model,
                Option<person::Model>,
                Option<person_key::Model>,
            )> = if with_persons {
                cases
                    .join(JoinType::LeftJoin, person_of_case())
                    .select_also(person::Entity)
                    .find_also(person::Entity, person_key::Entity)
                    .all(tx.conn())
                    .await?
            } else {
                let rows = cases
                    .join(JoinType::LeftJoin, key_of_case())
                    .select_also(person_key::Entity)
                    .all(tx.conn())
                    .await?;
                rows.into_iter().map(|(c, k)| (c, None, k)).collect()
            };
            for (c, p, k) in rows {
                if !ctx.covers_territory(&c.territory_code) {
                    continue;
                }
                let key = match &k {
                    Some(k) => Some(self.vault.unwrap(tenant, k).await?),
                    None => None,
                };
                batch.keys.insert(c.person_id, key);
                if let Some(p) = p.filter(|p| ctx.covers_territory(&p.territory_code)) {
                    batch.persons.insert(p.id, p);
                }
                batch.cases.insert(c.id, c);
            }
        }
        // The persons read directly, in one statement.
        let person_ids: BTreeSet<Uuid> = reads
            .iter()
            .filter_map(|r| match r {
                Read::Person(p) | Read::Consents(p) => Some(p.uuid()),
                _ => None,
            })
            .filter(|p| !batch.persons.contains_key(p))
            .collect();
        if !person_ids.is_empty() {
            let rows = tx
                .scoped::<person::Entity>()?
                .filter(person::Column::Id.is_in(person_ids))
                .join(JoinType::LeftJoin, key_of_person())
                .select_also(person_key::Entity)
                .all(tx.conn())
                .await?;
            for (p, k) in rows {
                if !ctx.covers_territory(&p.territory_code) {
                    continue;
                }
                let key = match &k {
                    Some(k) => Some(self.vault.unwrap(tenant, k).await?),
                    None => None,
                };
                batch.keys.insert(p.id, key);
                batch.persons.insert(p.id, p);
            }
        }
        // Everything is opened with the keys read with it.
        for p in batch.persons.values_mut() {
            let opened = p
                .clone()
                .open(batch.keys.get(&p.id).and_then(Option::as_ref))?;
            *p = opened;
        }
        for c in batch.cases.values_mut() {
            let opened = c
                .clone()
                .open(batch.keys.get(&c.person_id).and_then(Option::as_ref))?;
            *c = opened;
        }
        let mut outcomes = Vec::with_capacity(reads.len());
        for read in &reads {
            outcomes.push(self.one(&tx, &mut batch, read).await);
        }
        for (person, parts) in &batch.audited {
            self.audit(&tx, ctx, "read", "person", *person, parts)
                .await?;
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    /// One read, from the batch's cases and persons; a store failure fails the batch (the
    /// transaction is no longer usable), anything else only this read.
    pub(super) async fn one(&self, tx: &Tx, batch: &mut Batch, read: &Read) -> Outcome {
        match read {
            Read::Case(id) => domain::to_case(batch.case(*id)?.clone()).map(Found::Case),
            Read::PersonOfCase(id) => {
                let person = batch.case(*id)?.person_id;
                self.person_found(batch, person)
            }
            Read::Person(id) => self.person_found(batch, id.uuid()),
            Read::Consents(id) => {
                let person = batch.person(id.uuid())?.id;
                let rows = tx
                    .scoped::<consent::Entity>()?
                    .filter(consent::Column::PersonId.eq(person))
                    .order_by_asc(consent::Column::Id)
                    .all(tx.conn())
                    .await?;
                batch.read(person, &["consent"]);
                let consents = rows.into_iter().map(domain::to_consent);
                Ok(Found::Consents(consents.collect::<Result<_>>()?))
            }
            Read::Needs(of) => {
                let (case, person) = batch.parts_of(of)?;
                let select = tx
                    .scoped::<need::Entity>()?
                    .filter(need::Column::CaseId.eq(case));
                let rows = tx.page(select, need::Column::Id, &of.page).await?;
                batch.read(person, &["needs"]);
                Ok(Found::Needs(rows.try_map(domain::to_need)?))
            }
            Read::Encounters(of) => {
                let (case, person) = batch.parts_of(of)?;
                let select = tx
                    .scoped::<encounter::Entity>()?
                    .filter(encounter::Column::CaseId.eq(case));
                let rows = tx
                    .page_newest_first(select, encounter::Column::Id, &of.page)
                    .await?;
                batch.read(person, &["encounters"]);
                let rows = batch.open(person, rows)?;
                Ok(Found::Encounters(rows.try_map(domain::to_encounter)?))
            }
            Read::Interventions(of) => {
                let (case, person) = batch.parts_of(of)?;
                let select = tx
                    .scoped::<intervention::Entity>()?
                    .filter(intervention::Column::CaseId.eq(case));
                let rows = tx.page(select, intervention::Column::Id, &of.page).await?;
                batch.read(person, &["interventions"]);
                Ok(Found::Interventions(rows.try_map(domain::to_intervention)?))
            }
            Read::Referrals(of) => {
                let (case, person) = batch.parts_of(of)?;
                let select = tx
                    .scoped::<referral::Entity>()?
                    .filter(referral::Column::CaseId.eq(case));
                let rows = tx.page(select, referral::Column::Id, &of.page).await?;
                batch.read(person, &["referrals"]);
                let rows = batch.open(person, rows)?;
                Ok(Found::Referrals(rows.try_map(domain::to_referral)?))
            }
            Read::Plan(id) => {
                let c = batch.case(*id)?;
                let (case, person) = (c.id, c.person_id);
                let goals = tx
                    .scoped::<plan_goal::Entity>()?
                    .filter(plan_goal::Column::CaseId.eq(case))
                    .order_by_asc(plan_goal::Column::Id)
                    .all(tx.conn())
                    .await?;
                let ids: Vec<Uuid> = goals.iter().map(|g| g.id).collect();
                let mut steps = tx
                    .scoped::<plan_step::Entity>()?
                    .filter(plan_step::Column::GoalId.is_in(ids))
                    .order_by_asc(plan_step::Column::Id)
                    .all(tx.conn())
                    .await?;
                batch.read(person, &["plan"]);
                let key = batch.key(person);
                let plan = goals.into_iter().map(|g| {
                    let mine = steps
                        .extract_if(.., |s| s.goal_id == g.id)
                        .map(|s| s.open(key))
                        .collect::<Result<Vec<plan_step::Model>>>()?;
                    domain::to_goal(g.open(key)?, mine)
                });
                Ok(Found::Plan(plan.collect::<Result<_>>()?))
            }
        }
    }

    fn person_found(&self, batch: &mut Batch, id: Uuid) -> Outcome {
        let found = batch.person(id)?.clone();
        batch.read(found.id, &PERSON_FIELDS);
        Ok(Found::Person(Box::new(domain::to_person(found)?)))
    }
}

/// A case's person, joined within the case's tenant (on PostgreSQL row-level security limits
/// the join too).
fn person_of_case() -> RelationDef {
    case::Entity::belongs_to(person::Entity)
        .from(case::Column::PersonId)
        .to(person::Column::Id)
        .on_condition(|case, person| {
            Expr::col((person, person::Column::TenantId))
                .equals((case, case::Column::TenantId))
                .into_condition()
        })
        .into()
}

/// A case's person's data key, joined within the case's tenant.
fn key_of_case() -> RelationDef {
    case::Entity::belongs_to(person_key::Entity)
        .from(case::Column::PersonId)
        .to(person_key::Column::Id)
        .on_condition(|case, key| {
            Expr::col((key, person_key::Column::TenantId))
                .equals((case, case::Column::TenantId))
                .into_condition()
        })
        .into()
}

/// A person's data key, joined within the person's tenant.
fn key_of_person() -> RelationDef {
    person::Entity::belongs_to(person_key::Entity)
        .from(person::Column::Id)
        .to(person_key::Column::Id)
        .on_condition(|person, key| {
            Expr::col((key, person_key::Column::TenantId))
                .equals((person, person::Column::TenantId))
                .into_condition()
        })
        .into()
}

/// A person's data key, as the case read joins it after the person (`find_also`).
impl sea_orm::Related<person_key::Entity> for person::Entity {
    fn to() -> RelationDef {
        key_of_person()
    }
}

/// The case a read needs, if any.
fn case_of(read: &Read) -> Option<Uuid> {
    match read {
        Read::Case(id) | Read::PersonOfCase(id) | Read::Plan(id) => Some(id.uuid()),
        Read::Needs(of) | Read::Encounters(of) | Read::Interventions(of) | Read::Referrals(of) => {
            Some(of.case_id.uuid())
        }
        Read::Person(_) | Read::Consents(_) => None,
    }
}
