-- The pseudonyms of people erased (GDPR art. 17) by a producer, and nothing else: a fact of one
-- of them that arrives after the erasure (delivered late, or republished) is dropped, and their
-- consent notices are ignored (docs/privacy.md, "Erasure").
CREATE TABLE erased_people (
    tenant_id   BLOB NOT NULL,
    person      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person)
);
-- The erasure deletes a person's cell memberships in every month.
CREATE INDEX cell_members_by_person ON cell_members (tenant_id, person);
