-- A tenant's own need types, each refining one category of the common taxonomy (which stays the
-- unit of shared statistics). A need may name one of them.

CREATE TABLE need_types (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    code            text NOT NULL,
    label           text NOT NULL,
    category        text NOT NULL,
    retired         boolean NOT NULL DEFAULT false,
    created_by      uuid NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

ALTER TABLE needs ADD COLUMN type_code text;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['need_types'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)
                WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
END $$;
