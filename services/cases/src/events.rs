//! The cases service as a producer of analytics events: the typed events of
//! [`sportello_kernel::events`], written to this store's outbox ([`sportello_kernel::outbox`]) in
//! the same transaction as the change. Pseudonyms come from the tenant's key, owned by the tenancy
//! service ([`sportello_kernel::pseudonym`]); an installation whose key was kept in this store
//! (`tenant_keys`) hands it to the owner on first use and forgets it, so its pseudonyms stay the
//! same. Payloads carry an age band instead of the birth date, sex, country of birth, territory,
//! codes and the day — never names, codice fiscale, contacts or notes.

use std::sync::Arc;

use chrono::{Datelike, Utc};
use sea_orm::ModelTrait;
use sportello_kernel::db::Tx;
use sportello_kernel::events::Subject;
pub use sportello_kernel::events::{Event, age_band};
use sportello_kernel::pseudonym::{Keyer, Pseudonyms};
use sportello_kernel::{Context, Result, outbox};

use crate::store::{person, tenant_key};

/// The producer name in this service's events and internal calls.
pub const PRODUCER: &str = "cases";

/// Writes one event about `person` to the outbox; `event` builds it with the tenant's keyer (for
/// the pseudonyms of cases).
pub async fn emit(
    tx: &Tx,
    pseudonyms: &Pseudonyms,
    ctx: &Context,
    person: &person::Model,
    event: impl FnOnce(&Keyer) -> Event,
) -> Result<()> {
    let keys = keyer(tx, pseudonyms, ctx).await?;
    let today = Utc::now().date_naive();
    let subject = Subject {
        person: keys.person(person.id),
        age_band: age_band(person.birth_year, today.year()).to_owned(),
        sex: person.sex.clone(),
        country_of_birth: person.country_of_birth.clone(),
        territory: person.territory_code.clone(),
    };
    outbox::emit(tx, pseudonyms.producer(), today, subject, event(&keys)).await?;
    Ok(())
}

/// The tenant's keyer. The first time in this process, a key still kept in this store is offered
/// to the owner for adoption and, once the owner holds it, deleted here.
async fn keyer(tx: &Tx, pseudonyms: &Pseudonyms, ctx: &Context) -> Result<Arc<Keyer>> {
    let tenant = tx.tenant()?;
    if let Some(keys) = pseudonyms.cached(tenant).await {
        return Ok(keys);
    }
    let legacy = tx.scoped::<tenant_key::Entity>()?.one(tx.conn()).await?;
    let keys = pseudonyms
        .fetch(
            tenant,
            &ctx.request_id,
            legacy.as_ref().map(|k| k.secret.clone()),
        )
        .await?;
    if let Some(legacy) = legacy {
        if keys.uses(&legacy.secret) {
            legacy.delete(tx.conn()).await?;
        } else {
            // Another producer reached the owner first: pseudonyms of this tenant change once.
            tracing::warn!(tenant = %tenant, "the pseudonym key kept by cases was not adopted");
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::age_band;

    #[test]
    fn age_bands_cover_minors_adults_and_unknown() {
        assert_eq!(age_band(Some(2015), 2026), "0-17");
        assert_eq!(age_band(Some(1950), 2026), "65+");
        assert_eq!(age_band(None, 2026), "unknown");
    }
}
