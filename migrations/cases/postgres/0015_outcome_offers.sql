-- Outcomes come from closed lists (`OutcomeList` in the cases domain): the outcomes a case is
-- closed with and, since this migration, the outcomes of an intervention. A tenant offers every
-- code of a list unless a row here withdraws it. The rows of `case_outcomes` move here under
-- list 'case'.
CREATE TABLE outcome_offers (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    list            text NOT NULL,
    code            text NOT NULL,
    offered         boolean NOT NULL,
    changed_by      uuid NOT NULL,
    changed_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, list, code)
);

-- The owner moves every tenant's rows once; row-level security is forced on both tables again
-- before this transaction ends.
ALTER TABLE case_outcomes NO FORCE ROW LEVEL SECURITY;
INSERT INTO outcome_offers (tenant_id, id, list, code, offered, changed_by, changed_at)
    SELECT tenant_id, id, 'case', code, offered, changed_by, changed_at FROM case_outcomes;
DROP TABLE case_outcomes;

ALTER TABLE outcome_offers ENABLE ROW LEVEL SECURITY;
ALTER TABLE outcome_offers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outcome_offers
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
