-- A tenant's own need types, each refining one category of the common taxonomy (which stays the
-- unit of shared statistics). A need may name one of them.

CREATE TABLE need_types (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    code            TEXT NOT NULL,
    label           TEXT NOT NULL,
    category        TEXT NOT NULL,
    retired         INTEGER NOT NULL DEFAULT 0,
    created_by      BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

ALTER TABLE needs ADD COLUMN type_code TEXT;
