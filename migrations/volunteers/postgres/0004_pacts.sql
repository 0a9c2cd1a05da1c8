-- Volunteers: collaboration pacts (patti di collaborazione) between active citizens and a
-- municipality of the tenant on the shared care of a common good, the history of each pact's
-- status and its activity reports. Every table has tenant_id leading its primary key, and
-- row-level security enabled and forced with a policy on the transaction-local setting
-- app.tenant_id; a missing setting matches no row.

CREATE TABLE pacts (
    tenant_id                   uuid NOT NULL,
    id                          uuid NOT NULL,
    proposer_kind               text NOT NULL,
    proposer_name               text NOT NULL,
    proposer_email              text,
    proposer_phone              text,
    proposer_volunteers         text NOT NULL,
    municipality                text NOT NULL,
    good_kind                   text NOT NULL,
    good_name                   text NOT NULL,
    good_address                text,
    activities                  text NOT NULL,
    municipality_commitments    text NOT NULL,
    proposer_commitments        text NOT NULL,
    first_start_date            date NOT NULL,
    start_date                  date NOT NULL,
    end_date                    date NOT NULL,
    duration_months             integer NOT NULL,
    period                      integer NOT NULL DEFAULT 1,
    renewal                     text NOT NULL,
    status                      text NOT NULL,
    signed_on                   date,
    activated_on                date,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL,
    version                     integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX pacts_by_municipality ON pacts (tenant_id, municipality, status, id);
CREATE INDEX pacts_by_status ON pacts (tenant_id, status, id);

CREATE TABLE pact_status_changes (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    pact_id     uuid NOT NULL,
    status      text NOT NULL,
    by_user     uuid,
    at          timestamptz NOT NULL,
    note        text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pact_id) REFERENCES pacts (tenant_id, id)
);
CREATE INDEX pact_status_changes_by_pact ON pact_status_changes (tenant_id, pact_id, id);

CREATE TABLE pact_reports (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    pact_id     uuid NOT NULL,
    reported_on date NOT NULL,
    body        text NOT NULL,
    minutes     integer,
    by_user     uuid NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pact_id) REFERENCES pacts (tenant_id, id)
);
CREATE INDEX pact_reports_by_pact ON pact_reports (tenant_id, pact_id, id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['pacts', 'pact_status_changes', 'pact_reports'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
