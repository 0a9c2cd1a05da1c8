-- The duplicate search's blocking keys (`names::person_name_keys`): per person, every consonant
-- bigram of the tokens of its stored skeleton, a token of one consonant as itself, and `=` with
-- its name key. A search selects the persons sharing a key with it and ranks them by how many
-- they share, through the primary key alone (a table without rowid keeps the territory in it),
-- so that an operator's territories restrict the candidates before they are capped. The rows
-- are written with the person, in the same transaction, and go with it.
CREATE TABLE person_name_keys (
    tenant_id       BLOB NOT NULL,
    key             TEXT NOT NULL,
    person_id       BLOB NOT NULL,
    territory_code  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key, person_id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX person_name_keys_by_person ON person_name_keys (tenant_id, person_id);
