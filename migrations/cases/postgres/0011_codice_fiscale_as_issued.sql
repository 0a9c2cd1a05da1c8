-- The codice fiscale is stored as issued (an omocodic code is another person's code); the key
-- two records share when they may be the same person is its plain form (omocodia letters mapped
-- back, check character recomputed), or a provisional 11-digit code itself. Rows written before
-- this migration hold the plain form already, so it is their key. Uniqueness stays on the code
-- as issued (UNIQUE (tenant_id, codice_fiscale) of 0001).
ALTER TABLE persons ADD COLUMN codice_fiscale_key text;
-- What the code contradicts on the record when it was saved (comma-separated: sex, birth_date,
-- birthplace): accepted, and shown as warnings.
ALTER TABLE persons ADD COLUMN codice_fiscale_warnings text NOT NULL DEFAULT '';
-- The owner fills the key of every tenant's rows once; row-level security is forced again
-- before this transaction ends.
ALTER TABLE persons NO FORCE ROW LEVEL SECURITY;
UPDATE persons SET codice_fiscale_key = codice_fiscale WHERE codice_fiscale IS NOT NULL;
ALTER TABLE persons FORCE ROW LEVEL SECURITY;
CREATE INDEX persons_by_codice_fiscale_key ON persons (tenant_id, codice_fiscale_key);
