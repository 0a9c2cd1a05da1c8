//! The cache: sessions and rate-limit counters. In memory for the embedded default, Redis when
//! configured. Chosen once at start-up.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::AsyncCommands;
use redis::aio::ConnectionManager;

use crate::{Error, Result};

#[derive(Clone)]
pub enum Cache {
    Memory(Arc<Mutex<HashMap<String, (String, Instant)>>>),
    Redis {
        conn: ConnectionManager,
        prefix: String,
    },
}

impl Cache {
    pub fn memory() -> Self {
        Cache::Memory(Arc::default())
    }

    /// Connects to Redis; every key is put under `prefix`.
    pub async fn redis(url: &str, prefix: &str) -> Result<Self> {
        let client = redis::Client::open(url)
            .map_err(|_| Error::invalid("redis_url", "not a valid Redis URL"))?;
        let conn = client.get_connection_manager().await.map_err(unavailable)?;
        Ok(Cache::Redis {
            conn,
            prefix: prefix.to_owned(),
        })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Cache::Memory(_) => "memory",
            Cache::Redis { .. } => "redis",
        }
    }

    pub async fn get(&self, key: &str) -> Result<Option<String>> {
        match self {
            Cache::Memory(map) => {
                let mut map = lock(map)?;
                match map.get(key) {
                    Some((value, expires)) if *expires > Instant::now() => Ok(Some(value.clone())),
                    Some(_) => {
                        map.remove(key);
                        Ok(None)
                    }
                    None => Ok(None),
                }
            }
            Cache::Redis { conn, prefix } => conn
                .clone()
                .get(format!("{prefix}{key}"))
                .await
                .map_err(unavailable),
        }
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<()> {
        match self {
            Cache::Memory(map) => {
                let mut map = lock(map)?;
                let now = Instant::now();
                if map.len() > 10_000 {
                    map.retain(|_, (_, expires)| *expires > now);
                }
                map.insert(key.to_owned(), (value.to_owned(), now + ttl));
                Ok(())
            }
            Cache::Redis { conn, prefix } => conn
                .clone()
                .set_ex(format!("{prefix}{key}"), value, ttl.as_secs().max(1))
                .await
                .map_err(unavailable),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<()> {
        match self {
            Cache::Memory(map) => {
                lock(map)?.remove(key);
                Ok(())
            }
            Cache::Redis { conn, prefix } => conn
                .clone()
                .del(format!("{prefix}{key}"))
                .await
                .map_err(unavailable),
        }
    }

    /// Increments a counter that lives for `window` from its first increment; returns the count.
    pub async fn hit(&self, key: &str, window: Duration) -> Result<u64> {
        match self {
            Cache::Memory(map) => {
                let mut map = lock(map)?;
                let now = Instant::now();
                let entry = map
                    .entry(key.to_owned())
                    .or_insert_with(|| ("0".into(), now + window));
                if entry.1 <= now {
                    *entry = ("0".into(), now + window);
                }
                let count = entry.0.parse::<u64>().unwrap_or(0) + 1;
                entry.0 = count.to_string();
                Ok(count)
            }
            Cache::Redis { conn, prefix } => {
                let key = format!("{prefix}{key}");
                let (count,): (u64,) = redis::pipe()
                    .atomic()
                    .incr(&key, 1)
                    .expire(&key, window.as_secs().max(1) as i64)
                    .arg("NX")
                    .ignore()
                    .query_async(&mut conn.clone())
                    .await
                    .map_err(unavailable)?;
                Ok(count)
            }
        }
    }

    pub async fn ping(&self) -> Result<()> {
        match self {
            Cache::Memory(_) => Ok(()),
            Cache::Redis { conn, .. } => {
                let _: String = redis::cmd("PING")
                    .query_async(&mut conn.clone())
                    .await
                    .map_err(unavailable)?;
                Ok(())
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    m.lock().map_err(|_| Error::internal("cache lock poisoned"))
}

fn unavailable(err: redis::RedisError) -> Error {
    tracing::warn!(error = %err, "cache unreachable");
    Error::unavailable("cache unavailable")
}
