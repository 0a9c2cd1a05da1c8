-- The duplicate search's blocking keys (`names::person_name_keys`): per person, every consonant
-- bigram of the tokens of its stored skeleton, a token of one consonant as itself, and `=` with
-- its name key. A search selects the persons sharing a key with it and ranks them by how many
-- they share, through the primary key alone: the territory is carried (and included in the
-- index) so that an operator's territories restrict the candidates before they are capped. The
-- rows are written with the person, in the same transaction, and go with it.
CREATE TABLE person_name_keys (
    tenant_id       uuid NOT NULL,
    key             text NOT NULL,
    person_id       uuid NOT NULL,
    territory_code  text NOT NULL,
    PRIMARY KEY (tenant_id, key, person_id) INCLUDE (territory_code),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX person_name_keys_by_person ON person_name_keys (tenant_id, person_id);

ALTER TABLE person_name_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE person_name_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON person_name_keys
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
