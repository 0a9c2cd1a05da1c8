//! The event bus between a service's transactional outbox and its consumers.
//!
//! Delivery is at least once: a relay publishes committed outbox rows and marks them published
//! only after the bus accepted them, and a consumer acknowledges a message only after handling it,
//! so a crash at any point leads to redelivery, never to loss. Consumers are therefore idempotent
//! by event id.
//!
//! Two transports: in one process the relay hands batches straight to the consumer (a [`Sink`]);
//! across processes, [`RedisStream`] carries them in a Redis Stream read by a consumer group.
//! Acknowledged entries are deleted from the stream, so its length is the backlog.

use std::time::Duration;

use async_trait::async_trait;
use redis::aio::ConnectionManager;
use redis::streams::{StreamAutoClaimReply, StreamId, StreamReadOptions, StreamReadReply};
use redis::{AsyncCommands, Value};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Error, Result};

/// One event as it travels on the bus. The payload is the pseudonymised JSON of the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub event_type: String,
    pub payload: String,
}

/// Where a relay delivers, or what a consumer hands messages to. Must be idempotent by event id:
/// the same envelope may arrive more than once.
#[async_trait]
pub trait Sink: Send + Sync {
    async fn deliver(&self, batch: &[Envelope]) -> Result<()>;
}

/// Backlog figures of a stream and its consumer group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamStats {
    /// Entries in the stream: not yet delivered, or delivered and not yet acknowledged.
    pub length: u64,
    /// Entries delivered to a consumer and not yet acknowledged.
    pub pending: u64,
}

/// A Redis Stream with one consumer group.
#[derive(Clone)]
pub struct RedisStream {
    client: redis::Client,
    conn: ConnectionManager,
    key: String,
    group: String,
}

impl RedisStream {
    /// Connects and makes sure the stream and its consumer group exist.
    pub async fn connect(url: &str, key: &str, group: &str) -> Result<Self> {
        let client = redis::Client::open(url)
            .map_err(|_| Error::on("redis_url", crate::Reason::BadConfiguration))?;
        // Bounded waits: a bus that is down makes calls fail soon (and be retried), never hang.
        let settings = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(2))
            .set_response_timeout(Duration::from_secs(5))
            .set_number_of_retries(2);
        let mut conn = client
            .get_connection_manager_with_config(settings)
            .await
            .map_err(unavailable)?;
        let created: redis::RedisResult<()> = conn.xgroup_create_mkstream(key, group, "0").await;
        if let Err(err) = created
            && err.code() != Some("BUSYGROUP")
        {
            return Err(unavailable(err));
        }
        Ok(Self {
            client,
            conn,
            key: key.to_owned(),
            group: group.to_owned(),
        })
    }

    /// Backlog figures, read on the consumer's own connection.
    async fn stats_on(&self, conn: &mut impl redis::aio::ConnectionLike) -> Result<StreamStats> {
        let length: u64 = redis::cmd("XLEN")
            .arg(&self.key)
            .query_async(conn)
            .await
            .map_err(unavailable)?;
        let pending: Value = redis::cmd("XPENDING")
            .arg(&self.key)
            .arg(&self.group)
            .query_async(conn)
            .await
            .map_err(unavailable)?;
        let pending = match pending {
            Value::Array(items) => match items.first() {
                Some(Value::Int(n)) => u64::try_from(*n).unwrap_or(0),
                _ => 0,
            },
            _ => 0,
        };
        Ok(StreamStats { length, pending })
    }

    /// Reads, hands to `sink` and acknowledges batches forever (until the task is dropped).
    /// First this consumer's own unacknowledged entries (a previous run that stopped between
    /// receiving and acknowledging), then entries left idle by other consumers for longer than
    /// `claim_after`, then new ones. A failing sink leaves its batch pending for a retry.
    pub async fn consume(
        &self,
        consumer: &str,
        sink: &dyn Sink,
        batch: usize,
        claim_after: Duration,
    ) -> Result<()> {
        let mut backoff = Duration::from_millis(100);
        loop {
            // A blocking read holds its connection: it gets its own, made again after a failure
            // (the bus may have restarted).
            let step = async {
                let mut reader = self
                    .client
                    .get_multiplexed_async_connection()
                    .await
                    .map_err(unavailable)?;
                loop {
                    self.consume_step(&mut reader, consumer, sink, batch, claim_after)
                        .await?;
                    let stats = self.stats_on(&mut reader).await?;
                    metrics::gauge!("sportello_bus_stream_length").set(stats.length as f64);
                    metrics::gauge!("sportello_bus_pending").set(stats.pending as f64);
                }
            };
            let err: Error = match step.await {
                Ok(()) => continue,
                Err(err) => err,
            };
            tracing::warn!(code = err.code.as_str(), "event consumer step failed");
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    }

    /// One round: returns how many entries were handled.
    pub async fn consume_step(
        &self,
        reader: &mut redis::aio::MultiplexedConnection,
        consumer: &str,
        sink: &dyn Sink,
        batch: usize,
        claim_after: Duration,
    ) -> Result<usize> {
        // Own pending entries first.
        let own: StreamReadReply = reader
            .xread_options(
                &[&self.key],
                &["0"],
                &StreamReadOptions::default()
                    .group(&self.group, consumer)
                    .count(batch),
            )
            .await
            .map_err(unavailable)?;
        let own = entries(own);
        if !own.is_empty() {
            return self.handle(reader, sink, own).await;
        }
        // Then entries another consumer took and never acknowledged.
        let claimed: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
            .arg(&self.key)
            .arg(&self.group)
            .arg(consumer)
            .arg(u64::try_from(claim_after.as_millis()).unwrap_or(u64::MAX))
            .arg("0-0")
            .arg("COUNT")
            .arg(batch)
            .query_async(reader)
            .await
            .map_err(unavailable)?;
        if !claimed.claimed.is_empty() {
            return self.handle(reader, sink, claimed.claimed).await;
        }
        let fresh: StreamReadReply = reader
            .xread_options(
                &[&self.key],
                &[">"],
                &StreamReadOptions::default()
                    .group(&self.group, consumer)
                    .count(batch)
                    .block(1000),
            )
            .await
            .map_err(unavailable)?;
        let fresh = entries(fresh);
        if fresh.is_empty() {
            return Ok(0);
        }
        self.handle(reader, sink, fresh).await
    }

    async fn handle(
        &self,
        conn: &mut redis::aio::MultiplexedConnection,
        sink: &dyn Sink,
        items: Vec<StreamId>,
    ) -> Result<usize> {
        let ids: Vec<String> = items.iter().map(|s| s.id.clone()).collect();
        // An entry that cannot be read is not ours to keep retrying: it is dropped with a
        // warning (it cannot come from a relay of this version).
        let envelopes: Vec<Envelope> = items.iter().filter_map(decode).collect();
        if envelopes.len() < items.len() {
            tracing::warn!(
                dropped = items.len() - envelopes.len(),
                "unreadable bus entries dropped"
            );
        }
        sink.deliver(&envelopes).await?;
        let _: u64 = conn
            .xack(&self.key, &self.group, &ids)
            .await
            .map_err(unavailable)?;
        let _: u64 = conn.xdel(&self.key, &ids).await.map_err(unavailable)?;
        Ok(ids.len())
    }
}

#[async_trait]
impl Sink for RedisStream {
    /// Appends the batch to the stream in one round trip.
    async fn deliver(&self, batch: &[Envelope]) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut pipe = redis::pipe();
        for e in batch {
            pipe.xadd(
                &self.key,
                "*",
                &[
                    ("id", e.id.to_string()),
                    ("tenant", e.tenant_id.to_string()),
                    ("type", e.event_type.clone()),
                    ("payload", e.payload.clone()),
                ],
            )
            .ignore();
        }
        let mut conn = self.conn.clone();
        pipe.query_async::<()>(&mut conn).await.map_err(unavailable)
    }
}

fn entries(reply: StreamReadReply) -> Vec<StreamId> {
    reply.keys.into_iter().flat_map(|k| k.ids).collect()
}

fn decode(entry: &StreamId) -> Option<Envelope> {
    let text = |field: &str| entry.get::<String>(field);
    Some(Envelope {
        id: text("id")?.parse().ok()?,
        tenant_id: text("tenant")?.parse().ok()?,
        event_type: text("type")?,
        payload: text("payload")?,
    })
}

fn unavailable(err: redis::RedisError) -> Error {
    tracing::warn!(kind = ?err.kind(), "redis error on the event bus");
    Error::unavailable("the event bus is unavailable")
}
