-- Tenancy: tenants, users, territories, desks, places, memberships, invitations.
-- Every tenant-owned table has tenant_id leading its primary key.

CREATE TABLE tenants (
    id          BLOB PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id              BLOB PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT,
    platform_admin  INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);

CREATE TABLE territories (
    tenant_id   BLOB NOT NULL REFERENCES tenants (id),
    id          BLOB NOT NULL,
    istat_code  TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, istat_code)
);

CREATE TABLE desks (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    territory_id    BLOB NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    address         TEXT,
    opening_hours   TEXT,
    languages       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, territory_id) REFERENCES territories (tenant_id, id)
);

CREATE TABLE places (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    desk_id     BLOB NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    address     TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, desk_id) REFERENCES desks (tenant_id, id)
);

CREATE TABLE memberships (
    tenant_id   BLOB NOT NULL REFERENCES tenants (id),
    id          BLOB NOT NULL,
    user_id     BLOB NOT NULL REFERENCES users (id),
    roles       TEXT NOT NULL,
    territories TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE invitations (
    tenant_id   BLOB NOT NULL REFERENCES tenants (id),
    id          BLOB NOT NULL,
    email       TEXT NOT NULL,
    roles       TEXT NOT NULL,
    territories TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    expires_at  TEXT NOT NULL,
    accepted_at TEXT,
    invited_by  BLOB,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
