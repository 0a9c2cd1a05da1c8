//! Messages that leave the installation: e-mails over SMTP and SMS through an HTTP provider.
//!
//! A service asks for a message with [`queue`] in the transaction of the change that needs it
//! (an invitation issued, a password reset asked for, a reminder come due), into the `messages`
//! table of its own store (created by `migrations/kernel/*/messages.sql`). Nothing is sent inside
//! that transaction: the [`Dispatcher`] of the service's role claims due messages, sends them
//! outside any transaction, and records the outcome. A message is delivered at least once: a
//! crash between sending and recording sends it again once its claim lapses.
//!
//! Retries: a temporary failure (the SMTP server or the SMS provider down, a 4xx SMTP answer, an
//! HTTP 5xx or 429) is tried again after 30 s, doubling up to one hour between tries, for
//! [`MAX_ATTEMPTS`] tries (about two days); then the message is `FAILED`. A permanent refusal of
//! the recipient (an SMTP 5xx answer, an HTTP 4xx) makes it `BOUNCED` at once. Once a message is
//! final (`SENT`, `FAILED`, `BOUNCED`) its recipient and content are erased: staff see its kind,
//! channel, status, tries and times, never its text. Nothing of a message's recipient or content
//! is logged; failures are logged by message id and error class only.

pub mod templates;
mod transport;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::{Db, Scope, Tx};
use crate::{Clock, Result};

pub use templates::{Content, MessageLanguage, Template};
pub use transport::{HttpSms, SendError, SmtpMailer, Transport};

/// The messages table.
pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "messages")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// [`super::MessageKind`].
        pub kind: String,
        /// [`super::Channel`].
        pub channel: String,
        /// [`super::MessageLanguage`] code.
        pub language: String,
        /// What the message is about (an invitation, an appointment), for its status.
        pub reference: Option<Uuid>,
        /// Cleared once the message is final.
        pub recipient: Option<String>,
        pub subject: Option<String>,
        pub body_text: Option<String>,
        pub body_html: Option<String>,
        /// [`super::DeliveryStatus`].
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        /// The class of the last failure ([`super::SendError::class`]), never its text.
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
    }

    crate::tenant_owned!();
}

/// The scope of the dispatcher's transactions and of messages of no tenant; only the messages
/// table grants it (row-level security).
pub const SCOPE: Scope = Scope::Service("messages");

/// Tries before a message that keeps failing for a temporary reason is `FAILED`.
pub const MAX_ATTEMPTS: i32 = 50;

/// What a message is for.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::AsRefStr,
    strum::EnumString,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum MessageKind {
    Invitation,
    PasswordReset,
    AppointmentReminder,
    /// A coming deadline of a procedure, to the person.
    ProcedureReminder,
    /// A coming deadline of a procedure, to the staff member following it.
    ProcedureAlert,
}

/// How a message travels.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::AsRefStr,
    strum::EnumString,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum Channel {
    Email,
    Sms,
}

/// Where a message stands.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::AsRefStr,
    strum::EnumString,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum DeliveryStatus {
    /// Waiting for its first try or for a retry.
    Pending,
    /// Accepted by the SMTP server or the SMS provider.
    Sent,
    /// Given up after [`MAX_ATTEMPTS`] temporary failures.
    Failed,
    /// Refused for good by the server or provider (unknown address or number).
    Bounced,
}

/// A message to queue.
#[derive(Clone)]
pub struct Outgoing {
    pub kind: MessageKind,
    pub channel: Channel,
    pub language: MessageLanguage,
    pub reference: Option<Uuid>,
    /// An e-mail address (checked with `contact::Email`) or an E.164 phone number.
    pub recipient: String,
    pub content: Content,
}

impl std::fmt::Debug for Outgoing {
    // Neither the recipient nor the content is ever printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("kind", &self.kind)
            .field("channel", &self.channel)
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

/// A message's delivery as staff see it: no recipient, no content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: Uuid,
    pub kind: MessageKind,
    pub channel: Channel,
    pub language: String,
    pub reference: Option<Uuid>,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// The class of the last failure (`unreachable`, `rejected`, `timeout`, …).
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

fn to_delivery(m: entity::Model) -> Result<Delivery> {
    let bad = |_| crate::Error::internal("a stored message has an unknown code");
    Ok(Delivery {
        id: m.id,
        kind: m.kind.parse().map_err(bad)?,
        channel: m.channel.parse().map_err(bad)?,
        language: m.language,
        reference: m.reference,
        status: m.status.parse().map_err(bad)?,
        attempts: m.attempts,
        last_error: m.last_error,
        created_at: m.created_at,
        sent_at: m.sent_at,
    })
}

/// Queues a message in the transaction's store, written when it commits ([`Tx::defer`]): in the
/// transaction's tenant, or with no tenant (the nil uuid) in a transaction opened in [`SCOPE`].
/// Returns the message id.
pub fn queue(tx: &Tx, now: DateTime<Utc>, message: Outgoing) -> Result<Uuid> {
    let tenant = if tx.in_tenant_scope() {
        tx.tenant()?.uuid()
    } else {
        Uuid::nil()
    };
    let id = Uuid::now_v7();
    let row = entity::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(id),
        kind: Set(message.kind.as_ref().to_owned()),
        channel: Set(message.channel.as_ref().to_owned()),
        language: Set(message.language.code().to_owned()),
        reference: Set(message.reference),
        recipient: Set(Some(message.recipient)),
        subject: Set(Some(message.content.subject)),
        body_text: Set(Some(message.content.text)),
        body_html: Set(message.content.html),
        status: Set(DeliveryStatus::Pending.as_ref().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    };
    tx.defer(entity::Entity::insert(row).build(tx.backend()), Some(id));
    Ok(id)
}

/// The deliveries of the messages about `references` in the transaction's tenant, newest first.
pub async fn deliveries(tx: &Tx, references: &[Uuid]) -> Result<Vec<Delivery>> {
    if references.is_empty() {
        return Ok(Vec::new());
    }
    tx.scoped::<entity::Entity>()?
        .filter(entity::Column::Reference.is_in(references.iter().copied()))
        .order_by_desc(entity::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(to_delivery)
        .collect()
}

/// Where each channel goes; a channel with no transport keeps its messages `PENDING` until one
/// is configured.
#[derive(Clone, Default)]
pub struct Transports {
    pub email: Option<Arc<dyn Transport>>,
    pub sms: Option<Arc<dyn Transport>>,
}

impl Transports {
    fn of(&self, channel: Channel) -> Option<&Arc<dyn Transport>> {
        match channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms => self.sms.as_ref(),
        }
    }
}

/// The pause before try `attempts + 1` after `attempts` failed tries: `base` (30 s by
/// default), doubling, at most one hour (or `base` when that is longer).
pub fn backoff(base: chrono::Duration, attempts: i32) -> chrono::Duration {
    let exp = attempts.clamp(1, 8) - 1;
    let pause = base * (1 << exp);
    pause.min(chrono::Duration::hours(1).max(base))
}

/// Delivers one store's messages.
#[derive(Clone)]
pub struct Dispatcher {
    db: Db,
    transports: Transports,
    clock: Clock,
    batch: u64,
    /// How long a claimed message is kept from other dispatchers while it is being sent.
    lease: chrono::Duration,
    /// The first pause after a temporary failure ([`backoff`]).
    retry_base: chrono::Duration,
}

impl Dispatcher {
    pub fn new(db: Db, transports: Transports) -> Self {
        Self {
            db,
            transports,
            clock: Clock::default(),
            batch: 50,
            lease: chrono::Duration::minutes(2),
            retry_base: chrono::Duration::seconds(30),
        }
    }

    /// The first pause after a temporary failure (30 s unless set), doubling from there.
    pub fn with_retry_base(mut self, base: Duration) -> Self {
        self.retry_base = chrono::Duration::from_std(base).unwrap_or(self.retry_base);
        self
    }

    /// Reads "now" from `clock` (tests that start later in time).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    fn channels(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.transports.email.is_some() {
            out.push("EMAIL");
        }
        if self.transports.sms.is_some() {
            out.push("SMS");
        }
        out
    }

    /// Claims the due messages of the configured channels (postponing them by the lease, so
    /// another dispatcher leaves them alone while they are sent).
    #[allow(
        clippy::disallowed_methods,
        reason = "audited: the dispatcher works across tenants on the messages table only (scope `messages`)"
    )]
    async fn claim(&self) -> Result<Vec<entity::Model>> {
        let channels = self.channels();
        if channels.is_empty() {
            return Ok(Vec::new());
        }
        let now = self.clock.now();
        let tx = self.db.begin(SCOPE).await?;
        let mut query = entity::Entity::find()
            .filter(entity::Column::Status.eq(DeliveryStatus::Pending.as_ref()))
            .filter(entity::Column::NextAttemptAt.lte(now))
            .filter(entity::Column::Channel.is_in(channels))
            .order_by_asc(entity::Column::NextAttemptAt)
            .limit(self.batch);
        if self.db.backend() == DbBackend::Postgres {
            query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = query.all(tx.conn()).await?;
        for row in &rows {
            let mut claim: entity::ActiveModel = row.clone().into();
            claim.next_attempt_at = Set(now + self.lease);
            claim.update(tx.conn()).await?;
        }
        tx.commit().await?;
        Ok(rows)
    }

    /// Records the outcome of one try.
    #[allow(
        clippy::disallowed_methods,
        reason = "audited: the dispatcher works across tenants on the messages table only (scope `messages`)"
    )]
    async fn record(
        &self,
        row: entity::Model,
        outcome: std::result::Result<(), SendError>,
    ) -> Result<DeliveryStatus> {
        let now = self.clock.now();
        let attempts = row.attempts + 1;
        let status = match &outcome {
            Ok(()) => DeliveryStatus::Sent,
            Err(SendError::Permanent(_)) => DeliveryStatus::Bounced,
            Err(SendError::Temporary(_)) if attempts >= MAX_ATTEMPTS => DeliveryStatus::Failed,
            Err(SendError::Temporary(_)) => DeliveryStatus::Pending,
        };
        let mut model: entity::ActiveModel = row.into();
        model.attempts = Set(attempts);
        model.status = Set(status.as_ref().to_owned());
        // A message sent after failures keeps the class of the last one (why it was late).
        if let Err(err) = &outcome {
            model.last_error = Set(Some(err.class().to_owned()));
        }
        if status == DeliveryStatus::Pending {
            model.next_attempt_at = Set(now + backoff(self.retry_base, attempts));
        } else {
            // Final: what was said and to whom is no longer kept.
            model.recipient = Set(None);
            model.subject = Set(None);
            model.body_text = Set(None);
            model.body_html = Set(None);
        }
        if status == DeliveryStatus::Sent {
            model.sent_at = Set(Some(now));
        }
        let tx = self.db.begin(SCOPE).await?;
        model.update(tx.conn()).await?;
        tx.commit().await?;
        Ok(status)
    }

    /// Sends the due messages once; returns how many were tried.
    pub async fn deliver_once(&self) -> Result<usize> {
        let rows = self.claim().await?;
        let tried = rows.len();
        for row in rows {
            let Some(transport) = row.channel.parse().ok().and_then(|c| self.transports.of(c))
            else {
                continue;
            };
            let outcome = match (&row.recipient, &row.subject, &row.body_text) {
                (Some(to), Some(subject), Some(text)) => {
                    let content = Content {
                        subject: subject.clone(),
                        text: text.clone(),
                        html: row.body_html.clone(),
                    };
                    let language = MessageLanguage::from_code(&row.language);
                    match tokio::time::timeout(
                        Duration::from_secs(30),
                        transport.send(to, &content, language),
                    )
                    .await
                    {
                        Ok(outcome) => outcome,
                        Err(_) => Err(SendError::Temporary("timeout")),
                    }
                }
                _ => Err(SendError::Permanent("empty")),
            };
            if let Err(err) = &outcome {
                tracing::warn!(message = %row.id, class = err.class(), "a message could not be delivered");
            }
            let id = row.id;
            let status = self.record(row, outcome).await?;
            metrics::counter!("sportello_messages_total", "status" => status.as_ref().to_owned())
                .increment(1);
            tracing::debug!(message = %id, status = status.as_ref(), "message tried");
        }
        Ok(tried)
    }

    /// Delivers forever: back to back while messages are due, otherwise every `idle`. A
    /// database failure is retried with a growing pause; nothing is lost.
    pub async fn run(self, idle: Duration) {
        let mut pause = idle;
        loop {
            match self.deliver_once().await {
                Ok(n) if n as u64 == self.batch => continue,
                Ok(_) => pause = idle,
                Err(err) => {
                    tracing::warn!(code = err.code.as_str(), "message dispatcher pass failed");
                    pause = (pause * 2).min(Duration::from_secs(5));
                }
            }
            tokio::time::sleep(pause).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_to_one_hour() {
        let base = chrono::Duration::seconds(30);
        let secs: Vec<i64> = (1..=10).map(|a| backoff(base, a).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        let one = chrono::Duration::seconds(1);
        assert_eq!(backoff(one, 3).num_seconds(), 4);
    }
}
