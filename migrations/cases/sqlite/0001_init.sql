-- Cases: persons, households, consents, cases, encounters, needs, interventions; the audit log
-- and the outbox. Every table has tenant_id leading its primary key.

CREATE TABLE households (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    label           TEXT NOT NULL,
    territory_code  TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE persons (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    given_names         TEXT NOT NULL,
    family_names        TEXT NOT NULL,
    latin_given_names   TEXT NOT NULL,
    latin_family_names  TEXT NOT NULL,
    name_key            TEXT NOT NULL,
    name_skeleton       TEXT NOT NULL,
    birth_year          INTEGER,
    birth_month         INTEGER,
    birth_day           INTEGER,
    sex                 TEXT,
    gender              TEXT,
    country_of_birth    TEXT,
    citizenships        TEXT NOT NULL,
    languages           TEXT NOT NULL,
    phone               TEXT,
    email               TEXT,
    codice_fiscale      TEXT,
    permit_type         TEXT,
    permit_number       TEXT,
    permit_expiry       TEXT,
    household_id        BLOB,
    household_role      TEXT,
    territory_code      TEXT NOT NULL,
    created_by          BLOB NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, codice_fiscale),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id)
);
CREATE INDEX persons_by_name_key ON persons (tenant_id, name_key);

CREATE TABLE consents (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    person_id   BLOB NOT NULL,
    purpose     TEXT NOT NULL,
    given       INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by BLOB NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id)
);
CREATE INDEX consents_by_person ON consents (tenant_id, person_id, purpose);

CREATE TABLE cases (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    person_id           BLOB NOT NULL,
    status              TEXT NOT NULL,
    outcome             TEXT,
    territory_code      TEXT NOT NULL,
    desk_id             BLOB,
    primary_operator    BLOB NOT NULL,
    opened_at           TEXT NOT NULL,
    closed_at           TEXT,
    reopen_reason       TEXT,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id)
);
CREATE INDEX cases_by_status ON cases (tenant_id, status);
CREATE INDEX cases_by_person ON cases (tenant_id, person_id);

CREATE TABLE encounters (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    case_id             BLOB NOT NULL,
    occurred_at         TEXT NOT NULL,
    channel             TEXT NOT NULL,
    language            TEXT,
    mediator_present    INTEGER NOT NULL,
    duration_minutes    INTEGER,
    notes               TEXT,
    created_by          BLOB NOT NULL,
    created_at          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX encounters_by_case ON encounters (tenant_id, case_id, occurred_at);

CREATE TABLE needs (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    case_id         BLOB NOT NULL,
    code            TEXT NOT NULL,
    source          TEXT NOT NULL,
    status          TEXT NOT NULL,
    encounter_id    BLOB,
    noted_at        TEXT NOT NULL,
    noted_by        BLOB NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX needs_by_case ON needs (tenant_id, case_id);

CREATE TABLE interventions (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    case_id     BLOB NOT NULL,
    kind        TEXT NOT NULL,
    need_ids    TEXT NOT NULL,
    outcome     TEXT,
    done_at     TEXT NOT NULL,
    done_by     BLOB NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX interventions_by_case ON interventions (tenant_id, case_id);

-- Append-only, hash-chained audit log: who did what to which object and which fields, never values.
CREATE TABLE audit_heads (
    tenant_id   BLOB NOT NULL PRIMARY KEY,
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL
);

CREATE TABLE audit_log (
    tenant_id   BLOB NOT NULL,
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    actor       BLOB,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   BLOB NOT NULL,
    fields      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Transactional outbox: pseudonymised events written with the change they describe.
CREATE TABLE outbox (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    published_at    TEXT,
    PRIMARY KEY (tenant_id, id)
);

-- Per-tenant key of the person pseudonyms in events; never leaves this store.
CREATE TABLE tenant_keys (
    tenant_id   BLOB NOT NULL PRIMARY KEY,
    secret      TEXT NOT NULL
);
