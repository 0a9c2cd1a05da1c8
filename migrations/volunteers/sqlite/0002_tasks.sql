-- Volunteers: tasks operators ask active citizens for, the offers of a task to volunteers, the
-- hours volunteers log, and delegations of a volunteer to a requesting body. Every table has
-- tenant_id leading its primary key.

CREATE TABLE volunteer_tasks (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    skill               TEXT NOT NULL,
    language            TEXT NOT NULL,
    territory           TEXT NOT NULL,
    desk_id             BLOB,
    place_id            BLOB,
    starts_at           TEXT NOT NULL,
    ends_at             TEXT NOT NULL,
    involves_minors     INTEGER NOT NULL DEFAULT 0,
    person_first_name   TEXT,
    shared_note         TEXT,
    status              TEXT NOT NULL,
    volunteer_id        BLOB,
    requested_by        BLOB NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id)
);
CREATE INDEX volunteer_tasks_by_status ON volunteer_tasks (tenant_id, status, id);
CREATE INDEX volunteer_tasks_by_volunteer ON volunteer_tasks (tenant_id, volunteer_id, starts_at);

CREATE TABLE task_offers (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    task_id         BLOB NOT NULL,
    volunteer_id    BLOB NOT NULL,
    status          TEXT NOT NULL,
    offered_by      BLOB NOT NULL,
    offered_at      TEXT NOT NULL,
    answered_at     TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, task_id, volunteer_id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES volunteer_tasks (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id)
);
CREATE INDEX task_offers_by_volunteer ON task_offers (tenant_id, volunteer_id, status);

CREATE TABLE volunteer_hours (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    volunteer_id    BLOB NOT NULL,
    task_id         BLOB,
    on_day          TEXT NOT NULL,
    minutes         INTEGER NOT NULL,
    note            TEXT,
    status          TEXT NOT NULL,
    decided_by      BLOB,
    decided_at      TEXT,
    created_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES volunteer_tasks (tenant_id, id)
);
CREATE INDEX volunteer_hours_by_volunteer ON volunteer_hours (tenant_id, volunteer_id, id);
CREATE INDEX volunteer_hours_by_status ON volunteer_hours (tenant_id, status, id);

CREATE TABLE volunteer_delegations (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    volunteer_id    BLOB NOT NULL,
    body            TEXT NOT NULL,
    from_day        TEXT NOT NULL,
    to_day          TEXT NOT NULL,
    note            TEXT,
    created_by      BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id)
);
CREATE INDEX volunteer_delegations_by_volunteer ON volunteer_delegations (tenant_id, volunteer_id, id);
