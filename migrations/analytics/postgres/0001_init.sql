-- Anonymised facts: no name, codice fiscale, contact, note or birth date is ever stored here.
-- `person` and `case_key` are keyed pseudonyms made by the cases service with a per-tenant
-- secret that never leaves it.

CREATE TABLE processed_events (
    tenant_id       uuid NOT NULL,
    event_id        uuid NOT NULL,
    processed_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);

CREATE TABLE facts (
    tenant_id           uuid NOT NULL,
    event_id            uuid NOT NULL,
    event_type          text NOT NULL,
    person              text NOT NULL,
    day                 text NOT NULL,
    month               text NOT NULL,
    territory           text NOT NULL,
    age_band            text NOT NULL,
    sex                 text NOT NULL,
    country_of_birth    text NOT NULL,
    need                text,
    intervention        text,
    status              text,
    case_key            text,
    PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX facts_by_month ON facts (tenant_id, month);

-- Distinct people per cell of the shared views, at municipality level and, with territory '*',
-- at the level of the tenant (the consortium), with the cell key of the perturbation.
CREATE TABLE cells (
    tenant_id   uuid NOT NULL,
    measure     text NOT NULL,
    territory   text NOT NULL,
    month       text NOT NULL,
    category    text NOT NULL,
    people      bigint NOT NULL,
    cell_key    bigint NOT NULL,
    PRIMARY KEY (tenant_id, measure, territory, month, category)
);
CREATE INDEX cells_by_view ON cells (measure, month);

CREATE TABLE cell_members (
    tenant_id   uuid NOT NULL,
    measure     text NOT NULL,
    territory   text NOT NULL,
    month       text NOT NULL,
    category    text NOT NULL,
    person      text NOT NULL,
    PRIMARY KEY (tenant_id, measure, territory, month, category, person)
);

CREATE TABLE targets (
    tenant_id   uuid NOT NULL,
    code        text NOT NULL,
    target      bigint,
    PRIMARY KEY (tenant_id, code)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['processed_events', 'facts', 'cells', 'cell_members', 'targets'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)
                WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
    -- Ingestion writes facts of every tenant.
    FOREACH t IN ARRAY ARRAY['processed_events', 'facts', 'cells', 'cell_members'] LOOP
        EXECUTE format(
            'CREATE POLICY ingest ON %I
                USING (current_setting(''app.scope'', true) = ''ingest'')
                WITH CHECK (current_setting(''app.scope'', true) = ''ingest'')',
            t);
    END LOOP;
END $$;
-- The shared views read the aggregated cells of every tenant, and nothing else.
CREATE POLICY shared_read ON cells FOR SELECT
    USING (current_setting('app.scope', true) = 'shared');
