//! Erasure of a person (GDPR art. 17): every row about them in this store, in one transaction,
//! and the notice that tells analytics to forget their pseudonym.

use chrono::DateTime;
use sportello_kernel::events::{Pseudonym, Record};

use super::*;

/// What erasing removes, table by table, in an order the foreign keys accept: each statement
/// names the tenant of the transaction's scope (`:tenant`) and takes the person's id (`?`) as
/// many times as it has `?`. A new table that holds anything about a person, directly or through
/// a case, gets its line here (the e2e test `erasure::*` scans every table of the store for the
/// values it planted, so a table left out fails it).
const ERASE: [(&str, &str); 16] = [
    (
        "plan_steps",
        "DELETE FROM plan_steps WHERE tenant_id = :tenant AND goal_id IN \
         (SELECT id FROM plan_goals WHERE tenant_id = :tenant AND case_id IN \
         (SELECT id FROM cases WHERE tenant_id = :tenant AND person_id = ?))",
    ),
    (
        "plan_goals",
        "DELETE FROM plan_goals WHERE tenant_id = :tenant AND case_id IN \
         (SELECT id FROM cases WHERE tenant_id = :tenant AND person_id = ?)",
    ),
    (
        "referrals",
        "DELETE FROM referrals WHERE tenant_id = :tenant AND case_id IN \
         (SELECT id FROM cases WHERE tenant_id = :tenant AND person_id = ?)",
    ),
    (
        "interventions",
        "DELETE FROM interventions WHERE tenant_id = :tenant AND case_id IN \
         (SELECT id FROM cases WHERE tenant_id = :tenant AND person_id = ?)",
    ),
    (
        "needs",
        "DELETE FROM needs WHERE tenant_id = :tenant AND case_id IN \
         (SELECT id FROM cases WHERE tenant_id = :tenant AND person_id = ?)",
    ),
    (
        "encounters",
        "DELETE FROM encounters WHERE tenant_id = :tenant AND case_id IN \
         (SELECT id FROM cases WHERE tenant_id = :tenant AND person_id = ?)",
    ),
    // The person's appointments, and any booked in one of their cases.
    (
        "appointments",
        "DELETE FROM appointments WHERE tenant_id = :tenant AND (person_id = ? OR case_id IN \
         (SELECT id FROM cases WHERE tenant_id = :tenant AND person_id = ?))",
    ),
    // The person's procedures, and any linked to one of their cases.
    (
        "procedures",
        "DELETE FROM procedures WHERE tenant_id = :tenant AND (person_id = ? OR case_id IN \
         (SELECT id FROM cases WHERE tenant_id = :tenant AND person_id = ?))",
    ),
    // Legal consultations about one of their cases, with their questions and answers (the
    // knowledge base keeps only what advisors rewrote without personal data).
    (
        "legal_messages",
        "DELETE FROM legal_messages WHERE tenant_id = :tenant AND consultation_id IN \
         (SELECT id FROM legal_consultations WHERE tenant_id = :tenant AND case_id IN \
         (SELECT id FROM cases WHERE tenant_id = :tenant AND person_id = ?))",
    ),
    (
        "legal_consultations",
        "DELETE FROM legal_consultations WHERE tenant_id = :tenant AND case_id IN \
         (SELECT id FROM cases WHERE tenant_id = :tenant AND person_id = ?)",
    ),
    (
        "cases",
        "DELETE FROM cases WHERE tenant_id = :tenant AND person_id = ?",
    ),
    (
        "consents",
        "DELETE FROM consents WHERE tenant_id = :tenant AND person_id = ?",
    ),
    // The duplicate search's blocking keys (they also go by cascade; said here so that no
    // name-key table is forgotten).
    (
        "person_name_keys",
        "DELETE FROM person_name_keys WHERE tenant_id = :tenant AND person_id = ?",
    ),
    // The person's wrapped data key (crypto-shredding): every value sealed under it, in this
    // store and in any copy of it (backups included), can no longer be read.
    (
        "person_keys",
        "DELETE FROM person_keys WHERE tenant_id = :tenant AND id = ?",
    ),
    (
        "persons",
        "DELETE FROM persons WHERE tenant_id = :tenant AND id = ?",
    ),
    // A household left without members goes too: its label may name the family. One that
    // still has members stays, as the other members' household.
    (
        "households",
        "DELETE FROM households WHERE tenant_id = :tenant AND id = ? AND NOT EXISTS \
         (SELECT 1 FROM persons WHERE persons.tenant_id = households.tenant_id \
         AND persons.household_id = households.id)",
    ),
];

impl CasesService {
    pub(super) async fn erase_person(&self, ctx: &Context, req: ErasePerson) -> Result<Erasure> {
        // Input first: a refused request reads nothing and changes nothing.
        let ground = ErasureGround::parse(&req.ground)?;
        match req.confirmation {
            Some(confirmed) if confirmed == req.person_id => {}
            Some(_) => {
                return Err(Error::on(
                    "confirmation",
                    sportello_kernel::Reason::ConfirmationMismatch,
                ));
            }
            None => {
                return Err(
                    Error::on("confirmation", sportello_kernel::Reason::Required).saying(
                        "erasure cannot be undone: confirm it by repeating the person's id",
                    ),
                );
            }
        }
        let (_, tx) = self.staff_tx(ctx).await?;
        // Locked until the commit: a concurrent change of the person waits, then finds nothing.
        let person = tx
            .find_for_update::<person::Entity>(person::Column::Id, req.person_id.uuid())
            .await?;
        if !ctx.covers_territory(&person.territory_code) {
            return Err(Error::not_found());
        }
        self.erase_locked(tx, ctx, &person, ground).await?;
        self.checkpoint_after_erasure().await;
        Ok(Erasure {
            person_id: req.person_id,
            ground,
        })
    }

    pub(super) async fn erase_expired(
        &self,
        ctx: &Context,
        req: ExpireClosed,
    ) -> Result<ExpiredErasure> {
        ctx.require_internal()?;
        let mut erased = 0;
        loop {
            let tx = self.staff_tx(ctx).await?.1;
            let due = due_people(&tx, req.before, None).await?;
            tx.finish().await?;
            let mut this_batch = 0;
            for id in &due {
                let (_, tx) = self.staff_tx(ctx).await?;
                // Locked, then asked again: a case opened or an appointment booked since the
                // batch was read keeps the person.
                let person = match tx
                    .find_for_update::<person::Entity>(person::Column::Id, *id)
                    .await
                {
                    Ok(person) => person,
                    Err(e) if e.code == ErrorCode::NotFound => continue,
                    Err(e) => return Err(e),
                };
                if due_people(&tx, req.before, Some(person.id))
                    .await?
                    .is_empty()
                {
                    tx.finish().await?;
                    continue;
                }
                self.erase_locked(tx, ctx, &person, ErasureGround::NoLongerNecessary)
                    .await?;
                this_batch += 1;
            }
            erased += this_batch;
            if this_batch > 0 {
                self.checkpoint_after_erasure().await;
            }
            if (due.len() as u64) < EXPIRE_BATCH || this_batch == 0 {
                break;
            }
        }
        Ok(ExpiredErasure { erased })
    }

    /// Erases `person`, locked in `tx`, and commits: every row about them ([`ERASE`]), the
    /// events about them still in the outbox, one audit entry (`erased`, the ground's code, the
    /// actor's user or none for the retention job), and the `person_erased` notice. The one
    /// path of `erase_person` and `erase_expired`.
    async fn erase_locked(
        &self,
        tx: Tx,
        ctx: &Context,
        person: &person::Model,
        ground: ErasureGround,
    ) -> Result<()> {
        let pseudonym = events::pseudonym_of(&tx, &self.pseudonyms, ctx, person.id).await?;
        let removed = erase_rows(&tx, person).await?;
        let events = drop_pending_events(&tx, &pseudonym).await?;
        self.audit(
            &tx,
            ctx,
            "erased",
            "person",
            person.id,
            &[&format!("ground:art17_1_{}", ground.letter())],
        )
        .await?;
        events::emit_person_erased(&tx, &self.pseudonyms, ctx, pseudonym).await?;
        tx.commit().await?;
        tracing::info!(
            tenant = %ctx.tenant()?,
            rows = removed,
            events,
            ground = ground.as_str(),
            "person erased"
        );
        Ok(())
    }

    /// The write-ahead log still holds the pages as they were before an erasure.
    async fn checkpoint_after_erasure(&self) {
        match self.db.checkpoint().await {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!("checkpoint after erasure incomplete; the next one ends it")
            }
            Err(e) => tracing::warn!(code = ?e.code, "checkpoint after erasure failed"),
        }
    }
}

/// The scope in which the retention job finds the tenants with closed cases (row-level security
/// grants it reading `cases` across tenants, nothing else).
const RETENTION_SCOPE: Scope = Scope::Service("closed_case_retention");

impl CasesService {
    /// The tenants with at least one closed case: those the retention job of closed cases
    /// visits.
    pub async fn tenants_with_closed_cases(&self) -> Result<Vec<TenantId>> {
        let tx = self.db.begin(RETENTION_SCOPE).await?;
        let closed = codes::status(CaseStatus::Closed);
        let tenants = tx
            .tenants_with::<case::Entity>(
                sea_orm::Condition::all().add(case::Column::Status.eq(closed)),
            )
            .await?;
        tx.finish().await?;
        Ok(tenants.into_iter().map(TenantId).collect())
    }
}

/// People read per batch by [`CasesService::erase_expired`].
pub const EXPIRE_BATCH: u64 = 100;

/// The people of the transaction's tenant due for erasure at `before` (at most
/// [`EXPIRE_BATCH`]; only `only` when given): at least one case, every case closed, the latest
/// closed before `before`, no appointment starting at or after it.
async fn due_people(tx: &Tx, before: DateTime<Utc>, only: Option<Uuid>) -> Result<Vec<Uuid>> {
    let mut sql = String::from(
        "SELECT DISTINCT c.person_id FROM cases c WHERE c.tenant_id = :tenant \
         AND c.status = 'closed' AND c.closed_at < ? \
         AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.tenant_id = :tenant \
         AND o.person_id = c.person_id \
         AND (o.status <> 'closed' OR o.closed_at IS NULL OR o.closed_at >= ?)) \
         AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.tenant_id = :tenant \
         AND a.person_id = c.person_id AND a.starts_at >= ?)",
    );
    let mut values = vec![before.into(), before.into(), before.into()];
    if let Some(person) = only {
        sql.push_str(" AND c.person_id = ?");
        values.push(person.into());
    }
    sql.push_str(&format!(" ORDER BY c.person_id LIMIT {EXPIRE_BATCH}"));
    let rows = tx.query_scoped(&sql, values).await?;
    rows.iter()
        .map(|r| Ok(r.try_get_by_index::<Uuid>(0)?))
        .collect()
}

/// Deletes every row about `person` in this store, table by table ([`ERASE`]); returns how many.
async fn erase_rows(tx: &Tx, person: &person::Model) -> Result<u64> {
    let mut removed = 0;
    for (table, sql) in ERASE {
        let id = if table == "households" {
            match person.household_id {
                Some(household) => household,
                None => continue,
            }
        } else {
            person.id
        };
        let values = vec![id.into(); sql.matches('?').count()];
        removed += tx.execute_scoped(sql, values).await?;
    }
    Ok(removed)
}

/// Deletes the events about the person still in the outbox, published or not: those not yet
/// published would be counted after the erasure, the others are kept only for republishing.
/// Returns how many. The pattern pre-selects payloads naming the pseudonym (`_` and `-` occur
/// in pseudonyms; `_` is escaped); each is then read to be sure the pseudonym is its subject.
async fn drop_pending_events(tx: &Tx, pseudonym: &Pseudonym) -> Result<u64> {
    let pattern = format!(
        "%\"person\":\"{}\"%",
        pseudonym
            .as_str()
            .replace('\\', "\\\\")
            .replace('_', "\\_")
            .replace('%', "\\%")
    );
    let rows = tx
        .query_scoped(
            "SELECT id, payload FROM outbox WHERE tenant_id = :tenant AND payload LIKE ? ESCAPE '\\'",
            vec![pattern.into()],
        )
        .await?;
    let mut dropped = 0;
    for row in rows {
        let id: Uuid = row.try_get_by_index(0)?;
        let payload: String = row.try_get_by_index(1)?;
        let about = Record::from_payload(&payload).is_some_and(|r| r.subject.person == *pseudonym);
        if about {
            dropped += tx
                .execute_scoped(
                    "DELETE FROM outbox WHERE tenant_id = :tenant AND id = ?",
                    vec![id.into()],
                )
                .await?;
        }
    }
    Ok(dropped)
}
