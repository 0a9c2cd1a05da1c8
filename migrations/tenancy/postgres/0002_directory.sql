-- The directory of territorial services ("banca dati delle risorse"), shaped after Open Referral
-- HSDS: organisations and the services they offer, each in a territory.

CREATE TABLE organizations (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    name        text NOT NULL,
    description text,
    website     text,
    email       text,
    phone       text,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE directory_services (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    organization_id uuid NOT NULL,
    name            text NOT NULL,
    description     text,
    categories      text NOT NULL,
    territory_id    uuid NOT NULL,
    address         text,
    languages       text NOT NULL,
    email           text,
    phone           text,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id),
    FOREIGN KEY (tenant_id, territory_id) REFERENCES territories (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['organizations', 'directory_services'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)
                WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
END $$;
