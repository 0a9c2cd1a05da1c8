-- A fact whose date can be corrected carries the pseudonym of its object (need, intervention):
-- a later event with the same key replaces it. A person's latest decision on anonymised
-- statistics, by the id of the event that brought it: while withdrawn, nothing of theirs is kept.
ALTER TABLE facts ADD COLUMN fact_key TEXT;
CREATE INDEX facts_by_key ON facts (tenant_id, fact_key);
CREATE INDEX facts_by_person ON facts (tenant_id, person, month);

CREATE TABLE statistics_consent (
    tenant_id   BLOB NOT NULL,
    person      TEXT NOT NULL,
    given       BOOLEAN NOT NULL,
    event_id    BLOB NOT NULL,
    PRIMARY KEY (tenant_id, person)
);
