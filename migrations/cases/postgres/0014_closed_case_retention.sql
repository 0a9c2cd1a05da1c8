-- The retention job of closed cases (docs/privacy.md, "Retention") finds the people whose
-- cases are all closed by person and status, and the tenants that have closed cases across
-- tenants (app.scope = 'closed_case_retention'), reading only; it erases each person in that
-- person's tenant scope.
CREATE INDEX cases_by_person_status ON cases (tenant_id, person_id, status, closed_at);
CREATE POLICY closed_case_retention ON cases FOR SELECT
    USING (current_setting('app.scope', true) = 'closed_case_retention');
