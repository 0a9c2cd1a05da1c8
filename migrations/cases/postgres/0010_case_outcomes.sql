-- Which outcome codes of the closed list (`CASE_OUTCOMES` in the cases domain) a tenant offers
-- when a case is closed. A code without a row is offered; a row records the tenant's choice.

CREATE TABLE case_outcomes (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    code            text NOT NULL,
    offered         boolean NOT NULL,
    changed_by      uuid NOT NULL,
    changed_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

ALTER TABLE case_outcomes ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_outcomes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_outcomes
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
