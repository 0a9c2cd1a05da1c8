-- Audit entries written by requests and not yet chained. A request inserts its entries here in
-- its own transaction, without touching the tenant's head; the sealer moves them into audit_log
-- in batches, in (at, id) order, assigning sequence numbers and hashes under the head's lock.
CREATE TABLE audit_pending (
    tenant_id   uuid NOT NULL,
    -- For reads, derived from the request, actor, object, fields and second: the same read
    -- repeated within one request is written once.
    id          uuid NOT NULL,
    at          timestamptz NOT NULL,
    actor       uuid,
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   uuid NOT NULL,
    fields      text NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_pending_in_order ON audit_pending (tenant_id, at, id);
-- Entries are moved (inserted, then deleted by the sealer), never changed.
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

ALTER TABLE audit_pending ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_pending FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_pending
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- The sealer finds the tenants with entries to seal across tenants (app.scope = 'audit_sealer'),
-- reading only; it seals each tenant in that tenant's scope.
CREATE POLICY audit_sealer ON audit_pending FOR SELECT
    USING (current_setting('app.scope', true) = 'audit_sealer');
