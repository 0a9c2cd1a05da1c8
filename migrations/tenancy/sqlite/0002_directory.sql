-- The directory of territorial services ("banca dati delle risorse"), shaped after Open Referral
-- HSDS: organisations and the services they offer, each in a territory.

CREATE TABLE organizations (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    name        TEXT NOT NULL,
    description TEXT,
    website     TEXT,
    email       TEXT,
    phone       TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE directory_services (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    organization_id BLOB NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT,
    categories      TEXT NOT NULL,
    territory_id    BLOB NOT NULL,
    address         TEXT,
    languages       TEXT NOT NULL,
    email           TEXT,
    phone           TEXT,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id),
    FOREIGN KEY (tenant_id, territory_id) REFERENCES territories (tenant_id, id)
);
