-- Volunteers: collaboration pacts (patti di collaborazione) between active citizens and a
-- municipality of the tenant on the shared care of a common good, the history of each pact's
-- status and its activity reports. Every table has tenant_id leading its primary key.

CREATE TABLE pacts (
    tenant_id                   BLOB NOT NULL,
    id                          BLOB NOT NULL,
    proposer_kind               TEXT NOT NULL,
    proposer_name               TEXT NOT NULL,
    proposer_email              TEXT,
    proposer_phone              TEXT,
    proposer_volunteers         TEXT NOT NULL,
    municipality                TEXT NOT NULL,
    good_kind                   TEXT NOT NULL,
    good_name                   TEXT NOT NULL,
    good_address                TEXT,
    activities                  TEXT NOT NULL,
    municipality_commitments    TEXT NOT NULL,
    proposer_commitments        TEXT NOT NULL,
    first_start_date            TEXT NOT NULL,
    start_date                  TEXT NOT NULL,
    end_date                    TEXT NOT NULL,
    duration_months             INTEGER NOT NULL,
    period                      INTEGER NOT NULL DEFAULT 1,
    renewal                     TEXT NOT NULL,
    status                      TEXT NOT NULL,
    signed_on                   TEXT,
    activated_on                TEXT,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    version                     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX pacts_by_municipality ON pacts (tenant_id, municipality, status, id);
CREATE INDEX pacts_by_status ON pacts (tenant_id, status, id);

CREATE TABLE pact_status_changes (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    pact_id     BLOB NOT NULL,
    status      TEXT NOT NULL,
    by_user     BLOB,
    at          TEXT NOT NULL,
    note        TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pact_id) REFERENCES pacts (tenant_id, id)
);
CREATE INDEX pact_status_changes_by_pact ON pact_status_changes (tenant_id, pact_id, id);

CREATE TABLE pact_reports (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    pact_id     BLOB NOT NULL,
    reported_on TEXT NOT NULL,
    body        TEXT NOT NULL,
    minutes     INTEGER,
    by_user     BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pact_id) REFERENCES pacts (tenant_id, id)
);
CREATE INDEX pact_reports_by_pact ON pact_reports (tenant_id, pact_id, id);
