-- Volunteers: course sessions can be changed (at the version the caller saw) and cancelled with
-- a reason. A cancelled session takes no attendance and does not count in the completion rule.
-- The index serves the calendar (sessions of the tenant by start).

ALTER TABLE course_sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE course_sessions ADD COLUMN cancelled_at TEXT;
ALTER TABLE course_sessions ADD COLUMN cancel_reason TEXT;
CREATE INDEX course_sessions_by_start ON course_sessions (tenant_id, starts_at);
