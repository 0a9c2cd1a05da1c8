-- The pseudonyms of people erased (GDPR art. 17) by a producer, and nothing else: a fact of one
-- of them that arrives after the erasure (delivered late, or republished) is dropped, and their
-- consent notices are ignored (docs/privacy.md, "Erasure").
CREATE TABLE erased_people (
    tenant_id   uuid NOT NULL,
    person      text NOT NULL,
    PRIMARY KEY (tenant_id, person)
);
ALTER TABLE erased_people ENABLE ROW LEVEL SECURITY;
ALTER TABLE erased_people FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON erased_people
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY ingest ON erased_people
    USING (current_setting('app.scope', true) = 'ingest')
    WITH CHECK (current_setting('app.scope', true) = 'ingest');
-- The erasure deletes a person's cell memberships in every month.
CREATE INDEX cell_members_by_person ON cell_members (tenant_id, person);
