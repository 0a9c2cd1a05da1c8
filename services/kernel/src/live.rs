//! Live notices: "something you may see has changed", from a service to the gateways that hold
//! subscriptions (GraphQL over WebSocket). A notice names a tenant, a topic, an object and a
//! change, never a value: the gateway reads the object again with the subscriber's own context,
//! so the same role, tenant and territory checks as a query apply to what a subscriber receives.
//!
//! In one process with no Redis, notices go through a broadcast channel. With Redis they are
//! published on the channel `<prefix>live` (Redis pub/sub: at most once, to the processes
//! listening at that moment), and every process forwards what it hears to its own subscribers,
//! so a service and a gateway in different processes meet there.

use std::time::Duration;

use futures::StreamExt;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::{Result, TenantId};

/// How many notices a slow subscriber may fall behind before it misses some.
const BACKLOG: usize = 1024;

/// What a notice is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Topic {
    MediationRequest,
    LegalConsultation,
}

/// One change, without any of its values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub tenant: TenantId,
    pub topic: Topic,
    /// The object's id.
    pub id: Uuid,
    /// What happened, in the topic's words (`CREATED`, `CONFIRMED`, `ANSWERED`…).
    pub change: String,
}

/// Where notices are published and heard. Cheap to clone; chosen once at start-up.
#[derive(Clone)]
pub struct Live {
    local: broadcast::Sender<Notice>,
    redis: Option<(ConnectionManager, String)>,
}

impl Live {
    /// Notices within this process only.
    pub fn memory() -> Self {
        Live {
            local: broadcast::channel(BACKLOG).0,
            redis: None,
        }
    }

    /// Notices through Redis pub/sub on `<prefix>live`; a task keeps listening (and
    /// re-subscribes after a lost connection) for as long as the process runs.
    pub async fn redis(url: &str, prefix: &str) -> Result<Self> {
        let client = redis::Client::open(url)
            .map_err(|_| crate::Error::on("redis_url", crate::Reason::BadConfiguration))?;
        let conn = client
            .get_connection_manager()
            .await
            .map_err(|_| crate::Error::unavailable("cannot reach Redis for live notices"))?;
        let channel = format!("{prefix}live");
        let local = broadcast::channel(BACKLOG).0;
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        tokio::spawn(listen(client, channel.clone(), local.clone(), ready_tx));
        // Published notices are heard once the first subscription is in place.
        let _ = tokio::time::timeout(Duration::from_secs(5), ready_rx).await;
        Ok(Live {
            local,
            redis: Some((conn, channel)),
        })
    }

    pub fn kind(&self) -> &'static str {
        if self.redis.is_some() {
            "redis"
        } else {
            "memory"
        }
    }

    /// Publishes a notice. Best effort: a notice lost to an outage costs a subscriber a live
    /// update, never data (the lists stay right), so a failure is logged and not returned.
    pub async fn publish(&self, notice: Notice) {
        match &self.redis {
            None => {
                let _ = self.local.send(notice);
            }
            Some((conn, channel)) => {
                let Ok(payload) = serde_json::to_string(&notice) else {
                    return;
                };
                let sent: redis::RedisResult<i64> =
                    conn.clone().publish(channel.as_str(), payload).await;
                if sent.is_err() {
                    tracing::warn!("a live notice could not be published");
                }
            }
        }
    }

    /// The notices published from now on, by any process.
    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.local.subscribe()
    }
}

async fn listen(
    client: redis::Client,
    channel: String,
    local: broadcast::Sender<Notice>,
    ready: tokio::sync::oneshot::Sender<()>,
) {
    let mut ready = Some(ready);
    loop {
        match client.get_async_pubsub().await {
            Ok(mut pubsub) => {
                if pubsub.subscribe(channel.as_str()).await.is_ok() {
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(());
                    }
                    let mut messages = pubsub.on_message();
                    while let Some(msg) = messages.next().await {
                        let Ok(payload) = msg.get_payload::<String>() else {
                            continue;
                        };
                        if let Ok(notice) = serde_json::from_str::<Notice>(&payload) {
                            let _ = local.send(notice);
                        }
                    }
                }
                tracing::warn!("the live notice subscription ended; subscribing again");
            }
            Err(_) => tracing::warn!("cannot reach Redis for live notices; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_memory_notice_reaches_every_subscriber_once() {
        let live = Live::memory();
        let mut a = live.subscribe();
        let mut b = live.subscribe();
        let notice = Notice {
            tenant: TenantId::new(),
            topic: Topic::MediationRequest,
            id: Uuid::now_v7(),
            change: "CREATED".into(),
        };
        live.publish(notice.clone()).await;
        assert_eq!(a.recv().await.expect("a hears it"), notice);
        assert_eq!(b.recv().await.expect("b hears it"), notice);
        assert!(a.try_recv().is_err(), "heard once");
    }
}
