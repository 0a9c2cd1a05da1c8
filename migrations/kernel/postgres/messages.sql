-- The message outbox of a service's store (sportello_kernel::messages): e-mails and SMS queued in
-- the transaction of the change that asks for them, delivered by the dispatcher of the service's
-- role with retries and backoff. Recipient and content are cleared once a message is final
-- (sent, failed, bounced): what stays is its kind, channel, status and times.
-- A message of no tenant (a password reset) has the nil uuid as tenant_id.
CREATE TABLE messages (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    kind            text NOT NULL,
    channel         text NOT NULL,
    language        text NOT NULL,
    reference       uuid,
    recipient       text,
    subject         text,
    body_text       text,
    body_html       text,
    status          text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON messages
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- The dispatcher works across tenants on this table only (app.scope = 'messages'); messages of
-- no tenant are written in that scope too.
CREATE POLICY dispatcher ON messages
    USING (current_setting('app.scope', true) = 'messages')
    WITH CHECK (current_setting('app.scope', true) = 'messages');
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX messages_by_reference ON messages (tenant_id, reference);
