-- Anonymised facts: no name, codice fiscale, contact, note or birth date is ever stored here.
-- `person` and `case_key` are keyed pseudonyms made by the cases service with a per-tenant
-- secret that never leaves it.

CREATE TABLE processed_events (
    tenant_id       BLOB NOT NULL,
    event_id        BLOB NOT NULL,
    processed_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);

CREATE TABLE facts (
    tenant_id           BLOB NOT NULL,
    event_id            BLOB NOT NULL,
    event_type          TEXT NOT NULL,
    person              TEXT NOT NULL,
    day                 TEXT NOT NULL,
    month               TEXT NOT NULL,
    territory           TEXT NOT NULL,
    age_band            TEXT NOT NULL,
    sex                 TEXT NOT NULL,
    country_of_birth    TEXT NOT NULL,
    need                TEXT,
    intervention        TEXT,
    status              TEXT,
    case_key            TEXT,
    PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX facts_by_month ON facts (tenant_id, month);

-- Distinct people per cell of the shared views, at municipality level and, with territory '*',
-- at the level of the tenant (the consortium), with the cell key of the perturbation.
CREATE TABLE cells (
    tenant_id   BLOB NOT NULL,
    measure     TEXT NOT NULL,
    territory   TEXT NOT NULL,
    month       TEXT NOT NULL,
    category    TEXT NOT NULL,
    people      INTEGER NOT NULL,
    cell_key    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, measure, territory, month, category)
);
CREATE INDEX cells_by_view ON cells (measure, month);

CREATE TABLE cell_members (
    tenant_id   BLOB NOT NULL,
    measure     TEXT NOT NULL,
    territory   TEXT NOT NULL,
    month       TEXT NOT NULL,
    category    TEXT NOT NULL,
    person      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, measure, territory, month, category, person)
);

CREATE TABLE targets (
    tenant_id   BLOB NOT NULL,
    code        TEXT NOT NULL,
    target      INTEGER,
    PRIMARY KEY (tenant_id, code)
);

