-- Facts of the volunteers service's activity (the register, hours, training, pacts), kept apart
-- from the facts about persons served: they never count as people reached. `subject` is a
-- keyed pseudonym (a volunteer, a participant or a pact); the rest are codes, a month and a
-- number of minutes. No name, contact or free text.
CREATE TABLE activity_facts (
    tenant_id       uuid NOT NULL,
    event_id        uuid NOT NULL,
    event_type      text NOT NULL,
    subject         text NOT NULL,
    month           text NOT NULL,
    territory       text NOT NULL,
    category        text NOT NULL,
    course_kind     text,
    minutes         integer NOT NULL DEFAULT 0,
    session_key     text,
    until_day       text,
    fact_key        text,
    PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX activity_facts_by_month ON activity_facts (tenant_id, event_type, month);
CREATE INDEX activity_facts_by_key ON activity_facts (tenant_id, fact_key) WHERE fact_key IS NOT NULL;
ALTER TABLE activity_facts ENABLE ROW LEVEL SECURITY;
ALTER TABLE activity_facts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON activity_facts
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY ingest ON activity_facts
    USING (current_setting('app.scope', true) = 'ingest')
    WITH CHECK (current_setting('app.scope', true) = 'ingest');
