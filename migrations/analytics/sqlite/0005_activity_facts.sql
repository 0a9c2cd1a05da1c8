-- Facts of the volunteers service's activity (the register, hours, training, pacts), kept apart
-- from the facts about persons served: they never count as people reached. `subject` is a
-- keyed pseudonym (a volunteer, a participant or a pact); the rest are codes, a month and a
-- number of minutes. No name, contact or free text.
CREATE TABLE activity_facts (
    tenant_id       BLOB NOT NULL,
    event_id        BLOB NOT NULL,
    event_type      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    month           TEXT NOT NULL,
    territory       TEXT NOT NULL,
    category        TEXT NOT NULL,
    course_kind     TEXT,
    minutes         INTEGER NOT NULL DEFAULT 0,
    session_key     TEXT,
    until_day       TEXT,
    fact_key        TEXT,
    PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX activity_facts_by_month ON activity_facts (tenant_id, event_type, month);
CREATE INDEX activity_facts_by_key ON activity_facts (tenant_id, fact_key) WHERE fact_key IS NOT NULL;
