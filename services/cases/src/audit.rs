//! The append-only, hash-chained audit log. Every read of a person's record and every change is
//! written in the same transaction as the read or change: who, which object, which fields —
//! never the values.
//!
//! A request writes its entries to `audit_pending` without touching the tenant's chain, so reads
//! of one tenant take no common lock. The [`Sealer`] (a background task of the cases role, and
//! [`verify`] before it checks) moves pending entries into `audit_log` in batches, in the order
//! of their time, under the lock of the tenant's head: it gives each a sequence number and a
//! hash covering the previous entry's hash. Altering, deleting or reordering a sealed entry breaks
//! the chain from that entry on, and [`verify`] names it. Entries not yet sealed carry no such
//! evidence: see `docs/privacy.md` ("Audit log") for that window.

use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ColumnTrait, Condition, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use sha2::{Digest, Sha256};
use sportello_kernel::db::{Db, Scope, Tx};
use sportello_kernel::{Context, Error, Result, TenantId};
use uuid::Uuid;

use crate::store::{audit_entry, audit_head, audit_pending};

/// The hash before the first entry of a tenant.
const GENESIS: &str = "genesis";

/// The action of an entry that records a read.
const READ: &str = "read";

/// The scope in which the sealer finds the tenants with pending entries (row-level security
/// grants it reading `audit_pending` across tenants, nothing else).
const SEALER_SCOPE: Scope = Scope::Service("audit_sealer");

/// Entries sealed in one transaction.
pub const SEAL_BATCH: u64 = 500;

/// What happened to which object.
pub struct Audit<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Uuid,
    pub fields: &'a [&'a str],
}

/// A read entry on PostgreSQL. Unless the transaction has written a change entry, it is made
/// asynchronous (`synchronous_commit = off`): a read does not wait for its own WAL flush. The
/// setting in force before is kept in `app.synchronous_commit_before` (by the first read entry
/// only), for a change entry to restore. Arguments are evaluated before the function that takes
/// them, and `CASE` in order, which fixes the order of evaluation. The same read twice in one
/// request is written once.
const PG_READ: &str = "INSERT INTO audit_pending \
     (tenant_id, id, at, actor, action, object_type, object_id, fields) \
     SELECT :tenant, ?, ?, ?, ?, ?, ?, ? \
     WHERE CASE WHEN COALESCE(current_setting('app.audit_change', true), '') = 'on' THEN true \
     ELSE set_config('synchronous_commit', \
     CASE WHEN set_config('app.synchronous_commit_before', \
     COALESCE(NULLIF(current_setting('app.synchronous_commit_before', true), ''), \
     current_setting('synchronous_commit')), true) IS NOT NULL THEN 'off' END, true) = 'off' END \
     ON CONFLICT DO NOTHING";

/// A change entry on PostgreSQL: marks the transaction as a change and gives it back the
/// durable commit in force before any read entry made it asynchronous (a no-op when none did).
/// It reads that setting from `app.synchronous_commit_before`, not from the `pg_settings` view,
/// which builds every setting of the server on each call (about 0.6 ms).
const PG_CHANGE: &str = "INSERT INTO audit_pending \
     (tenant_id, id, at, actor, action, object_type, object_id, fields) \
     SELECT :tenant, ?, ?, ?, ?, ?, ?, ? \
     WHERE set_config('app.audit_change', 'on', true) = 'on' \
     AND set_config('synchronous_commit', \
     COALESCE(NULLIF(current_setting('app.synchronous_commit_before', true), ''), \
     current_setting('synchronous_commit')), true) IS NOT NULL";

/// Writes one entry, to be sealed into the tenant's chain, within the caller's transaction: kept
/// for its commit ([`Tx::defer`]), so that it costs no round trip of its own. Takes no lock:
/// concurrent requests of one tenant do not wait for each other here.
pub async fn append(tx: &Tx, backend: DbBackend, ctx: &Context, audit: Audit<'_>) -> Result<()> {
    let tenant = tx.tenant()?;
    // Stored precision is microseconds on every backend: hash what is stored.
    let at = Utc::now().trunc_subsecs(6);
    let actor = ctx.actor.user_id.map(|a| a.uuid());
    let fields = audit.fields.join(",");
    let read = audit.action == READ;
    let id = if read {
        read_id(tenant, &ctx.request_id, actor, &audit, &fields, &at)
    } else {
        Uuid::now_v7()
    };
    if backend == DbBackend::Postgres {
        let values = vec![
            id.into(),
            at.into(),
            actor.into(),
            audit.action.into(),
            audit.object_type.into(),
            audit.object_id.into(),
            fields.into(),
        ];
        let statement = tx.scoped_statement(if read { PG_READ } else { PG_CHANGE }, values)?;
        tx.defer(statement, read.then_some(id));
        return Ok(());
    }
    // SQLite commits every transaction the same way; there is nothing to relax.
    let statement = audit_pending::Entity::insert(audit_pending::ActiveModel {
        tenant_id: Set(tenant.uuid()),
        id: Set(id),
        at: Set(at),
        actor: Set(actor),
        action: Set(audit.action.to_owned()),
        object_type: Set(audit.object_type.to_owned()),
        object_id: Set(audit.object_id),
        fields: Set(fields),
    })
    .on_conflict_do_nothing_on([audit_pending::Column::TenantId, audit_pending::Column::Id])
    .build(DbBackend::Sqlite);
    tx.defer(statement, read.then_some(id));
    Ok(())
}

/// The id of a read entry: the same actor reading the same fields of the same object in the
/// same request and second gets the same id, and is written once. The second bounds what a
/// client that repeats its request id on purpose can merge.
fn read_id(
    tenant: TenantId,
    request: &str,
    actor: Option<Uuid>,
    audit: &Audit<'_>,
    fields: &str,
    at: &DateTime<Utc>,
) -> Uuid {
    let mut h = Sha256::new();
    for part in [
        &tenant.to_string(),
        request,
        &actor.map(|a| a.to_string()).unwrap_or_default(),
        audit.action,
        audit.object_type,
        &audit.object_id.to_string(),
        fields,
        &at.timestamp().to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// Seals up to `batch` of a tenant's pending entries into its chain, oldest first; returns how
/// many. Two sealers of one tenant take turns on the head's lock.
pub async fn seal(db: &Db, tenant: TenantId, batch: u64) -> Result<usize> {
    let tx = db.begin(Scope::Tenant(tenant)).await?;
    // On SQLite the transaction writes first, so that it takes the write lock before reading:
    // two processes' deferred transactions that both read then write would fail at once
    // (SQLITE_BUSY) instead of waiting (`sportello audit verify` seals beside the server).
    let existing = if db.backend() == DbBackend::Sqlite {
        None
    } else {
        locked_head(&tx, db.backend()).await?
    };
    let head = match existing {
        Some(head) => head,
        None => {
            audit_head::Entity::insert(audit_head::ActiveModel {
                tenant_id: Set(tenant.uuid()),
                seq: Set(0),
                hash: Set(GENESIS.to_owned()),
            })
            .on_conflict_do_nothing_on([audit_head::Column::TenantId])
            .exec(tx.conn())
            .await?;
            locked_head(&tx, db.backend())
                .await?
                .ok_or_else(|| Error::internal("audit head missing"))?
        }
    };
    let pending = tx
        .scoped::<audit_pending::Entity>()?
        .order_by_asc(audit_pending::Column::At)
        .order_by_asc(audit_pending::Column::Id)
        .limit(batch)
        .all(tx.conn())
        .await?;
    if pending.is_empty() {
        tx.finish().await?;
        return Ok(0);
    }
    let mut seq = head.seq;
    let mut prev_hash = head.hash;
    let mut sealed = Vec::with_capacity(pending.len());
    for p in &pending {
        seq += 1;
        let mut entry = audit_entry::Model {
            tenant_id: p.tenant_id,
            seq,
            at: p.at,
            actor: p.actor,
            action: p.action.clone(),
            object_type: p.object_type.clone(),
            object_id: p.object_id,
            fields: p.fields.clone(),
            prev_hash: prev_hash.clone(),
            hash: String::new(),
        };
        entry.hash = entry_hash(&entry);
        prev_hash = entry.hash.clone();
        sealed.push(audit_entry::ActiveModel::from(entry));
    }
    // The chain's new entries, the pending ones removed and the head moved: one statement at
    // commit.
    let backend = db.backend();
    tx.defer(
        audit_entry::Entity::insert_many(sealed).build(backend),
        None,
    );
    tx.defer(
        tx.scoped_delete::<audit_pending::Entity>()?
            .filter(audit_pending::Column::Id.is_in(pending.iter().map(|p| p.id)))
            .build(backend),
        None,
    );
    tx.defer(
        tx.scoped_update::<audit_head::Entity>()?
            .col_expr(
                audit_head::Column::Seq,
                sea_orm::sea_query::Expr::value(seq),
            )
            .col_expr(
                audit_head::Column::Hash,
                sea_orm::sea_query::Expr::value(prev_hash),
            )
            .build(backend),
        None,
    );
    tx.commit().await?;
    Ok(pending.len())
}

/// The tenant's head, locked until the transaction ends (PostgreSQL; SQLite serialises writers
/// anyway): two sealers of one tenant take turns.
async fn locked_head(tx: &Tx, backend: DbBackend) -> Result<Option<audit_head::Model>> {
    let mut head = tx.scoped::<audit_head::Entity>()?;
    if backend == DbBackend::Postgres {
        head = head.lock_exclusive();
    }
    Ok(head.one(tx.conn()).await?)
}

/// The tenants with committed entries waiting for the sealer.
async fn tenants_to_seal(db: &Db) -> Result<Vec<Uuid>> {
    let tx = db.begin(SEALER_SCOPE).await?;
    let tenants = tx
        .tenants_with::<audit_pending::Entity>(Condition::all())
        .await?;
    tx.finish().await?;
    Ok(tenants)
}

/// Chains the pending audit entries of every tenant of one store, run by the process that holds
/// the cases role.
#[derive(Clone)]
pub struct Sealer {
    db: Db,
    batch: u64,
}

impl Sealer {
    pub fn new(db: Db, batch: u64) -> Self {
        Self {
            db,
            batch: batch.max(1),
        }
    }

    /// Seals every entry committed before the call; returns how many it sealed.
    pub async fn seal_all(&self) -> Result<u64> {
        let mut total = 0;
        for tenant in tenants_to_seal(&self.db).await? {
            loop {
                let n = seal(&self.db, TenantId(tenant), self.batch).await?;
                total += n as u64;
                if (n as u64) < self.batch {
                    break;
                }
            }
        }
        Ok(total)
    }

    /// Seals forever, every `idle`; failures are retried with a growing pause. Nothing pending
    /// is lost by a failure: entries stay pending until a pass seals them.
    pub async fn run(self, idle: Duration) {
        let mut pause = idle;
        loop {
            match self.seal_all().await {
                Ok(n) => {
                    metrics::counter!("sportello_audit_sealed_total").increment(n);
                    pause = idle;
                }
                Err(err) => {
                    tracing::warn!(code = err.code.as_str(), "audit sealer pass failed");
                    pause = (pause * 2).min(Duration::from_secs(5));
                }
            }
            tokio::time::sleep(pause).await;
        }
    }
}

fn entry_hash(e: &audit_entry::Model) -> String {
    let mut h = Sha256::new();
    for part in [
        e.prev_hash.as_str(),
        &e.tenant_id.to_string(),
        &e.seq.to_string(),
        &timestamp(&e.at),
        &e.actor.map(|a| a.to_string()).unwrap_or_default(),
        &e.action,
        &e.object_type,
        &e.object_id.to_string(),
        &e.fields,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    format!("{:x}", h.finalize())
}

fn timestamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The first broken link found in a tenant's chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    pub tenant: TenantId,
    /// The sequence number of the first entry that does not fit the chain.
    pub seq: i64,
    pub reason: &'static str,
}

/// What a verification found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verification {
    pub tenants: usize,
    /// Sealed entries checked.
    pub entries: u64,
    /// Pending entries the verification sealed before checking.
    pub sealed_now: u64,
    /// Entries committed while the verification ran, left pending (unchecked).
    pub unsealed: u64,
    pub broken: Vec<BrokenLink>,
}

/// Seals what is pending, then walks every tenant's chain. Run with a connection that sees every
/// tenant's rows (the owner's, or a role with BYPASSRLS): tenants are discovered from the log
/// itself.
#[allow(
    clippy::disallowed_methods,
    reason = "audited: the verifier discovers the tenants of the log across tenants (owner's connection)"
)]
pub async fn verify(db: &Db) -> Result<Verification> {
    let sealed_now = Sealer::new(db.clone(), SEAL_BATCH).seal_all().await?;
    let tx = db.begin(Scope::Global).await?;
    let mut tenants: Vec<Uuid> = audit_head::Entity::find()
        .select_only()
        .column(audit_head::Column::TenantId)
        .into_tuple()
        .all(tx.conn())
        .await?;
    let logged: Vec<Uuid> = audit_entry::Entity::find()
        .select_only()
        .column(audit_entry::Column::TenantId)
        .distinct()
        .into_tuple()
        .all(tx.conn())
        .await?;
    for t in logged {
        if !tenants.contains(&t) {
            tenants.push(t);
        }
    }
    tx.finish().await?;
    let mut out = Verification {
        tenants: tenants.len(),
        sealed_now,
        ..Verification::default()
    };
    for tenant in tenants {
        let tx = db.begin(Scope::Tenant(TenantId(tenant))).await?;
        let entries = tx
            .scoped::<audit_entry::Entity>()?
            .order_by_asc(audit_entry::Column::Seq)
            .all(tx.conn())
            .await?;
        let head = tx.scoped::<audit_head::Entity>()?.one(tx.conn()).await?;
        out.unsealed += tx
            .scoped::<audit_pending::Entity>()?
            .count(tx.conn())
            .await?;
        tx.finish().await?;
        out.entries += entries.len() as u64;
        if let Some(broken) = check_chain(TenantId(tenant), &entries, head.as_ref()) {
            out.broken.push(broken);
        }
    }
    Ok(out)
}

fn check_chain(
    tenant: TenantId,
    entries: &[audit_entry::Model],
    head: Option<&audit_head::Model>,
) -> Option<BrokenLink> {
    let broken = |seq, reason| {
        Some(BrokenLink {
            tenant,
            seq,
            reason,
        })
    };
    let Some(head) = head else {
        return match entries.first() {
            Some(first) => broken(first.seq, "chain head missing"),
            None => None,
        };
    };
    let mut prev_hash = GENESIS.to_owned();
    let mut expected_seq = 1;
    for e in entries {
        // Entries are sealed only by moving the head: one beyond it was put there by hand.
        if e.seq > head.seq {
            return broken(e.seq, "inserted after the chain's head");
        }
        if e.seq != expected_seq {
            return broken(expected_seq, "entry missing");
        }
        if e.prev_hash != prev_hash {
            return broken(e.seq, "does not follow the previous entry");
        }
        if entry_hash(e) != e.hash {
            return broken(e.seq, "altered");
        }
        prev_hash = e.hash.clone();
        expected_seq += 1;
    }
    if head.seq != expected_seq - 1 || head.hash != prev_hash {
        return broken(expected_seq, "entries missing at the end");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(tenant: TenantId, n: i64) -> (Vec<audit_entry::Model>, audit_head::Model) {
        let mut prev_hash = GENESIS.to_owned();
        let mut entries = Vec::new();
        for seq in 1..=n {
            let mut e = audit_entry::Model {
                tenant_id: tenant.uuid(),
                seq,
                at: Utc::now().trunc_subsecs(6),
                actor: Some(Uuid::now_v7()),
                action: READ.to_owned(),
                object_type: "person".to_owned(),
                object_id: Uuid::now_v7(),
                fields: "names".to_owned(),
                prev_hash: prev_hash.clone(),
                hash: String::new(),
            };
            e.hash = entry_hash(&e);
            prev_hash = e.hash.clone();
            entries.push(e);
        }
        let head = audit_head::Model {
            tenant_id: tenant.uuid(),
            seq: n,
            hash: prev_hash,
        };
        (entries, head)
    }

    fn reason(
        tenant: TenantId,
        entries: &[audit_entry::Model],
        head: &audit_head::Model,
    ) -> Option<(i64, &'static str)> {
        check_chain(tenant, entries, Some(head)).map(|b| (b.seq, b.reason))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let tenant = TenantId(Uuid::now_v7());
        let (entries, head) = chain(tenant, 4);
        assert_eq!(reason(tenant, &entries, &head), None);
    }

    #[test]
    fn an_altered_entry_is_named() {
        let tenant = TenantId(Uuid::now_v7());
        let (mut entries, head) = chain(tenant, 4);
        entries[2].fields = "names,phone".to_owned();
        assert_eq!(reason(tenant, &entries, &head), Some((3, "altered")));
    }

    #[test]
    fn a_deleted_entry_is_named() {
        let tenant = TenantId(Uuid::now_v7());
        let (mut entries, head) = chain(tenant, 4);
        entries.remove(1);
        assert_eq!(reason(tenant, &entries, &head), Some((2, "entry missing")));
        let (mut entries, head) = chain(tenant, 4);
        entries.pop();
        assert_eq!(
            reason(tenant, &entries, &head),
            Some((4, "entries missing at the end"))
        );
    }

    #[test]
    fn an_entry_inserted_past_the_head_is_named_even_with_a_valid_hash() {
        let tenant = TenantId(Uuid::now_v7());
        let (mut entries, head) = chain(tenant, 4);
        let (longer, _) = chain(tenant, 1);
        let mut forged = longer[0].clone();
        forged.seq = 5;
        forged.prev_hash = head.hash.clone();
        forged.hash = entry_hash(&forged);
        entries.push(forged);
        assert_eq!(
            reason(tenant, &entries, &head),
            Some((5, "inserted after the chain's head"))
        );
    }

    #[test]
    fn a_chain_whose_head_is_gone_is_named() {
        let tenant = TenantId(Uuid::now_v7());
        let (entries, _) = chain(tenant, 2);
        let broken = check_chain(tenant, &entries, None).map(|b| b.reason);
        assert_eq!(broken, Some("chain head missing"));
        assert_eq!(check_chain(tenant, &[], None), None);
    }

    #[test]
    fn the_same_read_in_one_request_and_second_has_one_id_and_another_request_another() {
        let tenant = TenantId(Uuid::now_v7());
        let actor = Some(Uuid::now_v7());
        let audit = Audit {
            action: READ,
            object_type: "person",
            object_id: Uuid::now_v7(),
            fields: &["names"],
        };
        let at = Utc::now();
        let first = read_id(tenant, "req-1", actor, &audit, "names", &at);
        assert_eq!(first, read_id(tenant, "req-1", actor, &audit, "names", &at));
        assert_ne!(first, read_id(tenant, "req-2", actor, &audit, "names", &at));
        assert_ne!(
            first,
            read_id(tenant, "req-1", actor, &audit, "consent", &at)
        );
        let later = at + chrono::Duration::seconds(1);
        assert_ne!(
            first,
            read_id(tenant, "req-1", actor, &audit, "names", &later)
        );
        let other = TenantId(Uuid::now_v7());
        assert_ne!(first, read_id(other, "req-1", actor, &audit, "names", &at));
    }
}
