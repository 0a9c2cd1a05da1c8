-- The message outbox of a service's store (sportello_kernel::messages): e-mails and SMS queued in
-- the transaction of the change that asks for them, delivered by the dispatcher of the service's
-- role with retries and backoff. Recipient and content are cleared once a message is final.
-- A message of no tenant (a password reset) has the nil uuid as tenant_id.
CREATE TABLE messages (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    language        TEXT NOT NULL,
    reference       BLOB,
    recipient       TEXT,
    subject         TEXT,
    body_text       TEXT,
    body_html       TEXT,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX messages_by_reference ON messages (tenant_id, reference);
