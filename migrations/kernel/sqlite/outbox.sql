-- The transactional outbox of a service's store (sportello_kernel::outbox): pseudonymised events
-- written with the change they describe, published by the relay of the service's role.
CREATE TABLE outbox (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    published_at    TEXT,
    PRIMARY KEY (tenant_id, id)
);
-- Unpublished events, in order, for the outbox relay.
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
