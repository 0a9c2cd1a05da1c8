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
            .map_err(|_| Error::on("redis_url", crate::Reason::BadConfiguration))?;
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

    /// Reads `key`, giving it a new lifetime of `ttl` (a sliding expiry), and reads each of
    /// `companions` with it: one round trip on Redis (`GETEX … EX` and one `GET` per companion in
    /// one atomic pipeline). The companions' values come back in their order.
    pub async fn touch_with(
        &self,
        key: &str,
        ttl: Duration,
        companions: &[&str],
    ) -> Result<(Option<String>, Vec<Option<String>>)> {
        match self {
            Cache::Memory(map) => {
                let mut map = lock(map)?;
                let now = Instant::now();
                let mut live = |k: &str| match map.get(k) {
                    Some((value, expires)) if *expires > now => Some(value.clone()),
                    Some(_) => {
                        map.remove(k);
                        None
                    }
                    None => None,
                };
                let value = live(key);
                let others = companions.iter().map(|c| live(c)).collect();
                if let Some(entry) = map.get_mut(key).filter(|_| value.is_some()) {
                    entry.1 = now + ttl;
                }
                Ok((value, others))
            }
            Cache::Redis { conn, prefix } => {
                let mut pipe = redis::pipe();
                pipe.atomic()
                    .cmd("GETEX")
                    .arg(format!("{prefix}{key}"))
                    .arg("EX")
                    .arg(ttl.as_secs().max(1));
                for companion in companions {
                    pipe.get(format!("{prefix}{companion}"));
                }
                let mut values: Vec<Option<String>> = pipe
                    .query_async(&mut conn.clone())
                    .await
                    .map_err(unavailable)?;
                if values.len() != companions.len() + 1 {
                    return Err(Error::unavailable("cache answered an incomplete pipeline"));
                }
                let value = values.remove(0);
                Ok((value, values))
            }
        }
    }

    /// Adds one to a counter that never expires (a generation mark) and returns its new value.
    pub async fn bump(&self, key: &str) -> Result<u64> {
        match self {
            Cache::Memory(map) => {
                let mut map = lock(map)?;
                let far = Instant::now() + Duration::from_secs(10 * 365 * 24 * 3600);
                let entry = map
                    .entry(key.to_owned())
                    .or_insert((String::from("0"), far));
                let next = entry.0.parse::<u64>().unwrap_or(0) + 1;
                *entry = (next.to_string(), far);
                Ok(next)
            }
            Cache::Redis { conn, prefix } => redis::cmd("INCR")
                .arg(format!("{prefix}{key}"))
                .query_async(&mut conn.clone())
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

    /// Sets `field` of the map at `key` to `value`, giving the whole map a new lifetime of
    /// `ttl` (`HSET` and `EXPIRE` in one atomic pipeline on Redis).
    pub async fn map_set(&self, key: &str, field: &str, value: &str, ttl: Duration) -> Result<()> {
        match self {
            Cache::Memory(map) => {
                let mut map = lock(map)?;
                let now = Instant::now();
                let mut fields = live_map(&map, key, now);
                fields.insert(field.to_owned(), value.to_owned());
                let json = serde_json::to_string(&fields).map_err(Error::internal)?;
                map.insert(key.to_owned(), (json, now + ttl));
                Ok(())
            }
            Cache::Redis { conn, prefix } => {
                let key = format!("{prefix}{key}");
                redis::pipe()
                    .atomic()
                    .hset(&key, field, value)
                    .ignore()
                    .expire(&key, ttl.as_secs().max(1) as i64)
                    .ignore()
                    .query_async::<()>(&mut conn.clone())
                    .await
                    .map_err(unavailable)
            }
        }
    }

    /// Every field of the map at `key` with its value (empty when there is none).
    pub async fn map_all(&self, key: &str) -> Result<HashMap<String, String>> {
        match self {
            Cache::Memory(map) => {
                let map = lock(map)?;
                Ok(live_map(&map, key, Instant::now()))
            }
            Cache::Redis { conn, prefix } => conn
                .clone()
                .hgetall(format!("{prefix}{key}"))
                .await
                .map_err(unavailable),
        }
    }

    /// Removes `fields` from the map at `key` (the map's lifetime unchanged).
    pub async fn map_delete(&self, key: &str, fields: &[&str]) -> Result<()> {
        if fields.is_empty() {
            return Ok(());
        }
        match self {
            Cache::Memory(map) => {
                let mut map = lock(map)?;
                let now = Instant::now();
                let mut kept = live_map(&map, key, now);
                kept.retain(|f, _| !fields.contains(&f.as_str()));
                if let Some(entry) = map.get_mut(key) {
                    entry.0 = serde_json::to_string(&kept).map_err(Error::internal)?;
                }
                Ok(())
            }
            Cache::Redis { conn, prefix } => conn
                .clone()
                .hdel(format!("{prefix}{key}"), fields)
                .await
                .map_err(unavailable),
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

/// The fields of the in-memory map at `key`, if it is still alive.
fn live_map(
    map: &HashMap<String, (String, Instant)>,
    key: &str,
    now: Instant,
) -> HashMap<String, String> {
    map.get(key)
        .filter(|(_, expires)| *expires > now)
        .and_then(|(json, _)| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    m.lock().map_err(|_| Error::internal("cache lock poisoned"))
}

fn unavailable(err: redis::RedisError) -> Error {
    tracing::warn!(error = %err, "cache unreachable");
    Error::unavailable("cache unavailable")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both backends: `SPORTELLO_TEST_REDIS_URL` is required, never skipped.
    async fn backends() -> Vec<Cache> {
        let url = std::env::var("SPORTELLO_TEST_REDIS_URL")
            .expect("SPORTELLO_TEST_REDIS_URL must point at a Redis server");
        let prefix = format!("cache-test-{}:", uuid::Uuid::new_v4().simple());
        vec![
            Cache::memory(),
            Cache::redis(&url, &prefix).await.expect("redis"),
        ]
    }

    #[tokio::test]
    async fn a_map_keeps_its_fields_until_removed_or_expired() {
        for cache in backends().await {
            let kind = cache.kind();
            assert!(cache.map_all("m").await.unwrap().is_empty(), "{kind}");
            let ttl = Duration::from_secs(1);
            cache.map_set("m", "a", "1", ttl).await.unwrap();
            cache.map_set("m", "b", "2", ttl).await.unwrap();
            cache.map_set("m", "a", "3", ttl).await.unwrap();
            let all = cache.map_all("m").await.unwrap();
            assert_eq!(all.len(), 2, "{kind}");
            assert_eq!(all.get("a").map(String::as_str), Some("3"), "{kind}");
            cache.map_delete("m", &["a", "absent"]).await.unwrap();
            let all = cache.map_all("m").await.unwrap();
            assert_eq!(all.keys().collect::<Vec<_>>(), vec!["b"], "{kind}");
            tokio::time::sleep(Duration::from_millis(1_500)).await;
            assert!(cache.map_all("m").await.unwrap().is_empty(), "{kind}");
        }
    }

    #[tokio::test]
    async fn touching_a_key_refreshes_it_and_reads_its_companions() {
        for cache in backends().await {
            let kind = cache.kind();
            cache
                .set("session", "s", Duration::from_secs(1))
                .await
                .unwrap();
            let (value, companions) = cache
                .touch_with("session", Duration::from_secs(30), &["mark", "generation"])
                .await
                .unwrap();
            assert_eq!(value.as_deref(), Some("s"), "{kind}");
            assert_eq!(companions, vec![None, None], "{kind}");
            cache
                .set("mark", "42", Duration::from_secs(30))
                .await
                .unwrap();
            // Past the first lifetime, the refreshed key is still there.
            tokio::time::sleep(Duration::from_millis(1_500)).await;
            assert_eq!(cache.bump("generation").await.unwrap(), 1, "{kind}");
            assert_eq!(cache.bump("generation").await.unwrap(), 2, "{kind}");
            let (value, companions) = cache
                .touch_with("session", Duration::from_secs(30), &["mark", "generation"])
                .await
                .unwrap();
            assert_eq!(value.as_deref(), Some("s"), "{kind}");
            assert_eq!(
                companions,
                vec![Some("42".to_owned()), Some("2".to_owned())],
                "{kind}"
            );
            // A missing key stays missing; touching it creates nothing.
            let (missing, _) = cache
                .touch_with("other", Duration::from_secs(30), &["mark"])
                .await
                .unwrap();
            assert_eq!(missing, None, "{kind}");
            assert_eq!(cache.get("other").await.unwrap(), None, "{kind}");
        }
    }
}
