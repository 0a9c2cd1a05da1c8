-- Long administrative procedures (pratiche, sportello_cases::domain::procedures): a tenant's own
-- procedure types beside the seeded ones, and the procedures of persons with the days their
-- steps were done, the status of their documents and their next deadline (computed on every
-- change from the type's rules, so that alerts and overdue lists are one indexed query).

CREATE TABLE procedure_types (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    code            TEXT NOT NULL,
    label           TEXT NOT NULL,
    definition      TEXT NOT NULL,
    retired         INTEGER NOT NULL DEFAULT 0,
    created_by      BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

CREATE TABLE procedures (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    person_id       BLOB NOT NULL,
    case_id         BLOB,
    type_code       TEXT NOT NULL,
    responsible_id  BLOB NOT NULL,
    started_on      TEXT NOT NULL,
    reference_on    TEXT,
    status          TEXT NOT NULL,
    closed_on       TEXT,
    alert_days      INTEGER NOT NULL,
    steps_done      TEXT NOT NULL,
    documents       TEXT NOT NULL,
    next_due_on     TEXT,
    next_step       TEXT,
    -- next_due_on less alert_days: the day the procedure starts alerting.
    alert_on        TEXT,
    created_by      BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id)
);

CREATE INDEX procedures_person ON procedures (tenant_id, person_id);
CREATE INDEX procedures_due ON procedures (tenant_id, next_due_on) WHERE status = 'OPEN';
CREATE INDEX procedures_alert ON procedures (tenant_id, alert_on) WHERE status = 'OPEN';
