-- Audit entries written by requests and not yet chained. A request inserts its entries here in
-- its own transaction, without touching the tenant's head; the sealer moves them into audit_log
-- in batches, in (at, id) order, assigning sequence numbers and hashes.
CREATE TABLE audit_pending (
    tenant_id   BLOB NOT NULL,
    -- For reads, derived from the request, actor, object, fields and second: the same read
    -- repeated within one request is written once.
    id          BLOB NOT NULL,
    at          TEXT NOT NULL,
    actor       BLOB,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   BLOB NOT NULL,
    fields      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_pending_in_order ON audit_pending (tenant_id, at, id);
-- Entries are moved (inserted, then deleted by the sealer), never changed.
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
