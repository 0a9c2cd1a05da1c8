//! Derives again the name keys (`name_key`, `name_skeleton` and the blocking keys in
//! `person_name_keys`) of persons stored with an older derivation (`name_keys_version` below
//! [`KEYS_VERSION`]), from the names they were stored with, so that the duplicate search
//! selects them as it does new records. A background task of the cases role runs it at
//! start-up; it changes nothing else of the record (neither its version nor its Latin form,
//! which may be the operator's own).

use std::time::Duration;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, QueryFilter, QueryOrder, QuerySelect};
use sportello_kernel::db::{Db, Scope};
use sportello_kernel::{Result, TenantId};
use uuid::Uuid;

use crate::domain::names::{KEYS_VERSION, name_key, stored_skeleton};
use crate::store::{name_keys, person};

/// The scope in which the task finds the tenants with persons to derive again (row-level
/// security grants it reading `persons` across tenants, nothing else).
const REKEY_SCOPE: Scope = Scope::Service("name_rekey");

/// Persons derived again in one transaction.
pub const REKEY_BATCH: u64 = 500;

/// The keys of a stored person, as they are derived today.
pub fn keys(p: &person::Model) -> (String, String) {
    let (original, latin) = p.names();
    (name_key(&latin.full()), stored_skeleton(original, latin))
}

/// The tenants with persons whose keys are of an older derivation.
async fn tenants_to_rekey(db: &Db) -> Result<Vec<Uuid>> {
    let tx = db.begin(REKEY_SCOPE).await?;
    let tenants = tx
        .tenants_with::<person::Entity>(
            Condition::all().add(person::Column::NameKeysVersion.lt(KEYS_VERSION)),
        )
        .await?;
    tx.finish().await?;
    Ok(tenants)
}

/// Derives again one batch of a tenant's persons, in its scope; returns how many it read.
async fn rekey_batch(db: &Db, tenant: TenantId, batch: u64) -> Result<u64> {
    let tx = db.begin(Scope::Tenant(tenant)).await?;
    let stale = person::Column::NameKeysVersion.lt(KEYS_VERSION);
    let rows = tx
        .scoped::<person::Entity>()?
        .filter(stale.clone())
        .order_by_asc(person::Column::Id)
        .limit(batch)
        .all(tx.conn())
        .await?;
    for p in &rows {
        let (key, skeleton) = keys(p);
        // Still stale: a record changed meanwhile already has keys of this derivation.
        let updated = tx
            .scoped_update::<person::Entity>()?
            .col_expr(person::Column::NameKey, Expr::value(key.clone()))
            .col_expr(person::Column::NameSkeleton, Expr::value(skeleton.clone()))
            .col_expr(person::Column::NameKeysVersion, Expr::value(KEYS_VERSION))
            .filter(person::Column::Id.eq(p.id))
            .filter(stale.clone())
            .exec(tx.conn())
            .await?;
        if updated.rows_affected == 1 {
            let derived = person::Model {
                name_key: key,
                name_skeleton: skeleton,
                ..p.clone()
            };
            name_keys::write(&tx, &derived).await?;
        }
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

/// Derives again the keys of every person of an older derivation, tenant by tenant; returns
/// how many.
pub async fn rekey_all(db: &Db, batch: u64) -> Result<u64> {
    let batch = batch.max(1);
    let mut total = 0;
    for tenant in tenants_to_rekey(db).await? {
        loop {
            let n = rekey_batch(db, TenantId(tenant), batch).await?;
            total += n;
            if n < batch {
                break;
            }
        }
    }
    Ok(total)
}

/// Runs [`rekey_all`] until it succeeds, retrying with a growing pause; then ends.
pub async fn run(db: Db) {
    let mut pause = Duration::from_millis(500);
    loop {
        match rekey_all(&db, REKEY_BATCH).await {
            Ok(n) => {
                if n > 0 {
                    tracing::info!(persons = n, "name keys derived again");
                }
                return;
            }
            Err(err) => {
                tracing::warn!(code = err.code.as_str(), "name re-keying failed");
                pause = (pause * 2).min(Duration::from_secs(60));
                tokio::time::sleep(pause).await;
            }
        }
    }
}
