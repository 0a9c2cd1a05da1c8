-- Field-level encryption of special categories (docs/privacy.md, "At rest"). Each person gets a
-- random data key, stored here wrapped by a key-encryption key of the tenant (its version kept
-- with it); the tenant's keys live in the key store, never in this database. Destroying a
-- person's row here makes every value sealed under their key unreadable.
CREATE TABLE person_keys (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    kek_version     integer NOT NULL,
    wrapped         bytea NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- Rotation re-wraps the keys of older versions in batches.
CREATE INDEX person_keys_by_version ON person_keys (tenant_id, kek_version);

ALTER TABLE person_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE person_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON person_keys
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- `sealed` = 1: the row's protected columns hold AES-256-GCM ciphertexts (base64) under the
-- person's key; 0: written before this migration, still in clear until the sealing task of the
-- cases service encrypts it.
ALTER TABLE persons ADD COLUMN sealed integer NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN sealed integer NOT NULL DEFAULT 0;
ALTER TABLE encounters ADD COLUMN sealed integer NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN sealed integer NOT NULL DEFAULT 0;
ALTER TABLE plan_goals ADD COLUMN sealed integer NOT NULL DEFAULT 0;
ALTER TABLE plan_steps ADD COLUMN sealed integer NOT NULL DEFAULT 0;
CREATE INDEX persons_unsealed ON persons (tenant_id) WHERE sealed = 0;
CREATE INDEX cases_unsealed ON cases (tenant_id) WHERE sealed = 0;
CREATE INDEX encounters_unsealed ON encounters (tenant_id) WHERE sealed = 0;
CREATE INDEX referrals_unsealed ON referrals (tenant_id) WHERE sealed = 0;
CREATE INDEX plan_goals_unsealed ON plan_goals (tenant_id) WHERE sealed = 0;
CREATE INDEX plan_steps_unsealed ON plan_steps (tenant_id) WHERE sealed = 0;

-- The permit's expiry, sealed (a date column cannot hold a ciphertext); `permit_expiry` stays
-- NULL on sealed rows.
ALTER TABLE persons ADD COLUMN permit_expiry_sealed text;

-- The keyed blind index of the codice fiscale as issued (HMAC-SHA-256 under the tenant's index
-- key, from the key store): uniqueness in the tenant holds on it. `codice_fiscale_key` holds the
-- blind index of the code's plain form on sealed rows. The unique constraint on the clear column
-- goes: sealed values are random ciphertexts.
ALTER TABLE persons ADD COLUMN codice_fiscale_index text;
CREATE UNIQUE INDEX persons_codice_fiscale_index ON persons (tenant_id, codice_fiscale_index);
ALTER TABLE persons DROP CONSTRAINT IF EXISTS persons_tenant_id_codice_fiscale_key;

-- The sealing task finds the tenants with rows still in clear across tenants
-- (app.scope = 'seal'), reading only; it seals each tenant's rows in that tenant's scope.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['persons', 'cases', 'encounters', 'referrals', 'plan_goals',
                             'plan_steps'] LOOP
        EXECUTE format(
            'CREATE POLICY seal ON %I FOR SELECT
                USING (current_setting(''app.scope'', true) = ''seal'')',
            t);
    END LOOP;
END $$;
