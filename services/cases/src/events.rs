//! The cases service as a producer of analytics events: the typed events of
//! [`sportello_kernel::events`], written to this store's outbox ([`sportello_kernel::outbox`]) in
//! the same transaction as the change. Pseudonyms come from the tenant's key, owned by the tenancy
//! service ([`sportello_kernel::pseudonym`]); an installation whose key was kept in this store
//! (`tenant_keys`) hands it to the owner on first use and forgets it, so its pseudonyms stay the
//! same. Payloads carry an age band instead of the birth date, sex, country of birth, territory,
//! codes and the day — never names, codice fiscale, contacts or notes.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ModelTrait, QueryFilter, QueryOrder};
use sportello_kernel::db::Tx;
pub use sportello_kernel::events::{Event, age_band};
use sportello_kernel::events::{Pseudonym, Subject};
use sportello_kernel::pseudonym::{Keyer, Pseudonyms};
use sportello_kernel::{Context, Result, outbox};
use uuid::Uuid;

use crate::domain::codes;
use crate::interface::ConsentPurpose;
use crate::store::{consent, person, tenant_key};

/// The producer name in this service's events and internal calls.
pub const PRODUCER: &str = "cases";

/// When the thing an event tells of happened and, for a fact whose date can be corrected, what
/// it is the fact of.
#[derive(Clone, Copy, Debug)]
pub struct Happened {
    at: DateTime<Utc>,
    /// The kind and id of the object (`"need"`, `"intervention"`): its pseudonym is the fact's
    /// key, and emitting again with it is the correcting event.
    object: Option<(&'static str, Uuid)>,
}

impl Happened {
    /// At an instant: the change itself (by the request's clock), or a time the operator gave.
    pub fn at(at: DateTime<Utc>) -> Self {
        Self { at, object: None }
    }

    /// The fact of an object whose date can be corrected later.
    pub fn fact_of(kind: &'static str, id: Uuid, at: DateTime<Utc>) -> Self {
        Self {
            at,
            object: Some((kind, id)),
        }
    }
}

/// Writes one event about `person` to the outbox, dated the local day (in the tenant's zone)
/// of `happened`; `event` builds it with the tenant's keyer (for the pseudonyms of cases).
/// Nothing is written for a person whose latest decision on anonymised statistics is a
/// withdrawal: every producer path of this service goes through here.
pub async fn emit(
    tx: &Tx,
    pseudonyms: &Pseudonyms,
    ctx: &Context,
    person: &person::Model,
    happened: Happened,
    event: impl FnOnce(&Keyer) -> Event,
) -> Result<()> {
    let counted = !withdrew_from_statistics(tx, person.id).await?;
    emit_if_counted(tx, pseudonyms, ctx, person, counted, happened, event).await
}

/// [`emit`] for a caller that has already read the person's latest decision on anonymised
/// statistics (`counted` is false after a withdrawal): nothing is emitted unless counted.
pub async fn emit_if_counted(
    tx: &Tx,
    pseudonyms: &Pseudonyms,
    ctx: &Context,
    person: &person::Model,
    counted: bool,
    happened: Happened,
    event: impl FnOnce(&Keyer) -> Event,
) -> Result<()> {
    if !counted {
        return Ok(());
    }
    let keys = keyer(tx, pseudonyms, ctx).await?;
    let day = ctx.time_zone.date_of(happened.at);
    let birth = person.birth_year.map(|year| {
        let part = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
        (year, part(person.birth_month), part(person.birth_day))
    });
    let subject = Subject {
        person: keys.person(person.id),
        // At the day of the event, not of its recording.
        age_band: age_band(birth, day).to_owned(),
        sex: person.sex.clone(),
        country_of_birth: person.country_of_birth.clone(),
        territory: person.territory_code.clone(),
    };
    let fact = happened.object.map(|(kind, id)| keys.object(kind, id));
    outbox::emit_fact(tx, pseudonyms.producer(), day, fact, subject, event(&keys)).await?;
    Ok(())
}

/// Tells analytics that `person` gave or withdrew consent to anonymised statistics: a notice
/// with the pseudonym only, dated today in the tenant's zone (the month from which a withdrawal
/// drops the person's facts).
pub async fn emit_statistics_consent(
    tx: &Tx,
    pseudonyms: &Pseudonyms,
    ctx: &Context,
    person: Uuid,
    given: bool,
) -> Result<()> {
    let keys = keyer(tx, pseudonyms, ctx).await?;
    let subject = Subject::pseudonym_only(keys.person(person));
    outbox::emit(
        tx,
        pseudonyms.producer(),
        ctx.today(),
        subject,
        Event::StatisticsConsentChanged { given },
    )
    .await?;
    Ok(())
}

/// Writes one event about an object of the desks' activity (a mediation request, a legal
/// consultation, a procedure) to the outbox, dated the local day of `at`: its subject is the
/// object's pseudonym (`kind`, `id`) and the ISTAT code of `territory` (empty: none), nothing
/// about any person, so it never counts as a person reached.
pub async fn emit_activity(
    tx: &Tx,
    pseudonyms: &Pseudonyms,
    ctx: &Context,
    object: (&'static str, Uuid),
    territory: &str,
    at: DateTime<Utc>,
    event: impl FnOnce(Pseudonym) -> Event,
) -> Result<()> {
    let keys = keyer(tx, pseudonyms, ctx).await?;
    let pseudonym = keys.object(object.0, object.1);
    let mut subject = Subject::pseudonym_only(pseudonym.clone());
    subject.territory = territory.to_owned();
    let day = ctx.time_zone.date_of(at);
    outbox::emit(tx, pseudonyms.producer(), day, subject, event(pseudonym)).await?;
    Ok(())
}

/// Whether the person's facts are counted (no withdrawal of consent to anonymised statistics):
/// events about their procedures follow the same decision.
pub(crate) async fn counted(tx: &Tx, person: Uuid) -> Result<bool> {
    Ok(!withdrew_from_statistics(tx, person).await?)
}

/// The pseudonym of `person` in the tenant's events.
pub async fn pseudonym_of(
    tx: &Tx,
    pseudonyms: &Pseudonyms,
    ctx: &Context,
    person: Uuid,
) -> Result<Pseudonym> {
    Ok(keyer(tx, pseudonyms, ctx).await?.person(person))
}

/// Tells analytics that the person of `pseudonym` was erased: a notice with the pseudonym only,
/// dated today in the tenant's zone. It goes out whatever the person decided on anonymised
/// statistics (unlike [`emit`]): analytics must delete what it already counted either way.
pub async fn emit_person_erased(
    tx: &Tx,
    pseudonyms: &Pseudonyms,
    ctx: &Context,
    pseudonym: Pseudonym,
) -> Result<()> {
    outbox::emit(
        tx,
        pseudonyms.producer(),
        ctx.today(),
        Subject::pseudonym_only(pseudonym),
        Event::PersonErased,
    )
    .await?;
    Ok(())
}

/// True when the person's latest decision on anonymised statistics is a withdrawal. Without a
/// decision the person is counted (docs/privacy.md).
async fn withdrew_from_statistics(tx: &Tx, person: Uuid) -> Result<bool> {
    let latest = tx
        .scoped::<consent::Entity>()?
        .filter(consent::Column::PersonId.eq(person))
        .filter(consent::Column::Purpose.eq(codes::consent(ConsentPurpose::AnonymisedStatistics)))
        .order_by_desc(consent::Column::Id)
        .one(tx.conn())
        .await?;
    Ok(latest.is_some_and(|c| !c.given))
}

/// The tenant's keyer. The first time in this process, a key still kept in this store is offered
/// to the owner for adoption and, once the owner holds it, deleted here.
pub(crate) async fn keyer(tx: &Tx, pseudonyms: &Pseudonyms, ctx: &Context) -> Result<Arc<Keyer>> {
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
