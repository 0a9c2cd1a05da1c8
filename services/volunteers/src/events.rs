//! The volunteers service as a producer of analytics events: the typed events of
//! [`sportello_kernel::events`] (`volunteer_status_changed`, `hours_approved`,
//! `attendance_recorded`, `course_completed`, `pact_status_changed`), written to this store's
//! outbox in the same transaction as the change and published by this role's relay.
//!
//! A payload carries a keyed pseudonym of its subject (a volunteer, a course participant or a
//! pact: [`Keyer::object`] under the tenant's key, owned by the tenancy service), the ISTAT code
//! of a municipality, codes, minutes and the local day — never a name, a contact or a note. The
//! age band, sex and country of the subject are not known to this service and travel as
//! `unknown` / absent.

use std::sync::Arc;

use chrono::NaiveDate;
use sportello_kernel::db::Tx;
use sportello_kernel::events::{Event, Subject};
use sportello_kernel::pseudonym::{Keyer, Pseudonyms};
use sportello_kernel::{Context, Result, outbox};
use uuid::Uuid;

/// The producer name in this service's events and internal calls.
pub const PRODUCER: &str = "volunteers";

/// What an event is about: the kind of object (`"volunteer"`, `"participant"`, `"pact"`) and its
/// id, whose pseudonym is the event's subject, and the municipality it happened in.
#[derive(Clone, Copy, Debug)]
pub struct About<'a> {
    pub kind: &'static str,
    pub id: Uuid,
    /// ISTAT code, or empty.
    pub territory: &'a str,
}

/// Writes one event to the outbox, dated `on` (a local day of the tenant). `fact`, when given,
/// is the kind and id of the object the event is the fact of: emitting again with it replaces
/// the earlier fact in analytics. `event` builds the event with the tenant's keyer.
pub async fn emit(
    tx: &Tx,
    pseudonyms: &Pseudonyms,
    ctx: &Context,
    about: About<'_>,
    on: NaiveDate,
    fact: Option<(&'static str, Uuid)>,
    event: impl FnOnce(&Keyer) -> Event,
) -> Result<()> {
    let keyer: Arc<Keyer> = pseudonyms.of(tx.tenant()?, &ctx.request_id).await?;
    let subject = Subject {
        person: keyer.object(about.kind, about.id),
        age_band: "unknown".to_owned(),
        sex: None,
        country_of_birth: None,
        territory: about.territory.to_owned(),
    };
    let fact = fact.map(|(kind, id)| keyer.object(kind, id));
    outbox::emit_fact(tx, PRODUCER, on, fact, subject, event(&keyer)).await?;
    Ok(())
}
