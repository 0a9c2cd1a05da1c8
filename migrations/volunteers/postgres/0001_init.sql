-- Volunteers: the register of active citizens (albo dei cittadini attivi), its skill taxonomy and
-- the history of each application's status. Runs inside the service's own schema. Every table has
-- tenant_id leading its primary key, and row-level security enabled and forced with a policy on
-- the transaction-local setting app.tenant_id; a missing setting matches no row.

CREATE TABLE skills (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    code        text NOT NULL,
    label       text,
    retired     boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

CREATE TABLE volunteers (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    given_names         text NOT NULL,
    family_names        text NOT NULL,
    email               text,
    phone               text,
    languages           text NOT NULL,
    skills              text NOT NULL,
    territories         text NOT NULL,
    availability        text NOT NULL,
    works_with_minors   boolean NOT NULL DEFAULT false,
    minors_check_on     date,
    status              text NOT NULL,
    source              text NOT NULL,
    user_id             uuid,
    invitation_id       uuid,
    conduct_signed_on   date,
    data_consent_on     date,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX volunteers_by_status ON volunteers (tenant_id, status, id);
CREATE UNIQUE INDEX volunteers_by_user ON volunteers (tenant_id, user_id) WHERE user_id IS NOT NULL;

CREATE TABLE volunteer_status_changes (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    volunteer_id    uuid NOT NULL,
    status          text NOT NULL,
    by_user         uuid,
    at              timestamptz NOT NULL,
    note            text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, volunteer_id) REFERENCES volunteers (tenant_id, id)
);
CREATE INDEX volunteer_status_changes_by_volunteer ON volunteer_status_changes (tenant_id, volunteer_id, id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['skills', 'volunteers', 'volunteer_status_changes'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
