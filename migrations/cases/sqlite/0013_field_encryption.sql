-- Field-level encryption of special categories: see the PostgreSQL migration of the same name.
CREATE TABLE person_keys (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    kek_version     INTEGER NOT NULL,
    wrapped         BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX person_keys_by_version ON person_keys (tenant_id, kek_version);

ALTER TABLE persons ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE encounters ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE plan_goals ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE plan_steps ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX persons_unsealed ON persons (tenant_id) WHERE sealed = 0;
CREATE INDEX cases_unsealed ON cases (tenant_id) WHERE sealed = 0;
CREATE INDEX encounters_unsealed ON encounters (tenant_id) WHERE sealed = 0;
CREATE INDEX referrals_unsealed ON referrals (tenant_id) WHERE sealed = 0;
CREATE INDEX plan_goals_unsealed ON plan_goals (tenant_id) WHERE sealed = 0;
CREATE INDEX plan_steps_unsealed ON plan_steps (tenant_id) WHERE sealed = 0;

ALTER TABLE persons ADD COLUMN permit_expiry_sealed TEXT;

-- SQLite cannot drop the table's UNIQUE (tenant_id, codice_fiscale): it stays, and never
-- refuses a sealed row (random ciphertexts); uniqueness holds on the blind index.
ALTER TABLE persons ADD COLUMN codice_fiscale_index TEXT;
CREATE UNIQUE INDEX persons_codice_fiscale_index ON persons (tenant_id, codice_fiscale_index);
