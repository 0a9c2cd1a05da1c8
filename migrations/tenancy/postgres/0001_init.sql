-- Tenancy: tenants, users, territories, desks, places, memberships, invitations.
-- Runs inside the service's own schema (search_path). Every tenant-owned table has tenant_id
-- leading its primary key, and row-level security enabled and forced with a policy on the
-- transaction-local setting app.tenant_id; a missing setting matches no row.

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    email           text NOT NULL UNIQUE,
    display_name    text NOT NULL,
    password_hash   text,
    platform_admin  boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL
);

CREATE TABLE territories (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    istat_code  text NOT NULL,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, istat_code)
);

CREATE TABLE desks (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    territory_id    uuid NOT NULL,
    name            text NOT NULL,
    kind            text NOT NULL,
    address         text,
    opening_hours   text,
    languages       text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, territory_id) REFERENCES territories (tenant_id, id)
);

CREATE TABLE places (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    desk_id     uuid NOT NULL,
    name        text NOT NULL,
    kind        text NOT NULL,
    address     text,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, desk_id) REFERENCES desks (tenant_id, id)
);

CREATE TABLE memberships (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id),
    roles       text NOT NULL,
    territories text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE invitations (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    email       text NOT NULL,
    roles       text NOT NULL,
    territories text NOT NULL,
    token_hash  text NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    invited_by  uuid,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['territories', 'desks', 'places', 'memberships', 'invitations'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)
                WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
END $$;

-- A signed-in user reads their own memberships across tenants (to list and switch tenants).
CREATE POLICY own_memberships ON memberships FOR SELECT
    USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);

-- Whoever holds an invitation token reads that one invitation, and nothing else.
CREATE POLICY invitation_by_token ON invitations FOR SELECT
    USING (token_hash = NULLIF(current_setting('app.invitation_token', true), ''));
