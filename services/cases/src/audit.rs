//! The append-only, hash-chained audit log. Every read of a person's record and every change is
//! appended in the same transaction as the read or change: who, which object, which fields —
//! never the values. Each entry's hash covers the previous entry's hash, so altering, deleting or
//! reordering any entry breaks the chain from that entry on, and [`verify`] names it.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{ActiveModelTrait, DbBackend, EntityTrait, QueryOrder, QuerySelect, Set};
use sha2::{Digest, Sha256};
use sportello_kernel::db::{Db, Scope, Tx};
use sportello_kernel::{Error, Result, TenantId, UserId};
use uuid::Uuid;

use crate::store::{audit_entry, audit_head};

/// The hash before the first entry of a tenant.
const GENESIS: &str = "genesis";

/// What happened to which object.
pub struct Audit<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Uuid,
    pub fields: &'a [&'a str],
}

/// Appends one entry to the tenant's chain within the caller's transaction.
pub async fn append(
    tx: &Tx,
    backend: DbBackend,
    actor: Option<UserId>,
    audit: Audit<'_>,
) -> Result<()> {
    let tenant = tx.tenant()?;
    audit_head::Entity::insert(audit_head::ActiveModel {
        tenant_id: Set(tenant.uuid()),
        seq: Set(0),
        hash: Set(GENESIS.to_owned()),
    })
    .on_conflict_do_nothing_on([audit_head::Column::TenantId])
    .exec(tx.conn())
    .await?;
    let mut head = tx.scoped::<audit_head::Entity>()?;
    if backend == DbBackend::Postgres {
        // Serialises appends of one tenant; SQLite serialises writers anyway.
        head = head.lock_exclusive();
    }
    let head = head
        .one(tx.conn())
        .await?
        .ok_or_else(|| Error::internal("audit head missing"))?;
    let entry = audit_entry::Model {
        tenant_id: tenant.uuid(),
        seq: head.seq + 1,
        // Stored precision is microseconds on every backend: hash what is stored.
        at: Utc::now().trunc_subsecs(6),
        actor: actor.map(|a| a.uuid()),
        action: audit.action.to_owned(),
        object_type: audit.object_type.to_owned(),
        object_id: audit.object_id,
        fields: audit.fields.join(","),
        prev_hash: head.hash.clone(),
        hash: String::new(),
    };
    let hash = entry_hash(&entry);
    let entry = audit_entry::Model {
        hash: hash.clone(),
        ..entry
    };
    let seq = entry.seq;
    audit_entry::ActiveModel::from(entry)
        .insert(tx.conn())
        .await?;
    tx.scoped_update::<audit_head::Entity>()?
        .col_expr(
            audit_head::Column::Seq,
            sea_orm::sea_query::Expr::value(seq),
        )
        .col_expr(
            audit_head::Column::Hash,
            sea_orm::sea_query::Expr::value(hash),
        )
        .exec(tx.conn())
        .await?;
    Ok(())
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
    pub entries: u64,
    pub broken: Vec<BrokenLink>,
}

/// Walks every tenant's chain. Run with a connection that sees every tenant's rows (the owner's,
/// or a role with BYPASSRLS): tenants are discovered from the log itself.
#[allow(
    clippy::disallowed_methods,
    reason = "audited: the verifier discovers the tenants of the log across tenants (owner's connection)"
)]
pub async fn verify(db: &Db) -> Result<Verification> {
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
    let mut prev_hash = GENESIS.to_owned();
    let mut expected_seq = 1;
    for e in entries {
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
    match head {
        Some(h) if h.seq != expected_seq - 1 || h.hash != prev_hash => {
            broken(expected_seq, "entries missing at the end")
        }
        None if !entries.is_empty() => broken(1, "chain head missing"),
        _ => None,
    }
}
