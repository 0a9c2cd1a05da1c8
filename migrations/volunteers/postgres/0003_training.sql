-- Volunteers: training. Courses (and co-design workshops), their sessions, enrolments with a
-- waiting list, attendance per session and certificates of attendance. Every table has tenant_id
-- leading its primary key, and row-level security enabled and forced with a policy on the
-- transaction-local setting app.tenant_id; a missing setting matches no row.

CREATE TABLE courses (
    tenant_id               uuid NOT NULL,
    id                      uuid NOT NULL,
    kind                    text NOT NULL,
    title                   text NOT NULL,
    audience                text NOT NULL,
    planned_minutes         integer NOT NULL,
    trainer                 text NOT NULL,
    capacity                integer NOT NULL,
    min_attendance_percent  integer NOT NULL,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    version                 integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE course_sessions (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    course_id   uuid NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    place       text,
    online_url  text,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id)
);
CREATE INDEX course_sessions_by_course ON course_sessions (tenant_id, course_id, starts_at);

CREATE TABLE enrolments (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    course_id           uuid NOT NULL,
    volunteer_id        uuid,
    participant_name    text NOT NULL,
    participant_email   text,
    status              text NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id)
);
CREATE INDEX enrolments_by_course ON enrolments (tenant_id, course_id, status, id);
CREATE INDEX enrolments_by_volunteer ON enrolments (tenant_id, volunteer_id) WHERE volunteer_id IS NOT NULL;
CREATE UNIQUE INDEX enrolments_once_per_volunteer ON enrolments (tenant_id, course_id, volunteer_id)
    WHERE volunteer_id IS NOT NULL AND status <> 'WITHDRAWN';

CREATE TABLE attendances (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    session_id      uuid NOT NULL,
    enrolment_id    uuid NOT NULL,
    present         boolean NOT NULL,
    recorded_at     timestamptz NOT NULL,
    recorded_by     uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, session_id, enrolment_id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES course_sessions (tenant_id, id),
    FOREIGN KEY (tenant_id, enrolment_id) REFERENCES enrolments (tenant_id, id)
);
CREATE INDEX attendances_by_enrolment ON attendances (tenant_id, enrolment_id);

-- A certificate keeps what it certified as it was when issued. The verification code is never
-- stored: only the SHA-256 of it (code_hash), for the public check to find the row.
CREATE TABLE certificates (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    enrolment_id        uuid NOT NULL,
    volunteer_id        uuid,
    code_hash           text NOT NULL,
    participant_name    text NOT NULL,
    course_title        text NOT NULL,
    course_kind         text NOT NULL,
    minutes_attended    integer NOT NULL,
    sessions_attended   integer NOT NULL,
    sessions_held       integer NOT NULL,
    first_day           date NOT NULL,
    last_day            date NOT NULL,
    issued_on           date NOT NULL,
    issued_at           timestamptz NOT NULL,
    issued_by           uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, enrolment_id),
    UNIQUE (tenant_id, code_hash),
    FOREIGN KEY (tenant_id, enrolment_id) REFERENCES enrolments (tenant_id, id)
);
CREATE INDEX certificates_by_volunteer ON certificates (tenant_id, volunteer_id) WHERE volunteer_id IS NOT NULL;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['courses', 'course_sessions', 'enrolments', 'attendances', 'certificates'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
