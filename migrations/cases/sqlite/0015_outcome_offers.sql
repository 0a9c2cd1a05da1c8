-- Outcomes come from closed lists (`OutcomeList` in the cases domain): the outcomes a case is
-- closed with and, since this migration, the outcomes of an intervention. A tenant offers every
-- code of a list unless a row here withdraws it. The rows of `case_outcomes` move here under
-- list 'case'.
CREATE TABLE outcome_offers (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    list            TEXT NOT NULL,
    code            TEXT NOT NULL,
    offered         INTEGER NOT NULL,
    changed_by      BLOB NOT NULL,
    changed_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, list, code)
);

INSERT INTO outcome_offers (tenant_id, id, list, code, offered, changed_by, changed_at)
    SELECT tenant_id, id, 'case', code, offered, changed_by, changed_at FROM case_outcomes;
DROP TABLE case_outcomes;
