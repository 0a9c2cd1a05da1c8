-- The outbox relay works across tenants on the outbox only: it runs with app.scope = 'relay'.
CREATE POLICY relay ON outbox
    USING (current_setting('app.scope', true) = 'relay')
    WITH CHECK (current_setting('app.scope', true) = 'relay');
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
