-- Sign-in with a tenant's OpenID provider: its configuration (one per tenant), the client secret
-- or the private key of private_key_jwt sealed under a data key wrapped by the tenant's key (never
-- readable back through the API), and the identities (issuer, subject) linked to users.
CREATE TABLE oidc_providers (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    issuer              TEXT NOT NULL,
    client_id           TEXT NOT NULL,
    auth_method         TEXT NOT NULL,
    key_version         INTEGER NOT NULL,
    wrapped_key         BLOB NOT NULL,
    sealed_secret       BLOB NOT NULL,
    key_id              TEXT,
    scopes              TEXT NOT NULL,
    user_claim          TEXT NOT NULL,
    allowed_domains     TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id)
);

-- An identity at a provider, linked to a user on their first sign-in through it.
CREATE TABLE user_identities (
    id          BLOB PRIMARY KEY,
    user_id     BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issuer      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (issuer, subject)
);
CREATE INDEX user_identities_by_user ON user_identities (user_id);
