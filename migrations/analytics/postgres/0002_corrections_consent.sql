-- A fact whose date can be corrected carries the pseudonym of its object (need, intervention):
-- a later event with the same key replaces it. A person's latest decision on anonymised
-- statistics, by the id of the event that brought it: while withdrawn, nothing of theirs is kept.
ALTER TABLE facts ADD COLUMN fact_key text;
CREATE INDEX facts_by_key ON facts (tenant_id, fact_key);
CREATE INDEX facts_by_person ON facts (tenant_id, person, month);

CREATE TABLE statistics_consent (
    tenant_id   uuid NOT NULL,
    person      text NOT NULL,
    given       boolean NOT NULL,
    event_id    uuid NOT NULL,
    PRIMARY KEY (tenant_id, person)
);
ALTER TABLE statistics_consent ENABLE ROW LEVEL SECURITY;
ALTER TABLE statistics_consent FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON statistics_consent
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY ingest ON statistics_consent
    USING (current_setting('app.scope', true) = 'ingest')
    WITH CHECK (current_setting('app.scope', true) = 'ingest');
