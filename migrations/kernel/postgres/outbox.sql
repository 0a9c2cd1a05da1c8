-- The transactional outbox of a service's store (sportello_kernel::outbox): pseudonymised events
-- written with the change they describe, published by the relay of the service's role. Runs in
-- the service's own schema.
CREATE TABLE outbox (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    event_type      text NOT NULL,
    payload         text NOT NULL,
    created_at      timestamptz NOT NULL,
    published_at    timestamptz,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- The relay works across tenants on the outbox only: it runs with app.scope = 'relay'.
CREATE POLICY relay ON outbox
    USING (current_setting('app.scope', true) = 'relay')
    WITH CHECK (current_setting('app.scope', true) = 'relay');
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
