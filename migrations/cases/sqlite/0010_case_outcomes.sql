-- Which outcome codes of the closed list (`CASE_OUTCOMES` in the cases domain) a tenant offers
-- when a case is closed. A code without a row is offered; a row records the tenant's choice.

CREATE TABLE case_outcomes (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    code            TEXT NOT NULL,
    offered         INTEGER NOT NULL,
    changed_by      BLOB NOT NULL,
    changed_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);
