-- Per-tenant keys of the pseudonyms in events. The tenancy service is their one owner: every
-- producing service asks for the key through the tenancy interface (internal calls only), so the
-- same person gets the same pseudonym whichever service emits the event. A key never changes.
CREATE TABLE pseudonym_keys (
    tenant_id   uuid NOT NULL PRIMARY KEY REFERENCES tenants (id),
    secret      text NOT NULL,
    created_at  timestamptz NOT NULL
);
ALTER TABLE pseudonym_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE pseudonym_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pseudonym_keys
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE FUNCTION pseudonym_keys_never_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'pseudonym keys never change';
END $$;
CREATE TRIGGER pseudonym_keys_never_change BEFORE UPDATE OR DELETE ON pseudonym_keys
    FOR EACH ROW EXECUTE FUNCTION pseudonym_keys_never_change();
