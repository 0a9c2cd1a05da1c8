//! The transactional outbox any service's store can host, and the relay that publishes it.
//!
//! A producer writes its [`Record`]s with [`emit`] in the transaction of the change they
//! describe, into the `outbox` table of its own store (its own schema on PostgreSQL; the table is
//! created by [`migration`] or an equivalent migration of the service). The [`Relay`], run by the
//! process that holds the service's role, publishes committed rows to the bus oldest first and
//! marks them published only once the bus has accepted them. A crash in between publishes them
//! again on the next pass (at least once); consumers deduplicate by event id.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set,
};
use uuid::Uuid;

use crate::bus::{Envelope, Sink};
use crate::db::{Db, Scope, SqlMigration, Tx};
use crate::events::{Event, Pseudonym, Record, Subject};
use crate::{Error, Result};

/// The outbox table.
pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// [`crate::events::EventKind::as_str`] of the payload's event.
        pub event_type: String,
        /// The [`crate::events::Record`] as JSON.
        pub payload: String,
        pub created_at: DateTimeUtc,
        pub published_at: Option<DateTimeUtc>,
    }

    crate::tenant_owned!();
}

/// The migration that creates the outbox in a store that has none yet: the table, row-level
/// security (each tenant its own rows; the relay's scope across tenants) and the index of
/// unpublished rows.
pub fn migration(name: &'static str) -> SqlMigration {
    SqlMigration {
        name,
        sqlite: include_str!("../../../migrations/kernel/sqlite/outbox.sql"),
        postgres: include_str!("../../../migrations/kernel/postgres/outbox.sql"),
    }
}

/// Writes one event to the outbox of the transaction's store, in the transaction's tenant, when
/// the transaction commits ([`Tx::defer`]). Returns the event id.
pub async fn emit(
    tx: &Tx,
    producer: &str,
    occurred_on: NaiveDate,
    subject: Subject,
    event: Event,
) -> Result<Uuid> {
    emit_fact(tx, producer, occurred_on, None, subject, event).await
}

/// Like [`emit`], for a fact whose date can be corrected: `fact` is its key
/// ([`Record::fact`]); emitting again with the same key corrects it.
pub async fn emit_fact(
    tx: &Tx,
    producer: &str,
    occurred_on: NaiveDate,
    fact: Option<Pseudonym>,
    subject: Subject,
    event: Event,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let kind = event.kind();
    let record = Record {
        event_id: id,
        producer: Some(producer.to_owned()),
        occurred_on,
        fact,
        subject,
        event,
    };
    let row = entity::ActiveModel {
        tenant_id: Set(tx.tenant()?.uuid()),
        id: Set(id),
        event_type: Set(kind.as_str().to_owned()),
        payload: Set(record.to_payload()?),
        created_at: Set(Utc::now()),
        published_at: Set(None),
    };
    tx.defer(entity::Entity::insert(row).build(tx.backend()), Some(id));
    Ok(id)
}

/// The scope the relay's transactions run in; only the outbox grants it (row-level security).
const SCOPE: Scope = Scope::Service("relay");

/// Publishes one store's outbox to the bus.
#[derive(Clone)]
pub struct Relay {
    db: Db,
    sink: Arc<dyn Sink>,
    batch: u64,
    retention: chrono::Duration,
    clock: crate::Clock,
}

impl Relay {
    /// `retention`: how long published events stay in the outbox (for inspection and
    /// republishing) before they are deleted.
    pub fn new(db: Db, sink: Arc<dyn Sink>, batch: u64, retention: Duration) -> Self {
        Self {
            db,
            sink,
            batch,
            retention: chrono::Duration::from_std(retention)
                .unwrap_or_else(|_| chrono::Duration::days(7)),
            clock: crate::Clock::system(),
        }
    }

    /// The installation's clock, which stamps publications and ages them (tests move it).
    pub fn with_clock(mut self, clock: crate::Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The installation's longest retention of published events.
    pub fn retention(&self) -> chrono::Duration {
        self.retention
    }

    /// The installation's clock, read now.
    pub fn now(&self) -> chrono::DateTime<Utc> {
        self.clock.now()
    }

    /// The tenants with published events still in the outbox, for the retention job.
    #[allow(clippy::disallowed_methods)] // Audited: the relay works across tenants (service scope).
    pub async fn tenants_with_published(&self) -> Result<Vec<crate::TenantId>> {
        let tx = self.db.begin(SCOPE).await?;
        let tenants: Vec<uuid::Uuid> = entity::Entity::find()
            .select_only()
            .column(entity::Column::TenantId)
            .distinct()
            .filter(entity::Column::PublishedAt.is_not_null())
            .into_tuple()
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        Ok(tenants.into_iter().map(crate::TenantId).collect())
    }

    /// Deletes the tenant's events published before `before`; returns how many. The retention
    /// job applies each tenant's schedule with it.
    #[allow(clippy::disallowed_methods)] // Audited: the relay works across tenants (service scope).
    pub async fn prune_tenant(
        &self,
        tenant: crate::TenantId,
        before: chrono::DateTime<Utc>,
    ) -> Result<u64> {
        let tx = self.db.begin(SCOPE).await?;
        let done = entity::Entity::delete_many()
            .filter(entity::Column::TenantId.eq(tenant.uuid()))
            .filter(entity::Column::PublishedAt.lt(before))
            .exec(tx.conn())
            .await?
            .rows_affected;
        tx.commit().await?;
        Ok(done)
    }

    /// Deletes events published longer ago than the retention; returns how many.
    #[allow(clippy::disallowed_methods)] // Audited: the relay works across tenants (service scope).
    pub async fn prune(&self) -> Result<u64> {
        let tx = self.db.begin(SCOPE).await?;
        let done = entity::Entity::delete_many()
            .filter(entity::Column::PublishedAt.lt(self.clock.now() - self.retention))
            .exec(tx.conn())
            .await?
            .rows_affected;
        tx.commit().await?;
        Ok(done)
    }

    /// Publishes up to one batch of unpublished events; returns how many were published.
    #[allow(clippy::disallowed_methods)] // Audited: the relay works across tenants (service scope).
    pub async fn publish_once(&self) -> Result<usize> {
        let tx = self.db.begin(SCOPE).await?;
        let mut query = entity::Entity::find()
            .filter(entity::Column::PublishedAt.is_null())
            .order_by_asc(entity::Column::Id)
            .limit(self.batch);
        if self.db.backend() == DbBackend::Postgres {
            // Two relays (two processes) never publish the same rows at the same time.
            query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = query.all(tx.conn()).await?;
        if rows.is_empty() {
            tx.finish().await?;
            return Ok(0);
        }
        let batch: Vec<Envelope> = rows
            .iter()
            .map(|r| Envelope {
                id: r.id,
                tenant_id: r.tenant_id,
                event_type: r.event_type.clone(),
                payload: r.payload.clone(),
            })
            .collect();
        // A bus that does not answer must not hold the rows' locks for long.
        tokio::time::timeout(Duration::from_secs(10), self.sink.deliver(&batch))
            .await
            .map_err(|_| Error::unavailable("the event bus did not answer"))??;
        entity::Entity::update_many()
            .col_expr(entity::Column::PublishedAt, Expr::value(self.clock.now()))
            .filter(entity::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .exec(tx.conn())
            .await?;
        tx.commit().await?;
        metrics::counter!("sportello_outbox_published_total").increment(rows.len() as u64);
        Ok(rows.len())
    }

    /// Events committed and not yet published, and the age of the oldest of them (the lag).
    #[allow(
        clippy::disallowed_methods,
        reason = "audited: the relay's metrics count every tenant's backlog (service scope)"
    )]
    pub async fn backlog(&self) -> Result<(u64, Duration)> {
        let tx = self.db.begin(SCOPE).await?;
        let n = entity::Entity::find()
            .filter(entity::Column::PublishedAt.is_null())
            .count(tx.conn())
            .await?;
        let oldest = entity::Entity::find()
            .filter(entity::Column::PublishedAt.is_null())
            .order_by_asc(entity::Column::Id)
            .one(tx.conn())
            .await?;
        tx.commit().await?;
        let lag = oldest
            .and_then(|o| (Utc::now() - o.created_at).to_std().ok())
            .unwrap_or_default();
        Ok((n, lag))
    }

    /// Publishes forever: back to back while there is a backlog, otherwise every `idle`.
    /// Failures (bus or database down) are retried with a growing pause; nothing is lost.
    pub async fn run(self, idle: Duration) {
        let mut pause = idle;
        // Pruning runs every minute, or more often when the retention is shorter.
        let every = self
            .retention
            .to_std()
            .unwrap_or_default()
            .min(Duration::from_secs(60));
        let mut pruned_at: Option<std::time::Instant> = None;
        loop {
            if pruned_at.is_none_or(|at| at.elapsed() >= every) {
                pruned_at = Some(std::time::Instant::now());
                if let Err(err) = self.prune().await {
                    tracing::warn!(code = err.code.as_str(), "outbox pruning failed");
                }
            }
            match self.publish_once().await {
                Ok(n) if n as u64 == self.batch => {
                    pause = idle;
                    continue;
                }
                Ok(_) => pause = idle,
                Err(err) => {
                    tracing::warn!(code = err.code.as_str(), "outbox relay pass failed");
                    pause = (pause * 2).min(Duration::from_secs(5));
                }
            }
            if let Ok((n, lag)) = self.backlog().await {
                metrics::gauge!("sportello_outbox_backlog").set(n as f64);
                metrics::gauge!("sportello_outbox_lag_seconds").set(lag.as_secs_f64());
            }
            tokio::time::sleep(pause).await;
        }
    }
}
