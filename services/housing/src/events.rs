//! The housing service as a producer of analytics events: the typed events of
//! [`sportello_kernel::events`] (`housing_application_made`, `housing_placement_started`,
//! `housing_placement_extended`, `housing_placement_ended`, `housing_follow_up_recorded`,
//! `housing_unit_changed`), written to this store's outbox in the same transaction as the change
//! and published by this role's relay.
//!
//! An application or a placement is a fact about each member of the household: one event per
//! member, its subject the member's pseudonym under the tenant's key ([`Keyer::person`], the same
//! the cases service gives them, so a person housed and followed in a case counts once). The
//! other events carry the household's or the unit's pseudonym ([`Keyer::object`]) only. No
//! payload carries a name, an address, a note, an amount or the health fact.

use std::sync::Arc;

use chrono::NaiveDate;
use sportello_kernel::db::Tx;
use sportello_kernel::events::{Event, Pseudonym, Subject};
use sportello_kernel::pseudonym::{Keyer, Pseudonyms};
use sportello_kernel::{Context, Result, outbox};
use uuid::Uuid;

/// The producer name in this service's events and internal calls.
pub const PRODUCER: &str = "housing";

/// The tenant's keyer, for the transaction's tenant.
pub async fn keyer(tx: &Tx, pseudonyms: &Pseudonyms, ctx: &Context) -> Result<Arc<Keyer>> {
    pseudonyms.of(tx.tenant()?, &ctx.request_id).await
}

/// One event per member of the household (`members`: person ids of the cases service), dated
/// `on`, in the municipality `territory`.
pub async fn emit_for_members(
    tx: &Tx,
    keyer: &Keyer,
    members: &[Uuid],
    territory: &str,
    on: NaiveDate,
    event: &Event,
) -> Result<()> {
    for member in members {
        let subject = Subject {
            person: keyer.person(*member),
            age_band: "unknown".to_owned(),
            sex: None,
            country_of_birth: None,
            territory: territory.to_owned(),
        };
        outbox::emit_fact(tx, PRODUCER, on, None, subject, event.clone()).await?;
    }
    Ok(())
}

/// One event about an object (`kind`: `"household"`, `"unit"`), its subject the object's
/// pseudonym only, in the municipality `territory` (or none). `fact`: the pseudonym a later event
/// of the same kind replaces.
pub async fn emit_for_object(
    tx: &Tx,
    keyer: &Keyer,
    about: (&str, Uuid),
    territory: &str,
    on: NaiveDate,
    fact: Option<Pseudonym>,
    event: Event,
) -> Result<()> {
    let subject = Subject {
        territory: territory.to_owned(),
        ..Subject::pseudonym_only(keyer.object(about.0, about.1))
    };
    outbox::emit_fact(tx, PRODUCER, on, fact, subject, event).await?;
    Ok(())
}
