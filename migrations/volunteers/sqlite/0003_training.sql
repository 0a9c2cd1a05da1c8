-- Volunteers: training. Courses (and co-design workshops), their sessions, enrolments with a
-- waiting list, attendance per session and certificates of attendance. Every table has tenant_id
-- leading its primary key.

CREATE TABLE courses (
    tenant_id               BLOB NOT NULL,
    id                      BLOB NOT NULL,
    kind                    TEXT NOT NULL,
    title                   TEXT NOT NULL,
    audience                TEXT NOT NULL,
    planned_minutes         INTEGER NOT NULL,
    trainer                 TEXT NOT NULL,
    capacity                INTEGER NOT NULL,
    min_attendance_percent  INTEGER NOT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE course_sessions (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    course_id   BLOB NOT NULL,
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    place       TEXT,
    online_url  TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id)
);
CREATE INDEX course_sessions_by_course ON course_sessions (tenant_id, course_id, starts_at);

CREATE TABLE enrolments (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    course_id           BLOB NOT NULL,
    volunteer_id        BLOB,
    participant_name    TEXT NOT NULL,
    participant_email   TEXT,
    status              TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id)
);
CREATE INDEX enrolments_by_course ON enrolments (tenant_id, course_id, status, id);
CREATE INDEX enrolments_by_volunteer ON enrolments (tenant_id, volunteer_id) WHERE volunteer_id IS NOT NULL;
CREATE UNIQUE INDEX enrolments_once_per_volunteer ON enrolments (tenant_id, course_id, volunteer_id)
    WHERE volunteer_id IS NOT NULL AND status <> 'WITHDRAWN';

CREATE TABLE attendances (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    session_id      BLOB NOT NULL,
    enrolment_id    BLOB NOT NULL,
    present         INTEGER NOT NULL,
    recorded_at     TEXT NOT NULL,
    recorded_by     BLOB NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, session_id, enrolment_id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES course_sessions (tenant_id, id),
    FOREIGN KEY (tenant_id, enrolment_id) REFERENCES enrolments (tenant_id, id)
);
CREATE INDEX attendances_by_enrolment ON attendances (tenant_id, enrolment_id);

-- A certificate keeps what it certified as it was when issued. The verification code is never
-- stored: only the SHA-256 of it (code_hash), for the public check to find the row.
CREATE TABLE certificates (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    enrolment_id        BLOB NOT NULL,
    volunteer_id        BLOB,
    code_hash           TEXT NOT NULL,
    participant_name    TEXT NOT NULL,
    course_title        TEXT NOT NULL,
    course_kind         TEXT NOT NULL,
    minutes_attended    INTEGER NOT NULL,
    sessions_attended   INTEGER NOT NULL,
    sessions_held       INTEGER NOT NULL,
    first_day           TEXT NOT NULL,
    last_day            TEXT NOT NULL,
    issued_on           TEXT NOT NULL,
    issued_at           TEXT NOT NULL,
    issued_by           BLOB NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, enrolment_id),
    UNIQUE (tenant_id, code_hash),
    FOREIGN KEY (tenant_id, enrolment_id) REFERENCES enrolments (tenant_id, id)
);
CREATE INDEX certificates_by_volunteer ON certificates (tenant_id, volunteer_id) WHERE volunteer_id IS NOT NULL;
