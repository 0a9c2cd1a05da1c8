//! Request-scoped batching of service reads.
//!
//! The resolvers of one GraphQL request run concurrently within the request's task: the fields
//! of an object, the items of a list. Each asks the [`Batch`] for what it needs; the first to ask
//! lets the others that run in the same pass ask too (it yields to the executor twice), then sends
//! every key gathered in one call to the service, which serves them in one transaction. Keys can
//! also be [primed](Batch::prime) ahead of the resolver that will ask for them, so a parent and
//! its selected children are read together.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use sportello_kernel::{Error, Result};
use tokio::sync::oneshot;

/// Reads several keys in one service call: one outcome per key, in order.
pub type Fetch<K, V> =
    Arc<dyn Fn(Vec<K>) -> BoxFuture<'static, Result<Vec<Result<V>>>> + Send + Sync>;

/// The reads one GraphQL request makes of one service.
pub struct Batch<K, V> {
    fetch: Fetch<K, V>,
    /// Most keys in one call; more are sent in several.
    max: usize,
    state: Arc<Mutex<State<K, V>>>,
}

struct State<K, V> {
    /// Keys asked for and not sent yet, with who waits for each.
    queued: Vec<(K, oneshot::Sender<Result<V>>)>,
    /// Outcomes read ahead of their resolver, each handed out once.
    primed: HashMap<K, Result<V>>,
}

impl<K, V> Batch<K, V>
where
    K: Clone + Eq + Hash + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub fn new(max: usize, fetch: Fetch<K, V>) -> Self {
        Self {
            fetch,
            max: max.max(1),
            state: Arc::new(Mutex::new(State {
                queued: Vec::new(),
                primed: HashMap::new(),
            })),
        }
    }

    /// The outcome of one key, read together with every other key asked for in the same pass.
    pub async fn load(&self, key: K) -> Result<V> {
        let (rx, leader) = {
            let mut state = lock(&self.state)?;
            if let Some(found) = state.primed.remove(&key) {
                return found;
            }
            let (tx, rx) = oneshot::channel();
            state.queued.push((key, tx));
            (rx, state.queued.len() == 1)
        };
        if leader {
            let mut flush = Flush {
                batch: self,
                armed: true,
            };
            // Let the resolvers polled in the same pass queue their keys.
            tokio::task::yield_now().await;
            tokio::task::yield_now().await;
            flush.armed = false;
            let queued = std::mem::take(&mut lock(&self.state)?.queued);
            send(self.fetch.clone(), self.max, queued).await;
        }
        rx.await
            .unwrap_or_else(|_| Err(Error::unavailable("the read was abandoned")))
    }

    /// Reads `keys` now, in one pass, and keeps each outcome for the one resolver that will ask
    /// for it with [`Batch::load`].
    pub async fn prime(&self, keys: Vec<K>) -> Result<()> {
        let outcomes = futures::future::join_all(keys.iter().cloned().map(|k| self.load(k)));
        let outcomes = outcomes.await;
        let mut state = lock(&self.state)?;
        for (key, outcome) in keys.into_iter().zip(outcomes) {
            state.primed.insert(key, outcome);
        }
        Ok(())
    }
}

/// Sends what a leader dropped before sending (its part of the request was cut short), so that
/// the others still waiting on the same pass are answered.
struct Flush<'a, K, V>
where
    K: Clone + Eq + Hash + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    batch: &'a Batch<K, V>,
    armed: bool,
}

impl<K, V> Drop for Flush<'_, K, V>
where
    K: Clone + Eq + Hash + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let Ok(mut state) = self.batch.state.lock() else {
            return;
        };
        let mut queued = std::mem::take(&mut state.queued);
        drop(state);
        // The first key is the leader's own. Of the others, only those still awaited once the
        // drop is over are read: a pass dropped as a whole reads (and audits) nothing more.
        if !queued.is_empty() {
            queued.remove(0);
        }
        if !queued.is_empty() {
            let (fetch, max) = (self.batch.fetch.clone(), self.batch.max);
            tokio::spawn(async move {
                tokio::task::yield_now().await;
                queued.retain(|(_, tx)| !tx.is_closed());
                if !queued.is_empty() {
                    send(fetch, max, queued).await;
                }
            });
        }
    }
}

/// Sends the distinct keys of `queued`, at most `max` per call, and answers every waiter.
async fn send<K, V>(fetch: Fetch<K, V>, max: usize, queued: Vec<(K, oneshot::Sender<Result<V>>)>)
where
    K: Clone + Eq + Hash,
    V: Clone,
{
    let mut keys: Vec<K> = Vec::new();
    let mut index: HashMap<K, usize> = HashMap::new();
    for (key, _) in &queued {
        if !index.contains_key(key) {
            index.insert(key.clone(), keys.len());
            keys.push(key.clone());
        }
    }
    let mut outcomes: Vec<Result<V>> = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(max) {
        match fetch(chunk.to_vec()).await {
            Ok(found) if found.len() == chunk.len() => outcomes.extend(found),
            Ok(_) => {
                let err = Error::internal("a batch answered a different number of reads");
                outcomes.extend(chunk.iter().map(|_| Err(err.clone())));
            }
            Err(err) => outcomes.extend(chunk.iter().map(|_| Err(err.clone()))),
        }
    }
    for (key, tx) in queued {
        let outcome = outcomes[index[&key]].clone();
        // A waiter that went away needs no answer.
        let _ = tx.send(outcome);
    }
}

fn lock<T>(state: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    state
        .lock()
        .map_err(|_| Error::internal("a request's read batch is poisoned"))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures::FutureExt;

    use super::*;

    fn counting(calls: Arc<AtomicUsize>, max: usize) -> Batch<u32, u32> {
        let fetch: Fetch<u32, u32> = Arc::new(move |keys: Vec<u32>| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move {
                Ok(keys
                    .into_iter()
                    .map(|k| {
                        if k == 0 {
                            Err(Error::not_found())
                        } else {
                            Ok(k * 10)
                        }
                    })
                    .collect())
            }
            .boxed()
        });
        Batch::new(max, fetch)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn loads_in_one_pass_go_in_one_call_and_each_gets_its_own_outcome() {
        let calls = Arc::new(AtomicUsize::new(0));
        let batch = counting(calls.clone(), 100);
        let loads = (0..5u32).chain([3]).map(|k| batch.load(k));
        let outcomes = futures::future::join_all(loads).await;
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(
            outcomes[0].as_ref().unwrap_err().code,
            Error::not_found().code
        );
        let found: Vec<u32> = outcomes[1..].iter().map(|o| *o.as_ref().unwrap()).collect();
        assert_eq!(found, vec![10, 20, 30, 40, 30]);
        // A later pass is a call of its own.
        assert_eq!(batch.load(7).await.unwrap(), 70);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn more_keys_than_a_call_takes_are_sent_in_several_calls() {
        let calls = Arc::new(AtomicUsize::new(0));
        let batch = counting(calls.clone(), 2);
        let outcomes = futures::future::join_all((1..=5u32).map(|k| batch.load(k))).await;
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert!(outcomes.iter().all(Result::is_ok));
    }

    #[tokio::test]
    async fn a_primed_outcome_is_handed_out_once() {
        let calls = Arc::new(AtomicUsize::new(0));
        let batch = counting(calls.clone(), 100);
        batch.prime(vec![1, 2]).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(batch.load(2).await.unwrap(), 20);
        assert_eq!(batch.load(1).await.unwrap(), 10);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Asked again, it is read again: nothing read before a change is served after it.
        assert_eq!(batch.load(1).await.unwrap(), 10);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_pass_dropped_as_a_whole_reads_nothing() {
        let calls = Arc::new(AtomicUsize::new(0));
        let batch = counting(calls.clone(), 100);
        let mut pass = Box::pin(futures::future::join_all((1..=3u32).map(|k| batch.load(k))));
        assert!(futures::poll!(&mut pass).is_pending());
        drop(pass);
        tokio::task::yield_now().await;
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_leader_cut_short_still_gets_the_others_answered() {
        let calls = Arc::new(AtomicUsize::new(0));
        let batch = Arc::new(counting(calls.clone(), 100));
        let (leader, follower) = (batch.clone(), batch.clone());
        let mut first = Box::pin(async move { leader.load(1).await });
        // Poll the leader once (it queues and yields), queue a follower, then drop the leader.
        assert!(futures::poll!(&mut first).is_pending());
        let second = tokio::spawn(async move { follower.load(2).await });
        tokio::task::yield_now().await;
        drop(first);
        assert_eq!(second.await.unwrap().unwrap(), 20);
    }
}
