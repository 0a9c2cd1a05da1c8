-- Each tenant's default lead time of appointment reminders, in hours before the start on the
-- tenant's local clock (1–336); NULL: no reminder unless the booking asks for one. A day ahead
-- for every tenant, those created before included.
ALTER TABLE tenants ADD COLUMN reminder_hours_before INTEGER DEFAULT 24;
