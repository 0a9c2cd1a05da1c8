-- API tokens: personal (acting as their owner, with the owner's roles in the tenant) and service
-- tokens (with the roles given when they were issued), each with a scope, an expiry and its last
-- use. Only the SHA-256 of a token is stored. Every use is kept in api_token_uses.
CREATE TABLE api_tokens (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    kind            text NOT NULL,
    name            text NOT NULL,
    scope           text NOT NULL,
    owner_user_id   uuid,
    roles           text NOT NULL,
    token_hash      text NOT NULL,
    created_by      uuid NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    revoked_by      uuid,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, token_hash)
);
CREATE INDEX api_tokens_by_owner ON api_tokens (tenant_id, owner_user_id, id);

CREATE TABLE api_token_uses (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    token_id    uuid NOT NULL,
    at          timestamptz NOT NULL,
    operation   text NOT NULL,
    kind        text NOT NULL,
    client      text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, token_id) REFERENCES api_tokens (tenant_id, id)
);
CREATE INDEX api_token_uses_by_token ON api_token_uses (tenant_id, token_id, id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['api_tokens', 'api_token_uses'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
