-- Sign-in with a tenant's OpenID provider: its configuration (one per tenant), the client secret
-- or the private key of private_key_jwt sealed under a data key wrapped by the tenant's key (never
-- readable back through the API), and the identities (issuer, subject) linked to users.
CREATE TABLE oidc_providers (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    issuer              text NOT NULL,
    client_id           text NOT NULL,
    auth_method         text NOT NULL,
    key_version         integer NOT NULL,
    wrapped_key         bytea NOT NULL,
    sealed_secret       bytea NOT NULL,
    key_id              text,
    scopes              text NOT NULL,
    user_claim          text NOT NULL,
    allowed_domains     text NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id)
);
ALTER TABLE oidc_providers ENABLE ROW LEVEL SECURITY;
ALTER TABLE oidc_providers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON oidc_providers
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- An identity at a provider, linked to a user on their first sign-in through it.
CREATE TABLE user_identities (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issuer      text NOT NULL,
    subject     text NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (issuer, subject)
);
CREATE INDEX user_identities_by_user ON user_identities (user_id);
