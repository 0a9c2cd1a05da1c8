-- The version of the derivation of a person's name keys (name_key, name_skeleton). Rows of an
-- older version (0: before this migration) are derived again from their stored names by the
-- cases service (`rekey`), so that the duplicate search pre-selects them with the new keys.
ALTER TABLE persons ADD COLUMN name_keys_version integer NOT NULL DEFAULT 0;
CREATE INDEX persons_by_name_keys_version ON persons (tenant_id, name_keys_version);
-- The re-keying task finds the tenants with rows to derive again across tenants
-- (app.scope = 'name_rekey'), reading only; it updates each tenant's rows in that tenant's scope.
CREATE POLICY name_rekey ON persons FOR SELECT
    USING (current_setting('app.scope', true) = 'name_rekey');
