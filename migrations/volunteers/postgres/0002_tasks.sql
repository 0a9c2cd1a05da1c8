-- Volunteers: tasks operators ask active citizens for, the offers of a task to volunteers, the
-- hours volunteers log, and delegations of a volunteer to a requesting body. Runs inside the
-- service's own schema. Every table has tenant_id leading its primary key, and row-level security
-- enabled and forced with a policy on the transaction-local setting app.tenant_id.

CREATE TABLE volunteer_tasks (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    skill               text NOT NULL,
    language            text NOT NULL,
    territory           text NOT NULL,
    desk_id             uuid,
    place_id            uuid,
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz NOT NULL,
    involves_minors     boolean NOT NULL DEFAULT false,
    person_first_name   text,
    shared_note         text,
    status              text NOT NULL,
    volunteer_id        uuid,
    requested_by        uuid NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id)
);
CREATE INDEX volunteer_tasks_by_status ON volunteer_tasks (tenant_id, status, id);
CREATE INDEX volunteer_tasks_by_volunteer ON volunteer_tasks (tenant_id, volunteer_id, starts_at);

CREATE TABLE task_offers (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    task_id         uuid NOT NULL,
    volunteer_id    uuid NOT NULL,
    status          text NOT NULL,
    offered_by      uuid NOT NULL,
    offered_at      timestamptz NOT NULL,
    answered_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, task_id, volunteer_id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES volunteer_tasks (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id)
);
CREATE INDEX task_offers_by_volunteer ON task_offers (tenant_id, volunteer_id, status);

CREATE TABLE volunteer_hours (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    volunteer_id    uuid NOT NULL,
    task_id         uuid,
    on_day          date NOT NULL,
    minutes         integer NOT NULL,
    note            text,
    status          text NOT NULL,
    decided_by      uuid,
    decided_at      timestamptz,
    created_at      timestamptz NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES volunteer_tasks (tenant_id, id)
);
CREATE INDEX volunteer_hours_by_volunteer ON volunteer_hours (tenant_id, volunteer_id, id);
CREATE INDEX volunteer_hours_by_status ON volunteer_hours (tenant_id, status, id);

CREATE TABLE volunteer_delegations (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    volunteer_id    uuid NOT NULL,
    body            text NOT NULL,
    from_day        date NOT NULL,
    to_day          date NOT NULL,
    note            text,
    created_by      uuid NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id)
);
CREATE INDEX volunteer_delegations_by_volunteer ON volunteer_delegations (tenant_id, volunteer_id, id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['volunteer_tasks', 'task_offers', 'volunteer_hours', 'volunteer_delegations'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
