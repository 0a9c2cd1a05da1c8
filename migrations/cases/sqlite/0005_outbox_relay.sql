-- Unpublished events, in order, for the outbox relay.
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
