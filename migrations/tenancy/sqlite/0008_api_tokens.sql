-- API tokens: personal (acting as their owner, with the owner's roles in the tenant) and service
-- tokens (with the roles given when they were issued), each with a scope, an expiry and its last
-- use. Only the SHA-256 of a token is stored. Every use is kept in api_token_uses.
CREATE TABLE api_tokens (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    kind            TEXT NOT NULL,
    name            TEXT NOT NULL,
    scope           TEXT NOT NULL,
    owner_user_id   BLOB,
    roles           TEXT NOT NULL,
    token_hash      TEXT NOT NULL,
    created_by      BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    last_used_at    TEXT,
    revoked_at      TEXT,
    revoked_by      BLOB,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, token_hash)
);
CREATE INDEX api_tokens_by_owner ON api_tokens (tenant_id, owner_user_id, id);

CREATE TABLE api_token_uses (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    token_id    BLOB NOT NULL,
    at          TEXT NOT NULL,
    operation   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    client      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, token_id) REFERENCES api_tokens (tenant_id, id)
);
CREATE INDEX api_token_uses_by_token ON api_token_uses (tenant_id, token_id, id);
