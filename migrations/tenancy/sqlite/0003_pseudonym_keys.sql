-- Per-tenant keys of the pseudonyms in events. The tenancy service is their one owner: every
-- producing service asks for the key through the tenancy interface (internal calls only), so the
-- same person gets the same pseudonym whichever service emits the event. A key never changes.
CREATE TABLE pseudonym_keys (
    tenant_id   BLOB NOT NULL PRIMARY KEY REFERENCES tenants (id),
    secret      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TRIGGER pseudonym_keys_no_update BEFORE UPDATE ON pseudonym_keys
BEGIN SELECT RAISE(ABORT, 'pseudonym keys never change'); END;
CREATE TRIGGER pseudonym_keys_no_delete BEFORE DELETE ON pseudonym_keys
BEGIN SELECT RAISE(ABORT, 'pseudonym keys never change'); END;
