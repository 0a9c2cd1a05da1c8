//! Per-tenant pseudonyms for events. One service owns the tenants' pseudonym keys (the tenancy
//! service) and hands them to producers through [`KeyOwner`]; every producer computes pseudonyms
//! with the same [`Keyer`], so the same person gets the same pseudonym whichever service emits
//! the event. Keys are kept in process once fetched: a tenant's key never changes.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tokio::sync::RwLock;
use uuid::Uuid;

use crate::events::Pseudonym;
use crate::{Context, Error, Result, TenantId};

/// A tenant's pseudonym key, as the owner hands it out. Never logged.
#[derive(Clone, Serialize, Deserialize)]
pub struct PseudonymKey {
    pub secret: String,
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PseudonymKey(…)")
    }
}

/// Asks the owner for the context's tenant's key.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct KeyRequest {
    /// A key the producer used before keys had one owner: it becomes the tenant's key if the
    /// tenant has none yet, so pseudonyms already counted stay the same.
    #[serde(default)]
    pub adopt: Option<String>,
}

impl fmt::Debug for KeyRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRequest")
            .field("adopt", &self.adopt.as_ref().map(|_| "…"))
            .finish()
    }
}

/// The owner of the tenants' pseudonym keys. Only internal calls ([`Context::internal`]) may ask.
#[async_trait]
pub trait KeyOwner: Send + Sync {
    /// The tenant's key, created (or adopted from `req.adopt`) on first request.
    async fn pseudonym_key(&self, ctx: &Context, req: KeyRequest) -> Result<PseudonymKey>;
}

/// Computes pseudonyms under one tenant's key.
pub struct Keyer {
    mac: Hmac<Sha256>,
    secret: String,
}

impl Keyer {
    /// A keyer for a key handed out by the owner.
    pub fn new(secret: String) -> Result<Self> {
        Ok(Self {
            mac: Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(Error::internal)?,
            secret,
        })
    }

    /// The pseudonym of a person (by the id the cases service gave them).
    pub fn person(&self, id: Uuid) -> Pseudonym {
        self.keyed(b"", id)
    }

    /// The pseudonym of an object of a person's path (`"case"`, `"placement"`…), distinct from
    /// any person's pseudonym.
    pub fn object(&self, kind: &str, id: Uuid) -> Pseudonym {
        self.keyed(format!("{kind}:").as_bytes(), id)
    }

    /// The pseudonym of a case, to follow its life cycle.
    pub fn case(&self, id: Uuid) -> Pseudonym {
        self.object("case", id)
    }

    /// True when this keyer uses `secret` (compared in constant time).
    pub fn uses(&self, secret: &str) -> bool {
        crate::secret::constant_time_eq(&self.secret, secret)
    }

    fn keyed(&self, domain: &[u8], id: Uuid) -> Pseudonym {
        let mut mac = self.mac.clone();
        mac.update(domain);
        mac.update(id.as_bytes());
        Pseudonym::new(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()),
        )
    }
}

/// A producer's access to pseudonyms: asks the key owner once per tenant, then keeps the key.
#[derive(Clone)]
pub struct Pseudonyms {
    owner: Arc<dyn KeyOwner>,
    producer: &'static str,
    cache: Arc<RwLock<HashMap<TenantId, Arc<Keyer>>>>,
}

impl Pseudonyms {
    /// `producer`: the service asking, named in its internal calls and in its events.
    pub fn new(owner: Arc<dyn KeyOwner>, producer: &'static str) -> Self {
        Self {
            owner,
            producer,
            cache: Arc::default(),
        }
    }

    pub fn producer(&self) -> &'static str {
        self.producer
    }

    /// The tenant's keyer if it was fetched already.
    pub async fn cached(&self, tenant: TenantId) -> Option<Arc<Keyer>> {
        self.cache.read().await.get(&tenant).cloned()
    }

    /// The tenant's keyer, from the cache or from the owner (offering `adopt`, see
    /// [`KeyRequest::adopt`]).
    pub async fn fetch(
        &self,
        tenant: TenantId,
        request_id: &str,
        adopt: Option<String>,
    ) -> Result<Arc<Keyer>> {
        if let Some(keyer) = self.cached(tenant).await {
            return Ok(keyer);
        }
        let ctx = Context::internal(self.producer, tenant, request_id);
        let key = self.owner.pseudonym_key(&ctx, KeyRequest { adopt }).await?;
        let keyer = Arc::new(Keyer::new(key.secret)?);
        Ok(self
            .cache
            .write()
            .await
            .entry(tenant)
            .or_insert(keyer)
            .clone())
    }

    /// The tenant's keyer, for a producer that never had keys of its own.
    pub async fn of(&self, tenant: TenantId, request_id: &str) -> Result<Arc<Keyer>> {
        self.fetch(tenant, request_id, None).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// An owner that refuses users and counts the keys it hands out.
    #[derive(Default)]
    struct Owner {
        asked: AtomicUsize,
    }

    #[async_trait]
    impl KeyOwner for Owner {
        async fn pseudonym_key(&self, ctx: &Context, req: KeyRequest) -> Result<PseudonymKey> {
            let tenant = ctx.require_internal()?;
            self.asked.fetch_add(1, Ordering::SeqCst);
            Ok(PseudonymKey {
                secret: req.adopt.unwrap_or_else(|| format!("key-of-{tenant}")),
            })
        }
    }

    #[tokio::test]
    async fn two_producers_share_the_owners_key_and_ask_once_per_tenant() -> Result<()> {
        let owner = Arc::new(Owner::default());
        let cases = Pseudonyms::new(owner.clone(), "cases");
        let housing = Pseudonyms::new(owner.clone(), "housing");
        let (a, b) = (TenantId::new(), TenantId::new());
        let person = Uuid::now_v7();
        let from_cases = cases.of(a, "r1").await?.person(person);
        assert_eq!(cases.of(a, "r2").await?.person(person), from_cases);
        assert_eq!(housing.of(a, "r3").await?.person(person), from_cases);
        assert_ne!(housing.of(b, "r4").await?.person(person), from_cases);
        // Once per tenant and producer: cases for A, housing for A and B.
        assert_eq!(owner.asked.load(Ordering::SeqCst), 3);
        assert!(
            format!(
                "{:?}",
                PseudonymKey {
                    secret: "s3cr3t".into()
                }
            )
            .find("s3cr3t")
            .is_none()
        );
        Ok(())
    }

    #[test]
    fn pseudonyms_are_keyed_by_tenant_and_separated_by_kind() -> Result<()> {
        let (a, b) = (
            Keyer::new("secret-a".into())?,
            Keyer::new("secret-b".into())?,
        );
        let person = Uuid::now_v7();
        assert_eq!(a.person(person), a.person(person));
        assert_ne!(a.person(person), b.person(person));
        assert_ne!(a.person(person), a.case(person));
        assert_eq!(a.case(person), a.object("case", person));
        assert!(a.person(person).as_str().len() >= 40);
        assert!(a.uses("secret-a") && !a.uses("secret-b"));
        Ok(())
    }
}
