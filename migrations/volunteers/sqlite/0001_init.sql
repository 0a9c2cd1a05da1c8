-- Volunteers: the register of active citizens (albo dei cittadini attivi), its skill taxonomy and
-- the history of each application's status. Every table has tenant_id leading its primary key.

CREATE TABLE skills (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    code        TEXT NOT NULL,
    label       TEXT,
    retired     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

CREATE TABLE volunteers (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    given_names         TEXT NOT NULL,
    family_names        TEXT NOT NULL,
    email               TEXT,
    phone               TEXT,
    languages           TEXT NOT NULL,
    skills              TEXT NOT NULL,
    territories         TEXT NOT NULL,
    availability        TEXT NOT NULL,
    works_with_minors   INTEGER NOT NULL DEFAULT 0,
    minors_check_on     TEXT,
    status              TEXT NOT NULL,
    source              TEXT NOT NULL,
    user_id             BLOB,
    invitation_id       BLOB,
    conduct_signed_on   TEXT,
    data_consent_on     TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX volunteers_by_status ON volunteers (tenant_id, status, id);
CREATE UNIQUE INDEX volunteers_by_user ON volunteers (tenant_id, user_id) WHERE user_id IS NOT NULL;

CREATE TABLE volunteer_status_changes (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    volunteer_id    BLOB NOT NULL,
    status          TEXT NOT NULL,
    by_user         BLOB,
    at              TEXT NOT NULL,
    note            TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id)
);
CREATE INDEX volunteer_status_changes_by_volunteer ON volunteer_status_changes (tenant_id, volunteer_id, id);
