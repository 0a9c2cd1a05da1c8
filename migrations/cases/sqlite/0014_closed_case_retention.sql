-- The retention job of closed cases (docs/privacy.md, "Retention") finds the people whose
-- cases are all closed by person and status.
CREATE INDEX cases_by_person_status ON cases (tenant_id, person_id, status, closed_at);
