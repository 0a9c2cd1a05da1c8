-- Long administrative procedures (pratiche, sportello_cases::domain::procedures): a tenant's own
-- procedure types beside the seeded ones, and the procedures of persons with the days their
-- steps were done, the status of their documents and their next deadline (computed on every
-- change from the type's rules, so that alerts and overdue lists are one indexed query).

CREATE TABLE procedure_types (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    code            text NOT NULL,
    label           text NOT NULL,
    -- The type's rules (sportello_cases::domain::procedures::TypeDef) as JSON.
    definition      text NOT NULL,
    retired         boolean NOT NULL DEFAULT false,
    created_by      uuid NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

CREATE TABLE procedures (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    person_id       uuid NOT NULL,
    case_id         uuid,
    type_code       text NOT NULL,
    responsible_id  uuid NOT NULL,
    started_on      date NOT NULL,
    reference_on    date,
    -- OPEN, COMPLETED or ABANDONED.
    status          text NOT NULL,
    closed_on       date,
    alert_days      integer NOT NULL,
    -- {"step code": "YYYY-MM-DD"} and {"document code": "STATUS"}.
    steps_done      text NOT NULL,
    documents       text NOT NULL,
    next_due_on     date,
    next_step       text,
    -- next_due_on less alert_days: the day the procedure starts alerting.
    alert_on        date,
    created_by      uuid NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id)
);

CREATE INDEX procedures_person ON procedures (tenant_id, person_id);
CREATE INDEX procedures_due ON procedures (tenant_id, next_due_on) WHERE status = 'OPEN';
CREATE INDEX procedures_alert ON procedures (tenant_id, alert_on) WHERE status = 'OPEN';

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['procedure_types', 'procedures'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)
                WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
END $$;
